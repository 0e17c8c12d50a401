"""The preview's browser-facing security: headers on every response, the CSRF token,
and the Content-Security-Policies (one for our pages, one for the hostile page)."""

from __future__ import annotations

import hmac
import secrets

from flask import Flask, Response, abort, request, session

__all__ = ["init_app", "csrf_token", "check_csrf", "check_same_origin", "APP_CSP",
           "page_csp"]

# our own pages: our scripts and styles only; frames only from us; nothing external
APP_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
           "frame-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
           "frame-ancestors 'none'")


def page_csp(images: bool = False) -> str:
    """The CSP of the previewed page: sandboxed (no scripts, forms, popups, own origin),
    nothing fetched but its inline styles and, only if asked, its images."""
    img = "data: http: https:" if images else "data:"
    return (f"sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src {img}; "
            "font-src data:; media-src 'none'; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'self'")




def csrf_token() -> str:
    """This session's CSRF token (made on first use); forms carry it as ``csrf_token``."""
    token = session.get("csrf_token")
    if not token:
        token = session["csrf_token"] = secrets.token_urlsafe(32)
    return token


def check_same_origin() -> None:
    """Refuse a state-changing request that a browser says came from another site."""
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        abort(400, "cross-site request refused")
    origin = request.headers.get("Origin")
    if origin and origin != "null" and origin.rstrip("/") != request.host_url.rstrip("/"):
        abort(400, "cross-origin request refused")


def check_csrf() -> None:
    """Abort with 400 unless the form's token matches the session's."""
    check_same_origin()
    sent = request.form.get("csrf_token", "")
    token = session.get("csrf_token", "")
    if not token or not sent or not hmac.compare_digest(sent, token):
        abort(400, "the form's security token is missing or stale: reload the page and "
                   "submit again")


def _headers(response: Response) -> Response:
    h = response.headers
    h.setdefault("Content-Security-Policy", APP_CSP)
    h.setdefault("X-Frame-Options", "DENY")
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("Referrer-Policy", "no-referrer")
    h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    h.setdefault("Cross-Origin-Resource-Policy", "same-origin")
    h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), "
                                       "payment=(), usb=()")
    if request.endpoint != "static":
        h.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    app.after_request(_headers)
    app.jinja_env.globals["csrf_token"] = csrf_token
