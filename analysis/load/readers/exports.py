"""News-database exports: Nexis Uni (DOCX, RTF) and Factiva (RTF, HTML), many articles per file.

An export is a run of articles, each a block of header lines (headline,
outlet, date, word count, byline...), its body paragraphs and trailer lines
(``Load-Date:``, ``End of Document``, Factiva's ``Document …`` id). The
readers cut the file into articles, put what the header says in ``meta`` and
keep only the body paragraphs in ``Item.text``. Layouts drift between export
versions, so every line is optional: a missing ``Body`` line, an extra blank
paragraph or a label in capitals does not lose an article.

- ``read_docx``: a Nexis Uni DOCX export (format ``nexis``); any other DOCX
  is one article of its paragraphs (format ``docx``).
- ``read_rtf``: a Nexis (``nexis``) or Factiva (``factiva``) RTF export,
  told apart by content; any other RTF is one article (format ``rtf``).
- ``read_factiva_html``: a Factiva HTML export (``factiva``), either the
  "Article Format" (``<div class="article enArticle">`` blocks) or the
  format with indexing (tables of ``HD``, ``BY``, ``WC``... rows).

Nexis meta: ``title``, ``outlet``, ``date`` (the date line as written, any
time of day moved to ``time``), ``author`` (from ``Byline:``, "By " dropped),
and when present ``section``, ``length_words``, ``load_date``, ``edition``,
``dateline``, ``highlight``, ``series``, ``url``. Factiva meta: ``title``,
``outlet``, ``date``, ``author``, ``doc_id``, ``word_count``,
``source_language``, ``source_code``, and when present ``section``,
``time``, ``edition``, ``page``, ``credit`` ("Special to The New York
Times"). An entry without body paragraphs is an ``Item`` with
``error=("no_body", …)``; a Nexis entry without a date line has a
``no_date`` note, a Factiva entry without a word-count line a
``no_header`` note.
"""

from __future__ import annotations

import io
import re

from analysis.load.reading import Unreadable, decode_bytes, normalize
from analysis.load.sources import Item, ReadOptions

__all__ = ["is_factiva_html", "read_docx", "read_factiva_html", "read_rtf"]

# ---------------------------------------------------------------------------------------------------------------
# Lines shared by both exports

_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|"
          # German, French, Spanish, Portuguese, Italian, Dutch names, only to recognise a date line
          r"januar|februar|märz|mai|juni|juli|oktober|dezember|janvier|février|mars|avril|juin|juillet|août|"
          r"septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|"
          r"octubre|noviembre|diciembre|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|"
          r"dezembro|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|januari|februari|"
          r"maart|mei|augustus)")
_WEEKDAY = (r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
            r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche")
_TIME = r"\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*(?:[A-Z]{2,5}(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2}))?"
_DAY = (rf"(?:(?:{_WEEKDAY}),?\s+)?(?:{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|"
        rf"\d{{1,2}}(?:\.|st|nd|rd|th)?\s+(?:de\s+)?{_MONTH}\.?,?\s+(?:de\s+)?\d{{4}}|{_MONTH}\.?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
        rf"(?:,?\s+(?:{_WEEKDAY}))?")
# "March 3, 2018 Saturday", "Saturday, March 3, 2018", "3 March 2018", "March 2018", optionally "8:00 AM EST" after.
_DATE_LINE = re.compile(rf"(?P<date>{_DAY})(?:,?\s+(?P<time>{_TIME}))?", re.IGNORECASE)
_TIME_LINE = re.compile(_TIME, re.IGNORECASE)
_PAGE_FURNITURE = re.compile(r"(?:page|seite)\s+\d+\s+(?:of|von|de|sur)\s+\d+", re.IGNORECASE)


def _clean(line: str) -> str:
    return _SPACES.sub(" ", normalize(line)).strip()


def _date_line(line: str) -> tuple[str, str] | None:
    """``(date, time)`` of a line that is only a date (and a time of day), else None."""
    m = _DATE_LINE.fullmatch(line.strip())
    if not m:
        return None
    return m.group("date").strip(" ,"), (m.group("time") or "").strip()


def _body(lines: list[str]) -> str:
    return "\n\n".join(line for line in lines if line and not _PAGE_FURNITURE.fullmatch(line))


def _item(fmt: str, meta: dict[str, str], body: list[str], what: str, notes=None) -> Item:
    meta = {k: v for k, v in meta.items() if v}
    text = _body(body)
    error = None
    if not text:
        title = f" (“{meta['title']}”)" if meta.get("title") else ""
        error = ("no_body", f"The {what}{title} has a header but no body paragraphs; check the export.")
    return Item(text=text, meta=meta, format=fmt, notes=list(notes or []), error=error)


# ---------------------------------------------------------------------------------------------------------------
# Nexis Uni / LexisNexis

_END_OF_DOCUMENT = re.compile(r"end of document", re.IGNORECASE)
_LABEL = re.compile(r"(?P<label>[^\W\d_][\w\- ]{0,30}?)\s*:\s*(?P<value>.*)", re.DOTALL)
# Header labels, in any case and a few export languages, mapped to one name.
_NEXIS_HEADER = {
    "section": "section", "rubrik": "section", "rubrique": "section", "length": "length", "länge": "length",
    "longueur": "length", "byline": "byline", "autor": "byline", "auteur": "byline", "dateline": "dateline",
    "highlight": "highlight", "edition": "edition", "ausgabe": "edition", "url": "url", "series": "series",
}
_NEXIS_TRAILER = {
    "language", "sprache", "langue", "publication-type", "publication type", "subject", "geographic", "load-date",
    "load date", "industry", "organization", "person", "company", "ticker", "document-type", "document type",
    "journal-code", "journal code", "acc-no", "update", "graphic", "notes", "correction-date", "url", "city",
    "state", "country", "terms", "load-datum", "type", "source-type", "copyright",
}
_NEXIS_TRAILER_START = re.compile(r"classification|graphic|klassifikation", re.IGNORECASE)
# "Copyright 2018 …", "Copyright © 2018 …", "(c) 2018 …", "© 2018 …": a headline may start with "Copyright".
_COPYRIGHT = re.compile(r"(?:copyright\s*(?:©|\(c\))?\s*(?:\d{4}|©)|(?:©|\(c\))\s*(?:copyright\s*)?\d{4})", re.IGNORECASE)
# Lines of the cover page and table of contents of a Nexis Uni export (matched at their start).
_COVER = re.compile(
    r"(?:documents?\s*\(\d+\)|client\s*/\s*matter\s*:|search\s+terms\s*:|search\s+type\s*:|narrowed\s+by\b|"
    r"content\s+type\b|date\s+and\s+time\s*:|job\s+number\s*:|user\s+name\s*:|print\s+request\s*:|"
    r"sources?\s*:|timeline\s*:|results?\s*:|\d{1,4}\.\s+\S)",
    re.IGNORECASE,
)
_COVER_SURE = re.compile(r"documents?\s*\(\d+\)|client\s*/\s*matter|search\s+terms|job\s+number", re.IGNORECASE)
_TOC_ITEM = re.compile(r"\d{1,4}\.\s+(?P<title>\S.*)")
# LexisNexis Academic (before Nexis Uni) starts each entry with "3 of 25 DOCUMENTS".
_CLASSIC_START = re.compile(r"\d+\s+(?:of|von|de|sur)\s+\d+\s+(?:documents?|dokumente?n?)", re.IGNORECASE)
_WORDS = re.compile(r"(\d[\d,. ]{0,12})\s*(?:words?|wörter|mots|palabras|parole|palavras|woorden|слов|字|語)", re.IGNORECASE)


def _label(line: str) -> tuple[str, str] | None:
    m = _LABEL.fullmatch(line)
    return (m.group("label").strip().lower(), m.group("value").strip()) if m else None


def _is_nexis_header(line: str) -> bool:
    lab = _label(line)
    return bool(lab and lab[0] in _NEXIS_HEADER) or bool(_COPYRIGHT.match(line))


def _is_nexis_trailer(line: str) -> bool:
    lab = _label(line)
    return bool(_END_OF_DOCUMENT.fullmatch(line) or (lab and lab[0] in _NEXIS_TRAILER)
                or _NEXIS_TRAILER_START.fullmatch(line) or _COPYRIGHT.match(line))


def _looks_nexis(lines: list[str]) -> bool:
    ends = sum(1 for line in lines if _END_OF_DOCUMENT.fullmatch(line))
    if ends:
        return True
    labels = {lab[0] for lab in map(_label, lines) if lab}
    has_body = any(line.lower() == "body" for line in lines)
    return ("length" in labels or "länge" in labels) and (has_body or "load-date" in labels)


def _split_nexis(lines: list[str]) -> list[list[str]]:
    """The export cut into entries: after each "End of Document", else before each "3 of 25 DOCUMENTS"
    (LexisNexis Academic), else after each "Load-Date:"."""
    entries, current = [], []
    has_end = any(_END_OF_DOCUMENT.fullmatch(line) for line in lines)
    if not has_end and any(_CLASSIC_START.fullmatch(line) for line in lines):
        for line in lines:
            if _CLASSIC_START.fullmatch(line) and any(current):
                entries.append(current)
                current = []
            current.append(line)
        return [*entries, current] if any(current) else entries
    for line in lines:
        current.append(line)
        lab = _label(line)
        if _END_OF_DOCUMENT.fullmatch(line) or (not has_end and lab and lab[0] in ("load-date", "load date")):
            entries.append(current)
            current = []
    if any(current):
        entries.append(current)
    return entries


def _drop_cover(entry: list[str]) -> list[str]:
    """The first entry without the cover page and table of contents some exports start with."""
    lines = [line for line in entry if line]
    anchor = next((i for i, line in enumerate(lines) if line.lower() == "body" or _is_nexis_header(line)), len(lines))
    head = lines[:anchor]
    if not any(_COVER_SURE.match(line) for line in head):
        return lines
    # The table of contents lists the titles: the first article starts where its title comes again.
    toc = [(i, m.group("title")) for i, m in enumerate(map(_TOC_ITEM.fullmatch, head)) if m and not _date_line(head[i])]
    if toc:
        first = next((j for j in range(toc[0][0] + 1, len(head)) if head[j] == toc[0][1]), None)
        if first is not None:
            return lines[first:]
    covers = [i for i, line in enumerate(head) if (_COVER.match(line) or "|" in line) and not _date_line(line)]
    start = covers[-1] + 1 if covers else 0
    d = next((i for i in range(start, len(head)) if _date_line(head[i])), None)
    if d is not None and d - start > 2:  # unknown lines between the cover and the title, outlet and date
        start = d - 2
    return lines[start:]


def _parse_nexis(entry: list[str]) -> Item:
    lines = [line for line in entry if line]
    body_at = next((i for i, line in enumerate(lines) if line.lower() == "body"), None)
    if body_at is None:  # no "Body" line: the body starts after the last header line
        last, seen, pending = -1, False, False
        for i, line in enumerate(lines[:25]):
            if _is_nexis_header(line) or (not seen and i < 6 and _date_line(line)):
                last, seen = i, seen or _is_nexis_header(line)
                lab = _label(line)
                pending = bool(lab and not lab[1])
            elif pending:  # the value of a label left empty ("Byline:", then the name)
                last, pending = i, False
            elif seen:  # the first line after the labels that is not one: the body
                break
        header, rest = lines[:last + 1], lines[last + 1:]
    else:
        header, rest = lines[:body_at], lines[body_at + 1:]
    # The trailer: from "Classification" (or "Graphic"), or the run of labelled lines at the end.
    end = next((i for i, line in enumerate(rest) if _NEXIS_TRAILER_START.fullmatch(line)), len(rest))
    while end > 0 and _is_nexis_trailer(rest[end - 1]):
        end -= 1
    body, trailer = rest[:end], rest[end:]

    meta: dict[str, str] = {}
    notes: list[tuple[str, str]] = []
    plain: list[str] = []
    pending = None  # a label whose value is on the next line ("Byline:" alone, then the name)
    labelled = False
    for line in header:
        lab = _label(line)
        if pending and not (lab and lab[0] in _NEXIS_HEADER) and not _COPYRIGHT.match(line):
            lab, pending = (pending, line), None
        if lab and lab[0] in _NEXIS_HEADER:
            labelled = True
            key, value = _NEXIS_HEADER[lab[0]], lab[1]
            if not value:
                pending = lab[0]
                continue
            if key == "length":
                m = _WORDS.match(value)
                meta["length_words"] = re.sub(r"\D", "", m.group(1)) if m else value
            elif key == "byline":
                meta["author"] = re.sub(r"^(?:by|von|par|por)\s+", "", value, flags=re.IGNORECASE).strip()
            else:
                meta[key] = value
        elif _COPYRIGHT.match(line):
            continue
        elif not labelled:  # the lines above the labels: title, outlet, date, edition
            plain.append(line)
    classic = bool(plain) and bool(_CLASSIC_START.fullmatch(plain[0]))
    if classic:
        plain = plain[1:]
    d = next((i for i, line in enumerate(plain) if _date_line(line)), None)
    if d is not None:
        date, time = _date_line(plain[d])
        meta["date"], meta["time"] = date, time
        if classic:  # outlet, date, edition lines, then the headline
            meta["outlet"] = " ".join(plain[:d])
            if len(plain) > d + 1:
                meta["title"] = plain[-1]
            if plain[d + 1:-1]:
                meta["edition"] = "; ".join(plain[d + 1:-1])
        else:
            if d >= 2:
                meta["title"], meta["outlet"] = " ".join(plain[:d - 1]), plain[d - 1]
            elif d == 1:
                meta["title"] = plain[0]
            if plain[d + 1:]:
                meta.setdefault("edition", "; ".join(plain[d + 1:]))
    else:
        if plain:
            meta["title"] = plain[0]
        if len(plain) > 1:
            meta["outlet"] = plain[1]
        notes.append(("no_date", "No date line was found in this Nexis entry's header."))
    for line in trailer:
        lab = _label(line)
        if lab and lab[0] in ("load-date", "load date", "load-datum"):
            meta["load_date"] = lab[1]
        elif lab and lab[0] == "url":
            meta.setdefault("url", lab[1])
    return _item("nexis", meta, body, "Nexis entry", notes)


def _read_nexis(lines: list[str]) -> list[Item]:
    entries = _split_nexis(lines)
    if entries:
        entries[0] = _drop_cover(entries[0])
    items = []
    for entry in entries:
        kept = [line for line in entry if line and not _END_OF_DOCUMENT.fullmatch(line)
                and not _PAGE_FURNITURE.fullmatch(line)]
        if kept:
            items.append(_parse_nexis(entry))
    return items


# ---------------------------------------------------------------------------------------------------------------
# Factiva

_DOC_ID = re.compile(r"(?:document|dokument|documento|doc)\s*(?:id\s*:?\s*)?([A-Za-z0-9]{16,40})", re.IGNORECASE)
_WORD_COUNT = re.compile(rf"{_WORDS.pattern}", re.IGNORECASE)
_SOURCE_CODE = re.compile(r"[A-Z0-9]{2,10}")
_LANGUAGES = {
    "english", "englisch", "anglais", "inglés", "ingles", "inglese", "inglês", "engels", "german", "deutsch",
    "allemand", "alemán", "tedesco", "alemão", "french", "französisch", "français", "francés", "francese",
    "spanish", "spanisch", "espagnol", "español", "spagnolo", "espanhol", "portuguese", "portugiesisch",
    "portugais", "portugués", "português", "italian", "italienisch", "italien", "italiano", "dutch",
    "niederländisch", "néerlandais", "russian", "russisch", "russe", "ruso", "russo", "ukrainian",
    "ukrainisch", "ukrainien", "polish", "polnisch", "chinese", "chinesisch", "chinois", "chino", "japanese",
    "japanisch", "japonais", "arabic", "arabisch", "arabe", "turkish", "swedish", "danish", "norwegian",
    "finnish", "greek", "korean", "czech", "hungarian", "romanian", "hebrew", "hindi", "indonesian",
}
_BYLINE = re.compile(r"(?:by|von|par|por|di)\s+(?P<name>\S.*)", re.IGNORECASE)
# Field codes of Factiva's format with indexing.
_CODES = {"HD", "BY", "CR", "WC", "PD", "ET", "SN", "SC", "ED", "PG", "LA", "CY", "LP", "TD", "CT", "RF", "CO",
          "IN", "NS", "RE", "IPC", "IPD", "PUB", "AN", "SE", "CLM", "ART", "VOL", "NGC"}
_CODE_LINE = re.compile(r"(?P<code>[A-Z]{2,3})\s*\|\s*(?P<value>.*?)\s*\|?\s*")


def _doc_id(line: str) -> str | None:
    m = _DOC_ID.fullmatch(line.strip())
    return m.group(1) if m and re.search(r"\d", m.group(1)) else None


def _factiva_header(post: list[str]) -> tuple[dict[str, str], int]:
    """Meta from the lines after the word count, and where the body starts.

    Factiva writes, one a line: the date, a time (optional), the source
    name, the source code, edition and page (optional), the language and the
    copyright. The header ends at the copyright line, else at the language
    line; without either, after the source code or at the first line that is
    none of these.
    """
    window = post[:12]
    end = next((i + 1 for i, line in enumerate(window) if _COPYRIGHT.match(line)), None)
    if end is None:
        end = next((i + 1 for i, line in enumerate(window) if line.lower() in _LANGUAGES), None)
    known = end is not None
    meta: dict[str, str] = {}
    others: list[str] = []
    last = -1
    for i, line in enumerate(window[:end] if known else window):
        if not known and "source_code" in meta:
            break
        got_date = _date_line(line) if "date" not in meta and "outlet" not in meta else None
        if got_date:
            meta["date"] = got_date[0]
            if got_date[1]:
                meta["time"] = got_date[1]
        elif "date" in meta and "time" not in meta and "outlet" not in meta and _TIME_LINE.fullmatch(line):
            meta["time"] = line
        elif _COPYRIGHT.match(line) or (line.lower() in _LANGUAGES and "source_language" not in meta):
            if not _COPYRIGHT.match(line):
                meta["source_language"] = line
        elif "outlet" not in meta:
            meta["outlet"] = line
        elif "source_code" not in meta and _SOURCE_CODE.fullmatch(line):
            meta["source_code"] = line
        elif known:
            others.append(line)
        else:  # neither copyright nor language line: the body starts here
            break
        last = i
    if not known:
        end = last + 1
    pages = [line for line in others if re.fullmatch(r"[A-Z]?\d{1,4}[A-Z]?", line)]
    editions = [line for line in others if line not in pages]
    if pages:
        meta["page"] = pages[0]
    if editions:
        meta["edition"] = "; ".join(editions)
    return meta, end


def _looks_factiva(lines: list[str]) -> bool:
    ids = sum(1 for line in lines if _doc_id(line))
    counts = sum(1 for line in lines if _WORD_COUNT.fullmatch(line))
    codes = {m.group("code") for m in map(_CODE_LINE.fullmatch, lines) if m and m.group("code") in _CODES}
    return (ids >= 1 and counts >= 1) or {"HD", "AN"} <= codes


def _read_factiva_lines(lines: list[str]) -> list[Item]:
    lines = [line for line in lines if line]
    if any(m and m.group("code") == "HD" for m in map(_CODE_LINE.fullmatch, lines)):
        return _read_factiva_codes(lines)
    chunks, current = [], []
    for line in lines:
        current.append(line)
        if _doc_id(line):
            chunks.append(current)
            current = []
    if current:
        chunks.append(current)
    items = []
    for chunk in chunks:
        w = next((i for i, line in enumerate(chunk) if _WORD_COUNT.fullmatch(line)), None)
        doc = _doc_id(chunk[-1])
        if w is None:
            if doc is None:
                continue  # the search summary after the last article, or a cover: no article here
            items.append(_item("factiva", {"title": chunk[0], "doc_id": doc}, chunk[1:-1], "Factiva entry",
                               [("no_header", "No word-count line: the date and source of this entry were not read.")]))
            continue
        meta = _factiva_pre(chunk[:w])
        meta["word_count"] = re.sub(r"\D", "", _WORD_COUNT.fullmatch(chunk[w]).group(1))
        post = chunk[w + 1:-1] if doc else chunk[w + 1:]
        header, start = _factiva_header(post)
        meta.update(header)
        if doc:
            meta["doc_id"] = doc
        items.append(_item("factiva", meta, post[start:], "Factiva entry"))
    return items


def _factiva_pre(pre: list[str]) -> dict[str, str]:
    """Section, headline and byline: the lines above the word count."""
    meta: dict[str, str] = {}
    by = next((i for i, line in enumerate(pre) if _BYLINE.fullmatch(line) and i > 0), None)
    if by is not None:
        meta["author"] = _BYLINE.fullmatch(pre[by]).group("name").strip()
        above, below = pre[:by], pre[by + 1:]
    else:
        above, below = pre, []
    if above:
        meta["title"] = above[-1]
        if above[:-1]:
            meta["section"] = "; ".join(above[:-1])
    if below:
        meta["credit"] = "; ".join(below)
    return meta


def _code_meta(code: str, value: str, meta: dict[str, str]) -> None:
    value = value.strip()
    if not value:
        return
    if code == "HD":
        meta["title"] = value
    elif code == "BY":
        m = _BYLINE.fullmatch(value)
        meta["author"] = m.group("name").strip() if m else value
    elif code == "WC":
        m = _WORD_COUNT.fullmatch(value)
        meta["word_count"] = re.sub(r"\D", "", m.group(1)) if m else value
    elif code == "PD":
        got = _date_line(value)
        meta["date"] = got[0] if got else value
    elif code == "AN":
        meta["doc_id"] = _doc_id(value) or value
    else:
        key = {"ET": "time", "SN": "outlet", "SC": "source_code", "LA": "source_language", "SE": "section",
               "ED": "edition", "PG": "page", "CR": "credit"}.get(code)
        if key:
            meta[key] = value


def _read_factiva_codes(lines: list[str]) -> list[Item]:
    """Factiva's format with indexing, as RTF tables: one ``CODE|value|`` line per field."""
    records: list[tuple[dict[str, str], list[str]]] = []
    code = None
    for line in lines:
        m = _CODE_LINE.fullmatch(line)
        if m and m.group("code") in _CODES:
            code, value = m.group("code"), m.group("value")
            if code == "HD" or not records:
                records.append(({}, []))
            meta, body = records[-1]
            if code in ("LP", "TD"):
                body.append(value)
            else:
                _code_meta(code, value, meta)
        elif code in ("LP", "TD") and records:
            records[-1][1].append(line.strip("| "))
    return [_item("factiva", meta, body, "Factiva entry") for meta, body in records]


# ---------------------------------------------------------------------------------------------------------------
# Factiva HTML


def is_factiva_html(text: str) -> bool:
    """True when ``text`` is a page saved from Factiva holding articles (either HTML layout)."""
    head = text[:2_000_000]
    blocks = re.search(r"class=[\"'][^\"']*\b(?:[a-z]{2}Article|articleParagraph)\b", head)
    # A news site may use the same class names: Factiva's own marks are a document id, its name or its headline div.
    signed = (re.search(r"\b(?:Document|Dokument|Documento)\s+[A-Za-z0-9]{16,40}\b", head)
              or "factiva" in head.lower() or re.search(r"<div[^>]+id=[\"']hd[\"']", head))
    if blocks and signed:
        return True
    return bool(re.search(r"<b>\s*HD\s*</b>", head) and re.search(r"<b>\s*AN\s*</b>", head))


# Inline elements: a header line highlighting a search term (``<div><b>Kyiv</b> Post</div>``) is still one line.
_INLINE = {"b", "i", "em", "strong", "span", "a", "font", "br", "u", "sup", "sub", "small", "mark"}


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _text_of(el) -> str:
    # Joined as is: Factiva marks search terms with <b>, so "<b>São Paulo</b>’s" must stay one word.
    return _clean("".join(el.itertext()))


def _html_article(div) -> Item:
    meta: dict[str, str] = {}
    lines: list[tuple[str, str]] = []  # (kind, text): "hd", "author", "div", "p"
    body: list[str] = []

    def walk(el):
        for child in el:
            if not isinstance(child.tag, str):
                continue
            cls = _classes(child)
            if child.get("id") == "hd" or any("headline" in c.lower() for c in cls):
                lines.append(("hd", _text_of(child)))
            elif any("author" in c.lower() for c in cls):
                lines.append(("author", _text_of(child)))
            elif child.tag == "p" and any("articleparagraph" in c.lower() for c in cls):
                text = _text_of(child)
                if text:
                    body.append(text)
            elif child.tag in ("div", "p", "span") and all(d.tag in _INLINE for d in child.iterdescendants()
                                                            if isinstance(d.tag, str)):
                text = _text_of(child)
                if text:
                    lines.append((child.tag, text))
            else:
                walk(child)

    walk(div)
    heads = [i for i, (kind, _) in enumerate(lines) if kind == "hd"]
    w = next((i for i, (kind, text) in enumerate(lines) if kind != "hd" and _WORD_COUNT.fullmatch(text)), None)
    hd = heads[0] if heads else None
    if hd is not None and lines[hd][1]:
        meta["title"] = lines[hd][1]
    for kind, text in lines[: w if w is not None else len(lines)]:
        if kind == "author":
            m = _BYLINE.fullmatch(text)
            meta["author"] = m.group("name").strip() if m else text
    if w is not None:
        pre = [text for kind, text in lines[:w] if kind in ("div", "p")]
        before = [text for i, (kind, text) in enumerate(lines[:w]) if kind in ("div", "p") and hd is not None and i < hd]
        if hd is None:  # no marked headline: read the lines above the word count as the text export does
            meta.update(_factiva_pre(pre))
        else:
            if before:
                meta["section"] = "; ".join(before)
            after = [t for t in pre if t not in before]
            if after:
                meta["credit"] = "; ".join(after)
        meta["word_count"] = re.sub(r"\D", "", _WORD_COUNT.fullmatch(lines[w][1]).group(1))
        post = [text for kind, text in lines[w + 1:] if kind == "div"]
        header, _ = _factiva_header(post)
        meta.update(header)
    for _, text in lines:
        doc = _doc_id(text)
        if doc:
            meta["doc_id"] = doc
    notes = [] if w is not None else [("no_header", "No word-count line: the date and source of this entry were not read.")]
    return _item("factiva", meta, body, "Factiva entry", notes)


def _html_tables(root) -> list[Item]:
    records: list[tuple[dict[str, str], list[str]]] = []
    for row in root.iter("tr"):
        cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]
        if len(cells) < 2:
            continue
        code = _text_of(cells[0])
        if code not in _CODES:
            continue
        if code == "HD" or not records:
            records.append(({}, []))
        meta, body = records[-1]
        value = cells[1]
        if code in ("LP", "TD"):
            paras = [_text_of(p) for p in value.iter("p")] or [_text_of(value)]
            body.extend(p for p in paras if p)
        else:
            _code_meta(code, _text_of(value), meta)
    return [_item("factiva", meta, body, "Factiva entry") for meta, body in records]


def read_factiva_html(data: bytes, name: str, options: ReadOptions | None = None) -> list[Item]:
    """The articles of a Factiva HTML export, in file order (format ``factiva``).

    Reads the "Article Format" page (one ``<div class="article enArticle">``
    per article: ``id="hd"`` headline, ``author`` byline, unmarked ``<div>``
    header lines from the word count to the copyright,
    ``articleParagraph`` body paragraphs, the ``Document …`` id) and the
    format with indexing (rows ``HD``, ``BY``, ``WC``, ``PD``, ``SN``,
    ``SC``, ``LA``, ``LP``, ``TD``, ``AN``). Raises ``Unreadable`` when the
    page holds no Factiva article.
    """
    import lxml.etree
    import lxml.html

    # Control characters (a damaged or mis-saved page) are not allowed in lxml's strings.
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]", " ", decode_bytes(data).text)
    if not text.strip():
        raise Unreadable("empty", f"{name} is empty.")
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as err:
        raise Unreadable("corrupt_file", f"{name} could not be parsed as HTML ({err}); save the Factiva page again.") from None
    for br in root.iter("br"):
        br.tail = " " + (br.tail or "")
    blocks = [div for div in root.iter("div") if any(re.fullmatch(r"[a-z]{2}Article", c) for c in _classes(div))]
    if not blocks:  # innermost "article" divs
        blocks = [div for div in root.iter("div") if "article" in _classes(div)
                  and not any("article" in _classes(d) for d in div.iter("div") if d is not div)]
    items = [_html_article(div) for div in blocks]
    if not items:
        items = _html_tables(root)
    if not items:
        raise Unreadable("no_articles", f"{name} looks like a Factiva page but holds no article; "
                         "export the articles again in Article Format.")
    return items


# ---------------------------------------------------------------------------------------------------------------
# DOCX and RTF


def _docx_paragraphs(data: bytes, name: str) -> list[tuple[str, str]]:
    """``(style name, text)`` of every non-empty paragraph of a DOCX body, in order (the style of the first only)."""
    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        out = []
        # Every paragraph of the body in order, those in content controls (w:sdt) included, those in tables
        # left out: a cover page's search table is not an article, and python-docx's ``paragraphs`` skips w:sdt.
        for element in body.iter(qn("w:p")):
            if any(a.tag == qn("w:tbl") for a in element.iterancestors()):
                continue
            text = _clean(Paragraph(element, document).text.replace("\n", " "))
            if text:
                out.append((element, text))
        if out:  # looking a style up is slow in python-docx: only the first paragraph's is wanted
            style = Paragraph(out[0][0], document).style
            out[0] = (style.name if style is not None else "", out[0][1])
        return [(style if i == 0 else "", text) for i, (style, text) in enumerate(out)]
    except Exception as err:  # noqa: BLE001 -- python-docx raises zip, XML and key errors of many kinds on a damaged file
        raise Unreadable("corrupt_file", f"{name} is not a readable DOCX file ({type(err).__name__}); "
                         "open it in Word and save it again.") from None


def read_docx(data: bytes, name: str, options: ReadOptions | None = None) -> list[Item]:
    """The articles of a DOCX file: every entry of a Nexis Uni export (``nexis``), else the file as one article (``docx``).

    A plain DOCX gives one article of its non-empty paragraphs; a first
    paragraph in a Title or Heading style is its title. Raises
    ``Unreadable("corrupt_file")`` for a damaged file and ``Unreadable("empty")``
    for one without text.
    """
    paragraphs = _docx_paragraphs(data, name)
    lines = [text for _, text in paragraphs]
    if _looks_nexis(lines):
        items = _read_nexis(lines)
        if items:
            return items
    kept = [(style, text) for style, text in paragraphs if text]
    if not kept:
        raise Unreadable("empty", f"{name} holds no text.")
    meta = {}
    if re.match(r"(?:title|heading)", kept[0][0], re.IGNORECASE) and len(kept) > 1:
        meta["title"] = kept[0][1]
        kept = kept[1:]
    return [Item(text="\n\n".join(text for _, text in kept), meta=meta, format="docx")]


def _rtf_lines(data: bytes, name: str) -> list[str]:
    from striprtf.striprtf import rtf_to_text

    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        raise Unreadable("empty", f"{name} is empty.")
    if not head.startswith(b"{\\rtf"):
        raise Unreadable("corrupt_file", f"{name} does not start like an RTF file; save it again as RTF.")
    raw = data.decode("latin-1")
    m = re.search(r"\\ansicpg(\d+)", raw[:2000])
    encoding = f"cp{m.group(1)}" if m else "cp1252"
    try:
        "".encode(encoding)
    except LookupError:
        encoding = "cp1252"
    try:
        text = rtf_to_text(raw, encoding=encoding, errors="replace")
    except Exception as err:  # noqa: BLE001 -- striprtf fails in its own ways on a damaged file
        raise Unreadable("corrupt_file", f"{name} is not a readable RTF file ({type(err).__name__}).") from None
    return [_clean(line) for line in normalize(text).split("\n")]


def read_rtf(data: bytes, name: str, options: ReadOptions | None = None) -> list[Item]:
    """The articles of an RTF file: a Nexis (``nexis``) or Factiva (``factiva``) export, else one article (``rtf``).

    Raises ``Unreadable("corrupt_file")`` for a file that is not RTF and
    ``Unreadable("empty")`` for one without text.
    """
    lines = _rtf_lines(data, name)
    if _looks_nexis(lines):
        items = _read_nexis(lines)
        if items:
            return items
    if _looks_factiva(lines):
        items = _read_factiva_lines(lines)
        if items:
            return items
    kept = [line for line in lines if line]
    if not kept:
        raise Unreadable("empty", f"{name} holds no text.")
    return [Item(text="\n\n".join(kept), format="rtf")]
