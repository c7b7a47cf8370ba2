"""The Dask engine on a local cluster of two workers gives the pandas engine's tables."""

import shutil

import pandas as pd
import pytest

from analysis.config import SEEDS_DIR
from analysis.run.annotate import PER_ARTICLE
from analysis.run.pipeline import analyze

distributed = pytest.importorskip("distributed")

METHOD = "model"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """The seeds plus files that exercise the driver's decisions (a duplicate, a bad date, a file of two articles)."""
    d = tmp_path_factory.mktemp("dask") / "corpus"
    shutil.copytree(SEEDS_DIR, d)
    shutil.copy(d / "003_546389277af2adbe.txt", d / "zz_copy.txt")
    (d / "extra.txt").write_text("Vladimir Putin praised the deal but Volodymyr Zelenskyy rejected it.\n",
                                 encoding="utf-8")
    with open(d / "articles.csv", "a", encoding="utf-8") as fh:
        fh.write("extra.txt,New Outlet,Nowhere,,not-a-date,,,news report,\n")
    # A table of two articles, with a column of its own: one file, two articles (FILE#N), as pandas reads it.
    pd.DataFrame({"headline": ["Grain talks", "Ports reopen"], "media_name": ["Wire", "Wire"],
                  "body": ["Russia and Ukraine met in Istanbul to discuss grain exports, officials said.",
                           "Odesa's ports reopened on Monday after a week of drone attacks, Kyiv said."],
                  "leaning": ["center", "center"]}).to_csv(d / "wire.csv", index=False)
    return d


def test_dask_tables_equal_pandas_tables(folder, tmp_path):
    from analysis.run.dask_engine import analyze_dask, read_table

    expected = analyze(folder, cache=False, method=METHOD)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        result = analyze_dask(folder, tmp_path / "out", client=client, npartitions=3, method=METHOD)
    assert len(list((tmp_path / "out" / "tables" / "mentions").glob("part.*.parquet"))) > 1  # partitioned
    for name in ("articles", "paragraphs", "sentences", *PER_ARTICLE):
        got = read_table(tmp_path / "out", name)
        want = expected[name].reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want, check_dtype=False, obj=name)
    pd.testing.assert_frame_equal(result["problems"], expected["problems"], check_dtype=False)
    assert {"duplicate", "bad_date"} <= set(result["problems"]["problem"])
    articles = read_table(tmp_path / "out", "articles")
    assert {"wire.csv#1", "wire.csv#2"} <= set(articles["file"]) and set(articles["leaning"].dropna()) == {"center"}
    for name in ("tone_by_outlet", "keyness_by_outlet", "frame_shares", "naming"):
        pd.testing.assert_frame_equal(result[name], expected[name], check_dtype=False, obj=name)
