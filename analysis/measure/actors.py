"""Who is mentioned where: the actors table and actor mentions in sentences.

The actors table (``analysis/data/actors.csv``, or your own file or DataFrame
passed as ``actors=``) lists one actor per row:

``id``, ``name``, ``kind`` (person | state | organization | group | other;
"country" is read as state), ``parent`` (the id
an actor rolls up to: Putin -> russia), and ``|``-separated lists of surface
forms, each with its own rule:

``aliases``
    Full names, spellings and transliterations ("Volodymyr Zelenskiy",
    "Kim Jong Un", "Türkiye"/"Turkey", "U.S."). Always a mention.
``surnames``
    Bare surnames ("Kim", "Zelensky"), found as a reader would: a surname
    directly after a title ("Mr. Trump", "President Xi") or after the
    person's given name or its short form with an optional initial ("Paul D.
    Ryan", "Chuck" for "Charles") counts, and so does a bare surname, unless
    the article also gives it to someone else ("Beau Biden", "Kim Jin-ha",
    "Maru Kim"): then it counts only after the actor's full name (or a role
    directly followed by the surname, "North Korean leader Kim"). A surname
    glued to another name never counts. Two actors may share a surname
    ("Biden"): the one named most recently takes it, else the only one the
    article names in full. For a person without surnames the last word of
    the name is its surname, and each full name also matches without its
    middle initials.
``roles``
    Role phrases that name one person ("the Ukrainian president", "Ukraine's
    leader", "North Korean leader"), valid between ``role_from`` and
    ``role_to`` (the article's date; an undated article resolves no role: the
    phrase names nobody, and ``undated_roles`` lists what was left). A
    role directly followed by a name is that name's title and is not counted
    twice: "North Korean leader Kim Jong-un" is one mention of Kim Jong-un and
    none of North Korea; "US president Joe Biden" is Biden, whatever the date.
``metonyms``
    Places and bodies standing for a state ("Kremlin", "Moscow" -> Russia,
    "KCNA" -> North Korea, "Brussels" -> EU). Not counted as a place ("in
    Moscow", "at the White House") or inside a longer name ("Washington Post").
``adjectives``
    "Russian", "North Korean", ... Matched but **not counted by default**:
    "Russian forces" is arguably Russia, but "Russian speakers" or
    "Ukrainian prisoners of war" are not the state, and counting them would
    inflate states against persons. ``find_mentions(..., adjectives=True)``
    counts them, with ``alias_kind == "adjective"`` so they can be told apart.

States, organisations and groups also match the other names of the shipped
gazetteer (``analysis/data/gazetteer.csv``: "Republican Party" -> "GOP",
"Republicans"; "United States Department of Justice" -> "Justice
Department"), and a lower-case common noun ("voter") its plural.

A state or organisation directly followed by a title and a name ("US envoy
Steve Witkoff") is the person's title, not a mention of the state.

Matching uses one compiled regular expression over every form, longest first,
with word boundaries. Words written in lower case in the actors table match in any
case ("president"), everything else exactly ("US" but not "us"). Straight and
curly apostrophes, and hyphen variants, are interchangeable. Possessives
("Russia's", "Russia’s") match the name before the apostrophe.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from itertools import groupby
from operator import itemgetter
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.config import DATA_DIR
from analysis.load.text import quote_spans

__all__ = [
    "ACTORS_PATH",
    "ALIAS_KINDS",
    "MENTION_COLUMNS",
    "alias_table",
    "count_mentions",
    "find_headline_mentions",
    "find_mentions",
    "headlines",
    "kwic",
    "load_actors",
    "pick_actor",
    "roll_up",
    "undated_roles",
]

ACTORS_PATH = DATA_DIR / "actors.csv"
LIST_COLUMNS = ("aliases", "surnames", "roles", "metonyms", "adjectives")
ALIAS_KINDS = {"aliases": "name", "surnames": "surname", "roles": "role", "metonyms": "metonym", "adjectives": "adjective"}
KINDS = ("person", "state", "organization", "group", "other")
# Other names of a kind an actors table may use.
KIND_SYNONYMS = {"country": "state", "gpe": "state", "organisation": "organization", "org": "organization",
                 "people": "group", "party": "organization"}
# Words after a surname that are not part of it: "William B. Taylor Jr." is surnamed Taylor.
_NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v", "phd", "md"}
# Given names and their usual short forms: "Chuck Grassley" is "Charles E. Grassley".
_NICKNAMES = [
    ("charles", "chuck", "charlie"), ("patrick", "pat"), ("william", "bill", "billy", "will"), ("robert", "bob", "rob",
    "bobby"), ("joseph", "joe"), ("michael", "mike"), ("james", "jim", "jimmy"), ("thomas", "tom"), ("richard", "dick",
    "rick", "rich"), ("edward", "ted", "ed"), ("benjamin", "ben"), ("anthony", "tony"), ("daniel", "dan"), ("steven",
    "stephen", "steve"), ("elizabeth", "liz", "beth"), ("katherine", "kate", "kathy"), ("jerrold", "gerald", "jerry"),
    ("christopher", "chris"), ("matthew", "matt"), ("nicholas", "nick"), ("andrew", "andy"), ("alexander", "alex"),
    ("samuel", "sam"), ("gregory", "greg"), ("jeffrey", "jeff"), ("ronald", "ron"), ("donald", "don"), ("lawrence",
    "larry"), ("john", "jack"), ("jonathan", "jon"), ("kenneth", "ken"), ("timothy", "tim"), ("david", "dave"),
    ("frederick", "fred"), ("albert", "al"), ("vladimir", "volodymyr"), ("mitchell", "mitch"), ("nancy",),
]
_GIVEN = {name: set(group) for group in _NICKNAMES for name in group}
_INITIAL = re.compile(r"[A-Z]\.")
# Words that stand before a surname as a title and, doing so, make clear who it is ("Mr. Trump").
_HONORIFICS = {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "dr", "dr.", "president", "sen.", "senator", "rep.",
               "representative", "gov.", "governor", "secretary", "chairman", "chairwoman", "speaker", "judge",
               "justice", "general", "gen.", "leader", "minister", "chancellor", "premier", "ambassador", "prof.",
               "professor", "mayor", "attorney", "king", "queen", "prince", "pope", "commissioner", "director"}

MENTION_COLUMNS = [
    "article_id", "file", "outlet", "date", "paragraph", "sentence",
    "actor", "name", "kind", "parent", "alias", "alias_kind", "start", "end", "in_quote",
]

# Words that may stand directly before a surname without making it part of
# another person's name ("President Trump", "As Kim said"). Any other
# capitalised word right before a surname ("Maru Kim") means another person.
_TITLE_WORDS = {
    "president", "chairman", "leader", "chancellor", "minister", "prime", "secretary",
    "secretary-general", "envoy", "special", "ambassador", "spokeswoman", "spokesman",
    "spokesperson", "press", "foreign", "defense", "defence", "premier", "chief", "official",
    "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sen.", "senator", "gov.", "governor",
    "king", "queen", "deputy", "commission", "supreme", "comrade",
}
FUNCTION_WORDS = {
    "a", "an", "the", "and", "or", "but", "nor", "as", "when", "while", "whether", "if", "in",
    "on", "at", "for", "with", "without", "after", "before", "since", "then", "so", "yet",
    "that", "this", "these", "those", "although", "though", "because", "under", "of", "to",
    "from", "by", "meanwhile", "however", "also", "now", "even", "until", "unless", "both",
    "only", "like", "than", "once", "where", "why", "how", "what", "who", "whom", "which",
    "during", "despite", "amid", "against", "between", "about", "over", "through", "via",
    "still", "yesterday", "today", "indeed", "instead", "thus", "hence", "it", "he", "she",
    "they", "we", "i", "you", "his", "her", "their", "our", "its", "let", "do", "does", "did",
    "not", "no", "yes", "here", "there", "all", "some", "many", "most", "few", "every", "each",
    "according", "unlike", "including", "following", "given", "toward", "towards", "into",
    "onto", "upon", "within", "beyond", "around", "across", "behind", "among", "should",
    "would", "could", "will", "can", "may", "might", "must", "says", "said", "told", "asked",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}
# A place, not an actor: "in Moscow", "at the White House", "near Kyiv".
_PLACE_BEFORE = re.compile(r"(?:^|\s)(?:in|at|near|outside|inside)\s+(?:the\s+)?$", re.IGNORECASE)
# Rules test the text around a match in place, without slicing it:
# ``pattern.search(text, 0, start)`` for what comes before (a "$" matches at
# ``start``) and ``pattern.match(text, end)`` for what follows, so the "after"
# patterns carry no "^" (it would only match at 0, not at ``end``).
_CAP_AFTER = re.compile(r"[ \t]+[A-ZÀ-ÖØ-Þ]")
_WORD_BEFORE = re.compile(r"(?:^|\s)([^\s]+)[ \t]+$")
_TITLE_AFTER = re.compile(
    r"(?:['’]s)?(?:\s+(?:%s))++\s+(?-i:[A-ZÀ-ÖØ-Þ])" % "|".join(sorted((re.escape(w) for w in _TITLE_WORDS), key=len, reverse=True)),
    re.IGNORECASE,
)
_PAREN_BETWEEN = re.compile(r"\s*\(\s*")  # used with fullmatch
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "‐": "-", "‑": "-"})

# Longer phrases that contain an alias but name something else.
NOT_ACTORS = (
    "North America", "South America", "Latin America", "Central America", "Washington Post",
    "Washington Times", "Moscow Times", "Kyiv Independent", "Kyiv Post", "Korea Herald",
    "Turkey Today", "New York Times",
)


def _split(value) -> tuple[str, ...]:
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return tuple(part.strip() for part in str(value).split("|") if part.strip())


def load_actors(path=None) -> pd.DataFrame:
    """Read and check an actors table.

    ``path`` is None (the shipped ``analysis/data/actors.csv``), a CSV path, or
    a DataFrame with the same columns. Required: ``id``, ``name``, ``kind``,
    ``aliases``; optional: ``parent``, ``surnames``, ``roles``, ``role_from``,
    ``role_to``, ``metonyms``, ``adjectives``.

    Returns one row per actor: ``id``, ``name``, ``kind`` (person | state |
    organization), ``parent`` (an id or NA), the five form lists as tuples of
    str, ``role_from`` and ``role_to`` (datetime64, NaT = open). Raises
    ``ValueError`` for a missing column, an unknown kind or parent, a
    duplicated id, or a form (other than a role) given to two actors.

    >>> load_actors().set_index("id").loc["putin", "parent"]
    'russia'
    """
    raw = pd.read_csv(path or ACTORS_PATH, dtype=str, keep_default_na=False) if not isinstance(path, pd.DataFrame) else path
    missing = {"id", "name", "kind", "aliases"} - set(raw.columns)
    if missing:
        raise ValueError(f"actors table lacks column(s): {', '.join(sorted(missing))}")
    out = pd.DataFrame({
        "id": raw["id"].astype(str).str.strip(),
        "name": raw["name"].astype(str).str.strip(),
        "kind": raw["kind"].astype(str).str.strip().str.lower().replace(KIND_SYNONYMS),
    })
    parent = raw["parent"] if "parent" in raw else pd.Series(pd.NA, index=raw.index)
    out["parent"] = parent.astype("string").str.strip().replace("", pd.NA)
    for col in LIST_COLUMNS:
        out[col] = [_split(v) for v in raw[col]] if col in raw else [()] * len(raw)
    derived = [person_forms(n, a, s) if k == "person" else (other_forms(n, a), s)
               for n, k, a, s in zip(out["name"], out["kind"], out["aliases"], out["surnames"])]
    out["aliases"] = [a for a, _ in derived]
    out["surnames"] = [s for _, s in derived]
    _add_gazetteer_forms(out)
    for col in ("role_from", "role_to"):
        values = raw[col] if col in raw else pd.Series(pd.NA, index=raw.index)
        out[col] = pd.to_datetime(values.replace("", pd.NA), errors="raise")
    bad = sorted(set(out["kind"]) - set(KINDS))
    if bad:
        raise ValueError(f"unknown actor kind(s): {', '.join(bad)}; use {', '.join(KINDS)}")
    dup = out["id"][out["id"].duplicated()].tolist()
    if dup:
        raise ValueError(f"duplicated actor id(s): {', '.join(dup)}")
    orphans = sorted(set(out["parent"].dropna()) - set(out["id"]))
    if orphans:
        raise ValueError(f"parent(s) not in the actors table: {', '.join(orphans)}")
    forms = alias_table(out)
    # A surname may be shared ("Biden": Joe and Hunter); the article's context decides (see find_mentions).
    fixed = forms[~forms["alias_kind"].isin(["role", "surname"])]
    clash = fixed.groupby("key")["actor"].nunique()
    if (clash > 1).any():
        raise ValueError(f"form(s) given to more than one actor: {', '.join(clash[clash > 1].index)}")
    return out.reset_index(drop=True)


def person_forms(name: str, aliases: tuple[str, ...], surnames: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The full names and surnames a reader would recognise for a person, from the ones given.

    Added to the aliases the actors table gives: each full name
    without its middle initials ("Gregory B. Craig" -> "Gregory Craig") and
    with the hyphen of its last part as a space ("Kim Jong-un" -> "Kim Jong
    un"); and, when the table gives no surname, the last word of the
    name that is not a suffix ("William B. Taylor Jr." -> "Taylor"). A
    one-word alias ("Koellmann") is a surname. Nothing is removed.

    >>> person_forms("William B. Taylor Jr.", ("William B. Taylor Jr.",), ())
    (('William B. Taylor Jr.', 'William Taylor Jr.'), ('Taylor',))
    """
    full = [a for a in dict.fromkeys(aliases) if len(a.split()) > 1]
    if not full:  # known by one word only ("Jesus", "Madonna"): that word is the name
        return tuple(aliases), tuple(surnames)
    given_surnames = list(surnames) + [a for a in aliases if len(a.split()) == 1]
    variants = []
    for form in full:
        words = form.split()
        plain = [w for i, w in enumerate(words) if not (0 < i < len(words) - 1 and re.fullmatch(r"[A-Z]\.", w))]
        variants.append(" ".join(plain))
        if "-" in words[-1]:
            variants.append(" ".join(words[:-1] + [words[-1].replace("-", " ")]))
    full = list(dict.fromkeys(full + [v for v in variants if len(v.split()) > 1]))
    if not given_surnames and full:
        words = [w for w in full[0].split() if w.casefold().strip(",") not in _NAME_SUFFIXES]
        if len(words) > 1 and words[-1][:1].isupper():
            given_surnames.append(words[-1])
    return tuple(full), tuple(dict.fromkeys(given_surnames))


GAZETTEER_PATH = DATA_DIR / "gazetteer.csv"
_US_PREFIX = re.compile(r"^(?:United States|U\.S\.|US)\s+(.+)$")
_OF_US = re.compile(r"^(.+?)\s+(?:of|to)\s+the\s+United\s+States(?:\s+\w+)?$")
_DEPARTMENT_OF = re.compile(r"^Department\s+of\s+(?:the\s+)?([A-Z]\w+)$")


def other_forms(name: str, aliases: tuple[str, ...]) -> tuple[str, ...]:
    """The names of a state, organisation, group or topic a reader would recognise, from the ones given.

    Added: "United States X" -> "X" and "U.S. X" ("United States Border
    Patrol" -> "Border Patrol"); "X of the United States" -> "X" ("Supreme
    Court of the United States" -> "Supreme Court"); "Department of X" ->
    "X Department"; and for a form in lower case (a common noun, matched in
    any case) its plural or singular ("voter" -> "voters"). Nothing is removed.

    >>> other_forms("United States Department of Justice", ("United States Department of Justice",))
    ('United States Department of Justice', 'Department of Justice', 'U.S. Department of Justice', 'Justice Department')
    """
    forms = list(dict.fromkeys(aliases))
    for form in list(forms):
        m = _US_PREFIX.match(form)
        if m and len(m.group(1).split()) > 1 and m.group(1)[:1].isupper():
            forms += [m.group(1), f"U.S. {m.group(1)}"]
        m = _OF_US.match(form)
        if m and len(m.group(1).split()) > 1:
            forms.append(m.group(1))
    for form in list(forms):
        m = _DEPARTMENT_OF.match(form)
        if m:
            forms.append(f"{m.group(1)} Department")
        if form.islower():
            forms.append(_other_number(form))
    return tuple(dict.fromkeys(f for f in forms if f))


def _other_number(form: str) -> str:
    """The plural of a lower-case noun phrase, or its singular when it is plural ("voters" -> "voter")."""
    head, _, last = form.rpartition(" ")
    if last.endswith("ies") and len(last) > 4:
        other = last[:-3] + "y"
    elif last.endswith(("ses", "xes", "ches", "shes")):
        other = last[:-2]
    elif last.endswith("s") and not last.endswith("ss") and len(last) > 3:
        other = last[:-1]
    elif last.endswith(("s", "x", "ch", "sh")):
        other = last + "es"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        other = last[:-1] + "ies"
    else:
        other = last + "s"
    return f"{head} {other}" if head else other


def _gazetteer() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Key of every name and form of the shipped gazetteer -> (its forms, its metonyms)."""
    table = pd.read_csv(GAZETTEER_PATH, dtype=str, keep_default_na=False)
    entries = {}
    for name, forms, metonyms in zip(table["name"], table["forms"], table["metonyms"]):
        value = (tuple(dict.fromkeys((name, *_split(forms)))), _split(metonyms))
        for form in value[0]:
            entries.setdefault(_key(form), value)
    return entries


def _add_gazetteer_forms(actors: pd.DataFrame) -> None:
    """Give each non-person actor the other names the shipped gazetteer knows for it ("Republican Party" -> "GOP").

    ``analysis/data/gazetteer.csv`` lists major parties, US institutions,
    international bodies and states with their usual short names. An actor
    whose name or alias is one of an entry's forms gets the entry's forms as
    aliases and its capitals as metonyms, except forms another actor of the
    table already has. In place.
    """
    gazetteer = _gazetteer()
    taken = {}
    for actor, *lists in zip(actors["id"], *(actors[c] for c in LIST_COLUMNS)):
        for forms in lists:
            for form in forms:
                taken.setdefault(_key(form), actor)
    for i, (actor, kind, name, aliases, metonyms) in enumerate(zip(
            actors["id"], actors["kind"], actors["name"], actors["aliases"], actors["metonyms"])):
        if kind == "person":
            continue
        entry = next((gazetteer[_key(f)] for f in (name, *aliases) if _key(f) in gazetteer), None)
        if entry is None:
            continue
        free = [f for f in entry[0] if taken.get(_key(f), actor) == actor]
        free_metonyms = [f for f in entry[1] if taken.get(_key(f), actor) == actor]
        for f in free + free_metonyms:
            taken.setdefault(_key(f), actor)
        actors.at[i, "aliases"] = tuple(dict.fromkeys((*aliases, *free)))
        actors.at[i, "metonyms"] = tuple(dict.fromkeys((*metonyms, *free_metonyms)))


def _key(text: str) -> str:
    return " ".join(text.translate(_APOSTROPHES).split()).casefold()


def alias_table(actors: pd.DataFrame) -> pd.DataFrame:
    """One row per surface form: ``actor``, ``alias``, ``alias_kind`` (name |
    surname | role | metonym | adjective), ``key`` (normalised for lookup),
    ``role_from``, ``role_to``."""
    rows = [
        (a.id, form, ALIAS_KINDS[col], _key(form), a.role_from, a.role_to)
        for a in actors.itertuples(index=False)
        for col in LIST_COLUMNS
        for form in getattr(a, col)
    ]
    return pd.DataFrame(rows, columns=["actor", "alias", "alias_kind", "key", "role_from", "role_to"])


def _form_pattern(form: str) -> str:
    """Regex for one form: lower-case words match in any case, others exactly."""
    parts = []
    for token in re.split(r"(\s+)", form.strip()):
        if not token:
            continue
        if token.isspace():
            parts.append(r"\s+")
            continue
        pattern = re.escape(token.translate(_APOSTROPHES)).replace("'", "['’]").replace(r"\-", "[-‐‑]")
        parts.append(f"(?i:{pattern})" if token.islower() else pattern)
    return "".join(parts)


def _forms_regex(forms) -> re.Pattern:
    r"""One regex for all ``forms``, tried in the given order, as whole words.

    The same matches as ``(?<!\w)(?:form1|form2|...)(?!\w)``, written so
    that every branch starts with a literal character: the regex engine then
    skips ahead to the characters a form can start with instead of trying
    every branch at every position (about 1.6 times faster over a corpus). Each
    branch is one first character (one branch per case variant for a form that
    matches in any case), then ``(?<!\w[\s\S])``, the "no word character
    before" check moved one character on, then the rest of the form. At most
    one variant can match a given character, so the order of the forms, and
    with it which form wins, is unchanged. A form not starting with a letter
    falls back to the plain pattern.
    """
    forms = [f.strip() for f in forms]
    if not all(f[:1].isalpha() for f in forms):
        return re.compile(r"(?<!\w)(?:{})(?!\w)".format("|".join(_form_pattern(f) for f in forms)))
    heads = [re.split(r"(\s+)", f, maxsplit=1) for f in forms]
    variants = _case_variants(frozenset(h[0][0] for h in heads if h[0].islower()))
    branches = []
    for first, *rest in heads:
        tail = re.escape(first[1:].translate(_APOSTROPHES)).replace("'", "['’]").replace(r"\-", "[-‐‑]")
        if first.islower() and tail:
            tail = f"(?i:{tail})"
        if rest:
            tail += r"\s+" + _form_pattern(rest[1])
        for char in variants[first[0]] if first.islower() else (first[0],):
            branches.append(re.escape(char) + r"(?<!\w[\s\S])" + tail)
    return re.compile(r"(?:{})(?!\w)".format("|".join(branches)))


def _case_variants(chars) -> dict[str, tuple[str, ...]]:
    """Every character that ``(?i:c)`` matches, for each ``c`` in ``chars`` ("k": K, k and the Kelvin sign)."""
    if not chars:
        return {}
    every = np.arange(sys.maxunicode + 1, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")
    return {c: tuple(re.findall(f"(?i:{re.escape(c)})", every)) for c in chars}


class _Matcher:
    """The combined regex and lookup tables of one actors table.

    Everything per match is a plain dict or tuple lookup: the actors table is read
    out of its DataFrames once here, because pandas row access per match was
    most of the cost of ``find_mentions``.
    """

    def __init__(self, actors: pd.DataFrame):
        self.kind = dict(zip(actors["id"].tolist(), actors["kind"].tolist()))
        # id -> (name, kind, parent), as they go into MENTION_COLUMNS
        self.info = {a: (n, k, p) for a, n, k, p in zip(*(actors[c].tolist() for c in ("id", "name", "kind", "parent")))}
        forms = alias_table(actors)
        # key -> the (actor, alias_kind) a fixed form names (the first non-role
        # row), or None when every row of the key is a role: those are looked
        # up by date in ``self.roles``.
        self.fixed: dict[str, tuple[str, str] | None] = {}
        self.roles: dict[str, list[tuple[str, pd.Timestamp | None, pd.Timestamp | None]]] = {}
        surnames: dict[str, list[str]] = {}
        for actor, kind, key, role_from, role_to in zip(
            forms["actor"].tolist(), forms["alias_kind"].tolist(), forms["key"].tolist(),
            forms["role_from"].tolist(), forms["role_to"].tolist(),
        ):
            if kind == "role":
                self.roles.setdefault(key, []).append(
                    (actor, None if pd.isna(role_from) else role_from, None if pd.isna(role_to) else role_to))
                self.fixed.setdefault(key, None)
            elif self.fixed.get(key) is None:
                self.fixed[key] = (actor, kind)
            if kind == "surname":
                surnames.setdefault(key, []).append(actor)
        # actor -> the casefolded given names of its full names, with their short forms
        self.given: dict[str, set[str]] = {}
        for actor, kind, alias in zip(forms["actor"].tolist(), forms["alias_kind"].tolist(), forms["alias"].tolist()):
            words = alias.split()
            if kind == "name" and len(words) > 1 and self.kind.get(actor) == "person":
                first = words[0].casefold()
                self.given.setdefault(actor, set()).update(_GIVEN.get(first, {first}))
        # key -> the actors sharing a surname, when more than one does: context decides (``_resolve_shared``).
        self.shared = {k: tuple(dict.fromkeys(v)) for k, v in surnames.items()
                       if len(set(v)) > 1 and self.fixed.get(k, (None, "surname"))[1] == "surname"}
        alternatives = sorted(set(forms["alias"]) | set(NOT_ACTORS), key=len, reverse=True)
        self.blocked = {_key(f) for f in NOT_ACTORS}
        self.regex = _forms_regex(alternatives)
        self._by_date: dict[tuple, str | None] = {}
        self._keys: dict[str, str] = {}  # alias as written -> key; the same few spellings recur

    def _role_holder(self, key: str, date) -> str | None:
        """The one actor a role names on ``date``, or None (no holder, or several)."""
        cached = self._by_date.get((key, date), False)  # dates repeat: one article, one date
        if cached is not False:
            return cached
        holder = self._by_date[(key, date)] = self._valid_role(key, None if pd.isna(date) else pd.Timestamp(date))
        return holder

    def _valid_role(self, key: str, date) -> str | None:
        if date is None:  # an undated article: today's holder would be a guess (see undated_roles)
            return None
        else:
            valid = [a for a, frm, to in self.roles[key] if (frm is None or frm <= date) and (to is None or date < to)]
        return valid[0] if len(valid) == 1 else None

    def role_phrases(self, text: str) -> list[str]:
        """The role phrases in ``text`` ("the US president"), whoever holds them."""
        keys = self._keys
        # "US president Joe Biden": a role followed by a name is that name's title, not an unresolved role.
        return [m.group() for m in self.regex.finditer(text)
                if self.fixed.get(keys.get(m.group()) or _key(m.group()), False) is None
                and not _CAP_AFTER.match(text, m.end())]

    def candidates(self, text: str, date) -> list[dict]:
        """Every form found in ``text`` with the actor it names, before context rules."""
        found = []
        fixed, blocked, keys = self.fixed, self.blocked, self._keys
        for m in self.regex.finditer(text):
            alias = m.group()
            key = keys.get(alias)
            if key is None:
                key = keys[alias] = _key(alias)
            if key in blocked or key not in fixed:
                continue
            hit = fixed[key]
            if hit is None:
                actor = self._role_holder(key, date)
                if actor is None:
                    continue
                hit = (actor, "role")
            found.append({"actor": hit[0], "alias": alias, "alias_kind": hit[1],
                          "start": m.start(), "end": m.end(), "shared": self.shared.get(key)})
        return found


def pick_actor(actor: str | None, mentions: pd.DataFrame) -> str:
    """``actor`` (an id) when ``mentions`` holds it, else the most mentioned actor (ties by id).

    A notebook's parameter names a seed actor ("russia"); on a corpus with its
    own actors table that id may not exist, and the most mentioned actor is
    the sensible stand-in. ``ValueError`` when no actor is mentioned at all.

    >>> pick_actor("atlantis", pd.DataFrame({"actor": ["b", "a", "a"]}))
    'a'
    """
    counts = mentions["actor"].value_counts()
    if actor in counts.index:
        return actor
    if counts.empty:
        raise ValueError("no actor of the actors table is mentioned in this corpus")
    return sorted(counts.index[counts == counts.max()])[0]


def undated_roles(corpus, actors=None) -> pd.DataFrame:
    """The role phrases left unresolved because their article has no date: one row per such article.

    Columns ``article_id``, ``file``, ``n_roles`` (role phrases in its body
    sentences) and ``example`` (the first phrase, as written). A role names
    its holder by the article's date ("the US president" is Biden until
    20 January 2025, then Trump), so without a date it names nobody.
    """
    _, matcher = actors_and_matcher(actors)
    undated = set(corpus.articles.loc[corpus.articles["date"].isna(), "article_id"])
    rows = []
    if undated:
        sentences = corpus.sentences[corpus.sentences["article_id"].isin(undated)]
        found = defaultdict(list)
        for article_id, text in zip(sentences["article_id"], sentences["text"]):
            found[article_id].extend(matcher.role_phrases(text))
        files = corpus.articles.set_index("article_id")["file"]
        rows = [(a, files[a], len(p), p[0]) for a, p in found.items() if p]
    return pd.DataFrame(rows, columns=["article_id", "file", "n_roles", "example"])


def as_list(values: pd.Series) -> list:
    """``values.tolist()``, converting a datetime column once per distinct value.

    Turning every row of a datetime column into a ``Timestamp`` is slow and an
    article has one date; the values returned are the same.
    """
    if not pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values.tolist()
    codes, uniques = pd.factorize(values)
    distinct = uniques.tolist() + [pd.NaT]  # code -1 (missing) picks the last
    return [distinct[c] for c in codes.tolist()]


_REGISTRIES: dict = {}  # actors table content -> (load_actors result, _Matcher); see actors_and_matcher


def actors_and_matcher(actors=None) -> tuple[pd.DataFrame, _Matcher]:
    """``load_actors(actors)`` and its matcher, kept for reuse while the actors table is unchanged.

    The pipeline calls ``find_mentions`` and ``find_quotes`` once per article
    with the same actors table; checking it and compiling the matcher each time
    cost far more than matching one article. The cache is keyed by the
    actors table's content (the file's bytes, or the DataFrame's values), so an
    edited actors table is read afresh. Callers must not modify the returned frame.
    """
    try:
        if isinstance(actors, pd.DataFrame):
            key = ("frame", tuple(actors.columns), tuple(tuple(actors[c].tolist()) for c in actors.columns))
        else:
            key = ("file", Path(actors or ACTORS_PATH).read_bytes())
        cached = _REGISTRIES.get(key)
    except (TypeError, OSError):  # unhashable cells (lists), or not a readable path: no caching
        registry = load_actors(actors)
        return registry, _Matcher(registry)
    if cached is None:
        registry = load_actors(actors)
        if len(_REGISTRIES) >= 8:
            _REGISTRIES.pop(next(iter(_REGISTRIES)))
        cached = _REGISTRIES[key] = (registry, _Matcher(registry))
    return cached


_NOT_NAME_BEFORE = FUNCTION_WORDS | _TITLE_WORDS


def _glued_to_other_name(text: str, start: int, end: int) -> bool:
    """True when a surname or metonym is part of a longer proper name ("Maru Kim", "Kim Jin-ha")."""
    if _CAP_AFTER.match(text, end):
        return True
    before = _WORD_BEFORE.search(text, 0, start)
    if before:
        word = before.group(1)
        if word[-1].isalnum() and word[:1].isupper() and word.casefold() not in _NOT_NAME_BEFORE:
            return True
    return False


def _after_title(text: str, start: int) -> bool:
    """True when the word right before ``start`` is a title that makes a surname a name ("Mr. Trump", "President Xi")."""
    before = _WORD_BEFORE.search(text, 0, start)
    return bool(before) and before.group(1).casefold() in _HONORIFICS


_GIVEN_BEFORE = re.compile(r"([A-Z][\w’'-]*)[ \t]+(?:([A-Z]\.)[ \t]+)?$")


def _full_name_start(text: str, m: dict, matcher: _Matcher) -> int | None:
    """Where a full name ends by this surname starts, when the words before it are one of its actors' given names.

    "Paul D. Ryan", "Charles E. Grassley", "Beau Biden": the given name (or
    its short form) and an optional middle initial. Sets ``m["actor"]`` to the
    actor whose given name it is (a shared surname resolved by its given
    name). None when the words before are not such a name.
    """
    before = _GIVEN_BEFORE.search(text, max(0, m["start"] - 40), m["start"])
    if not before:
        return None
    given = before.group(1).casefold()
    for actor in m.get("shared") or (m["actor"],):
        if given in matcher.given.get(actor, ()):
            m["actor"] = actor
            return before.start()
    return None


def _resolve_shared(m: dict, introduced: dict[str, int], named: dict[str, int]) -> str | None:
    """The actor a shared surname names here: the one named most recently, else the only one the article names."""
    earlier = [a for a in m["shared"] if a in introduced]
    if earlier:
        return max(earlier, key=introduced.__getitem__)
    anywhere = [a for a in m["shared"] if a in named]
    return anywhere[0] if len(anywhere) == 1 else None


def _apply_rules(text: str, found: list[dict], matcher: _Matcher, introduced: dict[str, int],
                 named: dict[str, int] | None = None, others: set[str] = frozenset()) -> list[dict]:
    """Context rules for one sentence, in reading order. Updates ``introduced`` (actor -> order of its last full name).

    ``named``: the actors the article names in full anywhere (its title
    included), which resolves a shared surname. ``others``: the actors whose
    surname the article also gives to someone else ("Beau Biden" for Joe
    Biden); a bare surname of one of them counts only after its full name or
    after a title ("Mr.", "President"). Any other bare surname counts.
    """
    kinds = matcher.kind
    named = named or {}
    kept: list[dict] = []
    for i, m in enumerate(found):
        if m["alias_kind"] == "surname" and m.get("full_start") is not None:  # "Paul D. Ryan": a name
            m.update(alias=text[m["full_start"]:m["end"]], alias_kind="name", start=m["full_start"], shared=None)
        if m.get("shared"):
            actor = _resolve_shared(m, introduced, named)
            if actor is None:
                continue
            m["actor"] = actor
        nxt = found[i + 1] if i + 1 < len(found) else None
        follows_directly = nxt is not None and text[m["end"]:nxt["start"]].strip() == ""
        if m["alias_kind"] == "role":
            if follows_directly and kinds[nxt["actor"]] == "person":
                nxt["after_role"] = True  # "North Korean leader Kim": the title makes the surname a name
                continue
            if _CAP_AFTER.match(text, m["end"]):
                continue  # title of someone not in the actors table ("US president Joe Smith")
        elif kinds[m["actor"]] != "person" and _TITLE_AFTER.match(text, m["end"]):
            continue  # "US envoy Steve Witkoff": the state is the person's title
        if m["alias_kind"] == "metonym":
            if _glued_to_other_name(text, m["start"], m["end"]) or _PLACE_BEFORE.search(text, 0, m["start"]):
                continue
        if m["alias_kind"] == "surname" and not m.get("after_role"):
            if _glued_to_other_name(text, m["start"], m["end"]):
                continue
            if m["actor"] in others and m["actor"] not in introduced and not _after_title(text, m["start"]):
                continue  # the article names another person of this surname, and not yet this one
        if m["alias_kind"] == "name" or m.get("after_role"):
            introduced[m["actor"]] = max(introduced.values(), default=0) + 1
        if kept and kept[-1]["actor"] == m["actor"] and _PAREN_BETWEEN.fullmatch(text, kept[-1]["end"], m["start"]):
            continue  # "North Atlantic Treaty Organization (NATO)" is one mention
        m.pop("after_role", None)
        kept.append(m)
    return kept


def find_mentions(corpus, actors=None, adjectives: bool = False) -> pd.DataFrame:
    """Every mention of an actor of the actors table in the body sentences of ``corpus``.

    ``corpus`` needs ``sentences`` (article_id, paragraph, sentence, text,
    start, end, file, outlet, date) and ``paragraphs`` (article_id,
    paragraph, text, kind), as returned by ``analysis.load_corpus``.
    ``actors`` is None (shipped actors table), a path, or a DataFrame (see
    ``load_actors``). ``adjectives=True`` also counts "Russian", "North
    Korean", ... as their state.

    Returns one row per mention (``MENTION_COLUMNS``): ``article_id``,
    ``file``, ``outlet``, ``date``, ``paragraph``, ``sentence``, ``actor``
    (actor id), ``name``, ``kind``, ``parent`` (id or NA), ``alias`` (as
    written), ``alias_kind`` (name | surname | role | metonym | adjective),
    ``start`` and ``end`` (character offsets within the sentence text, end
    exclusive), ``in_quote`` (True inside a direct quotation, see
    ``analysis.load.text.quote_spans``). Rows are in reading order.
    """
    _, matcher = actors_and_matcher(actors)
    paragraphs = corpus.paragraphs
    body = paragraphs[paragraphs["kind"] == "body"]
    spans = {(a, p): quote_spans(t) for a, p, t in
             zip(body["article_id"].tolist(), body["paragraph"].tolist(), body["text"].tolist())}
    named = _named_in_titles(paragraphs, matcher)
    sentences = corpus.sentences
    columns = ("article_id", "paragraph", "sentence", "file", "outlet", "date", "text", "start")
    rows = []
    # In reading order, so each article's sentences are contiguous. Two passes per article: who it
    # names in full anywhere (title included), then the rules in reading order, where "introduced"
    # (who was named in full so far) starts afresh with each article.
    ordered = sorted(zip(*(as_list(sentences[c]) for c in columns)), key=itemgetter(0, 1, 2))
    for _, group in groupby(ordered, key=itemgetter(0)):
        group = [(row, matcher.candidates(row[6], row[5])) for row in group]
        article_named = dict(named.get(group[0][0][0], {}))
        others: set[str] = set()
        for row, found in group:
            for m in found:
                if m["alias_kind"] == "surname":
                    m["full_start"] = _full_name_start(row[6], m, matcher)
                    if m["full_start"] is None and _glued_to_other_name(row[6], m["start"], m["start"]):
                        others.update(m.get("shared") or (m["actor"],))
                if m["alias_kind"] == "name" or m.get("full_start") is not None:
                    article_named.setdefault(m["actor"], len(article_named))
        introduced: dict[str, int] = {}
        for (article_id, paragraph, sentence, file, outlet, date, text, start), found in group:
            if not found:
                continue
            found = _apply_rules(text, found, matcher, introduced, article_named, others)
            quotes = spans.get((article_id, paragraph), [])
            for m in found:
                if m["alias_kind"] == "adjective" and not adjectives:
                    continue
                offset = start + m["start"]
                in_quote = any(q0 <= offset < q1 for q0, q1 in quotes)
                rows.append((article_id, file, outlet, date, paragraph, sentence, m["actor"],
                             *matcher.info[m["actor"]], m["alias"], m["alias_kind"], m["start"], m["end"], in_quote))
    out = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    for col in ("name", "kind", "parent"):
        out[col] = out[col].astype("string")
    return with_dtypes(out, {"start": "int64", "end": "int64", "paragraph": "int64", "sentence": "int64",
                              "in_quote": "bool"})


def headlines(corpus) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each article's headline as a one-sentence text: ``(paragraphs, sentences)`` tables to find mentions in.

    The headline is the article's ``title`` paragraph, else its ``title``
    metadata (the manifest's). Sentence rows have ``paragraph`` -1.
    """
    articles = corpus.articles
    first = corpus.paragraphs[corpus.paragraphs["kind"] == "title"].drop_duplicates("article_id")
    text = dict(zip(first["article_id"].tolist(), first["text"].tolist()))
    rows = []
    for a, file, outlet, date, title, language in zip(*(as_list(articles[c]) for c in (
            "article_id", "file", "outlet", "date", "title", "language"))):
        head = text.get(a) or (title if isinstance(title, str) else "")
        head = " ".join(head.split())
        if head:
            rows.append((a, -1, 0, head, 0, len(head), len(head.split()), file, outlet, date, language))
    sentences = pd.DataFrame(rows, columns=["article_id", "paragraph", "sentence", "text", "start", "end", "n_words",
                                            "file", "outlet", "date", "language"])
    sentences["date"] = pd.to_datetime(sentences["date"])
    paragraphs = sentences[["article_id", "paragraph", "text"]].assign(kind="body")
    return paragraphs, sentences


def find_headline_mentions(corpus, actors=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The mentions in each article's headline (see ``headlines``) and the headline sentences."""
    paragraphs, sentences = headlines(corpus)
    heads = type(corpus)(corpus.folder, corpus.articles, paragraphs, sentences, corpus.problems.iloc[0:0])
    return find_mentions(heads, actors), sentences


def _named_in_titles(paragraphs: pd.DataFrame, matcher: _Matcher) -> dict[str, dict[str, int]]:
    """Article id -> the actors its title (and subtitle) names in full."""
    heads = paragraphs[paragraphs["kind"].isin(["title", "subtitle"])]
    named: dict[str, dict[str, int]] = {}
    for article_id, text in zip(heads["article_id"].tolist(), heads["text"].tolist()):
        for m in matcher.candidates(text, None):
            if m["alias_kind"] == "name":
                named.setdefault(article_id, {}).setdefault(m["actor"], len(named.get(article_id, {})))
    return named


def with_dtypes(df: pd.DataFrame, dtypes: dict) -> pd.DataFrame:
    """``df.astype(dtypes)``, converting only the columns not already of that dtype.

    Built from Python ints and bools, the columns usually are (not when
    empty); skipping the no-op conversions saves much of the fixed cost of a
    call on one article.
    """
    todo = {c: t for c, t in dtypes.items() if df[c].dtype != t}
    if not todo:
        return df
    if len(df):
        return df.astype(todo)
    # Empty (an article without quotations or edges): the same result every
    # time, so convert once and hand out copies.
    key = (tuple(df.columns), tuple(str(t) for t in df.dtypes), tuple(todo.items()))
    if key not in _EMPTY:
        _EMPTY[key] = df.astype(todo)
    return _EMPTY[key].copy()


_EMPTY: dict = {}


def roll_up(mentions: pd.DataFrame, actors=None, col: str = "actor") -> pd.DataFrame:
    """Copy of ``mentions`` with ``group``: the actor's parent id, or the actor itself.

    Putin, Lavrov and "Kremlin" all fall under ``russia``; one level only, so
    the European Commission rolls up to ``eu`` and von der Leyen to
    ``european_commission``.
    """
    parents = load_actors(actors).set_index("id")["parent"]
    out = mentions.copy()
    out["group"] = out[col].map(parents).fillna(out[col]).astype("string")
    return out


def count_mentions(mentions: pd.DataFrame, rows: str = "name", columns: str = "outlet", wide: bool = True) -> pd.DataFrame:
    """Mention counts per ``rows`` x ``columns``.

    ``wide=True``: one row per ``rows`` value (the index), one column per
    ``columns`` value plus ``total``; zero where an actor is absent; sorted by
    total (descending), then name. ``wide=False``: long format ``rows``,
    ``columns``, ``n`` (zeros included), in the same actor order.
    """
    table = pd.crosstab(mentions[rows], mentions[columns])
    table.columns = table.columns.astype(str)
    table.columns.name = None
    table["total"] = table.sum(axis=1)
    table = table.reset_index()
    table = table.sort_values(["total", rows], ascending=[False, True]).set_index(rows)
    if wide:
        return table
    long = table.drop(columns="total").reset_index().melt(id_vars=rows, var_name=columns, value_name="n")
    return long.astype({"n": "int64"})


def kwic(mentions: pd.DataFrame, sentences: pd.DataFrame, actor: str, width: int = 60) -> pd.DataFrame:
    """Keyword in context: each mention of ``actor`` (id) with ``width`` characters either side.

    Returns ``article_id``, ``outlet``, ``paragraph``, ``sentence``,
    ``left`` (right-aligned context, "…" where cut), ``alias``, ``right``,
    ``alias_kind``, ``in_quote``, in reading order.
    """
    chosen = mentions[mentions["actor"] == actor]
    texts = sentences.set_index(["article_id", "paragraph", "sentence"])["text"]
    rows = []
    for m in chosen.itertuples(index=False):
        text = texts[(m.article_id, m.paragraph, m.sentence)]
        left = text[max(0, m.start - width):m.start]
        right = text[m.end:m.end + width]
        rows.append((m.article_id, m.outlet, m.paragraph, m.sentence,
                     ("…" if m.start > width else "") + left, m.alias,
                     right + ("…" if m.end + width < len(text) else ""), m.alias_kind, m.in_quote))
    return pd.DataFrame(rows, columns=["article_id", "outlet", "paragraph", "sentence", "left", "alias",
                                       "right", "alias_kind", "in_quote"])
