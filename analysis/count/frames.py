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

Per article (``article_frames``), the five generic frames of the
narrative-framing annotation (``GENERIC_FRAMES``: resolution, human_interest,
conflict, morality, economic) are decided two ways, both reported by
``python -m analysis evaluate-frames``:

- ``dictionary``: the article carries a frame when its cue hits per 1,000
  body words reach the frame's ``per_1000_words`` column of the dictionary
  (chosen on the tune split by ``python -m analysis calibrate-frames``;
  only rows with a number are decided per article);
- ``classifier``: the shipped logistic regressions of
  ``analysis.models.frames_model`` (TF-IDF n-grams plus these cue rates).

``article_frame_shares`` gives the share of articles carrying each frame
per outlet (or any group), each article one observation, with Wilson 95%
intervals.

Known limits, to state wherever shares are shown: a dictionary only finds the
cues it lists (a paragraph can be framed as a conflict without any of them)
and cannot tell negation or irony ("this is not about money" counts as
economic); frames are not exclusive (a paragraph may show several); some cues
belong to two frames on purpose (``econom*`` is both the generic economic-
consequences frame and the Media Frames Corpus economic frame).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.config import DATA_DIR
from analysis.count.terms import DEFAULT_KINDS, select_text
from analysis.measure.stats import DEFAULT_BOOTSTRAP, DEFAULT_MIN_N, summarize
from analysis.models import frames_model

__all__ = [
    "ARTICLE_METHODS",
    "FRAMES_PATH",
    "FRAME_COLUMNS",
    "GENERIC_FRAMES",
    "article_frame_shares",
    "article_frames",
    "article_texts",
    "cue_counts",
    "cue_rates",
    "cue_regex",
    "frame_hits",
    "frame_shares",
    "load_frames",
]

FRAMES_PATH = DATA_DIR / "frames.csv"
FRAME_COLUMNS = ["frame", "family", "definition", "cues"]
RULE_COLUMN = "per_1000_words"  # optional: the article-level threshold of a frame (hits per 1,000 body words)
GENERIC_FRAMES = frames_model.FRAMES
ARTICLE_METHODS = ("dictionary", "classifier")
ARTICLE_CARRIED = ["article_id", "file", "outlet", "country", "genre", "date", "language"]
# Columns carried from the input rows to the hits table, when present, so shares can be grouped by them.
CARRIED = ["article_id", "paragraph", "sentence", "file", "outlet", "country", "genre", "date", "language"]
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
# Joins paragraph texts for one pass: no cue pattern matches it, and like the edge
# of a text it is neither a word character nor a space.
_SEP = "\x00"
_RUNS = re.compile(r"\w+|" + _SEP)


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
    frames = frames[FRAME_COLUMNS + [c for c in (RULE_COLUMN,) if c in frames.columns]].copy()
    if RULE_COLUMN in frames.columns:
        rule = pd.to_numeric(frames[RULE_COLUMN].replace("", np.nan), errors="coerce")
        bad = frames.loc[rule.isna() & frames[RULE_COLUMN].notna() & (frames[RULE_COLUMN].astype(str).str.strip() != ""),
                         "frame"].tolist()
        if bad or (rule < 0).any():
            raise ValueError(f"{RULE_COLUMN} must be a number >= 0 or empty: {bad or rule[rule < 0].index.tolist()}")
        frames[RULE_COLUMN] = rule.astype(float)
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
    n_rows, n_frames = len(rows), len(table)
    hits, cues = _match_frames(_normalised(rows[text_col]), tuple(table["cues"]))
    out = carried.loc[carried.index.repeat(n_frames)].reset_index(drop=True)
    out["frame"] = np.tile(table["frame"].to_numpy(), n_rows)
    out["family"] = np.tile(table["family"].to_numpy(), n_rows)
    out["hits"] = hits.ravel()
    out["present"] = out["hits"] > 0
    out["cues"] = pd.Series(cues.ravel(), dtype="string").fillna("").astype(str)
    return out


def _normalised(texts: pd.Series) -> list[str]:
    """Texts as the cues are matched against them: NFC, straight apostrophes, lowercase."""
    text = texts.fillna("").astype(str).str.normalize("NFC")
    for quote, straight in _APOSTROPHES.items():  # as str.translate, without a Python call per row
        text = text.str.replace(chr(quote), straight, regex=False)
    return text.str.lower().tolist()


def _joined(matches: list[str]) -> str:
    return "|".join(sorted({" ".join(m.lower().split()) for m in matches}))


def _match_frames(texts: list[str], cue_lists: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    r"""Cue matches of every frame in every (normalised, lowercased) text: hits and joined cues, texts x frames.

    The same as ``cue_regex(cues, ignore_case=False).findall(text)`` per text
    and frame, counted and passed through ``_joined``, but with one pass over
    all texts for most of the work. A cue made of word characters (with a
    trailing ``*`` or not) can only match a whole run of word characters, so
    where a frame has no other kind of cue its matches are the word runs that
    ``_FrameCues.single`` accepts: one ``\w+`` pass and a lookup per distinct
    word. Other cues (phrases, hyphens, dots) can swallow neighbouring words,
    so in the texts where such a cue's words occur (a literal search, the
    cue without its word boundaries) that frame is matched text by text as
    before. Texts that contain the separator are matched text by text too.
    """
    n_texts, n_frames = len(texts), len(cue_lists)
    hits = np.zeros((n_texts, n_frames), dtype=np.int64)
    cues = np.full((n_texts, n_frames), "", dtype=object)
    if not n_texts or not n_frames:
        return hits, cues
    matchers = [_frame_cues(c) for c in cue_lists]
    joined = _SEP.join(texts)
    if joined.count(_SEP) != n_texts - 1 or any(_SEP in c for c in cue_lists):
        one_by_one = [np.arange(n_texts)] * n_frames
    else:
        starts = np.concatenate(([0], np.cumsum([len(t) + 1 for t in texts])[:-1]))
        one_by_one = []
        for matcher in matchers:
            found = [m.start() for rx in matcher.multi for m in rx.finditer(joined)]
            one_by_one.append(np.unique(np.searchsorted(starts, np.array(found, dtype=np.int64), side="right") - 1))
        _match_words(joined, matchers, hits, cues)
    for f, (matcher, rows) in enumerate(zip(matchers, one_by_one)):
        for row in rows:
            matches = matcher.regex.findall(texts[row])
            hits[row, f] = len(matches)
            cues[row, f] = _joined(matches)
    return hits, cues


def _match_words(joined: str, matchers: list, hits: np.ndarray, cues: np.ndarray) -> None:
    """Fill ``hits`` and ``cues`` from the single-word cues, for texts joined by ``_SEP``."""
    runs = _RUNS.findall(joined)
    forms = dict.fromkeys(runs)
    for code, form in enumerate(forms):
        forms[form] = code
    codes = np.fromiter(map(forms.__getitem__, runs), dtype=np.int64, count=len(runs))
    del runs
    words = list(forms)
    text = np.cumsum(codes == forms.get(_SEP, -1))
    any_single = _any_single(tuple(m.single.pattern for m in matchers if m.single is not None))
    candidates = [k for k, w in enumerate(words) if any_single is not None and any_single.fullmatch(w)]
    member = np.zeros((len(words), len(matchers)), dtype=bool)
    for f, matcher in enumerate(matchers):
        if matcher.single is not None:
            member[candidates, f] = [bool(matcher.single.fullmatch(words[k])) for k in candidates]
    at = np.flatnonzero(member.any(axis=1)[codes])
    if not len(at):
        return
    codes, text = codes[at], text[at]
    norms = sorted({" ".join(words[k].lower().split()) for k in candidates})
    norm_rank = {w: r for r, w in enumerate(norms)}
    rank = np.zeros(len(words), dtype=np.int64)
    rank[candidates] = [norm_rank[" ".join(words[k].lower().split())] for k in candidates]
    n_frames, n_norms = len(matchers), len(norms)
    keys = []
    for f in range(len(matchers)):
        sel = member[codes, f]
        hits[:, f] = np.bincount(text[sel], minlength=hits.shape[0])
        keys.append((text[sel] * n_frames + f) * n_norms + rank[codes[sel]])
    keys = np.unique(np.concatenate(keys))  # distinct (text, frame, cue), in text, frame, cue order
    cell, cue = np.divmod(keys, n_norms)
    bounds = np.flatnonzero(np.diff(cell)) + 1
    names = [norms[r] for r in cue.tolist()]
    first = np.concatenate(([0], bounds)).tolist()
    last = np.concatenate((bounds, [len(cell)])).tolist()
    row, col = np.divmod(cell[first], n_frames)
    cues[row, col] = ["|".join(names[a:b]) for a, b in zip(first, last)]


class _FrameCues:
    """One frame's cues compiled three ways (see ``_match_frames``)."""

    def __init__(self, cues: str):
        self.regex = cue_regex(cues, ignore_case=False)
        single, self.multi = {}, []
        for cue in {c.strip().lower() for c in cues.split("|") if c.strip()}:
            atoms = _cue_atoms(cue)
            if re.fullmatch(r"\w+", cue.rstrip("*")):
                node = single
                for atom in atoms:
                    node = node.setdefault(atom, {})
                node[""] = {}
            else:
                self.multi.append(re.compile("".join(atoms[:-1] if cue.endswith("*") else atoms)))
        self.single = re.compile(_tree_regex(single)) if single else None


@lru_cache(maxsize=256)
def _frame_cues(cues: str) -> _FrameCues:
    return _FrameCues(cues)


@lru_cache(maxsize=64)
def _any_single(patterns: tuple[str, ...]) -> re.Pattern | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


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

    With ``mentions`` (``analysis.measure.actors.find_mentions`` output), shares are
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


_WORD = re.compile(r"\w+")


def article_texts(paragraphs: pd.DataFrame, kinds=DEFAULT_KINDS, text_col: str = "text") -> pd.DataFrame:
    """One row per article: its identifying columns that exist (``ARTICLE_CARRIED``), ``text`` (its
    ``kinds`` paragraphs joined by blank lines, in input order) and ``n_words`` (runs of word characters)."""
    rows = select_text(paragraphs, kinds)
    carried = [c for c in ARTICLE_CARRIED if c in rows.columns]
    if rows.empty:
        return pd.DataFrame(columns=carried + ["text", "n_words"])
    grouped = rows.groupby("article_id", sort=False)
    out = grouped[carried].first().drop(columns="article_id", errors="ignore").reset_index()
    out["text"] = grouped[text_col].agg(lambda t: "\n\n".join(t.fillna("").astype(str))).to_numpy()
    out["n_words"] = [len(_WORD.findall(t)) for t in out["text"]]
    return out


def cue_rates(texts, cue_lists) -> np.ndarray:
    """Cue hits per 1,000 words of each text for each ``|``-separated cue list (texts x lists, >= 0).

    Words are runs of word characters; an empty text has rate 0. The same count as ``frame_hits``, over
    the whole text."""
    texts = pd.Series(list(texts), dtype=object)
    hits, _ = _match_frames(_normalised(texts), tuple(cue_lists))
    words = np.array([len(_WORD.findall(str(t))) for t in texts], dtype=float)
    return np.divide(1000.0 * hits, words[:, None], out=np.zeros(hits.shape), where=words[:, None] > 0)


ARTICLE_FRAME_COLUMNS = ["frame", "method", "score", "threshold", "present"]


def article_frames(
    paragraphs: pd.DataFrame,
    frames: pd.DataFrame | str | Path | None = None,
    method: str = "dictionary",
    model=None,
    kinds=DEFAULT_KINDS,
) -> pd.DataFrame:
    """Which frames each article carries: one row per article and frame.

    ``paragraphs``: the paragraphs table (or any rows with ``article_id`` and ``text``), read for ``kinds``.
    ``method``:

    - ``dictionary``: ``score`` is the article's cue hits per 1,000 words for each dictionary row with a
      ``per_1000_words`` number (every row, at threshold 0, when none has one); present when the score
      reaches it (and is above 0);
    - ``classifier``: ``score`` is the probability of each of ``GENERIC_FRAMES`` from the shipped
      classifier (``model``: another ``frames_model.FramesModel``), present at or above its threshold.

    Returns the articles' identifying columns that exist (``ARTICLE_CARRIED``), ``n_words``, then
    ``frame``, ``method``, ``score`` (>= 0; a probability in [0, 1] for the classifier), ``threshold``,
    ``present`` (bool). Articles in input order, frames in dictionary (or ``GENERIC_FRAMES``) order.
    """
    if method not in ARTICLE_METHODS:
        raise ValueError(f"unknown article frame method {method!r}; choose from {list(ARTICLE_METHODS)}")
    texts = article_texts(paragraphs, kinds)
    if method == "dictionary":
        table = load_frames(frames) if frames is None or isinstance(frames, (str, Path)) else _checked(frames)
        rule = table[RULE_COLUMN] if RULE_COLUMN in table.columns else pd.Series(np.nan, index=table.index)
        if rule.notna().any():
            table, rule = table[rule.notna()], rule[rule.notna()]
        names, thresholds = table["frame"].to_numpy(), rule.fillna(0.0).to_numpy(dtype=float)
        scores = cue_rates(texts["text"], table["cues"])
        present = (scores >= thresholds) & (scores > 0)
    else:
        model = model or frames_model.load()
        names, thresholds = np.array(model.frames), np.asarray(model.thresholds, dtype=float)
        rates = cue_rates(texts["text"], [model.cues[f] for f in model.frames])
        scores = model.probabilities(texts["text"].tolist(), rates)
        present = scores >= thresholds
    n_frames = len(names)
    base = texts.drop(columns="text")
    out = base.loc[base.index.repeat(n_frames)].reset_index(drop=True)
    out["frame"] = np.tile(names, len(texts)).astype(object)
    out["method"] = method
    out["score"] = scores.ravel().astype(float)
    out["threshold"] = np.tile(thresholds, len(texts)).astype(float)
    out["present"] = present.ravel().astype(bool)
    return out


def _wilson(k: np.ndarray, n: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of k successes in n trials (NaN where n is 0)."""
    from statistics import NormalDist

    z = NormalDist().inv_cdf(0.5 + level / 2)
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    low = np.where(k == 0, 0.0, np.clip(centre - half, 0, 1))  # exact at the edges, not 1e-17 off
    high = np.where(k == n, 1.0, np.clip(centre + half, 0, 1))
    return low, high


def article_frame_shares(
    article_frames_: pd.DataFrame,
    by: str | list[str] = "outlet",
    min_n: int = DEFAULT_MIN_N,
    level: float = 0.95,
) -> pd.DataFrame:
    """Share of articles carrying each frame, per group and method, with Wilson intervals over articles.

    ``article_frames_`` is ``article_frames`` output (one or both methods). Each article is one
    observation, so the interval is clustered by article by construction (paragraphs of one article
    are never counted as independent). Returns the ``by`` columns, ``frame``, ``method``,
    ``n_articles`` (articles in the group), ``k`` (those carrying the frame), ``share`` (k / n_articles,
    in [0, 1]), ``ci_low``, ``ci_high`` (Wilson score interval at ``level``, in [0, 1]) and ``small_n``
    (n_articles < ``min_n``). Groups sorted A-Z, frames in input order.
    """
    keys = [by] if isinstance(by, str) else list(by)
    columns = keys + ["frame", "method", "n_articles", "k", "share", "ci_low", "ci_high", "small_n"]
    if article_frames_.empty:
        return pd.DataFrame(columns=columns)
    data = article_frames_.assign(_k=article_frames_["present"].astype(int))
    order = {f: i for i, f in enumerate(dict.fromkeys(data["frame"]))}
    out = (data.groupby(keys + ["frame", "method"], sort=True, dropna=False)
           .agg(n_articles=("article_id", "nunique"), k=("_k", "sum")).reset_index())
    out["share"] = out["k"] / out["n_articles"]
    out["ci_low"], out["ci_high"] = _wilson(out["k"], out["n_articles"], level)
    out["small_n"] = out["n_articles"] < min_n
    out = out.assign(_order=out["frame"].map(order)).sort_values(keys + ["method", "_order"], kind="mergesort")
    return out[columns].reset_index(drop=True)
