"""Each finding rule on hand-built labelled events: positive and negative, exact codes."""
from datetime import datetime, timezone

import pytest

from claimlens.cases.case import parse_case
from claimlens.cases.findings import Labelled, find, seller_message
from claimlens.model.errors import BadInputError


def t(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=timezone.utc)


def msg(event, day, labels, text="words", hour=12, span=(0, 5)):
    ev = tuple({"event": event, "label": l, "start": span[0], "end": span[1], "text": text[span[0]:span[1]],
                "weight": 1.0} for l in labels)
    return Labelled(event, "message", t(day, hour), frozenset(labels), "high", ev, text)


def claim(event, day, labels, text="claim words"):
    ev = tuple({"event": event, "label": l, "start": 0, "end": 5, "text": text[:5], "weight": 1.0} for l in labels)
    return Labelled(event, "claim", t(day), frozenset(labels), "medium", ev, text, "a-to-z")


def case(**order):
    raw = {"order_id": "114-8301856-2739412", "order": {"purchased_at": "2026-03-01T09:00:00Z", **order}}
    return parse_case(raw)


def codes(findings):
    return [f["code"] for f in findings]


def test_cancel_before_shipment_and_shipped_after():
    c = case(shipped_at="2026-03-03T08:00:00Z")
    got = find(c, [msg("m1", 2, ["cancellation_request"])], [], [t(2, 13)])
    assert codes(got) == ["cancel_requested_before_shipment", "shipped_after_cancel_request",
                          "seller_answered_cancel_request"]
    assert got[1]["hours_after_request"] == 20.0
    assert got[0]["evidence"] == [{"event": "m1", "start": 0, "end": 5, "text": "words"}]


def test_cancel_after_shipment_answered():
    c = case(shipped_at="2026-03-02T08:00:00Z")
    answer = seller_message("s1", t(3, 13), "Sorry, it has shipped already.")
    got = find(c, [msg("m1", 3, ["cancellation_request"])], [], [answer])
    assert codes(got) == ["cancel_requested_after_shipment", "seller_answered_cancel_request"]
    assert got[0]["hours_after_shipment"] == 28.0 and got[0]["side"] == "seller"
    assert got[0]["evidence"] == [{"event": "m1", "start": 0, "end": 5, "text": "words"}]
    assert got[1]["evidence"] == [{"event": "s1", "start": 0, "end": 30, "text": "Sorry, it has shipped already."}]
    assert (got[1]["request"], got[1]["answer"], got[1]["after_shipment"], got[1]["side"]) == ("m1", "s1", True, "seller")


def test_cancel_after_shipment_unanswered_is_not_answered():
    c = case(shipped_at="2026-03-02T08:00:00Z")
    late = seller_message("s1", t(4, 13), "Sorry, too late.")  # 25 h after the request
    assert codes(find(c, [msg("m1", 3, ["cancellation_request"])], [], [late])) == [
        "cancel_requested_after_shipment", "unanswered_buyer_message"]


def test_request_before_shipment_is_not_after_shipment_even_if_repeated_later():
    c = case(shipped_at="2026-03-02T08:00:00Z")
    msgs = [msg("m1", 1, ["cancellation_request"], hour=20), msg("m2", 3, ["cancellation_request"])]
    got = codes(find(c, msgs, [], [t(2, 9), t(3, 13)]))
    assert "cancel_requested_after_shipment" not in got and "shipped_after_cancel_request" in got
    answered = [f for f in find(c, msgs, [], [t(2, 9), t(3, 13)]) if f["code"] == "seller_answered_cancel_request"]
    assert [(f["request"], f["side"], f["after_shipment"]) for f in answered] == [("m1", "neutral", False),
                                                                                ("m2", "neutral", False)]


def test_order_field_request_is_before_shipment_whatever_the_messages_say():
    c = case(shipped_at="2026-03-02T08:00:00Z", buyer_requested_cancel=True, buyer_cancel_reason="found it cheaper")
    got = find(c, [msg("m1", 3, ["cancellation_request"])], [], [t(3, 13)])
    assert "cancel_requested_after_shipment" not in codes(got)
    shipped = next(f for f in got if f["code"] == "shipped_after_cancel_request")
    assert shipped["evidence"] == [{"event": "order.buyer_requested_cancel", "start": 0, "end": 16,
                                    "text": "found it cheaper"}]


def test_not_shipped_needs_a_known_order():
    assert codes(find(case(), [], [], [])) == ["not_shipped"]
    assert codes(find(case(delivered_at="2026-03-04T08:00:00Z"), [], [], [])) == []
    unknown = parse_case({"order_id": "114-8301856-2739412"})  # no order fields at all: nothing is known
    assert codes(find(unknown, [], [], [])) == []


def test_no_delivery_proof():
    shipped = case(shipped_at="2026-03-02T08:00:00Z")
    got = find(shipped, [], [claim("c1", 12, ["not_received"])], [])
    assert codes(got) == ["no_buyer_contact_before_claim", "claim_reason_not_raised_before", "no_delivery_proof"]
    assert got[-1]["side"] == "buyer" and got[-1]["evidence"] == [{"event": "c1", "start": 0, "end": 5,
                                                                   "text": "claim"}]
    tracked = case(shipped_at="2026-03-02T08:00:00Z", tracking_id="1Z999AA10123456784")
    assert "no_delivery_proof" not in codes(find(tracked, [], [claim("c1", 12, ["not_received"])], []))
    delivered = case(shipped_at="2026-03-02T08:00:00Z", delivered_at="2026-03-04T08:00:00Z")
    assert "no_delivery_proof" not in codes(find(delivered, [], [claim("c1", 12, ["not_received"])], []))
    assert "no_delivery_proof" not in codes(find(shipped, [], [claim("c1", 12, ["missing_parts"])], []))


def test_retaliation_after_an_answered_request_after_shipment():
    c = case(shipped_at="2026-03-02T08:00:00Z", delivered_at="2026-03-05T08:00:00Z")
    answer = seller_message("s1", t(3, 9), "It has shipped; we can no longer cancel it.")
    got = find(c, [msg("m1", 2, ["cancellation_request"], hour=20)], [claim("c1", 12, ["missing_parts"])], [answer])
    assert codes(got) == ["cancel_requested_after_shipment", "seller_answered_cancel_request",
                          "claim_reason_not_raised_before", "retaliation_suspected"]
    retaliation = got[-1]
    assert retaliation["grounds"] == ["answered_after_shipment"]
    assert [e["event"] for e in retaliation["evidence"]] == ["m1", "s1", "c1"]
    assert retaliation["days_after_answer"] == 9.1
    # answered only after the claim: no retaliation on that ground
    late = seller_message("s1", t(12, 13), "It has shipped.")
    got = find(c, [msg("m1", 12, ["cancellation_request"], hour=9)], [claim("c1", 12, ["missing_parts"])], [late])
    assert "retaliation_suspected" not in codes(got)


def test_every_finding_has_a_side():
    c = case(shipped_at="2026-03-03T08:00:00Z", delivered_at="2026-03-05T08:00:00Z")
    msgs = [msg("m1", 2, ["cancellation_request"]), msg("m2", 3, ["cancellation_refused"], hour=10)]
    got = find(c, msgs, [claim("c1", 12, ["missing_parts"])], [t(2, 14)])
    assert [(f["code"], f["side"]) for f in got] == [
        ("cancel_requested_before_shipment", "neutral"), ("shipped_after_cancel_request", "buyer"),
        ("seller_answered_cancel_request", "neutral"), ("claim_reason_not_raised_before", "seller"),
        ("retaliation_suspected", "seller"), ("unanswered_buyer_message", "buyer")]


def test_order_field_request_counts_without_a_message():
    c = parse_case({"order_id": "x", "order": {"purchased_at": "2026-03-01T09:00:00Z", "shipped_at": "2026-03-02T09:00:00Z",
                                               "buyer_requested_cancel": True, "buyer_cancel_reason": "ordered by mistake"}})
    got = find(c, [], [], [])
    assert codes(got) == ["cancel_requested_before_shipment", "shipped_after_cancel_request"]
    assert got[0]["via_order_field"] is True and got[0]["confidence"] == "high"
    assert got[0]["evidence"][0]["event"] == "order.buyer_requested_cancel"


def test_retaliation_after_refused_cancellation():
    c = case(shipped_at="2026-03-03T08:00:00Z", delivered_at="2026-03-05T08:00:00Z")
    msgs = [msg("m1", 2, ["cancellation_request"]), msg("m2", 3, ["cancellation_refused"], hour=10)]
    got = find(c, msgs, [claim("c1", 12, ["missing_parts"])], [t(2, 14), t(3, 11)])
    assert codes(got) == ["cancel_requested_before_shipment", "shipped_after_cancel_request",
                          "seller_answered_cancel_request", "claim_reason_not_raised_before", "retaliation_suspected"]
    assert got[4]["reasons"] == ["missing_parts"]
    assert got[4]["grounds"] == ["shipped_after_request", "cancellation_refused"]
    assert [e["event"] for e in got[4]["evidence"]] == ["m1", "m2", "c1"]


def test_reported_before_claim_is_not_retaliation():
    c = case(shipped_at="2026-03-03T08:00:00Z")
    msgs = [msg("m1", 2, ["cancellation_request"]), msg("m2", 6, ["missing_parts"]), msg("m3", 7, ["missing_parts"])]
    got = find(c, msgs, [claim("c1", 12, ["missing_parts"])], [t(2, 14), t(6, 14), t(7, 14)])
    assert "retaliation_suspected" not in codes(got) and "claim_reason_not_raised_before" not in codes(got)
    raised = [f for f in got if f["code"] == "issue_raised_before_claim"]
    assert len(raised) == 1 and raised[0]["first_raised_at"] == "2026-03-06T12:00:00+00:00"


def test_new_reason_without_cancellation_is_not_retaliation():
    c = case(shipped_at="2026-03-02T08:00:00Z")
    got = find(c, [msg("m1", 4, ["not_received"])], [claim("c1", 12, ["damaged_defective"])], [t(4, 14)])
    assert codes(got) == ["claim_reason_not_raised_before"]


def test_no_buyer_contact_before_claim():
    c = case(shipped_at="2026-03-02T08:00:00Z")
    assert codes(find(c, [], [claim("c1", 12, ["wrong_item"])], [])) == [
        "no_buyer_contact_before_claim", "claim_reason_not_raised_before"]
    later = msg("m1", 13, ["wrong_item"])
    assert "no_buyer_contact_before_claim" in codes(find(c, [later], [claim("c1", 12, ["wrong_item"])], [t(13, 13)]))
    earlier = msg("m1", 5, ["other"])
    assert "no_buyer_contact_before_claim" not in codes(find(c, [earlier], [claim("c1", 12, ["wrong_item"])], [t(5, 13)]))


def test_unanswered_buyer_message_24_hours():
    c = case(shipped_at="2026-03-01T10:00:00Z")
    buyer = [msg("m1", 2, [], hour=10), msg("m2", 5, [], hour=10)]
    got = find(c, buyer, [], [t(3, 9), t(6, 11)])  # 23 h after m1: answered; 25 h after m2: not
    assert [(f["code"], f["evidence"][0]["event"]) for f in got] == [("unanswered_buyer_message", "m2")]


def test_delivered_before_not_received_claim():
    c = case(shipped_at="2026-03-02T08:00:00Z", delivered_at="2026-03-04T08:00:00Z")
    got = find(c, [msg("m1", 5, ["not_received"])], [claim("c1", 9, ["not_received"])], [t(5, 13)])
    assert "delivered_before_not_received_claim" in codes(got)
    c2 = case(shipped_at="2026-03-02T08:00:00Z", delivered_at="2026-03-10T08:00:00Z")
    assert "delivered_before_not_received_claim" not in codes(
        find(c2, [msg("m1", 5, ["not_received"])], [claim("c1", 9, ["not_received"])], [t(5, 13)]))


@pytest.mark.parametrize("raw, field", [
    ({"order": {}}, "order_id"),
    ({"order_id": "1", "order": {"purchased_at": "yesterday"}}, "order.purchased_at"),
    ({"order_id": "1", "messages": [{"from": "courier", "sent_at": "2026-03-01T00:00:00Z", "text": "hi"}]},
     "messages[0].from"),
    ({"order_id": "1", "messages": [{"from": "buyer", "sent_at": "2026-13-01", "text": "hi"}]}, "messages[0].sent_at"),
    ({"order_id": "1", "messages": [{"from": "buyer", "sent_at": "2026-03-01T00:00:00Z", "text": " "}]},
     "messages[0].text"),
    ({"order_id": "1", "claims": [{"type": "a-to-z", "filed_at": "2026-03-01", "text": "x"}]}, "claims[0].filed_at"),
    ({"order_id": "1", "claims": [{"type": "complaint", "filed_at": "2026-03-01T00:00:00Z", "text": "x"}]},
     "claims[0].type"),
    ({"order_id": "1", "order": {"buyer_requested_cancel": "yes"}}, "order.buyer_requested_cancel"),
    ([], "case"),
])
def test_bad_cases_name_the_field(raw, field):
    with pytest.raises(BadInputError) as info:
        parse_case(raw)
    assert info.value.details == {"field": field}
    assert info.value.message.startswith(field)
