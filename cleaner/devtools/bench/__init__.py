"""``cleaner bench``: accuracy and speed of cleaner and other extractors on page datasets.

The pieces: :mod:`.metric` (the Scrapinghub shingle metric), :mod:`.dataset` (truth and
pages), :mod:`.worker` (the extractors, run in a worker process each), :mod:`.timing`
(accuracy and timed passes), :mod:`.detail` (cleaner's confidence and explained words),
:mod:`.report` (tables). This module runs a whole bench over one or more datasets and
pools them: pooled scores are over every page of every set, pooled speed is all pages
over all timed seconds.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import CleanerError, OptionError
from .dataset import load_dataset
from .metric import Scores, evaluate
from .timing import (
    Outputs,
    Timing,
    extract_outputs,
    passes_label,
    percentile,
    time_extractor,
    timing_core,
)
from .worker import EXTRACTORS, INSTALL_HINT, Extractor

__all__ = ["BenchResult", "SetResult", "run_bench", "EXTRACTORS", "POOLED"]

POOLED = "pooled"


@dataclass
class SetResult:
    """One dataset's (or the pool's) outputs, scores and timings, per extractor."""

    name: str
    truth: dict[str, dict[str, Any]]
    outputs: dict[str, Outputs]
    scores: dict[str, Scores]
    timings: dict[str, Timing] = field(default_factory=dict)
    timing_errors: dict[str, str] = field(default_factory=dict)

    def to_dict(self, extractors: Sequence[str]) -> dict[str, Any]:
        return {"pages": len(self.truth), "extractors": {name: {
            "call": EXTRACTORS[name].call,
            "scores": self.scores[name].to_dict(),
            "timing": self.timings[name].to_dict() if name in self.timings else None,
            "timing_error": self.timing_errors.get(name),
            "errors": self.outputs[name].errors,
            "details": self.outputs[name].details or None,
        } for name in extractors}}


@dataclass
class BenchResult:
    """Everything one ``cleaner bench`` run measured: each set, and the pool of them."""

    sets: list[SetResult]
    extractors: list[str]
    passes: int
    core: int | None = None
    versions: dict[str, str] = field(default_factory=dict)

    @property
    def pooled(self) -> SetResult:
        return self.sets[0] if len(self.sets) == 1 else _pool(self.sets, self.extractors)

    def ratios(self, result: SetResult | None = None) -> dict[str, float]:
        """cleaner's pages/s over trafilatura's; cleaner's time per page over lxml's."""
        t = (result or self.pooled).timings
        out = {}
        if "cleaner" in t and "trafilatura" in t:
            out["cleaner_over_trafilatura_pages_per_s"] = (
                t["cleaner"].pages_per_s / t["trafilatura"].pages_per_s)
        if "cleaner" in t and "lxml" in t:
            out["cleaner_over_lxml_ms_per_page"] = t["cleaner"].ms_mean / t["lxml"].ms_mean
        return out

    def to_dict(self) -> dict[str, Any]:
        import platform
        pooled = self.pooled
        return {
            "datasets": [s.name for s in self.sets], "pages": len(pooled.truth),
            "passes": self.passes,
            "machine": {"python": platform.python_version(), "platform": platform.platform(),
                        "cpus": os.cpu_count(), "timing_core": self.core},
            "versions": self.versions, "ratios": self.ratios(),
            "sets": {s.name: {**s.to_dict(self.extractors), "ratios": self.ratios(s)}
                     for s in self.sets},
            **({POOLED: pooled.to_dict(self.extractors)} if len(self.sets) > 1 else {}),
        }


def _pool(sets: Sequence[SetResult], extractors: Sequence[str]) -> SetResult:
    """Every page of every set as one set; ids become ``set/id``."""
    truth = {f"{s.name}/{pid}": entry for s in sets for pid, entry in s.truth.items()}
    outputs = {}
    for name in extractors:
        got = Outputs()
        for s in sets:
            o = s.outputs[name]
            got.texts.update({f"{s.name}/{k}": v for k, v in o.texts.items()})
            got.errors.update({f"{s.name}/{k}": v for k, v in o.errors.items()})
            got.details.update({f"{s.name}/{k}": v for k, v in o.details.items()})
        outputs[name] = got
    scores = {name: evaluate(outputs[name].texts, truth) for name in extractors}
    pooled = SetResult(POOLED, truth, outputs, scores)
    for name in extractors:
        timed = [s.timings[name] for s in sets if name in s.timings]
        if len(timed) == len(sets):
            pooled.timings[name] = _pool_timing(timed, [s.name for s in sets])
    return pooled


def _pool_timing(timings: Sequence[Timing], names: Sequence[str]) -> Timing:
    pages = sum(len(t.page_ms) for t in timings)
    seconds = sum(statistics.median(t.pass_s) for t in timings)
    page_ms = {f"{n}/{pid}": ms for n, t in zip(names, timings, strict=True)
               for pid, ms in t.page_ms.items()}
    peaks = [t.peak_rss_mb for t in timings if t.peak_rss_mb is not None]
    return Timing(pages_per_s=pages / seconds if seconds else float("inf"),
                  ms_mean=seconds * 1000 / pages, ms_p50=statistics.median(page_ms.values()),
                  ms_p95=percentile(list(page_ms.values()), 95),
                  peak_rss_mb=max(peaks) if peaks else None, rss_loaded_mb=None, rss_mb=(),
                  pass_s=(seconds,), crashed=sum(t.crashed for t in timings),
                  page_ms=page_ms)


def _installed(module: str) -> bool:
    import importlib.util
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _version(extractor: Extractor) -> str:
    if extractor.name == "cleaner":
        from ... import __version__
        return __version__
    from importlib import metadata
    try:
        return metadata.version(extractor.package)
    except metadata.PackageNotFoundError:
        return "?"


def _progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def run_bench(datasets: str | Path | Sequence[str | Path], compare: Sequence[str] = (), *,
              passes: int = 3, jobs: int = 1, limit: int | None = None) -> BenchResult:
    """Score cleaner (and ``compare`` extractors) on each dataset, then time each one.

    ``passes=0`` skips timing; ``limit`` takes the first pages of each set. Progress goes
    to stderr. Raises ``CleanerError`` for a bad dataset or a missing optional package;
    a crash on one page never does.
    """
    if isinstance(datasets, (str, Path)):
        datasets = [datasets]
    names = list(dict.fromkeys(["cleaner", *compare]))
    for name in names:
        if name not in EXTRACTORS:
            raise OptionError(f"unknown extractor {name!r}; choose from "
                              f"{', '.join(EXTRACTORS)}")
        ext = EXTRACTORS[name]
        if not _installed(ext.module):
            raise CleanerError(f"extractor {name!r} needs {ext.package}, which is not "
                               f"installed: {INSTALL_HINT}")
    truths = [(_set_name(d, datasets), load_dataset(d)) for d in datasets]
    result = BenchResult(sets=[], extractors=names, passes=passes,
                         versions={n: _version(EXTRACTORS[n]) for n in names},
                         core=timing_core() if passes > 0 else None)
    for set_name, truth in truths:
        if limit is not None:
            truth = dict(list(truth.items())[:limit])
        pages = list(truth.values())
        reread = [page["id"] for page in pages if page.get("utf16")]
        if reread:
            _progress(f"{set_name}: the truth of {len(reread)} pages was UTF-16 read one byte "
                      f"a character; read as UTF-16: {', '.join(reread[:10])}")
        garbled = [page["id"] for page in pages if "\x00" in page["body"]]
        if garbled:  # every extractor is scored against that text: a loss for all of them
            _progress(f"{set_name}: the truth of {len(garbled)} pages holds NUL characters "
                      f"(UTF-16 read as a one-byte charset?): {', '.join(garbled[:10])}")
        started = time.perf_counter()
        outputs = extract_outputs(names, pages, jobs)
        _progress(f"{set_name}: accuracy pass, {len(names)} extractors x {len(pages)} "
                  f"pages in {time.perf_counter() - started:.1f}s")
        one = SetResult(set_name, truth, outputs,
                        {name: evaluate(outputs[name].texts, truth) for name in names})
        for name in names if passes > 0 else ():  # one at a time: no worker slows another
            _progress(f"{set_name}: timing {name}, {passes_label(passes)}")
            try:
                one.timings[name] = time_extractor(name, pages, passes, result.core)
            except CleanerError as exc:
                one.timing_errors[name] = str(exc)
        result.sets.append(one)
    return result


def _set_name(path: str | Path, every: Sequence[str | Path]) -> str:
    """A set's short name: its folder's name (its path when two folders share a name)."""
    name = Path(path).resolve().name
    same = [p for p in every if Path(p).resolve().name == name]
    return name if len(same) == 1 else str(path)
