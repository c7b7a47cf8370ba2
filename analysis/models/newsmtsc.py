"""The NewsMTSC format and the metrics every tone method is reported with.

Shared by the light model (``targets``) and the transformer
(``transformer``), so that both read the same data and report the same
figures; neither imports the other for it.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

__all__ = ["CLASS_NAMES", "LABELS", "POLARITY_TO_LABEL", "metrics_report", "one_line", "read_newsmtsc",
           "with_probabilities"]

LABELS = (-1, 0, 1)  # negative, neutral, positive; column order of p_neg/p_neu/p_pos


POLARITY_TO_LABEL = {2.0: -1, 4.0: 0, 6.0: 1}


CLASS_NAMES = {-1: "negative", 0: "neutral", 1: "positive"}


def read_newsmtsc(path) -> pd.DataFrame:
    """Read a NewsMTSC JSONL file into one row per target.

    Columns:
        ``text`` (str): the sentence (``sentence_normalized``).
        ``start``, ``end`` (int): character offsets of the mention, ``end``
            exclusive, so ``text[start:end] == mention``.
        ``mention`` (str): the target's surface form.
        ``label`` (int): -1 negative, 0 neutral, 1 positive.

    Raises ``ValueError`` with the line number for a malformed line (bad JSON,
    missing field, unknown polarity, offsets that do not match the mention).
    """
    rows = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                text = record["sentence_normalized"]
                for target in record["targets"]:
                    start, end = int(target["from"]), int(target["to"])
                    mention = target["mention"]
                    label = POLARITY_TO_LABEL[float(target["polarity"])]
                    if text[start:end] != mention:
                        raise ValueError("offsets do not match the mention")
                    rows.append((text, start, end, mention, label))
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}: line {lineno} is not a NewsMTSC record ({exc})") from exc
    if not rows:
        raise ValueError(f"{path}: no targets found")
    df = pd.DataFrame(rows, columns=["text", "start", "end", "mention", "label"])
    return df.astype({"start": "int64", "end": "int64", "label": "int64"})


def with_probabilities(out: pd.DataFrame, proba: np.ndarray) -> pd.DataFrame:
    """Add ``p_neg``, ``p_neu``, ``p_pos``, ``target_label`` and ``target_score`` from class probabilities.

    ``proba`` has one row per row of ``out`` and columns in ``LABELS`` order
    (negative, neutral, positive). Shared by every probabilistic method.
    """
    out["p_neg"], out["p_neu"], out["p_pos"] = proba[:, 0], proba[:, 1], proba[:, 2]
    out["target_label"] = (
        np.asarray(LABELS, dtype=np.int64)[proba.argmax(axis=1)] if len(out) else np.zeros(0, np.int64)
    )
    out["target_score"] = proba[:, 2] - proba[:, 0]
    return out


def metrics_report(method: str, y, pred, seconds: float) -> tuple[str, dict]:
    """Metrics of predicted labels ``pred`` against ``y`` and their report text.

    ``seconds`` is the scoring time, for ``targets_per_s``. Shared with the
    optional transformer method (``analysis.models.transformer``) so that every
    method is reported the same way.
    """
    from sklearn.metrics import (
        accuracy_score,
        f1_score,
        precision_recall_fscore_support,
    )

    y, pred = np.asarray(y), np.asarray(pred)
    prec, rec, f1, support = precision_recall_fscore_support(
        y, pred, labels=list(LABELS), zero_division=0
    )
    metrics = {
        "method": method,
        "n": len(y),
        "accuracy": float(accuracy_score(y, pred)),
        "macro_f1": float(f1_score(y, pred, labels=list(LABELS), average="macro", zero_division=0)),
        "targets_per_s": float(len(y) / seconds) if seconds > 0 else float("inf"),
        "per_class": {
            CLASS_NAMES[c]: {
                "precision": float(p),
                "recall": float(r),
                "f1": float(f),
                "n": int(s),
            }
            for c, p, r, f, s in zip(LABELS, prec, rec, f1, support)
        },
    }
    lines = [f"method={method}", f"{'class':<10} {'precision':>9} {'recall':>7} {'f1':>6} {'n':>6}"]
    for name, m in metrics["per_class"].items():
        lines.append(
            f"{name:<10} {m['precision']:>9.3f} {m['recall']:>7.3f} {m['f1']:>6.3f} {m['n']:>6d}"
        )
    lines.append(f"targets/s={metrics['targets_per_s']:.0f}")
    lines.append(
        f"F1m={metrics['macro_f1']:.3f} accuracy={metrics['accuracy']:.3f} n={metrics['n']}"
    )
    return "\n".join(lines), metrics


def one_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0].rstrip(".") if str(exc) else type(exc).__name__
