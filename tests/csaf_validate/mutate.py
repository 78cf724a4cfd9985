#!/usr/bin/env python3
"""mutate.py — CSAF documents changed at random (seeded), so that the
differential test also meets documents that fail the tests, and documents of
unexpected shape, not only the valid advisories real publishers write.

    mutate.py SRC_DIR OUT_DIR COUNT [SEED]

Each mutant is a source document with one to three changes: generic ones
(a member deleted, a value replaced by one of another type, an array element
duplicated, a string swapped with another string of the document, so that
product ids are defined twice or referenced but missing) and ones aimed at
the tests (revision history, versions and status, languages, categories,
CVSS values, CWE, purls, hashes, flags). The same seed gives the same files.
"""
import copy
import json
import os
import random
import sys

ODD_VALUES = [None, 0, 1.5, -1, "", "x", [], {}, True, "CVE-2021-44228", "9999"]
LANGS = ["en", "EN-us", "xx", "qaa", "i-default", "de-DE-1996", "zh-yue", "x-foo", "en-a-bbb",
         "123", "en-US-x-twain", "sgn-BE-FR", "de-Latn-DE", "en-QM", "de-u-co-phonebk-u-ca-x",
         "es-419", "az-Arab-x-AZE-derbend", "cel-gaulish", "en--us", "", "ja-Jpan-JP-t-en"]
CATEGORIES = ["csaf_base", "csaf_vex", "csaf_security_advisory", "csaf_informational_advisory",
              "csaf_security_incident_response", "Security Advisory", "csaf_x", "vex", "VEX",
              "Informational-Advisory", "generic", "csafvex"]
VERSIONS = ["0", "1", "2", "3", "10", "1.0.0", "2.0.0-rc.1", "1.0.0+build", "0.9.0", "v1.2.3",
            "01", "1.0", "1.0.0-alpha+x", "NaN"]
STATUSES = ["draft", "final", "interim"]
DATES = ["2021-07-21T10:00:00.000Z", "2020-01-01T00:00:00+02:00", "2023-12-31T23:59:59Z",
         "2022-02-29T00:00:00Z", "2019-05-05T05:05:05-05:00", "not a date"]
PURLS = ["pkg:npm/%40angular/animation@12.3.1", "pkg:pypi/django@1.11.1", "pkg:/x", "pkg:npm",
         "purl:npm/a@1", "pkg:maven/org.apache/xmlgraphics@1.0?classifier=sources",
         "pkg:golang/google.golang.org/genproto#googleapis/api/annotations"]
CWES = [("CWE-79", "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')"),
        ("CWE-79", "Cross-site Scripting"), ("CWE-999999", "Unknown"), ("CWE-20", "Improper Input Validation")]
VECTORS3 = ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.0/AV:L/AC:H/PR:H/UI:R/S:C/C:L/I:N/A:N",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C/CR:H/MAV:L",
            "CVSS:3.1/AV:N/AC:L", "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"]
VECTORS2 = ["AV:N/AC:L/Au:N/C:P/I:P/A:P", "AV:L/AC:H/Au:M/C:N/I:N/A:C/E:F/RL:OF/RC:C/CDP:LM/TD:H/CR:L/IR:M/AR:H",
            "AV:N/AC:L/Au:N/C:N/I:N/A:N", "AV:Z/AC:L"]


def dig(value, *keys):
    """value[k1][k2]... where each step is an object; None otherwise."""
    for k in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(k)
    return value


def nodes(value, path=()):
    """Every (container, key, value) in the document."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield value, k, v
            yield from nodes(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield value, i, v
            yield from nodes(v, path + (i,))


def named(doc, name):
    return [(c, k, v) for c, k, v in nodes(doc) if k == name]


def set_some(rng, doc, name, choices):
    found = named(doc, name)
    if found:
        c, k, _ = rng.choice(found)
        c[k] = rng.choice(choices)
        return True
    return False


def m_delete(rng, doc):
    found = [(c, k) for c, k, _ in nodes(doc) if isinstance(c, dict)]
    if found:
        c, k = rng.choice(found)
        del c[k]


def m_retype(rng, doc):
    found = list(nodes(doc))
    if found:
        c, k, _ = rng.choice(found)
        c[k] = copy.deepcopy(rng.choice(ODD_VALUES))


def m_duplicate(rng, doc):
    found = [v for _, _, v in nodes(doc) if isinstance(v, list) and v]
    if found:
        lst = rng.choice(found)
        lst.append(copy.deepcopy(rng.choice(lst)))


def m_swap_string(rng, doc):
    strings = [(c, k, v) for c, k, v in nodes(doc) if isinstance(v, str)]
    ids = [s for s in strings if s[1] in ("product_id", "group_id", "product_reference",
                                          "relates_to_product_reference") or
           isinstance(s[0], list)]
    pool = ids if ids and rng.random() < 0.8 else strings
    if len(pool) >= 2:
        (c, k, _), (_, _, v) = rng.sample(pool, 2)
        c[k] = v


def m_revisions(rng, doc):
    hist = dig(doc, "document", "tracking", "revision_history")
    if not isinstance(hist, list) or not hist:
        return
    what = rng.randrange(5)
    if what == 0:
        rng.shuffle(hist)
    elif what in (1, 2):
        entry = rng.choice(hist)
        if isinstance(entry, dict):
            entry["number" if what == 1 else "date"] = rng.choice(VERSIONS if what == 1 else DATES)
    elif what == 3:
        hist.append(copy.deepcopy(rng.choice(hist)))
    else:
        hist.reverse()


def m_tracking(rng, doc):
    t = dig(doc, "document", "tracking")
    if isinstance(t, dict):
        t[rng.choice(["version", "status", "initial_release_date", "current_release_date"])] = \
            rng.choice(VERSIONS + STATUSES + DATES)


def m_lang(rng, doc):
    d = dig(doc, "document")
    if isinstance(d, dict):
        d[rng.choice(["lang", "source_lang"])] = rng.choice(LANGS)
        if rng.random() < 0.3:
            if isinstance(d.setdefault("publisher", {}), dict):
                d["publisher"]["category"] = "translator"


def m_category(rng, doc):
    d = dig(doc, "document")
    if isinstance(d, dict):
        d["category"] = rng.choice(CATEGORIES)


def m_cvss(rng, doc):
    key = rng.choice(["baseScore", "temporalScore", "environmentalScore", "baseSeverity",
                      "attackVector", "accessVector", "vectorString", "version", "scope"])
    choices = {"baseScore": [0, 5.3, 9.8, 10, 7.5], "temporalScore": [0, 9.1],
               "environmentalScore": [0, 4.4, 9.8], "baseSeverity": ["HIGH", "LOW", "NONE"],
               "attackVector": ["NETWORK", "LOCAL"], "accessVector": ["NETWORK", "LOCAL"],
               "vectorString": VECTORS3 + VECTORS2, "version": ["3.0", "3.1", "2.0"],
               "scope": ["CHANGED", "UNCHANGED"]}[key]
    set_some(rng, doc, key, choices)


def m_cwe(rng, doc):
    vulns = dig(doc, "vulnerabilities")
    for v in vulns if isinstance(vulns, list) else []:
        if isinstance(v, dict) and rng.random() < 0.5:
            i, n = rng.choice(CWES)
            v["cwe"] = {"id": i, "name": n}


def m_purl(rng, doc):
    found = named(doc, "product_identification_helper")
    if found:
        c, k, v = rng.choice(found)
        if isinstance(v, dict):
            v["purl"] = rng.choice(PURLS)


def m_hash(rng, doc):
    found = named(doc, "product")
    if found:
        c, k, v = rng.choice(found)
        if isinstance(v, dict):
            algs = rng.choice([["md5"], ["sha1"], ["md5", "md5"], ["sha256", "md5"], ["sha1", "sha256"]])
            pih = v.setdefault("product_identification_helper", {})
            if not isinstance(pih, dict):
                return
            pih["hashes"] = [{
                "filename": "a.bin",
                "file_hashes": [{"algorithm": a, "value": "0" * 40} for a in algs]}]


def m_refs(rng, doc):
    vulns = dig(doc, "vulnerabilities")
    ids = [v for _, k, v in nodes(doc) if k == "product_id" and isinstance(v, str)]
    if not isinstance(vulns, list) or not vulns or not ids:
        return
    v = rng.choice(vulns)
    if not isinstance(v, dict):
        return
    what = rng.randrange(4)
    pid = rng.choice(ids + ["CSAFPID-MISSING"])
    for key in ("flags", "remediations", "product_status", "involvements"):
        if key in v and not isinstance(v[key], (list, dict)):
            return
    if what == 0:
        v.setdefault("flags", []).append({"label": "component_not_present",
                                          "product_ids": [pid]} if rng.random() < 0.8 else
                                         {"label": "component_not_present"})
    elif what == 1:
        v.setdefault("remediations", []).append({"category": "vendor_fix", "details": "x",
                                                 "product_ids": [pid]} if rng.random() < 0.8 else
                                                {"category": "vendor_fix", "details": "x"})
    elif what == 2:
        ps = v.setdefault("product_status", {})
        if isinstance(ps, dict):
            ps.setdefault(rng.choice(["known_affected", "fixed", "known_not_affected",
                                      "under_investigation"]), []).append(pid)
    else:
        v.setdefault("involvements", []).append({"party": "vendor", "status": "completed",
                                                 "date": DATES[0]})
        v["involvements"].append({"party": "vendor", "status": "open", "date": DATES[0]})


def m_cycle(rng, doc):
    rels = dig(doc, "product_tree", "relationships")
    if isinstance(rels, list) and rels:
        r = rng.choice(rels)
        other = r if rng.random() < 0.5 else rng.choice(rels)
        pid = dig(other, "full_product_name", "product_id")
        if isinstance(r, dict) and pid is not None:
            r[rng.choice(["product_reference", "relates_to_product_reference"])] = pid


def m_same_lang(rng, doc):
    d = dig(doc, "document")
    if isinstance(d, dict) and "lang" in d:
        d["source_lang"] = d["lang"]


def m_ids(rng, doc):
    vulns = dig(doc, "vulnerabilities")
    if isinstance(vulns, list) and vulns and isinstance(vulns[0], dict):
        v = rng.choice(vulns)
        if isinstance(v, dict):
            v["ids"] = [{"system_name": "x", "text": rng.choice(["CVE-2020-1234", "X-1", "CVE-20-1"])}]


def m_cvss_property(rng, doc):
    found = [v for c, k, v in nodes(doc) if k in ("cvss_v3", "cvss_v2") and isinstance(v, dict)]
    if found:
        cvss = rng.choice(found)
        if str(cvss.get("version", "")).startswith("3"):
            cvss[rng.choice(["attackVector", "scope", "privilegesRequired"])] = rng.choice(
                ["NETWORK", "LOCAL", "CHANGED", "UNCHANGED", "NONE", "HIGH"])
        else:
            cvss[rng.choice(["accessVector", "authentication"])] = rng.choice(
                ["NETWORK", "LOCAL", "NONE", "SINGLE"])


MUTATIONS = [m_cycle, m_same_lang, m_ids, m_cvss_property, m_delete, m_retype, m_duplicate, m_swap_string, m_revisions, m_tracking, m_lang,
             m_category, m_cvss, m_cwe, m_purl, m_hash, m_refs]


def generate(sources, out, count, seed):
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    written = []
    for i in range(count):
        src = rng.choice(sources)
        with open(src, encoding="utf-8") as f:
            doc = json.load(f)
        for _ in range(rng.randint(1, 3)):
            rng.choice(MUTATIONS)(rng, doc)
        path = os.path.join(out, "mutant-%04d.json" % i)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False)
        written.append(path)
    return written


def main():
    src, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    sources = sorted(os.path.join(r, n) for r, _, ns in os.walk(src) for n in ns
                     if n.endswith(".json") and n != "testcases.json" and "TEMPLATE" not in n)
    generate(sources, out, count, seed)


if __name__ == "__main__":
    main()
