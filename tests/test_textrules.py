"""The text layer: normalisation, whole-line matching, edges vs anywhere, phrase cuts and
language gating."""

from __future__ import annotations

from dataclasses import replace

import pytest

import cleaner
from cleaner import clean_text
from cleaner.devtools.rulecheck import PROSE, article_page
from cleaner.rules import RuleSet, default_rules, lang_ok, load_rules
from cleaner.textnorm import normalize_line
from cleaner.textrules import PROSE_CHARS, judge_lines, match_line

RULES = default_rules()
EN = PROSE["en"]


def _rules(tmp_path, text: str) -> RuleSet:
    path = tmp_path / "t.toml"
    path.write_text(text, encoding="utf-8")
    return load_rules([path])


# --- normalisation -----------------------------------------------------------------

@pytest.mark.parametrize("raw, norm", [
    ("\u201e*\u201c  zeigt erforderliche Felder an", '"*" zeigt erforderliche felder an'),
    ("\u00ab\u00a0*\u00a0\u00bb indique les champs n\u00e9cessaires", '" * " indique les champs n\u00e9cessaires'),
    ("Leave this field empty if you\u2019re human:", "leave this field empty if you're human:"),
    ("Like\u00a0Loading\u2026", "like loading..."),
    ("\uff33\uff4b\uff49\uff50 to content", "skip to content"),   # full-width letters (NFKC)
    ("  Skip\tto   content ", "skip to content"),
    ("Advertisement \u2013 Continue Reading Below", "advertisement - continue reading below"),
    ("Navigation de l\u2019article", "navigation de l'article"),
])
def test_normalize_line(raw, norm):
    assert normalize_line(raw) == norm


def test_curly_and_straight_quotes_match_the_same_rule():
    for line in ('"*" indicates required fields', "\u201c*\u201d indicates required fields",
                 "\u201e*\u201c zeigt erforderliche Felder an"):
        assert match_line(line, RULES, None).id == "form.gravity.legend"


def test_nbsp_and_guillemets_in_french_legend():
    assert match_line("\u00ab\u00a0*\u00a0\u00bb indique les champs n\u00e9cessaires", RULES, "fr").id \
        == "form.gravity.legend"


def test_case_does_not_matter():
    assert match_line("SKIP TO CONTENT", RULES, "en").id == "navigation.skip.link"
    assert match_line("advertisement", RULES, "en").id == "ads.label.advertisement"


def test_list_marker_is_ignored():
    assert match_line("- Skip to content", RULES, "en").id == "navigation.skip.link"
    assert match_line("* indicates required", RULES, "en").id == "form.mailchimp.embed"


def test_whole_lines_only():
    assert match_line("Your email address will not be published in the minutes.", RULES, "en") is None
    assert match_line("Advertisement spending rose 4% last year.", RULES, "en") is None


def test_very_long_lines_are_never_whole_line_residue():
    line = "Advertisement " * 60
    assert match_line(line, RULES, "en") is None


# --- edges vs anywhere -------------------------------------------------------------

def test_edges_rule_fires_after_the_last_prose_line():
    res = clean_text("\n".join([EN[0], EN[1], "Share", "Print"]), lang="en")
    assert res.text == "\n".join([EN[0], EN[1]])
    assert [r.rule for r in res.removed] == ["share.jetpack.title", "tools.print.words"]


def test_edges_rule_fires_before_the_first_prose_line():
    res = clean_text("\n".join(["Related", "Share this:", EN[0]]), lang="en")
    assert res.text == EN[0]


def test_edges_rule_never_fires_between_prose_lines():
    text = "\n".join([EN[0], "Share", EN[1], "Print", EN[2]])
    assert clean_text(text, lang="en").text == text


def test_anywhere_rule_fires_between_prose_lines():
    res = clean_text("\n".join([EN[0], "Advertisement", EN[1]]), lang="en")
    assert res.text == "\n".join([EN[0], EN[1]])
    assert res.removed[0].rule == "ads.label.advertisement"
    assert res.removed[0].where == "text:2"


def test_a_long_line_counts_as_prose_for_the_edges():
    long_share = "Share " + "x" * PROSE_CHARS
    verdicts = judge_lines([EN[0], long_share, "Share"], RULES, "en")
    assert [v.index for v in verdicts] == [2]


def test_edges_rule_fires_next_to_a_dropped_line_of_its_family(tmp_path):
    rules = _rules(tmp_path, '[[rule]]\nid = "x.t.anchor"\nwhy = "w"\nfamily = "x"\n'
                             'lines = ["Harbour widget"]\n'
                             '[[rule]]\nid = "x.t.word"\nwhy = "w"\nfamily = "x"\n'
                             'lines = ["Harbour", "Quay"]\nposition = "edges"\n')
    lines = [EN[0], "Harbour", "Harbour widget", "", "Quay", "Harbour", EN[1], "Quay", EN[2]]
    assert [v.index for v in judge_lines(lines, rules, None)] == [1, 2, 4, 5]


def test_beside_rule_fires_only_next_to_residue_of_its_family(tmp_path):
    rules = _rules(tmp_path, '[[rule]]\nid = "x.t.anchor"\nwhy = "w"\nfamily = "x"\n'
                             'lines = ["votes"]\n'
                             '[[rule]]\nid = "x.t.count"\nwhy = "w"\nfamily = "x"\n'
                             'patterns = ["\\\\d{1,3}"]\nposition = "beside"\n')
    lines = ["12", EN[0], "5", "votes", EN[1], "850", "900"]
    assert [v.index for v in judge_lines(lines, rules, None)] == [2, 3]


def test_run_takes_an_edges_word_beside_residue_of_any_family(tmp_path):
    # one widget's lines belong to several families (a form's labels, Akismet's Δ): an
    # edges word goes beside any dropped line; a beside rule needs its own family
    rules = _rules(tmp_path, '[[rule]]\nid = "x.t.anchor"\nwhy = "w"\nfamily = "x"\n'
                             'lines = ["Harbour widget"]\n'
                             '[[rule]]\nid = "y.t.word"\nwhy = "w"\nfamily = "y"\n'
                             'lines = ["Harbour"]\nposition = "edges"\n'
                             '[[rule]]\nid = "y.t.count"\nwhy = "w"\nfamily = "y"\n'
                             'patterns = ["\\\\d{1,3}"]\nposition = "beside"\n')
    lines = [EN[0], "Harbour", "Harbour widget", "12", EN[1]]
    assert [v.index for v in judge_lines(lines, rules, None)] == [1, 2]


def test_comment_thread_chrome_between_comments_goes():
    thread = [EN[0], EN[1], "2 thoughts on \u201cHarbour repairs\u201d", "Pat Miller says:",
              "March 2, 2024 at 10:15 am", EN[2], "Reply", "Jane Roe says:",
              "March 3, 2024 at 9:00 am", EN[3], "Log in to Reply"]
    res = clean_text("\n".join(thread), lang="en")
    assert res.text.splitlines() == [EN[0], EN[1], EN[2], EN[3]]
    assert {r.family for r in res.removed} == {"comments"}


def test_short_words_between_prose_stay_without_a_widget_beside_them():
    text = "\n".join([EN[0], "Reply", EN[1], "Pat Miller says:", EN[2]])
    # "Reply" alone goes anywhere; a name line with 'says:' is only chrome beside chrome
    res = clean_text(text, lang="en")
    assert "Pat Miller says:" in res.text.splitlines()


def test_edges_and_anywhere_with_a_custom_rule(tmp_path):
    rules = _rules(tmp_path, '[[rule]]\nid = "x.t.edge"\nwhy = "w"\nlines = ["Harbour"]\n'
                             'position = "edges"\n')
    lines = ["Harbour", EN[0], "Harbour", EN[1], "Harbour"]
    assert [v.index for v in judge_lines(lines, rules, None)] == [0, 4]


# --- phrase cuts ---------------------------------------------------------------------

def test_phrase_cut_restores_the_sentence_boundary():
    res = clean_text("the RCMP said.Story continues below advertisementOn Monday", lang="en")
    assert res.text == "the RCMP said. On Monday"
    removal = res.removed[0]
    assert removal.rule == "ads.newsroom.breaker"
    assert removal.text == "Story continues below advertisement"


def test_phrase_cut_with_spaces_and_other_dashes():
    res = clean_text("Frazer Harrison//Getty Images Advertisement \u2013 Continue Reading Below", lang="en")
    assert res.text == "Frazer Harrison//Getty Images"
    res = clean_text("He left.\u00a0Continue reading the main story\u00a0She stayed.", lang="en")
    assert res.text == "He left. She stayed."


def test_phrase_cut_keeps_no_space_before_punctuation():
    res = clean_text("Read the full report (opens in a new tab).", lang="en")
    assert res.text == "Read the full report."


def test_phrase_alone_on_a_line_drops_the_line():
    res = clean_text("\n".join([EN[0], "Story continues below advertisement", EN[1]]), lang="en")
    assert res.text == "\n".join([EN[0], EN[1]])


def test_phrase_cut_twice_in_one_line():
    line = ("First.Story continues below advertisementSecond.Story continues below "
            "advertisementThird.")
    assert clean_text(line, lang="en").text == "First. Second. Third."


@pytest.mark.parametrize("line", [
    'Readers hate the "Story continues below advertisement" banners, the survey found.',
    "Readers hate the \u201cContinue reading the main story\u201d links, the survey found.",
    "The link text \u00ab\u00a0(opens in a new tab)\u00a0\u00bb is read aloud to blind readers.",
    "The link text \u2018(opens in a new tab)\u2019 is read aloud by screen readers.",
])
def test_phrase_quoted_by_the_sentence_is_not_cut(line):
    res = clean_text(line, lang="en")
    assert res.text == line and not res.removed


def test_phrase_glued_to_a_quote_is_still_cut():
    res = clean_text('He said "no."Story continues below advertisementShe left.', lang="en")
    assert res.text == 'He said "no." She left.'


def test_phrase_not_cut_from_other_wording():
    line = "The story continues below the waterline, divers said."
    assert clean_text(line, lang="en").text == line


# --- cased patterns ----------------------------------------------------------------

def test_cased_pattern_sees_letter_case(tmp_path):
    rules = _rules(tmp_path, '[[rule]]\nid = "x.t.dated"\nwhy = "w"\n'
                             'cased_patterns = ["[A-Z][a-z]+ (?:[a-z]+ )*[a-z]+ MAY \\\\d{1,2}, \\\\d{4}"]\n')
    assert match_line("Harbour repairs begin MAY 3, 2024", rules, None).id == "x.t.dated"
    assert match_line("- Harbour  repairs begin MAY 3, 2024", rules, None).id == "x.t.dated"
    assert match_line("Harbour repairs begin May 3, 2024", rules, None) is None
    assert match_line("harbour repairs begin may 3, 2024", rules, None) is None


def test_cased_patterns_per_language(tmp_path):
    rules = _rules(tmp_path, '[[rule]]\nid = "x.t.dated"\nwhy = "w"\n[rule.cased_patterns]\n'
                             'de = ["[A-Z].* MAI 2024"]\n')
    assert match_line("Hafen wieder offen MAI 2024", rules, "de").id == "x.t.dated"
    assert match_line("Hafen wieder offen MAI 2024", rules, "en") is None


def test_related_headline_with_capital_date_goes_but_prose_with_a_date_stays():
    text = "\n".join([EN[0], EN[1], "Ferry timetable changes for the summer MAY 3, 2024",
                      "Lighthouse reopens to visitors APRIL 28, 2024",
                      "The council will vote on the plan on May 3, 2024"])
    res = clean_text(text, lang="en")
    assert res.text.splitlines() == [EN[0], EN[1], "The council will vote on the plan on May 3, 2024"]
    assert {r.rule for r in res.removed} == {"related.list.dated-title"}


# --- language gating ---------------------------------------------------------------

def test_german_only_rule_never_fires_on_english(tmp_path):
    rules = _rules(tmp_path, '[[rule]]\nid = "x.hafen.notice"\nwhy = "w"\n'
                             'lines = ["Hafenbüro heute geschlossen"]\nlangs = ["de"]\n')
    assert clean_text("Hafenbüro heute geschlossen", lang="en", rules=rules).text \
        == "Hafenbüro heute geschlossen"
    res = clean_text("Hafenbüro heute geschlossen", lang="de", rules=rules)
    assert res.text == "" and res.removed[0].rule == "x.hafen.notice"


def test_german_string_of_a_bundled_rule_never_fires_on_english():
    assert clean_text("Anzeige", lang="en").text == "Anzeige"
    res = clean_text("Anzeige", lang="de")
    assert res.text == "" and res.removed[0].rule == "ads.label.advertisement"
    legend = "„*“ zeigt erforderliche Felder an"
    assert clean_text(legend, lang="en").text == legend
    assert clean_text(legend, lang="de").text == ""


def test_per_language_tables_in_a_rule_file(tmp_path):
    rules = _rules(tmp_path, '[[rule]]\nid = "x.t.label"\nwhy = "w"\n[rule.lines]\n'
                             'en = ["Harbour office"]\nde = ["Hafenbüro"]\n')
    assert match_line("Harbour office", rules, "en").id == "x.t.label"
    assert match_line("Harbour office", rules, "de") is None
    assert match_line("Hafenbüro", rules, "de").id == "x.t.label"
    assert match_line("Hafenbüro", rules, "fr") is None


def test_a_string_listed_for_two_languages_fires_in_both(tmp_path):
    rules = _rules(tmp_path, '[[rule]]\nid = "x.t.label"\nwhy = "w"\n[rule.lines]\n'
                             'en = ["Name *"]\nde = ["Name *"]\n')
    assert match_line("Name *", rules, "en").id == "x.t.label"
    assert match_line("Name *", rules, "de").id == "x.t.label"
    assert match_line("Name *", rules, "fr") is None


def test_unknown_language_lets_every_rule_fire():
    assert match_line("Anzeige", RULES, None).id == "ads.label.advertisement"


def _strings_in(rule, lang):
    """The rule cut down to its strings written in ``lang`` (or for any language)."""
    keep = {f: tuple(s for s in getattr(rule, f) if lang_ok(rule.langs_of(s), lang))
            for f in ("lines", "patterns", "phrases", "cased_patterns")}
    return RuleSet([replace(rule, langs=("*",), string_langs=(), **keep)])


TEXT_RULES = [r for r in RULES.rules if r.drop_examples]


@pytest.mark.parametrize("rule_id", [r.id for r in TEXT_RULES])
def test_a_string_fires_only_in_its_own_language(rule_id):
    rule = RULES.by_id[rule_id]
    alone = RuleSet([rule])
    for ex in rule.drop_examples:
        for lang in ("en", "de", "fr", "es"):
            fired = [v.rule.id for v in judge_lines([ex], alone, lang)]
            if fired:
                own = [v.rule.id for v in judge_lines([ex], _strings_in(rule, lang), None)]
                assert own, f"{ex!r} fired in {lang} though no {lang} string matches it"


def test_language_gating_in_clean_article():
    de_page = article_page("<p>Anzeige</p>", "de")
    assert "Anzeige" not in cleaner.clean_article(de_page).text
    en_page = article_page("<p>Anzeige</p>", "en")
    assert "Anzeige" in cleaner.clean_article(en_page).text.splitlines()


# --- the text layer inside clean_article ---------------------------------------------

def test_text_layer_runs_on_article_blocks():
    page = article_page("<p>Story continues below advertisement</p>"
                        "<p>Advertisement spending rose 4% last year, the industry group said.</p>")
    res = cleaner.clean_article(page)
    assert "Story continues below advertisement" not in res.text
    assert "Advertisement spending rose 4% last year, the industry group said." in res.text
    assert any(r.rule == "ads.newsroom.breaker" and r.layer == "text" for r in res.removed)


def test_clean_text_keeps_blank_lines_and_other_lines_as_they_were():
    text = f"{EN[0]}\n\n  {EN[1]}  \nSkip to content"
    res = clean_text(text, lang="en")
    assert res.text == f"{EN[0]}\n\n  {EN[1]}  "


def test_ad_labels_in_more_languages_fire_on_their_own_language_only():
    for lang, label, prose in [
            ("it", "Pubblicità", "Il molo riaprirà in primavera, ha detto il porto."),
            ("pl", "Reklama", "Molo zostanie otwarte wiosną, poinformował port."),
            ("ru", "Реклама", "Причал откроется весной, сообщили в порту."),
            ("zh", "广告", "新码头将于明年春天开放。")]:
        res = clean_text("\n".join([prose, label, prose]), lang=lang)
        assert res.text == "\n".join([prose, prose]), lang
        assert res.removed[0].rule == "ads.label.advertisement"
        assert clean_text(label, lang="en").text == label  # a name or a word elsewhere


def test_a_widgets_short_lines_go_beside_residue_of_another_family_mid_article():
    # a contact form between two paragraphs: its labels (form, edges) sit above Akismet's
    # hidden Δ (comments) and the form's sent message; the run goes whole, the prose stays
    lines = [EN[0], EN[1], "Your name", "Your email", "Subject", "Δ",
             "Thank you for your message. It has been sent.", EN[2]]
    result = clean_text("\n".join(lines), lang="en")
    assert result.text.splitlines() == [EN[0], EN[1], EN[2]]
    # a beside rule still needs residue of its own family: a bare count beside a form
    lines = [EN[0], "148", "Thank you for your message. It has been sent.", EN[1]]
    assert "148" in clean_text("\n".join(lines), lang="en").text


@pytest.mark.parametrize("lang, widget", [
    ("en", ["Like this:", "Like Loading..."]),
    ("de", ["Beitrags-Navigation", "Vorheriger Beitrag", "Nächster Beitrag"]),
    ("en", ["Promoted Stories", "Recommended by"]),
])
def test_a_widget_with_its_own_fixed_string_goes_between_paragraphs(lang, widget):
    # the fixed string ('Like Loading...', 'Post navigation') is never prose: it anchors
    # the widget's short words even in the middle of the text
    prose = PROSE[lang]
    lines = [prose[0], prose[1], *widget, prose[2]]
    result = clean_text("\n".join(lines), lang=lang)
    assert result.text.splitlines() == [prose[0], prose[1], prose[2]]
