"""Tests for analysis/measure/quotes.py: quotations, speakers and reporting verbs."""

import pytest
from helpers import corpus_of

from analysis.measure.quotes import find_quotes, quote_spans, quoted_speakers


@pytest.fixture(scope="module")
def seed_quotes(seeds):
    return find_quotes(seeds, indirect=False)


def test_quote_spans_curly_straight_and_open_ended():
    text = 'He said “yes”, then "no". “Still open'
    assert [text[a:b] for a, b in quote_spans(text)] == ["yes", "no", "Still open"]


def test_003_sovereign_ukraine_is_zelenskyy(seed_quotes):
    q = seed_quotes[seed_quotes["quote"].str.contains("does not want a sovereign Ukraine")]
    assert len(q) == 1
    assert q["speaker_actor"].iloc[0] == "zelenskyy"
    assert q["article_id"].iloc[0].startswith("003")


def test_004_dr_emily_carter_is_a_speaker(seed_quotes):
    carter = seed_quotes[seed_quotes["speaker"] == "Dr. Emily Carter"]
    assert len(carter) == 1
    assert carter["verb"].iloc[0] == "commented"
    assert carter["speaker_actor"].isna().all()  # not in the actors table, kept as written


def test_offsets_and_sentences_match_the_paragraph(seeds, seed_quotes):
    body = seeds.paragraphs.set_index(["article_id", "paragraph"])["text"]
    for q in seed_quotes.itertuples():
        assert body[(q.article_id, q.paragraph)][q.start:q.end] == q.quote
        assert q.sentence <= q.last_sentence


def test_speaker_before_and_after(tmp_path):
    corpus = corpus_of(
        tmp_path,
        "Emmanuel Macron said, “We will not give in.”",
        "“We stand with Kyiv,” said Olaf Scholz on Monday.",
        "“It is over. We have lost,” the Ukrainian president warned.",
    )
    q = find_quotes(corpus)
    assert q["speaker_actor"].tolist() == ["macron", "scholz", "zelenskyy"]
    assert q["attribution"].tolist() == ["before", "after", "after"]
    assert q["verb"].tolist() == ["said", "said", "warned"]
    assert q["last_sentence"].iloc[2] > q["sentence"].iloc[2]  # a two-sentence quotation


def test_pronoun_and_continuation(tmp_path):
    corpus = corpus_of(
        tmp_path,
        "Jane Roe, a lawyer, said the case was weak.",
        "“We will appeal,” she said. “This is not the end.”",
    )
    q = find_quotes(corpus, indirect=False)
    assert q["speaker"].tolist() == ["Jane Roe", "Jane Roe"]
    assert q["attribution"].tolist() == ["pronoun", "continuation"]


def test_scare_quotes_have_no_speaker(tmp_path):
    q = find_quotes(corpus_of(tmp_path, "The “America First” approach is back."))
    assert q["speaker"].isna().all()


def test_quoted_speakers_counts(seed_quotes):
    table = quoted_speakers(seed_quotes)
    direct = seed_quotes[seed_quotes["kind"] == "direct"]
    assert table["n_quotes"].sum() == direct["speaker_name"].notna().sum()
    guardian = table[table["outlet"] == "The Guardian"].set_index("speaker")
    assert guardian["n_quotes"].idxmax() == "Volodymyr Zelenskyy"


def test_reading_back_from_a_verb_in_a_window_gives_the_phrase_of_reading_everything(monkeypatch):
    """The window before a verb is read first, the whole text only when it could matter: same phrase always."""
    import re

    from analysis.config import SEEDS_DIR
    from analysis.load.corpus import load_corpus
    from analysis.measure import quotes

    texts = load_corpus(SEEDS_DIR).paragraphs["text"].tolist() + [
        "Putin has also, reportedly, said", "x ,, said", "the The President  has  also previously said",
        "“We will not,” said Dr. Emily Carter, a strategist, later",
    ]
    checked = 0
    for window in (3, 7, 13, 40):  # tiny windows: every edge of the window is met many times
        monkeypatch.setattr(quotes, "_BACKWARD_WINDOW", window)
        for text in texts:
            for m in re.finditer(r"\s", text):
                assert quotes._phrase_backward(text, m.start()) == quotes._phrase_backward_from(text, 0, m.start())
                checked += 1
    assert checked > 10_000


def _trump_as_the_president():
    """The shipped actors table, with "president" among Trump's role phrases (an analyst's own table would say so)."""
    from analysis.measure.actors import load_actors

    actors = load_actors()
    row = actors["id"] == "trump"
    actors.loc[row, "roles"] = actors.loc[row, "roles"].map(lambda roles: (*roles, "president"))
    return actors


def test_trump_trump_mr_trump_and_the_president_are_one_speaker(tmp_path):
    corpus = corpus_of(
        tmp_path,
        "Tariffs on steel will rise in October, the White House confirmed on Tuesday.",
        "“We are going to win on trade,” Donald Trump said at a rally in Ohio.",
        "“China knows it has to deal,” Trump added.",
        "“Nobody has been tougher than me,” Mr. Trump told reporters before boarding Air Force One.",
        "“This is a great day for American workers,” the president said.",
    )
    q = find_quotes(corpus, actors=_trump_as_the_president())
    direct = q[q["kind"] == "direct"]
    assert direct["speaker_text"].tolist() == ["Donald Trump", "Trump", "Mr. Trump", "the president"]
    assert set(direct["speaker_name"]) == {"Donald Trump"}
    assert direct["speaker_type"].tolist() == ["named", "named", "named", "description"]
    table = quoted_speakers(q)
    assert table[["speaker", "n_quotes"]].values.tolist() == [["Donald Trump", 4]]


def test_a_speaker_outside_the_actors_table_merges_by_surname_in_the_article(tmp_path):
    corpus = corpus_of(
        tmp_path,
        "Dr. Emily Carter, a trade economist at Ohio State University, said, “Farmers will pay for this.”",
        "“The soybean market has already lost its biggest buyer,” Carter said.",
        "“It is a tax on families,” said Paul Carterton, a retailer in Columbus.",
    )
    q = find_quotes(corpus, indirect=False)
    assert q["speaker_name"].tolist() == ["Emily Carter", "Emily Carter", "Paul Carterton"]
    assert q["speaker_actor"].isna().all()


def test_a_quotation_split_around_he_said_is_one_speakers_twice(tmp_path):
    corpus = corpus_of(tmp_path, "Senator Mark Hollis spoke after the vote.",
                       "“We did not have the numbers,” he said, “but we will be back next session.”")
    q = find_quotes(corpus, indirect=False)
    assert q["kind"].tolist() == ["direct", "direct"]
    assert q["speaker_text"].tolist() == ["he", "he"]
    assert q["speaker_name"].tolist() == ["Mark Hollis", "Mark Hollis"]


def test_a_question_mark_before_the_closing_mark_keeps_the_speaker_and_the_next_quote(tmp_path):
    corpus = corpus_of(tmp_path,
                       "“Why would anyone believe that?” Clinton said. “It makes no sense at all.”")
    q = find_quotes(corpus, indirect=False)
    assert len(q) == 2
    assert q["speaker_text"].tolist() == ["Clinton", "Clinton"]
    assert q["attribution"].tolist() == ["after", "continuation"]


def test_descriptions_are_kept_as_unnamed_sources(tmp_path):
    corpus = corpus_of(tmp_path, "“The talks have stalled over the border question,” a senior official said.",
                       "“Nothing has been agreed,” said the union in a statement.")
    q = find_quotes(corpus, indirect=False)
    assert q["speaker_text"].tolist() == ["a senior official", "the union"]
    assert q["speaker_type"].tolist() == ["description", "description"]


def test_scare_quotes_and_quoted_fragments_are_not_direct_quotations(tmp_path):
    corpus = corpus_of(tmp_path,
                       "Critics called the plan a “disgrace” and an “insult to the voters who trusted him.”",
                       "The “America First” approach is back, the mayor said.",
                       "“We are not going anywhere,” the mayor said.")
    q = find_quotes(corpus, indirect=False)
    assert q["kind"].tolist() == ["partial", "partial", "partial", "direct"]
    assert q["quote"].iloc[-1] == "We are not going anywhere,"


def test_a_pronoun_is_the_nearest_earlier_speaker_of_its_number(tmp_path):
    corpus = corpus_of(
        tmp_path,
        "Maria Lopez, who chairs the council, said the vote would go ahead.",
        "The unions said they would strike if it did.",
        "“I respect their right to protest,” she said.",
        "“We will not be intimidated,” they said.",
    )
    q = find_quotes(corpus)
    direct = q[q["kind"] == "direct"]
    assert direct["speaker_text"].tolist() == ["she", "they"]
    assert direct["speaker"].tolist() == ["Maria Lopez", "unions"]
    assert direct["speaker_type"].tolist() == ["pronoun", "pronoun"]


def test_a_quotation_over_two_paragraphs_keeps_its_speaker(tmp_path):
    corpus = corpus_of(
        tmp_path,
        "The school board met for four hours on Monday night.",
        "Mayor Ana Ruiz said: “The budget is balanced for the first time in a decade.",
        "“We will hire fifty new teachers next year, and we will pay them properly.”",
    )
    q = find_quotes(corpus, indirect=False)
    assert q["kind"].tolist() == ["direct", "direct"]
    assert q["speaker_name"].tolist() == ["Ana Ruiz", "Ana Ruiz"]
    assert q["attribution"].tolist() == ["before", "continuation"]


def test_a_colon_ending_the_paragraph_before_gives_the_speaker(tmp_path):
    corpus = corpus_of(tmp_path, "Tom Baker, the governor, spoke about the strike on Friday. He said:",
                       "“Nobody wants this, and I will meet both sides tomorrow.”")
    q = find_quotes(corpus, indirect=False)
    assert q["speaker_name"].tolist() == ["Tom Baker"]


def test_a_dash_after_the_quotation_names_the_speaker(tmp_path):
    corpus = corpus_of(tmp_path, "“I moved here for the schools and I stayed for the people.” ― Rosa Delgado")
    q = find_quotes(corpus, indirect=False)
    assert q["speaker_text"].tolist() == ["Rosa Delgado"]


def test_indirect_speech_is_a_second_kind_with_its_speaker(tmp_path):
    corpus = corpus_of(
        tmp_path,
        "The port will stay closed for another week.",
        "Transport Minister Karin Holt said that the port would reopen once the storm damage was repaired.",
        "Shipping companies have lost millions of dollars since the closure, the chamber of commerce said.",
        "“We are doing everything we can,” Holt said.",
    )
    q = find_quotes(corpus)
    indirect = q[q["kind"] == "indirect"]
    assert indirect["quote"].tolist() == [
        "that the port would reopen once the storm damage was repaired",
        "Shipping companies have lost millions of dollars since the closure",
    ]
    assert indirect["speaker_text"].tolist() == ["Transport Minister Karin Holt", "the chamber of commerce"]
    direct = q[q["kind"] == "direct"]
    assert direct["speaker_name"].tolist() == ["Karin Holt"]


def test_according_to_gives_an_indirect_quotation_and_its_source(tmp_path):
    corpus = corpus_of(tmp_path, "The council met behind closed doors on Friday.",
                       "The library will close at the end of the year, according to a senior council official.")
    q = find_quotes(corpus)
    assert q[["kind", "quote", "speaker_text", "verb"]].values.tolist() == [
        ["indirect", "The library will close at the end of the year", "a senior council official", "according to"]]
