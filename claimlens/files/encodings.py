"""Which text encoding a file is in (UTF-8 with or without BOM, GB18030, Shift-JIS or cp1252), and bytes that did not decode.

Sellers' exports come from Excel and marketplace back offices on Chinese, Japanese and
Western Windows machines. We only choose among those four: a general detector guesses
among dozens and is easily fooled by a few hundred bytes of mostly-ASCII text. A legacy
candidate wins when the sample decodes strictly and its non-ASCII characters are the
common ones of its script (GB2312 level 1 Hanzi, JIS level 1 Kanji and kana, Latin-1
letters and typographic punctuation).

Readers decode with `surrogateescape`: a byte that does not decode becomes one of
U+DC80..U+DCFF, so the row holding it can be reported (`undecodable`) and the rest read.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from claimlens.model.errors import BadInputError

SAMPLE_BYTES = 1 << 16
CANDIDATES = ("gb18030", "shift_jis", "cp1252")
ALIASES = {"utf8": "utf-8", "utf-8-bom": "utf-8-sig", "gbk": "gb18030", "gb2312": "gb18030",
           "sjis": "shift_jis", "shift-jis": "shift_jis", "cp932": "cp932", "windows-1252": "cp1252",
           "latin-1": "cp1252", "latin1": "cp1252"}


def resolve(name: str) -> str:
    """A codec name Python knows, from what a user typed (`--encoding`)."""
    name = ALIASES.get(name.lower(), name.lower())
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise BadInputError(f"unknown encoding {name!r}; try utf-8, gb18030, shift_jis or cp1252") from None


def detect(sample: bytes, source: str = "input") -> str:
    """The encoding of a file whose first bytes are `sample` (raises if it is not text)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in sample:
        at = sample.find(b"\x00")
        raise BadInputError(f"{source} is not a text file (NUL byte at offset {max(at, 0)}); "
                            "expected UTF-8, GB18030, Shift-JIS or cp1252 text, or a .parquet file")
    if _mostly_utf8(sample):
        return "utf-8"
    best, best_score = None, 0.0
    for enc in CANDIDATES:
        text = _decodes(sample, enc)
        if text is None:
            continue
        score = _plausibility(text, enc)
        if score > best_score:
            best, best_score = enc, score
    if best is None or best_score < 0.5:
        raise BadInputError(f"{source}: could not tell the text encoding (not UTF-8, GB18030, Shift-JIS "
                            "or cp1252); pass --encoding")
    return best


def _decodes(sample: bytes, enc: str) -> str | None:
    """The sample decoded strictly, ignoring a character cut at the sample's end."""
    try:
        return codecs.getincrementaldecoder(enc)("strict").decode(sample, final=False)
    except UnicodeDecodeError:
        return None


def _mostly_utf8(sample: bytes) -> bool:
    """UTF-8, allowing a few bad bytes: one row pasted from a GBK sheet must not turn the file into cp1252."""
    text = codecs.getincrementaldecoder("utf-8")("surrogateescape").decode(sample, final=False)
    bad = sum(1 for c in text if "\udc80" <= c <= "\udcff")
    good = sum(1 for c in text if ord(c) > 0x7F) - bad
    return bad == 0 or bad < 0.1 * (good + bad)


def _plausibility(text: str, enc: str) -> float:
    """Share of non-ASCII characters that are common in text of that encoding's script."""
    odd = [c for c in text if ord(c) > 0x7F]
    if not odd:
        return 1.0
    return sum(_common(c, enc) for c in odd) / len(odd)


def _common(c: str, enc: str) -> bool:
    o = ord(c)
    if 0x3000 <= o <= 0x303F or 0xFF01 <= o <= 0xFF5E:  # CJK punctuation, full-width forms
        return enc != "cp1252"
    if enc == "cp1252":
        return c.isalpha() and o < 0x180 or c in "‘’“”–—…€•«»°"
    if enc == "shift_jis":
        if 0x3040 <= o <= 0x30FF:  # hiragana and full-width katakana
            return True
        return _is_han(c) and _lead_byte(c, "shift_jis") in range(0x88, 0x99)  # JIS level 1
    return _is_han(c) and _lead_byte(c, "gb2312") in range(0xB0, 0xD8)  # GB2312 level 1


def _is_han(c: str) -> bool:
    return unicodedata.name(c, "").startswith("CJK UNIFIED")


def _lead_byte(c: str, enc: str) -> int:
    try:
        return c.encode(enc)[0]
    except UnicodeEncodeError:
        return -1


UNDECODABLE = "undecodable bytes"
INVALID_UNICODE = "invalid Unicode"
# surrogateescape turns each undecodable byte into U+DC80..U+DCFF
_UNDECODABLE = re.compile("[\udc80-\udcff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def undecodable(text: str) -> bool:
    """Whether `text` holds bytes that did not decode (read with surrogateescape)."""
    return not text.isascii() and _UNDECODABLE.search(text) is not None


def lone_surrogate(text: str) -> bool:
    """Whether `text` holds a lone surrogate ("\\ud83d" escaped in JSON, or an undecodable byte), which no encoder takes."""
    return not text.isascii() and _SURROGATE.search(text) is not None


def text_problem(text: str, column: str) -> str | None:
    """Why a text field read from a file cannot be used (bytes that did not decode, a lone surrogate), or None."""
    if undecodable(text):
        return f"{UNDECODABLE} in {column!r}"
    if lone_surrogate(text):
        return f"{INVALID_UNICODE} (lone surrogate) in {column!r}"
    return None
