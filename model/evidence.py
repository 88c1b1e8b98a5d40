"""Evidence: spread each feature's contribution to one label over its tokens, keep the strongest phrases."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from claimlens.model.analysis import Analysis
from claimlens.model.prediction import EvidenceSpan
from claimlens.model.tokenize import Span

_BREAKS = frozenset(".!?;,。！？；，、\n")


def _in_sorted(values: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Which values are among the sorted keys (np.isin costs several times as much on small arrays)."""
    if not keys.size:
        return np.zeros(len(values), dtype=bool)
    return keys[np.minimum(np.searchsorted(keys, values), len(keys) - 1)] == values


def _shares(cols: np.ndarray, row: dict[int, float], weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The occurrences (indices into cols, their vocabulary columns) of the row's features with a
    nonzero contribution, each with its even share of its feature's contribution, in the order of a
    loop over the features by first occurrence and over each feature's occurrences: the order the
    sums must follow to round the same.
    """
    found = np.flatnonzero(_in_sorted(cols, np.sort(np.fromiter(row, dtype=np.int64, count=len(row)))))
    if not found.size:
        return found, np.zeros(0)
    by_feature = found[np.argsort(cols[found], kind="stable")]  # each feature's occurrences together, in order
    ordered = cols[by_feature]
    first = np.concatenate(([True], ordered[1:] != ordered[:-1]))  # each feature's first occurrence
    group = np.cumsum(first) - 1
    feature = ordered[first]
    values = np.fromiter(map(row.__getitem__, feature.tolist()), dtype=float, count=len(feature))
    shares = (values * weights[feature] / np.bincount(group))[group]
    loop = np.argsort(by_feature[first][group], kind="stable")  # features by where they first occur
    loop = loop[shares[loop] != 0.0]
    return by_feature[loop], shares[loop]


def token_scores(tokens: Sequence[Span], columns: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                 row: dict[int, float], weights: np.ndarray) -> np.ndarray:
    """Each token's share of the label's log-odds, from the word and char n-grams that cover it.

    The n-grams are given as the vocabulary columns and [start, end) of their occurrences, in the
    order of features.extract. A feature's contribution is split evenly over its occurrences, and an
    occurrence's over the characters of it that lie in tokens. The additions are made in one call,
    in the order of _shares.
    """
    scores = np.zeros(len(tokens))
    found, shares = _shares(columns, row, weights)
    if not found.size or not tokens:
        return scores
    starts = starts[found]
    lengths = ends[found] - starts
    # every character of every occurrence, and the token (if any) that holds it
    which = np.repeat(np.arange(len(found)), lengths)
    chars = np.arange(len(which)) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    _, token_starts, token_ends = zip(*tokens)
    token_starts, token_ends = np.array(token_starts), np.array(token_ends)
    owner = np.searchsorted(token_starts, chars, side="right") - 1  # tokens are in order, not overlapping
    inside = (owner >= 0) & (chars < token_ends[owner])
    covered = np.bincount(which[inside], minlength=len(found))
    per_char = shares / np.maximum(covered, 1)  # split by how many characters of the n-gram each token holds
    np.add.at(scores, owner[inside], per_char[which[inside]])
    return scores


def phrases(analysis: Analysis, scores: np.ndarray, label: str, min_share: float,
            max_spans: int) -> list[EvidenceSpan]:
    """Runs of strong tokens within one sentence, mapped to raw offsets, strongest first."""
    tokens, text = analysis.tokens, analysis.normalized.text
    if not len(tokens) or scores.max() <= 0:
        return []
    _, starts, ends = zip(*tokens)
    strong = scores >= min_share * scores.max()
    runs: list[tuple[int, int]] = []
    for i in np.flatnonzero(strong):
        if runs:
            a, b = runs[-1]
            gap = text[ends[b]:starts[i]]
            bridge = i - b == 1 or (i - b == 2 and scores[b + 1] > 0)
            if bridge and not _BREAKS.intersection(gap) and not _BREAKS.intersection(
                    text[ends[b]:starts[b + 1]] if i - b == 2 else ""):
                runs[-1] = (a, i)
                continue
        runs.append((i, i))
    ranked = sorted(runs, key=lambda r: -scores[r[0]:r[1] + 1].sum())
    best = scores[ranked[0][0]:ranked[0][1] + 1].sum()
    norm = analysis.normalized
    out = []
    for a, b in ranked[:max_spans]:
        weight = float(scores[a:b + 1].sum())
        if weight < 0.25 * best:
            break
        start, end = norm.raw_span(starts[a], ends[b])
        out.append(EvidenceSpan(label, start, end, norm.raw[start:end], weight))
    return out
