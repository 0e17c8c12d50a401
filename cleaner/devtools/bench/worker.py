"""The extractors the bench can run, and the worker process that runs one of them.

A worker is this file run as a script (``python -P worker.py``), not imported through
the ``cleaner`` package, so that it imports its extractor and nothing else of cleaner;
hence only the standard library at module level. The job comes as JSON on stdin,
results go out as JSON lines on stdout.
"""

from __future__ import annotations

import gzip
import importlib
import importlib.util
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["EXTRACTORS", "Extractor", "ExtractFn", "INSTALL_HINT", "block_text",
           "read_page", "run_page", "worker_main"]

INSTALL_HINT = "pip install .[bench]"
PACKAGE_ROOT = Path(__file__).resolve().parents[3]   # the folder holding cleaner/


def read_page(path: str | Path) -> bytes:
    """The page's HTML bytes, gunzipped when the file name ends in ``.gz``."""
    data = Path(path).read_bytes()
    return gzip.decompress(data) if str(path).endswith(".gz") else data


ExtractFn = Callable[[bytes, "str | None"], str]



def _block_tags() -> frozenset[str]:
    """cleaner's one block-tag set, read from ``cleaner/dom.py`` without importing the
    package (a readability worker must not load cleaner)."""
    spec = importlib.util.spec_from_file_location("_cleaner_dom", PACKAGE_ROOT / "cleaner"
                                                  / "dom.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(module.BLOCK_TAGS)


def block_text(root: Any) -> str:
    """Text of an lxml tree, one line per block element, spaces collapsed.

    >>> import lxml.html
    >>> block_text(lxml.html.fromstring("<div><h2>Title</h2><p>One <b>two</b></p>x</div>"))
    'Title\\nOne two\\nx'
    """
    for el in root.iter(*_block_tags()):
        el.text = "\n" + (el.text or "")
        el.tail = "\n" + (el.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def _load_cleaner() -> ExtractFn:
    import cleaner
    from cleaner.devtools.bench.detail import page_detail

    def run(html: bytes, url: str | None) -> str:
        return cleaner.clean_article(html, url).text

    def detail(html: bytes, url: str | None) -> tuple[str, dict[str, Any]]:
        result = cleaner.clean_article(html, url)
        try:
            return result.text, page_detail(html, url, result)
        except Exception as exc:  # the bench's own check failed, not the extraction
            return result.text, {"detail_error": _one_line(exc)}

    run.detail = detail  # type: ignore[attr-defined]  # the accuracy pass asks for more
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
        root: Any = lxml.html.document_fromstring(html)  # an HtmlElement
        return str(root.text_content())
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
    loader: Callable[[], ExtractFn] = getattr(importlib.import_module(module_name), attr)
    return loader


def run_page(fn: ExtractFn, html: bytes, url: str | None) -> tuple[str, str | None]:
    """One extraction: (text, None), or ("", one-line error) when the extractor raised."""
    try:
        text = fn(html, url)
    except Exception as exc:  # an extractor's bug on one page must not stop the run
        return "", _one_line(exc)
    return (text if isinstance(text, str) else str(text or "")), None


def run_detail(fn: ExtractFn, html: bytes, url: str | None
               ) -> tuple[str, str | None, dict[str, Any] | None]:
    """:func:`run_page`, plus the extractor's own facts about the page when it gives any
    (``fn.detail``: cleaner's confidence and explained words)."""
    detail = getattr(fn, "detail", None)
    if detail is None:
        return (*run_page(fn, html, url), None)
    try:
        text, info = detail(html, url)
    except Exception as exc:
        return "", _one_line(exc), None
    return text, None, info


def _one_line(exc: BaseException) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:300]


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
            text, error, info = run_detail(fn, html, url)
            send({"id": pid, "text": text, "error": error, "info": info})
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



if __name__ == "__main__":
    sys.exit(worker_main())
