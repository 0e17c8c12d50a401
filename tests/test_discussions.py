"""Forum threads and Q&A pages: the opening post and its replies are the content; a news
article's or a blog post's reader comments are not."""

from __future__ import annotations

import json

from cleaner import clean_article, parse_page
from cleaner.metadata import extract_metadata

OPENING = ("After my laptop wakes from suspend, every running container stops resolving "
           "names until I restart the daemon. Has anyone seen this before?")
REPLIES = ["Yes, the resolver rewrites its stub on resume and the embedded DNS keeps the "
           "old upstream, so set explicit servers in the daemon's config file.",
           "A sleep hook that restarts the service on resume is crude but reliable, and it "
           "has worked for me on three machines so far.",
           "Pointing the daemon at the stub listener through a bridge address picks up the "
           "change without any restart at all."]


VOTES = "<div class='votelinks'><a class='upvoter' href='/login'></a><span>12</span></div>"


def thread(post_box: str, head: str = "", itemtype: str = "", votes: str = "") -> str:
    replies = "".join(f"<div class='comment'>{votes}<span class='author'>user{i}</span>"
                      f"<div class='comment-text'><p>{t}</p></div>"
                      f"<a href='#' class='reply'>reply</a></div>"
                      for i, t in enumerate(REPLIES))
    scope = f" itemscope itemtype='{itemtype}'" if itemtype else ""
    return (f"<html><head><title>DNS after suspend | Forum</title>{head}</head><body>"
            "<nav><a href='/'>Home</a> <a href='/latest'>Latest</a></nav>"
            f"<main{scope}><h1>DNS after suspend</h1>{votes}{post_box}"
            f"<div class='comments'>{replies}</div></main>"
            "<footer><p>Forum software, all rights reserved.</p></footer></body></html>")


def ld(kind: str) -> str:
    data = {"@context": "https://schema.org", "@type": kind, "headline": "DNS after suspend"}
    return f"<script type='application/ld+json'>{json.dumps(data)}</script>"


NAMED_POST = f"<div class='post-content'><p>{OPENING}</p></div>"


def test_a_page_declared_a_discussion_keeps_the_replies_to_its_post():
    for html in (thread(NAMED_POST, head=ld("DiscussionForumPosting")),
                 thread(NAMED_POST, itemtype="https://schema.org/QAPage")):
        text = clean_article(html).text
        assert OPENING in text and all(r in text for r in REPLIES), text


def test_the_same_page_undeclared_leaves_the_comments_out():
    text = clean_article(thread(NAMED_POST, head=ld("BlogPosting"))).text
    assert OPENING in text and not any(r in text for r in REPLIES)


def test_a_comment_item_inside_an_article_does_not_make_a_discussion():
    root = parse_page(thread(NAMED_POST, head=ld("NewsArticle")).replace(
        "<div class='comment'>", "<div class='comment' itemscope "
        "itemtype='https://schema.org/Comment'>"))
    assert "_discussion" not in extract_metadata(root)


UNNAMED_POST = f"<div class='toptext'><p>{OPENING}</p></div>"
ARTICLE = " ".join([OPENING] * 12)   # an article's length, not a post's


def test_a_short_post_voted_on_as_its_replies_are_keeps_them():
    text = clean_article(thread(UNNAMED_POST, votes=VOTES)).text
    assert OPENING in text and all(r in text for r in REPLIES), text


def test_comments_not_voted_on_as_the_post_is_stay_out():
    text = clean_article(thread(UNNAMED_POST)).text
    assert OPENING in text and not any(r in text for r in REPLIES)


def test_vote_buttons_count_though_pruning_takes_them_out():
    # aria-labelled buttons in a box, the opening post in a box named as a post's body
    buttons = ("<div class='flex'><button aria-label='Upvote'>+</button><span>7</span>"
               "<button aria-label='Downvote'>-</button></div>")
    text = clean_article(thread(NAMED_POST, votes=buttons)).text
    assert OPENING in text and all(r in text for r in REPLIES), text


def test_vote_controls_count_whatever_the_case_of_their_names():
    votes = "<div class='score'><a class='upVOter' href='/login'></a><span>12</span></div>"
    text = clean_article(thread(UNNAMED_POST, votes=votes)).text
    assert OPENING in text and all(r in text for r in REPLIES), text


def test_an_article_of_length_keeps_its_comments_out():
    text = clean_article(thread(f"<div class='story'><p>{ARTICLE}</p></div>",
                                votes=VOTES)).text
    assert OPENING in text and not any(r in text for r in REPLIES)


def posts_list(classes: list[str]) -> str:
    texts = [OPENING, *REPLIES]
    items = "".join(f"<li class='{c}' itemprop='comment' itemscope "
                    f"itemtype='http://schema.org/Comment'><small><a href='/user/u{i}'>u{i}"
                    f"</a></small><div class='content' itemprop='text'><p>{t}</p></div>"
                    f"<div class='post-tools'><a href='#'>Reply</a> <a href='#'>Quote</a>"
                    f"</div></li>" for i, (c, t) in enumerate(zip(classes, texts)))
    return (f"<html><head><title>DNS after suspend | Forum</title></head><body>"
            "<nav><a href='/'>Home</a> <a href='/recent'>Recent</a></nav>"
            f"<h1>DNS after suspend</h1><ul class='posts'>{items}</ul>"
            "<div class='suggested'><h3>Suggested Topics</h3><ul><li><a href='/t/1'>Theme"
            " not loading</a></li></ul></div></body></html>")


def test_posts_made_alike_but_for_the_authors_class_are_one_thread():
    # the opening poster's posts carry a class of their own; microdata names them alike
    text = clean_article(posts_list(["owner-post", "", "owner-post", ""])).text
    assert OPENING in text and all(r in text for r in REPLIES), text


LONG_OPENING = OPENING + (" I am on Ubuntu 24.04 with systemd-resolved, and the trouble "
                          "started after the last kernel update, on two laptops at once.")


def test_a_forum_posts_declared_text_finds_it_among_posts_in_a_comments_box():
    # every post in boxes named as comments, a sign-up teaser the only prose beside them
    data = {"@context": "http://schema.org", "@type": "DiscussionForumPosting",
            "headline": "DNS after suspend", "text": LONG_OPENING}
    posts = "".join(f"<article class='cPost ipsComment'><aside class='cAuthorPane'>u{i}"
                    f"</aside><div class='ipsComment_content'><div class='ipsType_richText'>"
                    f"<p>{t}</p></div><ul class='ipsComment_controls'><li>Quote</li></ul>"
                    f"</div></article>" for i, t in enumerate([LONG_OPENING, *REPLIES]))
    html = (f"<html><head><title>DNS after suspend</title><script type='application/ld+json'>"
            f"{json.dumps(data)}</script></head><body><h1>DNS after suspend</h1>"
            f"<div id='comments' class='cTopic'>{posts}</div><div class='cGuestTeaser'><h2>"
            "Create an account or sign in to comment</h2><p>You need to be a member in "
            "order to leave a comment, so sign up for a new account in our community. "
            "It's easy, and it takes under a minute to join us!</p></div></body></html>")
    result = clean_article(html)
    assert result.text.startswith(LONG_OPENING) and "Sign up" not in result.text, result.text


def app_shell(shown: str) -> str:
    posts = "".join(f"<article><h3>u{i}</h3><div class='Post-body'><p>{t}</p></div></article>"
                    for i, t in enumerate([OPENING, *REPLIES]))
    return ("<html><head><title>DNS after suspend - Forum</title></head><body>"
            f"<div id='app'><header><a href='/'>Forum</a></header><main>{shown}"
            "<div id='flarum-loading' style='display: none'>Loading...</div>"
            f"<noscript id='flarum-content'><h1>DNS after suspend</h1>{posts}"
            "<a href='?page=2'>Next Page</a></noscript></main></div></body></html>")


def test_a_script_rendered_page_reads_its_noscript_copy():
    text = clean_article(app_shell("")).text
    assert OPENING in text and all(r in text for r in REPLIES), text


def test_a_noscript_copy_beside_the_shown_text_stays_out():
    shown = f"<div class='thread'><p>{ARTICLE}</p><p>{ARTICLE}</p></div>"
    text = clean_article(app_shell(shown)).text
    assert ARTICLE in text and not any(r in text for r in REPLIES)


def test_a_one_row_table_is_layout_not_data():
    # each reply a table of one row: its indent, its vote arrow, its text
    rows = "".join(f"<tr><td><table><tr><td class='ind'></td><td class='votelinks'>"
                   f"<a href='/vote'>^</a></td><td class='default'><div><span class='comhead'>"
                   f"u{i} 3 hours ago</span></div><div class='comment'><div>{t}</div>"
                   f"</div></td></tr></table></td></tr>" for i, t in enumerate(REPLIES))
    html = (f"<html><body><h1>Question</h1><p>{ARTICLE}</p>"
            f"<table class='thread'>{rows}</table></body></html>")
    lines = clean_article(html, include_comments=True).text.splitlines()
    assert all(r in lines for r in REPLIES), lines


def test_a_vote_controls_count_is_no_text():
    votes = ("<div class='voters'><a class='upvoter' href='/login'></a>"
             "<div class='score'>14</div></div>")
    lines = clean_article(thread(UNNAMED_POST, votes=votes)).text.splitlines()
    assert all(r in lines for r in REPLIES) and not any(line.strip(" -") == "14"
                                                       for line in lines), lines


def test_answers_inside_a_box_named_as_nav_are_still_one_thread():
    # a question page's answers sit in a box whose name reads as navigation ("Answers
    # Nav Wrapper"): the body is found there, and its template finds the other answers
    answers = "".join(
        f"<div class='List-item'><div class='AnswerItem'><span class='Author'>user{i}</span>"
        f"<div class='RichContent'><div class='RichContent-inner'>"
        f"<span class='RichText ztext'><p>{t}</p></span></div>"
        f"<button class='VoteButton'>Upvote 12</button></div></div></div>"
        for i, t in enumerate(REPLIES))
    html = ("<html><head><title>DNS after suspend | Answers</title></head><body>"
            "<nav><a href='/'>Home</a> <a href='/explore'>Explore</a></nav>"
            "<main><h1>DNS after suspend</h1>"
            f"<div class='Card AnswersNavWrapper'><div class='List'>{answers}</div></div>"
            "</main><footer><p>All rights reserved.</p></footer></body></html>")
    text = clean_article(html).text
    assert all(r in text for r in REPLIES), text


def test_a_posts_attachment_listing_is_not_its_text():
    attach = ("<dl class='attachbox'><dt>Attachments</dt><dd><dl class='file'><dt>"
              "<a href='/download/file.php?id=7'><img src='/t.jpg' alt='intake.jpg'></a></dt>"
              "<dd>intake.jpg (88.2 KiB) Viewed 412 times</dd></dl></dd></dl>")
    post = f"<div class='post-content'><p>{OPENING}</p>{attach}</div>"
    text = clean_article(thread(post, head=ld("DiscussionForumPosting"))).text
    assert OPENING in text and "Attachments" not in text and "KiB" not in text, text


def test_a_web_components_slot_names_its_part_as_a_class_does():
    # custom elements name their parts by slot, not class: a comment, a vote count
    replies = "".join(f"<shreddit-comment><div slot='comment'><div class='md'><p>{t}</p>"
                      "</div></div></shreddit-comment>" for t in REPLIES)
    html = ("<html><head><title>DNS after suspend</title></head><body><main>"
            "<shreddit-post><h1 slot='title'>DNS after suspend</h1>"
            f"<div slot='text-body'><div class='md'><p>{OPENING}</p></div></div>"
            "<span slot='vote-count'>1.4K</span><span slot='comment-count'>212 comments"
            "</span><button slot='share-button'>Share</button></shreddit-post>"
            f"<shreddit-comment-tree>{replies}</shreddit-comment-tree></main></body></html>")
    text = clean_article(html).text
    assert OPENING in text and "212" not in text and "1.4K" not in text, text


def test_a_topics_summary_notice_and_a_closing_event_are_not_posts():
    notice = ("<div class='bbp-template-notice info'><ul><li class='bbp-topic-description'>"
              "This topic has 3 replies, 3 voices, and was last updated 1 week, 2 days ago by "
              "<a href='/u/pat'>pat</a>.</li></ul></div>")
    event = ("<div class='TimelineItem'><a class='author' href='/pat'>pat</a> closed this as "
             "completed in <a href='/pull/12'>#12</a> Feb 13, 2026</div>")
    post = (f"<div class='post-content'><p>{OPENING}</p>{notice}<p>{LONG_OPENING}</p>"
            f"{event}<p>{OPENING}</p></div>")
    text = clean_article(thread(post, head=ld("DiscussionForumPosting"))).text
    assert OPENING in text and "voices" not in text and "closed this" not in text, text


def test_boxes_told_apart_only_by_their_slot_get_each_their_own_weight():
    # the scorer keeps a box's class weight per page by the attributes it reads: the slot
    # is one of them, so a "comment" slot scores lower than a "text-body" slot
    from lxml import etree

    from cleaner.extract.boxes import class_weight
    from cleaner.extract.scores import Scores

    para = f"<p>{OPENING}</p>"
    body = etree.fromstring(f"<body><div slot='comment'>{para}</div>"
                            f"<div slot='text-body'>{para}</div></body>", etree.HTMLParser()
                            ).find("body")
    comment, story = body
    assert class_weight(comment) != class_weight(story)
    sc = Scores(body)
    assert sc.score[story] - sc.score[comment] == class_weight(story) - class_weight(comment)
