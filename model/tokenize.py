"""Tokens with character offsets: jieba for Chinese, script runs for Japanese, spaCy for the rest."""
from __future__ import annotations

import logging
import unicodedata
from typing import NamedTuple

_SPACY_LANGS = ("en", "de", "fr", "es", "it")


class Token(NamedTuple):
    text: str
    start: int
    end: int


def _script(c: str) -> str:
    if "\u3040" <= c <= "\u309f":
        return "hira"
    if "\u30a0" <= c <= "\u30ff" or c == "ー":
        return "kata"
    if "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or c in "々〆":
        return "han"
    if c.isalnum():
        return "alnum"
    return ""


def script_runs(text: str) -> list[Token]:
    """Split Japanese into runs of one script (kanji, hiragana, katakana, alphanumerics)."""
    tokens: list[Token] = []
    start, kind = 0, ""
    for i, c in enumerate(text + " "):
        k = _script(c) if i < len(text) else ""
        if k != kind:
            if kind:
                tokens.append(Token(text[start:i], start, i))
            start, kind = i, k
    return tokens


def _is_word(token: str) -> bool:
    return any(unicodedata.category(c)[0] in "LNS" for c in token)


class Tokenizer:
    """Language-aware tokeniser; the jieba user words travel with the model."""

    def __init__(self, user_words: tuple[str, ...] = ()) -> None:
        self.user_words = tuple(user_words)
        self._jieba = None
        self._spacy: dict[str, object] = {}

    def __getstate__(self) -> dict:
        return {"user_words": self.user_words}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["user_words"])

    def warm_up(self) -> "Tokenizer":
        """Build jieba's dictionary and spaCy's tokenisers now, not on the first request."""
        self._jieba_tokenizer()
        for lang in _SPACY_LANGS:
            self._spacy_tokenizer(lang)
        return self

    def _jieba_tokenizer(self):
        if self._jieba is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)  # it logs its dictionary build at DEBUG to stderr
            tk = jieba.Tokenizer()
            tk.initialize()
            for word in self.user_words:
                tk.add_word(word)
            self._jieba = tk
        return self._jieba

    def _spacy_tokenizer(self, lang: str):
        if lang not in self._spacy:
            import spacy

            self._spacy[lang] = spacy.blank(lang).tokenizer
        return self._spacy[lang]

    def tokenize(self, text: str, lang: str) -> list[Token]:
        """Word tokens of a normalised text; punctuation and spaces are not tokens."""
        if lang == "zh":
            raw = [Token(w, s, e) for w, s, e in self._jieba_tokenizer().tokenize(text)]
        elif lang == "ja":
            return script_runs(text)
        else:
            tok = self._spacy_tokenizer(lang if lang in _SPACY_LANGS else "en")
            raw = [Token(t.text, t.idx, t.idx + len(t.text)) for t in tok(text)]
        return [t for t in raw if _is_word(t.text)]
