"""The frames classifier: five generic frames per article from TF-IDF n-grams and the dictionary's cue rates.

One logistic regression per frame (resolution, human_interest, conflict,
morality, economic: the Semetko & Valkenburg set as the narrative-framing
annotation codes it) over two kinds of features of a whole article:

- TF-IDF of word 1-2 grams: lowercased runs of two or more word characters,
  sublinear term frequency (``1 + ln tf``), smoothed idf
  (``ln((1 + n) / (1 + df)) + 1``), each article's vector L2-normalised;
  the vocabulary is the ``MAX_TERMS`` n-grams in most training articles
  (at least ``MIN_DF``);
- the five dictionary frames' cue rates (hits per 1,000 words, as
  ``analysis.count.frames.cue_rates`` counts them with the cues stored in
  the model), as ``ln(1 + rate)`` standardised on the training articles and
  weighted by ``RATE_WEIGHT``.

An article carries a frame when its probability reaches the frame's
threshold, chosen by cross-validation on the training articles. The weights
are a JSON file (``analysis/models/data/frames/frames_classifier.json``:
vocabulary, idf, coefficients, thresholds; no pickle), scored here with
numpy only; scikit-learn is needed only to train (``fit``).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import numpy as np

from analysis.config import MODELS_DATA_DIR
from analysis.outputs import write_text

__all__ = ["FRAMES", "MODEL_PATH", "FramesModel", "fit", "load", "ngrams", "tfidf"]

FRAMES = ("resolution", "human_interest", "conflict", "morality", "economic")
MODEL_DIR = MODELS_DATA_DIR / "frames"
MODEL_PATH = MODEL_DIR / "frames_classifier.json"
MIN_DF = 2
MAX_TERMS = 5000
C = 1.0
RATE_WEIGHT = 0.3
FOLDS = 5
SEED = 0
_TOKEN = re.compile(r"\b\w\w+\b")


def ngrams(text: str) -> list[str]:
    """The word 1- and 2-grams of ``text``, lowercased, in order ("Carbon tax" -> carbon, tax, carbon tax)."""
    words = _TOKEN.findall(str(text).lower())
    return words + [f"{a} {b}" for a, b in pairwise(words)]


def _vocabulary(docs: list[list[str]]) -> list[str]:
    """The ``MAX_TERMS`` n-grams found in most documents (at least ``MIN_DF``), ties A-Z, then sorted A-Z."""
    df = Counter(t for doc in docs for t in set(doc))
    kept = sorted((t for t, k in df.items() if k >= MIN_DF), key=lambda t: (-df[t], t))[:MAX_TERMS]
    return sorted(kept)


def tfidf(docs: list[list[str]], vocabulary: list[str], idf: np.ndarray) -> np.ndarray:
    """Dense TF-IDF rows (documents x vocabulary), sublinear tf, each row of unit length (zeros when empty)."""
    index = {t: k for k, t in enumerate(vocabulary)}
    out = np.zeros((len(docs), len(vocabulary)))
    for row, doc in enumerate(docs):
        for term, tf in Counter(t for t in doc if t in index).items():
            out[row, index[term]] = (1.0 + math.log(tf)) * idf[index[term]]
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)


class FramesModel:
    """The shipped weights: ``probabilities(texts, rates)`` and ``present(texts, rates)``, numpy only."""

    def __init__(self, data: dict):
        self.frames = tuple(data["frames"])
        self.cues = dict(data["cues"])
        self.vocabulary = list(data["vocabulary"])
        self.idf = np.asarray(data["idf"], dtype=float)
        self.rate_mean = np.asarray(data["rate_mean"], dtype=float)
        self.rate_sd = np.asarray(data["rate_sd"], dtype=float)
        self.rate_weight = float(data["rate_weight"])
        self.coef = np.asarray(data["coef"], dtype=float)  # frames x (vocabulary + frames)
        self.intercept = np.asarray(data["intercept"], dtype=float)
        self.thresholds = np.asarray(data["thresholds"], dtype=float)
        self.meta = dict(data.get("meta", {}))
        self._terms = {t: k for k, t in enumerate(self.vocabulary)}

    def probabilities(self, texts, rates) -> np.ndarray:
        """P(frame) per article and frame (articles x frames, in [0, 1]); one article at a time, so memory stays flat."""
        rates = np.asarray(rates, dtype=float).reshape(len(texts), len(self.frames))
        scaled = self.rate_weight * (np.log1p(rates) - self.rate_mean) / self.rate_sd
        n_terms = len(self.vocabulary)
        index = self._terms
        z = np.zeros((len(texts), len(self.frames)))
        for row, text in enumerate(texts):
            counts = Counter(index[t] for t in ngrams(text) if t in index)
            if counts:
                cols = np.fromiter(counts, dtype=np.int64)
                vals = (1.0 + np.log(np.fromiter(counts.values(), dtype=float))) * self.idf[cols]
                z[row] = self.coef[:, cols] @ (vals / np.linalg.norm(vals))
        z += scaled @ self.coef[:, n_terms:].T + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def present(self, texts, rates) -> np.ndarray:
        """Whether each article carries each frame (probability at or above the frame's threshold)."""
        return self.probabilities(texts, rates) >= self.thresholds


def _fit_arrays(texts, rates, labels):
    """Vocabulary, idf, rate scaling and one logistic regression per frame (scikit-learn, deterministic)."""
    from sklearn.linear_model import LogisticRegression

    docs = [ngrams(t) for t in texts]
    vocabulary = _vocabulary(docs)
    df = Counter(t for doc in docs for t in set(doc))
    n = len(docs)
    idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in vocabulary])
    logs = np.log1p(np.asarray(rates, dtype=float))
    mean, sd = logs.mean(axis=0), logs.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)
    x = np.hstack([tfidf(docs, vocabulary, idf), RATE_WEIGHT * (logs - mean) / sd])
    labels = np.asarray(labels, dtype=int)
    coef, intercept = [], []
    for j in range(labels.shape[1]):
        lr = LogisticRegression(C=C, class_weight="balanced", max_iter=5000).fit(x, labels[:, j])
        coef.append(lr.coef_[0])
        intercept.append(float(lr.intercept_[0]))
    return {"vocabulary": vocabulary, "idf": idf, "rate_mean": mean, "rate_sd": sd, "rate_weight": RATE_WEIGHT,
            "coef": np.array(coef), "intercept": np.array(intercept)}


def _model(arrays: dict, frames, cues, thresholds, meta=None) -> FramesModel:
    return FramesModel({**arrays, "frames": list(frames), "cues": dict(cues), "thresholds": list(thresholds),
                        "meta": meta or {}})


def folds(n: int, k: int = FOLDS, seed: int = SEED) -> np.ndarray:
    """A fixed fold number (0..k-1) for each of ``n`` items: a seeded permutation dealt round-robin."""
    order = np.random.default_rng(seed).permutation(n)
    fold = np.empty(n, dtype=int)
    fold[order] = np.arange(n) % k
    return fold


def out_of_fold(texts, rates, labels, k: int = FOLDS, seed: int = SEED) -> np.ndarray:
    """Each item's probabilities from a model fitted on the other folds (items x frames)."""
    labels = np.asarray(labels, dtype=int)
    rates = np.asarray(rates, dtype=float)
    fold = folds(len(texts), k, seed)
    out = np.zeros(labels.shape)
    for f in range(k):
        train, test = np.flatnonzero(fold != f), np.flatnonzero(fold == f)
        arrays = _fit_arrays([texts[i] for i in train], rates[train], labels[train])
        model = _model(arrays, range(labels.shape[1]), {}, np.full(labels.shape[1], 0.5))
        out[test] = model.probabilities([texts[i] for i in test], rates[test])
    return out


THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.01), 2)


def best_threshold(p, y) -> float:
    """The probability threshold of best F1 for one frame (ties: the one nearest 0.5)."""
    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=bool)

    def f1(t):
        hit = p >= t
        tp = int((hit & y).sum())
        return 2 * tp / (int(hit.sum()) + int(y.sum())) if tp else 0.0

    return float(max(THRESHOLD_GRID, key=lambda t: (f1(t), -abs(t - 0.5))))


def fit(texts, rates, labels, cues: dict, frames=FRAMES, meta: dict | None = None) -> FramesModel:
    """Train the classifier on ``texts`` (their cue ``rates``, 0/1 ``labels`` articles x frames).

    Thresholds come from ``FOLDS``-fold out-of-fold probabilities (seed ``SEED``); the weights from all the
    articles. ``cues``: the dictionary cues the rates were counted with, stored in the model."""
    labels = np.asarray(labels, dtype=int)
    oof = out_of_fold(texts, rates, labels)
    thresholds = [best_threshold(oof[:, j], labels[:, j]) for j in range(labels.shape[1])]
    return _model(_fit_arrays(texts, rates, labels), frames, cues, thresholds, meta)


def _rounded(x) -> list:
    return [float(f"{v:.6g}") for v in np.asarray(x, dtype=float).ravel()]


def save(model: FramesModel, path=None) -> Path:
    """Write ``model`` as JSON (floats to 6 significant digits, so the same training writes the same bytes)."""
    path = Path(path or MODEL_PATH)
    data = {
        "meta": model.meta, "frames": list(model.frames), "cues": model.cues,
        "thresholds": _rounded(model.thresholds), "intercept": _rounded(model.intercept),
        "rate_weight": model.rate_weight, "rate_mean": _rounded(model.rate_mean), "rate_sd": _rounded(model.rate_sd),
        "vocabulary": model.vocabulary, "idf": _rounded(model.idf),
        "coef": [_rounded(row) for row in model.coef],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
    return path


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> FramesModel:
    return FramesModel(json.loads(Path(path).read_text(encoding="utf-8")))


def load(path=None) -> FramesModel:
    """The frames classifier at ``path`` (default: the shipped one); ``OSError``/``ValueError`` when unusable."""
    path = Path(path or MODEL_PATH)
    try:
        return _load(str(path), path.stat().st_mtime)
    except (KeyError, TypeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path} is not a frames classifier ({exc})") from None
