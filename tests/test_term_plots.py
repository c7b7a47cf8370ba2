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
