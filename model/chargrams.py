"""The vocabulary's character n-grams in a whole batch of texts at once, found from code points.

A short message has some 200 character n-grams: making a string of each and looking it up in the
vocabulary took most of the time of scoring a batch. Here the vocabulary's character n-grams become
a trie of code points, and all the texts of a batch walk it together in numpy, one n at a time.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import numpy as np

_SEPARATOR = 0x110000  # one past the last code point: set between texts, no n-gram spans two texts
_RADIX = _SEPARATOR + 1  # an edge's key is parent node * _RADIX + code point
_NONE = np.zeros(0, dtype=np.int64)  # so that concatenating no arrays gives an empty int64 one
_SORT_FROM = 4096  # searches worth sorting first (a batch's); a few texts' are not


class CharOccurrences(NamedTuple):
    """In-vocabulary character n-grams of a batch, as parallel arrays: text index, column, [start, end)."""

    texts: np.ndarray
    columns: np.ndarray
    starts: np.ndarray
    ends: np.ndarray


class CharGramIndex:
    """A trie of the strings of a {string: column} vocabulary; node 0 is the empty string."""

    def __init__(self, vocabulary: Mapping[str, int]) -> None:
        nodes = {"": 0}
        keys: list[int] = []
        columns = [-1]  # the vocabulary column of each node's string, -1 for a prefix only
        for gram in vocabulary:
            for k in range(1, len(gram) + 1):  # a prefix's parent is always made first
                prefix = gram[:k]
                if prefix not in nodes:
                    nodes[prefix] = len(columns)
                    keys.append(nodes[gram[:k - 1]] * _RADIX + ord(gram[k - 1]))
                    columns.append(vocabulary.get(prefix, -1))
        # sorted for searchsorted, and ending in a key above any edge's, so that every search lands on a key
        order = np.argsort(np.array(keys, dtype=np.int64))
        self.keys = np.append(np.array(keys, dtype=np.int64)[order], np.iinfo(np.int64).max)
        self.children = np.append(np.arange(1, len(columns))[order], -1)  # key i was made with node i + 1
        self.columns = np.array(columns, dtype=np.int64)

    def _extend(self, alive: np.ndarray, nodes: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The positions (of alive) whose node has an edge for their code point, and the nodes it leads to."""
        wanted = nodes * _RADIX + codes
        if len(wanted) < _SORT_FROM:
            at = np.searchsorted(self.keys, wanted)
        else:
            # Searched in sorted order, neighbouring searches take the same branches: sorting first and
            # putting the answers back costs about half of searching a batch in text order.
            order = np.argsort(wanted)
            at = np.empty(len(wanted), dtype=np.intp)
            at[order] = np.searchsorted(self.keys, wanted[order])
        hit = self.keys[at] == wanted
        return alive[hit], self.children[at[hit]]

    def find(self, texts: list[str], lo: int, hi: int) -> CharOccurrences:
        """Every n-gram (lo <= n <= hi) of the texts that is in the vocabulary, shortest first, each
        n by position."""
        codes, text_starts = _code_points(texts)
        levels: list[tuple[np.ndarray, np.ndarray, int]] = []  # (positions, nodes, n) of each n >= lo
        alive = np.arange(len(codes))  # the positions whose (n-1)-gram is a trie node ...
        nodes = np.zeros(len(codes), dtype=np.int64)  # ... and that node
        for n in range(1, hi + 1):
            # a trie node holds no separator, and the codes end with one: alive + n - 1 is in range
            alive, nodes = self._extend(alive, nodes, codes[alive + n - 1])
            if n >= lo:
                levels.append((alive, nodes, n))
        columns = self.columns[np.concatenate([v for _, v, _ in levels] + [_NONE])]
        known = columns >= 0  # a node can be a prefix only
        positions = np.concatenate([p for p, _, _ in levels] + [_NONE])[known]
        lengths = np.concatenate([np.full(len(p), n) for p, _, n in levels] + [_NONE])[known]
        texts_of = np.searchsorted(text_starts, positions, side="right") - 1
        starts = positions - text_starts[texts_of]
        return CharOccurrences(texts_of, columns[known], starts, starts + lengths)


def _code_points(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The texts' code points one after another, a separator after each; each text's start."""
    joined = "".join(text + "\x00" for text in texts)  # "\x00": where the separators go
    # surrogatepass: a lone surrogate is one character of the text, as it is in Python
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
    sizes = [len(text) + 1 for text in texts]
    ends = np.cumsum(sizes, dtype=np.int64)
    codes[ends - 1] = _SEPARATOR
    return codes, ends - sizes
