"""The text layer: residue rules applied to whole, normalised lines of extracted text.

Used by ``clean_text()`` on text from any extractor, and as the last pass of
``clean_article()`` over the body's blocks. A line is dropped only when it *is* a known
string (after normalisation), never because it contains one; long, specific phrases
(``Story continues below advertisement``) are cut out of a line instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .rules import SHORT_LINE, Rule, RuleSet, lang_ok, line_key
from .textnorm import normalize_line

__all__ = ["Verdict", "judge_lines", "match_line", "PROSE_CHARS"]

PROSE_CHARS = 60          # a line this long counts as article prose for "edges" rules
MAX_RESIDUE_CHARS = 700   # longer lines are never whole-line residue
_CLOSING = frozenset(".,;:!?)]}”")  # no space goes before these after a cut
_LIST_MARK = re.compile(r"^\s*(?:[-*•·▪◦]|\d{1,3}[.)])\s+")


@dataclass(frozen=True)
class Verdict:
    """What the text layer decided for one line: drop it, or cut a phrase out of it."""

    index: int
    rule: Rule
    removed: str            # the text taken away
    new_text: str | None    # None: the whole line goes


def _norm(line: str) -> str:
    if len(line) > MAX_RESIDUE_CHARS:
        return ""
    return normalize_line(_LIST_MARK.sub("", line, count=1))


def _match_norm(norm: str, rules: RuleSet, lang: str | None, at_edge: bool) -> Rule | None:
    if not norm:
        return None
    for rule, langs in rules.exact.get(line_key(norm), ()):
        if lang_ok(langs, lang) and (at_edge or rule.position == "anywhere"):
            return rule
    any_pattern = rules.any_pattern if len(norm) <= SHORT_LINE else rules.any_long_pattern
    if any_pattern is not None and any_pattern.fullmatch(norm):
        for rx, rule, langs in rules.pattern_rules:
            if lang_ok(langs, lang) and (at_edge or rule.position == "anywhere") \
                    and rx.fullmatch(norm):
                return rule
    return None


def match_line(line: str, rules: RuleSet, lang: str | None,
               at_edge: bool = True) -> Rule | None:
    """The rule a whole line matches, if any."""
    return _match_norm(_norm(line), rules, lang, at_edge)


def _cut_phrases(line: str, rules: RuleSet, lang: str | None):
    if rules.any_phrase is None:
        return None
    low = line.lower()
    if not any(key in low for key in rules.phrase_keys) or not rules.any_phrase.search(line):
        return None
    removed, rule_hit, text = [], None, line
    for rx, rule, langs in rules.phrase_rules:
        if not lang_ok(langs, lang):
            continue
        m = rx.search(text)
        while m:
            removed.append(m.group(0))
            rule_hit = rule_hit or rule
            # restore the boundary: "said.Story continues…On Monday" -> "said. On Monday"
            # ... but no space before closing punctuation: "report (opens…)." -> "report."
            head, tail = text[:m.start()].rstrip(), text[m.end():].lstrip()
            glue = "" if not head or tail[:1] in _CLOSING else " "
            text = (head + glue + tail).strip()
            m = rx.search(text)
    if rule_hit is None:
        return None
    return rule_hit, " ".join(removed), text


def judge_lines(lines: list[str], rules: RuleSet, lang: str | None) -> list[Verdict]:
    """Decide for every line; returns a Verdict for each line that loses text.

    Rules with ``position = "edges"`` fire only before the first or after the last
    prose line (``PROSE_CHARS`` long), where site chrome collects.
    """
    verdicts: dict[int, Verdict] = {}
    norms = [_norm(line) for line in lines]
    for i, line in enumerate(lines):
        rule = _match_norm(norms[i], rules, lang, False)
        if rule is not None:
            verdicts[i] = Verdict(i, rule, line.strip(), None)
            continue
        cut = _cut_phrases(line, rules, lang)
        if cut is not None:
            rule, removed, rest = cut
            verdicts[i] = Verdict(i, rule, removed, rest or None)
    prose = [i for i, line in enumerate(lines)
             if i not in verdicts and len(line.strip()) >= PROSE_CHARS]
    first = prose[0] if prose else len(lines)
    last = prose[-1] if prose else -1
    for i, line in enumerate(lines):
        if i in verdicts or first <= i <= last:
            continue
        rule = _match_norm(norms[i], rules, lang, True)
        if rule is not None:
            verdicts[i] = Verdict(i, rule, line.strip(), None)
    return [verdicts[i] for i in sorted(verdicts)]
