"""Hypothesis strategies for hostile and broken input, and the property tests' profiles.

Profiles (selected with ``HYPOTHESIS_PROFILE``, default ``ci``):

- ``ci``: 400 examples in all, derandomized (the same examples on every
  run), no example database: the property tests take about 8 s on 2 cores.
- ``long``: 100,000 examples in all, shared between the property tests by their weight
  (see :func:`budget`), randomized, with the example database, for a local run::

      HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/properties -q \\
          --hypothesis-show-statistics

``HYPOTHESIS_EXAMPLES=N`` replaces the profile's total (e.g. a quick local run).

The settings are applied to each property test by :func:`budget`, never loaded globally,
so other hypothesis tests in the suite keep their own settings.
"""

from __future__ import annotations

import codecs
import gzip
import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from cleaner.rules import default_rules

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
          HealthCheck.filter_too_much]
settings.register_profile("ci", max_examples=400, derandomize=True, database=None,
                          deadline=None, suppress_health_check=_QUIET, print_blob=True)
settings.register_profile("long", max_examples=100_000, deadline=None,
                          suppress_health_check=_QUIET, print_blob=True)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
if PROFILE not in ("ci", "long"):
    PROFILE = "ci"


def budget(weight: float) -> settings:
    """Settings for one property test: ``weight`` (0-1) of the profile's total examples."""
    base = settings.get_profile(PROFILE)
    total = int(os.environ.get("HYPOTHESIS_EXAMPLES", base.max_examples))
    return settings(base, max_examples=max(1, round(total * weight)))


# -- vocabulary ----------------------------------------------------------------------------

TAGS = ("p", "div", "span", "a", "b", "i", "em", "strong", "ul", "ol", "li", "table", "tr",
        "td", "th", "thead", "tbody", "caption", "h1", "h2", "h3", "h4", "h6", "article",
        "section", "main", "aside", "nav", "header", "footer", "form", "label", "input",
        "button", "select", "option", "textarea", "script", "style", "noscript", "template",
        "iframe", "svg", "math", "figure", "figcaption", "img", "br", "hr", "blockquote", "pre",
        "code", "q", "title", "meta", "body", "html", "head", "frameset", "frame", "noframes",
        "x-widget", "font", "center", "dl", "dt", "dd", "details", "summary", "time", "sup",
        "plaintext", "xmp", "object", "picture", "source", "video", "P", "DIV", "Script")
CLASSES = ("share", "share-buttons", "comments", "comment-respond", "related",
           "related-posts", "newsletter", "cookie-banner", "entry-content", "article-body",
           "post", "sidebar", "menu", "nav", "footer", "byline", "author", "caption",
           "wp-caption-text", "gform_wrapper", "ad", "advertisement", "social", "widget",
           "hidden", "story-body", "content", "teaser", "card", "embed", "twitter-tweet")
ATTR_NAMES = ("class", "id", "style", "hidden", "aria-hidden", "lang", "href", "role",
              "itemprop", "data-x", "title", "alt", "src", "rel", "type", "charset", "content",
              "name", "property", "datetime", "onclick", "x", "=y", "a<b", "ID", "CLASS")
ATTR_VALUES = ("display:none", "visibility:hidden", "color:red", "true", "en", "de", "fr-CA",
               "xx", "", "https://example.org/a", "javascript:alert(1)", "author",
               "articleBody", "application/ld+json", "utf-8", "shift_jis", "og:title",
               "2025-06-10", '"', "'", ">", "<b>", "&amp;", "a b c")
SENTENCES = (
    "The council voted on Tuesday to close the old bridge, citing safety and cost.",
    "Residents, who had campaigned for years, welcomed the decision with some relief.",
    "Die Bürger der Stadt ärgern sich über die Schließung der Brücke am Fluss.",
    "Le maire a déclaré que les travaux commenceraient au printemps prochain.",
    "El alcalde dijo que las obras empezarán en la primavera del año que viene.",
    "東京の天気は晴れです。", "Ελληνικά κείμενα εδώ.", "Привет, мир.", "مرحبا بالعالم",
    "Read more", "Share", "Related", "Advertisement", "Subscribe to our newsletter",
    "x", "A", "1.", "- item", "| a | b |", "“Quoted,” she said.", "e\u0301", "ﬁ ligature",
)
ENTITIES = ("&amp;", "&nbsp;", "&lt;", "&gt;", "&quot;", "&#0;", "&#x110000;", "&#xD800;",
            "&bogus;", "&lt;script&gt;", "&#128;", "&#x1F600;", "&", "&#", "&#x;", "&shy;",
            "&ZeroWidthSpace;", "&NotANamedEntity", "&amp", "&#1", "&#x0B;", "&#12;",
            "&#xFFFE;", "&#65535;", "&#x1f;", "&#13;", "&#&#1;1;")
JUNK = ("<!-- a comment -->", "<!--", "-->", "<!-->", "<![CDATA[ cdata <b> ]]>", "]]>",
        "<?xml version='1.0' encoding='utf-16'?>", "<!DOCTYPE html>", "</div>", "</p>", "<",
        ">", "</", "<a", "<p", "\x00", "\x0b", "\x1b", "\u2028", "\u200b", "\ufeff", "\r\n",
        "\r", "\t", "<br>", "<br/>", "</br>", "<script><!--<script></script>-->", "<p/>",
        "<!doctype html PUBLIC>", "<?php echo 1 ?>", "<%= x %>", "{{ x }}", "\\", "\xa0")


def _residue_strings() -> tuple[str, ...]:
    rules = default_rules().rules
    out = {s for r in rules for s in (*r.drop_examples, *r.keep_examples, *r.lines)}
    return tuple(sorted(out))


def _residue_html() -> tuple[str, ...]:
    rules = default_rules().rules
    return tuple(sorted({h for r in rules for h in (*r.drop_html, *r.keep_html)}))


RESIDUE = _residue_strings()
RESIDUE_HTML = _residue_html()


# -- strategies ----------------------------------------------------------------------------

words = st.one_of(
    st.sampled_from(SENTENCES),
    st.sampled_from(RESIDUE),
    st.text(max_size=30),
    st.text(st.characters(codec="utf-8"), max_size=12),   # no surrogates
    st.text(st.characters(), max_size=8),                 # surrogates included
    st.sampled_from(ENTITIES),
)
texts = st.lists(words, max_size=6).map(" ".join)


@st.composite
def attributes(draw) -> str:
    out = []
    for _ in range(draw(st.integers(0, 4))):
        name = draw(st.sampled_from(ATTR_NAMES))
        if name == "class":
            value = " ".join(draw(st.lists(st.sampled_from(CLASSES), min_size=1, max_size=3)))
        else:
            value = draw(st.one_of(st.sampled_from(ATTR_VALUES), st.text(max_size=10)))
        quote = draw(st.sampled_from(['"', "'", "", None]))
        if quote is None:
            out.append(name)  # a boolean attribute
        elif quote == "":
            out.append(f"{name}={value.replace(' ', '')}")
        else:
            out.append(f"{name}={quote}{value.replace(quote, '')}{quote}")
    return "".join(" " + a for a in out)


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    @st.composite
    def element(draw) -> str:
        tag = draw(st.sampled_from(TAGS))
        inner = "".join(draw(st.lists(children, max_size=4)))
        close = draw(st.sampled_from(["close", "close", "close", "open", "self"]))
        attrs = draw(attributes())
        if close == "self":
            return f"<{tag}{attrs}/>{inner}"
        if close == "open":  # never closed
            return f"<{tag}{attrs}>{inner}"
        return f"<{tag}{attrs}>{inner}</{tag}>"
    return element()


leaves = st.one_of(texts, st.sampled_from(ENTITIES), st.sampled_from(JUNK),
                   st.sampled_from(RESIDUE_HTML))
fragments = st.recursive(leaves, lambda kids: _element(kids), max_leaves=25)


@st.composite
def html_documents(draw) -> str:
    """An HTML-like page: maybe a doctype, head and <html lang>, and a tree of random
    elements, text, entities, comments, CDATA, unclosed and stray tags, residue widgets."""
    body = "".join(draw(st.lists(fragments, min_size=1, max_size=5)))
    shape = draw(st.sampled_from(["fragment", "page", "page", "article"]))
    if shape == "fragment":
        return body
    lang = draw(st.sampled_from(["", " lang='en'", " lang='de-DE'", " lang='fr'", " lang=es",
                                 " lang='zz'", " lang=''", " lang='x-klingon'"]))
    title = draw(st.one_of(st.just(""), texts.map(lambda t: f"<title>{t}</title>")))
    meta = draw(st.sampled_from(["", "<meta charset='utf-8'>", "<meta charset=shift_jis>",
                                 '<meta property="og:title" content="A title">',
                                 '<script type="application/ld+json">{"@type": "NewsArticle",'
                                 ' "headline": "H", "author": {"name": "Ann"}}</script>',
                                 '<script type="application/ld+json">[[[{</script>']))
    if shape == "article":
        body = f"<article>{body}</article>"
    doctype = draw(st.sampled_from(["", "<!DOCTYPE html>"]))
    return f"{doctype}<html{lang}><head>{title}{meta}</head><body>{body}</body></html>"


CODECS = ("utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16-le", "utf-16-be", "utf-16",
          "shift_jis", "gb18030", "koi8-r", "utf-32")


@st.composite
def encoded_documents(draw) -> bytes:
    """An HTML-like page as bytes: some encoding (maybe with a BOM, maybe declared, maybe
    lying about itself), sometimes damaged or gzipped."""
    text = draw(html_documents())
    codec = draw(st.sampled_from(CODECS))
    if draw(st.booleans()):
        declared = draw(st.sampled_from(CODECS + ("nonsense", "utf-7")))
        text = f'<meta charset="{declared}">' + text
    data = text.encode(codec, "replace") if codec != "utf-8" else \
        text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        data = draw(st.sampled_from([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b""])) + data
    for _ in range(draw(st.integers(0, 3))):  # damage: flip, insert or cut a byte
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        how = draw(st.sampled_from(["flip", "insert", "cut"]))
        byte = bytes([draw(st.integers(0, 255))])
        if how == "flip":
            data = data[:at] + byte + data[at + 1:]
        elif how == "insert":
            data = data[:at] + byte + data[at:]
        else:
            data = data[:at]
    if draw(st.integers(0, 9)) == 0:
        data = gzip.compress(data, mtime=0)
    return data


MAGIC = (b"\x89PNG\r\n\x1a\n", b"%PDF-1.7\n", b"GIF89a", b"\xff\xd8\xff", b"PK\x03\x04",
         b"\x1f\x8b", b"\x00\x00\x01\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff",
         b"\xff\xfe\x00\x00")
random_bytes = st.builds(lambda head, tail: head + tail,
                         st.one_of(st.just(b""), st.sampled_from(MAGIC)),
                         st.binary(max_size=300))
random_text = st.text(max_size=300)

#: anything a caller might pass: HTML-like str and bytes, random text and bytes
any_input = st.one_of(html_documents(), encoded_documents(), random_text, random_bytes)
#: the inputs that should normally clean: HTML-like str and bytes
html_input = st.one_of(html_documents(), encoded_documents())


@st.composite
def lines_of_text(draw) -> str:
    """Text another extractor produced: lines of prose, residue, list marks, blanks."""
    line = st.one_of(st.sampled_from(SENTENCES), st.sampled_from(RESIDUE), texts,
                     st.just(""), st.sampled_from(["- Share", "* Related", "1. Read more",
                                                   "  ", "\t"]))
    sep = draw(st.sampled_from(["\n", "\r\n", "\n\n", "\r", "\u2028", "\x0b"]))
    return sep.join(draw(st.lists(line, max_size=12)))


clean_kwargs = st.fixed_dictionaries({}, optional={
    "url": st.sampled_from(["https://news.example/2025/06/story/", "not a url", "",
                            "https://pinecrest-post.example/news/a"]),
    "format": st.sampled_from(["text", "markdown", "html", "json"]),
    "include_comments": st.booleans(),
    "include_captions": st.booleans(),
    "text_layer": st.booleans(),
})


@st.composite
def attribute_storms(draw) -> str:
    """A start tag with more attributes than MAX_ATTRIBUTES, hidden in a tricky context
    (after script escapes, comments, raw text, quotes holding '<' and '>')."""
    from cleaner.parse import MAX_ATTRIBUTES

    n = draw(st.integers(MAX_ATTRIBUTES - 3, MAX_ATTRIBUTES + 40))
    sep = draw(st.sampled_from([" ", "\n", "/", "\t", "\x0c", "\r", ""]))
    style = draw(st.sampled_from(['a{i}="1"', "a{i}='>'", "a{i}", "a{i}=v", 'a<{i}="<b>"',
                                  "={i}", 'a{i}="x"y{i}']))
    if sep == "" and '"' not in style and "'" not in style:
        sep = " "
    tag = draw(st.sampled_from(["div", "p", "script", "title", "style", "x-y", "svg", "a",
                                "textarea", "plaintext", "iframe"]))
    end = draw(st.sampled_from([">", "/>", " />", "/ >"]))
    storm = f"<{tag} " + sep.join(style.format(i=i) for i in range(n)) + end + "storm text"
    before = draw(st.sampled_from([
        "", "<p>", "<script><!--<script></script><a b=\"</script>",
        "<script>var s='<a b=\"';</script>", "<!-->", "<!--->", "<!-- x --!>", "<!-- x -->",
        "<![CDATA[ <a b=\" ]]>", "<?php $a=\"?>", "<a =\"x>", "<a b=c=\"x>", "<noscript>",
        "<template>", "<svg><title>", "<textarea>", "</textarea>", "<style>", "</div a=\"",
        "<plaintext>", "<SCRIPT><!--<SCRIPT></SCRIPT><a b=\"</ScRiPt>", "<iframe>",
        "<textarea/>", "<script />", "<title a=b/>", "<xmp/ >", "<plaintext/>",
        "<style a='x'/>", "<noembed / >"]))
    after = draw(st.sampled_from(["", "</" + tag + ">", "\"", "</script>", "-->", ">"]))
    noise = draw(st.lists(fragments, max_size=2))
    return "".join(noise[:1]) + before + storm + after + "".join(noise[1:])
