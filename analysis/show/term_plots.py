"""Figures for terms, keyness, frames and naming: tidy tables in, matplotlib Figures out.

Companion to ``analysis.show.plots`` (house style, outlet colours, ``finish`` and
``save_figure``) for notebooks 03 and 04. Nothing here computes a score or
writes a file: pass the tables from ``analysis.count.terms``, ``analysis.count.frames``
and ``analysis.count.naming``, then save with ``plots.save_figure``.

Word clouds are drawn with the ``wordcloud`` package from the counts of a
term table (so they use the same tokenizer and stopword list), with
``collocations=False`` (terms are taken as counted, never re-paired) and a
fixed ``random_state`` (the same table always gives the same picture). The
Figure embeds each cloud as an image (the PNG); ``clouds_svg`` draws the
same clouds as one vector SVG, every word a ``<text>`` (what ``save_figure``
writes as the SVG when given it).
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from wordcloud import WordCloud

from analysis.count.terms import load_stopwords
from analysis.show.plots import (
    MAX_PANELS,
    MAX_ROWS,
    PALETTE,
    fit,
    keep_top,
    note_left_out,
    outlet_colors,
)

__all__ = [
    "article_frames_figure",
    "frame_shares_figure",
    "keyness_bars",
    "naming_figure",
    "term_bars",
    "clouds_svg",
    "word_clouds",
    "wordcloud_figure",
]


def _grid(n: int, ncols: int, width: float, height: float):
    """A figure of ``n`` panels, plus a blank header row on top.

    ``plots.finish`` writes the subtitle above such a header (first, axis
    off), so it never covers the first panel's own title.
    """
    ncols = max(1, min(ncols, n))
    nrows = max(1, math.ceil(n / ncols))
    fig = plt.figure(figsize=fit(width * ncols, height * nrows + 0.4))
    grid = fig.add_gridspec(nrows + 1, ncols, height_ratios=[0.001] + [1.0] * nrows)
    header = fig.add_subplot(grid[0, :])
    header.axis("off")
    axes = [fig.add_subplot(grid[1 + i // ncols, i % ncols]) for i in range(nrows * ncols)]
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes


def _top_groups(table: pd.DataFrame, group: str, value: str) -> tuple[list, str]:
    """At most ``MAX_PANELS`` groups: those with the most words counted (``count``, else ``value``)."""
    weight = "count" if "count" in table else value
    kept, note = keep_top(table.groupby(group)[weight].sum(), MAX_PANELS, "groups with fewer words")
    return sorted(kept, key=str), note


def term_bars(table: pd.DataFrame, value: str = "rate", n: int = 10, ncols: int = 3, group: str = "group"):
    """Small multiples: the top ``n`` terms of each group by ``value``, as horizontal bars.

    ``table`` is ``term_table`` output (or any table with ``group``, ``term``
    and ``value``). Bars take the group's outlet colour; each is labelled with
    its value (rates to one decimal). At most ``MAX_PANELS`` groups, those
    with the most words; the others are named under the figure.
    """
    groups, note = _top_groups(table, group, value)
    colors = outlet_colors(table[group].dropna().unique())
    fig, axes = _grid(len(groups), ncols, 4.2, 0.32 * n + 1.2)
    note_left_out(fig, note)
    for ax, name in zip(axes, groups):
        part = table[table[group] == name].sort_values([value, "term"], ascending=[False, True]).head(n).iloc[::-1]
        bars = ax.barh(part["term"].astype(str), part[value], color=colors[str(name)])
        ax.bar_label(bars, fmt="%.1f" if part[value].dtype.kind == "f" else "%d", padding=2, fontsize=9)
        ax.set_title(str(name), fontsize=12)
        ax.set_xlabel(value.replace("_", " "))
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", labelsize=10)
    return fig


def keyness_bars(table: pd.DataFrame, n: int = 10, ncols: int = 3, group: str = "group"):
    """Small multiples: the ``n`` most distinctive terms of each group (highest z), as bars of z.

    ``table`` is ``keyness`` output. A dashed line marks z = 1.96.
    """
    fig = term_bars(table, value="z", n=n, ncols=ncols, group=group)
    for ax in fig.axes[1:]:
        if ax.get_visible():
            ax.axvline(1.96, color="#666666", linestyle="--", linewidth=1)
            ax.set_xlabel("z (log-odds, informative prior)")
    return fig


def word_clouds(
    table: pd.DataFrame,
    value: str = "count",
    max_words: int = 80,
    group: str = "group",
    width: int = 600,
    height: int = 340,
    random_state: int = 0,
    stopwords=None,
) -> dict[str, WordCloud]:
    """One ``WordCloud`` per group, sized by ``value`` from a term table.

    Terms keep their tokenizer form except that underscores show as spaces
    ("north_korea" is drawn "north korea"). ``stopwords`` (default: the
    project list, as in the term tables) are dropped from the frequencies and
    given to ``WordCloud``. Each cloud is drawn in its outlet's colour.
    Returns ``{group: WordCloud}``; groups without terms are left out, and at
    most ``MAX_PANELS`` groups are drawn, those with the most words
    (``wordcloud_figure(clouds, all_groups=...)`` names the others).
    """
    stop = load_stopwords() if stopwords is None else frozenset(stopwords)
    groups, _note = _top_groups(table, group, value)
    colors = outlet_colors(table[group].dropna().unique())
    clouds = {}
    for name in groups:
        part = table[(table[group] == name) & ~table["term"].isin(stop) & (table[value] > 0)]
        freqs = dict(zip(part["term"].astype(str).str.replace("_", " "), part[value].astype(float)))
        if not freqs:
            continue
        color = colors[str(name)]
        cloud = WordCloud(
            width=width, height=height, background_color="white", collocations=False,
            random_state=random_state, max_words=max_words, stopwords=set(stop),
            color_func=lambda *args, _c=color, **kwargs: _c, prefer_horizontal=0.9,
        )
        clouds[str(name)] = cloud.generate_from_frequencies(freqs)
    return clouds


def wordcloud_figure(clouds: dict[str, WordCloud], ncols: int = 2, all_groups=None):
    """A Figure with one panel per word cloud (from ``word_clouds``), titled with the group.

    ``all_groups`` (every group of the term table) lets the figure name those without a cloud."""
    fig, axes = _grid(len(clouds), max(ncols, 3 if len(clouds) > 6 else ncols), 6.0, 3.8)
    if all_groups is not None:
        missing = sorted(set(map(str, all_groups)) - set(clouds))
        note_left_out(fig, keep_top(pd.Series(0, index=[*clouds, *missing]), len(clouds), "groups")[1])
    for ax, (name, cloud) in zip(axes, clouds.items()):
        ax.imshow(cloud.to_array(), interpolation="bilinear")
        ax.set_title(name, fontsize=12)
        ax.axis("off")
    return fig


def clouds_svg(clouds: dict[str, WordCloud], ncols: int = 2, all_groups=None) -> str:
    """The word clouds of ``word_clouds`` as one vector SVG: every word a ``<text>``, each cloud titled.

    The same layout as ``wordcloud_figure`` (its columns, its note of the
    groups left out), for print: the words stay text, searchable and sharp
    at any size. Each cloud's words are placed as ``wordcloud`` placed them
    for its own font (Droid Sans Mono, shipped with wordcloud): a viewer without a
    monospace font draws them in another and they may touch.
    """
    from html import escape

    ncols = max(1, min(max(ncols, 3 if len(clouds) > 6 else ncols), len(clouds) or 1))
    names = list(clouds)
    width = max((c.width for c in clouds.values()), default=600)
    height = max((c.height for c in clouds.values()), default=340)
    title_h, gap = 30, 16
    nrows = max(1, math.ceil(len(names) / ncols))
    parts = []
    for i, name in enumerate(names):
        x, y = (i % ncols) * (width + gap), (i // ncols) * (height + title_h + gap)
        inner = clouds[name].to_svg(embed_font=False)
        inner = inner[inner.index(">", inner.index("<svg")) + 1: inner.rindex("</svg>")]
        inner = "\n".join(line for line in inner.split("\n") if not line.startswith(("<style>", "<rect")))
        parts.append(f'<text x="{x + width / 2:.0f}" y="{y + 20}" class="title">{escape(str(name))}</text>\n'
                     f'<g transform="translate({x},{y + title_h})">{inner}</g>')
    total_h = nrows * (height + title_h + gap)
    if all_groups is not None:
        missing = sorted(set(map(str, all_groups)) - set(clouds))
        if missing:
            shown = ", ".join(missing[:12]) + (f" and {len(missing) - 12} more" if len(missing) > 12 else "")
            parts.append(f'<text x="0" y="{total_h + 4}" class="note">Not drawn: {escape(shown)}.</text>')
            total_h += 20
    total_w = ncols * (width + gap) - gap
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_w}" height="{total_h}" '
            f'viewBox="0 0 {total_w} {total_h}">\n'
            "<style>text{font-family:'Droid Sans Mono','DejaVu Sans Mono',monospace;}"
            " .title{font-family:'DejaVu Sans',sans-serif;font-size:16px;text-anchor:middle;fill:#222;}"
            " .note{font-family:'DejaVu Sans',sans-serif;font-size:12px;fill:#555;}</style>\n"
            f'<rect width="100%" height="100%" fill="white"/>\n' + "\n".join(parts) + "\n</svg>\n")


def frame_shares_figure(shares: pd.DataFrame, by: str = "outlet", frames=None):
    """Dot-and-interval chart: share of paragraphs showing each frame, one colour per group.

    ``shares`` is ``frame_shares`` output. Frames run down the y axis (in
    ``frames`` order if given); each group is a dot at its share with its 95%
    interval as a line; hollow dots mark ``small_n`` cells. With more groups
    than the palette has colours: one panel per frame (at most
    ``MAX_PANELS``), the groups named down the side (at most ``MAX_ROWS``).
    """
    frames = list(frames) if frames is not None else sorted(shares["frame"].unique())
    groups = sorted(shares[by].unique(), key=str)
    if len(groups) > len(PALETTE):
        return _frame_share_panels(shares, by, frames)
    colors = outlet_colors(groups)
    fig, ax = plt.subplots(figsize=fit(9, 0.45 * len(frames) * max(1, len(groups) / 3) + 1.5))
    step = 0.8 / max(1, len(groups))
    position = {f: i for i, f in enumerate(frames[::-1])}
    for j, name in enumerate(groups):
        part = shares[(shares[by] == name) & shares["frame"].isin(frames)]
        y = part["frame"].map(position).to_numpy(dtype=float) + 0.4 - step * (j + 0.5)  # first group on top, as in the legend
        color = colors[str(name)]
        ax.hlines(y, part["ci_low"], part["ci_high"], color=color, linewidth=2, alpha=0.7)
        small = part["small_n"].to_numpy(dtype=bool)
        ax.scatter(part["share"][~small], y[~small], color=color, zorder=3, label=str(name), s=28)
        ax.scatter(part["share"][small], y[small], facecolors="white", edgecolors=color, zorder=3, s=28)
    ax.set_yticks(range(len(frames)), [f.replace("_", " ") for f in frames[::-1]])
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("share of body paragraphs with at least one cue (95% bootstrap interval)")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9)
    return fig


def _frame_share_panels(shares: pd.DataFrame, by: str, frames: list):
    frames, frame_note = keep_top(pd.Series(range(len(frames), 0, -1), index=frames), MAX_PANELS, "frames")
    shown = shares[shares["frame"].isin(frames)]
    groups, group_note = keep_top(shown.groupby(by)["n"].max(), MAX_ROWS, f"{by}s with fewer paragraphs")
    fig, axes = _grid(len(frames), 4, 3.6, 0.8 + 0.26 * len(groups))
    note_left_out(fig, frame_note)
    note_left_out(fig, group_note)
    panels = [ax for ax in axes if ax.get_visible()]
    for i, (ax, frame) in enumerate(zip(panels, frames)):
        part = shown[shown["frame"] == frame].set_index(by).reindex(groups).dropna(subset=["share"])
        y = np.array([groups.index(g) for g in part.index], dtype=float)
        ax.hlines(y, part["ci_low"], part["ci_high"], color=PALETTE[0], linewidth=2, alpha=0.7)
        small = part["small_n"].to_numpy(dtype=bool)
        ax.scatter(part["share"][~small], y[~small], color=PALETTE[0], zorder=3, s=22)
        ax.scatter(part["share"][small], y[small], facecolors="white", edgecolors=PALETTE[0], zorder=3, s=22)
        ax.set_title(str(frame).replace("_", " "), fontsize=11)
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(len(groups) - 0.5, -0.5)
        ax.set_yticks(range(len(groups)), groups if i % 4 == 0 else [""] * len(groups), fontsize=8)
        ax.grid(axis="y", visible=False)
    fig.supxlabel("share of body paragraphs with at least one cue (95% bootstrap interval)", fontsize=10)
    return fig


def article_frames_figure(shares: pd.DataFrame, by: str = "outlet", method: str | None = None, frames=None):
    """Small multiples, one panel per frame: each group's share of articles carrying it, with its interval.

    ``shares`` is ``article_frame_shares`` output (``method`` picks one method's rows when it holds both).
    Groups run down every panel, one row each, sorted A-Z and labelled with their article counts; past
    ``MAX_ROWS`` groups the ones with most articles are drawn and the others named under the figure
    (``note_left_out``), so 50 or 100 outlets stay readable. A dot marks the share, a line its 95% Wilson
    interval over articles, a hollow dot a ``small_n`` group.
    """
    if method is not None:
        shares = shares[shares["method"] == method]
    elif shares["method"].nunique() > 1:
        raise ValueError("shares holds several methods: pass method=")
    frames = list(frames) if frames is not None else list(dict.fromkeys(shares["frame"]))
    counts = shares.groupby(by)["n_articles"].max()
    kept, note = keep_top(counts, MAX_ROWS, f"{by}s with fewer articles")
    groups = sorted(kept, key=lambda g: (str(g).casefold(), str(g)))
    fig, axes = _grid(len(frames), len(frames), 2.3, 0.24 * len(groups) + 1.0)
    fig.set_size_inches(*fit(*fig.get_size_inches()))
    note_left_out(fig, note)
    y = {g: i for i, g in enumerate(groups)}
    for k, (ax, frame) in enumerate(zip(axes, frames)):
        part = shares[(shares["frame"] == frame) & shares[by].isin(groups)]
        rows = part[by].map(y).to_numpy(dtype=float)
        ax.hlines(rows, part["ci_low"], part["ci_high"], color=PALETTE[0], linewidth=1.5, alpha=0.6)
        small = part["small_n"].to_numpy(dtype=bool)
        ax.scatter(part["share"][~small], rows[~small], color=PALETTE[0], zorder=3, s=18)
        ax.scatter(part["share"][small], rows[small], facecolors="white", edgecolors=PALETTE[0], zorder=3, s=18)
        ax.set_yticks(range(len(groups)), [f"{g} ({counts.get(g, 0)})" for g in groups] if k == 0 else [""] * len(groups))
        ax.set_ylim(len(groups) - 0.5, -0.5)
        ax.set_xlim(-0.02, 1.02)
        ax.set_xticks([0, 0.5, 1], ["0", "½", "1"])
        ax.set_title(frame.replace("_", " "), fontsize=11)
        ax.grid(axis="y", visible=False)
    axes[0].set_xlabel("share of articles (95% Wilson interval); (n) articles", loc="left")
    return fig


def naming_figure(table: pd.DataFrame, concepts, by: str = "outlet", ncols: int = 2):
    """Small multiples, one per concept: stacked bars of how often each group uses each variant.

    ``table`` is ``naming_table`` output. Variants keep one colour across
    panels of the same concept; segments are labelled with their counts, and
    groups that never name the concept show an empty bar.
    """
    concepts = list(concepts)
    kept, note = keep_top(table.groupby(by)["count"].sum(), MAX_ROWS, f"{by}s that name these less")
    groups = sorted(kept, key=str)
    fig, axes = _grid(len(concepts), ncols, 6.4, max(2.8, 0.8 + 0.22 * len(groups)))
    note_left_out(fig, note)
    for ax, concept in zip(axes, concepts):
        part = table[table["concept"] == concept]
        wide = part.pivot_table(index=by, columns="variant", values="count", aggfunc="sum", fill_value=0)
        wide = wide.reindex(groups, fill_value=0)
        wide = wide[wide.sum().sort_values(ascending=False).index]
        left = np.zeros(len(wide))
        for k, variant in enumerate(wide.columns):
            values = wide[variant].to_numpy(dtype=float)
            if values.sum() == 0:
                continue
            bars = ax.barh(wide.index.astype(str), values, left=left, color=PALETTE[k % len(PALETTE)], label=str(variant))
            ax.bar_label(bars, labels=[f"{int(v)}" if v else "" for v in values], label_type="center", fontsize=8, color="white")
            left += values
        ax.set_title(concept.replace("_", " "), fontsize=12)
        ax.set_xlabel("occurrences in body text")
        ax.grid(axis="y", visible=False)
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        ax.invert_yaxis()
    return fig
