"""Reading ``articles.csv``: one row of metadata per file, whatever the spreadsheet it was saved from.

``read_manifest(folder)`` detects the separator and the encoding, keeps
every usable row, reports every other one, and renames columns that would
collide with the corpus tables' own.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from analysis.config import MANIFEST_NAME
from analysis.load.files import inside_folder, link_target
from analysis.load.readers.tables import COMMON_NAMES
from analysis.load.reading import Unreadable, decode_bytes
from analysis.load.schema import META_PREFIX, RESERVED_COLUMNS

__all__ = ["Manifest", "clean_relpath", "read_manifest"]


@dataclass
class Manifest:
    rows: dict[str, dict[str, str]]  # relative posix path -> metadata
    columns: list[str]
    problems: list[tuple[str, str, str, bool]]
    present: bool
    is_table: bool = False  # articles.csv holds the articles themselves (a text column, no file column)


def read_manifest(folder: Path) -> Manifest:
    """Read ``folder/articles.csv``; every row that cannot be used becomes a problem.

    Commas, semicolons, tabs or pipes separate the fields (Excel saves
    semicolons in many locales, and tabs in UTF-16 as "Unicode text"); the
    encoding is found as for articles. Rows with the wrong number of fields,
    without a file name, or repeating an earlier file are reported and
    skipped; the other rows are kept. File names match the files on disk in
    Unicode NFC form, with spaces around each part of the path ignored. A
    column named like one of the corpus tables' own (``text``, ``kind``,
    ``sha256``, …) is kept as ``meta_<name>`` and reported. A manifest
    without a ``file`` column cannot be matched to files and is reported
    whole, unless it has a text column (``text``, ``body``...): then it is a
    table of articles, read as the other tables are (``is_table``). A manifest that is a link to a file outside the folder is not read.
    """
    path = folder / MANIFEST_NAME
    if path.is_symlink() and not inside_folder(path, folder):
        return Manifest({}, [], [(MANIFEST_NAME, "outside_link", f"The manifest is a link to {link_target(path)}, "
                                 "outside the corpus folder; it is not read. All files load with outlet 'unknown'.",
                                 False)], present=True)
    if not path.is_file():
        return Manifest({}, [], [], present=False)
    problems: list[tuple[str, str, str, bool]] = []

    def bad(code: str, message: str) -> Manifest:
        problems.append((MANIFEST_NAME, code, message, False))
        return Manifest({}, [], problems, present=True)

    try:
        decoded = decode_bytes(path.read_bytes())
    except Unreadable as err:
        return bad("bad_manifest", f"The manifest ({MANIFEST_NAME}) cannot be read: {err.message} All files load with outlet 'unknown'.")
    except OSError as err:
        return bad("bad_manifest", f"The manifest ({MANIFEST_NAME}) cannot be read: {err.strerror}. All files load with outlet 'unknown'.")
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    delimiter = _sniff_delimiter(text)
    try:
        records = list(csv.reader(io.StringIO(text), delimiter=delimiter, strict=True))
    except csv.Error as err:
        return bad("bad_manifest", f"The manifest ({MANIFEST_NAME}) is not valid CSV ({err}). All files load with outlet 'unknown'.")
    records = [r for r in records if any(cell.strip() for cell in r)]
    if not records:
        return bad("bad_manifest", f"The manifest ({MANIFEST_NAME}) is empty. All files load with outlet 'unknown'.")
    header = [h.strip().lower() for h in records[0]]
    if "file" not in header and any(re.sub(r"[\s_\-]+", "_", h).strip("_") in COMMON_NAMES["text"] for h in header):
        return Manifest({}, [], [], present=False, is_table=True)  # a table of articles: read as one
    if "file" not in header:
        return bad(
            "bad_manifest",
            f"The manifest ({MANIFEST_NAME}) has no 'file' column (columns: {', '.join(header)}); "
            "rows cannot be matched to files. All files load with outlet 'unknown'.",
        )
    header = _safe_header(header, problems)
    rows = _rows(records[1:], header, problems)
    columns = [h for h in header if h != "file"]
    return Manifest(rows, columns, problems, present=True)


def _rows(records: list[list[str]], header: list[str], problems: list) -> dict[str, dict[str, str]]:
    """The usable rows by file name; a short row, a row without a file or a repeated file is reported."""
    rows: dict[str, dict[str, str]] = {}
    for line_no, record in enumerate(records, start=2):
        if len(record) != len(header):
            problems.append((
                MANIFEST_NAME, "bad_manifest_row",
                f"Row {line_no} has {len(record)} fields where the header has {len(header)}; row skipped.",
                False,
            ))
            continue
        meta = {k: v.strip() for k, v in zip(header, record)}
        rel = clean_relpath(meta.pop("file"))
        if not rel:
            problems.append((MANIFEST_NAME, "bad_manifest_row", f"Row {line_no} names no file; row skipped.", False))
        elif rel in rows:
            problems.append((
                rel, "duplicate_manifest_row",
                f"Row {line_no} of {MANIFEST_NAME} repeats this file; the first row is used.", True,
            ))
        else:
            rows[rel] = meta
    return rows


def _sniff_delimiter(text: str) -> str:
    """The field separator of a manifest: the one of , ; tab | that splits its header line most."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    counts = {d: first.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _safe_header(header: list[str], problems: list) -> list[str]:
    """Column names that collide with nothing: reserved names get ``meta_``, blanks and repeats a number."""
    out: list[str] = []
    for i, name in enumerate(header, start=1):
        new = name or f"column_{i}"
        if new in RESERVED_COLUMNS:
            new = META_PREFIX + new
        while new in out or new in RESERVED_COLUMNS:
            new = f"{new}_{i}"
        if new != name:
            why = "is the name of one of the corpus tables' own columns" if name in RESERVED_COLUMNS else \
                "is empty" if not name else "repeats an earlier column"
            problems.append((MANIFEST_NAME, "renamed_column",
                             f"Column {i} ({name!r}) {why}; it is kept as {new!r}.", True))
        out.append(new)
    return out


def clean_relpath(name: str) -> str:
    """A manifest's or the disk's file name in one form: NFC, ``/``, no ``./``, no spaces around each part."""
    name = unicodedata.normalize("NFC", name.strip().replace("\\", "/"))
    name = "/".join(part.strip() for part in name.split("/"))
    while name.startswith("./"):
        name = name[2:]
    return name
