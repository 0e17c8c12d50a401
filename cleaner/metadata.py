"""Metadata: title, author, date, site name, language, canonical URL, description.

Sources in order of trust: JSON-LD, OpenGraph, other ``<meta>``, then the page itself.
Runs on the parsed tree before pruning (which drops ``<head>`` and scripts).
"""

from __future__ import annotations

import json
import re
from itertools import islice
from typing import Any

from lxml import etree

from .dom import AttributeOwners, Element, inside_any, owners, spaced_text_of, text_of
from .lang import normalize_lang
from .textnorm import collapse_spaces, without_surrogates

__all__ = ["extract_metadata", "FIELDS"]

FIELDS = ("title", "author", "date", "site_name", "language", "url", "description")
_ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "reportagenewsarticle",
                  "analysisnewsarticle", "opinionnewsarticle", "reviewnewsarticle",
                  "backgroundnewsarticle", "techarticle", "scholarlyarticle", "report",
                  "liveblogposting", "posting", "socialmediaposting", "webpage",
                  "medicalwebpage", "howto", "recipe", "discussionforumposting", "question"}
# a page of these types is a discussion: its replies are its content, not reader comments
DISCUSSION_TYPES = frozenset({"discussionforumposting", "qapage", "question"})
# attributes, their elements read in Python: a predicate on every element costs twice
# as much in libxml2, and its parent step ("/..") is quadratic in the elements found
# ("/descendant::*/@x" is "//@x" without a walk of the text nodes)
_ITEM_SCOPES = etree.XPath("/descendant::*/@itemscope")
_DATE_PUBLISHED = etree.XPath('/descendant::*/@itemprop[. = "datePublished"]')


# byline markup: rel/itemprop author, hCard names, and author / byline classes. The
# class values only narrow by substring (in Python: an XPath contains() copies each
# value, three times the cost of the step); _is_byline checks the class tokens.
# ("//body/descendant-or-self::*/@x" is "//body//@x" without a walk of the text nodes.)
_BYLINE_CLASSES = frozenset(("author", "byline", "fn", "author-name", "entry-author",
                             "post-author", "article-author", "story-byline"))


def _byline_word(value: str) -> bool:
    return "author" in value or "byline" in value or "fn" in value


_BYLINE_ATTRS = AttributeOwners(
    ("//body/descendant-or-self::*/@class", _byline_word),
    "//body/descendant-or-self::*/@rel[. = 'author']",
    "//body/descendant-or-self::*/@itemprop[. = 'author']")


def _is_byline(el: Element) -> bool:
    if el.get("rel") == "author" or el.get("itemprop") == "author":
        return True
    cls = el.get("class") or ""
    return ("__byline" in cls or "__author" in cls
            or not _BYLINE_CLASSES.isdisjoint(cls.split()))


# boxes whose author names are not the article's (comments, bios, teasers)
_NOT_BYLINE = re.compile(r"(?:^|[\s_-])(?:comments?|comment-\w+|bio|author-bio|author-box|"
                         r"avatar|related|cards?|teasers?|widget)(?:$|[\s_-])", re.I)
_BY_PREFIX = re.compile(r"^(?:by|von|par|por|di|door|written by|posted by|text|texte|"
                        r"autor(?:in)?|author|auteur)\s*:?\s+", re.I)
_NAME_END = re.compile(r"\s*(?:[·|•,;(–—]|\s-\s|\bon\b|\bupdated\b|\d).*$", re.I)
_NOT_A_NAME = re.compile(r"\b(?:posts?|articles?|view|voir|more|all|read|see|profile|"
                         r"follow|email)\b", re.I)
_NAME = re.compile(r"^[^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*){0,4}$")


def _byline_name(el: Element) -> str | None:
    """The person named by one byline element, or None when it names nobody."""
    for a in el.iter("a"):
        href = a.get("href") or ""
        if a.get("rel") == "author" or "/author/" in href or "/by/" in href or \
                "fn" in (a.get("class") or "").split():
            text = collapse_spaces(text_of(a))
            if _NAME.match(text) and not _NOT_A_NAME.search(text):
                return text
    first = next((line for line in spaced_text_of(el, "\n").split("\n") if line.strip()), "")
    text = _BY_PREFIX.sub("", collapse_spaces(first))
    text = _NAME_END.sub("", text).strip()
    if _NAME.match(text) and not _NOT_A_NAME.search(text) and text[0].isupper():
        return text
    return None


def _author_from_bylines(root: Element) -> str | None:
    candidates = _BYLINE_ATTRS(root)
    for el in islice(filter(_is_byline, candidates), 20):
        near = [el, *islice(el.iterancestors(), 4)]  # not <body class="comments-open">
        if any(a.tag not in ("body", "html") and
               _NOT_BYLINE.search((a.get("class") or "") + " " + (a.get("id") or ""))
               for a in near):
            continue
        name = _byline_name(el)
        if name:
            return name
    return None
_TITLE_SEP = re.compile(r"\s+[|\-–—:·•»]\s+")
_META_KEYS = {
    "og:title": "og_title", "og:site_name": "site_name", "og:description": "og_description",
    "og:url": "og_url", "og:locale": "og_locale", "article:published_time": "og_date",
    "article:author": "og_author", "twitter:title": "tw_title",
    "author": "m_author", "byl": "m_author", "dc.creator": "m_author",
    "sailthru.author": "m_author", "parsely-author": "m_author", "citation_author": "m_author",
    "description": "m_description", "dc.description": "m_description",
    "date": "m_date", "pubdate": "m_date", "publishdate": "m_date", "publish-date": "m_date",
    "publish_date": "m_date", "dc.date": "m_date", "dc.date.issued": "m_date",
    "dcterms.date": "m_date", "dcterms.created": "m_date", "citation_publication_date":
    "m_date", "parsely-pub-date": "m_date", "sailthru.date": "m_date",
    "article.published": "m_date", "article_date_original": "m_date",
    "content-language": "m_lang", "dc.language": "m_lang", "language": "m_lang",
    "application-name": "m_site",
}


_NAMES_DEPTH = 16     # lists and {"name": ...} objects nested deeper hold no real name
_NAMES_MAX = 50       # names joined at most (an author list, a publisher)


def _names(value: Any) -> str | None:
    """The name(s) in a JSON-LD value: a string, ``{"name": ...}``, or a list of those
    (joined with "; "). Walked with a stack, not recursion: JSON-LD nested thousands of
    levels deep costs its size, never a RecursionError.

    >>> _names([{"name": "Ann  Lee"}, "Bo", ["Ann Lee"]]), _names([[[[]]]])
    ('Ann Lee; Bo', None)
    """
    names: list[str] = []
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack and len(names) < _NAMES_MAX:
        item, depth = stack.pop()
        if isinstance(item, str):
            name = collapse_spaces(without_surrogates(item))
            if name:
                names.append(name)
        elif depth >= _NAMES_DEPTH:
            continue
        elif isinstance(item, dict):
            stack.append((item.get("name"), depth + 1))
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in reversed(item))
    return "; ".join(dict.fromkeys(names)) or None


def _ld_items(raw: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(raw, strict=False)
    except (ValueError, RecursionError):
        return []
    out: list[dict[str, Any]] = []
    stack = [data]
    while stack and len(out) < 200:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            out.append(item)
            if isinstance(item.get("@graph"), list):
                stack.extend(reversed(item["@graph"]))
    return out


def _types(item: dict[str, Any]) -> set[str]:
    t = item.get("@type")
    if isinstance(t, str):
        return {t.lower()}
    if isinstance(t, list):
        return {x.lower() for x in t if isinstance(x, str)}
    return set()


def _from_json_ld(scripts: list[str]) -> tuple[dict[str, Any], int]:
    """The fields of the page's JSON-LD article, and which script declared it."""
    found: dict[str, Any] = {}
    best = None
    site = None
    at = -1
    discussion = False
    for i, raw in enumerate(scripts):
        for item in _ld_items(raw):
            types = _types(item)
            discussion = discussion or bool(types & DISCUSSION_TYPES)
            if best is None and types & _ARTICLE_TYPES and "webpage" not in types:
                best, at = item, i
            if site is None and types & {"website", "organization", "newsmediaorganization"}:
                site = _names(item.get("name"))
    if discussion:
        found["_discussion"] = True
    if best is None:
        if site:
            found["site_name"] = site
        return found, at
    found["title"] = _names(best.get("headline")) or _names(best.get("name"))
    found["author"] = _names(best.get("author")) or _names(best.get("creator"))
    date = best.get("datePublished") or best.get("dateCreated")
    found["date"] = without_surrogates(date.strip()) if isinstance(date, str) else None
    pub = best.get("publisher")
    found["site_name"] = _names(pub) if isinstance(pub, (dict, list)) else site
    found["description"] = _names(best.get("description"))
    lang = best.get("inLanguage")
    found["language"] = normalize_lang(lang) if isinstance(lang, str) else None
    url = best.get("url") or best.get("mainEntityOfPage")
    if isinstance(url, dict):
        url = url.get("@id") or url.get("url")
    found["url"] = without_surrogates(url) if isinstance(url, str) and \
        url.startswith("http") else None
    body = best.get("articleBody")
    if body is None and _types(best) & DISCUSSION_TYPES:
        body = best.get("text")   # a forum post's or a question's own text
    if isinstance(body, str):
        found["_article_body"] = without_surrogates(body)
    return {k: v for k, v in found.items() if v}, at


def declares_discussion(root: Element, ld: dict[str, Any]) -> bool:
    """The page declares itself a discussion (a forum thread, a question and its
    answers): a schema.org DiscussionForumPosting, QAPage or Question in its JSON-LD,
    or as the type of an outermost microdata item."""
    if ld.get("_discussion"):
        return True
    scopes = owners(_ITEM_SCOPES(root))
    marked = set(scopes)
    memo: dict[Element, bool] = {}
    for el in scopes:
        t = el.get("itemtype")
        if t is not None and t.rstrip("/ ").rpartition("/")[2].lower() in DISCUSSION_TYPES \
                and not inside_any(el, marked, memo):
            return True
    return False


def _clean_title(title: str, site: str | None, h1: str | None) -> str:
    title = collapse_spaces(title)
    if h1 and h1 in title:
        return h1
    parts = _TITLE_SEP.split(title)
    if len(parts) > 1:
        if site:
            kept = [p for p in parts if p.lower() != site.lower()]
            if kept and len(kept) < len(parts):
                return " - ".join(kept) if len(kept) > 1 else kept[0]
        longest = max(parts, key=len)
        if len(longest.split()) >= 3:
            return longest
    return title


def _date_published(root: Element) -> str | None:
    """The first content or datetime attribute of an itemprop="datePublished" element."""
    for el in owners(_DATE_PUBLISHED(root)):
        for name, value in el.items():
            if name in ("content", "datetime"):
                return str(value).strip()
    return None


_TAGS = ("script", "meta", "title", "h1", "link", "time")


def extract_metadata(root: Element, url: str | None = None) -> dict[str, Any]:
    """Metadata of a parsed page, each field None when nothing trustworthy was found."""
    # one C-level pass collects every element the fields come from
    scripts: list[str] = []
    script_els: list[Element] = []
    meta: dict[str, str] = {}
    title_text = h1 = canonical = time_attr = None
    for el in root.iter(*_TAGS):
        tag = el.tag
        if tag == "meta":
            key = el.get("property") or el.get("name") or el.get("itemprop") \
                or el.get("http-equiv")
            if not key:
                continue
            slot = _META_KEYS.get(key.strip().lower())
            if slot and slot not in meta:
                value = collapse_spaces(el.get("content") or "")
                if value:
                    meta[slot] = value
        elif tag == "script":
            # the type first: reading a script's text copies it (50 KB of code a page)
            if (el.get("type") or "").strip().lower() == "application/ld+json":
                text = el.text  # read once: each read is a copy
                if text:
                    scripts.append(text)
                    script_els.append(el)
        elif tag == "title":
            if title_text is None and el.text:
                title_text = el.text
        elif tag == "h1":
            if h1 is None:
                h1 = collapse_spaces(text_of(el)) or None
        elif tag == "link":
            if canonical is None and (el.get("rel") or "").lower() == "canonical":
                canonical = (el.get("href") or "").strip() or None
        elif time_attr is None:
            time_attr = (el.get("datetime") or "").strip() or None
    ld, ld_at = _from_json_ld(scripts)
    site = ld.get("site_name") or meta.get("site_name") or meta.get("m_site")
    page_title = _clean_title(title_text, site, h1) if title_text else None
    title = ld.get("title") or meta.get("og_title") or meta.get("tw_title") or page_title or h1
    author = ld.get("author") or meta.get("og_author") or meta.get("m_author")
    if not author:
        author = _author_from_bylines(root)
    if author and author.startswith("http"):
        author = None
    date = ld.get("date") or meta.get("og_date") or meta.get("m_date") or time_attr
    if not date:
        date = _date_published(root)
    lang = normalize_lang(root.get("lang") or root.get("xml:lang")) or ld.get("language") \
        or normalize_lang(meta.get("og_locale")) or normalize_lang(meta.get("m_lang"))
    page_url = ld.get("url") or meta.get("og_url") or canonical or \
        (without_surrogates(url) if isinstance(url, str) else None)
    description = ld.get("description") or meta.get("og_description") or \
        meta.get("m_description")
    out: dict[str, Any] = {
        "title": title, "author": author, "date": date, "site_name": site,
        "language": lang, "url": page_url, "description": description,
    }
    if declares_discussion(root, ld):
        out["_discussion"] = True
    if "_article_body" in ld:
        out["_article_body"] = ld["_article_body"]
        out["_article_body_at"] = script_els[ld_at]  # the script, for the text's path
    return out
