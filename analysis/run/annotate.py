"""The per-article stage: mentions, tone, quotes, stance, roles, frame hits and article frames of each article, cached.

``per_article(inputs, …)`` annotates every article of a corpus in chunks,
reading what it can from the cache (each article under a key of its
content, metadata, the method's version and every input it reads) and
computing the rest, in worker processes when ``jobs`` > 1. The chunks'
inputs reach the workers as one ``Inputs`` object through
``parallel_map(shared=…)``; nothing is kept in module state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.config import VERSION as __version__
from analysis.count import frames
from analysis.hashing import file_hash
from analysis.hashing import key as cache_key
from analysis.load.corpus import LOADER_VERSION, Corpus, Plan, load_files, load_plan
from analysis.load.parallel import parallel_map
from analysis.measure.actors import find_headline_mentions, find_mentions
from analysis.measure.article_tone import aggregate_article_tone
from analysis.measure.quotes import find_quotes
from analysis.measure.roles import find_roles
from analysis.measure.stance import find_stance
from analysis.measure.tone import mention_tone, summarize_tone
from analysis.models import frames_model
from analysis.run.cache import KEY_COLUMN, Cache

__all__ = ["ANNOTATE_VERSION", "CACHED", "PER_ARTICLE", "TONE_BY_ARTICLE", "Inputs", "annotate_article",
           "cached_load", "load_keys", "per_article", "release_memory", "table_hash"]

# Part of every per-article cache key: bump it when annotation changes its output.
ANNOTATE_VERSION = "annotate-10"  # 10: stance by clause rules, quoted speakers and target-aware tone
# 9: article_frames, the dictionary's generic frames rewritten; 8: a role only where a cue reaches the actor; 7: roles; 6: quotes kind/speaker_type/speaker_name and indirect speech; 5: article_tone


PER_ARTICLE = ("mentions", "tone", "article_tone", "quotes", "stance", "roles", "frame_hits", "article_frames")


# Annotations cached per article under the actors table's hash; frame hits and
# article frames are cached under the frame dictionary's and frames classifier's hashes instead.
CACHED = ("mentions", "tone", "article_tone", "quotes", "stance", "roles")


TONE_BY_ARTICLE = ("name", "article_id")


def table_hash(table) -> str:
    """A content hash of an actors table/dictionary given as None, a path or a DataFrame."""
    if table is None:
        return "shipped"
    if isinstance(table, (str, Path)):
        return file_hash(table)
    return cache_key(table.to_csv(index=False))


def load_keys(plan: Plan) -> list[str]:
    """The cache key of each planned file: its name, its bytes' hash, its manifest row and the loader's version."""
    return [cache_key(LOADER_VERSION, rel, file_hash(plan.folder / rel), meta, plan.rows_of(rel), plan.options.key())
            for rel, meta in zip(plan.files, plan.metas)]


def cached_load(plan: Plan, jobs: int, cache: Cache | None, keys: list[str] | None = None) -> Corpus:
    """``load_plan``, reading each unchanged file's result from ``cache`` and storing the new ones."""
    if cache is None:
        return load_plan(plan, jobs)
    keys = keys if keys is not None else load_keys(plan)
    stored = cache.get_many("load", keys)
    results = [stored.get(k) for k in keys]
    todo = [i for i, r in enumerate(results) if r is None]
    results = load_files(plan, jobs, results)
    if todo:
        cache.put_many("load", {keys[i]: results[i] for i in todo})
    return load_plan(plan, jobs, results)


@dataclass
class Inputs:
    """What every chunk of the per-article stage reads: shared by the workers through the fork."""

    corpus: Corpus
    actors: pd.DataFrame
    frames: pd.DataFrame
    method: str
    index: dict = field(init=False)

    def __post_init__(self):
        # Row positions of each article in the corpus tables, so a chunk is cut without a search.
        self.index = {
            "articles": {a: i for i, a in enumerate(self.corpus.articles["article_id"])},
            "paragraphs": self.corpus.paragraphs.groupby("article_id", sort=False).indices,
            "sentences": self.corpus.sentences.groupby("article_id", sort=False).indices,
        }


def _annotate(inputs: Inputs, article_ids: list[str]) -> dict[str, pd.DataFrame]:
    """The per-article tables of a chunk of articles, annotated as one sub-corpus (one call per chunk).

    Also ``tone_by_article``: its cells depend on one article each (and each
    interval on its own cell only), so it is computed and cached here rather
    than bootstrapped again for the whole corpus on every run.
    """
    tables = annotate_article(_subcorpus(inputs, article_ids), inputs.actors, inputs.frames, inputs.method,
                              with_frames=False)
    tables["tone_by_article"] = summarize_tone(tables["tone"], by=TONE_BY_ARTICLE)
    return tables


def _frame_hits(inputs: Inputs, article_ids: list[str]) -> dict[str, pd.DataFrame]:
    """Frame hits of a chunk of articles' paragraphs, and the frames of each article by both methods."""
    paragraphs = _subcorpus(inputs, article_ids).paragraphs
    return {"frame_hits": frames.frame_hits(paragraphs, inputs.frames),
            "article_frames": _article_frames(paragraphs, inputs.frames)}


def _article_frames(paragraphs: pd.DataFrame, frame_table: pd.DataFrame) -> pd.DataFrame:
    """``article_frames`` rows of the dictionary and of the classifier, one table (English articles: both are English)."""
    if "language" in paragraphs.columns:
        paragraphs = paragraphs[paragraphs["language"] == "en"]
    return pd.concat([frames.article_frames(paragraphs, frame_table, method=m) for m in frames.ARTICLE_METHODS],
                     ignore_index=True)


def _subcorpus(inputs: Inputs, article_ids: list[str]) -> Corpus:
    """The rows of ``article_ids`` (in corpus order) as a ``Corpus``."""
    corpus, index = inputs.corpus, inputs.index

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
    ``with_frames=False`` leaves out ``frame_hits`` and ``article_frames`` (for
    a caller that finds them for the whole corpus at once).

    Tone is scored for English articles only (the lexicons and the model are
    English); mentions, quotes and stance edges are kept for every language.
    ``article_tone`` pools each article's body and headline mentions per actor
    (``analysis.measure.article_tone``); ``roles`` casts each actor an English
    article mentions as hero, villain, victim or none (``analysis.measure.roles``).
    """
    mentions = find_mentions(article, actors)
    english = article.articles.loc[article.articles["language"] == "en", "article_id"]
    tone = mention_tone(mentions[mentions["article_id"].isin(english)], article.sentences, method=method)
    head_mentions, head_sentences = find_headline_mentions(article, actors)
    head_tone = mention_tone(head_mentions[head_mentions["article_id"].isin(english)], head_sentences, method=method)
    quotes = find_quotes(article, actors, mentions=mentions)
    tables = {
        "mentions": mentions,
        "tone": tone,
        "article_tone": aggregate_article_tone(tone, head_tone, article.sentences, article.articles, method),
        "quotes": quotes,
        "stance": find_stance(article, mentions, tone=tone, quotes=quotes),
        "roles": find_roles(article.sentences, mentions[mentions["article_id"].isin(english)], tone=tone),
    }
    if with_frames:
        tables["frame_hits"] = frames.frame_hits(article.paragraphs, frame_table)
        tables["article_frames"] = _article_frames(article.paragraphs, frame_table)
    return tables


def per_article(inputs: Inputs, hashes: dict, params: dict, jobs: int, cache: Cache | None,
                progress: bool) -> tuple[dict[str, pd.DataFrame], str, list[str]]:
    """The per-article tables, one key for all of them (every article's content, metadata and inputs), and each article's key.

    ``hashes``: ``actors``, ``frames`` and ``model``, the content hashes of
    the actors table, the frame dictionary and the tone model's weights.
    """
    corpus, method = inputs.corpus, inputs.method
    ids = corpus.articles["article_id"].tolist()
    meta_cols = [c for c in corpus.articles.columns if c not in ("article_id",)]
    articles = [(row["sha256"], article_id, {c: row[c] for c in meta_cols})
                for article_id, row in zip(ids, corpus.articles.to_dict("records"))]
    version = [__version__, ANNOTATE_VERSION]
    annotate = {
        "version": version,
        "actors": hashes["actors"],
        "model": hashes["model"],
        "method": method, "params": params,
    }
    annotate_keys = [cache_key(annotate, *a) for a in articles]
    date_type = corpus.articles["date"].dtype
    tables = _cached_stage("annotate", ids, annotate_keys, _annotate, (*CACHED, "tone_by_article"), jobs, cache,
                           progress, date_type, inputs)
    # frame hits read the dictionary only, article frames the classifier's weights too
    framing = {"version": version, "frames": hashes["frames"], "classifier": file_hash(frames_model.MODEL_PATH)}
    frame_keys = [cache_key(framing, *a) for a in articles]
    release_memory()
    tables.update(_cached_stage("frames", ids, frame_keys, _frame_hits, ("frame_hits", "article_frames"), jobs, cache, progress,
                                date_type, inputs))
    release_memory()
    return tables, cache_key(LOADER_VERSION, annotate_keys, frame_keys), annotate_keys


def _cached_stage(stage: str, ids: list[str], keys: list[str], work, names: tuple[str, ...], jobs: int,
                  cache: Cache | None, progress: bool, date_type, inputs: Inputs) -> dict[str, pd.DataFrame]:
    """Tables ``names`` for the articles ``ids``: from the cache by ``keys``, the rest by ``work`` on chunks.

    The column types of each table depend on its values only (``_settled_types``), never on
    which articles came from the cache or how they were chunked: a full run and any
    sequence of incremental runs over the same folder give the same tables.
    """
    if not ids:  # an empty corpus: the tables of no articles, with their columns
        empty = work(inputs, [])
        return {name: _settled_types(empty[name], date_type) for name in names}
    stored, found = cache.get_tables(stage, keys) if cache is not None else ({}, set())
    todo = [a for a, k in zip(ids, keys) if k not in found]
    parts: dict[str, list[pd.DataFrame]] = {name: [stored[name]] if name in stored else [] for name in names}
    if todo:
        chunks = _chunks(todo, jobs)
        scoring = stage == "annotate" and inputs.method == "transformer"  # the workers run the transformer
        computed = list(_progress(parallel_map(work, [(c,) for c in chunks], jobs, shared=inputs, uses_torch=scoring),
                                  len(chunks), progress, stage))
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


def release_memory() -> None:
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
