"""The pathological corpus (scripts/pathological.py) at a reduced size: every case gives a
result or a CleanerError, and the cases with a known outcome have it. The full-size table,
with seconds and peak memory per case, comes from running the script itself."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from cleaner import CleanerError, CleanResult, InputError, InputTooLargeError, clean_article

SCRIPT = Path(__file__).parents[1] / "scripts" / "pathological.py"


def load_corpus():
    spec = importlib.util.spec_from_file_location("pathological", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("pathological", module)
    spec.loader.exec_module(module)
    return module


corpus = load_corpus()
SCALE = 0.002  # a few KB to a few hundred KB a case; nesting always past the depth limit
CASES = {case.name: case for case in corpus.CASES}

REFUSED = {
    "pdf": (InputError, "PDF"),
    "png": (InputError, "PNG"),
    "control-flood": (InputError, "binary"),
    "gzip-bomb": (InputTooLargeError, "decompressed"),
}
KEEPS = {  # text that must survive
    "nested-divs": "deep paragraph at the bottom",
    "nested-custom": "deep paragraph at the bottom",
    "nested-tables": "innermost cell",
    "deep-then-open-tags": "deep paragraph at the bottom",
    "phrases-10mb": "The council voted again.",
    "attributes-10mb": "The text inside the tag.",
    "attribute-value-10mb": "The text inside the tag.",
    "data-uri-10mb": "The council voted",
    "utf16-le-bom": "The council voted",
    "utf16-be-bom": "The council voted",
    "utf16-le-nobom": "The council voted",
    "utf16-be-nobom": "The council voted",
    "meta-lie-sjis": "Die Bürger der Stadt",
    "meta-lie-utf8": "Die Bürger der Stadt",
    "meta-lie-utf16": "Die Bürger der Stadt",
    "meta-bogus": "Die Bürger der Stadt",
    "nul-control": "The council",
    "template-noscript": "The council voted",
    "unclosed-comment": "The council voted",
    "jsonld-deep": "The council voted",
    "links-100k": "The council voted",
    "byline-flood": "The council voted",
    "gallery-2000": "the harbour at dawn",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_pathological_case_gives_a_result_or_a_cleaner_error(name):
    data = CASES[name].make(SCALE)
    try:
        result = clean_article(data)
    except CleanerError as exc:
        expected = REFUSED.get(name)
        assert expected, f"{name} was refused: {exc}"
        assert isinstance(exc, expected[0]) and expected[1] in str(exc)
        return
    assert name not in REFUSED, f"{name} should have been refused"
    assert isinstance(result, CleanResult)
    result.to_json()
    if name in KEEPS:
        assert KEEPS[name] in result.text


def test_the_corpus_covers_the_issue():
    wanted = {"nested-divs", "sibling-p", "page-50mb", "text-node-10mb", "attributes-10mb",
              "links-100k", "nested-tables", "broken-utf8", "mixed-encodings", "utf16-le-bom",
              "utf16-le-nobom", "meta-lie-sjis", "nul-control", "all-script", "svg-mathml",
              "template-noscript", "frameset", "xml-rss", "pdf", "png"}
    assert wanted <= set(CASES)


def test_the_benchmark_script_runs_a_case_in_a_fresh_process():
    row = corpus.measure(CASES["nested-divs"], SCALE)
    assert row["outcome"].startswith("ok:") and "flattened" in row["outcome"]
    assert row["rss_mb"] > 0 and row["seconds"] >= 0
    row = corpus.measure(CASES["png"], SCALE)
    assert row["refused"] and "PNG" in row["outcome"]
    assert "| nested-divs |" in corpus.table([corpus.measure(CASES["nested-divs"], SCALE)])


def test_limits_reach_the_child_process():
    row = corpus.measure(CASES["sibling-p"], SCALE, max_nodes=100)
    assert row["refused"] and "elements" in row["outcome"]
    row = corpus.measure(CASES["sibling-p"], SCALE, max_bytes=0, max_nodes=0)
    assert row["outcome"].startswith("ok:")
