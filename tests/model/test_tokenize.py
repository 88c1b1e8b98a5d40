import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimlens.model.tokenize import Token, Tokenizer, script_runs


@pytest.fixture(scope="module")
def tokenizer():
    return Tokenizer(("少了",)).warm_up()


def test_chinese_offsets(tokenizer):
    text = "买家说少了充电器，要求退款"
    toks = tokenizer.tokenize(text, "zh")
    assert [(t.text, t.start, t.end) for t in toks] == [
        ("买家", 0, 2), ("说", 2, 3), ("少了", 3, 5), ("充电器", 5, 8), ("要求", 9, 11), ("退款", 11, 13)]
    assert all(text[t.start:t.end] == t.text for t in toks)


def test_mixed_script_offsets(tokenizer):
    text = "micheal你好吗？charger没有"
    toks = tokenizer.tokenize(text, "zh")
    assert [t.text for t in toks] == ["micheal", "你好", "吗", "charger", "没有"]
    assert all(text[t.start:t.end] == t.text for t in toks)


def test_japanese_script_runs(tokenizer):
    text = "充電器が入っていません。返金して"
    toks = tokenizer.tokenize(text, "ja")
    assert toks == [Token("充電器", 0, 3), Token("が", 3, 4), Token("入", 4, 5), Token("っていません", 5, 11),
                    Token("返金", 12, 14), Token("して", 14, 16)]


def test_japanese_katakana_and_long_vowel():
    assert script_runs("キャンセルしたい") == [Token("キャンセル", 0, 5), Token("したい", 5, 8)]


def test_english_offsets_drop_punctuation(tokenizer):
    text = "the charger wasn't in the box!! 😡"
    toks = tokenizer.tokenize(text, "en")
    assert [t.text for t in toks] == ["the", "charger", "was", "n't", "in", "the", "box", "😡"]
    assert all(text[t.start:t.end] == t.text for t in toks)


def test_user_words_survive_pickling(tokenizer):
    import pickle

    clone = pickle.loads(pickle.dumps(tokenizer))
    assert clone.user_words == ("少了",)
    assert [t.text for t in clone.tokenize("少了充电器", "zh")] == ["少了", "充电器"]


def test_unknown_language_falls_back_to_english_rules(tokenizer):
    assert [t.text for t in tokenizer.tokenize("ok 👍", "und")] == ["ok", "👍"]


def test_spacy_vocabulary_does_not_grow_without_bound(monkeypatch):
    import claimlens.model.tokenize as tokenize

    monkeypatch.setattr(tokenize, "SPACY_VOCAB_LIMIT", 2_000)
    tk = Tokenizer()
    first = tk.tokenize("order 1234567 never arrived", "en")
    for i in range(3_000):
        tk.tokenize(f"order {1_000_000 + i} never arrived", "en")
    assert len(tk._spacy["en"].vocab) <= 2_000 + 10
    assert tk.tokenize("order 1234567 never arrived", "en") == first


@pytest.mark.parametrize("text, words", [
    ("没收到货", ["没收到", "货"]),  # not 没收/到货, "confiscate / arrival"
    ("我一直没收到货物", ["我", "一直", "没收到", "货物"]),
    ("退货运费谁出", ["退货", "运费", "谁", "出"]),  # not 退/货运费
    ("说明书写的是黑色", ["说明书", "写", "的", "是", "黑色"]),
])
def test_bundled_domain_words_beat_their_neighbours(text, words):
    from claimlens.training.paths import user_words

    assert [t.text for t in Tokenizer(user_words()).tokenize(text, "zh")] == words


def _whole_text_tokens(tk: Tokenizer, text: str, lang: str) -> list[tuple[str, int, int]]:
    """What the tokenisers give for the text in one call, without the piece memo."""
    from claimlens.model.tokenize import _words

    if lang == "zh":
        return list(_words(tk._jieba_tokenizer().tokenize(text)))
    doc = tk._spacy_tokenizer(lang)(text)
    return list(_words((t.text, t.idx, t.idx + len(t.text)) for t in doc))


TRICKY = [
    "Mr. Smith's U.S.A. order e.g. 12.5kg, can't wait!!! (really) -- ok?",
    "l'ordinateur n'est pas arrivé... aujourd'hui 3x rien",
    "Bestellung #303-1234567-7654321: zum 2. Mal, z.B. Ladekabel—fehlt",
    "no llegó nada :( https://amzn.to/x1?y=2 info@shop.es",
    "non è arrivato,niente rimborso;grazie 🙏🙏",
    "a\tb  c\u3000d  ",
    "没收到货，退货运费谁出？ok吗 ¥100 iPhone12-pro 充电器coming soon",
    "少了充电器。。。客服说7天无理由退货 #123_456 3.5折",
]


@pytest.mark.parametrize("lang", ["en", "fr", "de", "es", "it", "zh"])
def test_piece_memo_gives_what_one_call_on_the_whole_text_gives(lang):
    tk = Tokenizer(("少了",))
    for _ in range(2):  # the second round reads every piece from the memo
        for text in TRICKY:
            assert tk.spans(text, lang) == _whole_text_tokens(tk, text, lang), text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["refund", "didn't", "12.5", "U.S.", "(ok)", "没收到", "货", "，", "kg", "—", "l'",
                                 "e-mail", "😡", " ", "  ", "\t", ".", "!!", "#7", "ça", "Straße", "a.m."]),
                max_size=12))
def test_piece_memo_matches_whole_text_tokenisation(parts):
    text = "".join(parts)
    for lang in ("en", "fr", "zh"):
        assert _SHARED.spans(text, lang) == _whole_text_tokens(_SHARED, text, lang)


_SHARED = Tokenizer()


def test_jieba_blocks_are_jiebas_own():
    import jieba

    from claimlens.model.tokenize import _JIEBA_BLOCK

    han = jieba.re_han_default.pattern.strip("()")
    assert _JIEBA_BLOCK.pattern == f"{han}|[^{han[1:]}"


def test_piece_memo_is_bounded(monkeypatch):
    import claimlens.model.tokenize as tokenize

    monkeypatch.setattr(tokenize, "PIECE_MEMO_LIMIT", 100)
    tk = Tokenizer()
    first = tk.spans("order 1 never arrived", "en")
    for i in range(1_000):
        tk.spans(f"order {1_000_000 + i} never arrived", "en")
    assert len(tk._pieces["en"]) <= 103  # the last text to find room adds its pieces whole
    assert "order" in tk._pieces["en"]  # the common pieces came first and stay
    assert tk.spans("order 1 never arrived", "en") == first
    assert tk.spans("order 99999999 never arrived", "en")[1] == ("99999999", 6, 14)


@pytest.mark.parametrize("lang", ["en", "fr", "de", "es", "it", "zh", "ja", "und"])
def test_pieces_cut_together_give_what_each_text_alone_gives(lang):
    texts = TRICKY + ["EE. UU. no llegó", "fue a EE. UU.", "a.m. e.g.", ""]  # 'EE. UU.' is one spaCy special case
    alone = [Tokenizer(("少了",)).spans(text, lang) for text in texts]
    many = Tokenizer(("少了",))
    assert many.spans_many(texts, [lang] * len(texts)) == alone
    assert many.spans_many(texts, [lang] * len(texts)) == alone  # now from the memo


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["refund", "didn't", "12.5", "U.S.", "(ok)", "没收到", "，", "kg", "—", "l'",
                                          "e-mail", "😡", " ", "\\n", "\n", ".", "!!", "#7", "ça", "EE.", "UU."]),
                         max_size=8).map("".join), max_size=6),
       st.sampled_from(["en", "es", "fr"]))
def test_pieces_cut_together_match_texts_cut_alone(texts, lang):
    assert Tokenizer().spans_many(texts, [lang] * len(texts)) == [_SHARED.spans(t, lang) for t in texts]


def test_pieces_cut_together_stay_with_their_language():
    # one piece in texts of four languages: jieba cuts 'cr-missing_parts' into other words than spaCy does,
    # and each text must get its own tokeniser's words
    texts = ["cr-missing_parts 少了配件", "cr-missing_parts again", "Zubehör fehlt cr-missing_parts", "欠品 cr-missing_parts"]
    langs = ["zh", "en", "de", "ja"]
    assert Tokenizer().spans_many(texts, langs) == [Tokenizer().spans(t, l) for t, l in zip(texts, langs)]
