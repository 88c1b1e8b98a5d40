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

from claimlens.model.analysis import Analysis
from claimlens.model.features import FeatureSpace

_CLAUSE_BREAK = re.compile(r"[!?;。！？；，、\n]+|[.,](?!\d)")


class Pooled(NamedTuple):
    decisions: np.ndarray        # (n_texts, n_labels) log-odds, max over each text's views
    rows: sp.csr_matrix          # one row per view
    spans: list[tuple[int, int]]  # normalised [start, end) of each view
    winner: np.ndarray           # (n_texts, n_labels) index into rows of the view that won
    found: Found                 # the in-vocabulary feature occurrences the rows were made from


def _has_letter(piece: str) -> bool:
    return any(c.isalpha() for c in piece)


def clause_spans(text: str) -> list[tuple[int, int]]:
    """The whole text first, then its clauses when there are two or more.

    A piece without a letter ("2" of a numbered list "1. ... 2. ...", an emoji, a price) is no
    clause: alone in an l2-normalised row its one or two features would weigh as much as a whole
    sentence's (a lone "2" scored missing_parts 1.0).
    """
    spans, start = [], 0
    for m in _CLAUSE_BREAK.finditer(text):
        if _has_letter(text[start:m.start()]):
            spans.append((start, m.start()))
        start = m.end()
    if _has_letter(text[start:]):
        spans.append((start, len(text)))
    return [(0, len(text))] + (spans if len(spans) > 1 else [])


def view_features(analysis: Analysis, span: tuple[int, int]) -> list[str]:
    return views_features(analysis, [span])[0]


def views_features(analysis: Analysis, spans: list[tuple[int, int]]) -> list[list[str]]:
    """Features inside each span, in one pass over the occurrences (the clauses do not overlap)."""
    whole = (0, len(analysis.normalized.text))
    occ = analysis.occurrences
    out = [occ.features if span == whole else [] for span in spans]
    parts = [(s, e, out[i]) for i, (s, e) in enumerate(spans) if (s, e) != whole]
    if not parts:
        return out
    firsts = [s for s, _, _ in parts]
    for feature, start, end in zip(occ.features, occ.starts, occ.ends):
        k = bisect_right(firsts, start) - 1
        if k >= 0 and end <= parts[k][1]:
            parts[k][2].append(feature)
    return out


class Found(NamedTuple):
    """In-vocabulary feature occurrences, as parallel arrays."""

    texts: np.ndarray    # index of the text in the batch
    columns: np.ndarray  # vocabulary column
    starts: np.ndarray   # normalised [start, end) in the text
    ends: np.ndarray

    def by_text(self) -> "Found":
        """Sorted by text, keeping the order within each: word n-grams, then character n-grams by n and
        position, the order of features.extract (evidence sums in it)."""
        order = np.argsort(self.texts, kind="stable")
        return Found(*(a[order] for a in self))


def _found(space: FeatureSpace, analyses: list[Analysis]) -> Found:
    """Word n-grams through the vocabulary, then character n-grams, all texts at once (see chargrams).

    Words first: Found.by_text gives each text's occurrences in the order of features.extract.
    """
    words = [a.words for a in analyses]
    columns = space.columns(list(chain.from_iterable(w.features for w in words)))
    sizes = [len(w.features) for w in words]
    texts = np.repeat(np.arange(len(analyses)), sizes)
    starts = np.fromiter(chain.from_iterable(w.starts for w in words), np.int64, len(columns))
    ends = np.fromiter(chain.from_iterable(w.ends for w in words), np.int64, len(columns))
    known = columns >= 0
    found = [Found(texts[known], columns[known], starts[known], ends[known])]
    for char_ngrams in dict.fromkeys(a.char_ngrams for a in analyses):  # one setting, from one analyzer
        which = [i for i, a in enumerate(analyses) if a.char_ngrams == char_ngrams]
        chars = space.char_occurrences([analyses[i].normalized.text for i in which], char_ngrams)
        found.append(Found(np.asarray(which, dtype=np.int64)[chars.texts], chars.columns, chars.starts, chars.ends))
    return Found(*map(np.concatenate, zip(*found)))


def _view_rows(found: Found, text_lengths: list[int], spans: list[tuple[int, int]],
               owner_start: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """(view row, occurrence) pairs of all texts at once, as views_features would give them.

    Each text's views are its whole text (row owner_start) and then its clauses, in order and not
    overlapping. An occurrence is in its text's whole view and in the clause, if any, that holds it.
    """
    whole = np.asarray(owner_start, dtype=np.int64)[found.texts]
    bounds = owner_start + [len(spans)]
    clause_rows = [r for t in range(len(owner_start)) for r in range(bounds[t] + 1, bounds[t + 1])]
    if not clause_rows:
        return whole, np.arange(len(whole))
    # Each text's positions shifted past every earlier text: one sorted search finds the clause of
    # every occurrence, and a clause of another text can never hold it.
    offsets = np.cumsum([0] + [n + 1 for n in text_lengths[:-1]])
    starts = found.starts + offsets[found.texts]
    ends = found.ends + offsets[found.texts]
    text_of_row = np.repeat(np.arange(len(owner_start)), np.diff(bounds))
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
    found = _found(space, analyses)
    view_rows, occurrences = _view_rows(found, [len(a.normalized.text) for a in analyses], spans, owner_start)
    rows = space.tfidf(view_rows, found.columns[occurrences], len(spans))
    D = rows @ coef + intercept
    if not analyses:
        return Pooled(np.zeros((0, coef.shape[1])), rows, spans, np.zeros((0, coef.shape[1]), dtype=int), found)
    starts = np.array(owner_start)
    decisions = np.maximum.reduceat(D, starts, axis=0)
    # each text's first view that reaches its maximum, the one argmax picks (a NaN, if any, wins)
    owner = np.repeat(np.arange(len(analyses)), np.diff(np.append(starts, len(spans))))
    reached = (D == decisions[owner]) | np.isnan(D)
    winner = np.minimum.reduceat(np.where(reached, np.arange(len(spans))[:, None], len(spans)), starts, axis=0)
    return Pooled(decisions, rows, spans, winner, found)


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
