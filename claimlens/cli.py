"""The `claimlens` command: predict, label, train, evaluate, serve, cases; the feedback loop and the
model registry live in claimlens/commands/."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from claimlens.commands import fail as _fail
from claimlens.commands import feedback as feedback_commands
from claimlens.commands import registry as registry_commands
from claimlens.model.errors import ClaimlensError
from claimlens.training.paths import default_models_root

MODELS_HELP = f"$CLAIMLENS_MODELS, else {default_models_root()}"
MODEL_OPTION = click.option("--model", "model_dir", type=click.Path(path_type=Path), default=None,
                            help=f"Model directory (default: the newest in {MODELS_HELP}).")


@click.group()
@click.version_option(package_name="claimlens", message="%(prog)s %(version)s")
def main() -> None:
    """Label marketplace buyer claims and messages, with evidence spans.

    Models live in $CLAIMLENS_MODELS, else in the user's data folder; the first command that needs
    a model builds the default one there from the bundled seed data.
    """


@main.command()
@click.argument("texts", nargs=-1, required=True)
@MODEL_OPTION
@click.option("--no-evidence", is_flag=True, help="Skip evidence spans.")
def predict(texts: tuple[str, ...], model_dir: Path | None, no_evidence: bool) -> None:
    """Print one JSON record per TEXT."""
    from claimlens.training.current import open_model

    try:
        if any(not t.strip() for t in texts):
            raise ClaimlensError("text is empty")
        estimator, manifest = open_model(model_dir)
        preds = estimator.predict_explained(list(texts), explain=not no_evidence)
    except ClaimlensError as exc:
        _fail(exc)
    for i, p in enumerate(preds, 1):
        click.echo(json.dumps(p.to_record(i, manifest["model_version"], not no_evidence), ensure_ascii=False))


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", "output_path", type=click.Path(path_type=Path), required=True,
              help="Output file: .jsonl, .csv, .tsv or .parquet (with --engine dask: a directory).")
@MODEL_OPTION
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default=None,
              help="Input format (default: from the extension).")
@click.option("--encoding", default=None, help="Input text encoding (default: detected among UTF-8, GB18030, "
              "Shift-JIS and cp1252).")
@click.option("--delimiter", default=None, help="CSV delimiter (default: sniffed; tab for .tsv).")
@click.option("--text-column", default=None, help="Column with the message text (default: text, "
              "customer-comments, message, body or comment).")
@click.option("--id-column", default=None, help="Column with the row id (default: id, else the row number).")
@click.option("--keep-columns", default="", help="Comma-separated input columns copied into the output.")
@click.option("--group-by", default=None, help="Column to count labels by in the summary (SKU, ASIN).")
@click.option("--date-column", default=None, help="Date column to count labels per week in the summary.")
@click.option("--no-evidence", is_flag=True, help="Skip evidence spans (faster).")
@click.option("--reason-column", default=None, help="Return reason code column to check against the comments "
              "(default: `reason` when labelling the customer-comments of a returns report).")
@click.option("--no-reason-check", is_flag=True, help="Do not check return reason codes against the comments.")
@click.option("--jobs", type=click.IntRange(0), default=1, show_default=True,
              help="Worker processes (0: one per core).")
@click.option("--resume", is_flag=True, help="Continue an interrupted run from its last finished chunk.")
@click.option("--chunk-rows", type=click.IntRange(1), default=2000, show_default=True,
              help="Rows per chunk (the unit of work and of resumption).")
@click.option("--max-text-chars", type=click.IntRange(1), default=20_000, show_default=True,
              help="Longer texts go to the error report.")
@click.option("--summary", "summary_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write counts per label, language, --group-by and week as JSON.")
@click.option("--report", "report_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write a self-contained HTML page with charts of the summary.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", default=None, help="Dask scheduler address (default: start a local cluster).")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal only).")
def label(inputs, output_path: Path, model_dir, fmt, encoding, delimiter, text_column, id_column, keep_columns,
          group_by, date_column, no_evidence, reason_column, no_reason_check, jobs, resume, chunk_rows,
          max_text_chars, summary_path, report_path, engine, scheduler, progress) -> None:
    """Label message exports (JSONL, CSV/TSV, Parquet; files or globs), keeping input order.

    Every row ends up in OUTPUT or in OUTPUT.errors.jsonl with its row number and reason.
    """
    from claimlens.cases.reason_check import AUTO
    from claimlens.labelling.engine import Request, cpu_jobs, expand_inputs
    from claimlens.labelling.rows import Columns
    from claimlens.labelling.run import describe, label_files
    from claimlens.training.current import model_key, open_header, open_model, resolve_model_dir

    try:
        keep = tuple(c.strip() for c in keep_columns.split(",") if c.strip())
        request = Request(expand_inputs(inputs), output_path,
                          Columns(text_column, id_column, keep, group_by, date_column, max_text_chars,
                                  reason=None if no_reason_check else reason_column or AUTO),
                          fmt, encoding, delimiter, not no_evidence, cpu_jobs(jobs), resume, chunk_rows, progress,
                          model_key())
        directory = resolve_model_dir(model_dir)
        # with workers (or Dask) doing the labelling, this process needs only the labels and schema
        workers = engine == "dask" or request.jobs > 1
        estimator, manifest = (open_header if workers else open_model)(directory)
        outcome = label_files(request, estimator, manifest, directory, engine=engine, scheduler=scheduler,
                              summary_path=summary_path, report_path=report_path)
    except ClaimlensError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        click.echo(f"\ninterrupted; finished chunks are kept: run again with --resume to continue", err=True)
        sys.exit(130)
    click.echo(describe(outcome), err=True)


ENCODING_OPTION = click.option("--encoding", default=None, help="Text encoding of the --data files (default: "
                               "detected among UTF-8, GB18030, Shift-JIS and cp1252).")


@main.command()
@click.option("--data", "data_paths", type=click.Path(path_type=Path, dir_okay=False), multiple=True,
              help="Labelled file (JSONL or CSV); repeat for more.")
@ENCODING_OPTION
@click.option("--no-seed", is_flag=True, help="Train on --data only, without the bundled seed data.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option("--cv", "cv_folds", type=int, default=5, show_default=True,
              help="Outer cross-validation folds for the report (0 skips it).")
@click.option("--models-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help=f"Where the new version goes (default: {MODELS_HELP}); it becomes the current version.")
def train(data_paths, encoding, no_seed: bool, seed: int, cv_folds: int, models_dir: Path | None) -> None:
    """Train a new model version and print its evaluation summary."""
    from claimlens.model.schema import load_schema
    from claimlens.model.store import ModelStore
    from claimlens.training.datasets import load_examples, load_seed
    from claimlens.training.paths import SCHEMA, SEED_DIR, models_root
    from claimlens.training.train import train_and_save

    try:
        schema = load_schema(SCHEMA)
        examples = [] if no_seed else load_seed(SEED_DIR, schema)
        for path in data_paths:
            examples += load_examples(path, schema, encoding)
        if not examples:
            raise ClaimlensError("nothing to train on: give --data or drop --no-seed")
        sources = ([] if no_seed else ["seed"]) + [str(p) for p in data_paths]
        log = lambda msg: click.echo(msg, err=True)  # noqa: E731
        store = ModelStore(models_dir or models_root())
        directory = train_and_save(examples, schema, store, seed, cv_folds, sources, log)
        store.promote(directory.name, action="train")
    except ClaimlensError as exc:
        _fail(exc)
    report = directory / "evaluation.md"
    if report.exists():
        click.echo(report.read_text(encoding="utf-8"))
    click.echo(f"saved model {directory}")


@main.command()
@click.option("--data", "data_paths", type=click.Path(path_type=Path, dir_okay=False), multiple=True,
              required=True, help="Labelled test file (JSONL or CSV); repeat for more.")
@ENCODING_OPTION
@MODEL_OPTION
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("."),
              show_default=True, help="Where evaluation.json and evaluation.md go.")
def evaluate(data_paths, encoding, model_dir: Path | None, out_dir: Path) -> None:
    """Evaluate a model on labelled data; write JSON and Markdown reports."""
    from claimlens.files.durable import write_text
    from claimlens.training.current import open_model
    from claimlens.training.datasets import load_examples
    from claimlens.training.metrics import evaluate_predictions, markdown

    try:
        estimator, manifest = open_model(model_dir)
        schema = estimator.schema_  # the labels the model knows, not those of the installed taxonomy
        examples = [ex for p in data_paths for ex in load_examples(p, schema, encoding)]
        report = evaluate_predictions(examples, estimator.predict_explained([e.text for e in examples]), schema)
    except ClaimlensError as exc:
        _fail(exc)
    report["model"] = manifest["model_version"]
    write_text(out_dir / "evaluation.json", json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    md = markdown(report, f"Evaluation of {manifest['model_version']} on {', '.join(map(str, data_paths))}")
    write_text(out_dir / "evaluation.md", md)
    click.echo(md)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, envvar="CLAIMLENS_HOST",
              help="Address to bind; 127.0.0.1 unless you mean to expose it.")
@click.option("--port", type=int, default=8000, show_default=True, envvar="CLAIMLENS_PORT")
@click.option("--workers", type=click.IntRange(1), default=2, show_default=True, envvar="CLAIMLENS_WORKERS",
              help="gunicorn worker processes (one per core is a good start).")
@click.option("--threads", type=click.IntRange(1), default=1, show_default=True, envvar="CLAIMLENS_THREADS",
              help="Threads per worker (more than 1 uses gunicorn's gthread workers).")
@click.option("--timeout", type=click.IntRange(1), default=30, show_default=True, envvar="CLAIMLENS_TIMEOUT",
              help="Seconds before a silent worker is restarted.")
@MODEL_OPTION
@click.option("--dev", is_flag=True, help="Flask's development server instead of gunicorn.")
@click.option("--log-level", default="info", show_default=True, envvar="CLAIMLENS_LOG_LEVEL")
def serve(host, port, workers, threads, timeout, model_dir, dev, log_level) -> None:
    """Serve the REST API and the review page."""
    from claimlens.training.current import resolve_model_dir
    from claimlens.training.paths import models_root

    try:
        directory = resolve_model_dir(model_dir)  # builds the default model on a fresh machine
    except ClaimlensError as exc:
        _fail(exc)
    overrides = {"model_dir": directory if model_dir else None}
    if os.environ.get("CLAIMLENS_MODELS") is None and model_dir is None:
        overrides["models_root"] = models_root()
    if dev:
        from claimlens.service import create_app
        from claimlens.service.requestlog import configure_logging
        from claimlens.service.settings import Settings

        configure_logging(log_level.upper())
        try:
            app = create_app(Settings.from_env(**overrides))
        except ClaimlensError as exc:
            _fail(exc)
        app.run(host=host, port=port, debug=False)
        return
    from claimlens.service.server import serve as run

    try:
        run(host, port, workers, threads, timeout, overrides, log_level)
    except ClaimlensError as exc:
        _fail(exc)


@main.group()
def models() -> None:
    """Manage the model store."""


@models.command("convert")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False, exists=True))
def models_convert(directory: Path) -> None:
    """Rewrite a format-1 (pickle) model DIRECTORY in the data-only format.

    Unpickling runs code from the file: convert only models whose origin you trust. The old
    folder is kept beside the new one as DIRECTORY.format1.
    """
    from claimlens.model.legacy import convert
    from claimlens.training.current import model_key

    try:
        out = convert(directory, model_key())
    except ClaimlensError as exc:
        _fail(exc)
    click.echo(f"converted {out} (the pickle is kept in {out.name}.format1)")


@main.command()
@click.argument("case_path", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@MODEL_OPTION
def case(case_path: Path, model_dir: Path | None) -> None:
    """Analyse one case (a JSON object: order_id, order, messages, claims)."""
    from claimlens.cases import analyze_case, parse_case
    from claimlens.training.current import open_model

    try:
        try:
            raw = json.loads(case_path.read_text(encoding="utf-8-sig"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise ClaimlensError(f"{case_path} is not a JSON file: {exc}") from None
        parsed = parse_case(raw)
        estimator, manifest = open_model(model_dir)
        result = analyze_case(estimator, manifest["model_version"], parsed)
    except ClaimlensError as exc:
        _fail(exc)
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))


@main.command()
@click.argument("cases_path", required=False, type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--messages", type=click.Path(path_type=Path, dir_okay=False, exists=True), default=None,
              help="CSV/TSV of messages: order-id?, id, from, sent_at, text.")
@click.option("--claims", type=click.Path(path_type=Path, dir_okay=False, exists=True), default=None,
              help="CSV/TSV of claims: order-id?, id, type, filed_at, reason, text.")
@click.option("--orders", type=click.Path(path_type=Path, dir_okay=False, exists=True), default=None,
              help="CSV/TSV of orders: order-id, purchased_at, shipped_at, delivered_at, buyer_requested_cancel, "
                   "buyer_cancel_reason.")
@click.option("--order-column", default=None, help="Order id column (default: order_id / order-id / amazon-order-id).")
@click.option("-o", "--output", "output_path", type=click.Path(path_type=Path, dir_okay=False), required=True)
@MODEL_OPTION
def cases(cases_path, messages, claims, orders, order_column, output_path: Path, model_dir) -> None:
    """Analyse many cases: a JSONL file of cases, or flat exports grouped by order id."""
    from claimlens.cases.batch import analyze_many
    from claimlens.cases.grouping import build_cases
    from claimlens.training.current import open_model

    try:
        if (cases_path is None) == (messages is None and claims is None):
            raise ClaimlensError("give either CASES.jsonl or --messages/--claims (with --orders)")
        orphans: list[dict] = []
        if cases_path is not None:
            raw_cases = _jsonl_cases(cases_path)
        else:
            built, orphans = build_cases(messages, claims, orders, order_column)
            raw_cases = [(i + 1, c) for i, c in enumerate(built)]
        estimator, manifest = open_model(model_dir)
        outcome = analyze_many(estimator, manifest["model_version"], raw_cases, output_path, orphans)
    except ClaimlensError as exc:
        _fail(exc)
    click.echo(outcome.describe(), err=True)


def _jsonl_cases(path: Path):
    out = []
    for n, line in enumerate(path.read_bytes().splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append((n, json.loads(line.decode("utf-8-sig" if n == 1 else "utf-8"))))
        except (ValueError, UnicodeDecodeError) as exc:
            out.append((n, ClaimlensError(f"not a JSON line: {exc}")))
    return out


main.add_command(feedback_commands.feedback)
main.add_command(feedback_commands.review)
main.add_command(registry_commands.retrain)
for _command in registry_commands.MODELS_COMMANDS:
    models.add_command(_command)


if __name__ == "__main__":
    main()
