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


def test_too_many_messages_or_claims():
    raw = {"order_id": "1", "messages": [MESSAGE] * 4, "claims": [CLAIM] * 6}
    message, details = error(raw, max_events=5)
    assert details == {"field": "claims", "limit": 5}
    assert message == "claims: has 6 items; the limit is 5"
    assert len(parse_case(raw, max_events=6).messages) == 4


def test_text_limit_is_a_parameter():
    message, details = error({"order_id": "1", "messages": [{**MESSAGE, "text": "x" * 11}]}, max_text=10)
    assert details == {"field": "messages[0].text"} and message.endswith("is 11 characters; the limit is 10")


@pytest.mark.parametrize("messages, field", [
    ([{**MESSAGE, "id": True}], "messages[0].id"),
    ([{**MESSAGE, "id": ""}], "messages[0].id"),
    ([{**MESSAGE, "id": "\ufeff "}], "messages[0].id"),
    ([{**MESSAGE, "id": "x" * 201}], "messages[0].id"),
])
def test_event_ids_are_strings_or_integers(messages, field):
    assert error({"order_id": "1", "messages": messages})[1] == {"field": field}


def test_an_id_given_twice_names_one_event_each_time():
    case = parse_case({"order_id": "1", "messages": [{**MESSAGE, "id": "a"}, {**MESSAGE, "id": "a"},
                                                     {**MESSAGE, "id": "order.shipped_at"}, {**MESSAGE, "id": None}],
                       "claims": [{**CLAIM, "id": "a"}, {**CLAIM, "id": 4}]})
    assert [m.id for m in case.messages] == ["a", "a#2", "order.shipped_at#2", "m4"]
    assert [c.id for c in case.claims] == ["a#3", "4"]


def test_optional_fields_and_defaults():
    case = parse_case({"order_id": 1140000000, "order": {"tracking_id": " 1Z999 ", "buyer_requested_cancel": None,
                                                         "buyer_cancel_reason": ""},
                       "messages": [{**MESSAGE, "id": 7}], "claims": [CLAIM]})
    assert (case.order_id, case.tracking_id, case.buyer_requested_cancel, case.buyer_cancel_reason) == (
        "1140000000", "1Z999", False, None)
    assert [m.id for m in case.messages] == ["7"] and [c.id for c in case.claims] == ["c1"]
    assert parse_case({"order_id": "1", "order": None, "messages": None, "claims": None}).messages == ()


def test_times_that_contradict_each_other_are_warnings():
    raw = {"order_id": "1", "order": {"purchased_at": "2026-03-05T00:00:00Z", "shipped_at": "2026-03-04T00:00:00Z",
                                      "delivered_at": "2026-03-01T00:00:00Z"},
           "claims": [{**CLAIM, "filed_at": "2026-03-02T00:00:00Z"}]}
    assert parse_case(raw).warnings == (
        {"field": "order.shipped_at", "message": "is before order.purchased_at; the rules take the times as given"},
        {"field": "order.delivered_at", "message": "is before order.shipped_at; the rules take the times as given"},
        {"field": "order.delivered_at", "message": "is before order.purchased_at; the rules take the times as given"},
        {"field": "claims[0].filed_at", "message": "is before order.purchased_at; the rules take the times as given"})


def test_an_empty_time_is_not_a_missing_one():
    assert error({"order_id": "1", "order": {"shipped_at": ""}})[1] == {"field": "order.shipped_at"}
    assert parse_case({"order_id": "1", "order": {"shipped_at": None}}).shipped_at is None


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:30:00Z", "1969-12-31T23:59:59Z",
                                   "2026-02-29T10:00:00Z", "2100-02-29T10:00:00Z", "2026-04-31T10:00:00Z",
                                   "2026-03-01", "2026-03-01T10:00", "2026-03-01t10:00:00z", "2026-03-01T23:59:60Z",
                                   " 2026-03-01T10:00:00Z", "2026-03-01T10:00:00Z\n", "02/03/2026"])
def test_times_that_are_not_rfc_3339_in_range_are_refused(value):
    message, details = error({"order_id": "1", "messages": [{**MESSAGE, "sent_at": value}]})
    assert details == {"field": "messages[0].sent_at"}
    assert message == ("messages[0].sent_at: is not a timestamp like 2026-03-01T20:00:00Z (RFC 3339, years "
                       f"1970-2999): {value!r}")


@pytest.mark.parametrize("value, iso", [
    ("2028-02-29T10:00:00Z", "2028-02-29T10:00:00+00:00"), ("2000-02-29 10:00:00", "2000-02-29T10:00:00+00:00"),
    ("2026-03-01T10:00:00.123456+05:30", "2026-03-01T10:00:00.123456+05:30"),
    ("1970-01-01T00:00:00-23:59", "1970-01-01T00:00:00-23:59"), ("2999-12-31T23:59:59.5Z", "2999-12-31T23:59:59.500000+00:00"),
])
def test_rfc_3339_times_in_range_are_read(value, iso):
    assert parse_case({"order_id": "1", "messages": [{**MESSAGE, "sent_at": value}]}).messages[0].sent_at.isoformat() == iso
