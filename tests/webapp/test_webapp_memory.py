"""The preview's memory: the store counts everything it keeps (the page, the cleaning
results, the marked page and before text), evicts least recently used pages past its
budget, and the view stays bounded on huge or repetitive pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from webapp import create_app
from webapp.store import PageStore, deep_size

ROOT = Path(__file__).parents[2]

def seed_page(k: int, size: int) -> bytes:
    """A distinct page of about ``size`` bytes: the seed page's body, over and over."""
    seed = (ROOT / "cleaner" / "samples" / "seed-wordpress.html").read_text(encoding="utf-8")
    body = seed.split("<body", 1)[1].split(">", 1)[1].rsplit("</body>", 1)[0]
    parts = []
    while sum(map(len, parts)) < size:
        parts.append(f"<section><p>Page {k}, part {len(parts)}.</p>{body}</section>")
    return (f"<html><head><title>Page {k}</title></head><body>{''.join(parts)}"
            "</body></html>").encode()


def view(server, multipart, page: bytes) -> None:
    """Upload ``page`` to a ServeProcess, then load its view and marked page, as a browser
    does."""
    token, cookie = server.token_and_cookie()
    body, ctype = multipart({"csrf_token": token, "source": "upload"}, page)
    status, _, answer = server.request("POST", "/preview", body,
                                       {"Content-Type": ctype, "Cookie": cookie})
    assert status == 303, answer[:300]
    location = server.location
    assert server.request("GET", location)[0] == 200
    page_id = location.split("/view/", 1)[1].split("?", 1)[0]
    assert server.request("GET", f"/page/{page_id}?mark=1")[0] == 200


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads RSS from /proc")
def test_rss_stays_within_the_store_budget(serve_process, multipart):
    """Ten pages of 1 MB, each viewed, under a 16 MB budget. Counting inputs only (and
    with a malloc arena per thread), the server grew past 250 MB; now it stays within
    the budget plus a margin for the interpreter's own and one page's working memory."""
    budget, margin = 16_000_000, 48_000_000
    server = serve_process(env={"CLEANER_PREVIEW_STORE_MAX_BYTES": str(budget)})
    idle = server.rss()
    for k in range(10):
        view(server, multipart, seed_page(k, 1_000_000))
    grown = server.rss() - idle
    assert grown < budget + margin, f"RSS grew {grown / 1e6:.0f} MB"


def test_the_budget_counts_results_and_views_and_evicts_least_recently_used():
    store = PageStore(max_pages=10, max_bytes=300_000)
    a = store.add(b"a" * 50_000, "html", "a")
    b = store.add(b"b" * 50_000, "html", "b")
    c = store.add(b"c" * 50_000, "html", "c")
    assert store.get(a.id) is a  # a is now the most recently used
    store.keep(c, "marked page", "x" * 160_000)  # what c computed counts too
    assert store.get(b.id) is None  # b, least recently used, went first
    assert store.get(a.id) is a and store.get(c.id) is c
    assert store.kept_bytes() == a.size + c.size <= 300_000
    assert c.size >= deep_size(c.data) + 160_000
    store.keep(c, "result", "y" * 400_000)  # over the budget alone: c, in use, stays
    assert len(store) == 1 and store.get(c.id) is c


def test_a_stored_pages_size_includes_its_analyses(preview, app, gravity_html):
    _, page_id = preview.open("paste", html=gravity_html.decode())
    preview.client.get(f"/page/{page_id}?mark=1")
    entry = app.extensions["cleaner_store"].get(page_id)
    assert entry.size >= deep_size(entry.data) + sum(deep_size(v) for v in
                                                    entry.analyses.values()) * 0.9
    assert entry.size > 3 * len(entry.data)  # the marked page, results: more than the input


# -- the view of a repetitive page --------------------------------------------------------

LEGEND_LINE = '"*" indicates required fields'


@pytest.fixture
def repetitive(preview):
    """A pasted text of 1,200 residue lines between story lines: 1,200 removals."""
    lines = []
    for i in range(1200):
        lines += [f"Story line number {i} about the bridge and the vote.", LEGEND_LINE]
    view, page_id = preview.open("paste", html="\n".join(lines))
    return view, page_id


def test_removals_table_is_shown_in_parts(preview, repetitive):
    view, page_id = repetitive
    assert len(re.findall(r"<tr data-removal=", view.text)) == 500
    assert "Rows 1–500 of 1,200" in view.text
    assert f'href="/view/{page_id}?part=2#removed"' in view.text
    last = preview.client.get(f"/view/{page_id}?part=3").text
    rows = re.findall(r'<tr data-removal="(\d+)"', last)
    assert len(rows) == 200 and rows[0] == "1000" and rows[-1] == "1199"
    assert 'rel="prev"' in last and 'rel="next"' not in last
    # a mark whose row is on another part links to that part
    assert f'href="/view/{page_id}?part=2#removal-700"' in view.text
    assert 'href="#removal-7"' in view.text
    for bad in ("99", "0", "-3", "x"):
        assert preview.client.get(f"/view/{page_id}?part={bad}").status_code == 200


def test_view_of_a_huge_result_is_cut_with_a_note(tmp_path, preview_for):
    app = create_app({"TESTING": True, "VIEW_MAX_CHARS": 5_000,
                      "FIXTURES_DIR": str(tmp_path / "fixtures")})
    preview = preview_for(app)
    html = "<article>" + "".join(f"<p>Paragraph {i} of a long story about the bridge.</p>"
                                 for i in range(2000)) + "</article>"
    view, page_id = preview.open("paste", html=html)
    assert 'id="cut-note"' in view.text and "5,000 characters" in view.text
    after = re.search(r'id="after-text">(.*?)</div>', view.text, re.S).group(1)
    assert "Paragraph 10 " in after and "Paragraph 1999 " not in after
    assert len(view.text) < 100_000  # the before text and the diff are cut too
    full = preview.client.get(f"/download/{page_id}.txt").text
    assert "Paragraph 1999 of a long story" in full
