#!/usr/bin/env python3
"""openapi.py BACKEND — the OpenAPI document matches the implementation:
every route the server has (`xsirt serve --routes`) is documented, every
documented operation answers on a real server (never "no such route" or
"method not allowed"), and the document is valid OpenAPI 3.1 in shape.
"""
import json
import re
import subprocess
import sys

from harness import XSIRT, Result, Server, cleanup, fresh_database, init, request

backend = sys.argv[1]
t = Result()
data, database = fresh_database(backend, "openapi")
admin = init(data, database)["token"]
srv = Server(data, database).start()
B = srv.base

try:
    s, doc, h = request(B, "GET", "/api/v1/openapi.json")
    t.check(s == 200 and doc.get("openapi", "").startswith("3.1"), "openapi.json served, version 3.1")
    t.check(h.get("Content-Type") == "application/json", "served as JSON")
    for key in ("info", "paths", "components"):
        t.check(key in doc, "document has " + key)

    documented = set()
    for path, ops in doc["paths"].items():
        for method in ops:
            # {token} (a portal link's secret) and {path} (the rest of a path) are the router's
            # own segments; any other {name} is {id}.
            documented.add((method.upper(), re.sub(r"\{(?!token\}|path\})[^}]+\}", "{id}", path)))
    routes = set()
    out = subprocess.run([XSIRT, "serve", "--routes"], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        method, pattern = line.split()
        routes.add((method, pattern))
    for r in sorted(routes - documented):
        t.check(False, "route not documented: %s %s" % r)
    for r in sorted(documented - routes):
        t.check(False, "documented but not served: %s %s" % r)
    t.check(len(routes) > 30 and routes == documented, "routes == documented (%d)" % len(routes))

    # Every $ref resolves.
    text = json.dumps(doc)
    for ref in set(re.findall(r'"\$ref": "#/([^"]+)"', text)):
        node = doc
        for part in ref.split("/"):
            node = node.get(part) if isinstance(node, dict) else None
        t.check(node is not None, "$ref resolves: " + ref)

    # Make one of each object so that {id} paths have something to find.
    s, team, _ = request(B, "POST", "/api/v1/teams", {"name": "T", "kind": "CSIRT"}, admin)
    s, case, _ = request(B, "POST", "/api/v1/cases", {"title": "c", "kind": "incident", "team": team["id"]},
                         admin)
    s, tok, _ = request(B, "POST", "/api/v1/tokens", {"name": "probe"}, admin)
    ids = {"/api/v1/teams/{id}/members/{user}": (team["id"], 1), "/api/v1/tokens/{id}": (tok["id"],)}
    for path in doc["paths"]:
        if "{token}" in path:
            ids[path] = ("A" * 43,)   # a well-formed link that names nothing: 404 from the handler
    for path, ops in sorted(doc["paths"].items()):
        for method in ops:
            if method.upper() == "DELETE" and "session" in path:
                continue   # would end nothing: token auth has no session
            concrete = path
            for v in ids.get(path, (case["id"] if "cases" in path else team["id"] if "teams" in path
                                    else 1,) * 2):
                concrete = re.sub(r"\{[^}]+\}", str(v), concrete, count=1)
            headers = {"If-Match": '"1"'} if method == "patch" else {}
            s, b, _ = request(B, method.upper(), concrete, {} if method in ("post", "put", "patch") else None,
                              admin, headers=headers)
            answered = s not in (405, 500, 501) and not (
                s == 404 and isinstance(b, dict) and b.get("error", {}).get("message") == "no such resource")
            t.check(answered, "%s %s answers (got %d)" % (method.upper(), path, s))
            documented_codes = set(ops[method]["responses"])
            t.check(str(s) in documented_codes, "%s %s: status %d is documented %s" % (
                method.upper(), path, s, sorted(documented_codes)))
finally:
    srv.stop()
    cleanup(data)
t.finish()
