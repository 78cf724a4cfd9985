#!/usr/bin/env python3
"""readiness_seed.py SURVEY SEED — every figure transcribed into the
readiness questionnaire (data/readiness/csirt-survey.json) is in the seed
text, and every question of the seed's questionnaire (table 1.3.1) is in
the file.

Per question: the quote and heading occur in the seed, the question
text (each part of it separated by ": ") and the text of every choice; the counts appear, in order, in
that question's result table — the text after the heading's occurrence
that has the column "回答数", or, where one section holds several tables,
after the marker strings of source.table — up to the next result heading.
The table's "N = n" is the file's respondents (or seed_n where the seed's
N disagrees with its rows). Single choices, numbers and months add up to
the respondents (with the unanswered); a multiple choice has no count above
its N. A page footer that survived the text extraction (a number alone
after the table) is the question's source.page. source.line is where the
section's heading first appears in the seed; each question has its English
text and its FIRST CSIRT Services Framework service, and each scored one a
next step.
"""
import json
import re
import sys

survey = json.load(open(sys.argv[1]))
seed = open(sys.argv[2], encoding="utf-8").read()
passed = failed = 0
KINDS = {"single", "multi", "number", "month", "text"}


def squash(s):
    return re.sub(r"\s+", "", s).replace("（", "(").replace("）", ")").replace("／", "/")


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


def flexible(marker):
    """A marker as a pattern that any run of white space (or none) may
    separate, with either width of slash and parenthesis."""
    out = ""
    for ch in squash(marker):
        out += {"/": "[/／]", "(": "[(（]", ")": "[)）]"}.get(ch, re.escape(ch)) + r"\s*"
    return out


NEXT = r"\n\s*(2\.\d+\.\d+(\.\d+)*\. |\d+\. )"      # the next result heading or chapter


def table_of(q, lines):
    sec = q["seed_section"]
    markers = q["source"].get("table")
    if markers:
        pos = sum(len(x) + 1 for x in lines[: q["source"]["line"] - 1])
        for mk in markers:
            m = re.compile(flexible(mk)).search(seed, pos)
            if m is None:
                return None
            pos = m.end()
        rest = seed[pos:]
        nxt = re.search(NEXT, rest)
        return rest[: nxt.start() if nxt else 4000]
    # Of the sections under this heading (table of contents, summary,
    # table), the first that has the column "回答数".
    for m in re.finditer(r"(?m)^[ \t]*" + re.escape(sec) + r"\. ", seed):
        rest = seed[m.end():]
        nxt = re.search(NEXT, rest)
        seg = rest[: nxt.start() if nxt else 4000]
        if "回答数" in seg:
            return seg.split("回答数", 1)[1]
    return None


flat = squash(seed)
lines = seed.split("\n")
for q in survey["questions"]:
    sec, kind = q["seed_section"], q.get("kind", "single")
    scored = any("points" in o for o in q.get("options", []))
    check(kind in KINDS, "%s: kind %r" % (q["id"], kind))
    # The place of the figure: the seed has no page numbers, so the line
    # where the section's heading first appears stands in for one.
    ln = q["source"].get("line")
    check(isinstance(ln, int) and 0 < ln <= len(lines) and
          re.match(r"[ \t]*" + re.escape(sec) + r"\. ", lines[ln - 1]) is not None and
          not any(re.match(r"[ \t]*" + re.escape(sec) + r"\. ", x) for x in lines[:ln - 1]),
          "%s: source.line %r is where %s first appears" % (q["id"], ln, sec))
    check(q.get("first_service", "").startswith("CSIRT Services Framework 2.1: ") and q.get("en"),
          "%s: English text and its FIRST service" % q["id"])
    check(not scored or (q.get("next_step", {}).get("ja") and q.get("next_step", {}).get("en")),
          "%s: a scored question has a next step" % q["id"])
    check(squash(q["source"]["quote"]) in flat, "%s: quote in the seed" % q["id"])
    check(squash(q["source"]["heading"]) in flat, "%s: heading in the seed" % q["id"])
    for part in q["ja"].split(": "):
        check(squash(part)[:30] in flat, "%s: question text %r in the seed" % (q["id"], part))
    table = table_of(q, lines)
    check(table is not None, "%s: result table of %s found" % (q["id"], sec))
    if table is None:
        continue
    # A count ends its row's line (or stands alone when the label wrapped);
    # row numbers start lines, so they are not read as counts.
    counts = [int(m.group(1)) for line in table.splitlines()
              for m in [re.search(r"(?:^|\s)(\d+)\s*$", line)] if m]
    page = q["source"].get("page")
    if page is not None:
        check(counts[-1:] == [page], "%s: page footer %r after the table (%s)" % (q["id"], page, counts[-1:]))
        counts = counts[:-1]
    if kind == "text":
        want = [a["count"] for a in q["answers"]]
        for a in q["answers"]:
            check(squash(a["ja"]) in squash(table) and a.get("en"), "%s: answer %r in the table" % (q["id"], a["ja"]))
    else:
        want = [o["count"] for o in q["options"]] + ([q["unanswered"]] if "unanswered" in q else [])
        n = q.get("seed_n", q["respondents"])
        check(re.search(r"N\s*=\s*%d\b" % n, table) is not None, "%s: the table's N is %d" % (q["id"], n))
        if kind == "multi":
            check(all(c <= q["respondents"] for c in want), "%s: no count above N" % q["id"])
        else:
            check(sum(want) == q["respondents"], "%s: counts add up to %d" % (q["id"], q["respondents"]))
        for o in q["options"]:
            check(squash(o["ja"]) in flat, "%s: choice %s %r is the seed's" % (q["id"], o["id"], o["ja"]))
        check(len({o["id"] for o in q["options"]}) == len(q["options"]) and
              all(o.get("en") and o.get("ja") for o in q["options"]), "%s: options named in both languages" % q["id"])
        for o in q["options"]:
            if kind == "number" and o.get("answerable", True):
                check(isinstance(o.get("min"), int), "%s: bin %s has a minimum" % (q["id"], o["id"]))
            if kind == "month" and o.get("answerable", True):
                check(re.fullmatch(r"\d{4}-\d{2}", o.get("until", "")) is not None,
                      "%s: bin %s ends in a month" % (q["id"], o["id"]))
    check(counts == want, "%s: counts %s are the seed's table %s" % (q["id"], want, counts))

# Every question of the questionnaire (table 1.3.1, between its title and
# the interviews of 1.3.2) is transcribed: its number, as the questionnaire
# writes it at the start of a line, is a question id (7.1.2 is 7.2 here).
start = seed.index("[表 1.3.1]")
end = seed.index("1.3.2. インタビューの実施")
asked = set(re.findall(r"(?m)^\s*(\d\.\d+(?:\.\d+)*)\s*\S", seed[start:end]))
# 2.7 and 2.9 are split by the seed's result tables (2.7.1-2.7.3, 2.9.1-2.9.3
# and one question per service).
have = {q["id"] for q in survey["questions"]}
have |= {"7.1.2"} if "7.2" in have else set()
have |= {"2.7"} if {"2.7.1", "2.7.2", "2.7.3"} <= have else set()
have |= {"2.9"} if {"2.9.1", "2.9.2", "2.9.3", "2.9.w"} <= have else set()
for a in sorted(asked):
    check(a in have, "questionnaire item %s is transcribed" % a)
check(len(asked) == 52, "the questionnaire's items were read (%d)" % len(asked))
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
