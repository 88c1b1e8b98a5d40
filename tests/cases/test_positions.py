"""Each position rule on hand-built labelled events: positive and negative, exact position and rule."""
import pytest

from claimlens.cases.draft import drafts, risk_events
from claimlens.cases.findings import find, seller_message
from claimlens.cases.positions import RULES, assess
from claimlens.model.schema import bundled_schema
from tests.cases.test_findings import case, claim, msg, t

SCHEMA = bundled_schema()
SHIPPED = {"shipped_at": "2026-03-02T08:00:00Z", "delivered_at": "2026-03-05T14:00:00Z"}


def position(c, messages, claims, seller=()):
    findings = find(c, messages, claims, list(seller), SCHEMA)
    a = assess(claims[-1], findings, c, SCHEMA)
    return a["position"], a["rule"], [r["code"] for r in a["risks"]]


def answer(day, hour=13):
    return seller_message(f"s{day}{hour}", t(day, hour), "Thanks, we are on it.")


@pytest.mark.parametrize("order, messages, replies, labels, expected", [
    # not_shipped
    ({}, [msg("m1", 1, ["cancellation_request"], hour=20)], [answer(2, 9)], ["not_received"],
     ("accept", "not_shipped", ["not_shipped"])),
    (SHIPPED, [msg("m1", 1, ["cancellation_request"], hour=20)], [answer(2, 9)], ["not_received"],
     ("contest", "delivered_before_claim", ["shipped_after_cancel_request"])),
    # no_delivery_proof
    ({"shipped_at": "2026-03-02T08:00:00Z"}, [], [], ["not_received"], ("accept", "no_delivery_proof", ["no_delivery_proof"])),
    ({"shipped_at": "2026-03-02T08:00:00Z", "tracking_id": "1Z999"}, [], [], ["not_received"],
     ("unclear", "undecided", [])),
    # reported_unanswered
    (SHIPPED, [msg("m1", 6, ["missing_parts"])], [], ["missing_parts"],
     ("accept", "reported_unanswered", ["issue_raised_before_claim", "unanswered_buyer_message"])),
    (SHIPPED, [msg("m1", 6, ["missing_parts"])], [answer(6)], ["missing_parts"],
     ("unclear", "issue_answered", ["issue_raised_before_claim"])),
    # delivered_before_claim
    (SHIPPED, [msg("m1", 7, ["not_received"])], [answer(7)], ["not_received"],
     ("contest", "delivered_before_claim", ["issue_raised_before_claim"])),
    ({"shipped_at": "2026-03-02T08:00:00Z", "delivered_at": "2026-03-13T08:00:00Z"}, [msg("m1", 7, ["not_received"])],
     [answer(7)], ["not_received"], ("unclear", "issue_answered", ["issue_raised_before_claim"])),
    # reason_not_raised_before
    (SHIPPED, [msg("m1", 6, ["other"])], [answer(6)], ["wrong_item"], ("contest", "reason_not_raised_before", [])),
    (SHIPPED, [msg("m1", 6, ["wrong_item"])], [answer(6)], ["wrong_item"],
     ("unclear", "issue_answered", ["issue_raised_before_claim"])),
    ({"shipped_at": "2026-03-02T08:00:00Z", "tracking_id": "1Z999"}, [msg("m1", 6, ["other"])], [answer(6)],
     ["not_received"], ("unclear", "undecided", [])),  # not received, and nothing shows a delivery
    # cancel_after_shipment_answered
    (SHIPPED, [msg("m1", 2, ["cancellation_request"], hour=20)], [answer(3, 9)], ["refund_return_issue"],
     ("contest", "cancel_after_shipment_answered", [])),
    (SHIPPED, [msg("m1", 2, ["cancellation_request"], hour=20)], [], ["refund_return_issue"],
     ("unclear", "no_reason", ["unanswered_buyer_message"])),
    (SHIPPED, [msg("m1", 2, ["cancellation_request"], hour=20)], [answer(12, 13)], ["refund_return_issue"],
     ("unclear", "no_reason", ["unanswered_buyer_message"])),  # answered only after the claim
])
def test_position_rules(order, messages, replies, labels, expected):
    assert position(case(**order), messages, [claim("c1", 12, labels)], replies) == expected


def test_every_rule_is_tested_above():
    cases = next(m for m in test_position_rules.pytestmark if m.name == "parametrize").args[1]
    assert {rule for *_, (_, rule, _) in cases} == set(RULES)


def test_the_first_rule_that_holds_decides():
    # never shipped and reported before, unanswered: not_shipped comes first
    c = case()
    got = position(c, [msg("m1", 6, ["not_received"])], [claim("c1", 12, ["not_received"])])
    assert got[:2] == ("accept", "not_shipped")


def test_risks_stay_out_of_the_marketplace_draft():
    c = case(**SHIPPED)
    request = msg("m1", 1, ["cancellation_request"], text="please cancel it now", hour=20, span=(0, 13))
    refused = msg("m2", 2, ["cancellation_refused"], text="you shipped it anyway", hour=10, span=(0, 21))
    claims = [claim("c1", 12, ["missing_parts"], text="charger missing")]
    findings = find(c, [request, refused], claims, [answer(2, 9), answer(2, 11)], SCHEMA)
    a = assess(claims[0], findings, c, SCHEMA)
    assert (a["position"], [r["code"] for r in a["risks"]]) == ("contest", ["shipped_after_cancel_request"])
    assert risk_events(findings, claims) == {"m1"}
    out = drafts(c, findings, claims, a, SCHEMA, "de")
    for key in ("en", "de"):
        assert "please cancel" not in out[key] and "cancel" not in out[key].lower()
    assert "\u201ccharger missing\u201d" in out["en"] and "\u201echarger missing\u201c" in out["de"]
    assert "\u201cplease cancel\u201d" in out["zh"]  # the seller is told


def test_accept_drafts_are_refund_notes():
    c = case()
    claims = [claim("c1", 12, ["not_received"])]
    findings = find(c, [], claims, [], SCHEMA)
    out = drafts(c, findings, claims, assess(claims[0], findings, c, SCHEMA), SCHEMA, "ja")
    assert out["en"] == ("Order 114-8301856-2739412. We accept the buyer's claim of 2026-03-12 12:00 UTC and are "
                         "refunding the order in full.")
    assert out["ja"] == "注文番号 114-8301856-2739412。2026-03-12 12:00 UTC付の購入者の申請を受け入れ、注文代金を全額返金いたします。"
    assert "建议：接受：尽快退款" in out["zh"] and "立即全额退款，不要等平台裁决。" in out["zh"]
