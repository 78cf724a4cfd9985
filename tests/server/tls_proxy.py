#!/usr/bin/env python3
"""tls_proxy.py BACKEND — the nginx configuration of docs/operations.md, as
written there, in front of `xsirt serve --tls-proxy`: a throwaway
self-signed certificate, nginx on loopback ports, and over TLS: HSTS on
every answer, the session cookie Secure, nginx's own refusals in JSON, plain
HTTP redirected, X-Real-IP set by nginx and not by the client.
"""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time

from harness import XSIRT, Result, cleanup, fresh_database, init

HERE = os.path.dirname(os.path.abspath(__file__))
DOC = os.path.join(HERE, "..", "..", "docs", "operations.md")
NAME = "xsirt.example.org"

backend = sys.argv[1]
t = Result()
# nginx from Debian (nginx-light, scripts/setup), found off PATH too (a
# user's PATH may lack /usr/sbin). Without it the test is skipped (exit
# 77, CTest's SKIP_RETURN_CODE; label "nginx" to leave it out by hand).
NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
if NGINX is None:
    print("tls_proxy.py: nginx is not installed (scripts/setup installs nginx-light): skipped")
    sys.exit(77)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def documented_config():
    with open(DOC) as f:
        m = re.search(r"```nginx\n(.*?)```", f.read(), re.S)
    return m.group(1)


def nginx_conf(tmp, xsirt_port, https_port, http_port):
    site = documented_config()
    for old, new in (("server 127.0.0.1:8080;", "server 127.0.0.1:%d;" % xsirt_port),
                     ("listen 443 ssl http2;", "listen 127.0.0.1:%d ssl http2;" % https_port),
                     ("listen 80;", "listen 127.0.0.1:%d;" % http_port),
                     ("/etc/ssl/xsirt/fullchain.pem", os.path.join(tmp, "cert.pem")),
                     ("/etc/ssl/xsirt/privkey.pem", os.path.join(tmp, "key.pem"))):
        t.check(old in site, "the documented config has %r" % old)
        site = site.replace(old, new)
    with open(os.path.join(tmp, "xsirt.conf"), "w") as f:
        f.write(site)
    # What /etc/nginx/nginx.conf provides around a site, in the throwaway prefix.
    main = """worker_processes 1;
pid %(t)s/nginx.pid;
error_log %(t)s/error.log;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path %(t)s/body;
    proxy_temp_path %(t)s/proxy;
    fastcgi_temp_path %(t)s/fastcgi;
    uwsgi_temp_path %(t)s/uwsgi;
    scgi_temp_path %(t)s/scgi;
    include %(t)s/xsirt.conf;
}
""" % {"t": tmp}
    path = os.path.join(tmp, "nginx.conf")
    with open(path, "w") as f:
        f.write(main)
    return path


def certificate(tmp):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-days", "2", "-subj", "/CN=" + NAME, "-addext",
                    "subjectAltName=DNS:" + NAME, "-keyout", os.path.join(tmp, "key.pem"),
                    "-out", os.path.join(tmp, "cert.pem")], check=True, capture_output=True)


def https(port, tmp, method, path, body=None, headers=None):
    ctx = ssl.create_default_context(cafile=os.path.join(tmp, "cert.pem"))
    # Verify the certificate against the name, while connecting to loopback.
    conn = http.client.HTTPSConnection(NAME, port, context=ctx, timeout=20)
    conn._create_connection = lambda addr, timeout, source: socket.create_connection(
        ("127.0.0.1", port), timeout)
    h = dict(headers or {})
    h.setdefault("Host", NAME)
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        h.setdefault("Content-Type", "application/json")
    conn.request(method, path, body=data, headers=h)
    r = conn.getresponse()
    text = r.read()
    conn.close()
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = text
    return r.status, parsed, r.headers


def main():
    tmp = tempfile.mkdtemp(prefix="xsirt-tls-")
    data, database = fresh_database(backend, "tls_proxy")
    creds = init(data, database)
    xsirt_port, https_port, http_port = free_port(), free_port(), free_port()
    log = open(os.path.join(tmp, "xsirt.log"), "wb")
    args = [XSIRT, "serve", "--data", data, "--listen", "127.0.0.1:%d" % xsirt_port, "--tls-proxy",
            "--max-per-address", "0"] + (["--database", database] if database else [])
    xsirt = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log, text=True)
    nginx = None
    try:
        t.check("behind a TLS proxy" in xsirt.stdout.readline(), "xsirt serve --tls-proxy started")
        certificate(tmp)
        conf = nginx_conf(tmp, xsirt_port, https_port, http_port)
        test = subprocess.run([NGINX, "-t", "-p", tmp, "-c", conf], capture_output=True, text=True)
        t.check(test.returncode == 0, "nginx -t accepts the documented config (%s)" % test.stderr[-300:])
        nginx = subprocess.Popen([NGINX, "-p", tmp, "-c", conf, "-g", "daemon off;"],
                                 stderr=subprocess.PIPE, text=True)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", https_port), 1).close()
                break
            except OSError:
                time.sleep(0.1)

        s, b, h = https(https_port, tmp, "GET", "/healthz")
        hsts = h.get("Strict-Transport-Security", "")
        m = re.match(r"max-age=(\d+)", hsts)
        t.check(s == 200 and b.get("status") == "ok", "GET /healthz through TLS: 200 (%s)" % s)
        t.check(m and int(m.group(1)) >= 31536000, "HSTS for at least a year (%r)" % hsts)
        s, b, h = https(https_port, tmp, "GET", "/api/v1/nothing-here")
        t.check(s == 401 and "Strict-Transport-Security" in h, "HSTS on errors too (%s)" % s)

        login = {"username": creds["user"], "password": creds["password"]}
        s, b, h = https(https_port, tmp, "POST", "/api/v1/session", login,
                        headers={"X-Real-IP": "10.9.8.7"})
        cookie = h.get("Set-Cookie", "")
        t.check(s == 201 and "; Secure" in cookie and "HttpOnly" in cookie,
                "login through TLS: the session cookie is Secure (%r)" % cookie)
        session, csrf = cookie.split(";")[0], b.get("csrf", "")
        s, b, h = https(https_port, tmp, "GET", "/api/v1/session", headers={"Cookie": session})
        t.check(s == 200 and b["user"]["username"] == creds["user"], "the session works through TLS")
        s, b, h = https(https_port, tmp, "DELETE", "/api/v1/session",
                        headers={"Cookie": session, "X-CSRF-Token": csrf})
        t.check(s == 200 and "; Secure" in h.get("Set-Cookie", ""), "logout cookie Secure too")

        s, b, h = https(https_port, tmp, "POST", "/api/v1/teams", b"{" + b" " * (2 * 1024 * 1024) + b"}",
                        headers={"Authorization": "Bearer " + creds["token"]})
        t.check(s == 413 and isinstance(b, dict) and b["error"]["code"] == "too_large",
                "2 MiB body: nginx's 413 in JSON (%s %r)" % (s, str(b)[:80]))
        s, b, h = https(https_port, tmp, "POST", "/api/v1/teams", b"{}",
                        headers={"Authorization": "Bearer " + creds["token"],
                                 "Transfer-Encoding": "chunked", "Content-Length": "2"})
        t.check(s == 400 and isinstance(b, dict) and "error" in b,
                "Content-Length with Transfer-Encoding: 400 JSON through nginx (%s %r)" % (s, str(b)[:80]))

        plain = http.client.HTTPConnection("127.0.0.1", http_port, timeout=10)
        plain.request("GET", "/api/v1/cases", headers={"Host": NAME})
        r = plain.getresponse()
        t.check(r.status == 301 and r.headers.get("Location") == "https://%s/api/v1/cases" % NAME,
                "plain HTTP redirected to HTTPS (%s %s)" % (r.status, r.headers.get("Location")))
        plain.close()

        time.sleep(0.3)
        with open(os.path.join(tmp, "xsirt.log"), "rb") as f:
            lines = [json.loads(ln) for ln in f.read().splitlines() if ln.startswith(b"{")]
        logins = [o for o in lines if o.get("uri") == "/api/v1/session" and o.get("method") == "POST"]
        t.check(logins and all(o["address"] == "127.0.0.1" for o in logins),
                "a client's own X-Real-IP is replaced by nginx (%r)" % [o.get("address") for o in logins])
    finally:
        if nginx is not None and nginx.poll() is None:
            nginx.send_signal(signal.SIGQUIT)
            try:
                nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                nginx.kill()
                nginx.wait()
        if xsirt.poll() is None:
            xsirt.send_signal(signal.SIGTERM)
            xsirt.wait(timeout=20)
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)
        cleanup(data)


main()
t.finish()
