"""Narrative roles per outlet: the share of an outlet's articles casting each actor as hero, villain or victim.

``roles_by_outlet`` counts the ``roles`` table (``analysis.measure.roles``):
each article counts once per actor, so ``n_articles`` is the sample size and
the interval is a bootstrap over articles.
"""

from __future__ import annotations

import pandas as pd

from analysis.measure.roles import ROLES
from analysis.measure.stats import DEFAULT_MIN_N, summarize

__all__ = ["ROLES_BY_OUTLET_COLUMNS", "roles_by_outlet"]

ROLES_BY_OUTLET_COLUMNS = ["name", "outlet", "role", "n_articles", "k", "share", "ci_low", "ci_high", "small_n",
                           "method"]


def roles_by_outlet(roles: pd.DataFrame, by=("name", "outlet"), min_n: int = DEFAULT_MIN_N,
                    memo: dict | None = None) -> pd.DataFrame:
    """Share of articles casting each actor as each role, per group, with a 95% interval over articles.

    ``roles``: the ``roles`` table (one row per article × actor). Returns one
    row per group and role (hero, villain, victim; ``none`` is what is left):
    the ``by`` columns, ``role``, ``n_articles`` (articles of the group that
    mention the actor), ``k`` (those casting it in ``role``), ``share`` (k /
    n_articles, in [0, 1]), ``ci_low``, ``ci_high`` (bootstrap over articles,
    seeded), ``small_n`` (fewer than ``min_n`` articles), ``method``.

    >>> t = pd.DataFrame({"name": ["Exxon"] * 2, "outlet": ["a"] * 2, "role": ["villain", "none"], "method": "rules"})
    >>> roles_by_outlet(t).query("role == 'villain'")["share"].item()
    0.5
    """
    keys = list(by)
    columns = [*keys, "role", "n_articles", "k", "share", "ci_low", "ci_high", "small_n", "method"]
    if roles.empty:
        return pd.DataFrame(columns=columns)
    data = roles[[*keys, "role", "method"]].copy()
    parts = []
    for role in ROLES:
        data["_cast"] = (data["role"] == role).astype(float)
        cells = summarize(data, keys, "_cast", min_n=min_n, memo=memo)
        counts = data.groupby(keys, sort=True, observed=True).agg(
            k=("_cast", "sum"), method=("method", lambda m: "|".join(sorted(set(m.dropna().astype(str)))))
        ).reset_index()
        cells = cells.drop(columns=["measure"]).rename(columns={"n": "n_articles", "mean": "share"}).merge(
            counts, on=keys, how="left")
        parts.append(cells.assign(role=role))
    out = pd.concat(parts, ignore_index=True)
    out["k"] = out["k"].astype("int64")
    out["n_articles"] = out["n_articles"].astype("int64")
    for col in keys:
        out[col] = out[col].astype("str")
    return out.sort_values([*keys, "role"], kind="stable", ignore_index=True)[columns]
