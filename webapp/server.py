"""Serving the preview with waitress, bound to loopback unless told otherwise."""

from __future__ import annotations

import ctypes
import ipaddress
import sys
import threading
import webbrowser
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import request

from cleaner import OptionError

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["serve", "make_server", "tame_malloc", "is_loopback", "allowed_hosts"]


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str) -> list[str] | None:
    """The ``Host`` names the preview accepts when bound to ``host``: ``localhost`` and
    the bound address, on every loopback bind; ``None`` (any) beyond loopback, where
    other machines reach it by names we cannot know (``serve`` warns about that bind).

    >>> allowed_hosts("::1"), allowed_hosts("127.0.0.2"), allowed_hosts("0.0.0.0")
    (['localhost', '[::1]'], ['localhost', '127.0.0.2'], None)
    """
    if not is_loopback(host):
        return None
    if host.lower() == "localhost":  # waitress listens on whatever localhost resolves to
        return ["localhost", "127.0.0.1", "[::1]"]
    addr = ipaddress.ip_address(host.strip("[]"))
    return ["localhost", f"[{addr}]" if addr.version == 6 else str(addr)]


_M_ARENA_MAX = -8  # glibc's mallopt() parameter number


def _glibc() -> ctypes.CDLL | None:
    """The C library when it is glibc (it has ``malloc_trim``), else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)  # the symbols already loaded: the C library's among them
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


def tame_malloc(app: Flask) -> bool:
    """Keep the server's memory near what the store counts (glibc only; True if done).

    Each worker thread would get its own malloc arena, and memory freed in an arena after
    a big page mostly stays with the process: eight threads held 1 GB for a 256 MB store.
    So at most two arenas, and ``malloc_trim`` after every request but static files,
    which hands the freed pages back (about 340 MB for that store)."""
    libc = _glibc()
    if libc is None:
        return False
    libc.mallopt(_M_ARENA_MAX, 2)

    def trim(exc: BaseException | None) -> None:
        if request.endpoint != "static":
            libc.malloc_trim(0)

    app.teardown_request(trim)
    return True


def make_server(app: Flask, host: str = "127.0.0.1", port: int = 5000,
                threads: int = 8) -> Any:
    """The waitress server ``serve`` runs (not yet running): the app's request limit plus a
    margin, so a request just over the limit still gets the app's own 413 (HTML for the
    forms, JSON for the API); only far beyond it does waitress refuse on its own."""
    from waitress import create_server

    return create_server(app, host=host, port=port, threads=threads,
                         ident="cleaner-preview", clear_untrusted_proxy_headers=True,
                         max_request_body_size=app.config["SERVER_MAX_BODY"])


def serve(host: str = "127.0.0.1", port: int = 5000, *, open_browser: bool = False,
          threads: int = 8, config: dict[str, Any] | None = None,
          ready: Callable[[str], object] | None = None) -> None:
    """Serve the preview with waitress until interrupted. ``port=0`` picks a free port;
    the URL is printed (and passed to ``ready(url)``) once the socket is listening."""
    from . import create_app

    host = host.strip("[]")  # "[::1]" binds ::1
    config = dict(config or {})
    config.setdefault("ALLOWED_HOSTS", allowed_hosts(host))
    app = create_app(config)
    tame_malloc(app)  # before waitress starts its threads
    try:
        server = make_server(app, host, port, threads)
    except (OSError, ValueError) as exc:  # the port is taken, no such address here...
        raise OptionError(f"cannot listen on {host} port {port}: "
                          f"{getattr(exc, 'strerror', None) or exc}") from None
    if not is_loopback(host):  # once it listens: a bind that failed warns of nothing
        print(f"cleaner serve: warning: listening on {host}, not loopback: anyone who can "
              "reach this machine can use the preview, including its URL fetcher. Use "
              "--host 127.0.0.1 unless you mean it.", file=sys.stderr)
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
