"""Confidence bands, set on out-of-fold predictions so that each band means a measured accuracy.

A text's certainty is the calibrated probability that every label decision made on it is right:
the product, over the labels, of the score of a label given and one minus the score of a label not
given. `high` is the band where out-of-fold predictions had the whole label set right at least 90%
of the time, `medium` (below `high`) where they had it right at least 70% of the time.

The cut-offs must hold on text unlike the training text, so they are set from the calibration
folds' held-out genres, each genre on its own, and the strictest genre sets them: a band then
means that accuracy in every genre a model was not trained on, not just on average.

Models saved before certainty (no `confidence_measure` in the artefact) keep their cut-offs on the
margin: the smallest distance of any label's score from that label's threshold.
"""
from __future__ import annotations

import numpy as np

TARGETS = {"high": 0.90, "medium": 0.70}
# A cut-off no text reaches (certainty is at most 1, margins stay below 0.95): the band is never
# given. Finite, because JSON has no Infinity.
NEVER = 2.0
MIN_GROUP = 200  # texts a held-out genre needs before its accuracy can set a cut-off
CERTAINTY, MARGIN = "certainty", "margin"


def margins(probas: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    return np.abs(probas - thresholds).min(axis=1)


def certainties(probas: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Probability that every label decision is right, the labels taken as independent."""
    return np.where(probas >= thresholds, probas, 1.0 - probas).prod(axis=1)


MEASURES = {CERTAINTY: certainties, MARGIN: margins}


def _cutoff(score: np.ndarray, right: np.ndarray, target: float) -> float:
    """The lowest score above which (inclusive) at least `target` of the texts are right."""
    order = np.argsort(-score, kind="stable")
    running = np.cumsum(right[order]) / np.arange(1, len(order) + 1)
    ok = np.flatnonzero(running >= target)
    return float(score[order][ok[-1]]) if ok.size else NEVER


def confidence_cutoffs(probas: np.ndarray, thresholds: np.ndarray, Y: np.ndarray,
                       groups: list[str | None] | None = None, measure: str = CERTAINTY) -> dict[str, float]:
    """Cut-offs for `high` and then `medium` (among the texts below `high`), the strictest over the
    groups of at least MIN_GROUP texts (texts without a group form one); over all texts when no
    group is that large."""
    score = MEASURES[measure](probas, thresholds)
    right = ((probas >= thresholds) == Y.astype(bool)).all(axis=1)
    names = np.array(["" if g is None else str(g) for g in (groups if groups is not None else [None] * len(score))])
    pools = [names == g for g in np.unique(names) if (names == g).sum() >= MIN_GROUP] or [np.ones(len(score), bool)]
    high = max(_cutoff(score[p], right[p], TARGETS["high"]) for p in pools)
    below = [p & (score < high) for p in pools]
    medium = max((_cutoff(score[p], right[p], TARGETS["medium"]) for p in below if p.any()), default=high)
    return {"high": high, "medium": min(medium, high)}


def confidence_band(p: np.ndarray, thresholds: np.ndarray, cutoffs: dict[str, float],
                    measure: str = CERTAINTY) -> str:
    return confidence_bands(np.asarray(p)[None, :], thresholds, cutoffs, measure)[0]


def confidence_bands(probas: np.ndarray, thresholds: np.ndarray, cutoffs: dict[str, float],
                     measure: str = CERTAINTY) -> list[str]:
    """confidence_band of every row, in one pass."""
    return ["high" if s >= cutoffs["high"] else "medium" if s >= cutoffs["medium"] else "low"
            for s in MEASURES[measure](probas, thresholds).tolist()]
