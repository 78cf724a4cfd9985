#!/usr/bin/env python3
"""reports.py BACKEND — statistics and reports end to end on a real server:
/api/v1/statistics (JSON and CSV with BOM) with team scoping and TLP:RED
left out for non-admins; the quarterly report and the case summary as PDF
(read back with pdftotext: figures and Japanese text) and HTML; two users —
a report never contains a case its reader may not see; bad arguments are
4xx JSON. Renders the first page of a report to PNG under the build
directory (pdftoppm) for a person to look at.
"""
import datetime
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

from harness import BUILD, Result, Server, cleanup, fresh_database, init, new_user, request
import json
import shutil

SHARED = os.environ.get("XSIRT_SHARED_DATA", os.path.join(os.path.dirname(__file__), "../../../shared/data"))
NODE = shutil.which("node") or "node"


def stix_errors(bundle):
    """The OASIS STIX 2.1 JSON schemas (shared data) on the bundle and each
    of its objects, with ajv (stix_validate.mjs): a list of messages."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(bundle, f)
    try:
        run = subprocess.run([NODE, os.path.join(os.path.dirname(__file__), "stix_validate.mjs"),
                              os.path.join(SHARED, "schemas", "stix2.1"), f.name],
                             capture_output=True, text=True, check=False)
    finally:
        os.unlink(f.name)
    if run.returncode != 0:
        return ["validator failed: " + run.stderr[-300:]]
    return json.loads(run.stdout)["errors"]

backend = sys.argv[1]
t = Result()
data, database = fresh_database(backend, "reports")
admin = init(data, database)["token"]
srv = Server(data, database).start()
B = srv.base
today = datetime.datetime.now(datetime.timezone.utc).date()
quarter = "%d-Q%d" % (today.year, (today.month - 1) // 3 + 1)


def call(method, path, body=None, token=admin, **kw):
    return request(B, method, path, body, token, **kw)


def raw(path, token):
    """(status, bytes, headers) for binary answers."""
    req = urllib.request.Request(B + path, headers={"Authorization": "Bearer " + token})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read(), r.headers
    except urllib.error.HTTPError as e:
        return e.code, e.read(), e.headers


def pdf_text(pdf):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        return subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True, check=True,
                              text=True).stdout


def user(name):
    return new_user(B, admin, name)


try:
    s, corp, _ = call("POST", "/api/v1/teams", {"name": "本社PSIRT", "kind": "PSIRT"})
    s, site, _ = call("POST", "/api/v1/teams", {"name": "Site PSIRT", "kind": "PSIRT", "parent": corp["id"]})
    s, soc, _ = call("POST", "/api/v1/teams", {"name": "SOC", "kind": "SOC"})
    alice, alice_tok = user("alice")   # member of the site team
    bob, bob_tok = user("bob")         # member of the SOC
    carol, carol_tok = user("carol")   # member of the corporate team (above the site)
    call("PUT", "/api/v1/teams/%d/members/%d" % (site["id"], alice), {"role": "member"})
    call("PUT", "/api/v1/teams/%d/members/%d" % (soc["id"], bob), {"role": "member"})
    call("PUT", "/api/v1/teams/%d/members/%d" % (corp["id"], carol), {"role": "viewer"})

    cases = {}
    for key, title, team, tlp, sev, cls, tok in [
            ("fw", "ファームウェアの遠隔コード実行", site, "AMBER", "critical",
             'rsit:vulnerable="vulnerable-system"', alice_tok),
            ("leak", "Site data leak", site, "GREEN", "high",
             'rsit:information-content-security="data-leak"', alice_tok),
            ("red", "Secret merger breach", site, "RED", "critical",
             'rsit:intrusions="system-compromise"', admin),
            ("soc", "SOC: 不審なログイン", soc, "AMBER+STRICT", "critical",
             'rsit:intrusion-attempts="brute-force"', bob_tok)]:
        s, c, _ = call("POST", "/api/v1/cases", {"title": title, "kind": "incident", "team": team["id"],
                                                 "tlp": tlp, "severity": sev, "classification": cls,
                                                 "description": "説明: " + title}, token=tok)
        t.check(s == 201, "create case " + key)
        cases[key] = c
    for to in ("triage", "closed"):
        s, c, _ = call("POST", "/api/v1/cases/%d/transitions" % cases["leak"]["id"],
                       {"to": to, "resolution": "contained and fixed"}, token=alice_tok)
        t.check(s == 200, "leak -> " + to)

    # -- statistics -----------------------------------------------------------
    s, st, _ = call("GET", "/api/v1/statistics?team=%d&interval=quarter" % site["id"], token=alice_tok)
    t.check(s == 200, "alice reads her team's statistics")
    tot = st["totals"] if s == 200 else {}
    t.check(tot.get("opened", {}).get("total") == 2, "two cases opened (RED left out): %r" % tot.get("opened"))
    t.check("RED" not in tot.get("opened", {}).get("tlp", {}), "no RED count for alice")
    t.check(tot.get("closed", {}).get("total") == 1 and tot.get("time", {}).get("resolve", {}).get("count") == 1,
            "one closed, one time to resolve")
    t.check(st.get("series", [{}])[-1].get("period") == quarter, "last period is this quarter")
    s, st, _ = call("GET", "/api/v1/statistics?team=%d" % site["id"])
    t.check(s == 200 and st["totals"]["opened"]["total"] == 3 and st["totals"]["opened"]["tlp"]["RED"] == 1,
            "admin counts RED")
    s, b, _ = call("GET", "/api/v1/statistics?team=%d" % site["id"], token=bob_tok)
    t.check(s == 404 and b["error"]["code"] == "not_found", "bob may not read the site's figures")
    s, b, _ = call("GET", "/api/v1/statistics?team=%d" % corp["id"], token=alice_tok)
    t.check(s == 404, "alice may not read the team above her")
    s, st, _ = call("GET", "/api/v1/statistics?team=%d" % site["id"], token=carol_tok)
    t.check(s == 200 and st["totals"]["opened"]["total"] == 2, "carol (above) reads the site's figures")
    for q, field in (("interval=year", "interval"), ("from=2026-02-30x", "from"), ("team=abc", "team"),
                     ("from=2026-05-01&to=2026-04-01", "from")):
        s, b, _ = call("GET", "/api/v1/statistics?" + q, token=alice_tok)
        t.check(s == 400 and b["error"]["field"] == field, "statistics?%s -> 400 %s" % (q, field))
    s, body, h = raw("/api/v1/statistics.csv?team=%d&interval=quarter" % site["id"], alice_tok)
    t.check(s == 200 and body.startswith(b"\xef\xbb\xbfperiod,start,end,figure,key,value\r\n"),
            "CSV with BOM and header")
    t.check(h.get("Content-Type", "").startswith("text/csv"), "CSV content type")
    t.check((",%s,opened,total,2\r\n" % quarter).encode() in body.replace(b"\r\n", b"\r\n") or
            b",opened,total,2\r\n" in body, "CSV has the opened count")

    # -- the quarterly report -------------------------------------------------
    s, pdf, h = raw("/api/v1/report?team=%d&period=%s&format=pdf&language=ja" % (site["id"], quarter), alice_tok)
    t.check(s == 200 and pdf.startswith(b"%PDF-") and h.get("Content-Type") == "application/pdf", "PDF report")
    text = pdf_text(pdf) if s == 200 else ""
    t.check("四半期セキュリティ報告" in text, "Japanese title in the PDF text")
    t.check("ファームウェアの遠隔コード実行" in text, "alice's critical case is listed")
    t.check("2件の案件を受け付け" in text, "the summary says two cases were opened")
    t.check("TLP:AMBER" in text, "TLP marked")
    t.check("脆弱性の検出と対処" in text and "未対処・新規の脆弱性の検出はありません" in text and
            "優先度別の検出件数" not in text, "the findings section: no findings, one sentence and no empty chart")
    t.check("Secret merger breach" not in text, "RED case not in alice's report")
    t.check("不審なログイン" not in text, "SOC case not in alice's report")
    out = os.path.join(BUILD, "report-%s" % backend)
    with open(out + ".pdf", "wb") as f:
        f.write(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", out + ".pdf", out], check=True)
    t.check(os.path.exists(out + "-1.png"), "page rendered to PNG")
    s, pdf, _ = raw("/api/v1/report?team=%d&period=%s&language=en" % (site["id"], quarter), admin)
    text = pdf_text(pdf) if s == 200 else ""
    t.check(s == 200 and "opened 3 cases and closed 1" in text, "English summary for the admin")
    t.check("Secret merger breach" in text, "the admin's report lists the RED case")
    s, html, h = raw("/api/v1/report?period=%s&format=html&language=en" % quarter, bob_tok)
    html = html.decode()
    t.check(s == 200 and h.get("Content-Type", "").startswith("text/html") and "<svg" in html,
            "HTML report with vector charts")
    t.check("SOC: 不審なログイン" in html and "ファームウェア" not in html and "Secret merger" not in html,
            "bob's report holds his case only")
    t.check("Site data leak" not in html, "a GREEN case bob could open is not his team's: not in his report")
    t.check("opened 1 cases" in html or "opened 1 case" in html, "bob's summary counts one case")
    s, b, _ = call("GET", "/api/v1/report?team=%d&period=%s" % (soc["id"], quarter), token=alice_tok)
    t.check(s == 404, "alice may not have the SOC's report")
    for q, field in (("period=2026-Q5", "period"), ("period=%s&format=doc" % quarter, "format"),
                     ("period=%s&language=fr" % quarter, "language"), ("", "period")):
        s, b, _ = call("GET", "/api/v1/report?" + q, token=alice_tok)
        t.check(s == 400 and b["error"]["field"] == field, "report?%s -> 400 %s" % (q, field))

    # -- case summary ------------------------------------------------------------
    s, pdf, _ = raw("/api/v1/cases/%d/report?language=ja" % cases["fw"]["id"], alice_tok)
    text = pdf_text(pdf) if s == 200 else ""
    t.check(s == 200 and "ファームウェアの遠隔コード実行" in text and "TLP:AMBER" in text, "case summary PDF")
    t.check("案件サマリー" in text and "経過" in text, "case summary in Japanese")
    with open(out + "-case.pdf", "wb") as f:
        f.write(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", out + "-case.pdf", out + "-case"],
                   check=True)
    s, html, _ = raw("/api/v1/cases/%d/report?format=html" % cases["leak"]["id"], alice_tok)
    html = html.decode()
    t.check(s == 200 and "contained and fixed" in html and "TLP:" in html, "case summary HTML")
    s, b, _ = call("GET", "/api/v1/cases/%d/report" % cases["fw"]["id"], token=bob_tok)
    t.check(s == 404, "bob cannot have alice's case summary")
    s, b, _ = call("GET", "/api/v1/cases/%d/report" % cases["red"]["id"], token=alice_tok)
    t.check(s == 404, "alice cannot have the RED case summary")

    # -- readiness -------------------------------------------------------------
    s, r, _ = call("GET", "/api/v1/readiness?team=%d&language=ja" % site["id"], token=alice_tok)
    t.check(s == 200 and len(r["questions"]) >= 12 and r["score"] is None and r["history"] == [],
            "readiness questionnaire, nothing answered yet")
    qs = {q["id"]: q for q in r.get("questions", [])}
    t.check(qs.get("4.1", {}).get("suggested", {}).get("answer") == "c",
            "escalation to management suggested from the default CISO rule")
    t.check(qs.get("2.10", {}).get("suggested", {}).get("answer") == "b", "no service levels: suggested no")
    t.check(qs.get("5.2", {}).get("suggested", {}).get("answer") == "a", "cases tracked: suggested yes")
    t.check([o["count"] for o in qs.get("5.2", {}).get("options", [])] == [22, 41], "peers' counts for 5.2")
    t.check(qs.get("2.10", {}).get("next_step", {}).get("first_service", "").startswith("CSIRT Services Framework"),
            "next step names its FIRST service")
    t.check("サービスレベル" in qs.get("2.10", {}).get("text", ""), "Japanese question text")
    # Filled in from xsirt's own records: alice's quarterly report above (one
    # quarter: yearly), her membership set this year (the contact chart), no
    # public_url (no reporting page); no review yet, so no suggestion for 4.5.
    t.check(qs.get("7.1", {}).get("suggested", {}).get("answer") == "d", "reports issued: %r" % (qs.get("7.1"),))
    t.check(qs.get("6.3", {}).get("suggested", {}).get("answer") == "d", "contacts reviewed: %r"
            % (qs.get("6.3", {}).get("suggested"),))
    t.check(qs.get("4.7", {}).get("suggested", {}).get("answer") == "b", "no reporting page: %r"
            % (qs.get("4.7", {}).get("suggested"),))
    t.check("suggested" not in qs.get("4.5", {}) or qs["4.5"]["suggested"] is None, "no review yet")
    t.check({"2.14", "3.5", "3.7", "4.7", "7.2"} <= set(qs), "the questions added from the seed")
    t.check([o["count"] for o in qs.get("7.2", {}).get("options", [])] == [2, 19, 14], "peers' counts for 7.2")
    s, r, _ = call("POST", "/api/v1/readiness", {"team": site["id"], "answers": {"2.10": "b", "4.1": "d"}},
                   token=alice_tok)
    t.check(s == 201 and r["score"] == 25 and len(r["history"]) == 1, "first assessment: score 25")
    q41 = [q for q in r.get("questions", []) if q["id"] == "4.1"]
    t.check(q41 and q41[0]["answer"] == "d" and q41[0]["peers_below"] == 1.5 and "next_step" in q41[0],
            "answer, peers below it (1 of 66) and the next step")
    s, r, _ = call("POST", "/api/v1/readiness", {"team": site["id"], "answers": {"2.10": "a", "4.1": "b"}},
                   token=alice_tok)
    t.check(s == 201 and [h["score"] for h in r["history"]] == [25, 100], "progress over time: 25 -> 100")
    s, b, _ = call("GET", "/api/v1/readiness?team=%d" % site["id"], token=bob_tok)
    t.check(s == 404, "bob may not read the site's readiness")
    s, b, _ = call("POST", "/api/v1/readiness", {"team": site["id"], "answers": {"2.10": "a"}}, token=carol_tok)
    t.check(s == 403, "a viewer may read but not answer")
    for body, what in (({"team": site["id"], "answers": {"9.9": "a"}}, "unknown question"),
                       ({"team": site["id"], "answers": {"2.10": "z"}}, "unknown option"),
                       ({"team": site["id"], "answers": {"2.10": 1}}, "option not a string"),
                       ({"answers": {}}, "no team")):
        s, b, _ = call("POST", "/api/v1/readiness", body, token=alice_tok)
        t.check(s == 400 and "error" in b, "readiness: %s -> 400" % what)

    # -- lessons learned ---------------------------------------------------------
    s, b, _ = call("PUT", "/api/v1/cases/%d/review" % cases["fw"]["id"], {"what_happened": "x"}, token=alice_tok)
    t.check(s == 400 and b["error"]["field"] == "state", "no review before closing")
    for to in ("triage", "closed"):
        call("POST", "/api/v1/cases/%d/transitions" % cases["fw"]["id"], {"to": to, "resolution": "修正版を配布"},
             token=alice_tok)
    review = {"what_happened": "ランサムウェアの感染を検知し、ファームウェア更新で封じ込めた。",
              "went_well": "情報漏洩はなかった。", "to_change": "夜間の連絡網を見直す。",
              "follow_ups": ["連絡網の更新", "SBOMの登録"]}
    s, r, _ = call("PUT", "/api/v1/cases/%d/review" % cases["fw"]["id"], review, token=alice_tok)
    t.check(s == 200 and r["what_happened"] == review["what_happened"] and r["tlp"] == "AMBER", "review recorded")
    s, tasks, _ = call("GET", "/api/v1/cases/%d/tasks" % cases["fw"]["id"], token=alice_tok)
    t.check(s == 200 and sorted(x["title"] for x in tasks["items"]) == sorted(review["follow_ups"]),
            "follow-ups became tasks")
    s, r, _ = call("PUT", "/api/v1/cases/%d/review" % cases["fw"]["id"], review, token=alice_tok)
    s, tasks, _ = call("GET", "/api/v1/cases/%d/tasks" % cases["fw"]["id"], token=alice_tok)
    t.check(len(tasks["items"]) == 2, "saving again adds no duplicate tasks")
    s, b, _ = call("PUT", "/api/v1/cases/%d/review" % cases["fw"]["id"], review, token=carol_tok)
    t.check(s == 403, "a viewer may not write the review")
    s, b, _ = call("PUT", "/api/v1/cases/%d/review" % cases["fw"]["id"], {"what_happened": ""}, token=alice_tok)
    t.check(s == 400, "empty review -> 400")
    # The RED case (admin's) is closed and reviewed too; alice must never find it.
    for to in ("triage", "closed"):
        call("POST", "/api/v1/cases/%d/transitions" % cases["red"]["id"], {"to": to, "resolution": "closed"})
    call("PUT", "/api/v1/cases/%d/review" % cases["red"]["id"],
         {"what_happened": "ランサムウェアによる極秘の侵害。"})
    for q, want in (("ランサム", {"fw"}), ("漏洩", {"fw"}), ("ファームウェア", {"fw"}), ("連絡網", {"fw"}),
                    ("DATA LEAK", {"leak"}), ("存在しない語句", set()),
                    # NFKC: half-width katakana and full-width letters find the usual forms
                    ("ﾗﾝｻﾑ", {"fw"}), ("ＳＢＯＭ", {"fw"}), ("ｄａｔａ　ｌｅａｋ", {"leak"})):
        s, r, _ = call("GET", "/api/v1/knowledge?q=" + urllib.parse.quote(q), token=alice_tok)
        got = {k for k, c in cases.items() for it in r.get("items", []) if it["case"] == c["id"]}
        t.check(s == 200 and got == want, "alice searches %s: %s (got %s)" % (q, sorted(want), sorted(got)))
    s, r, _ = call("GET", "/api/v1/knowledge?q=" + urllib.parse.quote("ランサム"))
    t.check({it["case"] for it in r["items"]} == {cases["fw"]["id"], cases["red"]["id"]}, "the admin finds both")
    s, r, _ = call("GET", "/api/v1/knowledge?q=" + urllib.parse.quote("ランサム"), token=bob_tok)
    t.check(s == 200 and r["items"] == [], "bob finds nothing of the site's")
    s, b, _ = call("GET", "/api/v1/knowledge", token=bob_tok)
    t.check(s == 400 and b["error"]["field"] == "q", "search without q -> 400")
    s, md, h = raw("/api/v1/cases/%d/review?format=markdown" % cases["fw"]["id"], alice_tok)
    md = md.decode()
    t.check(s == 200 and md.startswith("**TLP:AMBER**") and "## Follow-up tasks" in md and "- SBOMの登録" in md,
            "review as Markdown with its TLP")
    s, bundle, _ = call("GET", "/api/v1/cases/%d/review?format=stix" % cases["fw"]["id"], token=alice_tok)
    objs = {o["type"]: o for o in bundle.get("objects", [])} if s == 200 else {}
    t.check(bundle.get("type") == "bundle" and set(objs) == {"marking-definition", "report", "note"},
            "STIX bundle: marking, report, note")
    amber = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"
    t.check(objs.get("marking-definition", {}).get("id") == amber and
            objs.get("report", {}).get("object_marking_refs") == [amber] and
            objs.get("note", {}).get("object_refs") == [objs.get("report", {}).get("id")],
            "report and note carry the TLP:AMBER marking definition")
    errs = stix_errors(bundle) if s == 200 else ["no bundle"]
    t.check(not errs, "the bundle is valid STIX 2.1 (OASIS schemas): %s" % errs[:3])
    s, b, _ = call("GET", "/api/v1/cases/%d/review" % cases["fw"]["id"], token=bob_tok)
    t.check(s == 404, "bob cannot read alice's review")
    s, b, _ = call("GET", "/api/v1/cases/%d/review" % cases["red"]["id"], token=alice_tok)
    t.check(s == 404, "alice cannot read the RED review")
finally:
    srv.stop()
    cleanup(data)
t.finish()
