"""Check request bodies field by field; errors name the field (and the batch item index)."""
from __future__ import annotations

import re
from typing import NamedTuple

from claimlens.model.errors import BadInputError

PREDICT_FIELDS = {"text", "id", "explain"}
BATCH_FIELDS = {"items", "explain"}
ITEM_FIELDS = {"text", "id"}
# A character that is not blank for Python (str.isspace) nor for JSON Schema's ECMA-262 `\s`: the
# same class in both, so the OpenAPI pattern and this check agree on every string.
NOT_BLANK = r"[^\s\x1c-\x1f\x85\ufeff]"
_NOT_BLANK = re.compile(NOT_BLANK)


class Item(NamedTuple):
    id: object
    text: str


def _fail(field: str, message: str, **details) -> None:
    raise BadInputError(f"{field}: {message}", {"field": field, **details})


def _object(body, field: str, allowed: set[str], **details) -> dict:
    if not isinstance(body, dict):
        _fail(field, f"expected a JSON object, got {_kind(body)}", **details)
    unknown = sorted(set(body) - allowed)
    if unknown:
        prefix = f"{field}." if field != "body" else ""
        _fail(prefix + unknown[0], f"unknown field; allowed: {', '.join(sorted(allowed))}", **details)
    return body


def _kind(value) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer",
            float: "number", type(None): "null"}.get(type(value), type(value).__name__)


def _text(value, field: str, max_chars: int, **details) -> str:
    if value is None:
        _fail(field, "is required", **details)
    if not isinstance(value, str):
        _fail(field, f"must be a string, got {_kind(value)}", **details)
    if not _NOT_BLANK.search(value):
        _fail(field, "must not be empty", **details)
    if len(value) > max_chars:
        _fail(field, f"is {len(value)} characters; the limit is {max_chars}", **details)
    return value


def _whole(value):
    """An integer as JSON Schema counts one: 7 or 7.0 (JSON's number is the same); anything else unchanged."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _id(value, field: str, **details):
    value = _whole(value)
    if value is not None and (isinstance(value, bool) or not isinstance(value, (str, int))):
        _fail(field, f"must be a string or an integer, got {_kind(value)}", **details)
    if isinstance(value, str) and len(value) > 200:
        _fail(field, "is longer than 200 characters", **details)
    return value


def _explain(body: dict) -> bool:
    value = body.get("explain", True)
    if not isinstance(value, bool):
        _fail("explain", f"must be a boolean, got {_kind(value)}")
    return value


def parse_predict(body, max_chars: int) -> tuple[Item, bool]:
    body = _object(body, "body", PREDICT_FIELDS)
    return Item(_id(body.get("id"), "id"), _text(body.get("text"), "text", max_chars)), _explain(body)


def parse_batch(body, max_chars: int, max_items: int) -> tuple[list[Item], bool]:
    body = _object(body, "body", BATCH_FIELDS)
    items = body.get("items")
    if items is None:
        _fail("items", "is required")
    if not isinstance(items, list):
        _fail("items", f"must be an array, got {_kind(items)}")
    if not items:
        _fail("items", "must not be empty")
    if len(items) > max_items:
        _fail("items", f"has {len(items)} items; the limit is {max_items}", limit=max_items)
    out = []
    for i, item in enumerate(items):
        field = f"items[{i}]"
        item = _object(item, field, ITEM_FIELDS, index=i)
        rid = _id(item.get("id"), f"{field}.id", index=i)
        out.append(Item(i + 1 if rid is None else rid, _text(item.get("text"), f"{field}.text", max_chars, index=i)))
    return out, _explain(body)
