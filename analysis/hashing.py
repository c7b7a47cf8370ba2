"""Content hashes: the keys every cache entry, snapshot and provenance record is built from.

Ground level (like ``config``): pure functions any stage may use, importing none of them.
"""

from __future__ import annotations

import hashlib
import json

__all__ = ["file_hash", "key"]


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
