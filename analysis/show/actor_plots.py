"""Figures for notebook 02: actor counts, tone, lexicon agreement, stance, quoted speakers.

Every function takes a tidy table from ``analysis.measure.actors``, ``analysis.measure.tone``,
``analysis.measure.stance`` or ``analysis.measure.quotes`` and returns a matplotlib Figure;
none computes a score or writes a file (``analysis.show.plots.save_figure`` does).
Small cells (``small_n``) are drawn hatched and pale: visible, not hidden.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.show.plots import (
    MAX_BARS,
    MAX_COLUMNS,
    MAX_PANELS,
    MAX_ROWS,
    PALETTE,
    fit,
    keep_top,
    note_left_out,
    outlet_colors,
)

__all__ = ["article_tone_heatmap", "count_heatmap", "lexicon_scatter", "quoted_bars", "stance_heatmap", "tone_heatmap",
           "tone_over_time"]


def _grid(ax, values: pd.DataFrame, labels: pd.DataFrame, cmap: str, vmin: float, vmax: float, faint=None):
    """Draw ``values`` as a heatmap on ``ax`` with a text label per cell; NaN cells stay blank."""
    data = np.ma.masked_invalid(values.to_numpy(dtype=float))
    image = ax.imshow(data, cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
    ax.set_xticks(range(values.shape[1]), values.columns, rotation=30, ha="right")
    ax.set_yticks(range(values.shape[0]), values.index)
    ax.grid(False)
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            text = labels.iat[i, j]
            if isinstance(text, str) and text:
                pale = faint is not None and bool(faint.iat[i, j])
                dark = not pale and abs(float(values.iat[i, j]) - (vmin + vmax) / 2) > 0.6 * (vmax - vmin) / 2
                if pale:  # too few observations: colour washed out and hatched, text dark and legible
                    ax.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor="white", alpha=0.6, lw=0, zorder=2))
                    ax.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="///",
                                               edgecolor="#999999", lw=0, zorder=2))
                ax.text(j, i, text, ha="center", va="center", fontsize=8, zorder=3,
                        color="white" if dark else ("#444444" if pale else "#111111"))
    return image


def _kept(summary: pd.DataFrame, row: str, col: str, weight: str) -> tuple[list, list, list[str]]:
    """The rows (actors) and columns (outlets) a heatmap shows: at most ``MAX_ROWS`` and ``MAX_COLUMNS``,
    those with the most ``weight``, in alphabetical order; and the notes naming the others."""
    rows, row_note = keep_top(summary.groupby(row)[weight].sum(), MAX_ROWS, "actors with fewer mentions")
    cols, col_note = keep_top(summary.groupby(col)[weight].sum(), MAX_COLUMNS, "outlets with fewer observations")
    return sorted(rows, key=str), sorted(cols, key=str), [row_note, col_note]


def _cell_width(n_cols: int) -> float:
    """Inches per heatmap column: room for "mean [low, high] n" up to 6 columns, for "mean n" beyond 12."""
    return 2.0 if n_cols <= 6 else 1.3 if n_cols <= 12 else 0.75


def count_heatmap(counts: pd.DataFrame, row: str = "name", col: str = "outlet", value: str = "n"):
    """Mentions per actor and outlet from a long table (``count_mentions(..., wide=False)``); at most
    ``MAX_ROWS`` actors and ``MAX_COLUMNS`` outlets, the most mentioned, the others named below."""
    rows, cols, notes = _kept(counts, row, col, value)
    table = counts.pivot(index=row, columns=col, values=value).fillna(0).reindex(index=rows, columns=cols)
    table = table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    labels = table.astype(int).astype(str).where(table > 0, "")
    fig, ax = plt.subplots(figsize=fit(2 + min(1.4, _cell_width(table.shape[1])) * table.shape[1],
                                       1 + 0.32 * table.shape[0]))
    for note in notes:
        note_left_out(fig, note)
    image = _grid(ax, table, labels, "Blues", 0, max(1.0, float(table.to_numpy().max())))
    fig.colorbar(image, ax=ax, label="mentions", shrink=0.6)
    ax.set_xlabel("")
    ax.set_ylabel("")
    return fig


def tone_heatmap(summary: pd.DataFrame, row: str = "name", col: str = "outlet"):
    """Mean tone per actor and outlet, one panel per voice (outlet's own words, quoted speech).

    ``summary`` is ``summarize_tone`` output for one measure. Each cell shows
    the mean, its 95% interval (up to 12 columns; in the CSV beyond) and n;
    ``small_n`` cells are hatched. At most ``MAX_ROWS`` actors and
    ``MAX_COLUMNS`` outlets, those with the most mentions.
    """
    voices = [v for v in ("outlet", "quoted") if v in set(summary["voice"])]
    rows, cols, notes = _kept(summary, row, col, "n")
    wide = len(cols) * len(voices)
    fig, axes = plt.subplots(1, len(voices), figsize=fit(3 + _cell_width(wide) * wide, 1.2 + 0.42 * len(rows)),
                             squeeze=False, sharey=True)
    for note in notes:
        note_left_out(fig, note)
    image = None
    for ax, voice in zip(axes[0], voices):
        part = summary[summary["voice"] == voice].set_index([row, col])
        mean = part["mean"].unstack(col).reindex(index=rows, columns=cols)
        interval = ("[" + part["ci_low"].map("{:+.2f}".format) + ", " + part["ci_high"].map("{:+.2f}".format) + "] "
                    if wide <= 12 else "")  # narrow cells: the interval is in the CSV
        label = part["mean"].map("{:+.2f}".format) + "\n" + interval + "n=" + part["n"].astype(str)
        labels = label.unstack(col).reindex(index=rows, columns=cols)
        faint = part["small_n"].unstack(col).reindex(index=rows, columns=cols)
        image = _grid(ax, mean, labels, "RdBu", -0.5, 0.5, faint)
        ax.set_xlabel("outlet's own voice" if voice == "outlet" else "quoted speech", fontsize=12, fontweight="bold")
    if image is not None:
        fig.colorbar(image, ax=list(axes[0]), label="mean tone (-1 negative … +1 positive)", shrink=0.6)
    return fig


def article_tone_heatmap(summary: pd.DataFrame, row: str = "name", col: str = "outlet"):
    """Mean article-level tone per actor and outlet (``summarize_article_tone`` output).

    Each cell shows the mean over articles, its 95% interval (bootstrap over
    articles; up to 12 columns, in the CSV beyond) and the number of articles;
    ``small_n`` cells are hatched. At most ``MAX_ROWS`` actors and
    ``MAX_COLUMNS`` outlets, those with the most articles.
    """
    rows, cols, notes = _kept(summary, row, col, "n_articles")
    fig, ax = plt.subplots(figsize=fit(3 + _cell_width(len(cols)) * len(cols), 1.2 + 0.42 * len(rows)))
    for note in notes:
        note_left_out(fig, note)
    part = summary.set_index([row, col])
    mean = part["mean"].unstack(col).reindex(index=rows, columns=cols)
    interval = ("[" + part["ci_low"].map("{:+.2f}".format) + ", " + part["ci_high"].map("{:+.2f}".format) + "] ")
    interval = interval.where((part["n_articles"] > 1) & (len(cols) <= 12), "")  # one article: no spread
    label = part["mean"].map("{:+.2f}".format) + "\n" + interval + part["n_articles"].astype(str) + " art."
    labels = label.unstack(col).reindex(index=rows, columns=cols)
    faint = part["small_n"].unstack(col).reindex(index=rows, columns=cols)
    image = _grid(ax, mean, labels, "RdBu", -0.5, 0.5, faint)
    fig.colorbar(image, ax=ax, label="article tone (-1 negative … +1 positive)", shrink=0.6)
    return fig


RASTER_POINTS = 5_000  # more dots than this are drawn as an image in SVGs


def lexicon_scatter(comparison: pd.DataFrame):
    """TextBlob polarity against VADER compound per sentence (``compare_lexicons`` output).

    Above ``RASTER_POINTS`` sentences the dots are smaller and fainter, so
    density shows, and drawn as one image inside the SVG: vector dots made
    the SVG of 10,000 articles 39 MB, too big for a slide.
    """
    fig, ax = plt.subplots(figsize=(7, 6))
    many = len(comparison) > RASTER_POINTS
    for agree, color, label in ((True, PALETTE[8], "same label"), (False, PALETTE[5], "different label")):
        part = comparison[comparison["agree"] == agree]
        ax.scatter(part["textblob"], part["vader"], s=6 if many else 28, color=color, alpha=0.3 if many else 0.8,
                   label=f"{label} (n={len(part):,})", rasterized=many)
    ax.axhline(0, color="#999999", lw=0.8)
    ax.axvline(0, color="#999999", lw=0.8)
    ax.plot([-1, 1], [-1, 1], color="#cccccc", lw=0.8, ls="--")
    ax.set_xlim(-1.05, 1.05)
    ax.set_ylim(-1.05, 1.05)
    ax.set_xlabel("TextBlob polarity")
    ax.set_ylabel("VADER compound")
    ax.legend(loc="lower right")
    return fig


def stance_heatmap(stance_summary: pd.DataFrame, holder: str = "holder_name", target: str = "target_name"):
    """Net stance holder (rows) -> target (columns) from ``summarize_stance``; each cell shows support/opposition counts."""
    holders, holder_note = keep_top(stance_summary.groupby(holder)["n"].sum(), MAX_ROWS, "holders")
    targets, target_note = keep_top(stance_summary.groupby(target)["n"].sum(), MAX_COLUMNS, "targets")
    table = stance_summary[stance_summary[holder].isin(holders) & stance_summary[target].isin(targets)]
    table = table.set_index([holder, target])
    mean = table["mean"].unstack(target)
    labels = (table["mean"].map("{:+.1f}".format) + "\n+" + table["n_support"].astype(str) + " / −"
              + table["n_oppose"].astype(str)).unstack(target).reindex_like(mean)
    faint = table["small_n"].unstack(target).reindex_like(mean)
    # Wide enough for a finding-length title; the colour scale says its ends in words.
    fig, ax = plt.subplots(figsize=fit(max(9.0, 2.5 + 1.3 * mean.shape[1]), max(3.5, 1.5 + 0.5 * mean.shape[0])))
    note_left_out(fig, holder_note)
    note_left_out(fig, target_note)
    image = _grid(ax, mean, labels, "RdBu", -1, 1, faint)
    bar = fig.colorbar(image, ax=ax, label="net stance", shrink=0.8)
    bar.set_ticks([-1, 0, 1], labels=["−1 opposes", "0", "+1 supports"])
    ax.set_xlabel("target")
    ax.set_ylabel("holder")
    return fig


def quoted_bars(quoted: pd.DataFrame, by: str = "outlet", value: str = "n_quotes", max_bars: int = MAX_BARS):
    """Who is quoted: horizontal bars of quotations per speaker, one colour per outlet (``quoted_speakers`` output).

    At most ``max_bars`` speakers, the most quoted; the axis says when some are left out. With more
    outlets than the palette has colours, one bar per speaker for all outlets together.
    """
    table = quoted.pivot_table(index="speaker", columns=by, values=value, aggfunc="sum", fill_value=0)
    n_speakers = len(table)
    table = table.loc[table.sum(axis=1).sort_values(kind="stable").index[-max_bars:]]
    if table.shape[1] > len(PALETTE):  # a colour per outlet would repeat: totals, outlets in the CSV
        table = table.sum(axis=1).to_frame(f"all {table.shape[1]} {by}s")
    colors = outlet_colors(table.columns)
    fig, ax = plt.subplots(figsize=fit(9, 1 + 0.35 * len(table)))
    left = np.zeros(len(table))
    for outlet in table.columns:
        ax.barh(table.index, table[outlet], left=left, color=colors[str(outlet)], label=str(outlet))
        left += table[outlet].to_numpy()
    label = value.replace("_", " ")
    ax.set_xlabel(label if len(table) == n_speakers else f"{label} ({len(table)} most quoted of {n_speakers} speakers)")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right", fontsize=9)
    return fig


def tone_over_time(summary: pd.DataFrame, actors: list[str], group_col: str | None = None, period: str = "period"):
    """Article tone toward each actor by period: one panel per actor (at most ``MAX_PANELS``), the mean per
    period as a line with its 95% interval as a band, hollow dots where ``small_n``.

    ``summary`` is ``article_tone_by_period`` output (``name``, ``period``, ``mean``, ``ci_low``, ``ci_high``,
    ``n_articles``, ``small_n``; and ``group_col`` when given: then one line per group, at most as many as the
    palette has colours, those with the most articles, the others named below).
    """
    actors, actor_note = keep_top(pd.Series(range(len(actors), 0, -1), index=actors), MAX_PANELS, "actors")
    data = summary[summary["name"].isin(actors)].assign(_x=lambda t: pd.to_datetime(t[period]))
    groups, group_note = ([None], "")
    if group_col:
        groups, group_note = keep_top(data.groupby(group_col)["n_articles"].sum(), len(PALETTE),
                                      f"{group_col}s with fewer articles")
    colors = outlet_colors(groups) if group_col else {None: PALETTE[0]}
    ncols = min(3, max(len(actors), 1))
    nrows = -(-max(len(actors), 1) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=fit(5.0 * ncols, 0.8 + 2.8 * nrows), squeeze=False,
                             sharex=True, sharey=True)
    for ax, actor in zip(axes.flat, actors):
        for group in groups:
            part = data[data["name"] == actor]
            if group_col:
                part = part[part[group_col] == group]
            part = part.sort_values("_x")
            if part.empty:
                continue
            color = colors[group if group is not None else None] if group_col else PALETTE[0]
            ax.fill_between(part["_x"], part["ci_low"], part["ci_high"], color=color, alpha=0.15, lw=0)
            ax.plot(part["_x"], part["mean"], color=color, lw=1.5, label=str(group) if group_col else None)
            small = part["small_n"].astype(bool).to_numpy()
            ax.scatter(part["_x"][~small], part["mean"][~small], color=color, s=18, zorder=3)
            ax.scatter(part["_x"][small], part["mean"][small], facecolor="white", edgecolor=color, s=18, zorder=3)
        ax.axhline(0, color="#888888", lw=0.8)
        ax.set_title(str(actor), fontsize=11)
        ax.set_ylim(-1, 1)
    for ax in list(axes.flat)[len(actors):]:
        ax.set_visible(False)
    if group_col:
        axes.flat[0].legend(fontsize=8, loc="lower left")
    fig.supylabel("article tone (−1 … +1)", fontsize=10)
    fig.autofmt_xdate()
    note_left_out(fig, actor_note)
    return note_left_out(fig, group_note)
