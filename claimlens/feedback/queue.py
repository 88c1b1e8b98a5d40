"""The review queue: texts picked from a batch output for a person to confirm or correct, in order.

An answered item becomes a feedback row (source `page`) in the same transaction that marks it
done, so a crash never leaves one without the other. A text is queued once: texts already queued
or already corrected are left out when more are added.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from claimlens.feedback.database import Database
from claimlens.feedback.migrations import feedback, review_queue
from claimlens.feedback.store import FeedbackStore, NewFeedback, text_sha256, utcnow
from claimlens.model.errors import BadInputError
from claimlens.training.datasets import Example


@dataclass(frozen=True)
class Candidate:
    """A labelled row worth a reviewer's time (see selection.py)."""

    text: str
    language: str | None
    labels: tuple[str, ...]
    scores: dict
    evidence: tuple[dict, ...]
    model: str | None
    row_id: str | None
    origin: str | None
    margin: float
    nearest_label: str | None

    def to_record(self) -> dict:
        return {"id": self.row_id, "text": self.text, "language": self.language, "labels": list(self.labels),
                "scores": self.scores, "evidence": list(self.evidence), "model": self.model,
                "margin": round(self.margin, 4), "nearest_label": self.nearest_label, "origin": self.origin}


@dataclass(frozen=True)
class QueueItem:
    id: int
    candidate: Candidate
    status: str
    feedback_id: int | None

    def to_json(self) -> dict:
        return {"item": self.id, "status": self.status, "feedback_id": self.feedback_id,
                **self.candidate.to_record()}


def _item(r) -> QueueItem:
    return QueueItem(r.id, Candidate(r.text, r.language, tuple(r.labels), dict(r.scores), tuple(r.evidence),
                                     r.model_version, r.row_id, r.origin, r.margin, r.nearest_label),
                     r.status, r.feedback_id)


class ReviewQueue:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.feedback = FeedbackStore(db)

    def enqueue(self, candidates: list[Candidate]) -> tuple[list[Candidate], int]:
        """Queue the candidates in order; returns those queued and how many were left out because the
        text is already queued or corrected."""
        with self.db.begin() as conn:
            hashes = [text_sha256(c.text) for c in candidates]
            known = set()
            for table in (review_queue, feedback):
                for start in range(0, len(hashes), 500):
                    q = sa.select(table.c.text_sha256).where(table.c.text_sha256.in_(hashes[start:start + 500]))
                    known |= set(conn.execute(q).scalars())
            now, queued = utcnow(), []
            for c, h in zip(candidates, hashes):
                if h in known:
                    continue
                known.add(h)
                conn.execute(review_queue.insert().values(
                    queued_at=now, text=c.text, text_sha256=h, language=c.language, labels=list(c.labels),
                    scores=c.scores, evidence=list(c.evidence), model_version=c.model, row_id=c.row_id,
                    origin=c.origin, margin=c.margin, nearest_label=c.nearest_label, status="pending"))
                queued.append(c)
        return queued, len(candidates) - len(queued)

    def known_texts(self) -> set[str]:
        """Hashes of the texts already queued or corrected."""
        with self.db.begin() as conn:
            return {h for table in (review_queue, feedback) for h in conn.execute(sa.select(table.c.text_sha256)).scalars()}

    def next(self) -> QueueItem | None:
        """The first item nobody has answered or skipped."""
        q = review_queue.select().where(review_queue.c.status == "pending").order_by(review_queue.c.id).limit(1)
        with self.db.begin() as conn:
            row = conn.execute(q).first()
        return None if row is None else _item(row)

    def get(self, item_id: int, conn: sa.Connection) -> QueueItem:
        row = conn.execute(review_queue.select().where(review_queue.c.id == item_id)).first()
        if row is None:
            raise BadInputError(f"item: there is no review item {item_id}", {"field": "item"})
        return _item(row)

    def answer(self, item_id: int, example: Example, who: str | None) -> int:
        """Store the reviewer's labels for an item (the model's, when accepted) and mark it done;
        returns the feedback id. Answering an item again stores the newer answer."""
        with self.db.begin() as conn:
            item = self.get(item_id, conn)
            if example.text != item.candidate.text:
                raise BadInputError("text: differs from the review item's text", {"field": "text"})
            row = self.feedback.add(NewFeedback(example, "page", who, item.candidate.model, item.candidate.labels),
                                    conn)
            conn.execute(review_queue.update().where(review_queue.c.id == item_id).values(
                status="done", answered_at=row.created_at, feedback_id=row.id))
        return row.id

    def skip(self, item_id: int) -> None:
        with self.db.begin() as conn:
            self.get(item_id, conn)
            conn.execute(review_queue.update().where(review_queue.c.id == item_id).values(
                status="skipped", answered_at=utcnow()))

    def progress(self) -> dict:
        q = sa.select(review_queue.c.status, sa.func.count()).group_by(review_queue.c.status)
        with self.db.begin() as conn:
            counts = dict(conn.execute(q).all())
        out = {s: int(counts.get(s, 0)) for s in ("done", "skipped", "pending")}
        return {**out, "total": sum(out.values())}

    def items(self) -> list[QueueItem]:
        with self.db.begin() as conn:
            return [_item(r) for r in conn.execute(review_queue.select().order_by(review_queue.c.id))]
