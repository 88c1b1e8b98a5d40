"""Summary counts and the dates exports write."""
from datetime import date

import pytest

from claimlens.labelling.summary import Tally, parse_day, summary, week_of


@pytest.mark.parametrize("value, day", [
    ("2026-01-07T18:12:27+00:00", date(2026, 1, 7)), ("2026-01-07", date(2026, 1, 7)),
    ("2026/01/07", date(2026, 1, 7)), ("07.01.2026", date(2026, 1, 7)), ("2026年1月7日", date(2026, 1, 7)),
    ("Jan 7, 2026", date(2026, 1, 7)), ("1767744000", date(2026, 1, 7)), ("soon", None)])
def test_parse_day(value, day):
    assert parse_day(value) == day


def test_week_is_its_monday_or_unparsed():
    assert week_of("2026-01-11") == "2026-01-05"
    assert week_of("2026-01-12") == "2026-01-12"
    assert week_of(None) == week_of("??") == "unparsed"


def test_tallies_merge_and_round_trip():
    a, b = Tally(), Tally()
    a.add(("missing_parts",), "en", "SKU-1", "2026-01-07", True, True)
    b.add(("missing_parts", "refund_return_issue"), "zh", "SKU-1", "2026-01-14", True, True)
    b.add_error("malformed CSV line 4: 3 fields where the header has 2")
    a.merge(Tally.from_json(b.to_json()))
    doc = summary(a, inputs=["x.csv"], model="v", labels_order=["missing_parts", "refund_return_issue", "other"],
                  finished_at="t", group_by="sku", date_column="date")
    assert doc["rows"] == {"total": 3, "labelled": 2, "errors": 1}
    assert doc["errors"] == {"malformed CSV line": 1}
    assert doc["labels"] == {"missing_parts": 2, "refund_return_issue": 1}
    assert doc["groups"] == {"SKU-1": {"rows": 2, "labels": {"missing_parts": 2, "refund_return_issue": 1}}}
    assert list(doc["weeks"]) == ["2026-01-05", "2026-01-12"]
    assert doc["labels_by_language"]["zh"] == {"missing_parts": 1, "refund_return_issue": 1}
