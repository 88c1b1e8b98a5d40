"""Features with positions: word n-grams over tokens and character n-grams over normalised text."""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import chain, compress, repeat
from operator import add
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from claimlens.model.chargrams import CharGramIndex, CharOccurrences
from claimlens.model.tokenize import Span

DIGITS = str.maketrans("0123456789", "0000000000")


WORD = "\x01"  # prefix of word n-grams; normalised text holds no control characters


class Occurrences(NamedTuple):
    """Every feature found in one document, with normalised [start, end) positions, as parallel lists
    (tuples in an Analysis)."""

    features: Sequence[str]
    starts: Sequence[int]
    ends: Sequence[int]

    def within(self, start: int, end: int) -> "Occurrences":
        inside = [s >= start and e <= end for s, e in zip(self.starts, self.ends)]
        return Occurrences(list(compress(self.features, inside)), list(compress(self.starts, inside)),
                           list(compress(self.ends, inside)))


# Two whitespace characters in a row: only then can a character n-gram (n >= 2) be all space.
_SPACE_PAIR = re.compile(r"\s\s")


def _word_grams(tokens: Sequence[Span], lo: int, hi: int) -> Occurrences:
    """Word n-grams, shortest first, each from its first token's start to its last token's end."""
    if not tokens:
        return Occurrences([], [], [])
    texts, token_starts, token_ends = zip(*tokens)
    words = [w.translate(DIGITS) for w in texts]
    feats: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for n in range(lo, hi + 1):
        count = len(words) - n + 1
        if count <= 0:
            continue
        if n == 1:
            feats += [WORD + w for w in words]
        else:
            feats += [WORD + " ".join(words[i:i + n]) for i in range(count)]
        starts += token_starts[:count]
        ends += token_ends[n - 1:]
    return Occurrences(feats, starts, ends)


def _char_grams(folded: str, lo: int, hi: int) -> Occurrences:
    """Character n-grams, shortest first; each n-gram is an (n-1)-gram and the character after it."""
    feats: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    spaced = _SPACE_PAIR.search(folded) is not None  # normalised text: whitespace is already folded
    grams: Iterable[str] = folded
    for n in range(1, hi + 1):
        if n > 1:
            grams = list(map(add, grams, folded[n - 1:]))
        if n < lo:
            continue
        if n == 1:  # single Latin letters and punctuation say nothing
            keep = [] if folded.isascii() else [i for i, c in enumerate(folded) if not c.isascii() and c.isalnum()]
        elif spaced:
            keep = [i for i, g in enumerate(grams) if not g.isspace()]
        else:  # all of them
            feats += grams
            starts += range(len(grams))
            ends += range(n, len(grams) + n)
            continue
        feats += [grams[i] for i in keep]
        starts += keep
        ends += [i + n for i in keep]
    return Occurrences(feats, starts, ends)


def extract(text: str, tokens: Sequence[Span], word_ngrams: tuple[int, int],
            char_ngrams: tuple[int, int]) -> Occurrences:
    """Every word and character n-gram of a normalised text with its position; digits fold to 0."""
    return join(word_grams(tokens, word_ngrams), char_grams(text, char_ngrams))


def word_grams(tokens: Sequence[Span], word_ngrams: tuple[int, int]) -> Occurrences:
    """The word n-grams of extract."""
    return _word_grams(tokens, *word_ngrams)


def char_grams(text: str, char_ngrams: tuple[int, int]) -> Occurrences:
    """The character n-grams of extract."""
    return _char_grams(text.translate(DIGITS), *char_ngrams)


def join(first: Occurrences, second: Occurrences) -> Occurrences:
    """first's occurrences, then second's, in lists."""
    return Occurrences([*first.features, *second.features], [*first.starts, *second.starts],
                       [*first.ends, *second.ends])


class FeatureSpace:
    """Vocabulary and inverse document frequencies; documents become l2-normalised sublinear tf-idf."""

    def __init__(self, min_df: int = 2) -> None:
        self.min_df = min_df

    def __getstate__(self) -> dict:
        # the character n-gram index is made again from the vocabulary, not saved with the model
        return {k: v for k, v in self.__dict__.items() if k != "_char_trie"}

    def fit(self, docs: list[list[str]]) -> "FeatureSpace":
        self.__dict__.pop("_char_trie", None)
        df: Counter[str] = Counter()
        for feats in docs:
            df.update(set(feats))
        kept = sorted(f for f, k in df.items() if k >= self.min_df)
        self.vocabulary_ = {f: i for i, f in enumerate(kept)}
        n = len(docs)
        self.idf_ = np.array([math.log((1 + n) / (1 + df[f])) + 1.0 for f in kept])
        return self

    def to_state(self) -> tuple[dict, dict[str, np.ndarray]]:
        """The vocabulary in column order and the idf weights (see from_state)."""
        vocabulary = sorted(self.vocabulary_, key=self.vocabulary_.__getitem__)
        return {"min_df": self.min_df, "vocabulary": vocabulary}, {"idf": self.idf_}

    @classmethod
    def from_state(cls, meta: dict, arrays: dict[str, np.ndarray]) -> "FeatureSpace":
        self = cls(meta["min_df"])
        self.vocabulary_ = {f: i for i, f in enumerate(meta["vocabulary"])}
        self.idf_ = arrays["idf"]
        return self

    def transform(self, docs: list[list[str]]) -> sp.csr_matrix:
        columns = self.columns(list(chain.from_iterable(docs)))
        rows = np.repeat(np.arange(len(docs)), [len(feats) for feats in docs])
        return self.tfidf(rows, columns, len(docs))

    def char_occurrences(self, texts: list[str], char_ngrams: tuple[int, int]) -> CharOccurrences:
        """The in-vocabulary character n-grams of many normalised texts at once, without their strings.

        They are those of char_grams exactly: an n-gram that char_grams drops (one ASCII character, an
        all-space n-gram) was never a feature, so a vocabulary fitted on extract's features lacks it.
        """
        return self._char_index().find([text.translate(DIGITS) for text in texts], *char_ngrams)

    def warm_up(self) -> "FeatureSpace":
        """Build the character n-gram index now, not on the first request."""
        self._char_index()
        return self

    def _char_index(self) -> CharGramIndex:
        """Made from the vocabulary at first use, and again after fit."""
        index = self.__dict__.get("_char_trie")
        if index is None:
            chars = {gram: column for gram, column in self.vocabulary_.items() if not gram.startswith(WORD)}
            index = self._char_trie = CharGramIndex(chars)
        return index

    def columns(self, feats: list[str]) -> np.ndarray:
        """Vocabulary column of each feature; -1 for a feature outside the vocabulary."""
        return np.fromiter(map(self.vocabulary_.get, feats, repeat(-1)), dtype=np.int64, count=len(feats))

    def tfidf(self, rows: np.ndarray, columns: np.ndarray, n_rows: int) -> sp.csr_matrix:
        """Documents from the (row, column) of every feature occurrence, all rows at once.

        Column -1 (outside the vocabulary) is dropped.
        """
        known = columns >= 0
        n_cols = len(self.vocabulary_)
        # One key per (row, column): sorted, the keys hold each row's columns in ascending order, and
        # the keys that repeat give the term counts.
        keys, counts = np.unique(rows[known] * n_cols + columns[known], return_counts=True)
        row_of, cols = np.divmod(keys, n_cols)
        indptr = np.concatenate(([0], np.cumsum(np.bincount(row_of, minlength=n_rows))))
        vals = (1.0 + np.log(counts)) * self.idf_[cols]
        # One dot product per row, exactly as for a document transformed alone: a norm summed in
        # another order rounds differently in the last bits, and the scores would move with it.
        bounds = indptr.tolist()
        norms = [math.sqrt(float(v @ v)) or 1.0 for v in (vals[a:b] for a, b in zip(bounds, bounds[1:]))]
        return sp.csr_matrix((vals / np.repeat(norms, np.diff(indptr)), cols, indptr), shape=(n_rows, n_cols))
