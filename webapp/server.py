"""Serving the preview with waitress, bound to loopback unless told otherwise."""

from __future__ import annotations

import ipaddress
import sys
import threading
import webbrowser

__all__ = ["serve", "is_loopback"]

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
