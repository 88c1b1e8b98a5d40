"""Read labelled data (JSONL, CSV/TSV or Parquet, through claimlens.files.tables) with row-numbered errors; the bundled seed set."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from claimlens.files.encodings import text_problem
from claimlens.files.tables import EMPTY_LINE, FORMATS, header, open_source, read_rows
from claimlens.model.errors import BadInputError, ClaimlensError
from claimlens.model.schema import LabelSchema

MAX_REPORTED = 20


@dataclass(frozen=True)
class Example:
    text: str
    labels: tuple[str, ...]
    language: str | None = None
    evidence: tuple[tuple[str, int, int], ...] = ()
    source: str = ""
    id: str | None = None
    extra: dict = field(default_factory=dict, compare=False)


# Fields of a row kept beside the labels: genre and sureness from the seed data, and the provenance
# a feedback export carries (claimlens feedback import reads it back).
EXTRA_FIELDS = ("sure", "genre", "kind", "source", "model", "predicted", "who", "created_at", "feedback_id")


def _example(rec: dict, where: str, schema: LabelSchema, errors: list[str]) -> Example | None:
    try:
        return parse_record(rec, schema, where)
    except ClaimlensError as exc:
        errors.append(exc.message)
        return None


def parse_record(rec: dict, schema: LabelSchema, where: str) -> Example:
    """One labelled record as an Example, or BadInputError whose details name the field at fault.

    The one check of a labelled text: training files, feedback imports and the feedback API use it.
    """
    at = f"{where}: " if where else ""
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadInputError(f"{at}empty or missing text", {"field": "text"})
    raw_labels = rec.get("labels")
    if isinstance(raw_labels, str):
        raw_labels = [l.strip() for l in raw_labels.split("|") if l.strip()]
    if not isinstance(raw_labels, list):
        raise BadInputError(f"{at}labels must be a list (JSONL) or '|'-joined (CSV), got {raw_labels!r}",
                            {"field": "labels"})
    try:
        labels = schema.check(raw_labels, where)
    except ClaimlensError as exc:
        raise BadInputError(exc.message, {"field": "labels", **exc.details}) from None
    evidence = rec.get("evidence") or []
    if isinstance(evidence, str):  # a CSV cell holds the spans as JSON
        try:
            evidence = json.loads(evidence)
        except ValueError:
            raise BadInputError(f"{at}evidence is not JSON: {evidence[:60]!r}", {"field": "evidence"}) from None
    if not isinstance(evidence, list):
        raise BadInputError(f"{at}evidence must be a list of spans, got {evidence!r:.60}", {"field": "evidence"})
    spans = []
    for k, ev in enumerate(evidence):
        field = f"evidence[{k}]"
        try:
            label, start, end = ev["label"], ev["start"], ev["end"]
            if not all(_whole(v) for v in (start, end)):
                raise TypeError
            start, end = int(start), int(end)
        except (KeyError, TypeError, ValueError):
            raise BadInputError(f"{at}evidence item {ev!r} needs label, start and end", {"field": field}) from None
        if label not in labels or not 0 <= start < end <= len(text):
            raise BadInputError(f"{at}evidence {ev!r} does not fit the text or its labels", {"field": field})
        spans.append((label, start, end))
    lang = rec.get("lang") or rec.get("language") or None
    rid = rec.get("id")
    return Example(text, labels, lang, tuple(spans), where, None if rid is None else str(rid),
                   {k: v for k, v in rec.items() if k in EXTRA_FIELDS})


def _whole(value) -> bool:
    """An offset: an integer, or digits (a CSV cell); not a bool or a fraction."""
    return (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, str) and value.isdigit())


def _records(path: Path, errors: list[str], encoding: str | None = None):
    """(where, fields) for every row the reader can read; an error for every other row (blank lines are skipped).

    Rows are numbered as the batch labeller numbers them: a JSONL row is its line, a CSV row
    its data row (the header is row 0), with the same encodings and the same malformed-line rules.
    """
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        errors.append(f"{path.name}: unknown format {suffix!r}; use .jsonl, .csv, .tsv or .parquet")
        return
    # a CSV's delimiter is the comma: "|" joins labels, so sniffing could take it for the delimiter
    source = open_source(path, encoding=encoding, delimiter="," if suffix == ".csv" else None)
    names = header(source)
    missing = [c for c in ("text", "labels") if names is not None and c not in names]
    if missing:
        errors.append(f"{path.name}: missing column(s) {', '.join(missing)}; found {names}")
        return
    for raw in read_rows(source):
        where = f"{path.name} row {raw.row}"
        if raw.error is not None:
            if not raw.error.startswith(EMPTY_LINE):
                errors.append(f"{where}: {raw.error}")
            continue
        text = raw.fields.get("text")
        problem = text_problem(text, "text") if isinstance(text, str) else None
        if problem:
            errors.append(f"{where}: {problem} (the file reads as {source.encoding}); save it as UTF-8 "
                          "or pass --encoding")
            continue
        yield where, raw.fields


def load_examples(path: Path, schema: LabelSchema, encoding: str | None = None) -> list[Example]:
    """All examples of one file, or BadInputError listing every bad row; `encoding` overrides detection."""
    path = Path(path)
    errors: list[str] = []
    out = [ex for where, rec in _records(path, errors, encoding) if (ex := _example(rec, where, schema, errors))]
    if errors:
        shown = "\n  ".join(errors[:MAX_REPORTED])
        more = f"\n  … and {len(errors) - MAX_REPORTED} more" if len(errors) > MAX_REPORTED else ""
        raise BadInputError(f"{len(errors)} bad row(s) in {path}:\n  {shown}{more}", {"errors": errors})
    if not out:
        raise BadInputError(f"{path} holds no examples", {"path": str(path)})
    return out


def load_seed(seed_dir: Path, schema: LabelSchema) -> list[Example]:
    files = sorted(Path(seed_dir).glob("*.jsonl"))
    if not files:
        raise BadInputError(f"no seed files in {seed_dir}")
    return [ex for f in files for ex in load_examples(f, schema)]


def data_hash(examples: list[Example]) -> str:
    h = hashlib.sha256()
    for ex in examples:
        h.update(json.dumps([ex.text, list(ex.labels), ex.language], ensure_ascii=False).encode())
    return h.hexdigest()
