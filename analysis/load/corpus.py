"""Loading a corpus folder into DataFrames, with a report of everything not used.

A corpus folder holds article files (``.txt``, ``.md``, ``.html``/``.htm``,
found recursively) and, optionally, ``articles.csv`` at its root with one row
per file. ``load_corpus`` reads every file it finds: each one is either loaded
or listed in ``problems`` with its reason, and loading never stops at the
first bad file. Only a folder that does not exist raises (``CorpusError``).

The per-article step (``load_article``) is a pure function of the file's bytes
and its manifest row, so it can be cached by content hash and run in parallel.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import pandas as pd

from analysis.config import MANIFEST_NAME
from analysis.load.dates import parse_date
from analysis.load.files import find_files
from analysis.load.formats import MANY, reader_for
from analysis.load.furniture import classify_paragraphs
from analysis.load.manifest import Manifest, clean_relpath, read_manifest
from analysis.load.parallel import parallel_map
from analysis.load.reading import MAX_BYTES, Unreadable, normalize, read_text
from analysis.load.repeated import mark_repeated
from analysis.load.schema import (
    ARTICLE_COLUMNS,
    FRONT_MATTER_KEYS,
    KNOWN_COLUMNS,
    META_PREFIX,
    PARAGRAPH_COLUMNS,
    PARAGRAPH_META,
    PROBLEM_COLUMNS,
    RESERVED_COLUMNS,
    SENTENCE_COLUMNS,
    TEXT_SUFFIXES,
    UNKNOWN_OUTLET,
)
from analysis.load.sources import Item, ReadOptions
from analysis.load.text import (
    count_words,
    detect_language,
    split_paragraphs,
    split_sentences,
)

__all__ = [
    "Corpus", "CorpusError", "load_corpus", "load_plan", "load_files", "read_manifest", "plan_corpus",
    "select_articles", "assemble",
    "load_article", "load_file", "article_from_text", "ReadOptions", "load_texts", "parse_date", "KNOWN_COLUMNS", "TEXT_SUFFIXES",
]

# Part of every cache key of the loading step: bump it when loading changes its output.
LOADER_VERSION = "load-3"  # 3: readers of exports, PDFs, web pages and tables, many articles per file
# 2: invisible characters, bad UTF-8 bytes, HTML furniture, front matter


class CorpusError(Exception):
    """The corpus folder itself cannot be used (missing, or not a folder)."""


@dataclass
class Corpus:
    """A loaded corpus: four DataFrames and the folder they came from.

    - ``articles``: one row per loaded article (see ``ARTICLE_COLUMNS``, then
      any extra manifest columns). ``date`` is a datetime (NaT when missing or
      unparseable); ``n_words`` and ``n_sentences`` count body text only.
    - ``paragraphs``: one row per paragraph of every kind, in file order;
      ``position`` is the share of the article's characters before the
      paragraph (0 = top, below 1 = last); ``start``/``end`` are character
      offsets in the cleaned article text. Article metadata on every row.
    - ``sentences``: one row per sentence of ``body`` paragraphs; ``start``
      and ``end`` are offsets in the paragraph's text.
    - ``problems``: one row per file or manifest row not loaded cleanly:
      ``file``, ``problem`` (a short code), ``message`` (for people), and
      ``loaded`` (True when the file is in the corpus despite the problem).
    """

    folder: Path
    articles: pd.DataFrame
    paragraphs: pd.DataFrame
    sentences: pd.DataFrame
    problems: pd.DataFrame

    def __repr__(self) -> str:
        return (
            f"Corpus({self.folder.name!r}: {len(self.articles)} articles, "
            f"{len(self.paragraphs)} paragraphs, {len(self.sentences)} sentences, "
            f"{len(self.problems)} problems)"
        )

    def body(self) -> pd.DataFrame:
        """The body paragraphs only: the text that counts and scores use."""
        return self.paragraphs[self.paragraphs["kind"] == "body"].reset_index(drop=True)


# --------------------------------------------------------------------------- manifest


# --------------------------------------------------------------------------- one article


@dataclass
class LoadedArticle:
    """What one file contributes to the corpus (or the problems it raised)."""

    file: str
    text: str | None
    encoding: str | None
    sha256: str | None
    paragraphs: list[dict]
    sentences: list[dict]
    language: str | None
    notes: list[tuple[str, str]]
    error: Unreadable | None = None
    found_meta: dict[str, str] = field(default_factory=dict)  # metadata the file carries (front matter, an export's lines)
    source_file: str | None = None  # the file it came from, when ``file`` names one article of it (FILE#N)
    item: int = 1  # its position in that file, from 1
    format: str = "text"  # the reader's name for the format (formats.MANY hold many articles per file)


def _failed(rel: str, err: Unreadable) -> LoadedArticle:
    return LoadedArticle(rel, None, None, None, [], [], None, [], error=err)


def _overlay(file_row: dict[str, str], item_row: dict[str, str] | None) -> dict[str, str]:
    """A file's manifest row with the cells an article's own row (``FILE#N``) fills laid over it."""
    return {**file_row, **{k: v for k, v in (item_row or {}).items() if v}}


def load_file(path: Path, rel: str, meta: dict[str, str], options: ReadOptions | None = None,
              item_rows: dict[str, dict[str, str]] | None = None) -> list[LoadedArticle]:
    """Every article of one file, in file order. Never raises: what cannot be used comes back with ``error``.

    A text, Markdown or HTML file, a PDF or a web page is one article named
    ``rel``; an export or a table gives one article per entry or row, named
    ``rel#N`` (N from 1). ``meta`` is the file's manifest row and
    ``item_rows`` the rows naming one of its articles (``rel#N``), which win
    over it. A file that cannot be used at all is one article with
    ``error``; so is an entry of an export without a body.
    """
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise Unreadable("too_large", f"{size / 1e6:.0f} MB is more than the {MAX_BYTES / 1e6:.0f} MB limit "
                             "for one file.")
        if size == 0:
            raise Unreadable("empty", "The file is empty (0 bytes).")
        with open(path, "rb") as fh:
            head = fh.read(8)
        reader = reader_for(path.suffix, head)  # the ZIP kinds are told apart by their bytes below
        if reader is None:
            return [load_article(path, rel, meta)]
        data = path.read_bytes()
        if head.startswith(b"PK"):
            reader = reader_for(path.suffix, data)
        items = reader(data, rel, options)
    except Unreadable as err:
        return [_failed(rel, err)]
    except OSError as err:
        return [_failed(rel, Unreadable("unreadable", f"Cannot read the file: {err.strerror}."))]
    except Exception as err:  # noqa: BLE001 - reported per file, never lost
        return [_failed(rel, Unreadable(
            "internal_error", f"The loader failed on this file ({type(err).__name__}: {err}); please report it."))]
    if not items:
        return [_failed(rel, Unreadable("empty", "The file holds no article."))]
    return articles_from_items(items, rel, meta, item_rows)


def articles_from_items(items: list[Item], rel: str, meta: dict[str, str],
                        item_rows: dict[str, dict[str, str]] | None = None) -> list[LoadedArticle]:
    """The ``LoadedArticle`` of each article a reader found in the file ``rel`` (see ``load_file``)."""
    many = len(items) > 1 or any(it.format in MANY for it in items)
    out = []
    for i, it in enumerate(items, start=1):
        name = f"{rel}#{i}" if many else rel
        row = _overlay(meta, (item_rows or {}).get(f"{rel}#{i}"))  # a one-article file's rel#1 row is its own
        if it.error is not None:
            art = _failed(name, Unreadable(*it.error))
        else:
            try:
                art = article_from_text(normalize(it.text), name, row, notes=it.notes, found=it.meta)
            except Exception as err:  # noqa: BLE001 - one odd entry never loses the others
                art = _failed(name, Unreadable("internal_error", f"The loader failed on this article "
                                               f"({type(err).__name__}: {err}); please report it."))
            else:
                if not art.text.strip():
                    art = _failed(name, Unreadable("empty", "The article has no text."))
        out.append(replace(art, source_file=rel if many else None, item=i, format=it.format))
    return out


def load_article(path: Path, rel: str, meta: dict[str, str]) -> LoadedArticle:
    """Read, clean and split one article file. Never raises: a file that cannot be used comes back with ``error``.

    A failure of the loader itself on a file (a bug) is that file's problem
    (``internal_error``), so one odd file never stops a run or a worker pool.
    """
    try:
        return _load_article(path, rel, meta)
    except Unreadable as err:
        return _failed(rel, err)
    except OSError as err:
        return _failed(rel, Unreadable("unreadable", f"Cannot read the file: {err.strerror}."))
    except Exception as err:  # noqa: BLE001 - reported per file, never lost
        return _failed(rel, Unreadable(
            "internal_error", f"The loader failed on this file ({type(err).__name__}: {err}); please report it."))


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FRONT_LINE = re.compile(r"^([A-Za-z_][\w -]*):[ \t]*(.*?)[ \t]*$")


def front_matter(text: str) -> tuple[int, dict[str, str]]:
    """The length of a YAML front matter block at the top of ``text`` (0 when none) and its known fields.

    Only flat ``key: value`` lines are read (no YAML library, no code run):
    ``title``/``headline``, ``date``/``published``, ``author``/``byline``,
    ``outlet``/``source``/``publication``, ``url``/``link``, ``country``,
    ``genre``.
    """
    m = _FRONT_MATTER.match(text[:20000])
    if not m:
        return 0, {}
    found: dict[str, str] = {}
    for line in (m.group(1) or "").split("\n"):
        kv = _FRONT_LINE.match(line)
        if kv and kv.group(1).strip().lower() in FRONT_MATTER_KEYS:
            value = kv.group(2).strip().strip("\"'").strip()
            if value:
                found.setdefault(FRONT_MATTER_KEYS[kv.group(1).strip().lower()], value)
    return m.end(), found


def _load_article(path: Path, rel: str, meta: dict[str, str]) -> LoadedArticle:
    decoded = read_text(path)
    return article_from_text(decoded.text, rel, meta, markdown=path.suffix.lower() in (".md", ".markdown"),
                             encoding=decoded.encoding, notes=decoded.notes)


def article_from_text(text: str, rel: str, meta: dict[str, str], markdown: bool = False, encoding: str | None = None,
                      notes: list[tuple[str, str]] | None = None, found: dict[str, str] | None = None) -> LoadedArticle:
    """Clean and split one article already decoded to ``text`` (what ``load_article`` does after reading the file).

    ``rel`` names the article (its file); ``meta`` is its metadata row
    (``title`` and ``author`` mark the lines that repeat them); ``found``
    what a reader found in the file itself (an export's headline line),
    which the manifest's row overrides, as it does YAML front matter.
    """
    front_end, front = front_matter(text)
    found = {**front, **{k: str(v) for k, v in (found or {}).items() if v not in (None, "")}}
    meta = {**found, **{k: v for k, v in meta.items() if v}}  # the manifest wins over the file
    spans = split_paragraphs(text)
    texts = [text[a:b] for a, b in spans]
    kinds = classify_paragraphs(texts, title=meta.get("title"), author=meta.get("author"), markdown=markdown)
    kinds = [("front_matter", "YAML front matter") if a < front_end else k for (a, _), k in zip(spans, kinds)]
    paragraphs, sentences = [], []
    for i, ((a, b), ptext, (kind, reason)) in enumerate(zip(spans, texts, kinds)):
        sent_spans = split_sentences(ptext) if kind == "body" else []
        n_words = 0
        for j, (sa, sb) in enumerate(sent_spans):
            stext = ptext[sa:sb].replace("\n", " ")
            n = count_words(stext)
            n_words += n
            sentences.append({
                "paragraph": i, "sentence": j, "text": stext, "start": sa, "end": sb, "n_words": n,
            })
        paragraphs.append({
            "paragraph": i, "text": ptext, "kind": kind, "reason": reason,
            # Sentences cover a body paragraph's words (only whitespace lies between them).
            "n_words": n_words if sent_spans else count_words(ptext), "n_sentences": len(sent_spans),
            "position": a / len(text), "start": a, "end": b,
        })
    body = " ".join(p["text"] for p in paragraphs if p["kind"] == "body")
    return LoadedArticle(
        file=rel,
        text=text,
        encoding=encoding,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        paragraphs=paragraphs,
        sentences=sentences,
        language=detect_language(body or text),
        notes=list(notes or []),
        found_meta=found,
    )


# --------------------------------------------------------------------------- the folder


@dataclass
class Plan:
    """What a corpus folder holds, before any article is read."""

    folder: Path
    manifest: Manifest
    files: list[str]  # article files, sorted relative posix paths
    metas: list[dict[str, str]]  # their manifest rows ({} when none)
    problems: list[tuple[str, str, str, bool]]  # manifest problems, unsupported and missing files
    options: ReadOptions = field(default_factory=ReadOptions)
    item_rows: dict[str, dict[str, str]] = field(default_factory=dict)  # manifest rows naming FILE#N

    def rows_of(self, rel: str) -> dict[str, dict[str, str]]:
        """The manifest rows naming one article of the file ``rel`` (``rel#N``)."""
        return self._rows_by_file.get(rel, {})

    @cached_property
    def _rows_by_file(self) -> dict[str, dict[str, dict[str, str]]]:
        # Grouped once: rows_of is asked for every file (cache keys, tasks), so no scan per file.
        grouped: dict[str, dict[str, dict[str, str]]] = {}
        for key, row in self.item_rows.items():
            grouped.setdefault(key.rsplit("#", 1)[0], {})[key] = row
        return grouped

    def tasks(self) -> list[tuple]:
        """The arguments of ``load_file`` for each planned file."""
        return [(self.folder / rel, rel, meta, self.options, self.rows_of(rel)) for rel, meta in zip(self.files, self.metas)]


def plan_corpus(folder, exclude=(), options: ReadOptions | None = None) -> Plan:
    """Find the article files and read the manifest; raise ``CorpusError`` for an unusable folder.

    ``exclude``: folders inside ``folder`` whose files are not articles (the
    run's output and cache folders); each is reported once. ``options``:
    which columns of a table hold the text, title, outlet... (found by their
    common names when not given).
    """
    folder = Path(folder).expanduser()
    if not folder.exists():
        raise CorpusError(f"The corpus folder {str(folder)!r} does not exist.")
    if not folder.is_dir():
        raise CorpusError(f"{str(folder)!r} is a file, not a folder of articles.")
    folder = folder.resolve()
    manifest = read_manifest(folder)
    problems = list(manifest.problems)
    files, others, skipped = find_files(folder, exclude)
    if manifest.is_table:  # articles.csv is the articles themselves, not their metadata
        files = sorted([*files, MANIFEST_NAME])
    problems.extend(skipped)
    for name in others:
        problems.append((name, "unsupported_type", f"'{Path(name).suffix or 'no extension'}' files are not read; "
                         f"save articles as {', '.join(TEXT_SUFFIXES)}.", False))
    by_key = {clean_relpath(rel): rel for rel in files}
    other_keys = {clean_relpath(rel) for rel in others}
    item_rows, item_keys = {}, set()
    for key, row in manifest.rows.items():  # a row naming one article of a file: FILE#N
        base, _, n = key.rpartition("#")
        if base not in by_key or not n.isdigit() or key in by_key or key in other_keys:
            continue
        name = f"{by_key[base]}#{int(n)}"
        item_keys.add(key)
        if name in item_rows:
            problems.append((MANIFEST_NAME, "bad_manifest_row", f"Two rows name article {int(n)} of {by_key[base]} "
                             f"({key!r} and an earlier one); the first is used.", True))
            continue
        item_rows[name] = row
    if manifest.present and not any(code in ("bad_manifest", "outside_link") for _, code, _, _ in manifest.problems):
        skipped_keys = {clean_relpath(rel) for rel, *_ in skipped}
        for rel in sorted(set(manifest.rows) - set(by_key) - skipped_keys - item_keys):
            reason = "is not an article file type" if rel in other_keys else "does not exist in the folder"
            problems.append((rel, "missing_file", f"The manifest ({MANIFEST_NAME}) lists this file but it {reason}.", False))
    metas = [dict(manifest.rows.get(clean_relpath(rel), {})) for rel in files]
    return Plan(folder, manifest, files, metas, problems, options or ReadOptions(), item_rows)


def select_articles(plan: Plan, results) -> tuple[list[tuple[LoadedArticle, dict]], list[str], list[tuple]]:
    """Decide which loaded articles enter the corpus, in file order.

    ``results`` are the ``load_file`` results for ``plan.files``, one list of
    articles per file (only ``file``, ``error``, ``sha256``, ``notes``,
    ``language`` and ``found_meta`` are read). Returns the kept
    ``(article, manifest row)`` pairs, their article ids, and every problem
    so far (the plan's, then per article: unreadable, duplicate, repairs
    made, no manifest row, not English; then manifest rows naming an article
    a file does not hold).
    """
    problems = list(plan.problems)
    kept: list[tuple[LoadedArticle, dict[str, str]]] = []
    manifest = plan.manifest
    flat = []  # (article, its manifest row, whether the manifest has a row for it or its file)
    for rel, meta, arts in zip(plan.files, plan.metas, results):
        listed = clean_relpath(rel) in manifest.rows
        for art in arts:
            own = plan.item_rows.get(art.file if art.source_file else f"{art.file}#1")
            flat.append((art, _overlay(meta, own), listed or own is not None))
    # Of several articles with the same text, the first with a manifest row is kept (else the first). The same
    # text under another named outlet is a syndicated copy (wire stories in an export): kept too, and said.
    def outlet(art, meta):
        return meta.get("outlet") or art.found_meta.get("outlet") or ""

    copies: dict[str, dict[str, str]] = {}  # text -> {outlet: the file kept for it}, the first kept first
    for art, meta, has_row in sorted(flat, key=lambda t: not t[2]):
        if art.error is None:
            kept_for = copies.setdefault(art.sha256, {})
            o = outlet(art, meta)
            if not kept_for or (o and o not in kept_for and "" not in kept_for):
                kept_for[o] = art.file
    for art, meta, has_row in flat:
        rel = art.file
        if art.error is not None:
            problems.append((rel, art.error.code, art.error.message, False))
            continue
        kept_for = copies[art.sha256]
        first = next(iter(kept_for.values()))
        if rel not in kept_for.values():
            same = kept_for.get(outlet(art, meta), first)
            problems.append((rel, "duplicate", f"Same text as {same}; not analysed twice.", False))
            continue
        if rel != first:
            problems.append((rel, "syndicated", f"Same text as {first}, under another outlet (a wire or syndicated "
                             "copy); analysed under its own outlet.", True))
        problems.extend((rel, code, message, True) for code, message in art.notes)
        if manifest.present and not has_row and not art.found_meta.get("outlet"):
            problems.append((rel, "no_metadata", f"No row in {MANIFEST_NAME}; loaded with outlet '{UNKNOWN_OUTLET}'.", True))
        if art.language != "en":
            name = "could not be identified" if art.language == "unknown" else f"looks like '{art.language}'"
            problems.append((rel, "not_english", f"The language {name}, not English; it is loaded but left out of "
                             "English-only scores.", True))
        kept.append((art, meta))
    held = Counter(art.source_file or art.file for art, _, _ in flat)
    named = {art.file if art.source_file else f"{art.file}#1" for art, _, _ in flat}
    unreadable = {art.file for art, _, _ in flat if art.error is not None and art.source_file is None}
    for name in sorted(set(plan.item_rows) - named):
        base, _, n = name.rpartition("#")
        holds = "could not be read" if base in unreadable else f"holds {held[base]} article(s)"
        problems.append((name, "missing_file", f"The manifest ({MANIFEST_NAME}) lists article {n} of {base}, which "
                         f"{holds}.", False))
    if not manifest.present and kept:
        anonymous = sum(not art.found_meta.get("outlet") for art, _ in kept)
        if anonymous == len(kept) and not manifest.is_table:
            problems.append((MANIFEST_NAME, "no_manifest", f"No {MANIFEST_NAME} in the folder; every file loads with "
                             f"outlet '{UNKNOWN_OUTLET}' and no date.", True))
        elif anonymous:
            problems.append((MANIFEST_NAME, "no_outlet", f"{anonymous} of {len(kept)} articles name no outlet "
                             f"(no row in a {MANIFEST_NAME} with a file column, none in the file itself); they load "
                             f"with outlet '{UNKNOWN_OUTLET}'.", True))
    return kept, _article_ids([art.file for art, _ in kept]), problems


def assemble(folder: Path, kept, ids: list[str], manifest_columns: list[str], problems: list) -> Corpus:
    """The ``Corpus`` of the kept articles (see ``select_articles``); bad dates are added to ``problems``."""
    articles = _articles_frame(kept, ids, manifest_columns, problems)
    paragraphs, sentences = _text_frames(kept, articles)
    articles, paragraphs, sentences = mark_repeated(articles, paragraphs, sentences)
    return Corpus(folder, articles, paragraphs, sentences, pd.DataFrame(problems, columns=PROBLEM_COLUMNS))


def load_corpus(source, jobs: int = 1, *, text: str | None = None, title: str | None = None,
                outlet: str | None = None, date: str | None = None, author: str | None = None,
                url: str | None = None) -> Corpus:
    """Load every article under a folder, or every row of a DataFrame, into a ``Corpus``.

    ``source`` is a folder (text, Markdown, HTML, news-database exports,
    PDFs and tables, mixed as you like; see the README's table of formats)
    or a pandas DataFrame with one article per row. ``text``, ``title``,
    ``outlet``, ``date``, ``author``, ``url`` name the columns of a table
    (or of the DataFrame) that hold each field, where their common names
    would not find them (``body``, ``headline``, ``source``...); every other
    column is kept as an article column, usable by ``--group-by``.

    ``jobs`` > 1 reads and splits the files in that many worker processes;
    the result is the same as with one. (``analysis.analyze`` loads through
    its cache: a file whose bytes, name and manifest row are unchanged since
    an earlier run is not read again.)

    Raises ``CorpusError`` only when ``folder`` does not exist or is not a
    folder, and ``ValueError`` when a named column is not in the DataFrame.
    Everything else (unreadable, empty, binary or duplicate files, manifest
    rows without files, files without manifest rows, bad dates, non-English
    text, export entries without a body) is loaded where possible and
    reported in ``problems``.

    >>> corpus = load_corpus("seeds")  # doctest: +SKIP
    >>> corpus.articles[["outlet", "n_words"]]  # doctest: +SKIP
    >>> load_corpus(frame, text="body", outlet="source")  # doctest: +SKIP
    """
    options = ReadOptions(text_column=text, title_column=title, outlet_column=outlet, date_column=date,
                          author_column=author, url_column=url)
    if isinstance(source, pd.DataFrame):
        return _load_frame(source, options)
    return load_plan(plan_corpus(source, options=options), jobs)


def _load_frame(frame: pd.DataFrame, options: ReadOptions) -> Corpus:
    """The ``Corpus`` of a DataFrame's rows, read as a table file's rows are (named ``dataframe#N``)."""
    from analysis.load.readers.tables import table_items

    try:
        items = table_items(frame, "dataframe", options)
    except Unreadable as err:
        raise ValueError(err.message) from None
    arts = articles_from_items(items, "dataframe", {})
    plan = Plan(Path("."), Manifest(present=False, rows={}, columns=[], problems=[]), ["dataframe"], [{}], [],
                options)
    kept, ids, problems = select_articles(plan, [arts])
    return assemble(plan.folder, kept, ids, [], problems)


def load_texts(records, text: str = "text", file: str = "file") -> Corpus:
    """A ``Corpus`` of articles given as text: one mapping per article (a DataFrame's rows as dicts, JSON lines).

    Each record has the article's ``text`` and a name (``file``, unique) and
    may carry any of the manifest's columns (``outlet``, ``date``, ``title``,
    ``author``, ...); every other key becomes an extra article column.
    The articles are cleaned and split exactly as files are, so the tables
    are those ``load_corpus`` gives for the same texts saved as files with a
    manifest. Empty texts are reported in ``problems`` (``empty``).
    """
    records = [dict(r) for r in records]
    names = [str(r[file]) for r in records]
    if len(set(names)) != len(names):
        raise ValueError(f"the {file!r} of each record must be unique")
    extra = [k for r in records for k in r if k not in (text, file)]
    columns = list(dict.fromkeys(extra))
    metas = [{k: ("" if v is None else str(v)) for k, v in r.items() if k not in (text, file)} for r in records]
    manifest = Manifest(present=True, rows={clean_relpath(n): m for n, m in zip(names, metas)}, columns=columns,
                        problems=[])
    results = []
    for name, r, meta in zip(names, records, metas):
        body = r.get(text)
        if not isinstance(body, str) or not body.strip():
            results.append([_failed(name, Unreadable("empty", "The text is empty."))])
        else:
            results.append([article_from_text(body, name, meta)])
    plan = Plan(Path("."), manifest, names, metas, [])
    kept, ids, problems = select_articles(plan, results)
    return assemble(plan.folder, kept, ids, columns, problems)


def load_plan(plan: Plan, jobs: int = 1, results: list[list[LoadedArticle] | None] | None = None) -> Corpus:
    """``load_corpus`` of a planned folder.

    ``results``: the ``load_file`` result of each planned file where one
    is already at hand (a cache's), None where the file must be read.
    """
    kept, ids, problems = select_articles(plan, load_files(plan, jobs, results))
    return assemble(plan.folder, kept, ids, plan.manifest.columns, problems)


def load_files(plan: Plan, jobs: int = 1,
               results: list[list[LoadedArticle] | None] | None = None) -> list[list[LoadedArticle]]:
    """``load_file`` for every planned file that has no result in ``results`` yet (in ``jobs`` processes)."""
    tasks = plan.tasks()
    results = list(results) if results is not None else [None] * len(tasks)
    todo = [i for i, r in enumerate(results) if r is None]
    for i, arts in zip(todo, parallel_map(load_file, [tasks[i] for i in todo], jobs)):
        results[i] = arts
    return results


def _stem(name: str) -> str:
    """An article's name without its file's extension: ``a/b.txt`` → ``a/b``, ``x.docx#3`` → ``x#3``."""
    base, sep, n = name.rpartition("#")
    if sep and n.isdigit():
        return str(Path(base).with_suffix("")) + sep + n
    return str(Path(name).with_suffix(""))


def _article_ids(files: list[str]) -> list[str]:
    """The article's name without its file's extension, or the full name when two would clash."""
    stems = [_stem(f) for f in files]
    clash = {s for s, n in Counter(stems).items() if n > 1}
    return [f if s in clash else s for f, s in zip(files, stems)]


def _found_columns(loaded, manifest_columns: list[str]) -> dict[str, str]:
    """Fields the readers found beyond the known ones (an export's ``doc_id``, a table's other columns): their
    article column names, a name the corpus tables use taking ``META_PREFIX`` (as a manifest's column does)."""
    taken = set(manifest_columns) | set(KNOWN_COLUMNS)
    out: dict[str, str] = {}
    for art, _ in loaded:
        for key in art.found_meta:
            if key not in taken and key not in out:
                out[key] = META_PREFIX + key if key in RESERVED_COLUMNS else key
    return out


def _articles_frame(loaded, ids: list[str], manifest_columns: list[str], problems: list) -> pd.DataFrame:
    found_columns = _found_columns(loaded, manifest_columns)
    extra = [c for c in manifest_columns if c not in KNOWN_COLUMNS] + list(found_columns.values())
    parsed: dict[str, pd.Timestamp] = {}  # each distinct date string is parsed once (many articles share a day)
    rows = []
    for article_id, (art, meta) in zip(ids, loaded):
        meta = {**art.found_meta, **{k: v for k, v in meta.items() if v}}  # the manifest wins over the file
        body = [p for p in art.paragraphs if p["kind"] == "body"]
        for key, column in found_columns.items():
            if column != key and key in meta:
                meta[column] = meta.pop(key)
        row = {
            "article_id": article_id,
            "file": art.file,
            "source_file": art.source_file or art.file,
            "item": art.item,
            **{c: meta.get(c) or None for c in KNOWN_COLUMNS},
            "language": art.language,
            "n_paragraphs": len(art.paragraphs),
            "n_body_paragraphs": len(body),
            "n_sentences": len(art.sentences),
            "n_words": sum(p["n_words"] for p in body),
            "n_chars": len(art.text),
            "n_repeated": 0,  # set by mark_repeated, which reads the whole corpus
            "sha256": art.sha256,
            "encoding": art.encoding,
            "format": art.format,
        }
        row["outlet"] = row["outlet"] or UNKNOWN_OUTLET
        row.update({c: meta.get(c) or None for c in extra})
        raw_date = row["date"]
        if raw_date and raw_date not in parsed:
            parsed[raw_date] = parse_date(raw_date)
        row["date"], row["date_precision"] = parsed[raw_date] if raw_date else (pd.NaT, None)
        row["date_text"] = raw_date
        if raw_date and row["date_precision"] is None:
            problems.append((art.file, "bad_date", f"Date {raw_date!r} is not a date the loader knows (YYYY-MM-DD, "
                             "an ISO date and time, or '3 March 2018'); the article is loaded without a date.", True))
        elif row["date_precision"] in ("month", "year"):
            problems.append((art.file, "partial_date", f"Date {raw_date!r} gives only the {row['date_precision']}; "
                             "'date' is left empty (no day is invented) and 'date_text' keeps it.", True))
        rows.append(row)
    frame = pd.DataFrame(rows, columns=ARTICLE_COLUMNS + extra)
    # Text columns are strings even when every value is missing, so that tables
    # built per article (the Dask engine) have the same types as a whole corpus.
    for col in ["article_id", "file", "source_file", *KNOWN_COLUMNS, "date_precision", "date_text", "language", "sha256",
                "encoding", "format", *extra]:
        if col != "date":
            frame[col] = frame[col].astype("str")
    frame["date"] = pd.to_datetime(frame["date"])
    for col in ("item", "n_paragraphs", "n_body_paragraphs", "n_sentences", "n_words", "n_chars", "n_repeated"):
        frame[col] = frame[col].astype("int64")
    return frame


def _text_frames(loaded, articles: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    # Built column by column: a third of the time of a frame from one dict per row.
    para_cols = {c: [] for c in PARAGRAPH_COLUMNS}
    sent_cols = {c: [] for c in SENTENCE_COLUMNS[:7]}
    for article_id, (art, _) in zip(articles["article_id"], loaded):
        for rows, cols in ((art.paragraphs, para_cols), (art.sentences, sent_cols)):
            cols["article_id"].extend([article_id] * len(rows))
            for col, values in cols.items():
                if col != "article_id":
                    values.extend([row[col] for row in rows])
    # With no rows, the dtypes of an empty frame of records (object), not those pandas infers for empty lists.
    paragraphs = pd.DataFrame(para_cols if para_cols["article_id"] else [], columns=PARAGRAPH_COLUMNS)
    sentences = pd.DataFrame(sent_cols if sent_cols["article_id"] else [], columns=SENTENCE_COLUMNS[:7])
    meta = articles[["article_id"] + PARAGRAPH_META + [c for c in articles.columns if c not in ARTICLE_COLUMNS]]
    paragraphs = paragraphs.merge(meta, on="article_id", how="left", validate="many_to_one")
    sentences = sentences.merge(
        articles[["article_id", "file", "outlet", "date", "language"]], on="article_id", how="left", validate="many_to_one"
    )
    for frame, ints in ((paragraphs, ("paragraph", "n_words", "n_sentences", "start", "end")),
                        (sentences, ("paragraph", "sentence", "start", "end", "n_words"))):
        for col in ints:
            frame[col] = frame[col].astype("int64")
    paragraphs["position"] = paragraphs["position"].astype(float)
    return paragraphs, sentences[SENTENCE_COLUMNS]
