"""``cleaner batch``: inputs, outputs, errors, resume, workers, and a batch killed mid-run."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from cleaner import clean_article
from cleaner.batch import TMP_DIR, Job, Outcome, Task, find_pages, run_batch, safe_part
from cleaner.batch.pool import run_pool
from cleaner.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
SITES = sorted(p.name for p in FIXTURES.iterdir() if (p / "input.html").exists())
PNG = b"\x89PNG\r\n\x1a\n" + bytes(200)


def fixture_pages(folder: Path, copies: int = 1) -> Path:
    """The fixtures' input.html as <site>.html, in ``copies`` sub-folders c00, c01..."""
    for i in range(copies):
        sub = folder / f"c{i:02d}"
        sub.mkdir(parents=True)
        for site in SITES:
            (sub / f"{site}.html").write_bytes((FIXTURES / site / "input.html").read_bytes())
    return folder


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def batch(capsys, *argv) -> tuple[int, str]:
    code = main(["batch", *map(str, argv)])
    return code, capsys.readouterr().err


def test_folder_in_folder_out_mirrors_names_and_holds_the_clean_text(tmp_path, capsys):
    pages = fixture_pages(tmp_path / "pages")
    code, err = batch(capsys, pages, "--out", tmp_path / "out", "--jobs", "1")
    assert code == 0
    out = tree(tmp_path / "out")
    assert sorted(out) == [f"c00/{site}.txt" for site in SITES]
    site = "metro-tribune.example"
    expected = clean_article((FIXTURES / site / "input.html").read_bytes()).text
    assert out[f"c00/{site}.txt"].decode() == expected + "\n"
    assert f"cleaned {len(SITES)} pages" in err and "0 errors" in err
    assert "removals: " in err and "navigation" in err
    assert "\r" not in err  # no progress bar when stderr is not a terminal


@pytest.mark.parametrize("fmt, ext, check", [
    ("markdown", ".md", lambda b: b.count(b"\n\n") > 3),
    ("html", ".html", lambda b: b.startswith(b"<")),
    ("json", ".json", lambda b: json.loads(b)["source"].endswith(".html")),
])
def test_formats_give_their_extension(tmp_path, capsys, fmt, ext, check):
    pages = fixture_pages(tmp_path / "pages")
    code, _ = batch(capsys, pages / "c00" / f"{SITES[0]}.html", "--out", tmp_path / "out",
                    "--format", fmt, "--jobs", "1")
    assert code == 0
    (name, body), = tree(tmp_path / "out").items()
    assert name == SITES[0] + ext and check(body)


def test_jsonl_output_is_to_dict_plus_source_in_input_order(tmp_path, capsys):
    pages = fixture_pages(tmp_path / "pages")
    code, _ = batch(capsys, pages, "--out", tmp_path / "out.jsonl", "--jobs", "2")
    assert code == 0
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [r["source"] for r in rows] == [str(pages / "c00" / f"{s}.html") for s in SITES]
    assert next(iter(rows[0])) == "source"
    assert {"title", "text", "markdown", "html", "metadata", "removed",
            "removed_by_family"} <= set(rows[0])
    assert all(r["text"] and r["removed"] for r in rows)


def test_jsonl_input_and_a_bad_line_goes_to_the_errors_file(tmp_path, capsys):
    site = "riverside-water.example"
    html = (FIXTURES / site / "input.html").read_text(encoding="utf-8")
    url = json.loads((FIXTURES / site / "meta.json").read_text())["url"]
    src = tmp_path / "crawl.jsonl"
    src.write_text(json.dumps({"url": url, "html": html}) + "\n" + "{not json\n"
                   + json.dumps({"url": url + "?b"}) + "\n", encoding="utf-8")
    code, err = batch(capsys, src, "--out", tmp_path / "out", "--jobs", "1")
    assert code == 0 and "1 pages" in err and "2 errors" in err
    (name, body), = [(k, v) for k, v in tree(tmp_path / "out").items()
                     if k != "errors.jsonl"]
    assert name == "crawl/1-riverside-water.example_news_boil-water-notice-lifted-eastside.txt"
    assert body.decode() == (FIXTURES / site / "expected.txt").read_text().rstrip("\n") + "\n"
    errors = [json.loads(line) for line in
              (tmp_path / "out" / "errors.jsonl").read_text().splitlines()]
    assert [e["source"] for e in errors] == [f"{src}:2", f"{src}:3"]
    assert "JSON" in errors[0]["error"] and '"html"' in errors[1]["error"]


def test_a_jsonl_line_nested_past_the_decoders_stack_is_an_error_line(tmp_path, capsys):
    # was: RecursionError from json.loads ended the whole batch with a traceback
    src = tmp_path / "crawl.jsonl"
    page = "<article><p>The council voted to close the bridge, citing its cost.</p></article>"
    src.write_text("[" * 100_000 + "\n" + '{"html": ' + "[" * 50_000 + "\n" +
                   json.dumps({"html": page}) + "\n", encoding="utf-8")
    code, err = batch(capsys, src, "--out", tmp_path / "out.jsonl", "--jobs", "1")
    assert code == 0 and "Traceback" not in err and "2 errors" in err
    errors = [json.loads(line) for line in
              (tmp_path / "out.errors.jsonl").read_text().splitlines()]
    assert [e["source"] for e in errors] == [f"{src}:1", f"{src}:2"]
    assert all("nested too deep" in e["error"] for e in errors)
    (row,) = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert row["text"].startswith("The council voted")


def test_a_jsonl_line_too_long_for_any_page_under_the_cap_is_passed_by(tmp_path, capsys):
    # was: read whole, however long: a gzipped line of 30 MB of "[" took 30 MB and more
    src = tmp_path / "crawl.jsonl.gz"
    page = "<article><p>The council voted to close the bridge, citing its cost.</p></article>"
    with gzip.open(src, "wb") as fh:
        for _ in range(30):
            fh.write(b"[" * 1_000_000)
        fh.write(b"\n" + json.dumps({"html": page}).encode() + b"\n")
    code, err = batch(capsys, src, "--out", tmp_path / "out.jsonl", "--jobs", "1",
                      "--max-bytes", "1000")
    assert code == 0 and "1 errors" in err
    (error,) = [json.loads(line) for line in
                (tmp_path / "out.errors.jsonl").read_text().splitlines()]
    assert error["source"] == f"{src}:1" and "line is over 1,060,576 bytes" in error["error"]
    (row,) = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert row["source"] == f"{src}:2" and row["text"].startswith("The council voted")


def test_a_corrupt_jsonl_gz_is_an_error_line_not_a_traceback(tmp_path, capsys):
    # was: zlib.error (no OSError) from the gzip stream ended the batch with a traceback
    src = tmp_path / "crawl.jsonl.gz"
    line = json.dumps({"html": "<p>The council voted to close the bridge.</p>"}) + "\n"
    data = bytearray(gzip.compress((line * 200).encode()))
    data[20:40] = bytes(b ^ 0xFF for b in data[20:40])
    src.write_bytes(bytes(data))
    code, err = batch(capsys, src, "--out", tmp_path / "out.jsonl", "--jobs", "1")
    assert code == 0 and "Traceback" not in err and "1 errors" in err
    (error,) = [json.loads(line) for line in
                (tmp_path / "out.errors.jsonl").read_text().splitlines()]
    assert error["error"].startswith(f"cannot read {src}: Error -3")


def test_one_bad_page_never_stops_the_batch(tmp_path, capsys):
    pages = fixture_pages(tmp_path / "pages")
    (pages / "c00" / "aaa-image.html").write_bytes(PNG)
    code, err = batch(capsys, pages, "--out", tmp_path / "out", "--jobs", "2",
                      "--errors", tmp_path / "bad.jsonl")
    assert code == 0 and f"cleaned {len(SITES)} pages" in err and "1 errors" in err
    (error,) = [json.loads(line) for line in (tmp_path / "bad.jsonl").read_text().splitlines()]
    assert error["source"].endswith("aaa-image.html") and "PNG" in error["error"]
    assert len(tree(tmp_path / "out")) == len(SITES)


def test_resume_skips_pages_done_and_pages_that_failed(tmp_path, capsys):
    pages = fixture_pages(tmp_path / "pages")
    (pages / "c00" / "aaa-image.html").write_bytes(PNG)
    out = tmp_path / "out"
    batch(capsys, pages, "--out", out, "--jobs", "1")
    first = tree(out)
    (out / "c00" / f"{SITES[3]}.txt").unlink()
    code, err = batch(capsys, pages, "--out", out, "--jobs", "1", "--resume")
    assert code == 0 and "cleaned 1 pages" in err and "0 errors" in err
    assert f"{len(SITES)} done before" in err   # 16 files + 1 error line
    assert tree(out) == first


def test_without_resume_everything_is_cleaned_again(tmp_path, capsys):
    pages = fixture_pages(tmp_path / "pages")
    batch(capsys, pages, "--out", tmp_path / "out", "--jobs", "1")
    _, err = batch(capsys, pages, "--out", tmp_path / "out", "--jobs", "1")
    assert f"cleaned {len(SITES)} pages" in err and "done before" not in err


def test_jsonl_resume_cuts_a_torn_last_line_and_repeats_nothing(tmp_path, capsys):
    pages = fixture_pages(tmp_path / "pages")
    out = tmp_path / "out.jsonl"
    batch(capsys, pages, "--out", out, "--jobs", "1")
    whole = out.read_bytes()
    lines = whole.splitlines(keepends=True)
    out.write_bytes(b"".join(lines[:5]) + lines[5][:100])  # killed inside a write
    code, err = batch(capsys, pages, "--out", out, "--jobs", "1", "--resume")
    assert code == 0 and f"cleaned {len(SITES) - 5} pages" in err
    assert out.read_bytes() == whole


def test_glob_and_files_and_duplicate_names_get_unique_safe_names(tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    for folder in (a, b):
        folder.mkdir()
        (folder / "Story: über alles?.html").write_bytes(
            (FIXTURES / SITES[0] / "input.html").read_bytes())
    code, _ = batch(capsys, str(tmp_path / "*" / "*.html"), "--out", tmp_path / "out",
                    "--jobs", "1")
    assert code == 0
    plain, hashed = sorted(tree(tmp_path / "out"), key=len)
    assert plain == "Story_über_alles.txt"
    assert hashed.startswith("Story_über_alles-") and hashed.endswith(".txt")


def test_the_same_file_twice_is_cleaned_once(tmp_path):
    pages = fixture_pages(tmp_path / "pages")
    assert len(find_pages([pages, pages / "c00", pages / "c00" / f"{SITES[0]}.html"])) \
        == len(SITES)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_a_folder_or_a_glob_is_passed_by(tmp_path):
    # was: listed as a page; its worker waited forever to open it, and the batch with it
    pages = fixture_pages(tmp_path / "pages")
    os.mkfifo(pages / "c00" / "aaa-fifo.html")
    want = len(SITES)
    assert len(find_pages([pages])) == want
    assert len(find_pages([str(pages / "c00" / "*.html")])) == want


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_page_file_is_read_no_further_than_the_size_cap(tmp_path, capsys):
    # was: the worker read the whole file before the cap was checked: an endless pipe
    # (or /dev/zero) filled the memory
    fifo = tmp_path / "endless.html"
    os.mkfifo(fifo)
    written = []

    def feed() -> None:
        try:
            with open(fifo, "wb") as fh:
                for _ in range(400):  # 100 MB, unless the reader stops first
                    fh.write(b"<p>x</p>" * 32768)
                    written.append(1)
        except OSError:  # the reader closed the pipe: what the cap should do
            pass
    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    code, err = batch(capsys, fifo, "--out", tmp_path / "out", "--jobs", "1",
                      "--max-bytes", "100000")
    feeder.join(60)
    assert code == 0 and "1 errors" in err
    (error,) = [json.loads(line) for line in
                (tmp_path / "out" / "errors.jsonl").read_text().splitlines()]
    assert "over the size limit of 100,000 bytes" in error["error"]
    assert len(written) < 100  # a few 256 KB writes, not all 400


@pytest.mark.parametrize("name, safe", [("..", "_"), ("../../etc/passwd", "etc_passwd"),
                                        (".hidden", "hidden"), ("nul.txt", "_nul.txt"),
                                        ("a" * 300, "a" * 120)])
def test_safe_part_never_escapes_the_output_folder(name, safe):
    assert safe_part(name) == safe


def test_missing_input_is_one_line_exit_1(tmp_path, capsys):
    code, err = batch(capsys, tmp_path / "nope", "--out", tmp_path / "out")
    assert code == 1 and err == f"cleaner: no such file or folder: {tmp_path / 'nope'}\n"
    code, err = batch(capsys, str(tmp_path / "*.html"), "--out", tmp_path / "out")
    assert code == 1 and err.startswith("cleaner: no files match")


def test_unknown_profile_is_one_line_before_any_page(tmp_path, capsys):
    pages = fixture_pages(tmp_path / "pages")
    code, err = batch(capsys, pages, "--out", tmp_path / "out", "--profile", "nope")
    assert code == 1 and err == "cleaner: no profile named 'nope'\n"
    assert not (tmp_path / "out").exists()


def test_jobs_must_be_positive_exit_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["batch", str(tmp_path), "--out", str(tmp_path / "o"), "--jobs", "0"])
    assert exc.value.code == 2


def test_two_workers_give_the_same_files_as_one(tmp_path):
    pages = fixture_pages(tmp_path / "pages", copies=2)
    one = run_batch([pages], tmp_path / "one", jobs=1, format="json")
    two = run_batch([pages], tmp_path / "two", jobs=2, format="json")
    assert one.pages == two.pages == 2 * len(SITES)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    assert one.families == two.families


def test_progress_bar_shows_pages_per_second(tmp_path, capsys):
    pages = fixture_pages(tmp_path / "pages")
    run_batch([pages], tmp_path / "out", jobs=1, progress=True)
    err = capsys.readouterr().err
    assert f"{len(SITES)}/{len(SITES)}" in err and "pages/s" in err


class _KillsItsWorker(dict):
    """Headers that end the worker process that unpickles them: a page that crashes."""

    def __reduce__(self):
        return (os._exit, (3,))


def test_a_page_that_kills_its_worker_is_an_error_and_the_rest_are_cleaned(tmp_path):
    html = (FIXTURES / SITES[0] / "input.html").read_bytes()
    pages = [Task(f"p{i}", f"p{i}", data=html) for i in range(12)]
    pages[5] = Task("p5", "p5", data=html, headers=_KillsItsWorker())
    chunks = [pages[i:i + 3] for i in range(0, 12, 3)]
    outcomes: list[Outcome] = []
    (tmp_path / TMP_DIR).mkdir()
    run_pool(Job(out_dir=str(tmp_path)), iter(chunks), 2, outcomes.append)
    assert [o.source for o in outcomes] == [f"p{i}" for i in range(12)]
    assert [o.source for o in outcomes if o.error] == ["p5"]
    assert "worker process died" in outcomes[5].error
    assert len(list(tmp_path.glob("p*.txt"))) == 11


def test_killed_batch_resumes_to_the_same_output_with_no_partial_files(tmp_path):
    pages = fixture_pages(tmp_path / "pages", copies=16)
    total = 16 * len(SITES)
    reference = run_batch([pages], tmp_path / "reference", jobs=1)
    assert reference.pages == total

    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "cleaner", "batch", str(pages), "--out", str(out),
           "--jobs", "2"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while len(list(out.rglob("*.txt"))) < total // 5 and proc.poll() is None:
        assert time.monotonic() < deadline, "the batch wrote nothing"
        time.sleep(0.02)
    children = _children(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)           # kill -9 the batch, not its workers
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the batch finished before it was killed"
    _wait_gone(children)                        # orphaned workers end on their own
    killed, ref = tree(out), tree(tmp_path / "reference")
    written = len([name for name in killed if name.endswith(".txt")])
    assert 0 < written < total
    assert all(body == ref[name] for name, body in killed.items()
               if name.endswith(".txt")), "a page file was cut short"

    resumed = subprocess.run(cmd + ["--resume"], stderr=subprocess.PIPE, text=True,
                             timeout=120, check=False)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{written:,} done before" in resumed.stderr or \
        f"{written} done before" in resumed.stderr
    assert f"cleaned {total - written:,} pages" in resumed.stderr
    assert not (out / TMP_DIR).exists()
    assert not [p for p in out.rglob("*") if p.suffix == ".tmp"]
    assert tree(out) == ref


def _children(pid: int) -> list[int]:
    """Every descendant of a process (Linux /proc; empty elsewhere)."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            kids = (task / "children").read_text().split() if (task / "children").exists() \
                else []
            found += map(int, kids)
            todo += map(int, kids)
    return found


def _wait_gone(pids: list[int], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    for pid in pids:
        while Path(f"/proc/{pid}").exists():
            status = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1] \
                if Path(f"/proc/{pid}/stat").exists() else "Z"
            if status == "Z":
                break
            assert time.monotonic() < deadline, f"worker {pid} outlived the killed batch"
            time.sleep(0.05)


# -- durability: killed at random points, resumed ------------------------------------------

KILL_ROUNDS = 20


def _small_jsonl(path: Path, n: int = 80) -> set[str]:
    """``n`` small pages as JSONL (every 20th is not a page: an error line); their sources."""
    assert n > 7
    story = "The bridge reopened on Monday after a year of repairs, the council said. "
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            html = 5 if i % 20 == 7 else f"<article><p>Page {i}. {story * 3}</p></article>"
            fh.write(json.dumps({"url": f"https://news.example/{i}", "html": html}) + "\n")
    return {f"{path}:{i + 1}" for i in range(n)}


def _run_killed_at_random(src: Path, out: Path, pages: int,
                          seed: int) -> tuple[int, int]:
    """KILL_ROUNDS runs of ``--resume`` in a forked child, each SIGKILLed at a random
    point: once it has added a random number of records (0 to half of those left), plus a
    random 0-2 ms, so kills land before, between and inside writes whatever the machine's
    speed. Returns (rounds killed before they ended, rounds that added records)."""
    import random
    import warnings
    run_batch([src], out.parent / f"warm-up{out.suffix}", jobs=1)  # rules loaded now
    rng = random.Random(seed)
    killed = worked = 0
    for _ in range(KILL_ROUNDS):
        if _records(out) >= pages:  # a run ended unkilled (a slow poll on a busy machine)
            _start_over(out)        # so that every round has pages left to kill it inside
        before = _records(out)
        target = before + rng.randint(0, max(0, pages - before) // 2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads around
            pid = os.fork()
        if pid == 0:  # the child: one batch run, then out without any clean-up
            try:
                run_batch([src], out, jobs=1, resume=True)
            finally:
                os._exit(0)
        deadline = time.monotonic() + 30
        ended = 0
        while not ended and _records(out) < target and time.monotonic() < deadline:
            ended, status = os.waitpid(pid, os.WNOHANG)
            time.sleep(0.0005)
        if not ended:
            time.sleep(rng.uniform(0, 0.002))
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _, status = os.waitpid(pid, 0)
        killed += os.WIFSIGNALED(status)
        worked += _records(out) > before
    return killed, worked


def _start_over(out: Path) -> None:
    """Remove a finished output and its errors file (a stale lock stays: runs must cope)."""
    if out.suffix == ".jsonl":
        out.unlink()
        out.with_suffix(".errors.jsonl").unlink(missing_ok=True)
    else:
        shutil.rmtree(out)


def _records(out: Path) -> int:
    """Pages done so far: lines of a JSONL output or files of a folder, and error lines."""
    def lines(path: Path) -> int:
        return path.read_bytes().count(b"\n") if path.exists() else 0
    if out.suffix == ".jsonl":
        return lines(out) + lines(out.with_suffix(".errors.jsonl"))
    # os.walk, not rglob: it skips a folder the child removes meanwhile (the temp folder)
    files = sum(f.endswith(".txt") for top, _, names in os.walk(out) if TMP_DIR not in top
                for f in names)
    return files + lines(out / "errors.jsonl")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_jsonl_batch_killed_at_random_points_resumes_to_one_intact_record_per_page(tmp_path):
    src = tmp_path / "in.jsonl"
    sources = _small_jsonl(src, 300)
    out = tmp_path / "out.jsonl"
    killed, worked = _run_killed_at_random(src, out, 300, seed=17)
    assert killed >= KILL_ROUNDS // 2 and worked >= KILL_ROUNDS // 4, (killed, worked)
    run_batch([src], out, jobs=1, resume=True)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    errors = [json.loads(line) for line in
              (tmp_path / "out.errors.jsonl").read_text(encoding="utf-8").splitlines()]
    got = [r["source"] for r in lines] + [e["source"] for e in errors]
    assert sorted(got) == sorted(sources)   # each page exactly once
    assert len(errors) == 15 and all("html" in e["error"] for e in errors)
    for r in lines:
        page = int(r["source"].rsplit(":", 1)[1]) - 1
        assert r["text"].startswith(f"Page {page}. The bridge reopened"), r
    assert not list(tmp_path.glob(".*.lock"))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_folder_batch_killed_at_random_points_resumes_to_one_intact_file_per_page(tmp_path):
    src = tmp_path / "in.jsonl"
    _small_jsonl(src, 30)  # few: every file is fsynced, a disk write each
    out = tmp_path / "out"
    killed, worked = _run_killed_at_random(src, out, 30, seed=18)
    reference = tmp_path / "warm-up"   # the whole run made before the kills
    assert killed >= KILL_ROUNDS // 2 and worked >= KILL_ROUNDS // 4, (killed, worked)
    run_batch([src], out, jobs=1, resume=True)
    got, want = tree(out), tree(reference)
    got_errors = sorted(got.pop("errors.jsonl").splitlines())
    assert got == {k: v for k, v in want.items() if k != "errors.jsonl"}   # whole, no extras
    assert got_errors == sorted(want["errors.jsonl"].splitlines())          # once each


def test_low_confidence_pages_are_listed_in_the_summary_and_jsonl(tmp_path):
    pages = tmp_path / "in"
    pages.mkdir()
    story = "".join(f"<p>The harbour authority said on Monday that the new pier, number {i}, "
                    "would open in spring after two years of delays.</p>" for i in range(8))
    (pages / "story.html").write_text(f"<article><h1>Pier</h1>{story}</article>")
    (pages / "links.html").write_text("<div><a href='/a'>Only</a> <a href='/b'>links</a>"
                                      "</div>")
    summary = run_batch([pages], tmp_path / "out.jsonl", jobs=1)
    assert [source.rsplit("/", 1)[-1] for source, _ in summary.unsure] == ["links.html"]
    assert "low confidence (< 0.5): 1 pages" in summary.format()
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    by_name = {r["source"].rsplit("/", 1)[-1]: r for r in records}
    assert by_name["story.html"]["confidence"] >= 0.5 > by_name["links.html"]["confidence"]
