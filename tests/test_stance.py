"""Tests for analysis/measure/stance.py: holder -> target edges from cue verbs and clause rules."""

import pytest
from helpers import corpus_of

from analysis.measure.actors import find_mentions
from analysis.measure.quotes import find_quotes
from analysis.measure.stance import cue_table, find_stance, summarize_stance
from analysis.measure.tone import mention_tone


def edges_of(tmp_path, *paragraphs, cues=None, rules="clause"):
    corpus = corpus_of(tmp_path, *paragraphs)
    return find_stance(corpus, find_mentions(corpus), cues=cues, rules=rules)


def clause_edges(tmp_path, *paragraphs, method="vader"):
    """Edges of the default rules with the pipeline's inputs: quotes and target-aware tone."""
    corpus = corpus_of(tmp_path, *paragraphs)
    mentions = find_mentions(corpus)
    tone = mention_tone(mentions, corpus.sentences, method=method)
    return find_stance(corpus, mentions, tone=tone, quotes=find_quotes(corpus, mentions=mentions))


def triples(edges):
    return sorted(zip(edges["holder"], edges["target"], edges["stance"], edges["rule"]))


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
    assert edges_of(tmp_path, "Volodymyr Zelenskyy warned Russia was planning new assaults.", rules="cues").empty


def test_cues_are_extensible(tmp_path):
    assert edges_of(tmp_path, "Japan snubbed China.", rules="cues").empty
    e = edges_of(tmp_path, "Japan snubbed China.", cues={"snub": -1})
    assert e["stance"].tolist() == [-1]
    assert cue_table({"snub": -1}).set_index("cue").loc["snub", "stance"] == -1


def test_seed_edges(seeds):
    e = find_stance(seeds, find_mentions(seeds), rules="cues")
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


def test_subject_holds_a_stance_toward_everyone_the_sentence_names(tmp_path):
    # No cue verb: the clause's subject is the holder, the sign comes from the tone toward each target.
    e = clause_edges(tmp_path, "Emmanuel Macron accused Russia of a brutal and illegal war, "
                               "and thanked Ukraine for its courage.")
    found = {t[:2]: t[2] for t in triples(e)}
    assert found[("macron", "russia")] == -1
    assert ("macron", "ukraine") in found


def test_a_sentence_naming_one_actor_gives_no_edge(tmp_path):
    assert clause_edges(tmp_path, "Russia launched a new offensive near Kharkiv on Tuesday.").empty


def test_holder_after_a_preposition_is_not_the_subject(tmp_path):
    # "According to NATO" does not make NATO the subject of the clause.
    e = clause_edges(tmp_path, "In a speech about Russia, officials described the attacks as appalling.")
    assert e.empty


def test_passive_subject_is_the_target_only(tmp_path):
    e = clause_edges(tmp_path, "Ukraine was sharply criticized by Hungary over the pipeline.")
    assert [(h, t) for h, t, *_ in triples(e)] == [("hungary", "ukraine")]


def test_pronoun_holder_is_the_last_person_named(tmp_path):
    e = clause_edges(tmp_path, "Emmanuel Macron arrived in Brussels on Monday. "
                               "He accused Russia of bombing hospitals in Kharkiv.")
    second = e[e["sentence"] == 1]
    assert list(zip(second["holder"], second["target"], second["rule"])) == [("macron", "russia", "pronoun")]


def test_role_noun_stands_for_the_person_given_that_title(tmp_path):
    e = clause_edges(tmp_path, "President Emmanuel Macron met NATO leaders on Monday. "
                               "NATO officials praised the president for his firm support.")
    second = e[e["sentence"] == 1]
    assert list(zip(second["holder"], second["target"])) == [("nato", "macron")]


def test_quoted_speaker_holds_a_stance_toward_actors_named_in_the_quote(tmp_path):
    e = clause_edges(tmp_path, "“Russia is lying to the world and must be stopped,” António Guterres said.")
    assert [(h, t, s, r) for h, t, s, r in triples(e)] == [("guterres", "russia", -1, "quote")]
    assert e["in_quote"].all()


def test_cue_verb_gives_the_sign_over_the_tone(tmp_path):
    # Praise is support whatever the tone of the words around it.
    e = clause_edges(tmp_path, "NATO praised Ukraine despite the devastating losses.")
    assert triples(e) == [("nato", "ukraine", 1, "cue")]


def test_without_tone_the_sentence_lexicon_gives_the_sign(tmp_path):
    corpus = corpus_of(tmp_path, "Emmanuel Macron said Russia had committed horrible war crimes.")
    e = find_stance(corpus, find_mentions(corpus))
    assert list(zip(e["holder"], e["target"], e["stance"])) == [("macron", "russia", -1)]


def test_unknown_rules_are_refused(tmp_path):
    corpus = corpus_of(tmp_path, "NATO praised Ukraine.")
    with pytest.raises(ValueError, match="rules"):
        find_stance(corpus, find_mentions(corpus), rules="parser")
