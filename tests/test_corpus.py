"""load_corpus on the seeds and on a folder of every kind of bad input."""

import pandas as pd
import pytest

from analysis import CorpusError, load_corpus
from analysis.load.corpus import read_manifest

# --------------------------------------------------------------------------- the seeds


def test_seeds_load_five_articles_from_five_outlets_with_metadata(seeds):
    arts = seeds.articles
    assert len(arts) == 5
    assert arts["outlet"].nunique() == 5
    assert set(arts["outlet"]) == {"News1 Global", "Breeze in Busan", "Daily Sabah", "The Guardian", "automagazine.pt"}
    busan = arts.set_index("outlet").loc["Breeze in Busan"]
    assert busan["author"] == "Maru Kim"
    assert busan["country"] == "South Korea"
    assert busan["date"] == pd.Timestamp("2024-11-15")
    assert "notes" in arts.columns  # extra manifest columns are kept
    assert seeds.problems.empty


def test_article_ids_are_stable_file_stems(seeds):
    assert list(seeds.articles["article_id"]) == sorted(
        f.rsplit(".", 1)[0] for f in seeds.articles["file"]
    )


def test_furniture_in_001_is_marked_and_not_body(seeds):
    p = seeds.paragraphs[seeds.paragraphs["article_id"].str.startswith("001")]
    kind_of = dict(zip(p["text"].str.slice(0, 30), p["kind"]))
    assert kind_of["How Trump’s Presidency Could I"] == "title"
    assert kind_of["Trump’s unorthodox foreign pol"] == "subtitle"
    assert kind_of["Maru Kim"] == "byline"
    assert kind_of["Share This Article"] == "boilerplate"
    assert kind_of["Follow:"] == "boilerplate"
    assert kind_of["Leave a comment"] == "boilerplate"
    assert kind_of["Your email address will not be"] == "boilerplate"
    assert kind_of["Maru Kim, Editor-in-Chief and "] == "bio"
    body = " ".join(p.loc[p["kind"] == "body", "text"])
    assert "Share This Article" not in body and "Editor-in-Chief" not in body


def test_generated_sources_footer_in_004_is_not_body(seeds):
    p = seeds.paragraphs[seeds.paragraphs["article_id"].str.startswith("004")]
    footer = p[p["text"].str.contains("sources include")]
    assert list(footer["kind"]) == ["footer"]


def test_every_character_is_in_some_paragraph(seeds):
    """Nothing disappears: joining the paragraphs gives back the file, up to whitespace."""
    for article_id, file in zip(seeds.articles["article_id"], seeds.articles["file"]):
        raw = (seeds.folder / file).read_text(encoding="utf-8")
        paras = seeds.paragraphs.loc[seeds.paragraphs["article_id"] == article_id, "text"]
        assert "".join(raw.split()) == "".join("".join(paras).split())


def test_trump_sentence_with_abbreviations_is_one_sentence(seeds):
    s = seeds.sentences
    first = s[s["text"].str.startswith("U.S. President Donald Trump is set to meet")]
    assert len(first) == 1
    assert first["text"].iloc[0].endswith("to finalize peace negotiations for Ukraine.")


def test_sentence_offsets_point_into_their_paragraph(seeds):
    paras = seeds.paragraphs.set_index(["article_id", "paragraph"])["text"]
    for row in seeds.sentences.itertuples():
        text = paras[(row.article_id, row.paragraph)]
        assert text[row.start:row.end].replace("\n", " ") == row.text


def test_metadata_on_every_paragraph_and_sentence(seeds):
    for frame in (seeds.paragraphs, seeds.sentences):
        assert frame["outlet"].notna().all()
        assert frame["date"].notna().all()
    assert {"title", "author", "genre", "country"} <= set(seeds.paragraphs.columns)
    assert seeds.paragraphs["position"].between(0, 1).all()


def test_word_counts_are_body_only(seeds):
    body = seeds.paragraphs[seeds.paragraphs["kind"] == "body"]
    per_article = body.groupby("article_id")["n_words"].sum()
    assert per_article.to_dict() == seeds.articles.set_index("article_id")["n_words"].to_dict()


# --------------------------------------------------------------------------- bad input


def problems_of(corpus):
    return {(f, p) for f, p in zip(corpus.problems["file"], corpus.problems["problem"])}


def test_every_file_is_loaded_or_reported(bad_corpus, bad_folder):
    corpus = bad_corpus
    found = {p.relative_to(bad_folder).as_posix() for p in bad_folder.rglob("*") if p.is_file()}
    found.discard("articles.csv")
    loaded = set(corpus.articles["file"])
    reported = set(corpus.problems["file"])
    assert found <= loaded | reported


def test_bad_inputs_are_reported_with_their_reason(bad_corpus):
    probs = problems_of(bad_corpus)
    expected = {
        ("empty.txt", "empty"),
        ("blank.txt", "empty"),
        ("binary.txt", "not_text"),
        ("report.pdf", "corrupt_file"),
        ("photo.png", "unsupported_type"),
        ("good_copy.txt", "duplicate"),
        ("missing.txt", "missing_file"),
        ("unlisted.md", "no_metadata"),
        ("good.txt", "bad_date"),
        ("german.txt", "not_english"),
        ("cp1252.txt", "legacy_encoding"),
        ("nul.txt", "nul_bytes"),
        ("page.txt", "html_in_text"),
        ("articles.csv", "bad_manifest_row"),
    }
    assert expected <= probs


def test_problem_messages_are_sentences(bad_corpus):
    problems = bad_corpus.problems
    assert problems["message"].str.match(r"^[A-Z0-9'\"‘“]").all()
    assert problems["message"].str.strip().str[-1].isin(list(".")).all()


def test_encodings_decode_right(bad_corpus):
    corpus = bad_corpus
    arts = corpus.articles.set_index("file")
    assert arts.loc["bom.txt", "encoding"] == "utf-8-sig"
    assert arts.loc["utf16.txt", "encoding"] == "utf-16-le"
    assert arts.loc["cp1252.txt", "encoding"] == "windows-1252"
    text = corpus.paragraphs.set_index("file")["text"]
    assert text["bom.txt"].startswith("Russia")  # no BOM character left
    assert text["utf16.txt"].startswith("Kim Jong-un met Putin")
    assert text["cp1252.txt"] == "NATO’s chief said “we stand with Kyiv” – and Europe agreed."
    assert "\x00" not in text["nul.txt"] and "Guterres spoke in New York" in text["nul.txt"]


def test_crlf_files_split_like_lf_files(bad_corpus):
    p = bad_corpus.paragraphs
    crlf = p[p["file"] == "crlf.txt"]
    assert list(crlf["text"]) == ["The EU met in Brussels.", "It agreed on sanctions against Russia."]
    assert not crlf["text"].str.contains("\r").any()


def test_html_is_stripped_entities_decoded_scripts_dropped(bad_corpus):
    p = bad_corpus.paragraphs
    page = p[p["file"] == "page.txt"]
    joined = "\n".join(page["text"])
    assert "Trump & Putin met in Alaska – no deal." in list(page["text"])
    assert "<" not in joined and "var x" not in joined and "p{}" not in joined
    nested = p[p["file"] == "sub/nested.html"]
    assert list(nested["text"]) == ["China and Russia met in Beijing."]


def test_huge_single_line_file_is_loaded_whole(bad_corpus):
    corpus = bad_corpus
    art = corpus.articles.set_index("file").loc["huge.txt"]
    assert art["n_chars"] > 10_000_000
    assert art["n_paragraphs"] == 1
    assert art["n_sentences"] == 200_000
    assert art["n_words"] == 200_000 * 7


def test_files_without_manifest_row_get_outlet_unknown(bad_corpus):
    arts = bad_corpus.articles.set_index("file")
    assert arts.loc["unlisted.md", "outlet"] == "unknown"
    assert pd.isna(arts.loc["good.txt", "date"])  # "not a date" becomes NaT
    assert arts.loc["good.txt", "outlet"] == "The Daily"
    assert arts.loc["german.txt", "language"] == "de"
    assert arts.loc["good.txt", "desk"] == "world"  # extra manifest columns kept


def test_duplicate_is_not_analysed_twice(bad_corpus):
    arts = bad_corpus.articles
    assert "good_copy.txt" not in set(arts["file"])
    assert "good.txt" in set(arts["file"])


def test_missing_folder_raises_a_clear_error(tmp_path):
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(tmp_path / "nope")


def test_folder_without_manifest_loads_with_unknown_outlet(tmp_path):
    (tmp_path / "a.txt").write_text("Russia and Ukraine talked in Istanbul on Monday.", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert list(corpus.articles["outlet"]) == ["unknown"]
    assert list(corpus.problems["problem"]) == ["no_manifest"]


@pytest.mark.parametrize(
    "content, message",
    [
        ("outlet,date\nX,2025-01-01\n", "no 'file' column"),
        ('file,outlet\n"a.txt,X\n', "not valid CSV"),
        (b"\x89PNG\r\n\x1a\n", "cannot be read"),
    ],
)
def test_malformed_manifest_is_reported_and_files_still_load(tmp_path, content, message):
    (tmp_path / "a.txt").write_text("Russia and Ukraine talked in Istanbul on Monday.", encoding="utf-8")
    path = tmp_path / "articles.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    corpus = load_corpus(tmp_path)
    assert list(corpus.articles["file"]) == ["a.txt"]
    bad = corpus.problems[corpus.problems["problem"] == "bad_manifest"]
    assert len(bad) == 1 and message in bad["message"].iloc[0]


def test_manifest_paths_are_normalised(tmp_path):
    (tmp_path / "articles.csv").write_text("file,outlet\n./a.txt,X\nsub\\b.txt,Y\n", encoding="utf-8")
    assert set(read_manifest(tmp_path).rows) == {"a.txt", "sub/b.txt"}
