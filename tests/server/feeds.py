#!/usr/bin/env python3
"""feeds.py BACKEND — intelligence feeds in the server (issue 11): feeds as
data (admins add them), a sync that fetches (file:// in place, http:// from
a real loopback HTTP server, conditional on Last-Modified), rebuilds the
index and matches every asset's current SBOM again; a second version of the
feed with new, changed and withdrawn records changes exactly those findings
(checked against `xsirt scan` on an index `xsirt db build` makes of the same
records); a corrupt download changes nothing and says so; `xsirt feeds sync`
does the same offline.
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
import zipfile

from harness import XSIRT, Result, Server, cleanup, fresh_database, init, osv_zip, request

SHARED = os.environ.get("XSIRT_SHARED_DATA", os.path.join(os.path.dirname(__file__),
                                                          "../../../shared/data"))
backend = sys.argv[1]
t = Result()
data, database = fresh_database(backend, "feeds")
admin = init(data, database)["token"]
work = tempfile.mkdtemp(prefix="xsirt-feeds-")
# The scheduler would sync new feeds by itself, racing the counts checked
# below; it is tested at the end.
srv = Server(data, database, extra=["--no-feeds"]).start()
PYPI = os.path.join(SHARED, "osv", "pypi")
names = sorted(p for p in os.listdir(PYPI) if os.path.isdir(os.path.join(PYPI, p)))[:60]
feed1 = os.path.join(work, "osv")
for n in names[:40]:
    shutil.copytree(os.path.join(PYPI, n), os.path.join(feed1, n))


def call(method, path, body=None, token=admin, **kw):
    return request(srv.base, method, path, body, token, **kw)


def scan(doc_path, sources):
    """{(component, vulnerability)} of `xsirt scan` on an index of sources."""
    idx = os.path.join(work, "check.idx")
    subprocess.run([XSIRT, "db", "build", "-q", "-o", idx] + sources, check=True, capture_output=True)
    out = subprocess.run([XSIRT, "scan", "--db", idx, "--format", "json", doc_path], check=True,
                         capture_output=True, text=True).stdout
    return {(f["component"]["name"], f["vulnerability"]) for f in json.loads(out)["findings"]}


def active(asset):
    items, cursor = [], None
    while True:
        s, b, _ = call("GET", "/api/v1/findings?active=true&limit=200&asset=%d%s" %
                       (asset, "&cursor=%d" % cursor if cursor else ""))
        items += b["items"]
        if b["next"] is None:
            return {(f["component"]["name"], f["vulnerability"]["id"]) for f in items}
        cursor = b["next"]


def count_records(path):
    return sum(len(fs) for _, _, fs in os.walk(path))


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


try:
    _, team, _ = call("POST", "/api/v1/teams", {"name": "PSIRT", "kind": "PSIRT"})
    _, asset, _ = call("POST", "/api/v1/assets", {"name": "Product", "kind": "product", "team": team["id"]})
    comps = [{"type": "library", "bom-ref": "c%d" % i, "name": n, "version": "0.0.1",
              "purl": "pkg:pypi/%s@0.0.1" % n} for i, n in enumerate(names)]
    bom = os.path.join(work, "bom.json")
    with open(bom, "w") as f:
        json.dump({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": comps}, f)
    s, b, _ = call("POST", "/api/v1/assets/%d/sboms" % asset["id"], raw=open(bom, "rb").read())
    t.check(s == 201 and b["findings"] == 0, "no intelligence yet: stored without findings")

    # -- feeds are data ---------------------------------------------------------
    _, u, _ = call("POST", "/api/v1/users", {"username": "uma", "password": "a long password 1"})
    _, tok, _ = call("POST", "/api/v1/tokens", {"name": "e2e", "user": u["id"]})
    s, b, _ = call("POST", "/api/v1/feeds", {"name": "x", "kind": "osv", "url": "file://" + feed1},
                   token=tok["token"])
    t.check(s == 403, "only admins add feeds")
    for body, field in (({"name": "x", "kind": "rss", "url": "file://" + feed1}, "kind"),
                        ({"name": "x", "kind": "osv", "url": "ftp://example.com/x"}, "url"),
                        ({"name": "x", "kind": "osv", "url": "file://" + feed1, "interval": 5}, "interval"),
                        ({"kind": "osv", "url": "file://" + feed1}, "name")):
        s, b, _ = call("POST", "/api/v1/feeds", body)
        t.check(s == 400 and b["error"]["field"] == field, "bad feed %r -> 400 %s" % (body, field))
    s, f1, _ = call("POST", "/api/v1/feeds", {"name": "OSV PyPI (local)", "kind": "osv",
                                              "url": "file://" + feed1})
    t.check(s == 201 and f1["status"] == "new" and f1["interval"] == 3600, "feed added with the default interval")
    s, b, _ = call("GET", "/api/v1/feeds", token=tok["token"])
    t.check(s == 200 and [x["id"] for x in b["items"]] == [f1["id"]], "everyone reads the feeds")
    s, b, _ = call("POST", "/api/v1/feeds/%d/sync" % f1["id"], token=tok["token"])
    t.check(s == 403, "only admins sync")

    # -- first sync: new findings, the same as xsirt scan ------------------------
    s, r, _ = call("POST", "/api/v1/feeds/%d/sync" % f1["id"], timeout=300)
    n1 = count_records(feed1)
    t.check(s == 200 and r["status"] == "ok" and r["records"] == n1 and r["added"] == n1 and
            r["changed"] == 0 and r["withdrawn"] == 0 and r["assets"] == 1 and "duration_ms" in r,
            "first sync %r" % (r,))
    want1 = scan(bom, [feed1])
    t.check(len(want1) > 10 and active(asset["id"]) == want1, "findings after the sync == xsirt scan")
    s, b, _ = call("GET", "/api/v1/feeds/%d" % f1["id"])
    t.check(b["status"] == "ok" and b["records"] == n1 and b["synced"], "feed status ok")

    # An asset none of the changes below concern: it is not matched again.
    _, other, _ = call("POST", "/api/v1/assets", {"name": "Other", "kind": "product", "team": team["id"]})
    s, b, _ = call("POST", "/api/v1/assets/%d/sboms" % other["id"], raw=json.dumps(
        {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": [
            {"type": "library", "name": "surely-not-in-osv", "version": "1.0",
             "purl": "pkg:pypi/surely-not-in-osv@1.0"}]}).encode())
    t.check(s == 201, "an unrelated asset")

    # -- a second version: new, changed and withdrawn records ------------------
    gone = [n for n in names[3:40] if any(c == n for c, _ in want1)][0]
    shutil.rmtree(os.path.join(feed1, gone))                       # records gone
    for n in names[40:45]:                                          # new records
        shutil.copytree(os.path.join(PYPI, n), os.path.join(feed1, n))
    wd_dir = os.path.join(feed1, names[1])
    wd = sorted(os.listdir(wd_dir))[0]
    with open(os.path.join(wd_dir, wd), "a") as f:                   # withdrawn
        f.write("withdrawn: '2024-01-01T00:00:00Z'\n")
    ch_dir = os.path.join(feed1, names[2])
    ch = sorted(os.listdir(ch_dir))[0]
    text = open(os.path.join(ch_dir, ch)).read()
    import re
    text = re.sub(r"(?m)^modified: .*$", "modified: '2030-01-01T00:00:00Z'", text)
    if "modified:" not in text:
        text += "modified: '2030-01-01T00:00:00Z'\n"
    with open(os.path.join(ch_dir, ch), "w") as f:                  # changed
        f.write(text)
    removed = count_records(os.path.join(PYPI, gone))
    added = sum(count_records(os.path.join(PYPI, n)) for n in names[40:45])
    s, r, _ = call("POST", "/api/v1/feeds/%d/sync" % f1["id"], timeout=300)
    t.check(s == 200 and r["status"] == "ok" and r["added"] == added and r["changed"] == 1 and
            r["withdrawn"] == removed + 1, "second sync counts %r (added %d, withdrawn %d)" % (r, added, removed + 1))
    t.check(r["assets"] == 1, "only the asset with an affected package is matched again: %r" % (r,))
    want2 = scan(bom, [feed1])
    got2 = active(asset["id"])
    t.check(got2 == want2, "findings after the second sync == xsirt scan: extra %r missing %r" % (sorted(got2 - want2)[:5], sorted(want2 - got2)[:5]))
    t.check(any(c == gone for c, _ in want1) and not any(c == gone for c, _ in want2),
            "the gone package's findings are no longer active")
    s, b, _ = call("GET", "/api/v1/findings?active=false&asset=%d&limit=200" % asset["id"])
    t.check({(f["component"]["name"], f["vulnerability"]["id"]) for f in b["items"]} == want1 - want2,
            "exactly the findings whose records went are inactive, kept")

    # -- http:// with conditional requests, and a corrupt download -------------
    www = os.path.join(work, "www")
    os.makedirs(www)
    zpath = os.path.join(www, "pypi.zip")
    osv_zip(zpath, PYPI, names[45:60])
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=www))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = "http://127.0.0.1:%d/pypi.zip" % httpd.server_address[1]
    s, f2, _ = call("POST", "/api/v1/feeds", {"name": "OSV PyPI (http)", "kind": "osv", "url": url,
                                              "interval": 600})
    s, r, _ = call("POST", "/api/v1/feeds/%d/sync" % f2["id"], timeout=300)
    n2 = sum(count_records(os.path.join(PYPI, n)) for n in names[45:60])
    t.check(s == 200 and r["status"] == "ok" and r["added"] == n2, "http feed synced %r" % (r,))
    want3 = scan(bom, [feed1, zpath])
    t.check(active(asset["id"]) == want3, "findings from both feeds == xsirt scan")
    s, r, _ = call("POST", "/api/v1/feeds/%d/sync" % f2["id"], timeout=300)
    t.check(s == 200 and r["status"] == "ok" and r["added"] == 0 and r["changed"] == 0 and
            r["withdrawn"] == 0 and r["assets"] == 0, "unchanged (304): nothing changes %r" % (r,))
    with open(zpath, "wb") as f:
        f.write(b"PK\x03\x04 this is not a zip archive at all")
    os.utime(zpath, (2000000000, 2000000000))
    s, r, _ = call("POST", "/api/v1/feeds/%d/sync" % f2["id"], timeout=300)
    t.check(s == 200 and r["status"] == "error" and r.get("error"), "corrupt download -> error %r" % (r,))
    s, b, _ = call("GET", "/api/v1/feeds/%d" % f2["id"])
    t.check(b["status"] == "error" and b["error"], "the feed shows the error")
    t.check(active(asset["id"]) == want3, "a corrupt download changes no finding")
    s, r, _ = call("POST", "/api/v1/feeds/%d/sync" % f1["id"], timeout=300)
    t.check(r["status"] == "ok" and r["added"] == 0 and active(asset["id"]) == want3,
            "the previous download stays in use: %r" % (r,))
    httpd.shutdown()
    httpd.server_close()

    # A feed delivers its kind: OSV records behind a "kev" feed fail its sync.
    s, fk, _ = call("POST", "/api/v1/feeds", {"name": "not KEV", "kind": "kev", "url": "file://" + feed1})
    s, r, _ = call("POST", "/api/v1/feeds/%d/sync" % fk["id"], timeout=300)
    t.check(s == 200 and r["status"] == "error" and "feed of kind kev" in r.get("error", ""),
            "a document of another kind fails the sync: %r" % (r,))
    t.check(active(asset["id"]) == want3, "and changes nothing")

    # -- kill -9 during a sync: after a restart the index is whole (old or
    # new), and the next sync brings the findings to what the feed says ----
    big = os.path.join(work, "osv-all")
    shutil.copytree(PYPI, big)
    s, f4, _ = call("POST", "/api/v1/feeds", {"name": "all of PyPI", "kind": "osv", "url": "file://" + big})
    th = threading.Thread(target=lambda: call("POST", "/api/v1/feeds/%d/sync" % f4["id"], timeout=300))
    th.start()
    import time
    time.sleep(0.4)
    srv.kill()
    th.join()
    srv = Server(data, database, extra=["--no-feeds"]).start()
    t.check(os.path.exists(os.path.join(data, "vulns.idx")), "an index is in place after the kill")
    s, b, _ = call("GET", "/api/v1/audit/verify")
    t.check(s == 200, "audit verifies after the kill")
    s, r, _ = call("POST", "/api/v1/feeds/%d/sync" % f4["id"], timeout=300)
    t.check(s == 200 and r["status"] == "ok", "the sync again after the kill: %r" % (r,))
    # The http feed's records come from its last good download.
    want4 = scan(bom, [feed1, os.path.join(data, "feeds", "%d.download" % f2["id"]), big])
    t.check(active(asset["id"]) == want4, "findings == xsirt scan of every feed after the kill")

    # -- killed between the new index and its re-match: the journalled re-match
    # is finished at the next start, even with --no-feeds (deterministic: the
    # state such a kill leaves is made by hand; before the journal, the
    # findings stayed those of the old index until some sync changed them) --
    srv.stop()
    subprocess.run([XSIRT, "db", "build", "-q", "-o", os.path.join(data, "vulns.idx"), feed1],
                   check=True, capture_output=True)
    insert = "INSERT INTO rematch_pending (plan, created_at) VALUES ('{\"all\":true}', '2026-12-06T00:00:00Z')"
    if database:
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", database, "-c", insert], check=True,
                       capture_output=True)
    else:
        import sqlite3
        con = sqlite3.connect(os.path.join(data, "xsirt.db"))
        con.execute(insert)
        con.commit()
        con.close()
    want5 = scan(bom, [feed1])
    t.check(want5 != want4, "the index alone gives other findings (%d, %d)" % (len(want5), len(want4)))
    srv = Server(data, database, extra=["--no-feeds"]).start()
    import time
    for _ in range(100):
        if active(asset["id"]) == want5:
            break
        time.sleep(0.2)
    got5 = active(asset["id"])
    t.check(got5 == want5, "after the restart the findings follow the index in place: extra %r missing %r"
            % (sorted(got5 - want5)[:3], sorted(want5 - got5)[:3]))

    # -- offline: xsirt feeds sync ---------------------------------------------
    srv.stop()
    args = [XSIRT, "feeds", "sync", "--data", data, "--feed", str(f1["id"]), "--json"]
    if database:
        args += ["--database", database]
    p = subprocess.run(args, capture_output=True, text=True, timeout=300)
    t.check(p.returncode == 0 and json.loads(p.stdout)["status"] == "ok", "xsirt feeds sync: %r" % (p,))
    args = [XSIRT, "feeds", "sync", "--data", data, "--feed", str(f2["id"])]
    if database:
        args += ["--database", database]
    p = subprocess.run(args, capture_output=True, text=True, timeout=300)
    t.check(p.returncode == 1 and "previous intelligence" in p.stderr, "a failing feed: exit 1 %r" % (p.stderr,))
    srv = Server(data, database).start()
    t.check(active(asset["id"]) == want4, "consistent after the offline syncs")

    # -- the scheduler syncs a new feed by itself ---------------------------------
    feed3 = os.path.join(work, "osv3")
    shutil.copytree(os.path.join(PYPI, names[0]), os.path.join(feed3, names[0]))
    s, f3, _ = call("POST", "/api/v1/feeds", {"name": "scheduled", "kind": "osv", "url": "file://" + feed3})
    import time
    for _ in range(60):
        s, b, _ = call("GET", "/api/v1/feeds/%d" % f3["id"])
        if b["status"] != "new":
            break
        time.sleep(0.5)
    t.check(b["status"] == "ok" and b["records"] > 0, "a new feed is synced by the scheduler: %r" % (b,))
    s, v, _ = call("GET", "/api/v1/audit/verify")
    t.check(s == 200, "audit verifies")
finally:
    srv.stop()
    cleanup(data)
    cleanup(work)
t.finish()
