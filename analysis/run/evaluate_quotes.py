"""Quotes and speakers against human attributions: ``evaluate-quotes``.

The task format (``/eval/README.md`` of the shared data, "Task files"): JSON
lines, one per document, with ``id``, ``text`` and ``attributions``, each
``{content, content_start, content_end, direct, source, …}`` with character
offsets into ``text``. Each document is loaded from its text exactly as a
file would be (``load_texts``) and the package's own ``find_quotes`` runs on
the corpus with the shipped actors table; the quotations' paragraph offsets
are mapped back to the document (a paragraph's ``start``).

Matching: a found quotation matches a gold attribution of the same kind
when it covers at least half of the gold content's characters; pairs are
made one-to-one, greedily by overlap (largest first). The speaker of a
matched pair is right when the last token of the speaker phrase as written
(``speaker_text``: "he", "Mr. Trump", "a senior official") equals the last
token of the gold source, case-insensitive, which is how the annotators
marked it (a pronoun is marked as the pronoun); ``speaker_accuracy`` is
taken over the matched pairs whose gold has a source.

``--method baseline`` is the issue's rule of thumb: the text between
quotation marks, and the capitalised name nearest to it outside any
quotation; for ``indirect``, the text after "said that" (or another
reporting verb followed by "that") to the end of the sentence, with the
nearest capitalised name before the verb.
"""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd

from analysis.load.corpus import load_texts
from analysis.measure.quotes import REPORTING_VERBS, find_quotes
from analysis.run.evaluate import read_jsonl, split_key

__all__ = ["METHODS", "baseline_quotes", "errors", "package_quotes", "read_quotes_task", "report", "score"]

METHODS = ("package", "baseline")
KINDS = ("direct", "indirect")
_SPAN_KEYS = ("content_start", "content_end")


def read_quotes_task(path) -> list[dict]:
    """The documents of a quotes task file; ``ValueError`` naming the line of a malformed one."""
    docs = []
    for number, doc in read_jsonl(path, ("id", "text", "attributions")):
        if not isinstance(doc["text"], str) or not isinstance(doc["attributions"], list):
            raise ValueError(f"line {number}: text must be a string and attributions a list")  # noqa: TRY004 - a bad file: exit 2
        for a in doc["attributions"]:
            if not isinstance(a, dict) or any(not isinstance(a.get(k), int) for k in _SPAN_KEYS):
                raise ValueError(f"line {number}: every attribution needs integer content_start and content_end")
            if not 0 <= a["content_start"] <= a["content_end"] <= len(doc["text"]):
                raise ValueError(f"line {number}: an attribution's content offsets fall outside the text")
        docs.append(doc)
    return docs


def in_split(docs: list[dict], split: str) -> list[dict]:
    """The documents of ``split`` (all | tune | holdout), by ``split_key`` of their id."""
    return docs if split == "all" else [d for d in docs if split_key(d["id"]) == split]


def gold_items(doc: dict, kind: str) -> list[dict]:
    """The gold attributions of one kind (direct: ``direct`` true; indirect: the others)."""
    return [a for a in doc["attributions"] if bool(a.get("direct")) == (kind == "direct")]


def package_quotes(docs: list[dict], kind: str = "direct", actors=None) -> dict[str, list[dict]]:
    """Per document id, the quotations ``find_quotes`` gives, in document offsets.

    Each is ``{start, end, speaker_text, speaker_name, speaker_type}``; a
    direct quotation's span takes in its quotation marks, as the gold does.
    """
    records = [{"file": d["id"], "text": d["text"], "title": d.get("title") or "",
                "outlet": d.get("outlet") or "", "date": d.get("date") or ""} for d in docs]
    corpus = load_texts(records)
    quotes = find_quotes(corpus, actors=actors)
    quotes = quotes[quotes["kind"] == kind]
    para = corpus.paragraphs.set_index(["article_id", "paragraph"])["start"].to_dict()
    files = dict(zip(corpus.articles["article_id"], corpus.articles["file"]))
    found: dict[str, list[dict]] = {d["id"]: [] for d in docs}
    pad = 1 if kind == "direct" else 0
    for q in quotes.itertuples(index=False):
        offset = para[(q.article_id, q.paragraph)]
        found[files[q.article_id]].append({
            "start": offset + q.start - pad, "end": offset + q.end + pad,
            "speaker_text": None if _na(q.speaker_text) else q.speaker_text,
            "speaker_name": None if _na(q.speaker_name) else q.speaker_name,
            "speaker_type": q.speaker_type})
    return found


def _na(value) -> bool:
    return bool(pd.isna(value))


_MARKED = re.compile(r"“[^“”]*”|\"[^\"\n]*\"")
_CAPITALISED = re.compile(r"\b(?:[A-Z][\w’'.-]*)(?:\s+[A-Z][\w’'-]*)*")
_NOT_NAMES = {"The", "A", "An", "He", "She", "It", "They", "We", "I", "But", "And", "In", "On", "This", "That"}
_INDIRECT = re.compile(r"\b({})\s+that\s+([^.!?]+)".format("|".join(map(re.escape, REPORTING_VERBS))))


def _names(text: str, quoted: list[tuple[int, int]]):
    for m in _CAPITALISED.finditer(text):
        if m.group().split()[0] in _NOT_NAMES or any(a <= m.start() < b for a, b in quoted):
            continue
        yield m.start(), m.end(), m.group().rstrip(".")


def baseline_quotes(docs: list[dict], kind: str = "direct", min_words: int = 3) -> dict[str, list[dict]]:
    """The issue's baseline: quoted text of ``min_words`` or more (or "said that …"), and the nearest
    capitalised name of the same paragraph outside quotation marks (before the verb, for indirect)."""
    found = {}
    for d in docs:
        text = d["text"]
        marked = [(m.start(), m.end()) for m in _MARKED.finditer(text)]
        names = list(_names(text, marked))
        if kind == "direct":
            spans = [(a, b) for a, b in marked if len(text[a:b].split()) >= min_words]
        else:
            spans = [(m.start(2), m.end(2)) for m in _INDIRECT.finditer(text)]
        out = []
        for a, b in spans:
            lo, hi = text.rfind("\n", 0, a) + 1, text.find("\n", b)
            hi = len(text) if hi < 0 else hi
            here = [n for n in names if lo <= n[0] and n[1] <= hi]
            if kind == "direct":
                near = min(here, key=lambda n: min(abs(n[0] - b), abs(a - n[1])), default=None)
            else:
                near = max((n for n in here if n[1] <= a), key=lambda n: n[1], default=None)
            name = near[2] if near else None
            out.append({"start": a, "end": b, "speaker_text": name, "speaker_name": name,
                        "speaker_type": "named" if name else "none"})
        found[d["id"]] = out
    return found


def _last(phrase) -> str | None:
    tokens = str(phrase).replace("’s", "").split() if phrase else []
    return tokens[-1].strip(",.;:'\"“”’").casefold() if tokens else None


_APPOSITIVE = re.compile(r"\s*(?:,|\(|\bwho\b).*$", re.DOTALL)


def _head(source: str) -> str:
    """The gold source without its appositive: "Leslie Wimes, a South Florida-based president of …" ->
    "Leslie Wimes", "Rep. Gwen Moore (D-Wis.)" -> "Rep. Gwen Moore" (the annotators often marked both)."""
    head = _APPOSITIVE.sub("", source)
    return head if head.strip() else source


def match(found: list[dict], gold: list[dict]) -> list[tuple[int, int]]:
    """One-to-one pairs (found index, gold index), greedy by overlap, each covering half the gold's characters."""
    candidates = []
    for i, f in enumerate(found):
        for j, g in enumerate(gold):
            overlap = min(f["end"], g["content_end"]) - max(f["start"], g["content_start"])
            size = g["content_end"] - g["content_start"]
            if overlap > 0 and 2 * overlap >= size:
                candidates.append((-overlap, i, j))
    pairs, used_f, used_g = [], set(), set()
    for _, i, j in sorted(candidates):
        if i not in used_f and j not in used_g:
            pairs.append((i, j))
            used_f.add(i)
            used_g.add(j)
    return pairs


def score(docs: list[dict], found: dict[str, list[dict]], kind: str = "direct") -> dict:
    """F1, precision, recall, speaker_accuracy and the counts behind them, over all documents."""
    n_found = n_gold = n_match = n_with_source = n_right = n_head = 0
    for d in docs:
        gold = gold_items(d, kind)
        mine = found.get(d["id"], [])
        pairs = match(mine, gold)
        n_found += len(mine)
        n_gold += len(gold)
        n_match += len(pairs)
        for i, j in pairs:
            source = gold[j].get("source")
            if source:
                n_with_source += 1
                n_right += _last(mine[i]["speaker_text"]) == _last(source)
                n_head += _last(mine[i]["speaker_text"]) == _last(_head(source))
    precision = n_match / n_found if n_found else 0.0
    recall = n_match / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"F1": f1, "precision": precision, "recall": recall,
            "speaker_accuracy": n_right / n_with_source if n_with_source else 0.0, "n": n_gold,
            "n_found": n_found, "n_matched": n_match, "n_with_source": n_with_source, "n_speaker_right": n_right,
            "speaker_accuracy_head": n_head / n_with_source if n_with_source else 0.0}


def errors(docs: list[dict], found: dict[str, list[dict]], kind: str = "direct") -> Counter:
    """What fails, by category: unmatched found quotes, missed gold ones, wrong speakers (by the gold's form)."""
    counts: Counter = Counter()
    for d in docs:
        gold = gold_items(d, kind)
        mine = found.get(d["id"], [])
        pairs = match(mine, gold)
        matched_f = {i for i, _ in pairs}
        matched_g = {j for _, j in pairs}
        for i, f in enumerate(mine):
            if i not in matched_f:
                words = len(d["text"][f["start"]:f["end"]].split())
                size = "short (1-2 words)" if words <= 2 else "longer"
                counts[f"extra quote, {size}, speaker {'none' if not f['speaker_text'] else 'found'}"] += 1
        for j, g in enumerate(gold):
            if j not in matched_g:
                near = any(min(f["end"], g["content_end"]) > max(f["start"], g["content_start"]) for f in mine)
                counts["missed gold, partly covered" if near else "missed gold, not found"] += 1
        for i, j in pairs:
            source = gold[j].get("source")
            if not source:
                continue
            if _last(mine[i]["speaker_text"]) == _last(source):
                continue
            form = "pronoun" if _last(source) in {"he", "she", "they", "i", "we"} else "name or description"
            what = "no speaker" if not mine[i]["speaker_text"] else "other speaker"
            counts[f"wrong speaker, gold {form}, {what}"] += 1
    return counts


def report(figures: dict, error_counts: Counter | None = None) -> str:
    """The report: the error counts (if given), the counts, and the last line of the figures."""
    lines = []
    for what, n in sorted((error_counts or {}).items()):
        lines.append(f"{what}: {n}")
    lines.append(f"found={figures['n_found']} matched={figures['n_matched']} "
                 f"with_source={figures['n_with_source']} speaker_right={figures['n_speaker_right']} "
                 f"speaker_accuracy_head={figures['speaker_accuracy_head']:.3f}")
    lines.append(f"F1={figures['F1']:.3f} precision={figures['precision']:.3f} recall={figures['recall']:.3f} "
                 f"speaker_accuracy={figures['speaker_accuracy']:.3f} n={figures['n']}")
    return "\n".join(lines)
