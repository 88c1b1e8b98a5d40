"""`claimlens label`: pick the engine, run it, write the summary and report, say what happened."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from claimlens.files.durable import write_text
from claimlens.labelling.engine import Outcome, Request, run_local
from claimlens.labelling.summary import summary


def label_files(request: Request, model, manifest: dict, model_dir: Path, *, engine: str = "local",
                scheduler: str | None = None, summary_path: Path | None = None,
                report_path: Path | None = None) -> Outcome:
    version = manifest["model_version"]
    if engine == "dask":
        from claimlens.labelling.dask_engine import run_dask

        outcome = run_dask(request, model, version, model_dir, scheduler)
    else:
        outcome = run_local(request, model, version, model_dir)
    if summary_path or report_path:
        doc = summary(outcome.tally, inputs=request.inputs, model=version, labels_order=model.schema_.labels,
                      exclusive_label=model.schema_.exclusive,
                      finished_at=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                      group_by=request.columns.group_by, date_column=request.columns.date)
        if summary_path:
            write_text(summary_path, json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
        if report_path:
            from claimlens.labelling.report import write_report

            write_report(doc, report_path)
    return outcome


def describe(outcome: Outcome) -> str:
    """The closing lines a run prints on stderr: what was labelled, what went to the error report and why, how fast."""
    t = outcome.tally
    bad = t.rows - t.labelled
    lines = [f"labelled {t.labelled:,} of {t.rows:,} rows into {outcome.output}"]
    if bad:
        kinds = ", ".join(f"{k} ({n:,})" for k, n in sorted(t.errors.items(), key=lambda kv: (-kv[1], kv[0])))
        lines.append(f"{bad:,} {_rows(bad)} in {outcome.errors_path}: {kinds}")
    else:
        lines.append("no row errors")
    read = t.rows if outcome.rows_this_run is None else outcome.rows_this_run
    rate = f"in {outcome.seconds:.1f}s ({read / max(outcome.seconds, 1e-9):,.0f} rows/s)"
    if outcome.resumed_chunks:
        lines.append(f"resumed: {outcome.resumed_chunks} chunks were already done; "
                     f"labelled or reported the other {read:,} {_rows(read)} {rate}")
    else:
        lines.append(f"read {read:,} {_rows(read)} {rate}")
    return "\n".join(lines)


def _rows(n: int) -> str:
    return "row" if n == 1 else "rows"
