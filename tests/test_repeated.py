"""Furniture learned from repetition: a line one outlet repeats across its articles is not article text."""

from __future__ import annotations

from analysis.load.corpus import load_corpus, load_texts
from analysis.load.repeated import threshold
from analysis.run.pipeline import analyze

CAPTION = "This image was supplied by local officials and could not be verified."
PLACES = ["Odesa", "Lviv", "Dnipro", "Poltava", "Sumy"]
PLAYER = "Your browser does not support playback of this video."
STORIES = [
    "Kyiv said on Monday that drones struck a power station near Odesa overnight.",
    "Ukraine's parliament approved a new budget after a long debate about defence spending.",
    "Farmers in the south said the harvest was late because of the heavy rain this spring.",
    "The central bank kept its main rate unchanged and warned of higher prices next year.",
    "Officials in Kharkiv reopened two schools that had been closed since the winter.",
]


def _article(i: int) -> str:
    # The caption is a line of its own; the player message is glued inside a paragraph.
    return f"{STORIES[i]}\n\n{CAPTION}\n\nResidents of {PLACES[i]} described the night. {PLAYER} Repairs began at {PLACES[i]} station.\n"


def _write(folder, n_repeating: int = 4):
    folder.mkdir()
    rows = ["file,outlet,date"]
    for i in range(5):
        text = _article(i) if i < n_repeating else f"{STORIES[i]}\n\nA second paragraph about {PLACES[i]} alone.\n"
        (folder / f"w{i}.txt").write_text(text, encoding="utf-8")
        rows.append(f"w{i}.txt,Wire Daily,2024-03-0{i + 1}")
    (folder / "other.txt").write_text(f"{STORIES[1]}\n\n{CAPTION}\n\nResidents described the night. {PLAYER}\n",
                                      encoding="utf-8")
    rows.append("other.txt,Solo Post,2024-03-02")
    (folder / "articles.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def test_a_repeated_line_becomes_boilerplate_with_its_reason(tmp_path):
    corpus = load_corpus(_write(tmp_path / "c"))
    paragraphs = corpus.paragraphs
    captions = paragraphs[paragraphs["text"] == CAPTION]
    wire = captions[captions["outlet"] == "Wire Daily"]
    assert set(wire["kind"]) == {"boilerplate"}
    assert set(wire["reason"]) == {"repeated in 4 of 5 articles of Wire Daily"}
    # One article of its outlet: nothing to learn from, the caption stays body text.
    assert set(captions.loc[captions["outlet"] == "Solo Post", "kind"]) == {"body"}


def test_a_repeated_sentence_inside_a_paragraph_is_left_out_and_blanked_in_place(tmp_path):
    corpus = load_corpus(_write(tmp_path / "c"))
    wire = corpus.sentences[corpus.sentences["outlet"] == "Wire Daily"]
    assert not wire["text"].str.contains("browser").any()
    assert wire["text"].str.contains("Repairs began").sum() == 4  # the rest of the paragraph stays
    para = corpus.paragraphs[(corpus.paragraphs["outlet"] == "Wire Daily")
                             & corpus.paragraphs["text"].str.startswith("Residents")].iloc[0]
    assert "browser" not in para["text"]
    assert len(para["text"]) == len(f"Residents of Odesa described the night. {PLAYER} Repairs began at Odesa station.")  # offsets kept
    assert PLAYER in para["reason"] and "4 of 5 articles of Wire Daily" in para["reason"]
    assert para["n_sentences"] == 2
    solo = corpus.sentences[corpus.sentences["outlet"] == "Solo Post"]
    assert solo["text"].str.contains("browser").any()


def test_articles_are_recounted_over_what_is_left(tmp_path):
    corpus = load_corpus(_write(tmp_path / "c"))
    articles = corpus.articles.set_index("file")
    assert articles.loc["w0.txt", "n_repeated"] == 2  # the caption line and the player sentence
    assert articles.loc["w4.txt", "n_repeated"] == 0
    assert articles.loc["other.txt", "n_repeated"] == 0
    assert articles.loc["w0.txt", "n_body_paragraphs"] == 2
    body = corpus.sentences[corpus.sentences["article_id"] == articles.loc["w0.txt", "article_id"]]
    assert articles.loc["w0.txt", "n_words"] == body["n_words"].sum()


def test_below_the_threshold_nothing_is_marked(tmp_path):
    corpus = load_corpus(_write(tmp_path / "c", n_repeating=2))
    assert threshold(5) == 3
    assert not (corpus.paragraphs["kind"] == "boilerplate").any()
    assert corpus.articles["n_repeated"].sum() == 0


def test_one_article_per_outlet_is_left_as_it_is():
    texts = [{"file": f"{i}.txt", "text": _article(i), "outlet": f"Outlet {i}"} for i in range(5)]
    corpus = load_texts(texts)
    assert corpus.articles["n_repeated"].sum() == 0
    assert CAPTION in set(corpus.body()["text"])


def test_repeated_furniture_never_reaches_terms_keyness_or_tone(tmp_path):
    tables = analyze(_write(tmp_path / "c"), cache=False, method="vader")
    wire = set(tables["articles"].loc[tables["articles"]["outlet"] == "Wire Daily", "article_id"])
    for name, key, values in (("terms_by_outlet", "group", {"Wire Daily"}), ("keyness_by_outlet", "group", {"Wire Daily"}),
                              ("terms_by_article", "group", wire)):
        table = tables[name]
        used = table[key].isin(values) & (table["count"] > 0)  # keyness also lists the terms a group lacks
        terms = table.loc[used, "term"].astype(str)
        assert len(terms) and not terms.str.contains("supplied|browser|playback").any(), name
    # The outlet with one article keeps its lines: nothing was learned from it.
    solo = tables["terms_by_outlet"]
    assert solo.loc[solo["group"] == "Solo Post", "term"].astype(str).str.contains("browser").any()
    assert not tables["tone"]["sentence_text"].str.contains("browser|supplied by").any()
    assert tables["articles"].set_index("file").loc["w1.txt", "n_repeated"] == 2


def test_articles_without_an_outlet_teach_nothing(tmp_path):
    # No manifest: every article is outlet "unknown", which is no outlet's furniture to learn.
    folder = tmp_path / "c"
    folder.mkdir()
    for i in range(5):
        (folder / f"w{i}.txt").write_text(_article(i), encoding="utf-8")
    corpus = load_corpus(folder)
    assert corpus.articles["n_repeated"].sum() == 0
    assert (corpus.paragraphs["text"] == CAPTION).sum() == 5
    assert not (corpus.paragraphs["reason"].fillna("").str.contains("repeated in")).any()
