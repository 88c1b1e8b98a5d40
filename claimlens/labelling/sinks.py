"""Output formats: a chunk's records as a JSONL, CSV or Parquet part, and the parts joined into one file.

Records are the classifier's record (`Prediction.to_record`) plus the kept columns (and
`reason_check` when the return reason check is on). CSV flattens them: `labels` joined with
";", one `score_<label>` column per class, the evidence as a JSON string, and the reason check
as `reason_code`, `reason_consistent` (true/false/empty), `reason_why`, `reason_evidence`. Parquet keeps them nested. Kept columns are text in CSV and
Parquet (JSONL keeps their original JSON types).
"""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from claimlens.model.errors import BadInputError

REASON_COLUMNS = ("reason_code", "reason_consistent", "reason_why", "reason_evidence")
EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv", ".parquet": "parquet",
              ".pq": "parquet"}


def output_format(path: Path) -> str:
    fmt = EXTENSIONS.get(Path(path).suffix.lower())
    if fmt is None:
        raise BadInputError(f"cannot tell the output format from {Path(path).name!r}; "
                            f"use one of {', '.join(sorted(EXTENSIONS))}")
    return fmt


class Sink:
    """Writes chunk parts and joins them, for one output format and column layout."""

    def __init__(self, fmt: str, classes, keep, explain: bool, reasons: bool = False) -> None:
        self.fmt, self.classes, self.keep, self.explain = fmt, list(classes), list(keep), explain
        self.reasons = reasons  # records carry a reason_check (cases/reason_check.py)

    @property
    def part_suffix(self) -> str:
        return {"jsonl": ".jsonl", "csv": ".csv", "tsv": ".csv", "parquet": ".parquet"}[self.fmt]

    def columns(self) -> list[str]:
        """CSV header."""
        cols = ["id", "labels", "confidence", "language", *(f"score_{c}" for c in self.classes)]
        if self.explain:
            cols += ["evidence", "unlocated"]
        return cols + ["model", *self.keep] + (list(REASON_COLUMNS) if self.reasons else [])

    def write_part(self, records: list[dict], path: Path) -> None:
        """One chunk's records written to `path` (the caller makes it durable: files.durable.staged_path)."""
        if self.fmt == "parquet":
            import pyarrow.parquet as pq

            pq.write_table(self._table(records), path)
            return
        with path.open("w", encoding="utf-8", newline="") as f:
            if self.fmt == "jsonl":
                f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
            else:
                w = csv.writer(f, delimiter="\t" if self.fmt == "tsv" else ",", lineterminator="\n")
                w.writerows(self._flat(r) for r in records)

    def join(self, parts: list[Path], dst: Path) -> None:
        """Concatenate parts in order into dst (the caller makes it durable: files.durable.staged_path)."""
        if self.fmt == "parquet":
            import pyarrow.parquet as pq

            with pq.ParquetWriter(dst, self._schema()) as writer:
                for p in parts:
                    writer.write_table(pq.read_table(p, schema=self._schema()))
            return
        with dst.open("wb") as out:
            if self.fmt in ("csv", "tsv"):
                buf = io.StringIO()
                csv.writer(buf, delimiter="\t" if self.fmt == "tsv" else ",", lineterminator="\n").writerow(self.columns())
                out.write(buf.getvalue().encode("utf-8"))
            for p in parts:
                with p.open("rb") as f:
                    shutil.copyfileobj(f, out, 1 << 20)

    def _flat(self, r: dict) -> list:
        row = [r["id"], ";".join(r["labels"]), r["confidence"], r["language"],
               *(r["scores"][c] for c in self.classes)]
        if self.explain:
            row += [json.dumps(r["evidence"], ensure_ascii=False), json.dumps(r["unlocated"], ensure_ascii=False)]
        row += [r["model"], *(_as_text(r.get(c)) for c in self.keep)]
        if self.reasons:
            check = r.get("reason_check") or {}
            consistent = check.get("consistent")
            row += [check.get("code") or "", "" if consistent is None else str(consistent).lower(),
                    check.get("why", ""), json.dumps(check.get("evidence", []), ensure_ascii=False)]
        return row

    def _schema(self):
        import pyarrow as pa

        fields = [("id", pa.string()), ("labels", pa.list_(pa.string())), ("confidence", pa.string()),
                  ("language", pa.string()),
                  ("scores", pa.struct([(c, pa.float64()) for c in self.classes]))]
        if self.explain:
            span = pa.struct([("label", pa.string()), ("start", pa.int32()), ("end", pa.int32()),
                              ("text", pa.string()), ("weight", pa.float64())])
            fields += [("evidence", pa.list_(span)), ("unlocated", pa.map_(pa.string(), pa.float64()))]
        fields += [("model", pa.string()), *((c, pa.string()) for c in self.keep)]
        if self.reasons:
            quote = pa.struct([("start", pa.int32()), ("end", pa.int32()), ("text", pa.string())])
            fields.append(("reason_check", pa.struct([("code", pa.string()), ("consistent", pa.bool_()),
                                                      ("why", pa.string()), ("evidence", pa.list_(quote))])))
        return pa.schema(fields)

    def _table(self, records: list[dict]):
        import pyarrow as pa

        cols = {name: [] for name in self._schema().names}
        for r in records:
            for name, values in cols.items():
                v = r.get(name)
                if name == "id" or name in self.keep:
                    v = _as_text(v) if v is not None else None
                elif name == "unlocated":
                    v = list(v.items())
                values.append(v)
        return pa.table(cols, schema=self._schema())


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
