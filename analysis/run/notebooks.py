"""Run every numbered notebook on a corpus folder with papermill.

``run_notebooks(corpus_dir, out_dir)`` executes ``notebooks/NN_*.ipynb`` in
order, top to bottom, in a fresh kernel each, and writes to ``out_dir``:
``notebooks/`` (the executed notebooks), ``html/`` (one page each) and
``figures/`` (what the notebooks export). Run on the seeds with the project
folder as output, it refreshes the committed notebooks and figures in place,
with no parameters injected, and every executed notebook is normalised
(``normalise``): no timestamps, no absolute paths, widget ids numbered in
order. So ``make`` on a clean clone leaves ``git status`` clean: the same
inputs give the same bytes.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from analysis.config import FIGURES_DIR, IN_CLONE, NOTEBOOKS_DIR, PROJECT_DIR, SEEDS_DIR
from analysis.outputs import atomic_path, write_text


class NotebookFailed(Exception):
    """A notebook raised: names the notebook, the cell and the error."""


class NoSuchNotebook(ValueError):
    """``--notebooks`` named none of the numbered notebooks (a usage error)."""


@dataclass
class NotebookOutput:
    source: Path
    executed: Path
    html: Path
    figures_dir: Path


def list_notebooks(only=None) -> list[Path]:
    """The numbered notebooks, in order; ``only`` filters by number ("01") or name."""
    books = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
    if not books:
        raise NoSuchNotebook(f"no notebooks to execute: {NOTEBOOKS_DIR} holds no numbered notebook (NN_name.ipynb); "
                             "run from the project folder, or reinstall the package")
    if only:
        wanted = [str(w) for w in only]
        books = [b for b in books if any(b.name.startswith(w) or b.stem == w or b.name == w for w in wanted)]
        if not books:
            raise NoSuchNotebook(f"no notebook matches {', '.join(wanted)} in {NOTEBOOKS_DIR}")
    return books


def run_notebooks(corpus_dir, out_dir=None, only=None, log=lambda msg: None, options=None,
                  jobs: int = 1) -> list[NotebookOutput]:
    """Execute the notebooks on ``corpus_dir``; return where each output went.

    ``jobs`` > 1 runs that many notebooks at a time, each in its own kernel.

    ``options`` are further notebook parameters (``method``, ``actors_file``,
    ``frames_file``); those that are None are left at the notebook's default.

    Raises ``NotebookFailed`` at the first notebook that raises, naming the
    notebook, the cell and the error. The executed notebook (with the error
    in it) is still written, for reading.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    corpus_dir = Path(corpus_dir).resolve()
    out = Path(out_dir).resolve() if out_dir else PROJECT_DIR
    figures = out / "figures"
    executed_dir, html_dir = out / "notebooks", out / "html"
    for d in (figures, executed_dir, html_dir):
        d.mkdir(parents=True, exist_ok=True)
    options = {k: v for k, v in (options or {}).items() if v is not None}
    if "method" in options:
        from analysis.models import scorers

        if options["method"] == scorers.get(None).name:
            del options["method"]  # the notebooks' own default: nothing to inject
    # In place only in the clone: an installed package's kernels would resolve figures/ from their own folder.
    in_place = IN_CLONE and corpus_dir == SEEDS_DIR and figures == FIGURES_DIR and not options
    # Defaults need no injection (the committed notebooks carry no machine paths);
    # anything else is passed as parameters.
    parameters = None if in_place else {"corpus_dir": str(corpus_dir), "output_dir": str(figures), **options}

    def execute(book: Path) -> NotebookOutput:
        target = executed_dir / book.name
        accepted = _parameter_names(book)
        book_parameters = {k: v for k, v in parameters.items() if k in accepted} if parameters else None
        log(f"running {book.name} …")
        try:
            with atomic_path(target) as tmp:  # the executed notebook whole, or the previous one
                try:
                    pm.execute_notebook(
                        str(book), str(tmp), parameters=book_parameters, cwd=str(NOTEBOOKS_DIR),
                        progress_bar=False, kernel_name="python3",
                        # The kernel's own log (its "running over TCP" warning, an interrupt at shutdown) tells an analyst nothing.
                        extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
                    )
                except PapermillExecutionError:
                    _normalise_file(tmp, book, target, injected=bool(book_parameters))
                    os.replace(tmp, target)  # kept, with the error in it, for reading
                    raise
                _normalise_file(tmp, book, target, injected=bool(book_parameters))
        except PapermillExecutionError as err:
            raise NotebookFailed(
                f"{book.name} failed in cell {err.exec_count} ({err.ename}: {err.evalue}); "
                f"the executed notebook is {target}"
            ) from None
        html = html_dir / f"{book.stem}.html"
        _export_html(target, html)
        return NotebookOutput(book, target, html, figures)

    books = list_notebooks(only)
    if jobs <= 1:
        return [execute(book) for book in books]
    # Each notebook has its own kernel and reads the shared per-article cache,
    # so they can run side by side; the first failure (in notebook order) is raised.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(jobs) as pool:
        futures = [pool.submit(execute, book) for book in books]
        return [f.result() for f in futures]


def _normalise_file(written: Path, book: Path, target: Path, injected: bool) -> None:
    """``normalise`` the notebook papermill wrote to ``written``, which will be ``target``."""
    import nbformat

    nb = normalise(nbformat.read(str(written), as_version=4), book, target, injected)
    nbformat.write(nb, str(written))


# What papermill and nbclient record that differs on every run of the same inputs.
_RUN_KEYS = ("start_time", "end_time", "duration", "exception")
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
# A model's references to others: children, layout, style (IPY_MODEL_<id>), and views an Output widget shows.
_MODEL_REF = re.compile(r'(?:IPY_MODEL_|"model_id": ")([0-9a-f]{32})')


def normalise(nb, book: Path, target: Path, injected: bool):
    """An executed notebook that is the same bytes on every run of the same inputs.

    Drops the run's timestamps and durations (papermill's and nbclient's),
    records its input and output paths relative to the notebook's folder,
    removes a stale ``injected-parameters`` cell when nothing was injected
    (the defaults need none), numbers the cells, and renames the widget
    models in the order they appear (ipywidgets gives them random ids).
    """
    import json
    import uuid

    import nbformat

    papermill = nb.metadata.get("papermill")
    if papermill is not None:
        for key in _RUN_KEYS:
            papermill.pop(key, None)
        for key, path in (("input_path", book), ("output_path", target)):
            papermill[key] = Path(os.path.relpath(path, target.parent)).as_posix()
        if not injected:
            papermill["parameters"] = {}
    if not injected:
        nb.cells = [c for c in nb.cells if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]
    models: list[str] = []
    for i, cell in enumerate(nb.cells):
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        cell["id"] = f"cell-{i:03d}"
        for output in cell.get("outputs", []):
            model = output.get("data", {}).get(_WIDGET_VIEW, {}).get("model_id")
            if model:
                models.append(model)
    state = nb.metadata.get("widgets", {}).get(_WIDGET_STATE, {}).get("state", {})
    if not models and not state:
        return nb
    # Number the models from the views the outputs show, then the models each refers to (children, layout,
    # style), breadth first: the same widgets get the same numbers on every run, whatever their random ids.
    # Models no view reaches (made but never shown) cannot be drawn and have no stable order: they are dropped.
    order: dict[str, None] = {}
    queue = list(models)
    while queue:
        model = queue.pop(0)
        if model not in order:
            order[model] = None
            queue += _MODEL_REF.findall(json.dumps(state.get(model, {}), sort_keys=True))
    for model in set(state) - set(order):
        del state[model]
    text = json.dumps(nb)
    for n, model in enumerate(order):
        text = text.replace(model, uuid.uuid5(uuid.NAMESPACE_URL, f"{book.name}/widget/{n}").hex)
    fresh = nbformat.from_dict(json.loads(text))
    saved = fresh.metadata.get("widgets", {}).get(_WIDGET_STATE)
    if saved and "state" in saved:
        saved["state"] = dict(sorted(saved["state"].items()))
    return fresh


def _parameter_names(book: Path) -> set[str]:
    """Names assigned in the notebook's ``parameters`` cell (others are not passed to it)."""
    import ast

    import nbformat

    for cell in nbformat.read(str(book), as_version=4).cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            tree = ast.parse(cell.source)
            names = {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
                     if isinstance(t, ast.Name)}
            return names | {node.target.id for node in tree.body
                            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)}
    return set()


def _export_html(notebook: Path, html: Path) -> None:
    """The page an analyst sends: the notebook's text, tables and figures, no code, its own title and contents."""
    import nbformat
    from nbconvert import HTMLExporter

    nb, title = briefing_page(nbformat.read(str(notebook), as_version=4))
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    write_text(html, body)


_HEADING = re.compile(r"^(#{1,2})\s+(.+?)\s*#*\s*$", re.M)


def briefing_page(nb):
    """``(notebook, title)`` for the HTML page: the title is the first heading; a contents list follows it.

    The contents link each ``##`` section by the anchor nbconvert gives its
    heading (its text, spaces as hyphens). Code cells are left to the
    exporter to hide (``exclude_input``); the notebook itself is not changed.
    """
    import copy

    import nbformat

    nb = copy.deepcopy(nb)
    title, sections, first = "Notebook", [], None
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for level, text in _HEADING.findall(cell.source):
            if level == "#" and first is None:
                title, first = text, i
            elif level == "##":
                sections.append(text)
    title = re.sub(r"[*_`]", "", title)
    if sections:
        contents = "**Contents**\n\n" + "\n".join(
            f"{n}. [{re.sub(r'[*_`]', '', text)}](#{text.replace(' ', '-')})" for n, text in enumerate(sections, 1))
        nb.cells.insert((first or 0) + 1, nbformat.v4.new_markdown_cell(contents))
    return nb, title
