"""Which rows of a batch output a reviewer should see first (active learning).

1. Uncertainty: a row's margin is the smallest distance, in log-odds, between a reason label's
   score and that label's threshold (the model manifest's); the label at that distance is its
   `nearest_label`. Small margins are the rows whose labels the model is least sure of, so their
   corrections move it most. Log-odds, not probabilities: 0.05 from a threshold of 0.5 is a
   closer call than 0.05 from a threshold of 0.1.
2. Only the POOL_FACTOR x N most uncertain rows go on (a streaming heap: memory stays flat on
   a million-row output), skipping texts already queued or corrected.
3. Near-duplicates collapse to their most uncertain member (character-trigram Jaccard >= 0.8,
   training/resolve_quotes.near_duplicates: the seed data's own duplicate check).
4. Spread: rows are grouped by (language, nearest label), and the queue takes the most
   uncertain row of each group in turn, groups ordered by their most uncertain row, so the
   first N cover as many languages and labels as the pool has.
"""
from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable

from claimlens.feedback.labelled import LabelledRow
from claimlens.feedback.queue import Candidate
from claimlens.feedback.store import text_sha256

POOL_FACTOR = 10
_EPS = 1e-6


def _logit(p: float) -> float:
    p = min(1 - _EPS, max(_EPS, p))
    return math.log(p / (1 - p))


def margin(scores: dict[str, float], thresholds: dict[str, float]) -> tuple[float, str | None]:
    """(smallest log-odds distance of a score to its threshold, that label)."""
    best, label = math.inf, None
    for name, t in thresholds.items():
        if name in scores:
            d = abs(_logit(scores[name]) - _logit(t))
            if d < best:
                best, label = d, name
    return best, label


def select(rows: Iterable[LabelledRow], thresholds: dict[str, float], top: int, origin: str | None = None,
           known: set[str] = frozenset()) -> list[Candidate]:
    """The `top` rows to review, in review order (see the module docstring); `known`: text hashes to skip."""
    from claimlens.training.resolve_quotes import near_duplicates

    pool: list[tuple[float, int, LabelledRow, str | None]] = []  # max-heap on margin via negation
    seen = set(known)
    for row in rows:
        h = text_sha256(row.text)
        if h in seen:
            continue
        seen.add(h)
        m, label = margin(row.scores, thresholds)
        item = (-m, -row.row, row, label)  # ties: the earlier row stays
        if len(pool) < top * POOL_FACTOR:
            heapq.heappush(pool, item)
        elif item > pool[0]:
            heapq.heapreplace(pool, item)
    ranked = sorted(pool, key=lambda it: (-it[0], -it[1]))  # most uncertain first
    dropped = set()
    for _, later, _ in near_duplicates([it[2].text for it in ranked]):
        dropped.add(later)  # the less uncertain of the pair
    groups: dict[tuple, list] = defaultdict(list)
    for k, (neg_m, _, row, label) in enumerate(ranked):
        if k not in dropped:
            groups[(row.language, label)].append(Candidate(
                row.text, row.language, row.labels, row.scores, row.evidence, row.model, row.id, origin,
                -neg_m, label))
    queues = sorted(groups.values(), key=lambda cs: cs[0].margin)
    picked: list[Candidate] = []
    depth = 0
    while len(picked) < top and any(depth < len(q) for q in queues):
        picked += [q[depth] for q in queues if depth < len(q)][:top - len(picked)]
        depth += 1
    return picked
