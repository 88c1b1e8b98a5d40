"""The feedback routes: corrections in (POST /v1/feedback), out (GET /v1/feedback), and the review queue.

Every correction is checked as training data is (training.datasets.parse_record, against the
loaded model's label schema) and errors name the field. `who` is the name of the API key that
sent it (CLAIMLENS_API_KEYS="alice:key1,bob:key2"), never the key. Texts are never logged.
"""
from __future__ import annotations

import hmac
import logging
from dataclasses import replace

from flask import Blueprint, current_app, g, jsonify, request

from claimlens.feedback.database import Database, default_url
from claimlens.feedback.queue import ReviewQueue
from claimlens.feedback.store import FeedbackStore, NewFeedback, iso, parse_time
from claimlens.model.errors import BadInputError
from claimlens.service.page import current_schema
from claimlens.service.validation import _fail, _id, _kind, _object, _text
from claimlens.training.datasets import parse_record

log = logging.getLogger("claimlens.service")
bp = Blueprint("feedback", __name__, url_prefix="/v1")

FEEDBACK_FIELDS = {"text", "labels", "evidence", "id", "model", "predicted", "source", "lang"}
REVIEW_FIELDS = {"item", "labels", "evidence", "skip"}
PAGE_LIMIT, MAX_LIMIT = 1000, 10_000


def init_app(app, settings) -> None:
    """The feedback database for this app (its engine opens in each worker on first use)."""
    app.config["CLAIMLENS_FEEDBACK_DB"] = Database(settings.db_url or default_url(settings.models_root))
    app.register_blueprint(bp)


def _db() -> Database:
    return current_app.config["CLAIMLENS_FEEDBACK_DB"]


def _who() -> str | None:
    """The name of the API key this request carries (the guard in api.py has checked it)."""
    settings = current_app.config["CLAIMLENS_SETTINGS"]
    given = (request.headers.get("X-API-Key") or "").encode()
    name = None
    for n, key in enumerate(settings.api_keys, 1):  # every key compared: the time says nothing
        if hmac.compare_digest(given, key.encode()):
            name = settings.key_names.get(key, f"key-{n}")
    return name


def _correction(body: dict, where: str = ""):
    """(Example, schema) from a body's text, labels, evidence and lang; errors name the field."""
    labels = body.get("labels")
    if labels is None:
        _fail("labels", "is required")
    if not isinstance(labels, list) or not all(isinstance(l, str) for l in labels):
        _fail("labels", f"must be an array of label names, got {_kind(labels)}")
    evidence = body.get("evidence")
    if evidence is not None and not isinstance(evidence, list):
        _fail("evidence", f"must be an array of {{label, start, end}} spans, got {_kind(evidence)}")
    try:
        return parse_record({k: body.get(k) for k in ("text", "labels", "evidence", "lang", "id")},
                            current_schema(), where)
    except BadInputError as exc:
        field = exc.details.get("field", "body")
        raise BadInputError(f"{field}: {exc.message}", exc.details) from None


def _optional_string(body: dict, field: str, limit: int) -> str | None:
    value = body.get(field)
    if value is not None and (not isinstance(value, str) or not value.strip() or len(value) > limit):
        _fail(field, f"must be a non-empty string of at most {limit} characters")
    return value


@bp.post("/feedback")
def post_feedback():
    settings = current_app.config["CLAIMLENS_SETTINGS"]
    body = _object(g.body, "body", FEEDBACK_FIELDS)
    _text(body.get("text"), "text", settings.max_text_chars)
    _id(body.get("id"), "id")
    model = _optional_string(body, "model", 100)
    _optional_string(body, "lang", 16)
    predicted = body.get("predicted")
    if predicted is not None and (not isinstance(predicted, list) or not all(isinstance(p, str) for p in predicted)):
        _fail("predicted", f"must be an array of label names, got {_kind(predicted)}")
    source = body.get("source", "api")
    if source not in ("api", "page"):
        _fail("source", f"must be api or page, got {source!r:.40}")
    example = _correction(body)
    loaded = current_app.config["CLAIMLENS_HOLDER"].current
    if example.language is None or (predicted is None and model in (None, loaded.version)):
        guess = loaded.estimator.predict_explained([example.text], explain=False)[0]
        if example.language is None:
            example = replace(example, language=guess.language)
        if predicted is None and model in (None, loaded.version):
            model, predicted = loaded.version, list(guess.labels)
    row = FeedbackStore(_db()).add(NewFeedback(example, source, _who(), model,
                                               None if predicted is None else tuple(predicted)))
    log.info("feedback %d stored (source %s)", row.id, source)
    return jsonify({"id": row.id, "created_at": iso(row.created_at), "labels": list(row.labels),
                    "model": row.model, "predicted": None if row.predicted is None else list(row.predicted),
                    "language": row.language, "who": row.who}), 201


def _query_int(name: str, default: int | None, low: int, high: int | None = None) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or int(raw) < low or (high is not None and int(raw) > high):
        bound = f"{low}..{high}" if high is not None else f">= {low}"
        _fail(name, f"must be a whole number {bound}, got {raw!r:.40}")
    return int(raw)


@bp.get("/feedback")
def get_feedback():
    since = request.args.get("since")
    moment = parse_time(since) if since else None
    after = _query_int("after", None, 0)
    limit = _query_int("limit", PAGE_LIMIT, 1, MAX_LIMIT)
    rows = FeedbackStore(_db()).rows(since=moment, after=after, limit=limit)
    return jsonify({"items": [r.to_record() for r in rows],
                    "next_after": rows[-1].id if len(rows) == limit else None})


@bp.get("/review")
def review_next():
    queue = ReviewQueue(_db())
    item = queue.next()
    return jsonify({"item": None if item is None else item.to_json(), "progress": queue.progress()})


@bp.post("/review")
def review_answer():
    body = _object(g.body, "body", REVIEW_FIELDS)
    item = body.get("item")
    if isinstance(item, bool) or not isinstance(item, int):
        _fail("item", f"must be the item number from GET /v1/review, got {_kind(item)}")
    queue = ReviewQueue(_db())
    skip = body.get("skip", False)
    if not isinstance(skip, bool):
        _fail("skip", f"must be a boolean, got {_kind(skip)}")
    if skip:
        queue.skip(item)
        log.info("review item %d skipped", item)
        return jsonify({"item": item, "status": "skipped", "progress": queue.progress()})
    with _db().begin() as conn:
        text = queue.get(item, conn).candidate.text
    example = _correction({**body, "text": text})
    feedback_id = queue.answer(item, example, _who())
    log.info("review item %d answered: feedback %d", item, feedback_id)
    return jsonify({"item": item, "status": "done", "feedback_id": feedback_id, "progress": queue.progress()}), 201


def openapi_paths(settings, labels: list[str], errors: dict) -> dict:
    """The OpenAPI paths of these routes (service/openapi.py adds them to the document)."""
    def body(ref: str) -> dict:
        return {"required": True, "content": {"application/json": {"schema": {"$ref": ref}}}}

    def answer(ref: str, description: str) -> dict:
        return {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}

    def query(name: str, schema: dict, description: str) -> dict:
        return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}

    return {
        "/v1/feedback": {
            "post": {"summary": "Store a correction: the right labels (and spans) for a text",
                     "requestBody": body("#/components/schemas/FeedbackIn"),
                     "responses": {"201": answer("#/components/schemas/FeedbackStored", "stored"), **errors}},
            "get": {"summary": "Export corrections, oldest first, a page at a time",
                    "parameters": [
                        query("since", {"type": "string", "format": "date-time"}, "made at or after (UTC if no offset)"),
                        query("after", {"type": "integer", "minimum": 0}, "feedback id to continue after (next_after)"),
                        query("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": PAGE_LIMIT},
                              "rows per page")],
                    "responses": {"200": {"description": "a page of corrections", "content": {"application/json": {
                        "schema": {"type": "object", "required": ["items", "next_after"], "properties": {
                            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Feedback"}},
                            "next_after": {"type": ["integer", "null"]}}}}}},
                                  "401": errors["401"], "422": errors["422"], "503": errors["503"]}}},
        "/v1/review": {
            "get": {"summary": "The next text of the review queue and the progress",
                    "responses": {"200": answer("#/components/schemas/ReviewNext", "the next item (null when done)"),
                                  "401": errors["401"], "503": errors["503"]}},
            "post": {"summary": "Answer a review item: its right labels (accepted or corrected), or skip it",
                     "requestBody": body("#/components/schemas/ReviewAnswer"),
                     "responses": {"201": answer("#/components/schemas/ReviewDone", "stored as a correction"),
                                   "200": answer("#/components/schemas/ReviewDone", "skipped"), **errors}}},
        "/review": {"get": {"summary": "The review page: walk the review queue", "responses": {
            "200": {"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}}}}},
    }


def openapi_schemas(settings, labels: list[str]) -> dict:
    span = {"type": "object", "required": ["label", "start", "end"], "properties": {
        "label": {"enum": labels}, "start": {"type": "integer", "minimum": 0}, "end": {"type": "integer"}}}
    label_list = {"type": "array", "items": {"enum": labels}, "minItems": 1}
    progress = {"type": "object", "properties": {k: {"type": "integer"} for k in ("done", "skipped", "pending", "total")}}
    text = {"type": "string", "minLength": 1, "maxLength": settings.max_text_chars, "pattern": r"\S"}
    return {
        "FeedbackIn": {"type": "object", "additionalProperties": False, "required": ["text", "labels"], "properties": {
            "text": text, "labels": label_list, "evidence": {"type": "array", "items": span},
            "id": {"oneOf": [{"type": "string", "maxLength": 200}, {"type": "integer"}]},
            "model": {"type": "string", "maxLength": 100, "description": "the model version whose labels this corrects"},
            "predicted": {"type": "array", "items": {"type": "string"}, "description": "the labels it corrects"},
            "lang": {"type": "string", "maxLength": 16}, "source": {"enum": ["api", "page"], "default": "api"}}},
        "FeedbackStored": {"type": "object", "required": ["id", "created_at"], "properties": {
            "id": {"type": "integer"}, "created_at": {"type": "string", "format": "date-time"},
            "labels": label_list, "model": {"type": ["string", "null"]},
            "predicted": {"type": ["array", "null"], "items": {"type": "string"}},
            "language": {"type": ["string", "null"]}, "who": {"type": ["string", "null"]}}},
        "Feedback": {"type": "object", "properties": {
            "feedback_id": {"type": "integer"}, "created_at": {"type": "string", "format": "date-time"},
            "text": {"type": "string"}, "lang": {"type": ["string", "null"]}, "labels": label_list,
            "evidence": {"type": "array", "items": span}, "id": {"type": ["string", "null"]},
            "model": {"type": ["string", "null"]}, "predicted": {"type": ["array", "null"], "items": {"type": "string"}},
            "source": {"enum": ["page", "api", "import"]}, "who": {"type": ["string", "null"]}}},
        "ReviewNext": {"type": "object", "required": ["item", "progress"], "properties": {
            "item": {"oneOf": [{"type": "null"}, {"type": "object", "properties": {
                "item": {"type": "integer"}, "text": {"type": "string"}, "language": {"type": ["string", "null"]},
                "labels": label_list, "scores": {"type": "object", "additionalProperties": {"type": "number"}},
                "evidence": {"type": "array", "items": {"$ref": "#/components/schemas/Evidence"}},
                "model": {"type": ["string", "null"]}, "margin": {"type": "number"},
                "nearest_label": {"type": ["string", "null"]}}}]},
            "progress": progress}},
        "ReviewAnswer": {"type": "object", "additionalProperties": False, "required": ["item"], "properties": {
            "item": {"type": "integer"}, "labels": label_list, "evidence": {"type": "array", "items": span},
            "skip": {"type": "boolean", "default": False}}},
        "ReviewDone": {"type": "object", "required": ["item", "status", "progress"], "properties": {
            "item": {"type": "integer"}, "status": {"enum": ["done", "skipped"]},
            "feedback_id": {"type": "integer"}, "progress": progress}},
    }
