"""Every table the notebooks show, computed in one pass and cached: ``analyze(folder)``.

``analyze`` plans the folder, loads it through the cache
(``annotate.cached_load``), annotates each article (``annotate``), and
aggregates across articles (``aggregate``). Every table of a call is also
kept whole, as Arrow files under one key for the corpus files, the inputs and
the package's code (the newest ``SNAPSHOTS_KEPT``): the notebooks after
``run`` read them at once instead of assembling the corpus and the
per-article tables again. ``write_tables`` (``analysis.run.tables``) saves
them as Parquet and CSV.

Per-article results are cached by the article's content hash, its metadata,
the versions of the methods and the hashes of everything they read: the
annotations (mentions, tone, quotes, stance, tone per article) by the actor
actors table, tone model and parameters; frame hits by the frame dictionary.
Rerunning after adding one article recomputes that article, and the
aggregates from the sums kept from the previous run; a changed actors table or
dictionary changes the keys of exactly the tables that read it, so nothing
stale is ever reused.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis.config import PACKAGE_DIR
from analysis.config import VERSION as __version__
from analysis.count import frames
from analysis.hashing import file_hash
from analysis.hashing import key as cache_key
from analysis.load.corpus import LOADER_VERSION, Corpus, ReadOptions, plan_corpus
from analysis.measure import roles
from analysis.measure.actors import load_actors, undated_roles
from analysis.measure.article_tone import CALIBRATION_PATH
from analysis.measure.stats import DEFAULT_MIN_N
from analysis.models import scorers, targets
from analysis.run.aggregate import (
    AGGREGATE_VERSION,
    AGGREGATES,
    AGGREGATES_KEPT,
    RUNNING_KEPT,
    RUNNING_VERSION,
    aggregate,
    aggregate_inputs,
)
from analysis.run.annotate import (
    Inputs,
    cached_load,
    load_keys,
    per_article,
    table_hash,
)
from analysis.run.cache import Cache, default_cache_dir, open_cache

__all__ = ["analyze", "default_cache_dir", "load_corpus_cached", "validation"]

# Every table of one analyze call, kept whole so that the notebooks after `run` read them at once.
SNAPSHOT_VERSION = "snapshot-1"


SNAPSHOTS_KEPT = 2


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
    columns: dict[str, str] | None = None,
) -> dict[str, pd.DataFrame]:
    """Every table of the notebooks for the corpus in ``folder``.

    ``jobs``: worker processes for the per-article work. ``cache``: True for
    ``default_cache_dir()``, a folder, a ``Cache`` (whose ``hits`` and
    ``misses`` then tell what was reused), or False for none. ``method``: the
    target-tone method (default: the validated model). ``actors`` and
    ``frame_table``: your own actors file / frame dictionary (path or
    DataFrame), None for the shipped ones. ``min_n``: cells with fewer
    observations are flagged ``small_n``. ``aggregates=False`` skips the
    cross-article tables except ``tone_by_article`` (made per article anyway),
    for a notebook that makes its own. The aggregates are cached too, under
    one key for the whole corpus state, so calling ``analyze`` again on an
    unchanged corpus (a notebook after ``run``) computes nothing, whatever
    its ``min_n``: the flags are set on reading. ``exclude``: folders (or
    files) inside ``folder`` that are not articles, such as the run's own
    output folder; each is reported in ``problems``. ``columns``: the
    columns of the folder's tables that hold each field, where their common
    names would not find them (``{"text": "story", "outlet": "media"}``;
    fields ``COLUMN_FIELDS``).

    Returns a dict: ``articles``, ``paragraphs``, ``sentences``, ``problems``
    (the corpus), ``mentions``, ``tone``, ``quotes``, ``stance``,
    ``frame_hits``, ``article_frames``, ``roles`` (per article), and the aggregates ``tone_by_outlet``,
    ``tone_by_article``, ``stance_summary``, ``terms_by_outlet``,
    ``keyness_by_outlet``, ``terms_by_article`` (each article's top
    ``ARTICLE_TERMS_TOP`` words by TF-IDF), ``frame_shares``, ``article_frames_by_outlet``, ``naming``,
    ``roles_by_outlet``.
    """
    method = scorers.get(method).name  # an unknown method fails here, before any work
    store = open_cache(cache)
    # What the per-article stage reads besides the inputs hashed apart (min_n only shapes aggregates): the
    # article pooling's numbers, so that rechoosing them recomputes every cached article_tone row; the role
    # cues and model, and the light tone model the roles read whatever the tone method, so that editing or
    # retraining any of them recomputes every roles row.
    params: dict = {"pooling": file_hash(CALIBRATION_PATH) if CALIBRATION_PATH.exists() else None,
                    "roles": [file_hash(p) if p.exists() else None for p in (roles.CUES_PATH, roles.MODEL_PATH)]
                    + [_model_hash("model")]}
    model_hash = _model_hash(method)  # once: the transformer's weights are large
    plan = plan_corpus(folder, exclude=exclude, options=read_options(columns))
    keys = snapshot = None
    if store is not None:
        keys = load_keys(plan)
        snapshot = _snapshot_key(plan, keys, method, model_hash, params, actors, frame_table, aggregates)
        stored = store.get_frames("snapshot", snapshot)
        if stored is not None:
            return _flagged(stored, min_n)
    corpus = cached_load(plan, jobs, store, keys)
    inputs = Inputs(corpus, load_actors(actors), frames.load_frames(frame_table), method)
    hashes = {"actors": table_hash(actors), "frames": table_hash(frame_table), "model": model_hash}
    per, per_key, article_keys = per_article(inputs, hashes, params, jobs, store, progress)
    by_article = per.pop("tone_by_article")
    tables = {
        "articles": corpus.articles, "paragraphs": corpus.paragraphs,
        "sentences": corpus.sentences, "problems": _with_undated_roles(corpus, inputs.actors), **per,
    }
    if not aggregates:
        return _finish({**tables, "tone_by_article": by_article}, store, snapshot, min_n)
    stored = _cached_aggregates(inputs, per, by_article, per_key, article_keys, actors, min_n, jobs, store)
    return _finish({**tables, **stored}, store, snapshot, min_n)


def _with_undated_roles(corpus, actors: pd.DataFrame) -> pd.DataFrame:
    """The corpus's problems, plus one ``undated_role`` row per undated article whose role phrases name nobody."""
    undated = undated_roles(corpus, actors)
    if undated.empty:
        return corpus.problems
    precision = corpus.articles.set_index("article_id")["date_precision"]
    given = [f"its date gives only the {precision.get(a)} (give the day in articles.csv)"
             if precision.get(a) in ("month", "year") else "this article has none (give it one in articles.csv)"
             for a in undated["article_id"]]
    rows = pd.DataFrame({
        "file": undated["file"], "problem": "undated_role",
        "message": [f"{n} role phrase(s) such as {ex!r} name nobody: a role names its holder by the article's date, "
                    f"and {why}" for n, ex, why in zip(undated["n_roles"], undated["example"], given)],
        "loaded": True,
    })
    return pd.concat([corpus.problems, rows], ignore_index=True)


def _cached_aggregates(inputs: Inputs, per: dict, by_article: pd.DataFrame, per_key: str, article_keys: list[str],
                       actors, min_n: int, jobs: int, store: Cache | None) -> dict[str, pd.DataFrame]:
    """``aggregate``, cached under one key for the whole corpus state, with the running sums of the last run.

    A second call on an unchanged corpus (a notebook after ``run``) reads the
    aggregates; ``min_n`` is not part of the key, it only sets the
    ``small_n`` flags, which are set on reading.
    """
    key = cache_key(AGGREGATE_VERSION, __version__, per_key, aggregate_inputs(actors))
    stored = store.get_many("aggregate", [key]).get(key) if store is not None else None
    if stored is not None:
        return stored
    # What the sums over articles were last time: a corpus that only grew needs its new articles counted.
    running_key = cache_key(RUNNING_VERSION, __version__, LOADER_VERSION, aggregate_inputs(actors))
    running = store.get_many("running", [running_key]).get(running_key) if store is not None else None
    running = running or {}
    stored = aggregate(inputs.corpus, per, inputs.actors, min_n, tone_by_article=by_article, jobs=jobs,
                       running=running, article_keys=article_keys)
    if store is not None:
        store.put_many("aggregate", {key: stored}, keep=AGGREGATES_KEPT)
        store.put_many("running", {running_key: running}, keep=RUNNING_KEPT)
    return stored


def _snapshot_key(plan, load_keys_: list[str], method: str, model_hash: str | None, params: dict, actors,
                  frame_table, aggregates: bool) -> str:
    """One key for every table ``analyze`` returns: the corpus files, every input, and the package's code.

    The files' keys and the folder's problems fix the corpus; the hashes of
    the actors table, dictionaries, model and word lists fix the annotations and
    aggregates. The package's own files are hashed too, so that a changed
    function never serves an older result, even where no version was bumped.
    """
    return cache_key(SNAPSHOT_VERSION, __version__, _package_hash(), str(plan.folder), load_keys_,
                     plan.problems, plan.manifest.columns, method, params, model_hash, table_hash(frame_table),
                     aggregate_inputs(actors), aggregates)


def _model_hash(method: str) -> str | None:
    """Hash of the trained weights a tone method reads (``Scorer.weights``); None for a lexicon."""
    weights = scorers.get(method).weights()
    return cache_key([(p.name, file_hash(p)) for p in weights]) if weights or method == "transformer" else None


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
    n = "n_articles" if "n_articles" in table.columns else "n"  # article tone counts articles, not mentions
    if table.empty or not {n, "small_n"} <= set(table.columns):
        return table
    return table.assign(small_n=(table[n] < min_n).astype(bool))


def validation(method: str | None = None, folder=None, cache: bool | str | Path | Cache = True) -> pd.DataFrame:
    """``models.targets.validation`` (each tone method's figures on the NewsMTSC dev files), cached.

    ``cache``: as for ``analyze``. The notebooks show this table beside every tone figure.
    """
    scorer = scorers.get(method)
    if scorer.name == "transformer" and folder is None:
        recorded = _recorded_transformer_figures()
        if recorded is not None:
            return recorded
    evaluate = None if scorer.name in targets.METHODS else scorer.evaluate
    return targets.validation(scorer.name, folder, store=open_cache(cache), evaluate=evaluate,
                              weights=[] if evaluate is None else scorer.weights())


def _recorded_transformer_figures() -> pd.DataFrame | None:
    """The shipped transformer's dev figures as its ``transformer.json`` records them (measured with the shipped
    files; ``tests/test_transformer.py`` checks the weights still give them), or None when not recorded.

    Scoring both dev files again costs 2-30 s in every notebook of every run; the record costs nothing.
    """
    import json

    from analysis.models import transformer

    try:
        dev = json.loads((transformer.MODEL_DIR / transformer.META_NAME).read_text(encoding="utf-8"))["dev"]
    except (OSError, ValueError, KeyError):
        return None
    rows = [{"dev set": Path(name).stem, "method": "transformer", "n": d["n"], "macro_f1": d["macro_f1"],
             "accuracy": d["accuracy"]} for name, d in sorted(dev.items(), key=lambda kv: Path(kv[0]).stem)]
    return pd.DataFrame(rows, columns=["dev set", "method", "n", "macro_f1", "accuracy"])


def load_corpus_cached(folder, jobs: int = 1, cache: bool | str | Path | Cache = True, exclude=(),
                       columns: dict[str, str] | None = None) -> Corpus:
    """``analysis.load_corpus`` through the cache: a file unchanged since an earlier run is not read again.

    ``cache``: as for ``analyze``; ``columns``: as for ``analyze``. The result equals ``load_corpus(folder)``.
    """
    return cached_load(plan_corpus(folder, exclude=exclude, options=read_options(columns)), jobs, open_cache(cache))


COLUMN_FIELDS = ("text", "title", "outlet", "date", "author", "url")


def read_options(columns: dict[str, str] | None) -> ReadOptions:
    """The ``ReadOptions`` of a ``columns`` mapping such as ``{"text": "story", "outlet": "media"}``.

    Raises ``ValueError`` for a field that is not one of ``COLUMN_FIELDS``.
    """
    columns = {k: v for k, v in (columns or {}).items() if v}
    unknown = sorted(set(columns) - set(COLUMN_FIELDS))
    if unknown:
        raise ValueError(f"unknown column field(s) {', '.join(unknown)}; use {', '.join(COLUMN_FIELDS)}")
    return ReadOptions(**{f"{k}_column": v for k, v in columns.items()})
