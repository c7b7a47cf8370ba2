"""Tone toward actors: how each mention is framed, and averages by outlet and voice.

For every mention (``analysis.actors.find_mentions``) three kinds of score:

- **sentence**: TextBlob (Pattern) polarity in [-1, 1] and subjectivity in
  [0, 1], and VADER compound in [-1, 1], of the whole sentence. Every actor
  in a sentence gets the same value.
- **context**: the same three scores on the mention's own clause, found by
  ``analysis.targets.target_context`` (cut at clause boundaries and at the
  other actors of the sentence).
- **target**: ``analysis.targets.score_targets`` with ``method`` (default
  ``"model"``, the method validated on NewsMTSC): ``target_label`` in
  {-1, 0, 1}, ``target_score`` in [-1, 1] and, for the model, the class
  probabilities. ``target_method`` says which method produced them.

Words inside a quotation are the speaker's, not the outlet's, so each mention
carries ``voice``: ``"quoted"`` when it is inside a direct quotation,
``"outlet"`` otherwise, and every aggregate keeps the two apart.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import targets
from .stats import DEFAULT_MIN_N, summarize

__all__ = [
    "DEFAULT_METHOD",
    "MEASURES",
    "compare_lexicons",
    "lexicon_scores",
    "mention_tone",
    "score_sentences",
    "summarize_tone",
]

DEFAULT_METHOD = targets.DEFAULT_METHOD

# Aggregated measures and the method behind each; "target" is filled in from the data.
MEASURES = {
    "target_score": "target",
    "sentence_polarity": "textblob",
    "sentence_vader": "vader",
    "context_polarity": "textblob",
    "context_vader": "vader",
    "sentence_subjectivity": "textblob",
}

_LEXICON_COLUMNS = ["polarity", "subjectivity", "vader"]


def lexicon_scores(texts) -> pd.DataFrame:
    """TextBlob polarity ([-1, 1]) and subjectivity ([0, 1]) and VADER compound ([-1, 1]).

    One row per input text, same order; each distinct text is scored once.

    >>> lexicon_scores(["A wonderful, brave decision."]).round(2).iloc[0].tolist()
    [0.9, 1.0, 0.8]
    """
    from textblob.en.sentiments import PatternAnalyzer
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    texts = [str(t) for t in texts]
    pattern, vader = PatternAnalyzer(), SentimentIntensityAnalyzer()
    cache: dict[str, tuple[float, float, float]] = {}
    for text in dict.fromkeys(texts):
        sentiment = pattern.analyze(text)
        cache[text] = (float(sentiment[0]), float(sentiment[1]), float(vader.polarity_scores(text)["compound"]))
    return pd.DataFrame([cache[t] for t in texts], columns=_LEXICON_COLUMNS, dtype="float64")


def score_sentences(df: pd.DataFrame, text_col: str = "text") -> pd.DataFrame:
    """Copy of ``df`` with ``polarity``, ``subjectivity`` and ``vader`` of ``text_col`` (see ``lexicon_scores``)."""
    out = df.copy()
    scores = lexicon_scores(out[text_col].tolist())
    for col in _LEXICON_COLUMNS:
        out[col] = scores[col].to_numpy()
    return out


def mention_tone(mentions: pd.DataFrame, sentences: pd.DataFrame, method: str = DEFAULT_METHOD) -> pd.DataFrame:
    """Tone of each mention: sentence, clause and target-aware scores.

    ``mentions`` from ``find_mentions``; ``sentences`` is ``corpus.sentences``.
    Returns a copy of ``mentions`` with added columns:

    - ``sentence_text``; ``context_start``, ``context_end`` (offsets in the
      sentence) and ``context`` (the clause text);
    - ``sentence_polarity``, ``sentence_subjectivity``, ``sentence_vader``,
      ``context_polarity``, ``context_subjectivity``, ``context_vader``
      (TextBlob polarity and VADER compound in [-1, 1], subjectivity in [0, 1]);
    - ``target_method``, ``target_label`` (-1/0/1), ``target_score`` ([-1, 1]),
      ``p_neg``, ``p_neu``, ``p_pos`` (NaN unless ``method == "model"``);
    - ``voice``: ``"quoted"`` inside a direct quotation, else ``"outlet"``.
    """
    keys = ["article_id", "paragraph", "sentence"]
    out = mentions.reset_index(drop=True).copy()
    texts = sentences.set_index(keys)["text"]
    out["sentence_text"] = texts.reindex(pd.MultiIndex.from_frame(out[keys])).to_numpy()
    spans = list(zip(out["start"], out["end"], out["actor"]))
    groups = out.groupby(keys, sort=False).indices
    others = [None] * len(out)
    for idx in groups.values():
        for i in idx:
            others[i] = [(spans[j][0], spans[j][1]) for j in idx if spans[j][2] != spans[i][2]]
    contexts = [targets.target_context(t, s, e, o) for t, s, e, o in zip(out["sentence_text"], out["start"], out["end"], others)]
    out["context_start"] = np.array([c[0] for c in contexts], dtype="int64")
    out["context_end"] = np.array([c[1] for c in contexts], dtype="int64")
    out["context"] = pd.array([t[a:b] for t, (a, b) in zip(out["sentence_text"], contexts)], dtype="string")
    for prefix, col in (("sentence", "sentence_text"), ("context", "context")):
        scores = lexicon_scores(out[col].tolist())
        for name in _LEXICON_COLUMNS:
            out[f"{prefix}_{name}"] = scores[name].to_numpy()
    out["_others"] = others
    scored = targets.score_targets(out, text_col="sentence_text", start_col="start", end_col="end",
                                   method=method, other_spans_col="_others")
    out = out.drop(columns="_others")
    out["target_method"] = pd.array([method] * len(out), dtype="string")
    out["target_label"] = scored["target_label"].to_numpy().astype("int64")
    out["target_score"] = scored["target_score"].to_numpy().astype("float64")
    for col in ("p_neg", "p_neu", "p_pos"):
        out[col] = scored[col].to_numpy().astype("float64") if col in scored else np.nan
    out["voice"] = pd.array(np.where(out["in_quote"], "quoted", "outlet"), dtype="string")
    return out


def summarize_tone(
    tone: pd.DataFrame,
    by=("name", "outlet"),
    measures=("target_score",),
    min_n: int = DEFAULT_MIN_N,
) -> pd.DataFrame:
    """Mean tone per group and voice, with n and bootstrap 95% interval.

    ``by`` is e.g. ``("name", "outlet")`` or ``("name", "article_id")``;
    ``measures`` are columns of ``mention_tone`` (see ``MEASURES``). Returns
    long format: the ``by`` columns, ``voice`` (outlet | quoted),
    ``measure``, ``method`` (the scorer behind the measure), ``n``, ``mean``,
    ``ci_low``, ``ci_high``, ``small_n`` (True where ``n < min_n``: shown, not
    to be read as a finding). Built on ``analysis.stats.summarize``.
    """
    keys = list(by) + ["voice"]
    parts = []
    for measure in measures:
        part = summarize(tone, keys, measure, min_n=min_n)
        method = MEASURES.get(measure, measure)
        if method == "target":
            method = "|".join(sorted(tone["target_method"].dropna().unique())) or DEFAULT_METHOD
        part.insert(len(keys) + 1, "method", method)
        parts.append(part)
    columns = keys + ["measure", "method", "n", "mean", "ci_low", "ci_high", "small_n"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def _label(values: pd.Series, band: float) -> pd.Series:
    return pd.Series(np.select([values > band, values < -band], ["positive", "negative"], "neutral"), index=values.index)


def compare_lexicons(tone: pd.DataFrame, scope: str = "sentence", band: float = 0.05) -> pd.DataFrame:
    """Where TextBlob and VADER agree and disagree, one row per distinct text.

    ``scope`` is ``"sentence"`` or ``"context"``. A score above ``band`` is
    positive, below ``-band`` negative, else neutral (VADER's own cut-off,
    applied to both). Returns ``article_id``, ``outlet``, ``text``,
    ``actors`` (names mentioned, "; "-joined), ``textblob``, ``vader``,
    ``textblob_label``, ``vader_label``, ``agree`` (bool), ``gap``
    (``vader - textblob``), sorted by ``|gap|`` descending.
    """
    text_col = "sentence_text" if scope == "sentence" else "context"
    grouped = tone.groupby(["article_id", text_col], sort=False)
    out = grouped.agg(outlet=("outlet", "first"), actors=("name", lambda s: "; ".join(dict.fromkeys(s))),
                      textblob=(f"{scope}_polarity", "first"), vader=(f"{scope}_vader", "first")).reset_index()
    out = out.rename(columns={text_col: "text"})
    out["textblob_label"] = _label(out["textblob"], band)
    out["vader_label"] = _label(out["vader"], band)
    out["agree"] = out["textblob_label"] == out["vader_label"]
    out["gap"] = out["vader"] - out["textblob"]
    out = out.iloc[np.argsort(-out["gap"].abs().to_numpy(), kind="stable")].reset_index(drop=True)
    return out[["article_id", "outlet", "text", "actors", "textblob", "vader", "textblob_label",
                "vader_label", "agree", "gap"]]
