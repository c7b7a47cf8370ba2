"""Who stands where: directed stance edges holder -> target from reported words and deeds.

By default (``find_stance(..., rules="clause")``) an edge is read from the
clause, with no parser: the speaker of a quotation toward the actors named
where it is quoted; the actor that opens a sentence (or a leading *he*/*she*,
the last person named; "the president", the last person given that title)
toward the other actors the sentence names; "X was criticised by Y" as
Y -> X. Its sign is the target-aware tone toward the target in that sentence
(the ``tone`` table), unless a cue verb gives it. ``README``, "Validating
stance", has its figures against SEESAW's human triplets and how the numbers
were chosen.

The **cue** rules (``rules="cues"``, and the sign of any clause edge they
also find): a cue verb (``SUPPORT_CUES``,
``OPPOSITION_CUES``; extend with ``cues=``) with an actor mention before it
(the holder, at most ``HOLDER_WORDS`` words earlier, no ``;``, ``:``, dash or
quotation mark in between) and one after it (the target, at most
``TARGET_WORDS`` words later, within the same clause). "Guterres warned
Russia" is Guterres -> Russia, -1; "Putin expressed appreciation for North
Korea's help" is Putin -> North Korea, +1. Passives are turned round: "Kyiv
was criticised by Budapest" is Hungary -> Ukraine. A target that is the
subject of a following clause ("Zelenskyy warned Russia *was* planning …") is
not a target: the warning is about an event, not addressed to Russia.

**Negation neutralises, it does not flip.** "X did not reject Y" does not
mean X supports Y, so a negated cue (not, n't, never, no, without, refused /
declined / failed to, at most one word before the cue) keeps its row with
``stance = 0`` and ``negated = True``; drop those rows or count them apart.

Blind spots: the clause rules link the subject to everyone a sentence names,
so a list of attendees gives edges a reader would not call stances; a holder
named two sentences back, "they" and unnamed holders ("critics warn") give no
edge; a topic written in other words than the actors table's is not found;
sarcasm and hedging are not read. Clause edges are read in English sentences
only (other languages keep their cue edges).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from operator import itemgetter

import pandas as pd

from analysis.load.text import quote_spans
from analysis.measure.actors import as_list, with_dtypes
from analysis.measure.stats import summarize

__all__ = [
    "HOLDER_WORDS",
    "OPPOSITION_CUES",
    "POLARITY_CUT",
    "STANCE_COLUMNS",
    "SUBJECT_WORDS",
    "SUPPORT_CUES",
    "TARGET_WORDS",
    "cue_table",
    "find_stance",
    "summarize_stance",
]

# Lemmas; the first word is inflected (praise -> praises, praised, praising).
SUPPORT_CUES = (
    "praise", "welcome", "back", "thank", "endorse", "support", "applaud", "commend", "hail",
    "congratulate", "express appreciation for", "express gratitude to", "express support for",
    "agree with", "side with", "stand with", "stand by", "defend", "echo", "advocate for", "ally with",
)
OPPOSITION_CUES = (
    "reject", "dismiss", "criticize", "criticise", "condemn", "warn", "accuse", "oppose", "denounce",
    "blame", "threaten", "slam", "rebuke", "attack", "deplore", "defy", "resist",
    "express concern about", "express displeasure with", "lash out at",
)
HOLDER_WORDS = 8
TARGET_WORDS = 6

STANCE_COLUMNS = [
    "holder", "holder_name", "target", "target_name", "stance", "cue", "cue_lemma", "negated",
    "in_quote", "article_id", "file", "outlet", "date", "paragraph", "sentence", "sentence_text", "rule", "score",
]

_IRREGULAR = {"stand": ("stand", "stands", "stood", "standing")}
_NOT_CUES = {"thanks"}  # "thanks to" means "because of"
# "back" after a phrasal verb is a particle, not support ("rolling back sanctions").
_PARTICLE_BACK = re.compile(
    r"\b(?:roll|come|came|pull|scale|cut|step|push|bring|brought|go|went|get|got|fight|fought|hit|look|"
    r"set|hold|held|give|gave|draw|drew|turn|sen[dt]|call|pay|paid|win|won|walk|fall|fell)\w*\s+$",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"(?:\b(?:not|never|no|without|refused\s+to|refuses\s+to|declined\s+to|declines\s+to|failed\s+to|fails\s+to)"
    r"|n['’]t)(?!\s+only)(?:\s+\w+)?\s*$",
    re.IGNORECASE,
)
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being|is|are|be|got|get)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_BY_AFTER = re.compile(r"^\s+by\s+")
_HOLDER_BLOCK = re.compile(r"[;:–—“”\"]")
_TARGET_BLOCK = re.compile(r"[,;:–—(“”\"]")
_CLAUSE_SUBJECT = re.compile(
    r"^(?:['’]s)?\s+(?:is|was|were|are|has|had|have|would|will|could|can|might|may|must|should|did|does|do)\b"
)


def _forms(verb: str) -> tuple[str, ...]:
    if verb in _IRREGULAR:
        return _IRREGULAR[verb]
    if verb.endswith("e"):
        forms = (verb, verb + "s", verb + "d", verb[:-1] + "ing")
    elif verb.endswith("y") and verb[-2] not in "aeiou":
        forms = (verb, verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing")
    elif re.fullmatch(r"[^aeiou]*[aeiou][bdgmnprt]", verb):  # slam -> slammed, snub -> snubbed
        forms = (verb, verb + "s", verb + verb[-1] + "ed", verb + verb[-1] + "ing")
    elif verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        forms = (verb, verb + "es", verb + "ed", verb + "ing")
    else:
        forms = (verb, verb + "s", verb + "ed", verb + "ing")
    return tuple(f for f in forms if f not in _NOT_CUES)


def cue_table(cues=None) -> pd.DataFrame:
    """The cue list: ``cue`` (lemma phrase), ``stance`` (+1 support, -1 opposition).

    ``cues`` adds to (or, for a lemma already listed, overrides) the built-in
    lists: a DataFrame with ``cue`` and ``stance`` or a dict ``{cue: stance}``.
    """
    table = {c: 1 for c in SUPPORT_CUES} | {c: -1 for c in OPPOSITION_CUES}
    if cues is not None:
        extra = cues if isinstance(cues, dict) else dict(zip(cues["cue"], cues["stance"]))
        table |= {str(k): int(v) for k, v in extra.items()}
    return pd.DataFrame(sorted(table.items()), columns=["cue", "stance"])


def _cue_regex(table: pd.DataFrame) -> tuple[re.Pattern, dict[str, tuple[str, int]], frozenset | None]:
    """The cue regex, its group names -> (lemma, stance), and the lower-cased
    forms a cue's first word can take (None when some form is not plain
    ASCII letters, see ``_cue_matches``)."""
    return _compile_cues(tuple(zip(table["cue"].tolist(), table["stance"].tolist())))


@lru_cache(maxsize=16)
def _compile_cues(items: tuple[tuple[str, int], ...]):
    # Cached: the pipeline calls find_stance once per article with the same cues.
    stances = dict(items)
    lookup, patterns = {}, []
    for cue, stance in items:
        first, *rest = cue.split()
        for form in _forms(first):
            lookup[form] = (cue, int(stance))
        # allow up to two words between the verb and the rest ("expressed his deep appreciation for")
        tail = "".join(r"(?:\s+\w+){0,2}?\s+" + re.escape(w) if i == 0 else r"\s+" + re.escape(w) for i, w in enumerate(rest))
        patterns.append((len(cue), r"(?:%s)%s" % ("|".join(map(re.escape, _forms(first))), tail), cue))
    patterns.sort(key=lambda p: -p[0])
    regex = re.compile(r"(?<![\w-])(?:%s)(?![\w-])" % "|".join(f"(?P<c{i}>{p})" for i, (_, p, _) in enumerate(patterns)),
                       re.IGNORECASE)
    names = {f"c{i}": cue for i, (_, _, cue) in enumerate(patterns)}
    first_words = frozenset(form.lower() for form in lookup)
    if not all(re.fullmatch(r"[A-Za-z]+", form) for form in lookup):
        first_words = None
    return regex, {n: (cue, stances[cue]) for n, cue in names.items()}, first_words


def _cue_matches(regex: re.Pattern, first_words: frozenset | None, text: str):
    """``regex.finditer(text)``, trying the regex only where a cue's first word stands.

    A cue match starts a whole word (nothing word-like or a hyphen before it,
    a space or the end of the cue after it), so it can only start at a word
    whose lower-cased form is in ``first_words``. Words with non-ASCII letters
    are always tried, since a case-insensitive match there need not equal
    ``lower()`` ("ſ" matches "s"). Same matches, several times faster than
    running the long alternation at every position.
    """
    if first_words is None:
        yield from regex.finditer(text)
        return
    end = 0
    for word in _WORD.finditer(text):
        pos = word.start()
        if pos < end or (word.group().isascii() and word.group().lower() not in first_words):
            continue
        m = regex.match(text, pos)
        if m:
            end = m.end()
            yield m


_WORD = re.compile(r"\w+")


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _cue_edges(corpus, mentions: pd.DataFrame, cues=None) -> pd.DataFrame:
    """Stance edges of the cue verbs only (``rules="cues"``), in ``STANCE_COLUMNS``.

    ``mentions`` from ``analysis.measure.actors.find_mentions`` (edges only link
    actors found there); ``cues`` extends the cue lists (see ``cue_table``).

    Returns one row per edge (``STANCE_COLUMNS``): ``holder`` and ``target``
    (actor ids) with their names, ``stance`` (+1 support, -1 opposition,
    0 negated cue), ``cue`` (as written), ``cue_lemma``, ``negated``,
    ``in_quote`` (the cue is inside a quotation: the speaker's claim),
    ``article_id``, ``file``, ``outlet``, ``date``, ``paragraph``,
    ``sentence``, ``sentence_text`` (the evidence).
    """
    regex, lemmas, first_words = _cue_regex(cue_table(cues))
    keys = ("article_id", "paragraph", "sentence")
    # Plain tuples grouped in a dict: pandas access per sentence and per
    # mention cost far more than reading the sentences.
    by_sentence: dict[tuple, list[tuple]] = {}
    cols = keys + ("start", "end", "actor", "name", "in_quote")
    for a, p, i, *mention in zip(*(mentions[c].tolist() for c in cols)):
        by_sentence.setdefault((a, p, i), []).append(tuple(mention))  # (start, end, actor, name, in_quote)
    rows = []
    sentences = corpus.sentences
    sent_cols = keys + ("file", "outlet", "date", "text")
    for article_id, paragraph, sentence, file, outlet, date, text in sorted(
            zip(*(as_list(sentences[c]) for c in sent_cols)), key=itemgetter(0, 1, 2)):
        men = by_sentence.get((article_id, paragraph, sentence))
        if men is None or len({x[2] for x in men}) < 2:
            continue
        men = sorted(men, key=lambda x: x[0])
        for m in _cue_matches(regex, first_words, text):
            lemma, stance = lemmas[m.lastgroup]
            cs, ce = m.start(), m.end()
            if lemma == "back" and _PARTICLE_BACK.search(text[:cs]):
                continue
            before = [x for x in men if x[1] <= cs]
            after = [x for x in men if x[0] >= ce]
            passive = _PASSIVE_BEFORE.search(text[:cs]) and _BY_AFTER.match(text[ce:])
            if passive:
                holder = next((x for x in after if _words(text[ce:x[0]]) <= TARGET_WORDS), None)
                target = next((x for x in reversed(before) if _words(text[x[1]:cs]) <= HOLDER_WORDS), None)
            else:
                holder = next((x for x in reversed(before)
                               if _words(text[x[1]:cs]) <= HOLDER_WORDS and not _HOLDER_BLOCK.search(text[x[1]:cs])), None)
                target = next((x for x in after
                               if _words(text[ce:x[0]]) <= TARGET_WORDS and not _TARGET_BLOCK.search(text[ce:x[0]])
                               and not _CLAUSE_SUBJECT.match(text[x[1]:])), None)
            if holder is None or target is None or holder[2] == target[2]:
                continue
            negated = bool(_NEGATION.search(text[max(holder[1] if not passive else 0, cs - 40):cs]))
            rows.append((holder[2], holder[3], target[2], target[3], 0 if negated else stance,
                         m.group(), lemma, negated, bool(holder[4] or target[4]),
                         article_id, file, outlet, date, paragraph, sentence, text, "cue", float(stance)))
    return _table(rows)


def _table(rows: list[tuple]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=STANCE_COLUMNS)
    return with_dtypes(out, {"stance": "int64", "negated": "bool", "in_quote": "bool", "paragraph": "int64",
                              "sentence": "int64", "score": "float64"})


def summarize_stance(edges: pd.DataFrame, by=("holder_name", "target_name"), min_n: int = 3) -> pd.DataFrame:
    """Net stance per holder and target.

    Returns the ``by`` columns, ``n`` (edges), ``n_support``, ``n_oppose``,
    ``n_negated``, ``mean`` (net stance in [-1, 1]; negated cues count as 0),
    ``ci_low``, ``ci_high`` (bootstrap 95%) and ``small_n`` (n < ``min_n``).
    """
    keys = list(by)
    counts = edges.groupby(keys).agg(
        n_support=("stance", lambda s: int((s > 0).sum())),
        n_oppose=("stance", lambda s: int((s < 0).sum())),
        n_negated=("negated", "sum"),
    ).reset_index()
    net = summarize(edges, keys, "stance", min_n=min_n).drop(columns="measure")
    out = net.merge(counts, on=keys, how="left")
    return out[keys + ["n", "n_support", "n_oppose", "n_negated", "mean", "ci_low", "ci_high", "small_n"]]


# The clause rules (``rules="clause"``, the default). Numbers chosen on the tune split of SEESAW's
# train file (README, "Validating stance"); no text of it ships.
SUBJECT_WORDS = 30  # the holder opens its clause: at most this many words before it
POLARITY_CUT = -0.1  # a target-aware score below this is opposition, else support
_PRONOUN_LEAD = re.compile(
    r"^[\s“”\"'‘’(—–-]*(?:(?:but|and|so|yet|still|now|then|instead|later|also|meanwhile|however),?\s+)?"
    r"(he|she)\b", re.IGNORECASE)
_AFTER_PREPOSITION = re.compile(
    r"\b(?:of|by|for|with|against|to|about|on|from|at|in|into|over|than|toward|towards|like|under|between|"
    r"behind|after|before|during|among|including|as|if|when|while|because|that|whom?|which)\s+(?:the\s+|a\s+|an\s+)?"
    r"(?:[\w.'’-]+\s+){0,3}$", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(he|she)\b", re.IGNORECASE)
_QUOTE_MARK = re.compile(r"[“\"]")
# "President Obama" ... "the president": a role noun stands for the last person the article gave that title.
_TITLES = {"president": "president", "vice president": "vice president", "sen.": "senator", "senator": "senator",
           "gov.": "governor", "governor": "governor", "speaker": "speaker", "secretary": "secretary",
           "leader": "leader", "mayor": "mayor", "chairman": "chairman", "minister": "minister",
           "attorney general": "attorney general", "president-elect": "president-elect"}
_TITLE_BEFORE = re.compile(r"\b(vice president|attorney general|president-elect|president|sen\.|senator|gov\.|governor|"
                           r"speaker|secretary|leader|mayor|chairman|minister)\s+$", re.IGNORECASE)
_ROLE_NOUN = re.compile(r"\bthe\s+(vice president|attorney general|president-elect|president|senator|governor|speaker|"
                        r"secretary|leader|mayor|chairman|minister)\b(?!\s+(?:of\s+)?[A-Z])")
_PASSIVE_BY = re.compile(
    r"\b(?:was|were|been|being|is|are|be|got|gets|get)\s+(?:\w+ly\s+)?\w+(?:ed|en|wn|ught|ld)\s+(?:\w+\s+){0,3}?by\s+"
    r"(?:the\s+)?$", re.IGNORECASE)


def find_stance(corpus, mentions: pd.DataFrame, cues=None, *, rules: str = "clause", tone: pd.DataFrame | None = None,
                quotes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Stance edges reported in the body sentences of ``corpus``.

    ``mentions`` from ``analysis.measure.actors.find_mentions`` (edges only link
    actors found there); ``cues`` extends the cue lists (see ``cue_table``).

    ``rules``: ``"clause"`` (default) reads every sentence that names two
    actors, or one actor and a pronoun or quoted speaker standing for another:

    - **quote**: the speaker of a quotation, direct or indirect (``quotes``, from
      ``analysis.measure.quotes.find_quotes``; without it, no quote edges)
      holds a stance toward every actor named in the sentences it covers;
    - **subject**: the first actor of the sentence outside quotation marks
      that is not a topic (at most ``SUBJECT_WORDS`` words in, not after a
      preposition), or a *he*/*she* before it resolved to the last person
      named, holds a stance toward every other actor the sentence names; a
      role noun ("the president") counts as a mention of the last person the
      article gave that title ("President Obama");
    - **passive**: "X was criticised by Y" is Y -> X;
    - **cue**: a cue verb between the two gives the sign outright (as with
      ``rules="cues"``), negated cues keep ``stance = 0``.

    Otherwise the sign is the target-aware tone toward the target's mentions
    in that sentence (``tone``, the ``analysis.measure.tone.mention_tone``
    table of these mentions: ``target_score`` below ``POLARITY_CUT`` is
    opposition), or, without ``tone``, the sentence's VADER compound.
    Holders are persons, states, organisations and groups (never ``other``:
    a topic or event holds no stance). ``rules="cues"`` is the cue verbs only
    (the package before issue 19: precise, but it rarely fires).

    Returns one row per edge (``STANCE_COLUMNS``): ``holder`` and ``target``
    (actor ids) with their names, ``stance`` (+1 support, -1 opposition,
    0 negated cue), ``cue`` (as written; the rule's evidence otherwise),
    ``cue_lemma``, ``negated``, ``in_quote`` (the target is named inside a
    quotation: the speaker's claim), ``article_id``, ``file``, ``outlet``,
    ``date``, ``paragraph``, ``sentence``, ``sentence_text`` (the evidence),
    ``rule`` (cue | quote | subject | pronoun | passive) and ``score`` (the
    score the sign was read from, in [-1, 1]). For an edge of the clause rules
    ``cue`` holds the words before the target and ``cue_lemma`` the rule.
    """
    if rules not in ("clause", "cues"):
        raise ValueError(f"rules must be 'clause' or 'cues', not {rules!r}")
    cue_rows = _cue_edges(corpus, mentions, cues)
    if rules == "cues":
        return cue_rows
    return _clause_edges(corpus, mentions, cue_rows, tone, quotes)


def _clause_edges(corpus, mentions: pd.DataFrame, cue_rows: pd.DataFrame, tone, quotes) -> pd.DataFrame:
    keys = ("article_id", "paragraph", "sentence")
    by_sentence: dict[tuple, list[tuple]] = {}
    cols = keys + ("start", "end", "actor", "name", "in_quote", "kind")
    for a, p, i, *mention in zip(*(as_list(mentions[c]) for c in cols)):
        by_sentence.setdefault((a, p, i), []).append(tuple(mention))  # (start, end, actor, name, in_quote, kind)
    scores: dict[tuple, float] = {}
    if tone is not None and len(tone):
        for a, p, i, start, actor, score in zip(*(as_list(tone[c]) for c in keys + ("start", "actor", "target_score"))):
            if not math.isnan(score):
                scores[(a, p, i, start, actor)] = float(score)
    cue_sign: dict[tuple, dict[tuple, tuple]] = {}  # sentence -> (holder, target) -> its first cue row
    for row in cue_rows.itertuples(index=False, name=None):
        r = dict(zip(STANCE_COLUMNS, row))
        cue_sign.setdefault((r["article_id"], r["paragraph"], r["sentence"]), {}).setdefault(
            (r["holder"], r["target"]), row)
    speakers: dict[tuple, list[tuple[int, int, str, str]]] = {}  # (article, paragraph) -> (q0, q1, actor, name)
    if quotes is not None and len(quotes):
        for a, p, q0, q1, actor, name in zip(*(as_list(quotes[c]) for c in
                                              ("article_id", "paragraph", "start", "end", "speaker_actor", "speaker"))):
            if isinstance(actor, str) and actor:
                speakers.setdefault((a, p), []).append((q0, q1, actor, name))
    vader = None
    rows = []
    last_person: dict[str, tuple[str, str]] = {}
    titles: dict[str, dict] = {}
    sent_cols = keys + ("file", "outlet", "date", "text", "start")
    languages = (as_list(corpus.sentences["language"]) if "language" in corpus.sentences
                 else ["en"] * len(corpus.sentences))
    for (article_id, paragraph, sentence, file, outlet, date, text, offset), language in sorted(
            zip(zip(*(as_list(corpus.sentences[c]) for c in sent_cols)), languages), key=lambda r: r[0][:3]):
        men = by_sentence.get((article_id, paragraph, sentence), [])
        cued = cue_sign.get((article_id, paragraph, sentence), {})
        if isinstance(language, str) and language not in ("en", "unknown", ""):  # the clause rules read English
            rows.extend(cued.values())
            continue
        titled = titles.setdefault(article_id, {})
        for m in men:
            lead = _TITLE_BEFORE.search(text[:m[0]]) if m[5] == "person" else None
            if lead:
                titled[_TITLES[lead.group(1).lower()]] = m
        roles = list(_ROLE_NOUN.finditer(text)) if titled else []
        spans = quote_spans(text) if roles else []
        for r in roles:
            m = titled.get(r.group(1).lower())
            if m is not None and not any(x[0] <= r.start() < x[1] for x in men):
                men = men + [(r.start(), r.end(), m[2], m[3], any(a <= r.start() < b for a, b in spans), "person")]
        men = sorted(men, key=itemgetter(0))
        quoted = [(q0 - offset, q1 - offset, actor, name) for q0, q1, actor, name in speakers.get((article_id, paragraph), [])
                  if q0 < offset + len(text) and q1 > offset]
        pairs = _pairs(text, men, quoted, last_person.get(article_id))
        for m in men:
            if m[5] == "person":
                last_person[article_id] = (m[2], m[3])
        rows.extend(cued.values())  # a cue verb gives the sign outright
        for ((h, hname), _), (t, tname, rule, in_quote, evidence) in pairs.items():
            if (h, t) in cued:
                continue
            found = [scores[k] for k in ((article_id, paragraph, sentence, x[0], t) for x in men if x[2] == t)
                     if k in scores]
            if found:
                score = sum(found) / len(found)
            else:
                if vader is None:
                    from analysis.models.lexicons import vader_analyzer

                    vader = vader_analyzer()
                score = float(vader.polarity_scores(text)["compound"])
            rows.append((h, hname, t, tname, -1 if score < POLARITY_CUT else 1, evidence, rule, False, bool(in_quote),
                         article_id, file, outlet, date, paragraph, sentence, text, rule, float(score)))
    return _table(rows)


def _opens_clause(text: str, pos: int) -> bool:
    """Whether a word at ``pos`` can be the subject: at most ``SUBJECT_WORDS`` words in, not after a preposition."""
    return _words(text[:pos]) <= SUBJECT_WORDS and not _AFTER_PREPOSITION.search(text[:pos])


def _pairs(text: str, men: list[tuple], quoted: list[tuple], last_person: tuple[str, str] | None) -> dict:
    """The ((holder id, name), target id) -> (target id, name, rule, in_quote, evidence) edges of one sentence.

    ``men``: the sentence's mentions (start, end, actor, name, in_quote, kind) in reading order;
    ``quoted``: the quotations overlapping it, with their speakers, in sentence offsets.
    """
    edges: dict[tuple, tuple] = {}

    def add(holder, target, rule, in_quote, evidence):
        if holder[0] != target[0]:
            edges.setdefault((holder, target[0]), (target[0], target[1], rule, in_quote, evidence))

    for _, _, actor, name in quoted:  # the speaker toward everyone the sentence names
        for m in men:
            add((actor, name), (m[2], m[3]), "quote", bool(m[4]), name)
    outside = [m for m in men if not m[4]]
    undergoes = set()  # subjects of a passive: the stance is the agent's, not theirs
    for m in outside:  # passive: "X was criticised by Y"
        if m[5] != "other" and _PASSIVE_BY.search(text[:m[0]]):
            subject = next((x for x in outside if x[0] < m[0] and x[2] != m[2]), None)
            if subject is not None:
                add((m[2], m[3]), (subject[2], subject[3]), "passive", False, text[subject[1]:m[0]].strip()[:60])
                undergoes.add(subject[2])
    first = next((m for m in outside if m[5] != "other"), None)
    holder = rule = None
    lead = None
    if last_person is not None:  # "He said Russia …": the pronoun opens the clause, before any actor
        lead = _PRONOUN_LEAD.match(text) or _PRONOUN.search(text, 0, first[0] if first is not None else len(text))
        if lead and not (_opens_clause(text, lead.start()) and not _QUOTE_MARK.search(text[:lead.start()])
                         and (first is None or first[0] >= lead.end())):
            lead = None
    if lead is not None:
        holder, rule = last_person, "pronoun"
    elif first is not None and first[2] not in undergoes and _opens_clause(text, first[0]):
        holder, rule = (first[2], first[3]), "subject"
    if holder is not None:
        spoken = {actor for _, _, actor, _ in quoted}
        for m in men:
            if not (m[4] and holder[0] in spoken):
                add(holder, (m[2], m[3]), rule, bool(m[4]), text[:m[0]].strip()[-60:])
    return edges
