"""Tokens and the context of a target: the clause and the words around one mention in a sentence."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

__all__ = ["clause_cuts", "target_context", "token_data"]

# Tokens and target context

_TOKEN_RE = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*|[^\sA-Za-z0-9]")
# Clause boundaries: a target's tone rarely crosses these. Each pattern
# matches the boundary text itself, which belongs to neither side.
_CLAUSE_RE = re.compile(
    r",?\s+(?:but|while|whereas|although|though|however|yet|even as)\b,?"
    r"|;|:|\s+[-–—]+\s+|\.\s|\?\s|!\s",
    re.IGNORECASE,
)


def _tokens(text: str) -> tuple[tuple[str, int, int], ...]:
    return token_data(text)[0]


@lru_cache(maxsize=16384)
def token_data(text: str):
    """Tokens of ``text`` and, in parallel, their starts, ends and normalised forms.

    Cached (bounded) because a sentence is tokenised for every target in it,
    by :func:`target_context` and by the model features. Token starts and
    ends are both strictly increasing (tokens never overlap), which lets
    :func:`_clamp_words` bisect them.
    """
    toks = tuple((m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text))
    norm = [t[0].lower() for t in toks]
    if "’" in text:
        norm = [w.replace("’", "'") for w in norm]
    return toks, tuple(t[1] for t in toks), tuple(t[2] for t in toks), tuple(norm)


@lru_cache(maxsize=16384)
def clause_cuts(text: str) -> tuple[tuple[int, int], ...]:
    """``(start, end)`` of every clause-boundary match in ``text`` (cached, bounded)."""
    return tuple(m.span() for m in _CLAUSE_RE.finditer(text))


def _has_two_tokens(text: str) -> bool:
    """``len(_tokens(text)) >= 2`` without tokenising (or caching) all of ``text``."""
    it = _TOKEN_RE.finditer(text)
    return next(it, None) is not None and next(it, None) is not None


def _clamp_words(
    text: str, start: int, end: int, lo: int, hi: int, n_words: int
) -> tuple[int, int]:
    """Shrink [lo, hi) to at most ``n_words`` tokens either side of the mention."""
    toks, starts, ends, _ = token_data(text)
    if n_words < 1:  # degenerate caps: keep the literal list semantics
        left = [t for t in toks if lo <= t[1] and t[2] <= start]
        right = [t for t in toks if t[1] >= end and t[2] <= hi]
        if len(left) > n_words:
            lo = left[-n_words][1]
        if len(right) > n_words:
            hi = right[n_words - 1][2]
        return lo, hi
    # Left tokens (lo <= s and e <= start) are the index range [i0, i1), right
    # tokens (s >= end and e <= hi) the range [j0, j1): starts and ends both
    # increase, so each condition selects a prefix or a suffix.
    i0, i1 = bisect_left(starts, lo), bisect_right(ends, start)
    if i1 - i0 > n_words:
        lo = starts[i1 - n_words]
    j0, j1 = bisect_left(starts, end), bisect_right(ends, hi)
    if j1 - j0 > n_words:
        hi = ends[j0 + n_words - 1]
    return lo, hi


def target_context(
    text: str, start: int, end: int, other_spans=(), n_words: int = 12
) -> tuple[int, int]:
    """Character span ``(ctx_start, ctx_end)`` of the clause that belongs to a mention.

    The sentence is cut at clause boundaries (", but", " while ", " whereas ",
    " although ", ";", ":", dashes, inner sentence ends) and at the positions of
    the other targets in ``other_spans`` (``(start, end)`` pairs); the part
    around ``text[start:end]`` is kept and capped at ``n_words`` words either
    side of the mention. If cutting at other targets leaves fewer than two
    words beside the mention ("Putin and Zelenskyy met"), those cuts are
    dropped so the mention keeps its verb. Always contains the mention;
    ``text[ctx_start:ctx_end]`` is the context.

    >>> s = "Putin praised the deal but Zelenskyy rejected it"
    >>> s[slice(*target_context(s, 0, 5, [(27, 36)]))]
    'Putin praised the deal'
    >>> s[slice(*target_context(s, 27, 36, [(0, 5)]))]
    'Zelenskyy rejected it'
    """
    # Cached: ``mention_tone`` asks for each target's clause, and the model's features again.
    return _target_context(text, start, end, tuple(tuple(o) for o in other_spans), n_words)


@lru_cache(maxsize=16384)
def _target_context(text: str, start: int, end: int, other_spans: tuple, n_words: int) -> tuple[int, int]:
    cuts = [(s, e) for s, e in clause_cuts(text) if e <= start or s >= end]
    lo, hi = _span_between(cuts, start, end, len(text))
    others = [(s, e) for s, e in other_spans if e <= start or s >= end]
    if others:
        olo, ohi = _span_between(others, start, end, len(text))
        olo, ohi = max(lo, olo), min(hi, ohi)
        if _has_two_tokens(text[olo:start] + " " + text[end:ohi]):
            lo, hi = olo, ohi
    lo, hi = _clamp_words(text, start, end, lo, hi, n_words)
    # Trim whitespace and connective punctuation left over at the cut points.
    while lo < start and not text[lo].isalnum() and text[lo] not in "\"“'‘(":
        lo += 1
    while hi > end and not (text[hi - 1].isalnum() or text[hi - 1] in "\"”'’)"):
        hi -= 1
    return lo, hi


def _span_between(cuts, start: int, end: int, length: int) -> tuple[int, int]:
    """Nearest cut ends left of ``start`` and cut starts right of ``end``."""
    lo = max((e for s, e in cuts if e <= start), default=0)
    hi = min((s for s, e in cuts if s >= end), default=length)
    return lo, hi
