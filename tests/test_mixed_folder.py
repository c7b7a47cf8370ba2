"""A folder mixing every input format loads into one corpus: each article with its metadata, nothing lost.

The readers are tested one by one in ``tests/test_readers_*.py``; here the
loader's own part: many articles per file (``FILE#N``), the manifest over
what a reader found, the table column flags, ``load_corpus(DataFrame)``,
the cache, and ``check``'s count per format.
"""

import json
import subprocess
import sys

import pandas as pd
import pytest

from analysis.load.corpus import load_corpus
from analysis.run.pipeline import load_corpus_cached
from analysis.run.cache import Cache

FLOOD = ("Heavy rain flooded São Paulo’s metro on Monday, and the city said “every line” would stay shut.\n\n"
         "Officials blamed clogged drains — a problem known for years — and promised repairs.")
TALKS = ("Negotiators met in Kyiv for a third round of talks on grain exports.\n\n"
         "“We are closer than ever,” a delegate said after the session ended in the evening.")
MARKET = "Markets were steady in early trading as investors waited for the central bank to speak."
PORTS = ("Ukraine’s ports in Odesa shipped more grain in March than in any month since the war began.\n\n"
         "Insurers said premiums for ships calling at the ports had fallen by a third.\n\n"
         "Exporters still face mines drifting in the Black Sea, the navy warned.")


def _tables(folder):
    """A CSV in a scraper's column names, an Excel coding sheet and JSON lines, one malformed entry each."""
    pd.DataFrame([
        {"headline": "Flooding shuts São Paulo metro", "media_name": "Folha Diária", "publish_date": "2018-03-05",
         "body": FLOOD, "leaning": "center"},
        {"headline": "No text here", "media_name": "Folha Diária", "publish_date": "2018-03-06", "body": "",
         "leaning": "center"},
        {"headline": "Kyiv talks resume", "media_name": "The Ledger", "publish_date": "Mon, 05 Mar 2018 10:00:00 GMT",
         "body": TALKS, "leaning": "left"},
    ]).to_csv(folder / "scraped.csv", index=False)
    pd.DataFrame([
        {"Title": "Markets steady", "Source": "Wire—Europe", "Date": pd.Timestamp("2018-03-07"), "Text": MARKET,
         "Coder": "AB"},
    ]).to_excel(folder / "coding.xlsx", index=False)
    lines = [json.dumps({"title": "Odesa ports busy", "outlet": "Kyiv Post", "date": "2018-03-30T08:00:00+03:00",
                         "content": PORTS}, ensure_ascii=False), "{not json"]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


# source_file -> [(title, outlet, day, first word, last word, body paragraphs)], in file order
TABLE_ARTICLES = {
    "scraped.csv": [("Flooding shuts São Paulo metro", "Folha Diária", "2018-03-05", "Heavy", "repairs.", 2),
                    None,
                    ("Kyiv talks resume", "The Ledger", "2018-03-05", "Negotiators", "evening.", 2)],
    "coding.xlsx": [("Markets steady", "Wire—Europe", "2018-03-07", "Markets", "speak.", 1)],
    "feed.jsonl": [("Odesa ports busy", "Kyiv Post", "2018-03-30", "Ukraine’s", "warned.", 3), None],
}


def assert_articles(corpus, expected):
    """Every expected article is in ``corpus`` with its fields, body ends and paragraphs; each None is reported."""
    body = corpus.body()
    for source, wanted in expected.items():
        got = corpus.articles[corpus.articles["source_file"] == source].sort_values("item")
        assert len(got) == sum(w is not None for w in wanted), source
        rows = iter(got.itertuples())
        for n, want in enumerate(wanted, start=1):
            name = f"{source}#{n}" if len(wanted) > 1 or source.endswith((".csv", ".xlsx", ".jsonl")) else source
            if want is None:
                assert name in set(corpus.problems["file"]), name
                assert not corpus.problems[corpus.problems["file"] == name]["loaded"].any()
                continue
            row = next(rows)
            title, outlet, day, first, last, n_paragraphs = want
            assert (row.file, row.item) == (name, n)
            assert (row.title, row.outlet) == (title, outlet)
            assert row.date.normalize() == pd.Timestamp(day)
            paragraphs = body[body["article_id"] == row.article_id]["text"].tolist()
            assert paragraphs[0].split()[0] == first and paragraphs[-1].split()[-1] == last
            assert len(paragraphs) == n_paragraphs


def test_tables_give_one_article_per_row_and_report_each_bad_row(tmp_path):
    _tables(tmp_path)
    (tmp_path / "note.txt").write_text("Kim Jong-un met Putin in Pyongyang on Tuesday, state media said.\n",
                                       encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert_articles(corpus, TABLE_ARTICLES)
    articles = corpus.articles.set_index("file")
    assert articles.loc["scraped.csv#3", "article_id"] == "scraped#3"
    assert articles.loc["scraped.csv#1", "leaning"] == "center" and articles.loc["coding.xlsx#1", "coder"] == "AB"
    assert set(articles["format"]) == {"csv", "excel", "jsonl", "text"}
    assert articles.loc["note.txt", "item"] == 1 and articles.loc["note.txt", "source_file"] == "note.txt"
    problems = dict(zip(corpus.problems["file"], corpus.problems["problem"]))
    assert problems["scraped.csv#2"] == "empty" and problems["feed.jsonl#2"] == "bad_line"
    # note.txt names no outlet and there is no manifest: said once, for the one article.
    assert problems["articles.csv"] == "no_outlet"


def test_the_manifest_overrides_what_a_reader_found_for_a_file_or_one_of_its_articles(tmp_path):
    _tables(tmp_path)
    (tmp_path / "articles.csv").write_text(
        "file,outlet,genre\n"
        "scraped.csv,,news\n"               # every article of the file
        "scraped.csv#3,Ledger Weekly,\n"    # one article of it: wins over the file's row and the table
        "scraped.csv#7,Nobody,\n",          # an article the file does not hold
        encoding="utf-8")
    corpus = load_corpus(tmp_path)
    articles = corpus.articles.set_index("file")
    assert articles.loc["scraped.csv#1", "outlet"] == "Folha Diária"  # the table's, the row gives none
    assert articles.loc["scraped.csv#3", "outlet"] == "Ledger Weekly"
    assert set(articles.loc[["scraped.csv#1", "scraped.csv#3"], "genre"]) == {"news"}
    missing = corpus.problems[corpus.problems["file"] == "scraped.csv#7"]
    assert list(missing["problem"]) == ["missing_file"] and "holds 3 article(s)" in missing["message"].iloc[0]
    # Articles that name their outlet need no manifest row: only the rows truly missing are said.
    assert "no_metadata" not in set(corpus.problems["problem"])


def test_column_flags_name_a_column_the_common_names_miss(tmp_path):
    pd.DataFrame({"story": [TALKS], "paper": ["The Ledger"], "day": ["2018-03-05"]}).to_csv(
        tmp_path / "odd.csv", index=False)
    corpus = load_corpus(tmp_path)
    assert corpus.articles.empty
    assert list(corpus.problems["problem"]) == ["no_text_column"]
    corpus = load_corpus(tmp_path, text="story", outlet="paper", date="day")
    assert list(corpus.articles["outlet"]) == ["The Ledger"]
    assert corpus.articles["date"].iloc[0] == pd.Timestamp("2018-03-05")
    run = [sys.executable, "-m", "analysis", "check", str(tmp_path)]
    plain = subprocess.run(run, capture_output=True, text=True)
    named = subprocess.run([*run, "--text-column", "story", "--outlet-column", "paper", "--date-column", "day"],
                           capture_output=True, text=True)
    assert plain.returncode == 2 and "[no_text_column]" in plain.stdout and "--text-column" in plain.stdout
    assert named.returncode == 0, named.stdout + named.stderr
    assert "ok       odd.csv (1 article, csv)" in named.stdout
    assert "By format: csv 1 article from 1 file." in named.stdout
    assert "Traceback" not in plain.stderr + named.stderr


def test_load_corpus_takes_a_dataframe_with_its_columns_named():
    frame = pd.DataFrame({"body": [FLOOD, TALKS], "source": ["Folha Diária", "The Ledger"],
                          "when": ["2018-03-05", "2018-03-06"], "leaning": ["center", "left"]})
    corpus = load_corpus(frame, text="body", outlet="source", date="when")
    assert list(corpus.articles["file"]) == ["dataframe#1", "dataframe#2"]
    assert list(corpus.articles["outlet"]) == ["Folha Diária", "The Ledger"]
    assert list(corpus.articles["leaning"]) == ["center", "left"]
    assert list(corpus.articles["date"].dt.day) == [5, 6]
    assert corpus.articles["n_body_paragraphs"].tolist() == [2, 2]
    with pytest.raises(ValueError, match="story"):
        load_corpus(frame, text="story")


def test_the_cache_reads_an_unchanged_export_once_and_a_changed_one_again(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    _tables(folder)
    cache = Cache(tmp_path / "cache")
    first = load_corpus_cached(folder, cache=cache)
    assert cache.misses and not cache.hits
    cache = Cache(tmp_path / "cache")
    again = load_corpus_cached(folder, cache=cache)
    assert cache.hits and not cache.misses
    pd.testing.assert_frame_equal(first.articles, again.articles)
    pd.testing.assert_frame_equal(first.paragraphs, again.paragraphs)
    pd.testing.assert_frame_equal(load_corpus(folder).articles, again.articles)
    # A row added to the CSV: that file is read again, the others come from the cache.
    table = pd.read_csv(folder / "scraped.csv", keep_default_na=False)
    table.loc[len(table)] = {"headline": "Bonds rally", "media_name": "Wire—Europe", "publish_date": "2018-03-08",
                             "body": "Bond prices rose for a third day as inflation cooled in the euro area.",
                             "leaning": "right"}
    table.to_csv(folder / "scraped.csv", index=False)
    cache = Cache(tmp_path / "cache")
    third = load_corpus_cached(folder, cache=cache)
    assert "scraped.csv#4" in set(third.articles["file"])
    assert cache.hits and cache.misses
    pd.testing.assert_frame_equal(load_corpus(folder).articles, third.articles)


# ---------------------------------------------------------------- every format in one folder


def _nexis_docx(path, entries):
    """A Nexis Uni export: a cover page, then per entry its header lines, Body, paragraphs and trailer."""
    from docx import Document

    doc = Document()
    for line in ("User Name: Analyst", f"Documents ({len(entries)})", "Client/Matter: -None-",
                 "Search Terms: grain"):
        doc.add_paragraph(line)
    for title, outlet, date, paragraphs in entries:
        for line in (title, outlet, date, f"Copyright 2018 {outlet}", "Section: WORLD; Pg. 4",
                     "Length: 120 words", "Byline: By Ana Lima", "Body", *paragraphs, "Classification",
                     "Language: ENGLISH", "Load-Date: March 9, 2018", "End of Document"):
            doc.add_paragraph(line)
        doc.add_page_break()
    doc.save(path)


def _rtf(lines):
    def escape(text):
        return "".join("\\" + ch if ch in "\\{}" else ch if ord(ch) < 128 else f"\\u{ord(ch)}?" for ch in text)

    return "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times;}}\n" + "".join(
        "\\page\n" if line is None else "{\\pard " + escape(line) + "\\par}\n" for line in lines) + "}"


def _factiva_rtf(path, entries):
    lines = []
    for i, (title, outlet, date, paragraphs) in enumerate(entries):
        lines += [title, "By Jo Park", "120 words", date, outlet, "WIRE", "English",
                  f"(c) 2018 {outlet}. All rights reserved.", *paragraphs,
                  f"Document WIRE000020180309ee390000{i}", None]
    path.write_text(_rtf(lines), encoding="ascii")


def _pdf(path, title, byline, date, paragraphs):
    import textwrap

    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    lines = [title, byline, date, ""]
    for paragraph in paragraphs:
        lines += textwrap.wrap(paragraph, 80) + [""]
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(path) as pdf:
        fig = Figure(figsize=(8.27, 11.69))
        for i, line in enumerate(lines):
            fig.text(0.08, 0.94 - i * 0.02, line, fontsize=16 if i == 0 else 10)
        pdf.savefig(fig)


def _page(path, title, outlet, date, paragraphs):
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                     "datePublished": date, "publisher": {"@type": "Organization", "name": outlet}},
                    ensure_ascii=False)
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    path.write_text(
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title} | {outlet}</title>"
        f"<script type='application/ld+json'>{ld}</script></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/markets'>Markets</a></nav>"
        "<div class='cookie-banner'>We use cookies to improve your experience. <button>Accept all</button></div>"
        f"<article><h1>{title}</h1><div class='share'>Share on Facebook Share on Twitter</div>{body}</article>"
        "<aside class='related'><h3>Related articles</h3><a href='/x'>Ten things to know about grain</a></aside>"
        f"<footer>© 2018 {outlet}. All rights reserved. Privacy policy.</footer></body></html>", encoding="utf-8")


GRAIN = ["Russia and Ukraine agreed in Istanbul to reopen the grain corridor, the United Nations said on Friday.",
         "“Ships will sail within days,” a Turkish official told reporters — the first good news in months."]
KYIV = ["Air-raid sirens sounded across Kyiv before dawn as drones struck the city’s power plants.",
        "Engineers restored electricity to most districts by the evening, the mayor said."]
SEOUL = ["North Korea fired two ballistic missiles into the sea, South Korea’s military said.",
         "The launches came hours after US and South Korean forces ended joint drills."]
PARIS = ["Diplomats from the G7 met in Paris to discuss sanctions on Russian oil.",
         "They agreed to review the price cap every two months, a French official said."]
SAO = ["Coffee exporters in São Paulo said shipping costs had doubled since the war began.",
       "Brazil’s farm ministry promised credit lines for small growers hit by the rise."]
NO_BODY = []


def _every_format(folder):
    _nexis_docx(folder / "nexis.docx", [
        ("Grain corridor to reopen", "The Ledger", "March 3, 2018 Saturday", GRAIN),
        ("Entry without a body", "The Ledger", "March 4, 2018 Sunday", NO_BODY),
        ("Drones strike Kyiv power plants", "Kyiv Post", "March 5, 2018 Monday", KYIV),
    ])
    _factiva_rtf(folder / "factiva.rtf", [
        ("North Korea fires two missiles", "Yonhap English", "6 March 2018", SEOUL),
        ("G7 reviews oil price cap", "Agence Wire", "7 March 2018", PARIS),
    ])
    (folder / "pdfs").mkdir()
    _pdf(folder / "pdfs" / "coffee.pdf", "Shipping costs squeeze coffee exporters", "By Rita Souza",
         "March 8, 2018", SAO)
    (folder / "pages").mkdir()
    _page(folder / "pages" / "kyiv.html", "Kyiv restores power after drone strikes", "Kyiv Independent",
          "2018-03-09T07:30:00+02:00", KYIV[::-1])
    _tables(folder)
    (folder / "notes").mkdir()
    (folder / "notes" / "seoul.txt").write_text("Seoul talks\n\n" + "\n\n".join(SEOUL[::-1]) + "\n", encoding="utf-8")
    (folder / "articles.csv").write_text("file,outlet,date,title\nnotes/seoul.txt,Korea Herald,2018-03-10,Seoul talks\n"
                                         "pdfs/coffee.pdf,Folha Diária,,\n", encoding="utf-8")


EVERY_FORMAT = {
    "nexis.docx": [("Grain corridor to reopen", "The Ledger", "2018-03-03", "Russia", "months.", 2), None,
                   ("Drones strike Kyiv power plants", "Kyiv Post", "2018-03-05", "Air-raid", "said.", 2)],
    "factiva.rtf": [("North Korea fires two missiles", "Yonhap English", "2018-03-06", "North", "drills.", 2),
                    ("G7 reviews oil price cap", "Agence Wire", "2018-03-07", "Diplomats", "said.", 2)],
    # The PDF names no outlet; the manifest gives it, and its date comes from the PDF's date line.
    "pdfs/coffee.pdf": [("Shipping costs squeeze coffee exporters", "Folha Diária", "2018-03-08", "Coffee", "rise.",
                         2)],
    "pages/kyiv.html": [("Kyiv restores power after drone strikes", "Kyiv Independent", "2018-03-09", "Engineers",
                         "plants.", 2)],
    "notes/seoul.txt": [("Seoul talks", "Korea Herald", "2018-03-10", "The", "said.", 2)],
    **TABLE_ARTICLES,
}


def test_a_folder_of_every_format_loads_every_article_with_its_metadata(tmp_path):
    _every_format(tmp_path)
    corpus = load_corpus(tmp_path)
    assert_articles(corpus, EVERY_FORMAT)
    formats = corpus.articles.groupby("source_file")["format"].first().to_dict()
    assert formats == {"nexis.docx": "nexis", "factiva.rtf": "factiva", "pdfs/coffee.pdf": "pdf",
                       "pages/kyiv.html": "web", "notes/seoul.txt": "text", "scraped.csv": "csv",
                       "coding.xlsx": "excel", "feed.jsonl": "jsonl"}
    articles = corpus.articles.set_index("file")
    assert articles.loc["factiva.rtf#2", "doc_id"] == "WIRE000020180309ee3900001"
    assert articles.loc["nexis.docx#1", "author"] == "Ana Lima"
    # No page furniture in the body: export lines, navigation, banners, share links, related links, footers.
    body = " ".join(corpus.body()["text"])
    for furniture in ("Load-Date", "End of Document", "Length:", "Copyright", "words", "Document WIRE", "cookies",
                      "Share on", "Related articles", "Privacy policy", "Home", "Client/Matter"):
        assert furniture not in body, furniture
    problems = corpus.problems.set_index("file")["problem"].to_dict()
    assert problems == {"nexis.docx#2": "no_body", "scraped.csv#2": "empty", "feed.jsonl#2": "bad_line"}


def test_check_counts_the_articles_of_each_file_and_format(tmp_path):
    _every_format(tmp_path)
    result = subprocess.run([sys.executable, "-m", "analysis", "check", str(tmp_path)], capture_output=True,
                            text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert "ok       factiva.rtf (2 articles, factiva)" in lines
    assert "ok       pages/kyiv.html (web)" in lines and "ok       notes/seoul.txt" in lines
    assert any(line.startswith("SKIPPED  nexis.docx#2: [no_body]") for line in lines)
    assert lines[-1].endswith("By format: csv 2 articles from 1 file, factiva 2 articles from 1 file, "
                              "nexis 2 articles from 1 file, excel 1 article from 1 file, jsonl 1 article from 1 file, "
                              "pdf 1 article from 1 file, text 1 article from 1 file, web 1 article from 1 file.")


def test_a_wire_story_in_two_outlets_is_kept_twice_and_said_and_a_second_copy_is_skipped(tmp_path):
    story = "Russia and Ukraine agreed in Istanbul to reopen the grain corridor, the United Nations said on Friday."
    pd.DataFrame({"text": [story, story, story], "outlet": ["The Ledger", "Kyiv Post", "The Ledger"],
                  "title": ["Grain deal", "Grain corridor", "Grain deal (again)"]}).to_csv(tmp_path / "wire.csv",
                                                                                         index=False)
    corpus = load_corpus(tmp_path)
    assert list(corpus.articles["outlet"]) == ["The Ledger", "Kyiv Post"]
    problems = corpus.problems.set_index("file")
    assert problems.loc["wire.csv#2", "problem"] == "syndicated" and problems.loc["wire.csv#2", "loaded"]
    assert problems.loc["wire.csv#3", "problem"] == "duplicate" and not problems.loc["wire.csv#3", "loaded"]
    assert "wire.csv#1" in problems.loc["wire.csv#3", "message"]


def test_manifest_rows_for_articles_name_them_once_and_one_article_files_take_their_own(tmp_path):
    _tables(tmp_path)
    (tmp_path / "note.txt").write_text("Kim Jong-un met Putin in Pyongyang on Tuesday, state media said.\n",
                                       encoding="utf-8")
    (tmp_path / "articles.csv").write_text(
        "file,outlet\nscraped.csv#03,Ledger Weekly\nscraped.csv#3,Other\nnote.txt#1,Korea Herald\n",
        encoding="utf-8")
    corpus = load_corpus(tmp_path)
    articles = corpus.articles.set_index("file")
    assert articles.loc["scraped.csv#3", "outlet"] == "Ledger Weekly"  # the first row naming it
    assert articles.loc["note.txt", "outlet"] == "Korea Herald"
    problems = corpus.problems
    assert "missing_file" not in set(problems["problem"])
    assert list(problems[problems["problem"] == "bad_manifest_row"]["file"]) == ["articles.csv"]
