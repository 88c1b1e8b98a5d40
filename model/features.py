"""Features with positions: word n-grams over tokens and character n-grams over normalised text."""
from __future__ import annotations

import math
from collections import Counter
from itertools import repeat
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from model.tokenize import Token

_DIGITS = str.maketrans("0123456789", "0000000000")


WORD = "\x01"  # prefix of word n-grams; normalised text holds no control characters


class Occurrences(NamedTuple):
    """Every feature found in one document, with normalised [start, end) positions, as parallel lists."""

    features: list[str]
    starts: list[int]
    ends: list[int]

    def within(self, start: int, end: int) -> "Occurrences":
        keep = [i for i, (s, e) in enumerate(zip(self.starts, self.ends)) if s >= start and e <= end]
        return Occurrences([self.features[i] for i in keep], [self.starts[i] for i in keep],
                           [self.ends[i] for i in keep])


def extract(text: str, tokens: list[Token], word_ngrams: tuple[int, int],
            char_ngrams: tuple[int, int]) -> Occurrences:
    """Every word and character n-gram of a normalised text with its position; digits fold to 0."""
    feats: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    words = [t.text.translate(_DIGITS) for t in tokens]
    lo, hi = word_ngrams
    for n in range(lo, hi + 1):
        for i in range(len(words) - n + 1):
            feats.append(WORD + " ".join(words[i:i + n]))
            starts.append(tokens[i].start)
            ends.append(tokens[i + n - 1].end)
    folded = text.translate(_DIGITS)
    lo, hi = char_ngrams
    length = len(folded)
    for n in range(lo, hi + 1):
        for i in range(length - n + 1):
            gram = folded[i:i + n]
            if n == 1 and (gram.isascii() or not gram.isalnum()):
                continue  # single Latin letters and punctuation say nothing
            if gram.isspace():
                continue
            feats.append(gram)
            starts.append(i)
            ends.append(i + n)
    return Occurrences(feats, starts, ends)


class FeatureSpace:
    """Vocabulary and inverse document frequencies; documents become l2-normalised sublinear tf-idf."""

    def __init__(self, min_df: int = 2) -> None:
        self.min_df = min_df

    def fit(self, docs: list[list[str]]) -> "FeatureSpace":
        df: Counter[str] = Counter()
        for feats in docs:
            df.update(set(feats))
        kept = sorted(f for f, k in df.items() if k >= self.min_df)
        self.vocabulary_ = {f: i for i, f in enumerate(kept)}
        n = len(docs)
        self.idf_ = np.array([math.log((1 + n) / (1 + df[f])) + 1.0 for f in kept])
        return self

    def transform(self, docs: list[list[str]]) -> sp.csr_matrix:
        get, idf = self.vocabulary_.get, self.idf_
        indptr, indices, data = [0], [], []
        for feats in docs:
            ids = np.fromiter(map(get, feats, repeat(-1)), dtype=np.int64, count=len(feats))
            cols, counts = np.unique(ids[ids >= 0], return_counts=True)
            vals = (1.0 + np.log(counts)) * idf[cols]
            norm = math.sqrt(float(vals @ vals)) or 1.0
            indices.append(cols)
            data.append(vals / norm)
            indptr.append(indptr[-1] + len(cols))
        return sp.csr_matrix(
            (np.concatenate(data) if data else np.zeros(0), np.concatenate(indices) if indices else np.zeros(0, np.int64),
             np.array(indptr)), shape=(len(docs), len(self.vocabulary_)))
