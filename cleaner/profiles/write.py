"""Writing taught rules into a site's profile file, in a folder the caller chose.

The preview's "remove things like this on this site", "keep this" and "this line is
residue on this site" end here: :func:`append_rule` (behind
:func:`cleaner.profiles.add_rule`) appends one ``[[rule]]`` table to
``<folder>/<host>.toml`` (made if missing), so the comments and layout of a file a person
wrote stay as they were. The new text is loaded and checked as a profile before it
replaces the old file, atomically (a temporary file in the same folder, renamed over it):
a reader sees the old profile or the new one, never half of one, and a rule that would
make the file invalid is never written.

>>> site_host("https://www.Gazette.example:8080/2025/pier")
'gazette.example'
>>> print(rule_toml(ProfileRule("strip_text", 'Read "more"', why="sign-off")), end="")
[[rule]]
strip_text = "Read \\"more\\""
why = "sign-off"
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from copy import deepcopy
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from ..dom import NEVER_CONTENT, spaced_text_of
from ..errors import ProfileError
from ..textnorm import collapse_spaces
from .taught import MAX_EXAMPLE, MAX_HTML, ProfileRule, check_rule

__all__ = ["site_host", "profile_file", "rule_toml", "append_rule", "example_text",
           "example_html", "toml_string"]

# a DNS name: labels of letters, digits and inner hyphens (IDNA already applied)
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def site_host(url: str | None) -> str:
    """The host a profile for ``url``'s site is named after: lower case, IDNA, no port,
    no ``www.``; a ProfileError when the URL has no host a file could be named after (an
    IP address, a single label, odd characters)."""
    try:
        host = (urlsplit(url or "").hostname or "").rstrip(".")
        host = host.encode("idna").decode("ascii").lower() if host else ""
    except (ValueError, UnicodeError):
        host = ""
    host = host.removeprefix("www.")
    labels = host.split(".")
    if len(host) > 253 or len(labels) < 2 or not all(_LABEL.fullmatch(x) for x in labels) \
            or labels[-1].isdigit():
        raise ProfileError(f"no site name in the page's URL {url!r}: a profile is named "
                           "after a host like news.example.org")
    return host


def profile_file(folder: str | os.PathLike[str], host: str) -> Path:
    """``<folder>/<host>.toml`` for a checked host (see :func:`site_host`)."""
    labels = host.split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(x) for x in labels):
        raise ProfileError(f"bad profile host {host!r}")
    return Path(folder) / f"{host}.toml"


def toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped.

    >>> toml_string('a "b" \\\\ c\\n')
    '"a \\\\"b\\\\" \\\\\\\\ c\\\\n"'
    """
    out = value.replace("\\", "\\\\").replace('"', '\\"')
    out = out.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    return '"' + _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", out) + '"'


def rule_toml(rule: ProfileRule) -> str:
    """One ``[[rule]]`` table, the way :func:`add_rule` appends it."""
    lines = ["[[rule]]"]
    for key, value in rule.to_dict().items():
        if isinstance(value, list):
            items = ",\n".join("    " + toml_string(v) for v in value)
            lines.append(f"{key} = [\n{items},\n]")
        else:
            lines.append(f"{key} = {toml_string(value)}")
    return "\n".join(lines) + "\n"


def _write_atomic(path: Path, text: str, check: Callable[[Path], object]) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder that
    ``check`` (a profile loader) has read without error."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        check(Path(tmp))  # a file that would not load is never put in place
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def append_rule(folder: str | os.PathLike[str], host: str, rule: ProfileRule, *,
                check: Callable[[Path], object], start_text: str | None = None) -> Path:
    """Append ``rule`` to ``<folder>/<host>.toml`` (atomically, once ``check`` accepts
    the new file) and return the file's path.

    A new file starts from ``start_text`` (the file of a profile for the same host in
    another folder, which the new file will shadow) or from ``host = "<host>"``. Only
    ``folder`` is ever written; it must exist.
    """
    base = Path(folder)
    if not base.is_dir():
        raise ProfileError(f"profile folder not found: {base}")
    path = profile_file(base, host)
    check_rule(rule)
    try:
        if path.is_file():
            text = path.read_text(encoding="utf-8")
        elif start_text is not None:
            text = start_text
        else:
            text = f"# site profile for {host}, taught in the cleaner preview\n" \
                   f"host = {toml_string(host)}\n"
        _write_atomic(path, text.rstrip("\n") + "\n\n" + rule_toml(rule), check)
    except OSError as exc:
        raise ProfileError(f"cannot write profile {path}: {exc.strerror or exc}") from None
    return path


def example_text(el: etree._Element | str) -> str:
    """An element's text (or a text) as a rule's example: scripts, form controls and
    other never-content elements left out, spaces collapsed, cut at a word near
    MAX_EXAMPLE characters (a prefix still finds the text)."""
    if isinstance(el, str):
        text = collapse_spaces(el)
    else:
        if any(True for _ in el.iterdescendants(*NEVER_CONTENT)):
            el = deepcopy(el)
            el.tail = None
            etree.strip_elements(el, *NEVER_CONTENT, with_tail=False)
        text = collapse_spaces(spaced_text_of(el))
    if len(text) <= MAX_EXAMPLE:
        return text
    cut = text.rfind(" ", 0, MAX_EXAMPLE)
    return text[:cut if cut > MAX_EXAMPLE // 2 else MAX_EXAMPLE]


def example_html(el: etree._Element) -> str | None:
    """An element's markup as a rule's example, without scripts, styles and other
    never-content elements; None when that is over MAX_HTML characters."""
    copy = deepcopy(el)
    copy.tail = None
    etree.strip_elements(copy, *NEVER_CONTENT, with_tail=False)
    html: str = lxml.html.tostring(copy, encoding="unicode", method="html")
    html = html.strip()
    return html if html and len(html) <= MAX_HTML else None
