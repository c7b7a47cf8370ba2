"""python -m analysis check: one line per file, a summary, exit codes, no tracebacks."""

import subprocess
import sys

from analysis.config import SEEDS_DIR


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
        ("missing.txt", "missing_file"), ("report.pdf", "unsupported_type"), ("german.txt", "not_english"),
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
