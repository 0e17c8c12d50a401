"""``cleaner bench``: accuracy and speed of cleaner and other extractors on page datasets.

The pieces: :mod:`.metric` (the Scrapinghub shingle metric), :mod:`.dataset` (truth and
pages), :mod:`.worker` (the extractors, run in a worker process each), :mod:`.timing`
(accuracy and timed passes), :mod:`.report` (tables). This module runs a whole bench.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import CleanerError, OptionError
from .dataset import load_dataset
from .metric import Scores, evaluate
from .timing import Timing, extract_outputs, passes_label, time_extractor, timing_core
from .worker import EXTRACTORS, INSTALL_HINT, Extractor

__all__ = ["BenchResult", "run_bench", "EXTRACTORS"]

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
        from ... import __version__
        return __version__
    from importlib import metadata
    try:
        return metadata.version(extractor.package)
    except metadata.PackageNotFoundError:
        return "?"


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
            _progress(f"timing {name}: {passes_label(passes)}")
            try:
                result.timings[name] = time_extractor(name, pages, passes, result.core)
            except CleanerError as exc:
                result.timing_errors[name] = str(exc)
    return result
