#!/usr/bin/env python3
"""notify_guard.py BACKEND — webhooks do not reach the server's own networks
(docs/security.md, "Webhooks and the internal network"). A server as
installed (no XSIRT_WEBHOOK_ALLOW): a rule whose URL's host is a loopback,
link-local (cloud metadata), private or unspecified address is refused at
creation (400, field target); a rule to a host name that resolves to
loopback (localhost) is accepted, but its delivery is refused at connection
time, with the reason on the rule, and the receiver gets nothing. Then the
same server restarted with XSIRT_WEBHOOK_ALLOW naming the host: the message
waiting in the outbox arrives.
"""
import json
import sys
from harness import Result, Server, cleanup, fresh_database, init, request
from hook_sink import HookSink
from smtp_sink import wait_for

backend = sys.argv[1]
t = Result()
data, database = fresh_database(backend, "notify_guard")
admin = init(data, database)["token"]
hook_server = HookSink()
hooks, PORT = hook_server.hooks, hook_server.port
srv = Server(data, database, webhook_allow=None).start()


def call(method, path, body=None):
    return request(srv.base, method, path, body, admin)


try:
    _, team, _ = call("POST", "/api/v1/teams", {"name": "PSIRT", "kind": "PSIRT"})
    events = ["case.transition"]
    for host, kind in (("127.0.0.1", "loopback"), ("[::1]", "loopback"),
                       ("[::ffff:127.0.0.1]", "loopback"), ("169.254.169.254", "link-local"),
                       ("10.0.0.7", "private"), ("192.168.1.1", "private"),
                       ("0.0.0.0", "unspecified"), ("[fd00::1]", "private")):
        s, b, _ = call("POST", "/api/v1/notification-rules",
                       {"team": team["id"], "events": events, "channel": "webhook",
                        "target": "http://%s:%d/x" % (host, PORT), "secret": "s"})
        t.check(s == 400 and b["error"]["field"] == "target" and kind in b["error"]["message"]
                and "XSIRT_WEBHOOK_ALLOW" in b["error"]["message"],
                "a webhook to %s is refused at creation (%s): %d %r" % (host, kind, s, b))
    s, b, _ = call("GET", "/api/v1/notification-rules")
    t.check(s == 200 and b["items"] == [], "none of them was stored: %r" % (b,))

    # A host name: judged by the address it resolves to, at delivery.
    s, rule, _ = call("POST", "/api/v1/notification-rules",
                      {"team": team["id"], "events": events, "channel": "webhook",
                       "target": "http://localhost:%d/guard" % PORT, "secret": "s"})
    t.check(s == 201, "a webhook to a host name is accepted: %d %r" % (s, rule))
    s, kase, _ = call("POST", "/api/v1/cases", {"title": "Guard", "kind": "vulnerability",
                                                "team": team["id"], "severity": "low",
                                                "tlp": "AMBER"})
    s2, _, _ = call("POST", "/api/v1/cases/%d/transitions" % kase["id"], {"to": "triage"})
    t.check(s == 201 and s2 == 200, "a case moves to triage: %d %d" % (s, s2))

    def refused():
        _, r, _ = call("GET", "/api/v1/notification-rules/%d" % rule["id"])
        return "loopback" in (r.get("last_error") or "")
    wait_for(refused, 30)
    _, r, _ = call("GET", "/api/v1/notification-rules/%d" % rule["id"])
    t.check(r["last_error"] is not None and "loopback" in r["last_error"] and "refused" in r["last_error"] and "localhost" in r["last_error"]
            and "XSIRT_WEBHOOK_ALLOW" in r["last_error"] and r["pending"] == 1,
            "the delivery to localhost is refused, the reason on the rule: %r" % (r,))
    t.check(hooks == [], "the loopback receiver got nothing: %r" % (hooks,))

    # The operator allows the host by name: the waiting message goes.
    srv.stop()
    srv = Server(data, database, webhook_allow="chat.corp.example, localhost").start()
    t.check(wait_for(lambda: hooks, 40), "with localhost allowed, the message arrives")
    t.check(hooks and hooks[0][0] == "/guard" and
            json.loads(hooks[0][2])["case"]["id"] == kase["id"],
            "it is the transition: %r" % (hooks[:1],))
    t.check(wait_for(lambda: call("GET", "/api/v1/notification-rules/%d" % rule["id"])[1]
                     ["pending"] == 0, 10), "nothing pending after the delivery")
finally:
    srv.stop()
    hook_server.shutdown()
    cleanup(data)
t.finish()
