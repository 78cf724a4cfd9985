#!/usr/bin/env python3
"""firmware.py — the firmware version order (docs/versions.md) on the version
strings of the shared CISA set: differential against this test's own
implementation of the documented rules (tests/ics/oracle.py's fw_cmp), and
the properties an order must have: antisymmetry on every pair of a sample,
and transitivity, checked as "xsirt version sort firmware" giving a list
in which every earlier version compares <= every later one.

usage: firmware.py XSIRT CISA_DIR
"""
import json
import os
import random
import re
import subprocess
import sys

XSIRT, CISA = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.dirname(__file__))
import oracle  # noqa: E402  (its main() runs only as a script)

versions = set()
for dp, _, fns in os.walk(CISA):
    for fn in fns:
        if not fn.endswith(".json"):
            continue
        try:
            doc = json.load(open(os.path.join(dp, fn), encoding="utf-8"))
        except ValueError:
            continue
        for pid, (v, p, t, is_range) in oracle.products(doc).items():
            if t is None:
                continue
            for m in re.finditer(oracle.VER, t):
                versions.add(m.group())
versions = sorted(v for v in versions if "\t" not in v)
random.seed(15)
sample = random.sample(versions, min(500, len(versions)))
pairs = [(a, b) for a in sample for b in sample]
inp = "".join(f"{a}\t{b}\n" for a, b in pairs)
out = subprocess.run([XSIRT, "version", "compare", "firmware", "--batch"], input=inp.encode(),
                     capture_output=True, check=True).stdout.decode().splitlines()
passed = failed = 0
got = {}
shown = 0
for (a, b), r in zip(pairs, out):
    want = oracle.fw_cmp(a, b)
    got[(a, b)] = r
    if r != str(want):
        failed += 1
        if shown < 10:
            print(f"differs: {a!r} vs {b!r}: xsirt {r}, rules {want}")
            shown += 1
    else:
        passed += 1
anti = sum(1 for (a, b), r in got.items() if r in ("-1", "0", "1") and
           got[(b, a)] != str(-int(r)))
print(f"pairs: {len(pairs)} from {len(versions)} distinct versions; "
      f"{passed} agree with the documented rules, {failed} differ; {anti} not antisymmetric")
srt = subprocess.run([XSIRT, "version", "sort", "firmware"], input="\n".join(sample).encode() + b"\n",
                     capture_output=True, check=True).stdout.decode().splitlines()
bad = 0
inp = "".join(f"{srt[i]}\t{srt[j]}\n" for i in range(len(srt)) for j in range(i + 1, len(srt)))
res = subprocess.run([XSIRT, "version", "compare", "firmware", "--batch"], input=inp.encode(),
                     capture_output=True, check=True).stdout.decode().splitlines()
bad = sum(1 for r in res if r == "1")
print(f"sorted {len(srt)} versions: {bad} later-before-earlier pairs (transitivity)")
ok = failed == 0 and anti == 0 and bad == 0 and len(srt) == len(sample)
print(f"{1 if ok else 0} passed, {0 if ok else 1} failed")
sys.exit(0 if ok else 1)
