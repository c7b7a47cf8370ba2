"""Target-dependent sentiment: the tone a sentence takes toward one actor in it.

Whole-sentence sentiment gives every actor in "Putin praised the deal but
Zelenskyy rejected it" the same score. The functions here score one *target*
(a character span of a sentence) at a time, so that each actor gets the tone of
the words that belong to it.

Four methods (``METHODS``) share one interface, :func:`score_targets`:

``textblob``
    TextBlob (Pattern) polarity of the whole sentence, thresholded.
``vader``
    VADER compound of the whole sentence, thresholds tuned on train.
``window``
    Mean of VADER compound and TextBlob polarity of the target's own clause,
    found by :func:`target_context` (also used by the actor module).
``model`` (default)
    A linear classifier trained on NewsMTSC ``train.jsonl``: hashed n-grams of
    the words left and right of the masked mention, of its clause and of the
    sentence, the sentence's VADER/TextBlob scores, and per-word VADER and
    Pattern lexicon valences (negation-flipped) summed over the regions
    around the mention: no analyser runs on parts of the sentence. Logistic
    regression plus a weighted naive Bayes, merged into one linear model.
    The shipped weights live in
    ``analysis/models/data/target_model.npz`` as plain arrays (no pickled estimator),
    so they load offline under any scikit-learn version; prediction is a
    sparse dot product in numpy/scipy.

:func:`read_newsmtsc` loads the NewsMTSC JSONL format, :func:`evaluate_targets`
reports per-class precision/recall, accuracy, macro-F1 and throughput, and
:func:`train_light_model` rebuilds the shipped model file deterministically.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import time
import zipfile
import zlib
from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import chain, pairwise
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis.config import MODELS_DATA_DIR
from analysis.models.newsmtsc import (
    LABELS,
    metrics_report,
    read_newsmtsc,
    with_probabilities,
)

__all__ = [
    "DEFAULT_METHOD",
    "METHODS",
    "MODEL_PATH",
    "evaluate_targets",
    "load_light_model",
    "read_newsmtsc",
    "score_targets",
    "target_context",
    "target_features",
    "train_light_model",
]

METHODS = ("textblob", "vader", "window", "model")
DEFAULT_METHOD = "model"
MODEL_PATH = MODELS_DATA_DIR / "target_model.npz"
FORMAT_VERSION = 2  # 2: word-lexicon features, LR + naive Bayes coefficients

# Lexicon thresholds: score <= lo -> -1, score >= hi -> +1, else 0.
# Chosen by grid search (step 0.05) for macro-F1 on train.jsonl only, with
# ``tune_lexicon_thresholds``; the dev files were not used. VADER's tuned upper
# cut-off is well above its authors' +0.05 because news prose reads mildly
# positive to VADER even when neutral toward the target.
LEXICON_THRESHOLDS = {
    "textblob": (-0.05, 0.05),
    "vader": (-0.05, 0.35),
    "window": (-0.05, 0.1),
}

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


# --------------------------------------------------------------------------
# Reading data
# --------------------------------------------------------------------------


# --------------------------------------------------------------------------
# Tokens and target context
# --------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*|[^\sA-Za-z0-9]")
# Clause boundaries: a target's tone rarely crosses these. Each pattern
# matches the boundary text itself, which belongs to neither side.
_CLAUSE_RE = re.compile(
    r",?\s+(?:but|while|whereas|although|though|however|yet|even as)\b,?"
    r"|;|:|\s+[-–—]+\s+|\.\s|\?\s|!\s",
    re.IGNORECASE,
)


def _tokens(text: str) -> tuple[tuple[str, int, int], ...]:
    return _token_data(text)[0]


@lru_cache(maxsize=16384)
def _token_data(text: str):
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
def _clause_cuts(text: str) -> tuple[tuple[int, int], ...]:
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
    toks, starts, ends, _ = _token_data(text)
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
    cuts = [(s, e) for s, e in _clause_cuts(text) if e <= start or s >= end]
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


# --------------------------------------------------------------------------
# Lexicon scores
# --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=1)
def _pattern():
    # TextBlob's PatternAnalyzer.analyze builds a new namedtuple class on every
    # call (a quarter of its time); the function it wraps gives the same pair.
    return _textblob_en().sentiment


@lru_cache(maxsize=1)
def _textblob_en():
    """``textblob.en`` (its sentiment lexicon and tokenizer), without importing NLTK when possible.

    ``import textblob.en`` first runs ``textblob/__init__``, which imports
    TextBlob's blob classes and with them NLTK: 1.40 of the 1.41 s the
    import takes here, for nothing the sentiment scorer uses (``textblob.en`` itself
    needs only ``textblob._text``, which is standard library only). Where
    ``textblob`` is not imported yet, a bare package stands in for it while
    a private copy of ``textblob.en`` loads; then every module that load
    added is taken out of ``sys.modules`` again, so a later ``import
    textblob`` is the ordinary one. Anything unexpected (another TextBlob
    layout) falls back to the plain import.
    """
    import importlib
    import importlib.util
    import sys
    import types

    if "textblob" not in sys.modules:
        spec = importlib.util.find_spec("textblob")
        if spec is not None and spec.submodule_search_locations:
            before = set(sys.modules)
            stand_in = types.ModuleType("textblob")
            stand_in.__path__ = list(spec.submodule_search_locations)
            sys.modules["textblob"] = stand_in
            try:
                private = importlib.import_module("textblob.en")
            except Exception:  # noqa: BLE001 - any surprise: the plain import below
                private = None
            finally:
                for name in set(sys.modules) - before:
                    if name == "textblob" or name.startswith("textblob."):
                        del sys.modules[name]
            if private is not None:
                return private
    return importlib.import_module("textblob.en")


@lru_cache(maxsize=65536)
def lexicon_scores(text: str) -> tuple[float, float, float, float, float]:
    """(vader compound, vader pos, vader neg, textblob polarity, subjectivity).

    Cached because the same sentence is scored once per target in it.
    """
    if not text.strip():
        return (0.0, 0.0, 0.0, 0.0, 0.0)
    v = _vader().polarity_scores(text)
    pol, subj = _pattern()(text)
    return (float(v["compound"]), float(v["pos"]), float(v["neg"]), float(pol), float(subj))


def threshold_labels(scores: np.ndarray, lo: float, hi: float) -> np.ndarray:
    return np.where(scores <= lo, -1, np.where(scores >= hi, 1, 0)).astype("int64")


def _lexicon_score(method: str, text: str, start: int, end: int, others) -> float:
    """Score in [-1, 1] of one target for a lexicon method."""
    if method == "textblob":
        return lexicon_scores(text)[3]
    if method == "vader":
        return lexicon_scores(text)[0]
    lo, hi = target_context(text, start, end, others)
    lex = lexicon_scores(text[lo:hi])
    return (lex[0] + lex[3]) / 2.0


def tune_lexicon_thresholds(train_path, method: str) -> tuple[float, float]:
    """Grid-search (lo, hi) cut-offs of a lexicon method for macro-F1 on a file.

    Used on train.jsonl only to set ``LEXICON_THRESHOLDS``.
    """
    from sklearn.metrics import f1_score

    df = read_newsmtsc(train_path)
    others = _other_spans_by_text(df, "text", "start", "end")
    scores = np.array(
        [
            _lexicon_score(method, t, s, e, o)
            for t, s, e, o in zip(df.text, df.start, df.end, others)
        ]
    )
    grid = np.round(np.arange(-0.5, 0.51, 0.05), 2)
    best = max(
        (
            (f1_score(df.label, threshold_labels(scores, lo, hi), average="macro"), lo, hi)
            for lo in grid
            for hi in grid
            if hi > lo
        ),
    )
    return float(best[1]), float(best[2])


# --------------------------------------------------------------------------
# Model features
# --------------------------------------------------------------------------

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
    _, starts, ends, norm = _token_data(text)
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
    _, starts, ends, norm = _token_data(text)
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
    sentiment = _pattern()
    vader = {w: float(v) / 4.0 for w, v in _vader().lexicon.items()}
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

    Cached like :func:`_token_data`: every target of a sentence reuses it.
    Most tokens have no valence, and the word-lexicon features skip those:
    their loop visits the few polar positions only.
    """
    vader, pattern = _word_lexicons()
    norm = _token_data(text)[3]
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
    _, starts, ends, _ = _token_data(text)
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


def _design_matrix(texts, starts, ends, others, config, num_mean=None, num_scale=None):
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


def _other_spans_by_text(
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


# --------------------------------------------------------------------------
# Model file: plain arrays only
# --------------------------------------------------------------------------


def _sha256(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_light_model(path=None) -> dict:
    """Load a model file written by :func:`train_light_model`.

    Returns a dict with ``coef`` (3 x n_features float64), ``intercept`` (3,),
    ``classes`` (-1, 0, 1), ``num_mean`` / ``num_scale`` (numeric feature
    standardisation), ``config`` (feature settings) and ``meta`` (format
    version, training sha256, cross-validation and dev figures).
    """
    return _load_model_cached(str(path or MODEL_PATH))


@lru_cache(maxsize=4)
def _load_model_cached(path: str) -> dict:
    with np.load(path, allow_pickle=False) as z:
        meta = json.loads(str(z["meta"]))
        if meta.get("format_version") != FORMAT_VERSION:
            raise ValueError(
                f"{path}: model format {meta.get('format_version')} is not {FORMAT_VERSION}"
            )
        return {
            "coef": z["coef"].astype(np.float64),
            "intercept": z["intercept"].astype(np.float64),
            "classes": z["classes"].astype(np.int64),
            "num_mean": z["num_mean"],
            "num_scale": z["num_scale"],
            "config": meta["config"],
            "meta": meta,
        }


def _predict_proba(model: dict, X: sp.csr_matrix) -> np.ndarray:
    """Multinomial logistic probabilities, columns in ``LABELS`` order."""
    z = np.asarray(X @ model["coef"].T) + model["intercept"]
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    order = [list(model["classes"]).index(c) for c in LABELS]
    return p[:, order]


def _fit_logreg(X, y, C: float, seed: int):
    from sklearn.linear_model import LogisticRegression

    # newton-cg: same optimum as lbfgs here, in a third of the time.
    clf = LogisticRegression(
        C=C, class_weight="balanced", solver="newton-cg", max_iter=3000, tol=1e-4,
        random_state=seed,
    )
    return clf.fit(X, y)


def _fit_nb(X, y, alpha: float):
    from sklearn.naive_bayes import MultinomialNB

    return MultinomialNB(alpha=alpha).fit(X, y)


def _combine(lr, nb, weight: float, n_hashed: int) -> tuple[np.ndarray, np.ndarray]:
    """One linear model from LR logits plus ``weight`` x naive-Bayes log joint.

    ``argmax(lr logits + weight * NB log-likelihood)`` is a product of the two
    experts; both are linear in the features, so their sum is one
    (coef, intercept) pair. NB sees only the ``n_hashed`` binary columns.
    Each column is centred across the classes (softmax is unchanged by a
    per-feature constant), so unseen hashed columns are exactly 0.
    """
    coef = lr.coef_.astype(np.float64).copy()
    intercept = lr.intercept_.astype(np.float64).copy()
    if nb is not None and weight:
        coef[:, :n_hashed] += weight * nb.feature_log_prob_
        intercept += weight * nb.class_log_prior_
    coef -= coef.mean(axis=0, keepdims=True)
    return coef, intercept - intercept.mean()


def train_light_model(
    train_path,
    out_path=None,
    seed: int = 0,
    C_grid=(0.03, 0.1, 0.3),
    nb_alpha_grid=(0.3, 1.0),
    nb_weight_grid=(0.0, 0.05, 0.1, 0.2),
    config=None,
    dev_paths=(),
) -> dict:
    """Train the ``model`` method on a NewsMTSC file and write it as plain arrays.

    The model is a multinomial logistic regression (``C``) whose logits are
    summed with ``nb_weight`` times the log-likelihood of a multinomial naive
    Bayes (smoothing ``nb_alpha``) on the hashed features; both are linear,
    so the file holds one coefficient matrix. ``C``, ``nb_alpha`` and
    ``nb_weight`` are chosen by 5-fold cross-validation (macro-F1) on the
    training file only, with folds stratified by label and grouped by
    sentence (targets of one sentence never sit on both sides of a fold).
    The final model is refit on all of it, and the numeric feature scaling
    is fitted on the training rows. ``dev_paths`` are only scored, to store
    their figures in the file's metadata (the shipped-model test checks
    them). Deterministic: the same file, seed and settings give a
    byte-identical ``out_path`` (default ``MODEL_PATH``).

    Returns the metadata dict: ``C``, ``nb_alpha``, ``nb_weight``,
    ``cv_macro_f1`` per setting, ``train_sha256``, ``n_train``, ``config``
    and ``dev`` (macro-F1/accuracy per dev file).
    """
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedGroupKFold

    cfg = {**DEFAULT_FEATURE_CONFIG, **(config or {})}
    df = read_newsmtsc(train_path)
    others = _other_spans_by_text(df, "text", "start", "end")
    X, num_mean, num_scale = _design_matrix(df.text, df.start, df.end, others, cfg)
    y = df.label.to_numpy()
    n_hashed = 1 << cfg["n_bits"]
    groups = pd.factorize(df.text)[0]
    folds = list(
        StratifiedGroupKFold(5, shuffle=True, random_state=seed).split(np.zeros(len(y)), y, groups)
    )
    labels = np.asarray(LABELS)
    cv = {}
    for C in C_grid:
        # out-of-fold LR logits and NB log-likelihoods, per fold
        logits = np.zeros((len(y), 3))
        nb_ll = {a: np.zeros((len(y), 3)) for a in nb_alpha_grid}
        for tr, te in folds:
            lr = _fit_logreg(X[tr], y[tr], C, seed)
            assert list(lr.classes_) == list(LABELS)
            logits[te] = lr.decision_function(X[te])
            for alpha in nb_alpha_grid:
                nb = _fit_nb(X[tr][:, :n_hashed], y[tr], alpha)
                nb_ll[alpha][te] = nb.predict_joint_log_proba(X[te][:, :n_hashed])
        for alpha in nb_alpha_grid:
            for w in nb_weight_grid:
                pred = labels[(logits + w * nb_ll[alpha]).argmax(axis=1)]
                cv[(C, alpha, w)] = float(f1_score(y, pred, average="macro"))
    # ties go to the stronger regulariser, then to the smaller NB weight
    best_C, best_alpha, best_w = max(cv, key=lambda k: (round(cv[k], 6), -k[0], -k[2], k[1]))
    lr = _fit_logreg(X, y, best_C, seed)
    nb = _fit_nb(X[:, :n_hashed], y, best_alpha) if best_w else None
    coef, intercept = _combine(lr, nb, best_w, n_hashed)

    meta = {
        "format_version": FORMAT_VERSION,
        "kind": "multinomial logistic regression + weighted multinomial naive Bayes (one linear"
        " model) on crc32-hashed features + standardised lexicon scores",
        "train_file": Path(train_path).name,
        "train_sha256": _sha256(train_path),
        "n_train": len(y),
        "seed": seed,
        "C": best_C,
        "nb_alpha": best_alpha,
        "nb_weight": best_w,
        "cv": "5-fold, stratified by label, grouped by sentence, on the training file",
        "cv_macro_f1": {f"C={c} nb_alpha={a} nb_weight={w}": round(v, 4) for (c, a, w), v in cv.items()},
        "cv_best_macro_f1": round(cv[(best_C, best_alpha, best_w)], 4),
        "config": cfg,
        "n_numeric": N_NUMERIC,
        "dev": {},
    }
    model = {
        # Rounded to float32 before scoring dev so the stored figures are
        # exactly what the saved (float32) file reproduces.
        "coef": coef.astype(np.float32).astype(np.float64),
        "intercept": intercept,
        "classes": np.asarray(LABELS, dtype=np.int64),
        "num_mean": num_mean,
        "num_scale": num_scale,
        "config": cfg,
        "meta": meta,
    }
    for dev in dev_paths:
        _, metrics = _evaluate_df(read_newsmtsc(dev), "model", model)
        meta["dev"][Path(dev).name] = {k: round(metrics[k], 4) for k in ("macro_f1", "accuracy")}
    _save_model(model, out_path or MODEL_PATH)
    return meta


def _save_model(model: dict, out_path) -> None:
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    # np.savez_compressed stamps the current time into the zip; writing the
    # same .npy members with a fixed date makes the same model the same bytes.
    arrays = {
        "coef": model["coef"].astype(np.float32),
        "intercept": model["intercept"],
        "classes": model["classes"],
        "num_mean": model["num_mean"],
        "num_scale": model["num_scale"],
        "meta": np.array(json.dumps(model["meta"], sort_keys=True)),
    }
    with zipfile.ZipFile(out_path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, arr in arrays.items():
            buf = io.BytesIO()
            np.save(buf, arr, allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buf.getvalue())
    _load_model_cached.cache_clear()


# --------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------


def validation(method: str = DEFAULT_METHOD, folder=None, store=None) -> pd.DataFrame:
    """How ``method`` scores on the NewsMTSC dev files: one row per file.

    Columns ``dev set`` (file stem), ``method``, ``n``, ``macro_f1``,
    ``accuracy``. ``folder`` defaults to the project's ``data/newsmtsc``.
    The notebooks print this beside every tone figure. The table depends only
    on the method, its model file and the dev files, so with a ``store``
    (an ``analysis.run.cache.Cache``, or anything with its ``get_many`` and
    ``put_many``) it is kept under their hashes; the transformer is always
    scored afresh. ``analysis.validation`` is this with the default cache.
    """
    from analysis.config import EVAL_DIR
    from analysis.config import VERSION as __version__
    from analysis.hashing import file_hash
    from analysis.hashing import key as cache_key

    paths = sorted(Path(folder or EVAL_DIR).glob("*_dev.jsonl"))
    store = store if method in METHODS else None
    if store is not None:
        model = file_hash(MODEL_PATH) if method == "model" else None
        k = cache_key("validation", __version__, FORMAT_VERSION, method, model, [(p.name, file_hash(p)) for p in paths])
        stored = store.get_many("validation", [k]).get(k)
        if stored is not None:
            return stored
    rows = []
    for path in paths:
        metrics = evaluate_targets(path, method)[1]
        rows.append({"dev set": path.stem, **{k: metrics[k] for k in ("method", "n", "macro_f1", "accuracy")}})
    table = pd.DataFrame(rows, columns=["dev set", "method", "n", "macro_f1", "accuracy"])
    if store is not None:
        store.put_many("validation", {k: table}, keep=8)
    return table


def validation_line(table: pd.DataFrame) -> str:
    """``"mt_dev 0.62, rw_dev 0.67"``: the macro-F1 of a ``validation`` table, for a figure's source line."""
    return ", ".join(f"{name} {f1:.2f}" for name, f1 in zip(table["dev set"], table["macro_f1"]))


def score_targets(
    df: pd.DataFrame,
    text_col: str = "text",
    start_col: str = "start",
    end_col: str = "end",
    method: str = DEFAULT_METHOD,
    other_spans_col: str | None = None,
    model: dict | None = None,
) -> pd.DataFrame:
    """Tone of each row's sentence toward its target span.

    Input columns: ``text_col`` (str sentence), ``start_col`` / ``end_col``
    (int character offsets of the mention, end exclusive) and optionally
    ``other_spans_col`` (list of ``(start, end)`` of the other targets in the
    same sentence). Without it, rows that share a sentence text are taken to
    be each other's other targets.

    Returns a copy of ``df`` with added columns:
        ``target_label`` (int): -1 negative, 0 neutral, 1 positive.
        ``target_score`` (float in [-1, 1]): ``p_pos - p_neg`` for ``model``;
            the lexicon score (sentence or clause) for the other methods.
        ``p_neg``, ``p_neu``, ``p_pos`` (float in [0, 1], sum 1): ``model`` only.
    The input is not modified. ``analysis.models.scorers`` puts every method,
    the optional transformer among them, behind one interface.
    """
    if method not in METHODS:  # the transformer and any other method: analysis.models.scorers
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    out = df.copy()
    if other_spans_col is None:
        others = _other_spans_by_text(df, text_col, start_col, end_col)
    else:
        others = [
            [(int(s), int(e)) for s, e in (spans if spans is not None else ())]
            for spans in df[other_spans_col]
        ]
    texts, starts, ends = (
        df[text_col].astype(str).tolist(),
        df[start_col].tolist(),
        df[end_col].tolist(),
    )
    if method == "model":
        model = model or load_light_model()
        X, _, _ = _design_matrix(
            texts, starts, ends, others, model["config"], model["num_mean"], model["num_scale"]
        )
        proba = _predict_proba(model, X) if len(texts) else np.zeros((0, 3))
        return with_probabilities(out, proba)
    scores = np.array(
        [
            _lexicon_score(method, t, int(s), int(e), o)
            for t, s, e, o in zip(texts, starts, ends, others)
        ],
        dtype=np.float64,
    )
    out["target_label"] = threshold_labels(scores, *LEXICON_THRESHOLDS[method])
    out["target_score"] = np.clip(scores, -1.0, 1.0)
    return out


# --------------------------------------------------------------------------
# Evaluation and CLI
# --------------------------------------------------------------------------


def _evaluate_df(df: pd.DataFrame, method: str, model: dict | None = None) -> tuple[str, dict]:
    # Throughput is per target: load the analysers and model (one-off costs)
    # before the clock starts, but clear the score cache so sentences are new.
    _vader()
    _pattern()
    if method == "model" and model is None:
        model = load_light_model()
    lexicon_scores.cache_clear()
    _token_data.cache_clear()
    _clause_cuts.cache_clear()
    t0 = time.perf_counter()
    scored = score_targets(df, method=method, model=model)
    seconds = time.perf_counter() - t0
    return metrics_report(method, df.label.to_numpy(), scored.target_label.to_numpy(), seconds)


def evaluate_targets(path, method: str = DEFAULT_METHOD) -> tuple[str, dict]:
    """Score a NewsMTSC file with ``method`` and compare with its labels.

    Returns ``(report, metrics)``. ``metrics`` has ``n``, ``accuracy``,
    ``macro_f1`` (both in [0, 1]), ``targets_per_s`` (scoring throughput,
    lexicon caches cleared first) and ``per_class`` precision/recall/f1/n.
    The report's last line is ``F1m=0.xxx accuracy=0.xxx n=N``.
    """
    return _evaluate_df(read_newsmtsc(path), method)


