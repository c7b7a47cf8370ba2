"""The segmented cache: per-article entries, stored one segment per run, merged when many."""

import hashlib
import struct

import pandas as pd
import pytest

from analysis.run import cache as cache_module
from analysis.run.cache import KEY_COLUMN, Cache


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
    for seg in (tmp_path / "load").glob("*.seg"):
        seg.write_bytes(b"not a segment")
    again = Cache(tmp_path)
    assert again.get_many("load", ["a"]) == {}
    assert again.misses == 1
    assert [reason for _, reason in again.rejected] == ["not a data file of this format"]
    assert not list((tmp_path / "load").iterdir())  # deleted: the next run writes a good one


def _flip_one_bit(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def test_a_flipped_bit_in_a_segment_is_refused_by_its_checksum(tmp_path):
    store = Cache(tmp_path)
    store.put_tables("annotate", ["k"], {"t": pd.DataFrame({"_key": ["k"] * 3, "x": [1.5, 2.5, 3.5]})})
    (seg,) = (tmp_path / "annotate").glob("*.seg")
    _flip_one_bit(seg)
    again = Cache(tmp_path)
    tables, found = again.get_tables("annotate", ["k"])
    assert (tables, found) == ({}, set())
    assert "checksum" in again.rejected[0][1]


def test_a_planted_pickle_is_never_loaded(tmp_path):
    """A file put in the cache by someone else runs no code: the format has no pickles to load."""
    import pickle

    store = Cache(tmp_path)
    store.put_many("load", {"a": 1})
    (seg,) = (tmp_path / "load").glob("*.seg")
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    seg.write_bytes(pickle.dumps({"a": Evil()}))
    assert Cache(tmp_path).get_many("load", ["a"]) == {}
    assert not marker.exists()


def test_a_segment_naming_a_type_outside_the_allowed_records_is_refused(tmp_path):
    from analysis.run import datafile

    data = datafile.dumps({"a": 1})  # a valid file, then a forged one naming os.system
    forged_tree = b'{"tree": {"$record": "os.system", "args": ["true"]}, "blobs": []}'
    body = struct.pack("<Q", len(forged_tree)) + forged_tree
    forged = datafile.MAGIC + hashlib.sha256(body).hexdigest().encode() + b"\n" + body
    assert datafile.loads(data) == {"a": 1}
    with pytest.raises(datafile.BadFile, match="not allowed"):
        datafile.loads(forged)


def test_a_snapshot_with_an_empty_table_list_is_a_miss(tmp_path):
    store = Cache(tmp_path)
    store.put_frames("snapshot", "s", {"articles": pd.DataFrame({"a": [1]})}, keep=2)
    (tmp_path / "snapshot" / "s" / "tables.json").write_text("", encoding="utf-8")
    again = Cache(tmp_path)
    assert again.get_frames("snapshot", "s") is None
    assert again.rejected and not (tmp_path / "snapshot" / "s").exists()


def test_a_snapshot_table_changed_on_disk_is_refused(tmp_path):
    store = Cache(tmp_path)
    store.put_frames("snapshot", "s", {"articles": pd.DataFrame({"a": list(range(100))})}, keep=2)
    _flip_one_bit(tmp_path / "snapshot" / "s" / "articles.feather")
    assert Cache(tmp_path).get_frames("snapshot", "s") is None


def test_keep_holds_only_the_newest_segments_of_a_stage(tmp_path):
    store = Cache(tmp_path)
    for i in range(4):
        store.put_many("aggregate", {f"corpus{i}": i}, keep=2)
    assert Cache(tmp_path).get_many("aggregate", [f"corpus{i}" for i in range(4)]) == {"corpus2": 2, "corpus3": 3}


def test_data_file_round_trips_nested_values():
    import math

    import numpy as np

    from analysis.load.corpus import LoadedArticle
    from analysis.load.reading import Unreadable
    from analysis.run import datafile

    rows = [{"paragraph": 0, "text": "Putin spoke.", "score": 0.5}, {"paragraph": 1, "text": "=1+1", "score": math.nan}]
    article = LoadedArticle("a.txt", "text", "utf-8", "ab" * 32, rows, [], "en", [("nul_bytes", "2 removed.")],
                            found_meta={"title": "T"})
    value = {"article": article, "error": Unreadable("empty", "The file is empty."), "plain": [1, 2.5, None, "x"],
             "mixed": [{"a": 1}, {"b": 2}], "set": frozenset({"k1", "k2"}), "array": np.arange(3, dtype=np.int32),
             "frame": pd.DataFrame({"x": [1, 2]}, index=pd.Index(["p", "q"], name="outlet"))}
    back = datafile.loads(datafile.dumps(value))
    got = back["article"]
    assert (got.file, got.paragraphs[0], got.notes, got.found_meta) == ("a.txt", rows[0], [("nul_bytes", "2 removed.")],
                                                                        {"title": "T"})
    assert math.isnan(got.paragraphs[1]["score"]) and got.paragraphs[1]["text"] == "=1+1"
    assert (back["error"].code, back["error"].message) == ("empty", "The file is empty.")
    assert back["plain"] == [1, 2.5, None, "x"] and back["mixed"] == [{"a": 1}, {"b": 2}]
    assert back["set"] == frozenset({"k1", "k2"}) and back["array"].dtype == np.int32
    pd.testing.assert_frame_equal(back["frame"], value["frame"])
