"""The columns of the corpus tables and the names a manifest may use: one place for each.

Every reader and every table of the ``load`` stage takes its column names
from here; a manifest column that would collide with one of them is
renamed (``RESERVED_COLUMNS``, ``META_PREFIX``).
"""

from __future__ import annotations

__all__ = ["ARTICLE_COLUMNS", "FRONT_MATTER_KEYS", "KNOWN_COLUMNS", "META_PREFIX", "PARAGRAPH_COLUMNS",
           "PARAGRAPH_META", "PROBLEM_COLUMNS", "READ_SUFFIXES", "RESERVED_COLUMNS", "SENTENCE_COLUMNS",
           "TEXT_SUFFIXES", "UNKNOWN_OUTLET"]

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
# Every extension the loader reads: text, then news-database exports, PDFs and tables (see ``formats``).
READ_SUFFIXES = (*TEXT_SUFFIXES, ".mhtml", ".mht", ".docx", ".rtf", ".pdf", ".csv", ".tsv", ".tab", ".json", ".jsonl", ".ndjson",
                 ".parquet", ".pq", ".xlsx", ".xlsm")
KNOWN_COLUMNS = ("outlet", "country", "title", "date", "author", "url", "genre")
# Metadata a file can carry itself (YAML front matter), used where the manifest has none.
FRONT_MATTER_KEYS = {"title": "title", "headline": "title", "date": "date", "published": "date",
                     "author": "author", "byline": "author", "outlet": "outlet", "source": "outlet",
                     "publication": "outlet", "url": "url", "link": "url", "country": "country", "genre": "genre"}
# Prefix of a manifest column renamed because its name is one of the corpus tables' own.
META_PREFIX = "meta_"
UNKNOWN_OUTLET = "unknown"

ARTICLE_COLUMNS = [
    "article_id", "file", "source_file", "item", "outlet", "country", "title", "date", "date_precision", "date_text", "author", "url", "genre",
    "language", "n_paragraphs", "n_body_paragraphs", "n_sentences", "n_words", "n_chars", "n_repeated",
    "sha256", "encoding", "format",
]
PARAGRAPH_COLUMNS = [
    "article_id", "paragraph", "text", "kind", "reason", "n_words", "n_sentences",
    "position", "start", "end",
]
SENTENCE_COLUMNS = [
    "article_id", "paragraph", "sentence", "text", "start", "end", "n_words",
    "file", "outlet", "date", "language",
]
PROBLEM_COLUMNS = ["file", "problem", "message", "loaded"]
# Names a manifest column may not take: it would overwrite a column of the corpus tables.
RESERVED_COLUMNS = frozenset(
    [*ARTICLE_COLUMNS, *PARAGRAPH_COLUMNS, *SENTENCE_COLUMNS, *PROBLEM_COLUMNS, "_key", "index", "level_0"]
) - set(KNOWN_COLUMNS) - {"file"}
# Metadata repeated on every paragraph row, so a paragraph table can be grouped alone.
PARAGRAPH_META = ["file", "outlet", "country", "date", "title", "author", "genre", "url", "language"]
