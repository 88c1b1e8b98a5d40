"""`claimlens retrain` and `claimlens models list|promote|rollback`: the champion/challenger loop."""
from __future__ import annotations

import json
from pathlib import Path

import click

from claimlens.commands import db_option, fail, open_database
from claimlens.model.errors import ClaimlensError

RELOAD_HINT = "the service picks it up on `POST /v1/admin/reload` (admin key) or `kill -HUP <gunicorn master pid>`"


def _store(models_dir: Path | None):
    from claimlens.model.store import ModelStore
    from claimlens.training.paths import models_root

    return ModelStore(models_dir or models_root())


MODELS_DIR = click.option("--models-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
                          help="The model store (default: $CLAIMLENS_MODELS, else the user's data folder).")


@click.command()
@click.option("--promote", "mode", type=click.Choice(["auto", "never", "force"]), default="auto", show_default=True,
              help="auto: only if the challenger passes both checks; never/force: decide without them.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option("--holdout", type=click.FloatRange(0.05, 0.5), default=0.2, show_default=True,
              help="Share of the most recent corrections held out for the comparison.")
@click.option("--min-gain", type=float, default=0.02, show_default=True,
              help="Held-out macro F1 the challenger must gain over the champion.")
@click.option("--max-seed-drop", type=float, default=0.01, show_default=True,
              help="Seed cross-validation macro F1 the challenger may lose.")
@click.option("--min-heldout", type=click.IntRange(1), default=10, show_default=True,
              help="Fewer held-out corrections than this never promote under auto.")
@click.option("--seed-cv", "seed_cv", type=click.IntRange(0), default=3, show_default=True,
              help="Seed cross-validation folds for the seed guard (0 skips it; auto then never promotes).")
@click.option("--out", "report_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Where the reports go (default: <models store>/reports/<challenger version>/).")
@MODELS_DIR
@db_option()
def retrain(mode, seed, holdout, min_gain, max_seed_drop, min_heldout, seed_cv, report_dir, models_dir, db_url) -> None:
    """Train a challenger on the seed data + your corrections; promote it only if it is measurably better."""
    from claimlens.feedback.store import FeedbackStore
    from claimlens.model.schema import load_schema
    from claimlens.training.current import model_key, resolve_model_dir
    from claimlens.training.datasets import load_seed
    from claimlens.training.paths import SCHEMA, SEED_DIR
    from claimlens.training.retrain import Policy, retrain as run

    store = _store(models_dir)
    log = lambda msg: click.echo(msg, err=True)  # noqa: E731
    try:
        if store.current() is None:
            resolve_model_dir(None, log)  # a fresh machine: the default model is the first champion
        schema = load_schema(SCHEMA)
        corrections = FeedbackStore(open_database(db_url)).training_examples()
        policy = Policy(holdout, min_gain, max_seed_drop, min_heldout, seed_cv)
        outcome = run(store, corrections, load_seed(SEED_DIR, schema), schema, mode, policy, seed, model_key(),
                      report_dir, log)
    except ClaimlensError as exc:
        fail(exc)
    click.echo((outcome.report_dir / "comparison.md").read_text(encoding="utf-8"))
    click.echo(f"challenger saved as {outcome.version}; reports in {outcome.report_dir}")
    click.echo(f"promoted {outcome.version}: {RELOAD_HINT}" if outcome.promoted
               else f"not promoted; the champion {outcome.decision['champion']} stays current")


@click.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per version instead of a table.")
@MODELS_DIR
def models_list(as_json: bool, models_dir: Path | None) -> None:
    """Versions in the store: created, data, metrics, and which one is current."""
    from claimlens.model.persistence import read_manifest

    store = _store(models_dir)
    try:
        current = store.current()
        rows = []
        for directory in store.versions():
            m = read_manifest(directory)
            training, metrics = m.get("training") or {}, m.get("metrics") or {}
            rows.append({"version": m["model_version"], "current": directory == current,
                         "created": m["created_at"], "examples": training.get("examples"),
                         "sources": training.get("sources", []), "feedback": training.get("feedback"),
                         "cv_macro_f1": (metrics.get("cross_validation") or {}).get("macro_f1"),
                         "seed_cv_macro_f1": (metrics.get("seed_cv") or {}).get("macro_f1"),
                         "heldout_macro_f1": (metrics.get("heldout") or {}).get("macro_f1")})
    except ClaimlensError as exc:
        fail(exc)
    if as_json:
        for r in rows:
            click.echo(json.dumps(r))
        return
    if not rows:
        click.echo(f"no model versions in {store.root}")
        return
    click.echo(f"{'':2}{'version':26} {'created':25} {'data':32} metrics")
    for r in rows:
        data = "-" if r["examples"] is None else f"{r['examples']} texts: {'+'.join(r['sources'])}"
        if r["feedback"] is not None:
            data += f" ({r['feedback']} corrections)"
        figures = [f"{name} {r[key]}" for name, key in (("cv", "cv_macro_f1"), ("seed-cv", "seed_cv_macro_f1"),
                                                        ("held-out", "heldout_macro_f1")) if r[key] is not None]
        click.echo(f"{'*' if r['current'] else ' ':2}{r['version']:26} {r['created']:25} {data:32} "
                   f"{', '.join(figures) or '-'}")


@click.command("promote")
@click.argument("version")
@MODELS_DIR
def models_promote(version: str, models_dir: Path | None) -> None:
    """Make VERSION the current model (after checking it loads: hashes, signature, libraries)."""
    from claimlens.model.persistence import verify
    from claimlens.training.current import model_key

    store = _store(models_dir)
    try:
        verify(store.root / version, model_key()) if (store.root / version).is_dir() else None
        previous, current = store.promote(version)
    except ClaimlensError as exc:
        fail(exc)
    click.echo(f"promoted {current} (was {previous}); {RELOAD_HINT}")


@click.command("rollback")
@MODELS_DIR
def models_rollback(models_dir: Path | None) -> None:
    """Make the version promoted before the current one current again."""
    store = _store(models_dir)
    try:
        previous, current = store.rollback()
    except ClaimlensError as exc:
        fail(exc)
    click.echo(f"rolled back to {current} (was {previous}); {RELOAD_HINT}")


MODELS_COMMANDS = (models_list, models_promote, models_rollback)
