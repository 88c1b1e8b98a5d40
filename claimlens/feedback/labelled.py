"""Read a `claimlens label` output back: JSONL, CSV/TSV or Parquet, a file or a Dask parts folder.

The inverse of claimlens/labelling/sinks.py: CSV's `labels` joined with ";", `score_<label>`
columns and evidence as JSON become the record again. The text must be in the output, as a
kept column (`claimlens label ... --keep-columns text`).
"""
from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from claimlens.labelling.rows import TEXT_COLUMNS
from claimlens.labelling.sinks import output_format
from claimlens.model.errors import BadInputError


class LabelledRow(NamedTuple):
    row: int
    id: str | None
    text: str
    labels: tuple[str, ...]
    scores: dict[str, float]
    evidence: tuple[dict, ...]
    language: str | None
    model: str | None


def read_labelled(path: Path, text_column: str | None = None) -> Iterator[LabelledRow]:
    """Rows of a labelled output in order; a row without text is skipped (it cannot be reviewed)."""
    path = Path(path)
    if not path.exists():
        raise BadInputError(f"no such file: {path}", {"path": str(path)})
    files = sorted(p for p in path.iterdir() if p.name.startswith("part-")) if path.is_dir() else [path]
    if not files:
        raise BadInputError(f"{path} is a folder without part-* files")
    n = 0
    for file in files:
        records = _records(file, output_format(file))
        for rec in records:
            n += 1
            column = text_column or next((c for c in TEXT_COLUMNS if c in rec), None)
            if column is None or column not in rec:
                raise BadInputError(
                    f"{file.name} has no text column ({text_column or ', '.join(TEXT_COLUMNS)}): label with "
                    f"`--keep-columns text` (or your text column) so the reviewer sees the texts, or name it "
                    f"with --text-column", {"path": str(file)})
            text = rec.get(column)
            if not isinstance(text, str) or not text.strip():
                continue
            yield _row(n, text, rec, file)


def _row(n: int, text: str, rec: dict, file: Path) -> LabelledRow:
    try:
        labels = rec["labels"]
        scores = {k: float(v) for k, v in rec["scores"].items()}
    except (KeyError, TypeError, ValueError, AttributeError):
        raise BadInputError(f"{file.name} row {n} is not a claimlens label record (labels and scores)",
                            {"path": str(file), "row": n}) from None
    rid = rec.get("id")
    return LabelledRow(n, None if rid in (None, "") else str(rid), text, tuple(labels), scores,
                       tuple(rec.get("evidence") or ()), rec.get("language") or None, rec.get("model") or None)


def _records(file: Path, fmt: str) -> Iterator[dict]:
    if fmt == "jsonl":
        with file.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if line.strip():
                    try:
                        yield json.loads(line)
                    except ValueError:
                        raise BadInputError(f"{file.name} line {n} is not JSON", {"path": str(file), "row": n}) from None
    elif fmt == "parquet":
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(file).iter_batches(4096):
            for rec in batch.to_pylist():
                if isinstance(rec.get("unlocated"), list):
                    rec["unlocated"] = dict(rec["unlocated"])
                yield rec
    else:
        with file.open(encoding="utf-8", newline="") as fh:
            for rec in csv.DictReader(fh, delimiter="\t" if fmt == "tsv" else ","):
                yield _unflatten(rec)


def _unflatten(rec: dict) -> dict:
    """A CSV row of sinks.Sink._flat as the record it came from."""
    out = {k: v for k, v in rec.items() if not k.startswith("score_")}
    out["labels"] = [l for l in (rec.get("labels") or "").split(";") if l]
    out["scores"] = {k[len("score_"):]: v for k, v in rec.items() if k.startswith("score_")}
    for name in ("evidence", "unlocated"):
        if rec.get(name):
            try:
                out[name] = json.loads(rec[name])
            except ValueError:
                out[name] = None
    return out
