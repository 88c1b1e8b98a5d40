"""The feedback store on SQLite and on a real PostgreSQL server: rows, order, migrations, concurrency."""
from __future__ import annotations

import multiprocessing
from datetime import datetime

import pytest
import sqlalchemy as sa

from claimlens.feedback.database import Database, DatabaseError, default_url
from claimlens.feedback.migrations import LATEST, migrate, schema_version
from claimlens.feedback.store import FeedbackStore, NewFeedback, parse_time
from claimlens.model.errors import BadInputError, ConfigurationError
from claimlens.model.schema import bundled_schema
from claimlens.training.datasets import parse_record

SCHEMA = bundled_schema()


def correction(text: str, labels: list[str], evidence=(), lang=None, rid=None):
    return parse_record({"text": text, "labels": labels, "evidence": list(evidence), "lang": lang, "id": rid},
                        SCHEMA, "")


def test_rows_keep_everything_and_come_back_in_order(db_url, open_db):
    store = FeedbackStore(open_db(db_url))
    first = store.add(NewFeedback(correction("Zubehör fehlt 充电器", ["missing_parts"],
                                             [{"label": "missing_parts", "start": 0, "end": 13}], "de", "m-1"),
                                  "api", "alice", "v1", ("other",)))
    store.add(NewFeedback(correction("never came", ["not_received"]), "page", None,
                          created_at=datetime(2026, 1, 2, 3, 4, 5, 678901)))
    rows = store.rows()
    assert [r.id for r in rows] == [first.id, first.id + 1]
    r = rows[0]
    assert (r.text, r.language, r.labels, r.evidence, r.external_id, r.model, r.predicted, r.source, r.who) == (
        "Zubehör fehlt 充电器", "de", ("missing_parts",), (("missing_parts", 0, 13),), "m-1", "v1", ("other",),
        "api", "alice")
    assert rows[1].created_at == datetime(2026, 1, 2, 3, 4, 5, 678901)
    assert rows[1].to_record() == {
        "feedback_id": rows[1].id, "created_at": "2026-01-02T03:04:05.678901+00:00", "text": "never came",
        "lang": None, "labels": ["not_received"], "evidence": [], "id": None, "model": None, "predicted": None,
        "source": "page", "who": None}
    assert [r.id for r in store.rows(after=first.id)] == [first.id + 1]
    assert [r.id for r in store.rows(since=parse_time("2026-01-02T03:04:05.678901Z"))] == [first.id, first.id + 1]
    assert [r.id for r in store.rows(since=parse_time("2026-01-02T04:04:05.678902+01:00"))] == [first.id]  # now
    assert store.rows(limit=1)[0].id == first.id and store.count() == 2


def test_training_takes_the_latest_correction_of_each_text_oldest_first(db_url, open_db):
    store = FeedbackStore(open_db(db_url))
    t = lambda h: datetime(2026, 3, 1, h)  # noqa: E731
    store.add(NewFeedback(correction("A box crushed", ["other"]), "api", created_at=t(1)))
    store.add(NewFeedback(correction("B parcel late", ["not_received"]), "api", created_at=t(2)))
    store.add(NewFeedback(correction("A box crushed", ["damaged_defective"]), "page", created_at=t(3)))
    examples = store.training_examples()
    assert [(e.text, e.labels) for e in examples] == [("B parcel late", ("not_received",)),
                                                      ("A box crushed", ("damaged_defective",))]
    assert examples[1].extra == {"feedback_id": 3, "created_at": "2026-03-01T03:00:00.000000+00:00", "source": "page"}


def test_add_many_skips_exact_repeats(db_url, open_db):
    store = FeedbackStore(open_db(db_url))
    a = NewFeedback(correction("lost", ["not_received"]), "import")
    b = NewFeedback(correction("lost", ["other"]), "import")
    assert store.add_many([a, a, b]) == (2, 1)
    assert store.add_many([a, b]) == (0, 2)
    assert store.count() == 2


@pytest.mark.parametrize("field", ["text", "id", "who", "model"])
def test_a_nul_is_refused_before_writing_on_either_database(db_url, open_db, field):
    store = FeedbackStore(open_db(db_url))
    text, rid = ("lost\x00 parcel", None) if field == "text" else ("lost parcel", "m\x00" if field == "id" else None)
    item = NewFeedback(correction(text, ["not_received"], rid=rid), "api", "al\x00" if field == "who" else None,
                       "v\x00" if field == "model" else None)
    with pytest.raises(BadInputError, match="NUL") as err:
        store.add(item)
    assert err.value.details["field"] == field and store.count() == 0


def test_bad_source_is_refused_before_writing(db_url, open_db):
    store = FeedbackStore(open_db(db_url))
    with pytest.raises(BadInputError, match="source must be one of page, api, import"):
        store.add(NewFeedback(correction("x", ["other"]), "email"))
    with pytest.raises(sa.exc.IntegrityError):  # the database holds the same rule
        with store.db.engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO feedback (created_at, text, text_sha256, labels, evidence, source) "
                                 "VALUES ('2026-01-01 00:00:00', 'x', 'h', '[]', '[]', 'email')")


def test_migrations_run_once_and_record_the_version(db_url, open_db):
    engine = open_db(db_url).engine  # migrated on first use
    assert migrate(engine) == LATEST == 1
    with engine.begin() as conn:
        assert conn.execute(sa.select(schema_version.c.version)).scalars().all() == [1]
        assert {"feedback", "review_queue", "claimlens_schema"} <= set(sa.inspect(conn).get_table_names())
    with engine.begin() as conn:
        conn.execute(schema_version.update().values(version=7))
    with pytest.raises(ConfigurationError, match="schema version 7, newer than this claimlens knows"):
        migrate(engine)


def test_sqlite_runs_in_wal_mode(tmp_path, open_db):
    db = open_db(default_url(tmp_path))
    assert db.url == f"sqlite:///{tmp_path / 'feedback.db'}"
    with db.begin() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def _writer(url: str, who: str, n: int) -> None:
    store = FeedbackStore(Database(url))
    for i in range(n):
        store.add(NewFeedback(correction(f"{who} text {i}", ["other"]), "api", who))


def test_two_processes_migrate_and_write_at_once_without_losing_a_row(db_url, open_db):
    """Two fresh processes on a new database: both migrate (one waits for the other), then race on rows."""
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(db_url, who, 60)) for who in ("alice", "bob")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(300)
    assert [p.exitcode for p in procs] == [0, 0]
    rows = FeedbackStore(open_db(db_url)).rows()
    assert len(rows) == 120 and len({r.id for r in rows}) == 120
    for who in ("alice", "bob"):  # each writer's rows in its own order
        assert [r.text for r in rows if r.who == who] == [f"{who} text {i}" for i in range(60)]


@pytest.mark.parametrize("url, words", [
    ("mysql://u@h/db", "must be a sqlite:/// or postgresql:// URL, got mysql"),
    ("not a url", "is not a database URL"),
])
def test_bad_urls_are_configuration_errors(url, words):
    with pytest.raises(ConfigurationError, match=words):
        Database(url)


def test_an_unreachable_server_is_a_database_error_without_the_password(postgres_server, open_db):
    from tests.feedback.conftest import _free_port

    db = open_db(f"postgresql://claimlens:s3cret@127.0.0.1:{_free_port()}/nowhere")
    with pytest.raises(DatabaseError) as info:
        FeedbackStore(db).count()
    assert info.value.status == 503 and "s3cret" not in info.value.message and "***" in info.value.message
