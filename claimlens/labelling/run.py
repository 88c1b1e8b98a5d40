"""`claimlens label`: pick the engine, run it, write the summary and report, say what happened."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

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
            tmp = summary_path.with_name(f".{summary_path.name}.tmp")
            tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            tmp.replace(summary_path)
        if report_path:
            from claimlens.labelling.report import write_report

            write_report(doc, report_path)
    return outcome


def describe(outcome: Outcome) -> str:
    """The closing lines a run prints on stderr."""
    t = outcome.tally
    bad = t.rows - t.labelled
    lines = [f"labelled {t.labelled:,} of {t.rows:,} rows into {outcome.output} in {outcome.seconds:.1f}s "
             f"({t.rows / max(outcome.seconds, 1e-9):,.0f} rows/s)"]
    if outcome.resumed_chunks:
        lines.append(f"resumed: {outcome.resumed_chunks} chunks were already done")
    if bad:
        kinds = ", ".join(f"{k} {n:,}" for k, n in t.errors.most_common())
        lines.append(f"{bad:,} rows in {outcome.errors_path}: {kinds}")
    else:
        lines.append("no row errors")
    return "\n".join(lines)
