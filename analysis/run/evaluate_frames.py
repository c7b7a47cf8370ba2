"""The five generic frames per article against human labels: ``evaluate-frames``, ``calibrate-frames``, ``train-frames``.

The task format (``frames/narrative_dev.jsonl``, see the README): JSON lines,
one article each, with ``id``, ``outlet``, ``text`` and ``frames`` =
``{resolution, human_interest, conflict, morality, economic}`` booleans.
Each article is one body paragraph (the task texts have no paragraph
breaks) and goes through ``analysis.count.frames.article_frames`` exactly
as a corpus article does.

Methods (``METHODS``):

- ``keywords``: the issue's baseline, a frame present when any of a few
  keywords (``KEYWORDS``) occurs;
- ``dictionary``: the shipped dictionary's cue rates against its
  ``per_1000_words`` thresholds, which ``calibrate`` chooses on the tune
  split only;
- ``classifier``: the shipped classifier (``analysis.models.frames_model``),
  trained on the tune split only. Its figure on tune items is out of fold:
  each of ``frames_model.FOLDS`` fixed folds of the file's tune items is
  scored by the same recipe (weights and thresholds) fitted on the other
  folds, so no tune item is scored by a model that saw it; holdout items are
  scored by the shipped model.

Splits are ``evaluate.split_key`` of each ``id``; the held-out fifth is never
read by ``calibrate`` or ``train``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.count import frames as fr
from analysis.models import frames_model
from analysis.run.evaluate import read_jsonl, split_key

__all__ = ["FRAMES", "KEYWORDS", "METHODS", "calibrate", "last_line", "metrics", "predict", "read_frames_task",
           "report", "train"]

FRAMES = frames_model.FRAMES
METHODS = ("classifier", "dictionary", "keywords")
# The baseline: a few obvious words per frame, any one of them enough.
KEYWORDS = {
    "resolution": "solution*|solve*|plan|plans|proposal*|policy|policies",
    "human_interest": "family|families|child|children|mother|father|personal|story",
    "conflict": "conflict*|disagree*|fight*|attack*|against|oppos*|critic*",
    "morality": "moral*|ethic*|god|religio*|faith|values",
    "economic": "econom*|cost|costs|money|jobs|billion*|tax*",
}
RATE_GRID = np.round(np.arange(0.0, 40.001, 0.25), 2)


def read_frames_task(path, split: str = "all") -> list[dict]:
    """The articles of a frames task file (``split``: all, tune or holdout); ``ValueError`` naming a bad line."""
    items = []
    for number, item in read_jsonl(path, ("id", "text", "frames")):
        labels = item["frames"]
        problem = ("frames must give true or false for each of " + ", ".join(FRAMES)
                   if not isinstance(labels, dict) or any(not isinstance(labels.get(f), bool) for f in FRAMES)
                   else "text is not a string" if not isinstance(item["text"], str) else None)
        if problem:
            raise ValueError(f"line {number}: {problem}")
        if split == "all" or split_key(item["id"]) == split:
            items.append(item)
    return items


def gold(items: list[dict]) -> np.ndarray:
    """The human labels, articles x ``FRAMES`` (bool)."""
    return np.array([[bool(i["frames"][f]) for f in FRAMES] for i in items], dtype=bool).reshape(len(items), len(FRAMES))


def _paragraphs(items: list[dict]) -> pd.DataFrame:
    return pd.DataFrame({"article_id": [str(i["id"]) for i in items], "paragraph": 0,
                         "outlet": [i.get("outlet") or "" for i in items],
                         "text": [i["text"] for i in items], "kind": "body"})


def _dictionary_rows(table: pd.DataFrame) -> pd.DataFrame:
    rows = table.set_index("frame")
    missing = [f for f in FRAMES if f not in rows.index]
    if missing:
        raise ValueError(f"the frame dictionary has no row for {', '.join(missing)}")
    return rows.loc[list(FRAMES)].reset_index()


def _texts(items: list[dict]) -> list[str]:
    return fr.article_texts(_paragraphs(items))["text"].tolist()


def predict(items: list[dict], method: str, frame_table=None, model=None) -> np.ndarray:
    """Frames found in each article by ``method`` (articles x ``FRAMES``, bool); see the module docstring."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")
    if not items:
        return np.zeros((0, len(FRAMES)), dtype=bool)
    if method == "keywords":
        return fr.cue_rates(_texts(items), [KEYWORDS[f] for f in FRAMES]) > 0
    if method == "dictionary":
        table = _dictionary_rows(fr.load_frames(frame_table) if not isinstance(frame_table, pd.DataFrame)
                                 else frame_table)
        if fr.RULE_COLUMN not in table.columns or table[fr.RULE_COLUMN].isna().any():
            raise ValueError(f"the frame dictionary lacks a {fr.RULE_COLUMN} number for each of {', '.join(FRAMES)} "
                             "(python -m analysis calibrate-frames chooses them)")
        found = fr.article_frames(_paragraphs(items), table, method="dictionary")
    else:
        found = _classifier_frames(items, model)
    wide = found.pivot_table(index="article_id", columns="frame", values="present", aggfunc="max", sort=False)
    return wide.reindex(index=[str(i["id"]) for i in items], columns=list(FRAMES)).fillna(False).to_numpy(dtype=bool)


def _classifier_frames(items: list[dict], model=None) -> pd.DataFrame:
    """``article_frames`` rows of the classifier: tune items out of fold, holdout items by ``model`` (the shipped)."""
    model = model or frames_model.load()
    tune = [i for i in items if split_key(i["id"]) == "tune"]
    holdout = [i for i in items if split_key(i["id"]) != "tune"]
    parts = [fr.article_frames(_paragraphs(holdout), method="classifier", model=model)] if holdout else []
    if tune:
        fold = frames_model.folds(len(tune))
        for f in range(frames_model.FOLDS):
            train_items = [i for i, k in zip(tune, fold) if k != f]
            test_items = [i for i, k in zip(tune, fold) if k == f]
            if test_items:
                parts.append(fr.article_frames(_paragraphs(test_items), method="classifier",
                                               model=_fit(train_items, model.cues)))
    return pd.concat(parts, ignore_index=True)


def _fit(items: list[dict], cues: dict, meta: dict | None = None) -> frames_model.FramesModel:
    texts = _texts(items)
    rates = fr.cue_rates(texts, [cues[f] for f in FRAMES])
    return frames_model.fit(texts, rates, gold(items).astype(int), cues, FRAMES, meta)


def train(items: list[dict], frame_table=None, source: str = "") -> frames_model.FramesModel:
    """The classifier trained on the tune items of ``items``, with the dictionary's cues of the five frames."""
    tune = [i for i in items if split_key(i["id"]) == "tune"]
    if not tune:
        raise ValueError("no items in the tune split")
    table = _dictionary_rows(fr.load_frames(frame_table) if not isinstance(frame_table, pd.DataFrame) else frame_table)
    cues = dict(zip(table["frame"], table["cues"]))
    meta = {"trained_on": f"{source}, tune split ({len(tune)} articles)" if source else f"{len(tune)} articles",
            "recipe": {"min_df": frames_model.MIN_DF, "max_terms": frames_model.MAX_TERMS, "C": frames_model.C,
                       "rate_weight": frames_model.RATE_WEIGHT, "folds": frames_model.FOLDS,
                       "seed": frames_model.SEED}}
    return _fit(tune, cues, meta)


def calibrate(items: list[dict], frame_table=None) -> dict[str, float]:
    """The ``per_1000_words`` threshold of each of ``FRAMES`` with the best F1 on the tune items (ties: the lowest)."""
    tune = [i for i in items if split_key(i["id"]) == "tune"]
    if not tune:
        raise ValueError("no items in the tune split")
    table = _dictionary_rows(fr.load_frames(frame_table) if not isinstance(frame_table, pd.DataFrame) else frame_table)
    rates = fr.cue_rates(_texts(tune), table["cues"])
    truth = gold(tune)
    chosen = {}
    for j, frame in enumerate(FRAMES):
        f1s = [_f1(truth[:, j], (rates[:, j] >= t) & (rates[:, j] > 0)) for t in RATE_GRID]
        chosen[frame] = float(RATE_GRID[int(np.argmax(f1s))])
    return chosen


def _f1(y: np.ndarray, p: np.ndarray) -> float:
    tp = int((y & p).sum())
    return 2 * tp / (int(y.sum()) + int(p.sum())) if tp else 0.0


def metrics(truth: np.ndarray, found: np.ndarray) -> dict:
    """Per frame ``precision``, ``recall``, ``F1``, ``support``, ``found``; ``F1m`` (macro mean of the F1) and ``n``."""
    out = {"frames": {}, "n": len(truth)}
    for j, frame in enumerate(FRAMES):
        y, p = truth[:, j], found[:, j]
        tp = int((y & p).sum())
        out["frames"][frame] = {"precision": tp / p.sum() if p.sum() else 0.0, "recall": tp / y.sum() if y.sum() else 0.0,
                                "F1": _f1(y, p), "support": int(y.sum()), "found": int(p.sum())}
    out["F1m"] = float(np.mean([m["F1"] for m in out["frames"].values()])) if len(truth) else 0.0
    return out


def last_line(m: dict) -> str:
    """``F1m=0.xxx resolution=0.xxx human_interest=… conflict=… morality=… economic=… n=N``."""
    return " ".join([f"F1m={m['F1m']:.3f}", *(f"{f}={m['frames'][f]['F1']:.3f}" for f in FRAMES), f"n={m['n']}"])


def report(m: dict, method: str, split: str) -> str:
    """The per-frame table, then the last line."""
    lines = [f"method={method} split={split}", f"{'frame':<16}{'precision':>10}{'recall':>8}{'F1':>7}{'gold':>6}{'found':>7}"]
    for frame, r in m["frames"].items():
        lines.append(f"{frame:<16}{r['precision']:>10.3f}{r['recall']:>8.3f}{r['F1']:>7.3f}{r['support']:>6}{r['found']:>7}")
    return "\n".join([*lines, last_line(m)])
