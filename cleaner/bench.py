"""The benchmark runner behind ``cleaner bench``: accuracy and speed on a page dataset.

A dataset is a folder with ``truth.jsonl`` (one JSON object a line: ``id``, ``url``,
``body``, optional ``include`` / ``exclude`` snippet lists) and ``pages/<id>.html.gz``.

Accuracy is the metric of the Scrapinghub article-extraction-benchmark (``evaluate.py``):
texts become multisets of 4-token shingles (tokens are ``\\w+`` runs, case kept), each
page gets TP/FP/FN from the multiset overlap, precision is averaged over the pages whose
output has shingles, recall over the pages whose truth has shingles, and F1 is the
harmonic mean of those two averages. ``exact`` is the share of pages whose token lists
are equal.

>>> s = evaluate({"a": "one two three four five"}, {"a": {"body": "one two three four"}})
>>> round(s.precision, 3), s.recall, round(s.f1, 3)
(0.5, 1.0, 0.667)

Speed is measured in one worker process per extractor, pinned to one core, one worker
at a time: pages loaded first, one warm-up pass, then N timed passes.

The worker processes load this file on its own (not as ``cleaner.bench``), so that a
worker imports its extractor and nothing else of cleaner; hence only the standard
library is imported at module level.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

if __package__:  # imported as cleaner.bench; a timing worker loads this file alone
    from .errors import CleanerError, OptionError
    from .cli import whole_number

__all__ = [
    "EXTRACTORS",
    "BenchResult",
    "Extractor",
    "PageScore",
    "Scores",
    "Timing",
    "evaluate",
    "format_failures",
    "format_table",
    "load_dataset",
    "read_page",
    "run_bench",
    "score_page",
    "shingles",
    "tokenize",
]

SHINGLE_SIZE = 4
INSTALL_HINT = "pip install .[bench]"
_TOKEN_RE = re.compile(r"\w+", re.UNICODE)
_SAFE_ID = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*$")  # ids become file names


# -- the metric ----------------------------------------------------------------------

def tokenize(text: str) -> list[str]:
    """The benchmark's tokens: runs of word characters, case and accents kept.

    >>> tokenize("Größe: l'été, 2024!")
    ['Größe', 'l', 'été', '2024']
    """
    return _TOKEN_RE.findall(text or "")


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[str]:
    """The multiset of ``size``-token shingles, each joined by spaces.

    A text of 1 to ``size - 1`` tokens is one shingle of all its tokens; no tokens, none.

    >>> shingles("a b c d e")
    Counter({'a b c d': 1, 'b c d e': 1})
    >>> shingles("just two")
    Counter({'just two': 1})
    """
    tokens = tokenize(text)
    if not tokens:
        return Counter()
    return Counter(" ".join(tokens[i:i + size])
                   for i in range(max(1, len(tokens) - size + 1)))


def normalize_space(text: str) -> str:
    """Runs of whitespace to one space, ends stripped: how snippets are compared."""
    return " ".join(text.split())


@dataclass(frozen=True)
class PageScore:
    """One page's shingle counts and scores.

    ``precision`` is None when the output has no shingles and ``recall`` None when the
    truth has none: such pages are left out of that average, as in the benchmark.
    """

    tp: int
    fp: int
    fn: int
    exact: bool
    include_found: int = 0
    include_total: int = 0
    exclude_absent: int = 0
    exclude_total: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float:
        """The page's own F1 (used to rank failures); 1.0 when both texts are empty."""
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision,
                "recall": self.recall, "f1": self.f1, "exact": self.exact,
                "include_found": self.include_found, "include_total": self.include_total,
                "exclude_absent": self.exclude_absent, "exclude_total": self.exclude_total}


def score_page(output: str, truth: Mapping[str, Any]) -> PageScore:
    """Score one output against one truth entry (``body``, optional include/exclude).

    >>> p = score_page("a b c d x", {"body": "a b c d"})
    >>> p.tp, p.fp, p.fn, p.precision, p.recall
    (1, 1, 0, 0.5, 1.0)
    """
    output = output or ""
    body = truth.get("body") or ""
    pred, true = shingles(output), shingles(body)
    tp = sum((pred & true).values())
    flat = normalize_space(output)
    include = [normalize_space(s) for s in truth.get("include") or ()]
    exclude = [normalize_space(s) for s in truth.get("exclude") or ()]
    return PageScore(
        tp=tp, fp=sum(pred.values()) - tp, fn=sum(true.values()) - tp,
        exact=tokenize(output) == tokenize(body),
        include_found=sum(s in flat for s in include), include_total=len(include),
        exclude_absent=sum(s not in flat for s in exclude), exclude_total=len(exclude))


@dataclass(frozen=True)
class Scores:
    """Dataset-level scores and the per-page scores they come from.

    ``precision`` / ``recall`` are None when no page qualifies for that average; F1 then
    counts the missing one as 0. ``include`` / ``exclude`` are None without snippets.
    """

    precision: float | None
    recall: float | None
    f1: float
    exact: float
    include: float | None
    exclude: float | None
    pages: dict[str, PageScore] = field(repr=False)

    def to_dict(self, per_page: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {"precision": self.precision, "recall": self.recall,
                               "f1": self.f1, "exact": self.exact, "include": self.include,
                               "exclude": self.exclude, "pages": len(self.pages)}
        if per_page:
            out["per_page"] = {pid: s.to_dict() for pid, s in self.pages.items()}
        return out


def _mean(values: Iterable[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return statistics.fmean(kept) if kept else None


def _share(hits: int, total: int) -> float | None:
    return hits / total if total else None


def evaluate(outputs: Mapping[str, str], truth: Mapping[str, Mapping[str, Any]]) -> Scores:
    """Score extractor outputs (id -> text) against truth entries (id -> dict with ``body``).

    Every page in ``truth`` is scored; an id missing from ``outputs`` counts as empty
    output. Ids in ``outputs`` that are not in ``truth`` raise ``OptionError``.

    >>> s = evaluate({"a": "The cat sat on the mat", "b": ""},
    ...              {"a": {"body": "The cat sat on the mat"}, "b": {"body": "Gone."}})
    >>> s.precision, s.recall, round(s.f1, 4), s.exact
    (1.0, 0.5, 0.6667, 0.5)
    """
    unknown = sorted(set(outputs) - set(truth))
    if unknown:
        raise OptionError(f"outputs for pages not in the truth: {', '.join(unknown[:5])}")
    pages = {pid: score_page(outputs.get(pid, ""), entry) for pid, entry in truth.items()}
    precision = _mean(p.precision for p in pages.values())
    recall = _mean(p.recall for p in pages.values())
    prec, rec = precision or 0.0, recall or 0.0
    return Scores(
        precision=precision, recall=recall,
        f1=2 * prec * rec / (prec + rec) if prec + rec else 0.0,
        exact=statistics.fmean(p.exact for p in pages.values()) if pages else 0.0,
        include=_share(sum(p.include_found for p in pages.values()),
                       sum(p.include_total for p in pages.values())),
        exclude=_share(sum(p.exclude_absent for p in pages.values()),
                       sum(p.exclude_total for p in pages.values())),
        pages=pages)


# -- the dataset ---------------------------------------------------------------------

def load_dataset(path: str | Path) -> dict[str, dict[str, Any]]:
    """Read ``truth.jsonl`` of a dataset folder: id -> entry, in file order.

    Each entry has ``id``, ``url``, ``body``, ``include`` and ``exclude`` (lists, maybe
    empty) and ``page``, the path of its HTML (``pages/<id>.html.gz`` or ``.html``).
    Raises ``CleanerError`` naming the file and line for anything malformed.

    >>> truth = load_dataset("bench/scrapinghub")              # doctest: +SKIP
    >>> evaluate({pid: "" for pid in truth}, truth).recall      # doctest: +SKIP
    0.0
    """
    root = Path(path)
    truth_file = root / "truth.jsonl"
    try:
        lines = truth_file.read_text(encoding="utf-8").split("\n")
    except OSError as exc:
        raise CleanerError(f"cannot read {truth_file}: {exc.strerror or exc} "
                           "(a dataset is a folder with truth.jsonl and pages/)") from None
    entries: dict[str, dict[str, Any]] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{truth_file}:{number}"
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise CleanerError(f"{where}: not JSON ({exc})") from None
        pid = row.get("id") if isinstance(row, dict) else None
        if not isinstance(pid, str) or not _SAFE_ID.match(pid):
            raise CleanerError(f"{where}: 'id' must be a plain file name, got {pid!r}")
        if pid in entries:
            raise CleanerError(f"{where}: id {pid} appears twice")
        for key in ("url", "body"):
            if not isinstance(row.get(key) or "", str):
                raise CleanerError(f"{where}: '{key}' must be a string")
        lists = {}
        for key in ("include", "exclude"):
            value = row.get(key) or []
            if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
                raise CleanerError(f"{where}: '{key}' must be a list of strings")
            lists[key] = value
        page = next((p for p in (root / "pages" / f"{pid}.html.gz",
                                 root / "pages" / f"{pid}.html") if p.is_file()), None)
        if page is None:
            raise CleanerError(f"{where}: no page for {pid} (pages/{pid}.html.gz)")
        entries[pid] = {"id": pid, "url": row.get("url") or None, "body": row.get("body") or "",
                        **lists, "page": page}
    if not entries:
        raise CleanerError(f"{truth_file} lists no pages")
    return entries


def read_page(path: str | Path) -> bytes:
    """The page's HTML bytes, gunzipped when the file name ends in ``.gz``."""
    data = Path(path).read_bytes()
    return gzip.decompress(data) if str(path).endswith(".gz") else data


# -- the extractors ------------------------------------------------------------------

ExtractFn = Callable[[bytes, "str | None"], str]

# elements that start a new line when readability's summary is turned into text
_BLOCK_TAGS = ("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
               "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
               "header", "hr", "li", "main", "ol", "p", "pre", "section", "table", "td",
               "th", "tr", "ul")


def block_text(root: Any) -> str:
    """Text of an lxml tree, one line per block element, spaces collapsed.

    >>> import lxml.html
    >>> block_text(lxml.html.fromstring("<div><h2>Title</h2><p>One <b>two</b></p>x</div>"))
    'Title\\nOne two\\nx'
    """
    for el in root.iter(*_BLOCK_TAGS):
        el.text = "\n" + (el.text or "")
        el.tail = "\n" + (el.tail or "")
    lines = (normalize_space(line) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def _load_cleaner() -> ExtractFn:
    import cleaner

    def run(html: bytes, url: str | None) -> str:
        return cleaner.clean_article(html, url).text
    return run


def _load_trafilatura() -> ExtractFn:
    import trafilatura

    def run(html: bytes, url: str | None) -> str:
        return trafilatura.extract(html, url=url, include_comments=False) or ""
    return run


def _load_trafilatura_precision() -> ExtractFn:
    import trafilatura

    def run(html: bytes, url: str | None) -> str:
        return trafilatura.extract(html, url=url, include_comments=False,
                                   favor_precision=True) or ""
    return run


def _load_readability() -> ExtractFn:
    import lxml.html
    import readability

    def run(html: bytes, url: str | None) -> str:
        summary = readability.Document(html).summary()
        return block_text(lxml.html.fromstring(summary)) if summary.strip() else ""
    return run


def _load_justext() -> ExtractFn:
    import justext
    stoplist = justext.get_stoplist("English")

    def run(html: bytes, url: str | None) -> str:
        paragraphs = justext.justext(html, stoplist)
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)
    return run


def _load_lxml() -> ExtractFn:
    import lxml.html

    def run(html: bytes, url: str | None) -> str:
        return lxml.html.document_fromstring(html).text_content()
    return run


@dataclass(frozen=True)
class Extractor:
    """One extractor the bench can run: how to load it and what it needs installed."""

    name: str
    module: str       # imported by the worker; checked before a run starts
    package: str      # the distribution that provides it, for messages and versions
    call: str         # what is measured, for --help and the report
    load: Callable[[], ExtractFn] = field(repr=False)


EXTRACTORS: dict[str, Extractor] = {e.name: e for e in (
    Extractor("cleaner", "cleaner", "cleaner", "cleaner.clean_article(html, url).text",
              _load_cleaner),
    Extractor("trafilatura", "trafilatura", "trafilatura",
              "trafilatura.extract(html, url=url, include_comments=False)",
              _load_trafilatura),
    Extractor("trafilatura-precision", "trafilatura", "trafilatura",
              "trafilatura.extract(..., include_comments=False, favor_precision=True)",
              _load_trafilatura_precision),
    Extractor("readability-lxml", "readability", "readability-lxml",
              "readability.Document(html).summary(), one line per block element",
              _load_readability),
    Extractor("justext", "justext", "jusText",
              "justext.justext(html, English stoplist), good paragraphs one a line",
              _load_justext),
    Extractor("lxml", "lxml", "lxml", "lxml.html.document_fromstring(html).text_content()",
              _load_lxml),
)}


def _resolve(target: str) -> Callable[[], ExtractFn]:
    """A registered extractor's loader, or ``package.module:loader`` (used by tests)."""
    if target in EXTRACTORS:
        return EXTRACTORS[target].load
    module_name, _, attr = target.partition(":")
    import importlib
    return getattr(importlib.import_module(module_name), attr)


def run_page(fn: ExtractFn, html: bytes, url: str | None) -> tuple[str, str | None]:
    """One extraction: (text, None), or ("", one-line error) when the extractor raised."""
    try:
        text = fn(html, url)
    except Exception as exc:  # an extractor's bug on one page must not stop the run
        return "", " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
    return (text if isinstance(text, str) else str(text or "")), None


# -- the worker process ----------------------------------------------------------------

def _current_rss_mb() -> float | None:
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def _peak_rss_mb() -> float | None:
    # VmHWM, not ru_maxrss: on Linux ru_maxrss keeps the parent's RSS from before exec
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 2**10
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes vs KiB


def worker_main() -> int:
    """Entry point of a worker process: the job comes as JSON on stdin, results go out
    as JSON lines on stdout (see ``_Worker``). Not for direct use."""
    job = json.loads(sys.stdin.buffer.read())
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # an extractor's stray prints go to stderr, not into the results
    sys.stdout = sys.stderr

    def send(message: dict[str, Any]) -> None:
        out.write(json.dumps(message) + "\n")
        out.flush()

    if job.get("core") is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {job["core"]})
    try:
        fn = _resolve(job["extractor"])()
    except ImportError as exc:
        send({"fatal": f"extractor {job['extractor']!r} cannot be imported "
                       f"({exc}): {INSTALL_HINT}"})
        return 3
    pages = [(p["id"], p["url"], read_page(p["path"])) for p in job["pages"]]
    send({"ready": True, "rss_mb": _current_rss_mb()})
    if job["mode"] == "extract":
        for pid, url, html in pages:
            text, error = run_page(fn, html, url)
            send({"id": pid, "text": text, "error": error})
        return 0
    for number in range(job["passes"] + 1):  # pass 0 is the warm-up
        times, crashed = [], 0
        start = time.perf_counter_ns()
        for _pid, url, html in pages:
            t0 = time.perf_counter_ns()
            _text, error = run_page(fn, html, url)
            times.append(time.perf_counter_ns() - t0)
            crashed += error is not None
        wall = time.perf_counter_ns() - start
        send({"pass": number, "wall_ns": wall, "times_ns": times, "crashed": crashed,
              "rss_mb": _current_rss_mb()})
    send({"peak_rss_mb": _peak_rss_mb()})
    return 0


# loads this file as a plain module (not the cleaner package) and runs worker_main
_BOOT = ("import importlib.util as u, sys; "
         "s = u.spec_from_file_location('_cleaner_bench_worker', sys.argv[1]); "
         "m = sys.modules[s.name] = u.module_from_spec(s); s.loader.exec_module(m); "
         "sys.exit(m.worker_main())")


class _Worker:
    """A worker process for one extractor and a list of pages; iterate for its messages."""

    def __init__(self, extractor: str, pages: Sequence[Mapping[str, Any]], mode: str, *,
                 passes: int = 0, core: int | None = None) -> None:
        import subprocess
        import tempfile
        here = Path(__file__).resolve()
        env = dict(os.environ)
        # the worker must import the same cleaner as this process, installed or not
        # (-P: no current folder on its path, so PYTHONPATH decides)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(here.parent.parent), env.get("PYTHONPATH")) if p)
        job = {"extractor": extractor, "mode": mode, "passes": passes, "core": core,
               "pages": [{"id": p["id"], "url": p["url"], "path": str(p["page"])}
                         for p in pages]}
        self._stderr = tempfile.TemporaryFile()
        self._proc = subprocess.Popen([sys.executable, "-P", "-c", _BOOT, str(here)],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=self._stderr, env=env)
        assert self._proc.stdin is not None
        self._proc.stdin.write(json.dumps(job).encode("utf-8"))
        self._proc.stdin.close()

    def __iter__(self) -> Iterator[dict[str, Any]]:
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            try:
                yield json.loads(line)
            except ValueError:  # a line cut short when the worker died
                return

    def close(self) -> tuple[int, str]:
        """Wait for the worker; (exit code, last line of its stderr)."""
        code = self._proc.wait()
        self._stderr.seek(0)
        lines = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        self._stderr.close()
        return code, lines[-1] if lines else ""


def _extract_chunk(extractor: str, pages: Sequence[Mapping[str, Any]]
                   ) -> tuple[dict[str, str], dict[str, str]]:
    """Outputs and errors of one extractor on some pages. A page that kills the worker
    counts as a crash; a new worker takes the pages after it."""
    texts: dict[str, str] = {}
    errors: dict[str, str] = {}
    todo = list(pages)
    while todo:
        worker = _Worker(extractor, todo, "extract")
        ready, fatal = False, None
        for message in worker:
            if "fatal" in message:
                fatal = message["fatal"]
            elif "ready" in message:
                ready = True
            else:
                texts[message["id"]] = message["text"]
                if message["error"]:
                    errors[message["id"]] = message["error"]
        code, last = worker.close()
        if fatal:
            raise CleanerError(fatal)
        if not ready:
            raise CleanerError(f"the {extractor} worker failed to start (exit code {code})"
                               + (f": {last}" if last else ""))
        todo = [p for p in todo if p["id"] not in texts]
        if todo:  # the worker died on the first page it did not answer
            dead = todo.pop(0)["id"]
            texts[dead] = ""
            errors[dead] = f"worker died (exit code {code})" + (f": {last}" if last else "")
    return texts, errors


def extract_outputs(extractors: Sequence[str], pages: Sequence[Mapping[str, Any]],
                    jobs: int = 1) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """The accuracy pass: every extractor on every page, ``jobs`` workers at a time.

    Returns (outputs, errors), each extractor -> page id -> text or one-line error.
    """
    from concurrent.futures import ThreadPoolExecutor
    jobs = max(1, min(jobs, len(pages)))
    tasks = [(name, pages[i::jobs]) for name in extractors for i in range(jobs)]
    outputs: dict[str, dict[str, str]] = {name: {} for name in extractors}
    errors: dict[str, dict[str, str]] = {name: {} for name in extractors}
    with ThreadPoolExecutor(jobs) as pool:
        for (name, _chunk), (texts, errs) in zip(
                tasks, pool.map(lambda task: _extract_chunk(*task), tasks)):
            outputs[name].update(texts)
            errors[name].update(errs)
    order = [p["id"] for p in pages]
    outputs = {name: {pid: texts[pid] for pid in order} for name, texts in outputs.items()}
    return outputs, errors


# -- timing ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Timing:
    """Speed and memory of one extractor's worker.

    ``pages_per_s`` and ``ms_mean`` come from the median timed pass; ``ms_p50`` and
    ``ms_p95`` are over pages, each page's time being its median over the passes.
    ``rss_mb`` is the worker's RSS after the warm-up and after each timed pass.
    """

    pages_per_s: float
    ms_mean: float
    ms_p50: float
    ms_p95: float
    peak_rss_mb: float | None
    rss_loaded_mb: float | None
    rss_mb: tuple[float | None, ...]
    pass_s: tuple[float, ...]
    crashed: int
    page_ms: dict[str, float] = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {"pages_per_s": self.pages_per_s, "ms_mean": self.ms_mean,
                "ms_p50": self.ms_p50, "ms_p95": self.ms_p95,
                "peak_rss_mb": self.peak_rss_mb, "rss_loaded_mb": self.rss_loaded_mb,
                "rss_after_warmup_mb": self.rss_mb[0], "rss_after_pass_mb": self.rss_mb[1:],
                "pass_s": self.pass_s, "crashed_per_pass": self.crashed,
                "page_ms": self.page_ms}


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100) of a non-empty list.

    >>> percentile([4.0, 1.0, 3.0, 2.0], 95), percentile([4.0, 1.0, 3.0, 2.0], 50)
    (4.0, 2.0)
    """
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def timing_core() -> int | None:
    """The core timing workers are pinned to: the last one this process may use."""
    return max(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None


def time_extractor(extractor: str, pages: Sequence[Mapping[str, Any]], passes: int,
                   core: int | None = None) -> Timing:
    """Time one extractor in its own worker: a warm-up pass, then ``passes`` passes.

    Raises ``CleanerError`` when the worker cannot start or dies.
    """
    if passes < 1:
        raise OptionError(f"passes must be at least 1, got {passes}")
    worker = _Worker(extractor, pages, "time", passes=passes, core=core)
    loaded, fatal, peak = None, None, None
    runs: list[dict[str, Any]] = []
    for message in worker:
        if "fatal" in message:
            fatal = message["fatal"]
        elif "ready" in message:
            loaded = message["rss_mb"]
        elif "pass" in message:
            runs.append(message)
        else:
            peak = message["peak_rss_mb"]
    code, last = worker.close()
    if fatal:
        raise CleanerError(fatal)
    if len(runs) != passes + 1:
        raise CleanerError(f"the {extractor} timing worker died (exit code {code})"
                           + (f": {last}" if last else ""))
    timed = runs[1:]
    median_s = statistics.median(r["wall_ns"] for r in timed) / 1e9
    page_ms = {p["id"]: statistics.median(r["times_ns"][i] for r in timed) / 1e6
               for i, p in enumerate(pages)}
    return Timing(
        pages_per_s=len(pages) / median_s if median_s else math.inf,
        ms_mean=median_s * 1000 / len(pages),
        ms_p50=statistics.median(page_ms.values()), ms_p95=percentile(list(page_ms.values()), 95),
        peak_rss_mb=peak, rss_loaded_mb=loaded, rss_mb=tuple(r["rss_mb"] for r in runs),
        pass_s=tuple(r["wall_ns"] / 1e9 for r in timed), crashed=max(r["crashed"] for r in runs),
        page_ms=page_ms)


# -- a whole run -------------------------------------------------------------------------

@dataclass
class BenchResult:
    """Everything one ``cleaner bench`` run measured."""

    dataset: str
    truth: dict[str, dict[str, Any]]
    extractors: list[str]
    outputs: dict[str, dict[str, str]]
    errors: dict[str, dict[str, str]]
    scores: dict[str, Scores]
    passes: int
    core: int | None = None
    timings: dict[str, Timing] = field(default_factory=dict)
    timing_errors: dict[str, str] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)

    def ratios(self) -> dict[str, float]:
        """cleaner's pages/s over trafilatura's; cleaner's time per page over lxml's."""
        t = self.timings
        out = {}
        if "cleaner" in t and "trafilatura" in t:
            out["cleaner_over_trafilatura_pages_per_s"] = (
                t["cleaner"].pages_per_s / t["trafilatura"].pages_per_s)
        if "cleaner" in t and "lxml" in t:
            out["cleaner_over_lxml_ms_per_page"] = t["cleaner"].ms_mean / t["lxml"].ms_mean
        return out

    def to_dict(self) -> dict[str, Any]:
        import platform
        return {
            "dataset": self.dataset, "pages": len(self.truth), "passes": self.passes,
            "machine": {"python": platform.python_version(), "platform": platform.platform(),
                        "cpus": os.cpu_count(), "timing_core": self.core},
            "versions": self.versions, "ratios": self.ratios(),
            "extractors": {name: {
                "call": EXTRACTORS[name].call,
                "scores": self.scores[name].to_dict(),
                "timing": self.timings[name].to_dict() if name in self.timings else None,
                "timing_error": self.timing_errors.get(name),
                "errors": self.errors.get(name, {}),
            } for name in self.extractors},
        }


def _installed(module: str) -> bool:
    import importlib.util
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _version(extractor: Extractor) -> str:
    if extractor.name == "cleaner":
        from . import __version__
        return __version__
    from importlib import metadata
    try:
        return metadata.version(extractor.package)
    except metadata.PackageNotFoundError:
        return "?"


def _passes(n: int) -> str:
    return f"warm-up + {n} pass{'es' * (n != 1)}"


def _progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def run_bench(dataset: str | Path, compare: Sequence[str] = (), *, passes: int = 3,
              jobs: int = 1, limit: int | None = None) -> BenchResult:
    """Score cleaner (and ``compare`` extractors) on a dataset, then time each one.

    ``passes=0`` skips timing. Progress goes to stderr. Raises ``CleanerError`` for a
    bad dataset or a missing optional package; a crash on one page never does.
    """
    names = list(dict.fromkeys(["cleaner", *compare]))
    for name in names:
        if name not in EXTRACTORS:
            raise OptionError(f"unknown extractor {name!r}; choose from "
                              f"{', '.join(EXTRACTORS)}")
        ext = EXTRACTORS[name]
        if not _installed(ext.module):
            raise CleanerError(f"extractor {name!r} needs {ext.package}, which is not "
                               f"installed: {INSTALL_HINT}")
    truth = load_dataset(dataset)
    if limit is not None:
        truth = dict(list(truth.items())[:limit])
    pages = list(truth.values())
    started = time.perf_counter()
    outputs, errors = extract_outputs(names, pages, jobs)
    _progress(f"accuracy pass: {len(names)} extractors x {len(pages)} pages in "
              f"{time.perf_counter() - started:.1f}s")
    scores = {name: evaluate(outputs[name], truth) for name in names}
    result = BenchResult(dataset=str(dataset), truth=truth, extractors=names,
                         outputs=outputs, errors=errors, scores=scores, passes=passes,
                         versions={n: _version(EXTRACTORS[n]) for n in names})
    if passes > 0:
        result.core = timing_core()
        for name in names:  # one at a time, so workers do not slow each other down
            _progress(f"timing {name}: {_passes(passes)}")
            try:
                result.timings[name] = time_extractor(name, pages, passes, result.core)
            except CleanerError as exc:
                result.timing_errors[name] = str(exc)
    return result


# -- reports ----------------------------------------------------------------------------

def _num(value: float | None, digits: int) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def format_table(result: BenchResult) -> str:
    """The Markdown table, then crashes, memory per pass and the speed ratios."""
    snippets = any(s.include is not None or s.exclude is not None
                   for s in result.scores.values())
    head = ["extractor", "precision", "recall", "F1", "exact"]
    if snippets:
        head += ["include", "exclude"]
    head += ["pages/s", "ms/page p50", "p95", "peak RSS MB"]
    rows = []
    for name in result.extractors:
        s, t = result.scores[name], result.timings.get(name)
        row = [name, _num(s.precision, 3), _num(s.recall, 3), _num(s.f1, 3),
               _num(s.exact, 3)]
        if snippets:
            row += [_num(s.include, 3), _num(s.exclude, 3)]
        row += ([_num(t.pages_per_s, 1), _num(t.ms_p50, 1), _num(t.ms_p95, 1),
                 _num(t.peak_rss_mb, 0)] if t else ["n/a"] * 4)
        rows.append(row)
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w)
                                 for i, (c, w) in enumerate(zip(cells, widths))) + " |"
    rule = "|" + "|".join("-" * (w + 1) + (":" if i else "-")
                          for i, w in enumerate(widths)) + "|"
    timing = "timing: off (--passes 0)"
    if result.passes:
        timing = (f"timing: {_passes(result.passes)}, one worker at a time"
                  + (f", pinned to CPU {result.core}" if result.core is not None else ""))
    out = [f"{len(result.truth)} pages from {result.dataset}; {timing}", "",
           line(head), rule, *(line(r) for r in rows), ""]
    for name in result.extractors:
        if result.errors.get(name):
            errs = result.errors[name]
            shown = "; ".join(f"{pid} ({msg})" for pid, msg in list(errs.items())[:3])
            more = f"; +{len(errs) - 3} more" if len(errs) > 3 else ""
            out.append(f"{name} crashed on {len(errs)} pages (counted as empty output): "
                       f"{shown}{more}")
        if name in result.timing_errors:
            out.append(f"{name} timing failed: {result.timing_errors[name]}")
    if result.timings:
        out.append("worker RSS MB with the pages loaded | after warm-up | after each pass:")
        for name, t in result.timings.items():
            out.append(f"  {name}: {_num(t.rss_loaded_mb, 1)} | {_num(t.rss_mb[0], 1)} | "
                       + " ".join(_num(v, 1) for v in t.rss_mb[1:]))
    ratios = result.ratios()
    if "cleaner_over_trafilatura_pages_per_s" in ratios:
        out.append(f"cleaner pages/s / trafilatura pages/s: "
                   f"{ratios['cleaner_over_trafilatura_pages_per_s']:.2f}")
    if "cleaner_over_lxml_ms_per_page" in ratios:
        out.append(f"cleaner time per page / lxml floor time per page: "
                   f"{ratios['cleaner_over_lxml_ms_per_page']:.2f}")
    out.append("versions: " + ", ".join(f"{n} {v}" for n, v in result.versions.items()))
    return "\n".join(out)


def _shorten(text: str, width: int = 110) -> str:
    text = normalize_space(text)
    return text if len(text) <= width else text[:width - 3] + "..."


def lines_absent(text: str, other: str) -> list[str]:
    """Lines of ``text`` whose tokens do not occur, in order and contiguous, in ``other``.

    >>> lines_absent("Kept line\\nSubscribe now!", "kept? No: Kept line, and more")
    ['Subscribe now!']
    """
    hay = f" {' '.join(tokenize(other))} "
    return [line.strip() for line in text.splitlines()
            if tokenize(line) and f" {' '.join(tokenize(line))} " not in hay]


def _listing(label: str, sign: str, lines: list[str], total: int, most: int = 5) -> list[str]:
    if not lines:
        return [f"   {label}: none"]
    out = [f"   {label} ({len(lines)} of {total} lines):"]
    out += [f"     {sign} {_shorten(line)}" for line in lines[:most]]
    if len(lines) > most:
        out.append(f"     ... {len(lines) - most} more")
    return out


def format_failures(result: BenchResult, k: int, extractor: str = "cleaner") -> str:
    """The ``k`` worst pages of ``extractor`` by F1: URL, P/R, missed and extra lines."""
    pages = result.scores[extractor].pages
    worst = sorted(pages, key=lambda pid: (pages[pid].f1, pid))[:k]
    out = [f"{len(worst)} worst {extractor} pages by F1:"]
    for rank, pid in enumerate(worst, 1):
        s, entry = pages[pid], result.truth[pid]
        output = result.outputs[extractor].get(pid, "")
        out += ["", f"{rank}. {pid}  F1 {s.f1:.3f}  P {_num(s.precision, 3)}  "
                    f"R {_num(s.recall, 3)}  {entry.get('url') or ''}"]
        if pid in result.errors.get(extractor, {}):
            out.append(f"   crashed: {result.errors[extractor][pid]}")
        truth_lines = [ln for ln in entry["body"].splitlines() if tokenize(ln)]
        out_lines = [ln for ln in output.splitlines() if tokenize(ln)]
        out += _listing("missed", "-", lines_absent(entry["body"], output), len(truth_lines))
        out += _listing("extra", "+", lines_absent(output, entry["body"]), len(out_lines))
    return "\n".join(out)


# -- the command line ---------------------------------------------------------------------

def _cmd_bench(args: Any) -> int:
    if args.residue:
        from .audit import format_audit, residue_audit
        print(format_audit(residue_audit(args.dataset, passes=max(args.passes, 1),
                                         limit=args.limit)))
        return 0
    result = run_bench(args.dataset, args.compare, passes=args.passes, jobs=args.jobs,
                       limit=args.limit)
    print(format_table(result))
    if args.failures:
        print()
        print(format_failures(result, args.failures))
    if args.json:
        try:
            Path(args.json).write_text(json.dumps(result.to_dict(), indent=1) + "\n",
                                       encoding="utf-8")
        except OSError as exc:
            raise CleanerError(f"cannot write {args.json}: {exc.strerror or exc}") from None
    return 0


def add_cli(subparsers: Any) -> None:
    """Add ``cleaner bench`` to the command line."""
    import argparse
    others = [name for name in EXTRACTORS if name != "cleaner"]
    width = max(map(len, EXTRACTORS))
    p = subparsers.add_parser(
        "bench", help="score and time cleaner (and other extractors) on a page dataset",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Accuracy (Scrapinghub shingle metric) and speed of cleaner and, with\n"
        "--compare, other extractors on a dataset folder (truth.jsonl + pages/<id>.html.gz).\n"
        f"The other extractors need the bench extra: {INSTALL_HINT}",
        epilog="extractors:\n" + "\n".join(f"  {e.name:<{width}}  {e.call}"
                                           for e in EXTRACTORS.values()))
    p.add_argument("dataset", help="folder with truth.jsonl and pages/<id>.html.gz")
    p.add_argument("--compare", nargs="+", default=[], choices=EXTRACTORS, metavar="NAME",
                   help="also run these: " + ", ".join(others))
    p.add_argument("--failures", type=whole_number(0), default=0, metavar="K",
                   help="print cleaner's K worst pages by F1, with missed and extra lines")
    p.add_argument("--json", metavar="OUT", help="write every number and per-page score here")
    p.add_argument("--jobs", type=whole_number(1), default=1, metavar="N",
                   help="worker processes for the accuracy pass (timing is always one)")
    p.add_argument("--passes", type=whole_number(0), default=3, metavar="N",
                   help="timed passes after one warm-up (0: no timing); default 3")
    p.add_argument("--limit", type=whole_number(1), metavar="N", help="only the first N pages")
    p.add_argument("--residue", action="store_true",
                   help="run the residue audit instead: widget lines left in the output, "
                   "F1 with the text layer on/off, the residue layers' time cost")
    p.set_defaults(func=_cmd_bench)
