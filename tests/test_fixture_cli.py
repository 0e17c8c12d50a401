"""`cleaner fixture add -> check -> approve` through cleaner.cli.main, in a tmp folder."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cleaner.cli import main
from cleaner.devtools.fixtures import validate_name
from cleaner.errors import FixtureError

PAGE = (b"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"windows-1252\">"
        b"<title>Harbour ferry returns</title></head><body>"
        b"<a class=\"skip-link screen-reader-text\" href=\"#main\">Skip to content</a>"
        b"<main id=\"main\"><article><h1>Harbour ferry returns</h1>\r\n"
        b"<div class=\"entry-content\"><p>The harbour ferry returned to service on Monday "
        b"after a six-week refit, the port authority said in a statement.</p>\r\n"
        b"<p>Crossings run every twenty minutes until the caf\xe9 season ends, and the "
        b"timetable for winter will be published in October.</p></div>"
        b"</article></main></body></html>")
TODAY = dt.date.today().isoformat()


@pytest.fixture
def page(tmp_path):
    p = tmp_path / "ferry.html"
    p.write_bytes(PAGE)
    return p


@pytest.fixture
def root(tmp_path):
    return tmp_path / "fixtures"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_add_check_approve_round_trip(capsys, page, root):
    code, out, err = run(capsys, "fixture", "add", str(page), "--site", "harbour.example",
                         "--url", "https://harbour.example/news/ferry", "--root", str(root),
                         "--notes", "ferry story")
    assert code == 0, err
    folder = root / "harbour.example"
    assert (folder / "input.html").read_bytes() == PAGE      # exact bytes, CRLF and cp1252
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert meta["url"] == "https://harbour.example/news/ferry"
    assert meta["added"] == TODAY
    assert meta["notes"] == "ferry story"
    candidate = (folder / "candidate.txt").read_text(encoding="utf-8")
    assert "The harbour ferry returned to service" in candidate
    assert "café season" in candidate
    assert not (folder / "expected.txt").exists()            # a candidate, not yet expected

    code, out, err = run(capsys, "fixture", "check", "--root", str(root))
    assert code == 0, err
    assert "skip harbour.example" in out

    code, out, err = run(capsys, "fixture", "approve", "harbour.example", "--root", str(root))
    assert code == 0, err
    assert (folder / "expected.txt").read_text(encoding="utf-8") == candidate
    assert not (folder / "candidate.txt").exists()
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert meta["approved"] == TODAY and meta["added"] == TODAY

    code, out, err = run(capsys, "fixture", "check", "--root", str(root))
    assert code == 0, out + err
    assert "ok   harbour.example" in out

    code, out, err = run(capsys, "fixture", "list", "--root", str(root))
    assert code == 0
    assert "harbour.example" in out and "expected" in out


def test_check_fails_with_a_unified_diff(capsys, page, root):
    assert main(["fixture", "add", str(page), "--site", "ferry", "--root", str(root)]) == 0
    assert main(["fixture", "approve", "ferry", "--root", str(root)]) == 0
    expected = root / "ferry" / "expected.txt"
    expected.write_text(expected.read_text(encoding="utf-8") + "A line the reader wanted.\n",
                        encoding="utf-8")
    capsys.readouterr()
    code, out, err = run(capsys, "fixture", "check", "ferry", "--root", str(root))
    assert code == 4
    assert "FAIL ferry" in out
    assert "--- ferry/expected.txt" in out
    assert "-A line the reader wanted." in out


def test_approve_without_candidate_pins_current_output(capsys, page, root):
    assert main(["fixture", "add", str(page), "--site", "ferry", "--root", str(root)]) == 0
    folder = root / "ferry"
    candidate = (folder / "candidate.txt").read_text(encoding="utf-8")
    (folder / "candidate.txt").unlink()
    code, out, err = run(capsys, "fixture", "approve", "ferry", "--root", str(root))
    assert code == 0, err
    assert (folder / "expected.txt").read_text(encoding="utf-8") == candidate


def test_approve_keeps_a_hand_edited_candidate(capsys, page, root):
    assert main(["fixture", "add", str(page), "--site", "ferry", "--root", str(root)]) == 0
    folder = root / "ferry"
    (folder / "candidate.txt").write_text("Edited by hand.\n", encoding="utf-8")
    assert main(["fixture", "approve", "ferry", "--root", str(root)]) == 0
    assert (folder / "expected.txt").read_text(encoding="utf-8") == "Edited by hand.\n"
    capsys.readouterr()
    code, out, _ = run(capsys, "fixture", "check", "--root", str(root))
    assert code == 4 and "+The harbour ferry returned" in out


def test_add_refuses_to_overwrite_without_force(capsys, page, root):
    assert main(["fixture", "add", str(page), "--site", "ferry", "--root", str(root)]) == 0
    capsys.readouterr()
    code, out, err = run(capsys, "fixture", "add", str(page), "--site", "ferry",
                         "--root", str(root))
    assert code == 1
    assert err.count("\n") == 1 and err.startswith("cleaner: ") and "--force" in err
    assert main(["fixture", "add", str(page), "--site", "ferry", "--root", str(root),
                 "--force"]) == 0


def test_forced_add_needs_a_new_approval(capsys, page, root):
    assert main(["fixture", "add", str(page), "--site", "ferry", "--root", str(root)]) == 0
    assert main(["fixture", "approve", "ferry", "--root", str(root)]) == 0
    assert main(["fixture", "add", str(page), "--site", "ferry", "--root", str(root),
                 "--force"]) == 0
    folder = root / "ferry"
    assert (folder / "candidate.txt").is_file() and not (folder / "expected.txt").exists()


def test_add_writes_nothing_when_the_page_cannot_be_cleaned(capsys, root, tmp_path):
    blob = tmp_path / "photo.html"
    blob.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    code, out, err = run(capsys, "fixture", "add", str(blob), "--site", "photo",
                         "--root", str(root))
    assert code == 1 and err.startswith("cleaner: ") and err.count("\n") == 1
    assert not (root / "photo").exists()


def test_root_defaults_to_the_environment(capsys, page, root, monkeypatch):
    monkeypatch.setenv("CLEANER_FIXTURES", str(root))
    assert main(["fixture", "add", str(page), "--site", "ferry"]) == 0
    assert (root / "ferry" / "input.html").is_file()


def test_root_defaults_to_fixtures_in_the_working_folder(capsys, page, tmp_path,
                                                         monkeypatch):
    monkeypatch.delenv("CLEANER_FIXTURES", raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert main(["fixture", "add", str(page), "--site", "ferry"]) == 0
    assert (work / "fixtures" / "ferry" / "input.html").is_file()


BAD_NAMES = ["../x", "/abs", ".hidden", "", "with space", "a/b", "..", ".", "a\\b",
             "x" * 101, "name\n"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_add_rejects_unsafe_site_names(capsys, page, root, tmp_path, name):
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run(capsys, "fixture", "add", str(page), "--site", name,
                         "--root", str(root))
    assert code == 1
    assert err.startswith("cleaner: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before   # nothing written
    assert not root.exists()


@pytest.mark.parametrize("name", ["../x", "/abs", ".hidden", "with space"])
@pytest.mark.parametrize("action", ["approve", "check"])
def test_other_actions_reject_unsafe_names(capsys, root, name, action):
    root.mkdir()
    code, out, err = run(capsys, "fixture", action, name, "--root", str(root))
    assert code == 1
    assert err.startswith("cleaner: ") and err.count("\n") == 1


@pytest.mark.parametrize("name", ["example.org", "news_site-2", "A1", "le-monde.fr"])
def test_safe_names_pass(name):
    assert validate_name(name) == name


def test_unsafe_name_raises_fixture_error():
    with pytest.raises(FixtureError):
        validate_name("../etc")


def test_unknown_fixture_is_one_line_error(capsys, root):
    root.mkdir()
    code, out, err = run(capsys, "fixture", "approve", "nope", "--root", str(root))
    assert code == 1 and err.startswith("cleaner: ") and err.count("\n") == 1


def test_check_of_a_missing_root_is_one_line_error(capsys, tmp_path):
    code, out, err = run(capsys, "fixture", "check", "--root", str(tmp_path / "none"))
    assert code == 1 and err.startswith("cleaner: ") and err.count("\n") == 1


def test_missing_input_file_is_one_line_error(capsys, root, tmp_path):
    code, out, err = run(capsys, "fixture", "add", str(tmp_path / "missing.html"),
                         "--site", "ferry", "--root", str(root))
    assert code == 1 and err.startswith("cleaner: ") and err.count("\n") == 1
    assert not (root / "ferry").exists()


def test_a_meta_json_nested_past_the_decoders_stack_is_one_line_error(capsys, page, root):
    # was: RecursionError from json.loads: a traceback from check, approve and list
    assert run(capsys, "fixture", "add", str(page), "--site", "ferry",
               "--root", str(root))[0] == 0
    (root / "ferry" / "meta.json").write_text("[" * 100_000, encoding="utf-8")
    for action in (["check", "ferry"], ["approve", "ferry"], ["list"]):
        code, out, err = run(capsys, "fixture", *action, "--root", str(root))
        assert code == 1 and err.startswith("cleaner: ") and err.count("\n") == 1, action
        assert "nested too deep" in err
