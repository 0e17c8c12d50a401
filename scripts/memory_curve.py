"""Memory stability: clean a folder of benchmark pages N times in one process and print the
RSS after each pass. The curve should be flat after the first pass (rules compiled, caches
filled): cleaning leaks nothing per page. The Python objects still allocated after each pass
(sys.getallocatedblocks) are printed too: a leak of Python objects shows there first.

    python scripts/memory_curve.py                       # ../shared/bench/scrapinghub, 20 passes
    python scripts/memory_curve.py --pages DIR --passes 50

The pages are read (and gunzipped) once, before the first pass, so the curve shows only
what cleaning keeps. Peak RSS is /proc/self/status VmHWM; RSS is VmRSS.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PAGES = ROOT.parent / "shared" / "bench" / "scrapinghub" / "pages"


def _status(field: str) -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def load_pages(folder: Path) -> list[bytes]:
    pages = []
    for path in sorted(folder.iterdir()):
        if path.name.endswith(".html.gz"):
            pages.append(gzip.decompress(path.read_bytes()))
        elif path.suffix in (".html", ".htm"):
            pages.append(path.read_bytes())
    return pages


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=Path, default=DEFAULT_PAGES, help="folder of pages")
    ap.add_argument("--passes", type=int, default=20)
    ap.add_argument("--tolerance-mb", type=float, default=4.0,
                    help="growth after the first pass still called flat (default 4 MB: the "
                    "allocator settles over the first few passes); the second half of the "
                    "passes must also stay within 1 MB of the first half's highest")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from cleaner import CleanerError, clean_article

    pages = load_pages(args.pages)
    if not pages:
        ap.error(f"no .html or .html.gz pages in {args.pages}")
    gc.collect()
    print(f"{len(pages)} pages from {args.pages} ({sum(map(len, pages)) / 1e6:.1f} MB), "
          f"{args.passes} passes in one process")
    print(f"before the first pass: RSS {_status('VmRSS'):.1f} MB, "
          f"peak {_status('VmHWM'):.1f} MB")
    print("| pass | seconds | errors | RSS MB | peak RSS MB | Python blocks |")
    print("|---:|---:|---:|---:|---:|---:|")
    rss, peaks, blocks = [], [], []
    for n in range(1, args.passes + 1):
        t0, errors = time.perf_counter(), 0
        for page in pages:
            try:
                clean_article(page).to_json()
            except CleanerError:
                errors += 1
        seconds = time.perf_counter() - t0
        gc.collect()
        rss.append(_status("VmRSS"))
        peaks.append(_status("VmHWM"))
        blocks.append(sys.getallocatedblocks())
        print(f"| {n} | {seconds:.2f} | {errors} | {rss[-1]:.1f} | {peaks[-1]:.1f} | "
              f"{blocks[-1]:,} |", flush=True)
    growth = max(rss[1:], default=rss[0]) - rss[0]
    peak_growth = peaks[-1] - peaks[0]
    # a plateau: the second half of the passes reaches no higher than the first half did
    half = max(2, len(rss) // 2)
    late = max(max(rss[half:], default=0) - max(rss[1:half], default=rss[0]),
               max(peaks[half:], default=0) - max(peaks[1:half], default=peaks[0]), 0)
    flat = growth <= args.tolerance_mb and peak_growth <= args.tolerance_mb and late <= 1.0
    print(f"\nafter pass 1: RSS {rss[0]:.1f} MB, peak {peaks[0]:.1f} MB; largest RSS after it "
          f"{max(rss):.1f} MB (+{growth:.1f}); final peak {peaks[-1]:.1f} MB "
          f"(+{peak_growth:.1f}); passes {half + 1}-{len(rss)} went {late:.1f} MB above "
          f"passes 2-{half}; Python blocks {blocks[0]:,} -> {blocks[-1]:,}: "
          f"{'flat' if flat else 'GROWING'}")
    return 0 if flat else 1


if __name__ == "__main__":
    sys.exit(main())
