"""Pathological pages: generate each one, clean it in a fresh process, print a table of
outcome, seconds and peak memory. A benchmark to read, not a timed test.

Each case is made by code (nothing generated is committed): the runner writes the input
into a temporary folder, then cleans it in a new Python process that reports the outcome
(a result, or which CleanerError), the seconds ``clean_article`` took (after a warm-up
call on a tiny page, which loads the rules) and the process's
peak RSS (``VmHWM`` in /proc/self/status, so it includes the interpreter, lxml and the
input itself). Target: every case under 2 s and 1 GB, or refused early with a clear
InputError::

    python scripts/pathological.py                    # the full corpus, default limits
    python scripts/pathological.py --only nested-divs attributes-10mb
    python scripts/pathological.py --max-bytes 0 --max-nodes 0   # limits off (0 = off)
    python scripts/pathological.py --scale 0.01       # the reduced corpus the tests use

``tests/test_pathological.py`` and ``tests/webapp/test_webapp_abuse.py`` import
:data:`CASES` from this file and run every case at a reduced size.
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
import random
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 2.0
TARGET_RSS_MB = 1024

SENTENCES = [
    "The council voted on Tuesday to close the old bridge, citing safety and cost.",
    "Residents, who had campaigned for years, welcomed the decision with relief.",
    "Engineers said the river's rising level had weakened the northern supports.",
    "A temporary ferry will run every twenty minutes until the new span opens.",
    "Die Bürger der Stadt ärgern sich über die Schließung der Brücke.",
    "Le maire a déclaré que les travaux commenceraient au printemps prochain.",
]


def article(paragraphs: int = 6, tag: str = "p") -> str:
    """A small, ordinary article body: ``paragraphs`` distinct paragraphs."""
    return "".join(f"<{tag}>{SENTENCES[i % len(SENTENCES)]} Paragraph {i}.</{tag}>"
                   for i in range(paragraphs))


def page(body: str, head: str = "<title>Pathological page</title>") -> str:
    return f"<!DOCTYPE html><html lang='en'><head>{head}</head><body>{body}</body></html>"


def n_of(scale: float, full: int, least: int = 1) -> int:
    return max(least, int(full * scale))


# -- the cases: each make(scale) returns the input, str or bytes; scale 1 is full size ---

def nested(tag: str, full: int):
    def make(scale: float) -> str:
        n = n_of(scale, full, 2_100)  # always past libxml2's depth limit (2,047)
        return page(article(2) + f"<{tag}>" * n + "<p>The deep paragraph at the bottom.</p>"
                    + f"</{tag}>" * n + article(2))
    return make


def nested_tables(scale: float) -> str:
    n = n_of(scale, 10_000, 700)  # 3 levels each: past the limit at 700
    return page(article(2) + "<table><tr><td>cell " * n + "innermost cell" +
                "</td></tr></table>" * n + article(2))


def deep_then_open_tags(scale: float) -> str:
    return page(article(2) + "<div>" * 3_000 + "<p>The deep paragraph at the bottom.</p>" +
                "<div" * n_of(scale, 1_000_000, 100))


def sibling_paragraphs(scale: float) -> str:
    return page("<p>x</p>" * n_of(scale, 1_000_000))


def fifty_megabytes(scale: float) -> bytes:
    chunk = article(60).encode()
    return page("").encode().replace(b"<body>", b"<body>" + chunk * (n_of(scale, 50_000_000)
                                                                     // len(chunk) + 1))


def text_node(scale: float) -> str:
    return page("<p>" + "a" * n_of(scale, 10_000_000) + "</p>")


def plain_text_node(scale: float) -> str:
    return "b" * n_of(scale, 10_000_000)


def long_paragraph(scale: float) -> str:
    words = " ".join(SENTENCES)
    return page("<p>" + (words + " ") * (n_of(scale, 10_000_000) // (len(words) + 1)) + "</p>")


def residue_phrases(scale: float) -> str:
    one = "Story continues below advertisement. The council voted again. "
    return page("<p>" + one * (n_of(scale, 10_000_000) // len(one) + 1) + "</p>")


def attributes_one_tag(scale: float) -> str:
    n = n_of(scale, 10_000_000) // 12  # ` a123456="1"`: about 12 bytes each
    return page(article(3) + "<div " + " ".join(f'a{i}="1"' for i in range(n)) +
                ">The text inside the tag.</div>" + article(3))


def attribute_storms(scale: float) -> str:
    one = "<span " + " ".join(f"d{i}" for i in range(1_000)) + ">word</span> "
    return page(article(3) + "<p>" + one * n_of(scale, 10_000_000 // len(one)) + "</p>")


def attribute_value(scale: float) -> str:
    return page(article(3) + '<div data-blob="' + "v" * n_of(scale, 10_000_000) +
                '">The text inside the tag.</div>' + article(3))


def links(scale: float) -> str:
    n = n_of(scale, 100_000)
    return page(article(6) + "<ul>" + "".join(
        f'<li><a href="/story/{i}">Story number {i}</a></li>' for i in range(n)) + "</ul>")


def broken_utf8(scale: float) -> bytes:
    rnd = random.Random(1)
    data = bytearray(page(article(n_of(scale, 20_000, 20))).encode())
    for _ in range(len(data) // 50):  # a broken byte every 50 or so
        data[rnd.randrange(len(data))] = rnd.choice((0x80, 0xC3, 0xE2, 0xF0, 0xFF, 0xC0))
    return bytes(data)


def mixed_encodings(scale: float) -> bytes:
    parts = []
    for i in range(n_of(scale, 5_000, 10)):
        text = f"<p>{SENTENCES[i % len(SENTENCES)]} 東京の天気は晴れ。 Paragraph {i}.</p>"
        codec = ("utf-8", "cp1252", "shift_jis", "utf-8", "latin-1")[i % 5] if i != 7 else \
            "utf-16-le"  # one paragraph in UTF-16
        parts.append(text.encode(codec, "replace"))
    return b"<html><body>" + b"".join(parts) + b"</body></html>"


def utf16(codec: str, bom: bool):
    def make(scale: float) -> bytes:
        boms = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}
        return (boms[codec] if bom else b"") + page(
            article(n_of(scale, 10_000, 10))).encode(codec)
    return make


def meta_lie(declared: str, actual: str):
    def make(scale: float) -> bytes:
        head = f'<meta charset="{declared}"><title>Encoding lie</title>'
        return page(article(n_of(scale, 5_000, 10)), head).encode(actual, "replace")
    return make


def nul_and_control(scale: float) -> bytes:
    rnd = random.Random(2)
    data = bytearray(page(article(n_of(scale, 10_000, 20))).encode())
    for _ in range(len(data) // 40):  # about 2.5%: NUL, BEL, ESC, DEL, form feed...
        data.insert(rnd.randrange(len(data)), rnd.choice((0, 1, 7, 8, 11, 12, 27, 127)))
    return bytes(data)


def control_flood(scale: float) -> bytes:
    return (b"<html><body><p>" + bytes(range(32)) * n_of(scale, 100_000, 300) +
            b"</p></body></html>")


def all_script(scale: float) -> str:
    one = "<script>var data = {\"x\": [1, 2, 3], \"s\": \"</p><p>not text</p>\"};</script>\n"
    return page(one * n_of(scale, 5_000_000 // len(one)), one * 10)


def svg_mathml(scale: float) -> str:
    n = n_of(scale, 50_000, 50)
    svg = "<svg viewBox='0 0 100 100'>" + "".join(
        f"<path d='M{i % 100} 0 L{i % 97} 100 Z' fill='#{i % 4096:03x}'/>"
        f"<text x='1' y='2'>label {i}</text>" for i in range(n)) + "</svg>"
    math = "<math><mrow><mi>x</mi><mo>=</mo><mfrac><mn>1</mn><mn>2</mn></mfrac></mrow>" \
           "</math>" * n_of(scale, 5_000, 5)
    return page(article(3) + svg + "<p>Formula: " + math + "</p>" + article(3))


def template_noscript(scale: float) -> str:
    n = n_of(scale, 20_000, 20)
    return page(article(3) + ("<template><p>Template text, never shown.</p></template>"
                              "<noscript><p>Enable JavaScript to read this story.</p>"
                              "<img src='x.gif'></noscript>") * n + article(3))


def frameset(scale: float) -> str:
    frames = "".join(f"<frame src='/frame/{i}.html' name='f{i}'>"
                     for i in range(n_of(scale, 50_000, 5)))
    return ("<!DOCTYPE html><html><head><title>Frames</title></head>"
            f"<frameset cols='50%,50%'>{frames}<noframes><body>{article(4)}</body>"
            "</noframes></frameset></html>")


def rss(scale: float) -> bytes:
    items = "".join(
        f"<item><title>Story {i}</title><link>https://news.example/{i}</link>"
        f"<description><![CDATA[<p>{SENTENCES[i % len(SENTENCES)]}</p>]]></description>"
        f"<pubDate>Tue, 10 Jun 2025 04:00:00 GMT</pubDate></item>"
        for i in range(n_of(scale, 20_000, 10)))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>News</title>{items}</channel></rss>").encode()


def pdf(scale: float) -> bytes:
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + \
        b"0" * n_of(scale, 1_000_000)


def png(scale: float) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"\x00\xff" * n_of(scale, 500_000)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def gzip_bomb(scale: float) -> bytes:
    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    head = z.compress(page(article(3)).encode()[:-14])
    zeros = b" " * 1_000_000
    body = b"".join(z.compress(zeros) for _ in range(n_of(scale, 1_000, 25)))
    return head + body + z.compress(b"</body></html>") + z.flush()


def unclosed_comment(scale: float) -> str:
    return page(article(3) + "<!-- " + "comment text " * n_of(scale, 800_000) + article(3))


def less_than_flood(scale: float) -> str:
    return page(article(3) + "<p>" + "a < b and " * n_of(scale, 1_500_000) + "</p>")


def entity_flood(scale: float) -> str:
    return page(article(3) + "<p>" + "&amp;&#x1F600;&nbsp;&bogus;" *
                n_of(scale, 400_000) + "</p>")


def jsonld_deep(scale: float) -> str:
    n = n_of(scale, 100_000, 2_000)
    ld = '{"@type": "NewsArticle", "author": ' + "[" * n + '"Ann"' + "]" * n + "}"
    return page(article(4), f'<title>Deep JSON-LD</title>'
                            f'<script type="application/ld+json">{ld}</script>')


def data_uri(scale: float) -> str:
    return page(article(3) + "<img src=data:image/png;base64," + "QUJD" *
                n_of(scale, 2_500_000) + " alt=x>" + article(3))


def bylines(scale: float) -> str:
    n = n_of(scale, 20_000, 50)
    return page(article(4) + "<div>" + "".join(
        f'<span class="author" rel="author" itemprop="author">Ann Vale {i}</span>'
        for i in range(n)) + "</div>")


def gallery(scale: float) -> str:
    n = n_of(scale, 2_000, 5)
    return page(article(3) + '<div class="gallery">' + "".join(
        f'<figure class="slide"><img src="/photo/{i}.jpg" alt=""><figcaption>Photo {i}: the '
        f'harbour at dawn, as the fishing boats come back in.</figcaption></figure>'
        for i in range(n)) + "</div>")


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    make: Callable[[float], str | bytes]


CASES: tuple[Case, ...] = (
    Case("nested-divs", "100,000 nested <div>", nested("div", 100_000)),
    Case("nested-custom", "100,000 nested custom elements <x-box>", nested("x-box", 100_000)),
    Case("nested-tables", "10,000 nested <table><tr><td>", nested_tables),
    Case("deep-then-open-tags", "3,000 nested <div>, then 1,000,000 '<div' never closed",
         deep_then_open_tags),
    Case("sibling-p", "1,000,000 sibling <p>", sibling_paragraphs),
    Case("page-50mb", "a 50 MB page of ordinary paragraphs", fifty_megabytes),
    Case("text-node-10mb", "one 10 MB text node without spaces, in <p>", text_node),
    Case("plain-text-10mb", "10 MB of text without spaces or tags", plain_text_node),
    Case("paragraph-10mb", "one 10 MB paragraph of sentences", long_paragraph),
    Case("phrases-10mb", "one 10 MB paragraph of 'Story continues below advertisement.'",
         residue_phrases),
    Case("attributes-10mb", "10 MB of attributes on one tag (830,000)", attributes_one_tag),
    Case("attribute-storms", "10 MB of <span> tags with 1,000 attributes each",
         attribute_storms),
    Case("attribute-value-10mb", "one 10 MB attribute value", attribute_value),
    Case("data-uri-10mb", "a 10 MB unquoted data: URI", data_uri),
    Case("links-100k", "100,000 links in a list after the article", links),
    Case("byline-flood", "20,000 elements marked as the page's author", bylines),
    Case("gallery-2000", "a photo gallery of 2,000 captioned slides", gallery),
    Case("broken-utf8", "UTF-8 with a broken byte every 50 bytes", broken_utf8),
    Case("mixed-encodings", "UTF-8, cp1252, Shift_JIS, Latin-1 and a UTF-16 paragraph",
         mixed_encodings),
    Case("utf16-le-bom", "UTF-16-LE with BOM", utf16("utf-16-le", True)),
    Case("utf16-be-bom", "UTF-16-BE with BOM", utf16("utf-16-be", True)),
    Case("utf16-le-nobom", "UTF-16-LE without BOM", utf16("utf-16-le", False)),
    Case("utf16-be-nobom", "UTF-16-BE without BOM", utf16("utf-16-be", False)),
    Case("meta-lie-sjis", "<meta charset=shift_jis> on UTF-8 bytes", meta_lie("shift_jis",
                                                                              "utf-8")),
    Case("meta-lie-utf8", "<meta charset=utf-8> on cp1252 bytes", meta_lie("utf-8", "cp1252")),
    Case("meta-lie-utf16", "<meta charset=utf-16> on UTF-8 bytes", meta_lie("utf-16", "utf-8")),
    Case("meta-bogus", "<meta charset=x-no-such-thing>", meta_lie("x-no-such-thing", "utf-8")),
    Case("nul-control", "NUL and control characters, 2.5% of the bytes", nul_and_control),
    Case("control-flood", "a page that is mostly control characters", control_flood),
    Case("all-script", "5 MB of <script> and nothing else", all_script),
    Case("svg-mathml", "50,000 SVG paths and texts, MathML", svg_mathml),
    Case("template-noscript", "20,000 <template> and <noscript> blocks", template_noscript),
    Case("frameset", "a frameset of 50,000 frames with <noframes>", frameset),
    Case("xml-rss", "an RSS 2.0 feed (XML, CDATA) of 20,000 items", rss),
    Case("jsonld-deep", "JSON-LD author nested 100,000 arrays deep", jsonld_deep),
    Case("unclosed-comment", "a 10 MB comment that never closes", unclosed_comment),
    Case("less-than-flood", "1,500,000 '<' in text ('a < b')", less_than_flood),
    Case("entity-flood", "1,600,000 entities, some bogus", entity_flood),
    Case("gzip-bomb", "gzip of a 1 GB page (1 MB compressed)", gzip_bomb),
    Case("pdf", "a PDF file", pdf),
    Case("png", "a PNG image", png),
)


# -- one case in a fresh process -----------------------------------------------------------

def _peak_rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def child(path: str, max_bytes: int | None, max_nodes: int | None) -> None:
    """Clean one input file in this process; print one JSON line."""
    sys.path.insert(0, str(ROOT))
    from cleaner import CleanerError, clean_article

    data: str | bytes = Path(path).read_bytes()
    if path.endswith(".str"):
        data = data.decode("utf-8", "surrogatepass")
    kw = {}
    if max_bytes is not None:
        kw["max_bytes"] = max_bytes or None  # 0 switches the limit off, as in the CLI
    if max_nodes is not None:
        kw["max_nodes"] = max_nodes or None
    clean_article("<p>warm-up: rules load and compile on first use</p>")
    t0 = time.perf_counter()
    try:
        result = clean_article(data, **kw)
        outcome = (f"ok: {len(result.text):,} chars, {len(result.removed):,} removals"
                   + (" (" + "; ".join(result.metadata["notes"]) + ")"
                      if result.metadata.get("notes") else ""))
        refused = False
    except CleanerError as exc:
        outcome = f"{type(exc).__name__}: {exc}"
        refused = True
    seconds = time.perf_counter() - t0
    print(json.dumps({"outcome": outcome, "refused": refused, "seconds": seconds,
                      "rss_mb": _peak_rss_mb()}))


def write_input(case: Case, scale: float, folder: Path) -> tuple[Path, int]:
    data = case.make(scale)
    if isinstance(data, str):
        path = folder / f"{case.name}.str"
        path.write_bytes(data.encode("utf-8", "surrogatepass"))
    else:
        path = folder / f"{case.name}.bytes"
        path.write_bytes(data)
    return path, path.stat().st_size


def measure(case: Case, scale: float = 1.0, *, max_bytes: int | None = None,
            max_nodes: int | None = None, timeout: float = 120.0, repeat: int = 1) -> dict:
    """Generate one case into a temporary folder and clean it in a fresh process
    (``repeat`` fresh processes: the median seconds, the largest peak RSS)."""
    with tempfile.TemporaryDirectory(prefix="cleaner-pathological-") as tmp:
        path, size = write_input(case, scale, Path(tmp))
        rows = [_run_child(case, path, size, max_bytes, max_nodes, timeout)
                for _ in range(repeat)]
    rows.sort(key=lambda r: r["seconds"])
    row = dict(rows[len(rows) // 2])
    row["rss_mb"] = max(r["rss_mb"] for r in rows)
    return row


def _run_child(case: Case, path: Path, size: int, max_bytes: int | None,
               max_nodes: int | None, timeout: float) -> dict:
    cmd = [sys.executable, __file__, "--child", str(path)]
    if max_bytes is not None:
        cmd += ["--max-bytes", str(max_bytes)]
    if max_nodes is not None:
        cmd += ["--max-nodes", str(max_nodes)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "PYTHONHASHSEED": "0"}, check=False)
    except subprocess.TimeoutExpired:
        return {"case": case.name, "bytes": size, "outcome": f"TIMEOUT after {timeout:g} s",
                "refused": False, "seconds": timeout, "rss_mb": float("nan")}
    if proc.returncode != 0 or not proc.stdout.strip():
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"case": case.name, "bytes": size, "outcome": f"CRASH: {tail}",
                "refused": False, "seconds": float("nan"), "rss_mb": float("nan")}
    row = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"case": case.name, "bytes": size, **row}


def within_target(row: dict) -> bool:
    return row["seconds"] < TARGET_SECONDS and row["rss_mb"] < TARGET_RSS_MB and \
        not row["outcome"].startswith(("CRASH", "TIMEOUT"))


def table(rows: list[dict]) -> str:
    out = ["| case | input MB | outcome | seconds | peak RSS MB | within target |",
           "|---|---:|---|---:|---:|:---:|"]
    for r in rows:
        outcome = r["outcome"]
        if len(outcome) > 110:
            outcome = outcome[:107] + "..."
        out.append(f"| {r['case']} | {r['bytes'] / 1e6:.1f} | {outcome.replace('|', '/')} | "
                   f"{r['seconds']:.2f} | {r['rss_mb']:.0f} | "
                   f"{'yes' if within_target(r) else 'NO'} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="+", metavar="CASE", help="run only these cases")
    ap.add_argument("--scale", type=float, default=1.0, help="input size factor (default 1)")
    ap.add_argument("--max-bytes", type=int, help="clean_article's max_bytes (0: off)")
    ap.add_argument("--max-nodes", type=int, help="clean_article's max_nodes (0: off)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per case")
    ap.add_argument("--repeat", type=int, default=1,
                    help="fresh processes per case; the median time is shown (default 1)")
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    ap.add_argument("--child", metavar="FILE", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child, args.max_bytes, args.max_nodes)
        return 0
    if args.list:
        for c in CASES:
            print(f"{c.name:22} {c.what}")
        return 0
    chosen = [c for c in CASES if not args.only or c.name in args.only]
    unknown = set(args.only or ()) - {c.name for c in CASES}
    if unknown:
        ap.error(f"unknown case(s): {', '.join(sorted(unknown))}")
    limits = ("default limits" if args.max_bytes is None and args.max_nodes is None else
              f"max_bytes={args.max_bytes}, max_nodes={args.max_nodes} (0 = off)")
    print(f"cleaner pathological corpus, scale {args.scale:g}, {limits}, "
          f"median of {args.repeat} fresh process(es) per case; "
          f"target: under {TARGET_SECONDS:g} s and {TARGET_RSS_MB} MB, or refused", flush=True)
    rows = []
    for case in chosen:
        row = measure(case, args.scale, max_bytes=args.max_bytes, max_nodes=args.max_nodes,
                      timeout=args.timeout, repeat=args.repeat)
        rows.append(row)
        print(f"  {case.name}: {row['outcome'][:80]} ({row['seconds']:.2f} s, "
              f"{row['rss_mb']:.0f} MB)", file=sys.stderr, flush=True)
    print(table(rows))
    bad = [r["case"] for r in rows if not within_target(r)]
    print(f"\n{len(rows) - len(bad)} of {len(rows)} cases within target" +
          (f"; over: {', '.join(bad)}" if bad else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
