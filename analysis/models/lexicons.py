"""The sentiment lexicons (VADER, TextBlob's Pattern) scored on a sentence or on a target's clause."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from analysis.models.context import target_context

__all__ = ["LEXICON_THRESHOLDS", "lexicon_scores", "lexicon_target_score", "pattern_analyzer", "threshold_labels", "vader_analyzer"]

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


# Lexicon scores


@lru_cache(maxsize=1)
def vader_analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=1)
def pattern_analyzer():
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
    v = vader_analyzer().polarity_scores(text)
    pol, subj = pattern_analyzer()(text)
    return (float(v["compound"]), float(v["pos"]), float(v["neg"]), float(pol), float(subj))


def threshold_labels(scores: np.ndarray, lo: float, hi: float) -> np.ndarray:
    return np.where(scores <= lo, -1, np.where(scores >= hi, 1, 0)).astype("int64")


def lexicon_target_score(method: str, text: str, start: int, end: int, others) -> float:
    """Score in [-1, 1] of one target for a lexicon method."""
    if method == "textblob":
        return lexicon_scores(text)[3]
    if method == "vader":
        return lexicon_scores(text)[0]
    lo, hi = target_context(text, start, end, others)
    lex = lexicon_scores(text[lo:hi])
    return (lex[0] + lex[3]) / 2.0


