"""Data-only files for the cache: JSON, Arrow and NumPy arrays, with a checksum, and nothing that runs code.

``dump(value, fh)`` writes a value built of ``None``, booleans, numbers,
strings, lists, tuples, dicts, sets, pandas DataFrames and Indexes, NumPy
arrays, SciPy CSR matrices and the few record types named in ``RECORDS``;
``load(fh)`` reads it back equal, column types and index included. Unlike
pickle, reading a file never imports or calls anything that the file names:
a record type is rebuilt only when its name is in ``RECORDS``, DataFrames
come from Arrow IPC and arrays from ``.npy`` without pickles. The body is
covered by a SHA-256 written in the header, so a flipped bit, a truncated
file or a file planted by someone else is refused (``BadFile``) rather than
half read.

Layout: ``MAGIC``, the hex digest of the body and a newline, then the body:
the length of a JSON tree (8 bytes, little-endian), the tree, and the binary
blobs the tree points to (offset, length).
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import io
import json
import struct

import numpy as np
import pandas as pd

__all__ = ["dump", "dumps", "load", "loads", "BadFile", "RECORDS", "MAGIC"]

MAGIC = b"newsframes-data-1\n"
# The only classes a file may name. Each is rebuilt from its fields (dataclasses) or
# its arguments (exceptions); nothing else is ever imported on reading.
RECORDS = frozenset({
    "analysis.load.corpus.LoadedArticle",
    "analysis.load.reading.Unreadable",
    "analysis.count.terms._Counts",
    "analysis.count.naming.NamingCounts",
})


class BadFile(Exception):
    """A file that is not a whole, untouched data file of this format."""


def dumps(value) -> bytes:
    """``value`` as bytes (see the module docstring); raises ``TypeError`` for a value it cannot hold."""
    blobs: list[bytes] = []
    tree = _encode(value, blobs)
    offsets, pos = [], 0
    for blob in blobs:
        offsets.append([pos, len(blob)])
        pos += len(blob)
    head = json.dumps({"tree": tree, "blobs": offsets}, ensure_ascii=False).encode("utf-8")
    body = b"".join([struct.pack("<Q", len(head)), head, *blobs])
    return MAGIC + hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body


def dump(value, fh) -> None:
    """Write ``dumps(value)`` to the binary file ``fh``."""
    fh.write(dumps(value))


def loads(data: bytes):
    """The value ``dumps`` wrote; raises ``BadFile`` for anything else (corrupt, truncated, foreign)."""
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 65 + 8:
        raise BadFile("not a data file of this format")
    digest, body = data[len(MAGIC):len(MAGIC) + 64], data[len(MAGIC) + 65:]
    if hashlib.sha256(body).hexdigest().encode("ascii") != digest:
        raise BadFile("checksum mismatch: the file was changed or cut short")
    try:
        (n,) = struct.unpack("<Q", body[:8])
        head = json.loads(body[8:8 + n].decode("utf-8"))
        start = 8 + n
        blobs = [body[start + a:start + a + b] for a, b in head["blobs"]]
        return _decode(head["tree"], blobs)
    except BadFile:
        raise
    except Exception as err:  # noqa: BLE001 - any malformed content is a bad file, never a crash
        raise BadFile(f"malformed content ({type(err).__name__}: {err})") from None


def load(fh):
    """``loads`` of the whole binary file ``fh``."""
    return loads(fh.read())


# --------------------------------------------------------------------------- encoding


def _encode(value, blobs: list[bytes]):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, (np.integer, np.floating)):
        return {"$f": repr(value)} if isinstance(value, float) and not np.isfinite(value) else value
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return {"$np": _blob(blobs, _npy(np.asarray(value)))}
    if isinstance(value, list):
        if all(_plain(v) for v in value):  # the common case, stored as JSON as it is
            return {"$plain": value}
        records = _records(value)
        if records is not None:
            return {"$records": records}
        return {"$list": [_encode(v, blobs) for v in value]}
    if isinstance(value, tuple):
        return {"$tuple": [_encode(v, blobs) for v in value]}
    if isinstance(value, (set, frozenset)):
        kind = "$frozenset" if isinstance(value, frozenset) else "$set"
        return {kind: [_encode(v, blobs) for v in sorted(value, key=repr)]}
    if isinstance(value, dict):
        return {"$dict": [[_encode(k, blobs), _encode(v, blobs)] for k, v in value.items()]}
    if isinstance(value, pd.DataFrame):
        return {"$frame": _blob(blobs, _arrow(value))}
    if isinstance(value, pd.Index):
        return {"$index": _blob(blobs, _arrow(pd.DataFrame(index=value)))}
    if isinstance(value, np.ndarray):
        if value.dtype == object:  # text (the terms of a count matrix): as JSON, else not storable
            if value.ndim != 1 or not all(v is None or isinstance(v, str) for v in value.tolist()):
                raise TypeError("a data file holds object arrays of text only")
            return {"$texts": value.tolist()}
        return {"$array": _blob(blobs, _npy(value))}
    if type(value).__name__ == "csr_matrix" or type(value).__name__ == "csr_array":
        return {"$csr": [_encode(value.data, blobs), _encode(value.indices, blobs), _encode(value.indptr, blobs),
                         list(value.shape)]}
    name = f"{type(value).__module__}.{type(value).__qualname__}"
    if name in RECORDS:
        if dataclasses.is_dataclass(value):
            fields = {f.name: _encode(getattr(value, f.name), blobs) for f in dataclasses.fields(value)}
            return {"$record": name, "fields": fields}
        if isinstance(value, BaseException):
            return {"$record": name, "args": [_encode(a, blobs) for a in value.args]}
    raise TypeError(f"a data file cannot hold a {name}")


def _plain(value) -> bool:
    """A value JSON holds as it is (NaN and infinities included: they are written as JSON's NaN)."""
    return value is None or type(value) in (str, int, float, bool)


def _records(rows: list):
    """``[keys, columns]`` for a list of dicts that share their text keys and hold plain values, else None.

    The paragraphs and sentences of a loaded article: stored by column, they
    read back many times faster than one tagged object per cell.
    """
    if not rows or not all(type(r) is dict for r in rows):
        return None
    keys = list(rows[0])
    if not all(type(k) is str for k in keys) or any(list(r) != keys for r in rows):
        return None
    columns = [[r[k] for r in rows] for k in keys]
    if not all(_plain(v) for column in columns for v in column):
        return None
    return [keys, columns]


def _blob(blobs: list[bytes], data: bytes) -> int:
    blobs.append(data)
    return len(blobs) - 1


def _npy(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=False)  # object arrays raise ValueError: not storable
    return buf.getvalue()


def _arrow(frame: pd.DataFrame) -> bytes:
    import pyarrow as pa

    names = list(frame.columns)
    if len(set(map(str, names))) != len(names) or frame.columns.nlevels > 1:
        raise TypeError("a data file holds DataFrames with distinct, flat column names")
    # pandas' metadata in the schema restores the index (a RangeIndex as such), the column
    # names' types and the column types.
    table = pa.Table.from_pandas(frame, preserve_index=None)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


# --------------------------------------------------------------------------- decoding

def _decode(tree, blobs: list[bytes]):
    if tree is None or isinstance(tree, (bool, str, int, float)):
        return tree
    if isinstance(tree, list):
        raise BadFile("bare list in the tree")
    (kind, body), *rest = tree.items()
    if kind == "$f":
        return float(body)
    if kind == "$np":
        return np.load(io.BytesIO(blobs[body]), allow_pickle=False)[()]
    if kind == "$plain":
        if not all(_plain(v) for v in body):
            raise BadFile("a plain list holds a non-plain value")
        return body
    if kind == "$records":
        keys, columns = body
        return [dict(zip(keys, row)) for row in zip(*columns)]
    if kind == "$list":
        return [_decode(v, blobs) for v in body]
    if kind == "$tuple":
        return tuple(_decode(v, blobs) for v in body)
    if kind in ("$set", "$frozenset"):
        items = [_decode(v, blobs) for v in body]
        return frozenset(items) if kind == "$frozenset" else set(items)
    if kind == "$dict":
        return {_decode(k, blobs): _decode(v, blobs) for k, v in body}
    if kind == "$frame":
        return _frame(blobs[body])
    if kind == "$index":
        return _frame(blobs[body]).index
    if kind == "$texts":
        out = np.empty(len(body), dtype=object)
        out[:] = body
        return out
    if kind == "$array":
        return np.load(io.BytesIO(blobs[body]), allow_pickle=False)
    if kind == "$csr":
        from scipy import sparse

        data, indices, indptr = (_decode(v, blobs) for v in body[:3])
        return sparse.csr_matrix((data, indices, indptr), shape=tuple(body[3]))
    if kind == "$record":
        return _record(body, dict(rest), blobs)
    raise BadFile(f"unknown entry {kind!r}")


def _frame(data: bytes) -> pd.DataFrame:
    import pyarrow as pa

    return pa.ipc.open_stream(data).read_all().to_pandas()


def _record(name: str, parts: dict, blobs: list[bytes]):
    if name not in RECORDS:
        raise BadFile(f"the file names a type that is not allowed: {name}")
    module, _, qualname = name.rpartition(".")
    cls = getattr(importlib.import_module(module), qualname)
    if "fields" in parts:
        return cls(**{k: _decode(v, blobs) for k, v in parts["fields"].items()})
    return cls(*(_decode(a, blobs) for a in parts["args"]))
