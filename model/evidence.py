"""Evidence: spread each feature's contribution to one label over its tokens, keep the strongest phrases."""
from __future__ import annotations

import numpy as np

from claimlens.model.analysis import Analysis
from claimlens.model.prediction import EvidenceSpan

_BREAKS = frozenset(".!?;,。！？；，、\n")


def _ranges(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(owner, value): every value of range(lo[j], hi[j]) for each j in turn, with its j."""
    sizes = hi - lo
    owner = np.repeat(np.arange(len(lo)), sizes)
    return owner, np.arange(len(owner)) + np.repeat(lo - (np.cumsum(sizes) - sizes), sizes)


def _sort_by(major: np.ndarray, middle: np.ndarray, minor: np.ndarray, n_middle: int, n_minor: int) -> np.ndarray:
    """np.lexsort((minor, middle, major)) for keys whose (major, middle, minor) triples are all different:
    one sort of a combined key where it fits in 63 bits, which costs a third of lexsort's three passes."""
    if not len(major) or (int(major.max()) + 1) * n_middle * n_minor >= 2 ** 63:
        return np.lexsort((minor, middle, major))
    return np.argsort((major * n_middle + middle) * n_minor + minor)


def token_scores(found, text_of: np.ndarray, spans: np.ndarray, labels: np.ndarray, rows, weights: np.ndarray,
                 token_bounds: list[np.ndarray], text_lengths: list[int]) -> list[np.ndarray]:
    """Each token's share of a label's log-odds, from the word and char n-grams that cover it, for
    many (text, label) pairs at once: one array of token scores per pair.

    found: the batch's in-vocabulary occurrences sorted by text (Found.by_text), in the order of
    features.extract within each text. Pair p is text text_of[p], label labels[p], scored on the
    view (whole text or clause) whose normalised [start, end) is spans[p] and whose tf-idf row is
    rows[p] (a CSR matrix, one row per pair); weights: the coefficient matrix (features x labels);
    token_bounds[t]: text t's token (start, end) pairs as an (n, 2) array.

    A feature's contribution (tf-idf value x coefficient) is split evenly over its occurrences in the
    view, and an occurrence's over the characters of it that lie in tokens. The additions are made
    in one call, feature by feature in order of first occurrence and each feature's occurrences in
    order: within a pair, the order of one text scored alone, so the sums round the same.
    """
    n_pairs = len(text_of)
    if not n_pairs:
        return []
    token_counts = np.array([len(b) for b in token_bounds], dtype=np.int64)
    token_first = np.concatenate(([0], np.cumsum(token_counts)))
    pair_first = np.concatenate(([0], np.cumsum(token_counts[text_of])))
    scores = np.zeros(pair_first[-1])
    if not len(found.texts) or not token_first[-1]:  # nothing found, or no token to give it to
        return np.split(scores, pair_first[1:-1])
    # every occurrence of each pair's text that lies inside the pair's view
    text_lo = np.searchsorted(found.texts, text_of)
    text_hi = np.searchsorted(found.texts, text_of, side="right")
    pair, occ = _ranges(text_lo, text_hi)
    inside = (found.starts[occ] >= spans[pair, 0]) & (found.ends[occ] <= spans[pair, 1])
    pair, occ = pair[inside], occ[inside]
    cols = found.columns[occ]
    # its feature's tf-idf value in the view's row (a feature outside the row contributes nothing)
    n_cols = rows.shape[1]
    row_keys = np.repeat(np.arange(rows.shape[0], dtype=np.int64), np.diff(rows.indptr)) * n_cols + rows.indices
    keys = pair * n_cols + cols
    at = np.minimum(np.searchsorted(row_keys, keys), max(len(row_keys) - 1, 0))
    known = row_keys[at] == keys if len(row_keys) else np.zeros(len(keys), dtype=bool)
    pair, occ, cols, at = pair[known], occ[known], cols[known], at[known]
    # each pair's features, their occurrences together in order; a feature's first entry starts a group
    order = _sort_by(pair, cols, occ, n_cols, len(found.texts))
    pair, occ, cols, at = pair[order], occ[order], cols[order], at[order]
    first = np.ones(len(pair), dtype=bool)
    first[1:] = (pair[1:] != pair[:-1]) | (cols[1:] != cols[:-1])
    group = np.cumsum(first) - 1
    share = (rows.data[at[first]] * weights[cols[first], labels[pair[first]]] / np.bincount(group))[group]
    # features by where they first occur, each one's occurrences in order; zero shares add nothing
    loop = _sort_by(pair, occ[first][group], occ, len(found.texts), len(found.texts))
    loop = loop[share[loop] != 0.0]
    pair, occ, share = pair[loop], occ[loop], share[loop]
    # every character of every occurrence, and the token of its text (if any) that holds it; texts are
    # laid end to end, so one sorted search over all tokens finds them
    shift = np.concatenate(([0], np.cumsum(np.asarray(text_lengths, dtype=np.int64) + 1)))
    bounds = np.concatenate([b for b in token_bounds if len(b)] or [np.zeros((0, 2), dtype=np.int64)])
    token_texts = np.repeat(np.arange(len(token_bounds)), token_counts)
    starts_g, ends_g = bounds[:, 0] + shift[token_texts], bounds[:, 1] + shift[token_texts]
    which, chars = _ranges(found.starts[occ], found.ends[occ])
    texts = text_of[pair]
    chars_g = chars + shift[texts[which]]
    owner = np.searchsorted(starts_g, chars_g, side="right") - 1
    held = (owner >= token_first[texts[which]]) & (chars_g < ends_g[np.maximum(owner, 0)])
    covered = np.bincount(which[held], minlength=len(pair))
    per_char = share / np.maximum(covered, 1)  # split by how many characters of the n-gram each token holds
    slot = pair_first[pair[which[held]]] + owner[held] - token_first[texts[which[held]]]
    np.add.at(scores, slot, per_char[which[held]])
    return np.split(scores, pair_first[1:-1])


def phrases(analysis: Analysis, scores: np.ndarray, label: str, min_share: float,
            max_spans: int) -> list[EvidenceSpan]:
    """Runs of strong tokens within one sentence, mapped to raw offsets, strongest first."""
    tokens, text = analysis.tokens, analysis.normalized.text
    if not len(tokens):
        return []
    vals = scores.tolist()  # a few tokens a text: Python floats cost less than numpy calls on each
    top = max(vals)
    if top <= 0:
        return []
    _, starts, ends = zip(*tokens)
    floor = min_share * top
    runs: list[tuple[int, int]] = []
    for i in [i for i, v in enumerate(vals) if v >= floor]:
        if runs:
            a, b = runs[-1]
            gap = text[ends[b]:starts[i]]
            bridge = i - b == 1 or (i - b == 2 and vals[b + 1] > 0)
            if bridge and not _BREAKS.intersection(gap) and not _BREAKS.intersection(
                    text[ends[b]:starts[b + 1]] if i - b == 2 else ""):
                runs[-1] = (a, i)
                continue
        runs.append((i, i))
    weights = {run: _run_sum(vals, scores, *run) for run in runs}
    ranked = sorted(runs, key=lambda r: -weights[r])
    best = weights[ranked[0]]
    norm = analysis.normalized
    out = []
    for a, b in ranked[:max_spans]:
        weight = weights[(a, b)]
        if weight < 0.25 * best:
            break
        start, end = norm.raw_span(starts[a], ends[b])
        out.append(EvidenceSpan(label, start, end, norm.raw[start:end], weight))
    return out


def _run_sum(vals: list[float], scores: np.ndarray, a: int, b: int) -> float:
    """scores[a:b + 1].sum(), exactly: numpy adds fewer than 8 numbers one by one from 0.0, as sum() does,
    and more in pairs, so only those go to numpy."""
    return sum(vals[a:b + 1]) if b - a < 7 else float(scores[a:b + 1].sum())
