"""Narrative roles against human annotation: ``evaluate-roles`` and ``train-roles``.

The task file (``frames/narrative_dev.jsonl``): one article per line with
``id``, ``text`` and ``roles`` = ``[{entity, group, role}]`` (role hero |
villain | victim). Each article is loaded from its text as a file would be
(``load_texts``); its gold entities are its actors table (``registry``: an
entity, without a leading "the" and without "'s", with a name-like entity
also found by its surname; entities sharing a form are one actor); the
package finds their mentions and ``analysis.measure.roles`` their roles.

Pronoun entities ("they", "his") are skipped and counted: they name no one
the package can find. An entity never found in the text is still scored (the
model reads its name; the rules say ``none``, which counts as wrong), and
``coverage`` says how many were found.

Splits: ``analysis.run.evaluate.split_key`` of the article id. Training reads
only ``tune``; the model's figure on ``tune`` is out of fold (each fifth of
the tune articles scored by a model fitted on the other four), on
``holdout`` the shipped model's.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.load.corpus import Corpus, load_texts
from analysis.measure import roles as rl
from analysis.measure.actors import alias_table, find_mentions, load_actors
from analysis.run.evaluate import read_jsonl, split_key

__all__ = ["PRONOUNS", "evaluate", "fit_model", "metrics", "predict", "prepare", "read_roles_task", "registry", "report",
           "write_model"]

PRONOUNS = frozenset(("i", "me", "my", "mine", "we", "us", "our", "ours", "you", "your", "yours", "he", "him",
    "his", "she", "her", "hers", "it", "its", "they", "them", "their", "theirs", "who", "whom", "whose", "this",
    "that", "these", "those", "himself", "herself", "itself", "themselves", "ourselves"))
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
MIN_DF = 2
FOLDS = 5
CONFIDENT = 0.5  # the report also scores the entities given a role with at least this confidence


def read_roles_task(path) -> list[dict]:
    """The articles of a roles task file; ``ValueError`` naming the line of a malformed one."""
    items = []
    for number, item in read_jsonl(path, ("id", "text", "roles")):
        if not isinstance(item["roles"], list):
            raise ValueError(f"line {number}: roles is not a list")  # noqa: TRY004 - a bad file, as read_jsonl says
        for r in item["roles"]:
            if not isinstance(r, dict) or "entity" not in r or r.get("role") not in rl.ROLES:
                raise ValueError(f"line {number}: each role needs an entity and a role of hero, villain, victim")
        items.append(item)
    return items


def is_pronoun(entity: str) -> bool:
    return " ".join(entity.casefold().split()) in PRONOUNS


def _clean(entity: str) -> str:
    return " ".join(re.sub(r"[^\w\s.'’&-]", " ", entity).split())


def _slug(text: str) -> str:
    return re.sub(r"\W+", "_", text.casefold()).strip("_") or "actor"


def _any_case(form: str) -> str:
    """A form that matches in any case: words lower-cased, acronyms ("EPA", "U.S") kept as written."""
    return " ".join(w if sum(ch.isupper() for ch in w) >= 2 or "." in w else w.lower() for w in form.split())


_HEAD_STOP = frozenset(("people", "world", "country", "countries", "state", "states", "government", "plan",
    "policy", "policies", "report", "reports", "change", "group", "groups", "industry"))


def _entity_row(entity: str, text: str, heads: bool = True) -> dict:
    """One actor for a gold entity: its forms, and a person's kind when the text writes it as a name.

    Annotators wrote entities in their own words ("Carbon emissions", "the Trump administration"): a
    form matches in any case, without a leading article or a final "'s"; an entity whose forms are not
    in the text at all is also found by its last word ("Livestock methane emissions" -> "emissions"),
    unless that word is too general to stand for it (``_HEAD_STOP``).
    """
    name = _clean(entity)
    bare = re.sub(r"^(?:the|a|an)\s+", "", name, flags=re.IGNORECASE)
    bare = re.sub(r"['’]s$", "", bare)
    forms = list(dict.fromkeys(f for f in (_any_case(name), _any_case(bare)) if f))
    titled = " ".join(w[:1].upper() + w[1:] for w in bare.split())
    words = titled.split()
    person = 2 <= len(words) <= 4 and re.search(rf"\b{re.escape(titled)}\b", text) is not None
    if person:
        forms = [titled]
    elif heads and len(bare.split()) > 1 and not any(f.casefold() in text.casefold() for f in forms):
        head = bare.split()[-1].lower()
        if len(head) >= 4 and head.isalpha() and head not in _HEAD_STOP:
            forms.append(head)
    return {"id": _slug(name), "name": titled if person else name, "kind": "person" if person else "other",
            "aliases": "|".join(forms)}


def registry(item: dict) -> tuple[pd.DataFrame, dict[str, str]]:
    """The actors table of one article's gold entities, and each (non-pronoun) entity -> its actor id.

    Entities whose forms overlap ("trump", "president trump", "donald trump") become one actor, so the
    table loads (no form given to two actors) and each entity is scored by the mentions of them all.
    """
    rows, of_entity = [], {}
    for r in item["roles"]:
        entity = r["entity"]
        if is_pronoun(entity) or not _clean(entity) or entity in of_entity:
            continue
        row = _entity_row(entity, item["text"])
        keys = set(alias_table(load_actors(pd.DataFrame([row])))["key"])
        merged = next((i for i, (_, k) in enumerate(rows) if k & keys), None)
        if merged is None:
            rows.append((row, keys))
            of_entity[entity] = row["id"]
        else:
            base, k = rows[merged]
            base = {**base, "aliases": "|".join(dict.fromkeys(base["aliases"].split("|") + row["aliases"].split("|")))}
            if base["kind"] == "person" and row["kind"] != "person":
                base = {**base, "kind": "other", "aliases": "|".join(dict.fromkeys(
                    [*base["aliases"].split("|"), base["name"]]))}
            rows[merged] = (base, k | keys)
            of_entity[entity] = base["id"]
    try:
        load_actors(pd.DataFrame([r for r, _ in rows]))
    except ValueError:  # forms derived after merging clash: keep each actor that still loads with the ones before
        for i, (row, _) in enumerate(rows):
            try:
                load_actors(pd.DataFrame([r for r, _ in rows[:i + 1]]))
            except ValueError:
                rows[i] = ({**row, "kind": "other"}, rows[i][1])
    return pd.DataFrame([r for r, _ in rows], columns=["id", "name", "kind", "aliases"]), of_entity


def prepare(items: list[dict]) -> dict:
    """Load every article, find its gold entities, and compute what both methods read (once per file)."""
    corpus = load_texts([{"file": str(i["id"]), "text": i["text"], "outlet": i.get("outlet") or "",
                          "date": i.get("date") or ""} for i in items])
    index = corpus.articles.groupby("file", sort=False).indices
    paragraphs = corpus.paragraphs.groupby("file", sort=False).indices
    sentences = corpus.sentences.groupby("file", sort=False).indices
    mentions, gold = [], []
    for item in items:
        file = str(item["id"])
        actors, of_entity = registry(item)
        if file in index and len(actors):
            one = Corpus(corpus.folder, corpus.articles.iloc[index[file]],
                         corpus.paragraphs.iloc[paragraphs.get(file, [])],
                         corpus.sentences.iloc[sentences.get(file, [])], corpus.problems.iloc[0:0])
            found = find_mentions(one, actors)
            found["actor"] = file + "|" + found["actor"]  # one registry per article: ids kept apart
            mentions.append(found)
        for r in item["roles"]:
            actor = of_entity.get(r["entity"])
            gold.append({"id": file, "entity": r["entity"], "group": r.get("group"), "gold": r["role"],
                         "actor": None if actor is None else f"{file}|{actor}", "pronoun": is_pronoun(r["entity"])})
    mentions = pd.concat(mentions, ignore_index=True) if mentions else find_mentions(corpus, pd.DataFrame(
        columns=["id", "name", "kind", "aliases"]))
    hits = rl.cue_hits(corpus.sentences, mentions)
    keys, numeric, tokens = rl.role_features(mentions, corpus.sentences, hits)
    gold = pd.DataFrame(gold)
    gold["found"] = gold["actor"].isin(set(keys["actor"]))
    # Entities never found: scored from their name alone (the model), or none (the rules).
    missing = gold[~gold["pronoun"] & ~gold["found"]].drop_duplicates("actor")
    missing = missing[missing["actor"].notna()]
    extra_tokens = [set() for _ in range(len(missing))]  # nothing read of them: the model's prior
    extra_numeric = np.zeros((len(missing), numeric.shape[1] if numeric.size else len(rl.numeric_names())))
    extra_keys = pd.DataFrame({"article_id": None, "actor": missing["actor"].to_numpy(), "name": missing["entity"],
                               "n_mentions": 0})
    file_of = dict(zip(corpus.articles["article_id"], corpus.articles["file"]))
    keys = keys.assign(file=keys["article_id"].map(file_of))
    extra_keys["file"] = missing["id"].to_numpy()
    return {"corpus": corpus, "mentions": mentions, "hits": hits, "gold": gold,
            "keys": pd.concat([keys, extra_keys], ignore_index=True),
            "numeric": np.vstack([numeric.reshape(-1, extra_numeric.shape[1]), extra_numeric]),
            "tokens": list(tokens) + extra_tokens}


def _rows_of(data: dict) -> tuple[np.ndarray, np.ndarray]:
    """For each scored gold entity: the row of its actor in the features; and the mask of entities scored."""
    where = {a: i for i, a in enumerate(data["keys"]["actor"])}
    gold = data["gold"]
    scored = (~gold["pronoun"] & gold["actor"].notna()).to_numpy()
    rows = np.array([where.get(a, -1) if s else -1 for a, s in zip(gold["actor"], scored)])
    return rows, scored


def predict(data: dict, method: str, model: dict | None = None, majority: str = "villain") -> pd.DataFrame:
    """The scored gold entities (pronouns left out) with ``pred``: ``majority``, ``rules`` or ``model``."""
    rows, scored = _rows_of(data)
    gold = data["gold"][scored].reset_index(drop=True)
    rows = rows[scored]
    if method == "majority":
        return gold.assign(pred=majority, confidence=np.nan)
    if method == "rules":
        counts = data["numeric"][:, 3 * len(rl.KINDS):3 * len(rl.KINDS) + len(rl.ROLES)]
        probs = rl.rule_probabilities(np.expm1(counts).round())
    else:
        probs = rl.model_probabilities(model, data["numeric"], data["tokens"])
        if probs.shape[1] == len(rl.ROLES):
            probs = np.hstack([probs, np.zeros((len(probs), 1))])
    labels = np.array(rl.LABELS)[probs.argmax(axis=1)]
    pred = np.where(rows >= 0, labels[np.clip(rows, 0, None)] if len(labels) else "none", "none")
    conf = np.where(rows >= 0, probs.max(axis=1)[np.clip(rows, 0, None)] if len(labels) else np.nan, np.nan)
    counts = data["numeric"][:, 3 * len(rl.KINDS):3 * len(rl.KINDS) + len(rl.ROLES)]
    cued = np.expm1(counts).round().sum(axis=1) > 0 if len(counts) else np.zeros(0, dtype=bool)
    has_cue = np.where(rows >= 0, cued[np.clip(rows, 0, None)] if len(cued) else False, False)
    return gold.assign(pred=pred, confidence=conf, cued=has_cue)


def _design(data: dict, rows: np.ndarray, vocab: list[str]):
    from scipy import sparse

    index = {t: i for i, t in enumerate(vocab)}
    r, c = [], []
    for k, i in enumerate(rows):
        for t in data["tokens"][i]:
            if t in index:
                r.append(k)
                c.append(index[t])
    tokens = sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(rows), len(vocab)))
    return data["numeric"][rows], tokens


def _fit(data: dict, rows: np.ndarray, labels: np.ndarray, c: float) -> dict:
    """A logistic regression over the features of ``rows`` (each gold entity's actor row) with labels."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    df = Counter(t for i in set(rows.tolist()) for t in data["tokens"][i])
    vocab = sorted(t for t, n in df.items() if n >= MIN_DF)
    numeric, tokens = _design(data, rows, vocab)
    mean, scale = numeric.mean(axis=0), numeric.std(axis=0)
    scale[scale == 0] = 1.0
    x = sparse.hstack([sparse.csr_matrix((numeric - mean) / scale), tokens]).tocsr()
    clf = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    clf.fit(x, labels)
    order = [list(clf.classes_).index(r) for r in rl.ROLES]
    model = {"classes": list(rl.ROLES), "numeric": rl.numeric_names(), "mean": mean.tolist(),
             "scale": scale.tolist(), "vocab": vocab, "coef": clf.coef_[order].round(6).tolist(),
             "intercept": clf.intercept_[order].round(6).tolist(), "C": c}
    model["_index"] = {t: i for i, t in enumerate(vocab)}
    model["_coef"] = np.asarray(model["coef"])
    return model


def _training_rows(data: dict, ids: set[str] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows, scored = _rows_of(data)
    gold = data["gold"]
    keep = scored & (rows >= 0)
    if ids is not None:
        keep &= gold["id"].isin(ids).to_numpy()
    return rows[keep], gold["gold"].to_numpy()[keep], gold["id"].to_numpy()[keep]


def _fold(article: str) -> int:
    return int(hashlib.sha256(f"roles-fold:{article}".encode()).hexdigest(), 16) % FOLDS


def out_of_fold(data: dict, c: float) -> pd.DataFrame:
    """Each scored gold entity's prediction by a model fitted on the other folds' articles (of ``data``)."""
    articles = sorted(set(data["gold"]["id"]))
    parts = []
    for k in range(FOLDS):
        train = {a for a in articles if _fold(a) != k}
        test = {a for a in articles if _fold(a) == k}
        rows, labels, _ = _training_rows(data, train)
        model = _fit(data, rows, labels, c)
        pred = predict(data, "model", model)
        parts.append(pred[pred["id"].isin(test)])
    return pd.concat(parts).sort_index()


def fit_model(data: dict) -> tuple[dict, dict]:
    """The shipped model: C chosen by out-of-fold macro-F1 on ``data`` (the tune split), refitted on all of it."""
    scores = {}
    for c in C_GRID:
        scores[c] = metrics(out_of_fold(data, c))
    best = max(C_GRID, key=lambda c: (scores[c]["F1m"], scores[c]["accuracy"]))
    rows, labels, _ = _training_rows(data)
    model = _fit(data, rows, labels, best)
    return model, {"C": best, "cv": {str(c): {k: round(v, 4) for k, v in m.items() if isinstance(v, float)}
                                     for c, m in scores.items()}, "n_train": len(rows)}


def write_model(model: dict, meta: dict, path) -> None:
    data = {k: v for k, v in model.items() if not k.startswith("_")}
    data["about"] = ("Narrative roles (hero/villain/victim) of an actor in an article: a logistic regression "
                     "over cue counts, name and context words (analysis/measure/roles.py). Trained by "
                     "`python -m analysis train-roles` on the tune split of the MIT-licensed narrative-framing "
                     "development articles (LICENSE beside this file).")
    data["trained"] = meta
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")


def metrics(pred: pd.DataFrame) -> dict:
    """Accuracy, macro-F1 over the three roles (a ``none`` is wrong), F1 per role, coverage, n."""
    gold, guess = pred["gold"].to_numpy(), pred["pred"].to_numpy()
    out = {"accuracy": float((gold == guess).mean()) if len(gold) else float("nan")}
    f1s = []
    for role in rl.ROLES:
        tp = int(((guess == role) & (gold == role)).sum())
        fp, fn = int(((guess == role) & (gold != role)).sum()), int(((guess != role) & (gold == role)).sum())
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        out[role] = f1
        f1s.append(f1)
    out["F1m"] = float(np.mean(f1s))
    out["coverage"] = float(pred["found"].mean()) if len(pred) else float("nan")
    out["n"] = len(pred)
    out["correct"] = int((gold == guess).sum())
    out["answered"] = int((guess != "none").sum())
    return out


def report(pred: pd.DataFrame, method: str, split: str, n_pronouns: int) -> str:
    """The printed report; its last line is ``accuracy=… F1m=… hero=… villain=… victim=… coverage=… n=N``."""
    m = metrics(pred)
    lines = [(f"method={method} split={split}: {m['n']} gold entities scored, {n_pronouns} pronoun entities "
              f"skipped; {m['correct']} correct, {m['answered']} given a role"),
             f"{'gold':<8} {'n':>4} " + " ".join(f"{lab:>8}" for lab in rl.LABELS)]
    for role in rl.ROLES:
        row = pred[pred["gold"] == role]["pred"].value_counts()
        lines.append(f"{role:<8} {int((pred['gold'] == role).sum()):>4} "
                     + " ".join(f"{int(row.get(lab, 0)):>8}" for lab in rl.LABELS))
    cued = pred[pred["cued"]] if "cued" in pred else pred.iloc[0:0]
    if len(cued) and method == "model":
        # What the roles table reports: find_roles gives the model's role only where a cue reaches the actor.
        lines.append(f"reached by a cue (the roles table's rows with a role): {len(cued)} of {m['n']} entities, "
                     f"accuracy {(cued['gold'] == cued['pred']).mean():.3f}")
    sure = pred[pred["confidence"] >= CONFIDENT] if "confidence" in pred else pred.iloc[0:0]
    if len(sure):
        lines.append(f"confidence >= {CONFIDENT}: {len(sure)} of {m['n']} entities, accuracy "
                     f"{(sure['gold'] == sure['pred']).mean():.3f}")
    lines.append(f"accuracy={m['accuracy']:.3f} F1m={m['F1m']:.3f} hero={m['hero']:.3f} villain={m['villain']:.3f} "
                 f"victim={m['victim']:.3f} coverage={m['coverage']:.3f} n={m['n']}")
    return "\n".join(lines)


def split_items(items: list[dict], split: str) -> list[dict]:
    return items if split == "all" else [i for i in items if split_key(i["id"]) == split]


def majority_role(items: list[dict]) -> str:
    """The most frequent role among the tune split's (non-pronoun) entities: the baseline's one answer."""
    counts = Counter(r["role"] for i in split_items(items, "tune") for r in i["roles"] if not is_pronoun(r["entity"]))
    return counts.most_common(1)[0][0] if counts else "villain"


def evaluate(items: list[dict], method: str, split: str, model_path=None) -> tuple[pd.DataFrame, int]:
    """Predictions of ``method`` on the ``split`` of ``items``, and the pronoun entities skipped.

    ``model``: the holdout articles are scored by the shipped (or ``model_path``)
    weights, the tune articles out of fold with the shipped model's ``C``, so
    no article is scored by weights that saw it.
    """
    chosen = split_items(items, split)
    if not chosen:
        raise ValueError(f"no articles in the {split!r} split")
    data = prepare(chosen)
    n_pronouns = int(data["gold"]["pronoun"].sum())
    if method != "model":
        return predict(data, method, majority=majority_role(items)), n_pronouns
    model = rl.load_model(model_path)
    if model is None:
        raise ValueError(f"no role model at {model_path or rl.MODEL_PATH}; train one with train-roles")
    pred = predict(data, "model", model)
    tune = {str(i["id"]) for i in chosen if split_key(i["id"]) == "tune"}
    if tune:
        tune_data = data if len(tune) == len(chosen) else prepare([i for i in chosen if str(i["id"]) in tune])
        oof = out_of_fold(tune_data, float(model.get("C", 1.0)))
        pred = pd.concat([pred[~pred["id"].isin(tune)], oof], ignore_index=True)
        order = {a: k for k, a in enumerate(str(i["id"]) for i in chosen)}
        pred = pred.sort_values("id", key=lambda s: s.map(order), kind="stable", ignore_index=True)
    return pred, n_pronouns
