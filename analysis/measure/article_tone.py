"""Tone of each article toward each actor: the measure behind the tone figures and the briefing.

A reader judges how an article treats an actor from the whole article, not
from one sentence. Here every mention's target-aware score (its class
probabilities, ``analysis.measure.tone.mention_tone``) is pooled per article
and actor:

- each mention contributes ``d = p_pos - p_neg`` (for a method without
  probabilities, its score), weighted by where it stands: a mention in the
  headline weighs ``w_title``, one in the first ``lead`` sentences of the body
  ``w_lead``, one inside a direct quotation (the speaker's words, not the
  outlet's) ``w_quote``, every other mention 1;
- the article's ``score`` is ``sum(w * (d - bias)) / (sum(w) + k)``, in
  [-1, 1]: ``k`` pulls an article resting on one or two mentions toward
  neutral, since one sentence rarely decides how a whole article treats
  someone;
- its ``label`` is negative below ``low``, positive above ``high`` and
  neutral between (most coverage of most actors is neutral, and neutral is
  a real answer here, not a failure to decide);
- ``p_neg``, ``p_neu``, ``p_pos`` are the softmax of ``(low - score, 0,
  score - high) * temperature``: their largest is always the label.

The numbers (weights, ``k``, ``bias``, thresholds, temperature) are one
``Calibration`` per mention method, read from
``analysis/models/data/article_tone.json``, which says on which data and
split they were chosen (``python -m analysis calibrate-article-tone``
rechooses them). They are calibration, not training: eight numbers chosen
on human labels; no text of the labelled sets ships.

What it cannot tell: sentiment expressed without naming the actor (pronouns,
"the senator"), irony, and whether the outlet or its sources hold the view
(``n_quoted`` says how much of the evidence is quoted speech).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.config import MODELS_DATA_DIR
from analysis.measure.stats import DEFAULT_MIN_N, summarize

__all__ = [
    "ARTICLE_TONE_COLUMNS",
    "CALIBRATION_PATH",
    "LABELS",
    "Calibration",
    "aggregate_article_tone",
    "calibration_for",
    "evidence",
    "load_calibrations",
    "summarize_article_tone",
    "validation_line",
    "why",
]

CALIBRATION_PATH = MODELS_DATA_DIR / "article_tone.json"
LABELS = ("negative", "neutral", "positive")
ARTICLE_TONE_COLUMNS = [
    "article_id", "file", "outlet", "date", "actor", "name", "kind", "score", "label", "p_neg", "p_neu", "p_pos",
    "n_mentions", "n_title", "n_quoted", "method",
]


@dataclass(frozen=True)
class Calibration:
    """How mention scores become an article's score and label (see the module docstring)."""

    w_title: float = 1.0
    w_lead: float = 1.0
    w_quote: float = 1.0
    lead: int = 3
    k: float = 0.0
    bias: float = 0.0
    low: float = -0.1
    high: float = 0.1
    temperature: float = 10.0

    @classmethod
    def from_dict(cls, values: dict) -> Calibration:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known})

    def as_dict(self) -> dict:
        return asdict(self)


def load_calibrations(path=None) -> dict:
    """The calibration file: ``{"methods": {method: {...numbers...}}, "source": ...}``."""
    return json.loads(Path(path or CALIBRATION_PATH).read_text(encoding="utf-8"))


def calibration_for(method: str, path=None) -> Calibration:
    """The shipped calibration of ``method``; a method without one pools plainly (equal weights, ±0.1)."""
    methods = load_calibrations(path).get("methods", {}) if Path(path or CALIBRATION_PATH).exists() else {}
    return Calibration.from_dict(methods[method]) if method in methods else Calibration()


def evidence(tone: pd.DataFrame, title_tone: pd.DataFrame | None, sentences: pd.DataFrame,
             lead: int = Calibration.lead) -> pd.DataFrame:
    """One row per scored mention (body and headline) with what pooling needs.

    ``tone`` and ``title_tone`` come from ``mention_tone`` (of the body and
    of the headlines); ``sentences`` is the corpus's sentence table (for each
    body sentence's rank in its article). Columns: ``article_id``, ``actor``,
    ``d``, ``where`` (title | lead | body), ``quoted``.
    """
    parts = []
    for frame, where in ((tone, "body"), (title_tone, "title")):
        if frame is None or frame.empty:
            continue
        d = (frame["p_pos"] - frame["p_neg"]).to_numpy(dtype=float)
        d = np.where(np.isnan(d), frame["target_score"].to_numpy(dtype=float), d)
        part = pd.DataFrame({
            "article_id": frame["article_id"].to_numpy(), "actor": frame["actor"].to_numpy(), "d": d,
            "where": where, "quoted": (frame["voice"] == "quoted").to_numpy(dtype=bool),
            "paragraph": frame["paragraph"].to_numpy(), "sentence": frame["sentence"].to_numpy(),
        })
        parts.append(part)
    if not parts:
        return pd.DataFrame({"article_id": pd.Series(dtype="str"), "actor": pd.Series(dtype="str"),
                             "d": pd.Series(dtype=float), "where": pd.Series(dtype="str"),
                             "quoted": pd.Series(dtype=bool)})
    out = pd.concat(parts, ignore_index=True)
    body = out["where"] == "body"
    if body.any():
        ranks = sentences[["article_id", "paragraph", "sentence"]].sort_values(["article_id", "paragraph", "sentence"])
        ranks = ranks.assign(rank=ranks.groupby("article_id").cumcount())
        rank = out.loc[body, ["article_id", "paragraph", "sentence"]].merge(
            ranks, on=["article_id", "paragraph", "sentence"], how="left")["rank"].to_numpy()
        out.loc[body, "where"] = np.where(rank < lead, "lead", "body")
    return out[["article_id", "actor", "d", "where", "quoted"]]


def _weights(ev: pd.DataFrame, cal: Calibration) -> np.ndarray:
    where = ev["where"].to_numpy()
    w = np.select([where == "title", where == "lead"], [cal.w_title, cal.w_lead], 1.0)
    return w * np.where(ev["quoted"].to_numpy(dtype=bool), cal.w_quote, 1.0)


def pooled_scores(ev: pd.DataFrame, cal: Calibration) -> pd.DataFrame:
    """Per (article_id, actor): ``score`` and the counts, from ``evidence`` rows."""
    w = _weights(ev, cal)
    frame = pd.DataFrame({
        "article_id": ev["article_id"].to_numpy(), "actor": ev["actor"].to_numpy(),
        "wd": w * (ev["d"].to_numpy(dtype=float) - cal.bias), "w": w,
        "n_mentions": 1, "n_title": (ev["where"] == "title").to_numpy(dtype=int),
        "n_quoted": ev["quoted"].to_numpy(dtype=int),
    })
    sums = frame.groupby(["article_id", "actor"], sort=True, observed=True).sum().reset_index()
    sums["score"] = np.clip(sums["wd"] / (sums["w"] + cal.k), -1.0, 1.0)
    return sums.drop(columns=["wd", "w"])


def label_and_probabilities(scores, cal: Calibration) -> tuple[np.ndarray, np.ndarray]:
    """The labels (as strings) and class probabilities (n x 3) of article scores."""
    s = np.asarray(scores, dtype=float)
    logits = np.stack([cal.low - s, np.zeros_like(s), s - cal.high], axis=1) * cal.temperature
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    p /= p.sum(axis=1, keepdims=True)
    labels = np.select([s < cal.low, s > cal.high], ["negative", "positive"], "neutral")
    return labels, p


def aggregate_article_tone(tone: pd.DataFrame, title_tone: pd.DataFrame | None, sentences: pd.DataFrame,
                           articles: pd.DataFrame, method: str, calibration: Calibration | None = None) -> pd.DataFrame:
    """The ``article_tone`` table: one row per article and actor it mentions (``ARTICLE_TONE_COLUMNS``).

    ``tone``/``title_tone``: ``mention_tone`` of the body and of the
    headlines; ``articles``: the corpus's article table (outlet, date, file);
    ``method``: the mention method, whose shipped ``Calibration`` is used
    unless ``calibration`` is given. Rows sorted by article and actor.
    """
    cal = calibration or calibration_for(method)
    ev = evidence(tone, title_tone, sentences, lead=cal.lead)
    pooled = pooled_scores(ev, cal)
    labels, p = label_and_probabilities(pooled["score"].to_numpy(), cal)
    names = pd.concat([f[["actor", "name", "kind"]] for f in (tone, title_tone) if f is not None and not f.empty],
                      ignore_index=True).drop_duplicates("actor") if len(pooled) else pd.DataFrame(
                          columns=["actor", "name", "kind"])
    meta = articles[["article_id", "file", "outlet", "date"]]
    out = pooled.merge(meta, on="article_id", how="left").merge(names, on="actor", how="left")
    out["label"] = pd.Series(labels, index=out.index, dtype="str")
    out["p_neg"], out["p_neu"], out["p_pos"] = p[:, 0], p[:, 1], p[:, 2]
    out["method"] = pd.Series([method] * len(out), index=out.index, dtype="str")
    for col in ("n_mentions", "n_title", "n_quoted"):
        out[col] = out[col].astype("int64")
    for col in ("name", "kind"):
        out[col] = out[col].astype("str")
    return out[ARTICLE_TONE_COLUMNS].sort_values(["article_id", "actor"], ignore_index=True)


def summarize_article_tone(article_tone: pd.DataFrame, by=("name", "outlet"), min_n: int = DEFAULT_MIN_N,
                           memo: dict | None = None) -> pd.DataFrame:
    """Mean article score per group with its 95% interval from a bootstrap over articles, and the label shares.

    Each article counts once per actor, whatever its number of mentions
    (mentions in one article are not independent), so ``n_articles`` is the
    sample size, ``min_n`` counts articles and ``small_n`` flags cells with
    fewer. Columns: the ``by`` columns, ``n_articles``, ``n_mentions``,
    ``mean``, ``ci_low``, ``ci_high``, ``share_negative``, ``share_neutral``,
    ``share_positive``, ``small_n``, ``method``.
    """
    keys = list(by)
    columns = [*keys, "n_articles", "n_mentions", "mean", "ci_low", "ci_high", "share_negative", "share_neutral",
               "share_positive", "small_n", "method"]
    if article_tone.empty:
        return pd.DataFrame(columns=columns)
    cells = summarize(article_tone, keys, "score", min_n=min_n, memo=memo)
    labels = article_tone.assign(**{f"share_{lab}": (article_tone["label"] == lab).astype(float) for lab in LABELS})
    extra = labels.groupby(keys, sort=True, observed=True).agg(
        n_mentions=("n_mentions", "sum"), **{f"share_{lab}": (f"share_{lab}", "mean") for lab in LABELS},
        method=("method", lambda m: "|".join(sorted(set(m.dropna())))),
    ).reset_index()
    out = cells.rename(columns={"n": "n_articles"}).drop(columns=["measure"]).merge(extra, on=keys, how="left")
    out["n_mentions"] = out["n_mentions"].astype("int64")
    for col in (*keys, "method"):
        out[col] = out[col].astype("str")
    return out[columns]


def why(article_tone: pd.DataFrame, tone: pd.DataFrame, articles: pd.DataFrame, name: str, outlet: str,
        n_articles: int = 3, n_sentences: int = 2) -> pd.DataFrame:
    """The articles behind one cell (actor ``name`` in ``outlet``) and the sentences that drove each score.

    The ``n_articles`` articles with the most extreme scores, each with its
    title, score, label and the ``n_sentences`` sentences whose mentions
    pulled hardest in the direction of the score.
    """
    cell = article_tone[(article_tone["name"] == name) & (article_tone["outlet"] == outlet)]
    cell = cell.reindex(cell["score"].abs().sort_values(ascending=False, kind="stable").index).head(n_articles)
    titles = dict(zip(articles["article_id"], articles["title"]))
    rows = []
    for article_id, actor, score, label in zip(cell["article_id"], cell["actor"], cell["score"], cell["label"]):
        own = tone[(tone["article_id"] == article_id) & (tone["actor"] == actor)]
        d = (own["p_pos"] - own["p_neg"]).fillna(own["target_score"])
        top = own.assign(pull=d * np.sign(score or 1)).sort_values("pull", ascending=False, kind="stable")
        sentences = top.drop_duplicates("sentence_text")["sentence_text"].head(n_sentences).tolist()
        rows.append({"article_id": article_id, "title": titles.get(article_id), "score": score, "label": label,
                     "sentences": " | ".join(sentences)})
    return pd.DataFrame(rows, columns=["article_id", "title", "score", "label", "sentences"])


def validation_line(method: str, path=None) -> str:
    """The held-out figures of ``method``'s article-level tone, as recorded in the calibration file, in one line."""
    figures = (load_calibrations(path) if Path(path or CALIBRATION_PATH).exists() else {}).get("validated", {})
    rows = figures.get(method)
    if not rows:
        return f"article-level tone with method '{method}' has no recorded validation"
    parts = [f"{name}: macro-F1 {r['F1m']:.2f}, rho {r['rho']:.2f}, n={r['n']}" for name, r in rows.items()]
    return f"validated against human labels ({'; '.join(parts)})"
