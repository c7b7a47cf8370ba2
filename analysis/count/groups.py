"""Outlets grouped by a column of the manifest: leaning, country, owner.

The comparison analysts ask for first is rarely "outlet by outlet" once there
are fifty outlets: it is left against right, one country's press against
another's. ``grouped_tables`` recomputes each outlet-level measure with the
group column in place of ``outlet``, from the per-article tables, so every
interval is still over **articles** (a bootstrap; Wilson intervals for the
frame shares; an article counts once per actor, whichever group it falls
in) and every minimum counts articles.

Tables made (``NAME_by_COLUMN``): ``article_tone_by_COLUMN`` (as
``article_tone_by_outlet``), ``article_frames_by_COLUMN`` (as
``article_frames_by_outlet``), ``roles_by_COLUMN`` (as ``roles_by_outlet``), and
``articles_by_COLUMN``: each group's articles, outlets and the outlets in it,
with ``small_n`` for groups of fewer than ``min_n`` articles, so that what is
too small to compare is named, never silently pooled. Articles without a
value in the column form the group ``(none)``.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.count.frames import article_frame_shares
from analysis.count.roles import roles_by_outlet
from analysis.load.schema import ARTICLE_COLUMNS
from analysis.measure.article_tone import summarize_article_tone
from analysis.measure.stats import DEFAULT_MIN_N

__all__ = ["NO_GROUP", "group_names", "grouped_tables", "table_name", "with_group"]

NO_GROUP = "(none)"


def _group_of(articles: pd.DataFrame, column: str) -> pd.Series:
    values = articles[column].astype("string").str.strip().replace("", pd.NA).fillna(NO_GROUP)
    return pd.Series(values.to_numpy(), index=articles["article_id"].to_numpy(), name=column)


def with_group(table: pd.DataFrame, articles: pd.DataFrame, column: str) -> pd.DataFrame:
    """``table`` (any per-article table, with ``article_id``) with ``column`` from ``articles`` added, a
    missing value as ``NO_GROUP``. Not modified in place."""
    return table.assign(**{column: table["article_id"].map(_group_of(articles, column))})


def group_names(articles: pd.DataFrame) -> list[str]:
    """The columns ``--group-by`` can use: ``country``, ``genre`` and the manifest's own columns."""
    return ["country", "genre", *(c for c in articles.columns if c not in ARTICLE_COLUMNS)]


def table_name(name: str, column: str) -> str:
    """``NAME_by_COLUMN``, the column's non-word characters as ``_`` (it names a file too)."""
    suffix = re.sub(r"\W+", "_", column).strip("_") or "group"
    return f"{name}_by_{suffix}"


def grouped_tables(tables: dict, column: str, min_n: int = DEFAULT_MIN_N) -> dict[str, pd.DataFrame]:
    """The outlet-level tables again with ``column`` (a column of ``tables["articles"]``) as the group.

    ``ValueError`` naming the usable columns when ``column`` is not one of the articles table's.
    """
    articles = tables["articles"]
    if column not in articles.columns or column in ("article_id", "outlet"):
        usable = ", ".join(group_names(articles))
        raise ValueError(f"--group-by {column!r} is not a column of the articles table (from articles.csv); "
                         f"usable: {usable}")
    group = _group_of(articles, column)
    out = {}
    sizes = pd.DataFrame({column: group.to_numpy(), "outlet": articles["outlet"].astype(str).to_numpy()})
    summary = sizes.groupby(column, sort=True).agg(
        n_articles=("outlet", "size"), n_outlets=("outlet", "nunique"),
        outlets=("outlet", lambda o: ", ".join(sorted(set(o))))).reset_index()
    summary["small_n"] = summary["n_articles"] < min_n
    out[table_name("articles", column)] = summary
    if "article_tone" in tables:
        tone = with_group(tables["article_tone"], articles, column)
        out[table_name("article_tone", column)] = summarize_article_tone(tone, by=("name", column), min_n=min_n)
    if "article_frames" in tables:
        frames = with_group(tables["article_frames"], articles, column)
        out[table_name("article_frames", column)] = article_frame_shares(frames, by=column, min_n=min_n)
    if "roles" in tables:
        roles = with_group(tables["roles"], articles, column)
        out[table_name("roles", column)] = roles_by_outlet(roles, by=("name", column), min_n=min_n)
    return out
