"""News-database exports (Nexis Uni DOCX/RTF, Factiva RTF/HTML): every article, its metadata, its body only.

The fixtures are written here: DOCX with python-docx, RTF as the strings an
RTF writer produces (non-ASCII as ``\\u8220?``, ``\\'e3``), HTML as Factiva
lays it out. Each export holds several articles, one of them malformed.
"""

import io
import re

import pytest
from docx import Document

from analysis.load.dates import parse_date
from analysis.load.readers.exports import (
    is_factiva_html,
    read_docx,
    read_factiva_html,
    read_rtf,
)
from analysis.load.reading import Unreadable

# Lines an export wraps around an article: none may be left in an article's text.
FURNITURE = re.compile(
    r"^(?:length|load-date|byline|section|dateline|language|publication-type|subject|geographic|classification|"
    r"body|end of document|copyright|\(c\)|documents \(|client/matter|search terms|search type|narrowed by|"
    r"document [A-Za-z0-9]{20,}|\d+ words|english$|GRDN$|KYIVP$|FOLHA$|NYTF$|search summary|results found)",
    re.IGNORECASE,
)


def check(item, want):
    """Assert everything an analyst relies on for one article."""
    assert item.error is None, item.error
    meta = item.meta
    for key in ("title", "outlet", "date", "author"):
        assert meta.get(key) == want.get(key), (key, meta.get(key), want.get(key))
    stamp, precision = parse_date(meta["date"])
    assert precision == "day" and stamp.strftime("%Y-%m-%d") == want["day"], (meta["date"], stamp)
    paragraphs = item.text.split("\n\n")
    assert len(paragraphs) == len(want["body"])
    assert paragraphs[0].split()[0] == want["body"][0].split()[0]
    assert paragraphs[-1].split()[-1] == want["body"][-1].split()[-1]
    assert paragraphs == want["body"]
    for p in paragraphs:
        assert not FURNITURE.match(p), p
        assert p not in (meta["title"], meta.get("outlet"), meta["date"])
    for key, value in want.get("extra", {}).items():
        assert meta.get(key) == value, (key, meta.get(key), value)


# ----------------------------------------------------------------------------------------------------------------
# Nexis Uni

COVER = [
    "Date and Time: March 8, 2018 10:02 AM EST", "Job Number: 61250718", "Documents (4)",
    "Client/Matter: -None-", "Search Terms: Kyiv OR “São Paulo”", "Search Type: Boolean",
    "Narrowed by:", "Content Type", "1. São Paulo’s mayor — a budget in trouble",
    "2. Kyiv’s metro extends its night service", "3. Empty entry", "4. Rain returns to the Paraná valley",
]

NEXIS = [
    {
        "title": "São Paulo’s mayor — a budget in trouble", "outlet": "Folha International",
        "date_line": "March 3, 2018 Saturday", "date": "March 3, 2018 Saturday", "day": "2018-03-03",
        "author": "Ana Luísa Souza",
        "header": ["Copyright 2018 Folha International All Rights Reserved", "Section: WORLD; Pg. 4",
                   "Length: 512 words", "Byline: By Ana Luísa Souza", "", "Body"],
        "body": ["SÃO PAULO — The city’s mayor said on Friday that the “hole in the budget” was deeper than feared.",
                 "Council members asked for an audit before any new spending, and unions threatened a strike.",
                 "“We will not cut schools,” the mayor told reporters outside City Hall."],
        "trailer": ["Classification", "Language: ENGLISH", "Publication-Type: Newspaper",
                    "Subject: BUDGETS (90%); MUNICIPAL FINANCE (88%)", "Geographic: SÃO PAULO, BRAZIL (94%)",
                    "Load-Date: March 4, 2018", "", "End of Document"],
        "extra": {"section": "WORLD; Pg. 4", "length_words": "512", "load_date": "March 4, 2018"},
    },
    {
        # Labels in capitals, a time after the date, no "Body" line, no "Classification".
        "title": "Kyiv’s metro extends its night service", "outlet": "Kyiv Independent Weekly",
        "date_line": "March 5, 2018 Monday 8:00 AM EST", "date": "March 5, 2018 Monday", "day": "2018-03-05",
        "author": "Olena Kovalenko",
        "header": ["", "Copyright © 2018 Kyiv Independent Weekly", "LENGTH: 310 words", "BYLINE:", "Olena Kovalenko",
                   "DATELINE: KYIV"],
        "body": ["Kyiv’s metro will run until 2 a.m. on weekends from April, the city council decided on Monday.",
                 "Commuters welcomed the change — “finally,” said one student at Teatralna station."],
        "trailer": ["LANGUAGE: ENGLISH", "LOAD-DATE: March 6, 2018", "End of Document"],
        "extra": {"time": "8:00 AM EST", "length_words": "310", "dateline": "KYIV", "load_date": "March 6, 2018"},
    },
    {
        "title": "Empty entry", "outlet": "Folha International", "date_line": "March 6, 2018 Tuesday",
        "header": ["Copyright 2018 Folha International", "Length: 0 words", "Body"],
        "body": [],
        "trailer": ["Classification", "Language: ENGLISH", "Load-Date: March 7, 2018", "End of Document"],
        "malformed": True,
    },
    {
        # Day-first date, an edition line, extra blank paragraphs, "body" in lower case.
        "title": "Rain returns to the Paraná valley", "outlet": "The Southern Ledger",
        "date_line": "7 March 2018", "date": "7 March 2018", "day": "2018-03-07",
        "author": "JOÃO PEREIRA AND MARTA LIMA",
        "header": ["Final Edition", "Copyright 2018 The Southern Ledger Ltd.", "Section: WEATHER", "",
                   "Length: 240 words", "Byline: JOÃO PEREIRA AND MARTA LIMA", "body", ""],
        "body": ["Farmers along the Paraná river saw the first heavy rain in six weeks on Wednesday.",
                 "", "The storm — forecast since Sunday — flooded two roads near the town of Foz.",
                 "Officials said the reservoirs were still at 40 per cent of their usual level.",
                 "More rain is expected over the weekend, the weather service said."],
        "trailer": ["", "Classification", "Language: ENGLISH", "Load-Date: March 8, 2018", "End of Document", ""],
        "extra": {"edition": "Final Edition", "section": "WEATHER", "length_words": "240"},
    },
]


def nexis_lines(articles, cover=True):
    lines = list(COVER) if cover else []
    for a in articles:
        lines += [a["title"], a["outlet"], a["date_line"], *a["header"], *a["body"], *a["trailer"]]
    return lines


def docx_bytes(lines, title_style=False):
    document = Document()
    for i, line in enumerate(lines):
        if i == 0 and title_style:
            document.add_heading(line, level=0)
        else:
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rtf_escape(text):
    """Text as an RTF writer stores it: control characters escaped, non-ASCII as \\uN? (signed 16 bits)."""
    out = []
    for ch in text:
        if ch in "\\{}":
            out.append("\\" + ch)
        elif ord(ch) > 127:
            n = ord(ch)
            out.append(f"\\u{n - 65536 if n > 32767 else n}?")
        else:
            out.append(ch)
    return "".join(out)


def rtf_bytes(lines):
    body = "".join(f"\\pard\\plain\\f0\\fs22 {rtf_escape(line)}\\par\n" for line in lines)
    return ("{\\rtf1\\ansi\\ansicpg1252\\deff0\\uc1{\\fonttbl{\\f0\\fswiss Arial;}}\n"
            "{\\info{\\title Export}}\n" + body + "}").encode("ascii")


def check_nexis(items):
    assert [i.format for i in items] == ["nexis"] * len(NEXIS)
    for item, want in zip(items, NEXIS):
        if want.get("malformed"):
            assert item.error is not None and item.error[0] == "no_body"
            assert item.meta["title"] == want["title"] and item.text == ""
        else:
            want = {**want, "body": [p for p in want["body"] if p]}
            check(item, want)


def test_nexis_docx_every_article_and_no_cover():
    items = read_docx(docx_bytes(nexis_lines(NEXIS)), "exports/nexis.docx")
    check_nexis(items)
    assert all("Client/Matter" not in i.text and "Documents (4)" not in i.text for i in items)


def test_nexis_rtf_every_article():
    items = read_rtf(rtf_bytes(nexis_lines(NEXIS)), "exports/nexis.rtf")
    check_nexis(items)


def test_nexis_without_cover_and_without_end_of_document():
    lines = [line for line in nexis_lines(NEXIS, cover=False) if line != "End of Document"]
    items = read_docx(docx_bytes(lines), "nexis.docx")
    check_nexis(items)


def test_nexis_export_whose_entries_all_lack_a_body():
    empty = [{**a, "body": []} for a in NEXIS]
    items = read_docx(docx_bytes(nexis_lines(empty)), "empty.docx")
    assert len(items) == 4
    assert all(i.error and i.error[0] == "no_body" and i.format == "nexis" for i in items)
    assert [i.meta["title"] for i in items] == [a["title"] for a in NEXIS]


def test_plain_docx_is_one_article_titled_by_its_heading():
    lines = ["Kyiv’s winter — a city in the dark", "Power cuts lasted up to twelve hours on Tuesday in Kyiv.",
             "", "Residents of São Paulo sent generators, the charity said."]
    items = read_docx(docx_bytes(lines, title_style=True), "plain.docx")
    assert len(items) == 1 and items[0].format == "docx" and items[0].error is None
    assert items[0].meta == {"title": "Kyiv’s winter — a city in the dark"}
    assert items[0].text.split("\n\n") == [lines[1], lines[3]]


def test_corrupt_docx_and_rtf_are_unreadable():
    with pytest.raises(Unreadable) as err:
        read_docx(b"PK\x03\x04 this is not a zip archive at all", "bad.docx")
    assert err.value.code == "corrupt_file" and "bad.docx" in err.value.message
    with pytest.raises(Unreadable) as err:
        read_rtf("Plain text saved with an .rtf name — São Paulo".encode(), "bad.rtf")
    assert err.value.code == "corrupt_file"
    with pytest.raises(Unreadable) as err:
        read_docx(docx_bytes(["", ""]), "blank.docx")
    assert err.value.code == "empty"


def test_plain_rtf_is_one_article():
    data = (b"{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0 Arial;}}\\f0 Notes from S\\'e3o Paulo\\par\n"
            b"The council met on Tuesday \\u8212? again.\\par\\par\n\\u8220?Enough,\\u8221? said the mayor.\\par}")
    items = read_rtf(data, "notes.rtf")
    assert len(items) == 1 and items[0].format == "rtf"
    assert items[0].text.split("\n\n") == ["Notes from São Paulo", "The council met on Tuesday — again.",
                                           "“Enough,” said the mayor."]


# ----------------------------------------------------------------------------------------------------------------
# Factiva

FACTIVA = [
    {
        "title": "São Paulo’s metro strike ends after talks", "author": "Maria Silva", "words": "640",
        "date": "3 March 2018", "day": "2018-03-03", "outlet": "The Guardian", "code": "GRDN",
        "copyright": "(c) 2018 Guardian News & Media Limited. All rights reserved.",
        "body": ["SÃO PAULO — Metro workers returned on Friday after a three-day strike, the union said.",
                 "The city’s governor called the deal “fair for both sides”.",
                 "Trains ran at 80 per cent of the usual service by the evening rush."],
        "doc_id": "GRDN000020180303ee330001x",
    },
    {
        "title": "Kyiv opens new river bridge", "time": "08:15 GMT", "words": "412", "date": "5 March 2018",
        "day": "2018-03-05", "outlet": "Kyiv Post", "code": "KYIVP", "copyright": "Copyright 2018 Kyiv Post",
        "body": ["The bridge over the Dnipro opened to cars on Monday, two years late.",
                 "Drivers said the crossing cut their commute by “half an hour, maybe more”."],
        "doc_id": "KYIVP00020180305ee350002y",
    },
    {
        "title": "Headline without a story", "words": "0", "date": "6 March 2018", "day": "2018-03-06",
        "outlet": "Kyiv Post", "code": "KYIVP", "copyright": "Copyright 2018 Kyiv Post", "body": [],
        "doc_id": "KYIVP00020180306ee360003z", "malformed": True,
    },
    {
        "section": "Foreign Desk; 1", "title": "Brazil’s coffee growers count the cost of frost",
        "author": "Pedro Álvares", "credit": "Special to The New York Times", "words": "877",
        "date": "7 March 2018", "day": "2018-03-07", "outlet": "The New York Times", "code": "NYTF",
        "edition": "Late Edition - Final", "page": "1",
        "copyright": "Copyright 2018 The New York Times Company. All Rights Reserved.",
        "body": ["MINAS GERAIS, Brazil — A hard frost last week damaged a fifth of the region’s coffee trees.",
                 "Growers said prices would rise — “there is no other way,” one said.",
                 "The government promised cheap loans to replant.",
                 "Exporters in Santos expect smaller shipments until 2020."],
        "doc_id": "NYTF000020180307ee370004a",
    },
    {
        # No language and no copyright line: the header ends after the source code.
        "title": "Folha counts São Paulo’s potholes", "words": "198", "date": "9 March 2018", "day": "2018-03-09",
        "outlet": "Folha International", "code": "FOLHA", "copyright": None, "language": None,
        "body": ["Readers reported 4,200 potholes in a week — most of them in the east of the city.",
                 "The mayor’s office said crews would fill them by May."],
        "doc_id": "FOLHA00020180309ee390005b",
    },
]
SUMMARY = ["Search Summary", "Text", "Kyiv or São Paulo", "Date", "All Dates", "Results Found", "4"]


def factiva_lines(articles):
    lines = []
    for a in articles:
        lines += [x for x in (a.get("section"), a["title"], a.get("author") and f"By {a['author']}",
                              a.get("credit"), f"{a['words']} words", a["date"], a.get("time"), a["outlet"],
                              a["code"], a.get("edition"), a.get("page"), a.get("language", "English"),
                              a["copyright"]) if x]
        lines += ["", *a["body"], "", f"Document {a['doc_id']}", ""]
    return lines + SUMMARY


def check_factiva(items):
    assert [i.format for i in items] == ["factiva"] * len(FACTIVA)
    for item, want in zip(items, FACTIVA):
        assert item.meta["doc_id"] == want["doc_id"]
        if want.get("malformed"):
            assert item.error is not None and item.error[0] == "no_body"
            assert item.meta["title"] == want["title"]
            continue
        extra = {"word_count": want["words"], "source_code": want["code"],
                 "source_language": want.get("language", "English")}
        extra.update({k: want[k] for k in ("time", "section", "edition", "page") if k in want})
        check(item, {**want, "extra": extra})


def test_factiva_rtf_every_article():
    lines = factiva_lines(FACTIVA)
    data = rtf_bytes(lines)
    # One field written with a code-page escape, as older writers do: "S\'e3o".
    data = data.replace(b"Kyiv or S\\u227?o Paulo", b"Kyiv or S\\'e3o Paulo")
    assert b"\\'e3" in data
    check_factiva(read_rtf(data, "factiva.rtf"))


def test_factiva_rtf_with_indexing_codes():
    rows = []
    for a in FACTIVA:
        rows += [("HD", a["title"]), ("BY", f"By {a['author']}" if a.get("author") else ""),
                 ("WC", f"{a['words']} words"), ("PD", a["date"]), ("SN", a["outlet"]), ("SC", a["code"]),
                 ("LA", "English"), ("CY", a["copyright"] or "")]
        rows += [("LP", p) for p in a["body"][:1]] + [("TD", p) for p in a["body"][1:]]
        rows += [("AN", f"Document {a['doc_id']}")]
    table = "".join(f"\\trowd\\cellx1000\\cellx9000 {rtf_escape(c)}\\cell {rtf_escape(v)}\\cell\\row\n" for c, v in rows)
    data = ("{\\rtf1\\ansi\\ansicpg1252\\uc1{\\fonttbl{\\f0 Arial;}}\n" + table + "}").encode("ascii")
    items = read_rtf(data, "factiva-indexed.rtf")
    assert len(items) == len(FACTIVA)
    for item, want in zip(items, FACTIVA):
        assert item.meta["doc_id"] == want["doc_id"]
        if want.get("malformed"):
            assert item.error[0] == "no_body"
        else:
            check(item, {**want, "extra": {"word_count": want["words"], "source_code": want["code"]}})


def html_article(a):
    divs = "".join(f"<div>{x}</div>" for x in (a.get("credit"), f"{a['words']} words", a["date"], a.get("time"),
                                               a["outlet"], a["code"], a.get("edition"), a.get("page"),
                                               a.get("language", "English"), a["copyright"]) if x)
    body = "".join(f'<p class="articleParagraph enarticleParagraph">{p}  </p>\n' for p in a["body"])
    section = f"<div>{a['section']}</div>" if a.get("section") else ""
    author = f'<div class="author">By {a["author"]}  </div>' if a.get("author") else ""
    return (f'<div id="article-{a["doc_id"]}" class="article"><div class="article enArticle"><p></p>{section}\n'
            f'<div id="hd"><span class="enHeadline">{a["title"]}  </span></div>{author}\n{divs}\n<p></p>\n{body}'
            f'<p>Factiva Licensed Content</p><p>Document {a["doc_id"]}</p></div></div><br><span></span>\n')


def factiva_html(articles):
    return ('<html><head><meta charset="utf-8"><title>Factiva</title></head><body>'
            '<div id="navcontainer"><h1>Dow Jones Factiva</h1></div><form><div id="contentWrapper">'
            '<div id="contentLeft">' + "".join(html_article(a) for a in articles) + "</div></div></form></body></html>")


def test_factiva_html_every_article():
    # Factiva marks the search terms in bold everywhere, headlines and header lines included.
    html = factiva_html(FACTIVA).replace("Kyiv", "<b>Kyiv</b>").replace("São Paulo", "<b>São Paulo</b>")
    assert "<div><b>Kyiv</b> Post</div>" in html and "<b>São Paulo</b>’s metro" in html
    assert is_factiva_html(html)
    check_factiva(read_factiva_html(html.encode("utf-8"), "factiva.html"))


def test_factiva_html_with_indexing_tables():
    tables = []
    for a in FACTIVA:
        rows = [("HD", a["title"]), ("WC", f"{a['words']} words"), ("PD", a["date"]), ("SN", a["outlet"]),
                ("SC", a["code"]), ("LA", "English"), ("CY", a["copyright"] or "")]
        if a.get("author"):
            rows.insert(1, ("BY", f"By {a['author']}"))
        cells = "".join(f'<tr><td><b>{c}</b>&nbsp;</td><td>{v}</td></tr>' for c, v in rows)
        if a["body"]:
            cells += f'<tr><td><b>LP</b></td><td><p>{a["body"][0]}</p></td></tr>'
            cells += "<tr><td><b>TD</b></td><td>" + "".join(f"<p>{p}</p>" for p in a["body"][1:]) + "</td></tr>"
        cells += f'<tr><td><b>AN</b></td><td>Document {a["doc_id"]}</td></tr>'
        tables.append(f"<table>{cells}</table>")
    html = "<html><body><div>" + "<br>".join(tables) + "</div></body></html>"
    assert is_factiva_html(html)
    items = read_factiva_html(html.encode("utf-8"), "indexed.html")
    assert len(items) == len(FACTIVA)
    for item, want in zip(items, FACTIVA):
        assert item.meta["doc_id"] == want["doc_id"]
        if want.get("malformed"):
            assert item.error[0] == "no_body"
        else:
            check(item, {**want, "extra": {"word_count": want["words"], "source_language": "English"}})


def test_html_that_is_not_factiva():
    page = "<html><head><title>Kyiv news</title></head><body><article><p>Kyiv — rain.</p></article></body></html>"
    assert not is_factiva_html(page)
    # A news site that happens to use Factiva's class names, without a document id or Factiva's name.
    assert not is_factiva_html('<div class="article enArticle"><p class="articleParagraph">Kyiv — rain.</p></div>')
    with pytest.raises(Unreadable) as err:
        read_factiva_html(page.encode(), "page.html")
    assert err.value.code == "no_articles"


def test_factiva_html_in_a_german_interface():
    """Factiva labels its lines in the user's language: "Wörter", "März", "Englisch", "Dokument"."""
    html = ('<html><body><div class="article deArticle"><div id="hd"><span class="deHeadline">Kyiv’s new bridge'
            '</span></div><div>412 Wörter</div><div>5 März 2018</div><div>Kyiv Post</div><div>KYIVP</div>'
            '<div>Englisch</div><div>Copyright 2018 Kyiv Post</div>'
            '<p class="articleParagraph deArticleParagraph">The bridge opened on Monday — two years late.</p>'
            '<p>Dokument KYIVP00020180305ee350002y</p></div></body></html>')
    (item,) = read_factiva_html(html.encode(), "de.html")
    assert item.meta == {"title": "Kyiv’s new bridge", "word_count": "412", "date": "5 März 2018",
                         "outlet": "Kyiv Post", "source_code": "KYIVP", "source_language": "Englisch",
                         "doc_id": "KYIVP00020180305ee350002y"}
    assert item.text == "The bridge opened on Monday — two years late."


def test_lexisnexis_academic_rtf_with_document_counters():
    """The export before Nexis Uni: "2 of 3 DOCUMENTS", outlet and date above the headline, no "End of Document"."""
    entries = [
        ("The Guardian (London)", "March 3, 2018 Saturday", "Final Edition", "Kyiv’s theatres reopen",
         ["BYLINE: Iryna Shevchenko", "SECTION: CULTURE; Pg. 12", "LENGTH: 420 words"],
         ["KYIV — Three theatres reopened on Friday after a year of repairs.",
          "Tickets for “Natalka Poltavka” sold out in an hour."]),
        ("Folha International", "March 4, 2018 Sunday", None, "Empty record", ["LENGTH: 0 words"], []),
        ("Folha International", "March 5, 2018 Monday", None, "São Paulo counts its trees",
         ["LENGTH: 230 words"],
         ["SÃO PAULO — Volunteers counted 650,000 street trees, the city said.",
          "The census — the first since 2010 — took eight months.", "Its map goes online in April."]),
    ]
    lines = []
    for n, (outlet, date, edition, title, labels, body) in enumerate(entries, start=1):
        lines += [f"{n} of 3 DOCUMENTS", "", outlet, "", date, *([edition] if edition else []), "", title, "",
                  *labels, "", *body, "", "LOAD-DATE: March 6, 2018", "LANGUAGE: ENGLISH",
                  "PUBLICATION-TYPE: Newspaper", f"Copyright 2018 {outlet}", ""]
    items = read_rtf(rtf_bytes(lines), "academic.rtf")
    assert len(items) == 3 and all(i.format == "nexis" for i in items)
    check(items[0], {"title": "Kyiv’s theatres reopen", "outlet": "The Guardian (London)",
                     "date": "March 3, 2018 Saturday", "day": "2018-03-03", "author": "Iryna Shevchenko",
                     "body": entries[0][5], "extra": {"edition": "Final Edition", "section": "CULTURE; Pg. 12",
                                                      "length_words": "420", "load_date": "March 6, 2018"}})
    assert items[1].error[0] == "no_body" and items[1].meta["title"] == "Empty record"
    check(items[2], {"title": "São Paulo counts its trees", "outlet": "Folha International",
                     "date": "March 5, 2018 Monday", "day": "2018-03-05", "body": entries[2][5]})


def test_nexis_cover_without_table_of_contents():
    """A cover whose search table comes out of the RTF as cells, and no numbered list of titles."""
    table = ("\\trowd\\cellx3000\\cellx9000 Content Type\\cell Narrowed by\\cell\\row\n"
             "\\trowd\\cellx3000\\cellx9000 News\\cell Sources: Kyiv Independent Weekly; Folha International\\cell\\row\n")
    cover = rtf_bytes(["Documents (2)", "Client/Matter: -None-", "Search Terms: Kyiv OR “São Paulo”"])[:-1]
    articles = rtf_bytes(nexis_lines([NEXIS[1], NEXIS[0]], cover=False))
    data = cover + table.encode() + articles[articles.index(b"\\pard"):]
    items = read_rtf(data, "cover.rtf")
    assert len(items) == 2
    check(items[0], NEXIS[1])
    check(items[1], NEXIS[0])
