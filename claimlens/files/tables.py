"""Read tables from files: JSONL, CSV/TSV (delimiter sniffed) and Parquet as numbered rows of fields.

Every reader of input files (batch labelling on either engine, training data, seed quote
resolution) goes through here, so a file reads the same everywhere:

    source = open_source(path)              # format, encoding and delimiter settled; not text → BadInputError
    names = header(source)                  # CSV/Parquet column names; None for JSONL
    for raw in read_rows(source):           # RawRow(row, fields, error, position, line)
        if raw.error: ...                   # this row cannot be read: report `raw.row` and `raw.error`

`row` is the 1-based data row number (a CSV header is not a row; a JSONL row is its line),
`line` the physical line the row starts on, `fields` maps column names to values, and
`error` says why the row cannot be read (`empty line`, `malformed JSON line: …`,
`malformed CSV line 4: unterminated quote`; see csvrows.py for quotes). One bad row costs
only that row. Bytes that do not decode are kept as lone surrogates (`surrogateescape`): the
caller decides which fields must be clean (`encodings.undecodable`). `position` is how far
into the file the reader is (bytes; rows for Parquet), for progress bars.

`parts(source, size)` cuts a file into `Part`s of about `size` bytes at row boundaries, and
`read_rows(source, part=p)` reads one of them on its own (a Dask worker), giving exactly the
rows, numbers and errors of a whole-file read.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from claimlens.files import csvrows
from claimlens.files.encodings import SAMPLE_BYTES, detect, resolve
from claimlens.files.lines import line_blocks, physical_lines
from claimlens.model.errors import BadInputError

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".tsv": "csv",
           ".txt": "csv", ".parquet": "parquet", ".pq": "parquet"}
PARQUET_BATCH = 4096
EMPTY_LINE = csvrows.EMPTY_LINE
MALFORMED_JSON = "malformed JSON line"
MALFORMED_CSV = csvrows.MALFORMED


class RawRow(NamedTuple):
    row: int
    fields: dict | None
    error: str | None
    position: int
    line: int


class Part(NamedTuple):
    """Where a slice of a file starts (byte offset, or row group for Parquet), its first row and line, and its row count."""

    start: int
    row: int
    line: int
    rows: int  # -1: to the end of the file


@dataclass(frozen=True)
class Source:
    """One input file and how to read it."""

    path: Path
    format: str
    encoding: str | None = None  # text formats only
    delimiter: str | None = None  # CSV only

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def open_source(path: Path, fmt: str | None = None, encoding: str | None = None,
                delimiter: str | None = None) -> Source:
    """Check the file and settle its format, encoding and delimiter."""
    path = Path(path)
    if not path.is_file():
        raise BadInputError(f"no such file: {path}", {"path": str(path)})
    fmt = fmt or FORMATS.get(path.suffix.lower())
    with path.open("rb") as f:
        sample = f.read(SAMPLE_BYTES)
    if fmt is None:
        fmt = "parquet" if sample.startswith(b"PAR1") else None
    if fmt is None:
        raise BadInputError(f"{path}: cannot tell the format from the extension {path.suffix!r}; "
                            "pass --format jsonl, csv or parquet")
    if fmt == "parquet":
        if not sample.startswith(b"PAR1"):
            raise BadInputError(f"{path} is not a Parquet file (no PAR1 magic bytes)")
        return Source(path, fmt)
    enc = resolve(encoding) if encoding else detect(sample, str(path))
    if fmt == "csv":
        delimiter = delimiter or ("\t" if path.suffix.lower() == ".tsv" else _sniff(sample, enc))
    return Source(path, fmt, enc, delimiter)


def read_rows(source: Source, columns: list[str] | None = None, part: Part | None = None) -> Iterator[RawRow]:
    """The rows of a source (or of one part of it), in file order; `columns` narrows Parquet reads."""
    if source.format == "jsonl":
        return _jsonl_rows(source, part)
    if source.format == "csv":
        return _csv_rows(source, part)
    return _parquet_rows(source, columns, part)


def header(source: Source) -> list[str] | None:
    """Column names of a CSV or Parquet source (None for JSONL, whose rows carry their own)."""
    if source.format == "parquet":
        return _parquet_file(source).schema_arrow.names
    if source.format == "csv":
        return _csv_header(source)[0]
    return None


def rows_total(source: Source) -> int:
    """How many rows `read_rows` gives (Parquet: from the metadata, without reading)."""
    if source.format == "parquet":
        return _parquet_file(source).metadata.num_rows
    return sum(1 for _ in read_rows(source))


def parts(source: Source, size: int | None) -> list[Part]:
    """The file cut at row boundaries into parts of at least `size` bytes (the last may be smaller); None: one part."""
    if source.format == "parquet":
        return _parquet_parts(source, size)
    out, start, current = [], _csv_header(source)[1].start if source.format == "csv" else 0, None
    for row, line, end in _row_ends(source):
        if current is None:
            current = [start, row, line, 0]
        current[3] += 1
        start = end
        if size is not None and end - current[0] >= size:
            out.append(Part(*current))
            current = None
    if current is not None:
        out.append(Part(*current))
    return out


def _row_ends(source: Source) -> Iterator[tuple[int, int, int]]:
    """(row, first line, offset past the row) for each row of a text source."""
    if source.format == "csv":
        for r in _csv_rows(source, None):
            yield r.row, r.line, r.position
        return
    with source.path.open("rb") as f:  # a JSONL row is a line: no need to parse it
        for n, (_, end) in enumerate(physical_lines(f), 1):
            yield n, n, end


def _sniff(sample: bytes, enc: str) -> str:
    text = sample.decode(enc, errors="replace")
    first_lines = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(first_lines, delimiters=",\t;|").delimiter
    except csv.Error:
        return "\t" if "\t" in first_lines.split("\n", 1)[0] else ","


def _decoded(source: Source, f, start: int, universal: bool) -> Iterator[tuple[list[str], list[int]]]:
    """Blocks of (decoded lines, offset past each); a BOM goes with the file's first line only."""
    rest = "utf-8" if source.encoding == "utf-8-sig" else source.encoding
    first = start == 0
    for lines, ends in line_blocks(f, start, universal):
        text = [line.decode(rest, "surrogateescape") for line in lines]
        if first:
            text[0], first = lines[0].decode(source.encoding, "surrogateescape"), False
        yield text, ends


def _jsonl_rows(source: Source, part: Part | None) -> Iterator[RawRow]:
    start, row, limit = (0, 1, None) if part is None else (part.start, part.row, part.rows)
    with source.path.open("rb") as f:
        lines = ((text, end) for block, ends in _decoded(source, f, start, universal=False)
                 for text, end in zip(block, ends))
        for row, (text, end) in enumerate(lines, row):
            if limit is not None and row >= part.row + limit:
                return
            yield RawRow(row, *_json_fields(text), end, row)


def _json_fields(text: str) -> tuple[dict | None, str | None]:
    if not text.strip():
        return None, EMPTY_LINE
    try:
        rec = json.loads(text.rstrip("\r\n"))  # so an error's "line 1 column N" points into this line
    except ValueError as exc:
        return None, f"{MALFORMED_JSON}: {exc}"
    if not isinstance(rec, dict):
        return None, f"{MALFORMED_JSON}: expected an object"
    return rec, None


def _csv_header(source: Source) -> tuple[list[str], Part]:
    """The column names, and where the data rows start (an empty file has no columns and no rows)."""
    with source.path.open("rb") as f:
        first = next(csvrows.parse(_decoded(source, f, 0, universal=True), source.delimiter), None)
    if first is None:
        return [], Part(0, 1, 1, 0)
    values, error, _, last_line, end = first
    if error is not None:
        raise BadInputError(f"{source.path}: malformed CSV header: {error}")
    return values, Part(end, 1, last_line + 1, -1)


def _csv_rows(source: Source, part: Part | None) -> Iterator[RawRow]:
    names, rest = _csv_header(source)
    part = part or rest
    width = len(names)
    with source.path.open("rb") as f:
        parsed = csvrows.parse(_decoded(source, f, part.start, universal=True), source.delimiter, part.line)
        for row, (values, error, first, last, end) in enumerate(parsed, part.row):
            if row - part.row == part.rows:  # -1: to the end
                return
            if error is None and len(values) == width and values:
                yield RawRow(row, dict(zip(names, values)), None, end, first)
            else:
                yield RawRow(row, None, csvrows.judge(values, error, first, last, width), end, first)


def _parquet_file(source: Source):
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(source.path)
    except Exception as exc:  # pyarrow raises its own ArrowInvalid/OSError family
        raise BadInputError(f"{source.path}: cannot read Parquet: {exc}") from None


def _parquet_rows(source: Source, columns: list[str] | None, part: Part | None) -> Iterator[RawRow]:
    pf = _parquet_file(source)
    groups = None
    row = 0
    if part is not None:
        groups, n, g = [], 0, part.start
        while n < part.rows:
            groups.append(g)
            n += pf.metadata.row_group(g).num_rows
            g += 1
        row = part.row - 1
    for batch in pf.iter_batches(batch_size=PARQUET_BATCH, columns=columns, row_groups=groups):
        for fields in batch.to_pylist():
            row += 1
            yield RawRow(row, fields, None, row, row)


def _parquet_parts(source: Source, size: int | None) -> list[Part]:
    meta = _parquet_file(source).metadata
    out, row, current, nbytes = [], 1, None, 0
    for g in range(meta.num_row_groups):
        rg = meta.row_group(g)
        if rg.num_rows == 0:
            continue
        if current is None:
            current, nbytes = [g, row, row, 0], 0
        current[3] += rg.num_rows
        row += rg.num_rows
        nbytes += rg.total_byte_size
        if size is not None and nbytes >= size:
            out.append(Part(*current))
            current = None
    if current is not None:
        out.append(Part(*current))
    return out
