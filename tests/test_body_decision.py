"""The body decision on pages written to trip it: what must win, and what it says."""

from __future__ import annotations

import json

import pytest

from cleaner import clean_article

PARA = ("The harbour authority said on Monday that the new pier, which cost {n} million, "
        "would open in spring, after two years of delays caused by storms and supply "
        "problems, and that the fishing fleet would move back within weeks.")
COMMENT = ("I have lived by this harbour for forty years and I can tell you that the pier "
           "was never the problem, the dredging was, and nobody at the council listens "
           "to the people who actually use it every single day of the year ({n}).")


def paragraphs(k: int, text: str = PARA) -> str:
    return "".join(f"<p>{text.format(n=i + 1)}</p>" for i in range(k))


def page(body: str, title: str = "Pier opens at last") -> str:
    return (f"<html><head><title>{title} | Coast Gazette</title></head><body>"
            "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
            f"{body}<footer><p>Coast Gazette, 1 Harbour Road.</p></footer></body></html>")


def kept(result, k: int, text: str = PARA) -> int:
    return sum(text.format(n=i + 1) in result.text for i in range(k))


def test_a_long_comment_thread_does_not_beat_the_post_above_it():
    # comment boxes named in camelCase, and more prose in them than in the post
    thread = "".join(f"<div class='commentItem'><div class='commentAuthor'>Reader {i}</div>"
                     f"<p>{COMMENT.format(n=i)}</p></div>" for i in range(12))
    html = page(f"<div class='postBody'><h1>Pier opens at last</h1>{paragraphs(3)}</div>"
                f"<div id='postComments'>{thread}</div>")
    result = clean_article(html)
    assert kept(result, 3) == 3
    assert "forty years" not in result.text


def test_an_unmarked_thread_after_a_comments_line_is_cut():
    thread = "".join(f"<p>by Reader{i} on July {i + 1}</p><p>{COMMENT.format(n=i)}</p>"
                     for i in range(6))
    html = page(f"<div class='entry'>{paragraphs(3)}<h3>6 Comments</h3>{thread}</div>")
    result = clean_article(html)
    assert kept(result, 3) == 3 and "forty years" not in result.text
    cut = [r for r in result.removed if r.rule == "extract.comment-thread"]
    assert cut and all(r.family == "comments" and r.path for r in cut)


def test_a_section_headed_comment_among_the_articles_parts_is_not_the_thread():
    # "Comment" is the first of the article's parts, each under an <h2>; a real thread's
    # heading is followed by no parts of the article
    parts = "".join(f"<h2>{name}</h2><p>{PARA.format(n=i)}</p>"
                    for i, name in enumerate(["Comment", "Briefing", "Access", "Data"], 2))
    html = page(f"<div class='entry'><h1>Pier opens at last</h1>{paragraphs(1)}{parts}"
                "</div>")
    result = clean_article(html)
    assert all(name in result.text for name in ("Comment", "Briefing", "Access", "Data"))
    assert kept(result, 5) == 5
    assert not any(r.rule == "extract.comment-thread" for r in result.removed)

def test_sections_made_alike_beside_a_preamble_are_one_body():
    # Asciidoctor: <div id=preamble><div class=sectionbody>, then each section a
    # <div class=sect1> holding its heading and a <div class=sectionbody>; the sections'
    # short lines score their own boxes, not the page's
    short = "Run the snapshot on any node of pier {n}; it coordinates the others itself."

    def sect(i: int) -> str:
        return (f"<div class='sect1'><h2>Part {i}</h2><div class='sectionbody'>"
                f"<div class='paragraph'><p>{short.format(n=i)}</p></div>"
                f"<div class='listingblock'><pre>pier-admin snapshot {i}</pre></div>"
                "</div></div>")
    html = page("<article class='doc'><h1>Pier opens at last</h1><div id='preamble'>"
                f"<div class='sectionbody'><div class='paragraph'><p>{PARA.format(n=1)}"
                f"</p></div></div></div>{sect(2)}{sect(3)}{sect(4)}<nav class='pagination'>"
                "<a href='/a'>Installing</a> <a href='/b'>Restoring</a></nav></article>")
    result = clean_article(html)
    assert kept(result, 1) == 1
    assert all(f"Part {i}" in result.text and short.format(n=i) in result.text
               for i in (2, 3, 4))


def test_a_responses_heading_between_code_blocks_heads_a_section_of_the_docs():
    # an API page's "Responses" section: code before it and after it, no reader thread
    code = "<pre><code>GET /v2/piers?harbour=north HTTP/1.1</code></pre>"
    html = page(f"<div class='document'><h1>Piers API</h1>{paragraphs(2)}{code}"
                f"<h3>Responses</h3><p>{PARA.format(n=7)}</p>"
                "<pre><code>{\"piers\": [], \"cursor\": null}</code></pre></div>")
    result = clean_article(html)
    assert "Responses" in result.text and PARA.format(n=7) in result.text
    assert '"cursor"' in result.text
    assert not any(r.rule == "extract.comment-thread" for r in result.removed)


def test_a_comments_heading_after_a_code_block_still_cuts_the_thread():
    thread = "".join(f"<p>by Reader{i} on July {i + 1}</p><p>{COMMENT.format(n=i)}</p>"
                     for i in range(6))
    html = page(f"<div class='entry'>{paragraphs(3)}<pre><code>make pier</code></pre>"
                f"<h3>6 Comments</h3>{thread}</div>")
    result = clean_article(html)
    assert kept(result, 3) == 3 and "forty years" not in result.text


def test_an_aside_named_as_a_note_stays_in_the_text():
    note = "Ships longer than forty metres must book a berth a day ahead of arrival."
    html = page(f"<div class='entry'>{paragraphs(2)}<aside aria-label='Caution' "
                f"class='doc-aside doc-aside--caution'><p>{note}</p></aside>"
                f"{paragraphs(1)}<aside class='related'><p>{COMMENT.format(n=1)}</p>"
                "</aside></div>")
    result = clean_article(html)
    assert note in result.text and kept(result, 2) == 2
    assert "forty years" not in result.text


def test_a_bare_response_heading_heads_a_section_not_a_thread():
    # "Response" alone is what an API call answers; a thread is "Responses", "One Response"
    html = page(f"<div class='entry'><h1>Pier booking API</h1>{paragraphs(2)}"
                f"<h2>Response</h2><p>{PARA.format(n=3)}</p><h2>Errors</h2>"
                f"<p>{PARA.format(n=4)}</p></div>")
    result = clean_article(html)
    assert kept(result, 4) == 4 and "Response" in result.text


def test_a_thread_heading_repeated_in_the_body_heads_a_repeated_section():
    # each operation of an API reference has its "Responses"; a page has one thread
    ops = "".join(f"<h2>Operation {i}</h2><p>{PARA.format(n=i)}</p><h3>Responses</h3>"
                  f"<p>200 the booking for pier {i}</p><p>404 no such pier</p>"
                  for i in (2, 3))
    html = page(f"<div class='api-content'><h1>Pier booking API</h1>{paragraphs(1)}{ops}"
                "</div>")
    result = clean_article(html)
    assert kept(result, 3) == 3
    assert "200 the booking for pier 3" in result.text
    assert not any(r.rule == "extract.comment-thread" for r in result.removed)


def test_a_headings_permalink_mark_is_no_text():
    # pkg.go.dev, Hugo: <a href="#id">¶</a> after the heading's words, any class
    html = page(f"<div class='entry'><h1>Pier opens at last</h1>{paragraphs(1)}"
                "<h2 id='costs'>Costs <a class='Unit-idLink' href='#costs'>¶</a></h2>"
                f"{paragraphs(2)}<h2 id='dates'>Dates<a href='#dates'>#</a></h2>"
                "<p>Section 4 <a href='#s4'>§</a> of the plan sets the dates.</p></div>")
    result = clean_article(html)
    lines = result.text.splitlines()
    assert "Costs" in lines and "Dates" in lines
    assert "¶" not in result.text and "#" not in result.text
    assert any(r.rule == "extract.permalink" for r in result.removed)


def test_an_api_operations_description_widens_to_its_headline_and_parameters():
    # Stoplight Elements: the operation's <h1> and path above, its one line of prose in a
    # box named as prose deep in a column, the parameters and responses beside it too
    # short to be prose; the body is the operation, not its description alone
    rows = "".join(f"<div class='schema-row'><div class='row-head'><div class='name'>"
                   f"{name}</div><span class='type'>string</span></div><div class='desc'>"
                   f"<p>{desc}</p></div></div>"
                   for name, desc in (("pier", "The pier to book, its number on the chart."),
                                      ("berth", "Berth number."),
                                      ("arrival", "Arrival time, UTC.")))
    html = ("<html><head><title>Book a berth | Harbour API</title></head><body>"
            "<nav><a href='/a'>Piers</a> <a href='/b'>Berths</a> <a href='/c'>Tides</a></nav>"
            "<div class='operation'><div class='op-head'><h1>Book a berth</h1>"
            "<div class='path'>POST /piers/{pier}/berths</div></div>"
            "<div class='columns'><div class='left'><div class='stack'><div class='rel'>"
            f"<div class='markdown-viewer prose'><p>{PARA.format(n=1)}</p></div></div>"
            f"<div class='params'><h2>Request</h2>{rows}</div>"
            "<div class='responses'><h2>Responses</h2><div class='tab'>201</div>"
            "<div class='tab'>409</div></div></div></div>"
            "<div class='right'><div class='panel'><div class='title'>Request sample</div>"
            "<pre>curl -X POST https://api.example/piers/4/berths</pre></div></div>"
            "</div></div>"
            "<footer><p>Harbour API docs.</p></footer></body></html>")
    result = clean_article(html)
    assert PARA.format(n=1) in result.text
    assert "Berth number." in result.text and "Arrival time, UTC." in result.text
    assert result.metadata["body"]["decided_by"] == "headline"


def test_a_code_panel_beside_an_api_operation_does_not_take_the_body():
    # Mintlify: the request and response samples in a side column before the operation's
    # text; a listing's long lines are code, not the page's prose
    sample = "\n".join(f'  "field_{i}": "value number {i} of the sample response body",'
                       for i in range(12))
    rows = "".join(f"<div class='field'><div class='param-head'>{name}</div>"
                   f"<div class='prose-sm'><p>{desc}</p></div></div>"
                   for name, desc in (("pier", "The pier to book, its number on the chart."),
                                      ("berth", "The berth on that pier, counted from land."),
                                      ("arrival", "The time the ship arrives, in UTC, to the "
                                                  "minute.")))
    html = ("<html><head><title>Book a berth | Harbour API</title></head><body>"
            "<nav><a href='/a'>Piers</a> <a href='/b'>Berths</a></nav><div class='layout'>"
            "<div class='side-layout'><div class='code-group response-example'>"
            f"<pre><code>{{\n{sample}\n}}</code></pre></div></div>"
            "<div class='content-area'><header><h1>Book a berth</h1><p>Reserve a berth "
            "at a pier.</p></header><div class='api-section'><h4>Body</h4>"
            f"{rows}</div></div></div><footer><p>Harbour API docs.</p></footer></body></html>")
    result = clean_article(html)
    assert all(line in result.text for line in (
        "The pier to book, its number on the chart.",
        "The berth on that pier, counted from land.",
        "The time the ship arrives, in UTC, to the minute."))
    assert "field_3" not in result.text


def test_a_box_styled_white_space_pre_keeps_its_lines():
    # Notion draws a code block as a <div style="white-space:pre">; pre-wrap is prose's
    html = page(f"<div class='entry'>{paragraphs(2)}<div class='code-block'>"
                "<div style='font-family:monospace;white-space:pre'>make pier\n"
                "make berth</div></div><p style='white-space: pre-wrap'>Then wait\n"
                "for the tide.</p></div>")
    result = clean_article(html)
    lines = result.text.splitlines()
    assert "make pier" in lines and "make berth" in lines
    assert "Then wait for the tide." in lines


def test_a_browser_notice_with_more_prose_does_not_beat_a_short_story():
    notice = ("This page is best viewed in an up-to-date web browser with style sheets "
              "(CSS) enabled. While you will be able to view the content of this page in "
              "your current browser, you will not be able to get the full visual "
              "experience. Please consider upgrading your browser software or enabling "
              "style sheets (CSS) if you are able to do so.")
    html = page(f"<div class='story'><h1>Pier opens at last</h1>{paragraphs(1)}"
                "<a href='/more'>More news</a> <a href='/a'>Photos</a></div>"
                f"<div id='notice'><p>{notice}</p></div>")
    result = clean_article(html)
    assert PARA.format(n=1) in result.text
    assert "best viewed" not in result.text


def test_a_class_named_sliver_without_prose_does_not_win():
    # 'mainContent' earns class points, but holds a sign-up box and not one paragraph
    html = page("<div id='mainContent'><div class='signup'><input><button>Go</button>"
                "<a href='/x'>Sign in</a></div></div>"
                f"<div class='col'><h1>Pier opens at last</h1>{paragraphs(3)}</div>")
    result = clean_article(html)
    assert kept(result, 3) == 3


def test_a_wrapper_named_like_a_widget_still_holds_the_article():
    # blog templates wrap the post in "widget Blog": its prose must count
    html = page(f"<div class='widget Blog' id='Blog1'><div class='post'>"
                f"<h3>Pier opens at last</h3>{paragraphs(4)}</div></div>"
                "<div class='widget Profile'><p>About me: a retired skipper.</p></div>")
    result = clean_article(html)
    assert kept(result, 4) == 4
    assert result.confidence >= 0.5


def test_taxonomy_classes_are_not_chrome():
    html = page(f"<article class='post category-social-media tag-share'>"
                f"<h1>Pier opens at last</h1>{paragraphs(3)}</article>")
    assert kept(clean_article(html), 3) == 3


def test_widening_skips_teasers_beside_the_story():
    teasers = "".join(f"<div class='teaser'><h4><a href='/t{i}'>Other story {i}</a></h4>"
                      f"<p>A summary of another story about the coast, number {i}, with "
                      "enough words to look like a paragraph of prose.</p></div>"
                      for i in range(6))
    html = page(f"<div class='main'><div class='story'><h1>Pier opens at last</h1>"
                f"{paragraphs(3)}</div><div class='more'>{teasers}</div></div>")
    result = clean_article(html)
    assert kept(result, 3) == 3 and "Other story" not in result.text
    assert "summary of another story" not in result.text


def test_a_sibling_of_teasers_ending_in_read_more_does_not_join():
    # other stories beside the article: plain headings, a summary, "Read more" to their page
    items = "".join(f"<li><h3>Harbour news number {i}</h3><p class='text'>The council met "
                    "again this week to talk about the harbour, the ferry, the timetable, "
                    "the fees, the boats, the new car park by the beach, and said more would "
                    f"follow, item {i}. <a href='/news/{i}'>Read more...</a></p>"
                    f"<p class='date'>2026-05-0{i}</p></li>" for i in range(1, 5))
    html = page(f"<div class='block'><div id='primary'><h3>Pier opens at last</h3>"
                f"{paragraphs(4)}</div><div id='secondary'><ul>{items}</ul></div></div>")
    result = clean_article(html)
    assert kept(result, 4) == 4
    assert "Harbour news" not in result.text and "council met" not in result.text


def test_a_title_and_date_post_keeps_its_only_lines():
    html = page("<div class='post'><h2>Sunset over the pier</h2><p>12 May 2026</p>"
                "<img src='sunset.jpg'></div>")
    result = clean_article(html)
    assert "Sunset over the pier" in result.text


def test_the_json_ld_article_body_corrects_the_choice():
    body = " ".join(PARA.format(n=i + 1) for i in range(3))
    ld = json.dumps({"@type": "NewsArticle", "headline": "Pier opens at last",
                     "articleBody": body})
    rival = "".join(f"<p>{COMMENT.format(n=i)}</p>" for i in range(8))
    html = (f"<html><head><script type='application/ld+json'>{ld}</script></head><body>"
            f"<div class='x'><div class='y'>{paragraphs(3)}</div></div>"
            f"<div class='x'><div class='y'>{rival}</div></div></body></html>")
    result = clean_article(html)
    assert kept(result, 3) == 3
    assert result.metadata["body"]["signals"]["declared_held"] >= 0.6


def test_body_metadata_names_the_box_its_rival_and_what_decided():
    html = page(f"<article><h1>Pier opens at last</h1>{paragraphs(4)}</article>"
                "<aside><p>Other news from the coast, told briefly in one line here.</p>"
                "</aside>")
    result = clean_article(html)
    body = result.metadata["body"]
    assert body["path"] == "/html/body/article"
    assert body["decided_by"] == "scores"
    assert 0.0 <= result.confidence <= 1.0 and result.confidence >= 0.5
    assert json.loads(result.to_json())["confidence"] == result.confidence


def test_confidence_is_low_for_a_sliver_of_a_prose_rich_page():
    # the page's prose sits in two equal boxes: whichever wins has a close rival
    html = page(f"<div class='a'>{paragraphs(2)}</div><div class='b'>"
                f"{paragraphs(2, COMMENT)}</div>")
    result = clean_article(html)
    assert result.confidence < 1.0
    assert result.metadata["body"]["runner_up"] is not None


def test_an_empty_page_is_zero_confidence_and_a_profile_is_sure(tmp_path):
    assert clean_article("").confidence == 0.0
    (tmp_path / "coast.example.toml").write_text(
        'host = "coast.example"\nbody = ["div.story"]\n', encoding="utf-8")
    html = page(f"<div class='story'>{paragraphs(1)}</div>")
    result = clean_article(html, "https://coast.example/a", profiles_dir=str(tmp_path))
    assert result.metadata["body"]["decided_by"] == "profile" and result.confidence == 1.0


def test_a_page_whose_chosen_box_is_empty_falls_back_to_text():
    html = "<html><body><div><a href='/a'>Only</a> <a href='/b'>links</a></div></body></html>"
    result = clean_article(html)
    assert result.text


def test_declared_hits_are_the_outermost_boxes_and_a_wrapper_chain_reads_once():
    from lxml import etree

    from cleaner.extract.decide import _outermost_hits, _words
    from cleaner.extract.scores import Scores
    want = _words(" ".join(PARA.format(n=i + 1) for i in range(3)))
    chain = "<div>" * 200 + paragraphs(3) + "</div>" * 200
    rival = "".join(f"<div><p>{COMMENT.format(n=i)}</p></div>" for i in range(4))
    root = etree.fromstring(f"<html><body><section>{chain}</section>{rival}"
                            f"<div>{paragraphs(1)}</div></body></html>", etree.HTMLParser())
    body = root.find("body")
    hits = _outermost_hits(body, Scores(body), want)
    first_chain_div = body.find("section/div")
    # the chain's outer div, not one of its 200 wrappers nor its paragraphs; the lone
    # paragraph's box; none of the comments
    assert hits == [first_chain_div, body[-1]]


PROMO = ("Subscribers get the whole archive, the morning briefing and the weekend "
         "magazine delivered to their door, with a printed almanac of tide tables every "
         "winter and invitations to readers' evenings across the coast ({n}).")


@pytest.mark.parametrize("banner", ["<header class='top'>{}</header>",
                                    "<div id='masthead'>{}</div>",
                                    "<div role='banner'>{}</div>",
                                    "<div class='siteHeader'>{}</div>"])
def test_a_promo_panel_in_the_site_banner_does_not_beat_a_short_story(banner, monkeypatch):
    # the banner's "latest issue" panel: one long paragraph, under half the page's prose
    promo = " ".join(PROMO.format(n=i) for i in range(3))
    panel = (f"<div class='panel'><div class='content'><h4>Issue 20 | Out now</h4>"
             f"<p>{promo}</p></div></div>")
    html = page(banner.format(f"<a href='/'>Coast Gazette</a>{panel}") +
                f"<section><article><div class='col'>{paragraphs(4)}</div></article></section>")
    result = clean_article(html)
    assert kept(result, 4) == 4
    assert promo not in result.text
    from cleaner.extract.scores import Scores  # without the banner test the panel wins
    monkeypatch.setattr(Scores, "banners", lambda self: [])
    import cleaner.extract.weights as weights  # (unless readability breaks a near tie)
    monkeypatch.setattr(weights, "CONTESTED_SHARE", 2.0)
    assert promo in clean_article(html).text


def test_an_article_header_or_a_banner_holding_most_prose_can_still_be_the_body():
    lede = f"<header><h1>Pier opens at last</h1>{paragraphs(4)}</header>"
    result = clean_article(page(f"<article>{lede}<p>Photo: Coast Gazette</p></article>"))
    assert kept(result, 4) == 4
    wrapped = page(f"<div id='header'><div class='story'>{paragraphs(4)}</div></div>"
                   f"<div class='side'><p>{PROMO.format(n=1)}</p></div>")
    assert kept(clean_article(wrapped), 4) == 4


REPLY = "Thanks, that matches what the harbour master told us last week ({n})."


def _post(text: str, who: str, box: str = "message") -> str:
    return (f"<article class='{box}'><div class='message-user'><a href='/u/{who}'>{who}</a>"
            f"<span>Joined 2019</span></div><div class='message-main'><div class='message-content'>"
            f"<div class='bbWrapper'>{text}</div></div></div></article>")


@pytest.mark.parametrize("reply_box", ["message", "message comment"])
def test_a_thread_keeps_every_post_made_from_the_body_template(reply_box):
    # a long first post and short replies, each in the same markup: the replies are posts
    # of the thread, not residue beside the body, even in boxes named as comments
    first = " ".join(PARA.format(n=i + 1) for i in range(3))
    posts = _post(first, "skipper") + "".join(_post(REPLY.format(n=i), f"u{i}", reply_box)
                                              for i in range(3))
    html = page(f"<h1>Pier opens at last</h1><div class='thread'>{posts}</div>"
                "<div class='similar'><h3>Similar threads</h3><ul><li><a href='/t/1'>Pier "
                "delays again</a></li><li><a href='/t/2'>Dredging</a></li></ul></div>")
    result = clean_article(html)
    assert kept(result, 3) == 3
    assert all(REPLY.format(n=i) in result.text for i in range(3))
    assert "Similar threads" not in result.text
    assert len(result.metadata["body"]["containers"]) == 4


def test_a_question_above_its_answers_is_kept_with_them():
    # the answers win the body; the question, laid out like them, sits apart and joins
    def post(cell: str, text: str) -> str:
        return (f"<div class='post-layout'><div class='votecell'>3</div><div class='{cell} "
                f"post-layout--right'><div class='s-prose post-body'><p>{text}</p></div>"
                "</div></div>")
    question = ("How long will the harbour stay closed to the fishing fleet once the pier "
                "works start, and where should the boats moor in the meantime?")
    answers = "".join(f"<div class='answer'>"
                      f"{post('answercell', ' '.join(PARA.format(n=2 * i + k + 1) for k in range(2)))}"
                      "</div>" for i in range(2))
    html = page(f"<div id='main'><h1>When does the harbour close?</h1><div class='question'>"
                f"{post('postcell', question)}<ul class='tags'><li><a href='/t'>harbour</a>"
                f"</li></ul></div><div id='answers'><h2>2 Answers</h2>{answers}</div></div>")
    result = clean_article(html)
    assert question in result.text
    assert kept(result, 4) == 4
    assert result.text.index(question) < result.text.index(PARA.format(n=1))


def test_one_short_box_made_like_the_body_does_not_join_it():
    # a headline module built from the same grid markup as the story is not a reply
    def mod(inner: str, kind: str) -> str:
        return f"<div class='mod {kind}'><div class='bd'>{inner}</div></div>"
    head = mod("<h2>Pier opens at last after two years of storm delays</h2>", "head")
    html = page(f"<div class='col'>{head}</div><div class='col'>"
                f"{mod(paragraphs(4), 'story')}</div>")
    result = clean_article(html)
    assert kept(result, 4) == 4
    assert len(result.metadata["body"]["containers"]) == 1


JA = "港湾局は月曜日、総工費{n}億円の新しい桟橋が来春に開業すると発表した。"
ZH = ("港务局周一表示，耗资{n}亿元的新码头将于明年春天启用，此前风暴和供应问题导致工期延误"
      "两年，渔船将在数周内迁回。")
ZH_RIVAL = ("我在这个港口边生活了四十年，真正的问题从来不是码头而是疏浚，市政府从来不听每天使用它"
            "的人的意见（{n}）。")


def test_short_cjk_paragraphs_are_prose():
    # six two-line paragraphs in Japanese carry a story; one long site notice does not
    # outweigh them because its characters are counted one by one
    notice = ("当サイトに掲載している記事、写真、動画などの著作権は当社または情報提供者に帰属"
              "します。無断での転載、複製、改変などは固く禁じます。ご利用の際は利用規約を必ず"
              "ご確認ください。記事の内容に関するお問い合わせは、お問い合わせフォームからお願い"
              "いたします。")
    html = page(f"<div class='wrap'><div class='left'><h1>新桟橋が来春開業</h1>"
                f"<div class='txt'>{paragraphs(6, JA)}</div></div><div class='right'>"
                f"<div class='box'><h2>このサイトについて</h2><p>{notice}</p></div></div></div>",
                title="新桟橋が来春開業")
    result = clean_article(html)
    assert kept(result, 6, JA) == 6
    assert notice not in result.text
    assert result.metadata["body"]["signals"]["prose"] > 300


def test_a_chinese_json_ld_article_body_corrects_the_choice():
    # the declaration is matched word by word, and a Han character is a word
    body = "".join(ZH.format(n=i + 1) for i in range(3))
    ld = json.dumps({"@type": "NewsArticle", "headline": "新码头", "articleBody": body},
                     ensure_ascii=False)
    html = (f"<html><head><script type='application/ld+json'>{ld}</script></head><body>"
            f"<div class='a'><div class='y'>{paragraphs(3, ZH)}</div></div>"
            f"<div class='b'><div class='z'>{paragraphs(8, ZH_RIVAL)}</div></div></body></html>")
    result = clean_article(html)
    assert kept(result, 3, ZH) == 3
    assert ZH_RIVAL.format(n=1) not in result.text
    assert result.metadata["body"]["decided_by"] == "json-ld"


# a theme's excerpt: the post's first fifty-five words
TEASER = ("A summary of another story from the coast, written to tempt readers, about "
          "the council, the schools and the roads this week, with the figures the "
          "editors thought would matter most ({n}), a quote from the harbour master and a "
          "promise that the full story explains what happens next [...]")


@pytest.mark.parametrize("cell", ["{}", "<div class='col'>{}</div>"])
def test_a_grid_of_teasers_with_long_excerpts_does_not_beat_a_short_story(cell):
    # the cards hold five times the story's prose, little of it link text; in a row of
    # siblings or one per grid cell, a card with a linked headline is a teaser
    cards = "".join(cell.format(f"<div class='card'><h3><a href='/s{i}'>Council weighs "
                                f"plan number {i} for the old quay</a></h3>"
                                f"<p>{TEASER.format(n=i)}</p></div>") for i in range(10))
    html = page(f"<main><article><h1>Pier opens at last</h1><div class='text'>"
                f"{paragraphs(2)}</div></article><section><h2>More from the coast</h2>"
                f"<div class='grid'>{cards}</div></section></main>")
    result = clean_article(html)
    assert kept(result, 2) == 2
    assert "A summary of another story" not in result.text
    assert result.metadata["body"]["decided_by"] == "scores"


ABOUT = ("The Coast Gazette has reported on the harbour, the fleet and the towns along the "
         "shore since 1921, and is owned by a trust that keeps it independent of any "
         "company or party, funded by its readers and members ({n}).")


@pytest.mark.parametrize("role", ["complementary", "navigation", "contentinfo"])
def test_an_aria_landmark_box_is_chrome_like_its_tag(role):
    # <div role="complementary"> is an <aside>: its prose cannot outweigh a short story
    html = page(f"<div class='wrap'><div class='col'><h1>Pier opens at last</h1>"
                f"{paragraphs(2)}</div><div role='{role}'><div class='box'>"
                f"{paragraphs(3, ABOUT)}</div></div></div>")
    result = clean_article(html)
    assert kept(result, 2) == 2
    assert "reported on the harbour" not in result.text


def test_forum_posts_titled_with_permalinks_are_not_teasers():
    # each short post carries a linked "Re:" title, as a teaser card does; the link goes
    # to the post's own anchor, so the posts stay prose
    posts = "".join(f"<div class='post'><div class='postbody'><h3><a href='/t/9?p={i}#p{i}'>"
                    f"Re: Pier opens at last</a></h3><div class='content'>"
                    f"{COMMENT.format(n=i + 1)}</div></div></div>" for i in range(4))
    html = page(f"<div id='page-body'><h2>Pier opens at last</h2>{posts}</div>"
                f"<div class='side'><p>{PROMO.format(n=1)}</p></div>")
    result = clean_article(html)
    assert kept(result, 4, COMMENT) == 4


def test_linked_items_among_a_listicles_paragraphs_stay_prose():
    # five product boxes with linked names, between the intro and the close: the
    # article's items, not a row of teasers
    item = ("The Trailmaster {n} pairs a waterproof membrane with a stiff sole that gave us "
            "confidence on loose scree, though it needed a week of wear to feel right.")
    boxes = "".join(f"<div class='product'><h3><a href='https://shop.example/b{i + 1}'>"
                    f"Trailmaster {i + 1}</a></h3><p>{item.format(n=i + 1)}</p></div>"
                    for i in range(5))
    html = page(f"<div class='col'><h1>The best boots</h1><div class='text'>"
                f"{paragraphs(1)}{boxes}{paragraphs(1, COMMENT)}</div></div>"
                f"<div class='side'><p>{ABOUT.format(n=1)}</p></div>")
    result = clean_article(html)
    assert kept(result, 5, item) == 5
    assert result.metadata["body"]["signals"]["prose"] >= 500


def test_the_next_story_of_an_endless_page_does_not_join():
    # two stories in one template, each under its own <h1>: alike, but not one article
    def story(title: str, text: str, k: int) -> str:
        return (f"<article class='story'><h1>{title}</h1><div class='byline'>By Jo Reed"
                f"</div><div class='story-body'>{paragraphs(k, text)}</div></article>")
    html = page("<div class='stream'>" + story("Pier opens at last", PARA, 4) +
                "<div class='next'>Next story</div>" +
                story("Readers write about the harbour", COMMENT, 3) + "</div>")
    result = clean_article(html)
    assert kept(result, 4) == 4
    assert "forty years" not in result.text


def _shell(ld: dict[str, str], shown: str) -> str:
    return ("<html><head><title>Pier opens at last</title><script type='application/ld+json'>"
            f"{json.dumps(ld)}</script></head><body><nav><a href='/'>Home</a> <a href='/n'>"
            f"News</a></nav><div id='app'><main><h1>Pier opens at last</h1>{shown}</main></div>"
            "<footer><p>Coast Gazette, 1 Harbour Road.</p></footer></body></html>")


def test_a_shell_page_takes_its_json_ld_article_body_as_text():
    # the scripts would fill the story in: the page shows a dek and a loading line
    from cleaner import parse_page
    body = "\n\n".join(PARA.format(n=i + 1) for i in range(4))
    html = _shell({"@type": "NewsArticle", "headline": "Pier opens at last",
                   "articleBody": body},
                  "<p class='dek'>Two years late, the new pier is open.</p>"
                  "<div class='article-body'><div class='skeleton'>Loading…</div></div>")
    result = clean_article(html)
    assert result.text.splitlines() == [PARA.format(n=i + 1) for i in range(4)]
    assert result.metadata["body"]["decided_by"] == "json-ld-text"
    assert 0.5 <= result.confidence < 1.0
    script = parse_page(html).getroottree().xpath(result.blocks[0].path)
    assert script and script[0].tag == "script"
    assert any(r.rule == "extract.declared-text" and "Two years late" in r.text
               for r in result.removed)


def test_a_declaration_shorter_than_the_story_shown_does_not_replace_it():
    # an articleBody the page does not show, but shorter than the story it shows
    html = _shell({"@type": "NewsArticle", "headline": "Pier opens at last",
                   "articleBody": " ".join(PROMO.format(n=i) for i in range(2))},
                  f"<div class='article-body'>{paragraphs(4)}</div>")
    result = clean_article(html)
    assert kept(result, 4) == 4 and "Subscribers get" not in result.text
    assert result.metadata["body"]["decided_by"] == "scores"


CAPTION = ("Slide {n}: the old pier at low tide, photographed from the lighthouse in the "
           "winter before the works began, with the fishing fleet moored along the wall.")


def test_a_slideshow_promo_inside_the_article_body_is_not_its_wrapper(monkeypatch):
    # a chrome-named box inside the article-body container, with more prose than the
    # article's own paragraphs beside it: a box in the article, dropped however long
    slides = "".join(f"<li><p>{CAPTION.format(n=i)}</p></li>" for i in range(8))
    html = page(f"<div itemprop='articleBody'><h1>Pier opens at last</h1>{paragraphs(3)}"
                f"<div class='promo_holder'><ul class='slideshow'>{slides}</ul></div></div>")
    result = clean_article(html)
    assert kept(result, 3) == 3
    assert "Slide 4" not in result.text
    import cleaner.extract.scores as scores  # without the rule the promo wraps the article
    monkeypatch.setattr(scores, "article_body_of", lambda el: None)
    assert "Slide 4" in clean_article(html).text


def test_a_chrome_named_wrapper_that_is_all_of_the_article_body_is_kept():
    # page builders wrap the post's content in "widget" boxes inside "post-content"
    html = page("<div class='elementor-widget-theme-post-content'>"
                f"<div class='elementor-widget-container'>{paragraphs(4)}</div></div>"
                f"<div class='related'><p>{CAPTION.format(n=1)}</p></div>")
    assert kept(clean_article(html), 4) == 4


def test_a_blog_title_heading_does_not_make_the_sidebar_the_article(monkeypatch):
    # the blog's name as an <h1> linking home, in a sidebar with a long "about me"
    about = "".join(f"<p>{PROMO.format(n=i)}</p>" for i in range(8))
    html = page(f"<div class='post'><h2>Harbour notes</h2>{paragraphs(2)}</div>"
                "<div id='sidebar'><h1 id='blog-title'><a href='https://coast.example/'>"
                f"Coast Notes</a></h1><div class='profile'>{about}</div></div>")
    result = clean_article(html)
    assert kept(result, 2) == 2 and "Subscribers" not in result.text
    from cleaner.extract import boxes  # an <h1> that is a real headline still counts
    monkeypatch.setattr(boxes, "_names_the_site", lambda h1: False)
    assert "Subscribers" in clean_article(html).text


def _without_prose_rule(monkeypatch, module: str) -> None:
    import sys
    monkeypatch.setattr(sys.modules[module], "holds_prose", lambda blocks: True)


def test_a_body_without_prose_keeps_its_byline(monkeypatch):
    post = ("<article><header><h1>Sunset over the new pier</h1>"
            "<p class='byline'>By Ann Lee, March 3</p></header>"
            "<img src='/sunset.jpg' alt=''><p><a href='/fr'>Français</a> "
            "<a href='/de'>Deutsch</a></p></article>")
    result = clean_article(page(post))
    assert "Sunset over the new pier" in result.text and "By Ann Lee" in result.text
    _without_prose_rule(monkeypatch, "cleaner.pipeline")  # else trimmed as a dateline
    assert "By Ann Lee" not in clean_article(page(post)).text


def test_a_body_without_prose_keeps_the_headings_it_ends_with(monkeypatch):
    slides = ("<div class='show'><p><a href='/prev'>Previous</a> | <a href='/next'>Next</a>"
              "</p><hgroup><h1>Sunset over the new pier</h1>"
              "<h2>Ten pictures from the opening night</h2></hgroup></div>")
    result = clean_article(page(slides))
    assert "Ten pictures from the opening night" in result.text
    _without_prose_rule(monkeypatch, "cleaner.extract.blockify")  # else orphan headings
    assert "Ten pictures" not in clean_article(page(slides)).text


def test_a_page_with_next_to_no_prose_has_no_chrome_wrapper():
    # the wrapper rule (a chrome-named box with half the page's prose wraps the article)
    # needs an article's worth of prose: one sentence in a widget is still a widget
    from lxml import etree

    from cleaner.extract import weights
    from cleaner.extract.scores import Scores
    sentence = ("Our town has kept a working harbour since 1820, and its fleet still "
                "lands most of the catch.")
    body = etree.fromstring(f"<body><div class='story'><p>The pier opens at ten.</p></div>"
                            f"<div class='widget'><p>{sentence}</p></div></body>")
    widget = body[1]
    scores = Scores(body)
    assert 0 < scores.page_prose < weights.PROSE_GATE_CHARS
    assert widget in scores.chrome and widget not in scores.wrappers
    long_body = etree.fromstring(f"<body><div class='widget'>{paragraphs(3)}</div></body>")
    assert long_body[0] in Scores(long_body).wrappers  # an article's worth: a wrapper


def test_on_a_page_with_little_prose_a_comment_does_not_beat_the_story():
    # no box reaches the prose gate; the comments have more commas (readability's
    # points), but a box in the comments box cannot win while the story has prose
    story = ("The harbour pier reopens on Saturday after two years of repairs, the council "
             "said on Monday.")
    said = ("Great news, thanks, we will be there, with the kids, the dog, the grandparents, "
            "and a picnic, if the weather holds, which it never does, of course ({n}).")
    thread = "".join(f"<div class='item'><div>{said.format(n=i)}</div></div>"
                     for i in range(3))
    result = clean_article(page(f"<div class='intro'><p>{story}</p></div>"
                                f"<div id='comments_container'>{thread}</div>"))
    assert story in result.text and "Great news" not in result.text


def test_nested_chrome_named_wrappers_pass_the_article_prose_up():
    # "widget-area" > "widget" both wrap the article: once both are wrappers, the outer
    # box and the body count the prose of the inner one
    from lxml import etree

    from cleaner.extract.scores import Scores
    body = etree.fromstring(f"<body><div class='widget-area'><div class='widget'>"
                            f"{paragraphs(4)}</div></div></body>")
    outer, inner = body[0], body[0][0]
    scores = Scores(body)
    assert {outer, inner} <= scores.wrappers
    assert scores.good[body] >= scores.good[outer] >= scores.good[inner] > 0


POLL = ("Should the council spend the harbour fund on a second pier, or on dredging the "
        "old channel so the larger boats can come back? Tell us what you think today.")


@pytest.mark.parametrize("wrap", ["{}", "<div class='box'>{}</div>"])
def test_a_poll_form_does_not_beat_a_short_story(wrap):
    # the poll's question is long prose, more than the story's, but a form that asks for
    # input (radio buttons) holds no article prose; neither does a box holding little else
    story = ("The harbour pier reopens on Saturday after two years of repairs, the council "
             "said on Monday, with a brass band.")
    options = "".join(f"<tr><td><input type='radio' name='v' value='{v}'> {v}</td></tr>"
                      for v in ("Second pier", "Dredging", "Neither"))
    poll = wrap.format(f"<form action='/vote'><table><tr><td><p>{POLL}</p><p>{POLL}</p>"
                       f"</td></tr>{options}</table><input type='submit' value='Vote'></form>")
    result = clean_article(page(
        f"<table><tr><td>{poll}</td><td class='x'><p>{story}</p></td></tr></table>"
        f"<aside><p>{PROMO.format(n=1)}</p><p>{PROMO.format(n=2)}</p></aside>"))
    assert story in result.text and "second pier, or" not in result.text


def test_a_form_around_the_whole_page_is_not_a_poll():
    # ASP.NET wraps the page in one form with a search field: the article inside stays
    html = page("<form id='aspnetForm' action='/'><input type='text' name='q'>"
                f"<div class='main'>{paragraphs(6)}</div></form>"
                f"<div class='more'>{paragraphs(2, PROMO)}</div>"
                f"<aside>{paragraphs(8, PROMO)}</aside>")
    assert kept(clean_article(html), 6) == 6


def test_a_strip_of_linked_headline_cards_inside_the_story_goes():
    # two teaser cards between paragraphs: linked headlines, a label, reading times, no
    # prose of their own; too little link text for a box of links
    card = ("<div class='card'><a href='/c{i}'><img src='c{i}.jpg'><h3>{t}</h3></a>"
            "<span class='card-meta'>4 min read</span></div>")
    strip = ("<div class='inline-cards'><h4>More from Transport</h4>"
             + card.format(i=1, t="Rail fares set to rise again")
             + card.format(i=2, t="New cycle bridge opens") + "</div>")
    html = page(f"<article><h1>Pier opens at last</h1><div class='body'>{paragraphs(2)}"
                f"{strip}{paragraphs(4)[len(paragraphs(2)):]}</div></article>")
    result = clean_article(html)
    assert kept(result, 4) == 4
    assert "Rail fares" not in result.text and "More from Transport" not in result.text
    assert "4 min read" not in result.text
    assert any(r.rule == "extract.teaser-box" and r.family == "related" for r in result.removed)


def test_linked_headings_with_prose_or_to_fragments_stay():
    # a listicle's linked item headings sit among paragraphs; a table of contents links
    # to fragments of the page
    items = "".join(f"<div class='item'><h2><a href='/place{i}'>Place {i}</a></h2>"
                    f"<p>{PARA.format(n=i + 1)}</p></div>" for i in range(3))
    toc = ("<div class='toc'><h3><a href='#one'>One</a></h3><h3><a href='#two'>Two</a></h3>"
           "</div>")
    html = page(f"<article><h1>Pier opens at last</h1>{toc}{items}</article>")
    result = clean_article(html)
    assert all(f"Place {i}" in result.text for i in range(3))
    assert kept(result, 3) == 3
    assert not any(r.rule == "extract.teaser-box" for r in result.removed)


def test_release_headings_of_a_changelog_are_kept():
    # "3.0.0 — 2026-02-10" is mostly numbers and holds a date, but names a release
    html = page("<div class='markdown-body'><h1>Release notes</h1>"
                f"<h2>3.0.0 — 2026-02-10</h2>{paragraphs(2)}"
                "<ul><li>Fixed a crash on an empty section header.</li></ul>"
                "<h2>2.9.1 — 2025-12-01</h2><ul><li>Security fix for path handling.</li></ul>"
                "</div>", title="Release notes")
    result = clean_article(html)
    assert kept(result, 2) == 2
    assert "3.0.0 — 2026-02-10" in result.text and "2.9.1 — 2025-12-01" in result.text


def test_a_long_paragraph_is_not_the_body_its_box_is():
    # one long paragraph holds nearly all the prose; the short lines beside it (a link to
    # the video, a credit with links) are the same post's, in the same box
    long = " ".join(PARA.format(n=i) for i in range(4))
    html = page("<div class='main'><div class='post'><h2>Pier opens at last</h2>"
                f"<p>{long}</p>"
                "<p>Watch the opening on <a href='/video'>our video page</a>.</p>"
                "<p>Photos by <a href='/people/ann'>Ann Lee</a> and "
                "<a href='/people/bo'>Bo Ng</a></p></div>"
                "<div class='side'><p>Coast Gazette is published every Friday.</p></div>"
                "</div>")
    result = clean_article(html)
    assert "cost 3 million" in result.text
    assert "Watch the opening on our video page." in result.text
    assert "Photos by Ann Lee and Bo Ng" in result.text


OFFER = ("Earn a welcome bonus of {n}0 points, double points on fuel, groceries and "
         "dining, no annual fee in the first year, and a card made of recycled plastic.")


def test_a_second_extractor_breaks_a_near_tie_between_two_boxes(monkeypatch):
    # a panel of card offers beside the story scores a little better than the story;
    # another extractor picks the story, and between two boxes that scored alike its
    # pick wins; a box that wins clearly is not second-guessed
    def offers(k: int) -> str:
        cards = "".join(f"<p>{OFFER.format(n=i + 1)}</p>" for i in range(k))
        return page(f"<div class='left'><h1>Pier opens at last</h1>"
                    f"<div class='group'>{paragraphs(3)}</div></div>"
                    f"<div class='right'><h3>Top cards</h3><div class='cards'>{cards}</div>"
                    "</div>")
    import cleaner.pipeline as pipeline
    story = " ".join(PARA.format(n=i + 1) for i in range(3))
    monkeypatch.setattr(pipeline, "readability_box", lambda root: story)
    result = clean_article(offers(4))
    assert kept(result, 3) == 3 and "welcome bonus" not in result.text
    assert result.metadata["body"]["decided_by"] == "readability"
    assert "welcome bonus" in clean_article(offers(5)).text
    import cleaner.extract.weights as weights  # without the tie-break the cards win
    monkeypatch.setattr(weights, "CONTESTED_SHARE", 2.0)
    assert "welcome bonus" in clean_article(offers(4)).text


def test_a_link_roundup_in_the_named_article_body_is_not_narrowed_away():
    # a roundup post: one intro paragraph and a list of linked items, each with a few
    # words of its own, in the box the page names as the article's body
    items = "".join(f"<li><a href='/s{i}'>Harbour story number {i}</a> and a note on it {i}"
                    "</li>" for i in range(8))
    html = page(f"<div class='post'><h1>Harbour links</h1><div class='entry-content'>"
                f"<p>{PARA.format(n=1)}</p><ul>{items}</ul></div></div>")
    result = clean_article(html)
    assert kept(result, 1) == 1 and "Harbour story number 5" in result.text
    assert result.metadata["body"]["path"] == "/html/body/div/div"


def test_on_a_page_without_prose_a_numbered_sidebar_does_not_win():
    # no line on the page is long enough to be prose; the "about me" lines in "sidebar2"
    # score more commas than the post's short list: a chrome name with a number is
    # chrome, and on a page without prose the boxes outside chrome win
    about = "".join(f"<p>Subscribers, editor {i}, sailor, cook, harbour fan.</p>"
                    for i in range(8))
    items = "".join(f"<li><a href='/p{i}'>Pick {i}</a>: the oddest harbour ad</li>" for i in range(5))
    html = page(f"<div id='main'><div class='post'><h3>Top picks</h3><ul>{items}</ul>"
                f"</div></div><div id='sidebar2'><div id='profile-box'>{about}</div></div>")
    result = clean_article(html)
    assert "Pick 3" in result.text and "Subscribers" not in result.text


def test_a_thread_after_a_comments_closed_line_is_cut():
    # old comments as loose lines after the article, under a line saying the thread is
    # closed: that line is where the thread starts, as "6 Comments" would be
    thread = "".join(f"<br><b>Reader {i}</b><br>{COMMENT.format(n=i)}<br><hr>"
                     for i in range(6))
    html = page(f"<div class='story'>{paragraphs(4)}<hr><a name='talk'></a>"
                f"<b>Comments are now closed for this story</b><br>{thread}</div>")
    result = clean_article(html)
    assert kept(result, 4) == 4 and "forty years" not in result.text
    assert any(r.rule == "extract.comment-thread" for r in result.removed)


def _gallery_items(k: int) -> str:
    return "".join(f"<li><h3><a href='/galleries/{i}'>Harbour week {i}</a></h3>"
                   f"<p>Boats and nets, day {i}</p></li>" for i in range(k))


def test_a_titled_box_of_teasers_is_dropped_however_much_of_the_body_it_holds():
    # a photo gallery's page: its dateline and headline, then a "More galleries" module
    # (headlines linked to other pages, short summaries) holding most of the body's text
    html = page("<div id='gallery-page'><div class='lead'><p>12 July 2012, 07:12</p>"
                "<h1>Harbour in pictures</h1></div><div class='puff'><div>"
                f"<h2>More galleries</h2><ul>{_gallery_items(8)}</ul></div></div></div>")
    result = clean_article(html)
    assert "Boats and nets" not in result.text and "12 July 2012" in result.text
    assert "Harbour in pictures" in result.text  # the box's own title is "More galleries"
    assert any(r.rule == "extract.teaser-box" for r in result.removed)


def test_an_untitled_list_of_linked_headlines_that_is_the_post_stays():
    # a links post: its list of linked headlines is the post, with no title of its own
    html = page("<div id='post'><p>12 July 2012, 07:12</p><h1>Harbour links</h1>"
                f"<ul>{_gallery_items(8)}</ul></div>")
    result = clean_article(html)
    assert "Boats and nets, day 7" in result.text and "Harbour Road" not in result.text


def test_an_article_in_chunks_around_a_side_rail_keeps_its_first_chunk():
    # the article's first chunk, a rail of teasers, then the long rest: each chunk in a
    # wrapper sharing a class, the prose in the same <article> box inside
    rail = "".join(f"<div class='teaser'><a href='/story{i}'>Another story {i}</a>"
                   "<p>A short summary of another story.</p></div>" for i in range(4))
    html = page("<div class='story'><h1>Pier opens at last</h1>"
                f"<div class='chunk lead'><article>{paragraphs(2)}</article></div>"
                f"<div class='side-rail'>{rail}</div>"
                f"<div class='chunk'><article>{paragraphs(12, COMMENT)}</article></div>"
                "</div>")
    result = clean_article(html)
    assert kept(result, 2) == 2 and kept(result, 12, COMMENT) == 12
    assert "Another story" not in result.text


def test_a_layout_column_sharing_a_class_is_not_a_chunk_of_the_article():
    # a column beside the article's column shares the grid's class, but holds its own
    # kind of box, not the article's: it stays out
    html = page("<div class='row'>"
                f"<div class='col wide'><div class='post-text'>{paragraphs(12, COMMENT)}"
                "</div></div>"
                "<div class='col'><div class='about'>" + "<p>This blog reflects the "
                "opinions of its writers alone, and not those of their employers or of "
                "their clients, whatever they say, wherever they say it.</p>" * 2 +
                "</div></div></div>")
    result = clean_article(html)
    assert kept(result, 12, COMMENT) == 12 and "employers" not in result.text


def test_a_bare_box_of_paragraphs_beside_a_long_body_joins_it():
    # the article's last part written as <div><p>..</p></div>: too small beside the long
    # first part to score as a sibling, but a paragraph in all but name
    html = page(f"<div class='main'><div class='entry'>{paragraphs(14)}</div>"
                f"<div><p></p>{paragraphs(2, COMMENT)}</div>"
                "<div class='share'><a href='/s'>Share this story with your friends</a></div>"
                "</div>")
    result = clean_article(html)
    assert kept(result, 14) == 14 and kept(result, 2, COMMENT) == 2


def test_letters_styled_as_comments_are_the_page_when_nothing_else_is_prose():
    # every letter sits in a comment-named box; outside them the page has no paragraph
    letters = "".join(f"<div class='comment letter'><h2 class='comment-title'>Letter {i}</h2>"
                      f"<div class='comment-text'><p>{COMMENT.format(n=i)}</p></div>"
                      f"<p class='comment-author'>Reader {i}, Westbury</p></div>"
                      for i in range(1, 4))
    html = page(f"<div class='letters-page'><h1>Letters to the editor</h1>"
                f"<p>Letters may be edited.</p>{letters}</div>")
    result = clean_article(html)
    assert kept(result, 3, COMMENT) == 3
    # beside an article with paragraphs of its own, comment boxes still go
    html = page(f"<div class='letters-page'><h1>Pier opens at last</h1>{paragraphs(2)}"
                f"{letters}</div>")
    result = clean_article(html)
    assert kept(result, 2) == 2 and kept(result, 3, COMMENT) == 0


def test_a_second_extractor_that_disagrees_caps_the_confidence(monkeypatch):
    # two boxes scored alike and another extractor was asked: its text is mostly not in
    # the chosen box (nor in the rival), so the two methods disagree and the decision is
    # worth a look, however clearly the box holds the page's prose
    cards = "".join(f"<p>{OFFER.format(n=i + 1)}</p>" for i in range(4))
    html = page(f"<div class='left'><h1>Pier opens at last</h1>"
                f"<div class='group'>{paragraphs(3)}</div></div>"
                f"<div class='right'><h3>Top cards</h3><div class='cards'>{cards}</div>"
                "</div>")
    import cleaner.pipeline as pipeline
    elsewhere = " ".join(COMMENT.format(n=i + 1) for i in range(3))

    def opinion(held: int):
        return " ".join(OFFER.format(n=i + 1) for i in range(held)) + " " + elsewhere
    monkeypatch.setattr(pipeline, "readability_box", lambda root: opinion(2))
    result = clean_article(html)
    signals = result.metadata["body"]["signals"]
    assert signals["second_agrees"] < 0.5 and "welcome bonus" in result.text
    assert result.confidence == signals["second_agrees"] < 0.5
    # a box holding all of a page's prose, unrivalled, that another method mostly
    # disagrees with (it holds 45% of that method's text; of a declaration's too)
    from cleaner.extract.decide import BodyDecision, confidence
    sure = {"prose": 2000, "prose_share": 1.0, "rival_ratio": 0.0}
    assert confidence(BodyDecision([], signals=sure), 2000) == 1.0
    for other in ("second_agrees", "declared_held"):
        assert confidence(BodyDecision([], signals={**sure, other: 0.45}), 2000) == 0.45
        assert confidence(BodyDecision([], signals={**sure, other: 0.7}), 2000) > 0.7
    monkeypatch.setattr(pipeline, "readability_box",
                        lambda root: " ".join(OFFER.format(n=i + 1) for i in range(4)))
    agreeing = clean_article(html)   # a second extractor that agrees leaves it sure
    assert agreeing.metadata["body"]["signals"]["second_agrees"] >= 0.6
    assert agreeing.confidence >= 0.5


@pytest.mark.parametrize("post", [
    "<div class='widget Blog'><h1>Pier opens at last</h1>"
    "<div class='post-body'>{paras}</div></div>",
    "<div id='main'><div class='widget Blog'><h1>Pier opens at last</h1>{paras}</div></div>"])
def test_a_post_whose_prose_sits_in_chrome_is_measured_by_it(post):
    # a blog theme that names every box like chrome: the post in a "widget Blog" box
    # holding less than half the page's prose (so not its wrapper), beside a sidebar
    # with more; nothing outside chrome has prose, and the post (the box inside the
    # chrome box, or the box around it that keeps it) wins: its confidence counts its
    # prose as the choice did, not as none at all
    side = "".join(f"<div class='item'><p>{COMMENT.format(n=i + 1)}</p></div>"
                   for i in range(4))
    html = page(post.format(paras=paragraphs(3)) + f"<div id='sidebar-wrapper'>{side}</div>")
    result = clean_article(html)
    signals = result.metadata["body"]["signals"]
    assert kept(result, 3) == 3 and "forty years" not in result.text
    assert signals["prose"] == 0 and signals["chrome_prose"] > 0
    assert 0.4 < signals["chrome_prose_share"] < 0.5
    assert result.confidence >= 0.5


def test_a_text_of_short_lines_is_not_sure_however_much_prose_its_box_scored():
    # names and addresses broken by <br>: one long run to the scorer (prose), thirty
    # short lines in the text; with no block of paragraph length the decision is worth
    # a look (a contributor list or a sidebar may have won), a story of paragraphs not
    lines = "<br>".join(f"Ann Lee {i}, harbour desk, ann{i} at gazette" for i in range(30))
    listing = clean_article(page(f"<div class='contributors'><p>{lines}</p></div>"))
    assert listing.metadata["body"]["signals"]["prose"] >= 800
    assert all(len(b.text) < 80 for b in listing.blocks) and len(listing.blocks) == 30
    assert listing.confidence < 0.5
    assert clean_article(page(f"<div class='story'>{paragraphs(6)}</div>")).confidence == 1.0
    # a Chinese paragraph of 30 characters is a paragraph: each counts about a word
    zh = "新码头在两年的延误之后终于在春天开放了渔船队将在几周内搬回这里。"
    story = clean_article(page(f"<div class='story'>{''.join(f'<p>{zh}</p>' for _ in range(12))}"
                               "</div>"))
    assert all(len(b.text) < 80 for b in story.blocks) and story.confidence >= 0.5

def test_a_term_linked_to_itself_is_the_term_not_a_link_away():
    # a reference page marks each term it defines with a permalink to itself
    terms = "".join(f"<dt id='opt-{c}'><a href='#opt-{c}'>-{c}</a></dt><dd>"
                    f"{PARA.format(n=i)}</dd>" for i, c in enumerate("nvx", 3))
    html = page(f"<main><h1>Pier opens at last</h1>{paragraphs(2)}<dl>{terms}</dl>"
                "<p><a href='/other-page'>The pier's other options</a></p></main>")
    result = clean_article(html)
    lines = result.text.splitlines()
    assert all(f"-{c}" in lines for c in "nvx")
    assert kept(result, 5) == 5
    # a short paragraph that is a link to another page still goes
    assert "other options" not in result.text


def test_a_chunk_joins_as_its_box_like_the_bodys_not_with_its_votes_and_card():
    # answers side by side: the body is the first answer's text, narrowed from its
    # answer box; the next answer joins as its text, not with its votes and user card
    def post(cls: str, votes: int, text: str, who: str, cell: str) -> str:
        return (f"<div class='{cls}'><div class='votecell'>{votes}</div>"
                f"<div class='{cell} layout-right'><div class='post-text'>{text}</div>"
                f"<div class='user-card'>answered Mar 3 {who} 6113</div></div>"
                "<div class='comments'><ul><li>Thanks, this helped a lot, said the user."
                "</li></ul></div></div>")
    html = page("<main><h1>Pier opens at last</h1>"
                + post("question", 14, paragraphs(1), "nadia", "postcell")
                + "<div id='answers'><h2>2 Answers</h2>"
                + post("answer accepted", 22, paragraphs(3), "tdelacroix", "answercell")
                + post("answer", 3, paragraphs(1, COMMENT), "quietcoder", "answercell")
                + "</div></main>")
    result = clean_article(html)
    assert kept(result, 3) == 3 and kept(result, 1, COMMENT) == 1
    assert "quietcoder" not in result.text and "6113" not in result.text


def test_the_dek_above_a_byline_box_the_body_finder_dropped_is_trimmed():
    # the byline box goes as chrome before the edge trimmer runs: the line between the
    # headline and it is still the dek
    html = page("<article><header><h1>Pier opens at last</h1>"
                "<p class='standfirst'>Two years late, and worth the wait.</p>"
                "<div class='byline'>Words by Ana Ruiz and Tom Lee, pictures by Pim Ros"
                "</div></header>" + paragraphs(3) + "</article>")
    result = clean_article(html)
    assert kept(result, 3) == 3
    assert "worth the wait" not in result.text
    assert any(r.rule == "meta.dek" for r in result.removed)
    # with no byline under it, a short line after the headline is the article's
    html = page("<article><h1>Pier opens at last</h1><p>Two years late, and worth the "
                "wait.</p>" + paragraphs(3) + "</article>")
    assert "worth the wait" in clean_article(html).text


FIRST = ["Ana", "Ben", "Carla", "Dmitri", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jonas"]
LAST = ["Ruiz", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Castell"]


def contributors(k: int = 30) -> str:
    # a blog's sidebar of its writers: a name and a mail address per person, each on its
    # own line, the lines parted by <br> and no link among them
    people = [(FIRST[i % len(FIRST)], LAST[i % len(LAST)]) for i in range(k)]
    return "<div class='people'><b>Contributors</b><br><br>" + "<br>".join(
        f"{a} {b}<br>{a.lower()}.{b.lower()} at example.org" for a, b in people) + "</div>"


def in_columns(main: str, side: str) -> str:
    return page("<table><tr><td class='col1'>" + side + "</td><td class='col2'>" + main +
                "</td></tr></table>")


def test_a_column_of_names_parted_by_line_breaks_does_not_beat_a_short_post():
    # the names and addresses hold four times the post's text in one run of lines
    html = in_columns(f"<div class='box'><h1>Pier opens at last</h1>{paragraphs(1)}</div>",
                      contributors())
    result = clean_article(html)
    assert kept(result, 1) == 1
    assert "at example.org" not in result.text


def test_a_post_written_with_double_line_breaks_beats_a_column_of_names():
    # an old blog's post: no <p>, its paragraphs parted by <br><br>; each is prose
    post = "<br><br>".join(PARA.format(n=i + 1) for i in range(2))
    html = in_columns(f"<div class='box'><h1>Pier opens at last</h1>{post}</div>",
                      contributors(40))
    result = clean_article(html)
    assert kept(result, 2) == 2
    assert "at example.org" not in result.text


POEM = ["The tide comes in,", "the tide goes out;", "the gulls cry loud", "and wheel about.",
        "The boats come home", "at end of day,", "and tie up safe", "along the bay."]


def test_a_poem_of_short_lines_beats_a_column_of_names():
    # a poem's lines are as short as the names, but they end like sentences and clauses:
    # they are prose, more of it than the paragraph about the site under the names
    poem = "<br><br>".join("<br>".join(POEM) for _ in range(3))
    assert sum(map(len, POEM)) < 20 * len(POEM)
    html = in_columns(f"<div class='box'><h1>Pier opens at last</h1>{poem}</div>",
                      contributors() + f"<div class='about'>{ABOUT.format(n=1)}</div>")
    result = clean_article(html)
    assert result.text.count(POEM[1]) == 3 and result.text.count(POEM[7]) == 3
    assert "at example.org" not in result.text and "reported on the harbour" not in result.text

@pytest.mark.parametrize("name", ["layout layout--sidebar-position-end",
                                  "discussion js-sidebar-and-timeline"])
def test_a_layout_named_after_its_sidebar_is_not_chrome(name):
    # a modifier placing the sidebar, or a box holding the sidebar and the main column,
    # names the layout around them, not a sidebar
    from lxml import etree

    from cleaner.extract.scores import Scores
    body = etree.fromstring(f"<body><div class='{name}'><div class='main-col'>"
                            f"{paragraphs(1)}</div><div class='sidebar'><h3>Labels</h3>"
                            "<a href='/l'>bug</a></div></div></body>")
    scores = Scores(body)
    assert body[0] not in scores.chrome and body[0][1] in scores.chrome


def _tracker_post(i: int, text: str) -> str:
    # an issue tracker's comment: the text deep in its frame (a table cell), the author
    # and date in a header beside it
    return (f"<div class='timeline-item'><div class='comment-group'>"
            f"<div class='timeline-comment'><div class='comment-header'><a href='/u{i}'>"
            f"user{i}</a> commented <a href='#c{i}'>Feb {i + 1}, 2026</a></div>"
            f"<div class='comment-edit'><table class='comment-table'><tr>"
            f"<td class='comment-body'>{text}</td></tr></table></div></div></div></div>")


def test_a_thread_whose_every_post_is_named_as_a_comment_keeps_its_posts():
    # the opening post and the replies are the same comment boxes; outside them only the
    # title and a status line, which outscore any one of them
    opening = paragraphs(2, COMMENT)
    replies = "".join(_tracker_post(i, f"<p>{PARA.format(n=i + 1)}</p>") for i in range(3))
    html = page("<div class='issue-header'><h1>Pier lights flicker at night</h1>"
                "<div class='issue-meta'>Open: user0 opened this issue on Feb 1, 2026, "
                "3 comments</div></div>"
                "<div class='layout'><div class='layout-main'><div class='timeline'>"
                f"{_tracker_post(0, opening)}{replies}</div></div>"
                "<div class='layout-sidebar'><h3>Labels</h3><a href='/l/bug'>bug</a></div>"
                "</div>")
    result = clean_article(html)
    assert kept(result, 2, COMMENT) == 2 and kept(result, 3) == 3
    assert "opened this issue" not in result.text and "Labels" not in result.text
    assert "commented" not in result.text   # the posts' headers are still chrome


@pytest.mark.parametrize("box, line", [
    # a blog post with next to no prose (a photo and a line) in its entry-content box
    ("<div class='entry-content'><img src='/pier.jpg' alt=''><br>{line}</div>",
     "The pier at dawn, from the beach."),
    # a box with no such name that holds a sentence of its own
    ("<div class='intro'><img src='/pier.jpg' alt=''><p>{line}</p></div>",
     "The pier at dawn, from the beach, with the boats coming in."),
])
def test_a_short_post_keeps_its_body_box_above_a_thread_of_comments(box, line):
    # the comment boxes below the post, however alike and long, are not the page
    comments = "".join(_tracker_post(i, f"<p>{COMMENT.format(n=i)}</p>") for i in range(4))
    html = page(f"<div class='post'><h1>Pier at dawn</h1>{box.format(line=line)}</div>"
                f"<div class='comments-list'>{comments}</div>")
    result = clean_article(html)
    assert line in result.text
    assert kept(result, 4, COMMENT) == 0


def test_a_posts_interaction_counter_between_posts_is_dropped():
    # schema.org's InteractionCounter under each post: a count, wherever it sits
    posts = "".join(
        f"<div class='post' itemprop='comment'><p>{COMMENT.format(n=i)}</p>"
        "<div itemprop='interactionStatistic' itemscope "
        "itemtype='http://schema.org/InteractionCounter'>"
        "<meta itemprop='interactionType' content='http://schema.org/LikeAction'>"
        f"<span class='post-score'>{i} Likes</span></div></div>" for i in range(1, 6))
    html = page(f"<div class='topic'><h1>Pier opens at last</h1>{posts}</div>")
    result = clean_article(html)
    assert kept(result, 5, COMMENT) == 5
    assert "Likes" not in result.text
    counters = [r for r in result.removed if r.rule == "extract.counter"]
    assert len(counters) >= 3 and all(r.family == "share" for r in counters)


def test_an_icon_fonts_ligature_name_is_not_text():
    # Material Icons and the like draw a glyph from a word: 'check_circle' is no text
    steps = "".join(f"<div class='step'><span class='material-icons-outlined'>"
                    f"{name}</span><p>{PARA.format(n=i)}</p></div>"
                    for i, name in enumerate(["check_circle", "schedule", "commit"], 1))
    html = page(f"<article><h1>Pier opens at last</h1>{steps}"
                "<p><span class='icon'>Note</span> the pier opens at dawn.</p></article>")
    result = clean_article(html)
    assert kept(result, 3) == 3
    assert "check_circle" not in result.text and "schedule" not in result.text
    assert "\ncommit\n" not in f"\n{result.text}\n"
    assert "Note the pier opens at dawn." in result.text  # a word written as text stays
    names = [r for r in result.removed if r.rule == "extract.icon-name"]
    assert len(names) == 3


def test_a_posts_action_bar_left_as_a_line_between_posts_is_dropped():
    bar = ("<div class='b'><span>Report</span> <span>Like</span> <span>Quote</span> "
           "<span>Reply</span></div>")
    posts = "".join(f"<div class='message'><p>{COMMENT.format(n=i)}</p>{bar}</div>"
                    for i in range(1, 6))
    result = clean_article(page(f"<div class='thread'><h1>Pier</h1>{posts}</div>"))
    assert kept(result, 5, COMMENT) == 5
    assert "Quote" not in result.text

SLIDE_CAPTION = ("Crews lifted section {n} of the pier into place at dawn, watched by a crowd of "
           "fishermen on the harbour wall.")


def gallery(k: int) -> str:
    return "<div class='gallery'>" + "".join(
        f"<figure class='gallery-item'><img src='/{i}.jpg' alt=''><figcaption>"
        f"<p>{SLIDE_CAPTION.format(n=i + 1)}</p><span class='credit'>Ann Lee / Coast Gazette</span>"
        "</figcaption></figure>" for i in range(k)) + "</div>"


def test_a_gallery_articles_captions_are_its_text_and_their_credits_go():
    # a short intro over a run of figures whose captions hold sentences: the captions
    # carry the story, not so their credit lines
    html = page(f"<article><h1>Pier opens at last</h1>{paragraphs(1)}{gallery(4)}</article>")
    result = clean_article(html)
    assert kept(result, 1) == 1
    assert kept(result, 4, SLIDE_CAPTION) == 4
    assert "Ann Lee" not in result.text
    assert any(r.rule == "extract.caption-credit" for r in result.removed)

    # not a gallery article: a small gallery in a long story, two captioned figures
    html = page(f"<article><h1>Pier opens at last</h1>{paragraphs(8)}{gallery(3)}</article>")
    result = clean_article(html)
    assert kept(result, 8) == 8 and kept(result, 3, SLIDE_CAPTION) == 0
    html = page(f"<article><h1>Pier opens at last</h1>{paragraphs(2)}{gallery(2)}</article>")
    assert kept(clean_article(html), 2, SLIDE_CAPTION) == 0


def test_a_slideshows_counters_and_buttons_are_residue():
    slides = "".join(
        f"<figure class='slide'><div class='count'>{i + 1} of 4</div><img src='/{i}.jpg'>"
        f"<figcaption>{SLIDE_CAPTION.format(n=i + 1)}</figcaption></figure>" for i in range(4))
    html = page(f"<article><h1>Pier opens at last</h1>{paragraphs(1)}"
                f"<div class='slideshow'><div class='controls'><span>Fullscreen</span></div>"
                f"{slides}</div></article>")
    result = clean_article(html)
    assert kept(result, 4, SLIDE_CAPTION) == 4
    assert "2 of 4" not in result.text and "Fullscreen" not in result.text
    assert "1/4 cup" in clean_article(page(f"<article>{paragraphs(3)}<p>1/4 cup</p>"
                                           "</article>")).text


def test_a_gallery_beside_a_short_intro_joins_it():
    # the captions sit deep in boxes named in another language: few readability points
    # reach the gallery, yet its sentences are the rest of the article
    items = "".join(
        f"<div class='galerie__bild'><img src='/{i}.jpg'><div class='galerie__bildtext'>"
        f"<p>{SLIDE_CAPTION.format(n=i + 1)}</p></div></div>" for i in range(4))
    html = page(f"<article><h1>Pier opens at last</h1><div class='artikel__text'>"
                f"{paragraphs(1)}</div><div class='galerie'>{items}</div></article>")
    result = clean_article(html)
    assert kept(result, 1) == 1 and kept(result, 4, SLIDE_CAPTION) == 4


BLURB = ("A visual diary of the things our editors love this season, from linen shirts to "
         "enamel pans, wrapped up in one long scrolling page of pictures ({n}).")


def _three_columns(post_box: str) -> str:
    blurbs = "".join(f"<li>{BLURB.format(n=i)}</li>" for i in range(4))
    return page(f"<div id='alpha'><ul><li><a href='/a'>Archives</a></li></ul></div>"
                f"<div id='beta'><div class='entry'><h3>Stud love</h3>{post_box}</div></div>"
                f"<div id='gamma'><div class='module'><ul class='module-list'>{blurbs}"
                "</ul></div></div>", title="Stud love")


@pytest.mark.parametrize("name", ["entry-content", "articleContent", "post-body", "article_body"])
def test_a_short_post_in_the_box_named_as_the_body_beats_a_column_of_blurbs(name):
    html = _three_columns(f"<div class='{name}'><p>I heart you all, truly.</p></div>")
    result = clean_article(html)
    assert "I heart you all" in result.text
    assert "visual diary" not in result.text
    assert result.metadata["body"]["decided_by"] == "named"
    assert any("visual diary" in r.text for r in result.removed)


def test_a_named_box_of_links_does_not_take_the_body():
    # a tag line whose class happens to hold a body name: links, no post
    post = paragraphs(4)
    html = page(f"<div class='entry'><div class='text'>{post}</div>"
                "<div class='entry-tag-post-body'>Posted by <a href='/a'>Todd Hoff</a> in "
                "<a href='/s'>Strategy</a> | <a href='/c'>3 Comments</a> | "
                "<a href='/p'>Permalink</a> | <a href='/e'>Email this article</a></div></div>")
    result = clean_article(html)
    assert kept(result, 4) == 4
    assert result.metadata["body"]["decided_by"] == "scores"


def test_two_boxes_named_as_the_body_leave_the_choice_to_the_scores():
    # a listing: each teaser has its own entry-content, none is the page's one body
    teasers = "".join(f"<div class='entry-content'><p>Teaser number {i} is here.</p></div>"
                      for i in range(2))
    html = _three_columns(teasers)
    assert clean_article(html).metadata["body"]["decided_by"] == "scores"


def test_a_long_article_outside_the_named_box_keeps_the_scores_choice():
    html = page(f"<div class='story'>{paragraphs(12)}</div>"
                "<div class='extra'><div class='post-content'><p>Our newsletter is "
                "sent every week.</p></div></div>")
    result = clean_article(html)
    assert kept(result, 12) == 12
    assert result.metadata["body"]["decided_by"] == "scores"


def test_an_images_credit_laid_over_it_in_its_figure_goes():
    # a credit span right after the <img>, outside the figcaption: in a story, and in a
    # photo essay whose captions are its text
    figure = ("<div class='image-block'><figure><div class='image'><img src='/{n}.jpg'>"
              "<span class='sc-a1'>Ann Lee/Getty Images</span></div><figcaption><p>"
              + SLIDE_CAPTION + "</p></figcaption></figure></div>")
    html = page(f"<article><h1>Pier opens at last</h1>{paragraphs(2)}"
                f"{figure.format(n=1)}{paragraphs(2)}</article>")
    result = clean_article(html)
    assert kept(result, 2) == 2 and "Getty" not in result.text
    assert any(r.rule == "extract.image-credit" for r in result.removed)
    essay = "".join(figure.format(n=i + 1) for i in range(5))
    result = clean_article(page(f"<article><h1>Pier opens at last</h1>{paragraphs(1)}"
                                f"{essay}</article>"))
    assert kept(result, 5, SLIDE_CAPTION) == 5 and "Getty" not in result.text
    # a sentence beside the image is no credit
    html = page(f"<article>{paragraphs(2)}<figure><img src='/a.jpg'><p>The pier at dawn, "
                "seen from the lighthouse.</p></figure></article>")
    assert "seen from the lighthouse" in clean_article(html, include_captions=True).text
    # a caller who keeps captions keeps their credits too
    html = page(f"<article><h1>Pier opens at last</h1>{paragraphs(2)}"
                f"{figure.format(n=1)}{paragraphs(2)}</article>")
    assert "Ann Lee/Getty Images" in clean_article(html, include_captions=True).text


def test_a_reader_revenue_appeal_in_the_slot_after_a_live_blog_goes():
    # timestamped posts, then the appeal the page's script fills into the body-end slot
    posts = "".join(f"<article class='block'><header><time>2{i}.00 BST</time></header>"
                    f"<p>{PARA.format(n=i + 1)}</p></article>" for i in range(4))
    appeal = ("<div id='slot-body-end'><aside class='dcr-8bnm0a'><h2>Can you spare a minute "
              "to read this?</h2><p>Millions have turned to us for open, independent news "
              "this year, and readers in 180 countries now support us financially, which "
              "keeps our journalism free from commercial influence.</p>"
              "<a href='/support'>Support us</a></aside></div>")
    result = clean_article(page(f"<main><h1>Pier opens at last</h1><div id='liveblog-body'>"
                                f"{posts}</div>{appeal}</main>"))
    assert kept(result, 4) == 4 and "support us financially" not in result.text
    assert any(r.rule == "paywall.appeal.slot" for r in result.removed)


TEASER = ("Another post from the archive, {n}: a short look back at the harbour's old "
          "ferries, the storms of the winter and the people who kept the quay running, "
          "with photographs from readers and a few notes from the harbour master's log.")


def _post_and_teasers(post: str, teasers: int, teaser: str = TEASER) -> str:
    # a theme that draws its "you may also like" box as an <article> of <article>s,
    # each an excerpt of another post, with more text in all than the post itself
    box = "".join(f"<article class='post hentry'><p>{teaser.format(n=i)}</p></article>"
                  for i in range(teasers))
    return page("<div class='columns primary'>"
                f"<article class='post hentry'><h1>Pier opens at last</h1>{post}</article>"
                f"<article class='post hentry'><h3>You may also like...</h3>{box}</article>"
                "</div>", title="Pier opens at last... - Coast Gazette")


def test_a_box_of_other_posts_excerpts_is_not_part_of_the_headlines_post():
    result = clean_article(_post_and_teasers(paragraphs(1), 6))
    assert kept(result, 1) == 1
    assert "archive" not in result.text
    assert [c.count("article") for c in result.metadata["body"]["containers"]] == [1]
    assert result.metadata["body"]["decided_by"] == "post"


def test_the_headline_is_found_with_a_typographic_ellipsis_against_typed_dots():
    html = _post_and_teasers(paragraphs(1), 6).replace(
        "<h1>Pier opens at last</h1>", "<h1>Pier opens at last\u2026</h1>")
    result = clean_article(html)
    assert result.metadata["body"]["signals"]["headline"] == 1.0
    assert "archive" not in result.text


def test_long_sections_in_articles_are_not_taken_for_other_posts():
    # a long-form story set in <article> sections beside its headline's box
    section = " ".join([PARA, PARA.replace("harbour", "quay"), COMMENT, COMMENT, PARA])
    result = clean_article(_post_and_teasers(paragraphs(1), 3, teaser=section))
    assert kept(result, 1) == 1
    assert COMMENT.format(n=2) in result.text


def test_posts_made_alike_join_by_their_bodies_not_their_authors_names():
    # a thread whose posts are <article>s, each its author's name over its body: the
    # bodies are alike boxes as sections are, but each <article> is a post of its own
    posts = "".join(f"<article><div class='PostUser'><h3 class='PostUser-name'>user{i}</h3>"
                    f"</div><div class='Post-body'><p>{COMMENT.format(n=i)}</p></div>"
                    "</article>" for i in range(5))
    html = page(f"<main><div class='container'><h1>Pier opens at last</h1><div>{posts}"
                "</div></div></main>")
    result = clean_article(html, include_comments=True)
    assert kept(result, 5, COMMENT) >= 1
    assert not any(f"user{i}" in result.text for i in range(5))


def test_a_disclosure_named_after_its_sponsor_is_the_articles_own_note():
    # a box named 'sponsored' inside the body is an ad; one named 'sponsored-disclosure'
    # says who paid for the reporting (catalogue §12.6): the article's text
    note = ("This article was produced with support from the Coastal Reporting Trust, "
            "which had no say over its content.")
    html = page(f"<article><h1>Pier opens at last</h1>{paragraphs(3)}"
                f"<p class='sponsored-disclosure'><em>{note}</em></p>"
                "<div class='sponsored'><p>Book your ferry crossing today with HarbourLine, "
                "the fastest way across the bay.</p></div></article>")
    result = clean_article(html)
    assert kept(result, 3) == 3
    assert note in result.text
    assert "HarbourLine" not in result.text


def test_one_story_card_in_a_box_between_paragraphs_is_a_teaser():
    # a "more on this" box holding one other story's <article> card, its headline linked
    # elsewhere: no prose of its own, however alone the card
    card = ("<div class='more'><div class='more-title'>More on this</div><article class='card'>"
            "<figure><img src='x.jpg'></figure><h2><a href='/news/ferry-fares.html'>Ferry "
            "fares to rise again in the spring timetable</a></h2><div><a href='/by/ana'>Ana "
            "Ruiz</a></div></article></div>")
    result = clean_article(page("<article><h1>Pier opens at last</h1><div class='body'>"
                                + paragraphs(2) + card + paragraphs(2, COMMENT)
                                + "</div></article>"))
    assert kept(result, 2) == 2 and kept(result, 2, COMMENT) == 2
    assert "Ferry fares" not in result.text and "More on this" not in result.text


def test_a_caption_named_paragraph_beside_the_body_does_not_join_it():
    # an AMP page: <amp-img> and its caption as a <p> of their own beside the body's box
    html = page("<article><h1>Pier opens at last</h1><amp-img src='p.jpg' width='800' "
                "height='450'></amp-img><p class='amp-caption'>The pier at dawn. Photo: "
                "Jane Roe</p><div class='amp-body'>" + paragraphs(3) + "</div></article>")
    result = clean_article(html)
    assert kept(result, 3) == 3
    assert "The pier at dawn" not in result.text


def test_a_lede_box_before_the_body_joins_it():
    # the intro set apart above the body's box, named as the lede: the article's first words
    html = page("<article><h1>Pier opens at last</h1><div class='article-lead'>Two years "
                "late, the harbour's new pier opened to the fishing fleet on Monday.</div>"
                "<div class='byline'>Ana Ruiz</div><div class='article-body'>"
                + paragraphs(3) + "</div></article>")
    result = clean_article(html)
    assert kept(result, 3) == 3
    assert result.text.startswith("Two years late, the harbour's new pier opened")
    # a box of that name holding links (a teaser) stays out
    html = page("<article><h1>Pier opens at last</h1><div class='lead'><a href='/x'>Ferry "
                "fares to rise again.</a></div><div class='article-body'>" + paragraphs(3)
                + "</div></article>")
    assert "Ferry fares" not in clean_article(html).text


def test_a_lede_in_the_articles_header_before_the_body_joins_it():
    # the headline, the dek named as a description and the byline in a <header> over the body
    html = page("<main><section><header><h1>Pier opens at last</h1><p class='article__desc'>Two "
                "years late, the harbour's new pier opened to the fishing fleet on Monday.</p>"
                "<div class='meta'>By Ana Ruiz</div></header><article class='content'>"
                + paragraphs(3) + "</article></section></main>")
    result = clean_article(html)
    assert kept(result, 3) == 3
    assert result.text.startswith("Two years late, the harbour's new pier opened")
    assert "Ana Ruiz" not in result.text
