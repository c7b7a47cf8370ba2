"""Who is mentioned where: the actor registry and actor mentions in sentences.

The registry (``analysis/data/actors.csv``, or your own file or DataFrame
passed as ``actors=``) lists one actor per row:

``id``, ``name``, ``kind`` (person | state | organization), ``parent`` (the id
an actor rolls up to: Putin -> russia), and ``|``-separated lists of surface
forms, each with its own rule:

``aliases``
    Full names, spellings and transliterations ("Volodymyr Zelenskiy",
    "Kim Jong Un", "Türkiye"/"Turkey", "U.S."). Always a mention.
``surnames``
    Bare surnames ("Kim", "Zelensky"). A mention only after one of the
    actor's ``aliases`` (or a role directly followed by the surname, "North
    Korean leader Kim") appeared earlier in the same article, and never when
    glued to another name: "Kim Jin-ha" and "Maru Kim" are other people.
``roles``
    Role phrases that name one person ("the Ukrainian president", "Ukraine's
    leader", "North Korean leader"), valid between ``role_from`` and
    ``role_to`` (article date; a missing date means the current holder). A
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

A state or organisation directly followed by a title and a name ("US envoy
Steve Witkoff") is the person's title, not a mention of the state.

Matching uses one compiled regular expression over every form, longest first,
with word boundaries. Words written in lower case in the registry match in any
case ("president"), everything else exactly ("US" but not "us"). Straight and
curly apostrophes, and hyphen variants, are interchangeable. Possessives
("Russia's", "Russia’s") match the name before the apostrophe.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

__all__ = [
    "ACTORS_PATH",
    "ALIAS_KINDS",
    "MENTION_COLUMNS",
    "alias_table",
    "count_mentions",
    "find_mentions",
    "kwic",
    "load_actors",
    "roll_up",
]

ACTORS_PATH = Path(__file__).resolve().parent / "data" / "actors.csv"
LIST_COLUMNS = ("aliases", "surnames", "roles", "metonyms", "adjectives")
ALIAS_KINDS = {"aliases": "name", "surnames": "surname", "roles": "role", "metonyms": "metonym", "adjectives": "adjective"}
KINDS = ("person", "state", "organization")

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
_CAP_AFTER = re.compile(r"^[ \t]+[A-ZÀ-ÖØ-Þ]")
_WORD_BEFORE = re.compile(r"(?:^|\s)([^\s]+)[ \t]+$")
_TITLE_AFTER = re.compile(
    r"^(?:['’]s)?(?:\s+(?:%s))++\s+(?-i:[A-ZÀ-ÖØ-Þ])" % "|".join(sorted((re.escape(w) for w in _TITLE_WORDS), key=len, reverse=True)),
    re.IGNORECASE,
)
_PAREN_BETWEEN = re.compile(r"^\s*\(\s*$")
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
    """Read and check an actor registry.

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
        raise ValueError(f"actor registry lacks column(s): {', '.join(sorted(missing))}")
    out = pd.DataFrame({
        "id": raw["id"].astype(str).str.strip(),
        "name": raw["name"].astype(str).str.strip(),
        "kind": raw["kind"].astype(str).str.strip().str.lower(),
    })
    parent = raw["parent"] if "parent" in raw else pd.Series(pd.NA, index=raw.index)
    out["parent"] = parent.astype("string").str.strip().replace("", pd.NA)
    for col in LIST_COLUMNS:
        out[col] = [_split(v) for v in raw[col]] if col in raw else [()] * len(raw)
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
        raise ValueError(f"parent(s) not in the registry: {', '.join(orphans)}")
    forms = alias_table(out)
    fixed = forms[forms["alias_kind"] != "role"]
    clash = fixed.groupby("key")["actor"].nunique()
    if (clash > 1).any():
        raise ValueError(f"form(s) given to more than one actor: {', '.join(clash[clash > 1].index)}")
    return out.reset_index(drop=True)


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


class _Matcher:
    """The combined regex and lookup tables of one registry."""

    def __init__(self, actors: pd.DataFrame):
        self.actors = actors.set_index("id")
        forms = alias_table(actors)
        self.lookup = {key: group for key, group in forms.groupby("key", sort=False)}
        alternatives = sorted(set(forms["alias"]) | set(NOT_ACTORS), key=len, reverse=True)
        self.blocked = {_key(f) for f in NOT_ACTORS}
        self.regex = re.compile(r"(?<!\w)(?:%s)(?!\w)" % "|".join(_form_pattern(f) for f in alternatives))

    def candidates(self, text: str, date) -> list[dict]:
        """Every form found in ``text`` with the actor it names, before context rules."""
        found = []
        for m in self.regex.finditer(text):
            key = _key(m.group())
            if key in self.blocked or key not in self.lookup:
                continue
            rows = self.lookup[key]
            if (rows["alias_kind"] == "role").all():
                rows = _valid_roles(rows, date)
                if len(rows) != 1:
                    continue
            else:
                rows = rows[rows["alias_kind"] != "role"]
            row = rows.iloc[0]
            found.append({"actor": row["actor"], "alias": m.group(), "alias_kind": row["alias_kind"],
                          "start": m.start(), "end": m.end()})
        return found


def _valid_roles(rows: pd.DataFrame, date) -> pd.DataFrame:
    if pd.isna(date):
        return rows[rows["role_to"].isna()]
    date = pd.Timestamp(date)
    ok = (rows["role_from"].isna() | (rows["role_from"] <= date)) & (rows["role_to"].isna() | (date < rows["role_to"]))
    return rows[ok]


def _glued_to_other_name(text: str, start: int, end: int) -> bool:
    """True when a surname or metonym is part of a longer proper name ("Maru Kim", "Kim Jin-ha")."""
    if _CAP_AFTER.match(text[end:]):
        return True
    before = _WORD_BEFORE.search(text[:start])
    if before:
        word = before.group(1)
        if word[-1].isalnum() and word[:1].isupper() and word.casefold() not in FUNCTION_WORDS | _TITLE_WORDS:
            return True
    return False


def _apply_rules(text: str, found: list[dict], matcher: _Matcher, introduced: set[str]) -> list[dict]:
    """Context rules for one sentence, in reading order. Updates ``introduced``."""
    kinds = matcher.actors["kind"]
    kept: list[dict] = []
    for i, m in enumerate(found):
        nxt = found[i + 1] if i + 1 < len(found) else None
        gap = text[m["end"]:nxt["start"]] if nxt else None
        follows_directly = nxt is not None and gap.strip() == ""
        if m["alias_kind"] == "role":
            if follows_directly and kinds[nxt["actor"]] == "person":
                nxt["after_role"] = True  # "North Korean leader Kim": the title makes the surname a name
                continue
            if _CAP_AFTER.match(text[m["end"]:]):
                continue  # title of someone not in the registry ("US president Joe Smith")
        elif kinds[m["actor"]] != "person" and _TITLE_AFTER.match(text[m["end"]:]):
            continue  # "US envoy Steve Witkoff": the state is the person's title
        if m["alias_kind"] == "metonym":
            if _glued_to_other_name(text, m["start"], m["end"]) or _PLACE_BEFORE.search(text[:m["start"]]):
                continue
        if m["alias_kind"] == "surname" and not m.get("after_role"):
            if _glued_to_other_name(text, m["start"], m["end"]) or m["actor"] not in introduced:
                continue
        if m["alias_kind"] == "name" or m.get("after_role"):
            introduced.add(m["actor"])
        if kept and kept[-1]["actor"] == m["actor"] and _PAREN_BETWEEN.match(text[kept[-1]["end"]:m["start"]]):
            continue  # "North Atlantic Treaty Organization (NATO)" is one mention
        kept.append({k: v for k, v in m.items() if k != "after_role"})
    return kept


def find_mentions(corpus, actors=None, adjectives: bool = False) -> pd.DataFrame:
    """Every mention of a registry actor in the body sentences of ``corpus``.

    ``corpus`` needs ``sentences`` (article_id, paragraph, sentence, text,
    start, end, file, outlet, date) and ``paragraphs`` (article_id,
    paragraph, text, kind), as returned by ``analysis.load_corpus``.
    ``actors`` is None (shipped registry), a path, or a DataFrame (see
    ``load_actors``). ``adjectives=True`` also counts "Russian", "North
    Korean", ... as their state.

    Returns one row per mention (``MENTION_COLUMNS``): ``article_id``,
    ``file``, ``outlet``, ``date``, ``paragraph``, ``sentence``, ``actor``
    (registry id), ``name``, ``kind``, ``parent`` (id or NA), ``alias`` (as
    written), ``alias_kind`` (name | surname | role | metonym | adjective),
    ``start`` and ``end`` (character offsets within the sentence text, end
    exclusive), ``in_quote`` (True inside a direct quotation, see
    ``analysis.quotes``). Rows are in reading order.
    """
    from .quotes import (
        quote_spans,  # quotes.py uses this module; imported here to avoid a cycle
    )

    registry = load_actors(actors)
    matcher = _Matcher(registry)
    sentences = corpus.sentences.sort_values(["article_id", "paragraph", "sentence"])
    body = corpus.paragraphs[corpus.paragraphs["kind"] == "body"]
    spans = {(a, p): quote_spans(t) for a, p, t in zip(body["article_id"], body["paragraph"], body["text"])}
    rows = []
    for article_id, group in sentences.groupby("article_id", sort=False):
        introduced: set[str] = set()
        for s in group.itertuples(index=False):
            found = _apply_rules(s.text, matcher.candidates(s.text, s.date), matcher, introduced)
            quotes = spans.get((s.article_id, s.paragraph), [])
            for m in found:
                if m["alias_kind"] == "adjective" and not adjectives:
                    continue
                offset = s.start + m["start"]
                in_quote = any(q0 <= offset < q1 for q0, q1 in quotes)
                rows.append((s.article_id, s.file, s.outlet, s.date, s.paragraph, s.sentence, m["actor"],
                             m["alias"], m["alias_kind"], m["start"], m["end"], in_quote))
    cols = [c for c in MENTION_COLUMNS if c not in ("name", "kind", "parent")]
    out = pd.DataFrame(rows, columns=cols)
    info = registry.set_index("id")
    out["name"] = out["actor"].map(info["name"]).astype("string")
    out["kind"] = out["actor"].map(info["kind"]).astype("string")
    out["parent"] = out["actor"].map(info["parent"]).astype("string")
    out = out.astype({"start": "int64", "end": "int64", "paragraph": "int64", "sentence": "int64", "in_quote": "bool"})
    return out[MENTION_COLUMNS]


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
