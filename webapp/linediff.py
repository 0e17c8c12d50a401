"""The line diff behind the preview's Diff view and a taught rule's "with the rule" rows.

difflib's matcher, without its junk heuristic (which would drop the page's repeated lines
from the diff), costs about the product of each line's count in the two texts: on a page
of 3,000 paragraphs that repeat a few sentences the view took a minute. Past a budget of
such pairs the diff is an in-order match instead, which is exact whenever the clean text
keeps the page's lines in their order (what cleaning does) and linear on any page.

>>> line_opcodes(["a", "Share", "b"], ["a", "b"])
[('equal', 0, 1, 0, 1), ('delete', 1, 2, 1, 1), ('equal', 2, 3, 1, 2)]
>>> greedy_opcodes(["a", "Share", "b", "c"], ["a", "b!", "c"])
[('equal', 0, 1, 0, 1), ('replace', 1, 3, 1, 2), ('equal', 3, 4, 2, 3)]
"""

from __future__ import annotations

import difflib
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Sequence

__all__ = ["line_opcodes", "greedy_opcodes", "MATCH_PAIRS"]

MATCH_PAIRS = 50_000   # equal-line pairs difflib may weigh (about 0.2 s at worst)

Opcode = tuple[str, int, int, int, int]


def line_opcodes(a: Sequence[str], b: Sequence[str]) -> Sequence[Opcode]:
    """difflib's opcodes for ``a`` against ``b``, or the in-order match's past the budget."""
    in_b = Counter(b)
    pairs = 0
    for line in a:
        pairs += in_b.get(line, 0)
        if pairs > MATCH_PAIRS:
            return greedy_opcodes(a, b)
    return list(difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes())


def greedy_opcodes(a: Sequence[str], b: Sequence[str]) -> list[Opcode]:
    """Each line of ``b`` matched to its next occurrence in ``a``; one that has none is a
    changed line. Opcodes as difflib writes them (non-equal runs merged), in O(n log n)."""
    where: defaultdict[str, list[int]] = defaultdict(list)
    for i, line in enumerate(a):
        where[line].append(i)
    ops: list[Opcode] = []
    i = 0

    def add(op: str, i1: int, i2: int, j1: int, j2: int) -> None:
        if ops and (ops[-1][0] == op or "equal" not in (ops[-1][0], op)):
            last = ops.pop()
            op = op if op == last[0] else "replace"
            i1, j1 = last[1], last[3]
        ops.append((op, i1, i2, j1, j2))

    for j, line in enumerate(b):
        spots = where.get(line, [])
        x = bisect_left(spots, i)
        if x == len(spots):
            add("insert", i, i, j, j + 1)
            continue
        k = spots[x]
        if k > i:
            add("delete", i, k, j, j)
        add("equal", k, k + 1, j, j + 1)
        i = k + 1
    if i < len(a):
        add("delete", i, len(a), len(b), len(b))
    return ops
