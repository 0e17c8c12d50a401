"""The bench's reports: the accuracy/speed table and the worst pages."""

from __future__ import annotations

from . import BenchResult
from .metric import normalize_space, tokenize
from .timing import passes_label

__all__ = ["format_table", "format_failures", "lines_absent"]

def _num(value: float | None, digits: int) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def format_table(result: BenchResult) -> str:
    """The Markdown table, then crashes, memory per pass and the speed ratios."""
    snippets = any(s.include is not None or s.exclude is not None
                   for s in result.scores.values())
    head = ["extractor", "precision", "recall", "F1", "exact"]
    if snippets:
        head += ["include", "exclude"]
    head += ["pages/s", "ms/page p50", "p95", "peak RSS MB"]
    rows = []
    for name in result.extractors:
        s, t = result.scores[name], result.timings.get(name)
        row = [name, _num(s.precision, 3), _num(s.recall, 3), _num(s.f1, 3),
               _num(s.exact, 3)]
        if snippets:
            row += [_num(s.include, 3), _num(s.exclude, 3)]
        row += ([_num(t.pages_per_s, 1), _num(t.ms_p50, 1), _num(t.ms_p95, 1),
                 _num(t.peak_rss_mb, 0)] if t else ["n/a"] * 4)
        rows.append(row)
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def line(cells: list[str]) -> str:
        padded = (c.ljust(w) if i == 0 else c.rjust(w)
                  for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
        return "| " + " | ".join(padded) + " |"
    rule = "|" + "|".join("-" * (w + 1) + (":" if i else "-")
                          for i, w in enumerate(widths)) + "|"
    timing = "timing: off (--passes 0)"
    if result.passes:
        timing = (f"timing: {passes_label(result.passes)}, one worker at a time"
                  + (f", pinned to CPU {result.core}" if result.core is not None else ""))
    out = [f"{len(result.truth)} pages from {result.dataset}; {timing}", "",
           line(head), rule, *(line(r) for r in rows), ""]
    for name in result.extractors:
        if result.errors.get(name):
            errs = result.errors[name]
            shown = "; ".join(f"{pid} ({msg})" for pid, msg in list(errs.items())[:3])
            more = f"; +{len(errs) - 3} more" if len(errs) > 3 else ""
            out.append(f"{name} crashed on {len(errs)} pages (counted as empty output): "
                       f"{shown}{more}")
        if name in result.timing_errors:
            out.append(f"{name} timing failed: {result.timing_errors[name]}")
    if result.timings:
        out.append("worker RSS MB with the pages loaded | after warm-up | after each pass:")
        for name, t in result.timings.items():
            out.append(f"  {name}: {_num(t.rss_loaded_mb, 1)} | {_num(t.rss_mb[0], 1)} | "
                       + " ".join(_num(v, 1) for v in t.rss_mb[1:]))
    ratios = result.ratios()
    if "cleaner_over_trafilatura_pages_per_s" in ratios:
        out.append(f"cleaner pages/s / trafilatura pages/s: "
                   f"{ratios['cleaner_over_trafilatura_pages_per_s']:.2f}")
    if "cleaner_over_lxml_ms_per_page" in ratios:
        out.append(f"cleaner time per page / lxml floor time per page: "
                   f"{ratios['cleaner_over_lxml_ms_per_page']:.2f}")
    out.append("versions: " + ", ".join(f"{n} {v}" for n, v in result.versions.items()))
    return "\n".join(out)


def _shorten(text: str, width: int = 110) -> str:
    text = normalize_space(text)
    return text if len(text) <= width else text[:width - 3] + "..."


def lines_absent(text: str, other: str) -> list[str]:
    """Lines of ``text`` whose tokens do not occur, in order and contiguous, in ``other``.

    >>> lines_absent("Kept line\\nSubscribe now!", "kept? No: Kept line, and more")
    ['Subscribe now!']
    """
    hay = f" {' '.join(tokenize(other))} "
    return [line.strip() for line in text.splitlines()
            if tokenize(line) and f" {' '.join(tokenize(line))} " not in hay]


def _listing(label: str, sign: str, lines: list[str], total: int, most: int = 5) -> list[str]:
    if not lines:
        return [f"   {label}: none"]
    out = [f"   {label} ({len(lines)} of {total} lines):"]
    out += [f"     {sign} {_shorten(line)}" for line in lines[:most]]
    if len(lines) > most:
        out.append(f"     ... {len(lines) - most} more")
    return out


def format_failures(result: BenchResult, k: int, extractor: str = "cleaner") -> str:
    """The ``k`` worst pages of ``extractor`` by F1: URL, P/R, missed and extra lines."""
    pages = result.scores[extractor].pages
    worst = sorted(pages, key=lambda pid: (pages[pid].f1, pid))[:k]
    out = [f"{len(worst)} worst {extractor} pages by F1:"]
    for rank, pid in enumerate(worst, 1):
        s, entry = pages[pid], result.truth[pid]
        output = result.outputs[extractor].get(pid, "")
        out += ["", f"{rank}. {pid}  F1 {s.f1:.3f}  P {_num(s.precision, 3)}  "
                    f"R {_num(s.recall, 3)}  {entry.get('url') or ''}"]
        if pid in result.errors.get(extractor, {}):
            out.append(f"   crashed: {result.errors[extractor][pid]}")
        truth_lines = [ln for ln in entry["body"].splitlines() if tokenize(ln)]
        out_lines = [ln for ln in output.splitlines() if tokenize(ln)]
        out += _listing("missed", "-", lines_absent(entry["body"], output), len(truth_lines))
        out += _listing("extra", "+", lines_absent(output, entry["body"]), len(out_lines))
    return "\n".join(out)
