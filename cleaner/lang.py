"""A cheap language guess (English, German, French, Spanish) from stopword counts."""

from __future__ import annotations

import re

__all__ = ["guess_language", "normalize_lang", "SUPPORTED"]

SUPPORTED = ("en", "de", "fr", "es")
_STOPWORDS = {
    "en": "the and of to in is that for it was on with as are be this by have from at not "
          "but they his her you we has had which were will been would their there said",
    "de": "der die und das ist nicht ein eine zu den von mit sich des auf für im dem auch "
          "es an als wird bei aus sind nach wie einen oder um hat noch werden dass ich",
    "fr": "le la les et des est un une du en que qui dans pour pas sur au avec ce il sont "
          "par plus se ne ont été aux cette mais ou elle nous vous leur comme",
    "es": "el la los las de que y en un una es por con para del se no al lo como más "
          "pero sus le ya fue este ha son entre cuando muy sin sobre también",
}
_INDEX: dict[str, list[str]] = {}
for _lang, _words in _STOPWORDS.items():
    for _w in _words.split():
        _INDEX.setdefault(_w, []).append(_lang)
_WORD = re.compile(r"[^\W\d_]+")


def normalize_lang(value: object) -> str | None:
    """``"en-GB"`` -> ``"en"``; empty, malformed or not a string -> None.

    >>> normalize_lang("en-GB"), normalize_lang("9-GB"), normalize_lang(1)
    ('en', None, None)
    """
    if not value or not isinstance(value, str):
        return None
    code = value.strip().split("-")[0].split("_")[0].lower()
    return code if code.isalpha() and 2 <= len(code) <= 3 else None


def guess_language(text: str, sample: int = 4000) -> str | None:
    """Guess en/de/fr/es; ``"xx"`` for text mostly in another script; None when unsure.

    >>> guess_language("The cat sat on the mat and it was happy with the view.")
    'en'
    """
    words = _WORD.findall(text[:sample].lower())
    if not words:
        return None
    latin = sum(1 for w in words if w.isascii() or w[0] <= "\u024f")
    if latin < len(words) * 0.5:
        return "xx"
    counts = dict.fromkeys(SUPPORTED, 0)
    for w in words:
        for lang in _INDEX.get(w, ()):
            counts[lang] += 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    (best, top), (_, second) = ranked[0], ranked[1]
    if top >= 3 and top >= second * 1.5:
        return best
    if top >= 2 and second == 0:
        return best
    return None
