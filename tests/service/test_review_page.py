"""GET /review: the review queue page is served with the pages' CSP and the model's label names."""
from __future__ import annotations

import json
from html import unescape

from claimlens.service.page import CSP


def test_review_page_is_html_under_the_csp(client):
    r = client.get("/review")
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert r.headers["Content-Security-Policy"] == CSP
    html = r.get_data(as_text=True)
    for script in ("highlight.js", "correction.js", "review.js"):
        assert f'<script src="/static/{script}" defer></script>' in html
    assert "<script>" not in html and "style=" not in html  # nothing inline for the CSP to refuse
    assert "http://" not in html and "https://" not in html


def test_review_page_carries_the_schema_labels_and_their_names(client):
    html = client.get("/review").get_data(as_text=True)
    names = json.loads(unescape(html.split('data-names="', 1)[1].split('"', 1)[0]))
    labels = json.loads(unescape(html.split('data-labels="', 1)[1].split('"', 1)[0]))
    assert labels == ["cancellation_request", "cancellation_refused", "missing_parts", "not_as_described",
                      "wrong_item", "damaged_defective", "not_received", "refund_return_issue", "other"]
    assert sorted(names) == sorted(labels)
    assert names["missing_parts"] == {"en": "Missing parts", "zh": "缺件/少配件"}
    assert 'data-exclusive="other"' in html


def test_the_page_scripts_are_served_and_never_parse_html(client):
    with client.get("/static/correction.js") as r:
        assert r.status_code == 200 and r.mimetype in ("text/javascript", "application/javascript")
        assert b"function correctionEditor(opts)" in r.data
    for script in ("correction.js", "review.js", "app.js"):
        with client.get(f"/static/{script}") as r:
            assert r.status_code == 200
            for sink in (b"innerHTML", b"outerHTML", b"insertAdjacentHTML", b"document.write", b"eval("):
                assert sink not in r.data, (script, sink)
