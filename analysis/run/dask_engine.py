"""The same analysis as Dask tasks, for corpora larger than one machine.

``analyze_dask(folder, out_dir, scheduler=...)`` runs the per-article work
(reading, cleaning, splitting, mentions, tone, quotes, stance, frame hits) as
a ``dask.bag`` on a ``dask.distributed`` cluster and writes every per-article
table as partitioned Parquet under ``out_dir/tables/NAME/``. The driver only
sees small per-file summaries (hash, language, problems) to decide
duplicates and article ids, exactly as ``load_corpus`` does, so the tables
equal the pandas engine's. Aggregates are a reduction on the driver over the
Parquet tables (``pipeline.aggregate``).

The workers must see the corpus folder at the same path (a shared or
network file system) and ``out_dir`` must be writable by them.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pandas as pd

from analysis.count import frames
from analysis.load.corpus import (
    PROBLEM_COLUMNS,
    LoadedArticle,
    assemble,
    load_file,
    plan_corpus,
    select_articles,
)
from analysis.measure.actors import load_actors
from analysis.measure.stats import DEFAULT_MIN_N
from analysis.models import scorers
from analysis.run.aggregate import aggregate
from analysis.run.pipeline import read_options
from analysis.run.annotate import PER_ARTICLE, annotate_article

__all__ = ["analyze_dask", "read_table", "TABLES"]

TABLES = ("articles", "paragraphs", "sentences", *PER_ARTICLE)


def _summary(arts: list[LoadedArticle]) -> list[LoadedArticle]:
    """What the driver needs of a loaded file's articles: everything but their text and rows."""
    return [replace(art, text=None, paragraphs=[], sentences=[]) for art in arts]


def _annotate_one(item, folder, columns, actors, frame_table, method) -> dict[str, pd.DataFrame]:
    art, meta, article_id = item
    sink: list = []  # bad dates found while building the row
    corpus = assemble(Path(folder), [(art, meta)], [article_id], columns, sink)
    tables = annotate_article(corpus, actors, frame_table, method)
    tables.update(articles=corpus.articles, paragraphs=corpus.paragraphs, sentences=corpus.sentences)
    tables["problems"] = corpus.problems
    return tables


def _write_partition(results: list[dict], name: str, folder: str, index: int) -> int:
    """Write one partition of table ``name`` as ``folder/part.NNNNN.parquet``; return its rows."""
    parts = [r[name] for r in results if len(r[name])]
    if not parts:
        return 0
    table = pd.concat(parts, ignore_index=True)
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    table.to_parquet(path / f"part.{index:05d}.parquet", index=False)
    return len(table)


def read_table(out_dir, name: str) -> pd.DataFrame | None:
    """A table written by ``analyze_dask``, its partitions concatenated in order (None when empty)."""
    files = sorted((Path(out_dir) / "tables" / name).glob("part.*.parquet"))
    return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True) if files else None


def analyze_dask(
    folder,
    out_dir,
    scheduler: str | None = None,
    client=None,
    npartitions: int | None = None,
    method: str | None = None,
    actors=None,
    frame_table=None,
    aggregates: bool = True,
    columns: dict[str, str] | None = None,
) -> dict[str, pd.DataFrame]:
    """Analyse ``folder`` on a Dask cluster; write ``out_dir/tables/NAME/part.*.parquet``.

    ``scheduler`` is a scheduler address ("tcp://host:8786"); or pass a
    ``distributed.Client``; with neither, a local cluster of two worker
    processes is started. Every per-article table (``TABLES``) is written
    partitioned, one file per bag partition, and read back with
    ``read_table``. Returns the driver-side tables: ``problems`` (the
    driver's decisions, then bad dates found per article, in the order
    ``load_corpus`` gives) and, with ``aggregates``, the cross-article ones
    (see ``pipeline.aggregate``).
    """
    # Long by design: the whole Dask graph, read top to bottom, in one function.
    import dask.bag as db
    from dask import delayed
    from distributed import Client

    own_client = client is None
    if own_client:
        client = Client(scheduler) if scheduler else Client(processes=True, n_workers=2, threads_per_worker=1)
    try:
        method = scorers.get(method).name
        actor_table, frame_dict = load_actors(actors), frames.load_frames(frame_table)
        plan = plan_corpus(folder, options=read_options(columns))
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        n = npartitions or max(1, min(len(plan.files), 4 * workers))
        loaded = db.from_sequence(plan.tasks(), npartitions=n).starmap(load_file).persist()
        # The driver decides duplicates and ids from small summaries, as load_corpus does.
        kept, ids, problems = select_articles(plan, loaded.map(_summary).compute())
        keep = {art.file: (meta, article_id) for (art, meta), article_id in zip(kept, ids)}
        annotated = (
            loaded.flatten()
            .filter(lambda art: art.file in keep)
            .map(lambda art: (art, *keep[art.file]))
            .map(_annotate_one, str(plan.folder), plan.manifest.columns, actor_table, frame_dict, method)
        )
        tables_dir = Path(out_dir) / "tables"
        partitions = annotated.to_delayed()  # one delayed list of per-article results per partition
        writes = [
            delayed(_write_partition)(part, name, str(tables_dir / name), i)
            for name in (*TABLES, "problems")
            for i, part in enumerate(partitions)
        ]
        client.compute(writes, sync=True)

        # Bad dates are found per article; they follow the driver's problems, as in load_corpus.
        later = read_table(out_dir, "problems")
        shutil.rmtree(tables_dir / "problems", ignore_errors=True)  # merged into the returned table
        result = {"problems": pd.concat([pd.DataFrame(problems, columns=PROBLEM_COLUMNS)]
                                        + ([later] if later is not None else []), ignore_index=True)}
        if aggregates:
            corpus = assemble(plan.folder, [], [], plan.manifest.columns, [])
            corpus.articles, corpus.paragraphs = read_table(out_dir, "articles"), read_table(out_dir, "paragraphs")
            per = {name: read_table(out_dir, name) for name in PER_ARTICLE}
            result.update(aggregate(corpus, per, actor_table, min_n=DEFAULT_MIN_N))
        return result
    finally:
        if own_client:
            client.close()
