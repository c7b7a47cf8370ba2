"""Tests for analysis/count/naming.py: alternative names per outlet and scare quotes."""

import numpy as np
import pandas as pd
import pytest

from analysis.count import naming


def paragraphs(texts, outlets):
    return pd.DataFrame({
        "article_id": [f"a{i}" for i in range(len(texts))],
        "paragraph": 0,
        "outlet": outlets,
        "text": texts,
        "kind": "body",
    })


def counts(table, concept, by="outlet"):
    return naming.naming_wide(table, concept, by=by)


def test_us_is_not_us_and_u_s_is_found_inside_compounds():
    p = paragraphs(
        ["Tell us what the US wants. Ask the US.", "U.S.-Russia talks; the U.S.’s aid; the U.S.", "the USA"],
        ["G", "R", "R"],
    )
    got = counts(naming.naming_table(p, include_scare_quotes=False), "united_states")
    assert got.loc["G", "US"] == 2 and got.loc["G", "U.S."] == 0
    assert got.loc["R", "U.S."] == 3 and got.loc["R", "US"] == 0 and got.loc["R", "USA"] == 1


def test_zelenskyy_spellings_do_not_overlap():
    p = paragraphs(["Zelenskyy and Zelenskyy’s aide", "Trump-Zelensky meeting", "Zelenskiy said"], ["A", "B", "C"])
    got = counts(naming.naming_table(p, include_scare_quotes=False), "zelenskyy")
    assert got.loc["A"].to_dict() == {"Zelenski": 0, "Zelenskiy": 0, "Zelensky": 0, "Zelenskyy": 2}
    assert got.loc["B", "Zelensky"] == 1 and got.loc["C", "Zelenskiy"] == 1


def test_table_lists_zero_counts_shares_and_articles():
    p = paragraphs(["Kyiv and Kyiv", "Kiev", "nothing"], ["X", "X", "Y"])
    table = naming.naming_table(p, include_scare_quotes=False)
    kyiv = table[table["concept"] == "kyiv"].set_index(["outlet", "variant"])
    assert kyiv.loc[("X", "Kyiv"), ["count", "n_articles"]].tolist() == [2, 1]
    assert kyiv.loc[("X", "Kiev"), "share"] == pytest.approx(1 / 3)
    assert kyiv.loc[("Y", "Kyiv"), "count"] == 0 and pd.isna(kyiv.loc[("Y", "Kyiv"), "share"])


def test_user_pairs_by_parameter_and_case_flag():
    pairs = pd.DataFrame({"concept": ["gaza", "gaza"], "variant": ["Gaza Strip", "the strip"],
                          "pattern": [r"\bGaza Strip\b", r"(?i)\bthe strip\b"]})
    p = paragraphs(["The Strip and the Gaza Strip"], ["X"])
    got = counts(naming.naming_table(p, pairs=pairs, include_scare_quotes=False), "gaza")
    assert got.loc["X"].to_dict() == {"Gaza Strip": 1, "the strip": 1}
    extended = naming.load_naming(extra=pairs)
    assert {"gaza", "kyiv"} <= set(extended["concept"])
    with pytest.raises(ValueError):
        naming.load_naming(extra=pd.DataFrame({"concept": ["x"], "variant": ["y"], "pattern": ["(unclosed"]}))


def test_scare_quotes_keep_short_unattributed_quotes_only():
    texts = [
        "Russia thanked Pyongyang for help in “liberating” the region.",          # scare quote
        "“Peace,” he said.",                                                         # reporting verb
        "She called it a “disaster”.",                                               # reporting verb before
        "The “new realities” on the ground",                                         # scare quote
        "He said: “No.”",                                                            # colon + full utterance
        "“We will never give up our land to anyone,” the minister told reporters.",  # too long
        'The so-called "peace plan" was rejected.',                                  # straight quotes
    ]
    p = paragraphs(texts, ["X"] * len(texts))
    before = p.copy()
    found = naming.scare_quotes(p)
    pd.testing.assert_frame_equal(p, before)
    assert found["term"].tolist() == ["liberating", "new realities", "peace plan"]
    assert found["n_words"].tolist() == [1, 2, 2]
    table = naming.naming_table(p)
    quoted = table[table["concept"] == "scare_quote"]
    assert set(quoted["variant"]) == {"liberating", "new realities", "peace plan"}


def test_only_body_paragraphs_by_default():
    p = paragraphs(["Kiev", "Kyiv"], ["X", "X"]).assign(kind=["title", "body"])
    got = counts(naming.naming_table(p, include_scare_quotes=False), "kyiv")
    assert got.loc["X", "Kiev"] == 0 and got.loc["X", "Kyiv"] == 1


# --- the seeds -------------------------------------------------------------


def test_seed_guardian_writes_us_where_the_others_write_u_s(seeds):
    table = counts(naming.naming_table(seeds.paragraphs), "united_states")
    assert table.loc["The Guardian", "US"] > 0 and table.loc["The Guardian", "U.S."] == 0
    others = table.drop(index="The Guardian")
    assert (others["U.S."] > 0).all() and (others["US"] == 0).all()


def test_seed_zelenskyy_spellings_by_outlet(seeds):
    table = counts(naming.naming_table(seeds.paragraphs), "zelenskyy")
    users = {variant: set(table.index[table[variant] > 0]) for variant in table.columns}
    assert users["Zelenskyy"] == {"News1 Global", "Daily Sabah", "The Guardian"}
    assert users["Zelensky"] == {"Daily Sabah"}  # "Trump-Zelensky meeting"
    assert users["Zelenskiy"] == {"automagazine.pt"}


def test_seed_guardian_holds_liberating_in_scare_quotes(seeds):
    found = naming.scare_quotes(seeds.paragraphs)
    assert "liberating" in set(found.loc[found["outlet"] == "The Guardian", "term"])
    assert (found["n_words"] <= 3).all()


@pytest.mark.parametrize("pattern", [
    r"\bKyiv\b", r"(?i)\bwars?\b", r"\bKim\s+Jong-un\b", r"(?<![\w.])(?:USA|U\.S\.A\.)(?!\w)",
    r"^Kyiv", r"\w+ev\b", r"Kyiv|Kiev", r"(?i)\bkiev\b", r"(?i)k", r"aa",
])
def test_counts_equal_str_count_for_any_pattern_shape(pattern):
    texts = ["Kyiv, KYIV and kyiv; Kiev’s war, WARS, wartime", "Kim Jong-un and Kim  Jong-un; USA, U.S.A., xUSA",
             "Kyiv\u212aiev", "aaaa aaa", "", "War: \u212a and k"]
    table = pd.DataFrame({"concept": ["c"], "variant": ["v"], "pattern": [pattern]})
    got = naming.naming_table(paragraphs(texts, list("ABCDEF")), pairs=table, include_scare_quotes=False)
    want = pd.Series(texts).str.count(pattern)
    assert got.set_index("outlet")["count"].reindex(list("ABCDEF")).tolist() == want.tolist()


def test_counts_of_two_article_sets_merge_into_the_table_of_both(seeds):
    body = seeds.body()
    body = body.assign(desk=np.where(body["article_id"].isin(sorted(body["article_id"].unique())[:2]), "A", "B"))
    ids = sorted(body["article_id"].unique())
    for by in ("outlet", "desk"):  # groups of their own, and groups both sets write into
        whole = naming.naming_table(body, by=by)
        assert (whole["concept"] == "scare_quote").any()
        for first in (ids[:1], ids[1::2]):
            a = naming.naming_counts(body[body["article_id"].isin(first)], by=by)
            b = naming.naming_counts(body[~body["article_id"].isin(first)], by=by)
            for merged in (naming.merge_naming(a, b), naming.merge_naming(b, a)):
                pd.testing.assert_frame_equal(naming.naming_from_counts(merged), whole, check_exact=True)
