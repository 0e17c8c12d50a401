"""``cleaner serve``: run the preview with waitress, bound to loopback unless told otherwise."""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
import threading
import webbrowser

from cleaner.cli import whole_number

__all__ = ["add_cli", "serve", "is_loopback"]

PROFILES_ENV = "CLEANER_PROFILES"


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(host: str = "127.0.0.1", port: int = 5000, *, open_browser: bool = False,
          threads: int = 8, config: dict | None = None, ready=None) -> None:
    """Serve the preview with waitress until interrupted. ``port=0`` picks a free port;
    the URL is printed (and passed to ``ready(url)``) once the socket is listening."""
    from waitress import create_server

    from . import create_app

    config = dict(config or {})
    if not is_loopback(host):
        print(f"cleaner serve: warning: listening on {host}, not loopback: anyone who can "
              "reach this machine can use the preview, including its URL fetcher. Use "
              "--host 127.0.0.1 unless you mean it.", file=sys.stderr)
        config.setdefault("TRUSTED_HOSTS", None)  # reached by whatever name they use
    elif host not in ("127.0.0.1", "localhost"):
        config.setdefault("TRUSTED_HOSTS", None)  # ::1 and 127.x.y.z: werkzeug can't list
    app = create_app(config)
    # waitress refuses oversized bodies itself, before spooling them to disk
    limit = app.config.get("MAX_CONTENT_LENGTH")
    extra = {"max_request_body_size": limit} if limit else {}
    server = create_server(app, host=host, port=port, threads=threads,
                           ident="cleaner-preview", clear_untrusted_proxy_headers=True,
                           **extra)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{server.effective_port}/"
    print(f"cleaner preview on {url} (Ctrl-C to stop)", flush=True)
    if ready is not None:
        ready(url)
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def _cmd_serve(args: argparse.Namespace) -> int:
    config = {}
    if args.fixtures:
        config["FIXTURES_DIR"] = args.fixtures
    if args.profiles:  # via the environment, so saved fixtures find the profile too
        os.environ[PROFILES_ENV] = os.pathsep.join(
            p for p in (os.environ.get(PROFILES_ENV), args.profiles) if p)
    if args.max_bytes:
        config["MAX_INPUT_BYTES"] = args.max_bytes
    serve(args.host, args.port, open_browser=args.open, threads=args.threads, config=config)
    return 0


def add_cli(subparsers) -> None:
    """Add ``cleaner serve`` to the command line."""
    p = subparsers.add_parser(
        "serve", help="run the before/after preview in your browser (waitress, loopback)",
        description="Run the preview: paste, upload or fetch a page and see it before and "
        "after cleaning, with every removal explained. For development use "
        "'flask --app webapp run --debug' instead.")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1; anything else is reachable "
                   "from other machines)")
    p.add_argument("--port", type=whole_number(0), default=5000, help="port (default 5000; 0 picks one)")
    p.add_argument("--open", action="store_true", help="open the preview in a browser")
    p.add_argument("--threads", type=whole_number(1), default=8, help="waitress worker threads (default 8)")
    p.add_argument("--fixtures", metavar="DIR",
                   help="fixtures folder for 'save as fixture' (default $CLEANER_FIXTURES "
                   "or ./fixtures)")
    p.add_argument("--profiles", metavar="DIR", help="a folder of extra site profiles")
    p.add_argument("--max-bytes", type=whole_number(1), help="largest page accepted (default 10 MB)")
    p.set_defaults(func=_cmd_serve)
