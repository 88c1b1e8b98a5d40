"""The review page in a real headless Chromium: submit messages, find the highlighted evidence."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.browser import CHROMIUM, MISSING, chromium

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=MISSING)


@contextmanager
def _served(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        thread.join()


@pytest.fixture
def page_url(app):
    with _served(app) as url:
        yield url


@pytest.fixture
def seed_url(seed_app):
    with _served(seed_app) as url:
        yield url


@pytest.fixture
def browser():
    with chromium() as b:
        yield b


@pytest.mark.parametrize("text, label, lang", [
    ("买家说少了充电器，要求退款", "refund_return_issue", "zh"),
    ("Hi, the charger was not in the box! <script>alert(1)</script>", "missing_parts", "en"),
])
def test_page_highlights_evidence(browser, page_url, text, label, lang):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda d: errors.append("a dialog opened: " + d.message))
    page.goto(page_url)
    page.fill("#text", text)
    page.click("#submit")
    page.wait_for_selector("#result:not([hidden])")
    marks = page.locator(f'#highlighted mark[data-label="{label}"]')
    assert marks.count() >= 1
    for i in range(marks.count()):
        assert marks.nth(i).inner_text() in text
    assert page.locator("#highlighted").inner_text() == text  # the whole text, escaped, nothing lost
    assert label in page.locator("#labels").inner_text()
    assert page.locator("#legend .swatch").count() >= 1
    assert f"language: {lang}" in page.locator("#meta").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"page-{lang}.png"), full_page=True)
    assert errors == []
    page.close()


def test_case_page_shows_timeline_and_findings(browser, seed_url):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(seed_url + "cases")
    page.click("#example")
    page.click("#submit")
    page.wait_for_selector("#result:not([hidden])")
    codes = page.locator("#findings .finding").evaluate_all("els => els.map(e => e.dataset.code)")
    assert "retaliation_suspected" in codes and "shipped_after_cancel_request" in codes
    claim = page.locator('#timeline li[data-event="c1"]')
    assert claim.locator('mark[data-label="missing_parts"]').count() >= 1
    assert page.locator('#timeline li[data-event="m1"] mark[data-label="cancellation_request"]').count() >= 1
    assert "\u201cHi, please cancel my order" in page.locator("#draft-en").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "case-page.png"), full_page=True)
    assert errors == []
    page.close()
