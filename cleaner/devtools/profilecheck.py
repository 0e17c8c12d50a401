"""Runs every site profile's examples (``cleaner profile test DIR``), so a taught rule
keeps doing what it was taught to do.

A profile's examples are tried on two kinds of page, each cleaned with that profile:

* **the example wrapped in a page**: a ``strip_text`` line as a paragraph of a realistic
  article page (:func:`.rulecheck.article_page`), a rule's ``drop_html`` / ``keep_html``
  markup in the same place (when the rule's selector matches it there: a selector that
  leans on the site's page structure cannot, and is tried on the site's pages only);
* **the profile's test pages**: the fixtures whose ``meta.json`` names the profile, or
  whose URL is on its host; an example is tried on the pages whose text holds it.

A ``strip`` or ``strip_text`` example must be gone from the clean text, a ``keep``
example must be in it. Text is compared without spaces and letter case, so a box's text
counts however its blocks were split into lines; an example under SHORT_EXAMPLE characters
must match a whole block to count as left.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html import escape

import lxml.html

from ..dom import spaced_text_of
from ..errors import CleanerError
from ..pipeline import clean_article, parse_page
from ..profiles import Profile, select
from ..result import CleanResult
from ..textnorm import normalize_line
from .fixtures import Fixture, fixtures_root, list_fixtures, load_fixture
from .rulecheck import article_page

__all__ = ["ProfileFailure", "ProfileReport", "run_profile_examples", "pages_for", "check_profile",
           "SHORT_EXAMPLE"]

SHORT_EXAMPLE = 30
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class ProfileFailure:
    """One example that did not behave as its profile rule says."""

    profile: str
    rule: str          # "rule 2 (strip aside.promo)", "strip_text 1"
    kind: str          # drop_example, keep_example
    example: str
    problem: str

    def __str__(self) -> str:
        ex = self.example if len(self.example) <= 80 else self.example[:77] + "..."
        return f"{self.profile} {self.rule} [{self.kind}] {ex!r}: {self.problem}"


@dataclass
class ProfileReport:
    """What a run checked: ``failures``, how many examples were tried (``checked``), and
    ``notes`` on examples that had no page to be tried on."""

    failures: list[ProfileFailure] = field(default_factory=list)
    checked: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def _squash(text: str) -> str:
    return _SPACE.sub("", normalize_line(text))


class _Output:
    """A cleaned page's text, as the checks compare it."""

    def __init__(self, result: CleanResult) -> None:
        self.blocks = {normalize_line(b.text) for b in result.blocks}
        self.squashed = "".join(_squash(b.text) for b in result.blocks)

    def holds(self, example: str) -> bool:
        want = _squash(example)
        if not want or want not in self.squashed:
            return False
        return len(example) >= SHORT_EXAMPLE or normalize_line(example) in self.blocks


@dataclass
class _Page:
    label: str
    data: bytes | str
    url: str | None
    content_type: str | None = None
    _text: str | None = None

    def text(self) -> str:
        """The page's own text, squashed (which examples it holds)."""
        if self._text is None:
            root = parse_page(self.data, self.url, headers=self._headers())
            self._text = _squash(spaced_text_of(root)) if root is not None else ""
        return self._text

    def _headers(self) -> dict[str, str] | None:
        return {"content-type": self.content_type} if self.content_type else None

    def clean(self, profile: Profile) -> _Output:
        return _Output(clean_article(self.data, self.url, profile=profile,
                                     headers=self._headers()))


def _for_profile(fx: Fixture, profile: Profile) -> bool:
    named = fx.profile
    if named:
        return named in (profile.name, profile.host)
    return profile.matches(fx.url)


def pages_for(profile: Profile, root: str | os.PathLike[str] | None = None) -> list[Fixture]:
    """The fixtures under ``root`` that test ``profile``: those naming it, or on its host
    ([] when the folder is missing)."""
    if not fixtures_root(root).is_dir():
        return []
    out = []
    for name in list_fixtures(root):
        try:
            fx = load_fixture(name, root)
        except CleanerError:
            continue
        if _for_profile(fx, profile):
            out.append(fx)
    return out


def _wrapped(profile: Profile, snippet: str) -> _Page:
    url = f"https://{profile.host}/profile-example" if profile.host else None
    return _Page("the example in a page", article_page(snippet), url)


def _matches_in_page(css: str, page: _Page) -> bool:
    root = lxml.html.document_fromstring(page.data)
    return bool(select(root, css))


def _cases(profile: Profile) -> Iterator[tuple[str, str, tuple[str, ...], tuple[str, ...],
                                               str | None]]:
    """(rule label, kind, examples, markup examples, selector) for every rule with
    examples: taught rules, and the profile's plain strip_text lines (each its own)."""
    for n, rule in enumerate(profile.rules, 1):
        label = f"rule {n} ({rule.kind} {rule.value})"
        if rule.kind == "keep":
            yield label, "keep_example", rule.keep_examples, rule.keep_html, rule.value
        elif rule.kind == "strip":
            yield label, "drop_example", rule.drop_examples, rule.drop_html, rule.value
        else:
            yield (label, "drop_example", rule.drop_examples or (rule.value,),
                   tuple(f"<p>{escape(x)}</p>" for x in rule.drop_examples or (rule.value,)),
                   None)
    for n, line in enumerate(profile.strip_text, 1):
        yield f"strip_text {n}", "drop_example", (line,), (f"<p>{escape(line)}</p>",), None


def check_profile(profile: Profile, root: str | os.PathLike[str] | None = None,
                  report: ProfileReport | None = None) -> ProfileReport:
    """Run one profile's examples on its wrapped examples and its test pages (the
    fixtures under ``root``: ``$CLEANER_FIXTURES`` or ./fixtures by default)."""
    report = report if report is not None else ProfileReport()
    fixtures = [_Page(f"fixture {fx.name}", fx.input_bytes, fx.url,
                      fx.meta.get("content_type")) for fx in pages_for(profile, root)]
    outputs: dict[int, tuple[_Page, _Output]] = {}   # the page is held: ids are reused

    def output(page: _Page) -> _Output:
        if id(page) not in outputs:
            outputs[id(page)] = (page, page.clean(profile))
        return outputs[id(page)][1]

    for label, kind, examples, markup, css in _cases(profile):
        wrapped = [_wrapped(profile, snippet) for snippet in markup]
        if css is not None:
            wrapped = [p for p in wrapped if _matches_in_page(css, p)]
        for example in examples:
            pages = wrapped + [p for p in fixtures if _squash(example) in p.text()]
            if not pages:
                report.notes.append(f"{profile.name} {label}: no page holds the example "
                                    f"{example[:60]!r} (add a fixture of the site)")
                continue
            report.checked += 1
            for page in pages:
                there = output(page).holds(example)
                if kind == "drop_example" and there:
                    problem = f"still in the clean text of {page.label}"
                elif kind == "keep_example" and not there:
                    problem = f"missing from the clean text of {page.label}"
                else:
                    continue
                report.failures.append(ProfileFailure(profile.name, label, kind, example,
                                                      problem))
                break
    return report


def run_profile_examples(profiles: Iterable[Profile],
                         fixtures: str | os.PathLike[str] | None = None) -> ProfileReport:
    """Run the examples of every profile in ``profiles`` against its wrapped examples and
    the fixtures under ``fixtures`` (default: ``$CLEANER_FIXTURES`` or ./fixtures)."""
    report = ProfileReport()
    for profile in profiles:
        check_profile(profile, fixtures, report)
    return report
