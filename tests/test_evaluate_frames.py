"""Tests for analysis/run/evaluate_frames.py: evaluate-frames and its metrics, on small task files written here."""

import json

import numpy as np
import pytest

from analysis.run import cli
from analysis.run import evaluate_frames as ef
from analysis.run.evaluate import split_key

ARTICLES = [
    ("Republicans attacked the plan, and critics accused the governor of lying to voters.",
     {"resolution": False, "human_interest": False, "conflict": True, "morality": False, "economic": False}),
    ("The new tax will cost the economy billions and thousands of jobs, economists said.",
     {"resolution": False, "human_interest": False, "conflict": False, "morality": False, "economic": True}),
    ("A mother and her children lost their home in the flood; the family is staying with friends.",
     {"resolution": False, "human_interest": True, "conflict": False, "morality": False, "economic": False}),
    ("The council proposed a solution: a plan to solve the shortage with new wells.",
     {"resolution": True, "human_interest": False, "conflict": False, "morality": False, "economic": False}),
    ("The pastor said it was a moral failure before God to ignore the poor.",
     {"resolution": False, "human_interest": False, "conflict": False, "morality": True, "economic": False}),
]


def task_file(tmp_path, articles=ARTICLES, ids=None):
    path = tmp_path / "frames.jsonl"
    lines = [json.dumps({"id": ids[k] if ids else f"t:{k}", "source": "test", "outlet": "x", "bias": None,
                         "date": None, "text": text, "frames": labels, "roles": []})
             for k, (text, labels) in enumerate(articles)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_metrics_macro_f1_of_the_five_frames():
    truth = np.array([[1, 0, 1, 0, 0], [0, 0, 1, 0, 1]], dtype=bool)
    found = np.array([[1, 0, 1, 0, 1], [0, 0, 0, 0, 1]], dtype=bool)
    m = ef.metrics(truth, found)
    assert m["frames"]["resolution"]["F1"] == 1.0
    assert m["frames"]["conflict"]["F1"] == pytest.approx(2 / 3)
    assert m["frames"]["economic"]["F1"] == pytest.approx(2 / 3)
    assert m["frames"]["human_interest"]["F1"] == 0.0  # no gold, none found: 0, as the figure is reported
    assert m["F1m"] == pytest.approx((1 + 0 + 2 / 3 + 0 + 2 / 3) / 5)
    assert ef.last_line(m) == ("F1m=0.467 resolution=1.000 human_interest=0.000 conflict=0.667 morality=0.000 "
                               "economic=0.667 n=2")


def test_keywords_baseline_finds_the_obvious_words(tmp_path):
    items = ef.read_frames_task(task_file(tmp_path))
    found = ef.predict(items, "keywords")
    assert found[1, 4] and found[2, 1] and found[3, 0] and found[4, 3]  # economic, human interest, resolution, morality


def test_cli_last_line_and_split(tmp_path, capsys):
    path = task_file(tmp_path)
    assert cli.main(["evaluate-frames", str(path), "--method", "dictionary"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("F1m=") and last.endswith(" n=5")
    assert [kv.split("=")[0] for kv in last.split()] == ["F1m", "resolution", "human_interest", "conflict", "morality",
                                                        "economic", "n"]
    holdout = sum(split_key(f"t:{k}") == "holdout" for k in range(5))
    code = cli.main(["evaluate-frames", str(path), "--method", "keywords", "--split", "holdout"])
    out, err = capsys.readouterr()
    if holdout:
        assert code == 0 and out.strip().endswith(f"n={holdout}")
    else:
        assert code == 2 and err.startswith("error:")


def test_cli_classifier_scores_holdout_articles_with_the_shipped_model(tmp_path, capsys):
    ids = [k for k in (f"t:{n}" for n in range(200)) if split_key(k) == "holdout"][:5]
    path = task_file(tmp_path, ids=ids)
    assert cli.main(["evaluate-frames", str(path), "--split", "holdout"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].endswith(" n=5")


@pytest.mark.parametrize("line, message", [
    ("{not json", "line 2 is not JSON"),
    (json.dumps({"id": "t:9", "text": "x", "frames": {"conflict": True}}), "line 2: frames must give"),
    (json.dumps({"id": "t:9", "frames": {}}), "line 2 lacks text"),
])
def test_cli_bad_task_line_exits_2_with_one_error_line(tmp_path, capsys, line, message):
    path = task_file(tmp_path, ARTICLES[:1])
    path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    assert cli.main(["evaluate-frames", str(path), "--method", "keywords"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error:") and message in err[0]


def test_cli_missing_file_and_dictionary_without_thresholds_exit_2(tmp_path, capsys):
    assert cli.main(["evaluate-frames", str(tmp_path / "none.jsonl"), "--method", "keywords"]) == 2
    assert capsys.readouterr().err.startswith("error:")
    own = tmp_path / "own.csv"
    own.write_text("frame,family,definition,cues\n" + "".join(f"{f},x,d,word\n" for f in ef.FRAMES), encoding="utf-8")
    assert cli.main(["evaluate-frames", str(task_file(tmp_path)), "--method", "dictionary", "--frames", str(own)]) == 2
    assert "per_1000_words" in capsys.readouterr().err


def test_calibrate_reads_only_the_tune_split(tmp_path):
    tune_ids = [k for k in (f"t:{n}" for n in range(50)) if split_key(k) == "tune"][:5]
    items = ef.read_frames_task(task_file(tmp_path, ids=tune_ids))
    chosen = ef.calibrate(items)
    assert set(chosen) == set(ef.FRAMES) and all(v >= 0 for v in chosen.values())
    holdout_ids = [k for k in (f"t:{n}" for n in range(50)) if split_key(k) == "holdout"][:5]
    with pytest.raises(ValueError, match="tune"):
        ef.calibrate(ef.read_frames_task(task_file(tmp_path, ids=holdout_ids)))
