"""Where the target-aware method and the sentence lexicons part ways (notebook 02)."""

import numpy as np
import pandas as pd

from analysis.measure.tone import (
    compare_methods,
    confident_disagreements,
    method_agreement,
)
from analysis.models.targets import LEXICON_THRESHOLDS


def _tone(rows):
    cols = ["article_id", "outlet", "name", "voice", "target_label", "sentence_vader", "sentence_polarity",
            "p_neg", "p_neu", "p_pos", "sentence_text"]
    return pd.DataFrame(rows, columns=cols)


def test_labels_use_the_thresholds_tuned_on_train_and_compare_per_mention():
    lo, hi = LEXICON_THRESHOLDS["vader"]
    tone = _tone([
        ("a", "X", "Putin", "outlet", -1, lo - 0.1, -0.5, 0.8, 0.1, 0.1, "s1"),  # all negative
        ("a", "X", "Putin", "outlet", -1, hi + 0.1, 0.0, 0.6, 0.3, 0.1, "s2"),  # VADER positive, TextBlob neutral
        ("b", "Y", "Zelenskyy", "quoted", 1, (lo + hi) / 2, 0.5, 0.1, 0.2, 0.7, "s3"),  # VADER neutral
    ])
    out = compare_methods(tone)
    assert out["target"].tolist() == ["negative", "negative", "positive"]
    assert out["vader"].tolist() == ["negative", "positive", "neutral"]
    assert out["textblob"].tolist() == ["negative", "neutral", "positive"]
    assert out["agree_vader"].tolist() == [True, False, False]
    assert out["agree_textblob"].tolist() == [True, False, True]
    assert np.allclose(out["confidence"], [0.8, 0.6, 0.7])

    summary = method_agreement(out, min_n=2)
    putin = summary.set_index("name").loc["Putin"]
    assert putin["n"] == 2 and putin["agree_vader"] == 0.5 and putin["target_negative"] == 1.0
    assert putin["vader_negative"] == 0.5 and not putin["small_n"]
    assert summary["name"].tolist() == ["Putin", "Zelenskyy"]  # most mentions first
    assert bool(summary.set_index("name").loc["Zelenskyy", "small_n"])


def test_a_lexicon_target_method_has_no_confidence_and_empty_input_is_fine():
    tone = _tone([("a", "X", "Putin", "outlet", 0, 0.0, 0.0, np.nan, np.nan, np.nan, "s")])
    out = compare_methods(tone)
    assert out["confidence"].isna().all()
    assert method_agreement(out.iloc[0:0]).empty


def test_confident_disagreements_are_opposite_polar_labels_most_confident_first():
    lo, hi = LEXICON_THRESHOLDS["vader"]
    tone = _tone([
        ("a", "X", "Putin", "outlet", -1, hi + 0.1, 0.0, 0.6, 0.3, 0.1, "opposite, less sure"),
        ("a", "X", "Putin", "outlet", -1, (lo + hi) / 2, 0.0, 0.9, 0.05, 0.05, "VADER neutral: not opposite"),
        ("b", "Y", "Kim", "outlet", 1, lo - 0.1, 0.0, 0.1, 0.1, 0.8, "opposite, sure"),
        ("b", "Y", "Kim", "outlet", 1, hi + 0.1, 0.0, 0.05, 0.05, 0.9, "agree"),
    ])
    out = confident_disagreements(compare_methods(tone))
    assert out["sentence_text"].tolist() == ["opposite, sure", "opposite, less sure"]
    assert confident_disagreements(compare_methods(tone), n=1)["name"].tolist() == ["Kim"]
