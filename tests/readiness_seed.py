#!/usr/bin/env python3
"""readiness_seed.py SURVEY SEED — every figure transcribed into the
readiness questionnaire (data/readiness/csirt-survey.json) is in the seed
text: the quote and heading of each question occur in it, and the answer
counts appear, in order, in that question's result table (the text from
the second occurrence of its heading to the next result heading). The
option counts plus the unanswered add up to the respondents. Each
question's source.line is where its section's heading first appears in
the seed (which has no page numbers), and each has its English text, a
next step and the FIRST CSIRT Services Framework service it belongs to.
"""
import json
import re
import sys

survey = json.load(open(sys.argv[1]))
seed = open(sys.argv[2], encoding="utf-8").read()
passed = failed = 0


def squash(s):
    return re.sub(r"\s+", "", s).replace("（", "(").replace("）", ")")


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


flat = squash(seed)
lines = seed.split("\n")
for q in survey["questions"]:
    sec = q["seed_section"]
    # The place of the figure: the seed has no page numbers, so the line
    # where the section's heading first appears stands in for one.
    ln = q["source"].get("line")
    check(isinstance(ln, int) and 0 < ln <= len(lines) and
          re.match(r"[ \t]*" + re.escape(sec) + r"\. ", lines[ln - 1]) is not None and
          not any(re.match(r"[ \t]*" + re.escape(sec) + r"\. ", x) for x in lines[:ln - 1]),
          "%s: source.line %r is where %s first appears" % (q["id"], ln, sec))
    check(q.get("first_service", "").startswith("CSIRT Services Framework 2.1: ") and
          q.get("next_step", {}).get("ja") and q.get("next_step", {}).get("en") and q.get("en"),
          "%s: English text, next step and its FIRST service" % q["id"])
    check(squash(q["source"]["quote"]) in flat, "%s: quote in the seed" % q["id"])
    check(squash(q["ja"])[:20] in flat, "%s: question text in the seed" % q["id"])
    # The results table: of the sections under this heading (table of
    # contents, summary, table), the first that has the column "回答数".
    table = None
    for m in re.finditer(r"(?m)^[ \t]*" + re.escape(sec) + r"\. ", seed):
        rest = seed[m.end():]
        nxt = re.search(r"\n\s*(2\.\d+\.\d+(\.\d+)?\. |\d+\. )", rest)   # next result or chapter
        seg = rest[: nxt.start() if nxt else 4000]
        if "回答数" in seg:
            table = seg.split("回答数", 1)[1]
            break
    check(table is not None, "%s: result table of %s found" % (q["id"], sec))
    if table is None:
        continue
    # A count ends its row's line (or stands alone when the label wrapped);
    # row numbers start lines, so they are not read as counts.
    counts = [int(m.group(1)) for line in table.splitlines()
              for m in [re.search(r"(?:^|\s)(\d+)\s*$", line)] if m]
    want = [o["count"] for o in q["options"]] + [q["unanswered"]]
    check(counts == want, "%s: counts %s are the seed's table %s" % (q["id"], want, counts))
    check(sum(want) == q["respondents"], "%s: counts add up to %d" % (q["id"], q["respondents"]))
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
