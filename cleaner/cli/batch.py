"""``cleaner batch``: clean many pages in parallel (files, folders, globs, JSONL, WARC)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..batch import default_jobs, run_batch
from .common import add_clean_options, clean_options, whole_number

__all__ = ["add_parsers"]


def _cmd_batch(args: argparse.Namespace) -> int:
    summary = run_batch(args.inputs, args.out, options=clean_options(args), jobs=args.jobs,
                        resume=args.resume, errors=args.errors,
                        progress=not args.quiet and sys.stderr.isatty())
    print(summary.format(), file=sys.stderr)
    return 0


def add_parsers(subparsers: Any) -> None:
    """Add ``cleaner batch`` to the command line."""
    p = subparsers.add_parser(
        "batch", help="clean many pages (files, folders, globs, JSONL, WARC) in parallel",
        description="Clean many pages with worker processes. A page that fails goes to the "
        "errors file and the batch goes on; --resume skips what a previous (even killed) "
        "run finished. Exit 0 once every page was tried, 1 when an input is missing.")
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="a file, a folder (*.html, *.htm, *.html.gz, recursive), a glob, "
                   "a JSONL file ({\"url\", \"html\"} a line) or a WARC(.gz) file")
    p.add_argument("--out", "-o", required=True, metavar="OUT",
                   help="a folder (one file per page) or a .jsonl file (one result a line)")
    p.add_argument("--jobs", "-j", type=whole_number(1), default=None, metavar="N",
                   help=f"worker processes (default: the CPU count, {default_jobs()} here)")
    p.add_argument("--resume", action="store_true",
                   help="skip pages that already have output or an error line")
    p.add_argument("--errors", metavar="FILE",
                   help="where failed pages go, one JSON line each "
                   "(default OUT/errors.jsonl, or OUT.errors.jsonl beside a .jsonl output)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    add_clean_options(p, format_help="the files' format in a folder output (a .jsonl "
                      "output always has every field)")
    p.set_defaults(func=_cmd_batch)
