"""Site profiles: per-host TOML files that pin the body and strip site-specific residue.

A profile (``example.com.toml``)::

    host = "example.com"               # also matches www.example.com, news.example.com
    body = ["div.article-body"]        # CSS: the article body (overrides scoring)
    strip = ["div.promo-box"]          # CSS: removed before extraction
    strip_text = ["Read more at Example News"]   # whole lines dropped from the text
    keep = ["figure.chart"]            # CSS: never removed; a kept box holding the body is it
    test_urls = ["https://example.com/news/1"]

    [[rule]]                           # a taught rule: one selector or line, why, examples
    strip = "aside.shop-box"
    why = "the shop's calendar promo"
    drop_examples = ["Buy our calendar"]

Taught rules (:mod:`.taught`) are what the preview writes (:mod:`.write`); their removals
carry the profile's name as their family and ``why`` as their reason.

Profiles are looked up in the bundled folder, then in ``CLEANER_PROFILES`` and any
folder passed as ``profiles_dir`` (later folders win for the same host).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import ProfileError
from ..rules import Rule
from ..textnorm import normalize_line
from .selectors import SelectorSet, UnsupportedSelector, compile_selectors
from .taught import MAX_SELECTOR, ProfileRule, check_rule, read_rules, select
from .write import append_rule, example_html, example_text, profile_file, rule_toml, site_host

__all__ = ["Profile", "load_profile", "load_profiles", "find_profile", "PROFILES_DIR",
           "PROFILES_ENV", "ProfileRule", "select", "site_host", "profile_file",
           "add_rule", "with_rule", "rule_toml", "example_html", "example_text"]

PROFILES_DIR = Path(__file__).parent   # the bundled profiles: *.toml beside this file
PROFILES_ENV = "CLEANER_PROFILES"   # more profile folders, separated like PATH
_FIELDS = frozenset({"host", "body", "strip", "strip_text", "test_urls", "notes", "name",
                     "keep", "rule"})


_TEXT_FIELDS = ("name", "host", "notes")
_LIST_FIELDS = ("body", "strip", "strip_text", "test_urls", "keep")
_SELECTOR_FIELDS = ("body", "strip", "keep")
_NOT_IN_HOST = re.compile(r"[\s/\\?#@\[\]<>\"']")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Profile:
    """One site's rules. Same vocabulary as the residue rules: select, strip, text.

    Checked when made: every field of its type, a host name, and selectors that compile
    to a bounded matcher (see :mod:`.selectors`); else :class:`ProfileError`.
    """

    name: str
    host: str
    body: tuple[str, ...] = ()
    strip: tuple[str, ...] = ()
    strip_text: tuple[str, ...] = ()
    test_urls: tuple[str, ...] = ()
    notes: str = ""
    source: str = ""
    keep: tuple[str, ...] = ()             # CSS: never removed (see keep_xpath)
    rules: tuple[ProfileRule, ...] = ()    # taught rules ([[rule]]), in file order

    def __post_init__(self) -> None:
        for key in (*_TEXT_FIELDS, "source"):
            if not isinstance(getattr(self, key), str):
                raise ProfileError(f"'{key}' must be a string, "
                                   f"got {type(getattr(self, key)).__name__}")
        for key in _LIST_FIELDS:
            value = getattr(self, key)
            if not isinstance(value, tuple) or not all(isinstance(v, str) for v in value):
                raise ProfileError(f"'{key}' must be a tuple of strings, got {value!r:.80}")
        if not self.name:
            raise ProfileError("'name' must not be empty")
        host = _host(self.host)  # "News.Example.org." -> "news.example.org"
        if not host or "://" in self.host or _NOT_IN_HOST.search(host):
            raise ProfileError(f"'host' must be a host name (example.com), got {self.host!r}")
        object.__setattr__(self, "host", host)
        for key in _SELECTOR_FIELDS:
            for css in getattr(self, key):
                if len(css) > MAX_SELECTOR:  # a matcher's cost grows with its selector
                    raise ProfileError(f"'{key}': a selector of {len(css):,} characters; "
                                       f"the limit is {MAX_SELECTOR}")
                try:
                    compile_selectors((css,))
                except UnsupportedSelector as exc:
                    raise ProfileError(f"'{key}': {exc}") from None  # exc names the selector
        if not isinstance(self.rules, tuple) or \
                not all(isinstance(r, ProfileRule) for r in self.rules):
            raise ProfileError("'rules' must be a tuple of taught rules")
        # names and reasons end up in every removal record: they must encode as UTF-8
        texts = [getattr(self, k) for k in (*_TEXT_FIELDS, "source")]
        texts += [v for k in _LIST_FIELDS for v in getattr(self, k)]
        texts += [t for r in self.rules for t in (r.kind, r.value, r.why, *r.drop_examples,
                                                   *r.keep_examples, *r.drop_html, *r.keep_html)]
        for text in texts:
            if isinstance(text, str) and _SURROGATE.search(text):
                raise ProfileError(f"a lone surrogate in {text!r:.80}: a profile is text")

    def matches(self, url_or_host: str | None) -> bool:
        host = _host(url_or_host)
        return bool(host) and (host == self.host or host.endswith("." + self.host))

    def body_xpath(self) -> SelectorSet:
        """The body selectors as one matcher: ``matcher(root)`` lists the elements."""
        return compile_selectors(self.body)

    def strip_rules(self) -> list[tuple[Rule, SelectorSet]]:
        """(rule, matcher) for :func:`cleaner.prune.prune`'s ``extra``: the ``strip``
        list (family ``profile``), then each taught strip rule (family: the profile)."""
        out: list[tuple[Rule, SelectorSet]] = []
        if self.strip:
            rule = Rule(id=f"profile.{self.name}.strip", family="profile",
                        why=f"stripped by the site profile for {self.host}")
            out.append((rule, compile_selectors(self.strip)))
        for n, taught in self._taught("strip"):
            out.append((self._rule(taught, n), compile_selectors((taught.value,))))
        return out

    def keep_xpath(self) -> SelectorSet | None:
        """Elements never removed: by residue rules, hidden-element rules, the profile's
        own strip, chrome-box drops or the text layer; a kept box that holds the chosen
        body becomes the body, and one outside it joins it. None without keep rules."""
        keep = self.keep + tuple(t.value for _, t in self._taught("keep"))
        return compile_selectors(keep) if keep else None

    def line_rules(self) -> dict[str, Rule]:
        """Normalised line -> the rule that drops it: ``strip_text`` lines (family
        ``profile``) and taught ``strip_text`` rules (family: the profile's name)."""
        out = {normalize_line(s): _LIST_LINE for s in self.strip_text}
        for n, taught in self._taught("strip_text"):
            out.setdefault(normalize_line(taught.value), self._rule(taught, n))
        return out

    def _taught(self, kind: str) -> list[tuple[int, ProfileRule]]:
        return [(n, r) for n, r in enumerate(self.rules, 1) if r.kind == kind]

    def _rule(self, taught: ProfileRule, n: int) -> Rule:
        return Rule(id=taught.rule_id(self.name, n), family=self.name,
                    why=taught.why or f"taught to the site profile for {self.host}")

    def text_rule(self) -> Rule | None:
        if not self.strip_text:
            return None
        return Rule(id=f"profile.{self.name}.strip_text", family="profile",
                    why=f"a line the site profile for {self.host} strips",
                    lines=self.strip_text)


_LIST_LINE = Rule(id="profile.strip_text", family="profile",
                  why="a line the site profile strips")


def _host(value: object) -> str:
    """The host of a URL (or a bare host), lower case; "" when there is none.

    >>> _host("https://News.Example.org./a"), _host("http://[::1"), _host("http://a\\uff03b/")
    ('news.example.org', '', '')
    """
    if not value or not isinstance(value, str):
        return ""
    if "://" in value:
        try:
            value = urlsplit(value).hostname or ""
        except ValueError:  # "http://[::1", a netloc that NFKC would change: no host
            return ""
    return value.strip().lower().rstrip(".")


def _strings(data: dict[str, Any], key: str) -> tuple[str, ...]:
    v = data.get(key, [])
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise ProfileError(f"'{key}' must be a string or a list of strings, "
                           f"got {v!r:.80}")
    return tuple(v)


def _text(data: dict[str, Any], key: str, default: str) -> str:
    v = data.get(key, default)
    if not isinstance(v, str):
        raise ProfileError(f"'{key}' must be a string, got {v!r:.80}")
    return v


def load_profile(path: str | Path) -> Profile:
    """Read and check one profile file: every key known and of its type, the host a host
    name, every selector one cleaner can match in linear time. Errors name the file and
    the key (or selector).

    >>> load_profile(PROFILES_DIR / "pinecrest-post.example.toml").body
    ('div#story-text',)
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"cannot read profile {path}: {exc}") from None
    except RecursionError:  # "a = [[[[...": nested deeper than tomllib's stack
        raise ProfileError(f"cannot read profile {path}: nested too deep") from None
    try:
        unknown = set(data) - _FIELDS
        if unknown:
            raise ProfileError(f"unknown key(s) {sorted(unknown)} "
                               f"(known: {', '.join(sorted(_FIELDS))})")
        host_value = _text(data, "host", path.stem)
        host = _host(host_value)
        if not host:
            raise ProfileError(f"'host' must be a host name (example.com), "
                               f"got {host_value!r}")
        return Profile(name=_text(data, "name", path.stem), host=host,
                       body=_strings(data, "body"), strip=_strings(data, "strip"),
                       strip_text=_strings(data, "strip_text"),
                       test_urls=_strings(data, "test_urls"),
                       notes=_text(data, "notes", ""), source=str(path),
                       keep=_strings(data, "keep"),
                       rules=read_rules(data.get("rule"), path.name))
    except ProfileError as exc:
        raise ProfileError(f"{path}: {exc}") from None


def _dirs(extra: str | Path | None) -> tuple[str, ...]:
    dirs = [str(PROFILES_DIR)]
    env = os.environ.get(PROFILES_ENV)
    if env:
        dirs.extend(p for p in env.split(os.pathsep) if p)
    if extra:
        dirs.append(str(extra))
    return tuple(dirs)


@lru_cache(maxsize=16)
def _load_dirs(dirs: tuple[str, ...]) -> tuple[Profile, ...]:
    out: list[Profile] = []
    for d in dirs:
        p = Path(d)
        if not p.is_dir():
            if d == str(PROFILES_DIR):
                continue
            raise ProfileError(f"profile folder not found: {d}")
        out.extend(load_profile(f) for f in sorted(p.glob("*.toml")))
    return tuple(out)


def load_profiles(profiles_dir: str | Path | None = None) -> tuple[Profile, ...]:
    """Every profile from the bundled folder, ``CLEANER_PROFILES`` and ``profiles_dir``."""
    return _load_dirs(_dirs(profiles_dir))


def find_profile(url: str | None = None, name: str | None = None,
                 profiles_dir: str | Path | None = None) -> Profile | None:
    """The profile named ``name`` (file stem or host), else the one matching ``url``."""
    profiles = load_profiles(profiles_dir)
    if name:
        for prof in reversed(profiles):
            if name in (prof.name, prof.host):
                return prof
        raise ProfileError(f"no profile named {name!r}")
    if url:
        best = None
        for prof in profiles:  # the longest matching host wins; later folders on ties
            if prof.matches(url) and (best is None or len(prof.host) >= len(best.host)):
                best = prof
        return best
    return None


def with_rule(profile: Profile, rule: ProfileRule) -> Profile:
    """``profile`` with ``rule`` taught to it, nothing written: what the preview cleans
    with to show a rule's effect before it is saved."""
    return replace(profile, rules=(*profile.rules, check_rule(rule)))


def add_rule(folder: str | Path, host: str, rule: ProfileRule, *,
             start_from: Profile | None = None) -> Profile:
    """Append ``rule`` to ``<folder>/<host>.toml`` (made if missing, from ``start_from``'s
    file when that profile is for the same host) atomically, and return the profile as
    saved; a rule that would make the file invalid is never written. Only ``folder`` is
    written. See :mod:`.write`."""
    start = None
    if start_from is not None and start_from.source and start_from.host == host:
        try:
            start = Path(start_from.source).read_text(encoding="utf-8")
        except OSError as exc:
            raise ProfileError(f"cannot read profile {start_from.source}: {exc}") from None
    path = append_rule(folder, host, rule, check=load_profile, start_text=start)
    _load_dirs.cache_clear()  # the next lookup reads the folders again
    return load_profile(path)
