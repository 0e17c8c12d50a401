"""The preview's browser-facing security: the Host check, headers on every response, the
CSRF token, and the Content-Security-Policies (one for our pages, one for the hostile page)."""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Iterable

from flask import Flask, Response, abort, current_app, jsonify, request, session

__all__ = ["init_app", "csrf_token", "check_csrf", "check_same_origin", "check_host",
           "host_name", "APP_CSP", "page_csp"]

# our own pages: our scripts and styles only; frames only from us; nothing external
APP_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
           "frame-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
           "frame-ancestors 'none'")


def page_csp(image_source: str | None = None) -> str:
    """The CSP of the previewed page: sandboxed (no scripts, forms, popups, own origin),
    nothing fetched but its inline styles and, only when asked, its images from
    ``image_source`` (the preview's image proxy for this page, a URL path prefix)."""
    img = f"data: {image_source}" if image_source else "data:"
    return (f"sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src {img}; "
            "font-src data:; media-src 'none'; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'self'")


def host_name(host: str) -> str:
    """A ``Host`` header's name, compared the way browsers write it: lower case, no port,
    IPv6 in brackets in its short form.

    >>> host_name("LOCALHOST:5000"), host_name("[0:0::1]:5000"), host_name("127.0.0.2")
    ('localhost', '[::1]', '127.0.0.2')
    """
    host = host.strip().lower()
    if host.startswith("["):
        inside, _, _ = host[1:].partition("]")
        try:
            return f"[{ipaddress.IPv6Address(inside)}]"
        except ValueError:
            return host
    return host.rpartition(":")[0] if ":" in host else host


def _allowed(names: Iterable[str]) -> frozenset[str]:
    return frozenset(host_name(n if ":" not in n or n.startswith("[") else f"[{n}]")
                     for n in names)


def check_host() -> Response | None:
    """Refuse a request whose ``Host`` is not one of ``ALLOWED_HOSTS`` (``None``: any).

    A DNS-rebinding page reaches the preview under its own name (``evil.example``): the
    browser then treats the preview as that site, so only the names the preview was
    opened by may pass. Werkzeug's ``TRUSTED_HOSTS`` cannot list ``[::1]`` (it splits the
    name at the first colon), hence this check of our own.
    """
    names = current_app.config.get("ALLOWED_HOSTS")
    if names is None:
        return None
    if host_name(request.headers.get("Host", "")) in _allowed(names):
        return None
    message = "untrusted Host header: open the preview as http://localhost or its address"
    if request.path.startswith("/api/"):
        resp = jsonify(error=message)
        resp.status_code = 400
        return resp
    return Response(message + "\n", 400, mimetype="text/plain")


def csrf_token() -> str:
    """This session's CSRF token (made on first use); forms carry it as ``csrf_token``."""
    token = session.get("csrf_token")
    if not token:
        token = session["csrf_token"] = secrets.token_urlsafe(32)
    return token


def check_same_origin() -> None:
    """Refuse a state-changing request that a browser says came from another site.

    ``Origin: null`` is refused too: it is what a sandboxed frame, a ``data:`` page or a
    redirect chain through another site sends. Our own pages send their real origin, since
    their ``Referrer-Policy`` is ``same-origin`` (``no-referrer`` would make Chromium send
    ``null`` on our own form posts).
    """
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        abort(400, "cross-site request refused")
    origin = request.headers.get("Origin")
    if origin is not None and origin.rstrip("/") != request.host_url.rstrip("/"):
        abort(400, "cross-origin request refused")


def check_csrf() -> None:
    """Abort with 400 unless the form's token matches the session's."""
    check_same_origin()
    sent = request.form.get("csrf_token", "")
    token = session.get("csrf_token", "")
    # as bytes: compare_digest refuses str with non-ASCII characters (a TypeError, a 500)
    if not token or not sent or not hmac.compare_digest(
            sent.encode("utf-8", "surrogatepass"), token.encode("utf-8")):
        abort(400, "the form's security token is missing or stale: reload the page and "
                   "submit again")


def _headers(response: Response) -> Response:
    h = response.headers
    h.setdefault("Content-Security-Policy", APP_CSP)
    h.setdefault("X-Frame-Options", "DENY")
    h.setdefault("X-Content-Type-Options", "nosniff")
    # same-origin: our own form posts carry their Origin; no other site learns our URLs
    h.setdefault("Referrer-Policy", "same-origin")
    h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    h.setdefault("Cross-Origin-Resource-Policy", "same-origin")
    h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), "
                                       "payment=(), usb=()")
    if request.endpoint != "static":
        h.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    app.before_request(check_host)
    app.after_request(_headers)
    app.jinja_env.globals["csrf_token"] = csrf_token
