"""Tests for analysis/run/evaluate_stance.py and the evaluate-stance command: triplets against gold ones."""

import json

import pytest

from analysis.run import evaluate_stance as es
from analysis.run.cli import main

ARTICLE = {
    "id": "test:STORY_001_DOCUMENT_0", "source": "test", "outlet": "Test Outlet", "bias_label": 2,
    "date": "2019-10-23", "title": "Senators clash over the impeachment probe",
    "sentences": [
        {"id": "0", "text": "Mitch McConnell condemned Nancy Pelosi on Tuesday."},
        {"id": "1", "text": "Nancy Pelosi arrived at the Capitol in the morning."},
        {"id": "2", "text": "She said the impeachment probe was a sad but necessary step."},
        {"id": "3", "text": "“Mitch McConnell is a disgrace to the Senate,” Chuck Schumer said."},
    ],
    "entities": [
        {"name": "Mitch McConnell", "kind": "person", "aliases": []},
        {"name": "Nancy Pelosi", "kind": "person", "aliases": []},
        {"name": "Chuck Schumer", "kind": "person", "aliases": []},
        {"name": "impeachment probe", "kind": "other", "aliases": []},
    ],
    "stances": [
        {"sentence": "0", "holder": "Mitch McConnell", "target": "Nancy Pelosi", "polarity": "negative"},
        {"sentence": "2", "holder": "Nancy Pelosi", "target": "impeachment probe", "polarity": "positive"},
        {"sentence": "3", "holder": "Chuck Schumer", "target": "Mitch McConnell", "polarity": "negative"},
    ],
}


def task(tmp_path, *items, name="stance.jsonl"):
    path = tmp_path / name
    path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    return path


def test_metrics_count_exact_triplets_and_pairs():
    gold = {("a", "0", "X", "Y", -1), ("a", "1", "X", "Z", 1)}
    found = {("a", "0", "X", "Y", -1), ("a", "1", "X", "Z", -1), ("a", "2", "Y", "X", 1)}
    m = es.stance_metrics(found, gold)
    assert m["precision"] == pytest.approx(1 / 3) and m["recall"] == pytest.approx(1 / 2)
    assert m["pair_precision"] == pytest.approx(2 / 3) and m["pair_recall"] == 1.0
    assert m["n"] == 2 and m["found"] == 3


def test_package_finds_subject_pronoun_and_quoted_speaker(tmp_path):
    items = es.read_stance_task(task(tmp_path, ARTICLE))
    found = es.predict(es.load_items(items), "package", tone_method="vader")
    pairs = {x[1:4] for x in found}
    assert ("0", "Mitch McConnell", "Nancy Pelosi") in pairs  # the subject, and a cue verb
    assert ("2", "Nancy Pelosi", "impeachment probe") in pairs  # "She" is the last person named
    assert ("3", "Chuck Schumer", "Mitch McConnell") in pairs  # the speaker toward the actor in the quote
    assert ("test:STORY_001_DOCUMENT_0", "0", "Mitch McConnell", "Nancy Pelosi", -1) in found


def test_baseline_is_first_named_to_second_named(tmp_path):
    items = es.read_stance_task(task(tmp_path, ARTICLE))
    found = es.predict(es.load_items(items), "baseline")
    assert {x[1:4] for x in found} == {("0", "Mitch McConnell", "Nancy Pelosi"),
                                        ("3", "Mitch McConnell", "Chuck Schumer")}


def test_topic_is_found_by_its_head_noun_when_no_other_entity_shares_it(tmp_path):
    article = dict(ARTICLE, sentences=[{"id": "0", "text": "Nancy Pelosi defended the probe on Sunday."}], stances=[])
    loaded = es.load_items(es.read_stance_task(task(tmp_path, article)))
    assert set(loaded.mentions["name"]) == {"Nancy Pelosi", "impeachment probe"}


def test_split_keeps_a_story_on_one_side(tmp_path):
    other = dict(ARTICLE, id="test:STORY_001_DOCUMENT_2")
    path = task(tmp_path, ARTICLE, other)
    sides = {s: len(es.read_stance_task(path, s)) for s in ("tune", "holdout")}
    assert sorted(sides.values()) == [0, 2]


def test_a_malformed_line_is_named(tmp_path):
    bad = dict(ARTICLE, stances=[{"sentence": "0", "holder": "Mitch McConnell", "target": "Nancy Pelosi",
                                  "polarity": "neutral"}])
    with pytest.raises(ValueError, match="line 2: polarity 'neutral'"):
        es.read_stance_task(task(tmp_path, ARTICLE, bad))


def test_command_prints_the_figures_last(tmp_path, capsys):
    path = task(tmp_path, ARTICLE)
    assert main(["evaluate-stance", str(path), "--method", "package", "--tone-method", "vader"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("F1=") and last.endswith(" n=3")
    assert [kv.split("=")[0] for kv in last.split()] == ["F1", "precision", "recall", "pair_F1", "n"]


def test_command_refuses_a_missing_file_and_an_empty_split(tmp_path, capsys):
    assert main(["evaluate-stance", str(tmp_path / "missing.jsonl"), "--method", "cues"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ")
    path = task(tmp_path, ARTICLE)
    empty = next(s for s in ("tune", "holdout") if not es.read_stance_task(path, s))
    assert main(["evaluate-stance", str(path), "--method", "baseline", "--split", empty]) == 2
    assert "no articles" in capsys.readouterr().err
