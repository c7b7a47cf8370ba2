"""Every notebook's papermill parameters are typed, documented and passed by run under the same names."""

from pathlib import Path

import papermill
import pytest

from analysis.run.notebooks import _parameter_names, list_notebooks

BOOKS = list_notebooks()


@pytest.mark.parametrize("book", BOOKS, ids=[b.stem for b in BOOKS])
def test_each_parameter_has_a_type_a_default_and_a_line_of_help(book: Path):
    found = papermill.inspect_notebook(str(book))
    assert {"corpus_dir", "output_dir", "columns"} <= set(found)
    for name, parameter in found.items():
        assert parameter["inferred_type_name"] not in ("None", ""), name
        assert parameter["help"], name
    assert set(found) == _parameter_names(book)  # run passes a parameter only where the notebook declares it
