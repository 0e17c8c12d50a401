"""What every command shares: exit codes, number arguments, the cleaning options, input.

Exit codes: 0 success; 1 the input could not be cleaned (a CleanerError); 2 bad usage;
3 a URL could not be fetched; 4 a check failed (fixtures, rule examples); 130 interrupted.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import zlib
from collections.abc import Callable
from typing import Any

from ..errors import CleanerError
from ..options import DEFAULT_MAX_BYTES, DEFAULT_MAX_NODES, FORMATS, CleanOptions
from ..sources.files import read_bounded

__all__ = ["EXIT_OK", "EXIT_INPUT", "EXIT_USAGE", "EXIT_FETCH", "EXIT_CHECK",
           "EXIT_INTERRUPTED", "whole_number", "add_clean_options", "clean_options",
           "read_input", "read_bounded"]

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_FETCH, EXIT_CHECK, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130


def whole_number(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``minimum``, so a bad count is a
    usage error, not a traceback or a library error."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {number}")
        return number
    return parse


def add_clean_options(parser: argparse.ArgumentParser, *,
                      format_help: str = "the output format") -> None:
    """The options of :class:`~cleaner.options.CleanOptions`, the same for every command."""
    parser.add_argument("--format", "-f", choices=FORMATS, default="text", help=format_help)
    parser.add_argument("--profile", help="use this site profile (name or host)")
    parser.add_argument("--profiles", metavar="DIR",
                        help="a folder of site profiles (*.toml) to add "
                        "(also: CLEANER_PROFILES)")
    parser.add_argument("--include-comments", action="store_true",
                        help="keep reader comments (forms and chrome still go)")
    parser.add_argument("--include-captions", action="store_true",
                        help="keep image captions and credits in the text")
    parser.add_argument("--max-bytes", type=whole_number(0), metavar="N",
                        help=f"refuse inputs larger than N bytes (default "
                        f"{DEFAULT_MAX_BYTES:,}; 0: no limit)")
    parser.add_argument("--max-nodes", type=whole_number(0), metavar="N",
                        help=f"refuse pages with more than N elements (default "
                        f"{DEFAULT_MAX_NODES:,}; 0: no limit)")


def clean_options(args: argparse.Namespace) -> CleanOptions:
    """The CleanOptions that :func:`add_clean_options`' arguments ask for."""
    fields: dict[str, Any] = {
        "format": args.format, "profile": args.profile, "profiles_dir": args.profiles,
        "include_comments": args.include_comments,
        "include_captions": args.include_captions}
    for name in ("max_bytes", "max_nodes"):
        value = getattr(args, name)
        if value is not None:
            fields[name] = value or None  # 0 switches the limit off
    return CleanOptions(**fields)


def read_input(source: str, *, max_bytes: int | None = DEFAULT_MAX_BYTES,
               allow_loopback: bool = False) -> tuple[bytes, str | None, dict[str, str]]:
    """Bytes of a file, '-' (stdin) or an http(s) URL; returns (data, url, headers).
    Reads stop past ``max_bytes`` (decompressed, for a ``.gz`` file), with an
    :class:`InputTooLargeError`; None reads everything."""
    if source == "-":
        return read_bounded(sys.stdin.buffer, max_bytes, "standard input"), None, {}
    if source.startswith(("http://", "https://")):
        from ..sources.fetch import fetch
        page = (fetch(source, allow_loopback=allow_loopback, max_bytes=max_bytes) if max_bytes
                else fetch(source, allow_loopback=allow_loopback))  # fetch's own cap
        return page.content, page.url, dict(page.headers)
    try:
        with open(source, "rb") as raw:
            if source.endswith(".gz"):
                with gzip.GzipFile(fileobj=raw) as unzipped:
                    data = read_bounded(unzipped, max_bytes, source)
            else:
                data = read_bounded(raw, max_bytes, source)
    except IsADirectoryError:
        raise CleanerError(f"{source} is a folder; clean one file (or use 'cleaner batch')") \
            from None
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise CleanerError(f"cannot decompress {source}: {exc}") from None
    except OSError as exc:
        raise CleanerError(f"cannot read {source}: {exc.strerror or exc}") from None
    return data, None, {}
