"""The metric of the Scrapinghub article-extraction-benchmark (its ``evaluate.py``).

Texts become multisets of 4-token shingles (tokens are ``\\w+`` runs, case kept), each
page gets TP/FP/FN from the multiset overlap, precision is averaged over the pages whose
output has shingles, recall over the pages whose truth has shingles, and F1 is the
harmonic mean of those two averages. ``exact`` is the share of pages whose token lists
are equal. A page has *collapsed* when its recall is below ``COLLAPSED_RECALL``: the
article is essentially gone.

>>> s = evaluate({"a": "one two three four five"}, {"a": {"body": "one two three four"}})
>>> round(s.precision, 3), s.recall, round(s.f1, 3)
(0.5, 1.0, 0.667)
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ...errors import OptionError

__all__ = ["SHINGLE_SIZE", "tokenize", "shingles", "normalize_space", "PageScore",
           "score_page", "Scores", "evaluate"]

SHINGLE_SIZE = 4
_TOKEN_RE = re.compile(r"\w+", re.UNICODE)

def tokenize(text: str) -> list[str]:
    """The benchmark's tokens: runs of word characters, case and accents kept.

    >>> tokenize("Größe: l'été, 2024!")
    ['Größe', 'l', 'été', '2024']
    """
    return _TOKEN_RE.findall(text or "")


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[str]:
    """The multiset of ``size``-token shingles, each joined by spaces.

    A text of 1 to ``size - 1`` tokens is one shingle of all its tokens; no tokens, none.

    >>> shingles("a b c d e")
    Counter({'a b c d': 1, 'b c d e': 1})
    >>> shingles("just two")
    Counter({'just two': 1})
    """
    tokens = tokenize(text)
    if not tokens:
        return Counter()
    return Counter(" ".join(tokens[i:i + size])
                   for i in range(max(1, len(tokens) - size + 1)))


def normalize_space(text: str) -> str:
    """Runs of whitespace to one space, ends stripped: how snippets are compared."""
    return " ".join(text.split())


@dataclass(frozen=True)
class PageScore:
    """One page's shingle counts and scores.

    ``precision`` is None when the output has no shingles and ``recall`` None when the
    truth has none: such pages are left out of that average, as in the benchmark.
    """

    tp: int
    fp: int
    fn: int
    exact: bool
    include_found: int = 0
    include_total: int = 0
    exclude_absent: int = 0
    exclude_total: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float:
        """The page's own F1 (used to rank failures); 1.0 when both texts are empty."""
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision,
                "recall": self.recall, "f1": self.f1, "exact": self.exact,
                "include_found": self.include_found, "include_total": self.include_total,
                "exclude_absent": self.exclude_absent, "exclude_total": self.exclude_total}


def score_page(output: str, truth: Mapping[str, Any]) -> PageScore:
    """Score one output against one truth entry (``body``, optional include/exclude).

    >>> p = score_page("a b c d x", {"body": "a b c d"})
    >>> p.tp, p.fp, p.fn, p.precision, p.recall
    (1, 1, 0, 0.5, 1.0)
    """
    output = output or ""
    body = truth.get("body") or ""
    pred, true = shingles(output), shingles(body)
    tp = sum((pred & true).values())
    flat = normalize_space(output)
    include = [normalize_space(s) for s in truth.get("include") or ()]
    exclude = [normalize_space(s) for s in truth.get("exclude") or ()]
    return PageScore(
        tp=tp, fp=sum(pred.values()) - tp, fn=sum(true.values()) - tp,
        exact=tokenize(output) == tokenize(body),
        include_found=sum(s in flat for s in include), include_total=len(include),
        exclude_absent=sum(s not in flat for s in exclude), exclude_total=len(exclude))


@dataclass(frozen=True)
class Scores:
    """Dataset-level scores and the per-page scores they come from.

    ``precision`` / ``recall`` are None when no page qualifies for that average; F1 then
    counts the missing one as 0. ``include`` / ``exclude`` are None without snippets.
    """

    precision: float | None
    recall: float | None
    f1: float
    exact: float
    include: float | None
    exclude: float | None
    pages: dict[str, PageScore] = field(repr=False)

    def to_dict(self, per_page: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {"precision": self.precision, "recall": self.recall,
                               "f1": self.f1, "exact": self.exact, "include": self.include,
                               "exclude": self.exclude, "pages": len(self.pages)}
        if per_page:
            out["per_page"] = {pid: s.to_dict() for pid, s in self.pages.items()}
        return out


def _mean(values: Iterable[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return statistics.fmean(kept) if kept else None


def _share(hits: int, total: int) -> float | None:
    return hits / total if total else None


def evaluate(outputs: Mapping[str, str], truth: Mapping[str, Mapping[str, Any]]) -> Scores:
    """Score extractor outputs (id -> text) against truth entries (id -> dict with ``body``).

    Every page in ``truth`` is scored; an id missing from ``outputs`` counts as empty
    output. Ids in ``outputs`` that are not in ``truth`` raise ``OptionError``.

    >>> s = evaluate({"a": "The cat sat on the mat", "b": ""},
    ...              {"a": {"body": "The cat sat on the mat"}, "b": {"body": "Gone."}})
    >>> s.precision, s.recall, round(s.f1, 4), s.exact
    (1.0, 0.5, 0.6667, 0.5)
    """
    unknown = sorted(set(outputs) - set(truth))
    if unknown:
        raise OptionError(f"outputs for pages not in the truth: {', '.join(unknown[:5])}")
    pages = {pid: score_page(outputs.get(pid, ""), entry) for pid, entry in truth.items()}
    precision = _mean(p.precision for p in pages.values())
    recall = _mean(p.recall for p in pages.values())
    prec, rec = precision or 0.0, recall or 0.0
    return Scores(
        precision=precision, recall=recall,
        f1=2 * prec * rec / (prec + rec) if prec + rec else 0.0,
        exact=statistics.fmean(p.exact for p in pages.values()) if pages else 0.0,
        include=_share(sum(p.include_found for p in pages.values()),
                       sum(p.include_total for p in pages.values())),
        exclude=_share(sum(p.exclude_absent for p in pages.values()),
                       sum(p.exclude_total for p in pages.values())),
        pages=pages)
