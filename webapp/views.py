"""The preview's one blueprint: the pages (input, before/after view, sandboxed page,
downloads, save as fixture, teach a site's profile) and the JSON API
(``POST /api/clean``)."""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

import nh3
from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from markupsafe import Markup, escape
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, SecurityError

import cleaner
from cleaner import (
    BlockedURLError,
    CleanerError,
    CleanOptions,
    CleanResult,
    FetchError,
    FixtureError,
    InputTooLargeError,
    OptionError,
    ProfileError,
    clean_article,
    clean_text,
    decode_page,
    looks_like_html,
    parse_page,
)
from cleaner.profiles import load_profiles
from cleaner.sources.fetch import fetch

from .annotate import (
    OUTSIDE,
    PATH_PATTERN,
    Annotation,
    Segment,
    annotate_html,
    annotate_text,
    diff_rows,
    sandboxed_page,
)
from .pick import OutlineItem, outline
from .security import check_csrf, check_same_origin, page_csp
from .store import Entry, PageStore
from .teach import Lesson, plan
from .teach import save as save_lesson

__all__ = ["bp", "register_error_handlers", "status_for"]

bp = Blueprint("preview", __name__)

SAMPLES_DIR = Path(cleaner.__file__).parent / "samples"
DOWNLOADS = {
    "txt": ("text/plain; charset=utf-8", "text"),
    "md": ("text/markdown; charset=utf-8", "markdown"),
    "html": ("text/html; charset=utf-8", "html"),
    "json": ("application/json", "json"),
}
# the result's HTML is written by cleaner itself; nh3 still checks it before we show it
_RESULT_HTML = nh3.Cleaner(
    tags={"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "pre", "code",
          "blockquote", "figure", "figcaption", "table", "thead", "tbody", "tr", "th", "td",
          "em", "strong", "b", "i", "br", "a", "sub", "sup"},
    attributes={"a": {"href"}, "ol": {"start"}, "td": {"colspan", "rowspan"},
                "th": {"colspan", "rowspan"}},
    url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")
_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")
# what the image proxy serves: raster images only (an SVG is a document that can script)
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/avif",
                         "image/bmp", "image/x-icon", "image/vnd.microsoft.icon"})
ROWS_PER_PART = 500  # rows of the removals table per view; a repetitive page has thousands
_SURROGATE = re.compile("[\ud800-\udfff]")
LOW_CONFIDENCE = 0.5   # below this the body decision is worth a look
DECIDED_BY = {  # metadata["body"]["decided_by"] in words
    "scores": "the page's structure (paragraph and link scores)",
    "profile": "the site profile",
    "json-ld": "the page's own JSON-LD articleBody",
    "json-ld-text": "the page's JSON-LD articleBody as the text: the page shows little of it",
    "readability": "a second opinion (readability-lxml)",
    "named": "the page's one box named as the article's body (entry-content, articleBody)",
    "post": "the headline's <article>, without the boxes of other posts' excerpts beside it",
    "headline": "the box holding the page's headline and the scorer's box of little prose",
    "fallback": "a fallback: the first choice held no text",
}


# -- errors --------------------------------------------------------------------------------

def status_for(exc: CleanerError) -> int:
    """The HTTP status for a cleaner error: 400 the request is wrong, 413 too large,
    422 the input cannot be cleaned, 502 the page could not be fetched."""
    if isinstance(exc, BlockedURLError):
        return 400
    if isinstance(exc, InputTooLargeError):
        return 413
    if isinstance(exc, FetchError):
        return 502
    if isinstance(exc, (OptionError, ProfileError, FixtureError)):
        return 400
    return 422


def _fail(exc: CleanerError) -> NoReturn:
    abort(status_for(exc), str(exc))


def register_error_handlers(app: Flask) -> None:
    """JSON errors under /api/, a plain error page elsewhere; never a traceback."""

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> ResponseReturnValue:
        if isinstance(exc, SecurityError):  # untrusted Host: no URL can be built for it
            return Response("untrusted Host header\n", 400, mimetype="text/plain")
        message = exc.description or exc.name
        code = exc.code or 500
        if isinstance(exc, RequestEntityTooLarge) and \
                exc.description == RequestEntityTooLarge.description:
            limit = current_app.config["MAX_INPUT_BYTES"]
            message = f"the request is over the size limit: pages up to {limit:,} bytes"
        if code == 500:
            message = "internal error: the preview hit a bug (see the server's log)"
        if request.path.startswith("/api/"):
            return jsonify(error=message), code
        if isinstance(exc, RequestEntityTooLarge) and request.endpoint == "preview.submit":
            # the body was not read, so the form cannot be refilled; its page can be shown
            return render_template("index.html", samples=_samples(), error=message,
                                   form={}), code
        return render_template("error.html", code=code, name=exc.name,
                               message=message), code


# -- inputs --------------------------------------------------------------------------------

def _store() -> PageStore:
    store: PageStore = current_app.extensions["cleaner_store"]
    return store


def _cap() -> int:
    return int(current_app.config["MAX_INPUT_BYTES"])


def _too_large(size: int) -> InputTooLargeError:
    return InputTooLargeError(f"the input is {size:,} bytes, over the limit of {_cap():,}")


def _samples() -> list[tuple[str, str]]:
    """(value, label) for the bundled samples and the project's fixtures."""
    out = []
    if SAMPLES_DIR.is_dir():
        out += [(f"sample:{p.name}", f"sample: {p.name}")
                for p in sorted(SAMPLES_DIR.iterdir()) if p.suffix in (".html", ".htm")]
    try:
        from cleaner.devtools.fixtures import list_fixtures
        out += [(f"fixture:{n}", f"fixture: {n}")
                for n in list_fixtures(current_app.config["FIXTURES_DIR"])]
    except (ImportError, CleanerError, OSError):
        pass
    return out


def _profile_names() -> list[str]:
    try:
        return sorted({p.name for p in load_profiles(current_app.config["PROFILES_DIR"])})
    except CleanerError:
        return []


def _profile_arg(value: Any) -> str | None:
    """A profile name from a request: None (match by URL) or a known profile's name."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise OptionError("profile must be a string")
    if value not in _profile_names():
        raise ProfileError(f"no profile named {value!r}")
    return value


def _from_paste(html: str, url: str | None = None) -> dict[str, Any]:
    """A page given as text (the paste box, JSON): kept as its UTF-8 and cleaned as the
    str it is. A lone surrogate (JSON can carry one) has no UTF-8: it becomes U+FFFD."""
    html = _SURROGATE.sub("\ufffd", html)
    data = html.encode("utf-8")
    if len(data) > _cap():
        raise _too_large(len(data))
    kind = "html" if looks_like_html(html) else "text"
    return {"data": data, "kind": kind, "url": url or None, "text_input": True,
            "label": "pasted HTML" if kind == "html" else "pasted text",
            "headers": {"content-type": f"text/{'html' if kind == 'html' else 'plain'}; "
                                        "charset=utf-8"}}


def _from_upload(file: FileStorage) -> dict[str, Any]:
    name = file.filename or ""
    ext = Path(name).suffix.lower()
    allowed = current_app.config["UPLOAD_EXTENSIONS"]
    if ext not in allowed:
        raise OptionError(f"upload a {', '.join(allowed)} file (got {name or 'no file'!r})")
    data = file.stream.read(_cap() + 1)
    if len(data) > _cap():
        raise _too_large(len(data))
    return {"data": data, "kind": "text" if ext == ".txt" else "html",
            "label": f"upload {Path(name).name}", "url": None, "headers": {}}


def _from_sample(choice: str) -> dict[str, Any]:
    if choice not in dict(_samples()):
        raise OptionError(f"no sample or fixture {choice!r}")
    kind, _, name = choice.partition(":")
    if kind == "sample":
        data = (SAMPLES_DIR / name).read_bytes()
        return {"data": data, "kind": "html", "label": f"sample {name}", "url": None,
                "headers": {}}
    from cleaner.devtools.fixtures import load_fixture
    fx = load_fixture(name, current_app.config["FIXTURES_DIR"])
    ctype = fx.meta.get("content_type")
    return {"data": fx.input_bytes, "kind": "html", "label": f"fixture {name}", "url": fx.url,
            "headers": {"content-type": ctype} if ctype else {}, "profile": fx.profile}


def _from_url(url: str) -> dict[str, Any]:
    cfg = current_app.config
    page = fetch(url, max_bytes=_cap(), timeout=cfg["FETCH_TIMEOUT"],
                 max_redirects=cfg["FETCH_MAX_REDIRECTS"],
                 allow_loopback=cfg["FETCH_ALLOW_LOOPBACK"], resolver=cfg["FETCH_RESOLVER"])
    kind = "text" if page.content_type.startswith("text/plain") else "html"
    return {"data": page.content, "kind": kind, "label": page.url, "url": page.url,
            "headers": page.headers}


# -- cleaning and the view's data ----------------------------------------------------------

def _options(**fields: Any) -> CleanOptions:
    """The preview's CleanOptions: its profiles folder and size cap, plus ``fields``."""
    return CleanOptions(profiles_dir=current_app.config["PROFILES_DIR"], max_bytes=_cap(),
                        **fields)


def _text_of(page: Entry) -> str:
    """The page as text, decoded as cleaning decodes it (for the text rules and views)."""
    return decode_page(page.markup, headers=page.markup_headers, options=_options())


def _profiles_gen() -> int:
    """Bumped whenever the preview saves a profile: results cleaned before are stale."""
    gen: int = current_app.extensions.get("cleaner_profiles_gen", 0)
    return gen


def _clean(page: Entry, profile: str | None) -> CleanResult:
    key = ("result", profile, _profiles_gen())
    result: CleanResult | None = page.analyses.get(key)
    if result is None:
        if page.kind == "text":
            result = clean_text(_text_of(page))
        else:
            result = clean_article(page.markup, page.url, headers=page.markup_headers,
                                   options=_options(profile=profile))
        _ = result.html, result.markdown  # rendered once, and counted with the result
        _store().keep(page, key, result)
    return result


def _body_paths(result: CleanResult) -> list[str]:
    body: Any = result.metadata.get("body") or {}
    return [p for p in body.get("containers") or () if isinstance(p, str)]


def _annotation(page: Entry, profile: str | None, pick: str | None = None) -> Annotation:
    """The page's annotation (cached); with ``pick``, marked for that element too (not
    cached: every pick is another page)."""
    key = ("annotation", profile, _profiles_gen())
    ann: Annotation | None = page.analyses.get(key) if pick is None else None
    if ann is None:
        result = _clean(page, profile)
        if page.kind == "text":
            ann = annotate_text(_text_of(page), result.removed)
        else:
            ann = annotate_html(page.markup, result.removed, headers=page.markup_headers,
                                base_url=page.url, options=_options(profile=profile),
                                body_paths=_body_paths(result), pick=pick)
        if pick is None:
            _store().keep(page, key, ann)
    return ann


def _outline(page: Entry) -> tuple[list[OutlineItem], bool]:
    """The page's elements to pick from (cached; the same for every profile)."""
    got: tuple[list[OutlineItem], bool] | None = page.analyses.get("outline")
    if got is None:
        root = parse_page(page.markup, page.url, headers=page.markup_headers,
                          options=_options())
        got = outline(root) if root is not None else ([], False)
        _store().keep(page, "outline", got)
    return got


def _lesson(page: Entry, profile: str | None, result: CleanResult,
            args: Any) -> Lesson | None:
    """What the request's pick, selector, action or line would teach (not saved)."""
    if page.kind != "html" or not (args.get("pick") or args.get("line")):
        return None
    opts = _options(profile=profile)
    root = parse_page(page.markup, page.url, headers=page.markup_headers, options=opts)
    return plan({k: str(args.get(k, ""))[:2000] for k in
                 ("pick", "selector", "action", "line", "note")},
                root=root, markup=page.markup, url=page.url, headers=page.markup_headers,
                options=opts, result=result, folder=current_app.config["PROFILES_DIR"])


def _page_or_404(page_id: str) -> Entry:
    page = _store().get(page_id)
    if page is None:
        n = current_app.config["STORE_MAX_PAGES"]
        abort(404, f"no such preview: it expired (the server keeps the last {n} pages) "
                   "or the server was restarted. Submit the page again.")
    return page


def _profile_or_400() -> str | None:
    try:
        return _profile_arg(request.args.get("profile"))
    except CleanerError as exc:
        _fail(exc)


def _run(page: Entry, profile: str | None) -> CleanResult:
    try:
        return _clean(page, profile)
    except CleanerError as exc:
        _fail(exc)


# -- pages ---------------------------------------------------------------------------------

@bp.get("/")
def index() -> str:
    return render_template("index.html", samples=_samples(), error=None, form={})


@bp.post("/preview")
def submit() -> ResponseReturnValue:
    """Take a pasted, uploaded, sample or fetched page; show it (POST-redirect-GET)."""
    check_csrf()
    source = request.form.get("source", "")
    try:
        if source == "paste":
            # browsers send a textarea's line breaks as CRLF: give back what was pasted
            html = request.form.get("html", "").replace("\r\n", "\n")
            if not html.strip():
                raise OptionError("paste some HTML or text first")
            got = _from_paste(html, request.form.get("page_url", "").strip() or None)
        elif source == "upload":
            file = request.files.get("file")
            if file is None or not file.filename:
                raise OptionError("choose a file to upload")
            got = _from_upload(file)
        elif source == "sample":
            got = _from_sample(request.form.get("sample", ""))
        elif source == "url":
            got = _from_url(request.form.get("url", "").strip())
        else:
            raise OptionError("unknown input source")
        profile = got.pop("profile", None)
        # a PNG renamed .html, a PDF, random bytes: refused here, before anything is kept
        _text_of(Entry(id="new", **got))
    except CleanerError as exc:
        return render_template("index.html", samples=_samples(), error=str(exc),
                               form=request.form), status_for(exc)
    page = _store().add(**got)
    return redirect(url_for(".view", page_id=page.id, profile=profile), 303)


def _cut(text: str, limit: int) -> tuple[str, bool]:
    """``text`` up to ``limit`` characters, cut at a line end; and whether it was cut."""
    if len(text) <= limit:
        return text, False
    end = text.rfind("\n", 0, limit)
    return text[:end if end > 0 else limit], True


def _hosts_text(hosts: list[str], shown: int = 5) -> str:
    """``a.example, b.example and 3 more``: the servers the image requests go to."""
    names = hosts[:shown]
    more = len(hosts) - len(names)
    if more:
        return f"{', '.join(names)} and {more} more"
    return " and ".join(filter(None, (", ".join(names[:-1]), names[-1]))) if names else ""


def _first_lines(lines: list[list[Segment]], limit: int) -> list[list[Segment]]:
    """The before text's first lines, up to ``limit`` characters in all."""
    total = 0
    for n, line in enumerate(lines):
        total += sum(len(t) for t, _ in line)
        if total > limit:
            return lines[:max(n, 1)]
    return lines


def _part_arg(total: int) -> int:
    """Which part of the removals table to show (1-based), from ``?part=``."""
    parts = max(1, -(-total // ROWS_PER_PART))
    try:
        part = int(request.args.get("part", "1"))
    except ValueError:
        part = 1
    return min(max(part, 1), parts)


def _host(url: str | None) -> str:
    """The URL's host name; "" when it has none urllib can read ("http://[::1")."""
    try:
        return urlsplit(url or "").hostname or ""
    except ValueError:
        return ""


def _body_info(result: CleanResult) -> dict[str, Any] | None:
    """The chosen body for the view: its path, its runner-up, what decided, how sure."""
    body: Any = result.metadata.get("body")
    if not isinstance(body, dict) or not body.get("path"):
        return None
    sure = result.confidence
    return {"path": body["path"], "containers": body.get("containers") or [],
            "runner_up": body.get("runner_up"), "decided_by": body.get("decided_by", ""),
            "decided_by_words": DECIDED_BY.get(body.get("decided_by", ""),
                                               body.get("decided_by", "")),
            "confidence": sure, "low": sure is not None and sure < LOW_CONFIDENCE}


@bp.get("/view/<page_id>")
def view(page_id: str) -> str:
    page = _page_or_404(page_id)
    profile = _profile_or_400()
    result = _run(page, profile)
    try:
        ann = _annotation(page, profile)
        lesson = _lesson(page, profile, result, request.args)
    except CleanerError as exc:
        _fail(exc)
    images = request.args.get("images") == "1"
    # residue first, then the regions outside the body, each group in page order
    removed = result.removed
    order = [i for i, r in enumerate(removed) if r.family != OUTSIDE] + \
        [i for i, r in enumerate(removed) if r.family == OUTSIDE]
    place = {i: n for n, i in enumerate(order)}
    total = len(removed)
    part = _part_arg(total)
    first = (part - 1) * ROWS_PER_PART
    shown = order[first:first + ROWS_PER_PART]
    shown_set = set(shown)
    outside_total = total - sum(1 for r in removed if r.family != OUTSIDE)

    def part_url(n: int) -> str:
        return url_for(".view", page_id=page.id, profile=profile or None,
                       images="1" if images else None, part=n if n > 1 else None)

    def row_href(i: int) -> str:
        """Where removal ``i``'s row is: on this part, or on the part that lists it."""
        anchor = f"#removal-{i}"
        return anchor if i in shown_set else \
            part_url(place.get(i, 0) // ROWS_PER_PART + 1) + anchor

    def pick_url(path: str) -> str:
        return url_for(".view", page_id=page.id, profile=profile or None,
                       images="1" if images else None, pick=path) + "#teach"

    limit = int(current_app.config["VIEW_MAX_CHARS"])
    text, text_cut = _cut(result.text, limit)
    markdown, md_cut = _cut(result.markdown, limit)
    html, html_cut = _cut(result.html, limit)
    before = _first_lines(ann.lines, limit)
    site = _host(page.url).removeprefix("www.")
    hosts = [h for h in dict.fromkeys(_host(u) for u in ann.images) if h]
    items, items_cut = _outline(page) if page.kind == "html" else ([], False)
    size = 0
    for n, item in enumerate(items):  # the outline is cut like the other views
        size += len(item.path) + len(item.label) + len(item.excerpt)
        if size > limit:
            items, items_cut = items[:n], True
            break
    by_path: dict[str, int] = {}
    for i in ann.located:
        by_path.setdefault(removed[i].path, i)
    return render_template(
        "view.html", page=page, result=result, ann=ann, profile=profile or "",
        image_hosts=hosts, image_hosts_text=_hosts_text(hosts),
        profiles=_profile_names(), counts=result.removed_by_family(),
        residue_total=total - outside_total, outside_total=outside_total,
        removals=[(i, removed[i]) for i in shown if removed[i].family != OUTSIDE],
        outside_rows=[(i, removed[i]) for i in shown if removed[i].family == OUTSIDE],
        first_row=first + 1, last_row=first + len(shown),
        total=total, part=part,
        parts=max(1, -(-total // ROWS_PER_PART)), part_url=part_url, row_href=row_href,
        pick_url=pick_url, body=_body_info(result),
        metadata=[(k, v) for k, v in result.metadata.items()
                  if v not in (None, "", []) and k != "body"],
        after_text=text, markdown=markdown, html_source=html,
        result_html=Markup(_RESULT_HTML.clean(html)), cut=text_cut or md_cut or html_cut,
        before_lines=before, before_cut=ann.truncated or len(before) < len(ann.lines),
        limit=limit, diff=diff_rows(before, text.splitlines()),
        images=images, outline=items, outline_cut=items_cut, outlined_at=by_path,
        lesson=lesson, profiles_dir=current_app.config["PROFILES_DIR"],
        taught=request.args.get("taught") == "1",
        suggested_site=site)


def _image_prefix(page: Entry, images: bool) -> str:
    """What the image placeholders in a served page become: the path of our image proxy
    for this page (images on), else a URL that loads nothing."""
    return url_for(".page_image", page_id=page.id, n=0)[:-1] if images else "data:,"


def _images(page: Entry) -> list[str]:
    """The page's image URLs, numbered as its served copies number them."""
    for value in list(page.analyses.values()):
        if isinstance(value, Annotation) and value.image_token:
            return value.images
    urls: list[str] | None = page.analyses.get("images")
    if urls is None:
        urls = sandboxed_page(page.markup, headers=page.markup_headers, base_url=page.url,
                              options=_options(), token="-")[1]
        _store().keep(page, "images", urls)
    return urls


@bp.get("/page/<page_id>")
def page_source(page_id: str) -> Response:
    """The page for the sandboxed iframe (``?mark=1``: with the removals outlined), its
    images pointed at our proxy when ``?images=1``, else at nothing."""
    page = _page_or_404(page_id)
    images = request.args.get("images") == "1" and page.kind == "html"
    prefix = _image_prefix(page, images)
    try:
        if page.kind != "html":
            body = _text_of(page)
        elif request.args.get("mark") == "1":
            pick = request.args.get("pick") or None
            if pick is not None and not PATH_PATTERN.fullmatch(pick):
                abort(400, "pick must be an element path such as /html/body/div[2]")
            ann = _annotation(page, _profile_or_400(), pick)
            body = (ann.marked_html or "").replace(ann.image_token, prefix)
        else:
            token = f"cleaner-image-{secrets.token_hex(8)}:"
            html, _ = sandboxed_page(page.markup, headers=page.markup_headers,
                                     base_url=page.url, options=_options(), token=token)
            body = html.replace(token, prefix)
    except CleanerError as exc:
        _fail(exc)
    mimetype = "text/html" if page.kind == "html" else "text/plain"
    resp = Response(body, mimetype=mimetype)
    resp.headers["Content-Security-Policy"] = page_csp(
        request.host_url.rstrip("/") + prefix if images else None)
    resp.headers["X-Frame-Options"] = "SAMEORIGIN"
    resp.headers["Referrer-Policy"] = "no-referrer"  # the hostile page's links tell nothing
    return resp


@bp.get("/page/<page_id>/image/<int:n>")
def page_image(page_id: str, n: int) -> Response:
    """Image ``n`` of the page, fetched by the guarded fetcher (public addresses only, the
    same rules as a URL typed into the preview): the browser itself never contacts the
    page's servers, so no image URL can reach this machine, the LAN or a metadata service."""
    page = _page_or_404(page_id)
    urls = _images(page)
    if n >= len(urls):
        abort(404, f"the page has no image {n}")
    cfg = current_app.config
    try:
        got = fetch(urls[n], max_bytes=cfg["IMAGE_MAX_BYTES"], timeout=cfg["IMAGE_TIMEOUT"],
                    max_redirects=cfg["FETCH_MAX_REDIRECTS"], content_types=IMAGE_TYPES,
                    allow_loopback=cfg["FETCH_ALLOW_LOOPBACK"], resolver=cfg["FETCH_RESOLVER"])
    except CleanerError as exc:
        return Response(f"{exc}\n", status_for(exc), mimetype="text/plain")
    ctype = got.content_type.split(";", 1)[0].strip().lower()
    if ctype not in IMAGE_TYPES:  # no type at all: we do not sniff
        return Response(f"{urls[n]} sent no image type\n", 502, mimetype="text/plain")
    resp = Response(got.content, mimetype=ctype)
    resp.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    resp.headers["Cache-Control"] = "private, max-age=3600"
    # the framed page's origin is opaque (sandbox): same-origin would refuse it the image
    resp.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return resp


def _standalone_html(result: CleanResult) -> str:
    title = escape(result.title or "cleaned article")
    heading = f"<h1>{title}</h1>\n" if result.title else ""
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{title}</title>'
            f"</head>\n<body>\n{heading}{result.html}\n</body></html>\n")


@bp.get("/download/<page_id>.<ext>")
def download(page_id: str, ext: str) -> Response:
    if ext not in DOWNLOADS:
        abort(404, f"no download format {ext!r}; use one of {', '.join(DOWNLOADS)}")
    page = _page_or_404(page_id)
    result = _run(page, _profile_or_400())
    mimetype, attr = DOWNLOADS[ext]
    if attr == "json":
        body = result.to_json(indent=2)
    elif attr == "html":
        body = _standalone_html(result)
    else:
        body = getattr(result, attr)
    stem = _FILENAME.sub("-", (result.title or "cleaned")[:80]).strip("-.") or "cleaned"
    resp = Response(body + ("" if body.endswith("\n") else "\n"), mimetype=mimetype)
    resp.headers["Content-Disposition"] = f'attachment; filename="{stem}.{ext}"'
    resp.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return resp


@bp.post("/fixture/<page_id>")
def save_fixture(page_id: str) -> ResponseReturnValue:
    """Write fixtures/<site>/ (input.html, meta.json, candidate.txt) for the test suite;
    with ``approve``, the candidate becomes expected.txt at once, so that ``cleaner
    fixture check`` guards the text the preview shows."""
    check_csrf()
    page = _page_or_404(page_id)
    from cleaner.devtools.fixtures import (
        INPUT,
        add_fixture,
        approve,
        fixtures_root,
        validate_name,
    )
    site = request.form.get("site", "").strip()
    root = current_app.config["FIXTURES_DIR"]
    folder = current_app.config["PROFILES_DIR"]
    approved = request.form.get("approve") == "1"
    try:
        profile = _profile_arg(request.form.get("profile"))
        validate_name(site)
        replace = request.form.get("replace") == "1"
        if (fixtures_root(root) / site / INPUT).exists() and not replace:
            abort(409, f"fixture {site!r} exists; tick 'replace' to overwrite it")
        fx = add_fixture(page.data, site, page.url, root=root, profile=profile,
                         notes=request.form.get("notes", "").strip()[:500],
                         content_type=page.content_type, force=replace,
                         profiles_dir=folder)
        if approved:
            fx = approve(fx.name, root)
    except CleanerError as exc:
        _fail(exc)
    if approved:
        env = f"CLEANER_PROFILES={folder} " if folder else ""
        flash(f"saved fixture {fx.name}: {fx.path}/ (input.html, meta.json, expected.txt), "
              f"approved: '{env}cleaner fixture check {fx.name}' guards this text.", "ok")
    else:
        flash(f"saved fixture {fx.name}: {fx.path}/ (input.html, meta.json, candidate.txt). "
              f"Read candidate.txt, then run 'cleaner fixture approve {fx.name}'.", "ok")
    return redirect(url_for(".view", page_id=page.id, profile=profile), 303)


@bp.post("/profile/<page_id>")
def save_rule(page_id: str) -> ResponseReturnValue:
    """Save the rule the form describes (the same fields the view tried it with) into the
    site's profile, in the folder ``cleaner serve --profiles DIR`` named; then show the
    page cleaned with it, with "save as fixture" offered."""
    check_csrf()
    page = _page_or_404(page_id)
    folder = current_app.config["PROFILES_DIR"]
    try:
        profile = _profile_arg(request.form.get("profile"))
        result = _run(page, profile)
        lesson = _lesson(page, profile, result, request.form)
        if lesson is None:
            raise OptionError("pick an element or give a line first")
        if not folder:
            raise ProfileError(lesson.why_not or "no profiles folder: start the preview "
                               "with 'cleaner serve --profiles DIR'")
        saved = save_lesson(lesson, folder)
    except CleanerError as exc:
        _fail(exc)
    current_app.extensions["cleaner_profiles_gen"] = _profiles_gen() + 1
    n = len(saved.rules)
    flash(f"saved rule {n} ({lesson.kind} {lesson.value}) to {saved.source}. The page "
          "below is cleaned with it; save it as a fixture to keep it that way.", "ok")
    return redirect(url_for(".view", page_id=page.id, profile=profile, taught="1")
                    + "#summary", 303)


# -- the JSON API --------------------------------------------------------------------------

def _api_input(body: dict[str, Any]) -> dict[str, Any]:
    for key in ("html", "text", "url"):
        if key in body and not isinstance(body[key], str):
            raise OptionError(f"'{key}' must be a string")
    html, text, url = body.get("html"), body.get("text"), body.get("url")
    if html is not None and text is not None:
        raise OptionError("send either 'html' or 'text', not both")
    if html is not None:
        got = _from_paste(html, url)
        got["kind"] = "html"  # the caller said it is HTML
        return got
    if text is not None:
        got = _from_paste(text)
        got["kind"] = "text"
        return got
    if url:
        return _from_url(url)
    raise OptionError("send a JSON object with 'html', 'text' or 'url'")


@bp.post("/api/clean")
def api_clean() -> ResponseReturnValue:
    """Clean ``{"html"|"text"|"url": ..., "format"?, "profile"?, "include_comments"?}``;
    answer ``CleanResult.to_dict()`` (plus ``content`` in ``format``, when given)."""
    check_same_origin()
    if not request.is_json:
        abort(400, "send JSON (Content-Type: application/json) with 'html', 'text' or 'url'")
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # JSON nested deeper than the parser's stack
        body = None
    if not isinstance(body, dict):
        abort(400, "the request body is not a JSON object")
    try:
        fmt = body.get("format")
        comments = body.get("include_comments", False)
        if not isinstance(comments, bool):
            raise OptionError("include_comments must be true or false")
        opts = _options(profile=_profile_arg(body.get("profile")), format=fmt or "text",
                        include_comments=comments)
        page = Entry(id="api", **_api_input(body))  # read as a stored page is, not stored
        if page.kind == "text":
            result = clean_text(_text_of(page), format=opts.format)
        else:
            result = clean_article(page.markup, page.url, headers=page.markup_headers,
                                   options=opts)
    except CleanerError as exc:
        _fail(exc)
    out = result.to_dict()
    if fmt is not None and fmt != "json":
        out["content"] = result.content
    return jsonify(out)
