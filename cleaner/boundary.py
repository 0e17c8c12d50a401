"""Trims the body's edges: what sits before the first paragraph or after the last one.

Article containers often start with the headline, a kicker, the byline and the date, and
end with the author's contact line or a "published" stamp. Such lines are dropped only in
those edge zones, and only when they are *mostly* a date, a byline or the title; the same
line between two paragraphs is kept.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from .blocks import Block, is_paragraph
from .result import Removal
from .textnorm import normalize_line

__all__ = ["trim_edges", "is_dateline", "is_byline", "is_meta_line"]

META_MAX_CHARS = 120        # longer lines are never datelines or bylines
BYLINE_MAX_CHARS = 80       # longer lines are never bylines
DATED_SECTIONS = 2          # date headings of one level that make a dated list
TITLE_MAX_CHARS = 400       # longer lines and titles are never compared as the headline
NAME_MAX_CHARS = 4 * BYLINE_MAX_CHARS   # longer author names cannot be a byline's (NFKC
                                        # shrinks a name by a few times at most)
DATE_TOKEN_SHARE = 0.7      # share of a line's words that must be date words
EDGE_MAX_BLOCKS = 6         # only this many blocks at each end are looked at
DATE_RUN_IS_CONTENT = 3     # this many date lines in a row are a schedule, not a stamp

_MONTHS = (
    "jan january feb february mar march apr april may jun june jul july aug august sep sept "
    "september oct october nov november dec december "
    "januar februar märz maerz mai juni juli oktober dezember "
    "janvier février fevrier mars avril mai juin juillet août aout septembre octobre "
    "novembre décembre decembre janv févr avr juil déc "
    "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre "
    "noviembre diciembre ene "
    "janeiro fevereiro março maio junho julho setembro outubro novembro dezembro "
    "gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre")
_WEEKDAYS = (
    "mon monday tue tues tuesday wed wednesday thu thur thurs thursday fri friday sat "
    "saturday sun sunday montag dienstag mittwoch donnerstag freitag samstag sonntag lundi "
    "mardi mercredi jeudi vendredi samedi dimanche lunes martes miércoles miercoles jueves "
    "viernes sábado sabado domingo segunda terça terca quarta quinta sexta feira "
    "lunedì martedì mercoledì giovedì venerdì sabato")
_FILLER = (
    "am pm a.m p.m est edt cst cdt pst pdt mst mdt et pt ct gmt utc bst cet cest mez mesz "
    "ist aest jst kst hkt sgt amt "
    "updated published posted last modified on at by of the de do da del la le el à às a "
    "und der die das am um publié publie mis jour modifié publicado actualizado atualizado "
    "veröffentlicht veroeffentlicht aktualisiert zuletzt stand publiziert geändert "
    "pubblicato aggiornato il alle ore uhr h min hours hour minutes ago read reading time "
    "leitura tempo lesezeit lecture temps de lectura minute minuten minutos")
_DATE_WORDS = frozenset((_MONTHS + " " + _WEEKDAYS).split())
_FILLER_WORDS = frozenset(_FILLER.split())
_WORD = re.compile(r"[^\W_]+(?:\.[^\W_]+)?", re.U)
_NUM = re.compile(r"^\d{1,4}(?:st|nd|rd|th|er|e|o|a|º)?$")
_CLOCK = re.compile(r"\b\d{1,2}[:h.]\d{2}\b")
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b")
_BYLINE = re.compile(
    r"^(?:by|von|par|por|di|door|av|af|written by|posted by|words by|text(?:e|o)?:|"
    r"autor(?:in)?:|author:|auteur\s?:|reporter:|redacción:?)\s+\S", re.I)

# the parts of a meta line: "By Jane Doe · March 2, 2026 · 4 min read"
# (not a dash: "PARIS - The mayor said on Monday" opens a wire story's first paragraph)
_META_SEPARATOR = re.compile(r"\s*[·|•▪]\s*")
_READING_TIME = re.compile(
    r"^(?:(?:reading time|read time|lesezeit|lesedauer|temps de lecture|durée de lecture|"
    r"tiempo de lectura|tempo de leitura|tempo di lettura)\s*:?\s*\d{1,3}\s*"
    r"(?:min\.?|mins\.?|minutes?|minuten|minutos|minuti)|"
    r"\d{1,3}\s*(?:min\.?|mins\.?|minutes?|minuten|minutos|minuti)\.?\s*"
    r"(?:read|reading|lesezeit|lesen|lesedauer|de lecture|de lectura|de leitura|di lettura))"
    r"\.?$", re.I)
_NAME_WORD = re.compile(r"^[^\W\d_][\w'’.-]*$", re.U)
KICKER_MAX_WORDS = 4        # a label above the headline ("Conjoncture") is this short
NAME_MAX_WORDS = 4          # a meta line's name part ("Jonas Berg") is this short


_DOTTED = re.compile(r"(?<![\w.])(v?)(\d{1,4})\.(\d{1,4})\.(\d{1,4})(?![\w.])", re.I)


def _names_a_version(text: str) -> bool:
    """Whether the line holds a release number ("3.0.0", "v2.9.1"): three dotted numbers
    that cannot be a day, month and year ("05.12.2026") or a year, month and day."""
    for m in _DOTTED.finditer(text):
        v, a, b, c = m.groups()
        if v:
            return True
        day_first = 1 <= int(a) <= 31 and 1 <= int(b) <= 12 and len(c) in (2, 4)
        year_first = len(a) == 4 and 1 <= int(b) <= 12 and 1 <= int(c) <= 31
        if not (day_first or year_first):
            return True
    return False


def is_dateline(text: str) -> bool:
    """A short line that is mostly a date or time (with a byline or "updated" around it);
    a release heading ("3.0.0 - 2026-02-10") names a version, not a publication date.

    >>> is_dateline("Updated 5:27 am CST, Wednesday, November 20, 2019")
    True
    >>> is_dateline("On November 20 the council voted to close the bridge.")
    False
    >>> is_dateline("05.12.2026 10:30 Uhr"), is_dateline("3.0.0 - 2026-02-10")
    (True, False)
    """
    if len(text) > META_MAX_CHARS or ("." in text and _names_a_version(text)):
        return False
    words = _WORD.findall(text.lower())
    if not words:
        return False
    anchor = bool(_CLOCK.search(text) or _NUMERIC_DATE.search(text))
    datey = 0
    for w in words:
        if w in _DATE_WORDS:
            datey += 1
            anchor = True
        elif _NUM.match(w) or w in _FILLER_WORDS:
            datey += 1
    return anchor and datey >= DATE_TOKEN_SHARE * len(words)


def is_byline(text: str, author: str | None = None) -> bool:
    """A short "By Jane Doe" line, or a line that is just the page's author name.

    >>> is_byline("By JERUSALEM POST STAFF")
    True
    >>> is_byline("Reporting by Will Dunham; Editing by Tom Brown")
    False
    """
    if len(text) > BYLINE_MAX_CHARS:
        return False
    if author:
        line = normalize_line(text)
        for name in author.split(";"):
            if len(name) > NAME_MAX_CHARS:
                continue
            name = normalize_line(name)
            if name and (line == name or (name in line and
                                          is_dateline(line.replace(name, " ", 1) + " by"))):
                return True  # the name alone, or the name beside the date
    return bool(_BYLINE.match(text)) and len(text.split()) <= 8


def _is_name(part: str) -> bool:
    """A part that can only be a name or a label: a few words, the first capitalised, no
    digits and no sentence end ("Jonas Berg", "Ledger staff")."""
    words = part.split()
    return (0 < len(words) <= NAME_MAX_WORDS and part[0].isupper() and
            all(_NAME_WORD.match(w) for w in words) and not part.endswith((".", "!", "?")))


def is_meta_line(text: str, author: str | None = None) -> bool:
    """A short line of meta parts joined by separators (·, |, •): each part a
    byline, a date, a reading time or a name, and one a date or a reading time (the
    anchor), however the parts are worded together; or a reading time alone.

    >>> is_meta_line("Par Julien Marchand · Publié le 17 mars 2026 à 07h00 · Mis à jour à 09h15")
    True
    >>> is_meta_line("Jonas Berg · 12 April 2026"), is_meta_line("Lesezeit: 3 Min.")
    (True, True)
    >>> is_meta_line("Tickets · Opening night is sold out, the theatre said on 12 April.")
    False
    """
    if len(text) > META_MAX_CHARS:
        return False
    text = text.strip()
    if _READING_TIME.match(text):
        return True
    parts = [p.strip() for p in _META_SEPARATOR.split(text) if p.strip()]
    if len(parts) < 2:
        return False
    anchored = False
    for part in parts:
        if is_dateline(part) or _READING_TIME.match(part):
            anchored = True
        elif not (is_byline(part, author) or _is_name(part)):
            return False
    return anchored


def _same_title(text: str, title: str | None) -> bool:
    if not title or len(text) > TITLE_MAX_CHARS or len(title) > TITLE_MAX_CHARS:
        return False  # no headline is that long: nothing to normalise and compare
    a, b = normalize_line(text), normalize_line(title)
    if not a or not b:
        return False
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= 20 and shorter in longer and len(shorter) >= 0.6 * len(longer)


# the separators between a page title's headline and the site's name ("Webhooks | Docs",
# "Caching - Quarry": a hyphen with a space on each side, never one inside a word)
_TITLE_PARTS = re.compile(r"\s+[-|–—·•»]\s+")


def _title_parts(title: str | None) -> frozenset[str]:
    """The parts of a title that names the site beside its headline, normalised."""
    if not title or len(title) > TITLE_MAX_CHARS:
        return frozenset()
    parts = _TITLE_PARTS.split(title)
    return frozenset(filter(None, map(normalize_line, parts))) if len(parts) > 1 \
        else frozenset()


def _in_run(flag: Callable[[int], bool], n: int, i: int) -> bool:
    """Whether flag(i) sits in a run of DATE_RUN_IS_CONTENT or more true flags of the
    ``n``."""
    lo = i
    while lo > 0 and flag(lo - 1):
        lo -= 1
    hi = i
    while hi + 1 < n and flag(hi + 1):
        hi += 1
    return hi - lo + 1 >= DATE_RUN_IS_CONTENT


def _is_title(text: str, title: str | None, parts: frozenset[str]) -> bool:
    """The line is the title, or the headline part of a title naming the site beside it
    ("Webhooks" under "Webhooks | Docs"); ``parts`` from :func:`_title_parts`."""
    return _same_title(text, title) or (
        bool(parts) and len(text) <= TITLE_MAX_CHARS and normalize_line(text) in parts)


def _kicker(blocks: list[Block], at: int | None) -> int | None:
    """The short label right above the headline at ``at`` ("Analysis", "Local"): a line
    of a few words with no digit and no sentence end."""
    if not at:
        return None
    label = blocks[at - 1]
    text = label.text.strip()
    if label.kind in ("p", "h") and len(text.split()) <= KICKER_MAX_WORDS and \
            not any(c.isdigit() for c in text) and not text.endswith((".", "!", "?", ":")):
        return at - 1
    return None


def _deks(blocks: list[Block], at: int | None, head: int, datey: Callable[[int], bool],
          author: str | None, meta_at: Sequence[int] = ()) -> range:
    """The summary lines between the headline at ``at`` and the byline or date under it,
    at the body's head: a dek (standfirst) is the page's teaser, not its text. The byline
    may be a box the body finder dropped already (``meta_at``: how many blocks came
    before it)."""
    if at is None:
        return range(0)
    meta = next((i for i in range(at + 1, head)
                 if datey(i) or is_byline(blocks[i].text, author)), None)
    dropped = min((m for m in meta_at if at + 1 < m <= head), default=None)
    if dropped is not None and (meta is None or dropped < meta):
        meta = dropped
    return range(at + 1, meta) if meta is not None else range(0)


def trim_edges(blocks: list[Block], metadata: dict[str, Any],
               keeps: Callable[[Block], bool] | None = None, meta_at: Sequence[int] = ()
               ) -> tuple[list[Block], list[Removal]]:
    """Drop the title, datelines and bylines before the first and after the last paragraph
    (never a block that ``keeps`` says a site profile keeps); ``meta_at``: where the body
    finder dropped a byline or dateline box, as the number of blocks before it."""
    prose = [i for i, b in enumerate(blocks) if is_paragraph(b)]
    # without a paragraph, every block is at the edge
    first, last = (prose[0], prose[-1]) if prose else (len(blocks), -1)
    title = metadata.get("title")
    author = metadata.get("author")
    n = len(blocks)
    # whether a block is a date or meta line, read only where asked (the edges, the
    # headings, a run beside them): most blocks are neither
    known: dict[int, bool] = {}

    def datey(i: int) -> bool:
        found = known.get(i)
        if found is None:
            text = blocks[i].text
            found = known[i] = is_dateline(text) or is_meta_line(text, author)
        return found

    heads = min(first, EDGE_MAX_BLOCKS)
    parts = _title_parts(title)
    titled = [_is_title(blocks[i].text, title, parts) for i in range(heads)] \
        if title else [False] * heads
    at = titled.index(True) if True in titled else None   # the headline
    kicker = _kicker(blocks, at)
    dek = _deks(blocks, at, heads, datey, author, meta_at)
    # a date heading beside others of its level titles a section of a dated list (a
    # changelog, a diary, a live blog's updates), not the page's dateline
    dated_levels = Counter(b.level for i, b in enumerate(blocks)
                           if b.kind == "h" and datey(i))
    kept: list[Block] = []
    removed: list[Removal] = []
    for i, b in enumerate(blocks):
        head = i < first and i < EDGE_MAX_BLOCKS
        tail = i > last and i >= n - EDGE_MAX_BLOCKS
        why = None
        if (head or tail) and b.kind not in ("table", "pre") and not (keeps and keeps(b)):
            if head and titled[i]:
                why = ("structure.title", "title",
                       "the headline is returned as the title, not as body text")
            elif i == kicker:
                why = ("meta.kicker", "meta", "a section label above the headline")
            elif i in dek and blocks[i].kind == "p":
                why = ("meta.dek", "meta", "the summary between the headline and the byline")
            elif datey(i) and not _in_run(datey, n, i) and \
                    not (b.kind == "h" and dated_levels[b.level] >= DATED_SECTIONS):
                why = ("meta.dateline", "meta", "a publication date or time line")
            elif is_byline(b.text, author):
                why = ("meta.byline", "meta", "the author line (kept as metadata)")
        if why:
            removed.append(Removal.of_line(why[0], why[1], b.text, i + 1, why[2], b.path))
        else:
            kept.append(b)
    return kept, removed
