"""``cleaner serve``: the before/after preview (the ``webapp`` package) on loopback."""

from __future__ import annotations

import argparse
import os
from typing import Any

from ..errors import CleanerError, OptionError
from ..profiles import PROFILES_ENV
from .common import whole_number

__all__ = ["add_parsers", "port_number"]


def port_number(value: str) -> int:
    """An argparse type: a TCP port, 0 to 65535 (waitress took 99999 as 34463)."""
    number = whole_number(0)(value)
    if number > 65535:
        raise argparse.ArgumentTypeError(f"a port is 0 to 65535, got {number}")
    return number


def _cmd_serve(args: argparse.Namespace) -> int:
    config: dict[str, Any] = {}
    if args.fixtures:
        config["FIXTURES_DIR"] = args.fixtures
    if args.profiles:
        if not os.path.isdir(args.profiles):
            raise OptionError(f"profile folder not found: {args.profiles}")
        # the folder the preview saves taught rules into (nothing else is ever written);
        # also in the environment, so saved fixtures find the profiles too
        config["PROFILES_DIR"] = args.profiles
        os.environ[PROFILES_ENV] = os.pathsep.join(
            p for p in (os.environ.get(PROFILES_ENV), args.profiles) if p)
    if args.max_bytes:
        config["MAX_INPUT_BYTES"] = args.max_bytes
    try:
        from webapp.server import serve  # the preview: imported only by this command
    except ImportError as exc:  # flask, waitress or nh3: the preview extra
        raise CleanerError(f"cleaner serve needs the preview extra ({exc.name} is "
                           "missing): pip install 'cleaner[preview]'") from None
    serve(args.host, args.port, open_browser=args.open, threads=args.threads, config=config)
    return 0


def add_parsers(subparsers: Any) -> None:
    """Add ``cleaner serve`` to the command line."""
    p = subparsers.add_parser(
        "serve", help="run the before/after preview in your browser (waitress, loopback)",
        description="Run the preview: paste, upload or fetch a page and see it before and "
        "after cleaning, with every removal explained. For development use "
        "'flask --app webapp run --debug' instead.")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1; anything else is reachable "
                   "from other machines)")
    p.add_argument("--port", type=port_number, default=5000,
                   help="port (default 5000; 0 picks one)")
    p.add_argument("--open", action="store_true", help="open the preview in a browser")
    p.add_argument("--threads", type=whole_number(1), default=8,
                   help="waitress worker threads (default 8)")
    p.add_argument("--fixtures", metavar="DIR",
                   help="fixtures folder for 'save as fixture' (default $CLEANER_FIXTURES "
                   "or ./fixtures)")
    p.add_argument("--profiles", metavar="DIR",
                   help="a folder of site profiles (*.toml): used for cleaning, and where "
                   "rules taught in the preview are saved (<DIR>/<host>.toml)")
    p.add_argument("--max-bytes", type=whole_number(1),
                   help="largest page accepted, in UTF-8 bytes, however it is sent "
                   "(default 10,000,000); requests get room for form and JSON encoding")
    p.set_defaults(func=_cmd_serve)
