"""Tests for analysis/measure/tone.py: tone of each mention and its aggregates."""

import pandas as pd
import pytest
from helpers import corpus_of

from analysis.measure.actors import find_mentions
from analysis.measure.tone import (
    compare_lexicons,
    lexicon_scores,
    mention_tone,
    summarize_tone,
)

# The lexicon methods need no trained model, so these tests run without one.
METHOD = "window"


def tone_of(corpus, method=METHOD, clause_lexicons=True):
    return mention_tone(find_mentions(corpus), corpus.sentences, method=method, clause_lexicons=clause_lexicons)


def test_lexicon_scores_are_plain_floats_in_range():
    scores = lexicon_scores(["A wonderful, brave decision.", "A terrible, cruel attack.", "The meeting was on Monday."])
    assert scores.dtypes.eq("float64").all()
    assert scores["polarity"].iloc[0] > 0 > scores["polarity"].iloc[1]
    assert scores["vader"].iloc[0] > 0 > scores["vader"].iloc[1]
    assert scores["subjectivity"].between(0, 1).all()


def test_each_actor_gets_its_own_clause(tmp_path):
    corpus = corpus_of(tmp_path, "Emmanuel Macron gave a wonderful, generous speech, but Vladimir Putin launched a brutal, horrible attack.")
    t = tone_of(corpus).set_index("actor")
    assert "wonderful" in t.loc["macron", "context"] and "brutal" not in t.loc["macron", "context"]
    assert "brutal" in t.loc["putin", "context"] and "wonderful" not in t.loc["putin", "context"]
    assert t.loc["macron", "context_vader"] > 0 > t.loc["putin", "context_vader"]
    assert t.loc["macron", "sentence_vader"] == t.loc["putin", "sentence_vader"]  # the sentence cannot tell them apart
    assert t.loc["macron", "target_score"] > t.loc["putin", "target_score"]


def test_voice_separates_quoted_speech(tmp_path):
    corpus = corpus_of(tmp_path, "Emmanuel Macron spoke. “Russia is a terrible aggressor,” Macron said of Russia.")
    t = tone_of(corpus)
    assert t.loc[t["actor"] == "russia", "voice"].tolist() == ["quoted", "outlet"]
    summary = summarize_tone(t, by=("name", "outlet"), min_n=2)
    assert set(summary.loc[summary["name"] == "Russia", "voice"]) == {"quoted", "outlet"}


def test_seed_summary_flags_small_cells(seeds):
    t = tone_of(seeds)
    summary = summarize_tone(t, by=("name", "outlet"), measures=("target_score", "sentence_vader"), min_n=5)
    assert {"voice", "measure", "method", "n", "mean", "ci_low", "ci_high", "small_n"} <= set(summary.columns)
    assert (summary["small_n"] == (summary["n"] < 5)).all()
    assert (summary["ci_low"] <= summary["mean"] + 1e-9).all() and (summary["mean"] <= summary["ci_high"] + 1e-9).all()
    assert set(summary["method"]) == {METHOD, "vader"}
    by_article = summarize_tone(t, by=("name", "article_id"))
    assert by_article["n"].sum() == len(t)


def test_compare_lexicons_finds_disagreements(seeds):
    table = compare_lexicons(tone_of(seeds))
    assert table["text"].is_unique or table["article_id"].nunique() > 1
    assert (~table["agree"]).any() and table["agree"].any()


def test_compare_lexicons_labels_scores_by_the_band_and_sorts_by_gap():
    """Known scores in, known labels out: TextBlob and VADER above, inside and below the 0.05 band."""
    rows = [  # (sentence, TextBlob polarity, VADER compound)
        ("s1", 0.50, -0.60),   # positive vs negative: the largest gap
        ("s2", 0.04, 0.30),    # neutral (inside the band) vs positive
        ("s3", -0.20, -0.10),  # both negative: they agree
        ("s4", 0.00, 0.05),    # both neutral: 0.05 is not above the band
    ]
    tone = pd.DataFrame(rows, columns=["sentence_text", "sentence_polarity", "sentence_vader"]).assign(
        article_id="a", outlet="X", name=pd.array(["Putin"] * 4, dtype="string"))
    table = compare_lexicons(tone).set_index("text")
    assert table["textblob_label"].to_dict() == {"s1": "positive", "s2": "neutral", "s3": "negative", "s4": "neutral"}
    assert table["vader_label"].to_dict() == {"s1": "negative", "s2": "positive", "s3": "negative", "s4": "neutral"}
    assert table["agree"].to_dict() == {"s1": False, "s2": False, "s3": True, "s4": True}
    assert list(table.index) == ["s1", "s2", "s3", "s4"]  # |gap| 1.10, 0.26, 0.10, 0.05


def test_compare_lexicons_lists_each_sentences_actors_once_in_order():
    rows = [  # (article, sentence, actor): Putin twice in s1, the same s1 text again in article b
        ("a", "s1", "Putin"), ("a", "s1", "Zelenskyy"), ("a", "s1", "Putin"), ("a", "s2", "Kim"),
        ("b", "s1", "Zelenskyy"), ("a", "s3", "Trump"), ("a", "s3", "Kim"),
    ]
    tone = pd.DataFrame(rows, columns=["article_id", "sentence_text", "name"]).assign(
        name=lambda t: t["name"].astype("string"), outlet="X", sentence_polarity=0.5, sentence_vader=-0.5)
    table = compare_lexicons(tone).set_index(["article_id", "text"])["actors"]
    assert table.to_dict() == {("a", "s1"): "Putin; Zelenskyy", ("a", "s2"): "Kim", ("b", "s1"): "Zelenskyy",
                               ("a", "s3"): "Trump; Kim"}
    assert table.dtype == "string"
    # A mention whose sentence is unknown (no text) is in no row, as before.
    unknown = pd.concat([tone, tone.head(1).assign(sentence_text=None, name="Kim")], ignore_index=True)
    assert compare_lexicons(unknown).set_index(["article_id", "text"])["actors"].to_dict() == table.to_dict()


def test_clause_lexicon_scores_are_opt_in_and_change_nothing_else(seeds):
    full, lean = tone_of(seeds), tone_of(seeds, clause_lexicons=False)
    clause_cols = ["context_polarity", "context_subjectivity", "context_vader"]
    assert not set(clause_cols) & set(lean.columns)
    pd.testing.assert_frame_equal(full.drop(columns=clause_cols), lean)
    with pytest.raises(ValueError, match="clause_lexicons=True"):
        compare_lexicons(lean, scope="context")


def test_inputs_are_not_mutated(seeds):
    mentions = find_mentions(seeds)
    before = mentions.copy()
    mention_tone(mentions, seeds.sentences, method=METHOD)
    pd.testing.assert_frame_equal(mentions, before)


@pytest.mark.skipif(not __import__("analysis.models.targets", fromlist=["MODEL_PATH"]).MODEL_PATH.exists(),
                    reason="target model file not built yet")
def test_model_method_gives_probabilities(seeds):
    t = tone_of(seeds, method="model")
    assert t["target_method"].eq("model").all()
    assert ((t[["p_neg", "p_neu", "p_pos"]].sum(axis=1) - 1).abs() < 1e-6).all()
    assert t["target_score"].between(-1, 1).all()


@pytest.mark.skipif(not __import__("analysis.models.targets", fromlist=["MODEL_PATH"]).MODEL_PATH.exists(),
                    reason="target model file not built yet")
def test_a_repeated_sentence_scores_as_it_does_alone(tmp_path):
    # Distinct texts and targets are scored once and shared: the rows of a
    # repeated sentence must equal those of the sentence scored on its own.
    text = "Emmanuel Macron praised Ukraine, but Vladimir Putin attacked it."
    once = tone_of(corpus_of(tmp_path / "once", text), method="model")
    twice = tone_of(corpus_of(tmp_path / "twice", text, text), method="model")
    cols = ["actor", "context", "sentence_vader", "context_polarity", "target_score", "p_pos"]
    assert len(twice) == 2 * len(once)
    for paragraph, rows in twice.groupby("paragraph"):
        pd.testing.assert_frame_equal(rows[cols].reset_index(drop=True), once[cols].reset_index(drop=True))


def test_no_mentions_gives_an_empty_table_with_every_column(seeds):
    empty = mention_tone(find_mentions(seeds).iloc[0:0], seeds.sentences, method=METHOD)
    assert empty.empty and {"context", "target_score", "voice", "p_pos"} <= set(empty.columns)


def test_the_textblob_scorer_loads_without_nltk_and_scores_as_textblob_does():
    import subprocess
    import sys

    code = """
import sys
from analysis.models import lexicons
score = lexicons.pattern_analyzer()
assert "nltk" not in sys.modules and "textblob" not in sys.modules, "NLTK was imported"
texts = ["A wonderful, brave decision.", "This is not good at all!", "Terribly sad news.", ""]
ours = [tuple(score(t)) for t in texts]
from textblob import TextBlob  # the ordinary package still imports, and agrees
from textblob.en.sentiments import PatternAnalyzer
assert ours == [tuple(PatternAnalyzer().analyze(t))[:2] for t in texts], ours
assert TextBlob("A wonderful day.").sentiment.polarity == 1.0
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr
