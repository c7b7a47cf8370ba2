"""Benchmark the target-sentiment methods on the NewsMTSC dev files.

Prints one row per method x dev file: macro-F1, accuracy and targets/second
(single process, lexicon caches cleared before each run).

    python benchmarks/bench_targets.py [DATA_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

from analysis.models.targets import METHODS, evaluate_targets

DEV_FILES = ("rw_dev.jsonl", "mt_dev.jsonl")


def main(data_dir: str | None = None) -> int:
    root = Path(data_dir) if data_dir else Path(__file__).resolve().parents[1] / "data" / "newsmtsc"
    print(f"| {'method':<8} | {'file':<12} | {'F1m':>5} | {'accuracy':>8} | {'targets/s':>9} |")
    print(f"|{'-' * 10}|{'-' * 14}|{'-' * 7}|{'-' * 10}|{'-' * 11}|")
    for method in METHODS:
        for name in DEV_FILES:
            _, m = evaluate_targets(root / name, method)
            print(
                f"| {method:<8} | {name:<12} | {m['macro_f1']:.3f} | {m['accuracy']:>8.3f} | {m['targets_per_s']:>9.0f} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
