"""Metadata from JSON-LD, OpenGraph, <meta> and the page, in that order of trust."""

import json

from cleaner import clean_article

BODY = "<article><p>" + "The pier opened to the public on a bright morning, finally. " * 4 + \
    "</p></article>"


def test_json_ld_wins():
    ld = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": "Coast Gazette"},
        {"@type": "NewsArticle", "headline": "Pier opens at last",
         "author": [{"@type": "Person", "name": "Jane Roe"}, {"name": "Max Poe"}],
         "datePublished": "2024-03-02T09:00:00Z", "description": "A long wait ends.",
         "publisher": {"@type": "Organization", "name": "Coast Gazette"},
         "inLanguage": "en-GB", "url": "https://gazette.example/pier"}]}
    html = f"""<html lang="fr"><head><title>Other | Site</title>
    <meta property="og:title" content="OG title"><meta name="author" content="Meta Author">
    <script type="application/ld+json">{json.dumps(ld)}</script></head>
    <body>{BODY}</body></html>"""
    meta = clean_article(html).metadata
    assert meta["title"] == "Pier opens at last"
    assert meta["author"] == "Jane Roe; Max Poe"
    assert meta["date"] == "2024-03-02T09:00:00Z"
    assert meta["site_name"] == "Coast Gazette"
    assert meta["description"] == "A long wait ends."
    assert meta["url"] == "https://gazette.example/pier"
    assert meta["language"] == "fr"  # <html lang> is the page's own statement


def test_opengraph_then_meta_then_page():
    html = """<html><head><title>Pier opens at last - Coast Gazette</title>
    <meta property="og:site_name" content="Coast Gazette">
    <meta property="article:published_time" content="2024-03-02">
    <meta name="author" content="Jane Roe"><meta name="description" content="Short.">
    <link rel="canonical" href="https://gazette.example/pier"></head>
    <body>""" + BODY + "</body></html>"
    meta = clean_article(html, url="https://gazette.example/pier?utm=x").metadata
    assert meta["title"] == "Pier opens at last"
    assert meta["site_name"] == "Coast Gazette"
    assert meta["date"] == "2024-03-02"
    assert meta["author"] == "Jane Roe"
    assert meta["description"] == "Short."
    assert meta["url"] == "https://gazette.example/pier"
    assert meta["language"] == "en"  # guessed from the text


def test_page_fallbacks_h1_time_and_broken_json_ld():
    html = """<html><head><script type="application/ld+json">{not json</script></head>
    <body><h1>Pier opens</h1><time datetime="2024-03-02T08:00">March 2</time>""" + BODY + \
        "</body></html>"
    meta = clean_article(html).metadata
    assert meta["title"] == "Pier opens"
    assert meta["date"] == "2024-03-02T08:00"
    assert meta["author"] is None


def test_the_first_byline_in_page_order_names_the_author():
    html = ('<html><body>' + BODY + '<span itemprop="author">Ann Vale</span>'
            '<a rel="author" href="/a">Ben Okafor</a><div class="byline">By Cai Lund</div>'
            '</body></html>')
    assert clean_article(html).metadata["author"] == "Ann Vale"
