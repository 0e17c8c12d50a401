"""The body decision, with a second look before it is final, and how sure it is.

The scorer (:mod:`.choose`) proposes a box. Before it is taken, it is checked against
what else the page says:

- **prose**: how much of the page's prose (long, sentence-like, low-link text outside
  chrome boxes) the box holds, against its best rival elsewhere on the page;
- **the page's own declaration**: JSON-LD ``articleBody``. When the box holds little of
  it and a box of the page holds most of it, that box is the body;
- **the page's own naming**: on a page of little prose, the one box named as the article's
  body (entry-content, articleBody) with text of its own beats a box apart from it that
  no such name covers (a short post's line against a column of blurbs or a bio);
- **a second extractor**: when the box holds almost none of a prose-rich page's prose,
  readability-lxml reads the page too; when it finds a box with far more prose that is
  not a chrome box, its box is the body (trafilatura's fallback idea, made visible).

``confidence`` (0 to 1) comes from the same signals; :func:`body_metadata` is what
``result.metadata["body"]`` says: the box, its runner-up, what decided.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from ..dom import Element, PathIndex, inside_any, text_of
from . import weights as S
from .boxes import article_body_box, hint_text
from .choose import candidates, top_candidate, with_posts, with_siblings
from .scores import Scores, measure

__all__ = ["BodyDecision", "decide", "confidence", "body_metadata"]

# a character of a script written without spaces (Han, kana) is a word of its own; other
# words are runs of word characters outside those (one class: no lookahead per character)
_WORD = re.compile(S.WIDE_SCRIPT + r"|[^\W" + S.WIDE_SCRIPT.strip("[]") + r"]+")


@dataclass
class BodyDecision:
    """The chosen containers, what chose them, the rival and the evidence."""

    containers: list[Element]
    decided_by: str = "scores"      # scores, profile, json-ld, json-ld-text, named, post,
                                    # headline, readability, fallback
    runner_up: Element | None = None
    signals: dict[str, float] = field(default_factory=dict)


def _words(text: str) -> Counter[str]:
    if text.isascii():  # lowered at once: the same words (no letter changes its length)
        return Counter(_WORD.findall(text.lower()))
    return Counter(map(str.lower, _WORD.findall(text)))


def _words_of(containers: list[Element]) -> Counter[str]:
    out: Counter[str] = Counter()
    for c in containers:
        out.update(_words(text_of(c)))
    return out


def _prose(sc: Scores, containers: list[Element]) -> int:
    return sum(sc.good.get(c, 0) for c in containers)


def _rival(body: Element, sc: Scores, top: Element, pool: list[Element]) -> Element | None:
    """The best candidate that neither holds the top box nor sits inside it."""
    around = set(top.iterancestors())
    weight = S.GAIN_POINTS_PER_100 / 100
    best, best_value = None, float("-inf")
    inside: dict[Element, bool] = {}
    for el in pool:
        if el is top or el in around or el is body or inside_any(el, {top}, inside):
            continue
        value = sc.final(el) + weight * sc.gain(el)
        if value > best_value:
            best, best_value = el, value
    return best


def _declared_box(body: Element, sc: Scores,
                  want: Counter[str]) -> tuple[Element | None, float]:
    """The smallest box holding every paragraph-like box whose words are mostly the
    JSON-LD articleBody's (its words: ``want``), and the share of them it holds."""
    total = sum(want.values())
    hits = _outermost_hits(body, sc, want)
    if not hits:
        return None, 0.0
    box = _common(body, hits)
    got = sum((_words(text_of(box)) & want).values()) / total if total else 0.0
    return box, got


_HIT_TAGS = frozenset({"p", "div", "li", "td"})


def _outermost_hits(body: Element, sc: Scores, want: Counter[str]) -> list[Element]:
    """The boxes with prose whose text is mostly ``want``'s words, none inside another
    (a hit's inner hits cannot change the box around them), in document order: one
    walk that does not enter a hit. A wrapper with one child and no text of its own
    reads as that child, so a deep chain is read, and walked, once."""
    good = sc.good
    memo: dict[Element, tuple[bool, Element]] = {}
    out: list[Element] = []
    stack = [body]
    while stack:
        el = stack.pop()
        # prose in a comment box counts: a forum's posts, the declared one among them
        if el.tag in _HIT_TAGS and (good.get(el, 0) > 0 or
                                    sc.chrome_prose.get(el, 0) > 0):
            hit, end = _reads_as(el, want, memo)
            if hit:
                out.append(el)
                continue
            el = end  # the wrappers between read the same: no hit among them
        stack.extend(c for c in reversed(el) if isinstance(c.tag, str))
    return out


def _reads_as(el: Element, want: Counter[str],
              memo: dict[Element, tuple[bool, Element]]) -> tuple[bool, Element]:
    """Whether ``el``'s text is mostly ``want``'s words, and the element at the end of
    its chain of one-child wrappers (every wrapper on it reads the same)."""
    chain = []
    node = el
    while node not in memo and len(node) == 1 and not (node.text or "").strip() and \
            not (node[0].tail or "").strip() and isinstance(node[0].tag, str):
        chain.append(node)
        node = node[0]
    known = memo.get(node)
    if known is None:
        known = memo[node] = (_contained(text_of(node), want), node)
    for n in chain:
        memo[n] = known
    return known


def _contained(text: str, want: Counter[str]) -> bool:
    words = _words(text)
    n = sum(words.values())
    return n >= S.DECLARED_MIN_WORDS and sum((words & want).values()) >= 0.9 * n


def _common(body: Element, nodes: list[Element]) -> Element:
    """The deepest element holding every one of ``nodes``: the first one's ancestors,
    cut back to where each next one's line of ancestors meets them (each element is
    walked once: a walked one remembers where its line met)."""
    line = [nodes[0], *nodes[0].iterancestors()]
    line.reverse()                        # root first: line[i] is at depth i
    meets = {el: i for i, el in enumerate(line)}
    deepest = len(line) - 1
    for el in nodes[1:]:
        walked = []
        node: Element | None = el
        while node is not None and node not in meets:
            walked.append(node)
            node = node.getparent()
        if node is None:
            return body
        deepest = min(deepest, meets[node])
        for w in walked:
            meets[w] = deepest
    return line[deepest]


def headline(body: Element, title: str | None) -> Element | None:
    """The page's headline element: the first h1-h3 whose text is the title's (or the
    title with the site's name around it)."""
    if not title:
        return None
    want = _plain(title)
    for el in body.iter("h1", "h2", "h3"):
        text = _plain(text_of(el))
        if len(text) >= S.HEADLINE_MIN_CHARS and (text == want or text in want or
                                                  want in text):
            return el
    return None


_TYPOGRAPHIC = str.maketrans({"\u2026": "...", "\u2018": "'", "\u2019": "'",
                              "\u201c": '"', "\u201d": '"'})


def _plain(text: str) -> str:
    """Lowercased, spaces collapsed, typographic ellipsis and quotes as typed ones (a
    <title> and its <h1> are often set apart so)."""
    return " ".join(text.translate(_TYPOGRAPHIC).split()).lower()


def _near_headline(head: Element, containers: list[Element]) -> float:
    """1 when the body holds the headline, HEADLINE_NEAR when the headline sits just
    before it (a few levels up), 0 when the body is elsewhere on the page."""
    above = set(head.iterancestors())
    for c in containers:
        if c is head or c in above:
            return 1.0
    first = containers[0]
    for level, anc in enumerate(first.iterancestors()):
        if level >= S.HEADLINE_LEVELS:
            break
        if anc in above:
            return S.HEADLINE_NEAR
    return 0.0


def _with_headline(body: Element, sc: Scores, head: Element,
                   decision: BodyDecision) -> None:
    """A body of little prose far from the page's headline (an API reference's
    description among its parameters and responses, each too short to be prose) widens
    to the smallest box holding both, when the body is not named as the article's body
    (a blog post's entry-content under its title), and that box is little linked,
    outside chrome, and holds at most HEADED_BODY_MAX_GROWTH times the body's text."""
    conts = decision.containers
    if len(conts) != 1 or any(article_body_box(a) for a in (conts[0],
                                                            *conts[0].iterancestors())):
        return  # a post's named body apart from its title is the article, as it stands
    above = set(head.iterancestors())
    box = next((a for a in conts[0].iterancestors() if a in above), None)
    if box is None or box is body or box.getparent() is None:
        return
    n = sc.chars.get(box, 0)
    if n > S.HEADED_BODY_MAX_GROWTH * max(1, sc.chars.get(conts[0], 0)) or \
            sc.density(box) >= S.HEADED_BODY_MAX_LINK_DENSITY or box in sc.chrome or \
            inside_any(box, sc.chrome, {}):
        return
    _take(decision, sc, body, box, "headline")


def decide(root: Element, body: Element, sc: Scores, *, article_body: str | None = None,
           second_opinion: Callable[[Element], str | None] | None = None,
           title: str | None = None,
           residue_share: Callable[[Element], float] | None = None) -> BodyDecision:
    """Choose the body: the scorer's box, unless it is mostly residue (a notice, a
    sign-up box: ``residue_share``), checked against the page's JSON-LD and, on a
    prose-rich page where it holds almost no prose, a second extractor's box."""
    pool = candidates(body, sc)
    top = top_candidate(body, sc, pool)
    for _ in range(S.RESIDUE_RETRIES):
        # only a small box can be mostly a notice or a sign-up form
        if residue_share is None or top is body or \
                sc.chars.get(top, 0) > S.RESIDUE_CHECK_MAX_CHARS or \
                residue_share(top) < S.RESIDUE_BODY_SHARE:
            break
        # residue cannot be the body: the next best box outside it
        pool = [el for el in pool if el is not top and
                not any(a is top for a in el.iterancestors())]
        top = top_candidate(body, sc, pool)
    decision = BodyDecision(containers=with_posts(with_siblings(top, body, sc), body, sc))
    decision.runner_up = _rival(body, sc, top, pool)
    page_prose = max(1, sc.good.get(body, 0))
    prose = _prose(sc, decision.containers)
    signals = decision.signals
    signals["prose"] = prose
    signals["page_prose"] = sc.good.get(body, 0)
    signals["prose_share"] = min(1.0, prose / page_prose)
    rival = decision.runner_up
    signals["rival_ratio"] = (sc.good.get(rival, 0) / max(1, prose)) if rival is not None \
        else 0.0
    head = headline(body, title)
    if head is not None and decision.containers:
        signals["headline"] = _near_headline(head, decision.containers)
    if article_body and measure(article_body)[0] >= S.DECLARED_MIN_CHARS:
        _check_declared(body, sc, article_body, decision)
    if decision.decided_by == "scores" and prose < S.NAMED_BODY_MAX_PROSE:
        _check_named(body, sc, decision)
    if decision.decided_by == "scores" and head is not None:
        _without_other_posts(body, sc, decision, head)
    if decision.decided_by == "scores" and prose < S.HEADED_BODY_MAX_PROSE and \
            head is not None and signals.get("headline") == 0.0:
        _with_headline(body, sc, head, decision)
    if second_opinion is not None and decision.decided_by == "scores" and \
            signals["page_prose"] >= S.SECOND_OPINION_MIN_PAGE_PROSE and \
            signals["prose_share"] < S.SECOND_OPINION_MAX_SHARE:
        _ask_second(root, body, sc, second_opinion, decision)
    elif second_opinion is not None and decision.decided_by == "scores":
        near = _near_rivals(body, sc, top, pool)
        if near:
            _break_tie(root, body, sc, second_opinion, decision, top, near)
    if not signals["prose"]:
        # the body's prose all sits in chrome boxes (it was chosen inside one, or keeps
        # one holding most of its text): that prose, against the page's and the rival's
        # with chrome counted, for the confidence
        held = sum(sc.prose_in_chrome(c) for c in decision.containers)
        if held:
            signals["chrome_prose"] = held
            signals["chrome_prose_share"] = min(1.0, held / max(1, sc.page_prose))
            rival_held = sc.good.get(rival, 0) or sc.prose_in_chrome(rival) \
                if rival is not None else 0
            signals["chrome_rival_ratio"] = rival_held / held
    return decision


def _near_rivals(body: Element, sc: Scores, top: Element,
                 pool: list[Element]) -> list[Element]:
    """The candidates apart from the top box (neither holding it nor inside it, nor the
    box it was narrowed from) that score within CONTESTED_SHARE of the best: a choice
    the scores barely made."""
    weight = S.GAIN_POINTS_PER_100 / 100
    values = {el: sc.final(el) + weight * sc.gain(el) for el in pool}
    pick = max(values, key=values.__getitem__, default=None)
    if pick is None or values[pick] <= 0 or top is body:
        return []
    around = {*top.iterancestors(), *pick.iterancestors()}
    inside: dict[Element, bool] = {}
    return [el for el, v in values.items()
            if v >= S.CONTESTED_SHARE * values[pick] and el is not top and el is not pick
            and el not in around and not inside_any(el, {top, pick}, inside)]


def _break_tie(root: Element, body: Element, sc: Scores,
               second_opinion: Callable[[Element], str | None], decision: BodyDecision,
               top: Element, near: list[Element]) -> None:
    """Two boxes scored alike: a near rival holding TIE_HELD_RATIO times more of a
    second extractor's text than the body is the body."""
    text = second_opinion(root)
    if not text:
        return
    want = _words(text)
    agree = decision.signals["second_agrees"] = _held(decision.containers, want)
    if agree >= S.DECLARED_AGREES:
        return
    held = {el: _held([el], want) for el in near if el not in sc.chrome}
    best = max(held, key=held.__getitem__, default=None)
    if best is not None and held[best] >= S.TIE_HELD_RATIO * max(agree, S.TIE_HELD_MIN):
        _take(decision, sc, body, best, "readability")
        decision.signals["second_agrees"] = held[best]


def _held(containers: list[Element], want: Counter[str]) -> float:
    """The share of a text's words (``want``: :func:`_words`) that the containers hold."""
    return sum((_words_of(containers) & want).values()) / (sum(want.values()) or 1)


def _take(decision: BodyDecision, sc: Scores, body: Element, box: Element,
          by: str) -> None:
    decision.containers = [box]
    decision.decided_by = by
    decision.signals["prose"] = prose = _prose(sc, [box])
    decision.signals["prose_share"] = min(1.0, prose / max(1, sc.good.get(body, 0)))


def _check_declared(body: Element, sc: Scores, article_body: str,
                    decision: BodyDecision) -> None:
    want = _words(article_body)
    held = decision.signals["declared_held"] = _held(decision.containers, want)
    if held >= S.DECLARED_AGREES:
        return
    box, got = _declared_box(body, sc, want)
    if box is not None and got >= S.DECLARED_AGREES and box is not body:
        _take(decision, sc, body, box, "json-ld")
        decision.signals["declared_held"] = got
        return
    # a shell its scripts fill in: the page shows little of what it declares, nowhere,
    # and less text than it declares; the declaration stands in for the body
    if held < S.DECLARED_STAND_IN_HELD and \
            measure(article_body)[0] > sum(sc.chars.get(c, 0) for c in decision.containers) \
            and _held([body], want) < S.DECLARED_STAND_IN_HELD:
        decision.decided_by = "json-ld-text"


def _named_boxes(body: Element, sc: Scores) -> list[Element]:
    """The outermost boxes named as the article's body, outside chrome, with text."""
    found: set[Element] = set()
    memo: dict[Element, bool] = {}
    for el in body.iter("div", "section", "main", "article", "td"):
        if el in sc.chars and article_body_box(el) and not inside_any(el, found, memo) \
                and el not in sc.chrome and not inside_any(el, sc.chrome, memo):
            found.add(el)
    chars, links = sc.chars, sc.links
    return [el for el in found
            if chars[el] - links.get(el, 0) >= S.NAMED_BODY_MIN_CHARS
            and links.get(el, 0) < S.NAMED_BODY_MAX_LINKS * chars[el]
            and not any("comment" in hint_text(a) for a in el.iterancestors())]


def _check_named(body: Element, sc: Scores, decision: BodyDecision) -> None:
    """On a page of little prose, the one box named as the article's body (entry-content,
    articleBody) is the body when the scorer chose a box apart from it that no such name
    covers: a short post's line against a column of blurbs or an author's bio."""
    conts = decision.containers
    memo: dict[Element, bool] = {}
    if any(article_body_box(a) for c in conts for a in (c, *c.iterancestors())):
        return
    named = _named_boxes(body, sc)
    if len(named) != 1:
        return
    box = named[0]
    if any(c is box or inside_any(c, {box}, memo) or inside_any(box, {c}, {}) for c in conts):
        return
    _take(decision, sc, body, box, "named")


def _without_other_posts(body: Element, sc: Scores, decision: BodyDecision,
                         head: Element) -> None:
    """The <article> holding the page's headline and a paragraph of prose is the post;
    a box holding two or more <article>s of excerpt size (other posts' teasers, a "you
    may also like" box) is not part of it: chosen or joined beside the post, it goes, and
    a box holding the post and, for the rest of its prose, such boxes is the post."""
    post = next((a for a in head.iterancestors("article")), None)
    if post is None or sc.good.get(post, 0) < S.SIBLING_MIN_GOOD:
        return
    good = sc.good
    around = set(post.iterancestors())
    kept: list[Element] = []
    for c in decision.containers:
        if c is post or post in c.iterancestors():
            kept.append(c)
        elif c in around:
            path = [post]
            for a in post.iterancestors():
                if a is c:
                    break
                path.append(a)
            others = [sib for node in path
                      for sib in (*node.itersiblings(etree.Element, preceding=True),
                                  *node.itersiblings(etree.Element))
                      if _other_posts(sib, sc)]
            rest = good.get(c, 0) - good.get(post, 0) - sum(good.get(o, 0) for o in others)
            kept.append(post if others and rest < S.SIBLING_MIN_GOOD else c)
        elif not _other_posts(c, sc):
            kept.append(c)
    kept = list(dict.fromkeys(kept))
    if kept == decision.containers:
        return
    if not any(c is post or c in around for c in kept):
        _take(decision, sc, body, post, "post")
        return
    decision.containers = kept
    decision.decided_by = "post"
    decision.signals["prose"] = prose = _prose(sc, kept)
    decision.signals["prose_share"] = min(1.0, prose / max(1, good.get(body, 0)))


def _other_posts(box: Element, sc: Scores) -> bool:
    """Two or more <article>s in the box, each of excerpt size (under EXCERPT_MAX_CHARS)."""
    posts = list(box.iterdescendants("article"))
    return len(posts) >= 2 and all(sc.chars.get(p, 0) < S.EXCERPT_MAX_CHARS for p in posts)


def _ask_second(root: Element, body: Element, sc: Scores,
                second_opinion: Callable[[Element], str | None],
                decision: BodyDecision) -> None:
    text = second_opinion(root)
    if not text:
        return
    want = _words(text)
    agree = decision.signals["second_agrees"] = _held(decision.containers, want)
    if agree >= S.DECLARED_AGREES:
        return
    box, got = _declared_box(body, sc, want)
    if box is None or got < S.DECLARED_AGREES or box is body or box in sc.chrome:
        return
    if _prose(sc, [box]) >= S.SECOND_OPINION_PROSE_RATIO * max(1, decision.signals["prose"]):
        _take(decision, sc, body, box, "readability")


def readability_box(root: Element) -> str | None:
    """readability-lxml's article text for the (pruned) page, or None when it fails."""
    try:
        from readability import Document
        summary = Document(etree.tostring(root, encoding="unicode", method="html")).summary()
    except Exception:
        return None
    try:
        parsed = etree.fromstring(summary, etree.HTMLParser())
    except (etree.LxmlError, ValueError):
        return None
    return text_of(parsed) if parsed is not None else None


def confidence(decision: BodyDecision, text_chars: int, *, paragraph: bool = True) -> float:
    """How sure the body decision is, 0 to 1 (below 0.5: worth a look).

    Full marks need a body with a few paragraphs of prose (PROSE_FULL characters) that
    holds most of the page's prose (PROSE_SHARE_FULL), with no rival box of like prose
    elsewhere: the geometric mean of the two shares, times 0.7 for a close rival (a
    body whose prose all sits in chrome boxes, chosen inside one or keeping one that
    holds most of its text, is measured by that prose against the page's and the
    rival's, chrome counted: ``chrome_prose``). A
    page's JSON-LD articleBody and a second extractor, where consulted, weigh in by how
    much of their text the body holds; where the body holds less of it than
    DECLARED_AGREES (the two methods disagree), the confidence is at most that share.
    A text without a ``paragraph`` (no block but headings of PARAGRAPH_CHARS letters:
    lines of names, labels or links, however much prose the scorer saw in their box,
    lines broken by ``<br>`` being one run to it) is at most NO_PARAGRAPH_CONFIDENCE.
    An empty result is 0.
    """
    if text_chars == 0:
        return 0.0
    if decision.decided_by == "fallback":
        return S.FALLBACK_CONFIDENCE
    if decision.decided_by == "json-ld-text":
        return S.DECLARED_STAND_IN_CONFIDENCE
    s = decision.signals
    prose, share, rival = s.get("prose", 0), s.get("prose_share", 0.0), \
        s.get("rival_ratio", 0.0)
    if not prose and s.get("chrome_prose"):
        prose, share, rival = s["chrome_prose"], s.get("chrome_prose_share", 0.0), \
            s.get("chrome_rival_ratio", 0.0)
    c = (min(1.0, prose / S.PROSE_FULL) * min(1.0, share / S.PROSE_SHARE_FULL)) ** 0.5
    if rival >= S.CLOSE_RIVAL:
        c *= S.CLOSE_RIVAL_FACTOR
    if "declared_held" in s:
        c = _agreeing(c, s["declared_held"], 0.3)
    if "second_agrees" in s:
        c = _agreeing(c, s["second_agrees"], 0.5)
    if not paragraph:
        c = min(c, S.NO_PARAGRAPH_CONFIDENCE)
    return round(max(0.0, min(1.0, float(c))), 3)


def _agreeing(c: float, held: float, own: float) -> float:
    """The confidence ``c`` weighed with another method's: ``own`` of it, the rest by the
    share of that method's text the body holds; where the body holds less than
    DECLARED_AGREES of it, the two disagree and that share is the most it can be."""
    if held < S.DECLARED_AGREES:
        return min(c, held)
    return own * c + (1 - own) * held


def body_metadata(decision: BodyDecision, paths: PathIndex) -> dict[str, Any]:
    """``result.metadata["body"]``: the chosen box, its runner-up, what decided."""
    return {
        "path": paths.path(decision.containers[0]) if decision.containers else None,
        "containers": [paths.path(c) for c in decision.containers],
        "runner_up": paths.path(decision.runner_up) if decision.runner_up is not None
        else None,
        "decided_by": decision.decided_by,
        "signals": {k: round(v, 3) if isinstance(v, float) else v
                    for k, v in decision.signals.items()},
    }
