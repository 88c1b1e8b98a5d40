"""Commands of the `claimlens` CLI that live outside cli.py: the feedback loop and the model registry."""
from __future__ import annotations

import sys

import click

from claimlens.model.errors import ClaimlensError


def fail(exc: ClaimlensError):
    """Print the error's message (never a traceback) and exit with status 2."""
    click.echo(f"error: {exc.message}", err=True)
    sys.exit(2)


def db_option():
    return click.option("--db", "db_url", default=None, metavar="URL",
                        help="Feedback database (default: $CLAIMLENS_DB, else sqlite:///<models store>/feedback.db).")


def open_database(db_url: str | None):
    from claimlens.feedback.database import Database, url_from_env
    from claimlens.training.paths import models_root

    return Database(db_url or url_from_env(models_root()))
