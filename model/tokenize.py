"""Tokens with character offsets: jieba for Chinese, script runs for Japanese, spaCy for the rest."""
from __future__ import annotations

import logging
import re
import unicodedata
from typing import NamedTuple

_SPACY_LANGS = ("en", "de", "fr", "es", "it")
SPACY_VOCAB_LIMIT = 10_000  # lexemes, ~0.4 KiB each; a rebuild costs < 0.1 s
# Distinct pieces (spaCy: text between whitespace; jieba: runs of Han and alphanumerics) whose word
# tokens are remembered; both tokenisers cut each piece on its own, so a piece seen before costs a
# dict lookup. Real text repeats its words, and its short clauses, a great deal. About 0.6 KiB a
# piece with spaCy's lexeme: once a language holds this many, new pieces are cut but not kept (the
# common ones came early), so a long-running worker's memory stays flat.
PIECE_MEMO_LIMIT = 20_000
_NOT_SPACE = re.compile(r"\S+")
# jieba's own block pattern (jieba.re_han_default): it segments each such run apart from the rest
_JIEBA_BLOCK = re.compile("[\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+|[^\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+")
# jieba gives an added word just enough weight to stay whole alone, so 没收到货 still split as
# 没收/到货 ("confiscate / arrival"); this floor makes a domain word beat its neighbours' words
USER_WORD_FREQ = 1000


class Token(NamedTuple):
    text: str
    start: int
    end: int


Span = tuple[str, int, int]  # a token as (text, start, end), the fields of Token


# Runs of one script, one per match: hiragana, katakana (with ー), Han (with 々 and 〆), else any other
# alphanumerics ([^\W_] is exactly str.isalnum) outside those three.
_HIRA, _KATA, _HAN = "\u3040-\u309f", "\u30a0-\u30ff", "\u4e00-\u9fff\u3400-\u4dbf々〆"
_SCRIPT_RUN = re.compile(f"[{_HIRA}]+|[{_KATA}]+|[{_HAN}]+|(?:(?![{_HIRA}{_KATA}{_HAN}])[^\\W_])+")


def script_runs(text: str) -> list[Token]:
    """Split Japanese into runs of one script (kanji, hiragana, katakana, alphanumerics)."""
    return [Token(*span) for span in _script_spans(text)]


def _script_spans(text: str) -> list[Span]:
    return [(m.group(), m.start(), m.end()) for m in _SCRIPT_RUN.finditer(text)]


_ASCII_WORD_CHAR = re.compile(r"[0-9A-Za-z$+<=>^`|~]")  # the ASCII characters of categories L, N and S
_ALNUM = re.compile(r"[^\W_]")  # str.isalnum: all of these are in categories L and N


def _is_word(token: str) -> bool:
    if token.isascii():
        return _ASCII_WORD_CHAR.search(token) is not None
    if _ALNUM.search(token) is not None:
        return True
    return any(unicodedata.category(c)[0] in "LNS" for c in token)


class Tokenizer:
    """Language-aware tokeniser; the jieba user words travel with the model."""

    def __init__(self, user_words: tuple[str, ...] = ()) -> None:
        self.user_words = tuple(user_words)
        self._jieba = None
        self._spacy: dict[str, object] = {}
        self._pieces: dict[str, dict[str, tuple[Span, ...]]] = {}  # per language: piece -> its word tokens

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
                tk.add_word(word, max(tk.suggest_freq(word), USER_WORD_FREQ))
            self._jieba = tk
        return self._jieba

    def _spacy_tokenizer(self, lang: str):
        tok = self._spacy.get(lang)
        # spaCy keeps a lexeme for every distinct token string it has seen (order numbers,
        # typos), ~0.7 KiB each, for ever: start afresh (< 0.1 s) before that becomes a leak
        if tok is None or len(tok.vocab) > SPACY_VOCAB_LIMIT:
            import spacy

            tok = self._spacy[lang] = spacy.blank(lang).tokenizer
        return tok

    def tokenize(self, text: str, lang: str) -> list[Token]:
        """Word tokens of a normalised text; punctuation and spaces are not tokens."""
        return [Token(*span) for span in self.spans(text, lang)]

    def spans(self, text: str, lang: str) -> list[Span]:
        """The tokens of tokenize as plain (text, start, end) tuples, which is how an Analysis keeps them.

        The garbage collector stops tracking a plain tuple of strings and ints, but never a Token
        (a tuple subclass): the tokens of a batch of analyses, kept as Token objects, made its full
        collections several times as frequent.
        """
        return self._spans(text, lang, {})

    def spans_many(self, texts: list[str], langs: list[str]) -> list[list[Span]]:
        """spans of each text in its language; spaCy cuts the pieces the memo lacks in one call per language.

        A call's fixed cost (a Doc and its arrays) was most of the cost of cutting one short piece, and
        every piece is cut on its own either way: pieces joined by line breaks give each piece's tokens.
        """
        fresh: dict[str, dict[str, None]] = {}
        for text, lang in zip(texts, langs):
            lang = _spacy_language(lang)
            if lang is None:
                continue
            memo, wanted = self._pieces.get(lang, {}), fresh.setdefault(lang, {})
            for piece in _NOT_SPACE.findall(text):
                if piece not in memo:
                    wanted[piece] = None
        cut = {lang: self._spacy_pieces(list(pieces), lang) for lang, pieces in fresh.items() if pieces}
        return [self._spans(text, lang, cut.get(_spacy_language(lang), {})) for text, lang in zip(texts, langs)]

    def _spans(self, text: str, lang: str, cut_before: dict[str, tuple[Span, ...]]) -> list[Span]:
        """spans, with the words of some pieces already cut (cut_before, for spaCy's languages)."""
        if lang == "ja":
            return _script_spans(text)
        if lang == "zh":
            pieces, cut = _JIEBA_BLOCK.finditer(text), self._jieba_words
        else:
            lang = _spacy_language(lang)
            pieces, cut = _NOT_SPACE.finditer(text), self._spacy_words
        memo = self._pieces.setdefault(lang, {})
        room = len(memo) < PIECE_MEMO_LIMIT
        out: list[Span] = []
        for m in pieces:
            piece = m.group()
            words = memo.get(piece)
            if words is None:
                words = cut_before.get(piece)
                if words is None:
                    words = cut(piece, lang)
                if room:
                    memo[piece] = words
            if words:
                at = m.start()
                out += [(w, at + s, at + e) for w, s, e in words]
        return out

    def _jieba_words(self, piece: str, lang: str) -> tuple[Span, ...]:
        return _words(self._jieba_tokenizer().tokenize(piece))  # (word, start, end) tuples

    def _spacy_words(self, piece: str, lang: str) -> tuple[Span, ...]:
        doc = self._spacy_tokenizer(lang)(piece)
        # offsets as one array rather than a spaCy Token object per token; a token's text is the
        # slice of the text it covers
        return _words((piece[i:i + n], i, i + n) for i, n in doc.to_array(["IDX", "LENGTH"]).tolist())

    def _spacy_pieces(self, pieces: list[str], lang: str) -> dict[str, tuple[Span, ...]]:
        """_spacy_words of each piece, from one call on the pieces joined by line breaks.

        spaCy cuts the text between whitespace piece by piece, and a line break is a token of its own
        between them, so no special case that holds a space (Spanish 'EE. UU.') can join two pieces.
        """
        joined = "\n".join(pieces)
        doc = self._spacy_tokenizer(lang)(joined)
        out: dict[str, tuple[Span, ...]] = {}
        tokens = iter(doc.to_array(["IDX", "LENGTH"]).tolist())
        at = 0
        for piece in pieces:
            end = at + len(piece)
            found = []
            for i, n in tokens:
                if i >= end:  # the line break after the piece
                    break
                found.append((piece[i - at:i - at + n], i - at, i - at + n))
            out[piece] = _words(found)
            at = end + 1
        return out


def _spacy_language(lang: str) -> str | None:
    """The spaCy tokeniser a language's text goes to (English rules for the unknown), None for ja and zh."""
    return None if lang in ("ja", "zh") else lang if lang in _SPACY_LANGS else "en"


def _words(tokens) -> tuple[Span, ...]:
    """The tokens that are words: punctuation and spaces are not."""
    return tuple(t for t in tokens if t[0].isalnum() or _is_word(t[0]))  # most are plain words: no call
