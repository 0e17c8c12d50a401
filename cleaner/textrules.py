"""The text layer: residue rules applied to whole, normalised lines of extracted text.

Used by ``clean_text()`` on text from any extractor, and as the last pass of
``clean_article()`` over the body's blocks. A line is dropped only when it *is* a known
string (after normalisation), never because it contains one; long, specific phrases
(``Story continues below advertisement``) are cut out of a line instead, unless the line
quotes them (``the "Story continues below advertisement" banners``).

Where a rule fires: ``anywhere``; or, for ``position = "edges"`` rules (short, generic
words such as ``Share`` or ``Antworten``), before the first or after the last prose line,
and beside a line that a rule dropped (a widget's run of lines: the ``Pat says:`` after a
comment's ``Reply``, the ``Name *`` under a comment form's title, a form's labels above
Akismet's ``Δ``); ``position = "beside"`` rules (a vote counter ``5``) fire only beside a
line that a rule of their own family dropped.
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
MAX_CASED_CHARS = SHORT_LINE  # longer lines are not tried against the cased patterns
_CLOSING = frozenset(".,;:!?)]}”")  # no space goes before these after a cut
_LIST_MARK = re.compile(r"^\s*(?:[-*•·▪◦]|\d{1,3}[.)])\s+")
_MARK_CHARS = frozenset("-*•·▪◦")
# a phrase between two of these is quoted by the sentence around it, not residue
_QUOTES = frozenset("\"'“”„‟«»‘’‚‛‹›「」『』")
_SPACE = " \t\u00a0\u202f\u2009"


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


def _cased(line: str) -> str:
    """The form cased patterns see: the line as written, list marker off, spaces collapsed."""
    if len(line) > MAX_CASED_CHARS:
        return ""
    text = " ".join(line.split())  # what collapse_spaces does, without a regex pass
    if text and (text[0] in _MARK_CHARS or text[0].isdigit()):
        text = _LIST_MARK.sub("", text, count=1)
    return text


# the positions a line may be matched for: in the prose, at its edges, beside residue
_IN_PROSE = frozenset({"anywhere"})
_AT_EDGE = frozenset({"anywhere", "edges"})
_BESIDE = frozenset({"anywhere", "edges", "beside"})


@dataclass(frozen=True)
class _Patterns:
    """The whole-line patterns whose language fits a page, as alternations for short
    lines and for long lines, each in two parts: the rules that fire anywhere (all a line
    inside the prose, most lines, is tried against) and the others; one alternation of
    the cased patterns; their rules in order."""

    short: re.Pattern[str] | None
    long: re.Pattern[str] | None
    short_edges: re.Pattern[str] | None
    long_edges: re.Pattern[str] | None
    cased: re.Pattern[str] | None
    rules: tuple[tuple[re.Pattern[str], Rule], ...]
    cased_rules: tuple[tuple[re.Pattern[str], Rule], ...]


def _alternation(patterns: list[re.Pattern[str]], flags: int | None = None
                 ) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{rx.pattern})" for rx in patterns),
                      patterns[0].flags if flags is None else flags)


@lru_cache(maxsize=32)
def _patterns(rules: RuleSet, lang: str | None) -> _Patterns:
    """A page tries only the patterns of its language (and those for any language): a
    third of the alternation for a page in one of four languages."""
    chosen = [(rx, rule, width) for (rx, rule, langs), width in
              zip(rules.pattern_rules, rules.pattern_widths, strict=True)
              if lang_ok(langs, lang)]
    cased = [(rx, rule) for rx, rule, langs in rules.cased_rules if lang_ok(langs, lang)]
    flags = chosen[0][0].flags if chosen else 0   # both parts as one alternation would be
    anywhere = [(rx, width) for rx, rule, width in chosen if rule.position in _IN_PROSE]
    edges = [(rx, width) for rx, rule, width in chosen if rule.position not in _IN_PROSE]
    return _Patterns(
        short=_alternation([rx for rx, _ in anywhere], flags),
        long=_alternation([rx for rx, width in anywhere if width > SHORT_LINE], flags),
        short_edges=_alternation([rx for rx, _ in edges], flags),
        long_edges=_alternation([rx for rx, width in edges if width > SHORT_LINE], flags),
        cased=_alternation([rx for rx, _ in cased]),
        rules=tuple((rx, rule) for rx, rule, _ in chosen),
        cased_rules=tuple(cased))


def _match_norm(norm: str, rules: RuleSet, lang: str | None, at_edge: bool,
                cased: str | None = None, families: frozenset[str] | None = None
                ) -> Rule | None:
    """The first rule a line matches: ``norm`` is its normalised form, ``cased`` the form
    for cased patterns (None: not tried); with ``families``, the line is beside residue of
    those families: an edges rule of any family may claim it (widgets of several families
    sit together: a form's labels above Akismet's Δ), a beside rule only of those."""
    if not norm:
        return None
    positions = _BESIDE if families is not None else _AT_EDGE if at_edge else _IN_PROSE

    def fits(rule: Rule, langs: tuple[str, ...] | None) -> bool:
        # langs None: the string's language was checked already (_patterns)
        return (langs is None or lang_ok(langs, lang)) and rule.position in positions and \
            (families is None or rule.position == "edges" or rule.family in families)

    for rule, langs in rules.exact.get(line_key(norm), ()):
        if fits(rule, langs):
            return rule
    pats = _patterns(rules, lang)
    short = len(norm) <= SHORT_LINE
    anywhere, edges = (pats.short, pats.short_edges) if short else (pats.long, pats.long_edges)
    if (anywhere is not None and anywhere.fullmatch(norm)) or (
            positions is not _IN_PROSE and edges is not None and edges.fullmatch(norm)):
        for rx, rule in pats.rules:
            if fits(rule, None) and rx.fullmatch(norm):
                return rule
    if cased and pats.cased is not None and pats.cased.fullmatch(cased):
        for rx, rule in pats.cased_rules:
            if fits(rule, None) and rx.fullmatch(cased):
                return rule
    return None


def match_line(line: str, rules: RuleSet, lang: str | None,
               at_edge: bool = True) -> Rule | None:
    """The rule a whole line matches, if any.

    >>> from cleaner.rules import default_rules
    >>> match_line("Leave a Reply", default_rules(), "en").id
    'comments.wp.reply-title'
    """
    return _match_norm(_norm(line), rules, lang, at_edge, _cased(line))


@lru_cache(maxsize=32)
def _phrase_patterns(rules: RuleSet, lang: str | None) -> tuple[
        re.Pattern[str], re.Pattern[str], tuple[tuple[re.Pattern[str], Rule], ...]] | None:
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


def _cut_phrases(line: str, rules: RuleSet, lang: str | None
                 ) -> tuple[Rule, str, str] | None:
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
            if _quoted(text, m.start(), m.end()):
                continue  # 'the "Story continues below advertisement" banners': prose
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


def _quoted(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] stands between quotation marks (spaces allowed inside)."""
    # index, never slice: a copy of the text before each of a million matches is quadratic
    i, j, n = start - 1, end, len(text)
    while i >= 0 and text[i] in _SPACE:
        i -= 1
    while j < n and text[j] in _SPACE:
        j += 1
    return i >= 0 and j < n and text[i] in _QUOTES and text[j] in _QUOTES


def judge_lines(lines: list[str], rules: RuleSet, lang: str | None) -> list[Verdict]:
    """Decide for every line; returns a Verdict for each line that loses text.

    Rules with ``position = "edges"`` fire only before the first or after the last
    prose line (``PROSE_CHARS`` long), where site chrome collects, and on a short line
    next to one that a rule dropped (blank lines between do not count); ``position =
    "beside"`` rules only next to one that a rule of their family dropped.
    """
    verdicts: dict[int, Verdict] = {}
    norms = [_norm(line) for line in lines]
    cased: list[str | None] = [_cased(line) if norm else None for line, norm in
                               zip(lines, norms, strict=True)] \
        if _patterns(rules, lang).cased is not None else [None] * len(lines)
    # a page repeats lines (a thousand "Reply"): each distinct line is matched once
    matched: dict[tuple[str, str | None, bool], Rule | None] = {}

    def match(i: int, at_edge: bool) -> Rule | None:
        key = (norms[i], cased[i], at_edge)
        if key not in matched:
            matched[key] = _match_norm(norms[i], rules, lang, at_edge, cased[i])
        return matched[key]

    cuts: dict[str, tuple[Rule, str, str] | None] = {}
    for i, line in enumerate(lines):
        rule = match(i, False)
        if rule is not None:
            verdicts[i] = Verdict(i, rule, line.strip(), None)
            continue
        if line not in cuts:
            cuts[line] = _cut_phrases(line, rules, lang)
        cut = cuts[line]
        if cut is not None:
            rule, removed, rest = cut
            # what is left may itself be a residue line: "Share (opens in new window)"
            rest_rule = _match_norm(_norm(rest), rules, lang, False) if rest else None
            if rest_rule is not None:
                verdicts[i] = Verdict(i, rest_rule, line.strip(), None)
            else:
                verdicts[i] = Verdict(i, rule, removed, rest or None)
                norms[i] = _norm(rest)
                cased[i] = _cased(rest) if cased[i] is not None else None
    # a line keeps counting as prose with a phrase cut out of it
    prose = [i for i, line in enumerate(lines)
             if (i not in verdicts and len(line.strip()) >= PROSE_CHARS) or
             (i in verdicts and len(verdicts[i].new_text or "") >= PROSE_CHARS)]
    first = prose[0] if prose else len(lines)
    last = prose[-1] if prose else -1
    for i, line in enumerate(lines):
        if first <= i <= last or (i in verdicts and verdicts[i].new_text is None):
            continue
        rule = match(i, True)
        if rule is not None:
            verdicts[i] = Verdict(i, rule, line.strip(), None)
    if verdicts:
        _join_runs(lines, norms, cased, verdicts, rules, lang)
    return [verdicts[i] for i in sorted(verdicts)]


def _join_runs(lines: list[str], norms: list[str], cased: list[str | None],
               verdicts: dict[int, Verdict], rules: RuleSet, lang: str | None) -> None:
    """Edges rules fire on a short line next to a dropped line, beside rules next to one
    of their family: a widget's lines come as a run (a comment's ``Reply`` beside the next
    ``Pat says:``), and widgets of several families sit together (a form above ``Δ``).
    Sweeps both ways until nothing changes, so a run is taken whole from its anchor."""
    filled = [i for i, n in enumerate(norms) if n or lines[i].strip()]
    pos = {i: k for k, i in enumerate(filled)}

    def dropped_family(k: int) -> str | None:
        if 0 <= k < len(filled):
            v = verdicts.get(filled[k])
            if v is not None and v.new_text is None:
                return v.rule.family
        return None

    changed = True
    while changed:
        changed = False
        for order in (filled, filled[::-1]):
            for i in order:
                if i in verdicts or not norms[i] or len(lines[i].strip()) >= PROSE_CHARS:
                    continue
                k = pos[i]
                families = frozenset(f for f in (dropped_family(k - 1), dropped_family(k + 1))
                                     if f is not None)
                if not families:
                    continue
                rule = _match_norm(norms[i], rules, lang, True, cased[i], families)
                if rule is not None:
                    verdicts[i] = Verdict(i, rule, lines[i].strip(), None)
                    changed = True
