"""Language identification for the seven store languages: script first, then a char n-gram model."""
from __future__ import annotations

import math
from collections import Counter

import numpy as np

LANGUAGES = ("en", "zh", "de", "fr", "es", "it", "ja")
LATIN_LANGUAGES = ("en", "de", "fr", "es", "it")
UNDETERMINED = "und"


def _is_kana(c: str) -> bool:
    return "\u3040" <= c <= "\u30ff" and c != "\u30fb"


def _is_han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or "\uf900" <= c <= "\ufaff"


_LATIN_EXTRA = frozenset("àâäçéèêëîïôöùûüÿñœæßìíòóú")
_MAX_CHARS = 400  # the first few hundred characters settle the language; the rest only costs time


def _latin_grams(text: str) -> list[str]:
    """Character 1-3 grams of the letter runs, padded with spaces as word boundaries."""
    letters = "".join(c if (c.isascii() and c.isalpha()) or c in _LATIN_EXTRA else " " for c in text[:_MAX_CHARS])
    grams: list[str] = []
    for word in letters.split():
        w = f" {word} "
        grams.extend(w)
        grams.extend(w[i:i + 2] for i in range(len(w) - 1))
        grams.extend(w[i:i + 3] for i in range(len(w) - 2))
    return grams


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

    def identify(self, text: str) -> str:
        """Language code of a normalised text, or 'und' when it has no letters."""
        kana = han = latin = 0
        for c in text[:_MAX_CHARS]:
            if _is_kana(c):
                kana += 1
            elif _is_han(c):
                han += 1
            elif c.isalpha():
                latin += 1
        if kana and kana * 10 >= han:
            return "ja"
        if han and (han * 3 >= latin or han >= 4):
            return "zh" if not kana else "ja"
        if not latin or not self.languages_:
            return UNDETERMINED
        rows = [self.index_.get(g, 0) for g in _latin_grams(text)]
        return self.languages_[int(self.table_[rows].sum(0).argmax())]
