"""Tests for analysis/models/frames_model.py: n-grams, TF-IDF, the shipped weights, training reproduced."""

import json

import numpy as np
import pytest

from analysis.models import frames_model


def test_ngrams_skip_one_letter_words():
    grams = frames_model.ngrams("A carbon tax for U.S. firms")
    assert grams[:4] == ["carbon", "tax", "for", "firms"]
    assert "carbon tax" in grams and "for firms" in grams and "a carbon" not in grams


def test_tfidf_rows_have_unit_length_and_sublinear_counts():
    vocabulary = ["carbon", "tax"]
    rows = frames_model.tfidf([["carbon", "carbon", "carbon", "tax"], ["other"]], vocabulary, np.array([1.0, 1.0]))
    assert np.linalg.norm(rows[0]) == pytest.approx(1.0)
    assert rows[0, 0] / rows[0, 1] == pytest.approx(1 + np.log(3))
    assert not rows[1].any()


def test_shipped_model_is_small_plain_json_and_scores_the_five_frames():
    assert frames_model.MODEL_PATH.stat().st_size < 1_000_000
    data = json.loads(frames_model.MODEL_PATH.read_text(encoding="utf-8"))
    assert data["frames"] == list(frames_model.FRAMES)
    assert len(data["coef"]) == 5 and len(data["coef"][0]) == len(data["vocabulary"]) + 5
    assert (frames_model.MODEL_DIR / "LICENSE").read_text().startswith("MIT License")
    assert (frames_model.MODEL_DIR / "MODEL_CARD.md").exists()
    model = frames_model.load()
    p = model.probabilities(["The strike over wages hit the economy.", ""], np.zeros((2, 5)))
    assert p.shape == (2, 5) and ((p > 0) & (p < 1)).all()


def test_scoring_one_article_at_a_time_equals_the_dense_design():
    model = frames_model.load()
    texts = ["Protesters clashed with police over the climate plan.", "Families lost their homes to the fire."]
    rates = np.array([[1.0, 0.0, 20.0, 0.0, 0.0], [0.0, 30.0, 0.0, 0.0, 2.0]])
    dense = frames_model.tfidf([frames_model.ngrams(t) for t in texts], model.vocabulary, model.idf)
    scaled = model.rate_weight * (np.log1p(rates) - model.rate_mean) / model.rate_sd
    expected = 1 / (1 + np.exp(-(np.hstack([dense, scaled]) @ model.coef.T + model.intercept)))
    assert model.probabilities(texts, rates) == pytest.approx(expected)


TRAIN = [
    ("The city council approved a plan to build solar farms and cut emissions by half.", [1, 0, 0, 0, 0]),
    ("Engineers proposed a new technology to solve the water shortage in the region.", [1, 0, 0, 0, 0]),
    ("A mother of two wept as she described losing her home and her children's toys.", [0, 1, 0, 0, 0]),
    ("The family said their grief was unbearable after the storm took their father.", [0, 1, 0, 0, 0]),
    ("Republicans attacked the Democrats' bill, and critics accused the senator of lying.", [0, 0, 1, 0, 0]),
    ("Activists clashed with the oil company, which rejected their accusations.", [0, 0, 1, 0, 0]),
    ("The bishop said it was a moral duty and a sin against God to ignore the poor.", [0, 0, 0, 1, 0]),
    ("Church leaders called the decision evil and a betrayal of our values.", [0, 0, 0, 1, 0]),
    ("The tax will cost the economy billions of dollars and thousands of jobs.", [0, 0, 0, 0, 1]),
    ("Prices rose as investors pulled money from the energy market.", [0, 0, 0, 0, 1]),
]


def test_training_is_deterministic_and_writes_the_same_bytes(tmp_path):
    pytest.importorskip("sklearn")
    texts = [t for t, _ in TRAIN] * 2
    labels = np.array([y for _, y in TRAIN] * 2)
    rates = np.zeros((len(texts), 5))
    cues = {f: "x" for f in frames_model.FRAMES}
    paths = [frames_model.save(frames_model.fit(texts, rates, labels, cues), tmp_path / f"m{k}.json") for k in (1, 2)]
    assert paths[0].read_bytes() == paths[1].read_bytes()
    model = frames_model.load(paths[0])
    p = model.probabilities(["The moral duty of the church before God.", "Billions of dollars in tax and jobs."],
                            np.zeros((2, 5)))
    assert p[0, 3] > p[1, 3] and p[1, 4] > p[0, 4]  # morality, economic


def test_folds_are_fixed_and_balanced():
    fold = frames_model.folds(23)
    assert (fold == frames_model.folds(23)).all()
    assert sorted(np.bincount(fold).tolist()) == [4, 4, 5, 5, 5]
