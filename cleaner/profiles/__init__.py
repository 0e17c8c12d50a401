"""Site profiles: per-host TOML files that pin the body and strip site-specific residue.

A profile (``example.com.toml``)::

    host = "example.com"               # also matches www.example.com, news.example.com
    body = ["div.article-body"]        # CSS: the article body (overrides scoring)
    strip = ["div.promo-box"]          # CSS: removed before extraction
    strip_text = ["Read more at Example News"]   # whole lines dropped from the text
    test_urls = ["https://example.com/news/1"]

Profiles are looked up in the bundled folder, then in ``CLEANER_PROFILES`` and any
folder passed as ``profiles_dir`` (later folders win for the same host).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from ..errors import ProfileError, RuleError
from ..rules import Rule, compile_selector

__all__ = ["Profile", "load_profile", "load_profiles", "find_profile", "PROFILES_DIR",
           "PROFILES_ENV"]

PROFILES_DIR = Path(__file__).parent   # the bundled profiles: *.toml beside this file
PROFILES_ENV = "CLEANER_PROFILES"   # more profile folders, separated like PATH
_FIELDS = {"host", "body", "strip", "strip_text", "test_urls", "notes", "name"}


@dataclass(frozen=True)
class Profile:
    """One site's rules. Same vocabulary as the residue rules: select, strip, text."""

    name: str
    host: str
    body: tuple[str, ...] = ()
    strip: tuple[str, ...] = ()
    strip_text: tuple[str, ...] = ()
    test_urls: tuple[str, ...] = ()
    notes: str = ""
    source: str = ""

    def matches(self, url_or_host: str | None) -> bool:
        host = _host(url_or_host)
        return bool(host) and (host == self.host or host.endswith("." + self.host))

    def body_xpath(self):
        return _union(self.body)

    def strip_rules(self) -> list[tuple[Rule, object]]:
        if not self.strip:
            return []
        rule = Rule(id=f"profile.{self.name}.strip", family="profile",
                    why=f"stripped by the site profile for {self.host}")
        return [(rule, _union(self.strip))]

    def text_rule(self) -> Rule | None:
        if not self.strip_text:
            return None
        return Rule(id=f"profile.{self.name}.strip_text", family="profile",
                    why=f"a line the site profile for {self.host} strips",
                    lines=self.strip_text)


def _host(value: object) -> str:
    """The host of a URL (or a bare host), lower case; "" when there is none.

    >>> _host("https://News.Example.org./a"), _host("http://[::1"), _host("http://a\uff03b/")
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


def _union(selectors: tuple[str, ...]):
    from cssselect import HTMLTranslator, SelectorError
    tr = HTMLTranslator()
    try:
        parts = [tr.css_to_xpath(css, prefix="descendant-or-self::") for css in selectors]
    except SelectorError as exc:
        raise ProfileError(f"bad CSS selector in profile: {exc}") from None
    return etree.XPath(" | ".join(parts))


def _tuple(data: dict, key: str, where: str) -> tuple[str, ...]:
    v = data.get(key, [])
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise ProfileError(f"{where}: '{key}' must be a string or a list of strings")
    return tuple(v)


def load_profile(path: str | Path) -> Profile:
    """Read and check one profile file."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"cannot read profile {path}: {exc}") from None
    unknown = set(data) - _FIELDS
    if unknown:
        raise ProfileError(f"{path.name}: unknown field(s) {sorted(unknown)}")
    host = _host(data.get("host") or path.stem)
    if not host:
        raise ProfileError(f"{path.name}: no host")
    prof = Profile(name=data.get("name", path.stem), host=host,
                   body=_tuple(data, "body", path.name), strip=_tuple(data, "strip", path.name),
                   strip_text=_tuple(data, "strip_text", path.name),
                   test_urls=_tuple(data, "test_urls", path.name),
                   notes=str(data.get("notes", "")), source=str(path))
    try:  # fail on load, not on the first page
        for css in prof.body + prof.strip:
            compile_selector(css)
    except RuleError as exc:
        raise ProfileError(f"{path.name}: {exc}") from None
    return prof


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
