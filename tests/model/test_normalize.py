import unicodedata

import pytest

from claimlens.model.envelope import buyer_segments
from claimlens.model.normalize import normalize


def _roundtrips(raw: str) -> None:
    n = normalize(raw)
    assert len(n.text) == len(n.starts) == len(n.ends)
    for i, c in enumerate(n.text):
        piece = raw[n.starts[i]:n.ends[i]]
        folded = unicodedata.normalize("NFKC", piece).casefold()
        assert c in folded or (c == " " and piece.isspace()) or piece.startswith(("&", "<")), (i, c, piece)


@pytest.mark.parametrize("raw", [
    "Hello  WORLD", "ｆｕｌｌ　ｗｉｄｔｈ ＡＢＣ１２３", "Cafe\u0301 STRASSE straße", "买家说少了充电器，要求退款",
    "充電器が入っていませんでした😡", "<p>the charger &amp; cable</p><br>missing", "  lead\t\ttrail \n",
    "ｷｬﾝｾﾙしたい", "zero\u200bwidth",
])
def test_offsets_round_trip(raw):
    _roundtrips(raw)


def test_exact_values():
    n = normalize("  The CHARGER  is MISSING ")
    assert n.text == "the charger is missing"
    assert n.raw_span(4, 11) == (6, 13)
    assert n.raw[6:13] == "CHARGER"


def test_full_width_and_combining_marks_map_to_their_source():
    n = normalize("ＡＢ Cafe\u0301")
    assert n.text == "ab café"
    assert n.raw_span(3, 7) == (3, 8)  # é came from two raw code points


def test_half_width_katakana_composes():
    n = normalize("ｷｬﾝｾﾙ ｶﾞ")
    assert n.text == "キャンセル ガ"
    assert n.raw_span(6, 7) == (6, 8)


def test_html_is_stripped_and_entities_decoded():
    raw = "<p>charger &amp; cable</p>missing"
    n = normalize(raw)
    assert n.text == "charger & cable missing"
    i = n.text.index("&")
    assert n.raw[n.starts[i]:n.ends[i]] == "&amp;"


def test_quoted_reply_is_dropped():
    raw = "please cancel my order\n\n--- Original message ---\nWe shipped it yesterday"
    assert normalize(raw).text == "please cancel my order"
    raw_de = "Bitte stornieren\n-----Ursprüngliche Nachricht-----\nVersendet"
    assert normalize(raw_de).text == "bitte stornieren"
    raw_zh = "还没收到货\n在 2024年3月2日 周六 10:00，卖家 写道：\n已经发货了"
    assert normalize(raw_zh).text == "还没收到货"
    raw_gt = "where is it\n> we shipped it\n> on monday"
    assert normalize(raw_gt).text == "where is it"


def test_marketplace_template_line_is_dropped():
    raw = ("We've been contacted by a customer regarding the order identified below.\n"
           "Order ID: 114-8301856-2739412\nItem never arrived")
    n = normalize(raw)
    assert n.text == "order id: 114-8301856-2739412 item never arrived"
    start, end = n.raw_span(n.text.index("item"), len(n.text))
    assert raw[start:end] == "Item never arrived"


def test_text_that_is_all_quote_is_kept_whole():
    raw = "> only a quoted line"
    assert buyer_segments(raw) == [(0, len(raw))]
    assert normalize(raw).text == "> only a quoted line"


def test_empty_text():
    n = normalize("")
    assert n.text == "" and n.starts == () and n.ends == ()


def test_links_and_handles_go_as_a_space_does():
    raw = "RT @shop_help: @AmazonHelp my order https://t.co/Ab12 never came www.example.com/x mail a.b@x.com"
    n = normalize(raw)
    assert n.text == "rt my order never came mail a.b@x.com"  # an e-mail address keeps its "@"
    _roundtrips(raw)
    start = n.text.index("never")
    assert raw[slice(*n.raw_span(start, start + 10))] == "never came"


def test_links_and_handles_inside_html():
    n = normalize("<p>@seller the lid&amp;cap</p> http://x.y/z?a=1&amp;b=2")
    assert n.text == "the lid&cap"


@pytest.mark.parametrize("raw, text", [
    ("@JD东西坏了", "东西坏了"),  # an ASCII handle ends where its ASCII ends
    ("https://t.co/Ab12东西坏了", "东西坏了"),
    ("@京东客服 东西坏了", "东西坏了"),
    ("东西坏了 @京东客服", "东西坏了"),
    ("@京东客服东西坏了,退款", "@京东客服东西坏了,退款"),  # no telling where the handle ends: all kept
])
def test_a_handle_or_link_never_takes_the_words_after_it(raw, text):
    assert normalize(raw).text == text
