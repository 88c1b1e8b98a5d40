"""Schemathesis hooks for the conformance test: review answers reach queued items, and the one request
rule the OpenAPI document states in words only is not reported as a disagreement.

- `map_body`: a drawn review item number (any of 1..2**63-1) names nothing, so every answer would be a 404
  and the answer path would go untested. A valid number k becomes one of the queued items (1..N, still
  valid); an invalid one is left as drawn, so a negative case stays negative.
- `filter_failure`: JSON Schema cannot relate one field to another, so the span description says it:
  start < end <= the text's length (the body's text, or the queued item's), and the label is one of the
  body's labels. The routes answer a body that breaks it with 422, rightly; Schemathesis, drawing each
  field on its own, calls that "valid data rejected" (ST202). This drops exactly those findings, after
  checking that the body does break the rule and that the 422 names a span; every other finding stands.

The test passes the queued texts, in item order, in CLAIMLENS_REVIEW_TEXTS (a JSON array).
"""
from __future__ import annotations

import json
import os

import schemathesis

REVIEW_TEXTS: list[str] = json.loads(os.environ.get("CLAIMLENS_REVIEW_TEXTS", "[]"))
INT64_MAX = 2**63 - 1


@schemathesis.hook
def map_body(context, body):
    operation = getattr(context, "operation", None)
    if operation is None or operation.label != "POST /v1/review" or not REVIEW_TEXTS or not isinstance(body, dict):
        return body
    item = body.get("item")
    if _item_number(item) is not None:
        queued = 1 + (int(item) - 1) % len(REVIEW_TEXTS)
        body = {**body, "item": float(queued) if isinstance(item, float) else queued}  # the same spelling
    return body


@schemathesis.hook
def filter_failure(context, failure, case, response) -> bool:
    if failure.code != "ST202" or not _names_a_span(response) or not isinstance(case.body, dict):
        return True
    body = case.body
    if case.operation.label == "POST /v1/feedback":
        text = body.get("text")
    elif case.operation.label == "POST /v1/review" and _item_number(body.get("item")) is not None:
        number = int(body["item"])
        text = REVIEW_TEXTS[number - 1] if number <= len(REVIEW_TEXTS) else None
    else:
        return True
    return not _span_misfits(body, text)


def _item_number(value) -> int | None:
    """A valid item number as the document has it (an integer 1..2**63-1, 7.0 being 7), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (isinstance(value, float) and not value.is_integer()):
        return None
    return int(value) if 1 <= value <= INT64_MAX else None


def _span_misfits(body: dict, text) -> bool:
    if not isinstance(text, str) or not isinstance(body.get("evidence"), list):
        return False
    labels = body["labels"] if isinstance(body.get("labels"), list) else []
    return any(not _fits(span, labels, text) for span in body["evidence"])


def _fits(span, labels: list, text: str) -> bool:
    try:
        return span["label"] in labels and 0 <= span["start"] < span["end"] <= len(text)
    except (KeyError, TypeError):  # not a span this rule speaks of: the schema's own keywords judge it
        return True


def _names_a_span(response) -> bool:
    try:
        field = json.loads(response.content)["error"]["details"]["field"]
    except (ValueError, KeyError, TypeError):
        return False
    return response.status_code == 422 and isinstance(field, str) and field.startswith("evidence[")
