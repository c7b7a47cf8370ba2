"""Generated hostile corpora: every command holds on every folder, under every option.

``hypothesis`` builds corpus folders of random file names (accents, NFD
forms, spaces, sub-folders, odd or no extensions) and contents (good text,
empty, blank, binary soup, Windows-1252, UTF-8 with a bad byte, UTF-16, web
pages with furniture, YAML front matter, invisible characters, cells that a
spreadsheet would run as formulas, NUL bytes, duplicates), a manifest in a
random separator and encoding with random columns (some named like ours)
and dates in every format, links out of the folder and broken links. On
each folder it drives ``check``, ``analyze`` with ``--jobs 1`` and
``--jobs 2``, ``--no-cache`` and incremental reruns (add, delete, modify a
file), and asserts the contract:

- no traceback, and the exit code of the contract (2 only when nothing loads);
- every input file appears exactly once: in the articles, or in the
  problems table as not loaded;
- no CSV cell is a live formula;
- nothing outside the folder is read;
- ``--jobs 2`` and any sequence of incremental runs give the tables of one
  full run.

``HOSTILE_EXAMPLES`` sets the number of folders per test (default 6, a few
minutes for the whole file); the larger sweep is marked ``slow``:
``HOSTILE_EXAMPLES=60 pytest -m slow tests/test_hostile_sweep.py``.
"""

import codecs
import csv
import io
import os
import shutil
import tempfile
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.outputs import FORMULA_START
from analysis.run import cli
from analysis.run.pipeline import analyze

EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "6"))
SWEEP = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                        HealthCheck.function_scoped_fixture])  # capsys is read out per call
SLOW = settings(SWEEP, max_examples=max(EXAMPLES, 60))
OUTSIDE_MARKER = "OUTSIDEMARKER"

SENTENCES = [
    "Vladimir Putin praised Donald Trump at the summit in Alaska.",
    "Volodymyr Zelenskyy condemned the strikes on Kyiv, officials said.",
    "“We will not give up,” Zelenskyy said on Monday.",
    "Kim Jong-un met Putin in Pyongyang, state media reported.",
    "The European Union agreed new sanctions against Russia.",
    "NATO warned North Korea over its missile tests.",
    "Trump rejected the proposal, and the Kremlin did not comment.",
]
DATES = ["2024-03-01", "2024-03-01T10:00:00+09:00", "2024-03", "2024", "March 3, 2018 Saturday", "3 March 2018",
         "03/04/2018", "yesterday", "", "2024-02-30", "1900-01-01T00:00Z"]
EXTRA_COLUMNS = ["text", "kind", "language", "sha256", "n_words", "paragraph", "article_id", "notes", "leaning",
                 "date_precision", "", "file"]


@st.composite
def article_text(draw):
    n = draw(st.integers(1, 4))
    paragraphs = [" ".join(draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=3))) for _ in range(n)]
    paragraphs.append(f"Story number {draw(st.integers(0, 10**6))}.")  # most texts distinct, some not
    return "\n\n".join(paragraphs) + "\n"


@st.composite
def content(draw):
    """``(kind, bytes)`` of one file."""
    kind = draw(st.sampled_from([
        "good", "good", "good", "empty", "blank", "binary", "cp1252", "bad_utf8", "utf16", "html", "yaml",
        "invisible", "formula", "nul", "german",
    ]))
    text = draw(article_text())
    if kind == "empty":
        return kind, b""
    if kind == "blank":
        return kind, b" \n\t \r\n"
    if kind == "binary":
        return kind, draw(st.binary(min_size=1, max_size=300)) + b"\x00\x01\x02" * 40
    if kind == "cp1252":
        return kind, ("NATO\u2019s chief said \u201cenough\u201d \u2013 " + text).encode("cp1252", "replace")
    if kind == "bad_utf8":
        raw = ("São Paulo and Kyiv: “" + text + "”").encode()
        cut = draw(st.integers(0, len(raw)))
        return kind, raw[:cut] + b"\xff" + raw[cut:]
    if kind == "utf16":
        return kind, codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if kind == "html":
        body = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
        return kind, (f"<html><body><nav>Home World</nav><div class='cookie-banner'>We use cookies</div>"
                      f"<article>{body}</article><footer>Share this</footer></body></html>").encode()
    if kind == "yaml":
        return kind, f"---\ntitle: A story\ndate: {draw(st.sampled_from(DATES))}\n---\n{text}".encode()
    if kind == "invisible":
        return kind, text.replace("Putin", "Pu\u200btin").replace("Trump", "Tr\u00adump").encode()
    if kind == "formula":
        prefix = draw(st.sampled_from(["=HYPERLINK(\"http://x.example\",\"x\") ", "+1 ", "-2 ", "@SUM(A1) ",
                                       "\tTab ", "=1+1 "]))
        return kind, (prefix + text).encode()
    if kind == "nul":
        return kind, text.encode().replace(b" ", b" \x00", 3)
    if kind == "german":
        return kind, ("Der Präsident hat die Verhandlungen mit der Ukraine nicht abgeschlossen, und es ist "
                      "nicht klar, ob die Gespräche fortgesetzt werden.\n").encode()
    return kind, text.encode()


NAME_CHARS = st.sampled_from(list("abcxyz019_-") + ["é", "ã", "ü", " ", "Ж", "中"])


@st.composite
def file_name(draw):
    stem = "".join(draw(st.lists(NAME_CHARS, min_size=1, max_size=8))).strip() or "x"
    if draw(st.booleans()):
        stem = unicodedata.normalize("NFD", stem)
    ext = draw(st.sampled_from([".txt", ".txt", ".md", ".html", ".htm", ".pdf", ".docx", "", ".TXT"]))
    folder = draw(st.sampled_from(["", "", "sub/", "deep/er/", "ünï/"]))
    return f"{folder}{stem}{ext}"


@st.composite
def corpus_spec(draw):
    names = draw(st.lists(file_name(), min_size=1, max_size=7, unique_by=lambda n: n.casefold()))
    names = [n for n in names if n != "articles.csv" and not any(p.startswith(".") for p in n.split("/"))]
    files = {name: draw(content()) for name in names}
    if files and draw(st.booleans()):  # an exact copy under another name
        src = draw(st.sampled_from(sorted(files)))
        files[f"copy of {Path(src).name}"] = files[src]
    manifest = None
    if draw(st.booleans()):
        listed = draw(st.lists(st.sampled_from(sorted(files)), unique=True)) if files else []
        extra = draw(st.lists(st.sampled_from(EXTRA_COLUMNS), max_size=3))
        rows = []
        for name in listed + (["missing.txt"] if draw(st.booleans()) else []):
            shown = draw(st.sampled_from([name, f" {name} ", unicodedata.normalize("NFC", name)]))
            rows.append([shown, draw(st.sampled_from(["Outlet A", "Outlet B", "=SUM(1)", "Ünï News"])),
                         draw(st.sampled_from(DATES)), *[draw(st.sampled_from(["x", "", "=2+2", "-"])) for _ in extra]])
        manifest = {
            "header": ["file", "outlet", "date", *extra],
            "rows": rows,
            "delimiter": draw(st.sampled_from([",", ";", "\t"])),
            "encoding": draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"])),
        }
    links = draw(st.sampled_from([(), ("outside",), ("broken",), ("outside", "broken")]))
    return {"files": files, "manifest": manifest, "links": links}


def build(spec, root: Path) -> tuple[Path, list[str]]:
    """Write the corpus of ``spec`` under ``root``; return its folder and every input's relative path."""
    folder = root / "corpus"
    folder.mkdir()
    outside = root / "outside.txt"
    outside.write_text(f"{OUTSIDE_MARKER} Vladimir Putin met Donald Trump.\n", encoding="utf-8")
    inputs = []
    for name, (_, data) in spec["files"].items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        inputs.append(name)
    if "outside" in spec["links"]:
        os.symlink(outside, folder / "link out.txt")
        inputs.append("link out.txt")
    if "broken" in spec["links"]:
        os.symlink(folder / "gone.txt", folder / "broken link.txt")
        inputs.append("broken link.txt")
    if spec["manifest"]:
        m = spec["manifest"]
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=m["delimiter"]).writerows([m["header"], *m["rows"]])
        (folder / "articles.csv").write_bytes(buffer.getvalue().encode(m["encoding"]))
    return folder, sorted(inputs)


def run_cli(capsys, *args) -> tuple[int, str]:
    code = cli.main([str(a) for a in args])
    out = capsys.readouterr()
    text = out.out + out.err
    assert "Traceback" not in text
    assert code in (0, 1, 2), text
    return code, text


def assert_every_input_once(tables, inputs):
    articles, problems = tables["articles"], tables["problems"]
    assert articles["file"].is_unique
    loaded = set(articles["file"])
    skipped = set(problems.loc[~problems["loaded"].astype(bool), "file"])
    assert not loaded & skipped
    assert set(inputs) <= loaded | skipped, sorted(set(inputs) - loaded - skipped)
    assert loaded <= set(inputs)


def assert_no_live_formula(out: Path):
    for path in sorted((out / "tables").glob("*.csv")):
        types = pd.read_parquet(path.with_suffix(".parquet")).dtypes
        text_columns = {c for c, t in types.items() if t == object or isinstance(t, pd.StringDtype)}
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            header = next(reader, [])
            for row in reader:
                for col, cell in zip(header, row):
                    if col in text_columns:
                        assert not cell.startswith(FORMULA_START), (path.name, col, cell)


def assert_nothing_outside_read(tables):
    for name in ("articles", "paragraphs", "problems"):
        table = tables[name].astype(str)
        assert not table.apply(lambda c: c.str.contains(OUTSIDE_MARKER)).any().any(), name


def assert_same_tables(a: dict, b: dict, what: str):
    assert set(a) == set(b), what
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=True, obj=f"{what}: {name}")


def read_tables(out: Path) -> dict:
    return {p.stem: pd.read_parquet(p) for p in (out / "tables").glob("*.parquet")}


def check_folder(spec, capsys):
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        root = Path(tmp)
        folder, inputs = build(spec, root)
        code, text = run_cli(capsys, "check", folder)
        for name in inputs:  # check names every file, by its name on disk
            assert name in text
        full = analyze(folder, cache=False)
        assert code == (2 if full["articles"].empty else 1 if len(full["problems"]) else 0)
        assert_every_input_once(full, inputs)
        assert_nothing_outside_read(full)
        if full["articles"].empty:
            assert run_cli(capsys, "analyze", folder, "--out", root / "out", "--no-cache")[0] == 2
            return
        code, _ = run_cli(capsys, "analyze", folder, "--out", root / "out", "--jobs", 1, "--no-cache")
        assert code in (0, 1)
        assert_no_live_formula(root / "out")
        code2, _ = run_cli(capsys, "analyze", folder, "--out", root / "out2", "--jobs", 2, "--no-cache")
        assert code2 == code
        assert_same_tables(read_tables(root / "out"), read_tables(root / "out2"), "--jobs 2")


def incremental(spec, data, capsys):
    """Add, delete and modify files between cached runs: each run equals a full run of the same folder."""
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        root = Path(tmp)
        folder, inputs = build(spec, root)
        cache = root / "cache"
        names = [n for n in sorted(spec["files"]) if (folder / n).exists()]
        hidden = root / "held back"
        hidden.mkdir()
        held = data.draw(st.lists(st.sampled_from(names), unique=True), label="held back") if names else []
        for name in held:
            (hidden / name.replace("/", "__")).write_bytes((folder / name).read_bytes())
            (folder / name).unlink()
        jobs = data.draw(st.sampled_from([1, 2]), label="jobs")
        steps = [("start", None)] + [("add", n) for n in held]
        if names:
            steps += [("modify", data.draw(st.sampled_from(names), label="modified")),
                      ("delete", data.draw(st.sampled_from(names), label="deleted"))]
        for step, name in steps:
            if step == "add":
                (folder / name).write_bytes((hidden / name.replace("/", "__")).read_bytes())
            elif step == "modify" and (folder / name).exists():
                (folder / name).write_bytes((folder / name).read_bytes() + "\nPutin spoke again.\n".encode())
            elif step == "delete" and (folder / name).exists():
                (folder / name).unlink()
            cached = analyze(folder, cache=cache, jobs=jobs)
            assert_same_tables(analyze(folder, cache=False), cached, f"after {step} {name!r}")
            with pytest.MonkeyPatch.context() as mp:
                mp.setenv("ANALYSIS_CACHE_DIR", str(cache))
                run_cli(capsys, "analyze", folder, "--out", root / "out", "--jobs", jobs)


@SWEEP
@given(spec=corpus_spec())
def test_check_and_analyze_hold_on_generated_hostile_folders(spec, capsys):
    check_folder(spec, capsys)


@SWEEP
@given(spec=corpus_spec(), data=st.data())
def test_incremental_reruns_equal_full_runs_on_generated_folders(spec, data, capsys):
    incremental(spec, data, capsys)


def run_folder(spec, capsys):
    """``run --jobs 2`` (tables, then every notebook) on a generated folder."""
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        root = Path(tmp)
        folder, inputs = build(spec, root)
        code, text = run_cli(capsys, "run", folder, "--out", root / "out", "--jobs", 2)
        if code == 2:
            assert "nothing in the folder could be analysed" in text
            return
        assert "5 notebook(s) executed" in text
        assert_every_input_once(read_tables(root / "out"), inputs)
        assert_no_live_formula(root / "out")
        for csv_path in (root / "out" / "figures").glob("*.csv"):  # the figures' data too
            with open(csv_path, newline="", encoding="utf-8") as fh:
                for row in csv.reader(fh):
                    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in row), csv_path.name
        assert not list(root.rglob("*.tmp*"))


@settings(SWEEP, max_examples=min(EXAMPLES, 2))
@given(spec=corpus_spec())
def test_run_holds_on_generated_folders(spec, capsys):
    run_folder(spec, capsys)


@pytest.mark.slow
@SLOW
@given(spec=corpus_spec(), data=st.data())
def test_the_larger_sweep(spec, data, capsys):
    check_folder(spec, capsys)
    incremental(spec, data, capsys)
    if data.draw(st.integers(0, 9), label="also run") == 0:  # the notebooks on one folder in ten
        run_folder(spec, capsys)


def test_a_new_user_on_a_hostile_folder_then_after_deleting_what_check_reported(tmp_path):
    """As an analyst would: ``run --jobs 2`` on a messy folder, delete the reported files, run again."""
    import subprocess
    import sys

    spec = {
        "files": {
            "good.txt": ("good", (" ".join(SENTENCES[:3]) + "\n").encode()),
            "second.txt": ("good", (" ".join(SENTENCES[3:]) + "\n").encode()),
            "empty.txt": ("empty", b""),
            "binary.txt": ("binary", bytes(range(256)) * 8),
            "report.pdf": ("pdf", b"%PDF-1.4 ..."),
            "formula.txt": ("formula", ("=HYPERLINK(\"http://x.example\") " + SENTENCES[1] + "\n").encode()),
        },
        "manifest": {"header": ["file", "outlet", "date", "text"], "delimiter": ";", "encoding": "utf-16",
                     "rows": [["good.txt", "Outlet A", "2024-03-01T10:00:00+09:00", "x"],
                              ["second.txt", "Outlet B$", "2024-03", "y"],
                              ["formula.txt", "Outlet A", "2024-03-02", "z"], ["missing.txt", "C", "", ""]]},
        "links": ("outside", "broken"),
    }
    folder, _ = build(spec, tmp_path)
    env = {**os.environ, "ANALYSIS_CACHE_DIR": str(tmp_path / "cache")}

    def run(*args):
        result = subprocess.run([sys.executable, "-m", "analysis", *map(str, args)], capture_output=True,
                                text=True, env=env, timeout=600)
        assert "Traceback" not in result.stdout + result.stderr
        return result

    first = run("run", folder, "--out", tmp_path / "out", "--jobs", 2)
    assert first.returncode == 1, first.stderr
    reported = [line.split()[1].rstrip(":") for line in first.stdout.splitlines() if line.startswith("SKIPPED")]
    assert {"empty.txt", "binary.txt", "report.pdf", "missing.txt"} <= set(reported)
    for name in ("empty.txt", "binary.txt", "report.pdf", "link out.txt", "broken link.txt"):
        (folder / name).unlink()
    again = run("check", folder)
    assert again.returncode == 1  # still: missing.txt is listed, a column is renamed, a date is partial
    assert "missing.txt: [missing_file]" in again.stdout
    second = run("run", folder, "--out", tmp_path / "out", "--jobs", 2)
    assert second.returncode == 1, second.stderr
    assert "5 notebook(s) executed" in second.stdout
    tables = read_tables(tmp_path / "out")
    assert sorted(tables["articles"]["file"]) == ["formula.txt", "good.txt", "second.txt"]
    assert_no_live_formula(tmp_path / "out")
    assert not list((tmp_path / "out").rglob("*.tmp*"))
    shutil.rmtree(tmp_path / "cache", ignore_errors=True)
