"""``cleaner clean``, ``cleaner demo`` and ``cleaner version``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .. import __version__
from ..pipeline import clean_article, clean_text
from ..result import CleanResult
from .common import EXIT_OK, add_clean_options, clean_options, read_input

__all__ = ["add_parsers", "explain"]

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "seed-wordpress.html"


def explain(result: CleanResult) -> str:
    """Removals grouped by family, one line each: rule, where, text (shortened)."""
    if not result.removed:
        return "nothing removed"
    lines = []
    by_family: dict[str, list[Any]] = {}
    for r in result.removed:
        by_family.setdefault(r.family, []).append(r)
    for family, items in sorted(by_family.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        lines.append(f"{family} ({len(items)})")
        for r in items:
            text = r.text if len(r.text) <= 100 else r.text[:97] + "..."
            lines.append(f"  {r.rule:<34} {text}")
    return "\n".join(lines)


def _cmd_clean(args: argparse.Namespace) -> int:
    opts = clean_options(args)
    data, fetched_url, headers = read_input(args.source, max_bytes=opts.max_bytes,
                                            allow_loopback=args.allow_loopback)
    url = args.url or fetched_url
    if args.text:
        result = clean_text(data.decode("utf-8", "replace"), lang=args.lang,
                            format=opts.format, max_bytes=opts.max_bytes)
    else:
        result = clean_article(data, url, headers=headers, options=opts)
    out = result.to_json(indent=2) if opts.format == "json" else result.content
    sys.stdout.write(out + ("\n" if out and not out.endswith("\n") else ""))
    if args.explain and opts.format != "json":
        print(explain(result), file=sys.stderr)
    return EXIT_OK


def _cmd_version(args: argparse.Namespace) -> int:
    print(f"cleaner {__version__}")
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    import lxml.html
    data = SAMPLE.read_bytes()
    result = clean_article(data, "https://example.org/2025/10/tomahawk-missiles/")
    before = str(lxml.html.document_fromstring(data).xpath("string()"))  # its text_content()
    before_lines = [line.strip() for line in before.splitlines() if line.strip()]
    print(f"== before: all text on the page ({len(before_lines)} lines) ==")
    print("\n".join(before_lines))
    print("\n== after: clean article text ==")
    print(result.text)
    print("\n== removed, and why ==")
    print(explain(result))
    return EXIT_OK


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("clean", help="clean one page (file, URL or - for stdin)")
    p.add_argument("source", help="an HTML file (.html or .html.gz), an http(s) URL, or -")
    add_clean_options(p)
    p.add_argument("--explain", action="store_true",
                   help="list every removal (rule, family, text) on stderr")
    p.add_argument("--url", help="the page's URL (for profiles and metadata)")
    p.add_argument("--text", action="store_true",
                   help="the input is already extracted text: run the text layer only")
    p.add_argument("--lang", help="language of --text input (en, de, fr, es)")
    p.add_argument("--allow-loopback", action="store_true",
                   help="allow fetching from this machine (127.0.0.1, ::1), e.g. a dev server")
    p.set_defaults(func=_cmd_clean)

    p = sub.add_parser("version", help="print the version")
    p.set_defaults(func=_cmd_version)

    p = sub.add_parser("demo", help="clean the bundled sample page and show before/after")
    p.set_defaults(func=_cmd_demo)
