"""The stories sellers know, end to end with the seed-trained model, in seven languages."""
import json

import pytest

from claimlens.cases import analyze_case, parse_case
from tests.cases.stories import LANGUAGES, ORDER_IDS, WORDS, never_shipped, seed_story, shipped_anyway

MARKET = {"de": "de", "fr": "fr", "es": "es", "it": "it", "ja": "ja"}  # en and zh buyers shop on the US store


def codes(result):
    return [f["code"] for f in result["findings"]]


def analyse(model, raw):
    return analyze_case(model, "seed", parse_case(raw))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_seed_story_ends_contest(seed_model, lang):
    result = analyse(seed_model, seed_story(lang))
    assert codes(result) == ["cancel_requested_after_shipment", "seller_answered_cancel_request",
                             "claim_reason_not_raised_before", "retaliation_suspected"]
    a = result["assessment"]
    assert (a["claim"], a["position"], a["rule"], a["risks"]) == ("c1", "contest", "reason_not_raised_before", [])
    assert result["findings"][-1]["grounds"] == ["answered_after_shipment"]
    words = WORDS[lang]
    for f in result["findings"]:
        for ev in f["evidence"]:
            source = {"m1": words["cancel"], "c1": words["claim_parts"]}.get(ev["event"])
            if source is not None:
                assert source[ev["start"]:ev["end"]] == ev["text"]
    drafts = result["response_draft"]
    assert sorted(drafts) == sorted({"en", "zh", MARKET.get(lang, "en")})
    assert result["marketplace"]["language"] == MARKET.get(lang, "en")
    assert "疑似报复性索赔" in drafts["zh"] and "缺件" in drafts["zh"] and "申诉" in drafts["zh"]
    assert drafts["en"].endswith("We ask that the claim be reviewed in light of these dated facts and the buyer's "
                                 "own words.")
    assert "The claim was filed 9 day(s) after our answer." in drafts["en"]
    assert [e["event"] for e in result["timeline"]] == [
        "order.purchased_at", "order.shipped_at", "m1", "m2", "order.delivered_at", "c1"]
    assert result["timeline"][-1]["assessment"] == a


def test_the_seed_story_in_chinese_drafts_en_and_zh(seed_model):
    drafts = analyse(seed_model, seed_story("zh"))["response_draft"]
    assert drafts["en"] == (
        "Order 114-8301856-2739412. The order shipped on 2026-03-02 08:00 UTC; on 2026-03-02 20:00 UTC the buyer "
        "asked to cancel it: \u201c亲，麻烦帮我取消这个订单，不想要了\u201d. We answered on 2026-03-03 09:00 UTC: "
        "\u201c您好，包裹已经发出，无法取消了，收到后可以申请退货。\u201d On 2026-03-12 10:00 UTC the buyer filed an "
        "A-to-z Guarantee claim: \u201c收到的商品缺少配件，与描述不符\u201d. The reason given in this claim appears in "
        "none of the buyer's 1 earlier message(s) to us. The claim was filed 9 day(s) after our answer. We ask that "
        "the claim be reviewed in light of these dated facts and the buyer's own words.")
    assert drafts["zh"].splitlines()[:3] == [
        "订单 114-8301856-2739412", "建议：申诉：反驳该索赔（买家于 2026-03-12 10:00 UTC 提交A-to-z 索赔）",
        "理由：索赔理由在买家此前的任何消息中都没有出现过。"]


def test_marketplace_drafts_speak_the_store_language(seed_model):
    de = analyse(seed_model, seed_story("de"))["response_draft"]["de"]
    assert de.startswith("Bestellung 302-1234567-7654321. Die Bestellung wurde am 2026-03-02 08:00 UTC versandt; "
                         "am 2026-03-02 20:00 UTC bat der Käufer um Stornierung: \u201eBitte stornieren Sie meine "
                         "Bestellung, ich brauche sie nicht mehr.\u201c")
    ja = analyse(seed_model, seed_story("ja"))["response_draft"]["ja"]
    assert ja.startswith("注文番号 250-5678901-2198765。注文は2026-03-02 08:00 UTCに発送済みで、")
    assert "「注文をキャンセルしてください。」" in ja and not ja.endswith("。。")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_never_shipped_not_received_claim_is_accept(seed_model, lang):
    result = analyse(seed_model, never_shipped(lang))
    a = result["assessment"]
    assert (a["position"], a["rule"]) == ("accept", "not_shipped")
    assert "not_shipped" in [r["code"] for r in a["risks"]]
    assert result["response_draft"]["en"] == (f"Order {ORDER_IDS[lang]}. We accept the buyer's claim of "
                                              "2026-03-12 10:00 UTC and are refunding the order in full.")
    assert "review" not in " ".join(result["response_draft"].values())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_shipped_after_a_request_is_a_risk_the_draft_keeps_quiet_about(seed_model, lang):
    result = analyse(seed_model, shipped_anyway(lang))
    a = result["assessment"]
    assert a["position"] == "contest"
    assert [r["code"] for r in a["risks"]] == ["shipped_after_cancel_request"]
    assert a["risks"][0]["evidence"][0]["event"] == "m1"
    words = WORDS[lang]
    for key, draft in result["response_draft"].items():
        if key == "zh":
            continue
        assert words["cancel"] not in draft and words["refused"] not in draft
        assert a["risks"][0]["evidence"][0]["text"] not in draft
        assert "cancel" not in draft.lower() and "shipped on" not in draft
    assert f"\u201c{words['claim_parts']}\u201d" in result["response_draft"]["en"]
    assert "买家要求取消后仍发货" in result["response_draft"]["zh"]  # the seller is told, the marketplace is not


@pytest.mark.parametrize("lang", LANGUAGES)
def test_reported_before_claim_is_not_retaliation(seed_model, lang):
    result = analyse(seed_model, shipped_anyway(lang, reported_first=True))
    assert "retaliation_suspected" not in codes(result)
    assert "claim_reason_not_raised_before" not in codes(result)
    raised = [f for f in result["findings"] if f["code"] == "issue_raised_before_claim"]
    assert [(f["label"], f["first_raised_at"]) for f in raised] == [("missing_parts", "2026-03-06T10:00:00+00:00")]
    assert (result["assessment"]["position"], result["assessment"]["rule"]) == ("unclear", "issue_answered")


def test_cli_case_and_cases(seed_model, tmp_path):
    from click.testing import CliRunner

    from claimlens import cli
    from claimlens.model.persistence import save_model

    model_dir = save_model(seed_model, tmp_path / "20260101T000000Z-00000000", "seed-test")
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(seed_story("en")), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli.main, ["case", str(case_file), "--model", str(model_dir)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["assessment"]["position"] == "contest"

    many = tmp_path / "cases.jsonl"
    bad = {"order_id": "1", "messages": [{"from": "courier", "sent_at": "2026-03-01T00:00:00Z", "text": "x"}]}
    many.write_text("\n".join(json.dumps(c) for c in [seed_story("zh"), bad, seed_story("de")]) + "\n",
                    encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(cli.main, ["cases", str(many), "-o", str(out), "--model", str(model_dir)])
    assert result.exit_code == 0, result.output
    assert len(out.read_text().splitlines()) == 2
    errors = [json.loads(l) for l in (tmp_path / "out.jsonl.errors.jsonl").read_text().splitlines()]
    assert errors == [{"row": 2, "order_id": "1", "reason": "messages[0].from: unknown sender 'courier'; expected "
                       "one of buyer, seller, marketplace", "field": "messages[0].from"}]
    assert result.stderr.strip() == (f"analysed 2 case(s) into {out}; 1 line(s) in {out}.errors.jsonl: "
                                     "1 bad case(s), 0 row(s) that belong to no order")


def test_cli_cases_from_flat_exports(seed_model, tmp_path):
    from click.testing import CliRunner

    from claimlens import cli
    from claimlens.model.persistence import save_model

    model_dir = save_model(seed_model, tmp_path / "20260101T000000Z-00000000", "seed-test")
    (tmp_path / "messages.csv").write_text(
        "id,from,sent_at,text\n"
        "m1,buyer,2026-03-01T20:00:00Z,\"Order 114-8301856-2739412: please cancel my order, I don't need it.\"\n"
        "m2,buyer,2026-03-02T10:00:00Z,\"114-8301856-2739412 I asked you to cancel and you still sent it.\"\n"
        "m3,buyer,2026-03-03T10:00:00Z,hello is anyone there\n"
        "m4,buyer,2026-03-03T10:00:00Z,\"Order 302-1234567-7654321: wo ist mein Paket?\"\n", encoding="utf-8")
    (tmp_path / "claims.csv").write_text(
        "order-id,id,type,filed_at,reason,text\n"
        "114-8301856-2739412,c1,a-to-z,2026-03-12T10:00:00Z,Missing parts,The charger was missing from the box.\n",
        encoding="utf-8")
    (tmp_path / "orders.csv").write_text(
        "order-id,purchased_at,shipped_at,delivered_at,buyer_requested_cancel\n"
        "114-8301856-2739412,2026-03-01T09:00:00Z,2026-03-02T08:00:00Z,2026-03-05T14:00:00Z,No\n"
        "302-1234567-7654321,2026-03-01T09:00:00Z,2026-03-02T08:00:00Z,,maybe\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli.main, [
        "cases", "--messages", str(tmp_path / "messages.csv"), "--claims", str(tmp_path / "claims.csv"),
        "--orders", str(tmp_path / "orders.csv"), "-o", str(out), "--model", str(model_dir)])
    assert result.exit_code == 0, result.output
    (analysis,) = [json.loads(l) for l in out.read_text().splitlines()]
    assert analysis["order_id"] == "114-8301856-2739412"
    assert "retaliation_suspected" in codes(analysis)
    errors = [json.loads(l) for l in (tmp_path / "out.jsonl.errors.jsonl").read_text().splitlines()]
    assert [(e["row"], e["reason"][:11]) for e in errors] == [(2, "order.buyer"), (3, "no order id")]
    assert errors[0] == {"row": 2, "order_id": "302-1234567-7654321", "field": "order.buyer_requested_cancel",
                         "reason": "order.buyer_requested_cancel: must be true or false (in CSV: true/false, yes/no "
                                   "or 1/0), got 'maybe'"}
    assert result.stderr.strip() == (f"analysed 1 case(s) into {out}; 2 line(s) in {out}.errors.jsonl: "
                                     "1 bad case(s), 1 row(s) that belong to no order")
