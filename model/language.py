"""Language identification for the seven store languages: script first, then a char n-gram model."""
from __future__ import annotations

import math
from collections import Counter

LANGUAGES = ("en", "zh", "de", "fr", "es", "it", "ja")
LATIN_LANGUAGES = ("en", "de", "fr", "es", "it")
UNDETERMINED = "und"


def _is_kana(c: str) -> bool:
    return "\u3040" <= c <= "\u30ff" and c != "\u30fb"


def _is_han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or "\uf900" <= c <= "\ufaff"


def _latin_grams(text: str) -> list[str]:
    """Character 1-3 grams of the letter runs, padded with spaces as word boundaries."""
    grams: list[str] = []
    for word in "".join(c if c.isalpha() and c.isascii() or c in "àâäçéèêëîïôöùûüÿñœæßìíòóú" else " "
                        for c in text).split():
        w = f" {word} "
        for n in (1, 2, 3):
            grams.extend(w[i:i + n] for i in range(len(w) - n + 1))
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
        vocab = set().union(*counts.values()) if counts else set()
        self.log_probs_ = {}
        self.unseen_ = {}
        for lang, c in counts.items():
            total = sum(c.values()) + self.alpha * (len(vocab) + 1)
            self.log_probs_[lang] = {g: math.log((k + self.alpha) / total) for g, k in c.items()}
            self.unseen_[lang] = math.log(self.alpha / total)
        return self

    def identify(self, text: str) -> str:
        """Language code of a normalised text, or 'und' when it has no letters."""
        kana = han = latin = 0
        for c in text:
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
        if not latin or not self.log_probs_:
            return UNDETERMINED
        grams = _latin_grams(text)
        best, best_score = "en", -math.inf
        for lang in self.log_probs_:
            table, unseen = self.log_probs_[lang], self.unseen_[lang]
            score = sum(table.get(g, unseen) for g in grams)
            if score > best_score:
                best, best_score = lang, score
        return best
