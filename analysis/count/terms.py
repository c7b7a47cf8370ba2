"""Terms: offline tokenization, term tables for any grouping, and keyness.

Everything here counts *terms* in paragraphs (or sentences) and compares the
counts across groups of articles (outlet, country, genre, period, article).

Tokenization (``Tokenizer``), with no downloaded data:

- Text is NFC-normalised and curly apostrophes become straight ones, then
  words are found with a regular expression and lowercased. Diacritics are
  kept ("Türkiye" -> ``türkiye``).
- Possessives are dropped: "Trump’s" -> ``trump``, "allies’" -> ``allies``.
  Other contractions stay whole ("don't") and are on the stopword list.
- Numbers are not terms ("11,000", "2014", the "st" of "21st" are dropped);
  single letters are not terms either.
- Dotted abbreviations stay one term: "U.S." -> ``u.s.``. The country written
  "US" in capitals (The Guardian's style) becomes ``u.s.`` too, so the two
  house styles count as the same term and "US" never meets the pronoun "us"
  (which is a stopword). The naming table (``analysis.count.naming``) is where the
  spelling difference itself is counted.
- Hyphens: compounds of common words stay one term ("long-range",
  "cease-fire"); hyphens joining capitalised names are split, so that
  "Trump-Putin" counts once for ``trump`` and once for ``putin``, and
  "U.S.-Russia" gives ``u.s.`` and ``russia``.
- Phrases (e.g. actor names and aliases from the registry, passed as
  ``phrases=``) are kept as one term, matched case-insensitively and written
  lowercase with underscores for spaces: "North Korea" -> ``north_korea``,
  "Kim Jong-un" -> ``kim_jong-un``. A dict maps several spellings to one
  canonical term (``{"Vladimir Putin": "putin", "Putin": "putin"}``);
  ``actor_phrases(actors)`` builds that dict from the actor registry. Aliases
  of two or three capital letters ("US", "UK", "EU", "UN") are matched in
  capitals only, so they never match ordinary words.
- N-grams (``ngram_range``, up to 3) are runs of consecutive tokens within one
  stretch of text between punctuation marks or numbers; an n-gram may hold
  stopwords inside ("secretary of state") but never starts or ends with one.
  N-gram words are joined by a space; phrase terms count as one word.
- Stopwords come from ``analysis/data/stopwords.txt`` (documented there),
  extended per call with ``extra_stopwords=``.

Which paragraphs count: by default only ``kind == "body"`` paragraphs (not
titles, headings, bylines, boilerplate, bios or footers), because headings
repeat body words and furniture is not reporting. Pass ``kinds=None`` to count
every row, e.g. for a sentence table (which holds body text only anyway).

Counting tokenizes all the texts of a call in one regular-expression pass
(they are joined with a separator that behaves like the edge of a text), turns
tokens into integer codes and forms n-grams with array arithmetic, so Python
runs once per distinct word form rather than once per word. The result is the
same as running ``Tokenizer`` over each text and counting with scikit-learn's
``CountVectorizer``, which is the fallback for the rare texts and phrase lists
the fast pass cannot vouch for. Aggregation to groups is sparse matrix
algebra, so the cost is one pass over the text whatever the number of groups.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis.config import DATA_DIR

__all__ = [
    "STOPWORDS_PATH",
    "DEFAULT_KINDS",
    "load_stopwords",
    "actor_phrases",
    "actor_terms",
    "Tokenizer",
    "tokenize",
    "select_text",
    "term_table",
    "count_terms",
    "merge_counts",
    "table_from_counts",
    "restrict_terms",
    "top_terms",
    "keyness",
    "keyness_from_counts",
    "keyness_from_terms",
    "actor_context",
    "context_keyness",
]

STOPWORDS_PATH = DATA_DIR / "stopwords.txt"
DEFAULT_KINDS = ("body",)
RATE_PER = 10_000
# Prior pseudo-count for terms that a user-supplied background prior does not list.
MISSING_PRIOR = 0.01

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'"})
_LETTER = r"[^\W\d_]"
_WORD = rf"{_LETTER}+(?:'{_LETTER}+)*"
_ABBREV = rf"(?:{_LETTER}\.){{2,}}"
_TOKEN = rf"(?<!\w)(?:{_ABBREV}|{_WORD}(?:-{_WORD})*)(?:'s|')?(?!\w)"
# Punctuation that ends a stretch of text (n-grams never cross it), and numbers.
_BREAK = r"[.,;:!?()\[\]{}\"\u201c\u201d\u00ab\u00bb\u2013\u2014\u2026/|]|\d[\d.,]*"
_WORDS_RE = re.compile(_WORD)
_LETTER_RE = re.compile(_LETTER)
# Joins texts for one pass: not a word, space, apostrophe or break character, so
# every pattern here sees it as the edge of a text.
_SEP = "\x00"
# Country written in capitals: never the pronoun "us".
BUILTIN_PHRASES = {"US": "u.s."}


def load_stopwords(path=None, extra: Iterable[str] = ()) -> frozenset[str]:
    """The stopword set: the words in ``path`` (default ``STOPWORDS_PATH``) plus ``extra``.

    Lines starting with ``#`` and blank lines are skipped; words are
    lowercased and curly apostrophes straightened, as the tokenizer does.

    >>> "the" in load_stopwords() and "war" not in load_stopwords()
    True
    """
    text = Path(path or STOPWORDS_PATH).read_text(encoding="utf-8")
    words = (line.strip() for line in text.splitlines())
    listed = {_fold(w) for w in words if w and not w.startswith("#")}
    return frozenset(listed | {_fold(w) for w in extra})


def _fold(text: str) -> str:
    """NFC, straight apostrophes, lowercase, single spaces: the key phrases are looked up by."""
    text = unicodedata.normalize("NFC", str(text)).translate(_APOSTROPHES)
    return " ".join(text.lower().split())


def _canonical(phrase: str) -> str:
    """The term a phrase is counted as: folded, spaces replaced by underscores."""
    return _fold(phrase).replace(" ", "_")


def actor_phrases(actors: pd.DataFrame, canonical: str = "id") -> dict[str, str]:
    """Map every actor name and alias in the registry to one term per actor.

    ``actors`` is the registry (``analysis.measure.actors.load_actors()``): columns
    ``id``, ``name`` and ``aliases`` (a tuple of strings or a ``|``-joined
    string). The term is the actor's ``id`` by default ("North Korea", "N.
    Korea", "DPRK" -> ``north_korea``; "U.S.", "US", "United States" ->
    ``united_states``; "Turkey", "Türkiye" -> ``turkiye``), so spellings are
    counted together and person ids equal their surname token ("Donald
    Trump" -> ``trump``, like a bare "Trump"). With ``canonical="name"`` the
    term is the name, lowercased with underscores. Surnames, roles, metonyms
    and adjectives are not mapped: out of context they are ambiguous ("Kim",
    "Moscow"), which ``find_mentions`` resolves and a term count cannot.
    Caveat: a registry alias is replaced wherever it appears, including inside
    slogans ("America First" -> ``united_states first``).
    Returns ``{alias: term}``.
    """
    mapping: dict[str, str] = {}
    for row in actors.itertuples(index=False):
        term = str(row.id).strip().lower() if canonical == "id" else _canonical(row.name)
        aliases = row.aliases if isinstance(row.aliases, (list, tuple)) else str(row.aliases or "").split("|")
        for alias in [row.name, *aliases]:
            if isinstance(alias, str) and alias.strip():
                mapping.setdefault(alias.strip(), term)
    return mapping


def actor_terms(actors: pd.DataFrame, actor: str) -> list[str]:
    """The terms an actor's own names produce, to leave out of its context words.

    Covers the actor's ``id`` (the term ``actor_phrases`` gives it) and every
    word of its name, aliases, surnames, metonyms and adjectives as the
    tokenizer writes them, e.g. ``["putin", "vladimir", "vladimirovich"]``,
    or for Russia ``["federation", "kremlin", "moscow", "russia", "russian"]``. Pass them as
    ``extra_stopwords`` to ``context_keyness`` or ``term_table`` so that a
    context table shows what surrounds the actor rather than its name.
    Raises ``KeyError`` for an unknown id.
    """
    rows = actors[actors["id"] == actor]
    if rows.empty:
        raise KeyError(f"actor {actor!r} is not in the registry")
    row = rows.iloc[0]
    forms = [row["name"]]
    for column in ("aliases", "surnames", "metonyms", "adjectives"):
        value = row.get(column, ())
        forms += list(value) if isinstance(value, (list, tuple)) else str(value or "").split("|")
    tokenizer = Tokenizer(stopwords=[], phrases={})
    found = {token for form in forms if str(form).strip() for stretch in tokenizer.tokens(str(form)) for token in stretch}
    stop = load_stopwords()
    return sorted({actor.lower()} | {t for t in found if len(t) > 1 and t not in stop})


def _alias_regex(alias: str) -> str:
    """Regex for one alias: flexible whitespace; capitals-only for 2-3 letter acronyms."""
    alias = unicodedata.normalize("NFC", alias.strip()).translate(_APOSTROPHES)
    body = r"\s+".join(re.escape(part) for part in alias.split())
    if re.fullmatch(r"[A-Z]{2,3}", alias):
        return body
    return f"(?i:{body})"


class Tokenizer:
    """Turns a text into terms; an instance is the ``analyzer`` of a ``CountVectorizer``.

    ``Tokenizer(...)(text)`` returns the list of terms (n-grams in
    ``ngram_range``, stopwords removed) in text order; ``tokens(text)`` returns
    the stretches of canonical tokens before n-grams and stopwords. See the
    module docstring for the rules.

    >>> Tokenizer()("Trump’s talks with the US-Russia team, North Korea")
    ['trump', 'talks', 'u.s.', 'russia', 'team', 'north', 'korea']
    >>> Tokenizer(phrases=["North Korea"], ngram_range=(2, 2))("North Korea’s missile tests")
    ['north_korea missile', 'missile tests']
    """

    def __init__(
        self,
        stopwords: Iterable[str] | None = None,
        extra_stopwords: Iterable[str] = (),
        phrases: Mapping[str, str] | Iterable[str] | None = None,
        ngram_range: tuple[int, int] = (1, 1),
    ):
        low, high = ngram_range
        if not 1 <= low <= high:
            raise ValueError(f"ngram_range must be (low, high) with 1 <= low <= high, got {ngram_range}")
        self.ngram_range = (int(low), int(high))
        base = load_stopwords() if stopwords is None else frozenset(_fold(w) for w in stopwords)
        self.stopwords = base | {_fold(w) for w in extra_stopwords}
        if phrases is None:
            phrases = {}
        elif not isinstance(phrases, Mapping):
            phrases = {p: _canonical(p) for p in phrases}
        mapping = {**BUILTIN_PHRASES, **{k: v for k, v in phrases.items() if str(k).strip()}}
        self._exact = {k: v for k, v in mapping.items() if re.fullmatch(r"[A-Z]{2,3}", k.strip())}
        self._folded = {_fold(k): v for k, v in mapping.items() if k not in self._exact}
        aliases = sorted(mapping, key=lambda a: (-len(a), a))  # longest first wins
        alternation = "|".join(_alias_regex(a) for a in aliases)
        self._pattern = re.compile(
            rf"(?P<phrase>(?<![\w.])(?:{alternation}))(?:'s|')?(?!\w)"
            rf"|(?P<token>{_TOKEN})|(?P<brk>{_BREAK})"
        )
        # The one-pass scanner (see ``_occurrences``): the same alternatives without
        # capture groups, phrases grouped by first letter, plus the text separator.
        grouped = _grouped_alternation(aliases)
        self._scan = None
        if grouped is not None:
            self._scan = re.compile(rf"(?<![\w.])(?:{grouped})(?:'s|')?(?!\w)|{_TOKEN}|{_BREAK}|{_SEP}")
            self._phrase_full = re.compile(rf"(?:{alternation})(?:'s|')?")
            self._phrase_at = re.compile(rf"(?P<phrase>{alternation})(?:'s|')?(?!\w)")
            self._after_dot = re.compile(rf"\.(?:{grouped})")

    def tokens(self, text: str) -> list[list[str]]:
        """Canonical tokens of ``text``, in stretches split at punctuation and numbers."""
        text = unicodedata.normalize("NFC", text or "").translate(_APOSTROPHES)
        stretches: list[list[str]] = []
        current: list[str] = []
        # findall gives (phrase, token, break) tuples: faster than match objects on big corpora.
        for phrase, token, _ in self._pattern.findall(text):
            if token:
                if "'" in token or "-" in token:
                    current.extend(_split_token(token))
                else:
                    current.append(token.lower())
            elif phrase:
                current.append(self._exact.get(phrase) or self._folded[_fold(phrase)])
            elif current:
                stretches.append(current)
                current = []
        if current:
            stretches.append(current)
        return stretches

    def __call__(self, text: str) -> list[str]:
        low, high = self.ngram_range
        terms: list[str] = []
        for stretch in self.tokens(text):
            stop = [t in self.stopwords or len(t) < 2 for t in stretch]
            size = len(stretch)
            for n in range(low, high + 1):
                for i in range(size - n + 1):
                    if not stop[i] and not stop[i + n - 1]:
                        terms.append(stretch[i] if n == 1 else " ".join(stretch[i : i + n]))
        return terms

    def _occurrences(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every term of every text: (text index, term index) per occurrence, and the distinct terms.

        The same terms as ``[self(t) for t in texts]``, found in one regex pass
        over the texts joined by ``_SEP``. Three facts make that exact. The
        separator matches no pattern here except itself and, like the edge of a
        text, is neither a word character, a space nor a dot. Without capture
        groups the scan returns bare strings, and a string that starts with a
        letter is a phrase exactly when it is phrase-shaped (``_phrase_full``):
        where a phrase fits, the phrase alternative, tried first, takes it. The
        one exception, a phrase-shaped word right after a dot (where the phrase
        look-behind fails, "x.America"), is found by ``_after_dot``; such texts,
        texts that contain the separator, and phrase lists the scan cannot
        group go through ``__call__`` one by one.
        Returns integer arrays ``docs`` and ``ids`` and an object array ``terms``
        (distinct, unsorted; ``terms[ids]`` are the occurrences).
        """
        n_texts = len(texts)
        joined = _SEP.join(texts)
        one_by_one = np.arange(n_texts)
        docs, ids, names = [], [], []
        if self._scan is not None and joined.count(_SEP) == n_texts - 1:
            joined = unicodedata.normalize("NFC", joined)
            for quote in _APOSTROPHES:
                joined = joined.replace(chr(quote), "'")
            one_by_one = _texts_at(joined, [m.start() + 1 for m in self._after_dot.finditer(joined)])
            fast = self._scan_occurrences(joined)
            if fast is not None:
                keep = ~np.isin(fast[0], one_by_one)
                docs.append(fast[0][keep])
                ids.append(fast[1][keep])
                names.append(fast[2])
        if len(one_by_one):
            found = [(doc, term) for doc in one_by_one for term in self(texts[doc])]
            codes, uniques = pd.factorize(pd.Series([t for _, t in found], dtype=object))
            docs.append(np.array([d for d, _ in found], dtype=np.int64))
            ids.append(codes.astype(np.int64) + sum(len(x) for x in names))
            names.append(np.asarray(uniques, dtype=object))
        if not docs:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, dtype=object)
        # The same term string may come from two n-gram sizes or both paths: merge by string.
        merged, terms = pd.factorize(pd.Series(np.concatenate(names), dtype=object))
        merged = merged.astype(_index_dtype(len(terms) + 1))
        return np.concatenate(docs), merged[np.concatenate(ids)], np.asarray(terms, dtype=object)

    def _scan_occurrences(self, joined: str):
        """``_occurrences`` for the joined, normalised text: (docs, ids, terms), or None if no term."""
        # Long by design: the tokenizer's hot loop, inlined (a call per token measured slower).
        # Scanned in blocks cut just after a separator (the start of a string
        # matches like the position after one), so that only one block's
        # matched strings are alive at once: on 10,000 articles the list of
        # every match took about 0.7 GB. Codes number the distinct matched
        # strings in order of first appearance, as one scan would.
        forms: dict[str, int] = {}
        blocks = []
        for block in _blocks(joined, _SCAN_BLOCK):
            found = self._scan.findall(block)
            for form in dict.fromkeys(found):
                forms.setdefault(form, len(forms))
            block_codes = np.fromiter(map(forms.__getitem__, found), dtype=np.int64, count=len(found))
            blocks.append(block_codes.astype(_index_dtype(len(forms))))  # the codes so far all fit
            del found, block_codes
        codes = np.concatenate(blocks) if blocks else np.zeros(0, np.int64)
        del blocks
        # Positions, codes and counts as 32-bit integers where they fit: the arrays
        # below hold one entry per token and dominate the memory of counting.
        idx = _index_dtype(len(codes) + 1)
        # Per distinct form: 0 = word (its canonical tokens in `flat`), 1 = break, 2 = separator.
        kind = np.zeros(len(forms), dtype=np.int8)
        size = np.zeros(len(forms), dtype=idx)
        vocab: dict[str, int] = {}
        flat: list[int] = []
        for code, form in enumerate(forms):
            if form == _SEP:
                kind[code] = 2
            elif not _LETTER_RE.match(form):
                kind[code] = 1
            else:
                tokens = self._canonical_tokens(form)
                size[code] = len(tokens)
                flat.extend(vocab.setdefault(t, len(vocab)) for t in tokens)
        if not vocab:
            return None
        words = np.array(list(vocab), dtype=object)
        stop = np.array([t in self.stopwords or len(t) < 2 for t in words], dtype=bool)
        form_kind = kind[codes]
        stretch = np.cumsum(form_kind > 0, dtype=idx)  # a break or separator ends a stretch
        text = np.cumsum(form_kind == 2, dtype=idx)
        del form_kind
        lengths = size[codes]
        source = np.repeat(np.arange(len(codes), dtype=idx), lengths)
        first = np.concatenate(([0], np.cumsum(size, dtype=np.int64)[:-1])).astype(_index_dtype(len(flat) + 1))
        within = np.arange(len(source), dtype=idx) - np.repeat(np.cumsum(lengths, dtype=idx) - lengths, lengths)
        tok = np.asarray(flat, dtype=_index_dtype(len(vocab) + 1))[first[codes][source] + within]
        del flat
        stretch, text = stretch[source], text[source]
        del codes, lengths, source, within
        low, high = self.ngram_range
        n_vocab = len(words)
        dense = tok  # code of the n-gram starting at each position, for the current n
        docs, ids, names = [], [], []
        n_names = 0
        for n in range(1, high + 1):
            m = len(tok) - n + 1
            if m <= 0:
                break
            if n > 1:
                dense, _ = pd.factorize(dense[:m].astype(np.int64) * n_vocab + tok[n - 1 :])
                dense = dense.astype(idx)
            if n < low:
                continue
            at = np.flatnonzero(~stop[tok[:m]] & ~stop[tok[n - 1 :]] & (stretch[:m] == stretch[n - 1 :]))
            if not len(at):
                continue
            local, _ = pd.factorize(dense[at])
            # factorize numbers n-grams in order of first appearance: a code above all before it is new.
            seen = np.maximum.accumulate(np.concatenate(([-1], local[:-1])))
            start = at[local > seen]
            name = words[tok[start]]
            for k in range(1, n):
                name = name + " " + words[tok[start + k]]
            docs.append(text[at])
            ids.append((local + n_names).astype(_index_dtype(n_names + len(name) + 1)))
            names.append(name)
            n_names += len(name)
        if not docs:
            return None
        return np.concatenate(docs), np.concatenate(ids), np.concatenate(names)

    def _canonical_tokens(self, form: str) -> list[str]:
        """The canonical tokens of one string the scan matched that starts with a letter."""
        if self._phrase_full.fullmatch(form):
            phrase = self._phrase_at.match(form).group("phrase")
            return [self._exact.get(phrase) or self._folded[_fold(phrase)]]
        if "'" in form or "-" in form:
            return _split_token(form)
        return [form.lower()]

    def _matrix(self, texts: list[str]) -> tuple[sp.csr_matrix, np.ndarray] | None:
        """Texts x terms count matrix and its terms (sorted), as ``CountVectorizer(analyzer=self)`` gives; None if no term."""
        docs, ids, terms = self._occurrences(texts)
        if not len(terms):
            return None
        order = np.argsort(terms, kind="stable")  # Python string order, as scikit-learn sorts
        rank = np.empty(len(order), dtype=_index_dtype(len(order) + 1))
        rank[order] = np.arange(len(order))
        X = sp.csr_matrix((np.ones(len(docs), dtype=np.int64), (docs, rank[ids])), shape=(len(texts), len(terms)), dtype=np.int64)
        del docs, ids
        X.sum_duplicates()
        X.sort_indices()
        return X, terms[order]


_SCAN_BLOCK = 4_000_000  # characters of joined text scanned at once


def _index_dtype(n: int):
    """The smaller integer type that holds 0 .. ``n``."""
    return np.int32 if n < np.iinfo(np.int32).max else np.int64


def _blocks(joined: str, size: int):
    """``joined`` in pieces of about ``size`` characters, each but the last ending with ``_SEP``."""
    start = 0
    while start < len(joined):
        cut = joined.find(_SEP, start + size) if start + size < len(joined) else -1
        end = len(joined) if cut < 0 else cut + 1
        yield joined[start:end]
        start = end


def _texts_at(joined: str, positions: list[int]) -> np.ndarray:
    """Indices of the texts (joined by ``_SEP``) that hold these character positions."""
    if not positions:
        return np.zeros(0, dtype=np.int64)
    seps = np.array([m.start() for m in re.finditer(_SEP, joined)], dtype=np.int64)
    return np.unique(np.searchsorted(seps, np.array(positions, dtype=np.int64)))


def _grouped_alternation(aliases: list[str]) -> str | None:
    r"""The phrase alternation, split by first letter so the regex engine skips most branches at once.

    Each branch starts with a plain character class (the regex engine tests it
    without entering the branch) holding every character that the first
    letters of its aliases match, case variants included ("K" and the Kelvin
    sign); classes never overlap, and inside a branch the aliases keep their
    order, so at any position the same alias wins as in the plain alternation.
    None when an alias does not start with a letter (the one-pass scan then
    could not tell phrases from breaks).
    """
    members = []
    for alias in aliases:
        text = unicodedata.normalize("NFC", alias.strip()).translate(_APOSTROPHES)
        regex = _alias_regex(alias)
        ignore_case = regex.startswith("(?i:")
        body = regex[4:-1] if ignore_case else regex
        if not text or body[:1] != text[0]:
            return None
        members.append((text[0], ignore_case, body[1:]))
    firsts = {(first, ignore_case) for first, ignore_case, _ in members}
    matched = _first_letter_sets(firsts)
    if any(not _LETTER_RE.match(ch) for chars in matched.values() for ch in chars):
        return None
    classes: list[set[str]] = []  # merge overlapping sets so that classes are disjoint
    for chars in matched.values():
        overlapping = [c for c in classes if c & chars]
        merged = set(chars).union(*overlapping)
        classes = [c for c in classes if not (c & chars)] + [merged]
    branches = []
    for chars in sorted(classes, key=lambda c: sorted(c)):
        alternatives = []
        for first, ignore_case, rest in members:
            own = matched[(first, ignore_case)]
            if not own <= chars:
                continue
            check = "" if own == chars else f"(?<={_alias_regex_char(first, ignore_case)})"
            alternatives.append(check + (f"(?i:{rest})" if ignore_case and rest else rest))
        branches.append("[" + "".join(re.escape(c) for c in sorted(chars)) + "](?:" + "|".join(alternatives) + ")")
    return "|".join(branches)


def _alias_regex_char(ch: str, ignore_case: bool) -> str:
    return f"(?i:{re.escape(ch)})" if ignore_case else re.escape(ch)


def _first_letter_sets(keys) -> dict[tuple[str, bool], frozenset[str]]:
    """For each (character, ignore_case), every character its one-character pattern matches."""
    folded = frozenset(ch for ch, ignore_case in keys if ignore_case)
    variants = case_variants(folded)
    return {(ch, ic): (variants[ch] if ic else frozenset(ch)) for ch, ic in keys}


@lru_cache(maxsize=64)
def case_variants(chars: frozenset[str]) -> dict[str, frozenset[str]]:
    """What ``(?i:ch)`` matches for each ``ch``: one scan of all code points, then a check per candidate."""
    if not chars:
        return {}
    candidates = set(re.findall("(?i:[" + "".join(re.escape(c) for c in sorted(chars)) + "])", _all_characters()))
    return {ch: frozenset(x for x in candidates if re.fullmatch(_alias_regex_char(ch, True), x)) for ch in chars}


@lru_cache(maxsize=1)
def _all_characters() -> str:
    return "".join(map(chr, range(sys.maxunicode + 1)))


def _split_token(token: str) -> list[str]:
    """Lowercase a matched token, drop its possessive, split hyphenated names."""
    token = _drop_possessive(token)
    parts = token.split("-")
    if len(parts) > 1 and any(p[:1].isupper() for p in parts):
        return [_drop_possessive(p).lower() for p in parts if p]
    return [token.lower()]


def _drop_possessive(word: str) -> str:
    """"Trump's" -> "Trump", "allies'" -> "allies"; other apostrophes stay ("don't")."""
    return word.rstrip("'").removesuffix("'s")


def tokenize(text: str, **options) -> list[str]:
    """Terms of one text, with the same options as ``Tokenizer``: a shortcut for exploring.

    >>> tokenize("Putin’s “liberating” of 2 regions", extra_stopwords=["regions"])
    ['putin', 'liberating']
    """
    return Tokenizer(**options)(text)


def select_text(frame: pd.DataFrame, kinds=DEFAULT_KINDS) -> pd.DataFrame:
    """The rows whose text is counted: ``kind`` in ``kinds`` (all rows if ``kinds`` is None or there is no ``kind``)."""
    if kinds is None or "kind" not in frame.columns:
        return frame
    return frame[frame["kind"].isin(list(kinds))]


def _group_keys(frame: pd.DataFrame, by: str, period: str) -> pd.Series:
    """The group label of every row: a column, or ``"period"`` derived from ``date``."""
    if by in frame.columns:
        return frame[by]
    if by == "period" and "date" in frame.columns:
        return pd.to_datetime(frame["date"]).dt.to_period(period).astype("string")
    raise KeyError(f"cannot group by {by!r}: no such column (use a column name, or 'period' with a date column)")


@dataclass
class _Counts:
    """Term counts aggregated to groups: csr matrices share one sparsity pattern."""

    groups: pd.Index
    terms: np.ndarray
    counts: sp.csr_matrix  # groups x terms: occurrences
    docfreq: sp.csr_matrix | None  # groups x terms: articles of the group containing the term
    # (None when each group is one article: 1 wherever the article uses the term)
    n_articles: np.ndarray
    n_words: np.ndarray
    # With ``count_terms(..., by_article=True)``: the one-word terms per article, as
    # ``term_table(..., by="article_id")`` counts them (None otherwise).
    by_article: _Counts | None = None


def _count(
    frame: pd.DataFrame,
    by: str,
    tokenizer: Tokenizer,
    kinds,
    text_col: str,
    period: str,
    min_count: int,
    by_article: bool = False,
) -> _Counts | None:
    """Count terms per group; None when nothing is left to count. ``by_article``: see ``count_terms``."""
    rows = select_text(frame, kinds)
    keys = _group_keys(rows, by, period)
    keep = keys.notna().to_numpy()
    rows, keys = rows[keep], keys[keep]
    if rows.empty:
        return None
    counted = tokenizer._matrix(rows[text_col].fillna("").astype(str).tolist())
    if counted is None:  # empty vocabulary: no text contains a term
        return None
    X, terms = counted
    group_codes, groups = pd.factorize(keys, sort=True)
    n_docs, n_groups = len(rows), len(groups)
    # Each (group, article) pair is one document for document frequency.
    article = rows["article_id"].astype(str).to_numpy() if "article_id" in rows else np.arange(n_docs).astype(str)
    pair_codes, pairs = pd.factorize(pd.MultiIndex.from_arrays([group_codes, article]))
    pair_group = pairs.get_level_values(0).to_numpy()
    to_pairs = sp.csr_matrix((np.ones(n_docs), (pair_codes, np.arange(n_docs))), shape=(len(pairs), n_docs))
    to_groups = sp.csr_matrix((np.ones(len(pairs)), (pair_group, np.arange(len(pairs)))), shape=(n_groups, len(pairs)))
    per_pair = (to_pairs @ X).tocsr()
    present = per_pair.copy()
    present.data = np.ones_like(present.data)
    counts = _canonical_csr(to_groups @ per_pair)
    docfreq = _canonical_csr(to_groups @ present)
    if "n_words" in rows:
        words = rows["n_words"].fillna(0).to_numpy(dtype=float)
    else:
        words = rows[text_col].fillna("").astype(str).str.count(_WORDS_RE.pattern).to_numpy(dtype=float)
    n_words = np.bincount(group_codes, weights=words, minlength=n_groups)
    n_articles = np.bincount(pair_group, minlength=n_groups)
    per_article = _article_words(per_pair, terms, pairs.get_level_values(1).to_numpy(),
                                 np.bincount(pair_codes, weights=words, minlength=len(pairs))) if by_article else None
    if min_count > 1:
        keep_terms = np.asarray(counts.sum(axis=0)).ravel() >= min_count
        counts, docfreq, terms = counts[:, keep_terms], docfreq[:, keep_terms], terms[keep_terms]
        counts, docfreq = _canonical_csr(counts), _canonical_csr(docfreq)
    return _Counts(pd.Index(groups, name=by), terms, counts, docfreq, n_articles, n_words, per_article)


def _article_words(per_pair: sp.csr_matrix, terms: np.ndarray, article: np.ndarray, words: np.ndarray) -> _Counts:
    """The one-word terms per article (sorted ids), as ``_count`` by ``article_id`` counts them.

    Summed from ``_count``'s (group, article) counts ``per_pair``, whose
    articles are ``article`` and running words ``words``: no second pass over
    the text, nor over its paragraphs.

    Each article is its own group, so its document frequencies are 1 where it
    uses a term (``docfreq`` None), and the counts are the same sums of the
    same integers, kept as 32-bit integers: these counts are carried from one
    run to the next, about 28 MB per 10,000 articles.
    """
    one_word = np.fromiter((" " not in t for t in terms), dtype=bool, count=len(terms))
    codes, ids = pd.factorize(article, sort=True)  # term_table's group order: sorted ids
    to_articles = sp.csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))), shape=(len(ids), len(codes)))
    counts = _canonical_csr(to_articles @ per_pair[:, one_word]).astype(np.int32)
    return _Counts(pd.Index(ids, name="article_id"), terms[one_word], counts, None,
                   np.ones(len(ids), dtype=np.int64), np.bincount(codes, weights=words, minlength=len(ids)))


def _canonical_csr(matrix) -> sp.csr_matrix:
    matrix = sp.csr_matrix(matrix)
    matrix.sum_duplicates()
    matrix.eliminate_zeros()
    matrix.sort_indices()
    return matrix


TERM_COLUMNS = ["group", "term", "count", "rate", "df", "tfidf", "ngram", "n_articles", "n_words"]


def term_table(
    paragraphs: pd.DataFrame,
    by: str = "outlet",
    ngram_range: tuple[int, int] = (1, 1),
    stopwords: Iterable[str] | None = None,
    extra_stopwords: Iterable[str] = (),
    phrases: Mapping[str, str] | Iterable[str] | None = None,
    kinds=DEFAULT_KINDS,
    text_col: str = "text",
    min_count: int = 1,
    period: str = "M",
    top: int | None = None,
    top_value: str = "count",
) -> pd.DataFrame:
    """Term frequencies per group, in long format: one row per group and term used in it.

    ``by`` is any column (``outlet``, ``country``, ``genre``, ``article_id``…)
    or ``"period"`` (the ``date`` column cut into ``period``: "M" months,
    "Q" quarters, "Y" years, "W" weeks). Rows with a missing group are left
    out. Terms used fewer than ``min_count`` times in the whole table are
    dropped. Returns the columns:

    - ``group``: the group label; ``term``: the term (see module docstring);
    - ``count``: occurrences of the term in the group (>= 1);
    - ``rate``: occurrences per 10,000 running words of the group's counted
      text (``n_words`` as counted by the corpus loader, stopwords included),
      so groups of different size compare; > 0;
    - ``df``: document frequency, the number of the group's articles that
      contain the term (1 .. ``n_articles``);
    - ``tfidf``: TF-IDF with each *group* as one document: raw count times
      ``idf = ln((1 + G) / (1 + g)) + 1`` (G groups, g groups using the
      term), then each group's vector scaled to unit length (scikit-learn's
      ``TfidfTransformer`` defaults). In [0, 1]; compare within a group. A
      term every group uses gets idf 1, so with few groups tfidf mostly
      follows count; by ``article_id`` it is the classic per-article TF-IDF;
    - ``ngram``: number of words in the term (a phrase term counts as one);
    - ``n_articles``, ``n_words``: size of the group.

    Sorted by group, then count (descending), then term. With ``top``, only
    the ``top`` terms of each group by ``top_value`` are kept, sorted as
    ``top_terms(term_table(...), top, top_value)`` sorts them (the same
    rows, tested), at a fraction of the time and memory when the groups are
    articles.

    >>> import pandas as pd
    >>> p = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "Y"],
    ...                   "text": ["War and war.", "Peace talks."], "n_words": [3, 2]})
    >>> term_table(p)[["group", "term", "count", "df"]].values.tolist()
    [['X', 'war', 2, 1], ['Y', 'peace', 1, 1], ['Y', 'talks', 1, 1]]
    """
    tokenizer = Tokenizer(stopwords, extra_stopwords, phrases, ngram_range)
    return table_from_counts(_count(paragraphs, by, tokenizer, kinds, text_col, period, min_count), top, top_value)


def count_terms(
    paragraphs: pd.DataFrame,
    by: str = "outlet",
    ngram_range: tuple[int, int] = (1, 1),
    stopwords: Iterable[str] | None = None,
    extra_stopwords: Iterable[str] = (),
    phrases: Mapping[str, str] | Iterable[str] | None = None,
    kinds=DEFAULT_KINDS,
    text_col: str = "text",
    period: str = "M",
    by_article: bool = False,
) -> _Counts | None:
    """The counts behind ``term_table`` (same options, ``min_count`` 1), or None when there is no term.

    ``by_article``: also count each article's one-word terms, from the same
    pass over the text, in ``.by_article``: ``table_from_counts`` of those is
    ``term_table(paragraphs, by="article_id")`` with the same options (tested),
    the per-article TF-IDF without reading the text a second time.

    Counts of two sets of articles with no article in common add up
    (``merge_counts``) to the counts of both, and ``table_from_counts`` turns
    them into the ``term_table``: a corpus that grows by a few articles
    needs only those counted.
    """
    return _count(paragraphs, by, Tokenizer(stopwords, extra_stopwords, phrases, ngram_range), kinds, text_col,
                  period, 1, by_article)


def merge_counts(a: _Counts | None, b: _Counts | None) -> _Counts | None:
    """The counts of two disjoint sets of articles together (see ``count_terms``)."""
    if a is None or b is None:
        return a if b is None else b
    groups = pd.Index(sorted(set(a.groups) | set(b.groups)), name=a.groups.name)
    in_a = np.searchsorted(a.terms, b.terms)  # terms are sorted: the new ones are found without hashing them all
    known = (in_a < len(a.terms)) & (a.terms[np.minimum(in_a, max(len(a.terms) - 1, 0))] == b.terms) \
        if len(a.terms) else np.zeros(len(b.terms), dtype=bool)
    new = b.terms[~known]  # sorted, as b.terms is
    at = np.searchsorted(a.terms, new)
    terms = np.insert(a.terms, at, new)
    a_cols = np.arange(len(a.terms)) + np.searchsorted(at, np.arange(len(a.terms)), side="right")
    b_cols = np.searchsorted(terms, b.terms)

    def place(part: _Counts, cols: np.ndarray, matrix: str) -> sp.coo_matrix:
        m = getattr(part, matrix).tocoo()
        rows = groups.get_indexer(part.groups)[m.row]
        return sp.coo_matrix((m.data, (rows, cols[m.col])), shape=(len(groups), len(terms)))

    def sizes(name: str) -> np.ndarray:
        out = np.zeros(len(groups), dtype=getattr(a, name).dtype)
        for part in (a, b):
            np.add.at(out, groups.get_indexer(part.groups), getattr(part, name))
        return out

    counts = _canonical_csr(place(a, a_cols, "counts") + place(b, b_cols, "counts"))
    docfreq = None if a.docfreq is None or b.docfreq is None else \
        _canonical_csr(place(a, a_cols, "docfreq") + place(b, b_cols, "docfreq"))
    # Per article only when both sides have them: half of the articles would be a wrong table.
    per_article = merge_counts(a.by_article, b.by_article) \
        if a.by_article is not None and b.by_article is not None else None
    return _Counts(groups, terms, counts, docfreq, sizes("n_articles"), sizes("n_words"), per_article)


def table_from_counts(counted: _Counts | None, top: int | None = None, value: str = "count") -> pd.DataFrame:
    """The ``term_table`` of counts from ``count_terms`` (or ``merge_counts``).

    ``top``: keep only the ``top`` terms of each group by ``value`` (count,
    rate, df or tfidf), as ``top_terms(table, top, value)`` would, in its
    order, without building the rows of the other terms: by article, the
    full table has a row per article and term.
    """
    if counted is None or counted.counts.nnz == 0:
        return pd.DataFrame({c: pd.Series(dtype=float if c in ("rate", "tfidf") else object) for c in TERM_COLUMNS})
    C, D = counted.counts, counted.docfreq
    tfidf = _canonical_csr(_tfidf(C))
    if not ((D is None or np.array_equal(C.indptr, D.indptr)) and np.array_equal(C.indptr, tfidf.indptr)):
        raise AssertionError("count, df and tfidf matrices lost alignment")
    row = np.repeat(np.arange(C.shape[0]), np.diff(C.indptr))
    words = counted.n_words[row]
    columns = {
        "count": C.data.astype(np.int64),
        "rate": np.divide(C.data.astype(np.float64) * RATE_PER, words, out=np.full(len(row), np.nan), where=words > 0),
        "df": D.data.astype(np.int64) if D is not None else np.ones(C.nnz, dtype=np.int64),
        "tfidf": tfidf.data,
    }
    if top is None:  # by group, then count (descending), then term
        order = np.lexsort((counted.terms[C.indices], -columns["count"], row))
    else:
        if value not in columns:
            raise ValueError(f"top terms by {value!r}: choose one of {', '.join(columns)}")
        # Terms are sorted, so a column index orders as its term: by group, value (descending), term.
        order = np.lexsort((C.indices, -columns[value], row))
        first_of_row = np.repeat(C.indptr[:-1], np.diff(C.indptr))  # row is sorted: the same per position
        order = order[np.arange(len(order)) - first_of_row < top]
    row, words = row[order], words[order]
    terms = counted.terms[C.indices[order]]
    table = pd.DataFrame(
        {
            "group": counted.groups.to_numpy()[row],
            "term": terms,
            "count": columns["count"][order],
            "rate": columns["rate"][order],
            "df": columns["df"][order],
            "tfidf": columns["tfidf"][order],
            "ngram": pd.Series(terms).str.count(" ").to_numpy() + 1,
            "n_articles": counted.n_articles[row],
            "n_words": words.astype(np.int64),
        }
    )
    return table


def _tfidf(counts: sp.csr_matrix) -> sp.csr_matrix:
    """``TfidfTransformer().fit_transform(counts)`` of scikit-learn, to the last bit, without importing it.

    Importing scikit-learn's text module takes about 1 s, in every process
    that makes a term table (``analyze``, notebooks 03 and 04). The steps are
    scikit-learn's (smooth idf ``ln((1 + n) / (1 + df)) + 1``, then each row
    divided by its l2 norm, empty rows left as they are), in its order: the
    squares of a row are summed one after the other, as its compiled loop
    does (``cumsum`` adds in order; ``sum`` would add pairwise). A test holds
    the two equal, bit for bit.
    """
    X = sp.csr_matrix(counts, dtype=np.float64, copy=True)
    n_samples = X.shape[0]
    df = np.bincount(X.indices, minlength=X.shape[1]).astype(np.float64)
    df += 1.0
    idf = np.full_like(df, fill_value=n_samples + 1, dtype=np.float64)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    X.data *= idf[X.indices]
    squares = X.data * X.data
    for i in range(n_samples):
        a, b = X.indptr[i], X.indptr[i + 1]
        if a == b:
            continue
        total = np.cumsum(squares[a:b])[-1]
        if total != 0.0:
            X.data[a:b] /= np.sqrt(total)
    return X


def restrict_terms(table: pd.DataFrame, ngram_range: tuple[int, int] = (1, 1), min_count: int = 1) -> pd.DataFrame:
    """The ``term_table`` for a narrower ``ngram_range`` (and ``min_count``), from a wider one.

    ``table`` is ``term_table`` output with ``min_count=1`` over an n-gram
    range that covers ``ngram_range``. Counts, rates, document frequencies
    and group sizes do not depend on which other n-grams are counted, so the
    rows are kept as they are; ``tfidf`` is recomputed over the kept terms,
    since each group's vector is scaled over its own terms. The result equals
    ``term_table(text, ngram_range=..., min_count=...)`` with the same
    tokenizer options and grouping (tested), without reading the text again,
    provided every group of the text has at least one term in ``table`` (a
    group whose text is all stopwords has no row to count in the idf).
    """
    lo, hi = ngram_range
    rows = _frequent(table[table["ngram"].between(lo, hi)], min_count).reset_index(drop=True)
    if rows.empty:
        return rows
    # The counts again, as count_terms would give them; every group of the text counts in the idf.
    sizes = table.groupby("group", sort=True)[["n_articles", "n_words"]].first()
    row = pd.Categorical(rows["group"], categories=sizes.index).codes
    term_codes, vocabulary = pd.factorize(rows["term"], sort=True)  # term_table's vocabulary order

    def matrix(column: str) -> sp.csr_matrix:
        values = rows[column].to_numpy(dtype=float)
        return _canonical_csr(sp.csr_matrix((values, (row, term_codes)), shape=(len(sizes), len(vocabulary))))

    counted = _Counts(sizes.index, np.asarray(vocabulary, dtype=object), matrix("count"), matrix("df"),
                      sizes["n_articles"].to_numpy(), sizes["n_words"].to_numpy(dtype=float))
    return table_from_counts(counted)


def _frequent(rows: pd.DataFrame, min_count: int) -> pd.DataFrame:
    """The rows of terms counted at least ``min_count`` times over all groups (as ``min_count`` filters)."""
    if min_count <= 1:
        return rows
    return rows[rows.groupby("term", sort=False)["count"].transform("sum") >= min_count]


def top_terms(table: pd.DataFrame, n: int = 10, value: str = "count", group: str = "group") -> pd.DataFrame:
    """The ``n`` rows with the highest ``value`` in each ``group`` (ties broken by term, A-Z).

    Works on ``term_table`` and ``keyness`` output alike; keeps every column.
    """
    ordered = table.sort_values([group, value, "term"], ascending=[True, False, True], kind="mergesort")
    return ordered.groupby(group, sort=True, observed=True).head(n).reset_index(drop=True)


KEYNESS_COLUMNS = ["group", "term", "count", "count_rest", "log_odds", "z"]


def keyness_from_counts(counts: pd.DataFrame, prior=None) -> pd.DataFrame:
    """Log-odds ratio with informative Dirichlet prior, each group against all the others.

    ``counts`` is a wide table of term counts: one row per group (the index),
    one column per term. This is "Fightin' Words" (Monroe, Colaresi & Quinn
    2008, eq. 16-22). For term w, group i and the rest r (all other groups
    pooled), with prior pseudo-counts alpha_w and alpha_0 = sum of alpha:

        log_odds = ln[(y_iw + a_w) / (n_i + a_0 - y_iw - a_w)]
                 - ln[(y_rw + a_w) / (n_r + a_0 - y_rw - a_w)]
        var      = 1 / (y_iw + a_w) + 1 / (y_rw + a_w)
        z        = log_odds / sqrt(var)

    where y are counts and n the total counts of all terms. ``prior``:

    - None (default): alpha_w = the term's count in the whole table (all
      groups pooled), i.e. the corpus is its own background, at its own size;
    - a number: the same alpha for every term (an uninformative prior);
    - a Series or dict term -> pseudo-count, e.g. counts from a background
      corpus; terms it lacks get 0.01.

    Needs at least two groups. Returns one row per group and term with
    columns ``group``, ``term``, ``count`` (y_iw), ``count_rest`` (y_rw),
    ``log_odds`` (real; > 0 means the group uses the term more than the
    others do) and ``z`` (real; |z| > 1.96 is the usual "distinctive" bar,
    but with many terms tested some pass by chance). Sorted by group, then z
    descending.
    """
    if counts.shape[0] < 2:
        raise ValueError("keyness compares groups: at least two groups are needed")
    y = counts.to_numpy(dtype=float)
    total = y.sum(axis=0)
    if prior is None:
        alpha = total.copy()
    elif np.isscalar(prior):
        alpha = np.full(y.shape[1], float(prior))
    else:
        alpha = pd.Series(prior, dtype=float).reindex(counts.columns).fillna(MISSING_PRIOR).to_numpy()
    if np.any(alpha <= 0):
        raise ValueError("prior pseudo-counts must be positive")
    a0 = alpha.sum()
    n = y.sum(axis=1, keepdims=True)
    y_rest, n_rest = total - y, n.sum() - n
    log_odds = np.log((y + alpha) / (n + a0 - y - alpha)) - np.log((y_rest + alpha) / (n_rest + a0 - y_rest - alpha))
    z = log_odds / np.sqrt(1.0 / (y + alpha) + 1.0 / (y_rest + alpha))
    n_groups, n_terms = y.shape
    table = pd.DataFrame(
        {
            "group": np.repeat(counts.index.to_numpy(), n_terms),
            "term": np.tile(counts.columns.to_numpy(), n_groups),
            "count": y.ravel().astype(np.int64),
            "count_rest": y_rest.ravel().astype(np.int64),
            "log_odds": log_odds.ravel(),
            "z": z.ravel(),
        }
    )
    order = np.lexsort((table["term"].to_numpy(), -table["z"].to_numpy(), np.repeat(np.arange(n_groups), n_terms)))
    return table.iloc[order].reset_index(drop=True)


def keyness(
    paragraphs: pd.DataFrame,
    by: str = "outlet",
    prior=None,
    ngram_range: tuple[int, int] = (1, 1),
    stopwords: Iterable[str] | None = None,
    extra_stopwords: Iterable[str] = (),
    phrases: Mapping[str, str] | Iterable[str] | None = None,
    kinds=DEFAULT_KINDS,
    text_col: str = "text",
    min_count: int = 1,
    period: str = "M",
) -> pd.DataFrame:
    """The terms that distinguish each group from all the others (Fightin' Words).

    Counts terms per group as ``term_table`` does (same tokenizer options,
    ``by`` and ``kinds``), then scores every group against the rest with
    ``keyness_from_counts`` (see there for the formula and ``prior``). Any
    number of groups >= 2; with one group (every article from one outlet)
    there is nothing to compare, and the table has no rows. Returns ``group, term, count, count_rest,
    log_odds, z``: one row per group and term (including count 0: a negative z
    marks a term the group avoids), sorted by group then z descending.
    ``min_count`` drops terms rarer than that in the whole table, which keeps
    the table small on big corpora. The table is dense (groups x terms), so
    group by outlet or country rather than by article.
    """
    tokenizer = Tokenizer(stopwords, extra_stopwords, phrases, ngram_range)
    counted = _count(paragraphs, by, tokenizer, kinds, text_col, period, min_count)
    if counted is None or counted.counts.nnz == 0 or len(counted.groups) < 2:  # nothing to compare
        return pd.DataFrame(columns=KEYNESS_COLUMNS)
    wide = pd.DataFrame(counted.counts.toarray(), index=counted.groups, columns=counted.terms)
    return keyness_from_counts(wide, prior=prior)


def keyness_from_terms(table: pd.DataFrame, prior=None, ngram: int = 1, min_count: int = 1) -> pd.DataFrame:
    """``keyness`` from a ``term_table`` of the same text, tokenizer options and grouping.

    The term table already holds every group's n-gram counts, so scoring its
    ``ngram``-grams gives exactly what ``keyness(..., ngram_range=(ngram,
    ngram), min_count=min_count)`` would, without scanning the text a second
    time (tested on the seeds). Returns the ``keyness`` columns; no rows when
    there is nothing to compare (no terms, or a single group: every article
    from one outlet).
    """
    rows = _frequent(table[table["ngram"] == ngram], min_count)
    if rows.empty or rows["group"].nunique() < 2:
        return pd.DataFrame(columns=KEYNESS_COLUMNS)
    wide = rows.pivot_table(index="group", columns="term", values="count", aggfunc="sum", fill_value=0)
    wide.columns.name = None
    return keyness_from_counts(wide, prior=prior)


def actor_context(units: pd.DataFrame, mentions: pd.DataFrame, actor: str, include_children: bool = True) -> pd.DataFrame:
    """The rows of ``units`` (sentences or paragraphs) that mention ``actor``.

    ``mentions`` is the output of ``analysis.measure.actors.find_mentions`` (columns
    ``article_id``, ``paragraph``, ``sentence``, ``actor``, ``parent``).
    Sentences are matched on (article_id, paragraph, sentence); a table
    without a ``sentence`` column (paragraphs) on (article_id, paragraph).
    With ``include_children``, mentions of actors whose ``parent`` is
    ``actor`` count too (e.g. a ministry for its government). Each unit is
    returned once, however many mentions it holds, in its original order.
    """
    keys = ["article_id", "paragraph"] + (["sentence"] if "sentence" in units.columns and "sentence" in mentions.columns else [])
    hit = mentions["actor"] == actor
    if include_children and "parent" in mentions.columns:
        hit |= mentions["parent"] == actor
    wanted = mentions.loc[hit, keys].drop_duplicates()
    index = pd.MultiIndex.from_frame(units[keys].astype({"article_id": str}))
    wanted_index = pd.MultiIndex.from_frame(wanted.astype({"article_id": str}))
    return units[index.isin(wanted_index)]


def context_keyness(
    sentences: pd.DataFrame,
    mentions: pd.DataFrame,
    actor: str,
    by: str = "outlet",
    prior=None,
    include_children: bool = True,
    **term_options,
) -> pd.DataFrame:
    """Keyness of the words around one actor: the sentences that mention ``actor``, compared across ``by``.

    Selects the sentences with ``actor_context`` and scores them with
    ``keyness`` (same columns: ``group, term, count, count_rest, log_odds,
    z``). The actor's own names are counted like any word; to leave them out,
    pass them as ``extra_stopwords`` (e.g. ``["putin", "vladimir"]``). Other
    keyword options (``ngram_range``, ``phrases``, ``min_count`` …) go to
    ``keyness``. Groups whose sentences never mention the actor do not appear;
    with fewer than two groups left, the table is empty.
    """
    context = actor_context(sentences, mentions, actor, include_children=include_children)
    groups = _group_keys(context, by, term_options.get("period", "M")).nunique() if len(context) else 0
    if groups < 2:
        return pd.DataFrame(columns=KEYNESS_COLUMNS)
    return keyness(context, by=by, prior=prior, kinds=None, **term_options)
