"""Scale figures for ``cleaner batch``: 1 vs 2 workers, a 1 GB WARC's peak memory, and
warcio vs FastWARC. Prints raw numbers; writes only under a scratch folder (default
/tmp/cleaner-scale), which it leaves for a rerun (``--fresh`` rebuilds it).

    .venv/bin/python scripts/scale_bench.py [--pages DIR] [--copies 15] [--warc-gb 1]
                                            [--rounds 2] [--skip-warc] [--skip-workers]

The pages (default ../shared/bench/scrapinghub/pages, *.html.gz) are only read: the
repeated set is a tree of symbolic links, and the WARC is built from them under the
scratch folder, never in the project. FastWARC is timed only when it is installed
(``pip install fastwarc``); cleaner itself reads WARC with warcio.
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAGES = ROOT.parent / "shared" / "bench" / "scrapinghub" / "pages"


def tree(pid: int) -> list[int]:
    """A process and all its descendants (Linux /proc)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            continue
    return found


def tree_rss_mb(pids: list[int]) -> float:
    return sum(_rss_mb(p) for p in pids)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def run_batch(args: list[str], sample_memory: bool = False) -> dict:
    """``python -m cleaner batch ARGS``: wall time, its summary, peak RSS of the tree."""
    cmd = [sys.executable, "-m", "cleaner", "batch", *args, "--quiet"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    peak = {"tree": 0.0, "parent": 0.0}
    samples: list[float] = []
    cpu: dict[int, float] = {}     # CPU seconds per process of the batch, last seen
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            pids = tree(proc.pid)
            for p in pids:
                cpu[p] = max(cpu.get(p, 0.0), _cpu_seconds(p))
            if sample_memory:
                samples.append(tree_rss_mb(pids))
                peak["tree"] = max(peak["tree"], samples[-1])
                peak["parent"] = max(peak["parent"], _rss_mb(proc.pid))
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    err = proc.stderr.read()
    proc.wait()
    wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    if proc.returncode:
        sys.exit(f"batch failed ({proc.returncode}): {err}")
    # CPU / wall: the cores the batch really had (2 workers on a shared machine: < 2)
    return {"wall": wall, "cpu": sum(cpu.values()), "summary": err.strip(),
            "samples": samples, **peak}


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        return 0.0


def _pages_in(summary: str) -> int:
    return int(summary.split("cleaned ", 1)[1].split(" pages", 1)[0].replace(",", ""))


def link_tree(pages: Path, scratch: Path, copies: int) -> tuple[Path, int]:
    """``copies`` folders of symbolic links to the pages: the set repeated, not copied."""
    tree = scratch / f"pages-x{copies}"
    files = sorted(pages.glob("*.html.gz"))
    if not tree.exists():
        for i in range(copies):
            sub = tree / f"r{i:03d}"
            sub.mkdir(parents=True)
            for f in files:
                (sub / f.name).symlink_to(f)
    return tree, copies * len(files)


def workers(pages: Path, scratch: Path, copies: int, rounds: int) -> None:
    tree, total = link_tree(pages, scratch, copies)
    print(f"\n== 1 vs 2 workers: {total} pages ({copies} x {total // copies}), "
          f"folder output, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f} ==")
    rates: dict[int, list[float]] = {1: [], 2: []}
    cores: dict[int, list[float]] = {1: [], 2: []}
    for r in range(rounds):
        for jobs in (1, 2):
            out = scratch / f"out-j{jobs}"
            shutil.rmtree(out, ignore_errors=True)
            res = run_batch([str(tree), "--out", str(out), "--jobs", str(jobs)])
            n = _pages_in(res["summary"])
            assert n == total, res["summary"]
            rates[jobs].append(n / res["wall"])
            cores[jobs].append(res["cpu"] / res["wall"])
            print(f"round {r + 1}  --jobs {jobs}: {n} pages in {res['wall']:.2f} s wall "
                  f"= {rates[jobs][-1]:.1f} pages/s, {cores[jobs][-1]:.2f} cores busy, "
                  f"load {os.getloadavg()[0]:.2f}  | {res['summary'].splitlines()[0]}")
        print(f"round {r + 1}  ratio 2 workers / 1 worker: {rates[2][-1] / rates[1][-1]:.2f}x")
    one, two = statistics.median(rates[1]), statistics.median(rates[2])
    ratios = [b / a for a, b in zip(rates[1], rates[2], strict=False)]
    # per busy core: what 2 workers give over 1 when nothing else takes a core
    per_core = [(b / cb) / (a / ca) for a, b, ca, cb in zip(rates[1], rates[2], cores[1],
                                                            cores[2], strict=False)]
    print(f"median pages/s: 1 worker {one:.1f}, 2 workers {two:.1f}, ratio {two / one:.2f}x; "
          f"per round {', '.join(f'{x:.2f}x' for x in ratios)}; "
          f"2 workers' pages per busy core over 1 worker's: "
          f"{', '.join(f'{x:.2f}' for x in per_core)}; load now {os.getloadavg()[0]:.2f}")


def build_warc(pages: Path, path: Path, size: int, gz: bool) -> tuple[int, int]:
    """A WARC of HTML responses (each with its request record, and an image record per
    ten pages), repeating the pages until the file passes ``size`` bytes."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    bodies = [(f.stem.replace(".html", ""), gzip.decompress(f.read_bytes()))
              for f in sorted(pages.glob("*.html.gz"))]
    image = bytes(range(256)) * 200
    n = html = 0
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=gz)
        while fh.tell() < size:
            name, body = bodies[n % len(bodies)]
            url = f"https://bench.example/{n // len(bodies)}/{name}"
            w.write_record(w.create_warc_record(url, "request", payload=io.BytesIO(
                f"GET /{name} HTTP/1.1\r\nHost: bench.example\r\n\r\n".encode()),
                warc_content_type="application/http; msgtype=request"))
            w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body),
                           http_headers=StatusAndHeaders("200 OK", [
                               ("Content-Type", "text/html; charset=utf-8"),
                               ("Content-Length", str(len(body)))], protocol="HTTP/1.1")))
            html += 1
            if n % 10 == 0:
                w.write_record(w.create_warc_record(
                    url + ".png", "response", payload=io.BytesIO(image),
                    http_headers=StatusAndHeaders("200 OK", [("Content-Type", "image/png")],
                                                  protocol="HTTP/1.1")))
            n += 1
    return html, path.stat().st_size


def read_warcio(path: Path) -> tuple[int, int]:
    from cleaner.sources.warc import WarcReader
    n = size = 0
    for page in WarcReader(path):
        n += 1
        size += len(page.content)
    return n, size


def read_fastwarc(path: Path) -> tuple[int, int]:
    from fastwarc.warc import ArchiveIterator, WarcRecordType
    n = size = 0
    # auto_decode="all": chunked and gzip bodies decoded, as cleaner.warc does with warcio
    for record in ArchiveIterator(str(path), record_types=WarcRecordType.response,
                                  parse_http=True, auto_decode="all", fsspec_args=False):
        status = record.http_headers.status_code
        ctype = (record.http_content_type or "").lower()
        if 200 <= status < 300 and ctype in ("text/html", "application/xhtml+xml"):
            body = record.reader.read()
            _headers = dict(record.http_headers)   # what cleaner needs: the charset
            n += 1
            size += len(body)
    return n, size


def warc(pages: Path, scratch: Path, gb: float) -> None:
    big = scratch / f"bench-{gb:g}GB.warc"
    if not big.exists():
        t = time.perf_counter()
        count, size = build_warc(pages, big, int(gb * 1e9), gz=False)
        print(f"\nbuilt {big}: {size / 1e9:.2f} GB, {count} HTML responses "
              f"({time.perf_counter() - t:.0f} s)")
    out = scratch / "warc-out.jsonl"
    _unlink(out)
    print(f"\n== a batch over {big.name} ({big.stat().st_size / 1e9:.2f} GB), "
          f"--jobs 2, JSONL output; load {os.getloadavg()[0]:.2f} ==")
    res = run_batch([str(big), "--out", str(out), "--jobs", "2"], sample_memory=True)
    n = _pages_in(res["summary"])
    print(res["summary"])
    print(f"{n} pages in {res['wall']:.1f} s wall ({n / res['wall']:.1f} pages/s); "
          f"peak RSS: whole batch (parent + workers) {res['tree']:.0f} MB, "
          f"parent {res['parent']:.0f} MB")
    rss = [x for x in res["samples"] if x > 0]
    if rss:
        marks = [rss[min(len(rss) - 1, int(len(rss) * q))] for q in (0.1, 0.25, 0.5, 0.75)]
        print("whole-batch RSS at 10/25/50/75% of the run: "
              + ", ".join(f"{m:.0f}" for m in marks) + f", last {rss[-1]:.0f} MB (flat = "
              "streamed)")
    _unlink(out)

    small_gz = scratch / "bench-200MB.warc.gz"
    if not small_gz.exists():
        build_warc(pages, small_gz, int(40e6), gz=True)   # ~200 MB of WARC, gzipped
    print(f"\n== reading HTML responses: warcio (cleaner.warc) vs FastWARC; "
          f"load {os.getloadavg()[0]:.2f} ==")
    readers = [("warcio", read_warcio)]
    try:
        import fastwarc  # noqa: F401
        readers.append(("fastwarc", read_fastwarc))
    except ImportError:
        print("FastWARC not installed: pip install fastwarc to compare")
    for path in (big, small_gz):
        for name, fn in readers:
            best = None
            for _ in range(2):
                t = time.perf_counter()
                n, size = fn(path)
                best = min(best or 1e9, time.perf_counter() - t)
            print(f"{path.name:<22} {name:<9} {n} pages, {size / 1e6:.0f} MB of HTML in "
                  f"{best:.2f} s = {n / best:,.0f} pages/s, {best / n * 1e3:.3f} ms/page")


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    p.add_argument("--scratch", type=Path, default=Path("/tmp/cleaner-scale"))
    p.add_argument("--copies", type=int, default=15, help="repeat the page set this often")
    p.add_argument("--rounds", type=int, default=2, help="runs of each --jobs value")
    p.add_argument("--warc-gb", type=float, default=1.0)
    p.add_argument("--skip-warc", action="store_true")
    p.add_argument("--skip-workers", action="store_true")
    p.add_argument("--fresh", action="store_true", help="rebuild the scratch folder")
    args = p.parse_args()
    if not args.pages.is_dir():
        sys.exit(f"no pages at {args.pages}")
    if args.fresh:
        shutil.rmtree(args.scratch, ignore_errors=True)
    args.scratch.mkdir(parents=True, exist_ok=True)
    if not args.skip_workers:
        workers(args.pages, args.scratch, args.copies, args.rounds)
    if not args.skip_warc:
        warc(args.pages, args.scratch, args.warc_gb)
    return 0


if __name__ == "__main__":
    sys.exit(main())
