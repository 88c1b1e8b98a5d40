"""`claimlens feedback import|export` and `claimlens review`: getting corrections in and out."""
from __future__ import annotations

import getpass
import json
from pathlib import Path

import click

from claimlens.commands import db_option, fail, open_database
from claimlens.model.errors import ClaimlensError


@click.group()
def feedback() -> None:
    """The feedback store: the seller's corrections."""


@feedback.command("import")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--who", default=None, help="Who made the corrections (default: the file's `who`, else your user name).")
@click.option("--model", "model_dir", type=click.Path(path_type=Path), default=None,
              help="Model that detects the language of rows without `lang` (default: the current one).")
@db_option()
def import_(path: Path, who: str | None, model_dir: Path | None, db_url: str | None) -> None:
    """Import corrections from a training file (JSONL, CSV/TSV; bad rows are listed, nothing is stored)."""
    from dataclasses import replace

    from claimlens.feedback.files import read_corrections
    from claimlens.feedback.store import FeedbackStore
    from claimlens.model.schema import load_schema
    from claimlens.training.paths import SCHEMA

    try:
        rows = read_corrections(path, load_schema(SCHEMA), who or getpass.getuser())
        unknown = [i for i, r in enumerate(rows) if not r.example.language]
        if unknown:
            from claimlens.training.current import open_model

            estimator, _ = open_model(model_dir)
            preds = estimator.predict_explained([rows[i].example.text for i in unknown], explain=False)
            for i, p in zip(unknown, preds):
                rows[i] = replace(rows[i], example=replace(rows[i].example, language=p.language))
        db = open_database(db_url)
        added, skipped = FeedbackStore(db).add_many(rows)
    except ClaimlensError as exc:
        fail(exc)
    click.echo(f"imported {added} correction(s) into {db.describe()}"
               + (f"; {skipped} already there" if skipped else ""), err=True)


@feedback.command("export")
@click.option("-o", "--output", "output_path", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="JSONL, CSV or TSV (by the extension).")
@click.option("--since", default=None, help="Only corrections made at or after this ISO 8601 time (UTC if no offset).")
@db_option()
def export(output_path: Path, since: str | None, db_url: str | None) -> None:
    """Export the corrections (a training file: `claimlens train --data` and `feedback import` read it)."""
    from claimlens.feedback.files import write_export
    from claimlens.feedback.store import FeedbackStore, parse_time

    try:
        rows = FeedbackStore(open_database(db_url)).rows(since=parse_time(since) if since else None)
        write_export(rows, output_path)
    except ClaimlensError as exc:
        fail(exc)
    click.echo(f"exported {len(rows)} correction(s) to {output_path}", err=True)


@click.command()
@click.argument("labelled", type=click.Path(path_type=Path))
@click.option("--top", type=click.IntRange(1), default=50, show_default=True, help="How many rows to queue.")
@click.option("-o", "--output", "output_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Also write the queued rows to this JSONL file.")
@click.option("--text-column", default=None, help="The kept column with the text (default: text, customer-comments, "
              "message, body or comment).")
@click.option("--model", "model_dir", type=click.Path(path_type=Path), default=None,
              help="Model whose thresholds measure uncertainty (default: the version that labelled the file, "
                   "else the current one).")
@db_option()
def review(labelled: Path, top: int, output_path: Path | None, text_column: str | None, model_dir: Path | None,
           db_url: str | None) -> None:
    """Queue the TOP rows of a `claimlens label` output whose labels would teach the model most.

    The rows closest to a label's threshold, spread over languages and labels, near-duplicates
    collapsed, texts already queued or corrected left out; /review on the service walks the queue.
    """
    from claimlens.feedback.labelled import read_labelled
    from claimlens.feedback.queue import ReviewQueue
    from claimlens.feedback.selection import select
    from claimlens.files.durable import write_text

    try:
        rows = read_labelled(labelled, text_column)
        first = next(rows, None)
        if first is None:
            raise ClaimlensError(f"{labelled} holds no labelled rows with text")
        thresholds, version = _thresholds(model_dir, first.model)
        queue = ReviewQueue(open_database(db_url))
        candidates = select(_chain(first, rows), thresholds, top, labelled.name, queue.known_texts())
        queued, left_out = queue.enqueue(candidates)
        if output_path is not None:
            write_text(output_path, "".join(json.dumps(c.to_record(), ensure_ascii=False) + "\n" for c in queued))
        progress = queue.progress()
    except ClaimlensError as exc:
        fail(exc)
    click.echo(f"queued {len(queued)} row(s) for review (thresholds of {version}); the queue holds "
               f"{progress['pending']} pending of {progress['total']}: open /review on the service", err=True)


def _chain(first, rest):
    yield first
    yield from rest


def _thresholds(model_dir: Path | None, labelled_by: str | None) -> tuple[dict, str]:
    """The thresholds of --model, else of the version that labelled the file, else of the current model."""
    from claimlens.model.persistence import read_manifest
    from claimlens.model.store import ModelStore
    from claimlens.training.current import resolve_model_dir
    from claimlens.training.paths import models_root

    if model_dir is None and labelled_by and (models_root() / labelled_by).is_dir():
        model_dir = ModelStore(models_root()).root / labelled_by
    manifest = read_manifest(resolve_model_dir(model_dir))
    return manifest["thresholds"], manifest["model_version"]
