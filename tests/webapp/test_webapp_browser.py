"""The preview in a real browser: pytest-playwright driving Debian's Chromium against the
app on a live server thread. Proves the previewed page's scripts never run.

Skipped when /usr/bin/chromium is missing (``apt-get install -y chromium``). Set
``PREVIEW_SCREENSHOTS=docs`` to refresh the README's screenshots (docs/preview.png at a
desktop width, docs/preview-phone.png at a phone's). The accessibility check runs axe-core
(tests/webapp/vendor/axe-core, MPL-2.0) in the page through Playwright's evaluate.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

pytest.importorskip("playwright", reason="pytest-playwright is not installed")

from browserkit import (
    OUR_TITLE,
    PHONES,
    RECORD_MESSAGES,
    axe_violations,
    focused,
    inside,
    overflow,
    paste,
)
from playwright.sync_api import expect

LEGEND = "indicates required fields"


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


@pytest.mark.parametrize("width, height, name", [(1440, 1000, "preview.png"),
                                                  (390, 844, "preview-phone.png")])
def test_screenshot_of_the_main_view(page, live_server, seed_html, tmp_path, width, height,
                                     name):
    page.set_viewport_size({"width": width, "height": height})
    paste(page, live_server.url, seed_html.decode("utf-8"),
          url="https://example.org/2025/10/tomahawk-missiles/")
    expect(page.frame_locator("#page-frame").locator("body")).to_be_visible()
    # show the Gravity Forms block in the page: "find" on its row, then back to the top
    page.locator("#removals tr", has_text=LEGEND).locator("a.find").click()
    page.wait_for_timeout(500)
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(300)
    shot = tmp_path / name
    page.screenshot(path=str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    wanted = os.environ.get("PREVIEW_SCREENSHOTS")
    if wanted:
        Path(wanted).mkdir(parents=True, exist_ok=True)
        (Path(wanted) / name).write_bytes(shot.read_bytes())


# -- small screens ------------------------------------------------------------------------

@pytest.mark.parametrize("width", PHONES)
def test_no_sideways_scrolling_on_a_phone(page, live_server, seed_html, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + "/")
    assert overflow(page) == 0, "start page"
    paste(page, live_server.url, seed_html.decode("utf-8"),
          url="https://example.org/2025/10/a-very-long-path-that-does-not-break-anywhere/")
    for tab in ("page", "before-text"):
        page.click(f'[data-tab="{tab}"]')
        assert overflow(page) == 0, f"view, Before: {tab}"
    for tab in ("after-text", "after-markdown", "after-html", "diff"):
        page.click(f'[data-tab="{tab}"]')
        assert overflow(page) == 0, f"view, After: {tab}"
    page.locator(".save-fixture summary").click()
    assert overflow(page) == 0, "save as fixture open"
    assert inside(page, "#rerun", ".card"), "the Re-run button sticks out of its card"
    assert inside(page, "#removals", ".card") and inside(page, "#metadata", ".card")
    # every removal's cells are on screen, none cut off
    right = page.evaluate("Math.max(...[...document.querySelectorAll('#removals td')]"
                          ".map(td => td.getBoundingClientRect().right))")
    assert right <= width
    page.goto(live_server.url + "/view/AAAAAAAAAAAAAAAA")
    assert overflow(page) == 0, "error page"


# -- keyboard and screen readers ----------------------------------------------------------

def test_axe_finds_nothing_serious_or_critical(page, live_server, seed_html):
    page.goto(live_server.url + "/")
    assert axe_violations(page) == [], "start page"
    paste(page, live_server.url, seed_html.decode("utf-8"), url="https://example.org/a/")
    for tab in ("page", "before-text", "after-markdown", "after-html", "diff"):
        page.click(f'[data-tab="{tab}"]')
        assert axe_violations(page) == [], f"view, tab {tab}"
    page.set_viewport_size({"width": 390, "height": 844})
    assert axe_violations(page) == [], "view on a phone"
    page.goto(live_server.url + "/view/AAAAAAAAAAAAAAAA")
    assert axe_violations(page) == [], "error page"


def test_tabs_are_wai_aria_tabs_with_arrow_keys(page, live_server, gravity_html):
    paste(page, live_server.url, gravity_html.decode())
    tabs = page.locator('.after [role="tablist"] [role="tab"]')
    expect(tabs).to_have_count(4)
    for i in range(4):
        tab = tabs.nth(i)
        panel = page.locator("#" + tab.get_attribute("aria-controls"))
        expect(panel).to_have_attribute("role", "tabpanel")
        expect(panel).to_have_attribute("aria-labelledby", tab.get_attribute("id"))
    first = tabs.nth(0)
    expect(first).to_have_attribute("aria-selected", "true")
    expect(first).to_have_attribute("tabindex", "0")
    expect(tabs.nth(1)).to_have_attribute("tabindex", "-1")  # one tab stop per tab list
    first.focus()
    page.keyboard.press("ArrowRight")
    assert focused(page) == "tab-after-markdown"
    expect(page.locator("#after-markdown")).to_be_visible()
    expect(page.locator("#after-text")).to_be_hidden()
    expect(tabs.nth(1)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("End")
    assert focused(page) == "tab-diff"
    expect(page.locator("#diff")).to_be_visible()
    page.keyboard.press("ArrowRight")  # wraps round
    assert focused(page) == "tab-after-text"
    page.keyboard.press("ArrowLeft")
    assert focused(page) == "tab-diff"
    page.keyboard.press("Home")
    assert focused(page) == "tab-after-text"
    page.keyboard.press("Tab")  # into the panel, not along the tabs
    assert focused(page) == "after-text"


def test_the_framed_page_is_out_of_the_tab_order_until_entered(page, live_server, seed_html):
    paste(page, live_server.url, seed_html.decode("utf-8"))
    frame = page.frame(url=re.compile(r"/page/"))
    assert frame is not None and frame.locator("a").count() > 10
    # Tab from the control before the frame skips the frame's links: on to the After tabs
    page.focus("#enter-frame")
    page.keyboard.press("Tab")
    assert focused(page) == "tab-after-text"
    assert not frame.evaluate("document.hasFocus()")
    # entered on request: Tab then walks the page's links
    page.focus("#enter-frame")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert frame.evaluate("document.hasFocus() && document.activeElement.tagName") == "A"
    # and once focus is back in the preview, the frame is out of the order again
    page.focus("#rerun")
    expect(page.locator("#page-frame")).to_have_attribute("tabindex", "-1")
    page.focus("#enter-frame")
    page.keyboard.press("Tab")
    assert focused(page) == "tab-after-text"


def test_marks_are_reachable_and_usable_by_keyboard(page, live_server, gravity_html):
    paste(page, live_server.url, gravity_html.decode())
    page.click('[data-tab="before-text"]')
    page.keyboard.press("Tab")  # the Text panel
    assert focused(page) == "before-text"
    mark = page.locator("#before-text mark", has_text=LEGEND)
    index = mark.get_attribute("data-removal")
    for _ in range(200):  # Tab along the marks until the legend's
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('mark')?.dataset.removal") == index:
            break
    else:
        pytest.fail("Tab never reached the legend's mark")
    expect(mark).to_have_class(re.compile(r"\bhl\b"))  # highlighted on focus, as on hover
    row = page.locator(f"#removal-{index}")
    expect(row).to_have_class(re.compile(r"\bhl\b"))
    page.keyboard.press("Enter")
    assert focused(page) == f"removal-{index}"  # its row, in the list of removals
    expect(row).to_be_in_viewport()
    expect(row).to_contain_text("form.gravity")


# -- binary uploads -------------------------------------------------------------------------

def test_binary_upload_is_refused_on_the_start_page(page, live_server, tmp_path):
    png = tmp_path / "photo.html"  # a PNG renamed .html
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    page.goto(live_server.url + "/")
    page.set_input_files("#file", str(png))
    page.click("#submit-upload")
    expect(page.locator("#error-message")).to_contain_text("PNG image")
    assert "/view/" not in page.url and not any("/view/" in p for p in live_server.requests)
    expect(page.locator("#form-upload")).to_be_visible()


# -- images on --------------------------------------------------------------------------------

def image_page(target: str) -> str:
    """Every way a page loads an image, all pointing at ``target`` (a base URL)."""
    return f"""<html><head><title>Pictures</title><base href="{target}/based/">
<link rel="preload" as="image" href="{target}/preload.png">
<link rel="prefetch" href="{target}/prefetch">
<link rel="icon" href="{target}/favicon.ico">
<style>article {{ background-image: url("{target}/css.png"); }}</style></head>
<body><article><h1>Pictures from the bridge</h1>
<p>The council voted on Tuesday to close the old bridge, citing safety and cost.</p>
<img id="plain" src="{target}/pic.png" alt="plain">
<img src="relative.png" alt="relative, through the base">
<img srcset="{target}/pic.png?2x 2x" alt="srcset">
<picture><source srcset="{target}/pic.png?picture"><img src="{target}/pic.png?fallback" alt="picture"></picture>
<video poster="{target}/poster.png"></video>
<form><input type="image" src="{target}/button.png" alt="go"></form>
<div style="background: url({target}/inline.png)">styled</div>
<table background="{target}/table.png"><tr><td>cell</td></tr></table>
</article></body></html>"""


def test_images_on_never_reach_a_private_address(page, live_server, image_server):
    """The image server stands for the LAN (127.0.0.1, refused as the preview ships): with
    images on, neither Chromium nor the preview's proxy sends it a single request."""
    paste(page, live_server.url, image_page(image_server.url),
          url="https://news.example/2025/bridge/")
    page.click("#images-on")
    page.wait_for_url(re.compile(r"images=1"))
    frame = page.frame_locator("#page-frame")
    expect(frame.locator("#plain")).to_be_attached()
    page.wait_for_timeout(1500)
    page.click("text=Unmarked original")
    page.wait_for_timeout(1500)
    assert image_server.paths == []
    asked = live_server.asked_for("/page/")
    assert any("/image/" in p for p in asked)  # the page asked the proxy, which refused
    # and the warning said which server the images would come from
    expect(page.locator("#images-hint")).to_contain_text("127.0.0.1")


def test_images_on_show_public_images_through_the_proxy(page, live_server_for, image_server,
                                                        tmp_path):
    from webapp import create_app
    app = create_app({"TESTING": True, "FIXTURES_DIR": str(tmp_path / "fixtures"),
                      "FETCH_ALLOW_LOOPBACK": True,  # the local server stands for the web
                      "FETCH_RESOLVER": lambda host, port: ["127.0.0.1"]})
    server = live_server_for(app)
    port = image_server.url.rsplit(":", 1)[1]
    paste(page, server.url, image_page(f"http://images.example:{port}"))
    page.click("#images-on")
    page.wait_for_url(re.compile(r"images=1"))
    plain = page.frame_locator("#page-frame").locator("#plain")
    for _ in range(50):
        if plain.evaluate("img => img.complete && img.naturalWidth") == 8:
            break
        page.wait_for_timeout(100)
    else:
        pytest.fail("the image did not load through the proxy")
    assert image_server.seen, "the proxy fetched nothing"
    for path, headers in image_server.seen:  # every request came from the proxy
        assert headers["User-Agent"].startswith("cleaner/"), path
        assert headers["Host"] == f"images.example:{port}"


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
