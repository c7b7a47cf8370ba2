"""``newsframes init DIR``: a ready project folder for an analyst who installed the package.

It holds the numbered notebooks (to open in JupyterLab), the sample
articles with their ``articles.csv`` (a corpus to try every command on),
the shipped actors table to edit, and a README of five lines saying what to
type next. Nothing is overwritten: an existing non-empty folder is refused.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from analysis.config import DATA_DIR, NOTEBOOKS_DIR, SEEDS_DIR

__all__ = ["ProjectExists", "README", "init_project"]

README = """# A newsframes project
newsframes check articles                                  # what loads, what does not, and why
newsframes suggest-actors articles --out my_actors.csv     # propose an actors table for your own story
newsframes run articles --out results --actors actors.csv  # tables, figures, notebooks and the briefing (results/html/05_briefing.html)
jupyter lab notebooks/                                     # explore: each notebook starts with the question it answers
"""


class ProjectExists(Exception):
    """The target folder exists and is not empty: an init would mix its files with the analyst's."""


def init_project(folder) -> list[Path]:
    """Write a project folder (see the module docstring); return the files written.

    Raises ``ProjectExists`` when ``folder`` exists and holds anything.
    """
    folder = Path(folder).expanduser()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ProjectExists(f"{folder} exists and is not empty; choose a new folder (init never overwrites)")
    written = []
    for source, target, pattern in ((NOTEBOOKS_DIR, folder / "notebooks", "[0-9][0-9]_*.ipynb"),
                                    (SEEDS_DIR, folder / "articles", "*")):
        target.mkdir(parents=True, exist_ok=True)
        for path in sorted(source.glob(pattern)):
            if path.is_file():
                written.append(Path(shutil.copy2(path, target / path.name)))
    written.append(Path(shutil.copy2(DATA_DIR / "actors.csv", folder / "actors.csv")))
    (folder / "README.md").write_text(README, encoding="utf-8")
    written.append(folder / "README.md")
    return written
