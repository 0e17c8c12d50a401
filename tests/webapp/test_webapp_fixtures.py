"""'Save as fixture': writes fixtures/<site>/ through cleaner.fixtures, with strict names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture
def opened(preview, gravity_html):
    _, page_id = preview.open("paste", html=gravity_html.decode(),
                              page_url="https://coastal-ledger.example/2025/10/ferry/")
    return page_id


def save(preview, page_id, **fields):
    return preview.client.post(f"/fixture/{page_id}",
                               data={"csrf_token": preview.token, **fields})


def tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")) if root.exists() else []


def test_save_writes_the_fixture_folder(app, preview, opened, gravity_html):
    resp = save(preview, opened, site="coastal-ledger.example", notes="gravity form in body")
    assert resp.status_code == 303
    folder = Path(app.config["FIXTURES_DIR"]) / "coastal-ledger.example"
    assert (folder / "input.html").read_bytes() == gravity_html
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["url"] == "https://coastal-ledger.example/2025/10/ferry/"
    assert meta["notes"] == "gravity form in body"
    candidate = (folder / "candidate.txt").read_text()
    assert "four crossings a day" in candidate and "indicates required fields" not in candidate
    view = preview.client.get(resp.headers["Location"])
    assert "saved fixture coastal-ledger.example" in view.text


def test_saved_fixture_is_picked_up_by_the_suite(app, preview, opened):
    save(preview, opened, site="coastal-ledger.example")
    from cleaner.devtools.fixtures import check, list_fixtures
    root = app.config["FIXTURES_DIR"]
    assert list_fixtures(root) == ["coastal-ledger.example"]
    [result] = check(root=root)
    assert result.status == "candidate" and "four crossings" in result.output


@pytest.mark.parametrize("site", [
    "../escape", "..", ".", ".hidden", "a/b", "a\\b", "/abs", "", " ", "name with space",
    "x" * 101, "caf\u00e9", "fixtures/../../x", "%2e%2e", "a\x00b", "con:1", "new\nline",
])
def test_bad_site_names_are_refused_and_nothing_is_written(app, preview, opened, site,
                                                           tmp_path):
    before = tree(tmp_path)
    resp = save(preview, opened, site=site)
    assert resp.status_code == 400
    assert "bad fixture name" in resp.text
    assert tree(tmp_path) == before


def test_existing_fixture_needs_replace(app, preview, opened):
    assert save(preview, opened, site="site-one").status_code == 303
    resp = save(preview, opened, site="site-one")
    assert resp.status_code == 409 and "exists" in resp.text
    assert save(preview, opened, site="site-one", replace="1").status_code == 303


def test_save_needs_the_csrf_token(app, preview, opened):
    resp = preview.client.post(f"/fixture/{opened}", data={"site": "site-two"})
    assert resp.status_code == 400
    assert not (Path(app.config["FIXTURES_DIR"]) / "site-two").exists()


def test_save_with_a_profile_records_it(tmp_path, monkeypatch, preview_for, gravity_html):
    from webapp import create_app
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "coastal.toml").write_text('host = "coastal-ledger.example"\n')
    # via the environment, as `cleaner serve --profiles` does: the fixture's check needs it
    monkeypatch.setenv("CLEANER_PROFILES", str(profiles))
    app = create_app({"TESTING": True, "FIXTURES_DIR": str(tmp_path / "fx")})
    preview = preview_for(app)
    _, page_id = preview.open("paste", html=gravity_html.decode())
    assert save(preview, page_id, site="with-profile", profile="coastal").status_code == 303
    meta = json.loads((tmp_path / "fx" / "with-profile" / "meta.json").read_text())
    assert meta["profile"] == "coastal"
    assert save(preview, page_id, site="bad-profile", profile="../x").status_code == 400


def test_save_for_an_expired_page_is_404(preview):
    assert save(preview, "AAAAAAAAAAAAAAAA", site="x").status_code == 404
