"""Web page reader: saved pages with their furniture, read back as one article with the page's own metadata."""

import socket
import time

import pytest

from analysis.load.dates import parse_date
from analysis.load.readers.web import page_metadata, read_page
from analysis.load.reading import Unreadable, strip_html

COOKIE = ('<div id="cookie-banner"><p>We use cookies to improve your experience on our site. By continuing you '
          'accept our cookie policy.</p><button>Accept all</button></div>')
NAV = ('<header><a href="/">{site}</a><nav><ul><li><a href="/world">World</a></li><li><a href="/business">Business'
       '</a></li><li><a href="/sport">Sport</a></li><li><a href="/opinion">Opinion</a></li></ul></nav></header>')
SHARE = ('<div class="share-tools"><a href="#">Share on Facebook</a> <a href="#">Share on X</a> '
         '<a href="#">Email this article</a></div>')
RELATED = ('<section class="related-articles"><h2>Related articles</h2><ul><li><a href="/a">Wheat prices hit a '
           'two-year low</a></li><li><a href="/b">Ports in Odesa reopen after strikes</a></li></ul></section>')
COMMENTS = ('<section id="comments"><h2>Comments (3)</h2><div class="comment"><p>Great reporting, thanks for this.'
            '</p></div><div class="comment"><p>This will never work, trust me.</p></div></section>')
NEWSLETTER = ('<div class="newsletter-signup"><h3>Sign up for our morning briefing</h3><p>The day’s news in your '
              'inbox before breakfast.</p><form><input type="email"><button>Subscribe</button></form></div>')
FOOTER = ('<footer><p>© 2018 {site}. All rights reserved.</p><ul><li><a href="/about">About us</a></li>'
          '<li><a href="/privacy">Privacy policy</a></li></ul></footer>')
FURNITURE = ("cookies", "Accept all", "World", "Business", "Share on", "Email this", "Related articles",
             "Wheat prices hit", "Comments", "Great reporting", "never work", "Sign up", "inbox", "Subscribe",
             "rights reserved", "About us", "Privacy")


def page(head, body, site):
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">{head}</head><body>{COOKIE}'
            f'{NAV.format(site=site)}<main><article>{body}</article>{RELATED}{COMMENTS}{NEWSLETTER}</main>'
            f'{FOOTER.format(site=site)}</body></html>')


JSON_LD_PAGE = page(
    head="""<title>Grain talks resume in São Paulo | The Daily Ledger</title>
<meta property="og:title" content="Grain talks: a new round">
<meta property="og:site_name" content="Ledger Online">
<meta property="article:published_time" content="2018-03-02T23:00:00Z">
<link rel="canonical" href="https://ledger.example/canonical">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": []}</script>
<script type="application/ld+json">{ this is not json }</script>
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
 {"@type":"WebPage","@id":"https://ledger.example/world/grain-talks","name":"World news"},
 {"@type":"Organization","@id":"https://ledger.example/#org","name":"The Daily Ledger"},
 {"@type":["NewsArticle"],"headline":"Grain talks resume in São Paulo","datePublished":"2018-03-03T09:30:00-03:00",
  "author":[{"@type":"Person","name":"Ana Souza"},{"@type":"Person","name":"Taras Bondarenko"}],
  "publisher":{"@id":"https://ledger.example/#org"},
  "mainEntityOfPage":{"@id":"https://ledger.example/world/2018/03/03/grain-talks"}}]}</script>""",
    body="""<h1>Grain talks resume in São Paulo</h1>
<p class="byline">By Ana Souza and Taras Bondarenko</p>
<time datetime="2018-03-03T09:30:00-03:00">March 3, 2018</time>""" + SHARE + """
<p>Negotiators from Kyiv and Moscow met again in São Paulo on Saturday, the first round of grain talks since the
corridor closed in the summer.</p>
<p>“We are here to keep ships moving,” said Olena Kovalenko, Ukraine’s deputy trade minister — adding that the Black
Sea route had carried more than 30 million tonnes last year.</p>
<h2>Closed doors</h2>
<p>Brazilian officials, who are hosting the talks, said the delegations would meet for three days behind closed
doors, with no statement expected before Tuesday.</p>
<p>The previous round, held in Istanbul, ended without agreement after both sides accused each other of breaking
earlier promises.</p>
<p>Traders in Chicago said wheat prices had already fallen on hopes of a deal, but warned that any setback would send
them higher again by the end of the <a href="/week">week</a>.</p>""",
    site="The Daily Ledger",
)

OG_PAGE = page(
    head="""<title>Kyiv’s mayor warns of a hard winter – Kyiv Morning</title>
<meta property="og:title" content="Kyiv’s mayor warns of a hard winter – Kyiv Morning">
<meta property="og:site_name" content="Kyiv Morning">
<meta property="og:type" content="article">
<meta property="og:url" content="https://morning.example/2023/11/20/winter">
<meta property="article:published_time" content="2023-11-20T07:15:00+02:00">
<meta property="article:author" content="https://facebook.example/olha.marchenko">
<meta name="author" content="Olha Marchenko">""",
    body="""<header><h1>Kyiv’s mayor warns of a hard winter</h1><p class="byline">Olha Marchenko</p></header>""" + SHARE + """
<p>Kyiv’s mayor said on Monday that the city was preparing for long power cuts this winter, after a summer of
strikes on the grid.</p>
<p>“We have generators in every school,” Vitali Klitschko told reporters — though he admitted that some districts
would still be dark for hours at a time.</p>
<p>Engineers have repaired most of the damaged substations, the energy ministry said, but spare transformers remain
scarce across the country.</p>
<p>Residents were asked to charge phones and store water before the first frosts.</p>""",
    site="Kyiv Morning",
)

TITLE_PAGE = page(
    head="<title>Seoul and Tokyo agree to resume talks - Harbour Times</title>",
    body="""<h2>Seoul and Tokyo agree to resume talks</h2>
<p>South Korea and Japan agreed on Tuesday to resume regular talks between their foreign ministers, the first such
meetings in almost two years.</p>
<p>The two governments said the talks would cover trade, fisheries and North Korea’s missile tests, which have
alarmed both capitals.</p>
<p>Officials in Seoul said the first meeting could take place in Busan before the end of the year.</p>""",
    site="Harbour Times",
)


def check(item, title, outlet, date, day, first, last, n_paragraphs, author=None, url=None):
    assert item.format == "web" and item.error is None
    assert item.meta.get("title") == title
    assert item.meta.get("outlet") == outlet
    assert item.meta.get("author") == author
    assert item.meta.get("url") == url
    assert item.meta.get("date") == date
    if date:
        assert str(parse_date(date)[0].date()) == day
    words = item.text.split()
    assert (words[0], words[-1]) == (first, last)
    assert len(item.text.split("\n\n")) == n_paragraphs
    for phrase in FURNITURE:
        assert phrase not in item.text, phrase
    assert "<" not in item.text and "\n\n\n" not in item.text
    assert all("\n" not in p for p in item.text.split("\n\n"))  # one line per paragraph


def test_json_ld_article_gives_the_metadata_and_furniture_is_dropped():
    [item] = read_page(JSON_LD_PAGE.encode(), "ledger/grain.html")
    check(item, "Grain talks resume in São Paulo", "The Daily Ledger", "2018-03-03T09:30:00-03:00", "2018-03-03",
          "Negotiators", "week.", 6, author="Ana Souza, Taras Bondarenko",
          url="https://ledger.example/world/2018/03/03/grain-talks")
    paragraphs = item.text.split("\n\n")
    assert paragraphs[1].startswith("“We are here") and "minister — adding" in paragraphs[1]
    assert paragraphs[2] == "Closed doors"  # a subheading stays, for the furniture classifier to mark
    assert "Ana Souza" not in item.text and "Grain talks resume" not in item.text  # byline and headline in meta
    assert item.notes == []


def test_og_tags_give_the_metadata_when_there_is_no_json_ld():
    [item] = read_page(OG_PAGE.encode(), "morning/winter.htm")
    check(item, "Kyiv’s mayor warns of a hard winter", "Kyiv Morning", "2023-11-20T07:15:00+02:00", "2023-11-20",
          "Kyiv’s", "frosts.", 4, author="Olha Marchenko", url="https://morning.example/2023/11/20/winter")


def test_title_tag_alone_gives_the_title_without_the_site_the_headline_leaves_out():
    [item] = read_page(TITLE_PAGE.encode("utf-8"), "harbour.html")
    check(item, "Seoul and Tokyo agree to resume talks", None, None, None, "South", "year.", 3)
    # Without a headline on the page to tell the site's name apart, the title is kept whole.
    html = TITLE_PAGE.replace("<h2>Seoul and Tokyo agree to resume talks</h2>", "")
    assert read_page(html.encode(), "harbour.html")[0].meta == {"title": "Seoul and Tokyo agree to resume talks - "
                                                                         "Harbour Times"}


def test_title_suffix_is_dropped_when_it_is_the_site_name():
    html = TITLE_PAGE.replace("<title>", '<meta name="application-name" content="Harbour Times"><title>')
    [item] = read_page(html.encode(), "harbour.html")
    check(item, "Seoul and Tokyo agree to resume talks", "Harbour Times", None, None, "South", "year.", 3)


@pytest.mark.parametrize(("ld", "expected"), [
    (('{"@type":"ReportageNewsArticle","headline":"A","datePublished":"2024-03-01","author":"Jane Doe",'
     '"publisher":{"@type":"Organization","name":"The Outlet"},"url":"https://o.example/a"}'),
     {"title": "A", "date": "2024-03-01", "author": "Jane Doe", "outlet": "The Outlet", "url": "https://o.example/a"}),
    (('[{"@type":"WebSite","name":"Site"},{"@type":"Article","headline":"B","author":["Jane Doe","By John Roe"],'
     '"mainEntityOfPage":"https://o.example/b"}]'),
     {"title": "B", "author": "Jane Doe, John Roe", "url": "https://o.example/b"}),
    ('{"@type":"http://schema.org/NewsArticle","name":"C","author":{"name":"Jane Doe"},"dateCreated":"2024-03"}',
     {"title": "C", "author": "Jane Doe", "date": "2024-03"}),
    ('{"@type":"NewsArticle","headline":"Kyiv&#8217;s plan &amp; Moscow&#8217;s reply","author":"Olena Shevchenko"}',
     {"title": "Kyiv’s plan & Moscow’s reply", "author": "Olena Shevchenko"}),
    ('{"@type":"Person","name":"Not an article"}', {}),
])
def test_json_ld_shapes(ld, expected):
    assert page_metadata(f'<html><head><script type="application/ld+json">{ld}</script></head></html>') == expected


def test_saved_from_comment_and_relative_canonical():
    html = ('<!-- saved from url=(0040)https://paper.example/2024/05/02/geneva -->\n<html><head>'
            '<link rel="canonical" href="/2024/05/02/geneva"><meta name="author" content="By Mark Ellis">'
            '<meta name="date" content="2024-05-02"></head></html>')
    assert page_metadata(html) == {"url": "https://paper.example/2024/05/02/geneva", "author": "Mark Ellis",
                                   "date": "2024-05-02"}


def test_small_hand_written_pages_are_read_as_before():
    # Too small for trafilatura: the package's own tag stripper reads them, as .html files were read until now.
    snippet = "<p>China and Russia met in Beijing.</p>"
    [item] = read_page(snippet.encode(), "sub/nested.html")
    assert item.text == strip_html(snippet)[0] == "China and Russia met in Beijing."
    assert [code for code, _ in item.notes] == ["web_fallback"]
    hostile = """<html><body>
<nav><ul><li>Home</li><li>World</li></ul></nav>
<div id="cookie-consent">We use cookies to improve your experience. <button>Accept all</button></div>
<article><h1>Talks in Alaska</h1><p>Putin met Trump in Alaska on Friday.</p>
<div class="share-bar"><a>Share on Facebook</a><a>Share on X</a></div>
<p>Zelenskyy was not there, officials said.</p>
<aside class="related-articles"><p>Related: Kim visits Moscow</p></aside></article>
<footer>Copyright 2025 Example News</footer></body></html>"""
    [item] = read_page(hostile.encode(), "page.html")
    assert item.text.split("\n\n")[-2:] == ["Putin met Trump in Alaska on Friday.", "Zelenskyy was not there, officials said."]
    for furniture in ("Home", "cookies", "Accept all", "Share on", "Related", "Copyright"):
        assert furniture not in item.text


def test_declared_legacy_charset_is_honoured():
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
            '<title>Київ готується до зими</title></head><body><article><p>Київ готується до довгих відключень '
            'світла цієї зими, заявив мер міста в понеділок.</p></article></body></html>')
    [item] = read_page(html.encode("cp1251"), "kyiv.html")
    assert item.meta["title"] == "Київ готується до зими"
    assert item.text.startswith("Київ готується до довгих")
    assert not any(code == "legacy_encoding" for code, _ in item.notes)


@pytest.mark.parametrize(("data", "code"), [
    ((b"<html><head><title>Home</title><script>var x = 1;</script></head><body><nav><a>World</a></nav>"
     b"<footer>Copyright 2025</footer></body></html>"), "empty"),
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n" + bytes(200), "not_text"),
])
def test_pages_without_article_text_are_unreadable(data, code):
    with pytest.raises(Unreadable) as err:
        read_page(data, "bad.html")
    assert err.value.code == code and err.value.message.endswith(".")


def test_nothing_is_fetched(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the web reader tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    for html in (JSON_LD_PAGE, OG_PAGE, TITLE_PAGE):
        assert read_page(html.encode(), "p.html")[0].text


def test_a_page_takes_well_under_a_second():
    read_page(JSON_LD_PAGE.encode(), "warm.html")
    start = time.perf_counter()
    for html in (JSON_LD_PAGE, OG_PAGE, TITLE_PAGE) * 5:
        read_page(html.encode(), "p.html")
    assert (time.perf_counter() - start) / 15 < 0.5


def test_paragraphs_written_with_line_breaks_are_split():
    one = "Negotiators from Kyiv and Moscow met again in São Paulo on Saturday, the first grain talks in a year."
    two = "Brazilian officials said the delegations would meet for three days behind closed doors this week."
    three = "Traders in Chicago said wheat prices had already fallen on hopes of a deal being reached soon."
    html = (f"<html><head><title>Grain talks</title></head><body>{NAV.format(site='Ledger')}<div class='story-body'>"
            f"{one}<br><br>{two}<br><br>{three}</div>{FOOTER.format(site='Ledger')}</body></html>")
    [item] = read_page(html.encode(), "br.html")
    assert item.text.split("\n\n") == [one, two, three]


def test_several_article_author_tags_and_a_time_element_in_the_article():
    html = ('<html><head><meta property="article:author" content="Jane Doe">'
            '<meta property="article:author" content="https://social.example/jane">'
            '<meta property="article:author" content="John Roe"></head><body><time datetime="2020-01-01">Site '
            'launched</time><article><h1>Talks</h1><time datetime="2024-05-02T08:00:00+02:00">2 May</time>'
            '<p>Talks in Geneva stalled.</p></article></body></html>')
    assert page_metadata(html) == {"author": "Jane Doe, John Roe", "date": "2024-05-02T08:00:00+02:00"}
    marked = html.replace("<p>Talks", '<span itemprop="datePublished" content="2024-05-01">1 May</span><p>Talks')
    assert page_metadata(marked)["date"] == "2024-05-01"


def test_damaged_bytes_raise_only_unreadable():
    import random

    rng = random.Random(21)
    for _ in range(40):
        data = bytearray(JSON_LD_PAGE.encode())
        for _ in range(rng.randint(1, 30)):
            i = rng.randrange(len(data))
            if rng.random() < 0.5:
                data[i] = rng.randrange(256)
            else:
                del data[i:i + rng.randint(1, 60)]
        try:
            [item] = read_page(bytes(data), "damaged.html")
        except Unreadable as err:
            assert err.code in ("empty", "not_text", "encoding")
        else:
            assert item.text.strip() and item.format == "web"  # a broken tag may leave a "<" in the text


def test_single_file_web_archive_is_read_like_the_page():
    import quopri
    from email.message import EmailMessage

    from analysis.load.readers.web import read_mhtml

    archive = EmailMessage()
    archive["Snapshot-Content-Location"] = "https://harbour.example/2024/seoul-tokyo"
    archive["Subject"] = "Seoul and Tokyo agree to resume talks - Harbour Times"
    archive.make_related()
    part = EmailMessage()  # as browsers write it: quoted-printable UTF-8, the charset only in the page's <meta>
    part["Content-Type"] = "text/html"
    part["Content-Transfer-Encoding"] = "quoted-printable"
    part["Content-Location"] = "https://harbour.example/2024/seoul-tokyo?utm=x"
    part.set_payload(quopri.encodestring(TITLE_PAGE.encode()).decode("ascii"))
    archive.attach(part)
    archive.add_related(b"\x89PNG fake image", maintype="image", subtype="png")
    [item] = read_mhtml(archive.as_bytes(), "seoul.mhtml")
    assert "North Korea’s missile tests" in item.text  # UTF-8 decoded right
    check(item, "Seoul and Tokyo agree to resume talks", None, None, None, "South", "year.", 3,
          url="https://harbour.example/2024/seoul-tokyo")
    with pytest.raises(Unreadable) as err:
        read_mhtml(b"From: nobody\r\n\r\njust text", "bad.mhtml")
    assert err.value.code == "corrupt_file"
