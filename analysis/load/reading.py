"""From bytes on disk to clean text: decoding, binary detection, HTML stripping.

Nothing here knows about articles or metadata. ``read_text`` either returns a
``Decoded`` text with notes on what was repaired (a BOM, NUL bytes, a legacy
encoding, HTML tags), or raises ``Unreadable`` with a short code and a
sentence a person understands. The caller decides what to do with either.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

__all__ = ["Decoded", "Unreadable", "read_text", "decode_bytes", "strip_html", "looks_like_html"]

# Files larger than this are refused rather than read: a single article is
# never this big, and a folder of logs dropped by mistake should not eat memory.
MAX_BYTES = 200 * 1024 * 1024

# Signatures of common non-text files that end up in article folders.
MAGIC = [
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (a .docx, .xlsx or .zip)"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document (.doc)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
]

BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]

# C0 control characters other than tab, newline, carriage return and form feed.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"


class Unreadable(Exception):
    """A file that cannot be used as text; ``code`` is short, ``message`` is for people."""

    def __init__(self, code: str, message: str):
        super().__init__(code, message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass
class Decoded:
    """Text decoded from a file, with the encoding used and notes on repairs made."""

    text: str
    encoding: str
    notes: list[tuple[str, str]] = field(default_factory=list)  # (code, message)
    is_html: bool = False


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> Decoded:
    """Read ``path`` and return its text, decoded, normalised and stripped of HTML.

    Raises ``Unreadable`` for files that are too large, not text, or empty.
    Line endings become ``\\n``, NUL bytes are removed (and noted), and the
    text is put in Unicode NFC form so that the same word is always the
    same string. HTML (by extension, or pasted into a .txt file) loses its
    tags, scripts and styles; its entities are decoded.
    """
    size = path.stat().st_size
    if size > max_bytes:
        raise Unreadable(
            "too_large",
            f"{size / 1e6:.0f} MB is more than the {max_bytes / 1e6:.0f} MB limit for one article.",
        )
    if size == 0:
        raise Unreadable("empty", "The file is empty (0 bytes).")
    decoded = decode_bytes(path.read_bytes())
    text = decoded.text
    if path.suffix.lower() in (".html", ".htm") or looks_like_html(text):
        text, n_scripts = strip_html(text)
        decoded.is_html = True
        note = "HTML tags were stripped and entities decoded"
        if n_scripts:
            note += f"; {n_scripts} script/style block{'s' if n_scripts > 1 else ''} dropped"
        if path.suffix.lower() not in (".html", ".htm"):
            decoded.notes.append(("html_in_text", f"The file holds HTML: {note}."))
    decoded.text = normalize(text)
    if not decoded.text.strip():
        what = "no text once its HTML tags were removed" if decoded.is_html else "only whitespace"
        raise Unreadable("empty", f"The file holds {what}.")
    return decoded


def decode_bytes(data: bytes) -> Decoded:
    """Decode ``data``: BOM first, then strict UTF-8, then UTF-16 without BOM, then Windows-1252.

    Raises ``Unreadable('not_text', ...)`` for binary data (a known file
    signature, or many control bytes).
    """
    notes: list[tuple[str, str]] = []
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as err:
                raise Unreadable(
                    "encoding", f"Starts with a {encoding} byte-order mark but is not valid {encoding}: {err.reason}."
                ) from None
            return _finish(text.lstrip("\ufeff"), encoding, notes)
    for magic, what in MAGIC:
        if data.startswith(magic):
            raise Unreadable("not_text", f"This is {what}, not a text file; save it as .txt or .html.")
    sample = data[:65536]
    if _looks_utf16(sample):
        encoding = "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
        try:
            return _finish(data.decode(encoding), encoding, notes)
        except UnicodeDecodeError:
            pass
    nul = sample.count(0)
    controls = sum(sample.count(bytes([b])) for b in _CONTROL)
    if controls > 0.1 * len(sample):
        raise Unreadable(
            "not_text", f"This looks like a binary file ({controls} control bytes in the first {len(sample)}), not text."
        )
    if nul:
        n = data.count(0)
        notes.append(("nul_bytes", f"{n} NUL byte{'s' if n > 1 else ''} removed."))
        data = data.replace(b"\x00", b"")
    try:
        return _finish(data.decode("utf-8"), "utf-8", notes)
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        text, n_bad = mostly
        notes.append(("invalid_bytes", f"{n_bad} byte sequence{'s' if n_bad > 1 else ''} not valid UTF-8 in an "
                      "otherwise UTF-8 file; each replaced by \ufffd."))
        return _finish(text, "utf-8", notes)
    try:
        text = data.decode("cp1252")
        encoding = "windows-1252"
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        encoding = "latin-1"
    notes.append(("legacy_encoding", f"Not UTF-8; read as {encoding}. Check quotes and accents look right."))
    return _finish(text, encoding, notes)


def _mostly_utf8(data: bytes) -> tuple[str, int] | None:
    """UTF-8 text with a few bad bytes: ``(text with U+FFFD for each, number replaced)``, else None.

    A file is taken for UTF-8 when it holds valid multi-byte sequences and
    no more invalid ones than valid: a legacy (Windows-1252) file almost
    never forms a valid UTF-8 sequence, while a UTF-8 file cut or patched by
    a tool keeps its valid ones. Without a single valid sequence the legacy
    reading is the likelier one (one curly apostrophe in a Windows file).
    """
    text = data.decode("utf-8", errors="replace")
    n_bad = text.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
    n_valid = sum(1 for ch in text if ch > "\x7f") - n_bad - data.count("\ufffd".encode("utf-8"))
    if n_valid > 0 and n_bad <= n_valid:
        return text, n_bad
    return None


def _finish(text: str, encoding: str, notes) -> Decoded:
    if "\x00" in text:
        n = text.count("\x00")
        notes.append(("nul_bytes", f"{n} NUL character{'s' if n > 1 else ''} removed."))
        text = text.replace("\x00", "")
    return Decoded(text=text, encoding=encoding, notes=notes)


def _looks_utf16(sample: bytes) -> bool:
    """UTF-16 text without a BOM: ASCII letters alternate with zero bytes."""
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    zeros = max(even.count(0) / len(even), odd.count(0) / max(len(odd), 1))
    return zeros > 0.4 and min(even.count(0), odd.count(0)) < 0.05 * len(even)


# Invisible format characters that hide a name from matching ("Pu\u200btin", "Zelen\u00adskyy"):
# zero-width space, soft hyphen, word joiner and invisible operators, zero-width no-break
# space, Mongolian vowel separator, and the bidirectional marks and embeddings.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Zero-width (non-)joiners carry meaning in Persian, Indic scripts and emoji: dropped only
# between two Latin letters, where they can only hide a word.
_LATIN_JOINER = re.compile("(?<=[A-Za-z])[\u200c\u200d](?=[A-Za-z])")


def normalize(text: str) -> str:
    """Unify line endings to ``\\n``, drop invisible format characters, and put text in NFC form.

    Every offset of the corpus tables refers to this cleaned text.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = strip_invisible(text)
    return unicodedata.normalize("NFC", text)


def strip_invisible(text: str) -> str:
    """``text`` without the invisible characters that split words (see ``_INVISIBLE``)."""
    if text.isascii():
        return text
    return _LATIN_JOINER.sub("", _INVISIBLE.sub("", text))


_HTML_HINT = re.compile(r"<\s*(?:!doctype|html|body|p|div|br|span|article|h[1-6]|script|a\s)[\s>/]", re.I)


def looks_like_html(text: str) -> bool:
    """True when text pasted into a .txt file is in fact HTML (several block tags)."""
    head = text[:20000]
    if "<" not in head:
        return False
    return len(_HTML_HINT.findall(head)) >= 3 or head.lstrip().lower().startswith(("<!doctype", "<html"))


_DROP = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.I | re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_BLOCK = re.compile(
    r"</?(?:p|div|br|h[1-6]|li|ul|ol|tr|table|article|section|header|footer|aside|nav|blockquote|figure|figcaption|main|title)\b[^>]*>",
    re.I,
)
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"[ \t\f\v]+")


def strip_html(html: str) -> tuple[str, int]:
    """Text of an HTML document: one paragraph per block element, inline tags removed.

    Returns ``(text, n_dropped)`` where ``n_dropped`` counts script, style,
    noscript and template blocks, which are dropped with their content.
    Entities (``&amp;``, ``&#8217;``) are decoded. Page furniture elements
    (navigation, cookie banners, share bars, related links, footers: see
    ``drop_page_furniture``) are dropped with their content. Regular
    expressions rather than a DOM keep this linear on multi-megabyte pages.
    """
    n_dropped = len(_DROP.findall(html))
    html = _DROP.sub(" ", html)
    html = drop_page_furniture(html)
    html = _COMMENT.sub(" ", html)
    html = _BLOCK.sub("\n\n", html)
    text = unescape(_TAG.sub("", html))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return text.strip("\n"), n_dropped


# Elements that are never the article: dropped with everything inside them.
_FURNITURE_TAGS = frozenset({"nav", "footer", "aside", "form", "button", "select", "dialog", "menu"})
_FURNITURE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alert"})
# class or id words of furniture blocks ("cookie-banner", "share_bar", "related-articles").
_FURNITURE_NAME = re.compile(
    r"(?:^|[\s_-])(?:cookies?|consent|gdpr|share|sharing|social|newsletter|subscribe|subscription|related|"
    r"recommended|promo|advert|advertisement|ads?|sponsored|breadcrumbs?|navbar|nav|menu|sidebar|popup|"
    r"modal|paywall|comments?)(?=$|[\s_-])",
    re.I,
)
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                   "source", "track", "wbr"})


def _is_furniture(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    if tag in _FURNITURE_TAGS:
        return True
    values = dict(attrs)
    if (values.get("role") or "").lower() in _FURNITURE_ROLES or values.get("aria-hidden") == "true":
        return True
    return any(_FURNITURE_NAME.search(values.get(name) or "") for name in ("class", "id"))


def drop_page_furniture(html: str) -> str:
    """``html`` without its furniture elements (see ``_FURNITURE_TAGS``, ``_FURNITURE_NAME``).

    A furniture element ends at its closing tag or where its parent closes,
    so an unclosed ``<div class="share">`` cannot swallow the article. The
    body of a page whose whole ``<body>`` or ``<article>`` is marked as
    furniture is kept: a class on the outermost element says nothing.
    """
    if "<" not in html:
        return html
    from html.parser import HTMLParser

    line_starts = [0, *(m.end() for m in re.finditer("\n", html))]
    cuts: list[tuple[int, int]] = []

    class Finder(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=False)
            self.stack: list[str] = []
            self.dropping: tuple[int, int] | None = None  # (depth, start offset)

        def here(self) -> int:
            line, col = self.getpos()
            return line_starts[line - 1] + col

        def handle_starttag(self, tag, attrs):
            if tag in _VOID:
                return
            self.stack.append(tag)
            if self.dropping is None and tag not in ("html", "body", "article", "main") and _is_furniture(tag, attrs):
                self.dropping = (len(self.stack), self.here())

        def handle_endtag(self, tag):
            if tag not in self.stack:
                return
            depth = len(self.stack) - self.stack[::-1].index(tag)  # the innermost open element of that name
            if self.dropping is not None and depth <= self.dropping[0]:
                start = self.here()  # where the end tag starts
                end = html.find(">", start)
                cut_end = len(html) if end == -1 else end + 1
                if depth < self.dropping[0]:  # the parent closes: the furniture ends before its end tag
                    cut_end = start
                cuts.append((self.dropping[1], cut_end))
                self.dropping = None
            del self.stack[depth - 1:]

    finder = Finder()
    finder.feed(html)
    finder.close()
    if finder.dropping is not None:
        cuts.append((finder.dropping[1], len(html)))
    if not cuts:
        return html
    parts, pos = [], 0
    for a, b in cuts:
        parts.append(html[pos:a])
        parts.append(" ")
        pos = b
    parts.append(html[pos:])
    return "".join(parts)
