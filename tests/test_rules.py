"""The residue rules: every rule's own examples, the rule schema, and `cleaner rules`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cleaner import clean_article, clean_text
from cleaner.cli import main
from cleaner.devtools.rulecheck import Failure, article_page, run_examples
from cleaner.errors import RuleError
from cleaner.rules import RULES_DIR, Rule, RuleSet, compile_selector, default_rules, load_rules
from cleaner.textnorm import normalize_line
from cleaner.textrules import PROSE_CHARS

RULES = default_rules()
FAMILIES = ("form", "comments", "newsletter", "paywall", "consent", "share", "related", "ads",
            "navigation", "tools", "author", "readmore", "feed", "notice")
# families for which the catalogue gives German, French and Spanish strings
TRANSLATED = ("form", "comments", "newsletter", "share", "related", "ads", "navigation",
              "tools", "author", "readmore", "feed", "notice")
ID = re.compile(r"^[a-z]+\.[a-z0-9_]+(?:-[a-z0-9_]+)*\.[a-z0-9_]+(?:-[a-z0-9_]+)*$")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "extra.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --- every rule's examples ------------------------------------------------------------

@pytest.mark.parametrize("rule_id", [r.id for r in RULES.rules])
def test_rule_examples(rule_id):
    failures = run_examples([rule_id])
    assert not failures, "\n".join(map(str, failures))


@pytest.mark.parametrize("rule_id", [r.id for r in RULES.rules])
def test_rule_is_well_formed(rule_id):
    rule = RULES.by_id[rule_id]
    assert ID.match(rule.id), "ids are family.product.item"
    assert rule.id.split(".")[0] == rule.family
    assert rule.source == f"{rule.family}.toml"
    assert rule.why and "\n" not in rule.why
    assert rule.select or rule.lines or rule.patterns or rule.phrases or rule.cased_patterns
    if rule.lines or rule.patterns or rule.phrases or rule.cased_patterns:
        assert rule.drop_examples, "a text rule shows what it drops"
    if rule.select and not rule.comment_content and "iframe" not in " ".join(rule.select):
        assert rule.drop_html, "a markup rule shows what it removes"


@pytest.mark.parametrize("rule_id", [r.id for r in RULES.rules if r.position != "anywhere"])
def test_edges_rules_only_hold_short_lines(rule_id):
    # a line of PROSE_CHARS or more counts as prose itself, so an edges rule never sees it
    rule = RULES.by_id[rule_id]
    assert all(len(line) < PROSE_CHARS for ex in rule.drop_examples for line in ex.splitlines())


def test_every_family_has_a_rule_file():
    assert set(RULES.families()) == set(FAMILIES)
    for family in FAMILIES:
        assert (RULES_DIR / f"{family}.toml").is_file()


@pytest.mark.parametrize("family", TRANSLATED)
def test_family_covers_four_languages(family):
    langs = {lang for r in RULES.rules if r.family == family for lang in r.langs}
    assert {"en", "de", "fr", "es"} <= langs


def test_no_line_belongs_to_two_rules():
    # the same string in two rules would be a missing data entry (and one rule's
    # example would be claimed by the other)
    owners: dict[str, list[Rule]] = {}
    for rule in RULES.rules:
        for line in rule.lines:
            owners.setdefault(normalize_line(line), []).append((rule.id, rule.langs_of(line)))
    clashes = []
    for line, owned in owners.items():
        for i, (a, la) in enumerate(owned):
            for b, lb in owned[i + 1:]:
                if a != b and ("*" in la or "*" in lb or set(la) & set(lb)):
                    clashes.append((line, a, b))
    assert not clashes


def test_selectors_are_specific():
    # attribute-only or bare-tag selectors are tested on every element of that tag
    wide = []
    for rule in RULES.rules:
        for css in rule.select:
            for (kind, name), _ in compile_selector(css):
                if kind == "tag":
                    wide.append((rule.id, css, name))
    assert {name for _, _, name in wide} <= {"nav", "ol", "form", "iframe"}
    assert len(wide) <= 10


def test_rules_compile_once():
    assert default_rules() is default_rules()


def test_comment_content_rules_remove_only_comment_lists():
    ids = {r.id for r in RULES.rules if r.comment_content}
    assert ids == {"comments.wp.list", "comments.disqus.thread", "comments.wpdiscuz.thread"}


# --- include_comments ------------------------------------------------------------------

def test_comment_list_kept_with_include_comments_but_form_goes():
    import cleaner
    comments = ('<div id="comments"><ol class="comment-list"><li class="comment"><div class="comment-body">'
                '<div class="comment-content"><p>I grew up by this harbour and my father fished from '
                'the old pier every summer morning.</p></div><div class="reply"><a class="comment-reply-link" '
                'href="#">Reply</a></div></div></li></ol><div id="respond" class="comment-respond">'
                '<h3 id="reply-title">Leave a Reply</h3></div></div>')
    page = article_page(comments)
    without = cleaner.clean_article(page)
    assert "my father fished" not in without.text
    kept = cleaner.clean_article(page, include_comments=True)
    assert "Leave a Reply" not in kept.text
    assert "Reply" not in kept.text.splitlines()
    assert any(r.rule == "comments.wp.respond" for r in kept.removed)


# --- the checker itself ----------------------------------------------------------------

def test_checker_reports_a_bad_rule():
    bad = Rule(id="x.bad.rule", family="x", why="broken on purpose", select=("div.nothing",),
               lines=("Harbour",), drop_examples=("Not in the rule",),
               keep_examples=("Leave a Reply",), drop_html=('<div class="other">Box text</div>',))
    failures = run_examples([bad])
    kinds = {f.kind for f in failures}
    assert kinds == {"drop_example", "keep_example", "drop_html"}
    assert all(isinstance(f, Failure) and f.rule == "x.bad.rule" for f in failures)


def test_checker_unknown_rule_id():
    assert run_examples(["no.such.rule"])[0].problem == "no such rule"


def test_checker_accepts_a_ruleset():
    rules = load_rules([RULES_DIR / "form.toml"])
    assert run_examples(rules) == []


# --- schema errors ---------------------------------------------------------------------

SCHEMA_ERRORS = [
    ("bad-selector", '[[rule]]\nid = "x.a.b"\nwhy = "w"\nselect = ["div..broken["]\n', "selector"),
    ("unknown-field", '[[rule]]\nid = "x.a.b"\nwhy = "w"\nlines = ["a b"]\nlang = ["en"]\n',
     "unknown field"),
    ("duplicate-ids", '[[rule]]\nid = "x.a.b"\nwhy = "w"\nlines = ["a"]\n'
                      '[[rule]]\nid = "x.a.b"\nwhy = "w"\nlines = ["b"]\n', "duplicate"),
    ("too-short-phrase", '[[rule]]\nid = "x.a.b"\nwhy = "w"\nphrases = ["Advertisement"]\n',
     "too short"),
    ("two-word-phrase", '[[rule]]\nid = "x.a.b"\nwhy = "w"\nphrases = ["Continue reading"]\n',
     "too short"),
    ("bad-pattern", '[[rule]]\nid = "x.a.b"\nwhy = "w"\npatterns = ["(unclosed"]\n', "bad pattern"),
    ("missing-why", '[[rule]]\nid = "x.a.b"\nlines = ["a"]\n', "why"),
    ("bad-position", '[[rule]]\nid = "x.a.b"\nwhy = "w"\nposition = "middle"\n', "position"),
    ("bad-cased-pattern", '[[rule]]\nid = "x.a.b"\nwhy = "w"\ncased_patterns = ["[A-Z"]\n',
     "bad pattern"),
    ("not-a-list", '[[rule]]\nid = "x.a.b"\nwhy = "w"\nlines = [1, 2]\n', "list of strings"),
    ("unreadable-toml", "[[rule]\nid = ", "cannot read"),
    ("nested-too-deep", "a = " + "[" * 100_000, "nested too deep"),  # was: RecursionError
]


@pytest.mark.parametrize("text, message", [pytest.param(t, m, id=i) for i, t, m in SCHEMA_ERRORS])
def test_schema_error_is_a_rule_error(tmp_path, text, message):
    with pytest.raises(RuleError, match=message):
        load_rules([_write(tmp_path, text)])


def test_duplicate_of_a_bundled_id_is_a_rule_error(tmp_path):
    path = _write(tmp_path, '[[rule]]\nid = "form.gravity.legend"\nwhy = "w"\nlines = ["a"]\n')
    with pytest.raises(RuleError, match="duplicate"):
        load_rules([*sorted(RULES_DIR.glob("*.toml")), path])


def test_an_extra_rule_file_works_with_clean_text(tmp_path):
    path = _write(tmp_path, '[[rule]]\nid = "x.harbour.notice"\nwhy = "w"\n'
                            'lines = ["Harbour office closed today"]\n')
    rules = RuleSet(load_rules([path]).rules)
    res = clean_text("Harbour office closed today", rules=rules)
    assert res.text == "" and res.removed[0].rule == "x.harbour.notice"


# --- the command line ------------------------------------------------------------------

def test_cli_lists_rules_grouped_by_family(capsys):
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    for family in FAMILIES:
        assert re.search(rf"^{family} \(\d+ rules?\)$", out, re.M)
    assert "form.gravity.legend" in out and "Gravity Forms required-fields legend" in out
    assert "[en,de,fr,es]" in out


def test_cli_filters_by_family_and_language(capsys):
    assert main(["rules", "--family", "ads"]) == 0
    out = capsys.readouterr().out
    assert "ads.label.advertisement" in out and "consent." not in out
    assert main(["rules", "--family", "ads", "--lang", "de"]) == 0
    out = capsys.readouterr().out
    assert "ads.label.advertisement" in out and "ads.label.short" not in out


def test_cli_json(capsys):
    assert main(["rules", "--family", "feed", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["families"]) == {"feed"}
    rule = data["families"]["feed"][0]
    assert {"id", "why", "langs", "selectors", "lines", "patterns", "phrases"} <= set(rule)


def test_cli_unknown_family_is_one_line(capsys):
    assert main(["rules", "--family", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cleaner: unknown family 'nope'") and err.count("\n") == 1


def test_cli_test_passes(capsys):
    assert main(["rules", "--test"]) == 0
    out = capsys.readouterr().out
    assert "all pass" in out


def test_cli_test_reports_failures(capsys, monkeypatch):
    import cleaner.cli.rules as rules_cli
    broken = Failure("form.gravity.legend", "keep_example", "x", "changed")
    monkeypatch.setattr(rules_cli, "run_examples", lambda rules: [broken])
    assert main(["rules", "--test", "--family", "form"]) == 4
    out = capsys.readouterr().out
    assert "FAIL form.gravity.legend [keep_example]" in out and "1 failed" in out


def test_cli_test_json(capsys):
    assert main(["rules", "--test", "--family", "tools", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["failures"] == [] and data["rules"] > 0


def test_cli_rule_file_error_is_one_line(capsys, monkeypatch, tmp_path):
    import cleaner.cli.rules as rules_cli

    def broken():
        raise RuleError("cannot read rule file x.toml: bad")
    monkeypatch.setattr(rules_cli, "default_rules", broken)
    assert main(["rules"]) == 1
    err = capsys.readouterr().err
    assert err == "cleaner: cannot read rule file x.toml: bad\n"


@pytest.mark.parametrize("select", ["aside", "*"])
def test_a_tag_rule_still_tests_bare_elements(select):
    # prune finds its candidates by XPath (elements with attributes, tags rules name):
    # an element with no attribute is found when a rule names its tag, or any tag
    promo = Rule(id="x.bare.aside", family="x", why="a bare aside", select=(select,),
                 max_share=0.9)
    rules = RuleSet([*default_rules().rules, promo])
    story = " ".join(["The pier opened on Monday after two years of delays and storms."] * 6)
    html = (f"<html><body><article><p>{story}</p>"
            f"<aside><b>Win a weekend by the sea</b></aside></article></body></html>")
    removed = clean_article(html, rules=rules).removed
    assert any(r.rule == "x.bare.aside" and "Win a weekend" in r.text for r in removed)


def test_code_block_language_label_and_line_numbers_dropped_code_kept():
    page = """<html lang="en"><head><title>Caching - Quarry</title></head><body>
    <main><article class="md-content__inner md-typeset"><h1>Caching</h1>
    <p>Quarry caches rendered responses so that a page built once is served from memory
    until its data changes, and turns caching on per route or for the whole app.</p>
    <div class="language-python highlight"><table class="highlighttable"><tr>
    <td class="linenos"><div class="linenodiv"><pre><span class="normal">17</span>
<span class="normal">18</span></pre></div></td>
    <td class="code"><div><pre><code>from quarry import App
app = App(cache=True)
</code></pre></div></td></tr></table></div>
    <p>Entries carry the tags of the data they were built from, and a write drops every
    entry with that tag at once, with the memory backend or with Redis.</p>
    <div class="language-js vp-adaptive-theme"><button title="Copy Code" class="copy"></button>
    <span class="lang">javascript</span><pre class="shiki vp-code"><code><span class="line">
    <span>export default {}</span></span></code></pre></div>
    </article></main></body></html>"""
    result = clean_article(page)
    assert "from quarry import App" in result.text and "export default {}" in result.text
    assert "17" not in result.text and "javascript" not in result.text
    assert {r.rule for r in result.removed} >= {"tools.code.chrome"}


def test_reference_page_browser_support_badge_dropped():
    page = """<html lang="en"><head><title>Array.prototype.at() - JavaScript | MDN</title>
    </head><body><main><article class="main-page-content"><header><h1>Array.prototype.at()</h1>
    <details class="baseline-indicator high"><summary><div class="status-title">Baseline
    <span class="not-bold">Widely available</span></div></summary><div class="extra"><p>This
    feature is well established and works across many devices and browser versions.</p>
    </div></details></header><div class="section-content"><p>The at() method of Array
    instances takes an integer value and returns the item at that index, allowing for
    positive and negative integers. Negative integers count back from the last item.</p>
    <p>It returns undefined when the index is out of range, and it never throws for an
    index that is not an integer: the index is converted to an integer first.</p></div>
    </article></main></body></html>"""
    result = clean_article(page)
    assert "takes an integer value" in result.text
    assert "Widely available" not in result.text and "well established" not in result.text
    assert any(r.rule == "notice.browser.support-badge" for r in result.removed)


def test_rustdoc_toggle_label_and_section_anchors_dropped():
    page = """<html lang="en"><head><title>Queue in tidal::sync - Rust</title></head><body>
    <main><section id="main-content" class="content"><details class="toggle top-doc" open>
    <summary class="hideme"><span>Expand description</span></summary><div class="docblock">
    <p>A bounded, multi-producer, single-consumer queue that waits while it is full, so a
    fast producer cannot exhaust the memory of the process that consumes its items.</p>
    <h2 id="examples"><a class="doc-anchor" href="#examples">§</a>Examples</h2>
    <p>Pushing onto a full queue waits until the consumer makes room; the queue is
    lock-free on the fast path and never allocates after it was made.</p></div></details>
    </section></main></body></html>"""
    result = clean_article(page)
    assert "Expand description" not in result.text and "§" not in result.text
    assert "Examples" in result.text.splitlines()


def test_recipe_card_controls_and_call_to_action_dropped_ingredients_kept():
    page = """<html lang="es"><head><title>Tortilla de patatas - La cocina</title></head><body>
    <article class="post"><h1 class="entry-title">Tortilla de patatas</h1><div class="entry-content">
    <p>Esta tortilla es la de casa de mis padres: jugosa por dentro, con cebolla pochada despacio y
    sin prisas, tal como la hacía mi abuela los domingos.</p>
    <div class="tasty-recipes"><div class="tasty-recipes-ingredients">
    <div class="tasty-recipes-ingredients-header"><h3>Ingredientes</h3>
    <div class="tasty-recipes-units-scale-container"><span class="tasty-recipes-scale-label">Escala
    </span><button>1x</button><button>2x</button></div></div>
    <ul><li>600 g de patatas</li><li>1 cebolla grande</li><li>6 huevos camperos</li></ul></div>
    <div class="tasty-recipes-instructions"><ol><li>Confita la patata y la cebolla en aceite
    abundante a fuego suave durante veinte minutos.</li><li>Mezcla con los huevos batidos y cuaja
    en una sartén.</li></ol></div>
    <div class="tasty-recipes-keywords"><span>Palabras clave:</span> tortilla, patatas</div>
    <div class="tasty-recipes-footer-content"><h3>¿La has preparado?</h3><p>Etiqueta
    @lacocina en Instagram</p></div></div></div></article></body></html>"""
    result = clean_article(page)
    assert "600 g de patatas" in result.text and "Mezcla con los huevos" in result.text
    for gone in ("Escala", "Palabras clave", "¿La has preparado?", "@lacocina"):
        assert gone not in result.text
    rules = {r.rule for r in result.removed}
    assert {"tools.recipe.controls", "tools.recipe.made-it"} <= rules


def test_post_stats_line_dropped_at_the_edge():
    page = """<html lang="en"><head><title>A Tuesday in our bus life</title></head><body><main>
    <article><h1>A Tuesday in our bus life</h1><div class="post-description">
    <p>We moved our family of five into a converted school bus in March. People keep asking how
    we handle laundry, school and work, so here is a normal Tuesday, hour by hour.</p>
    <p>Laundry is the hardest part. We find a laundromat every five days or so and treat it as a
    library trip: everyone brings a book and nobody complains.</p>
    <div class="post-footer"><span>248 views</span><span>3 comments</span></div></div>
    </article></main></body></html>"""
    result = clean_article(page)
    assert "laundromat" in result.text
    assert "views" not in result.text
    assert any(r.rule == "share.counter.stats" for r in result.removed)


# --- short widget words that only go beside their widget's own line ---------------------

_PROSE_EN = ("The harbour authority said on Tuesday that the breakwater repairs would be "
             "finished before the fishing season opens in April.")


@pytest.mark.parametrize("lang, widget, rule_id", [
    ("en", ["Company", "This field is for validation purposes and should be left unchanged."],
     "form.gravity.honeypot-label"),
    ("en", ["We use cookies to ensure that we give you the best experience on our website. If "
            "you continue to use this site we will assume that you are happy with it.",
            "Ok", "No", "Privacy policy"], "consent.generic.buttons"),
    ("fr", ["WordPress:", "J'aime chargement…"], "share.jetpack.likes-title-fr"),
    ("en", ["Table of Contents", "Toggle"], "navigation.toc.toggle"),
    ("en", ["148", "Shares"], "share.counter.number"),
    ("fr", ["En savoir plus", "Continuer sans accepter"], "consent.generic.buttons"),
])
def test_beside_rule_drops_its_word_next_to_the_widget_line_only(lang, widget, rule_id):
    prose = _PROSE_EN if lang == "en" else (
        "La capitainerie a annoncé mardi que les travaux de la digue seraient terminés "
        "avant l'ouverture de la saison de pêche en avril.")
    result = clean_text("\n".join([prose, "", *widget]), lang=lang)
    assert result.text == prose
    assert rule_id in {r.rule for r in result.removed}
    # the same short word alone after the prose is no widget's: it stays
    word = next(line for line in widget
                if any(r.rule == rule_id and r.text == line for r in result.removed))
    assert clean_text(f"{prose}\n\n{word}", lang=lang).text == f"{prose}\n\n{word}"


@pytest.mark.parametrize("lang, prose, line, rule_id", [
    ("de", "Die Hafenbehörde teilte am Montag mit, die Reparatur der Mole sei vor der "
           "Fangsaison im April abgeschlossen.", "Submit", "form.generic.submit"),
    ("es", "La autoridad portuaria anunció el lunes que las obras del espigón terminarán "
           "antes de la temporada de pesca.", "Sign up", "newsletter.field.email"),
    ("de", "Die Hafenbehörde teilte am Montag mit, die Reparatur der Mole sei vor der "
           "Fangsaison im April abgeschlossen.",
     "Thanks for contacting us! We will be in touch with you shortly.", "form.wpforms.wrapper"),
    ("fr", "La capitainerie a annoncé mardi que les travaux de la digue seraient terminés "
           "avant l'ouverture de la saison de pêche.",
     "If you are a human seeing this field, please leave it empty.", "form.ninja.wrapper"),
])
def test_an_untranslated_plugin_string_goes_on_a_page_in_another_language(
        lang, prose, line, rule_id):
    # forms keep the strings of the language they were built in, whatever the page's
    result = clean_text(f"{prose}\n\n{line}", lang=lang)
    assert result.text == prose
    assert [r.rule for r in result.removed] == [rule_id]


def test_class_verdicts_kept_across_pages_belong_to_their_rule_set():
    # prune keeps what each class string says across pages, per rule set: a class a
    # custom rule names is removed under that set and kept under the defaults, in any order
    notice = Rule(id="x.harbour.notice", family="x", why="a notice box", select=(".harbour-notice",))
    custom = RuleSet([*default_rules().rules, notice])
    story = " ".join(["The pier opened on Monday after two years of delays and storms."] * 6)
    tide = "The harbour master posts the tide tables for the whole week by the pier gate."
    html = (f"<html><body><article><p>{story}</p><div class='harbour-notice'>"
            f"<p>{tide}</p></div></article></body></html>")
    for rules, dropped in ((None, False), (custom, True), (None, False), (custom, True)):
        result = clean_article(html, rules=rules)
        assert any(r.rule == "x.harbour.notice" for r in result.removed) is dropped
        assert ("tide tables" in result.text) is not dropped
