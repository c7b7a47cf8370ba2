"""The built wheel, installed in a fresh virtualenv outside the repository, makes a project and runs it.

The wheel is built from the clone as pip builds it for a user; the fresh
environment gets its dependencies from this test environment's
site-packages (a ``.pth`` line, and ``JUPYTER_PATH`` for nbconvert's
templates), so the test proves what the wheel carries (the notebooks, the
sample articles, the models, the console command) without downloading the
dependencies a second time.
"""

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """``(bin folder, environment)`` of a fresh virtualenv with the wheel installed, outside the clone."""
    base = tmp_path_factory.mktemp("wheel")
    wheels = base / "dist"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(ROOT)],
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-2000:]
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    purelib = subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    (wheel,) = wheels.glob("newsframes_analysis-*.whl")
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
                              "--quiet", "--no-deps", str(wheel)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr[-2000:]
    env = {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
           "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter"),
           "ANALYSIS_CACHE_DIR": str(base / "cache"), "PYTHONPATH": ""}
    env.pop("ANALYSIS_OUTPUT_DIR", None)
    return venv / "bin", env, base


def test_init_then_run_from_any_folder_writes_the_briefing(installed):
    bin_dir, env, base = installed
    where = subprocess.run([str(bin_dir / "python"), "-c", "import analysis; print(analysis.__file__)"],
                           capture_output=True, text=True, env=env, cwd=base)
    assert str(base / "venv") in where.stdout  # the wheel's copy, not the clone's
    init = subprocess.run([str(bin_dir / "newsframes"), "init", "project"], capture_output=True, text=True, env=env,
                          cwd=base)
    assert init.returncode == 0, init.stderr
    project = base / "project"
    assert sorted(p.name for p in (project / "notebooks").glob("*.ipynb"))[0] == "01_corpus_overview.ipynb"
    assert (project / "articles" / "articles.csv").is_file() and (project / "actors.csv").is_file()
    assert len((project / "README.md").read_text(encoding="utf-8").splitlines()) == 5
    again = subprocess.run([str(bin_dir / "newsframes"), "init", "project"], capture_output=True, text=True, env=env,
                           cwd=base)
    assert again.returncode == 2 and "not empty" in again.stderr
    run = subprocess.run([str(bin_dir / "newsframes"), "run", "articles", "--out", "results", "--method", "model"],
                         capture_output=True, text=True, env=env, cwd=project)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "5 notebook(s) executed" in run.stdout
    results = project / "results"
    assert (results / "html" / "05_briefing.html").stat().st_size > 10_000
    assert len(list((results / "figures").glob("*.png"))) >= 10
    assert (results / "tables" / "article_tone.csv").is_file() and (results / "manifest.json").is_file()
    assert "Traceback" not in run.stderr and "WARNING" not in run.stderr


def test_run_without_notebooks_exits_2_saying_so(installed):
    bin_dir, env, base = installed
    bundle = subprocess.run([str(bin_dir / "python"), "-c", "from analysis.config import NOTEBOOKS_DIR; print(NOTEBOOKS_DIR)"],
                            capture_output=True, text=True, env=env, cwd=base).stdout.strip()
    hidden = Path(bundle).with_name("notebooks_hidden")
    Path(bundle).rename(hidden)
    try:
        run = subprocess.run([str(bin_dir / "newsframes"), "run", "--out", str(base / "nothing")], capture_output=True,
                             text=True, env=env, cwd=base)
    finally:
        hidden.rename(bundle)
    assert run.returncode == 2
    assert "no notebooks to execute" in run.stderr and "Traceback" not in run.stderr


def test_run_with_no_folder_writes_into_the_folder_it_runs_in(installed):
    bin_dir, env, base = installed
    here = base / "bare"
    here.mkdir()
    run = subprocess.run([str(bin_dir / "newsframes"), "run", "--method", "model", "--notebooks", "01"],
                         capture_output=True, text=True, env=env, cwd=here)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert len(list((here / "figures").glob("01_*.png"))) >= 3  # here, not inside the installed package
    bundle = Path(subprocess.run([str(bin_dir / "python"), "-c", "import analysis; print(analysis.__file__)"],
                                 capture_output=True, text=True, env=env).stdout.strip()).parent
    assert not list(bundle.rglob("figures"))
