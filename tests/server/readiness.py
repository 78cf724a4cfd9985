#!/usr/bin/env python3
"""readiness.py BACKEND — the readiness self-assessment's kinds of answer
and the contact groups, end to end on a real server.

Answers one question of each kind (one choice, several, a number, a month,
words) and reads them back typed, with the seed's distribution (the bin a
number or a month falls in and the share of surveyed teams below it); a bad
answer of each kind is a 400 naming the question's field; xsirt fills in
the team's members (3.3) and the fields its kind covers (2.7.1). Contact
groups: a team member creates one with people from management, PR and
legal, the self-assessment then sees them (4.6) and the recorded review
(6.3); a user of another team gets 404 on every route, a viewer reads but
does not change, each change leaves an audit record.
"""
import sys

from harness import Result, Server, cleanup, fresh_database, init, new_user, request

backend = sys.argv[1]
t = Result()
data, database = fresh_database(backend, "readiness")
admin = init(data, database)["token"]
srv = Server(data, database).start()
B = srv.base


def call(method, path, body=None, token=admin):
    return request(B, method, path, body, token)


def user(name):
    return new_user(B, admin, name)


try:
    s, csirt, _ = call("POST", "/api/v1/teams", {"name": "本社CSIRT", "kind": "CSIRT"})
    s, other, _ = call("POST", "/api/v1/teams", {"name": "Other PSIRT", "kind": "PSIRT"})
    alice, alice_tok = user("alice")   # member of the CSIRT
    carol, carol_tok = user("carol")   # viewer of the CSIRT
    bob, bob_tok = user("bob")         # member of the other team
    call("PUT", "/api/v1/teams/%d/members/%d" % (csirt["id"], alice), {"role": "member"})
    call("PUT", "/api/v1/teams/%d/members/%d" % (csirt["id"], carol), {"role": "viewer"})
    call("PUT", "/api/v1/teams/%d/members/%d" % (other["id"], bob), {"role": "member"})
    T = csirt["id"]

    # -- kinds of answer -----------------------------------------------------
    s, r, _ = call("GET", "/api/v1/readiness?team=%d&language=en" % T, token=alice_tok)
    qs = {q["id"]: q for q in r.get("questions", [])}
    t.check(s == 200 and {"single", "multi", "number", "month", "text"} == {q["kind"] for q in qs.values()},
            "every kind of question is asked")
    t.check({"1.1", "1.6", "2.9.1", "2.9.w", "2.14.1", "3.3", "3.6"} <= set(qs), "the questions added from the seed")
    t.check(qs.get("3.3", {}).get("suggested", {}).get("answer") == 2, "members from the team: %r"
            % qs.get("3.3", {}).get("suggested"))
    t.check(qs.get("2.7.1", {}).get("suggested", {}).get("answer") == ["a"], "a CSIRT covers its own infrastructure")
    t.check(qs.get("2.3", {}).get("suggested", {}).get("answer") == ["a"], "a CSIRT serves the organisation's users")
    t.check(qs.get("5.1", {}).get("suggested") is None and qs.get("2.14", {}).get("suggested") is None,
            "no assets, no SOC: nothing suggested")
    call("POST", "/api/v1/teams", {"name": "SOC", "kind": "SOC"})
    call("POST", "/api/v1/assets", {"name": "会計システム", "kind": "system", "team": T, "criticality": "high"})
    s, r, _ = call("GET", "/api/v1/readiness?team=%d&language=en" % T, token=alice_tok)
    qs = {q["id"]: q for q in r.get("questions", [])}
    t.check((qs.get("5.1", {}).get("suggested") or {}).get("answer") == "a", "an asset in xsirt: assets managed")
    t.check((qs.get("2.14", {}).get("suggested") or {}).get("answer") == "a", "a SOC team: monitoring by a SOC")
    t.check(qs.get("4.6", {}).get("suggested", {}).get("answer") == "e", "no contact list yet: %r"
            % qs.get("4.6", {}).get("suggested"))
    t.check([o["count"] for o in qs.get("1.1", {}).get("options", [])] == [23, 3, 0, 0, 5, 0, 6, 26, 2, 8],
            "peers' counts for 1.1 (several answers)")
    answers = {"2.10": "a", "1.1": ["a", "h"], "3.3": 7, "1.5": "2014-05", "2.9.w": "脆弱性診断（内製）",
               "2.4": ["e"]}
    s, r, _ = call("POST", "/api/v1/readiness", {"team": T, "answers": answers, "language": "ja"}, token=alice_tok)
    qs = {q["id"]: q for q in r.get("questions", [])}
    t.check(s == 201 and all(qs.get(k, {}).get("answer") == v for k, v in answers.items()),
            "each kind answered and returned as given")
    t.check(qs.get("3.3", {}).get("bin") == "5to9" and qs["3.3"].get("peers_below") == 9.0,
            "7 members: bin 5-9, 6 of 66 teams below (%r)" % (qs.get("3.3"),))
    t.check(qs.get("1.5", {}).get("bin") == "2014h1" and qs["1.5"].get("peers_below") == 51.5,
            "set-up started May 2014: 34 of 66 teams started earlier")
    t.check(qs.get("2.9.w", {}).get("seed_answers") == [{"text": "脆弱性診断(主に内製)", "count": 1}],
            "the seed's described answer")
    t.check(r.get("score") == 100, "only scored choices count: 2.10 yes -> 100 (%r)" % r.get("score"))
    s, r, _ = call("GET", "/api/v1/readiness?team=%d" % T, token=carol_tok)
    qs = {q["id"]: q for q in r.get("questions", [])}
    t.check(s == 200 and qs.get("1.1", {}).get("answer") == ["a", "h"] and qs.get("3.3", {}).get("answer") == 7,
            "read back typed")
    bad = [("1.1", "a", "several choices not an array"), ("1.1", ["a", "z"], "unknown choice"),
           ("1.1", ["a", "a"], "a choice twice"), ("2.4", ["e", "a"], "never contacted, and contacted"),
           ("2.14.1", "d", "a row of the seed's table that is no choice"), ("3.3", -1, "negative number"),
           ("3.3", 100001, "number too large"), ("3.3", "7", "number as a string"), ("1.5", "2014-13", "month 13"),
           ("1.5", "2014-5", "month without its zero"), ("2.9.w", "", "empty description"),
           ("2.9.w", "x" * 4001, "description too long"), ("9.9", "a", "no such question")]
    for qid, v, what in bad:
        s, b, _ = call("POST", "/api/v1/readiness", {"team": T, "answers": {qid: v}}, token=alice_tok)
        t.check(s == 400 and b.get("error", {}).get("field") == "answers/" + qid,
                "%s -> 400 at answers/%s (%s %r)" % (what, qid, s, b))
    s, r, _ = call("GET", "/api/v1/readiness?team=%d" % T, token=alice_tok)
    t.check(len(r.get("history", [])) == 1, "bad answers recorded nothing")

    # -- contact groups ------------------------------------------------------
    G = "/api/v1/teams/%d/contact-groups" % T
    s, g, _ = call("POST", G, {"name": "本社 緊急連絡網", "members": [
        {"name": "山田 社長", "role": "CEO", "organisation": "management", "email": "ceo@example.jp",
         "phone": "+81 3-1234-5678"}]}, token=alice_tok)
    t.check(s == 201 and g.get("team") == T and len(g.get("members", [])) == 1 and g.get("reviewed_at") is None,
            "a member creates the team's group with a person")
    gid = g.get("id", 0)
    for person in ({"name": "広報 佐藤", "organisation": "pr", "email": "pr@example.jp"},
                   {"name": "Legal Tanaka", "organisation": "legal", "phone": "03 1111 2222"}):
        s, g, _ = call("POST", "/api/v1/contact-groups/%d/members" % gid, person, token=alice_tok)
        t.check(s == 201, "add " + person["name"])
    mid = g.get("members", [{}])[-1].get("id", 0)
    s, g, _ = call("PATCH", "/api/v1/contact-groups/%d/members/%d" % (gid, mid), {"role": "法務部長", "phone": None},
                   token=alice_tok)
    m = [x for x in g.get("members", []) if x["id"] == mid]
    t.check(s == 200 and m and m[0]["role"] == "法務部長" and m[0]["phone"] is None, "change a person")
    for body, field in (({"name": "x", "email": "not-an-address"}, "email"), ({"name": "x", "organisation": "ceo"},
                        "organisation"), ({"name": "x", "phone": "call me"}, "phone"), ({"email": "a@b"}, "name")):
        s, b, _ = call("POST", "/api/v1/contact-groups/%d/members" % gid, body, token=alice_tok)
        t.check(s == 400 and b.get("error", {}).get("field") == field, "bad person -> 400 at %s (%r)" % (field, b))
    s, b, _ = call("POST", G, {"name": "本社 緊急連絡網"}, token=alice_tok)
    t.check(s == 409, "names are unique (escalation rules name their group)")
    s, b, _ = call("POST", G, {"name": "management"}, token=alice_tok)
    t.check(s == 409, "the organisation's groups keep their names")
    s, r, _ = call("GET", "/api/v1/readiness?team=%d" % T, token=alice_tok)
    pr_before = {q["id"]: q for q in r.get("questions", [])}.get("4.2", {}).get("suggested") or {}
    s, b, _ = call("POST", "/api/v1/escalation-rules", {"name": "critical to the crisis list", "team": T,
                                                         "condition": {"severity": ["critical"]},
                                                         "target_kind": "group", "target": "本社 緊急連絡網"})
    t.check(s == 201, "an escalation rule to the team's group (%s %r)" % (s, b))
    s, r, _ = call("GET", "/api/v1/readiness?team=%d" % T, token=alice_tok)
    pr_after = {q["id"]: q for q in r.get("questions", [])}.get("4.2", {}).get("suggested") or {}
    t.check(pr_before.get("answer") == "e" and pr_after.get("answer") == "c",
            "escalation to PR: a rule to a group with someone from PR in it (%r -> %r)" % (pr_before, pr_after))
    s, g, _ = call("PATCH", "/api/v1/contact-groups/%d" % gid, {"reviewed": True}, token=alice_tok)
    t.check(s == 200 and g.get("reviewed_at"), "the review is recorded")
    s, r, _ = call("GET", "/api/v1/readiness?team=%d" % T, token=alice_tok)
    qs = {q["id"]: q for q in r.get("questions", [])}
    sug = qs.get("4.6", {}).get("suggested") or {}
    t.check(sug.get("answer") == "c" and "management 1, PR 1, legal 1" in sug.get("evidence", ""),
            "4.6 filled in from the contact groups: %r" % sug)
    sug = qs.get("6.3", {}).get("suggested") or {}
    t.check(sug.get("answer") == "d" and g.get("reviewed_at", "?") in sug.get("evidence", ""),
            "6.3 sees the review: %r" % sug)

    # -- who sees and changes them -------------------------------------------
    s, lst, _ = call("GET", G, token=carol_tok)
    t.check(s == 200 and [x["id"] for x in lst.get("items", [])] == [gid], "a viewer lists the team's groups")
    s, b, _ = call("PATCH", "/api/v1/contact-groups/%d" % gid, {"name": "x"}, token=carol_tok)
    t.check(s == 403, "a viewer does not change them")
    for method, path, body in (("GET", G, None), ("POST", G, {"name": "bob's"}),
                               ("GET", "/api/v1/contact-groups/%d" % gid, None),
                               ("PATCH", "/api/v1/contact-groups/%d" % gid, {"reviewed": True}),
                               ("DELETE", "/api/v1/contact-groups/%d" % gid, None),
                               ("POST", "/api/v1/contact-groups/%d/members" % gid, {"name": "x"}),
                               ("DELETE", "/api/v1/contact-groups/%d/members/%d" % (gid, mid), None)):
        s, b, _ = call(method, path, body, token=bob_tok)
        t.check(s == 404 and "error" in b, "another team's user: %s %s -> 404 (%s)" % (method, path, s))
    s, b, _ = call("GET", "/api/v1/contact-groups/%d" % gid, token=alice_tok)
    t.check(s == 200 and len(b.get("members", [])) == 3, "nothing changed by the others")
    s, b, _ = call("DELETE", "/api/v1/contact-groups/%d/members/%d" % (gid, mid), token=alice_tok)
    t.check(s == 200 and len(b.get("members", [])) == 2, "remove a person")
    s, b, _ = call("DELETE", "/api/v1/contact-groups/%d" % gid, token=alice_tok)
    t.check(s == 409, "an escalation rule's group is not deleted (%s %r)" % (s, b))
    s, g, _ = call("PATCH", "/api/v1/contact-groups/%d" % gid, {"name": "Crisis list"}, token=alice_tok)
    s2, rules, _ = call("GET", "/api/v1/escalation-rules")
    t.check(s == 200 and [x["target"] for x in rules.get("items", []) if x["name"] == "critical to the crisis list"]
            == ["Crisis list"], "a new name carries the escalation rule along")
    s, b, _ = call("DELETE", "/api/v1/contact-groups/%d" % gid, token=alice_tok)
    t.check(s == 409, "still the rule's group")
    s, spare, _ = call("POST", G, {"name": "spare"}, token=alice_tok)
    s, b, _ = call("DELETE", "/api/v1/contact-groups/%d" % spare.get("id", 0), token=alice_tok)
    s2, _, _ = call("GET", "/api/v1/contact-groups/%d" % spare.get("id", 0), token=alice_tok)
    t.check(s == 200 and s2 == 404, "delete a group no rule sends to")
    s, audit, _ = call("GET", "/api/v1/audit?limit=200")
    acts = [a["action"] for a in audit.get("items", []) if a.get("object_type") == "contact_group"]
    t.check(acts == ["contact_group.create", "contact_group.member.add", "contact_group.member.add",
                     "contact_group.member.update", "contact_group.review", "contact_group.member.remove",
                     "contact_group.update", "contact_group.create", "contact_group.delete"],
            "every change audited: %r" % acts)
finally:
    srv.stop()
    cleanup(data)
t.finish()
