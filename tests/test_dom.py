"""The helpers every stage leans on: block-separated text, block lookups, records, marks."""

from __future__ import annotations

import copy
import gc
import threading

import pytest
from lxml import etree

from cleaner import Removal
from cleaner.dom import BLOCK_TAGS, block_descendants, parting_text_of, spaced_text_of
from cleaner.result import records_in_bulk

SHAPES = [
    "<div>Home<p>News</p>Sport<ul><li>One</li><li>Two</li></ul>Tail</div>",
    "<div><span>in<b>line</b></span><div><div>deep</div></div>after</div>",
    "<div>\n<p> spaced </p>\n<p>\ttabbed</p>x<br>y<table><tr><td>a</td><td>b</td></tr></table></div>",
    "<div><p></p><p>one</p><!-- a comment --><p>two</p><span><div>in span</div>out</span></div>",
    "<nav>" + "".join(f"<a href='/{i}'>L{i}</a><div>D{i}</div>" for i in range(40)) + "</nav>",
]


@pytest.mark.parametrize("markup", SHAPES)
def test_parting_text_is_spaced_text_up_to_runs_of_whitespace(markup):
    # the fast reading (spaces written into the leaving subtree, text read in C) may
    # leave out a space where one is already; never a separator, never a word
    el = etree.fromstring(markup, etree.HTMLParser()).find(".//body")[0]
    expected = spaced_text_of(copy.deepcopy(el)).split()
    assert parting_text_of(el).split() == expected


@pytest.mark.parametrize("size", [0, 3, 31, 32, 33, 200])
def test_block_descendants_match_lxmls_tag_filter_small_or_large(size):
    # small subtrees are filtered in Python, large ones by lxml: the same elements
    inner = "<span>s</span><p>p</p><!-- c --><li>l</li>" * size
    el = etree.fromstring(f"<div>{inner}</div>", etree.HTMLParser()).find(".//div")
    assert block_descendants(el) == list(el.iterdescendants(*BLOCK_TAGS))


def test_a_removal_is_an_immutable_record_with_named_fields():
    r = Removal.of_line("share.label", "share", "Share this:", 7, "a share bar's label")
    assert (r.rule, r.where, r.path, r.layer) == ("share.label", "text:7", "", "text")
    assert r == Removal("share.label", "share", "Share this:", "text:7", "a share bar's label")
    assert r.to_dict()["where"] == "text:7"
    with pytest.raises(AttributeError):
        r.text = "changed"  # type: ignore[misc]
    el = Removal.of_element("hidden.attribute", "hidden", "x", "/html/body/div[2]")
    assert (el.where, el.path, el.layer) == ("html:/html/body/div[2]", "/html/body/div[2]",
                                             "html")


def test_records_in_bulk_pauses_the_collector_and_restores_it():
    assert gc.isenabled()
    with records_in_bulk():
        assert not gc.isenabled()
        with records_in_bulk():          # nested: one pause
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()                          # a caller who runs without the collector...
    try:
        with records_in_bulk():
            pass
        assert not gc.isenabled()         # ... keeps it off
    finally:
        gc.enable()


def test_records_in_bulk_from_threads_leaves_the_collector_on():
    inside = threading.Barrier(4)

    def work() -> None:
        with records_in_bulk():
            inside.wait(timeout=10)
    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert gc.isenabled()


def test_records_in_bulk_restores_the_collector_when_cleaning_raises():
    with pytest.raises(ValueError), records_in_bulk():
        raise ValueError("a failing clean")
    assert gc.isenabled()


def test_every_non_starter_lies_in_the_quick_precheck_range():
    # stream_safe skips text with no run of 31 characters in U+0300..U+1FFFF: sound only
    # while every non-starter of the running Python's Unicode data lies there
    import re

    from cleaner import textnorm
    bounds = [int(h, 16) for h in re.findall(r"\\U([0-9a-f]{8})",
                                              textnorm._long_mark_run().pattern)]
    assert min(bounds) >= textnorm._FIRST_MARK and max(bounds) < textnorm._LAST_MARK_PLANE


@pytest.mark.parametrize("text, joiners", [
    ("x" * 300 + "\u0301\u0316" * 200, 13),         # a mark flood: broken into runs of 30
    ("x" * 300 + "\u0301" * 31, 1),
    ("x" * 300 + "\u0301" * 30 + "\u00e9", 0),       # 30 marks and a precomposed letter
    ("\u201cQuoted\u201d caf\u00e9 " * 40, 0),         # European text: skipped quickly
    ("\u4e2d\u6587" * 200, 0),                       # CJK: a long high run, no marks
])
def test_stream_safe_breaks_only_long_runs_of_marks(text, joiners):
    from cleaner.textnorm import stream_safe
    assert stream_safe(text).count("\u034f") == joiners


def test_attribute_owners_come_in_page_order_each_once_however_many(monkeypatch):
    # owners found by several queries are sorted by their positions, or past SORT_MAX
    # by one walk of the page (a union took seconds on 20,000 bylines): the same order
    from cleaner import dom

    root = etree.fromstring('<r><a rel="author" class="fn"/><b class="x fn"/><c rel="author"/>'
                            '<d/><e class="fn" rel="author"/></r>')
    owners_of = dom.AttributeOwners("//@rel[. = 'author']", "//@class[contains(., 'fn')]")
    sorted_ = [el.tag for el in owners_of(root)]
    monkeypatch.setattr(dom, "SORT_MAX", 0)
    assert [el.tag for el in owners_of(root)] == sorted_ == ["a", "b", "c", "e"]


def test_comment_sections_are_named_by_id_or_a_whole_class_name():
    from cleaner.extract.choose import _comment_roots

    root = etree.fromstring(
        '<html><body><div id="comments"/><ol class="x\tcomment-list"/>'
        '<ol class="comment-listing"/><div class="comments-area-wide"/><div id="comments2"/>'
        '<section class="site comments-area"/></body></html>', etree.HTMLParser())
    assert [(el.tag, el.get("class")) for el in _comment_roots(root)] == [
        ("div", None), ("ol", "x\tcomment-list"), ("section", "site comments-area")]
