"""Article-level tone against human judgments: ``evaluate-article-tone`` and ``calibrate-article-tone``.

The task format (``docs/article_tone_task.md``): JSON lines, one per
(article, target), with ``id``, ``article``, ``source``, ``outlet``,
``date``, ``title``, ``text``, ``target``, ``aliases``, ``kind`` and the
human ``label`` (negative | neutral | positive). Each article is loaded from
its text exactly as a file would be (``load_texts``), its targets become
its actors table, and the package's own steps score it: mentions in the
body and the headline, the mention method, and the article-level pooling of
``analysis.measure.article_tone``. An analyst's own hand-coded sample (a CSV
``file,actor,label`` against a corpus folder and an actors table) is scored
the same way (``score_hand_coded``).

Splits: ``split_of`` puts a fifth of the stories (for SEESAW the triplet of
three outlets' articles on one event, so no story is on both sides) in
``holdout``, the rest in ``tune``. Calibration reads only ``tune``; the
held-out figure in the README is the one number no choice was made on.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.load.corpus import Corpus, load_texts
from analysis.measure import article_tone as at
from analysis.measure.actors import find_headline_mentions, find_mentions
from analysis.measure.tone import mention_tone

__all__ = [
    "actors_of_targets",
    "calibrate",
    "metrics",
    "outlet_comparison",
    "read_jsonl",
    "read_task",
    "report",
    "score_items",
    "split_key",
    "split_of",
]

GOLD = {"negative": -1, "neutral": 0, "positive": 1}
_KIND = {"person": "person", "organization": "organization", "country": "state", "group": "group", "other": "other"}
OUTLET_MIN_ITEMS = 5


def read_jsonl(path, required=()) -> list[dict]:
    """The objects of a JSON-lines task file, blank lines skipped; ``ValueError`` naming the line of a
    malformed one or of one that lacks a ``required`` key. Every ``evaluate-*`` command reads through this."""
    items = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"line {number} is not JSON ({exc.msg})") from None
            if not isinstance(item, dict):
                raise ValueError(f"line {number} is not a JSON object")
            missing = [k for k in required if k not in item]
            if missing:
                raise ValueError(f"line {number} lacks {', '.join(missing)}")
            items.append((number, item))
    return items


def read_task(path) -> list[dict]:
    """The items of an article-tone task file; ``ValueError`` naming the line for a malformed one."""
    items = []
    for number, item in read_jsonl(path, ("id", "article", "text", "target", "label")):
        if item["label"] not in GOLD:
            raise ValueError(f"line {number}: label {item['label']!r} is not negative, neutral or positive")
        items.append(item)
    return items


def split_key(key: str) -> str:
    """``holdout`` for a fixed fifth of the story keys, ``tune`` for the rest (by a sha256 of the key).

    A task file's ``set:`` prefix is dropped (``seesaw_train:X`` and ``seesaw_valid:X`` are one key), and a
    SEESAW article id (``TRIPLET_012_DOCUMENT_1``) is cut to its story (``TRIPLET_012``), so the three
    outlets' articles on one event stay on one side, in every task."""
    story = re.sub(r"_DOCUMENT_\d+$", "", str(key).split(":", 1)[-1])
    return "holdout" if int(hashlib.sha256(story.encode()).hexdigest(), 16) % 5 == 0 else "tune"


def split_of(item: dict) -> str:
    """The split of an article-tone item, by its story (see ``split_key``)."""
    return split_key(item["article"])


def _slug(text: str) -> str:
    return re.sub(r"\W+", "_", text.casefold()).strip("_") or "actor"


def _guess_kind(name: str) -> str:
    words = name.split()
    return "person" if 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words) else "other"


def actors_of_targets(items: list[dict]) -> pd.DataFrame:
    """The actors table of one article's targets: each target with its aliases (a missing kind guessed)."""
    rows, seen = [], set()
    for item in items:
        actor = _slug(item["target"])
        if actor in seen:
            continue
        seen.add(actor)
        kind = _KIND.get(item.get("kind") or "", None) or _guess_kind(item["target"])
        rows.append({"id": actor, "name": item["target"], "kind": kind,
                     "aliases": "|".join(dict.fromkeys([item["target"], *(item.get("aliases") or [])]))})
    return pd.DataFrame(rows, columns=["id", "name", "kind", "aliases"])


def _scored_mentions(items: list[dict], method: str) -> tuple[Corpus, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Load every article once, find each article's targets, score all mentions in one batch."""
    by_article: dict[str, list[dict]] = defaultdict(list)
    for item in items:
        by_article[str(item["article"])].append(item)
    records = [{"file": article, "text": group[0]["text"], "title": group[0].get("title") or "",
                "outlet": group[0].get("outlet") or "", "date": group[0].get("date") or ""}
               for article, group in by_article.items()]
    corpus = load_texts(records)
    index = corpus.articles.groupby("file", sort=False).indices
    paragraphs = corpus.paragraphs.groupby("file", sort=False).indices
    sentences = corpus.sentences.groupby("file", sort=False).indices
    body, heads, head_sentences = [], [], []
    for article, group in by_article.items():
        if article not in index:  # an empty text: reported in the corpus's problems, its targets not found
            continue
        one = Corpus(corpus.folder, corpus.articles.iloc[index[article]],
                     corpus.paragraphs.iloc[paragraphs.get(article, [])],
                     corpus.sentences.iloc[sentences.get(article, [])], corpus.problems.iloc[0:0])
        actors = actors_of_targets(group)
        body.append(find_mentions(one, actors))
        found, head = find_headline_mentions(one, actors)
        heads.append(found)
        head_sentences.append(head)
    mentions = pd.concat(body, ignore_index=True)
    head_mentions = pd.concat(heads, ignore_index=True)
    tone = mention_tone(mentions, corpus.sentences, method=method)
    title_tone = mention_tone(head_mentions, pd.concat(head_sentences, ignore_index=True), method=method)
    return corpus, tone, title_tone, corpus.articles


def score_items(items: list[dict], method: str, pool: str = "calibrated",
                calibration: at.Calibration | None = None, scored=None) -> pd.DataFrame:
    """Each item's article-level prediction: ``id``, ``outlet``, ``target``, ``gold``, ``score``, ``label``, ``n_mentions``.

    ``method``: a mention method (``analysis.models.scorers``) or
    ``neutral`` (always neutral, the majority baseline). ``pool``:
    ``calibrated`` (the shipped calibration of ``method``, or
    ``calibration``) or ``mean`` (the plain mean of mention scores, cut at
    the calibration file's ``mean_band`` for the method). ``scored``: the
    result of an earlier ``_scored_mentions`` to reuse.
    """
    if method == "neutral":
        scored = None
    elif scored is None:
        scored = _scored_mentions(items, method)
    cal = calibration or _pool_calibration(method, pool)
    if scored is not None:
        corpus, tone, title_tone, articles = scored
        if pool == "mean":
            title_tone = None
        table = at.aggregate_article_tone(tone, title_tone, corpus.sentences, articles, method, cal)
        by_key = {(f, a): (s, lab, n) for f, a, s, lab, n in zip(
            table["file"], table["actor"], table["score"], table["label"], table["n_mentions"])}
    else:
        by_key = {}
    rows = []
    for item in items:
        score, label, n = by_key.get((str(item["article"]), _slug(item["target"])), (0.0, "neutral", 0))
        rows.append({"id": item["id"], "outlet": item.get("outlet"), "target": item["target"],
                     "gold": item["label"], "score": float(score), "label": label, "n_mentions": int(n)})
    return pd.DataFrame(rows)


def _pool_calibration(method: str, pool: str) -> at.Calibration:
    if pool == "mean":
        file = at.load_calibrations() if at.CALIBRATION_PATH.exists() else {}
        band = file.get("mean_band", {}).get(method, 0.1)
        return at.Calibration(low=-band, high=band)
    return at.calibration_for(method)


def metrics(predictions: pd.DataFrame) -> dict:
    """Macro-F1 over the three classes, accuracy, Spearman rho (score vs gold as -1/0/1), coverage, n, per class."""
    from scipy.stats import spearmanr
    from sklearn.metrics import (
        accuracy_score,
        f1_score,
        precision_recall_fscore_support,
    )

    gold, pred = predictions["gold"].to_numpy(), predictions["label"].to_numpy()
    labels = list(at.LABELS)
    prec, rec, f1, support = precision_recall_fscore_support(gold, pred, labels=labels, zero_division=0)
    g = predictions["gold"].map(GOLD).to_numpy(dtype=float)
    s = predictions["score"].to_numpy(dtype=float)
    rho = float(spearmanr(s, g).statistic) if len(g) > 1 and np.ptp(s) > 0 and np.ptp(g) > 0 else float("nan")
    return {
        "F1m": float(f1_score(gold, pred, labels=labels, average="macro", zero_division=0)),
        "accuracy": float(accuracy_score(gold, pred)) if len(gold) else float("nan"),
        "rho": rho,
        "coverage": float((predictions["n_mentions"] > 0).mean()) if len(predictions) else float("nan"),
        "n": len(predictions),
        "per_class": {lab: {"precision": float(p), "recall": float(r), "f1": float(f), "n": int(n),
                            "predicted": int((pred == lab).sum())}
                      for lab, p, r, f, n in zip(labels, prec, rec, f1, support)},
    }


def outlet_comparison(predictions: pd.DataFrame, min_items: int = OUTLET_MIN_ITEMS) -> tuple[pd.DataFrame, float]:
    """Per (outlet, target) cell with at least ``min_items`` items: mean gold and mean predicted score; their Spearman."""
    from scipy.stats import spearmanr

    data = predictions.dropna(subset=["outlet"]).assign(g=lambda d: d["gold"].map(GOLD))
    cells = (data.groupby(["outlet", "target"]).agg(n=("g", "size"), gold=("g", "mean"), predicted=("score", "mean"))
             .reset_index())
    cells = cells[cells["n"] >= min_items].reset_index(drop=True)
    if len(cells) < 3 or cells["gold"].nunique() < 2 or cells["predicted"].nunique() < 2:
        return cells, float("nan")
    return cells, float(spearmanr(cells["gold"], cells["predicted"]).statistic)


def report(predictions: pd.DataFrame, method: str, pool: str) -> str:
    """The printed report; its last line is ``F1m=… accuracy=… rho=… coverage=… n=N`` (plus ``outlet_rho=…`` with outlets)."""
    m = metrics(predictions)
    lines = [f"method={method} pool={pool if method != 'neutral' else '-'}",
             f"{'class':<10} {'precision':>9} {'recall':>7} {'f1':>6} {'n':>6} {'predicted':>9}"]
    for lab, c in m["per_class"].items():
        lines.append(f"{lab:<10} {c['precision']:>9.3f} {c['recall']:>7.3f} {c['f1']:>6.3f} {c['n']:>6d} "
                     f"{c['predicted']:>9d}")
    last = f"F1m={m['F1m']:.3f} accuracy={m['accuracy']:.3f} rho={m['rho']:.3f} coverage={m['coverage']:.3f} n={m['n']}"
    if predictions["outlet"].notna().any():
        cells, outlet_rho = outlet_comparison(predictions)
        lines.append(f"outlet comparison: {len(cells)} (outlet, target) cells with at least {OUTLET_MIN_ITEMS} items")
        if len(cells):
            lines.append(f"{'outlet':<28} {'target':<24} {'n':>4} {'gold':>6} {'pred':>6}")
            for row in cells.sort_values(["target", "outlet"]).itertuples(index=False):
                lines.append(f"{str(row.outlet)[:28]:<28} {str(row.target)[:24]:<24} {row.n:>4d} {row.gold:>6.2f} "
                             f"{row.predicted:>6.2f}")
        last += f" outlet_rho={outlet_rho:.3f}"
    lines.append(last)
    return "\n".join(lines)


# The grid ``calibrate`` searches: small on purpose (a few numbers chosen on human labels, not a model).
GRID = {
    "w_title": (0.0, 1.0, 2.0, 3.0, 5.0),
    "w_lead": (1.0, 1.5, 2.0, 3.0),
    "w_quote": (0.5, 1.0, 1.5),
    "k": (0.0, 1.0, 2.0, 3.0, 5.0, 8.0, 12.0),
    "bias": (-0.1, 0.0, 0.1),
}
THRESHOLDS = np.round(np.arange(0.02, 0.62, 0.04), 2)


def calibrate(items: list[dict], method: str, scored=None) -> tuple[at.Calibration, dict]:
    """The calibration of ``method`` that maximises macro-F1 + rho on ``items`` (pass only the ``tune`` split).

    Every weight combination of ``GRID`` is pooled once; for each, the
    thresholds are searched on ``THRESHOLDS`` (independently for the
    negative and positive side), and the temperature is the one that
    maximises the log-likelihood of the human labels. Returns the best
    calibration and its figures on ``items``.
    """
    scored = scored or _scored_mentions(items, method)
    corpus, tone, title_tone, articles = scored
    ev = at.evidence(tone, title_tone, corpus.sentences)
    files = dict(zip(articles["article_id"], articles["file"]))
    gold = np.array([GOLD[i["label"]] for i in items])
    keys = [(str(i["article"]), _slug(i["target"])) for i in items]
    best = (-np.inf, None, None)
    for values in itertools.product(*GRID.values()):
        cal = at.Calibration(**dict(zip(GRID, values)))
        pooled = at.pooled_scores(ev, cal)
        lookup = {(files[a], actor): s for a, actor, s in zip(pooled["article_id"], pooled["actor"], pooled["score"])}
        s = np.array([lookup.get(k, 0.0) for k in keys])
        rho = _spearman(s, gold)
        for low, high in itertools.product(-THRESHOLDS, THRESHOLDS):
            pred = np.select([s < low, s > high], [-1, 1], 0)
            objective = _macro_f1(gold, pred) + rho
            if objective > best[0]:
                best = (objective, (cal, low, high), s)
    (cal, low, high), s = best[1], best[2]
    temperature = _best_temperature(s, gold, low, high)
    chosen = at.Calibration(**{**cal.as_dict(), "low": float(low), "high": float(high), "temperature": temperature})
    pred = np.select([s < low, s > high], [-1, 1], 0)
    return chosen, {"F1m": round(_macro_f1(gold, pred), 4), "rho": round(_spearman(s, gold), 4), "n": len(items)}


def mean_band(items: list[dict], method: str, scored=None) -> float:
    """The neutral band of the plain-mean baseline that maximises macro-F1 on ``items`` (the tune split)."""
    scored = scored or _scored_mentions(items, method)
    gold = np.array([GOLD[i["label"]] for i in items])
    best = (-1.0, 0.1)
    for band in THRESHOLDS:
        pred = score_items(items, method, "mean", at.Calibration(low=-band, high=band), scored=scored)["label"]
        best = max(best, (_macro_f1(gold, pred.map(GOLD).to_numpy()), float(band)))
    return best[1]


def _macro_f1(gold: np.ndarray, pred: np.ndarray) -> float:
    f1s = []
    for c in (-1, 0, 1):
        tp = np.sum((pred == c) & (gold == c))
        fp, fn = np.sum((pred == c) & (gold != c)), np.sum((pred != c) & (gold == c))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(f1s))


def _spearman(s: np.ndarray, g: np.ndarray) -> float:
    from scipy.stats import spearmanr

    return float(spearmanr(s, g).statistic) if np.ptp(s) > 0 else 0.0


def _best_temperature(s: np.ndarray, gold: np.ndarray, low: float, high: float) -> float:
    best = (np.inf, 10.0)
    for t in (1.0, 2.0, 3.0, 5.0, 7.5, 10.0, 15.0, 20.0, 30.0):
        _, p = at.label_and_probabilities(s, at.Calibration(low=low, high=high, temperature=t))
        nll = -np.mean(np.log(p[np.arange(len(gold)), gold + 1] + 1e-12))
        best = min(best, (nll, t))
    return best[1]


def score_hand_coded(labels_path, corpus, tables: dict) -> pd.DataFrame:
    """Predictions for an analyst's hand-coded sample: a CSV ``file,actor,label`` against analysed tables.

    ``tables`` holds ``article_tone`` of the corpus (``analyze``'s); ``actor``
    is an actor id or name of the actors table. Rows whose file is not in the
    corpus raise ``ValueError`` naming them.
    """
    coded = pd.read_csv(labels_path, dtype=str, keep_default_na=False)
    missing = {"file", "actor", "label"} - set(coded.columns)
    if missing:
        raise ValueError(f"{labels_path} lacks column(s) {', '.join(sorted(missing))}")
    bad = sorted(set(coded["label"].str.strip().str.lower()) - set(GOLD))
    if bad:
        raise ValueError(f"labels must be negative, neutral or positive, not {', '.join(map(repr, bad))}")
    unknown = sorted(set(coded["file"]) - set(corpus.articles["file"]))
    if unknown:
        raise ValueError(f"file(s) not in the corpus: {', '.join(unknown[:5])}")
    table = tables["article_tone"]
    by_id = {(f, a): (s, lab, n) for f, a, s, lab, n in zip(table["file"], table["actor"], table["score"],
                                                            table["label"], table["n_mentions"])}
    by_name = {(f, str(nm).casefold()): v for (f, _), v, nm in zip(by_id, by_id.values(), table["name"])}
    outlets = dict(zip(corpus.articles["file"], corpus.articles["outlet"]))
    rows = []
    for file, actor, label in zip(coded["file"], coded["actor"], coded["label"]):
        score, pred, n = by_id.get((file, actor)) or by_name.get((file, actor.casefold())) or (0.0, "neutral", 0)
        rows.append({"id": f"{file}:{actor}", "outlet": outlets.get(file), "target": actor,
                     "gold": label.strip().lower(), "score": float(score), "label": pred, "n_mentions": int(n)})
    return pd.DataFrame(rows)


def record_validation(path: Path, method: str, name: str, figures: dict) -> None:
    """Record ``figures`` (``metrics`` output) of ``method`` on the data ``name`` in the calibration file."""
    data = at.load_calibrations(path) if Path(path).exists() else {}
    data.setdefault("validated", {}).setdefault(method, {})[name] = {
        k: round(figures[k], 4) if isinstance(figures[k], float) else figures[k]
        for k in ("F1m", "accuracy", "rho", "coverage", "n")}
    Path(path).write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def write_calibration(path: Path, method: str, cal: at.Calibration, figures: dict, source: str,
                      mean_band: float | None = None) -> None:
    """Write (or update) one method's entry of the calibration file, with where its numbers came from."""
    data = at.load_calibrations(path) if Path(path).exists() else {}
    data.setdefault("methods", {})[method] = {k: round(v, 4) if isinstance(v, float) else v
                                               for k, v in cal.as_dict().items()}
    data.setdefault("chosen_on", {})[method] = {"data": source, **figures}
    data.get("validated", {}).pop(method, None)  # figures of the old numbers no longer hold
    if mean_band is not None:
        data.setdefault("mean_band", {})[method] = mean_band
    data["about"] = ("Article-level tone: how mention scores are pooled per article and actor "
                     "(analysis/measure/article_tone.py). Chosen by `python -m analysis calibrate-article-tone` "
                     "on the 'tune' split only (analysis/run/evaluate.split_of); eight numbers, no text ships.")
    Path(path).write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
