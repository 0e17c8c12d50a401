"""A cheap language guess: English, German, French or Spanish from stopword counts; the
language a non-Latin script names (Chinese, Japanese, Korean, Arabic, Russian...)."""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["guess_language", "normalize_lang", "text_language", "SUPPORTED"]

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
SAMPLE_CHARS = 4000  # the text a guess reads
_NON_LATIN = re.compile(r"[^\W\d_\x00-\u024f]")  # a letter past Latin Extended-B


def normalize_lang(value: object) -> str | None:
    """``"en-GB"`` -> ``"en"``; empty, malformed or not a string -> None.

    >>> normalize_lang("en-GB"), normalize_lang("9-GB"), normalize_lang(1)
    ('en', None, None)
    """
    if not value or not isinstance(value, str):
        return None
    code = value.strip().split("-")[0].split("_")[0].lower()
    return code if code.isalpha() and 2 <= len(code) <= 3 else None


# the scripts that name a language, each a class of code point ranges
_SCRIPTS = {"kana": "\u3040-\u30ff", "han": "\u4e00-\u9fff\u3400-\u4dbf",
            "hangul": "\uac00-\ud7af\u1100-\u11ff", "arabic": "\u0600-\u06ff",
            "cyrillic": "\u0400-\u04ff"}
_SCRIPT_CHARS = {script: re.compile(f"[{ranges}]") for script, ranges in _SCRIPTS.items()}
_KANA_SHARE = 0.1    # Han text this much kana is Japanese
_OWN_LETTERS = 0.01  # a script's text this much of a language's own letters is that language
_ARABIC_OWN = (("ur", "ٹڈڑںے"), ("fa", "پچژگکی"))
_CYRILLIC_OWN = (("uk", "іїєґ"), ("sr", "ђјљњћџ"))


def _script_language(text: str) -> str:
    """The language a non-Latin text's script names: kana ja, Han zh, Hangul ko, Arabic ar
    (fa, ur), Cyrillic ru (uk, sr), each by its own letters; "xx" for any other script."""
    counts = {script: len(chars.findall(text)) for script, chars in _SCRIPT_CHARS.items()}
    cjk = counts["kana"] + counts["han"]
    scores = {"cjk": cjk, "ko": counts["hangul"], "ar": counts["arabic"],
              "ru": counts["cyrillic"]}
    top = max(scores, key=lambda k: scores[k])
    if not scores[top]:
        return "xx"
    if top == "cjk":
        return "ja" if counts["kana"] >= _KANA_SHARE * cjk else "zh"
    own = {"ar": _ARABIC_OWN, "ru": _CYRILLIC_OWN}.get(top, ())
    for lang, letters in own:
        if sum(text.count(c) for c in letters) >= _OWN_LETTERS * scores[top]:
            return lang
    return top


def guess_language(text: str, sample: int = SAMPLE_CHARS) -> str | None:
    """Guess en/de/fr/es; for text mostly in another script, the language the script
    names (``"zh"``, ``"ja"``, ``"ko"``, ``"ar"``, ``"ru"``...) or ``"xx"``; None when unsure.

    >>> guess_language("The cat sat on the mat and it was happy with the view.")
    'en'
    >>> guess_language("北陆新干线的着工判断被推迟到明年。"), guess_language("東京は晴れです。")
    ('zh', 'ja')
    """
    head = text[:sample]
    words = _WORD.findall(head.lower())
    if not words:
        return None
    if _NON_LATIN.search(head):
        latin = sum(1 for w in words if w.isascii() or w[0] <= "\u024f")
        if latin < len(words) * 0.5:
            return _script_language(head)
    counts = dict.fromkeys(SUPPORTED, 0)
    seen = Counter(words)  # counted in C; then the few stopwords looked up
    for w, langs in _INDEX.items():
        k = seen.get(w)
        if k:
            for lang in langs:
                counts[lang] += k
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    (best, top), (_, second) = ranked[0], ranked[1]
    if top >= 3 and top >= second * 1.5:
        return best
    if top >= 2 and second == 0:
        return best
    return None


# the script each script-named language is written in; any other language: Latin
_SCRIPT_OF = {"zh": "cjk", "ja": "cjk", "ko": "hangul", "ar": "arabic", "fa": "arabic",
              "ur": "arabic", "ru": "cyrillic", "uk": "cyrillic", "sr": "cyrillic",
              "bg": "cyrillic", "be": "cyrillic", "mk": "cyrillic", "kk": "cyrillic"}


def text_language(declared: str | None, text: str) -> str | None:
    """The language the text is read in: the declared one (None: guessed), unless the
    text is mostly in a script the declared language is not written in (a Japanese blog
    on a theme that says ``lang="en-US"``): then the language that script names.

    >>> text_language("en", "東京は晴れです。明日も晴れるでしょう。"), text_language("en", "Rain.")
    ('ja', 'en')
    """
    if declared and not _NON_LATIN.search(text, 0, SAMPLE_CHARS):
        return declared  # Latin letters only: no script names another language
    guess = guess_language(text)
    if not declared:
        return guess
    if guess in _SCRIPT_OF and _SCRIPT_OF[guess] != _SCRIPT_OF.get(declared, "latin"):
        return guess
    return declared
