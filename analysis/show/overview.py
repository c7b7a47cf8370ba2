"""What is in a corpus: counts per outlet and country, lengths, paragraph kinds.

Tidy tables for notebook 01; the figures that draw them are in ``plots``.
"""

from __future__ import annotations

import pandas as pd

from analysis.load.furniture import KINDS
from analysis.load.schema import UNKNOWN_OUTLET

__all__ = ["articles_per", "lengths", "kinds_per_article", "furniture", "timeline", "formats"]


def formats(articles: pd.DataFrame) -> pd.DataFrame:
    """What was read in each input format: files, articles, and how many name their outlet, date and title.

    Columns ``format, files, articles, with_outlet, with_date, with_title``
    (``with_date`` counts any date the source gave, a month included), most
    articles first. An export or a table gives many articles per file.
    """
    frame = pd.DataFrame({
        "format": articles["format"], "file": articles["source_file"],
        "outlet": articles["outlet"].notna() & (articles["outlet"] != UNKNOWN_OUTLET),
        "date": articles["date_text"].notna(), "title": articles["title"].notna(),
    })
    table = frame.groupby("format", sort=True).agg(
        files=("file", "nunique"), articles=("file", "size"), with_outlet=("outlet", "sum"),
        with_date=("date", "sum"), with_title=("title", "sum"))
    return table.reset_index().sort_values(["articles", "format"], ascending=[False, True]).reset_index(drop=True)


def articles_per(articles: pd.DataFrame, by: str | list[str] = "outlet") -> pd.DataFrame:
    """Articles and body words per group: columns ``by…, articles, words``, largest first."""
    keys = [by] if isinstance(by, str) else list(by)
    table = (
        articles.fillna({k: "unknown" for k in keys})
        .groupby(keys, sort=True)
        .agg(articles=("article_id", "size"), words=("n_words", "sum"))
        .reset_index()
        .sort_values(["articles", "words"] + keys, ascending=[False, False] + [True] * len(keys))
    )
    return table.reset_index(drop=True)


def lengths(articles: pd.DataFrame) -> pd.DataFrame:
    """Length of each article in body words, sentences and paragraphs, longest first."""
    cols = ["article_id", "outlet", "n_words", "n_sentences", "n_body_paragraphs", "n_paragraphs"]
    return articles[cols].sort_values(["n_words", "article_id"], ascending=[False, True]).reset_index(drop=True)


def kinds_per_article(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Paragraph counts per article × kind (a wide table: one column per kind seen, plus ``total``)."""
    table = pd.crosstab(paragraphs["article_id"], paragraphs["kind"])
    ordered = [k for k in KINDS if k in table.columns] + [k for k in table.columns if k not in KINDS]
    table = table[ordered]
    table["total"] = table.sum(axis=1)
    table.columns.name = None
    return table.reset_index()


def furniture(paragraphs: pd.DataFrame, width: int = 70) -> pd.DataFrame:
    """Every paragraph not counted as body, with its kind, the reason, and its text shortened to ``width``."""
    marked = paragraphs[paragraphs["kind"] != "body"]
    text = marked["text"].str.replace(r"\s+", " ", regex=True)
    short = text.where(text.str.len() <= width, text.str.slice(0, width - 1) + "…")
    return pd.DataFrame({
        "article_id": marked["article_id"],
        "paragraph": marked["paragraph"],
        "kind": marked["kind"],
        "reason": marked["reason"],
        "text": short,
    }).reset_index(drop=True)


def timeline(articles: pd.DataFrame, freq: str = "MS") -> pd.DataFrame:
    """Articles per period (default: month) and outlet, for dated articles: ``period, outlet, articles``."""
    dated = articles.dropna(subset=["date"])
    if dated.empty:
        return pd.DataFrame(columns=["period", "outlet", "articles"])
    period = dated["date"].dt.to_period(freq.rstrip("S") or "M").dt.start_time
    return (
        dated.assign(period=period)
        .groupby(["period", "outlet"])
        .size()
        .rename("articles")
        .reset_index()
    )
