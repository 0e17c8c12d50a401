"""The text layer: residue rules applied to whole, normalised lines of extracted text.

Used by ``clean_text()`` on text from any extractor, and as the last pass of
``clean_article()`` over the body's blocks. A line is dropped only when it *is* a known
string (after normalisation), never because it contains one; long, specific phrases
(``Story continues below advertisement``) are cut out of a line instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

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


@lru_cache(maxsize=32)
def _phrase_patterns(rules: RuleSet, lang: str | None):
    """The phrases allowed in ``lang`` as one alternation, twice: for lower-cased text
    (case-sensitive: ten times faster on a long line) and for any text (case-insensitive);
    and each phrase's own pattern and rule, to tell which one matched."""
    chosen = [(rx, rule) for rx, rule, langs in rules.phrase_rules if lang_ok(langs, lang)]
    if not chosen:
        return None
    alternation = "|".join(rx.pattern for rx, _ in chosen)
    owners = tuple((re.compile(rx.pattern, re.I), rule) for rx, rule in chosen)
    return re.compile(alternation), re.compile(alternation, re.I), owners


_CUT_PASSES = 4  # a cut can join two halves into a new phrase: a few passes find those


def _cut_phrases(line: str, rules: RuleSet, lang: str | None):
    low = line.lower()
    if not any(key in low for key in rules.phrase_keys):
        return None
    patterns = _phrase_patterns(rules, lang)
    if patterns is None:
        return None
    lower_rx, any_case_rx, owners = patterns
    removed, rule_hit, text = [], None, line
    # one pass over the line per round, never a search from the start after each cut: a
    # 1 MB paragraph of "Story continues below advertisement." took a minute that way
    for round_ in range(_CUT_PASSES):
        if round_:
            low = text.lower()
        matches = lower_rx.finditer(low) if len(low) == len(text) else \
            any_case_rx.finditer(text)  # lower() changed the length: match the text itself
        kept, pos = [], 0
        for m in matches:
            piece = text[m.start():m.end()]
            removed.append(piece)
            rule_hit = rule_hit or next(rule for rx, rule in owners if rx.fullmatch(piece))
            kept.append(text[pos:m.start()].strip())
            pos = m.end()
        if pos == 0:
            break
        kept.append(text[pos:].strip())
        # restore the boundary: "said.Story continues…On Monday" -> "said. On Monday"
        # ... but no space before closing punctuation: "report (opens…)." -> "report."
        kept = [k for k in kept if k]
        text = "".join(("" if i == 0 or k[0] in _CLOSING else " ") + k
                       for i, k in enumerate(kept))
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
            # what is left may itself be a residue line: "Share (opens in new window)"
            rest_rule = _match_norm(_norm(rest), rules, lang, False) if rest else None
            if rest_rule is not None:
                verdicts[i] = Verdict(i, rest_rule, line.strip(), None)
            else:
                verdicts[i] = Verdict(i, rule, removed, rest or None)
                norms[i] = _norm(rest)
    # a line keeps counting as prose with a phrase cut out of it
    prose = [i for i, line in enumerate(lines)
             if (i not in verdicts and len(line.strip()) >= PROSE_CHARS) or
             (i in verdicts and len(verdicts[i].new_text or "") >= PROSE_CHARS)]
    first = prose[0] if prose else len(lines)
    last = prose[-1] if prose else -1
    for i, line in enumerate(lines):
        if first <= i <= last or (i in verdicts and verdicts[i].new_text is None):
            continue
        rule = _match_norm(norms[i], rules, lang, True)
        if rule is not None:
            verdicts[i] = Verdict(i, rule, line.strip(), None)
    return [verdicts[i] for i in sorted(verdicts)]
