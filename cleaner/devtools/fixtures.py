"""Fixture folders: one real-looking page per site, and the text a careful reader wants.

A fixture is a folder under the fixtures root (``./fixtures``, or ``CLEANER_FIXTURES``)::

    fixtures/<site>/
      input.html      the page exactly as fetched or saved (bytes, any encoding)
      expected.txt    the approved clean text, in the text output format
      candidate.txt   cleaner's output waiting for a human to approve it (after ``add``)
      meta.json       {"url", "added", "notes", optional "profile", "content_type",
                       "approved"}

The workflow is add -> check -> approve: ``add`` stores the page and writes the current
output as a *candidate*; a person reads it, fixes it by hand if needed, and ``approve``
pins it as ``expected.txt``; ``check`` diffs today's output against every pinned text.

>>> from cleaner.devtools.fixtures import validate_name
>>> validate_name("example.org")
'example.org'
"""

from __future__ import annotations

import datetime as _dt
import difflib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import FixtureError
from ..pipeline import clean_article

__all__ = ["Fixture", "CheckResult", "fixtures_root", "validate_name", "list_fixtures",
           "load_fixture", "render", "check_fixture", "check", "add_fixture", "approve",
           "unified_diff", "INPUT", "EXPECTED", "CANDIDATE", "META"]

INPUT, EXPECTED, CANDIDATE, META = "input.html", "expected.txt", "candidate.txt", "meta.json"
DEFAULT_ROOT = "fixtures"
ROOT_ENV = "CLEANER_FIXTURES"

# a site name is one path segment: no separators, no leading dot (so no "." or "..")
_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}")


def validate_name(name: str) -> str:
    """Return ``name`` if it is a safe fixture folder name, else raise FixtureError.

    Letters, digits, dash, dot and underscore; no leading dot, at most 100 characters.

    >>> validate_name("../x")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cleaner.errors.FixtureError: bad fixture name '../x': use letters, digits, '-', '.', '_' ...
    """
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise FixtureError(f"bad fixture name {name!r}: use letters, digits, '-', '.', '_' "
                           "(no leading dot)")
    return name


def fixtures_root(root: str | os.PathLike[str] | None = None) -> Path:
    """The fixtures folder: ``root`` if given, else ``$CLEANER_FIXTURES``, else ./fixtures."""
    if root is not None and str(root):
        return Path(root)
    return Path(os.environ.get(ROOT_ENV) or DEFAULT_ROOT)


def _today() -> str:
    return _dt.date.today().isoformat()


def _from_file(text: str) -> str:
    """File content -> comparable text: the one final newline files end with is not text."""
    return text[:-1] if text.endswith("\n") else text


def _to_file(text: str) -> str:
    return text + "\n" if text else ""


@dataclass(frozen=True)
class Fixture:
    """One fixture folder, read from disk. ``expected`` is None for a candidate."""

    name: str
    path: Path
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str | None:
        return self.meta.get("url") or None

    @property
    def profile(self) -> str | None:
        return self.meta.get("profile") or None

    @property
    def input_bytes(self) -> bytes:
        try:
            return (self.path / INPUT).read_bytes()
        except OSError as exc:
            raise FixtureError(f"fixture {self.name}: cannot read {INPUT}: "
                               f"{exc.strerror or exc}") from None

    def _read(self, filename: str) -> str | None:
        p = self.path / filename
        if not p.is_file():
            return None
        try:
            return _from_file(p.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise FixtureError(f"fixture {self.name}: cannot read {filename}: {exc}") from None

    @property
    def expected(self) -> str | None:
        """The approved text, or None when the fixture is still a candidate."""
        return self._read(EXPECTED)

    @property
    def candidate(self) -> str | None:
        return self._read(CANDIDATE)


@dataclass(frozen=True)
class CheckResult:
    """The outcome of checking one fixture: ``ok``, ``diff`` or ``candidate`` (no
    expected.txt yet, so nothing to compare)."""

    name: str
    status: str
    output: str
    diff: str = ""

    @property
    def ok(self) -> bool:
        return self.status != "diff"


def _read_meta(path: Path, name: str) -> dict[str, Any]:
    p = path / META
    if not p.is_file():
        return {}
    try:
        meta = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FixtureError(f"fixture {name}: bad {META}: {exc}") from None
    except RecursionError:  # "[[[[...": nested deeper than the JSON decoder's stack
        raise FixtureError(f"fixture {name}: bad {META}: nested too deep") from None
    if not isinstance(meta, dict):
        raise FixtureError(f"fixture {name}: {META} must hold a JSON object")
    return meta


def _write_meta(path: Path, meta: dict[str, Any]) -> None:
    (path / META).write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n",
                             encoding="utf-8")


def load_fixture(name: str, root: str | os.PathLike[str] | None = None) -> Fixture:
    """Read one fixture folder; raises FixtureError if it is missing or malformed."""
    validate_name(name)
    path = fixtures_root(root) / name
    if not (path / INPUT).is_file():
        raise FixtureError(f"no fixture {name!r} in {fixtures_root(root)} "
                           f"(needs {name}/{INPUT})")
    return Fixture(name=name, path=path, meta=_read_meta(path, name))


def list_fixtures(root: str | os.PathLike[str] | None = None) -> list[str]:
    """Names of the fixture folders under the root, sorted; [] if the root is missing.

    Every folder with a valid name counts, so a folder missing ``input.html`` shows up
    (and fails when loaded) instead of being silently ignored.
    """
    base = fixtures_root(root)
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir()
                  if p.is_dir() and _NAME.fullmatch(p.name))


def _clean(data: bytes, url: str | None, profile: str | None,
           content_type: str | None, profiles_dir: str | None = None) -> str:
    return clean_article(data, url, profile=profile, profiles_dir=profiles_dir,
                         headers={"content-type": content_type} if content_type else None).text


def render(fixture: Fixture) -> str:
    """cleaner's current text output for a fixture (its URL, profile and content type)."""
    return _clean(fixture.input_bytes, fixture.url, fixture.profile,
                  fixture.meta.get("content_type"))


def unified_diff(expected: str, actual: str, name: str = "") -> str:
    """A readable line diff: ``-`` lines are expected but missing, ``+`` lines are extra."""
    label = f"{name}/" if name else ""
    return "".join(difflib.unified_diff(
        _to_file(expected).splitlines(keepends=True), _to_file(actual).splitlines(keepends=True),
        fromfile=f"{label}{EXPECTED}", tofile=f"{label}output (cleaner now)", lineterm="\n"))


def check_fixture(fixture: Fixture) -> CheckResult:
    """Compare today's output with the fixture's expected text."""
    output = render(fixture)
    expected = fixture.expected
    if expected is None:
        return CheckResult(fixture.name, "candidate", output)
    if output == expected:
        return CheckResult(fixture.name, "ok", output)
    return CheckResult(fixture.name, "diff", output, unified_diff(expected, output, fixture.name))


def check(names: Iterable[str] | None = None,
          root: str | os.PathLike[str] | None = None) -> list[CheckResult]:
    """Check the named fixtures (all of them when ``names`` is empty)."""
    names = list(names or ()) or list_fixtures(root)
    return [check_fixture(load_fixture(n, root)) for n in names]


def add_fixture(data: bytes, site: str, url: str | None = None, *,
                root: str | os.PathLike[str] | None = None, notes: str = "",
                profile: str | None = None, content_type: str | None = None,
                force: bool = False, profiles_dir: str | None = None) -> Fixture:
    """Store a page as a new fixture: its exact bytes, meta.json and a candidate text.

    The candidate is cleaner's output today; a person approves it (or edits it and
    then approves) to make it ``expected.txt``. Refuses to overwrite an existing
    fixture unless ``force``; a forced replacement drops the old ``expected.txt``, since
    a new page needs a new approval. Nothing is written if the page cannot be cleaned.
    ``profiles_dir`` adds a folder of site profiles for the candidate (``fixture check``
    finds it through ``CLEANER_PROFILES``).
    """
    validate_name(site)
    if not isinstance(data, (bytes, bytearray)):
        raise FixtureError("a fixture's input must be the page's bytes")
    base = fixtures_root(root)
    path = base / site
    if (path / INPUT).exists() and not force:
        raise FixtureError(f"fixture {site!r} exists in {base}; use --force to replace it")
    data = bytes(data)
    # fails before anything is written
    candidate = _clean(data, url, profile, content_type, profiles_dir)
    meta: dict[str, Any] = {"url": url, "added": _today(), "notes": notes}
    if profile:
        meta["profile"] = profile
    if content_type:
        meta["content_type"] = content_type
    try:
        path.mkdir(parents=True, exist_ok=True)
        (path / INPUT).write_bytes(data)
        _write_meta(path, meta)
        (path / CANDIDATE).write_text(_to_file(candidate), encoding="utf-8")
        if force:
            (path / EXPECTED).unlink(missing_ok=True)  # a replaced page needs a new approval
    except OSError as exc:
        raise FixtureError(f"cannot write fixture {site!r}: {exc.strerror or exc}") from None
    return Fixture(site, path, meta)


def approve(name: str, root: str | os.PathLike[str] | None = None) -> Fixture:
    """Pin a fixture's text: candidate.txt becomes expected.txt (or, with no candidate,
    today's output does); the approval date goes into meta.json."""
    fixture = load_fixture(name, root)
    candidate = fixture.candidate
    text = candidate if candidate is not None else render(fixture)
    meta = dict(fixture.meta)
    meta["approved"] = _today()
    try:
        (fixture.path / EXPECTED).write_text(_to_file(text), encoding="utf-8")
        if candidate is not None:
            (fixture.path / CANDIDATE).unlink()
        _write_meta(fixture.path, meta)
    except OSError as exc:
        raise FixtureError(f"cannot approve fixture {name!r}: {exc.strerror or exc}") from None
    return Fixture(fixture.name, fixture.path, meta)
