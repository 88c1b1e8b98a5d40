"""Import corrections from a training file, export the store as one (JSONL, or CSV/TSV).

Import reads the training formats through training.datasets (row-numbered errors; nothing is
stored until the whole file is clean). Export writes what import and `claimlens train --data`
read back: text, labels, lang, evidence, id, plus the provenance (feedback_id, created_at, model,
predicted, source, who). In CSV, labels and predicted are joined with "|" and evidence is JSON.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

from claimlens.feedback.store import Feedback, NewFeedback, parse_time
from claimlens.files.durable import open_atomic
from claimlens.model.errors import BadInputError
from claimlens.model.schema import LabelSchema
from claimlens.training.datasets import Example, load_examples

CSV_COLUMNS = ("feedback_id", "created_at", "text", "lang", "labels", "evidence", "id", "model", "predicted",
               "source", "who")


def read_corrections(path: Path, schema: LabelSchema, who: str | None) -> list[NewFeedback]:
    """Every row of a training file as a correction to import (source `import`)."""
    out, errors = [], []
    for ex in load_examples(path, schema):
        extra = ex.extra
        try:
            created = parse_time(extra["created_at"], "created_at") if extra.get("created_at") else None
        except BadInputError as exc:
            errors.append(f"{ex.source}: {exc.message}")
            continue
        predicted = extra.get("predicted")
        if isinstance(predicted, str):
            predicted = [p for p in predicted.split("|") if p] or None  # an empty CSV cell: none recorded
        if predicted is not None and not (isinstance(predicted, list) and all(isinstance(p, str) for p in predicted)):
            errors.append(f"{ex.source}: predicted must be a list of labels, got {predicted!r:.60}")
            continue
        example = Example(ex.text, ex.labels, ex.language, ex.evidence, ex.source, ex.id or None)
        item = NewFeedback(example, "import", extra.get("who") or who, extra.get("model") or None,
                           None if predicted is None else tuple(predicted), created)
        try:
            item.values()  # the store's own checks (a NUL, say), so the row is named here
        except BadInputError as exc:
            errors.append(f"{ex.source}: {exc.message}")
            continue
        out.append(item)
    if errors:
        raise BadInputError(f"{len(errors)} bad row(s) in {path}:\n  " + "\n  ".join(errors[:20]), {"errors": errors})
    return out


def write_export(rows: list[Feedback], path: Path) -> None:
    """The rows as JSONL, CSV or TSV (by the extension), written durably."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".jsonl", ".csv", ".tsv"):
        raise BadInputError(f"cannot tell the export format from {path.name!r}; use .jsonl, .csv or .tsv")
    with open_atomic(path, newline="") as fh:
        if suffix == ".jsonl":
            fh.writelines(json.dumps(r.to_record(), ensure_ascii=False) + "\n" for r in rows)
            return
        writer = csv.DictWriter(fh, CSV_COLUMNS, delimiter="\t" if suffix == ".tsv" else ",", lineterminator="\n")
        writer.writeheader()
        for r in rows:
            rec = r.to_record()
            rec["labels"] = "|".join(rec["labels"])
            rec["predicted"] = "" if rec["predicted"] is None else "|".join(rec["predicted"])
            rec["evidence"] = json.dumps(rec["evidence"], ensure_ascii=False)
            writer.writerow({k: "" if rec[k] is None else rec[k] for k in CSV_COLUMNS})
