"""The command line: thin argument parsing around the library.

Exit codes: 0 success; 1 the input could not be cleaned (a CleanerError); 2 bad usage;
3 a URL could not be fetched; 4 a check failed (fixtures, rule examples); 130 interrupted.
Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path
from typing import Sequence

from . import __version__
from .errors import CleanerError, FetchError
from .pipeline import OUTPUTS, clean_article, clean_text
from .result import CleanResult

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_FETCH, EXIT_CHECK, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130

# modules that add their own subcommands with add_cli(subparsers)
COMMAND_MODULES = ("cleaner.fixtures", "cleaner.bench", "cleaner.rules.cli", "cleaner.batch",
                   "webapp.cli")


def read_input(source: str, *, max_bytes: int | None = None,
               allow_loopback: bool = False) -> tuple[bytes, str | None, dict]:
    """Bytes of a file, '-' (stdin) or an http(s) URL; returns (data, url, headers)."""
    if source == "-":
        return sys.stdin.buffer.read(), None, {}
    if source.startswith(("http://", "https://")):
        from .fetch import fetch
        kw = {"max_bytes": max_bytes} if max_bytes else {}
        page = fetch(source, allow_loopback=allow_loopback, **kw)
        return page.content, page.url, dict(page.headers)
    path = Path(source)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise CleanerError(f"{source} is a folder; clean one file (or use 'cleaner batch')") \
            from None
    except OSError as exc:
        raise CleanerError(f"cannot read {source}: {exc.strerror or exc}") from None
    if path.suffix == ".gz":
        import gzip
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise CleanerError(f"cannot decompress {source}: {exc}") from None
    return data, None, {}


def explain(result: CleanResult) -> str:
    """Removals grouped by family, one line each: rule, where, text (shortened)."""
    if not result.removed:
        return "nothing removed"
    lines = []
    by_family: dict[str, list] = {}
    for r in result.removed:
        by_family.setdefault(r.family, []).append(r)
    for family, items in sorted(by_family.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        lines.append(f"{family} ({len(items)})")
        for r in items:
            text = r.text if len(r.text) <= 100 else r.text[:97] + "..."
            lines.append(f"  {r.rule:<34} {text}")
    return "\n".join(lines)


def whole_number(minimum: int):
    """An argparse type: a whole number of at least ``minimum`` (bench, batch, serve use
    it too), so a bad count is a usage error, not a traceback or a library error."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {number}")
        return number
    return parse


def _cmd_clean(args: argparse.Namespace) -> int:
    data, fetched_url, headers = read_input(args.source, max_bytes=args.max_bytes,
                                            allow_loopback=args.allow_loopback)
    url = args.url or fetched_url
    kw = {}
    for name in ("max_bytes", "max_nodes"):
        value = getattr(args, name)
        if value is not None:
            kw[name] = value or None  # 0 switches the limit off
    if args.text:
        result = clean_text(data.decode("utf-8", "replace"), lang=args.lang,
                            output=args.format)
    else:
        result = clean_article(data, url, profile=args.profile, output=args.format,
                               include_comments=args.include_comments,
                               include_captions=args.include_captions, headers=headers,
                               profiles_dir=args.profiles, **kw)
    if args.format == "json":
        out = result.to_json(indent=2)
    else:
        out = result.content
    sys.stdout.write(out + ("\n" if out and not out.endswith("\n") else ""))
    if args.explain and args.format != "json":
        print(explain(result), file=sys.stderr)
    return EXIT_OK


def _cmd_version(args: argparse.Namespace) -> int:
    print(f"cleaner {__version__}")
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    sample = Path(__file__).parent / "samples" / "seed-wordpress.html"
    data = sample.read_bytes()
    result = clean_article(data, "https://example.org/2025/10/tomahawk-missiles/")
    import lxml.html
    before = lxml.html.document_fromstring(data).text_content()
    before_lines = [line.strip() for line in before.splitlines() if line.strip()]
    print("== before: all text on the page ({} lines) ==".format(len(before_lines)))
    print("\n".join(before_lines))
    print("\n== after: clean article text ==")
    print(result.text)
    print("\n== removed, and why ==")
    print(explain(result))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cleaner", description="Clean scraped article HTML into article text, "
        "and say what was removed and why.")
    parser.add_argument("--version", action="version", version=f"cleaner {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("clean", help="clean one page (file, URL or - for stdin)")
    p.add_argument("source", help="an HTML file (.html or .html.gz), an http(s) URL, or -")
    p.add_argument("--format", "-f", choices=OUTPUTS, default="text")
    p.add_argument("--explain", action="store_true",
                   help="list every removal (rule, family, text) on stderr")
    p.add_argument("--url", help="the page's URL (for profiles and metadata)")
    p.add_argument("--profile", help="use this site profile (name or host)")
    p.add_argument("--profiles", metavar="DIR",
                   help="a folder of site profiles (*.toml) to add (also: CLEANER_PROFILES)")
    p.add_argument("--include-comments", action="store_true",
                   help="keep reader comments (forms and chrome still go)")
    p.add_argument("--text", action="store_true",
                   help="the input is already extracted text: run the text layer only")
    p.add_argument("--lang", help="language of --text input (en, de, fr, es)")
    p.add_argument("--include-captions", action="store_true",
                   help="keep image captions and credits in the text")
    p.add_argument("--max-bytes", type=whole_number(0), metavar="N",
                   help="refuse inputs larger than N bytes (default 20,000,000; 0: no limit)")
    p.add_argument("--max-nodes", type=whole_number(0), metavar="N",
                   help="refuse pages with more than N elements (default 1,000,000; 0: no limit)")
    p.add_argument("--allow-loopback", action="store_true",
                   help="allow fetching from this machine (127.0.0.1, ::1), e.g. a dev server")
    p.set_defaults(func=_cmd_clean)

    p = sub.add_parser("version", help="print the version")
    p.set_defaults(func=_cmd_version)

    p = sub.add_parser("demo", help="clean the bundled sample page and show before/after")
    p.set_defaults(func=_cmd_demo)

    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # not built yet in this checkout
                continue
            raise
        module.add_cli(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = args.func(args)
    except FetchError as exc:
        print(f"cleaner: {exc}", file=sys.stderr)
        return EXIT_FETCH
    except CleanerError as exc:
        print(f"cleaner: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("cleaner: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - quiet exit on `| head`
        except OSError:
            pass
        return EXIT_OK
    return code if isinstance(code, int) else EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
