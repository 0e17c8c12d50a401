"""``cleaner rules``: list the residue rules, or run every rule's own examples.

    cleaner rules                      # rules grouped by family
    cleaner rules --family consent     # one family
    cleaner rules --lang de --json     # rules that fire on German text, as JSON
    cleaner rules --test               # run the examples; exit 4 when one fails
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..devtools.rulecheck import run_examples
from ..errors import OptionError
from ..rules import Rule, default_rules
from .common import EXIT_CHECK, EXIT_OK, EXIT_USAGE

__all__ = ["add_parsers", "describe"]

_LANG_ORDER = {"en": 0, "de": 1, "fr": 2, "es": 3}


def _langs(rule: Rule) -> list[str]:
    return sorted(rule.langs, key=lambda lang: (_LANG_ORDER.get(lang, 9), lang))


def _counts(rule: Rule) -> str:
    parts = []
    for n, what in ((len(rule.select), "selector"), (len(rule.lines), "line"),
                    (len(rule.patterns), "pattern"), (len(rule.phrases), "phrase")):
        if n:
            parts.append(f"{n} {what}{'s' if n != 1 else ''}")
    return ", ".join(parts) or "nothing to match"


def describe(rule: Rule) -> dict[str, Any]:
    """One rule as plain data (what ``cleaner rules --json`` prints)."""
    return {
        "id": rule.id, "family": rule.family, "why": rule.why, "langs": _langs(rule),
        "position": rule.position, "comment_content": rule.comment_content,
        "selectors": len(rule.select), "lines": len(rule.lines),
        "patterns": len(rule.patterns), "phrases": len(rule.phrases),
        "examples": len(rule.drop_examples) + len(rule.keep_examples)
        + len(rule.drop_html) + len(rule.keep_html),
        "source": rule.source,
    }


def _chosen(family: str | None, lang: str | None) -> list[Rule]:
    rules = default_rules()
    chosen = list(rules.rules)
    if family is not None:
        if family not in rules.families():
            raise OptionError(f"unknown family {family!r}; choose one of "
                              f"{', '.join(rules.families())}")
        chosen = [r for r in chosen if r.family == family]
    if lang is not None:
        lang = lang.strip().lower()
        chosen = [r for r in chosen if r.applies_to(lang)]
    return chosen


def _cmd_rules(args: argparse.Namespace) -> int:
    try:
        chosen = _chosen(args.family, args.lang)
    except OptionError as exc:
        print(f"cleaner: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.test:
        failures = run_examples(chosen)
        if args.json:
            print(json.dumps({"rules": len(chosen), "failures": [
                {"rule": f.rule, "kind": f.kind, "example": f.example, "problem": f.problem}
                for f in failures]}, ensure_ascii=False, indent=2))
        else:
            for f in failures:
                print(f"FAIL {f}")
            n = sum(len(r.drop_examples) + len(r.keep_examples) + len(r.drop_html)
                    + len(r.keep_html) for r in chosen)
            verdict = f"{len(failures)} failed" if failures else "all pass"
            print(f"{len(chosen)} rules, {n} examples: {verdict}")
        return EXIT_CHECK if failures else EXIT_OK
    if args.json:
        families: dict[str, list[dict[str, Any]]] = {}
        for r in chosen:
            families.setdefault(r.family, []).append(describe(r))
        print(json.dumps({"rules": len(chosen), "families": families},
                         ensure_ascii=False, indent=2))
        return EXIT_OK
    by_family: dict[str, list[Rule]] = {}
    for r in chosen:
        by_family.setdefault(r.family, []).append(r)
    width = max((len(r.id) for r in chosen), default=10)
    for family in sorted(by_family):
        items = by_family[family]
        print(f"{family} ({len(items)} rule{'s' if len(items) != 1 else ''})")
        for r in items:
            flags = "".join([" edges" if r.position == "edges" else "",
                             " comments" if r.comment_content else ""])
            print(f"  {r.id:<{width}}  [{','.join(_langs(r))}]{flags}  {_counts(r)}")
            print(f"  {'':<{width}}  {r.why}")
    if not chosen:
        print("no rules match")
    return EXIT_OK


def add_parsers(subparsers: Any) -> None:
    """Add ``cleaner rules`` to the command line."""
    p = subparsers.add_parser(
        "rules", help="list the residue rules, or run their examples (--test)",
        description="List the residue rules grouped by family (id, why, languages, how "
        "many selectors and strings), or run every rule's examples with --test "
        "(exit code 4 when one fails).")
    p.add_argument("--family", help="only this family (form, comments, consent, ...)")
    p.add_argument("--lang", help="only rules whose text fires on this language (en, de, fr, es)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument("--test", action="store_true",
                   help="run every rule's drop/keep examples; print the failures")
    p.set_defaults(func=_cmd_rules)
