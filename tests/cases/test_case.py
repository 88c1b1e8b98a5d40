"""Parsing a case: unknown fields, the event limit, event ids, optional fields; errors name the field."""
import pytest

from claimlens.cases.case import parse_case
from claimlens.model.errors import BadInputError

MESSAGE = {"from": "buyer", "sent_at": "2026-03-01T00:00:00Z", "text": "hi"}
CLAIM = {"type": "a-to-z", "filed_at": "2026-03-02T00:00:00Z", "text": "never arrived"}


def error(raw, **limits) -> tuple[str, dict]:
    with pytest.raises(BadInputError) as info:
        parse_case(raw, **limits)
    return info.value.message, info.value.details


@pytest.mark.parametrize("raw, field", [
    ({"order_id": "1", "note": "x"}, "note"),
    ({"order_id": "1", "order": {"shiped_at": "2026-03-01T00:00:00Z"}}, "order.shiped_at"),
    ({"order_id": "1", "messages": [MESSAGE, {**MESSAGE, "sender": "buyer"}]}, "messages[1].sender"),
    ({"order_id": "1", "claims": [{**CLAIM, "amount": 12}]}, "claims[0].amount"),
])
def test_unknown_fields_are_named(raw, field):
    message, details = error(raw)
    assert details == {"field": field}
    assert message.startswith(f"{field}: unknown field; allowed: ")


def test_too_many_events():
    raw = {"order_id": "1", "messages": [MESSAGE] * 4, "claims": [CLAIM] * 2}
    message, details = error(raw, max_events=5)
    assert details == {"field": "messages", "limit": 5}
    assert message == "messages: the case has 6 messages and claims; the limit is 5"
    assert len(parse_case(raw, max_events=6).messages) == 4


def test_text_limit_is_a_parameter():
    message, details = error({"order_id": "1", "messages": [{**MESSAGE, "text": "x" * 11}]}, max_text=10)
    assert details == {"field": "messages[0].text"} and message.endswith("is 11 characters; the limit is 10")


@pytest.mark.parametrize("messages, field", [
    ([{**MESSAGE, "id": "a"}, {**MESSAGE, "id": "a"}], "messages[1].id"),
    ([{**MESSAGE, "id": "order.shipped_at"}], "messages[0].id"),
    ([{**MESSAGE, "id": True}], "messages[0].id"),
    ([{**MESSAGE, "id": ""}], "messages[0].id"),
])
def test_event_ids_are_unique_strings(messages, field):
    assert error({"order_id": "1", "messages": messages})[1] == {"field": field}


def test_optional_fields_and_defaults():
    case = parse_case({"order_id": 1140000000, "order": {"tracking_id": " 1Z999 ", "buyer_requested_cancel": None,
                                                         "buyer_cancel_reason": ""},
                       "messages": [{**MESSAGE, "id": 7}], "claims": [CLAIM]})
    assert (case.order_id, case.tracking_id, case.buyer_requested_cancel, case.buyer_cancel_reason) == (
        "1140000000", "1Z999", False, None)
    assert [m.id for m in case.messages] == ["7"] and [c.id for c in case.claims] == ["c1"]
    assert parse_case({"order_id": "1", "order": None, "messages": None, "claims": None}).messages == ()


def test_delivery_before_purchase_is_refused():
    raw = {"order_id": "1", "order": {"purchased_at": "2026-03-05T00:00:00Z", "delivered_at": "2026-03-01T00:00:00Z"}}
    assert error(raw)[1] == {"field": "order.delivered_at"}
