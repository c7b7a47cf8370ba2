"""Term and keyness tables by outlet or article, cut from the tables ``analyze`` returns.

The notebooks ask for narrower tables than ``analyze`` counts (one-word
terms only, a higher minimum count): these functions cut them from
``terms_by_outlet``, ``terms_by_article`` and ``keyness_by_outlet`` when
those answer the request, and count the paragraphs again only when they do
not (extra stopwords, say). Either way the rows are the same (tested).
"""

from __future__ import annotations

import pandas as pd

from analysis.count import keyness, terms
from analysis.measure.actors import load_actors

__all__ = ["ARTICLE_TERMS_TOP", "TERMS_NGRAMS", "article_terms", "outlet_keyness", "outlet_terms"]

TERMS_NGRAMS = (1, 3)  # the n-grams of ``terms_by_outlet``: narrower term tables are cut from it


ARTICLE_TERMS_TOP = 5  # ``terms_by_article``: each article's top words by TF-IDF


def outlet_terms(tables: dict[str, pd.DataFrame], ngram_range: tuple[int, int] = (1, 1), min_count: int = 1,
                 extra_stopwords=(), actors=None) -> pd.DataFrame:
    """``terms.term_table`` by outlet of the body text, from ``analyze``'s tables.

    Cut from ``terms_by_outlet`` (``terms.restrict_terms``: the same table,
    without reading the text again) when it is there and covers the request;
    counted from ``paragraphs`` otherwise, e.g. with ``extra_stopwords``.
    ``actors``: the actors table ``analyze`` was given (None: the shipped one);
    its names are counted as one term per actor either way.
    """
    lo, hi = ngram_range
    extra = list(extra_stopwords)
    if not extra and "terms_by_outlet" in tables and TERMS_NGRAMS[0] <= lo <= hi <= TERMS_NGRAMS[1]:
        return terms.restrict_terms(tables["terms_by_outlet"], ngram_range, min_count)
    return terms.term_table(tables["paragraphs"], by="outlet", ngram_range=ngram_range, extra_stopwords=extra,
                            phrases=terms.actor_phrases(load_actors(actors)), min_count=min_count)


def article_terms(tables: dict[str, pd.DataFrame], top: int = ARTICLE_TERMS_TOP, extra_stopwords=(),
                  actors=None) -> pd.DataFrame:
    """Each article's ``top`` words by TF-IDF (each article one document): ``terms.term_table`` by ``article_id``.

    ``terms_by_article`` of ``analyze`` when it is there and answers the
    request (the same rows, tested): counted with the terms by outlet, it
    spares reading every article's text again (13 s of notebook 03 at
    10,000 articles). Counted from ``paragraphs`` otherwise.
    """
    extra = list(extra_stopwords)
    if not extra and top == ARTICLE_TERMS_TOP and "terms_by_article" in tables:
        return tables["terms_by_article"]
    return terms.term_table(tables["paragraphs"], by="article_id", extra_stopwords=extra,
                            phrases=terms.actor_phrases(load_actors(actors)), top=top, top_value="tfidf")


def outlet_keyness(tables: dict[str, pd.DataFrame], min_count: int = 1, actors=None) -> pd.DataFrame:
    """``terms.keyness`` by outlet of the body text (words), from ``analyze``'s tables.

    From ``keyness_by_outlet`` or the counts in ``terms_by_outlet`` when they
    are there (the same table, tested), from ``paragraphs`` otherwise.
    """
    if "terms_by_outlet" in tables:
        if min_count <= 1 and "keyness_by_outlet" in tables:
            return tables["keyness_by_outlet"]
        return keyness.keyness_from_terms(tables["terms_by_outlet"], min_count=min_count)
    return keyness.keyness(tables["paragraphs"], by="outlet", phrases=terms.actor_phrases(load_actors(actors)),
                         min_count=min_count)
