"""cleaner's speed against trafilatura's as a crawl meets pages: CPU per page over one pass
with every memo of both emptied first (each page and class name met for the first time in
the process), and over a second pass right after it (what the bench's timed passes meet:
the same pages again). The two extractors alternate in one process, best of ``--rounds``.

    python scripts/cold_speed.py                        # the three bench sets
    python scripts/cold_speed.py --rounds 5 ../shared/bench/scrapinghub/pages

Needs trafilatura (``pip install .[bench]``).
"""

from __future__ import annotations

import argparse
import functools
import gc
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from memory_curve import load_pages

from cleaner import clean_article, dom, prune

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "bench"
DEFAULT = [BENCH / name / "pages" for name in ("scrapinghub", "l3s-gn1", "dragnet")]
# memos of the whole process, not of pages: compiled rules and patterns stay
_KEPT = frozenset({"default_rules", "_patterns", "_phrase_patterns", "_long_mark_run"})
_PACKAGES = ("cleaner", "trafilatura", "justext", "htmldate", "courlan")


def empty_memos() -> int:
    """Empty every lru cache of cleaner and of trafilatura and the libraries it calls,
    and cleaner's per-rule-set class verdicts; returns how many caches were emptied."""
    emptied = 0
    for obj in gc.get_objects():
        if isinstance(obj, functools._lru_cache_wrapper) and obj.__qualname__ not in _KEPT \
                and (getattr(obj, "__module__", "") or "").split(".")[0] in _PACKAGES:
            obj.cache_clear()
            emptied += 1
    prune._VERDICTS.clear()
    dom._NAMED.clear()
    return emptied


def passes(pages: Sequence[bytes], extractors: dict[str, Callable[[bytes], object]],
           rounds: int) -> dict[str, tuple[float, float]]:
    """Per extractor, the best CPU ms a page of a first pass from emptied memos and of the
    pass right after it; the extractors take turns in each round."""
    best = {name: (float("inf"), float("inf")) for name in extractors}
    clock = time.process_time
    for _ in range(rounds):
        for name, run in extractors.items():
            times = []
            empty_memos()
            for _again in range(2):
                start = clock()
                for page in pages:
                    run(page)
                times.append((clock() - start) * 1000 / max(1, len(pages)))
            best[name] = (min(best[name][0], times[0]), min(best[name][1], times[1]))
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=DEFAULT)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    try:
        import trafilatura
    except ImportError:
        print("cold_speed: needs trafilatura (pip install .[bench])", file=sys.stderr)
        return 2
    extractors: dict[str, Callable[[bytes], object]] = {
        "cleaner": clean_article,
        "trafilatura": lambda page: trafilatura.extract(page, include_comments=False)}
    for folder in args.folders:
        pages = load_pages(folder)
        for page in pages[:20]:  # imports and compiled patterns, not the timed pages' memos
            for run in extractors.values():
                run(page)
        got = passes(pages, extractors, args.rounds)
        (c_first, c_again), (t_first, t_again) = got["cleaner"], got["trafilatura"]
        print(f"{folder} ({len(pages)} pages), CPU ms/page, best of {args.rounds}:")
        print(f"  first pass, memos emptied: cleaner {c_first:.2f}, trafilatura {t_first:.2f}"
              f" -> {t_first / c_first:.2f}x")
        print(f"  the same pages again:      cleaner {c_again:.2f}, trafilatura {t_again:.2f}"
              f" -> {t_again / c_again:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
