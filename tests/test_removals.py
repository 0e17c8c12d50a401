"""Every dropped word has a removal record, and every record points at its element."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from cleaner import clean_article, clean_text, parse_page
from cleaner.devtools.bench.detail import explained_words, page_detail, visible_words
from cleaner.dom import spaced_text_of
from cleaner.extract.outside import MAX_REGIONS_PER_PARENT

FIXTURES = Path(__file__).parent.parent / "fixtures"
SITES = sorted(p.name for p in FIXTURES.iterdir() if (p / "input.html").exists())
PARA = ("The harbour authority said on Monday that the new pier, which cost {n} million, "
        "would open in spring, after two years of delays caused by storms and supply problems.")


def paragraphs(k: int) -> str:
    return "".join(f"<p>{PARA.format(n=i + 1)}</p>" for i in range(k))


PAGE = f"""<html><body>
<header class="masthead"><a href="/">Coast Gazette</a> <span>Since 1881</span></header>
<nav class="main-nav"><ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
</ul></nav>
<div class="layout">
  <article class="story"><h1>Pier opens</h1>{paragraphs(4)}</article>
  <aside class="sidebar"><h3>Most read</h3><ul><li><a href="/a">Storm closes road</a></li>
  </ul></aside>
  <div class="promo-strip"><p>Our summer magazine is out now in every newsagent.</p></div>
</div>
Loose words between boxes
<footer class="site-footer"><p>Coast Gazette, 1 Harbour Road.</p>
<form><select><option>English</option><option>Deutsch</option></select>
<button>Go</button></form></footer>
</body></html>"""


def resolve(root, path: str):
    found = root.getroottree().xpath(path)
    assert len(found) == 1, path
    return found[0]


def words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.lower()))


def test_each_region_outside_the_body_is_one_named_removal():
    result = clean_article(PAGE)
    outside = {r.rule: r for r in result.removed if r.family == "outside"}
    assert set(outside) == {"extract.header", "extract.navigation", "extract.sidebar",
                            "extract.sibling", "extract.footer", "extract.stray-text"}
    root = parse_page(PAGE)
    assert resolve(root, outside["extract.header"].path).tag == "header"
    assert resolve(root, outside["extract.navigation"].path).tag == "nav"
    assert resolve(root, outside["extract.sidebar"].path).tag == "aside"
    assert "summer magazine" in outside["extract.sibling"].text
    assert outside["extract.stray-text"].text == "Loose words between boxes"
    body = next(r for r in result.removed if r.rule == "extract.header")
    assert "outside the article body /html/body/div/article" in body.reason


MIXED = """<html><body><div id="top">Masthead<div>Lead<p>One</p>two<p>Three</p></div>four
<table><tr><td>cell</td><td>next</td></tr></table><pre>  keep
 lines</pre></div><article>ARTICLE</article><div class="foot"><p>Fine<span>print</span></p>
<ul><li>a</li><li>b<li>c</ul>end</div><div class="spacer"> </div><div><img src="x.png"></div>
</body></html>"""
# a menu whose submenu opens with a child right after a link: no space in the markup
MENU = """<html><body><nav><a href="/about">About</a><ul><li><a href="/me">Me</a></li>
<li><a href="/kids">Kids</a><ul><li><a href="/teens">Teens</a></li></ul></li></ul></nav>
<article>ARTICLE</article><footer><b>Home</b><div><span>Terms</span></div></footer>
</body></html>"""


@pytest.mark.parametrize("page", [PAGE, MIXED, MENU])
def test_regions_read_after_the_scorer_spaced_the_blocks_read_as_when_parted(page):
    # the fast read (blocks spaced once from the scorer's walk, one C call per region)
    # gives every region the words and phrase breaks of the per-region parting read
    from cleaner.dom import PathIndex
    from cleaner.extract.outside import outside_regions
    from cleaner.extract.scores import Scores

    def records(fast: bool):
        root = parse_page(page)
        body = root.find("body")
        article = body.find(".//article")
        scores = Scores(body) if fast else None
        return [(r.rule, r.path, r.text) for r in
                outside_regions(body, [article], PathIndex(root), scores=scores)]

    slow = records(False)
    assert len(slow) >= 2
    assert records(True) == slow


def test_form_controls_are_recorded_not_silently_stripped():
    result = clean_article(PAGE)
    controls = [r for r in result.removed if r.rule == "structure.not-content"]
    assert {r.text for r in controls} == {"English Deutsch", "Go"}


def test_every_dropped_word_of_the_page_is_explained():
    result = clean_article(PAGE)
    dropped, explained = explained_words(visible_words(PAGE), result)
    assert sum(dropped.values()) > 20
    assert dropped == explained


def test_a_table_whose_cells_sit_in_no_row_is_read_not_silently_dropped():
    # "<tr><tbody><td>": the parser leaves the cells under tbody, outside any row
    broken = ('<table><tr><tbody><td><h2>Upcoming meetings</h2><dl></dl></td>'
              '<td><h2>Branch news</h2><p>The autumn meeting moves to the harbour hall.</p>'
              "</td></tbody></table>")
    page = f"<html><body><article><h1>Pier opens</h1>{paragraphs(4)}{broken}</article></body></html>"
    result = clean_article(page)
    dropped, explained = explained_words(visible_words(page), result)
    assert "autumn meeting" in result.text
    assert dropped == explained


@pytest.mark.parametrize("site", SITES)
def test_fixture_records_resolve_to_their_elements_and_explain_the_page(site):
    data = (FIXTURES / site / "input.html").read_bytes()
    result = clean_article(data)
    root = parse_page(data)
    for r in result.removed:
        assert r.path, r
        el = resolve(root, r.path)
        # the record's words are the element's (less what other records took from it;
        # a removed child can glue two words of the record)
        mine = words(r.text)
        total = sum(mine.values())
        found = sum((mine & words(spaced_text_of(el))).values())
        assert found >= total - max(1, total // 10), (r.rule, r.path)
    detail = page_detail(data, None, result)
    assert detail["explained"] >= 0.95 * detail["dropped"], detail


def test_paths_name_elements_of_the_page_as_parsed_after_pruning_siblings():
    html = ("<body>" + '<div hidden>gone</div>' * 3 +
            f"<div class='x'>{paragraphs(3)}</div><div class='promo'><p>Buy the "
            "summer magazine today at a newsagent near you.</p></div></body>")
    result = clean_article(html)
    root = parse_page(html)
    sibling = next(r for r in result.removed if "summer magazine" in r.text)
    assert sibling.path == "/html/body/div[5]"
    assert "summer magazine" in " ".join(resolve(root, sibling.path).itertext())


def test_many_small_regions_share_records():
    html = ("<body>" + "".join(f'<div class="teaser"><a href="/{i}">Teaser {i}</a></div>'
                               for i in range(500))
            + f"<article>{paragraphs(3)}</article></body>")
    result = clean_article(html)
    outside = [r for r in result.removed if r.family == "outside"]
    assert len(outside) <= MAX_REGIONS_PER_PARENT + 1
    assert sum(r.text.count("Teaser") for r in outside) == 500


def test_a_hidden_element_holding_the_article_is_kept_and_noted():
    html = (f"<body><nav><a href='/'>Home</a></nav><div style='display:none' id='post'>"
            f"{paragraphs(5)}</div><p>Comments are closed.</p></body>")
    result = clean_article(html)
    assert PARA.format(n=3) in result.text
    assert any("hidden element" in n for n in result.metadata.get("notes", []))


def test_text_layer_records_carry_their_block_path_and_clean_text_none():
    html = (f"<article>{paragraphs(2)}<p>\"*\" indicates required fields</p></article>")
    result = clean_article(html)
    legend = next(r for r in result.removed if r.rule == "form.gravity.legend")
    assert legend.where.startswith("text:") and legend.path == "/html/body/article/p[3]"
    plain = clean_text('Story.\n"*" indicates required fields')
    assert plain.removed[0].path == ""


def test_an_element_whose_tag_is_no_xpath_name_gets_a_path_that_resolves():
    html = (f"<body><o:p>Office residue line here</o:p><div class='promo'><p>Buy the summer "
            f"magazine today.</p></div><weird.tag)>odd</weird.tag)>"
            f"<article>{paragraphs(3)}</article></body>")
    result = clean_article(html)
    root = parse_page(html)
    for r in result.removed:
        assert len(root.getroottree().xpath(r.path)) == 1, r.path
    assert any(r.path.endswith("*[1]") for r in result.removed)


def test_comment_lines_loose_in_the_body_are_recorded_at_the_body_not_the_page():
    # was: the lines of one element (cut by <br>s) were recorded at its parent: /html
    said = "The council voted on Tuesday to close the old bridge, citing its cost. "
    result = clean_article(f"<html><body><p>{said * 6}</p><p>{said * 4}</p>2 Comments<br>"
                           "Great story, thanks.<br>I disagree with the council.</body></html>")
    (thread,) = [r for r in result.removed if r.rule == "extract.comment-thread"]
    assert thread.path == "/html/body" and "I disagree" in thread.text


def test_json_size_script_measures_the_records_of_regions_outside_the_body(monkeypatch):
    monkeypatch.syspath_prepend(str(Path(__file__).parents[1] / "scripts"))
    import json_size

    full, inner, regions = json_size.sizes([PAGE.encode(), b"<p>" + PARA.encode() + b"</p>"])
    outside = [r for r in clean_article(PAGE).removed if r.family == "outside"]
    assert regions == [len(outside), 0]
    assert full[0] - inner[0] > sum(len(r.text) for r in outside)
    assert full[1] == inner[1]


def test_outside_cost_script_times_both_arms_and_puts_the_records_back(monkeypatch):
    monkeypatch.syspath_prepend(str(Path(__file__).parents[1] / "scripts"))
    import outside_cost

    import cleaner.extract as extract

    recorded = extract.outside_regions
    with_t, without_t = outside_cost.seconds([PAGE.encode()], rounds=1)
    assert with_t > 0 and without_t > 0
    assert extract.outside_regions is recorded
    assert any(r.family == "outside" for r in clean_article(PAGE).removed)


def test_elements_pruned_side_by_side_leave_the_same_text_in_every_process():
    # a block and an inline element dropped next to each other: the space left between
    # the words around them must not depend on the order a set of elements iterates in
    aside = ('<aside class="ipsComment_author cAuthorPane ipsColumn"><h3 '
             'class="cAuthorPane_author"><strong><a href="/profile/4-x/">lenslover</a>'
             '</strong></h3><ul class="cAuthorPane_info"><li data-role="group">Members</li>'
             '<li data-role="stats"><a href="/profile/4/content/" title="88 posts">88</a>'
             '</li></ul></aside>')
    page = ("<label><p/>The council voted on Tuesday to close the old bridge, citing safety "
            f"and cost.{aside}<a class='doc-anchor' href='#examples'>\u00a7</a></label>&amp;")
    code = ("import sys; from cleaner import clean_article; "
            "sys.stdout.write(clean_article(sys.stdin.read()).text)")
    texts = {subprocess.run([sys.executable, "-c", code], input=page, capture_output=True,
                            text=True, check=True, env={**os.environ, "PYTHONHASHSEED": str(s)},
                            cwd=Path(__file__).resolve().parent.parent).stdout
             for s in range(6)}
    assert texts == {"The council voted on Tuesday to close the old bridge, citing safety and "
                     "cost. &"}
