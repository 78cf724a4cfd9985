#!/usr/bin/env python3
"""generated.py — xsirt scan against SBOMs generated from the records themselves.

Builds one index from the shared OSV data (Go, PyPI, crates.io) and CVE 5
records, then writes a CycloneDX SBOM whose components come from the OSV
records: for a package with a single introduced/fixed pair, a component at
`introduced` must find the record and one at `fixed` must not; every version
a record lists in `versions` must find it (up to PER_LIST a list); a
withdrawn record must never be found. A record counts as found when a
finding has its id or lists it among its aliases (the scanner keeps one
finding per vulnerability).

Usage: generated.py XSIRT SHARED_DATA TMP_DIR
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report as scan_report  # noqa: E402

try:
    import yaml
except ImportError:     # without PyYAML the PyPI records are left out
    yaml = None

PER_LIST = 8
# Components per package: the Go standard library has hundreds of records,
# each matching hundreds of versions; a sample keeps the report small.
PER_PACKAGE = 40
ECOSYSTEMS = {"Go": "golang", "PyPI": "pypi", "crates.io": "cargo"}


def records(root):
    for dirpath, _, files in os.walk(root):
        for name in sorted(files):
            path = os.path.join(dirpath, name)
            if name.endswith(".json"):
                with open(path, encoding="utf-8") as f:
                    yield json.load(f)
            elif name.endswith(".yaml") and yaml is not None:
                with open(path, encoding="utf-8") as f:
                    yield yaml.safe_load(f)


def purl(eco, name, version):
    t = ECOSYSTEMS[eco]
    if t == "golang":
        version = version if version.startswith("v") else "v" + version
    enc = version.replace("%", "%25").replace("+", "%2B")
    return f"pkg:{t}/{name}@{enc}"


def spread(items, n):
    if len(items) <= n:
        return list(items)
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def plan(shared):
    """(purl, record id, expect found) triples."""
    out = []
    for sub in ("go", "pypi", "crates"):
        for r in records(os.path.join(shared, "osv", sub)):
            if not isinstance(r, dict) or "id" not in r:
                continue
            rid = r["id"]
            withdrawn = bool(r.get("withdrawn"))
            affected = [a for a in r.get("affected") or []
                        if (a.get("package") or {}).get("ecosystem") in ECOSYSTEMS]
            names = [a["package"]["name"] for a in affected]
            for a in affected:
                eco, name = a["package"]["ecosystem"], a["package"]["name"]
                ranges = [g for g in a.get("ranges") or [] if g.get("type") in ("SEMVER", "ECOSYSTEM")]
                listed = [str(v) for v in a.get("versions") or []]
                for v in spread(listed, PER_LIST):
                    out.append((purl(eco, name, v), rid, not withdrawn))
                if len(ranges) != 1:
                    continue
                ev = ranges[0].get("events") or []
                if len(ev) != 2 or "introduced" not in ev[0] or "fixed" not in ev[1]:
                    continue
                intro, fixed = str(ev[0]["introduced"]), str(ev[1]["fixed"])
                if intro != "0":
                    out.append((purl(eco, name, intro), rid, not withdrawn))
                # The fixed version must be unaffected unless the record says otherwise
                # elsewhere for the same package.
                if names.count(name) == 1 and fixed not in listed:
                    out.append((purl(eco, name, fixed), rid, False))
    return out


def main():
    xsirt, shared, tmp = sys.argv[1:4]
    os.makedirs(tmp, exist_ok=True)
    idx = os.path.join(tmp, "generated.idx")
    bom = os.path.join(tmp, "generated.cdx.json")
    subprocess.run([xsirt, "db", "build", "-q", "-o", idx, os.path.join(shared, "osv", "go"),
                    os.path.join(shared, "osv", "pypi"), os.path.join(shared, "osv", "crates"),
                    os.path.join(shared, "cve5")], check=True)
    cases, per = [], {}
    for c in plan(shared):
        key = c[0].split("@")[0]
        per[key] = per.get(key, 0) + 1
        if per[key] <= PER_PACKAGE or not c[2]:
            cases.append(c)
    comps = [{"type": "library", "bom-ref": f"c{i}", "name": p.split("/")[-1].split("@")[0],
              "purl": p} for i, (p, _, _) in enumerate(cases)]
    with open(bom, "w") as f:
        json.dump({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
                   "components": comps}, f)
    res = subprocess.run([xsirt, "scan", "--db", idx, "--format", "json", bom],
                         capture_output=True, text=True)
    if res.returncode != 0:
        print(res.stderr)
        print("0 passed, 1 failed")
        return 1
    report = scan_report.load(res.stdout)
    found = {}
    for fd in report["findings"]:
        ids = [fd["vulnerability"]["id"]] + fd["vulnerability"]["aliases"]
        found.setdefault(fd["component"]["bomRef"], set()).update(ids)
    passed = failed = 0
    kinds = {True: [0, 0], False: [0, 0]}
    for i, (p, rid, want) in enumerate(cases):
        got = rid in found.get(f"c{i}", set())
        kinds[want][0 if got == want else 1] += 1
        if got == want:
            passed += 1
        else:
            failed += 1
            if failed <= 30:
                print(f"FAIL: {p}: {rid} {'not found' if want else 'found'}")
    print(f"must find: {kinds[True][0]} ok, {kinds[True][1]} missed; "
          f"must not find: {kinds[False][0]} ok, {kinds[False][1]} false positives")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
