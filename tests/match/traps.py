#!/usr/bin/env python3
"""traps.py — targeted false-positive / false-negative cases of xsirt scan.

Builds an index from tests/match/data (hand-written OSV, CVE 5, KEV and EPSS
records about real package names), writes a CycloneDX SBOM whose components
sit exactly on the traps of each version scheme (PEP 440 local versions, Go
+incompatible and pseudo-versions, Debian epochs and distributions, Maven
qualifiers, npm pre-releases, PEP 503 names, withdrawn records, GIT ranges,
CPE matching, VEX suppression) and checks, component by component, which
records are found and which are not.

Usage: traps.py XSIRT DATA_DIR TMP_DIR
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report as scan_report  # noqa: E402

# (bom-ref, purl or None, cpe or None, must find, must not find)
CASES = [
    ("torch-local-fixed", "pkg:pypi/torch@2.0.1%2Bcu118", None, [], ["XSIRT-TEST-TORCH-1"]),
    ("torch-local-before", "pkg:pypi/torch@2.0.0%2Bcu117", None, ["XSIRT-TEST-TORCH-1"], []),
    ("torch-local-last", "pkg:pypi/torch@1.13.1%2Bcpu", None,
     ["XSIRT-TEST-TORCH-1", "XSIRT-TEST-TORCH-2"], []),
    ("torch-after-last", "pkg:pypi/torch@1.13.2", None, ["XSIRT-TEST-TORCH-1"],
     ["XSIRT-TEST-TORCH-2"]),
    ("torch-pre", "pkg:pypi/torch@2.0.1rc1", None, ["XSIRT-TEST-TORCH-1"], []),
    ("torch-post", "pkg:pypi/torch@2.0.1.post1", None, [], ["XSIRT-TEST-TORCH-1"]),
    ("pillow-listed", "pkg:pypi/pillow@9.0.1", None, ["XSIRT-TEST-PILLOW-1"], []),
    ("pillow-listed-zero", "pkg:pypi/Pillow@9.0.1.0", None, ["XSIRT-TEST-PILLOW-1"], []),
    ("pillow-unlisted", "pkg:pypi/pillow@9.0.2", None, [], ["XSIRT-TEST-PILLOW-1"]),
    ("docker-incompat-fixed", "pkg:golang/github.com/docker/docker@v20.10.11%2Bincompatible", None,
     [], ["XSIRT-TEST-DOCKER-1"]),
    ("docker-incompat-before", "pkg:golang/github.com/docker/docker@v20.10.10%2Bincompatible",
     None, ["XSIRT-TEST-DOCKER-1"], []),
    ("xnet-pseudo-before", "pkg:golang/golang.org/x/net@v0.0.0-20220906165146-f3363e06e74c", None,
     ["XSIRT-TEST-XNET-1"], []),
    ("xnet-pseudo-after", "pkg:golang/golang.org/x/net@v0.7.1-0.20230301000000-abcdefabcdef",
     None, [], ["XSIRT-TEST-XNET-1"]),
    ("xnet-fixed", "pkg:golang/golang.org/x/net@v0.7.0", None, [], ["XSIRT-TEST-XNET-1"]),
    ("systemd-before", "pkg:deb/debian/systemd@252.5-2?distro=debian-12", None,
     ["XSIRT-TEST-DEB-1"], []),
    ("systemd-epoch", "pkg:deb/debian/systemd@1:252.5-2", None, [], ["XSIRT-TEST-DEB-1"]),
    ("systemd-backport-fixed", "pkg:deb/debian/systemd@252.12-1~deb12u1", None, [],
     ["XSIRT-TEST-DEB-1"]),
    ("systemd-ubuntu", "pkg:deb/ubuntu/systemd@252.5-2", None, [], ["XSIRT-TEST-DEB-1"]),
    ("log4j-vulnerable", "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", None,
     ["XSIRT-TEST-LOG4J-1"], []),
    ("log4j-fixed", "pkg:maven/org.apache.logging.log4j/log4j-core@2.15.0", None, [],
     ["XSIRT-TEST-LOG4J-1"]),
    ("log4j-snapshot", "pkg:maven/org.apache.logging.log4j/log4j-core@2.15.0-SNAPSHOT", None,
     ["XSIRT-TEST-LOG4J-1"], []),
    ("log4j-alpha-before-beta9", "pkg:maven/org.apache.logging.log4j/log4j-core@2.0-alpha1", None,
     [], ["XSIRT-TEST-LOG4J-1"]),
    ("log4j-final-qualifier", "pkg:maven/org.apache.logging.log4j/log4j-core@2.15.0.Final", None,
     [], ["XSIRT-TEST-LOG4J-1"]),
    ("lodash-fixed", "pkg:npm/lodash@4.17.21", None, [], ["XSIRT-TEST-LODASH-1",
                                                           "XSIRT-TEST-WITHDRAWN-1"]),
    ("lodash-pre-of-introduced", "pkg:npm/lodash@4.0.0-beta.1", None, [],
     ["XSIRT-TEST-LODASH-1"]),
    ("lodash-vulnerable", "pkg:npm/lodash@4.17.20", None, ["XSIRT-TEST-LODASH-1"],
     ["XSIRT-TEST-WITHDRAWN-1"]),
    ("regex-git-eco", "pkg:cargo/regex@1.5.4", None, ["XSIRT-TEST-GITECO-1"],
     ["XSIRT-TEST-GITONLY-1"]),
    ("regex-fixed", "pkg:cargo/regex@1.5.5", None, [], ["XSIRT-TEST-GITECO-1"]),
    ("nginx-cpe", None, "cpe:2.3:a:f5:nginx:1.24.0:*:*:*:*:*:*:*", ["CVE-2099-0002"], []),
    ("nginx-cpe-fixed", None, "cpe:2.3:a:f5:nginx:1.25.3:*:*:*:*:*:*:*", [], ["CVE-2099-0002"]),
    ("nginx-other-vendor", None, "cpe:2.3:a:nginx:nginx:1.24.0:*:*:*:*:*:*:*", [],
     ["CVE-2099-0002"]),
    ("vex-suppressed", "pkg:npm/lodash@4.17.19", None, [], ["XSIRT-TEST-LODASH-1"]),
]

# Expected enrichment: id -> (kev, epss, rating)
ENRICH = {
    "XSIRT-TEST-LOG4J-1": (True, 0.97565, "critical"),
    "XSIRT-TEST-TORCH-1": (False, 0.001, "critical"),
    "XSIRT-TEST-TORCH-2": (False, None, "medium"),
    "CVE-2099-0002": (False, None, "high"),
}


def sbom():
    comps = []
    for ref, purl, cpe, _, _ in CASES:
        c = {"type": "library", "bom-ref": ref, "name": ref, "version": "0"}
        if purl:
            c["purl"] = purl
        if cpe:
            c["cpe"] = cpe
        comps.append(c)
    vulns = [{"id": "XSIRT-TEST-LODASH-1", "analysis": {"state": "not_affected",
              "justification": "code_not_reachable", "detail": "we never call it"},
              "affects": [{"ref": "vex-suppressed"}]}]
    return {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
            "components": comps, "vulnerabilities": vulns}


def main():
    xsirt, data, tmp = sys.argv[1:4]
    os.makedirs(tmp, exist_ok=True)
    idx = os.path.join(tmp, "traps.idx")
    bom = os.path.join(tmp, "traps.cdx.json")
    subprocess.run([xsirt, "db", "build", "-q", "-o", idx, data], check=True)
    with open(bom, "w") as f:
        json.dump(sbom(), f)
    out = subprocess.run([xsirt, "scan", "--db", idx, "--format", "json", "--show-suppressed",
                          bom], check=True, capture_output=True, text=True).stdout
    report = scan_report.load(out)
    found = {}
    for fd in report["findings"]:
        ids = [fd["vulnerability"]["id"]] + fd["vulnerability"]["aliases"]
        found.setdefault(fd["component"]["bomRef"], set()).update(ids)
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAIL:", what)

    for ref, purl, cpe, want, unwanted in CASES:
        got = found.get(ref, set())
        for w in want:
            check(w in got, f"{ref} ({purl or cpe}): {w} not found; found {sorted(got)}")
        for u in unwanted:
            check(u not in got, f"{ref} ({purl or cpe}): {u} found (false positive)")
    for fd in report["findings"]:
        v = fd["vulnerability"]
        if v["id"] in ENRICH:
            kev, epss, rating = ENRICH[v["id"]]
            check(v["kev"] == kev, f"{v['id']}: kev {v['kev']}, want {kev}")
            check((v["epss"] is None and epss is None) or
                  (epss is not None and v["epss"] is not None and abs(v["epss"] - epss) < 1e-6),
                  f"{v['id']}: epss {v['epss']}, want {epss}")
            check(v["severity"]["rating"] == rating,
                  f"{v['id']}: rating {v['severity']['rating']}, want {rating}")
            for c in v["severity"]["cvss"]:
                check("baseScore" in c and "vectorString" in c, f"{v['id']}: cvss object {c}")
        check(fd["range"].startswith("vers:"), f"range {fd['range']}")
        check(fd["matchedBy"] in ("purl", "cpe"), f"matchedBy {fd['matchedBy']}")
    supp = report.get("suppressed", [])
    check(len(supp) == 1 and supp[0]["component"]["bomRef"] == "vex-suppressed"
          and supp[0]["suppressedBy"]["status"] == "not_affected"
          and supp[0]["suppressedBy"]["format"] == "cyclonedx",
          f"suppressed: {json.dumps(supp)[:300]}")
    check(report["stats"]["suppressed"] == 1, f"stats.suppressed {report['stats']}")
    check(report["stats"]["components"] == len(CASES), f"stats.components {report['stats']}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
