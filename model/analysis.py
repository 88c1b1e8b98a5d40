"""The text half of the data path: raw text → normalised text → language → tokens → features."""
from __future__ import annotations

from typing import NamedTuple

from claimlens.model.features import Occurrences, char_grams, join, word_grams
from claimlens.model.language import LanguageIdentifier
from claimlens.model.normalize import Normalized, normalize
from claimlens.model.tokenize import Span, Tokenizer

# Raise when normalisation, tokenisation or features change what a text gives: the default model is
# then built again (training.current), as after new seed data.
TEXT_STEPS = 2


class Analysis(NamedTuple):
    """A text's normalised form, language, tokens and word n-grams.

    Tokens and word n-grams are kept in tuples, not lists: the garbage collector stops tracking a
    plain tuple of strings and ints, never a list, and with fewer tracked objects per analysis a batch
    sets off fewer of its full collections.
    """

    normalized: Normalized
    language: str
    tokens: tuple[Span, ...]  # (text, start, end) of each word token, see Tokenizer.spans
    words: Occurrences  # the word n-grams, as tuples
    char_ngrams: tuple[int, int]

    @property
    def occurrences(self) -> Occurrences:
        """Every feature with its position, word n-grams first: features.extract of the text.

        Made on each call, so keep the result. Only training needs the strings: scoring and evidence
        find a batch's character n-grams from code points (see chargrams).
        """
        return join(self.words, char_grams(self.normalized.text, self.char_ngrams))

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
        self._word_rows: dict[str, list[int]] = {}

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_word_rows"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._word_rows = {}

    def analyze(self, raw: str, word_rows: dict[str, list[int]] | None = None) -> Analysis:
        """word_rows: a memo for language identification, see LanguageIdentifier.identify."""
        norm = normalize(raw)
        lang = self.language_identifier.identify(norm.text, word_rows)
        return self._analysis(norm, lang, self.tokenizer.spans(norm.text, lang))

    def analyze_batch(self, texts: list[str]) -> list[Analysis]:
        """analyze of each text, sharing the work of repeats: a text the batch holds twice (templates,
        resends) is analysed once, a word's language n-grams are looked up once (remembered across
        batches, see LanguageIdentifier.identify), and the batch's new pieces of text are cut by spaCy
        together (Tokenizer.spans_many)."""
        unique = list(dict.fromkeys(texts))
        norms = [normalize(text) for text in unique]
        identify, word_rows = self.language_identifier.identify, self._word_rows
        langs = [identify(norm.text, word_rows) for norm in norms]
        spans = self.tokenizer.spans_many([norm.text for norm in norms], langs)
        memo = {text: self._analysis(*parts) for text, *parts in zip(unique, norms, langs, spans)}
        return [memo[text] for text in texts]

    def _analysis(self, norm: Normalized, lang: str, spans: list) -> Analysis:
        tokens = tuple(spans)
        words = Occurrences(*map(tuple, word_grams(tokens, self.word_ngrams)))
        return Analysis(norm, lang, tokens, words, self.char_ngrams)
