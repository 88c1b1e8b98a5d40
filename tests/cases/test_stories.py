"""The story sellers know, end to end with the seed-trained model, in four languages."""
import json

import pytest

from claimlens.cases import analyze_case, parse_case

STORIES = {
    "en": ("Hi, please cancel my order, I don't need it anymore.",
           "I asked you to cancel and you still sent it. Unbelievable.",
           "The charger and the cable were missing from the box.",
           "The charger is missing from the box, can you send one?"),
    "zh": ("亲，麻烦帮我取消订单，不想要了",
           "我都说了要取消，你们还是发货了",
           "收到的盒子里少了充电器和数据线",
           "盒子里没有充电器，能补发一个吗"),
    "de": ("Bitte stornieren Sie meine Bestellung, ich brauche sie nicht mehr.",
           "Ich wollte stornieren und Sie haben trotzdem verschickt!",
           "Im Paket fehlte das Ladekabel und das Netzteil.",
           "Im Karton fehlt das Ladekabel, können Sie es nachschicken?"),
    "ja": ("注文をキャンセルしてください。",
           "キャンセルをお願いしたのに発送されました。",
           "箱に充電器が入っていませんでした。",
           "充電器が同梱されていません。送ってもらえますか。"),
}


def story(lang: str, reported_first: bool = False) -> dict:
    cancel, refused, claim, report = STORIES[lang]
    messages = [
        {"id": "m1", "from": "buyer", "sent_at": "2026-03-01T20:00:00Z", "text": cancel},
        {"id": "m2", "from": "seller", "sent_at": "2026-03-02T09:00:00Z", "text": "Sorry, it had already shipped."},
        {"id": "m3", "from": "buyer", "sent_at": "2026-03-02T10:00:00Z", "text": refused},
        {"id": "m4", "from": "seller", "sent_at": "2026-03-02T11:00:00Z", "text": "You can return it after delivery."},
    ]
    if reported_first:
        messages.append({"id": "m5", "from": "buyer", "sent_at": "2026-03-06T10:00:00Z", "text": report})
        messages.append({"id": "m6", "from": "seller", "sent_at": "2026-03-06T12:00:00Z", "text": "We will check."})
    return {"order_id": "114-8301856-2739412",
            "order": {"purchased_at": "2026-03-01T09:00:00Z", "shipped_at": "2026-03-02T08:00:00Z",
                      "delivered_at": "2026-03-05T14:00:00Z"},
            "messages": messages,
            "claims": [{"id": "c1", "type": "a-to-z", "filed_at": "2026-03-12T10:00:00Z", "text": claim}]}


def codes(result):
    return [f["code"] for f in result["findings"]]


@pytest.mark.parametrize("lang", ["en", "zh", "de", "ja"])
def test_retaliation_story(seed_model, lang):
    result = analyze_case(seed_model, "seed", parse_case(story(lang)))
    assert codes(result) == ["cancel_requested_before_shipment", "shipped_after_cancel_request",
                             "claim_reason_not_raised_before", "retaliation_suspected"]
    cancel, _, claim, _ = STORIES[lang]
    retaliation = result["findings"][-1]
    assert retaliation["reasons"] == ["missing_parts"]
    for ev in retaliation["evidence"]:
        text = {"m1": cancel, "m3": STORIES[lang][1], "c1": claim}[ev["event"]]
        assert text[ev["start"]:ev["end"]] == ev["text"]
    assert [e["event"] for e in result["timeline"]] == [
        "order.purchased_at", "m1", "order.shipped_at", "m2", "m3", "m4", "order.delivered_at", "c1"]


@pytest.mark.parametrize("lang", ["en", "zh", "de", "ja"])
def test_reported_before_claim_is_not_retaliation(seed_model, lang):
    result = analyze_case(seed_model, "seed", parse_case(story(lang, reported_first=True)))
    assert "retaliation_suspected" not in codes(result)
    assert "claim_reason_not_raised_before" not in codes(result)
    raised = [f for f in result["findings"] if f["code"] == "issue_raised_before_claim"]
    assert [(f["label"], f["first_raised_at"]) for f in raised] == [("missing_parts", "2026-03-06T10:00:00+00:00")]


def test_draft_quotes_the_buyer(seed_model):
    result = analyze_case(seed_model, "seed", parse_case(story("en")))
    en, zh = result["response_draft"]["en"], result["response_draft"]["zh"]
    assert "\u201cHi, please cancel my order, I don't need it anymore.\u201d" in en
    assert "\u201cThe charger and the cable were missing from the box.\u201d" in en
    assert "2026-03-01 20:00 UTC" in en and "2026-03-02 08:00 UTC" in en
    assert "none of the buyer's 2 earlier message(s)" in en
    assert "疑似报复性索赔" in zh and "缺件" in zh


def test_cli_case_and_cases(seed_model, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from claimlens import cli
    from claimlens.model.persistence import save_model

    model_dir = save_model(seed_model, tmp_path / "20260101T000000Z-00000000", "seed-test")
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(story("en")), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli.main, ["case", str(case_file), "--model", str(model_dir)])
    assert result.exit_code == 0, result.output
    assert "retaliation_suspected" in codes(json.loads(result.stdout))

    many = tmp_path / "cases.jsonl"
    bad = {"order_id": "1", "messages": [{"from": "courier", "sent_at": "2026-03-01T00:00:00Z", "text": "x"}]}
    many.write_text("\n".join(json.dumps(c) for c in [story("zh"), bad, story("de")]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(cli.main, ["cases", str(many), "-o", str(out), "--model", str(model_dir)])
    assert result.exit_code == 0, result.output
    assert len(out.read_text().splitlines()) == 2
    errors = [json.loads(l) for l in (tmp_path / "out.jsonl.errors.jsonl").read_text().splitlines()]
    assert errors == [{"row": 2, "order_id": "1", "reason": "messages[0].from: unknown sender 'courier'; expected "
                       "one of buyer, seller, marketplace", "field": "messages[0].from"}]


def test_cli_cases_from_flat_exports(seed_model, tmp_path):
    from click.testing import CliRunner

    from claimlens import cli
    from claimlens.model.persistence import save_model

    model_dir = save_model(seed_model, tmp_path / "20260101T000000Z-00000000", "seed-test")
    (tmp_path / "messages.csv").write_text(
        "id,from,sent_at,text\n"
        "m1,buyer,2026-03-01T20:00:00Z,\"Order 114-8301856-2739412: please cancel my order, I don't need it.\"\n"
        "m2,buyer,2026-03-02T10:00:00Z,\"114-8301856-2739412 I asked you to cancel and you still sent it.\"\n"
        "m3,buyer,2026-03-03T10:00:00Z,hello is anyone there\n", encoding="utf-8")
    (tmp_path / "claims.csv").write_text(
        "order-id,id,type,filed_at,reason,text\n"
        "114-8301856-2739412,c1,a-to-z,2026-03-12T10:00:00Z,Missing parts,The charger was missing from the box.\n",
        encoding="utf-8")
    (tmp_path / "orders.csv").write_text(
        "order-id,purchased_at,shipped_at,delivered_at\n"
        "114-8301856-2739412,2026-03-01T09:00:00Z,2026-03-02T08:00:00Z,2026-03-05T14:00:00Z\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli.main, [
        "cases", "--messages", str(tmp_path / "messages.csv"), "--claims", str(tmp_path / "claims.csv"),
        "--orders", str(tmp_path / "orders.csv"), "-o", str(out), "--model", str(model_dir)])
    assert result.exit_code == 0, result.output
    (analysis,) = [json.loads(l) for l in out.read_text().splitlines()]
    assert analysis["order_id"] == "114-8301856-2739412"
    assert "retaliation_suspected" in codes(analysis)
    errors = [json.loads(l) for l in (tmp_path / "out.jsonl.errors.jsonl").read_text().splitlines()]
    assert [(e["row"], e["reason"][:11]) for e in errors] == [(3, "no order id")]
    assert "1 rows belong to no order" in result.stderr
