"""Dates as sources write them, read with the precision they give and never a day more.

``parse_date("2024-03")`` is ``(NaT, "month")``: no day is invented.
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
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?", re.I)
_PARTIAL = re.compile(r"(\d{4})(?:[-/](\d{1,2}))?")
_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
_MONTH_FIRST = re.compile(rf"(?:{_WEEKDAY},?\s+)?([a-z]+)\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?:,?\s+{_WEEKDAY})?", re.I)
_DAY_FIRST = re.compile(rf"(?:{_WEEKDAY},?\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{{4}})(?:,?\s+{_WEEKDAY})?", re.I)
_MONTH_YEAR = re.compile(r"([a-z]+)\.?\s+(\d{4})", re.I)


def parse_date(raw: str) -> tuple[pd.Timestamp, str | None]:
    """``(timestamp, precision)`` of a date as a source writes it; ``(NaT, None)`` when it is not one.

    Precision is ``"time"`` (an ISO date and time; with a time zone, the
    wall-clock time the source gave, its zone dropped, so the day is the
    outlet's own), ``"day"`` (``2024-03-01``, ``3 March 2018``, ``March 3,
    2018 Saturday``), ``"month"`` (``2024-03``, ``March 2018``) or
    ``"year"`` (``2024``). A month or a year gives ``NaT``: no day is
    invented. Day-first and month-first numbers (``03/04/2018``) are
    ambiguous and not read.
    """
    text = (raw or "").strip()
    try:
        if _ISO_DAY.fullmatch(text):
            return pd.Timestamp(text), "day"
        if _ISO_TIME.fullmatch(text):
            stamp = pd.Timestamp(text.replace(",", "."))
            return (stamp.tz_localize(None) if stamp.tzinfo is not None else stamp), "time"
        m = _PARTIAL.fullmatch(text)
        if m:
            year, month = int(m.group(1)), m.group(2)
            if month is None:
                return pd.NaT, "year" if 1000 <= year <= 2999 else None
            return pd.NaT, "month" if 1 <= int(month) <= 12 else None
        m = _MONTH_FIRST.fullmatch(text) or _DAY_FIRST.fullmatch(text)
        if m:
            month_name, day = (m.group(1), m.group(2)) if m.re is _MONTH_FIRST else (m.group(2), m.group(1))
            month = _MONTHS.get(month_name.lower())
            if month:
                return pd.Timestamp(year=int(m.group(3)), month=month, day=int(day)), "day"
        m = _MONTH_YEAR.fullmatch(text)
        if m and _MONTHS.get(m.group(1).lower()):
            return pd.NaT, "month"
    except (ValueError, OverflowError):
        pass
    return pd.NaT, None
