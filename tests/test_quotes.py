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
    assert table["n_quotes"].sum() == seed_quotes["speaker"].notna().sum()
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
