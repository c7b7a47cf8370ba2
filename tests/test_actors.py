"""Tests for analysis/measure/actors.py: the registry and actor mentions."""

import pandas as pd
import pytest
from helpers import corpus_of

from analysis.measure.actors import (
    count_mentions,
    find_mentions,
    kwic,
    load_actors,
    roll_up,
)


@pytest.fixture(scope="module")
def seed_mentions(seeds):
    return find_mentions(seeds)


def actors_in(mentions, prefix):
    return set(mentions.loc[mentions["article_id"].str.startswith(prefix), "actor"])


def test_registry_loads_with_parents_and_lists():
    actors = load_actors().set_index("id")
    assert actors.loc["putin", "parent"] == "russia"
    assert "Zelenskiy" in actors.loc["zelenskyy", "surnames"]
    assert set(actors["kind"]) == {"person", "state", "organization"}


def test_registry_rejects_a_form_given_to_two_actors():
    bad = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "kind": ["state", "state"], "aliases": ["Xland", "Xland"]})
    with pytest.raises(ValueError, match="more than one actor"):
        load_actors(bad)


def test_user_registry_is_a_parameter(tmp_path):
    corpus = corpus_of(tmp_path, "Atlantis condemned Lemuria on Monday.")
    mine = pd.DataFrame({"id": ["atl", "lem"], "name": ["Atlantis", "Lemuria"], "kind": ["state", "state"],
                         "aliases": ["Atlantis", "Lemuria|Mu"]})
    assert list(find_mentions(corpus, mine)["actor"]) == ["atl", "lem"]


def test_zelenskyy_in_four_seed_articles_under_every_spelling(seed_mentions):
    for prefix in ("000", "002", "003", "004"):
        assert "zelenskyy" in actors_in(seed_mentions, prefix), prefix
    spellings = set(seed_mentions.loc[seed_mentions["actor"] == "zelenskyy", "alias"])
    assert {"Zelenskiy", "Zelensky", "Zelenskyy"} <= spellings


def test_turkiye_in_002(seed_mentions):
    assert "turkiye" in actors_in(seed_mentions, "002")


def test_kim_jong_un_in_001_and_003_but_not_000(seed_mentions):
    assert "kim_jong_un" in actors_in(seed_mentions, "001")
    assert "kim_jong_un" in actors_in(seed_mentions, "003")
    assert "kim_jong_un" not in actors_in(seed_mentions, "000")  # 000 quotes Kim Jin-ha, another person


def test_offsets_point_at_the_alias(seeds, seed_mentions):
    texts = seeds.sentences.set_index(["article_id", "paragraph", "sentence"])["text"]
    for m in seed_mentions.itertuples():
        assert texts[(m.article_id, m.paragraph, m.sentence)][m.start:m.end] == m.alias


def test_bare_surname_needs_the_full_name_first(tmp_path):
    corpus = corpus_of(
        tmp_path,
        "Kim met envoys on Monday.",
        "North Korean leader Kim Jong-un later spoke.",
        "Kim said little. Analyst Kim Jin-ha and the writer Maru Kim disagreed with Kim.",
    )
    m = find_mentions(corpus)
    kim = m[m["actor"] == "kim_jong_un"]
    assert list(zip(kim["paragraph"], kim["alias"])) == [(1, "Kim Jong-un"), (2, "Kim"), (2, "Kim")]
    assert "north_korea" not in set(m["actor"])  # "North Korean leader" is Kim's title, not a mention of the state


def test_roles_metonyms_possessives_and_case(tmp_path):
    corpus = corpus_of(
        tmp_path,
        "The Ukrainian president spoke to us. Ukraine’s leader thanked the US, and the Kremlin answered from Moscow.",
        "Talks were held in Moscow and at the White House, the Washington Post wrote.",
    )
    m = find_mentions(corpus)
    first = m[m["paragraph"] == 0]
    assert list(first["actor"]) == ["zelenskyy", "zelenskyy", "united_states", "russia", "russia"]
    assert list(first["alias_kind"]) == ["role", "role", "name", "metonym", "metonym"]
    assert m[m["paragraph"] == 1].empty  # places and a newspaper are not actors


def test_roles_follow_the_calendar(tmp_path):
    text = "The US president spoke."
    assert find_mentions(corpus_of(tmp_path / "a", text, date="2023-05-01"))["actor"].tolist() == ["biden"]
    assert find_mentions(corpus_of(tmp_path / "b", text, date="2025-05-01"))["actor"].tolist() == ["trump"]


def test_adjectives_are_opt_in(tmp_path):
    corpus = corpus_of(tmp_path, "Russian forces advanced on Kyiv’s outskirts.")
    assert find_mentions(corpus)["actor"].tolist() == ["ukraine"]
    with_adj = find_mentions(corpus, adjectives=True)
    assert with_adj["actor"].tolist() == ["russia", "ukraine"]
    assert with_adj["alias_kind"].tolist() == ["adjective", "metonym"]


def test_in_quote_marks_quoted_words(tmp_path):
    corpus = corpus_of(tmp_path, "Volodymyr Zelenskyy spoke. “Russia will lose,” Zelenskyy said of Russia.")
    m = find_mentions(corpus)
    russia = m[m["actor"] == "russia"]
    assert russia["in_quote"].tolist() == [True, False]


def test_helpers_count_roll_up_and_kwic(seeds, seed_mentions):
    counts = count_mentions(seed_mentions)
    assert counts["total"].sum() == len(seed_mentions)
    rolled = roll_up(seed_mentions)
    assert set(rolled.loc[rolled["actor"] == "putin", "group"]) == {"russia"}
    lines = kwic(seed_mentions, seeds.sentences, "putin", width=30)
    assert len(lines) == (seed_mentions["actor"] == "putin").sum()
    assert lines["alias"].str.contains("Putin").all()


def test_fast_matcher_finds_what_the_plain_pattern_finds(seeds):
    # The matcher's regex is rewritten for speed; it must match exactly where
    # "(?<!\w)(?:form|...)(?!\w)" over the same forms, longest first, does.
    import re

    from analysis.measure.actors import (
        NOT_ACTORS,
        _form_pattern,
        actors_and_matcher,
        alias_table,
    )

    registry, matcher = actors_and_matcher()
    forms = sorted(set(alias_table(registry)["alias"]) | set(NOT_ACTORS), key=len, reverse=True)
    plain = re.compile(r"(?<!\w)(?:{})(?!\w)".format("|".join(_form_pattern(f) for f in forms)))
    texts = seeds.sentences["text"].tolist() + [
        "xPutin Putin's PRESIDENT president-elect ſenate KREMLIN Kremlin’s the Ukrainian President.",
        "U.S. US us North  Korea KCNA-run ukrainian president Washington Post Kim Jong‑un",
    ]
    for text in texts:
        assert [m.span() for m in matcher.regex.finditer(text)] == [m.span() for m in plain.finditer(text)], text


def test_edited_registry_is_not_served_from_cache(tmp_path):
    corpus = corpus_of(tmp_path, "Atlantis condemned Lemuria on Monday.")
    mine = pd.DataFrame({"id": ["atl", "lem"], "name": ["Atlantis", "Lemuria"], "kind": ["state", "state"],
                         "aliases": ["Atlantis", "Mu"]})
    assert list(find_mentions(corpus, mine)["actor"]) == ["atl"]
    mine.loc[1, "aliases"] = "Lemuria|Mu"
    assert list(find_mentions(corpus, mine)["actor"]) == ["atl", "lem"]
    path = tmp_path / "registry.csv"
    mine.to_csv(path, index=False)
    assert list(find_mentions(corpus, path)["actor"]) == ["atl", "lem"]
    mine.loc[1, "aliases"] = "Mu"
    mine.to_csv(path, index=False)
    assert list(find_mentions(corpus, path)["actor"]) == ["atl"]


def test_an_article_without_actors_keeps_the_column_types(tmp_path):
    empty = find_mentions(corpus_of(tmp_path, "The weather was fine on Monday."))
    assert empty.empty and list(empty.columns) == list(find_mentions(corpus_of(tmp_path / "b", "Russia spoke.")).columns)
    assert empty[["start", "end", "paragraph", "sentence"]].dtypes.eq("int64").all()
    assert empty["in_quote"].dtype == bool and empty["name"].dtype == "string"


def test_an_undated_article_resolves_no_role_and_says_so(tmp_path):
    from analysis.measure.actors import undated_roles

    text = "The US president spoke. Vladimir Putin listened."
    corpus = corpus_of(tmp_path / "a", text, date="")
    assert find_mentions(corpus)["actor"].tolist() == ["putin"]  # not today's office holder
    report = undated_roles(corpus)
    assert report[["n_roles", "example"]].values.tolist() == [[1, "US president"]]
    dated = corpus_of(tmp_path / "b", text, date="2023-05-01")
    assert undated_roles(dated).empty
    # A role followed by a name is that name's title: nothing is left unresolved.
    titled = corpus_of(tmp_path / "c", "US president Joe Biden met Vladimir Putin.", date="")
    assert undated_roles(titled).empty


def test_pick_actor_keeps_a_mentioned_actor_and_else_takes_the_most_mentioned():
    import pandas as pd

    from analysis.measure.actors import pick_actor

    mentions = pd.DataFrame({"actor": ["putin", "trump", "trump", "biden", "biden"]})
    assert pick_actor("putin", mentions) == "putin"
    assert pick_actor("russia", mentions) == "biden"  # not mentioned: the most mentioned, ties by id
    assert pick_actor(None, mentions) == "biden"
    with pytest.raises(ValueError, match="no actor"):
        pick_actor("russia", mentions.iloc[0:0])
