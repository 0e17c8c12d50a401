"""The inputs of issue 17, one list per row: odd ARGUMENTS (not odd markup) that once broke
the contract (README "Errors"): a result whose ``to_json()`` encodes, or a CleanerError,
in seconds; the CLI and ``cleaner batch`` print one line, never a traceback.

Each case is ``(label, call)``: ``call()`` runs one call and asserts what the row wants.
Used by tests/test_contract.py (each call in a worker process under a wall limit, so a
regression that hangs fails instead of stalling CI) and by scripts/contract_times.py
(the same calls timed against the 2 s target).
"""

from __future__ import annotations

import contextlib
import io
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree

from cleaner import CleanerError, CleanResult, clean_article, clean_text
from cleaner.batch import run_batch
from cleaner.errors import InputError, InputTooLargeError, OptionError, ProfileError
from cleaner.profiles import Profile, load_profile

ROOT = Path(__file__).resolve().parent.parent
STORY = "This is the story of a town, its bridge and the people who cross it daily. "
P = ("<html><head><title>T</title></head><body><article>"
     f"<p>{STORY * 4}</p><p>{STORY * 3}</p></article></body></html>")
Case = tuple[str, Callable[[], object]]


def ok(result: object) -> CleanResult:
    """A result whose JSON encodes: what every call must give when it does not raise."""
    assert isinstance(result, CleanResult), type(result)
    result.to_json().encode("utf-8")
    return result


def refused(call: Callable[[], object], kind: type[CleanerError], *words: str) -> str:
    """``call`` raises ``kind`` (a CleanerError), with ``words`` in its message."""
    try:
        call()
    except CleanerError as exc:
        assert isinstance(exc, kind), f"{type(exc).__name__}: {exc}"
        for w in words:
            assert w in str(exc), f"{w!r} not in {str(exc)!r}"
        return str(exc)
    raise AssertionError(f"no {kind.__name__} raised")


def _tmp() -> Path:
    return Path(tempfile.mkdtemp(prefix="cleaner-contract-"))


def one_line_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    """``cleaner ARGS`` in a new process: exit 1 with one line on stderr, no traceback."""
    proc = subprocess.run([sys.executable, "-m", "cleaner", *args], cwd=ROOT,
                          input=stdin.decode("latin-1") if stdin else None,
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


# -- row 1: non-text codecs as charsets -----------------------------------------------------

_NOT_TEXT = ("hex", "base64", "rot13", "zlib", "bz2", "uu", "quopri")


def _unknown_charset(result: object, label: str) -> None:
    meta = ok(result).metadata
    assert label not in (meta["encoding"] or ""), meta
    assert meta["encoding_source"] not in ("http", "meta"), meta


def _row01() -> list[Case]:
    cases: list[Case] = []
    for label in (*_NOT_TEXT, "idna", "undefined", "punycode"):
        page = f'<meta charset="{label}"><p>caf\xe9 {STORY}</p>'.encode("latin-1")
        cases += [
            (f"meta {label}", lambda p=page, c=label: _unknown_charset(clean_article(p), c)),
            (f"http {label}", lambda c=label: _unknown_charset(clean_article(
                f"<p>caf\xe9 {STORY}</p>".encode("latin-1"),
                headers={"Content-Type": f"text/html; charset={c}"}), c)),
            (f"xml {label}", lambda c=label: _unknown_charset(clean_article(
                f'<?xml version="1.0" encoding="{c}"?><p>caf\xe9 {STORY}</p>'.encode(
                    "latin-1")), c)),
            (f"clean_text bytes {label}", lambda p=page: ok(clean_text(p))),
        ]
    return cases


# -- row 2: punycode's quadratic decoder --------------------------------------------------

def _row02() -> list[Case]:
    return [(f"punycode {size}", lambda n=size: _unknown_charset(clean_article(
        b'<meta charset="punycode">-' + b"99" * n), "punycode"))
        for size in (150_000, 500_000)]


# -- row 3: URLs urllib cannot split, and URLs that are not str ---------------------------

def _row03() -> list[Case]:
    cases: list[Case] = [
        (f"url {url!r}", lambda u=url: ok(clean_article(P, url=u)))
        for url in ("http://[::1", "http://a\uff03b/", "http://[::1]:x/", "//[", "http://",
                    "http://a\u2100b/", "https://x.example:99999/")]
    cases += [(f"url {type(url).__name__}", lambda u=url: refused(
        lambda: clean_article(P, url=u), OptionError, "url"))
        for url in (b"http://x", 123, ["http://x"], 1.5)]
    return cases


# -- row 4: lang that is not a str -----------------------------------------------------------

def _row04() -> list[Case]:
    cases: list[Case] = [(f"lang {lang!r}", lambda v=lang: refused(
        lambda: clean_text("x", lang=v), OptionError, "lang"))
        for lang in (1, b"en", ["en"], 2.0)]
    cases += [(f"lang {lang!r}", lambda v=lang: ok(clean_text("Share this:\nx", lang=v)))
              for lang in ("", "en-GB", "zz-123", "\ud800", "e" * 10_000)]
    return cases


# -- row 5: headers of every shape --------------------------------------------------------

class _ItemsRaise:
    def items(self) -> object:
        return 5  # not pairs


class _Ambiguous:
    """Headers whose truth value raises, as a numpy array's or a DataFrame's does."""

    def __bool__(self) -> bool:
        raise ValueError("the truth value is ambiguous")

    def items(self) -> list[tuple[str, str]]:
        return [("Content-Type", "text/html; charset=cp1251")]


def _ambiguous_headers(page: bytes) -> None:
    assert ok(clean_article(page, headers=_Ambiguous())).metadata["encoding"] == "cp1251"


def _row05() -> list[Case]:
    page = f"<p>\u041f\u0440\u0438\u0432\u0435\u0442 {STORY}</p>".encode("cp1251")
    good = [[("Content-Type", "text/html; charset=cp1251")],
            (("content-type", "text/html; charset=cp1251"),),
            [["Content-Type", "text/html; charset=cp1251"]],
            {b"Content-Type": [b"text/html; charset=cp1251"]},
            {"Content-Type": ["a", "text/html; charset=cp1251"]},
            {"Content-Type": 5}, {5: "x"}, {}, [], {"Content-Type": "\ud800"}]
    bad = ["text/html", b"Content-Type: text/html", 5, [("a",)], [("a", "b", "c")], ["ab"],
           _ItemsRaise(), {"a", "b"}]
    cases: list[Case] = [(f"headers {h!r:.40}", lambda v=h: ok(clean_article(page, headers=v)))
                         for h in good]
    cases += [(f"headers {h!r:.40}", lambda v=h: refused(
        lambda: clean_article(page, headers=v), OptionError, "headers")) for h in bad]
    cases.append(("headers with an ambiguous truth value", lambda: _ambiguous_headers(page)))
    return cases


# -- row 6: markup that is not markup -----------------------------------------------------

def _row06() -> list[Case]:
    import bs4
    soup = bs4.BeautifulSoup(P, "html.parser")
    bad = [etree.XPath("//a"), etree.QName("a"), etree.HTMLParser(), etree.XMLParser(),
           soup.find_all("p"), bs4.UnicodeDammit(b"x"), 5, None, ["<p>x</p>"]]
    cases: list[Case] = [(f"html {type(h).__name__}", lambda v=h: refused(
        lambda: clean_article(v), InputError, "html")) for h in bad]
    good = [etree.ElementTree(etree.fromstring(P, etree.HTMLParser())), soup, soup.p,
            etree.fromstring(P, etree.HTMLParser()), etree.Comment("x")]
    cases += [(f"html {type(h).__name__}", lambda v=h: ok(clean_article(v))) for h in good]
    return cases


# -- row 7: profile files with keys of the wrong type --------------------------------------

def _profile_error(body: str, *words: str) -> str:
    path = _tmp() / "site.example.toml"
    path.write_text(body, encoding="utf-8")
    return refused(lambda: load_profile(path), ProfileError, str(path), *words)


def _row07() -> list[Case]:
    return [(f"profile {body!r}", lambda b=body, w=words: _profile_error(b, *w))
            for body, words in (
                ("host = 5", ("'host'",)), ('host = ["a"]', ("'host'",)),
                ('host = "http://[::1"', ("'host'",)), ('host = "a b"', ("'host'",)),
                ('name = 5', ("'name'",)), ('notes = ["x"]', ("'notes'",)),
                ('body = [1]', ("'body'",)), ('strip = {a = 1}', ("'strip'",)),
                ('strip_text = 5', ("'strip_text'",)), ('test_urls = [[]]', ("'test_urls'",)),
                ('colour = "red"', ("colour",)),
                ('strip = ["p:nth-child(2)"]', ("p:nth-child(2)",)),
                ('body = ["div:has(p)"]', ("div:has(p)",)),
                ('body = ["[[["]', ("[[[",)), ('strip = ["p::before"]', ("p::before",)))]


# -- row 8: lone surrogates into the result ------------------------------------------------

def _ld(data: str) -> str:
    return f'<script type="application/ld+json">{data}</script>{P}'


def _surrogate_batch() -> None:
    tmp = _tmp()
    src = tmp / "in.jsonl"
    src.write_text(json.dumps({"url": "http://x/\ud800", "html": _ld(
        '{"@type": "NewsArticle", "headline": "\\ud800", "author": "\\udfff"}')}) + "\n" +
        json.dumps({"url": "http://y/", "html": P}) + "\n", encoding="utf-8")
    summary = run_batch([src], tmp / "out.jsonl", jobs=1)
    assert summary.pages == 2, summary.format()
    for line in (tmp / "out.jsonl").read_text(encoding="utf-8").splitlines():
        json.loads(line)


def _surrogate_cli() -> None:
    path = _tmp() / "page.html"
    path.write_text(_ld('{"@type": "NewsArticle", "headline": "\\ud800"}'), encoding="utf-8")
    proc = one_line_cli("clean", str(path), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    json.loads(proc.stdout)


def _row08() -> list[Case]:
    return [
        ("JSON-LD headline", lambda: ok(clean_article(_ld(
            '{"@type": "NewsArticle", "headline": "\\ud800 x", "author": {"name": "\\udc00"},'
            ' "datePublished": "\\ud800", "description": "\\udbff", "url": "http://x/\\ud800",'
            ' "articleBody": "\\ud800", "publisher": ["\\ud800"]}').encode()))),
        ("JSON-LD site name", lambda: ok(clean_article(_ld(
            '{"@type": "WebSite", "name": "\\ud800"}')))),
        ("url", lambda: ok(clean_article(P, url="http://x/\ud800"))),
        ("headers", lambda: ok(clean_article(P.encode(), headers={"X": "\udc80"}))),
        ("markup str", lambda: ok(clean_article(P.replace("town", "t\ud800wn")))),
        ("clean_text", lambda: ok(clean_text("Share this:\nA line \ud800 here.\n"))),
        ("cleaner clean --format json", _surrogate_cli),
        ("JSONL batch", _surrogate_batch),
    ]


# -- row 9: JSON-LD nested deep -------------------------------------------------------------

def _row09() -> list[Case]:
    cases: list[Case] = []
    for depth in (950, 5000):
        nest = "[" * depth + '"Ann"' + "]" * depth
        for key in ("author", "publisher", "headline", "creator"):
            cases.append((f"{key} {depth} deep", lambda k=key, n=nest: ok(clean_article(_ld(
                f'{{"@type": "NewsArticle", "{k}": {n}}}')))))
        cases.append((f"WebSite name {depth} deep", lambda n=nest: ok(clean_article(_ld(
            f'{{"@type": "WebSite", "name": {n}}}')))))
        obj = '{"name": ' * depth + '"Ann"' + "}" * depth
        cases.append((f"author objects {depth} deep", lambda o=obj: ok(clean_article(_ld(
            f'{{"@type": "NewsArticle", "author": {o}}}')))))
    return cases


# -- row 12: NFKC on a flood of combining marks --------------------------------------------

_MARKS = "\u0301\u0316"


def _row12() -> list[Case]:
    cases: list[Case] = []
    for n in (50_000, 200_000):
        flood = "a" + _MARKS * n
        cases += [
            (f"h2 {n}", lambda f=flood: ok(clean_article(f"<title>T</title><h2>{f}</h2>{P}"))),
            (f"title {n}", lambda f=flood: ok(clean_article(
                f"<title>{f}</title><h2>{f}</h2>{P}"))),
            (f"author {n}", lambda f=flood: ok(clean_article(
                f'<meta name="author" content="{f}"><article><p>By {f[:40]}</p>'
                f"<p>{STORY * 3}</p></article>"))),
            (f"body {n}", lambda f=flood: ok(clean_article(f"<article><p>{f}</p>{P}"))),
            (f"clean_text {n}", lambda f=flood: ok(clean_text(f"Share this:\n{f}\n"))),
        ]
    return cases


# -- rows 10, 11 and 13: floods of removals, comment sections and deep chains ----------

def _kept_story(result: object) -> None:
    assert STORY.strip() in ok(result).text


def _row10() -> list[Case]:
    strip = Profile(name="strip", host="strip.example", strip=("i.promo",))
    floods = {
        "hidden": '<i hidden>x</i>',
        "figcaptions": "<figure><figcaption>A photo of the bridge</figcaption></figure>",
        "share labels": "<p>Share this:</p>",
        "ad labels": "<div>Advertisement</div>",
    }
    def after_article(piece: str, n: int) -> str:
        return P.replace("</article>", "</article>" + piece * n)

    cases: list[Case] = []
    for n in (30_000, 100_000):
        for name, piece in floods.items():
            cases.append((f"{name} x {n:,}", lambda piece=piece, n=n: _kept_story(
                clean_article(after_article(piece, n)))))
    cases.append(("profile strip matches x 100,000", lambda: _kept_story(clean_article(
        after_article('<i class="promo">buy</i>', 100_000), "https://strip.example/a",
        profile=strip))))
    return cases


def _row11() -> list[Case]:
    return [(f"{n:,} sibling comment sections", lambda n=n: _kept_story(clean_article(
        P.replace("</article>", "</article>" + '<div id="comments"><p>Nice piece, thanks '
                  'for writing it.</p></div>' * n), include_comments=True)))
        for n in (20_000, 50_000)]


def _row13() -> list[Case]:
    def chains(n: int) -> str:
        chain = "<div>" * 1900 + f"<p>{STORY}</p>" + "</div>" * 1900
        return "<nav>menu</nav>" + chain * n
    # 130 chains: 247,133 elements, under the element cap; 500: 950,503, refused at once
    return [("130 chains of 1,900 nested divs", lambda: ok(clean_article(chains(130)))),
            ("500 chains of 1,900 nested divs", lambda: refused(
                lambda: clean_article(chains(500)), InputTooLargeError, "950,503 elements"))]


# -- row 14: profile selectors over many siblings and deep nesting -------------------------

def _row14() -> list[Case]:
    sib = Profile(name="sib", host="sib.example", strip=("h2 ~ div",))
    deep = Profile(name="deep", host="deep.example", body=("div.content p",))
    chain = Profile(name="chain", host="chain.example",
                    body=("div.content div.content div.content p",))
    nested = '<div class="content"><p>para</p>' * 1900 + "</div>" * 1900
    return [
        ("h2 ~ div, 5,000 sections", lambda: ok(clean_article(
            "<body>" + "<h2>h</h2><div>x</div>" * 5000 + P + "</body>", profile=sib))),
        ("div.content p, 1,900 nested", lambda: ok(clean_article(
            f"<body>{nested}</body>", profile=deep))),
        ("three descendant steps, 1,900 nested", lambda: ok(clean_article(
            f"<body>{nested}</body>", profile=chain))),
    ]


# -- row 15: unbounded reads in the CLI ------------------------------------------------------

def _fifo_read() -> None:
    fifo = _tmp() / "fifo"
    os.mkfifo(fifo)

    def feed() -> None:
        with contextlib.suppress(OSError), open(fifo, "wb") as fh:
            while True:
                fh.write(b"y\n" * 65536)
    threading.Thread(target=feed, daemon=True).start()
    proc = one_line_cli("clean", str(fifo), "--max-bytes", "100000")
    assert proc.returncode == 1 and "limit" in proc.stderr, proc.stderr


def _dev_zero(*extra: str) -> None:
    proc = one_line_cli("clean", "/dev/zero", *extra)
    assert proc.returncode == 1 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def _row15() -> list[Case]:
    return [("/dev/zero --max-bytes 1000", lambda: _dev_zero("--max-bytes", "1000")),
            ("/dev/zero", _dev_zero),
            ("a FIFO fed forever", _fifo_read)]


# -- row 16: batch URLs urllib cannot split ------------------------------------------------

def _warc(path: Path, records: list[tuple[str, bytes]], gz: bool = True) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=gz)
        for url, body in records:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                    protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                http_headers=http))


def _bad_url_batch(kind: str) -> None:
    tmp = _tmp()
    urls = ["http://[::1", "http://a\uff03b/", "http://ok.example/"]
    if kind == "jsonl":
        src = tmp / "in.jsonl"
        src.write_text("".join(json.dumps({"url": u, "html": P}) + "\n" for u in urls),
                       encoding="utf-8")
    else:
        src = tmp / "in.warc.gz"
        _warc(src, [(u, P.encode()) for u in urls])
    for out in (tmp / "out.jsonl", tmp / "out"):
        summary = run_batch([src], out, jobs=1)
        assert summary.pages == 3 and summary.errors == 0, summary.format()


def _row16() -> list[Case]:
    return [("JSONL line", lambda: _bad_url_batch("jsonl")),
            ("WARC record", lambda: _bad_url_batch("warc"))]


# -- row 17: batch outputs that cannot be written ------------------------------------------

def _bad_output(*args: str) -> None:
    tmp = _tmp()
    (tmp / "afile").write_text("x")
    (tmp / "somedir.jsonl").mkdir()
    (tmp / "in.jsonl").write_text(json.dumps({"url": "http://x/", "html": P}) + "\n")
    proc = subprocess.run([sys.executable, "-m", "cleaner", "batch", "in.jsonl", "-j", "1",
                           *args], cwd=tmp, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 1 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def _row17() -> list[Case]:
    return [(" ".join(a), lambda a=a: _bad_output(*a)) for a in (
        ("--out", "afile/x.jsonl"), ("--out", "o.jsonl", "--errors", "afile/e.jsonl"),
        ("--out", "somedir.jsonl"), ("--out", "afile"), ("--out", "afile/sub/dir"),
        ("--out", "o.jsonl", "--errors", "somedir.jsonl"))]


# -- row 18: two batches on one output -----------------------------------------------------

def _second_batch_refused(jsonl: bool) -> None:
    from cleaner.batch.outputs import OutputLock
    tmp = _tmp()
    src = tmp / "in.jsonl"
    src.write_text("".join(json.dumps({"url": f"http://x/{i}", "html": P}) + "\n"
                           for i in range(5)))
    out = tmp / ("out.jsonl" if jsonl else "out")
    first = OutputLock(str(tmp / ".out.jsonl.lock") if jsonl else str(out / ".cleaner-lock"),
                       "the output")
    if not jsonl:
        out.mkdir()
    with first:  # a batch is running on this output
        refused(lambda: run_batch([src], out, jobs=1, resume=True), CleanerError,
                "another cleaner batch")
    summary = run_batch([src], out, jobs=1, resume=True)  # and once it has ended
    assert summary.pages == 5 and summary.errors == 0, summary.format()


def _row18() -> list[Case]:
    return [("JSONL output", lambda: _second_batch_refused(True)),
            ("folder output", lambda: _second_batch_refused(False))]


# -- row 19: huge line counts, and clean_text's size cap -------------------------------------

def _row19() -> list[Case]:
    def big_share(clean: Callable[[str], CleanResult]) -> None:
        r = clean("Share this:\n" * 1_600_000)  # 19 MB, under the cap
        assert r.text == "" and len(r.removed) == 1_600_000
        assert isinstance(r, CleanResult) and r.removed[-1].where == "text:1600000"

    return [
        ("clean_article, 1.6M residue lines", lambda: big_share(clean_article)),
        ("clean_text, 1.6M residue lines", lambda: big_share(clean_text)),
        ("clean_text over the cap", lambda: refused(
            lambda: clean_text("x\n" * 10_000_001), InputTooLargeError, "max_bytes")),
        ("clean_text bytes over the cap", lambda: refused(
            lambda: clean_text(b"x" * 101, max_bytes=100), InputTooLargeError)),
        ("clean_text max_bytes=0", lambda: refused(
            lambda: clean_text("x", max_bytes=0), OptionError, "max_bytes")),
    ]


# -- a WARC cut mid-record ---------------------------------------------------------------

def _cut_warc(gz: bool) -> None:
    tmp = _tmp()
    path = tmp / ("in.warc.gz" if gz else "in.warc")
    _warc(path, [(f"http://x.example/{i}", P.encode()) for i in range(5)], gz=gz)
    data = path.read_bytes()
    for cut in (0.43, 0.5, 0.53, 0.67, 0.71):  # never a record boundary (0.2, 0.4...)
        path.write_bytes(data[:int(len(data) * cut)])
        out = tmp / f"out-{cut}.jsonl"
        summary = run_batch([path], out, jobs=1)
        assert summary.errors >= 1, (cut, summary.format())
        errors = (tmp / f"out-{cut}.errors.jsonl").read_text()
        assert "truncated" in errors or "broken" in errors, errors


def _warc_cut() -> list[Case]:
    return [(".warc.gz cut", lambda: _cut_warc(True)), (".warc cut", lambda: _cut_warc(False))]


ROWS: dict[str, Callable[[], list[Case]]] = {
    "row01": _row01, "row02": _row02, "row03": _row03, "row04": _row04, "row05": _row05,
    "row06": _row06, "row07": _row07, "row08": _row08, "row09": _row09, "row10": _row10,
    "row11": _row11, "row12": _row12, "row13": _row13, "row14": _row14, "row15": _row15,
    "row16": _row16, "row17": _row17, "row18": _row18, "row19": _row19,
    "warc_cut": _warc_cut,
}


def cases(row: str) -> list[Case]:
    return ROWS[row]()


def serve(conn: Any) -> None:
    """A worker process's loop: run the case ``(row, index)`` sent on ``conn``, send back
    ``(status, seconds, detail)``; status "ok", or "fail" with the traceback."""
    built: dict[str, list[Case]] = {}
    while True:
        try:
            row, index = conn.recv()
        except EOFError:
            return
        if row not in built:
            built[row] = cases(row)
        _, call = built[row][index]
        start = time.perf_counter()
        try:
            call()
        except BaseException:
            conn.send(("fail", time.perf_counter() - start, traceback.format_exc()))
        else:
            conn.send(("ok", time.perf_counter() - start, ""))


class Worker:
    """One case at a time in a separate process, under a wall-clock limit: a case that
    overruns is a failure (its process is killed and a new one started), not a hang."""

    def __init__(self) -> None:
        self._ctx = multiprocessing.get_context("spawn")
        self._start()

    def _start(self) -> None:
        self.conn, child = self._ctx.Pipe()
        self.proc = self._ctx.Process(target=serve, args=(child,), daemon=True)
        self.proc.start()
        child.close()

    def _restart(self) -> None:
        self.proc.kill()
        self.proc.join()
        self.conn.close()
        self._start()

    def run(self, row: str, index: int, limit: float) -> tuple[str, float, str]:
        self.conn.send((row, index))
        if not self.conn.poll(limit):
            self._restart()
            return "over the time limit", limit, ""
        try:
            return self.conn.recv()  # type: ignore[no-any-return]
        except EOFError:  # the process died (a crash, out of memory)
            code = self.proc.exitcode
            self._restart()
            return f"worker died (exit {code})", 0.0, ""

    def close(self) -> None:
        self.conn.close()
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()
