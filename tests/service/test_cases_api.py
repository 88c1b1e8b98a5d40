import pytest

from tests.cases.stories import seed_story, shipped_anyway


@pytest.fixture
def seed_client(seed_app):
    return seed_app.test_client()


def test_analyze_the_seed_story_over_rest(seed_client):
    resp = seed_client.post("/v1/cases/analyze", json=seed_story("de"))
    assert resp.status_code == 200
    body = resp.get_json()
    assert [f["code"] for f in body["findings"]] == [
        "cancel_requested_after_shipment", "seller_answered_cancel_request",
        "claim_reason_not_raised_before", "retaliation_suspected"]
    assert (body["assessment"]["position"], body["assessment"]["claim"]) == ("contest", "c1")
    assert sorted(body["response_draft"]) == ["de", "en", "zh"]
    assert body["marketplace"] == {"store": "EU", "language": "de", "from": "messages"}
    assert body["timeline"][-1]["event"] == "c1" and body["timeline"][-1]["labels"] == ["missing_parts"]


def test_risks_are_apart_over_rest(seed_client):
    body = seed_client.post("/v1/cases/analyze", json=shipped_anyway("en")).get_json()
    assert [r["code"] for r in body["assessment"]["risks"]] == ["shipped_after_cancel_request"]
    assert "cancel" not in body["response_draft"]["en"].lower()


@pytest.mark.parametrize("mutate, field", [
    (lambda c: c.pop("order_id"), "order_id"),
    (lambda c: c["messages"][1].update(sent_at="02/03/2026"), "messages[1].sent_at"),
    (lambda c: c["messages"][0].update({"from": "courier"}), "messages[0].from"),
    (lambda c: c["claims"][0].update(filed_at="2026-02-01"), "claims[0].filed_at"),
    (lambda c: c["order"].update(delivered_at=""), "order.delivered_at"),
    (lambda c: c.update(notes="call the buyer"), "notes"),
    (lambda c: c["order"].update(shiped_at="2026-03-02T08:00:00Z"), "order.shiped_at"),
    (lambda c: c["messages"][0].update(sender="buyer"), "messages[0].sender"),
    (lambda c: c["claims"][0].update(amount=12.5), "claims[0].amount"),
])
def test_bad_cases_are_422_naming_the_field(client, mutate, field):
    case = seed_story("en")
    mutate(case)
    resp = client.post("/v1/cases/analyze", json=case)
    assert resp.status_code == 422
    body = resp.get_json()
    assert body["error"]["code"] == "bad_input" and body["error"]["details"] == {"field": field}
    assert "Traceback" not in resp.get_data(as_text=True)


def test_messages_and_claims_are_limited(make_app):
    client = make_app(max_case_events=3).test_client()
    case = seed_story("en")
    case["messages"] += [{"from": "buyer", "sent_at": "2026-03-04T00:00:00Z", "text": "hello?"}] * 2
    resp = client.post("/v1/cases/analyze", json=case)
    assert resp.status_code == 422
    assert resp.get_json()["error"] == {"code": "bad_input", "details": {"field": "messages", "limit": 3},
                                        "message": "messages: has 4 items; the limit is 3"}
    case["messages"].pop()
    assert client.post("/v1/cases/analyze", json=case).status_code == 200


def test_times_that_contradict_each_other_are_warnings_not_errors(client):
    case = seed_story("en")
    case["claims"][0]["filed_at"] = "2026-02-01T00:00:00Z"
    resp = client.post("/v1/cases/analyze", json=case)
    assert resp.status_code == 200
    assert resp.get_json()["warnings"] == [{"field": "claims[0].filed_at", "message": "is before "
                                            "order.purchased_at; the rules take the times as given"}]


def test_the_default_limit_refuses_a_flood(client):
    case = {"order_id": "1", "messages": [{"from": "buyer", "sent_at": "2026-03-01T00:00:00Z", "text": "hi"}] * 25_000}
    resp = client.post("/v1/cases/analyze", json=case)
    assert resp.status_code == 422
    assert resp.get_json()["error"]["details"] == {"field": "messages", "limit": 1000}


def test_the_limit_reads_its_environment_variable(models_root):
    from claimlens.service.settings import Settings

    settings = Settings.from_env({"CLAIMLENS_MODELS": str(models_root), "CLAIMLENS_MAX_CASE_EVENTS": "40"})
    assert settings.max_case_events == 40


def test_openapi_describes_the_case_limits(make_app):
    doc = make_app(max_case_events=7).test_client().get("/openapi.json").get_json()
    case = doc["components"]["schemas"]["Case"]
    assert case["additionalProperties"] is False
    assert case["properties"]["messages"]["maxItems"] == 7 and case["properties"]["claims"]["maxItems"] == 7
    import re

    from claimlens.cases.case import TIMESTAMP

    sent_at = case["properties"]["messages"]["items"]["properties"]["sent_at"]
    assert sent_at["pattern"] == TIMESTAMP and "format" not in sent_at  # the parser's pattern, nothing looser
    assert re.fullmatch(TIMESTAMP, "2028-02-29T10:00:00Z") and not re.fullmatch(TIMESTAMP, "2026-02-29T10:00:00Z")
    assert case["properties"]["order"]["additionalProperties"] is False
    ok = doc["paths"]["/v1/cases/analyze"]["post"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/CaseAnalysis"}
    finding = doc["components"]["schemas"]["Finding"]["properties"]["code"]["enum"]
    assert "cancel_requested_after_shipment" in finding and "not_shipped" in finding


def test_cases_route_needs_json(client):
    assert client.post("/v1/cases/analyze", data="x").status_code == 415
