"""Stance between actors against human triplets: ``evaluate-stance``.

The task format (README "Validating stance"): JSON lines, one per article,
with ``id``, ``sentences`` (``[{id, text}]``), ``entities`` (``[{name, kind,
aliases}]``) and the human ``stances`` (``[{sentence, holder, target,
polarity}]``, polarity positive | negative). Each article is loaded from its
sentences joined by spaces, exactly as a file would be (``load_texts``); its
entities become its actors table (``evaluate.actors_of_targets``, with the
forms of ``entity_forms`` and the head nouns of topics); the
package's own steps find mentions, tone toward each mention and the stance
edges; each edge is put back on the task's sentence it was found in.

Scoring: a found triplet (sentence, holder, target, polarity) matches a gold
one when all four agree; ``pair_F1`` ignores polarity. Duplicates are
collapsed on both sides (an edge found twice in one sentence counts once;
the gold set holds each triplet once), and ``n`` is the number of distinct
gold triplets. Splits are those of every ``evaluate-*`` command
(``evaluate.split_key``, by story).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

import pandas as pd

from analysis.load.corpus import Corpus, load_texts
from analysis.measure.actors import find_mentions
from analysis.measure.quotes import find_quotes
from analysis.measure.stance import find_stance
from analysis.run.evaluate import actors_of_targets, read_jsonl, split_key

__all__ = ["METHODS", "Loaded", "entity_forms", "gold_of", "load_items", "predict", "read_stance_task", "report", "score",
           "stance_metrics"]

METHODS = ("package", "cues", "baseline")
POLARITY = {"positive": 1, "negative": -1}
_SPACE = re.compile(r"\s+")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)


def read_stance_task(path, split: str = "all") -> list[dict]:
    """The articles of a stance task file (only those of ``split``); ``ValueError`` naming a malformed line."""
    items = []
    for number, item in read_jsonl(path, ("id", "sentences", "entities", "stances")):
        try:
            sentences = [(str(s["id"]), str(s["text"])) for s in item["sentences"]]
            entities = [(str(e["name"]), e.get("kind"), list(e.get("aliases") or [])) for e in item["entities"]]
            gold = [(str(g["sentence"]), str(g["holder"]), str(g["target"]), g["polarity"]) for g in item["stances"]]
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"line {number}: sentences, entities or stances malformed ({exc!r})") from None
        bad = sorted({p for *_, p in gold if p not in POLARITY}, key=str)
        if bad:
            raise ValueError(f"line {number}: polarity {bad[0]!r} is not positive or negative")
        if split == "all" or split_key(item["id"]) == split:
            items.append({**item, "sentences": sentences, "entities": entities, "gold": gold})
    return items


class Loaded:
    """The articles of a task as one corpus, their mentions, and where each package sentence sits in the task.

    ``names``: article file -> {actor id: entity name}; ``sentence_of``:
    (article_id, paragraph, sentence) -> the task's sentence id.
    """

    def __init__(self, corpus: Corpus, mentions: pd.DataFrame, quotes: pd.DataFrame, names: dict, sentence_of: dict,
                 files: dict):
        self.corpus, self.mentions, self.quotes = corpus, mentions, quotes
        self.names, self.sentence_of, self.files = names, sentence_of, files


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def entity_forms(name: str, aliases: list[str]) -> list[str]:
    """The other forms an entity is looked for under: its aliases, and each form also without accents
    ("Raúl Castro" -> "Raul Castro"), without a leading "the" and without quotation marks round it."""
    forms = []
    for form in [name, *aliases]:
        form = form.strip().strip("“”\"'‘’").strip()
        forms += [form, _plain(form), _LEADING_THE.sub("", form)]
    return [f for f in dict.fromkeys(forms) if f and f != name]


def _topic_heads(targets: list[dict]) -> None:
    """Give each topic (kind ``other``) of two words or more its head noun as a form ("border security plan" ->
    "plan", "impeachment probe" -> "probe") and its lower-cased name, when no other entity of the article
    shares that head: a reader takes "the plan" for the one plan the story is about."""
    heads = defaultdict(list)
    for t in targets:
        words = re.findall(r"[A-Za-z]+", t["target"])
        if t["kind"] == "other" and len(words) > 1 and len(words[-1]) > 3:
            heads[words[-1].lower()].append(t)
    stems = defaultdict(int)
    for head, ts in heads.items():
        stems[head.rstrip("s")] += len(ts)
    for head, ts in heads.items():
        others = [o["target"].lower().split() for o in targets if o is not ts[0]]
        if stems[head.rstrip("s")] == 1 and not any(head.rstrip("s") in (w.rstrip("s") for w in o) for o in others):
            ts[0]["aliases"] = [*ts[0]["aliases"], head, ts[0]["target"].lower()]


def _registry(item: dict, level: int = 2) -> tuple[pd.DataFrame, dict[str, str]]:
    """The actors table of one article's entities (``evaluate.actors_of_targets``) and actor id -> entity name.

    ``level`` 2: with ``entity_forms`` and the head nouns of topics (``_topic_heads``); 1: without the
    heads; 0: names and aliases only. A lower level is used when a derived form clashes with another
    entity's (``load_actors`` refuses a form given to two actors)."""
    targets = [{"target": name, "kind": kind, "aliases": entity_forms(name, aliases) if level else aliases}
               for name, kind, aliases in item["entities"]]
    if level == 2:
        _topic_heads(targets)
    actors = actors_of_targets(targets)
    return actors, dict(zip(actors["id"], actors["name"]))


def _squeeze(text: str) -> str:
    return _SPACE.sub("", text)


def _map_sentences(item: dict, sentences: pd.DataFrame) -> dict[tuple, str]:
    """Each package sentence of one article -> the task sentence holding most of its characters."""
    bounds, pos = [], 0
    for sid, text in item["sentences"]:
        n = len(_squeeze(text))
        bounds.append((pos, pos + n, sid))
        pos += n
    joined = "".join(_squeeze(t) for _, t in item["sentences"])
    out, cursor = {}, 0
    rows = sorted(zip(sentences["paragraph"].tolist(), sentences["sentence"].tolist(), sentences["text"].tolist(),
                      sentences["article_id"].tolist()))
    for paragraph, sentence, text, article_id in rows:
        s = _squeeze(text)
        at = joined.find(s, cursor)
        if at < 0:  # cleaned differently (quote marks, dashes): place it after the previous one
            at = cursor
        end = at + max(len(s), 1)
        cursor = at + len(s)
        best = max(bounds, key=lambda b: min(end, b[1]) - max(at, b[0]))
        out[(article_id, paragraph, sentence)] = best[2]
    return out


def load_items(items: list[dict]) -> Loaded:
    """Load every article once and find each one's entities in it (its own registry)."""
    records = [{"file": it["id"], "text": " ".join(t for _, t in it["sentences"]), "title": it.get("title") or "",
                "outlet": it.get("outlet") or "", "date": it.get("date") or ""} for it in items]
    corpus = load_texts(records)
    index = corpus.articles.groupby("file", sort=False).indices
    paragraphs = corpus.paragraphs.groupby("file", sort=False).indices
    sentences = corpus.sentences.groupby("file", sort=False).indices
    found, quoted, names, sentence_of, files = [], [], {}, {}, {}
    for item in items:
        file = item["id"]
        if file not in index:  # no text: nothing found, its gold triplets all missed
            continue
        one = Corpus(corpus.folder, corpus.articles.iloc[index[file]],
                     corpus.paragraphs.iloc[paragraphs.get(file, [])],
                     corpus.sentences.iloc[sentences.get(file, [])], corpus.problems.iloc[0:0])
        for level in (2, 1, 0):  # fewer derived forms while two entities' forms clash
            actors, names[file] = _registry(item, level)
            try:
                found.append(find_mentions(one, actors))
                break
            except ValueError:
                if level == 0:
                    raise
        quoted.append(find_quotes(one, actors, mentions=found[-1]))
        sentence_of.update(_map_sentences(item, one.sentences))
        files[one.articles["article_id"].iloc[0]] = file
    if not found:
        raise ValueError("no article has any text")
    return Loaded(corpus, pd.concat(found, ignore_index=True), pd.concat(quoted, ignore_index=True), names,
                  sentence_of, files)


def predict(loaded: Loaded, method: str = "package", tone_method: str | None = None, tone=None) -> set[tuple]:
    """The found triplets ``(file, sentence id, holder name, target name, +1/-1)`` of ``method``.

    ``package``: ``find_stance`` with its default rules and target-aware tone
    (``tone_method``, default the best installed); ``cues``: ``find_stance``
    with the cue verbs only (the package before issue 19); ``baseline``: the
    first actor named in a sentence -> the second, with the sign of the
    sentence's VADER compound (0 counts as positive).
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}: choose from {', '.join(METHODS)}")
    corpus, mentions = loaded.corpus, loaded.mentions
    if method == "baseline":
        return _baseline(loaded)
    if method == "cues":
        edges = find_stance(corpus, mentions, rules="cues")
    else:
        from analysis.measure.tone import mention_tone

        if tone is None:
            tone = mention_tone(mentions, corpus.sentences, method=tone_method)
        edges = find_stance(corpus, mentions, tone=tone, quotes=loaded.quotes)
    out = set()
    for a, p, s, h, t, stance in zip(edges["article_id"], edges["paragraph"], edges["sentence"], edges["holder"],
                                     edges["target"], edges["stance"]):
        if stance == 0:
            continue
        file = loaded.files[a]
        out.add((file, loaded.sentence_of[(a, p, s)], loaded.names[file][h], loaded.names[file][t], int(stance)))
    return out


def _baseline(loaded: Loaded) -> set[tuple]:
    from analysis.models.lexicons import vader_analyzer

    vader = vader_analyzer()

    text = dict(zip(zip(loaded.corpus.sentences["article_id"], loaded.corpus.sentences["paragraph"],
                        loaded.corpus.sentences["sentence"]), loaded.corpus.sentences["text"]))
    first: dict[tuple, list[str]] = defaultdict(list)
    for a, p, s, actor in zip(loaded.mentions["article_id"], loaded.mentions["paragraph"],
                              loaded.mentions["sentence"], loaded.mentions["actor"]):
        if actor not in first[(a, p, s)]:
            first[(a, p, s)].append(actor)
    out = set()
    for key, actors in first.items():
        if len(actors) < 2:
            continue
        file = loaded.files[key[0]]
        sign = -1 if vader.polarity_scores(text[key])["compound"] < 0 else 1
        out.add((file, loaded.sentence_of[key], loaded.names[file][actors[0]], loaded.names[file][actors[1]], sign))
    return out


def gold_of(items: list[dict]) -> set[tuple]:
    """The gold triplets as ``(file, sentence id, holder, target, +1/-1)``, duplicates collapsed."""
    return {(it["id"], s, h, t, POLARITY[p]) for it in items for s, h, t, p in it["gold"]}


def stance_metrics(found: set[tuple], gold: set[tuple]) -> dict:
    """``F1``, ``precision``, ``recall`` of exact triplets, ``pair_F1`` ignoring polarity, ``n`` gold triplets."""
    def prf(f, g):
        tp = len(f & g)
        p = tp / len(f) if f else 0.0
        r = tp / len(g) if g else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    p, r, f1 = prf(found, gold)
    pp, pr, pf1 = prf({x[:4] for x in found}, {x[:4] for x in gold})
    return {"F1": f1, "precision": p, "recall": r, "pair_F1": pf1, "pair_precision": pp, "pair_recall": pr,
            "n": len(gold), "found": len(found)}


def score(items: list[dict], method: str = "package", tone_method: str | None = None,
          loaded: Loaded | None = None) -> dict:
    """``stance_metrics`` of ``method`` on ``items``."""
    loaded = loaded or load_items(items)
    return stance_metrics(predict(loaded, method, tone_method), gold_of(items))


def report(m: dict, method: str, split: str) -> str:
    """The printed report; its last line is ``F1=… precision=… recall=… pair_F1=… n=N``."""
    return "\n".join([
        f"method={method} split={split} found={m['found']} gold={m['n']}",
        f"pairs (polarity ignored): precision={m['pair_precision']:.3f} recall={m['pair_recall']:.3f}",
        (f"F1={m['F1']:.3f} precision={m['precision']:.3f} recall={m['recall']:.3f} pair_F1={m['pair_F1']:.3f} "
         f"n={m['n']}"),
    ])
