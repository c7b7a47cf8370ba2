"""Figure titles that state the finding."""

import pandas as pd

from analysis.show import headlines


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
    tied = pd.DataFrame({"outlet": ["B", "A", "C"], "articles": [2, 2, 1]})
    assert headlines.largest_share(tied, "outlet", "articles", "articles") == "A and B have the most articles (2 each of 5)"
    even = pd.DataFrame({"outlet": ["A", "B"], "articles": [1, 1]})
    assert headlines.largest_share(even, "outlet", "articles", "articles") == "All 2 outlets have the same number of articles (1 each)"
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


def test_most_distinctive_names_the_highest_z_term_and_its_group():
    top = pd.DataFrame({"group": ["A", "A", "B"], "term": ["war", "peace", "türkiye"], "z": [2.0, 1.5, 4.25]})
    assert headlines.most_distinctive(top) == "“türkiye” sets B apart most (z = 4.2)"
    assert headlines.most_distinctive(top.iloc[0:0]) == "No distinctive terms"


def test_stance_summary_counts_edges_and_names_a_repeated_pair_only():
    table = pd.DataFrame({"holder_name": ["Putin", "Kim"], "target_name": ["Kim", "Putin"], "n": [3, 1],
                          "n_support": [2, 1], "n_oppose": [1, 0]})
    assert headlines.stance_summary(table) == "4 reported stances: 3 support, 1 opposition; most often Putin → Kim (n=3)"
    once = table.assign(n=[1, 1], n_support=[1, 1], n_oppose=[0, 0])
    assert headlines.stance_summary(once) == "2 reported stances: 2 support, 0 opposition, no pair more than once"


def test_naming_split_finds_the_concept_outlets_name_differently():
    names = pd.DataFrame({
        "outlet": ["G", "G", "R", "R", "S", "S", "G", "R"],
        "concept": ["us", "us", "us", "us", "us", "us", "kyiv", "kyiv"],
        "variant": ["US", "U.S.", "US", "U.S.", "US", "U.S.", "Kyiv", "Kyiv"],
        "count": [6, 0, 0, 4, 0, 2, 3, 5],
    })
    assert headlines.naming_split(names) == "Outlets differ on what to call us: “U.S.” in 2 outlets, “US” in 1 outlet"
    same = names[names["concept"] == "kyiv"]
    assert headlines.naming_split(same) == "Every outlet uses the same main name for each concept"


def test_most_cast_names_the_outlet_actor_and_role_with_most_articles():
    import pandas as pd

    from analysis.show.headlines import most_cast

    summary = pd.DataFrame([
        {"name": "Russia", "outlet": "A", "role": "villain", "n_articles": 5, "k": 4, "share": 0.8, "small_n": False},
        {"name": "Kyiv", "outlet": "B", "role": "victim", "n_articles": 9, "k": 3, "share": 0.33, "small_n": False},
        {"name": "NATO", "outlet": "B", "role": "hero", "n_articles": 2, "k": 2, "share": 1.0, "small_n": True},
    ])
    assert most_cast(summary) == "Russia is cast as villain most often: in 4 articles from 1 outlet"
    two = pd.concat([summary, summary.assign(outlet="C", name="Kyiv", role="victim", k=2)], ignore_index=True)
    assert most_cast(two) == "Kyiv is cast as victim most often: in 9 articles from 2 outlets"
    assert most_cast(summary.assign(k=0)).startswith("No actor is cast")
