"""RFC 3339 date-times: read exactly where OpenAPI's `format: date-time` holds, as naive UTC."""
from __future__ import annotations

import string
from datetime import datetime

import pytest
from hypothesis import given, settings, strategies as st

from claimlens.service.rfc3339 import parse_utc


@pytest.mark.parametrize("value, moment", [
    ("2026-12-01T00:00:00Z", datetime(2026, 12, 1)),
    ("2026-12-01t08:30:00.5+08:30", datetime(2026, 12, 1, 0, 0, 0, 500000)),
    ("2026-11-30T23:00:00.1234567-01:00", datetime(2026, 12, 1, 0, 0, 0, 123456)),  # digits past 6 are cut
    ("2026-12-01T00:00:00-00:00", datetime(2026, 12, 1)),
    ("2024-02-29T12:00:00z", datetime(2024, 2, 29, 12)),
    ("2000-02-29T00:00:00Z", datetime(2000, 2, 29)),
    ("2016-12-31T23:59:60Z", datetime(2017, 1, 1)),            # a leap second: the minute it ends in
    ("2016-12-31T18:59:60.9-05:00", datetime(2017, 1, 1)),
    ("0000-02-29T00:00:00Z", datetime.min),                    # year 0 exists in RFC 3339, not in datetime
    ("0001-01-01T00:30:00+01:00", datetime.min),
    ("0001-01-01T00:30:00-01:00", datetime(1, 1, 1, 1, 30)),
    ("9999-12-31T23:59:59-00:01", datetime.max),
    ("9999-12-31T23:59:59.999999Z", datetime.max),
])
def test_valid_date_times(value, moment):
    assert parse_utc(value) == moment


@pytest.mark.parametrize("value", [
    "", "2026-12-01", "2026-12-01T00:00:00", "2026-12-01 00:00:00Z", "2026-12-01T00:00:00 01:00",
    "2026-12-01T00:00Z", "2026-12-01T00:00:00+0100", "2026-12-01T00:00:00+24:00", "2026-12-01T00:00:00+01:60",
    "2026-12-01T00:00:00.Z", "2026-12-01T00:00:00,5Z", "2026-12-01T24:00:00Z", "2024-01-01T12:99:00Z",
    "2026-12-01T12:59:60Z", "2016-12-31T23:59:60+01:00", "2026-12-01T00:00:61Z",
    "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z",
    "2026-00-10T00:00:00Z", "2026-12-00T00:00:00Z", "+2026-12-01T00:00:00Z", "26-12-01T00:00:00Z",
    "２０２６-12-01T00:00:00Z", "2026-12-01T00:00:00Z\n", " 2026-12-01T00:00:00Z", "2026-W48-1T00:00:00Z",
])
def test_invalid_date_times(value):
    assert parse_utc(value) is None


def _num(low: int, high: int, width: int):
    return st.integers(low, high).map(lambda n: f"{n:0{width}d}")


# Near misses of the grammar: every field a little out of range, separators and offsets varied.
NEAR = st.builds("{}-{}-{}{}{}:{}:{}{}{}".format, _num(0, 9999, 4), _num(0, 13, 2), _num(0, 32, 2),
                 st.sampled_from("Tt _"), _num(0, 25, 2), _num(0, 61, 2), _num(0, 61, 2),
                 st.just("") | st.text(string.digits, max_size=9).map(".".__add__),
                 st.sampled_from(["Z", "z", ""]) | st.builds("{}{}:{}".format, st.sampled_from("+-"),
                                                              _num(0, 25, 2), _num(0, 61, 2)))


@settings(max_examples=400, derandomize=True, deadline=None, database=None)
@given(NEAR | st.text(max_size=30))
def test_agrees_with_the_validator_schemathesis_uses(value):
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    validator = jsonschema_rs.validator_for({"type": "string", "format": "date-time"}, validate_formats=True)
    assert (parse_utc(value) is not None) == validator.is_valid(value)
