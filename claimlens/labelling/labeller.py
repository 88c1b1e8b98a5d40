"""Label one chunk of rows: records for the good rows, error entries for the rest, and their tally.

The local engine calls this in-process or in worker processes, the Dask engine on each
partition; all of them go through `ClaimClassifier.predict_explained`, the same path the
service and `claimlens predict` use.
"""
from __future__ import annotations

import gc
import json
from contextlib import contextmanager
from dataclasses import dataclass, field

from claimlens.files.durable import staged_path, write_text
from claimlens.labelling.rows import LabelRow, RowError
from claimlens.labelling.sinks import Sink
from claimlens.labelling.summary import Tally, week_of
from claimlens.labelling.workdir import ERRORS, RECORDS, TALLY, WorkDir


@dataclass
class ChunkLabeller:
    model: object
    version: str
    explain: bool
    group_on: bool = False
    date_on: bool = False
    _checker: object = field(default=None, init=False, repr=False)

    def label(self, rows: list[LabelRow], tally: Tally) -> list[dict]:
        """Records for good rows, in order, counted into `tally`."""
        preds = self.model.predict_explained([r.text for r in rows], explain=self.explain) if rows else []
        records = []
        for r, p in zip(rows, preds):
            rec = p.to_record(r.id, self.version, self.explain)
            rec.update(r.kept)
            if r.reason is not None:
                rec["reason_check"] = check = self._reasons().check(
                    r.reason.code, r.text, p.labels, [e.to_dict() for e in p.evidence])
                tally.reasons.add(check, r.reason.group, week_of(r.reason.day))
            records.append(rec)
            tally.add(p.labels, p.language, r.group, r.date, self.group_on, self.date_on)
        return records

    def _reasons(self):
        """The return reason check (cases/reason_check.py) for the model's schema, made once."""
        if self._checker is None:
            from claimlens.cases.reason_check import ReasonChecker

            self._checker = ReasonChecker(self.model.schema_)
        return self._checker

    def label_items(self, items: list, file_name: str | None) -> tuple[list[dict], list[dict], Tally]:
        """(records, error report entries, tally) for a chunk of `LabelRow`s and `RowError`s."""
        tally, errors = Tally(), []
        for it in items:
            if isinstance(it, RowError):
                tally.add_error(it.reason)
                entry = {"row": it.row, "reason": it.reason}
                errors.append(entry if file_name is None else {"file": file_name, **entry})
        records = self.label([it for it in items if isinstance(it, LabelRow)], tally)
        return records, errors, tally

    def run_chunk(self, workdir: WorkDir, sink: Sink, key: tuple[int, int], items: list,
                  file_name: str | None) -> int:
        """Label a chunk of rows and row errors and commit its parts; returns the rows handled."""
        with _collector_paused():
            records, errors, tally = self.label_items(items, file_name)
        # no folder fsync: a part a power cut loses only means its chunk is labelled again
        write_text(workdir.part(key, ERRORS), error_lines(errors), sync_dir=False)
        write_text(workdir.part(key, TALLY), json.dumps(tally.to_json(), ensure_ascii=False), sync_dir=False)
        with staged_path(workdir.part(key, RECORDS + sink.part_suffix), sync_dir=False) as tmp:
            sink.write_part(records, tmp)
        return len(items)


@contextmanager
def _collector_paused():
    """No cyclic garbage collection while a chunk is labelled: its thousands of short-lived tuples and
    lists set off several thousand collections a run that find next to nothing (labelling makes
    almost no cycles). Whatever cycles a chunk does make are collected after it, so memory stays flat."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def error_lines(errors: list[dict]) -> str:
    """Error report entries as JSON lines."""
    return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in errors)
