"""A small on-disk cache for per-article results, keyed by content.

Per-article work (reading and splitting a file, finding mentions, scoring
tone, …) depends only on the article's bytes, its metadata, the method's
version and its inputs (registry, dictionaries, parameters). ``key(...)``
hashes all of those into one string, so a changed input simply misses the
cache; nothing needs to be invalidated by hand. Entries are pickles under
``folder/<stage>/<ab>/<key>.pkl``, written atomically so an interrupted run
never leaves a half-written entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from pathlib import Path

__all__ = ["Cache", "key", "file_hash"]


def key(*parts) -> str:
    """A stable hex key for JSON-serialisable ``parts`` (dicts are sorted)."""
    blob = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def file_hash(path) -> str:
    """sha256 of a file's bytes, read in 1 MB blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class Cache:
    """Pickled values by stage and key; ``hits`` and ``misses`` count lookups."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.hits = 0
        self.misses = 0

    def _path(self, stage: str, k: str) -> Path:
        return self.folder / stage / k[:2] / f"{k}.pkl"

    def get(self, stage: str, k: str):
        """The stored value, or None (a miss)."""
        path = self._path(stage, k)
        try:
            with open(path, "rb") as fh:
                value = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, stage: str, k: str, value) -> None:
        path = self._path(stage, k)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
