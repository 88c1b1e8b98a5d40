"""Normalise raw text (NFKC, width, case, HTML, whitespace) and keep a map back to the raw offsets."""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from model.envelope import buyer_segments

_HTML_HINT = re.compile(r"<[a-zA-Z/!][^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
_HTML_PIECE = re.compile(r"<[^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
_BLOCK_TAG = re.compile(r"<\s*/?\s*(?:br|p|div|li|tr|h\d)\b", re.IGNORECASE)


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
    """Yield (replacement or None, raw_start, raw_end): characters, tags and entities of a segment."""
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

    for seg_start, seg_end in buyer_segments(raw):
        for replacement, s, e in _units(raw, seg_start, seg_end):
            if replacement is not None:
                emit(_fold(replacement), s, e)
                continue
            i = s
            while i < e:
                j = i + 1  # keep combining marks (and half-width sound marks) with their base
                while j < e and (unicodedata.combining(raw[j]) or raw[j] in "\uff9e\uff9f"):
                    j += 1
                if j == i + 1 and raw[i].isascii() and (raw[i].isprintable() or raw[i].isspace()):
                    emit(raw[i].lower(), i, j)
                else:
                    emit(_fold(raw[i:j]), i, j)
                i = j
    while chars and chars[-1] == " ":
        chars.pop(), starts.pop(), ends.pop()
    if chars and chars[0] == " ":
        del chars[0], starts[0], ends[0]
    return Normalized(raw, "".join(chars), tuple(starts), tuple(ends))
