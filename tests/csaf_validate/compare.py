#!/usr/bin/env python3
"""compare.py — xsirt's CSAF validator against @secvisogram/csaf-validator-lib,
test by test (the differential test of tests/csaf_validate.cmake).

    compare.py [--suite TESTCASES_JSON] [--limit N] [--allow FILE]
               [--mutate COUNT --seed N] [--stricter TEST] DIR_OR_FILE...

Runs `$XSIRT csaf validate` and the reference (reference.mjs, one node
process) on every *.json file under the given paths, in batch, and counts
per test how many files both pass, both fail, or disagree. Files where the
reference throws are counted apart. With --suite (the OASIS testcases.json)
each file listed there must fail (or pass) the test it is listed for, as the
suite says: where the reference disagrees with the suite the suite wins, and
the pair (test, file) must be listed in the --allow file (docs/csaf.md keeps
the same list). The informative tests (6.3) are not xsirt's and not compared. --limit takes every k-th file so that N remain (a subset
that is the same on every run). --mutate compares COUNT documents made from
the given ones by mutate.py (seeded) instead of the documents themselves;
--stricter TEST counts "xsirt fails, the reference passes" on TEST as the
suite's reading (docs/csaf.md: 6.1.26 refuses "csaf"-prefixed names too).
Ends with "N passed, N failed"; exits 1 on any disagreement that is not
allowed.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile

import mutate


def collect(paths):
    files = []
    for p in paths:
        if os.path.isdir(p):
            for root, _, names in os.walk(p):
                files += [os.path.join(root, n) for n in names if n.endswith(".json")
                          and n != "testcases.json" and "TEMPLATE" not in n]
        else:
            files.append(p)
    return sorted(files)


def ours(files):
    xsirt = os.environ["XSIRT"]
    listing = subprocess.run([xsirt, "csaf", "validate", "--list-tests"], check=True,
                             capture_output=True, text=True).stdout
    tests = [line.split("\t")[0] for line in listing.splitlines()]
    out = {}
    for i in range(0, len(files), 400):
        chunk = files[i:i + 400]
        run = subprocess.run([xsirt, "csaf", "validate"] + chunk, capture_output=True, text=True)
        if run.returncode not in (0, 1, 2):
            sys.exit("xsirt failed (%d): %s" % (run.returncode, run.stderr[-2000:]))
        for line in run.stdout.splitlines():
            o = json.loads(line)
            if "error" in o:
                out[o["file"]] = {"error": o["error"]}
                continue
            failed = {f["test"] for f in o["failures"]}
            out[o["file"]] = {t: t not in failed for t in tests}
    return tests, out


def reference(files):
    node = os.environ.get("XSIRT_NODE", "node")
    here = os.path.dirname(os.path.abspath(__file__))
    run = subprocess.run([node, os.path.join(here, "reference.mjs")], input="\n".join(files),
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit("reference failed: " + run.stderr[-2000:])
    out = {}
    for line in run.stdout.splitlines():
        o = json.loads(line)
        out[o["file"]] = o.get("results", {"error": o.get("error")})
    return out


def suite_expectations(path):
    base = os.path.dirname(path)
    expect = {}
    for t in json.load(open(path))["tests"]:
        for kind, passes in (("failures", False), ("valid", True)):
            for entry in t.get(kind, []):
                expect[(t["id"], os.path.join(base, entry["name"]))] = passes
    return expect


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--suite")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--allow")
    ap.add_argument("--mutate", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--stricter", action="append", default=[])
    ap.add_argument("paths", nargs="+")
    args = ap.parse_args()

    files = collect(args.paths)
    if args.mutate:
        scratch = tempfile.TemporaryDirectory(prefix="xsirt-csaf-mutants.")
        files = mutate.generate(files, scratch.name, args.mutate, args.seed)
    if args.limit and len(files) > args.limit:
        step = len(files) / args.limit
        files = [files[int(i * step)] for i in range(args.limit)]
    tests, mine = ours(files)
    ref = reference(files)
    expect = suite_expectations(args.suite) if args.suite else {}
    allowed = set()
    if args.allow:
        for line in open(args.allow):
            line = line.split("#")[0].strip()
            if line:
                t, name = line.split()
                allowed.add((t, name))

    counts = collections.defaultdict(collections.Counter)
    problems = []
    for f in files:
        m, r = mine.get(f), ref.get(f)
        if m is None or r is None:
            problems.append("%s: no result (ours %s, reference %s)" % (f, m is not None, r is not None))
            continue
        if "error" in m or "error" in r:
            if ("error" in m) != ("error" in r):
                problems.append("%s: unreadable for one side only (ours %s, reference %s)"
                                % (f, m.get("error"), r.get("error")))
            counts["(unreadable)"]["both"] += 1
            continue
        for t in tests:
            rv = r.get(t)
            if rv is None:
                counts[t]["reference lacks"] += 1
                continue
            if rv == "throw":
                counts[t]["reference throws"] += 1
                continue
            suite = expect.get((t, f))
            if rv == m[t]:
                counts[t]["agree"] += 1
                counts[t]["both fail"] += not m[t]
                if suite is not None and suite != m[t]:
                    problems.append("%s %s: both say %s, the suite says %s"
                                    % (t, f, "pass" if m[t] else "fail", "pass" if suite else "fail"))
            elif suite is not None and suite == m[t] and (t, os.path.basename(f)) in allowed:
                counts[t]["suite wins"] += 1
            elif suite is None and t in args.stricter and not m[t] and rv is True:
                counts[t]["suite wins"] += 1
            else:
                counts[t]["disagree"] += 1
                problems.append("%s %s: ours %s, reference %s%s" % (
                    t, f, "pass" if m[t] else "fail", "pass" if rv else "fail",
                    "" if suite is None else ", suite %s" % ("pass" if suite else "fail")))
    for (t, f), passes in expect.items():
        if f in mine and t not in tests and not t.startswith("6.3."):
            problems.append("%s %s: the suite tests it, xsirt has no such test" % (t, f))

    print("%-10s %7s %9s %10s %8s %10s" % ("test", "agree", "(of them", "suite wins", "disagree",
                                            "ref throws"))
    print("%-10s %7s %9s" % ("", "", "failing)"))
    for t in tests:
        c = counts[t]
        print("%-10s %7d %9d %10d %8d %10d" % (t, c["agree"], c["both fail"], c["suite wins"],
                                               c["disagree"], c["reference throws"]))
    for p in problems:
        print("FAIL " + p)
    agree = sum(c["agree"] + c["suite wins"] for c in counts.values())
    print("%d files, %d passed, %d failed" % (len(files), agree, len(problems)))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
