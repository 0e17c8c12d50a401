// cleaner preview: tabs, the framed page's place in the Tab order, and linking removals
// between the list, the text and the page.
// Served from 'self' (the CSP allows no inline script); the previewed page never runs any.
"use strict";

document.documentElement.classList.add("js");

// WAI-ARIA tabs (automatic activation): one tab stop per tab list, arrows move along it
function setupTabs(card) {
  const tabs = Array.from(card.querySelectorAll(':scope > .tabs [role="tab"]'));
  if (!tabs.length) return;
  const show = (tab, focus) => {
    tabs.forEach((t) => {
      const on = t === tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      const panel = document.getElementById(t.getAttribute("aria-controls"));
      if (panel) panel.hidden = !on;
    });
    if (focus) tab.focus();
  };
  tabs.forEach((t, i) => {
    t.addEventListener("click", () => show(t, false));
    t.addEventListener("keydown", (e) => {
      const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
      if (to === undefined) return;
      e.preventDefault();
      show(tabs[(to + tabs.length) % tabs.length], true);
    });
  });
  show(tabs.find((t) => t.getAttribute("aria-selected") === "true") || tabs[0], false);
}

function highlight(index, on) {
  document.querySelectorAll('[data-removal="' + index + '"]').forEach((el) => {
    el.classList.toggle("hl", on);
  });
}

function showPage() {
  const tab = document.getElementById("tab-page");
  if (tab) tab.click();
  const frame = document.getElementById("page-frame");
  if (frame) frame.scrollIntoView({ block: "nearest" });
  return frame;
}

function findInPage(index) {
  const link = document.querySelector("#removal-" + index + " a.find");
  const frame = link && showPage();
  if (frame) frame.src = link.getAttribute("href");
}

// The framed page's links (hundreds, on a news page) stay out of the Tab order until the
// reader asks for them; once focus comes back to the preview, they are out again.
function setupFrame() {
  const frame = document.getElementById("page-frame");
  const enter = document.getElementById("enter-frame");
  if (!frame || !enter) return;
  enter.addEventListener("click", () => {
    frame.tabIndex = 0;
    frame.focus();
  });
  document.addEventListener("focusin", (e) => {
    if (e.target !== frame) frame.tabIndex = -1;
  });
}

// Selecting text in the After panel offers "this line is residue on this site": the
// selected text's whole line goes into the line form (which works typed or pasted too).
function setupLineOffer() {
  const panel = document.getElementById("after-text");
  const offer = document.getElementById("line-offer");
  const input = document.getElementById("line");
  if (!panel || !offer || !input) return;
  const take = () => {
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) return;
    // the line the selection starts in (a triple click runs on to the next line's start)
    const node = sel.getRangeAt(0).startContainer;
    const el = node.nodeType === 1 ? node : node.parentElement;
    const line = el && el.closest("#after-text > p");
    if (!line) return;
    input.value = line.textContent.trim();
    offer.open = true;
  };
  panel.addEventListener("mouseup", take);
  panel.addEventListener("keyup", take);
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".card").forEach(setupTabs);
  setupFrame();
  setupLineOffer();
  document.querySelectorAll("[data-removal]").forEach((el) => {
    const i = el.dataset.removal;
    el.addEventListener("mouseenter", () => highlight(i, true));
    el.addEventListener("mouseleave", () => highlight(i, false));
    el.addEventListener("focusin", () => highlight(i, true));
    el.addEventListener("focusout", () => highlight(i, false));
  });
  // a mark in the before text is a link to its row: go there, and show it in the page
  document.querySelectorAll("mark[data-removal] > a").forEach((a) => {
    a.addEventListener("click", (e) => {
      const i = a.parentElement.dataset.removal;
      const row = document.getElementById("removal-" + i);
      if (!row) return; // listed on another part of the table: follow the link there
      e.preventDefault();
      row.scrollIntoView({ block: "center" });
      row.focus({ preventScroll: true });
      findInPage(i);
    });
  });
  // "find" shows the page (tab, scroll) while the link loads in the frame
  document.querySelectorAll("a.find").forEach((a) => {
    a.addEventListener("click", showPage);
  });
});
