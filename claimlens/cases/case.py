"""A case (one order: its fields, messages and claims), parsed and checked field by field."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from claimlens.model.errors import BadInputError

SENDERS = ("buyer", "seller", "marketplace")
CLAIM_TYPES = ("a-to-z", "return", "chargeback", "feedback")
MAX_TEXT = 20_000


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


def _fail(field: str, message: str) -> None:
    raise BadInputError(f"{field}: {message}", {"field": field})


def parse_time(value, field: str) -> datetime:
    """ISO 8601; a time without an offset is taken as UTC."""
    if not isinstance(value, str) or not value.strip():
        _fail(field, f"must be an ISO 8601 timestamp string, got {value!r}")
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        _fail(field, f"is not an ISO 8601 timestamp: {value!r}")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _optional_time(raw: dict, key: str, where: str) -> datetime | None:
    value = raw.get(key)
    return None if value in (None, "") else parse_time(value, f"{where}.{key}")


def _text(raw: dict, field: str, key: str = "text") -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        _fail(f"{field}.{key}", "must be a non-empty string")
    if len(value) > MAX_TEXT:
        _fail(f"{field}.{key}", f"is {len(value)} characters; the limit is {MAX_TEXT}")
    return value


def _objects(raw: dict, key: str):
    """(index, field path, object) for each item of the array `key`."""
    value = raw.get(key, [])
    if not isinstance(value, list):
        _fail(key, f"must be an array, got {type(value).__name__}")
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            _fail(f"{key}[{i}]", "must be an object")
        yield i, f"{key}[{i}]", item


def _choice(raw: dict, key: str, where: str, allowed: tuple[str, ...], what: str) -> str:
    value = raw.get(key)
    if value not in allowed:
        _fail(f"{where}.{key}", f"unknown {what} {value!r}; expected one of {', '.join(allowed)}")
    return value


def parse_case(raw) -> Case:
    """Check every field; errors name the field at fault (e.g. `messages[2].sent_at`)."""
    if not isinstance(raw, dict):
        _fail("case", "must be a JSON object")
    order_id = raw.get("order_id")
    if not isinstance(order_id, str) or not order_id.strip():
        _fail("order_id", "is required (a non-empty string)")
    order = raw.get("order") or {}
    if not isinstance(order, dict):
        _fail("order", "must be an object")
    purchased = _optional_time(order, "purchased_at", "order")
    shipped = _optional_time(order, "shipped_at", "order")
    delivered = _optional_time(order, "delivered_at", "order")
    requested = order.get("buyer_requested_cancel", False)
    if not isinstance(requested, bool):
        _fail("order.buyer_requested_cancel", f"must be true or false, got {requested!r}")
    cancel_reason = order.get("buyer_cancel_reason")
    if cancel_reason is not None and not isinstance(cancel_reason, str):
        _fail("order.buyer_cancel_reason", "must be a string")
    if purchased and shipped and shipped < purchased:
        _fail("order.shipped_at", "is before order.purchased_at")
    if shipped and delivered and delivered < shipped:
        _fail("order.delivered_at", "is before order.shipped_at")

    messages = []
    for i, where, m in _objects(raw, "messages"):
        sender = _choice(m, "from", where, SENDERS, "sender")
        messages.append(Message(str(m.get("id", f"m{i + 1}")), sender, parse_time(m.get("sent_at"), f"{where}.sent_at"),
                                _text(m, where)))
    claims = []
    for i, where, c in _objects(raw, "claims"):
        kind = _choice(c, "type", where, CLAIM_TYPES, "claim type")
        filed = parse_time(c.get("filed_at"), f"{where}.filed_at")
        if purchased and filed < purchased:
            _fail(f"{where}.filed_at", "is before order.purchased_at: a claim cannot precede the purchase")
        reason = c.get("reason")
        if reason is not None and not isinstance(reason, str):
            _fail(f"{where}.reason", "must be a string")
        claims.append(Claim(str(c.get("id", f"c{i + 1}")), kind, filed, _text(c, where), reason or None))
    return Case(order_id.strip(), purchased, shipped, delivered, requested, cancel_reason or None,
                tuple(messages), tuple(claims))
