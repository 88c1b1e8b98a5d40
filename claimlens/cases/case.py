"""A case (one order: its fields, messages and claims), parsed and checked field by field.

Every error names the field at fault (`messages[2].sent_at`); a field the format does not
know is an error too (a misspelt `shiped_at` would otherwise be read as "never shipped"). An
event id given twice gets `#2`, `#3`, … on its later uses, so that evidence names one event.
Times that contradict each other (a shipment before the purchase, a claim before it) are not
errors: each is a warning naming the field, and the rules take the times as given.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from claimlens.model.errors import BadInputError

SENDERS = ("buyer", "seller", "marketplace")
CLAIM_TYPES = ("a-to-z", "return", "chargeback", "feedback")
MAX_TEXT = 20_000
MAX_EVENTS = 1_000  # messages, and claims, in one case; real cases have tens
# RFC 3339 date and time, T or a space between them, the offset optional (none means UTC), years
# 1970-2999, real calendar days (leap years too). One pattern for this parser and the OpenAPI
# document, so a time is accepted exactly where the documented schema says it is valid.
_YEAR = r"(?:19[7-9][0-9]|2[0-9]{3})"
_LEAP = r"(?:19(?:7[26]|8[048]|9[26])|2[0-9](?:0[48]|[2468][048]|[13579][26])|2[048]00)"
_DAY = (rf"(?:{_YEAR}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
        rf"|02-(?:0[1-9]|1[0-9]|2[0-8]))|{_LEAP}-02-29)")
TIMESTAMP = (rf"^{_DAY}[T ](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{{1,6}})?"
             r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?$")
_TIMESTAMP = re.compile(TIMESTAMP)
CASE_FIELDS = ("order_id", "order", "messages", "claims")
ORDER_FIELDS = ("purchased_at", "shipped_at", "delivered_at", "tracking_id", "buyer_requested_cancel",
                "buyer_cancel_reason")
MESSAGE_FIELDS = ("id", "from", "sent_at", "text")
CLAIM_FIELDS = ("id", "type", "filed_at", "reason", "text")
# the ids the analysis gives order fields in the timeline and in evidence
RESERVED_IDS = ("order.purchased_at", "order.shipped_at", "order.delivered_at", "order.buyer_requested_cancel")


@dataclass(frozen=True)
class Message:
    id: str
    sender: str
    sent_at: datetime
    text: str


@dataclass(frozen=True)
class Claim:
    id: str
    type: str
    filed_at: datetime
    text: str
    reason: str | None = None


@dataclass(frozen=True)
class Case:
    order_id: str
    purchased_at: datetime | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    buyer_requested_cancel: bool
    buyer_cancel_reason: str | None
    messages: tuple[Message, ...]
    claims: tuple[Claim, ...]
    tracking_id: str | None = None
    warnings: tuple[dict, ...] = ()  # {field, message}: times that contradict each other


def blank(value: str) -> bool:
    """Nothing but white space: Python's (str.isspace) or JSON Schema's (ECMA-262 `\\s`, which adds U+FEFF)."""
    return all(c.isspace() or c == "\ufeff" for c in value)


def _fail(field: str, message: str, **details) -> None:
    raise BadInputError(f"{field}: {message}", {"field": field, **details})


def parse_time(value, field: str) -> datetime:
    """An RFC 3339 time (`TIMESTAMP`); a time without an offset is taken as UTC."""
    if not isinstance(value, str) or not value.strip():
        _fail(field, f"must be a timestamp string, got {value!r}")
    try:
        if not _TIMESTAMP.fullmatch(value):  # fullmatch: `$` alone would let a final newline through
            raise ValueError
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        _fail(field, f"is not a timestamp like 2026-03-01T20:00:00Z (RFC 3339, years 1970-2999): {value!r}")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _optional_time(raw: dict, key: str, where: str) -> datetime | None:
    value = raw.get(key)
    return None if value is None else parse_time(value, f"{where}.{key}")


def _optional_text(raw: dict, key: str, where: str, max_text: int) -> str | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, str):
        _fail(f"{where}.{key}", f"must be a string, got {_kind(value)}")
    if value and len(value) > max_text:
        _fail(f"{where}.{key}", f"is {len(value)} characters; the limit is {max_text}")
    return value.strip() or None if value else None


def _text(raw: dict, field: str, max_text: int, key: str = "text") -> str:
    value = raw.get(key)
    if not isinstance(value, str) or blank(value):
        _fail(f"{field}.{key}", "must be a non-empty string")
    if len(value) > max_text:
        _fail(f"{field}.{key}", f"is {len(value)} characters; the limit is {max_text}")
    return value


def _kind(value) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer",
            float: "number", type(None): "null"}.get(type(value), type(value).__name__)


def _known(raw: dict, allowed: tuple[str, ...], where: str) -> None:
    unknown = [k for k in raw if k not in allowed]
    if unknown:
        _fail(f"{where}.{unknown[0]}" if where else unknown[0],
              f"unknown field; allowed: {', '.join(allowed)}")


def _objects(raw: dict, key: str, allowed: tuple[str, ...]):
    """(index, field path, object) for each item of the array `key`."""
    value = raw.get(key)
    if value is None:
        return
    if not isinstance(value, list):
        _fail(key, f"must be an array, got {_kind(value)}")
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            _fail(f"{key}[{i}]", f"must be an object, got {_kind(item)}")
        _known(item, allowed, f"{key}[{i}]")
        yield i, f"{key}[{i}]", item


def _choice(raw: dict, key: str, where: str, allowed: tuple[str, ...], what: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or value not in allowed:
        _fail(f"{where}.{key}", f"unknown {what} {value!r}; expected one of {', '.join(allowed)}")
    return value


def _event_id(raw: dict, where: str, default: str, seen: set[str]) -> str:
    value = raw.get("id")
    if value is None:
        value = default
    elif isinstance(value, bool) or not isinstance(value, (str, int)):
        _fail(f"{where}.id", f"must be a string or an integer, got {_kind(value)}")
    value = str(value)
    if blank(value) or len(value) > 200:
        _fail(f"{where}.id", "must be 1 to 200 characters, not all white space")
    value, base, n = value.strip(), value.strip(), 1
    while value in seen or value in RESERVED_IDS:  # evidence names events by id: each must be one event's
        n += 1
        value = f"{base}#{n}"
    seen.add(value)
    return value


def parse_case(raw, max_events: int = MAX_EVENTS, max_text: int = MAX_TEXT) -> Case:
    """Check every field; errors name the field at fault (e.g. `messages[2].sent_at`)."""
    if not isinstance(raw, dict):
        _fail("case", f"must be a JSON object, got {_kind(raw)}")
    _known(raw, CASE_FIELDS, "")
    order_id = raw.get("order_id")
    if isinstance(order_id, int) and not isinstance(order_id, bool):
        order_id = str(order_id)
    if not isinstance(order_id, str) or blank(order_id):
        _fail("order_id", "is required (a non-empty string)")
    if len(order_id) > 200:
        _fail("order_id", "is longer than 200 characters")
    order = raw.get("order")
    if order is None:
        order = {}
    if not isinstance(order, dict):
        _fail("order", f"must be an object, got {_kind(order)}")
    _known(order, ORDER_FIELDS, "order")
    purchased = _optional_time(order, "purchased_at", "order")
    shipped = _optional_time(order, "shipped_at", "order")
    delivered = _optional_time(order, "delivered_at", "order")
    requested = order.get("buyer_requested_cancel", False)
    if requested is None:
        requested = False
    if not isinstance(requested, bool):
        _fail("order.buyer_requested_cancel", f"must be true or false (in CSV: true/false, yes/no or 1/0), "
              f"got {requested!r}")
    cancel_reason = _optional_text(order, "buyer_cancel_reason", "order", max_text)
    tracking = _optional_text(order, "tracking_id", "order", max_text)
    warnings = []
    for field, at, other, earlier in (("order.shipped_at", shipped, "order.purchased_at", purchased),
                                      ("order.delivered_at", delivered, "order.shipped_at", shipped),
                                      ("order.delivered_at", delivered, "order.purchased_at", purchased)):
        if at and earlier and at < earlier:
            warnings.append({"field": field, "message": f"is before {other}; the rules take the times as given"})

    for key in ("messages", "claims"):
        if isinstance(raw.get(key), list) and len(raw[key]) > max_events:
            _fail(key, f"has {len(raw[key])} items; the limit is {max_events}", limit=max_events)
    seen: set[str] = set()
    messages = []
    for i, where, m in _objects(raw, "messages", MESSAGE_FIELDS):
        ident = _event_id(m, where, f"m{i + 1}", seen)
        sender = _choice(m, "from", where, SENDERS, "sender")
        messages.append(Message(ident, sender, parse_time(m.get("sent_at"), f"{where}.sent_at"),
                                _text(m, where, max_text)))
    claims = []
    for i, where, c in _objects(raw, "claims", CLAIM_FIELDS):
        ident = _event_id(c, where, f"c{i + 1}", seen)
        kind = _choice(c, "type", where, CLAIM_TYPES, "claim type")
        filed = parse_time(c.get("filed_at"), f"{where}.filed_at")
        if purchased and filed < purchased:
            warnings.append({"field": f"{where}.filed_at", "message": "is before order.purchased_at; the rules "
                             "take the times as given"})
        reason = _optional_text(c, "reason", where, max_text)
        claims.append(Claim(ident, kind, filed, _text(c, where, max_text), reason))
    return Case(order_id.strip(), purchased, shipped, delivered, requested, cancel_reason,
                tuple(messages), tuple(claims), tracking, tuple(warnings))
