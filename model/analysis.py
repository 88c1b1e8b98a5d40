"""The text half of the data path: raw text → normalised text → language → tokens → features."""
from __future__ import annotations

from typing import NamedTuple

from model.features import Occurrences, extract
from model.language import LanguageIdentifier
from model.normalize import Normalized, normalize
from model.tokenize import Span, Tokenizer


class Analysis(NamedTuple):
    normalized: Normalized
    language: str
    tokens: list[Span]  # (text, start, end) of each word token, see Tokenizer.spans
    occurrences: Occurrences

    @property
    def features(self) -> list[str]:
        return self.occurrences.features


class Analyzer:
    """Runs the text steps with one model's settings; pickles without its tokeniser caches."""

    def __init__(self, tokenizer: Tokenizer, language_identifier: LanguageIdentifier,
                 word_ngrams: tuple[int, int], char_ngrams: tuple[int, int]) -> None:
        self.tokenizer = tokenizer
        self.language_identifier = language_identifier
        self.word_ngrams = tuple(word_ngrams)
        self.char_ngrams = tuple(char_ngrams)

    def analyze(self, raw: str) -> Analysis:
        norm = normalize(raw)
        lang = self.language_identifier.identify(norm.text)
        tokens = self.tokenizer.spans(norm.text, lang)
        occ = extract(norm.text, tokens, self.word_ngrams, self.char_ngrams)
        return Analysis(norm, lang, tokens, occ)
