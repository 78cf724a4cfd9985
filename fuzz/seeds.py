#!/usr/bin/env python3
"""seeds.py — extract small fuzz seeds from ../shared/data.

Usage: seeds.py TARGET SHARED_DATA OUTDIR

Whole-file parsers replay the shared data directly; line parsers (purl,
versions, vers, CPE, CVSS) get one file per input, extracted here from the
official test suites, so the fuzzers start from real identifiers. Each
target is a function below; add one beside its fuzz_TARGET.c.
"""
import json
import os
import sys
import hashlib

SEEDS = {}


def seed(name):
    def register(fn):
        SEEDS[name] = fn
        return fn
    return register


def json_strings(value):
    """Every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from json_strings(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from json_strings(v)


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def walk(root, suffix=""):
    for dirpath, _, files in os.walk(root):
        for f in sorted(files):
            if f.endswith(suffix):
                yield os.path.join(dirpath, f)


# Seed functions are added here by each parser (see fuzz/CMakeLists.txt).


@seed("purl")
def purl_seeds(data):
    """Every string of the purl-spec test suite (inputs and outputs)."""
    for path in walk(os.path.join(data, "purl", "tests"), ".json"):
        for test in load_json(path).get("tests", []):
            for s in json_strings([test.get("input"), test.get("expected_output")]):
                if "pkg:" in s or s.startswith("pkg"):
                    yield s


@seed("vers")
def vers_seeds(data):
    """vers strings of the vers-spec suite and univers' range tests, also
    rewritten to the generic scheme so that they parse before the other
    version schemes exist."""
    roots = [os.path.join(data, "vers", "tests"),
             os.path.join(data, "versions", "univers", "schema", "range")]
    seen = set()
    for root in roots:
        for path in walk(root, ".json"):
            doc = load_json(path)
            tests = doc if isinstance(doc, list) else doc.get("tests", [])
            for test in tests:
                for s in json_strings([test.get("input"), test.get("expected_output")]):
                    if not s.startswith("vers:") or s in seen:
                        continue
                    seen.add(s)
                    yield s
                    slash = s.find("/")
                    if slash > 0:
                        yield "vers:generic" + s[slash:]


@seed("vers_native")
def vers_native_seeds(data):
    """native_range strings of the from_native tests, each prefixed by the
    byte that selects its scheme in fuzz_vers_native.c (the order of
    xsirt_vers_native_scheme_at)."""
    schemes = ["npm", "pypi", "gem", "nuget", "maven", "composer", "conan", "golang", "cargo"]
    roots = [os.path.join(data, "vers", "tests"),
             os.path.join(data, "versions", "univers", "schema", "range")]
    seen = set()
    for root in roots:
        for path in walk(root, ".json"):
            doc = load_json(path)
            tests = doc if isinstance(doc, list) else doc.get("tests", [])
            for test in tests:
                i = test.get("input")
                if test.get("test_type") != "from_native" or not isinstance(i, dict):
                    continue
                if i.get("scheme") not in schemes or (i["scheme"], i["native_range"]) in seen:
                    continue
                seen.add((i["scheme"], i["native_range"]))
                yield chr(schemes.index(i["scheme"])) + i["native_range"]


@seed("cpe")
def cpe_seeds(data):
    """CPE names from the CSAF and CycloneDX/SPDX documents of the shared data."""
    import re
    pattern = re.compile(r'cpe:(?:2\.3:[^"\s<]+|/[^"\s<]+)')
    seen = set()
    for sub in ("csaf", "sbom"):
        for path in walk(os.path.join(data, sub)):
            try:
                with open(path, encoding="utf-8", errors="replace") as f:
                    text = f.read(4 * 1024 * 1024)
            except OSError:
                continue
            for m in pattern.findall(text):
                if m not in seen and len(seen) < 5000:
                    seen.add(m)
                    yield m

@seed("version_a")
def seed_version_a(data):
    """Real versions from the OSV data (Go, crates.io JSON; PyPI YAML read
    line by line, as the default python3 may lack a YAML module), one
    seed per version for a sample, plus neighbouring pairs "A<TAB>B"."""
    import re
    found = set()
    for eco in ("go", "crates"):
        for path in walk(os.path.join(data, "osv", eco), ".json"):
            try:
                doc = load_json(path)
            except ValueError:
                continue
            for a in doc.get("affected") or []:
                found.update(str(v) for v in a.get("versions") or [])
                for r in a.get("ranges") or []:
                    for e in r.get("events") or []:
                        found.update(str(v) for v in e.values())
    item = re.compile(r'^\s*-?\s*(?:introduced|fixed|last_affected|limit)?:?\s*"?([0-9][^"\s]*)"?\s*$')
    for path in walk(os.path.join(data, "osv", "pypi"), ".yaml"):
        with open(path, encoding="utf-8") as f:
            for line in f:
                m = item.match(line)
                if m:
                    found.add(m.group(1))
    ordered = sorted(found)
    for v in ordered[::8]:
        yield v
        yield "v" + v
    for a, b in zip(ordered[::16], ordered[1::16]):
        yield a + "\t" + b


@seed("version_b")
def version_b(data):
    """Scheme byte (order of fuzz_version_b.c) + "A\nB" pairs from apk's,
    rpm's and conan's own test data, and real OSV versions for every
    scheme."""
    import re
    schemes = ["deb", "rpm", "apk", "gem", "composer", "hex", "pub", "conan"]
    idx = {name: chr(i) for i, name in enumerate(schemes)}
    univers = os.path.join(data, "versions", "univers")
    with open(os.path.join(univers, "alpine_test.txt"), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                yield idx["apk"] + parts[0] + "\n" + parts[2]
    with open(os.path.join(univers, "rpmvercmp.at"), encoding="utf-8") as f:
        for m in re.finditer(r"^RPMVERCMP\(([^,]*), ([^,]*), ", f.read(), re.M):
            yield idx["rpm"] + m.group(1) + "\n" + m.group(2)
    conan = load_json(os.path.join(data, "vers", "tests", "conan_version_cmp_test.json"))
    for t in conan["tests"]:
        yield idx["conan"] + "\n".join(t["input"]["versions"])
    versions = set()
    for path in walk(os.path.join(data, "osv"), ".json"):
        for aff in load_json(path).get("affected", []):
            for r in aff.get("ranges", []):
                for ev in r.get("events", []):
                    versions.update(v for k, v in ev.items() if k != "limit")
        if len(versions) > 400:
            break
    versions = sorted(versions)
    for i, v in enumerate(versions):
        name = schemes[i % len(schemes)]
        yield idx[name] + v + "\n" + versions[(i * 7 + 3) % len(versions)]
    extra = {
        "deb": ["1:1.0-1", "1.0~rc1+dfsg-2ubuntu1", "2:1.0\n1.0~"],
        "rpm": ["1:1.0^git1-1.el9", "1.0~rc1\n1.0"],
        "gem": ["1.0.0.pre.rc1", "1.0-a-b\n1.0.a"],
        "composer": ["v1.0.0-beta1-dev", "2010-01-02-RC1\n1.x-dev", "1.0 as 2.0@dev"],
        "hex": ["1.0.0-alpha.1+build.5\n1.0.0-alpha.beta"],
        "pub": ["1.0.0-0x10+build.1\n1.0.0--1"],
        "conan": ["1.0-pre.1+b.2\n1.0-pre.1"],
    }
    for name, items in extra.items():
        for v in items:
            yield idx[name] + v
# SBOM readers: small CycloneDX documents cut out of the shared examples (the
# first components, their dependencies) and one VEX statement about them.
def _cdx_small(d, keep):
    d = dict(d)
    comps = (d.get("components") or [])[:keep]
    refs = {c.get("bom-ref") for c in comps}
    d["components"] = comps
    d["dependencies"] = [dep for dep in d.get("dependencies") or []
                         if dep.get("ref") in refs][:keep]
    if comps and comps[0].get("bom-ref"):
        d["vulnerabilities"] = [{
            "id": "CVE-2021-44228", "source": {"name": "NVD"},
            "ratings": [{"score": 10.0, "method": "CVSSv31",
                         "vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"}],
            "affects": [{"ref": comps[0]["bom-ref"]}],
            "analysis": {"state": "not_affected", "response": ["update"]}}]
    return d


@seed("sbom_cyclonedx_json")
def seed_sbom_cyclonedx_json(data):
    for path in walk(os.path.join(data, "sbom", "cyclonedx"), ".json"):
        d = load_json(path)
        for keep in (1, 3):
            yield json.dumps(_cdx_small(d, keep), indent=1)


@seed("sbom_cyclonedx_xml")
def seed_sbom_cyclonedx_xml(data):
    import xml.etree.ElementTree as ET
    for path in walk(os.path.join(data, "sbom", "cyclonedx"), ".xml"):
        root = ET.parse(path).getroot()
        if not root.tag.startswith("{http://cyclonedx.org/schema/bom/"):
            continue
        ns = root.tag[:root.tag.index("}") + 1]
        ET.register_namespace("", ns[1:-1])
        for parent in (root.find(ns + "components"), root.find(ns + "dependencies")):
            if parent is not None:
                for extra in list(parent)[3:]:
                    parent.remove(extra)
        yield ET.tostring(root, encoding="unicode")
@seed("epss")
def seed_epss(data):
    """Small EPSS CSV files made from the KEV catalog's CVE ids (there is
    no EPSS file in the shared data), plus a few malformed variants."""
    kev = load_json(os.path.join(data, "kev", "known_exploited_vulnerabilities.json"))
    ids = [v["cveID"] for v in kev["vulnerabilities"]]
    head = "#model_version:v2023.03.01,score_date:2024-01-01T00:00:00+0000\ncve,epss,percentile\n"
    for start in range(0, min(len(ids), 400), 40):
        rows = ["%s,%.5f,%.5f" % (c, (i * 37 % 1000) / 1000.0, (i * 11 % 1000) / 1000.0)
                for i, c in enumerate(ids[start:start + 40])]
        yield head + "\n".join(rows) + "\n"
    yield head.replace("\n", "\r\n") + "%s,1.5e-05,0.00100\r\n" % ids[0]
    yield "cve,epss,percentile\n%s,0.5\n" % ids[0]
    yield "cve,epss,percentile\n%s,1.2,0.3\n" % ids[0]


@seed("archive")
def seed_archive(data):
    """Zips and tarballs of a few OSV records, as OSV's all.zip holds them."""
    import io
    import tarfile
    import zipfile
    files = sorted(walk(os.path.join(data, "osv", "go"), ".json"))[:30]
    files += sorted(walk(os.path.join(data, "osv", "pypi"), ".yaml"))[:10]
    for i in range(0, len(files), 8):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in files[i:i + 8]:
                zf.write(p, os.path.basename(p))
        yield buf.getvalue()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for p in files[:5]:
            tf.add(p, os.path.basename(p))
    yield buf.getvalue()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("dir/", b"")
        zf.writestr("dir/empty.json", b"")
    yield buf.getvalue()
@seed("cvss")
def cvss(data):
    """Every vector of the CVSS test suites (cvss/vectors/vectors_*)."""
    seen = set()
    for path in walk(os.path.join(data, "cvss", "vectors")):
        if not os.path.basename(path).startswith("vectors_"):
            continue
        with open(path, encoding="utf-8") as f:
            for line in f:
                vector = line.split(" - ", 1)[0].strip()
                if vector and vector not in seen:
                    seen.add(vector)
                    yield vector


@seed("report")
def report_seeds(data):
    """Findings JSON in the shape of `xsirt scan --format json`, one seed
    per CycloneDX JSON SBOM (a few of its purls), with every optional field,
    suppressions and hostile strings."""
    cvss = [{"version": "3.1", "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
             "baseScore": 9.8, "baseSeverity": "CRITICAL"},
            {"version": "2.0", "vectorString": "AV:N/AC:L/Au:N/C:P/I:P/A:P", "baseScore": 7.5}]
    n = 0
    for path in walk(os.path.join(data, "sbom", "cyclonedx"), ".json"):
        try:
            doc = load_json(path)
        except ValueError:
            continue
        findings = []
        for i, c in enumerate(c for c in doc.get("components", []) if "purl" in c):
            if i >= 4:
                break
            f = {"component": {"name": c.get("name"), "version": c.get("version"),
                               "purl": c["purl"], "bomRef": c.get("bom-ref")},
                 "vulnerability": {"id": "CVE-2024-%04d" % (n % 3), "aliases": ["GHSA-x-%d" % i],
                                   "summary": "s <b>%d</b> [l](javascript:x)" % i,
                                   "severity": {"cvss": cvss[i % 2:], "rating": "high"},
                                   "kev": i % 2 == 0, "epss": 0.1, "fixed": ["9.9.9"],
                                   "cwes": ["CWE-79"]},
                 "matchedBy": "purl", "range": "vers:generic/<9.9.9"}
            if i == 3:
                f["suppressedBy"] = {"status": "not_affected",
                                     "justification": "component_not_present"}
            findings.append(f)
            n += 1
        yield json.dumps({"findings": findings, "stats": {}})
    yield json.dumps({"findings": [{"component": {"name": "\u0001\"<x>"},
                                    "vulnerability": {"id": "../\u00e9 x", "aliases": [1, None],
                                                      "severity": {"cvss": [{"version": "4.0",
                                                                             "baseScore": 11}]}}}]})
    yield json.dumps({"findings": []})


@seed("index")
def seed_index(data):
    """Small valid indexes, built by `xsirt db build` (the binary beside the
    build's fuzz/corpus folder, or $XSIRT) from a few records of each format
    and from tests/match/data."""
    import subprocess
    import tempfile
    out = os.path.abspath(sys.argv[3])
    xsirt = os.environ.get("XSIRT") or os.path.join(os.path.dirname(os.path.dirname(
        os.path.dirname(out))), "xsirt")
    here = os.path.dirname(os.path.abspath(__file__))
    groups = [
        sorted(walk(os.path.join(data, "osv", "go"), ".json"))[:3],
        sorted(walk(os.path.join(data, "osv", "pypi"), ".yaml"))[:3],
        sorted(walk(os.path.join(data, "osv", "crates"), ".json"))[:2],
        sorted(walk(os.path.join(data, "cve5"), ".json"))[:2],
        sorted(walk(os.path.join(data, "csaf", "oasis-2.0", "examples"), ".json"))[:2],
        [os.path.join(here, "..", "tests", "match", "data")],
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for i, files in enumerate(groups):
            idx = os.path.join(tmp, "%d.idx" % i)
            if not files or subprocess.run([xsirt, "db", "build", "-q", "-o", idx] + files,
                                           stderr=subprocess.DEVNULL).returncode != 0:
                continue
            with open(idx, "rb") as f:
                yield f.read()


def _cisa_products(data):
    """(vendor, product, version text) of every product of the CISA set."""
    def walk_branches(branches, path):
        for b in branches or []:
            p = path + [(b.get("category"), b.get("name"))]
            if "product" in b:
                d = dict(p)
                yield (d.get("vendor") or "", d.get("product_name") or "",
                       d.get("product_version_range", d.get("product_version")) or "")
            yield from walk_branches(b.get("branches"), p)
    for path in walk(os.path.join(data, "csaf", "cisa"), ".json"):
        try:
            doc = load_json(path)
        except ValueError:
            continue
        yield from walk_branches(doc.get("product_tree", {}).get("branches"), [])


@seed("cisa_vers")
def cisa_vers_seeds(data):
    """Every distinct version text of the CISA set, TEXT<TAB>PRODUCT."""
    seen = set()
    for v, p, t in _cisa_products(data):
        if t and (t, p) not in seen:
            seen.add((t, p))
            yield t + "\t" + p


@seed("inventory")
def inventory_seeds(data):
    """Inventories of 20 devices from the CISA set, the first byte choosing
    fuzz_inventory.c's encoding argument: UTF-8, UTF-8 with BOM (auto) and
    Shift_JIS (with Japanese headers when the names can be encoded)."""
    rows = [r for r in _cisa_products(data) if r[2]]
    for i in range(0, min(len(rows), 2000), 20):
        chunk = rows[i:i + 20]
        def csv_text(header):
            lines = [header]
            for v, p, t in chunk:
                lines.append(",".join('"%s"' % x.replace('"', '""') for x in (v, p, t)))
            return "\r\n".join(lines) + "\r\n"
        yield b"\x01" + csv_text("vendor,product,version").encode("utf-8")
        yield b"\x03" + b"\xef\xbb\xbf" + csv_text("Manufacturer,Model,Firmware Version").encode()
        try:
            yield b"\x02" + csv_text("メーカー,型式,バージョン").encode("cp932")
        except UnicodeEncodeError:
            pass


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in SEEDS:
        sys.exit("usage: seeds.py {%s} SHARED_DATA OUTDIR" % ",".join(sorted(SEEDS)))
    target, data, out = sys.argv[1:]
    os.makedirs(out, exist_ok=True)
    count = 0
    for s in SEEDS[target](data):
        b = s.encode("utf-8") if isinstance(s, str) else s
        name = hashlib.sha1(b).hexdigest()[:16]
        with open(os.path.join(out, name), "wb") as f:
            f.write(b)
        count += 1
    print("%s: %d seeds in %s" % (target, count, out))
    if count == 0:
        sys.exit("no seeds found: is %s the shared data?" % data)


if __name__ == "__main__":
    main()

