"""Errors raised by cleaner. Callers catch ``CleanerError``; anything else is a bug.

The tree::

    CleanerError                 base class of every error cleaner raises on purpose
     ├── InputError              the input cannot be cleaned (binary, not a document)
     │    └── InputTooLargeError the input is over a configured limit (bytes, nodes)
     ├── FetchError              a URL could not be fetched (network, status, size, time)
     │    └── BlockedURLError    the URL was refused before anything was sent (SSRF guard)
     ├── ProfileError            a site profile file is malformed
     ├── RuleError               a residue rule file is malformed
     ├── FixtureError            a fixture folder is missing, malformed or unsafe
     └── OptionError             an argument has a bad value (also a ValueError)

Empty or whitespace-only input is not an error: it gives an empty ``CleanResult``.
"""

from __future__ import annotations

__all__ = [
    "CleanerError",
    "InputError",
    "InputTooLargeError",
    "FetchError",
    "BlockedURLError",
    "ProfileError",
    "RuleError",
    "FixtureError",
    "OptionError",
    "error_message",
]


class CleanerError(Exception):
    """Base class of every error cleaner raises on purpose."""


class InputError(CleanerError):
    """The input cannot be cleaned: binary data, or not a document at all."""


class InputTooLargeError(InputError):
    """The input is over a configured limit (size in bytes or element count)."""


class FetchError(CleanerError):
    """A URL could not be fetched, or the fetch was refused (scheme, address, size)."""


class BlockedURLError(FetchError):
    """The URL was refused before anything was sent: scheme, host or address not allowed."""


class ProfileError(CleanerError):
    """A site profile file is malformed."""


class RuleError(CleanerError):
    """A residue rule file is malformed."""


class FixtureError(CleanerError):
    """A fixture folder is missing, malformed, or its name is unsafe."""


class OptionError(CleanerError, ValueError):
    """An argument has a value cleaner does not know (an output format, a limit)."""


def error_message(exc: BaseException) -> str:
    """What a batch or a data pipeline records for a page that failed: the message of a
    CleanerError, or the type and message of anything else, marked as a bug in cleaner."""
    if isinstance(exc, CleanerError):
        return str(exc)
    return f"{type(exc).__name__}: {exc} (a bug in cleaner)"
