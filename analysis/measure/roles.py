"""Who is cast as hero, villain or victim: the narrative role of each actor in each article.

Two methods, one table (``find_roles``):

``rules``
    Cue words an analyst can read and edit (``analysis/data/roles.csv``: ``cue``,
    ``role``, ``kind``). A ``kind`` says where the actor stands to the cue:
    ``agent`` (the actor before the verb, "Russian forces **shelled** …", or
    after ``by`` in a passive), ``patient`` (the actor after the verb, "… shelled
    **Kharkiv**", or the subject of a passive, "**civilians** were killed"),
    ``modifier`` (the actor right after the word, "**vulnerable** farmers").
    Harm verbs make their agent a villain and their patient a victim; help
    verbs ("helped", "saved", "protected") make their agent a hero and the one
    helped a victim; praise ("thanked", "praised") makes its patient a hero,
    blame ("blamed", "accused") a villain. A negated cue ("did not attack")
    counts for nothing. Each actor's cue counts per role give its
    probabilities (``rule_probabilities``); an actor no cue touches is ``none``.
``model``
    A small logistic regression (weights in ``analysis/models/data/roles/``,
    trained on the MIT-licensed narrative-framing articles by ``python -m
    analysis train-roles``; see its MODEL_CARD.md) over the same cue counts plus
    the words of the actor's name and of its mentions' contexts, and the tone
    of the sentences it is mentioned in. It always picks one of the three
    roles, so the table reports its role only for actors a cue reaches (and
    ``confidence`` at least ``MIN_CONFIDENCE``); the others are ``none``, with
    the model's leaning kept in ``p_*``.

Blind spots, to state wherever roles are shown: pronouns ("they", "he") are
not actors, so what is said of an actor through them is missed; the cue
rules read word order, not grammar ("the rescuers Zelenskyy thanked" reads
Zelenskyy as thanked); the model learned climate-change coverage (its words
for villains there, "emissions", "fossil fuels", are not every topic's).
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.config import DATA_DIR, MODELS_DATA_DIR
from analysis.measure.tone import mention_tone
from analysis.models.lexicons import lexicon_scores

__all__ = [
    "CUES_PATH",
    "KINDS",
    "LABELS",
    "MODEL_PATH",
    "ROLES",
    "ROLE_COLUMNS",
    "cue_hits",
    "find_roles",
    "load_cues",
    "load_model",
    "mention_tones",
    "model_probabilities",
    "numeric_names",
    "role_features",
    "rule_probabilities",
]

ROLES = ("hero", "villain", "victim")
LABELS = (*ROLES, "none")
KINDS = ("agent", "patient", "modifier")
CUES_PATH = DATA_DIR / "roles.csv"
MODEL_PATH = MODELS_DATA_DIR / "roles" / "roles_model.json"

AGENT_WORDS = 8  # an agent at most this many words before its verb
PATIENT_WORDS = 6  # a patient at most this many words after it
MODIFIER_WORDS = 2  # "vulnerable (small) farmers"
CONTEXT_WORDS = 2  # words either side of a mention read by the model
# Rule probabilities: each cue counts 1 for its role; every role starts with PRIOR_WEIGHT, ``none`` with
# NONE_WEIGHT, so one cue is enough to leave ``none`` and two agreeing cues say more than one.
PRIOR_WEIGHT = 0.25
NONE_WEIGHT = 1.0
MIN_CONFIDENCE = 0.0  # model probabilities below this are reported as ``none`` (0: always a role)

ROLE_COLUMNS = [
    "article_id", "file", "outlet", "date", "actor", "name", "kind", "role", "confidence",
    "p_hero", "p_villain", "p_victim", "p_none", "n_mentions", "n_cues", "evidence", "method",
]
HIT_COLUMNS = ["article_id", "paragraph", "sentence", "actor", "start", "cue", "role", "kind", "form",
               "passive", "negated", "sentence_text"]

_IRREGULAR = {
    "lead": ("lead", "leads", "led", "leading"), "win": ("win", "wins", "won", "winning"),
    "fight": ("fight", "fights", "fought", "fighting"), "hit": ("hit", "hits", "hitting"),
    "strike": ("strike", "strikes", "struck", "striking", "stricken"), "lose": ("lose", "loses", "lost", "losing"),
    "flee": ("flee", "flees", "fled", "fleeing"), "die": ("die", "dies", "died", "dying"),
    "lie": ("lie", "lies", "lied", "lying"), "mislead": ("mislead", "misleads", "misled", "misleading"),
    "sue": ("sue", "sues", "sued", "suing"), "cut": ("cut", "cuts", "cutting"),
    "hurt": ("hurt", "hurts", "hurting"), "shell": ("shell", "shells", "shelled", "shelling"),
    "victim": ("victim", "victims"), "threat": ("threat", "threats"), "danger": ("danger", "dangers"),
    "harm": ("harm", "harms", "harmed", "harming"), "damage": ("damage", "damages", "damaged", "damaging"),
    "attack": ("attack", "attacks", "attacked", "attacking"), "thanks": ("thanks",),
}
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being|is|are|be|got|get|gets)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_NEGATED = re.compile(r"(?:\b(?:not|never|no|without)|n['’]t)\s+(?:\w+\s+)?$", re.IGNORECASE)
_BLOCK = re.compile(r"[;:–—“”\"()]|\s-\s")
_PATIENT_BLOCK = re.compile(r"[,;:–—“”\"().]")
_BY_AGENT = re.compile(r"^\s+by\s+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def _forms(word: str) -> tuple[str, ...]:
    """The inflections of a cue's first word: kill -> kills, killed, killing."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("e"):
        return (word, word + "s", word + "d", word[:-1] + "ing")
    if word.endswith("y") and word[-2] not in "aeiou":
        return (word, word[:-1] + "ies", word[:-1] + "ied", word + "ing")
    if re.fullmatch(r"[^aeiou]*[aeiou][bdgmnpt]", word):  # gut -> gutted, scrap -> scrapped
        return (word, word + "s", word + word[-1] + "ed", word + word[-1] + "ing")
    if word.endswith(("s", "sh", "ch", "x", "z", "o")):
        return (word, word + "es", word + "ed", word + "ing")
    return (word, word + "s", word + "ed", word + "ing")


def load_cues(path=None) -> pd.DataFrame:
    """The role cues: ``cue`` (lower-case lemma or phrase), ``role`` (hero | villain | victim), ``kind``
    (agent | patient | modifier), ``note``. ``path``: None (the shipped ``analysis/data/roles.csv``), a CSV
    path or a DataFrame. ``ValueError`` for a missing column or an unknown role or kind.
    """
    table = path if isinstance(path, pd.DataFrame) else pd.read_csv(path or CUES_PATH, dtype=str,
                                                                    keep_default_na=False)
    missing = {"cue", "role", "kind"} - set(table.columns)
    if missing:
        raise ValueError(f"role cues lack column(s): {', '.join(sorted(missing))}")
    out = pd.DataFrame({c: table[c].astype(str).str.strip().str.lower() for c in ("cue", "role", "kind")})
    out["note"] = table["note"].astype(str) if "note" in table else ""
    for col, allowed in (("role", ROLES), ("kind", KINDS)):
        bad = sorted(set(out[col]) - set(allowed))
        if bad:
            raise ValueError(f"unknown cue {col}(s): {', '.join(bad)}; use {', '.join(allowed)}")
    return out[out["cue"] != ""].drop_duplicates(["cue", "role", "kind"]).reset_index(drop=True)


@lru_cache(maxsize=8)
def _compile(items: tuple[tuple[str, str, str], ...]) -> tuple[re.Pattern, dict[str, list[tuple[str, str, str]]]]:
    """One regex over every cue's forms (longest first), and each lower-cased form -> its (cue, role, kind) rows."""
    by_form: dict[str, list[tuple[str, str, str]]] = {}
    for cue, role, kind in items:
        first, *rest = cue.split()
        forms = (first,) if kind == "modifier" else _forms(first)
        for form in forms:
            by_form.setdefault(" ".join([form, *rest]), []).append((cue, role, kind))
    alternatives = sorted(by_form, key=len, reverse=True)
    pattern = "|".join(r"\s+".join(map(re.escape, f.split())) for f in alternatives)
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE), by_form


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _agent_before(text: str, cue_start: int, spans: list[tuple[int, int, str]], participle: bool) -> str | None:
    """The actor standing as subject before a cue: the nearest mention, or after ", …ing" the clause's first."""
    before = [s for s in spans if s[1] <= cue_start and _words(text[s[1]:cue_start]) <= AGENT_WORDS
              and not _BLOCK.search(text[s[1]:cue_start])]
    if not before:
        return None
    if participle and re.search(r",\s*$", text[:cue_start]):  # "X shelled Kharkiv, killing civilians": X
        return before[0][2]
    return before[-1][2]


def _patient_after(text: str, cue_end: int, spans: list[tuple[int, int, str]], limit: int) -> str | None:
    """The actor right after a cue (its object): the first mention within ``limit`` words, same clause."""
    for start, _, actor in spans:
        if start >= cue_end:
            gap = text[cue_end:start]
            if _words(gap) <= limit and not _PATIENT_BLOCK.search(gap):
                return actor
            return None
    return None


def _sentence_hits(text: str, spans: list[tuple[int, int, str]], regex, by_form) -> list[tuple]:
    """(actor, cue, role, kind, form, start, passive, negated) for every cue that reaches an actor."""
    hits = []
    for m in regex.finditer(text):
        form = " ".join(m.group(0).lower().split())
        cs, ce = m.start(), m.end()
        head = text[:cs]
        passive = bool(_PASSIVE_BEFORE.search(head)) and form.split()[0].endswith(("ed", "en", "t", "ck", "it"))
        negated = bool(_NEGATED.search(head))
        participle = form.split()[0].endswith("ing")
        for cue, role, kind in by_form.get(form, ()):
            if kind == "modifier":
                actor = _patient_after(text, ce, spans, MODIFIER_WORDS)
            elif kind == "agent":
                if passive:
                    by = _BY_AGENT.match(text[ce:])
                    actor = _patient_after(text, ce + by.end(), spans, 3) if by else None
                else:
                    actor = _agent_before(text, cs, spans, participle)
            else:  # patient: the object, or the subject of a passive
                actor = _agent_before(text, cs, spans, False) if passive else _patient_after(text, ce, spans,
                                                                                             PATIENT_WORDS)
            if actor is not None:
                hits.append((actor, cue, role, kind, form, cs, passive, negated))
    return hits


def cue_hits(sentences: pd.DataFrame, mentions: pd.DataFrame, cues=None) -> pd.DataFrame:
    """Every role cue that reaches an actor mention, one row per (cue, actor) (``HIT_COLUMNS``).

    ``sentences``: ``corpus.sentences``; ``mentions``: ``find_mentions`` output.
    ``cues``: None (the shipped cue file), a path or a DataFrame (``load_cues``).
    ``start`` is the cue's offset in the sentence; ``passive`` and ``negated``
    say how it was read (a negated hit counts for no role).
    """
    table = load_cues(cues)
    regex, by_form = _compile(tuple(zip(table["cue"], table["role"], table["kind"])))
    keys = ["article_id", "paragraph", "sentence"]
    text_of = dict(zip(zip(*(sentences[k].tolist() for k in keys)), sentences["text"].tolist()))
    rows = []
    if len(mentions):
        for key, group in mentions.groupby(keys, sort=False):
            text = text_of.get(key)
            if text is None:
                continue
            spans = sorted(zip(group["start"].tolist(), group["end"].tolist(), group["actor"].tolist()))
            for actor, cue, role, kind, form, start, passive, negated in _sentence_hits(text, spans, regex, by_form):
                rows.append((*key, actor, start, cue, role, kind, form, passive, negated, text))
    return pd.DataFrame(rows, columns=HIT_COLUMNS)


def rule_probabilities(counts: np.ndarray) -> np.ndarray:
    """Probabilities over (hero, villain, victim, none) from per-role cue counts (rows of three numbers).

    Each role scores its count plus ``PRIOR_WEIGHT``, ``none`` scores
    ``NONE_WEIGHT``; the scores are normalised. No cue: ``none`` is the most
    likely; one villain cue: villain (0.5) over none (0.4).
    """
    counts = np.asarray(counts, dtype=float).reshape(-1, len(ROLES))
    scores = np.hstack([counts + PRIOR_WEIGHT, np.full((len(counts), 1), NONE_WEIGHT)])
    return scores / scores.sum(axis=1, keepdims=True)


TONE_METHOD = "model"  # the tone the role model reads, whatever method the tone tables use: it was trained on it


def numeric_names() -> list[str]:
    """The model's numeric features, in the order of ``role_features``' array and of the weights."""
    return ([f"cue_{r}_{k}" for r in ROLES for k in KINDS] + [f"cue_{r}" for r in ROLES]
            + ["log_mentions", "first_position", "share_quoted", "vader_mean", "vader_min", "polarity_mean",
               "tone_mean", "tone_min", "tone_max", "p_neg_mean", "p_pos_mean"])


def mention_tones(mentions: pd.DataFrame, sentences: pd.DataFrame, tone=None) -> dict:
    """(article_id, paragraph, sentence, start) -> (target_score, p_neg, p_pos) of each mention, by the light
    ``model`` (``TONE_METHOD``): ``tone`` (``mention_tone`` output) when it used that method, else scored here."""
    if tone is False:  # not wanted (the rules read no tone)
        return {}
    if tone is None or not len(tone) or str(tone["target_method"].iloc[0]) != TONE_METHOD:
        if not len(mentions):
            return {}
        tone = mention_tone(mentions, sentences, method=TONE_METHOD)
    keys = zip(tone["article_id"], tone["paragraph"], tone["sentence"], tone["start"])
    return dict(zip(keys, zip(tone["target_score"], tone["p_neg"], tone["p_pos"])))


def role_features(mentions: pd.DataFrame, sentences: pd.DataFrame, hits: pd.DataFrame,
                  tone=None) -> tuple[pd.DataFrame, np.ndarray, list]:
    """The model's features of each article × actor: ``(keys, numeric, tokens)``.

    ``keys``: one row per (article_id, actor) with ``n_mentions``; ``numeric``:
    an array of ``numeric_names()`` columns (log cue counts, where the actor is
    first named, share quoted, tone of its sentences and toward it, by the light
    model: ``tone`` when it is ``mention_tone`` output of that method, else
    scored here; zeros with ``tone=False``); ``tokens``: per row a
    set of strings (``n:`` words of its name, ``c:`` words around its mentions,
    ``cue:`` the cues that reached it).
    """
    keys = ["article_id", "paragraph", "sentence"]
    text_of = dict(zip(zip(*(sentences[k].tolist() for k in keys)), sentences["text"].tolist()))
    n_sent = sentences.groupby("article_id")["sentence"].size().to_dict() if len(sentences) else {}
    order = {}
    if len(sentences):
        for i, k in enumerate(zip(*(sentences[c].tolist() for c in keys))):
            order[k] = i
    first_row = {}
    for a, p, s in zip(sentences["article_id"].tolist(), sentences["paragraph"].tolist(),
                       sentences["sentence"].tolist()):
        first_row.setdefault(a, order[(a, p, s)])
    tones = mention_tones(mentions, sentences, tone)
    counted = hits[~hits["negated"]] if len(hits) else hits
    cue_count = counted.groupby(["article_id", "actor", "role", "kind"]).size().to_dict() if len(counted) else {}
    cue_names = (counted.groupby(["article_id", "actor"])
                 .apply(lambda g: {f"cue:{r}:{k}:{c}" for r, k, c in zip(g["role"], g["kind"], g["cue"])},
                        include_groups=False).to_dict()) if len(counted) else {}
    rows, numeric, tokens = [], [], []
    if not len(mentions):
        empty = pd.DataFrame(columns=["article_id", "actor", "name", "n_mentions"])
        return empty, np.zeros((0, len(numeric_names()))), []
    for (article, actor), group in mentions.groupby(["article_id", "actor"], sort=False):
        # What kind of thing the actor is ("emissions", "farmers"), never who it is: only the words its
        # mentions write in lower case, so a proper name ("Trump") teaches the model no verdict on a person.
        toks = {f"n:{w}" for alias in set(group["alias"].astype(str)) for w in _WORD.findall(alias) if w.islower()}
        vaders, pols, positions, targets = [], [], [], []
        for p, s, start, end in zip(group["paragraph"], group["sentence"], group["start"], group["end"]):
            targets.append(tones.get((article, p, s, start), (0.0, 0.0, 0.0)))
            text = text_of.get((article, p, s), "")
            left = _WORD.findall(text[:start])[-CONTEXT_WORDS:]
            right = _WORD.findall(text[end:])[:CONTEXT_WORDS]
            toks.update(f"c:{w.lower()}" for w in left + right)
            v, _, _, pol, _ = lexicon_scores(text)
            vaders.append(v)
            pols.append(pol)
            positions.append(order.get((article, p, s), 0) - first_row.get(article, 0))
        toks.update(cue_names.get((article, actor), ()))
        by_kind = [cue_count.get((article, actor, r, k), 0) for r in ROLES for k in KINDS]
        by_role = [sum(by_kind[i * len(KINDS):(i + 1) * len(KINDS)]) for i in range(len(ROLES))]
        total = max(1, n_sent.get(article, 1))
        numeric.append([*np.log1p(by_kind), *np.log1p(by_role), math.log1p(len(group)), min(positions) / total,
                        float(group["in_quote"].mean()), float(np.mean(vaders)), float(np.min(vaders)),
                        float(np.mean(pols)), *_tone_summary(np.asarray(targets, dtype=float))])
        rows.append((article, actor, str(group["name"].iloc[0]), len(group)))
        tokens.append(toks)
    return (pd.DataFrame(rows, columns=["article_id", "actor", "name", "n_mentions"]),
            np.asarray(numeric, dtype=float), tokens)


def _tone_summary(t: np.ndarray) -> list[float]:
    t = np.nan_to_num(t)
    return [float(t[:, 0].mean()), float(t[:, 0].min()), float(t[:, 0].max()), float(t[:, 1].mean()),
            float(t[:, 2].mean())]


def load_model(path=None) -> dict | None:
    """The shipped role model (a JSON of weights, nothing that runs code), or None when absent."""
    path = Path(path or MODEL_PATH)
    if not path.exists():
        return None
    model = json.loads(path.read_text(encoding="utf-8"))
    model["_index"] = {t: i for i, t in enumerate(model["vocab"])}
    model["_coef"] = np.asarray(model["coef"], dtype=float)
    return model


def model_probabilities(model: dict, numeric: np.ndarray, tokens: list) -> np.ndarray:
    """Probabilities over (hero, villain, victim) of each row, from the model's weights (softmax of the logits)."""
    coef, index = model["_coef"], model["_index"]
    n_num = len(model["numeric"])
    x = (numeric - np.asarray(model["mean"])) / np.asarray(model["scale"])
    logits = x @ coef[:, :n_num].T + np.asarray(model["intercept"])
    for i, toks in enumerate(tokens):
        cols = [n_num + index[t] for t in toks if t in index]
        if cols:
            logits[i] += coef[:, cols].sum(axis=1)
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    return p / p.sum(axis=1, keepdims=True)


def find_roles(sentences: pd.DataFrame, mentions: pd.DataFrame, method: str | None = None, cues=None,
               model=None, tone: pd.DataFrame | None = None) -> pd.DataFrame:
    """The role of each actor in each article that mentions it (``ROLE_COLUMNS``).

    ``sentences``: ``corpus.sentences``; ``mentions``: ``find_mentions`` output
    (of English articles: the cues are English). ``method``: ``rules``,
    ``model``, or None (the shipped model when present, else the rules).
    ``model``: weights as ``load_model`` returns them (default: the shipped ones).
    ``tone``: the ``mention_tone`` output of these mentions, reused when it used
    the light model (the tone the model was trained on), else scored again.

    ``role``: hero | villain | victim | none; ``p_hero`` … ``p_none`` in [0, 1]
    (summing to 1; ``p_none`` is 0 under the model, which always picks a role:
    ``role`` is ``none`` there when no cue reaches the actor);
    ``confidence``: the largest role probability; ``n_cues``: rule cues that
    reached the actor; ``evidence``: the cue and sentence that decided (the
    first cue of the chosen role), or the actor's first sentence when no cue did.
    """
    if method not in (None, "rules", "model"):
        raise ValueError(f"unknown roles method {method!r}; use rules or model")
    if method != "rules":
        model = model if model is not None else load_model()
        if model is None and method == "model":
            raise ValueError(f"no role model at {MODEL_PATH}; train one with python -m analysis train-roles")
    method = "model" if model is not None and method != "rules" else "rules"
    hits = cue_hits(sentences, mentions, cues)
    keys, numeric, tokens = role_features(mentions, sentences, hits, tone if method == "model" else False)
    if keys.empty:
        return pd.DataFrame(columns=ROLE_COLUMNS)
    counts = numeric[:, 3 * len(KINDS):3 * len(KINDS) + len(ROLES)]
    n_cues = np.expm1(counts).round().astype(int)
    if method == "rules":
        probs = rule_probabilities(n_cues)
    else:
        probs = np.hstack([model_probabilities(model, numeric, tokens), np.zeros((len(keys), 1))])
    best = probs.argmax(axis=1)
    labels = np.array(LABELS)[best]
    confidence = probs[np.arange(len(probs)), best]
    if method == "model" and MIN_CONFIDENCE > 0:
        labels = np.where(confidence < MIN_CONFIDENCE, "none", labels)
    if method == "model":
        # The model always picks a role (its training data annotated only actors that had one), so an actor
        # no cue reaches, named in passing, is "none"; its p_* still say which way the model leaned.
        labels = np.where(n_cues.sum(axis=1) == 0, "none", labels)
    evidence = _evidence(keys, labels, hits, mentions, sentences)
    meta = mentions.drop_duplicates(["article_id", "actor"]).set_index(["article_id", "actor"])
    idx = pd.MultiIndex.from_frame(keys[["article_id", "actor"]])
    out = pd.DataFrame({
        "article_id": keys["article_id"], "file": meta.loc[idx, "file"].to_numpy(),
        "outlet": meta.loc[idx, "outlet"].to_numpy(), "date": meta.loc[idx, "date"].to_numpy(),
        "actor": keys["actor"], "name": keys["name"], "kind": meta.loc[idx, "kind"].to_numpy(),
        "role": labels, "confidence": confidence.round(4),
        **{f"p_{lab}": probs[:, i].round(4) for i, lab in enumerate(LABELS)},
        "n_mentions": keys["n_mentions"].astype("int64"), "n_cues": n_cues.sum(axis=1).astype("int64"),
        "evidence": evidence, "method": method,
    })
    for col in ("name", "kind", "role", "evidence", "method"):
        out[col] = out[col].astype("string")
    return out[ROLE_COLUMNS]


def _evidence(keys: pd.DataFrame, labels: np.ndarray, hits: pd.DataFrame, mentions: pd.DataFrame,
              sentences: pd.DataFrame) -> list[str]:
    """For each row, the first cue of its role with its sentence, else the actor's first sentence."""
    first_hit = {}
    if len(hits):
        for a, actor, role, cue, kind, text, neg in zip(hits["article_id"], hits["actor"], hits["role"], hits["cue"],
                                                        hits["kind"], hits["sentence_text"], hits["negated"]):
            if not neg:
                first_hit.setdefault((a, actor, role), f"{cue} ({kind}): {_short(text)}")
    text_of = dict(zip(zip(sentences["article_id"], sentences["paragraph"], sentences["sentence"]), sentences["text"]))
    first_sentence = {}
    for a, actor, p, s in zip(mentions["article_id"], mentions["actor"], mentions["paragraph"], mentions["sentence"]):
        first_sentence.setdefault((a, actor), (a, p, s))
    out = []
    for a, actor, label in zip(keys["article_id"], keys["actor"], labels):
        found = first_hit.get((a, actor, label))
        out.append(found or f"(no cue): {_short(text_of.get(first_sentence.get((a, actor)), ''))}")
    return out


def _short(text: str, limit: int = 240) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
