"""Speed of every stage of the analysis, against the floor set by the sentiment lexicons.

    python benchmarks/bench.py                      # synthetic corpora of 1,000 and 10,000 articles
    python benchmarks/bench.py --sizes 1000         # one size
    python benchmarks/bench.py --folder path/to/corpus
    python benchmarks/bench.py --sizes 200 --run     # also the whole `run` (notebooks), cold and after one new article

Builds deterministic corpora from seeds/ (paragraphs reshuffled across
articles, every sentence tagged so none repeats; see analysis.run.synthetic), times each stage in one process
(tone once per installed model: the light one and, with its extra, the transformer, in mentions/s), the whole
``analyze`` (no cache) with 1 and 2 worker processes in a fresh process each
(with its peak memory), a rerun after adding one article (warm cache), and
the floor: TextBlob plus VADER on the same body sentences with nothing else.
Prints one table per corpus and the ratio analyze / floor. Not part of the
test suite: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis.config import SEEDS_DIR
from analysis.count import frames, keyness, terms
from analysis.load.corpus import load_corpus
from analysis.load.text import split_sentences
from analysis.measure.actors import find_mentions, load_actors
from analysis.measure.quotes import find_quotes
from analysis.measure.stance import find_stance
from analysis.measure.tone import mention_tone
from analysis.models import scorers
from analysis.run.synthetic import make_synthetic_corpus

# Peak memory from VmHWM, the high-water mark of this process's own memory. Not
# ru_maxrss: on Linux a child starts with its parent's, so every child of this
# script (which holds a whole corpus for the stage table) reported the script's peak.
CHILD = """
import json, resource, sys, time
from analysis.run.pipeline import analyze

def peak_mb():
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

start = time.perf_counter()
tables = analyze(sys.argv[1], jobs=int(sys.argv[2]), cache=sys.argv[3] if sys.argv[3] != "-" else False)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb(), "words": int(tables["articles"]["n_words"].sum())}))
"""


def timed(func, *args, **kwargs):
    start = time.perf_counter()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - start


def analyze_in_child(folder: Path, jobs: int, cache: str = "-") -> dict:
    """Run analyze in a fresh interpreter: honest start-up, and its own peak memory."""
    out = subprocess.run([sys.executable, "-c", CHILD, str(folder), str(jobs), cache],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def floor(sentences: list[str]) -> float:
    """Seconds for TextBlob polarity/subjectivity plus VADER compound of each sentence, nothing else."""
    from textblob.en.sentiments import PatternAnalyzer
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    pattern, vader = PatternAnalyzer(), SentimentIntensityAnalyzer()
    start = time.perf_counter()
    for text in sentences:
        pattern.analyze(text)
        vader.polarity_scores(text)
    return time.perf_counter() - start


def add_one_article(folder: Path) -> Path:
    """A new article (the first one plus a new sentence) with its manifest row; returns its path."""
    first = min(p.name for p in folder.glob("*.txt"))
    extra = folder / "zz_added.txt"
    extra.write_text((folder / first).read_text(encoding="utf-8") + "\nOne more sentence so the content is new.\n",
                     encoding="utf-8")
    manifest = folder / "articles.csv"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    row = next(line for line in lines if line.startswith(first + ","))
    manifest.write_text("\n".join([*lines, "zz_added.txt" + row[len(first):]]) + "\n", encoding="utf-8")
    return extra


def time_run(folder: Path, out: Path, cache: str) -> float:
    """Wall seconds of `python -m analysis run FOLDER --out OUT --jobs 2` with its own cache folder."""
    env = {**os.environ, "ANALYSIS_CACHE_DIR": cache}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "analysis", "run", str(folder), "--out", str(out), "--jobs", "2"],
                          capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:  # say why (a full disk, a failing notebook) instead of a bare exit status
        sys.exit(f"`analysis run {folder}` exited with {done.returncode}:\n{done.stderr[-3000:]}")
    return time.perf_counter() - start


def bench_run(folder: Path, label: str) -> None:
    """The whole `run` (analysis and notebooks): cold cache, then after adding one article."""
    manifest = (folder / "articles.csv").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        first = time_run(folder, Path(tmp) / "out", str(Path(tmp) / "cache"))
        extra = add_one_article(folder)
        try:
            second = time_run(folder, Path(tmp) / "out", str(Path(tmp) / "cache"))
        finally:
            extra.unlink()
            (folder / "articles.csv").write_text(manifest, encoding="utf-8")
    print(f"\n## whole `run --jobs 2` on {label}\n")
    print(f"- first run (empty cache): {first:.1f} s")
    print(f"- second run, one article added: {second:.1f} s ({second / first:.0%} of the first)")


def bench(folder: Path, label: str) -> None:
    rows = []
    corpus, seconds = timed(load_corpus, folder)
    n_articles, n_words = len(corpus.articles), int(corpus.articles["n_words"].sum())
    rows.append(("load (read, clean, split)", seconds))
    body = corpus.body()["text"].tolist()
    _, seconds = timed(lambda: [split_sentences(t) for t in body])
    rows.append(("  of which: sentence split", seconds))
    actors = load_actors()
    mentions, seconds = timed(find_mentions, corpus, actors)
    rows.append(("mentions", seconds))
    english = mentions[mentions["article_id"].isin(corpus.articles.loc[corpus.articles["language"] == "en", "article_id"])]
    tone_speed = {}
    for method in [m for m in ("model", "transformer") if scorers.get(m).available()]:
        _, seconds = timed(mention_tone, english, corpus.sentences, method=method)
        default = " (the default)" if method == scorers.best_available() else ""
        rows.append((f"tone (lexicons + {method}){default}", seconds))
        tone_speed[method] = (len(english), seconds)
    _, seconds = timed(lambda: (find_quotes(corpus, actors, mentions=mentions), find_stance(corpus, mentions)))
    rows.append(("quotes and stance", seconds))
    phrases = terms.actor_phrases(actors)
    paragraphs = corpus.body()
    # As analyze counts them: 1-3-grams by outlet and, in the same pass, each article's words.
    counts, seconds = timed(terms.count_terms, paragraphs, by="outlet", ngram_range=(1, 3), phrases=phrases,
                            by_article=True)
    _, tables = timed(lambda: (terms.table_from_counts(counts),
                               terms.table_from_counts(counts.by_article, top=5, value="tfidf")))
    rows.append(("terms (1-3-grams by outlet, top words per article)", seconds + tables))
    _, seconds = timed(keyness.keyness, paragraphs, by="outlet", phrases=phrases)
    rows.append(("keyness by outlet", seconds))
    hits, seconds = timed(frames.frame_hits, corpus.paragraphs)
    rows.append(("frames (hits + shares)", seconds + timed(frames.frame_shares, hits, by="outlet")[1]))
    floor_seconds = floor(corpus.sentences["text"].tolist())
    rows.append(("FLOOR: TextBlob + VADER per sentence", floor_seconds))

    one = analyze_in_child(folder, 1)
    two = analyze_in_child(folder, 2)
    manifest = (folder / "articles.csv").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as cache:
        analyze_in_child(folder, 2, cache)
        extra = add_one_article(folder)
        try:
            rerun = analyze_in_child(folder, 1, cache)
        finally:
            extra.unlink()
            (folder / "articles.csv").write_text(manifest, encoding="utf-8")

    print(f"\n## {label}: {n_articles:,} articles, {n_words:,} body words\n")
    print("| stage | seconds | words/s | articles/s |\n|---|---:|---:|---:|")
    for name, secs in rows:
        print(f"| {name} | {secs:.2f} | {n_words / secs:,.0f} | {n_articles / secs:,.0f} |")
    for name, r in (("analyze, 1 process", one), ("analyze, --jobs 2", two)):
        print(f"| {name} | {r['seconds']:.2f} | {n_words / r['seconds']:,.0f} | {n_articles / r['seconds']:,.0f} |")
    print(f"| rerun after adding one article (cache) | {rerun['seconds']:.2f} | | |")
    print()
    print(f"- analyze (1 process) / floor: {one['seconds'] / floor_seconds:.2f}x")
    print(f"- speed-up with --jobs 2: {one['seconds'] / two['seconds']:.2f}x")
    print(f"- rerun after adding one article: {rerun['seconds'] / one['seconds']:.1%} of a full run")
    print(f"- peak memory: {one['peak_mb']:,.0f} MB (1 process), {two['peak_mb']:,.0f} MB (--jobs 2, parent only)")
    for method, (n, secs) in tone_speed.items():
        print(f"- tone with {method}: {n:,} mentions in {secs:.1f} s, {n / secs:,.0f} mentions/s (batched; "
              "a repeated target is scored once)")
    print(f"- analyze uses the default method, {scorers.best_available()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--folder", type=Path, default=None, help="benchmark this corpus folder instead")
    parser.add_argument("--run", action="store_true", help="also time the whole `run` (analysis and notebooks)")
    parser.add_argument("--no-stages", action="store_true", help="skip the stage table (with --run: only the run)")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}; command: {' '.join(sys.argv)}")

    def measure(folder: Path, label: str) -> None:
        if not args.no_stages:
            bench(folder, label)
        if args.run:
            bench_run(folder, label)

    if args.folder:
        measure(args.folder, str(args.folder))
        return
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            # Distinct sentences: no stage may profit from scoring a repeated sentence once.
            folder = make_synthetic_corpus(SEEDS_DIR, n, Path(tmp) / f"synthetic_{n}", distinct_sentences=True)
            measure(folder, f"synthetic corpus of {n:,} articles from seeds/")


if __name__ == "__main__":
    main()
