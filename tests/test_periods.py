"""Coverage over time: article tone by week or month, with intervals over articles."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd

from analysis.count.periods import article_tone_by_period, choose_freq, period_of
from analysis.show.actor_plots import tone_over_time


def _tone(dates, scores, outlets=None) -> pd.DataFrame:
    n = len(dates)
    return pd.DataFrame({
        "article_id": [f"a{i}" for i in range(n)], "actor": "putin", "name": "Vladimir Putin",
        "outlet": outlets or ["A"] * n, "date": pd.to_datetime(dates), "score": scores,
        "label": ["negative" if s < 0 else "positive" for s in scores], "n_mentions": 2, "method": "model",
    })


def test_the_period_follows_the_span():
    assert choose_freq(pd.Series(pd.to_datetime(["2024-01-01", "2024-01-10"]))) is None  # too short to trend
    assert choose_freq(pd.Series(pd.to_datetime(["2024-01-01", "2024-03-01"]))) == "W"
    assert choose_freq(pd.Series(pd.to_datetime(["2023-01-01", "2024-03-01"]))) == "M"
    assert choose_freq(pd.Series([pd.NaT])) is None


def test_periods_start_on_monday_or_the_first():
    dates = pd.Series(pd.to_datetime(["2024-05-08", "2024-05-31", None]))
    assert period_of(dates, "W").tolist()[:2] == ["2024-05-06", "2024-05-27"]
    assert period_of(dates, "M").tolist()[:2] == ["2024-05-01", "2024-05-01"]
    assert pd.isna(period_of(dates, "M").iloc[2])


def test_tone_by_month_counts_articles_and_leaves_undated_out():
    tone = _tone(["2024-01-03", "2024-01-20", "2024-02-02", None], [-0.5, -0.3, 0.4, 0.9])
    summary, n_undated = article_tone_by_period(tone, "M", min_n=2)
    assert n_undated == 1
    jan = summary.set_index("period").loc["2024-01-01"]
    assert jan["n_articles"] == 2 and jan["mean"] < 0 and not jan["small_n"]
    assert bool(summary.set_index("period").loc["2024-02-01", "small_n"])


def test_tone_over_time_draws_one_panel_per_actor_and_a_line_per_outlet():
    tone = _tone(["2024-01-03", "2024-01-20", "2024-02-02", "2024-02-09"], [-0.5, -0.3, 0.4, 0.2],
                 outlets=["A", "B", "A", "B"])
    summary, _ = article_tone_by_period(tone, "M", by=("name", "outlet"), min_n=1)
    fig = tone_over_time(summary, ["Vladimir Putin"], group_col="outlet")
    panel = fig.axes[0]
    assert panel.get_title() == "Vladimir Putin"
    assert sorted(t.get_text() for t in panel.get_legend().get_texts()) == ["A", "B"]
    plt.close(fig)
