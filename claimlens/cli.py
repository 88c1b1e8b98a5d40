"""The `claimlens` command: predict, label, train, evaluate."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from model.errors import ClaimlensError

MODEL_OPTION = click.option("--model", "model_dir", type=click.Path(path_type=Path), default=None,
                            help="Model directory (default: the newest in $CLAIMLENS_MODELS or ./models).")


def _fail(exc: ClaimlensError):
    click.echo(f"error: {exc.message}", err=True)
    sys.exit(2)


@click.group()
def main() -> None:
    """Label marketplace buyer claims and messages, with evidence spans."""


@main.command()
@click.argument("texts", nargs=-1, required=True)
@MODEL_OPTION
@click.option("--no-evidence", is_flag=True, help="Skip evidence spans.")
def predict(texts: tuple[str, ...], model_dir: Path | None, no_evidence: bool) -> None:
    """Print one JSON record per TEXT."""
    from training.current import open_model

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
@click.argument("input_path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", "output_path", type=click.Path(path_type=Path, dir_okay=False), required=True)
@MODEL_OPTION
@click.option("--no-evidence", is_flag=True, help="Skip evidence spans (faster).")
def label(input_path: Path, output_path: Path, model_dir: Path | None, no_evidence: bool) -> None:
    """Label every line of a JSONL file (fields `text`, optional `id`)."""
    from claimlens.labelling import label_jsonl
    from training.current import open_model

    try:
        estimator, manifest = open_model(model_dir)
        done, errors = label_jsonl(estimator, manifest["model_version"], input_path, output_path,
                                   explain=not no_evidence)
    except ClaimlensError as exc:
        _fail(exc)
    click.echo(f"labelled {done} rows into {output_path}; {errors} rows in the error report", err=True)


@main.command()
@click.option("--data", "data_paths", type=click.Path(path_type=Path, dir_okay=False), multiple=True,
              help="Labelled file (JSONL or CSV); repeat for more.")
@click.option("--no-seed", is_flag=True, help="Train on --data only, without the bundled seed data.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option("--cv", "cv_folds", type=int, default=5, show_default=True,
              help="Outer cross-validation folds for the report (0 skips it).")
@click.option("--models-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Where the new version goes (default: $CLAIMLENS_MODELS or ./models).")
def train(data_paths, no_seed: bool, seed: int, cv_folds: int, models_dir: Path | None) -> None:
    """Train a new model version and print its evaluation summary."""
    from model.schema import load_schema
    from model.store import ModelStore
    from training.datasets import load_examples, load_seed
    from training.paths import SCHEMA, SEED_DIR, models_root
    from training.train import train_and_save

    try:
        schema = load_schema(SCHEMA)
        examples = [] if no_seed else load_seed(SEED_DIR, schema)
        for path in data_paths:
            examples += load_examples(path, schema)
        if not examples:
            raise ClaimlensError("nothing to train on: give --data or drop --no-seed")
        sources = ([] if no_seed else ["seed"]) + [str(p) for p in data_paths]
        log = lambda msg: click.echo(msg, err=True)  # noqa: E731
        directory = train_and_save(examples, schema, ModelStore(models_dir or models_root()), seed,
                                   cv_folds, sources, log)
    except ClaimlensError as exc:
        _fail(exc)
    report = directory / "evaluation.md"
    if report.exists():
        click.echo(report.read_text(encoding="utf-8"))
    click.echo(f"saved model {directory}")


@main.command()
@click.option("--data", "data_paths", type=click.Path(path_type=Path, dir_okay=False), multiple=True,
              required=True, help="Labelled test file (JSONL or CSV); repeat for more.")
@MODEL_OPTION
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("."),
              show_default=True, help="Where evaluation.json and evaluation.md go.")
def evaluate(data_paths, model_dir: Path | None, out_dir: Path) -> None:
    """Evaluate a model on labelled data; write JSON and Markdown reports."""
    from model.schema import load_schema
    from training.current import open_model
    from training.datasets import load_examples
    from training.metrics import evaluate_predictions, markdown
    from training.paths import SCHEMA

    try:
        schema = load_schema(SCHEMA)
        examples = [ex for p in data_paths for ex in load_examples(p, schema)]
        estimator, manifest = open_model(model_dir)
        report = evaluate_predictions(examples, estimator.predict_explained([e.text for e in examples]),
                                      list(estimator.classes_))
    except ClaimlensError as exc:
        _fail(exc)
    report["model"] = manifest["model_version"]
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "evaluation.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md = markdown(report, f"Evaluation of {manifest['model_version']} on {', '.join(map(str, data_paths))}")
    (out_dir / "evaluation.md").write_text(md, encoding="utf-8")
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
    from training.current import resolve_model_dir
    from training.paths import models_root

    try:
        directory = resolve_model_dir(model_dir)  # builds the default model on a fresh machine
    except ClaimlensError as exc:
        _fail(exc)
    overrides = {"model_dir": directory if model_dir else None}
    if os.environ.get("CLAIMLENS_MODELS") is None and model_dir is None:
        overrides["models_root"] = models_root()
    if dev:
        from service import create_app
        from service.requestlog import configure_logging
        from service.settings import Settings

        configure_logging(log_level.upper())
        try:
            app = create_app(Settings.from_env(**overrides))
        except ClaimlensError as exc:
            _fail(exc)
        app.run(host=host, port=port, debug=False)
        return
    from service.server import serve as run

    try:
        run(host, port, workers, threads, timeout, overrides, log_level)
    except ClaimlensError as exc:
        _fail(exc)


@main.command()
@click.argument("case_path", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@MODEL_OPTION
def case(case_path: Path, model_dir: Path | None) -> None:
    """Analyse one case (a JSON object: order_id, order, messages, claims)."""
    from claimlens.cases import analyze_case, parse_case
    from training.current import open_model

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
    from training.current import open_model

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
        done, bad = analyze_many(estimator, manifest["model_version"], raw_cases, output_path, orphans)
    except ClaimlensError as exc:
        _fail(exc)
    click.echo(f"analysed {done} cases into {output_path}; {bad} in the error report"
               + (f" ({len(orphans)} rows belong to no order)" if orphans else ""), err=True)


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


if __name__ == "__main__":
    main()
