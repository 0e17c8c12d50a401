"""The body finder on small pages written for these tests."""

import re

import pytest

from cleaner import clean_article
from cleaner.extract.scores import measure
from cleaner.extract.weights import WIDE_CHAR_WEIGHT, WIDE_SCRIPT

PARA = ("The harbour authority said on Monday that the new pier, which cost {n} million, "
        "would open in spring, after two years of delays caused by storms and supply problems.")


def page(body: str, extra: str = "") -> str:
    return f"""<html><head><title>Pier opens | Coast Gazette</title></head><body>
    <header class="site-header"><a href="/">Coast Gazette</a>
      <nav class="main-nav"><ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a>
      </li><li><a href="/weather">Weather</a></li></ul></nav></header>
    <div class="layout">{body}
      <aside class="sidebar"><h3>Most read</h3><ul>
        <li><a href="/a">Storm closes coastal road for a week</a></li>
        <li><a href="/b">Fishermen protest quota cuts at the harbour</a></li>
        <li><a href="/c">School wins national robotics prize</a></li></ul></aside>
    </div>{extra}
    <footer class="site-footer"><p>Coast Gazette, 1 Harbour Road. All rights reserved.</p>
    </footer></body></html>"""


def paragraphs(k: int, start: int = 0) -> str:
    return "".join(f"<p>{PARA.format(n=start + i + 1)}</p>" for i in range(k))


def test_body_without_navigation_sidebar_or_footer():
    result = clean_article(page(f"<article><h1>Pier opens</h1>{paragraphs(4)}</article>"))
    lines = result.text.splitlines()
    assert lines == [PARA.format(n=i + 1) for i in range(4)]
    assert "Most read" not in result.text and "Sport" not in result.text
    assert result.title == "Pier opens"


def test_article_split_over_sibling_chunks_is_joined():
    chunks = "".join(
        f'<div class="grid"><div class="article__body">{paragraphs(3, 3 * c)}</div>'
        f'<div class="ad-rail"><a href="/x">Advert</a></div></div>' for c in range(3))
    result = clean_article(page(f'<article><div class="chunks">{chunks}</div></article>'))
    assert result.text.splitlines() == [PARA.format(n=i + 1) for i in range(9)]
    assert "Advert" not in result.text


def test_repeats_apart_are_kept_back_to_back_copies_are_not():
    body = ("<article>" + paragraphs(2) + "<p>Week 1: rest day</p>" + paragraphs(1, 5) +
            "<p>Week 1: rest day</p><p>Week 1: rest day</p>" + paragraphs(1, 9) + "</article>")
    result = clean_article(page(body))
    assert result.text.count("Week 1: rest day") == 2
    assert [r.rule for r in result.removed].count("structure.duplicate") == 1


def test_comments_section_is_not_body():
    comments = ('<div id="comments" class="comments-area"><h2>12 comments</h2>'
                '<ol class="comment-list">' + "".join(
                    f'<li class="comment"><p>Reader {i} says: I walked past the pier '
                    f'yesterday and honestly, it looks sturdy, well built and long.</p></li>'
                    for i in range(8)) + "</ol></div>")
    result = clean_article(page(f"<article>{paragraphs(3)}{comments}</article>"))
    assert "Reader 1 says" not in result.text
    assert result.text.count("harbour authority") == 3


def test_related_link_list_inside_body_is_dropped_and_recorded():
    related = ('<ul><li><a href="/1">Council approves harbour budget</a></li>'
               '<li><a href="/2">Ferry timetable changes in May</a></li>'
               '<li><a href="/3">Lifeboat crew honoured</a></li></ul>')
    result = clean_article(page(f"<article>{paragraphs(3)}{related}</article>"))
    assert "Ferry timetable" not in result.text
    assert any(r.rule == "extract.link-list" for r in result.removed)


def test_inline_tags_do_not_glue_or_split_words():
    html = page("<article><p>Hel<b>lo</b> wor<i>ld</i>, the <a href='/p'>pier</a> is "
                "open.</p><div>First line</div><div>Second line</div>" + paragraphs(2) +
                "</article>")
    lines = clean_article(html).text.splitlines()
    assert lines[0] == "Hello world, the pier is open."
    assert "First line" in lines and "Second line" in lines


def test_structure_headings_lists_tables_code():
    body = ("<article>" + paragraphs(2) + "<h2>Timeline</h2><ol><li>Design</li>"
            "<li>Build</li></ol><table><tr><th>Year</th><th>Cost</th></tr>"
            "<tr><td>2023</td><td>4m</td></tr></table><pre>line 1\n    indented</pre>"
            + paragraphs(1) + "</article>")
    result = clean_article(page(body))
    assert "Timeline\n- Design\n- Build\nYear | Cost\n2023 | 4m\nline 1\n    indented" \
        in result.text
    assert "## Timeline" in result.markdown and "1. Design\n2. Build" in result.markdown
    assert "| Year | Cost |" in result.markdown and "```\nline 1\n    indented\n```" \
        in result.markdown
    assert "<h2>Timeline</h2>" in result.html and "<ol>" in result.html


def test_a_line_break_in_a_table_cell_parts_its_words():
    body = ("<article>" + paragraphs(2) + "<table><tr><th>Who</th><th>Where</th></tr>"
            "<tr><td>Ana Ruiz<br>Harbour master</td><td>Pier 4<br/><small>east side"
            "</small></td></tr></table>" + paragraphs(1, 2) + "</article>")
    result = clean_article(page(body))
    assert "Who | Where\nAna Ruiz Harbour master | Pier 4 east side" in result.text


def test_date_and_byline_at_the_top_are_metadata_not_text():
    body = ('<article><h1>Pier opens</h1><p class="byline">By Jane Roe</p>'
            '<p>Updated 5:27 am CST, Wednesday, November 20, 2019</p>' + paragraphs(3) +
            "</article>")
    result = clean_article(page(body))
    assert result.text.splitlines()[0].startswith("The harbour authority")
    assert {r.family for r in result.removed} >= {"meta"}


def test_captions_dropped_by_default_and_kept_on_request():
    body = ("<article>" + paragraphs(2) + "<figure><img src='p.jpg'><figcaption>The pier at "
            "dawn. (Photo: Jane Roe)</figcaption></figure>" + paragraphs(1) + "</article>")
    assert "The pier at dawn" not in clean_article(page(body)).text
    kept = clean_article(page(body), include_captions=True)
    assert "The pier at dawn. (Photo: Jane Roe)" in kept.text


def test_an_images_description_box_is_its_caption():
    # a news portal's image box: the picture and a span named as its description
    body = ("<div class='article'>" + paragraphs(2) + "<div class='img_wrapper'><img "
            "src='p.jpg'><span class='img_descr'>The pier at dawn. File photo</span></div>"
            + paragraphs(1) + "</div>")
    result = clean_article(page(body))
    assert "The pier at dawn" not in result.text
    assert any(r.family == "caption" for r in result.removed)


def test_a_hidden_block_between_two_words_leaves_them_apart():
    # a separator hidden from screen readers, between two spans of the same line
    stamp = ('<div class="note"><span>Filed by Ana Ruiz</span><div aria-hidden="true">'
             '<span>\u00b7</span></div><span>Updated at noon</span>'
             '<div aria-hidden="true">\u00b7</div>for the late edition</div>')
    result = clean_article(page(f"<article>{paragraphs(2)}{stamp}{paragraphs(2, 2)}"
                                "</article>"))
    assert "Updated at noon for the late edition" in result.text
    assert "Filed by Ana RuizUpdated" not in result.text


def test_hidden_honeypot_is_removed_and_recorded():
    body = ("<article>" + paragraphs(2) + '<p style="display:none"><label>Leave this field '
            'empty</label></p></article>')
    result = clean_article(page(body))
    assert "Leave this field" not in result.text
    assert any(r.family == "hidden" for r in result.removed)


@pytest.mark.parametrize("cls", ["hidden", "d-none", "story hidden", "is-hidden"])
def test_a_copy_hidden_by_a_utility_class_is_removed_and_recorded(cls):
    # the same paragraphs twice: one copy for another layout, hidden by a CSS class
    body = f'<article><div class="{cls}">{paragraphs(3)}</div><div>{paragraphs(3)}</div></article>'
    result = clean_article(page(body))
    assert result.text.count(PARA.format(n=2)) == 1
    assert any(r.rule == "hidden.class" and PARA.format(n=2) in r.text for r in result.removed)


@pytest.mark.parametrize("cls", ["hidden md:block", "d-none d-lg-block", "hidden-xs",
                                 "visually-hidden", "collapse"])
def test_a_box_shown_at_some_width_or_to_screen_readers_is_not_hidden(cls):
    body = f'<article>{paragraphs(2)}<div class="{cls}">{paragraphs(1, 5)}</div></article>'
    result = clean_article(page(body))
    assert PARA.format(n=6) in result.text
    assert not any(r.rule == "hidden.class" for r in result.removed)


def test_single_long_text_node_in_a_div_is_found():
    text = " ".join(PARA.format(n=i) for i in range(5))
    html = page(f'<div class="col"><img src="x.jpg">{text}</div>')
    assert text in clean_article(html).text


def test_site_footer_inside_the_chosen_wrapper_is_dropped_article_footer_kept():
    # the article sits in chunks, so the body is a wrapper that also holds the site's
    # footer (a div, not <footer>); an "entry-footer" note belongs to the article
    chunks = "".join(f'<div class="story-chunk">{paragraphs(2, 2 * c)}</div>'
                     for c in range(3))
    note = ("Editor's note: an earlier version of this story gave the wrong opening "
            "month for the pier; it opens in April, not in March.")
    legal = ("Registration on or use of this site constitutes acceptance of our User "
             "Agreement, Privacy Policy and Cookie Statement, and your privacy choices.")
    body = (f'<div class="main-wrapper">{chunks}'
            f'<div class="entry-footer"><p>{note}</p></div>'
            f'<div class="footer" id="footer"><div class="footer__disclaimer">'
            f'<p>{legal}</p><p>© 2026 Coast Gazette. All rights reserved.</p></div></div>'
            f'</div>')
    result = clean_article(page(body))
    assert [PARA.format(n=i + 1) for i in range(6)] == result.text.splitlines()[:6]
    assert note in result.text
    assert legal not in result.text and "All rights reserved" not in result.text
    assert any(r.rule == "extract.chrome-box" and legal in r.text for r in result.removed)


def test_one_cell_table_of_a_link_is_a_teaser_box_not_data():
    teaser = ('<table class="linksisip"><tr><td><div class="lihatjg"><strong>Baca juga:'
              '</strong><a href="/d-1/harga-bawang">Harga Bawang Merah Ikut Naik Jelang Imlek'
              '</a></div></td></tr></table>')
    fact = '<table><tr><td>Last updated at 7:40 AM, the harbour office said.</td></tr></table>'
    result = clean_article(page(f'<article lang="id"><h1>Pier opens</h1>{paragraphs(2)}'
                                f'{teaser}{fact}{paragraphs(2, 2)}</article>'))
    assert "Harga Bawang" not in result.text and "Baca juga" not in result.text
    assert "the harbour office said" in result.text    # one cell of text: kept as it was
    assert all(PARA.format(n=i + 1) in result.text for i in range(4))



def test_a_short_chinese_article_ends_at_its_comment_thread():
    # three paragraphs of Han text: under 200 characters, but well over 200 Latin ones
    from cleaner.blocks import Block
    from cleaner.extract import comment_cut
    zh = ["记者从市气象台获悉，今天下午四时，全市发布暴雨橙色预警信号，预计未来三小时内主城区将出现"
          "五十毫米以上的降水。",
          "受强降雨影响，地铁一号线和四号线的部分出入口已临时关闭，市民出行请留意车站公告。",
          "截至发稿时，全市暂无人员伤亡报告。"]
    assert sum(map(len, zh)) < 200
    blocks = [Block("p", t) for t in zh] + [
        Block("h", "网友评论", level=3), Block("p", "网友 杭城小王"),
        Block("p", "下班路上雨太大了，地铁口果然关了好几个，大家注意安全。")]
    assert comment_cut(blocks, []) == 3
    assert comment_cut([Block("p", "The pier opened on Monday.")] +
                       [Block("h", "Комментарии (37)", level=3)], []) is None  # too soon


def test_code_keeps_its_comment_and_share_spans():
    # syntax highlighters class a code comment 'comment' and a token 'share': code, not chrome
    code = ('<pre class="rust item-decl"><code>pub struct Queue&lt;T&gt; '
            '{ <span class="comment">/* private fields */</span> }\n'
            'let total = <span class="share">share</span>(items);</code></pre>')
    result = clean_article(page(paragraphs(3) + code + paragraphs(2, 3)))
    assert "{ /* private fields */ }" in result.text
    assert "let total = share(items);" in result.text


def test_labels_laid_out_side_by_side_stay_apart_a_drop_cap_stays_in_its_word():
    params = "".join(
        f"<div class='Param'><div class='Param-header'><label class='Param-name'>{name}</label>"
        f"<span class='Param-type'>{kind}</span></div><div class='Param-description'>"
        f"<p>{note}</p></div></div>"
        for name, kind, note in [("limit", "int32", "How many invoices to return, up to 100."),
                                 ("cursor", "string", "The cursor of the previous page.")])
    lead = ("<p><span class='dropcap'>T</span><span class='lead-in'>he harbour authority</span>"
            " opened the new pier on Monday.</p>")
    result = clean_article(page(f"<article>{lead}{paragraphs(3)}{params}</article>"))
    assert "limit int32" in result.text and "cursor string" in result.text
    assert "The harbour authority opened" in result.text


def test_code_line_boxes_without_newlines_are_lines():
    # GitBook draws each line of a listing as a box: no newline between them in the markup
    code = ('<pre><code class="inline-grid"><span class="highlight-line"><span class="contents">'
            'curl -H "Authorization: Bearer $TOKEN" \\</span></span><span class="highlight-line">'
            '<span class="contents">  "https://api.ledgerly.example/v1/export"</span></span>'
            '</code></pre>')
    result = clean_article(page(f"<article>{paragraphs(3)}{code}{paragraphs(2, 3)}</article>"))
    assert 'curl -H "Authorization: Bearer $TOKEN" \\\n  "https://api.ledgerly.example' \
        in result.text


def test_a_tab_bar_of_labels_keeps_its_tab_names_apart():
    tabs = ('<div class="tabbed-set"><input checked id="t1" name="t" type="radio">'
            '<input id="t2" name="t" type="radio"><div class="tabbed-labels">'
            '<label for="t1">Memory</label><label for="t2">Redis</label></div>'
            '<div class="tabbed-content"><div class="tabbed-block"><pre><code>app = App()'
            '</code></pre></div></div></div>')
    result = clean_article(page(f"<article>{paragraphs(3)}{tabs}{paragraphs(2, 3)}</article>"))
    assert "Memory Redis" in result.text


def test_a_listing_laid_out_in_a_table_keeps_its_lines():
    # Pygments' highlighttable: a line-number cell (residue) and a cell holding the <pre>
    code = ('<div class="highlight"><table class="highlighttable"><tr>'
            '<td class="linenos"><div class="linenodiv"><pre>1\n2</pre></div></td>'
            '<td class="code"><div><pre><code>from quarry import App\n'
            'app = App(cache=True)\n</code></pre></div></td></tr></table></div>')
    result = clean_article(page(f"<article>{paragraphs(3)}{code}{paragraphs(2, 3)}</article>"))
    assert "from quarry import App\napp = App(cache=True)" in result.text
    assert "```\nfrom quarry import App\napp = App(cache=True)\n```" in result.markdown


def test_a_comments_heading_followed_by_another_section_is_a_section():
    # a consultation story's "Comentarios" section, then its "Compartir" section: the
    # article's parts, not the start of a reader thread
    from cleaner.blocks import Block
    from cleaner.extract import comment_cut
    lead = [Block("p", PARA.format(n=i + 1)) for i in range(2)]
    blocks = lead + [Block("h", "Comentarios", level=2),
                     Block("p", "Entre los comentarios más repetidos, los vecinos pidieron "
                                "más aparcamiento para bicicletas."),
                     Block("h", "Compartir", level=2),
                     Block("p", "El documento final se podrá compartir en la web municipal.")]
    assert comment_cut(blocks, []) is None
    # a "Comments" heading with no section after it still starts the thread
    assert comment_cut(lead + [Block("h", "Comments", level=2),
                               Block("p", "Pat says: great news for the town.")], []) == 2


@pytest.mark.parametrize("text", [
    "The pier, at last", "“Quoted,” she said — twice, in fact…", "café, crème, brûlée",
    "قال، ثم ذهب، وعاد", "新码头，终于、开放", "Mixed “quotes”, 新码头，and، commas",
    "ｶﾀｶﾅ and ひらがな, with 漢字", "\u3001", "\u3000 ideographic space, no wide letter",
])
def test_measure_counts_wide_letters_and_every_comma_whatever_its_script(text):
    wide = len(re.findall(WIDE_SCRIPT, text))
    commas = len(re.findall(r"[,，、،]", text))
    assert measure(text) == (len(text) + (WIDE_CHAR_WEIGHT - 1) * wide, commas)
