"""report.py — reads the JSON report of `xsirt scan --format json` for the
match tests, checking the version 2 shape on the way: every finding names
its vulnerability by an id that "vulnerabilities" describes (under the same
id), and every vulnerability described is named by some finding. Gives the
report back with each finding's vulnerability resolved to its object, the
version 1 shape the tests' checks are written against.
"""
import json


def load(text):
    d = json.loads(text)
    if d.get("version") != 2:
        raise ValueError("report: expected \"version\": 2, got %r" % d.get("version"))
    vulns = d["vulnerabilities"]
    named = set()
    for arr in ("findings", "suppressed"):
        for f in d.get(arr, []):
            vid = f["vulnerability"]
            if not isinstance(vid, str) or vid not in vulns:
                raise ValueError("report: finding names %r, not in vulnerabilities" % (vid,))
            named.add(vid)
            f["vulnerability"] = vulns[vid]
    for vid, v in vulns.items():
        if v["id"] != vid:
            raise ValueError("report: vulnerabilities[%r] has id %r" % (vid, v["id"]))
    if named != set(vulns):
        raise ValueError("report: vulnerabilities no finding names: %s" % sorted(set(vulns) - named))
    return d
