"""The bench's reports: the accuracy/speed table and the worst pages."""

from __future__ import annotations

from collections.abc import Sequence

from . import POOLED, BenchResult, SetResult
from .metric import Scores, normalize_space, tokenize
from .timing import passes_label

__all__ = ["format_table", "format_failures", "lines_absent", "collapsed", "empty",
           "COLLAPSED_RECALL", "FAILED_F1", "LOW_CONFIDENCE"]

COLLAPSED_RECALL = 0.2      # below this recall the article is essentially gone
FAILED_F1 = 0.5             # ... and below this F1 the page is a failure worth flagging
LOW_CONFIDENCE = 0.5        # cleaner's confidence below this flags a page for review


def _num(value: float | None, digits: int) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]

    def line(cells: list[str]) -> str:
        padded = (c.ljust(w) if i == 0 else c.rjust(w)
                  for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
        return "| " + " | ".join(padded) + " |"
    rule = "|" + "|".join("-" * (w + 1) + (":" if i else "-")
                          for i, w in enumerate(widths)) + "|"
    return [line(rows[0]), rule, *(line(r) for r in rows[1:])]


def collapsed(scores: Scores) -> list[str]:
    """Pages whose article is essentially gone: recall below COLLAPSED_RECALL."""
    return [pid for pid, p in scores.pages.items()
            if p.recall is not None and p.recall < COLLAPSED_RECALL]


def empty(scores: Scores) -> list[str]:
    """Pages with truth text and no output at all."""
    return [pid for pid, p in scores.pages.items() if p.recall is not None and
            p.tp + p.fp == 0]


def set_table(one: SetResult, extractors: Sequence[str]) -> list[str]:
    """One set's table: accuracy, lost pages, crashes, speed."""
    snippets = any(s.include is not None or s.exclude is not None
                   for s in one.scores.values())
    head = ["extractor", "precision", "recall", "F1", "exact"]
    if snippets:
        head += ["include", "exclude"]
    head += ["collapsed", "empty", "errors", "pages/s", "ms/page p50", "p95", "peak RSS MB"]
    rows = [head]
    for name in extractors:
        s, t = one.scores[name], one.timings.get(name)
        row = [name, _num(s.precision, 3), _num(s.recall, 3), _num(s.f1, 3),
               _num(s.exact, 3)]
        if snippets:
            row += [_num(s.include, 3), _num(s.exclude, 3)]
        row += [str(len(collapsed(s))), str(len(empty(s))), str(len(one.outputs[name].errors))]
        row += ([_num(t.pages_per_s, 1), _num(t.ms_p50, 1), _num(t.ms_p95, 1),
                 _num(t.peak_rss_mb, 0)] if t else ["n/a"] * 4)
        rows.append(row)
    return _table(rows)


def confidence_lines(one: SetResult, threshold: float = LOW_CONFIDENCE) -> list[str]:
    """How well cleaner's confidence flags its failures: the share of collapsed and
    F1 < 0.5 pages among those below ``threshold``, and the share of pages flagged."""
    if "cleaner" not in one.outputs:
        return []
    details = one.outputs["cleaner"].details
    conf = {pid: d.get("confidence") for pid, d in details.items()}
    if not conf or any(c is None for c in conf.values()):
        return []
    scores = one.scores["cleaner"].pages
    bad = {pid for pid, p in scores.items() if p.recall is not None and
           (p.recall < COLLAPSED_RECALL or p.f1 < FAILED_F1)}
    low = {pid for pid, c in conf.items() if c is not None and c < threshold}
    caught = len(bad & low)
    share = caught / len(bad) if bad else 1.0
    return [f"confidence < {threshold}: {len(low)} of {len(scores)} pages flagged "
            f"({len(low) / max(1, len(scores)):.1%}); they hold {caught} of {len(bad)} "
            f"collapsed or F1 < {FAILED_F1} pages ({share:.1%})"]


def garbled_lines(one: SetResult, threshold: float = LOW_CONFIDENCE) -> list[str]:
    """Lost pages and flags again without pages whose truth holds NUL characters (a UTF-16
    truth read one byte a character: no extractor can match it)."""
    garbled = {pid for pid, entry in one.truth.items() if "\x00" in entry["body"]}
    if not garbled:
        return []
    lost = ", ".join(f"{name} {len(set(collapsed(s)) - garbled)}"
                     for name, s in one.scores.items())
    out = [f"truth holds NUL characters on {len(garbled)} pages; without them, collapsed: "
           f"{lost}"]
    if "cleaner" in one.outputs:
        conf = {pid: d.get("confidence") for pid, d in one.outputs["cleaner"].details.items()}
        pages = one.scores["cleaner"].pages
        bad = {pid for pid, p in pages.items() if pid not in garbled and p.recall is not None
               and (p.recall < COLLAPSED_RECALL or p.f1 < FAILED_F1)}
        low = {pid for pid, c in conf.items() if c is not None and c < threshold}
        out.append(f"  and confidence < {threshold} holds {len(bad & low)} of {len(bad)} "
                   f"collapsed or F1 < {FAILED_F1} pages "
                   f"({len(bad & low) / max(1, len(bad)):.1%})")
    return out


def explained_lines(one: SetResult, worst: int = 5) -> list[str]:
    """The share of dropped words that cleaner's removal records account for."""
    if "cleaner" not in one.outputs:
        return []
    details = one.outputs["cleaner"].details
    rows = [(pid, d["dropped"], d["explained"]) for pid, d in details.items()
            if d.get("dropped") is not None]
    if not rows:
        return []
    dropped = sum(r[1] for r in rows)
    explained = sum(r[2] for r in rows)
    good = sum(1 for _, d, e in rows if d == 0 or e >= 0.9 * d)
    out = [f"removal records explain {explained:,} of {dropped:,} dropped words "
           f"({explained / max(1, dropped):.1%}); pages with >= 90% explained: "
           f"{good} of {len(rows)} ({good / len(rows):.1%})"]
    poor = sorted((r for r in rows if r[1]), key=lambda r: (r[2] / r[1], r[0]))[:worst]
    for pid, d, e in poor:
        if e >= 0.9 * d:
            break
        missing = ", ".join(details[pid].get("unexplained") or [])
        out.append(f"  {pid}: {e} of {d} explained ({e / d:.0%}); unexplained: {missing}")
    return out


def format_table(result: BenchResult) -> str:
    """Per set and pooled: the table, crashes, cleaner's confidence and explanations,
    memory per pass and the speed ratios."""
    timing = "timing: off (--passes 0)"
    if result.passes:
        timing = (f"timing: {passes_label(result.passes)}, one worker at a time"
                  + (f", pinned to CPU {result.core}" if result.core is not None else ""))
    shown = list(result.sets)
    if len(shown) > 1:
        shown.append(result.pooled)
    out: list[str] = []
    for one in shown:
        label = ("all sets pooled" if one.name == POOLED
                 else f"{len(one.truth)} pages from {one.name}")
        out += [f"{label}; {timing}" if one is shown[0] or one.name == POOLED else label,
                "", *set_table(one, result.extractors), ""]
        for name in result.extractors:
            errs = one.outputs[name].errors
            if errs and one.name != POOLED:
                listed = "; ".join(f"{pid} ({msg})" for pid, msg in list(errs.items())[:3])
                more = f"; +{len(errs) - 3} more" if len(errs) > 3 else ""
                out.append(f"{name} crashed on {len(errs)} pages (counted as empty "
                           f"output): {listed}{more}")
            if name in one.timing_errors:
                out.append(f"{name} timing failed: {one.timing_errors[name]}")
        out += confidence_lines(one) + garbled_lines(one) + explained_lines(one)
        ratios = result.ratios(one)
        if "cleaner_over_trafilatura_pages_per_s" in ratios:
            out.append(f"cleaner pages/s / trafilatura pages/s: "
                       f"{ratios['cleaner_over_trafilatura_pages_per_s']:.2f}")
        if "cleaner_over_lxml_ms_per_page" in ratios:
            out.append(f"cleaner time per page / lxml floor time per page: "
                       f"{ratios['cleaner_over_lxml_ms_per_page']:.2f}")
        if out[-1]:
            out.append("")
    for one in result.sets if result.passes else ():
        if one.timings:
            out.append(f"worker RSS MB on {one.name} with the pages loaded | after warm-up "
                       "| after each pass:")
            for name, t in one.timings.items():
                out.append(f"  {name}: {_num(t.rss_loaded_mb, 1)} | {_num(t.rss_mb[0], 1)} "
                           "| " + " ".join(_num(v, 1) for v in t.rss_mb[1:]))
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
    """The ``k`` worst pages of ``extractor`` by F1 over every set: URL, P/R, cleaner's
    confidence and chosen box, missed and extra lines."""
    pooled = result.pooled
    pages = pooled.scores[extractor].pages
    worst = sorted(pages, key=lambda pid: (pages[pid].f1, pid))[:k]
    out = [f"{len(worst)} worst {extractor} pages by F1:"]
    got = pooled.outputs[extractor]
    for rank, pid in enumerate(worst, 1):
        s, entry = pages[pid], pooled.truth[pid]
        output = got.texts.get(pid, "")
        out += ["", f"{rank}. {pid}  F1 {s.f1:.3f}  P {_num(s.precision, 3)}  "
                    f"R {_num(s.recall, 3)}  {entry.get('url') or ''}"]
        info = got.details.get(pid) or {}
        if info.get("confidence") is not None:
            body = info.get("body") or {}
            out.append(f"   confidence {info['confidence']:.2f}; body {body.get('path')} "
                       f"(decided by {body.get('decided_by')})")
        if pid in got.errors:
            out.append(f"   crashed: {got.errors[pid]}")
        truth_lines = [ln for ln in entry["body"].splitlines() if tokenize(ln)]
        out_lines = [ln for ln in output.splitlines() if tokenize(ln)]
        out += _listing("missed", "-", lines_absent(entry["body"], output), len(truth_lines))
        out += _listing("extra", "+", lines_absent(output, entry["body"]), len(out_lines))
    return "\n".join(out)
