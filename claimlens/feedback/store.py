"""The feedback store: the seller's corrections, one row each, with where they came from.

A row holds the text, its language, the corrected labels and (optionally) evidence spans, the
model version and the labels it corrects, the source (`page`, `api`, `import`), who (an API key's
name or a user name, never a key) and the time (UTC). Rows are never changed; a text corrected
twice keeps both rows, and training takes the latest (`training_examples`).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa

from claimlens.feedback.database import Database
from claimlens.feedback.migrations import feedback
from claimlens.files.encodings import lone_surrogate
from claimlens.model.errors import BadInputError
from claimlens.training.datasets import Example

SOURCES = ("page", "api", "import")


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def utcnow() -> datetime:
    """Naive UTC, as the columns store it (SQLite has no time zones)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def parse_time(value: str, field: str = "since") -> datetime:
    """An ISO 8601 time as naive UTC; no offset means UTC."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except (AttributeError, ValueError):
        raise BadInputError(f"{field}: not an ISO 8601 time: {value!r:.60}", {"field": field}) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def iso(moment: datetime) -> str:
    return moment.replace(tzinfo=timezone.utc).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Feedback:
    id: int
    created_at: datetime
    text: str
    language: str | None
    labels: tuple[str, ...]
    evidence: tuple[tuple[str, int, int], ...]
    external_id: str | None
    model: str | None
    predicted: tuple[str, ...] | None
    source: str
    who: str | None

    def to_record(self) -> dict:
        """The export format: a training-file record (text, labels, lang, evidence, id) plus provenance."""
        return {"feedback_id": self.id, "created_at": iso(self.created_at), "text": self.text,
                "lang": self.language, "labels": list(self.labels),
                "evidence": [{"label": l, "start": s, "end": e} for l, s, e in self.evidence],
                "id": self.external_id, "model": self.model,
                "predicted": None if self.predicted is None else list(self.predicted),
                "source": self.source, "who": self.who}

    def to_example(self) -> Example:
        return Example(self.text, self.labels, self.language, self.evidence, f"feedback {self.id}",
                       self.external_id, {"feedback_id": self.id, "created_at": iso(self.created_at),
                                          "source": self.source})


@dataclass(frozen=True)
class NewFeedback:
    """A checked correction (an Example from training.datasets.parse_record) and its provenance."""

    example: Example
    source: str
    who: str | None = None
    model: str | None = None
    predicted: tuple[str, ...] | None = None
    created_at: datetime | None = None

    def values(self) -> dict:
        if self.source not in SOURCES:
            raise BadInputError(f"source must be one of {', '.join(SOURCES)}, got {self.source!r}",
                                {"field": "source"})
        ex = self.example
        for field, value in (("text", ex.text), ("id", ex.id), ("lang", ex.language), ("model", self.model),
                             ("who", self.who),
                             *((f"predicted[{k}]", v) for k, v in enumerate(self.predicted or ()))):
            if (why := unstorable(value)) is not None:
                raise BadInputError(f"{field} {why}", {"field": field})
        return {"created_at": self.created_at or utcnow(), "text": ex.text, "text_sha256": text_sha256(ex.text),
                "language": ex.language, "labels": list(ex.labels), "evidence": [list(s) for s in ex.evidence],
                "external_id": ex.id, "model_version": self.model,
                "predicted": None if self.predicted is None else list(self.predicted),
                "source": self.source, "who": self.who}


def unstorable(value) -> str | None:
    """Why a string cannot go into the feedback store, or None for any other value.

    PostgreSQL's text type cannot hold NUL (U+0000) and no driver can encode a lone surrogate. SQLite
    would keep a NUL, but a correction the one store takes the other must take too.
    """
    if not isinstance(value, str):
        return None
    if "\x00" in value:
        return "holds a NUL character (U+0000), which the feedback store cannot keep"
    if lone_surrogate(value):
        return "holds a lone surrogate (U+D800..U+DFFF), which is not valid Unicode"
    return None


def _row(r) -> Feedback:
    return Feedback(r.id, r.created_at, r.text, r.language, tuple(r.labels),
                    tuple((l, int(s), int(e)) for l, s, e in r.evidence), r.external_id, r.model_version,
                    None if r.predicted is None else tuple(r.predicted), r.source, r.who)


class FeedbackStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, item: NewFeedback, conn: sa.Connection | None = None) -> Feedback:
        """Store one correction; returns the stored row (with its id and time)."""
        values = item.values()
        if conn is None:
            with self.db.begin() as conn:
                return self.add(item, conn)
        new_id = conn.execute(feedback.insert().values(**values)).inserted_primary_key[0]
        return _row(conn.execute(feedback.select().where(feedback.c.id == new_id)).one())

    def add_many(self, items: list[NewFeedback]) -> tuple[int, int]:
        """Store corrections in one transaction, skipping any that repeat a stored row exactly (same
        text, labels and evidence); returns (added, skipped)."""
        rows = [it.values() for it in items]
        with self.db.begin() as conn:
            hashes = sorted({r["text_sha256"] for r in rows})
            seen = set()
            for start in range(0, len(hashes), 500):
                q = sa.select(feedback.c.text_sha256, feedback.c.labels, feedback.c.evidence).where(
                    feedback.c.text_sha256.in_(hashes[start:start + 500]))
                seen |= {_key(r.text_sha256, r.labels, r.evidence) for r in conn.execute(q)}
            fresh = []
            for r in rows:
                key = _key(r["text_sha256"], r["labels"], r["evidence"])
                if key not in seen:
                    seen.add(key)
                    fresh.append(r)
            if fresh:
                conn.execute(feedback.insert(), fresh)
        return len(fresh), len(rows) - len(fresh)

    def rows(self, since: datetime | None = None, after: int | None = None, limit: int | None = None) -> list[Feedback]:
        """Rows in the order they were stored; `since` (UTC) and `after` (a feedback id) narrow them."""
        q = feedback.select().order_by(feedback.c.id)
        if since is not None:
            q = q.where(feedback.c.created_at >= since)
        if after is not None:
            q = q.where(feedback.c.id > after)
        if limit is not None:
            q = q.limit(limit)
        with self.db.begin() as conn:
            return [_row(r) for r in conn.execute(q)]

    def count(self) -> int:
        with self.db.begin() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(feedback)).scalar_one()

    def latest_per_text(self) -> list[Feedback]:
        """The newest correction of each text, oldest first (by time, then id): what training sees."""
        newest: dict[str, Feedback] = {}
        for row in sorted(self.rows(), key=lambda r: (r.created_at, r.id)):
            newest.pop(row.text, None)
            newest[row.text] = row  # re-inserted: the dict keeps the order of each text's newest row
        return list(newest.values())

    def training_examples(self) -> list[Example]:
        return [row.to_example() for row in self.latest_per_text()]


def _key(sha: str, labels, evidence) -> tuple:
    return sha, tuple(labels), tuple(tuple(s) for s in evidence)
