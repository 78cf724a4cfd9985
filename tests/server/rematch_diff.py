#!/usr/bin/env python3
"""rematch_diff.py BACKEND [SEED] — the selective re-match after a feed sync
(issue 11) against the whole one, differentially: a portfolio of assets
(siblings under one product, shared components, several versions of a
package), an OSV feed, then rounds of a random change set (records added,
removed, withdrawn, their ranges moved, their package renamed, their CVSS
changed, summaries changed, aliases added). After each round's sync (selective: only the
components the changed records can affect are matched again) the findings
are read; then the whole portfolio is matched again (the index removed and
the server restarted, so the next sync has nothing to compare with) and the
findings must be the same, field by field, and no finding may appear or go.
Also: a finding whose priority a sync changes takes the due date of its new
priority from the team's service levels; a record whose summary alone
changes shows it on every finding, and no finding is written (the text is
kept once per vulnerability, schema 20).
"""
import datetime
import json
import os
import random
import shutil
import sys
import tempfile

import yaml

from harness import Result, Server, cleanup, fresh_database, init, request

SHARED = os.environ.get("XSIRT_SHARED_DATA", os.path.join(os.path.dirname(__file__),
                                                          "../../../shared/data"))
backend = sys.argv[1]
seed = int(sys.argv[2]) if len(sys.argv) > 2 else int(os.environ.get("XSIRT_TEST_SEED", "0")) or \
    random.randrange(1, 1 << 30)
print("seed", seed, flush=True)
rng = random.Random(seed)
t = Result()
data, database = fresh_database(backend, "rematch_diff")
admin = init(data, database)["token"]
work = tempfile.mkdtemp(prefix="xsirt-rematch-")
srv = Server(data, database, extra=["--no-feeds"]).start()
PYPI = os.path.join(SHARED, "osv", "pypi")
names = sorted(p for p in os.listdir(PYPI) if os.path.isdir(os.path.join(PYPI, p)))[:80]
feed = os.path.join(work, "osv")
HOURS = {"critical": 24, "high": 72, "medium": 240, "low": 720}
SEVERITY = {"P1": "critical", "P2": "high", "P3": "medium", "P4": "low"}
VECTORS = ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",   # 9.8
           "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N",   # 6.5
           "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"]   # 1.8


def call(method, path, body=None, **kw):
    return request(srv.base, method, path, body, admin, **kw)


# The feed: records as OSV JSON, one package a directory, so that they can
# be changed and written back.
records = {}     # path -> record
for n in names[:60]:
    for fn in sorted(os.listdir(os.path.join(PYPI, n))):
        with open(os.path.join(PYPI, n, fn)) as f:
            doc = yaml.safe_load(f)
        records[os.path.join(feed, n, doc["id"] + ".json")] = doc
spare = [n for n in names[60:]]


def write_feed():
    shutil.rmtree(feed, ignore_errors=True)
    for path, doc in records.items():
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            json.dump(doc, f, default=str)


def versions_of(doc):
    """Versions a record's ranges and lists name: what components should use."""
    out = set()
    for a in doc.get("affected", []):
        out.update(str(v) for v in a.get("versions", [])[:4])
        for r in a.get("ranges", []):
            if r.get("type") != "ECOSYSTEM":
                continue
            for e in r.get("events", []):
                for k in ("introduced", "fixed", "last_affected"):
                    if k in e and str(e[k]) != "0":
                        out.add(str(e[k]))
    return sorted(out)


def touch(doc):
    doc["modified"] = "2031-%02d-%02dT00:00:00Z" % (rng.randint(1, 12), rng.randint(1, 28))


def change_round():
    """A random change set over the feed; returns what it did."""
    did = []
    paths = sorted(records)
    for path in rng.sample(paths, min(len(paths), rng.randint(4, 10))):
        doc = records.get(path)
        if doc is None:
            continue
        what = rng.choice(["remove", "withdraw", "range", "rename", "cvss", "summary", "alias",
                           "touch"])
        if what == "remove":
            del records[path]
        elif what == "withdraw":
            doc["withdrawn"] = "2031-01-01T00:00:00Z"
            touch(doc)
        elif what == "range":
            for a in doc.get("affected", []):
                a.pop("versions", None)
                a["ranges"] = [{"type": "ECOSYSTEM", "events": [
                    {"introduced": "0"}, {"fixed": rng.choice(["0.0.2", "1.0", "2.0", "999.0.0"])}]}]
            touch(doc)
        elif what == "rename":
            other = rng.choice(names[:60])
            for a in doc.get("affected", [])[:1]:
                a["package"] = {"name": other, "ecosystem": "PyPI", "purl": "pkg:pypi/" + other}
            touch(doc)
        elif what == "cvss":
            doc["severity"] = [{"type": "CVSS_V3", "score": rng.choice(VECTORS)}]
            touch(doc)
        elif what == "summary":
            doc["summary"] = "changed in round %d" % rng.randint(1, 1 << 20)
            touch(doc)
        elif what == "alias":
            # Another record of the feed becomes an alias: the scan keeps one.
            other = records.get(rng.choice(paths))
            if other is not None and other is not doc:
                doc.setdefault("aliases", []).append(other["id"])
                touch(doc)
        else:
            touch(doc)
        did.append((what, doc["id"]))
    for n in rng.sample(spare, min(len(spare), rng.randint(0, 2))):   # new packages
        spare.remove(n)
        for fn in sorted(os.listdir(os.path.join(PYPI, n))):
            with open(os.path.join(PYPI, n, fn)) as f:
                doc = yaml.safe_load(f)
            records[os.path.join(feed, n, doc["id"] + ".json")] = doc
            did.append(("add", doc["id"]))
    return did


def all_findings():
    """Every finding, by (asset, component, version, vulnerability)."""
    items, cursor = [], None
    while True:
        s, b, _ = call("GET", "/api/v1/findings?limit=200%s" % ("&cursor=%d" % cursor if cursor else ""))
        assert s == 200, b
        items += b["items"]
        if b["next"] is None:
            break
        cursor = b["next"]
    out = {}
    for f in items:
        v = f["vulnerability"]
        out[(f["asset"], f["component"]["name"], f["component"]["version"], v["id"])] = (
            f["id"], f["active"], f["priority"], f["due"], f["state"], tuple(sorted(v["aliases"])),
            v["summary"], json.dumps(v["cvss"], sort_keys=True), v["kev"], f["sbom"], f["first_seen"])
    return out


def sync(feed_id):
    s, r, _ = call("POST", "/api/v1/feeds/%d/sync" % feed_id, timeout=600)
    t.check(s == 200 and r["status"] == "ok", "sync %r" % (r,))
    return r


def when(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def due_of(first_seen, priority):
    """The due date a finding first seen then has at that priority, to the second."""
    return (when(first_seen) + datetime.timedelta(hours=HOURS[SEVERITY[priority]])).replace(microsecond=0)


def due_is(due, first_seen, priority):
    return due is not None and when(due).replace(microsecond=0) == due_of(first_seen, priority)


try:
    _, team, _ = call("POST", "/api/v1/teams", {"name": "PSIRT", "kind": "PSIRT"})
    for sev, h in HOURS.items():
        s, b, _ = call("PUT", "/api/v1/teams/%d/service-levels" % team["id"],
                       {"severity": sev, "acknowledge_hours": 1, "triage_hours": 2, "remediate_hours": h})
        t.check(s == 200, "service level %s: %r" % (sev, b))
    _, product, _ = call("POST", "/api/v1/assets", {"name": "Product", "kind": "product", "team": team["id"]})
    assets = []
    for i in range(5):
        body = {"name": "Product v%d" % i, "kind": "product", "team": team["id"],
                "criticality": rng.choice(["low", "medium", "high", "critical"]),
                "exposure": rng.choice(["internet", "internal", "isolated"])}
        if i < 3:
            body["parent"] = product["id"]
        s, a, _ = call("POST", "/api/v1/assets", body)
        assets.append(a["id"])
    write_feed()
    s, f1, _ = call("POST", "/api/v1/feeds", {"name": "OSV", "kind": "osv", "url": "file://" + feed})
    r = sync(f1["id"])
    # SBOMs: components from every package (the spare ones too, so that
    # added records find them), at versions the records name, some at
    # 0.0.1 and 999.0.0; components shared between assets.
    by_name = {}
    for path, doc in records.items():
        by_name.setdefault(os.path.basename(os.path.dirname(path)), set()).update(versions_of(doc))
    for n in spare:
        for fn in os.listdir(os.path.join(PYPI, n)):
            with open(os.path.join(PYPI, n, fn)) as f:
                by_name.setdefault(n, set()).update(versions_of(yaml.safe_load(f)))
    for k, a in enumerate(assets):
        comps = []
        for n in rng.sample(names, 50):
            vs = sorted(by_name.get(n, ())) + ["0.0.1", "999.0.0"]
            for v in rng.sample(vs, min(len(vs), rng.randint(1, 3))):
                comps.append({"type": "library", "bom-ref": "c%d" % len(comps), "name": n,
                              "version": v, "purl": "pkg:pypi/%s@%s" % (n, v)})
        s, b, _ = call("POST", "/api/v1/assets/%d/sboms" % a, raw=json.dumps(
            {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": comps}).encode())
        t.check(s == 201, "SBOM of asset %d: %r" % (a, b))
    before = all_findings()
    t.check(len(before) > 50, "the portfolio has findings (%d)" % len(before))
    # A decision on some findings, to see it kept.
    for key in rng.sample(sorted(before), 5):
        call("PATCH", "/api/v1/findings/%d" % before[key][0], {"state": "exploitable"})

    prio_changed = 0
    for round_ in range(3):
        did = change_round()
        write_feed()
        prev = all_findings()
        r = sync(f1["id"])
        selective = all_findings()
        t.check(r["assets"] <= len(assets), "round %d: selective sync %r" % (round_, r))
        # The whole portfolio matched again: nothing to compare with.
        srv.stop()
        os.unlink(os.path.join(data, "vulns.idx"))
        srv = Server(data, database, extra=["--no-feeds"]).start()
        r2 = sync(f1["id"])
        t.check(r2["assets"] == len(assets), "round %d: whole re-match of %d assets %r" % (round_, len(assets), r2))
        whole = all_findings()
        extra = sorted(set(selective) - set(whole))
        missing = sorted(set(whole) - set(selective))
        diff = sorted(k for k in set(whole) & set(selective) if whole[k] != selective[k])
        t.check(not extra and not missing and not diff,
                "round %d (%s): selective == whole; only selective %r, only whole %r, differ %r" %
                (round_, did, extra[:3], missing[:3],
                 [(k, selective[k], whole[k]) for k in diff[:2]]))
        t.check(sum(1 for k in whole if whole[k][1]) > 0, "round %d: active findings remain" % round_)
        # Whatever a round changed or not: each due date is its priority's.
        for k, v in selective.items():
            if k in prev and prev[k][2] != v[2] and v[1]:
                prio_changed += 1
        bad = [(k, v) for k, v in selective.items() if v[1] and not due_is(v[3], v[10], v[2])]
        t.check(not bad, "round %d: due follows priority: %r" % (round_, bad[:2]))

    # -- due follows priority: a record's CVSS raised on a chosen finding ----
    now = all_findings()
    key = next(k for k in sorted(now) if now[k][1] and now[k][2] in ("P3", "P4"))
    vid = key[3]
    path = next(p for p, d in records.items() if d["id"] == vid)
    records[path]["severity"] = [{"type": "CVSS_V3", "score": VECTORS[0]}]
    touch(records[path])
    write_feed()
    sync(f1["id"])
    after = all_findings()
    t.check(after[key][2] in ("P1", "P2") and after[key][2] != now[key][2],
            "a raised CVSS raises the priority: %s -> %s" % (now[key][2], after[key][2]))
    t.check(due_is(after[key][3], after[key][10], after[key][2]) and after[key][3] != now[key][3],
            "and the due date is the new priority's: %s -> %s" % (now[key][3], after[key][3]))
    t.check(after[key][10] == now[key][10] and after[key][0] == now[key][0],
            "the same finding, first seen when it was")

    # -- a new summary: on every finding of the record, no finding written --
    now = all_findings()
    key = next(k for k in sorted(now) if now[k][1])
    vid = key[3]
    path = next(p for p, d in records.items() if d["id"] == vid)
    records[path]["summary"] = "A new summary, seed %d" % seed
    touch(records[path])
    write_feed()
    r = sync(f1["id"])
    after = all_findings()
    mine = [k for k in after if k[3] == vid]
    t.check(all(after[k][6] == records[path]["summary"] for k in mine),
            "a new summary shows on every finding of %s (%d)" % (vid, len(mine)))
    t.check(r["assets"] == 0, "and no asset's findings are written for it: %r" % (r,))

    # -- a record removed while another names it as an alias ----------------
    # (the comparison of the indexes found records by alias too: the
    # removed one looked present, and its findings stayed active)
    # Both alone: the record the only one of its package and in no alias
    # relation, the one naming it of another package (else a re-match of
    # the package, or a scan keeping one of two records that alias each
    # other, would deactivate the findings for another reason).
    now = all_findings()
    ids = {d["id"] for d in records.values()}
    per_dir = {}
    for p in records:
        per_dir[os.path.dirname(p)] = per_dir.get(os.path.dirname(p), 0) + 1

    def alone(p):
        d = records[p]
        return per_dir[os.path.dirname(p)] == 1 and not (set(d.get("aliases", [])) & ids) and \
            not any(d["id"] in o.get("aliases", []) for o in records.values())
    active = {k[3] for k in now if now[k][1]}
    gone = next(p for p in sorted(records) if records[p]["id"] in active and alone(p))
    vid = records[gone]["id"]
    namer = next(p for p in sorted(records) if p != gone and alone(p))
    records[namer].setdefault("aliases", []).append(vid)
    touch(records[namer])
    write_feed()
    sync(f1["id"])
    del records[gone]
    write_feed()
    sync(f1["id"])
    after = all_findings()
    stay = [k for k in after if k[3] == vid and after[k][1]]
    t.check(not stay, "a removed record named as another's alias leaves no active finding: %r" %
            stay[:3])
    print("priorities changed by the random rounds: %d" % prio_changed)
finally:
    srv.stop()
    cleanup(data)
    cleanup(work)
t.finish()
