"""HTTP details a client relies on: 405 with Allow, 400 for JSON too deep to read, bodiless admin POST."""
import pytest

POST_ROUTES = ["/v1/predict", "/v1/predict/batch", "/v1/cases/analyze"]


def _error(resp, status, code):
    assert resp.status_code == status, resp.get_data(as_text=True)
    body = resp.get_json()
    assert set(body) == {"error", "request_id"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    return body["error"]


@pytest.mark.parametrize("route", POST_ROUTES)
@pytest.mark.parametrize("depth", [2_000, 100_000])
@pytest.mark.parametrize("opening, closing", [("[", "]"), ('{"a":', "}")])
def test_json_nested_too_deeply_is_400(client, route, depth, opening, closing):
    body = opening * depth + "1" + closing * depth
    err = _error(client.post(route, data=body, content_type="application/json"), 400, "bad_request")
    assert err["message"] == "the body nests JSON arrays or objects too deeply to be read"


def test_json_nested_within_the_limit_is_read(client):
    body = '{"text": ' + "[" * 500 + "]" * 500 + "}"
    err = _error(client.post("/v1/predict", data=body, content_type="application/json"), 422, "bad_input")
    assert err["message"] == "text: must be a string, got array"


def test_reload_needs_no_body(make_app, tiny_model_dir):
    client = make_app(admin_key="adm").test_client()
    resp = client.post("/v1/admin/reload", headers={"X-API-Key": "adm"})  # curl -X POST, no data
    assert resp.status_code == 200
    assert resp.get_json() == {"previous": tiny_model_dir.name, "model": tiny_model_dir.name}
    resp = client.post("/v1/admin/reload", headers={"X-API-Key": "adm"}, data="x", content_type="text/plain")
    assert resp.status_code == 200  # the route reads no body, so none is refused


@pytest.mark.parametrize("admin_key, headers", [(None, {}), ("adm", {}), ("adm", {"X-API-Key": "adm"})])
def test_wrong_method_on_admin_route_is_405_before_any_key_check(make_app, admin_key, headers):
    client = make_app(admin_key=admin_key).test_client()
    resp = client.get("/v1/admin/reload", headers=headers)
    assert _error(resp, 405, "method_not_allowed")["details"] == {"allowed": ["OPTIONS", "POST"]}
    assert resp.headers["Allow"] == "OPTIONS, POST"


def test_every_405_carries_allow(app, client):
    allowed: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if not rule.arguments:  # not /static/<path:filename>
            allowed.setdefault(rule.rule, set()).update(rule.methods)
    checked = 0
    for path, methods in allowed.items():
        for method in sorted({"GET", "POST", "PUT", "PATCH", "DELETE"} - methods):
            resp = client.open(path, method=method)
            assert resp.status_code == 405, (path, method)
            assert resp.headers["Allow"] == ", ".join(sorted(methods)), (path, method)
            checked += 1
    assert checked >= 48  # 12 routes or more, each refusing at least four of those methods


def test_openapi_documents_400_where_a_body_is_read(client):
    doc = client.get("/openapi.json").get_json()
    for route in POST_ROUTES:
        assert doc["paths"][route]["post"]["responses"]["400"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"}
    assert doc["paths"]["/v1/admin/reload"]["post"]["security"] == [{"apiKey": []}]
    assert "security" not in doc["paths"]["/v1/predict"]["post"]  # no CLAIMLENS_API_KEYS here


def test_openapi_says_v1_needs_a_key_when_keys_are_set(make_app):
    doc = make_app(api_keys=("k",)).test_client().get("/openapi.json").get_json()
    secured = {path for path, ops in doc["paths"].items() if all("security" in op for op in ops.values())}
    assert secured == {path for path in doc["paths"] if path.startswith("/v1/")}
    assert {"/v1/admin/reload", "/v1/cases/analyze", "/v1/labels", "/v1/model", "/v1/predict",
            "/v1/predict/batch"} <= secured and "/readyz" not in secured


@pytest.mark.parametrize("text", ["\x1c", "\ufeff", " \u3000\n", "\x85\t", "\u200b", "a\ufeff", "\x00"])
def test_blank_text_is_the_same_for_the_server_and_the_documented_pattern(client, text):
    import re

    doc = client.get("/openapi.json").get_json()
    pattern = doc["paths"]["/v1/predict"]["post"]["requestBody"]["content"]["application/json"]["schema"][
        "properties"]["text"]["pattern"]
    status = client.post("/v1/predict", json={"text": text}).status_code
    assert status == (200 if re.search(pattern, text) else 422)
    assert status == (200 if text in ("\u200b", "a\ufeff", "\x00") else 422)  # zero-width space is not blank


def test_a_null_id_is_documented_and_accepted(client):
    doc = client.get("/openapi.json").get_json()
    body = doc["paths"]["/v1/predict"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert "null" in body["properties"]["id"]["type"]
    assert client.post("/v1/predict", json={"text": "hi", "id": None}).get_json()["id"] is None
