"""Small builders shared by the tests (imported as ``from helpers import …``)."""

from analysis import load_corpus


def corpus_of(folder, *paragraphs, date="2025-08-12", outlet="Test Outlet"):
    """A one-article corpus from body paragraphs, written to ``folder`` and loaded by the real loader."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    (folder / "articles.csv").write_text(f"file,outlet,date\na.txt,{outlet},{date}\n", encoding="utf-8")
    return load_corpus(folder)
