"""Reading sentences in context: the functions behind the JupyterLab widgets."""

import pytest

from analysis import find_mentions
from analysis.show.explore import (
    highlight,
    mention_browser,
    mention_sentences,
    term_browser,
    term_sentences,
)


@pytest.fixture(scope="module")
def mentions(seeds):
    return find_mentions(seeds)


def test_mention_sentences_for_an_actor_and_outlet(seeds, mentions):
    rows = mention_sentences(mentions, seeds.sentences, "zelenskyy", "automagazine.pt")
    assert len(rows) > 0
    assert set(rows["outlet"]) == {"automagazine.pt"}
    assert all(text[a:b] == alias for text, a, b, alias in zip(rows["text"], rows["start"], rows["end"], rows["alias"]))
    assert "Zelenskiy" in set(rows["alias"])


def test_mention_sentences_by_display_name_and_any_outlet(seeds, mentions):
    rows = mention_sentences(mentions, seeds.sentences, "Volodymyr Zelenskyy")
    assert set(rows["outlet"]) >= {"News1 Global", "Daily Sabah", "The Guardian", "automagazine.pt"}


def test_term_sentences_whole_words_only(seeds):
    rows = term_sentences(seeds.sentences, "Kim")
    assert len(rows) > 0
    assert all(t[a:b].lower() == "kim" for t, a, b in zip(rows["text"], rows["start"], rows["end"]))
    assert term_sentences(seeds.sentences, "Ki").empty  # no partial words
    phrase = term_sentences(seeds.sentences, "north   korea", outlet="The Guardian")
    assert set(phrase["outlet"]) == {"The Guardian"} and len(phrase) > 0
    assert term_sentences(seeds.sentences, "  ").empty


def test_highlight_escapes_html():
    assert highlight("a <b> c", 2, 5) == "a <mark>&lt;b&gt;</mark> c"


def test_widgets_build_headless(seeds, mentions):
    browser = mention_browser(mentions, seeds.sentences, actor="putin")
    assert "Vladimir Putin" in browser.children[1].value
    terms = term_browser(seeds.sentences, term="sanctions")
    assert "<mark>sanctions</mark>" in terms.children[1].value.lower()
