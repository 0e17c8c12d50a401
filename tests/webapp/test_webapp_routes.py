"""The preview's pages through Flask's test client: inputs, the view, the sandboxed page,
downloads, profiles, CSRF, headers and error pages."""

from __future__ import annotations

import io
import json
import random
import re
from pathlib import Path

import pytest

from webapp import create_app

WEBAPP = Path(__file__).parents[2] / "webapp"
LEGEND = "indicates required fields"


def test_create_app_defaults_and_overrides():
    assert not create_app().testing
    app = create_app({"TESTING": True, "MAX_INPUT_BYTES": 1000})
    assert app.testing
    assert app.config["MAX_CONTENT_LENGTH"] > 1000
    assert app.config["MAX_FORM_MEMORY_SIZE"] > 1000
    assert create_app().config["SECRET_KEY"] != create_app().config["SECRET_KEY"]


def test_index_offers_every_input(client):
    resp = client.get("/")
    assert resp.status_code == 200
    for form in ("form-paste", "form-upload", "form-sample", "form-url"):
        assert f'id="{form}"' in resp.text
    assert resp.text.count('name="csrf_token"') == 4


def test_index_lists_the_seed_sample(client, seed_path):
    if seed_path is None:
        pytest.skip("no bundled seed sample in this checkout")
    assert 'value="sample:seed-wordpress.html"' in client.get("/").text


def test_security_headers_on_app_pages(client):
    resp = client.get("/")
    csp = resp.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "same-origin"  # our posts carry their Origin
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert "SameSite=Strict" in resp.headers["Set-Cookie"]
    assert "HttpOnly" in resp.headers["Set-Cookie"]


def test_every_asset_is_local_no_cdn():
    """Templates reference only our own static files; no http(s) URL in src/href."""
    for tpl in (WEBAPP / "templates").glob("*.html"):
        text = tpl.read_text()
        assert not re.search(r'(?:src|href)="(?:https?:)?//', text), tpl.name
        assert "<script>" not in text and " style=" not in text, tpl.name  # CSP: no inline
    assert (WEBAPP / "static" / "preview.css").is_file()
    assert (WEBAPP / "static" / "preview.js").is_file()


def test_static_files_are_served(client):
    for name in ("preview.css", "preview.js"):
        resp = client.get(f"/static/{name}")
        assert resp.status_code == 200
        assert resp.headers["X-Content-Type-Options"] == "nosniff"


# -- inputs --------------------------------------------------------------------------------

def test_paste_html_shows_before_and_after(preview, gravity_html):
    view, _ = preview.open("paste", html=gravity_html.decode())
    assert view.status_code == 200
    html = view.text
    after = re.search(r'id="after-text">(.*?)</div>', html, re.S).group(1)
    assert "new ferry timetable that adds four crossings" in after
    assert LEGEND not in after
    assert "form.gravity.wrapper" in html
    before = re.search(r'id="before-text">(.*?)</div>', html, re.S).group(1)
    assert re.search(r"<mark data-removal=\"\d+\" class=\"fam-form\"[^>]*><a [^>]*>[^<]*" + LEGEND,
                     before)
    assert 'id="family-counts"' in html and 'data-family="form"' in html
    assert 'sandbox src="/page/' in html
    assert "Coastal Ledger" in html  # metadata: site name


def test_paste_with_page_url_sets_metadata(preview, gravity_html):
    view, _ = preview.open("paste", html=gravity_html.decode(),
                           page_url="https://coastal-ledger.example/2025/10/ferry/")
    assert "https://coastal-ledger.example/2025/10/ferry/" in view.text


def test_pasted_page_is_read_as_the_text_it_is(preview):
    """A paste is text, not bytes: no charset is guessed or taken from an HTTP header."""
    resp, page_id = preview.open("paste", html="<meta charset=windows-1251><p>Grüße, Привет"
                                                " from the pasted page.</p>")
    assert "Grüße, Привет" in resp.text
    got = preview.client.get(f"/download/{page_id}.json").get_json()
    assert got["metadata"]["encoding_source"] == "str"
    assert got["text"] == "Grüße, Привет from the pasted page."


def test_paste_form_is_multipart_and_keeps_the_pasted_line_breaks(app, preview, client):
    """Multipart carries the page unescaped (a page under the cap fits the request cap);
    browsers send a textarea's line breaks as CRLF, which become LF again."""
    assert re.search(r'id="form-paste" method="post" enctype="multipart/form-data"', client.get("/").text)
    _, page_id = preview.open("paste", html="<p>One line.</p>\r\n<p>Another line.</p>\r\n")
    entry = app.extensions["cleaner_store"].get(page_id)
    assert entry.data == b"<p>One line.</p>\n<p>Another line.</p>\n"


def test_paste_plain_text_runs_clean_text(preview):
    view, _ = preview.open("paste", html='The story ends here.\n"*" indicates required fields')
    assert "pasted text" in view.text
    after = re.search(r'id="after-text">(.*?)</div>', view.text, re.S).group(1)
    assert "The story ends here." in after and LEGEND not in after
    assert "form.gravity.legend" in view.text


def test_paste_nothing_is_400(preview):
    resp = preview.submit("paste", html="   ")
    assert resp.status_code == 400
    assert "paste some HTML" in resp.text


def test_upload_html(preview, client, gravity_html):
    resp = client.post("/preview", data={
        "csrf_token": preview.token, "source": "upload",
        "file": (io.BytesIO(gravity_html), "story.html")}, follow_redirects=True)
    assert resp.status_code == 200
    assert "upload story.html" in resp.text
    assert "form.gravity.wrapper" in resp.text


def test_upload_txt_runs_clean_text(preview, client):
    resp = client.post("/preview", data={
        "csrf_token": preview.token, "source": "upload",
        "file": (io.BytesIO(b'Body line.\n"*" indicates required fields\n'), "notes.txt")},
        follow_redirects=True)
    assert resp.status_code == 200
    assert "form.gravity.legend" in resp.text and "only the text rules ran" in resp.text


@pytest.mark.parametrize("name", ["page.pdf", "page.html.exe", "script.js", "noext"])
def test_upload_other_types_refused(preview, client, name):
    resp = client.post("/preview", data={"csrf_token": preview.token, "source": "upload",
                                         "file": (io.BytesIO(b"<p>x</p>"), name)})
    assert resp.status_code == 400
    assert ".html, .htm, .txt" in resp.text


BINARY = {
    "png-renamed.html": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
    "report.html": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n" + bytes(range(256)) * 8,
    "random.htm": random.Random(16).randbytes(20_000),
    "archive.txt": b"PK\x03\x04\x14\x00\x00\x00" + bytes(range(256)) * 8,
}


@pytest.mark.parametrize("name", list(BINARY))
def test_binary_upload_is_refused_at_upload_and_nothing_stored(app, preview, name):
    resp = preview.client.post("/preview", data={
        "csrf_token": preview.token, "source": "upload",
        "file": (io.BytesIO(BINARY[name]), name)})
    assert resp.status_code == 422 and "Location" not in resp.headers
    assert 'id="form-upload"' in resp.text and 'role="alert"' in resp.text  # inline
    assert re.search(r"not an HTML page or text|looks binary", resp.text)
    assert len(app.extensions["cleaner_store"]) == 0


def test_upload_without_file_is_400(preview):
    assert preview.submit("upload").status_code == 400


def test_upload_over_the_cap_is_413(tmp_path):
    app = create_app({"TESTING": True, "MAX_INPUT_BYTES": 2000})
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)
    resp = client.post("/preview", data={"csrf_token": token, "source": "upload",
                                         "file": (io.BytesIO(b"<p>" + b"x" * 2500), "a.html")})
    assert resp.status_code == 413
    assert "over the limit of 2,000" in resp.text


def test_request_over_max_content_length_is_413(tmp_path):
    app = create_app({"TESTING": True, "MAX_INPUT_BYTES": 2000})
    client = app.test_client()
    resp = client.post("/preview", data={"source": "paste", "html": "x" * 100_000})
    assert resp.status_code == 413
    assert "size limit" in resp.text and "Traceback" not in resp.text


def test_paste_over_the_cap_is_413():
    app = create_app({"TESTING": True, "MAX_INPUT_BYTES": 2000})
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)
    resp = client.post("/preview", data={"csrf_token": token, "source": "paste",
                                         "html": "<p>" + "y" * 2100 + "</p>"})
    assert resp.status_code == 413


def test_sample_seed_page(preview, seed_path):
    if seed_path is None:
        pytest.skip("no bundled seed sample in this checkout")
    view, _ = preview.open("sample", sample="sample:seed-wordpress.html")
    assert view.status_code == 200
    assert "form.gravity" in view.text
    after = re.search(r'id="after-text">(.*?)</div>', view.text, re.S).group(1)
    assert LEGEND not in after


def test_fixture_as_input(app, preview, gravity_html):
    from cleaner.devtools.fixtures import add_fixture
    add_fixture(gravity_html, "coastal-ledger.example", "https://coastal-ledger.example/a/",
                root=app.config["FIXTURES_DIR"])
    assert 'value="fixture:coastal-ledger.example"' in preview.client.get("/").text
    view, _ = preview.open("sample", sample="fixture:coastal-ledger.example")
    assert "fixture coastal-ledger.example" in view.text
    assert "https://coastal-ledger.example/a/" in view.text


@pytest.mark.parametrize("choice", ["sample:../../etc/passwd", "fixture:..", "sample:nope.html",
                                    "other:seed-wordpress.html", ""])
def test_unknown_sample_is_400(preview, choice):
    resp = preview.submit("sample", sample=choice)
    assert resp.status_code == 400
    assert "no sample or fixture" in resp.text


def test_unknown_source_is_400(preview):
    assert preview.submit("ftp").status_code == 400


# -- CSRF and origin -----------------------------------------------------------------------

def test_form_without_csrf_token_is_400(client, gravity_html):
    resp = client.post("/preview", data={"source": "paste", "html": gravity_html.decode()})
    assert resp.status_code == 400
    assert "security token" in resp.text


def test_form_with_wrong_csrf_token_is_400(preview):
    preview.token  # a session exists
    resp = preview.client.post("/preview", data={"csrf_token": "forged", "source": "paste",
                                                 "html": "<p>x</p>"})
    assert resp.status_code == 400


@pytest.mark.parametrize("forged", ["é", "\u2603" * 43, "\x00"])
def test_a_csrf_token_with_odd_characters_is_400_not_a_crash(preview, forged):
    # was: hmac.compare_digest raised TypeError on a non-ASCII str: a 500
    for token in (forged, preview.token + forged):
        resp = preview.client.post("/preview", data={"csrf_token": token, "source": "paste",
                                                     "html": "<p>x</p>"})
        assert resp.status_code == 400 and "security token" in resp.text


def test_csrf_token_from_another_session_is_refused(app, preview):
    other = app.test_client()
    other_token = re.search(r'name="csrf_token" value="([^"]+)"',
                            other.get("/").text).group(1)
    preview.token
    resp = preview.client.post("/preview", data={"csrf_token": other_token,
                                                 "source": "paste", "html": "<p>x</p>"})
    assert resp.status_code == 400


@pytest.mark.parametrize("headers", [{"Origin": "http://evil.example"},
                                     {"Origin": "null"},
                                     {"Origin": "http://localhost.evil.example"},
                                     {"Sec-Fetch-Site": "cross-site"}])
def test_cross_site_form_post_is_400(preview, headers):
    resp = preview.client.post("/preview", headers=headers, data={
        "csrf_token": preview.token, "source": "paste", "html": "<p>x</p>"})
    assert resp.status_code == 400
    assert "refused" in resp.text


def test_untrusted_host_is_400(client):
    resp = client.get("/", headers={"Host": "attacker.example"})
    assert resp.status_code == 400
    assert client.get("/", headers={"Host": "127.0.0.1:5000"}).status_code == 200


@pytest.mark.parametrize("host", ["LOCALHOST", "LocalHost:5000", "localhost:5000"])
def test_localhost_in_any_case_is_trusted(client, host):
    """Host names are case-insensitive; browsers send what the user typed."""
    assert client.get("/", headers={"Host": host}).status_code == 200


def test_null_origin_is_refused_by_check_same_origin(client):
    """Origin: null (a sandboxed frame, a data: page) is not our origin."""
    resp = client.post("/api/clean", json={"html": "<p>x</p>"}, headers={"Origin": "null"})
    assert resp.status_code == 400 and "refused" in resp.get_json()["error"]


# -- the view, the sandboxed page, downloads -----------------------------------------------

def test_unknown_or_malformed_view_id_is_404(client):
    for path in ("/view/AAAAAAAAAAAAAAAA", "/view/..%2F..", "/page/nope", "/download/x.txt"):
        resp = client.get(path)
        assert resp.status_code == 404, path
        assert "Traceback" not in resp.text


def test_page_route_is_sandboxed(preview, gravity_html):
    _, page_id = preview.open("paste", html=gravity_html.decode())
    resp = preview.client.get(f"/page/{page_id}")
    assert resp.status_code == 200
    csp = resp.headers["Content-Security-Policy"]
    assert csp.startswith("sandbox;")
    assert "default-src 'none'" in csp and "img-src data:;" in csp
    assert "script-src" not in csp and "frame-ancestors 'self'" in csp
    assert resp.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.mimetype == "text/html"
    assert 'class="gform_wrapper gravity-theme"' in resp.text
    assert "data-cleaner-removal" not in resp.text


def test_page_route_images_only_when_asked(preview, gravity_html):
    _, page_id = preview.open("paste", html=gravity_html.decode())
    csp = preview.client.get(f"/page/{page_id}?images=1").headers["Content-Security-Policy"]
    assert f"img-src data: http://localhost/page/{page_id}/image/;" in csp
    assert csp.startswith("sandbox;")


def test_marked_page_outlines_and_anchors_removals(preview, gravity_html):
    view, page_id = preview.open("paste", html=gravity_html.decode())
    marked = preview.client.get(f"/page/{page_id}?mark=1")
    assert marked.headers["Content-Security-Policy"].startswith("sandbox;")
    m = re.search(r'<a id="cleaner-removal-(\d+)" class="cleaner-anchor"></a>'
                  r'<div class="gform_wrapper[^"]*"[^>]*data-cleaner-rule="form.gravity.wrapper"',
                  marked.text)
    assert m, marked.text[:2000]
    assert f'#cleaner-removal-{m.group(1)}"' in view.text  # the "find" link


def test_a_record_naming_the_root_element_is_marked_without_a_crash(preview):
    # was: TypeError from lxml (no sibling of the root can be added for the anchor): the
    # view of any page with such a record answered 500
    from cleaner import Removal
    from webapp.annotate import annotate_html
    ann = annotate_html("<html><body><p>Loose words.</p></body></html>",
                        [Removal("extract.comment-thread", "comments", "Loose words.",
                                 "html:/html", "a test", "/html")])
    assert 'data-cleaner-removal="0"' in ann.marked_html
    said = "The council voted on Tuesday to close the old bridge, citing its cost. "
    view, page_id = preview.open("paste", html=(
        f"<html><body><p>{said * 6}</p><p>{said * 4}</p>2 Comments<br>Great story, thanks."
        "<br>I disagree with the council on this one.</body></html>"))
    assert view.status_code == 200
    assert preview.client.get(f"/page/{page_id}?mark=1").status_code == 200


def test_text_input_page_is_plain_text(preview):
    _, page_id = preview.open("paste", html="Just a line.\nAnother line.")
    resp = preview.client.get(f"/page/{page_id}")
    assert resp.mimetype == "text/plain"
    assert resp.headers["Content-Security-Policy"].startswith("sandbox;")


@pytest.mark.parametrize("ext, mimetype", [("txt", "text/plain"), ("md", "text/markdown"),
                                           ("html", "text/html"), ("json", "application/json")])
def test_downloads(preview, gravity_html, ext, mimetype):
    _, page_id = preview.open("paste", html=gravity_html.decode())
    resp = preview.client.get(f"/download/{page_id}.{ext}")
    assert resp.status_code == 200
    assert resp.mimetype == mimetype
    disposition = resp.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and disposition.endswith(f'.{ext}"')
    assert "Harbour-Council-Approves-New-Ferry-Timetable" in disposition
    assert "four crossings a day" in resp.text and LEGEND not in resp.text.split('"removed"')[0]
    if ext == "json":
        data = json.loads(resp.text)
        assert set(data) >= {"title", "text", "markdown", "html", "metadata", "removed",
                             "removed_by_family"}
        assert any(LEGEND in r["text"] for r in data["removed"])
    if ext == "html":
        assert resp.text.startswith("<!DOCTYPE html>") and "<h1>Harbour" in resp.text


def test_download_unknown_format_is_404(preview, gravity_html):
    _, page_id = preview.open("paste", html=gravity_html.decode())
    assert preview.client.get(f"/download/{page_id}.exe").status_code == 404


# -- site profiles -------------------------------------------------------------------------

@pytest.fixture
def profiled(tmp_path):
    d = tmp_path / "profiles"
    d.mkdir()
    (d / "coastal.toml").write_text('host = "coastal-ledger.example"\n'
                                    'strip = ["div.entry-meta"]\n')
    app = create_app({"TESTING": True, "PROFILES_DIR": str(d),
                      "FIXTURES_DIR": str(tmp_path / "fixtures")})
    return app


def test_rerun_with_a_profile_from_the_list(profiled, preview_for, gravity_html):
    preview = preview_for(profiled)
    view, page_id = preview.open("paste", html=gravity_html.decode())
    assert '<option value="coastal">coastal</option>' in view.text
    assert "profile.coastal.strip" not in view.text
    rerun = preview.client.get(f"/view/{page_id}?profile=coastal")
    assert rerun.status_code == 200
    assert "profile.coastal.strip" in rerun.text
    assert '<option value="coastal" selected>' in rerun.text
    assert "By Mara Lindqvist" not in re.search(r'id="after-text">(.*?)</div>', rerun.text,
                                                re.S).group(1)


def test_unknown_profile_is_400(preview, gravity_html):
    _, page_id = preview.open("paste", html=gravity_html.decode())
    resp = preview.client.get(f"/view/{page_id}?profile=../../etc")
    assert resp.status_code == 400
    assert "no profile named" in resp.text


# -- errors are pages, never tracebacks ----------------------------------------------------

def test_error_page_is_html_without_traceback(client):
    resp = client.get("/no/such/page")
    assert resp.status_code == 404
    assert resp.mimetype == "text/html" and 'id="error-message"' in resp.text


def test_internal_error_shows_no_traceback(monkeypatch, preview_for, gravity_html):
    app = create_app({"TESTING": False})
    preview = preview_for(app)
    _, page_id = preview.open("paste", html=gravity_html.decode())
    import webapp.views

    def boom(*a, **k):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(webapp.views, "annotate_html", boom)
    app.extensions["cleaner_store"].get(page_id).analyses.clear()
    resp = preview.client.get(f"/view/{page_id}")
    assert resp.status_code == 500
    assert "secret internal detail" not in resp.text and "Traceback" not in resp.text


def test_error_page_of_fetch_failure_keeps_the_form(preview):
    resp = preview.submit("url", url="http://10.0.0.1/")
    assert resp.status_code == 400
    assert 'id="error-message"' in resp.text and "private address" in resp.text
    assert 'value="http://10.0.0.1/"' in resp.text


def test_test_pages_exist(pages):
    assert (pages / "wordpress-gravity.html").is_file()
    assert (pages / "hostile.html").is_file()


def test_page_content_is_escaped_in_our_view(preview, client):
    evil = ('<html><head><title>T<script>alert(1)</script></title></head><body><article>'
            '<h1>"><img src=x onerror=alert(1)></h1><p>Body text that is long enough to '
            'be the article, with a <b onclick="alert(2)">bold</b> claim and '
            '&lt;script&gt;alert(3)&lt;/script&gt; shown as text.</p></article></body></html>')
    resp = client.post("/preview", data={"csrf_token": preview.token, "source": "upload",
                                         "file": (io.BytesIO(evil.encode()),
                                                  '<svg onload=alert(4)>.html')},
                       follow_redirects=True)
    assert resp.status_code == 200
    html = resp.text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
    assert "<svg onload" not in html and "onclick" not in html
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in html  # text stays text
