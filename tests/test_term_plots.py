"""Tests for analysis/show/term_plots.py: the per-outlet article-frame figure."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from analysis.count import frames
from analysis.show import plots, term_plots


def shares_of(n_outlets):
    texts, outlets = [], []
    for k in range(n_outlets):
        texts += ["Protesters clashed with police and critics accused the mayor.", "The budget will cost millions."]
        outlets += [f"outlet {k:02d}"] * 2
    p = pd.DataFrame({"article_id": [f"a{i}" for i in range(len(texts))], "paragraph": 0, "outlet": outlets,
                      "text": texts, "kind": "body"})
    found = pd.concat([frames.article_frames(p, method=m) for m in frames.ARTICLE_METHODS], ignore_index=True)
    return frames.article_frame_shares(found)


def test_article_frames_figure_has_one_panel_per_frame_and_one_row_per_outlet():
    shares = shares_of(25)
    fig = term_plots.article_frames_figure(shares, method="dictionary")
    panels = [ax for ax in fig.axes if ax.get_visible() and ax.get_title()]
    assert [ax.get_title() for ax in panels] == [f.replace("_", " ") for f in dict.fromkeys(
        shares.loc[shares["method"] == "dictionary", "frame"])]
    labels = [t.get_text() for t in panels[0].get_yticklabels()]
    assert len(labels) == 25 and labels[0] == "outlet 00 (2)" and labels[-1] == "outlet 24 (2)"
    assert fig.get_size_inches()[1] > 6  # grows with the outlets instead of squeezing them
    many = term_plots.article_frames_figure(shares_of(50), method="classifier")
    labels = [t.get_text() for t in many.axes[1].get_yticklabels()]
    assert len(labels) == plots.MAX_ROWS and labels == sorted(labels)  # the rest named under the figure
    assert "20 more outlets" in " ".join(getattr(many, "_left_out", []))


def test_article_frames_figure_asks_which_method():
    with pytest.raises(ValueError, match="method"):
        term_plots.article_frames_figure(shares_of(2))


def test_the_word_cloud_svg_is_vector_text_one_titled_cloud_per_outlet(tmp_path):
    import xml.etree.ElementTree as ET

    from analysis.show import plots, term_plots

    table = pd.DataFrame({"group": ["Folha", "Folha", "Folha", "Kyiv Post", "Kyiv Post"],
                          "term": ["são_paulo", "metro", "rain", "grain", "kyiv"], "count": [5, 3, 1, 4, 2]})
    clouds = term_plots.word_clouds(table, width=240, height=140, stopwords=())
    svg = term_plots.clouds_svg(clouds, all_groups=["Folha", "Kyiv Post", "Empty Outlet"])
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"Folha", "Kyiv Post"} <= set(texts)  # the titles
    assert {"são paulo", "metro", "rain", "grain", "kyiv"} <= set(texts)  # every word a text element
    assert "Not drawn: Empty Outlet." in texts
    assert "<image" not in svg and "base64" not in svg
    assert root.get("width") == str(2 * 240 + 16)
    fig = term_plots.wordcloud_figure(clouds)
    paths = plots.save_figure(fig, "clouds", table, tmp_path, show=False, svg=svg)
    assert paths["svg"].read_text(encoding="utf-8") == svg and paths["png"].stat().st_size > 1000
