"""Tables with a text column: every format written here, every article checked field by field."""

import io
import json

import pandas as pd
import pytest

from analysis.load.dates import parse_date
from analysis.load.furniture import classify_paragraphs
from analysis.load.readers.tables import read_table, table_items
from analysis.load.reading import Unreadable
from analysis.load.sources import ReadOptions

# Three articles and a row without text, written into every format below.
FLOOD = ("Heavy rain flooded São Paulo’s metro on Monday, and the city said “every line” would stay shut.\n\n"
         "Officials blamed clogged drains — a problem known for years — and promised repairs.\n\n"
         "Service resumed late on Tuesday.")
TALKS = ("Negotiators met in Kyiv for a third round of talks on grain exports.\n"  # one line break per paragraph
         "“We are closer than ever,” a delegate said after the session ended.")
MARKET = "Markets were steady in early trading as investors waited for the central bank."
ROWS = [
    {"title": "Flooding shuts São Paulo metro", "outlet": "Folha Diária", "date": "2018-03-05",
     "author": "Ana Lima", "bias": "center", "text": FLOOD},
    {"title": "Kyiv talks resume", "outlet": "The Ledger", "date": "March 3, 2018 Saturday 8:00 AM EST",
     "author": "Jo Park", "bias": "left", "text": TALKS},
    {"title": "Empty row", "outlet": "The Ledger", "date": "2018-03-06", "author": "", "bias": "left", "text": ""},
    {"title": "Markets steady", "outlet": "Wire—Europe", "date": "05.03.2018", "author": "Lee Chan",
     "bias": "right", "text": MARKET},
]
# (title, outlet, date as written, its day, first word, last word, paragraphs)
EXPECTED = [
    ("Flooding shuts São Paulo metro", "Folha Diária", "2018-03-05", "2018-03-05", "Heavy", "Tuesday.", 3),
    ("Kyiv talks resume", "The Ledger", "March 3, 2018 Saturday 8:00 AM EST", "2018-03-03", "Negotiators", "ended.", 2),
    None,  # the row without text
    ("Markets steady", "Wire—Europe", "05.03.2018", "2018-03-05", "Markets", "bank.", 1),
]


def check(items, expected=EXPECTED, fmt=None, empty_row="Row 4"):
    """Every article's fields, body ends and paragraphs; the empty row as an error naming it."""
    assert len(items) == len(expected)
    for item, want in zip(items, expected):
        if fmt:
            assert item.format == fmt
        if want is None:
            assert item.error == ("empty", f"{empty_row} has no text.")
            assert item.text == "" and item.meta["title"] == "Empty row"
            continue
        title, outlet, date, day, first, last, n_paragraphs = want
        assert item.error is None
        assert item.meta["title"] == title
        assert item.meta["outlet"] == outlet
        assert item.meta["date"] == date
        assert parse_date(item.meta["date"])[0].normalize() == pd.Timestamp(day)
        words = item.text.split()
        assert (words[0], words[-1]) == (first, last)
        paragraphs = item.text.split("\n\n")
        assert len(paragraphs) == n_paragraphs
        assert all("\n" not in p and p == p.strip() for p in paragraphs)
        kinds = classify_paragraphs(paragraphs, title=title, author=item.meta.get("author"))
        assert [k for k, _ in kinds] == ["body"] * n_paragraphs  # no furniture, no repeated title


def test_csv_with_the_usual_column_names_keeps_every_other_column():
    data = pd.DataFrame(ROWS).to_csv(index=False).encode("utf-8")
    items = read_table(data, "exports/articles_2018.csv")
    check(items, fmt="csv")
    assert [i.meta["bias"] for i in items] == ["center", "left", "left", "right"]
    assert items[0].meta["author"] == "Ana Lima" and "author" not in items[2].meta  # an empty cell is missing
    assert "text" not in items[0].meta


def test_european_excel_csv_with_semicolons_cp1252_and_other_column_names():
    frame = pd.DataFrame(ROWS).rename(columns={
        "title": "Headline", "outlet": " Publication ", "date": "Publish Date", "author": "BYLINE", "text": "Body"})
    data = frame.to_csv(index=False, sep=";").encode("cp1252")
    items = read_table(data, "Artikel.csv")
    check(items, fmt="csv")
    assert items[0].meta["bias"] == "center"
    assert items[0].notes[0][0] == "legacy_encoding"  # the decoding is said, once


def test_tsv_with_content_source_and_published():
    frame = pd.DataFrame(ROWS).rename(columns={"text": "content", "outlet": "source", "date": "published"})
    items = read_table(frame.to_csv(index=False, sep="\t").encode("utf-8-sig"), "scrape.tsv")
    check(items, fmt="tsv")


def test_a_csv_row_with_too_many_fields_is_reported_in_its_place():
    data = (b"title,outlet,date,text\n"
            b"Kyiv talks resume,The Ledger,2018-03-03,Negotiators met in Kyiv for talks.\n"
            b"Broken,The Ledger,2018-03-04,Officials said, without quotes, that it rained.\n"
            b"Markets steady,Wire,2018-03-05,Markets were steady.\n")
    items = read_table(data, "a.csv")
    assert [i.error[0] if i.error else i.meta["title"] for i in items] == \
        ["Kyiv talks resume", "bad_row", "Markets steady"]
    assert "Row 3 has 6 fields where the header has 4" in items[1].error[1]


def test_jsonl_with_a_bad_line_loads_the_others_in_order():
    lines = [json.dumps({"headline": r["title"], "media_name": r["outlet"], "publish_date": r["date"],
                         "authors": [r["author"]] if r["author"] else [], "story_text": r["text"],
                         "stories_id": 1000 + i}, ensure_ascii=False) for i, r in enumerate(ROWS)]
    lines.insert(2, '{"headline": "Cut off", "story_text": "Half a line')
    data = ("\n".join(lines) + "\n\n").encode("utf-8")
    items = read_table(data, "mediacloud.jsonl")
    assert items[2].error[0] == "bad_line" and items[2].error[1].startswith("Line 3 is not valid JSON")
    del items[2]
    check(items, fmt="jsonl", empty_row="Line 4")
    assert items[0].meta["author"] == "Ana Lima" and items[0].meta["stories_id"] == "1000"


def test_a_json_array_of_objects():
    data = json.dumps([{"title": r["title"], "outlet": r["outlet"], "date": r["date"], "body": r["text"]}
                       for r in ROWS]).encode()
    check(read_table(data, "export.json"), fmt="json", empty_row="Record 3")


def test_parquet_keeps_datetime_precision_zones_and_whole_numbers(tmp_path):
    frame = pd.DataFrame({
        "full_text": [FLOOD, TALKS, None, MARKET],
        "Headline": [r["title"] for r in ROWS],
        "publisher": [r["outlet"] for r in ROWS],
        "pub_date": pd.to_datetime(["2018-03-05", "2018-03-03", "2018-03-06", "2018-03-05"]),
        "updated": pd.to_datetime(["2018-03-05 10:00:00", "2018-03-03 08:00:30.250", None, "2018-03-05 00:00"],
                                  format="ISO8601")
        .tz_localize("Europe/Berlin"),
        "shares": [12.0, float("nan"), 3.0, 7.5],
        "bias": ["center", "left", "left", "right"],
    })
    frame.to_parquet(tmp_path / "t.parquet")
    items = read_table((tmp_path / "t.parquet").read_bytes(), "t.parquet")
    expected = [(*e[:2], day, day, *e[4:]) if e else None
                for e, day in zip(EXPECTED, ["2018-03-05", "2018-03-03", None, "2018-03-05"])]
    check(items, expected, fmt="parquet", empty_row="The row with index 2")
    assert [i.meta.get("updated") for i in items] == [
        "2018-03-05T10:00:00+01:00", "2018-03-03T08:00:30.250000+01:00", None, "2018-03-05T00:00:00+01:00"]
    assert parse_date(items[1].meta["updated"]) == (pd.Timestamp("2018-03-03 08:00:30.25"), "time")
    assert [i.meta.get("shares") for i in items] == ["12", None, "3", "7.5"]


def test_excel_reads_the_first_sheet_with_a_text_column_and_says_which(tmp_path):
    path = tmp_path / "coding.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"note": ["coded by AL, March"]}).to_excel(writer, sheet_name="Read me", index=False)
        pd.DataFrame({
            "Full Text": [FLOOD, TALKS, "", MARKET],
            "Headline": [r["title"] for r in ROWS],
            "Site": [r["outlet"] for r in ROWS],
            "Pub Date": pd.to_datetime(["2018-03-05", "2018-03-03", "2018-03-06", "2018-03-05"]),
            "Seen": pd.to_datetime(["2018-03-05 09:15", "2018-03-03 08:00", "2018-03-06", "2018-03-05 00:00"],
                                   format="ISO8601"),
            "Country": ["Brazil", "Ukraine", "Ukraine", "Germany"],
            "Rank": [1, 2, 3, 4],
        }).to_excel(writer, sheet_name="Articles", index=False)
    items = read_table(path.read_bytes(), "coding.xlsx")
    expected = [(*e[:2], day, day, *e[4:]) if e else None
                for e, day in zip(EXPECTED, ["2018-03-05", "2018-03-03", None, "2018-03-05"])]
    check(items, expected, fmt="excel", empty_row="Row 4")
    assert items[0].notes == [("sheet", ("Read sheet 'Articles', the first with a text column; "
                                        "the workbook also has 'Read me'."))]
    assert [i.meta["seen"] for i in items] == [
        "2018-03-05T09:15:00", "2018-03-03T08:00:00", "2018-03-06T00:00:00", "2018-03-05T00:00:00"]
    assert [i.meta["country"] for i in items] == ["Brazil", "Ukraine", "Ukraine", "Germany"]
    assert [i.meta["rank"] for i in items] == ["1", "2", "3", "4"]


def test_a_dataframe_in_memory_with_columns_named_by_options():
    frame = pd.DataFrame({
        "Story": [FLOOD, TALKS, "   ", MARKET],
        "hed": [r["title"] for r in ROWS],
        "paper": [r["outlet"] for r in ROWS],
        "when": [r["date"] for r in ROWS],
        "title": ["kicker one", "kicker two", None, None],  # a title column not chosen: kept apart
        "language": ["pt", "en", "en", "en"],  # a name the corpus tables use
        "file": ["a.html", "b.html", "c.html", "d.html"],
    }, index=[10, 11, 12, 13])
    options = ReadOptions(text_column="story", title_column="Hed", outlet_column="paper", date_column="when")
    items = table_items(frame, "frame", options)
    check(items, fmt="dataframe", empty_row="The row with index 12")
    assert items[0].meta["meta_title"] == "kicker one" and "meta_title" not in items[2].meta
    assert items[0].meta["meta_language"] == "pt" and items[0].meta["meta_file"] == "a.html"


def test_a_missing_named_column_lists_the_columns():
    data = pd.DataFrame(ROWS).to_csv(index=False).encode()
    with pytest.raises(Unreadable) as err:
        read_table(data, "a.csv", ReadOptions(outlet_column="newspaper"))
    assert err.value.code == "no_such_column"
    assert "'newspaper'" in err.value.message and "'bias'" in err.value.message


def test_no_text_column_says_to_name_one():
    data = b"headline,summary,date\nKyiv talks,Talks went on,2018-03-03\n"
    with pytest.raises(Unreadable) as err:
        read_table(data, "a.csv")
    assert err.value.code == "no_text_column"
    assert "'summary'" in err.value.message and "--text-column NAME" in err.value.message
    items = read_table(data, "a.csv", ReadOptions(text_column="summary"))
    assert items[0].text == "Talks went on" and items[0].meta["title"] == "Kyiv talks"


def test_cells_become_paragraphs_as_a_text_file_would():
    wrapped = ("The council met on Monday night and voted\nto close the old bridge to cars from\n"
               "April, citing cracks found by engineers.\n\nThe mayor said the vote was\n"
               "painful but necessary and that buses\nwould run every ten minutes instead.")
    html = "<p>Police in Kyiv said the road was open.</p><p>Drivers &amp; cyclists were told to expect delays.</p>"
    frame = pd.DataFrame({"text": [wrapped, html, "One line\r\nTwo line"], "outlet": ["A", "B", "C"]})
    items = table_items(frame, "frame")
    assert items[0].text.split("\n\n") == [
        ("The council met on Monday night and voted to close the old bridge to cars from April, citing cracks "
        "found by engineers."),
        "The mayor said the vote was painful but necessary and that buses would run every ten minutes instead."]
    assert items[1].text == "Police in Kyiv said the road was open.\n\nDrivers & cyclists were told to expect delays."
    assert items[1].notes[0][0] == "html_in_text"
    assert items[2].text == "One line\n\nTwo line"


@pytest.mark.parametrize("data, name, code", [
    (b"", "a.csv", "empty"),
    (b"%PDF-1.4 binary", "a.csv", "not_text"),
    (b"PK\x03\x04not really a workbook", "a.xlsx", "bad_excel"),
    (b"PAR1 broken", "a.parquet", "bad_parquet"),
    (b"\xd0\xcf\x11\xe0old", "a.xls", "old_excel"),
    (b"title,text\n", "a.csv", "no_rows"),
    (b"not json\n[1, 2]\n", "a.jsonl", "bad_json"),
])
def test_files_that_cannot_be_used_at_all(data, name, code):
    with pytest.raises(Unreadable) as err:
        read_table(data, name)
    assert err.value.code == code and err.value.message


def test_a_docx_is_not_taken_for_a_workbook():
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Not a table.")
    document.save(buffer)
    with pytest.raises(Unreadable) as err:
        read_table(buffer.getvalue(), "mystery.xlsx")
    assert err.value.code == "bad_excel"


def test_an_unclosed_quote_keeps_the_rows_before_it_and_says_where_reading_stopped():
    data = b'id,outlet,text\n0012,A,"Rain fell in Kyiv."\n0013,B,"It never closes,\n0014,C,Later row\n'
    items = read_table(data, "a.csv")
    assert items[0].meta == {"id": "0012", "outlet": "A"}  # an id as written, zeros kept
    assert items[0].text == "Rain fell in Kyiv."
    assert items[1].error[0] == "bad_csv" and items[1].error[1].startswith("From line 3 on")
    assert len(items) == 2


def test_a_long_cell_and_dataframe_dates_with_zones_or_only_days():
    long_text = "Kyiv " * 60000 + "end."  # beyond the csv module's default 128 kB field limit
    items = read_table(f'text,outlet\n"{long_text}",A\n'.encode(), "a.csv")
    assert items[0].text.split()[-1] == "end." and len(items[0].text.split()) == 60001
    zoned = pd.to_datetime(["2018-03-05 23:30", "2018-03-06 08:00"]).tz_localize("America/New_York")
    days = pd.to_datetime(["2018-03-05", "2018-03-06"])
    frame = pd.DataFrame({"body": ["One.", "Two."], "date": zoned, "seen": days})
    items = table_items(frame, "frame")
    assert [i.meta["date"] for i in items] == ["2018-03-05T23:30:00-05:00", "2018-03-06T08:00:00-05:00"]
    assert parse_date(items[0].meta["date"]) == (pd.Timestamp("2018-03-05 23:30"), "time")  # New York's day
    assert [i.meta["seen"] for i in items] == ["2018-03-05", "2018-03-06"]
