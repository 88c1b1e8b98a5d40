"""Corrections in a real headless Chromium: on the main page after a prediction, and on /review
walking the queue (accept with Enter, correct with clicks, skip with S); every answer read back
from the feedback store."""
from __future__ import annotations

from pathlib import Path

import pytest

from claimlens.feedback.queue import Candidate, ReviewQueue
from claimlens.feedback.store import FeedbackStore
from tests.browser import CHROMIUM, MISSING, chromium, served

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ALICE = {"X-API-Key": "key-of-alice"}

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=MISSING)

# Selects [start, end) code points of the text shown in an element, as a mouse drag would:
# the page hears of it through the document's selectionchange event.
SELECT = """([selector, start, end]) => {
  const view = document.querySelector(selector);
  const walker = document.createTreeWalker(view, NodeFilter.SHOW_TEXT);
  const units = (node, points) => Array.from(node.data).slice(0, points).join("").length;
  const range = document.createRange();
  let seen = 0, started = false, node;
  while ((node = walker.nextNode())) {
    const length = Array.from(node.data).length;
    if (!started && start <= seen + length) { range.setStart(node, units(node, start - seen)); started = true; }
    if (end <= seen + length) { range.setEnd(node, units(node, end - seen)); break; }
    seen += length;
  }
  document.getSelection().removeAllRanges();
  document.getSelection().addRange(range);
}"""


@pytest.fixture
def keyed_app(make_app):
    return make_app(api_keys=("key-of-alice",), key_names={"key-of-alice": "alice"})


@pytest.fixture
def browser():
    with chromium() as b:
        yield b


def _open(browser, url):
    """A page, and the problems seen on it: page errors, console errors (CSP violations land there)
    and every answer of 400 or more (the favicon the pages do not have aside)."""
    page = browser.new_page(locale="en-US")
    problems, refused = [], []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("dialog", lambda d: problems.append("a dialog opened: " + d.message))
    # a refused request also logs "Failed to load resource"; `refused` checks those answers exactly
    page.on("console", lambda m: problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    page.on("response", lambda r: refused.append((r.status, r.url.removeprefix(url)))
            if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    return page, problems, refused


def _rows(app):
    return [(r.text, r.labels, r.evidence, r.source, r.who, r.model, r.predicted)
            for r in FeedbackStore(app.config["CLAIMLENS_FEEDBACK_DB"]).rows()]


def test_main_page_saves_a_correction_of_labels_and_spans(browser, keyed_app):
    from playwright.sync_api import expect

    text = "the cable is missing from the package, I want a refund"
    record = keyed_app.test_client().post("/v1/predict", json={"text": text, "explain": True}, headers=ALICE).get_json()
    assert record["labels"] == ["missing_parts", "refund_return_issue"]
    model_spans = [(e["label"], e["start"], e["end"]) for e in record["evidence"] if e["label"] == "missing_parts"]
    assert model_spans  # the model's own span for missing_parts is on the page, to be unmarked below
    cable = (text.index("cable"), text.index("cable") + len("cable"))
    with served(keyed_app) as url:
        page, problems, refused = _open(browser, url)
        page.goto(url)
        page.click("#predict-form summary")
        page.fill("#api-key", "key-of-alice")
        page.fill("#text", text)
        page.click("#submit")
        page.wait_for_selector("#result:not([hidden])")
        boxes = page.locator("#correction input[type=checkbox]")
        ticked = boxes.evaluate_all("els => els.filter(e => e.checked).map(e => e.value)")
        assert ticked == ["missing_parts", "refund_return_issue"]
        spans = page.locator("#correction .spans li.span").evaluate_all(
            "els => els.map(e => [e.dataset.label, +e.dataset.start, +e.dataset.end])")
        assert sorted(map(tuple, spans)) == sorted((e["label"], e["start"], e["end"]) for e in record["evidence"])

        page.uncheck('#correction input[data-label="refund_return_issue"]')
        assert page.locator('#highlighted mark[data-label="refund_return_issue"]').count() == 0
        page.check('#correction input[data-label="damaged_defective"]')
        expect(page.locator("#correction .mark")).to_be_disabled()
        page.evaluate(SELECT, ["#highlighted", *cable])
        expect(page.locator("#correction .selection")).to_have_text("Selected: \u201ccable\u201d")
        expect(page.locator("#correction .mark")).to_have_text("Mark as evidence for damaged_defective")
        page.click("#correction .mark")
        assert page.locator('#highlighted mark[data-label="damaged_defective"]').inner_text() == "cable"
        assert page.locator("#highlighted").inner_text() == text
        first = model_spans[0]
        page.click(f'#correction li.span[data-label="{first[0]}"][data-start="{first[1]}"] .unmark')
        expected = sorted([*model_spans[1:], ("damaged_defective", *cable)], key=lambda s: (s[1], s[2]))
        assert [(s[0], int(s[1]), int(s[2])) for s in page.locator("#correction li.span").evaluate_all(
            "els => els.map(e => [e.dataset.label, e.dataset.start, e.dataset.end])")] == expected
        assert page.locator("#legend .swatch").all_inner_texts() == list(dict.fromkeys(s[0] for s in expected))

        page.click("#save")
        expect(page.locator("#save-status")).to_have_text("Saved as correction #1: missing_parts, damaged_defective")
        assert page.locator("#correct").get_attribute("data-saved") == "1"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "page-correction.png"), full_page=True)

        page.uncheck('#correction input[data-label="missing_parts"]')
        page.uncheck('#correction input[data-label="damaged_defective"]')
        expect(page.locator("#save-status")).to_have_text(
            "Changed after saving correction #1; save again to keep the change.")
        page.click("#save")
        expect(page.locator("#save-status")).to_have_text("Not saved: labels: no labels given")
        page.check('#correction input[data-label="other"]')
        assert page.locator("#correction .spans li.span").count() == 0
        page.close()
    assert _rows(keyed_app) == [(text, ("missing_parts", "damaged_defective"), tuple(expected), "page", "alice",
                                 record["model"], ("missing_parts", "refund_return_issue"))]
    assert refused == [(422, "v1/feedback")]
    assert problems == []


def _candidate(text, labels, evidence=(), nearest=None, row="r1"):
    spans = tuple({"label": label, "start": text.index(words), "end": text.index(words) + len(words),
                   "text": words, "weight": 0.8} for label, words in evidence)
    scores = {"not_received": 0.7 if "not_received" in labels else 0.1, "damaged_defective": 0.4}
    return Candidate(text, "en", tuple(labels), scores, spans, "m-1", row, "labelled.jsonl", 0.2, nearest)


def test_review_page_accepts_corrects_and_skips(browser, app):
    from playwright.sync_api import expect

    parcel = "where is my parcel, it never arrived"
    lamp = "📦 box crushed, the lamp inside is broken"  # an emoji first: offsets count code points
    thanks = "thanks, all good"
    queue = ReviewQueue(app.config["CLAIMLENS_FEEDBACK_DB"])
    queue.enqueue([_candidate(parcel, ["not_received"], [("not_received", "never arrived")], "not_received", "r1"),
                   _candidate(lamp, ["other"], [], "damaged_defective", "r2"),
                   _candidate(thanks, ["other"], [], None, "r3")])
    broken = (lamp.index("lamp inside is broken"), lamp.index("lamp inside is broken") + len("lamp inside is broken"))
    assert broken == (19, 40)
    with served(app) as url:
        page, problems, refused = _open(browser, url)
        response = page.goto(url + "review")
        from claimlens.service.page import CSP

        assert response.headers["content-security-policy"] == CSP
        expect(page.locator("#progress")).to_have_text("0 of 3 done, 0 skipped")
        expect(page.locator("#item-text")).to_have_text(parcel)
        assert page.locator("#item-meta").inner_text() == (
            "language: en · labelled.jsonl, row r1 · closest call: Not received or late")
        assert page.locator('#item-text mark[data-label="not_received"]').inner_text() == "never arrived"
        assert page.locator("#correction input:checked").evaluate_all("els => els.map(e => e.value)") == ["not_received"]
        assert page.locator('#correction .choice[data-label="not_received"] .score').inner_text() == "70%"
        assert page.locator("#accept").inner_text() == "Accept"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "review-item.png"), full_page=True)

        page.keyboard.press("Enter")  # accept the model's answer
        expect(page.locator("#progress")).to_have_text("1 of 3 done, 0 skipped")
        expect(page.locator("#item-text")).to_have_text(lamp)
        assert page.locator("#status").inner_text() == "Saved as correction #1."
        assert page.locator("#progress-bar").evaluate("b => [b.value, b.max]") == [1, 3]

        page.check('#correction input[data-label="damaged_defective"]')
        assert page.locator("#correction input:checked").evaluate_all("els => els.map(e => e.value)") == [
            "damaged_defective"]  # ticking a reason unticks `other`
        assert page.locator("#accept").inner_text() == "Save correction"
        page.evaluate(SELECT, ["#item-text", *broken])
        expect(page.locator("#correction .mark")).to_have_text("Mark as evidence for Damaged or defective")
        page.click("#correction .mark")
        assert page.locator('#item-text mark[data-label="damaged_defective"]').inner_text() == "lamp inside is broken"
        page.click("#lang-zh")
        assert page.locator('#correction .choice[data-label="damaged_defective"] .swatch').inner_text() == "损坏/故障"
        assert page.locator("#accept").inner_text() == "保存更正"
        assert page.locator("#progress").inner_text() == "已完成 1 / 3，跳过 0"
        assert page.locator("#status").inner_text() == "已保存为更正 #1。"
        page.screenshot(path=str(ARTIFACTS / "review-corrected-zh.png"), full_page=True)
        page.click("#lang-en")
        page.click("#accept")
        expect(page.locator("#progress")).to_have_text("2 of 3 done, 0 skipped")
        expect(page.locator("#item-text")).to_have_text(thanks)
        assert page.locator("#accept").inner_text() == "Accept"

        page.keyboard.press("s")
        expect(page.locator("#progress")).to_have_text("2 of 3 done, 1 skipped")
        expect(page.locator("#empty")).to_be_visible()
        assert page.locator("#item").is_hidden()
        assert page.locator("#status").inner_text() == "Skipped."
        assert page.locator("#empty-text").inner_text() == (
            "No text left in the queue (every one answered or skipped). Queue more from another labelled export:")
        page.keyboard.press("Enter")  # nothing left to answer: no request, no error
        page.screenshot(path=str(ARTIFACTS / "review-done.png"), full_page=True)
        page.close()
    assert _rows(app) == [
        (parcel, ("not_received",), (("not_received", 23, 36),), "page", None, "m-1", ("not_received",)),
        (lamp, ("damaged_defective",), (("damaged_defective", *broken),), "page", None, "m-1", ("other",))]
    assert [(i.status, i.feedback_id) for i in queue.items()] == [("done", 1), ("done", 2), ("skipped", None)]
    assert refused == [] and problems == []


def test_review_page_asks_for_the_key_and_explains_an_empty_queue(browser, keyed_app):
    from playwright.sync_api import expect

    with served(keyed_app) as url:
        page, problems, refused = _open(browser, url)
        page.goto(url + "review")
        expect(page.locator("#status")).to_have_text("Error: missing or wrong API key in X-API-Key")
        assert page.locator("#key-box").get_attribute("open") == ""
        page.fill("#api-key", "key-of-alice")
        page.click("#use-key")
        expect(page.locator("#empty")).to_be_visible()
        assert page.locator("#status").inner_text() == ""
        assert page.locator("#progress").inner_text() == "0 of 0 done, 0 skipped"
        assert page.locator("#empty-text").inner_text() == (
            "The review queue is empty. Fill it with the texts of a labelled export the model was least sure of, "
            "then check again:")
        assert page.locator("#fill-command").inner_text() == "claimlens review labelled.jsonl --top 50"
        ReviewQueue(keyed_app.config["CLAIMLENS_FEEDBACK_DB"]).enqueue(
            [_candidate("my parcel never arrived", ["not_received"])])
        page.click("#check-again")
        expect(page.locator("#item-text")).to_have_text("my parcel never arrived")
        expect(page.locator("#progress")).to_have_text("0 of 1 done, 0 skipped")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "review-key.png"), full_page=True)
        page.close()
    assert refused == [(401, "v1/review")] and problems == []
