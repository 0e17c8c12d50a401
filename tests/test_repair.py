"""Pages whose article broken markup hides from the parser are read whole."""

from __future__ import annotations

import pytest

from cleaner import clean_article, parse_page

PARA = ("The council approved the new budget on Tuesday evening after a long debate, "
        "and the mayor said the money for the harbour would arrive before the summer.")
ARTICLE = "".join(f"<p>{PARA} ({i})</p>" for i in range(20))
PAGE = f"<div class='story'><h1>Budget passes</h1>{ARTICLE}</div><div class='nav'>" + \
    "".join(f"<a href='/{i}'>Section {i}</a>" for i in range(12)) + "</div>"


def kept(html: str | bytes) -> int:
    result = clean_article(html)
    return sum(f"({i})" in result.text for i in range(20))


@pytest.mark.parametrize("html", [
    # an unclosed <title>: libxml2 reads the rest of the page as its text
    f"<html><head><title>Budget passes<meta name=x></head><body>{PAGE}</body></html>",
    # a <title> whose end tag was cut
    f"<html><head><title>Budget passes</tit<body>{PAGE}</body></html>",
    # a script left open whose text is the page's markup
    f"<html><head><script>{PAGE}</body></html>",
    # flow content the parser kept in <head>
    f"<html><head><mbox>{PAGE}</mbox></head></html>",
    # the article in a second <html> document after a first, empty one
    f"<html><body><p>Weather: sunny.</p></body></html><html><body>{PAGE}</body></html>",
    # an <html> start tag spliced with an <img>: libxml2 drops the document
    f'<html xmogo.jpg" alt="logo" /><head></head><body>{PAGE}</body></html>',
    # an XML declaration closed like a tag, NUL bytes forcing a str parse
    f'<?xml version="1.0" encoding="utf-8, keywords" />\n<html><body>\x00{PAGE}</body></html>',
])
def test_the_article_hidden_by_broken_markup_is_cleaned(html):
    assert kept(html) == 20
    assert kept(html.encode("utf-8")) == 20


def test_repairs_are_noted_and_parse_page_sees_the_same_tree():
    html = f"<html><head><title>Budget passes<meta name=x></head><body>{PAGE}</body></html>"
    result = clean_article(html)
    assert any("unclosed <title>" in n for n in result.metadata["notes"])
    root = parse_page(html)
    for r in result.removed:
        assert len(root.getroottree().xpath(r.path)) == 1, r


def test_a_script_that_writes_markup_is_left_alone():
    code = "document.write('<div><p>' + x + '</p></div>');" * 200
    html = f"<html><head><script>{code}</script></head><body>{PAGE}</body></html>"
    result = clean_article(html)
    assert "notes" not in result.metadata and kept(html) == 20


def test_a_well_formed_page_gets_no_notes():
    result = clean_article(f"<html><head><title>T</title></head><body>{PAGE}</body></html>")
    assert "notes" not in result.metadata
