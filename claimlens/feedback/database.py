"""Open the feedback database from a URL: SQLite (the default, one file beside the models) or PostgreSQL.

SQLite is made safe for several gunicorn workers writing at once: WAL journal (readers never
wait for the writer), `synchronous=FULL` (a committed correction survives a power cut), a busy
timeout (a writer waits for the lock instead of failing), and every transaction opened with
`BEGIN IMMEDIATE`, so two processes never both read and then both try to upgrade to a write lock
(the one deadlock WAL leaves; SQLite answers it with "database is locked" at once).

An engine holds connections, which must not cross a fork: `Database.engine` makes a new one in
each process (gunicorn loads the app in the master, then forks the workers).
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from claimlens.model.errors import ClaimlensError, ConfigurationError

DB_FILE = "feedback.db"
BUSY_TIMEOUT_MS = 30_000


class DatabaseError(ClaimlensError):
    """The feedback database cannot be reached or refused the operation (the service answers 503)."""

    code = "database_unavailable"
    status = 503


def default_url(models_root: Path) -> str:
    """sqlite:///<models store>/feedback.db: the corrections live beside the models they train."""
    return f"sqlite:///{Path(models_root).resolve() / DB_FILE}"


def url_from_env(models_root: Path, environ=None) -> str:
    """CLAIMLENS_DB, else the SQLite file beside the models."""
    env = os.environ if environ is None else environ
    return env.get("CLAIMLENS_DB") or default_url(models_root)


def parse_url(url: str) -> sa.URL:
    """The URL, checked: SQLite or PostgreSQL (plain postgresql:// means psycopg 3, the driver installed)."""
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        raise ConfigurationError(f"CLAIMLENS_DB is not a database URL: {_safe(url)!r}") from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ConfigurationError(f"CLAIMLENS_DB must be a sqlite:/// or postgresql:// URL, got {backend}://…")
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: str) -> Engine:
    parsed = parse_url(url)
    if parsed.get_backend_name() == "postgresql":
        return sa.create_engine(parsed, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    sa.event.listen(engine, "connect", _sqlite_connect)
    sa.event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
    return engine


def _sqlite_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # we open transactions ourselves (BEGIN IMMEDIATE)
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=FULL", f"busy_timeout={BUSY_TIMEOUT_MS}", "foreign_keys=ON"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url.split("@")[-1]


class Database:
    """A URL and, per process, its engine; the schema is migrated on first use."""

    def __init__(self, url: str) -> None:
        parse_url(url)  # a bad URL fails now, not at the first correction
        self.url = url
        self._engine: Engine | None = None
        self._pid: int | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None or self._pid != os.getpid():
            if self._engine is not None:
                self._engine.dispose(close=False)  # the parent's connections stay the parent's
            from claimlens.feedback.migrations import migrate

            engine = make_engine(self.url)
            migrate(engine)
            self._engine, self._pid = engine, os.getpid()
        return self._engine

    @contextlib.contextmanager
    def begin(self):
        """A connection in a transaction, committed at the end of the block; database failures become
        DatabaseError, whose message never carries the statement's parameters (message text)."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except sa.exc.DBAPIError as exc:
            reason = str(exc.orig).strip().splitlines()[0][:200] if exc.orig is not None else type(exc).__name__
            raise DatabaseError(f"the feedback database ({self.describe()}) failed: {reason}") from None

    def describe(self) -> str:
        return _safe(self.url)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
