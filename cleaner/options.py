"""One frozen options object for every face: the API, the CLI, batch, Scrapy, Dask, the preview.

>>> opts = CleanOptions(format="markdown", include_captions=True)
>>> opts.format, opts.max_bytes
('markdown', 20000000)
>>> CleanOptions(format="pdf")
Traceback (most recent call last):
...
cleaner.errors.OptionError: unknown format 'pdf'; choose one of text, markdown, html, json
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from typing import Any, TypedDict

from .errors import OptionError
from .profiles import Profile

__all__ = ["CleanOptions", "OptionFields", "FORMATS", "DEFAULT_MAX_BYTES",
           "DEFAULT_MAX_NODES", "check_format", "check_limit"]

FORMATS = ("text", "markdown", "html", "json")
DEFAULT_MAX_BYTES = 20_000_000      # input size (a str counts its characters)
# elements after parsing: 40x the biggest bench page (10,476), and where the slowest
# shapes known (nested chains, link lists) still clean in about 2 s on one core
DEFAULT_MAX_NODES = 250_000


def check_format(value: object) -> str:
    """``value`` if it names an output format, else :class:`OptionError`."""
    if not isinstance(value, str) or value not in FORMATS:
        raise OptionError(f"unknown format {value!r}; choose one of {', '.join(FORMATS)}")
    return value


def check_limit(name: str, value: object) -> int | None:
    """``value`` if it is a positive int or None (no limit), else :class:`OptionError`
    naming the argument ``name``.

    >>> check_limit("max_bytes", 10), check_limit("max_bytes", None)
    (10, None)
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise OptionError(f"{name} must be a positive int or None, got {value!r}")
    return value


@dataclass(frozen=True)
class CleanOptions:
    """How to clean a page. Every field has a default; invalid values raise OptionError.

    ``format``: what ``result.content`` holds (text, markdown, html or json).
    ``profile``: a site profile (name, host or :class:`~cleaner.profiles.Profile`);
    without one, the profile matching the page's URL is used. ``profiles_dir``: a folder
    of profiles to add. ``include_comments`` / ``include_captions``: keep reader comments
    or image captions. ``text_layer``: run the line rules on the body's text.
    ``max_bytes`` / ``max_nodes``: refuse bigger inputs (``None``: no limit).
    """

    format: str = "text"
    profile: str | Profile | None = None
    profiles_dir: str | None = None
    include_comments: bool = False
    include_captions: bool = False
    text_layer: bool = True
    max_bytes: int | None = DEFAULT_MAX_BYTES
    max_nodes: int | None = DEFAULT_MAX_NODES

    def __post_init__(self) -> None:
        check_format(self.format)
        for name in ("include_comments", "include_captions", "text_layer"):
            if not isinstance(getattr(self, name), bool):
                raise OptionError(f"{name} must be True or False, "
                                  f"got {getattr(self, name)!r}")
        check_limit("max_bytes", self.max_bytes)
        check_limit("max_nodes", self.max_nodes)
        if self.profiles_dir is not None:
            if not isinstance(self.profiles_dir, (str, os.PathLike)):
                raise OptionError(f"profiles_dir must be a folder path, "
                                  f"got {self.profiles_dir!r}")
            object.__setattr__(self, "profiles_dir", os.fspath(self.profiles_dir))
        prof = self.profile
        if prof is not None and not isinstance(prof, (str, Profile)):
            raise OptionError("profile must be a profile name, a Profile or None, "
                              f"got {type(prof).__name__}")

    def but(self, **changes: Any) -> CleanOptions:
        """A copy with some fields changed (validated like a new object)."""
        return replace(self, **changes) if changes else self

    @classmethod
    def build(cls, options: CleanOptions | None = None, **changes: Any) -> CleanOptions:
        """``options`` (or the defaults) with keyword ``changes``: what the API's keyword
        arguments become. An unknown name raises TypeError, as a wrong keyword does."""
        if options is not None and not isinstance(options, CleanOptions):
            raise OptionError(f"options must be a CleanOptions, got {type(options).__name__}")
        unknown = set(changes) - _NAMES
        if unknown:
            raise TypeError(f"unknown option(s): {', '.join(sorted(unknown))}")
        return (options or _DEFAULT).but(**changes)

    def to_dict(self) -> dict[str, Any]:
        """The options as plain data (a Profile object is given by its name)."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        if out["profile"] is not None and not isinstance(out["profile"], str):
            out["profile"] = out["profile"].name
        return out


class OptionFields(TypedDict, total=False):
    """The keyword arguments :func:`cleaner.clean_article` takes for :class:`CleanOptions`."""

    format: str
    profile: str | Profile | None
    profiles_dir: str | None
    include_comments: bool
    include_captions: bool
    text_layer: bool
    max_bytes: int | None
    max_nodes: int | None


_NAMES = frozenset(f.name for f in fields(CleanOptions))
_DEFAULT = CleanOptions()
