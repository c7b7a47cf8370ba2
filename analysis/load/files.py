"""Finding the article files of a folder, and everything in it that is not read, with the reason.

Links are never followed out of the folder the user named; FIFOs, sockets
and devices are never opened; the output of a run and a cache folder inside
the corpus are recognised and skipped.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from analysis.config import (
    CACHE_TAG,
    CACHE_TAG_NAME,
    MANIFEST_NAME,
    OUTPUT_PARTS,
    PACKAGE_NAME,
    PROVENANCE_NAME,
)
from analysis.load.schema import READ_SUFFIXES

__all__ = ["find_files", "inside_folder", "is_cache", "is_run_output", "link_target"]


def find_files(folder: Path, exclude=()) -> tuple[list[str], list[str], list[tuple[str, str, str, bool]]]:
    """Article files, other files, and entries that are not read, under ``folder``.

    Returns sorted relative posix paths of the article files and of the other
    files, and one problem for each entry that is not read: a link to
    something outside the folder, a broken link, a linked folder (links are
    never followed out of the folder the user named), a FIFO, socket or
    device, each ``exclude`` folder (the run's own output or cache folder
    inside the corpus), the output of any earlier run (a folder holding the
    package's provenance ``manifest.json``; when the corpus folder itself is
    one, the parts a run writes there) and any cache folder (one holding a
    CACHEDIR.TAG). Hidden files and folders
    (``.git``, ``.ipynb_checkpoints``) are skipped, and so is the manifest
    itself.
    """
    excluded = {Path(e).resolve() for e in exclude}
    output_root = is_run_output(folder)
    if output_root:
        excluded |= {(folder / part).resolve() for part in OUTPUT_PARTS if part != PROVENANCE_NAME}
    articles, others, skipped = [], [], []
    for root, dirs, names in os.walk(folder, followlinks=False):
        base = Path(root)
        keep_dirs = []
        for d in sorted(dirs):
            path = base / d
            rel = path.relative_to(folder).as_posix()
            if d.startswith("."):
                continue
            if path.is_symlink():
                skipped.append((rel, "linked_folder", f"A link to the folder {link_target(path)}; links to "
                                "folders are not followed. Copy the files in instead.", False))
            elif _page_assets(path):
                skipped.append((rel, "page_assets", f"The images and scripts a browser saved with "
                                f"{_page_assets(path)}; not read as articles.", False))
            elif path.resolve() in excluded or is_run_output(path) or is_cache(path):
                skipped.append((rel, "output_folder", "This is the output or cache folder of a run, inside the "
                                "corpus folder; its files are not read as articles.", False))
            else:
                keep_dirs.append(d)
        dirs[:] = keep_dirs
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = base / name
            rel = path.relative_to(folder).as_posix()
            if rel == MANIFEST_NAME or (rel == PROVENANCE_NAME and (output_root or path.resolve() in excluded)):
                continue  # the corpus's own manifest, and a run's provenance file beside it
            problem = _not_a_plain_file(path, folder)
            if path.resolve() in excluded:
                skipped.append((rel, "output_file", "Written by a run (its output folder is the corpus folder); "
                                "not read as an article.", False))
            elif problem:
                skipped.append((rel, *problem, False))
            else:
                (articles if path.suffix.lower() in READ_SUFFIXES else others).append(rel)
    return sorted(articles), sorted(others), sorted(skipped)


def _page_assets(folder: Path) -> str | None:
    """The page whose assets ``folder`` holds ("Webpage, complete" saves ``page.html`` and ``page_files/``), or None."""
    if not folder.name.endswith("_files"):
        return None
    stem = folder.name[: -len("_files")]
    page = next((stem + s for s in (".html", ".htm", ".HTML", ".HTM") if (folder.parent / (stem + s)).is_file()), None)
    if page is None:
        return None
    # Articles put there by the analyst (anything but web-page parts) make it an article folder after all.
    for _root, _dirs, names in os.walk(folder):
        if any(Path(n).suffix.lower() in READ_SUFFIXES and Path(n).suffix.lower() not in (".html", ".htm")
               for n in names):
            return None
    return page


def is_cache(folder: Path) -> bool:
    """Whether ``folder`` is a cache folder (it carries a CACHEDIR.TAG)."""
    try:
        with open(folder / CACHE_TAG_NAME, "rb") as fh:
            return fh.read(len(CACHE_TAG.split(b"\n")[0])) == CACHE_TAG.split(b"\n")[0]
    except OSError:
        return False


def is_run_output(folder: Path) -> bool:
    """Whether ``folder`` holds the output of a run: the package's own provenance file."""
    path = folder / PROVENANCE_NAME
    try:
        if not path.is_file() or path.is_symlink() or path.stat().st_size > 50_000_000:
            return False
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(record, dict) and isinstance(record.get("package"), dict) and \
        record["package"].get("name") == PACKAGE_NAME


def _not_a_plain_file(path: Path, folder: Path) -> tuple[str, str] | None:
    """``(code, message)`` for an entry that is not read as a file, None for a regular file inside ``folder``."""
    if path.is_symlink():
        if not path.exists():
            return "broken_link", f"A link to {link_target(path)}, which does not exist."
        if not inside_folder(path, folder):
            return "outside_link", (f"A link to {link_target(path)}, outside the corpus folder; it is not read. "
                                    "Copy the file in instead.")
    try:
        mode = path.stat().st_mode
    except OSError as err:
        return "unreadable", f"Cannot read the file: {err.strerror}."
    if stat.S_ISDIR(mode):
        return "linked_folder", f"A link to the folder {link_target(path)}; links to folders are not followed."
    if not stat.S_ISREG(mode):
        what = "a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
        return "not_a_file", f"This is {what}, not a file; it is not read."
    return None


def inside_folder(path: Path, folder: Path) -> bool:
    """Whether ``path``, its links followed, lies inside ``folder``."""
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except (ValueError, OSError, RuntimeError):
        return False


def link_target(path: Path) -> str:
    try:
        return repr(os.readlink(path))
    except OSError:
        return "an unknown place"
