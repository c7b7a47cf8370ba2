"""Shared fixtures: the seed corpus, and a folder holding every kind of bad input."""

import atexit
import os
import shutil
import tempfile

import pytest


def _scratch_folder(variable: str, prefix: str) -> None:
    """Point ``variable`` at a new temporary folder, deleted when the test run ends, unless it is set already."""
    if not os.environ.get(variable):
        folder = tempfile.mkdtemp(prefix=prefix)
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        os.environ[variable] = folder


# Notebooks executed by nbval write figures to their default output folder;
# point it away from the committed figures/ before any kernel starts.
_scratch_folder("ANALYSIS_OUTPUT_DIR", "analysis-figures-")
# Likewise the per-article cache: tests start from an empty one, not the user's.
_scratch_folder("ANALYSIS_CACHE_DIR", "analysis-cache-")

from analysis import load_corpus  # noqa: E402
from analysis.config import SEEDS_DIR  # noqa: E402


@pytest.fixture(scope="session")
def seeds():
    """The five seed articles, loaded once."""
    return load_corpus(SEEDS_DIR)


GOOD = (
    "U.S. President Donald Trump met Ukrainian President Volodymyr Zelenskyy on Aug. 18. "
    "They talked about the war and about peace in Europe.\n"
    "Dr. Emily Carter said the talks were useful for both sides.\n"
)


@pytest.fixture(scope="session")
def bad_folder(tmp_path_factory):
    """A corpus folder with one file of every bad-input kind, and a manifest that has its own problems.

    Session-scoped because it holds an 11 MB file: tests must not change it.
    """
    d = tmp_path_factory.mktemp("bad") / "corpus"
    d.mkdir()
    (d / "good.txt").write_text(GOOD, encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "blank.txt").write_text(" \n\t\n  \n", encoding="utf-8")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (d / "report.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")  # cut short: a PDF the reader cannot open
    (d / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))  # a type no reader reads
    (d / "bom.txt").write_bytes(b"\xef\xbb\xbf" + "Russia and Ukraine met in Türkiye for talks on grain.\n".encode())
    (d / "utf16.txt").write_bytes("\ufeffKim Jong-un met Putin in Pyongyang, officials said.\n".encode("utf-16-le"))
    (d / "cp1252.txt").write_bytes(
        "NATO\u2019s chief said \u201cwe stand with Kyiv\u201d \u2013 and Europe agreed.\r\n".encode("cp1252")
    )
    (d / "crlf.txt").write_bytes(b"The EU met in Brussels.\r\n\r\nIt agreed on sanctions against Russia.\r\n")
    (d / "nul.txt").write_bytes(b"The UN warned Russia.\x00 Guterres spoke\x00 in New York.\n")
    (d / "page.txt").write_text(
        "<html><head><script>var x = 'Putin';</script><style>p{}</style></head><body>"
        "<h1>Talks in Alaska</h1><p>Trump &amp; Putin met in <b>Alaska</b> &#8211; no deal.</p>"
        "<p>Zelenskyy was not there.</p></body></html>",
        encoding="utf-8",
    )
    (d / "huge.txt").write_text(("Russia attacked Kyiv again overnight, officials said. " * 200_000).strip(), encoding="utf-8")
    (d / "good_copy.txt").write_text(GOOD, encoding="utf-8")
    (d / "german.txt").write_text(
        "Der Präsident hat die Verhandlungen mit der Ukraine nicht abgeschlossen, und es ist nicht klar, "
        "ob die Gespräche in dieser Woche fortgesetzt werden.\n",
        encoding="utf-8",
    )
    (d / "unlisted.md").write_text("# Notes\n\nSouth Korea and Japan held talks in Seoul.\n", encoding="utf-8")
    (d / "sub").mkdir()
    (d / "sub" / "nested.html").write_text("<p>China and Russia met in Beijing.</p>", encoding="utf-8")
    names = [
        "good.txt", "empty.txt", "blank.txt", "binary.txt", "bom.txt", "utf16.txt", "cp1252.txt", "crlf.txt",
        "nul.txt", "page.txt", "huge.txt", "good_copy.txt", "german.txt", "sub/nested.html",
    ]
    rows = ["file,outlet,country,title,date,author,url,genre,desk"]
    rows += [f"{n},Outlet {i % 3},Nowhere,,2025-08-{10 + i:02d},,,news,world" for i, n in enumerate(names)]
    rows[1] = "good.txt,The Daily,UK,Talks,not a date,,,news,world"
    rows[names.index("good_copy.txt") + 1] = "good_copy.txt,The Daily,UK,,2025-08-21,,,news,world"  # the same file twice
    rows.append("missing.txt,Ghost,UK,,2025-01-01,,,news,world")
    rows.append("too,many,fields,here,2025-01-01,,,news,world,extra,extra")
    (d / "articles.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return d


@pytest.fixture(scope="session")
def bad_corpus(bad_folder):
    """``bad_folder``, loaded once."""
    return load_corpus(bad_folder)


@pytest.fixture(scope="session")
def seeds_tables():
    """Every table of ``analyze`` on the seeds with the light model, computed once (no cache)."""
    from analysis import analyze

    return analyze(SEEDS_DIR, cache=False, method="model")
