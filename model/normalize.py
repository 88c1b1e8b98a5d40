"""Normalise raw text (NFKC, width, case, HTML, whitespace) and keep a map back to the raw offsets."""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from claimlens.model.envelope import buyer_segments

_HTML_HINT = re.compile(r"<[a-zA-Z/!][^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
_HTML_PIECE = re.compile(r"<[^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
_BLOCK_TAG = re.compile(r"<\s*/?\s*(?:br|p|div|li|tr|h\d)\b", re.IGNORECASE)
# Links and @handles of social posts name no complaint, yet a tweet's handles can outweigh its words in
# an l2-normalised row; they go as a space does. An e-mail address keeps its "@". A handle ends at a
# space or colon, else where its ASCII ends, else at the text's end; a link at its last ASCII character
# (or the "…" of a cut link): Chinese written right after either is the buyer's, not part of it.
_SOCIAL_HINT = re.compile(r"@|https?:|www\.", re.IGNORECASE)
_SOCIAL_PIECE = re.compile(r"(?<![\w.@])@(?:\w+(?=[\s:：])|[a-z0-9_]+(?![a-z0-9_])|\w+$):?"
                           r"|\bhttps?://[!-~\u2026]+|\bwww\.[!-~\u2026]+", re.IGNORECASE)


@dataclass(frozen=True)
class Normalized:
    """Normalised text; char i came from raw[starts[i]:ends[i]]."""

    raw: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised [start, end) onto the raw text."""
        return self.starts[start], self.ends[end - 1]


def _units(raw: str, start: int, end: int):
    """Yield (replacement or None, raw_start, raw_end): characters, links, tags and entities of a segment."""
    if _SOCIAL_HINT.search(raw, start, end) is None:
        yield from _html_units(raw, start, end)
        return
    pos = start
    for m in _SOCIAL_PIECE.finditer(raw, start, end):
        if m.start() > pos:
            yield from _html_units(raw, pos, m.start())
        yield " ", m.start(), m.end()
        pos = m.end()
    if pos < end:
        yield from _html_units(raw, pos, end)


def _html_units(raw: str, start: int, end: int):
    if _HTML_HINT.search(raw, start, end) is None:
        yield None, start, end
        return
    pos = start
    for m in _HTML_PIECE.finditer(raw, start, end):
        if m.start() > pos:
            yield None, pos, m.start()
        piece = m.group()
        if piece.startswith("&"):
            yield html.unescape(piece), m.start(), m.end()
        else:
            yield ("\n" if _BLOCK_TAG.match(piece) else " "), m.start(), m.end()
        pos = m.end()
    if pos < end:
        yield None, pos, end


def _fold(chunk: str) -> str:
    out = unicodedata.normalize("NFKC", chunk).casefold()
    return "".join(c for c in out if unicodedata.category(c) not in ("Cf", "Cc") or c.isspace())


# Characters that fold one to one and on their own: ASCII (printable or whitespace), Latin-1 letters
# (and × ÷) but ß, Œ œ, CJK punctuation and the ideographic space, kana, CJK ideographs, full-width
# ASCII. Each folds to exactly one kept character, and none is a combining mark or composes with its
# neighbour, so a run of them folds in one call and its k-th folded character came from its k-th
# raw one: the text and offsets are those of the character-by-character path.
_SIMPLE = re.compile("[\t-\r\x1c-~\xc0-\xde\xe0-\xff\u0152\u0153\u3000-\u3003\u3008-\u3011"
                     "\u3041-\u3096\u30a1-\u30fa\u30fc\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]+")
_SPACE = re.compile(r"\s")
# Whitespace that does not stand alone as one space: a run of two or more, or at a run's start.
_SPACE_TO_FOLD = re.compile(r"\A\s+|\s{2,}")


def _joins_previous(c: str) -> bool:
    """Combining marks (and half-width sound marks) stay with the character before them."""
    return bool(unicodedata.combining(c)) or c in "\uff9e\uff9f"


def normalize(raw: str) -> Normalized:
    """NFKC + case folding, HTML and quoted replies removed, whitespace runs folded to one space."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def emit(piece: str, s: int, e: int) -> None:
        for c in piece:
            if c.isspace():
                if not chars or chars[-1] == " ":
                    if chars:
                        ends[-1] = e
                    continue
                c = " "
            chars.append(c)
            starts.append(s)
            ends.append(e)

    def emit_clusters(i: int, e: int) -> None:
        """Character by character: each base character with the combining marks after it."""
        while i < e:
            j = i + 1
            while j < e and _joins_previous(raw[j]):
                j += 1
            if j == i + 1 and raw[i].isascii() and (raw[i].isprintable() or raw[i].isspace()):
                emit(raw[i].lower(), i, j)
            else:
                emit(_fold(raw[i:j]), i, j)
            i = j

    def emit_simple(s: int, e: int) -> None:
        """A run of _SIMPLE characters, all at once but for whitespace that folds into its neighbour."""
        folded = _SPACE.sub(" ", unicodedata.normalize("NFKC", raw[s:e]).casefold())
        pos = 0
        for m in _SPACE_TO_FOLD.finditer(folded):
            a, b = m.span()
            chars.extend(folded[pos:a])  # a lone space here follows a non-space: kept as it is
            starts.extend(range(s + pos, s + a))
            ends.extend(range(s + pos + 1, s + a + 1))
            emit(" ", s + a, s + b)
            pos = b
        chars.extend(folded[pos:])
        starts.extend(range(s + pos, e))
        ends.extend(range(s + pos + 1, e + 1))

    for seg_start, seg_end in buyer_segments(raw):
        for replacement, s, e in _units(raw, seg_start, seg_end):
            if replacement is not None:
                emit(_fold(replacement), s, e)
                continue
            pos = s
            for m in _SIMPLE.finditer(raw, s, e):
                a, b = m.span()
                if b < e and _joins_previous(raw[b]):
                    b -= 1  # the run's last character is the base of a combining mark
                emit_clusters(pos, a)
                if a < b:
                    emit_simple(a, b)
                pos = b
            emit_clusters(pos, e)
    while chars and chars[-1] == " ":
        chars.pop(), starts.pop(), ends.pop()
    if chars and chars[0] == " ":
        del chars[0], starts[0], ends[0]
    return Normalized(raw, "".join(chars), tuple(starts), tuple(ends))
