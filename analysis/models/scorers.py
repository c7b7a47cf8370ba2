"""Every method of tone toward a target behind one interface, and the registry of them.

A ``Scorer`` has a ``name``, says what it ``needs``, tells whether it is
``available()`` here, scores a table of targets (``score``), evaluates itself
on a NewsMTSC file (``evaluate``), and names the weights it reads
(``weights``, for cache keys). ``SCORERS`` holds them all;
``names()`` feeds the CLI's ``--method`` choices, ``get(name)`` is the only
place a method name is resolved, and ``best_available()`` picks the
default of ``evaluate-targets``. To add a method: write its scoring
function, add a ``Scorer`` here, and give it a row in the README's
validation table (``evaluate-targets FILE --method NAME``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = ["DEFAULT", "SCORERS", "Scorer", "best_available", "get", "names"]

DEFAULT = "model"  # the validated light model: shipped, offline, fast


@dataclass(frozen=True)
class Scorer:
    """One method of tone toward a target (see the module docstring)."""

    name: str
    needs: str  # what it needs beyond the base install, for messages
    describe: str  # one line for ``--help`` and the notebooks
    score_fn: Callable[..., pd.DataFrame]
    evaluate_fn: Callable[[str], tuple[str, dict]]
    available_fn: Callable[[], bool] = lambda: True
    weights_fn: Callable[[], list[Path]] = lambda: []

    def available(self) -> bool:
        return self.available_fn()

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
        "model": "the light target-aware model trained on NewsMTSC (the default)",
    }
    return Scorer(name=method, needs="nothing", describe=described[method], score_fn=score,
                  evaluate_fn=lambda path: targets.evaluate_targets(path, method),
                  weights_fn=(lambda: [targets.MODEL_PATH]) if method == "model" else (lambda: []))


def _transformer() -> Scorer:
    from analysis.models import transformer

    def score(df, text_col, start_col, end_col, other_spans_col):
        return transformer.score_targets_transformer(df, text_col=text_col, start_col=start_col, end_col=end_col)

    def weights() -> list[Path]:
        folder = transformer.MODEL_DIR
        return sorted(p for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []

    return Scorer(name="transformer", needs='pip install -e ".[transformer]" and a trained model '
                  "(python -m analysis train-targets)",
                  describe="the fine-tuned MiniLM encoder (optional)", score_fn=score,
                  evaluate_fn=transformer.evaluate_transformer, available_fn=transformer.available,
                  weights_fn=weights)


SCORERS: dict[str, Scorer] = {name: _light(name) for name in ("textblob", "vader", "window", "model")}
SCORERS["transformer"] = _transformer()


def names() -> tuple[str, ...]:
    """Every method's name, in the order of ``SCORERS``."""
    return tuple(SCORERS)


def get(name: str | None) -> Scorer:
    """The scorer called ``name`` (None: ``DEFAULT``); ``ValueError`` naming the choices otherwise."""
    name = name or DEFAULT
    if name not in SCORERS:
        raise ValueError(f"unknown method {name!r}; choose one of {', '.join(SCORERS)}")
    return SCORERS[name]


def best_available() -> str:
    """The best method installed here: the transformer when it can run, else ``DEFAULT``."""
    return "transformer" if SCORERS["transformer"].available() else DEFAULT
