"""CSV/TSV rows with the physical lines they come from, and where a stray quote stops.

The csv module (strict mode) parses; it is fed the file's physical lines one by one, so we
know which lines each row took and can parse some of them again. The rule for quotes:

- A row that parses is a row, whatever number of lines its quoted fields span: a message
  with line breaks inside quotes is one row. If its field count is not the header's, it is
  one bad row: `malformed CSV line 4-5: 3 fields where the header has 2`.
- A row that spans several lines and does not parse is blamed on its first line alone:
  `malformed CSV line 4: unterminated quote`, and parsing starts again on the next line, so
  the rows after a stray quote are kept. "Does not parse" means the quoted field reaches the
  end of the file, grows past `FIELD_LIMIT` characters, or is closed by a quote followed by
  something other than a delimiter or a line end. That last case is the usual one: the
  stray quote runs on until the next quoted field of a later row, whose opening quote then
  reads as a closing one followed by text (`4,"oops` ... `7,"fine"`). A quote left open on
  the last line is reported the same way.
- A bad row on one line is that line: `malformed CSV line 3: ',' expected after '"'`.
- What cannot be told apart: a stray quote whose run-on happens to end in a quote just before
  a delimiter or a line end (`6,oops",x`) makes one multi-line row that parses; it is kept
  as one row (or reported as one, if its field count is wrong).
- The price: a multi-line quoted field that is itself malformed (`"two⏎lines "inner" quotes"`)
  costs its first line, and its other lines are judged as rows of their own (usually bad
  rows too: their field count is off).

The reader parses from a store of decoded lines, which keeps every line from the current
row's start on (a few blocks at most: a field stops at `FIELD_LIMIT`), so a row that fails
can be parsed again from its second line by a fresh csv reader.
"""
from __future__ import annotations

import csv
from collections.abc import Iterator

FIELD_LIMIT = 1 << 20  # characters; a field past this is a stray quote that swallowed the file
MALFORMED = "malformed CSV line"
EMPTY_LINE = "empty line"
UNTERMINATED = "unterminated quote"


class _Store:
    """Decoded lines read so far, by index from the first line parsed, with the offset past each."""

    def __init__(self, blocks: Iterator[tuple[list[str], list[int]]]) -> None:
        self._blocks, self.lines, self.ends, self.base, self.keep_from = blocks, [], [], 0, 0

    def more(self) -> bool:
        """Read the next block; lines before `keep_from` (the current row's start) are let go."""
        drop = self.keep_from - self.base
        if drop > len(self.lines) // 2:
            del self.lines[:drop], self.ends[:drop]
            self.base += drop
        for lines, ends in self._blocks:
            self.lines += lines
            self.ends += ends
            return True
        return False

    def feed(self, i: int) -> Iterator[str]:
        """Lines from index `i` on, for a csv reader."""
        while True:
            k = i - self.base
            if k >= len(self.lines):
                if not self.more():
                    return
                continue
            chunk = self.lines[k:]
            i += len(chunk)
            yield from chunk


def parse(blocks: Iterator[tuple[list[str], list[int]]], delimiter: str,
          first_line: int = 1) -> Iterator[tuple[list[str] | None, str | None, int, int, int]]:
    """(values, error, first line, last line, offset past the last line) per row, from blocks of decoded lines."""
    csv.field_size_limit(FIELD_LIMIT)
    store = _Store(blocks)
    origin, before = 0, 0  # where the current reader started; lines it had read before this row
    reader = csv.reader(store.feed(0), delimiter=delimiter, strict=True)
    while True:
        first = store.keep_from = origin + before
        try:
            values, error = next(reader), None
        except StopIteration:
            return
        except csv.Error as exc:
            values, error = None, str(exc)
            if reader.line_num - before > 1 or error == "unexpected end of data":
                # blame the row's first line; a fresh reader takes the rest again from the next line
                yield None, UNTERMINATED, first_line + first, first_line + first, store.ends[first - store.base]
                origin, before = first + 1, 0
                reader = csv.reader(store.feed(origin), delimiter=delimiter, strict=True)
                continue
        before = reader.line_num
        last = origin + before - 1
        yield values, error, first_line + first, first_line + last, store.ends[last - store.base]


def judge(values: list[str] | None, error: str | None, first: int, last: int, width: int) -> str | None:
    """Why a parsed data row is not a row of `width` fields (None when it is one)."""
    if error is not None:
        return f"{MALFORMED} {_lines(first, last)}: {error}"
    if not values:
        return f"{EMPTY_LINE} (line {first})"
    if len(values) != width:
        return f"{MALFORMED} {_lines(first, last)}: {len(values)} fields where the header has {width}"
    return None


def _lines(first: int, last: int) -> str:
    return str(first) if first >= last else f"{first}-{last}"
