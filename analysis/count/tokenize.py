"""Tokenization: words and phrases of news text, with no downloaded data.

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
- Phrases (e.g. actor names and aliases from the actors table, passed as
  ``phrases=``) are kept as one term, matched case-insensitively and written
  lowercase with underscores for spaces: "North Korea" -> ``north_korea``,
  "Kim Jong-un" -> ``kim_jong-un``. A dict maps several spellings to one
  canonical term (``{"Vladimir Putin": "putin", "Putin": "putin"}``);
  ``actor_phrases(actors)`` builds that dict from the actors table. Aliases
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
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis.config import DATA_DIR

__all__ = ["BUILTIN_PHRASES", "DEFAULT_KINDS", "MISSING_PRIOR", "RATE_PER", "STOPWORDS_PATH", "Tokenizer", "WORDS_RE",
           "actor_phrases", "actor_terms", "case_variants", "load_stopwords", "tokenize"]

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
WORDS_RE = re.compile(_WORD)
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
    """Map every actor name and alias in the actors table to one term per actor.

    ``actors`` is the actors table (``analysis.measure.actors.load_actors()``): columns
    ``id``, ``name`` and ``aliases`` (a tuple of strings or a ``|``-joined
    string). The term is the actor's ``id`` by default ("North Korea", "N.
    Korea", "DPRK" -> ``north_korea``; "U.S.", "US", "United States" ->
    ``united_states``; "Turkey", "Türkiye" -> ``turkiye``), so spellings are
    counted together and person ids equal their surname token ("Donald
    Trump" -> ``trump``, like a bare "Trump"). With ``canonical="name"`` the
    term is the name, lowercased with underscores. Surnames, roles, metonyms
    and adjectives are not mapped: out of context they are ambiguous ("Kim",
    "Moscow"), which ``find_mentions`` resolves and a term count cannot.
    Caveat: an alias in the actors table is replaced wherever it appears, including inside
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
        raise KeyError(f"actor {actor!r} is not in the actors table")
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
