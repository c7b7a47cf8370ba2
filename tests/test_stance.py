"""Tests for analysis/measure/stance.py: holder -> target edges from cue verbs."""

from helpers import corpus_of

from analysis.measure.actors import find_mentions
from analysis.measure.stance import cue_table, find_stance, summarize_stance


def edges_of(tmp_path, *paragraphs, cues=None):
    corpus = corpus_of(tmp_path, *paragraphs)
    return find_stance(corpus, find_mentions(corpus), cues=cues)


def test_support_and_opposition(tmp_path):
    e = edges_of(tmp_path, "Emmanuel Macron praised Ukraine. NATO condemned Russia on Friday.")
    assert list(zip(e["holder"], e["target"], e["stance"])) == [("macron", "ukraine", 1), ("nato", "russia", -1)]


def test_negation_neutralises(tmp_path):
    e = edges_of(tmp_path, "Hungary did not reject the EU plan.", "China never criticized Russia.")
    assert e["stance"].tolist() == [0, 0]
    assert e["negated"].all()


def test_passive_turns_round(tmp_path):
    e = edges_of(tmp_path, "Ukraine was criticized by Hungary.")
    assert list(zip(e["holder"], e["target"], e["stance"])) == [("hungary", "ukraine", -1)]


def test_warning_about_an_event_is_not_addressed_to_the_subject(tmp_path):
    assert edges_of(tmp_path, "Volodymyr Zelenskyy warned Russia was planning new assaults.").empty


def test_cues_are_extensible(tmp_path):
    assert edges_of(tmp_path, "Japan snubbed China.").empty
    e = edges_of(tmp_path, "Japan snubbed China.", cues={"snub": -1})
    assert e["stance"].tolist() == [-1]
    assert cue_table({"snub": -1}).set_index("cue").loc["snub", "stance"] == -1


def test_seed_edges(seeds):
    e = find_stance(seeds, find_mentions(seeds))
    pairs = set(zip(e["holder"], e["target"], e["stance"]))
    assert ("guterres", "russia", -1) in pairs
    assert ("putin", "north_korea", 1) in pairs
    summary = summarize_stance(e)
    assert summary["n"].sum() == len(e)
    assert summary["mean"].between(-1, 1).all()


def test_cue_search_finds_what_the_full_regex_finds(seeds):
    # find_stance tries the cue regex only at words that can start a cue; that
    # must give exactly the matches of running it everywhere.
    from analysis.measure.stance import _cue_matches, _cue_regex

    regex, _, first_words = _cue_regex(cue_table())
    assert first_words is not None
    texts = seeds.sentences["text"].tolist() + [
        ("Kyiv was CRITICISED by Budapest; anti-praise, re-warned, Warned, ſupports, "
         "expressed his deep appreciation for Seoul and stood by Tokyo."),
    ]
    for text in texts:
        fast = [(m.span(), m.lastgroup) for m in _cue_matches(regex, first_words, text)]
        assert fast == [(m.span(), m.lastgroup) for m in regex.finditer(text)], text


def test_hyphenated_cues_fall_back_to_the_full_regex(tmp_path):
    e = edges_of(tmp_path, "Japan co-signed China's plan.", cues={"co-sign": 1})
    assert list(zip(e["holder"], e["target"], e["stance"])) == [("japan", "china", 1)]
