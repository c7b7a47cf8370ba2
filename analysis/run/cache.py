"""A small on-disk cache for per-article results, keyed by content.

Per-article work (reading and splitting a file, finding mentions, scoring
tone, …) depends only on the article's bytes, its metadata, the method's
version and its inputs (actors table, dictionaries, parameters). ``key(...)``
hashes all of those into one string, so a changed input simply misses the
cache; nothing needs to be invalidated by hand.

Entries are stored in *segments*: one run writes the articles it computed as
one file, ``folder/<stage>/<segment>.seg``, next to ``<segment>.keys`` (the
article keys it holds, one per line). A segment is a data-only file
(``analysis.run.datafile``: JSON, Arrow and NumPy arrays under a SHA-256), never
a pickle: reading the cache runs no code that a file in it names, and an
entry that is corrupt, cut short or foreign is refused, listed in
``Cache.rejected``, deleted and computed again. A rerun reads the small key lists,
then only the segments that hold keys it needs. Per-article tables are
stored concatenated, with a ``_key`` column, so reading 10,000 articles back
is a handful of reads rather than 10,000 small ones; the cache is still
per article: adding one article to a corpus computes and writes one article.
Files are written atomically, so an interrupted run never leaves a half
entry, and a segment that cannot be read counts as missing. When a stage
has more than ``MAX_SEGMENTS`` segments they are merged into one.

Whole results (``put_frames``) are folders of Arrow files, one per table,
``folder/<stage>/<key>/``, with the SHA-256 of each, of which a stage keeps
the newest few.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pandas as pd
import pyarrow as pa
from pyarrow import ArrowException

from analysis.config import CACHE_TAG, CACHE_TAG_NAME
from analysis.hashing import file_hash, key
from analysis.outputs import write_bytes
from analysis.run import datafile

__all__ = ["Cache", "key", "file_hash", "default_cache_dir", "open_cache", "KEY_COLUMN", "MAX_SEGMENTS", "CACHE_ENV"]

CACHE_ENV = "ANALYSIS_CACHE_DIR"
KEY_COLUMN = "_key"
MAX_SEGMENTS = 16
SEGMENT_SUFFIX = ".seg"


def default_cache_dir() -> Path:
    """$ANALYSIS_CACHE_DIR, else $XDG_CACHE_HOME/newsframes-analysis, else ~/.cache/newsframes-analysis."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "newsframes-analysis"


def open_cache(cache) -> "Cache | None":
    """A ``Cache`` from True (the default folder), a folder, a ``Cache`` (as is), or False/None (no cache)."""
    if cache is None or cache is False:
        return None
    if isinstance(cache, Cache):
        return cache
    return Cache(default_cache_dir() if cache is True else cache)


class Cache:
    """Per-article values by stage and key; ``hits`` and ``misses`` count the keys looked up.

    Two kinds of value: objects (``get_many``/``put_many``, e.g. a loaded
    file) and tables (``get_tables``/``put_tables``: a dict of DataFrames
    whose rows carry the article's key in ``_key``).
    """

    def __init__(self, folder):
        self.folder = Path(folder)
        self.hits = 0
        self.misses = 0
        # (path, reason) of every entry refused on reading (corrupt, cut short, foreign); each was
        # deleted and its articles computed again.
        self.rejected: list[tuple[str, str]] = []

    # ----------------------------------------------------------------- objects

    def get_many(self, stage: str, keys: list[str]) -> dict:
        """``{key: value}`` for the ``keys`` that are stored."""
        found: dict = {}
        for payload, wanted in self._segments(stage, set(keys)):
            found.update((k, payload[k]) for k in wanted if k in payload)
        self._count(len(keys), len(found))
        return found

    def put_many(self, stage: str, values: dict, keep: int | None = None) -> None:
        """Store ``{key: value}`` as one segment.

        ``keep``: for a stage of large values that are rarely reused (whole-corpus
        tables), keep only the newest ``keep`` segments instead of merging them.
        """
        if values:
            self._write(stage, list(values), dict(values), keep)

    # ----------------------------------------------------------------- tables

    def get_tables(self, stage: str, keys: list[str]) -> tuple[dict[str, pd.DataFrame], set[str]]:
        """The stored rows of each table whose ``_key`` is in ``keys`` (the column kept), and the keys found."""
        parts: dict[str, list[pd.DataFrame]] = {}
        found: set[str] = set()
        for payload, wanted in self._segments(stage, set(keys)):
            for name, table in payload.items():
                rows = table[KEY_COLUMN].isin(wanted)
                parts.setdefault(name, []).append(table[rows] if not rows.all() else table)
            found |= wanted
        self._count(len(keys), len(found))
        tables = {name: _join(p) for name, p in parts.items()}
        return tables, found

    def put_tables(self, stage: str, keys: list[str], tables: dict[str, pd.DataFrame]) -> None:
        """Store the tables of the articles ``keys`` (every row has its article's ``_key``) as one segment."""
        if keys:
            self._write(stage, keys, tables)

    # ----------------------------------------------------------------- snapshots

    def get_frames(self, stage: str, key: str) -> dict[str, pd.DataFrame] | None:
        """The tables stored by ``put_frames`` under ``key``, or None (also for an unreadable entry)."""
        from pyarrow import feather

        folder = self.folder / stage / key
        tables = None
        if folder.is_dir():
            try:
                sums = json.loads((folder / "tables.json").read_text(encoding="utf-8"))
                if not isinstance(sums, dict) or not sums:
                    raise ValueError("no tables listed")
                tables = {}
                for name, digest in sums.items():
                    data = (folder / f"{name}.feather").read_bytes()
                    if hashlib.sha256(data).hexdigest() != digest:
                        raise ValueError(f"checksum mismatch in {name}.feather")
                    tables[name] = feather.read_feather(pa.BufferReader(data))
            except (OSError, ValueError, TypeError, AttributeError, ArrowException) as err:
                self._reject(folder, str(err) or type(err).__name__)
                tables = None
        self._count(1, tables is not None)
        return tables

    def put_frames(self, stage: str, key: str, tables: dict[str, pd.DataFrame], keep: int) -> None:
        """Store ``tables`` under ``key`` as Arrow files (zstd); keep the newest ``keep`` entries of ``stage``.

        Arrow gives back every column's values and types exactly (tested on the
        analysis tables) and reads several times faster than unpickling. A
        table Arrow cannot store (a column of mixed objects) means no entry.
        """
        from pyarrow import feather

        self._tag()
        root = self.folder / stage
        root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=root, prefix=".tmp-"))
        try:
            sums = {}
            for name, table in tables.items():
                feather.write_feather(table, tmp / f"{name}.feather", compression="zstd")
                sums[name] = file_hash(tmp / f"{name}.feather")
            # Written last: an entry is whole once it lists its tables and their checksums.
            (tmp / "tables.json").write_text(json.dumps(sums), encoding="utf-8")
            shutil.rmtree(root / key, ignore_errors=True)  # an entry that could not be read
            os.replace(tmp, root / key)
        except (OSError, ValueError, TypeError, ArrowException):
            shutil.rmtree(tmp, ignore_errors=True)
            return
        entries = [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".tmp-")]
        for old in sorted(entries, key=lambda p: p.stat().st_mtime_ns)[:-keep]:
            shutil.rmtree(old, ignore_errors=True)

    # ----------------------------------------------------------------- segments

    def _count(self, wanted: int, found: int) -> None:
        self.hits += found
        self.misses += wanted - found

    def _segments(self, stage: str, needed: set[str]):
        """``(payload, keys wanted from it)`` for each readable segment holding needed keys, each key once."""
        folder = self.folder / stage
        if not needed or not folder.is_dir():
            return
        for keys_file in sorted(folder.glob("*.keys")):
            try:
                held = set(keys_file.read_text(encoding="ascii").split())
            except (OSError, ValueError):
                continue
            wanted = held & needed
            if not wanted:
                continue
            payload = self._read_segment(keys_file)
            if payload is None:
                continue
            needed -= wanted
            yield payload, wanted
            if not needed:
                return

    def _tag(self) -> None:
        """Mark the folder as a cache (CACHEDIR.TAG), once."""
        tag = self.folder / CACHE_TAG_NAME
        if not tag.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            write_bytes(tag, CACHE_TAG)

    def _read_segment(self, keys_file: Path):
        """The payload of a segment, or None: missing, or refused (then deleted, and listed in ``rejected``)."""
        path = keys_file.with_suffix(SEGMENT_SUFFIX)
        try:
            data = path.read_bytes()
        except FileNotFoundError:  # a key list without data: left by an older version of the cache
            _remove_segment(keys_file)
            keys_file.with_suffix(".pkl").unlink(missing_ok=True)
            return None
        except OSError:
            return None
        try:
            payload = datafile.loads(data)
            if not isinstance(payload, dict):
                raise datafile.BadFile("not a segment")
            return payload
        except datafile.BadFile as err:
            self._reject(path, str(err))
            _remove_segment(keys_file)
            return None

    def _reject(self, path: Path, reason: str) -> None:
        self.rejected.append((str(path), reason))
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)

    def _write(self, stage: str, keys: list[str], payload, keep: int | None = None) -> None:
        self._tag()
        folder = self.folder / stage
        folder.mkdir(parents=True, exist_ok=True)
        try:
            data = datafile.dumps(payload)
        except (TypeError, ValueError):  # a value the data format cannot hold: no entry, computed next time
            return
        _write_segment(folder, keys, data)
        segments = list(folder.glob("*.keys"))
        if keep is not None:
            for old in sorted(segments, key=lambda p: p.stat().st_mtime_ns)[:-keep]:
                _remove_segment(old)
        elif len(segments) > MAX_SEGMENTS:
            self._merge(stage)

    def _merge(self, stage: str) -> None:
        """Merge every segment of ``stage`` into one (the first copy of a key wins)."""
        folder = self.folder / stage
        olds = sorted(folder.glob("*.keys"))
        keys: list[str] = []
        seen: set[str] = set()
        merged: dict | None = None
        tables: dict[str, list[pd.DataFrame]] = {}
        for keys_file in olds:
            try:
                held = [k for k in keys_file.read_text(encoding="ascii").split() if k not in seen]
            except (OSError, ValueError):
                continue
            payload = self._read_segment(keys_file)
            if payload is None:
                continue
            seen.update(held)
            keys += held
            if payload and all(isinstance(v, pd.DataFrame) and KEY_COLUMN in v for v in payload.values()):
                for name, table in payload.items():
                    tables.setdefault(name, []).append(table[table[KEY_COLUMN].isin(set(held))])
            else:
                merged = merged or {}
                merged.update((k, payload[k]) for k in held if k in payload)
        if tables:
            merged = {name: pd.concat(parts, ignore_index=True) for name, parts in tables.items()}
        if merged is None:
            return
        try:
            data = datafile.dumps(merged)
        except (TypeError, ValueError):
            return
        _write_segment(folder, keys, data)
        for keys_file in olds:
            _remove_segment(keys_file)


def _join(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The parts as one table; empty parts (whose columns have no type yet) do not set the column types."""
    full = [p for p in parts if len(p)] or parts[:1]
    return pd.concat(full, ignore_index=True) if len(full) > 1 else full[0].reset_index(drop=True)


def _write_segment(folder: Path, keys: list[str], data: bytes) -> None:
    """``data`` (a data file) as a new segment: its data first, then its key list (a segment exists once listed)."""
    name = uuid.uuid4().hex
    write_bytes(folder / f"{name}{SEGMENT_SUFFIX}", data)
    write_bytes(folder / f"{name}.keys", "\n".join(keys).encode("ascii"))


def _remove_segment(keys_file: Path) -> None:
    """Delete a segment: its key list first, so it is never listed without its data."""
    for path in (keys_file, keys_file.with_suffix(SEGMENT_SUFFIX)):
        path.unlink(missing_ok=True)
