"""suggest-actors: an actors table proposed from the corpus, variants merged, read back by load_actors."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.load.corpus import load_texts
from analysis.measure.actors import find_mentions, load_actors
from analysis.measure.suggest import SUGGEST_COLUMNS, suggest_actors
from analysis.run.cli import main

ARTICLES = [
    ("North Korean leader Kim Jong Un met President Donald Trump in Hanoi. Officials said the talks were short. "
    "Mr. Trump said Kim was ready to talk. Kim did not comment."),
    ("Donald J. Trump spoke of Kim Jong-un again on Tuesday. Trump said the U.S. would wait. "
    "Sanctions stay in place, the State Department said."),
    ("Russian President Vladimir Putin told reporters in Moscow that Russia wanted talks. Putin said the Kremlin "
    "would answer the United States. Joe Biden and his son Hunter Biden were not mentioned; Biden declined to comment."),
    ("Vladimir Putin met Kim Jong Un. Kim and Putin signed a pact, the Korean Central News Agency (KCNA) said. "
    "KCNA said Trump was not told. Joe Biden said Biden's team had no comment."),
]


@pytest.fixture(scope="module")
def corpus():
    return load_texts([{"file": f"{i}.txt", "text": text} for i, text in enumerate(ARTICLES)])


@pytest.fixture(scope="module")
def table(corpus):
    return suggest_actors(corpus)


def _row(table: pd.DataFrame, name: str) -> pd.Series:
    rows = table[table["name"] == name]
    assert len(rows) == 1, f"{name!r} should be one row: {table['name'].tolist()}"
    return rows.iloc[0]


def test_the_table_has_the_actors_table_columns_and_reads_back(table):
    assert list(table.columns) == SUGGEST_COLUMNS
    actors = load_actors(table)
    assert len(actors) == len(table)


def test_name_variants_and_titles_merge_into_one_row_per_person(table):
    trump = _row(table, "Donald Trump")
    assert trump["kind"] == "person"
    assert set(trump["aliases"].split("|")) == {"Donald Trump", "Donald J. Trump"}
    assert trump["surnames"] == "Trump"
    assert trump["n_articles"] == 3  # the fourth article's "Trump" counts as his too
    kim = _row(table, "Kim Jong Un")
    assert "Kim Jong-un" in kim["aliases"].split("|")
    assert kim["surnames"] == "Kim"  # a family name first, used alone
    assert kim["n_articles"] == 3
    assert _row(table, "Vladimir Putin")["kind"] == "person"
    names = set(table["name"])
    assert not names & {"Trump", "Kim", "Putin", "President Donald Trump", "Mr. Trump", "Russian President"}


def test_states_organisations_and_acronyms_come_from_the_gazetteer(corpus, table):
    us = _row(table, "United States")
    assert us["kind"] == "state"
    assert {"U.S.", "United States"} <= set(us["aliases"].split("|"))
    kcna = _row(suggest_actors(corpus, min_articles=1), "Korean Central News Agency")
    assert kcna["kind"] == "organization" and "KCNA" in kcna["aliases"].split("|")
    assert _row(suggest_actors(corpus, min_articles=1), "Russia")["kind"] == "state"


def test_common_words_that_open_a_sentence_are_not_names(table):
    assert not set(table["name"]) & {"Officials", "Sanctions", "Tuesday", "North Korean", "Russian"}


def test_a_surname_two_people_share_is_noted_for_the_analyst(table):
    joe = _row(table, "Joe Biden")
    assert "Hunter Biden" in joe["note"]


def test_ranked_by_articles_and_filtered_by_min_articles(corpus, table):
    assert table["n_articles"].is_monotonic_decreasing
    assert (table["n_articles"] >= 2).all()
    assert "Hanoi" not in set(table["name"])  # one article only
    assert "Hanoi" in set(suggest_actors(corpus, min_articles=1)["name"])
    assert len(suggest_actors(corpus, top=3)) == 3


def test_the_example_is_a_sentence_naming_the_actor_in_full(table):
    assert "Vladimir Putin" in _row(table, "Vladimir Putin")["example"]


def test_the_suggested_table_finds_mr_trump_and_kim_alone(corpus, table):
    mentions = find_mentions(corpus, load_actors(table))
    trump = mentions[mentions["name"] == "Donald Trump"]
    assert {"Mr. Trump", "Trump"} & set(trump["alias"])
    assert "Kim" in set(mentions.loc[mentions["name"] == "Kim Jong Un", "alias"])


def test_the_command_writes_the_table_and_keeps_an_edited_one(tmp_path, capsys):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i, text in enumerate(ARTICLES):
        (folder / f"{i}.txt").write_text(text, encoding="utf-8")
    (folder / "articles.csv").write_text("file,outlet,date\n" + "".join(f"{i}.txt,Outlet {i % 2},2019-02-2{i}\n"
                                                                       for i in range(len(ARTICLES))))
    out = tmp_path / "actors.csv"
    assert main(["suggest-actors", str(folder), "--out", str(out)]) == 0
    assert "written to" in capsys.readouterr().out
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert "Donald Trump" in set(written["name"])
    assert len(load_actors(out)) == len(written)
    out.write_text("id,name,kind,aliases\nedited,Edited,person,Edited\n", encoding="utf-8")
    assert main(["suggest-actors", str(folder), "--out", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8").startswith("id,name,kind,aliases\nedited")
    assert main(["suggest-actors", str(folder), "--out", str(out), "--force"]) == 0
    assert main(["suggest-actors", str(folder), "--out", str(tmp_path / "b.csv"), "--min-articles", "9"]) == 2
    assert "lower --min-articles" in capsys.readouterr().err
