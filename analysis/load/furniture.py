"""Telling article text from page furniture.

Web pages saved as text carry lines that are not the article: the title and
byline again, share and comment prompts, the author's bio, generated source
footers. They are kept (nothing disappears) but marked with a ``kind`` and a
``reason``, so that counts and scores use ``kind == "body"`` only and an
analyst can see, and overrule, every decision.

Kinds: ``body``, ``title``, ``subtitle``, ``byline``, ``heading``,
``boilerplate`` (share/follow/comment prompts, comment-form notices),
``bio`` (author biography) and ``footer`` (generated "sources include" lines,
credits); ``front_matter`` (a YAML block at the top of a file, marked by the loader).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["KINDS", "classify_paragraphs"]

KINDS = ("body", "title", "subtitle", "byline", "heading", "boilerplate", "bio", "footer", "front_matter")

_BOILERPLATE = re.compile(
    r"""^(?:
        share(?:\s+(?:this|the))?(?:\s+(?:article|story|post))?(?:\s+on\s+\w+)?:? |
        follow(?:\s+us)?(?:\s+on\s+\w+)?:? |
        (?:leave|post|add|write)\s+a\s+(?:comment|reply|response) |
        \d*\s*comments? | reply |
        (?:print|email|tweet|copy\s+link)(?:\s+this\s+(?:article|page))? |
        advertisement | sponsored(?:\s+content)? |
        (?:read|see)\s+(?:more|also)(?:\s*:.*)? | related(?:\s+(?:articles|stories|posts))?:? |
        (?:sign\s+up|subscribe)\b.{0,80} |
        (?:all\s+rights\s+reserved|©|copyright\b).{0,120}
    )$""",
    re.I | re.X,
)
_FORM_NOTICE = re.compile(
    r"your email address will not be published|required fields are marked|"
    r"you must be logged in to post a comment|this site uses akismet|"
    r"save my name, email, and website",
    re.I,
)
_FOOTER = re.compile(
    r"\bsources? include\b|^(?:additional\s+)?reporting by\b|^editing by\b|^compiled by\b|"
    r"^this (?:article|story|report) (?:was|has been) (?:generated|written|produced|created|updated)\b|"
    r"\bwith (?:the )?(?:help|assistance) of (?:ai|artificial intelligence)\b",
    re.I,
)
_BIO_PHRASE = re.compile(
    r"\b(?:is|was) (?:dedicated to|a (?:journalist|writer|reporter|columnist|correspondent|contributor|freelance)|"
    r"the (?:author|editor)|an? (?:editor|analyst|author))|\bwrites (?:about|on|for)\b|"
    r"\bhas (?:written|covered|reported) (?:for|on|about)\b",
    re.I,
)
_BYLINE = re.compile(r"^[Bb][Yy]\s+[A-Z][\w.’'\-]+(?:\s+(?:and\s+)?[A-Z][\w.’'\-]+){0,5}\s*$")
_SENTENCE_END = re.compile(r"[.!;,\"”’')\]…]$")


def _norm(text: str | None) -> str:
    """Casefolded letters and digits only, for comparing a line with metadata."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.findall(r"\w+", text))


def classify_paragraphs(
    paragraphs: list[str],
    title: str | None = None,
    author: str | None = None,
    markdown: bool = False,
) -> list[tuple[str, str]]:
    """A ``(kind, reason)`` pair for each paragraph of one article.

    ``title`` and ``author`` come from the manifest; lines that repeat them
    are marked ``title`` and ``byline``. Lines between the title and the
    byline are the ``subtitle``. Bios and footers are only looked for in the
    last third of the article, so a body paragraph that happens to say
    "sources include" in the middle stays body. ``reason`` is empty for body.
    """
    n = len(paragraphs)
    kinds: list[tuple[str, str]] = [("body", "")] * n
    title_n, author_n = _norm(title), _norm(author)
    authors = {a for a in (_norm(x) for x in re.split(r"\s*(?:,|&|\band\b)\s*", author or "")) if a}
    top = min(n, 8)

    for i, text in enumerate(paragraphs):
        stripped = text.strip()
        norm = _norm(stripped)
        tail = i >= n * 2 / 3 and i > 0
        if markdown and stripped.startswith("#"):
            kinds[i] = ("heading", "Markdown heading")
        elif title_n and norm == title_n and i < top:
            kinds[i] = ("title", "repeats the manifest title")
        elif i < top and ((author_n and norm in authors | {author_n}) or _BYLINE.match(stripped)):
            kinds[i] = ("byline", "repeats the manifest author" if norm in authors | {author_n} else "'By …' line")
        elif len(stripped) < 200 and _BOILERPLATE.match(stripped):
            kinds[i] = ("boilerplate", "share, follow or comment prompt")
        elif len(stripped) < 400 and _FORM_NOTICE.search(stripped):
            kinds[i] = ("boilerplate", "comment-form notice")
        elif tail and _FOOTER.search(stripped):
            kinds[i] = ("footer", "generated sources/credits line")
        elif tail and _is_bio(stripped, authors):
            kinds[i] = ("bio", "author biography")
        elif _is_heading(stripped, i, paragraphs):
            kinds[i] = ("heading", "short line without closing punctuation")

    # A first line that reads like a headline is the title when the manifest has none.
    if n > 1 and not title_n and kinds[0] == ("heading", "short line without closing punctuation"):
        kinds[0] = ("title", "headline-like first line")
    _mark_subtitles(kinds)
    return kinds


def _is_bio(text: str, authors: set[str]) -> bool:
    norm = _norm(text)
    starts_with_author = any(a and norm.startswith(a + " ") for a in authors)
    return (starts_with_author and len(norm.split()) > 8) or bool(_BIO_PHRASE.search(text[:200]))


def _is_heading(text: str, i: int, paragraphs: list[str]) -> bool:
    words = text.split()
    if not words or len(words) > 14 or _SENTENCE_END.search(text):
        return False
    if text.endswith((":", "?")) and not _title_case(words):
        return False  # "Politico reports:", "Is the deal dead?": a sentence of the body, not a heading
    # A heading introduces something: it is followed by a longer paragraph.
    following = paragraphs[i + 1] if i + 1 < len(paragraphs) else ""
    return len(following.split()) > len(words)


def _title_case(words: list[str]) -> bool:
    """True when every word of four letters or more starts with a capital, as in headings ("What Comes Next?")."""
    long = [w for w in words if sum(c.isalpha() for c in w) >= 4]
    return bool(long) and all(w.lstrip("\"'“‘(")[:1].isupper() for w in long)


def _mark_subtitles(kinds: list[tuple[str, str]]) -> None:
    """Body lines between the title and the byline are the subtitle (deck)."""
    kind_names = [k for k, _ in kinds]
    if "title" not in kind_names or "byline" not in kind_names:
        return
    first, byline = kind_names.index("title"), kind_names.index("byline")
    for i in range(first + 1, byline):
        if kind_names[i] == "body":
            kinds[i] = ("subtitle", "between the title and the byline")
