"""Tests for analysis/count/terms.py: tokenizer, term tables, keyness (Fightin' Words), actor context."""

import math
import re

import numpy as np
import pandas as pd
import pytest

from analysis.count import keyness as keyness_module
from analysis.count import terms
from analysis.count import tokenize as tokenize_module
from analysis.count.keyness import keyness, keyness_from_counts
from analysis.count.terms import Tokenizer, term_table, tokenize


def paragraphs(rows):
    """Inline paragraphs table: rows of (article_id, outlet, text[, kind])."""
    frame = pd.DataFrame(
        [(r[0], i, r[1], r[2], r[3] if len(r) > 3 else "body") for i, r in enumerate(rows)],
        columns=["article_id", "paragraph", "outlet", "text", "kind"],
    )
    frame["n_words"] = frame["text"].str.split().str.len()
    frame["date"] = pd.Timestamp("2025-08-01")
    return frame


# --- tokenizer -------------------------------------------------------------


def test_possessives_curly_and_straight_are_dropped():
    assert tokenize("Trump’s plan and Trump's team, the allies’ fears") == ["trump", "plan", "trump", "team", "allies", "fears"]


def test_numbers_and_single_letters_are_not_terms():
    assert tokenize("Over 11,000 troops in 2024, the 21st year; N. Korea") == ["troops", "year", "korea"]


def test_capital_us_is_the_country_and_lowercase_us_is_a_stopword():
    assert tokenize("Tell us about the US and the U.S. now") == ["tell", "u.s.", "u.s."]


def test_dotted_abbreviation_survives_hyphen_and_possessive():
    assert tokenize("U.S.-Russia talks and the U.S.’s role") == ["u.s.", "russia", "talks", "u.s.", "role"]


def test_hyphens_split_names_but_keep_common_compounds():
    assert tokenize("Trump-Putin summit on long-range cease-fire plans") == ["trump", "putin", "summit", "long-range", "cease-fire", "plans"]


def test_diacritics_are_kept():
    assert tokenize("Türkiye hosts talks") == ["türkiye", "hosts", "talks"]


def test_phrases_are_one_term_and_dicts_merge_spellings():
    assert tokenize("North Korea’s Kim Jong-un", phrases=["North Korea", "Kim Jong-un"]) == ["north_korea", "kim_jong-un"]
    merged = tokenize("Vladimir Putin met Putin's aides", phrases={"Vladimir Putin": "putin", "Putin": "putin"})
    assert merged == ["putin", "met", "putin", "aides"]


def test_short_capital_aliases_match_capitals_only():
    assert tokenize("The UN said un-named officials", phrases={"UN": "united_nations"}) == ["united_nations", "un-named", "officials"]


def test_ngrams_do_not_cross_punctuation_or_start_or_end_with_stopwords():
    got = Tokenizer(ngram_range=(2, 3))("Secretary of State Rubio, peace talks.")
    assert got == ["state rubio", "secretary of state", "peace talks"]


def test_stopwords_extend_and_replace():
    assert tokenize("the war and peace", extra_stopwords=["peace"]) == ["war"]
    assert tokenize("the war", stopwords=[]) == ["the", "war"]


def test_stopword_file_is_documented_and_keeps_domain_words():
    text = terms.STOPWORDS_PATH.read_text(encoding="utf-8")
    assert text.startswith("#")
    words = terms.load_stopwords()
    assert {"the", "us", "said", "don't"} <= words
    assert not {"war", "front", "fire", "side", "u.s."} & words


def test_actor_phrases_map_aliases_to_ids():
    actors = pd.DataFrame({
        "id": ["north_korea", "united_states"],
        "name": ["North Korea", "United States"],
        "aliases": [("North Korea", "DPRK"), "United States|U.S.|US"],
    })
    mapping = terms.actor_phrases(actors)
    assert tokenize("The DPRK and North Korea; the US, U.S. and United States", phrases=mapping) == [
        "north_korea", "north_korea", "united_states", "united_states", "united_states",
    ]


# --- term tables -----------------------------------------------------------


def test_term_table_counts_rates_df_and_tfidf_by_hand():
    p = paragraphs([
        ("a1", "X", "war war peace"),
        ("a2", "X", "war talks"),
        ("b1", "Y", "peace talks"),
        ("b1", "Y", "Headline war war war", "heading"),  # not body: not counted
    ])
    before = p.copy()
    table = term_table(p).set_index(["group", "term"])
    pd.testing.assert_frame_equal(p, before)  # input untouched
    assert table.loc[("X", "war"), "count"] == 3
    assert table.loc[("X", "war"), "df"] == 2  # in both X articles
    assert table.loc[("X", "peace"), "df"] == 1
    # X has 5 body words: rate of "war" = 3 / 5 * 10,000
    assert table.loc[("X", "war"), "rate"] == pytest.approx(6000.0)
    assert ("Y", "war") not in table.index and ("Y", "headline") not in table.index
    # tfidf, groups as documents: idf = ln((1+2)/(1+g)) + 1; X: war 3 (g=1), peace 1 (g=2), talks 1 (g=2)
    idf1, idf2 = math.log(3 / 2) + 1, 1.0
    norm = math.sqrt((3 * idf1) ** 2 + idf2**2 + idf2**2)
    assert table.loc[("X", "war"), "tfidf"] == pytest.approx(3 * idf1 / norm)
    assert table.loc[("X", "talks"), "tfidf"] == pytest.approx(1 / norm)
    assert set(table.columns) >= {"count", "rate", "df", "tfidf", "ngram", "n_articles"}


def test_term_table_groups_by_any_column_and_period():
    p = paragraphs([("a1", "X", "war"), ("b1", "Y", "war")])
    p["date"] = pd.to_datetime(["2025-01-05", "2025-02-05"])
    by_article = term_table(p, by="article_id")
    assert by_article["group"].tolist() == ["a1", "b1"]
    assert term_table(p, by="period")["group"].tolist() == ["2025-01", "2025-02"]
    with pytest.raises(KeyError):
        term_table(p, by="nonexistent")


def test_term_table_bigrams_and_empty_input():
    p = paragraphs([("a1", "X", "peace talks and peace talks")])
    bigrams = term_table(p, ngram_range=(2, 2))
    assert bigrams[["term", "count", "ngram"]].values.tolist() == [["peace talks", 2, 2]]
    empty = term_table(p.iloc[:0])
    assert empty.empty and "tfidf" in empty.columns


def test_top_terms_takes_n_per_group():
    p = paragraphs([("a1", "X", "war war peace talks"), ("b1", "Y", "peace")])
    top = terms.top_terms(term_table(p), n=1)
    assert top[["group", "term"]].values.tolist() == [["X", "war"], ["Y", "peace"]]


@pytest.mark.parametrize("by", ["article_id", "outlet"])
def test_term_table_top_equals_top_terms_of_the_full_table(seeds, by):
    for ngram_range in ((1, 1), (1, 2)):
        full = term_table(seeds.paragraphs, by=by, ngram_range=ngram_range)
        for value in ("count", "rate", "df", "tfidf"):
            for n in (1, 5, 40):
                top = term_table(seeds.paragraphs, by=by, ngram_range=ngram_range, top=n, top_value=value)
                pd.testing.assert_frame_equal(top, terms.top_terms(full, n=n, value=value), check_exact=True)
    # ties: every term of this text is counted once, so the top 2 are the first 2 terms A-Z
    p = paragraphs([("a1", "X", "zebra yak xenon walrus")])
    assert term_table(p, top=2)["term"].tolist() == ["walrus", "xenon"]
    with pytest.raises(ValueError, match="top terms by 'ngram'"):
        term_table(p, top=2, top_value="ngram")


# --- keyness ---------------------------------------------------------------


def test_keyness_two_groups_matches_hand_computation():
    # A: war war peace (n=3); B: war talks (n=2). Pooled prior: war 3, peace 1, talks 1; a0 = 5.
    p = paragraphs([("a", "A", "war war peace"), ("b", "B", "war talks")])
    got = keyness(p).set_index(["group", "term"])
    # "peace" in A:  ln((1+1)/(3+5-1-1)) - ln((0+1)/(2+5-0-1)) = ln(2/6) - ln(1/6) = ln 2
    #                var = 1/(1+1) + 1/(0+1) = 1.5 ; z = ln 2 / sqrt(1.5) = 0.5659
    assert got.loc[("A", "peace"), "log_odds"] == pytest.approx(math.log(2))
    assert got.loc[("A", "peace"), "z"] == pytest.approx(math.log(2) / math.sqrt(1.5))
    # "war" in B:    ln((1+3)/(2+5-1-3)) - ln((2+3)/(3+5-2-3)) = ln(4/3) - ln(5/3) = ln 0.8
    #                var = 1/4 + 1/5 = 0.45
    assert got.loc[("B", "war"), "z"] == pytest.approx(math.log(0.8) / math.sqrt(0.45))
    assert got.loc[("B", "war"), "count"] == 1 and got.loc[("B", "war"), "count_rest"] == 2
    # Two groups: a term's log-odds for A is minus its log-odds for B.
    assert got.loc[("A", "talks"), "log_odds"] == pytest.approx(-got.loc[("B", "talks"), "log_odds"])


def test_keyness_three_groups_each_against_the_rest():
    # A: war war peace; B: war talks; C: peace peace talks. Totals war 3, peace 3, talks 2; N = 8 = a0.
    p = paragraphs([("a", "A", "war war peace"), ("b", "B", "war talks"), ("c", "C", "peace peace talks")])
    got = keyness(p).set_index(["group", "term"])
    # "peace" in C (y=2, n=3) vs A+B (y=1, n=5), alpha = 3:
    #   ln((2+3)/(3+8-2-3)) - ln((1+3)/(5+8-1-3)) = ln(5/6) - ln(4/9) = ln(1.875) = 0.6286
    #   var = 1/5 + 1/4 = 0.45 ; z = 0.6286 / 0.6708 = 0.9371
    assert got.loc[("C", "peace"), "log_odds"] == pytest.approx(math.log(1.875))
    assert got.loc[("C", "peace"), "z"] == pytest.approx(math.log(1.875) / math.sqrt(0.45))
    assert len(got) == 9  # every group x term, zeros included
    assert got.loc[("B", "peace"), "count"] == 0 and got.loc[("B", "peace"), "z"] < 0


def test_keyness_priors_uniform_and_background():
    counts = pd.DataFrame({"war": [2, 1], "peace": [1, 0]}, index=["A", "B"])
    uniform = keyness_from_counts(counts, prior=1.0).set_index(["group", "term"])
    # "peace" in A, alpha 1 for both terms (a0 = 2): ln(2/(3+2-1-1)) - ln(1/(1+2-0-1)) = ln(2/3) - ln(1/2)
    assert uniform.loc[("A", "peace"), "log_odds"] == pytest.approx(math.log(2 / 3) - math.log(1 / 2))
    background = keyness_from_counts(counts, prior={"war": 10}).set_index(["group", "term"])
    # peace is missing from the background: alpha 0.01; a0 = 10.01
    expected = math.log(1.01 / (3 + 10.01 - 1 - 0.01)) - math.log(0.01 / (1 + 10.01 - 0 - 0.01))
    assert background.loc[("A", "peace"), "log_odds"] == pytest.approx(expected)
    with pytest.raises(ValueError):
        keyness_from_counts(counts.iloc[:1])


def test_context_keyness_uses_only_sentences_mentioning_the_actor():
    sentences = pd.DataFrame({
        "article_id": ["a", "a", "b", "b"],
        "paragraph": [0, 0, 0, 1],
        "sentence": [0, 1, 0, 0],
        "outlet": ["X", "X", "Y", "Y"],
        "text": ["Putin praised troops.", "Weather was mild.", "Putin demanded territory.", "Weather was cold."],
    })
    mentions = pd.DataFrame({
        "article_id": ["a", "b", "b"], "paragraph": [0, 0, 1], "sentence": [0, 0, 0],
        "actor": ["putin", "putin", "kremlin_aide"], "parent": ["russia", "russia", "putin"],
    })
    context = keyness_module.actor_context(sentences, mentions, "putin")
    assert context["text"].tolist() == ["Putin praised troops.", "Putin demanded territory.", "Weather was cold."]
    assert len(keyness_module.actor_context(sentences, mentions, "putin", include_children=False)) == 2
    got = keyness_module.context_keyness(sentences, mentions, "putin", include_children=False, extra_stopwords=["putin"])
    assert set(got["term"]) == {"praised", "troops", "demanded", "territory"}
    top = terms.top_terms(got, n=1, value="z")
    assert top.set_index("group").loc["X", "term"] in {"praised", "troops"}
    assert keyness_module.context_keyness(sentences, mentions, "nobody").empty


# --- the seeds -------------------------------------------------------------


def test_turkiye_is_distinctive_for_daily_sabah(seeds):
    table = keyness(seeds.paragraphs, by="outlet")
    top = terms.top_terms(table, n=10, value="z")
    assert "türkiye" in set(top.loc[top["group"] == "Daily Sabah", "term"])
    others = top.loc[top["group"] != "Daily Sabah", "term"]
    assert "türkiye" not in set(others)


def test_seed_term_table_counts_only_body_text(seeds):
    table = term_table(seeds.paragraphs, by="outlet")
    breeze = table[table["group"] == "Breeze in Busan"].set_index("term")
    # The Breeze in Busan byline and bio name "Maru Kim"; the body never does.
    assert "maru" not in breeze.index
    body = seeds.paragraphs[seeds.paragraphs["kind"] == "body"]
    assert (table.groupby("group")["n_words"].first() == body.groupby("outlet")["n_words"].sum()).all()
    assert np.all(table["df"] <= table["n_articles"])


# --- one-pass counting agrees with the tokenizer text by text ----------------

TRICKY = [
    "Trump’s talks with the US-Russia team, North Korea’s Kim Jong-un and the U.S.’s allies’ fears.",
    "See state.gov or news.America.com; x.Russia and 2014.Ukraine, U.S.A. and USA, united states.",
    "The \u212aim Jong Un meeting: \u212aIM JONG UN, kim jong-un; Türkiye, TURKEY and turkey’s “liberating”.",
    "UN and un-named EU officials; the U.N. and E.U.; Donald J. Trump and Vladimir Putin’s envoy.",
    "Secretary of State Rubio, peace talks. Long-range cease-fire plans; 11,000 troops in 2024, the 21st.",
    "A text with the separator \x00 inside: North\x00Korea and peace\x00talks.",
    "",
    "   ",
    "N. Korea, S. Korea and the Republic of Korea met the Democratic People’s Republic of Korea.",
]


def by_text_counts(texts, tokenizer):
    """Reference: the tokenizer over each text, counted as CountVectorizer does."""
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = CountVectorizer(analyzer=tokenizer, dtype=np.int64)
    X = vectorizer.fit_transform(texts)
    return X, vectorizer.get_feature_names_out()


@pytest.mark.parametrize("block", [None, 1, 40])  # None: one scan; else the joined text is scanned in small blocks
@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 3), (2, 3)])
@pytest.mark.parametrize("phrases", [None, "actors", {"North Korea": "north korea", "Kim": "kim", "US": "u.s."}])
def test_one_pass_counting_matches_the_tokenizer_text_by_text(ngram_range, phrases, block, monkeypatch):
    from analysis.measure.actors import load_actors

    if block is not None:
        monkeypatch.setattr(tokenize_module, "_SCAN_BLOCK", block)

    mapping = terms.actor_phrases(load_actors()) if phrases == "actors" else phrases
    tokenizer = Tokenizer(phrases=mapping, ngram_range=ngram_range)
    texts = TRICKY[:5] + TRICKY[6:]  # without the separator: the one-pass scan is used
    for sample in (texts, TRICKY, TRICKY[::-1]):
        X, names = tokenizer._matrix(sample)
        want_X, want_names = by_text_counts(sample, tokenizer)
        assert names.tolist() == want_names.tolist()
        assert (X != want_X).nnz == 0 and X.dtype == want_X.dtype


def test_phrase_groups_keep_case_rules_and_order():
    # "US" (capitals only) and "United States" (any case) share a first letter; "U.S." wins over "U".
    tokenizer = Tokenizer(phrases={"US": "usa", "United States": "usa", "U.S.": "usa", "U": "letter_u"}, stopwords=[])
    text = "US us United States UNITED STATES U.S. U Us"
    want = tokenizer(text)
    assert want == ["usa", "us", "usa", "usa", "usa", "letter_u", "us"]
    X, names = tokenizer._matrix([text])
    assert dict(zip(names, X.toarray()[0])) == {"us": 2, "usa": 4, "letter_u": 1}


def test_case_variants_are_what_ignorecase_matches():
    everything = tokenize_module._all_characters()
    chars = frozenset("aikstuzAKSÅéİı")
    variants = terms.case_variants(chars)
    for ch in chars:
        assert variants[ch] == frozenset(re.findall(f"(?i:{re.escape(ch)})", everything))
    assert variants["k"] == {"k", "K", "\u212a"}  # the Kelvin sign


def test_keyness_from_a_term_table_equals_keyness_on_the_text(seeds):
    from analysis.measure.actors import load_actors

    body = seeds.body()
    phrases = terms.actor_phrases(load_actors())
    table = term_table(body, by="outlet", ngram_range=(1, 3), phrases=phrases)
    direct = keyness(body, by="outlet", phrases=phrases)
    assert len(direct) > 1000
    pd.testing.assert_frame_equal(keyness_module.keyness_from_terms(table), direct)
    assert keyness_module.keyness_from_terms(table.iloc[0:0]).empty


def test_a_narrower_term_table_is_cut_from_a_wider_one(seeds):
    body = seeds.body()
    wide = term_table(body, by="outlet", ngram_range=(1, 3))
    for ngram_range, min_count in (((1, 1), 1), ((2, 2), 1), ((2, 3), 2), ((3, 3), 2)):
        direct = term_table(body, by="outlet", ngram_range=ngram_range, min_count=min_count)
        assert len(direct) > 20
        pd.testing.assert_frame_equal(terms.restrict_terms(wide, ngram_range, min_count), direct, check_exact=True)
    # tfidf is scaled over the kept terms: cutting changes it, counts stay.
    assert not np.allclose(terms.restrict_terms(wide, (1, 1))["tfidf"], wide[wide["ngram"] == 1]["tfidf"])
    assert terms.restrict_terms(wide, (1, 1), min_count=10**9).empty


def test_counts_of_two_article_sets_merge_into_the_counts_of_both(seeds):
    from analysis.measure.actors import load_actors

    body = seeds.body()
    body = body.assign(desk=np.where(body["article_id"].isin(sorted(body["article_id"].unique())[:2]), "A", "B"))
    phrases = terms.actor_phrases(load_actors())
    ids = sorted(body["article_id"].unique())
    # Any split, into groups of their own (outlet: one seed article each) or shared ones (desk):
    # the pieces' counts add up to the whole table, bit for bit, in either order.
    for by in ("outlet", "desk"):
        whole = term_table(body, by=by, ngram_range=(1, 3), phrases=phrases)
        for first in (ids[:1], ids[:3], ids[1::2]):
            a = terms.count_terms(body[body["article_id"].isin(first)], by=by, ngram_range=(1, 3), phrases=phrases)
            b = terms.count_terms(body[~body["article_id"].isin(first)], by=by, ngram_range=(1, 3), phrases=phrases)
            for merged in (terms.merge_counts(a, b), terms.merge_counts(b, a)):
                pd.testing.assert_frame_equal(terms.table_from_counts(merged), whole, check_exact=True)
    assert terms.merge_counts(None, a) is a and terms.merge_counts(a, None) is a
    assert terms.count_terms(body.iloc[0:0]) is None


def test_tfidf_is_scikit_learns_to_the_last_bit():
    """``terms._tfidf`` replaces TfidfTransformer (1 s to import): same matrix, same bits, on any shape."""
    import numpy as np
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfTransformer

    from analysis.count.terms import _tfidf

    rng = np.random.default_rng(7)
    for trial in range(60):
        rows, cols = int(rng.integers(1, 25)), int(rng.integers(1, 2500))
        density = [0.002, 0.02, 0.2, 0.6][trial % 4]  # rows of a few to ~1,500 terms: summed in order or not shows
        counts = sp.random(rows, cols, density=density, format="csr", random_state=rng,
                           data_rvs=lambda k: rng.integers(1, 60, k)).astype(np.int64)
        if trial % 5 == 0:  # an empty row stays empty
            counts = sp.vstack([sp.csr_matrix((1, cols), dtype=np.int64), counts], format="csr")
        expected = sp.csr_matrix(TfidfTransformer().fit_transform(counts))
        got = _tfidf(counts)
        assert np.array_equal(got.indptr, expected.indptr) and np.array_equal(got.indices, expected.indices)
        assert np.array_equal(got.data, expected.data), trial
