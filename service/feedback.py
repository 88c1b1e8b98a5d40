"""The feedback routes: corrections in (POST /v1/feedback), out (GET /v1/feedback), and the review queue.

Every correction is checked as training data is (training.datasets.parse_record, against the
loaded model's label schema) and errors name the field. `who` is the name of the API key that
sent it (CLAIMLENS_API_KEYS="alice:key1,bob:key2"), never the key. Texts are never logged.
"""
from __future__ import annotations

import hmac
import logging
import re
from dataclasses import replace

from flask import Blueprint, current_app, g, jsonify, request

from claimlens.feedback.database import Database, default_url
from claimlens.feedback.queue import ReviewQueue
from claimlens.feedback.store import FeedbackStore, NewFeedback, iso, unstorable
from claimlens.model.errors import BadInputError
from claimlens.service.errors import ServiceError
from claimlens.service.page import current_schema
from claimlens.service.rfc3339 import parse_utc
from claimlens.service.validation import NOT_BLANK, _NOT_BLANK, _fail, _id, _kind, _object, _text, _whole
from claimlens.training.datasets import parse_record

log = logging.getLogger("claimlens.service")
bp = Blueprint("feedback", __name__, url_prefix="/v1")

FEEDBACK_FIELDS = {"text", "labels", "evidence", "id", "model", "predicted", "source", "lang"}
REVIEW_FIELDS = {"item", "labels", "evidence", "skip"}
PAGE_LIMIT, MAX_LIMIT = 1000, 10_000
INT64_MAX = 2**63 - 1  # ids and item numbers are compared in SQL as 64-bit integers (SQLite takes no larger)
MODEL_CHARS, LANG_CHARS, LABEL_CHARS = 100, 16, 100  # the store's column widths
_DIGITS = re.compile(r"[0-9]+")  # str.isdigit() takes "²" and "٣", which int() refuses or reads as 3


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


def _spans(value, field: str = "evidence") -> list | None:
    """Evidence shaped as documented: an array of {label, start, end}, offsets whole numbers (3 or 3.0, not "3")."""
    if value is None:
        return None
    if not isinstance(value, list):
        _fail(field, f"must be an array of {{label, start, end}} spans, got {_kind(value)}")
    spans = []
    for k, span in enumerate(value):
        offsets = [_whole(span.get(key)) for key in ("start", "end")] if isinstance(span, dict) else []
        if not isinstance(span, dict) or not isinstance(span.get("label"), str) or not all(
                isinstance(v, int) and not isinstance(v, bool) for v in offsets):
            _fail(f"{field}[{k}]", f"needs label, start and end (a label name and two whole numbers), "
                                   f"got {span!r:.60}")
        spans.append({**span, "start": offsets[0], "end": offsets[1]})
    return spans


def _correction(body: dict, where: str = ""):
    """(Example, schema) from a body's text, labels, evidence and lang; errors name the field."""
    labels = body.get("labels")
    if labels is None:
        _fail("labels", "is required")
    if not isinstance(labels, list) or not all(isinstance(l, str) for l in labels):
        _fail("labels", f"must be an array of label names, got {_kind(labels)}")
    record = {k: body.get(k) for k in ("text", "labels", "lang", "id")}
    try:
        return parse_record({**record, "evidence": _spans(body.get("evidence"))}, current_schema(), where)
    except BadInputError as exc:
        field = exc.details.get("field", "body")
        raise BadInputError(f"{field}: {exc.message}", exc.details) from None


def _unicode(value, field: str) -> None:
    # a lone surrogate ("\ud83d" escaped in JSON) or a NUL ("\u0000"): the store's own rule
    if (why := unstorable(value)) is not None:
        _fail(field, why)


def _name(value, field: str, limit: int):
    """A model version, language or label name, or None: a string with a character that is not blank
    (the documented pattern's NOT_BLANK class), at most `limit` characters."""
    if value is not None and (not isinstance(value, str) or not _NOT_BLANK.search(value) or len(value) > limit):
        given = f"{len(value)} characters" if isinstance(value, str) and len(value) > limit else (
            repr(value)[:40] if isinstance(value, str) else _kind(value))
        _fail(field, f"must be a non-blank string of at most {limit} characters, got {given}")
    _unicode(value, field)
    return value


def _predicted(value) -> list[str] | None:
    if value is not None:
        if not isinstance(value, list):
            _fail("predicted", f"must be an array of label names, got {_kind(value)}")
        for k, name in enumerate(value):
            if name is None:  # null means "left out" for a field, never for an item of an array
                _fail(f"predicted[{k}]", "must be a label name, got null")
            _name(name, f"predicted[{k}]", LABEL_CHARS)
    return value


@bp.post("/feedback")
def post_feedback():
    settings = current_app.config["CLAIMLENS_SETTINGS"]
    body = _object(g.body, "body", FEEDBACK_FIELDS)  # a field given as null counts as left out
    _unicode(_text(body.get("text"), "text", settings.max_text_chars), "text")
    rid = _id(body.get("id"), "id")
    if isinstance(rid, int) and not -INT64_MAX - 1 <= rid <= INT64_MAX:
        _fail("id", f"must be a whole number of 64 bits ({-INT64_MAX - 1}..{INT64_MAX}) or a string")
    _unicode(rid, "id")
    model, predicted = _name(body.get("model"), "model", MODEL_CHARS), _predicted(body.get("predicted"))
    _name(body.get("lang"), "lang", LANG_CHARS)
    source = body.get("source")
    if source is None:
        source = "api"
    elif source not in ("api", "page"):
        _fail("source", f"must be api or page, got {source!r:.40}")
    example = _correction({**body, "id": rid})  # 7.0 is stored as "7", as 7 is
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


def _query(name: str) -> str | None:
    values = request.args.getlist(name)
    if len(values) > 1:
        _fail(name, f"is given {len(values)} times; give it once")
    return values[0] if values else None


def _query_int(name: str, default: int | None, low: int, high: int) -> int | None:
    """A whole number in ASCII digits within low..high; an empty value is an error, not the default."""
    raw = _query(name)
    if raw is None:
        return default
    # 19 digits hold every 64-bit number; int() of thousands of digits is refused (and slow)
    if not _DIGITS.fullmatch(raw) or len(raw.lstrip("0")) > 19 or not low <= int(raw) <= high:
        _fail(name, f"must be a whole number {low}..{high}, got {raw!r:.40}")
    return int(raw)


def _query_time(name: str):
    raw = _query(name)
    if raw is None:
        return None
    moment = parse_utc(raw)
    if moment is None:
        hint = " (a + in a URL reads as a space: send it as %2B)" if " " in raw else ""
        _fail(name, f"must be an RFC 3339 date-time with an offset, like 2026-12-01T00:00:00Z{hint}; "
                    f"got {raw!r:.60}")
    return moment


@bp.get("/feedback")
def get_feedback():
    moment = _query_time("since")
    after = _query_int("after", None, 0, INT64_MAX)
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
    item = _whole(body.get("item"))
    if isinstance(item, bool) or not isinstance(item, int) or not 1 <= item <= INT64_MAX:
        _fail("item", f"must be the item number from GET /v1/review, got {item!r:.40}")
    skip = body.get("skip", False)
    if not isinstance(skip, bool):
        _fail("skip", f"must be a boolean, got {_kind(skip)}")
    if skip and "labels" in body:
        _fail("labels", "must be left out when skip is true")
    if skip and body.get("evidence") is not None:
        _fail("evidence", "must be left out when skip is true")
    if not skip and body.get("labels") is None:
        _fail("labels", "is required (or skip: true)")
    _spans(body.get("evidence"))  # its shape now; whether it fits the item's text once the text is read
    queue = ReviewQueue(_db())
    with _db().begin() as conn:
        try:
            text = queue.get(item, conn).candidate.text
        except BadInputError:  # a well-formed number that names no item: the item is not found
            raise ServiceError(404, f"item: there is no review item {item}", {"field": "item"}) from None
    if skip:
        queue.skip(item)
        log.info("review item %d skipped", item)
        return jsonify({"item": item, "status": "skipped", "progress": queue.progress()})
    example = _correction({**body, "text": text})
    feedback_id = queue.answer(item, example, _who())
    log.info("review item %d answered: feedback %d", item, feedback_id)
    return jsonify({"item": item, "status": "done", "feedback_id": feedback_id, "progress": queue.progress()}), 201


def openapi_paths(settings, errors: dict) -> dict:
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
                    "description": "Each parameter at most once; an empty value is an error (422), not the default.",
                    "parameters": [
                        query("since", {"type": "string", "format": "date-time"},
                              "made at or after this moment: RFC 3339 with an offset, 2026-12-01T00:00:00Z "
                              "(a + in a URL is %2B)"),
                        query("after", {"type": "integer", "minimum": 0, "maximum": INT64_MAX},
                              "feedback id to continue after (next_after)"),
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
                                   "200": answer("#/components/schemas/ReviewDone", "skipped"), **errors,
                                   "404": {**errors["422"], "description": "no review item has this number"}}}},
        "/review": {"get": {"summary": "The review page: walk the review queue", "responses": {
            "200": {"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}}}}},
    }


# The store keeps no NUL (U+0000, see feedback.store.unstorable): its strings say so, and are not blank
NO_NUL = r"^[^\x00]*$"
STORABLE_NOT_BLANK = rf"^[^\x00]*{NOT_BLANK[:-1]}\x00][^\x00]*$"


def openapi_schemas(settings, schema) -> dict:
    """Request schemas that accept exactly what the routes accept, up to the rules JSON Schema cannot
    state (each written in a description): a span lies inside the text and carries one of the body's labels."""
    labels = list(schema.labels)
    limit = settings.max_text_chars
    span = {"type": "object", "required": ["label", "start", "end"], "properties": {
        "label": {"enum": labels}, "start": {"type": "integer", "minimum": 0}, "end": {"type": "integer"}}}
    span_in = {"type": "object", "required": ["label", "start", "end"],
               "description": "start < end <= the text's length in code points; label: one of the body's labels",
               "properties": {"label": {"enum": labels}, "start": {"type": "integer", "minimum": 0, "maximum": limit - 1},
                              "end": {"type": "integer", "minimum": 1, "maximum": limit}}}
    evidence_in = {"type": ["array", "null"], "items": span_in}
    label_list = {"type": "array", "items": {"enum": labels}, "minItems": 1}
    labels_in = {**label_list, "description": f"{schema.exclusive!r} alone, or reason labels (a repeat counts once)",
                 "anyOf": [{"items": {"enum": list(schema.reason_labels)}}, {"items": {"const": schema.exclusive}}]}

    def name(chars: int, description: str) -> dict:
        return {"type": ["string", "null"], "minLength": 1, "maxLength": chars, "pattern": STORABLE_NOT_BLANK,
                "description": description}

    progress = {"type": "object", "properties": {k: {"type": "integer"} for k in ("done", "skipped", "pending", "total")}}
    text = {"type": "string", "minLength": 1, "maxLength": limit, "pattern": STORABLE_NOT_BLANK}
    return {
        "FeedbackIn": {
            "type": "object", "additionalProperties": False, "required": ["text", "labels"],
            "description": "A field given as null counts as left out.",
            "properties": {
                "text": text, "labels": labels_in, "evidence": evidence_in,
                "id": {"type": ["string", "integer", "null"], "maxLength": 200, "minimum": -INT64_MAX - 1,
                       "maximum": INT64_MAX, "pattern": NO_NUL, "description": "your id of the message"},
                "model": name(MODEL_CHARS, "the model version whose labels this corrects (default: the loaded one)"),
                "predicted": {"type": ["array", "null"], "description": "the labels that model gave",
                              "items": {"type": "string", "minLength": 1, "maxLength": LABEL_CHARS,
                                        "pattern": STORABLE_NOT_BLANK}},
                "lang": name(LANG_CHARS, "the text's language (default: detected)"),
                "source": {"enum": ["api", "page", None], "default": "api"}}},
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
        "ReviewAnswer": {
            "type": "object", "additionalProperties": False, "required": ["item"],
            "description": "labels (and evidence) answer the item; skip: true takes neither",
            "properties": {"item": {"type": "integer", "minimum": 1, "maximum": INT64_MAX},
                           "labels": labels_in, "evidence": evidence_in, "skip": {"type": "boolean", "default": False}},
            "if": {"required": ["skip"], "properties": {"skip": {"const": True}}},
            "then": {"not": {"required": ["labels"]}, "properties": {"evidence": {"type": "null"}}},
            "else": {"required": ["labels"]}},
        "ReviewDone": {"type": "object", "required": ["item", "status", "progress"], "properties": {
            "item": {"type": "integer"}, "status": {"enum": ["done", "skipped"]},
            "feedback_id": {"type": "integer"}, "progress": progress}},
    }
