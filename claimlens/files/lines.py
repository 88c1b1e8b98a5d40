"""A file's physical lines as bytes, with the byte offset just past each, from any offset on.

Exact offsets let a reader on another machine start at a row boundary (a Dask part) and
let the progress bar say how far a run is. Splitting bytes is safe for every encoding we
read: in UTF-8, GB18030, Shift-JIS and cp1252 the bytes \\n and \\r only ever stand for
themselves (UTF-16, where they would not, is refused as "not a text file").
"""
from __future__ import annotations

from collections.abc import Iterator
from itertools import accumulate
from typing import BinaryIO

BLOCK = 1 << 20


def line_blocks(f: BinaryIO, offset: int = 0, universal: bool = False) -> Iterator[tuple[list[bytes], list[int]]]:
    """The lines of `f` from `offset` on, a block at a time: (lines with their terminators, offset past each).

    Lines end at \\n; with `universal` also at \\r\\n and a lone \\r, as Python's text files
    opened with newline="" split them (old Mac exports end lines with \\r).
    """
    f.seek(offset)
    pending: list[bytes] = []  # pieces of a line not finished yet: a long line is not copied per block
    while block := f.read(BLOCK):
        lines: list[bytes] = []
        if universal and pending and pending[-1].endswith(b"\r"):  # ended at \r: takes this block's \n if any
            if block.startswith(b"\n"):
                pending.append(b"\n")
                block = block[1:]
            lines.append(b"".join(pending))
            pending = []
        if b"\n" not in block and not (universal and b"\r" in block):
            if block:
                pending.append(block)
        else:
            split = block.splitlines(keepends=True) if universal else block.split(b"\n")
            if not universal:  # split() drops the \n: put it back on every piece but the last
                split = [piece + b"\n" for piece in split[:-1]] + [split[-1]]
            if pending:
                split[0] = b"".join(pending) + split[0]
                pending = []
            last = split.pop()
            lines += split
            if last.endswith(b"\n"):
                lines.append(last)
            elif last:  # cut by the block's end, or a \r whose \n may open the next block
                pending = [last]
        if lines:
            ends = list(accumulate(map(len, lines), initial=offset))[1:]
            offset = ends[-1]
            yield lines, ends
    if pending:
        line = b"".join(pending)
        yield [line], [offset + len(line)]


def physical_lines(f: BinaryIO, offset: int = 0, universal: bool = False) -> Iterator[tuple[bytes, int]]:
    """(line with its terminator, offset just past it) for each line of `f`, read from `offset`."""
    for lines, ends in line_blocks(f, offset, universal):
        yield from zip(lines, ends)
