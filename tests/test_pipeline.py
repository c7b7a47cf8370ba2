"""analyze: every table at once, per-article results reused from the cache, and nothing stale."""

import shutil

import pandas as pd
import pytest

from analysis.config import SEEDS_DIR
from analysis.count import keyness as keyness_module
from analysis.count import terms
from analysis.measure.actors import ACTORS_PATH
from analysis.run.annotate import PER_ARTICLE
from analysis.run.cache import Cache
from analysis.run.pipeline import analyze
from analysis.run.tables import write_tables

METHOD = "window"  # the fastest target method; the cache logic does not depend on it


@pytest.fixture()
def folder(tmp_path):
    d = tmp_path / "corpus"
    shutil.copytree(SEEDS_DIR, d)
    return d


def test_analyze_returns_every_table(folder, tmp_path):
    tables = analyze(folder, cache=False, method=METHOD)
    for name in ("articles", "paragraphs", "sentences", "problems", *PER_ARTICLE, "tone_by_outlet",
                 "tone_by_article", "stance_summary", "terms_by_outlet", "keyness_by_outlet",
                 "terms_by_article", "frame_shares", "article_frames_by_outlet", "naming"):
        assert name in tables
    assert len(tables["articles"]) == 5 and len(tables["mentions"]) > 100
    written = write_tables(tables, tmp_path / "out")
    assert len(written) == len(tables)
    back = pd.read_parquet(tmp_path / "out" / "tables" / "mentions.parquet")
    assert len(back) == len(tables["mentions"])


def test_written_csv_reads_back_as_pandas_own_csv(folder, tmp_path):
    """The Arrow-written CSV gives the same frame under ``pd.read_csv`` as ``DataFrame.to_csv`` would."""
    tables = analyze(folder, cache=False, method=METHOD)
    odd = pd.DataFrame({
        "text": ['plain', 'comma, "quoted"', "two\nlines", None, ""],
        "whole": [1.0, -2.0, float("nan"), 1e20, 0.0],  # Arrow alone would write these as integers
        "mixed": [0.1, 1 / 3, float("nan"), 2.0, -0.0],
        "flag": [True, False, True, False, True],
        "day": pd.to_datetime(["2025-08-23", None, "2025-01-01", "2025-01-02", "2024-12-31"]),
        "moment": pd.to_datetime(["2025-08-23 10:30", None, "2025-01-01", "2025-01-02 00:00:01", "2024-12-31"],
                                 format="ISO8601"),
        "zoned": pd.to_datetime(["2025-08-23T10:30+02:00"] * 5),
        "listed": [["a", "b"], [], None, ["c"], ["d"]],
        "count": [1, 2, 3, 4, 5],
    })
    tables["odd"] = odd
    write_tables(tables, tmp_path / "out")
    for name, table in tables.items():
        expected = tmp_path / f"{name}.pandas.csv"
        written = table.reset_index(drop=True)
        if name == "odd":  # lists are written as their text, by write_tables as here
            written["listed"] = written["listed"].map(lambda v: v if v is None else str(v))
        written.to_csv(expected, index=False)
        got = pd.read_csv(tmp_path / "out" / "tables" / f"{name}.csv")
        pd.testing.assert_frame_equal(got, pd.read_csv(expected), check_exact=True, obj=name)
    assert pd.read_csv(tmp_path / "out" / "tables" / "odd.csv")["whole"].dtype == "float64"


def test_second_run_reuses_the_cache_and_gives_the_same_tables(folder, tmp_path):
    first_cache = Cache(tmp_path / "cache")
    first = analyze(folder, cache=first_cache, method=METHOD)
    # 5 loads + 5 annotations + 5 frame hits + the aggregates of the whole corpus + the sums of a
    # previous run + the snapshot of every table
    assert first_cache.hits == 0 and first_cache.misses == 18
    second_cache = Cache(tmp_path / "cache")
    second = analyze(folder, cache=second_cache, method=METHOD)
    assert second_cache.hits == 1 and second_cache.misses == 0  # every table at once, from the snapshot
    shutil.rmtree(tmp_path / "cache" / "snapshot")
    third_cache = Cache(tmp_path / "cache")
    third = analyze(folder, cache=third_cache, method=METHOD)
    assert third_cache.hits == 16 and third_cache.misses == 1  # without it: from the entries per article
    assert list(first) == list(second) == list(third)
    for name in first:
        pd.testing.assert_frame_equal(first[name], second[name], check_exact=True, obj=name)
        pd.testing.assert_frame_equal(first[name], third[name], check_exact=True, obj=name)


def test_the_snapshot_is_not_used_when_unreadable_or_after_the_package_changes(folder, tmp_path, monkeypatch):
    from analysis.run import pipeline

    first = analyze(folder, cache=Cache(tmp_path / "cache"), method=METHOD)
    [entry] = (tmp_path / "cache" / "snapshot").iterdir()
    (entry / "tone.feather").write_bytes(b"not arrow")
    damaged = Cache(tmp_path / "cache")
    again = analyze(folder, cache=damaged, method=METHOD)
    assert damaged.hits == 16 and damaged.misses == 1  # read per article instead, and written again
    for name in first:
        pd.testing.assert_frame_equal(first[name], again[name], check_exact=True, obj=name)
    repaired = Cache(tmp_path / "cache")
    analyze(folder, cache=repaired, method=METHOD)
    assert repaired.hits == 1 and repaired.misses == 0
    monkeypatch.setattr(pipeline, "_package_hash", lambda: "an edited function")
    edited = Cache(tmp_path / "cache")
    analyze(folder, cache=edited, method=METHOD)
    assert edited.hits == 16 and edited.misses == 1  # per-article entries follow their versions, not the code


def test_adding_one_article_recomputes_only_that_article(folder, tmp_path):
    analyze(folder, cache=Cache(tmp_path / "cache"), method=METHOD)
    (folder / "005_new.txt").write_text(
        "Vladimir Putin praised the deal but Volodymyr Zelenskyy rejected it, officials said on Monday.\n", encoding="utf-8"
    )
    with open(folder / "articles.csv", "a", encoding="utf-8") as fh:
        fh.write("005_new.txt,New Outlet,Nowhere,,2025-08-21,,,news report,\n")
    cache = Cache(tmp_path / "cache")
    tables = analyze(folder, cache=cache, method=METHOD)
    # Missed: the snapshot, the new file's load, annotation and frame hits, and the aggregates. Found: the
    # other articles' 15, and the first run's sums over articles, to which the new article's counts are added.
    assert cache.misses == 5 and cache.hits == 16
    assert "New Outlet" in set(tables["tone_by_outlet"]["outlet"])
    fresh = analyze(folder, cache=False, method=METHOD)  # cached and new rows come back in corpus order
    for name in fresh:
        pd.testing.assert_frame_equal(fresh[name], tables[name])


def test_a_changed_registry_is_picked_up(folder, tmp_path):
    analyze(folder, cache=Cache(tmp_path / "cache"), method=METHOD)
    path = tmp_path / "my_actors.csv"
    shipped = (ACTORS_PATH).read_text(encoding="utf-8")
    path.write_text(shipped.rstrip("\n") + "\nkim_jin_ha,Kim Jin-ha,person,south_korea,Kim Jin-ha,,,,,,\n", encoding="utf-8")
    cache = Cache(tmp_path / "cache")
    tables = analyze(folder, cache=cache, method=METHOD, actors=path)
    # Loading and frame hits reused; annotations and aggregates redone, and the term and
    # naming counts too (actor names are counted as terms): no sums under the new registry yet.
    assert cache.hits == 10 and cache.misses == 8  # (and the snapshot)
    assert "Kim Jin-ha" in set(tables["mentions"]["name"])


def test_a_changed_frame_dictionary_keeps_the_annotations_and_changes_the_hits(folder, tmp_path):
    analyze(folder, cache=Cache(tmp_path / "cache"), method=METHOD)
    path = tmp_path / "my_frames.csv"
    path.write_text("frame,family,definition,cues\nalaska,custom,Mentions of the summit venue.,alaska\n",
                    encoding="utf-8")
    cache = Cache(tmp_path / "cache")
    tables = analyze(folder, cache=cache, method=METHOD, frame_table=path)
    # Loads and annotations reused; frame hits and aggregates redone, from the term and naming
    # counts of the first run (they do not read the frame dictionary): nothing counted again.
    assert cache.hits == 11 and cache.misses == 7  # (and the snapshot)
    hits = tables["frame_hits"]
    assert set(hits["frame"]) == {"alaska"}
    assert hits.loc[hits["present"], "outlet"].nunique() >= 3


def test_aggregates_are_cached_per_corpus_state_whatever_min_n(folder, tmp_path):
    first = analyze(folder, cache=Cache(tmp_path / "cache"), method=METHOD)
    again = Cache(tmp_path / "cache")
    analyze(folder, cache=again, method=METHOD)
    assert again.misses == 0
    other = Cache(tmp_path / "cache")
    flagged = analyze(folder, cache=other, method=METHOD, min_n=10)
    assert other.misses == 0  # min_n only sets the small_n flags: read from the same entry
    # The flags are those of computing with that min_n from scratch, in every aggregate that has them.
    fresh = analyze(folder, cache=False, method=METHOD, min_n=10)
    for name in ("tone_by_outlet", "tone_by_article", "stance_summary", "frame_shares"):
        pd.testing.assert_frame_equal(flagged[name], fresh[name], check_exact=True, obj=name)
        assert (flagged[name]["small_n"] == (flagged[name]["n"] < 10)).all()
    for name in ("tone_by_outlet", "frame_shares"):  # cells on both sides of 10 on the seeds
        assert flagged[name]["small_n"].any() and not flagged[name]["small_n"].all()
    assert flagged["tone_by_outlet"]["small_n"].sum() > first["tone_by_outlet"]["small_n"].sum()


def test_article_frames_per_article_and_method_and_their_shares_by_outlet(folder):
    tables = analyze(folder, cache=False, method=METHOD, min_n=2)
    found, shares = tables["article_frames"], tables["article_frames_by_outlet"]
    english = set(tables["articles"].loc[tables["articles"]["language"] == "en", "article_id"])
    assert set(found["article_id"]) == english
    assert found.groupby(["article_id", "method"]).size().eq(5).all()  # the five generic frames, each method
    assert set(found["frame"]) == {"resolution", "human_interest", "conflict", "morality", "economic"}
    per_outlet = found.drop_duplicates("article_id").groupby("outlet").size()
    assert (shares.set_index("outlet")["n_articles"] == per_outlet.reindex(shares["outlet"]).to_numpy()).all()
    assert (shares["small_n"] == (shares["n_articles"] < 2)).all()
    assert ((shares["ci_low"] <= shares["share"]) & (shares["share"] <= shares["ci_high"])).all()


def test_without_aggregates_tone_by_article_is_still_returned(folder):
    tables = analyze(folder, cache=False, method=METHOD, aggregates=False, min_n=2)
    assert "tone_by_outlet" not in tables and "terms_by_outlet" not in tables
    by_article = tables["tone_by_article"]
    assert (by_article["small_n"] == (by_article["n"] < 2)).all() and len(by_article) > 20


def test_outlet_terms_and_keyness_are_cut_from_the_aggregates_unchanged(folder):
    from analysis.count.outlets import outlet_keyness, outlet_terms
    from analysis.measure.actors import load_actors

    tables = analyze(folder, cache=False, method=METHOD)
    bare = analyze(folder, cache=False, method=METHOD, aggregates=False)  # no term tables: counted from the text
    body, phrases = tables["paragraphs"], terms.actor_phrases(load_actors())
    for ngram_range, min_count in (((1, 1), 1), ((2, 3), 2), ((1, 2), 3)):
        direct = terms.term_table(body, by="outlet", ngram_range=ngram_range, phrases=phrases, min_count=min_count)
        assert len(direct) > 100
        pd.testing.assert_frame_equal(outlet_terms(tables, ngram_range, min_count), direct, check_exact=True)
        pd.testing.assert_frame_equal(outlet_terms(bare, ngram_range, min_count), direct)
    for min_count in (1, 3):
        direct = keyness_module.keyness(body, by="outlet", phrases=phrases, min_count=min_count)
        pd.testing.assert_frame_equal(outlet_keyness(tables, min_count), direct)
        pd.testing.assert_frame_equal(outlet_keyness(bare, min_count), direct)
    # Extra stopwords change the tokens, so the table is counted again and loses those words.
    fewer = outlet_terms(tables, extra_stopwords=["ukraine"])
    assert "ukraine" in set(outlet_terms(tables)["term"]) and "ukraine" not in set(fewer["term"])


def test_sums_over_articles_are_added_to_when_the_corpus_grows_and_redone_when_it_shrinks(folder, tmp_path, monkeypatch):
    from analysis.count import terms as counting_module

    counted = []  # articles whose terms each call of count_terms reads
    count_terms = counting_module.count_terms

    def counting(paragraphs, **options):
        counted.append(paragraphs["article_id"].nunique())
        return count_terms(paragraphs, **options)

    monkeypatch.setattr(counting_module, "count_terms", counting)
    cache = tmp_path / "cache"
    manifest = (folder / "articles.csv").read_text(encoding="utf-8")
    first = min(p.name for p in folder.glob("*.txt"))
    row = next(line for line in manifest.splitlines() if line.startswith(first + ","))

    def same_as_counting_everything(tables):
        fresh = analyze(folder, cache=False, method=METHOD)
        for name in ("terms_by_outlet", "keyness_by_outlet", "terms_by_article", "naming", "tone_by_outlet"):
            pd.testing.assert_frame_equal(tables[name], fresh[name], check_exact=True)

    analyze(folder, cache=cache, method=METHOD)
    assert counted == [5]
    # A new article from an outlet already in the corpus: its counts join that outlet's.
    (folder / "zz_new.txt").write_text((folder / first).read_text(encoding="utf-8")
                                       + "\nSanctions were widened again on Friday.\n", encoding="utf-8")
    (folder / "articles.csv").write_text(manifest + "zz_new.txt" + row[len(first):] + "\n", encoding="utf-8")
    grown = analyze(folder, cache=cache, method=METHOD)
    assert counted == [5, 1]
    same_as_counting_everything(grown)
    # An article counted before is gone: everything is counted again.
    (folder / first).unlink()
    (folder / "articles.csv").write_text(
        "\n".join(line for line in (folder / "articles.csv").read_text(encoding="utf-8").splitlines()
                  if not line.startswith(first + ",")) + "\n", encoding="utf-8")
    counted.clear()
    shrunk = analyze(folder, cache=cache, method=METHOD)
    assert counted == [5]  # the four left and the new one
    same_as_counting_everything(shrunk)


def test_terms_counted_in_parts_sum_to_the_same_table(folder, monkeypatch):
    from analysis.run import aggregate as pipeline

    whole = analyze(folder, cache=False, method=METHOD)
    parts = []
    monkeypatch.setattr(pipeline, "TERM_PART_CHARS", 3000)  # a part per article or two
    original = pipeline._text_parts
    monkeypatch.setattr(pipeline, "_text_parts", lambda p, size: parts.extend(original(p, size)) or parts)
    pieces = analyze(folder, cache=False, method=METHOD)
    assert len(parts) >= 3 and sum(len(p) for p in parts) == len(whole["paragraphs"].query("kind == 'body'"))
    for name in ("terms_by_outlet", "keyness_by_outlet", "terms_by_article"):
        pd.testing.assert_frame_equal(pieces[name], whole[name], check_exact=True)


def test_retrained_transformer_weights_change_the_keys_of_what_they_scored(tmp_path, monkeypatch):
    from analysis.models import transformer
    from analysis.run import pipeline

    monkeypatch.setattr(transformer, "MODEL_DIR", tmp_path / "transformer")
    none = pipeline._model_hash("transformer")
    (tmp_path / "transformer").mkdir()
    (tmp_path / "transformer" / "model.safetensors").write_bytes(b"weights, first training")
    first = pipeline._model_hash("transformer")
    (tmp_path / "transformer" / "model.safetensors").write_bytes(b"weights, second training")
    assert len({none, first, pipeline._model_hash("transformer")}) == 3
    assert pipeline._model_hash("window") is None


def test_a_folder_from_one_outlet_is_analysed_with_no_keyness_to_show(folder):
    """Without a manifest every article is outlet 'unknown': keyness (an outlet against the rest) has no rows."""

    (folder / "articles.csv").unlink()
    tables = analyze(folder, cache=False, method=METHOD)
    assert set(tables["articles"]["outlet"]) == {"unknown"} and len(tables["mentions"]) > 100
    assert tables["keyness_by_outlet"].empty and list(tables["keyness_by_outlet"].columns) == keyness_module.KEYNESS_COLUMNS
    assert not tables["terms_by_outlet"].empty
    assert keyness_module.keyness(tables["paragraphs"], by="outlet").empty


def test_terms_by_article_is_the_per_article_term_table_without_a_second_pass(folder):
    from analysis.count import outlets as pipeline

    tables = analyze(folder, cache=False, method=METHOD)
    phrases = terms.actor_phrases(pipeline.load_actors(None))
    direct = terms.term_table(tables["paragraphs"], by="article_id", phrases=phrases,
                              top=pipeline.ARTICLE_TERMS_TOP, top_value="tfidf")
    assert len(direct) == 5 * pipeline.ARTICLE_TERMS_TOP
    pd.testing.assert_frame_equal(tables["terms_by_article"], direct, check_exact=True)
    assert pipeline.article_terms(tables) is tables["terms_by_article"]
    # Another top, or extra stopwords: counted from the paragraphs, as asked.
    three = pipeline.article_terms(tables, top=3)
    pd.testing.assert_frame_equal(three, terms.term_table(tables["paragraphs"], by="article_id", phrases=phrases,
                                                          top=3, top_value="tfidf"), check_exact=True)
    fewer = pipeline.article_terms(tables, extra_stopwords=["ukraine"])
    assert "ukraine" in set(direct["term"]) and "ukraine" not in set(fewer["term"])


def test_analyze_imports_neither_nltk_nor_scikit_learn():
    """Their imports cost 1-1.5 s each in every process (analyze, each notebook kernel) and are not needed."""
    import subprocess
    import sys

    code = """
import sys
from analysis import analyze
from analysis.config import SEEDS_DIR
tables = analyze(SEEDS_DIR, cache=False)
assert len(tables["tone"]) and len(tables["terms_by_article"])
print(sorted(m for m in ("nltk", "sklearn") if m in sys.modules))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_an_undated_article_with_a_role_phrase_is_reported(tmp_path):
    from helpers import corpus_of

    corpus_of(tmp_path / "c", "The US president spoke to reporters on the plane.", date="")
    problems = analyze(tmp_path / "c", cache=False, method=METHOD, aggregates=False)["problems"]
    row = problems[problems["problem"] == "undated_role"]
    assert row["file"].tolist() == ["a.txt"]
    assert "'US president'" in row["message"].iloc[0] and row["loaded"].all()
    corpus_of(tmp_path / "m", "The US president spoke to reporters on the plane.", date="2019-03")
    problems = analyze(tmp_path / "m", cache=False, method=METHOD, aggregates=False)["problems"]
    assert "gives only the month" in problems.loc[problems["problem"] == "undated_role", "message"].iloc[0]
