"""The feedback database's schema, as numbered steps applied in order (a small versioned CREATE script).

Why not Alembic: two tables, written only by claimlens, on two back ends SQLAlchemy Core already
speaks. A list of steps with a version table gives the same guarantee (every database ends at
the newest version, each step runs once, inside the transaction that records it) without a second
configuration file, an env.py and a migrations folder to ship as package data.

Several processes may start at once (gunicorn workers, a CLI command): the step runs under a
lock held to the end of its transaction (SQLite: BEGIN IMMEDIATE, see database.py; PostgreSQL: a
transaction-level advisory lock), and the second process finds the version already recorded.

    version  step
    1        feedback (one row per correction) and review_queue (texts waiting for a reviewer)
"""
from __future__ import annotations

import sqlalchemy as sa

from claimlens.model.errors import ConfigurationError

metadata = sa.MetaData()

schema_version = sa.Table(
    "claimlens_schema", metadata,
    sa.Column("version", sa.Integer, nullable=False),
)

feedback = sa.Table(
    "feedback", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.DateTime, nullable=False, index=True),  # UTC
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("text_sha256", sa.String(64), nullable=False, index=True),
    sa.Column("language", sa.String(16)),
    sa.Column("labels", sa.JSON, nullable=False),              # corrected labels, schema order
    sa.Column("evidence", sa.JSON, nullable=False),            # [[label, start, end], ...]
    sa.Column("external_id", sa.String(200)),                  # the caller's id of the message
    sa.Column("model_version", sa.String(100)),                # the model whose labels it corrects
    sa.Column("predicted", sa.JSON),                           # ... and those labels
    sa.Column("source", sa.String(16), nullable=False),
    sa.Column("who", sa.String(100)),                          # API key name or user, never a key
    sa.CheckConstraint("source IN ('page', 'api', 'import')", name="feedback_source"),
)

review_queue = sa.Table(
    "review_queue", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),  # the order of review
    sa.Column("queued_at", sa.DateTime, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("text_sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("language", sa.String(16)),
    sa.Column("labels", sa.JSON, nullable=False),              # the model's labels, pre-filled
    sa.Column("scores", sa.JSON, nullable=False),
    sa.Column("evidence", sa.JSON, nullable=False),            # the model's spans {label, start, end, ...}
    sa.Column("model_version", sa.String(100)),
    sa.Column("row_id", sa.String(200)),                       # the row's id in the labelled file
    sa.Column("origin", sa.String(300)),                       # the labelled file's name
    sa.Column("margin", sa.Float, nullable=False),             # log-odds distance to the nearest threshold
    sa.Column("nearest_label", sa.String(100)),
    sa.Column("status", sa.String(8), nullable=False, server_default="pending"),
    sa.Column("answered_at", sa.DateTime),
    sa.Column("feedback_id", sa.Integer, sa.ForeignKey("feedback.id")),
    sa.CheckConstraint("status IN ('pending', 'done', 'skipped')", name="review_status"),
)
sa.Index("review_queue_status", review_queue.c.status, review_queue.c.id)


def _v1(conn: sa.Connection) -> None:
    metadata.create_all(conn, tables=[feedback, review_queue])


STEPS = [(1, _v1)]
LATEST = STEPS[-1][0]
_PG_LOCK = 0x636C6D73  # any constant shared by every claimlens process: "clms"


def migrate(engine: sa.Engine) -> int:
    """Bring the database to the newest schema version; returns it."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_LOCK)))
        metadata.create_all(conn, tables=[schema_version])
        found = conn.execute(sa.select(schema_version.c.version)).scalar()
        if found is None:
            found = 0
            conn.execute(schema_version.insert().values(version=0))
        if found > LATEST:
            raise ConfigurationError(f"the feedback database is at schema version {found}, newer than this "
                                     f"claimlens knows ({LATEST}): upgrade claimlens")
        for version, step in STEPS:
            if version > found:
                step(conn)
                conn.execute(schema_version.update().values(version=version))
        return LATEST
