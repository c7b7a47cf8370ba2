"""python -m analysis check: one line per file, a summary, exit codes, no tracebacks."""

import subprocess
import sys

import pytest

from analysis.config import EVAL_DIR, SEEDS_DIR


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "analysis", *map(str, args)], capture_output=True, text=True, timeout=120
    )


def test_check_on_seeds_exits_0_and_lists_every_file():
    result = run_cli("check", SEEDS_DIR)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert sum(line.startswith("ok ") for line in lines) == 5
    assert "5 article(s) loaded" in lines[-1]


def test_check_on_bad_folder_names_each_file_with_reason_and_exits_1(bad_folder):
    result = run_cli("check", bad_folder)
    assert result.returncode == 1
    out = result.stdout
    assert "Traceback" not in out + result.stderr
    for name, code in [
        ("empty.txt", "empty"), ("binary.txt", "not_text"), ("good_copy.txt", "duplicate"),
        ("missing.txt", "missing_file"), ("report.pdf", "corrupt_file"), ("photo.png", "unsupported_type"), ("german.txt", "not_english"),
        ("unlisted.md", "no_metadata"), ("cp1252.txt", "legacy_encoding"),
    ]:
        line = next(line for line in out.splitlines() if f" {name}:" in line)
        assert f"[{code}]" in line
    assert "SKIPPED  binary.txt" in out and "loaded   german.txt" in out


def test_check_on_missing_folder_exits_2_without_traceback(tmp_path):
    result = run_cli("check", tmp_path / "nowhere")
    assert result.returncode == 2
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr


def test_check_on_folder_with_nothing_usable_exits_2(tmp_path):
    (tmp_path / "empty.txt").write_text("   ")
    result = run_cli("check", tmp_path)
    assert result.returncode == 2
    assert "Nothing to analyse" in result.stdout and "[empty]" in result.stdout


def test_check_on_a_file_instead_of_a_folder_exits_2(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Russia")
    result = run_cli("check", f)
    assert result.returncode == 2 and "not a folder" in result.stderr


def test_run_on_a_new_folder_writes_a_complete_output_folder(tmp_path):
    import json
    import shutil

    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS_DIR, folder)
    out = tmp_path / "out"
    result = run_cli("run", folder, "--out", out, "--notebooks", "01", "05")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (out / "tables" / "mentions.parquet").is_file() and (out / "tables" / "tone_by_outlet.csv").is_file()
    assert sorted(p.name for p in (out / "notebooks").iterdir()) == ["01_corpus_overview.ipynb", "05_briefing.ipynb"]
    assert (out / "html" / "05_briefing.html").stat().st_size > 10_000
    assert (out / "figures" / "01_articles_per_outlet.png").is_file()
    assert (out / "figures" / "05_tone_top_actors.svg").is_file()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["corpus"]["articles"]) == 5
    assert {"actors.csv", "frames.csv", "target_model.npz"} <= set(manifest["data_files"])
    assert manifest["dependencies"]["textblob"] and manifest["dependencies"]["vaderSentiment"]
    executed = json.loads((out / "notebooks" / "01_corpus_overview.ipynb").read_text(encoding="utf-8"))
    injected = [c for c in executed["cells"] if "injected-parameters" in c.get("metadata", {}).get("tags", [])]
    assert injected and str(folder) in "".join(injected[0]["source"])  # ran on the new folder, not the seeds
    images = [o for c in executed["cells"] for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    saved = [p for p in (out / "figures").glob("01_*.png")]
    assert len(images) == len(saved) == 4  # each figure shown once, from its saved PNG


def test_run_without_cache_reuses_nothing_and_leaves_the_cache_untouched(tmp_path, monkeypatch):
    import shutil

    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS_DIR, folder)
    user_cache = tmp_path / "user-cache"
    monkeypatch.setenv("ANALYSIS_CACHE_DIR", str(user_cache))
    result = run_cli("run", folder, "--out", tmp_path / "out", "--notebooks", "05", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "out" / "notebooks" / "05_briefing.ipynb").is_file()
    # The notebook read this run's own tables; it did not analyse the corpus into the user's cache.
    assert not user_cache.exists()


def test_run_on_a_folder_without_manifest_runs_the_keyness_notebook(tmp_path):
    """One outlet ('unknown' for every file): the keyness notebook says there is nothing to compare, no traceback."""
    import shutil

    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS_DIR, folder)
    (folder / "articles.csv").unlink()
    result = run_cli("run", folder, "--out", tmp_path / "out", "--notebooks", "04")
    assert result.returncode == 1, result.stdout + result.stderr  # done, with the missing manifest reported
    assert "no_manifest" in result.stdout and "Traceback" not in result.stderr
    assert (tmp_path / "out" / "figures" / "04_keyness.png").is_file()


def test_run_on_an_unusable_folder_exits_2_before_any_notebook(tmp_path):
    result = run_cli("run", tmp_path / "missing", "--out", tmp_path / "out")
    assert result.returncode == 2 and "does not exist" in result.stderr
    assert not (tmp_path / "out" / "notebooks").exists()


def test_evaluate_targets_defaults_to_the_best_installed_method(tmp_path):
    from analysis.models import scorers

    sample = tmp_path / "sample.jsonl"
    with open(EVAL_DIR / "rw_dev.jsonl", encoding="utf-8") as fh:
        sample.write_text("".join(fh.readline() for _ in range(30)), encoding="utf-8")
    result = run_cli("evaluate-targets", str(sample))
    assert result.returncode == 0, result.stderr
    # the shipped transformer where its extra is installed, the light model otherwise
    assert result.stdout.splitlines()[0] == f"method={scorers.best_available()}"
    assert result.stdout.strip().splitlines()[-1].startswith("F1m=")


def test_evaluate_targets_with_an_empty_model_dir_says_so_in_one_line(tmp_path):
    pytest.importorskip("torch")
    empty = tmp_path / "no_model"
    empty.mkdir()
    result = run_cli("evaluate-targets", EVAL_DIR / "rw_dev.jsonl", "--model-dir", empty)
    assert result.returncode == 2 and "no trained transformer model in" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
