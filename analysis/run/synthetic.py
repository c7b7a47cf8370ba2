"""Larger corpora built from a small one, for benchmarks and scale tests.

``make_synthetic_corpus(source, n, out)`` writes ``n`` articles whose body
paragraphs are drawn, with a fixed seed, from the body paragraphs of the
source corpus, reshuffled across articles so that no two articles are
identical repeats; outlets, countries and dates are drawn from the source
manifest. The same arguments always write the same files.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from analysis.load.corpus import load_corpus
from analysis.load.text import split_sentences

__all__ = ["make_synthetic_corpus"]


def make_synthetic_corpus(source, n: int, out, seed: int = 0, paragraphs_per_article: tuple[int, int] = (6, 18),
                          distinct_sentences: bool = False) -> Path:
    """Write ``n`` synthetic articles and an ``articles.csv`` to ``out``; return ``out``.

    Each article gets between ``paragraphs_per_article`` body paragraphs
    sampled from the source, in a random order, and the metadata of a random
    source article (with a date shifted by up to 60 days).

    ``distinct_sentences`` starts every sentence with a unique tag word
    ("Ref12x3x1"), so that no two sentences of the corpus are equal: a
    benchmark then cannot profit from scoring a repeated sentence once.
    """
    src = load_corpus(source)
    body = src.paragraphs[src.paragraphs["kind"] == "body"]["text"].tolist()
    meta = src.articles[["outlet", "country", "genre", "date"]].to_dict("records")
    if not body or not meta:
        raise ValueError(f"{source} has no body paragraphs to build a corpus from")
    rng = np.random.default_rng(seed)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    width = len(str(n - 1))
    rows = []
    for i in range(n):
        k = int(rng.integers(paragraphs_per_article[0], paragraphs_per_article[1] + 1))
        picks = rng.choice(len(body), size=min(k, len(body)), replace=False)
        name = f"syn_{i:0{width}d}.txt"
        paragraphs = [body[j] for j in picks]
        if distinct_sentences:
            paragraphs = [_tag_sentences(p, f"Ref{i}x{k}") for k, p in enumerate(paragraphs)]
        (out / name).write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        m = meta[int(rng.integers(len(meta)))]
        date = m["date"] + np.timedelta64(int(rng.integers(-60, 61)), "D") if m["date"] == m["date"] else None
        rows.append({
            "file": name, "outlet": m["outlet"], "country": m["country"], "genre": m["genre"],
            "date": f"{date:%Y-%m-%d}" if date is not None else "",
        })
    with open(out / "articles.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["file", "outlet", "country", "genre", "date"])
        writer.writeheader()
        writer.writerows(rows)
    return out


def _tag_sentences(paragraph: str, tag: str) -> str:
    spans = split_sentences(paragraph)
    return " ".join(f"{tag}x{k} {paragraph[a:b]}" for k, (a, b) in enumerate(spans))
