"""Who says what: direct quotations, their speakers and reporting verbs.

A quotation is the text between double quotation marks, curly (“…”) or
straight ("…"), found in the paragraph text so that it may run over several
sentences; a quotation left open at the end of a paragraph runs to its end
(the convention for quotes continued in the next paragraph). Single quotation
marks are not read as quotations: they are too often apostrophes or titles
('Breeze in Busan').

The speaker is looked for in this order (column ``attribution``):

``after``
    right after the closing mark: "“…,” Zelenskyy said", "“…,” said Dr. X",
    "“…,” he said", "“…”, KCNA said";
``before``
    right before the opening mark: "Dr. Emily Carter, a strategist,
    commented, “…”" (an appositive between name and verb is skipped);
``sentence``
    the reporting clause of the sentence around a partial quotation:
    "Zelenskyy said he believed Putin wanted … because he “does not want a
    sovereign Ukraine”" is Zelenskyy's, not Putin's;
``continuation``
    a quotation that opens a sentence without attribution continues the
    speaker of the previous quotation in the same paragraph;
``none``
    no speaker found: scare quotes ("America First") and unattributed
    fragments keep ``speaker`` NA.

A pronoun speaker (he, she) is replaced by the nearest person named earlier in
the article as the subject of a reporting verb (direct or indirect speech),
and ``attribution`` says ``pronoun``; gender is not checked. A speaker is
resolved to an actor of the actors table when the speaker phrase ends in a mention of it
("White House spokeswoman Karoline Leavitt", "the Ukrainian president",
"KCNA"); otherwise the phrase is kept as written ("Dr. Emily Carter").
"""

from __future__ import annotations

import re
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
    "complained", "conceded", "contended", "maintained", "reiterated",
)

QUOTE_COLUMNS = [
    "article_id", "file", "outlet", "date", "paragraph", "sentence", "last_sentence", "quote",
    "start", "end", "n_words", "speaker", "speaker_actor", "speaker_text", "verb", "attribution",
]

_PRONOUNS = {"he", "she"}
_ABBREVIATIONS = {"Dr.", "Mr.", "Mrs.", "Ms.", "Prof.", "Gen.", "Sen.", "Rep.", "Gov.", "Lt.", "Col.",
                  "Sgt.", "St.", "Jr.", "Sr.", "Amb.", "Rev.", "U.S.", "U.N.", "U.K.", "E.U.", "N.", "S."}
# Lower-case words that belong to a speaker phrase ("White House spokeswoman Karoline Leavitt").
_ROLE_WORDS = {
    "president", "leader", "chancellor", "minister", "prime", "secretary", "secretary-general",
    "general", "envoy", "special", "ambassador", "spokeswoman", "spokesman", "spokesperson",
    "press", "foreign", "defense", "defence", "chief", "official", "officials", "agency", "news",
    "state", "ministry", "government", "office", "deputy", "adviser", "advisor", "commander",
    "senior", "analyst", "strategist", "director", "head", "mayor", "governor", "senator",
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
_LEAD = re.compile(r"[\s,;:–—-]*")
_TOKEN = re.compile(r"\S+")
_STOP_OR_CONNECTOR = _STOP_CAPS | _CONNECTORS
_AUX_GAP = re.compile(r"(?:\s+(?:has|have|had|also|later|then|\w+ly))*\s+")


def _verb_regex(verbs) -> re.Pattern:
    return re.compile(r"(?<![\w’'-])(%s)(?![\w’'-])" % "|".join(sorted(map(re.escape, verbs), key=len, reverse=True)))


def _is_name_token(word: str) -> bool:
    return word in _ABBREVIATIONS or (word[:1].isupper() and any(c.isalpha() for c in word))


def _core(word: str) -> tuple[str, bool]:
    """The word without trailing punctuation, and whether punctuation ended it."""
    if word in _ABBREVIATIONS:
        return word, False
    core = word.rstrip(",.;:!?)”\"–—")
    return core, core != word


_BACKWARD_WINDOW = 1000  # characters before a reporting verb read first for its subject phrase
_UNSURE = object()


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
        if core.casefold() == "the" and start is not None:
            start = t.start()
        break
    if start is None:
        return None
    return _trim(text, lo + start, lo + tokens[-1].end())


def _phrase_forward(text: str, start: int) -> tuple[int, int] | None:
    """Span of the speaker phrase starting at ``start`` ("said Oleksandr Petrenko, …")."""
    end = None
    for i, t in enumerate(_TOKEN.finditer(text[start:])):
        word = t.group()
        core, cut = _core(word)
        if i == 0 and core.casefold() in _PRONOUNS:
            return start + t.start(), start + t.start() + len(core)
        if word[0] in _QUOTE_MARKS or not core:
            break
        ok = (_is_name_token(core) or core.casefold() in _ROLE_WORDS
              or (i == 0 and core.casefold() == "the") or (end is not None and core in _CONNECTORS))
        if not ok:
            break
        end = start + t.start() + len(core)
        if cut:
            break
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
        return None
    return start + words[0].start(), start + words[-1].end()


class _Attributor:
    """Finds the speaker of each quotation of one paragraph."""

    def __init__(self, verbs):
        self.verbs = _verb_regex(verbs)
        self.verb_at_end = re.compile(r"(?:%s)(?:\s+[\w’'-]+){0,3}?\s*[,:]?\s*$" % self.verbs.pattern)

    def after(self, text: str, pos: int, limit: int):
        """"“…,” Zelenskyy said" / "“…,” said X" right after the closing mark."""
        rest = text[pos:limit]
        lead = _LEAD.match(rest).end()
        if any(c in ".!?" for c in rest[:lead]) or lead == len(rest):
            return None
        m = self.verbs.match(rest, lead)
        if m:
            span = _phrase_forward(text, pos + m.end())
            return (span, m.group(1)) if span else None
        span = _phrase_forward(text, pos + lead)
        if span:
            m = _AUX_GAP.match(text, span[1])
            v = self.verbs.match(text, m.end()) if m else None
            if v and v.start() < limit:
                return span, v.group(1)
        return None

    def before(self, text: str, lo: int, pos: int):
        """"X said, “…”" / "X, a strategist, commented: “…”" right before the opening mark."""
        chunk = text[lo:pos]
        m = self.verb_at_end.search(chunk)
        if not m:
            return None
        span = _phrase_backward(text, lo + m.start())
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


def find_quotes(corpus, actors=None, mentions: pd.DataFrame | None = None, verbs=REPORTING_VERBS) -> pd.DataFrame:
    """Direct quotations in the body paragraphs of ``corpus``, with speaker and verb.

    ``corpus`` as for ``analysis.measure.actors.find_mentions``; pass ``mentions``
    (its result) to avoid finding them twice, and ``actors`` for your own
    actors table. ``verbs`` is the list of reporting verbs (``REPORTING_VERBS``).

    Returns one row per quotation (``QUOTE_COLUMNS``): ``article_id``,
    ``file``, ``outlet``, ``date``, ``paragraph``, ``sentence`` and
    ``last_sentence`` (0-based sentences where it opens and closes),
    ``quote`` (the text inside the marks), ``start``/``end`` (character
    offsets of ``quote`` **within the paragraph text**), ``n_words``,
    ``speaker`` (actor name when resolved, else the phrase as written; NA
    when unknown), ``speaker_actor`` (actor id or NA), ``speaker_text``
    (as written, e.g. "he"), ``verb`` (reporting verb as written or NA),
    ``attribution`` (after | before | sentence | continuation | pronoun | none).
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
    rows = []
    current = None
    for article_id, paragraph, text, file, outlet, date in sorted(
            zip(*(as_list(body[c]) for c in para_cols)), key=itemgetter(0, 1)):
        if article_id != current:  # sorted: an article's paragraphs are contiguous
            current = article_id
            events: list[tuple[tuple[int, int], str | None, str]] = []  # ((paragraph, offset), actor, phrase)
        sb = bounds.get((article_id, paragraph), [])
        pm = by_para.get((article_id, paragraph), [])
        quotes = quote_spans(text)
        clause_events = []
        for _, lo, hi in sb:  # indirect-speech subjects, for resolving later pronouns
            for m in attributor.verbs.finditer(text, lo, hi):
                if any(a <= m.start() < b for a, b in quotes):
                    continue
                span = _phrase_backward(text, m.start())
                if span and span[0] >= lo and text[span[0]:span[1]].casefold() not in _PRONOUNS:
                    clause_events.append(((paragraph, m.start()), _resolve(span, pm, text), text[span[0]:span[1]]))
        previous = None
        for q0, q1 in quotes:
            s0 = _sentence_at(sb, q0 - 1)
            s1 = _sentence_at(sb, max(q0, q1 - 1))
            lo = next((a for i, a, _ in sb if i == s0), 0)
            hi = next((b for i, _, b in sb if i == s1), len(text))
            closed = q1 < len(text)
            found, how = None, "none"
            if closed:
                nxt = text.find("“", q1 + 1)
                found = attributor.after(text, q1 + 1, min(hi, nxt) if nxt > 0 else hi)
                how = "after" if found else how
            if not found:
                prev_close = max([b + 1 for a, b in quotes if b < q0] + [lo])
                found = attributor.before(text, prev_close, q0 - 1)
                how = "before" if found else how
            if not found:
                found = attributor.clause(text, lo, hi, quotes, q0, q1)
                how = "sentence" if found else how
            speaker = actor = spoken = verb = None
            if found:
                span, verb = found
                spoken = text[span[0]:span[1]]
                if spoken.casefold() in _PRONOUNS:
                    here = (paragraph, q0)
                    prior = [e for e in events + clause_events if e[0] < here and (e[1] is None or e[1] in person)]
                    if prior:
                        _, actor, speaker = max(prior, key=lambda e: e[0])
                        how = "pronoun"
                    else:
                        how = "none"
                else:
                    actor, speaker = _resolve(span, pm, text), spoken
            elif previous is not None and text[lo:q0 - 1].strip() == "":
                speaker, actor, verb = previous[11], previous[12], previous[14]
                spoken, how = previous[13], "continuation"
            if speaker is not None and actor is None:
                speaker = _LEADING_THE.sub("", speaker)
            if actor is not None:
                speaker = names[actor]
                events.append(((paragraph, q0), actor, speaker))
            elif speaker is not None and how != "pronoun":
                events.append(((paragraph, q0), None, speaker))
            row = (article_id, file, outlet, date, paragraph, s0, s1, text[q0:q1], q0, q1, len(text[q0:q1].split()),
                   speaker, actor, spoken, verb, how if speaker is not None else "none")  # QUOTE_COLUMNS order
            rows.append(row)
            previous = row if speaker is not None else previous
        events.extend(clause_events)
        events.sort(key=lambda e: e[0])
    out = pd.DataFrame(rows, columns=QUOTE_COLUMNS)
    for col in ("speaker", "speaker_actor", "speaker_text", "verb"):
        out[col] = out[col].astype("string")
    return with_dtypes(out, {"paragraph": "int64", "sentence": "int64", "last_sentence": "int64",
                              "start": "int64", "end": "int64", "n_words": "int64"})


def _sentence_at(bounds, pos: int) -> int:
    """Index of the sentence containing paragraph offset ``pos`` (or the next one)."""
    for i, a, b in bounds:
        if pos < b:
            return int(i)
    return int(bounds[-1][0]) if bounds else 0


def quoted_speakers(quotes: pd.DataFrame, by: str = "outlet", min_words: int = 1) -> pd.DataFrame:
    """Who is quoted: number of quotations and quoted words per ``by`` and speaker.

    Quotations without a speaker, or shorter than ``min_words``, are left out.
    Returns ``by``, ``speaker``, ``speaker_actor``, ``n_quotes``, ``n_words``,
    sorted by ``by`` then ``n_quotes`` descending.
    """
    q = quotes[quotes["speaker"].notna() & (quotes["n_words"] >= min_words)]
    out = (q.groupby([by, "speaker"], dropna=False)
             .agg(speaker_actor=("speaker_actor", "first"), n_quotes=("quote", "size"), n_words=("n_words", "sum"))
             .reset_index())
    return out.sort_values([by, "n_quotes", "speaker"], ascending=[True, False, True]).reset_index(drop=True)
