"""manifest.json: what an output folder was made from.

Every output folder gets one, so that a figure in a briefing can be traced
to the exact articles, package and dependency versions, dictionaries and
parameters that produced it.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
from importlib import metadata
from pathlib import Path

from analysis.config import DATA_DIR, MODELS_DATA_DIR, PACKAGE_NAME
from analysis.config import VERSION as __version__
from analysis.outputs import write_text
from analysis.run.cache import file_hash

__all__ = ["build_manifest", "write_manifest", "DEPENDENCIES"]

DEPENDENCIES = (
    "pandas", "numpy", "pyarrow", "textblob", "vaderSentiment", "nupunkt", "scikit-learn",
    "scipy", "matplotlib", "wordcloud", "papermill", "nbconvert", "ipykernel",
)


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def build_manifest(corpus, parameters: dict | None = None, data_files=None) -> dict:
    """A JSON-ready record of a run on ``corpus``.

    Keys: ``created`` (UTC, ISO 8601), ``package`` and ``python`` versions,
    ``dependencies`` (name → version), ``corpus`` (folder, and each loaded
    file with its sha256 and outlet), ``problems`` (count per code),
    ``data_files`` (each shipped or user-supplied dictionary with its sha256:
    the actors table, frame dictionary, stopwords, the tone model) and
    ``parameters``.
    """
    files = data_files if data_files is not None else \
        sorted(p for folder in (DATA_DIR, MODELS_DATA_DIR) for p in folder.glob("*") if p.is_file())
    return {
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "package": {"name": PACKAGE_NAME, "version": __version__},
        "python": platform.python_version(),
        "dependencies": {name: _version(name) for name in DEPENDENCIES},
        "corpus": {
            "folder": str(corpus.folder),
            "articles": [
                {"file": f, "sha256": h, "outlet": o}
                for f, h, o in zip(corpus.articles["file"], corpus.articles["sha256"], corpus.articles["outlet"])
            ],
            "problems": corpus.problems["problem"].value_counts().sort_index().to_dict(),
        },
        "data_files": {Path(p).name: file_hash(p) for p in files},
        "parameters": parameters or {},
    }


def write_manifest(out_dir, corpus, parameters: dict | None = None, data_files=None) -> Path:
    """Write ``out_dir/manifest.json``; return its path."""
    path = Path(out_dir) / "manifest.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, json.dumps(build_manifest(corpus, parameters, data_files), indent=2, ensure_ascii=False) + "\n")
    return path
