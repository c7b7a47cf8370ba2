"""The headline findings, one page: built from the tables of ``analysis.run.pipeline.analyze``.

Every function takes the dict of tables and returns a small DataFrame ready
to print in a briefing; nothing here scores text again.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["top_actors", "tone_cells", "outlet_profile", "format_cell"]


def top_actors(tables: dict, n: int = 8) -> list[str]:
    """The ``n`` most mentioned actors (display names), most mentioned first."""
    counts = tables["mentions"].groupby("name").size()
    return counts.sort_values(ascending=False, kind="stable").index[:n].tolist()


def format_cell(mean: float, low: float, high: float, n: int, small: bool) -> str:
    """``+0.12 [−0.05, +0.30] n=14``, with a dagger when the cell is below the minimum n."""
    text = f"{mean:+.2f} [{low:+.2f}, {high:+.2f}] n={n}"
    return text + " †" if small else text


def tone_cells(tables: dict, actors: list[str], voice: str | None = None) -> pd.DataFrame:
    """Tone toward each actor (rows) in each outlet (columns), as printable cells.

    ``voice`` None (the default): article-level tone (``article_tone_by_outlet``),
    each cell the mean over articles, its interval bootstrapped over articles
    and ``n`` the number of articles. ``voice`` "outlet" or "quoted": the
    mention-level means of ``tone_by_outlet`` in that voice (``n`` mentions).
    Empty where an outlet never mentions the actor.
    """
    if voice is None:
        table = tables["article_tone_by_outlet"].rename(columns={"n_articles": "n"})
        table = table[table["name"].isin(actors)]
    else:
        table = tables["tone_by_outlet"]
        table = table[(table["voice"] == voice) & table["name"].isin(actors)]
    cells = table.assign(cell=[
        format_cell(m, lo, hi, n, s)
        for m, lo, hi, n, s in zip(table["mean"], table["ci_low"], table["ci_high"], table["n"], table["small_n"])
    ])
    wide = cells.pivot(index="name", columns="outlet", values="cell").reindex(actors).fillna("")
    wide.columns.name = None
    wide.index.name = "actor"
    return wide


def outlet_profile(tables: dict, n_terms: int = 5) -> pd.DataFrame:
    """One row per outlet: articles, words, most mentioned actor, most distinctive terms, leading frame.

    Columns: ``outlet``, ``articles``, ``words``, ``most_mentioned`` (name and
    count), ``distinctive_terms`` (top ``n_terms`` by keyness z), and
    ``leading_frame`` (largest share of body paragraphs, with the share).
    """
    arts = tables["articles"].groupby("outlet").agg(articles=("article_id", "size"), words=("n_words", "sum"))
    mentions = tables["mentions"].groupby(["outlet", "name"]).size().rename("n").reset_index()
    mentions = mentions.sort_values(["outlet", "n", "name"], ascending=[True, False, True]).groupby("outlet").head(1)
    most = mentions.set_index("outlet").apply(lambda r: f"{r['name']} ({r['n']})", axis=1)
    key = tables["keyness_by_outlet"].sort_values(["group", "z", "term"], ascending=[True, False, True])
    terms = key.groupby("group").head(n_terms).groupby("group")["term"].agg(", ".join)
    shares = tables["frame_shares"].sort_values(["outlet", "share", "frame"], ascending=[True, False, True])
    lead = shares.groupby("outlet").head(1).set_index("outlet")
    frame = lead.apply(lambda r: f"{r['frame']} ({r['share']:.0%} of {r['n']} paragraphs)", axis=1)
    profile = arts.assign(most_mentioned=most, distinctive_terms=terms, leading_frame=frame)
    return profile.fillna("").reset_index()
