"""Dates as sources write them, read with the precision they give and never a day more.

``parse_date("2024-03")`` is ``(NaT, "month")``: no day is invented.
``parse_date("Mon, 05 Mar 2018 10:00:00 GMT")`` is ``(2018-03-05 10:00, "time")``:
the wall-clock time the source gave, its zone dropped.

Read: ISO 8601 (``2018-03-05``, ``2018-03-05T10:00:00Z``, ``+01:00``, a space
for the ``T``, a ``UTC``/``GMT``/``EST`` suffix, ``20180305``), year-first
slashes or dots (``2018/03/05``), day-first dots (``05.03.2018``, the German
and Eastern European convention; no one writes month-first with dots), RFC
2822 (``Mon, 05 Mar 2018 10:00:00 +0000``, RSS and e-mail), English month
names either way round with an optional weekday and time (``March 3, 2018
Saturday 8:00 AM EST`` from Nexis, ``3 March 2018 10:15 GMT`` from Factiva),
months (``2024-03``, ``March 2018``) and years.

Not read, on purpose: ``03/04/2018`` and every other day/month order that a
reader would have to guess (March 4 in the US, 3 April elsewhere); two-digit
years; month names in other languages; and Unix timestamps (``1520244000``):
a bare number in a date column may as well be milliseconds, an Excel serial
day or an id, and a Unix time is UTC, so the outlet's own day, which the
counts by day need, cannot be recovered from it. python-dateutil is not used:
it fills what is missing from today's date and guesses orders, so every input
would have to be checked against these patterns first, and then the patterns
alone read it.
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["parse_date"]

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9

# A time zone after a time: Z, an offset (+01:00, +0100, -05), UTC/GMT with an offset, or a
# name such as EST, CET, ET. It is only matched, never applied: the wall clock is the source's.
_ZONE = r"(?:Z|[+-]\d{2}(?::?\d{2})?|(?:UTC|GMT)\s*[+-]\d{1,2}(?::?\d{2})?|\(?[A-Za-z]{1,5}\)?)"
# A clock time: 24-hour, or 12-hour with AM/PM (8 AM, 8:00 a.m.).
_CLOCK = (r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d+))?)?)?"
          r"\s*(?P<ampm>[ap]\.?\s?m\.?)?")
_TIME = rf"(?:(?:,\s*|\s+)(?:at\s+)?{_CLOCK}(?:\s*{_ZONE})?)"
_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"

_ISO_DAY = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})")
_ISO_TIME = re.compile(rf"(?P<year>\d{{4}})-(?P<month>\d{{2}})-(?P<day>\d{{2}})(?:T|\s+){_CLOCK}\s*{_ZONE}?", re.IGNORECASE)
_BASIC = re.compile(r"(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})")  # ISO 8601 basic: 20180305
_YEAR_FIRST = re.compile(r"(?P<year>\d{4})([/.])(?P<month>\d{1,2})\2(?P<day>\d{1,2})")  # 2018/03/05
_DOTTED = re.compile(rf"(?P<day>\d{{1,2}})\.(?P<month>\d{{1,2}})\.(?P<year>\d{{4}}){_TIME}?", re.IGNORECASE)  # 05.03.2018
_PARTIAL = re.compile(r"(\d{4})(?:[-/](\d{1,2}))?")
_MONTH_FIRST = re.compile(
    rf"(?:{_WEEKDAY},?\s+)?(?P<mname>[a-z]+)\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})"
    rf"(?:,?\s+{_WEEKDAY})?{_TIME}?", re.IGNORECASE)
_DAY_FIRST = re.compile(
    rf"(?:{_WEEKDAY},?\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mname>[a-z]+)\.?,?\s+(?P<year>\d{{4}})"
    rf"(?:,?\s+{_WEEKDAY})?{_TIME}?", re.IGNORECASE)
_MONTH_YEAR = re.compile(r"([a-z]+)\.?\s+(\d{4})", re.IGNORECASE)


def parse_date(raw: str) -> tuple[pd.Timestamp, str | None]:
    """``(timestamp, precision)`` of a date as a source writes it; ``(NaT, None)`` when it is not one.

    Precision is ``"time"`` (a date with a clock time; with a time zone, the
    wall-clock time the source gave, its zone dropped, so the day is the
    outlet's own), ``"day"`` (``2024-03-01``, ``3 March 2018``, ``March 3,
    2018 Saturday``, ``05.03.2018``), ``"month"`` (``2024-03``, ``March
    2018``) or ``"year"`` (``2024``). A month or a year gives ``NaT``: no day
    is invented. Day-first and month-first numbers (``03/04/2018``) are
    ambiguous and not read; see the module docstring for every form read.
    """
    text = " ".join((raw or "").split())
    try:
        for pattern in (_ISO_DAY, _BASIC, _YEAR_FIRST):
            m = pattern.fullmatch(text)
            if m:
                return _stamp(m, int(m.group("month")))
        for pattern in (_ISO_TIME, _DOTTED):
            m = pattern.fullmatch(text)
            if m:
                return _stamp(m, int(m.group("month")))
        m = _PARTIAL.fullmatch(text)
        if m:
            year, month = int(m.group(1)), m.group(2)
            if month is None:
                return pd.NaT, "year" if 1000 <= year <= 2999 else None
            return pd.NaT, "month" if 1 <= int(month) <= 12 else None
        m = _MONTH_FIRST.fullmatch(text) or _DAY_FIRST.fullmatch(text)
        if m:
            month = _MONTHS.get(m.group("mname").lower())
            if month:
                return _stamp(m, month)
        m = _MONTH_YEAR.fullmatch(text)
        if m and _MONTHS.get(m.group(1).lower()):
            return pd.NaT, "month"
    except (ValueError, OverflowError):
        pass
    return pd.NaT, None


def _stamp(m: re.Match, month: int) -> tuple[pd.Timestamp, str]:
    """``(timestamp, "day" or "time")`` of a match with ``year``, ``day`` and perhaps clock groups.

    Raises ``ValueError`` for an impossible date or time (30 February, 25:00, 13 PM).
    """
    year, day = int(m.group("year")), int(m.group("day"))
    if not 1000 <= year <= 2999:
        raise ValueError(year)
    if m.groupdict().get("hour") is None:
        return pd.Timestamp(year=year, month=month, day=day), "day"
    hour, minute, second = int(m.group("hour")), int(m.group("minute") or 0), int(m.group("second") or 0)
    ampm = (m.group("ampm") or "").lower().replace(".", "").replace(" ", "")
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueError(hour)
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    elif m.group("minute") is None:
        raise ValueError("an hour alone is not a time")  # "3 March 2018 10" is not 10 o'clock
    fraction = (m.group("fraction") or "").ljust(9, "0")[:9]
    nanos = int(fraction)
    stamp = pd.Timestamp(year=year, month=month, day=day, hour=hour, minute=minute, second=second,
                         microsecond=nanos // 1000, nanosecond=nanos % 1000)
    return stamp, "time"
