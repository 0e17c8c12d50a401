"""Runs every rule's own examples, so a rule documents itself and cannot over-remove.

Four kinds of example, each checked through the public API:

* ``drop_examples``: one line through ``clean_text(line, lang=<rule's first language>)``
  must come back empty, removed by that very rule (a rule with per-language strings
  tries each of its languages: each string fires only in its own);
* ``keep_examples``: must come back unchanged, with nothing removed (in every language of
  a rule with per-language strings);
* ``drop_html``: an HTML snippet placed inside a realistic article page (long prose
  paragraphs before and after it, in ``<article>``) through ``clean_article``: none of
  its visible text may be left, and a removal of the rule (or of its family) must say
  why; a rule with selectors must also match an element of the snippet itself;
* ``keep_html``: the snippet's text must survive in the same page.

>>> run_examples(["form.gravity.legend"])
[]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from typing import Any

import lxml.html
from lxml import etree

from ..pipeline import clean_article, clean_text
from ..rules import Rule, RuleSet, compile_selector, default_rules
from ..textnorm import collapse_spaces, normalize_line

__all__ = ["Failure", "run_examples", "article_page", "visible_segments", "leaf_texts",
           "PROSE", "TITLES"]

# Article prose for test pages, written for these checks: long, plain, free of any
# residue wording, in each language the rules cover.
PROSE: dict[str, tuple[str, ...]] = {
    "en": (
        "The harbour authority spent most of the winter rebuilding the eastern breakwater, "
        "which storms had cracked in two places during the autumn, and engineers now expect "
        "the work to be finished well before the fishing season opens in April.",
        "Local skippers, who had moored their boats in the western basin since October, "
        "welcomed the news but warned that the narrow channel there had silted up badly, "
        "making it difficult for larger trawlers to leave at low tide.",
        "According to the council's figures, repairs have so far cost about 3.2 million euros, "
        "roughly a third more than the first estimate, largely because granite blocks had to "
        "be shipped from a quarry much further north than planned.",
        "The authority's chairman told reporters on Tuesday that a second phase, covering the "
        "old lighthouse pier and the slipway beside it, would be put out to tender in the "
        "summer once the current contractor has left the site.",
    ),
    "de": (
        "Die Hafenbehörde hat den größten Teil des Winters damit verbracht, die östliche "
        "Mole wieder aufzubauen, die bei den Herbststürmen an zwei Stellen gebrochen war, und "
        "die Ingenieure rechnen nun mit einem Abschluss der Arbeiten lange vor April.",
        "Die örtlichen Fischer, die ihre Boote seit Oktober im westlichen Becken festgemacht "
        "hatten, begrüßten die Nachricht, warnten aber, dass die schmale Fahrrinne dort stark "
        "versandet sei und größere Kutter bei Ebbe kaum auslaufen könnten.",
        "Nach den Zahlen des Gemeinderats haben die Reparaturen bisher rund 3,2 Millionen Euro "
        "gekostet, etwa ein Drittel mehr als zunächst geschätzt, vor allem weil die "
        "Granitblöcke aus einem weit entfernten Steinbruch im Norden kamen.",
        "Der Vorsitzende der Behörde sagte am Dienstag vor Journalisten, ein zweiter "
        "Bauabschnitt mit dem alten Leuchtturmsteg und der Slipanlage daneben werde im Sommer "
        "ausgeschrieben, sobald die jetzige Baufirma die Baustelle verlassen habe.",
    ),
    "fr": (
        "L'autorité portuaire a passé la plus grande partie de l'hiver à reconstruire la "
        "digue orientale, que les tempêtes d'automne avaient fissurée à deux endroits, et les "
        "ingénieurs pensent désormais terminer les travaux bien avant le mois d'avril.",
        "Les patrons pêcheurs, qui avaient amarré leurs bateaux dans le bassin ouest depuis "
        "octobre, ont salué la nouvelle, tout en prévenant que le chenal y était très ensablé "
        "et que les grands chalutiers avaient du mal à sortir à marée basse.",
        "Selon les chiffres de la municipalité, les réparations ont déjà coûté environ 3,2 "
        "millions d'euros, soit un tiers de plus que la première estimation, surtout parce que "
        "les blocs de granit ont dû venir d'une carrière située bien plus au nord.",
        "Le président de l'autorité a déclaré mardi devant la presse qu'une seconde phase, "
        "qui concerne la vieille jetée du phare et la cale de halage voisine, serait mise en "
        "appel d'offres cet été, une fois le chantier actuel terminé.",
    ),
    "es": (
        "La autoridad portuaria ha pasado la mayor parte del invierno reconstruyendo el "
        "rompeolas oriental, que los temporales de otoño habían agrietado en dos puntos, y los "
        "ingenieros calculan ahora que las obras terminarán mucho antes de abril.",
        "Los patrones de pesca, que tenían sus barcos amarrados en la dársena oeste desde "
        "octubre, celebraron la noticia, aunque advirtieron de que el canal estaba muy "
        "aterrado y que los arrastreros grandes apenas podían salir con marea baja.",
        "Según las cifras del ayuntamiento, las reparaciones han costado hasta ahora unos 3,2 "
        "millones de euros, alrededor de un tercio más de lo previsto, sobre todo porque los "
        "bloques de granito tuvieron que traerse de una cantera mucho más al norte.",
        "El presidente de la autoridad dijo el martes a los periodistas que una segunda fase, "
        "que incluye el viejo muelle del faro y la rampa contigua, saldrá a concurso en "
        "verano, cuando la empresa actual haya dejado las obras.",
    ),
}
TITLES = {
    "en": "Harbour repairs to finish before the fishing season",
    "de": "Hafenreparatur soll vor der Fangsaison fertig sein",
    "fr": "Les travaux du port finis avant la saison de pêche",
    "es": "Las obras del puerto acabarán antes de la temporada de pesca",
}
_NEVER_SHOWN = ("script", "style", "noscript", "template", "iframe", "object", "embed",
                "canvas", "video", "audio", "select", "button", "input", "textarea", "svg")
_LEAF_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "blockquote",
                "dt", "dd", "td", "th", "pre", "caption", "div", "span", "a", "label")


@dataclass(frozen=True)
class Failure:
    """One example that did not behave as its rule says."""

    rule: str
    kind: str          # drop_example, keep_example, drop_html, keep_html
    example: str
    problem: str

    def __str__(self) -> str:
        ex = self.example if len(self.example) <= 90 else self.example[:87] + "..."
        return f"{self.rule} [{self.kind}] {ex!r}: {self.problem}"


def _rule_lang(rule: Rule) -> str | None:
    return next((lang for lang in rule.langs if lang != "*"), None)


def _example_langs(rule: Rule) -> list[str | None]:
    """The languages a rule's text examples run in: its first, or each for per-language strings."""
    if getattr(rule, "string_langs", ()):
        return [lang for lang in rule.langs if lang != "*"] or [None]
    return [_rule_lang(rule)]


def article_page(snippet: str, lang: str | None = "en") -> str:
    """A realistic article page with ``snippet`` between its second and third paragraph.

    >>> "<article" in article_page("<p>x</p>")
    True
    """
    lang = lang if lang in PROSE else "en"
    p = [f"<p>{escape(t)}</p>" for t in PROSE[lang]]
    title = escape(TITLES[lang])
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{title} | Harbour Gazette</title></head><body>"
        '<header class="site-header"><p class="site-title"><a href="/">Harbour Gazette</a>'
        "</p></header><main id=\"main\"><article class=\"post type-post\">"
        f'<h1 class="entry-title">{title}</h1><div class="entry-content">'
        f"{p[0]}{p[1]}{snippet}{p[2]}{p[3]}</div></article></main></body></html>")


def _fragment(snippet: str) -> Any:
    root = lxml.html.fragment_fromstring(snippet, create_parent="div")
    etree.strip_elements(root, *_NEVER_SHOWN, with_tail=False)
    return root


def visible_segments(snippet: str) -> list[str]:
    """The snippet's text pieces a reader could see (scripts, inputs and buttons aside)."""
    out = []
    for t in _fragment(snippet).itertext():
        t = collapse_spaces(t)
        if t:
            out.append(t)
    return out


def leaf_texts(snippet: str) -> list[str]:
    """Text of each innermost block of the snippet (whole text when it has no blocks)."""
    root = _fragment(snippet)
    blocks = [el for el in root.iter(*_LEAF_BLOCKS) if el is not root and not any(
        d.tag in _LEAF_BLOCKS for d in el.iterdescendants())]
    texts = [collapse_spaces(el.text_content()) for el in blocks]
    texts = [t for t in texts if t]
    whole = collapse_spaces(root.text_content())
    return texts or ([whole] if whole else [])


def _residual(text: str, lang: str) -> str:
    """The result text without the page's own prose and title lines."""
    known = {normalize_line(t) for t in PROSE[lang]} | {normalize_line(TITLES[lang])}
    return "\n".join(line for line in text.splitlines()
                     if normalize_line(line) not in known)


def _selector_hits(rule: Rule, snippet: str) -> bool:
    root = lxml.html.fragment_fromstring(snippet, create_parent="div")
    tests = [t for css in rule.select for _, t in compile_selector(css)]
    return any(test(el) for el in root.iter(etree.Element) if el is not root
               for test in tests)


def _check_rule(rule: Rule, ruleset: RuleSet) -> list[Failure]:
    fails: list[Failure] = []
    lang = _rule_lang(rule)
    # a rule whose strings are given per language ([rule.lines] en = ..., de = ...) drops
    # each example in that example's own language, and must keep its keep_examples in all
    tried = _example_langs(rule)
    for ex in rule.drop_examples:
        for lg in tried:
            res = clean_text(ex, lang=lg, rules=ruleset)
            ids = [r.rule for r in res.removed]
            if not res.text.strip() and rule.id in ids:
                break
        if res.text.strip():
            fails.append(Failure(rule.id, "drop_example", ex,
                                 f"text left: {res.text!r} (removed by {ids or 'nothing'})"))
        elif rule.id not in ids:
            fails.append(Failure(rule.id, "drop_example", ex, f"removed by {ids}, not "
                                 "by this rule"))
    for ex in rule.keep_examples:
        for lg in tried:
            res = clean_text(ex, lang=lg, rules=ruleset)
            if res.text != ex or res.removed:
                fails.append(Failure(rule.id, "keep_example", ex, f"changed (lang={lg}): "
                                     f"removed by {[r.rule for r in res.removed]}, left "
                                     f"{res.text!r}"))
                break
    page_lang = lang if lang in PROSE else "en"
    for snippet in rule.drop_html:
        res = clean_article(article_page(snippet, page_lang), rules=ruleset)
        problems = []
        lost = [t for t in PROSE[page_lang] if t not in res.text]
        if lost:
            problems.append(f"article prose lost: {lost[0][:50]!r}")
        rest = normalize_line(_residual(res.text, page_lang))
        left = [s for s in visible_segments(snippet) if normalize_line(s) in rest]
        if left:
            problems.append(f"text left: {left[:3]}")
        if not any(r.rule == rule.id or r.family == rule.family for r in res.removed):
            problems.append("no removal of this rule or family; removed by "
                            f"{sorted({r.rule for r in res.removed})}")
        if rule.select and not _selector_hits(rule, snippet):
            problems.append("none of the rule's selectors matches an element of the snippet")
        if problems:
            fails.append(Failure(rule.id, "drop_html", snippet, "; ".join(problems)))
    for snippet in rule.keep_html:
        res = clean_article(article_page(snippet, page_lang), rules=ruleset)
        text = normalize_line(res.text.replace("\n", " "))
        lost = [t for t in leaf_texts(snippet) if normalize_line(t) not in text]
        if lost:
            removed = [f"{r.rule}: {r.text[:40]!r}" for r in res.removed]
            fails.append(Failure(rule.id, "keep_html", snippet,
                                 f"lost {lost[:3]}; removals {removed}"))
    return fails


def run_examples(rules: RuleSet | Iterable[Rule | str] | None = None, *,
                 ruleset: RuleSet | None = None) -> list[Failure]:
    """Run the examples of ``rules`` (default: every bundled rule); return the failures.

    ``rules`` may be a RuleSet (checked, and used for cleaning), or rules / rule ids
    to check against ``ruleset`` (default: the bundled rules, so that examples also
    prove no *other* rule claims them).
    """
    if isinstance(rules, RuleSet):
        ruleset = ruleset or rules
        chosen = list(rules.rules)
    else:
        ruleset = ruleset or default_rules()
        if rules is None:
            chosen = list(ruleset.rules)
        else:
            chosen = []
            for r in rules:
                if isinstance(r, str):
                    if r not in ruleset.by_id:
                        return [Failure(r, "rule", "", "no such rule")]
                    r = ruleset.by_id[r]
                chosen.append(r)
    fails: list[Failure] = []
    for rule in chosen:
        fails.extend(_check_rule(rule, ruleset))
    return fails
