#!/usr/bin/env python3
"""compare.py GO_RECORDS_DIR SCHEMA — `xsirt cve validate` against ajv
(tests/server/cve5_validate.mjs, the reference the advisory test uses), on
valid and broken CVE JSON 5 records, record by record.

The records: the Go vulnerability database's CVE records with the two
fields the CVE service fills in (cveMetadata.state, assignerOrgId), which
makes them valid; hand-made breakages that each aim at one rule of the
schema (the English description `contains`, the `x_` patternProperties of
the CNA container, additionalProperties, patterns, formats, oneOf);
and seeded random mutations of every record. Both validators must give
the same verdict on each, and `xsirt cve validate` must exit 0 on the valid
ones and 1 on a batch holding an invalid one.
"""
import copy
import json
import os
import random
import subprocess
import sys
import tempfile

go_dir, schema = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
xsirt = os.environ["XSIRT"]
node = os.environ.get("XSIRT_NODE", "node")
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


def fixed(rec):
    rec = copy.deepcopy(rec)
    rec["cveMetadata"]["state"] = "PUBLISHED"
    rec["cveMetadata"]["assignerOrgId"] = rec["containers"]["cna"]["providerMetadata"]["orgId"]
    return rec


# each: (name, function changing a valid record, the verdict it must get)
def drop_english(r):
    r["containers"]["cna"]["descriptions"][0]["lang"] = "de"


def x_member(r):
    r["containers"]["cna"]["x_generator"] = {"engine": "xsirt"}


def other_member(r):
    r["containers"]["cna"]["generator"] = {"engine": "xsirt"}


def dotted_x(r):
    r["containers"]["cna"]["x_a.b"] = 1


def bad_id(r):
    r["cveMetadata"]["cveId"] = "CVE-26-1"


def bad_org(r):
    r["cveMetadata"]["assignerOrgId"] = "not-a-uuid"


def bad_date(r):
    r["cveMetadata"]["datePublished"] = "2026-02-30T00:00:00Z"


def good_date(r):
    r["cveMetadata"]["datePublished"] = "2026-02-28T10:00:00Z"


def no_state(r):
    del r["cveMetadata"]["state"]


def rejected(r):
    r["cveMetadata"]["state"] = "REJECTED"


def empty_affected(r):
    r["containers"]["cna"]["affected"] = []


def extra_top(r):
    r["extra"] = True


def bad_ref(r):
    r["containers"]["cna"]["references"] = [{"url": "not a uri"}]


def two_english(r):
    r["containers"]["cna"]["descriptions"].append({"lang": "ja", "value": "日本語の説明"})


CASES = [(drop_english, False), (x_member, True), (other_member, False), (dotted_x, False),
         (bad_id, False), (bad_org, False), (bad_date, False), (good_date, True),
         (no_state, False), (rejected, False), (empty_affected, False), (extra_top, False),
         (bad_ref, False), (two_english, True)]

VALUES = [None, True, 0, -1, 1.5, "", "x", "CVE-2026-1234", "en", [], {}, [{}], {"lang": "en"},
          "2026-01-01T00:00:00Z", "https://example.org", "\u00e9" * 5]


def paths(v, at=()):
    yield at
    if isinstance(v, dict):
        for k, x in v.items():
            yield from paths(x, at + (k,))
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from paths(x, at + (i,))


def mutate(rec, rnd):
    rec = copy.deepcopy(rec)
    for _ in range(rnd.randint(1, 2)):
        at = rnd.choice([p for p in paths(rec) if p])
        parent = rec
        for k in at[:-1]:
            parent = parent[k]
        op = rnd.random()
        if op < 0.3 and isinstance(parent, dict):
            del parent[at[-1]]
        elif op < 0.4 and isinstance(parent, dict):
            parent[rnd.choice(["x_note", "note", "lang", "value"])] = rnd.choice(VALUES)
        else:
            parent[at[-1]] = copy.deepcopy(rnd.choice(VALUES))
    return rec


work = tempfile.mkdtemp(prefix="xsirt-cve5-")
files, expect = [], {}


def add(name, rec, want=None):
    path = os.path.join(work, name + ".json")
    with open(path, "w") as f:
        json.dump(rec, f, ensure_ascii=False)
    files.append(path)
    if want is not None:
        expect[path] = want


rnd = random.Random(1)
records = [json.load(open(os.path.join(go_dir, n))) for n in sorted(os.listdir(go_dir)) if n.endswith(".json")]
for i, r in enumerate(records):
    add("go-%d" % i, fixed(r), True)
    add("raw-%d" % i, r, False)          # as the Go database has them: no state
    for j in range(3):
        add("mut-%d-%d" % (i, j), mutate(fixed(r), rnd))
for fn, want in CASES:
    r = fixed(records[0])
    fn(r)
    add("case-" + fn.__name__, r, want)

ours = {}
for k in range(0, len(files), 200):
    run = subprocess.run([xsirt, "cve", "validate"] + files[k:k + 200], capture_output=True, text=True)
    for line in run.stdout.splitlines():
        o = json.loads(line)
        ours[o["file"]] = o
    batch = [ours.get(f, {}).get("valid") for f in files[k:k + 200]]
    check(run.returncode == (0 if all(batch) else 1), "exit %d for batch %d" % (run.returncode, k))
ref = {}
run = subprocess.run([node, os.path.join(here, "..", "server", "cve5_validate.mjs"), schema] + files,
                     capture_output=True, text=True)
for line in run.stdout.splitlines():
    o = json.loads(line)
    ref[o["file"]] = o
check(len(ref) == len(files), "the reference answered for every file: %d of %d" % (len(ref), len(files)))

agree = 0
for f in files:
    a, b = ours.get(f), ref.get(f)
    if a is None or b is None:
        check(False, "%s: no answer (ours %s, reference %s)" % (f, a, b))
        continue
    ok = a["valid"] == b["valid"]
    check(ok, "%s: xsirt %s, ajv %s: %s / %s" % (os.path.basename(f), a["valid"], b["valid"],
                                                  a["failures"][:3], (b["errors"] or [])[:3]))
    agree += ok
    if f in expect:
        check(a["valid"] == expect[f], "%s: expected %s" % (os.path.basename(f), expect[f]))
    if not a["valid"]:
        check(len(a["failures"]) > 0 and all(x["message"] for x in a["failures"]),
              "%s: an invalid record names its failures" % f)
raw0 = ours.get(os.path.join(work, "raw-0.json"), {})
check({"path": "/cveMetadata", "message": "must have required property 'state'"} in raw0.get("failures", []),
      "a record's failures name what is missing, past the schema's oneOf: %s" % raw0.get("failures"))
nvalid = sum(1 for f in files if ours.get(f, {}).get("valid"))
check(nvalid >= len(records) and len(files) - nvalid >= len(records),
      "both verdicts are exercised: %d valid, %d invalid" % (nvalid, len(files) - nvalid))
print("%d records, %d verdicts agree with ajv (%d valid, %d invalid)" %
      (len(files), agree, nvalid, len(files) - nvalid))
# a file that is not JSON: exit 2 with the position
bad = os.path.join(work, "broken.json")
with open(bad, "w") as f:
    f.write('{"dataType": ')
run = subprocess.run([xsirt, "cve", "validate", bad], capture_output=True, text=True)
check(run.returncode == 2 and '"error"' in run.stdout and "broken.json:1:" in run.stderr,
      "not JSON -> exit 2 with line and column: %d %r %r" % (run.returncode, run.stdout, run.stderr))
run = subprocess.run([xsirt, "cve", "validate"], capture_output=True, text=True)
check(run.returncode == 2, "no FILE -> exit 2")
for f in files + [bad]:
    os.unlink(f)
os.rmdir(work)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
