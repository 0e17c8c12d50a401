"""Running extractors in worker processes: the accuracy pass and the timed passes.

Speed is measured in one worker process per extractor, pinned to one core, one worker
at a time: pages loaded first, one warm-up pass, then N timed passes.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import CleanerError, OptionError
from . import worker as worker_module

__all__ = ["Outputs", "Timing", "extract_outputs", "passes_label", "percentile", "time_extractor",
           "timing_core"]

class _Worker:
    """A worker process for one extractor and a list of pages; iterate for its messages."""

    def __init__(self, extractor: str, pages: Sequence[Mapping[str, Any]], mode: str, *,
                 passes: int = 0, core: int | None = None) -> None:
        import subprocess
        import tempfile
        script = Path(worker_module.__file__).resolve()
        env = dict(os.environ)
        # the worker must import the same cleaner as this process, installed or not
        # (-P: no current folder on its path, so PYTHONPATH decides)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(worker_module.PACKAGE_ROOT), env.get("PYTHONPATH")) if p)
        job = {"extractor": extractor, "mode": mode, "passes": passes, "core": core,
               "pages": [{"id": p["id"], "url": p["url"], "path": str(p["page"])}
                         for p in pages]}
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self._proc = subprocess.Popen([sys.executable, "-P", str(script)],
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


@dataclass
class Outputs:
    """One extractor's accuracy pass: page id -> text, one-line error, detail (cleaner's)."""

    texts: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    details: dict[str, dict[str, Any]] = field(default_factory=dict)

    def update(self, other: Outputs) -> None:
        self.texts.update(other.texts)
        self.errors.update(other.errors)
        self.details.update(other.details)


def _extract_chunk(extractor: str, pages: Sequence[Mapping[str, Any]]) -> Outputs:
    """Outputs and errors of one extractor on some pages. A page that kills the worker
    counts as a crash; a new worker takes the pages after it."""
    got = Outputs()
    texts, errors = got.texts, got.errors
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
                if message.get("info") is not None:
                    got.details[message["id"]] = message["info"]
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
    return got


def extract_outputs(extractors: Sequence[str], pages: Sequence[Mapping[str, Any]],
                    jobs: int = 1) -> dict[str, Outputs]:
    """The accuracy pass: every extractor on every page, ``jobs`` workers at a time;
    extractor -> its :class:`Outputs`, texts in page order."""
    from concurrent.futures import ThreadPoolExecutor
    jobs = max(1, min(jobs, len(pages)))
    tasks = [(name, pages[i::jobs]) for name in extractors for i in range(jobs)]
    outputs = {name: Outputs() for name in extractors}
    with ThreadPoolExecutor(jobs) as pool:
        for (name, _chunk), got in zip(
                tasks, pool.map(lambda task: _extract_chunk(*task), tasks), strict=True):
            outputs[name].update(got)
    order = [p["id"] for p in pages]
    for got in outputs.values():
        got.texts = {pid: got.texts[pid] for pid in order}
    return outputs


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
                "rss_after_warmup_mb": self.rss_mb[0] if self.rss_mb else None,
                "rss_after_pass_mb": self.rss_mb[1:],
                "pass_s": self.pass_s, "crashed_per_pass": self.crashed,
                "page_ms": self.page_ms}


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100) of a non-empty list.

    >>> percentile([4.0, 1.0, 3.0, 2.0], 95), percentile([4.0, 1.0, 3.0, 2.0], 50)
    (4.0, 2.0)
    """
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def passes_label(n: int) -> str:
    """How a timing run is described: ``warm-up + 3 passes``."""
    return f"warm-up + {n} pass{'es' * (n != 1)}"


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
