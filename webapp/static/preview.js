// cleaner preview: tabs, and linking removals between the list, the text and the page.
// Served from 'self' (the CSP allows no inline script); the previewed page never runs any.
"use strict";

document.documentElement.classList.add("js");

function setupTabs(card) {
  const buttons = card.querySelectorAll(":scope > .tabs [data-tab]");
  if (!buttons.length) return;
  const show = (name) => {
    buttons.forEach((b) => b.setAttribute("aria-selected", String(b.dataset.tab === name)));
    card.querySelectorAll(":scope > [data-panel]").forEach((p) => {
      p.hidden = p.dataset.panel !== name;
    });
  };
  buttons.forEach((b) => b.addEventListener("click", () => show(b.dataset.tab)));
  show(buttons[0].dataset.tab);
}

function highlight(index, on) {
  document.querySelectorAll('[data-removal="' + index + '"]').forEach((el) => {
    el.classList.toggle("hl", on);
  });
}

function showPage() {
  const tab = document.querySelector('[data-tab="page"]');
  if (tab) tab.click();
  const frame = document.getElementById("page-frame");
  if (frame) frame.scrollIntoView({ block: "nearest" });
  return frame;
}

function findInPage(index) {
  const link = document.querySelector('#removal-' + index + ' a.find');
  const frame = link && showPage();
  if (frame) frame.src = link.getAttribute("href");
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".card").forEach(setupTabs);
  document.querySelectorAll("[data-removal]").forEach((el) => {
    const i = el.dataset.removal;
    el.addEventListener("mouseenter", () => highlight(i, true));
    el.addEventListener("mouseleave", () => highlight(i, false));
  });
  // a mark in the before text: show its row, and scroll the page to the element
  document.querySelectorAll("mark[data-removal]").forEach((el) => {
    el.addEventListener("click", () => {
      const row = document.getElementById("removal-" + el.dataset.removal);
      if (row) row.scrollIntoView({ block: "center", behavior: "smooth" });
      findInPage(el.dataset.removal);
    });
  });
  // "find" shows the page (tab, scroll) while the link loads in the frame
  document.querySelectorAll("a.find").forEach((a) => {
    a.addEventListener("click", showPage);
  });
});
