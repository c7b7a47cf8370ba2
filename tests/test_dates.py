"""Dates in the forms news sources write them: read with the precision given, never guessed."""

import pandas as pd
import pytest

from analysis.load.dates import parse_date


@pytest.mark.parametrize("raw, when, precision", [
    # ISO 8601, with the outlet's wall clock kept whatever the zone
    ("2018-03-05", "2018-03-05", "day"),
    ("2018-03-05T10:00:00Z", "2018-03-05 10:00", "time"),
    ("2018-03-05T23:30:00-05:00", "2018-03-05 23:30", "time"),  # UTC would make it 6 March
    ("2018-03-05T10:00:00+0100", "2018-03-05 10:00", "time"),
    ("2018-03-05T10:00:00.250+01:00", "2018-03-05 10:00:00.250", "time"),
    ("2018-03-05 10:00:00", "2018-03-05 10:00", "time"),
    ("2018-03-05 10:00:00 UTC", "2018-03-05 10:00", "time"),
    ("2018-03-05 10:00:00+00:00", "2018-03-05 10:00", "time"),  # how pandas prints a UTC time
    ("2018-03-05T10:00 GMT+1", "2018-03-05 10:00", "time"),
    ("20180305", "2018-03-05", "day"),
    ("2018/03/05", "2018-03-05", "day"),
    ("2018/3/5", "2018-03-05", "day"),
    # day-first with dots: the German and Eastern European way, never month-first
    ("05.03.2018", "2018-03-05", "day"),
    ("5.3.2018 14:05", "2018-03-05 14:05", "time"),
    # RFC 2822 (RSS feeds, e-mail)
    ("Mon, 05 Mar 2018 10:00:00 GMT", "2018-03-05 10:00", "time"),
    ("Mon, 05 Mar 2018 10:00:00 +0000", "2018-03-05 10:00", "time"),
    ("5 Mar 2018 22:10 -0500", "2018-03-05 22:10", "time"),
    # Nexis Uni and Factiva date lines
    ("March 3, 2018 Saturday", "2018-03-03", "day"),
    ("March 3, 2018 8:00 AM EST", "2018-03-03 08:00", "time"),
    ("March 3, 2018 Saturday 8:00 PM EST", "2018-03-03 20:00", "time"),
    ("March 3, 2018 Saturday 12:30 AM GMT", "2018-03-03 00:30", "time"),
    ("Mar. 3, 2018 at 8 a.m. ET", "2018-03-03 08:00", "time"),
    ("3 March 2018", "2018-03-03", "day"),
    ("3 March 2018 10:15 GMT", "2018-03-03 10:15", "time"),
    ("Saturday, 3 March 2018", "2018-03-03", "day"),
    ("  3   March\n2018 ", "2018-03-03", "day"),  # spaces and a line break from a cell
    # partial dates: no day invented
    ("2024-03", None, "month"),
    ("March 2018", None, "month"),
    ("2024", None, "year"),
])
def test_common_forms_are_read_with_their_precision(raw, when, precision):
    stamp, got = parse_date(raw)
    assert got == precision
    if when is None:
        assert pd.isna(stamp)
    else:
        assert stamp == pd.Timestamp(when)
        assert stamp.tzinfo is None


@pytest.mark.parametrize("raw", [
    "03/04/2018",  # 4 March in the US, 3 April elsewhere
    "3/4/2018",
    "03-04-2018",
    "05.03.18",  # two-digit year
    "1520244000",  # Unix seconds: UTC, not the outlet's day
    "1520244000000",
    "43164",  # an Excel serial day
    "2018-02-30",
    "20181305",
    "March 3, 2018 13:00 PM",
    "3 March 2018 10",  # an hour without minutes or AM/PM is not a time
    "2018-03-05T25:00",
    "3 Brumaire 2018",
    "yesterday",
    "",
])
def test_ambiguous_or_impossible_dates_are_not_read(raw):
    stamp, precision = parse_date(raw)
    assert precision is None and pd.isna(stamp)


def test_none_is_not_a_date():
    assert parse_date(None)[1] is None
