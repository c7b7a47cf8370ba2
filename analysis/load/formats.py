"""Which reader reads a file: by its first bytes where they say, else by its extension.

A ``.txt`` that is really a PDF goes to the PDF reader; a ``.docx`` and an
``.xlsx`` are both ZIP files and are told apart by what the archive holds.
Plain text and Markdown (and HTML until a web-page reader is chosen) take
the loader's text path (``reading.read_text``), so they read as before.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from io import BytesIO

from analysis.load.sources import Item, ReadOptions

__all__ = ["MANY", "Reader", "reader_for", "sniff_format"]

Reader = Callable[[bytes, str, ReadOptions | None], list[Item]]

# Formats that hold many articles per file: their articles are named FILE#N (N from 1), even when there is one.
MANY = frozenset({"nexis", "factiva", "csv", "tsv", "json", "jsonl", "parquet", "excel", "dataframe"})

_TABLE_SUFFIXES = (".csv", ".tsv", ".tab", ".json", ".jsonl", ".ndjson", ".parquet", ".pq", ".xlsx", ".xlsm")


def sniff_format(suffix: str, head: bytes) -> str:
    """The kind of file: ``text``, ``html``, ``docx``, ``rtf``, ``pdf`` or ``table``, from its first bytes and extension."""
    suffix = suffix.lower()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"PAR1"):
        return "table"
    if head.startswith(b"PK\x03\x04"):
        return "zip"  # resolved by reader_for, which can read the archive
    if suffix in _TABLE_SUFFIXES:
        return "table"
    if suffix in (".html", ".htm"):
        return "html"
    if suffix in (".mhtml", ".mht"):
        return "mhtml"
    if suffix == ".docx":
        return "docx"
    if suffix == ".pdf":
        return "pdf"
    if suffix == ".rtf":
        return "rtf"
    return "text"


def _zip_kind(data: bytes, suffix: str) -> str:
    try:
        names = set(zipfile.ZipFile(BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "docx" if suffix == ".docx" else "table" if suffix in _TABLE_SUFFIXES else "text"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "table"
    return "text"  # another archive: the text path reports it as not text


def reader_for(suffix: str, data: bytes) -> Reader | None:
    """The reader of a file with this extension and these bytes; None for the text path.

    Readers are imported here, when a file needs them, so that a folder of
    plain text never imports python-docx, pypdf or trafilatura.
    """
    kind = sniff_format(suffix, data[:8])
    if kind == "zip":
        kind = _zip_kind(data, suffix.lower())
    if kind == "docx":
        from analysis.load.readers import exports

        return exports.read_docx
    if kind == "rtf":
        from analysis.load.readers import exports

        return exports.read_rtf
    if kind == "pdf":
        from analysis.load.readers import pdf

        return pdf.read_pdf
    if kind == "table":
        from analysis.load.readers import tables

        return tables.read_table
    if kind == "html":
        return _read_html
    if kind == "mhtml":
        from analysis.load.readers import web

        return web.read_mhtml
    return None


def _read_html(data: bytes, name: str, options: ReadOptions | None = None) -> list[Item]:
    """A Factiva HTML export, else a saved web page."""
    from analysis.load.readers import exports, web
    from analysis.load.reading import decode_bytes

    if exports.is_factiva_html(decode_bytes(data[:2_000_000]).text):
        return exports.read_factiva_html(data, name, options)
    return web.read_page(data, name, options)
