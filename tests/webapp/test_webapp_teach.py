"""Where everything went (issue 14.3) and teaching a site (issue 15), through the test
client: the regions outside the body counted apart, outlined in their own style and
listed in their own group; the body choice and its confidence; every dropped Diff line
linked to its records; removals located by their path; picking an element or a line,
its proposed selector, match count and effect, saved only into the --profiles folder."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from gazette import REGIONS, SHOP, SHOP_PATH, SIGNOFF, TIMELINE, TIMELINE_PATH, URL

from cleaner import clean_article
from cleaner.profiles import load_profile
from webapp import create_app
from webapp.annotate import annotate_html, diff_rows


@pytest.fixture
def gazette(pages) -> str:
    return (pages / "gazette.html").read_text(encoding="utf-8")


@pytest.fixture
def folders(tmp_path) -> tuple[Path, Path]:
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    return profiles, tmp_path / "fixtures"


@pytest.fixture
def teach_app(folders):
    profiles, fixtures = folders
    return create_app({"TESTING": True, "PROFILES_DIR": str(profiles),
                       "FIXTURES_DIR": str(fixtures)})


@pytest.fixture
def taught(teach_app, preview_for, gazette):
    """(preview, page id) of the gazette page in an app with a profiles folder."""
    preview = preview_for(teach_app)
    _, page_id = preview.open("paste", html=gazette, page_url=URL)
    return preview, page_id


ENDS = {"after-text": "div", "diff": "section", "outline": "ol", "removal-total": "li"}


def panel(html: str, ident: str) -> str:
    """The inside of the element with id ``ident`` (to its first closing tag of its kind)."""
    end = ENDS.get(ident, "p")
    m = re.search(rf'id="{ident}"[^>]*>(.*?)</{end}>', html, re.S)
    assert m, ident
    return m.group(1)


def tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")) if root.exists() else []


# -- issue 14.3: where everything went --------------------------------------------------

def test_outside_regions_are_counted_apart_and_listed_in_their_own_group(preview, gazette):
    view, _ = preview.open("paste", html=gazette, page_url=URL)
    total = re.sub(r"<[^>]+>", "", panel(view.text, "removal-total"))
    assert total == "2 residue removals, 4 regions outside the article"
    group = re.search(r'<tbody class="group-outside".*?</tbody>', view.text, re.S).group(0)
    assert "Outside the article body: 4 regions" in group
    for path, rule in REGIONS.items():
        assert re.search(rf"<code>{re.escape(rule)}</code>.*?html:{re.escape(path)}<", group,
                         re.S), rule
    residue = re.search(r'<tbody class="group-residue".*?</tbody>', view.text, re.S).group(0)
    assert "extract.chrome-box" in residue and "outside" not in residue


def test_the_body_choice_and_its_confidence_are_shown(preview, gazette):
    view, _ = preview.open("paste", html=gazette, page_url=URL)
    choice = panel(view.text, "body-choice")
    assert "/html/body/div/main/article" in choice and "page&#39;s structure" in choice
    assert re.search(r'id="confidence">0\.\d\d<', view.text)
    assert 'id="low-confidence"' not in view.text
    assert "#cleaner-body" in choice  # "show it in the page"


def test_a_low_confidence_gets_a_plain_warning(preview):
    page = ("<html><body><div class='a'><p>Opening hours change on Monday.</p></div>"
            "<div class='b'><p>Parking is free on Sundays in May.</p></div></body></html>")
    assert clean_article(page).confidence < 0.5
    view, _ = preview.open("paste", html=page)
    assert "not sure this is the article" in panel(view.text, "low-confidence")


def test_the_marked_page_outlines_outside_regions_in_their_own_style(preview, gazette):
    _, page_id = preview.open("paste", html=gazette, page_url=URL)
    marked = preview.client.get(f"/page/{page_id}?mark=1").text
    for tag in ("header", "nav", "aside", "footer"):
        el = re.search(rf"<{tag} [^>]*>", marked).group(0)
        assert 'data-cleaner-family="outside"' in el, tag
    assert '[data-cleaner-family="outside"]{outline:2px dashed' in marked
    shop = re.search(r'<div class="related-timeline"[^>]*>', marked).group(0)
    assert 'data-cleaner-family="related"' in shop  # residue keeps the red style
    assert re.search(r'<article class="story" data-cleaner-body=""', marked)


def test_loose_text_is_listed_but_never_outlined(preview):
    page = ("<html><body>Loose words between regions<header><p>Site name here</p></header>"
            "<main><article><p>" + "The council met on Monday to discuss the harbour. " * 6 +
            "</p></article></main>More loose words<footer><p>Footer line</p></footer>"
            "</body></html>")
    result = clean_article(page)
    [stray] = [r for r in result.removed if r.rule == "extract.stray-text"]
    view, page_id = preview.open("paste", html=page)
    i = result.removed.index(stray)
    row = re.search(rf'<tr data-removal="{i}".*?</tr>', view.text, re.S).group(0)
    assert 'class="find"' not in row and ">text<" in row
    marked = preview.client.get(f"/page/{page_id}?mark=1").text
    assert f'data-cleaner-removal="{i}"' not in marked
    assert re.search(rf'<mark data-removal="{i}"[^>]*><a [^>]*>Loose words between regions',
                     view.text)


def test_removals_are_located_by_their_path_not_their_text(tmp_path, preview_for):
    """The sign-off line is quoted earlier in the article: a search by text would mark the
    quoting paragraph; the record's path marks the line itself."""
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "gazette.example.toml").write_text(
        f'host = "gazette.example"\nstrip_text = ["{SIGNOFF}"]\n', encoding="utf-8")
    app = create_app({"TESTING": True, "PROFILES_DIR": str(profiles),
                      "FIXTURES_DIR": str(tmp_path / "fixtures")})
    prose = "The harbour authority met on Monday and agreed the budget for the pier. " * 3
    page = (f"<html><body><article><p id='quote'>Editors sign off with {SIGNOFF} on every "
            f"story, a habit since 1887.</p><p>{prose}</p><p id='line'>{SIGNOFF}</p>"
            "</article></body></html>")
    preview = preview_for(app)
    _, page_id = preview.open("paste", html=page, page_url=URL)
    marked = preview.client.get(f"/page/{page_id}?mark=1").text
    assert re.search(r'<p id="line" data-cleaner-removal="\d+"', marked)
    assert re.search(r'<p id="quote">', marked)


def test_every_dropped_diff_line_links_to_its_record(preview, seed_html):
    view, _ = preview.open("paste", html=seed_html.decode("utf-8"))
    diff = panel(view.text, "diff")
    rows = re.findall(r'<div class="row op-del[^"]*">(.*?)</div>', view.text, re.S)
    assert len(rows) > 20
    for row in rows:
        assert re.search(r'<a href="#removal-\d+" data-removal="\d+">', row), row
    assert "unexplained" not in re.sub(r'<p class="hint">.*?</p>', "", diff, flags=re.S)


def test_a_dropped_line_no_record_explains_is_marked_unexplained(gazette):
    result = clean_article(gazette, URL)
    keep = [r for r in result.removed if r.rule != "extract.sidebar"]  # as if unrecorded
    ann = annotate_html(gazette, keep, base_url=URL)
    rows = diff_rows(ann.lines, result.text.splitlines())
    lost = [r.text for r in rows if r.unexplained]
    assert lost == ["Most read", "Council to vote on parking fees next week",
                    "Lifeboat crew rescue two walkers cut off by the tide"]
    assert all(r.removals for r in rows if r.op == "-" and not r.unexplained)


def test_the_diff_of_a_page_of_repeated_lines_is_fast_and_exact(preview):
    # was: difflib without its junk heuristic weighs every pair of equal lines: a page of
    # 2,500 paragraphs repeating seven sentences took about half a minute to view, and as
    # long again to try a line rule on
    said = [f"The council met again on the bridge question, said clerk number {k}."
            for k in range(7)]
    html = "<article>" + "".join(f"<p>{said[i % 7]}</p><div class='share'><a href='#'>Share"
                                 "</a></div>" for i in range(2_500)) + "</article>"
    t0 = time.perf_counter()
    view, page_id = preview.open("paste", html=html, page_url="https://news.example.org/a")
    tried = preview.client.get(f"/view/{page_id}", query_string={"line": said[3]})
    assert time.perf_counter() - t0 < 15  # about 1 s; a minute before
    assert view.status_code == tried.status_code == 200
    diff = panel(view.text, "diff")
    # the diff shows the page's first 4,000 lines: every "Share" dropped, nothing else
    assert diff.count('class="row op-del') == 2_000
    assert len(re.findall(r'<div class="row op-same', diff)) == 2_000


# -- issue 15: picking --------------------------------------------------------------------

def test_the_elements_tab_lists_the_page_escaped_with_pick_links(taught, gazette):
    preview, page_id = taught
    view = preview.client.get(f"/view/{page_id}")
    outline = panel(view.text, "outline")
    assert f'href="/view/{page_id}?pick=/html/body/div/main/article/div%5B1%5D#teach"' in outline
    assert "<code>div.gz-shop</code>" in outline and "Buy our calendar" in outline
    assert "<script" not in outline and "__pagePwned" not in outline


def test_the_outline_escapes_hostile_names_and_text(preview):
    page = ('<html><body><div class="x&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" '
            'id="&lt;b&gt;"><p>&lt;script&gt;alert(1)&lt;/script&gt; is text here</p></div>'
            '</body></html>')
    view, _ = preview.open("paste", html=page)
    outline = panel(view.text, "outline")
    assert "<img" not in outline and "<script>" not in outline and "<b>" not in outline
    assert "&lt;script&gt;" in outline


def test_picking_proposes_a_selector_and_counts_its_matches(taught):
    preview, page_id = taught
    view = preview.client.get(f"/view/{page_id}?pick={SHOP_PATH}")
    assert view.status_code == 200
    assert '<code>div.gz-shop</code>' in panel(view.text, "picked")
    assert 'id="selector" name="selector" maxlength="300" spellcheck="false" value=".gz-shop"' \
        in view.text
    assert re.sub(r"<[^>]+>", "", panel(view.text, "match-count")) == \
        ".gz-shop matches 1 element on this page."
    assert 'id="save-rule"' not in view.text  # nothing to save before a choice
    # the frame shows the picked element outlined, by the server
    assert f"pick={SHOP_PATH.replace('[', '%5B').replace(']', '%5D')}#cleaner-pick" in view.text
    marked = preview.client.get(f"/page/{page_id}?mark=1&pick={SHOP_PATH}").text
    assert re.search(r'<a id="cleaner-pick" class="cleaner-anchor"></a><div class="gz-shop" '
                     r'data-cleaner-pick=""', marked)


def test_trying_a_rule_shows_its_effect_and_writes_nothing(taught, folders):
    preview, page_id = taught
    view = preview.client.get(f"/view/{page_id}?pick={SHOP_PATH}&action=strip&note=promo")
    effect = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", panel(view.text, "lesson-effect")))
    assert "1 line goes, 0 come back" in effect
    after = re.search(r'id="lesson-after".*?</div>\s*</div>', view.text, re.S).group(0)
    assert re.search(r'op-del"><span class="op">-</span>Buy our calendar', after)
    assert "Save to " in view.text and "gazette.example.toml" in view.text
    assert tree(folders[0]) == [] and tree(folders[1]) == []


def test_an_edited_selector_is_counted_and_checked(taught):
    preview, page_id = taught
    view = preview.client.get(f"/view/{page_id}?pick={SHOP_PATH}&selector=article+div")
    assert "matches <strong>2</strong> elements" in view.text
    view = preview.client.get(f"/view/{page_id}?pick={SHOP_PATH}&selector=p.nothing")
    assert "It does not match the element you picked" in view.text
    view = preview.client.get(f"/view/{page_id}?pick={SHOP_PATH}&selector=div[[&action=strip")
    assert view.status_code == 200 and "bad CSS selector" in panel(view.text, "teach-error")


@pytest.mark.parametrize("path", ["//script", "/html/body/../../etc", "/html/body/div[0]",
                                  "html/body", "/html/body/div[999]", "/html/body/p[@id]",
                                  "/" + "x/" * 600])
def test_a_bad_pick_path_is_refused_without_evaluating_it(taught, path):
    preview, page_id = taught
    view = preview.client.get(f"/view/{page_id}", query_string={"pick": path})
    assert view.status_code == 200 and panel(view.text, "teach-error")
    frame = preview.client.get(f"/page/{page_id}", query_string={"mark": "1", "pick": path})
    assert frame.status_code in (200, 400)
    assert 'data-cleaner-pick=""' not in frame.text


# -- issue 15: saving --------------------------------------------------------------------

def save(preview, page_id, **fields):
    return preview.client.post(f"/profile/{page_id}",
                               data={"csrf_token": preview.token, "profile": "", **fields})


def test_save_a_strip_rule_then_the_removal_shows_the_profile_name(taught, folders):
    preview, page_id = taught
    resp = save(preview, page_id, pick=SHOP_PATH, selector=".gz-shop", action="strip",
                note="the shop's calendar promo")
    assert resp.status_code == 303 and "taught=1" in resp.headers["Location"]
    assert tree(folders[0]) == ["gazette.example.toml"]
    prof = load_profile(folders[0] / "gazette.example.toml")
    [rule] = prof.rules
    assert (rule.kind, rule.value, rule.why) == ("strip", ".gz-shop",
                                                 "the shop's calendar promo")
    assert rule.drop_examples == (SHOP,) and SHOP in rule.drop_html[0]
    view = preview.client.get(resp.headers["Location"])
    assert "saved rule 1 (strip .gz-shop)" in view.text
    assert SHOP not in panel(view.text, "after-text")
    row = re.search(r'<tr data-removal="\d+"[^>]*class="fam-gazette.example".*?</tr>',
                    view.text, re.S).group(0)
    assert '<span class="chip fam-gazette.example">gazette.example</span>' in row
    assert "profile.gazette.example.strip.1" in row and "the shop&#39;s calendar promo" in row
    # "save as fixture" is offered, open, with approval ticked
    assert re.search(r'<details class="save-fixture" open>', view.text)
    assert 'id="approve" checked' in view.text


def test_save_a_keep_rule(taught, folders):
    preview, page_id = taught
    view = preview.client.get(f"/view/{page_id}?pick={TIMELINE_PATH}&action=keep")
    assert "0 lines go, 1 comes back" in re.sub(r"\s+", " ", re.sub(
        r"<[^>]+>", "", panel(view.text, "lesson-effect")))
    resp = save(preview, page_id, pick=TIMELINE_PATH, selector=".related-timeline",
                action="keep")
    assert resp.status_code == 303
    [rule] = load_profile(folders[0] / "gazette.example.toml").rules
    assert rule.kind == "keep" and rule.keep_examples[0].startswith(TIMELINE)
    view = preview.client.get(resp.headers["Location"])
    assert TIMELINE in panel(view.text, "after-text")


def test_save_a_text_line_rule(taught, folders):
    preview, page_id = taught
    view = preview.client.get(f"/view/{page_id}", query_string={"line": f"  {SIGNOFF} "})
    assert "is <strong>1</strong> line of this page" in panel(view.text, "match-count")
    resp = save(preview, page_id, line=SIGNOFF, note="the sign-off")
    assert resp.status_code == 303
    [rule] = load_profile(folders[0] / "gazette.example.toml").rules
    assert (rule.kind, rule.value, rule.drop_examples) == ("strip_text", SIGNOFF, (SIGNOFF,))
    view = preview.client.get(resp.headers["Location"])
    assert SIGNOFF not in panel(view.text, "after-text")
    assert "profile.gazette.example.strip_text.1" in view.text


def test_rules_accumulate_in_one_file(taught, folders):
    preview, page_id = taught
    save(preview, page_id, pick=SHOP_PATH, selector=".gz-shop", action="strip")
    save(preview, page_id, line=SIGNOFF)
    save(preview, page_id, pick=TIMELINE_PATH, selector=".related-timeline", action="keep")
    prof = load_profile(folders[0] / "gazette.example.toml")
    assert [r.kind for r in prof.rules] == ["strip", "strip_text", "keep"]
    text = panel(preview.client.get(f"/view/{page_id}").text, "after-text")
    assert SHOP not in text and SIGNOFF not in text and TIMELINE in text


def test_without_a_profiles_folder_nothing_is_saved(preview, gazette, tmp_path):
    _, page_id = preview.open("paste", html=gazette, page_url=URL)
    view = preview.client.get(f"/view/{page_id}?pick={SHOP_PATH}&action=strip")
    assert "cleaner serve --profiles DIR" in panel(view.text, "cannot-save")
    assert 'id="save-rule"' not in view.text
    before = tree(tmp_path)
    resp = save(preview, page_id, pick=SHOP_PATH, selector=".gz-shop", action="strip")
    assert resp.status_code == 400 and tree(tmp_path) == before


@pytest.mark.parametrize("url", ["", "http://127.0.0.1:8000/story", "http://localhost/x"])
def test_without_a_site_name_in_the_url_nothing_is_saved(teach_app, preview_for, gazette,
                                                         folders, url):
    preview = preview_for(teach_app)
    _, page_id = preview.open("paste", html=gazette, page_url=url)
    view = preview.client.get(f"/view/{page_id}?pick={SHOP_PATH}&action=strip")
    assert 'id="cannot-save"' in view.text and 'id="save-rule"' not in view.text
    resp = save(preview, page_id, pick=SHOP_PATH, selector=".gz-shop", action="strip")
    assert resp.status_code == 400 and tree(folders[0]) == []


def test_nothing_in_the_request_chooses_the_file(taught, folders, tmp_path):
    preview, page_id = taught
    resp = save(preview, page_id, pick=SHOP_PATH, selector=".gz-shop", action="strip",
                folder=str(tmp_path / "evil"), host="evil.example",
                target="../../evil.toml", file="/tmp/evil.toml")
    assert resp.status_code == 303
    assert tree(folders[0]) == ["gazette.example.toml"]
    assert {p.name for p in tmp_path.iterdir()} <= {"fixtures", "profiles"}


def test_a_rule_that_does_not_compile_is_refused_and_not_written(taught, folders):
    preview, page_id = taught
    for fields in ({"pick": SHOP_PATH, "selector": "div[[", "action": "strip"},
                   {"pick": SHOP_PATH, "selector": "p::before", "action": "keep"},
                   {"pick": SHOP_PATH, "selector": "x" * 400, "action": "strip"},
                   {"line": "x" * 600},
                   {"pick": "//script", "selector": "div", "action": "strip"}):
        resp = save(preview, page_id, **fields)
        assert resp.status_code == 400, fields
    assert tree(folders[0]) == []


def test_saving_needs_the_csrf_token_and_our_origin(taught, folders):
    preview, page_id = taught
    fields = {"pick": SHOP_PATH, "selector": ".gz-shop", "action": "strip", "profile": ""}
    assert preview.client.post(f"/profile/{page_id}", data=fields).status_code == 400
    resp = preview.client.post(f"/profile/{page_id}", data={"csrf_token": preview.token,
                                                            **fields},
                               headers={"Origin": "https://evil.example"})
    assert resp.status_code == 400
    resp = preview.client.post(f"/profile/{page_id}", data={"csrf_token": preview.token,
                                                            **fields},
                               headers={"Origin": "null"})
    assert resp.status_code == 400
    assert tree(folders[0]) == []


def test_a_fixture_saved_after_a_rule_is_approved_and_checks(taught, folders, monkeypatch,
                                                             capsys):
    preview, page_id = taught
    profiles, fixtures = folders
    monkeypatch.setenv("CLEANER_PROFILES", str(profiles))  # as `cleaner serve --profiles`
    save(preview, page_id, pick=SHOP_PATH, selector=".gz-shop", action="strip")
    resp = preview.client.post(f"/fixture/{page_id}", data={
        "csrf_token": preview.token, "site": "gazette.example", "profile": "",
        "approve": "1"})
    assert resp.status_code == 303
    view = preview.client.get(resp.headers["Location"])
    assert "approved" in view.text and "cleaner fixture check gazette.example" in view.text
    expected = (fixtures / "gazette.example" / "expected.txt").read_text(encoding="utf-8")
    assert SHOP not in expected and expected.strip() == \
        re.sub(r"</p>\s*<p>", "\n", panel(view.text, "after-text")).replace(
            "<p>", "").replace("</p>", "").strip().replace("&#39;", "'")
    from cleaner.cli import main
    assert main(["fixture", "check", "--root", str(fixtures)]) == 0
    assert main(["profile", "test", str(profiles), "--fixtures", str(fixtures)]) == 0
    out = capsys.readouterr().out
    assert "ok   gazette.example" in out and "1 profile, 1 example: all pass" in out


def test_cleaner_serve_profiles_is_the_folder_rules_are_saved_in(monkeypatch, tmp_path,
                                                                 capsys):
    import webapp.server
    from cleaner.cli import main
    seen = {}
    monkeypatch.setattr(webapp.server, "serve", lambda *a, **kw: seen.update(kw))
    monkeypatch.setenv("CLEANER_PROFILES", "")
    assert main(["serve", "--port", "0", "--profiles", str(tmp_path)]) == 0
    assert seen["config"]["PROFILES_DIR"] == str(tmp_path)
    assert main(["serve", "--port", "0", "--profiles", str(tmp_path / "missing")]) == 1
    assert "profile folder not found" in capsys.readouterr().err
