"""The bodies of the commands that evaluate and train the models: ``evaluate-*``, ``calibrate-*``, ``train-targets-*``.

Each prints a report and returns the exit code (2 for an unusable file or
method, as every command's); the models themselves (``analysis.models``)
print nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from analysis.models import scorers, targets, transformer
from analysis.models.newsmtsc import one_line

__all__ = ["calibrate_article_tone_cli", "calibrate_frames_cli", "evaluate_article_tone_cli", "evaluate_frames_cli",
           "evaluate_quotes_cli", "evaluate_roles_cli", "evaluate_stance_cli", "evaluate_targets_cli", "train_frames_cli",
           "train_light_cli", "train_roles_cli", "train_transformer_cli"]


# What reading an unusable task or training file raises: said in one line, exit code 2.
TASK_ERRORS = (OSError, UnicodeDecodeError, ValueError)


def _unusable(verb: str, path, exc: BaseException) -> int:
    """Say that ``path`` cannot be used (``verb``: evaluate, train on, calibrate on); return exit code 2."""
    print(f"error: cannot {verb} {path}: {one_line(exc)}.", file=sys.stderr)
    return 2


def _empty(path, units: str, where: str) -> int:
    """Say that ``path`` has no ``units`` in ``where`` (the 'holdout' split, its tune split); return exit code 2."""
    print(f"error: {path} has no {units} in {where}.", file=sys.stderr)
    return 2


def evaluate_targets_cli(path: str, method: str | None = None, model_dir: str | None = None) -> int:
    """``evaluate-targets``: print the report of ``method`` (None: the best installed) on a NewsMTSC file.

    The report's last line is ``F1m=0.xxx accuracy=0.xxx n=N``; 2 for an
    unusable file, an unknown method or one that cannot run here.
    """
    try:
        scorer = scorers.get(method or scorers.best_available())
    except ValueError as exc:
        print(f"error: {exc}.", file=sys.stderr)
        return 2
    try:
        if scorer.name == "transformer":
            report, _ = transformer.evaluate_transformer(path, model_dir)
        else:
            report, _ = scorer.evaluate(path)
    except (ImportError, FileNotFoundError, transformer.ModelFolderError) as exc:
        print(f"error: {one_line(exc)}.", file=sys.stderr)
        return 2
    except TASK_ERRORS as exc:
        return _unusable("evaluate", path, exc)
    print(report)
    return 0


def train_light_cli(train_path: str, out_path: str | None = None) -> int:
    """CLI: retrain the model file and print its figures.

    The dev files that sit beside ``train_path`` (``rw_dev.jsonl``,
    ``mt_dev.jsonl``) are scored into the file's metadata when present.
    """
    devs = [
        p
        for p in (Path(train_path).with_name(n) for n in ("rw_dev.jsonl", "mt_dev.jsonl"))
        if p.exists()
    ]
    try:
        meta = targets.train_light_model(train_path, out_path or targets.MODEL_PATH, dev_paths=devs)
    except TASK_ERRORS as exc:
        return _unusable("train on", train_path, exc)
    print(f"wrote {out_path or targets.MODEL_PATH}")
    print(
        f"C={meta['C']} nb_alpha={meta['nb_alpha']} nb_weight={meta['nb_weight']}"
        f" cv_macro_f1={meta['cv_best_macro_f1']} train_sha256={meta['train_sha256']}"
    )
    for name, figures in meta["dev"].items():
        print(f"{name}: F1m={figures['macro_f1']:.3f} accuracy={figures['accuracy']:.3f}")
    return 0


def train_transformer_cli(
    train_path: str,
    out_dir: str | None = None,
    epochs: int | None = None,
    limit: int | None = None,
    threads: int = 2,
    seed=None,
    settings: dict | None = None,
    last_step_dir: str | None = None,
) -> int:
    """CLI: fine-tune, show a progress bar, then print time, speed and dev figures.

    ``out_dir`` None writes the shipped model folder (``transformer.MODEL_DIR``):
    with the defaults and ``threads=1`` its weights come out byte for byte as
    shipped. The dev files beside ``train_path`` are scored when present. ``epochs``
    None means ``DEFAULT_EPOCHS``; ``seed`` (None: ``DEFAULT_SEEDS``),
    ``settings`` and ``last_step_dir`` are passed to :func:`analysis.models.transformer.train`.
    """
    out = Path(out_dir) if out_dir else transformer.MODEL_DIR
    try:
        meta = transformer.train(
            train_path, out, epochs=epochs, limit=limit, threads=threads, seed=seed,
            settings=settings, last_step_dir=last_step_dir,
        )  # fmt: skip
    except ImportError as exc:
        print(f"error: {one_line(exc)}.", file=sys.stderr)
        return 2
    except TASK_ERRORS as exc:
        return _unusable("train on", train_path, exc)
    print(f"wrote {out}")
    print(
        f"trained on {meta['n_train']} targets x {meta['epochs']} epochs in "
        f"{meta['train_seconds']:.0f} s ({meta['examples_per_s']:.1f} examples/s), "
        f"final loss {meta['final_loss']}"
    )
    for name, f in meta["dev"].items():
        print(
            f"{name}: F1m={f['macro_f1']:.3f} accuracy={f['accuracy']:.3f} "
            f"n={f['n']} ({f['targets_per_s']:.0f} targets/s)"
        )
    return 0


def _mention_method(method: str | None) -> str | None:
    """The mention method to use (None: the best installed); prints the error and returns None when unusable."""
    try:
        scorer = scorers.get(method or scorers.best_available())
    except ValueError as exc:
        print(f"error: {exc}.", file=sys.stderr)
        return None
    if not scorer.available():
        print(f"error: the {scorer.name} method cannot run here (is its extra installed?).", file=sys.stderr)
        return None
    return scorer.name


def evaluate_article_tone_cli(path: str, method: str | None = None, pool: str = "calibrated", split: str = "all",
                              corpus: str | None = None, actors: str | None = None, record: str | None = None) -> int:
    """``evaluate-article-tone``: the per-class table and ``F1m=… accuracy=… rho=… coverage=… n=N [outlet_rho=…]``.

    ``path`` is a task file, or with ``corpus`` a hand-coded CSV
    ``file,actor,label``. ``record``: a calibration file whose ``validated``
    section gets these figures (calibrated pool only). 2 for an unusable
    file, method or split.
    """
    from analysis.run import evaluate

    method = method if method == "neutral" else _mention_method(method)
    if method is None:
        return 2
    try:
        if corpus is not None:
            from analysis.run.pipeline import analyze

            tables = analyze(corpus, actors=actors, method=None if method == "neutral" else method,
                             aggregates=False, progress=False)
            from analysis.load.corpus import load_corpus

            predictions = evaluate.score_hand_coded(path, load_corpus(corpus), tables)
            if method == "neutral":
                predictions = predictions.assign(score=0.0, label="neutral")
        else:
            items = evaluate.read_task(path)
            if split != "all":
                items = [i for i in items if evaluate.split_of(i) == split]
            if not items:
                return _empty(path, "items", f"the {split!r} split")
            predictions = evaluate.score_items(items, method, pool)
    except TASK_ERRORS as exc:
        return _unusable("evaluate", path, exc)
    print(evaluate.report(predictions, method, pool))
    if record and pool == "calibrated" and method != "neutral":
        name = f"{Path(path).stem}{'' if split == 'all' else ' ' + split}"
        evaluate.record_validation(Path(record), method, name, evaluate.metrics(predictions))
    return 0


def evaluate_stance_cli(path: str, method: str = "package", split: str = "all", tone_method: str | None = None) -> int:
    """``evaluate-stance``: the found and gold counts and ``F1=… precision=… recall=… pair_F1=… n=N``.

    2 for an unusable file, method or split (a malformed line is named).
    """
    from analysis.run import evaluate_stance

    if method == "package":
        tone_method = _mention_method(tone_method)
        if tone_method is None:
            return 2
    try:
        items = evaluate_stance.read_stance_task(path, split)
        if not items:
            return _empty(path, "articles", f"the {split!r} split")
        figures = evaluate_stance.score(items, method, tone_method)
    except TASK_ERRORS as exc:
        return _unusable("evaluate", path, exc)
    print(evaluate_stance.report(figures, method if method != "package" else f"package ({tone_method})", split))
    return 0


def calibrate_article_tone_cli(path: str, method: str | None = None, out: str | None = None) -> int:
    """``calibrate-article-tone``: choose a method's pooling numbers on the tune split of ``path``; write them."""
    from analysis.measure import article_tone
    from analysis.run import evaluate

    method = _mention_method(method)
    if method is None:
        return 2
    try:
        items = [i for i in evaluate.read_task(path) if evaluate.split_of(i) == "tune"]
        if not items:
            return _empty(path, "items", "its tune split")
        scored = evaluate._scored_mentions(items, method)
        cal, figures = evaluate.calibrate(items, method, scored=scored)
        band = evaluate.mean_band(items, method, scored=scored)
    except TASK_ERRORS as exc:
        return _unusable("calibrate on", path, exc)
    target = Path(out) if out else article_tone.CALIBRATION_PATH
    source = f"{Path(path).name}, tune split ({figures['n']} items)"
    evaluate.write_calibration(target, method, cal, figures, source, mean_band=band)
    print(f"wrote {target}")
    print(" ".join(f"{k}={v}" for k, v in cal.as_dict().items()) + f" mean_band={band}")
    print(f"F1m={figures['F1m']:.3f} rho={figures['rho']:.3f} n={figures['n']}")
    return 0


def evaluate_frames_cli(path: str, method: str = "classifier", split: str = "all", frames: str | None = None,
                        model: str | None = None) -> int:
    """``evaluate-frames``: the per-frame table and ``F1m=… resolution=… human_interest=… conflict=… morality=…
    economic=… n=N``. 2 for an unusable file, dictionary, model or split."""
    from analysis.models import frames_model
    from analysis.run import evaluate_frames as ef

    try:
        items = ef.read_frames_task(path, split)
        if not items:
            return _empty(path, "articles", f"the {split!r} split")
        weights = frames_model.load(model) if method == "classifier" else None
        found = ef.predict(items, method, frames, weights)
    except ImportError as exc:
        print(f"error: the classifier's out-of-fold figure needs scikit-learn ({one_line(exc)}).", file=sys.stderr)
        return 2
    except TASK_ERRORS as exc:
        return _unusable("evaluate", path, exc)
    print(ef.report(ef.metrics(ef.gold(items), found), method, split))
    return 0


def calibrate_frames_cli(path: str, frames: str | None = None, out: str | None = None) -> int:
    """``calibrate-frames``: choose the dictionary's ``per_1000_words`` thresholds on the tune split; write them."""
    import pandas as pd

    from analysis.count import frames as fr
    from analysis.outputs import write_text
    from analysis.run import evaluate_frames as ef

    source = Path(frames) if frames else fr.FRAMES_PATH
    target = Path(out) if out else source
    try:
        items = ef.read_frames_task(path, "tune")
        chosen = ef.calibrate(items, source)
        table = pd.read_csv(source, dtype=str, keep_default_na=False)
    except TASK_ERRORS as exc:
        return _unusable("calibrate on", path, exc)
    if fr.RULE_COLUMN not in table.columns:
        table[fr.RULE_COLUMN] = ""
    table[fr.RULE_COLUMN] = [f"{chosen[f]:g}" if f in chosen else v for f, v in zip(table["frame"], table[fr.RULE_COLUMN])]
    write_text(target, table.to_csv(index=False, lineterminator="\n"))
    found = ef.predict(items, "dictionary", target)
    print(f"wrote {target}")
    print(" ".join(f"{f}={v:g}" for f, v in chosen.items()))
    print("tune split: " + ef.last_line(ef.metrics(ef.gold(items), found)))
    return 0


def train_frames_cli(path: str, frames: str | None = None, out: str | None = None) -> int:
    """``train-frames``: fit the frames classifier on the tune split of ``path``; write its JSON weights."""
    from analysis.models import frames_model
    from analysis.run import evaluate_frames as ef

    try:
        items = ef.read_frames_task(path, "tune")
        model = ef.train(items, frames, source=Path(path).name)
    except ImportError as exc:
        print(f"error: training needs scikit-learn ({one_line(exc)}).", file=sys.stderr)
        return 2
    except TASK_ERRORS as exc:
        return _unusable("train on", path, exc)
    target = frames_model.save(model, out)
    print(f"wrote {target} ({target.stat().st_size} bytes)")
    print(" ".join(f"{f}={t:g}" for f, t in zip(model.frames, model.thresholds)))
    return 0


def evaluate_quotes_cli(path: str, method: str = "package", split: str = "all", kind: str = "direct") -> int:
    """``evaluate-quotes``: the error counts, then ``F1=… precision=… recall=… speaker_accuracy=… n=N``.

    ``method`` is ``package`` (``find_quotes``, the shipped actors table) or
    ``baseline``; 2 for an unusable file or an empty split.
    """
    from analysis.run import evaluate_quotes

    try:
        docs = evaluate_quotes.in_split(evaluate_quotes.read_quotes_task(path), split)
        if not docs:
            return _empty(path, "documents", f"the {split!r} split")
        if method == "baseline":
            found = evaluate_quotes.baseline_quotes(docs, kind)
        else:
            found = evaluate_quotes.package_quotes(docs, kind)
    except TASK_ERRORS as exc:
        return _unusable("evaluate", path, exc)
    figures = evaluate_quotes.score(docs, found, kind)
    print(evaluate_quotes.report(figures, evaluate_quotes.errors(docs, found, kind)))
    return 0


def evaluate_roles_cli(path: str, method: str = "model", split: str = "all", model: str | None = None) -> int:
    """``evaluate-roles``: the confusion table and ``accuracy=… F1m=… hero=… villain=… victim=… coverage=… n=N``.

    ``method``: ``model`` (out of fold on tune articles, the shipped weights on
    holdout ones), ``rules`` or ``majority``. 2 for an unusable file or split.
    """
    from analysis.run import roles_eval

    try:
        items = roles_eval.read_roles_task(path)
        predictions, n_pronouns = roles_eval.evaluate(items, method, split, model)
    except TASK_ERRORS as exc:
        return _unusable("evaluate", path, exc)
    print(roles_eval.report(predictions, method, split, n_pronouns))
    return 0


def train_roles_cli(path: str, out: str | None = None) -> int:
    """``train-roles``: fit the role model on the tune split of ``path``; write its weights and print its figures."""
    from analysis.measure import roles
    from analysis.run import roles_eval

    try:
        items = roles_eval.split_items(roles_eval.read_roles_task(path), "tune")
        if not items:
            return _empty(path, "articles", "its tune split")
        model, meta = roles_eval.fit_model(roles_eval.prepare(items))
    except TASK_ERRORS as exc:
        return _unusable("train on", path, exc)
    target = Path(out) if out else roles.MODEL_PATH
    meta = {**meta, "data": f"{Path(path).name}, tune split ({len(items)} articles)"}
    roles_eval.write_model(model, meta, target)
    best = meta["cv"][str(meta["C"])]
    print(f"wrote {target}")
    print(f"C={meta['C']} vocabulary={len(model['vocab'])} n_train={meta['n_train']}")
    print(f"out-of-fold on tune: accuracy={best['accuracy']:.3f} F1m={best['F1m']:.3f}")
    return 0
