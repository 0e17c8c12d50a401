"""The residue audit (cleaner bench --residue) on a tiny dataset written here."""

import gzip
import json

from cleaner.cli import main
from cleaner.devtools.audit import _leaks, _widget_strings, format_audit, residue_audit
from cleaner.rules import default_rules

STORY = ("The ferry service to the island resumed on Monday after a three-week pause, "
         "the operator said, with extra sailings planned for the weekend.")


def _dataset(tmp_path):
    (tmp_path / "pages").mkdir()
    page = (f"<html><body><article><p>{STORY}</p><p>{STORY.replace('Monday', 'Friday')}</p>"
            '<div class="sharedaddy"><h3 class="sd-title">Share this:</h3></div>'
            "</article></body></html>")
    (tmp_path / "pages" / "p1.html.gz").write_bytes(gzip.compress(page.encode()))
    truth = {"id": "p1", "url": "https://ferry.example/a", "body": STORY + "\n" +
             STORY.replace("Monday", "Friday")}
    (tmp_path / "truth.jsonl").write_text(json.dumps(truth) + "\n", encoding="utf-8")
    return tmp_path


def test_leak_detection_counts_widget_lines_not_prose():
    strings, patterns = _widget_strings(default_rules())
    leaks = _leaks("Share this:\nLeave a Reply\nThe council will reply on Monday.",
                   "The council will reply on Monday.", strings, patterns)
    assert [family for family, _ in leaks] == ["share", "comments"]
    assert _leaks("Share this:", "Share this:", strings, patterns) == []  # truth has it


def test_audit_on_a_tiny_dataset(tmp_path, capsys):
    result = residue_audit(_dataset(tmp_path), passes=1)
    assert result.pages == 1 and result.leaks == {}
    assert result.f1_on == 1.0 and result.ms_with > 0 and result.ms_without > 0
    assert "pages whose output has widget text the truth lacks: 0" in format_audit(result)
    assert main(["bench", str(tmp_path), "--residue", "--passes", "1"]) == 0
    assert "residue layers' cost" in capsys.readouterr().out
