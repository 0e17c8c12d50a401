"""Load check of the preview's API through waitress: N concurrent POST /api/clean of a
~200 KB page, repeated for a few rounds; prints requests/s and latency percentiles.

Not a timed test: run it by hand (it starts ``cleaner serve --port 0`` on 127.0.0.1 in a
child process unless ``--url`` points at a running preview; loopback only)::

    python scripts/load_preview.py                     # 50 concurrent x 3 rounds
    python scripts/load_preview.py --concurrency 50 --rounds 1 --size 200000

Exit status 1 when any request failed or a response still held the form legend.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "cleaner" / "samples" / "seed-wordpress.html"
FALLBACK = ROOT / "tests" / "webapp" / "pages" / "wordpress-gravity.html"
LEGEND = "indicates required fields"


def make_page(size: int) -> bytes:
    """The seed page with its article grown to ``size`` bytes by distinct paragraphs."""
    html = (SEED if SEED.is_file() else FALLBACK).read_text(encoding="utf-8")
    anchor = html.find('<div class="gform_wrapper')
    if anchor < 0:
        anchor = html.find("</article>")
    paras = []
    n = 0
    grow = size - len(html.encode())
    while grow > 0:
        n += 1
        p = (f"<p>Paragraph {n} of the long report: officials in district {n % 97} said "
             f"the budget line {n * 7} would be reviewed again in week {n % 52 + 1}, and "
             f"that {n % 13 + 2} committees had asked for the figures before the vote.</p>\n")
        paras.append(p)
        grow -= len(p.encode())
    return (html[:anchor] + "".join(paras) + html[anchor:]).encode()


def start_server(threads: int) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "cleaner", "serve", "--host", "127.0.0.1", "--port", "0",
         "--threads", str(threads)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        m = re.search(r"(http://127\.0\.0\.1:\d+/)", line or "")
        if m:
            return proc, m.group(1)
        if proc.poll() is not None:
            break
    proc.kill()
    raise SystemExit(f"the preview did not start: {proc.stderr.read()[-2000:]}")


def post(url: str, body: bytes, timeout: float) -> tuple[int, float, dict | None]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    start = time.perf_counter()
    try:
        conn.request("POST", "/api/clean", body=body,
                     headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        data = resp.read()
        elapsed = time.perf_counter() - start
        return resp.status, elapsed, json.loads(data) if resp.status == 200 else None
    except (OSError, http.client.HTTPException, ValueError):
        return 0, time.perf_counter() - start, None
    finally:
        conn.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="a running preview (default: start one on 127.0.0.1)")
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--size", type=int, default=200_000, help="page size in bytes")
    ap.add_argument("--threads", type=int, default=8, help="waitress threads (own server)")
    ap.add_argument("--timeout", type=float, default=300.0, help="per request, seconds")
    args = ap.parse_args(argv)
    if args.url and urlsplit(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("load only a preview on this machine (127.0.0.1 / localhost)")

    page = make_page(args.size)
    body = json.dumps({"html": page.decode()}).encode()
    proc = None
    url = args.url
    if not url:
        proc, url = start_server(args.threads)
    try:
        status, _, warm = post(url, body, args.timeout)  # warm-up: rules compiled, imports
        if status != 200:
            raise SystemExit(f"warm-up request failed with status {status}")
        print(f"preview {url}  page {len(page):,} bytes  body {len(body):,} bytes  "
              f"removed per page {len(warm['removed'])}  "
              f"families {warm['removed_by_family']}")
        latencies: list[float] = []
        failures = 0
        leaks = 0
        started = time.perf_counter()
        for r in range(args.rounds):
            barrier = threading.Barrier(args.concurrency)

            def one(_, barrier=barrier):
                barrier.wait()
                return post(url, body, args.timeout)

            t0 = time.perf_counter()
            with ThreadPoolExecutor(args.concurrency) as pool:
                results = list(pool.map(one, range(args.concurrency)))
            wall = time.perf_counter() - t0
            ok = [res for res in results if res[0] == 200]
            failures += len(results) - len(ok)
            leaks += sum(1 for _, _, data in ok if data and LEGEND in data["text"])
            latencies += [lat for _, lat, _ in results]
            print(f"round {r + 1}: {len(ok)}/{len(results)} ok in {wall:.2f} s "
                  f"({len(results) / wall:.1f} req/s), statuses "
                  f"{sorted({res[0] for res in results})}")
        total = time.perf_counter() - started
        n = len(latencies)
        print(f"total: {n} requests, {n - failures} ok, {failures} failed, {leaks} leaked "
              f"the legend, {n / total:.1f} req/s over {total:.2f} s")
        print(f"latency: p50 {statistics.median(latencies) * 1000:.0f} ms  "
              f"p95 {percentile(latencies, 95) * 1000:.0f} ms  "
              f"max {max(latencies) * 1000:.0f} ms")
        return 1 if failures or leaks else 0
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    sys.exit(main())
