/*
 * readiness.c — the readiness self-assessment (readiness.h): the JPCERT/CC
 * survey's questions as data (data/readiness/csirt-survey.json, compiled
 * in), a team's answers kept as dated assessments, answers xsirt can
 * suggest from its own records, where the 66 surveyed CSIRTs stood on
 * each answer, and the next step with its FIRST service. Questions take
 * one choice, several, a number, a month or words (readiness_kind.c); only
 * the single choices with points are scored, the others describe the team.
 *
 * A suggestion is evidence, not a verdict: xsirt can see that escalation
 * rules exist, not whether the CISO approved the document, so it never
 * suggests the two "approved" answers — the team does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/clock.h"
#include "store/contact_group.h"
#include "store/json_input.h"
#include "store/metrics.h"
#include "store/readiness.h"
#include "store/readiness_kind.h"
#include "store/settings.h"
#include "store/store.h"
#include "store/team.h"

extern const char xsirt_readiness_survey_json[];

/* The team and the teams above it (rules and service levels set higher
 * up hold for it), as a CTE "up(id)" that must start the statement. */
static const char readiness_up[] =
    "WITH RECURSIVE up(id) AS (SELECT CAST(? AS BIGINT) UNION SELECT t.parent_id FROM teams t "
    "JOIN up ON t.id = up.id WHERE t.parent_id IS NOT NULL) ";
static const char readiness_down[] =
    "WITH RECURSIVE sub(id) AS (SELECT CAST(? AS BIGINT) UNION SELECT t.id FROM teams t "
    "JOIN sub ON t.parent_id = sub.id) ";

static int readiness_count(int64_t *n, xsirt_db *db, const char *cte, const char *sql, int64_t team,
                           const char *arg, xsirt_error *err)
{
    xsirt_db_value p[2] = {XSIRT_DB_INTV(team), XSIRT_DB_TEXTV(arg)};
    char text[1024];

    snprintf(text, sizeof text, "%s%s", cte, sql);
    return xsirt_db_query_int(n, db, text, p, arg != NULL ? 2 : 1, err);
}

/* How often something was done in the last year, from the distinct
 * quarters of its audit records: four quarters or more "quarterly", two
 * or three "every six months", one "yearly", none "less than yearly"
 * (the options of questions 6.3 and 7.1: b, c, d and none_option). */
static const char *readiness_frequency(int64_t quarters, const char *none_option)
{
    return quarters >= 4 ? "b" : quarters >= 2 ? "c" : quarters == 1 ? "d" : none_option;
}

static const char readiness_quarters[] =
    "SELECT COUNT(DISTINCT substr(at, 1, 4) || '-' || CAST((CAST(substr(at, 6, 2) AS INTEGER) + 2) / 3 AS TEXT)) "
    "FROM audit_log WHERE at >= ? AND ";

/* The rules that read the settings, the reviews and the audit log: the
 * reporting page (4.7), post-incident reviews as the team's evaluation
 * with feedback (4.5), the contact chart kept up to date (6.3: changes to
 * the team's members, or those of a team above it, and to escalation
 * rules) and the quarterly reports made with xsirt (7.1). */
static int readiness_auto_more(const char **answer, char *why, size_t size, xsirt_db *db, int64_t team,
                               const char *rule, const char *since, bool ja, xsirt_error *err)
{
    xsirt_db_value p[2] = {XSIRT_DB_INTV(team), XSIRT_DB_TEXTV(since)};
    char sql[1536];
    int64_t n = 0;
    int rc = 0;

    if (strcmp(rule, "security_page") == 0) {
        json_t *url = NULL;
        if ((rc = xsirt_settings_value(&url, db, "public_url", err)) != 0)
            return rc;
        *answer = json_is_string(url) ? "a" : "b";
        if (json_is_string(url))
            snprintf(why, size, ja ? "%s で受付窓口と /.well-known/security.txt を公開" :
                     "xsirt publishes the reporting page and /.well-known/security.txt at %s", json_string_value(url));
        else
            snprintf(why, size, ja ? "public_url 未設定: xsirt は受付窓口を公開していない" :
                     "no public_url: xsirt publishes no reporting page");
        json_decref(url);
        return 0;
    }
    if (strcmp(rule, "reviews") == 0) {
        rc = readiness_count(&n, db, readiness_down, "SELECT COUNT(*) FROM case_reviews r JOIN cases c ON "
                             "c.id = r.case_id WHERE c.team_id IN (SELECT id FROM sub) AND r.updated_at >= ?",
                             team, since, err);
        *answer = n > 0 ? "d" : NULL;
        snprintf(why, size, ja ? "過去1年に記録した事後レビュー: %lld件" :
                 "%lld post-incident reviews recorded in the last year", (long long)n);
        return rc;
    }
    if (strcmp(rule, "contacts_reviewed") == 0) {
        json_t *people = NULL;
        char *reviewed = NULL;
        snprintf(sql, sizeof sql, "%s%s((action IN ('team.member.set','team.member.remove') AND object_id IN "
                 "(SELECT CAST(id AS TEXT) FROM up)) OR action LIKE 'escalation_rule.%%' OR (action LIKE "
                 "'contact_group.%%' AND object_id IN (SELECT CAST(id AS TEXT) FROM contact_groups WHERE "
                 "team_id IS NULL OR team_id IN (SELECT id FROM up))))", readiness_up, readiness_quarters);
        rc = xsirt_db_query_int(&n, db, sql, p, 2, err);
        if (rc == 0)
            rc = xsirt_contact_group_summary(&people, &reviewed, db, team, err);
        *answer = readiness_frequency(n, "e");
        snprintf(why, size, ja ? "過去1年に連絡先（メンバー・連絡グループ・エスカレーション先）を見直しまたは変更した"
                 "四半期: %lld（連絡グループの最終見直し: %s）" :
                 "the team's contacts (members, contact groups, escalation rules) were reviewed or changed in "
                 "%lld quarters of the last year (contact groups last reviewed: %s)", (long long)n,
                 reviewed != NULL ? reviewed : ja ? "なし" : "never");
        free(reviewed);
        json_decref(people);
        return rc;
    }
    /* reports: the quarterly reports of the team made with xsirt */
    snprintf(sql, sizeof sql, "%saction = 'report.quarterly' AND object_id = CAST(? AS TEXT)", readiness_quarters);
    p[0] = XSIRT_DB_TEXTV(since);
    p[1] = XSIRT_DB_INTV(team);
    rc = xsirt_db_query_int(&n, db, sql, p, 2, err);
    *answer = readiness_frequency(n, "f");
    snprintf(why, size, ja ? "過去1年に xsirt で四半期報告を作成した四半期: %lld" :
             "quarterly reports made with xsirt in %lld quarters of the last year", (long long)n);
    return rc;
}

/* Whether any row answers a count query on the team and its sub-teams. */
static bool readiness_any(xsirt_db *db, const char *sql, int64_t team, const char *arg, int *rc, xsirt_error *err)
{
    int64_t n = 0;

    if (*rc == 0)
        *rc = readiness_count(&n, db, readiness_down, sql, team, arg, err);
    return *rc == 0 && n > 0;
}

static void readiness_add(json_t *set, bool yes, const char *id)
{
    if (yes)
        json_array_append_new(set, json_string(id));
}

/* Answers of several choices, a number or a month from xsirt's records:
 * the fields the team covers from its kind and its sub-teams' (2.7.1 and
 * 2.7.3), the reactive services it gives from its cases of the last year
 * and its findings (2.9.1), what outsiders reported to it (2.4), its
 * members (3.3) and the month it was set up in xsirt (1.6, the latest it
 * can have been founded). */
static int readiness_auto_describe(json_t **out, xsirt_db *db, int64_t team, const char *rule, bool ja,
                                   xsirt_error *err)
{
    static const char kind_sql[] = "SELECT COUNT(*) FROM teams WHERE id IN (SELECT id FROM sub) AND kind = ?";
    static const char case_sql[] = "SELECT COUNT(*) FROM cases WHERE team_id IN (SELECT id FROM sub) AND kind = ?";
    static const char reported_sql[] = "SELECT COUNT(*) FROM cases c WHERE c.team_id IN (SELECT id FROM sub) AND "
                                       "c.kind = ? AND EXISTS (SELECT 1 FROM case_parties p WHERE p.case_id = c.id "
                                       "AND p.role IN ('reporter','finder'))";
    json_t *value = json_array();
    const char *why = NULL;
    char text[256];
    int64_t n = 0;
    int rc = 0;

    *out = NULL;
    if (strcmp(rule, "team_kind_own") == 0) {
        readiness_add(value, readiness_any(db, kind_sql, team, "CSIRT", &rc, err) ||
                      readiness_any(db, kind_sql, team, "SOC", &rc, err) ||
                      readiness_any(db, kind_sql, team, "FSIRT", &rc, err), "a");
        readiness_add(value, readiness_any(db, kind_sql, team, "DSIRT", &rc, err) ||
                      readiness_any(db, kind_sql, team, "SSIRT", &rc, err), "b");
        why = ja ? "チームと配下のチームの種類（CSIRT・SOC・FSIRT は社内、DSIRT・SSIRT は顧客向けサービス）" :
              "the kinds of the team and its sub-teams (CSIRT, SOC, FSIRT: own infrastructure; DSIRT, SSIRT: "
              "services for customers)";
    } else if (strcmp(rule, "team_kind_other") == 0) {
        readiness_add(value, readiness_any(db, kind_sql, team, "PSIRT", &rc, err), "e");
        why = ja ? "チームと配下のチームの種類（PSIRT は自社製品の脆弱性対応）" :
              "the kinds of the team and its sub-teams (PSIRT: vulnerabilities in own products)";
    } else if (strcmp(rule, "constituency") == 0) {
        readiness_add(value, readiness_any(db, kind_sql, team, "CSIRT", &rc, err) ||
                      readiness_any(db, kind_sql, team, "SOC", &rc, err) ||
                      readiness_any(db, kind_sql, team, "FSIRT", &rc, err), "a");
        readiness_add(value, readiness_any(db, kind_sql, team, "PSIRT", &rc, err) ||
                      readiness_any(db, kind_sql, team, "DSIRT", &rc, err) ||
                      readiness_any(db, kind_sql, team, "SSIRT", &rc, err), "c");
        why = ja ? "チームと配下のチームの種類（CSIRT・SOC・FSIRT は自組織のユーザ、PSIRT・DSIRT・SSIRT は製品やサービスの顧客）" :
              "the kinds of the team and its sub-teams (CSIRT, SOC, FSIRT: users in the organisation; PSIRT, DSIRT, "
              "SSIRT: customers of its products and services)";
    } else if (strcmp(rule, "services") == 0) {
        readiness_add(value, readiness_any(db, case_sql, team, "incident", &rc, err) ||
                      readiness_any(db, case_sql, team, "service-incident", &rc, err), "b");
        readiness_add(value, readiness_any(db, case_sql, team, "vulnerability", &rc, err) ||
                      readiness_any(db, "SELECT COUNT(*) FROM findings f JOIN assets a ON a.id = f.asset_id "
                                    "WHERE a.team_id IN (SELECT id FROM sub)", team, NULL, &rc, err), "c");
        why = ja ? "インシデント案件（インシデントハンドリング）と脆弱性案件・検出結果（脆弱性ハンドリング）から" :
              "from incident cases (incident handling) and vulnerability cases or findings (vulnerability handling)";
    } else if (strcmp(rule, "external_reports") == 0) {
        readiness_add(value, readiness_any(db, reported_sql, team, "vulnerability", &rc, err), "b");
        readiness_add(value, readiness_any(db, reported_sql, team, "incident", &rc, err) ||
                      readiness_any(db, reported_sql, team, "service-incident", &rc, err), "c");
        why = ja ? "報告者・発見者のいる案件から（脆弱性案件は製品の脆弱性、インシデント案件はインシデント）" :
              "from cases with a reporter or finder (vulnerability cases: products; incidents: incidents)";
    } else if (strcmp(rule, "members") == 0) {
        json_decref(value);
        rc = readiness_count(&n, db, readiness_down, "SELECT COUNT(DISTINCT user_id) FROM team_members WHERE "
                             "team_id IN (SELECT id FROM sub)", team, NULL, err);
        value = json_integer((json_int_t)n);
        snprintf(text, sizeof text, ja ? "チームと配下のチームのメンバー: %lld名" :
                 "%lld members in the team and its sub-teams", (long long)n);
        why = text;
    } else if (strcmp(rule, "team_created") == 0) {
        xsirt_db_value p[1] = {XSIRT_DB_INTV(team)};
        xsirt_db_rows *r = NULL;
        json_decref(value);
        value = NULL;
        if ((rc = xsirt_db_query(&r, db, "SELECT substr(created_at, 1, 7) FROM teams WHERE id = ?", p, 1, err)) == 0 &&
            xsirt_db_rows_count(r) == 1) {
            value = json_string(xsirt_db_rows_text(r, 0, 0));
            snprintf(text, sizeof text, ja ? "xsirt にチームを登録した月: %s（設立はこれ以前）" :
                     "the team was set up in xsirt in %s (it was founded then or before)", xsirt_db_rows_text(r, 0, 0));
            why = text;
        }
        xsirt_db_rows_free(r);
    }
    if (rc == 0 && why != NULL && value != NULL && (!json_is_array(value) || json_array_size(value) > 0))
        *out = json_pack("{s:O, s:s}", "answer", value, "evidence", why);
    json_decref(value);
    return rc;
}

/* The suggested answer for a rule of the survey file, with its evidence
 * in words; NULL when xsirt knows nothing to say. */
static int readiness_auto(json_t **out, xsirt_db *db, int64_t team, const char *rule, const char *lang,
                          xsirt_error *err)
{
    bool ja = strcmp(lang, "ja") == 0;
    char since[XSIRT_TIME_MAX], why[512];
    int64_t n = 0, m = 0;
    time_t now = time(NULL);
    const char *answer = NULL;
    int rc = 0;

    *out = NULL;
    xsirt_clock_format(since, now - 365 * 86400, 0);
    if (strcmp(rule, "service_levels") == 0) {
        rc = readiness_count(&n, db, readiness_up, "SELECT COUNT(*) FROM service_levels WHERE team_id IN "
                             "(SELECT id FROM up)", team, NULL, err);
        answer = n > 0 ? "a" : "b";
        snprintf(why, sizeof why, ja ? "サービスレベルの設定: %lld件" : "%lld service levels set", (long long)n);
    } else if (strcmp(rule, "classification") == 0 || strcmp(rule, "tracking") == 0) {
        rc = readiness_count(&n, db, readiness_down, "SELECT COUNT(*) FROM cases WHERE team_id IN "
                             "(SELECT id FROM sub) AND created_at >= ?", team, since, err);
        if (rc == 0)
            rc = readiness_count(&m, db, readiness_down, "SELECT COUNT(*) FROM cases WHERE team_id IN "
                                 "(SELECT id FROM sub) AND created_at >= ? AND classification IS NOT NULL",
                                 team, since, err);
        if (rule[0] == 't') {
            answer = n > 0 ? "a" : NULL;
            snprintf(why, sizeof why, ja ? "過去1年にxsirtで管理した案件: %lld件" :
                     "%lld cases tracked in xsirt in the last year", (long long)n);
        } else if (n > 0) {
            answer = m * 100 >= n * 80 ? "c" : m > 0 ? "d" : "e";
            snprintf(why, sizeof why, ja ? "過去1年の案件%lld件のうちRSIT分類あり: %lld件" :
                     "%lld of %lld cases of the last year carry an RSIT class", (long long)(ja ? n : m),
                     (long long)(ja ? m : n));
        }
    } else if (strncmp(rule, "escalation:", 11) == 0) {
        const char *target = rule + 11;
        xsirt_db_value p[4] = {XSIRT_DB_INTV(team), XSIRT_DB_TEXTV(target), XSIRT_DB_TEXTV(target),
                               XSIRT_DB_TEXTV(target)};
        char sql[1024];
        /* The CISO counts as management (the default rule sends critical
         * cases to the CISO group), and so does any contact group with a
         * person from management in it (the same for PR and legal: the
         * rule's names are the people's organisations). */
        snprintf(sql, sizeof sql, "%sSELECT COUNT(*) FROM escalation_rules WHERE enabled = 1 AND "
                 "target_kind = 'group' AND (team_id IS NULL OR team_id IN (SELECT id FROM up)) AND "
                 "(target = ? OR (target = 'ciso' AND ? = 'management') OR target IN (SELECT g.name FROM "
                 "contact_groups g JOIN contact_group_members m ON m.group_id = g.id WHERE m.organisation = ?))",
                 readiness_up);
        rc = xsirt_db_query_int(&n, db, sql, p, 4, err);
        answer = n > 0 ? "c" : "e";
        if (ja)
            snprintf(why, sizeof why, "連絡グループ「%s」（または%sの担当者がいる連絡グループ）へのエスカレーションルール: %lld件",
                     target, strcmp(target, "management") == 0 ? "経営層" : strcmp(target, "pr") == 0 ? "広報" : "法務",
                     (long long)n);
        else
            snprintf(why, sizeof why, "%lld escalation rules to the contact group \"%s\" (or a group with someone "
                     "from %s in it)", (long long)n, target, target);
    } else if (strcmp(rule, "soc") == 0) {
        /* A SOC anywhere in the organisation monitors for the team too. */
        rc = xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM teams WHERE kind = 'SOC'", NULL, 0, err);
        answer = n > 0 ? "a" : NULL;
        snprintf(why, sizeof why, ja ? "xsirt に登録された SOC チーム: %lld" : "%lld SOC teams in xsirt", (long long)n);
    } else if (strcmp(rule, "assets") == 0) {
        rc = readiness_count(&n, db, readiness_down, "SELECT COUNT(*) FROM assets WHERE team_id IN (SELECT id FROM sub)",
                             team, NULL, err);
        answer = n > 0 ? "a" : NULL;
        snprintf(why, sizeof why, ja ? "チームと配下のチームが xsirt で管理する資産: %lld件" :
                 "%lld assets of the team and its sub-teams managed in xsirt", (long long)n);
    } else if (strcmp(rule, "workflows") == 0) {
        rc = xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM case_kinds", NULL, 0, err);
        answer = n > 0 ? "c" : "e";
        snprintf(why, sizeof why, ja ? "ワークフローを定義した案件の種類: %lld" :
                 "%lld case kinds with a defined workflow", (long long)n);
    } else if (strcmp(rule, "contacts") == 0) {
        json_t *people = NULL;
        char *reviewed = NULL;
        const char *k;
        json_t *v;
        rc = xsirt_contact_group_summary(&people, &reviewed, db, team, err);
        json_object_foreach(people, k, v)
            n += json_integer_value(v);
        answer = n > 0 ? "c" : "e";
        snprintf(why, sizeof why, ja ? "連絡グループの登録者: %lld名（経営層 %lld、広報 %lld、法務 %lld、IT %lld、"
                 "社外 %lld）" : "%lld people in the contact groups (management %lld, PR %lld, legal %lld, IT %lld, "
                 "external %lld)", (long long)n, (long long)xsirt_json_int(people, "management"),
                 (long long)xsirt_json_int(people, "pr"), (long long)xsirt_json_int(people, "legal"),
                 (long long)xsirt_json_int(people, "it"), (long long)xsirt_json_int(people, "external"));
        free(reviewed);
        json_decref(people);
    } else if (strcmp(rule, "security_page") == 0 || strcmp(rule, "reviews") == 0 ||
               strcmp(rule, "contacts_reviewed") == 0 || strcmp(rule, "reports") == 0) {
        rc = readiness_auto_more(&answer, why, sizeof why, db, team, rule, since, ja, err);
    } else {
        return readiness_auto_describe(out, db, team, rule, ja, err);
    }
    if (rc == 0 && answer != NULL)
        *out = json_pack("{s:s, s:s}", "answer", answer, "evidence", why);
    return rc;
}

/* ---- the questionnaire with a team's answers ------------------------------ */

static int readiness_survey(json_t **survey, xsirt_error *err)
{
    json_error_t jerr;

    *survey = json_loads(xsirt_readiness_survey_json, 0, &jerr);
    return *survey != NULL ? 0 : xsirt_error_set(err, XSIRT_EINTERNAL, "readiness survey: %s", jerr.text);
}

static const json_t *readiness_find(const json_t *survey, const char *id)
{
    const json_t *qs = json_object_get(survey, "questions");

    for (size_t i = 0; i < json_array_size(qs); i++)
        if (strcmp(xsirt_json_str(json_array_get(qs, i), "id"), id) == 0)
            return json_array_get(qs, i);
    return NULL;
}

/* The chosen option of a scored question (a single choice with points);
 * NULL for any other answer. */
static const json_t *readiness_scored(const json_t *q, const json_t *answer)
{
    const json_t *o = strcmp(xsirt_readiness_kind(q), "single") == 0 ?
                      xsirt_readiness_choice(q, json_string_value(answer)) : NULL;

    return o != NULL && json_is_integer(json_object_get(o, "points")) ? o : NULL;
}

/* Score of a set of answers: points per scored answer over 4 per scored
 * question answered, as a percentage; null when none was answered. */
static json_t *readiness_score(const json_t *survey, const json_t *answers)
{
    const json_t *qs = json_object_get(survey, "questions");
    int64_t pts = 0, max = 0;

    for (size_t i = 0; i < json_array_size(qs); i++) {
        const json_t *q = json_array_get(qs, i);
        const json_t *o = readiness_scored(q, json_object_get(answers, xsirt_json_str(q, "id")));
        if (o == NULL)
            continue;
        pts += xsirt_json_int(o, "points");
        max += 4;
    }
    return max > 0 ? json_integer((json_int_t)(pts * 100 / max)) : json_null();
}

/* The latest assessment's answers (as JSON of each question's kind) and
 * the history of scores. */
static int readiness_history(json_t **latest, json_t **history, xsirt_db *db, const json_t *survey,
                             int64_t team, xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(team)};
    xsirt_db_rows *r = NULL;
    int rc;

    *latest = json_object();
    *history = json_array();
    rc = xsirt_db_query(&r, db, "SELECT a.id, a.created_at, u.username, x.question, x.answer FROM "
                                "readiness_assessments a LEFT JOIN users u ON u.id = a.created_by "
                                "JOIN readiness_answers x ON x.assessment_id = a.id WHERE a.team_id = ? "
                                "ORDER BY a.id, x.question", p, 1, err);
    for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(r);) {
        int64_t id = xsirt_db_rows_int(r, i, 0);
        json_t *answers = json_object();
        size_t first = i;
        for (; i < xsirt_db_rows_count(r) && xsirt_db_rows_int(r, i, 0) == id; i++) {
            const json_t *q = readiness_find(survey, xsirt_db_rows_text(r, i, 3));
            json_object_set_new(answers, xsirt_db_rows_text(r, i, 3),
                                q != NULL ? xsirt_readiness_decode(q, xsirt_db_rows_text(r, i, 4)) :
                                json_string(xsirt_db_rows_text(r, i, 4)));
        }
        json_array_append_new(*history, json_pack("{s:I, s:s, s:s?, s:o}", "id", (json_int_t)id, "at",
                                                  xsirt_db_rows_text(r, first, 1), "by",
                                                  xsirt_db_rows_text(r, first, 2), "score",
                                                  readiness_score(survey, answers)));
        json_decref(*latest);
        *latest = answers;
    }
    xsirt_db_rows_free(r);
    return rc;
}

static json_t *readiness_percent(json_int_t count, json_int_t of)
{
    return of > 0 ? json_real((double)(count * 1000 / of) / 10.0) : json_null();
}

/* The peers' figures of a question in the caller's language; *below gets
 * the count of surveyed teams before the answer (a scored choice with
 * fewer points, or a bin further down for a number or a month). */
static json_t *readiness_options(const json_t *q, const char *lang, const json_t *answer, json_int_t *below)
{
    const json_t *opts = json_object_get(q, "options");
    const json_t *mine = readiness_scored(q, answer), *bin = xsirt_readiness_bin(q, answer);
    json_int_t n = xsirt_json_int(q, "respondents");
    json_t *options = json_array();
    bool before = bin != NULL;

    *below = 0;
    for (size_t i = 0; i < json_array_size(opts); i++) {
        const json_t *op = json_array_get(opts, i);
        json_int_t c = xsirt_json_int(op, "count");
        json_t *o = json_pack("{s:s, s:s, s:I, s:o}", "id", xsirt_json_str(op, "id"), "text",
                              xsirt_json_str(op, lang), "count", c, "percent", readiness_percent(c, n));
        if (mine != NULL && xsirt_json_int(op, "points") < xsirt_json_int(mine, "points"))
            *below += c;
        if (op == bin)
            before = false;
        else if (before && !json_is_false(json_object_get(op, "answerable")))
            *below += c;
        if (json_is_false(json_object_get(op, "answerable")))
            json_object_set_new(o, "answerable", json_false());
        if (json_is_true(json_object_get(op, "exclusive")))
            json_object_set_new(o, "exclusive", json_true());
        json_array_append_new(options, o);
    }
    return options;
}

/* One question in the caller's language, with the peers' figures, the
 * team's answer, xsirt's suggestion and, for a weak or missing scored
 * answer, the next step. */
static json_t *readiness_question(const json_t *q, const char *lang, const json_t *sections,
                                  const json_t *answer, json_t *suggestion)
{
    const char *kind = xsirt_readiness_kind(q);
    json_int_t n = xsirt_json_int(q, "respondents"), below = 0;
    const json_t *mine = readiness_scored(q, answer), *bin = xsirt_readiness_bin(q, answer);
    bool scored = strcmp(kind, "single") == 0 && json_is_integer(json_object_get(
                      json_array_get(json_object_get(q, "options"), 0), "points"));
    json_t *o, *quotes = json_array();
    char sec[8];

    snprintf(sec, sizeof sec, "%lld", (long long)xsirt_json_int(q, "section"));
    o = json_pack("{s:s, s:I, s:s, s:s, s:s, s:O, s:o, s:I, s:o, s:O, s:o, s:s}", "id", xsirt_json_str(q, "id"),
                  "section", (json_int_t)xsirt_json_int(q, "section"), "section_title",
                  xsirt_json_str(json_object_get(sections, sec), lang), "kind", kind, "text",
                  xsirt_json_str(q, lang), "source", json_object_get(q, "source"), "respondents",
                  n > 0 ? json_integer(n) : json_null(), "unanswered", (json_int_t)xsirt_json_int(q, "unanswered"),
                  "options", readiness_options(q, lang, answer, &below), "answer",
                  answer != NULL ? answer : json_null(), "suggested",
                  suggestion != NULL ? suggestion : json_null(), "first_service", xsirt_json_str(q, "first_service"));
    json_object_set_new(o, "scored", json_boolean(scored));
    json_object_set_new(o, "peers_below", mine != NULL || bin != NULL ? readiness_percent(below, n) : json_null());
    if (bin != NULL)
        json_object_set_new(o, "bin", json_string(xsirt_json_str(bin, "id")));
    if (json_object_get(q, "depends_on") != NULL)
        json_object_set(o, "depends_on", json_object_get(q, "depends_on"));
    for (size_t i = 0; i < json_array_size(json_object_get(q, "answers")); i++) {
        const json_t *a = json_array_get(json_object_get(q, "answers"), i);
        json_array_append_new(quotes, json_pack("{s:s, s:I}", "text", xsirt_json_str(a, lang), "count",
                                                (json_int_t)xsirt_json_int(a, "count")));
    }
    if (strcmp(kind, "text") == 0)
        json_object_set(o, "seed_answers", quotes);
    json_decref(quotes);
    if (scored && (mine == NULL || xsirt_json_int(mine, "points") < 3))
        json_object_set_new(o, "next_step", json_pack("{s:s, s:s}", "text",
                                                      xsirt_json_str(json_object_get(q, "next_step"), lang),
                                                      "first_service", xsirt_json_str(q, "first_service")));
    return o;
}

static int readiness_check_team(xsirt_db *db, const xsirt_principal *by, int64_t team, xsirt_error *err)
{
    if (team == 0)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "team", "name the team that answers");
    return xsirt_metrics_check_team(db, by, team, err);
}

int xsirt_readiness_get(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t team,
                        const char *lang, xsirt_error *err)
{
    json_t *survey = NULL, *latest = NULL, *history = NULL, *qs;
    int rc;

    *out = NULL;
    if (lang == NULL || (strcmp(lang, "ja") != 0 && strcmp(lang, "en") != 0))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "language", "language must be ja or en");
    if ((rc = readiness_check_team(db, by, team, err)) != 0 || (rc = readiness_survey(&survey, err)) != 0)
        return rc;
    rc = readiness_history(&latest, &history, db, survey, team, err);
    qs = json_array();
    for (size_t i = 0; rc == 0 && i < json_array_size(json_object_get(survey, "questions")); i++) {
        const json_t *q = json_array_get(json_object_get(survey, "questions"), i);
        const char *rule = xsirt_json_str(q, "auto");
        json_t *sug = NULL;
        if (rule != NULL)
            rc = readiness_auto(&sug, db, team, rule, lang, err);
        if (rc == 0)
            json_array_append_new(qs, readiness_question(q, lang, json_object_get(survey, "sections"),
                                                         json_object_get(latest, xsirt_json_str(q, "id")), sug));
    }
    if (rc == 0)
        *out = json_pack("{s:I, s:s, s:s, s:o, s:o, s:O}", "team", (json_int_t)team, "title",
                         xsirt_json_str(json_object_get(survey, "title"), lang), "source",
                         xsirt_json_str(survey, "source"), "score", readiness_score(survey, latest),
                         "questions", qs, "history", history);
    else
        json_decref(qs);
    json_decref(history);
    json_decref(latest);
    json_decref(survey);
    return rc;
}

/* Every answer names a question of the survey and is of its kind. */
static int readiness_check_answers(const json_t *survey, const json_t *answers, xsirt_error *err)
{
    const char *k;
    json_t *v;

    json_object_foreach((json_t *)answers, k, v) {
        const json_t *q = readiness_find(survey, k);
        int rc;
        if (q == NULL) {
            char field[64];
            snprintf(field, sizeof field, "answers/%.40s", k);
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, field, "no question %.40s", k);
        }
        if ((rc = xsirt_readiness_check(q, v, err)) != 0)
            return rc;
    }
    return 0;
}

static int readiness_store_answers(xsirt_db *db, const json_t *survey, int64_t id, const json_t *answers,
                                   xsirt_error *err)
{
    const char *k;
    json_t *v;
    int rc = 0;

    json_object_foreach((json_t *)answers, k, v) {
        char *text = xsirt_readiness_encode(readiness_find(survey, k), v);
        xsirt_db_value p[3] = {XSIRT_DB_INTV(id), XSIRT_DB_TEXTV(k), XSIRT_DB_TEXTV(text)};
        rc = text == NULL ? xsirt_error_set(err, XSIRT_ENOMEM, "out of memory") :
             xsirt_db_exec(db, "INSERT INTO readiness_answers (assessment_id, question, answer) VALUES (?, ?, ?)",
                           p, 3, NULL, err);
        free(text);
        if (rc != 0)
            break;
    }
    return rc;
}

int xsirt_readiness_answer(json_t **out, xsirt_db *db, const xsirt_principal *by, const json_t *in,
                           xsirt_error *err)
{
    static const xsirt_field fields[] = {
        {"team", XSIRT_FIELD_INTEGER, true, false, 0},
        {"answers", XSIRT_FIELD_OBJECT, true, false, 0},
        {"language", XSIRT_FIELD_STRING, false, false, 2},
        {NULL, 0, false, false, 0},
    };
    const json_t *answers = json_object_get(in, "answers");
    int64_t team = xsirt_json_int(in, "team"), id = 0;
    const char *lang = xsirt_json_str(in, "language") != NULL ? xsirt_json_str(in, "language") : "en";
    json_t *survey = NULL, *after = NULL;
    char now[XSIRT_TIME_MAX], role[16] = "";
    xsirt_db_rows *r = NULL;
    xsirt_db_value p[3];
    int rc;

    *out = NULL;
    if ((rc = xsirt_json_check(in, fields, false, err)) != 0 || (rc = readiness_survey(&survey, err)) != 0)
        return rc;
    if ((rc = readiness_check_answers(survey, answers, err)) != 0 || (rc = xsirt_db_begin(db, err)) != 0) {
        json_decref(survey);
        return rc;
    }
    rc = readiness_check_team(db, by, team, err);
    if (rc == 0 && !by->admin && (rc = xsirt_team_role(role, sizeof role, db, team, by->user_id, err)) == 0 &&
        strcmp(role, "lead") != 0 && strcmp(role, "member") != 0)
        rc = xsirt_error_set(err, XSIRT_EDENIED, "the team's leads and members answer for it");
    xsirt_clock_now(now);
    p[0] = XSIRT_DB_INTV(team);
    p[1] = XSIRT_DB_TEXTV(now);
    p[2] = by->user_id != 0 ? XSIRT_DB_INTV(by->user_id) : XSIRT_DB_NULLV;
    if (rc == 0 && (rc = xsirt_db_query(&r, db, "INSERT INTO readiness_assessments (team_id, created_at, "
                                                "created_by) VALUES (?, ?, ?) RETURNING id", p, 3, err)) == 0) {
        id = xsirt_db_rows_int(r, 0, 0);
        xsirt_db_rows_free(r);
    }
    if (rc == 0)
        rc = readiness_store_answers(db, survey, id, answers, err);
    json_decref(survey);
    if (rc == 0)
        rc = xsirt_readiness_get(&after, db, by, team, lang, err);
    if (rc == 0)
        rc = xsirt_store_audit(db, by, "readiness.answer", "team", team, NULL, answers, err);
    if (rc == 0)
        *out = after;
    else
        json_decref(after);
    return xsirt_store_finish(db, rc, err);
}
