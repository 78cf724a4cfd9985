#!/usr/bin/env python3
"""permissions.py BACKEND — the permission matrix of docs/security.md,
generated from the one table below: for every caller (role x team position,
and the callers outside the tree) x TLP level x route, what the server
answers is what the document says.

Routes read: the case list, search (q=), GET case, timeline, tasks,
escalations, links (from a CLEAR case every caller sees, and its link
events), the audit log; and one write, adding a note.
"""
import json
import sys

from harness import Result, Server, cleanup, fresh_database, init, request
from org import POSITIONS, ROLES, TLPS, Org

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
}
# Who may add a note to a case they see ("Y"); one they see but may not
# change gets 403, one they do not see 404.
WRITES = {
    ("own", "lead"): True, ("own", "member"): True, ("own", "viewer"): False,
    ("parent", "lead"): True, ("parent", "member"): True, ("parent", "viewer"): False,
    "participant": True, "admin": True,
}
AUDIT_READERS = ("admin", "auditor")

backend = sys.argv[1]
t = Result()
data, database = fresh_database(backend, "permissions")
admin = init(data, database)["token"]
srv = Server(data, database).start()
B = srv.base
org = Org(B, admin)


def call(method, path, body=None, token=admin):
    return request(B, method, path, body, token)


def callers():
    """(name, kind, token): kind keys SEES; roles per team position."""
    for pos in POSITIONS:
        for role in ROLES:
            yield "%s-%s" % (pos, role), pos, role
    for kind in ("participant", "teamless", "auditor", "partner", "stranger", "admin"):
        yield kind, kind, None


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
        elif kind in ("participant", "teamless"):
            tokens[name] = org.user(name)[1]
        elif kind in ("partner", "stranger"):
            oid = (partner_org if kind == "partner" else stranger_org)["id"]
            s, u, _ = call("POST", "/api/v1/users", {"username": kind, "password": "a long password 1",
                                                     "organisation": oid})
            s, tok, _ = call("POST", "/api/v1/tokens", {"name": "t", "user": u["id"]})
            tokens[name] = tok["token"]
            org.users[name] = (u["id"], tok["token"])
    hub = org.case("hub for links", "CLEAR", team="unrelated")
    cases = {}
    for tlp in TLPS:
        c = org.case("matrix %s case qz%dq" % (tlp, TLPS.index(tlp)), tlp, severity="critical")
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
    s, v, _ = call("GET", "/api/v1/audit/verify")
    t.check(s == 200 and v["intact"], "the audit chain and the cases agree after all of it")
finally:
    srv.stop()
    cleanup(data)
t.finish()
