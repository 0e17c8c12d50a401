"""Property tests over the ARGUMENTS (issue 17): any url, headers, lang, profile, profile
folder, format, include_* flags, limits, options object, rules and markup type gives a
result whose ``to_json()`` encodes, or a CleanerError; nothing else escapes.

Budgets as in html_strategies.py: ``HYPOTHESIS_PROFILE=ci`` (default) runs 80 + 40
examples; the long run is, once::

    HYPOTHESIS_PROFILE=long HYPOTHESIS_EXAMPLES=100000 .venv/bin/python -m pytest \\
        tests/properties/test_properties_args.py -q --hypothesis-show-statistics

(20,000 examples of clean_article, 10,000 of the other entry points).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import bs4
from html_strategies import budget, encoded_documents, html_documents, random_bytes
from hypothesis import event, given
from hypothesis import strategies as st
from lxml import etree

from cleaner import (
    CleanerError,
    CleanOptions,
    CleanResult,
    clean_article,
    clean_text,
)
from cleaner.pipeline import decode_page, parse_page
from cleaner.profiles import Profile
from cleaner.rules import default_rules

CODECS = ("utf-8", "koi8-r", "cp1251", "shift_jis", "utf-16", "utf-7", "latin-1", "hex",
          "base64", "rot13", "zlib", "bz2", "uu", "quopri", "idna", "punycode", "undefined",
          "unicode_escape", "raw_unicode_escape", "mbcs", "x-user-defined", "", "\ud800",
          "utf-8\x00", "a" * 300)
URLS = ("https://news.example/2025/06/story/", "https://pinecrest-post.example/news/a",
        "http://[::1", "http://[::1]:8080/", "http://a\uff03b/", "http://a\u2100b/",
        "http://x/\ud800", "//[", "http://", "not a url", "", "https://x.example:99999/",
        "http://" + "a" * 5000, "javascript:alert(1)", "http://user:pw@[v1.x]/")

text_values = st.one_of(st.sampled_from(("text/html", "text/html; charset=", "\ud800")),
                        st.sampled_from(CODECS).map(lambda c: f"text/html; charset={c}"),
                        st.text(max_size=40))
header_names = st.one_of(st.sampled_from(("Content-Type", "content-type", "CONTENT-TYPE",
                                          "X-Other")), st.text(max_size=12))
header_values = st.one_of(text_values, text_values.map(lambda v: v.encode("utf-8", "replace")),
                          st.lists(text_values, max_size=3), st.integers(), st.none())

# each argument: values it may take (odd ones included), and values of a wrong type or
# shape; an example breaks one argument at most (half of them none), so that many get
# through to a result
VALID = {
    "url": st.one_of(st.none(), st.sampled_from(URLS), st.text(max_size=60)),
    "headers": st.one_of(
        st.none(),
        st.dictionaries(header_names, header_values, max_size=4),
        st.dictionaries(header_names.map(lambda n: n.encode("utf-8", "replace")),
                        header_values, max_size=4),
        st.lists(st.tuples(header_names, header_values), max_size=4),
        st.lists(st.lists(header_names, min_size=2, max_size=2), max_size=3)),
    "format": st.sampled_from(("text", "markdown", "html", "json")),
    "include_comments": st.booleans(),
    "include_captions": st.booleans(),
    "text_layer": st.booleans(),
    "max_bytes": st.one_of(st.none(), st.integers(1, 50), st.integers(1, 10**9)),
    "max_nodes": st.one_of(st.none(), st.integers(1, 50), st.integers(1, 10**9)),
    "profile": st.one_of(st.none(), st.sampled_from(("pinecrest-post.example",
                                                     "pinecrest-post"))),
    "profiles_dir": st.none(),
    "how": st.sampled_from(("keywords", "options", "both")),
}
INVALID = {
    "url": st.sampled_from((b"http://x", 123, 1.5, ["http://x"], object())),
    "headers": st.one_of(
        st.text(max_size=30), st.binary(max_size=30), st.integers(), st.floats(),
        st.lists(st.one_of(st.text(max_size=5), st.integers()), min_size=1, max_size=3),
        st.sampled_from(([()], [("a",)], {"a", "b"}, object()))),
    "format": st.sampled_from(("pdf", "", "TEXT", None, 1, b"text", ["text"])),
    "include_comments": st.sampled_from((0, 1, "yes", None, [])),
    "include_captions": st.sampled_from((0, 1, "yes", None, [])),
    "text_layer": st.sampled_from((0, 1, "yes", None, [])),
    "max_bytes": st.sampled_from((True, False, 1.5, "100", 0, -5)),
    "max_nodes": st.sampled_from((True, False, 1.5, "100", 0, -5)),
    "profile": st.sampled_from((5, b"x", ["x"], "no-such-profile", "")),
    "profiles_dir": st.sampled_from(("/no/such/folder", "/dev/null", 5)),
    "how": st.just("bad-options"),
}
langs = st.one_of(st.none(), st.sampled_from(("en", "de-AT", "fr_CA", "xx", "", "123",
                                              "e" * 1000, "\ud800")),
                  st.text(max_size=8), st.sampled_from((1, b"en", ["en"], 2.0)))
limits = st.one_of(VALID["max_bytes"], INVALID["max_bytes"])
formats = st.one_of(VALID["format"], INVALID["format"], st.just("bad-options"))

# profiles made here: a Profile from odd fields, or a folder of odd TOML files
SELECTORS = ("div#story-text", "div.ppx-module", "h2 ~ div", "div > p + p", "p:not(.a)",
             "li:first-child", "*", "p:nth-child(2)", "div:has(p)", "p::before", "[[[",
             "a[href^='x']", "a|b", "", " ", ":empty", "div, p", "#\ud800")
profile_fields = st.fixed_dictionaries({
    "name": st.one_of(st.sampled_from(("t", "")), st.integers()),
    "host": st.one_of(st.sampled_from(("t.example", "http://[::1", "a b", "", "T.example.")),
                      st.integers()),
}, optional={
    "body": st.one_of(st.lists(st.sampled_from(SELECTORS), max_size=2).map(tuple),
                      st.sampled_from((["x"], "div", (1,)))),
    "strip": st.lists(st.sampled_from(SELECTORS), max_size=2).map(tuple),
    "strip_text": st.one_of(st.lists(st.text(max_size=20), max_size=2).map(tuple),
                            st.just(5)),
})
toml_values = st.one_of(
    st.sampled_from(('"t.example"', '"http://[::1"', "5", '["a"]', '"a b"', "{a = 1}",
                     '"pinecrest-post.example"', "true", "[]", '[1, "x"]')),
    st.lists(st.sampled_from(SELECTORS), max_size=2).map(
        lambda sels: "[" + ", ".join(repr(s.replace("\\", "")) for s in sels) + "]"))
toml_files = st.lists(st.dictionaries(
    st.sampled_from(("host", "name", "body", "strip", "strip_text", "test_urls", "notes",
                     "colour")), toml_values, max_size=4), min_size=1, max_size=2)
VALID["profile"] = st.one_of(VALID["profile"], profile_fields)
VALID["profiles_dir"] = st.one_of(st.none(), toml_files)


@st.composite
def article_arguments(draw: Any) -> dict[str, Any]:
    """clean_article's arguments, at most one of them of a wrong type or shape."""
    bad = draw(st.one_of(st.none(), st.sampled_from(sorted(VALID))))
    out = {name: draw(INVALID[name] if name == bad else VALID[name]) for name in VALID}
    out["bad"] = bad
    return out


markups = st.one_of(
    html_documents(), encoded_documents(), random_bytes, st.text(max_size=200),
    st.sampled_from(("html-tree", "html-element", "soup", "soup-tag", "soup-list",
                     "xpath", "qname", "parser", "none", "int", "list", "bytearray",
                     "memoryview", "str-subclass", "comment")).map(lambda k: ("kind", k)),
)


class _Str(str):
    def strip(self, *args: Any) -> str:  # a subclass whose methods are not str's
        raise RuntimeError("not called")


def _markup(value: Any) -> Any:
    """Odd markup types, made here (hypothesis cannot build lxml objects itself)."""
    if not (isinstance(value, tuple) and value[:1] == ("kind",)):
        return value
    page = "<article><p>The council voted to close the old bridge for repairs.</p></article>"
    soup = bs4.BeautifulSoup(page, "html.parser")
    return {
        "html-tree": lambda: etree.ElementTree(etree.fromstring(page, etree.HTMLParser())),
        "html-element": lambda: etree.fromstring(page, etree.HTMLParser()),
        "soup": lambda: soup, "soup-tag": lambda: soup.p, "soup-list": lambda: soup("p"),
        "xpath": lambda: etree.XPath("//a"), "qname": lambda: etree.QName("a"),
        "parser": etree.HTMLParser, "none": lambda: None, "int": lambda: 5,
        "list": lambda: [page], "bytearray": lambda: bytearray(page.encode()),
        "memoryview": lambda: memoryview(page.encode()), "str-subclass": lambda: _Str(page),
        "comment": lambda: etree.Comment("x"),
    }[value[1]]()


def _profile_dir(files: Any, tmp: Path) -> Any:
    if not isinstance(files, list):
        return files
    for i, keys in enumerate(files):
        body = "\n".join(f"{k} = {v}" for k, v in keys.items())
        (tmp / f"site{i}.toml").write_text(body, encoding="utf-8")
    return str(tmp)


def _check(result: object) -> None:
    assert isinstance(result, CleanResult), type(result)
    assert isinstance(result.content, str)
    result.to_json().encode("utf-8")


def _contract(call: Any) -> str:
    """Run ``call``: a result whose JSON encodes, or a CleanerError; anything else fails."""
    try:
        result = call()
    except CleanerError as exc:
        return f"CleanerError: {type(exc).__name__}"
    if isinstance(result, (str, etree._Element)) or result is None:
        return "page"  # decode_page, parse_page
    _check(result)
    return "result"


@budget(0.2)
@given(markup=markups, args=article_arguments())
def test_clean_article_arguments_give_a_result_or_a_cleaner_error(markup, args):
    tmp = Path(tempfile.mkdtemp(prefix="cleaner-args-"))
    try:
        html = _markup(markup)
        folder = _profile_dir(args["profiles_dir"], tmp)
        url, headers, how, profile = args["url"], args["headers"], args["how"], args["profile"]

        def call() -> object:
            prof = Profile(**profile) if isinstance(profile, dict) else profile
            fields = {name: args[name] for name in (
                "format", "include_comments", "include_captions", "text_layer",
                "max_bytes", "max_nodes")}
            fields.update(profile=prof, profiles_dir=folder)
            if how == "keywords":
                return clean_article(html, url, headers=headers, **fields)
            if how == "bad-options":
                return clean_article(html, url, headers=headers, options=fields)
            opts = CleanOptions(**fields)
            if how == "options":
                return clean_article(html, url, headers=headers, options=opts)
            return clean_article(html, url, headers=headers, options=opts, format="json")

        event(f"{_contract(call)} (wrong: {args['bad'] or 'none'})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@budget(0.1)
@given(text=st.one_of(st.text(max_size=300), random_bytes, markups),
       lang=langs, fmt=formats, max_bytes=limits, url=st.one_of(VALID["url"], INVALID["url"]),
       headers=st.one_of(VALID["headers"], INVALID["headers"]),
       rules=st.sampled_from((None, "default", "junk", 5)),
       entry=st.sampled_from(("clean_text", "decode_page", "parse_page")))
def test_other_entry_points_give_a_result_or_a_cleaner_error(text, lang, fmt, max_bytes, url,
                                                             headers, rules, entry):
    value = _markup(text)
    ruleset = default_rules() if rules == "default" else rules

    def call() -> object:
        if entry == "clean_text":
            return clean_text(value, lang=lang, format=fmt, rules=ruleset,
                              max_bytes=max_bytes)
        opts: Any = CleanOptions(max_bytes=max_bytes) if fmt != "bad-options" else {}
        if entry == "decode_page":
            return decode_page(value, headers=headers, options=opts)
        return parse_page(value, url, headers=headers, options=opts)

    event(f"{entry}: {_contract(call)}")
