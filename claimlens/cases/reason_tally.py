"""Counts of the return reason check in a labelling run: per verdict, per code, per group (SKU) and week.

Kept inside the labelling `Tally` (one per chunk, summed in chunk order), so a resumed run adds
up the same numbers. The contradictions per SKU and week are the list a seller takes to a
reimbursement or abuse case.
"""
from __future__ import annotations

from collections import Counter, defaultdict

VERDICTS = {True: "consistent", False: "contradicted", None: "silent"}
NO_CODE = "(none)"


class ReasonTally:
    def __init__(self) -> None:
        self.verdicts: Counter = Counter()
        self.codes: dict[str, Counter] = defaultdict(Counter)
        self.groups: dict[str, Counter] = defaultdict(Counter)
        self.weeks: dict[str, Counter] = defaultdict(Counter)

    @property
    def checked(self) -> int:
        return sum(self.verdicts.values())

    def add(self, check: dict, group: str | None, week: str) -> None:
        verdict = VERDICTS[check["consistent"]]
        self.verdicts[verdict] += 1
        self.codes[check["code"] or NO_CODE][verdict] += 1
        self.groups[group if group is not None else NO_CODE][verdict] += 1
        self.weeks[week][verdict] += 1

    def merge(self, other: "ReasonTally") -> None:
        self.verdicts.update(other.verdicts)
        for mine, theirs in ((self.codes, other.codes), (self.groups, other.groups), (self.weeks, other.weeks)):
            for key, counts in theirs.items():
                mine[key].update(counts)

    def to_json(self) -> dict:
        return {"verdicts": dict(self.verdicts), **{name: {k: dict(v) for k, v in getattr(self, name).items()}
                                                    for name in ("codes", "groups", "weeks")}}

    @classmethod
    def from_json(cls, data: dict | None) -> "ReasonTally":
        t = cls()
        if data:
            t.verdicts.update(data["verdicts"])
            for name in ("codes", "groups", "weeks"):
                for k, v in data[name].items():
                    getattr(t, name)[k].update(v)
        return t

    def summary(self, group_column: str, date_column: str) -> dict:
        """The `reason_check` part of the labelling summary; groups with the most contradictions first."""
        return {"checked": self.checked, **{v: self.verdicts.get(v, 0) for v in VERDICTS.values()},
                "by_code": {k: _counts(v) for k, v in sorted(self.codes.items(),
                                                               key=lambda kv: (-kv[1]["contradicted"], kv[0]))},
                "group_column": group_column,
                "by_group": {k: _counts(v) for k, v in sorted(self.groups.items(),
                                                                key=lambda kv: (-kv[1]["contradicted"], kv[0]))},
                "date_column": date_column,
                "by_week": {k: _counts(v) for k, v in sorted(self.weeks.items())}}


def _counts(c: Counter) -> dict:
    return {"checked": sum(c.values()), **{v: c.get(v, 0) for v in VERDICTS.values()}}
