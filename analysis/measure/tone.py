"""Tone toward actors: how each mention is framed, and averages by outlet and voice.

For every mention (``analysis.measure.actors.find_mentions``) three kinds of score:

- **sentence**: TextBlob (Pattern) polarity in [-1, 1] and subjectivity in
  [0, 1], and VADER compound in [-1, 1], of the whole sentence. Every actor
  in a sentence gets the same value.
- **context** (only with ``clause_lexicons=True``): the same three scores
  on the mention's own clause, found by ``analysis.models.targets.target_context``
  (cut at clause boundaries and at the other actors of the sentence). Off by
  default: it doubles the lexicon work, and the target-aware method below,
  which reads the clause word by word, is the validated measure.
- **target**: the scorer ``method`` of ``analysis.models.scorers`` (default
  ``scorers.best_available()``: the fine-tuned ``"transformer"`` when its
  extra is installed, else the light ``"model"``; both validated on
  NewsMTSC): ``target_label`` in {-1, 0, 1}, ``target_score`` in [-1, 1]
  and, for the two models, the class probabilities. ``target_method`` says
  which method produced them.

Words inside a quotation are the speaker's, not the outlet's, so each mention
carries ``voice``: ``"quoted"`` when it is inside a direct quotation,
``"outlet"`` otherwise, and every aggregate keeps the two apart.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.measure.stats import DEFAULT_MIN_N, summarize
from analysis.models import scorers, targets

__all__ = [
    "MEASURES",
    "compare_lexicons",
    "compare_methods",
    "confident_disagreements",
    "method_agreement",
    "lexicon_scores",
    "mention_tone",
    "score_sentences",
    "summarize_tone",
]

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
    scores = [_sentence_lexicons(str(t)) for t in texts]
    return pd.DataFrame(scores, columns=_LEXICON_COLUMNS, dtype="float64")


def _sentence_lexicons(text: str) -> tuple[float, float, float]:
    """(polarity, subjectivity, vader) of ``text``.

    Read from ``analysis.models.targets``' cached scorer, which the target model
    calls on the same sentences and clauses: sharing it means a text is
    scored once, not once here and again for the model. The same analysers
    and values as scoring with TextBlob's ``PatternAnalyzer`` and VADER
    directly (whitespace-only text scores 0 either way).
    """
    compound, _, _, polarity, subjectivity = targets.lexicon_scores(text)
    return polarity, subjectivity, compound


def score_sentences(df: pd.DataFrame, text_col: str = "text") -> pd.DataFrame:
    """Copy of ``df`` with ``polarity``, ``subjectivity`` and ``vader`` of ``text_col`` (see ``lexicon_scores``)."""
    out = df.copy()
    scores = lexicon_scores(out[text_col].tolist())
    for col in _LEXICON_COLUMNS:
        out[col] = scores[col].to_numpy()
    return out


# Targets scored per call of ``score_targets``. Before each batch its
# sentences and clauses are scored here, so the model's own lexicon look-ups
# of them hit ``targets.lexicon_scores``'s bounded cache instead of scoring again.
_BATCH = 2048


def mention_tone(mentions: pd.DataFrame, sentences: pd.DataFrame, method: str | None = None,
                 clause_lexicons: bool = False) -> pd.DataFrame:
    """Tone of each mention: sentence and target-aware scores (and clause lexicon scores on request).

    ``mentions`` from ``find_mentions``; ``sentences`` is ``corpus.sentences``.
    Returns a copy of ``mentions`` with added columns:

    - ``sentence_text``; ``context_start``, ``context_end`` (offsets in the
      sentence) and ``context`` (the clause text);
    - ``sentence_polarity``, ``sentence_subjectivity``, ``sentence_vader``
      (TextBlob polarity and VADER compound in [-1, 1], subjectivity in [0, 1]),
      and with ``clause_lexicons`` the same of the clause: ``context_polarity``,
      ``context_subjectivity``, ``context_vader``;
    - ``target_method`` (``method``, or the default ``scorers.best_available()`` when None),
      ``target_label`` (-1/0/1), ``target_score`` ([-1, 1]), ``p_neg``, ``p_neu``,
      ``p_pos`` (NaN for the lexicon methods);
    - ``voice``: ``"quoted"`` inside a direct quotation, else ``"outlet"``.

    Each distinct text is scored once, and each distinct target (same
    sentence, span and other actors' spans, as in a repeated wire sentence)
    goes through the model once: the scores depend on nothing else.
    """
    # Long by design: the batches of distinct targets and the caches of distinct texts that make it
    # fast at 10,000 articles live together; the benchmark's tone stage times it.
    scorer = scorers.get(method)  # an unknown method: ValueError naming the choices, before any work
    keys = ["article_id", "paragraph", "sentence"]
    base = mentions.reset_index(drop=True)
    text_of = dict(zip(zip(*(sentences[k].tolist() for k in keys)), sentences["text"].tolist()))
    # NaN for a mention whose sentence is not in ``sentences``, as a reindex would give
    sentence_texts = [text_of.get(k, np.nan) for k in zip(*(base[k].tolist() for k in keys))]
    starts, ends, actors = base["start"].tolist(), base["end"].tolist(), base["actor"].tolist()
    by_sentence: dict[tuple, list[int]] = {}
    for i, k in enumerate(zip(*(base[k].tolist() for k in keys))):
        by_sentence.setdefault(k, []).append(i)
    others: list = [None] * len(base)
    for idx in by_sentence.values():
        for i in idx:
            others[i] = [(starts[j], ends[j]) for j in idx if actors[j] != actors[i]]

    # One entry per distinct target; rows point at theirs.
    target_of: dict[tuple, int] = {}
    row_target = []
    for t, s, e, o in zip(sentence_texts, starts, ends, others):
        key = (t, s, e, tuple(o))
        if key not in target_of:
            target_of[key] = len(target_of)
        row_target.append(target_of[key])
    distinct = list(target_of)
    spans: list[tuple[int, int]] = []
    contexts: list[str] = []

    lex: dict[str, tuple[float, float, float]] = {}
    target_scores = []
    for lo in range(0, max(len(distinct), 1), _BATCH):
        batch = range(lo, min(lo + _BATCH, len(distinct)))
        # Each batch's clauses just before its model features, which ask for the same
        # clauses and tokens: they are still in the bounded caches of ``targets``.
        for i in batch:
            t, s, e, o = distinct[i]
            a, b = targets.target_context(t, s, e, list(o))
            spans.append((a, b))
            contexts.append(t[a:b])
        for i in batch:
            for text in (str(distinct[i][0]), contexts[i]) if clause_lexicons else (str(distinct[i][0]),):
                if text not in lex:
                    lex[text] = _sentence_lexicons(text)
        frame = pd.DataFrame({
            "sentence_text": [distinct[i][0] for i in batch],
            "start": pd.array([distinct[i][1] for i in batch], dtype="int64"),
            "end": pd.array([distinct[i][2] for i in batch], dtype="int64"),
            "_others": [list(distinct[i][3]) for i in batch],
        })
        scored = scorer.score(frame, text_col="sentence_text", start_col="start", end_col="end",
                              other_spans_col="_others")
        target_scores.append({col: scored[col].to_numpy() for col in
                              ("target_label", "target_score", "p_neg", "p_neu", "p_pos") if col in scored})

    def target_column(col):
        if col not in target_scores[0]:
            return np.full(len(base), np.nan)
        return np.concatenate([b[col] for b in target_scores])[np.asarray(row_target, dtype=np.intp)]

    # New columns in output order, added in one go (one DataFrame, not one insert each).
    new = {
        "sentence_text": np.array(sentence_texts, dtype=object),
        "context_start": np.array([spans[i][0] for i in row_target], dtype="int64"),
        "context_end": np.array([spans[i][1] for i in row_target], dtype="int64"),
        "context": pd.array([contexts[i] for i in row_target], dtype="string"),
    }
    scopes = [("sentence", [str(t) for t in sentence_texts])]
    if clause_lexicons:
        scopes.append(("context", [contexts[i] for i in row_target]))
    for prefix, texts_of_rows in scopes:
        scores = np.array([lex[t] for t in texts_of_rows], dtype="float64").reshape(len(base), len(_LEXICON_COLUMNS))
        for k, name in enumerate(_LEXICON_COLUMNS):
            new[f"{prefix}_{name}"] = scores[:, k]
    new["target_method"] = pd.array([scorer.name] * len(base), dtype="string")
    new["target_label"] = target_column("target_label").astype("int64")
    new["target_score"] = target_column("target_score").astype("float64")
    for col in ("p_neg", "p_neu", "p_pos"):
        new[col] = target_column(col).astype("float64")
    new["voice"] = pd.array(np.where(base["in_quote"], "quoted", "outlet"), dtype="string")
    if set(new) & set(base.columns):  # re-scoring an earlier result: replace its columns in place
        out = base.copy()
        for col, values in new.items():
            out[col] = values
        return out
    return pd.concat([base, pd.DataFrame(new, index=base.index)], axis=1)


def summarize_tone(
    tone: pd.DataFrame,
    by=("name", "outlet"),
    measures=("target_score",),
    min_n: int = DEFAULT_MIN_N,
    memo: dict | None = None,
) -> pd.DataFrame:
    """Mean tone per group and voice, with n and bootstrap 95% interval.

    ``by`` is e.g. ``("name", "outlet")`` or ``("name", "article_id")``;
    ``measures`` are columns of ``mention_tone`` (see ``MEASURES``). Returns
    long format: the ``by`` columns, ``voice`` (outlet | quoted),
    ``measure``, ``method`` (the scorer behind the measure), ``n``, ``mean``,
    ``ci_low``, ``ci_high``, ``small_n`` (True where ``n < min_n``: shown, not
    to be read as a finding). Built on ``analysis.measure.stats.summarize`` (whose
    ``memo`` reuses the intervals of cells that did not change).
    """
    keys = list(by) + ["voice"]
    parts = []
    for measure in measures:
        part = summarize(tone, keys, measure, min_n=min_n, memo=memo)
        method = MEASURES.get(measure, measure)
        if method == "target":
            method = "|".join(sorted(tone["target_method"].dropna().unique())) or scorers.best_available()
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
    if f"{scope}_vader" not in tone:
        raise ValueError(f"no {scope} lexicon scores in this table: use mention_tone(..., clause_lexicons=True)")
    text_col = "sentence_text" if scope == "sentence" else "context"
    grouped = tone.groupby(["article_id", text_col], sort=False)
    out = grouped.agg(outlet=("outlet", "first"), textblob=(f"{scope}_polarity", "first"),
                      vader=(f"{scope}_vader", "first")).reset_index()
    group = grouped.ngroup().to_numpy()  # NaN where a key is missing: such rows are in no group, as above
    kept = ~np.isnan(group)
    out["actors"] = pd.array(_names_per_group(group[kept].astype(np.int64), tone["name"].to_numpy()[kept], len(out)),
                             dtype=tone["name"].dtype)
    out = out.rename(columns={text_col: "text"})
    out["textblob_label"] = _label(out["textblob"], band)
    out["vader_label"] = _label(out["vader"], band)
    out["agree"] = out["textblob_label"] == out["vader_label"]
    out["gap"] = out["vader"] - out["textblob"]
    out = out.iloc[np.argsort(-out["gap"].abs().to_numpy(), kind="stable")].reset_index(drop=True)
    return out[["article_id", "outlet", "text", "actors", "textblob", "vader", "textblob_label",
                "vader_label", "agree", "gap"]]


def _names_per_group(groups: np.ndarray, names: np.ndarray, n_groups: int) -> np.ndarray:
    """For each group code, its distinct names in order of first appearance, "; "-joined.

    Most sentences name one actor: those take the name as it is, and only
    the groups with several are joined in Python.
    """
    pairs = pd.DataFrame({"group": groups, "name": names}).drop_duplicates()
    pairs = pairs.iloc[np.argsort(pairs["group"].to_numpy(), kind="stable")]  # first-appearance order kept
    size = np.bincount(pairs["group"].to_numpy(), minlength=n_groups)
    out = np.empty(n_groups, dtype=object)
    single = size[pairs["group"].to_numpy()] == 1
    out[pairs["group"].to_numpy()[single]] = pairs["name"].to_numpy()[single]
    several = pairs[~single]
    if len(several):
        joined = several.groupby("group", sort=True)["name"].agg("; ".join)
        out[joined.index.to_numpy()] = joined.to_numpy()
    return out


_LABEL_NAMES = {-1: "negative", 0: "neutral", 1: "positive"}


def compare_methods(tone: pd.DataFrame, thresholds=None) -> pd.DataFrame:
    """The target-aware label of each mention next to the sentence-lexicon labels.

    ``tone`` from ``mention_tone`` (scored mentions only are kept). The
    lexicon labels cut ``sentence_vader`` and ``sentence_polarity`` at the
    thresholds tuned on NewsMTSC train (``targets.LEXICON_THRESHOLDS``), so
    they are the labels whose dev macro-F1 ``evaluate-targets --method
    vader|textblob`` reports. Returns ``article_id``, ``outlet``, ``name``,
    ``voice``, ``target``, ``vader``, ``textblob`` (labels: negative, neutral,
    positive), ``confidence`` (the target method's top class probability, NaN
    for a lexicon method), ``agree_vader``, ``agree_textblob`` and
    ``sentence_text``.
    """
    thresholds = {**targets.LEXICON_THRESHOLDS, **(thresholds or {})}
    rows = tone.dropna(subset=["target_label"]).reset_index(drop=True)

    def labels(values, method):
        lo, hi = thresholds[method]
        return pd.Series(targets.threshold_labels(values.to_numpy(dtype=float), lo, hi)).map(_LABEL_NAMES)

    probs = rows[["p_neg", "p_neu", "p_pos"]].to_numpy(dtype=float) if len(rows) else np.zeros((0, 3))
    out = pd.DataFrame({
        "article_id": rows["article_id"], "outlet": rows["outlet"], "name": rows["name"], "voice": rows["voice"],
        "target": rows["target_label"].astype(int).map(_LABEL_NAMES),
        "vader": labels(rows["sentence_vader"], "vader"),
        "textblob": labels(rows["sentence_polarity"], "textblob"),
        "confidence": np.nanmax(probs, axis=1) if np.isfinite(probs).any() else np.nan,
    })
    out["agree_vader"] = out["target"] == out["vader"]
    out["agree_textblob"] = out["target"] == out["textblob"]
    out["sentence_text"] = rows["sentence_text"]
    return out


def method_agreement(comparison: pd.DataFrame, by: str = "name", min_n: int = DEFAULT_MIN_N) -> pd.DataFrame:
    """Per ``by`` group of ``compare_methods`` output: how often the target method agrees with each lexicon.

    Returns ``by``, ``n``, ``agree_vader`` and ``agree_textblob`` (shares),
    ``target_negative`` and ``vader_negative`` (shares of mentions each
    labels negative: where they part, the chart's story depends on the
    method), and ``small_n``; the largest groups first.
    """
    columns = [by, "n", "agree_vader", "agree_textblob", "target_negative", "vader_negative", "small_n"]
    if comparison.empty:
        return pd.DataFrame(columns=columns)
    grouped = comparison.assign(target_negative=comparison["target"] == "negative",
                                vader_negative=comparison["vader"] == "negative").groupby(by, sort=True)
    out = grouped.agg(n=("target", "size"), agree_vader=("agree_vader", "mean"),
                      agree_textblob=("agree_textblob", "mean"), target_negative=("target_negative", "mean"),
                      vader_negative=("vader_negative", "mean")).reset_index()
    out["small_n"] = out["n"] < min_n
    return out.sort_values(["n", by], ascending=[False, True], kind="stable").reset_index(drop=True)[columns]


def confident_disagreements(comparison: pd.DataFrame, n: int = 8) -> pd.DataFrame:
    """The ``n`` mentions where the target method and VADER give opposite polar labels, most confident first.

    ``comparison`` from ``compare_methods``; rows where either label is
    neutral are not opposites and are left out. Keeps ``outlet``, ``name``,
    ``target``, ``confidence``, ``vader``, ``textblob``, ``sentence_text``.
    """
    polar = (comparison["target"] != "neutral") & (comparison["vader"] != "neutral")
    opposite = comparison[polar & ~comparison["agree_vader"]]
    columns = ["outlet", "name", "target", "confidence", "vader", "textblob", "sentence_text"]
    return opposite.sort_values("confidence", ascending=False, kind="stable")[columns].head(n)
