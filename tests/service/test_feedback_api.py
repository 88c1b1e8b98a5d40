"""POST/GET /v1/feedback and the review queue API: stored rows, who, and every error path."""
from __future__ import annotations

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
    return make


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


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
    ({"text": "x", "labels": ["other"], "model": 3}, "model", "must be a non-empty string"),
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
    assert client.get("/v1/feedback?since=2999-01-01").get_json() == {"items": [], "next_after": None}


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
    ({"item": 99, "labels": ["other"]}, "item"), ({"item": 1, "labels": ["nope"]}, "labels"),
    ({"item": 1, "skip": "yes"}, "skip"), ({"item": 1, "labels": ["other"], "text": "x"}, "text"),
])
def test_bad_review_answers_are_422(app, client, body, field):
    _queue(app, "where is my parcel")
    r = client.post("/v1/review", json=body)
    assert r.status_code == 422 and r.get_json()["error"]["details"]["field"] == field
