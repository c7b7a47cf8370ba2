"""The light model's features: masked n-grams around the target, its clause and sentence, word lexicons."""

from __future__ import annotations

import zlib
from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import chain, pairwise

import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis.models.context import target_context, token_data
from analysis.models.lexicons import lexicon_scores, pattern_analyzer, vader_analyzer

__all__ = ["DEFAULT_FEATURE_CONFIG", "N_NUMERIC", "design_matrix", "other_spans_by_text", "target_features"]

# Feature-extraction settings of the model. Stored in the model file so that a
# model is always applied with the features it was trained with.
DEFAULT_FEATURE_CONFIG = {
    "n_bits": 18,  # hashed feature space of 2**18 columns
    "window": 4,  # words each side of the mention for the local n-grams
    "near": 3,  # positions left/right encoded with their distance
    "context_words": 12,  # fallback cap on the clause, words each side
    "sentence_ngrams": 2,
    "negation": True,
    "neg_scope": 3,  # words after a negation whose lexicon valence is flipped
}


# Model features

_NEGATIONS = frozenset(
    [
        "not",
        "no",
        "never",
        "n't",
        "nor",
        "without",
        "cannot",
        "neither",
        "nobody",
        "nothing",
        "none",
        "hardly",
    ]
)
_CLAUSE_PUNCT = frozenset('.,;:!?—–-()"“”')
_N_LEX = 5  # values of the sentence from lexicon_scores
# Word-lexicon aggregates: for each lexicon (VADER valence / 4, Pattern
# polarity) and each region around the mention (``lw``/``rw``: ``window``
# words left/right; ``cl``/``cr``: clause left/right of the mention; ``rest``:
# the sentence outside the clause), the sum, min, max, distance-weighted sum
# (valence / words from the mention) and the counts of positive and negative
# words.
_WORD_LEXICONS = ("vader", "pattern")
_REGIONS = ("lw", "rw", "cl", "cr", "rest")
_STATS = ("sum", "min", "max", "wsum", "npos", "nneg")
N_NUMERIC = _N_LEX + len(_WORD_LEXICONS) * len(_REGIONS) * len(_STATS)


def _masked_tokens(text: str, start: int, end: int, others) -> tuple[list[str], int]:
    """Lower-cased tokens with the mention as ``TARGET`` and other targets as ``OTHER``.

    Returns the tokens and the index of ``TARGET``. Masking keeps the model
    from learning who an actor is (a prior on names) instead of what is said.
    """
    _, starts, ends, norm = token_data(text)
    return _mask_range(starts, ends, norm, 0, len(starts), start, end, others)


def _mask_range(starts, ends, norm, a: int, b: int, start: int, end: int, others):
    """:func:`_masked_tokens` over the tokens ``a:b`` of a tokenised text.

    The rule, token by token: a token overlapping the mention is the mention
    (the first one becomes ``TARGET``, the rest are dropped); else a token
    overlapping another target (the first in ``others`` that it overlaps)
    becomes ``OTHER``, once per run of tokens of the same span (a run that
    only the mention's tokens interrupt); any other token is kept. Token
    starts and ends both increase, so the tokens overlapping a span are an
    index range found by bisection: only those are visited, and the words
    between them are copied as slices.
    """
    marks: dict[int, tuple | None] = {}  # token index -> None (mention) or the other span it belongs to
    for i in range(max(a, bisect_right(ends, start)), min(b, bisect_left(starts, end))):
        if starts[i] < end and ends[i] > start:
            marks[i] = None
    for o in others:
        for i in range(max(a, bisect_right(ends, o[0])), min(b, bisect_left(starts, o[1]))):
            if i not in marks and starts[i] < o[1] and ends[i] > o[0]:
                marks[i] = o
    if not marks:
        out = list(norm[a:b])
        t_idx = bisect_left(starts, start, a, b) - a  # empty or whitespace-only mention: at its position
        out.insert(t_idx, "TARGET")
        return out, t_idx
    out: list[str] = []
    t_idx = -1
    masked_other = None
    pos = a
    for i in sorted(marks):
        if i > pos:  # plain tokens between marks
            out.extend(norm[pos:i])
            masked_other = None
        pos = i + 1
        span = marks[i]
        if span is None:
            if t_idx < 0:
                t_idx = len(out)
                out.append("TARGET")
        elif span != masked_other:
            out.append("OTHER")
            masked_other = span
    out.extend(norm[pos:b])
    if t_idx < 0:
        t_idx = bisect_left(starts, start, a, b) - a
        out.insert(t_idx, "TARGET")
    return out, t_idx


def _context_masked_tokens(text: str, start: int, end: int, others, lo: int, hi: int) -> list[str]:
    """``_masked_tokens(text[lo:hi], ...)`` of the clause, other spans inside it only.

    When no token of ``text`` straddles ``lo`` or ``hi``, tokenising the slice
    gives exactly the tokens of ``text`` that lie inside ``[lo, hi)`` (every
    non-space character belongs to a token, and a token match never depends
    on characters past its end but the next two), so those are reused,
    unshifted: masking only compares offsets, which a shift does not change.
    """
    _, starts, ends, norm = token_data(text)
    if lo <= hi and not _straddles(starts, ends, lo) and not _straddles(starts, ends, hi):
        inside = [(s, e) for s, e in others if lo <= s and e <= hi]
        a, b = bisect_left(starts, lo), bisect_right(ends, hi)
        return _mask_range(starts, ends, norm, a, max(a, b), start, end, inside)[0]
    toks, _ = _masked_tokens(
        text[lo:hi],
        start - lo,
        end - lo,
        [(s - lo, e - lo) for s, e in others if lo <= s and e <= hi],
    )
    return toks


def _straddles(starts, ends, pos: int) -> bool:
    """Whether a token runs across offset ``pos`` (starts before it, ends after it)."""
    i = bisect_right(starts, pos) - 1
    return i >= 0 and starts[i] < pos < ends[i]


def _mark_negation(tokens: list[str]) -> list[str]:
    """Prefix words after a negation with ``NOT_`` up to the next punctuation."""
    # Most sentences have no negation: then nothing changes. Tokens hold no spaces,
    # so a token ends in "n't" exactly where "n't " occurs in the joined stream.
    if _NEGATIONS.isdisjoint(tokens) and "n't " not in " ".join(tokens) + " ":
        return list(tokens)
    out, negated = [], False
    for tok in tokens:
        if tok in _CLAUSE_PUNCT:
            negated = False
            out.append(tok)
        elif tok in _NEGATIONS or tok.endswith("n't"):
            negated = True
            out.append(tok)
        else:
            out.append("NOT_" + tok if negated and tok not in ("TARGET", "OTHER") else tok)
    return out


def _ngrams(tokens: list[str], n: int, prefix: str) -> list[str]:
    feats = [prefix + t for t in tokens]
    if n >= 2:
        feats += [f"{prefix}{a} {b}" for a, b in pairwise(tokens)]
    if n >= 3:
        feats += [f"{prefix}{a} {b} {c}" for a, b, c in zip(tokens, tokens[1:], tokens[2:])]
    for k in range(4, n + 1):
        feats += [prefix + " ".join(tokens[i : i + k]) for i in range(len(tokens) - k + 1)]
    return feats


@lru_cache(maxsize=1)
def _word_lexicons() -> tuple[dict, dict]:
    """Word -> valence of VADER (divided by 4, so about [-1, 1]) and of Pattern (TextBlob).

    Read from the analysers' own bundled lexicons: no network, and the same
    words and values the sentence-level scores use.
    """
    sentiment = pattern_analyzer()
    vader = {w: float(v) / 4.0 for w, v in vader_analyzer().lexicon.items()}
    pattern = {}
    for word in list(sentiment.keys()):
        entry = sentiment[word]
        if None in entry and entry[None][0] != 0:
            pattern[word] = float(entry[None][0])
    return vader, pattern


def _word_valences(text: str, neg_scope: int) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """VADER and Pattern valence of every token of ``text``, flipped after a negation.

    A token within ``neg_scope`` words after a negation ("not", "never",
    "n't", ...) and before the next punctuation gets the opposite sign.
    """
    vs, ps, _ = _valence_data(text, neg_scope)
    return vs, ps


@lru_cache(maxsize=16384)
def _valence_data(text: str, neg_scope: int) -> tuple[tuple[float, ...], tuple[float, ...], tuple[int, ...]]:
    """:func:`_word_valences` and the positions of the tokens with a valence in either lexicon.

    Cached like :func:`token_data`: every target of a sentence reuses it.
    Most tokens have no valence, and the word-lexicon features skip those:
    their loop visits the few polar positions only.
    """
    vader, pattern = _word_lexicons()
    norm = token_data(text)[3]
    if not any(w in _NEGATIONS or w.endswith("n't") for w in norm):  # nothing to flip
        vs = tuple(vader.get(w, 0.0) for w in norm)
        ps = tuple(pattern.get(w, 0.0) for w in norm)
        return vs, ps, tuple(i for i, (v, p) in enumerate(zip(vs, ps)) if v != 0.0 or p != 0.0)
    vs, ps, last = [], [], None
    for i, w in enumerate(norm):
        if w in _CLAUSE_PUNCT:
            last = None
        sign = -1.0 if last is not None and i - last <= neg_scope else 1.0
        vs.append(sign * vader.get(w, 0.0))
        ps.append(sign * pattern.get(w, 0.0))
        if w in _NEGATIONS or w.endswith("n't"):
            last = i
    polar = tuple(i for i, (v, p) in enumerate(zip(vs, ps)) if v != 0.0 or p != 0.0)
    return tuple(vs), tuple(ps), polar


def _region_stats(vals: list[float], dists: list[int]) -> list[float]:
    if not vals:
        return [0.0] * len(_STATS)
    return [
        sum(vals),
        min(vals),
        max(vals),
        sum([v / d for v, d in zip(vals, dists)]),
        float(len([v for v in vals if v > 0.05])),
        float(len([v for v in vals if v < -0.05])),
    ]


def _word_lexicon_features(text, start, end, others, lo, hi, window, neg_scope):
    """Word-lexicon aggregates around a mention (see ``_REGIONS``) and polar-word names.

    The mention's and the other targets' own words count as neutral. Returns
    ``(names, values)``: ``X:<region>:<+|->`` and the same with the distance
    (capped at 4) for every clearly polar word (VADER + Pattern beyond
    +-0.1) near the mention, and ``len(_WORD_LEXICONS) * len(_REGIONS) *
    len(_STATS)`` numbers.
    """
    _, starts, ends, _ = token_data(text)
    vs, ps, polar = _valence_data(text, neg_scope)
    a = bisect_right(ends, start)  # first token ending after the mention start
    b = bisect_left(starts, end)  # first token starting at or after the mention end
    b = max(b, a)
    spans = [(s, e) for s, e in others if e <= start or s >= end]
    regions = {r: ([], [], []) for r in _REGIONS}  # vader, pattern, distance
    names = []
    for i in polar:  # tokens without valence add nothing to any region
        if a <= i < b:
            continue
        s, e = starts[i], ends[i]
        if spans and any(s < oe and e > os for os, oe in spans):
            continue
        v, p = vs[i], ps[i]
        if i < a:
            d = a - i
            keys = ("lw", "cl") if d <= window else ("cl",)
            keys = keys if s >= lo else ("rest",)
        else:
            d = i - b + 1
            keys = ("rw", "cr") if d <= window else ("cr",)
            keys = keys if e <= hi else ("rest",)
        for k in keys:
            reg = regions[k]
            reg[0].append(v)
            reg[1].append(p)
            reg[2].append(d)
            if k != "rest" and abs(v + p) > 0.1:
                sign = "+" if v + p > 0 else "-"
                names.append(f"X:{k}:{sign}")
                names.append(f"X:{k}:{sign}:{min(d, 4)}")
    values = []
    for lex in range(len(_WORD_LEXICONS)):
        for r in _REGIONS:
            values += _region_stats(regions[r][lex], regions[r][2])
    return names, values


def target_features(
    text: str, start: int, end: int, others=(), config=None
) -> tuple[list[str], np.ndarray]:
    """Symbolic and numeric features of one target.

    Returns ``(names, numeric)``: ``names`` are feature strings in namespaces
    (``l1=`` / ``r1=`` word at distance 1 left/right of the mention, ``L:`` /
    ``R:`` bag of words left/right inside the window, ``W:`` window n-grams,
    ``C:`` clause words, ``S:`` sentence n-grams, ``X:`` polar lexicon words
    by region and distance), always built from the masked token stream, so
    the mention's own words never appear; ``numeric`` holds ``N_NUMERIC``
    values: the sentence's lexicon scores (VADER compound/pos/neg, TextBlob
    polarity/subjectivity; :func:`lexicon_scores`, shared with sentence scoring)
    and word-lexicon aggregates of the regions around the mention (per-word
    look-ups in the VADER and Pattern lexicons, negation-flipped; no
    analyser is run on parts of the sentence).
    """
    cfg = {**DEFAULT_FEATURE_CONFIG, **(config or {})}
    toks, t = _masked_tokens(text, start, end, others)
    if cfg["negation"]:
        toks = _mark_negation(toks)
    k, near = cfg["window"], cfg["near"]
    left, right = toks[max(0, t - k) : t], toks[t + 1 : t + 1 + k]
    names = ["BIAS"]
    names += [f"l{i}={toks[t - i] if t - i >= 0 else '<s>'}" for i in range(1, near + 1)]
    names += [f"r{i}={toks[t + i] if t + i < len(toks) else '</s>'}" for i in range(1, near + 1)]
    names += ["L:" + w for w in left] + ["R:" + w for w in right]
    names += _ngrams(left + ["TARGET"] + right, 3, "W:")
    lo, hi = target_context(text, start, end, others, cfg["context_words"])
    ctx_toks = _context_masked_tokens(text, start, end, others, lo, hi)
    names += _ngrams(ctx_toks, 2, "C:")
    names += _ngrams(toks, cfg["sentence_ngrams"], "S:")
    lex_names, lex_values = _word_lexicon_features(
        text, start, end, others, lo, hi, k, cfg["neg_scope"]
    )
    names += lex_names
    numeric = np.array(list(lexicon_scores(text)) + lex_values, dtype=np.float64)
    return names, numeric


def _hash_rows(rows: list[list[str]], n_bits: int) -> sp.csr_matrix:
    """Binary hashed bag of feature strings (CRC32: stable across versions and platforms).

    Vectorised: the feature strings of all rows are numbered at once
    (``pd.factorize``), each distinct string is hashed once, and scipy sorts
    each row's columns and merges repeats (``sum_duplicates``). A third
    faster than a Python set per row on 60,000 targets, the same matrix.
    """
    mask = (1 << n_bits) - 1
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    codes, distinct = pd.factorize(np.fromiter(chain.from_iterable(rows), dtype=object, count=int(indptr[-1])))
    crc32 = zlib.crc32
    hashes = np.fromiter((crc32(n.encode("utf-8")) & mask for n in distinct), dtype=np.int64, count=len(distinct))
    X = sp.csr_matrix((np.ones(len(codes)), hashes[codes], indptr), shape=(len(rows), 1 << n_bits))
    X.sum_duplicates()  # sorts each row's columns; a repeated column becomes one entry
    X.data[:] = 1.0
    return X


def design_matrix(texts, starts, ends, others, config, num_mean=None, num_scale=None):
    """Hashed symbolic features next to standardised numeric ones; returns (X, raw numeric)."""
    names, numeric = [], []
    for text, s, e, o in zip(texts, starts, ends, others):
        n, x = target_features(text, int(s), int(e), o, config)
        names.append(n)
        numeric.append(x)
    num = np.asarray(numeric, dtype=np.float64).reshape(len(names), N_NUMERIC)
    if num_mean is None:
        num_mean, num_scale = num.mean(axis=0), num.std(axis=0) + 1e-9
    hashed = _hash_rows(names, config["n_bits"])
    X = sp.hstack([hashed, sp.csr_matrix((num - num_mean) / num_scale)], format="csr")
    return X, num_mean, num_scale


def other_spans_by_text(
    df: pd.DataFrame, text_col: str, start_col: str, end_col: str
) -> list[list[tuple[int, int]]]:
    """For each row, the spans of the other rows with the same sentence text."""
    spans: dict[str, set] = {}
    for text, s, e in zip(df[text_col], df[start_col], df[end_col]):
        spans.setdefault(text, set()).add((int(s), int(e)))
    return [
        sorted(spans[text] - {(int(s), int(e))})
        for text, s, e in zip(df[text_col], df[start_col], df[end_col])
    ]
