"""Propose an actors table for a corpus nobody has written one for.

``suggest_actors(corpus)`` reads the body sentences and returns candidate
actors in the actors-table format (``load_actors`` reads it back), ranked by
the number of articles naming them, so an analyst starts from an edited
list rather than a blank file. No model is downloaded; the rules are:

- **Names are capitalised sequences** ("Kim Jong Un", "Department of
  Justice", "U.S."), with "of"/"of the"/"for" allowed inside. A word that the
  corpus mostly writes in lower case ("Officials", "Sanctions" at the start of
  a sentence) is not a name; neither are months, days and function words.
- **Titles are taken off and counted as evidence of a person**: "Mr.
  Trump", "President Trump", "Russian President Vladimir Putin" all give
  "Trump" / "Vladimir Putin"; a nationality before a title goes with it.
- **Variants merge into one row**: case, full stops, hyphens and middle
  initials do not matter ("Kim Jong Un" / "Kim Jong-un", "Donald J. Trump");
  a one-word name that an article uses with a longer name beginning or ending
  with it ("Trump" with "Donald Trump", "Kim" with "Kim Jong Un") is that
  person's surname in that article; across the corpus the surname goes to the
  person it co-occurs with most, and the others are named in ``note``.
- **States and organisations** come from the shipped gazetteer
  ``analysis/data/places.csv`` (countries with their adjectives and capitals,
  major international organisations, US institutions): "Moscow" and "the
  Kremlin" stay apart from "Russia" unless the analyst merges them, since an
  analyst may want the government apart from the country.
- **Kind** is ``state``/``organization`` from the gazetteer; ``person`` for a
  name seen after a title, or of two to four words whose last or first word is
  used alone; ``organization`` for an acronym or a name with an institution
  word (Party, Ministry, Council, …); ``other`` otherwise, for the analyst to
  decide.

What it cannot tell: two people with one full name, a person known by one
word only ("Madonna") from a place, or a name that is never capitalised. It is
a starting point to edit, not a registry to trust unread.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import cache

import pandas as pd

from analysis.config import DATA_DIR
from analysis.measure.actors import FUNCTION_WORDS, as_list

__all__ = ["PLACES_PATH", "SUGGEST_COLUMNS", "suggest_actors"]

PLACES_PATH = DATA_DIR / "places.csv"
SUGGEST_COLUMNS = ["id", "name", "kind", "parent", "aliases", "surnames", "roles", "role_from", "role_to",
                   "metonyms", "adjectives", "n_articles", "n_mentions", "example", "note"]

# Words before a name that say it is a person's, taken off the name.
TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "president", "vice", "prime", "minister", "premier",
    "chancellor", "secretary", "sen", "senator", "rep", "representative", "congressman", "congresswoman",
    "gov", "governor", "mayor", "gen", "general", "adm", "admiral", "col", "colonel", "lt", "sgt", "capt",
    "captain", "judge", "justice", "king", "queen", "prince", "princess", "pope", "sheikh", "ayatollah",
    "chairman", "chairwoman", "chair", "leader", "supreme", "speaker", "ambassador", "envoy", "spokesman",
    "spokeswoman", "spokesperson", "press", "deputy", "foreign", "defense", "defence", "attorney", "director",
    "chief", "commander", "comrade", "sir", "lord", "lady", "dame", "rev", "reverend", "father", "sister",
    "former", "first", "state", "security", "national", "special", "counsel", "executive", "officer",
}
# Words that make a name an institution's.
ORG_WORDS = {
    "party", "ministry", "department", "council", "committee", "commission", "agency", "office", "court",
    "university", "institute", "foundation", "association", "union", "organization", "organisation",
    "bank", "fund", "group", "company", "corporation", "corp", "inc", "ltd", "news", "times", "post",
    "journal", "army", "navy", "forces", "force", "guard", "police", "service", "bureau", "administration",
    "parliament", "assembly", "congress", "senate", "house", "government", "cabinet", "network", "press",
    "media", "center", "centre", "board", "authority", "federation", "league", "alliance", "front",
    "movement", "church", "club", "airlines", "industries", "international", "republic", "kingdom",
}
# Words that make a name a document, law, plan or event's: "other", never a person.
ISSUE_WORDS = {
    "act", "bill", "law", "agreement", "accord", "accords", "treaty", "deal", "plan", "program", "programme",
    "report", "assessment", "initiative", "summit", "conference", "war", "crisis", "policy", "protocol",
    "resolution", "amendment", "constitution", "election", "elections", "day", "week", "change", "project",
}
NOT_NAMES = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "i", "ok",
    "mr", "mrs", "ms", "dr", "am", "pm", "a.m.", "p.m.", "tv", "photo", "video", "read", "more",
}
_CONNECTORS = ("of the", "of", "for", "de", "al", "bin", "von", "van", "der", "la", "le", "du", "da")
_WORD = r"(?:[A-Z][\w’'&.\-]*[\w.]|[A-Z])"
_JOIN = "|".join(c.replace(" ", r"\s+") for c in _CONNECTORS)
_NAME = re.compile(rf"(?<![\w’']){_WORD}(?:(?:\s+(?:{_JOIN}))?\s+{_WORD})*")
# A name followed by one of these is, more often than not, a person's (organisations are caught first).
_SPEAKS = re.compile(r"(?:[’']s)?\s*,?\s+(?:said|says|told|tells|added|wrote|argued|asked|tweeted|who|whose)\b")
# Words ending in a full stop that do not end a sentence: initials, "U.S.", "Mr.", "Sen.", "Jr.".
_ABBREVIATION = re.compile(r"(?:[A-Z]\.)+|(?:Mr|Mrs|Ms|Dr|St|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Adm|Prof|Rev|Jr|Sr|"
                           r"Gov|Pres|Sec|No|Mt|Ft|Inc|Corp|Co|Ltd)\.")
# A title in lower case right before a name: "North Korean leader Kim Jong Un", "said Putin".
_TITLE_ALTERNATIVES = "|".join(sorted(TITLES, key=len, reverse=True))
_TITLE_BEFORE = re.compile(rf"(?:\b(?:{_TITLE_ALTERNATIVES})|\bsaid)\.?,?\s+$", re.IGNORECASE)
_LOWER_WORD = re.compile(r"(?<![\w’'.\-])[a-z][\w’'\-]*")
_SENTENCE_START = re.compile(r"^[\s\"“‘'(\[—–-]*$")
_POSSESSIVE = re.compile(r"[’']s$")


def _key(form: str) -> str:
    """Case, full stops, hyphens and middle initials do not tell two names apart."""
    words = re.sub(r"[.\u2019']", "", form.replace("-", " ")).casefold().split()
    return " ".join(w for i, w in enumerate(words) if not (0 < i < len(words) - 1 and len(w) == 1))


@cache
def _places() -> tuple[dict[str, tuple[str, str]], dict[str, str], dict[str, str]]:
    """``{key of a form or capital: (name, kind)}``, ``{adjective key: name}`` and ``{capital: country}``
    from the gazetteer."""
    table = pd.read_csv(PLACES_PATH, dtype=str, keep_default_na=False)
    forms, adjectives, capital_of = {}, {}, {}
    for name, kind, names, adjs, capitals in table[["name", "kind", "forms", "adjectives", "capital"]].itertuples(
            index=False):
        for form in [name, *names.split("|")]:
            if form:
                forms[_key(form)] = (name, kind)
        for adj in adjs.split("|"):
            if adj:
                adjectives[_key(adj)] = name
        for capital in capitals.split("|"):
            if capital:
                forms.setdefault(_key(capital), (capital, "other"))
                capital_of.setdefault(capital, name)
    return forms, adjectives, capital_of


def _clean_word(word: str) -> str:
    return _POSSESSIVE.sub("", word).rstrip(".") if not re.fullmatch(r"(?:[A-Z]\.)+", word) else word


def _has_org_word(words: list[str]) -> bool:
    return any(w.casefold() in ORG_WORDS for w in words)


def _is_breaker(word: str, lower: Counter) -> bool:
    """A capitalised word that ends a name: a month or day, "I'm", a modifier such as "Obama-era"."""
    if word.casefold() in NOT_NAMES or re.match(r"I[’']\w", word):
        return True
    _head, _, tail = word.partition("-")
    return bool(tail) and tail[:1].islower() and lower[tail.casefold()] >= 2


def _person_part(words: list[str], adjectives: dict[str, str]) -> tuple[list[str], bool]:
    """The name inside a longer capitalised run, and whether a title or a party said it is a person's:
    "Reuters President Donald Trump" -> "Donald Trump", "Republican Troy Balderson" -> "Troy Balderson",
    "Ted Cruz of Texas" -> "Ted Cruz"; "Supreme Court" and "Department of Justice" stay whole."""
    if _key(" ".join(words)) in _places()[0]:
        return words, False
    for j in range(len(words) - 2, -1, -1):
        rest = words[j + 1:]
        if words[j].casefold().rstrip(".") in TITLES and not _has_org_word(rest) and rest[0] not in _CONNECTORS:
            return rest, True
    i = 0
    while i < len(words) - 2 and _key(words[i]) in adjectives:
        i += 1
    if i and not _has_org_word(words[i:]):
        return words[i:], True
    for j, word in enumerate(words[1:], 1):
        if word in ("of", "for") and not _has_org_word(words[:j]) and \
                words[0].casefold().rstrip(".") not in TITLES:
            return words[:j], False
    return words, False


_PAIR = re.compile(r"(?<![\w’'])([A-Z][\w.’']*)-([A-Z][\w.’']*(?:\s+[A-Z][\w’']*)?)")


def _split_pairs(text: str, capital: Counter) -> str:
    """"U.S.-Russia talks", "the Trump-Putin summit": two names joined by a hyphen are two names (not
    "Ocasio-Cortez": its parts are not used alone)."""
    places = _places()[0]

    def split(m: re.Match) -> str:
        left, right = m.group(1), m.group(2)
        known = [_key(left) in places or capital[left] >= 3,
                 _key(right) in places or _key(right.split()[0]) in places or capital[right.split()[0]] >= 3]
        return f"{left} / {right}" if all(known) else m.group(0)

    return _PAIR.sub(split, text) if "-" in text else text


def _candidates(text: str, lower: Counter, capital: Counter, adjectives: dict[str, str]):
    """``(surface form, person evidence)`` for each name in a sentence: evidence is a title or party before
    it, or a reporting verb ("said", "told") or "who" after it."""
    text = _split_pairs(text, capital)
    for m in _NAME.finditer(text):
        speaks = bool(_SPEAKS.match(text, m.end()) or _TITLE_BEFORE.search(text[max(0, m.start() - 40):m.start()]))
        at_start = bool(_SENTENCE_START.match(text[:m.start()]))
        piece: list[str] = []
        pieces = []
        for word in m.group(0).split():
            if _is_breaker(word, lower):
                pieces.append((piece, at_start))
                piece, at_start = [], False
                continue
            piece.append(_clean_word(word))
            if word.endswith(".") and not _ABBREVIATION.fullmatch(word):  # "… Kim Jong Un. Kim and Putin …"
                pieces.append((piece, at_start))
                piece, at_start = [], False
        pieces.append((piece, at_start))
        for n, (words, first) in enumerate(pieces):
            last = n == len(pieces) - 1
            # The first word of a sentence is a name only if the corpus capitalises it inside sentences too.
            while words and (words[0].casefold() in FUNCTION_WORDS
                             or first and lower[words[0].casefold()] > capital[words[0]]):
                words, first = words[1:], False
            while words and words[-1] in _CONNECTORS:
                words = words[:-1]
            if not words:
                continue
            words, titled = _person_part(words, adjectives)
            form = " ".join(words)
            if len(form) < 2 or form.casefold() in NOT_NAMES or form.casefold() in FUNCTION_WORDS:
                continue
            common = len(words) == 1 and not form.isupper() and lower[form.casefold()] > 2 * capital[form] + 2
            if (_key(form) in adjectives or common or len(words) == 1 and form.casefold() in ORG_WORDS | TITLES) \
                    and _key(form) not in _places()[0]:
                continue  # "Russian", "Department", "President" alone are not actors, nor "Climate" in a heading
            yield form, titled or speaks and last


def _person_like(key: str, places: dict) -> bool:
    """Could this be a person's full name: two to four words, none an institution's, not a known place."""
    words = key.split()
    return 2 <= len(words) <= 4 and key not in places and not _has_org_word(words) and not _is_group(key) \
        and not any(w in ISSUE_WORDS for w in words)


def _is_group(key: str) -> bool:
    """"Ukrainians", "African Americans": a people named by a plural of a nationality."""
    last = key.split()[-1]
    adjectives = _places()[1]
    return last.endswith("s") and (last[:-1] in adjectives or last[:-2] in adjectives or last[:-1] + "n" in adjectives)


def _kind(name: str, evidence: int, n_mentions: int, place_kind: str | None) -> str:
    """The proposed kind; ``evidence`` counts the mentions after a title or before "said"."""
    if place_kind is not None:
        return place_kind if place_kind in ("state", "organization") else "other"
    if _is_group(_key(name)):
        return "group"
    words = name.split()
    if any(w.casefold() in ISSUE_WORDS for w in words):
        return "other"
    if _has_org_word(words) or re.fullmatch(r"[A-Z]{2,6}|(?:[A-Z]\.){2,5}", name):
        return "organization"
    if 2 <= len(words) <= 4 and evidence >= max(1, 0.05 * n_mentions) or evidence >= max(2, 0.1 * n_mentions):
        return "person"
    return "other"


def _fulls_of(short: str, by_part: dict, keys: Counter) -> list[str]:
    """The longer names of an article a one-word name may stand for: those ending with it ("Rand Paul"
    for "Paul"), else those beginning with it ("Kim Jong Un" for "Kim")."""
    fulls = [k for k in by_part.get(short, ()) if k in keys]
    last = [k for k in fulls if k.split()[-1] == short]
    return last or fulls


def _shared_note(surface: dict, short: str, votes: Counter, actor: str) -> str:
    others = [surface[f].most_common(1)[0][0] for f, _n in votes.most_common() if f != actor]
    more = f" and {len(others) - 3} more" if len(others) > 3 else ""
    return f"'{surface[short].most_common(1)[0][0]}' also names {', '.join(others[:3])}{more}"


def _slug(name: str, taken: set[str]) -> str:
    base = re.sub(r"\W+", "_", name.casefold()).strip("_") or "actor"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}_{n}", n + 1
    taken.add(slug)
    return slug


def suggest_actors(corpus, min_articles: int = 2, top: int | None = 100) -> pd.DataFrame:
    """Candidate actors of a corpus, in the actors-table format, most-named first.

    ``corpus`` is a ``Corpus`` (its body ``sentences`` are read). Returns the
    columns of ``SUGGEST_COLUMNS``: the actors-table columns (``id``, ``name``,
    ``kind`` in person | state | organization | other, ``aliases`` and
    ``surnames`` as "|"-joined strings, the role and metonym columns empty),
    then ``n_articles`` (articles naming the actor in any merged form),
    ``n_mentions``, ``example`` (the first sentence naming it in full) and
    ``note`` (a surname it shares with others, for the analyst to check). Only
    candidates named in at least ``min_articles`` articles, at most ``top``
    rows (None: all). ``load_actors`` reads the table back as written.

    >>> from analysis.load.corpus import load_texts
    >>> c = load_texts([{"file": f"{i}.txt", "text": t} for i, t in enumerate([
    ...     "Donald Trump met Kim Jong Un. Mr. Trump said Kim was a friend.",
    ...     "President Trump spoke to Kim Jong-un again."])])
    >>> suggest_actors(c).set_index("name").loc[["Donald Trump", "Kim Jong Un"], ["surnames", "n_articles"]]
                 surnames  n_articles
    name
    Donald Trump    Trump           2
    Kim Jong Un       Kim           2
    """
    forms_of_places, adjectives, capital_of = _places()
    sentences = corpus.sentences
    texts = as_list(sentences["text"])
    articles = as_list(sentences["article_id"])
    lower, capital = Counter(), Counter()
    for text in texts:
        lower.update(w.casefold() for w in _LOWER_WORD.findall(text))
        for m in _NAME.finditer(text):
            if not _SENTENCE_START.match(text[:m.start()]):
                capital.update(_clean_word(w) for w in m.group(0).split())

    # Every name found, by article, under its key.
    found = []  # (article, key, form, titled, sentence text)
    for article, text in zip(articles, texts):
        for form, titled in _candidates(text, lower, capital, adjectives):
            found.append((article, _key(form), form, titled, text))
    if not found:
        return pd.DataFrame(columns=SUGGEST_COLUMNS)

    surface = defaultdict(Counter)
    titled_count = Counter()
    example = {}
    per_article = defaultdict(Counter)  # article -> key -> mentions
    for article, key, form, titled, text in found:
        surface[key][form] += 1
        titled_count[key] += titled
        per_article[article][key] += 1
        if key not in example or len(example[key]) > 300 >= len(text):  # the first sentence short enough
            example[key] = text

    # Places and organisations: every form of one gazetteer entry is one candidate.
    place_of = {key: forms_of_places[key] for key in surface if key in forms_of_places}

    # One-word names used alone beside a longer name that starts or ends with them.
    long_keys = [k for k in surface if _person_like(k, forms_of_places)]
    by_part = defaultdict(list)
    for k in long_keys:
        parts = k.split()
        by_part[parts[-1]].append(k)
        if parts[0] != parts[-1]:
            by_part[parts[0]].append(k)
    # "Hillary Rodham Clinton" is Hillary Clinton when the corpus also writes that.
    # Not for initials: George H.W. Bush is not George W. Bush.
    middle = {k: f"{k.split()[0]} {k.split()[-1]}" for k in long_keys
              if len(k.split()) > 2 and f"{k.split()[0]} {k.split()[-1]}" in surface
              and all(len(w) > 2 for w in k.split()[1:-1])}

    owner_votes = defaultdict(Counter)  # surname key -> full key -> articles where they co-occur
    for keys in per_article.values():
        for short in keys:
            if len(short.split()) == 1 and short in by_part and short not in place_of \
                    and not surface[short].most_common(1)[0][0].isupper() \
                    and lower[short] <= 0.5 * sum(surface[short].values()):  # "City", "Change": common words
                fulls = _fulls_of(short, by_part, keys)
                for full in {middle.get(f, f) for f in fulls}:
                    owner_votes[short][full] += 1
    owner = {}
    for short, votes in owner_votes.items():
        full = votes.most_common(1)[0][0]
        # A first word used alone is a family name ("Kim", "Xi") only when it is used alone often;
        # "Donald" for Donald Trump is a given name met in passing.
        if full.split()[-1] == short or sum(surface[short].values()) >= 0.2 * sum(surface[full].values()):
            owner[short] = full

    # "EPA" is the Environmental Protection Agency when the corpus writes both.
    by_initials = defaultdict(list)
    for k in surface:
        words = [w for w in k.split() if w not in _CONNECTORS]
        if len(words) >= 2 and k not in place_of:
            by_initials["".join(w[0] for w in words)].append(k)
    acronym = {k: by_initials[k][0] for k in surface
               if len(by_initials.get(k, ())) == 1 and k not in place_of and len(k) >= 2
               and surface[k].most_common(1)[0][0].isupper()}

    def actor_of(article: str, key: str) -> str:
        key = acronym.get(key, key)
        if key in middle:
            return middle[key]
        if key in place_of:
            return "place:" + place_of[key][0]
        if key in owner:
            keys = per_article[article]
            fulls = _fulls_of(key, by_part, keys)
            full = max(fulls, key=lambda k: (keys[k], k)) if fulls else owner[key]
            return middle.get(full, full)
        return key

    members = defaultdict(Counter)  # actor -> member key -> mentions
    named_in = defaultdict(set)
    for article, keys in per_article.items():
        for key, n in keys.items():
            actor = actor_of(article, key)
            members[actor][key] += n
            named_in[actor].add(article)

    rows, taken, used = [], set(), set()
    ranked = sorted(members, key=lambda a: (-len(named_in[a]), -sum(members[a].values()), a))
    for actor in ranked:
        n_articles = len(named_in[actor])
        if n_articles < min_articles:
            continue
        keys = members[actor]
        place = place_of.get(next(iter(keys))) if actor.startswith("place:") else None
        surname_keys = [k for k in keys if len(k.split()) == 1 and k in owner_votes]
        full_keys = [k for k in keys if k not in surname_keys]
        if place:
            name, place_kind = place
        else:
            main = max(full_keys or keys, key=lambda k: (len(k.split()) > 1, keys[k], len(k)))
            name, place_kind = surface[main].most_common(1)[0][0], None
        n_full = sum(keys[k] for k in full_keys)
        # A first name used alone now and then ("Joe" for Joe Biden) is not a surname; "Kim", "Xi" are.
        surnames = sorted({surface[k].most_common(1)[0][0] for k in surname_keys
                           if k == _key(name).split()[-1] or keys[k] >= 0.2 * n_full})
        aliases = list(dict.fromkeys([name, *sorted({f for k in full_keys for f in surface[k]}, key=str.casefold)]))
        kind = _kind(name, sum(titled_count[k] for k in keys), sum(keys.values()), place_kind)
        if kind != "person":
            # Only a person's one-word names are surnames; an organisation's are its names.
            aliases = list(dict.fromkeys([*aliases, *surnames]))
            surnames = []
        note = "; ".join(_shared_note(surface, k, owner_votes[k], actor) for k in surname_keys
                         if len(owner_votes[k]) > 1)
        if place and place_kind == "other" and name in capital_of:
            note = f"capital of {capital_of[name]}: add it to that row's metonyms if it stands for the government"
        # A form goes to the higher-ranked row only, so that load_actors accepts the table as written.
        aliases = [a for a in aliases if _key(a) not in used]
        if not aliases:
            continue
        name = aliases[0] if _key(name) in used else name
        used.update(_key(a) for a in aliases)
        first_full = next((example[k] for k in full_keys if k in example), example[next(iter(keys))])
        rows.append({
            "id": _slug(name, taken), "name": name, "kind": kind, "parent": "",
            "aliases": "|".join(aliases), "surnames": "|".join(surnames), "roles": "", "role_from": "",
            "role_to": "", "metonyms": "", "adjectives": "", "n_articles": n_articles,
            "n_mentions": int(sum(keys.values())), "example": first_full[:300], "note": note,
        })
        if top is not None and len(rows) >= top:
            break
    return pd.DataFrame(rows, columns=SUGGEST_COLUMNS)
