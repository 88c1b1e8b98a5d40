"""The review page in a real headless Chromium: submit messages, find the highlighted evidence."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import CHROMIUM, MISSING, chromium, served

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=MISSING)


@pytest.fixture
def page_url(app):
    with served(app) as url:
        yield url


@pytest.fixture
def seed_url(seed_app):
    with served(seed_app) as url:
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


def _case_page(browser, url, **context):
    """A page in a Shanghai-time browser allowed to use the clipboard, and what went wrong on it."""
    ctx = browser.new_context(timezone_id="Asia/Shanghai", locale="en-US", **context)
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
    page = ctx.new_page()
    problems = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    # CSP violations land in the console; a 422 the page shows, and the favicon it does not have, do not count
    page.on("console", lambda m: problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith(("/favicon.ico", "/v1/cases/analyze")) else None)
    response = page.goto(url + "cases")
    return ctx, page, problems, response


def test_case_page_argues_for_the_seller_in_english_and_chinese(browser, seed_url):
    from playwright.sync_api import expect

    from claimlens.service.page import CSP

    ctx, page, problems, response = _case_page(browser, seed_url)
    assert response.headers["content-security-policy"] == CSP
    page.click("#example")
    page.click("#submit")
    page.wait_for_selector("#result:not([hidden])")
    assert page.locator("#position").get_attribute("data-position") == "contest"
    assert page.locator("#position-name").inner_text() == "Contest the claim"
    assert page.locator("#position-claim").inner_text() == "A-to-z Guarantee claim of 2026-03-12 18:00"
    assert page.locator("#position-why").inner_text() == ("The claim gives a reason the buyer never raised in any "
                                                          "earlier message.")
    assert page.locator("#risks").is_hidden()
    codes = page.locator("#findings .finding").evaluate_all("els => els.map(e => e.dataset.code)")
    assert codes == ["cancel_requested_after_shipment", "seller_answered_cancel_request",
                     "claim_reason_not_raised_before", "retaliation_suspected"]
    assert page.locator('#findings [data-code="retaliation_suspected"] .finding-name').inner_text() == \
        "Retaliation suspected"
    claim = page.locator('#timeline li[data-event="c1"]')
    assert claim.locator("time").get_attribute("datetime") == "2026-03-12T10:00:00+00:00"
    assert claim.locator("time").inner_text() == "2026-03-12 18:00"  # Asia/Shanghai, the browser's zone
    assert claim.locator('mark[data-label="missing_parts"]').count() >= 1
    assert claim.locator('.swatch[data-label="missing_parts"]').inner_text() == "Missing parts"
    assert page.locator("#zone").inner_text().endswith("Asia/Shanghai")
    draft = page.locator("#draft-en").inner_text()
    assert "\u201cHi, please cancel my order, I don't need it anymore.\u201d" in draft
    page.click("#copy-en")
    expect(page.locator("#copy-en")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == draft
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "case-page-en.png"), full_page=True)

    page.click("#lang-zh")
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    assert page.locator("#position-name").inner_text() == "申诉：反驳该索赔"
    assert page.locator("#position-why").inner_text() == "索赔理由在买家此前的任何消息中都没有出现过。"
    assert page.locator('#findings [data-code="retaliation_suspected"] .finding-name').inner_text() == "疑似报复性索赔"
    assert claim.locator('.swatch[data-label="missing_parts"]').inner_text() == "缺件/少配件"
    assert page.locator("#submit").inner_text() == "分析"
    assert page.locator("#draft-en").inner_text() == draft  # the reply to Amazon stays English
    page.screenshot(path=str(ARTIFACTS / "case-page-zh.png"), full_page=True)
    assert problems == []
    ctx.close()


def test_case_page_keeps_risks_in_their_own_box(browser, seed_url):
    import json

    from playwright.sync_api import expect

    from tests.cases.stories import shipped_anyway

    ctx, page, problems, _ = _case_page(browser, seed_url)
    page.fill("#case", json.dumps(shipped_anyway("en")))
    page.click("#submit")
    page.wait_for_selector("#result:not([hidden])")
    assert page.locator("#risks").is_visible()
    risks = page.locator("#risk-list .risk").evaluate_all("els => els.map(e => e.dataset.code)")
    assert risks == ["shipped_after_cancel_request"]
    assert page.locator("#risk-list .finding-name").inner_text() == "Shipped after a cancellation request"
    assert "cancel" not in page.locator("#draft-en").inner_text().lower()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "case-page-risks.png"), full_page=True)
    page.fill("#case", json.dumps({"order_id": "1", "note": "x"}))
    page.click("#submit")
    expect(page.locator("#status")).to_contain_text("note: unknown field")
    assert problems == []
    ctx.close()
