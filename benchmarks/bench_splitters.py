"""Offline sentence splitters on the same text: speed (words/s) and the abbreviation cases we need.

    python benchmarks/bench_splitters.py [--articles 1000]

Builds a deterministic synthetic corpus from seeds/ (see analysis.run.synthetic),
splits every body paragraph with each installed splitter, and prints words/s
and how many of the hand-written hard cases each gets right.
"""

import argparse
import tempfile
import time

from analysis import load_corpus
from analysis.config import SEEDS_DIR
from analysis.load.text import count_words
from analysis.run.synthetic import make_synthetic_corpus

HARD = [
    ("U.S. President Donald Trump met Dr. Emily Carter on Aug. 18 in Washington. They talked.", 2),
    ("How Trump’s Presidency Could Impact N. Korea, Russia, and Ukraine. Analysts disagree.", 2),
    ("Then they left. N. Korea agreed to the talks.", 2),
    ("“Only one party is going to be present,” Zelenskyy said. “It is a victory for Putin.”", 2),
    ("The U.S. and the EU agreed. Russia did not.", 2),
]


def splitters():
    found = {}
    try:
        import nupunkt
        found["nupunkt"] = lambda t: nupunkt.sentence_spans(t)
    except ImportError:
        pass
    try:
        import blingfire
        found["blingfire"] = lambda t: blingfire.text_to_sentences_and_offsets(t)[1]
    except ImportError:
        pass
    try:
        import pysbd
        seg = pysbd.Segmenter(language="en", clean=False, char_span=True)
        found["pysbd"] = lambda t: seg.segment(t)
    except ImportError:
        pass
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = load_corpus(make_synthetic_corpus(SEEDS_DIR, args.articles, tmp))
    texts = corpus.body()["text"].str.replace("\n", " ").tolist()
    words = sum(count_words(t) for t in texts)
    print(f"{len(texts):,} paragraphs, {words:,} words\n")
    print(f"{'splitter':<10} {'words/s':>12} {'hard cases right':>18}")
    for name, split in splitters().items():
        sample = texts if name != "pysbd" else texts[: max(1, len(texts) // 20)]
        sample_words = sum(count_words(t) for t in sample)
        start = time.perf_counter()
        for t in sample:
            split(t)
        rate = sample_words / (time.perf_counter() - start)
        right = sum(len(split(text)) == n for text, n in HARD)
        print(f"{name:<10} {rate:>12,.0f} {right:>14}/{len(HARD)}")


if __name__ == "__main__":
    main()
