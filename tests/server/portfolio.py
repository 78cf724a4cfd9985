#!/usr/bin/env python3
"""portfolio.py BACKEND — the portfolio end to end on a real server (issue
11): assets with depends_on and visibility along the team tree, SBOM
uploads read by content and matched at once against the server's index
(checked against `xsirt scan` of the same SBOM on the same index), the
component search, findings with filters, triage with ETag/If-Match and in
batch (history and audit), carry-over to a newer SBOM and to a sibling
version, inactive findings for components that left, organisation
settings (admins only, secrets write-only) and the priority rule, findings
into cases, impact along dependencies, bad input as 4xx, and a kill -9
during uploads: after a restart every SBOM is whole or absent.
"""
import datetime
import json
import os
import subprocess
import sys
import tempfile
import threading

from harness import XSIRT, Result, Server, cleanup, fresh_database, init, request
from portfolio_kit import SHARED, build_index, cdx, people, team_tree
backend = sys.argv[1]
t = Result()
data, database = fresh_database(backend, "portfolio")
admin = init(data, database)["token"]
work = tempfile.mkdtemp(prefix="xsirt-portfolio-")
INDEX = build_index(data)
srv = Server(data, database).start()

PYPI = sorted(p for p in os.listdir(os.path.join(SHARED, "osv", "pypi"))
              if os.path.isdir(os.path.join(SHARED, "osv", "pypi", p)))


def call(method, path, body=None, token=admin, **kw):
    return request(srv.base, method, path, body, token, **kw)


def scan(doc, name="bom.json"):
    """{(component, vulnerability id)} of `xsirt scan` on the same index."""
    path = os.path.join(work, name)
    with open(path, "wb") as f:
        f.write(doc)
    out = subprocess.run([XSIRT, "scan", "--db", INDEX, "--format", "json", path],
                         check=True, capture_output=True, text=True).stdout
    return {(f["component"]["name"], f["vulnerability"]) for f in json.loads(out)["findings"]}


def upload(asset, doc, token=admin, ctype="application/octet-stream"):
    return call("POST", "/api/v1/assets/%d/sboms" % asset, token=token, raw=doc,
                headers={"Content-Type": ctype})


def all_findings(query, token=admin):
    """Every page of GET /findings?query."""
    items, cursor = [], None
    while True:
        q = query + ("&cursor=%d" % cursor if cursor else "")
        s, b, _ = call("GET", "/api/v1/findings?limit=50&" + q, token=token)
        if s != 200:
            return None
        items += b["items"]
        if b["next"] is None:
            return items
        cursor = b["next"]


try:
    # -- teams and people ------------------------------------------------------
    corp, site, soc = team_tree(call)
    users = people(call, (("alice", corp, "member"), ("bob", soc, "member"),
                             ("vic", corp, "viewer"), ("sam", site, "member")))
    alice, bob, vic, sam = users["alice"], users["bob"], users["vic"], users["sam"]

    # -- assets ------------------------------------------------------------------
    s, gw, h = call("POST", "/api/v1/assets", {"name": "Gateway", "kind": "product",
                                               "team": corp["id"], "criticality": "high",
                                               "identifiers": {"cpe": "cpe:2.3:a:acme:gateway:*:*:*:*:*:*:*:*"}},
                    token=alice)
    t.check(s == 201 and gw["kind"] == "product" and gw["parent"] is None and
            gw["identifiers"]["cpe"].startswith("cpe:2.3:a:acme") and gw["depends_on"] == [] and
            h["Location"] == "/api/v1/assets/%d" % gw["id"], "create asset %r" % (gw,))
    s, g1, _ = call("POST", "/api/v1/assets", {"name": "Gateway", "version": "1.0", "kind": "product",
                                               "team": corp["id"], "parent": gw["id"],
                                               "criticality": "high", "exposure": "internet",
                                               "identifiers": {"purl": "pkg:generic/acme/gateway@1.0"}},
                    token=alice)
    t.check(s == 201 and g1["parent"] == gw["id"] and g1["exposure"] == "internet", "version 1.0")
    s, g2, _ = call("POST", "/api/v1/assets", {"name": "Gateway", "version": "2.0", "kind": "product",
                                               "team": corp["id"], "parent": gw["id"]}, token=alice)
    t.check(s == 201 and g2["criticality"] == "medium" and g2["exposure"] == "internal",
            "version 2.0 with defaults")
    s, portal, _ = call("POST", "/api/v1/assets", {"name": "Customer portal", "kind": "service",
                                                   "team": site["id"], "exposure": "internet",
                                                   "depends_on": [g1["id"]]}, token=alice)
    t.check(s == 201 and portal["depends_on"] == [g1["id"]], "service depending on a product")
    s, b, _ = call("POST", "/api/v1/assets", {"name": "x", "kind": "service", "team": site["id"],
                                              "depends_on": [g1["id"]]}, token=sam)
    t.check(s == 400 and b["error"]["field"] == "depends_on",
            "a dependency on an asset one cannot see is refused (it does not exist for them)")
    s, shop, _ = call("POST", "/api/v1/assets", {"name": "Shop", "kind": "service",
                                                 "team": site["id"], "depends_on": [portal["id"]]},
                      token=alice)
    s, siem, _ = call("POST", "/api/v1/assets", {"name": "SIEM", "kind": "system",
                                                 "team": soc["id"]}, token=bob)
    t.check(s == 201, "bob's system")

    for body, field in (({"name": "x", "kind": "car", "team": corp["id"]}, "kind"),
                        ({"name": "x", "kind": "system", "team": corp["id"], "criticality": "huge"}, "criticality"),
                        ({"name": "x", "kind": "system", "team": corp["id"], "exposure": "space"}, "exposure"),
                        ({"name": "x", "kind": "system", "team": corp["id"], "identifiers": {"purl": "nope"}}, "identifiers"),
                        ({"name": "x", "kind": "system", "team": corp["id"], "identifiers": {"swid": "a"}}, "identifiers"),
                        ({"name": "x", "kind": "system", "team": corp["id"], "depends_on": [siem["id"]]}, "depends_on"),
                        ({"name": "x", "kind": "system", "team": corp["id"], "parent": siem["id"]}, "parent"),
                        ({"name": "x", "kind": "system", "team": 999999}, "team"),
                        ({"name": "x", "kind": "system", "team": corp["id"], "colour": 1}, "colour"),
                        ({"kind": "system", "team": corp["id"]}, "name")):
        s, b, _ = call("POST", "/api/v1/assets", body, token=alice)
        t.check(s == 400 and b["error"]["field"] == field, "bad asset %r -> 400 %s: %r" % (body, field, b))
    s, b, _ = call("POST", "/api/v1/assets", {"name": "x", "kind": "system", "team": soc["id"]}, token=alice)
    t.check(s == 403, "an asset for a team one is not in -> 403")
    s, b, _ = call("POST", "/api/v1/assets", {"name": "x", "kind": "system", "team": corp["id"]}, token=vic)
    t.check(s == 403, "viewers do not add assets")

    # PATCH with ETag / If-Match; cycles refused.
    s, b, h = call("GET", "/api/v1/assets/%d" % g2["id"], token=alice)
    etag = h["ETag"]
    s, b, _ = call("PATCH", "/api/v1/assets/%d" % g2["id"], {"criticality": "critical"}, token=alice)
    t.check(s == 428, "PATCH without If-Match -> 428")
    s, b, h2 = call("PATCH", "/api/v1/assets/%d" % g2["id"], {"criticality": "critical"}, token=alice,
                    headers={"If-Match": etag})
    t.check(s == 200 and b["criticality"] == "critical" and h2["ETag"] != etag, "PATCH asset")
    s, b, _ = call("PATCH", "/api/v1/assets/%d" % g2["id"], {"exposure": "isolated"}, token=alice,
                   headers={"If-Match": etag})
    t.check(s == 412 and b["error"]["code"] == "stale", "stale If-Match -> 412")
    s, b, h = call("GET", "/api/v1/assets/%d" % gw["id"], token=alice)
    s, b, _ = call("PATCH", "/api/v1/assets/%d" % gw["id"], {"parent": g1["id"]}, token=alice,
                   headers={"If-Match": h["ETag"]})
    t.check(s == 400 and b["error"]["field"] == "parent", "nesting cycle refused")

    # Visibility along the team tree.
    s, b, _ = call("GET", "/api/v1/assets/%d" % g1["id"], token=bob)
    t.check(s == 404, "another team's asset does not exist for bob")
    s, b, _ = call("GET", "/api/v1/assets?limit=200", token=bob)
    t.check(s == 200 and [a["id"] for a in b["items"]] == [siem["id"]], "bob lists only his")
    s, b, _ = call("GET", "/api/v1/assets?limit=200", token=alice)
    ids = {a["id"] for a in b["items"]}
    t.check({gw["id"], g1["id"], g2["id"], portal["id"], shop["id"]} <= ids and siem["id"] not in ids,
            "corporate sees its sites' assets, not the SOC's")
    s, b, _ = call("GET", "/api/v1/assets?limit=200", token=sam)
    t.check({a["id"] for a in b["items"]} == {portal["id"], shop["id"]}, "site sees only its own")
    s, b, _ = call("GET", "/api/v1/assets?parent=%d&limit=1" % gw["id"], token=alice)
    t.check(s == 200 and len(b["items"]) == 1 and b["next"] is not None, "paginated list")
    s, b, _ = call("GET", "/api/v1/assets?parent=%d&limit=1&cursor=%d" % (gw["id"], b["next"]),
                   token=alice)
    t.check(s == 200 and len(b["items"]) == 1 and b["next"] is None, "second page")
    s, b, _ = call("DELETE", "/api/v1/assets/%d" % siem["id"], token=alice)
    t.check(s == 404, "bob's asset cannot be deleted by alice")

    # -- SBOM upload and matching ------------------------------------------------
    comps = [(p, "0.0.1") for p in PYPI[:40]] + [(p, "99999") for p in PYPI[40:50]]
    doc1 = cdx(comps)
    expected1 = scan(doc1)
    t.check(len(expected1) > 20, "the scan finds something to compare (%d)" % len(expected1))
    s, b, h = upload(g1["id"], doc1, token=alice)
    t.check(s == 201 and b["format"] == "cyclonedx-json" and b["components"] == 50 and
            b["findings"] == len(expected1), "upload: %r vs %d from scan" % (b, len(expected1)))
    sbom1 = b.get("id")
    got = all_findings("asset=%d" % g1["id"], token=alice)
    t.check({(f["component"]["name"], f["vulnerability"]["id"]) for f in got} == expected1,
            "findings are exactly those of xsirt scan")
    t.check(all(f["state"] == "in_triage" and f["active"] and f["priority"] in ("P1", "P2", "P3", "P4")
                and f["first_seen"] and f["asset"] == g1["id"] for f in got), "new findings in triage")
    t.check(all(f["due"] is not None for f in got), "due dates from the team's service levels")
    s, b, _ = call("GET", "/api/v1/assets/%d" % g1["id"], token=alice)
    t.check(b["sbom"] == sbom1, "the upload is the asset's current SBOM")

    # The order of the document is not the order things are stored in (the
    # server sorts components and findings by its indexes' keys): the same
    # components backwards, three of them twice, give the same findings,
    # one per component and vulnerability.
    _, mirror, _ = call("POST", "/api/v1/assets", {"name": "Gateway mirror", "kind": "product",
                                                   "team": corp["id"]}, token=alice)
    s, b, _ = upload(mirror["id"], cdx(comps[::-1] + comps[:3]), token=alice)
    t.check(s == 201 and b["components"] == 53 and b["findings"] == len(expected1),
            "backwards, with duplicates: %r vs %d" % (b, len(expected1)))
    mirrored = all_findings("asset=%d" % mirror["id"], token=alice)
    t.check(len(mirrored) == len(expected1) and
            {(f["component"]["name"], f["vulnerability"]["id"]) for f in mirrored} == expected1,
            "the same findings whatever the order, each once")
    s, b, _ = call("GET", "/api/v1/components?purl=pkg:pypi/%s@0.0.1" % PYPI[1], token=alice)
    t.check(s == 200 and sorted(i["asset"]["id"] for i in b["items"]) ==
            sorted([g1["id"], mirror["id"], mirror["id"]]),
            "a component listed twice is found twice in its SBOM, once in the other: %r" % (b,))
    s, _, _ = call("DELETE", "/api/v1/assets/%d" % mirror["id"], token=alice)
    t.check(s == 200, "the mirror goes")

    # The same SBOM as CycloneDX XML, and SPDX tag-value, detected by content.
    xml = ('<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1">'
           '<components>' + "".join('<component type="library"><name>%s</name><version>0.0.1</version>'
                                    '<purl>pkg:pypi/%s@0.0.1</purl></component>' % (p, p)
                                    for p in PYPI[:5]) + '</components></bom>').encode()
    s, b, _ = upload(g2["id"], xml, token=alice, ctype="application/xml")
    t.check(s == 201 and b["format"] == "cyclonedx-xml" and b["components"] == 5 and
            b["findings"] == len(scan(xml, "bom.xml")), "CycloneDX XML upload %r" % (b,))
    tag = ("SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: t\n"
           "DocumentNamespace: https://example.com/t\nCreator: Tool: t\nCreated: 2024-01-01T00:00:00Z\n\n"
           "PackageName: %s\nSPDXID: SPDXRef-p1\nPackageVersion: 0.0.1\nPackageDownloadLocation: NOASSERTION\n"
           "ExternalRef: PACKAGE-MANAGER purl pkg:pypi/%s@0.0.1\n" % (PYPI[0], PYPI[0])).encode()
    s, b, _ = upload(siem["id"], tag, token=bob, ctype="text/plain")
    t.check(s == 201 and b["format"] == "spdx-tag" and b["findings"] == len(scan(tag, "bom.spdx")),
            "SPDX tag-value upload %r" % (b,))

    # Bad documents: 4xx with the reader's message and place.
    s, b, _ = upload(g2["id"], b'{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":', token=alice)
    t.check(s == 400 and "line" in b["error"]["message"], "truncated JSON -> 400 with place: %r" % (b,))
    s, b, _ = upload(g2["id"], b'{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":5}]}',
                     token=alice)
    t.check(s == 400 and "/components/0" in b["error"]["message"], "wrong type -> 400 with pointer: %r" % (b,))
    s, b, _ = upload(g2["id"], b"", token=alice)
    t.check(s == 400, "empty body -> 400")
    s, b, _ = upload(g2["id"], b"just text", token=alice)
    t.check(s in (400,) and "error" in b, "not an SBOM -> 400: %r" % (b,))
    s, b, _ = upload(g1["id"], doc1, token=bob)
    t.check(s == 404, "upload to an invisible asset -> 404")
    s, b, _ = upload(g1["id"], doc1, token=vic)
    t.check(s == 403, "viewers do not upload")
    s, b, _ = upload(999999, doc1, token=alice)
    t.check(s == 404, "upload to no asset -> 404")
    large = cdx([(PYPI[i % len(PYPI)], "1.%d" % i) for i in range(12000)])
    t.check(len(large) > 1024 * 1024, "an SBOM over the 1 MiB JSON body limit")
    _, logs, _ = call("POST", "/api/v1/assets", {"name": "Log server", "kind": "system",
                                                 "team": soc["id"]}, token=bob)
    s, b, _ = upload(logs["id"], large, token=bob)
    t.check(s == 201 and b["components"] == 12000, "SBOM uploads have their own limit: %r" % (s,))
    s, b, _ = upload(logs["id"], large, token=None)
    t.check(s in (401, 413), "without credentials a large body is not buffered: %d" % s)

    # The command line uploads too (CI pipelines), with the token from XSIRT_TOKEN.
    bad_path = os.path.join(work, "bad.json")
    with open(bad_path, "wb") as f:
        f.write(b'{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":5}]}')
    good_path = os.path.join(work, "bom.xml")
    env = dict(os.environ, XSIRT_TOKEN=alice)
    r = subprocess.run([XSIRT, "sbom", "upload", "--server", srv.base + "/", "--asset", str(g2["id"]),
                        "--json", good_path], env=env, capture_output=True, text=True)
    t.check(r.returncode == 0 and json.loads(r.stdout)["components"] == 5, "xsirt sbom upload: %r" % (r,))
    r = subprocess.run([XSIRT, "sbom", "upload", "--server", srv.base, "--asset", str(g2["id"]), good_path],
                       env=env, capture_output=True, text=True)
    t.check(r.returncode == 0 and "5 components" in r.stdout, "xsirt sbom upload, for people: %r" % (r,))
    r = subprocess.run([XSIRT, "sbom", "upload", "--server", srv.base, "--asset", str(g2["id"]), bad_path],
                       env=env, capture_output=True, text=True)
    t.check(r.returncode == 2 and "bad.json" in r.stderr and "/components/0" in r.stderr,
            "a refused SBOM: exit 2 with the place: %r" % (r.stderr,))
    r = subprocess.run([XSIRT, "sbom", "upload", "--server", srv.base, "--asset", str(g1["id"]), good_path],
                       env=dict(os.environ, XSIRT_TOKEN=bob), capture_output=True, text=True)
    t.check(r.returncode == 2 and "404" in r.stderr, "an invisible asset: exit 2")
    r = subprocess.run([XSIRT, "sbom", "upload", "--server", srv.base, "--asset", str(g2["id"]), good_path],
                       env={k: v for k, v in os.environ.items() if k != "XSIRT_TOKEN"},
                       capture_output=True, text=True)
    t.check(r.returncode == 2 and "XSIRT_TOKEN" in r.stderr, "no token: usage error")
    r = subprocess.run([XSIRT, "sbom", "upload", "--server", "http://127.0.0.1:1", "--asset", "1", good_path],
                       env=env, capture_output=True, text=True)
    t.check(r.returncode == 3, "no server: exit 3")

    # -- components: which assets contain this? ----------------------------------
    s, b, _ = call("GET", "/api/v1/components?purl=pkg:pypi/%s@0.0.1" % PYPI[0], token=alice)
    t.check(s == 200 and {c["asset"]["id"] for c in b["items"]} == {g1["id"], g2["id"]},
            "component search across the portfolio %r" % (b,))
    s, b, _ = call("GET", "/api/v1/components?name=%s&version=0.0.1" % PYPI[0], token=bob)
    t.check(s == 200 and {c["asset"]["id"] for c in b["items"]} == {siem["id"]},
            "bob sees only his own assets' components")
    s, b, _ = call("GET", "/api/v1/components", token=alice)
    t.check(s == 400, "components needs purl, name or asset")
    s, b, _ = call("GET", "/api/v1/components?asset=%d&limit=200" % g1["id"], token=alice)
    t.check(s == 200 and b["items"] and {c["asset"]["id"] for c in b["items"]} == {g1["id"]} and
            PYPI[0] in {c["name"] for c in b["items"]}, "the components of one asset's current SBOM")
    s, b, _ = call("GET", "/api/v1/components?asset=%d" % g1["id"], token=bob)
    t.check(s == 200 and b["items"] == [], "none of an asset bob may not see")
    s, b, _ = call("GET", "/api/v1/components?asset=x", token=alice)
    t.check(s == 400, "asset must be an id")
    # A name that is not what its purl ends with (schema 23: found by its
    # name's key, name_alt), next to one that is, and a namespaced name.
    _, java, _ = call("POST", "/api/v1/assets", {"name": "Billing", "kind": "service",
                                                 "team": corp["id"]}, token=alice)
    shown = json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": [
        {"type": "library", "name": "Apache Log4j Core", "version": "2.14.1",
         "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"},
        {"type": "library", "name": "org.apache.commons:commons-text", "version": "1.9",
         "purl": "pkg:maven/org.apache.commons/commons-text@1.9"},
        {"type": "library", "name": "Jackson_Databind", "version": "2.9.8"}]}).encode()
    s, b, _ = upload(java["id"], shown, token=alice)
    t.check(s == 201 and b["components"] == 3, "an SBOM with display names %r" % (b,))
    for query, want in (("name=Apache%20Log4j%20Core", "Apache Log4j Core"),
                        ("name=Apache%20Log4j%20Core&version=2.14.1", "Apache Log4j Core"),
                        ("purl=pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "Apache Log4j Core"),
                        ("name=org.apache.commons:commons-text", "org.apache.commons:commons-text"),
                        ("purl=pkg:maven/org.apache.commons/commons-text@1.9",
                         "org.apache.commons:commons-text"),
                        ("name=Jackson_Databind&version=2.9.8", "Jackson_Databind")):
        s, b, _ = call("GET", "/api/v1/components?" + query, token=alice)
        t.check(s == 200 and [(c["name"], c["asset"]["id"]) for c in b["items"]] == [(want, java["id"])],
                "component search %s: %r" % (query, b))
    for query in ("name=apache%20log4j%20core", "name=log4j-core", "name=Jackson_Databind&version=2.9.9",
                  "purl=pkg:maven/org.apache.logging.log4j/log4j-core@2.15.0",
                  "purl=pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1"):
        s, b, _ = call("GET", "/api/v1/components?" + query, token=alice)
        t.check(s == 200 and b["items"] == [], "exact search, nothing for %s: %r" % (query, b))

    # -- findings: filters and visibility ----------------------------------------
    some = got[0]
    s, b, _ = call("GET", "/api/v1/findings?vulnerability=%s" % some["vulnerability"]["id"], token=alice)
    t.check(s == 200 and some["id"] in [f["id"] for f in b["items"]], "filter by vulnerability")
    if some["vulnerability"]["aliases"]:
        s, b, _ = call("GET", "/api/v1/findings?vulnerability=%s" % some["vulnerability"]["aliases"][0],
                       token=alice)
        t.check(s == 200 and some["id"] in [f["id"] for f in b["items"]], "filter by alias")
    s, b, _ = call("GET", "/api/v1/findings?component=%s&asset=%d" % (some["component"]["name"], g1["id"]),
                   token=alice)
    t.check(s == 200 and all(f["component"]["name"] == some["component"]["name"] for f in b["items"])
            and b["items"], "filter by component")
    under = all_findings("asset=%d" % gw["id"], token=alice)
    t.check(len(under) == len(expected1) + len(scan(xml, "bom.xml")), "asset filter takes its children")
    s, b, _ = call("GET", "/api/v1/findings?kev=maybe", token=alice)
    t.check(s == 400 and b["error"]["field"] == "kev", "bad kev -> 400")
    s, b, _ = call("GET", "/api/v1/findings?limit=500", token=alice)
    t.check(s == 400, "limit over 200 -> 400")
    bobs = all_findings("", token=bob)
    t.check(bobs is not None and all(f["asset"] in (siem["id"], logs["id"]) for f in bobs), "bob sees only his findings")
    s, b, _ = call("GET", "/api/v1/findings/%d" % some["id"], token=bob)
    t.check(s == 404, "another team's finding does not exist for bob")
    s, b, _ = call("PATCH", "/api/v1/findings/%d" % some["id"], {"state": "exploitable"}, token=bob,
                   headers={"If-Match": '"1"'})
    t.check(s == 404, "nor can bob triage it")

    # -- triage ---------------------------------------------------------------------
    s, f, h = call("GET", "/api/v1/findings/%d" % some["id"], token=alice)
    t.check(s == 200 and h["ETag"] == '"%d"' % f["revision"] and f["history"][0]["kind"] == "created",
            "finding with its history and ETag")
    # The "created" event is told by the finding (schema 21): once, first, when it was
    # first seen, by no one, naming an SBOM of its asset; the history pages over it.
    created = [e for e in f["history"] if e["kind"] == "created"]
    s, sb, _ = call("GET", "/api/v1/assets/%d/sboms?limit=200" % f["asset"], token=alice)
    t.check(len(created) == 1 and created[0]["at"] == f["first_seen"] and created[0]["actor"] is None
            and created[0]["data"]["sbom"] in [x["id"] for x in sb["items"]]
            and created[0]["data"]["sbom"] <= f["sbom"], "the created event: %r" % (created,))
    paged, cursor = [], ""
    for _ in range(100):
        s, b, _ = call("GET", "/api/v1/findings/%d/history?limit=1%s" % (some["id"], cursor), token=alice)
        paged += b["items"]
        if s != 200 or b["next"] is None:
            break
        cursor = "&cursor=%d" % b["next"]
    t.check(paged == f["history"] and f["history_next"] is None, "the history a page at a time: %r" % (paged,))
    s, b, _ = call("PATCH", "/api/v1/findings/%d" % some["id"], {"state": "not_affected"}, token=alice,
                   headers={"If-Match": h["ETag"]})
    t.check(s == 400 and b["error"]["field"] == "justification", "not_affected needs a justification")
    s, b, _ = call("PATCH", "/api/v1/findings/%d" % some["id"], {"state": "gone"}, token=alice,
                   headers={"If-Match": h["ETag"]})
    t.check(s == 400 and b["error"]["field"] == "state", "unknown state -> 400")
    s, b, _ = call("PATCH", "/api/v1/findings/%d" % some["id"], {"state": "exploitable"}, token=alice)
    t.check(s == 428, "PATCH finding without If-Match -> 428")
    s, b, _ = call("PATCH", "/api/v1/findings/%d" % some["id"], {"state": "exploitable"}, token=vic,
                   headers={"If-Match": h["ETag"]})
    t.check(s == 403, "viewers read but do not triage")
    decision = {"state": "not_affected", "justification": "code_not_reachable",
                "detail": "the parser is never called", "response": ["will_not_fix"]}
    s, b, h2 = call("PATCH", "/api/v1/findings/%d" % some["id"], decision, token=alice,
                    headers={"If-Match": h["ETag"]})
    t.check(s == 200 and b["state"] == "not_affected" and b["justification"] == "code_not_reachable"
            and b["response"] == ["will_not_fix"] and b["revision"] == f["revision"] + 1, "triage %r" % (b,))
    s, b, _ = call("PATCH", "/api/v1/findings/%d" % some["id"], {"state": "exploitable"}, token=alice,
                   headers={"If-Match": h["ETag"]})
    t.check(s == 412, "stale decision -> 412")
    s, f, _ = call("GET", "/api/v1/findings/%d" % some["id"], token=alice)
    tri = [e for e in f["history"] if e["kind"] == "triage"]
    t.check(len(tri) == 1 and tri[0]["actor_name"] == "alice" and tri[0]["data"]["state"] == "not_affected",
            "the decision and its author on the history")
    s, b, _ = call("GET", "/api/v1/audit?limit=200")
    acts = [r for r in b.get("items", []) if r.get("action") == "finding.triage"]
    t.check(s == 200 and len(acts) >= 1 and acts[0].get("actor") == "alice", "the decision in the audit log")

    batch = [x["id"] for x in got if x["id"] != some["id"]][:3]
    s, b, _ = call("POST", "/api/v1/findings/triage", {"findings": batch, "state": "exploitable",
                                                       "response": ["update"]}, token=alice)
    t.check(s == 200 and [x["state"] for x in b["items"]] == ["exploitable"] * 3, "batch triage")
    s, b, _ = call("POST", "/api/v1/findings/triage", {"findings": [batch[0], bobs[0]["id"]] if bobs else [0],
                                                       "state": "resolved"}, token=alice)
    t.check(s == 400 and b["error"]["field"] == "findings", "batch with an invisible finding -> 400")
    s, f, _ = call("GET", "/api/v1/findings/%d" % batch[0], token=alice)
    t.check(f["state"] == "exploitable", "a refused batch changes nothing")
    s, b, _ = call("POST", "/api/v1/findings/triage", {"findings": [], "state": "resolved"}, token=alice)
    t.check(s == 400, "empty batch -> 400")
    s, b, _ = call("GET", "/api/v1/findings?state=exploitable&asset=%d" % g1["id"], token=alice)
    t.check(sorted(x["id"] for x in b["items"]) == sorted(batch), "filter by state")

    # -- a newer SBOM of the same asset: decisions stay, gone components go,
    # a new version of a component still affected takes its decision along ----
    gone = some["component"]["name"]
    s, bumpf, _ = call("GET", "/api/v1/findings/%d" % batch[0], token=alice)
    bumped = bumpf["component"]["name"]
    kept = [c for c in comps if c[0] != gone and c[0] != bumped] + [(bumped, "0.0.2")]
    s, b, _ = upload(g1["id"], cdx(kept), token=alice)
    expected2 = scan(cdx(kept), "bom2.json")
    t.check(s == 201 and b["findings"] == len(expected2), "second SBOM")
    now = all_findings("asset=%d" % g1["id"], token=alice)
    active = {(x["component"]["name"], x["vulnerability"]["id"]) for x in now if x["active"]}
    t.check(active == expected2, "active findings are those of the newest SBOM")
    t.check(all(not x["active"] for x in now if x["component"]["name"] == gone), "gone component inactive")
    s, f, _ = call("GET", "/api/v1/findings/%d" % some["id"], token=alice)
    t.check(f["state"] == "not_affected" and not f["active"] and
            f["history"][-1]["kind"] == "deactivated", "kept with history, never deleted")
    s, f, _ = call("GET", "/api/v1/findings/%d" % batch[1], token=alice)
    t.check(f["state"] == "exploitable" and f["active"], "decision stays on a newer SBOM")
    s, f, _ = call("GET", "/api/v1/findings/%d" % batch[0], token=alice)
    t.check(not f["active"], "the old version's finding is inactive")
    newer = [x for x in now if x["component"]["name"] == bumped and x["active"] and
             x["vulnerability"]["id"] == bumpf["vulnerability"]["id"]]
    t.check((bumped, bumpf["vulnerability"]["id"]) in expected2, "the bumped version is still affected")
    if (bumped, bumpf["vulnerability"]["id"]) in expected2:
        t.check(len(newer) == 1 and newer[0]["component"]["version"] == "0.0.2" and
                newer[0]["state"] == "exploitable" and
                newer[0]["carried_over"] == {"finding": batch[0], "asset": g1["id"]},
                "a newer version still affected: decision carried over from the older: %r" % (newer,))
    else:
        t.check(newer == [], "a version no longer affected has no finding, nothing to carry")
    s, b, _ = call("GET", "/api/v1/findings?active=false&asset=%d" % g1["id"], token=alice)
    t.check(b["items"] and all(not x["active"] for x in b["items"]), "filter active=false")
    s, b, _ = call("GET", "/api/v1/assets/%d/sboms" % g1["id"], token=alice)
    t.check(s == 200 and len(b["items"]) == 2 and b["items"][0]["current"] and not b["items"][1]["current"],
            "older SBOMs are kept")
    s, b, _ = upload(g1["id"], doc1, token=alice)
    s, f, _ = call("GET", "/api/v1/findings/%d" % some["id"], token=alice)
    t.check(f["active"] and f["state"] == "not_affected" and f["history"][-1]["kind"] == "reactivated",
            "the component back: the finding comes back with its decision")

    # -- carry-over to a sibling version --------------------------------------------
    s, b, _ = upload(g2["id"], doc1, token=alice)
    g2f = all_findings("asset=%d" % g2["id"], token=alice)
    carried = [x for x in g2f if x["vulnerability"]["id"] == some["vulnerability"]["id"]
               and x["component"]["name"] == gone]
    t.check(len(carried) == 1 and carried[0]["state"] == "not_affected" and
            carried[0]["carried_over"] == {"finding": some["id"], "asset": g1["id"]},
            "decision carried over to the sibling version: %r" % (carried,))
    fresh = [x for x in g2f if x["carried_over"] is None]
    t.check(fresh and all(x["state"] == "in_triage" for x in fresh), "undecided ones stay in triage")

    # -- VEX out: the asset's decisions, schema-valid ------------------------------
    active_g1 = [x for x in all_findings("asset=%d&active=true" % g1["id"], token=alice)
                 if x["asset"] == g1["id"]]
    s, ov, _ = call("GET", "/api/v1/assets/%d/vex?format=openvex" % g1["id"], token=alice)
    t.check(s == 200 and len(ov["statements"]) == len(active_g1), "OpenVEX: one statement a finding")
    mine = [x for x in ov["statements"] if x["vulnerability"]["name"] == some["vulnerability"]["id"]
            and x["products"][0]["subcomponents"][0]["@id"] == some["component"]["purl"]]
    t.check(len(mine) == 1 and mine[0]["status"] == "not_affected" and
            mine[0]["justification"] == "vulnerable_code_not_in_execute_path", "OpenVEX decision %r" % (mine,))
    t.check({x["status"] for x in ov["statements"]} >= {"affected", "under_investigation", "not_affected"},
            "OpenVEX statuses from the analysis states")
    s, cx, _ = call("GET", "/api/v1/assets/%d/vex?format=cyclonedx" % g1["id"], token=alice)
    t.check(s == 200 and len(cx["vulnerabilities"]) == len(active_g1) and
            {v["analysis"]["state"] for v in cx["vulnerabilities"]} >= {"exploitable", "not_affected", "in_triage"},
            "CycloneDX VEX")
    node, tools = os.environ.get("XSIRT_NODE"), os.path.join(os.path.dirname(__file__), "..", "reports")
    if node:
        for doc, name, schema, refs in ((ov, "vex.openvex.json", os.path.join(SHARED, "openvex", "openvex_json_schema.json"), []),
                                        (cx, "vex.cdx.json", os.path.join(SHARED, "schemas", "cyclonedx", "bom-1.5.schema.json"),
                                         ["spdx.schema.json", "jsf-0.82.schema.json"])):
            path = os.path.join(work, name)
            with open(path, "w") as f:
                json.dump(doc, f)
            args = [node, os.path.join(tools, "validate.js"), schema]
            for r in refs:
                args += ["--ref", os.path.join(SHARED, "schemas", "cyclonedx", r)]
            r = subprocess.run(args + [path], capture_output=True, text=True)
            t.check(r.returncode == 0, "%s is schema-valid: %s %s" % (name, r.stdout[-600:], r.stderr[-600:]))
    s, b, _ = call("GET", "/api/v1/assets/%d/vex?format=csaf" % g1["id"], token=alice)
    t.check(s == 200 and b["document"]["category"] == "csaf_vex",
            "CSAF VEX (checked by both validators in advisories.py)")
    s, b, _ = call("GET", "/api/v1/assets/%d/vex?format=spdx" % g1["id"], token=alice)
    t.check(s == 400 and b["error"]["field"] == "format", "unknown format: 400")
    s, b, _ = call("GET", "/api/v1/assets/%d/vex" % g1["id"], token=bob)
    t.check(s == 404, "VEX of an invisible asset: 404")

    # -- settings (admins only, secrets write-only) and the priority rule ----------
    s, b, _ = call("GET", "/api/v1/settings", token=alice)
    t.check(s == 403, "settings are for admins")
    s, st, _ = call("GET", "/api/v1/settings")
    t.check(s == 200 and st["smtp_url"] == {"set": False} and st["priority_rule"]["default"] == "P4",
            "settings with the documented default rule")
    s, b, _ = call("PATCH", "/api/v1/settings", {"smtp_url": "smtp://u:sekrit@mail.example:587",
                                                 "smtp_from": "psirt@example.com"})
    t.check(s == 200 and b["smtp_url"] == {"set": True} and "sekrit" not in json.dumps(b),
            "secret set, not shown")
    s, b, _ = call("GET", "/api/v1/audit?limit=200")
    t.check("sekrit" not in json.dumps(b), "nor in the audit log")
    for bad in ({"smtp_url": "http://x"}, {"priority_rule": {"rules": [{"priority": "P9"}], "default": "P4"}},
                {"priority_rule": {"rules": [{"priority": "P1", "colour": 1}], "default": "P4"}},
                {"feed_defaults": {"interval": 1}}, {"nope": 1}):
        s, b, _ = call("PATCH", "/api/v1/settings", bad)
        t.check(s == 400 and "error" in b, "bad setting %r -> 400" % (bad,))
    s, b, _ = call("PATCH", "/api/v1/settings", {"priority_rule": {"rules": [
        {"priority": "P1", "exposure": ["internet"]}], "default": "P3"}})
    t.check(s == 200 and b["priority_rule"]["default"] == "P3", "priority rule edited")
    s, b, _ = upload(portal["id"], cdx(comps[:3]), token=sam)
    pf = all_findings("asset=%d" % portal["id"], token=sam)
    t.check(pf and all(x["priority"] == "P1" for x in pf), "the edited rule: internet-facing is P1")
    s, b, _ = upload(shop["id"], cdx(comps[:3]), token=sam)
    sf = all_findings("asset=%d" % shop["id"], token=sam)
    t.check(sf and all(x["priority"] == "P3" for x in sf), "otherwise the rule's default")
    s, b, _ = call("GET", "/api/v1/findings?priority=P1&asset=%d" % portal["id"], token=sam)
    t.check(len(b["items"]) == len(pf), "filter by priority")
    call("PATCH", "/api/v1/settings", {"priority_rule": None})
    s, st, _ = call("GET", "/api/v1/settings")
    t.check(st["priority_rule"]["default"] == "P4", "null restores the default rule")

    # -- impact along dependencies ----------------------------------------------
    s, b, _ = call("GET", "/api/v1/assets/%d/impact" % g1["id"], token=alice)
    deps = {d["id"]: d for d in b.get("dependents", [])}
    t.check(s == 200 and set(deps) == {portal["id"], shop["id"]} and deps[portal["id"]]["depth"] == 1
            and deps[shop["id"]]["depth"] == 2 and b["findings"], "impact: direct and indirect dependents")
    s, b, _ = call("GET", "/api/v1/assets/%d/impact" % g1["id"], token=bob)
    t.check(s == 404, "impact of an invisible asset -> 404")

    # -- findings into cases -------------------------------------------------------
    s, c, _ = call("POST", "/api/v1/cases", {"title": "Parser flaw", "kind": "vulnerability",
                                             "team": corp["id"], "findings": [batch[0], batch[1]]},
                   token=alice)
    t.check(s == 201 and c.get("findings") == sorted([batch[0], batch[1]]) and
            c.get("assets") == [g1["id"]], "case with findings and affected assets %r" % (c.get("findings"),))
    s, f, _ = call("GET", "/api/v1/findings/%d" % batch[1], token=alice)
    t.check(f["case"] == c.get("id"), "the finding links back to its case")
    s, b, _ = call("POST", "/api/v1/cases", {"title": "x", "kind": "vulnerability", "team": soc["id"],
                                             "findings": [batch[0]]}, token=bob)
    t.check(s == 400 and b["error"]["field"] == "findings", "a case cannot take invisible findings")
    # A finding belongs to one case: one in another open case is 409 naming it.
    s, before, _ = call("GET", "/api/v1/cases?limit=200", token=alice)
    s, b, _ = call("POST", "/api/v1/cases", {"title": "Same flaw again", "kind": "vulnerability",
                                             "team": corp["id"], "findings": [batch[2], batch[1]]},
                   token=alice)
    t.check(s == 409 and b["error"]["code"] == "conflict" and b["error"]["field"] == "findings" and
            "finding %d " % batch[1] in b["error"]["message"] and
            "case %d" % c["id"] in b["error"]["message"],
            "a finding already in an open case -> 409 naming it and its case: %r" % (b,))
    s, after, _ = call("GET", "/api/v1/cases?limit=200", token=alice)
    t.check([x["id"] for x in after["items"]] == [x["id"] for x in before["items"]],
            "and no case was opened")
    for fid, want in ((batch[1], c["id"]), (batch[2], None)):
        s, f, _ = call("GET", "/api/v1/findings/%d" % fid, token=alice)
        t.check(f["case"] == want, "finding %d stays where it was (%r)" % (fid, f["case"]))

    # Closing the case as fixed resolves its open findings.
    s, cs, h = call("GET", "/api/v1/cases/%d" % c["id"], token=alice)
    path = ["triage", "remediation", "disclosure", "closed"]
    for step in path:
        body = {"to": step}
        if step == "closed":
            body["resolution"] = "fixed"
        s, cs, h = call("POST", "/api/v1/cases/%d/transitions" % c["id"], body, token=alice,
                        headers={"If-Match": h["ETag"]})
    t.check(s == 200 and cs["state"] == "closed", "case closed as fixed: %r" % (cs,))
    for fid in (batch[0], batch[1]):
        s, f, _ = call("GET", "/api/v1/findings/%d" % fid, token=alice)
        t.check(f["state"] == "resolved" and f["response"] == ["update"] and
                f["history"][-1]["kind"] == "triage" and f["history"][-1]["actor_name"] == "alice",
                "its findings resolved, by the closer")
    # Its case closed, a finding may go into a new one.
    s, c2, _ = call("POST", "/api/v1/cases", {"title": "Parser flaw, again", "kind": "vulnerability",
                                              "team": corp["id"], "findings": [batch[1]]}, token=alice)
    t.check(s == 201 and c2.get("findings") == [batch[1]], "a finding of a closed case goes into a new one")

    # -- delete --------------------------------------------------------------------
    s, b, _ = call("DELETE", "/api/v1/assets/%d" % gw["id"], token=alice)
    t.check(s == 409, "an asset with nested ones is not deleted")
    s, b, _ = call("DELETE", "/api/v1/assets/%d" % shop["id"], token=sam)
    t.check(s == 200 and call("GET", "/api/v1/assets/%d" % shop["id"], token=sam)[0] == 404, "delete")

    # -- the findings' figures (issue 16): every change above moved the counters ---
    every = all_findings("") or []
    still = [f for f in every if f["active"] and f["state"] in ("in_triage", "exploitable")]
    s, st, _ = call("GET", "/api/v1/statistics?from=2020-01-01")
    tf = st["totals"]["findings"] if s == 200 else {}
    t.check(s == 200 and tf["opened"]["total"] == len(every) > 0, "statistics: every finding opened once: %r vs %d"
            % (tf.get("opened"), len(every)))
    t.check(tf.get("closed", {}).get("total") == len(every) - len(still) > 0 and
            tf.get("open_at_end") == len(still) and tf.get("open_now", {}).get("total") == len(still),
            "statistics: closed %r, open %r/%r vs %d open" % (tf.get("closed"), tf.get("open_at_end"),
                                                              tf.get("open_now"), len(still)))
    for prio in ("P1", "P2", "P3", "P4"):
        n = sum(1 for f in still if f["priority"] == prio)
        t.check(tf.get("open_now", {}).get("priority", {}).get(prio, 0) == n, "open %s: %d" % (prio, n))
    t.check(st["totals"]["time"]["remediate"]["count"] == len(every) - len(still), "a time to remediate each")
    mine = [f for f in every if f["asset"] == g1["id"]]
    s, sa, _ = call("GET", "/api/v1/statistics?from=2020-01-01&asset=%d" % g1["id"], token=alice)
    t.check(s == 200 and sa["asset"] == g1["id"] and sa["totals"]["findings"]["opened"]["total"] == len(mine) and
            sa["totals"]["findings"]["open_now"]["total"] ==
            sum(1 for f in mine if f["active"] and f["state"] in ("in_triage", "exploitable")),
            "an asset's figures: %r" % (sa.get("totals", {}).get("findings") if s == 200 else sa,))
    s, b, _ = call("GET", "/api/v1/statistics?asset=%d" % g1["id"], token=bob)
    t.check(s == 404, "an invisible asset's figures -> 404")
    # The quarterly report's findings section, from the same counters.
    today = datetime.date.today()
    s, html, _ = call("GET", "/api/v1/report?period=%d-Q%d&format=html&language=en"
                      % (today.year, (today.month - 1) // 3 + 1))
    html = html if isinstance(html, str) else ""
    t.check(s == 200 and "Findings and remediation" in html and "Findings opened by priority" in html and
            "Most affected assets" in html and "Gateway 1.0" in html,
            "report: findings summary, chart by priority, Gateway 1.0 among the most affected assets")
    for q, field in (("asset=%d&team=%d" % (g1["id"], corp["id"]), "asset"),
                     ("asset=%d&interval=week" % g1["id"], "interval"), ("asset=x", "asset")):
        s, b, _ = call("GET", "/api/v1/statistics?" + q, token=alice)
        t.check(s == 400 and b["error"]["field"] == field, "statistics?%s -> 400 %s" % (q, field))

    # -- kill -9 during uploads: every SBOM whole or absent -------------------------
    big = cdx([(PYPI[i % len(PYPI)], "0.0.%d" % (i // len(PYPI) + 1)) for i in range(3000)])

    def hammer():
        for _ in range(20):
            try:
                upload(g2["id"], big, token=alice)
            except Exception:
                return

    th = threading.Thread(target=hammer)
    th.start()
    import time
    time.sleep(1.5)
    srv.kill()
    th.join()
    srv.start()
    s, b, _ = call("GET", "/api/v1/assets/%d/sboms" % g2["id"], token=alice)
    t.check(s == 200, "restart after kill -9")
    s, a, _ = call("GET", "/api/v1/assets/%d" % g2["id"], token=alice)
    t.check(a["sbom"] == b["items"][0]["id"], "the current SBOM is the newest committed one")
    for sb in b["items"]:
        if sb["components"] == 3000:
            s, cs, _ = call("GET", "/api/v1/components?name=%s&version=0.0.1" % PYPI[0], token=alice)
    g2f = all_findings("asset=%d&active=true" % g2["id"], token=alice)
    expect_now = scan(big, "big.json") if b["items"][0]["components"] == 3000 else None
    if expect_now is not None:
        t.check({(x["component"]["name"], x["vulnerability"]["id"]) for x in g2f} == expect_now,
                "findings after the crash are those of the current SBOM")
    s, v, _ = call("GET", "/api/v1/audit/verify")
    t.check(s == 200 and v.get("ok", v.get("valid")) is not False, "audit chain intact after kill -9: %r" % (v,))

    # -- settings from `xsirt serve` options and the environment ----------------------
    srv.stop()
    srv = Server(data, database, extra=["--set", "smtp_from=ops@example.com", "--set",
                                        'feed_defaults={"interval": 600}'],
                 env=dict(os.environ, XSIRT_SMTP_URL="smtp://u:envsecret@mail.example:25")).start()
    s, st, _ = call("GET", "/api/v1/settings")
    t.check(s == 200 and st["smtp_from"] == "ops@example.com" and st["smtp_url"] == {"set": True}
            and st["feed_defaults"] == {"interval": 600}, "serve --set and XSIRT_SMTP_URL: %r" % (st,))
    s, b, _ = call("GET", "/api/v1/audit?limit=200")
    t.check("envsecret" not in json.dumps(b), "the secret from the environment stays out of the log")
    srv.stop()
    r = subprocess.run([XSIRT, "serve", "--data", data, "--listen", "127.0.0.1:0", "--set",
                        "smtp_from=nobody"] + (["--database", database] if database else []),
                       capture_output=True, text=True, timeout=30)
    t.check(r.returncode == 2 and "smtp_from" in r.stderr, "a bad --set stops serve: %r" % (r.stderr,))
finally:
    srv.stop()
    cleanup(data)
    cleanup(work)
t.finish()
