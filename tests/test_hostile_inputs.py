"""Hostile inputs, one defect each: a clear report, nothing lost, nothing run, the exit code of the contract.

Each test here failed before the fix it names (issue "every hostile input").
The generated sweep over random folders is in ``test_hostile_sweep.py``.
"""

import csv
import errno
import io
import os
import socket
import unicodedata

import pandas as pd
import pytest

from analysis import load_corpus
from analysis.load.corpus import parse_date
from analysis.run import cli
from analysis.run.pipeline import analyze
from analysis.run.tables import write_tables

TEXT = "Putin met Trump in Alaska on Friday. Zelenskyy was not there, officials said.\n"


def write(folder, name, content, encoding="utf-8"):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def problems_of(corpus, file):
    return corpus.problems.loc[corpus.problems["file"] == file, "problem"].tolist()


def run_main(capsys, *args):
    code = cli.main([str(a) for a in args])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out, out.err


# --------------------------------------------------------------------------- loading and the manifest


def test_jobs_2_with_an_empty_file_reports_it_and_finishes(tmp_path, capsys):
    corpus = tmp_path / "c"
    write(corpus, "a.txt", TEXT)
    write(corpus, "b.txt", TEXT.replace("Friday", "Monday"))
    write(corpus, "empty.txt", b"")
    code, out, _ = run_main(capsys, "analyze", corpus, "--out", tmp_path / "out", "--jobs", 2, "--no-cache")
    assert code == 1
    assert "SKIPPED  empty.txt: [empty]" in out
    assert len(pd.read_parquet(tmp_path / "out" / "tables" / "articles.parquet")) == 2


def test_a_loader_failure_in_a_worker_is_that_files_problem_not_the_pools(tmp_path, monkeypatch):
    from analysis.load import corpus as corpus_module

    real = corpus_module._load_article

    def flaky(path, rel, meta):
        if rel == "b.txt":
            raise RuntimeError("boom")
        return real(path, rel, meta)

    monkeypatch.setattr(corpus_module, "_load_article", flaky)  # forked workers inherit it
    folder = tmp_path / "c"
    for name in ("a.txt", "b.txt", "c.txt"):
        write(folder, name, TEXT.replace("Friday", name))
    loaded = load_corpus(folder, jobs=2)
    assert loaded.articles["file"].tolist() == ["a.txt", "c.txt"]
    assert problems_of(loaded, "b.txt") == ["internal_error"]


@pytest.mark.parametrize("raw, day, precision", [
    ("2024-03-01T10:00:00+09:00", "2024-03-01 10:00", "time"),
    ("2024-03-01T23:30:00-05:00", "2024-03-01 23:30", "time"),  # the outlet's own day, not UTC's
    ("2024-03-01", "2024-03-01 00:00", "day"),
    ("March 3, 2018 Saturday", "2018-03-03 00:00", "day"),
    ("3 March 2018", "2018-03-03 00:00", "day"),
    ("2024-03", None, "month"),
    ("March 2018", None, "month"),
    ("2024", None, "year"),
    ("03/04/2018", None, None),  # day-first or month-first: not guessed
    ("yesterday", None, None),
])
def test_dates_keep_the_precision_the_source_gave_and_never_invent_a_day(raw, day, precision):
    stamp, got = parse_date(raw)
    assert got == precision
    assert (pd.isna(stamp) if day is None else stamp == pd.Timestamp(day))


def test_time_zone_and_partial_dates_load_with_their_precision(tmp_path):
    folder = tmp_path / "c"
    rows = {"a.txt": "2024-03-01T10:00:00+09:00", "b.txt": "2024-03", "c.txt": "2024", "d.txt": "2024-03-02"}
    for i, name in enumerate(rows):
        write(folder, name, TEXT.replace("Friday", f"day {i}"))
    write(folder, "articles.csv", "file,outlet,date\n" + "".join(f"{f},X,{d}\n" for f, d in rows.items()))
    loaded = load_corpus(folder)
    arts = loaded.articles.set_index("file")
    assert arts["date_precision"].to_dict() == {"a.txt": "time", "b.txt": "month", "c.txt": "year", "d.txt": "day"}
    assert arts.loc["a.txt", "date"] == pd.Timestamp("2024-03-01 10:00")
    assert pd.isna(arts.loc["b.txt", "date"]) and arts.loc["b.txt", "date_text"] == "2024-03"
    assert problems_of(loaded, "b.txt") == ["partial_date"]
    tables = analyze(folder, cache=False)  # the whole pipeline holds with such dates
    assert tables["tone"]["date"].dtype == tables["articles"]["date"].dtype


def test_manifest_columns_named_like_ours_are_kept_under_a_prefix(tmp_path):
    folder = tmp_path / "c"
    write(folder, "a.txt", TEXT)
    reserved = ["text", "kind", "language", "sha256", "n_words", "paragraph", "article_id", "start", "_key"]
    write(folder, "articles.csv", "file,outlet," + ",".join(reserved) + "\na.txt,X," +
          ",".join(f"user {c}" for c in reserved) + "\n")
    tables = analyze(folder, cache=False)
    arts, paras = tables["articles"], tables["paragraphs"]
    for col in reserved:
        assert arts.loc[0, f"meta_{col}"] == f"user {col}"
        assert (paras[f"meta_{col}"] == f"user {col}").all()
    assert arts.loc[0, "language"] == "en" and paras["text"].str.contains("Putin").any()
    renamed = tables["problems"][tables["problems"]["problem"] == "renamed_column"]
    assert len(renamed) == len(reserved) and renamed["loaded"].all()


@pytest.mark.parametrize("delimiter, encoding", [(";", "utf-8"), ("\t", "utf-16"), (",", "utf-8-sig"), ("|", "utf-8")])
def test_manifest_separators_and_encodings_of_spreadsheets_are_detected(tmp_path, delimiter, encoding):
    folder = tmp_path / "c"
    write(folder, "a.txt", TEXT)
    rows = [["file", "outlet", "date", "notes"], ["a.txt", "Le Monde", "2024-03-01", "one, two; three"]]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)  # as a spreadsheet saves it, quotes and all
    write(folder, "articles.csv", buffer.getvalue(), encoding=encoding)
    loaded = load_corpus(folder)
    assert loaded.articles.loc[0, ["outlet", "notes"]].tolist() == ["Le Monde", "one, two; three"]
    assert loaded.problems.empty


def test_file_names_in_nfd_or_with_stray_spaces_match_their_manifest_rows(tmp_path):
    folder = tmp_path / "c"
    nfd = unicodedata.normalize("NFD", "São Paulo.txt")
    write(folder, nfd, TEXT)
    write(folder, "sub/b.txt", TEXT.replace("Friday", "Monday"))
    write(folder, "articles.csv", f"file,outlet\n{unicodedata.normalize('NFC', 'São Paulo.txt')},Folha\n"
                                  " sub / b.txt ,Globo\n")
    loaded = load_corpus(folder)
    assert sorted(loaded.articles["outlet"]) == ["Folha", "Globo"]
    assert loaded.problems.empty


def test_one_bad_byte_in_a_utf8_file_is_replaced_not_read_as_latin1(tmp_path):
    folder = tmp_path / "c"
    write(folder, "a.txt", "Zelenskyy met Macron in Kyiv. “Café” and São Paulo.\n".encode() + b"\xff then more.\n")
    write(folder, "legacy.txt", "NATO\u2019s chief spoke \u2013 briefly.\n".encode("cp1252"))
    loaded = load_corpus(folder)
    arts = loaded.articles.set_index("file")
    assert arts.loc["a.txt", "encoding"] == "utf-8"
    text = " ".join(loaded.paragraphs.loc[loaded.paragraphs["file"] == "a.txt", "text"])
    assert "“Café” and São Paulo." in text and "\ufffd" in text
    assert "invalid_bytes" in problems_of(loaded, "a.txt")
    assert arts.loc["legacy.txt", "encoding"] == "windows-1252"  # a real legacy file stays legacy


def test_invisible_characters_inside_names_do_not_hide_mentions(tmp_path):
    folder = tmp_path / "c"
    write(folder, "a.txt", "Vladimir Pu\u200btin met Volodymyr Zelen\u00adskyy and Donald Tr\u2060ump in Alaska on "
                           "Friday, officials said.\n")
    tables = analyze(folder, cache=False)
    assert {"Vladimir Putin", "Volodymyr Zelenskyy", "Donald Trump"} <= set(tables["mentions"]["name"])
    paras = tables["paragraphs"]
    for _, p in paras.iterrows():  # offsets still point at the cleaned text
        assert p["end"] - p["start"] == len(p["text"])


def test_persian_zero_width_non_joiner_is_kept(tmp_path):
    from analysis.load.reading import normalize

    persian = "می\u200cخواهم"
    assert normalize(persian) == persian
    assert normalize("Pu\u200ctin") == "Putin"


def test_yaml_front_matter_is_not_body_and_fills_missing_metadata(tmp_path):
    folder = tmp_path / "c"
    write(folder, "a.md", "---\ntitle: \"Talks in Alaska\"\ndate: 2025-08-15\nauthor: Jane Roe\nlayout: post\n---\n"
                          "Putin met Trump in Alaska on Friday.\n\nZelenskyy was not there.\n")
    loaded = load_corpus(folder)
    paras = loaded.paragraphs
    assert set(paras.loc[paras["text"].str.contains("layout|title:|---"), "kind"]) == {"front_matter"}
    assert not paras.loc[paras["kind"] == "body", "text"].str.contains("layout").any()
    art = loaded.articles.iloc[0]
    assert (art["title"], art["author"], art["date"]) == ("Talks in Alaska", "Jane Roe", pd.Timestamp("2025-08-15"))


def test_the_manifest_wins_over_front_matter(tmp_path):
    folder = tmp_path / "c"
    write(folder, "a.md", "---\ntitle: From the file\n---\nPutin met Trump in Alaska on Friday.\n")
    write(folder, "articles.csv", "file,title\na.md,From the manifest\n")
    assert load_corpus(folder).articles.loc[0, "title"] == "From the manifest"


def test_web_page_furniture_in_pasted_html_is_dropped(tmp_path):
    folder = tmp_path / "c"
    write(folder, "page.html", """<html><body>
<nav><ul><li>Home</li><li>World</li></ul></nav>
<div id="cookie-consent">We use cookies to improve your experience. <button>Accept all</button></div>
<article><h1>Talks in Alaska</h1><p>Putin met Trump in Alaska on Friday.</p>
<div class="share-bar"><a>Share on Facebook</a><a>Share on X</a></div>
<p>Zelenskyy was not there, officials said.</p>
<aside class="related-articles"><p>Related: Kim visits Moscow</p></aside></article>
<footer>Copyright 2025 Example News</footer></body></html>""")
    text = " ".join(load_corpus(folder).paragraphs["text"])
    assert "Putin met Trump" in text and "Zelenskyy was not there" in text
    for furniture in ("Home", "cookies", "Accept all", "Share on", "Related", "Copyright"):
        assert furniture not in text


def test_of_two_identical_files_the_one_with_manifest_metadata_is_kept(tmp_path):
    folder = tmp_path / "c"
    write(folder, "a_copy.txt", TEXT)  # sorts first, but has no manifest row
    write(folder, "b.txt", TEXT)
    write(folder, "articles.csv", "file,outlet\nb.txt,The Outlet\n")
    loaded = load_corpus(folder)
    assert loaded.articles[["file", "outlet"]].values.tolist() == [["b.txt", "The Outlet"]]
    assert problems_of(loaded, "a_copy.txt") == ["duplicate"]


def test_fifos_sockets_and_broken_links_are_reported_not_lost(tmp_path):
    folder = tmp_path / "c"
    write(folder, "a.txt", TEXT)
    os.mkfifo(folder / "pipe.txt")  # opening it would block forever: it must not be opened
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "sock.txt"))
    os.symlink(folder / "nowhere.txt", folder / "broken.txt")
    try:
        loaded = load_corpus(folder)
    finally:
        sock.close()
    assert problems_of(loaded, "pipe.txt") == ["not_a_file"]
    assert problems_of(loaded, "sock.txt") == ["not_a_file"]
    assert problems_of(loaded, "broken.txt") == ["broken_link"]
    assert loaded.articles["file"].tolist() == ["a.txt"]


def test_links_out_of_the_corpus_folder_are_never_followed(tmp_path):
    secret = tmp_path / "private"
    write(secret, "diary.txt", "SECRETMARKER Putin met Trump in my diary.\n")
    write(secret, "articles.csv", "file,outlet\na.txt,SECRETOUTLET\n")
    folder = tmp_path / "c"
    write(folder, "a.txt", TEXT)
    os.symlink(secret / "diary.txt", folder / "diary.txt")
    os.symlink(secret / "articles.csv", folder / "articles.csv")
    os.symlink(secret, folder / "more")
    write(folder, "inside.txt", TEXT.replace("Friday", "Monday"))
    os.symlink(folder / "inside.txt", folder / "alias.txt")  # a link inside the folder is fine
    loaded = load_corpus(folder)
    assert problems_of(loaded, "diary.txt") == ["outside_link"]
    assert problems_of(loaded, "articles.csv") == ["outside_link"]
    assert problems_of(loaded, "more") == ["linked_folder"]
    everything = pd.concat([loaded.paragraphs.astype(str), loaded.articles.astype(str)], ignore_index=True)
    assert not everything.apply(lambda c: c.str.contains("SECRET")).any().any()
    assert "alias.txt" in set(loaded.articles["file"]) | set(loaded.problems["file"])


def test_an_output_folder_inside_the_corpus_is_skipped_and_said(tmp_path, capsys):
    folder = tmp_path / "c"
    write(folder, "a.txt", TEXT)
    write(folder, "articles.csv", "file,outlet,date\na.txt,X,2024-03-01\n")
    for _ in range(2):
        code, out, _ = run_main(capsys, "analyze", folder, "--out", folder / "results", "--no-cache")
    assert code == 0, out  # skipping our own output is not a problem of the input
    assert "results: [output_folder]" in out
    tables = pd.read_parquet(folder / "results" / "tables" / "articles.parquet")
    assert tables["file"].tolist() == ["a.txt"]
    folder = tmp_path / "d"  # the output folder is the corpus folder itself
    write(folder, "a.txt", TEXT)
    write(folder, "articles.csv", "file,outlet,date\na.txt,X,2024-03-01\n")
    code, out, _ = run_main(capsys, "analyze", folder, "--out", folder, "--no-cache")
    code, out, _ = run_main(capsys, "analyze", folder, "--out", folder, "--no-cache")
    assert "tables: [output_folder]" in out and "manifest.json: [" not in out
    assert code == 0 and pd.read_parquet(folder / "tables" / "articles.parquet")["file"].tolist() == ["a.txt"]


def test_check_skips_an_earlier_runs_output_and_a_cache_inside_the_corpus(tmp_path, capsys):
    """Without --out, check still knows a run's output folder (its provenance file) and a cache (CACHEDIR.TAG)."""
    folder = tmp_path / "c"
    write(folder, "a.txt", TEXT)
    write(folder, "articles.csv", "file,outlet\na.txt,X\n")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ANALYSIS_CACHE_DIR", str(folder / "cache"))
        assert run_main(capsys, "run", folder, "--out", folder / "results", "--notebooks", "01")[0] == 0
    assert (folder / "results" / "html" / "01_corpus_overview.html").exists()
    assert (folder / "cache" / "CACHEDIR.TAG").exists()
    code, out, _ = run_main(capsys, "check", folder)
    assert code == 0, out
    assert "results: [output_folder]" in out and "cache: [output_folder]" in out
    assert ".html" not in out and "1 article(s) loaded" in out
    executed = (folder / "results" / "notebooks" / "01_corpus_overview.ipynb").read_text(encoding="utf-8")
    assert "output_folder" in executed and "unsupported_type" not in executed  # the notebook saw the same


# --------------------------------------------------------------------------- outputs, cache and exit codes


def test_no_csv_cell_opens_as_a_live_formula_and_parquet_keeps_the_text(tmp_path):
    folder = tmp_path / "c"
    write(folder, "a.txt", '=HYPERLINK("http://evil.example","Click") Putin met Trump.\n\n'
                           "+1 Zelenskyy spoke.\n\n-2 NATO agreed.\n\n@SUM(A1) Kim left.\n")
    write(folder, "articles.csv", "file,outlet\na.txt,=cmd|' /C calc'!A0\n")
    tables = analyze(folder, cache=False)
    write_tables(tables, tmp_path / "out")
    raw = (tmp_path / "out" / "tables" / "paragraphs.csv").read_text(encoding="utf-8")
    assert "\"'=HYPERLINK(" in raw and "\"'+1 Zelenskyy" in raw and "\"'-2 NATO" in raw and "\"'@SUM" in raw
    assert "\"'=cmd|" in (tmp_path / "out" / "tables" / "articles.csv").read_text(encoding="utf-8")
    parquet = pd.read_parquet(tmp_path / "out" / "tables" / "paragraphs.parquet")
    assert parquet["text"].str.startswith("=HYPERLINK(").any()
    counts = pd.read_csv(tmp_path / "out" / "tables" / "paragraphs.csv")
    assert pd.api.types.is_integer_dtype(counts["n_words"])  # numbers stay numbers
    assert pd.api.types.is_float_dtype(counts["position"])


def test_figure_data_csv_is_neutralised_too(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    from analysis.show import plots

    data = pd.DataFrame({"outlet": ["=1+1", "Money$ $Talk$", "A_b^c"], "n": [3, 1, 2]})
    with matplotlib.rc_context():  # the house style, for this test only
        plots.apply_style()
        fig = plots.bar_counts(data, "outlet", "n")  # "$…$" would be mathtext: it must render literally
        plots.finish(fig, "Cost in $ and €", source="Source: $5 $6")
        paths = plots.save_figure(fig, "f", data, tmp_path, show=False)
    assert paths["png"].stat().st_size > 1000
    assert "Money$ $Talk$" in paths["svg"].read_text(encoding="utf-8")
    assert "'=1+1" in paths["csv"].read_text(encoding="utf-8")
    assert not [p for p in tmp_path.iterdir() if ".tmp" in p.name]


def test_corrupt_cache_entries_are_reported_ignored_and_recomputed(tmp_path, capsys):
    folder, cache = tmp_path / "c", tmp_path / "cache"
    write(folder, "a.txt", TEXT)
    write(folder, "articles.csv", "file,outlet\na.txt,X\n")
    args = ("analyze", folder, "--out", tmp_path / "out")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ANALYSIS_CACHE_DIR", str(cache))
        assert run_main(capsys, *args)[0] == 0
        first = pd.read_parquet(tmp_path / "out" / "tables" / "tone.parquet")
        for seg in cache.rglob("*.seg"):
            data = bytearray(seg.read_bytes())
            data[-1] ^= 0xFF
            seg.write_bytes(bytes(data))
        for snap in cache.rglob("*.feather"):
            snap.write_bytes(b"planted")
        code, _, err = run_main(capsys, *args)
    assert code == 0
    assert "corrupt or not the package's own" in err
    again = pd.read_parquet(tmp_path / "out" / "tables" / "tone.parquet")
    pd.testing.assert_frame_equal(first, again)


def test_two_incremental_additions_give_the_tables_of_a_full_run(tmp_path):
    folder, cache = tmp_path / "c", tmp_path / "cache"
    texts = [
        ("a.txt", "X", "2024-01-01", "The weather in Seoul was mild this week.\n"),
        ("b.txt", "Y", "2024-01-02", "Putin praised Trump. “We will talk,” Putin said.\n"),
        ("c.txt", "X", "", "Zelenskyy condemned Putin. “No deal,” Zelenskyy said on Monday.\n"),
        ("d.txt", "Y", "2024-03", "Trump rejected Kim Jong-un, officials said.\n"),
    ]
    rows = ["file,outlet,date"]
    for name, outlet, date, text in texts:
        write(folder, name, text)
        rows.append(f"{name},{outlet},{date}")
        write(folder, "articles.csv", "\n".join(rows) + "\n")
        incremental = analyze(folder, cache=cache)
    full = analyze(folder, cache=False)
    for name in full:
        pd.testing.assert_frame_equal(full[name], incremental[name], check_exact=True, obj=name)
    assert str(incremental["quotes"]["date"].dtype).startswith("datetime64")


def test_a_full_disk_stops_with_one_line_and_leaves_no_partial_files(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "c"
    write(folder, "a.txt", TEXT)
    out = tmp_path / "out"
    real = pd.DataFrame.to_parquet
    calls = {"n": 0}

    def filling(self, path, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:  # the third table: some are written, then the disk is full
            with open(path, "wb") as fh:
                fh.write(b"PAR1 half")
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, path, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", filling)
    code, _, err = run_main(capsys, "analyze", folder, "--out", out, "--no-cache")
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: the disk is full: ")
    assert str(out / "tables") in lines[0] and "free on that disk" in lines[0]
    leftovers = [p.name for p in (out / "tables").iterdir()]
    assert not [n for n in leftovers if ".tmp" in n]
    for name in leftovers:  # what was written is whole
        if name.endswith(".parquet"):
            pd.read_parquet(out / "tables" / name)


def test_unknown_method_and_bad_jobs_are_usage_errors(tmp_path, capsys):
    for bad in (["--method", "bogus"], ["--jobs", "0"], ["--jobs", "two"]):
        with pytest.raises(SystemExit) as stop:
            cli.main(["analyze", str(tmp_path), *bad])
        assert stop.value.code == 2
        err = capsys.readouterr().err
        assert "usage:" in err and "error: argument" in err and "Traceback" not in err


def test_an_internal_error_is_one_line_and_a_saved_traceback(tmp_path, capsys, monkeypatch):
    from analysis.run import pipeline

    def broken(*args, **kwargs):
        raise KeyError("a bug")

    monkeypatch.setattr(pipeline, "analyze", broken)
    monkeypatch.setenv("ANALYSIS_CACHE_DIR", str(tmp_path / "cache"))
    write(tmp_path / "c", "a.txt", TEXT)
    code, out, err = run_main(capsys, "analyze", tmp_path / "c", "--out", tmp_path / "out")
    assert code == 3
    assert err.count("\n") == 1 and err.startswith("error: internal error (KeyError")
    log = next((tmp_path / "cache" / "logs").glob("error-*.log"))
    assert str(log) in err and "Traceback" in log.read_text() and "a bug" in log.read_text()


def test_a_notebook_name_that_matches_nothing_is_a_usage_error(tmp_path, capsys):
    write(tmp_path / "c", "a.txt", TEXT)
    code, _, err = run_main(capsys, "run", tmp_path / "c", "--out", tmp_path / "out", "--notebooks", "99")
    assert code == 2 and "no notebook matches 99" in err
    assert not (tmp_path / "out").exists()  # found before any work


def test_a_snapshot_whose_table_list_is_empty_is_recomputed(tmp_path):
    folder, cache = tmp_path / "c", tmp_path / "cache"
    write(folder, "a.txt", TEXT)
    first = analyze(folder, cache=cache)
    for listing in (cache / "snapshot").rglob("tables.json"):
        listing.write_text("", encoding="utf-8")
    again = analyze(folder, cache=cache)
    assert set(again) == set(first)
    pd.testing.assert_frame_equal(first["tone"], again["tone"])
