"""cleaner bench: the shingle metric (worked by hand), snippets, datasets, workers, CLI."""

from __future__ import annotations

import gzip
import json

import pytest

from cleaner.cli import main
from cleaner.devtools import bench
from cleaner.devtools.bench import report, timing, worker
from cleaner.devtools.bench.dataset import load_dataset
from cleaner.devtools.bench.metric import evaluate, score_page, shingles, tokenize
from cleaner.errors import CleanerError, OptionError


def truth_of(**bodies: str) -> dict[str, dict]:
    return {pid: {"body": body} for pid, body in bodies.items()}


# -- tokens and shingles ---------------------------------------------------------------

def test_tokens_are_word_runs_with_case_and_accents_kept():
    assert tokenize("Hello, World! It's 2024.") == ["Hello", "World", "It", "s", "2024"]
    assert tokenize("Größe über l'été — Москва") == ["Größe", "über", "l", "été", "Москва"]
    assert tokenize("") == [] and tokenize(None) == []


def test_shingles_are_a_multiset_of_four_token_runs():
    # 8 tokens -> 5 shingles; "red green blue gold" starts at positions 0 and 4
    assert shingles("red green blue gold red green blue gold") == {
        "red green blue gold": 2, "green blue gold red": 1, "blue gold red green": 1,
        "gold red green blue": 1}


def test_texts_of_one_to_three_tokens_are_one_shingle_and_empty_text_none():
    assert shingles("Hello") == {"Hello": 1}
    assert shingles("Hello, big world") == {"Hello big world": 1}
    assert shingles("  ... !") == {}


# -- the metric, worked by hand ---------------------------------------------------------

def test_identical_texts_score_one_everywhere():
    # 6 tokens -> 3 shingles, all shared: TP 3, FP 0, FN 0
    text = "The cat sat on the mat."
    page = score_page(text, {"body": text})
    assert (page.tp, page.fp, page.fn) == (3, 0, 0)
    s = evaluate({"a": text}, truth_of(a=text))
    assert (s.precision, s.recall, s.f1, s.exact) == (1.0, 1.0, 1.0, 1.0)


def test_disjoint_texts_score_zero():
    # output: 5 tokens -> 2 shingles, truth: 4 tokens -> 1 shingle, none shared
    # TP 0, FP 2, FN 1 -> P 0/2 = 0, R 0/1 = 0, F1 0
    page = score_page("one two three four five", {"body": "alpha beta gamma delta"})
    assert (page.tp, page.fp, page.fn) == (0, 2, 1)
    s = evaluate({"a": "one two three four five"}, truth_of(a="alpha beta gamma delta"))
    assert (s.precision, s.recall, s.f1, s.exact) == (0.0, 0.0, 0.0, 0.0)


def test_partial_overlap_counts_repeated_shingles_as_a_multiset():
    # truth "red green blue gold red green blue gold": {rgbg: 2, gbgr: 1, bgrg: 1, grgb: 1}
    # output "red green blue gold white": {rgbg: 1, "green blue gold white": 1}
    # TP = min(2, 1) = 1; FP = 1 (gbgw); FN = (2 - 1) + 1 + 1 + 1 = 4
    # P = 1/2, R = 1/5, F1 = 2 * 0.5 * 0.2 / 0.7 = 0.2 / 0.7 = 2/7
    truth = truth_of(a="red green blue gold red green blue gold")
    page = score_page("red green blue gold white", truth["a"])
    assert (page.tp, page.fp, page.fn) == (1, 1, 4)
    s = evaluate({"a": "red green blue gold white"}, truth)
    assert s.precision == 0.5 and s.recall == 0.2
    assert s.f1 == pytest.approx(2 / 7)


def test_output_repeating_the_truth_is_penalised_for_each_extra_copy():
    # output "a b c d" three times: 12 tokens -> 9 shingles {abcd: 3, bcda: 2, cdab: 2,
    # dabc: 2}; truth "a b c d" -> {abcd: 1}. TP 1, FP 8, FN 0: P = 1/9, R = 1
    # (a set-based metric would give P = 1/4)
    s = evaluate({"a": "a b c d a b c d a b c d"}, truth_of(a="a b c d"))
    assert s.precision == pytest.approx(1 / 9) and s.recall == 1.0
    assert s.f1 == pytest.approx(2 * (1 / 9) / (1 / 9 + 1))  # = 0.2
    assert s.exact == 0.0


def test_short_texts_match_only_as_a_whole_and_case_counts():
    # "Hello world" vs "Hello world!": both one shingle "Hello world" -> TP 1, exact
    # "Hello" vs "Hello world": shingles "Hello" vs "Hello world" differ -> TP 0
    # "hello world" vs "Hello world": no lower-casing, so they differ -> TP 0
    s = evaluate({"a": "Hello world", "b": "Hello", "c": "hello world"},
                 truth_of(a="Hello world!", b="Hello world", c="Hello world"))
    assert [s.pages[p].tp for p in "abc"] == [1, 0, 0]
    # P = mean(1, 0, 0) = 1/3, R = mean(1, 0, 0) = 1/3, F1 = 1/3, exact 1 of 3
    assert s.precision == pytest.approx(1 / 3) and s.recall == pytest.approx(1 / 3)
    assert s.f1 == pytest.approx(1 / 3) and s.exact == pytest.approx(1 / 3)


def test_empty_output_is_left_out_of_precision_but_scores_zero_recall():
    # page a perfect (P 1, R 1); page b empty output: no output shingles, so it is not
    # in the precision mean; its recall is 0/1 = 0.
    # P = mean(1) = 1, R = mean(1, 0) = 0.5, F1 = 2 * 1 * 0.5 / 1.5 = 2/3, exact 1/2
    s = evaluate({"a": "one two three four", "b": ""},
                 truth_of(a="one two three four", b="five six seven eight"))
    assert s.pages["b"].precision is None and s.pages["b"].recall == 0.0
    assert (s.precision, s.recall, s.exact) == (1.0, 0.5, 0.5)
    assert s.f1 == pytest.approx(2 / 3)


def test_missing_output_counts_as_empty_output():
    s = evaluate({"a": "one two three four"},
                 truth_of(a="one two three four", b="five six seven eight"))
    assert (s.precision, s.recall) == (1.0, 0.5)


def test_empty_truth_is_left_out_of_recall_but_scores_zero_precision():
    # page a perfect; page b has no truth shingles but the output has 1: P 0/1 = 0 and
    # no recall; page c is empty on both sides: in neither mean, but an exact match.
    # P = mean(1, 0) = 0.5, R = mean(1) = 1, F1 = 2 * 0.5 * 1 / 1.5 = 2/3, exact 2/3
    s = evaluate({"a": "one two three four", "b": "stray words here now", "c": ""},
                 truth_of(a="one two three four", b="", c=""))
    assert s.pages["b"].recall is None and s.pages["b"].precision == 0.0
    assert s.pages["c"].precision is None and s.pages["c"].recall is None
    assert (s.precision, s.recall) == (0.5, 1.0)
    assert s.f1 == pytest.approx(2 / 3) and s.exact == pytest.approx(2 / 3)


def test_no_output_at_all_gives_no_precision_and_zero_f1():
    s = evaluate({"a": ""}, truth_of(a="one two three four"))
    assert (s.precision, s.recall, s.f1) == (None, 0.0, 0.0)


def test_non_ascii_tokens_are_compared_as_they_are():
    # truth: Größe über Straße naïve café (5 tokens -> 2 shingles);
    # output: the first 4 tokens -> 1 shingle, shared. TP 1, FP 0, FN 1: P 1, R 1/2
    s = evaluate({"a": "Größe über Straße naïve"}, truth_of(a="Größe über Straße naïve café"))
    assert (s.precision, s.recall) == (1.0, 0.5)
    # Cyrillic and CJK: "東京は晴れ" is one \w run, so it is one token
    page = score_page("Москва 東京は晴れ", {"body": "Москва, 東京は晴れ!"})
    assert (page.tp, page.fp, page.fn, page.exact) == (1, 0, 0, True)


def test_outputs_for_unknown_pages_are_refused():
    with pytest.raises(OptionError, match="not in the truth"):
        evaluate({"zzz": "text"}, truth_of(a="text"))


# -- snippets -----------------------------------------------------------------------------

def test_snippets_are_pooled_over_pages_with_whitespace_normalised():
    truth = {
        # include: "Hello world" found (spaces collapsed), "missing bit" not -> 1 of 2
        # exclude: "Subscribe now" and "Cookie" both absent -> 2 of 2
        "a": {"body": "x", "include": ["Hello   world", "missing bit"],
              "exclude": ["Subscribe now", "Cookie"]},
        # include: "x y" found across a line break -> 1 of 1
        # exclude: "y" present -> 0 of 1
        "b": {"body": "x", "include": ["x y"], "exclude": ["y"]},
        "c": {"body": "no snippets here"},
    }
    s = evaluate({"a": "Hello world\nand more", "b": "x\n  y", "c": ""}, truth)
    assert s.include == pytest.approx(2 / 3)  # (1 + 1) / (2 + 1)
    assert s.exclude == pytest.approx(2 / 3)  # (2 + 0) / (2 + 1)


def test_without_snippet_lists_snippet_scores_are_none():
    s = evaluate({"a": "one"}, truth_of(a="one"))
    assert s.include is None and s.exclude is None


# -- datasets -------------------------------------------------------------------------------

ARTICLES = {
    "kettle": ("https://example.org/news/kettle",
               ["The town council voted on Tuesday to replace the old kettle in the "
                "library reading room.",
                "Librarians said the kettle had boiled water for readers since 1987 "
                "and had started to whistle during quiet hours.",
                "A new kettle will arrive next month, paid for by the friends of the "
                "library."]),
    "bridge": ("https://example.org/news/bridge",
               ["Engineers finished painting the footbridge over the canal after six "
                "weeks of work.",
                "The new colour, a pale green, was chosen by pupils of the school on "
                "the north bank.",
                "The bridge reopens to walkers and cyclists on Saturday morning."]),
}


def article_html(paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return ("<html><head><title>Local news</title></head><body>"
            "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
            f"<article><h1>Local news</h1>{body}</article>"
            "<footer>Contact us. Privacy policy.</footer></body></html>")


def write_dataset(root, articles=ARTICLES, snippets=True, extra_pages=()):
    (root / "pages").mkdir(parents=True)
    rows = []
    for pid, (url, paragraphs) in articles.items():
        (root / "pages" / f"{pid}.html.gz").write_bytes(
            gzip.compress(article_html(paragraphs).encode("utf-8")))
        row = {"id": pid, "url": url, "body": "\n\n".join(paragraphs)}
        if snippets:
            row.update(include=[paragraphs[0][:30]], exclude=["Privacy policy"])
        rows.append(row)
    for pid, html in extra_pages:
        (root / "pages" / f"{pid}.html").write_text(html, encoding="utf-8")
        rows.append({"id": pid, "url": None, "body": ""})
    (root / "truth.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows),
                                      encoding="utf-8")
    return root


def test_load_dataset_reads_truth_in_order_and_finds_pages(tmp_path):
    root = write_dataset(tmp_path / "ds", extra_pages=[("plain", "<p>plain page</p>")])
    truth = load_dataset(root)
    assert list(truth) == ["kettle", "bridge", "plain"]
    kettle = truth["kettle"]
    assert kettle["url"] == "https://example.org/news/kettle"
    assert kettle["body"].startswith("The town council voted")
    assert kettle["include"] == ["The town council voted on Tues"]
    assert kettle["exclude"] == ["Privacy policy"]
    assert worker.read_page(kettle["page"]).startswith(b"<html>")
    plain = truth["plain"]
    assert plain["include"] == [] and plain["body"] == "" and plain["url"] is None
    assert worker.read_page(plain["page"]) == b"<p>plain page</p>"


@pytest.mark.parametrize("line, message", [
    ("{not json", "not JSON"),
    ('{"id": "../escape", "body": ""}', "plain file name"),
    ('{"id": "nopage", "body": ""}', "no page for nopage"),
    ('{"id": "kettle", "body": ""}', "appears twice"),
    ('{"id": "fresh", "include": "not a list"}', "'include' must be a list"),
    ('{"id": "fresh", "body": ["a list"]}', "'body' must be a string"),
    ("[" * 100_000, "nested too deep"),  # was: RecursionError, a traceback from the CLI
])
def test_load_dataset_names_the_line_of_a_bad_entry(tmp_path, line, message):
    root = write_dataset(tmp_path / "ds", articles={"kettle": ARTICLES["kettle"],
                                                    "bridge": ARTICLES["bridge"]})
    with (root / "truth.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")
    with pytest.raises(CleanerError, match=message) as info:
        load_dataset(root)
    assert "truth.jsonl:3" in str(info.value)


def test_load_dataset_with_a_truth_file_not_in_utf8_is_a_clear_error(tmp_path):
    # was: UnicodeDecodeError, a traceback from 'cleaner bench'
    (tmp_path / "truth.jsonl").write_bytes(b'{"id": "caf\xe9"}\n')
    with pytest.raises(CleanerError, match="truth.jsonl is not UTF-8"):
        load_dataset(tmp_path)


def test_load_dataset_without_truth_file_is_a_clear_error(tmp_path):
    with pytest.raises(CleanerError, match="truth.jsonl"):
        load_dataset(tmp_path)


# -- extractors and workers -----------------------------------------------------------------

# an extractor module for the worker tests: crashes on BOOM, kills its worker on DIE,
# and otherwise says whether the cleaner package got imported into the worker
PROBE = '''
import os, sys

def load():
    def run(html, url):
        if b"BOOM" in html:
            raise RuntimeError("boom on purpose")
        if b"DIE" in html:
            os._exit(9)
        mods = [m for m in sys.modules if m == "cleaner" or m.startswith("cleaner.")]
        return "cleaner imported" if mods else "alone"
    return run

def load_missing():
    import no_such_module_for_bench_tests
'''


@pytest.fixture
def probe_pages(tmp_path, monkeypatch):
    (tmp_path / "bench_probe.py").write_text(PROBE, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))  # the workers inherit it
    pages = []
    for pid, html in [("ok1", "<p>fine</p>"), ("boom", "<p>BOOM</p>"),
                      ("die", "<p>DIE</p>"), ("ok2", "<p>fine too</p>")]:
        path = tmp_path / f"{pid}.html"
        path.write_text(html, encoding="utf-8")
        pages.append({"id": pid, "url": None, "page": path})
    return pages


def test_a_crash_is_empty_output_and_a_dead_worker_is_replaced(probe_pages):
    got = timing.extract_outputs(["bench_probe:load"], probe_pages, jobs=1)["bench_probe:load"]
    # the worker runs worker.py on its own: no cleaner package next to the extractor
    assert got.texts == {"ok1": "alone", "boom": "", "die": "", "ok2": "alone"}
    assert got.details == {}  # only cleaner tells more than its text
    errs = got.errors
    assert errs["boom"] == "RuntimeError: boom on purpose"
    assert errs["die"].startswith("worker died (exit code 9)")
    assert set(errs) == {"boom", "die"}


def test_accuracy_pass_with_several_jobs_keeps_page_order(probe_pages):
    pages = [p for p in probe_pages if p["id"] != "die"]
    got = timing.extract_outputs(["bench_probe:load"], pages, jobs=3)["bench_probe:load"]
    assert list(got.texts) == ["ok1", "boom", "ok2"]


def test_timing_worker_reports_passes_memory_and_crashes(probe_pages):
    pages = [p for p in probe_pages if p["id"] != "die"]
    t = timing.time_extractor("bench_probe:load", pages, passes=2)
    assert len(t.pass_s) == 2 and len(t.rss_mb) == 3  # warm-up + 2 passes
    assert set(t.page_ms) == {"ok1", "boom", "ok2"}
    assert t.crashed == 1 and t.pages_per_s > 0 and t.ms_p95 >= t.ms_p50 > 0
    with pytest.raises(CleanerError, match="died"):
        timing.time_extractor("bench_probe:load", probe_pages, passes=1)


def test_missing_extractor_package_names_the_bench_extra(probe_pages):
    with pytest.raises(CleanerError, match=r"pip install \.\[bench\]"):
        timing.extract_outputs(["bench_probe:load_missing"], probe_pages[:1])


def test_readability_summary_becomes_one_line_per_block():
    import lxml.html
    root = lxml.html.fromstring("<div><h2>Title</h2><p>One <b>two</b><br>three</p>"
                                "<ul><li>a</li><li>b</li></ul>tail</div>")
    assert worker.block_text(root) == "Title\nOne two\nthree\na\nb\ntail"


def test_lines_absent_compares_tokens_not_punctuation():
    assert report.lines_absent("Kept line\nSubscribe now!\n\n", "kept. Kept line, more") == [
        "Subscribe now!"]


# -- the command line -------------------------------------------------------------------------

def test_cli_bench_prints_the_table_failures_and_json(tmp_path, capsys):
    root = write_dataset(tmp_path / "ds")
    out_json = tmp_path / "bench.json"
    code = main(["bench", str(root), "--passes", "1", "--compare", "lxml",
                 "--failures", "1", "--json", str(out_json)])
    out = capsys.readouterr().out
    assert code == 0
    assert ("| extractor | precision | recall |    F1 | exact | include | exclude | collapsed "
            "| empty | errors | pages/s | ms/page p50 |") in out
    rows = {line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:-1]]
            for line in out.splitlines() if line.startswith("| ")}
    assert set(rows) == {"extractor", "cleaner", "lxml"}
    assert rows["cleaner"][:5] == ["1.000", "1.000", "1.000", "1.000", "1.000"]
    assert float(rows["lxml"][0]) < 1.0  # the floor keeps the navigation and footer
    assert rows["lxml"][5] == "0.000"  # ... so "Privacy policy" is not excluded
    assert rows["cleaner"][6:9] == ["0", "0", "0"]  # nothing collapsed, empty or crashed
    assert all(cell != "n/a" for cell in rows["cleaner"])
    assert "cleaner time per page / lxml floor time per page:" in out
    assert "1 worst cleaner pages by F1:" in out
    data = json.loads(out_json.read_text(encoding="utf-8"))
    cleaner = data["sets"]["ds"]["extractors"]["cleaner"]
    assert cleaner["scores"]["per_page"]["kettle"]["f1"] == 1.0
    assert len(cleaner["timing"]["rss_after_pass_mb"]) == 1
    assert data["pages"] == 2 and "cleaner_over_lxml_ms_per_page" in data["ratios"]


def test_cli_bench_without_timing_and_without_snippets(tmp_path, capsys):
    root = write_dataset(tmp_path / "ds", snippets=False)
    assert main(["bench", str(root), "--passes", "0", "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert "1 pages from" in out and "timing: off" in out
    assert "include" not in out.split("\n\n")[1]
    assert "| cleaner   |     1.000 |  1.000 | 1.000 | 1.000 |         0 |     0 |      0 |     n/a |" in out


def test_cli_bench_names_pages_whose_truth_was_decoded_as_the_wrong_charset(tmp_path, capsys):
    root = write_dataset(tmp_path / "ds", snippets=False)
    rows = [json.loads(line) for line in (root / "truth.jsonl").read_text().splitlines()]
    rows[1]["body"] = "\x00".join(rows[1]["body"])  # NULs, no byte-order mark: unreadable
    (root / "truth.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert main(["bench", str(root), "--passes", "0"]) == 0
    out, err = capsys.readouterr()
    assert "the truth of 1 pages holds NUL characters" in err and ": bridge" in err
    # the garbled page is lost for every extractor; the counts without it say so
    assert "|         1 |" in out
    assert "truth holds NUL characters on 1 pages; without them, collapsed: cleaner 0" in out
    assert "holds 0 of 0 collapsed or F1 < 0.5 pages" in out
    assert main(["bench", str(write_dataset(tmp_path / "ok")), "--passes", "0"]) == 0
    assert "NUL" not in capsys.readouterr().err


def test_cli_bench_reads_a_utf16_truth_read_one_byte_a_character_again(tmp_path, capsys):
    root = write_dataset(tmp_path / "ds", snippets=False)
    rows = [json.loads(line) for line in (root / "truth.jsonl").read_text().splitlines()]
    saved = (rows[1]["body"] + "\r\n\r\n!@#$%^&*()  COMMENTS\r\nGreat post!\r\n")
    rows[1]["body"] = saved.encode("utf-16").decode("cp1252", errors="replace")
    assert "\x00" in rows[1]["body"] and rows[1]["body"].startswith("\xff\xfe")
    (root / "truth.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    truth = load_dataset(root)
    assert truth["bridge"]["body"] == json.loads(
        (write_dataset(tmp_path / "ok").joinpath("truth.jsonl")).read_text().splitlines()[1]
    )["body"]
    assert truth["bridge"]["utf16"] and not truth["kettle"]["utf16"]
    assert main(["bench", str(root), "--passes", "0"]) == 0
    out, err = capsys.readouterr()
    assert "UTF-16 read one byte a character; read as UTF-16: bridge" in err
    assert "NUL" not in err + out and "|         0 |" in out


def test_cli_bench_missing_package_is_one_line(tmp_path, capsys, monkeypatch):
    root = write_dataset(tmp_path / "ds")
    monkeypatch.setattr(bench, "_installed", lambda module: module != "trafilatura")
    assert main(["bench", str(root), "--compare", "trafilatura"]) == 1
    err = capsys.readouterr().err.strip()
    assert err == ("cleaner: extractor 'trafilatura' needs trafilatura, which is not "
                   "installed: pip install .[bench]")


def test_cli_bench_refuses_unknown_extractors_and_bad_counts(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["bench", str(tmp_path), "--compare", "goose"])
    assert info.value.code == 2
    with pytest.raises(SystemExit):
        main(["bench", str(tmp_path), "--jobs", "0"])


def test_cold_speed_script_empties_the_memos_before_each_first_pass(monkeypatch):
    from pathlib import Path

    monkeypatch.syspath_prepend(str(Path(__file__).parents[1] / "scripts"))
    import cold_speed

    from cleaner import clean_article
    from cleaner.extract.boxes import lower_hint
    from cleaner.prune import _VERDICTS

    page = (b"<html><body><div class='site-wrap Story-Body'><p>The pier opened on Monday "
            b"after two years of delays, storms and supply problems.</p></div></body></html>")
    clean_article(page)
    assert lower_hint.cache_info().currsize and _VERDICTS
    assert cold_speed.empty_memos() > 0
    assert lower_hint.cache_info().currsize == 0 and not _VERDICTS
    met: list[int] = []  # the memo sizes each pass starts with
    got = cold_speed.passes([page, page], {
        "cleaner": lambda p: (met.append(lower_hint.cache_info().currsize), clean_article(p))},
        rounds=2)
    first, again = got["cleaner"]
    assert first > 0 and again > 0
    # two rounds of two passes over two pages: empty at each round's first page only
    assert len(met) == 8 and met[0] == met[4] == 0
    assert all(met[i] > 0 for i in (1, 2, 3, 5, 6, 7))
