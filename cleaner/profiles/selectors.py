"""Site-profile CSS selectors, matched in one walk of the tree: time linear in the page.

A profile's ``body`` and ``strip`` selectors come from users, so their cost must not
depend on how the page is shaped. Translated to one XPath (``descendant-or-self::``
joins), ``h2 ~ div`` walks every preceding sibling of every div, and ``div.content p``
every ancestor of every p: quadratic on 5,000 sections or 2,000 nested boxes. Here each
selector is a chain of compounds; one depth-first walk carries, per element, the set of
chain prefixes that match ending there (a bit mask), so each element is tested against
each compound at most once, whatever the combinators (descendant, ``>``, ``+``, ``~``).

Compounds may hold a type, ``#id``, ``.class``, ``[attr]`` with any CSS operator,
``:not(...)`` of those, and ``:first-child``, ``:last-child``, ``:only-child``,
``:empty``. Everything else (``:nth-child()``, ``:has()``, ``:contains()``,
namespaces, pseudo-elements) is refused when the profile is loaded: its cost or meaning
is not bounded by one test per element.

>>> sel = compile_selectors(("div.story > p", "h2 ~ aside"))
>>> from lxml import etree
>>> root = etree.fromstring("<div class='story'><p>a</p><h2>t</h2><aside>x</aside>"
...                         "<div><p>b</p></div></div>", etree.HTMLParser())
>>> [el.text for el in sel(root)]
['a', 'x']
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cssselect import SelectorError
from cssselect import parse as css_parse
from cssselect.parser import (
    Attrib,
    Class,
    CombinedSelector,
    Element,
    Hash,
    Negation,
    Pseudo,
)

__all__ = ["SelectorSet", "compile_selectors", "UnsupportedSelector"]

_PSEUDO = ("first-child", "last-child", "only-child", "empty")
_COMBINATORS = (" ", ">", "+", "~")


class UnsupportedSelector(ValueError):
    """A selector that cannot be parsed, or that uses what profiles do not support."""


@dataclass(frozen=True)
class _Compound:
    """One compound selector: every test must pass."""

    tag: str | None = None                                  # None: any element
    ids: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    attrs: tuple[tuple[str, str, str | None], ...] = ()     # (name, operator, value)
    pseudo: tuple[str, ...] = ()
    negated: tuple[_Compound, ...] = ()

    def test(self, el: Any) -> bool:
        if self.tag is not None and el.tag != self.tag:
            return False
        get = el.get
        for ident in self.ids:
            if get("id") != ident:
                return False
        if self.classes:
            have = (get("class") or "").split()
            if any(c not in have for c in self.classes):
                return False
        for name, op, value in self.attrs:
            if not _attr_ok(get(name), op, value):
                return False
        for name in self.pseudo:
            if not _pseudo_ok(el, name):
                return False
        return not any(n.test(el) for n in self.negated)


def _attr_ok(have: str | None, op: str, value: str | None) -> bool:
    if op == "exists":
        return have is not None
    if op == "!=":  # cssselect's extension: no such attribute, or another value
        return have != value
    if have is None or value is None:
        return False
    if op == "=":
        return have == value
    if op == "~=":
        return value in have.split()
    if op == "|=":
        return have == value or have.startswith(value + "-")
    if not value:  # ^= $= *= with an empty value match nothing (CSS)
        return False
    if op == "^=":
        return have.startswith(value)
    if op == "$=":
        return have.endswith(value)
    return value in have  # *=


def _sibling(el: Any, preceding: bool) -> Any:
    """The nearest element sibling before (or after) ``el``, or None."""
    for sib in el.itersiblings(preceding=preceding):
        if isinstance(sib.tag, str):
            return sib
    return None


def _pseudo_ok(el: Any, name: str) -> bool:
    if name == "first-child":
        return _sibling(el, True) is None
    if name == "last-child":
        return _sibling(el, False) is None
    if name == "only-child":
        return _sibling(el, True) is None and _sibling(el, False) is None
    return len(el) == 0 and not el.text  # empty


def _compound(tree: Any, css: str) -> _Compound:
    """A cssselect tree without combinators -> _Compound."""
    tag: str | None = None
    ids: list[str] = []
    classes: list[str] = []
    attrs: list[tuple[str, str, str | None]] = []
    pseudo: list[str] = []
    negated: list[_Compound] = []
    node = tree
    while node is not None:
        if isinstance(node, Element):
            if node.namespace:
                raise UnsupportedSelector(f"namespaces are not supported: {css!r}")
            tag = node.element.lower() if node.element and node.element != "*" else None
            break
        if isinstance(node, Hash):
            ids.append(node.id)
        elif isinstance(node, Class):
            classes.append(node.class_name)
        elif isinstance(node, Attrib):
            if node.namespace:
                raise UnsupportedSelector(f"namespaces are not supported: {css!r}")
            value = getattr(node.value, "value", node.value)
            attrs.append((node.attrib.lower(), node.operator,
                          None if value is None else str(value)))
        elif isinstance(node, Pseudo):
            if node.ident.lower() not in _PSEUDO:
                raise UnsupportedSelector(
                    f":{node.ident} is not supported in profile selectors (only "
                    f"{', '.join(':' + p for p in _PSEUDO)}): {css!r}")
            pseudo.append(node.ident.lower())
        elif isinstance(node, Negation):
            if isinstance(node.subselector, CombinedSelector):
                raise UnsupportedSelector(f":not() takes one compound selector: {css!r}")
            negated.append(_compound(node.subselector, css))
        else:  # Function (:nth-child, :contains), Relation (:has), Matching (:is)...
            raise UnsupportedSelector(
                f"{type(node).__name__.lower()} selectors are not supported in profiles "
                f"(their cost is not one test per element): {css!r}")
        node = getattr(node, "selector", None)
    return _Compound(tag, tuple(ids), tuple(classes), tuple(attrs), tuple(pseudo),
                     tuple(negated))


def _chain(tree: Any, css: str) -> list[tuple[str, _Compound]]:
    """A selector -> [(combinator before it, compound)], leftmost first ("" for the first)."""
    out: list[tuple[str, _Compound]] = []
    while isinstance(tree, CombinedSelector):
        if tree.combinator not in _COMBINATORS:
            raise UnsupportedSelector(f"combinator {tree.combinator!r} is not supported: "
                                      f"{css!r}")
        out.append((tree.combinator, _compound(tree.subselector, css)))
        tree = tree.selector
    out.append(("", _compound(tree, css)))
    out.reverse()
    return out


class SelectorSet:
    """Compiled selectors: call with an element to get every element at or below it that
    matches one of them, in document order (like ``descendant-or-self::`` XPath)."""

    def __init__(self, selectors: tuple[str, ...]) -> None:
        self.selectors = selectors
        # one bit per chain position, over all selectors; bit b tests compound b and
        # needs bit b-1 through the combinator (none for a chain's first compound)
        self._steps: list[tuple[_Compound, str, bool]] = []   # (compound, combinator, last)
        for css in selectors:
            try:
                parsed = css_parse(css)
            except SelectorError as exc:
                raise UnsupportedSelector(f"bad CSS selector {css!r}: {exc}") from None
            except UnicodeEncodeError:  # cssselect lower-cases names through UTF-8
                raise UnsupportedSelector(f"bad CSS selector {css!r}: a lone surrogate") \
                    from None
            for sel in parsed:
                if sel.pseudo_element:
                    raise UnsupportedSelector(f"pseudo-elements are not supported: {css!r}")
                chain = _chain(sel.parsed_tree, css)
                for i, (comb, comp) in enumerate(chain):
                    self._steps.append((comp, comb, i == len(chain) - 1))
        self._final = sum(1 << b for b, (_, _, last) in enumerate(self._steps) if last)
        self._uses_siblings = any(comb in ("+", "~") for _, comb, _ in self._steps)

    def _state(self, el: Any, up: int, parent: int, prev: int, before: int) -> int:
        """The chain prefixes matching at ``el``: ``up`` holds the bits of its ancestors,
        ``parent`` its parent's, ``prev`` its previous sibling's, ``before`` all its
        previous siblings'."""
        state = 0
        for b, (comp, comb, _) in enumerate(self._steps):
            if comb:
                need = 1 << (b - 1)
                have = up if comb == " " else parent if comb == ">" else \
                    prev if comb == "+" else before
                if not have & need:
                    continue
            if comp.test(el):
                state |= 1 << b
        return state

    def __call__(self, root: Any) -> list[Any]:
        if not self._steps:
            return []
        found: list[Any] = []
        final = self._final
        state = self._state(root, 0, 0, 0, 0)
        if state & final:
            found.append(root)
        # a stack of (children iterator, ancestors' bits below it, parent's bits,
        # previous sibling's bits, all previous siblings' bits)
        stack: list[list[Any]] = [[_children(root), state, state, 0, 0]]
        while stack:
            frame = stack[-1]
            child = next(frame[0], None)
            if child is None:
                stack.pop()
                continue
            up, parent, prev, before = frame[1], frame[2], frame[3], frame[4]
            state = self._state(child, up, parent, prev, before)
            if state & final:
                found.append(child)
            if self._uses_siblings:
                frame[3], frame[4] = state, before | state
            stack.append([_children(child), up | state, state, 0, 0])
        return found


def _children(el: Any) -> Iterator[Any]:
    return (c for c in el if isinstance(c.tag, str))


@lru_cache(maxsize=64)
def compile_selectors(selectors: tuple[str, ...]) -> SelectorSet:
    """The selectors compiled once (per process); UnsupportedSelector names the bad one."""
    return SelectorSet(selectors)

