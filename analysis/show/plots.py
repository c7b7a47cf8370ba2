"""Figures for briefings: one style, one colour per outlet, one way to save.

Plotting functions take a tidy table and return a matplotlib ``Figure``; they
never compute scores and never write files. ``save_figure`` is the one helper
that writes a figure (PNG for slides, SVG for print) together with the CSV of
the data it plots, all under the same name.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd

from analysis.outputs import atomic_path, neutralize_formulas

__all__ = [
    "MAX_PX",
    "STYLE",
    "apply_style",
    "article_timeline",
    "bar_counts",
    "corpus_subtitle",
    "finish",
    "fit",
    "keep_top",
    "png_dpi",
    "kind_bars",
    "length_bars",
    "note_left_out",
    "outlet_colors",
    "save_figure",
    "tone_dots",
]

# Readable on a slide: large type, no chart junk, a light grid for reading values.
STYLE = {
    "figure.figsize": (9, 5),
    "figure.dpi": 100,
    "figure.constrained_layout.use": True,
    "savefig.dpi": 200,
    "savefig.bbox": "tight",
    "font.size": 12,
    "axes.titlesize": 15,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 12,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.frameon": False,
    "svg.hashsalt": "analysis",  # stable SVG ids, so reruns give identical files
    "svg.fonttype": "none",
    # Labels are outlets', actors' and words' names: "$" is a dollar, never the start of
    # mathtext (an outlet named "Money$" crashed the renderer).
    "text.parse_math": False,
}

# Colour-blind-safe palette (Okabe & Ito); an outlet keeps its colour in every figure.
PALETTE = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9",
    "#D55E00", "#F0E442", "#000000", "#882255", "#44AA99",
]


# Figures that stay readable from 2 to 100 outlets and 2 to 200 actors: no PNG side over MAX_PX pixels,
# no figure over MAX_INCHES, at most MAX_ROWS rows (outlets or actors) and MAX_PANELS small multiples;
# what is left out is named under the figure (``note_left_out``), and every row is in the CSV.
MAX_PX = 4000
MAX_INCHES = (16.0, 19.0)
MAX_ROWS = 30
MAX_COLUMNS = 20
MAX_PANELS = 12
DPI = 200


def fit(width: float, height: float) -> tuple[float, float]:
    """``(width, height)`` in inches, capped at ``MAX_INCHES``."""
    return min(float(width), MAX_INCHES[0]), min(float(height), MAX_INCHES[1])


def keep_top(weights: pd.Series, n: int, what: str = "outlets") -> tuple[list, str]:
    """The ``n`` labels with the largest weight (ties by label), and a note naming the others.

    ``weights`` is indexed by label (an outlet's articles, an actor's mentions). The note is "" when
    nothing is left out, else e.g. "Not shown: 12 more outlets with fewer articles (A, B, C and 9 more);
    every row is in the CSV."

    >>> keep_top(pd.Series({"a": 3, "b": 1, "c": 2}), 2)
    (['a', 'c'], 'Not shown: 1 more outlet (b); every row is in the CSV.')
    """
    order = sorted(weights.index, key=lambda k: (-float(weights[k]), str(k)))
    kept, rest = order[:n], order[n:]
    if not rest:
        return kept, ""
    names = ", ".join(map(str, rest[:6])) + (f" and {len(rest) - 6} more" if len(rest) > 6 else "")
    noun = what if len(rest) != 1 else what.rstrip("s")
    return kept, f"Not shown: {len(rest)} more {noun} ({names}); every row is in the CSV."


def note_left_out(fig, note: str) -> plt.Figure:
    """Remember ``note`` (what a figure leaves out); ``finish`` prints it on the source line."""
    if note:
        notes = getattr(fig, "_left_out", [])
        fig._left_out = [*notes, note]
    return fig


def apply_style() -> None:
    """Set the house matplotlib style for every figure drawn after the call."""
    plt.rcParams.update(STYLE)


def outlet_colors(outlets) -> dict[str, str]:
    """A colour for each outlet of a corpus: distinct, and the same in every figure.

    Pass every outlet of the corpus (``articles["outlet"]``), not only those
    in one figure: colours are handed out in alphabetical order of the names,
    so the mapping depends only on the corpus, never on the order of rows or
    on which outlets a figure shows. ``unknown`` is always grey. With more
    outlets than the palette has colours (10), all share the first.
    """
    names = sorted(set(map(str, outlets)) - {"unknown"})
    # Beyond the palette colours would repeat inside a figure: every outlet gets one colour, and the
    # figures name outlets on their axes (direct labels) instead of in a legend.
    palette = PALETTE if len(names) <= len(PALETTE) else [PALETTE[0]]
    colors = {name: palette[i % len(palette)] for i, name in enumerate(names)}
    colors["unknown"] = "#BBBBBB"
    return colors


def corpus_subtitle(articles: pd.DataFrame) -> str:
    """One line describing a corpus: n articles, n outlets, date range."""
    n = len(articles)
    outlets = articles["outlet"].nunique() if "outlet" in articles else 0
    dates = pd.to_datetime(articles.get("date"), errors="coerce").dropna() if n else pd.Series([])
    span = (
        f"{dates.min():%d %b %Y} to {dates.max():%d %b %Y}" if len(dates) else "no dates"
    )
    return f"{n} article{'s' if n != 1 else ''} from {outlets} outlet{'s' if outlets != 1 else ''}, {span}"


def finish(fig, title: str, subtitle: str = "", source: str = "") -> plt.Figure:
    """Put the finding-stating title, the corpus subtitle and the source/method line on ``fig``.

    The subtitle goes above the figure's only axes, or above a blank header
    axes (one with its axis turned off, placed first: small multiples keep
    their panel titles that way); in any other multi-panel figure it opens
    the line below the figure, before the source.
    """
    fig.suptitle(title, x=0.01, ha="left", fontsize=15, fontweight="bold")
    panels = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    if subtitle and panels and (len(panels) == 1 or not panels[0].axison):
        panels[0].set_title(subtitle, loc="left", fontsize=11, fontweight="normal", color="#444444", pad=10)
    elif subtitle:
        source = f"{subtitle}. {source}" if source else subtitle
    for note in getattr(fig, "_left_out", []):
        source = f"{source} {note}" if source else note
    if source:
        fig.text(0.01, 0, source, ha="left", va="top", fontsize=9, color="#666666", wrap=True)
    return fig


TIGHT_SLACK = 1.15  # the house style saves with a tight bounding box: the source line and outside legends add


def png_dpi(fig) -> int:
    """The resolution ``save_figure`` writes ``fig``'s PNG at: ``DPI``, less when a side (with
    ``TIGHT_SLACK`` for what the tight bounding box adds) would pass ``MAX_PX`` pixels."""
    return min(DPI, int(MAX_PX / (TIGHT_SLACK * max(fig.get_size_inches()))))


def save_figure(fig, name: str, data: pd.DataFrame, out_dir, show: bool = True,
                svg: str | None = None) -> dict[str, Path]:
    """Write ``fig`` as ``name.png`` (200 dpi, less when a side would pass ``MAX_PX`` pixels) and
    ``name.svg``, and ``data`` as ``name.csv``.

    ``out_dir`` is created if needed. Returns the three paths. The SVG carries
    no creation date, so a rerun on the same data writes the same bytes.

    In a notebook (matplotlib's inline backend) with ``show``, the figure is
    then shown from the PNG just written, halved to the 100 dpi the notebook
    would draw, and closed: drawing it a third time for the notebook took
    about a fifth of the notebooks' time. Pass ``show=False`` to keep ``fig``
    open (to change it and save again). ``svg``: a vector drawing to write as
    ``name.svg`` in place of matplotlib's (``term_plots.clouds_svg``: a word
    cloud's words as text rather than a bitmap).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {ext: out / f"{name}.{ext}" for ext in ("png", "svg", "csv")}
    # Each file whole or not at all: a full disk leaves the previous figure, not half of one.
    with atomic_path(paths["png"]) as tmp:
        fig.savefig(tmp, format="png", dpi=png_dpi(fig), metadata={"Software": None})  # solves the constrained layout, draws
    # The layout is settled: the SVG reuses it instead of solving it again
    # (a third of a figure's cost).
    fig.set_layout_engine("none")
    with atomic_path(paths["svg"]) as tmp:
        if svg is not None:
            Path(tmp).write_text(svg, encoding="utf-8")
        else:
            fig.savefig(tmp, format="svg", metadata={"Date": None, "Creator": None})
    with atomic_path(paths["csv"]) as tmp:
        neutralize_formulas(data).to_csv(tmp, index=False)  # no cell opens as a live formula
    if show and _inline_backend():
        _show_saved(fig, paths["png"])
    return paths


def _inline_backend() -> bool:
    return "inline" in matplotlib.get_backend()


def _show_saved(fig, png: Path) -> None:
    """Display the saved PNG at half its size, in place of ``fig``, and close ``fig``."""
    import base64

    from IPython.display import display
    from PIL import Image

    with Image.open(png) as image:
        half = image.reduce(2)
    buffer = io.BytesIO()
    half.save(buffer, format="png")
    plt.close(fig)  # the inline backend shows the figures still open when the cell ends
    display({
        "image/png": base64.b64encode(buffer.getvalue()).decode("ascii"),
        "text/plain": f"<figure {png.stem}: .png, .svg and .csv in {png.parent.name}/>",
    }, raw=True)


def bar_counts(table: pd.DataFrame, label: str, value: str, color: str | None = None, ax=None):
    """Horizontal bars of ``value`` per ``label``, each bar labelled with its count."""
    if ax is None:
        fig, ax = plt.subplots()
    else:
        fig = ax.figure
    ordered = table.sort_values(value)
    bars = ax.barh(ordered[label].astype(str), ordered[value], color=color or PALETTE[0])
    ax.bar_label(bars, padding=3)
    ax.set_xlabel(value.replace("_", " "))
    ax.grid(axis="y", visible=False)
    return fig


def article_timeline(articles: pd.DataFrame, colors: dict[str, str]):
    """One dot per dated article: date across, outlet down, in the outlet's colour (at most ``MAX_ROWS``
    outlets, those with the most dated articles)."""
    dated = articles.dropna(subset=["date"]).sort_values("date")
    kept, note = keep_top(dated["outlet"].value_counts(), MAX_ROWS, "outlets with fewer dated articles")
    outlets = sorted(kept)
    fig, ax = plt.subplots(figsize=fit(9, 1.2 + 0.5 * max(len(outlets), 1)))
    note_left_out(fig, note)
    for row, outlet in enumerate(outlets):
        dates = dated.loc[dated["outlet"] == outlet, "date"]
        ax.scatter(dates, [row] * len(dates), s=80, color=colors.get(outlet), zorder=3)
    ax.set_yticks(range(len(outlets)), outlets)
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_ylim(-0.7, len(outlets) - 0.3)
    ax.grid(axis="y", visible=False)
    return fig


MAX_BARS = 30  # more bars than this do not read on a slide (and take seconds to draw)


def length_bars(lengths: pd.DataFrame, colors: dict[str, str], max_bars: int = MAX_BARS):
    """Body words per article, one bar each, coloured by outlet and labelled with the count.

    With more than ``max_bars`` articles, one box per outlet instead (median,
    quartiles, the 5th to 95th percentile as whiskers, n beside each box).
    """
    if len(lengths) > max_bars:
        return _length_boxes(lengths, colors)
    ordered = lengths.sort_values("n_words")
    fig, ax = plt.subplots(figsize=fit(9, 1.2 + 0.45 * len(ordered)))
    labels = ordered["article_id"] + " (" + ordered["outlet"] + ")"
    bars = ax.barh(labels, ordered["n_words"], color=[colors.get(o) for o in ordered["outlet"]])
    ax.bar_label(bars, padding=3)
    ax.set_xlabel("words in body paragraphs")
    ax.grid(axis="y", visible=False)
    return fig


def _length_boxes(lengths: pd.DataFrame, colors: dict[str, str]):
    groups = lengths.groupby("outlet")["n_words"]
    kept, note = keep_top(groups.size(), MAX_ROWS, "outlets with fewer articles")
    outlets = [o for o in groups.median().sort_values(kind="stable").index if o in set(kept)]
    fig, ax = plt.subplots(figsize=fit(9, 1.2 + 0.45 * len(outlets)))
    note_left_out(fig, note)
    boxes = ax.boxplot([groups.get_group(o).to_numpy() for o in outlets], orientation="horizontal", whis=(5, 95),
                       patch_artist=True, showfliers=False, widths=0.6)
    for patch, outlet in zip(boxes["boxes"], outlets):
        patch.set(facecolor=colors.get(outlet), alpha=0.8)
    ax.set_yticks(range(1, len(outlets) + 1), [f"{o} (n={groups.size()[o]})" for o in outlets])
    ax.set_xlabel("words in body paragraphs per article")
    ax.grid(axis="y", visible=False)
    return fig


def kind_bars(kinds: pd.DataFrame, max_bars: int = MAX_BARS):
    """Paragraphs per article, stacked by kind (body first).

    With more than ``max_bars`` articles, the ``max_bars`` with the most
    non-body paragraphs (the ones worth checking), and the axis says so.
    """
    cols = [c for c in kinds.columns if c not in ("article_id", "total")]
    shown = kinds
    if len(kinds) > max_bars:
        furniture = kinds["total"] - (kinds["body"] if "body" in kinds else 0)
        shown = kinds.loc[furniture.sort_values(ascending=False, kind="stable").index[:max_bars]]
    fig, ax = plt.subplots(figsize=fit(9, 1.2 + 0.45 * len(shown)))
    left = pd.Series(0, index=shown.index)
    for i, col in enumerate(cols):
        ax.barh(shown["article_id"], shown[col], left=left, label=col, color=PALETTE[i % len(PALETTE)])
        left = left + shown[col]
    ax.set_xlabel("paragraphs" if len(shown) == len(kinds)
                  else f"paragraphs ({len(shown)} of {len(kinds)} articles: those with the most furniture)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), title="kind")
    ax.grid(axis="y", visible=False)
    ax.invert_yaxis()
    return fig


def tone_dots(tone: pd.DataFrame, actors: list[str], colors: dict[str, str]):
    """Mean tone toward each actor per outlet: a dot with its 95% interval, and n beside it.

    ``tone`` is one voice of ``summarize_tone`` output (columns ``name``,
    ``outlet``, ``n``, ``mean``, ``ci_low``, ``ci_high``, ``small_n``). Cells
    below the minimum n are drawn hollow. Up to as many outlets as the palette
    has colours, one panel with a legend; beyond, one panel per actor (at most
    ``MAX_PANELS``) with the outlets named down the side (at most ``MAX_ROWS``,
    those with the most observations), so no colour stands for two outlets.
    """
    outlets = sorted(tone["outlet"].unique())
    if len(outlets) > len(PALETTE) or len({colors.get(o) for o in outlets}) < len(outlets):
        return _tone_dot_panels(tone, actors)  # a legend would show one colour for two outlets
    fig, ax = plt.subplots(figsize=fit(10, 1.0 + 0.75 * len(actors)))
    step = 0.8 / max(len(outlets), 1)
    for j, outlet in enumerate(outlets):
        part = tone[tone["outlet"] == outlet].set_index("name").reindex(actors).dropna(subset=["mean"])
        y = [actors.index(name) - 0.4 + step * (j + 0.5) for name in part.index]
        _dots(ax, part, y, colors.get(outlet), label=outlet)
    ax.axvline(0, color="#888888", linewidth=1)
    ax.set_yticks(range(len(actors)), actors)
    ax.set_ylim(len(actors) - 0.5, -0.5)
    ax.set_xlabel("tone toward the actor (−1 negative … +1 positive)")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), title="outlet")
    return fig


def _dots(ax, part: pd.DataFrame, y, color, label=None) -> None:
    """Dots at ``part["mean"]`` with their intervals and n; hollow where ``small_n``."""
    ax.errorbar(part["mean"], y, xerr=[part["mean"] - part["ci_low"], part["ci_high"] - part["mean"]],
                fmt="none", ecolor=color, elinewidth=1.5, capsize=2)
    filled = ~part["small_n"].astype(bool).to_numpy()
    y = list(y)
    ax.scatter(part["mean"][filled], [v for v, f in zip(y, filled) if f], color=color, s=40, zorder=3, label=label)
    ax.scatter(part["mean"][~filled], [v for v, f in zip(y, filled) if not f], facecolor="white",
               edgecolor=color, s=40, zorder=3)
    for x, yy, n in zip(part["ci_high"], y, part["n"]):
        ax.annotate(f"n={int(n)}", (x, yy), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8,
                    color="#555555")


def _tone_dot_panels(tone: pd.DataFrame, actors: list[str]):
    actors, actor_note = keep_top(pd.Series(range(len(actors), 0, -1), index=actors), MAX_PANELS, "actors")
    shown = tone[tone["name"].isin(actors)]
    outlets, outlet_note = keep_top(shown.groupby("outlet")["n"].sum(), MAX_ROWS, "outlets with fewer observations")
    ncols = min(4, len(actors))
    nrows = -(-len(actors) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=fit(4.0 * ncols, 1.0 + nrows * (0.8 + 0.28 * len(outlets))),
                             squeeze=False, sharex=True, sharey=True)
    for ax, actor in zip(axes.flat, actors):
        part = shown[shown["name"] == actor].set_index("outlet").reindex(outlets).dropna(subset=["mean"])
        _dots(ax, part, [outlets.index(o) for o in part.index], PALETTE[0])
        ax.axvline(0, color="#888888", linewidth=1)
        ax.set_title(str(actor), fontsize=11)
        ax.grid(axis="y", visible=False)
    for ax in list(axes.flat)[len(actors):]:
        ax.set_visible(False)
    axes[0][0].set_yticks(range(len(outlets)), outlets, fontsize=9)
    axes[0][0].set_ylim(len(outlets) - 0.5, -0.5)
    fig.supxlabel("tone toward the actor (−1 negative … +1 positive)", fontsize=10)
    note_left_out(fig, actor_note)
    return note_left_out(fig, outlet_note)
