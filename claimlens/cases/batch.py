"""Analyse many cases into JSONL; a case that cannot be read goes to the error report with its row."""
from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

from claimlens.cases.analyze import analyze_case
from claimlens.cases.case import parse_case
from claimlens.files.durable import open_atomic
from claimlens.model.errors import ClaimlensError


class BatchOutcome(NamedTuple):
    output: Path
    errors_path: Path
    analysed: int
    bad_cases: int
    orphan_rows: int

    def describe(self) -> str:
        """The closing line: its counts are the error report's lines, by kind."""
        errors = self.bad_cases + self.orphan_rows
        line = f"analysed {self.analysed} case(s) into {self.output}; {errors} line(s) in {self.errors_path}"
        if errors:
            line += f": {self.bad_cases} bad case(s), {self.orphan_rows} row(s) that belong to no order"
        return line


def analyze_many(estimator, version: str, raw_cases, output: Path, orphans: list[dict]) -> BatchOutcome:
    """raw_cases: (row, dict or error); writes OUTPUT and OUTPUT.errors.jsonl durably, each renamed into place once every case is done."""
    err_path = output.with_name(output.name + ".errors.jsonl")
    done = bad = 0
    with open_atomic(output) as out, open_atomic(err_path) as err:
        for row, raw in raw_cases:
            try:
                if isinstance(raw, Exception):
                    raise raw
                result = analyze_case(estimator, version, parse_case(raw))
            except ClaimlensError as exc:
                err.write(json.dumps({"row": row, "order_id": raw.get("order_id") if isinstance(raw, dict) else None,
                                      "reason": exc.message, **exc.details}, ensure_ascii=False) + "\n")
                bad += 1
                continue
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
            done += 1
        for orphan in orphans:
            err.write(json.dumps(orphan, ensure_ascii=False) + "\n")
    return BatchOutcome(output, err_path, done, bad, len(orphans))
