"""Label one chunk of rows: records for the good rows, error entries for the rest, and their tally.

The local engine calls this in-process or in worker processes, the Dask engine on each
partition; all of them go through `ClaimClassifier.predict_explained`, the same path the
service and `claimlens predict` use.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from claimlens.labelling.rows import LabelRow, RowError
from claimlens.labelling.sinks import Sink
from claimlens.labelling.summary import Tally
from claimlens.labelling.workdir import WorkDir, commit, write_durably


@dataclass
class ChunkLabeller:
    model: object
    version: str
    explain: bool
    group_on: bool = False
    date_on: bool = False

    def label(self, rows: list[LabelRow], tally: Tally) -> list[dict]:
        """Records for good rows, in order, counted into `tally`."""
        preds = self.model.predict_explained([r.text for r in rows], explain=self.explain) if rows else []
        records = []
        for r, p in zip(rows, preds):
            rec = p.to_record(r.id, self.version, self.explain)
            rec.update(r.kept)
            records.append(rec)
            tally.add(p.labels, p.language, r.group, r.date, self.group_on, self.date_on)
        return records

    def run_chunk(self, workdir: WorkDir, sink: Sink, key: tuple[int, int], items: list,
                  file_name: str | None) -> int:
        """Label a chunk of rows and row errors and commit its parts; returns the rows handled."""
        tally = Tally()
        good = [it for it in items if isinstance(it, LabelRow)]
        errors = []
        for it in items:
            if isinstance(it, RowError):
                tally.add_error(it.reason)
                entry = {"row": it.row, "reason": it.reason}
                if file_name is not None:
                    entry = {"file": file_name, **entry}
                errors.append(entry)
        records = self.label(good, tally)
        write_durably(workdir.part(key, ".errors.jsonl"),
                      "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in errors).encode("utf-8"))
        write_durably(workdir.part(key, ".tally.json"), json.dumps(tally.to_json(), ensure_ascii=False).encode("utf-8"))
        final = workdir.part(key, ".records" + sink.part_suffix)
        tmp = final.with_name(final.name + ".tmp")
        sink.write_part(records, tmp)
        commit(tmp, final)  # last: its presence marks the chunk finished
        return len(items)
