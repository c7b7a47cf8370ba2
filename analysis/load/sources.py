"""What a reader of one input format gives the loader: the articles it found in a file.

A corpus folder may mix formats: plain text, news-database exports holding
many articles (Nexis Uni, Factiva), PDFs, saved web pages and tables with a
text column. Each format has a reader in ``analysis/load/readers/``: a pure
function of the file's bytes that returns one ``Item`` per article it found,
in file order. The loader then cleans and splits every item exactly as it
does a text file (``corpus.article_from_text``), so every format ends in the
same tables.

A reader never drops an article silently: an article it saw but cannot use
(an export entry without a body) comes back as an ``Item`` with ``error``;
a file it cannot use at all (a corrupt DOCX, a scanned PDF without text, a
table without a text column) raises ``reading.Unreadable``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Item", "ReadOptions"]


@dataclass
class Item:
    """One article a reader found in a file.

    - ``text``: the article's text as the loader reads a text file: paragraphs
      separated by a blank line. Lines the reader knows are not the article
      (an export's "Length: 512 words", "Load-Date:", "End of Document") are
      left out; the headline and byline are given in ``meta`` (a copy in the
      text is marked as such by the furniture classifier).
    - ``meta``: what the file says of the article, as strings: ``title``,
      ``outlet``, ``date`` (as written: the loader parses it), ``author``,
      ``url``, ``country``, ``genre``, and any other field worth keeping
      (``doc_id``, ``word_count``, a table's other columns), which become
      extra article columns.
    - ``format``: the reader's name for what it read (``nexis``, ``factiva``,
      ``pdf``, ``web``, ``csv``...), shown per file by ``check``.
    - ``notes``: ``(code, message)`` pairs about this article, which is
      loaded anyway.
    - ``error``: ``(code, message)`` when the article cannot be used (no
      body): it is reported and not loaded.
    """

    text: str
    meta: dict[str, str] = field(default_factory=dict)
    format: str = "text"
    notes: list[tuple[str, str]] = field(default_factory=list)
    error: tuple[str, str] | None = None


@dataclass(frozen=True)
class ReadOptions:
    """How to read tables: the column holding each field, where the common names would not find it.

    None means "find it by its common names" (``text``/``body``/``content``,
    ``title``/``headline``, ``outlet``/``source``/``publication``/``media_name``,
    ``date``/``published``/``publish_date``...). Part of the loading cache key.
    """

    text_column: str | None = None
    title_column: str | None = None
    outlet_column: str | None = None
    date_column: str | None = None
    author_column: str | None = None
    url_column: str | None = None

    def key(self) -> dict[str, str]:
        """The options that are set, for a cache key (empty for the defaults, so old keys stay valid)."""
        return {k: v for k, v in self.__dict__.items() if v is not None}
