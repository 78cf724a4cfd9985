#!/usr/bin/env python3
"""permissions.py BACKEND — the permission matrix of docs/security.md,
generated from the one table below: for every caller (role x team position,
and the callers outside the tree) x TLP level x route, what the server
answers is what the document says.

Routes read: the case list, search (q=), GET case, timeline, tasks,
escalations, links (from a CLEAR case every caller sees, and its link
events), the audit log; and one write, adding a note.

The portfolio (assets have no TLP: SEES_ASSET, docs/security.md "Who sees
an asset"): the asset list, GET, PATCH, its SBOMs (list, upload), impact,
VEX, components by purl, findings (list with every filter, GET, PATCH,
batch triage), an asset's hidden parent and dependencies, impact through a
hidden asset, the findings and assets a case lists (per TLP), a case
opened with findings, audit records of assets/findings/SBOMs, feeds and
settings. Hidden and unknown ids get the same answer (404, or 400 where
an id is input), so no answer tells that a hidden one exists.

Accounts of kind external (a party's account): every route of the server,
its portal, its two cases and nothing else (permissions_external.py).
"""
import json
import os
import re
import subprocess
import sys

from harness import XSIRT, Result, Server, cleanup, fresh_database, init, request
from org import POSITIONS, ROLES, TLPS, Org
from permissions_external import check_external

# -- the table (docs/security.md, "Who sees a case") ------------------------------
# Visibility per TLP in the order CLEAR GREEN AMBER AMBER+STRICT RED, by
# where the caller stands relative to the team that owns the case.
SEES = {
    "own":         "YYYYN",   # members of the owning team, any role
    "parent":      "YYYYN",   # members of a team above it
    "child":       "YYNNN",   # a team below sees only what is shared wider
    "sibling":     "YYNNN",
    "unrelated":   "YYNNN",
    "participant": "YYYNY",   # named on the case (internal), no team
    "teamless":    "YNNNN",   # internal, in no team
    "auditor":     "YNNNN",   # role auditor, in no team
    "partner":     "YYYNN",   # external organisation named on the case
    "stranger":    "YNNNN",   # external organisation not named
    "admin":       "YYYYY",
    "auditor-own": "YYYYN",   # role auditor, viewer in the owning team
}
# Who sees an asset of team "own" (docs/security.md, "Who sees an asset"):
# no TLP; members of the owning team and of the teams above it, admins.
SEES_ASSET = {"own": True, "parent": True, "admin": True, "auditor-own": True}
# Who changes it (PATCH, SBOM upload, triage of its findings).
WRITES_ASSET = {("own", "lead"), ("own", "member"), ("parent", "lead"), ("parent", "member"),
                "admin"}
# Who may add a note to a case they see ("Y"); one they see but may not
# change gets 403, one they do not see 404.
WRITES = {
    ("own", "lead"): True, ("own", "member"): True, ("own", "viewer"): False,
    ("parent", "lead"): True, ("parent", "member"): True, ("parent", "viewer"): False,
    "participant": True, "admin": True,
}
AUDIT_READERS = ("admin", "auditor", "auditor-own")

backend = sys.argv[1]
t = Result()
data, database = fresh_database(backend, "permissions")
admin = init(data, database)["token"]
SHARED = os.environ.get("XSIRT_SHARED_DATA", os.path.join(os.path.dirname(__file__),
                                                          "../../../shared/data"))
subprocess.run([XSIRT, "db", "build", "-q", "-o", os.path.join(data, "vulns.idx"),
                os.path.join(SHARED, "osv", "pypi"), os.path.join(SHARED, "kev")],
               check=True, capture_output=True)
srv = Server(data, database).start()
B = srv.base
org = Org(B, admin)


def call(method, path, body=None, token=admin, **kw):
    return request(B, method, path, body, token, **kw)


def callers():
    """(name, kind, token): kind keys SEES; roles per team position."""
    for pos in POSITIONS:
        for role in ROLES:
            yield "%s-%s" % (pos, role), pos, role
    for kind in ("participant", "teamless", "auditor", "partner", "stranger", "admin",
                 "auditor-own"):
        yield kind, kind, None


def same(a, b):
    """Two answers alike but for the ids they name (hidden vs unknown)."""
    return re.sub(r"\d+", "N", json.dumps(a, sort_keys=True)) == \
        re.sub(r"\d+", "N", json.dumps(b, sort_keys=True))


def cdx(components):
    comps = [{"type": "library", "bom-ref": "c%d" % i, "name": n, "version": v,
              "purl": "pkg:pypi/%s@%s" % (n, v)} for i, (n, v) in enumerate(components)]
    return json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
                       "components": comps}).encode()


def upload(asset_id, doc, token=admin):
    return request(B, "POST", "/api/v1/assets/%d/sboms" % asset_id, None, token, raw=doc,
                   headers={"Content-Type": "application/octet-stream"})


def ids_of(path, tok):
    """(status, the ids of every page of a list)."""
    got, cursor = set(), None
    while True:
        s, b, _ = call("GET", path + ("&cursor=%d" % cursor if cursor else ""), token=tok)
        if s != 200:
            return s, set()
        got |= {x["id"] for x in b["items"]}
        if b["next"] is None:
            return s, got
        cursor = b["next"]


def revision(path):
    s, b, h = call("GET", path)
    return h.get("ETag")


UNKNOWN = 987654321

try:
    org.tree()
    s, partner_org, _ = call("POST", "/api/v1/organisations", {"name": "Supplier Ltd", "kind": "supplier"})
    s, stranger_org, _ = call("POST", "/api/v1/organisations", {"name": "Other Ltd", "kind": "customer"})
    tokens = {"admin": admin}
    for name, kind, role in callers():
        if role:
            tokens[name] = org.user(name, team=kind, team_role=role)[1]
        elif kind == "auditor":
            tokens[name] = org.user(name, role="auditor")[1]
        elif kind == "auditor-own":
            tokens[name] = org.user(name, role="auditor", team="own", team_role="viewer")[1]
        elif kind in ("participant", "teamless"):
            tokens[name] = org.user(name)[1]
        elif kind in ("partner", "stranger"):
            oid = (partner_org if kind == "partner" else stranger_org)["id"]
            s, u, _ = call("POST", "/api/v1/users", {"username": kind, "password": "a long password 1",
                                                     "organisation": oid})
            s, tok, _ = call("POST", "/api/v1/tokens", {"name": "t", "user": u["id"]})
            tokens[name] = tok["token"]
            org.users[name] = (u["id"], tok["token"])
    # -- the portfolio: asset A of team own, nested under PA (team parent),
    # depending on FAR (team unrelated); BASE <- HID (unrelated) <- TOP for
    # impact through a hidden asset.
    T = org.teams

    def new_asset(name, kind, team, **extra):
        body = {"name": name, "kind": kind, "team": T[team]}
        body.update(extra)
        s, a, _ = call("POST", "/api/v1/assets", body)
        assert s == 201, (s, a)
        return a["id"]

    PA = new_asset("Plant", "system", "parent")
    FAR = new_asset("Far service", "service", "unrelated")
    A = new_asset("Matrix product", "product", "own", parent=PA, depends_on=[FAR])
    BASE = new_asset("Base system", "system", "own")
    HID = new_asset("Hidden middle", "service", "unrelated", depends_on=[BASE])
    TOP = new_asset("Top service", "service", "own", depends_on=[HID])
    root = os.path.join(SHARED, "osv", "pypi")
    PKGS = sorted(p for p in os.listdir(root) if os.path.isdir(os.path.join(root, p)))[:30]
    DOC = cdx([(p, "0.0.1") for p in PKGS])
    s, up, _ = upload(A, DOC)
    t.check(s == 201 and up["findings"] >= 8, "the matrix SBOM has findings: %s" % (up,))
    SBOM = up["id"]
    s, fl, _ = call("GET", "/api/v1/findings?limit=200&asset=%d" % A)
    FIND = sorted(f["id"] for f in fl["items"])
    F_TLP = dict(zip(TLPS, FIND[:5]))
    F_CREATE, F_TRIAGE, F_PATCH = FIND[5], FIND[6], FIND[7]
    s, F0, _ = call("GET", "/api/v1/findings/%d" % F_TLP["CLEAR"])
    # A feed whose source does not exist: its syncs fail and change nothing,
    # so the index the findings came from stays in use.
    s, feed, _ = call("POST", "/api/v1/feeds", {"name": "matrix feed", "kind": "kev",
                                                 "url": "file:///nonexistent/xsirt-matrix/kev.json"})
    t.check(s == 201, "admin adds a feed: %d" % s)

    hub = org.case("hub for links", "CLEAR", team="unrelated")
    cases = {}
    for tlp in TLPS:
        c = org.case("matrix %s case qz%dq" % (tlp, TLPS.index(tlp)), tlp, severity="critical",
                     findings=[F_TLP[tlp]])
        cases[tlp] = c["id"]
        s, _, _ = call("POST", "/api/v1/cases/%d/participants" % c["id"],
                       {"role": "internal", "user": org.users["participant"][0]})
        t.check(s == 201, "participant named on " + tlp)
        s, _, _ = call("POST", "/api/v1/cases/%d/participants" % c["id"],
                       {"role": "supplier", "organisation": partner_org["id"]})
        t.check(s == 201, "partner named on " + tlp)
        s, _, _ = call("POST", "/api/v1/cases/%d/tasks" % c["id"], {"title": "fix"})
        s, _, _ = call("POST", "/api/v1/cases/%d/links" % hub["id"], {"target": c["id"], "kind": "related"})
        t.check(s == 201, "hub links to " + tlp)

    checked = 0
    for name, kind, role in callers():
        tok = tokens[name]
        s, lst, _ = call("GET", "/api/v1/cases?limit=200", token=tok)
        listed = {c["id"] for c in lst.get("items", [])} if s == 200 else set()
        s, hubc, _ = call("GET", "/api/v1/cases/%d" % hub["id"], token=tok)
        linked = {l["target"] for l in hubc.get("links", [])} if s == 200 else set()
        s, htl, _ = call("GET", "/api/v1/cases/%d/timeline?limit=200" % hub["id"], token=tok)
        link_events = {e["data"]["target"] for e in htl.get("items", []) if e["kind"] == "link"}
        s, log, _ = call("GET", "/api/v1/audit?limit=200", token=tok)
        audit_ok = s == 200
        t.check(audit_ok == (kind in AUDIT_READERS), "%s: audit log %d" % (name, s))
        for i, tlp in enumerate(TLPS):
            cid, sees = cases[tlp], SEES[kind][i] == "Y"
            where = "%s x %s" % (name, tlp)
            t.check((cid in listed) == sees, where + ": list")
            s, found, _ = call("GET", "/api/v1/cases?q=qz%dq" % i, token=tok)
            t.check(s == 200 and ([c["id"] for c in found["items"]] == ([cid] if sees else [])),
                    where + ": search")
            for route in ("", "/timeline", "/tasks", "/escalations"):
                s, b, _ = call("GET", "/api/v1/cases/%d%s" % (cid, route), token=tok)
                t.check(s == (200 if sees else 404), "%s: GET case%s -> %d" % (where, route, s))
                if s == 200 and route == "":
                    sa = SEES_ASSET.get(kind, False)
                    t.check(b.get("findings") == ([F_TLP[tlp]] if sa else []) and
                            b.get("assets") == ([A] if sa else []),
                            "%s: the case's findings and assets %s %s" % (where, b.get("findings"),
                                                                         b.get("assets")))
                if s == 200 and route == "/escalations":
                    t.check(len(b["items"]) >= 1, where + ": the critical case's escalation is listed")
                if s == 404:
                    t.check("matrix" not in json.dumps(b), where + ": the 404 says nothing")
            t.check((cid in linked) == sees, where + ": hub's links")
            t.check((cid in link_events) == sees, where + ": hub's link events")
            if audit_ok:
                recs = [r for r in log["items"] if r["object_type"] == "case" and r["object_id"] == str(cid)]
                t.check(len(recs) > 0 and all(r.get("redacted") == (not sees) for r in recs)
                        and all((r["after"] is None) == (not sees) for r in recs), where + ": audit records")
            may = WRITES.get((kind, role), WRITES.get(kind, False))
            s, b, _ = call("POST", "/api/v1/cases/%d/notes" % cid, {"body": "from " + name}, token=tok)
            want = (201 if may else 403) if sees else 404
            t.check(s == want, "%s: add a note -> %d (want %d)" % (where, s, want))
            checked += 1
    t.check(checked == len(list(callers())) * len(TLPS), "matrix complete: %d cells" % checked)

    # -- the portfolio matrix ------------------------------------------------
    _, unknown_asset, _ = call("GET", "/api/v1/assets/%d" % UNKNOWN)
    _, unknown_finding, _ = call("GET", "/api/v1/findings/%d" % UNKNOWN)
    pcells = 0
    for name, kind, role in callers():
        tok = tokens[name]
        sees = SEES_ASSET.get(kind, False)
        sees_pa = kind in ("parent", "admin")
        may = (kind, role) in WRITES_ASSET or kind in WRITES_ASSET
        w = name + ": "
        s, got = ids_of("/api/v1/assets?limit=200", tok)
        t.check(s == 200 and (A in got) == sees and (PA in got) == sees_pa, w + "asset list")
        for q in ("team=%d" % T["own"], "kind=product", "q=matrix"):
            s, got = ids_of("/api/v1/assets?limit=200&" + q, tok)
            t.check(s == 200 and (A in got) == sees, w + "asset list " + q)
        s, got = ids_of("/api/v1/assets?parent=%d" % PA, tok)
        t.check(s == 200 and (A in got) == (sees and sees_pa), w + "assets under a hidden parent")
        s, b, _ = call("GET", "/api/v1/assets/%d" % A, token=tok)
        t.check(s == (200 if sees else 404), w + "GET asset %d" % s)
        if s == 200:
            t.check(b["parent"] == (PA if sees_pa else None), w + "the parent if seen: %s" % b["parent"])
            t.check(b["depends_on"] == ([FAR] if kind == "admin" else []), w + "hidden dependency left out")
        else:
            t.check(same(b, unknown_asset), w + "a hidden asset is answered like an unknown one")
        s, b, _ = call("GET", "/api/v1/findings/%d/history" % F_TLP["CLEAR"], token=tok)
        t.check(s == (200 if sees else 404), w + "a finding's history -> %d" % s)
        for sub in ("/sboms", "/impact", "/vex", "/vex?format=cyclonedx"):
            s, b, _ = call("GET", "/api/v1/assets/%d%s" % (A, sub), token=tok)
            t.check(s == (200 if sees else 404), w + "asset%s -> %d" % (sub, s))
            if s == 404:
                t.check("Matrix" not in json.dumps(b), w + sub + ": the 404 says nothing")
        s, b, _ = call("GET", "/api/v1/assets/%d/impact" % BASE, token=tok)
        if sees:
            deps = {d["id"] for d in b["dependents"]}
            t.check(s == 200 and deps == ({HID, TOP} if kind == "admin" else set()),
                    w + "impact does not walk through a hidden asset: %s" % deps)
        else:
            t.check(s == 404, w + "impact of a hidden asset")
        s, b, _ = call("GET", "/api/v1/components?limit=200&purl=pkg:pypi/%s@0.0.1" % PKGS[0], token=tok)
        t.check(s == 200 and (A in {c["asset"]["id"] for c in b["items"]}) == sees, w + "components by purl")
        # findings: the list under every filter
        for q in ("", "asset=%d" % A, "team=%d" % T["own"], "state=%s" % F0["state"],
                  "priority=%s" % F0["priority"], "kev=%s" % str(F0["vulnerability"]["kev"]).lower(),
                  "active=true", "vulnerability=%s" % F0["vulnerability"]["id"],
                  "component=%s" % F0["component"]["name"]):
            s, got = ids_of("/api/v1/findings?limit=200&" + q, tok)
            t.check(s == 200 and (F_TLP["CLEAR"] in got) == sees, w + "findings?%s (%d found)" % (q, len(got)))
        s, got = ids_of("/api/v1/findings?limit=200&asset=%d" % PA, tok)
        t.check(s == 200 and (F_TLP["CLEAR"] in got) == (sees and sees_pa), w + "findings under a hidden asset")
        for i, tlp in enumerate(TLPS):
            s, b, _ = call("GET", "/api/v1/findings/%d" % F_TLP[tlp], token=tok)
            t.check(s == (200 if sees else 404), w + "GET finding %d" % s)
            if s == 200:
                want = cases[tlp] if SEES[kind][i] == "Y" else None
                t.check(b["case"] == want and all(e["data"].get("case") in (want, None)
                                                  for e in b["history"] if e["kind"] == "case"),
                        w + "a finding's %s case: %s" % (tlp, b["case"]))
            else:
                t.check(same(b, unknown_finding), w + "a hidden finding is answered like an unknown one")
        # writes
        want = (200 if may else 403) if sees else 404
        s, b, _ = call("PATCH", "/api/v1/findings/%d" % F_PATCH, {"detail": "by " + name}, token=tok,
                       headers={"If-Match": revision("/api/v1/findings/%d" % F_PATCH)})
        t.check(s == want, w + "PATCH finding -> %d (want %d)" % (s, want))
        s, b, _ = call("POST", "/api/v1/findings/triage", {"findings": [F_TRIAGE], "state": "in_triage"},
                       token=tok)
        t.check(s == ((200 if may else 403) if sees else 400), w + "batch triage -> %d" % s)
        if not sees:
            s2, b2, _ = call("POST", "/api/v1/findings/triage", {"findings": [UNKNOWN], "state": "in_triage"},
                             token=tok)
            t.check(s2 == 400 and same(b, b2), w + "batch triage: hidden like unknown")
        s, b, _ = call("PATCH", "/api/v1/assets/%d" % A, {"description": "by " + name}, token=tok,
                       headers={"If-Match": revision("/api/v1/assets/%d" % A)})
        t.check(s == want, w + "PATCH asset -> %d (want %d)" % (s, want))
        s, b, _ = upload(A, DOC, token=tok)
        t.check(s == ((201 if may else 403) if sees else 404), w + "SBOM upload -> %d" % s)
        # references given as input: a hidden id is 400 like an unknown one
        if kind in POSITIONS and role != "viewer" or kind == "admin":
            team = T[kind] if kind in POSITIONS else T["own"]
            answers = []
            for ref in (A, UNKNOWN):
                s, b, _ = call("POST", "/api/v1/assets", {"name": "ref " + name, "kind": "component",
                                                          "team": team, "parent": ref}, token=tok)
                answers.append((s, b))
                s, b, _ = call("POST", "/api/v1/assets", {"name": "dep " + name, "kind": "component",
                                                          "team": team, "depends_on": [ref]}, token=tok)
                answers.append((s, b))
                s, b, _ = call("POST", "/api/v1/cases", {"title": "from findings", "kind": "vulnerability",
                                                         "team": team, "tlp": "AMBER",
                                                         "findings": [F_CREATE if ref == A else UNKNOWN]},
                               token=tok)
                answers.append((s, b))
            for k, what in enumerate(("parent", "depends_on", "a case's findings")):
                s, b = answers[k]
                if sees:
                    # The finding joins the first such case; in every later one
                    # it is 409 (it is in another open case), which a caller
                    # who may not see it never gets (400 like an unknown id).
                    moved = what == "a case's findings" and s == 409 and \
                        b["error"]["field"] == "findings" and "finding %d " % F_CREATE in b["error"]["message"]
                    t.check(s == 201 or moved, w + what + " of a seen asset -> %d" % s)
                else:
                    t.check(s == 400 and same(b, answers[k + 3][1]), w + what + ": hidden like unknown")
        if kind in ("partner", "stranger"):
            # our teams are unknown to external accounts: an existing one and
            # an unknown one get the same answer
            answers = [call("POST", "/api/v1/assets", {"name": "x", "kind": "product", "team": team},
                            token=tok)[:2] for team in (T["own"], UNKNOWN)]
            t.check(answers[0][0] == 400 and same(answers[0][1], answers[1][1]),
                    w + "asset in one of our teams: like an unknown team (%s)" % (answers,))
        # feeds and settings
        s, got = ids_of("/api/v1/feeds?limit=200", tok)
        t.check(s == 200 and feed["id"] in got, w + "feed list")
        s, b, _ = call("GET", "/api/v1/feeds/%d" % feed["id"], token=tok)
        t.check(s == 200, w + "GET feed")
        if kind != "admin":
            s, b, _ = call("POST", "/api/v1/feeds", {"name": "x", "kind": "kev", "url": "file:///tmp"}, token=tok)
            t.check(s == 403, w + "add a feed -> %d" % s)
            s, b, _ = call("POST", "/api/v1/feeds/%d/sync" % feed["id"], token=tok)
            t.check(s == 403, w + "sync a feed -> %d" % s)
        s, b, _ = call("GET", "/api/v1/settings", token=tok)
        t.check(s == (200 if kind == "admin" else 403), w + "GET settings -> %d" % s)
        s, b, _ = call("PATCH", "/api/v1/settings", {"smtp_from": "psirt@example.org"}, token=tok)
        t.check(s == (200 if kind == "admin" else 403), w + "PATCH settings -> %d" % s)
        pcells += 1
    t.check(pcells == len(list(callers())), "portfolio matrix complete: %d callers" % pcells)
    # the new lists page like the others
    s, b, _ = call("GET", "/api/v1/assets/%d/sboms?limit=1" % A)
    t.check(s == 200 and len(b["items"]) == 1 and b["items"][0]["current"] and b["next"] is not None,
            "SBOMs page: %s" % b.get("next"))
    s, got = ids_of("/api/v1/assets/%d/sboms?limit=1" % A, admin)
    uploads = 1 + sum(1 for _, k, r in callers() if (k, r) in WRITES_ASSET or k in WRITES_ASSET)
    t.check(len(got) == uploads, "every SBOM upload is on some page: %d of %d" % (len(got), uploads))
    s, whole, _ = call("GET", "/api/v1/findings/%d" % F_PATCH)
    s, got = ids_of("/api/v1/findings/%d/history?limit=2" % F_PATCH, admin)
    t.check(len(got) >= 5 and got == {e["id"] for e in whole["history"]} and whole["history_next"] is None,
            "a finding's history pages (%d events)" % len(got))
    got, cursor = set(), None
    for _ in range(3):
        s, b, _ = call("GET", "/api/v1/assets/%d/impact?limit=1" % BASE + ("&cursor=%d" % cursor if cursor else ""))
        got |= {d["id"] for d in b["dependents"]}
        cursor = b["next"]
        if cursor is None:
            break
    t.check(got == {HID, TOP} and cursor is None, "impact's dependants page: %s" % got)
    for q in ("/api/v1/assets?limit=1", "/api/v1/findings?limit=1&asset=%d" % A):
        s, b, _ = call("GET", q)
        t.check(s == 200 and len(b["items"]) == 1 and b["next"] is not None, q + " pages")
    s, b, _ = call("GET", "/api/v1/assets/%d" % A)
    t.check(b["depends_on"] == [FAR] and b["parent"] == PA,
            "PATCHes by those who do not see FAR and PA left them in place: %s" % b["depends_on"])
    # the audit log: records of assets, SBOMs and findings are redacted as cases are
    for name in ("admin", "auditor", "auditor-own"):
        recs, after = [], None
        while True:
            s, page, _ = call("GET", "/api/v1/audit?limit=200" + ("&after=%d" % after if after else ""),
                              token=tokens[name])
            recs += page["items"]
            if page["next"] is None:
                break
            after = page["next"]
        for typ, oid, seen in (("asset", A, SEES_ASSET.get(name, False)), ("asset", FAR, name == "admin"),
                               ("sbom", SBOM, SEES_ASSET.get(name, False)),
                               ("finding", F_TRIAGE, SEES_ASSET.get(name, False))):
            mine = [r for r in recs if r["object_type"] == typ and r["object_id"] == str(oid)]
            t.check(len(mine) > 0 and all(r["redacted"] == (not seen) and (r["after"] is None) == (not seen)
                                          for r in mine if r["action"] != "asset.delete"),
                    "%s: audit records of %s %d redacted=%s" % (name, typ, oid, not seen))
        mine = [r for r in recs if r["object_type"] == "asset" and r["object_id"] == str(A)
                and r["after"] is not None]
        t.check(all(r["after"]["depends_on"] == ([FAR] if name == "admin" else []) for r in mine),
                name + ": hidden dependencies left out of the audit records too")
    # Bounded answers: 20 findings of A get a 64 KiB detail whose bytes
    # escape to six (20 x 384 KiB > 6 MiB); the VEX export is then refused
    # whole (413, JSON), and the finding list still pages under the byte bound.
    detail = "\u0001" * (64 * 1024 - 1)
    t.check(len(FIND) > 20, "enough findings for the bound: %d" % len(FIND))
    s, b, _ = call("POST", "/api/v1/findings/triage", {"findings": FIND[:20], "state": "exploitable",
                                                       "detail": detail}, timeout=300)
    t.check(s == 200, "a long decision on every finding: %d %s" % (s, str(b)[:200]))
    for fmt in ("openvex", "cyclonedx"):
        s, b, h = call("GET", "/api/v1/assets/%d/vex?format=%s" % (A, fmt), timeout=300)
        t.check(s == 413 and b["error"]["code"] == "too_large", "VEX over the bound -> %d %s" % (s, str(b)[:200]))
    s, b, h = call("GET", "/api/v1/findings?limit=200&asset=%d" % A)
    size = len(json.dumps(b))
    t.check(s == 200 and 0 < len(b["items"]) < len(FIND) and b["next"] is not None and size < 4 * 2 ** 20,
            "findings page by bytes: %d of %d, %d bytes" % (len(b.get("items", [])), len(FIND), size))
    # -- accounts of kind external: a party's account reaches its portal only,
    # every other route is refused (permissions_external.py)
    check_external(t, call, B, org, cases, admin)
    s, v, _ = call("GET", "/api/v1/audit/verify")
    t.check(s == 200 and v["intact"], "the audit chain and the cases agree after all of it: %s" % v)
finally:
    srv.stop()
    cleanup(data)
t.finish()
