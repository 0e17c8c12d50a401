"""What the browser tests share: opening a page in the preview, measuring sideways
scrolling, finding focus, and running axe-core (tests/webapp/vendor/axe-core, MPL-2.0) on
the preview's own page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

__all__ = ["AXE", "PHONES", "OUR_TITLE", "RECORD_MESSAGES", "paste", "overflow", "inside",
           "axe_violations", "focused"]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
PHONES = [360, 390, 414]
OUR_TITLE = re.compile(r"cleaner preview$")

# record messages that reach the preview's own window (never the framed page's)
RECORD_MESSAGES = """
if (window.top === window) {
  window.__messages = [];
  window.addEventListener("message", (e) => window.__messages.push(String(e.data)));
}
"""


def paste(page: Page, base: str, html: str, url: str = "") -> None:
    """Paste ``html`` (with its page ``url``) into the preview at ``base`` and open it."""
    page.goto(base + "/")
    page.fill("#html", html)
    if url:
        page.fill("#page_url", url)
    page.click("#submit-paste")
    page.wait_for_url(re.compile(r"/view/"))


def overflow(page: Page) -> int:
    """How many pixels the page is wider than the window (0: no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - "
                         "document.documentElement.clientWidth")


def inside(page: Page, inner: str, outer: str) -> bool:
    """Whether ``inner`` lies within the sides of its closest ``outer``."""
    return page.evaluate("""([inner, outer]) => {
        const a = document.querySelector(inner).getBoundingClientRect();
        const b = document.querySelector(inner).closest(outer).getBoundingClientRect();
        return a.left >= b.left - 0.5 && a.right <= b.right + 0.5;
    }""", [inner, outer])


def axe_violations(page: Page) -> list[dict]:
    """axe-core's serious and critical findings on the preview's own page (not the framed
    page, which is the hostile input itself)."""
    page.evaluate("() => {" + AXE.read_text(encoding="utf-8") + "\n}")
    found = page.evaluate("""async () => {
        const r = await axe.run({exclude: [["iframe"]]}, {resultTypes: ["violations"]});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}));
    }""")
    return [v for v in found if v["impact"] in ("serious", "critical")]


def focused(page: Page) -> str:
    """The id (or tag) of the element that has the focus."""
    return page.evaluate("document.activeElement.id || document.activeElement.tagName")
