"""Tables with a text column: CSV, TSV, JSONL, Parquet and Excel, one article per row.

``read_table(data, name)`` reads a file's bytes; ``table_items(frame, name)``
does the same for a DataFrame already in memory. Both find the columns by
their common names, case, spaces and underscores aside:

- text: ``text``, ``body``, ``content``, ``article``, ``full_text``, ``story_text``
- title: ``title``, ``headline``
- outlet: ``outlet``, ``source``, ``publication``, ``media_name``, ``publisher``, ``site``
- date: ``date``, ``published``, ``publish_date``, ``publication_date``, ``pub_date``, ``datetime``, ``timestamp``
- author: ``author``, ``byline``, ``authors``
- url: ``url``, ``link``, ``story_url``

or by name through ``ReadOptions`` (``--text-column`` and the like). Every
other column is kept in ``Item.meta`` under its name in snake_case
(``"Bias Rating"`` -> ``bias_rating``), so it can be grouped by; a name the
corpus tables use themselves (``file``, ``language``, ``n_words``...) gets
the ``meta_`` prefix. Values become strings: a missing value (an empty cell,
NaN, None) is left out of ``meta``; whole numbers print without ``.0``;
datetimes (Excel, Parquet) print in ISO 8601 with the precision they have,
a zone as an offset, and a column of midnights (a date-only column) as days.

A text cell's paragraphs are those a text file would have: a single line
break separates paragraphs as a blank line does (scrapers and spreadsheets
put one line break between paragraphs), except in a hard-wrapped cell
(blocks of short lines between blank lines, text pasted from a PDF or an
e-mail), where a block is a paragraph and its lines are joined by a space.
HTML in a cell (``<p>...</p>``) is stripped. ``Item.text`` separates
paragraphs with a blank line.

No row is dropped silently: a row without text is an ``Item`` with error
``empty``; a CSV row with more or fewer fields than the header, or a JSONL
line that is not a JSON object, is an ``Item`` with error ``bad_row`` or
``bad_line``. Rows with no value at all are not articles and are skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import unicodedata
from pathlib import PurePosixPath

import numpy as np
import pandas as pd

from analysis.load.reading import (
    Unreadable,
    decode_bytes,
    looks_like_html,
    normalize,
    strip_html,
)
from analysis.load.schema import META_PREFIX, RESERVED_COLUMNS
from analysis.load.sources import Item, ReadOptions
from analysis.load.text import split_paragraphs

__all__ = ["COMMON_NAMES", "read_table", "table_items"]

# The names each field's column goes by, most specific first.
COMMON_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "full_text", "story_text"),
    "title": ("title", "headline"),
    "outlet": ("outlet", "source", "publication", "media_name", "publisher", "site"),
    "date": ("date", "published", "publish_date", "publication_date", "pub_date", "datetime", "timestamp"),
    "author": ("author", "byline", "authors"),
    "url": ("url", "link", "story_url"),
}
_EXTENSIONS = {
    ".csv": "csv", ".txt": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".json": "json", ".parquet": "parquet", ".pq": "parquet", ".xlsx": "excel", ".xlsm": "excel",
}
_DELIMITERS = (",", ";", "\t", "|")
_HTML_TAGS = re.compile(r"</?(?:p|br|div)\b[^>]*>", re.IGNORECASE)
_EXCEL_ESCAPE = re.compile(r"_x000[dD]_")  # a carriage return as Excel stores it in a string


def read_table(data: bytes, name: str, options: ReadOptions | None = None) -> list[Item]:
    """The articles of a table file, one ``Item`` per row, in file order.

    The format comes from the content (``PAR1`` is Parquet, a ZIP is an Excel
    workbook) and else from the extension of ``name``: ``.csv`` (commas,
    semicolons as European Excel saves them, tabs or pipes, found from the
    header line), ``.tsv``, ``.jsonl``/``.ndjson`` (one JSON object per line),
    ``.json`` (an array of objects), ``.parquet``, ``.xlsx`` (the first sheet
    with a text column). ``Item.format`` is ``csv``, ``tsv``, ``jsonl``,
    ``json``, ``parquet`` or ``excel``. Raises ``Unreadable`` for a file that
    is not such a table, has no rows, or has no text column.
    """
    options = options or ReadOptions()
    if not data:
        raise Unreadable("empty", "The file is empty (0 bytes).")
    kind = _kind(data, name)
    if kind == "parquet":
        return _read_parquet(data, name, options)
    if kind == "excel":
        return _read_excel(data, name, options)
    try:
        decoded = decode_bytes(data)
    except Unreadable as err:
        raise Unreadable(err.code, f"{err.message.split(';')[0]}; a table must be CSV, TSV, JSONL, Parquet or .xlsx.") \
            from None
    text = normalize(decoded.text)
    notes = list(decoded.notes)
    if not text.strip():
        raise Unreadable("empty", "The file holds only whitespace.")
    if kind in ("json", "jsonl"):
        items = _read_json(text, name, options, kind)
    else:
        items = _read_delimited(text, name, options, prefer_tab=kind == "tsv")
    if notes and items:
        items[0].notes[:0] = notes  # the file's decoding, said once
    return items


def table_items(frame: pd.DataFrame, name: str, options: ReadOptions | None = None,
                format: str = "dataframe") -> list[Item]:
    """One ``Item`` per row of ``frame``, its columns found as ``read_table`` finds them.

    ``name`` names the table in messages; ``format`` goes into
    ``Item.format``. Rows are named by their index label in messages ("The
    row with index 3 has no text."). Raises ``Unreadable`` when no text
    column is found or a column named in ``options`` does not exist.

    >>> items = table_items(pd.DataFrame({"body": ["Rain in Kyiv."], "source": ["Daily"]}), "frame")
    >>> items[0].text, items[0].meta
    ('Rain in Kyiv.', {'outlet': 'Daily'})
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"table_items takes a pandas DataFrame, not {type(frame).__name__}")
    labels = [f"The row with index {label}" for label in frame.index]
    return _items(frame, name, options or ReadOptions(), format, labels)


def _kind(data: bytes, name: str) -> str:
    suffix = PurePosixPath(name).suffix.lower()
    if data.startswith(b"PAR1"):
        return "parquet"
    if data.startswith(b"PK\x03\x04"):
        return "excel"
    if data.startswith(b"\xd0\xcf\x11\xe0") or suffix == ".xls":
        raise Unreadable("old_excel", "This is an old Excel workbook (.xls); open it in Excel and save it as "
                         ".xlsx or CSV.")
    kind = _EXTENSIONS.get(suffix, "csv")
    if kind == "csv" and suffix not in _EXTENSIONS:
        start = data.lstrip()[:1]
        kind = "jsonl" if start == b"{" else "json" if start == b"[" else "csv"
    return kind


# --- the formats ----------------------------------------------------------------------------------

def _read_delimited(text: str, name: str, options: ReadOptions, prefer_tab: bool) -> list[Item]:
    """CSV or TSV text; a row whose fields do not match the header is an ``Item`` with error ``bad_row``."""
    delimiter = _sniff_delimiter(text, "\t" if prefer_tab else ",")
    fmt = "tsv" if delimiter == "\t" else "csv"
    header: list[str] | None = None
    rows, labels, broken = [], [], {}  # broken: position in the file's sequence of rows -> Item
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, 1 << 30))  # an article's text can exceed the default 128 kB
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    try:
        row_no, last_line = 0, 0
        while True:
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as err:
                if header is None:
                    raise Unreadable("bad_csv", f"The header line is not valid CSV ({err}).") from None
                broken[len(rows) + len(broken)] = Item(
                    "", {}, fmt, error=("bad_csv", (
                        f"From line {last_line + 1} on, the file is not valid CSV ({err}); the rest of the file "
                        "is not read. Check the quotes.")))
                break
            row_no, last_line = row_no + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = record
                continue
            while len(record) > len(header) and not record[-1].strip():
                record = record[:-1]  # a trailing separator
            if len(record) != len(header):
                broken[len(rows) + len(broken)] = Item("", {}, fmt, error=(
                    "bad_row", (f"Row {row_no} has {len(record)} fields where the header has {len(header)}; "
                                "it is not read. Check the quotes around its text.")))
                continue
            rows.append(record)
            labels.append((len(rows) + len(broken) - 1, f"Row {row_no}"))
    finally:
        csv.field_size_limit(limit)
    if header is None:
        raise Unreadable("empty", "The file holds no rows.")
    frame = pd.DataFrame(rows, columns=range(len(header)), dtype=object)
    frame.columns = header
    if not rows and not broken:
        _columns(list(header), options)  # a missing text column is the first thing to say
        raise Unreadable("no_rows", f"The table has a header ({', '.join(header)}) but no rows.")
    return _merge(frame, name, options, fmt, labels, broken)


def _sniff_delimiter(text: str, default: str) -> str:
    """The separator of , ; tab | that splits the header line most (outside quotes); ``default`` on a tie."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", first)
    counts = {d: unquoted.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: (counts[d], d == default))
    return best if counts[best] else default


def _read_json(text: str, name: str, options: ReadOptions, kind: str) -> list[Item]:
    """JSON Lines (one object a line), or a JSON array of objects; a bad line is an ``Item`` with ``bad_line``."""
    records, labels, broken = [], [], {}
    stripped = text.lstrip()
    if stripped.startswith("["):
        kind = "json"
        try:
            values = json.loads(stripped)
        except (ValueError, RecursionError) as err:
            raise Unreadable("bad_json", f"The file is not valid JSON ({err}); save it as JSON Lines, one "
                             "article per line, to load the lines that are valid.") from None
        entries = [(f"Record {i}", value, None) for i, value in enumerate(values, start=1)]
    else:
        kind = "jsonl"
        entries = []
        for i, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                entries.append((f"Line {i}", json.loads(line), None))
            except (ValueError, RecursionError) as err:  # RecursionError: nested a thousand levels deep
                entries.append((f"Line {i}", None, f"is not valid JSON ({getattr(err, 'msg', err)})"))
    for label, value, why in entries:
        if why is None and not isinstance(value, dict):
            why = f"holds a JSON {type(value).__name__}, not an object with named fields"
        if why is not None:
            broken[len(records) + len(broken)] = Item("", {}, kind, error=(
                "bad_line", f"{label} {why}; it is not read, the other lines are."))
            continue
        records.append(value)
        labels.append((len(records) + len(broken) - 1, label))
    if not records:
        if broken:
            raise Unreadable("bad_json", f"None of the {len(broken)} lines is a JSON object; a JSON Lines file "
                             "holds one object such as {\"text\": \"...\"} per line.")
        raise Unreadable("no_rows", "The file holds an empty list.")
    frame = pd.DataFrame.from_records(records).astype(object)
    return _merge(frame, name, options, kind, labels, broken)


def _read_parquet(data: bytes, name: str, options: ReadOptions) -> list[Item]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        frame = pq.read_table(pa.BufferReader(data)).to_pandas()
    except Exception as err:  # noqa: BLE001 - pyarrow raises several kinds for a corrupt or foreign file
        raise Unreadable("bad_parquet", f"This is not a Parquet file pyarrow can read ({err}); "
                         "save the table again, or as CSV.") from None
    if frame.empty:
        _columns([str(c) for c in frame.columns], options)
        raise Unreadable("no_rows", "The table has columns but no rows.")
    labels = [f"The row with index {label}" for label in frame.index]
    return _items(frame, name, options, "parquet", labels)


def _read_excel(data: bytes, name: str, options: ReadOptions) -> list[Item]:
    """The first sheet of an .xlsx workbook with a text column; which one is said when there are several."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # noqa: BLE001 - a ZIP that is not a workbook (a .docx), a damaged file
        raise Unreadable("bad_excel", f"This is not an Excel workbook openpyxl can read ({type(err).__name__}); "
                         "open it in Excel and save it as .xlsx or CSV.") from None
    try:
        sheets = [(sheet.title, _sheet_rows(sheet)) for sheet in book.worksheets]
    except Exception as err:  # noqa: BLE001 - a damaged sheet inside a valid ZIP
        raise Unreadable("bad_excel", f"The workbook cannot be read ({type(err).__name__}: {err}); "
                         "open it in Excel and save it again, or as CSV.") from None
    finally:
        book.close()
    first_error = None
    for title, (header, rows, labels) in sheets:
        if header is None:
            continue
        try:
            _columns(header, options)
        except Unreadable as err:
            first_error = first_error or err
            continue
        if not rows:
            raise Unreadable("no_rows", f"Sheet {title!r} has a header ({', '.join(header)}) but no rows.")
        frame = pd.DataFrame(rows, columns=range(len(header)), dtype=object)
        frame.columns = header
        items = _items(frame, name, options, "excel", labels)
        if len(sheets) > 1 and items:
            others = ", ".join(repr(t) for t, _ in sheets if t != title)
            items[0].notes.append(("sheet", (f"Read sheet {title!r}, the first with a text column; "
                                             f"the workbook also has {others}.")))
        return items
    if first_error is None:
        raise Unreadable("empty", "The workbook's sheets are empty.")
    if len(sheets) > 1:
        raise Unreadable(first_error.code, f"In no sheet ({', '.join(repr(t) for t, _ in sheets)}): "
                         f"{first_error.message[0].lower()}{first_error.message[1:]}")
    raise first_error


def _sheet_rows(sheet) -> tuple[list[str] | None, list[list], list[str]]:
    """``(header, rows, labels)`` of a sheet: the first non-empty row is the header; empty rows are skipped.

    A value in a column without a header keeps its place under the name ``column_N``.
    """
    header, rows, labels = None, [], []
    for row_no, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        values = [_EXCEL_ESCAPE.sub("\r", v) if isinstance(v, str) else v for v in values]
        while values and (values[-1] is None or (isinstance(values[-1], str) and not values[-1].strip())):
            values = values[:-1]
        if not values:
            continue
        if header is None:
            header = ["" if v is None else str(v) for v in values]
            continue
        rows.append(values)
        labels.append(f"Row {row_no}")
    if header is not None:
        width = max([len(header), *map(len, rows)])
        header += [""] * (width - len(header))
        rows = [r + [None] * (width - len(r)) for r in rows]
    return header, rows, labels


# --- rows to items --------------------------------------------------------------------------------

def _items(frame: pd.DataFrame, name: str, options: ReadOptions, fmt: str, labels: list[str]) -> list[Item]:
    """The row -> Item logic every format shares; ``labels`` name the rows in messages."""
    return [item for item in _row_items(frame, options, fmt, labels) if item is not None]


def _row_items(frame: pd.DataFrame, options: ReadOptions, fmt: str, labels: list[str]) -> list[Item | None]:
    """One ``Item`` per row of ``frame``, None for a row with no value at all."""
    columns = [str(c) for c in frame.columns]
    fields = _columns(columns, options)
    keys = _meta_keys(columns, fields)
    cells = [_strings(frame.iloc[:, i]) for i in range(len(columns))]
    by_position = {pos: field for field, pos in fields.items()}
    items = []
    for r, label in enumerate(labels):
        row = [cells[i][r] for i in range(len(columns))]
        if all(v is None for v in row):
            items.append(None)
            continue
        meta, notes = {}, []
        for i, value in enumerate(row):
            if value is None or by_position.get(i) == "text":
                continue
            field = by_position.get(i)
            meta[field or keys[i]] = " ".join(value.split()) if field else value
        body = row[fields["text"]]
        text = ""
        if body is not None:
            text, notes = _paragraphs(body)
        if not text:
            items.append(Item("", meta, fmt, notes, error=("empty", f"{label} has no text.")))
        else:
            items.append(Item(text, meta, fmt, notes))
    return items


def _merge(frame: pd.DataFrame, name: str, options: ReadOptions, fmt: str, labels: list[tuple[int, str]],
           broken: dict[int, Item]) -> list[Item]:
    """The items of the rows read, with the broken rows' items put back at their places in the file.

    ``labels`` pairs each row of ``frame`` with its place in the file and its name in messages.
    """
    read = _row_items(frame, options, fmt, [label for _, label in labels])
    placed = [(place, item) for (place, _), item in zip(labels, read) if item is not None]
    return [item for _, item in sorted([*placed, *broken.items()], key=lambda pair: pair[0])]


def _norm(column: str) -> str:
    return re.sub(r"[\s_\-]+", "_", unicodedata.normalize("NFC", str(column)).strip().lower()).strip("_")


def _columns(columns: list[str], options: ReadOptions) -> dict[str, int]:
    """Field -> column position: the columns ``options`` names first, then the common names."""
    fields: dict[str, int] = {}
    for field in COMMON_NAMES:
        wanted = getattr(options, f"{field}_column")
        if wanted is None:
            continue
        matches = [i for i, c in enumerate(columns) if c == wanted] or \
                  [i for i, c in enumerate(columns) if _norm(c) == _norm(wanted)]
        if not matches:
            raise Unreadable("no_such_column", f"There is no column {wanted!r} (named by --{field}-column); "
                             f"the columns are: {_listing(columns)}.")
        fields[field] = matches[0]
    normed = [_norm(c) for c in columns]
    for field, names in COMMON_NAMES.items():
        if field in fields:
            continue
        taken = set(fields.values())
        found = next((i for n in names for i, c in enumerate(normed) if c == n and i not in taken), None)
        if found is not None:
            fields[field] = found
    if "text" not in fields:
        raise Unreadable("no_text_column", f"No column holds the article text (none is named "
                         f"{', '.join(COMMON_NAMES['text'])}); the columns are: {_listing(columns)}. "
                         "Pass --text-column NAME to name it.")
    return fields


def _listing(columns: list[str]) -> str:
    shown = ", ".join(repr(c) for c in columns[:30])
    return shown + (f" and {len(columns) - 30} more" if len(columns) > 30 else "") if columns else "(none)"


def _meta_keys(columns: list[str], fields: dict[str, int]) -> list[str]:
    """The ``meta`` key of each column not used for a field: snake_case, clear of the corpus tables' names."""
    used = set(COMMON_NAMES) | {"file"}
    keys = []
    for i, column in enumerate(columns):
        key = re.sub(r"\W+", "_", unicodedata.normalize("NFC", column).strip().lower()).strip("_") or f"column_{i + 1}"
        if i not in fields.values():
            if key in used or key in RESERVED_COLUMNS:
                key = META_PREFIX + key
            base, n = key, 2
            while key in used:
                key, n = f"{base}_{n}", n + 1
            used.add(key)
        keys.append(key)
    return keys


def _paragraphs(cell: str) -> tuple[str, list[tuple[str, str]]]:
    """A text cell as ``Item.text``: paragraphs joined by a blank line (see the module docstring)."""
    notes = []
    text = normalize(cell)
    if looks_like_html(text) or len(_HTML_TAGS.findall(text)) >= 2:
        text, _ = strip_html(text)
        notes.append(("html_in_text", "The text cell holds HTML: its tags were stripped and entities decoded."))
    paragraphs = [re.sub(r"[ \t]*\n\s*", " ", text[a:b]) for a, b in split_paragraphs(text)]
    return "\n\n".join(paragraphs), notes


def _strings(column: pd.Series) -> list[str | None]:
    """The column's values as strings, None where missing (see the module docstring for the forms)."""
    values = column.tolist()  # Python values; Timestamps keep their zone
    stamps = [v for v in values if isinstance(v, dt.datetime) and v is not pd.NaT]
    date_only = bool(stamps) and all(
        v.tzinfo is None and (v.hour, v.minute, v.second, v.microsecond) == (0, 0, 0, 0)
        and getattr(v, "nanosecond", 0) == 0 for v in stamps)
    return [_string(v, date_only) for v in values]


def _string(value, date_only: bool = False) -> str | None:
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
        return value or None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) or (hasattr(value, "dtype") and getattr(value.dtype, "kind", "") == "f"):
        value = float(value)
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
        if value is pd.NaT:
            return None
    if isinstance(value, dt.datetime):
        stamp = pd.Timestamp(value)
        return stamp.date().isoformat() if date_only else stamp.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if hasattr(value, "item") and not hasattr(value, "__len__"):  # a NumPy scalar
        return _string(value.item(), date_only)
    if isinstance(value, bytes):
        return _string(value.decode("utf-8", errors="replace"))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
        parts = [_string(v) for v in (value.tolist() if hasattr(value, "tolist") else value)]
        return ", ".join(p for p in parts if p) or None  # authors: ["A", "B"] -> "A, B"
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value).strip() or None
