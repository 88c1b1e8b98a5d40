"""Read export files as numbered rows of fields: JSONL, CSV/TSV (delimiter sniffed) and Parquet.

Each reader yields `RawRow(row, fields, error, position)`: `row` is the 1-based data row
number (a CSV header is not a row), `fields` maps column names to values, and `error`
says why the row cannot be read (the row then goes to the error report). `position` is
how far into the file the reader is, for the progress bar. Bytes that do not decode are
kept as lone surrogates (`surrogateescape`) so that one bad row costs only that row.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, NamedTuple

from claimlens.labelling.encoding import SAMPLE_BYTES, detect, resolve
from claimlens.model.errors import BadInputError

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".tsv": "csv",
           ".txt": "csv", ".parquet": "parquet", ".pq": "parquet"}
# Longest CSV field we parse: beyond this a stray quote has swallowed the file.
CSV_FIELD_LIMIT = 1 << 20
PARQUET_BATCH = 4096


class RawRow(NamedTuple):
    row: int
    fields: dict | None
    error: str | None
    position: int


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
        raise BadInputError(f"no such file: {path}")
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


def read_rows(source: Source, columns: list[str] | None = None) -> Iterator[RawRow]:
    """The rows of a source, in file order."""
    if source.format == "jsonl":
        return _jsonl_rows(source)
    if source.format == "csv":
        return _csv_rows(source)
    return _parquet_rows(source, columns)


def header(source: Source) -> list[str] | None:
    """Column names of a CSV or Parquet source (None for JSONL, whose rows carry their own)."""
    if source.format == "parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(source.path).schema_arrow.names
    if source.format == "csv":
        with _text(source) as f:
            return next(csv.reader(f, delimiter=source.delimiter), None) or []
    return None


def _text(source: Source) -> io.TextIOWrapper:
    return io.TextIOWrapper(source.path.open("rb"), encoding=source.encoding, errors="surrogateescape",
                            newline="")


def _sniff(sample: bytes, enc: str) -> str:
    text = sample.decode(enc, errors="replace")
    first_lines = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(first_lines, delimiters=",\t;|").delimiter
    except csv.Error:
        return "\t" if "\t" in first_lines.split("\n", 1)[0] else ","


def _jsonl_rows(source: Source) -> Iterator[RawRow]:
    with source.path.open("rb") as f:
        for row, line in enumerate(f, 1):
            text = line.decode(source.encoding, errors="surrogateescape")
            if row == 1:
                text = text.lstrip("\ufeff")
            if not text.strip():
                yield RawRow(row, None, "empty line", f.tell())
                continue
            try:
                rec = json.loads(text)
            except ValueError as exc:
                yield RawRow(row, None, f"malformed JSON line: {exc}", f.tell())
                continue
            if not isinstance(rec, dict):
                yield RawRow(row, None, "malformed JSON line: expected an object", f.tell())
                continue
            yield RawRow(row, rec, None, f.tell())


def _csv_rows(source: Source) -> Iterator[RawRow]:
    csv.field_size_limit(CSV_FIELD_LIMIT)
    with _text(source) as f:
        raw = f.buffer
        reader = csv.reader(f, delimiter=source.delimiter, strict=True)
        try:
            names = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise BadInputError(f"{source.path}: malformed CSV header: {exc}") from None
        width, row = len(names), 0
        while True:
            first_line = reader.line_num + 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                row += 1
                yield RawRow(row, None, f"malformed CSV line {_lines(first_line, reader.line_num)}: {exc}",
                             raw.tell())
                continue
            row += 1
            if not values:
                yield RawRow(row, None, f"empty line (line {first_line})", raw.tell())
            elif len(values) != width:
                yield RawRow(row, None, f"malformed CSV line {_lines(first_line, reader.line_num)}: "
                                        f"{len(values)} fields where the header has {width}", raw.tell())
            else:
                yield RawRow(row, dict(zip(names, values)), None, raw.tell())


def _lines(first: int, last: int) -> str:
    return str(first) if first >= last else f"{first}-{last}"


def _parquet_rows(source: Source, columns: list[str] | None) -> Iterator[RawRow]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(source.path)
    except Exception as exc:  # pyarrow raises its own ArrowInvalid/OSError family
        raise BadInputError(f"{source.path}: cannot read Parquet: {exc}") from None
    row = 0
    for batch in pf.iter_batches(batch_size=PARQUET_BATCH, columns=columns):
        for fields in batch.to_pylist():
            row += 1
            yield RawRow(row, fields, None, row)


def parquet_rows_total(source: Source) -> int:
    import pyarrow.parquet as pq

    return pq.ParquetFile(source.path).metadata.num_rows
