"""Tests for analysis/count/frames.py: the frame dictionary, hits per paragraph, shares with intervals."""

import pandas as pd
import pytest

from analysis.count import frames
from analysis.measure.stats import bootstrap_ci

TOY_FRAMES = pd.DataFrame({
    "frame": ["conflict", "economic"],
    "family": ["semetko_valkenburg", "media_frames_corpus"],
    "definition": ["Sides disagree.", "Money matters."],
    "cues": ["clash*|dispute", "cost*|trade|oil price"],
})


def paragraphs(texts, outlets, kinds=None):
    return pd.DataFrame({
        "article_id": [f"a{i}" for i in range(len(texts))],
        "paragraph": 0,
        "outlet": outlets,
        "text": texts,
        "kind": kinds or ["body"] * len(texts),
    })


def test_cue_regex_wildcards_phrases_and_whole_words():
    rx = frames.cue_regex("negotiat*|oil price|war")
    assert rx.findall("Negotiations on the oil\nprice; software, post-war") == ["Negotiations", "oil\nprice", "war"]
    assert frames.cue_regex("ally’s").findall("the ally's view") == ["ally's"]


def test_frame_hits_counts_cues_per_paragraph():
    p = paragraphs(
        ["Clashes and clashes over costs.", "Nothing here.", "A dispute on the oil price.", "Clash in a heading"],
        ["X", "X", "Y", "Y"],
        kinds=["body", "body", "body", "heading"],
    )
    before = p.copy()
    hits = frames.frame_hits(p, TOY_FRAMES)
    pd.testing.assert_frame_equal(p, before)
    assert len(hits) == 3 * 2  # three body paragraphs x two frames
    got = hits.set_index(["article_id", "frame"])
    assert got.loc[("a0", "conflict"), "hits"] == 2
    assert got.loc[("a0", "conflict"), "cues"] == "clashes"
    assert got.loc[("a0", "economic"), "cues"] == "costs"
    assert not got.loc[("a1", "conflict"), "present"] and got.loc[("a1", "conflict"), "cues"] == ""
    assert got.loc[("a2", "economic"), "cues"] == "oil price"
    assert got.loc[("a2", "conflict"), "family"] == "semetko_valkenburg"


def test_frame_shares_known_shares_and_bootstrap_interval():
    texts = ["clash"] * 3 + ["calm"] * 1 + ["trade"] * 2
    p = paragraphs(texts, ["X"] * 4 + ["Y"] * 2)
    shares = frames.frame_shares(frames.frame_hits(p, TOY_FRAMES), by="outlet", min_n=3)
    got = shares.set_index(["outlet", "frame"])
    assert got.loc[("X", "conflict"), ["n", "k"]].tolist() == [4, 3]
    assert got.loc[("X", "conflict"), "share"] == pytest.approx(0.75)
    assert got.loc[("Y", "economic"), "share"] == 1.0
    assert got.loc[("Y", "conflict"), "share"] == 0.0
    assert tuple(got.loc[("X", "conflict"), ["ci_low", "ci_high"]]) == pytest.approx(bootstrap_ci([1, 1, 1, 0]))
    assert bool(got.loc[("Y", "economic"), "small_n"]) and not bool(got.loc[("X", "economic"), "small_n"])
    assert ((shares["ci_low"] <= shares["share"]) & (shares["share"] <= shares["ci_high"])).all()


def test_frame_shares_per_actor_context_with_parents():
    p = pd.DataFrame({
        "article_id": ["a", "a", "b"], "paragraph": [0, 1, 0], "outlet": ["X", "X", "Y"],
        "text": ["Putin in a clash", "Trade talks", "Lavrov on costs"], "kind": "body",
    })
    mentions = pd.DataFrame({
        "article_id": ["a", "a", "b"], "paragraph": [0, 0, 0], "sentence": [0, 0, 0],
        "actor": ["putin", "putin", "lavrov"], "parent": ["russia", "russia", "russia"],
    })
    shares = frames.frame_shares(frames.frame_hits(p, TOY_FRAMES), mentions=mentions)
    got = shares.set_index(["actor", "outlet", "frame"])
    assert got.loc[("putin", "X", "conflict"), ["n", "k"]].tolist() == [1, 1]  # the mention counted once
    assert ("putin", "Y", "conflict") not in got.index
    assert got.loc[("russia", "Y", "economic"), "share"] == 1.0  # via its child lavrov
    no_parents = frames.frame_shares(frames.frame_hits(p, TOY_FRAMES), mentions=mentions, include_children=False)
    assert "russia" not in set(no_parents["actor"])
    only = frames.frame_shares(frames.frame_hits(p, TOY_FRAMES), mentions=mentions, actors=["putin"])
    assert set(only["actor"]) == {"putin"}


def test_project_dictionary_has_both_families_and_usable_rows():
    table = frames.load_frames()
    sv = set(table.loc[table["family"] == "semetko_valkenburg", "frame"])
    assert sv == {"conflict", "human_interest", "economic", "morality", "responsibility", "resolution"}
    mfc = set(table.loc[table["family"] == "media_frames_corpus", "frame"])
    assert {"security_defense", "political", "legality", "economy", "quality_of_life", "public_opinion",
            "external_regulation_reputation"} <= mfc
    assert (table["definition"].str.len() > 20).all()
    for cues in table["cues"]:
        for cue in cues.split("|"):
            assert cue == cue.lower() and "*" not in cue[:-1], cue
        frames.cue_regex(cues)  # compiles


def test_bad_dictionary_is_rejected():
    with pytest.raises(ValueError):
        frames.frame_hits(paragraphs(["x"], ["X"]), TOY_FRAMES.drop(columns="cues"))
    with pytest.raises(ValueError):
        frames.frame_hits(paragraphs(["x"], ["X"]), TOY_FRAMES.assign(cues=["", "oil"]))


def test_seed_frames_cover_every_body_paragraph(seeds):
    hits = frames.frame_hits(seeds.paragraphs)
    body = seeds.paragraphs[seeds.paragraphs["kind"] == "body"]
    assert len(hits) == len(body) * len(frames.load_frames())
    shares = frames.frame_shares(hits)
    assert set(shares["outlet"]) == set(body["outlet"])
    assert shares["share"].between(0, 1).all()
    # The Guardian's briefing reports casualties and prisoners: human interest shows there.
    guardian = shares.set_index(["outlet", "frame"]).loc[("The Guardian", "human_interest")]
    assert guardian["k"] >= 1


def test_frame_hits_match_the_cue_regex_paragraph_by_paragraph():
    table = pd.DataFrame({
        "frame": ["security", "talks", "odd"],
        "family": ["x", "x", "x"],
        "definition": ["", "", ""],
        "cues": ["security|security guarantee*|secur*|cease-fire|fire*", "talk*|peace talks|u.n.|talks", "war|post-war|’s"],
    })
    texts = [
        "Security guarantees and securing security; the cease-fire held but fire and firewalls spread.",
        "Peace talks, peace\ntalks and TALKS at the U.N. in post-war Europe; war’s end.",
        "Software and warfare; the ally’s view. Nothing else.",
        "Separator \x00 inside: security\x00guarantees, talks.",
        "",
    ]
    hits = frames.frame_hits(paragraphs(texts, ["X"] * len(texts)), table)
    for row in hits.itertuples():
        text = texts[int(row.article_id[1:])].translate(frames._APOSTROPHES).lower()
        cues = table.set_index("frame").loc[row.frame, "cues"]
        found = frames.cue_regex(cues, ignore_case=False).findall(text)
        assert row.hits == len(found)
        assert row.cues == "|".join(sorted({" ".join(m.lower().split()) for m in found}))


def body(texts, outlets=None, ids=None):
    """One body paragraph per article."""
    return pd.DataFrame({
        "article_id": ids or [f"a{i}" for i in range(len(texts))],
        "paragraph": 0,
        "outlet": outlets or ["X"] * len(texts),
        "text": texts,
        "kind": "body",
    })


FILLER = " The minister spoke to reporters on Tuesday after the meeting in the capital."  # 13 words, no cue


def test_article_frames_dictionary_uses_hits_per_thousand_words():
    table = TOY_FRAMES.assign(per_1000_words=[15.0, 30.0])
    # a0: 2 clashes in 100 words = 20 per 1,000 (>= 15); a1: 1 clash in 200 words = 5 (< 15).
    a0 = "Clashes and a dispute." + " word" * 96
    a1 = "A clash." + " word" * 198
    found = frames.article_frames(body([a0, a1]), table)
    got = found.set_index(["article_id", "frame"])
    assert got.loc[("a0", "conflict"), "score"] == pytest.approx(20.0)
    assert bool(got.loc[("a0", "conflict"), "present"]) and not bool(got.loc[("a1", "conflict"), "present"])
    assert got.loc[("a1", "conflict"), "score"] == pytest.approx(5.0)
    assert not got["present"].loc[(slice(None), "economic"),].any()
    assert set(found["method"]) == {"dictionary"} and found["threshold"].tolist() == [15.0, 30.0, 15.0, 30.0]
    assert found["n_words"].tolist() == [100, 100, 200, 200]


def test_article_frames_join_an_articles_paragraphs_and_skip_headings():
    p = pd.DataFrame({
        "article_id": ["a", "a", "a"], "paragraph": [0, 1, 2], "outlet": "X",
        "text": ["Clash over trade.", "Costs rise.", "Clash clash clash"], "kind": ["body", "body", "heading"],
    })
    got = frames.article_frames(p, TOY_FRAMES).set_index("frame")
    assert got.loc["conflict", "n_words"] == 5
    assert got.loc["economic", "score"] == pytest.approx(2 / 5 * 1000)  # "trade" and "costs"
    assert got.loc["conflict", "score"] == pytest.approx(1 / 5 * 1000)  # the heading is not body text
    assert got["present"].all()  # no threshold column: any hit


def test_bad_article_threshold_is_rejected():
    with pytest.raises(ValueError, match="per_1000_words"):
        frames.article_frames(body(["x"]), TOY_FRAMES.assign(per_1000_words=["many", ""]))


def test_shipped_dictionary_decides_the_five_generic_frames_without_over_firing():
    table = frames.load_frames()
    rules = table.set_index("frame")["per_1000_words"]
    assert rules[list(frames.GENERIC_FRAMES)].notna().all()
    economic = ("The plan will cost taxpayers $2 billion a year, and economists warn that jobs and wages in the "
                "coal industry will fall as prices for electricity rise and investment moves to other markets.")
    passing = "Protesters blocked the road as the council met." + FILLER * 6 + " The vote cost him dearly."
    got = frames.article_frames(body([economic, passing], ids=["econ", "pass"])).set_index(["article_id", "frame"])
    assert bool(got.loc[("econ", "economic"), "present"])
    assert not bool(got.loc[("pass", "economic"), "present"])  # one money word in 90 is not an economic frame
    assert not bool(got.loc[("pass", "human_interest"), "present"])


def test_classifier_scores_realistic_articles():
    texts = [
        ("Farmers in the valley told of losing their homes and their children's school to the flood. "
         "\"We have nothing left,\" said Maria, a mother of three, in tears beside her family's ruined house."),
        ("The new carbon tax will cost the economy billions of dollars, economists said, as energy prices "
         "rise for businesses and consumers and thousands of jobs in the industry are at risk."),
    ]
    found = frames.article_frames(body(texts, ids=["flood", "tax"]), method="classifier")
    assert list(found["frame"][:5]) == list(frames.GENERIC_FRAMES)
    got = found.set_index(["article_id", "frame"])["score"]
    assert got[("tax", "economic")] > got[("flood", "economic")]
    assert got[("flood", "human_interest")] > got[("tax", "human_interest")]
    assert found["score"].between(0, 1).all()


def test_article_frame_shares_count_articles_with_wilson_intervals():
    # Outlet X: 2 of 10 articles show conflict; Y: 1 article, small.
    texts = ["A clash."] * 2 + ["Calm."] * 8 + ["A clash."]
    shares = frames.article_frame_shares(frames.article_frames(body(texts, ["X"] * 10 + ["Y"]), TOY_FRAMES), min_n=5)
    got = shares.set_index(["outlet", "frame"])
    x = got.loc[("X", "conflict")]
    assert (x["n_articles"], x["k"], x["share"]) == (10, 2, pytest.approx(0.2))
    assert (x["ci_low"], x["ci_high"]) == (pytest.approx(0.0567, abs=1e-4), pytest.approx(0.5098, abs=1e-4))
    assert got.loc[("X", "economic"), "ci_low"] == 0.0 and got.loc[("X", "economic"), "ci_high"] == pytest.approx(0.2775, abs=1e-4)
    assert bool(got.loc[("Y", "conflict"), "small_n"]) and not bool(x["small_n"])
    assert list(shares["outlet"]) == ["X", "X", "Y", "Y"]


def test_article_frame_shares_count_a_long_article_once():
    p = pd.DataFrame({"article_id": ["long"] * 5 + ["short"], "paragraph": [0, 1, 2, 3, 4, 0], "outlet": "X",
                      "text": ["A clash."] * 5 + ["Calm."], "kind": "body"})
    got = frames.article_frame_shares(frames.article_frames(p, TOY_FRAMES)).set_index("frame")
    assert got.loc["conflict", ["n_articles", "k"]].tolist() == [2, 1]
