"""The ``cleaner`` command: one thin module per command over the library and the tools.

Errors are one line on stderr, never a traceback; exit codes are in :mod:`.common`.
"""

from __future__ import annotations

import argparse
import codecs
import os
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import CleanerError, FetchError
from . import batch, bench, clean, fixture, profile, rules, serve
from .common import EXIT_FETCH, EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OK

__all__ = ["main", "build_parser"]

COMMANDS = (clean, rules, fixture, profile, bench, batch, serve)   # each adds its subcommands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cleaner", description="Clean scraped article HTML into article text, "
        "and say what was removed and why.")
    parser.add_argument("--version", action="version", version=f"cleaner {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for command in COMMANDS:
        command.add_parsers(sub)
    return parser


def _utf8_stdout() -> None:
    """Output is UTF-8 whatever the locale says: a page's text holds characters that an
    ASCII or Latin-1 stdout cannot (it was a UnicodeEncodeError traceback). A closed
    stdout (``>&-``) writes nowhere (it was an AttributeError on None)."""
    if sys.stdout is None:
        _quiet_stdout()
        return
    stream = sys.stdout
    try:
        utf8 = codecs.lookup(getattr(stream, "encoding", None) or "ascii").name == "utf-8"
    except LookupError:
        utf8 = False
    if not utf8 and hasattr(stream, "reconfigure"):
        stream.reconfigure(encoding="utf-8")


def _quiet_stdout() -> None:
    """Output from here on goes nowhere: after a closed pipe or a failed write, so that
    Python's own flush at exit has nothing left to fail on."""
    try:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    except OSError:
        pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _utf8_stdout()
    try:
        code = args.func(args)
        sys.stdout.flush()  # a full disk fails here, not as a traceback at exit
    except FetchError as exc:
        print(f"cleaner: {exc}", file=sys.stderr)
        return EXIT_FETCH
    except CleanerError as exc:
        print(f"cleaner: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("cleaner: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `| head`: a quiet exit
        _quiet_stdout()
        return EXIT_OK
    except OSError as exc:  # the output could not be written: a full disk, an I/O error
        _quiet_stdout()
        print(f"cleaner: {exc.filename or 'output'}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_INPUT
    return code if isinstance(code, int) else EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
