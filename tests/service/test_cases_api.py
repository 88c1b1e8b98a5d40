import pytest

from tests.cases.test_stories import story


@pytest.fixture
def seed_client(seed_app):
    return seed_app.test_client()


def test_analyze_story_over_rest(seed_client):
    resp = seed_client.post("/v1/cases/analyze", json=story("en"))
    assert resp.status_code == 200
    body = resp.get_json()
    assert [f["code"] for f in body["findings"]] == [
        "cancel_requested_before_shipment", "shipped_after_cancel_request",
        "claim_reason_not_raised_before", "retaliation_suspected"]
    assert "\u201cHi, please cancel my order, I don't need it anymore.\u201d" in body["response_draft"]["en"]
    assert body["timeline"][-1]["event"] == "c1" and body["timeline"][-1]["labels"] == ["missing_parts"]


@pytest.mark.parametrize("mutate, field", [
    (lambda c: c.pop("order_id"), "order_id"),
    (lambda c: c["messages"][1].update(sent_at="02/03/2026"), "messages[1].sent_at"),
    (lambda c: c["messages"][0].update({"from": "courier"}), "messages[0].from"),
    (lambda c: c["claims"][0].update(filed_at="2026-02-01T00:00:00Z"), "claims[0].filed_at"),
])
def test_bad_cases_are_422_naming_the_field(seed_client, mutate, field):
    case = story("en")
    mutate(case)
    resp = seed_client.post("/v1/cases/analyze", json=case)
    assert resp.status_code == 422
    body = resp.get_json()
    assert body["error"]["code"] == "bad_input" and body["error"]["details"] == {"field": field}
    assert "Traceback" not in resp.get_data(as_text=True)


def test_cases_route_needs_json(seed_client):
    assert seed_client.post("/v1/cases/analyze", data="x").status_code == 415
