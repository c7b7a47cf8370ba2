"""The bodies of the commands that evaluate and train the models: ``evaluate-targets``, ``train-targets-*``.

Each prints a report and returns the exit code (2 for an unusable file or
method, as every command's); the models themselves (``analysis.models``)
print nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from analysis.models import scorers, targets, transformer
from analysis.models.newsmtsc import one_line

__all__ = ["evaluate_targets_cli", "train_light_cli", "train_transformer_cli"]


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
    except (ImportError, FileNotFoundError) as exc:
        print(f"error: {one_line(exc)}.", file=sys.stderr)
        return 2
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        print(f"error: cannot evaluate {path}: {one_line(exc)}.", file=sys.stderr)
        return 2
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
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        print(f"error: cannot train on {train_path}: {one_line(exc)}.", file=sys.stderr)
        return 2
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

    The dev files beside ``train_path`` are scored when present. ``epochs``
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
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        print(f"error: cannot train on {train_path}: {one_line(exc)}.", file=sys.stderr)
        return 2
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
