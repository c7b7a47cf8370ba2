"""Figure titles that state the finding."""

import pandas as pd

from analysis import headlines


def tone(rows):
    return pd.DataFrame(rows, columns=["name", "outlet", "mean", "n", "small_n"])


def test_tone_extremes_ignore_small_cells():
    t = tone([("Putin", "A", -0.5, 10, False), ("Putin", "B", -0.9, 1, True), ("Zelenskyy", "A", 0.4, 8, False)])
    assert headlines.tone_extremes(t) == "Most negative: Putin in A (-0.50); most positive: Zelenskyy in A (+0.40)"
    assert headlines.tone_extremes(tone([("Putin", "B", -0.9, 1, True)])).startswith("Too few")


def test_widest_gap_names_the_actor_and_both_outlets():
    t = tone([("Putin", "A", -0.1, 10, False), ("Putin", "B", 0.0, 9, False),
              ("Trump", "A", -0.3, 10, False), ("Trump", "B", 0.3, 10, False), ("Trump", "C", 0.9, 1, True)])
    assert headlines.widest_gap(t) == "Outlets differ most on Trump: -0.30 in A, +0.30 in B"


def test_largest_share_and_length_range():
    per = pd.DataFrame({"outlet": ["A", "B"], "articles": [3, 1]})
    assert headlines.largest_share(per, "outlet", "articles", "articles") == "A has the most articles (3 of 4)"
    lengths = pd.DataFrame({"n_words": [1200, 640]})
    assert headlines.length_range(lengths) == "Articles run from 640 to 1,200 body words"


def test_furniture_share():
    kinds = pd.DataFrame({"article_id": ["a", "b"], "body": [8, 10], "boilerplate": [2, 0], "total": [10, 10]})
    assert headlines.furniture_share(kinds) == "10% of paragraphs are titles, bylines or page furniture, most in a"
    clean = pd.DataFrame({"article_id": ["a"], "body": [5], "total": [5]})
    assert headlines.furniture_share(clean).startswith("Every paragraph")


def test_leading_term_and_frame():
    top = pd.DataFrame({"group": ["A", "A", "B", "C"], "term": ["russia", "war", "russia", "kyiv"],
                        "rate": [50.0, 40.0, 30.0, 60.0]})
    assert headlines.leading_term(top) == "“russia” tops the list in 2 of 3 outlets"
    shares = pd.DataFrame({"outlet": ["A", "A", "B"], "frame": ["conflict", "security_defense", "conflict"],
                           "share": [0.2, 0.6, 0.5]})
    assert headlines.leading_frame(shares) == "“conflict” is the most common frame in 1 of 2 outlets"
