"""Every folder in fixtures/ is a test: cleaner's text today must equal expected.txt.

A folder without expected.txt is a candidate waiting for approval: reported as skipped.
A failure shows a unified diff: '-' lines are expected text cleaner lost, '+' lines
are text it kept that a careful reader would not.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cleaner.devtools.fixtures import EXPECTED, check_fixture, list_fixtures, load_fixture
from cleaner.profiles import find_profile

ROOT = Path(__file__).parent.parent / "fixtures"
NAMES = list_fixtures(ROOT)


def test_fixtures_folder_has_fixtures():
    assert NAMES, f"no fixtures found in {ROOT}"


@pytest.mark.parametrize("name", NAMES)
def test_fixture(name):
    fixture = load_fixture(name, ROOT)
    if fixture.expected is None:
        pytest.skip(f"{name}: candidate only, no {EXPECTED} yet "
                    f"(read candidate.txt, then 'cleaner fixture approve {name}')")
    result = check_fixture(fixture)
    if result.status != "ok":
        pytest.fail(f"{name}: output differs from {EXPECTED}\n{result.diff}", pytrace=False)


@pytest.mark.parametrize("name", NAMES)
def test_fixture_meta(name):
    meta = load_fixture(name, ROOT).meta
    assert {"url", "added", "notes"} <= set(meta), f"{name}/meta.json lacks a field"
    assert isinstance(meta["notes"], str) and meta["notes"], f"{name}: say what it exercises"
    dt.date.fromisoformat(meta["added"])
    if meta.get("profile"):
        profile = find_profile(name=meta["profile"])
        assert profile.matches(meta["url"]), f"{name}: profile does not match the page's URL"
        assert meta["url"] in profile.test_urls, f"{name}: list the page in test_urls"


@pytest.mark.parametrize("name", NAMES)
def test_fixture_metadata(name):
    """title, author, date, site name and language, as meta.json pins them."""
    from cleaner import clean_article
    fixture = load_fixture(name, ROOT)
    want = fixture.meta.get("metadata")
    if not want:
        pytest.skip(f"{name}: meta.json pins no metadata")
    ctype = fixture.meta.get("content_type")
    got = clean_article(fixture.input_bytes, fixture.url, profile=fixture.profile,
                        headers={"content-type": ctype} if ctype else None).metadata
    assert {k: got.get(k) for k in want} == want
