"""The preview under abuse: oversized uploads, malformed JSON, slow clients, a crowd of
parallel requests, and every page of the pathological corpus (reduced) through the JSON
API and the upload form. The real server is waitress, on 127.0.0.1, in a thread."""

from __future__ import annotations

import importlib.util
import io
import json
import re
import socket
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from webapp import create_app

ROOT = Path(__file__).parents[2]
ARTICLE = ("<html><body><article><p>The council voted on Tuesday to close the old bridge, "
           "citing safety, cost and the river's rising level.</p><p>Residents welcomed it."
           "</p></article></body></html>")


def load_corpus():
    spec = importlib.util.spec_from_file_location("pathological",
                                                  ROOT / "scripts" / "pathological.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("pathological", module)
    spec.loader.exec_module(module)
    return module


CORPUS = load_corpus()
SCALE = 0.002
# the view locates every removal in the page, in time quadratic in their number
# (webapp/annotate.py _by_text): sibling-p's 1,000 removed "x" lines already take ~1.5 s
UPLOAD_SCALE = 0.001


# -- waitress, as `cleaner serve` runs it, in a thread (conftest's served_for) ----------

@pytest.fixture
def served(app, served_for):
    return served_for(app)


@pytest.fixture
def small_cap_served(tmp_path, served_for):
    return served_for(create_app({"TESTING": True, "MAX_INPUT_BYTES": 100_000,
                                  "FIXTURES_DIR": str(tmp_path / "fixtures")}))


def test_served_by_waitress_in_a_thread(served):
    conn = served.connect()
    conn.request("GET", "/")
    resp = conn.getresponse()
    assert resp.status == 200 and resp.getheader("Server") == "cleaner-preview"
    conn.close()


# -- oversized uploads: 413 --------------------------------------------------------------

def test_oversized_json_body_is_413_through_waitress(small_cap_served):
    status, body = small_cap_served.post_json({"html": "<p>" + "x" * 400_000 + "</p>"})
    assert status == 413 and "size limit" in body["error"]


def test_oversized_upload_is_413_through_waitress(small_cap_served, multipart):
    conn = small_cap_served.connect()
    conn.request("GET", "/")
    resp = conn.getresponse()
    page = resp.read().decode()
    cookie = resp.getheader("Set-Cookie").split(";", 1)[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    body, ctype = multipart({"csrf_token": token, "source": "upload"},
                            b"<p>" + b"x" * 400_000 + b"</p>", "big.html")
    conn.request("POST", "/preview", body=body, headers={"Content-Type": ctype,
                                                         "Cookie": cookie})
    resp = conn.getresponse()
    assert resp.status == 413
    assert "size limit" in resp.read().decode()
    conn.close()


def test_upload_just_over_the_input_cap_is_413(tmp_path):
    app = create_app({"TESTING": True, "MAX_INPUT_BYTES": 50_000,
                      "FIXTURES_DIR": str(tmp_path / "fixtures")})
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)
    resp = client.post("/preview", data={
        "csrf_token": token, "source": "upload",
        "file": (io.BytesIO(b"<p>" + b"x" * 50_001 + b"</p>"), "a.html")})
    assert resp.status_code == 413 and "over the limit of 50,000" in resp.text


# -- malformed JSON: 400 -----------------------------------------------------------------

MALFORMED = [b'{"html": ', b'{"html": "<p>x</p>"', b"[1, 2]", b'"just a string"', b"NaN",
             b"", b"\xff\xfe{}", b"{'html': 'single quotes'}", b'{"html": "<p>x</p>",}',
             b"null", b"\x00\x00\x00{", b'{"html": 12}', b'{"html": ["<p>x</p>"]}',
             b'{"html": "<p>x</p>", "format": "pdf"}', b'{"html": "a", "text": "b"}',
             b'{"html": "<p>x</p>", "include_comments": "yes"}', b'{"nothing": true}']


@pytest.mark.parametrize("body", MALFORMED)
def test_malformed_json_is_400(client, body):
    resp = client.post("/api/clean", data=body, content_type="application/json")
    assert resp.status_code == 400, resp.get_data()[:200]
    assert resp.is_json and resp.get_json()["error"]


def test_json_without_json_content_type_is_400(client):
    resp = client.post("/api/clean", data=b'{"html": "<p>x</p>"}', content_type="text/plain")
    assert resp.status_code == 400


@pytest.mark.parametrize("body", [b"[" * 100_000, b'{"html": ' + b"[" * 100_000 + b"]" * 100_000
                                  + b"}"])
def test_deeply_nested_json_is_400(tmp_path, body):
    app = create_app({"FIXTURES_DIR": str(tmp_path / "fixtures")})  # not TESTING: real 500s
    resp = app.test_client().post("/api/clean", data=body, content_type="application/json")
    assert resp.status_code == 400


def test_malformed_json_through_waitress_is_400(served):
    for body in MALFORMED[:4]:
        status, answer = served.post_json(body)
        assert status == 400 and answer["error"]


# -- slow clients do not block others -----------------------------------------------------

def _trickle(port: int, head: bytes, tail: bytes, done: list, started: threading.Event):
    """Send ``head`` at once and ``tail`` a few bytes at a time (about 2 s), then read the
    whole answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(head)
        started.set()
        pause = 2.0 / (len(tail) / 4)
        for i in range(0, len(tail), 4):
            sock.sendall(tail[i:i + 4])
            time.sleep(pause)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    done.append((time.monotonic(), answer))


def test_slow_clients_do_not_block_others(tmp_path, served_for):
    app = create_app({"TESTING": True, "FIXTURES_DIR": str(tmp_path / "fixtures")})
    served = served_for(app, threads=2)  # fewer threads than slow clients
    try:
        body = json.dumps({"html": ARTICLE}).encode()
        headers = (b"POST /api/clean HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   b"Content-Type: application/json\r\nConnection: close\r\n"
                   b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")
        done: list = []
        clients = []
        # 3 clients send their headers slowly, 2 their body, against 2 worker threads
        for head, tail in [(b"", headers + body)] * 3 + [(headers, body)] * 2:
            started = threading.Event()
            t = threading.Thread(target=_trickle, args=(served.port, head, tail, done,
                                                        started), daemon=True)
            t.start()
            started.wait(10)
            clients.append(t)

        fast = []
        for _ in range(10):
            status, answer = served.post_json({"html": ARTICLE}, timeout=10)
            assert status == 200 and "close the old bridge" in answer["text"]
            fast.append(time.monotonic())
        assert not done, "the fast requests waited for the slow ones"
        for t in clients:
            t.join(60)
        assert len(done) == 5
        assert all(b" 200 OK" in answer.split(b"\r\n", 1)[0] for _, answer in done)
        assert max(fast) < min(at for at, _ in done)
    finally:
        served.close()


def test_a_client_that_never_finishes_its_headers_does_not_block_others(served):
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as stuck:
        stuck.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")  # and nothing more
        for _ in range(3):
            status, answer = served.post_json({"html": ARTICLE}, timeout=10)
            assert status == 200


# -- slow upstream pages do not hold the server's threads ---------------------------------

@pytest.fixture
def drip_server():
    """A server on 127.0.0.1 that sends its headers one byte every 0.25 s (about 20 s)."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def drip(conn: socket.socket) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Pad: " + b"x" * 20 + b"\r\n"
        with conn:
            try:
                conn.recv(65536)
                for i in range(len(head)):
                    if stop.is_set():
                        return
                    conn.sendall(head[i:i + 1])
                    time.sleep(0.25)
            except OSError:
                pass

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=drip, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    listener.close()


def test_two_dripping_urls_do_not_hold_a_two_thread_server(tmp_path, drip_server, served_for):
    """fetch's deadline covers the headers too: two URLs that drip a byte at a time hold
    both of waitress's threads for FETCH_TIMEOUT (1 s), not for the ~20 s the drip lasts."""
    app = create_app({"TESTING": True, "FIXTURES_DIR": str(tmp_path / "fixtures"),
                      "FETCH_ALLOW_LOOPBACK": True, "FETCH_TIMEOUT": 1})
    served = served_for(app, threads=2)
    try:
        start = time.monotonic()
        with ThreadPoolExecutor(max_workers=2) as pool:
            slow = [pool.submit(served.post_json, {"url": f"{drip_server}/{i}"}, 30)
                    for i in range(2)]
            time.sleep(0.3)  # both threads are now fetching
            conn = served.connect(timeout=10)
            conn.request("GET", "/")
            resp = conn.getresponse()
            assert resp.status == 200
            resp.read()
            conn.close()
            answered = time.monotonic() - start
            for future in slow:
                status, body = future.result()
                assert status == 502 and "timed out" in body["error"]
        assert answered < 4, f"GET / waited {answered:.1f} s for the slow fetches"
    finally:
        served.close()


# -- a crowd ------------------------------------------------------------------------------

def test_two_hundred_parallel_requests_are_all_answered(served):
    pages = [f"<article><p>Story number {i}: the council voted on Tuesday to close the old "
             f"bridge, citing safety and cost.</p></article>" for i in range(200)]
    gate = threading.Barrier(200, timeout=30)

    def one(i: int) -> tuple[int, str]:
        gate.wait()
        status, answer = served.post_json({"html": pages[i]}, timeout=60)
        return status, answer.get("text", "")

    with ThreadPoolExecutor(max_workers=200) as pool:
        results = list(pool.map(one, range(200)))
    assert [s for s, _ in results] == [200] * 200
    assert all(f"Story number {i}:" in text for i, (_, text) in enumerate(results))


# -- the pathological corpus, reduced, through the API and the upload form -------------

@pytest.mark.parametrize("case", CORPUS.CASES, ids=lambda c: c.name)
def test_pathological_page_through_the_json_api(client, case):
    data = case.make(SCALE)
    html = data if isinstance(data, str) else data.decode("latin-1")  # any bytes, as chars
    resp = client.post("/api/clean", json={"html": html})
    assert resp.status_code in (200, 400, 413, 422), resp.get_data()[:300]
    assert resp.is_json
    resp = client.post("/api/clean", json={"text": html})
    assert resp.status_code in (200, 400, 413, 422), resp.get_data()[:300]


@pytest.mark.parametrize("case", CORPUS.CASES, ids=lambda c: c.name)
def test_pathological_page_through_the_upload_form(preview, case):
    data = case.make(UPLOAD_SCALE)
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    resp = preview.client.post("/preview", data={
        "csrf_token": preview.token, "source": "upload",
        "file": (io.BytesIO(raw), f"{case.name}.html")})
    assert resp.status_code in (303, 400, 413, 422), resp.get_data()[:300]
    if resp.status_code != 303:
        return
    location = resp.headers["Location"]
    page_id = location.split("/view/", 1)[1].split("?", 1)[0]
    for url in (location, f"/page/{page_id}", f"/page/{page_id}?mark=1",
                f"/download/{page_id}.json", f"/download/{page_id}.md"):
        got = preview.client.get(url)
        assert got.status_code in (200, 400, 413, 422), (url, got.get_data()[:300])
