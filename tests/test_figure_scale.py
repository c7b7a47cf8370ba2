"""Every figure stays readable from 2 to 100 outlets and 2 to 200 actors.

Synthetic tidy tables of the shape each figure function takes, at 2, 12, 60
and 100 outlets: the PNG never passes ``MAX_PX`` on a side, no axis lists more
than ``MAX_ROWS`` outlets or actors, no legend repeats a colour, and what is
left out is named under the figure.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from PIL import Image

from analysis.show import actor_plots, plots, term_plots
from analysis.show.overview import lengths

OUTLET_COUNTS = (2, 12, 60, 100)
N_ACTORS = 200


def _outlets(n: int) -> list[str]:
    return [f"Outlet {i:03d}" for i in range(n)]


def _actors(n: int = N_ACTORS) -> list[str]:
    return [f"Actor {i:03d}" for i in range(n)]


def _summary(n_outlets: int, weight: str) -> pd.DataFrame:
    rng = np.random.default_rng(n_outlets)
    rows = [(a, o) for a in _actors() for o in _outlets(n_outlets) if rng.random() < 0.3]
    df = pd.DataFrame(rows, columns=["name", "outlet"])
    df[weight] = rng.integers(1, 40, len(df))
    df["mean"] = rng.uniform(-0.6, 0.6, len(df))
    df["ci_low"], df["ci_high"] = df["mean"] - 0.2, df["mean"] + 0.2
    df["small_n"] = df[weight] < 5
    return df


def _articles(n_outlets: int) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    outlets = np.repeat(_outlets(n_outlets), 3)
    return pd.DataFrame({
        "article_id": [f"a{i}" for i in range(len(outlets))], "outlet": outlets,
        "date": pd.to_datetime("2024-01-01") + pd.to_timedelta(rng.integers(0, 300, len(outlets)), unit="D"),
        "n_words": rng.integers(100, 2000, len(outlets)), "n_sentences": 30, "n_body_paragraphs": 10,
        "n_paragraphs": 12,
    })


def _terms(n_outlets: int, value: str) -> pd.DataFrame:
    rows = [(o, f"term{j}", 50 - j) for o in _outlets(n_outlets) for j in range(15)]
    df = pd.DataFrame(rows, columns=["group", "term", "count"])
    df[value] = df["count"] / 10.0
    return df


def _figures(n: int):
    """(name, figure) for every figure function the notebooks call, at ``n`` outlets."""
    articles = _articles(n)
    colors = plots.outlet_colors(articles["outlet"])
    tone = _summary(n, "n").assign(voice="outlet")
    tone = pd.concat([tone, tone.assign(voice="quoted")], ignore_index=True)
    article_tone = _summary(n, "n_articles")
    counts = article_tone.rename(columns={"n_articles": "n"})[["name", "outlet", "n"]]
    stance = pd.DataFrame([(h, t) for h in _actors(40) for t in _actors(40) if h != t][:600],
                          columns=["holder_name", "target_name"])
    stance["n"], stance["n_support"], stance["n_oppose"] = 4, 3, 1
    stance["mean"], stance["small_n"] = 0.5, False
    quoted = pd.DataFrame([(f"Speaker {s}", o, 1 + s % 4) for s in range(80) for o in _outlets(n)[: 1 + s % n]],
                          columns=["speaker", "outlet", "n_quotes"])
    frames = [f"frame_{k}" for k in range(15)]
    shares = pd.DataFrame([(o, f, 30, 0.3, 0.2, 0.4, False) for o in _outlets(n) for f in frames],
                          columns=["outlet", "frame", "n", "share", "ci_low", "ci_high", "small_n"])
    naming = pd.DataFrame([(c, v, o, 3) for c in ("c1", "c2") for v in ("v1", "v2") for o in _outlets(n)],
                          columns=["concept", "variant", "outlet", "count"])
    words = _terms(n, "rate")
    yield "timeline", plots.article_timeline(articles, colors)
    yield "lengths", plots.length_bars(lengths(articles), colors)
    yield "count_heatmap", actor_plots.count_heatmap(counts)
    yield "tone_heatmap", actor_plots.tone_heatmap(tone)
    yield "article_tone_heatmap", actor_plots.article_tone_heatmap(article_tone)
    yield "stance_heatmap", actor_plots.stance_heatmap(stance)
    yield "quoted_bars", actor_plots.quoted_bars(quoted)
    yield "tone_dots", plots.tone_dots(tone[tone["voice"] == "outlet"], _actors(8), colors)
    yield "term_bars", term_plots.term_bars(words, value="rate")
    yield "keyness_bars", term_plots.keyness_bars(_terms(n, "z"))
    clouds = term_plots.word_clouds(words, max_words=20, width=200, height=120)
    yield "word_clouds", term_plots.wordcloud_figure(clouds, all_groups=words["group"].unique())
    yield "frame_shares", term_plots.frame_shares_figure(shares, by="outlet", frames=frames)
    yield "naming", term_plots.naming_figure(naming, ["c1", "c2"], by="outlet")
    over_time = pd.concat([article_tone.assign(period=p) for p in ("2024-01-01", "2024-02-01", "2024-03-01")])
    yield "tone_over_time", actor_plots.tone_over_time(over_time, _actors(20), group_col="outlet")


def _colour(handle) -> tuple:
    """The RGBA colour a legend entry shows (a bar, a scatter's dots or a line)."""
    if hasattr(handle, "get_facecolors") and len(handle.get_facecolors()):
        return tuple(np.round(handle.get_facecolors()[0], 3))
    if hasattr(handle, "get_facecolor"):
        return tuple(np.round(matplotlib.colors.to_rgba(handle.get_facecolor()), 3))
    return tuple(np.round(matplotlib.colors.to_rgba(handle.get_color()), 3))


def _labels(fig) -> int:
    """The most tick labels on any axis of the figure."""
    most = 0
    for ax in fig.axes:
        for axis in (ax.yaxis, ax.xaxis):
            most = max(most, sum(1 for t in axis.get_ticklabels() if t.get_text()))
    return most


@pytest.mark.parametrize("n", OUTLET_COUNTS)
def test_every_figure_stays_within_the_pixel_cap_and_the_row_cap(n):
    for name, fig in _figures(n):
        plots.finish(fig, f"A finding about {n} outlets", "subtitle", "Source: synthetic")
        # save_figure writes the PNG at this size plus what the tight bounding box adds (at most
        # TIGHT_SLACK); drawing 56 figures to check it would take minutes, so one is drawn below.
        px = plots.TIGHT_SLACK * max(fig.get_size_inches()) * plots.png_dpi(fig)
        assert px <= plots.MAX_PX, f"{name} at {n} outlets is {px:.0f} px"
        assert _labels(fig) <= max(plots.MAX_ROWS, plots.MAX_COLUMNS, 15), f"{name} at {n} outlets lists too many"
        legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
        for legend in legends:
            colours = [_colour(h) for h in legend.legend_handles if h is not None]
            assert len(colours) == len(set(colours)), f"{name} at {n} outlets repeats a colour in its legend"
        plt.close(fig)


def test_the_saved_png_stays_under_the_cap_in_the_house_style(tmp_path):
    plots.apply_style()  # a tight bounding box: the source line and an outside legend add to the size
    try:
        fig = plots.tone_dots(_summary(3, "n"), _actors(8), plots.outlet_colors(_outlets(3)))
        fig.set_size_inches(20, 20)  # as a caller that ignored fit() might
        plots.finish(fig, "A long finding-stating title", "subtitle", "Source: synthetic. " * 12)
        paths = plots.save_figure(fig, "big", pd.DataFrame({"x": [1]}), tmp_path, show=False)
        with Image.open(paths["png"]) as image:
            assert max(image.size) <= plots.MAX_PX
            assert max(image.size) > 0.8 * plots.MAX_PX  # lowered to fit, not to a thumbnail
        plt.close(fig)
    finally:
        matplotlib.rcdefaults()


def test_what_a_large_figure_leaves_out_is_named_under_it():
    figures = dict(_figures(100))
    for name in ("timeline", "count_heatmap", "article_tone_heatmap", "term_bars", "frame_shares", "word_clouds"):
        fig = plots.finish(figures[name], "t", "s", "Source: synthetic")
        notes = [t.get_text() for t in fig.texts if "Not shown" in t.get_text()]
        assert notes, f"{name} at 100 outlets does not say what it leaves out"
    fig = plots.finish(figures["article_tone_heatmap"], "t")
    note = next(t.get_text() for t in fig.texts if "Not shown" in t.get_text())
    assert "more outlets" in note and "more actors" in note and "every row is in the CSV" in note
    for fig in figures.values():
        plt.close(fig)


def test_a_small_corpus_loses_nothing_and_keeps_one_colour_per_outlet():
    figures = dict(_figures(2))
    for name in ("timeline", "count_heatmap", "frame_shares", "term_bars"):
        notes = " ".join(getattr(figures[name], "_left_out", []))
        assert "outlet" not in notes and "groups" not in notes, f"{name} leaves an outlet out of 2: {notes}"
    colors = plots.outlet_colors(_outlets(2))
    assert len(set(colors.values())) == 3  # two outlets and "unknown"
    for fig in figures.values():
        plt.close(fig)


def test_tone_dots_never_shows_one_colour_for_two_outlets():
    # 12 outlets in the corpus (one colour for all), 3 in the table: panels with direct labels, no legend.
    colors = plots.outlet_colors(_outlets(12))
    tone = _summary(3, "n")
    fig = plots.tone_dots(tone, _actors(4), colors)
    assert all(ax.get_legend() is None for ax in fig.axes)
    plt.close(fig)


def test_keep_top_ranks_by_weight_then_name():
    kept, note = plots.keep_top(pd.Series({"b": 2, "a": 2, "c": 1, "d": 0}), 2, "outlets")
    assert kept == ["a", "b"]
    assert note == "Not shown: 2 more outlets (c, d); every row is in the CSV."
