"""Every table the notebooks show, computed in one pass and cached per article.

``analyze(folder)`` loads a corpus, annotates each article (mentions, tone,
quotes, stance, frame hits) and aggregates across articles (tone and stance
summaries, term tables by outlet and each article's top terms, keyness, frame
shares, naming choices). It returns the tables as a dict of DataFrames;
``write_tables`` saves them as Parquet and CSV.

Per-article results are cached by the article's content hash, its metadata,
the versions of the methods and the hashes of everything they read: the
annotations (mentions, tone, quotes, stance, tone per article) by the actor
registry, tone model and parameters; frame hits by the frame dictionary.
Rerunning after adding one article recomputes that article, and the
aggregates from the sums kept from the previous run (term and naming counts
plus the new article's, bootstrap intervals of the cells it changes; see
``aggregate``); a changed registry or dictionary changes the keys of
exactly the tables that read it, so nothing stale is ever reused. Articles
are annotated in chunks (one call per chunk costs far less than one per
article), and the cache stores each run's new articles as one segment
(``analysis.run.cache``). Every table of a call is also kept whole, as Arrow
files under one key for the corpus files, the inputs and the package's code
(the newest ``SNAPSHOTS_KEPT``): the notebooks after ``run`` read them at
once instead of assembling the corpus and the per-article tables again.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.config import PACKAGE_DIR
from analysis.config import VERSION as __version__
from analysis.count import frames, naming, terms
from analysis.models import targets
from analysis.measure.actors import find_mentions, load_actors
from analysis.run.cache import KEY_COLUMN, Cache, default_cache_dir, file_hash, open_cache
from analysis.run.cache import key as cache_key
from analysis.load.corpus import (
    LOADER_VERSION,
    Corpus,
    load_keys,
    load_plan,
    parallel_map,
    plan_corpus,
)
from analysis.outputs import atomic_path, neutralize_formulas
from analysis.measure.quotes import find_quotes
from analysis.measure.stance import find_stance, summarize_stance
from analysis.count.stats import DEFAULT_MIN_N
from analysis.measure.tone import mention_tone, summarize_tone

__all__ = ["analyze", "outlet_terms", "article_terms", "outlet_keyness", "write_tables", "default_cache_dir", "ANNOTATE_VERSION", "PER_ARTICLE"]

# Part of every per-article cache key: bump it when annotation changes its output.
ANNOTATE_VERSION = "annotate-4"
PER_ARTICLE = ("mentions", "tone", "quotes", "stance", "frame_hits")
# Annotations cached per article under the registry's hash; frame hits are
# cached under the frame dictionary's hash instead.
CACHED = ("mentions", "tone", "quotes", "stance")
TONE_BY_ARTICLE = ("name", "article_id")
# Part of the key of the cached aggregates: bump it when an aggregate changes its output.
AGGREGATE_VERSION = "aggregate-3"  # 2: cached without min_n (flags set on reading); 3: terms_by_article
TERMS_NGRAMS = (1, 3)  # the n-grams of ``terms_by_outlet``: narrower term tables are cut from it
ARTICLE_TERMS_TOP = 5  # ``terms_by_article``: each article's top words by TF-IDF
# The sums over articles kept from one run to the next (see ``aggregate``): one entry per
# registry, stopword and naming file; bump the version when what they count changes.
RUNNING_VERSION = "running-2"  # 2: term counts carry the per-article words
RUNNING_KEPT = 2
TERM_PART_CHARS = 20_000_000  # text counted at once for terms_by_outlet (its peak memory grows with it)
BOOTSTRAP_KEPT = 20_000  # tone-cell intervals remembered (about 100 bytes each)
AGGREGATES_KEPT = 4  # whole-corpus results are large: keep the newest few corpus states only
# Every table of one analyze call, kept whole so that the notebooks after `run` read them at once.
SNAPSHOT_VERSION = "snapshot-1"
SNAPSHOTS_KEPT = 2


def _table_hash(table) -> str:
    """A content hash of a registry/dictionary given as None, a path or a DataFrame."""
    if table is None:
        return "shipped"
    if isinstance(table, (str, Path)):
        return file_hash(table)
    return cache_key(table.to_csv(index=False))


# --------------------------------------------------------------------------- per article

_STATE: dict = {}  # set before forking workers: they read it instead of receiving a copy


def _annotate(article_ids: list[str]) -> dict[str, pd.DataFrame]:
    """The per-article tables of a chunk of articles, annotated as one sub-corpus (one call per chunk).

    Also ``tone_by_article``: its cells depend on one article each (and each
    interval on its own cell only), so it is computed and cached here rather
    than bootstrapped again for the whole corpus on every run.
    """
    corpus, actors, frame_table, method = (_STATE[k] for k in ("corpus", "actors", "frames", "method"))
    tables = annotate_article(_subcorpus(corpus, article_ids), actors, frame_table, method, with_frames=False)
    tables["tone_by_article"] = summarize_tone(tables["tone"], by=TONE_BY_ARTICLE)
    return tables


def _frame_hits(article_ids: list[str]) -> dict[str, pd.DataFrame]:
    """Frame hits of a chunk of articles' paragraphs."""
    return {"frame_hits": frames.frame_hits(_subcorpus(_STATE["corpus"], article_ids).paragraphs, _STATE["frames"])}


def _subcorpus(corpus: Corpus, article_ids: list[str]) -> Corpus:
    """The rows of ``article_ids`` (in corpus order) as a ``Corpus``."""
    index = _STATE["index"]

    def rows(name: str) -> np.ndarray:
        parts = [index[name].get(a, ()) for a in article_ids]
        return np.concatenate(parts).astype(np.intp) if parts else np.empty(0, dtype=np.intp)

    return Corpus(
        corpus.folder,
        corpus.articles.iloc[[index["articles"][a] for a in article_ids]],
        corpus.paragraphs.iloc[rows("paragraphs")],
        corpus.sentences.iloc[rows("sentences")],
        corpus.problems.iloc[0:0],
    )


def annotate_article(article: Corpus, actors: pd.DataFrame, frame_table: pd.DataFrame, method: str,
                     with_frames: bool = True) -> dict:
    """The per-article tables (see ``PER_ARTICLE``) of a ``Corpus`` of one article or several.

    Each article is annotated on its own terms (a surname resolves only after
    the full name in the same article), so annotating a chunk of articles at
    once gives the rows of annotating each alone, at a fraction of the cost.
    ``with_frames=False`` leaves out ``frame_hits`` (for a caller that finds
    them for the whole corpus at once).

    Tone is scored for English articles only (the lexicons and the model are
    English); mentions, quotes and stance edges are kept for every language.
    """
    mentions = find_mentions(article, actors)
    english = article.articles.loc[article.articles["language"] == "en", "article_id"]
    tone = mention_tone(mentions[mentions["article_id"].isin(english)], article.sentences, method=method)
    tables = {
        "mentions": mentions,
        "tone": tone,
        "quotes": find_quotes(article, actors, mentions=mentions),
        "stance": find_stance(article, mentions),
    }
    if with_frames:
        tables["frame_hits"] = frames.frame_hits(article.paragraphs, frame_table)
    return tables


def _per_article(corpus: Corpus, actors, frame_table, method: str, params: dict, jobs: int,
                 cache: Cache | None, progress: bool) -> tuple[dict[str, pd.DataFrame], str, list[str]]:
    """The per-article tables, one key for all of them (every article's content, metadata and inputs), and each article's key."""
    ids = corpus.articles["article_id"].tolist()
    meta_cols = [c for c in corpus.articles.columns if c not in ("article_id",)]
    articles = [(row["sha256"], article_id, {c: row[c] for c in meta_cols})
                for article_id, row in zip(ids, corpus.articles.to_dict("records"))]
    version = [__version__, ANNOTATE_VERSION]
    annotate = {
        "version": version,
        "actors": _STATE["actors_hash"],
        "model": _STATE["model_hash"],
        "method": method, "params": params,
    }
    annotate_keys = [cache_key(annotate, *a) for a in articles]
    date_type = corpus.articles["date"].dtype
    tables = _cached_stage("annotate", ids, annotate_keys, _annotate, (*CACHED, "tone_by_article"), jobs, cache,
                           progress, date_type)
    framing = {"version": version, "frames": _STATE["frames_hash"]}  # frame hits read the dictionary only
    frame_keys = [cache_key(framing, *a) for a in articles]
    _release_memory()
    tables.update(_cached_stage("frames", ids, frame_keys, _frame_hits, ("frame_hits",), jobs, cache, progress,
                                date_type))
    _release_memory()
    return tables, cache_key(LOADER_VERSION, annotate_keys, frame_keys), annotate_keys


def _cached_stage(stage: str, ids: list[str], keys: list[str], work, names: tuple[str, ...], jobs: int,
                  cache: Cache | None, progress: bool, date_type=None) -> dict[str, pd.DataFrame]:
    """Tables ``names`` for the articles ``ids``: from the cache by ``keys``, the rest by ``work`` on chunks.

    The column types of each table depend on its values only (``_settled_types``), never on
    which articles came from the cache or how they were chunked: a full run and any
    sequence of incremental runs over the same folder give the same tables.
    """
    if not ids:  # an empty corpus: the tables of no articles, with their columns
        empty = work([])
        return {name: _settled_types(empty[name], date_type) for name in names}
    stored, found = cache.get_tables(stage, keys) if cache is not None else ({}, set())
    todo = [a for a, k in zip(ids, keys) if k not in found]
    parts: dict[str, list[pd.DataFrame]] = {name: [stored[name]] if name in stored else [] for name in names}
    if todo:
        chunks = _chunks(todo, jobs)
        computed = list(_progress(parallel_map(work, [(c,) for c in chunks], jobs), len(chunks), progress, stage))
        new = {}
        for name in names:  # one table at a time, the chunks' parts freed as they are joined
            new[name] = _concat([c.pop(name) for c in computed])
        del computed
        if cache is not None:  # the key column is added in place and removed below: no copies of big tables
            key_of = dict(zip(ids, keys))
            for table in new.values():
                table[KEY_COLUMN] = table["article_id"].map(key_of)
            cache.put_tables(stage, [key_of[a] for a in todo], new)
        for name in names:
            parts[name].append(new.pop(name))
    position = {a: i for i, a in enumerate(ids)}
    tables = {}
    for name in names:
        # Rows read from the cache come in the order of its segments (the order of the runs
        # that wrote them), not of the corpus: any table with cached rows is put back in order.
        mixed = name in stored
        table = _concat(parts.pop(name))
        if KEY_COLUMN in table:
            del table[KEY_COLUMN]
        if name == "tone_by_article":  # sorted by its keys, as one summary of the whole corpus is
            table = table.sort_values([*TONE_BY_ARTICLE, "voice"], kind="stable", ignore_index=True)
        elif mixed:  # back to corpus order, each article's rows as computed
            order = np.argsort(table["article_id"].map(position).to_numpy(), kind="stable")
            table = table.iloc[order].reset_index(drop=True)
        tables[name] = _settled_types(table, date_type)
    return tables


def _settled_types(table: pd.DataFrame, date_type=None) -> pd.DataFrame:
    """``table`` with the column types its values give, whatever the parts it was joined from.

    A chunk without quotes has a quote table whose columns are untyped
    (object); joined with a typed chunk, those columns would stay object.
    Text columns are typed again from their values, and ``date`` takes the
    articles' date type (``date_type``).
    """
    for col in table.columns:
        values = table[col]
        if col == "date" and date_type is not None and values.dtype != date_type:
            table[col] = pd.to_datetime(values).astype(date_type)
        elif values.dtype == object and len(values):
            table[col] = pd.Series(values.tolist(), index=values.index, name=col)
    return table


def _release_memory() -> None:
    """Give the memory freed by a stage back to the system (glibc keeps it otherwise).

    Annotating in one process leaves hundreds of MB of freed heap that the
    process still holds; the next stage's peak would stack on top of it.
    """
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass


def _chunks(items: list, jobs: int) -> list[list]:
    """Chunks small enough to balance the workers and move the progress bar, large enough to amortise."""
    size = max(1, min(50, len(items) // max(1, jobs * 8)))
    return [items[i:i + size] for i in range(0, len(items), size)]


def _progress(iterable, total: int, enabled: bool, stage: str):
    if not enabled or total < 2:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=stage, unit="chunk", leave=False)


def _concat(frames_: list[pd.DataFrame]) -> pd.DataFrame:
    non_empty = [f for f in frames_ if len(f)]
    if not non_empty:
        return frames_[0].iloc[0:0].reset_index(drop=True) if frames_ else pd.DataFrame()
    return pd.concat(non_empty, ignore_index=True)


# --------------------------------------------------------------------------- the whole corpus


def analyze(
    folder,
    jobs: int = 1,
    cache: bool | str | Path | Cache = True,
    method: str | None = None,
    actors=None,
    frame_table=None,
    min_n: int = DEFAULT_MIN_N,
    progress: bool = False,
    aggregates: bool = True,
    exclude=(),
) -> dict[str, pd.DataFrame]:
    """Every table of the notebooks for the corpus in ``folder``.

    ``jobs``: worker processes for the per-article work. ``cache``: True for
    ``default_cache_dir()``, a folder, a ``Cache`` (whose ``hits`` and
    ``misses`` then tell what was reused), or False for none. ``method``: the
    target-tone method (default: the validated model). ``actors`` and
    ``frame_table``: your own registry / frame dictionary (path or
    DataFrame), None for the shipped ones. ``min_n``: cells with fewer
    observations are flagged ``small_n``. ``aggregates=False`` skips the
    cross-article tables except ``tone_by_article`` (made per article anyway),
    for a notebook that makes its own. The aggregates are cached too, under
    one key for the whole corpus state, so calling ``analyze`` again on an
    unchanged corpus (a notebook after ``run``) computes nothing, whatever
    its ``min_n``: the flags are set on reading. ``exclude``: folders (or
    files) inside ``folder`` that are not articles, such as the run's own
    output folder; each is reported in ``problems``.

    Returns a dict: ``articles``, ``paragraphs``, ``sentences``, ``problems``
    (the corpus), ``mentions``, ``tone``, ``quotes``, ``stance``,
    ``frame_hits`` (per article), and the aggregates ``tone_by_outlet``,
    ``tone_by_article``, ``stance_summary``, ``terms_by_outlet``,
    ``keyness_by_outlet``, ``terms_by_article`` (each article's top
    ``ARTICLE_TERMS_TOP`` words by TF-IDF), ``frame_shares``, ``naming``.
    """
    method = method or targets.DEFAULT_METHOD
    store = open_cache(cache)
    params: dict = {}  # per-article options would go here; min_n only shapes aggregates
    model_hash = _model_hash(method)  # once: the transformer's weights are large
    plan = plan_corpus(folder, exclude=exclude)
    keys = snapshot = None
    if store is not None:
        keys = load_keys(plan)
        snapshot = _snapshot_key(plan, keys, method, model_hash, params, actors, frame_table, aggregates)
        stored = store.get_frames("snapshot", snapshot)
        if stored is not None:
            return _flagged(stored, min_n)
    corpus = load_plan(plan, jobs, store, keys)
    actor_table = load_actors(actors)
    frame_dict = frames.load_frames(frame_table)
    _STATE.update(
        corpus=corpus, actors=actor_table, frames=frame_dict, method=method,
        actors_hash=_table_hash(actors), frames_hash=_table_hash(frame_table), model_hash=model_hash,
        index={
            "articles": {a: i for i, a in enumerate(corpus.articles["article_id"])},
            "paragraphs": corpus.paragraphs.groupby("article_id", sort=False).indices,
            "sentences": corpus.sentences.groupby("article_id", sort=False).indices,
        },
    )
    try:
        per, per_key, article_keys = _per_article(corpus, actor_table, frame_dict, method, params, jobs, store,
                                                  progress)
    finally:
        _STATE.clear()
    by_article = per.pop("tone_by_article")
    tables = {
        "articles": corpus.articles, "paragraphs": corpus.paragraphs,
        "sentences": corpus.sentences, "problems": corpus.problems, **per,
    }
    if not aggregates:
        return _finish({**tables, "tone_by_article": by_article}, store, snapshot, min_n)
    # The aggregates depend on every article: cached under one key for the whole corpus
    # state, so a second call on an unchanged corpus (a notebook after `run`) reads them.
    # min_n is not part of the key: it only sets the small_n flags, which are set below.
    key = cache_key(AGGREGATE_VERSION, __version__, per_key, _aggregate_inputs(actors))
    stored = store.get_many("aggregate", [key]).get(key) if store is not None else None
    if stored is None:
        # What the sums over articles were last time: a corpus that only grew needs its new articles counted.
        running_key = cache_key(RUNNING_VERSION, __version__, LOADER_VERSION, _aggregate_inputs(actors))
        running = store.get_many("running", [running_key]).get(running_key) if store is not None else None
        running = running or {}
        stored = aggregate(corpus, per, actor_table, min_n, tone_by_article=by_article, jobs=jobs,
                           running=running, article_keys=article_keys)
        if store is not None:
            store.put_many("aggregate", {key: stored}, keep=AGGREGATES_KEPT)
            store.put_many("running", {running_key: running}, keep=RUNNING_KEPT)
    return _finish({**tables, **stored}, store, snapshot, min_n)


def _snapshot_key(plan, load_keys_: list[str], method: str, model_hash: str | None, params: dict, actors,
                  frame_table, aggregates: bool) -> str:
    """One key for every table ``analyze`` returns: the corpus files, every input, and the package's code.

    The files' keys and the folder's problems fix the corpus; the hashes of
    the registry, dictionaries, model and word lists fix the annotations and
    aggregates. The package's own files are hashed too, so that a changed
    function never serves an older result, even where no version was bumped.
    """
    return cache_key(SNAPSHOT_VERSION, __version__, _package_hash(), str(plan.folder), load_keys_,
                     plan.problems, plan.manifest.columns, method, params, model_hash, _table_hash(frame_table),
                     _aggregate_inputs(actors), aggregates)


def _model_hash(method: str) -> str | None:
    """Hash of the trained weights a tone method reads: the light model's file, or the transformer's folder."""
    if method == "model":
        return file_hash(targets.MODEL_PATH)
    if method == "transformer":  # trained locally into models/transformer/, outside the package
        from analysis.models.transformer import MODEL_DIR

        files = sorted(p for p in MODEL_DIR.glob("*") if p.is_file()) if MODEL_DIR.is_dir() else []
        return cache_key([(p.name, file_hash(p)) for p in files])
    return None


@lru_cache(maxsize=1)
def _package_hash() -> str:
    """sha256 over the package's source and data files (computed once per process)."""
    root = PACKAGE_DIR
    files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return cache_key([(str(p.relative_to(root)), file_hash(p)) for p in files])


def _finish(tables: dict, store, snapshot: str | None, min_n: int) -> dict[str, pd.DataFrame]:
    """Store the tables under ``snapshot``; return them with ``small_n`` flags for ``min_n``."""
    if store is not None and snapshot is not None:
        store.put_frames("snapshot", snapshot, tables, keep=SNAPSHOTS_KEPT)
    return _flagged(tables, min_n)


def _flagged(tables: dict, min_n: int) -> dict[str, pd.DataFrame]:
    """The aggregates with ``small_n`` = ``n < min_n``; the other tables as they are."""
    return {name: _flag_small(table, min_n) if name in AGGREGATES else table for name, table in tables.items()}


def _flag_small(table: pd.DataFrame, min_n: int) -> pd.DataFrame:
    """``table`` with ``small_n`` = ``n < min_n`` (every aggregate defines it so), when it has both columns."""
    if table.empty or not {"n", "small_n"} <= set(table.columns):
        return table
    return table.assign(small_n=(table["n"] < min_n).astype(bool))


def _aggregate_inputs(actors) -> list[str]:
    """Hashes of what the aggregates read besides the per-article tables: registry, stopwords, naming patterns."""
    return [_table_hash(actors), file_hash(terms.STOPWORDS_PATH), file_hash(naming.NAMING_PATH)]


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
    _AGGREGATE_INPUTS.update(corpus=corpus, per=per, actors=actor_table, min_n=min_n, running=running, new=new)
    try:
        parts = list(parallel_map(_aggregate_part, [(0,), (1,)], jobs))
    finally:
        _AGGREGATE_INPUTS.clear()
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


_AGGREGATE_INPUTS: dict = {}  # set before forking, read by the workers
AGGREGATES = ("tone_by_outlet", "tone_by_article", "stance_summary", "terms_by_outlet", "keyness_by_outlet",
              "terms_by_article", "frame_shares", "naming")


def _aggregate_part(part: int) -> dict:
    corpus, per, actor_table, min_n, running, new = (
        _AGGREGATE_INPUTS[k] for k in ("corpus", "per", "actors", "min_n", "running", "new"))
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
                "keyness_by_outlet": terms.keyness_from_terms(term_table),  # no second pass over the text
                "terms_by_article": terms.table_from_counts(counts.by_article if counts is not None else None,
                                                            top=ARTICLE_TERMS_TOP, value="tfidf"),
                "_terms": counts}
    names = naming.naming_counts(todo, by="outlet")
    if new is not None and running.get("naming") is not None:
        names = naming.merge_naming(running["naming"], names)
    bootstrap = dict(running.get("bootstrap", {}))
    return {
        "tone_by_outlet": summarize_tone(per["tone"], by=("name", "outlet"), min_n=min_n, memo=bootstrap),
        "stance_summary": summarize_stance(per["stance"], min_n=min_n) if len(per["stance"]) else pd.DataFrame(),
        "frame_shares": frames.frame_shares(per["frame_hits"], by="outlet", min_n=min_n),
        "naming": naming.naming_from_counts(names),
        "_naming": names,
        "_bootstrap": bootstrap,
    }


def outlet_terms(tables: dict[str, pd.DataFrame], ngram_range: tuple[int, int] = (1, 1), min_count: int = 1,
                 extra_stopwords=(), actors=None) -> pd.DataFrame:
    """``terms.term_table`` by outlet of the body text, from ``analyze``'s tables.

    Cut from ``terms_by_outlet`` (``terms.restrict_terms``: the same table,
    without reading the text again) when it is there and covers the request;
    counted from ``paragraphs`` otherwise, e.g. with ``extra_stopwords``.
    ``actors``: the registry ``analyze`` was given (None: the shipped one);
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
        return terms.keyness_from_terms(tables["terms_by_outlet"], min_count=min_count)
    return terms.keyness(tables["paragraphs"], by="outlet", phrases=terms.actor_phrases(load_actors(actors)),
                         min_count=min_count)


def write_tables(tables: dict[str, pd.DataFrame], out_dir) -> list[Path]:
    """Write each table as ``out_dir/tables/NAME.parquet`` and ``NAME.csv``; return the Parquet paths.

    Each file is written whole or not at all (``outputs.atomic_path``); a
    full disk raises ``outputs.DiskFull``. In the CSV files a text cell that
    a spreadsheet would run as a formula starts with ``'``
    (``outputs.neutralize_formulas``); the Parquet files keep the exact text.
    """
    folder = Path(out_dir) / "tables"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables.items():
        table = table.reset_index(drop=True)
        # Parquet needs one type per column: lists and mixed objects go as text.
        for col in table.columns:
            if table[col].dtype == object:
                table[col] = table[col].map(lambda v: v if v is None or isinstance(v, str) else str(v))
        size = int(table.memory_usage(deep=True).sum())  # about what each file takes, for a full-disk message
        with atomic_path(folder / f"{name}.parquet", needed=size) as tmp:
            table.to_parquet(tmp, index=False)
        with atomic_path(folder / f"{name}.csv", needed=size) as tmp:
            _write_csv(neutralize_formulas(table), tmp)
        written.append(folder / f"{name}.parquet")
    return written


def _write_csv(table: pd.DataFrame, path: Path) -> None:
    """``table`` as CSV, written by Arrow: 20x faster than ``DataFrame.to_csv`` on the tone table.

    Reads back with ``pd.read_csv`` as pandas' own CSV does (tested): the
    same numbers (shortest round-trip floats, ``1.0`` in a column of whole
    floats), empty cells for missing values, dates as ``YYYY-MM-DD`` (with
    the time when there is one).
    Arrow quotes every text cell and writes booleans as ``true``/``false``.
    A column type Arrow cannot write falls back to pandas.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    text = table.copy(deep=False)
    for col in text.columns:
        if isinstance(text[col].dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(text[col]):
            text[col] = _date_text(text[col])
        elif pd.api.types.is_float_dtype(text[col]) and _whole_numbers(text[col]):
            # Arrow writes 1.0 as "1": such a column would read back as integers.
            text[col] = [None if math.isnan(v) else repr(v) for v in text[col].tolist()]
    try:
        pacsv.write_csv(pa.Table.from_pandas(text, preserve_index=False), path)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        table.to_csv(path, index=False)


def _whole_numbers(values: pd.Series) -> bool:
    """Whether every finite value is a whole number (and there is one)."""
    x = values.to_numpy(dtype="float64", na_value=np.nan)
    x = x[np.isfinite(x)]
    return len(x) > 0 and bool((x == np.round(x)).all())


def _date_text(dates: pd.Series) -> pd.Series:
    """Dates as pandas writes them to CSV: the day alone when every time is midnight, else with the time."""
    known = dates.dropna()
    midnight = dates.dt.tz is None and bool((known == known.dt.normalize()).all())
    text = dates.dt.strftime("%Y-%m-%d") if midnight else dates.map(lambda d: d.isoformat(sep=" "), na_action="ignore")
    return text.astype(object).where(dates.notna(), None)
