"""Coverage over time: article-level measures by week or month.

``article_tone_by_period`` cuts each article's date into a period and
summarises the article tone per actor (and, optionally, per outlet or group)
and period, with a bootstrap interval over articles, as the outlet tables do.
``choose_freq`` picks the period from the corpus's span: none under
``MIN_SPAN_DAYS`` (a few weeks show no trend), weeks up to ``WEEKS_UP_TO_DAYS``,
months beyond. Undated articles are left out and counted (``n_undated``).
"""

from __future__ import annotations

import pandas as pd

from analysis.measure.article_tone import summarize_article_tone
from analysis.measure.stats import DEFAULT_MIN_N

__all__ = ["MIN_SPAN_DAYS", "WEEKS_UP_TO_DAYS", "article_tone_by_period", "choose_freq", "period_of"]

MIN_SPAN_DAYS = 21
WEEKS_UP_TO_DAYS = 183


def choose_freq(dates: pd.Series) -> str | None:
    """``"W"`` (weeks), ``"M"`` (months) or None when the dated articles span fewer than ``MIN_SPAN_DAYS``."""
    dated = pd.to_datetime(dates, errors="coerce").dropna()
    if dated.empty:
        return None
    span = (dated.max() - dated.min()).days
    if span < MIN_SPAN_DAYS:
        return None
    return "W" if span <= WEEKS_UP_TO_DAYS else "M"


def period_of(dates: pd.Series, freq: str) -> pd.Series:
    """Each date's period as its first day (``YYYY-MM-DD``: Monday of the week, or the 1st of the month); NA if undated."""
    dated = pd.to_datetime(dates, errors="coerce")
    if dated.dt.tz is not None:
        dated = dated.dt.tz_localize(None)
    start = dated.dt.to_period("W-SUN" if freq == "W" else "M").dt.start_time
    return start.dt.strftime("%Y-%m-%d").astype("string")


def article_tone_by_period(article_tone: pd.DataFrame, freq: str, by=("name",), min_n: int = DEFAULT_MIN_N):
    """``summarize_article_tone`` per ``by`` columns and period, and the number of undated rows left out.

    Returns ``(summary, n_undated)``: the summary has the ``by`` columns, then
    ``period`` (first day, text), then ``summarize_article_tone``'s columns.
    """
    rows = article_tone.assign(period=period_of(article_tone["date"], freq))
    n_undated = int(rows["period"].isna().sum())
    rows = rows.dropna(subset=["period"])
    summary = summarize_article_tone(rows, by=(*by, "period"), min_n=min_n)
    return summary.sort_values([*by, "period"], kind="stable").reset_index(drop=True), n_undated
