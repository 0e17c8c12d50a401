"""Dask: bags and dataframes cleaned on a LocalCluster of 2 worker processes equal the
serial results; the ``python -m cleaner.contrib.dask`` example runs against a scheduler."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import dask.bag as db
import dask.dataframe as dd
import distributed
import pandas as pd
import pytest

from cleaner.contrib import dask as cdask
from cleaner.contrib.records import FIELDS, clean_columns, clean_frame, clean_record
from cleaner.errors import OptionError

FIXTURES = Path(__file__).parent.parent / "fixtures"
SITES = sorted(p.name for p in FIXTURES.iterdir() if (p / "expected.txt").exists())
PNG = b"\x89PNG\r\n\x1a\n" + bytes(100)


def records() -> list[dict]:
    out = []
    for site in SITES:
        meta = json.loads((FIXTURES / site / "meta.json").read_text(encoding="utf-8"))
        out.append({"url": meta["url"], "html": (FIXTURES / site / "input.html").read_bytes()})
    out.append({"url": "https://img.example/x.png", "html": PNG})
    return out


def test_local_cluster_of_two_processes_gives_the_serial_results(tmp_path):
    pages = records()
    serial = [clean_record(r) for r in pages]
    # dataframes hold HTML as text (a parquet string column); bags take bytes as well
    frame = pd.DataFrame([{"url": r["url"], "html": r["html"].decode("utf-8", "replace")}
                          for r in pages[:-1]])
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        bag = db.from_sequence(pages, npartitions=4)
        assert cdask.clean_bag(bag).compute() == serial

        ddf = dd.from_pandas(frame, npartitions=3)
        got = cdask.clean_dataframe(ddf).compute()
        assert list(got.columns) == ["url", *FIELDS]
        # Dask turns the url column into its own string dtype; the values are the same
        assert got.to_dict("records") == clean_frame(frame).to_dict("records")

        # the documented parquet round trip: columns url, html in; url + text columns out
        frame.to_parquet(tmp_path / "pages.parquet")
        cdask.clean_dataframe(dd.read_parquet(tmp_path / "pages.parquet")).to_parquet(
            tmp_path / "clean")
        back = pd.read_parquet(tmp_path / "clean").sort_values("url")
        assert back["text"].tolist() == clean_frame(frame).sort_values("url")["text"].tolist()
        assert json.loads(back["removed"].iloc[0])[0]["family"]

        # the documented example: JSONL pages in, JSONL parts out, on a running scheduler
        src = tmp_path / "crawl"
        src.mkdir()
        for i in range(2):
            with open(src / f"part{i}.jsonl", "w", encoding="utf-8") as fh:
                for r in pages[i::2]:
                    if isinstance(r["html"], bytes) and not r["html"].startswith(b"\x89"):
                        fh.write(json.dumps({"url": r["url"],
                                             "html": r["html"].decode("utf-8", "replace")})
                                 + "\n")
        assert cdask.main([str(src / "*.jsonl"), str(tmp_path / "out"),
                           "--scheduler", cluster.scheduler_address]) == 0
        workers = {w["id"] for w in client.scheduler_info()["workers"].values()}
        assert len(workers) == 2
    rows = [json.loads(line) for part in sorted((tmp_path / "out").glob("part-*.jsonl"))
            for line in part.read_text(encoding="utf-8").splitlines()]
    assert {r["url"] for r in rows} == {r["url"] for r in pages[:-1]}
    expected = (FIXTURES / "metro-tribune.example" / "expected.txt").read_text("utf-8")
    metro = next(r for r in rows if "metro-tribune" in r["url"])
    assert metro["text"] == expected.rstrip("\n") and "html" not in metro


def test_a_bad_page_is_an_error_on_its_row_not_a_failed_partition():
    rows = cdask.clean_bag(db.from_sequence(records(), npartitions=2),
                           format="markdown").compute(scheduler="sync")
    (row,) = [r for r in rows if r["error"]]
    assert row["url"] == "https://img.example/x.png" and "PNG" in row["error"]
    assert row["text"] == "" and row["removed"] == []


def test_records_can_be_bare_html_and_keep_their_other_fields():
    rec = clean_record({"id": 7, "html": "<p>A page about the river and the bridge.</p>"},
                       keep_html=True, format="markdown")
    assert rec["id"] == 7 and rec["html"].startswith("<p>") and rec["error"] is None
    assert clean_record("<p>A page about the river.</p>")["text"] == "A page about the river."


def test_clean_columns_is_the_hugging_face_batched_map_shape():
    cols = clean_columns({"url": ["https://a.example/", None],
                          "html": ["<p>First page, with enough words.</p>", PNG]})
    assert set(cols) == set(FIELDS) and len(cols["text"]) == 2
    assert cols["text"][0] == "First page, with enough words." and cols["error"][1]
    # tables hold text: metadata and removed are JSON
    assert json.loads(cols["metadata"][0])["url"] == "https://a.example/"
    assert json.loads(cols["removed"][1]) == []


def test_fields_pick_the_columns_and_unknown_fields_are_one_clear_error():
    frame = pd.DataFrame({"url": ["https://a.example/"], "html": ["<p>A page of text.</p>"]})
    assert list(clean_frame(frame, fields=["text", "error"]).columns) == \
        ["url", "text", "error"]
    with pytest.raises(OptionError, match="unknown field 'body'"):
        clean_columns({"html": []}, fields=["body"])


def test_what_the_workers_need_pickles():
    for fn in (cdask.clean_bag, cdask.clean_dataframe, cdask.clean_partition, clean_record,
               clean_columns, clean_frame):
        assert pickle.loads(pickle.dumps(fn)) is fn
