"""A file's physical lines as bytes, each with the byte offset just past it, from any offset on.

Exact offsets let a reader on another machine start at a row boundary (a Dask partition)
and let the progress bar say how far a run is. Splitting bytes is safe for every encoding
we read: in UTF-8, GB18030, Shift-JIS and cp1252 the bytes \\n and \\r only ever stand for
themselves (UTF-16, where they would not, is refused as "not a text file").
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

BLOCK = 1 << 20


def physical_lines(f: BinaryIO, offset: int = 0, universal: bool = False) -> Iterator[tuple[bytes, int]]:
    """(line with its terminator, offset just past it) for each line of `f`, read from `offset`.

    Lines end at \\n; with `universal` also at \\r\\n and a lone \\r, as Python's text files
    opened with newline="" split them (old Mac exports end lines with \\r).
    """
    f.seek(offset)
    if not universal:
        for line in f:
            offset += len(line)
            yield line, offset
        return
    pending: list[bytes] = []  # pieces of a line not finished yet: a long line is not copied per block
    while block := f.read(BLOCK):
        if pending and pending[-1].endswith(b"\r"):  # a line ended at \r: it takes this block's \n if any
            if block.startswith(b"\n"):
                pending.append(b"\n")
                block = block[1:]
            line = b"".join(pending)
            pending = []
            offset += len(line)
            yield line, offset
        if b"\n" not in block and b"\r" not in block:
            if block:
                pending.append(block)
            continue
        lines = block.splitlines(keepends=True)
        if pending:
            lines[0] = b"".join(pending) + lines[0]
            pending = []
        last = lines.pop()
        for line in lines:
            offset += len(line)
            yield line, offset
        if last.endswith(b"\n"):
            offset += len(last)
            yield last, offset
        else:  # cut by the block's end, or a \r whose \n may open the next block
            pending = [last]
    if pending:
        line = b"".join(pending)
        offset += len(line)
        yield line, offset
