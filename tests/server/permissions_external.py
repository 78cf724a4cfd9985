"""permissions_external.py — the permission matrix's rows for accounts of kind
external (a party's account, docs/security.md "External accounts"), called by
permissions.py on its organisation and matrix cases.

A lead invites a vendor with an account on the AMBER case; an administrator
links the same account to the vendor's party on the RED case; a third party
(no account) is on the CLEAR case. The account logs in with its password and
through the API sees both of its parties' portal views — its own thread,
the shared thread, the embargo in its zone, its statements — and nothing
else: every route of the server (`xsirt serve --routes`) outside its portal,
its session and its tokens is refused before the handler, 404 where the path
names an object (the case it is a party of included) and 403 otherwise; the
public routes answer it as anyone.
"""
import json
import re
import subprocess

from harness import XSIRT

PUBLIC = {("POST", "/api/v1/session"), ("POST", "/api/v1/intake"), ("GET", "/api/v1/openapi.json")}
# What an external account may call (router.c, xsirt_router_external).
EXTERNAL_OPEN = {"/api/v1/portal", "/api/v1/portal/{id}", "/api/v1/portal/{id}/messages",
                 "/api/v1/portal/{id}/statements", "/api/v1/session", "/api/v1/tokens",
                 "/api/v1/tokens/{id}"}


def check_external(t, call, B, org, cases, admin):
    lead = org.users["own-lead"][1]
    member = org.users["own-member"][1]
    amber, red, clear = cases["AMBER"], cases["RED"], cases["CLEAR"]
    vendor = {"role": "vendor", "name": "Chip Co PSIRT", "email": "PSIRT@chip.example",
              "time_zone": "Asia/Tokyo"}

    # -- who may give an account ------------------------------------------------
    s, b, _ = call("POST", "/api/v1/cases/%d/parties" % amber, dict(vendor, account=True), token=member)
    t.check(s == 403 and b["error"]["field"] == "account", "external: a member may not give an account (%d)" % s)
    s, b, _ = call("POST", "/api/v1/cases/%d/parties" % amber, dict(vendor, account={"username": "own-lead"}),
                   token=lead)
    t.check(s == 400 and b["error"]["field"] == "account", "external: an internal username is not a party's (%d)" % s)
    s, b, _ = call("POST", "/api/v1/cases/%d/parties" % amber, dict(vendor, account="yes"), token=lead)
    t.check(s == 400 and b["error"]["field"] == "account", "external: account is true or {username} (%d)" % s)
    s, p1, _ = call("POST", "/api/v1/cases/%d/parties" % amber, dict(vendor, account=True), token=lead)
    t.check(s == 201 and p1["account"]["username"] == "psirt.chip.example" and
            len(p1["account"]["password"] or "") >= 20 and p1["portal_url"],
            "external: a lead invites a vendor with an account (%d %s)" % (s, p1))
    uid, password = p1["account"]["id"], p1["account"]["password"]
    s, p2, _ = call("POST", "/api/v1/cases/%d/parties" % red,
                    dict(vendor, account={"username": "psirt.chip.example"}), token=admin)
    t.check(s == 201 and p2["account"] == {"id": uid, "username": "psirt.chip.example", "password": None},
            "external: the same account linked to a second case, no new password (%s)" % (p2,))
    s, p3, _ = call("POST", "/api/v1/cases/%d/parties" % clear, {"role": "vendor", "name": "Board Inc"},
                    token=admin)
    s, plist, _ = call("GET", "/api/v1/cases/%d/parties" % amber, token=lead)
    t.check([p["account"] for p in plist["items"] if p["id"] == p1["id"]] == [uid],
            "external: the team sees which party has an account")
    s, users, _ = call("GET", "/api/v1/users?limit=200", token=lead)
    t.check(s == 200 and uid not in {u["id"] for u in users["items"]},
            "external: parties' accounts are not among our people for a lead")
    s, b, _ = call("PUT", "/api/v1/teams/%d/members/%d" % (org.teams["own"], uid), {"role": "viewer"},
                   token=admin)
    t.check(s == 400 and b["error"]["field"] == "user", "external: a party's account joins no team (%d)" % s)
    s, u, _ = call("GET", "/api/v1/users/%d" % uid, token=admin)
    t.check(s == 200 and u["kind"] == "external" and u["role"] == "user", "external: kind external (%s)" % (u,))

    # -- logging in like anyone -------------------------------------------------
    s, sess, _ = call("POST", "/api/v1/session", {"username": "psirt.chip.example", "password": password},
                      token=None)
    t.check(s == 201 and sess["user"]["kind"] == "external" and not sess["user"]["admin"],
            "external: logs in with its password (%d %s)" % (s, sess))
    s, tok, _ = call("POST", "/api/v1/tokens", {"name": "ext", "user": uid})
    ext = tok["token"]
    s, own, _ = call("POST", "/api/v1/tokens", {"name": "mine"}, token=ext)
    t.check(s == 201, "external: makes a token of its own (%d)" % s)
    s, b, _ = call("GET", "/api/v1/session", token=ext)
    t.check(s == 200 and b["user"]["id"] == uid and b["user"]["kind"] == "external", "external: its session")

    # -- what it sees: both parties, nothing else --------------------------------
    call("POST", "/api/v1/cases/%d/notes" % amber, {"body": "INTERNAL: do not tell Chip"}, token=lead)
    call("POST", "/api/v1/cases/%d/messages" % amber, {"body": "to Chip privately", "party": p1["id"]}, token=lead)
    s, other, _ = call("POST", "/api/v1/cases/%d/parties" % amber, {"role": "supplier", "name": "Other Supplier"},
                       token=lead)
    call("POST", "/api/v1/cases/%d/messages" % amber, {"body": "to Other privately", "party": other["id"]},
         token=lead)
    call("POST", "/api/v1/cases/%d/messages" % amber, {"body": "to everyone"}, token=lead)
    call("PUT", "/api/v1/cases/%d/embargo" % amber, {"at": "2027-07-15T09:00:00+09:00", "zone": "Asia/Tokyo"},
         token=lead)
    call("POST", "/api/v1/cases/%d/statements" % amber, {"party": p1["id"], "vulnerabilities": ["CVE-2026-1111"]},
         token=lead)
    call("POST", "/api/v1/cases/%d/statements" % amber, {"party": other["id"], "vulnerabilities": ["CVE-2026-3333"]},
         token=lead)
    s, lst, _ = call("GET", "/api/v1/portal", token=ext)
    t.check(s == 200 and sorted(v["party"]["id"] for v in lst["items"]) == sorted([p1["id"], p2["id"]]),
            "external: its portal lists its two parties and no other (%d %s)" % (s, str(lst)[:300]))
    s, view, _ = call("GET", "/api/v1/portal/%d" % p1["id"], token=ext)
    text = json.dumps(view)
    t.check(s == 200 and [m["body"] for m in view["messages"]] == ["to Chip privately", "to everyone"],
            "external: its thread and the shared one (%s)" % [m["body"] for m in view.get("messages", [])])
    t.check("INTERNAL" not in text and "Other" not in text and "CVE-2026-3333" not in text,
            "external: no internal note, no other party's thread or question")
    t.check(view["embargo"]["local"] == "2027-07-15T09:00:00+09:00" and view["embargo"]["zone"] == "Asia/Tokyo",
            "external: the embargo in its zone (%s)" % view["embargo"])
    t.check([x["vulnerability"] for x in view["statements"]] == ["CVE-2026-1111"], "external: its questions only")
    for pid in (p3["id"], other["id"], 987654321):
        s, b, _ = call("GET", "/api/v1/portal/%d" % pid, token=ext)
        t.check(s == 404 and "Board" not in json.dumps(b) and "Other" not in json.dumps(b),
                "external: another party's view is 404 (%d)" % s)
        s, b, _ = call("POST", "/api/v1/portal/%d/messages" % pid, {"body": "hi"}, token=ext)
        t.check(s == 404, "external: no message on another party's thread (%d)" % s)
    s, m, _ = call("POST", "/api/v1/portal/%d/messages" % p1["id"], {"body": "Chip here: looking"}, token=ext)
    t.check(s == 201 and m["body"] == "Chip here: looking", "external: writes on its thread (%d)" % s)
    s, a, _ = call("POST", "/api/v1/portal/%d/statements" % p1["id"],
                   {"vulnerability": "CVE-2026-1111", "status": "affected", "statement": "fw 2.x"}, token=ext)
    t.check(s == 200 and a[0]["status"] == "affected", "external: answers its question (%d %s)" % (s, a))
    s, a, _ = call("POST", "/api/v1/portal/%d/statements" % p1["id"],
                   {"vulnerability": "CVE-2026-3333", "status": "fixed"}, token=ext)
    t.check(s == 400, "external: not another party's question (%d)" % s)
    s, msgs, _ = call("GET", "/api/v1/cases/%d/messages?limit=200" % amber, token=lead)
    mine = [x for x in msgs["items"] if x["body"] == "Chip here: looking"]
    t.check(len(mine) == 1 and mine[0]["party"] == p1["id"] and mine[0]["direction"] == "in" and
            mine[0]["author"] == uid, "external: the team reads it on Chip's thread, by the account")
    recs, after = [], None
    while True:
        s, page, _ = call("GET", "/api/v1/audit?limit=200" + ("&after=%d" % after if after else ""), token=admin)
        recs += page["items"]
        if page["next"] is None:
            break
        after = page["next"]
    t.check(any(r["actor"] == "psirt.chip.example" and r["action"] == "case_message.create" for r in recs) and
            any(r["actor"] == "psirt.chip.example" and r["action"] == "case_statement.answer" for r in recs),
            "external: its message and answer audited under its own name")
    s, b, _ = call("GET", "/api/v1/portal", token=lead)
    t.check(s == 200 and b["items"] == [], "external: an internal user has no portal parties")

    # -- every route: refused before the handler ---------------------------------
    routes = []
    out = subprocess.run([XSIRT, "serve", "--routes"], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        method, pattern = line.split()
        routes.append((method, pattern))
    checked = 0
    for method, pattern in routes:
        if pattern in EXTERNAL_OPEN or not pattern.startswith("/api/"):
            continue
        if (method, pattern) in PUBLIC:
            continue   # anyone's: logging in, reporting, the API's description
        if "{token}" in pattern:
            continue   # a portal link: public, the link is the key
        # ids of objects that exist and that the account is close to: the AMBER
        # case it is a party of, its own user id, the first of everything else
        path = pattern
        for v in (amber, uid):
            path = path.replace("{id}", str(v), 1)
        body = {} if method in ("POST", "PUT", "PATCH") else None
        s, b, _ = call(method, path, body, token=ext, headers={"If-Match": '"1"'} if method == "PATCH" else None)
        want = 404 if "{id}" in pattern else 403
        t.check(s == want and isinstance(b, dict) and b.get("error", {}).get("code") in ("not_found", "forbidden"),
                "external: %s %s -> %d (want %d)" % (method, pattern, s, want))
        t.check("matrix" not in json.dumps(b), "external: %s %s says nothing of the case" % (method, pattern))
        checked += 1
    t.check(checked >= 60, "external: every route outside its portal checked (%d)" % checked)
    # the public routes answer it as anyone: the provider directory does not
    # count it as an authenticated reader
    s, b, _ = call("GET", "/.well-known/csaf/provider-metadata.json", token=ext)
    t.check(s == 200, "external: the provider metadata like anyone (%d)" % s)
    s, b, _ = call("GET", "/api/v1/tokens", token=ext)
    t.check(s == 200 and {x["user"] for x in b["items"]} == {uid}, "external: only its own tokens")
    s, b, _ = call("DELETE", "/api/v1/tokens/%d" % own["id"], token=ext)
    t.check(s in (200, 204), "external: revokes its own token (%d)" % s)
    # a disabled or unknown party id never says which
    s, b, _ = call("GET", "/api/v1/portal/abc", token=ext)
    t.check(s in (401, 404), "external: a malformed party id (%d)" % s)
    return checked
