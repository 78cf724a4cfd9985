#!/usr/bin/env python3
"""feeds_servers.py postgres — intelligence feeds on two servers that share
one PostgreSQL database, each with its own data directory (its own index and
downloads; docs/operations.md): a feed one server synced is still synced by
the other on its own schedule, so both match against the same records; an
http feed another server fetched conditionally is fetched whole by a server
that has no download of it (not answered 304 and failed); and a re-match
journalled by another server's sync is left to that server, never finished
against this server's index.
"""
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from harness import XSIRT, Result, Server, cleanup, fresh_database, init, osv_zip, request

SHARED = os.environ.get("XSIRT_SHARED_DATA", os.path.join(os.path.dirname(__file__),
                                                          "../../../shared/data"))
backend = sys.argv[1]
if backend != "postgres":
    print("feeds_servers: servers share a PostgreSQL database only")
    sys.exit(77)
t = Result()
data, database = fresh_database(backend, "feeds_servers")
admin = init(data, database)["token"]
data2 = tempfile.mkdtemp(prefix="xsirt-e2e-second-")
data3 = tempfile.mkdtemp(prefix="xsirt-e2e-third-")
work = tempfile.mkdtemp(prefix="xsirt-feeds-servers-")
PYPI = os.path.join(SHARED, "osv", "pypi")
names = sorted(p for p in os.listdir(PYPI) if os.path.isdir(os.path.join(PYPI, p)))[:40]


asked = []   # for each GET of the http feed: was it conditional?


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        asked.append("If-Modified-Since" in self.headers or "If-None-Match" in self.headers)
        super().do_GET()


def psql(sql):
    return subprocess.run(["psql", "-qAt", "-v", "ON_ERROR_STOP=1", database, "-c", sql], check=True,
                          capture_output=True, text=True).stdout.strip()


one = two = three = httpd = None
try:
    # The first server syncs by hand only, so that what it did is known.
    one = Server(data, database, extra=["--no-feeds"]).start()

    def call(srv, method, path, body=None, **kw):
        return request(srv.base, method, path, body, admin, **kw)

    feed1 = os.path.join(work, "osv")
    for n in names[:20]:
        shutil.copytree(os.path.join(PYPI, n), os.path.join(feed1, n))
    www = os.path.join(work, "www")
    os.makedirs(www)
    osv_zip(os.path.join(www, "pypi.zip"), PYPI, names[20:40])
    # Python's file server answers If-Modified-Since with 304.
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=www))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = "http://127.0.0.1:%d/pypi.zip" % httpd.server_address[1]

    _, team, _ = call(one, "POST", "/api/v1/teams", {"name": "PSIRT", "kind": "PSIRT"})
    bom = json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": [
        {"type": "library", "bom-ref": "c%d" % i, "name": n, "version": "0.0.1",
         "purl": "pkg:pypi/%s@0.0.1" % n} for i, n in enumerate(names)]}).encode()
    _, f1, _ = call(one, "POST", "/api/v1/feeds", {"name": "local", "kind": "osv", "url": "file://" + feed1})
    _, f2, _ = call(one, "POST", "/api/v1/feeds", {"name": "http", "kind": "osv", "url": url})
    for f in (f1, f2):
        s, r, _ = call(one, "POST", "/api/v1/feeds/%d/sync" % f["id"], timeout=300)
        t.check(s == 200 and r["status"] == "ok" and r["records"] > 0, "first server syncs %r" % (r,))
    for _ in range(2):
        s, r, _ = call(one, "POST", "/api/v1/feeds/%d/sync" % f2["id"], timeout=300)
        t.check(s == 200 and r["status"] == "ok" and r["added"] == 0, "again: not modified %r" % (r,))
    t.check(asked == [False, True, True],
            "the first server asks conditionally after its download, and after a 304 too: %r" % asked)
    lm = psql("SELECT last_modified FROM feeds WHERE id = %d" % f2["id"])
    t.check(lm.endswith("GMT"), "the feed's row keeps the validator in force after a 304: %r" % lm)

    def findings(srv, name):
        _, asset, _ = call(srv, "POST", "/api/v1/assets", {"name": name, "kind": "product",
                                                           "team": team["id"]})
        s, b, _ = call(srv, "POST", "/api/v1/assets/%d/sboms" % asset["id"], raw=bom)
        items, cursor = [], None
        while True:
            s, b, _ = call(one, "GET", "/api/v1/findings?active=true&limit=200&asset=%d%s" %
                           (asset["id"], "&cursor=%d" % cursor if cursor else ""))
            items += b["items"]
            if b["next"] is None:
                return {(f["component"]["name"], f["vulnerability"]["id"]) for f in items}
            cursor = b["next"]

    want = findings(one, "through the first server")
    t.check(len(want) > 10, "the first server's findings (%d)" % len(want))

    # -- a second server, its own data directory, its scheduler on: the feeds
    # the first synced are due for it all the same --------------------------
    two = Server(data2, database).start()
    states = [os.path.join(data2, "feeds", "%d.state" % f["id"]) for f in (f1, f2)]
    for _ in range(300):
        if all(os.path.exists(p) for p in states) and os.path.exists(os.path.join(data2, "vulns.idx")):
            break
        time.sleep(0.2)
    t.check(all(os.path.exists(p) for p in states), "the second server synced both feeds itself")
    s, b, _ = call(one, "GET", "/api/v1/feeds/%d" % f2["id"])
    t.check(b["status"] == "ok" and not b.get("error"),
            "the http feed fetched whole by a server without a download of it: %r" % (b,))
    t.check(os.path.exists(os.path.join(data2, "feeds", "%d.download" % f2["id"])),
            "the second server keeps its own download")
    t.check(asked == [False, True, True, False],
            "the second server, with no download of its own, asks unconditionally: %r" % asked)
    got = findings(two, "through the second server")
    t.check(got == want, "an upload to the second server finds the same: extra %r missing %r"
            % (sorted(got - want)[:3], sorted(want - got)[:3]))

    # -- journalled re-matches: each server finishes its own ------------------
    two.stop()
    two = None
    psql("INSERT INTO rematch_pending (plan, created_at, server) VALUES "
         "('{\"all\":true}', '2026-12-06T00:00:00Z', 'another-server')")
    psql("INSERT INTO rematch_pending (plan, created_at) VALUES "
         "('{\"all\":true}', '2026-12-06T00:00:01Z')")
    p = subprocess.run([XSIRT, "feeds", "sync", "--data", data2, "--database", database, "--feed",
                        str(f1["id"]), "--json"], capture_output=True, text=True, timeout=300)
    t.check(p.returncode == 0 and json.loads(p.stdout).get("resumed") == 1,
            "a sync first finishes the re-match of no server (written before schema 22): %r" % (p.stdout,))
    t.check(psql("SELECT server FROM rematch_pending ORDER BY id") == "another-server",
            "and leaves another server's to it")

    # -- a server with no index yet: a journalled re-match waits for one (it
    # crashed the scheduler before), and is tried again after the backoff --
    psql("DELETE FROM rematch_pending")
    psql("INSERT INTO rematch_pending (plan, created_at) VALUES "
         "('{\"all\":true}', '2026-12-06T00:00:02Z')")
    active = "SELECT count(*) FROM findings WHERE active = 1"
    before = psql(active)
    three = Server(data3, database, extra=["--no-feeds"]).start()
    time.sleep(2)
    s, _, _ = request(three.base, "GET", "/healthz")
    t.check(s == 200 and three.proc.poll() is None, "a server without an index keeps serving")
    t.check(psql("SELECT count(*) FROM rematch_pending") == "1" and psql(active) == before,
            "its re-match waits for an index, and judges no finding gone meanwhile")
    subprocess.run([XSIRT, "db", "build", "-q", "-o", os.path.join(data3, "vulns.idx"), feed1,
                    os.path.join(www, "pypi.zip")], check=True, capture_output=True)
    for _ in range(150):   # the first retry comes 10 s after the failure
        if psql("SELECT count(*) FROM rematch_pending") == "0":
            break
        time.sleep(0.2)
    t.check(psql("SELECT count(*) FROM rematch_pending") == "0" and psql(active) == before,
            "with an index in place, the next try finishes it (%s active, %s before)"
            % (psql(active), before))
finally:
    for srv in (one, two, three):
        if srv is not None:
            srv.stop()
    if httpd is not None:
        httpd.shutdown()
        httpd.server_close()
    cleanup(data)
    cleanup(data2)
    cleanup(data3)
    cleanup(work)
t.finish()
