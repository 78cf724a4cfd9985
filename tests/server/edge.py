#!/usr/bin/env python3
"""edge.py BACKEND — the network edge of `xsirt serve` over raw sockets
(docs/security.md, "The network edge"): ambiguous framing refused with a
JSON 400 and the connection closed; Host, control bytes in the URI,
Content-Type, HEAD, 405 with Allow; every error JSON (UTF-8 cut); the log
cannot be forged; Secure cookies behind a TLS proxy; a bounded slow-client
flood while a normal client keeps being answered; the login throttle and
the memory of parallel logins; a bounded stream of corrupted requests.
"""
import json
import os
import random
import re
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

from harness import XSIRT, Result, cleanup, fresh_database, init, request

backend = sys.argv[1]
t = Result()


class EdgeServer:
    """`xsirt serve` with extra options; its log (stderr) goes to a file."""

    def __init__(self, data, database, *extra, env=None):
        self.log = tempfile.NamedTemporaryFile(prefix="xsirt-edge-log-", delete=False)
        args = [XSIRT, "serve", "--data", data, "--listen", "127.0.0.1:0"] + list(extra)
        if database:
            args += ["--database", database]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.log, text=True,
                                     env=dict(os.environ, **(env or {})))
        line = self.proc.stdout.readline()
        m = re.search(r"http://([0-9.]+):(\d+)/", line)
        if not m:
            raise RuntimeError("server did not start: %r" % line)
        self.port = int(m.group(2))
        self.base = "http://127.0.0.1:%d" % self.port

    def alive(self):
        return self.proc.poll() is None

    def memory(self, field):
        """VmRSS or VmHWM of the server, in KiB."""
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        return 0

    def log_lines(self):
        with open(self.log.name, "rb") as f:
            return f.read().split(b"\n")

    def stop(self):
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        os.unlink(self.log.name)


def connect(port, source="127.0.0.1", timeout=5.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    return s


def parse_answers(data):
    """[(status, headers, body)] of every answer in data (Content-Length framed)."""
    out = []
    while data.startswith(b"HTTP/"):
        head, sep, rest = data.partition(b"\r\n\r\n")
        if not sep:
            break
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers.setdefault(k.strip().lower(), v.strip())
        n = int(headers.get("content-length", "0"))
        out.append((status, headers, rest[:n]))
        data = rest[n:]
    return out


def receive(s, got=b"", stop=None):
    """Reads s until the server closes, the timeout, or stop(got): (got, closed)."""
    closed = False
    try:
        while stop is None or not stop(got):
            d = s.recv(65536)
            if not d:
                closed = True
                break
            got += d
    except socket.timeout:
        pass
    except (ConnectionResetError, BrokenPipeError):
        closed = True
    return got, closed


def raw(port, data, timeout=5.0, source="127.0.0.1", head=False, first=False, done=False):
    """Sends data on a new connection; returns (answers, closed by server, bytes).
    head: stop at the end of the first answer's head; first: at its end;
    done: half-close after sending (no more is coming), so that a request
    cut short is judged at once instead of waiting out the timeout."""
    s = connect(port, source, timeout)
    try:
        s.sendall(data)
        if done:
            s.shutdown(socket.SHUT_WR)
    except (ConnectionResetError, BrokenPipeError):
        pass   # refused while sending: the answer may still be there
    got, closed = receive(s, stop=lambda g: (head and b"\r\n\r\n" in g) or bool(first and parse_answers(g)))
    s.close()
    return parse_answers(got), closed, got


def json_error(body):
    """The error object of a JSON error body, or None."""
    try:
        e = json.loads(body.decode("utf-8"))["error"]
        return e if isinstance(e.get("code"), str) and isinstance(e.get("message"), str) else None
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        return None


def refused(port, what, data, status, code, close=True):
    """data must get exactly one answer: status, JSON error code, closed
    (close=False: the body is read and dropped, the connection may stay)."""
    answers, closed, _ = raw(port, data, first=not close)
    ok = (len(answers) == 1 and answers[0][0] == status and (closed or not close) and
          (json_error(answers[0][2]) or {}).get("code") == code)
    t.check(ok, "%s -> one %d JSON %s and close (got %r, closed=%s)"
            % (what, status, code, [(a[0], a[2][:80]) for a in answers], closed))


H = b"Host: edge.test\r\n"
JSON = b"Content-Type: application/json\r\n"


def mhd_cases():
    """(what, request, status, code): the heads libmicrohttpd 0.9.75 answers
    itself with an HTML page (a malformed request line, a version other
    than 1.x, a header line without a colon, a Content-Length that is not a
    number or too large, a head too large for its connection memory), and
    those the front refuses for the same reasons (folded lines, too many
    fields)."""
    many_args = b"/api/v1/cases?" + b"&".join(b"a%d=1" % i for i in range(300))
    return [
        ("a request line without a version", b"GET /healthz\r\n" + H + b"\r\n", 400, "bad_request_line"),
        ("a request line with a space in the target", b"GET /health z HTTP/1.1\r\n" + H + b"\r\n",
         400, "bad_request_line"),
        ("a request line of one word", b"GARBAGE\r\n" + H + b"\r\n", 400, "bad_request_line"),
        ("a version that is not HTTP/d.d", b"GET /healthz HTTP/1.1x\r\n" + H + b"\r\n", 400,
         "bad_request_line"),
        ("a lower-case version", b"GET /healthz http/1.1\r\n" + H + b"\r\n", 400, "bad_request_line"),
        ("HTTP/2.0 in the request line", b"GET /healthz HTTP/2.0\r\n" + H + b"\r\n", 505,
         "http_version_not_supported"),
        ("HTTP/0.9 in the request line", b"GET /healthz HTTP/0.9\r\n" + H + b"\r\n", 505,
         "http_version_not_supported"),
        ("a header line without a colon", b"GET /healthz HTTP/1.1\r\n" + H + b"X-Broken\r\n\r\n", 400,
         "bad_header"),
        ("a NUL before a header's colon", b"GET /healthz HTTP/1.1\r\n" + H + b"X-A\x00: b\r\n\r\n", 400,
         "bad_header"),
        ("a folded header line", b"GET /healthz HTTP/1.1\r\n" + H + b"X-A: b\r\n  c\r\n\r\n", 400,
         "bad_header"),
        ("a Content-Length that is not a number",
         b"POST /api/v1/session HTTP/1.1\r\n" + H + JSON + b"Content-Length: 1x\r\n\r\n{}", 400,
         "bad_content_length"),
        ("a Content-Length with a trailing blank",
         b"POST /api/v1/session HTTP/1.1\r\n" + H + JSON + b"Content-Length: 2 \r\n\r\n{}", 400,
         "bad_content_length"),
        ("a negative Content-Length",
         b"POST /api/v1/session HTTP/1.1\r\n" + H + JSON + b"Content-Length: -1\r\n\r\n{}", 400,
         "bad_content_length"),
        ("a Content-Length too large for 64 bits",
         b"POST /api/v1/session HTTP/1.1\r\n" + H + JSON + b"Content-Length: 99999999999999999999\r\n\r\n",
         400, "bad_content_length"),
        ("a request line of 17 KiB", b"GET /" + b"a" * (17 * 1024) + b" HTTP/1.1\r\n" + H + b"\r\n", 414,
         "uri_too_long"),
        ("a head of 17 KiB", b"GET /healthz HTTP/1.1\r\n" + H + b"X-Big: " + b"b" * (17 * 1024) + b"\r\n\r\n",
         431, "head_too_large"),
        ("101 header lines", b"GET /healthz HTTP/1.1\r\n" + H + b"X-A: b\r\n" * 100 + b"\r\n", 431,
         "too_many_headers"),
        ("300 query arguments", b"GET " + many_args + b" HTTP/1.1\r\n" + H + b"\r\n", 431,
         "too_many_fields"),
        ("300 cookies", b"GET /healthz HTTP/1.1\r\n" + H + b"Cookie: " + b"; ".join(b"c%d=1" % i for i in range(300))
         + b"\r\n\r\n", 431, "too_many_fields"),
    ]


def kept_alive(port, bad, pipelined):
    """A good request, then bad on the same connection (after the first
    answer, or at once): (answers, closed by the server)."""
    good = b"GET /healthz HTTP/1.1\r\n" + H + b"\r\n"
    s = connect(port)
    got = b""
    try:
        s.sendall(good + bad if pipelined else good)
        if not pipelined:
            got, _ = receive(s, stop=parse_answers)
            s.sendall(bad)
    except (ConnectionResetError, BrokenPipeError):
        pass
    got, closed = receive(s, got)
    s.close()
    return parse_answers(got), closed


def framing(srv, token):
    p = srv.port
    auth = b"Authorization: Bearer " + token.encode() + b"\r\n"
    smuggled = b"GET /healthz HTTP/1.1\r\n" + H + b"\r\n"
    refused(p, "two different Content-Length",
            b"POST /api/v1/session HTTP/1.1\r\n" + H + JSON +
            b"Content-Length: 2\r\nContent-Length: 40\r\n\r\n{}" + smuggled, 400, "ambiguous_framing")
    refused(p, "two equal Content-Length",
            b"POST /api/v1/session HTTP/1.1\r\n" + H + JSON +
            b"Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}", 400, "ambiguous_framing")
    refused(p, "Content-Length and Transfer-Encoding",
            b"POST /api/v1/session HTTP/1.1\r\n" + H + JSON +
            b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled,
            400, "ambiguous_framing")
    for coding in (b"xchunked", b"gzip, chunked", b"chunked, chunked", b"identity"):
        refused(p, "Transfer-Encoding: " + coding.decode(),
                b"POST /api/v1/session HTTP/1.1\r\n" + H + JSON +
                b"Transfer-Encoding: " + coding + b"\r\n\r\n", 400, "unsupported_transfer_coding")
    refused(p, "two Transfer-Encoding headers",
            b"POST /api/v1/session HTTP/1.1\r\n" + H + JSON +
            b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400, "unsupported_transfer_coding")
    refused(p, "chunked body with bare-LF chunk lines",
            b"POST /api/v1/session HTTP/1.1\r\n" + H + JSON +
            b"Transfer-Encoding: chunked\r\n\r\n2\n{}\n0\n\n" + smuggled, 411, "length_required")
    refused(p, "a space before a header's colon",
            b"POST /api/v1/session HTTP/1.1\r\n" + H + JSON +
            b"Content-Length : 2\r\n\r\n{}", 400, "bad_header")
    refused(p, "a control byte in a header value",
            b"GET /healthz HTTP/1.1\r\n" + H + b"X-Note: a\x01b\r\n\r\n", 400, "bad_header")
    # Heads libmicrohttpd 0.9.75 would answer itself, in HTML, before the
    # server is called: the front judges them first (docs/security.md,
    # "Every error is JSON"). Each alone on a new connection, and each after
    # a good request on a kept-alive one, sent after its answer and pipelined.
    for what, data, status, code in mhd_cases():
        refused(p, what, data + smuggled, status, code)
        for pipelined in (False, True):
            answers, closed = kept_alive(p, data + smuggled, pipelined)
            t.check(len(answers) == 2 and answers[0][0] == 200 and answers[1][0] == status and
                    (json_error(answers[1][2]) or {}).get("code") == code and closed,
                    "%s after a good request%s -> 200, then %d %s, closed (got %r, closed=%s)"
                    % (what, " (pipelined)" if pipelined else "", status, code,
                       [(a[0], a[2][:60]) for a in answers], closed))
    s, b, _ = request(srv.base, "GET", "/metrics")
    m = re.search(r"xsirt_http_heads_refused_total (\d+)", b if isinstance(b, str) else "")
    t.check(m is not None and int(m.group(1)) >= 3 * len(mhd_cases()),
            "/metrics counts the heads refused (%s)" % (m.group(1) if m else None))
    # A valid request on a kept-alive connection still works after all this.
    answers, closed, _ = raw(p, b"GET /api/v1/cases HTTP/1.1\r\n" + H + auth + b"\r\n", timeout=2)
    t.check(len(answers) == 1 and answers[0][0] == 200 and not closed,
            "a valid request: 200, connection kept open")


def head_and_methods(srv, token):
    p = srv.port
    auth = b"Authorization: Bearer " + token.encode() + b"\r\n"
    refused(p, "HTTP/1.1 without Host", b"GET /healthz HTTP/1.1\r\n\r\n", 400, "bad_host")
    refused(p, "two Host headers", b"GET /healthz HTTP/1.1\r\n" + H + H + b"\r\n", 400, "bad_host")
    answers, _, _ = raw(p, b"GET /healthz HTTP/1.0\r\n\r\n")
    t.check(len(answers) == 1 and answers[0][0] == 200, "HTTP/1.0 without Host: 200")
    for uri in (b"/api/v1/cases/1/timeline%00.json", b"/api/v1/cases%0a", b"/api/v1/cases?q=%1b[31m",
                b"/api/v1/cases/1%7f", b"/api/v1/cases%zz", b"/healthz\x1b[2J"):
        refused(p, "control byte in %r" % uri, b"GET " + uri + b" HTTP/1.1\r\n" + H + auth + b"\r\n",
                400, "bad_uri")
    answers, closed, got = raw(p, b"HEAD /healthz HTTP/1.1\r\n" + H + b"\r\n", head=True, timeout=2)
    t.check(got.startswith(b"HTTP/1.1 200 ") and got.endswith(b"\r\n\r\n"),
            "HEAD /healthz: 200 without a body (%r)" % got[:40])
    answers, closed, got = raw(p, b"HEAD /api/v1/cases HTTP/1.1\r\n" + H + auth + b"\r\n", head=True,
                               timeout=2)
    t.check(got.startswith(b"HTTP/1.1 200 ") and got.endswith(b"\r\n\r\n"), "HEAD /api/v1/cases: 200")
    s, b, h = request(srv.base, "DELETE", "/healthz")
    t.check(s == 405 and h.get("Allow") == "GET, HEAD" and b["error"]["code"] == "method_not_allowed",
            "DELETE /healthz: 405, Allow: GET, HEAD (%s %s)" % (s, h.get("Allow")))
    s, b, h = request(srv.base, "PUT", "/api/v1/cases", {}, token)
    t.check(s == 405 and h.get("Allow") == "GET, HEAD, POST", "PUT /api/v1/cases: 405, Allow (%s)"
            % h.get("Allow"))
    s, b, h = request(srv.base, "POST", "/api/v1/cases/1", {}, token)
    t.check(s == 405 and set(h.get("Allow", "").split(", ")) == {"GET", "HEAD", "PATCH"},
            "POST /api/v1/cases/1: 405, Allow (%s)" % h.get("Allow"))
    # Content-Type of bodies.
    case = json.dumps({"title": "t", "kind": "vulnerability"}).encode()
    for ctype in (b"text/plain", b"application/x-www-form-urlencoded", b"application/jsonx", None):
        data = (b"POST /api/v1/cases HTTP/1.1\r\n" + H + auth +
                (b"Content-Type: " + ctype + b"\r\n" if ctype else b"") +
                b"Content-Length: %d\r\n\r\n" % len(case) + case)
        refused(p, "body sent as %s" % ctype, data, 415, "unsupported_media_type", close=False)
    login = json.dumps({"username": "admin", "password": "x"}).encode()
    refused(p, "a login form posted from another site",
            b"POST /api/v1/session HTTP/1.1\r\n" + H +
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n" % len(login)
            + login, 415, "unsupported_media_type", close=False)
    # Too large: refused before the body is used; up to 8 MiB it is read and
    # dropped so the sender sees the answer, beyond that the connection closes.
    s, b, _ = request(srv.base, "POST", "/api/v1/teams", raw=b" " * (3 << 20), token=token)
    t.check(s == 413 and b["error"]["code"] == "too_large", "3 MiB body: 413 JSON (%s)" % s)
    refused(p, "Content-Length of 20 GB", b"POST /api/v1/teams HTTP/1.1\r\n" + H + JSON + auth +
            b"Content-Length: 20000000000\r\n\r\n{", 413, "too_large")
    s, b, _ = request(srv.base, "POST", "/api/v1/teams", raw=b"{}", token=token,
                      headers={"Content-Type": "text/plain"})
    t.check(s == 415 and b["error"]["code"] == "unsupported_media_type", "urllib text/plain: 415 (%s)" % s)
    s, b, _ = request(srv.base, "POST", "/api/v1/teams", {"name": "charset", "kind": "PSIRT"}, token,
                      headers={"Content-Type": "Application/JSON; charset=utf-8"})
    t.check(s == 201, "Application/JSON; charset=utf-8 accepted (%s %r)" % (s, b))


def error_json(srv, token):
    """Every error is JSON: a long non-ASCII unknown key (cut in a character)."""
    for ch in ("\u20ac", "\u00e9", "\U0001f600", "a\u00e9"):
        key = ch * 200
        s, b, _ = request(srv.base, "POST", "/api/v1/cases", {"title": "x", "kind": "vulnerability",
                                                             key: 1}, token)
        e = b["error"] if isinstance(b, dict) else {}
        field = e.get("field") if isinstance(e.get("field"), str) else ""
        t.check(s == 400 and isinstance(e.get("message"), str) and len(field) > 10 and
                key.startswith(field.lstrip("/")),
                "unknown key of %r x200: 400 JSON, field cut on a character (%s %r)"
                % (ch, s, str(b)[:100]))


def logging(srv, token):
    """No request can write a line of its own into the log."""
    p = srv.port
    forged = b'{"time":"x","event":"request","forged":true}'
    raw(p, b"GET /healthz%0a" + forged.replace(b'"', b"%22") + b" HTTP/1.1\r\n" + H + b"\r\n")
    raw(p, b"GET /healthz\r" + forged + b" HTTP/1.1\r\n" + H + b"\r\n")
    raw(p, b"GET /healthz\x1b[2J\x00\x7f\xff\xfe HTTP/1.1\r\n" + H + b"\r\n")
    raw(p, b"GET /api/v1/cases?q=\xc3\xa9t\xc3 HTTP/1.1\r\n" + H + b"\r\n")
    raw(p, b"X\x01\x0b\x1b" + b" /healthz HTTP/1.1\r\n" + H + b"\r\n")
    raw(p, b"GET /healthz?spoof HTTP/1.1\r\n" + H + b"X-Real-IP: 10.1.2.3\r\nConnection: close\r\n\r\n")
    time.sleep(0.3)
    lines = [ln for ln in srv.log_lines() if ln]
    parsed, bad = [], []
    for ln in lines:
        try:
            parsed.append(json.loads(ln.decode("utf-8")))
        except ValueError:
            bad.append(ln)
    t.check(lines and not bad, "every log line is one JSON object (%d lines, bad: %r)"
            % (len(lines), bad[:2]))
    t.check(not any("forged" in o for o in parsed), "no forged record")
    t.check(all(0x1b not in ln and 0x7f not in ln and 0 not in ln for ln in lines),
            "no raw control byte in the log")
    t.check(any(o.get("uri", "").startswith("/healthz%0a") for o in parsed), "the %0a request is logged")
    t.check(any("\x1b" in o.get("uri", "") for o in parsed), "an escape byte is logged, escaped")
    t.check(all(set(o) >= {"time", "event"} for o in parsed), "every line has time and event")
    spoof = [o.get("address") for o in parsed if o.get("uri") == "/healthz?spoof"]
    t.check(spoof == ["127.0.0.1"], "X-Real-IP is not believed without --tls-proxy (%r)" % spoof)
    reqs = [o for o in parsed if o.get("event") == "request"]
    t.check(reqs and all(isinstance(o.get("status"), int) and o.get("address") for o in reqs),
            "request lines have status and address")


def cookies(data, database, creds):
    login = {"username": creds["user"], "password": creds["password"]}
    for extra, env, secure in (([], None, False), (["--tls-proxy"], None, True),
                               ([], {"XSIRT_TLS_PROXY": "1"}, True)):
        srv = EdgeServer(data, database, "--quiet", *extra, env=env)
        try:
            s, b, h = request(srv.base, "POST", "/api/v1/session", login)
            cookie = h.get("Set-Cookie", "")
            t.check(s == 201 and ("; Secure" in cookie) == secure and "HttpOnly" in cookie,
                    "login %s %s: cookie Secure=%s (%r)" % (extra, env, secure, cookie))
            session = cookie.split(";")[0]
            s, b, h = request(srv.base, "DELETE", "/api/v1/session",
                              headers={"Cookie": session, "X-CSRF-Token": b.get("csrf", "")})
            cookie = h.get("Set-Cookie", "")
            t.check(s == 200 and ("; Secure" in cookie) == secure,
                    "logout cookie Secure=%s (%r)" % (secure, cookie))
        finally:
            srv.stop()


def slow_flood(data, database):
    """Hundreds of slow clients trickling header bytes from loopback while a
    normal client keeps asking /healthz: the flood is cut (per address,
    and by the request deadline), the normal client is always answered."""
    deadline = 4
    srv = EdgeServer(data, database, "--quiet", "--request-seconds", str(deadline))
    sel = selectors.DefaultSelector()
    latencies, failures, stop = [], [], threading.Event()

    def normal_client():
        while not stop.is_set():
            t0 = time.monotonic()
            try:
                answers, _, _ = raw(srv.port, b"GET /healthz HTTP/1.1\r\n" + H +
                                    b"Connection: close\r\n\r\n", timeout=10)
                if not answers or answers[0][0] != 200:
                    failures.append(answers)
            except OSError as e:
                failures.append(str(e))
            latencies.append(time.monotonic() - t0)
            time.sleep(0.1)

    try:
        socks, start = {}, time.monotonic()
        # 200 from one address: the per-address limit (64) turns most away.
        # 4 x 50 from other addresses: under the limit, cut by the deadline.
        sources = ["127.0.0.2"] * 200 + ["127.0.0.%d" % (3 + i // 50) for i in range(200)]
        for src in sources:
            s = connect(srv.port, src)
            s.setblocking(False)
            socks[s] = {"source": src, "closed": None, "connected": time.monotonic() - start}
            sel.register(s, selectors.EVENT_READ)
        client = threading.Thread(target=normal_client)
        client.start()
        for s in socks:
            try:
                s.send(b"GET /healthz HTTP/1.1\r\n" + H)
            except OSError:
                pass
        limit = start + deadline + 8
        next_trickle = time.monotonic()
        while time.monotonic() < limit and any(v["closed"] is None for v in socks.values()):
            if time.monotonic() >= next_trickle:
                next_trickle += 0.5
                for s, v in socks.items():
                    if v["closed"] is None:
                        try:
                            s.send(b"X-Slow: 1\r\n")
                        except OSError:
                            pass
            for key, _ in sel.select(timeout=0.1):
                s = key.fileobj
                try:
                    d = s.recv(4096)
                except OSError:
                    d = b""
                if not d:
                    socks[s]["closed"] = time.monotonic() - start
                    sel.unregister(s)
        stop.set()
        client.join()
        one = [v["closed"] for v in socks.values() if v["source"] == "127.0.0.2"]
        others = [v["closed"] for v in socks.values() if v["source"] != "127.0.0.2"]
        turned_away = sum(1 for v in socks.values() if v["source"] == "127.0.0.2" and
                          v["closed"] is not None and v["closed"] - v["connected"] < deadline - 0.5)
        t.check(turned_away >= 200 - 64, "one address holds at most 64 connections (%d of 200 turned "
                "away at once)" % turned_away)
        t.check(all(c is not None for c in one + others),
                "every slow connection is closed though it keeps sending (%d open)"
                % sum(1 for c in one + others if c is None))
        cut = [c for c in others if c is not None]
        t.check(cut and min(cut) >= deadline - 0.5,
                "slow connections are cut by the deadline, not before (first %.1f s)"
                % (min(cut) if cut else -1))
        t.check(not failures and latencies, "the normal client is answered throughout (%d requests, "
                "%d failed)" % (len(latencies), len(failures)))
        if latencies:
            ls = sorted(latencies)
            print("normal client during the flood: %d requests, median %.1f ms, max %.1f ms"
                  % (len(ls), 1000 * ls[len(ls) // 2], 1000 * ls[-1]))
        s, b, _ = request(srv.base, "GET", "/metrics")
        m = re.search(r"xsirt_http_deadline_closed_total (\d+)", b if isinstance(b, str) else "")
        t.check(m and int(m.group(1)) >= 150, "metrics count the deadline closures (%s)"
                % (m.group(1) if m else None))
        t.check(srv.alive(), "server alive after the flood")
    finally:
        for s in list(sel.get_map().values()):
            s.fileobj.close()
        srv.stop()


def login(port, source, username, password, timeout=60):
    body = json.dumps({"username": username, "password": password}).encode()
    answers, _, _ = raw(port, b"POST /api/v1/session HTTP/1.1\r\n" + H + JSON +
                        b"Connection: close\r\nContent-Length: %d\r\n\r\n" % len(body) + body,
                        timeout=timeout, source=source)
    if not answers:
        return None, {}, None
    status, headers, b = answers[0]
    return status, headers, (json_error(b) or {}).get("code")


def throttle(data, database, token):
    # Under AddressSanitizer (make asan), freed memory waits in a quarantine
    # and would count as resident: none for this server, so the bound holds.
    asan = ":".join(x for x in (os.environ.get("ASAN_OPTIONS", ""), "quarantine_size_mb=0") if x)
    srv = EdgeServer(data, database, "--quiet", env={"ASAN_OPTIONS": asan})
    p = srv.port
    try:
        rss0 = srv.memory("VmRSS")
        s, u, _ = request(srv.base, "POST", "/api/v1/users",
                          {"username": "mistyper", "password": "correct horse battery"}, token)
        t.check(s == 201, "create user mistyper")
        # A person who mistypes a few times gets in.
        got = [login(p, "127.0.0.20", "mistyper", "wrong %d" % i)[0] for i in range(3)]
        got.append(login(p, "127.0.0.20", "mistyper", "correct horse battery")[0])
        t.check(got == [401, 401, 401, 201], "3 mistakes then the right password: in (%r)" % got)
        # ... and again: the success forgave the mistakes.
        got = [login(p, "127.0.0.20", "mistyper", "wrong %d" % i)[0] for i in range(4)]
        got.append(login(p, "127.0.0.20", "mistyper", "correct horse battery")[0])
        t.check(got == [401] * 4 + [201], "4 more mistakes then right: in (%r)" % got)
        # A guesser on one account is slowed down, from any address.
        got = [login(p, "127.0.0.21", "mistyper", "guess %d" % i) for i in range(6)]
        t.check([g[0] for g in got] == [401] * 5 + [429], "the 6th guess at an account: 429 (%r)"
                % [g[0] for g in got])
        status, headers, code = got[5]
        ra = headers.get("retry-after", "")
        t.check(code == "too_many_attempts" and ra.isdigit() and 1 <= int(ra) <= 60,
                "429 JSON with Retry-After in 1..60 (%r %r)" % (code, ra))
        status, _, _ = login(p, "127.0.0.22", "mistyper", "guess again")
        t.check(status == 429, "the account's throttle holds from another address (%s)" % status)
        # One address guessing many accounts is slowed down too.
        # 20 at once, then one per 6 s: each attempt here takes a hash's time,
        # so the bucket drains a little while the burst is spent.
        got, began = [], time.monotonic()
        while len(got) < 40 and 429 not in got:
            got.append(login(p, "127.0.0.23", "nobody%d" % len(got), "x")[0])
        allowed = 20 + int((time.monotonic() - began) / 6) + 1
        t.check(got[:20] == [401] * 20 and got[-1] == 429 and len(got) - 1 <= allowed,
                "one address: 20 attempts, then 429 (after %d, at most %d allowed)"
                % (len(got) - 1, allowed))
        status, _, _ = login(p, "127.0.0.24", "nobody-else", "x")
        t.check(status == 401, "another address is not affected (%s)" % status)
        # Memory: 32 logins at once hash at most one per core at a time.
        results = []

        def attempt(i):
            results.append(login(p, "127.0.1.%d" % (i + 1), "parallel%d" % i, "x")[0])

        threads = [threading.Thread(target=attempt, args=(i,)) for i in range(32)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        peak = srv.memory("VmHWM")
        cores = os.cpu_count() or 1
        bound = (min(cores, 16) * 64 + 64) * 1024
        print("parallel logins: resident %d MiB at start, peak %d MiB, bound %d MiB (%d cores)"
              % (rss0 // 1024, peak // 1024, (rss0 + bound) // 1024, cores))
        t.check(sorted(set(results)) <= [401, 429] and 401 in results,
                "32 parallel logins: 401 or 429, never 5xx (%r)" % sorted(set(results)))
        t.check(peak - rss0 <= bound, "peak memory grows by at most one hash per core (+%d MiB)"
                % ((peak - rss0) // 1024))
        t.check(srv.alive(), "server alive")
    finally:
        srv.stop()


def shared_throttle(data, database, token):
    """Two servers on one database count logins together (the throttle is
    in the database): failures spread over both still trip it."""
    one = EdgeServer(data, database, "--quiet")
    two = EdgeServer(data, database, "--quiet")
    try:
        s, _, _ = request(one.base, "POST", "/api/v1/users",
                          {"username": "spread", "password": "correct horse battery"}, token)
        t.check(s == 201, "create user spread")
        got = [login((one, two)[i % 2].port, "127.0.0.40", "spread", "guess %d" % i)[0] for i in range(5)]
        got += [login(one.port, "127.0.0.41", "spread", "guess 5")[0],
                login(two.port, "127.0.0.42", "spread", "correct horse battery")[0]]
        t.check(got == [401] * 5 + [429, 429],
                "5 guesses spread over two servers, then 429 on both (%r)" % got)
        # 20 at once, then one per 6 s (the bucket drains while hashes run).
        got, began = [], time.monotonic()
        while len(got) < 40 and 429 not in got:
            got.append(login((one, two)[len(got) % 2].port, "127.0.0.43", "spread-%d" % len(got), "x")[0])
        allowed = 20 + int((time.monotonic() - began) / 6) + 1
        other = (one, two)[len(got) % 2]
        got.append(login(other.port, "127.0.0.43", "spread-x", "x")[0])
        t.check(got[:20] == [401] * 20 and got[-2:] == [429, 429] and len(got) - 2 <= allowed,
                "attempts from one address over two servers: 20, then 429 on both (after %d, at most "
                "%d allowed: %r)" % (len(got) - 2, allowed, got[20:]))
        status, _, _ = login(two.port, "127.0.0.44", "spread-z", "x")
        t.check(status == 401, "another address is not affected (%s)" % status)
    finally:
        one.stop()
        two.stop()


def corrupt(srv, token, count=2000):
    """Random mutations of valid requests, one per connection: never a crash,
    never a 5xx; every error JSON, libmicrohttpd's own HTML pages never."""
    rng = random.Random(14)
    case = json.dumps({"title": "fuzz", "kind": "vulnerability", "tlp": "AMBER"}).encode()
    # A document route too (an SBOM upload: raw body, not JSON), to an
    # asset that exists, so that mutations reach the SBOM reader.
    s, team, _ = request(srv.base, "POST", "/api/v1/teams", {"name": "fuzz", "kind": "PSIRT"}, token)
    s, asset, _ = request(srv.base, "POST", "/api/v1/assets", {"name": "fuzz", "kind": "product",
                                                               "team": team["id"]}, token)
    t.check(s == 201, "an asset to upload SBOMs to: %d" % s)
    cdx = json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": [
        {"type": "library", "bom-ref": "c0", "name": "jinja2", "version": "2.10",
         "purl": "pkg:pypi/jinja2@2.10"}]}).encode()
    spdx = (b"SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\n"
            b"DocumentName: fw\nDocumentNamespace: https://example.org/fw\nCreator: Tool: x\n"
            b"Created: 2026-12-05T10:00:00Z\n\nPackageName: openssl\nSPDXID: SPDXRef-o\n"
            b"PackageVersion: 1.1.1k\nPackageDownloadLocation: NOASSERTION\n")
    upload = b"POST /api/v1/assets/%d/sboms HTTP/1.1\r\n" % asset["id"] + H + \
        b"Authorization: Bearer " + token.encode() + b"\r\n"
    seeds = [
        upload + b"Content-Type: application/vnd.cyclonedx+json\r\nContent-Length: %d\r\n\r\n"
        % len(cdx) + cdx,
        upload + b"Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % len(spdx) + spdx,
        b"GET /healthz HTTP/1.1\r\n" + H + b"\r\n",
        b"GET /api/v1/cases?limit=5 HTTP/1.1\r\n" + H + b"Authorization: Bearer " + token.encode()
        + b"\r\n\r\n",
        b"POST /api/v1/cases HTTP/1.1\r\n" + H + JSON + b"Authorization: Bearer " + token.encode()
        + b"\r\nContent-Length: %d\r\n\r\n" % len(case) + case,
        b"PATCH /api/v1/cases/1 HTTP/1.1\r\n" + H + JSON + b"Authorization: Bearer " + token.encode()
        + b"\r\nIf-Match: \"1\"\r\nContent-Length: 14\r\n\r\n{\"title\":\"x\"}",
        b"GET /api/v1/teams/1/members HTTP/1.1\r\n" + H + b"Cookie: xsirt_session=abc\r\n\r\n",
    ]
    pieces = [b"\r\n", b"\n", b"\r", b" ", b"\x00", b"%00", b"%", b":", b"Content-Length: 3\r\n",
              b"Transfer-Encoding: chunked\r\n", b"Host: a\r\n", b"\xff\xfe", b"\xe2\x82", b"{", b"\"",
              b"HTTP/1.1", b"0\r\n\r\n", b"99999999999999999999", b"-1", b"\t",
              b"Content-Type: application/x-www-form-urlencoded\r\n", b"<", b"PackageName: "]

    def mutate(d):
        d = bytearray(d)
        for _ in range(rng.randint(1, 4)):
            op = rng.randrange(5)
            i = rng.randrange(len(d) + 1)
            if op == 0 and d:
                d[min(i, len(d) - 1)] = rng.randrange(256)
            elif op == 1:
                d[i:i] = rng.choice(pieces)
            elif op == 2 and d:
                del d[i:i + rng.randint(1, 8)]
            elif op == 3:
                j = rng.randrange(len(d) + 1)
                d[i:i] = d[min(i, j):max(i, j)][:64]
            else:
                d = d[:i]
        return bytes(d)

    counts = {"json": 0, "none": 0, "ok": 0}
    fives, nonjson = [], []
    inputs = [mutate(rng.choice(seeds)) for _ in range(count)]
    lock = threading.Lock()

    def send(chunk):
        for data in chunk:
            try:
                answers, closed, got = raw(srv.port, data, timeout=0.5, first=True, done=True)
            except OSError:
                answers = []
            with lock:
                judge(data, answers, got)

    def judge(data, answers, got):
        if not answers:
            counts["none"] += 1
            return
        status, headers, body = answers[0]
        if status >= 500 and status != 505:
            fives.append((data, status))
        if b"<html>" in got:
            nonjson.append((data, status, body[:80]))   # libmicrohttpd's own page
            return
        if status < 400:
            counts["ok"] += 1
        elif json_error(body) is not None or data.startswith(b"HEAD"):
            counts["json"] += 1
        else:
            nonjson.append((data, status, body[:80]))

    threads = [threading.Thread(target=send, args=(inputs[i::8],)) for i in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    print("stream corruption: %d requests: %r" % (count, counts))
    t.check(srv.alive(), "server alive after %d corrupted requests" % count)
    t.check(not fives, "no 5xx for corrupted requests (%r)" % fives[:3])
    t.check(not nonjson, "every error JSON, no HTML page (%r)" % nonjson[:3])
    s, b, _ = request(srv.base, "GET", "/healthz")
    t.check(s == 200, "healthz after the stream")


data, database = fresh_database(backend, "edge")
creds = init(data, database)
admin = creds["token"]
try:
    srv = EdgeServer(data, database)
    try:
        framing(srv, admin)
        head_and_methods(srv, admin)
        error_json(srv, admin)
        logging(srv, admin)
        corrupt(srv, admin)
        t.check(srv.alive(), "server alive")
    finally:
        srv.stop()
    cookies(data, database, creds)
    slow_flood(data, database)
    throttle(data, database, admin)
    shared_throttle(data, database, admin)
finally:
    cleanup(data)
t.finish()
