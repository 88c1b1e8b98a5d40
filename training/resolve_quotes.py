"""Turn evidence quotes in hand-written seed files into character offsets, and check the file."""
from __future__ import annotations

import argparse
import collections
import json
import re
import sys
import unicodedata
from pathlib import Path

from claimlens.files.durable import open_atomic
from claimlens.files.encodings import lone_surrogate
from claimlens.files.tables import EMPTY_LINE, open_source, read_rows
from claimlens.model.errors import BadInputError
from claimlens.model.schema import load_schema
from claimlens.training.paths import SCHEMA

_SCHEMA = load_schema(SCHEMA)
LABELS, EXCLUSIVE = _SCHEMA.labels, _SCHEMA.exclusive
GENRES = (
    "buyer_message", "atoz_claim", "return_comment", "review", "relayed_message",
    "chat", "tweet", "email_reply", "chargeback_note",
)


def _resolve(rec: dict, lineno: int) -> list[str]:
    """Replace {"label","quote"[,"nth"]} evidence items by {"label","start","end"}; return problems."""
    problems = []
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        return [f"line {lineno}: empty or missing text"]
    if lone_surrogate(text):
        return [f"line {lineno}: undecodable bytes or a lone surrogate in 'text'"]
    if not 3 <= len(text) <= 600:
        problems.append(f"line {lineno}: text length {len(text)} outside 3..600")
    labels = rec.get("labels")
    if not labels or any(l not in LABELS for l in labels) or len(set(labels)) != len(labels):
        problems.append(f"line {lineno}: bad labels {labels!r}")
        labels = [l for l in labels or [] if l in LABELS]
    if EXCLUSIVE in labels and len(labels) > 1:
        problems.append(f"line {lineno}: {EXCLUSIVE!r} is exclusive, got {labels!r}")
    if rec.get("genre") not in GENRES:
        problems.append(f"line {lineno}: genre {rec.get('genre')!r} not one of {GENRES}")
    spans = []
    for ev in rec.get("evidence", []):
        label = ev.get("label")
        if label not in labels or label == EXCLUSIVE:
            problems.append(f"line {lineno}: evidence label {label!r} not among the text's reason labels")
            continue
        if "quote" in ev:
            quote, nth = ev["quote"], ev.get("nth", 0)
            starts = [m.start() for m in re.finditer(re.escape(quote), text)] if quote else []
            if len(starts) <= nth:
                problems.append(f"line {lineno}: quote {quote!r} not found in text")
                continue
            start = starts[nth]
            spans.append({"label": label, "start": start, "end": start + len(quote)})
        else:
            start, end = ev.get("start"), ev.get("end")
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
                problems.append(f"line {lineno}: bad span {ev!r}")
                continue
            spans.append({"label": label, "start": start, "end": end})
    for label in labels:
        if label != EXCLUSIVE and not any(s["label"] == label for s in spans):
            problems.append(f"line {lineno}: label {label!r} has no evidence")
    rec["evidence"] = spans
    return problems


def _shingles(text: str) -> set[str]:
    t = unicodedata.normalize("NFKC", text).casefold()
    t = re.sub(r"[\d\W_]+", "", t)
    return {t[i:i + 3] for i in range(max(1, len(t) - 2))}


def near_duplicates(texts: list[str], threshold: float = 0.8) -> list[tuple[int, int, float]]:
    """Pairs of indices whose character-trigram Jaccard similarity reaches the threshold."""
    sh = [_shingles(t) for t in texts]
    index: dict[str, list[int]] = collections.defaultdict(list)
    for i, s in enumerate(sh):
        for g in s:
            index[g].append(i)
    pairs = []
    for i, s in enumerate(sh):
        counts: collections.Counter[int] = collections.Counter()
        for g in s:
            for j in index[g]:
                if j < i:
                    counts[j] += 1
        for j, inter in counts.items():
            jac = inter / (len(s) + len(sh[j]) - inter)
            if jac >= threshold:
                pairs.append((j, i, jac))
    return pairs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("path", type=Path)
    ap.add_argument("--check-only", action="store_true", help="report, do not rewrite")
    ap.add_argument("--against", type=Path, default=None,
                    help="also reject near duplicates of the texts in this folder's other .jsonl files")
    args = ap.parse_args(argv)
    records, problems = [], []
    try:
        rows = list(read_rows(open_source(args.path, "jsonl")))
    except BadInputError as exc:
        print("PROBLEM", exc.message)
        return 1
    for raw in rows:
        if raw.error == EMPTY_LINE:
            continue
        if raw.error:
            problems.append(f"line {raw.line}: {raw.error}")
            continue
        problems += _resolve(raw.fields, raw.line)
        records.append((raw.line, raw.fields))
    texts = [r["text"] for _, r in records]
    for i, j, jac in near_duplicates(texts):
        problems.append(f"lines {records[i][0]} and {records[j][0]}: near duplicates (jaccard {jac:.2f})")
    if args.against:
        others = []
        for other in sorted(args.against.glob("*.jsonl")):
            if other.resolve() != args.path.resolve():
                others += [(other.name, raw.fields["text"]) for raw in read_rows(open_source(other))
                           if raw.fields and isinstance(raw.fields.get("text"), str)]
        pairs = near_duplicates([t for _, t in others] + texts)
        for i, j, jac in pairs:
            if i < len(others) <= j:
                problems.append(f"line {records[j - len(others)][0]}: near duplicate of a text in "
                                f"{others[i][0]} (jaccard {jac:.2f}): {others[i][1][:60]!r}")
    counts = collections.Counter(l for _, r in records for l in r.get("labels", []))
    multi = sum(len(r.get("labels", [])) > 1 for _, r in records)
    print(f"{len(records)} records, {multi} multi-label ({multi / max(1, len(records)):.0%})")
    print("labels:", dict(sorted(counts.items())))
    print("genres:", dict(collections.Counter(r.get("genre") for _, r in records)))
    for p in problems:
        print("PROBLEM", p)
    if not args.check_only and not problems:
        with open_atomic(args.path) as fh:
            for _, rec in records:
                out = {k: rec[k] for k in ("text", "lang", "labels", "evidence", "genre")}
                fh.write(json.dumps(out, ensure_ascii=False) + "\n")
        print("rewritten with offsets")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
