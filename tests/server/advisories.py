#!/usr/bin/env python3
"""advisories.py BACKEND — the disclosure chain through the API (issue 12
items 4 and 8, issue 11 item 10's CSAF VEX) on a real server: an SBOM
finding on a product -> a PSIRT case with that finding -> the supplier's
answer "affected" recorded on the case (the coordination module of item 3
is another branch: a note stands for its statement) -> a finder credited
-> a draft advisory (versions 0.N.0, PATCH with If-Match, visibility of
its case) -> publication refused with the validator's failures while the
document is wrong -> published as 1.0.0 -> fix: the case closed as fixed
resolves the finding -> the next revision 2.0.0 says the fixed version is
fixed -> the asset's CSAF VEX says fixed. Every CSAF document written is
checked by `xsirt csaf validate` and by the npm reference
(@secvisogram/csaf-validator-lib, tests/csaf_validate/reference.mjs),
test by test.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

from harness import XSIRT, Result, Server, cleanup, fresh_database, init, request
from org import sql

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("XSIRT_SHARED_DATA", os.path.join(HERE, "../../../shared/data"))
NODE = os.environ.get("XSIRT_NODE", "node")
backend = sys.argv[1]
t = Result()
data, database = fresh_database(backend, "advisories")
admin = init(data, database)["token"]
work = tempfile.mkdtemp(prefix="xsirt-advisories-")
INDEX = os.path.join(data, "vulns.idx")
subprocess.run([XSIRT, "db", "build", "-q", "-o", INDEX,
                os.path.join(SHARED, "osv", "pypi", "werkzeug")], check=True, capture_output=True)
srv = Server(data, database).start()
written = []


def call(method, path, body=None, token=admin, **kw):
    return request(srv.base, method, path, body, token, **kw)


def cdx(components):
    comps = [{"type": "library", "bom-ref": "c%d" % i, "name": n, "version": v,
              "purl": "pkg:pypi/%s@%s" % (n, v)} for i, (n, v) in enumerate(components)]
    return json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
                       "components": comps}).encode()


def validate(doc, what):
    """xsirt's validator on doc now; the reference on every such document at
    once at the end (compare_with_reference: one node process, since loading
    csaf-validator-lib costs seconds)."""
    path = os.path.join(work, "doc%d.json" % len(written))
    with open(path, "w") as f:
        json.dump(doc, f)
    run = subprocess.run([XSIRT, "csaf", "validate", path], capture_output=True, text=True)
    mine = json.loads(run.stdout.splitlines()[0])
    written.append((path, what, {f["test"] for f in mine["failures"]}))
    t.check(run.returncode == 0 and mine["valid"],
            "%s: xsirt csaf validate passes: %r" % (what, mine["failures"]))


def compare_with_reference():
    """The npm reference on every validated document: it passes every
    mandatory test, and both validators agree test by test."""
    ref = subprocess.run([NODE, os.path.join(HERE, "../csaf_validate/reference.mjs")]
                         + [p for p, _, _ in written], capture_output=True, text=True, check=True)
    lines = [json.loads(ln) for ln in ref.stdout.splitlines() if ln.strip()]
    t.check(len(lines) == len(written) and len(written) >= 6,
            "the reference judged all %d documents (%d)" % (len(written), len(lines)))
    for (path, what, failed_mine), line in zip(written, lines):
        theirs = line["results"]
        failed_theirs = {k for k, v in theirs.items() if v is not True}
        t.check(line["file"] == path, "%s: the reference's answer is for its file" % what)
        t.check(not {x for x in failed_theirs if x == "schema" or x.startswith("6.1.")},
                "%s: the npm reference passes every mandatory test: %r" % (what, failed_theirs))
        t.check(failed_mine == failed_theirs,
                "%s: both validators agree test by test: %r vs %r" % (what, failed_mine, failed_theirs))


try:
    # -- organisation and people -------------------------------------------------
    s, b, _ = call("PATCH", "/api/v1/settings",
                   {"public_url": "https://psirt.example.com",
                    "csaf_publisher": {"name": "ACME PSIRT", "namespace": "https://acme.example",
                                       "category": "vendor"},
                    "cna_org_id": "b3476cb9-2e3d-41a6-98d0-0f47421a65b6"})
    t.check(s == 200 and b["public_url"] == "https://psirt.example.com" and
            b["csaf_publisher"]["name"] == "ACME PSIRT", "advisory settings: %r" % (b,))
    for body, field in (({"public_url": "http://x.example"}, "public_url"),
                        ({"public_url": "https://x.example/"}, "public_url"),
                        ({"cna_org_id": "not-a-uuid"}, "cna_org_id"),
                        ({"csaf_publisher": {"name": "x", "namespace": "https://x",
                                             "category": "seller"}}, "csaf_publisher"),
                        ({"csaf_publisher": {"name": "x"}}, "csaf_publisher")):
        s, b, _ = call("PATCH", "/api/v1/settings", body)
        t.check(s == 400 and b["error"]["field"] == field, "bad setting %r -> 400" % (body,))

    _, psirt, _ = call("POST", "/api/v1/teams", {"name": "Product PSIRT", "kind": "PSIRT"})
    _, soc, _ = call("POST", "/api/v1/teams", {"name": "SOC", "kind": "SOC"})
    users = {}
    for name, team, role in (("alice", psirt, "member"), ("vic", psirt, "viewer"),
                             ("bob", soc, "member")):
        _, u, _ = call("POST", "/api/v1/users", {"username": name, "password": "a long password 1"})
        _, tok, _ = call("POST", "/api/v1/tokens", {"name": "e2e", "user": u["id"]})
        call("PUT", "/api/v1/teams/%d/members/%d" % (team["id"], u["id"]), {"role": role})
        users[name] = tok["token"]
    alice, vic, bob = users["alice"], users["vic"], users["bob"]

    # -- the product, its versions and the SBOM finding ----------------------------
    _, gw, _ = call("POST", "/api/v1/assets", {"name": "Gateway", "kind": "product",
                                               "team": psirt["id"], "vendor": "ACME"}, token=alice)
    s, g1, _ = call("POST", "/api/v1/assets",
                    {"name": "Gateway", "version": "1.0", "kind": "product", "team": psirt["id"],
                     "parent": gw["id"], "vendor": "ACME",
                     "identifiers": {"purl": "pkg:generic/acme/gateway@1.0",
                                     "cpe": "cpe:2.3:h:acme:gateway:1.0:*:*:*:*:*:*:*"}},
                    token=alice)
    t.check(s == 201, "version 1.0: %r" % (g1,))
    _, g2, _ = call("POST", "/api/v1/assets",
                    {"name": "Gateway", "version": "2.0", "kind": "product", "team": psirt["id"],
                     "parent": gw["id"], "vendor": "ACME",
                     "identifiers": {"purl": "pkg:generic/acme/gateway@2.0"}}, token=alice)
    s, b, _ = call("POST", "/api/v1/assets/%d/sboms" % g1["id"], token=alice,
                   raw=cdx([("werkzeug", "3.0.0")]),
                   headers={"Content-Type": "application/octet-stream"})
    t.check(s == 201 and b["findings"] > 0, "SBOM of 1.0 has findings: %r" % (b,))
    s, b, _ = call("POST", "/api/v1/assets/%d/sboms" % g2["id"], token=alice,
                   raw=cdx([("werkzeug", "99.0.0")]),
                   headers={"Content-Type": "application/octet-stream"})
    t.check(s == 201 and b["findings"] == 0, "SBOM of 2.0 (a fixed werkzeug) has none: %r" % (b,))
    s, b, _ = call("GET", "/api/v1/findings?asset=%d&vulnerability=CVE-2023-46136" % g1["id"],
                   token=alice)
    t.check(s == 200 and len(b["items"]) == 1, "the finding for CVE-2023-46136: %r" % (b,))
    finding = b["items"][0]

    # -- the PSIRT case, the supplier's answer, the finder ---------------------------
    s, case, h = call("POST", "/api/v1/cases",
                      {"title": "Werkzeug multipart DoS in Gateway", "kind": "vulnerability",
                       "team": psirt["id"], "tlp": "AMBER", "findings": [finding["id"]],
                       "cvss": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
                       "references": [{"kind": "advisory",
                                       "value": "https://github.com/advisories/GHSA-hrfv-mqp8-q5rw"}]},
                      token=alice)
    t.check(s == 201, "case from the finding: %r" % (case,))
    s, b, _ = call("POST", "/api/v1/cases/%d/participants" % case["id"],
                   {"role": "supplier", "name": "Pallets", "email": "security@pallets.example"},
                   token=alice)
    t.check(s in (200, 201), "supplier participant")
    s, b, _ = call("POST", "/api/v1/cases/%d/notes" % case["id"],
                   {"body": "Supplier Pallets: status affected for CVE-2023-46136; fixed in "
                            "werkzeug 3.0.1 (statement recorded until coordination lands)"},
                   token=alice)
    t.check(s in (200, 201), "supplier's affected statement on the case")
    s, b, _ = call("POST", "/api/v1/cases/%d/participants" % case["id"],
                   {"role": "finder", "name": "Hana Suzuki", "credit": True}, token=alice)
    t.check(s in (200, 201) and any(p.get("credit") for p in b["participants"]),
            "a finder who asked for credit: %r" % (b.get("participants"),))
    call("POST", "/api/v1/cases/%d/participants" % case["id"],
         {"role": "reporter", "name": "Anonymous"}, token=alice)
    s, finding, fh = call("GET", "/api/v1/findings/%d" % finding["id"], token=alice)
    s, b, _ = call("PATCH", "/api/v1/findings/%d" % finding["id"],
                   {"state": "exploitable", "detail": "the upload endpoint parses multipart"},
                   token=alice, headers={"If-Match": fh["ETag"]})
    t.check(s == 200 and b["state"] == "exploitable", "triaged affected: %r" % (b,))

    # -- the draft -----------------------------------------------------------------
    s, adv, h = call("POST", "/api/v1/advisories", {"case": case["id"]}, token=alice)
    t.check(s == 201 and adv["status"] == "draft" and adv["version"] == "0.1.0" and
            adv["title"] == case["title"] and adv["profile"] == "csaf_security_advisory" and
            h["Location"] == "/api/v1/advisories/%d" % adv["id"], "draft: %r" % (adv,))
    aid = adv["id"]
    for body, field in (({}, "case"), ({"case": case["id"], "profile": "csaf_base"}, "profile"),
                        ({"case": case["id"], "notes": [{"category": "x", "text": "y"}]}, "notes"),
                        ({"case": case["id"], "references": [{"url": "ftp://x"}]}, "references"),
                        ({"case": case["id"], "colour": 1}, "colour")):
        s, b, _ = call("POST", "/api/v1/advisories", body, token=alice)
        t.check(s == 400 and b["error"]["field"] == field, "bad advisory %r -> 400 %s: %r" % (body, field, b))
    s, b, _ = call("POST", "/api/v1/advisories", {"case": case["id"]}, token=bob)
    t.check(s == 404, "an advisory of a case one cannot see -> 404")
    s, b, _ = call("POST", "/api/v1/advisories", {"case": case["id"]}, token=vic)
    t.check(s == 403, "viewers do not write advisories")
    s, b, _ = call("GET", "/api/v1/advisories/%d" % aid, token=bob)
    t.check(s == 404, "the advisory follows its case's TLP: hidden from another team")
    s, b, _ = call("GET", "/api/v1/advisories/%d/csaf" % aid, token=bob)
    t.check(s == 404, "and so is its document")
    s, b, _ = call("GET", "/api/v1/advisories", token=bob)
    t.check(s == 200 and b["items"] == [], "and it is not in bob's list")
    s, b, _ = call("GET", "/api/v1/advisories/%d" % aid, token=vic)
    t.check(s == 200, "a viewer of the team reads it")

    s, doc, _ = call("GET", "/api/v1/advisories/%d/csaf" % aid, token=alice)
    t.check(s == 200 and doc["document"]["tracking"]["status"] == "draft" and
            doc["document"]["tracking"]["version"] == "0.1.0" and
            doc["document"]["distribution"]["tlp"]["label"] == "AMBER", "draft document")
    validate(doc, "draft 0.1.0")

    # PATCH with If-Match; a CWE with the wrong name makes publication fail.
    s, b, _ = call("PATCH", "/api/v1/advisories/%d" % aid, {"summary": "x"}, token=alice)
    t.check(s == 428, "PATCH without If-Match -> 428")
    s, b, h = call("GET", "/api/v1/advisories/%d" % aid, token=alice)
    s, b, h = call("PATCH", "/api/v1/advisories/%d" % aid,
                   {"summary": "Gateway embeds Werkzeug, whose multipart parser can be made to "
                               "spend CPU without bound.",
                    "remediation": "Update Gateway to 2.0.",
                    "fixed_in": [g2["id"]],
                    "cwes": {"CVE-2023-46136": {"id": "CWE-400", "name": "Wrong name"}},
                    "references": [{"url": "https://acme.example/psirt", "summary": "ACME PSIRT"}]},
                   token=alice, headers={"If-Match": h["ETag"]})
    t.check(s == 200 and b["version"] == "0.2.0" and b["fixed_in"] == [g2["id"]],
            "PATCH makes draft 0.2.0: %r" % (b,))
    s, b2, _ = call("PATCH", "/api/v1/advisories/%d" % aid, {"title": "x"}, token=alice,
                    headers={"If-Match": '"1"'})
    t.check(s == 412, "stale If-Match -> 412")
    s, b, _ = call("POST", "/api/v1/advisories/%d/publish" % aid, token=alice,
                   headers={"If-Match": '"1"'})
    t.check(s == 412, "publish with a stale If-Match -> 412")
    # The validator's verdict before publishing: what publishing would refuse.
    s, v, _ = call("GET", "/api/v1/advisories/%d/validation" % aid, token=alice)
    t.check(s == 200 and v["valid"] is False and v["version"] == "1.0.0" and
            any(f["test"] == "6.1.11" and f["kind"] == "mandatory" and f["path"].startswith("/vulnerabilities/")
                and f["message"] for f in v["failures"]),
            "validation before publishing shows 6.1.11 with its path: %r" % (v,))
    s, _, _ = call("GET", "/api/v1/advisories/%d/validation" % aid, token=bob)
    t.check(s == 404, "another team gets no validation (%d)" % s)
    s, adv, h = call("GET", "/api/v1/advisories/%d" % aid, token=alice)
    s, b, _ = call("POST", "/api/v1/advisories/%d/publish" % aid, token=alice,
                   headers={"If-Match": h["ETag"]})
    t.check(s == 422 and b["error"]["code"] == "invalid_csaf" and
            any(f["test"] == "6.1.11" for f in b["error"]["failures"]),
            "publication refused with the validator's failures: %r" % (b,))
    s, b, _ = call("GET", "/api/v1/advisories/%d" % aid, token=alice)
    t.check(b["status"] == "draft" and b["published"] == 0, "still a draft")
    s, adv, h = call("PATCH", "/api/v1/advisories/%d" % aid,
                     {"cwes": {"CVE-2023-46136": {"id": "CWE-400",
                                                  "name": "Uncontrolled Resource Consumption"}}},
                     token=alice, headers={"If-Match": h["ETag"]})
    s, v, _ = call("GET", "/api/v1/advisories/%d/validation" % aid, token=alice)
    t.check(s == 200 and v["valid"] is True and
            not any(f["kind"] in ("schema", "mandatory") for f in v["failures"]),
            "with the CWE's name fixed the validation passes (%r)" % (v,))
    s, adv, h = call("POST", "/api/v1/advisories/%d/publish" % aid, token=vic,
                     headers={"If-Match": h["ETag"]})
    t.check(s == 403, "a viewer does not publish")
    s, adv, h = call("GET", "/api/v1/advisories/%d" % aid, token=alice)
    s, adv, h = call("POST", "/api/v1/advisories/%d/publish" % aid, token=alice,
                     headers={"If-Match": h["ETag"]})
    t.check(s == 200 and adv["status"] == "final" and adv["version"] == "1.0.0" and
            adv["published"] == 1 and len(adv["history"]) == 1, "published 1.0.0: %r" % (adv,))
    s, doc, _ = call("GET", "/api/v1/advisories/%d/csaf" % aid, token=alice)
    d = doc["document"]
    t.check(d["tracking"]["status"] == "final" and d["tracking"]["version"] == "1.0.0" and
            [r["number"] for r in d["tracking"]["revision_history"]] == ["1.0.0"] and
            d["publisher"]["name"] == "ACME PSIRT", "final document 1.0.0")
    t.check(any(a.get("names") == ["Hana Suzuki"] for a in d.get("acknowledgments", [])) and
            not any("Anonymous" in a.get("names", []) for a in d.get("acknowledgments", [])),
            "the finder who asked for credit is acknowledged, the other reporter is not")
    t.check(any(r["category"] == "self" and r["url"].startswith(
                "https://psirt.example.com/.well-known/csaf/amber/") for r in d["references"]),
            "canonical URL in the provider directory")
    v = doc["vulnerabilities"][0]
    pid1, pid2 = "CSAFPID-%d" % g1["id"], "CSAFPID-%d" % g2["id"]
    t.check(v["cve"] == "CVE-2023-46136" and v["cwe"]["id"] == "CWE-400" and
            v["product_status"].get("known_affected") == [pid1] and
            v["product_status"].get("fixed") == [pid2] and
            v["remediations"][0]["category"] == "vendor_fix" and
            v["scores"][0]["cvss_v3"]["baseScore"] == 7.5, "vulnerability: %r" % (v,))
    leaves = json.dumps(doc["product_tree"])
    t.check("pkg:generic/acme/gateway@1.0" in leaves and "cpe:2.3:h:acme:gateway:1.0" in leaves,
            "product tree with purl and cpe")
    validate(doc, "published 1.0.0")
    s, b, _ = call("POST", "/api/v1/advisories/%d/publish" % aid, token=alice)
    t.check(s == 409, "publishing an unchanged published advisory -> 409")

    # -- the fix: the case closes as fixed, the finding is resolved -------------------
    s, cs, h = call("GET", "/api/v1/cases/%d" % case["id"], token=alice)
    for step in ["triage", "remediation", "disclosure", "closed"]:
        body = {"to": step}
        if step == "closed":
            body["resolution"] = "fixed"
        s, cs, h = call("POST", "/api/v1/cases/%d/transitions" % case["id"], body, token=alice,
                        headers={"If-Match": h["ETag"]})
    t.check(s == 200 and cs["state"] == "closed", "case closed as fixed")
    s, f, _ = call("GET", "/api/v1/findings/%d" % finding["id"], token=alice)
    t.check(f["state"] == "resolved", "the finding is resolved")

    # The next revision says 1.0 is fixed now too; the history grows.
    s, adv, h = call("GET", "/api/v1/advisories/%d" % aid, token=alice)
    s, adv, h = call("PATCH", "/api/v1/advisories/%d" % aid,
                     {"revision_summary": "Fixed in every version",
                      "descriptions_ja": {"CVE-2023-46136": "Werkzeug のマルチパート解析で CPU を消費させられる"}},
                     token=alice,
                     headers={"If-Match": h["ETag"]})
    t.check(adv["status"] == "draft" and adv["version"] == "2.0.0", "draft of 2.0.0: %r" % (adv,))
    s, doc, _ = call("GET", "/api/v1/advisories/%d/csaf" % aid, token=alice)
    validate(doc, "draft of 2.0.0")
    s, adv, h = call("POST", "/api/v1/advisories/%d/publish" % aid, token=alice,
                     headers={"If-Match": h["ETag"]})
    t.check(s == 200 and adv["version"] == "2.0.0", "published 2.0.0")
    s, doc, _ = call("GET", "/api/v1/advisories/%d/csaf" % aid, token=alice)
    d = doc["document"]
    t.check([r["number"] for r in d["tracking"]["revision_history"]] == ["1.0.0", "2.0.0"] and
            d["tracking"]["initial_release_date"] == d["tracking"]["revision_history"][0]["date"],
            "revision history 1.0.0, 2.0.0")
    t.check(sorted(doc["vulnerabilities"][0]["product_status"]["fixed"]) == sorted([pid1, pid2]),
            "both versions fixed")
    validate(doc, "published 2.0.0")
    # The figures count each published revision (issue 16): one first
    # release and one update.
    s, fig, _ = call("GET", "/api/v1/statistics", token=alice)
    t.check(s == 200 and fig["totals"]["advisories"] == {"published": 2, "initial": 1, "updates": 1},
            "advisories published in the statistics: %r" % (fig.get("totals", {}).get("advisories"),))

    # -- the provider directory, walked as a CSAF downloader would ------------------
    # CSAF 2.0 section 7.1 requirements checked here: 1 (valid documents), 2 (file
    # name from the tracking id), 4 (TLP:WHITE/CLEAR public: the white feed answers
    # without login), 5 (TLP:AMBER only to authenticated, authorised callers), 6 (no
    # redirects: every fetch answers 200 directly), 7 and 9 (provider-metadata.json at
    # the well-known URL, role csaf_trusted_provider), 11 (one folder per year), 12
    # (index.txt), 13 (changes.csv), 15 (ROLIE feed per TLP label), 18 (.sha256 and
    # .sha512), 19 (OpenPGP .asc signatures with the key made at init, checked by gpg
    # --verify against the public key the metadata names) and 20 (the public key
    # published). Not here: 3 (TLS: the proxy), 8 (security.txt: intake), 10 (DNS),
    # 14/16/17 (optional).
    import hashlib
    import urllib.request as ur

    def fetch(path, token=None):
        h = {"Authorization": "Bearer " + token} if token else {}
        req = ur.Request(srv.base + path, headers=h)
        try:
            with ur.urlopen(req, timeout=30) as r:
                return r.status, r.read(), r.geturl()
        except ur.HTTPError as e:
            return e.code, e.read(), None

    local = lambda url: url.replace("https://psirt.example.com", "")
    s, raw, final = fetch("/.well-known/csaf/provider-metadata.json")
    meta = json.loads(raw)
    t.check(s == 200 and final == srv.base + "/.well-known/csaf/provider-metadata.json" and
            meta["role"] == "csaf_trusted_provider" and meta["metadata_version"] == "2.0" and
            meta["canonical_url"] == "https://psirt.example.com/.well-known/csaf/provider-metadata.json"
            and meta["publisher"]["name"] == "ACME PSIRT", "req 7/9: provider metadata %r" % (meta,))
    keys = meta.get("public_openpgp_keys") or [{}]
    fpr = keys[0].get("fingerprint", "")
    t.check(len(keys) == 1 and len(fpr) == 40 and
            keys[0].get("url") == "https://psirt.example.com/.well-known/csaf/openpgp/%s.asc" % fpr,
            "req 20: public_openpgp_keys names the key with its URL: %r" % (keys,))
    s, pub, _ = fetch(local(keys[0].get("url", "")))
    t.check(s == 200 and pub.startswith(b"-----BEGIN PGP PUBLIC KEY BLOCK-----"),
            "req 20: the public key is served without login (%d)" % s)
    verifier = tempfile.mkdtemp(prefix="xsirt-verify-")
    os.chmod(verifier, 0o700)
    genv = dict(os.environ, GNUPGHOME=verifier)
    imp = subprocess.run(["gpg", "--batch", "--import"], input=pub, env=genv, capture_output=True)
    t.check(imp.returncode == 0, "the published key imports: %s" % imp.stderr[-300:])
    s, bad, _ = fetch("/.well-known/csaf/openpgp/%s.asc" % ("0" * 40))
    t.check(s == 404, "another fingerprint -> 404")

    def verify(doc_bytes, asc_bytes):
        """gpg --verify of a detached signature; (ok, fingerprint of the signer)."""
        with open(os.path.join(verifier, "doc"), "wb") as f:
            f.write(doc_bytes)
        with open(os.path.join(verifier, "doc.asc"), "wb") as f:
            f.write(asc_bytes)
        r = subprocess.run(["gpg", "--batch", "--status-fd", "1", "--verify",
                            os.path.join(verifier, "doc.asc"), os.path.join(verifier, "doc")],
                           env=genv, capture_output=True, text=True)
        valid = [l.split()[2] for l in r.stdout.splitlines() if l.startswith("[GNUPG:] VALIDSIG")]
        return r.returncode == 0 and bool(valid), valid[0] if valid else None

    feeds = {f["tlp_label"]: f["url"] for d in meta["distributions"] if "rolie" in d
             for f in d["rolie"]["feeds"]}
    t.check(set(feeds) == {"WHITE", "GREEN", "AMBER", "RED"}, "req 15: a ROLIE feed per label")
    s, raw, _ = fetch(local(feeds["WHITE"]))
    t.check(s == 200 and json.loads(raw)["feed"]["entry"] == [], "req 4: the white feed is public")
    s, raw, _ = fetch(local(feeds["AMBER"]))
    t.check(s == 200 and json.loads(raw)["feed"]["entry"] == [],
            "req 5: an anonymous caller sees no AMBER entry")
    s, raw, _ = fetch(local(feeds["AMBER"]), token=bob)
    t.check(s == 200 and json.loads(raw)["feed"]["entry"] == [],
            "req 5: nor does a caller who may not see the case")
    s, raw, _ = fetch(local(feeds["AMBER"]), token="xsirt_nonsense")
    t.check(s == 401, "bad credentials on the provider -> 401")
    s, raw, _ = fetch(local(feeds["AMBER"]), token=alice)
    entries = json.loads(raw)["feed"]["entry"]
    t.check(s == 200 and [e["id"] for e in entries] == [adv["tracking_id"]],
            "req 15: alice's AMBER feed lists the advisory: %r" % (entries,))
    s, published, _ = call("GET", "/api/v1/advisories/%d/csaf" % aid, token=alice)
    for e in entries:
        url = [l["href"] for l in e["link"] if l["rel"] == "self"][0]
        name = adv["tracking_id"].lower().replace(" ", "_") + ".json"
        year = published["document"]["tracking"]["initial_release_date"][:4]
        t.check(url == "https://psirt.example.com/.well-known/csaf/amber/%s/%s" % (year, name),
                "req 2/11: file name and year folder: %s" % url)
        s, body, _ = fetch(local(url), token=alice)
        t.check(s == 200 and json.loads(body) == published, "req 1: the published document")
        for ext, fn in ((".sha256", hashlib.sha256), (".sha512", hashlib.sha512)):
            s, h, _ = fetch(local(url) + ext, token=alice)
            t.check(s == 200 and h.decode().split() == [fn(body).hexdigest(), name],
                    "req 18: %s matches" % ext)
        t.check(url + ".asc" in [l["href"] for l in e["link"] if l["rel"] == "signature"],
                "req 19: the feed entry links the signature")
        s, asc, _ = fetch(local(url) + ".asc", token=alice)
        ok, signer = verify(body, asc)
        t.check(s == 200 and asc.startswith(b"-----BEGIN PGP SIGNATURE-----") and ok and signer == fpr,
                "req 19: gpg --verify of the .asc against the published key (%d %s)" % (s, signer))
        ok, _ = verify(body.replace(b"ACME", b"ACMF", 1), asc)
        t.check(not ok, "req 19: the signature fails on a changed document")
        s, _, _ = fetch(local(url) + ".asc")
        t.check(s == 404, "req 5: the AMBER document's signature is not public either")
        s, _, _ = fetch(local(url))
        t.check(s == 404, "req 5: the AMBER document is not public")
        s, _, _ = fetch(local(url), token=bob)
        t.check(s == 404, "req 5: nor for another team")
        s, idx, _ = fetch("/.well-known/csaf/amber/index.txt", token=alice)
        t.check(s == 200 and idx.decode() == "%s/%s\n" % (year, name), "req 12: index.txt %r" % idx)
        s, ch, _ = fetch("/.well-known/csaf/amber/changes.csv", token=alice)
        t.check(s == 200 and ch.decode().startswith('"%s/%s","' % (year, name)), "req 13: changes.csv")
        s, idx, _ = fetch("/.well-known/csaf/amber/index.txt")
        t.check(s == 200 and idx == b"", "req 5: anonymous index.txt leaves it out")
    s, _, _ = fetch("/.well-known/csaf/amber/../../api/v1/settings")
    t.check(s in (400, 404), "no way out of the directory")

    # -- documents published before the directory had a key are signed by serve --------
    sql(data, database, "UPDATE advisories SET signature = NULL")
    s, _, _ = fetch(local(url) + ".asc", token=alice)
    t.check(s == 404, "an unsigned document has no .asc (%d)" % s)
    srv.stop()
    srv = Server(data, database).start()
    s, asc, _ = fetch(local(url) + ".asc", token=alice)
    t.check(s == 200 and verify(body, asc) == (True, fpr),
            "after a restart, serve signed the published documents that had no signature")

    # -- CVE records -------------------------------------------------------------
    s, b, _ = call("GET", "/api/v1/advisories/%d/cve" % aid, token=alice)
    t.check(s == 200 and [r["cveMetadata"]["cveId"] for r in b["records"]] == ["CVE-2023-46136"],
            "one CVE record per CVE: %r" % (b,))
    rec = b["records"][0]
    cna = rec["containers"]["cna"]
    t.check(rec["cveMetadata"]["assignerOrgId"] == "b3476cb9-2e3d-41a6-98d0-0f47421a65b6" and
            {d["lang"] for d in cna["descriptions"]} == {"en", "ja"} and
            cna["problemTypes"][0]["descriptions"][0]["cweId"] == "CWE-400" and
            cna["metrics"][0]["cvssV3_1"]["baseScore"] == 7.5 and
            cna["credits"] == [{"lang": "en", "value": "Hana Suzuki"}] and
            cna["affected"] == [{"vendor": "ACME", "product": "Gateway", "defaultStatus": "unknown",
                                 "versions": [{"version": "1.0", "status": "unaffected"},
                                              {"version": "2.0", "status": "unaffected"}]}],
            "the CNA container: %r" % (cna,))
    path = os.path.join(work, "cve.json")
    with open(path, "w") as f:
        json.dump(rec, f)
    run = subprocess.run([NODE, os.path.join(HERE, "cve5_validate.mjs"),
                          os.path.join(SHARED, "schemas", "cve5", "CVE_Record_Format_bundled.json"),
                          path], capture_output=True, text=True)
    out = json.loads(run.stdout.splitlines()[0]) if run.stdout else {"valid": False, "errors": run.stderr}
    t.check(out["valid"], "the record is valid against the CVE 5 schema (ajv): %r" % (out["errors"],))
    run = subprocess.run([XSIRT, "cve", "validate", path], capture_output=True, text=True)
    t.check(run.returncode == 0 and json.loads(run.stdout)["valid"], "xsirt cve validate agrees: %s" % run.stdout)
    # The server answers and publishes only valid records: a reference URL
    # longer than a CVE record's 2048 characters (CSAF sets no bound) is
    # refused with the schema's verdict, on reading and on publishing.
    s, adv, h = call("GET", "/api/v1/advisories/%d" % aid, token=alice)
    refs = adv["references"]
    long_ref = {"url": "https://acme.example/" + "a" * 2100, "summary": "long"}
    s, adv, h = call("PATCH", "/api/v1/advisories/%d" % aid, {"references": refs + [long_ref]},
                     token=alice, headers={"If-Match": h["ETag"]})
    t.check(s == 200, "a long reference: %d" % s)
    s, b, _ = call("GET", "/api/v1/advisories/%d/cve" % aid, token=alice)
    t.check(s == 422 and b["error"]["code"] == "invalid_cve" and
            any(f["record"] == "CVE-2023-46136" and re.fullmatch(r"/containers/cna/references/\d+/url", f["path"])
                and f["message"] == "must NOT have more than 2048 characters" for f in b["error"]["failures"]),
            "an invalid CVE record is not answered: %d %r" % (s, str(b)[:600]))
    s, b, _ = call("POST", "/api/v1/advisories/%d/publish" % aid, token=alice, headers={"If-Match": h["ETag"]})
    t.check(s == 422 and b["error"]["code"] == "invalid_cve" and
            any(f["path"].startswith("/containers/cna/references/") for f in b["error"]["failures"]),
            "publishing refuses an invalid CVE record: %d %r" % (s, str(b)[:600]))
    s, adv, h = call("GET", "/api/v1/advisories/%d" % aid, token=alice)
    t.check(adv["published"] == 2 and adv["status"] == "draft", "nothing was published")
    s, adv, h = call("PATCH", "/api/v1/advisories/%d" % aid, {"references": refs}, token=alice,
                     headers={"If-Match": h["ETag"]})
    s, b, _ = call("GET", "/api/v1/advisories/%d/cve" % aid, token=alice)
    t.check(s == 200 and len(b["records"]) == 1, "the reference fixed, the record is answered: %d" % s)
    # The title: a CVE record's is at most 256 characters (not bytes), and a
    # longer one is the schema's verdict, not a record without a title.
    title = adv["title"]
    for new_title, ok in (("脆弱性" * 50, True), ("Gateway " * 40, False)):
        s, adv, h = call("PATCH", "/api/v1/advisories/%d" % aid, {"title": new_title}, token=alice,
                         headers={"If-Match": h["ETag"]})
        s2, b, _ = call("GET", "/api/v1/advisories/%d/cve" % aid, token=alice)
        if ok:
            t.check(s == 200 and s2 == 200 and b["records"][0]["containers"]["cna"].get("title") == new_title,
                    "a title of 150 characters (450 bytes) is the record's: %d %d" % (s, s2))
        else:
            t.check(s == 200 and s2 == 422 and b["error"]["code"] == "invalid_cve" and
                    any(f["path"] == "/containers/cna/title" and
                        f["message"] == "must NOT have more than 256 characters" for f in b["error"]["failures"]),
                    "a title of 320 characters -> 422 on /containers/cna/title: %d %d %r" % (s, s2, str(b)[:400]))
    s, adv, h = call("PATCH", "/api/v1/advisories/%d" % aid, {"title": title}, token=alice,
                     headers={"If-Match": h["ETag"]})
    t.check(s == 200, "the title back")
    call("PATCH", "/api/v1/settings", {"cna_org_id": None})
    s, b, _ = call("GET", "/api/v1/advisories/%d/cve" % aid, token=alice)
    t.check(s == 409 and b["error"]["field"] == "cna_org_id", "no CNA id -> 409: %r" % (b,))
    s, b, _ = call("GET", "/api/v1/advisories/%d/cve" % aid, token=bob)
    t.check(s == 404, "CVE records of a hidden advisory -> 404")

    # -- VEX ---------------------------------------------------------------------
    s, vex, _ = call("GET", "/api/v1/assets/%d/vex?format=csaf" % g1["id"], token=alice)
    t.check(s == 200 and vex["document"]["category"] == "csaf_vex", "CSAF VEX of 1.0")
    st = {vv.get("cve", (vv.get("ids") or [{}])[0].get("text")): vv["product_status"]
          for vv in vex.get("vulnerabilities", [])}
    t.check(st.get("CVE-2023-46136", {}).get("fixed") == [pid1],
            "the VEX says 1.0's CVE-2023-46136 is fixed: %r" % (st.get("CVE-2023-46136"),))
    validate(vex, "CSAF VEX of an asset")
    s, b, _ = call("GET", "/api/v1/assets/%d/vex?format=csaf" % g1["id"], token=bob)
    t.check(s == 404, "VEX of an invisible asset -> 404")
    s, b, _ = call("GET", "/api/v1/assets/%d/vex?format=pdf" % g1["id"], token=alice)
    t.check(s == 400 and b["error"]["field"] == "format", "unknown VEX format -> 400")

    # An advisory in csaf_vex profile of the same case.
    s, av, h = call("POST", "/api/v1/advisories", {"case": case["id"], "profile": "csaf_vex",
                                                    "tracking_id": "ACME-VEX-2026-1"}, token=alice)
    t.check(s == 201 and av["tracking_id"] == "ACME-VEX-2026-1", "csaf_vex advisory")
    s, b, _ = call("POST", "/api/v1/advisories", {"case": case["id"],
                                                   "tracking_id": "ACME-VEX-2026-1"}, token=alice)
    t.check(s == 400 and b["error"]["field"] == "tracking_id", "tracking ids are unique")
    s, doc, _ = call("GET", "/api/v1/advisories/%d/csaf" % av["id"], token=alice)
    validate(doc, "csaf_vex draft")
    s, b, _ = call("GET", "/api/v1/advisories?limit=1", token=alice)
    t.check(s == 200 and len(b["items"]) == 1 and b["next"] is not None, "paged list")
    s, b, _ = call("GET", "/api/v1/advisories?limit=1&cursor=%d" % b["next"], token=alice)
    t.check(s == 200 and [a["id"] for a in b["items"]] == [av["id"]], "second page")

    s, b, _ = call("GET", "/api/v1/audit?object_type=advisory", token=admin)
    t.check(s == 200, "audit readable")
    compare_with_reference()
finally:
    srv.stop()
    cleanup(data)
    cleanup(work)
    if "verifier" in globals():
        cleanup(verifier)
t.finish()
