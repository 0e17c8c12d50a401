"""``cleaner bench``: score and time cleaner (and other extractors) on page datasets."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ..devtools.audit import format_audit, residue_audit
from ..devtools.bench import EXTRACTORS, run_bench
from ..devtools.bench.report import format_failures, format_table
from ..devtools.bench.worker import INSTALL_HINT
from ..errors import CleanerError
from .common import whole_number

__all__ = ["add_parsers"]


def _cmd_bench(args: Any) -> int:
    if args.residue:
        for dataset in args.datasets:
            print(format_audit(residue_audit(dataset, passes=max(args.passes, 1),
                                             limit=args.limit)))
        return 0
    result = run_bench(args.datasets, args.compare, passes=args.passes, jobs=args.jobs,
                       limit=args.limit)
    print(format_table(result))
    if args.failures:
        print()
        print(format_failures(result, args.failures))
    if args.json:
        try:
            Path(args.json).write_text(json.dumps(result.to_dict(), indent=1) + "\n",
                                       encoding="utf-8")
        except OSError as exc:
            raise CleanerError(f"cannot write {args.json}: {exc.strerror or exc}") from None
    return 0


def add_parsers(subparsers: Any) -> None:
    """Add ``cleaner bench`` to the command line."""
    others = [name for name in EXTRACTORS if name != "cleaner"]
    width = max(map(len, EXTRACTORS))
    p = subparsers.add_parser(
        "bench", help="score and time cleaner (and other extractors) on a page dataset",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Accuracy (Scrapinghub shingle metric), lost pages and speed of cleaner\n"
        "and, with --compare, other extractors on dataset folders (truth.jsonl +\n"
        "pages/<id>.html.gz); several sets are scored one by one and pooled.\n"
        f"The other extractors need the bench extra: {INSTALL_HINT}",
        epilog="extractors:\n" + "\n".join(f"  {e.name:<{width}}  {e.call}"
                                           for e in EXTRACTORS.values()))
    p.add_argument("datasets", nargs="+", metavar="DATASET",
                   help="folders with truth.jsonl and pages/<id>.html.gz; several are "
                   "scored one by one and pooled")
    p.add_argument("--compare", nargs="+", default=[], choices=EXTRACTORS, metavar="NAME",
                   help="also run these: " + ", ".join(others))
    p.add_argument("--failures", type=whole_number(0), default=0, metavar="K",
                   help="print cleaner's K worst pages by F1, with missed and extra lines")
    p.add_argument("--json", metavar="OUT", help="write every number and per-page score here")
    p.add_argument("--jobs", type=whole_number(1), default=1, metavar="N",
                   help="worker processes for the accuracy pass (timing is always one)")
    p.add_argument("--passes", type=whole_number(0), default=3, metavar="N",
                   help="timed passes after one warm-up (0: no timing); default 3")
    p.add_argument("--limit", type=whole_number(1), metavar="N", help="only the first N pages")
    p.add_argument("--residue", action="store_true",
                   help="run the residue audit instead: widget lines left in the output, "
                   "F1 with the text layer on/off, the residue layers' time cost")
    p.set_defaults(func=_cmd_bench)
