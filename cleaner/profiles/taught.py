"""Rules taught to a site profile one at a time (``[[rule]]`` in its file), each with the
reason a person gave and the example it was made from.

A profile's top-level lists (``strip``, ``keep``, ``strip_text``) say *what*; a taught rule
also says *why* and keeps its example, so ``cleaner profile test`` can check it::

    [[rule]]
    strip = "aside.shop-box"              # exactly one of strip / keep / strip_text
    why = "the shop's calendar promo"     # the reason its removals carry
    drop_examples = ["Buy our calendar: twelve photos of the pier."]
    drop_html = ['<aside class="shop-box"><p>Buy our calendar: ...</p></aside>']

``keep`` rules carry ``keep_examples`` / ``keep_html`` instead. Removals made by a taught
rule have the profile's name as their family and ``why`` as their reason.

>>> r = ProfileRule("strip_text", "Read more at Example News", why="the site's sign-off")
>>> r.examples
()
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml import etree

from ..errors import ProfileError
from .selectors import UnsupportedSelector, compile_selectors

__all__ = ["ProfileRule", "KINDS", "read_rules", "check_rule", "select", "MAX_SELECTOR",
           "MAX_LINE", "MAX_EXAMPLE", "MAX_HTML"]

KINDS = ("strip", "keep", "strip_text")
MAX_SELECTOR = 300      # characters of one taught selector
MAX_LINE = 500          # characters of one taught line
MAX_EXAMPLE = 500       # characters of an example's text (longer ones are cut)
MAX_HTML = 4000         # characters of an example's markup (longer ones are not kept)
_LISTS = ("drop_examples", "keep_examples", "drop_html", "keep_html")
_KEYS = frozenset({*KINDS, "why", *_LISTS})


@dataclass(frozen=True)
class ProfileRule:
    """One taught rule: ``kind`` (strip, keep or strip_text), its selector or line,
    the reason, and its examples (text, and the markup it came from)."""

    kind: str
    value: str
    why: str = ""
    drop_examples: tuple[str, ...] = ()
    keep_examples: tuple[str, ...] = ()
    drop_html: tuple[str, ...] = ()
    keep_html: tuple[str, ...] = ()

    @property
    def examples(self) -> tuple[str, ...]:
        """Every example text, dropped and kept."""
        return self.drop_examples + self.keep_examples

    def rule_id(self, profile: str, n: int) -> str:
        """The id its removals carry: ``profile.<name>.<kind>.<n>`` (n from 1)."""
        return f"profile.{profile}.{self.kind}.{n}"

    def to_dict(self) -> dict[str, Any]:
        """The rule as its ``[[rule]]`` table holds it (empty lists left out)."""
        out: dict[str, Any] = {self.kind: self.value}
        if self.why:
            out["why"] = self.why
        for key in _LISTS:
            if getattr(self, key):
                out[key] = list(getattr(self, key))
        return out


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProfileError(f"{where} must be a string or a list of strings")
    return tuple(value)


def read_rules(value: Any, filename: str) -> tuple[ProfileRule, ...]:
    """The ``[[rule]]`` tables of a profile file, checked: every key known and of its
    type, one kind per rule. Errors name the file, the rule's number and the key."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ProfileError(f"{filename}: 'rule' must be an array of tables ([[rule]])")
    rules = []
    for n, raw in enumerate(value, 1):
        where = f"{filename}: rule {n}"
        unknown = sorted(set(raw) - _KEYS)
        if unknown:
            raise ProfileError(f"{where}: unknown key(s) {unknown}; a rule has one of "
                               f"{', '.join(KINDS)}, and why, {', '.join(_LISTS)}")
        kinds = [k for k in KINDS if k in raw]
        if len(kinds) != 1:
            raise ProfileError(f"{where}: give exactly one of {', '.join(KINDS)}")
        kind = kinds[0]
        if not isinstance(raw[kind], str) or not raw[kind].strip():
            raise ProfileError(f"{where}: '{kind}' must be a non-empty string")
        why = raw.get("why", "")
        if not isinstance(why, str):
            raise ProfileError(f"{where}: 'why' must be a string")
        lists = {key: _strings(raw.get(key, []), f"{where}: '{key}'") for key in _LISTS}
        rule = ProfileRule(kind, raw[kind], why, **lists)
        check_rule(rule, where)
        rules.append(rule)
    return tuple(rules)


def check_rule(rule: ProfileRule, where: str = "rule") -> ProfileRule:
    """``rule`` if its selector compiles (and is short) or its line is one line; else a
    ProfileError that names ``where``."""
    if rule.kind not in KINDS:
        raise ProfileError(f"{where}: unknown kind {rule.kind!r}; use one of "
                           f"{', '.join(KINDS)}")
    value = rule.value
    if rule.kind == "strip_text":
        if not value.strip() or "\n" in value or "\r" in value or len(value) > MAX_LINE:
            raise ProfileError(f"{where}: 'strip_text' must be one line of text, up to "
                               f"{MAX_LINE} characters")
        return rule
    if not value.strip() or len(value) > MAX_SELECTOR:
        raise ProfileError(f"{where}: '{rule.kind}' must be a CSS selector of up to "
                           f"{MAX_SELECTOR} characters")
    try:
        compile_selectors((value,))
    except UnsupportedSelector as exc:
        raise ProfileError(f"{where}: '{rule.kind}': {exc}") from None
    return rule


def select(root: etree._Element, css: str) -> list[etree._Element]:
    """The elements under ``root`` (itself included) that ``css`` matches, as a
    profile's selectors match them; a ProfileError for a selector that does not compile.

    >>> from lxml import etree
    >>> root = etree.fromstring("<div><p class='a'>x</p><p>y</p></div>")
    >>> [p.text for p in select(root, "p.a")]
    ['x']
    """
    try:
        found = compile_selectors((css,))(root)
    except UnsupportedSelector as exc:
        raise ProfileError(str(exc)) from None
    return [el for el in found if isinstance(el, etree._Element) and isinstance(el.tag, str)]
