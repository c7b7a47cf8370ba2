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
import time
import zipfile
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis.config import MODELS_DATA_DIR
from analysis.models.context import clause_cuts, target_context, token_data
from analysis.models.features import (
    DEFAULT_FEATURE_CONFIG,
    N_NUMERIC,
    design_matrix,
    other_spans_by_text,
    target_features,
)
from analysis.models.lexicons import (
    LEXICON_THRESHOLDS,
    lexicon_scores,
    lexicon_target_score,
    pattern_analyzer,
    threshold_labels,
    vader_analyzer,
)
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




# --------------------------------------------------------------------------
# Reading data
# --------------------------------------------------------------------------


def tune_lexicon_thresholds(train_path, method: str) -> tuple[float, float]:
    """Grid-search (lo, hi) cut-offs of a lexicon method for macro-F1 on a file.

    Used on train.jsonl only to set ``LEXICON_THRESHOLDS``.
    """
    from sklearn.metrics import f1_score

    df = read_newsmtsc(train_path)
    others = other_spans_by_text(df, "text", "start", "end")
    scores = np.array(
        [
            lexicon_target_score(method, t, s, e, o)
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
    # Long by design: the recipe in one place (grouped cross-validation, the fit, the blend, the
    # stored figures), so that the shipped file is rebuilt byte for byte from what is read here.
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedGroupKFold

    cfg = {**DEFAULT_FEATURE_CONFIG, **(config or {})}
    df = read_newsmtsc(train_path)
    others = other_spans_by_text(df, "text", "start", "end")
    X, num_mean, num_scale = design_matrix(df.text, df.start, df.end, others, cfg)
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


def validation(method: str = DEFAULT_METHOD, folder=None, store=None, evaluate=None, weights=()) -> pd.DataFrame:
    """How ``method`` scores on the NewsMTSC dev files: one row per file.

    Columns ``dev set`` (file stem), ``method``, ``n``, ``macro_f1``,
    ``accuracy``. ``folder`` defaults to the project's ``data/newsmtsc``.
    The notebooks print this beside every tone figure. The table depends only
    on the method, its model file and the dev files, so with a ``store``
    (an ``analysis.run.cache.Cache``, or anything with its ``get_many`` and
    ``put_many``) it is kept under their hashes; the transformer is always
    scored afresh. ``analysis.validation`` is this with the default cache.
    ``evaluate``: the method's ``(path) -> (report, metrics)`` when it is not
    one of this module's (the transformer's, from ``analysis.models.scorers``),
    and ``weights`` the files it reads, whose hashes key its stored table.
    """
    from analysis.config import EVAL_DIR
    from analysis.config import VERSION as __version__
    from analysis.hashing import file_hash
    from analysis.hashing import key as cache_key

    paths = sorted(Path(folder or EVAL_DIR).glob("*_dev.jsonl"))
    store = store if method in METHODS or weights else None
    if store is not None:
        model = file_hash(MODEL_PATH) if method == "model" else [file_hash(w) for w in weights] or None
        k = cache_key("validation", __version__, FORMAT_VERSION, method, model, [(p.name, file_hash(p)) for p in paths])
        stored = store.get_many("validation", [k]).get(k)
        if stored is not None:
            return stored
    rows = []
    for path in paths:
        metrics = (evaluate or (lambda p: evaluate_targets(p, method)))(path)[1]
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
        others = other_spans_by_text(df, text_col, start_col, end_col)
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
        X, _, _ = design_matrix(
            texts, starts, ends, others, model["config"], model["num_mean"], model["num_scale"]
        )
        proba = _predict_proba(model, X) if len(texts) else np.zeros((0, 3))
        return with_probabilities(out, proba)
    scores = np.array(
        [
            lexicon_target_score(method, t, int(s), int(e), o)
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
    vader_analyzer()
    pattern_analyzer()
    if method == "model" and model is None:
        model = load_light_model()
    lexicon_scores.cache_clear()
    token_data.cache_clear()
    clause_cuts.cache_clear()
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


