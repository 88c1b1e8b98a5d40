"""Evidence: spread each feature's contribution to one label over its tokens, keep the strongest phrases."""
from __future__ import annotations

from collections import defaultdict

import numpy as np

from model.analysis import Analysis
from model.prediction import EvidenceSpan

_BREAKS = frozenset(".!?;,。！？；，、\n")


def token_scores(analysis: Analysis, row: dict[int, float], vocabulary: dict[str, int],
                 weights: np.ndarray) -> np.ndarray:
    """Each token's share of the label's log-odds, from the word and char n-grams that cover it."""
    tokens = analysis.tokens
    owner = np.full(len(analysis.normalized.text) + 1, -1)
    for i, t in enumerate(tokens):
        owner[t.start:t.end] = i
    places: dict[int, list] = defaultdict(list)
    occ = analysis.occurrences
    for feature, start, end in zip(occ.features, occ.starts, occ.ends):
        j = vocabulary.get(feature)
        if j is not None and j in row:
            places[j].append((start, end))
    scores = np.zeros(len(tokens))
    for j, occs in places.items():
        share = row[j] * weights[j] / len(occs)
        if share == 0.0:
            continue
        for start, end in occs:
            covered = owner[start:end]
            covered = covered[covered >= 0]
            if covered.size:  # split by how many characters of the n-gram each token holds
                np.add.at(scores, covered, share / covered.size)
    return scores


def phrases(analysis: Analysis, scores: np.ndarray, label: str, min_share: float,
            max_spans: int) -> list[EvidenceSpan]:
    """Runs of strong tokens within one sentence, mapped to raw offsets, strongest first."""
    tokens, text = analysis.tokens, analysis.normalized.text
    if not len(tokens) or scores.max() <= 0:
        return []
    strong = scores >= min_share * scores.max()
    runs: list[tuple[int, int]] = []
    for i in np.flatnonzero(strong):
        if runs:
            a, b = runs[-1]
            gap = text[tokens[b].end:tokens[i].start]
            bridge = i - b == 1 or (i - b == 2 and scores[b + 1] > 0)
            if bridge and not _BREAKS.intersection(gap) and not _BREAKS.intersection(
                    text[tokens[b].end:tokens[b + 1].start] if i - b == 2 else ""):
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
        start, end = norm.raw_span(tokens[a].start, tokens[b].end)
        out.append(EvidenceSpan(label, start, end, norm.raw[start:end], weight))
    return out
