"""Confidence bands, set on out-of-fold predictions so that each band means a measured accuracy.

A text's margin is the smallest distance of any label's score from that label's threshold: the
closest call made on it. `high` starts at the margin above which out-of-fold predictions had the
whole label set right at least 90% of the time, `medium` at 70%.
"""
from __future__ import annotations

import numpy as np

TARGETS = {"high": 0.90, "medium": 0.70}
# A cut-off no margin reaches (thresholds lie in [0.05, 0.95], so margins stay below 0.95): the band
# is never given. Finite, because JSON has no Infinity.
NEVER = 1.0


def margins(probas: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    return np.abs(probas - thresholds).min(axis=1)


def confidence_cutoffs(probas: np.ndarray, thresholds: np.ndarray, Y: np.ndarray) -> dict[str, float]:
    m = margins(probas, thresholds)
    right = ((probas >= thresholds) == Y.astype(bool)).all(axis=1)
    order = np.argsort(-m)
    # accuracy of the texts whose margin is at least each margin, from the largest down
    running = np.cumsum(right[order]) / np.arange(1, len(order) + 1)
    cutoffs = {}
    for band, target in TARGETS.items():
        ok = np.flatnonzero(running >= target)
        cutoffs[band] = float(m[order][ok[-1]]) if ok.size else NEVER
    cutoffs["medium"] = min(cutoffs["medium"], cutoffs["high"])
    return cutoffs


def confidence_band(p: np.ndarray, thresholds: np.ndarray, cutoffs: dict[str, float]) -> str:
    margin = float(np.abs(p - thresholds).min())
    return "high" if margin >= cutoffs["high"] else "medium" if margin >= cutoffs["medium"] else "low"


def confidence_bands(probas: np.ndarray, thresholds: np.ndarray, cutoffs: dict[str, float]) -> list[str]:
    """confidence_band of every row, in one pass."""
    return ["high" if m >= cutoffs["high"] else "medium" if m >= cutoffs["medium"] else "low"
            for m in margins(probas, thresholds).tolist()]
