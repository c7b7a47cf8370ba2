"""Tests for article-level tone: finding targets as a reader would, pooling, summaries, and the evaluation command."""

import json
import re

import numpy as np
import pandas as pd
import pytest
from helpers import corpus_of

from analysis.load.corpus import load_corpus, load_texts
from analysis.load.furniture import classify_paragraphs
from analysis.measure import article_tone as at
from analysis.measure.actors import (
    find_headline_mentions,
    find_mentions,
    load_actors,
    other_forms,
    person_forms,
)
from analysis.measure.stats import bootstrap_ci
from analysis.run import evaluate
from analysis.run.cli import main

PEOPLE = pd.DataFrame({
    "id": ["trump", "joe", "hunter", "ryan"],
    "name": ["Donald Trump", "Joe Biden", "Hunter Biden", "Paul Ryan"],
    "kind": ["person"] * 4,
    "aliases": ["Donald Trump", "Joe Biden", "Hunter Biden", "Paul Ryan"],
})


def mentions_in(tmp_path, *paragraphs, actors=PEOPLE):
    m = find_mentions(corpus_of(tmp_path, *paragraphs), actors)
    return list(zip(m["actor"], m["alias"]))


# --------------------------------------------------------------------------- finding the target


def test_a_title_or_mr_makes_a_bare_surname_a_mention_without_the_full_name(tmp_path):
    found = mentions_in(tmp_path, "Mr. Trump spoke on Monday.", "President Trump left. Trump said nothing.")
    assert found == [("trump", "Trump")] * 3


def test_a_given_name_with_a_middle_initial_is_the_full_name(tmp_path):
    found = mentions_in(tmp_path, "House Speaker Paul D. Ryan met donors. Ryan said little.")
    assert found == [("ryan", "Paul D. Ryan"), ("ryan", "Ryan")]


def test_a_shared_surname_goes_to_the_person_named_last(tmp_path):
    found = mentions_in(tmp_path, "Joe Biden spoke first. Biden smiled.", "Hunter Biden answered. Biden frowned.")
    assert found == [("joe", "Joe Biden"), ("joe", "Biden"), ("hunter", "Hunter Biden"), ("hunter", "Biden")]


def test_another_person_of_the_surname_needs_an_introduction_first(tmp_path):
    # Beau Biden is not in the actors table: a bare "Biden" before Joe is named could be either.
    found = mentions_in(tmp_path, "Beau Biden died. Biden mourned.", "Joe Biden spoke. Biden wept.")
    assert found == [("joe", "Joe Biden"), ("joe", "Biden")]


def test_two_actors_may_share_a_surname_but_not_a_full_name():
    assert len(load_actors(PEOPLE)) == 4
    clash = PEOPLE.assign(aliases=["Donald Trump", "Joe Biden", "Joe Biden", "Paul Ryan"])
    with pytest.raises(ValueError, match="more than one actor"):
        load_actors(clash)


def test_person_forms_add_what_a_reader_recognises():
    assert person_forms("Gregory B. Craig", ("Gregory B. Craig",), ()) == (("Gregory B. Craig", "Gregory Craig"), ("Craig",))
    assert person_forms("Kim Jong-un", ("Kim Jong-un",), ("Kim",)) == (("Kim Jong-un", "Kim Jong un"), ("Kim",))
    assert person_forms("Bitcoin", ("Bitcoin",), ()) == (("Bitcoin",), ())


def test_other_forms_and_the_gazetteer(tmp_path):
    assert "Border Patrol" in other_forms("United States Border Patrol", ("United States Border Patrol",))
    assert other_forms("voter", ("voter",)) == ("voter", "voters")
    actors = pd.DataFrame({"id": ["gop", "doj", "voter"], "name": ["Republican Party", "DOJ", "voter"],
                           "kind": ["organization", "organization", "other"],
                           "aliases": ["Republican Party", "United States Department of Justice", "voter"]})
    found = mentions_in(tmp_path, "Republicans and the GOP attacked the Justice Department. Voters shrugged.",
                        actors=actors)
    assert found == [("gop", "Republicans"), ("gop", "GOP"), ("doj", "Justice Department"), ("voter", "Voters")]


def test_lines_ending_in_a_colon_or_question_are_body_unless_title_case():
    kinds = classify_paragraphs(["Politico reports:", "A long paragraph of the body follows here, as usual.",
                                 "What Comes Next?", "Another long paragraph of the body follows here, as usual."])
    assert [k for k, _ in kinds] == ["body", "body", "heading", "body"]


def test_headline_mentions_come_from_the_title_metadata():
    corpus = load_texts([{"file": "a", "text": "The senator spoke at length on Monday.", "title": "Trump fumes"}])
    found, heads = find_headline_mentions(corpus, PEOPLE)
    assert list(found["alias"]) == ["Trump"] and list(heads["paragraph"]) == [-1]


def test_load_texts_gives_the_tables_of_files(tmp_path):
    texts = {"a.txt": "Headline here\n\nJoe Biden spoke on Monday. He left.\n\nMore text follows.",
             "b.txt": "Second article.\n\nIt has two paragraphs."}
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "articles.csv").write_text("file,outlet,date,title\na.txt,X,2024-01-02,Headline here\n"
                                           "b.txt,Y,2024-01-03,\n", encoding="utf-8")
    files = load_corpus(tmp_path)
    given = load_texts([{"file": "a.txt", "text": texts["a.txt"], "outlet": "X", "date": "2024-01-02",
                         "title": "Headline here"},
                        {"file": "b.txt", "text": texts["b.txt"], "outlet": "Y", "date": "2024-01-03"}])
    for name in ("paragraphs", "sentences"):
        pd.testing.assert_frame_equal(getattr(given, name), getattr(files, name))
    columns = ["article_id", "file", "outlet", "date", "title", "n_words", "sha256"]
    pd.testing.assert_frame_equal(given.articles[columns], files.articles[columns])


def test_load_texts_reports_an_empty_text():
    corpus = load_texts([{"file": "a", "text": "The minister said on Monday that the talks would go on."},
                         {"file": "b", "text": "  "}])
    assert list(corpus.articles["file"]) == ["a"]
    assert list(corpus.problems[["file", "problem"]].itertuples(index=False, name=None)) == [("b", "empty")]


# --------------------------------------------------------------------------- pooling


def tone_rows(rows):
    """A mention_tone-like frame from (article, actor, sentence, p_neg, p_pos, voice)."""
    df = pd.DataFrame(rows, columns=["article_id", "actor", "sentence", "p_neg", "p_pos", "voice"])
    return df.assign(paragraph=0, p_neu=1 - df["p_neg"] - df["p_pos"], target_score=df["p_pos"] - df["p_neg"],
                     name=df["actor"].str.upper(), kind="person")


def test_pooling_weights_title_lead_and_quotes_and_shrinks_toward_neutral():
    body = tone_rows([("a", "x", 0, 0.1, 0.7, "outlet"),   # lead, d = 0.6
                      ("a", "x", 5, 0.6, 0.2, "quoted"),   # body, quoted, d = -0.4
                      ("b", "x", 5, 0.8, 0.1, "outlet")])  # body, d = -0.7
    title = tone_rows([("a", "x", 0, 0.0, 0.9, "outlet")]).assign(paragraph=-1)  # d = 0.9
    sentences = pd.DataFrame({"article_id": ["a"] * 6 + ["b"] * 6, "paragraph": 0, "sentence": list(range(6)) * 2})
    articles = pd.DataFrame({"article_id": ["a", "b"], "file": ["a.txt", "b.txt"], "outlet": ["O", "P"],
                             "date": pd.to_datetime(["2024-01-01", "2024-01-02"])})
    cal = at.Calibration(w_title=2, w_lead=1.5, w_quote=0.5, lead=3, k=1, bias=0.1, low=-0.2, high=0.2,
                         temperature=10)
    out = at.aggregate_article_tone(body, title, sentences, articles, "model", cal).set_index("article_id")
    expected_a = (1.5 * 0.5 + 0.5 * -0.5 + 2 * 0.8) / (1.5 + 0.5 + 2 + 1)
    assert out.loc["a", "score"] == pytest.approx(expected_a)
    assert out.loc["b", "score"] == pytest.approx(-0.8 / 2)
    assert list(out["label"]) == ["positive", "negative"]
    assert out.loc["a", ["n_mentions", "n_title", "n_quoted"]].tolist() == [3, 1, 1]
    probabilities = out[["p_neg", "p_neu", "p_pos"]].to_numpy()
    assert np.allclose(probabilities.sum(axis=1), 1)
    assert [at.LABELS[i] for i in probabilities.argmax(axis=1)] == list(out["label"])


def test_summary_counts_articles_and_bootstraps_over_them():
    table = pd.DataFrame({"name": "X", "outlet": ["O"] * 6 + ["P"], "score": [0.1, -0.3, 0.5, 0.2, 0.0, -0.1, 0.4],
                          "label": ["neutral", "negative", "positive", "positive", "neutral", "neutral", "positive"],
                          "n_mentions": [10, 1, 1, 1, 1, 1, 7], "method": "model"})
    out = at.summarize_article_tone(table, min_n=5).set_index("outlet")
    assert out.loc["O", "n_articles"] == 6 and out.loc["O", "n_mentions"] == 15
    assert (out.loc["O", "ci_low"], out.loc["O", "ci_high"]) == pytest.approx(bootstrap_ci(table["score"][:6]))
    assert out.loc["O", "share_neutral"] == pytest.approx(0.5)
    assert out["small_n"].tolist() == [False, True]


# --------------------------------------------------------------------------- the evaluation command


ITEMS = [
    {"id": "t:s1_DOCUMENT_0:Ann Lee", "article": "s1_DOCUMENT_0", "source": "test", "outlet": "A", "date": "2020-01-01",
     "title": "Ann Lee wins praise", "text": "Ann Lee was praised as a brilliant, generous and beloved leader. "
     "Lee thanked her wonderful supporters.", "target": "Ann Lee", "aliases": [], "kind": "person",
     "label": "positive"},
    {"id": "t:s1_DOCUMENT_0:Bob Ray", "article": "s1_DOCUMENT_0", "source": "test", "outlet": "A", "date": "2020-01-01",
     "title": "Ann Lee wins praise", "text": "", "target": "Bob Ray", "aliases": [], "kind": "person",
     "label": "neutral"},
    {"id": "t:s2_DOCUMENT_1:Bob Ray", "article": "s2_DOCUMENT_1", "source": "test", "outlet": "B", "date": "2020-01-02",
     "title": "Scandal", "text": "Bob Ray was condemned as a corrupt, cruel liar. Critics said Ray disgraced "
     "his office and betrayed voters.", "target": "Bob Ray", "aliases": [], "kind": "person", "label": "negative"},
    {"id": "t:s3_DOCUMENT_0:City Council", "article": "s3_DOCUMENT_0", "source": "test", "outlet": "B",
     "date": "2020-01-03", "title": "Meeting", "text": "The City Council met on Tuesday to discuss the budget.",
     "target": "City Council", "aliases": [], "kind": "organization", "label": "neutral"},
]
ITEMS[1]["text"] = ITEMS[0]["text"]
LAST_LINE = re.compile(r"^F1m=(\d\.\d{3}) accuracy=(\d\.\d{3}) rho=(-?\d\.\d{3}|nan) coverage=(\d\.\d{3}) n=(\d+)"
                       r"(?: outlet_rho=(-?\d\.\d{3}|nan))?$")


@pytest.fixture
def task_file(tmp_path):
    path = tmp_path / "task.jsonl"
    path.write_text("".join(json.dumps(i) + "\n" for i in ITEMS), encoding="utf-8")
    return path


def last_line(capsys):
    return LAST_LINE.match(capsys.readouterr().out.strip().splitlines()[-1])


def test_always_neutral_baseline_by_hand(task_file, capsys):
    assert main(["evaluate-article-tone", str(task_file), "--method", "neutral"]) == 0
    m = last_line(capsys)
    # 2 of 4 right; F1 neutral = 2*2/(2*2+2) = 0.667, the other classes 0.
    assert m.groups()[:5] == ("0.222", "0.500", "nan", "0.000", "4")


def test_light_model_finds_the_targets_and_orders_them(task_file, capsys):
    assert main(["evaluate-article-tone", str(task_file), "--method", "model"]) == 0
    m = last_line(capsys)
    assert m.group(4) == "0.750" and m.group(5) == "4"  # Bob Ray is not in the first article
    assert float(m.group(3)) > 0.5
    predictions = evaluate.score_items(evaluate.read_task(task_file), "model").set_index("id")
    assert predictions.loc[ITEMS[0]["id"], "score"] > 0 > predictions.loc[ITEMS[2]["id"], "score"]


def test_a_bad_task_file_is_a_usage_error(tmp_path, capsys):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": 1}\n', encoding="utf-8")
    assert main(["evaluate-article-tone", str(path), "--method", "neutral"]) == 2
    assert "line 1 lacks" in capsys.readouterr().err


def test_splits_keep_a_story_together_and_are_fixed():
    stories = [{"article": f"TRIPLET_{i:03d}_DOCUMENT_{k}"} for i in range(200) for k in range(3)]
    splits = [evaluate.split_of(s) for s in stories]
    assert all(len(set(splits[i:i + 3])) == 1 for i in range(0, len(splits), 3))
    assert 0.1 < splits.count("holdout") / len(splits) < 0.3
    assert evaluate.split_of({"article": "TRIPLET_000_DOCUMENT_0"}) == splits[0]


def test_outlet_comparison_needs_five_items_per_cell():
    rows = [{"outlet": o, "target": t, "gold": g, "score": s}
            for o, t, g, s in [("A", "X", "negative", -0.5), ("B", "X", "positive", 0.4), ("C", "X", "neutral", 0.0),
                               ("D", "X", "neutral", 0.1)] for _ in range(5)]
    rows.append({"outlet": "E", "target": "X", "gold": "negative", "score": 0.9})
    cells, rho = evaluate.outlet_comparison(pd.DataFrame(rows))
    assert list(cells["outlet"]) == ["A", "B", "C", "D"] and rho == pytest.approx(0.9486833)


def test_calibration_is_chosen_on_the_items_and_round_trips(task_file, tmp_path):
    items = evaluate.read_task(task_file)
    cal, figures = evaluate.calibrate(items, "model")
    assert cal.low < 0 < cal.high and figures["n"] == 4
    path = tmp_path / "cal.json"
    evaluate.write_calibration(path, "model", cal, figures, "task.jsonl", mean_band=0.1)
    assert at.calibration_for("model", path) == cal
    assert at.calibration_for("vader", path) == at.Calibration()


def test_hand_coded_sample_against_a_corpus(seeds, tmp_path, capsys):
    first = seeds.articles["file"].iloc[0]
    coded = tmp_path / "coded.csv"
    coded.write_text(f"file,actor,label\n{first},trump,neutral\n{first},Vladimir Putin,negative\n"
                     f"{first},nobody,neutral\n", encoding="utf-8")
    assert main(["evaluate-article-tone", str(coded), "--corpus", "seeds", "--method", "model"]) == 0
    m = last_line(capsys)
    assert m.group(5) == "3" and m.group(4) == "0.667"  # trump and Putin are in the article, "nobody" is not
    coded.write_text("file,actor,label\nmissing.txt,trump,neutral\n", encoding="utf-8")
    assert main(["evaluate-article-tone", str(coded), "--corpus", "seeds", "--method", "model"]) == 2
    assert "not in the corpus" in capsys.readouterr().err


# --------------------------------------------------------------------------- what the notebooks show


def summary_rows(rows):
    return pd.DataFrame(rows, columns=["name", "outlet", "n_articles", "mean", "ci_low", "ci_high", "small_n"])


def test_a_contrast_is_stated_only_when_intervals_separate_on_enough_articles():
    from analysis.show.headlines import article_tone_contrast

    apart = summary_rows([("X", "A", 8, -0.4, -0.6, -0.2, False), ("X", "B", 9, 0.3, 0.1, 0.5, False)])
    assert article_tone_contrast(apart) == "A is harsher on X than B: -0.40 (8 articles) against +0.30 (9 articles)"
    overlap = apart.assign(ci_high=[0.15, 0.5])
    assert article_tone_contrast(overlap).startswith("No outlet's tone")
    few = apart.assign(small_n=[False, True])
    assert article_tone_contrast(few).startswith("No outlet's tone")


def test_why_shows_the_sentences_that_drove_the_score():
    tone = tone_rows([("a", "x", 0, 0.8, 0.1, "outlet"), ("a", "x", 1, 0.1, 0.2, "outlet"),
                      ("a", "x", 2, 0.5, 0.1, "outlet")]).assign(sentence_text=["bad", "meh", "worse"])
    article_tone = pd.DataFrame({"article_id": ["a"], "actor": ["x"], "name": ["X"], "outlet": ["O"],
                                 "score": [-0.3], "label": ["negative"]})
    articles = pd.DataFrame({"article_id": ["a"], "title": ["T"]})
    out = at.why(article_tone, tone, articles, "X", "O", n_sentences=2)
    assert out[["title", "label", "sentences"]].values.tolist() == [["T", "negative", "bad | worse"]]


def test_briefing_cells_are_article_level_by_default(seeds_tables):
    from analysis.show.briefing import tone_cells

    cells = tone_cells(seeds_tables, ["Donald Trump"])
    table = seeds_tables["article_tone_by_outlet"]
    n = table.loc[table["name"] == "Donald Trump", "n_articles"]
    assert all(f"n={k}" in c for k, c in zip(n, cells.loc["Donald Trump", sorted(table.loc[n.index, "outlet"])]))


def test_rechosen_pooling_numbers_are_not_served_from_the_cache(tmp_path, monkeypatch):
    import shutil

    from analysis.run import pipeline
    from analysis.run.cache import Cache

    folder = tmp_path / "corpus"
    corpus_of(folder, "Ann Lee was praised as a brilliant and generous leader. Lee thanked her wonderful supporters.")
    actors = pd.DataFrame({"id": ["lee"], "name": ["Ann Lee"], "kind": ["person"], "aliases": ["Ann Lee"]})
    cal = tmp_path / "article_tone.json"
    shutil.copy(at.CALIBRATION_PATH, cal)
    monkeypatch.setattr(at, "CALIBRATION_PATH", cal)
    monkeypatch.setattr(pipeline, "CALIBRATION_PATH", cal)
    cache = Cache(tmp_path / "cache")
    first = pipeline.analyze(folder, cache=cache, method="model", actors=actors)["article_tone"]
    evaluate.write_calibration(cal, "model", at.Calibration(low=-1.0, high=1.0), {"n": 0}, "test")
    second = pipeline.analyze(folder, cache=Cache(tmp_path / "cache"), method="model", actors=actors)["article_tone"]
    assert first["label"].tolist() == ["positive"] and second["label"].tolist() == ["neutral"]
