"""Residue rules as data: one TOML file per family in this folder, loaded and compiled once.

A rule (see ARCHITECTURE.md for every field)::

    [[rule]]
    id = "form.gravity.legend"
    why = "Gravity Forms required-fields legend"
    select = ["div.gform_wrapper"]            # CSS: remove matching elements (HTML layer)
    lines = ['"*" indicates required fields']  # exact whole lines (text layer, normalised)
    patterns = ['"?{glyph}"? indicates required fields']   # whole-line regexes
    phrases = []                               # long substrings cut out of a line
    cased_patterns = []                        # whole-line regexes that see letter case
    langs = ["en"]                             # text strings' language; "*" = any

``cased_patterns`` are whole-line regexes for residue that only its letter case tells
from prose (a related-list headline ending ``MAY 3, 2024``): they see the line as written,
spaces collapsed, and are matched case-sensitively (no quote straightening, no NFKC).

``lines``, ``patterns``, ``phrases`` and ``cased_patterns`` may also be tables keyed by
language, so one rule holds every translation and each string fires only on its own
language (key ``"*"``: a string that fires in every language)::

    [rule.lines]
    en = ["Leave a Reply"]
    de = ["Schreibe einen Kommentar"]
    position = "anywhere"                      # "edges": only before/after the prose or
                                               # beside residue; "beside": only beside it
    drop_examples = ['"*" indicates required fields']
    keep_examples = ["On the new form, required fields are marked with an asterisk."]
    drop_html = ['<div class="gform_wrapper">...</div>']
    keep_html = []
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from cssselect import HTMLTranslator, SelectorError
from cssselect import parse as css_parse
from cssselect.parser import Class, CombinedSelector, Element, Hash
from lxml import etree

from ..errors import RuleError
from ..textnorm import normalize_line

__all__ = ["Rule", "RuleSet", "load_rules", "default_rules", "compile_selector",
           "lang_ok", "line_key", "PLACEHOLDERS", "POSITIONS", "RULES_DIR"]

RULES_DIR = Path(__file__).parent

# placeholders usable in text patterns
PLACEHOLDERS = {
    "{site}": r".{1,80}?",
    "{title}": r".{1,200}?",
    "{name}": r".{1,60}?",
    "{n}": r"[\d.,\s]{1,12}",
    "{glyph}": r"\S{1,14}",
}
# where a rule's text strings fire: anywhere; before the first or after the last prose line
# or beside a line a rule dropped ("edges"); only beside one of its family ("beside")
POSITIONS = ("anywhere", "edges", "beside")
_FIELDS = {"id", "family", "why", "select", "lines", "patterns", "phrases", "cased_patterns",
           "langs", "position",
           "drop_examples", "keep_examples", "drop_html", "keep_html", "comment_content",
           "max_share"}


@dataclass(frozen=True)
class Rule:
    """One residue rule. ``select`` works on HTML; ``lines``/``patterns``/``phrases`` on text."""

    id: str
    family: str
    why: str
    select: tuple[str, ...] = ()
    lines: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    cased_patterns: tuple[str, ...] = ()
    langs: tuple[str, ...] = ("*",)
    position: str = "anywhere"
    drop_examples: tuple[str, ...] = ()
    keep_examples: tuple[str, ...] = ()
    drop_html: tuple[str, ...] = ()
    keep_html: tuple[str, ...] = ()
    comment_content: bool = False   # removes reader comments themselves (kept on request)
    max_share: float = 0.5          # never remove an element holding more of the page text
    source: str = ""
    string_langs: tuple[tuple[str, str], ...] = ()  # (string, its language) when given per language

    def applies_to(self, lang: str | None) -> bool:
        """Whether the rule's text strings may fire on text in ``lang`` (None: unknown)."""
        return lang is None or "*" in self.langs or lang in self.langs

    def langs_of(self, string: str) -> tuple[str, ...]:
        """The languages one of the rule's strings is written in (every table that lists
        it: "Name *" is both an English and a German label)."""
        found = tuple(lang for s, lang in self.string_langs if s == string)
        return found or self.langs


_TRAILING = " .:…!?»›→-–—|"


def line_key(norm: str) -> str:
    """The exact-line lookup key: a normalised line without trailing punctuation, so
    "Share this:", "Share this" and "You may also like..." find their rule."""
    return norm.rstrip(_TRAILING) or norm


def lang_ok(langs: tuple[str, ...], lang: str | None) -> bool:
    """Whether a string in ``langs`` may fire on text in ``lang`` (None: unknown)."""
    return lang is None or "*" in langs or lang in langs


_translator = HTMLTranslator()
_AXIS = {" ": "ancestor::", ">": "parent::", "+": "preceding-sibling::*[1]/self::",
         "~": "preceding-sibling::"}


def _compound(tree: Any) -> str:
    return str(_translator.xpath(tree))


def _relative(tree: Any, axis: str) -> str:
    if isinstance(tree, CombinedSelector):
        inner = _relative(tree.selector, _AXIS[tree.combinator])
        return f"{axis}{_compound(tree.subselector)}[{inner}]"
    return axis + _compound(tree)


def _key(tree: Any) -> tuple[str, str]:
    """The index key of a selector's rightmost compound: id, class or tag."""
    node = tree.subselector if isinstance(tree, CombinedSelector) else tree
    found: tuple[str, str] | None = None
    while node is not None:
        if isinstance(node, Hash):
            return ("id", node.id)
        if isinstance(node, Class) and found is None:
            found = ("class", node.class_name)
        if isinstance(node, Element):
            return found or ("tag", (node.element or "*").lower())
        node = getattr(node, "selector", None)
    return found or ("tag", "*")


def compile_selector(css: str) -> list[tuple[tuple[str, str], etree.XPath]]:
    """CSS -> [(index key, XPath that tests whether the context element matches)]."""
    try:
        selectors = css_parse(css)
    except SelectorError as exc:
        raise RuleError(f"bad CSS selector {css!r}: {exc}") from None
    out = []
    for sel in selectors:
        if sel.pseudo_element:
            raise RuleError(f"pseudo-elements are not supported: {css!r}")
        tree = sel.parsed_tree
        try:
            xp = etree.XPath("boolean(" + _relative(tree, "self::") + ")")
        except (etree.XPathSyntaxError, Exception) as exc:  # cssselect may refuse some pseudo
            raise RuleError(f"cannot compile selector {css!r}: {exc}") from None
        out.append((_key(tree), xp))
    return out


def _as_tuple(value: Any, field: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise RuleError(f"{where}: '{field}' must be a string or a list of strings")


def _make_rule(raw: dict[str, Any], family: str, source: str) -> Rule:
    where = f"{source} rule {raw.get('id', '?')}"
    unknown = set(raw) - _FIELDS
    if unknown:
        raise RuleError(f"{where}: unknown field(s) {sorted(unknown)}")
    if not raw.get("id") or not raw.get("why"):
        raise RuleError(f"{where}: every rule needs an 'id' and a 'why'")
    position = raw.get("position", "anywhere")
    if position not in POSITIONS:
        raise RuleError(f"{where}: position must be 'anywhere', 'edges' or 'beside'")
    string_langs: list[tuple[str, str]] = []
    raw = dict(raw)
    for f in ("lines", "patterns", "phrases", "cased_patterns"):
        value = raw.get(f)
        if isinstance(value, dict):
            flat: list[str] = []
            for lang, strings in value.items():
                for string in _as_tuple(strings, f"{f}.{lang}", where):
                    flat.append(string)
                    string_langs.append((string, lang))
            raw[f] = flat
    kw = {f: _as_tuple(raw.get(f), f, where) for f in
          ("select", "lines", "patterns", "phrases", "cased_patterns", "drop_examples",
           "keep_examples", "drop_html", "keep_html")}
    default_langs = sorted({lang for _, lang in string_langs}) or ["*"]
    langs = _as_tuple(raw.get("langs", default_langs), "langs", where) or ("*",)
    return Rule(id=raw["id"], family=raw.get("family", family), why=raw["why"],
                langs=langs, position=position,
                comment_content=bool(raw.get("comment_content", False)),
                max_share=float(raw.get("max_share", 0.5)), source=source,
                string_langs=tuple(string_langs), **kw)


def load_rule_file(path: Path) -> list[Rule]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RuleError(f"cannot read rule file {path}: {exc}") from None
    except RecursionError:  # "a = [[[[...": nested deeper than tomllib's stack
        raise RuleError(f"cannot read rule file {path}: nested too deep") from None
    family = data.get("family", path.stem)
    return [_make_rule(r, family, path.name) for r in data.get("rule", [])]


SHORT_LINE = 160        # lines up to this long are tried against every pattern
_UNBOUNDED = 1 << 30


def _max_width(compiled: re.Pattern[str]) -> int:
    """The longest text a pattern can match; an unbounded pattern (``[\\w]+``) counts as
    a short-line pattern, which is what such patterns are written for."""
    try:
        import re._parser as sre_parse  # type: ignore[import-not-found]  # stdlib, 3.11+
        width = sre_parse.parse(compiled.pattern, compiled.flags).getwidth()[1]
    except Exception:
        return SHORT_LINE
    return SHORT_LINE if width >= _UNBOUNDED else width


def _expand(pattern: str) -> str:
    # patterns are written against normalised lines: straight quotes, one space, NFKC
    p = pattern
    for ph, rx in PLACEHOLDERS.items():
        p = p.replace(ph, rx)
    return p


class RuleSet:
    """Rules compiled for both layers. Immutable after construction; safe to share."""

    def __init__(self, rules: Iterable[Rule]):
        self.rules: tuple[Rule, ...] = tuple(rules)
        ids = [r.id for r in self.rules]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise RuleError(f"duplicate rule ids: {sorted(dupes)}")
        self.by_id = {r.id: r for r in self.rules}
        # HTML layer: selector tests indexed by the rightmost compound's id/class/tag
        self.by_id_attr: dict[str, list[tuple[Rule, Any]]] = {}
        self.by_class: dict[str, list[tuple[Rule, Any]]] = {}
        self.by_tag: dict[str, list[tuple[Rule, Any]]] = {}
        for rule in self.rules:
            for css in rule.select:
                for (kind, name), test in compile_selector(css):
                    index = {"id": self.by_id_attr, "class": self.by_class,
                             "tag": self.by_tag}[kind]
                    index.setdefault(name, []).append((rule, test))
        # text layer: exact lines, one alternation of whole-line patterns, phrases; each
        # string keeps its languages: (rule, langs)
        self.exact: dict[str, list[tuple[Rule, tuple[str, ...]]]] = {}
        alts: list[tuple[int, str]] = []
        self.pattern_rules: list[tuple[re.Pattern[str], Rule, tuple[str, ...]]] = []
        self.pattern_widths: list[int] = []  # the longest line each pattern can match
        phrase_alts: list[str] = []
        self.phrase_rules: list[tuple[re.Pattern[str], Rule, tuple[str, ...]]] = []
        cased_alts: list[str] = []
        self.cased_rules: list[tuple[re.Pattern[str], Rule, tuple[str, ...]]] = []
        for rule in self.rules:
            for line in rule.lines:
                self.exact.setdefault(line_key(normalize_line(line)), []).append(
                    (rule, rule.langs_of(line)))
            for pat in rule.patterns:
                rx = _expand(pat)
                try:
                    compiled = re.compile(rx, re.I | re.S)
                except re.error as exc:
                    raise RuleError(f"rule {rule.id}: bad pattern {pat!r}: {exc}") from None
                self.pattern_rules.append((compiled, rule, rule.langs_of(pat)))
                self.pattern_widths.append(_max_width(compiled))
                alts.append((self.pattern_widths[-1], f"(?:{rx})"))
            for phrase in rule.phrases:
                words = normalize_line(phrase).split(" ")
                if len(words) < 3:
                    raise RuleError(f"rule {rule.id}: phrase {phrase!r} is too short to cut "
                                    "out of a line (3 words at least)")
                rx = r"[\s\u00a0]*".join(_flex_word(w) for w in words)
                self.phrase_rules.append((re.compile(rx, re.I), rule, rule.langs_of(phrase)))
                phrase_alts.append(rx)
            for pat in rule.cased_patterns:
                rx = _expand(pat)
                try:
                    compiled = re.compile(rx, re.S)  # case-sensitive on purpose
                except re.error as exc:
                    raise RuleError(f"rule {rule.id}: bad pattern {pat!r}: {exc}") from None
                self.cased_rules.append((compiled, rule, rule.langs_of(pat)))
                cased_alts.append(f"(?:{rx})")
        self._alts, self._phrase_alts, self._cased_alts = alts, phrase_alts, cased_alts
        # a phrase can only match a line holding its longest word: a cheap first test
        self.phrase_keys = tuple(sorted({max(re.findall(r"\w+", normalize_line(p)), key=len)
                                         for r in self.rules for p in r.phrases}))

    # every language's patterns as one alternation, compiled on first use: the text layer
    # compiles the alternation of a page's own language instead (textrules._patterns)
    @cached_property
    def any_pattern(self) -> re.Pattern[str] | None:
        """All whole-line patterns, for lines up to SHORT_LINE long."""
        return re.compile("|".join(a for _, a in self._alts), re.I | re.S) \
            if self._alts else None

    @cached_property
    def any_long_pattern(self) -> re.Pattern[str] | None:
        """The few patterns long enough for longer lines (cookie and consent sentences)."""
        longs = [a for width, a in self._alts if width > SHORT_LINE]
        return re.compile("|".join(longs), re.I | re.S) if longs else None

    @cached_property
    def any_phrase(self) -> re.Pattern[str] | None:
        return re.compile("|".join(self._phrase_alts), re.I) if self._phrase_alts else None

    @cached_property
    def any_cased(self) -> re.Pattern[str] | None:
        return re.compile("|".join(self._cased_alts), re.S) if self._cased_alts else None

    def families(self) -> list[str]:
        return sorted({r.family for r in self.rules})


_FLEX = {'"': "[\"\u201c\u201d\u201e\u00ab\u00bb]", "'": "['\u2018\u2019]", "-": "[-\u2013\u2014]"}


def _flex_word(word: str) -> str:
    return "".join(_FLEX.get(ch, re.escape(ch)) for ch in word)


def load_rules(paths: Iterable[Path] | None = None) -> RuleSet:
    """Load rule files (default: every ``*.toml`` in this folder) into a RuleSet."""
    files = sorted(paths) if paths is not None else sorted(RULES_DIR.glob("*.toml"))
    rules: list[Rule] = []
    for path in files:
        rules.extend(load_rule_file(Path(path)))
    return RuleSet(rules)


@lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    """The bundled rules, compiled once per process."""
    return load_rules()
