"""Tests for analysis.models.targets: target contexts, masking, methods, shipped model, CLI."""

from __future__ import annotations

import re
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.models import context, features
from analysis.models import targets as T
from analysis.run import commands

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "newsmtsc"
SENT = "Putin praised the deal but Zelenskyy rejected it"
PUTIN, ZEL = (0, 5), (27, 36)
LAST_LINE = re.compile(r"^F1m=\d\.\d{3} accuracy=\d\.\d{3} n=\d+$")


def _ctx(text, span, others=()):
    lo, hi = T.target_context(text, *span, other_spans=others)
    return text[lo:hi]


def test_contexts_split_at_but_and_other_targets():
    assert _ctx(SENT, PUTIN, [ZEL]) == "Putin praised the deal"
    assert _ctx(SENT, ZEL, [PUTIN]) == "Zelenskyy rejected it"


def test_context_at_sentence_start_and_end():
    text = "Merkel spoke first; the minister later resigned in protest over Johnson"
    start = text.index("Johnson")
    assert _ctx(text, (0, 6)) == "Merkel spoke first"
    assert _ctx(text, (start, len(text))) == "the minister later resigned in protest over Johnson"


def test_context_falls_back_to_word_window_and_keeps_mention():
    words = [f"w{i}" for i in range(40)]
    text = " ".join(words[:20] + ["Obama"] + words[20:])
    start = text.index("Obama")
    lo, hi = T.target_context(text, start, start + 5, n_words=3)
    assert text[lo:hi] == "w17 w18 w19 Obama w20 w21 w22"


def test_context_keeps_verb_when_targets_are_adjacent():
    text = "Putin and Zelenskyy met in Istanbul"
    assert _ctx(text, PUTIN, [(10, 19)]) == text


def test_features_mask_mention_and_other_targets():
    names, numeric = T.target_features(SENT, *PUTIN, others=[ZEL])
    joined = " ".join(names).lower()
    assert "putin" not in joined and "zelenskyy" not in joined
    assert "r1=praised" in names and "l1=<s>" in names
    assert "S:OTHER" in names and "W:TARGET praised" in names
    assert numeric.shape == (T.N_NUMERIC,)


def test_features_at_sentence_edges_and_several_targets():
    text = "Obama praised Merkel, Macron and the plan"
    obama, merkel, macron = (0, 5), (14, 20), (22, 28)
    names, _ = T.target_features(text, *obama, others=[merkel, macron])
    assert "l1=<s>" in names and "l3=<s>" in names and "r1=praised" in names
    assert "r2=OTHER" in names and "r3=," in names
    assert "W:TARGET praised OTHER" in names
    names, _ = T.target_features(text, *merkel, others=[obama, macron])
    assert "l1=praised" in names and "l2=OTHER" in names and "r2=OTHER" in names
    assert "S:OTHER praised TARGET" not in names  # sentence n-grams stop at bigrams
    assert "S:OTHER praised" in names and "S:praised TARGET" in names
    names, _ = T.target_features(text, len(text) - 4, len(text), others=[obama, merkel, macron])
    assert "r1=</s>" in names and "l1=the" in names
    assert not any(n.startswith("R:") for n in names)
    # the mention's own words never leak into the features, at any edge
    for span in (obama, merkel, macron):
        names, _ = T.target_features(text, *span, others=[o for o in (obama, merkel, macron) if o != span])
        word = text[slice(*span)].lower()
        assert not any(word in n.lower() for n in names)


def test_word_lexicon_features_follow_the_target():
    names, numeric = T.target_features(SENT, *PUTIN, others=[ZEL])
    assert numeric.shape == (T.N_NUMERIC,)
    np.testing.assert_array_equal(numeric[: features._N_LEX], T.lexicon_scores(SENT))
    assert "X:rw:+:1" in names and not any(n.startswith("X:") and n.endswith("-") for n in names)
    names, _ = T.target_features(SENT, *ZEL, others=[PUTIN])
    assert "X:rw:-:1" in names and "X:cr:-" in names


def test_word_valences_flip_after_negation():
    text = "He did not praise the plan, but praised the deal"
    vader, pattern = features._word_valences(text, 3)
    norm = context.token_data(text)[3]
    first, second = norm.index("praise"), len(norm) - 3
    assert norm[second] == "praised"
    assert vader[first] < 0 < vader[second]
    assert vader[first] == -features._word_lexicons()[0]["praise"]  # "not" flips it
    assert pattern[norm.index("plan")] == 0.0  # not in the lexicon


def test_lexicon_features_do_not_run_the_analysers_on_parts(monkeypatch):
    calls = []
    real = T.lexicon_scores.__wrapped__

    def spy(text):
        calls.append(text)
        return real(text)

    monkeypatch.setattr(features, "lexicon_scores", spy)  # where target_features looks it up
    T.target_features(SENT, *PUTIN, others=[ZEL])
    T.target_features(SENT, *ZEL, others=[PUTIN])
    assert set(calls) == {SENT}


def test_shipped_model_loads_offline_and_matches_its_features():
    model = T.load_light_model()
    cfg = model["config"]
    assert model["coef"].shape == (3, (1 << cfg["n_bits"]) + T.N_NUMERIC)
    assert model["num_mean"].shape == (T.N_NUMERIC,) == model["num_scale"].shape
    assert model["meta"]["n_numeric"] == T.N_NUMERIC
    assert model["meta"]["train_file"] == "train.jsonl"
    assert list(model["classes"]) == list(T.LABELS)


def test_window_method_gives_each_target_its_own_tone():
    df = pd.DataFrame({"text": [SENT, SENT], "start": [0, 27], "end": [5, 36]})
    out = T.score_targets(df, method="window")
    assert out.target_label.tolist() == [1, -1]
    # the whole-sentence methods cannot tell them apart
    vader = T.score_targets(df, method="vader")
    assert vader.target_score.iloc[0] == vader.target_score.iloc[1]


def test_explicit_other_spans_column_and_no_mutation():
    df = pd.DataFrame({"text": [SENT], "start": [0], "end": [5], "others": [[ZEL]]})
    before = df.copy()
    out = T.score_targets(df, method="window", other_spans_col="others")
    pd.testing.assert_frame_equal(df, before)
    assert out.target_label.iloc[0] == 1
    assert {"target_label", "target_score"} <= set(out.columns) and "target_label" not in df


def test_unknown_method_is_rejected():
    with pytest.raises(ValueError):
        T.score_targets(pd.DataFrame({"text": ["x"], "start": [0], "end": [1]}), method="bert")


def test_read_newsmtsc_rows_and_labels(tmp_path):
    path = tmp_path / "one.jsonl"
    path.write_text(
        '{"primary_gid": "g", "sentence_normalized": "Ann hates Bob.", "targets": ['
        '{"Input.gid": "a", "from": 0, "to": 3, "mention": "Ann", "polarity": 2.0},'
        '{"Input.gid": "b", "from": 10, "to": 13, "mention": "Bob", "polarity": 4.0}]}\n',
        encoding="utf-8",
    )
    df = T.read_newsmtsc(path)
    assert list(df.columns) == ["text", "start", "end", "mention", "label"]
    assert df.label.tolist() == [-1, 0] and df.end.tolist() == [3, 13]


def test_model_probabilities_are_consistent():
    df = pd.DataFrame(
        {
            "text": [SENT, SENT, "The senator was praised for her courage."],
            "start": [0, 27, 4],
            "end": [5, 36, 11],
        }
    )
    out = T.score_targets(df)
    p = out[["p_neg", "p_neu", "p_pos"]].to_numpy()
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(out.target_score, p[:, 2] - p[:, 0])
    assert out.target_label.tolist() == (np.array([-1, 0, 1])[p.argmax(axis=1)]).tolist()
    assert out.target_label.iloc[2] == 1


def test_model_file_is_plain_arrays_with_provenance():
    with np.load(T.MODEL_PATH, allow_pickle=False) as z:  # fails on pickled objects
        assert z["coef"].dtype == np.float32
    meta = T.load_light_model()["meta"]
    assert meta["format_version"] == T.FORMAT_VERSION
    assert re.fullmatch(r"[0-9a-f]{64}", meta["train_sha256"])
    assert T.MODEL_PATH.stat().st_size < 5_000_000


def test_shipped_model_reproduces_its_published_dev_figures():
    """The figures in the README's validation table, written down here, not read back from the model."""
    for name, published, accuracy, n in (("rw_dev.jsonl", 0.713, 0.738, 343), ("mt_dev.jsonl", 0.628, 0.636, 442)):
        _, metrics = T.evaluate_targets(DATA / name, "model")
        assert metrics["macro_f1"] == pytest.approx(published, abs=5e-4)
        assert metrics["accuracy"] == pytest.approx(accuracy, abs=5e-4)
        assert metrics["n"] == n


def test_cli_last_line_format(capsys):
    assert commands.evaluate_targets_cli(str(DATA / "rw_dev.jsonl"), "model") == 0
    last = capsys.readouterr().out.rstrip("\n").splitlines()[-1]
    assert LAST_LINE.match(last), last


@pytest.mark.parametrize("content", ["not json\n", '{"sentence_normalized": "x"}\n', ""])
def test_cli_malformed_file_exits_2_without_traceback(tmp_path, content):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content, encoding="utf-8")
    code = (
        "import sys; from analysis.run.commands import evaluate_targets_cli as f;"
        f"sys.exit(f({str(bad)!r}, 'vader'))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_cli_missing_file_exits_2(tmp_path, capsys):
    assert commands.evaluate_targets_cli(str(tmp_path / "nope.jsonl"), "window") == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "Traceback" not in err


# --------------------------------------------------------------------------
# Fast paths of the model features agree with their literal definitions
# --------------------------------------------------------------------------

_TRICKY = [
    SENT,
    "Merkel said: the deal's terms aren't fair - but Macron, who’d signed it, disagreed.",
    "rock’n’roll's end x' y ab'c'd é café über -- “quoted” (aside); Putin’s plan? Yes!",
    "   leading and trailing spaces   ",
    "",
]


def _literal_clamp(text, start, end, lo, hi, n_words):
    toks = [(m.group(), m.start(), m.end()) for m in context._TOKEN_RE.finditer(text)]
    left = [t for t in toks if lo <= t[1] and t[2] <= start]
    right = [t for t in toks if t[1] >= end and t[2] <= hi]
    if len(left) > n_words:
        lo = left[-n_words][1]
    if len(right) > n_words:
        hi = right[n_words - 1][2]
    return lo, hi


def test_cached_tokens_match_the_regex():
    for text in _TRICKY:
        expected = [(m.group(), m.start(), m.end()) for m in context._TOKEN_RE.finditer(text)]
        assert list(context._tokens(text)) == expected
        assert list(context._tokens(text)) == expected  # second call: from the cache


def test_clamp_words_bisect_matches_literal_definition():
    rng = np.random.default_rng(0)
    for text in _TRICKY:
        n = len(text)
        for _ in range(300):
            start = int(rng.integers(0, n + 1))
            end = int(rng.integers(start, n + 1))
            lo = int(rng.integers(0, start + 1))
            hi = int(rng.integers(end, n + 1))
            for n_words in (0, 1, 2, 3, 12):
                assert context._clamp_words(text, start, end, lo, hi, n_words) == _literal_clamp(
                    text, start, end, lo, hi, n_words
                )


def test_clause_tokens_reused_from_sentence_match_tokenising_the_slice():
    rng = np.random.default_rng(1)
    for text in _TRICKY:
        n = len(text)
        for _ in range(400):
            start = int(rng.integers(0, n + 1))
            end = int(rng.integers(start, min(n, start + 12) + 1))
            lo = int(rng.integers(0, start + 1))
            hi = int(rng.integers(end, n + 1))
            others = sorted(
                {(int(s), int(s) + int(rng.integers(0, 8))) for s in rng.integers(0, n + 1, 3)}
            )
            expected, _ = features._masked_tokens(
                text[lo:hi],
                start - lo,
                end - lo,
                [(s - lo, e - lo) for s, e in others if lo <= s and e <= hi],
            )
            assert features._context_masked_tokens(text, start, end, others, lo, hi) == expected


def _literal_mask(starts, ends, norm, start, end, others):
    """The masking rule token by token (what ``_mask_range`` does by bisection)."""
    out, t_idx, masked_other = [], -1, None
    for s, e, tok in zip(starts, ends, norm):
        if s < end and e > start:
            if t_idx < 0:
                t_idx = len(out)
                out.append("TARGET")
            continue
        span = next((o for o in others if s < o[1] and e > o[0]), None)
        if span is not None:
            if span != masked_other:
                out.append("OTHER")
                masked_other = span
            continue
        masked_other = None
        out.append(tok)
    if t_idx < 0:
        t_idx = sum(1 for s in starts if s < start)
        out.insert(t_idx, "TARGET")
    return out, t_idx


def test_masking_by_bisection_follows_the_token_by_token_rule():
    rng = np.random.default_rng(2)
    for text in _TRICKY + [SENT, "Kim met Kim, then Kim  met   Putin and Kim again ."]:
        _, starts, ends, norm = context.token_data(text)
        n = len(text)
        for _ in range(400):
            start = int(rng.integers(0, n + 1))
            end = int(rng.integers(start, min(n, start + 12) + 1))
            # other spans anywhere, overlapping each other or the mention, some empty, some repeated
            others = [(int(s), int(s) + int(rng.integers(0, 9))) for s in rng.integers(0, n + 1, int(rng.integers(0, 5)))]
            others += others[:1]
            a = int(rng.integers(0, len(starts) + 1))
            b = int(rng.integers(a, len(starts) + 1))
            expected = _literal_mask(starts[a:b], ends[a:b], norm[a:b], start, end, others)
            assert features._mask_range(starts, ends, norm, a, b, start, end, others) == expected


def test_hash_rows_memo_matches_crc32_per_string():
    import zlib

    rows = [["BIAS", "S:a", "S:a b", "W:é"], ["BIAS", "S:a"], [], ["C:x", "C:x"]]
    mask = (1 << 10) - 1
    X = features._hash_rows(rows, 10)
    for i, names in enumerate(rows):
        expected = sorted({zlib.crc32(n.encode("utf-8")) & mask for n in names})
        assert X.indices[X.indptr[i] : X.indptr[i + 1]].tolist() == expected


def test_model_scores_do_not_depend_on_token_caches():
    df = pd.DataFrame(
        {"text": [SENT, SENT, _TRICKY[1]], "start": [0, 27, 0], "end": [5, 36, 6]}
    )
    first = T.score_targets(df, method="model")
    context.token_data.cache_clear()
    context.clause_cuts.cache_clear()
    pd.testing.assert_frame_equal(T.score_targets(df, method="model"), first, check_exact=True)
    pd.testing.assert_frame_equal(T.score_targets(df, method="model"), first, check_exact=True)


def test_validation_table_and_line_match_evaluate_targets():
    table = T.validation("vader")
    assert list(table["dev set"]) == ["mt_dev", "rw_dev"]
    rw = T.evaluate_targets(DATA / "rw_dev.jsonl", "vader")[1]
    assert table.set_index("dev set").loc["rw_dev", "macro_f1"] == rw["macro_f1"]
    assert T.validation_line(table) == f"mt_dev {table['macro_f1'][0]:.2f}, rw_dev {rw['macro_f1']:.2f}"


def test_validation_is_cached_by_method_model_and_dev_files(tmp_path):
    from analysis.run.cache import Cache

    first = Cache(tmp_path)
    table = T.validation("vader", store=first)
    assert (first.hits, first.misses) == (0, 1)
    again = Cache(tmp_path)
    pd.testing.assert_frame_equal(T.validation("vader", store=again), table)
    assert (again.hits, again.misses) == (1, 0)
    other = Cache(tmp_path)
    T.validation("textblob", store=other)
    assert other.misses == 1  # another method, another key


def test_hash_rows_is_binary_with_sorted_columns_when_strings_collide():
    # 2 bits: many strings share a column; each row still lists a column once, in order, with value 1.
    rows = [[f"S:w{i}" for i in range(40)], ["BIAS", "BIAS"], [], ["L:x"] * 3 + ["R:x"]]
    X = features._hash_rows(rows, 2)
    assert X.shape == (4, 4)
    assert X.has_canonical_format and set(X.data.tolist()) == {1.0}
    assert X.getnnz(axis=1).tolist() == [4, 1, 0, len({zlib.crc32(n.encode()) & 3 for n in ("L:x", "R:x")})]
