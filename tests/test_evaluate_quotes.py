"""Tests for analysis/run/evaluate_quotes.py and ``evaluate-quotes``: matching, scoring, the command."""

import json

from analysis.run import evaluate_quotes as ev
from analysis.run.cli import main

TEXT = ("The city council voted to close the library on Tuesday.\n\n"
        "“This is a sad day for our children,” said Mayor Ana Ruiz.\n\n"
        "Critics called the plan a “disgrace.”\n\n"
        "“We had no choice,” the treasurer said. “The money is gone.”")


def _gold(text, content, source, direct=True):
    start = text.index(content)
    return {"content": content, "content_start": start, "content_end": start + len(content), "direct": direct,
            "source": source, "source_start": None, "source_end": None, "cue": "said", "cue_start": None,
            "cue_end": None}


def _doc(doc_id="test:council"):
    return {"id": doc_id, "source": "test", "outlet": "Test", "date": "2025-03-04", "title": "Library to close",
            "text": TEXT, "attributions": [
                _gold(TEXT, "“This is a sad day for our children,”", "Mayor Ana Ruiz"),
                _gold(TEXT, "“We had no choice,”", "the treasurer"),
                _gold(TEXT, "“The money is gone.”", "the treasurer")]}


def test_a_found_quote_matches_when_it_covers_half_the_gold_and_only_once():
    gold = [{"content_start": 10, "content_end": 30}]
    assert ev.match([{"start": 20, "end": 40}], gold) == [(0, 0)]  # 10 of 20 characters: half
    assert ev.match([{"start": 21, "end": 40}], gold) == []  # 9 of 20: less
    two = [{"start": 12, "end": 30}, {"start": 10, "end": 30}]
    assert ev.match(two, gold) == [(1, 0)]  # one to one: the larger overlap wins


def test_the_package_finds_the_quotes_and_skips_the_scare_quote():
    docs = [_doc()]
    figures = ev.score(docs, ev.package_quotes(docs))
    assert (figures["n"], figures["n_found"], figures["n_matched"]) == (3, 3, 3)
    assert figures["F1"] == 1.0 and figures["speaker_accuracy"] == 1.0


def test_the_baseline_counts_the_scare_quote_and_names_the_nearest_capitalised_word():
    docs = [_doc()]
    found = ev.baseline_quotes(docs, min_words=1)
    assert len(found["test:council"]) == 4
    figures = ev.score(docs, found)
    assert figures["precision"] == 0.75
    assert figures["speaker_accuracy"] < 1.0  # "the treasurer" is not a capitalised name


def test_a_wrong_speaker_is_counted_against_the_last_token_of_the_gold_source():
    docs = [_doc()]
    found = ev.package_quotes(docs)
    found["test:council"][0]["speaker_text"] = "Ruiz's deputy"
    figures = ev.score(docs, found)
    assert figures["n_speaker_right"] == 2
    assert ev.errors(docs, found)["wrong speaker, gold name or description, other speaker"] == 1


def test_an_appositive_in_the_gold_source_counts_only_in_the_head_figure():
    doc = _doc()
    doc["attributions"][0]["source"] = "Mayor Ana Ruiz, who has led the city since 2019"
    figures = ev.score([doc], ev.package_quotes([doc]))
    assert figures["n_speaker_right"] == 2
    assert figures["speaker_accuracy_head"] == 1.0


def test_evaluate_quotes_prints_the_figures_on_its_last_line(tmp_path, capsys):
    path = tmp_path / "quotes.jsonl"
    path.write_text(json.dumps(_doc()) + "\n", encoding="utf-8")
    assert main(["evaluate-quotes", str(path)]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == "F1=1.000 precision=1.000 recall=1.000 speaker_accuracy=1.000 n=3"
    assert main(["evaluate-quotes", str(path), "--method", "baseline", "--kind", "indirect"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].endswith(" n=0")


def test_evaluate_quotes_exits_2_on_a_malformed_line_or_an_empty_split(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(_doc()) + "\n" + '{"id": "x", "text": "no attributions"}\n', encoding="utf-8")
    assert main(["evaluate-quotes", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "line 2" in err and "Traceback" not in err
    one = tmp_path / "one.jsonl"
    one.write_text(json.dumps(_doc()) + "\n", encoding="utf-8")
    split = ev.split_key("test:council")
    other = "tune" if split == "holdout" else "holdout"
    assert main(["evaluate-quotes", str(one), "--split", other]) == 2
    assert "no documents" in capsys.readouterr().err
