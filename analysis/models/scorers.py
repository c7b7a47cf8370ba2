"""Every method of tone toward a target behind one interface, and the registry of them.

A ``Scorer`` has a ``name``, tells whether it is ``available()`` here (and
if not, ``unavailable()`` says why), scores a table of targets (``score``),
evaluates itself on a NewsMTSC file (``evaluate``), and names the weights it
reads (``weights``, for cache keys). ``SCORERS`` holds them all; ``names()``
feeds the CLI's ``--method`` choices, and ``get(name)`` is the only place a
method name is resolved.

The default method is ``best_available()``, and ``get(None)`` returns it:
``transformer`` when its extra is installed and the shipped weights are
intact, else ``FALLBACK`` (the light ``model``, shipped with the base
install). Every default goes through it: ``analyze``, ``mention_tone``, the
Dask engine, the CLI's ``--method``, ``evaluate-targets`` and the
notebooks' ``method = None``; the method actually used is recorded in every
table (``target_method``, the aggregates' ``method``) and in the cache keys.

To add a method: write its scoring function, add a ``Scorer`` here, and
give it a row in the README's validation table (``evaluate-targets FILE
--method NAME``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = ["FALLBACK", "SCORERS", "Scorer", "best_available", "get", "names"]

FALLBACK = "model"  # the default without the transformer: the light model, shipped, offline, fast


@dataclass(frozen=True)
class Scorer:
    """One method of tone toward a target (see the module docstring)."""

    name: str
    describe: str  # one line for ``--help`` and the notebooks
    score_fn: Callable[..., pd.DataFrame]
    evaluate_fn: Callable[[str], tuple[str, dict]]
    unavailable_fn: Callable[[], str | None] = lambda: None  # why it cannot run here; None: it can
    weights_fn: Callable[[], list[Path]] = lambda: []

    def available(self) -> bool:
        return self.unavailable() is None

    def unavailable(self) -> str | None:
        """Why the method cannot run here (one sentence), or None when it can."""
        return self.unavailable_fn()

    def score(self, targets: pd.DataFrame, text_col: str = "text", start_col: str = "start", end_col: str = "end",
              other_spans_col: str | None = None) -> pd.DataFrame:
        """``targets`` with ``target_label`` (-1/0/1), ``target_score`` ([-1, 1]) and, where the
        method has them, ``p_neg``, ``p_neu``, ``p_pos``; the input is not modified."""
        return self.score_fn(targets, text_col=text_col, start_col=start_col, end_col=end_col,
                             other_spans_col=other_spans_col)

    def evaluate(self, path) -> tuple[str, dict]:
        """``(report, metrics)`` on a NewsMTSC file; the report's last line is ``F1m=… accuracy=… n=N``."""
        return self.evaluate_fn(path)

    def weights(self) -> list[Path]:
        """The files of trained weights the method reads (none for a lexicon)."""
        return self.weights_fn()


def _light(method: str) -> Scorer:
    from analysis.models import targets

    def score(df, text_col, start_col, end_col, other_spans_col):
        return targets.score_targets(df, text_col=text_col, start_col=start_col, end_col=end_col, method=method,
                                     other_spans_col=other_spans_col)

    described = {
        "textblob": "TextBlob (Pattern lexicon) polarity of the whole sentence",
        "vader": "VADER compound score of the whole sentence",
        "window": "VADER + TextBlob on the clause around the mention",
        "model": "the light target-aware model trained on NewsMTSC (the default without the transformer)",
    }
    return Scorer(name=method, describe=described[method], score_fn=score,
                  evaluate_fn=lambda path: targets.evaluate_targets(path, method),
                  weights_fn=(lambda: [targets.MODEL_PATH]) if method == "model" else (lambda: []))


def _transformer() -> Scorer:
    from analysis.models import transformer

    def score(df, text_col, start_col, end_col, other_spans_col):
        return transformer.score_targets_transformer(df, text_col=text_col, start_col=start_col, end_col=end_col)

    def weights() -> list[Path]:
        # What scoring reads (transformer.json holds the scoring settings); not the model card.
        folder = transformer.MODEL_DIR
        files = (transformer.WEIGHTS_NAME, transformer.TOKENIZER_NAME, transformer.META_NAME)
        return [folder / name for name in sorted(files) if (folder / name).is_file()]

    return Scorer(name="transformer", describe="the fine-tuned MiniLM encoder (the default when its extra is installed)",
                  score_fn=score, evaluate_fn=transformer.evaluate_transformer,
                  unavailable_fn=transformer.unavailable_reason, weights_fn=weights)


SCORERS: dict[str, Scorer] = {name: _light(name) for name in ("textblob", "vader", "window", "model")}
SCORERS["transformer"] = _transformer()


def names() -> tuple[str, ...]:
    """Every method's name, in the order of ``SCORERS``."""
    return tuple(SCORERS)


def get(name: str | None) -> Scorer:
    """The scorer called ``name`` (None: the default, ``best_available()``); ``ValueError`` naming the choices
    otherwise."""
    name = name or best_available()
    if name not in SCORERS:
        raise ValueError(f"unknown method {name!r}; choose one of {', '.join(SCORERS)}")
    return SCORERS[name]


def best_available() -> str:
    """The default method: ``"transformer"`` when it can run here (torch installed, shipped weights intact),
    else ``FALLBACK`` (``"model"``). Does not import torch."""
    return "transformer" if SCORERS["transformer"].available() else FALLBACK
