"""Bootstrap intervals, grouped summaries, and the figure helpers."""

import math

import matplotlib.pyplot as plt
import pandas as pd

from analysis.measure.stats import bootstrap_ci, summarize
from analysis.show import actor_plots, plots
from analysis.show.plots import outlet_colors, save_figure


def test_bootstrap_interval_contains_the_mean_and_is_seeded():
    values = [0.1, 0.4, -0.2, 0.3, 0.0, 0.5, 0.2]
    low, high = bootstrap_ci(values)
    mean = sum(values) / len(values)
    assert low < mean < high
    assert (low, high) == bootstrap_ci(values)
    assert high - low < 0.5


def test_bootstrap_edge_cases():
    assert all(math.isnan(x) for x in bootstrap_ci([]))
    assert bootstrap_ci([0.7]) == (0.7, 0.7)


def test_wider_interval_for_fewer_observations():
    few = bootstrap_ci([1, -1, 1, -1])
    many = bootstrap_ci([1, -1] * 50)
    assert few[1] - few[0] > many[1] - many[0]


def test_summarize_counts_means_and_flags_small_cells():
    df = pd.DataFrame({
        "outlet": ["A"] * 6 + ["B"] * 2,
        "tone": [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, -1.0, None],
    })
    table = summarize(df, "outlet", "tone", min_n=5).set_index("outlet")
    assert table.loc["A", "n"] == 6 and table.loc["A", "mean"] == 0.5
    assert table.loc["B", "n"] == 1  # the missing value is not counted
    assert not table.loc["A", "small_n"] and table.loc["B", "small_n"]
    assert list(table.columns) == ["measure", "n", "mean", "ci_low", "ci_high", "small_n"]


def test_outlet_colours_are_distinct_and_independent_of_row_order():
    outlets = ["The Guardian", "Daily Sabah", "News1 Global", "The Guardian", "unknown"]
    colors = outlet_colors(outlets)
    assert set(colors) == {"The Guardian", "Daily Sabah", "News1 Global", "unknown"}
    assert len(set(colors.values())) == 4
    assert colors == outlet_colors(reversed(outlets))


def test_save_figure_writes_png_svg_and_csv(tmp_path):
    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [1, 2])
    data = pd.DataFrame({"label": ["a", "b"], "value": [1, 2]})
    paths = save_figure(fig, "demo", data, tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["demo.csv", "demo.png", "demo.svg"]
    assert pd.read_csv(paths["csv"]).equals(data)
    assert paths["png"].read_bytes()[:4] == b"\x89PNG"
    plt.close(fig)


def test_in_a_notebook_save_figure_shows_the_saved_png_halved_and_closes_the_figure(tmp_path, monkeypatch):
    import base64
    import io

    import IPython.display
    from PIL import Image

    shown = []
    monkeypatch.setattr(plots, "_inline_backend", lambda: True)
    monkeypatch.setattr(IPython.display, "display", lambda data, raw: shown.append(data))
    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [1, 2])
    paths = save_figure(fig, "demo", pd.DataFrame({"v": [1, 2]}), tmp_path)
    assert not plt.fignum_exists(fig.number)  # the inline backend will not draw it again
    [image] = shown
    saved = Image.open(paths["png"]).size
    assert Image.open(io.BytesIO(base64.b64decode(image["image/png"]))).size == (saved[0] // 2, saved[1] // 2)
    assert "demo" in image["text/plain"]

    fig, ax = plt.subplots()
    save_figure(fig, "kept", pd.DataFrame({"v": [1]}), tmp_path, show=False)
    assert plt.fignum_exists(fig.number) and len(shown) == 1
    plt.close(fig)


def test_summarize_intervals_equal_bootstrap_ci_of_each_group():
    import numpy as np

    rng = np.random.default_rng(3)
    df = pd.DataFrame({"g": rng.integers(0, 200, 1500), "v": rng.normal(size=1500)})
    df.loc[df["g"] < 20, "v"] = rng.integers(0, 2, int((df["g"] < 20).sum()))  # some 0/1 groups
    table = summarize(df, "g", "v", n_boot=500)
    expected = [bootstrap_ci(group["v"], n_boot=500) for _, group in df.groupby("g")]
    assert list(zip(table["ci_low"], table["ci_high"])) == expected


def _lengths(n: int) -> pd.DataFrame:
    outlets = ["A", "B", "C"]
    return pd.DataFrame({"article_id": [f"a{i:03d}" for i in range(n)], "outlet": [outlets[i % 3] for i in range(n)],
                         "n_words": [100 + 7 * i for i in range(n)]})


def test_length_bars_one_bar_per_article_until_too_many_then_one_box_per_outlet():
    few = plots.length_bars(_lengths(6), plots.outlet_colors(["A", "B", "C"]))
    assert len(few.axes[0].patches) == 6
    many = plots.length_bars(_lengths(200), plots.outlet_colors(["A", "B", "C"]))
    labels = [t.get_text() for t in many.axes[0].get_yticklabels()]
    assert sorted(labels) == ["A (n=67)", "B (n=67)", "C (n=66)"]
    plt.close("all")


def test_kind_bars_shows_the_articles_with_most_furniture_when_there_are_many():
    n = 40
    kinds = pd.DataFrame({"article_id": [f"a{i:02d}" for i in range(n)], "body": [10] * n,
                          "byline": [i % 7 for i in range(n)]})
    kinds["total"] = kinds["body"] + kinds["byline"]
    fig = plots.kind_bars(kinds, max_bars=5)
    shown = {t.get_text() for t in fig.axes[0].get_yticklabels()}
    assert shown == {"a06", "a13", "a20", "a27", "a34"}  # byline 6, the most
    assert "5 of 40 articles" in fig.axes[0].get_xlabel()
    plt.close("all")


def test_quoted_bars_keeps_the_most_quoted_speakers():
    quoted = pd.DataFrame({"speaker": [f"s{i}" for i in range(10)], "outlet": "A", "n_quotes": list(range(1, 11))})
    fig = actor_plots.quoted_bars(quoted, max_bars=3)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["s7", "s8", "s9"]
    assert "3 most quoted of 10 speakers" in fig.axes[0].get_xlabel()
    plt.close("all")


def test_a_large_lexicon_scatter_is_an_image_inside_the_svg(tmp_path):
    import numpy as np

    rng = np.random.default_rng(0)
    n = actor_plots.RASTER_POINTS + 1
    comparison = pd.DataFrame({"textblob": rng.uniform(-1, 1, n), "vader": rng.uniform(-1, 1, n)})
    comparison["agree"] = np.sign(comparison["textblob"]) == np.sign(comparison["vader"])
    sizes = {}
    for name, table in (("small", comparison.head(500)), ("large", comparison)):
        fig = actor_plots.lexicon_scatter(table)
        assert all(c.get_rasterized() == (name == "large") for c in fig.axes[0].collections)
        sizes[name] = save_figure(fig, name, table, tmp_path)["svg"].stat().st_size
        plt.close(fig)
    # Vector dots grow the SVG with n (~250 bytes each); the image does not.
    assert sizes["large"] < 2 * sizes["small"]


def test_summarize_with_a_memo_reuses_intervals_of_unchanged_groups_exactly():
    import numpy as np

    rng = np.random.default_rng(1)
    df = pd.DataFrame({"g": np.repeat(["a", "b", "c"], [40, 7, 300]), "v": rng.normal(size=347)})
    plain = summarize(df, "g", "v")
    memo: dict = {}
    pd.testing.assert_frame_equal(summarize(df, "g", "v", memo=memo), plain, check_exact=True)
    assert len(memo) == 3
    # The memo is read: a planted interval for group a comes back as it is.
    (key_a,) = [k for k, v in memo.items() if v == tuple(plain.loc[plain["g"] == "a", ["ci_low", "ci_high"]].iloc[0])]
    memo[key_a] = (-9.0, 9.0)
    assert summarize(df, "g", "v", memo=memo).loc[0, ["ci_low", "ci_high"]].tolist() == [-9.0, 9.0]
    memo[key_a] = tuple(plain.loc[0, ["ci_low", "ci_high"]])
    # One group changes: it gets a new entry and its own fresh interval; the result is as without a memo.
    changed = df.assign(v=np.where(df["g"] == "b", df["v"] + 1.0, df["v"]))
    pd.testing.assert_frame_equal(summarize(changed, "g", "v", memo=memo), summarize(changed, "g", "v"),
                                  check_exact=True)
    assert len(memo) == 4
    # Other resampling settings are other keys.
    summarize(df, "g", "v", memo=memo, n_boot=500)
    assert len(memo) == 7
