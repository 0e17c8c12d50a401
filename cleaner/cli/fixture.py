"""``cleaner fixture add|check|approve|list``: per-site fixtures from the command line."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..devtools.fixtures import (
    CANDIDATE,
    DEFAULT_ROOT,
    EXPECTED,
    INPUT,
    META,
    ROOT_ENV,
    add_fixture,
    approve,
    check,
    fixtures_root,
    list_fixtures,
    load_fixture,
    validate_name,
)
from ..errors import FixtureError
from ..headers import content_type
from .common import EXIT_CHECK, EXIT_OK, read_input

__all__ = ["add_parsers"]


def _cmd_add(args: argparse.Namespace) -> int:
    validate_name(args.site)  # before any fetch
    data, fetched_url, headers = read_input(args.source)
    ctype = content_type(headers)
    fx = add_fixture(data, args.site, args.url or fetched_url, root=args.root,
                     notes=args.notes, profile=args.profile, content_type=ctype,
                     force=args.force)
    print(f"added {fx.path}: {INPUT} ({len(data)} bytes), {META}, {CANDIDATE}; "
          f"read {CANDIDATE}, then 'cleaner fixture approve {fx.name}'")
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    base = fixtures_root(args.root)
    if not args.names and not base.is_dir():
        raise FixtureError(f"fixtures folder not found: {base}")
    results = check(args.names, args.root)
    if not results:
        print(f"no fixtures in {base}")
        return EXIT_OK
    failed = 0
    for r in results:
        if r.status == "diff":
            failed += 1
            print(f"FAIL {r.name}")
            sys.stdout.write(r.diff)
        elif r.status == "candidate":
            print(f"skip {r.name}: no {EXPECTED} yet (approve the candidate)")
        else:
            print(f"ok   {r.name}")
    passed = sum(r.status == "ok" for r in results)
    skipped = sum(r.status == "candidate" for r in results)
    print(f"{passed} ok, {failed} failed, {skipped} skipped")
    return EXIT_CHECK if failed else EXIT_OK


def _cmd_approve(args: argparse.Namespace) -> int:
    fx = approve(args.name, args.root)
    print(f"approved {fx.name}: {fx.path / EXPECTED}")
    return EXIT_OK


def _cmd_list(args: argparse.Namespace) -> int:
    names = list_fixtures(args.root)
    if not names:
        print(f"no fixtures in {fixtures_root(args.root)}")
    for name in names:
        fx = load_fixture(name, args.root)
        if (fx.path / EXPECTED).is_file():
            state = "expected"
        elif (fx.path / CANDIDATE).is_file():
            state = "candidate"
        else:
            state = "new"
        print(f"{name:<32} {state:<9} {fx.url or ''}")
    return EXIT_OK


def add_parsers(subparsers: Any) -> None:
    """Add ``cleaner fixture add|check|approve|list`` to the command line."""
    p = subparsers.add_parser("fixture", help="per-site fixtures: add, check, approve, list")
    sub = p.add_subparsers(dest="fixture_command", metavar="ACTION")
    sub.required = True
    root_help = f"the fixtures folder (default ${ROOT_ENV} or ./{DEFAULT_ROOT})"

    a = sub.add_parser("add", help="store a page as a fixture, with a candidate text")
    a.add_argument("source", metavar="FILE_OR_URL", help="an HTML file, an http(s) URL, or -")
    a.add_argument("--site", required=True, help="the fixture's folder name (e.g. the host)")
    a.add_argument("--url", help="the page's URL (for profiles and metadata)")
    a.add_argument("--notes", default="", help="what this page exercises")
    a.add_argument("--profile", help="clean it with this site profile (name or host)")
    a.add_argument("--force", action="store_true",
                   help="replace an existing fixture (its expected.txt goes: approve again)")
    a.add_argument("--root", metavar="DIR", help=root_help)
    a.set_defaults(func=_cmd_add)

    c = sub.add_parser("check", help="diff today's output against expected.txt (exit 4 "
                       "on any difference)")
    c.add_argument("names", nargs="*", metavar="NAME", help="fixtures to check (default all)")
    c.add_argument("--root", metavar="DIR", help=root_help)
    c.set_defaults(func=_cmd_check)

    ap = sub.add_parser("approve", help="pin the candidate (or today's output) as expected")
    ap.add_argument("name", metavar="NAME")
    ap.add_argument("--root", metavar="DIR", help=root_help)
    ap.set_defaults(func=_cmd_approve)

    ls = sub.add_parser("list", help="list fixtures and whether each is approved")
    ls.add_argument("--root", metavar="DIR", help=root_help)
    ls.set_defaults(func=_cmd_list)
