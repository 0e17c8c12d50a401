"""The command line as a user calls it: exit codes, formats, one-line errors."""

import http.server
import io
import json
import sys
import threading
from pathlib import Path

import pytest

from cleaner.cli import main

SEED = Path(__file__).parent.parent / "cleaner" / "samples" / "seed-wordpress.html"


def run(capsys, *argv, stdin: bytes | None = None):
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
    try:
        code = main(list(argv))
    finally:
        sys.stdin = sys.__stdin__
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_a_file_to_text_with_explain(capsys):
    code, out, err = run(capsys, "clean", str(SEED), "--explain")
    assert code == 0
    assert "Tomahawk" in out and "indicates required fields" not in out
    assert err.splitlines()[0].split(" (")[0] in {"form", "share", "comments", "consent",
                                                   "navigation", "related", "hidden",
                                                   "extract", "meta", "title", "layout"}
    assert "form.gravity" in err


@pytest.mark.parametrize("fmt, check", [("json", lambda o: json.loads(o)["removed"]),
                                        ("markdown", lambda o: "Tomahawk" in o),
                                        ("html", lambda o: o.startswith("<p>"))])
def test_formats(capsys, fmt, check):
    code, out, _ = run(capsys, "clean", str(SEED), "--format", fmt)
    assert code == 0 and check(out)


def test_stdin_and_text_mode(capsys):
    code, out, _ = run(capsys, "clean", "-", "--text",
                       stdin=b'The story.\n"*" indicates required fields\n')
    assert code == 0 and out == "The story.\n"


def test_missing_file_is_one_line_exit_1(capsys):
    code, out, err = run(capsys, "clean", "/no/such/file.html")
    assert code == 1 and out == ""
    assert err.startswith("cleaner: cannot read") and err.count("\n") == 1


def test_binary_input_is_one_line_exit_1(capsys, tmp_path):
    png = tmp_path / "x.html"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    code, _, err = run(capsys, "clean", str(png))
    assert code == 1 and "PNG" in err and "Traceback" not in err


def test_bad_option_is_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["clean", str(SEED), "--format", "pdf"])
    assert exc.value.code == 2


@pytest.mark.parametrize("argv, message", [
    (["clean", str(SEED), "--max-bytes", "-5"], "--max-bytes: must be at least 0, got -5"),
    (["clean", str(SEED), "--max-nodes", "many"], "--max-nodes: not a whole number: 'many'"),
    (["bench", "data", "--jobs", "0"], "--jobs: must be at least 1, got 0"),
    (["batch", "in", "--out", "out", "--jobs", "0"], "--jobs/-j: must be at least 1, got 0"),
    (["serve", "--threads", "0"], "--threads: must be at least 1, got 0"),
    (["serve", "--port", "-1"], "--port: must be at least 0, got -1"),
])
def test_bad_counts_are_usage_errors_in_every_command(capsys, argv, message):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_version_and_demo(capsys):
    code, out, _ = run(capsys, "version")
    assert code == 0 and out.startswith("cleaner ")
    code, out, _ = run(capsys, "demo")
    assert code == 0
    after = out.split("== after: clean article text ==")[1].split("== removed")[0]
    assert "indicates required fields" in out.split("== after")[0]
    assert "indicates required fields" not in after and "form.gravity" in out


class _Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = SEED.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_fetch_a_url_from_a_local_server(capsys):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/story"
        code, _, err = run(capsys, "clean", url)
        assert code == 3 and "refused" in err  # loopback needs --allow-loopback
        code, out, _ = run(capsys, "clean", url, "--allow-loopback")
        assert code == 0 and "Tomahawk" in out
    finally:
        server.shutdown()


def test_private_address_is_refused_before_any_connection(capsys):
    code, out, err = run(capsys, "clean", "http://169.254.169.254/latest/meta-data/")
    assert code == 3 and out == "" and "refused" in err


def test_serve_without_the_preview_extra_is_one_line(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "flask", None)  # as if not installed
    for name in [m for m in sys.modules if m == "webapp" or m.startswith("webapp.")]:
        monkeypatch.delitem(sys.modules, name)
    assert main(["serve", "--port", "0"]) == 1
    err = capsys.readouterr().err.strip()
    assert err == ("cleaner: cleaner serve needs the preview extra (flask is missing): "
                   "pip install 'cleaner[preview]'")


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_output_is_utf8_on_a_narrow_stdout(monkeypatch, tmp_path, encoding):
    # was: a UnicodeEncodeError traceback under PYTHONIOENCODING=ascii (or a Latin-1
    # locale, or a Windows console redirected to a file) for any page with "—" or "ü"
    page = tmp_path / "page.html"
    page.write_text("<article><p>Die Bürger der Stadt ärgern sich über die Brücke — "
                    "sagte sie.</p></article>", encoding="utf-8")
    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding=encoding))
    for fmt in ("text", "json"):
        assert main(["clean", str(page), "--format", fmt]) == 0
    sys.stdout.flush()
    out = raw.getvalue().decode("utf-8")
    assert "Die Bürger der Stadt" in out and "Brücke — sagte" in out


class _FullDisk(io.RawIOBase):
    def writable(self):
        return True

    def write(self, data):
        raise OSError(28, "No space left on device")


@pytest.mark.parametrize("argv", [["clean", str(SEED)], ["rules"], ["demo"]])
def test_a_full_disk_is_one_line_exit_1(monkeypatch, capsys, argv):
    # was: an OSError traceback (ENOSPC on stdout, e.g. '> /dev/full')
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BufferedWriter(_FullDisk())))
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err == "cleaner: output: No space left on device\n"


def test_a_closed_stdout_writes_nowhere(monkeypatch, capsys):
    # was: AttributeError on None ('cleaner clean page.html >&-')
    monkeypatch.setattr(sys, "stdout", None)
    assert main(["clean", str(SEED)]) == 0
