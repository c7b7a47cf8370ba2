"""Page furniture is marked by rules an analyst can read; body text stays body."""

from analysis.load.furniture import classify_paragraphs

BODY = "Russia and Ukraine held talks in Istanbul on Monday, the first in months, officials said."


def kinds(paragraphs, **meta):
    return [k for k, _ in classify_paragraphs(paragraphs, **meta)]


def test_title_subtitle_byline_from_manifest():
    paras = ["Talks in Istanbul", "A first step, officials say.", "By Jane Doe", BODY, BODY]
    assert kinds(paras, title="Talks in Istanbul", author="Jane Doe") == [
        "title", "subtitle", "byline", "body", "body"
    ]


def test_by_line_without_manifest_author():
    assert kinds(["By Jane Doe and John Roe", BODY]) == ["byline", "body"]


def test_prompts_and_form_notices_are_boilerplate():
    paras = [BODY, BODY, BODY, "Share this article", "Follow us on X", "Leave a Reply",
             "Your email address will not be published. Required fields are marked *"]
    assert kinds(paras)[3:] == ["boilerplate"] * 4


def test_bio_and_sources_footer_only_near_the_end():
    footer = "For more, sources include Reuters and official statements."
    bio = "Jane Doe is a journalist who has covered Eastern Europe for ten years for several papers."
    assert kinds([footer, BODY, BODY, BODY, BODY, bio, footer], author="Jane Doe") == [
        "body", "body", "body", "body", "body", "bio", "footer"
    ]


def test_heading_needs_a_longer_paragraph_after_it():
    assert kinds([BODY, "What Comes Next?", BODY]) == ["body", "heading", "body"]
    assert kinds([BODY, "Kyiv agreed"]) == ["body", "body"]


def test_first_line_reads_as_title_when_manifest_has_none():
    assert kinds(["Talks in Istanbul", BODY, BODY]) == ["title", "body", "body"]


def test_markdown_headings():
    assert kinds(["# Notes", BODY], markdown=True) == ["heading", "body"]
