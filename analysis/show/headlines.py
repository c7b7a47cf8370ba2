"""Figure titles that state the finding, computed from the table the figure draws.

A briefing figure's title says what the reader should see ("Daily Sabah is
the most positive about Zelenskyy"), not what the axes hold. Each function
takes the tidy table a figure plots and returns one sentence; cells below the
minimum count never make a headline.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["largest_share", "length_range", "furniture_share", "tone_extremes", "widest_gap", "leading_term", "most_cast",
           "leading_frame", "most_distinctive", "stance_summary", "naming_split"]


def largest_share(table: pd.DataFrame, label: str, value: str, what: str) -> str:
    """"X has the most {what} (n of N)" for the row with the largest ``value``; ties are named as ties."""
    if table.empty:
        return f"No {what}"
    ordered = table.sort_values([value, label], ascending=[False, True])
    top = ordered[ordered[value] == ordered[value].iloc[0]]
    total = table[value].sum()
    if len(top) == len(table) > 1:
        return f"All {len(table)} {label}s have the same number of {what} ({top[value].iloc[0]:,} each)"
    if len(top) > 1:
        names = ", ".join(map(str, top[label].iloc[:-1])) + f" and {top[label].iloc[-1]}"
        return f"{names} have the most {what} ({top[value].iloc[0]:,} each of {total:,})"
    row = top.iloc[0]
    return f"{row[label]} has the most {what} ({row[value]:,} of {total:,})"


def length_range(lengths: pd.DataFrame) -> str:
    """"Articles run from N to M body words" (``lengths`` from ``overview.lengths``)."""
    if lengths.empty:
        return "No articles"
    lo, hi = int(lengths["n_words"].min()), int(lengths["n_words"].max())
    return f"Articles run from {lo:,} to {hi:,} body words"


def furniture_share(kinds: pd.DataFrame) -> str:
    """"N% of paragraphs are page furniture, most of them in X" (``kinds`` from ``overview.kinds_per_article``)."""
    total = int(kinds["total"].sum()) if len(kinds) else 0
    body = int(kinds["body"].sum()) if "body" in kinds else 0
    if total == 0:
        return "No paragraphs"
    if body == total:
        return "Every paragraph is article text: nothing was set aside as furniture"
    other = kinds["total"] - kinds.get("body", 0)
    worst = kinds.loc[other.idxmax(), "article_id"]
    return f"{(total - body) / total:.0%} of paragraphs are titles, bylines or page furniture, most in {worst}"


def _solid(tone: pd.DataFrame) -> pd.DataFrame:
    return tone[~tone["small_n"].astype(bool)] if "small_n" in tone else tone


def tone_extremes(tone: pd.DataFrame, actor_col: str = "name", group_col: str = "outlet") -> str:
    """The most negative and most positive actor × outlet cells with enough mentions.

    ``tone`` is ``summarize_tone`` output for one voice.
    """
    solid = _solid(tone).sort_values(["mean", actor_col, group_col])
    if solid.empty:
        return "Too few mentions per actor and outlet to compare tone"
    neg, pos = solid.iloc[0], solid.iloc[-1]
    return (f"Most negative: {neg[actor_col]} in {neg[group_col]} ({neg['mean']:+.2f}); "
            f"most positive: {pos[actor_col]} in {pos[group_col]} ({pos['mean']:+.2f})")


def widest_gap(tone: pd.DataFrame, actor_col: str = "name", group_col: str = "outlet") -> str:
    """The actor whose tone differs most between outlets (cells with enough mentions only)."""
    solid = _solid(tone)
    spread = solid.groupby(actor_col)["mean"].agg(["min", "max", "size"])
    spread = spread[spread["size"] >= 2]
    if spread.empty:
        return "Too few mentions to compare outlets' tone toward any actor"
    gaps = (spread["max"] - spread["min"]).sort_values(ascending=False, kind="stable")
    actor = gaps.index[0]
    rows = solid[solid[actor_col] == actor].sort_values("mean")
    low, high = rows.iloc[0], rows.iloc[-1]
    return (f"Outlets differ most on {actor}: {low['mean']:+.2f} in {low[group_col]}, "
            f"{high['mean']:+.2f} in {high[group_col]}")


def leading_term(top: pd.DataFrame, group_col: str = "group", value: str = "rate") -> str:
    """"'term' tops the list in k of n outlets" for the most common first-ranked term."""
    if top.empty:
        return "No terms"
    term, k, n = _most_often_first(top, group_col, value, "term")
    return f"“{term}” tops the list in {k} of {n} outlets"


def leading_frame(shares: pd.DataFrame, group_col: str = "outlet") -> str:
    """"'frame' is the most common frame in k of n outlets" (``shares`` from ``frames.frame_shares``)."""
    if shares.empty:
        return "No frames found"
    frame, k, n = _most_often_first(shares, group_col, "share", "frame")
    return f"“{frame.replace('_', ' ')}” is the most common frame in {k} of {n} outlets"


def _most_often_first(table: pd.DataFrame, group_col: str, value: str, item: str) -> tuple[str, int, int]:
    """The ``item`` ranked first by ``value`` in the most groups (ties: alphabetical), that count, and the groups."""
    firsts = table.sort_values([group_col, value, item], ascending=[True, False, True]).groupby(group_col).head(1)
    counts = firsts[item].value_counts()
    best = sorted(counts[counts == counts.max()].index)[0]
    return best, int(counts[best]), len(firsts)


def most_distinctive(top: pd.DataFrame, group_col: str = "group") -> str:
    """"'term' sets X apart most (z = …)": the highest-z term of a keyness table."""
    if top.empty:
        return "No distinctive terms"
    row = top.sort_values(["z", group_col, "term"], ascending=[False, True, True]).iloc[0]
    return f"“{row['term']}” sets {row[group_col]} apart most (z = {row['z']:.1f})"


def stance_summary(stance: pd.DataFrame) -> str:
    """Edges found, how many supportive, and the most frequent pair (``summarize_stance`` output)."""
    if stance.empty:
        return "No support or opposition between two actors found"
    n = int(stance["n"].sum())
    support, oppose = int(stance["n_support"].sum()), int(stance["n_oppose"].sum())
    top = stance.sort_values(["n", "holder_name", "target_name"], ascending=[False, True, True]).iloc[0]
    head = f"{n} reported stance{'s' if n != 1 else ''}: {support} support, {oppose} opposition"
    if top["n"] < 2:
        return head + ", no pair more than once"
    return head + f"; most often {top['holder_name']} → {top['target_name']} (n={int(top['n'])})"


def naming_split(names: pd.DataFrame, group_col: str = "outlet") -> str:
    """The concept on which outlets differ most: each outlet's main variant, the most distinct choices.

    ``names`` from ``naming.naming_table`` (pass only the naming concepts a
    figure shows); outlets that never name the concept are left out.
    """
    used = names[names["count"] > 0]
    if used.empty:
        return "No alternative names found"
    main = used.sort_values([group_col, "concept", "count", "variant"], ascending=[True, True, False, True])
    main = main.groupby([group_col, "concept"]).head(1)
    variety = main.groupby("concept").agg(n_variants=("variant", "nunique"), n_outlets=(group_col, "nunique"))
    variety = variety.sort_values(["n_variants", "n_outlets"], ascending=False, kind="stable")
    concept = variety.index[0]
    if variety.iloc[0]["n_variants"] < 2:
        return "Every outlet uses the same main name for each concept"
    picks = main[main["concept"] == concept]["variant"].value_counts()
    parts = ", ".join(f"“{v}” in {k} outlet{'s' if k != 1 else ''}" for v, k in picks.items())
    return f"Outlets differ on what to call {concept.replace('_', ' ')}: {parts}"


def article_tone_contrast(summary: pd.DataFrame, actor_col: str = "name", group_col: str = "outlet") -> str:
    """"Outlet A is harsher on X than outlet B", only where a reader may say so.

    ``summary`` is ``summarize_article_tone`` output. A contrast is stated
    only between two cells of one actor that each rest on at least the
    minimum number of articles (not ``small_n``) and whose 95% intervals
    (bootstrapped over articles) do not overlap; of those, the largest gap.
    Otherwise the headline says that no outlet differs clearly.
    """
    solid = _solid(summary)
    best = None
    for actor, cells in solid.groupby(actor_col, sort=True):
        cells = cells.sort_values(["mean", group_col])
        for low in cells.itertuples(index=False):
            for high in cells.itertuples(index=False):
                gap = high.mean - low.mean
                if low.ci_high < high.ci_low and (best is None or gap > best[0]):
                    best = (gap, actor, low, high)
    if best is None:
        return "No outlet's tone toward an actor differs clearly from another's (intervals overlap or too few articles)"
    _, actor, low, high = best
    low_n, high_n = getattr(low, "n_articles", None), getattr(high, "n_articles", None)
    return (f"{getattr(low, group_col)} is harsher on {actor} than {getattr(high, group_col)}: "
            f"{low.mean:+.2f} ({low_n} articles) against {high.mean:+.2f} ({high_n} articles)")


def most_cast(summary: pd.DataFrame) -> str:
    """A title for the roles figure (``roles_by_outlet``): the actor and role cast in the most articles,
    summed over outlets, and in how many outlets."""
    cast = summary[summary["k"] > 0]
    if cast.empty:
        return "No actor is cast as hero, villain or victim by a cue in these articles"
    totals = cast.groupby(["name", "role"]).agg(k=("k", "sum"), outlets=("outlet", "nunique")).reset_index()
    top = totals.sort_values(["k", "outlets", "name"], ascending=[False, False, True], kind="stable").iloc[0]
    where = f"{int(top['outlets'])} outlet{'s' if top['outlets'] != 1 else ''}"
    return f"{top['name']} is cast as {top['role']} most often: in {int(top['k'])} articles from {where}"
