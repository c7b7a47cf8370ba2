"""Keyness: the terms that set each group apart, as log-odds with an informative Dirichlet prior.

Monroe, Colaresi & Quinn (2008): each group's term counts against all the
other groups', with the corpus as the prior; ``context_keyness`` does the
same within the sentences that mention one actor.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from analysis.count.terms import count_groups, frequent_rows, group_keys
from analysis.count.tokenize import DEFAULT_KINDS, MISSING_PRIOR, Tokenizer

__all__ = ["KEYNESS_COLUMNS", "actor_context", "context_keyness", "keyness", "keyness_from_counts",
           "keyness_from_terms"]

KEYNESS_COLUMNS = ["group", "term", "count", "count_rest", "log_odds", "z"]


def keyness_from_counts(counts: pd.DataFrame, prior=None) -> pd.DataFrame:
    """Log-odds ratio with informative Dirichlet prior, each group against all the others.

    ``counts`` is a wide table of term counts: one row per group (the index),
    one column per term. This is "Fightin' Words" (Monroe, Colaresi & Quinn
    2008, eq. 16-22). For term w, group i and the rest r (all other groups
    pooled), with prior pseudo-counts alpha_w and alpha_0 = sum of alpha:

        log_odds = ln[(y_iw + a_w) / (n_i + a_0 - y_iw - a_w)]
                 - ln[(y_rw + a_w) / (n_r + a_0 - y_rw - a_w)]
        var      = 1 / (y_iw + a_w) + 1 / (y_rw + a_w)
        z        = log_odds / sqrt(var)

    where y are counts and n the total counts of all terms. ``prior``:

    - None (default): alpha_w = the term's count in the whole table (all
      groups pooled), i.e. the corpus is its own background, at its own size;
    - a number: the same alpha for every term (an uninformative prior);
    - a Series or dict term -> pseudo-count, e.g. counts from a background
      corpus; terms it lacks get 0.01.

    Needs at least two groups. Returns one row per group and term with
    columns ``group``, ``term``, ``count`` (y_iw), ``count_rest`` (y_rw),
    ``log_odds`` (real; > 0 means the group uses the term more than the
    others do) and ``z`` (real; |z| > 1.96 is the usual "distinctive" bar,
    but with many terms tested some pass by chance). Sorted by group, then z
    descending.
    """
    if counts.shape[0] < 2:
        raise ValueError("keyness compares groups: at least two groups are needed")
    y = counts.to_numpy(dtype=float)
    total = y.sum(axis=0)
    if prior is None:
        alpha = total.copy()
    elif np.isscalar(prior):
        alpha = np.full(y.shape[1], float(prior))
    else:
        alpha = pd.Series(prior, dtype=float).reindex(counts.columns).fillna(MISSING_PRIOR).to_numpy()
    if np.any(alpha <= 0):
        raise ValueError("prior pseudo-counts must be positive")
    a0 = alpha.sum()
    n = y.sum(axis=1, keepdims=True)
    y_rest, n_rest = total - y, n.sum() - n
    log_odds = np.log((y + alpha) / (n + a0 - y - alpha)) - np.log((y_rest + alpha) / (n_rest + a0 - y_rest - alpha))
    z = log_odds / np.sqrt(1.0 / (y + alpha) + 1.0 / (y_rest + alpha))
    n_groups, n_terms = y.shape
    table = pd.DataFrame(
        {
            "group": np.repeat(counts.index.to_numpy(), n_terms),
            "term": np.tile(counts.columns.to_numpy(), n_groups),
            "count": y.ravel().astype(np.int64),
            "count_rest": y_rest.ravel().astype(np.int64),
            "log_odds": log_odds.ravel(),
            "z": z.ravel(),
        }
    )
    order = np.lexsort((table["term"].to_numpy(), -table["z"].to_numpy(), np.repeat(np.arange(n_groups), n_terms)))
    return table.iloc[order].reset_index(drop=True)


def keyness(
    paragraphs: pd.DataFrame,
    by: str = "outlet",
    prior=None,
    ngram_range: tuple[int, int] = (1, 1),
    stopwords: Iterable[str] | None = None,
    extra_stopwords: Iterable[str] = (),
    phrases: Mapping[str, str] | Iterable[str] | None = None,
    kinds=DEFAULT_KINDS,
    text_col: str = "text",
    min_count: int = 1,
    period: str = "M",
) -> pd.DataFrame:
    """The terms that distinguish each group from all the others (Fightin' Words).

    Counts terms per group as ``term_table`` does (same tokenizer options,
    ``by`` and ``kinds``), then scores every group against the rest with
    ``keyness_from_counts`` (see there for the formula and ``prior``). Any
    number of groups >= 2; with one group (every article from one outlet)
    there is nothing to compare, and the table has no rows. Returns ``group, term, count, count_rest,
    log_odds, z``: one row per group and term (including count 0: a negative z
    marks a term the group avoids), sorted by group then z descending.
    ``min_count`` drops terms rarer than that in the whole table, which keeps
    the table small on big corpora. The table is dense (groups x terms), so
    group by outlet or country rather than by article.
    """
    tokenizer = Tokenizer(stopwords, extra_stopwords, phrases, ngram_range)
    counted = count_groups(paragraphs, by, tokenizer, kinds, text_col, period, min_count)
    if counted is None or counted.counts.nnz == 0 or len(counted.groups) < 2:  # nothing to compare
        return pd.DataFrame(columns=KEYNESS_COLUMNS)
    wide = pd.DataFrame(counted.counts.toarray(), index=counted.groups, columns=counted.terms)
    return keyness_from_counts(wide, prior=prior)


def keyness_from_terms(table: pd.DataFrame, prior=None, ngram: int = 1, min_count: int = 1) -> pd.DataFrame:
    """``keyness`` from a ``term_table`` of the same text, tokenizer options and grouping.

    The term table already holds every group's n-gram counts, so scoring its
    ``ngram``-grams gives exactly what ``keyness(..., ngram_range=(ngram,
    ngram), min_count=min_count)`` would, without scanning the text a second
    time (tested on the seeds). Returns the ``keyness`` columns; no rows when
    there is nothing to compare (no terms, or a single group: every article
    from one outlet).
    """
    rows = frequent_rows(table[table["ngram"] == ngram], min_count)
    if rows.empty or rows["group"].nunique() < 2:
        return pd.DataFrame(columns=KEYNESS_COLUMNS)
    wide = rows.pivot_table(index="group", columns="term", values="count", aggfunc="sum", fill_value=0)
    wide.columns.name = None
    return keyness_from_counts(wide, prior=prior)


def actor_context(units: pd.DataFrame, mentions: pd.DataFrame, actor: str, include_children: bool = True) -> pd.DataFrame:
    """The rows of ``units`` (sentences or paragraphs) that mention ``actor``.

    ``mentions`` is the output of ``analysis.measure.actors.find_mentions`` (columns
    ``article_id``, ``paragraph``, ``sentence``, ``actor``, ``parent``).
    Sentences are matched on (article_id, paragraph, sentence); a table
    without a ``sentence`` column (paragraphs) on (article_id, paragraph).
    With ``include_children``, mentions of actors whose ``parent`` is
    ``actor`` count too (e.g. a ministry for its government). Each unit is
    returned once, however many mentions it holds, in its original order.
    """
    keys = ["article_id", "paragraph"] + (["sentence"] if "sentence" in units.columns and "sentence" in mentions.columns else [])
    hit = mentions["actor"] == actor
    if include_children and "parent" in mentions.columns:
        hit |= mentions["parent"] == actor
    wanted = mentions.loc[hit, keys].drop_duplicates()
    index = pd.MultiIndex.from_frame(units[keys].astype({"article_id": str}))
    wanted_index = pd.MultiIndex.from_frame(wanted.astype({"article_id": str}))
    return units[index.isin(wanted_index)]


def context_keyness(
    sentences: pd.DataFrame,
    mentions: pd.DataFrame,
    actor: str,
    by: str = "outlet",
    prior=None,
    include_children: bool = True,
    **term_options,
) -> pd.DataFrame:
    """Keyness of the words around one actor: the sentences that mention ``actor``, compared across ``by``.

    Selects the sentences with ``actor_context`` and scores them with
    ``keyness`` (same columns: ``group, term, count, count_rest, log_odds,
    z``). The actor's own names are counted like any word; to leave them out,
    pass them as ``extra_stopwords`` (e.g. ``["putin", "vladimir"]``). Other
    keyword options (``ngram_range``, ``phrases``, ``min_count`` …) go to
    ``keyness``. Groups whose sentences never mention the actor do not appear;
    with fewer than two groups left, the table is empty.
    """
    context = actor_context(sentences, mentions, actor, include_children=include_children)
    groups = group_keys(context, by, term_options.get("period", "M")).nunique() if len(context) else 0
    if groups < 2:
        return pd.DataFrame(columns=KEYNESS_COLUMNS)
    return keyness(context, by=by, prior=prior, kinds=None, **term_options)
