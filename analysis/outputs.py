"""Writing output files safely: whole or not at all, and no live spreadsheet formulas.

Every file the package writes (tables, figures, the provenance manifest,
notebooks, HTML) goes through ``atomic_path``: it is written to a temporary
file in the same folder and renamed over the target, so a reader never sees
half a file, and a full disk leaves the previous version and no ``.tmp``
file behind. A full disk raises ``DiskFull``, which names the path and the
free space, for a one-line message instead of a traceback.

``neutralize_formulas`` applies the OWASP rule for CSV injection to the text
cells of a table: a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return would open in Excel or LibreOffice as a live formula
(``=HYPERLINK(...)`` from an article's text), so it is prefixed with a
single quote. Only CSV is changed; Parquet and JSON keep the exact text.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

__all__ = ["atomic_path", "write_bytes", "write_text", "neutralize_formulas", "DiskFull", "FORMULA_START"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


class DiskFull(OSError):
    """The disk filled up while writing ``path``; ``free`` bytes are left there, ``needed`` (when known) were asked."""

    def __init__(self, path: Path, free: int | None, needed: int | None = None):
        super().__init__(errno.ENOSPC, "No space left on device", str(path))
        self.path, self.free, self.needed = Path(path), free, needed

    def __str__(self) -> str:
        free = "an unknown amount" if self.free is None else _size(self.free)
        need = f"; this file alone needs up to about {_size(self.needed)}" if self.needed else ""
        return (f"the disk is full: {self.path} could not be written ({free} free on that disk{need}). "
                "Free some space and run the command again; nothing half-written was left behind.")


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.0f} KB"


def free_space(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


@contextmanager
def atomic_path(path, needed: int | None = None):
    """Yield a temporary path beside ``path``; on success it replaces ``path``, on failure it is removed.

    The temporary name keeps the real suffix last (``.name.XXXX.png``), so
    writers that pick a format from the name (matplotlib) pick the right one.
    ``needed``: the size being written when known, for the full-disk message.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=f".tmp{path.suffix}")
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        if err.errno in _FULL and not isinstance(err, DiskFull):
            raise DiskFull(path, free_space(path.parent), needed) from err
        raise
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes(path, data: bytes) -> None:
    """``data`` to ``path``, atomically (see ``atomic_path``)."""
    with atomic_path(path, needed=len(data)) as tmp:
        tmp.write_bytes(data)


def write_text(path, text: str) -> None:
    """``text`` to ``path`` as UTF-8, atomically."""
    write_bytes(path, text.encode("utf-8"))


def neutralize_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with every text cell that a spreadsheet would run as a formula prefixed by ``'``.

    Returns a shallow copy; only the text columns that hold such a cell are
    replaced. Numbers stay numbers (a negative number is no formula).
    """
    out = table.copy(deep=False)
    for col in out.columns:
        values = out[col]
        if not (values.dtype == object or isinstance(values.dtype, pd.StringDtype)):
            continue
        text = values.astype("string")
        risky = text.str.startswith(FORMULA_START).fillna(False).to_numpy(dtype=bool) & \
            values.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
        if risky.any():
            fixed = values.astype(object).copy()
            fixed[risky] = "'" + text[risky].astype(object)
            out[col] = fixed
    return out
