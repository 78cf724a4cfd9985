"""harness.py — start a real xsirt server on loopback for end-to-end tests.

Uses only Python's standard library. The backend comes from the command
line: `sqlite` (a fresh data directory) or `postgres` (a fresh database on
the PostgreSQL fixture started by tests/pg/pg.sh, created with psql).
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

XSIRT = os.environ["XSIRT"]
BUILD = os.environ.get("XSIRT_BUILD_DIR", ".")


class Result:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL:", what, flush=True)

    def finish(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        sys.exit(1 if self.failed else 0)


def fresh_database(backend, name):
    """A data directory, and the --database URL for postgres (else None)."""
    data = tempfile.mkdtemp(prefix="xsirt-e2e-")
    if backend == "sqlite":
        return data, None
    with open(os.path.join(BUILD, "pg", "url")) as f:
        url = f.read().strip()
    db = "e2e_" + name
    subprocess.run(["psql", url, "-qc", "DROP DATABASE IF EXISTS %s WITH (FORCE)" % db],
                   check=True, capture_output=True)
    subprocess.run(["psql", url, "-qc", "CREATE DATABASE %s" % db], check=True,
                   capture_output=True)
    return data, re.sub(r"^postgresql:///[^?]*", "postgresql:///" + db, url)


def init(data, database):
    args = [XSIRT, "init", "--data", data] + (["--database", database] if database else [])
    subprocess.run(args, check=True, capture_output=True)
    creds = {}
    with open(os.path.join(data, "initial-credentials")) as f:
        for line in f:
            k, _, v = line.strip().partition(": ")
            creds[k] = v
    return creds


class Server:
    """One `xsirt serve` process on a free loopback port.

    Webhooks to loopback, private and link-local addresses are refused
    unless the operator allows them (XSIRT_WEBHOOK_ALLOW, docs/security.md):
    the tests' receivers listen on 127.0.0.1, so the harness allows that
    address, explicitly; webhook_allow=None starts a server as installed
    (no allow-list)."""

    def __init__(self, data, database, threads=None, extra=None, env=None,
                 webhook_allow="127.0.0.1"):
        self.data, self.database, self.threads = data, database, threads
        self.extra, self.env = extra or [], dict(env if env is not None else os.environ)
        self.env.pop("XSIRT_WEBHOOK_ALLOW", None)
        if webhook_allow is not None:
            self.env["XSIRT_WEBHOOK_ALLOW"] = webhook_allow
        self.proc = None
        self.base = None

    def start(self):
        args = [XSIRT, "serve", "--data", self.data, "--listen", "127.0.0.1:0", "--quiet"]
        if self.database:
            args += ["--database", self.database]
        if self.threads:
            args += ["--threads", str(self.threads)]
        self.proc = subprocess.Popen(args + self.extra, stdout=subprocess.PIPE, stderr=sys.stderr,
                                     text=True, env=self.env)
        line = self.proc.stdout.readline()
        m = re.search(r"http://([0-9.]+):(\d+)/", line)
        if not m:
            raise RuntimeError("server did not start: %r" % line)
        self.base = "http://%s:%s" % (m.group(1), m.group(2))
        return self

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def request(base, method, path, body=None, token=None, headers=None, raw=None, timeout=30):
    """(status, parsed JSON or text, headers). Never raises on HTTP errors."""
    h = dict(headers or {})
    data = raw
    if body is not None:
        data = json.dumps(body).encode()
    if data is not None:
        h.setdefault("Content-Type", "application/json")
    if token:
        h["Authorization"] = "Bearer " + token
    req = urllib.request.Request(base + path, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            status, text, hdrs = r.status, r.read().decode(errors="replace"), r.headers
    except urllib.error.HTTPError as e:
        status, text, hdrs = e.code, e.read().decode(), e.headers
    try:
        return status, json.loads(text), hdrs
    except ValueError:
        return status, text, hdrs


def new_user(base, admin, name, password="a long password 1"):
    """A user made by the admin token, with an API token of its own: (id, token)."""
    s, u, _ = request(base, "POST", "/api/v1/users", {"username": name, "password": password}, admin)
    s, tok, _ = request(base, "POST", "/api/v1/tokens", {"name": "e2e", "user": u["id"]}, admin)
    return u["id"], tok["token"]


def cleanup(data):
    # The gpg-agent GnuPG started for the organisation's key (DATA/gnupg).
    home = os.path.join(data, "gnupg")
    if os.path.isdir(home):
        subprocess.run(["gpgconf", "--kill", "all"], env=dict(os.environ, GNUPGHOME=home),
                       capture_output=True)
    shutil.rmtree(data, ignore_errors=True)


def osv_zip(path, pypi, names):
    """An OSV all.zip of the shared PyPI records of names, at path."""
    import zipfile
    with zipfile.ZipFile(path, "w") as z:
        for n in names:
            for fn in os.listdir(os.path.join(pypi, n)):
                z.write(os.path.join(pypi, n, fn), "%s/%s" % (n, fn))
