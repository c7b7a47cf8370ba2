"""--group-by: outlet-level measures again by a manifest column, intervals over articles, small groups named."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.count.groups import NO_GROUP, grouped_tables
from analysis.run.cli import main
from analysis.run.pipeline import analyze

TEXTS = {
    "a1.txt": "Vladimir Putin praised the deal. Putin said it was a victory.",
    "a2.txt": "Vladimir Putin attacked the plan and Putin threatened Ukraine.",
    "b1.txt": "Volodymyr Zelenskyy thanked the rescuers. Zelenskyy praised their courage.",
    "b2.txt": "Vladimir Putin was criticised by Volodymyr Zelenskyy for the attack.",
    "c1.txt": "Vladimir Putin spoke on Monday about the talks.",
}
MANIFEST = ("file,outlet,date,leaning\na1.txt,Left Daily,2024-05-01,left\na2.txt,Left Weekly,2024-05-02,left\n"
            "b1.txt,Right Post,2024-05-03,right\nb2.txt,Right Post,2024-05-04,right\nc1.txt,Nowhere News,2024-05-05,\n")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("groups")
    for name, text in TEXTS.items():
        (d / name).write_text(text + "\n", encoding="utf-8")
    (d / "articles.csv").write_text(MANIFEST, encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def tables(folder):
    return analyze(folder, cache=False, method="vader")


def test_article_tone_by_a_manifest_column_counts_articles_per_group(tables):
    grouped = grouped_tables(tables, "leaning", min_n=2)
    tone = grouped["article_tone_by_leaning"].set_index(["name", "leaning"])
    assert tone.loc[("Vladimir Putin", "left"), "n_articles"] == 2  # two outlets pooled by their group
    assert tone.loc[("Vladimir Putin", NO_GROUP), "n_articles"] == 1  # no value: its own group, not dropped
    assert bool(tone.loc[("Vladimir Putin", NO_GROUP), "small_n"])
    row = tone.loc[("Vladimir Putin", "left")]
    assert row["ci_low"] <= row["mean"] <= row["ci_high"]


def test_groups_are_described_and_small_ones_flagged(tables):
    sizes = grouped_tables(tables, "leaning", min_n=2)["articles_by_leaning"].set_index("leaning")
    assert sizes.loc["left", "outlets"] == "Left Daily, Left Weekly"
    assert sizes.loc["right", "n_outlets"] == 1 and sizes.loc["right", "n_articles"] == 2
    assert bool(sizes.loc[NO_GROUP, "small_n"]) and not bool(sizes.loc["left", "small_n"])


def test_roles_by_group_count_the_group_s_articles(tables):
    roles = grouped_tables(tables, "leaning")["roles_by_leaning"]
    putin = roles[(roles["name"] == "Vladimir Putin") & (roles["leaning"] == "left")]
    assert set(putin["role"]) == {"hero", "villain", "victim"}
    assert (putin["n_articles"] == 2).all() and putin["k"].sum() <= 2
    assert ((putin["share"] - putin["k"] / putin["n_articles"]).abs() < 1e-9).all()


def test_frame_shares_by_group_count_articles(tables):
    shares = grouped_tables(tables, "leaning")["article_frames_by_leaning"]
    left = shares[(shares["leaning"] == "left")]
    assert len(left) and (left["n_articles"] == 2).all()
    assert ((left["ci_low"] <= left["share"]) & (left["share"] <= left["ci_high"])).all()


def test_an_unknown_column_names_the_usable_ones(tables):
    with pytest.raises(ValueError, match="usable: country, genre, leaning"):
        grouped_tables(tables, "owner")


def test_the_command_writes_the_grouped_tables_and_refuses_an_unknown_column(folder, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["analyze", str(folder), "--out", str(out), "--method", "vader", "--no-cache",
                 "--group-by", "leaning"]) == 0
    written = pd.read_csv(out / "tables" / "article_tone_by_leaning.csv")
    assert set(written["leaning"]) == {"left", "right", NO_GROUP}
    assert (out / "tables" / "articles_by_leaning.csv").exists()
    capsys.readouterr()
    assert main(["analyze", str(folder), "--out", str(out), "--method", "vader", "--no-cache",
                 "--group-by", "owner"]) == 2
    assert "usable: country, genre, leaning" in capsys.readouterr().err


def test_with_group_adds_the_column_and_names_the_missing_value(tables):
    from analysis.count.groups import with_group

    tone = with_group(tables["article_tone"], tables["articles"], "leaning")
    by_file = dict(zip(tone["file"], tone["leaning"]))
    assert by_file["a1.txt"] == "left" and by_file["c1.txt"] == NO_GROUP
    assert "leaning" not in tables["article_tone"].columns  # not modified in place
