"""The batch report page: offline, escaped, deterministic, and its charts drawn in a real headless Chromium."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from claimlens.labelling.report import PALETTE, render_report, write_report
from tests.browser import CHROMIUM, MISSING, chromium

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
EVIL = "<script>alert(1)</script>"

ORDER = ["cancellation_request", "cancellation_refused", "missing_parts", "not_as_described", "wrong_item",
         "damaged_defective", "not_received", "refund_return_issue", "other"]


def _summary() -> dict:
    return {
        "inputs": ["exports/2025.csv", "exports/2026 Q1.csv"],
        "model": "20261127T121640Z-b5585372",
        "finished_at": "2026-11-27T13:40:00Z",
        "labels_order": ORDER,
        "exclusive_label": "other",
        "rows": {"total": 1200, "labelled": 1180, "errors": 20},
        "errors": {"empty text": 15, "over-long field": 5},
        "labels": {"cancellation_request": 60, "missing_parts": 300, "not_as_described": 90, "wrong_item": 45,
                   "damaged_defective": 150, "not_received": 120, "refund_return_issue": 210, "other": 500},
        "languages": {"en": 700, "zh": 300, "de": 180},
        "labels_by_language": {"en": {"missing_parts": 100, "other": 300}, "zh": {"missing_parts": 150},
                               "de": {"missing_parts": 50}},
        "group_by": "sku",
        "groups": {
            "SKU-CHARGER-01": {"rows": 120, "labels": {"missing_parts": 80, "refund_return_issue": 30, "other": 20}},
            EVIL: {"rows": 40, "labels": {"damaged_defective": 25, "other": 15}},
            "SKU-LAMP-7": {"rows": 60, "labels": {"not_received": 45, "other": 15}},
            **{f"SKU-{i:02d}": {"rows": i, "labels": {"other": i}} for i in range(1, 21)},
        },
        "date_column": "return-date",
        "weeks": {
            "2026-01-05": {"rows": 33, "labels": {"missing_parts": 20, "other": 13}},
            "2026-01-12": {"rows": 50, "labels": {"missing_parts": 10, "not_received": 25, "other": 20}},
            "2026-01-26": {"rows": 12, "labels": {"wrong_item": 12}},
            "unparsed": {"rows": 7, "labels": {"other": 7}},
        },
    }


def test_report_loads_nothing_from_the_network():
    html = render_report(_summary())
    assert re.findall(r"""(?:src|href|xlink:href)\s*=\s*["']?(?:https?:)?//""", html, re.I) == []
    assert "http://" not in html and "https://" not in html and "//cdn" not in html
    assert "url(" not in html and "@import" not in html
    assert ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            'style-src \'unsafe-inline\'; img-src data:">') in html


def test_user_strings_are_escaped():
    summary = _summary()
    summary["labels"][EVIL] = 3
    summary["errors"]['bad "quote" & <b>'] = 1
    html = render_report(summary)
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'data-label="&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert "bad &#34;quote&#34; &amp; &lt;b&gt;" in html


def test_report_is_deterministic_and_shows_the_header():
    html = render_report(_summary())
    assert render_report(_summary()) == html
    assert '<time datetime="2026-11-27T13:40:00Z">2026-11-27T13:40:00Z</time>' in html
    assert "<code>20261127T121640Z-b5585372</code>" in html
    assert "<code>exports/2026 Q1.csv</code>" in html
    assert '<b id="total-rows">1,200</b>' in html
    assert '<b id="total-labelled">1,180</b>' in html
    assert '<b id="total-errors">20</b>' in html


def test_one_stable_colour_per_label_in_taxonomy_order():
    html = render_report(_summary())
    fills = dict(re.findall(r'<rect class="bar" data-label="([^"]+)"[^>]* fill="([^"]+)"', html))
    assert fills["cancellation_request"] == PALETTE[0]
    assert fills["missing_parts"] == PALETTE[2]
    assert fills["not_received"] == PALETTE[6]
    assert fills["other"] == "#BBBBBB"


def test_minimal_summary_renders_without_optional_sections():
    html = render_report({"rows": {"total": 0, "labelled": 0, "errors": 0}})
    for section in ('id="groups"', 'id="weeks"', 'id="errors"', "<svg id="):
        assert section not in html
    assert "No labels." in html


def test_bad_week_key_is_named():
    summary = _summary()
    summary["weeks"]["5 Jan 2026"] = {"rows": 1, "labels": {}}
    with pytest.raises(ValueError, match="5 Jan 2026"):
        render_report(summary)


def test_write_report_is_atomic_and_readable(tmp_path):
    path = tmp_path / "report.html"
    path.write_text("old")
    write_report(_summary(), path)
    assert path.read_text(encoding="utf-8") == render_report(_summary())
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]
    assert path.stat().st_mode & 0o777 == 0o644


def test_write_report_leaves_the_old_file_when_rendering_fails(tmp_path):
    path = tmp_path / "report.html"
    path.write_text("old")
    summary = _summary()
    summary["weeks"]["not a date"] = {"rows": 1}
    with pytest.raises(ValueError):
        write_report(summary, path)
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


@pytest.fixture
def browser():
    if CHROMIUM is None:
        pytest.skip(MISSING)
    with chromium() as b:
        yield b


def test_charts_render_in_a_real_browser(browser, tmp_path):
    path = tmp_path / "report.html"
    write_report(_summary(), path)
    page = browser.new_page(viewport={"width": 1000, "height": 800})
    problems = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("dialog", lambda d: problems.append("a dialog opened: " + d.message))
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("request", lambda r: None if r.url == path.as_uri() else problems.append("request: " + r.url))
    page.goto(path.as_uri())

    bars = page.locator("#chart-labels rect.bar")
    assert bars.count() == 8  # cancellation_refused has no rows, so no bar
    assert bars.evaluate_all("els => els.map(e => e.dataset.label)") == [
        "other", "missing_parts", "refund_return_issue", "damaged_defective", "not_received", "not_as_described",
        "cancellation_request", "wrong_item"]
    titles = page.locator("#chart-labels rect.bar > title").all_text_contents()
    assert titles[:2] == ["other: 500", "missing_parts: 300"]
    other = page.locator('#chart-labels rect[data-label="other"]').bounding_box()
    missing = page.locator('#chart-labels rect[data-label="missing_parts"]').bounding_box()
    assert missing["width"] / other["width"] == pytest.approx(300 / 500, abs=0.005)
    assert page.locator("#labels .legend li").count() == 9

    assert page.locator("#chart-languages rect.bar > title").all_text_contents() == [
        "en · English: 700 rows", "zh · Chinese: 300 rows", "de · German: 180 rows"]

    assert page.locator("#chart-groups g.row").count() == 15
    evil_row = page.locator("#groups-table tbody tr").nth(2)
    assert evil_row.locator("td").nth(0).inner_text() == EVIL
    assert evil_row.locator("td").nth(2).inner_text() == "damaged_defective"
    assert evil_row.locator("td").nth(3).inner_text() == "62.5 %"
    charger = page.locator("#chart-groups g.row").nth(0).locator("rect.bar > title").all_text_contents()
    assert charger == ["SKU-CHARGER-01 · missing_parts: 80", "SKU-CHARGER-01 · refund_return_issue: 30",
                       "SKU-CHARGER-01 · other: 20"]

    columns = page.locator("#chart-weeks g.column")
    assert columns.count() == 3  # the empty week of 2026-01-19 keeps its slot but draws nothing
    assert columns.evaluate_all("els => els.map(e => e.querySelector(':scope > title').textContent)") == [
        "week of 2026-01-05: 33 rows", "week of 2026-01-12: 50 rows", "week of 2026-01-26: 12 rows"]
    heights = [columns.nth(i).bounding_box()["height"] for i in range(3)]
    assert heights[0] / heights[1] == pytest.approx(33 / 50, abs=0.01)
    assert page.locator("#weeks-unparsed").inner_text().startswith("7 rows had a return-date")
    assert page.locator("#errors-table tbody tr").all_inner_texts() == [
        "empty text\t15\t1.2 %", "over-long field\t5\t0.4 %"]

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    assert problems == []
    page.close()
