"""The residue audit behind ``cleaner bench DATASET --residue``.

For every page of a dataset it answers three questions, in one process:

1. Does any output line still carry widget text (forms, consent, share, related, comment
   chrome, newsletter boxes) that the truth lacks? A line counts when it is mostly one of
   the rules' known strings (normalised), holds a long one (5+ words) anywhere, or matches
   one of their whole-line patterns, and its words are not part of the truth.
2. What is the body F1 with the text layer on and off?
3. What do the residue layers cost? Every page is cleaned with all rules and the text
   layer, and with no rules and no text layer, interleaved, several passes; the median
   pass of each is reported.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..pipeline import clean_article
from ..rules import RuleSet, default_rules
from ..textnorm import collapse_spaces, normalize_line
from .bench.dataset import load_dataset, read_page
from .bench.metric import evaluate, tokenize

__all__ = ["AuditResult", "residue_audit", "format_audit", "WIDGET_FAMILIES"]

WIDGET_FAMILIES = ("form", "consent", "share", "related", "comments", "newsletter")
MIN_STRING_CHARS = 8
LONG_STRING_WORDS = 5   # a string this long is widget text wherever it appears


@dataclass
class AuditResult:
    pages: int = 0
    leaks: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # id -> lines
    f1_on: float = 0.0
    f1_off: float = 0.0
    precision_on: float = 0.0
    precision_off: float = 0.0
    recall_on: float = 0.0
    recall_off: float = 0.0
    ms_with: float = 0.0
    ms_without: float = 0.0

    @property
    def overhead(self) -> float:
        return self.ms_with / self.ms_without - 1 if self.ms_without else 0.0


def _widget_strings(rules: RuleSet) -> tuple[list[tuple[str, str]], list[tuple[Any, str]]]:
    strings = sorted({(normalize_line(line), r.family) for r in rules.rules
                      if r.family in WIDGET_FAMILIES for line in r.lines
                      if len(normalize_line(line)) >= MIN_STRING_CHARS})
    patterns = [(rx, rule.family) for rx, rule, _ in rules.pattern_rules
                if rule.family in WIDGET_FAMILIES]
    return strings, patterns


def _leaks(output: str, truth: str, strings: list[tuple[str, str]],
           patterns: list[tuple[Any, str]]) -> list[tuple[str, str]]:
    truth_words = " " + " ".join(tokenize(truth)) + " "
    found = []
    for line in output.splitlines():
        words = " ".join(tokenize(line))
        if not words or f" {words} " in truth_words:
            continue
        norm = normalize_line(line)
        # the line is mostly a known widget string, or holds a long specific one (glued)
        family = next((fam for s, fam in strings if s in norm and
                       (len(s) >= 0.6 * len(norm) or len(s.split()) >= LONG_STRING_WORDS)),
                      None)
        if family is None:
            family = next((fam for rx, fam in patterns if rx.fullmatch(norm)), None)
        if family is not None:
            found.append((family, line))
    return found


def residue_audit(dataset: str | Path, *, passes: int = 3, limit: int | None = None
                  ) -> AuditResult:
    """Run the audit over a dataset folder (see the module docstring)."""
    truth = load_dataset(dataset)
    ids = list(truth)[:limit] if limit else list(truth)
    pages = {i: read_page(truth[i]["page"]) for i in ids}
    rules = default_rules()
    strings, patterns = _widget_strings(rules)
    no_rules = RuleSet([])
    out_on: dict[str, str] = {}
    out_off: dict[str, str] = {}
    result = AuditResult(pages=len(ids))
    for i in ids:
        url = truth[i].get("url")
        try:
            out_on[i] = clean_article(pages[i], url, rules=rules).text
            out_off[i] = clean_article(pages[i], url, rules=rules, text_layer=False).text
        except Exception:
            out_on[i] = out_off[i] = ""
        leaks = _leaks(out_on[i], truth[i].get("body", ""), strings, patterns)
        if leaks:
            result.leaks[i] = leaks
    sub = {i: truth[i] for i in ids}
    on, off = evaluate(out_on, sub), evaluate(out_off, sub)
    result.f1_on, result.f1_off = on.f1, off.f1
    result.precision_on, result.precision_off = on.precision or 0.0, off.precision or 0.0
    result.recall_on, result.recall_off = on.recall or 0.0, off.recall or 0.0
    with_times: list[float] = []
    without_times: list[float] = []
    for _ in range(passes):  # interleaved, so machine noise hits both alike
        for times, kw in ((with_times, {"rules": rules}),
                          (without_times, {"rules": no_rules, "text_layer": False})):
            start = time.perf_counter()
            for i in ids:
                try:
                    clean_article(pages[i], truth[i].get("url"), **kw)
                except Exception:
                    pass
            times.append((time.perf_counter() - start) / max(len(ids), 1) * 1000)
    result.ms_with = statistics.median(with_times)
    result.ms_without = statistics.median(without_times)
    return result


def format_audit(r: AuditResult) -> str:
    lines = [f"residue audit over {r.pages} pages",
             f"pages whose output has widget text the truth lacks: {len(r.leaks)}"]
    for page, leaks in sorted(r.leaks.items()):
        for family, line in leaks[:3]:
            lines.append(f"  {page}  [{family}] {collapse_spaces(line)[:100]}")
    lines += [
        "",
        "| text layer | precision | recall | F1 |",
        "|---|---:|---:|---:|",
        f"| on  | {r.precision_on:.4f} | {r.recall_on:.4f} | {r.f1_on:.4f} |",
        f"| off | {r.precision_off:.4f} | {r.recall_off:.4f} | {r.f1_off:.4f} |",
        "",
        f"clean_article ms/page with all residue rules and the text layer: {r.ms_with:.2f}",
        f"clean_article ms/page with no rules and no text layer:           {r.ms_without:.2f}",
        f"residue layers' cost: {r.overhead * 100:+.1f}% (median of the interleaved passes)",
    ]
    return "\n".join(lines)
