"""Naming choices: which of several names for the same thing each outlet uses.

House style and framing show in names: "Zelenskyy", "Zelenskiy" or
"Zelensky"; "Kyiv" or "Kiev"; "Türkiye" or "Turkey"; "U.S." or "US"; "war",
"invasion" or "special military operation". The alternatives live in
``analysis/data/naming.csv`` (editable), one row per spelling:

- ``concept``: what is being named (``zelenskyy``, ``kyiv``, ``war_name``…);
- ``variant``: the label shown in tables ("Zelenskiy");
- ``pattern``: a Python regular expression, matched against the original
  text. It is **case-sensitive** unless it starts with ``(?i)``, because
  capitals carry the difference ("US" the country vs "us" the pronoun).
  Write boundaries explicitly: ``\\bKyiv\\b``; for dotted forms use
  lookarounds, e.g. ``(?<![\\w.])U\\.S\\.(?!\\w)``, which also finds the "U.S."
  in "U.S.-Russia" and "U.S.’s".

Words in scare quotes are the other naming choice counted here: a word or a
short phrase (1-3 words) in quotation marks that is not reported speech, such
as Russia's help in “liberating” Kursk. The rule (``scare_quotes``): the
quoted text has at most ``max_words`` words, does not end with ``.``, ``!``
or ``?`` (a whole short utterance), is not introduced by a colon, and no
reporting verb ("said", "told", "called", "according"…) stands within
``window`` words before or after it. This is a heuristic: it keeps short
partial quotes of someone's words when no verb is near (“signal”), and it
drops a scare quote that happens to sit next to a verb. Read the list it
returns before drawing conclusions.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.config import DATA_DIR
from analysis.count.terms import DEFAULT_KINDS, case_variants, select_text

__all__ = [
    "NAMING_PATH",
    "NAMING_COLUMNS",
    "REPORTING_VERBS",
    "load_naming",
    "scare_quotes",
    "naming_table",
    "naming_counts",
    "merge_naming",
    "naming_from_counts",
    "naming_wide",
]

NAMING_PATH = DATA_DIR / "naming.csv"
NAMING_COLUMNS = ["concept", "variant", "pattern"]
SCARE_CONCEPT = "scare_quote"
REPORTING_VERBS = frozenset(
    """
    said say says saying told tell tells telling stated states stating declared declares
    added adds noted notes wrote write writes asked asks replied replies announced announces
    according claimed claims claiming insisted insists warned warns called calls calling
    described describes describing termed dubbed urged urges argued argues stressed stresses
    emphasized emphasised emphasizes emphasises commented explained explains quoted quoting
    tweeted posted
    """.split()
)
# Opening and closing marks: curly double, straight double, curly single, guillemets.
_QUOTE_RE = re.compile(
    r"\u201c(?P<a>[^\u201c\u201d]{1,120})\u201d"
    r"|\"(?P<b>[^\"]{1,120})\""
    r"|(?<!\w)\u2018(?P<c>[^\u2018\u2019]{1,120})\u2019(?!\w)"
    r"|\u00ab\s?(?P<d>[^\u00ab\u00bb]{1,120}?)\s?\u00bb"
)
_WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*|\d+(?:[.,]\d+)*")
# Every match of _QUOTE_RE starts with one of these: texts without them are skipped.
_OPENING_MARKS = re.compile("[\u201c\"\u2018\u00ab]")


def load_naming(path=None, extra: pd.DataFrame | None = None) -> pd.DataFrame:
    """The naming alternatives: ``concept, variant, pattern``, one row per variant.

    ``path`` defaults to ``NAMING_PATH``; ``extra`` rows (same columns) are
    appended, replacing a default row with the same concept and variant.
    Raises ``ValueError`` for a missing column or a pattern that does not
    compile (naming the row).
    """
    table = pd.read_csv(Path(path or NAMING_PATH), dtype=str, keep_default_na=False)
    if extra is not None:
        table = pd.concat([table, pd.DataFrame(extra)], ignore_index=True)
    return _checked(table)


def _checked(table: pd.DataFrame) -> pd.DataFrame:
    table = pd.DataFrame(table)
    missing = [c for c in NAMING_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"naming table lacks column(s) {missing}; expected {NAMING_COLUMNS}")
    table = table[NAMING_COLUMNS].astype(str).drop_duplicates(["concept", "variant"], keep="last")
    for row in table.itertuples(index=False):
        try:
            re.compile(row.pattern)
        except re.error as exc:
            raise ValueError(f"naming pattern for {row.concept}/{row.variant} does not compile: {exc}") from exc
    return table.reset_index(drop=True)


def scare_quotes(
    paragraphs: pd.DataFrame,
    max_words: int = 3,
    window: int = 4,
    reporting_verbs=REPORTING_VERBS,
    kinds=DEFAULT_KINDS,
    text_col: str = "text",
) -> pd.DataFrame:
    """Short quoted words and phrases that are not reported speech (see module docstring).

    Returns one row per instance with the identifying columns of the input
    that exist (``article_id``, ``paragraph``, ``outlet``, ``country``,
    ``genre``, ``date``), then ``quote`` (the text inside the marks, as
    written), ``term`` (lowercased, trailing comma dropped: the name
    counted), ``n_words`` (1..``max_words``), ``start``, ``end`` (offsets of
    the quote marks in the paragraph text) and ``context`` (the paragraph
    text 60 characters either side, for checking).
    """
    rows = select_text(paragraphs, kinds)
    ids = [c for c in ("article_id", "paragraph", "outlet", "country", "genre", "date") if c in rows.columns]
    verbs = frozenset(v.lower() for v in reporting_verbs)
    found = []
    for position, text in enumerate(rows[text_col].fillna("").astype(str)):
        if not _OPENING_MARKS.search(text):
            continue
        row_words = None
        for match in _QUOTE_RE.finditer(text):
            inner = next(g for g in match.groups() if g is not None)
            quote = inner.strip()
            words = _WORD_RE.findall(quote)
            if not 1 <= len(words) <= max_words or quote[-1:] in ".!?":
                continue
            before = text[: match.start()]
            if before.rstrip().endswith(":"):
                continue
            if row_words is None:  # the paragraph's words, once: no opening mark can be part of a word,
                # so the words of `before` are exactly the paragraph's words that end before the mark
                row_words = list(_WORD_RE.finditer(text))
                row_ends = [w.end() for w in row_words]
            preceding = [w.group() for w in row_words[: bisect_right(row_ends, match.start())]][-window:]
            following = _WORD_RE.finditer(text, match.end())  # same words as findall(text[end:])
            following = [w.group() for w in islice(following, window)] if window >= 0 else [w.group() for w in following][:window]
            near = preceding + following
            if any(w.lower().replace("\u2019", "'") in verbs for w in near):
                continue
            lo, hi = max(0, match.start() - 60), min(len(text), match.end() + 60)
            term = " ".join(quote.rstrip(",;").split()).lower()
            found.append((position, quote, term, len(words), match.start(), match.end(), text[lo:hi]))
    columns = ["quote", "term", "n_words", "start", "end", "context"]
    if not found:
        return pd.DataFrame(columns=ids + columns)
    positions = np.array([f[0] for f in found])
    out = rows[ids].iloc[positions].reset_index(drop=True)
    details = pd.DataFrame([f[1:] for f in found], columns=columns)
    return pd.concat([out, details], axis=1)


def naming_table(
    paragraphs: pd.DataFrame,
    pairs: pd.DataFrame | str | Path | None = None,
    by: str = "outlet",
    include_scare_quotes: bool = True,
    kinds=DEFAULT_KINDS,
    text_col: str = "text",
    **scare_options,
) -> pd.DataFrame:
    """How often each group uses each name of each concept.

    ``pairs`` is a naming table (``load_naming`` format: ``concept, variant,
    pattern``), a path to one, or None for the project list. Body paragraphs
    only by default (``kinds``). Scare quotes (``scare_quotes``, options
    passed through) are added as concept ``scare_quote`` with the quoted
    term as variant, unless ``include_scare_quotes`` is False.

    Returns one row per group, concept and variant, with the columns
    ``by`` (e.g. ``outlet``), ``concept``, ``variant``, ``count``
    (occurrences, >= 0; every listed variant appears for every group, so a 0
    is a real "never"), ``n_articles`` (the group's articles using it) and
    ``share`` (count / all counts of the concept in the group, in [0, 1];
    NaN when the group never names the concept). Scare quotes appear only
    where found. Sorted by group, concept, then count descending.
    """
    counts = naming_counts(paragraphs, pairs, by, include_scare_quotes, kinds, text_col, **scare_options)
    return naming_from_counts(counts)


@dataclass
class NamingCounts:
    """What ``naming_table`` sums over articles: additive over disjoint sets of articles (``merge_naming``)."""

    table: pd.DataFrame  # the naming patterns (concept, variant, pattern)
    by: str
    total: pd.DataFrame  # groups x patterns: occurrences
    used: pd.DataFrame  # groups x patterns: articles using the pattern
    quotes: pd.DataFrame | None  # one row per scare quote (group, term, article_id); None when not asked for


def naming_counts(
    paragraphs: pd.DataFrame,
    pairs: pd.DataFrame | str | Path | None = None,
    by: str = "outlet",
    include_scare_quotes: bool = True,
    kinds=DEFAULT_KINDS,
    text_col: str = "text",
    **scare_options,
) -> NamingCounts:
    """The counts behind ``naming_table`` (same options): a growing corpus needs only its new articles counted."""
    table = load_naming(pairs) if pairs is None or isinstance(pairs, (str, Path)) else _checked(pairs)
    rows = select_text(paragraphs, kinds)
    rows = rows[rows[by].notna()]
    text = rows[text_col].fillna("").astype(str)
    texts = text.tolist()
    arrow = pa.array(texts, type=pa.large_string())
    counts = pd.DataFrame(
        {i: _count(text, texts, pattern, arrow) for i, pattern in enumerate(table["pattern"])},
        index=pd.MultiIndex.from_arrays([rows[by], rows["article_id"].astype(str)], names=[by, "article_id"]),
    )
    per_article = counts.groupby(level=[0, 1], sort=True, observed=True).sum()
    total = per_article.groupby(level=0, sort=True, observed=True).sum()
    used = (per_article > 0).groupby(level=0, sort=True, observed=True).sum()
    quotes = None
    if include_scare_quotes:
        found = scare_quotes(rows, kinds=None, text_col=text_col, **scare_options)
        if len(found) and by not in found.columns:  # a grouping column scare_quotes does not carry
            where = ["article_id", "paragraph"]
            found = found.merge(rows[[*where, by]].drop_duplicates(where), on=where, how="left")
        quotes = found[[by, "term", "article_id"]].reset_index(drop=True) if len(found) else \
            pd.DataFrame({by: pd.Series(dtype=object), "term": pd.Series(dtype=object), "article_id": pd.Series(dtype=object)})
    return NamingCounts(table, by, total, used, quotes)


def merge_naming(a: NamingCounts, b: NamingCounts) -> NamingCounts:
    """The counts of two disjoint sets of articles together (same patterns and options)."""
    def add(x: pd.DataFrame, y: pd.DataFrame) -> pd.DataFrame:
        return x.add(y, fill_value=0).astype(np.int64).sort_index()

    quotes = None if a.quotes is None else pd.concat([a.quotes, b.quotes], ignore_index=True)
    return NamingCounts(a.table, a.by, add(a.total, b.total), add(a.used, b.used), quotes)


def naming_from_counts(counts: NamingCounts) -> pd.DataFrame:
    """The ``naming_table`` of ``naming_counts`` (or ``merge_naming``) output."""
    table, by, total, used = counts.table, counts.by, counts.total, counts.used
    long = pd.DataFrame(
        {
            by: np.repeat(total.index.to_numpy(), len(table)),
            "concept": np.tile(table["concept"].to_numpy(), len(total)),
            "variant": np.tile(table["variant"].to_numpy(), len(total)),
            "count": total.to_numpy().ravel().astype(np.int64),
            "n_articles": used.to_numpy().ravel().astype(np.int64),
        }
    )
    quotes = counts.quotes
    if quotes is not None and len(quotes):
        quoted = quotes.groupby([by, "term"], sort=True).agg(count=("term", "size"), n_articles=("article_id", "nunique")).reset_index()
        quoted = quoted.rename(columns={"term": "variant"}).assign(concept=SCARE_CONCEPT)
        long = pd.concat([long, quoted[long.columns]], ignore_index=True)
    concept_total = long.groupby([by, "concept"], sort=False)["count"].transform("sum")
    long["share"] = long["count"] / concept_total.where(concept_total > 0)
    return long.sort_values([by, "concept", "count", "variant"], ascending=[True, True, False, True], kind="mergesort").reset_index(drop=True)


def _count(text: pd.Series, texts: list[str], pattern: str, arrow: pa.Array) -> np.ndarray:
    """``text.str.count(pattern)`` (``texts`` and ``arrow`` hold the same strings), without scanning every row.

    Every match of a pattern like ``\\bKyiv\\b`` contains the literal "Kyiv",
    so only rows that contain the literal are read. They are found in C++ on
    ``arrow``: a plain substring search, or for a case-insensitive pattern a
    regex with each character spelled out as the set of characters Python's
    ``(?i)`` lets it match, so the two engines agree. When the literal is
    where every match starts (only zero-width assertions before it), matches
    are tried only where it occurs, left to right as ``findall`` does.
    """
    required = _required_literal(pattern)
    if required is None:
        return text.str.count(pattern).to_numpy()
    literal, ignore_case, leading = required
    variants = case_variants(frozenset(literal)) if ignore_case else {ch: frozenset(ch) for ch in literal}
    spelled = "".join("[" + "".join(f"\\x{{{ord(v):x}}}" for v in sorted(variants[ch])) + "]" for ch in literal)
    found = pc.match_substring_regex(arrow, spelled) if ignore_case else pc.match_substring(arrow, literal)
    rows = np.flatnonzero(found.to_numpy(zero_copy_only=False))
    counts = np.zeros(len(texts), dtype=np.int64)
    if not len(rows):
        return counts
    if not leading:
        counts[rows] = text.iloc[rows].str.count(pattern).to_numpy()
        return counts
    regex = re.compile(pattern)
    classes = ["[" + "".join(re.escape(v) for v in sorted(variants[ch])) + "]" for ch in literal]
    # One character consumed per hit, the rest looked ahead: overlapping occurrences are all found.
    starts = re.compile(classes[0] + ("(?=" + "".join(classes[1:]) + ")" if len(classes) > 1 else ""))
    for row in rows.tolist():
        line, n, end = texts[row], 0, 0
        for hit in starts.finditer(line):
            if hit.start() >= end:
                match = regex.match(line, hit.start())
                if match:
                    n, end = n + 1, match.end()
        counts[row] = n
    return counts


def _required_literal(pattern: str) -> tuple[str, bool, bool] | None:
    """A run of plain characters every match of ``pattern`` contains: (literal, case ignored, match starts with it).

    Reads the top level of the pattern only. Zero-width assertions (``\\b``,
    look-arounds) do not break a run; the run is the first one when nothing
    but assertions comes before it (then it starts every match), else the
    longest. None when there is no run, or for flags this does not model.
    """
    try:
        parser = re._parser  # the standard library's own parser, the one re.compile uses
        parsed = parser.parse(pattern)
    except Exception:  # an unparseable pattern fails in str.count, as before
        return None
    flags = parsed.state.flags
    ignore_case = bool(flags & re.IGNORECASE)
    if flags & (re.ASCII | re.LOCALE) and ignore_case:
        return None
    zero_width = (parser.AT, parser.ASSERT, parser.ASSERT_NOT)
    runs, run, consumed = [], [], False
    for op, value in list(parsed) + [(None, None)]:
        if op is parser.LITERAL:
            run.append(chr(value))
        elif op not in zero_width:
            if run:
                runs.append(("".join(run), not consumed))
                consumed, run = True, []
            else:
                consumed = True
    if not runs:
        return None
    literal, leading = runs[0] if runs[0][1] else max(runs, key=lambda r: len(r[0]))
    if leading and any(op is parser.AT and value in (parser.AT_BEGINNING, parser.AT_BEGINNING_STRING) for op, value in parsed):
        leading = False  # ^ and \A hold at the start of the string only, which match(pos) does not see
    return literal, ignore_case, leading


def naming_wide(table: pd.DataFrame, concept: str, by: str = "outlet", value: str = "count") -> pd.DataFrame:
    """One concept of ``naming_table`` as a grid: rows = groups, columns = variants, cells = ``value``."""
    part = table[table["concept"] == concept]
    return part.pivot_table(index=by, columns="variant", values=value, aggfunc="sum", fill_value=0, sort=True)
