"""Named weights and hint patterns for finding the article body.

Every knob of the body finder lives here, so tuning never touches the algorithm.
Class/id hints are matched on ``class`` + ``id`` lower-cased, at word starts.
"""

from __future__ import annotations

import re

# --- container scoring (readability lineage) ---------------------------------------
MIN_PARAGRAPH_CHARS = 25        # shorter text blocks add no score
# every length is in Latin letters: a character of a script written without spaces between
# words (Han, kana) carries about a word, and counts this many
WIDE_CHAR_WEIGHT = 3
WIDE_SCRIPT = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]"
CHARS_PER_POINT = 100           # one point per this many characters ...
MAX_LENGTH_POINTS = 3           # ... up to this many
ANCESTOR_LEVELS = 5             # a paragraph scores its ancestors up to this far
TAG_WEIGHT = {"div": 5, "article": 10, "main": 5, "section": 3, "pre": 3, "td": 3,
              "blockquote": 3, "form": -3, "ol": -3, "ul": -3, "dl": -3, "dd": -3,
              "li": -3, "address": -3, "th": -5, "h1": -5, "h2": -5, "h3": -5, "h4": -5,
              "h5": -5, "h6": -5, "header": -10, "footer": -20, "nav": -20, "aside": -15}
CLASS_WEIGHT = 25               # positive or negative class/id hint
STRONG_CONTAINER_WEIGHT = 40    # articleBody, entry-content and kin
SIBLING_SCORE_SHARE = 0.2       # siblings scoring this share of the top join the body
SIBLING_MIN_SCORE = 10
SIBLING_PARAGRAPH_CHARS = 80    # a sibling <p> this long with few links joins the body
SIBLING_MAX_LINK_DENSITY = 0.25
# a box before the body named as the article's lede (its intro or standfirst), holding a
# sentence and no links, joins the body: the lede is the article's text
LEDE_BOX = re.compile(
    r"(?:^|[\s_-])(?:lead|lede|intro|standfirst|opener|synopsis|teaser-text|summary|desc|description)"
    r"(?:$|[\s_-])")
LEDE_MIN_CHARS = 40
LINK_DENSITY_PENALTY = 1.0      # final score *= 1 - penalty * link density

# --- inside the body ---------------------------------------------------------------
BOX_MAX_LINK_DENSITY = 0.7      # a div/section/table this linked is a box of links
BOX_MIN_LINKS = 3
# a box inside the body with this many headings linked to other pages and no prose run of
# its own (only labels, dates, "4 min read") is a strip of other stories' teasers
TEASER_BOX_MIN_HEADLINES = 2
TEASER_BOX_MAX_CHARS = 1500
BLOCK_MAX_LINK_DENSITY = 0.8    # a short paragraph almost all link text ("Read more: X" stays)
BLOCK_LINKY_MAX_CHARS = 250
TEASER_TABLE_LINK_SHARE = 0.5   # a one-cell table more linked than this is a box, not data

# class/id patterns match lowercased class and id text (faster than re.I)
POSITIVE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|prose|"
    r"column")
NEGATIVE = re.compile(
    r"(?:^|[\s_-])(?:hidden|banner|combx|comment|com-|contact|foot|footer|footnote|gdpr|"
    r"masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|"
    r"sponsor|shopping|tags|tool|widget|social|nav|menu|breadcrumb|cookie|consent|popup|"
    r"modal|newsletter|subscribe|signup|advert|ad|ads|byline|author|recommend|trending|"
    r"popular|teaser|login|disqus)")
STRONG_CONTAINER = re.compile(
    r"(?:^|[\s_-])(?:articlebody|article-?body|article__body|article-?content|"
    r"article__content|entry-?content|post-?content|post-?body|post__content|"
    r"story-?body|story-?content|storycontent|body-?text|article-?text|"
    r"main-?content|content-?body|rich-?text|blog-?post|single-?post)(?:$|[\s_-])")
# boxes that are chrome by name: their text counts as junk when choosing the body, and
# they are dropped inside it unless they hold more than CHROME_MAX_SHARE of its text;
# layout modifiers ("content-with-sidebar", "has-comments", "sidebar-position-end") and boxes
# holding a chrome box and more ("sidebar-and-timeline") name the container, not chrome
# a number appended ("sidebar2", "nav1") names the same chrome; a chrome word naming a
# disclosure ("sponsored-disclosure", "ad-disclosure") names the article's own note
CHROME_BOX = re.compile(
    r"(?:^|[\s_-])(?<!with-)(?<!has-)(?<!no-)(?:share|sharing|sharethis|social|related|relatedposts|comments?|"
    r"comment-list|commentlist|respond|disqus|newsletter|subscribe|subscription|signup|"
    r"promo|advert|advertisement|ads?|ad-slot|adslot|sponsor(?:ed)?|outbrain|taboola|"
    r"breadcrumbs?|author-bio|author-box|authorbox|about-author|recommended|more-stories|"
    r"most-popular|trending|sidebar|widget|cookie|consent|popup|modal|nav|"
    r"navigation|menu|pagination|read-more|readmore|see-also|further-reading)\d*"
    r"(?!-and-|-position|-disclosure)(?:$|[\s_-])")
# the site's footer by a whole class or id word ("footer", "site-footer"); an "entry-footer"
# or "article__footer" belongs to the article (notes, corrections) and is not named here
SITE_FOOTER = frozenset({
    "footer", "site-footer", "sitefooter", "page-footer", "pagefooter", "global-footer",
    "globalfooter", "main-footer", "mainfooter", "footer-wrapper", "footerwrapper",
    "footer-container", "footercontainer"})
# the site's banner by a whole class or id word ("masthead", "site-header"); an
# "entry-header" or "page-header" holds the article's own headline and is not named here
SITE_HEADER = frozenset({
    "header", "site-header", "siteheader", "global-header", "globalheader", "main-header",
    "mainheader", "masthead", "header-wrapper", "headerwrapper", "header-container",
    "headercontainer", "header-top", "headertop", "top-header", "topheader"})
CHROME_MAX_SHARE = 0.6
# WordPress post_class/body_class taxonomy tokens name topics, not roles: chrome words in
# them ("category-social-media", "tag-share") are not looked at
TAXONOMY = re.compile(r"(?:^|\s)(?:[a-z]+-)?(?:category|tag|tags|post_tag|format|status|"
                      r"topic)[-_]\S+")
# a chrome-named box holding this share of the page's prose wraps the article...
WRAPPER_PROSE_SHARE = 0.5
# ... unless its name says where it sits and it holds no content container; a box in
# the site's banner (SITE_HEADER) is not the article unless the banner holds this share
POSITIONAL = re.compile(
    r"(?:^|[\s_-])(?:sidebar|comments?|commentlist|comment-list|respond|disqus|nav|"
    r"navigation|menu|footer)\d*(?!-and-|-position)(?:$|[\s_-])")
SITE_NAME_LINK_SHARE = 0.8      # ... an <h1> this much linked to "/" names the site
# a form asking for input (a poll, a search) with less text than this once its fields
# are gone is chrome, and so is a box holding it and less other text than FORM_BOX_...;
# a form around the whole page (ASP.NET) holds more
FORM_MAX_CHARS = 1000
FORM_BOX_MAX_CHARS = 200
# embedded posts and quotes are the article's own material ("social-media-embed")
CONTENT_EMBED = re.compile(
    r"(?:^|[\s_-])(?:embed|embeds|embedded|twitter-tweet|instagram-media|tiktok-embed|"
    r"pullquote|blockquote)(?:$|[\s_-])")
# weaker names: dropped inside the body only when small (bylines, tag lists, tools)
META_BOX = re.compile(
    r"(?:^|[\s-]|__)(?:tags|tag-list|post-tags|entry-tags|byline|meta|entry-meta|post-meta|"
    r"article-meta|dateline|timestamp|print|toolbar|cta|tools)(?:$|[\s-]|__)")
META_MAX_SHARE = 0.15

# the class of a code highlighter's line box inside <pre> (GitBook, Prism, CodeMirror):
# each starts a line even where the markup holds no newline between them
CODE_LINE = frozenset({"line", "highlight-line", "code-line", "token-line", "cm-line"})
# a box styled so (not pre-wrap or pre-line) keeps its lines, as a <pre> does
WHITE_SPACE_PRE = re.compile(r"white-space\s*:\s*pre\s*(?:;|!|$)", re.I)

# --- choosing among the top candidate's ancestors -----------------------------------
GOOD_RUN_OFFSET = 40            # a paragraph adds its length beyond this to the prose mass
GOOD_RUN_MAX_LINK_DENSITY = 0.5 # ... when less than this share of it is link text
JUNK_WEIGHT = 1.0               # link text and chrome-box text count against a container
WIDEN_MIN_GAIN = 1.3            # an ancestor must be worth this much more than the best
WIDEN_MAX_LINK_DENSITY = 0.5    # a sibling this linked adds only its cost when widening
PROSE_GATE_CHARS = 100          # once a box holds this much prose, boxes without any lose
PROSE_FLOOR_SHARE = 0.2         # ... and so do boxes with less than this share of the
PROSE_FLOOR_MIN_CHARS = 400     # densest cluster of paragraphs, once it is this big
CHROME_TAGS = frozenset({"nav", "aside", "footer"})
# ARIA landmarks that say the same as those tags: a <div role="navigation"> is a <nav>
CHROME_ROLES = {"navigation": "nav", "complementary": "aside", "contentinfo": "footer"}
# an <aside> named (class, id or aria-label) as an admonition is the article's note
ADMONITION = re.compile(
    r"(?:^|[\s_-])(?:admonition|callout|note|tip|hint|caution|warning|danger|important)"
    r"(?:$|[\s_-])")
CARD_MAX_CHARS = 500            # a box smaller than this ...
CARD_MIN_LINK_DENSITY = 0.2     # ... with this much link text is a teaser card: no prose mass
TEASER_ROW = 3                  # ... and so is one with a linked headline, this many side by side
# image captions and credits (not table captions, not "Reporting by" credit lines); an
# image's description box ("img_descr", "photo-desc") is its caption
CAPTION_BOX = re.compile(  # also camelCase names lowercased: "newsCaption", "imgCaption"
    r"(?:^|[\s_-])(?:wp-caption-text|wp-caption|[a-z]*captions?|figcaption|image-caption|"
    r"img-caption|photo-caption|media-caption|image-credit|photo-credit|img-credit|"
    r"media-credit|image-copyright|(?:img|image|photo|pic)[_-]?desc(?:r|ription)?)(?:$|[\s_-])")
# a photo gallery or slideshow: this many boxes made alike under one parent, each holding
# an image and a caption with a sentence (this long, ending like one); its captions are
# the article's text, each but for a short line in it that ends like no sentence (its credit)
GALLERY_MIN_ITEMS = 3
GALLERY_TEXT_SHARE = 0.5        # ... and holding half as much text as the rest of the body
GALLERY_SENTENCE_CHARS = 40
GALLERY_ITEM_DEPTH = 3          # a caption's image box: this many levels up at most
CAPTION_CREDIT_MAX_CHARS = 80
SENTENCE_END = re.compile(r"[.!?\u2026\u3002\uff01\uff1f\u0964][\"'\u201d\u2019)\]]?(?:\s|$)")
CLAUSE_END = re.compile(r"[.!?;:,\u2026\u3002\uff01\uff1f][\"'\u201d\u2019)\]]?$")
INLINE_CHROME_MAX_CHARS = 100   # an inline element with a chrome class this short is a label
GAIN_POINTS_PER_100 = 1.0       # the top candidate also earns this per 100 of prose gain
TEASER_LIST_LINK_DENSITY = 0.25 # a list with this much link text is teasers: no prose mass
NARROW_KEEP_SHARE = 0.9         # descend to a child holding this share of the prose
DIRECT_TEXT_FIRST_LEVEL = 1     # level at which a div's own text run starts scoring upward
LINK_ITEM_MIN_SHARE = 0.8       # a list item whose text is this much link is a link item
LINK_LIST_MIN_ITEMS = 0.6       # a list with this share of link items is a link list

# a run of this many <br>-parted lines or more, averaging under LABEL_LINE_CHARS and
# fewer than LABEL_SENTENCE_SHARE of them ending like a sentence or clause (. , ; ! ? ...),
# is a column of labels (names, addresses, link labels, menu items), not a paragraph
LABEL_MIN_LINES = 3
LABEL_LINE_CHARS = 25
LABEL_SENTENCE_SHARE = 0.5

SIBLING_MIN_GOOD = 100          # a sibling joins only if it holds a paragraph of prose
EXCERPT_MAX_CHARS = 1000        # an <article> shorter than this, one of several: a teaser
# posts of a thread: boxes made from the body's own template (the box holding its prose,
# by tag and class, and this many boxes around it) are the thread's other posts
TEMPLATE_LEVELS = 3
TEMPLATE_MAX_LINK_DENSITY = 0.25 # ... unless they hold this much link text (teasers)
THREAD_MIN_POSTS = 3            # ... when there are this many, or one holds a paragraph
# a page with less than a paragraph of prose outside chrome whose comment-named boxes
# holding prose include this many made alike is a thread of them (its opening post too)
THREAD_MIN_COMMENT_POSTS = 2
# a body under this many characters, named by no article-body box, voted on as the
# comment boxes after it are (a community's post), is a post opening a discussion
THREAD_POST_MAX_CHARS = 1500
# a vote control: a class, id or aria-label naming up/down votes or their arrows
VOTE_CONTROL = re.compile(
    r"(?:^|[\s_-])(?:up-?votes?|down-?votes?|up-?voter|down-?voter|vote-?arrows?|"
    r"votearrow|voters|vote-?(?:bar|count|up|down|btn|button|links))(?:$|[\s_-])")

# --- the second look (decide.py) ----------------------------------------------------
DECLARED_MIN_CHARS = 200        # a JSON-LD articleBody this long is worth checking against
DECLARED_MIN_WORDS = 8          # a paragraph this long can show where it sits in the page
DECLARED_AGREES = 0.6           # the body holds this share of the other method's words
DECLARED_STAND_IN_HELD = 0.2    # a page showing less of its articleBody than this, in its
                                # body and in all (a shell its scripts fill), takes it as text
DECLARED_STAND_IN_CONFIDENCE = 0.6
SECOND_OPINION_MIN_PAGE_PROSE = 500   # readability is asked on a page this prose-rich...
SECOND_OPINION_MAX_SHARE = 0.2        # ... when the body holds less of its prose than this
SECOND_OPINION_PROSE_RATIO = 2.0      # ... and its box wins with this much more prose
CONTESTED_SHARE = 0.85          # a box scoring this share of the top's is a near rival:
                                # one holding TIE_HELD_RATIO times more of a second
TIE_HELD_RATIO = 2.0            # extractor's words than the top box (and TIE_HELD_MIN
TIE_HELD_MIN = 0.2              # of them at least) wins
HEADLINE_MIN_CHARS = 10         # a heading this long can be the page's headline
HEADLINE_LEVELS = 3             # the headline sits this few levels above the body...
HEADLINE_NEAR = 0.8             # ... and counts this much
RESIDUE_BODY_SHARE = 0.5        # a box whose text is this much residue is not the body
RESIDUE_RETRIES = 2             # ... and the next best is tried, this many times
RESIDUE_CHECK_MAX_CHARS = 1200  # a box with more text than this is not checked
# confidence
HEADED_BODY_MAX_PROSE = 400     # a body with less prose, far from the headline, widens
HEADED_BODY_MAX_GROWTH = 8      # ... to the box holding both, at most this times its text,
HEADED_BODY_MAX_LINK_DENSITY = 0.1   # ... and less linked than this
NAMED_BODY_MAX_PROSE = 1500    # below this prose the one box named as the body wins
NAMED_BODY_MIN_CHARS = 10      # ...holding this much text outside links
NAMED_BODY_MAX_LINKS = 0.75    # ...and less than this share of links
PROSE_FULL = 800                # a body with this much prose (a few paragraphs)...
PROSE_SHARE_FULL = 0.6          # ... holding this share of the page's prose: full marks
CLOSE_RIVAL = 0.8               # a rival box with this share of the body's prose is close
CLOSE_RIVAL_FACTOR = 0.7
FALLBACK_CONFIDENCE = 0.1       # the body was empty: the rival or the whole page stood in
NO_PARAGRAPH_CONFIDENCE = 0.4   # the most for a text with no block of paragraph length
                                # (blocks.PARAGRAPH_CHARS): lines of names, labels, links

# --- where the article ends -------------------------------------------------------------
COMMENT_CUT_MIN_CHARS = 200     # ... once this much of the body came before it
COMMENT_HEADING = re.compile(   # a heading that names the comment thread
    # a bare "Response" heads an API call's answer, not a thread: only counted ("One
    # Response") or plural, a response names the comments
    r"^\s*(?:(?:\d+|no|one)\s+response|"
    r"(?:(?:\d+|no|one)\s+)?(?:comments?|responses|replies|reactions|"
    r"leave a (?:reply|comment)|post a comment|reader comments|add a comment|"
    r"join the discussion|discussion|kommentare?|commentaires?|comentarios?|"
    r"\d+\s+(?:kommentare?|commentaires?|comentarios?)|"
    # ... in the languages of the news survey, a count before or after the word
    r"(?:\d+\s*)?(?:comentários|commenti|reacties|komentarze|комментарии|yorumlar|"
    r"komentar|コメント|(?:网友|網友|全部|热门|熱門)?(?:评论|評論)|댓글|التعليقات)(?:\s*\d+)?|"
    r"\d+\s*条评论|"
    # a thread closed to new comments: its old ones follow the line
    r"comments (?:are |have been )?(?:now )?closed(?: for this \w+)?[.!]?))"
    r"\s*(?:\(\d+\))?[\s:+»›>]*$", re.I)
COMMENT_HEADING_MAX_CHARS = 40
SECTIONS_AFTER = 1              # ... unless this many headings of its level follow it
LONG_HEADING_CHARS = 150        # a "heading" this long is a paragraph
