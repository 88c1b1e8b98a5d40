"""Clause pooling: a text scores as high as its whole or its strongest clause for each label.

A long review that names its problem in one clause would otherwise see that clause's features
diluted by every other word in the l2-normalised whole.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import chain
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from model.analysis import Analysis
from model.features import FeatureSpace

_CLAUSE_BREAK = re.compile(r"[!?;。！？；，、\n]+|[.,](?!\d)")


class Pooled(NamedTuple):
    decisions: np.ndarray        # (n_texts, n_labels) log-odds, max over each text's views
    rows: sp.csr_matrix          # one row per view
    spans: list[tuple[int, int]]  # normalised [start, end) of each view
    winner: np.ndarray           # (n_texts, n_labels) index into rows of the view that won


def clause_spans(text: str) -> list[tuple[int, int]]:
    """The whole text first, then its clauses when there are two or more."""
    spans, start = [], 0
    for m in _CLAUSE_BREAK.finditer(text):
        if text[start:m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return [(0, len(text))] + (spans if len(spans) > 1 else [])


def view_features(analysis: Analysis, span: tuple[int, int]) -> list[str]:
    return views_features(analysis, [span])[0]


def views_features(analysis: Analysis, spans: list[tuple[int, int]]) -> list[list[str]]:
    """Features inside each span, in one pass over the occurrences (the clauses do not overlap)."""
    whole = (0, len(analysis.normalized.text))
    out = [analysis.features if span == whole else [] for span in spans]
    parts = [(s, e, out[i]) for i, (s, e) in enumerate(spans) if (s, e) != whole]
    if not parts:
        return out
    firsts = [s for s, _, _ in parts]
    occ = analysis.occurrences
    for feature, start, end in zip(occ.features, occ.starts, occ.ends):
        k = bisect_right(firsts, start) - 1
        if k >= 0 and end <= parts[k][1]:
            parts[k][2].append(feature)
    return out


def _view_occurrences(analyses: list[Analysis], spans: list[tuple[int, int]],
                      owner_start: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """(view row, occurrence) pairs of all texts at once, as views_features would give them.

    Each text's views are its whole text (row owner_start) and then its clauses, in order and not
    overlapping; occurrences are numbered across all texts. An occurrence is in its text's whole
    view and in the clause, if any, that holds it.
    """
    sizes = [len(a.occurrences.starts) for a in analyses]
    whole = np.repeat(np.asarray(owner_start, dtype=np.int64), sizes)
    bounds = owner_start + [len(spans)]
    clause_rows = [r for t in range(len(analyses)) for r in range(bounds[t] + 1, bounds[t + 1])]
    if not clause_rows:
        return whole, np.arange(len(whole))
    # Each text's positions shifted past every earlier text: one sorted search finds the clause of
    # every occurrence, and a clause of another text can never hold it.
    offsets = np.cumsum([0] + [len(a.normalized.text) + 1 for a in analyses[:-1]])
    shift = np.repeat(offsets, sizes)
    starts = np.fromiter(chain.from_iterable(a.occurrences.starts for a in analyses), np.int64, len(whole)) + shift
    ends = np.fromiter(chain.from_iterable(a.occurrences.ends for a in analyses), np.int64, len(whole)) + shift
    text_of_row = np.repeat(np.arange(len(analyses)), np.diff(bounds))
    clauses = np.array([spans[r] for r in clause_rows]) + offsets[text_of_row[clause_rows], None]
    k = np.searchsorted(clauses[:, 0], starts, side="right") - 1  # the last clause starting at or before
    held = np.flatnonzero((k >= 0) & (ends <= clauses[k, 1]))
    rows = np.concatenate([whole, np.asarray(clause_rows)[k[held]]])
    return rows, np.concatenate([np.arange(len(whole)), held])


def pooled_decisions(space: FeatureSpace, coef: np.ndarray, intercept: np.ndarray,
                     analyses: list[Analysis], pool: bool = True) -> Pooled:
    spans, owner_start = [], []
    for a in analyses:
        owner_start.append(len(spans))
        spans.extend(clause_spans(a.normalized.text) if pool else [(0, len(a.normalized.text))])
    columns = space.columns(list(chain.from_iterable(a.features for a in analyses)))
    view_rows, occurrences = _view_occurrences(analyses, spans, owner_start)
    rows = space.tfidf(view_rows, columns[occurrences], len(spans))
    D = rows @ coef + intercept
    if not analyses:
        return Pooled(np.zeros((0, coef.shape[1])), rows, spans, np.zeros((0, coef.shape[1]), dtype=int))
    starts = np.array(owner_start)
    decisions = np.maximum.reduceat(D, starts, axis=0)
    # each text's first view that reaches its maximum, the one argmax picks (a NaN, if any, wins)
    owner = np.repeat(np.arange(len(analyses)), np.diff(np.append(starts, len(spans))))
    reached = (D == decisions[owner]) | np.isnan(D)
    winner = np.minimum.reduceat(np.where(reached, np.arange(len(spans))[:, None], len(spans)), starts, axis=0)
    return Pooled(decisions, rows, spans, winner)


def clause_examples(analysis: Analysis, evidence: Sequence[tuple[str, int, int]],
                    reasons: Sequence[str]) -> list[tuple[list[str], np.ndarray]]:
    """Extra training rows from a text's clauses: a clause carries the labels whose gold
    evidence (raw offsets) it overlaps, and none when it holds no evidence.

    This teaches the scorer what it meets under clause pooling: one clause of a long text.
    """
    norm = analysis.normalized
    views = clause_spans(norm.text)[1:]
    if not views or not evidence:
        return []
    out = []
    for s, e in views:
        raw_s, raw_e = norm.raw_span(s, e)
        row = np.zeros(len(reasons), dtype=int)
        for label, ev_s, ev_e in evidence:
            if label in reasons and ev_s < raw_e and raw_s < ev_e:
                row[reasons.index(label)] = 1
        out.append(row)
    return list(zip(views_features(analysis, views), out))
