"""cleaner: scraped article HTML in, clean article text out, with every removal explained.

>>> from cleaner import clean_article
>>> result = clean_article(b"<html><body><article><p>The story.</p></article></body></html>")
>>> result.text
'The story.'

The public API is what ``__all__`` lists; everything else is internal.
"""

from .decode import looks_like_html
from .errors import (
                     BlockedURLError,
                     CleanerError,
                     FetchError,
                     FixtureError,
                     InputError,
                     InputTooLargeError,
                     OptionError,
                     ProfileError,
                     RuleError,
)
from .options import FORMATS, CleanOptions
from .pipeline import clean_article, clean_text, decode_page, parse_page
from .result import CleanResult, Removal

__version__ = "0.1.0"

__all__ = [
    "clean_article",
    "clean_text",
    "parse_page",
    "decode_page",
    "looks_like_html",
    "CleanOptions",
    "FORMATS",
    "CleanResult",
    "Removal",
    "CleanerError",
    "InputError",
    "InputTooLargeError",
    "FetchError",
    "BlockedURLError",
    "ProfileError",
    "RuleError",
    "FixtureError",
    "OptionError",
    "__version__",
]
