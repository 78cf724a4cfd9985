#!/usr/bin/env python3
"""profile.py BACKEND — each user's language and time zone (GET/PATCH
/api/v1/me) on a real server: null until chosen; a change is the user's
own (another user's profile stays as it was) and audited; a bad language,
a name that is no IANA zone, an unknown field are 400 naming the field;
null clears a choice; the chosen language speaks where a request does not
say: a report without language=, a new notification rule without language.
"""
import datetime
import sys

from harness import Result, Server, cleanup, fresh_database, init, new_user, request

backend = sys.argv[1]
t = Result()
data, database = fresh_database(backend, "profile")
admin = init(data, database)["token"]
srv = Server(data, database).start()
B = srv.base
today = datetime.datetime.now(datetime.timezone.utc).date()
quarter = "%d-Q%d" % (today.year, (today.month - 1) // 3 + 1)


def call(method, path, body=None, token=admin):
    return request(B, method, path, body, token)


def user(name):
    return new_user(B, admin, name)


try:
    s, team, _ = call("POST", "/api/v1/teams", {"name": "本社CSIRT", "kind": "CSIRT"})
    aki, aki_tok = user("aki")
    ben, ben_tok = user("ben")
    call("PUT", "/api/v1/teams/%d/members/%d" % (team["id"], aki), {"role": "lead"})

    s, me, _ = call("GET", "/api/v1/me", token=aki_tok)
    t.check(s == 200 and me["id"] == aki and me["username"] == "aki" and me["language"] is None
            and me["timezone"] is None, "a new user's profile: no language, no zone yet: %r" % (me,))
    s, me, _ = call("PATCH", "/api/v1/me", {"language": "ja", "timezone": "Asia/Tokyo"}, token=aki_tok)
    t.check(s == 200 and me["language"] == "ja" and me["timezone"] == "Asia/Tokyo",
            "aki chooses Japanese and Asia/Tokyo: %r" % (me,))
    s, me, _ = call("GET", "/api/v1/me", token=aki_tok)
    t.check(me["language"] == "ja" and me["timezone"] == "Asia/Tokyo", "the choice is stored")
    s, other, _ = call("GET", "/api/v1/me", token=ben_tok)
    t.check(s == 200 and other["username"] == "ben" and other["language"] is None,
            "ben's profile is his own, unchanged: %r" % (other,))
    s, me, _ = call("PATCH", "/api/v1/me", {"timezone": "America/Argentina/Buenos_Aires"}, token=ben_tok)
    t.check(s == 200 and me["timezone"] == "America/Argentina/Buenos_Aires" and me["language"] is None,
            "a three-part zone name; the language is left as it was")

    for bad, field in (({"language": "fr"}, "language"), ({"language": 1}, "language"),
                       ({"timezone": "../../etc/passwd"}, "timezone"), ({"timezone": "Japan"}, "timezone"),
                       ({"timezone": "Asia/To kyo"}, "timezone"), ({"timezone": ""}, "timezone"),
                       ({"timezone": "A/" + "b" * 40}, "timezone"), ({"username": "root"}, "username")):
        s, b, _ = call("PATCH", "/api/v1/me", bad, token=aki_tok)
        t.check(s == 400 and b["error"]["field"] == field, "bad profile %r -> 400 %s: %r" % (bad, field, b))
    s, me, _ = call("GET", "/api/v1/me", token=aki_tok)
    t.check(me["language"] == "ja" and me["timezone"] == "Asia/Tokyo", "refused changes changed nothing")

    # The profile language where a request does not name one.
    s, html, _ = call("GET", "/api/v1/report?team=%d&period=%s&format=html" % (team["id"], quarter), token=aki_tok)
    t.check(s == 200 and '<html lang="ja">' in html, "aki's report without language= is in Japanese")
    s, html, _ = call("GET", "/api/v1/report?team=%d&period=%s&format=html&language=en" % (team["id"], quarter), token=aki_tok)
    t.check(s == 200 and '<html lang="en">' in html, "language=en still wins over the profile")
    s, rule, _ = call("POST", "/api/v1/notification-rules",
                      {"team": team["id"], "channel": "email", "target": "csirt@example.com"}, token=aki_tok)
    t.check(s == 201 and rule["language"] == "ja", "aki's new rule speaks Japanese: %r" % (rule,))
    s, rule, _ = call("POST", "/api/v1/notification-rules",
                      {"team": team["id"], "channel": "email", "target": "csirt@example.com"})
    t.check(s == 201 and rule["language"] == "en", "the admin (no choice) makes an English rule")

    s, me, _ = call("PATCH", "/api/v1/me", {"language": None, "timezone": None}, token=aki_tok)
    t.check(s == 200 and me["language"] is None and me["timezone"] is None, "null clears both choices")
    s, html, _ = call("GET", "/api/v1/report?team=%d&period=%s&format=html" % (team["id"], quarter), token=aki_tok)
    t.check(s == 200 and '<html lang="en">' in html, "without a choice reports are English again")

    s, me, _ = call("PATCH", "/api/v1/me", {}, token=aki_tok)
    t.check(s == 200 and me["language"] is None, "an empty change answers the profile and records nothing")
    s, log, _ = call("GET", "/api/v1/audit?limit=200")
    changes = [r for r in log.get("items", []) if r["action"] == "profile.update" and r["object_id"] == str(aki)]
    t.check(len(changes) == 2 and changes[0]["after"]["language"] == "ja" and changes[0]["actor"] == "aki",
            "each change of aki's profile is in the audit log: %r" % (changes[:1],))
    s, b, _ = request(B, "GET", "/api/v1/me")
    t.check(s == 401, "no profile without credentials")
finally:
    srv.stop()
    cleanup(data)
t.finish()
