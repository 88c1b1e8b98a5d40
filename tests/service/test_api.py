import json
import os

import pytest

from tests.conftest import TINY


def _error(resp, status, code):
    assert resp.status_code == status, resp.get_data(as_text=True)
    body = resp.get_json()
    assert set(body) == {"error", "request_id"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert body["request_id"] == resp.headers["X-Request-ID"]
    assert "Traceback" not in resp.get_data(as_text=True)
    return body["error"]


def test_predict_returns_the_cli_record(client, tiny_model_dir):
    resp = client.post("/v1/predict", json={"text": "my parcel never arrived", "id": "m-1"})
    assert resp.status_code == 200
    rec = resp.get_json()
    assert rec["id"] == "m-1" and rec["labels"] == ["not_received"] and rec["model"] == tiny_model_dir.name
    assert set(rec) == {"id", "labels", "scores", "confidence", "language", "evidence", "unlocated", "model"}
    for ev in rec["evidence"]:
        assert "my parcel never arrived"[ev["start"]:ev["end"]] == ev["text"]


def test_predict_without_evidence(client):
    rec = client.post("/v1/predict", json={"text": "my parcel never arrived", "explain": False}).get_json()
    assert "evidence" not in rec and rec["id"] is None


def test_batch_keeps_order_and_numbers_missing_ids(client):
    items = [{"id": "x", "text": "screen cracked on arrival"}, {"text": "请取消订单"}, {"text": "great product, thank you"}]
    resp = client.post("/v1/predict/batch", json={"items": items})
    assert resp.status_code == 200
    results = resp.get_json()["results"]
    assert [r["id"] for r in results] == ["x", 2, 3]
    assert [r["labels"] for r in results] == [["damaged_defective"], ["cancellation_request"], ["other"]]


def test_a_whole_float_id_is_the_integer_json_schema_reads(client):
    # 7.0 and 7 are one JSON Schema integer; Schemathesis sends both spellings of a documented integer
    assert client.post("/v1/predict", json={"text": "screen cracked", "id": 7.0}).get_json()["id"] == 7
    items = [{"id": 2.0, "text": "screen cracked"}, {"id": 2.5, "text": "screen cracked"}]
    err = client.post("/v1/predict/batch", json={"items": items}).get_json()["error"]
    assert err["details"] == {"field": "items[1].id", "index": 1}


def test_batch_equals_single(client):
    texts = [t for t, _, _ in TINY[:6]]
    batch = client.post("/v1/predict/batch", json={"items": [{"text": t} for t in texts]}).get_json()["results"]
    singles = [client.post("/v1/predict", json={"text": t}).get_json() for t in texts]
    for i, (b, s) in enumerate(zip(batch, singles)):
        assert {**b, "id": None} == s, i


def test_labels_model_health_ready(client, tiny_model_dir):
    labels = client.get("/v1/labels").get_json()
    assert [l["name"] for l in labels["labels"]][-1] == "other"
    manifest = client.get("/v1/model").get_json()
    assert manifest["model_version"] == tiny_model_dir.name and set(manifest["artefacts"]) == {"model.json", "model.npz"}
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/readyz").get_json() == {"status": "ready", "model": tiny_model_dir.name,
                                                "worker": os.getpid(), "follow_error": None}


def test_metrics_count_requests_and_labels(client):
    client.post("/v1/predict", json={"text": "my parcel never arrived"})
    text = client.get("/metrics").get_data(as_text=True)
    assert 'claimlens_requests_total{method="POST",route="/v1/predict",status="200"}' in text
    assert 'claimlens_predictions_total{label="not_received"}' in text
    assert "claimlens_request_seconds_bucket" in text
    assert "claimlens_model_info{version=" in text


@pytest.mark.parametrize("body, field", [
    ({}, "text"),
    ({"text": ""}, "text"),
    ({"text": "   "}, "text"),
    ({"text": 12}, "text"),
    ({"text": None}, "text"),
    ({"text": "ok", "lang": "en"}, "lang"),
    ({"text": "ok", "explain": "yes"}, "explain"),
    ({"text": "ok", "id": {"a": 1}}, "id"),
    ({"text": "ok", "id": True}, "id"),
    ([], "body"),
    ("just a string", "body"),
])
def test_predict_bad_bodies_are_422_naming_the_field(client, body, field):
    err = _error(client.post("/v1/predict", json=body), 422, "bad_input")
    assert err["details"]["field"] == field
    assert err["message"].startswith(field)


def test_lone_surrogate_is_422_not_500(client):
    body = '{"text": "broken \\ud83d screen"}'  # JSON may escape a lone surrogate; it is not Unicode
    err = _error(client.post("/v1/predict", data=body, content_type="application/json"), 422, "bad_input")
    assert "lone surrogate" in err["message"]


def test_over_long_text(make_app):
    client = make_app(max_text_chars=10).test_client()
    err = _error(client.post("/v1/predict", json={"text": "x" * 11}), 422, "bad_input")
    assert err["message"] == "text: is 11 characters; the limit is 10"


@pytest.mark.parametrize("items, field, index", [
    ([{"text": "ok"}, {"text": ""}], "items[1].text", 1),
    ([{"text": "ok"}, {"id": 3}], "items[1].text", 1),
    ([{"text": "ok"}, "plain"], "items[1]", 1),
    ([{"text": "ok", "colour": "red"}], "items[0].colour", 0),
])
def test_batch_item_errors_name_index(client, items, field, index):
    err = _error(client.post("/v1/predict/batch", json={"items": items}), 422, "bad_input")
    assert err["details"] == {"field": field, "index": index}


def test_batch_limits(make_app):
    client = make_app(max_batch=2).test_client()
    err = _error(client.post("/v1/predict/batch", json={"items": [{"text": "a"}] * 3}), 422, "bad_input")
    assert err["details"] == {"field": "items", "limit": 2}
    assert _error(client.post("/v1/predict/batch", json={"items": []}), 422, "bad_input")["details"]["field"] == "items"
    assert _error(client.post("/v1/predict/batch", json={"items": {}}), 422, "bad_input")["details"]["field"] == "items"


def test_non_json_is_415(client):
    _error(client.post("/v1/predict", data="text=hi", content_type="application/x-www-form-urlencoded"),
           415, "unsupported_media_type")
    _error(client.post("/v1/predict", data="hi"), 415, "unsupported_media_type")


def test_malformed_json_is_400(client):
    _error(client.post("/v1/predict", data="{not json", content_type="application/json"), 400, "bad_request")
    _error(client.post("/v1/predict", data=b"\xff\xfe", content_type="application/json"), 400, "bad_request")


def test_body_too_large_is_413(make_app):
    client = make_app(max_body_bytes=100).test_client()
    _error(client.post("/v1/predict", json={"text": "x" * 200}), 413, "payload_too_large")


def test_unknown_route_and_wrong_method(client):
    _error(client.get("/v1/nope"), 404, "not_found")
    resp = client.get("/v1/predict")
    assert _error(resp, 405, "method_not_allowed")["details"]["allowed"] == ["OPTIONS", "POST"]
    assert resp.headers["Allow"] == "OPTIONS, POST"


def test_api_keys(make_app):
    client = make_app(api_keys=("k1", "k2")).test_client()
    _error(client.post("/v1/predict", json={"text": "hi"}), 401, "unauthorized")
    _error(client.post("/v1/predict", json={"text": "hi"}, headers={"X-API-Key": "k3"}), 401, "unauthorized")
    assert client.post("/v1/predict", json={"text": "hi"}, headers={"X-API-Key": "k2"}).status_code == 200
    assert client.get("/healthz").status_code == 200  # probes need no key


def test_admin_disabled_without_key(client):
    _error(client.post("/v1/admin/reload", json={}), 403, "forbidden")


def test_admin_reload_swaps_to_newest(make_app, models_root, tiny_model_dir):
    import shutil

    client = make_app(admin_key="adm").test_client()
    _error(client.post("/v1/admin/reload", json={}, headers={"X-API-Key": "wrong"}), 401, "unauthorized")
    newer = models_root / "20270101T000000Z-89abcdef"
    shutil.copytree(tiny_model_dir, newer)
    manifest = json.loads((newer / "manifest.json").read_text())
    manifest["model_version"] = newer.name
    (newer / "manifest.json").write_text(json.dumps(manifest))
    resp = client.post("/v1/admin/reload", json={}, headers={"X-API-Key": "adm"})
    assert resp.get_json() == {"previous": tiny_model_dir.name, "model": newer.name}
    assert client.post("/v1/predict", json={"text": "hi"}).get_json()["model"] == newer.name


def test_broken_new_model_is_refused_and_old_keeps_serving(make_app, models_root, tiny_model_dir):
    import shutil

    client = make_app(admin_key="adm").test_client()
    broken = models_root / "20270101T000000Z-deadbeef"
    shutil.copytree(tiny_model_dir, broken)
    (broken / "model.npz").write_bytes(b"tampered")
    err = _error(client.post("/v1/admin/reload", json={}, headers={"X-API-Key": "adm"}), 409, "model_load_error")
    assert "does not match its manifest" in err["message"]
    assert client.post("/v1/predict", json={"text": "hi"}).get_json()["model"] == tiny_model_dir.name


def test_request_id_is_echoed_when_safe(client):
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    assert client.get("/healthz", headers={"X-Request-ID": "bad id <x>"}).headers["X-Request-ID"] != "bad id <x>"


def test_page_is_served_with_security_headers(client):
    resp = client.get("/")
    assert resp.status_code == 200 and b'<textarea id="text"' in resp.data
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff" and resp.headers["X-Frame-Options"] == "DENY"
    assert b"<script>" not in resp.data and b"http://" not in resp.data and b"https://" not in resp.data
    with client.get("/static/app.js") as js:
        assert js.status_code == 200 and b"innerHTML" not in js.data


def test_unexpected_errors_are_500_without_traceback(client, app, monkeypatch):
    holder = app.config["CLAIMLENS_HOLDER"]

    def boom(*a, **k):
        raise RuntimeError("secret internals")
    monkeypatch.setattr(holder.current.estimator, "predict_explained", boom)
    err = _error(client.post("/v1/predict", json={"text": "hi"}), 500, "internal_error")
    assert "secret" not in err["message"]


def test_logs_carry_no_message_text(client, caplog):
    import logging

    with caplog.at_level(logging.INFO, logger="claimlens"):
        client.post("/v1/predict", json={"text": "my very private parcel text"})
    assert caplog.records and all("private" not in r.getMessage() and "private" not in str(r.__dict__)
                                  for r in caplog.records)
