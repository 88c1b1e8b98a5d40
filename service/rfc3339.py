"""RFC 3339 date-times (OpenAPI's `format: date-time`), accepted exactly where JSON Schema validators accept them.

The grammar of RFC 3339 §5.6: `T` or `t` between date and time, an offset (`Z`, `z` or ±hh:mm)
required, any number of fraction digits, real calendar days of the years 0000-9999, and second 60
only at 23:59 UTC (a leap second). Python's `datetime.fromisoformat` is looser (a date alone, no
offset, a space, week dates) and narrower (no year 0, no second 60, no moment past 9999 after the
offset), and its rules change between Python versions, so it decides nothing here.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

_DATE_TIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?"
                        r"(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))", re.ASCII)
_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_EPOCH = datetime(1, 1, 1)
_LAST_SECOND = (datetime.max - _EPOCH) // timedelta(seconds=1)  # 9999-12-31T23:59:59, in seconds from _EPOCH


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_before(year: int, month: int, day: int) -> int:
    """Days from 0001-01-01 to the date (proleptic Gregorian; negative in year 0)."""
    y = year - 1
    return y * 365 + y // 4 - y // 100 + y // 400 + sum(_DAYS[:month - 1]) + (month > 2 and _leap(year)) + day - 1


def parse_utc(value: str) -> datetime | None:
    """The moment as naive UTC, or None when `value` is not an RFC 3339 date-time.

    A valid moment outside what datetime holds (0000-06-01T00:00:00Z, 9999-12-31T23:00:00-05:00) comes
    back as datetime.min or datetime.max, and a leap second (23:59:60.5Z) as the minute it ends in.
    """
    m = _DATE_TIME.fullmatch(value)
    if m is None:
        return None
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    sign, off_h, off_m = m.group(8), int(m.group(9) or 0), int(m.group(10) or 0)
    if not 1 <= month <= 12 or not 1 <= day <= _DAYS[month - 1] + (month == 2 and _leap(year)):
        return None
    if hour > 23 or minute > 59 or second > 60 or off_h > 23 or off_m > 59:
        return None
    offset = (off_h * 60 + off_m) * (-1 if sign == "-" else 1)
    if second == 60 and (hour * 60 + minute - offset) % 1440 != 23 * 60 + 59:
        return None
    fraction = m.group(7) or ""
    micros = 0 if second == 60 else int((fraction[1:] + "000000")[:6])  # a leap second rounds up to :00
    seconds = _days_before(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset * 60
    if seconds < 0:
        return datetime.min
    if seconds > _LAST_SECOND:
        return datetime.max
    return _EPOCH + timedelta(seconds=seconds, microseconds=micros)
