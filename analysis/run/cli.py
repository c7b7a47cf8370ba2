"""Command line: ``python -m analysis check|run|evaluate-targets|evaluate-article-tone …``.

Exit codes, for every command (the contract, in the README):

- ``0``: everything loaded and every step finished;
- ``1``: finished, but some inputs were reported (listed on screen and in
  the problems table);
- ``2``: the command cannot run as asked: a bad flag or value (an unknown
  ``--method``), a missing folder, nothing loadable, an unusable actors file,
  a full disk; one line says why, argparse-style;
- ``3``: an internal error (a bug, or a notebook that failed): one line, and
  the path of a log holding the traceback.

A user's mistake prints one clear sentence, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.config import OUTPUT_PARTS, PROVENANCE_NAME
from analysis.config import VERSION as __version__
from analysis.load.corpus import CorpusError, load_corpus
from analysis.outputs import DiskFull

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_UNUSABLE = EXIT_USAGE  # the input cannot be used as given: the user can act on it


def _split_argument(p: argparse.ArgumentParser, units: str, section: str) -> None:
    """``--split all|tune|holdout`` of an ``evaluate-*`` command (the split is ``evaluate.split_key``'s)."""
    p.add_argument("--split", default="all", choices=("all", "tune", "holdout"),
                   help=f"score only this split of the file's {units} (see README, {section})")


def _positive(value: str) -> int:
    """A whole number of at least 1 (argparse exits 2 naming the flag otherwise)."""
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {value!r}")
    return n


_jobs = _positive


def _tone_methods() -> tuple[str, ...]:
    from analysis.models import scorers

    return scorers.names()


def _prog() -> str:
    """The program's name as the user typed it: the console command, or ``python -m analysis``."""
    return "newsframes" if Path(sys.argv[0]).name == "newsframes" else "python -m analysis"


def build_parser() -> argparse.ArgumentParser:
    """Every command, its arguments and their checks (a bad value exits 2 with argparse's message)."""
    parser = argparse.ArgumentParser(prog=_prog(), description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="load a corpus folder and report every file that could not be used",
                       description="Load a corpus folder (text, Markdown, HTML, Nexis/Factiva exports, PDFs, tables) "
                                   "and list every file: how many articles it gave in which format, or why it "
                                   "could not be used.",
                       epilog="example: python -m analysis check my_corpus --text-column story")
    p.add_argument("folder")
    _column_flags(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("init", help="make a ready project folder: notebooks, sample articles, an actors table to edit",
                       description="Make a project folder: the numbered notebooks, the sample articles (articles/, "
                                   "with articles.csv), the shipped actors table to edit (actors.csv) and a README "
                                   "of five lines saying what to type next. An existing non-empty folder is refused.",
                       epilog="example: newsframes init my_project && cd my_project && newsframes run articles "
                              "--out results")
    p.add_argument("folder")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("suggest-actors", help="propose an actors table for a corpus, to edit and pass with --actors",
                       description="Read a corpus folder and write a proposed actors table: the names it mentions "
                                   "most (people, states, organisations, groups), each with its name forms merged, "
                                   "a proposed kind, the number of articles naming it and an example sentence. "
                                   "Edit it (fix kinds, merge or delete rows, add roles), then pass it to analyze "
                                   "or run with --actors.",
                       epilog="example: python -m analysis suggest-actors my_corpus --out actors.csv && "
                              "python -m analysis run my_corpus --actors actors.csv")
    p.add_argument("folder")
    p.add_argument("--out", default="actors.csv", help="where to write the table (default: actors.csv)")
    p.add_argument("--top", type=_positive, default=100, help="at most this many actors (default 100)")
    p.add_argument("--min-articles", type=_positive, default=2,
                   help="only names found in at least this many articles (default 2)")
    p.add_argument("--force", action="store_true", help="overwrite --out if it exists (your edits would be lost)")
    _column_flags(p)
    p.set_defaults(func=cmd_suggest_actors)

    for name, func, what, example in (
        ("analyze", cmd_analyze, "compute every table of the notebooks; write DIR/tables/ (Parquet and CSV)",
         "python -m analysis analyze my_corpus --out results/ --jobs 2"),
        ("run", cmd_run, "analyze, then run every notebook; write tables, figures, notebooks and HTML",
         "python -m analysis run my_corpus --out results/ --actors actors.csv --group-by leaning"),
    ):
        p = sub.add_parser(name, help=what, description=what[0].upper() + what[1:] + ".",
                           epilog=f"example: {example}")
        p.add_argument("folder", nargs="?", default=None, help="corpus folder (default: the project's seeds/)")
        p.add_argument("--out", default=None, help="output folder (default: the project folder itself)")
        p.add_argument("--jobs", type=_jobs, default=1, help="worker processes for per-article work (default 1)")
        p.add_argument("--no-cache", action="store_true", help="recompute everything instead of reusing cached articles")
        p.add_argument("--method", default=None, choices=_tone_methods(),
                       help="tone-toward-actor method (default: transformer when its extra is installed, else model)")
        p.add_argument("--actors", default=None, help="your own actors table CSV (default: the shipped one)")
        p.add_argument("--frames", default=None, help="your own frame dictionary CSV (default: the shipped one)")
        p.add_argument("--group-by", default=None, metavar="COLUMN",
                       help="also compare groups of outlets by this articles.csv column (leaning, country, owner…): "
                            "writes NAME_by_COLUMN beside each outlet-level table; notebook 02 draws them")
        _column_flags(p)
        if name == "run":
            p.add_argument("--notebooks", nargs="*", default=None, help="only these notebooks (names or numbers)")
        else:
            p.add_argument("--engine", choices=("pandas", "dask"), default="pandas",
                           help="dask: per-article work as Dask tasks, tables as partitioned Parquet")
            p.add_argument("--scheduler", default=None,
                           help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: a local cluster)")
        p.set_defaults(func=func)

    p = sub.add_parser("evaluate-targets", help="score a NewsMTSC-format file of targets against its labels",
                       description="Score tone toward each marked target of a NewsMTSC-format file (JSON lines) "
                                   "against its human labels. The last line is F1m=… accuracy=… n=N.",
                       epilog="example: python -m analysis evaluate-targets data/newsmtsc/mt_dev.jsonl --method model")
    p.add_argument("file")
    p.add_argument("--method", default=None, choices=_tone_methods(),
                   help="scoring method (default: transformer when its extra is installed, else model)")
    p.add_argument("--model-dir", default=None,
                   help="transformer model folder (default: the shipped one, analysis/models/data/transformer/)")
    p.set_defaults(func=cmd_evaluate_targets)

    p = sub.add_parser("evaluate-article-tone",
                       help="score article-level tone toward each target against human labels",
                       description="Score article-level tone toward each target against human labels. FILE is "
                                   "an article-tone task file (JSON lines, see docs/article_tone_task.md), or a CSV "
                                   "file,actor,label of your own hand-coded articles with --corpus (and --actors). "
                                   "The last line is F1m=… accuracy=… rho=… coverage=… n=N (and outlet_rho=… "
                                   "when the items have outlets).",
                       epilog="example: python -m analysis evaluate-article-tone seesaw_valid.jsonl --method model")
    p.add_argument("file")
    p.add_argument("--method", default=None, choices=(*_tone_methods(), "neutral"),
                   help="mention method, or neutral (always neutral) (default: the best installed)")
    p.add_argument("--pool", default="calibrated", choices=("calibrated", "mean"),
                   help="calibrated: the shipped article-level pooling (default); mean: the plain mean of mentions")
    _split_argument(p, "stories", "Validating article tone")
    p.add_argument("--corpus", default=None, help="with a hand-coded CSV: the corpus folder it codes")
    p.add_argument("--actors", default=None, help="with a hand-coded CSV: the actors table (default: the shipped one)")
    p.add_argument("--record", default=None, metavar="CALIBRATION_JSON",
                   help="also record the figures in this calibration file's 'validated' section, which the "
                        "notebooks quote beside the figures")
    p.set_defaults(func=cmd_evaluate_article_tone)

    p = sub.add_parser("evaluate-stance",
                       help="score stance triplets holder -> target against human annotation",
                       description="Score the stance finder against human stance triplets. FILE is a stance task "
                                   "file (JSON lines, one article with its sentences, entities and gold triplets; "
                                   "see README, Validating stance); each article's entities are its actors table. "
                                   "The last line is F1=… precision=… recall=… pair_F1=… n=N (pair_F1 ignores "
                                   "polarity).",
                       epilog="example: python -m analysis evaluate-stance seesaw_valid.jsonl --method baseline")
    p.add_argument("file")
    p.add_argument("--method", default="package", choices=("package", "cues", "baseline"),
                   help="package: the clause rules with target-aware tone (default); cues: the cue verbs only; "
                        "baseline: first named -> second named, sign of the sentence's VADER")
    _split_argument(p, "stories", "Validating stance")
    p.add_argument("--tone-method", default=None, choices=_tone_methods(),
                   help="with --method package: the tone method the sign is read from (default: the best installed)")
    p.set_defaults(func=cmd_evaluate_stance)

    p = sub.add_parser("calibrate-article-tone",
                       help="choose the article-level pooling numbers of a method on a task file's tune split",
                       description="Choose the article-level pooling numbers of a tone method on the tune split "
                                   "of an article-tone task file, and write them to the calibration file.",
                       epilog="example: python -m analysis calibrate-article-tone seesaw_train.jsonl --method model")
    p.add_argument("file", help="article-tone task file (only its tune split is read)")
    p.add_argument("--method", default=None, choices=_tone_methods(), help="mention method (default: the best installed)")
    p.add_argument("--out", default=None, help="calibration file to update (default: the shipped one)")
    p.set_defaults(func=cmd_calibrate_article_tone)

    p = sub.add_parser("evaluate-frames", help="score the five generic frames per article against human labels",
                       description="Score the five generic frames (resolution, human_interest, conflict, morality, "
                                   "economic) of each article of a frames task file (JSON lines, see the README, "
                                   "Validating frames) against its human labels. The classifier's tune-split "
                                   "articles are scored out of fold. The last line is F1m=… resolution=… "
                                   "human_interest=… conflict=… morality=… economic=… n=N.",
                       epilog="example: python -m analysis evaluate-frames narrative_dev.jsonl --method dictionary "
                              "--split holdout")
    p.add_argument("file")
    p.add_argument("--method", default="classifier", choices=("classifier", "dictionary", "keywords"),
                   help="classifier: the shipped model (default); dictionary: cue rates against the dictionary's "
                        "thresholds; keywords: the baseline of a few keywords")
    _split_argument(p, "articles", "Validating frames")
    p.add_argument("--frames", default=None, help="your own frame dictionary CSV (default: the shipped one)")
    p.add_argument("--model", default=None, help="frames classifier JSON (default: the shipped one)")
    p.set_defaults(func=cmd_evaluate_frames)

    p = sub.add_parser("calibrate-frames",
                       help="choose the frame dictionary's per-1,000-words thresholds on a task file's tune split",
                       description="Choose the frame dictionary's per-1,000-words thresholds on the tune split of "
                                   "a frames task file, and write the dictionary.",
                       epilog="example: python -m analysis calibrate-frames narrative_dev.jsonl")
    p.add_argument("file", help="frames task file (only its tune split is read)")
    p.add_argument("--frames", default=None, help="dictionary to read (default: the shipped one)")
    p.add_argument("--out", default=None, help="dictionary to write (default: the one read)")
    p.set_defaults(func=cmd_calibrate_frames)

    p = sub.add_parser("train-frames", help="refit the shipped frames classifier on a task file's tune split",
                       description="Refit the frames classifier (five generic frames) on the tune split of a "
                                   "frames task file and write its weights (JSON).",
                       epilog="example: python -m analysis train-frames narrative_dev.jsonl")
    p.add_argument("file", help="frames task file (only its tune split is read)")
    p.add_argument("--frames", default=None, help="dictionary whose cues feed the model (default: the shipped one)")
    p.add_argument("--out", default=None,
                   help="model file to write (default: the shipped one; the same inputs rewrite it byte for byte)")
    p.set_defaults(func=cmd_train_frames)

    p = sub.add_parser("evaluate-quotes",
                       help="score quotations and their speakers against human attributions",
                       description="Score the package's quotations and speakers against the gold attributions of "
                                   "a quotes task file (JSON lines, one document per line, with text and "
                                   "attributions). A found quotation matches a gold one when it covers at least "
                                   "half of its characters, one to one. The last line is F1=… precision=… "
                                   "recall=… speaker_accuracy=… n=N (see README, Validating quotes and speakers).",
                       epilog="example: python -m analysis evaluate-quotes polnear_dev.jsonl --split holdout")
    p.add_argument("file")
    p.add_argument("--method", default="package", choices=("package", "baseline"),
                   help="package: find_quotes with the shipped actors table (default); baseline: the text between "
                        "quotation marks and the nearest capitalised name")
    _split_argument(p, "documents", "Validating quotes and speakers")
    p.add_argument("--kind", default="direct", choices=("direct", "indirect"),
                   help="direct quotations (default) or indirect speech (X said that …)")
    p.set_defaults(func=cmd_evaluate_quotes)

    p = sub.add_parser("evaluate-roles",
                       help="score who is cast as hero, villain or victim against human labels",
                       description="Score the narrative role (hero, villain, victim) the package gives each "
                                   "annotated entity of each article against the human one. FILE is a roles task "
                                   "file (JSON lines with id, text, roles; e.g. frames/narrative_dev.jsonl). "
                                   "Pronoun entities are skipped and counted. The last line is accuracy=… F1m=… "
                                   "hero=… villain=… victim=… coverage=… n=N.",
                       epilog="example: python -m analysis evaluate-roles narrative_dev.jsonl --split holdout")
    p.add_argument("file")
    p.add_argument("--method", default="model", choices=("model", "rules", "majority"),
                   help="model: the shipped role model, out of fold on tune articles (default); rules: the cue "
                        "rules of analysis/data/roles.csv; majority: always the tune split's most frequent role")
    _split_argument(p, "articles", "Validating narrative roles")
    p.add_argument("--model", default=None, help="role model JSON (default: the shipped one)")
    p.set_defaults(func=cmd_evaluate_roles)

    p = sub.add_parser("train-roles", help="fit the shipped narrative-role model on a roles task file's tune split",
                       description="Fit the role model (hero/villain/victim) on the tune split of FILE and write its "
                                   "weights (JSON).",
                       epilog="example: python -m analysis train-roles narrative_dev.jsonl")
    p.add_argument("file", help="roles task file (only its tune split is read)")
    p.add_argument("--out", default=None,
                   help="model file to write (default: the shipped one, analysis/models/data/roles/roles_model.json)")
    p.set_defaults(func=cmd_train_roles)

    p = sub.add_parser("train-targets-transformer", aliases=["train-targets"],
                       help='fine-tune the optional transformer model (needs pip install -e ".[transformer]")',
                       description="Fine-tune the transformer behind --method transformer on NewsMTSC (MIT) and "
                                   "write its weights (fp16) and figures; about ten minutes on two cores.",
                       epilog="example: python -m analysis train-targets-transformer --out my_model/")
    p.add_argument("--train", default=None, help="NewsMTSC train.jsonl (default: the copy in data/newsmtsc)")
    p.add_argument("--out", default=None,
                   help="model folder to write (default: the shipped one, analysis/models/data/transformer/; "
                        "the default seed and --threads rewrite its weights byte for byte)")
    p.add_argument("--epochs", type=int, default=None, help="default: the recipe's (3)")
    p.add_argument("--limit", type=int, default=None, help="use only the first N training targets")
    p.add_argument("--threads", type=int, default=1,
                   help="torch threads (default 1: the shipped recipe's; another count gives other weights)")
    p.set_defaults(func=cmd_train_transformer)

    p = sub.add_parser("train-targets-light", help="refit the shipped light target-sentiment model",
                       description="Refit the light target-sentiment model (--method model) on NewsMTSC (MIT) and "
                                   "write its weights.",
                       epilog="example: python -m analysis train-targets-light --out my_light_model.json")
    p.add_argument("--train", default=None, help="NewsMTSC train.jsonl (default: the copy in data/newsmtsc)")
    p.add_argument("--out", default=None, help="model file to write (default: the shipped one)")
    p.set_defaults(func=cmd_train_light)

    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command of ``argv`` (default: the command line); return the exit code of the contract."""
    parser = build_parser()
    args = parser.parse_args(argv)  # a bad flag or value: argparse's message, exit 2
    try:
        return args.func(args)
    except CorpusError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except DiskFull as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # noqa: BLE001 - a bug: one line on screen, the traceback in a log
        log = _save_traceback(args)
        where = f"the traceback is in {log}" if log else "the traceback could not be saved"
        print(f"error: internal error ({type(err).__name__}: {_one_line(err)}); {where}. Please report it.",
              file=sys.stderr)
        return EXIT_INTERNAL


def _one_line(err: BaseException, limit: int = 200) -> str:
    text = " ".join(str(err).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _save_traceback(args) -> Path | None:
    """Write the current exception's traceback, with the command line, to a log file; its path, or None."""
    import datetime
    import os
    import tempfile
    import traceback

    from analysis.run.cache import default_cache_dir

    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = f"command: {' '.join(sys.argv)}\nversion: {__version__}\n\n{traceback.format_exc()}"
    for folder in (default_cache_dir() / "logs", Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"error-{stamp}-{os.getpid()}.log"
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    return None


def _column_flags(p) -> None:
    """``--text-column`` and the other flags naming a table's columns (see ``pipeline.COLUMN_FIELDS``)."""
    group = p.add_argument_group("tables (CSV, TSV, JSONL, Parquet, Excel)",
                                 "which column holds each field, where its common name would not find it")
    for field, names in (("text", "text, body, content"), ("title", "title, headline"),
                         ("outlet", "outlet, source, publication, media_name"),
                         ("date", "date, published, publish_date"), ("author", "author, byline"),
                         ("url", "url, link")):
        group.add_argument(f"--{field}-column", default=None, metavar="NAME",
                           help=f"the column of the {field} (default: the first of {names})")


def _columns(args) -> dict[str, str]:
    """The table columns named by ``_column_flags``, as ``{"text": "story", ...}``."""
    from analysis.run.pipeline import COLUMN_FIELDS

    return {f: getattr(args, f"{f}_column") for f in COLUMN_FIELDS if getattr(args, f"{f}_column", None)}


def cmd_check(args) -> int:
    corpus = load_corpus(args.folder, **_columns(args))
    print(format_check(corpus))
    return check_status(corpus)


def cmd_init(args) -> int:
    from analysis.run.project import ProjectExists, init_project

    try:
        written = init_project(args.folder)
    except ProjectExists as err:
        print(f"error: {err}.", file=sys.stderr)
        return EXIT_USAGE
    print(f"{len(written)} files written to {args.folder}; next: cd {args.folder} && cat README.md")
    return EXIT_OK


def cmd_suggest_actors(args) -> int:
    from analysis.measure.actors import load_actors
    from analysis.measure.suggest import suggest_actors
    from analysis.outputs import neutralize_formulas, write_text

    out = Path(args.out)
    if out.exists() and not args.force:
        print(f"error: {out} exists; pass --force to overwrite it (its edits would be lost), or another --out.",
              file=sys.stderr)
        return EXIT_USAGE
    corpus = load_corpus(args.folder, **_columns(args))
    status = check_status(corpus)
    if status == EXIT_UNUSABLE:
        print(format_check(corpus))
        return status
    table = suggest_actors(corpus, min_articles=args.min_articles, top=args.top)
    if table.empty:
        print(f"error: no name is found in {args.min_articles} or more articles of {args.folder}; "
              "lower --min-articles.", file=sys.stderr)
        return EXIT_UNUSABLE
    load_actors(table)  # the table must read back as written: a ValueError here is a bug, reported as one
    write_text(out, neutralize_formulas(table).to_csv(index=False))
    kinds = ", ".join(f"{n} {k}" for k, n in table["kind"].value_counts().items())
    reported = len(corpus.problems[~corpus.problems["problem"].isin(NOTICES)]) if len(corpus.problems) else 0
    print(f"{len(table)} actors ({kinds}) from {len(corpus.articles)} article(s) written to {out}"
          + (f"; {reported} input problem(s): see python -m analysis check {args.folder}" if reported else "")
          + f". Edit it, then: python -m analysis run {args.folder} --actors {out}")
    return status


# Problems that say what the run did, not what is wrong with an input: they do not make the exit code 1.
NOTICES = ("output_folder", "output_file", "page_assets")


def check_status(corpus) -> int:
    """0 when everything loaded cleanly, 1 when some input was reported, 2 when nothing could be loaded."""
    if corpus.articles.empty:
        return EXIT_UNUSABLE
    inputs = corpus.problems[~corpus.problems["problem"].isin(NOTICES)] if len(corpus.problems) else corpus.problems
    return EXIT_PROBLEMS if len(inputs) else EXIT_OK


def format_check(corpus) -> str:
    """One line per file (loaded, with its articles and format; or its problems), then a summary line by format."""
    import pandas as pd

    lines = []
    by_file = corpus.problems.groupby("file", sort=False)
    problem_files = {name: group for name, group in by_file}
    articles = corpus.articles
    sources = articles["source_file"] if "source_file" in articles.columns else articles["file"]
    formats = articles["format"] if "format" in articles.columns else pd.Series("text", index=articles.index)
    for source, group in articles.groupby(sources, sort=False):
        many = len(group) > 1 or group["file"].iloc[0] != source
        if not many and source in problem_files:
            continue  # its problem line says it was loaded
        fmt = formats[group.index[0]]
        lines.append(f"ok       {source}" + (f" ({len(group)} article{'s' * (len(group) != 1)}, {fmt})" if many else
                                           "" if fmt == "text" else f" ({fmt})"))
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
    else:
        by = pd.DataFrame({"format": formats, "source": sources}).groupby("format")["source"]
        counts = pd.DataFrame({"articles": by.size(), "files": by.nunique()}).reset_index()
        counts = counts.sort_values(["articles", "format"], ascending=[False, True])
        summary += " By format: " + ", ".join(
            f"{fmt} {n_articles} article{'s' * (n_articles != 1)} from {n_files} file{'s' * (n_files != 1)}"
            for fmt, n_articles, n_files in zip(counts["format"], counts["articles"], counts["files"])) + "."
    lines.append(summary)
    return "\n".join(lines)


def cmd_analyze(args) -> int:
    if args.engine == "dask":
        return _analyze_dask(args)
    status, _ = _analyze(args)
    return status


def _analyze_dask(args) -> int:
    from analysis.config import PROJECT_DIR
    from analysis.run.dask_engine import analyze_dask, read_table
    from analysis.run.tables import write_tables

    try:
        import distributed  # noqa: F401
    except ImportError:
        print('error: the Dask engine needs dask: pip install -e ".[dask]"', file=sys.stderr)
        return EXIT_UNUSABLE
    folder = Path(args.folder) if args.folder else _seeds()
    out = Path(args.out) if args.out else PROJECT_DIR
    result = analyze_dask(folder, out, scheduler=args.scheduler, method=args.method,
                          actors=args.actors, frame_table=args.frames, columns=_columns(args))
    write_tables(result, out)  # problems and the aggregates; per-article tables are already partitioned
    articles = read_table(out, "articles")
    print(f"{0 if articles is None else len(articles)} article(s) analysed on Dask; tables in {out / 'tables'}")
    if articles is None:
        return EXIT_UNUSABLE
    return EXIT_PROBLEMS if len(result["problems"]) else EXIT_OK


def _analyze(args, cache=None):
    """Load, report problems as ``check`` does, compute and write the tables and manifest.json.

    ``cache``: as for ``analyze``; None for the default folder, or none with ``--no-cache``.
    """
    from analysis.config import PROJECT_DIR
    from analysis.count.frames import load_frames
    from analysis.measure.actors import load_actors
    from analysis.run.cache import Cache, default_cache_dir
    from analysis.run.pipeline import analyze
    from analysis.run.provenance import write_manifest
    from analysis.run.tables import write_tables

    folder = Path(args.folder) if args.folder else _seeds()
    out = Path(args.out) if args.out else PROJECT_DIR
    from analysis.models import scorers

    if args.method:
        scorer = scorers.get(args.method)
        if not scorer.available():
            print(f"error: --method {scorer.name} cannot run here: {scorer.unavailable()}; "
                  f"use --method {scorers.FALLBACK} meanwhile.", file=sys.stderr)
            return EXIT_USAGE, None
    # Resolved once, so the tables, the manifest and the notebooks all name the method used.
    args.method = scorers.get(args.method).name
    for name, loader in (("actors", load_actors), ("frames", load_frames)):
        path = getattr(args, name)
        if path and not Path(path).is_file():
            print(f"error: the {name} file {path!r} does not exist.", file=sys.stderr)
            return EXIT_UNUSABLE, None
        try:
            loader(path)
        except ValueError as err:
            print(f"error: the {name} file {path or '(shipped)'} cannot be used: {err}.", file=sys.stderr)
            return EXIT_UNUSABLE, None
    if cache is None:
        cache = False if args.no_cache else default_cache_dir()
    store = Cache(cache) if cache is not False else None
    inside = _outputs_inside(folder, out, store) if folder.is_dir() else []
    for path in inside:  # made now, so that this run and its notebooks skip them alike, from the first run on
        if path.name != PROVENANCE_NAME:
            path.mkdir(parents=True, exist_ok=True)
    tables = analyze(
        folder, jobs=args.jobs, cache=store if store is not None else False, method=args.method,
        actors=args.actors, frame_table=args.frames, progress=sys.stderr.isatty(),
        exclude=inside, columns=_columns(args),
    )
    if store is not None and store.rejected:
        path, reason = store.rejected[0]
        print(f"note: {len(store.rejected)} cache entr{'y was' if len(store.rejected) == 1 else 'ies were'} "
              f"corrupt or not the package's own and {'was' if len(store.rejected) == 1 else 'were'} ignored, "
              f"deleted and computed again (first: {path}: {reason}).", file=sys.stderr)
    corpus = _CorpusView(folder, tables)
    status = check_status(corpus)
    if len(corpus.problems):
        print(format_check(corpus))
    if status == EXIT_UNUSABLE:
        print("error: nothing in the folder could be analysed.", file=sys.stderr)
        return status, None
    if args.group_by:
        from analysis.count.groups import grouped_tables

        try:
            tables = {**tables, **grouped_tables(tables, args.group_by)}
        except ValueError as err:
            print(f"error: {err}.", file=sys.stderr)
            return EXIT_USAGE, None
    written = write_tables(tables, out)
    parameters = {k: getattr(args, k) for k in ("method", "actors", "frames", "jobs", "group_by")}
    parameters["columns"] = _columns(args) or None
    write_manifest(out, corpus, parameters)
    print(f"{len(written)} tables written to {out / 'tables'}; provenance in {out / 'manifest.json'}")
    return status, out


def _outputs_inside(folder: Path, out: Path, store) -> list[Path]:
    """What this run writes that lies inside the corpus folder, to be skipped (and reported) when loading.

    The output folder whole, or, when it is the corpus folder itself, the
    parts a run writes there; and the cache folder.
    """
    folder, out = folder.resolve(), out.resolve()
    targets = [out / part for part in OUTPUT_PARTS] if out == folder else [out]
    if store is not None:
        targets.append(Path(store.folder).resolve())
    inside = []
    for path in targets:
        try:
            path.relative_to(folder)
        except ValueError:
            continue
        if path != folder:
            inside.append(path)
    return inside


class _CorpusView:
    """The corpus part of the analyze tables, shaped like a Corpus for check's report."""

    def __init__(self, folder, tables):
        self.folder = Path(folder).resolve()
        self.articles, self.problems = tables["articles"], tables["problems"]


def cmd_run(args) -> int:
    if not args.no_cache:
        return _run(args)
    # Reuse nothing and leave nothing behind, yet let the notebooks read what this run
    # computed: the analysis and the notebooks' kernels share a cache folder of their
    # own, removed at the end. (With no cache at all, each notebook would analyse the
    # corpus again, into the default cache.)
    import os
    import tempfile
    from unittest import mock

    from analysis.run.cache import CACHE_ENV

    with tempfile.TemporaryDirectory(prefix="analysis-run-") as fresh, \
            mock.patch.dict(os.environ, {CACHE_ENV: fresh}):  # inherited by the kernels papermill starts
        return _run(args, cache=fresh)


def _run(args, cache=None) -> int:
    from analysis.run.notebooks import (
        NoSuchNotebook,
        NotebookFailed,
        list_notebooks,
        run_notebooks,
    )

    try:
        list_notebooks(args.notebooks)  # a name that matches nothing is a usage error, found before any work
    except NoSuchNotebook as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_USAGE

    status, out = _analyze(args, cache)
    if out is None:
        return status
    folder = Path(args.folder) if args.folder else _seeds()
    try:
        options = {"method": args.method, "actors_file": args.actors, "frames_file": args.frames,
                   "group_by": args.group_by, "columns": _columns(args) or None}
        outputs = run_notebooks(folder, out, only=args.notebooks, log=print, options=options, jobs=args.jobs)
    except NotebookFailed as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_INTERNAL
    print(f"{len(outputs)} notebook(s) executed; figures in {out / 'figures'}, HTML in {out / 'html'}")
    return status


def _seeds() -> Path:
    from analysis.config import SEEDS_DIR

    return SEEDS_DIR


def cmd_evaluate_article_tone(args) -> int:
    from analysis.run.commands import evaluate_article_tone_cli

    return evaluate_article_tone_cli(args.file, args.method, args.pool, args.split, args.corpus, args.actors,
                                     args.record)


def cmd_evaluate_stance(args) -> int:
    from analysis.run.commands import evaluate_stance_cli

    return evaluate_stance_cli(args.file, args.method, args.split, args.tone_method)


def cmd_calibrate_article_tone(args) -> int:
    from analysis.run.commands import calibrate_article_tone_cli

    return calibrate_article_tone_cli(args.file, args.method, args.out)


def cmd_evaluate_frames(args) -> int:
    from analysis.run.commands import evaluate_frames_cli

    return evaluate_frames_cli(args.file, args.method, args.split, args.frames, args.model)


def cmd_calibrate_frames(args) -> int:
    from analysis.run.commands import calibrate_frames_cli

    return calibrate_frames_cli(args.file, args.frames, args.out)


def cmd_train_frames(args) -> int:
    from analysis.run.commands import train_frames_cli

    return train_frames_cli(args.file, args.frames, args.out)


def cmd_evaluate_quotes(args) -> int:
    from analysis.run.commands import evaluate_quotes_cli

    return evaluate_quotes_cli(args.file, args.method, args.split, args.kind)


def cmd_evaluate_roles(args) -> int:
    from analysis.run.commands import evaluate_roles_cli

    return evaluate_roles_cli(args.file, args.method, args.split, args.model)


def cmd_train_roles(args) -> int:
    from analysis.run.commands import train_roles_cli

    return train_roles_cli(args.file, args.out)


def cmd_evaluate_targets(args) -> int:
    from analysis.run.commands import evaluate_targets_cli

    return evaluate_targets_cli(args.file, args.method, args.model_dir)


def cmd_train_transformer(args) -> int:
    from analysis.config import EVAL_DIR
    from analysis.run.commands import train_transformer_cli

    train = args.train or str(EVAL_DIR / "train.jsonl")
    return train_transformer_cli(train, args.out, args.epochs, args.limit, threads=args.threads)


def cmd_train_light(args) -> int:
    from analysis.config import EVAL_DIR
    from analysis.models import targets
    from analysis.run.commands import train_light_cli

    train = args.train or str(EVAL_DIR / "train.jsonl")
    out = args.out or str(targets.MODEL_PATH)
    return train_light_cli(train, out)
