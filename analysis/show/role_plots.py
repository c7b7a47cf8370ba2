"""Figures for narrative roles: per outlet, the actors most often cast as hero, villain and victim.

Takes ``roles_by_outlet`` output (``analysis.count.roles``) and returns a
matplotlib Figure; nothing here computes a role or writes a file.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from analysis.measure.roles import ROLES
from analysis.show.plots import MAX_ROWS, fit, keep_top, note_left_out

__all__ = ["ROLE_COLORS", "roles_figure", "top_cast"]

ROLE_COLORS = {"hero": "#009E73", "villain": "#D55E00", "victim": "#0072B2"}
NAME_CHARS = 18


def _short(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[:NAME_CHARS - 1] + "…"


def top_cast(summary: pd.DataFrame, n_actors: int = 3, min_k: int = 1) -> pd.DataFrame:
    """Per outlet and role, the ``n_actors`` actors cast in it in most articles (ties: the higher share, then name).

    ``summary``: ``roles_by_outlet`` output. Actors cast in fewer than ``min_k``
    articles are left out. Returns its rows, with ``rank`` (1 = most often).
    """
    data = summary[summary["k"] >= min_k]
    data = data.sort_values(["outlet", "role", "k", "share", "name"], ascending=[True, True, False, False, True],
                            kind="stable")
    data = data.assign(rank=data.groupby(["outlet", "role"]).cumcount() + 1)
    return data[data["rank"] <= n_actors].reset_index(drop=True)


def roles_figure(summary: pd.DataFrame, n_actors: int = 3, max_outlets: int = MAX_ROWS, note: str = ""):
    """Three panels (hero, villain, victim), one row per outlet, the outlet's top actors in each role.

    Each cell lists up to ``n_actors`` actors with the share of the outlet's
    articles mentioning them that cast them so, and the count ("Exxon 60%
    (6/10)"; names longer than ``NAME_CHARS`` cut); the bar under the text is the first actor's share. Cells resting
    on fewer articles than the table's ``min_n`` (``small_n``) are grey. Outlets
    are sorted by name; with more than ``max_outlets``, those with the most
    articles are kept and the others named. ``note`` (the method and its
    held-out figure) and what the figure reads are printed on the source line
    by ``plots.finish``.
    """
    top = top_cast(summary, n_actors)
    sizes = summary.groupby("outlet")["n_articles"].max()
    kept, left_out = keep_top(sizes, max_outlets, "outlets with fewer articles") if len(sizes) else ([], "")
    outlets = sorted(kept, key=str)
    height = max(2.5, 0.42 * len(outlets) + 1.5)
    fig = plt.figure(figsize=fit(18, height + 0.4))
    grid = fig.add_gridspec(2, len(ROLES), height_ratios=[0.001, 1.0])
    header = fig.add_subplot(grid[0, :])  # plots.finish writes the subtitle above it, clear of the panel titles
    header.axis("off")
    axes = [fig.add_subplot(grid[1, i]) for i in range(len(ROLES))]
    for ax in axes[1:]:
        ax.sharey(axes[0])
    for ax, role in zip(axes, ROLES):
        ax.set_title(role, loc="left", fontsize=12, color=ROLE_COLORS[role], fontweight="bold")
        ax.set_xlim(0, 1)
        ax.set_ylim(len(outlets) - 0.5, -0.5)
        ax.set_xticks([0, 0.5, 1], ["0%", "50%", "100%"])
        ax.grid(False)
        cells = top[top["role"] == role]
        for i, outlet in enumerate(outlets):
            rows = cells[cells["outlet"] == outlet]
            if rows.empty:
                ax.text(0.01, i, "no actor cast", va="center", fontsize=8, color="#999999")
                continue
            first = rows.iloc[0]
            ax.barh(i, first["share"], height=0.7, color=ROLE_COLORS[role], alpha=0.25 if first["small_n"] else 0.45)
            label = " · ".join(f"{_short(r.name)} {r.share:.0%} ({r.k}/{r.n_articles})" for r in rows.itertuples())
            ax.text(0.01, i, label, va="center", fontsize=7.5, clip_on=True,
                    color="#777777" if first["small_n"] else "#111111")
    axes[0].set_yticks(range(len(outlets)), outlets)
    if not outlets:
        axes[0].set_yticks([])
    for ax in axes[1:]:
        ax.tick_params(labelleft=False)
    note_left_out(fig, note)
    note_left_out(fig, "Share of the outlet's articles mentioning the actor that cast it in the role; "
                       "grey: fewer articles than min_n.")
    return note_left_out(fig, left_out)
