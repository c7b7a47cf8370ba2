"""A real browser: JupyterLab on 127.0.0.1, notebook 01 opened in headless Chromium, every cell run.

Needs Debian's ``chromium`` and the ``playwright`` package (its driver; no
browser download): ``.ci/run`` installs both and sets REQUIRE_BROWSER=1, so
in CI a missing browser fails instead of skipping. The notebook runs from a
copy, so the committed one is never touched. The screenshot is saved to
``build/screenshots/``.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from analysis.config import NOTEBOOKS_DIR, PROJECT_DIR

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NOTEBOOK = "01_corpus_overview.ipynb"
SCREENSHOTS = PROJECT_DIR / "build" / "screenshots"


def _require():
    missing = []
    if not CHROMIUM:
        missing.append("chromium (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("playwright (pip install playwright)")
    if missing:
        message = "browser test needs " + " and ".join(missing)
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def jupyter_lab(tmp_path):
    """JupyterLab serving a copy of notebook 01 on 127.0.0.1; yields (base url, token, folder)."""
    _require()
    root = tmp_path / "lab"
    root.mkdir()
    # A copy without outputs: every output the test then sees comes from the browser's run.
    nb = json.loads((NOTEBOOKS_DIR / NOTEBOOK).read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    (root / NOTEBOOK).write_text(json.dumps(nb), encoding="utf-8")
    port, token = _free_port(), "analysis-browser-test"
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}", "--ServerApp.open_browser=False", "--allow-root"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=root,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("JupyterLab did not start within 90 s") from None
                time.sleep(0.5)
        yield base, token, root
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_notebook_01_runs_in_jupyterlab_without_errors(jupyter_lab):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    base, token, root = jupyter_lab
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base}/lab/tree/{NOTEBOOK}?token={token}", timeout=90_000)
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
        # JupyterLab may ask which kernel to start: take the one it proposes (the notebook's python3).
        select = page.locator(".jp-Dialog .jp-mod-accept")
        try:
            select.wait_for(timeout=10_000)
            select.click()
        except PlaywrightTimeout:
            pass
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
        page.click(".lm-MenuBar-itemLabel:text-is('Run')")
        page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
        # Every code cell gets an execution count once the kernel is done with it.
        page.wait_for_function(
            """() => {
                const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
                return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
            }""",
            timeout=180_000,
        )
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
        page.keyboard.press("Control+s")
        time.sleep(2)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / "01_corpus_overview_jupyterlab.png"
        page.screenshot(path=str(shot), full_page=True)
        visible_errors = page.locator(".jp-OutputArea-output:has-text('Traceback')").count()
        images = page.locator(".jp-OutputArea-output img").count()
        browser.close()

    assert shot.stat().st_size > 10_000
    assert visible_errors == 0
    assert images >= 4  # the four figures of notebook 01 rendered
    saved = json.loads((root / NOTEBOOK).read_text(encoding="utf-8"))
    outputs = [o for c in saved["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    assert outputs, "the notebook was not saved after running"
    errors = [o for o in outputs if o.get("output_type") == "error"]
    assert errors == [], errors[0].get("evalue") if errors else ""
    counts = [c.get("execution_count") for c in saved["cells"] if c["cell_type"] == "code"]
    assert all(counts) and counts == sorted(counts)
