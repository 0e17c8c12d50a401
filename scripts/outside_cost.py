"""What the outside-body records cost: ``clean_article`` per page with the regions outside
the body recorded and with ``outside_regions`` switched off, interleaved page by page in
one process (best of ``--rounds`` per page and arm), so machine noise hits both arms alike.

    python scripts/outside_cost.py                     # the three bench sets
    python scripts/outside_cost.py --rounds 5 ../shared/bench/scrapinghub/pages

The scorer's walk notes the unspaced block edges in both arms (two list appends per such
block; about 0.05 ms of a 6 ms page when measured against a walk without them), so the
ratio printed is the regions' read and records, not that note.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from memory_curve import load_pages

import cleaner.extract as extract
from cleaner import clean_article

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "bench"
DEFAULT = [BENCH / name / "pages" for name in ("scrapinghub", "l3s-gn1", "dragnet")]


def seconds(pages: list[bytes], rounds: int) -> tuple[float, float]:
    """Summed best-of-rounds seconds per page: with outside records, without them."""
    recorded = extract.outside_regions
    off = lambda *args, **kwargs: []  # noqa: E731
    with_t = without_t = 0.0
    clock = time.perf_counter
    try:
        for page in pages:
            best_with = best_without = float("inf")
            for _ in range(rounds):
                extract.outside_regions = recorded
                start = clock()
                clean_article(page)
                best_with = min(best_with, clock() - start)
                extract.outside_regions = off
                start = clock()
                clean_article(page)
                best_without = min(best_without, clock() - start)
            with_t += best_with
            without_t += best_without
    finally:
        extract.outside_regions = recorded
    return with_t, without_t


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=DEFAULT)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    total_with = total_without = 0.0
    count = 0
    for folder in args.folders:
        pages = load_pages(folder)
        with_t, without_t = seconds(pages, args.rounds)
        total_with, total_without, count = (total_with + with_t, total_without + without_t,
                                            count + len(pages))
        print(f"{folder.parent.name or folder} ({len(pages)} pages): with records "
              f"{with_t * 1000 / len(pages):.3f} ms/page, without "
              f"{without_t * 1000 / len(pages):.3f} ms/page, ratio {with_t / without_t:.4f}")
    if len(args.folders) > 1:
        print(f"all ({count} pages): ratio {total_with / total_without:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
