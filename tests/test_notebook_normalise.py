"""Executed notebooks are normalised so that the same inputs give the same bytes (a clean clone stays clean)."""

import json
import uuid
from pathlib import Path

import nbformat

from analysis.run.notebooks import normalise

BOOK = Path("/somewhere/project/notebooks/02_x.ipynb")


def executed(seed: int, injected: bool = False):
    """A notebook as papermill leaves it: timestamps, absolute paths, random widget ids, maybe an injected cell."""
    ids = [uuid.UUID(int=(seed * 7919 + i) * 104729).hex for i in range(4)]  # box, two children, a layout
    box, slider, label, layout = ids
    nb = nbformat.v4.new_notebook()
    cells = [nbformat.v4.new_code_cell("corpus_dir = None", metadata={"tags": ["parameters"]})]
    if injected:
        cells.append(nbformat.v4.new_code_cell('corpus_dir = "/home/me/seeds"',
                                               metadata={"tags": ["injected-parameters"]}))
    widget = nbformat.v4.new_code_cell("box", execution_count=2)
    widget.outputs = [nbformat.v4.new_output("display_data", data={
        "application/vnd.jupyter.widget-view+json": {"model_id": box, "version_major": 2, "version_minor": 0},
        "text/plain": "HBox(...)"})]
    cells.append(widget)
    for i, cell in enumerate(cells):
        cell.metadata["papermill"] = {"start_time": f"2026-12-0{seed}T10:00:0{i}", "duration": 0.1 * seed}
        cell.metadata["execution"] = {"iopub.status.busy": f"2026-12-0{seed}T10:00:0{i}"}
        cell["id"] = uuid.UUID(int=seed * 1000 + i).hex[:8]
    nb.cells = cells
    state = {
        label: {"model_name": "LabelModel", "state": {"value": "Putin", "layout": f"IPY_MODEL_{layout}"}},
        box: {"model_name": "HBoxModel", "state": {"children": [f"IPY_MODEL_{slider}", f"IPY_MODEL_{label}"]}},
        layout: {"model_name": "LayoutModel", "state": {}},
        slider: {"model_name": "IntSliderModel", "state": {"value": 3}},
    }
    if seed % 2:
        state = dict(reversed(list(state.items())))  # saved in another order
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": state, "version_major": 2}}
    nb.metadata["papermill"] = {"start_time": f"2026-12-0{seed}", "end_time": "x", "duration": 1.5 * seed,
                                "input_path": str(BOOK), "output_path": str(BOOK),
                                "parameters": {"corpus_dir": "/home/me/seeds"} if injected else {}}
    return nb


def test_the_same_notebook_run_twice_gives_the_same_bytes():
    first = normalise(executed(1), BOOK, BOOK, injected=False)
    second = normalise(executed(2), BOOK, BOOK, injected=False)
    assert nbformat.writes(first) == nbformat.writes(second)
    text = nbformat.writes(first)
    assert "2026-12-0" not in text and "/somewhere" not in text
    assert first.metadata["papermill"]["input_path"] == "02_x.ipynb"
    assert [c["id"] for c in first.cells] == ["cell-000", "cell-001"]
    # The widgets still hang together: the view's model is in the state, and its children point at models there.
    state = first.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    view = first.cells[1].outputs[0]["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
    assert state[view]["model_name"] == "HBoxModel"
    children = [c.removeprefix("IPY_MODEL_") for c in state[view]["state"]["children"]]
    assert [state[c]["model_name"] for c in children] == ["IntSliderModel", "LabelModel"]
    assert list(state) == sorted(state)


def test_a_stale_injected_cell_goes_when_nothing_is_injected_and_stays_when_something_is():
    kept = normalise(executed(1, injected=True), BOOK, BOOK.parent.parent / "out" / "notebooks" / BOOK.name,
                     injected=True)
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in kept.cells)
    assert kept.metadata["papermill"]["parameters"] == {"corpus_dir": "/home/me/seeds"}
    assert kept.metadata["papermill"]["input_path"] == "../../notebooks/02_x.ipynb"
    dropped = normalise(executed(1, injected=True), BOOK, BOOK, injected=False)
    assert not any("injected-parameters" in c.metadata.get("tags", []) for c in dropped.cells)
    assert json.dumps(dropped.metadata["papermill"]["parameters"]) == "{}"


def test_the_html_page_has_the_notebooks_title_a_contents_list_and_no_code(tmp_path):
    from analysis.run.notebooks import _export_html, briefing_page

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 05 · Briefing: *tone* per outlet\n\n**Question:** how?"),
                nbformat.v4.new_code_cell("import pandas as pd\npd.DataFrame({'outlet': ['A']})"),
                nbformat.v4.new_markdown_cell("## Each outlet at a glance\n\nText."),
                nbformat.v4.new_markdown_cell("## What these numbers cannot tell\n\n### A detail")]
    nb.cells[1].outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "  outlet\n0 A"},
                                                  execution_count=1)]
    page, title = briefing_page(nb)
    assert title == "05 · Briefing: tone per outlet"
    assert page.cells[1].source.splitlines()[2:] == ["1. [Each outlet at a glance](#Each-outlet-at-a-glance)",
                                                      "2. [What these numbers cannot tell](#What-these-numbers-cannot-tell)"]
    assert len(nb.cells) == 4  # the notebook itself is unchanged
    path = tmp_path / "05.ipynb"
    nbformat.write(nb, str(path))
    _export_html(path, tmp_path / "05.html")
    html = (tmp_path / "05.html").read_text(encoding="utf-8")
    assert "<title>05 · Briefing: tone per outlet</title>" in html
    assert 'id="Each-outlet-at-a-glance"' in html and 'href="#Each-outlet-at-a-glance"' in html
    assert "import pandas" not in html and "0 A" in html  # the output, not the code


def test_models_no_view_reaches_are_dropped_and_an_output_widgets_views_kept():
    def with_extra(seed):
        nb = executed(seed)
        state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
        box = nb.cells[1].outputs[0]["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
        orphan, output, shown = (uuid.UUID(int=seed * 31337 + k).hex for k in range(3))
        state[orphan] = {"model_name": "TextModel", "state": {"value": "never shown"}}
        state[output] = {"model_name": "OutputModel", "state": {"outputs": [
            {"output_type": "display_data", "data": {"application/vnd.jupyter.widget-view+json": {"model_id": shown}}}]}}
        state[shown] = {"model_name": "ButtonModel", "state": {}}
        state[box]["state"]["children"].append(f"IPY_MODEL_{output}")
        return nb

    first = normalise(with_extra(1), BOOK, BOOK, injected=False)
    assert nbformat.writes(first) == nbformat.writes(normalise(with_extra(2), BOOK, BOOK, injected=False))
    names = sorted(m["model_name"] for m in first.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]
                   ["state"].values())
    assert names == ["ButtonModel", "HBoxModel", "IntSliderModel", "LabelModel", "LayoutModel", "OutputModel"]
