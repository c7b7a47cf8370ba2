"""Reading the evidence behind a number: sentences in context, with widgets for JupyterLab.

``mention_sentences`` and ``term_sentences`` are plain functions (tested,
usable anywhere); ``mention_browser`` and ``term_browser`` wrap them in
ipywidgets so an analyst can pick an actor and an outlet, or type a term, and
read the matching sentences with the match highlighted. Headless runs
(papermill, nbval) just build the widgets without showing them.
"""

from __future__ import annotations

import html
import re

import pandas as pd

__all__ = ["mention_sentences", "term_sentences", "highlight", "mention_browser", "term_browser"]

ALL = "(all)"


def mention_sentences(mentions: pd.DataFrame, sentences: pd.DataFrame, actor: str | None = None,
                      outlet: str | None = None) -> pd.DataFrame:
    """The sentences that mention ``actor`` (actor id or display name) in ``outlet``.

    None (or "(all)") means any. Returns one row per mention: ``outlet``,
    ``article_id``, ``paragraph``, ``sentence``, ``name``, ``alias``,
    ``start``, ``end`` (the mention's offsets in ``text``), ``in_quote`` and
    ``text`` (the sentence), in corpus order.
    """
    m = mentions
    if actor not in (None, ALL):
        m = m[(m["actor"] == actor) | (m["name"] == actor)]
    if outlet not in (None, ALL):
        m = m[m["outlet"] == outlet]
    keys = ["article_id", "paragraph", "sentence"]
    joined = m.merge(sentences[keys + ["text"]], on=keys, how="left")
    cols = ["outlet", *keys, "name", "alias", "start", "end", "in_quote", "text"]
    return joined[cols].sort_values(keys + ["start"], kind="stable").reset_index(drop=True)


def term_sentences(sentences: pd.DataFrame, term: str, outlet: str | None = None, limit: int | None = None) -> pd.DataFrame:
    """The sentences where ``term`` occurs as a whole word or phrase, case-insensitively.

    Returns ``outlet``, ``article_id``, ``paragraph``, ``sentence``,
    ``start``, ``end`` (the first match in ``text``) and ``text``; at most
    ``limit`` rows. An empty term matches nothing.
    """
    columns = ["outlet", "article_id", "paragraph", "sentence", "start", "end", "text"]
    term = term.strip()
    if not term:
        return pd.DataFrame(columns=columns)
    s = sentences if outlet in (None, ALL) else sentences[sentences["outlet"] == outlet]
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, term.split())) + r"(?!\w)", re.IGNORECASE)
    found = s["text"].map(pattern.search)
    hit = found.notna()
    out = s.loc[hit, ["outlet", "article_id", "paragraph", "sentence", "text"]].copy()
    out.insert(4, "start", [m.start() for m in found[hit]])
    out.insert(5, "end", [m.end() for m in found[hit]])
    out = out[columns].reset_index(drop=True)
    return out.head(limit) if limit else out


def highlight(text: str, start: int, end: int) -> str:
    """HTML of ``text`` with ``text[start:end]`` marked; everything escaped."""
    return f"{html.escape(text[:start])}<mark>{html.escape(text[start:end])}</mark>{html.escape(text[end:])}"


def _rows_html(rows: pd.DataFrame, label: str) -> str:
    if rows.empty:
        return f"<p><i>No sentences for {html.escape(label)}.</i></p>"
    items = "".join(
        f"<li><b>{html.escape(str(r.outlet))}</b> · {html.escape(str(r.article_id))} ¶{r.paragraph}: "
        f"{highlight(r.text, r.start, r.end)}</li>"
        for r in rows.itertuples()
    )
    return f"<p>{len(rows)} sentence(s) for {html.escape(label)}</p><ol>{items}</ol>"


def mention_browser(mentions: pd.DataFrame, sentences: pd.DataFrame, actor: str | None = None, limit: int = 200):
    """A widget: pick an actor and an outlet, read the sentences that mention the actor there."""
    import ipywidgets as w

    names = sorted(mentions["name"].unique())
    start = mentions.loc[mentions["actor"] == actor, "name"].iloc[0] if actor in set(mentions["actor"]) else names[0]
    pick_actor = w.Dropdown(options=names, value=start, description="actor")
    pick_outlet = w.Dropdown(options=[ALL, *sorted(mentions["outlet"].unique())], description="outlet")
    view = w.HTML()

    def update(_=None):
        rows = mention_sentences(mentions, sentences, pick_actor.value, pick_outlet.value).head(limit)
        view.value = _rows_html(rows, f"{pick_actor.value} in {pick_outlet.value}")

    pick_actor.observe(update, "value")
    pick_outlet.observe(update, "value")
    update()
    return w.VBox([w.HBox([pick_actor, pick_outlet]), view])


def term_browser(sentences: pd.DataFrame, term: str = "", limit: int = 200):
    """A widget: type a word or phrase (and pick an outlet), read where it occurs."""
    import ipywidgets as w

    box = w.Text(value=term, description="term", continuous_update=False)
    pick_outlet = w.Dropdown(options=[ALL, *sorted(sentences["outlet"].unique())], description="outlet")
    view = w.HTML()

    def update(_=None):
        rows = term_sentences(sentences, box.value, pick_outlet.value, limit=limit)
        view.value = _rows_html(rows, f"“{box.value}” in {pick_outlet.value}")

    box.observe(update, "value")
    pick_outlet.observe(update, "value")
    update()
    return w.VBox([w.HBox([box, pick_outlet]), view])
