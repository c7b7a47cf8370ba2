"""Text-based PDFs: one article per file, its title, byline and date from the first lines.

The text is taken with ``pypdf`` in its layout mode, which keeps the blank
lines and indents that show where paragraphs start (a page laid out in
columns is read in pypdf's plain mode instead, column after column). Then:

- running headers and footers (a line among the first or last three of a
  page that repeats, digits aside, on at least half the pages) and page
  numbers ("3", "Page 3 of 5", "- 3 -") are dropped; a URL in them (a
  browser's "print to PDF" footer) is kept as the article's ``url``;
- the first lines give the ``title``, the ``author`` ("By Jane Doe"), the
  ``date`` ("March 3, 2018", "2018-03-03") and, only when labelled
  ("Source: Reuters"), the ``outlet``; the PDF's own metadata (``/Title``,
  ``/Author``, ``/CreationDate``) fills what the page does not say;
- hard-wrapped lines are joined into paragraphs (a paragraph ends at a blank
  line, or at a sentence end followed by an indented line, or, on pages
  without either, at a sentence end on a short line), and words split
  across lines ("govern-/ment") are joined.

A PDF without any text (a scan) raises ``Unreadable("no_text_layer")``.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise

from analysis.load.dates import parse_date
from analysis.load.reading import Unreadable, normalize
from analysis.load.sources import Item, ReadOptions

__all__ = ["read_pdf"]

_EDGE = 3  # lines at the top and bottom of a page where running headers and footers are looked for
_PAGE_NUMBER = re.compile(r"(?:page|p\.|seite|página|pagina)?\s*\d{1,4}(?:\s*(?:of|/|von|de)\s*\d{1,4})?|"
                          r"[-–—]\s*\d{1,4}\s*[-–—]|[ivxlc]{1,6}", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
_BYLINE = re.compile(r"^by\s+(\S.*)$", re.IGNORECASE)
_OUTLET = re.compile(r"^(?:source|publication|outlet|publisher|newspaper|published\s+(?:by|in))\s*:\s*(\S.{0,79})$",
                     re.IGNORECASE)
_DATE_PREFIX = re.compile(r"^(?:first\s+)?(?:published|updated|posted|date|dated)(?:\s+on)?\s*:?\s*", re.IGNORECASE)
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_DATE_IN_LINE = re.compile(
    rf"{_WEEKDAY}(?:[A-Z][a-z]{{2,8}}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+[A-Z][a-z]{{2,8}}\.?,?\s+\d{{4}})|"
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?",
    re.IGNORECASE,
)
_SPLIT_PARTS = re.compile(r"\s+[|·•—–]\s+|\s{2,}")
_SENTENCE_END = re.compile(r"[.?!…][\"”’')\]]*$|[\"”]$")
_HYPHEN_END = re.compile(r"(\w+)[-\u00ad\u2010]$")
# Halves of words that are hyphenated in their own right ("self-", "short-", "-term", "-led"): a hyphen at a
# line end next to one of them is kept, as it is where the text writes the word so elsewhere ("cease-fire").
_COMPOUND_FIRST = frozenset({
    "self", "ex", "non", "anti", "pro", "well", "so", "vice", "all", "half", "far", "long", "short", "full", "part",
    "cross",
})
_COMPOUND_SECOND = frozenset({
    "term", "based", "led", "backed", "owned", "known", "year", "old", "time", "level", "scale", "wing", "style",
    "making", "run", "called", "free", "wide", "friendly", "born", "made", "like", "up", "off", "elect", "general",
})
_GUTTER = re.compile(r"\S {5,}\S")
_LIGATURES = re.compile("[\ufb00-\ufb06]")
_JUNK_TITLE = re.compile(r"\.(?:docx?|pdf|rtf|txt|html?|indd|odt|pages)$|^(?:microsoft\s+\w+\s+-|untitled|document\d*$)",
                         re.IGNORECASE)
_MIN_LETTERS = 20  # fewer letters than this in the whole file: no text layer


# Markers between body lines, beside None (a blank line): a page ends; the deck (standfirst) ends.
_PAGE_BREAK = "page"
_DECK_END = "deck"


@dataclass
class _Line:
    page: int
    indent: int
    text: str


def read_pdf(data: bytes, name: str, options: ReadOptions | None = None) -> list[Item]:
    """The article of a text-based PDF, as one ``Item`` of format ``"pdf"``.

    ``meta`` holds what the first lines (or the PDF's metadata) give:
    ``title``, ``author``, ``date`` (as written), ``outlet`` (only from a
    labelled line), ``url`` (from a browser's print footer). ``notes`` say
    when a field comes from the PDF's metadata and which pages had no text.
    Raises ``Unreadable``: ``corrupt_file``, ``encrypted_pdf``,
    ``no_text_layer``. A PDF whose only text is its headline comes back with
    ``error`` (``no_body``). ``options`` is not used (tables only).
    """
    pages, info = _extract(data)
    notes: list[tuple[str, str]] = []
    pages, url = _drop_running_lines(pages)
    letters = sum(ch.isalpha() for page in pages for line in page if line for ch in line.text)
    if letters < _MIN_LETTERS:
        raise Unreadable("no_text_layer", "The PDF has no text layer (it looks scanned: its pages are images); "
                         "run OCR on it first (e.g. `ocrmypdf in.pdf out.pdf`) and load the result.")
    empty = [str(i + 1) for i, page in enumerate(pages) if not any(line for line in page)]
    if empty:
        which = f"Pages {', '.join(empty)} of the PDF hold" if len(empty) > 1 else f"Page {empty[0]} of the PDF holds"
        notes.append(("pages_without_text", (f"{which} no text (scanned?) and {'are' if len(empty) > 1 else 'is'} "
                      "left out; run OCR (e.g. ocrmypdf) to read them.")))
    meta, body = _front_lines(pages)
    if url:
        meta.setdefault("url", url)
    _metadata_fallback(meta, info, notes)
    paragraphs = _paragraphs(body)
    if paragraphs and meta.get("title") and _norm(paragraphs[0]) == _norm(meta["title"]):
        paragraphs = paragraphs[1:]
    text = normalize("\n\n".join(paragraphs))
    meta = {k: normalize(v) for k, v in meta.items()}
    if not text.strip():
        return [Item(text="", meta=meta, format="pdf", notes=notes,
                     error=("no_body", ("The PDF holds a headline or byline but no article text; check it is "
                            "the whole article, not its first page or cover.")))]
    return [Item(text=text, meta=meta, format="pdf", notes=notes)]


def _extract(data: bytes) -> tuple[list[list[_Line | None]], dict[str, object]]:
    """The lines of each page (None for a blank line) and the document's metadata."""
    # pypdf logs every repair it makes to a damaged file (some as errors); what matters reaches the problems
    # table instead, as this function's Unreadable or as notes.
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        return _extract_quietly(data)
    finally:
        log.setLevel(level)


def _extract_quietly(data: bytes) -> tuple[list[list[_Line | None]], dict[str, object]]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    if b"%PDF" not in data[:1024]:
        raise Unreadable("corrupt_file", "This is not a PDF (it does not start with %PDF); check the file was "
                         "saved whole, or give it its right extension.")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError):
                opened = 0
            if not opened:
                raise Unreadable("encrypted_pdf", "The PDF is protected by a password (or an encryption pypdf "
                                 "cannot open); save an unprotected copy (e.g. `qpdf --decrypt`) and load that.")
        pages = list(reader.pages)
    except Unreadable:
        raise
    except FileNotDecryptedError:
        raise Unreadable("encrypted_pdf", "The PDF is protected by a password; save an unprotected copy "
                         "(e.g. `qpdf --decrypt`) and load that.") from None
    except Exception as err:  # noqa: BLE001 - pypdf raises many kinds of errors on damaged files
        raise Unreadable("corrupt_file", f"The PDF is damaged and cannot be opened ({type(err).__name__}); "
                         "open and re-save it, or export it again.") from None
    out = [_page_lines(i, page) for i, page in enumerate(pages)]
    try:
        info = _info(reader)
    except Exception:  # noqa: BLE001 - broken metadata is only a missing fallback
        info = {}
    return out, info


def _page_lines(number: int, page) -> list[_Line | None]:
    def text(mode: str) -> str:
        try:
            return page.extract_text(extraction_mode=mode) or ""
        except Exception:  # noqa: BLE001 - a page pypdf cannot read in one mode may read in the other
            return ""

    rows = text("layout").split("\n")
    filled = [r for r in rows if r.strip()]
    # Columns side by side in the layout: read the page in content order instead.
    if not filled or (len(filled) >= 6 and sum(bool(_GUTTER.search(r.strip())) for r in filled) > 0.4 * len(filled)):
        rows = text("plain").split("\n")
    lines: list[_Line | None] = []
    for row in rows:
        row = _LIGATURES.sub(lambda m: unicodedata.normalize("NFKC", m.group()), row.rstrip())
        if not row.strip():
            if lines and lines[-1] is not None:
                lines.append(None)
            continue
        lines.append(_Line(number, len(row) - len(row.lstrip()), " ".join(row.split())))
    while lines and lines[-1] is None:
        lines.pop()
    return lines


def _info(reader) -> dict[str, object]:
    meta = reader.metadata
    if meta is None:
        return {}
    info: dict[str, object] = {"title": meta.title, "author": meta.author}
    try:
        info["created"] = meta.creation_date
    except Exception:  # noqa: BLE001 - an unparseable /CreationDate
        info["created"] = None
    return info


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", text.casefold())


def _drop_running_lines(pages: list[list[_Line | None]]) -> tuple[list[list[_Line | None]], str | None]:
    """Pages without their running headers, footers and page numbers, and a URL found in them."""
    edges: list[set[int]] = []
    seen: dict[str, set[int]] = {}
    for p, page in enumerate(pages):
        filled = [i for i, line in enumerate(page) if line is not None]
        edge = set(filled[:_EDGE] + filled[-_EDGE:])
        edges.append(edge)
        for i in edge:
            seen.setdefault(_key(page[i].text), set()).add(p)
    n_pages = sum(1 for page in pages if any(page))
    repeated = {k for k, on in seen.items() if len(on) >= 2 and len(on) >= 0.5 * n_pages}
    url = None
    out = []
    for page, edge in zip(pages, edges):
        kept: list[_Line | None] = []
        for i, line in enumerate(page):
            if line is not None and i in edge and (_key(line.text) in repeated or _PAGE_NUMBER.fullmatch(line.text)):
                m = _URL.search(line.text)
                url = url or (m.group().rstrip(".,;)") if m else None)
                continue
            if line is None and (not kept or kept[-1] is None):
                continue
            kept.append(line)
        while kept and kept[-1] is None:
            kept.pop()
        out.append(kept)
    return out, url


def _date_in(text: str) -> str | None:
    """The date a short line gives ("March 3, 2018", "Published: 2018-03-03"), as written; None if none."""
    if len(text.split()) > 10:
        return None
    bare = _DATE_PREFIX.sub("", text).strip()
    if parse_date(bare)[1] in ("day", "time", "month"):
        return bare
    for m in _DATE_IN_LINE.finditer(bare):
        if parse_date(m.group())[1] in ("day", "time"):
            return m.group().strip()
    return None


def _label(text: str) -> dict[str, str]:
    """What a front line says: ``author`` (and a ``date`` on the same line), ``date``, ``outlet``; {} for none."""
    m = _OUTLET.match(text)
    if m:
        return {"outlet": m.group(1).strip()}
    m = _BYLINE.match(text)
    if m:
        found: dict[str, str] = {}
        parts = _SPLIT_PARTS.split(m.group(1))
        names = []
        for part in parts:
            date = _date_in(part)
            if date and "date" not in found:
                found["date"] = date
            else:
                names.append(part)
        author = ", ".join(names).strip(" ,")
        if author and len(author.split()) <= 12 and author[:1].isupper():
            found["author"] = author
            return found
        return {}
    date = _date_in(text)
    if date:
        return {"date": date}
    return {}


def _looks_like_title(text: str) -> bool:
    return (len(text.split()) <= 20 and not re.search(r"[.,;:]$", text)
            and (text[:1].isupper() or text[:1].isdigit() or text[:1] in "“\"‘'"))


def _front_lines(pages: list[list[_Line | None]]) -> tuple[dict[str, str], list[_Line | None]]:
    """The metadata the first lines give, and the body lines after them (None marks a paragraph break)."""
    first = next((p for p, page in enumerate(pages) if any(page)), None)
    if first is None:
        return {}, []
    page = pages[first]
    filled = [i for i, line in enumerate(page) if line is not None][:8]
    labels = [_label(page[i].text) for i in filled]
    meta: dict[str, str] = {}
    start = next((k for k, lab in enumerate(labels) if lab), None)
    deck: list[_Line] = []
    if start is not None and start <= 3:
        end = start
        while end < len(labels) and labels[end]:
            for key, value in labels[end].items():
                meta.setdefault(key, value)
            end += 1
        before = [page[i] for i in filled[:start]]
        if before and _looks_like_title(before[0].text):
            title = before[0].text
            rest = before[1:]
            while rest and rest[0].text[:1].islower():  # a headline wrapped over two lines
                title = _join(title, rest.pop(0).text, set())
            meta["title"] = title
            deck = rest
        else:
            deck = before
        cut = filled[end] if end < len(filled) else len(page)
    else:
        lead = page[filled[0]]
        followed_by_blank = filled[0] + 1 < len(page) and page[filled[0] + 1] is None
        cut = filled[0]
        if followed_by_blank and _looks_like_title(lead.text) and len(filled) > 1:
            meta["title"] = lead.text
            cut = filled[0] + 1
    body: list[_Line | None] = [*deck, _DECK_END] if deck else []  # type: ignore[list-item]
    body += page[cut:]
    for later in pages[first + 1:]:
        body.append(_PAGE_BREAK)  # type: ignore[arg-type]  # a paragraph may go on across it
        body += later
    return meta, body


def _paragraphs(lines: list) -> list[str]:
    """Paragraphs of body lines: joined at line ends, broken at blank lines, indents or short sentence ends."""
    real = [line for line in lines if isinstance(line, _Line)]
    if not real:
        return []
    lengths = sorted(len(line.text) for line in real)
    # The length of a full line (the longest of a few lines; of many, the 80th percentile, past odd long ones).
    full = lengths[int(0.8 * (len(lengths) - 1))] if len(lengths) >= 8 else lengths[-1]

    def short_end(prev: _Line, line: _Line) -> bool:
        """A short line ending a sentence, then a capital: a paragraph's last line in text without blank lines."""
        return (bool(_SENTENCE_END.search(prev.text)) and len(prev.text) < 0.8 * full
                and (line.text[:1].isupper() or line.text[:1] in "“\"‘'—–-(["))

    def heading(prev: _Line, line: _Line) -> bool:
        """A short line of a few words without a sentence end, then a capital: a subheading ("Closed doors")."""
        return (len(prev.text.split()) <= 8 and len(prev.text) < 0.5 * full and not _SENTENCE_END.search(prev.text)
                and not prev.text.endswith((",", ";", "-", "–", "—")) and prev.text[:1].isupper()
                and line.text[:1].isupper())

    # Blank lines separate the paragraphs unless they are rare beside short sentence ends without one (a
    # text whose paragraphs are set closer than a line apart, with blank lines only around its subheadings).
    n_blank = sum(1 for a, b, c in zip(lines, lines[1:], lines[2:]) if b is None and isinstance(a, _Line)
                  and isinstance(c, _Line) and _SENTENCE_END.search(a.text)
                  and (_SENTENCE_END.search(c.text) or len(c.text) > 0.6 * full))  # not around a subheading
    n_short = sum(1 for a, b in pairwise(lines) if isinstance(a, _Line) and isinstance(b, _Line)
                  and short_end(a, b))
    blank_mode = n_blank >= 2 and n_blank >= 0.5 * n_short
    by_page: dict[int, list[int]] = {}
    for line in real:
        by_page.setdefault(line.page, []).append(line.indent)
    base = {page: max(set(indents), key=indents.count) for page, indents in by_page.items()}  # the usual indent
    vocabulary = {w.casefold() for line in real for w in re.findall(r"\w+(?:-\w+)+", line.text)}

    paragraphs: list[list[_Line]] = []
    current: list[_Line] = []
    page_break = False
    for line in lines:
        if line is None or line == _DECK_END:
            if current:
                paragraphs.append(current)
            current = []
            continue
        if line == _PAGE_BREAK:
            page_break = True
            continue
        if current:
            prev = current[-1]
            ends = bool(_SENTENCE_END.search(prev.text))
            indented = line.indent >= base[line.page] + 2 and line.indent > (prev.indent if prev.page == line.page
                                                                            else base[line.page])
            if (ends and (indented or page_break or (not blank_mode and short_end(prev, line)))) or heading(prev, line):
                paragraphs.append(current)
                current = []
        page_break = False
        current.append(line)
    if current:
        paragraphs.append(current)
    out = []
    for para in paragraphs:
        text = para[0].text
        for line in para[1:]:
            text = _join(text, line.text, vocabulary)
        out.append(text.replace("\u00ad", ""))
    return [p for p in out if p.strip()]


def _join(text: str, nxt: str, vocabulary) -> str:
    """Two lines of one paragraph: a word split at the line end ("govern-", "ment") joined whole."""
    m = _HYPHEN_END.search(text)
    if m and nxt[:1].islower():
        first, second = m.group(1).casefold(), (re.match(r"\w+", nxt) or re.match("", "")).group().casefold()
        if text.endswith("-") and (f"{first}-{second}" in vocabulary or first in _COMPOUND_FIRST
                                   or second in _COMPOUND_SECOND):
            return text + nxt
        return text[:-1] + nxt
    return f"{text} {nxt}"


def _metadata_fallback(meta: dict[str, str], info: dict[str, object], notes: list[tuple[str, str]]) -> None:
    """The PDF's /Title, /Author and /CreationDate where the first lines gave none."""
    title = " ".join(str(info.get("title") or "").split())
    if "title" not in meta and title and not _JUNK_TITLE.search(title):
        meta["title"] = title
    author = " ".join(str(info.get("author") or "").split())
    if "author" not in meta and author:
        meta["author"] = author
    created = info.get("created")
    if "date" not in meta and created is not None and hasattr(created, "date"):
        meta["date"] = created.date().isoformat()
        notes.append(("date_from_pdf_metadata", (f"No date in the article's first lines; the PDF's creation date "
                      f"({meta['date']}) is used, which may be the day it was saved, not published.")))


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold()))
