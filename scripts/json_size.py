"""Size of ``CleanResult.to_json()`` per page: the median, p90 and largest, with every
removal record and without the records of regions outside the body (family "outside",
what the record held before those regions were explained), so the cost of explaining
the whole page shows as bytes.

    python scripts/json_size.py                       # the three bench sets
    python scripts/json_size.py ../shared/bench/scrapinghub/pages DIR ...
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
from pathlib import Path

from memory_curve import load_pages

from cleaner import clean_article

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "bench"
DEFAULT = [BENCH / name / "pages" for name in ("scrapinghub", "l3s-gn1", "dragnet")]


def sizes(pages: list[bytes]) -> tuple[list[int], list[int], list[int]]:
    """Bytes of to_json() with all records and without outside-body ones, and the count
    of outside-body records, per page."""
    full, inner, regions = [], [], []
    for page in pages:
        result = clean_article(page)
        outside = [r for r in result.removed if r.family == "outside"]
        rest = tuple(r for r in result.removed if r.family != "outside")
        full.append(len(result.to_json().encode()))
        inner.append(len(dataclasses.replace(result, removed=rest).to_json().encode()))
        regions.append(len(outside))
    return full, inner, regions


def _row(name: str, values: list[int]) -> str:
    ordered = sorted(values)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    return (f"{name:<37} median {statistics.median(ordered):>9,.0f}  p90 {p90:>9,}  "
            f"max {ordered[-1]:>10,}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=DEFAULT)
    args = parser.parse_args(argv)
    for folder in args.folders:
        full, inner, regions = sizes(load_pages(folder))
        print(f"{folder} ({len(full)} pages)")
        print("  " + _row("to_json() bytes, all records", full))
        print("  " + _row("to_json() bytes, no outside records", inner))
        print("  " + _row("outside-body records per page", regions))
    return 0


if __name__ == "__main__":
    sys.exit(main())
