"""The preview in a real browser: pytest-playwright driving Debian's Chromium against the
app on a live server thread. Proves the previewed page's scripts never run.

Skipped when /usr/bin/chromium is missing (``apt-get install -y chromium``). Set
``PREVIEW_SCREENSHOT=docs/preview.png`` to refresh the README's screenshot.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

pytest.importorskip("playwright", reason="pytest-playwright is not installed")

from playwright.sync_api import Page, expect

LEGEND = "indicates required fields"
OUR_TITLE = re.compile(r"cleaner preview$")

# record messages that reach the preview's own window (never the framed page's)
RECORD_MESSAGES = """
if (window.top === window) {
  window.__messages = [];
  window.addEventListener("message", (e) => window.__messages.push(String(e.data)));
}
"""


def paste(page: Page, base: str, html: str, url: str = "") -> None:
    page.goto(base + "/")
    page.fill("#html", html)
    if url:
        page.fill("#page_url", url)
    page.click("#submit-paste")
    page.wait_for_url(re.compile(r"/view/"))


def test_seed_page_after_text_has_no_legend_and_lists_it_as_removed(page, live_server,
                                                                      seed_html):
    paste(page, live_server.url, seed_html.decode("utf-8"))
    after = page.locator("#after-text")
    expect(after).to_be_visible()
    assert LEGEND not in after.inner_text()
    assert len(after.inner_text()) > 200
    removals = page.locator("#removals")
    gravity = removals.locator("tr", has_text=LEGEND)
    expect(gravity).to_have_count(1)
    expect(gravity).to_contain_text("form.gravity")
    expect(gravity).to_contain_text("form")
    expect(page.locator('#family-counts [data-family="form"]')).to_be_visible()
    # the before text marks it; hovering the row highlights the mark
    page.click('[data-tab="before-text"]')
    index = gravity.get_attribute("data-removal")
    mark = page.locator(f'#before-text mark[data-removal="{index}"]', has_text=LEGEND)
    expect(mark).to_have_count(1)
    gravity.hover()
    expect(mark).to_have_class(re.compile(r"\bhl\b"))
    # "find" scrolls the sandboxed page to the outlined element
    gravity.locator("a.find").click()
    frame = page.frame_locator("#page-frame")
    expect(frame.locator(f"#cleaner-removal-{index}")).to_be_attached()
    expect(page.locator("#page-frame")).to_be_in_viewport()
    for _ in range(50):
        if any(f.url.endswith(f"#cleaner-removal-{index}") for f in page.frames):
            break
        page.wait_for_timeout(100)
    else:
        pytest.fail("the page frame did not go to the removal's anchor")
    expect(frame.locator(f'[data-cleaner-removal="{index}"]')).to_be_in_viewport()


def test_the_page_scripts_never_run(page, live_server, pages):
    beacon = live_server.url + "/beacon"
    hostile = (pages / "hostile.html").read_text().replace("{BEACON}", beacon)
    page.add_init_script(RECORD_MESSAGES)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    paste(page, live_server.url, hostile)
    frame_el = page.locator("#page-frame")
    expect(frame_el).to_have_attribute("sandbox", "")
    frame = page.frame_locator("#page-frame")
    expect(frame.locator("#untouched")).to_be_visible()
    page.wait_for_timeout(1500)  # give the page's timers, refresh and onload a chance
    assert OUR_TITLE.search(page.title()), page.title()
    assert page.evaluate("window.__messages") == []
    inner = page.frame(url=re.compile(r"/page/"))
    assert inner is not None
    assert inner.evaluate("document.title") == "Hostile page"
    assert inner.evaluate("document.getElementById('pwned')") is None
    assert inner.evaluate("document.body.getAttribute('data-pwned')") is None
    assert inner.locator("#untouched").inner_text().startswith("This paragraph must")
    assert any("sandboxed" in m and "allow-scripts" in m for m in console), console
    # the unmarked original, and the page opened on its own (no iframe sandbox): the
    # CSP header alone still stops every script
    page.click("text=Unmarked original")
    page.wait_for_timeout(300)
    raw = page.frame(url=re.compile(r"/page/[^?]+(\?images=\d)?$"))
    assert raw is not None and raw.evaluate("document.getElementById('pwned')") is None
    src = frame_el.get_attribute("src")
    page.goto(live_server.url + src.split("?", 1)[0])
    page.wait_for_timeout(1500)
    assert page.title() == "Hostile page"
    assert page.evaluate("document.getElementById('pwned')") is None
    page.click("#js-link")
    page.wait_for_timeout(200)
    assert page.title() == "Hostile page"
    # nothing was fetched: no script, style, image, frame, form, refresh or beacon
    assert live_server.asked_for("/beacon") == []


def test_upload_a_file(page, live_server, pages):
    page.goto(live_server.url + "/")
    page.set_input_files("#file", str(pages / "wordpress-gravity.html"))
    page.click("#submit-upload")
    page.wait_for_url(re.compile(r"/view/"))
    expect(page.locator("#source-label")).to_have_text("upload wordpress-gravity.html")
    after = page.locator("#after-text").inner_text()
    assert "four crossings a day" in after and LEGEND not in after


def test_download_the_result(page, live_server, gravity_html, tmp_path):
    paste(page, live_server.url, gravity_html.decode())
    for ext in ("md", "json"):
        with page.expect_download() as info:
            page.click(f"#download-{ext}")
        download = info.value
        assert download.suggested_filename.endswith(f".{ext}")
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        body = target.read_text()
        assert "four crossings a day" in body
        if ext == "md":
            assert "## Commuters welcome the change" in body and LEGEND not in body


def test_tabs_switch_the_after_view(page, live_server, gravity_html):
    paste(page, live_server.url, gravity_html.decode())
    expect(page.locator("#after-markdown")).to_be_hidden()
    page.click('[data-tab="after-markdown"]')
    expect(page.locator("#after-markdown")).to_be_visible()
    expect(page.locator("#after-text")).to_be_hidden()
    page.click('[data-tab="after-html"]')
    expect(page.locator("#after-html h2")).to_have_text("Commuters welcome the change")
    page.click('[data-tab="diff"]')
    expect(page.locator("#diff .op-del", has_text=LEGEND).first).to_be_visible()


def test_screenshot_of_the_main_view(page, live_server, seed_html, tmp_path):
    page.set_viewport_size({"width": 1440, "height": 1000})
    paste(page, live_server.url, seed_html.decode("utf-8"),
          url="https://example.org/2025/10/tomahawk-missiles/")
    expect(page.frame_locator("#page-frame").locator("body")).to_be_visible()
    # show the Gravity Forms block in the page: "find" on its row, then back to the top
    page.locator("#removals tr", has_text=LEGEND).locator("a.find").click()
    page.wait_for_timeout(500)
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(300)
    shot = tmp_path / "preview.png"
    page.screenshot(path=str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    wanted = os.environ.get("PREVIEW_SCREENSHOT")
    if wanted:
        Path(wanted).parent.mkdir(parents=True, exist_ok=True)
        Path(wanted).write_bytes(shot.read_bytes())


def test_control_the_hostile_page_does_run_without_the_preview(page, live_server, pages):
    """The same page, loaded plainly, does run and call home: the test above can fail."""
    beacon = live_server.url + "/beacon"
    hostile = (pages / "hostile.html").read_text().replace("{BEACON}", beacon)
    page.set_content(hostile)  # its script then submits its form, leaving the page
    for _ in range(50):
        if "/beacon/fetch" in live_server.requests:
            break
        page.wait_for_timeout(100)
    asked = live_server.asked_for("/beacon")
    assert "/beacon/fetch" in asked and "/beacon/form" in asked  # only a script does these
