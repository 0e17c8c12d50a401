"""``cleaner profile test DIR``: run every site profile's examples in a folder.

    cleaner profile test profiles/                    # exit 4 when an example fails
    cleaner profile test profiles/ --fixtures fixtures/ --json

Each rule taught in the preview keeps the text it was taught on: a ``strip`` or
``strip_text`` example must be gone from the clean text, a ``keep`` example must stay,
both in the example wrapped in an article page and in the site's fixtures
(:mod:`cleaner.devtools.profilecheck`). A profile file that does not load is an error
naming the file (exit 1).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..devtools.profilecheck import run_profile_examples
from ..profiles import load_profile
from .common import EXIT_CHECK, EXIT_OK, EXIT_USAGE

__all__ = ["add_parsers"]


def _cmd_test(args: argparse.Namespace) -> int:
    folder = Path(args.dir)
    if not folder.is_dir():
        print(f"cleaner: profile folder not found: {folder}", file=sys.stderr)
        return EXIT_USAGE
    profiles = [load_profile(p) for p in sorted(folder.glob("*.toml"))]
    report = run_profile_examples(profiles, args.fixtures)
    if args.json:
        print(json.dumps({"profiles": len(profiles), "examples": report.checked,
                          "failures": [vars(f) for f in report.failures],
                          "notes": report.notes}, ensure_ascii=False, indent=2))
    else:
        for f in report.failures:
            print(f"FAIL {f}")
        for note in report.notes:
            print(f"note {note}")
        verdict = f"{len(report.failures)} failed" if report.failures else "all pass"
        print(f"{len(profiles)} profile{'s' if len(profiles) != 1 else ''}, "
              f"{report.checked} example{'s' if report.checked != 1 else ''}: {verdict}")
    return EXIT_CHECK if report.failures else EXIT_OK


def add_parsers(subparsers: Any) -> None:
    """Add ``cleaner profile`` to the command line."""
    p = subparsers.add_parser(
        "profile", help="site profiles: run their examples (test)",
        description="Work with a folder of site profiles (*.toml).")
    sub = p.add_subparsers(dest="profile_command", metavar="ACTION")
    sub.required = True
    t = sub.add_parser(
        "test", help="run every profile's examples (exit 4 when one fails)",
        description="Run the examples of every profile in DIR: each strip or strip_text "
        "example must be gone from the clean text, each keep example must stay, in the "
        "example wrapped in an article page and in the site's fixtures.")
    t.add_argument("dir", metavar="DIR", help="the folder of profiles (*.toml)")
    t.add_argument("--fixtures", metavar="ROOT",
                   help="fixtures folder with the sites' pages (default $CLEANER_FIXTURES "
                   "or ./fixtures)")
    t.add_argument("--json", action="store_true", help="print JSON instead of text")
    t.set_defaults(func=_cmd_test)
