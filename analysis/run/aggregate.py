"""The cross-article stage: tone and stance summaries, term tables, keyness, frame shares, naming, roles.

``aggregate(…)`` computes every table that looks across articles from the
corpus and the per-article tables, in two halves that run side by side with
``jobs`` > 1, and carries the sums over articles from one run to the next
(``running``), so a corpus that only grew counts only its new articles.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.count import frames, keyness, naming, terms
from analysis.count.outlets import ARTICLE_TERMS_TOP, TERMS_NGRAMS
from analysis.count.roles import roles_by_outlet
from analysis.hashing import file_hash
from analysis.load.corpus import Corpus
from analysis.load.parallel import parallel_map
from analysis.measure.article_tone import summarize_article_tone
from analysis.measure.stance import summarize_stance
from analysis.measure.tone import summarize_tone
from analysis.run.annotate import TONE_BY_ARTICLE, table_hash

__all__ = ["AGGREGATES", "AGGREGATES_KEPT", "AGGREGATE_VERSION", "RUNNING_KEPT", "RUNNING_VERSION", "aggregate",
           "aggregate_inputs"]

# Part of the key of the cached aggregates: bump it when an aggregate changes its output.
AGGREGATE_VERSION = "aggregate-6"  # 2: cached without min_n (flags set on reading); 3: terms_by_article; 4: article_tone_by_outlet; 5: roles_by_outlet
# 6: article_frames_by_outlet


# The sums over articles kept from one run to the next (see ``aggregate``): one entry per
# registry, stopword and naming file; bump the version when what they count changes.
RUNNING_VERSION = "running-2"  # 2: term counts carry the per-article words


RUNNING_KEPT = 2


TERM_PART_CHARS = 20_000_000  # text counted at once for terms_by_outlet (its peak memory grows with it)


BOOTSTRAP_KEPT = 20_000  # tone-cell intervals remembered (about 100 bytes each)


AGGREGATES_KEPT = 4  # whole-corpus results are large: keep the newest few corpus states only


AGGREGATES = ("article_tone_by_outlet", "tone_by_outlet", "tone_by_article", "stance_summary", "terms_by_outlet", "keyness_by_outlet",
              "terms_by_article", "frame_shares", "article_frames_by_outlet", "naming", "roles_by_outlet")


def aggregate_inputs(actors) -> list[str]:
    """Hashes of what the aggregates read besides the per-article tables: actors table, stopwords, naming patterns."""
    return [table_hash(actors), file_hash(terms.STOPWORDS_PATH), file_hash(naming.NAMING_PATH)]


@dataclass
class _Work:
    """What both halves of ``aggregate`` read: shared by the two workers through the fork."""

    corpus: Corpus
    per: dict
    actors: pd.DataFrame
    min_n: int
    running: dict
    new: list | None


def aggregate(corpus: Corpus, per: dict[str, pd.DataFrame], actor_table: pd.DataFrame, min_n: int,
              tone_by_article: pd.DataFrame | None = None, jobs: int = 1, running: dict | None = None,
              article_keys: list[str] | None = None) -> dict:
    """The cross-article tables, from the corpus and the per-article ones.

    ``tone_by_article``: that table when already computed per article (its
    ``small_n`` is set here, from ``min_n``); None to compute it. With
    ``jobs`` > 1 the term counts and the other tables are made in two
    forked processes at once (about equal halves of the work).

    ``running`` (a dict, updated here) carries the sums over articles from
    one call to the next: term and naming counts with the keys
    (``article_keys``, one per article of the corpus) of the articles they
    cover, and the bootstrap intervals of the tone cells. When every article
    counted last time is still in the corpus, unchanged, only the new ones
    are counted and added; otherwise everything is counted again. Counts
    add up exactly and an interval is reused only for the same values, so
    the tables are the same either way (tested).
    """
    if tone_by_article is None:
        tone_by_article = summarize_tone(per["tone"], by=TONE_BY_ARTICLE, min_n=min_n)
    else:
        tone_by_article = tone_by_article.assign(small_n=tone_by_article["n"] < min_n)
    running = {} if running is None else running
    ids = corpus.articles["article_id"].tolist()
    keys = article_keys if article_keys is not None else [None] * len(ids)
    counted = running.get("keys")
    # Articles to count: all, or those new since the counts of last time (which must all still be here).
    new = [a for a, k in zip(ids, keys) if k not in counted] if counted is not None and None not in keys \
        and counted <= set(keys) else None
    work = _Work(corpus=corpus, per=per, actors=actor_table, min_n=min_n, running=running, new=new)
    parts = list(parallel_map(_aggregate_part, [(0,), (1,)], jobs, shared=work))
    tables = {**parts[0], **parts[1], "tone_by_article": tone_by_article}
    if None not in keys:
        running.update(keys=frozenset(keys), terms=tables["_terms"], naming=tables["_naming"])
    running["bootstrap"] = _newest(tables["_bootstrap"], BOOTSTRAP_KEPT)
    return {name: tables[name] for name in AGGREGATES}


def _text_parts(paragraphs: pd.DataFrame, size: int):
    """``paragraphs`` in pieces of whole articles, about ``size`` characters of text each."""
    if paragraphs.empty:
        yield paragraphs
        return
    lengths = paragraphs["text"].str.len().fillna(0).groupby(paragraphs["article_id"], sort=False).sum()
    part = pd.Series(lengths.cumsum().to_numpy() // size, index=lengths.index)
    codes = paragraphs["article_id"].map(part).to_numpy()
    for k in np.unique(codes):
        yield paragraphs[codes == k]


def _newest(memo: dict, n: int) -> dict:
    """The last ``n`` entries of ``memo`` (in insertion order)."""
    return dict(list(memo.items())[-n:]) if len(memo) > n else memo


def _aggregate_part(work: _Work, part: int) -> dict:
    """Half of ``aggregate``: the term tables (``part`` 0), or everything else (1)."""
    corpus, per, actor_table, min_n, running, new = (
        work.corpus, work.per, work.actors, work.min_n, work.running, work.new)
    body = corpus.body()
    todo = body if new is None else body[body["article_id"].isin(new)]
    if part == 0:
        counts = running.get("terms") if new is not None else None
        phrases = terms.actor_phrases(actor_table)
        for piece in _text_parts(todo, TERM_PART_CHARS):  # counted in parts: a fraction of the memory, same sums
            counts = terms.merge_counts(counts, terms.count_terms(piece, by="outlet", ngram_range=TERMS_NGRAMS,
                                                                  phrases=phrases, by_article=True))
        term_table = terms.table_from_counts(counts)
        return {"terms_by_outlet": term_table,
                "keyness_by_outlet": keyness.keyness_from_terms(term_table),  # no second pass over the text
                "terms_by_article": terms.table_from_counts(counts.by_article if counts is not None else None,
                                                            top=ARTICLE_TERMS_TOP, value="tfidf"),
                "_terms": counts}
    names = naming.naming_counts(todo, by="outlet")
    if new is not None and running.get("naming") is not None:
        names = naming.merge_naming(running["naming"], names)
    bootstrap = dict(running.get("bootstrap", {}))
    return {
        "article_tone_by_outlet": summarize_article_tone(per["article_tone"], by=("name", "outlet"), min_n=min_n,
                                                         memo=bootstrap),
        "tone_by_outlet": summarize_tone(per["tone"], by=("name", "outlet"), min_n=min_n, memo=bootstrap),
        "stance_summary": summarize_stance(per["stance"], min_n=min_n) if len(per["stance"]) else pd.DataFrame(),
        "frame_shares": frames.frame_shares(per["frame_hits"], by="outlet", min_n=min_n),
        "article_frames_by_outlet": frames.article_frame_shares(per["article_frames"], by="outlet", min_n=min_n),
        "naming": naming.naming_from_counts(names),
        "roles_by_outlet": roles_by_outlet(per["roles"], min_n=min_n, memo=bootstrap),
        "_naming": names,
        "_bootstrap": bootstrap,
    }
