"""The conformance test's hook drops one finding only: valid-data-rejected for a span that does not fit its text."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

pytest.importorskip("schemathesis")
from tests.service.schemathesis_hooks import filter_failure  # noqa: E402

TEXT = {"text": "never came", "labels": ["not_received"]}
MISFIT = {"error": {"code": "bad_input", "message": "evidence[0]: …", "details": {"field": "evidence[0]"}}}


def _kept(body, code="ST202", operation="POST /v1/feedback", status=422, answer=MISFIT) -> bool:
    case = SimpleNamespace(body=body, operation=SimpleNamespace(label=operation))
    response = SimpleNamespace(status_code=status, content=json.dumps(answer).encode())
    return filter_failure(None, SimpleNamespace(code=code), case, response)


@pytest.mark.parametrize("span", [
    {"label": "not_received", "start": 0, "end": 11},        # past the end of the text
    {"label": "not_received", "start": 5, "end": 5},         # empty
    {"label": "not_received", "start": 6.0, "end": 2.0},     # backwards
    {"label": "wrong_item", "start": 0, "end": 5},           # a label the body does not give
])
def test_a_span_that_does_not_fit_its_text_is_dropped(span):
    assert _kept({**TEXT, "evidence": [span]}) is False


@pytest.mark.parametrize("body, kwargs", [
    ({**TEXT, "evidence": [{"label": "not_received", "start": 0, "end": 10}]}, {}),  # fits: the 422 is a finding
    ({**TEXT, "evidence": None}, {}),
    ({**TEXT, "evidence": [{"label": "not_received", "start": 0, "end": 99}]}, {"code": "ST201"}),
    ({**TEXT, "evidence": [{"label": "not_received", "start": 0, "end": 99}]}, {"operation": "POST /v1/review"}),
    ({**TEXT, "evidence": [{"label": "not_received", "start": 0, "end": 99}]}, {"status": 500}),
    ({**TEXT, "evidence": [{"label": "not_received", "start": 0, "end": 99}]},   # refused for another field
     {"answer": {"error": {"code": "bad_input", "message": "model: …", "details": {"field": "model"}}}}),
    ({**TEXT, "evidence": [{"label": "not_received", "start": "0", "end": 99}]}, {}),
    ("not an object", {}),
])
def test_every_other_finding_stands(body, kwargs):
    assert _kept(body, **kwargs) is True
