"""Saved web pages (``.html``/``.htm``, and ``.mhtml`` single-file archives): the article and what the page says of it.

The body comes from ``trafilatura`` (precision first: navigation, cookie
banners, share links, related articles, comments and footers are left out),
one paragraph per paragraph, heading or list item of the article. A page
too small for trafilatura to call it an article (a hand-written snippet)
is read as before: tags stripped, furniture elements dropped
(``reading.strip_html``).

Metadata is read from the page itself, most trusted first: JSON-LD
(``NewsArticle``, ``Article``, ``ReportageNewsArticle``..., also inside an
``@graph``), then ``og:``/``article:`` meta tags, then ``<link
rel=canonical>``, ``<meta name=author>`` and other date tags, then a
``datePublished`` or ``<time datetime>`` in the article, then ``<title>``
(a trailing " | Outlet" dropped when it is the site's name, or when the
rest is the page's own headline). Dates are kept as the page writes them;
trafilatura's own date guesses (htmldate) are not used, so no date comes
from a URL or a copyright line. Nothing is fetched.
"""

from __future__ import annotations

import json
import re
import unicodedata
from html import unescape

from analysis.load.reading import Unreadable, decode_bytes, normalize, strip_html
from analysis.load.sources import Item, ReadOptions

__all__ = ["page_metadata", "read_mhtml", "read_page"]

# schema.org types of a news article, most specific first (a page often holds a WebPage and a BreadcrumbList too).
_ARTICLE_TYPES = ("NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
                  "BackgroundNewsArticle", "ReviewNewsArticle", "LiveBlogPosting", "Article", "BlogPosting",
                  "Report")
_DATE_METAS = ("article:published_time", "og:published_time", "datepublished", "date", "pubdate", "publishdate",
               "publish-date", "publish_date", "dc.date", "dc.date.issued", "dcterms.created", "parsely-pub-date",
               "sailthru.date")
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.IGNORECASE)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)""", re.IGNORECASE)
_TITLE_ELEMENT = re.compile(r"<title\b.*?</title\s*>", re.IGNORECASE | re.DOTALL)
_TITLE_SEP = re.compile(r"\s+[|\-–—:·•]\s+")


def read_page(data: bytes, name: str, options: ReadOptions | None = None) -> list[Item]:
    """The article of a saved web page, as one ``Item`` of format ``"web"``.

    ``meta`` holds ``title``, ``outlet``, ``date`` (as the page writes it:
    ``2018-03-03T09:30:00-03:00``), ``author`` (several joined by ", ") and
    ``url`` where the page gives them. ``text`` is the body, one paragraph
    per block, separated by blank lines. Raises ``Unreadable`` for a file
    that is not text (``not_text``, ``encoding``) or a page without article
    text (``empty``). ``options`` is not used (tables only).
    """
    return [_article(*_decode(data))]


def read_mhtml(data: bytes, name: str, options: ReadOptions | None = None) -> list[Item]:
    """The article of a page saved as one file (``.mhtml``/``.mht``, "Save as: single file"), as ``read_page`` reads it.

    The page's HTML part is read; its address (the browser's
    ``Snapshot-Content-Location`` or the part's ``Content-Location``) is the
    ``url`` when the page gives none. Raises ``Unreadable("corrupt_file")``
    when the file holds no HTML part.
    """
    import email
    import email.policy

    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
        part = next((p for p in message.walk() if p.get_content_type() == "text/html"), None)
        raw = part.get_payload(decode=True) if part is not None else None  # bytes: the page's charset decides
    except Exception:  # noqa: BLE001 - the email parser's errors on a damaged archive are many
        raw = None
    if not isinstance(raw, bytes) or not raw.strip():
        raise Unreadable("corrupt_file", "This web archive (.mhtml) holds no HTML page; save the page again, "
                         "or as .html.")
    item = _article(*_decode(raw))
    where = message.get("Snapshot-Content-Location") or part.get("Content-Location")
    if where and _is_link(str(where)):
        item.meta.setdefault("url", str(where).strip())
    return [item]


def _decode(data: bytes) -> tuple[str, list[tuple[str, str]]]:
    """The page's text and the notes on its decoding (a charset its ``<meta>`` declares is honoured)."""
    decoded = decode_bytes(data)
    html, notes = decoded.text, list(decoded.notes)
    redecoded = _declared_charset(data, decoded.encoding)
    if redecoded is not None:
        html, notes = redecoded, [n for n in notes if n[0] != "legacy_encoding"]
    return html, notes


def _article(html: str, notes: list[tuple[str, str]]) -> Item:
    """The article of a decoded page: trafilatura's body, else the tag stripper's."""
    html = normalize(html)
    meta = page_metadata(html)
    paragraphs = _trafilatura_body(html, meta)
    if paragraphs:
        return Item(text="\n\n".join(paragraphs), meta=meta, format="web", notes=notes)
    # What the loader made of an .html file before this reader, the lines as they come, less the <title>
    # (in meta now: a page of only a title and furniture has no article).
    text = strip_html(_TITLE_ELEMENT.sub(" ", html))[0].strip()
    if not text:
        raise Unreadable("empty", "The page holds no article text (only navigation, scripts or furniture); "
                         "save the article's own page, or its text as .txt.")
    notes.append(("web_fallback", ("The page is too small or plain for trafilatura to find an article in it; its "
                  "text was read with the tags stripped and navigation, banners and footers dropped.")))
    return Item(text=text, meta=meta, format="web", notes=notes)


def page_metadata(html: str) -> dict[str, str]:
    """``title``, ``outlet``, ``date``, ``author``, ``url`` of a page, each from the most trusted place that has it.

    Order of trust: JSON-LD article, ``og:``/``article:`` tags, ``<link
    rel=canonical>``/``<meta name=author>``/other date tags, a
    ``datePublished`` or ``<time datetime>`` in the article, ``<title>``, and
    for the URL last the "saved from url" comment browsers write. Values are
    stripped strings; a field no source gives is absent.
    """
    from lxml import html as lxml_html

    try:
        tree = lxml_html.document_fromstring(html.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8"))
    except Exception:  # noqa: BLE001 - lxml refuses empty or odd documents: no metadata then
        return {}
    found: dict[str, str] = {}

    def put(key: str, value) -> None:
        value = " ".join(unescape(str(value or "")).split())  # JSON-LD is often HTML-escaped ("&#8217;")
        if key == "url" and not _is_link(value):
            return  # a relative canonical link says nothing of where the page was
        if value and key not in found:
            found[key] = value

    for key, value in _json_ld(tree).items():
        put(key, value)
    metas: dict[str, str] = {}
    page_authors: list[str] = []  # article:author may be given once per author
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        content = (el.get("content") or "").strip()
        if key and content:
            metas.setdefault(key, content)
            if key == "article:author" and not _is_link(content) and content not in page_authors:
                page_authors.append(content)  # not the author's profile page, which it often is
    put("title", metas.get("og:title") or metas.get("twitter:title"))
    put("outlet", metas.get("og:site_name") or metas.get("application-name"))
    for key in _DATE_METAS:
        put("date", metas.get(key))
    put("author", ", ".join(page_authors))
    put("url", metas.get("og:url"))
    for el in tree.iter("link"):
        if "canonical" in (el.get("rel") or "").lower().split():
            put("url", el.get("href"))
    author = metas.get("author") or metas.get("byl") or metas.get("dc.creator")
    if author and not _is_link(author):
        put("author", re.sub(r"^by\s+", "", author, flags=re.IGNORECASE))
    for el in tree.iter("time", "span", "div", "p"):  # a date the page marks up in its text
        if (el.get("itemprop") or "").lower() == "datepublished" or (el.tag == "time" and el.get("pubdate") is not None):
            put("date", el.get("datetime") or el.get("content") or el.text_content())
    for el in tree.iter("time"):
        if el.get("datetime") and any(a.tag == "article" for a in el.iterancestors()):
            put("date", el.get("datetime"))
            break
    titles = tree.findall(".//title")
    if titles:
        put("title", titles[0].text_content())
    if "title" in found and found.get("outlet"):
        found["title"] = _strip_site(found["title"], found["outlet"])
    elif "title" in found:  # " - Harbour Times" is the site's name when the page's own headline is the rest
        headings = {_norm(h.text_content()) for h in tree.iter("h1", "h2")}
        for sep in _TITLE_SEP.finditer(found["title"]):
            if _norm(found["title"][:sep.start()]) in headings:
                found["title"] = found["title"][:sep.start()].strip()
                break
    m = _SAVED_FROM.search(html[:4000])
    if m:
        put("url", m.group(1))
    return found


def _json_ld(tree) -> dict[str, str]:
    """The fields of the page's JSON-LD article (the first of the most specific type)."""
    objects: list[dict] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        raw = re.sub(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$", "", raw).strip()
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        _collect(data, objects)
    by_id = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str)}
    article = None
    for wanted in _ARTICLE_TYPES:
        article = next((o for o in objects if wanted in _types(o)), None)
        if article is not None:
            break
    if article is None:
        return {}

    def resolve(value):
        if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id") in by_id:
            return by_id[value["@id"]]
        return value

    def names(value) -> list[str]:
        value = resolve(value)
        if isinstance(value, list):
            return [n for v in value for n in names(v)]
        if isinstance(value, dict):
            return names(value.get("name"))
        if isinstance(value, str) and value.strip() and not _is_link(value):
            return [value.strip()]
        return []

    def link(value) -> str | None:
        value = resolve(value) if not isinstance(value, str) else value
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, dict):
            value = value.get("@id") or value.get("url")
        return value if isinstance(value, str) and _is_link(value) else None

    out = {}
    headline = article.get("headline") or article.get("name")
    if isinstance(headline, str):
        out["title"] = headline
    for key in ("datePublished", "dateCreated"):
        if isinstance(article.get(key), str) and article[key].strip():
            out["date"] = article[key].strip()
            break
    authors = list(dict.fromkeys(names(article.get("author") or article.get("creator"))))
    if authors:
        out["author"] = ", ".join(re.sub(r"^by\s+", "", a, flags=re.IGNORECASE) for a in authors)
    publisher = names(article.get("publisher") or article.get("sourceOrganization"))
    if publisher:
        out["outlet"] = publisher[0]
    url = link(article.get("url")) or link(article.get("mainEntityOfPage"))
    if url:
        out["url"] = url
    return out


def _collect(data, objects: list[dict]) -> None:
    """Every JSON-LD object in ``data``: lists, ``@graph`` lists and the top object."""
    if isinstance(data, list):
        for d in data:
            _collect(d, objects)
    elif isinstance(data, dict):
        objects.append(data)
        if "@graph" in data:
            _collect(data["@graph"], objects)


def _types(obj: dict) -> list[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return [k.rsplit("/", 1)[-1] for k in kinds if isinstance(k, str)]


def _is_link(value: str) -> bool:
    return bool(re.match(r"https?://\S+$", value.strip(), re.IGNORECASE))


def _strip_site(title: str, site: str) -> str:
    """``title`` without a trailing (or leading) " | Site" when that part is the site's name."""
    seps = list(_TITLE_SEP.finditer(title))
    if seps and _norm(title[seps[-1].end():]) == _norm(site):
        return title[:seps[-1].start()].strip()
    if seps and _norm(title[:seps[0].start()]) == _norm(site):
        return title[seps[0].end():].strip()
    return title


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold()))


def _declared_charset(data: bytes, used: str) -> str | None:
    """The page decoded with the charset its ``<meta>`` declares, when that is not what was guessed and it works."""
    if used.startswith(("utf-8", "utf-16", "utf-32")):
        return None
    m = _CHARSET.search(data[:4096])
    if not m:
        return None
    declared = m.group(1).decode("ascii", "replace").lower()
    if declared in ("utf-8", "utf8", "windows-1252", "cp1252"):
        return None
    try:
        return data.decode(declared)
    except (LookupError, UnicodeDecodeError):
        return None


def _trafilatura_body(html: str, meta: dict[str, str]) -> list[str]:
    """The article's paragraphs as trafilatura finds them (empty when it finds no article)."""
    import trafilatura
    from lxml import etree

    try:
        xml = trafilatura.extract(html, url=meta.get("url"), output_format="xml", favor_precision=True,
                                  include_comments=False, include_tables=True, include_images=False,
                                  include_links=False, with_metadata=False)
    except Exception:  # noqa: BLE001 - a page trafilatura chokes on is read by the fallback
        return []
    if not xml:
        return []
    try:
        root = etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError:
        return []
    main = root.find("main")
    if main is None:
        return []
    paragraphs = []
    for el in main.iter("p", "head", "item", "quote", "row"):
        if any(a.tag in ("p", "item", "quote", "row") for a in el.iterancestors()):
            continue  # read with the paragraph, list item, quote or table row holding it
        if el.tag == "row":
            texts = [" | ".join(" ".join("".join(c.itertext()).split()) for c in el.iter("cell"))]
        else:
            texts = _lines(el)
        paragraphs.extend(t for t in texts if t)
    if paragraphs and meta.get("title") and _norm(paragraphs[0]) == _norm(meta["title"]):
        paragraphs = paragraphs[1:]  # the headline again, given in meta
    return paragraphs


def _lines(el) -> list[str]:
    """The text of an element, cut at its line breaks (``<lb/>``: a ``<br>``, or paragraphs written ``<br><br>``)."""
    parts: list[list[str]] = [[]]

    def walk(node) -> None:
        if node.text:
            parts[-1].append(node.text)
        for child in node:
            if child.tag == "lb":
                parts.append([])
            else:
                walk(child)
            if child.tail:
                parts[-1].append(child.tail)

    walk(el)
    return [" ".join("".join(part).split()) for part in parts]
