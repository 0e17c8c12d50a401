"""The accuracy gate: cleaner on the three benchmark sets, against floors just under
the figures measured when they were set, so that a regression cannot land unseen.

The sets are not in the repository (their licences allow evaluation only). They are
looked for in ``$CLEANER_BENCH_DIR``, beside the checkout (``../shared/bench``), and
beside the repository a local clone came from; without them the gate is skipped,
with the reason. Every page's removal records are also checked: each path names one
element of the parsed page, and together they explain the words that were dropped.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from cleaner.devtools.bench import POOLED, run_bench
from cleaner.devtools.bench.report import collapsed, empty

ROOT = Path(__file__).resolve().parent.parent
SETS = ("scrapinghub", "l3s-gn1", "dragnet")
# floors: a little under the figures measured when the gate was last raised
FLOORS = {
    #               F1     precision  exact  collapsed at most
    "scrapinghub": (0.978, 0.970, 0.42, 0),
    "l3s-gn1":     (0.953, 0.972, 0.01, 2),
    "dragnet":     (0.938, 0.965, 0.005, 11),
}
EXPLAINED_POOLED = 0.99      # share of dropped words the removal records explain
EXPLAINED_PAGE = 0.90        # ... per page, on at least PAGES_EXPLAINED of the pages
PAGES_EXPLAINED = 0.99


def bench_dir() -> Path | None:
    candidates = [os.environ.get("CLEANER_BENCH_DIR"), ROOT.parent / "shared" / "bench"]
    try:
        origin = subprocess.run(["git", "-C", str(ROOT), "config", "remote.origin.url"],
                                capture_output=True, text=True, timeout=10, check=False)
        if origin.stdout.strip().startswith("/"):
            candidates.append(Path(origin.stdout.strip()).parent / "shared" / "bench")
    except (OSError, subprocess.SubprocessError):
        pass
    for c in candidates:
        if c and all((Path(c) / s / "truth.jsonl").is_file() for s in SETS):
            return Path(c)
    return None


@pytest.fixture(scope="module")
def result():
    where = bench_dir()
    if where is None:
        pytest.skip("the benchmark sets are not here (set CLEANER_BENCH_DIR)")
    return run_bench([where / s for s in SETS], passes=0, jobs=2)


@pytest.mark.parametrize("name", SETS)
def test_accuracy_stays_above_the_floors(result, name):
    one = next(s for s in result.sets if s.name == name)
    scores = one.scores["cleaner"]
    f1, precision, exact, lost = FLOORS[name]
    assert scores.f1 >= f1, (name, scores.f1)
    assert (scores.precision or 0) >= precision, (name, scores.precision)
    assert scores.exact >= exact, (name, scores.exact)
    assert len(collapsed(scores)) <= lost, (name, collapsed(scores))


@pytest.mark.parametrize("name", SETS)
def test_no_page_fails_and_none_is_empty(result, name):
    one = next(s for s in result.sets if s.name == name)
    assert one.outputs["cleaner"].errors == {}
    truth = one.truth
    # a page whose own text is empty (its truth is not on the page) may stay empty
    blank = [pid for pid in empty(one.scores["cleaner"])
             if len(truth[pid]["page"].read_bytes()) > 2000]
    assert blank == []


def test_every_removal_names_its_element_and_explains_the_page(result):
    pooled = result.pooled
    details = pooled.outputs["cleaner"].details
    assert len(details) == len(pooled.truth)
    unresolved = {pid: d.get("unresolved_paths", d.get("detail_error"))
                  for pid, d in details.items()
                  if d.get("unresolved_paths") or "detail_error" in d}
    assert unresolved == {}
    dropped = sum(d["dropped"] for d in details.values())
    explained = sum(d["explained"] for d in details.values())
    assert explained >= EXPLAINED_POOLED * dropped
    good = sum(1 for d in details.values()
               if d["explained"] >= EXPLAINED_PAGE * d["dropped"])
    assert good >= PAGES_EXPLAINED * len(details)
    assert pooled.name == POOLED
