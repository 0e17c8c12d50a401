"""The founding case: a WordPress news article whose extract ended in the Gravity Forms
legend ``"*" indicates required fields``.

Three pages (English, German, French) carry the same nine-paragraph article in
``article > div.entry-content`` together with the widgets that leak into extracts:
a Gravity Forms newsletter form inside the post body (legend and honeypot included),
Jetpack sharing, likes and related posts, the WordPress comment form with Akismet's
notice and honeypot, a CookieYes bar, a skip link, breadcrumbs, sidebar and footer.

For each page the clean text must hold every article sentence, in order, and nothing
else; and each widget must leave a Removal record of a sensible family.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import lxml.html
import pytest

from cleaner import clean_article, clean_text

PAGES = Path(__file__).parent / "pages"
SAMPLE = Path(__file__).parent.parent / "cleaner" / "samples" / "seed-wordpress.html"
SEED_TEXT = PAGES / "seed_article_en.txt"   # the seed extract, byte for byte


@dataclass(frozen=True)
class Widget:
    """One widget on a seed page: the families its Removal may have, a string its
    Removal text must contain, and strings that must not survive into the text."""

    name: str
    families: frozenset[str]
    marker: str
    gone: tuple[str, ...]


@dataclass(frozen=True)
class SeedPage:
    lang: str
    file: str | Path    # a name in tests/pages, or the bundled sample itself
    url: str
    legend: str
    widgets: tuple[Widget, ...]
    chrome: tuple[str, ...]     # theme text outside the widgets that must not survive


def W(name: str, families: str, marker: str, *gone: str) -> Widget:
    return Widget(name, frozenset(families.split()), marker, gone or (marker,))


SEED_PAGES = (
    SeedPage(
        "en", SAMPLE, "https://example.org/2025/10/tomahawk-missiles/",
        '"*" indicates required fields',
        (
            W("gravity form", "form", '"*" indicates required fields',
              '"*" indicates required fields', "indicates required fields",
              "Get the Ledger Daily", "World news and analysis in your inbox",
              "First name", "Also send me", "Weekend long reads", "Breaking news alerts",
              "Sign up"),
            W("gravity honeypot", "form hidden",
              "This field is for validation purposes and should be left unchanged.",
              "This field is for validation purposes", "Company"),
            W("jetpack share", "share", "Share this:",
              "Share this:", "Click to share on Twitter", "Click to share on Facebook",
              "Click to email a link to a friend", "Click to print", "(Opens in new window)"),
            W("jetpack likes", "share likes", "Like this:",
              "Like this:", "Like Loading...", "Loading..."),
            W("jetpack related", "related", "Defence ministers meeting in Brussels",
              "Defence ministers meeting in Brussels", "What to watch as world leaders",
              "EU ministers debate a lower oil price cap", 'In "World"', 'In "Politics"',
              "September 15, 2025"),
            W("comment form", "comments", "Your email address will not be published.",
              "Leave a Reply", "Cancel reply", "Your email address will not be published.",
              "Required fields are marked", "Save my name, email, and website",
              "Post Comment", "Website"),
            W("akismet notice", "comments", "This site uses Akismet to reduce spam.",
              "Akismet", "Learn how your comment data is processed."),
            W("akismet honeypot", "comments hidden form", "Δ", "Δ"),
            W("cookie bar", "consent", "We use cookies to enhance your browsing experience",
              "We value your privacy", "We use cookies", "Accept All", "Reject All",
              "Customize"),
            W("skip link", "navigation", "Skip to content"),
            W("breadcrumbs", "navigation", "Home » World", "Home » World", "»"),
        ),
        ("The Northfield Ledger", "Independent news and analysis since 1998",
         "Posted on", "Dana Whitfield", "Posted in", "Tagged", "Post navigation",
         "Insurers return to the Black Sea grain corridor", "Recent Posts", "Categories",
         "Archives", "About the Ledger", "All rights reserved", "Proudly powered by",
         "Privacy Policy", "Search for:"),
    ),
    SeedPage(
        "de", "seed_wordpress_de.html",
        "https://example.org/de/2025/10/tomahawk-marschflugkoerper/",
        "„*“ zeigt erforderliche Felder an",
        (
            W("gravity form", "form", "„*“ zeigt erforderliche Felder an",
              "zeigt erforderliche Felder an", "Der Kurier am Morgen",
              "Die wichtigsten Nachrichten des Tages", "Vorname", "Einwilligung",
              "Ich bin einverstanden", "Absenden"),
            W("gravity honeypot", "form hidden",
              "Dieses Feld dient zur Validierung und sollte nicht verändert werden.",
              "Dieses Feld dient zur Validierung", "Phone"),
            W("jetpack share", "share", "Teilen mit:",
              "Teilen mit:", "Klick, um über Twitter zu teilen", "Klicken zum Ausdrucken",
              "(Wird in neuem Fenster geöffnet)"),
            W("jetpack likes", "share likes", "Gefällt mir:",
              "Gefällt mir", "Wird geladen..."),
            W("jetpack related", "related", 'In "Welt"',
              "Ähnliche Beiträge", "Nato-Partner sagen neue Luftabwehrsysteme zu",
              "Worauf es bei der UN-Vollversammlung ankommt", 'In "Welt"', 'In "Politik"',
              "15. September 2025"),
            W("comment form", "comments", "Deine E-Mail-Adresse wird nicht veröffentlicht.",
              "Schreibe einen Kommentar", "Antworten abbrechen",
              "Deine E-Mail-Adresse wird nicht veröffentlicht.",
              "Erforderliche Felder sind mit", "Meinen Namen, meine E-Mail-Adresse",
              "Kommentar abschicken", "Website"),
            W("akismet notice", "comments", "Diese Website verwendet Akismet",
              "Akismet", "Erfahre mehr darüber, wie deine Kommentardaten verarbeitet werden."),
            W("akismet honeypot", "comments hidden form", "Δ", "Δ"),
            W("cookie bar", "consent", "Wir verwenden Cookies, um Ihr Surferlebnis",
              "Wir respektieren Ihre Privatsphäre", "Wir verwenden Cookies",
              "Alle akzeptieren", "Alle ablehnen"),
            W("skip link", "navigation", "Zum Inhalt springen"),
            W("breadcrumbs", "navigation", "Startseite » Welt", "Startseite", "»"),
        ),
        ("Nordfeld-Kurier", "Nachrichten und Hintergründe aus aller Welt", "Jonas Reimann",
         "8. Oktober 2025", "Kategorien", "Schlagwörter", "Getreidekorridor",
         "Neueste Beiträge", "Impressum", "Datenschutzerklärung", "GeneratePress",
         "Suche nach:"),
    ),
    SeedPage(
        "fr", "seed_wordpress_fr.html",
        "https://example.org/fr/2025/10/missiles-tomahawk-ukraine/",
        "«\u00a0*\u00a0» indique les champs nécessaires",
        (
            W("gravity form", "form", "indique les champs nécessaires",
              "indique les champs nécessaires", "La lettre du matin",
              "Recevez chaque matin l’essentiel", "Adresse e-mail", "Fréquence",
              "Quotidienne", "Hebdomadaire", "Envoyer"),
            W("gravity honeypot", "form hidden",
              "Ce champ n’est utilisé qu’à des fins de validation et devrait rester inchangé.",
              "Ce champ n’est utilisé qu’à des fins de validation"),
            W("jetpack share", "share", "Partager :",
              "Partager :", "Cliquez pour partager sur Twitter",
              "(ouvre dans une nouvelle fenêtre)"),
            W("jetpack likes", "share likes", "WordPress:",
              "WordPress:", "J'aime", "chargement…"),
            W("jetpack related", "related", 'Dans "International"',
              "Articles similaires", "Les alliés de l’OTAN promettent",
              "Ce qu’il faut suivre à l’Assemblée générale de l’ONU", 'Dans "Politique"',
              "22 septembre 2025"),
            W("comment form", "comments", "Votre adresse e-mail ne sera pas publiée.",
              "Laisser un commentaire", "Annuler la réponse",
              "Votre adresse e-mail ne sera pas publiée.",
              "Les champs obligatoires sont indiqués avec", "Saisissez votre commentaire",
              "Enregistrer mon nom, mon e-mail et mon site", "Site web"),
            W("akismet notice", "comments", "Ce site utilise Akismet pour réduire les indésirables.",
              "Akismet", "En savoir plus sur comment les données de vos commentaires"),
            W("akismet honeypot", "comments hidden form", "Δ", "Δ"),
            W("cookie bar", "consent", "Nous utilisons des cookies pour améliorer",
              "Nous accordons de l'importance à votre vie privée", "Nous utilisons des cookies",
              "Accepter tout", "Tout refuser"),
            W("skip link", "navigation", "Aller au contenu"),
            W("breadcrumbs", "navigation", "Accueil International Trump envisage", "Accueil"),
        ),
        ("La Gazette du Nord", "Claire Morvan", "Publié le", "8 octobre 2025",
         "Article précédent", "Article suivant", "corridor céréalier", "Articles récents",
         "Archives", "Copyright", "Propulsé par", "Astra"),
    ),
)
IDS = [p.lang for p in SEED_PAGES]

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[.!?][”“\"»])\s+")


def _squash(text: str) -> str:
    """One space for any run of whitespace (NBSP included): layout is not content."""
    return " ".join(text.split())


def sentences(paragraph: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(_squash(paragraph)) if s]


def _article(page: SeedPage) -> tuple[str, list[str]]:
    """The headline and the article paragraphs, read from the page's own markup."""
    doc = lxml.html.fromstring((PAGES / page.file).read_bytes())
    title = _squash(doc.xpath("//article//h1[contains(@class, 'entry-title')]")[0]
                    .text_content())
    paras = [_squash(p.text_content()) for p in doc.xpath(
        "//article//div[contains(concat(' ', normalize-space(@class), ' '),"
        " ' entry-content ')]/p")]
    return title, paras


@cache
def _cleaned(page: SeedPage):
    return clean_article((PAGES / page.file).read_bytes(), page.url)


@pytest.fixture(params=SEED_PAGES, ids=IDS)
def seed(request):
    page: SeedPage = request.param
    title, paras = _article(page)
    return page, _cleaned(page), title, paras


WIDGETS = [pytest.param(page, w, id=f"{page.lang}-{w.name.replace(' ', '-')}")
           for page in SEED_PAGES for w in page.widgets]


def test_seed_pages_hold_the_nine_article_paragraphs(seed):
    _, _, _, paras = seed
    assert len(paras) == 9


def test_english_seed_page_carries_the_seed_article():
    _, paras = _article(SEED_PAGES[0])
    seed_lines = SEED_TEXT.read_text(encoding="utf-8").split("\n")
    assert paras == seed_lines[:9]


def test_every_article_sentence_kept_in_order(seed):
    _, result, _, paras = seed
    text = _squash(result.text)
    pos = 0
    for para in paras:
        for s in sentences(para):
            found = text.find(s, pos)
            assert found >= 0, (f"sentence missing or out of order: {s!r}\n"
                                f"in the text:\n{result.text}")
            pos = found + len(s)


def test_headline_is_the_title_not_body_text(seed):
    _, result, title, _ = seed
    assert _squash(result.title or "") == title
    assert title not in _squash(result.text)


def test_text_is_exactly_the_article(seed):
    _, result, _, paras = seed
    assert [_squash(line) for line in result.text.split("\n")] == paras


@pytest.mark.parametrize("seed_page, widget", WIDGETS)
def test_widget_text_gone(seed_page, widget):
    result = _cleaned(seed_page)
    text = _squash(result.text)
    left = [s for s in widget.gone if _squash(s) in text]
    assert not left, f"{seed_page.lang} {widget.name}: {left} survived in:\n{result.text}"


@pytest.mark.parametrize("seed_page, widget", WIDGETS)
def test_widget_removal_recorded(seed_page, widget):
    result = _cleaned(seed_page)
    marker = _squash(widget.marker)
    hits = [r for r in result.removed if marker in _squash(r.text)]
    assert any(r.family in widget.families for r in hits), (
        f"{seed_page.lang} {widget.name}: no Removal of family {sorted(widget.families)} "
        f"holding {widget.marker!r}; removals holding it: "
        f"{[(r.rule, r.family) for r in hits]}")


def test_theme_chrome_gone(seed):
    page, result, _, _ = seed
    text = _squash(result.text)
    left = [s for s in page.chrome if s in text]
    assert not left, f"{page.lang}: theme text survived: {left}"


def test_gravity_form_removed_by_a_gravity_rule(seed):
    page, result, _, _ = seed
    legend = _squash(page.legend)
    rules = [r.rule for r in result.removed if legend in _squash(r.text)]
    assert any(rule.startswith("form.gravity") for rule in rules), rules


def test_every_removal_says_why(seed):
    _, result, _, _ = seed
    for r in result.removed:
        assert r.rule and r.family and r.where.split(":", 1)[0] in ("html", "text")


# -- the text layer on the seed extract itself ---------------------------------------

def test_clean_text_drops_exactly_the_legend_line():
    raw = SEED_TEXT.read_text(encoding="utf-8")
    lines = raw.split("\n")
    assert lines[-1] == '"*" indicates required fields'
    result = clean_text(raw)
    assert result.text == "\n".join(lines[:-1])
    assert [(r.rule, r.family, r.text, r.where) for r in result.removed] == [
        ("form.gravity.legend", "form", '"*" indicates required fields',
         f"text:{len(lines)}")]


@pytest.mark.parametrize("seed_page", SEED_PAGES[1:], ids=IDS[1:])
def test_clean_text_drops_the_translated_legend(seed_page):
    _, paras = _article(seed_page)
    result = clean_text("\n".join(paras + [seed_page.legend]), lang=seed_page.lang)
    assert result.text == "\n".join(paras)
    assert [(r.rule, r.family) for r in result.removed] == [("form.gravity.legend", "form")]


def test_clean_text_keeps_the_article_untouched_without_a_legend():
    raw = SEED_TEXT.read_text(encoding="utf-8")
    body = "\n".join(raw.split("\n")[:-1])
    result = clean_text(body)
    assert result.text == body
    assert result.removed == ()
