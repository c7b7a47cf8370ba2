"""Paragraphs, sentences, words and language, on tiny inputs."""

import pytest

from analysis.load.reading import Unreadable, decode_bytes, strip_html
from analysis.load.text import (
    count_words,
    detect_language,
    split_paragraphs,
    split_sentences,
)


@pytest.mark.parametrize(
    "text",
    [
        "U.S. President Donald Trump is set to meet with Ukrainian President Volodymyr Zelenskyy.",
        "Dr. Emily Carter, a senior strategist, commented on the alliance.",
        "The leaders met in Washington on Aug. 18 to discuss the war.",
        "How Trump’s Presidency Could Impact N. Korea, Russia, and Ukraine.",
    ],
)
def test_abbreviations_do_not_end_a_sentence(text):
    assert split_sentences(text + " A second sentence follows.") == [(0, len(text)), (len(text) + 1, len(text) + 27)]


def test_quoted_sentences_split_after_the_closing_quote():
    text = "“Only one party is going to be present,” Zelenskyy said. “It is a victory for Putin.”"
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == [
        "“Only one party is going to be present,” Zelenskyy said.",
        "“It is a victory for Putin.”",
    ]


def test_lines_are_paragraphs_unless_text_is_hard_wrapped():
    lines = "First paragraph, one line.\nSecond paragraph.\n\nThird after a blank line.\n"
    assert [lines[a:b] for a, b in split_paragraphs(lines)] == [
        "First paragraph, one line.", "Second paragraph.", "Third after a blank line."
    ]
    wrapped = (
        "Russia and Ukraine held talks in Istanbul on Monday, the first\n"
        "in months, as fighting went on along the front line in the east\n"
        "and south of the country.\n\n"
        "Kyiv said the talks were a first step, but Moscow said it would\n"
        "not give up the land it had taken since the invasion began in\n"
        "February 2022.\n"
    )
    paras = [wrapped[a:b] for a, b in split_paragraphs(wrapped)]
    assert len(paras) == 2 and paras[1].startswith("Kyiv") and paras[1].endswith("2022.")


def test_sentences_in_a_wrapped_paragraph_read_newlines_as_spaces():
    text = "Kyiv said the talks were a first step.\nMoscow disagreed."
    assert split_sentences(text) == [(0, 38), (39, 56)]


def test_count_words_keeps_apostrophes_and_hyphens():
    assert count_words("Trump’s talks with Kim Jong-un, in 2019.") == 7


@pytest.mark.parametrize(
    "text, lang",
    [
        ("The talks between Russia and Ukraine are not over, and it is not clear when they will resume.", "en"),
        ("Les pourparlers entre la Russie et l'Ukraine ne sont pas terminés et il est difficile de dire quand.", "fr"),
        ("Переговоры между Россией и Украиной продолжаются уже несколько недель.", "ru"),
        ("러시아와 우크라이나의 협상이 계속되고 있다.", "ko"),
        ("12345 67890", "unknown"),
    ],
)
def test_detect_language(text, lang):
    assert detect_language(text) == lang


def test_utf16_without_bom_is_detected():
    decoded = decode_bytes("Seoul and Tokyo agreed.".encode("utf-16-le"))
    assert decoded.text == "Seoul and Tokyo agreed." and decoded.encoding == "utf-16-le"


def test_known_binary_signatures_are_named():
    with pytest.raises(Unreadable) as err:
        decode_bytes(b"PK\x03\x04" + b"\x00" * 100)
    assert err.value.code == "not_text" and "ZIP" in err.value.message


def test_strip_html_makes_one_paragraph_per_block():
    text, dropped = strip_html("<div><p>One <i>two</i></p><p>Three&nbsp;&amp; four</p><script>x()</script></div>")
    assert text.split("\n\n") == ["One two", "Three\xa0& four"]
    assert dropped == 1
