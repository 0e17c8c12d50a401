"""Where everything went, and teaching a site, in Chromium (pytest-playwright with Debian's
Chromium, skipped without it): the regions outside the article outlined in their own quiet
style and listed; the Diff's dropped lines each linked to a record; and the whole teaching
flow, from picking an element (or selecting a line) to a saved rule, a re-run, a saved and
approved fixture, ``cleaner fixture check`` and ``cleaner profile test``, with no script of
the page ever running while it is picked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("playwright", reason="pytest-playwright is not installed")

from browserkit import PHONES, RECORD_MESSAGES, axe_violations, focused, overflow, paste
from gazette import REGIONS, SHOP, SIGNOFF, TIMELINE, URL
from playwright.sync_api import Page, expect

from cleaner.cli import main
from webapp import create_app


@pytest.fixture
def gazette(pages, live_server) -> str:
    """The gazette page; its script would call the preview's /beacon if it ever ran."""
    return (pages / "gazette.html").read_text(encoding="utf-8").replace(
        'fetch("/beacon/script")', f'fetch("{live_server.url}/beacon/script")')


@pytest.fixture
def folders(tmp_path, monkeypatch) -> tuple[Path, Path]:
    """The profiles folder the preview was started with, and the fixtures folder; the
    profiles folder is in CLEANER_PROFILES, as `cleaner serve --profiles DIR` puts it."""
    profiles, fixtures = tmp_path / "profiles", tmp_path / "fixtures"
    profiles.mkdir()
    monkeypatch.setenv("CLEANER_PROFILES", str(profiles))
    return profiles, fixtures


@pytest.fixture
def app(folders):
    profiles, fixtures = folders
    return create_app({"TESTING": True, "PROFILES_DIR": str(profiles),
                       "FIXTURES_DIR": str(fixtures)})


def frame(page: Page):
    found = page.frame(url=re.compile(r"/page/"))
    assert found is not None
    return found


def outline_style(page: Page, selector: str) -> dict:
    """The computed outline of an element of the framed page."""
    return frame(page).evaluate("""(sel) => {
        const s = getComputedStyle(document.querySelector(sel));
        return {style: s.outlineStyle, color: s.outlineColor, width: s.outlineWidth};
    }""", selector)


# -- issue 14.3 ---------------------------------------------------------------------------

def test_regions_outside_the_article_are_outlined_quietly_and_listed(page, live_server,
                                                                      gazette):
    paste(page, live_server.url, gazette, url=URL)
    expect(page.frame_locator("#page-frame").locator("article")).to_be_visible()
    expect(page.locator("#removal-total")).to_have_text(
        "2 residue removals, 4 regions outside the article")
    group = page.locator("#group-outside")
    expect(group.locator("tr[data-removal]")).to_have_count(4)
    for path, rule in REGIONS.items():
        tag = path.rsplit("/", 1)[1]
        style = outline_style(page, f"body {tag}")
        assert (style["style"], style["color"]) == ("dashed", "rgb(123, 132, 148)"), tag
        row = group.locator("tr", has_text=rule)
        expect(row).to_have_count(1)
        expect(row.locator(".chip")).to_have_text("outside")
        # "find" scrolls the page to the region
        row.locator("a.find").click()
        index = row.get_attribute("data-removal")
        expect(page.frame_locator("#page-frame").locator(
            f'[data-cleaner-removal="{index}"]')).to_be_in_viewport()
    residue = outline_style(page, ".related-timeline")  # residue keeps the red outline
    assert (residue["style"], residue["color"]) == ("solid", "rgb(198, 40, 40)")
    body = outline_style(page, "article.story")
    assert (body["style"], body["color"]) == ("solid", "rgb(46, 125, 50)")
    expect(page.locator("#body-path")).to_have_text("/html/body/div/main/article")
    expect(page.locator("#confidence")).to_have_text(re.compile(r"0\.\d\d"))


def test_the_seed_diff_has_no_unexplained_dropped_line(page, live_server):
    page.goto(live_server.url + "/")
    page.select_option("#sample", "sample:seed-wordpress.html")
    page.click("#submit-sample")
    page.wait_for_url(re.compile(r"/view/"))
    page.click('[data-tab="diff"]')
    dropped = page.locator("#diff .op-del")
    assert dropped.count() > 50
    expect(page.locator("#diff .unexplained")).to_have_count(0)
    linked = page.locator("#diff .op-del .why a[data-removal]")
    assert page.locator("#diff .op-del:not(:has(.why a))").count() == 0
    # a dropped line's link goes to its record, highlighted as the mouse is on it
    link = linked.first
    link.hover()
    row = page.locator(f"#removal-{link.get_attribute('data-removal')}")
    expect(row).to_have_class(re.compile(r"\bhl\b"))
    link.click()
    expect(row).to_be_in_viewport()


# -- issue 15: the whole flow -------------------------------------------------------------

def check_from_the_command_line(capsys, folders: tuple[Path, Path], site: str) -> None:
    """`cleaner fixture check` and `cleaner profile test` pass on what was saved."""
    profiles, fixtures = folders
    capsys.readouterr()
    assert main(["fixture", "check", "--root", str(fixtures)]) == 0
    assert main(["profile", "test", str(profiles), "--fixtures", str(fixtures)]) == 0
    out = capsys.readouterr().out
    assert f"ok   {site}" in out and "all pass" in out


def save_rule_and_fixture(page: Page, site: str) -> None:
    """Save the rule tried, re-run, then save the page as an approved fixture."""
    page.click("#save-rule")
    expect(page.locator(".flash")).to_contain_text("saved rule")
    page.click("#rerun")
    page.wait_for_load_state()
    page.locator(".save-fixture summary").click()
    page.fill("#site", site)
    page.check("#approve")
    page.click("#save-fixture")
    expect(page.locator(".flash")).to_contain_text("approved")


def test_teach_by_picking_an_element_to_remove(page, live_server, gazette, folders, capsys):
    profiles, _ = folders
    paste(page, live_server.url, gazette, url=URL)
    assert SHOP in page.locator("#after-text").inner_text()
    page.click('[data-tab="elements"]')
    page.locator("#outline a.pick", has_text="div.gz-shop").click()
    teach = page.locator("#teach")
    expect(teach.locator("#picked")).to_contain_text("div.gz-shop")
    expect(page.locator("#selector")).to_have_value(".gz-shop")
    expect(page.locator("#match-count")).to_have_text(".gz-shop matches 1 element on this page.")
    # the picked element is outlined in the frame, by the server
    expect(page.frame_locator("#page-frame").locator(".gz-shop[data-cleaner-pick]")).to_be_visible()
    page.fill("#note", "the shop's calendar promo")
    page.click("#try-strip")
    expect(page.locator("#lesson-effect")).to_contain_text("1 line goes, 0 come back")
    expect(page.locator("#lesson-after .op-del")).to_have_text("-" + SHOP)
    assert list(profiles.iterdir()) == []  # trying saved nothing
    save_rule_and_fixture(page, "gazette-shop")
    assert SHOP not in page.locator("#after-text").inner_text()
    row = page.locator("#removals tr", has_text=SHOP)
    expect(row.locator(".chip")).to_have_text("gazette.example")
    expect(row).to_contain_text("the shop's calendar promo")
    assert (profiles / "gazette.example.toml").is_file()
    check_from_the_command_line(capsys, folders, "gazette-shop")


def test_teach_keep_this(page, live_server, gazette, folders, capsys):
    paste(page, live_server.url, gazette, url=URL)
    assert TIMELINE not in page.locator("#after-text").inner_text()
    # the box cleaner dropped, picked from its row in the list of removals
    page.locator("#removals tr", has_text=TIMELINE).locator("a.pick").click()
    expect(page.locator("#selector")).to_have_value(".related-timeline")
    page.click("#try-keep")
    expect(page.locator("#lesson-effect")).to_contain_text("0 lines go, 1 comes back")
    expect(page.locator("#lesson-after .op-add")).to_contain_text(TIMELINE)
    save_rule_and_fixture(page, "gazette-keep")
    assert TIMELINE in page.locator("#after-text").inner_text()
    check_from_the_command_line(capsys, folders, "gazette-keep")


def test_teach_a_residue_line_selected_in_the_after_text(page, live_server, gazette, folders,
                                                        capsys):
    paste(page, live_server.url, gazette, url=URL)
    line = page.locator("#after-text p", has_text=SIGNOFF)
    line.click(click_count=3)  # selects the line
    expect(page.locator("#line-offer")).to_have_attribute("open", "")
    expect(page.locator("#line")).to_have_value(SIGNOFF)
    page.click("#try-line")
    expect(page.locator("#match-count")).to_contain_text("is 1 line of this page")
    expect(page.locator("#lesson-after .op-del")).to_have_text("-" + SIGNOFF)
    page.fill("#note", "the sign-off")
    page.click("#try-note")
    save_rule_and_fixture(page, "gazette-line")
    assert SIGNOFF not in page.locator("#after-text").inner_text()
    expect(page.locator("#removals tr", has_text=SIGNOFF).locator(".chip")).to_have_text(
        "gazette.example")
    check_from_the_command_line(capsys, folders, "gazette-line")


def test_no_page_script_runs_while_picking(page, live_server, gazette, pages):
    hostile = (pages / "hostile.html").read_text().replace("{BEACON}",
                                                           live_server.url + "/beacon")
    page.add_init_script(RECORD_MESSAGES)
    for html in (gazette, hostile):
        paste(page, live_server.url, html, url=URL)
        page.click('[data-tab="elements"]')
        page.locator("#outline a.pick").first.click()
        page.click("#try-strip")
        expect(page.locator("#lesson-effect")).to_be_visible()
        page.locator("#teach a.find-pick").click()
        page.wait_for_timeout(1000)  # the page's timers, refresh and onload get their chance
        assert page.evaluate("window.__messages") == []
        assert page.evaluate("window.__pagePwned") is None
        inner = frame(page)
        assert inner.evaluate("window.__pagePwned") is None
        assert inner.evaluate("document.getElementById('pwned')") is None
        assert inner.evaluate("document.querySelector('[data-cleaner-pick]') !== null")
        assert not page.title().startswith("PWNED")
    assert live_server.asked_for("/beacon") == []


@pytest.mark.parametrize("width", PHONES)
def test_teaching_fits_a_phone(page, live_server, gazette, width):
    page.set_viewport_size({"width": width, "height": 800})
    paste(page, live_server.url, gazette, url=URL + "/a-long-path-that-does-not-break-anywhere")
    page.click('[data-tab="elements"]')
    assert overflow(page) == 0, "elements"
    page.locator("#outline a.pick", has_text="div.gz-shop").click()
    page.click("#try-strip")
    expect(page.locator("#lesson-after")).to_be_visible()
    assert overflow(page) == 0, "a rule tried"
    page.click('[data-tab="diff"]')
    assert overflow(page) == 0, "diff"


def test_teaching_is_keyboard_usable_and_axe_clean(page, live_server, gazette):
    paste(page, live_server.url, gazette, url=URL)
    page.focus("#tab-page")
    page.keyboard.press("End")  # the Before tabs: Page, Text, Elements
    assert focused(page) == "tab-elements"
    expect(page.locator("#elements-panel")).to_be_visible()
    assert axe_violations(page) == [], "elements"
    page.keyboard.press("Tab")
    assert focused(page) == "elements-panel"
    for _ in range(40):  # Tab along the outline to the promo box
        page.keyboard.press("Tab")
        if "div.gz-shop" in page.evaluate("document.activeElement.textContent"):
            break
    else:
        pytest.fail("Tab never reached the promo box")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"pick="))
    page.focus("#selector")
    page.keyboard.press("Tab")  # the note
    page.keyboard.press("Tab")
    assert focused(page) == "try-strip"
    page.keyboard.press("Enter")
    expect(page.locator("#lesson-effect")).to_be_visible()
    assert axe_violations(page) == [], "a rule tried"
    page.focus("#save-rule")
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_contain_text("saved rule")
