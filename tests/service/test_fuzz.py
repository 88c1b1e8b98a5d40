"""Property-based fuzzing: whatever the body, the service answers below 500 in the error shape."""
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)
bodies = st.one_of(
    json_values,
    st.fixed_dictionaries({"text": json_values}, optional={"id": json_values, "explain": json_values}),
    st.fixed_dictionaries({"items": st.lists(st.fixed_dictionaries({"text": json_values}, optional={"id": json_values}),
                                             max_size=5)}, optional={"explain": json_values}),
    st.fixed_dictionaries({"text": st.text(max_size=300)}),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies, route=st.sampled_from(["/v1/predict", "/v1/predict/batch"]))
def test_no_5xx_for_any_json_body(client, body, route):
    resp = client.post(route, data=json.dumps(body), content_type="application/json")
    assert resp.status_code < 500, resp.get_data(as_text=True)
    if resp.status_code >= 400:
        assert set(resp.get_json()) == {"error", "request_id"}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200), ctype=st.sampled_from(["application/json", "text/plain", "", "application/xml"]))
def test_no_5xx_for_any_bytes(client, raw, ctype):
    resp = client.post("/v1/predict", data=raw, content_type=ctype)
    assert resp.status_code < 500
