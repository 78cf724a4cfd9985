#!/usr/bin/env python3
"""api.py BACKEND — the HTTP API end to end on a real server: authentication
(tokens, sessions with CSRF), teams and members, cases with ETag/If-Match,
transitions, notes, tasks, TLP visibility through the API, bad input that
must get 4xx JSON errors (never 5xx), /healthz, /metrics and audit.
"""
import sys

from harness import Result, Server, cleanup, fresh_database, init, request

backend = sys.argv[1]
t = Result()
data, database = fresh_database(backend, "api")
admin = init(data, database)["token"]
srv = Server(data, database).start()
B = srv.base


def call(method, path, body=None, token=admin, **kw):
    return request(B, method, path, body, token, **kw)


try:
    # -- authentication ------------------------------------------------------
    s, b, _ = call("GET", "/api/v1/cases", token=None)
    t.check(s == 401 and b["error"]["code"] == "unauthenticated", "no token -> 401")
    s, b, _ = call("GET", "/api/v1/cases", token="xst_forged")
    t.check(s == 401, "forged token -> 401")
    s, b, _ = call("GET", "/api/v1/nonexistent", token=None)
    t.check(s == 401, "unknown path without token -> 401, not a route probe")
    s, b, _ = call("GET", "/healthz", token=None)
    t.check(s == 200 and b["status"] == "ok", "healthz")

    # -- teams, users, members ------------------------------------------------
    s, psirt, _ = call("POST", "/api/v1/teams", {"name": "Corporate PSIRT", "kind": "PSIRT"})
    t.check(s == 201 and psirt["kind"] == "PSIRT" and psirt["parent"] is None, "create team")
    s, site, _ = call("POST", "/api/v1/teams", {"name": "Site PSIRT", "kind": "PSIRT",
                                                "parent": psirt["id"]})
    t.check(s == 201 and site["parent"] == psirt["id"], "nested team")
    s, soc, _ = call("POST", "/api/v1/teams", {"name": "SOC", "kind": "SOC"})
    users = {}
    for name in ("alice", "bob", "carol"):
        s, u, _ = call("POST", "/api/v1/users", {"username": name, "password": "a long password 1"})
        t.check(s == 201 and u["username"] == name, "create user " + name)
        s, tok, _ = call("POST", "/api/v1/tokens", {"name": "e2e", "user": u["id"]})
        t.check(s == 201 and tok["token"].startswith("xst_"), "token for " + name)
        users[name] = (u["id"], tok["token"])
    s, _, _ = call("PUT", "/api/v1/teams/%d/members/%d" % (psirt["id"], users["alice"][0]),
                   {"role": "member"})
    t.check(s == 200, "alice joins PSIRT")
    s, _, _ = call("PUT", "/api/v1/teams/%d/members/%d" % (soc["id"], users["bob"][0]),
                   {"role": "member"})
    s, b, _ = call("POST", "/api/v1/users", {"username": "dup", "password": "short"})
    t.check(s == 400 and b["error"]["field"] == "password", "weak password refused")
    s, b, _ = call("POST", "/api/v1/users", {"username": "x"}, token=users["alice"][1])
    t.check(s == 403, "only admins create users")

    # -- cases ----------------------------------------------------------------
    alice = users["alice"][1]
    s, c, h = call("POST", "/api/v1/cases", {"title": "Stack overflow in parser", "kind": "vulnerability",
                                             "team": psirt["id"], "severity": "high", "tlp": "AMBER",
                                             "labels": ["parser"],
                                             "references": [{"kind": "cve", "value": "CVE-2026-0001"}]},
                   token=alice)
    t.check(s == 201 and c["state"] == "discovery" and c["team"] == psirt["id"], "create case")
    t.check(h.get("ETag") == '"1"' and h.get("Location") == "/api/v1/cases/%d" % c["id"], "ETag/Location")
    for key in ("id", "title", "description", "kind", "team", "state", "severity", "tlp", "assignee",
                "labels", "due", "embargo"):
        t.check(key in c, "case has " + key)
    cid = c["id"]
    s, c2, h = call("GET", "/api/v1/cases/%d" % cid, token=alice)
    t.check(s == 200 and c2["labels"] == ["parser"] and h["ETag"] == '"1"', "get case")
    s, b, _ = call("PATCH", "/api/v1/cases/%d" % cid, {"title": "x"}, token=alice)
    t.check(s == 428, "PATCH without If-Match -> 428")
    s, c3, h = call("PATCH", "/api/v1/cases/%d" % cid, {"severity": "critical"}, token=alice,
                    headers={"If-Match": '"1"'})
    t.check(s == 200 and c3["revision"] == 2 and h["ETag"] == '"2"', "PATCH with If-Match")
    s, b, _ = call("PATCH", "/api/v1/cases/%d" % cid, {"title": "lost update"}, token=alice,
                   headers={"If-Match": '"1"'})
    t.check(s == 412 and b["error"]["code"] == "stale", "stale If-Match -> 412")
    s, b, _ = call("POST", "/api/v1/cases/%d/transitions" % cid, {"to": "closed"}, token=alice)
    t.check(s == 400 and b["error"]["field"] == "state", "invalid transition -> 400")
    s, b, _ = call("POST", "/api/v1/cases/%d/transitions" % cid, {"to": "triage"}, token=alice)
    t.check(s == 200 and b["state"] == "triage", "transition to triage")
    s, b, _ = call("POST", "/api/v1/cases/%d/transitions" % cid, {"to": "rejected"}, token=alice)
    t.check(s == 400 and b["error"]["field"] == "resolution", "rejected requires resolution")
    s, b, _ = call("POST", "/api/v1/cases/%d/notes" % cid, {"body": "Reproduced on 2.4.0"}, token=alice)
    t.check(s == 201, "add note")
    s, b, _ = call("POST", "/api/v1/cases/%d/tasks" % cid, {"title": "Write fix", "due": "2027-01-10"},
                   token=alice)
    t.check(s == 201 and b["title"] == "Write fix" and b["done"] is False, "add task")
    created = b
    s, b, _ = call("GET", "/api/v1/cases/%d/tasks" % cid, token=alice)
    t.check(s == 200 and b["items"] == [created], "a task listed as it was created (done a boolean)")
    s, b, _ = call("GET", "/api/v1/cases/%d/timeline" % cid, token=alice)
    kinds = [e["kind"] for e in b["items"]]
    t.check(kinds[:1] == ["created"] and "note" in kinds and "transition" in kinds, "timeline")
    s, b, _ = call("GET", "/api/v1/cases/%d/escalations" % cid, token=alice)
    t.check(s == 200 and [e["target"] for e in b["items"]] == ["ciso"], "critical -> CISO escalation")

    # -- escalation rules: changed by admins with If-Match, kept once they fired -----
    rule = b["items"][0]["rule"]
    s, r, h = call("GET", "/api/v1/escalation-rules/%d" % rule)
    t.check(s == 200 and r["target"] == "ciso" and r["enabled"] is True and h.get("ETag") == '"%d"' % r["revision"],
            "an escalation rule with its revision as ETag (%d %r)" % (s, r))
    s, b, _ = call("DELETE", "/api/v1/escalation-rules/%d" % rule)
    t.check(s == 409 and "disable" in b["error"]["message"], "a rule that fired is not deleted (%d)" % s)
    s, b, _ = call("PATCH", "/api/v1/escalation-rules/%d" % rule, {"enabled": False})
    t.check(s == 428, "PATCH of a rule without If-Match -> 428 (%d)" % s)
    s, b, _ = call("PATCH", "/api/v1/escalation-rules/%d" % rule, {"enabled": False}, token=alice,
                   headers={"If-Match": h["ETag"]})
    t.check(s == 403, "only admins change escalation rules (%d)" % s)
    s, b, _ = call("PATCH", "/api/v1/escalation-rules/%d" % rule, {"target_kind": "role", "target": "nobody"},
                   headers={"If-Match": h["ETag"]})
    t.check(s == 400 and b["error"]["field"] == "target", "the changed rule is checked whole (%d %r)" % (s, b))
    s, r2, h2 = call("PATCH", "/api/v1/escalation-rules/%d" % rule, {"enabled": False},
                     headers={"If-Match": h["ETag"]})
    t.check(s == 200 and r2["enabled"] is False and r2["revision"] == r["revision"] + 1 and
            r2["condition"] == r["condition"], "disabled; the rest kept (%d %r)" % (s, r2))
    s, b, _ = call("PATCH", "/api/v1/escalation-rules/%d" % rule, {"enabled": True},
                   headers={"If-Match": h["ETag"]})
    t.check(s == 412, "a stale If-Match -> 412 (%d)" % s)
    s, quiet, _ = call("POST", "/api/v1/cases", {"title": "critical again", "kind": "incident",
                                                 "team": psirt["id"], "severity": "critical"}, token=alice)
    s, b, _ = call("GET", "/api/v1/cases/%d/escalations" % quiet["id"], token=alice)
    t.check(s == 200 and b["items"] == [], "a disabled rule escalates nothing (%r)" % b)
    s, b, _ = call("GET", "/api/v1/cases/%d/escalations" % cid, token=alice)
    t.check(s == 200 and [e["target"] for e in b["items"]] == ["ciso"], "the history stays")
    s, tmp, _ = call("POST", "/api/v1/escalation-rules", {"name": "never fired", "condition": {"tlp": ["RED"]},
                                                          "target_kind": "role", "target": "admin"})
    t.check(s == 201 and tmp["revision"] == 1, "a new rule (%d %r)" % (s, tmp))
    s, b, _ = call("DELETE", "/api/v1/escalation-rules/%d" % tmp["id"])
    t.check(s == 200, "a rule that never fired is deleted (%d)" % s)
    s, b, _ = call("GET", "/api/v1/escalation-rules/%d" % tmp["id"])
    t.check(s == 404, "gone (%d)" % s)
    s, b, _ = call("GET", "/api/v1/audit?object_type=escalation_rule")
    acts = [a.get("action") for a in b.get("items", [])]
    t.check(s == 200 and "escalation_rule.update" in acts and "escalation_rule.delete" in acts,
            "changes are audited (%r)" % acts)

    s, b, _ = call("POST", "/api/v1/cases", {"title": "scored", "kind": "vulnerability", "team": psirt["id"],
                                             "cvss": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}, token=alice)
    t.check(s == 201 and b["severity"] == "critical" and abs(b["score"] - 9.8) < 1e-9, "CVSS scored into severity")
    s, b, _ = call("POST", "/api/v1/cases", {"title": "bad", "kind": "vulnerability", "team": psirt["id"],
                                             "cvss": "CVSS:3.1/AV:N"}, token=alice)
    t.check(s == 400 and b["error"]["field"] == "cvss", "invalid CVSS vector -> 400 naming cvss")

    # -- TLP through the API: bob (SOC) must not learn the case exists -------
    bob = users["bob"][1]
    s, b, _ = call("GET", "/api/v1/cases/%d" % cid, token=bob)
    t.check(s == 404, "AMBER case hidden from another team: 404")
    s, b, _ = call("GET", "/api/v1/cases/%d/timeline" % cid, token=bob)
    t.check(s == 404, "its timeline too")
    s, b, _ = call("PATCH", "/api/v1/cases/%d" % cid, {"title": "x"}, token=bob, headers={"If-Match": '"9"'})
    t.check(s == 404, "and writes")
    s, b, _ = call("GET", "/api/v1/cases?q=parser", token=bob)
    t.check(s == 200 and b["items"] == [], "search does not leak")
    s, b, _ = call("POST", "/api/v1/cases/%d/participants" % cid, {"role": "internal", "team": soc["id"]},
                   token=alice)
    t.check(s == 201, "add SOC as participant")
    s, b, _ = call("GET", "/api/v1/cases/%d" % cid, token=bob)
    t.check(s == 200, "participating team sees AMBER case")
    s, b, _ = call("GET", "/api/v1/cases?severity=critical&label=parser", token=alice)
    t.check(s == 200 and [x["id"] for x in b["items"]] == [cid], "filters")

    # -- bad input: always 4xx with a JSON error body, never 5xx -------------
    def bad(method, path, expect, what, **kw):
        s, b, _ = call(method, path, **kw)
        ok = s == expect and isinstance(b, dict) and "error" in b and {"code", "message"} <= set(b["error"])
        t.check(ok, "%s -> %d (got %d %s)" % (what, expect, s, str(b)[:120]))
        return b

    bad("POST", "/api/v1/cases", 400, "malformed JSON", raw=b'{"title": ')
    bad("POST", "/api/v1/cases", 400, "array body", raw=b'[1,2]')
    bad("POST", "/api/v1/cases", 400, "invalid UTF-8", raw=b'{"title": "\xff\xfe"}')
    b = bad("POST", "/api/v1/cases", 400, "wrong type",
            body={"title": 5, "kind": "incident", "team": psirt["id"]})
    t.check(b["error"].get("field") == "title", "wrong type names the field")
    b = bad("POST", "/api/v1/cases", 400, "unknown field",
            body={"title": "t", "kind": "incident", "team": psirt["id"], "colour": "red"})
    t.check(b["error"].get("field") == "colour", "unknown field named")
    bad("POST", "/api/v1/cases", 413, "oversize body", raw=b'{"title":"' + b"a" * (2 << 20) + b'"}')
    bad("POST", "/api/v1/cases", 400, "duplicate keys", raw=b'{"title":"a","title":"b"}')
    bad("GET", "/api/v1/cases/99999999", 404, "missing case")
    bad("GET", "/api/v1/cases/abc", 404, "non-numeric id")
    bad("GET", "/api/v1/cases/0", 404, "zero id")
    bad("GET", "/api/v1/cases/99999999999999999999999", 404, "overflowing id")
    bad("DELETE", "/api/v1/cases", 405, "wrong method")
    bad("GET", "/api/v1/cases?limit=0", 400, "bad limit")
    bad("GET", "/api/v1/cases?team=-1", 400, "bad team filter")
    bad("GET", "/api/v1/cases?q=%FF", 400, "invalid UTF-8 query")
    bad("POST", "/api/v1/cases", 400, "empty body", raw=b"")
    bad("PATCH", "/api/v1/cases/%d" % cid, 400, "bad If-Match", body={"title": "x"},
        headers={"If-Match": "nonsense"})

    # -- sessions and CSRF ---------------------------------------------------
    s, b, h = request(B, "POST", "/api/v1/session", {"username": "alice", "password": "a long password 1"})
    cookie = (h.get("Set-Cookie") or "").split(";")[0]
    t.check(s == 201 and cookie.startswith("xsirt_session=") and "HttpOnly" in h.get("Set-Cookie", "")
            and "SameSite=Strict" in h.get("Set-Cookie", ""), "login sets HttpOnly SameSite cookie")
    csrf = b.get("csrf") if isinstance(b, dict) else None
    s, b, _ = request(B, "POST", "/api/v1/session", {"username": "alice", "password": "wrong password!!"})
    t.check(s == 401, "wrong password -> 401")
    case = {"title": "via browser", "kind": "incident", "team": psirt["id"]}
    s, b, _ = request(B, "GET", "/api/v1/session", headers={"Cookie": cookie})
    t.check(s == 200 and b["user"]["username"] == "alice", "session GET works without CSRF")
    s, b, _ = request(B, "POST", "/api/v1/cases", case, headers={"Cookie": cookie})
    t.check(s == 401, "session change without CSRF token -> 401")
    s, b, _ = request(B, "POST", "/api/v1/cases", case, headers={"Cookie": cookie, "X-CSRF-Token": "x" * 43})
    t.check(s == 401, "wrong CSRF token -> 401")
    s, b, _ = request(B, "POST", "/api/v1/cases", case, headers={"Cookie": cookie, "X-CSRF-Token": csrf})
    t.check(s == 201 and b["state"] == "reported", "session change with CSRF token")
    s, b, _ = request(B, "DELETE", "/api/v1/session", headers={"Cookie": cookie, "X-CSRF-Token": csrf})
    s, b, _ = request(B, "GET", "/api/v1/session", headers={"Cookie": cookie})
    t.check(s == 401, "logged out session is dead")

    # -- tokens: revoke ------------------------------------------------------
    s, tok, _ = call("POST", "/api/v1/tokens", {"name": "short-lived"}, token=users["carol"][1])
    s, b, _ = call("DELETE", "/api/v1/tokens/%d" % tok["id"], token=users["carol"][1])
    t.check(s == 200, "revoke own token")
    s, b, _ = call("GET", "/api/v1/cases", token=tok["token"])
    t.check(s == 401, "revoked token -> 401")

    # -- workflows, metrics, audit ------------------------------------------
    s, b, _ = call("GET", "/api/v1/workflows")
    names = sorted(w["name"] for w in b["items"])
    t.check(names == ["incident", "psirt"], "default workflows")
    s, b, _ = call("GET", "/metrics", token=None)
    t.check(s == 200 and "xsirt_http_requests_total{code=\"4xx\"}" in b, "metrics")
    t.check("xsirt_http_requests_total{code=\"5xx\"} 0" in b, "no 5xx answered in this whole run")
    s, b, _ = call("GET", "/api/v1/audit/verify")
    t.check(s == 200 and b["intact"] and b["records"] > 20, "audit chain intact")
    s, b, _ = call("GET", "/api/v1/audit", token=alice)
    t.check(s == 403, "audit log is for admins and auditors")
finally:
    srv.stop()
    cleanup(data)
t.finish()
