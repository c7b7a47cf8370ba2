"""Command line: ``python -m analysis check|run|evaluate-targets …``.

Exit codes, for every command: 0 when everything went cleanly, 1 when the
work was done but some input had problems (listed on screen), 2 when the
input itself is unusable or a step failed. A user's mistake prints one clear
sentence, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .corpus import CorpusError, load_corpus

EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="load a corpus folder and report every file that could not be used")
    p.add_argument("folder")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("run", help="run every notebook on a corpus folder; write figures, notebooks and HTML")
    p.add_argument("folder", nargs="?", default=None, help="corpus folder (default: the project's seeds/)")
    p.add_argument("--out", default=None, help="output folder (default: the project folder itself)")
    p.add_argument("--notebooks", nargs="*", default=None, help="only these notebooks (names or numbers)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("evaluate-targets", help="score a NewsMTSC-format file of targets against its labels")
    p.add_argument("file")
    p.add_argument("--method", default=None, help="textblob, vader, window or model (default: the best installed)")
    p.set_defaults(func=cmd_evaluate_targets)

    p = sub.add_parser("train-targets-light", help="refit the shipped light target-sentiment model")
    p.add_argument("--train", default=None, help="NewsMTSC train.jsonl (default: the copy in data/newsmtsc)")
    p.add_argument("--out", default=None, help="model file to write (default: the shipped one)")
    p.set_defaults(func=cmd_train_light)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except CorpusError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def cmd_check(args) -> int:
    corpus = load_corpus(args.folder)
    print(format_check(corpus))
    return check_status(corpus)


def check_status(corpus) -> int:
    """0 when everything loaded cleanly, 1 when there were problems, 2 when nothing could be loaded."""
    if corpus.articles.empty:
        return EXIT_UNUSABLE
    return EXIT_PROBLEMS if len(corpus.problems) else EXIT_OK


def format_check(corpus) -> str:
    """One line per file (loaded, or its problems), then a summary line."""
    lines = []
    by_file = corpus.problems.groupby("file", sort=False)
    problem_files = {name: group for name, group in by_file}
    for file in corpus.articles["file"]:
        if file in problem_files:
            continue
        lines.append(f"ok       {file}")
    for file, group in problem_files.items():
        loaded = bool(group["loaded"].all())
        status = "loaded " if loaded else "SKIPPED"
        reasons = "; ".join(f"[{p}] {m}" for p, m in zip(group["problem"], group["message"]))
        lines.append(f"{status}  {file}: {reasons}")
    n_skipped = int((~corpus.problems.groupby("file")["loaded"].all()).sum()) if len(corpus.problems) else 0
    summary = (
        f"{len(corpus.articles)} article(s) loaded from {corpus.folder}; "
        f"{len(problem_files)} file(s) with problems, {n_skipped} not loaded."
    )
    if corpus.articles.empty:
        summary += " Nothing to analyse."
    lines.append(summary)
    return "\n".join(lines)


def cmd_run(args) -> int:
    from .runner import NotebookFailed, run_notebooks

    corpus = load_corpus(args.folder) if args.folder else load_corpus(_seeds())
    status = check_status(corpus)
    if len(corpus.problems):
        print(format_check(corpus))
    if status == EXIT_UNUSABLE:
        return status
    try:
        outputs = run_notebooks(corpus.folder, args.out, only=args.notebooks, log=print)
    except NotebookFailed as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_UNUSABLE
    print(f"{len(outputs)} notebook(s) executed; figures in {outputs and outputs[0].figures_dir}")
    return status


def _seeds() -> Path:
    from .config import SEEDS_DIR

    return SEEDS_DIR


def cmd_evaluate_targets(args) -> int:
    from . import targets

    return targets.evaluate_targets_cli(args.file, args.method or targets.DEFAULT_METHOD)


def cmd_train_light(args) -> int:
    from . import targets
    from .config import EVAL_DIR

    train = args.train or str(EVAL_DIR / "train.jsonl")
    out = args.out or str(targets.MODEL_PATH)
    return targets.train_light_cli(train, out)
