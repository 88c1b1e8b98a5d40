"""Language identification for the seven store languages: script first, then a char n-gram model."""
from __future__ import annotations

import math
import re
from collections import Counter
from itertools import repeat
from operator import add

import numpy as np

LANGUAGES = ("en", "zh", "de", "fr", "es", "it", "ja")
LATIN_LANGUAGES = ("en", "de", "fr", "es", "it")
UNDETERMINED = "und"


# Kana (U+3040-U+30FF but the middle dot U+30FB) and Han (unified ideographs, extension A,
# compatibility ideographs), counted by the C regex engine rather than character by character.
_KANA = "\u3040-\u30fa\u30fc-\u30ff"
_HAN = "\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff"
_KANA_RUN = re.compile(f"[{_KANA}]+")
_HAN_RUN = re.compile(f"[{_HAN}]+")
_CJK = re.compile(f"[{_KANA}{_HAN}]+")

_LATIN_EXTRA = frozenset("àâäçéèêëîïôöùûüÿñœæßìíòóú")
_LATIN_WORD = re.compile("[a-zA-Z" + "".join(sorted(_LATIN_EXTRA)) + "]+")  # ASCII letters and the extras
# Words whose table rows a memo keeps (about 0.3 KiB each); later words are looked up afresh, so the
# memory of a long-running worker stays flat (the common words came first)
WORD_MEMO_LIMIT = 20_000
_MAX_CHARS = 400  # the first few hundred characters settle the language; the rest only costs time


def _latin_grams(text: str) -> list[str]:
    """Character 1-3 grams of the letter runs, padded with spaces as word boundaries."""
    grams: list[str] = []
    for word in _LATIN_WORD.findall(text, 0, _MAX_CHARS):
        grams += _run_grams(word)
    return grams


def _run_grams(word: str) -> list[str]:
    """The 1-3 grams of one letter run (a word), padded with a space either side: its characters, pairs
    and trigrams."""
    w = f" {word} "
    pairs = list(map(add, w, w[1:]))
    return [*w, *pairs, *map(add, pairs, w[2:])]  # a pair and the character after it: the trigram


def _count(run: re.Pattern, text: str) -> int:
    """Characters in the matches of a one-class run pattern."""
    return sum(map(len, run.findall(text)))


class LanguageIdentifier:
    """Kana means Japanese, Han without kana Chinese; Latin text goes to a naive Bayes model."""

    def __init__(self, alpha: float = 0.5) -> None:
        self.alpha = alpha

    def fit(self, texts: list[str], languages: list[str]) -> "LanguageIdentifier":
        counts: dict[str, Counter] = {lang: Counter() for lang in LATIN_LANGUAGES}
        for text, lang in zip(texts, languages):  # other languages (pt, ...) teach nothing here
            if lang in counts:
                counts[lang].update(_latin_grams(text))
        # Only the Latin-script languages seen in training can be told apart.
        counts = {lang: c for lang, c in counts.items() if c}
        vocab = sorted(set().union(*counts.values())) if counts else []
        self.languages_ = list(counts)
        self.index_ = {g: i + 1 for i, g in enumerate(vocab)}  # row 0: a gram never seen in training
        self.table_ = np.zeros((len(vocab) + 1, len(counts)))
        for k, (lang, c) in enumerate(counts.items()):
            total = sum(c.values()) + self.alpha * (len(vocab) + 1)
            self.table_[:, k] = math.log(self.alpha / total)  # unseen, until counted below
            for g, n in c.items():
                self.table_[self.index_[g], k] = math.log((n + self.alpha) / total)
        return self

    def to_state(self) -> tuple[dict, dict[str, np.ndarray]]:
        """JSON-able settings and arrays that rebuild this identifier (see from_state)."""
        grams = sorted(self.index_, key=self.index_.__getitem__)  # row order: row k + 1 is grams[k]
        return {"alpha": self.alpha, "languages": self.languages_, "grams": grams}, {"table": self.table_}

    @classmethod
    def from_state(cls, meta: dict, arrays: dict[str, np.ndarray]) -> "LanguageIdentifier":
        self = cls(meta["alpha"])
        self.languages_ = list(meta["languages"])
        self.index_ = {g: i + 1 for i, g in enumerate(meta["grams"])}
        self.table_ = arrays["table"]
        return self

    def identify(self, text: str, word_rows: dict[str, list[int]] | None = None) -> str:
        """Language code of a normalised text, or 'und' when it has no letters.

        word_rows: a memo of each word's table rows to share across texts, filled up to WORD_MEMO_LIMIT.
        """
        head = text[:_MAX_CHARS]
        kana = han = 0
        if not head.isascii():
            kana, han = _count(_KANA_RUN, head), _count(_HAN_RUN, head)
        if kana and kana * 10 >= han:
            return "ja"
        if han:  # letters outside kana and Han are the Latin ones
            latin = sum(map(str.isalpha, _CJK.sub("", head)))
            if han * 3 >= latin or han >= 4:
                return "zh" if not kana else "ja"
        elif not any(map(str.isalpha, head)):  # no kana and no Han: any letter is Latin
            return UNDETERMINED
        if not self.languages_:
            return UNDETERMINED
        rows = np.array(self._gram_rows(text, {} if word_rows is None else word_rows), dtype=np.intp)
        return self.languages_[int(np.add.reduce(self.table_.take(rows, axis=0), axis=0).argmax())]

    def _gram_rows(self, text: str, word_rows: dict[str, list[int]]) -> list[int]:
        """The table row of each of _latin_grams(text), in its order (the sum must round the same).

        Word by word through the memo: the common words come back in every text, and making their
        grams cost more than the rest of identify.
        """
        rows: list[int] = []
        room = len(word_rows) < WORD_MEMO_LIMIT
        for word in _LATIN_WORD.findall(text, 0, _MAX_CHARS):
            known = word_rows.get(word)
            if known is None:
                known = list(map(self.index_.get, _run_grams(word), repeat(0)))
                if room:
                    word_rows[word] = known
            rows += known
        return rows
