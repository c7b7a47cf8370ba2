"""Who says what: direct quotations, their speakers and reporting verbs.

A quotation is the text between double quotation marks, curly (“…”) or
straight ("…"), found in the paragraph text so that it may run over several
sentences; a quotation left open at the end of a paragraph runs to its end
(the convention for quotes continued in the next paragraph). Single quotation
marks are not read as quotations: they are too often apostrophes or titles
('Breeze in Busan').

Each row has a ``kind``: ``direct`` when the quotation stands as what was
said (it opens its sentence, or follows "X said," / "X said:"); ``partial``
for quoted words inside the writer's own clause ("called the plan a
“disgrace”") and one- or two-word fragments without an attribution of their
own; ``indirect`` for reported speech without marks ("X said that …",
"…, X said.", "according to X, …").

The speaker is looked for in this order (column ``attribution``):

``after``
    after the closing mark, to the end of its clause (not the splitter's
    sentence, so "“…?” Clinton said." keeps its speaker): "“…,” Zelenskyy
    said", "“…,” said Dr. X", "“…,” he said", "“…” ― Rosa Delgado";
``before``
    before the opening mark: "Dr. Emily Carter, a strategist, commented, “…”"
    (an appositive between name and verb is skipped), "Said Ellis: “…”",
    "According to X, “…”", "Trump attacked Clinton, saying, “…”", or a
    paragraph ending "He said:" before a paragraph that opens with the quote;
``sentence``
    for a partial quotation only, the reporting clause of its sentence:
    "Zelenskyy said he believed Putin wanted … because he “does not want a
    sovereign Ukraine”" is Zelenskyy's, not Putin's;
``continuation``
    a quotation without attribution continues the speaker of the previous
    quotation or reported speaker of its paragraph, or of the previous
    paragraph's last quotation when it opens its paragraph;
``indirect``
    the subject of the reporting verb of an indirect quotation;
``none``
    no speaker found: scare quotes ("America First") and unattributed
    fragments keep ``speaker`` NA.

A pronoun speaker (he, she, they) is replaced by the nearest earlier speaker
of the same number in the article (he/she: a person or a singular phrase;
they: a group or a plural phrase), else by the nearest person named earlier,
and ``attribution`` says ``pronoun``; gender is not checked. A speaker is
resolved to an actor of the actors table when the speaker phrase ends in a
mention of it ("White House spokeswoman Karoline Leavitt", "the Ukrainian
president", "KCNA"); otherwise the phrase is kept as written ("Dr. Emily
Carter"). ``speaker_type`` says how it is written (named, pronoun,
description: "a senior official"), and ``speaker_name`` merges the variants
of one speaker: the actor's name, else the fullest name of the same surname
in the article ("Carter" after "Dr. Emily Carter" is "Emily Carter").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from operator import itemgetter

import pandas as pd

from analysis.load.text import quote_spans
from analysis.measure.actors import (
    FUNCTION_WORDS,
    actors_and_matcher,
    as_list,
    find_mentions,
    with_dtypes,
)

__all__ = ["QUOTE_COLUMNS", "REPORTING_VERBS", "find_quotes", "quote_spans", "quoted_speakers"]  # quote_spans: from load.text

# Reporting verbs as written (past, present and participle forms). Extend the
# tuple (or pass ``verbs=``) to add more.
REPORTING_VERBS = (
    "said", "says", "say", "saying", "told", "tells", "telling", "warned", "warns", "warning",
    "emphasized", "emphasised", "emphasizes", "emphasises", "stressed", "stresses", "declared",
    "declares", "called", "added", "adds", "commented", "stated", "noted", "insisted", "insists",
    "wrote", "writes", "argued", "argues", "claimed", "explained", "explains", "asserted",
    "announced", "revealed", "acknowledged", "admitted", "replied", "responded", "suggested",
    "suggesting", "urged", "urges", "cautioned", "predicted", "recalled", "remarked", "observed",
    "reported", "confirmed", "concluded", "tweeted", "posted", "continued", "asked",
    "complained", "conceded", "contended", "maintained", "reiterated", "reports", "recalls", "notes",
    "adding", "shouted", "joked", "read", "reads", "asking", "tweeting", "boasted", "writing", "noting",
    "arguing", "explaining", "declaring", "insisting", "urging", "claiming", "Said", "Says", "Asked", "asks", "demanded", "yells", "yelled", "quipped", "wondered", "acknowledges", "testified",
)

_VERB_WORDS = set(REPORTING_VERBS)

QUOTE_COLUMNS = [
    "article_id", "file", "outlet", "date", "paragraph", "sentence", "last_sentence", "quote",
    "start", "end", "n_words", "speaker", "speaker_actor", "speaker_text", "verb", "attribution",
    "kind", "speaker_type", "speaker_name",
]

_PRONOUNS = {"he", "she", "they"}
_DETERMINERS = {"the", "a", "an", "another", "one", "two", "three", "several", "some", "many", "his", "her",
                "their", "its", "other", "both"}
_HONORIFIC_WORDS = {"mr.", "mrs.", "ms.", "dr.", "prof.", "gen.", "sen.", "rep.", "gov.", "lt.", "col.", "sgt.",
                    "amb.", "rev.", "mr", "mrs", "ms", "dr", "president", "senator", "governor", "del.", "judge"}
_ABBREVIATIONS = {"Dr.", "Mr.", "Mrs.", "Ms.", "Prof.", "Gen.", "Sen.", "Rep.", "Gov.", "Lt.", "Col.",
                  "Sgt.", "St.", "Jr.", "Sr.", "Amb.", "Rev.", "Del.", "Rep", "Sen", "Gov", "U.S.", "U.N.", "U.K.", "E.U.", "N.", "S."}
# Lower-case words that belong to a speaker phrase ("White House spokeswoman Karoline Leavitt").
_ROLE_WORDS = {
    "president", "leader", "chancellor", "minister", "prime", "secretary", "secretary-general",
    "general", "envoy", "special", "ambassador", "spokeswoman", "spokesman", "spokesperson",
    "press", "foreign", "defense", "defence", "chief", "official", "officials", "agency", "news",
    "state", "ministry", "government", "office", "deputy", "adviser", "advisor", "commander",
    "senior", "analyst", "strategist", "director", "head", "mayor", "governor", "senator",
    # heads of descriptions kept as unnamed sources ("a senior official said", "the union wrote")
    "source", "sources", "aide", "aides", "narrator", "businessman", "businesswoman", "candidate", "nominee",
    "lawmaker", "lawmakers", "experts", "expert", "critics", "analysts", "residents", "witnesses", "police",
    "campaign", "operative", "union", "committee", "report", "statement", "memo", "officer", "officers",
    "lawyer", "lawyers", "attorney", "attorneys", "researchers", "scientist", "scientists", "economist",
    "economists", "representative", "representatives", "woman", "man", "voter", "voters", "supporters",
    "protesters", "activist", "activists", "organizers", "executive", "executives", "professor", "chairman",
    "chairwoman", "judge", "authorities", "department", "spokespeople", "staff", "leaders", "members",
    "member", "group", "organization", "organisation", "party", "administration", "republicans", "democrats",
    "investigators", "prosecutors", "diplomats", "diplomat", "observers", "insiders", "advisers", "advisors",
    "host", "anchor", "correspondent", "writer", "columnist", "historian", "scholar", "consultant", "article",
    "letter", "friend", "lawsuit", "filing", "complaint", "ad", "video",
}
_CONNECTORS = {"of", "von", "der", "de", "van", "al", "bin", "la", "le", "du", "da"}
_AUX_TAIL = re.compile(
    r"(?:\s+(?:has|have|had|also|later|then|again|previously|earlier|further|once|already|"
    r"separately|would|will|is|was|has\s+also|\w+ly))+\s*$"
)
_STOP_CAPS = {"The", "A", "An", "On", "In", "At", "But", "And", "As", "When", "While", "If", "After",
              "Before", "Speaking", "According", "However", "Meanwhile", "It", "This", "That",
              "There", "Here", "Some", "Others", "Many", "Analysts", "Critics", "Experts", "Officials"}
_QUOTE_MARKS = "“”\""
_POSSESSIVE_TAIL = re.compile(r"(?:['’]s)?\s*")
_LEADING_THE = re.compile(r"^(?:the|The)\s+")
_LEAD = re.compile(r"[\s,;:–—―-]*")
_TOKEN = re.compile(r"\S+")
_STOP_OR_CONNECTOR = _STOP_CAPS | _CONNECTORS
_AUX_GAP = re.compile(r"(?:\s+(?:has|have|had|also|later|then|\w+ly))*\s+")


def _verb_regex(verbs) -> re.Pattern:
    alternatives = "|".join(sorted(map(re.escape, verbs), key=len, reverse=True))
    return re.compile(rf"(?<![\w’'-])({alternatives})(?![\w’'-])")


def _is_name_token(word: str) -> bool:
    return word in _ABBREVIATIONS or (word[:1].isupper() and any(c.isalpha() for c in word))


def _core(word: str) -> tuple[str, bool]:
    """The word without trailing punctuation, and whether punctuation ended it."""
    if word in _ABBREVIATIONS or _INITIAL_DOT.fullmatch(word):  # "John D. Podesta": an initial does not end it
        return word, False
    core = word.rstrip(",.;:!?)”\"–—")
    return core, core != word


_BACKWARD_WINDOW = 1000  # characters before a reporting verb read first for its subject phrase
_UNSURE = object()
_TRAILING_PARENTHESIS = re.compile(r"\s*\([^()]*\)\s*$")


def _phrase_backward(text: str, end: int) -> tuple[int, int] | None:
    """Span of the subject phrase ending at ``end`` ("Dr. Emily Carter", "he", "the Ukrainian president").

    Only the last ``_BACKWARD_WINDOW`` characters before ``end`` are read,
    unless the answer could depend on text before them (then all of it):
    reading the whole paragraph for every verb made a paragraph of n
    sentences cost n² (4,000 sentences in one paragraph took 71 s).
    """
    lo = max(0, end - _BACKWARD_WINDOW)
    if lo > 0:
        span = _phrase_backward_from(text, lo, end)
        if span is not _UNSURE:
            return span
    return _phrase_backward_from(text, 0, end)


def _phrase_backward_from(text: str, lo: int, end: int):
    """:func:`_phrase_backward` reading ``text[lo:end]``; ``_UNSURE`` if the text before ``lo`` could matter."""
    s = text[lo:end]
    aux = _AUX_TAIL.search(s)  # a run of these that began before lo leaves at most one token: unsure below
    if aux:
        s = s[:aux.start()]
    if s.rstrip().endswith(")"):  # "Rep. Gwen Moore (D-Wis.) said": skip the parenthesis
        paren = _TRAILING_PARENTHESIS.search(s)
        if paren is None:
            return _UNSURE if lo > 0 else None
        s = s[:paren.start()]
    if s.rstrip().endswith(","):  # "Name, an appositive, said": skip the appositive
        s = s.rstrip()[:-1]
        cut = s.rfind(",")
        if cut < 0 and lo > 0:  # the comma may be before lo
            return _UNSURE
        s = s[:cut] if cut >= 0 else s
    tokens = list(_TOKEN.finditer(s))
    if not tokens:
        return _UNSURE if lo > 0 else None
    if lo > 0 and len(tokens) == 1:  # the only token may be the end of a longer word
        return _UNSURE
    last = tokens[-1].group()
    if last.casefold() in _PRONOUNS:
        return lo + tokens[-1].start(), lo + tokens[-1].end()
    start = None
    for k in range(len(tokens) - 1, -1, -1):
        if k == 0 and lo > 0:  # the walk reached the first token, which may be cut
            return _UNSURE
        t = tokens[k]
        word = t.group()
        core, cut = _core(word)
        if cut or word[0] in _QUOTE_MARKS or not core:
            break
        if _is_name_token(core) or core.casefold() in _ROLE_WORDS or (start is not None and core in _CONNECTORS):
            start = t.start()
            continue
        if core.casefold() in _DETERMINERS and start is not None:
            start = t.start()
        break
    if start is None:
        return None
    return _trim(text, lo + start, lo + tokens[-1].end())


def _phrase_forward(text: str, start: int) -> tuple[int, int] | None:
    """Span of the speaker phrase starting at ``start`` ("said Oleksandr Petrenko, …")."""
    end = head = None
    described = False  # "a senior council official": after a determiner, plain words up to the role word
    for i, t in enumerate(_TOKEN.finditer(text[start:])):
        word = t.group()
        core, cut = _core(word)
        if i == 0 and core.casefold() in _PRONOUNS:
            return start + t.start(), start + t.start() + len(core)
        if word[0] in _QUOTE_MARKS or not core:
            break
        described = described or (i == 0 and core.casefold() in _DETERMINERS)
        named = _is_name_token(core) or core.casefold() in _ROLE_WORDS
        ok = (named or (i == 0 and core.casefold() in _DETERMINERS) or (end is not None and core in _CONNECTORS)
              or (described and i <= 4 and core.isalpha() and core.islower() and core not in FUNCTION_WORDS
                  and core not in _VERB_WORDS))
        if not ok:
            break
        end = start + t.start() + len(core)
        head = end if named else head
        if cut:
            break
    if described and head is not None:
        end = head
    return None if end is None else _trim(text, start + (len(text[start:]) - len(text[start:].lstrip())), end)


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Drop leading articles/connectors; None unless a real name or role word remains."""
    words = list(_TOKEN.finditer(text[start:end]))
    while words and (words[0].group() in _STOP_OR_CONNECTOR or words[0].group().casefold() in FUNCTION_WORDS):
        words.pop(0)
    while words and words[-1].group() in _CONNECTORS:
        words.pop()
    names = [w.group() for w in words if _is_name_token(w.group()) and w.group() not in _STOP_CAPS]
    if not names:
        return _description(text, start, end)
    return start + words[0].start(), start + words[-1].end()


def _description(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A speaker described, not named ("a senior official", "the union", "sources"): its span, or None.

    Kept when the phrase ends in a role or source word; a leading determiner
    stays ("a senior official"), so the phrase reads as written.
    """
    words = list(_TOKEN.finditer(text[start:end]))
    while words and words[0].group().casefold() not in _DETERMINERS and words[0].group().casefold() not in _ROLE_WORDS:
        words.pop(0)
    if not words or words[-1].group().rstrip(",.").casefold() not in _ROLE_WORDS:
        return None
    if len(words) == 1 and words[0].group().casefold() in _DETERMINERS:
        return None
    return start + words[0].start(), start + words[-1].end()


_PARENTHESIS = re.compile(r"\s*\([^)]*\)")
_CLAUSE_STOP = re.compile(r"[!?;“”\"\n]|\.(?=\s|$)")


def _clause_end(text: str, start: int, limit: int) -> int:
    """Where the clause that begins at ``start`` ends: a sentence end (not "Rep." or "F."), a quotation
    mark, or ``limit``."""
    for m in _CLAUSE_STOP.finditer(text, start, limit):
        if m.group() == ".":
            word = text[max(text.rfind(" ", start, m.end()), text.rfind("\n", start, m.end()), start - 1) + 1:m.end()]
            if word in _ABBREVIATIONS or _INITIAL_DOT.fullmatch(word):
                continue
        return m.start()
    return limit


_INITIAL_DOT = re.compile(r"(?:[A-Z]\.)+")


_ACCORDING = re.compile(r"(?<!\w)[Aa]ccording\s+to\s+(?=\S)")
_PREPOSITION_START = re.compile(r"\s*(?:In|At|On|During|After|Before|Since|While|When|As|Speaking|Earlier|Later)\b[^,]*,")


def _clause_subject(text: str, lo: int, end: int) -> tuple[int, int] | None:
    """The subject opening the clause ``text[lo:end]`` (an opening "In a speech on Monday," skipped): the
    speaker of "Trump attacked Clinton, saying, “…”"."""
    intro = _PREPOSITION_START.match(text, lo, end)
    start = intro.end() if intro else lo
    start += len(text[start:end]) - len(text[start:end].lstrip())
    first = _TOKEN.match(text, start, end)
    if first is None or first.group() in _STOP_CAPS or first.group().casefold() in _PRONOUNS:
        return (first.start(), first.end()) if first and first.group().casefold() in _PRONOUNS else None
    span = _phrase_forward(text, start)
    return span if span and span[1] <= end else None


class _Attributor:
    """Finds the speaker of each quotation of one paragraph."""

    def __init__(self, verbs):
        self.verbs = _verb_regex(verbs)
        self.verb_at_end = re.compile(rf"(?:{self.verbs.pattern})(?:\s+[\w’'.-]+){{0,6}}?\s*[,:]?\s*$")

    def after(self, text: str, pos: int, limit: int):
        """"“…,” Zelenskyy said" / "“…,” said X" / "“…” ― X" right after the closing mark, in its clause.

        ``limit`` is the next opening mark or the paragraph's end, not the
        sentence's: a splitter that breaks after "?”" must not cut "Clinton said." off.
        """
        rest = text[pos:limit]
        lead = _LEAD.match(rest).end()
        if any(c in ".!?" for c in rest[:lead]) or lead == len(rest):
            return None
        start = pos + lead
        stop = _clause_end(text, start, limit)
        if any(c in "—―" for c in rest[:lead]):  # "“…” ― Azucena Gonzàlez": a dash, then the name
            span = _phrase_forward(text, start)
            return (span, None) if span and span[1] <= stop else None
        m = self.verbs.match(text, start)
        if m:
            span = _phrase_forward(text, m.end())
            return (span, m.group(1)) if span and span[1] <= stop else None
        v = self.verbs.search(text, start, stop)
        if v is None or len(text[start:v.start()].split()) > 12:
            return None
        span = _phrase_backward(text, v.start())
        if span and span[0] >= start:
            return span, v.group(1)
        comma = text.find(",", start, v.start())
        span = _loose_subject(text, start, comma if comma >= 0 else v.start())
        return (span, v.group(1)) if span else None

    def before(self, text: str, lo: int, pos: int):
        """"X said, “…”" / "X, a strategist, commented: “…”" / "Said Ellis: “…”" / "According to X, “…”" /
        "…, the announcer said, “…”" / "Trump attacked Clinton, saying, “…”" right before the opening mark."""
        chunk = text[lo:pos]
        according = _ACCORDING.search(chunk)
        if according:
            span = _phrase_forward(text, lo + according.end())
            if span:
                return span, "according to"
        m = self.verb_at_end.search(chunk)
        if not m:
            return None
        verb = lo + m.start()
        span = _phrase_backward(text, verb) or _loose_subject(text, lo, verb)
        if span is None:  # "Said Ellis:": the speaker after the verb
            span = _phrase_forward(text, lo + m.end(1))
            if span and text[span[1]:pos].strip(" ,:") != "":
                span = None
        if span is None and m.group(1).endswith("ing"):  # "X attacked Clinton …, saying,": the clause's subject
            span = _clause_subject(text, lo, verb)
        return (span, m.group(1)) if span else None

    def clause(self, text: str, lo: int, hi: int, quotes, q0: int, q1: int):
        """The reporting clause of the sentence around a partial quotation."""
        found = []
        for m in self.verbs.finditer(text, lo, hi):
            if any(a <= m.start() < b for a, b in quotes):
                continue
            inner = [b for a, b in quotes if b <= m.start()]
            left = max([lo] + [b + 1 for b in inner])
            span = _phrase_backward(text, m.start()) if m.start() > left else None
            if span and span[0] >= left:
                found.append((span, m.group(1), m.start()))
        before = [f for f in found if f[2] < q0]
        after = [f for f in found if f[2] >= q1]
        best = before[-1] if before else (after[0] if after else None)
        return (best[0], best[1]) if best else None


def _resolve(span, para_mentions: list[tuple[int, int, bool, str]], text: str):
    """Actor id of the mention that ends the speaker phrase, or None.

    ``para_mentions`` holds ``(start, end, is_person, actor)`` per mention of
    the paragraph (offsets in the paragraph text), in reading order. Of the
    mentions inside the phrase the head is the one ending last; at the same
    end a person wins over a state or organisation, then the later mention.
    """
    head = None
    for m in para_mentions:
        if m[0] >= span[0] and m[1] <= span[1] and (head is None or m[1:3] >= head[1:3]):
            head = m
    if head is None:
        return None
    return head[3] if _POSSESSIVE_TAIL.fullmatch(text, head[1], span[1]) else None


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """``quote_spans``, reading a closing mark that opens the paragraph (”What is …”, a typesetting slip) as an
    opening one: same offsets, since one character stands for another."""
    lead = len(text) - len(text.lstrip())
    if text[lead:lead + 1] == "”":
        text = text[:lead] + "“" + text[lead + 1:]
    return quote_spans(text)


def _prefix_kind(prefix: str) -> str:
    """How a quotation opens its sentence: ``start`` (nothing before it), ``frame`` (after "X said," or
    "X said:") or ``inline`` (inside the writer's own clause: "called it a “disgrace”")."""
    p = prefix.rstrip()
    if not p or p[-1] in "—–―-.!?":  # a sentence end the splitter did not see ("… this week. “It’s …”") is one
        return "start"
    return "frame" if p[-1] in ",:" else "inline"


def speaker_type(phrase) -> str:
    """``named`` ("Mr. Trump"), ``pronoun`` ("she"), ``description`` ("a senior official", "the
    president") or ``none`` (no speaker phrase), from the phrase as written."""
    if phrase is None or pd.isna(phrase) or not str(phrase).strip():
        return "none"
    words = str(phrase).split()
    if len(words) == 1 and words[0].casefold() in _PRONOUNS:
        return "pronoun"
    if words[0].casefold() in _DETERMINERS or not _is_name_token(words[-1].rstrip(",.")):
        return "description"
    return "named"


def _same_number(pronoun: str, event) -> bool:
    """Whether an earlier speaker can be the antecedent of ``pronoun``: he/she a person, they a group."""
    plural = pronoun.casefold() == "they"
    last = event[2].split()[-1] if event[2] else ""
    group = event[3] == "plural" or (event[1] is not None and event[1] not in event[4])
    return group if plural else not group and not (last.islower() and last.endswith("s"))


def _inside(opens: list[int], quotes: list[tuple[int, int]], pos: int) -> bool:
    """Whether ``pos`` is inside one of ``quotes`` (sorted, not overlapping; ``opens`` their starts): a bisect."""
    k = bisect_right(opens, pos) - 1
    return k >= 0 and pos < quotes[k][1]


def _antecedent(prior: list[tuple]) -> tuple:
    """The nearest earlier speaker; the nearest earlier person named only when nobody has spoken yet.

    A pronoun that says something is far more often the last speaker than the last person mentioned
    ("Zelenskyy said Putin wanted … “…,” he said" is Zelenskyy's)."""
    spoke = [e for e in prior if e[5]]
    return max(spoke or prior, key=lambda e: e[0])


def _surname_key(name: str) -> str:
    words = [w for w in name.replace("’s", "").replace("'s", "").split() if w.casefold() not in _HONORIFIC_WORDS]
    return words[-1].strip(",.").casefold() if words else ""


def _plain_name(name: str) -> str:
    """"Dr. Emily Carter" -> "Emily Carter", "Transport Minister Karin Holt" -> "Karin Holt": the name without
    its titles, honorifics and role words (the trailing run of name words)."""
    words = name.split()
    k = len(words)
    while k > 0 and _is_name_token(words[k - 1]) and words[k - 1].casefold() not in _HONORIFIC_WORDS \
            and words[k - 1].casefold() not in _ROLE_WORDS:
        k -= 1
    return " ".join(words[k:]) or name


# A person's name as written: two or three capitalised words ("Maria Lopez", "John D. Podesta").
_PERSON_NAME = re.compile(r"\b([A-Z][a-z’'-]+)(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-z’'-]+){1,2}\b")
_NOT_PERSON_ENDS = {"House", "Times", "Post", "Party", "Committee", "Department", "University", "Institute",
                    "Council", "Court", "Street", "States", "Union", "News", "Association", "Center", "Centre",
                    "Ministry", "Office", "Bank", "Journal", "Company", "Corporation", "Agency", "Service", "City",
                    "County", "Republic", "Kingdom", "Nations", "Senate", "Congress", "Foundation", "Group"}


def _loose_subject(text: str, start: int, verb_start: int) -> tuple[int, int] | None:
    """"…, the chamber of commerce said": a short subject between the last comma (or ``start``) and the verb,
    opening with a determiner or a capitalised word, for what ``_phrase_backward`` does not read."""
    cut = text.rfind(",", start, verb_start)
    begin = cut + 1 if cut >= 0 else start
    subject = _PARENTHESIS.sub("", text[begin:verb_start])
    aux = _AUX_TAIL.search(subject)
    subject = subject[:aux.start()] if aux else subject
    words = subject.split()
    if not words or len(words) > 6 or not (words[0].casefold() in _DETERMINERS or _is_name_token(words[0])):
        return None
    if words[0].casefold() not in _DETERMINERS and not all(  # a name: no verb or preposition inside it
            _is_name_token(w) or w.casefold() in _ROLE_WORDS or w in _CONNECTORS for w in words):
        return None
    lead = len(subject) - len(subject.lstrip())
    return begin + lead, begin + len(subject.rstrip())


def _merge_names(rows: list[list], i_type: int, i_actor: int, i_speaker: int, i_name: int) -> None:
    """Within one article, an unregistered named speaker takes the fullest name of its surname ("Carter" ->
    "Emily Carter"); registered speakers already carry the actors table's name."""
    fullest: dict[str, str] = {}
    for r in rows:
        if r[i_type] == "named" and r[i_actor] is None and r[i_speaker]:
            plain = _plain_name(r[i_speaker])
            key = _surname_key(plain)
            if key and len(plain.split()) > len(fullest.get(key, "").split()):
                fullest[key] = plain
    for r in rows:
        if r[i_type] == "named" and r[i_actor] is None and r[i_speaker]:
            plain = _plain_name(r[i_speaker])
            r[i_name] = fullest.get(_surname_key(plain), plain)
        elif r[i_type] == "pronoun" and r[i_actor] is None and r[i_speaker]:
            plain = _plain_name(r[i_speaker]) if speaker_type(r[i_speaker]) == "named" else r[i_speaker]
            r[i_name] = fullest.get(_surname_key(plain), plain)
        else:
            r[i_name] = r[i_speaker]


def find_quotes(corpus, actors=None, mentions: pd.DataFrame | None = None, verbs=REPORTING_VERBS,
                indirect: bool = True) -> pd.DataFrame:
    """Quotations in the body paragraphs of ``corpus``, with speaker and verb.

    ``corpus`` as for ``analysis.measure.actors.find_mentions``; pass ``mentions``
    (its result) to avoid finding them twice, and ``actors`` for your own
    actors table. ``verbs`` is the list of reporting verbs (``REPORTING_VERBS``);
    ``indirect=False`` leaves out the indirect quotations.

    Returns one row per quotation (``QUOTE_COLUMNS``): ``article_id``,
    ``file``, ``outlet``, ``date``, ``paragraph``, ``sentence`` and
    ``last_sentence`` (0-based sentences where it opens and closes),
    ``quote`` (the text inside the marks; for an indirect quotation the
    reported clause), ``start``/``end`` (character offsets of ``quote``
    **within the paragraph text**), ``n_words``, ``speaker`` (actor name when
    resolved, a pronoun's antecedent, else the phrase as written; NA when
    unknown), ``speaker_actor`` (actor id or NA), ``speaker_text`` (as
    written, e.g. "he"), ``verb`` (reporting verb as written or NA),
    ``attribution`` (after | before | sentence | continuation | pronoun |
    indirect | none), ``kind`` (``direct``: a quotation standing as what was
    said; ``partial``: quoted words inside the writer's own sentence, scare
    quotes and one- or two-word fragments without an attribution of their
    own; ``indirect``: "X said that …" without quotation marks),
    ``speaker_name`` (the merged name: the actors table's name, else the
    fullest name of the same surname the article gives the speaker, else the
    phrase; read this one to count speakers) and ``speaker_type`` (named |
    pronoun | description | none, from the phrase as written).
    """
    # Long by design: one pass over the paragraphs carrying the state a reader carries (the last
    # speaker, an open quotation); split, that state would travel through every helper.
    registry, _ = actors_and_matcher(actors)
    names = dict(zip(registry["id"].tolist(), registry["name"].tolist()))
    person = {a for a, k in zip(registry["id"].tolist(), registry["kind"].tolist()) if k == "person"}
    if mentions is None:
        mentions = find_mentions(corpus, registry)
    # Plain lists and dicts from here on: pandas row access per quotation cost
    # far more than the text work.
    sents = corpus.sentences
    keys = ("article_id", "paragraph", "sentence")
    sent_cols = [sents[c].tolist() for c in keys + ("start", "end")]
    offsets = {(a, p, i): start for a, p, i, start, _ in zip(*sent_cols)}
    bounds: dict[tuple, list[tuple[int, int, int]]] = {}
    for a, p, i, start, end in sorted(zip(*sent_cols)):
        bounds.setdefault((a, p), []).append((i, start, end))
    by_para: dict[tuple, list[tuple[int, int, bool, str]]] = {}
    for a, p, i, start, end, actor in zip(*(mentions[c].tolist() for c in keys + ("start", "end", "actor"))):
        offset = offsets.get((a, p, i))
        if offset is not None:  # a mention of no known sentence can head no speaker phrase
            by_para.setdefault((a, p), []).append((start + offset, end + offset, actor in person, actor))
    body = corpus.paragraphs[corpus.paragraphs["kind"] == "body"]
    para_cols = ("article_id", "paragraph", "text", "file", "outlet", "date")
    attributor = _Attributor(verbs)
    rows: list[list] = []
    article_rows: list[list] = []
    current = None

    def event_of(pos, actor, phrase, spoke=True):  # what a pronoun may point to: (position, actor, phrase,
        last = phrase.split()[-1] if phrase else ""  # number, person ids, whether it was a speaker)
        return pos, actor, phrase, "plural" if last.islower() and last.endswith("s") else "singular", person, spoke

    for article_id, paragraph, text, file, outlet, date in sorted(
            zip(*(as_list(body[c]) for c in para_cols)), key=itemgetter(0, 1)):
        if article_id != current:  # sorted: an article's paragraphs are contiguous
            if article_rows:
                _merge_names(article_rows, 17, 12, 11, 18)
            current = article_id
            article_rows = []
            events: list[tuple] = []  # ((paragraph, offset), actor, phrase, number, person)
            carried = None  # the last direct quotation of the previous paragraph, when it had a speaker
            frame = None  # the previous paragraph's closing "X said:", for a quotation opening this one
            last_text, last_pm = "", []
        sb = bounds.get((article_id, paragraph), [])
        pm = by_para.get((article_id, paragraph), [])
        quotes = _quote_spans(text)
        clause_events = []
        indirect_rows = []
        for s_i, lo, hi in sb:  # indirect-speech subjects, for resolving later pronouns
            for m in attributor.verbs.finditer(text, lo, hi):
                if any(a <= m.start() < b for a, b in quotes):
                    continue
                span = _phrase_backward(text, m.start()) or _loose_subject(text, lo, m.start())
                if not span or span[0] < lo:
                    continue
                spoken = text[span[0]:span[1]]
                if spoken.casefold() not in _PRONOUNS:
                    clause_events.append(event_of((paragraph, m.start()), _resolve(span, pm, text), spoken))
                if indirect:
                    content = _indirect_content(text, lo, hi, span, m, quotes)
                    if content:
                        indirect_rows.append((s_i, content, span, m.group(1)))
            for m in _ACCORDING.finditer(text, lo, hi) if indirect else ():  # "…, according to a campaign aide."
                span = _phrase_forward(text, m.end())
                if span is None or any(a <= m.start() < b for a, b in quotes):
                    continue
                rest = text[span[1]:hi].strip(" .!?")
                if rest.startswith(","):  # "According to X, …": what follows
                    c0, c1 = span[1] + 1 + (len(text[span[1] + 1:hi]) - len(text[span[1] + 1:hi].lstrip())), hi
                elif rest == "" and text[lo:m.start()].rstrip().endswith(","):  # "…, according to X."
                    c0, c1 = lo, lo + len(text[lo:m.start()].rstrip()) - 1
                else:
                    continue
                c1 = len(text[:c1].rstrip(" .!?”\"’'"))
                if len(text[c0:c1].split()) >= 3:
                    indirect_rows.append((s_i, (c0, c1), span, "according to"))
        opens = [a for a, _ in quotes]
        mentioned = set()
        for start, end, is_person, actor in pm:  # people named, speaking or not: what "he" and "she" may point to
            mentioned.update(range(start, end))
            if is_person and not _inside(opens, quotes, start):
                clause_events.append(event_of((paragraph, start), actor, names[actor], spoke=False))
        for m in _PERSON_NAME.finditer(text):
            if not _inside(opens, quotes, m.start()) and m.group(1) not in _STOP_CAPS and m.start() not in mentioned \
                    and m.group().split()[-1] not in _NOT_PERSON_ENDS:
                clause_events.append(event_of((paragraph, m.start()), None, m.group(), spoke=False))
        previous = None
        para_rows = []
        for k, (q0, q1) in enumerate(quotes):
            s0 = _sentence_at(sb, q0 - 1)
            s1 = _sentence_at(sb, max(q0, q1 - 1))
            lo = next((a for i, a, _ in sb if i == s0), 0)
            hi = next((b for i, _, b in sb if i == s1), len(text))
            prev_close = max([b + 1 for a, b in quotes if b < q0] + [lo])
            opening = _prefix_kind(text[prev_close:max(prev_close, q0 - 1)])
            closed = q1 < len(text)
            found, how = None, "none"
            if closed:
                nxt = text.find("“", q1 + 1)
                found = attributor.after(text, q1 + 1, nxt if nxt > 0 else len(text))
                how = "after" if found else how
            if not found and opening != "inline":
                found = attributor.before(text, prev_close, q0 - 1)
                how = "before" if found else how
            if not found and opening == "inline":
                found = attributor.clause(text, lo, hi, quotes, q0, q1)
                how = "sentence" if found else how
            speaker = actor = spoken = verb = None
            if found:
                span, verb = found
                spoken = text[span[0]:span[1]]
                if spoken.casefold() in _PRONOUNS:
                    here = (paragraph, q0)
                    prior = [e for e in events + clause_events if e[0] < here and _same_number(spoken, e)]
                    if prior:
                        _, actor, speaker = _antecedent(prior)[:3]
                        how = "pronoun"
                    else:
                        how = "none"
                else:
                    actor, speaker = _resolve(span, pm, text), spoken
            elif opening != "inline" and previous is not None:
                speaker, actor, verb, spoken, how = previous[11], previous[12], previous[14], previous[13], "continuation"
            elif opening == "start" and (said := [e for e in clause_events if e[5] and e[0][1] < q0]):
                _, actor, speaker = said[-1][:3]  # "…, Schiff said. “The other factor …”": the last speaker
                spoken, how = speaker, "continuation"
                if actor is not None:
                    speaker = names[actor]
            elif opening == "start" and k == 0 and q0 <= 1 and frame is not None:  # "He said:" ¶ "…"
                span, verb = frame
                spoken, how = last_text[span[0]:span[1]], "before"
                if spoken.casefold() in _PRONOUNS:
                    prior = [e for e in events if _same_number(spoken, e)]
                    if prior:
                        _, actor, speaker = _antecedent(prior)[:3]
                        how = "pronoun"
                else:
                    actor, speaker = _resolve(span, last_pm, last_text), spoken
            elif opening == "start" and k == 0 and q0 <= 1 and carried is not None:
                speaker, actor, verb, spoken, how = carried[11], carried[12], carried[14], carried[13], "continuation"
            if speaker is not None and actor is None:
                speaker = _LEADING_THE.sub("", speaker)
            if actor is not None:
                speaker = names[actor]
                events.append(event_of((paragraph, q0), actor, speaker))
            elif speaker is not None and how != "pronoun":
                events.append(event_of((paragraph, q0), None, speaker))
            n_words = len(text[q0:q1].split())
            attributed = how in ("after", "before", "pronoun") or (how == "none" and spoken)
            kind = "direct" if opening != "inline" and (n_words > 2 or attributed) else "partial"
            row = [article_id, file, outlet, date, paragraph, s0, s1, text[q0:q1], q0, q1, n_words,
                   speaker, actor, spoken, verb, how if speaker is not None else "none", kind,
                   speaker_type(spoken), None]  # QUOTE_COLUMNS order
            para_rows.append(row)
            previous = row if speaker is not None else previous
        last_text, last_pm = text, pm
        frame = attributor.before(text, sb[-1][1] if sb else 0, len(text.rstrip())) if text.rstrip().endswith(":") \
            else None
        direct_rows = [r for r in para_rows if r[16] == "direct"]
        carried = direct_rows[-1] if direct_rows and direct_rows[-1][11] is not None else None
        for s_i, (c0, c1), span, verb in indirect_rows:
            spoken = text[span[0]:span[1]]
            speaker, actor, how = spoken, _resolve(span, pm, text), "indirect"
            if spoken.casefold() in _PRONOUNS:
                actor = speaker = None
                prior = [e for e in events + clause_events if e[0] < (paragraph, c0) and _same_number(spoken, e)]
                if prior:
                    _, actor, speaker = _antecedent(prior)[:3]
            elif actor is None:
                speaker = _LEADING_THE.sub("", speaker)
            if actor is not None:
                speaker = names[actor]
            para_rows.append([article_id, file, outlet, date, paragraph, s_i, s_i, text[c0:c1], c0, c1,
                              len(text[c0:c1].split()), speaker, actor, spoken, verb,
                              how if speaker is not None else "none", "indirect", speaker_type(spoken), None])
        para_rows.sort(key=itemgetter(8))
        rows.extend(para_rows)
        article_rows.extend(para_rows)
        events.extend(clause_events)
        events.sort(key=lambda e: e[0])
    if article_rows:
        _merge_names(article_rows, 17, 12, 11, 18)
    out = pd.DataFrame(rows, columns=QUOTE_COLUMNS)
    for col in ("speaker", "speaker_actor", "speaker_text", "verb", "speaker_name"):
        out[col] = out[col].astype("string")
    return with_dtypes(out, {"paragraph": "int64", "sentence": "int64", "last_sentence": "int64",
                              "start": "int64", "end": "int64", "n_words": "int64"})


_THAT = re.compile(r"\s+(?:[^\s.!?;,“”\"]+\s+){0,6}?(that\s)")  # "told a meeting of island leaders that …"
# After the verb, a clause: any word but a preposition, an adverb or "to" ("said on Monday", "told reporters")
_CLAUSE_START = re.compile(r",?\s+(?!(?:to|on|in|at|of|for|with|by|about|from|during|after|before|last|this|"
                           r"that|reporters|me|us|him|them|\w+ly)\b)(?=[\w“\"])")


def _indirect_content(text: str, lo: int, hi: int, span, verb, quotes) -> tuple[int, int] | None:
    """The reported clause of "X said (that) …", "…, X said, …" or "…, X said": its span in the sentence, or None.

    None when the clause is mostly a direct quotation (counted as one) or shorter than three words.
    """
    end = hi
    while end > lo and text[end - 1] in ".!?”\"’' ":
        end -= 1
    m = _THAT.match(text, verb.end())
    after = _CLAUSE_START.match(text, verb.end())
    if m:
        c0, c1 = m.start(1), end
    elif after and after.end() < end:
        c0, c1 = after.end(), end
    else:
        before = text[lo:span[0]].rstrip().rstrip("'’")
        if not before.endswith(",") or not _TAIL.fullmatch(text, verb.end(), hi):
            return None
        c0, c1 = lo, lo + len(before) - 1
    if c1 - c0 < 1 or len(text[c0:c1].split()) < 3:
        return None
    covered = sum(max(0, min(c1, b + 1) - max(c0, a - 1)) for a, b in quotes)
    return None if 2 * covered > c1 - c0 else (c0, c1)


_TAIL = re.compile(r"(?:\s+(?:on|in|at|last|this|earlier|later|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
                   r"Sunday|today|yesterday|[\w’'-]+day|in\s+a\s+statement|to\s+reporters)[\w’'-]*)*\s*[.!?]?\s*")


def _sentence_at(bounds, pos: int) -> int:
    """Index of the sentence containing paragraph offset ``pos`` (or the next one)."""
    for i, a, b in bounds:
        if pos < b:
            return int(i)
    return int(bounds[-1][0]) if bounds else 0


def quoted_speakers(quotes: pd.DataFrame, by: str = "outlet", min_words: int = 1,
                    kinds=("direct",)) -> pd.DataFrame:
    """Who is quoted: number of quotations and quoted words per ``by`` and speaker.

    Speakers are counted under their merged name (``speaker_name``: "Donald Trump" for "Trump", "Mr.
    Trump" and, where the actors table says so, "the president"). Only quotations of ``kinds`` count
    (default direct ones: no scare quotes or quoted fragments; add ``"indirect"`` for reported speech);
    those without a speaker, or shorter than ``min_words``, are left out. Returns ``by``, ``speaker``
    (the merged name), ``speaker_actor``, ``speaker_type`` (named | description | pronoun: named when any of
    its quotations names it), ``n_quotes``, ``n_words``, sorted by ``by`` then ``n_quotes`` descending. A table from an
    older ``find_quotes`` (no ``speaker_name`` or ``kind``) is counted by ``speaker``, every row.
    """
    name = "speaker_name" if "speaker_name" in quotes else "speaker"
    keep = quotes[name].notna() & (quotes["n_words"] >= min_words)
    if "kind" in quotes:
        keep &= quotes["kind"].isin(list(kinds))
    q = quotes[keep]
    agg = {"speaker_actor": ("speaker_actor", "first"), "n_quotes": ("quote", "size"), "n_words": ("n_words", "sum")}
    if "speaker_type" in q:
        agg["speaker_type"] = ("speaker_type", _how_named)
    out = q.groupby([by, name], dropna=False).agg(**agg).reset_index().rename(columns={name: "speaker"})
    columns = [by, "speaker", "speaker_actor", *(["speaker_type"] if "speaker_type" in out else []), "n_quotes",
               "n_words"]
    return out[columns].sort_values([by, "n_quotes", "speaker"], ascending=[True, False, True]).reset_index(drop=True)


def _how_named(types: pd.Series) -> str:
    """How a speaker is written at best: named if any quotation names it, else described, else a pronoun."""
    present = set(types.dropna())
    return next((t for t in ("named", "description", "pronoun") if t in present), "none")
