"""POST /v1/cases/analyze: one case in, timeline + findings + assessment + drafts out; its OpenAPI schemas."""
from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify

from claimlens.cases import analyze_case, parse_case
from claimlens.cases.case import CLAIM_TYPES, SENDERS, TIMESTAMP
from claimlens.cases.findings import CODES
from claimlens.cases.marketplace import DRAFT_LANGUAGES
from claimlens.cases.positions import POSITIONS, RULES
from claimlens.cases.wording import vocabulary
from claimlens.service.validation import NOT_BLANK

bp = Blueprint("cases", __name__, url_prefix="/v1")


@bp.post("/cases/analyze")
def analyze():
    settings = current_app.config["CLAIMLENS_SETTINGS"]
    # BadInputError → 422 naming the field: an unknown one, a bad value, too many events
    case = parse_case(g.body, settings.max_case_events, settings.max_text_chars)
    loaded = current_app.config["CLAIMLENS_HOLDER"].current
    return jsonify(analyze_case(loaded.estimator, loaded.manifest["model_version"], case))


@bp.app_context_processor
def _case_vocabulary():
    """Names for the case page (finding codes, positions, claim types in en and zh; labels from the schema)."""
    from claimlens.service.page import current_schema

    def names():
        schema = current_schema()
        return {**vocabulary(), "labels": {l: {"en": schema.name(l, "en"), "zh": schema.name(l, "zh")}
                                           for l in schema.labels}}
    return {"case_vocabulary": names}


def case_schemas(settings) -> dict:
    """Components of the OpenAPI document for the case endpoint, with this service's limits."""
    limit = settings.max_case_events
    text = {"type": "string", "minLength": 1, "maxLength": settings.max_text_chars, "pattern": NOT_BLANK}
    # the parser's own pattern (RFC 3339, offset optional, real days of 1970-2999): valid exactly where it is
    time = {"type": "string", "pattern": TIMESTAMP, "description": "2026-03-01T20:00:00Z; no offset means UTC"}
    when = {**time, "type": ["string", "null"]}
    optional = {"type": ["string", "null"], "maxLength": settings.max_text_chars}
    event_id = {"oneOf": [{"type": "string", "minLength": 1, "maxLength": 200, "pattern": NOT_BLANK},
                          {"type": "integer"}, {"type": "null"}],
                "description": "default: m1, m2, … / c1, c2, … by position; an id given twice gets #2, #3, …"}
    span = {"type": "object", "required": ["event", "start", "end", "text"], "properties": {
        "event": {"type": "string"}, "start": {"type": "integer"}, "end": {"type": "integer"},
        "text": {"type": "string"}}}
    risk = {"type": "object", "required": ["code", "summary", "advice", "advice_zh", "evidence"], "properties": {
        "code": {"enum": list(CODES)}, "summary": {"type": "string"}, "advice": {"type": "string"},
        "advice_zh": {"type": "string"}, "evidence": {"type": "array", "items": span}}}
    assessment = {"type": "object", "required": ["claim", "position", "rule", "why", "risks", "next_steps"],
                  "properties": {
                      "claim": {"type": "string"}, "position": {"enum": list(POSITIONS)},
                      "rule": {"enum": list(RULES)}, "why": {"type": "string"}, "why_zh": {"type": "string"},
                      "risks": {"type": "array", "items": risk},
                      "next_steps": {"type": "array", "items": {"type": "string"}},
                      "next_steps_zh": {"type": "array", "items": {"type": "string"}}}}
    return {
        "Case": {
            "type": "object", "additionalProperties": False, "required": ["order_id"],
            "description": f"One order: at most {limit} messages and {limit} claims (CLAIMLENS_MAX_CASE_EVENTS). "
                           "Unknown fields are refused (422 naming the field).",
            "properties": {
                "order_id": {"oneOf": event_id["oneOf"][:2]},
                "order": {"type": ["object", "null"], "additionalProperties": False, "properties": {
                    "purchased_at": when, "shipped_at": when, "delivered_at": when,
                    "tracking_id": optional, "buyer_requested_cancel": {"type": ["boolean", "null"]},
                    "buyer_cancel_reason": optional}},
                "messages": {"type": ["array", "null"], "maxItems": limit, "items": {
                    "type": "object", "additionalProperties": False, "required": ["from", "sent_at", "text"],
                    "properties": {"id": event_id, "from": {"enum": list(SENDERS)},
                                   "sent_at": time, "text": text}}},
                "claims": {"type": ["array", "null"], "maxItems": limit, "items": {
                    "type": "object", "additionalProperties": False, "required": ["type", "filed_at", "text"],
                    "properties": {"id": event_id, "type": {"enum": list(CLAIM_TYPES)},
                                   "filed_at": time,
                                   "reason": optional, "text": text}}}}},
        "Finding": {"type": "object", "required": ["code", "side", "confidence", "summary", "evidence"],
                    "properties": {
                        "code": {"enum": list(CODES)}, "side": {"enum": ["seller", "buyer", "neutral"]},
                        "confidence": {"enum": ["high", "medium", "low"]}, "summary": {"type": "string"},
                        "evidence": {"type": "array", "items": span}, "claim": {"type": "string"}}},
        "Assessment": assessment,
        "CaseAnalysis": {
            "type": "object",
            "required": ["order_id", "model", "marketplace", "warnings", "assessment", "timeline", "findings",
                         "response_draft"],
            "properties": {
                "order_id": {"type": "string"}, "model": {"type": "string"},
                "warnings": {"type": "array", "description": "times that contradict each other (taken as given)",
                             "items": {"type": "object", "required": ["field", "message"], "properties": {
                                 "field": {"type": "string"}, "message": {"type": "string"}}}},
                "marketplace": {"type": "object", "required": ["store", "language", "from"], "properties": {
                    "store": {"enum": ["US", "JP", "EU", None]},
                    "language": {"type": ["string", "null"]},
                    "from": {"enum": ["order_id", "messages", None]}}},
                "assessment": {"oneOf": [{"$ref": "#/components/schemas/Assessment"}, {"type": "null"}],
                               "description": "the latest claim's assessment (null: the case has no claim)"},
                "timeline": {"type": "array", "items": {"type": "object", "required": ["event", "kind", "at"],
                                                        "properties": {
                                                            "assessment": {"$ref": "#/components/schemas/Assessment"}}}},
                "findings": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}},
                "response_draft": {
                    "type": "object", "required": ["en", "zh"],
                    "description": "en: for Respond to Amazon; zh: for the seller; and the marketplace language's "
                                   f"({', '.join(DRAFT_LANGUAGES)}) when the case shows one",
                    "properties": {lang: {"type": "string"} for lang in ("en", "zh", *DRAFT_LANGUAGES)},
                    "additionalProperties": False}}},
    }
