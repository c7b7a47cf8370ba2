"""Where things are: every default path derives from the package location.

Notebooks call ``resolve_corpus_dir(None)`` and ``resolve_output_dir(None)``
so that their ``parameters`` cell holds no path literals: ``None`` means the
project's ``seeds/`` and ``figures/`` (installed from a wheel: the sample
articles inside the package, and ``figures/`` where the command runs). The environment variable
``ANALYSIS_OUTPUT_DIR`` redirects the default output folder (the test suite
uses it so that running the notebooks never rewrites the committed figures).
"""

from __future__ import annotations

import os
from importlib import metadata
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"  # the dictionaries an analyst may edit: actors, frames, naming, stopwords
MODELS_DATA_DIR = PACKAGE_DIR / "models" / "data"  # the shipped model weights
# In the project's clone (or an editable install of it) the notebooks and the seed articles sit beside the
# package; an installed wheel carries copies inside it, in bundle/ (setup.py's build step puts them there),
# and its "project folder", the default output of analyze and run, is the folder the command runs in.
BUNDLE_DIR = PACKAGE_DIR / "bundle"
IN_CLONE = (PACKAGE_DIR.parent / "pyproject.toml").is_file() and (PACKAGE_DIR.parent / "notebooks").is_dir()
PROJECT_DIR = PACKAGE_DIR.parent if IN_CLONE else Path.cwd()
SEEDS_DIR = PACKAGE_DIR.parent / "seeds" if IN_CLONE else BUNDLE_DIR / "seeds"
NOTEBOOKS_DIR = PACKAGE_DIR.parent / "notebooks" if IN_CLONE else BUNDLE_DIR / "notebooks"
FIGURES_DIR = PROJECT_DIR / "figures"
EVAL_DIR = PACKAGE_DIR.parent / "data" / "newsmtsc"  # NewsMTSC's files, in the clone only

MANIFEST_NAME = "articles.csv"
# What a run writes into its output folder (``analyze`` and ``run``); the loader never reads it
# as articles, and recognises an output folder by its provenance file.
OUTPUT_PARTS = ("tables", "figures", "html", "notebooks", "manifest.json")
PROVENANCE_NAME = "manifest.json"
PACKAGE_NAME = "newsframes-analysis"
try:  # the one place the version is written is pyproject.toml; this reads it from the installed metadata
    VERSION = metadata.version(PACKAGE_NAME)
except metadata.PackageNotFoundError:  # a source tree that was never installed
    VERSION = "0+unknown"
# The cache folder carries a CACHEDIR.TAG (https://bford.info/cachedir/): backup tools skip it,
# and so does the loader when the cache lies inside a corpus folder.
CACHE_TAG_NAME = "CACHEDIR.TAG"
CACHE_TAG = b"Signature: 8a477f597d28d172789f06886806bc55\n# newsframes-analysis cache: safe to delete.\n"
OUTPUT_ENV = "ANALYSIS_OUTPUT_DIR"


def resolve_corpus_dir(corpus_dir: str | os.PathLike | None) -> Path:
    """The corpus folder to analyse: ``corpus_dir``, or the seeds when None."""
    return SEEDS_DIR if corpus_dir in (None, "") else Path(corpus_dir).expanduser().resolve()


def resolve_output_dir(output_dir: str | os.PathLike | None) -> Path:
    """The folder figures are written to: ``output_dir``, else $ANALYSIS_OUTPUT_DIR, else figures/."""
    if output_dir not in (None, ""):
        return Path(output_dir).expanduser().resolve()
    env = os.environ.get(OUTPUT_ENV)
    return Path(env).expanduser().resolve() if env else FIGURES_DIR
