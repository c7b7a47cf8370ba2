"""Frames: a cue-word dictionary of news frames, found per paragraph and shared out per outlet.

A *frame* is a way of presenting an issue (as a conflict, as a question of
law, as a humanitarian matter…). This module finds frames the simplest
transparent way: a paragraph shows a frame when it contains at least one of
the frame's cue terms. The dictionary is ``analysis/data/frames.csv``, one row
per frame, editable by analysts:

- ``frame``: short name (``conflict``, ``security_defense``…);
- ``family``: where the frame comes from: ``semetko_valkenburg`` (the five
  generic frames of Semetko & Valkenburg 2000: conflict, human interest,
  economic consequences, morality, responsibility) or ``media_frames_corpus``
  (the issue-general categories of the Media Frames Corpus, Boydstun et al.
  2014, that fit foreign-policy news); a new family name is fine;
- ``definition``: one or two sentences, shown next to results;
- ``cues``: ``|``-separated lowercase terms or phrases. A trailing ``*`` is a
  suffix wildcard (``negotiat*`` finds "negotiate", "negotiations");
  nothing else is special: dots and hyphens are literal, words in a phrase
  may be separated by any whitespace. Cues match whole words only
  (``war`` does not match "software", but does match the "war" of "post-war"),
  ignoring case; curly apostrophes count as straight ones.

Known limits, to state wherever shares are shown: a dictionary only finds the
cues it lists (a paragraph can be framed as a conflict without any of them)
and cannot tell negation or irony ("this is not about money" counts as
economic); frames are not exclusive (a paragraph may show several); some cues
belong to two frames on purpose (``econom*`` is both the generic economic-
consequences frame and the Media Frames Corpus economic frame).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from .config import DATA_DIR
from .stats import DEFAULT_BOOTSTRAP, DEFAULT_MIN_N, summarize
from .terms import DEFAULT_KINDS, select_text

__all__ = [
    "FRAMES_PATH",
    "FRAME_COLUMNS",
    "load_frames",
    "cue_regex",
    "frame_hits",
    "frame_shares",
    "cue_counts",
]

FRAMES_PATH = DATA_DIR / "frames.csv"
FRAME_COLUMNS = ["frame", "family", "definition", "cues"]
# Columns carried from the input rows to the hits table, when present, so shares can be grouped by them.
CARRIED = ["article_id", "paragraph", "sentence", "file", "outlet", "country", "genre", "date", "language"]
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def load_frames(path=None) -> pd.DataFrame:
    """The frame dictionary: ``frame, family, definition, cues`` (one row per frame).

    ``path`` defaults to ``FRAMES_PATH``. Cues are stripped and lowercased;
    empty cues are dropped. Raises ``ValueError`` when a column is missing, a
    frame name repeats, or a frame has no cue.
    """
    frames = pd.read_csv(Path(path or FRAMES_PATH), dtype=str, keep_default_na=False)
    return _checked(frames)


def _checked(frames: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in FRAME_COLUMNS if c not in frames.columns]
    if missing:
        raise ValueError(f"frames table lacks column(s) {missing}; expected {FRAME_COLUMNS}")
    frames = frames[FRAME_COLUMNS].copy()
    frames["cues"] = frames["cues"].map(lambda c: "|".join(x.strip().lower() for x in str(c).split("|") if x.strip()))
    if frames["frame"].duplicated().any():
        raise ValueError(f"frame names repeat: {sorted(frames.loc[frames['frame'].duplicated(), 'frame'])}")
    empty = frames.loc[frames["cues"] == "", "frame"].tolist()
    if empty:
        raise ValueError(f"frames without cues: {empty}")
    return frames.reset_index(drop=True)


def cue_regex(cues: str, ignore_case: bool = True) -> re.Pattern:
    r"""Compile ``|``-separated cues into one whole-word pattern (case-insensitive by default).

    The cues are merged into a prefix tree ("dispute*|disagree*" becomes
    ``dis(?:agree\w*|pute\w*)``), which matches the same words as a plain
    alternation but is several times faster on a large corpus. Where one cue
    extends another ("security" and "security guarantee*"), the longer wins.

    >>> cue_regex("negotiat*|talks").findall("Talks and negotiations, not talkshows.")
    ['Talks', 'negotiations']
    """
    tree: dict = {}
    for cue in {c.strip().lower() for c in cues.split("|") if c.strip()}:
        node = tree
        for atom in _cue_atoms(cue):
            node = node.setdefault(atom, {})
        node[""] = {}
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile(rf"(?<!\w){_tree_regex(tree)}(?!\w)", flags)


def _cue_atoms(cue: str) -> list[str]:
    r"""Regex pieces of one cue: escaped characters, ``\s+`` between words, ``\w*`` for a trailing ``*``."""
    atoms: list[str] = []
    for k, word in enumerate(cue.rstrip("*").split()):
        if k:
            atoms.append(r"\s+")
        atoms.extend(re.escape(ch) for ch in word.translate(_APOSTROPHES))
    if cue.endswith("*"):
        atoms.append(r"\w*")
    return atoms


def _tree_regex(node: dict) -> str:
    """Regex for a prefix tree of atoms; the key "" marks the end of a cue."""
    branches = [atom + _tree_regex(child) for atom, child in sorted(node.items()) if atom]
    if not branches:
        return ""
    ends_here = "" in node
    if len(branches) == 1 and not ends_here:
        return branches[0]
    group = "(?:" + "|".join(branches) + ")"
    return group + "?" if ends_here else group  # greedy: the longer cue is tried first


HIT_COLUMNS = ["frame", "family", "hits", "present", "cues"]


def frame_hits(
    paragraphs: pd.DataFrame,
    frames: pd.DataFrame | str | Path | None = None,
    kinds=DEFAULT_KINDS,
    text_col: str = "text",
) -> pd.DataFrame:
    """Which frames each paragraph shows: one row per paragraph and frame.

    ``frames`` is a frame table (``load_frames`` format), a path to one, or
    None for the project dictionary. Only paragraphs whose ``kind`` is in
    ``kinds`` are read (body text by default; ``kinds=None`` for every row,
    e.g. sentences). Returns the identifying columns of the input that exist
    (``article_id``, ``paragraph``, ``sentence``, ``file``, ``outlet``,
    ``country``, ``genre``, ``date``, ``language``), then:

    - ``frame``, ``family``: from the dictionary;
    - ``hits``: number of cue matches in the paragraph (>= 0);
    - ``present``: True when ``hits`` > 0;
    - ``cues``: the distinct matched words, lowercased, ``|``-joined, A-Z
      ("" when none).

    Rows come paragraph by paragraph in input order, frames in dictionary order.
    """
    table = load_frames(frames) if frames is None or isinstance(frames, (str, Path)) else _checked(frames)
    rows = select_text(paragraphs, kinds)
    carried = rows[[c for c in CARRIED if c in rows.columns]].reset_index(drop=True)
    text = rows[text_col].fillna("").astype(str).str.normalize("NFC").str.translate(_APOSTROPHES).str.lower()
    found = {frame: text.str.findall(cue_regex(cues, ignore_case=False)) for frame, cues in zip(table["frame"], table["cues"])}
    n_rows, n_frames = len(rows), len(table)
    hits = np.column_stack([found[f].str.len().to_numpy(dtype=np.int64) for f in table["frame"]]) if n_rows else np.zeros((0, n_frames), dtype=np.int64)
    cues = np.column_stack([found[f].map(_joined).to_numpy(dtype=object) for f in table["frame"]]) if n_rows else np.zeros((0, n_frames), dtype=object)
    out = carried.loc[carried.index.repeat(n_frames)].reset_index(drop=True)
    out["frame"] = np.tile(table["frame"].to_numpy(), n_rows)
    out["family"] = np.tile(table["family"].to_numpy(), n_rows)
    out["hits"] = hits.ravel()
    out["present"] = out["hits"] > 0
    out["cues"] = pd.Series(cues.ravel(), dtype="string").fillna("").astype(str)
    return out


def _joined(matches: list[str]) -> str:
    return "|".join(sorted({" ".join(m.lower().split()) for m in matches}))


def frame_shares(
    hits: pd.DataFrame,
    by: str | list[str] = "outlet",
    mentions: pd.DataFrame | None = None,
    include_children: bool = True,
    actors=None,
    n_boot: int = DEFAULT_BOOTSTRAP,
    seed: int = 0,
    min_n: int = DEFAULT_MIN_N,
) -> pd.DataFrame:
    """Share of paragraphs showing each frame, per group, with bootstrap 95% intervals.

    ``hits`` is ``frame_hits`` output. The share is the mean of the 0/1
    ``present`` indicator over the group's paragraphs; the interval is
    ``stats.bootstrap_ci`` over that indicator (paragraphs resampled, seeded).
    Paragraphs of one article are not independent, so the interval is, if
    anything, too narrow; with one article per outlet it describes that
    article, not the outlet.

    With ``mentions`` (``analysis.actors.find_mentions`` output), shares are
    per actor context: each paragraph counts once for every actor it mentions
    (and, with ``include_children``, for the ``parent`` of each such actor),
    and the result gains an ``actor`` column before the ``by`` columns.
    ``actors`` (a list of ids) keeps only those actors' contexts, which saves
    the bootstrap for actors you will not show.

    Returns one row per group and frame: the ``by`` columns (``actor`` first
    when per actor), ``frame``, ``family``, ``n`` (paragraphs in the group),
    ``k`` (those showing the frame), ``share`` (k / n, in [0, 1]),
    ``ci_low``, ``ci_high`` (in [0, 1]), ``small_n`` (n < ``min_n``).
    """
    keys = [by] if isinstance(by, str) else list(by)
    data = hits
    if mentions is not None:
        keys = ["actor"] + keys
        contexts = _actor_paragraphs(mentions, include_children)
        if actors is not None:
            contexts = contexts[contexts["actor"].isin(list(actors))]
        data = hits.merge(contexts, on=["article_id", "paragraph"], how="inner")
    data = data.assign(_present=data["present"].astype(float))
    columns = keys + ["frame", "family", "n", "k", "share", "ci_low", "ci_high", "small_n"]
    if data.empty:
        return pd.DataFrame(columns=columns)
    summary = summarize(data, by=keys + ["frame"], value="_present", min_n=min_n, n_boot=n_boot, seed=seed)
    summary = summary.rename(columns={"mean": "share"})
    summary["k"] = (summary["share"] * summary["n"]).round().astype(np.int64)
    families = data[["frame", "family"]].drop_duplicates("frame")
    return summary.merge(families, on="frame", how="left")[columns]


def _actor_paragraphs(mentions: pd.DataFrame, include_children: bool) -> pd.DataFrame:
    """Distinct (article_id, paragraph, actor) rows, parents added for their children's mentions."""
    keys = ["article_id", "paragraph"]
    own = mentions[keys + ["actor"]]
    if include_children and "parent" in mentions.columns:
        parents = mentions[keys + ["parent"]].dropna().rename(columns={"parent": "actor"})
        parents = parents[parents["actor"].astype(str).str.strip() != ""]
        own = pd.concat([own, parents], ignore_index=True)
    return own.drop_duplicates().reset_index(drop=True)


def cue_counts(hits: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Which cues made each frame fire: one row per (group,) frame and matched word.

    ``hits`` is ``frame_hits`` output. Returns the ``by`` column when given,
    ``frame``, ``cue`` (the matched word, lowercased) and ``paragraphs`` (how
    many paragraphs it was found in, >= 1), sorted by group, frame, then
    ``paragraphs`` descending. Read it to check that a frame's share rests on
    cues that mean what the frame says.
    """
    keys = ([by] if by else []) + ["frame"]
    found = hits.loc[hits["present"], keys + ["cues"]].assign(cue=lambda d: d["cues"].str.split("|")).explode("cue")
    table = found.groupby(keys + ["cue"], sort=True).size().rename("paragraphs").reset_index()
    return table.sort_values(keys + ["paragraphs", "cue"], ascending=[True] * len(keys) + [False, True], kind="mergesort").reset_index(drop=True)
