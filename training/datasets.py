"""Read labelled data (JSONL or CSV) with row-numbered errors; the bundled seed set."""
from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

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


def _decode_lines(path: Path) -> tuple[list[str], list[str]]:
    """Lines of a UTF-8 file (BOM allowed), and an error for each line that is not UTF-8."""
    errors, lines = [], []
    for n, raw in enumerate(path.read_bytes().splitlines(), 1):
        try:
            lines.append(raw.decode("utf-8-sig" if n == 1 else "utf-8"))
        except UnicodeDecodeError as exc:
            errors.append(f"{path.name} row {n}: not valid UTF-8 (byte {exc.start}); save the file as UTF-8")
            lines.append("")
    return lines, errors


def _example(rec: dict, where: str, schema: LabelSchema, errors: list[str]) -> Example | None:
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        errors.append(f"{where}: empty or missing text")
        return None
    raw_labels = rec.get("labels")
    if isinstance(raw_labels, str):
        raw_labels = [l.strip() for l in raw_labels.split("|") if l.strip()]
    if not isinstance(raw_labels, list):
        errors.append(f"{where}: labels must be a list (JSONL) or '|'-joined (CSV), got {raw_labels!r}")
        return None
    try:
        labels = schema.check(raw_labels, where)
    except ClaimlensError as exc:
        errors.append(exc.message)
        return None
    spans = []
    for ev in rec.get("evidence") or []:
        try:
            label, start, end = ev["label"], int(ev["start"]), int(ev["end"])
        except (KeyError, TypeError, ValueError):
            errors.append(f"{where}: evidence item {ev!r} needs label, start and end")
            return None
        if label not in labels or not 0 <= start < end <= len(text):
            errors.append(f"{where}: evidence {ev!r} does not fit the text or its labels")
            return None
        spans.append((label, start, end))
    lang = rec.get("lang") or rec.get("language") or None
    rid = rec.get("id")
    return Example(text, labels, lang, tuple(spans), where, None if rid is None else str(rid),
                   {k: v for k, v in rec.items() if k in ("sure", "genre", "kind", "source")})


def _records(path: Path, errors: list[str]):
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        lines, errors[:0] = _decode_lines(path)
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError as exc:
                errors.append(f"{path.name} row {n}: not JSON ({exc.msg})")
                continue
            if not isinstance(rec, dict):
                errors.append(f"{path.name} row {n}: expected a JSON object")
                continue
            yield f"{path.name} row {n}", rec
    elif suffix in (".csv", ".tsv"):
        lines, errors[:0] = _decode_lines(path)
        reader = csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t" if suffix == ".tsv" else ",")
        missing = [c for c in ("text", "labels") if c not in (reader.fieldnames or [])]
        if missing:
            errors.append(f"{path.name}: missing column(s) {', '.join(missing)}; found {reader.fieldnames}")
            return
        for n, row in enumerate(reader, 1):  # n counts data rows: the header is row 0
            yield f"{path.name} row {n}", row
    else:
        errors.append(f"{path.name}: unknown format {suffix!r}; use .jsonl, .csv or .tsv")


def load_examples(path: Path, schema: LabelSchema) -> list[Example]:
    """All examples of one file, or BadInputError listing every bad row."""
    path = Path(path)
    if not path.is_file():
        raise BadInputError(f"no such file: {path}", {"path": str(path)})
    errors: list[str] = []
    out = [ex for where, rec in _records(path, errors) if (ex := _example(rec, where, schema, errors))]
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
