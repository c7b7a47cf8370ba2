"""PDF reader: PDFs made by the tests (matplotlib's PDF backend, and PDFs written by hand) read back as articles."""

import io

import matplotlib
import numpy as np
import pytest
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from pypdf import PdfReader, PdfWriter

from analysis.load.dates import parse_date
from analysis.load.readers.pdf import read_pdf
from analysis.load.reading import Unreadable


def matplotlib_pdf(pages, title_size=18):
    """A real PDF with a text layer: each page a list of lines ("" leaves a blank line), TrueType fonts embedded."""
    buf = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(buf, metadata={"CreationDate": None}) as pdf:
        for p, lines in enumerate(pages):
            fig = Figure(figsize=(8.27, 11.69))
            y = 0.94
            for i, line in enumerate(lines):
                big = p == 0 and i == 0
                if line:
                    fig.text(0.08, y, line, fontsize=title_size if big else 10)
                y -= 0.03 if big else 0.017
            pdf.savefig(fig)
    return buf.getvalue()


def hand_pdf(pages, info=None):
    """A minimal PDF written by hand: each page a list of ``(x, y, size, text)``; Helvetica in WinAnsiEncoding."""
    objects: list[bytes | None] = []

    def add(body):
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    tree = add(None)
    kids = []
    for lines in pages:
        ops = []
        for x, y, size, text in lines:
            s = text.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
            ops.append(b"BT /F1 %d Tf %d %d Td (%s) Tj ET" % (size, x, y, s))
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        kids.append(add(f"<< /Type /Page /Parent {tree} 0 R /MediaBox [0 0 612 792] /Contents {content} 0 R "
                        f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode()))
    objects[tree - 1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    catalog = add(f"<< /Type /Catalog /Pages {tree} 0 R >>".encode())
    info_ref = ""
    if info:
        entries = b" ".join(b"/%s (%s)" % (k.encode(), v.encode("cp1252")) for k, v in info.items())
        info_ref = f" /Info {add(b'<< ' + entries + b' >>')} 0 R"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R{info_ref} >>\n".encode()
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def column(paragraphs, x=72, y=720, size=11, lead=14, gap=0, indent=0):
    """Lines of hard-wrapped paragraphs: each paragraph a list of lines; ``gap`` blank space and ``indent`` first line."""
    lines = []
    for para in paragraphs:
        for j, text in enumerate(para):
            lines.append((x + (indent if j == 0 else 0), y, size, text))
            y -= lead
        y -= gap
    return lines


FURNITURE = ("Page ", "The Kyiv Ledger — World", "https://", "All rights reserved")


def check(item, title, date, day, first, last, n_paragraphs, author=None, outlet=None):
    assert item.format == "pdf" and item.error is None
    assert item.meta.get("title") == title
    assert item.meta.get("author") == author
    assert item.meta.get("outlet") == outlet
    assert item.meta.get("date") == date
    stamp, _ = parse_date(date)
    assert str(stamp.date()) == day
    words = item.text.split()
    assert (words[0], words[-1]) == (first, last)
    assert len(item.text.split("\n\n")) == n_paragraphs
    for phrase in FURNITURE:
        assert phrase not in item.text
    assert "\n\n\n" not in item.text and not item.text.startswith("\n")


def test_matplotlib_pdf_gives_title_byline_date_and_wrapped_paragraphs():
    data = matplotlib_pdf([[
        "Grain talks resume in São Paulo",
        "By Ana Souza",
        "March 3, 2018",
        "",
        "Negotiators from Kyiv and Moscow met again in São Paulo on Saturday, the first round of",
        "grain talks since the corridor closed, and the two govern-",
        "ments promised to keep talking.",
        "",
        "“We are here to keep ships moving,” said Olena Kovalenko, Ukraine’s deputy trade",
        "minister — adding that the Black Sea route had carried more than 30 million tonnes.",
        "",
        "Traders in Chicago said wheat prices had fallen on hopes of a cease-fire deal, a real",
        "one, not a short-",
        "term truce; the weekend talks did not promise a lasting cease-",
        "fire, or even one.",
    ]])
    assert "São Paulo" in PdfReader(io.BytesIO(data)).pages[0].extract_text()  # a real text layer
    [item] = read_pdf(data, "grain.pdf")
    check(item, "Grain talks resume in São Paulo", "March 3, 2018", "2018-03-03", "Negotiators", "one.", 3,
          author="Ana Souza")
    paragraphs = item.text.split("\n\n")
    assert "the two governments promised" in paragraphs[0]
    assert paragraphs[1].startswith("“We are here") and "trade minister — adding" in paragraphs[1]
    assert "not a short-term truce" in paragraphs[2]  # a hyphen of its own, kept
    assert "a lasting cease-fire, or" in paragraphs[2]  # written so elsewhere in the text
    assert item.notes == []


def test_multi_page_pdf_drops_running_header_footer_and_page_numbers():
    header = (72, 760, 9, "The Kyiv Ledger — World")
    pages = [
        [header, *column([["Kyiv’s “new” grain plan — explained"], ["By Olena Shevchenko | 2018-03-03"]],
                         y=730, gap=8),
         *column([["Officials in Kyiv said on Monday that the government would present",
                   "its plan to parliament this week, after months of delay."],
                  ["The plan sets out how ships would be insured, and who would pay",
                   "if one is hit at sea. It also covers the ports of Odesa and"]], y=680, indent=18),
         (290, 40, 9, "Page 1 of 3")],
        [header, *column([["Chornomorsk, which reopened in the summer."],
                          ["“It is not perfect,” one deputy said, “but it is a start.”",
                           "Critics in São Paulo and Brussels were less kind."]], y=730, indent=18),
         (290, 40, 9, "Page 2 of 3")],
        [header, *column([["A vote is expected on Thursday."]], y=730, indent=18),
         (290, 40, 9, "Page 3 of 3")],
    ]
    [item] = read_pdf(hand_pdf(pages, info={"Title": "grain_plan_final.docx"}), "plan.pdf")
    check(item, "Kyiv’s “new” grain plan — explained", "2018-03-03", "2018-03-03", "Officials", "Thursday.", 4,
          author="Olena Shevchenko")
    paragraphs = item.text.split("\n\n")
    assert paragraphs[1].endswith("the ports of Odesa and Chornomorsk, which reopened in the summer.")  # across pages
    assert paragraphs[2].startswith("“It is not perfect,”") and "São Paulo" in paragraphs[2]


def test_pdf_without_blank_lines_or_indents_breaks_at_short_sentence_ends_and_uses_pdf_metadata():
    pages = [column([
        ["The European Union agreed new sanctions against Russia on Friday, targeting banks",
         "and the oil trade, after two days of talks in Brussels between the ministers.",
         "Hungary did not block the package."],
        ["NATO warned North Korea over its missile tests, and its chief said the alliance",
         "would stand with Kyiv for as long as it takes, whatever the cost to its members.",
         "Seoul welcomed the statement."],
    ], y=740)]
    data = hand_pdf(pages, info={"Title": "EU agrees sanctions", "Author": "Mark Ellis",
                                 "CreationDate": "D:20240301103000+01'00'"})
    [item] = read_pdf(data, "eu.pdf")
    check(item, "EU agrees sanctions", "2024-03-01", "2024-03-01", "The", "statement.", 2, author="Mark Ellis")
    assert [code for code, _ in item.notes] == ["date_from_pdf_metadata"]


def test_browser_printout_keeps_the_url_of_its_footer_and_a_labelled_outlet():
    pages = []
    bodies = [[["Zelenskyy condemned the strikes on Kyiv, officials said, and called for more air",
                "defence from the country’s allies."]],
              [["The Kremlin did not comment on the strikes."]]]
    for n, body in enumerate(bodies, 1):
        lines = [(40, 770, 8, "3/4/24, 10:15 AM     Strikes on Kyiv | The Kyiv Ledger")]
        if n == 1:
            lines += column([["Strikes on Kyiv condemned"], ["Source: The Kyiv Ledger"], ["4 March 2024"]],
                            y=740, gap=10)
        lines += column(body, y=650 if n == 1 else 740, gap=10)
        lines.append((40, 20, 8, f"https://ledger.example/world/2024/03/04/strikes     {n}/2"))
        pages.append(lines)
    [item] = read_pdf(hand_pdf(pages), "print.pdf")
    check(item, "Strikes on Kyiv condemned", "4 March 2024", "2024-03-04", "Zelenskyy", "strikes.", 2,
          outlet="The Kyiv Ledger")
    assert item.meta["url"] == "https://ledger.example/world/2024/03/04/strikes"
    assert "10:15" not in item.text


def test_two_columns_are_read_one_after_the_other():
    left = [["Left column text begins the story of the talks in Geneva, where the two"],
            ["delegations met for the third time this year and agreed on nothing at all."]]
    right = [["Right column text ends the story with the reaction from the markets, which"],
             ["was calm, traders said, because nobody had expected a deal this week."]]
    lines = [(72, 760, 16, "Geneva talks stall"), (72, 740, 10, "By Mark Ellis"), (72, 726, 10, "2024-05-02")]
    lines += [(x, y, s, t[:38]) for x, y, s, t in column(left * 4, x=40, y=700, gap=0)]
    lines += [(x, y, s, t[:38]) for x, y, s, t in column(right * 4, x=320, y=700, gap=0)]
    [item] = read_pdf(hand_pdf([lines]), "cols.pdf")
    assert item.meta["title"] == "Geneva talks stall"
    assert item.text.index("Left column text") < item.text.index("Right column text")
    assert "the two Right" not in item.text


def test_headline_only_pdf_is_an_item_with_an_error():
    [item] = read_pdf(hand_pdf([column([["Talks in Alaska end early"], ["By Jane Doe"], ["2025-08-15"]])]), "h.pdf")
    assert item.error is not None and item.error[0] == "no_body"
    assert item.meta["title"] == "Talks in Alaska end early" and item.meta["date"] == "2025-08-15"


def test_scanned_pdf_without_text_asks_for_ocr():
    buf = io.BytesIO()
    fig = Figure(figsize=(4, 4))
    fig.figimage(np.random.default_rng(0).random((200, 200)), cmap="gray")  # an image only, like a scan
    with matplotlib.rc_context({"pdf.fonttype": 42}):
        fig.savefig(buf, format="pdf")
    with pytest.raises(Unreadable) as err:
        read_pdf(buf.getvalue(), "scan.pdf")
    assert err.value.code == "no_text_layer" and "OCR" in err.value.message and "ocrmypdf" in err.value.message


def encrypted(data, user_password, owner_password="owner"):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


ARTICLE = hand_pdf([column([["Seoul talks open"], ["By Min-jun Kim"], ["2024-06-10"],
                            ["South Korea and Japan held talks in Seoul on Monday, the first in a year."]], gap=6)])


def test_password_protected_pdf_is_reported_and_one_with_an_empty_password_is_read():
    with pytest.raises(Unreadable) as err:
        read_pdf(encrypted(ARTICLE, "secret"), "locked.pdf")
    assert err.value.code == "encrypted_pdf" and "password" in err.value.message
    [item] = read_pdf(encrypted(ARTICLE, ""), "restricted.pdf")
    check(item, "Seoul talks open", "2024-06-10", "2024-06-10", "South", "year.", 1, author="Min-jun Kim")


@pytest.mark.parametrize("data", [
    ARTICLE[: len(ARTICLE) // 3],
    b"%PDF-1.4\n" + bytes(range(256)) * 20,
    b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
    b"Not a PDF at all, just some words.",
    b"",
])
def test_damaged_pdf_is_reported_as_corrupt(data):
    with pytest.raises(Unreadable) as err:
        read_pdf(data, "bad.pdf")
    assert err.value.code == "corrupt_file"
    assert err.value.message[0].isupper() and err.value.message.endswith(".")


def test_deck_wrapped_headline_and_paragraphs_set_close_with_a_spaced_subheading():
    lines = column([["Kyiv braces for a winter", "of power cuts"],
                    ["The city has generators in every school, its mayor says."],
                    ["By Olha Marchenko"], ["Published: November 20, 2023"]], y=740, gap=4)
    lines += column([["Kyiv’s mayor said on Monday that the city was preparing for long power cuts",
                      "this winter, after a summer of strikes on the grid."],
                     ["“We have generators in every school,” Vitali Klitschko told reporters, though",
                      "some districts would still be dark for hours."]], y=660, gap=3)
    lines += column([["Repairs"]], y=580)
    lines += column([["Engineers have repaired most of the damaged substations, the ministry said,",
                      "but spare transformers remain scarce."],
                     ["Residents were asked to store water before the first frosts."]], y=540, gap=3)
    [item] = read_pdf(hand_pdf([lines]), "winter.pdf")
    check(item, "Kyiv braces for a winter of power cuts", "November 20, 2023", "2023-11-20", "The", "frosts.", 6,
          author="Olha Marchenko")
    paragraphs = item.text.split("\n\n")
    assert paragraphs[0] == "The city has generators in every school, its mayor says."  # the deck, kept
    assert paragraphs[3] == "Repairs"
    assert paragraphs[2].endswith("dark for hours.") and paragraphs[4].endswith("remain scarce.")


def test_damaged_bytes_raise_only_unreadable():
    import random

    rng = random.Random(21)
    for _ in range(60):
        data = bytearray(ARTICLE)
        for _ in range(rng.randint(1, 12)):
            i = rng.randrange(len(data))
            if rng.random() < 0.5:
                data[i] = rng.randrange(256)
            else:
                del data[i:i + rng.randint(1, 40)]
        try:
            items = read_pdf(bytes(data), "damaged.pdf")
        except Unreadable as err:
            assert err.code in ("corrupt_file", "no_text_layer")
        else:
            assert len(items) == 1 and isinstance(items[0].text, str)


def test_a_scanned_page_among_text_pages_is_noted():
    buf = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(buf, metadata={"CreationDate": None}) as pdf:
        for page in ("text", "scan"):
            fig = Figure(figsize=(8.27, 11.69))
            if page == "text":
                fig.text(0.08, 0.94, "Seoul talks open", fontsize=18)
                fig.text(0.08, 0.91, "2024-06-10", fontsize=10)
                fig.text(0.08, 0.88, "South Korea and Japan held talks in Seoul on Monday, the first in a year.",
                         fontsize=10)
            else:
                fig.figimage(np.random.default_rng(1).random((100, 100)), cmap="gray")
            pdf.savefig(fig)
    [item] = read_pdf(buf.getvalue(), "half.pdf")
    check(item, "Seoul talks open", "2024-06-10", "2024-06-10", "South", "year.", 1)
    assert [code for code, _ in item.notes] == ["pages_without_text"]
    assert item.notes[0][1].startswith("Page 2 of the PDF holds no text")


def test_large_headline_alone_and_a_short_text():
    data = matplotlib_pdf([["Kyiv braces for winter",
                            "Kyiv’s mayor said on Monday that the city was preparing for long power cuts this",
                            "winter, after a summer of strikes on the grid.",
                            "Residents were asked to store water."]])
    [item] = read_pdf(data, "winter.pdf")
    assert item.meta == {"title": "Kyiv braces for winter"}  # no date: none in the text, none in the metadata
    assert item.text.split("\n\n") == [
        ("Kyiv’s mayor said on Monday that the city was preparing for long power cuts this winter, after a summer "
        "of strikes on the grid."),
        "Residents were asked to store water.",
    ]


def test_subheading_without_space_around_it_is_its_own_paragraph():
    lines = column([["Seoul talks open"], ["By Min-jun Kim"], ["2024-06-10"]], y=740, gap=6)
    lines += column([["South Korea and Japan held talks in Seoul on Monday, the first in a year, and",
                      "agreed to meet again in Tokyo."],
                     ["What comes next"],
                     ["Officials said trade and fisheries would be on the agenda when the ministers meet",
                      "in the autumn."]], y=680)
    [item] = read_pdf(hand_pdf([lines]), "seoul.pdf")
    check(item, "Seoul talks open", "2024-06-10", "2024-06-10", "South", "autumn.", 3, author="Min-jun Kim")
    assert item.text.split("\n\n")[1] == "What comes next"
