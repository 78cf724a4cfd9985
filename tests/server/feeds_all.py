#!/usr/bin/env python3
"""feeds_all.py BACKEND — every feed kind over http from a real loopback
HTTP server built from the shared data (issue 11 item 3), and a plant's
device inventory matched by name in the server (issue 15):

- a CSAF provider: a generated provider-metadata.json naming a ROLIE feed
  of a subset of CISA's real advisories (each with a .sha256 hash link);
  CVE 5 records as a zip; CISA KEV; an EPSS CSV, gzipped, generated;
- an inventory CSV uploaded to a plant asset and a device asset (vendor,
  name, version) matched by name: findings == `xsirt scan` of the same
  CSV against an index `xsirt db build` makes of the same files, each
  with matchedBy "name", the normalised vendor and product, a confidence;
- a second version of the provider (advisories added, withdrawn, one
  changed): exactly the changed findings change, the unchanged advisories
  are not fetched again; a corrupt advisory (hash mismatch) fails the sync
  and changes nothing;
- the same provider as a directory distribution (changes.csv): each
  advisory and its .sha256 fetched.
"""
import csv
import functools
import gzip
import hashlib
import http.server
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import zipfile

from harness import XSIRT, Result, Server, cleanup, fresh_database, init, request

SHARED = os.environ.get("XSIRT_SHARED_DATA", os.path.join(os.path.dirname(__file__),
                                                          "../../../shared/data"))
backend = sys.argv[1]
t = Result()
data, database = fresh_database(backend, "feeds_all")
admin = init(data, database)["token"]
work = tempfile.mkdtemp(prefix="xsirt-feeds-all-")
www = os.path.join(work, "www")
os.makedirs(os.path.join(www, "csaf"))
srv = Server(data, database, extra=["--no-feeds"]).start()

# CISA's OT advisories, newest first; a subset keeps the test short.
CISA = os.path.join(SHARED, "csaf", "cisa", "OT", "white")
advisories = sorted((os.path.join(d, f) for d, _, fs in os.walk(CISA) for f in fs if f.endswith(".json") and f.startswith("ics")),
                    reverse=True)
SUBSET = 120
first, added_later = advisories[:SUBSET], advisories[SUBSET:SUBSET + 10]
withdrawn_later = first[:10]
requests_seen = []


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        requests_seen.append(self.path)
        return super().do_GET()


httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=www))
threading.Thread(target=httpd.serve_forever, daemon=True).start()
base = "http://127.0.0.1:%d" % httpd.server_address[1]


def call(method, path, body=None, token=admin, **kw):
    return request(srv.base, method, path, body, token, **kw)


def publish(files, corrupt=None, changed=None):
    """The provider: each advisory under csaf/, its .sha256, a ROLIE feed
    and provider-metadata.json. changed: a file whose copy gets a new
    tracking date; corrupt: a file whose .sha256 is wrong."""
    for f in os.listdir(os.path.join(www, "csaf")):
        os.unlink(os.path.join(www, "csaf", f))
    entries = []
    for path in files:
        name = os.path.basename(path)
        raw = open(path, "rb").read()
        doc = json.loads(raw)
        updated = doc["document"]["tracking"]["current_release_date"]
        if path == changed:
            doc["document"]["tracking"]["current_release_date"] = updated = "2031-01-01T00:00:00Z"
            raw = json.dumps(doc).encode()
        with open(os.path.join(www, "csaf", name), "wb") as f:
            f.write(raw)
        digest = hashlib.sha256(raw).hexdigest()
        if path == corrupt:
            digest = "0" * 64
        with open(os.path.join(www, "csaf", name + ".sha256"), "w") as f:
            f.write("%s  %s\n" % (digest, name))
        url = "%s/csaf/%s" % (base, name)
        entries.append({"id": doc["document"]["tracking"]["id"], "title": doc["document"]["title"],
                        "link": [{"rel": "self", "href": url}, {"rel": "hash", "href": url + ".sha256"}],
                        "published": doc["document"]["tracking"]["initial_release_date"],
                        "updated": updated, "content": {"type": "application/json", "src": url},
                        "format": {"schema": "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json",
                                   "version": "2.0"}})
    with open(os.path.join(www, "feed-tlp-white.json"), "w") as f:
        json.dump({"feed": {"id": "test-white", "title": "test", "updated": "2031-01-01T00:00:00Z",
                            "link": [{"rel": "self", "href": base + "/feed-tlp-white.json"}],
                            "category": [{"scheme": "urn:ietf:params:rolie:category:information-type",
                                          "term": "csaf"}], "entry": entries}}, f)
    with open(os.path.join(www, "provider-metadata.json"), "w") as f:
        json.dump({"canonical_url": base + "/provider-metadata.json", "metadata_version": "2.0",
                   "list_on_CSAF_aggregators": False, "mirror_on_CSAF_aggregators": False,
                   "publisher": {"category": "coordinator", "name": "test", "namespace": base},
                   "role": "csaf_provider",
                   "distributions": [{"rolie": {"feeds": [{"summary": "white", "tlp_label": "WHITE",
                                                           "url": base + "/feed-tlp-white.json"}]}}]}, f)
    return os.path.join(work, "csaf-now")


def mirror(files, corrupt=None, changed=None):
    """The same advisories as files, for xsirt db build."""
    d = os.path.join(work, "csaf-check")
    if os.path.isdir(d):
        for f in os.listdir(d):
            os.unlink(os.path.join(d, f))
    else:
        os.makedirs(d)
    for f in files:
        with open(os.path.join(d, os.path.basename(f)), "wb") as out:
            out.write(open(os.path.join(www, "csaf", os.path.basename(f)), "rb").read())
    return d


def inventory(files):
    """vendor,product,version rows: every product version CISA names in
    the advisories (as CISA writes them), and some other firmware."""
    rows = set()

    def walk(b, vendor=None, product=None):
        cat, name = b.get("category"), b.get("name", "")
        if cat == "vendor":
            vendor = name
        elif cat == "product_name":
            product = name
        elif cat == "product_version" and vendor and product and len(rows) < 4000:
            v = name.replace("vers:", "")
            if all(ch not in v for ch in "<>|*"):
                rows.add((vendor, product, v))
        for c in b.get("branches", []):
            walk(c, vendor, product)

    for f in files:
        for b in json.load(open(f)).get("product_tree", {}).get("branches", []):
            walk(b)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["vendor", "product", "version", "location"])
    for v, p, ver in sorted(rows):
        w.writerow([v, p, ver, "Line 1"])
    return out.getvalue().encode()


def scan(doc, sources, fmt=None):
    idx = os.path.join(work, "check.idx")
    subprocess.run([XSIRT, "db", "build", "-q", "-o", idx] + sources, check=True, capture_output=True)
    out = subprocess.run([XSIRT, "scan", "--db", idx, "--format", "json", doc], check=True,
                         capture_output=True, text=True).stdout
    # The json report's version 2: a finding names its vulnerability by id.
    return {(f["component"]["name"], f["component"].get("version"), f["vulnerability"])
            for f in json.loads(out)["findings"]}


def findings(asset, active="true"):
    items, cursor = [], None
    while True:
        s, b, _ = call("GET", "/api/v1/findings?active=%s&limit=200&asset=%d%s" %
                       (active, asset, "&cursor=%d" % cursor if cursor else ""))
        items += b["items"]
        if b["next"] is None:
            return items
        cursor = b["next"]


def keys(items):
    return {(f["component"]["name"], f["component"]["version"], f["vulnerability"]["id"]) for f in items}


def sync(feed):
    s, r, _ = call("POST", "/api/v1/feeds/%d/sync" % feed, timeout=600)
    t.check(s == 200, "sync answers 200: %r" % (r,))
    return r


try:
    _, team, _ = call("POST", "/api/v1/teams", {"name": "FSIRT", "kind": "FSIRT"})
    _, plant, _ = call("POST", "/api/v1/assets", {"name": "Plant Kyoto", "kind": "device", "team": team["id"]})
    inv = inventory(first + added_later)
    inv_path = os.path.join(work, "inventory.csv")
    with open(inv_path, "wb") as f:
        f.write(inv)
    s, b, _ = call("POST", "/api/v1/assets/%d/sboms" % plant["id"], raw=inv,
                   headers={"Content-Type": "text/csv"})
    t.check(s == 201 and b["format"] == "inventory-csv" and b["components"] == inv.count(b"\n") - 1,
            "the inventory CSV is stored: %r" % (b,))

    # -- the other kinds over http ---------------------------------------------
    shutil_kev = os.path.join(SHARED, "kev", "known_exploited_vulnerabilities.json")
    with open(os.path.join(www, "kev.json"), "wb") as f:
        f.write(open(shutil_kev, "rb").read())
    cve_ids = set()
    for path in first:
        for v in json.load(open(path)).get("vulnerabilities", []):
            if v.get("cve"):
                cve_ids.add(v["cve"])
    epss_rows = sorted(cve_ids)
    epss = "#model_version:v2025.03.14,score_date:2026-12-01T00:00:00+0000\ncve,epss,percentile\n" + \
        "".join("%s,%.5f,%.5f\n" % (c, (i % 97) / 100.0, (i % 89) / 100.0) for i, c in enumerate(epss_rows))
    with gzip.open(os.path.join(www, "epss.csv.gz"), "wb") as f:
        f.write(epss.encode())
    with open(os.path.join(work, "epss.csv"), "w") as f:
        f.write(epss)
    cve5 = os.path.join(SHARED, "cve5")
    with zipfile.ZipFile(os.path.join(www, "cve5.zip"), "w") as z:
        for d, _, fs in os.walk(cve5):
            for f in fs:
                z.write(os.path.join(d, f), os.path.relpath(os.path.join(d, f), cve5))
    feeds = {}
    for kind, url in (("cve5", base + "/cve5.zip"), ("kev", base + "/kev.json"),
                      ("epss", base + "/epss.csv.gz"), ("csaf", base + "/provider-metadata.json")):
        s, f, _ = call("POST", "/api/v1/feeds", {"name": kind, "kind": kind, "url": url})
        t.check(s == 201, "feed %s added" % kind)
        feeds[kind] = f["id"]
    publish(first)
    for kind in ("cve5", "kev", "epss"):
        r = sync(feeds[kind])
        t.check(r["status"] == "ok" and r["records"] > 0, "%s over http: %r" % (kind, r))
    requests_seen.clear()
    r = sync(feeds["csaf"])
    t.check(r["status"] == "ok" and r["added"] >= SUBSET, "the CSAF provider over http: %r" % (r,))
    fetched = [p for p in requests_seen if p.startswith("/csaf/") and p.endswith(".json")]
    t.check(len(fetched) == SUBSET, "each advisory fetched once: %d" % len(fetched))

    check = mirror(first)
    others = [cve5, shutil_kev, os.path.join(work, "epss.csv")]
    want1 = scan(inv_path, [check] + others)
    got1 = findings(plant["id"])
    t.check(len(want1) > 20 and keys(got1) == want1,
            "inventory findings == xsirt scan (%d): extra %r missing %r" %
            (len(want1), sorted(keys(got1) - want1)[:3], sorted(want1 - keys(got1))[:3]))
    t.check(all(f["matchedBy"] == "name" and f["name"]["vendor"] and f["name"]["product"] and
                0 < f["confidence"] <= 1 for f in got1),
            "every inventory finding says it was matched by name, with vendor, product, confidence")
    t.check(any(f["vulnerability"]["epss"] is not None for f in got1), "EPSS reaches the findings")

    # An asset whose vendor no advisory below names: not matched again.
    _, other, _ = call("POST", "/api/v1/assets", {"name": "Office", "kind": "system", "team": team["id"]})
    s, b, _ = call("POST", "/api/v1/assets/%d/sboms" % other["id"], raw=json.dumps(
        {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": [
            {"type": "application", "name": "thing", "version": "1.0",
             "cpe": "cpe:2.3:a:surely_nobody_corp:thing:1.0:*:*:*:*:*:*:*"}]}).encode())
    t.check(s == 201, "an unrelated asset (by CPE)")

    # -- the second version of the provider ------------------------------------
    changed = first[20]
    second = [p for p in first if p not in withdrawn_later] + added_later
    publish(second, changed=changed)
    requests_seen.clear()
    r = sync(feeds["csaf"])
    t.check(r["status"] == "ok" and r["withdrawn"] >= len(withdrawn_later) and r["added"] >= len(added_later)
            and r["changed"] >= 1, "second version: %r" % (r,))
    t.check(r["assets"] == 1, "only the plant, whose vendors the changed advisories name, is "
            "matched again (by vendor key), not the unrelated asset: %r" % (r,))
    fetched = sorted(p for p in requests_seen if p.startswith("/csaf/") and p.endswith(".json"))
    t.check(fetched == sorted("/csaf/" + os.path.basename(p) for p in added_later + [changed]),
            "only the new and the changed advisories are fetched again: %r" % (fetched[:5],))
    check = mirror(second)
    want2 = scan(inv_path, [check] + others)
    got2 = findings(plant["id"])
    t.check(keys(got2) == want2, "after the second version == xsirt scan: extra %r missing %r" %
            (sorted(keys(got2) - want2)[:3], sorted(want2 - keys(got2))[:3]))
    t.check(keys(findings(plant["id"], "false")) == want1 - want2,
            "exactly the findings of withdrawn advisories became inactive (%d)" % len(want1 - want2))

    # -- new EPSS scores: the findings take them without any re-matching -------
    epss2 = "#model_version:v2025.03.14,score_date:2026-12-02T00:00:00+0000\ncve,epss,percentile\n" + \
        "".join("%s,%.5f,%.5f\n" % (c, 0.5 + (i % 41) / 100.0, 0.5) for i, c in enumerate(epss_rows))
    with gzip.open(os.path.join(www, "epss.csv.gz"), "wb") as f:
        f.write(epss2.encode())
    with open(os.path.join(work, "epss.csv"), "w") as f:
        f.write(epss2)
    r = sync(feeds["epss"])
    t.check(r["status"] == "ok" and r["assets"] == 0 and r["enriched"] > 0,
            "an EPSS change updates findings in place, re-matching no asset: %r" % (r,))
    idx = os.path.join(work, "check.idx")
    subprocess.run([XSIRT, "db", "build", "-q", "-o", idx, check] + others, check=True, capture_output=True)
    out = json.loads(subprocess.run([XSIRT, "scan", "--db", idx, "--format", "json", inv_path], check=True,
                                    capture_output=True, text=True).stdout)
    vulns = out["vulnerabilities"]   # version 2: each vulnerability once, by id
    want_epss = {(f["component"]["name"], f["component"].get("version"), f["vulnerability"]):
                 vulns[f["vulnerability"]].get("epss") for f in out["findings"]}
    got_epss = {k: f["vulnerability"]["epss"] for k, f in
                ((next(iter(keys([f]))), f) for f in findings(plant["id"]))}
    t.check(all(abs((got_epss[k] or 0) - ((want_epss[k] if not isinstance(want_epss[k], dict)
                                            else want_epss[k].get("score")) or 0)) < 1e-5 for k in got_epss),
            "the findings' EPSS == xsirt scan's after the change")

    # -- a corrupt advisory: the sync fails, nothing changes ---------------------
    # (a new advisory: unchanged ones are not fetched, so not checked again)
    publish(second + advisories[SUBSET + 10:SUBSET + 12], corrupt=advisories[SUBSET + 11])
    r = sync(feeds["csaf"])
    t.check(r["status"] == "error" and "SHA-256" in r.get("error", ""), "a hash mismatch fails: %r" % (r,))
    s, b, _ = call("GET", "/api/v1/feeds/%d" % feeds["csaf"])
    t.check(b["status"] == "error", "the feed shows the error")
    t.check(keys(findings(plant["id"])) == want2, "and the findings are unchanged")

    # -- a device asset, matched by its vendor, name and version ----------------
    dev = sorted(k for k in want2)[0]
    row = next(r for r in csv.reader(io.StringIO(inv.decode())) if r[1] == dev[0] and r[2] == dev[1])
    s, d, _ = call("POST", "/api/v1/assets", {"name": row[1], "version": row[2], "vendor": row[0],
                                              "kind": "device", "team": team["id"], "parent": plant["id"]})
    t.check(s == 201, "a device asset")
    got = findings(d["id"])
    t.check({f["vulnerability"]["id"] for f in got} == {v for n, ver, v in want2 if (n, ver) == dev[:2]} and
            all(f["matchedBy"] == "name" for f in got),
            "the device is matched by name like the inventory row: %r" % ([f["vulnerability"]["id"] for f in got],))
    # -- last (its feed stays): the provider as a directory (changes.csv, no ROLIE): each advisory
    # and its .sha256 fetched.
    with open(os.path.join(www, "csaf", "changes.csv"), "w") as f:
        for p in second:
            f.write('"%s","2024-01-01T00:00:00Z"\n' % os.path.basename(p))
    with open(os.path.join(www, "provider-metadata-dir.json"), "w") as f:
        json.dump({"canonical_url": base + "/provider-metadata-dir.json", "metadata_version": "2.0",
                   "role": "csaf_provider", "publisher": {"category": "coordinator", "name": "t",
                                                          "namespace": base},
                   "distributions": [{"directory_url": base + "/csaf/"}]}, f)
    s, fd, _ = call("POST", "/api/v1/feeds", {"name": "csaf-dir", "kind": "csaf",
                                              "url": base + "/provider-metadata-dir.json"})
    requests_seen.clear()
    r = sync(fd["id"])
    got = sorted(p for p in requests_seen if p.startswith("/csaf/"))
    t.check(r["status"] == "ok" and "/csaf/changes.csv" in got and
            len([p for p in got if p.endswith(".json")]) == len(second) and
            len([p for p in got if p.endswith(".sha256")]) == len(second),
            "a directory distribution: changes.csv, each advisory and its hash: %r" % (r,))

finally:
    httpd.shutdown()
    httpd.server_close()
    srv.stop()
    cleanup(data)
    cleanup(work)
t.finish()
