#!/usr/bin/env python3
"""order.py — what the scanner does after matching: one finding per
vulnerability (alias dedupe), findings ordered by severity, versions found
in long sorted lists (exactly, and case-insensitively for PyPI).

Records are written here (OSV JSON) so that each case is beside its check.

Usage: order.py XSIRT TMP_DIR
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report as scan_report  # noqa: E402

V3 = {"critical": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
      "high": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
      "medium": "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:U/C:L/I:L/A:N",
      "low": "CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"}


def rec(rid, eco, name, events=None, versions=None, aliases=(), sev=None):
    aff = {"package": {"ecosystem": eco, "name": name}}
    if events is not None:
        aff["ranges"] = [{"type": "ECOSYSTEM", "events": events}]
    if versions is not None:
        aff["versions"] = versions
    r = {"id": rid, "modified": "2024-01-01T00:00:00Z", "aliases": list(aliases),
         "affected": [aff]}
    if sev:
        r["severity"] = [{"type": "CVSS_V3", "score": V3[sev]}]
    return r


ALL = [{"introduced": "0"}]
RECORDS = [
    # GO-style record listing the CVE; the CVE record itself: one finding.
    rec("XSIRT-DUP-GO", "Go", "example.com/dup", ALL, aliases=["XSIRT-DUP-CVE"]),
    rec("XSIRT-DUP-CVE", "Go", "example.com/dup", ALL),
    # Two records listing each other: the first (in the index) stays; rated
    # low, it sorts before the unrated GO record.
    rec("XSIRT-MUT-A", "Go", "example.com/dup", ALL, aliases=["XSIRT-MUT-B"], sev="low"),
    rec("XSIRT-MUT-B", "Go", "example.com/dup", ALL, aliases=["XSIRT-MUT-A"], sev="low"),
    # Severity order: critical, high, medium, then unrated.
    rec("XSIRT-SEV-M", "npm", "sevpkg", ALL, sev="medium"),
    rec("XSIRT-SEV-C", "npm", "sevpkg", ALL, sev="critical"),
    rec("XSIRT-SEV-U", "npm", "sevpkg", ALL),
    rec("XSIRT-SEV-H", "npm", "sevpkg", ALL, sev="high"),
    # Long lists, only versions (no range): exact text, and PyPI any case.
    rec("XSIRT-LIST-NPM", "npm", "listpkg",
        versions=["1.0.%d" % i for i in range(300)] + ["2.0.0-RC.1"]),
    rec("XSIRT-LIST-PYPI", "PyPI", "legacy-pkg",
        versions=["0.%d" % i for i in range(200)] + ["1.0-Legacy.X"]),
]

# (bom-ref, purl, the ids of the findings in order)
CASES = [
    ("dup", "pkg:golang/example.com/dup@v1.0.0", ["XSIRT-MUT-A", "XSIRT-DUP-GO"]),
    ("sev", "pkg:npm/sevpkg@1.0.0", ["XSIRT-SEV-C", "XSIRT-SEV-H", "XSIRT-SEV-M", "XSIRT-SEV-U"]),
    ("list-first", "pkg:npm/listpkg@1.0.0", ["XSIRT-LIST-NPM"]),
    ("list-last", "pkg:npm/listpkg@1.0.299", ["XSIRT-LIST-NPM"]),
    ("list-middle", "pkg:npm/listpkg@1.0.150", ["XSIRT-LIST-NPM"]),
    ("list-case", "pkg:npm/listpkg@2.0.0-RC.1", ["XSIRT-LIST-NPM"]),
    ("list-other-case", "pkg:npm/listpkg@2.0.0-rc.1", []),
    ("list-absent", "pkg:npm/listpkg@1.0.300", []),
    ("pypi-list", "pkg:pypi/legacy-pkg@0.199", ["XSIRT-LIST-PYPI"]),
    ("pypi-list-case", "pkg:pypi/legacy-pkg@1.0-legacy.x", ["XSIRT-LIST-PYPI"]),
    ("pypi-list-absent", "pkg:pypi/legacy-pkg@0.200", []),
]


def main():
    xsirt, tmp = sys.argv[1:3]
    data = os.path.join(tmp, "records")
    os.makedirs(data, exist_ok=True)
    for r in RECORDS:
        with open(os.path.join(data, r["id"] + ".json"), "w") as f:
            json.dump(r, f)
    idx, bom = os.path.join(tmp, "order.idx"), os.path.join(tmp, "order.cdx.json")
    subprocess.run([xsirt, "db", "build", "-q", "-o", idx, data], check=True)
    comps = [{"type": "library", "bom-ref": ref, "name": ref, "version": "0", "purl": purl}
             for ref, purl, _ in CASES]
    with open(bom, "w") as f:
        json.dump({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
                   "components": comps}, f)
    out = subprocess.run([xsirt, "scan", "--db", idx, "--format", "json", bom],
                         check=True, capture_output=True, text=True).stdout
    report = scan_report.load(out)
    got = {}
    for fd in report["findings"]:
        got.setdefault(fd["component"]["bomRef"], []).append(fd)
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAIL:", what)

    for ref, purl, want in CASES:
        ids = [fd["vulnerability"]["id"] for fd in got.get(ref, [])]
        check(ids == want, f"{ref} ({purl}): findings {ids}, want {want}")
    dup = {fd["vulnerability"]["id"]: fd for fd in got.get("dup", [])}
    if "XSIRT-DUP-GO" in dup:
        check("XSIRT-DUP-CVE" in dup["XSIRT-DUP-GO"]["vulnerability"]["aliases"],
              "the kept finding names the dropped one among its aliases")
    for fd in got.get("list-case", []):
        check(fd["range"] == "vers:npm/2.0.0-RC.1", f"exact range {fd['range']}")
    for fd in got.get("pypi-list-case", []):
        check(fd["range"] == "vers:pypi/1.0-Legacy.X", f"listed text {fd['range']}")
    check(report["stats"]["findings"] == sum(len(w) for _, _, w in CASES),
          f"stats.findings {report['stats']['findings']}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
