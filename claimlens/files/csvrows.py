"""CSV/TSV rows with the physical lines they come from, and where a stray quote stops.

The csv module (strict mode) parses; it is fed the file's physical lines one by one, so we
know which lines each row took and can give some back. The rule for quotes:

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

A row's lines are held until it is parsed, so memory stays within about `FIELD_LIMIT`.
"""
from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterator

FIELD_LIMIT = 1 << 20  # characters; a field past this is a stray quote that swallowed the file
MALFORMED = "malformed CSV line"
EMPTY_LINE = "empty line"
UNTERMINATED = "unterminated quote"


class Parsed:
    """One row as parsed: its values or why it cannot be read, and the lines it took."""

    __slots__ = ("values", "error", "first_line", "last_line", "end")

    def __init__(self, values: list[str] | None, error: str | None, first_line: int, last_line: int,
                 end: int) -> None:
        self.values, self.error = values, error
        self.first_line, self.last_line, self.end = first_line, last_line, end


class _Lines:
    """Decoded physical lines for csv.reader; keeps the current row's lines so all but the first can be read again."""

    def __init__(self, lines: Iterator[tuple[str, int]]) -> None:
        self._lines, self._again = lines, deque()
        self.taken: list[tuple[str, int]] = []

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        item = self._again.popleft() if self._again else next(self._lines)
        self.taken.append(item)
        return item[0]

    def give_back_all_but_first(self) -> None:
        self._again.extendleft(reversed(self.taken[1:]))
        del self.taken[1:]


def parse(lines: Iterator[tuple[str, int]], delimiter: str, first_line: int = 1, start: int = 0) -> Iterator[Parsed]:
    """Rows from decoded (line, offset past it) pairs; `first_line` numbers the first of them, `start` is its offset."""
    csv.field_size_limit(FIELD_LIMIT)
    source = _Lines(lines)
    reader = csv.reader(source, delimiter=delimiter, strict=True)
    line, end = first_line, start
    while True:
        source.taken.clear()
        try:
            values, error = next(reader), None
        except StopIteration:
            return
        except csv.Error as exc:
            values, error = None, str(exc)
            if len(source.taken) > 1 or error == "unexpected end of data":
                source.give_back_all_but_first()
                error = UNTERMINATED
        taken = len(source.taken)
        end = source.taken[-1][1]
        yield Parsed(values, error, line, line + taken - 1, end)
        line += taken


def lines_label(first: int, last: int) -> str:
    return str(first) if first >= last else f"{first}-{last}"


def judge(p: Parsed, width: int) -> str | None:
    """Why a parsed data row is not a row of `width` fields (None when it is one)."""
    if p.error is not None:
        return f"{MALFORMED} {lines_label(p.first_line, p.last_line)}: {p.error}"
    if not p.values:
        return f"{EMPTY_LINE} (line {p.first_line})"
    if len(p.values) != width:
        return (f"{MALFORMED} {lines_label(p.first_line, p.last_line)}: {len(p.values)} fields where the header "
                f"has {width}")
    return None
