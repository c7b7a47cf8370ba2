"""Page furniture learned from the corpus: what one outlet repeats across its articles.

Captions ("Hide Caption", "Enlarge this image toggle caption"), player
messages ("Your browser does not support playback"), newsletter prompts and
copyright lines differ by outlet, so no fixed list catches them; but an outlet
repeats them, and a reporter does not write the same line in a fifth of an
outlet's articles. ``mark_repeated`` finds them per outlet:

- a **body paragraph** of at most ``MAX_PARAGRAPH_WORDS`` words whose text
  (case, spacing and digits aside) appears in at least ``threshold(M)`` of
  the outlet's M articles becomes ``kind`` ``boilerplate`` with the reason
  "repeated in k of M articles of OUTLET";
- a **sentence** of at most ``MAX_SENTENCE_WORDS`` words repeated the same
  way inside body paragraphs is left out of the ``sentences`` table and
  blanked (replaced by spaces, so every offset stays) in its paragraph's
  text, and the paragraph's ``reason`` quotes what was left out.

An outlet needs ``MIN_ARTICLES`` articles before anything is learned from it,
so a corpus of one article per outlet (the seeds) is untouched, and so are
articles without an outlet (``unknown``: no manifest). What it
cannot tell: a wire story's standard background paragraph, repeated verbatim
in a fifth of an outlet's articles, is marked too (its reason says so;
lower ``MAX_PARAGRAPH_WORDS`` or raise ``SHARE`` if that matters).
"""

from __future__ import annotations

import math
import re

import pandas as pd

from analysis.load.schema import UNKNOWN_OUTLET
from analysis.load.text import count_words

__all__ = ["MAX_PARAGRAPH_WORDS", "MAX_SENTENCE_WORDS", "MIN_ARTICLES", "SHARE", "mark_repeated", "threshold"]

MIN_ARTICLES = 3
SHARE = 0.2
MAX_PARAGRAPH_WORDS = 60
MAX_SENTENCE_WORDS = 25
_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")


def threshold(n_articles: int) -> int:
    """How many of an outlet's ``n_articles`` must repeat a line for it to be furniture."""
    return max(MIN_ARTICLES, math.ceil(SHARE * n_articles))


def _norm(texts: pd.Series) -> pd.Series:
    return texts.fillna("").str.casefold().str.replace(_DIGITS, "#", regex=True).str.replace(
        _SPACE, " ", regex=True).str.strip()


def _repeated(rows: pd.DataFrame, outlets: pd.Series, counts: pd.Series) -> pd.Series:
    """For each row (``article_id``, ``norm``): "k of M articles of OUTLET" when its text is repeated, else NA."""
    if rows.empty:
        return pd.Series(pd.NA, index=rows.index, dtype="string")
    outlet = rows["article_id"].map(outlets)
    # (astype: on an Arrow string column, transform("nunique") comes back as strings)
    spread = rows.assign(outlet=outlet).groupby(["outlet", "norm"])["article_id"].transform("nunique").astype("int64")
    total = outlet.map(counts).fillna(0).astype("int64")  # 0: an outlet that teaches nothing
    hit = (total >= MIN_ARTICLES) & (spread >= total.map(threshold)) & rows["norm"].ne("")
    return ("repeated in " + spread.astype(str) + " of " + total.astype(str) + " articles of " + outlet).where(hit)


def mark_repeated(articles: pd.DataFrame, paragraphs: pd.DataFrame, sentences: pd.DataFrame):
    """``(articles, paragraphs, sentences)`` with each outlet's repeated lines marked (see the module).

    ``articles`` gains ``n_repeated`` (paragraphs and sentences left out as
    repeated furniture) and, where it changed, its ``n_body_paragraphs``,
    ``n_sentences`` and ``n_words`` are recounted over what is left. Inputs
    are not modified.
    """
    outlets = articles.set_index("article_id")["outlet"].astype(str)
    # Without outlets there is no "one outlet's furniture": articles of the unknown outlet teach nothing.
    counts = outlets[outlets != UNKNOWN_OUTLET].value_counts()
    articles = articles.assign(n_repeated=0)  # in place of the loader's placeholder, same column
    if not (counts >= MIN_ARTICLES).any() or paragraphs.empty:
        return articles, paragraphs, sentences
    paragraphs = paragraphs.copy()
    body = (paragraphs["kind"] == "body") & (paragraphs["n_words"] <= MAX_PARAGRAPH_WORDS)
    candidates = paragraphs.loc[body, ["article_id"]].assign(norm=_norm(paragraphs.loc[body, "text"]))
    why = _repeated(candidates, outlets, counts).dropna()
    paragraphs.loc[why.index, "kind"] = "boilerplate"
    paragraphs.loc[why.index, "reason"] = why
    marked_paragraphs = paragraphs.loc[why.index, "article_id"].value_counts()

    # Sentences of the paragraphs still in the body.
    body_keys = paragraphs.loc[paragraphs["kind"] == "body", ["article_id", "paragraph"]]
    sentences = sentences.merge(body_keys, on=["article_id", "paragraph"], how="inner")
    short = sentences["n_words"] <= MAX_SENTENCE_WORDS
    candidates = sentences.loc[short, ["article_id"]].assign(norm=_norm(sentences.loc[short, "text"]))
    drop = _repeated(candidates, outlets, counts).dropna()
    marked_sentences = sentences.loc[drop.index, "article_id"].value_counts()
    if len(drop):
        _blank(paragraphs, sentences.loc[drop.index].assign(why=drop))
        sentences = sentences.drop(index=drop.index)
    sentences = sentences.reset_index(drop=True)

    changed = marked_paragraphs.add(marked_sentences, fill_value=0).astype(int)
    if len(changed):
        articles["n_repeated"] = articles["article_id"].map(changed).fillna(0).astype(int)
        _recount(articles, paragraphs, sentences, set(changed.index))
    return articles, paragraphs, sentences


def _blank(paragraphs: pd.DataFrame, dropped: pd.DataFrame) -> None:
    """Blank each dropped sentence in its paragraph's text and say so in the paragraph's ``reason``."""
    row_of = {key: i for i, key in enumerate(zip(paragraphs["article_id"], paragraphs["paragraph"]))}
    texts = paragraphs["text"].tolist()
    reasons = paragraphs["reason"].tolist()
    n_words = paragraphs["n_words"].tolist()
    n_sentences = paragraphs["n_sentences"].tolist()
    for (article_id, paragraph), part in dropped.groupby(["article_id", "paragraph"], sort=False):
        i = row_of[(article_id, paragraph)]
        text = texts[i]
        for a, b in zip(part["start"], part["end"]):  # a sentence's offsets are in its paragraph's text
            text = text[:a] + " " * (b - a) + text[b:]
        n_words[i] = count_words(text)
        n_sentences[i] -= len(part)
        quoted = "; ".join(f"“{t}”" for t in part["text"])
        note = f"left out: {quoted} ({part['why'].iloc[0]})"
        reasons[i] = f"{reasons[i]}; {note}" if isinstance(reasons[i], str) and reasons[i] else note
        texts[i] = text
    paragraphs["text"] = texts
    paragraphs["reason"] = reasons
    paragraphs["n_words"] = pd.array(n_words, dtype="int64")
    paragraphs["n_sentences"] = pd.array(n_sentences, dtype="int64")


def _recount(articles: pd.DataFrame, paragraphs: pd.DataFrame, sentences: pd.DataFrame, ids: set) -> None:
    body = paragraphs[(paragraphs["kind"] == "body") & paragraphs["article_id"].isin(ids)]
    words = body["text"].map(count_words).groupby(body["article_id"]).sum()
    n_body = body.groupby("article_id").size()
    n_sent = sentences[sentences["article_id"].isin(ids)].groupby("article_id").size()
    rows = articles["article_id"].isin(ids)
    for col, values in (("n_body_paragraphs", n_body), ("n_sentences", n_sent), ("n_words", words)):
        articles.loc[rows, col] = articles.loc[rows, "article_id"].map(values).fillna(0).astype(int).to_numpy()
