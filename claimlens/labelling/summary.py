"""Counts of a labelling run: per label, language, group (SKU, ASIN) and week, plus error reasons.

A `Tally` is kept per chunk and saved beside the chunk's output, so a resumed run adds
up the same numbers as an uninterrupted one; `merge` sums them in chunk order.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from claimlens.cases.reason_tally import ReasonTally
from claimlens.labelling.rows import reason_kind

UNPARSED = "unparsed"


class Tally:
    def __init__(self) -> None:
        self.rows = 0
        self.labelled = 0
        self.errors: Counter = Counter()
        self.labels: Counter = Counter()
        self.languages: Counter = Counter()
        self.labels_by_language: dict[str, Counter] = defaultdict(Counter)
        self.groups: dict[str, Counter] = defaultdict(Counter)
        self.weeks: dict[str, Counter] = defaultdict(Counter)
        self.reasons = ReasonTally()  # the return reason check, when it is on

    def add(self, labels, language: str, group: str | None = None, day: str | None = None,
            group_on: bool = False, date_on: bool = False) -> None:
        self.rows += 1
        self.labelled += 1
        self.labels.update(labels)
        self.languages[language] += 1
        self.labels_by_language[language].update(labels)
        if group_on:
            bucket = self.groups[group if group is not None else "(none)"]
            bucket["\x00rows"] += 1
            bucket.update(labels)
        if date_on:
            bucket = self.weeks[week_of(day)]
            bucket["\x00rows"] += 1
            bucket.update(labels)

    def add_error(self, reason: str) -> None:
        self.rows += 1
        self.errors[reason_kind(reason)] += 1

    def merge(self, other: "Tally") -> None:
        self.rows += other.rows
        self.labelled += other.labelled
        self.errors.update(other.errors)
        self.labels.update(other.labels)
        self.languages.update(other.languages)
        for mine, theirs in ((self.labels_by_language, other.labels_by_language), (self.groups, other.groups),
                             (self.weeks, other.weeks)):
            for key, counts in theirs.items():
                mine[key].update(counts)
        self.reasons.merge(other.reasons)

    def to_json(self) -> dict:
        return {"rows": self.rows, "labelled": self.labelled, "errors": dict(self.errors),
                "labels": dict(self.labels), "languages": dict(self.languages),
                "labels_by_language": {k: dict(v) for k, v in self.labels_by_language.items()},
                "groups": {k: dict(v) for k, v in self.groups.items()},
                "weeks": {k: dict(v) for k, v in self.weeks.items()}, "reason_check": self.reasons.to_json()}

    @classmethod
    def from_json(cls, data: dict) -> "Tally":
        t = cls()
        t.rows, t.labelled = data["rows"], data["labelled"]
        t.errors.update(data["errors"])
        t.labels.update(data["labels"])
        t.languages.update(data["languages"])
        for name in ("labels_by_language", "groups", "weeks"):
            target = getattr(t, name)
            for k, v in data[name].items():
                target[k].update(v)
        t.reasons = ReasonTally.from_json(data.get("reason_check"))
        return t

    @classmethod
    def load(cls, path: Path) -> "Tally":
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))


def summary(tally: Tally, *, inputs, model: str, labels_order, finished_at: str,
            group_by: str | None, date_column: str | None, exclusive_label: str | None = None) -> dict:
    """The summary document (`--summary`) that the HTML report draws; labels in the model's schema order."""
    out = {"inputs": [str(p) for p in inputs], "model": model, "finished_at": finished_at,
           "labels_order": list(labels_order), "exclusive_label": exclusive_label,
           "rows": {"total": tally.rows, "labelled": tally.labelled, "errors": tally.rows - tally.labelled},
           "errors": dict(sorted(tally.errors.items(), key=lambda kv: -kv[1])),
           "labels": _ordered(tally.labels, labels_order),
           "languages": dict(tally.languages.most_common()),
           "labels_by_language": {k: _ordered(v, labels_order) for k, v in sorted(tally.labels_by_language.items())}}
    if group_by:
        out["group_by"] = group_by
        out["groups"] = {k: _bucket(v, labels_order)
                         for k, v in sorted(tally.groups.items(), key=lambda kv: (-kv[1]["\x00rows"], kv[0]))}
    if date_column:
        out["date_column"] = date_column
        out["weeks"] = {k: _bucket(v, labels_order) for k, v in sorted(tally.weeks.items())}
    if tally.reasons.checked:  # contradictions by --group-by / --date-column, else the report's own columns
        out["reason_check"] = tally.reasons.summary(group_by or "sku", date_column or "return-date")
    return out


def _ordered(counts, order) -> dict:
    return {k: counts[k] for k in order if counts.get(k)}


def _bucket(counts, order) -> dict:
    return {"rows": counts["\x00rows"], "labels": _ordered(counts, order)}


def week_of(value: str | None) -> str:
    """The ISO date of the Monday of the week a date falls in, or "unparsed"."""
    day = parse_day(value) if value else None
    if day is None:
        return UNPARSED
    return (day - timedelta(days=day.weekday())).isoformat()


def parse_day(value: str) -> date | None:
    """Dates as exports write them: ISO 8601 (FBA reports), 2025/01/31, 31.01.2025, or epoch seconds."""
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("/", "-").replace("Z", "+00:00")).date()
    except ValueError:
        pass
    for fmt in ("%d.%m.%Y", "%Y年%m月%d日", "%d %b %Y", "%b %d, %Y"):
        try:
            return datetime.strptime(value.split(" ", 1)[0] if fmt == "%d.%m.%Y" else value, fmt).date()
        except ValueError:
            continue
    if value.isdigit() and 9 <= len(value) <= 10:
        return datetime.fromtimestamp(int(value), tz=timezone.utc).date()
    return None
