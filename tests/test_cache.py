"""The segmented cache: per-article entries, stored one segment per run, merged when many."""

import pandas as pd

from analysis import cache as cache_module
from analysis.cache import KEY_COLUMN, Cache


def test_objects_round_trip_and_count_hits_and_misses(tmp_path):
    store = Cache(tmp_path)
    store.put_many("load", {"a": 1, "b": [2, 3]})
    store.put_many("load", {"c": "three"})
    again = Cache(tmp_path)
    assert again.get_many("load", ["a", "c", "zzz"]) == {"a": 1, "c": "three"}
    assert (again.hits, again.misses) == (2, 1)
    assert again.get_many("other_stage", ["a"]) == {}


def _tables(keys_rows):
    rows = [(k, f"{k}-{i}") for k, n in keys_rows for i in range(n)]
    return {"t": pd.DataFrame({"article_id": [r[1] for r in rows], KEY_COLUMN: [r[0] for r in rows]})}


def test_tables_keep_only_the_wanted_articles_and_know_articles_without_rows(tmp_path):
    store = Cache(tmp_path)
    store.put_tables("annotate", ["k1", "k2", "k3"], _tables([("k1", 2), ("k2", 0), ("k3", 1)]))
    tables, found = Cache(tmp_path).get_tables("annotate", ["k2", "k3", "k9"])
    assert found == {"k2", "k3"}  # k2 has no rows, and is still a hit
    assert tables["t"]["article_id"].tolist() == ["k3-0"]
    assert KEY_COLUMN in tables["t"]  # the caller drops it


def test_many_segments_are_merged_into_one_and_nothing_is_lost(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_module, "MAX_SEGMENTS", 3)
    store = Cache(tmp_path)
    for i in range(5):
        store.put_tables("annotate", [f"k{i}"], _tables([(f"k{i}", i + 1)]))
    assert len(list((tmp_path / "annotate").glob("*.keys"))) <= 3
    tables, found = Cache(tmp_path).get_tables("annotate", [f"k{i}" for i in range(5)])
    assert found == {f"k{i}" for i in range(5)}
    assert len(tables["t"]) == 1 + 2 + 3 + 4 + 5


def test_an_unreadable_segment_is_a_miss_not_an_error(tmp_path):
    store = Cache(tmp_path)
    store.put_many("load", {"a": 1})
    for pkl in (tmp_path / "load").glob("*.pkl"):
        pkl.write_bytes(b"not a pickle")
    again = Cache(tmp_path)
    assert again.get_many("load", ["a"]) == {}
    assert again.misses == 1


def test_keep_holds_only_the_newest_segments_of_a_stage(tmp_path):
    store = Cache(tmp_path)
    for i in range(4):
        store.put_many("aggregate", {f"corpus{i}": i}, keep=2)
    assert Cache(tmp_path).get_many("aggregate", [f"corpus{i}" for i in range(4)]) == {"corpus2": 2, "corpus3": 3}
