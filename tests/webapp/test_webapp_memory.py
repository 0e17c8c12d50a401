"""The preview's memory: the store counts everything it keeps (the page, the cleaning
results, the marked page and before text), evicts least recently used pages past its
budget, and the view stays bounded on huge or repetitive pages."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from webapp import create_app
from webapp.store import PageStore, deep_size

ROOT = Path(__file__).parents[2]

# run in a fresh interpreter, so that no other test's garbage or allocator state blurs RSS
RSS_SCRIPT = r"""
import gc, json, os, re, sys
sys.path.insert(0, sys.argv[1])
from webapp import create_app

def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

budget, pages, size = (int(a) for a in sys.argv[2:5])
seed = open(os.path.join(sys.argv[1], "cleaner", "samples", "seed-wordpress.html"),
            encoding="utf-8").read()
body = seed.split("<body", 1)[1].split(">", 1)[1].rsplit("</body>", 1)[0]
reps = size // len(body.encode()) + 1

def page(k: int) -> str:
    parts = (f"<section><p>Page {k}, part {i}.</p>{body}</section>" for i in range(reps))
    return f"<html><head><title>Page {k}</title></head><body>{''.join(parts)}</body></html>"

app = create_app({"TESTING": True, "STORE_MAX_BYTES": budget, "FIXTURES_DIR": sys.argv[5]})
client = app.test_client()
token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)

def view(k: int) -> None:
    resp = client.post("/preview", data={"csrf_token": token, "source": "paste", "html": page(k)})
    location = resp.headers["Location"]
    client.get(location).close()
    page_id = location.split("/view/", 1)[1].split("?", 1)[0]
    client.get(f"/page/{page_id}?mark=1").close()

view(-1)  # imports, compiled rules, the allocator's first arenas
gc.collect()
start = rss()
for k in range(pages):
    view(k)
gc.collect()
store = app.extensions["cleaner_store"]
print(json.dumps({"growth": rss() - start, "kept": store.kept_bytes(), "pages": len(store)}))
"""


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads RSS from /proc")
def test_rss_stays_within_the_store_budget(tmp_path):
    """20 pages of 0.5 MB viewed under an 8 MB budget. Counting inputs only, 15 of them
    stayed, each with ~4 MB of results and marked page: RSS grew by ~57 MB."""
    budget, margin = 8_000_000, 24_000_000
    out = subprocess.run([sys.executable, "-c", RSS_SCRIPT, str(ROOT), str(budget), "20",
                          "500000", str(tmp_path / "fixtures")],
                         capture_output=True, text=True, timeout=300, check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["kept"] <= budget and got["pages"] < 20
    assert got["growth"] < budget + margin, got


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
