"""Rules taught to a site profile: [[rule]] tables (strip, keep, strip_text) with their
reason and examples; keep selectors honoured by prune, the body decision, chrome drops,
the text layer and edge trimming; profiles written atomically into the chosen folder;
broken profile files refused; ``cleaner profile test DIR`` runs the examples (exit 4 when
one fails, like ``cleaner rules --test``)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from cleaner import ProfileError, clean_article
from cleaner.cli import main
from cleaner.devtools.fixtures import add_fixture, approve
from cleaner.devtools.profilecheck import pages_for, run_profile_examples
from cleaner.profiles import (
    Profile,
    ProfileRule,
    add_rule,
    example_html,
    example_text,
    find_profile,
    load_profile,
    profile_file,
    rule_toml,
    select,
    site_host,
    with_rule,
)

URL = "https://gazette.example/2025/pier"
PROSE_1 = ("The harbour authority said on Monday that the new pier would open in spring, "
           "after two years of delays caused by storms and supply problems.")
PROSE_2 = ("Local traders welcomed the news, saying the pier would bring visitors back to "
           "the seafront, which has been quiet since the old pier closed.")
PROSE_3 = ("Engineers will test the deck under load in March, and the council expects the "
           "first fishing boats to moor there a few weeks after that.")
SHOP = "Buy our calendar: twelve photos of the pier for only ten pounds."
LEGEND = "indicates required fields"
TIMELINE = ("Timeline: the old pier closed in 2019, the council approved the new design in "
            "2021, and construction began in the summer of 2023.")
SIGNOFF = "Read the full story on Coast Gazette"

PAGE = f"""<html lang="en"><head><title>Pier opens</title></head><body>
<header class="site-header"><p>Coast Gazette</p><nav class="menu"><a href="/">Home</a>
<a href="/news">News</a></nav></header>
<div class="layout">
<article class="story"><h1>Pier opens</h1>
<p class="byline">By Ana Reyes</p>
<p>{PROSE_1}</p>
<div class="shop-box"><p>{SHOP}</p></div>
<p>{PROSE_2}</p>
<div class="related-timeline"><p>{TIMELINE}</p></div>
<div class="gform_wrapper"><h2 class="gform_title">Newsletter</h2>
<p class="gform_required_legend">"<span class="gfield_required">*</span>" {LEGEND}</p>
<div style="display:none">Leave this field empty</div></div>
<p>{PROSE_3}</p>
<p class="signoff">{SIGNOFF}</p>
</article>
<aside class="sidebar"><h3>Most read</h3><p>Council to vote on parking fees next week.</p>
</aside>
<div class="factbox"><h3>The pier in numbers</h3><p>The new pier is 412 metres long, has
room for forty boats, and cost eleven million pounds, paid for by the port and the region.
</p></div>
</div>
<footer class="site-footer"><p>© 2025 Coast Gazette</p></footer>
</body></html>"""


def profile(*rules: ProfileRule, **fields) -> Profile:
    return Profile(name="gazette.example", host="gazette.example", rules=rules, **fields)


def clean(prof: Profile, page: str = PAGE):
    return clean_article(page, URL, profile=prof)


# -- taught rules: what they remove, and how the removal says so ---------------------------

def test_taught_strip_rule_removal_carries_the_profile_name_and_the_note():
    assert SHOP in clean(profile()).text
    result = clean(profile(ProfileRule("strip", "div.shop-box", why="the shop's promo")))
    assert SHOP not in result.text and PROSE_2 in result.text
    [r] = [r for r in result.removed if SHOP in r.text]
    assert (r.rule, r.family, r.reason) == ("profile.gazette.example.strip.1",
                                            "gazette.example", "the shop's promo")
    assert r.path.endswith("/div[1]") and r.where == "html:" + r.path


def test_taught_strip_text_rule_drops_the_exact_normalised_line_only():
    rule = ProfileRule("strip_text", "read the full story on  coast gazette",
                       why="the sign-off line")
    result = clean(profile(rule))
    assert SIGNOFF not in result.text and PROSE_3 in result.text
    [r] = [r for r in result.removed if r.text == SIGNOFF]
    assert (r.rule, r.family, r.reason) == ("profile.gazette.example.strip_text.1",
                                            "gazette.example", "the sign-off line")
    quoted = PAGE.replace(f">{SIGNOFF}<", f">She said: {SIGNOFF} is a sign-off.<")
    assert "She said:" in clean(profile(rule), quoted).text


def test_plain_strip_text_lines_keep_their_profile_family():
    result = clean(profile(strip_text=(SIGNOFF,)))
    [r] = [r for r in result.removed if r.text == SIGNOFF]
    assert (r.rule, r.family) == ("profile.strip_text", "profile")


def test_a_taught_rule_is_a_regex_nowhere():
    evil = "(a+)+$" * 3
    rule = ProfileRule("strip_text", evil)
    page = PAGE.replace(f">{SIGNOFF}<", ">" + "a" * 5000 + "!<")
    start = time.perf_counter()
    result = clean(profile(rule), page)
    assert time.perf_counter() - start < 2
    assert "a" * 5000 + "!" in result.text


# -- keep -------------------------------------------------------------------------------

def test_keep_protects_an_element_from_residue_rules_but_not_its_hidden_parts():
    plain = clean(profile())
    assert LEGEND not in plain.text
    kept = clean(profile(keep=("div.gform_wrapper",)))
    assert LEGEND in kept.text and "Newsletter" in kept.text
    assert "Leave this field empty" not in kept.text  # hidden: no reader sees it
    assert not any(r.rule.startswith("form.") for r in kept.removed)


def test_keep_protects_a_chrome_looking_box_inside_the_body():
    assert TIMELINE not in clean(profile()).text  # dropped as a related box
    result = clean(profile(ProfileRule("keep", "div.related-timeline")))
    assert TIMELINE in result.text
    assert result.text.index(PROSE_2) < result.text.index(TIMELINE) < \
        result.text.index(PROSE_3)


def test_keep_beats_the_profiles_own_strip():
    result = clean(profile(ProfileRule("strip", "div.shop-box"),
                           ProfileRule("keep", "div.shop-box")))
    assert SHOP in result.text


def test_a_kept_box_outside_the_body_joins_it_in_page_order():
    plain = clean(profile())
    assert "412 metres" not in plain.text
    result = clean(profile(ProfileRule("keep", "div.factbox")))
    assert "412 metres" in result.text and "The pier in numbers" in result.text
    assert result.text.index(PROSE_3) < result.text.index("412 metres")
    assert "Council to vote on parking fees" not in result.text  # the sidebar still goes
    assert not any(r.family == "outside" and "412 metres" in r.text for r in result.removed)


def test_a_kept_box_holding_the_body_pins_it():
    result = clean(profile(ProfileRule("keep", "div.layout")))
    assert result.metadata["body"]["decided_by"] == "profile"
    assert result.metadata["body"]["path"] == "/html/body/div"
    assert "412 metres" in result.text and "Council to vote on parking fees" in result.text
    assert result.confidence == 1.0


def test_kept_lines_escape_the_text_layer_and_edge_trimming():
    page = PAGE.replace(f">{SIGNOFF}<", ">Leave a Reply<")
    assert "Leave a Reply" not in clean(profile(), page).text
    assert "Leave a Reply" in clean(profile(keep=("p.signoff",)), page).text
    assert "By Ana Reyes" not in clean(profile()).text
    assert "By Ana Reyes" in clean(profile(keep=("p.byline",))).text


# -- writing profiles -------------------------------------------------------------------

@pytest.mark.parametrize("url, host", [
    ("https://www.Gazette.example/2025/pier", "gazette.example"),
    ("http://news.gazette.example:8080/x", "news.gazette.example"),
    ("https://bücher.example/", "xn--bcher-kva.example"),
])
def test_site_host_from_a_url(url, host):
    assert site_host(url) == host


@pytest.mark.parametrize("url", [None, "", "not a url", "https://localhost/",
                                 "http://127.0.0.1:5000/a", "https://[::1]/",
                                 "https://a_b.example/", "file:///etc/passwd",
                                 "https://-bad.example/", "https://x..example/"])
def test_site_host_refuses_what_no_file_could_be_named_after(url):
    with pytest.raises(ProfileError):
        site_host(url)


@pytest.mark.parametrize("host", ["../x.example", "a/b.example", "x", ".example", "a b.c"])
def test_profile_file_refuses_odd_hosts(tmp_path, host):
    with pytest.raises(ProfileError):
        profile_file(tmp_path, host)


def test_add_rule_makes_a_profile_that_loads_and_cleans(tmp_path):
    rule = ProfileRule("strip", "div.shop-box", why='the "shop" promo \\ with a backslash',
                       drop_examples=(SHOP,), drop_html=(f'<div class="shop-box"><p>{SHOP}'
                                                          '</p></div>',))
    saved = add_rule(tmp_path, "gazette.example", rule)
    assert saved.rules == (rule,) and saved.host == "gazette.example"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gazette.example.toml"]
    assert load_profile(tmp_path / "gazette.example.toml") == saved
    result = clean_article(PAGE, URL, profiles_dir=str(tmp_path))
    assert result.metadata["profile"] == "gazette.example" and SHOP not in result.text


def test_add_rule_appends_and_keeps_the_file_as_written(tmp_path):
    path = tmp_path / "gazette.example.toml"
    path.write_text('# written by hand: keep this comment\nhost = "gazette.example"\n'
                    'strip = ["div.ads"]  # the ad slots\n', encoding="utf-8")
    add_rule(tmp_path, "gazette.example", ProfileRule("strip_text", SIGNOFF))
    add_rule(tmp_path, "gazette.example", ProfileRule("keep", "div.factbox",
                                                      keep_examples=("412 metres",)))
    text = path.read_text(encoding="utf-8")
    assert text.startswith('# written by hand: keep this comment\nhost = "gazette.example"\n'
                           'strip = ["div.ads"]  # the ad slots\n')
    prof = load_profile(path)
    assert prof.strip == ("div.ads",)
    assert [(r.kind, r.value) for r in prof.rules] == [("strip_text", SIGNOFF),
                                                       ("keep", "div.factbox")]


def test_a_rule_that_would_break_the_file_is_never_written(tmp_path):
    path = tmp_path / "gazette.example.toml"
    add_rule(tmp_path, "gazette.example", ProfileRule("strip_text", SIGNOFF))
    before = path.read_bytes()
    for bad in (ProfileRule("strip", "div[["), ProfileRule("keep", "p::before"),
                ProfileRule("strip_text", "two\nlines"), ProfileRule("strip", "x" * 400),
                ProfileRule("body", "div.story")):
        with pytest.raises(ProfileError):
            add_rule(tmp_path, "gazette.example", bad)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gazette.example.toml"]


def test_add_rule_writes_only_into_an_existing_folder(tmp_path):
    with pytest.raises(ProfileError):
        add_rule(tmp_path / "missing", "gazette.example", ProfileRule("strip_text", "x"))
    assert list(tmp_path.iterdir()) == []


def test_add_rule_replaces_the_file_atomically(tmp_path, monkeypatch):
    path = tmp_path / "gazette.example.toml"
    add_rule(tmp_path, "gazette.example", ProfileRule("strip_text", SIGNOFF))
    before = path.read_bytes()
    calls = []

    def crash(src, dst):  # the process dies between writing and renaming
        calls.append((src, dst))
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(ProfileError, match="disk gone"):
        add_rule(tmp_path, "gazette.example", ProfileRule("strip_text", "another line"))
    assert calls and Path(calls[0][1]) == path and Path(calls[0][0]).parent == tmp_path
    assert path.read_bytes() == before  # the old file, whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gazette.example.toml"]


def test_a_new_file_starts_from_the_same_hosts_profile_elsewhere(tmp_path):
    other, mine = tmp_path / "other", tmp_path / "mine"
    other.mkdir()
    mine.mkdir()
    (other / "gazette.example.toml").write_text(
        'host = "gazette.example"\nstrip = ["div.shop-box"]\n', encoding="utf-8")
    base = load_profile(other / "gazette.example.toml")
    saved = add_rule(mine, "gazette.example", ProfileRule("strip_text", SIGNOFF),
                     start_from=base)
    assert saved.strip == ("div.shop-box",) and len(saved.rules) == 1
    assert (other / "gazette.example.toml").read_text() == \
        'host = "gazette.example"\nstrip = ["div.shop-box"]\n'
    found = find_profile(URL, profiles_dir=str(mine))
    assert found is not None and found.source == str(mine / "gazette.example.toml")


def test_rule_toml_round_trips_any_text(tmp_path):
    odd = 'quote " backslash \\ tab \t bell \x07 «ünïcode» \u2028 end'
    rule = ProfileRule("strip_text", odd.replace("\n", " "), why=odd,
                       drop_examples=(odd, "second"))
    (tmp_path / "x.example.toml").write_text('host = "x.example"\n\n' + rule_toml(rule),
                                              encoding="utf-8")
    assert load_profile(tmp_path / "x.example.toml").rules == (rule,)


def test_with_rule_changes_nothing_on_disk(tmp_path):
    base = profile()
    candidate = with_rule(base, ProfileRule("strip", "div.shop-box"))
    assert base.rules == () and len(candidate.rules) == 1
    assert SHOP not in clean(candidate).text
    with pytest.raises(ProfileError):
        with_rule(base, ProfileRule("strip", "div[["))


def test_select_and_examples_of_an_element():
    import lxml.html
    root = lxml.html.document_fromstring(PAGE)
    [box] = select(root, "div.shop-box")
    assert example_text(box) == SHOP
    html = example_html(box)
    assert html is not None and html.startswith('<div class="shop-box">') and SHOP in html
    [form] = select(root, ".gform_wrapper")
    assert "Leave this field empty" in (example_html(form) or "")
    with pytest.raises(ProfileError):
        select(root, "div[[")
    long = lxml.html.fragment_fromstring("<div>" + "word " * 1000 + "</div>")
    assert len(example_text(long)) <= 500 and example_html(long) is None


# -- profiles are data, checked on load: a broken file of each kind is refused -----------

def write(tmp_path: Path, text: str, name: str = "broken.example.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path) -> str:
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    message = str(info.value)
    assert path.name in message, message
    return message


def test_an_unknown_key_is_refused_naming_file_and_key(tmp_path):
    assert "stirp" in refused(write(tmp_path, 'host = "b.example"\nstirp = ["div.x"]\n'))


def test_an_unknown_key_in_a_taught_rule_is_refused_naming_the_rule(tmp_path):
    message = refused(write(tmp_path, 'host = "b.example"\n[[rule]]\nstrip = "div.x"\n'
                                      'reason = "typo for why"\n'))
    assert "rule 1" in message and "reason" in message


@pytest.mark.parametrize("body, key", [
    ('[[rule]]\nstrip = "div.x"\nkeep = "div.y"\n', "rule 1"),
    ('[[rule]]\nwhy = "no selector"\n', "rule 1"),
    ('[[rule]]\nstrip = ["div.x"]\n', "strip"),
    ('[[rule]]\nstrip_text = "ok"\n[[rule]]\nkeep = "div[["\n', "rule 2"),
    ('[[rule]]\nstrip_text = "ok"\ndrop_examples = [1]\n', "drop_examples"),
    ('[[rule]]\nstrip_text = "ok"\nwhy = 3\n', "why"),
    ('rule = "div.x"\n', "rule"),
    ('keep = [1, 2]\n', "keep"),
    ('strip_text = 5\n', "strip_text"),
])
def test_a_taught_rule_of_the_wrong_shape_is_refused_naming_its_key(tmp_path, body, key):
    assert key in refused(write(tmp_path, 'host = "b.example"\n' + body))


def test_a_profile_nested_past_the_toml_parsers_stack_is_a_profile_error(tmp_path):
    # was: RecursionError from tomllib, a traceback from 'cleaner clean --profiles DIR'
    assert "nested too deep" in refused(write(tmp_path, "a = " + "[" * 100_000))


def test_a_toml_syntax_error_is_refused_naming_file_and_line(tmp_path):
    message = refused(write(tmp_path, 'host = "b.example"\nstrip = ["div.x"\nnotes = "x"\n'))
    assert "line" in message


@pytest.mark.parametrize("key", ["strip", "keep", "body"])
def test_a_bad_selector_is_refused_naming_the_file(tmp_path, key):
    refused(write(tmp_path, f'host = "b.example"\n{key} = ["div[["]\n'))


@pytest.mark.parametrize("key", ["strip", "keep", "body"])
def test_a_bad_selector_is_refused_naming_its_key(tmp_path, key):
    assert repr(key) in refused(write(tmp_path, f'host = "b.example"\n{key} = ["div[["]\n'))


@pytest.mark.parametrize("key", ["strip", "keep", "body"])
def test_a_selector_with_a_lone_surrogate_is_a_profile_error(key):
    # was: UnicodeEncodeError from cssselect (":empty\ud800"), out of Profile() and so out
    # of clean_article(profile=...)
    with pytest.raises(ProfileError, match="lone surrogate"):
        Profile(name="x", host="x.example", **{key: (":empty\ud800",)})


@pytest.mark.parametrize("fields", [{"name": "news\ud800"}, {"notes": "\udfff"},
                                    {"strip_text": ("Share \ud800 this",)},
                                    {"rules": (ProfileRule("strip", "div.promo", why="\ud800"),)}])
def test_a_profile_text_with_a_lone_surrogate_is_a_profile_error(fields):
    # was: accepted, and the name or reason in the removal records made to_json()'s text
    # unencodable: UnicodeEncodeError from result.to_json().encode("utf-8")
    with pytest.raises(ProfileError, match="lone surrogate"):
        Profile(**{"name": "x", "host": "x.example", **fields})


def test_a_selector_past_the_cost_bound_is_refused(tmp_path):
    huge = ", ".join(f"div.c{i} > p:not(.a):not(.b) ~ span" for i in range(2000))
    assert "strip" in refused(write(tmp_path, f'host = "b.example"\nstrip = ["{huge}"]\n'))


def test_strip_text_holds_lines_not_regexes_so_no_pattern_can_backtrack(tmp_path):
    path = write(tmp_path, 'host = "b.example"\nstrip_text = ["(a+)+$", "^(x|x)*y"]\n'
                           '[[rule]]\nstrip_text = "(.*a){20}"\n', "b.example.toml")
    prof = load_profile(path)
    page = "<article><p>" + "a" * 4000 + "</p><p>(a+)+$</p><p>" + PROSE_1 + "</p></article>"
    start = time.perf_counter()
    result = clean_article(page, "https://b.example/", profile=prof)
    assert time.perf_counter() - start < 2
    assert "(a+)+$" not in result.text and "a" * 4000 in result.text


# -- cleaner profile test ------------------------------------------------------------

HOST = "gazette.example"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    profiles, fixtures = tmp_path / "profiles", tmp_path / "fixtures"
    profiles.mkdir()
    return profiles, fixtures


def test_good_examples_pass(capsys, folders):
    profiles, fixtures = folders
    add_rule(profiles, HOST, ProfileRule(
        "strip", "div.shop-box", why="promo", drop_examples=(SHOP,),
        drop_html=(f'<div class="shop-box"><p>{SHOP}</p></div>',)))
    add_rule(profiles, HOST, ProfileRule("strip_text", SIGNOFF, drop_examples=(SIGNOFF,)))
    add_rule(profiles, HOST, ProfileRule(
        "keep", "div.related-timeline", keep_examples=(TIMELINE,),
        keep_html=(f'<div class="related-timeline"><p>{TIMELINE}</p></div>',)))
    add_fixture(PAGE.encode(), HOST, URL, root=fixtures)
    code, out, err = run(capsys, "profile", "test", str(profiles), "--fixtures", str(fixtures))
    assert code == 0, out + err
    assert out.strip().endswith("1 profile, 3 examples: all pass")


def test_an_example_left_in_a_fixture_fails_with_exit_4(capsys, folders):
    profiles, fixtures = folders
    # the selector was edited to something that no longer matches the box it was taught on
    add_rule(profiles, HOST, ProfileRule("strip", "div.shop-banner", drop_examples=(SHOP,)))
    add_fixture(PAGE.encode(), HOST, URL, root=fixtures)
    code, out, _ = run(capsys, "profile", "test", str(profiles), "--fixtures", str(fixtures))
    assert code == 4
    assert "FAIL gazette.example rule 1 (strip div.shop-banner) [drop_example]" in out
    assert "still in the clean text of fixture gazette.example" in out
    code, out, _ = run(capsys, "profile", "test", str(profiles), "--fixtures", str(fixtures),
                       "--json")
    data = json.loads(out)
    assert code == 4 and data["examples"] == 1 and data["failures"][0]["kind"] == \
        "drop_example"


def test_a_keep_example_that_goes_fails(capsys, folders):
    profiles, fixtures = folders
    add_rule(profiles, HOST, ProfileRule("keep", "div.other", keep_examples=(TIMELINE,)))
    add_fixture(PAGE.encode(), HOST, URL, root=fixtures)
    code, out, _ = run(capsys, "profile", "test", str(profiles), "--fixtures", str(fixtures))
    assert code == 4 and "missing from the clean text of fixture gazette.example" in out


def test_an_example_with_no_page_is_noted_not_failed(capsys, folders):
    profiles, fixtures = folders
    add_rule(profiles, HOST, ProfileRule("strip", "#main > div.box", drop_examples=(SHOP,)))
    code, out, _ = run(capsys, "profile", "test", str(profiles), "--fixtures", str(fixtures))
    assert code == 0
    assert "note gazette.example rule 1" in out and "0 examples: all pass" in out


def test_plain_strip_text_lines_are_their_own_examples(capsys, folders):
    profiles, _ = folders
    (profiles / "b.example.toml").write_text(
        'host = "b.example"\nstrip_text = ["Follow us on the socials"]\n', encoding="utf-8")
    code, out, _ = run(capsys, "profile", "test", str(profiles))
    assert code == 0 and "1 profile, 1 example: all pass" in out


def test_a_broken_profile_is_one_line_naming_the_file(capsys, folders):
    profiles, _ = folders
    (profiles / "b.example.toml").write_text('host = "b.example"\nstirp = ["x"]\n')
    code, out, err = run(capsys, "profile", "test", str(profiles))
    assert code == 1 and "b.example.toml" in err and "stirp" in err
    assert len(err.strip().splitlines()) == 1


def test_a_missing_folder_is_a_usage_error(capsys, tmp_path):
    code, _, err = run(capsys, "profile", "test", str(tmp_path / "nope"))
    assert code == 2 and "not found" in err


def test_pages_for_a_profile_are_the_fixtures_naming_it_or_on_its_host(folders, monkeypatch):
    profiles, fixtures = folders
    monkeypatch.setenv("CLEANER_PROFILES", str(profiles))  # as `cleaner serve --profiles`
    prof = add_rule(profiles, HOST, ProfileRule("strip_text", SIGNOFF))
    add_fixture(PAGE.encode(), "by-url", "https://www.gazette.example/a", root=fixtures)
    add_fixture(PAGE.encode(), "by-name", None, root=fixtures, profile=HOST)
    add_fixture(PAGE.encode(), "elsewhere", "https://other.example/a", root=fixtures)
    approve("by-url", fixtures)
    assert sorted(fx.name for fx in pages_for(prof, fixtures)) == ["by-name", "by-url"]
    report = run_profile_examples([load_profile(prof.source)], fixtures)
    assert report.ok and report.checked == 1


def test_each_wrapped_example_is_judged_on_its_own_page(folders):
    # Pages wrapped for one rule are freed before the next rule's: a result cached by
    # id() alone would hand a later page an earlier page's clean text.
    profiles, fixtures = folders
    for n in range(12):
        line = f"Note {n}: the harbour board meets on the {n + 1}th day of the month."
        if n % 2:
            add_rule(profiles, HOST, ProfileRule(
                "keep", f"div.keep-{n}", keep_examples=(line,),
                keep_html=(f'<div class="keep-{n}"><p>{line}</p></div>',)))
        else:
            add_rule(profiles, HOST, ProfileRule(
                "strip", f"div.drop-{n}", drop_examples=(line,),
                drop_html=(f'<div class="drop-{n}"><p>{line}</p></div>',)))
    report = run_profile_examples([find_profile(name=HOST, profiles_dir=profiles)], fixtures)
    assert report.checked == 12 and report.ok, report.failures
