"""Uncertainty for small samples: bootstrap intervals and grouped summaries.

Every average a notebook shows comes with its count and a 95% interval from
here, so that a mean of three sentences is never read like a mean of three
hundred. Cells with fewer than ``min_n`` observations are flagged, not hidden.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["bootstrap_ci", "summarize"]

DEFAULT_BOOTSTRAP = 2000
DEFAULT_MIN_N = 5


def bootstrap_ci(
    values,
    n_boot: int = DEFAULT_BOOTSTRAP,
    level: float = 0.95,
    seed: int = 0,
) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean of ``values``.

    Returns ``(low, high)``; both are NaN for an empty sample, and equal to the
    value itself for a sample of one (a single observation has no spread to
    resample, which is why callers flag small cells). The resampling is seeded,
    so the same data always gives the same interval.

    >>> bootstrap_ci([1.0, 1.0, 1.0])
    (1.0, 1.0)
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if x.size == 0:
        return (float("nan"), float("nan"))
    if x.size == 1:
        return (float(x[0]), float(x[0]))
    rng = np.random.default_rng(seed)
    if np.isin(x, (0.0, 1.0)).all():
        # Resampling a 0/1 indicator: the count of ones is binomial, so draw
        # it directly instead of materialising n_boot x n resamples.
        means = rng.binomial(x.size, x.mean(), size=n_boot) / x.size
    else:
        # In blocks, so that memory stays bounded for large samples.
        block = max(1, 2_000_000 // x.size)
        means = np.concatenate([
            x[rng.integers(0, x.size, size=(min(block, n_boot - start), x.size))].mean(axis=1)
            for start in range(0, n_boot, block)
        ])
    alpha = (1.0 - level) / 2.0
    low, high = np.quantile(means, [alpha, 1.0 - alpha])
    return (float(low), float(high))


def summarize(
    df: pd.DataFrame,
    by: str | list[str],
    value: str,
    min_n: int = DEFAULT_MIN_N,
    n_boot: int = DEFAULT_BOOTSTRAP,
    seed: int = 0,
    memo: dict | None = None,
) -> pd.DataFrame:
    """Mean of ``value`` per group, with its count and bootstrap 95% interval.

    Returns one row per group in long format: the ``by`` columns, then
    ``measure`` (the name of ``value``), ``n``, ``mean``, ``ci_low``,
    ``ci_high``, and ``small_n`` (True where ``n < min_n``: show these cells
    but do not draw conclusions from them). Rows with a missing ``value`` are
    not counted. Groups come out sorted by the ``by`` columns.

    ``memo``: a dict of intervals already computed, read and filled here.
    Each interval depends only on its group's values (in order), ``n_boot``
    and ``seed``, so a group whose values did not change since the last call
    (a cell a new article does not touch) reuses its interval exactly.
    """
    keys = [by] if isinstance(by, str) else list(by)
    columns = keys + ["measure", "n", "mean", "ci_low", "ci_high", "small_n"]
    data = df[[*keys, value]].dropna(subset=[value])  # only the columns read: no copy of a wide table
    if data.empty:
        return pd.DataFrame(columns=columns)
    names, samples = [], []
    for key, values in data.groupby(keys, sort=True, observed=True)[value]:
        names.append(key if isinstance(key, tuple) else (key,))
        samples.append(np.asarray(values, dtype=float))
    intervals = _intervals(samples, n_boot, seed, memo)
    rows = [
        (*key, value, int(x.size), float(x.mean()), low, high, x.size < min_n)
        for key, x, (low, high) in zip(names, samples, intervals)
    ]
    return pd.DataFrame(rows, columns=columns)


def _intervals(samples: list[np.ndarray], n_boot: int, seed: int,
               memo: dict | None = None) -> list[tuple[float, float]]:
    """``bootstrap_ci`` of each sample, with the same results, batched by sample size.

    ``bootstrap_ci`` draws the same resampling indices for every sample of a
    given size (the generator is seeded afresh), so all samples of that size
    can share one index matrix: thousands of small groups cost one draw,
    and each interval is still computed exactly as ``bootstrap_ci`` would.
    ``memo`` (see ``summarize``) maps a sample's digest to its interval.
    """
    out: list[tuple[float, float] | None] = [None] * len(samples)
    keys = [_digest(x, n_boot, seed) for x in samples] if memo is not None else []
    if memo is not None:
        out = [memo.get(k) for k in keys]
    by_size: dict[int, list[int]] = {}
    for i, x in enumerate(samples):
        if out[i] is not None:
            continue
        binary = x.size > 1 and np.isin(x, (0.0, 1.0)).all()
        if x.size <= 1 or binary or x.size * n_boot > 2_000_000:
            out[i] = bootstrap_ci(x, n_boot=n_boot, seed=seed)
        else:
            by_size.setdefault(x.size, []).append(i)
    for size, members in by_size.items():
        idx = np.random.default_rng(seed).integers(0, size, size=(n_boot, size))
        alpha = (1.0 - 0.95) / 2.0  # as bootstrap_ci computes it
        for i in members:
            means = samples[i][idx].mean(axis=1)
            low, high = np.quantile(means, [alpha, 1.0 - alpha])
            out[i] = (float(low), float(high))
    if memo is not None:
        memo.update(zip(keys, out))
    return out


def _digest(x: np.ndarray, n_boot: int, seed: int) -> str:
    """A key for the interval of ``x``: its values in order, and the resampling settings."""
    import hashlib

    return hashlib.blake2b(x.tobytes() + f"|{x.size}|{n_boot}|{seed}".encode(), digest_size=16).hexdigest()
