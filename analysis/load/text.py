"""Splitting clean text into paragraphs, sentences and words, offline.

Sentences come from nupunkt, a Punkt splitter that ships its trained
parameters (no NLTK download): it keeps "U.S. President Donald Trump",
"Dr. Emily Carter", "Aug. 18" and "N. Korea" inside one sentence, and runs at
millions of words per second. Every function returns character offsets into
the text it was given, so any row can be traced back to its source.
"""

from __future__ import annotations

import re
from collections import Counter

import nupunkt

__all__ = ["split_paragraphs", "split_sentences", "count_words", "detect_language", "quote_spans", "WORD_RE"]

# A word: letters or digits, with inner apostrophes or hyphens ("Trump’s", "Kim Jong-un").
WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")

_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the paragraphs of ``text``.

    A paragraph is a line, except in hard-wrapped text (blocks of several
    lines of similar length, separated by blank lines), where a paragraph is a
    block. Spans exclude the surrounding whitespace; everything between two
    spans is whitespace, so no character of the text is lost.
    """
    blocks = _spans(text, _BLANK_LINE)
    if not _hard_wrapped(text, blocks):
        blocks = [s for b in blocks for s in _line_spans(text, *b)]
    return blocks


def _spans(text: str, separator: re.Pattern) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in separator.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [s for s in (_trim(text, a, b) for a, b in spans) if s[0] < s[1]]


def _line_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, pos = [], start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl == -1 else nl
        a, b = _trim(text, pos, stop)
        if a < b:
            spans.append((a, b))
        pos = stop + 1
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _hard_wrapped(text: str, blocks: list[tuple[int, int]]) -> bool:
    """True when most lines sit in multi-line blocks with no line over 100 characters."""
    short_multi, total_lines = 0, 0
    for a, b in blocks:
        lines = text[a:b].split("\n")
        total_lines += len(lines)
        if len(lines) >= 3 and max(len(line) for line in lines) <= 100:
            short_multi += len(lines)
    return total_lines > 0 and short_multi >= 0.6 * total_lines


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of one paragraph, whitespace excluded.

    Newlines inside a hard-wrapped paragraph are read as spaces.

    >>> split_sentences("U.S. President Donald Trump met Dr. Emily Carter. Then he left.")
    [(0, 49), (50, 63)]
    """
    if not text.strip():
        return []
    flat = text.replace("\n", " ")
    spans = []
    for a, b in nupunkt.sentence_spans(flat):
        a, b = _trim(flat, a, b)
        if a < b:
            spans.append((a, b))
    return spans


def count_words(text: str) -> int:
    """Number of words in ``text`` (letters or digits, inner apostrophes and hyphens kept)."""
    return len(WORD_RE.findall(text))


# The most frequent function words of a few languages that reach news folders.
# A text is English when English function words clearly outnumber the others.
_FUNCTION_WORDS = {
    "en": "the of and to in a is that for on with as was by it from at are be this have has not but",
    "de": "der die und das ist nicht mit den von zu ein eine sich auf für dem des im auch",
    "fr": "le la les et des est une un du dans pour que qui sur pas au avec ce par",
    "es": "el la los las y que de en un una es por con para del se al lo como",
    "pt": "o a os as e que de em um uma é para com não do da no na se por",
    "it": "il lo la gli le e di che è un una per non con del della sono si",
    "nl": "de het een en van is dat op te zijn met voor niet aan er",
}
_FUNCTION_SETS = {lang: set(words.split()) for lang, words in _FUNCTION_WORDS.items()}
_LETTER = re.compile(r"[^\W\d_]")
_SCRIPTS = [
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("uk", re.compile(r"[ієїґІЄЇҐ]")),
]


def detect_language(text: str, sample_chars: int = 5000) -> str:
    """A language code for ``text``: "en", another ISO 639-1 code, or "unknown".

    Counts letters of non-Latin scripts, then function words of a few European
    languages, in the first ``sample_chars`` characters. Deterministic and fast;
    it only needs to tell English from not-English reliably.
    """
    sample = text[:sample_chars]
    # Only a text with many multi-byte characters can be in a non-Latin script
    # (curly quotes alone do not count); this keeps the common case cheap.
    if len(sample.encode("utf-8")) - len(sample) > 0.2 * len(sample):
        letters = len(_LETTER.findall(sample))
        for lang, pattern in _SCRIPTS:
            if letters and len(pattern.findall(sample)) > 0.3 * letters:
                if lang == "ru" and len(_SCRIPTS[-1][1].findall(sample)) > 0.005 * letters:
                    return "uk"
                return lang
    words = WORD_RE.findall(sample.lower())
    if not words:
        return "unknown"
    counts = Counter(words)
    scores = {lang: sum(counts[w] for w in fw) / len(words) for lang, fw in _FUNCTION_SETS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] >= 0.08 else "unknown"


_MARK = re.compile("[“”\"]")


def quote_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the text inside each pair of double quotation marks.

    Offsets exclude the marks themselves: ``text[start:end]`` is the quoted
    text. A quotation still open at the end of ``text`` runs to its end; a
    closing mark with no opening one is ignored.

    >>> quote_spans('He said “yes”, then "no".')
    [(9, 12), (21, 23)]
    """
    spans, open_at = [], None
    for mark in _MARK.finditer(text):  # visit only the marks, not every character
        i, ch = mark.start(), mark.group()
        if ch == "“" or (ch == '"' and open_at is None):
            if open_at is None:
                open_at = i + 1
        elif ch in "”\"" and open_at is not None:
            spans.append((open_at, i))
            open_at = None
    if open_at is not None and open_at < len(text):
        spans.append((open_at, len(text)))
    return spans
