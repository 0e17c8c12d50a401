"""The preview: a local Flask app that shows a page before and after cleaning.

Run it with ``cleaner serve`` (waitress, bound to 127.0.0.1), or for development with
``flask --app webapp run --debug``. The app factory follows Flask's tutorial::

    >>> from webapp import create_app
    >>> app = create_app({"TESTING": True})
    >>> app.test_client().get("/").status_code
    200

Every previewed page is treated as hostile: it is shown only in a sandboxed iframe
served with ``Content-Security-Policy: sandbox; default-src 'none'``, the app's own pages
carry a strict CSP, HTML we render is sanitised with nh3, URL fetches go through
:mod:`cleaner.fetch`, forms carry a CSRF token, and requests are size-capped.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from flask import Flask

__all__ = ["create_app", "DEFAULTS"]

DEFAULTS: dict[str, Any] = {
    # the one documented cap: a pasted, uploaded or fetched page, in UTF-8 bytes. The
    # request limits below are derived from it, so a page under it passes however it is
    # sent, and a request over them gets the app's own 413 naming this cap
    "MAX_INPUT_BYTES": 10_000_000,
    "MAX_CONTENT_LENGTH": None,            # whole request: 3x the cap (JSON escapes) + 64 KiB
    "MAX_FORM_MEMORY_SIZE": None,          # one form field: the same
    "SERVER_MAX_BODY": None,               # waitress's own refusal: the request limit + the cap
    "UPLOAD_EXTENSIONS": (".html", ".htm", ".txt"),
    "FIXTURES_DIR": None,                  # None: $CLEANER_FIXTURES or ./fixtures
    "PROFILES_DIR": None,                  # site profiles (*.toml); taught rules saved here
    "FETCH_TIMEOUT": 10.0,
    "IMAGE_TIMEOUT": 5.0,                  # one image through the preview's image proxy
    "IMAGE_MAX_BYTES": 5_000_000,
    "FETCH_MAX_REDIRECTS": 5,
    "FETCH_ALLOW_LOOPBACK": False,         # tests only: lets a local test server through
    "FETCH_RESOLVER": None,                # tests only: resolver(host, port) -> addresses
    "STORE_MAX_PAGES": 64,                 # previews kept in memory, least recently used
    "STORE_MAX_BYTES": 256_000_000,        # dropped first: pages and all that is cached
    "VIEW_MAX_CHARS": 1_000_000,           # of each After panel; downloads have it all
    "SESSION_COOKIE_SAMESITE": "Strict",
    "SESSION_COOKIE_HTTPONLY": True,
    # the Host names accepted (security.check_host): localhost and the bound address, so a
    # DNS-rebinding page cannot reach the app under its own name; `cleaner serve` sets it
    # for the address it binds (None, any name, only when bound beyond loopback)
    "ALLOWED_HOSTS": ["localhost", "127.0.0.1"],
}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the preview app. ``config`` overrides the defaults (and ``CLEANER_PREVIEW_*``
    environment variables), as in Flask's tutorial: ``create_app({"TESTING": True})``."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(DEFAULTS)
    # a fresh random key per process: CSRF tokens and the session die with the server
    app.config["SECRET_KEY"] = secrets.token_hex(32)
    app.config.from_prefixed_env("CLEANER_PREVIEW")
    if config:
        app.config.from_mapping(config)
    cap = int(app.config["MAX_INPUT_BYTES"])
    if not app.config.get("MAX_CONTENT_LENGTH"):
        # JSON's \uXXXX escapes triple non-ASCII text (forms are multipart: no escaping)
        app.config["MAX_CONTENT_LENGTH"] = 3 * cap + 65536
    if not app.config.get("MAX_FORM_MEMORY_SIZE"):
        # werkzeug holds a urlencoded body, or one multipart field, against this
        app.config["MAX_FORM_MEMORY_SIZE"] = app.config["MAX_CONTENT_LENGTH"]
    if not app.config.get("SERVER_MAX_BODY"):
        # waitress reads a whole body before the app sees it; over this it answers alone
        app.config["SERVER_MAX_BODY"] = app.config["MAX_CONTENT_LENGTH"] + cap

    from . import security, views
    from .store import PageStore

    app.extensions["cleaner_store"] = PageStore(app.config["STORE_MAX_PAGES"],
                                                app.config["STORE_MAX_BYTES"])
    security.init_app(app)
    app.register_blueprint(views.bp)
    views.register_error_handlers(app)
    return app
