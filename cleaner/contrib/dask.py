"""Dask: clean a bag of pages or a dataframe of ``url, html``, on one machine or many.

A bag holds records ``{"url", "html"}`` (or bare HTML); a dataframe has an ``html``
column and optionally ``url`` and ``headers``. Both come back with ``text``, ``title``,
``metadata``, ``removed`` and ``error`` (see :mod:`cleaner.contrib.records`); ``html`` is
dropped unless ``keep_html=True``. Load pages inside the graph (``read_text``,
``read_parquet``), not in the client, so each worker reads its own partitions::

    import json
    import dask.bag as db
    from cleaner.contrib.dask import clean_bag

    bag = db.read_text("crawl/*.jsonl").map(json.loads)
    clean_bag(bag).map(json.dumps).to_textfiles("clean/part-*.jsonl")

    import dask.dataframe as dd
    from cleaner.contrib.dask import clean_dataframe

    clean_dataframe(dd.read_parquet("pages/")).to_parquet("clean/")

The same code runs on a cluster of several machines: start a scheduler on one machine
(``dask scheduler``), a worker on each machine (``dask worker tcp://SCHEDULER:8786``),
with ``pip install 'cleaner[dask]'`` everywhere, then connect before computing:
``from distributed import Client; Client("tcp://SCHEDULER:8786")``. The paths must be
readable from every worker (a shared file system, or ``s3://`` and the like). This module
runs as that example::

    python -m cleaner.contrib.dask "crawl/*.jsonl" clean/ --scheduler tcp://SCHEDULER:8786
    python -m cleaner.contrib.dask "crawl/*.jsonl" clean/ --workers 4   # a local cluster

What travels to the workers is module-level functions and plain options: everything
pickles, and cleaner keeps no state between pages.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from functools import partial
from typing import Any

from .records import FIELDS, clean_frame, clean_records, frame_meta

__all__ = ["clean_bag", "clean_dataframe", "clean_partition", "main"]

clean_partition = clean_frame   # the map_partitions helper: pandas frame in, frame out


def clean_bag(bag: Any, **options: Any) -> Any:
    """A bag of records (or HTML) -> a bag of cleaned records, partition by partition.

    ``options`` go to :func:`cleaner.contrib.records.clean_record` (``format``,
    ``profile``, ``include_comments``, ``html``/``url`` field names, ``keep_html``...).
    """
    # options bound here, so none of their names can clash with map_partitions' own
    return bag.map_partitions(partial(clean_records, **options))


def clean_dataframe(frame: Any, *, html: str = "html", keep_html: bool = False,
                    fields: Sequence[str] = FIELDS, **options: Any) -> Any:
    """A Dask dataframe with an ``html`` column -> the same rows with the cleaned columns
    (``fields``: which of text, title, metadata, removed, error; default all)."""
    meta = frame_meta(frame._meta, html=html, keep_html=keep_html, fields=fields)
    return frame.map_partitions(partial(clean_partition, html=html, keep_html=keep_html,
                                        fields=fields, **options), meta=meta)


def main(argv: Sequence[str] | None = None) -> int:
    """Clean JSONL pages (``{"url", "html"}`` a line) into JSONL parts, on a cluster."""
    parser = argparse.ArgumentParser(
        prog="python -m cleaner.contrib.dask",
        description="Clean JSONL pages with Dask: on a cluster (--scheduler) or on a local "
        "one started here.")
    parser.add_argument("pages", help='JSONL files, a glob ("crawl/*.jsonl"; s3:// works '
                        "with s3fs)")
    parser.add_argument("out", help="a folder for the cleaned parts (part-*.jsonl)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="a running scheduler, e.g. tcp://10.0.0.5:8786")
    parser.add_argument("--workers", type=int, default=2,
                        help="worker processes of the local cluster (without --scheduler)")
    parser.add_argument("--format", default="text", choices=("text", "markdown", "html"),
                        help="the format of the text field")
    parser.add_argument("--blocksize", default="32MiB",
                        help="split big files into partitions of about this size")
    args = parser.parse_args(argv)

    import dask.bag as db
    from distributed import Client, LocalCluster

    cluster = None
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=None)
        client = Client(cluster)
    try:
        bag = db.read_text(args.pages, blocksize=args.blocksize).map(json.loads)
        cleaned = clean_bag(bag, format=args.format).map(json.dumps, ensure_ascii=False)
        files = cleaned.to_textfiles(f"{args.out.rstrip('/')}/part-*.jsonl")
        print(f"wrote {len(files)} parts to {args.out}", file=sys.stderr)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
