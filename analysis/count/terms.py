"""Terms: offline tokenization, term tables for any grouping, and keyness.

Everything here counts *terms* in paragraphs (or sentences) and compares the
counts across groups of articles (outlet, country, genre, period, article).

Tokenization is ``analysis.count.tokenize``; keyness is ``analysis.count.keyness``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis.count.tokenize import (  # re-exported: the notebooks call them as terms.*
    DEFAULT_KINDS,
    RATE_PER,
    STOPWORDS_PATH,
    WORDS_RE,
    Tokenizer,
    actor_phrases,
    actor_terms,
    case_variants,
    load_stopwords,
    tokenize,
)

__all__ = ["DEFAULT_KINDS", "STOPWORDS_PATH", "TERM_COLUMNS", "Tokenizer", "actor_phrases", "actor_terms",
           "case_variants", "count_groups", "count_terms", "frequent_rows", "group_keys", "load_stopwords",
           "merge_counts", "restrict_terms", "select_text", "table_from_counts", "term_table", "tokenize",
           "top_terms"]

def select_text(frame: pd.DataFrame, kinds=DEFAULT_KINDS) -> pd.DataFrame:
    """The rows whose text is counted: ``kind`` in ``kinds`` (all rows if ``kinds`` is None or there is no ``kind``)."""
    if kinds is None or "kind" not in frame.columns:
        return frame
    return frame[frame["kind"].isin(list(kinds))]


def group_keys(frame: pd.DataFrame, by: str, period: str) -> pd.Series:
    """The group label of every row: a column, or ``"period"`` derived from ``date``."""
    if by in frame.columns:
        return frame[by]
    if by == "period" and "date" in frame.columns:
        return pd.to_datetime(frame["date"]).dt.to_period(period).astype("string")
    raise KeyError(f"cannot group by {by!r}: no such column (use a column name, or 'period' with a date column)")


@dataclass
class _Counts:
    """Term counts aggregated to groups: csr matrices share one sparsity pattern."""

    groups: pd.Index
    terms: np.ndarray
    counts: sp.csr_matrix  # groups x terms: occurrences
    docfreq: sp.csr_matrix | None  # groups x terms: articles of the group containing the term
    # (None when each group is one article: 1 wherever the article uses the term)
    n_articles: np.ndarray
    n_words: np.ndarray
    # With ``count_terms(..., by_article=True)``: the one-word terms per article, as
    # ``term_table(..., by="article_id")`` counts them (None otherwise).
    by_article: _Counts | None = None


def count_groups(
    frame: pd.DataFrame,
    by: str,
    tokenizer: Tokenizer,
    kinds,
    text_col: str,
    period: str,
    min_count: int,
    by_article: bool = False,
) -> _Counts | None:
    """Count terms per group; None when nothing is left to count. ``by_article``: see ``count_terms``."""
    rows = select_text(frame, kinds)
    keys = group_keys(rows, by, period)
    keep = keys.notna().to_numpy()
    rows, keys = rows[keep], keys[keep]
    if rows.empty:
        return None
    counted = tokenizer._matrix(rows[text_col].fillna("").astype(str).tolist())
    if counted is None:  # empty vocabulary: no text contains a term
        return None
    X, terms = counted
    group_codes, groups = pd.factorize(keys, sort=True)
    n_docs, n_groups = len(rows), len(groups)
    # Each (group, article) pair is one document for document frequency.
    article = rows["article_id"].astype(str).to_numpy() if "article_id" in rows else np.arange(n_docs).astype(str)
    pair_codes, pairs = pd.factorize(pd.MultiIndex.from_arrays([group_codes, article]))
    pair_group = pairs.get_level_values(0).to_numpy()
    to_pairs = sp.csr_matrix((np.ones(n_docs), (pair_codes, np.arange(n_docs))), shape=(len(pairs), n_docs))
    to_groups = sp.csr_matrix((np.ones(len(pairs)), (pair_group, np.arange(len(pairs)))), shape=(n_groups, len(pairs)))
    per_pair = (to_pairs @ X).tocsr()
    present = per_pair.copy()
    present.data = np.ones_like(present.data)
    counts = _canonical_csr(to_groups @ per_pair)
    docfreq = _canonical_csr(to_groups @ present)
    if "n_words" in rows:
        words = rows["n_words"].fillna(0).to_numpy(dtype=float)
    else:
        words = rows[text_col].fillna("").astype(str).str.count(WORDS_RE.pattern).to_numpy(dtype=float)
    n_words = np.bincount(group_codes, weights=words, minlength=n_groups)
    n_articles = np.bincount(pair_group, minlength=n_groups)
    per_article = _article_words(per_pair, terms, pairs.get_level_values(1).to_numpy(),
                                 np.bincount(pair_codes, weights=words, minlength=len(pairs))) if by_article else None
    if min_count > 1:
        keep_terms = np.asarray(counts.sum(axis=0)).ravel() >= min_count
        counts, docfreq, terms = counts[:, keep_terms], docfreq[:, keep_terms], terms[keep_terms]
        counts, docfreq = _canonical_csr(counts), _canonical_csr(docfreq)
    return _Counts(pd.Index(groups, name=by), terms, counts, docfreq, n_articles, n_words, per_article)


def _article_words(per_pair: sp.csr_matrix, terms: np.ndarray, article: np.ndarray, words: np.ndarray) -> _Counts:
    """The one-word terms per article (sorted ids), as ``count_groups`` by ``article_id`` counts them.

    Summed from ``count_groups``'s (group, article) counts ``per_pair``, whose
    articles are ``article`` and running words ``words``: no second pass over
    the text, nor over its paragraphs.

    Each article is its own group, so its document frequencies are 1 where it
    uses a term (``docfreq`` None), and the counts are the same sums of the
    same integers, kept as 32-bit integers: these counts are carried from one
    run to the next, about 28 MB per 10,000 articles.
    """
    one_word = np.fromiter((" " not in t for t in terms), dtype=bool, count=len(terms))
    codes, ids = pd.factorize(article, sort=True)  # term_table's group order: sorted ids
    to_articles = sp.csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))), shape=(len(ids), len(codes)))
    counts = _canonical_csr(to_articles @ per_pair[:, one_word]).astype(np.int32)
    return _Counts(pd.Index(ids, name="article_id"), terms[one_word], counts, None,
                   np.ones(len(ids), dtype=np.int64), np.bincount(codes, weights=words, minlength=len(ids)))


def _canonical_csr(matrix) -> sp.csr_matrix:
    matrix = sp.csr_matrix(matrix)
    matrix.sum_duplicates()
    matrix.eliminate_zeros()
    matrix.sort_indices()
    return matrix


TERM_COLUMNS = ["group", "term", "count", "rate", "df", "tfidf", "ngram", "n_articles", "n_words"]


def term_table(
    paragraphs: pd.DataFrame,
    by: str = "outlet",
    ngram_range: tuple[int, int] = (1, 1),
    stopwords: Iterable[str] | None = None,
    extra_stopwords: Iterable[str] = (),
    phrases: Mapping[str, str] | Iterable[str] | None = None,
    kinds=DEFAULT_KINDS,
    text_col: str = "text",
    min_count: int = 1,
    period: str = "M",
    top: int | None = None,
    top_value: str = "count",
) -> pd.DataFrame:
    """Term frequencies per group, in long format: one row per group and term used in it.

    ``by`` is any column (``outlet``, ``country``, ``genre``, ``article_id``…)
    or ``"period"`` (the ``date`` column cut into ``period``: "M" months,
    "Q" quarters, "Y" years, "W" weeks). Rows with a missing group are left
    out. Terms used fewer than ``min_count`` times in the whole table are
    dropped. Returns the columns:

    - ``group``: the group label; ``term``: the term (see module docstring);
    - ``count``: occurrences of the term in the group (>= 1);
    - ``rate``: occurrences per 10,000 running words of the group's counted
      text (``n_words`` as counted by the corpus loader, stopwords included),
      so groups of different size compare; > 0;
    - ``df``: document frequency, the number of the group's articles that
      contain the term (1 .. ``n_articles``);
    - ``tfidf``: TF-IDF with each *group* as one document: raw count times
      ``idf = ln((1 + G) / (1 + g)) + 1`` (G groups, g groups using the
      term), then each group's vector scaled to unit length (scikit-learn's
      ``TfidfTransformer`` defaults). In [0, 1]; compare within a group. A
      term every group uses gets idf 1, so with few groups tfidf mostly
      follows count; by ``article_id`` it is the classic per-article TF-IDF;
    - ``ngram``: number of words in the term (a phrase term counts as one);
    - ``n_articles``, ``n_words``: size of the group.

    Sorted by group, then count (descending), then term. With ``top``, only
    the ``top`` terms of each group by ``top_value`` are kept, sorted as
    ``top_terms(term_table(...), top, top_value)`` sorts them (the same
    rows, tested), at a fraction of the time and memory when the groups are
    articles.

    >>> import pandas as pd
    >>> p = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "Y"],
    ...                   "text": ["War and war.", "Peace talks."], "n_words": [3, 2]})
    >>> term_table(p)[["group", "term", "count", "df"]].values.tolist()
    [['X', 'war', 2, 1], ['Y', 'peace', 1, 1], ['Y', 'talks', 1, 1]]
    """
    tokenizer = Tokenizer(stopwords, extra_stopwords, phrases, ngram_range)
    return table_from_counts(count_groups(paragraphs, by, tokenizer, kinds, text_col, period, min_count), top, top_value)


def count_terms(
    paragraphs: pd.DataFrame,
    by: str = "outlet",
    ngram_range: tuple[int, int] = (1, 1),
    stopwords: Iterable[str] | None = None,
    extra_stopwords: Iterable[str] = (),
    phrases: Mapping[str, str] | Iterable[str] | None = None,
    kinds=DEFAULT_KINDS,
    text_col: str = "text",
    period: str = "M",
    by_article: bool = False,
) -> _Counts | None:
    """The counts behind ``term_table`` (same options, ``min_count`` 1), or None when there is no term.

    ``by_article``: also count each article's one-word terms, from the same
    pass over the text, in ``.by_article``: ``table_from_counts`` of those is
    ``term_table(paragraphs, by="article_id")`` with the same options (tested),
    the per-article TF-IDF without reading the text a second time.

    Counts of two sets of articles with no article in common add up
    (``merge_counts``) to the counts of both, and ``table_from_counts`` turns
    them into the ``term_table``: a corpus that grows by a few articles
    needs only those counted.
    """
    return count_groups(paragraphs, by, Tokenizer(stopwords, extra_stopwords, phrases, ngram_range), kinds, text_col,
                  period, 1, by_article)


def merge_counts(a: _Counts | None, b: _Counts | None) -> _Counts | None:
    """The counts of two disjoint sets of articles together (see ``count_terms``)."""
    if a is None or b is None:
        return a if b is None else b
    groups = pd.Index(sorted(set(a.groups) | set(b.groups)), name=a.groups.name)
    in_a = np.searchsorted(a.terms, b.terms)  # terms are sorted: the new ones are found without hashing them all
    known = (in_a < len(a.terms)) & (a.terms[np.minimum(in_a, max(len(a.terms) - 1, 0))] == b.terms) \
        if len(a.terms) else np.zeros(len(b.terms), dtype=bool)
    new = b.terms[~known]  # sorted, as b.terms is
    at = np.searchsorted(a.terms, new)
    terms = np.insert(a.terms, at, new)
    a_cols = np.arange(len(a.terms)) + np.searchsorted(at, np.arange(len(a.terms)), side="right")
    b_cols = np.searchsorted(terms, b.terms)

    def place(part: _Counts, cols: np.ndarray, matrix: str) -> sp.coo_matrix:
        m = getattr(part, matrix).tocoo()
        rows = groups.get_indexer(part.groups)[m.row]
        return sp.coo_matrix((m.data, (rows, cols[m.col])), shape=(len(groups), len(terms)))

    def sizes(name: str) -> np.ndarray:
        out = np.zeros(len(groups), dtype=getattr(a, name).dtype)
        for part in (a, b):
            np.add.at(out, groups.get_indexer(part.groups), getattr(part, name))
        return out

    counts = _canonical_csr(place(a, a_cols, "counts") + place(b, b_cols, "counts"))
    docfreq = None if a.docfreq is None or b.docfreq is None else \
        _canonical_csr(place(a, a_cols, "docfreq") + place(b, b_cols, "docfreq"))
    # Per article only when both sides have them: half of the articles would be a wrong table.
    per_article = merge_counts(a.by_article, b.by_article) \
        if a.by_article is not None and b.by_article is not None else None
    return _Counts(groups, terms, counts, docfreq, sizes("n_articles"), sizes("n_words"), per_article)


def table_from_counts(counted: _Counts | None, top: int | None = None, value: str = "count") -> pd.DataFrame:
    """The ``term_table`` of counts from ``count_terms`` (or ``merge_counts``).

    ``top``: keep only the ``top`` terms of each group by ``value`` (count,
    rate, df or tfidf), as ``top_terms(table, top, value)`` would, in its
    order, without building the rows of the other terms: by article, the
    full table has a row per article and term.
    """
    if counted is None or counted.counts.nnz == 0:
        return pd.DataFrame({c: pd.Series(dtype=float if c in ("rate", "tfidf") else object) for c in TERM_COLUMNS})
    C, D = counted.counts, counted.docfreq
    tfidf = _canonical_csr(_tfidf(C))
    if not ((D is None or np.array_equal(C.indptr, D.indptr)) and np.array_equal(C.indptr, tfidf.indptr)):
        raise AssertionError("count, df and tfidf matrices lost alignment")
    row = np.repeat(np.arange(C.shape[0]), np.diff(C.indptr))
    words = counted.n_words[row]
    columns = {
        "count": C.data.astype(np.int64),
        "rate": np.divide(C.data.astype(np.float64) * RATE_PER, words, out=np.full(len(row), np.nan), where=words > 0),
        "df": D.data.astype(np.int64) if D is not None else np.ones(C.nnz, dtype=np.int64),
        "tfidf": tfidf.data,
    }
    if top is None:  # by group, then count (descending), then term
        order = np.lexsort((counted.terms[C.indices], -columns["count"], row))
    else:
        if value not in columns:
            raise ValueError(f"top terms by {value!r}: choose one of {', '.join(columns)}")
        # Terms are sorted, so a column index orders as its term: by group, value (descending), term.
        order = np.lexsort((C.indices, -columns[value], row))
        first_of_row = np.repeat(C.indptr[:-1], np.diff(C.indptr))  # row is sorted: the same per position
        order = order[np.arange(len(order)) - first_of_row < top]
    row, words = row[order], words[order]
    terms = counted.terms[C.indices[order]]
    table = pd.DataFrame(
        {
            "group": counted.groups.to_numpy()[row],
            "term": terms,
            "count": columns["count"][order],
            "rate": columns["rate"][order],
            "df": columns["df"][order],
            "tfidf": columns["tfidf"][order],
            "ngram": pd.Series(terms).str.count(" ").to_numpy() + 1,
            "n_articles": counted.n_articles[row],
            "n_words": words.astype(np.int64),
        }
    )
    return table


def _tfidf(counts: sp.csr_matrix) -> sp.csr_matrix:
    """``TfidfTransformer().fit_transform(counts)`` of scikit-learn, to the last bit, without importing it.

    Importing scikit-learn's text module takes about 1 s, in every process
    that makes a term table (``analyze``, notebooks 03 and 04). The steps are
    scikit-learn's (smooth idf ``ln((1 + n) / (1 + df)) + 1``, then each row
    divided by its l2 norm, empty rows left as they are), in its order: the
    squares of a row are summed one after the other, as its compiled loop
    does (``cumsum`` adds in order; ``sum`` would add pairwise). A test holds
    the two equal, bit for bit.
    """
    X = sp.csr_matrix(counts, dtype=np.float64, copy=True)
    n_samples = X.shape[0]
    df = np.bincount(X.indices, minlength=X.shape[1]).astype(np.float64)
    df += 1.0
    idf = np.full_like(df, fill_value=n_samples + 1, dtype=np.float64)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    X.data *= idf[X.indices]
    squares = X.data * X.data
    for i in range(n_samples):
        a, b = X.indptr[i], X.indptr[i + 1]
        if a == b:
            continue
        total = np.cumsum(squares[a:b])[-1]
        if total != 0.0:
            X.data[a:b] /= np.sqrt(total)
    return X


def restrict_terms(table: pd.DataFrame, ngram_range: tuple[int, int] = (1, 1), min_count: int = 1) -> pd.DataFrame:
    """The ``term_table`` for a narrower ``ngram_range`` (and ``min_count``), from a wider one.

    ``table`` is ``term_table`` output with ``min_count=1`` over an n-gram
    range that covers ``ngram_range``. Counts, rates, document frequencies
    and group sizes do not depend on which other n-grams are counted, so the
    rows are kept as they are; ``tfidf`` is recomputed over the kept terms,
    since each group's vector is scaled over its own terms. The result equals
    ``term_table(text, ngram_range=..., min_count=...)`` with the same
    tokenizer options and grouping (tested), without reading the text again,
    provided every group of the text has at least one term in ``table`` (a
    group whose text is all stopwords has no row to count in the idf).
    """
    lo, hi = ngram_range
    rows = frequent_rows(table[table["ngram"].between(lo, hi)], min_count).reset_index(drop=True)
    if rows.empty:
        return rows
    # The counts again, as count_terms would give them; every group of the text counts in the idf.
    sizes = table.groupby("group", sort=True)[["n_articles", "n_words"]].first()
    row = pd.Categorical(rows["group"], categories=sizes.index).codes
    term_codes, vocabulary = pd.factorize(rows["term"], sort=True)  # term_table's vocabulary order

    def matrix(column: str) -> sp.csr_matrix:
        values = rows[column].to_numpy(dtype=float)
        return _canonical_csr(sp.csr_matrix((values, (row, term_codes)), shape=(len(sizes), len(vocabulary))))

    counted = _Counts(sizes.index, np.asarray(vocabulary, dtype=object), matrix("count"), matrix("df"),
                      sizes["n_articles"].to_numpy(), sizes["n_words"].to_numpy(dtype=float))
    return table_from_counts(counted)


def frequent_rows(rows: pd.DataFrame, min_count: int) -> pd.DataFrame:
    """The rows of terms counted at least ``min_count`` times over all groups (as ``min_count`` filters)."""
    if min_count <= 1:
        return rows
    return rows[rows.groupby("term", sort=False)["count"].transform("sum") >= min_count]


def top_terms(table: pd.DataFrame, n: int = 10, value: str = "count", group: str = "group") -> pd.DataFrame:
    """The ``n`` rows with the highest ``value`` in each ``group`` (ties broken by term, A-Z).

    Works on ``term_table`` and ``keyness`` output alike; keeps every column.
    """
    ordered = table.sort_values([group, value, "term"], ascending=[True, False, True], kind="mergesort")
    return ordered.groupby(group, sort=True, observed=True).head(n).reset_index(drop=True)
