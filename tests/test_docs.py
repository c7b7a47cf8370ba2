"""The API reference builds from the docstrings (``make docs``), one page per module, every stage included."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_api_reference_builds_with_a_page_per_module(tmp_path):
    modules = re.search(r"^DOC_MODULES = (.+)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M).group(1).split()
    result = subprocess.run([sys.executable, "-m", "pdoc", "-o", str(tmp_path), *modules], capture_output=True,
                            text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    pages = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.html")}
    for page in ("index.html", "analysis/load/corpus.html", "analysis/load/readers/tables.html",
                 "analysis/measure/tone.html", "analysis/count/frames.html", "analysis/show/plots.html",
                 "analysis/models/scorers.html", "analysis/run/pipeline.html"):
        assert page in pages, page
    corpus = (tmp_path / "analysis" / "load" / "corpus.html").read_text(encoding="utf-8")
    assert "load_corpus" in corpus and "every row of a DataFrame" in corpus  # the docstring, rendered
    modules_in_code = {p.relative_to(ROOT).with_suffix("").as_posix() for p in (ROOT / "analysis").rglob("*.py")
                       if p.name not in ("__init__.py", "__main__.py")}
    missing = {m for m in modules_in_code if f"{m}.html" not in pages}
    assert not missing, sorted(missing)
