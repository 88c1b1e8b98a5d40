"""POST/GET /v1/feedback and the review queue API: stored rows, who, and every error path."""
from __future__ import annotations

import json

import pytest

from claimlens.feedback.queue import Candidate, ReviewQueue
from claimlens.feedback.store import FeedbackStore
from claimlens.service import create_app
from claimlens.service.holder import ModelHolder
from claimlens.service.settings import Settings

KEYS = {"X-API-Key": "key-of-alice"}


@pytest.fixture(scope="module")
def holder(tiny_model_dir):
    """One loaded model for the module (loading warms every tokeniser: seconds per app otherwise)."""
    loaded = ModelHolder(tiny_model_dir.parent)
    loaded.load()
    return loaded


@pytest.fixture
def make_app(holder, tmp_path):
    def make(**overrides):
        app = create_app(Settings(models_root=tmp_path / "models", **overrides), holder)
        app.config["TESTING"] = True
        return app
    return make  # tests/service/conftest.py's app and client fixtures build on this one


@pytest.fixture
def keyed(make_app):
    return make_app(api_keys=("key-of-alice", "key-of-bob"),
                    key_names={"key-of-alice": "alice", "key-of-bob": "bob"})


def test_post_feedback_stores_the_correction_with_model_labels_and_key_name(keyed, tiny_model_dir):
    client = keyed.test_client()
    text = "the charger was not in the box"
    r = client.post("/v1/feedback", json={"text": text, "labels": ["missing_parts", "refund_return_issue"],
                                          "evidence": [{"label": "missing_parts", "start": 4, "end": 11}],
                                          "id": "msg-7"}, headers=KEYS)
    assert r.status_code == 201
    body = r.get_json()
    assert body["id"] == 1 and body["who"] == "alice" and body["language"] == "en"
    assert body["model"] == tiny_model_dir.name and body["predicted"] == ["missing_parts"]
    [row] = FeedbackStore(keyed.config["CLAIMLENS_FEEDBACK_DB"]).rows()
    assert (row.text, row.labels, row.evidence, row.external_id, row.source, row.who) == (
        text, ("missing_parts", "refund_return_issue"), (("missing_parts", 4, 11),), "msg-7", "api", "alice")
    assert "key-of-alice" not in repr(row)


def test_plain_keys_are_named_by_position(make_app):
    client = make_app(api_keys=("k1", "k2")).test_client()
    r = client.post("/v1/feedback", json={"text": "hi there", "labels": ["other"], "source": "page"},
                    headers={"X-API-Key": "k2"})
    assert r.status_code == 201 and r.get_json()["who"] == "key-2"


def test_a_correction_of_an_older_model_keeps_what_the_caller_says(client):
    r = client.post("/v1/feedback", json={"text": "never came", "labels": ["not_received"],
                                          "model": "20250101T000000Z-00000000", "predicted": ["other"], "lang": "en"})
    body = r.get_json()
    assert r.status_code == 201
    assert (body["model"], body["predicted"], body["language"], body["who"]) == (
        "20250101T000000Z-00000000", ["other"], "en", None)


@pytest.mark.parametrize("body, field, words", [
    ({"labels": ["other"]}, "text", "is required"),
    ({"text": "  ", "labels": ["other"]}, "text", "must not be empty"),
    ({"text": "x"}, "labels", "is required"),
    ({"text": "x", "labels": "other"}, "labels", "must be an array"),
    ({"text": "x", "labels": ["lost_parcel"]}, "labels", "unknown label(s) 'lost_parcel'"),
    ({"text": "x", "labels": []}, "labels", "no labels given"),
    ({"text": "x", "labels": ["other", "not_received"]}, "labels", "'other' cannot be combined"),
    ({"text": "never came", "labels": ["not_received"], "evidence": [{"label": "not_received", "start": 0, "end": 99}]},
     "evidence[0]", "does not fit the text"),
    ({"text": "never came", "labels": ["not_received"], "evidence": [{"label": "wrong_item", "start": 0, "end": 5}]},
     "evidence[0]", "does not fit the text or its labels"),
    ({"text": "never came", "labels": ["not_received"], "evidence": [{"label": "not_received", "start": 5, "end": 5}]},
     "evidence[0]", "does not fit"),
    ({"text": "never came", "labels": ["not_received"], "evidence": [{"label": "not_received", "start": 0.5, "end": 5}]},
     "evidence[0]", "needs label, start and end"),
    ({"text": "never came", "labels": ["not_received"], "evidence": [{"label": "not_received"}]},
     "evidence[0]", "needs label, start and end"),
    ({"text": "never came", "labels": ["not_received"], "evidence": {"label": "not_received"}}, "evidence",
     "must be an array"),
    ({"text": "x", "labels": ["other"], "source": "import"}, "source", "must be api or page"),
    ({"text": "x", "labels": ["other"], "predicted": "other"}, "predicted", "must be an array"),
    ({"text": "x", "labels": ["other"], "model": 3}, "model", "must be a non-blank string"),
    ({"text": "x", "labels": ["other"], "who": "mallory"}, "who", "unknown field"),
])
def test_bad_feedback_is_422_naming_the_field(client, body, field, words):
    r = client.post("/v1/feedback", json=body)
    err = r.get_json()["error"]
    assert r.status_code == 422 and err["code"] == "bad_input"
    assert err["details"]["field"] == field and err["message"].startswith(field + ": ") and words in err["message"]
    assert FeedbackStore(client.application.config["CLAIMLENS_FEEDBACK_DB"]).count() == 0


def test_feedback_needs_the_api_key(keyed):
    client = keyed.test_client()
    assert client.post("/v1/feedback", json={"text": "x", "labels": ["other"]}).status_code == 401
    assert client.get("/v1/feedback").status_code == 401
    assert client.get("/v1/review", headers={"X-API-Key": "nope"}).status_code == 401


def test_get_feedback_pages_and_filters_by_time(client):
    for i in range(5):
        assert client.post("/v1/feedback", json={"text": f"parcel {i} never arrived", "labels": ["not_received"]}
                           ).status_code == 201
    page = client.get("/v1/feedback?limit=2").get_json()
    assert [r["feedback_id"] for r in page["items"]] == [1, 2] and page["next_after"] == 2
    rest = client.get("/v1/feedback?after=2&limit=10").get_json()
    assert [r["feedback_id"] for r in rest["items"]] == [3, 4, 5] and rest["next_after"] is None
    assert rest["items"][0]["text"] == "parcel 2 never arrived" and rest["items"][0]["source"] == "api"
    cut = rest["items"][1]["created_at"]
    assert [r["feedback_id"] for r in client.get(f"/v1/feedback?since={cut.replace('+', '%2B')}").get_json()["items"]] == [4, 5]
    assert client.get("/v1/feedback?since=2999-01-01T00:00:00Z").get_json() == {"items": [], "next_after": None}


@pytest.mark.parametrize("query, field", [("since=yesterday", "since"), ("limit=0", "limit"),
                                          ("limit=10001", "limit"), ("after=-1", "after"), ("limit=abc", "limit")])
def test_bad_export_queries_are_422(client, query, field):
    r = client.get("/v1/feedback?" + query)
    assert r.status_code == 422 and r.get_json()["error"]["details"]["field"] == field


def _queue(app, *texts):
    queue = ReviewQueue(app.config["CLAIMLENS_FEEDBACK_DB"])
    queue.enqueue([Candidate(t, "en", ("other",), {"other": 0.6, "not_received": 0.4}, (), "m-1", f"r{i}",
                             "labelled.jsonl", 0.1 * i, "not_received") for i, t in enumerate(texts)])
    return queue


def test_review_walks_the_queue_accept_correct_skip(keyed):
    client = keyed.test_client()
    queue = _queue(keyed, "where is my parcel", "thanks, all good", "box crushed")
    first = client.get("/v1/review", headers=KEYS).get_json()
    assert first["item"]["item"] == 1 and first["item"]["text"] == "where is my parcel"
    assert first["progress"] == {"done": 0, "skipped": 0, "pending": 3, "total": 3}
    r = client.post("/v1/review", json={"item": 1, "labels": ["not_received"],
                                        "evidence": [{"label": "not_received", "start": 0, "end": 18}]}, headers=KEYS)
    assert r.status_code == 201 and r.get_json()["progress"]["done"] == 1
    r = client.post("/v1/review", json={"item": 2, "labels": ["other"]}, headers=KEYS)  # accepted as predicted
    assert r.status_code == 201
    r = client.post("/v1/review", json={"item": 3, "skip": True}, headers=KEYS)
    assert r.status_code == 200 and r.get_json()["progress"] == {"done": 2, "skipped": 1, "pending": 0, "total": 3}
    assert client.get("/v1/review", headers=KEYS).get_json()["item"] is None
    rows = FeedbackStore(keyed.config["CLAIMLENS_FEEDBACK_DB"]).rows()
    assert [(r.text, r.labels, r.source, r.who, r.model, r.predicted) for r in rows] == [
        ("where is my parcel", ("not_received",), "page", "alice", "m-1", ("other",)),
        ("thanks, all good", ("other",), "page", "alice", "m-1", ("other",))]
    assert [i.feedback_id for i in queue.items()] == [1, 2, None]


@pytest.mark.parametrize("body, field", [
    ({"labels": ["other"]}, "item"), ({"item": "1", "labels": ["other"]}, "item"),
    ({"item": 1, "labels": ["nope"]}, "labels"),
    ({"item": 1, "skip": "yes"}, "skip"), ({"item": 1, "labels": ["other"], "text": "x"}, "text"),
])
def test_bad_review_answers_are_422(app, client, body, field):
    _queue(app, "where is my parcel")
    r = client.post("/v1/review", json=body)
    assert r.status_code == 422 and r.get_json()["error"]["details"]["field"] == field


# The documented schemas and the routes agree: each body is valid for the OpenAPI document exactly
# when the route takes it (Schemathesis found every one of these disagreeing once).

def _documented(client, name: str):
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    schema = client.get("/openapi.json").get_json()["components"]["schemas"][name]
    return jsonschema_rs.validator_for(schema, validate_formats=True)


TEXT = {"text": "never came", "labels": ["not_received"]}
OLDER = {"model": "20250101T000000Z-00000000", "predicted": ["other"], "lang": "en"}  # no prediction needed


@pytest.mark.parametrize("body, status, field", [
    ({**TEXT, "model": ""}, 422, "model"),
    ({**TEXT, "model": "\x1c\x1f"}, 422, "model"),        # blank for Python, not for ECMA-262's \s alone
    ({**TEXT, "model": " \ufeff\u3000"}, 422, "model"),   # blank for ECMA-262, not for str.strip() alone
    ({**TEXT, "model": "m" * 101}, 422, "model"),
    ({**TEXT, "model": " v1 ", "predicted": ["other"]}, 201, None),
    ({**TEXT, "lang": ""}, 422, "lang"),
    ({**TEXT, "lang": "l" * 17}, 422, "lang"),
    ({**TEXT, "lang": "en"}, 201, None),
    ({**TEXT, "id": None, "model": None, "lang": None, "predicted": None, "evidence": None, "source": None}, 201, None),
    ({**TEXT, "id": 2**63}, 422, "id"),
    ({**TEXT, "id": -2**63}, 201, None),
    ({**TEXT, "id": "i" * 201}, 422, "id"),
    ({**TEXT, "id": ""}, 201, None),
    ({**TEXT, "id": 7.0}, 201, None),    # JSON Schema's integer: 7.0 is 7
    ({**TEXT, "id": 7.5}, 422, "id"),
    ({**TEXT, **OLDER, "predicted": [""]}, 422, "predicted[0]"),
    ({**TEXT, **OLDER, "predicted": ["other", "\t"]}, 422, "predicted[1]"),
    ({**TEXT, **OLDER, "predicted": [None]}, 422, "predicted[0]"),
    ({**TEXT, **OLDER, "predicted": ["lost_parcel"]}, 201, None),   # an older model's label names
    ({**TEXT, "evidence": [{"label": "not_received", "start": "0", "end": "5"}]}, 422, "evidence[0]"),
    ({**TEXT, "evidence": [{"label": "not_received", "start": 0, "end": True}]}, 422, "evidence[0]"),
    ({**TEXT, "evidence": [{"label": "not_received", "start": 6, "end": 10}]}, 201, None),
    ({**TEXT, "evidence": [{"label": "not_received", "start": 6.0, "end": 10.0}]}, 201, None),
    ({**TEXT, "evidence": [{"label": "not_received", "start": 6.5, "end": 10}]}, 422, "evidence[0]"),
    ({**TEXT, "source": ""}, 422, "source"),
    ({"text": "\x1c", "labels": ["other"]}, 422, "text"),            # r"\S" took it; NOT_BLANK does not
    ({"text": "x", "labels": ["other", "not_received"]}, 422, "labels"),
    ({"text": "x", "labels": ["other", "other"]}, 201, None),
    ({"text": "x", "labels": ["not_received", "not_received", "wrong_item"]}, 201, None),
])
def test_feedback_body_is_documented_as_checked(client, body, status, field):
    r = client.post("/v1/feedback", json=body)
    assert r.status_code == status, r.get_json()
    if field is not None:
        assert r.get_json()["error"]["details"]["field"] == field
    assert _documented(client, "FeedbackIn").is_valid(body) == (status == 201)


def test_whole_floats_are_stored_as_the_integers_they_are(client):
    r = client.post("/v1/feedback", json={**TEXT, "id": 7.0,
                                          "evidence": [{"label": "not_received", "start": 6.0, "end": 10.0}]})
    assert r.status_code == 201
    [row] = FeedbackStore(client.application.config["CLAIMLENS_FEEDBACK_DB"]).rows()
    assert (row.external_id, row.evidence) == ("7", (("not_received", 6, 10),))


def test_a_null_source_is_api_and_null_fields_are_left_out(client):
    r = client.post("/v1/feedback", json={**TEXT, **OLDER, "id": None, "source": None, "evidence": None})
    assert r.status_code == 201
    [row] = FeedbackStore(client.application.config["CLAIMLENS_FEEDBACK_DB"]).rows()
    assert (row.source, row.external_id, row.evidence, row.model, row.predicted) == (
        "api", None, (), "20250101T000000Z-00000000", ("other",))


@pytest.mark.parametrize("field, value", [("text", "broken \ud83d screen"), ("model", "v\udc00"),
                                          ("lang", "e\ud800"), ("id", "m\udfff"), ("predicted", ["ot\ud83d"])])
def test_a_lone_surrogate_is_422_naming_the_field_not_500(client, field, value):
    body = json.dumps({**TEXT, **OLDER, field: value})  # json.dumps escapes it as \ud83d, as a client's JSON can
    r = client.post("/v1/feedback", data=body, content_type="application/json")
    err = r.get_json()["error"]
    assert r.status_code == 422 and err["details"]["field"] == (field if field != "predicted" else "predicted[0]")
    assert "lone surrogate" in err["message"]


@pytest.mark.parametrize("field, value", [("text", "lost\x00 parcel"), ("model", "v\x001"), ("id", "m\x00"),
                                          ("predicted", ["other\x00"])])
def test_a_nul_character_is_422_naming_the_field(client, field, value):
    # PostgreSQL cannot keep U+0000 in text: refused alike whichever database holds the store
    r = client.post("/v1/feedback", json={**TEXT, **OLDER, field: value})
    err = r.get_json()["error"]
    assert r.status_code == 422 and err["details"]["field"] == (field if field != "predicted" else "predicted[0]")
    assert "NUL" in err["message"]


@pytest.mark.parametrize("query, field, words", [
    ("since=", "since", "must be an RFC 3339 date-time with an offset"),
    ("since=2026-12-01", "since", "got '2026-12-01'"),
    ("since=2026-12-01T00:00:00", "since", "with an offset"),
    ("since=2026-12-01T00:00:00+01:00", "since", "send it as %2B"),  # an unencoded + arrives as a space
    ("since=2026-02-29T00:00:00Z", "since", "RFC 3339"),
    ("since=2026-12-01T00:00:00Z&since=2026-12-02T00:00:00Z", "since", "is given 2 times; give it once"),
    ("after=", "after", "must be a whole number 0..9223372036854775807, got ''"),
    ("after=9223372036854775808", "after", "0..9223372036854775807"),
    ("after=111138744220664725504", "after", "0..9223372036854775807"),  # SQLite refused it: 500
    ("after=" + "9" * 5000, "after", "must be a whole number"),           # int() refuses 4,300+ digits
    ("after=%C2%B2", "after", "got '²'"),                                  # isdigit() took it, int() refused it
    ("after=%D9%A3", "after", "got '٣'"),                                  # isdigit() took it, int() read 3
    ("after=%2B3", "after", "got '+3'"),
    ("limit=", "limit", "must be a whole number 1..10000, got ''"),
    ("limit=10001", "limit", "1..10000"),
])
def test_bad_export_queries_are_422_with_the_rule(client, query, field, words):
    r = client.get("/v1/feedback?" + query)
    err = r.get_json()["error"]
    assert r.status_code == 422 and err["code"] == "bad_input" and err["details"]["field"] == field
    assert err["message"].startswith(field + ": ") and words in err["message"]


@pytest.mark.parametrize("since, count", [
    ("0001-01-01T00:00:00%2B23:59", 1),     # before year 1 in UTC: every row (Python's astimezone overflowed)
    ("0000-02-29T00:00:00Z", 1),            # RFC 3339 has a year 0 (a leap year); datetime has none
    ("9999-12-31T23:59:59-23:59", 0),       # after 9999 in UTC: no row
    ("2016-12-31T23:59:60Z", 1),            # a leap second
    ("2999-01-01t00:00:00.123456789z", 0),  # lower-case t and z, nine fraction digits
])
def test_every_rfc3339_date_time_is_answered(client, since, count):
    assert client.post("/v1/feedback", json=TEXT).status_code == 201
    r = client.get("/v1/feedback?since=" + since)
    assert r.status_code == 200 and len(r.get_json()["items"]) == count


def test_the_largest_documented_after_is_an_empty_page(client):
    assert client.post("/v1/feedback", json=TEXT).status_code == 201
    assert client.get("/v1/feedback?after=9223372036854775807").get_json() == {"items": [], "next_after": None}
    assert [r["feedback_id"] for r in client.get("/v1/feedback?after=0000&limit=0001").get_json()["items"]] == [1]


@pytest.mark.parametrize("body, status, field", [
    ({"item": 0, "labels": ["other"]}, 422, "item"),
    ({"item": -1, "skip": True}, 422, "item"),
    ({"item": 2**63, "labels": ["other"]}, 422, "item"),  # SQLite refused it: 500
    ({"item": 1.5, "labels": ["other"]}, 422, "item"),
    ({"item": 99, "labels": ["other"]}, 404, "item"),     # well-formed, but no such item: was 422
    ({"item": 99, "skip": True}, 404, "item"),
    ({"item": 1}, 422, "labels"),
    ({"item": 1, "skip": False}, 422, "labels"),
    ({"item": 1, "labels": None}, 422, "labels"),
    ({"item": 1, "skip": True, "labels": ["other"]}, 422, "labels"),
    ({"item": 1, "skip": True, "evidence": []}, 422, "evidence"),
    ({"item": 1, "skip": None}, 422, "skip"),
    ({"item": 1, "labels": ["not_received"], "evidence": [{"label": "not_received", "start": "0", "end": 5}]},
     422, "evidence[0]"),
    ({"item": 1, "skip": True, "evidence": None}, 200, None),
    ({"item": 1.0, "labels": ["other"]}, 201, None),      # JSON Schema's integer: 1.0 is 1 (was 422)
    ({"item": 1, "labels": ["not_received"], "evidence": None}, 201, None),
    ({"item": 1, "labels": ["not_received"], "skip": False, "evidence": [{"label": "not_received", "start": 0,
                                                                         "end": 5}]}, 201, None),
])
def test_review_answer_is_documented_as_checked(app, client, body, status, field):
    _queue(app, "where is my parcel")
    r = client.post("/v1/review", json=body)
    assert r.status_code == status, r.get_json()
    if field is not None:
        err = r.get_json()["error"]
        assert err["details"]["field"] == field and err["code"] == ("not_found" if status == 404 else "bad_input")
    assert _documented(client, "ReviewAnswer").is_valid(body) == (status != 422)


def test_post_review_documents_404(client):
    responses = client.get("/openapi.json").get_json()["paths"]["/v1/review"]["post"]["responses"]
    assert responses["404"]["description"] == "no review item has this number"


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "key-of-alice"}, {"X-API-Key": "wrong"}])
def test_review_page_is_html_with_or_without_a_key(keyed, headers):
    # Schemathesis sent its key to GET /review and got 500: the route had been committed before its template
    r = keyed.test_client().get("/review", headers=headers)
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert '<script src="/static/review.js" defer></script>' in r.get_data(as_text=True)
