/*
 * readiness.c — the readiness self-assessment (readiness.h): the JPCERT/CC
 * survey's questions as data (data/readiness/csirt-survey.json, compiled
 * in), a team's answers kept as dated assessments, answers xsirt can
 * suggest from its own records, where the 66 surveyed CSIRTs stood on
 * each answer, and the next step with its FIRST service.
 *
 * A suggestion is evidence, not a verdict: xsirt can see that escalation
 * rules exist, not whether the CISO approved the document, so it never
 * suggests the two "approved" answers — the team does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/clock.h"
#include "store/json_input.h"
#include "store/metrics.h"
#include "store/readiness.h"
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
    char sql[1024];
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
        snprintf(sql, sizeof sql, "%s%s((action IN ('team.member.set','team.member.remove') AND object_id IN "
                 "(SELECT CAST(id AS TEXT) FROM up)) OR action LIKE 'escalation_rule.%%')", readiness_up,
                 readiness_quarters);
        rc = xsirt_db_query_int(&n, db, sql, p, 2, err);
        *answer = readiness_frequency(n, "e");
        snprintf(why, size, ja ? "過去1年にメンバーやエスカレーション先を変更した四半期: %lld" :
                 "the team's members or escalation contacts changed in %lld quarters of the last year",
                 (long long)n);
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

/* The suggested answer for a rule of the survey file, with its evidence
 * in words; NULL when xsirt knows nothing to say. */
static int readiness_auto(json_t **out, xsirt_db *db, int64_t team, const char *rule, const char *lang,
                          xsirt_error *err)
{
    bool ja = strcmp(lang, "ja") == 0;
    char since[XSIRT_TIME_MAX], why[256];
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
        xsirt_db_value p[3] = {XSIRT_DB_INTV(team), XSIRT_DB_TEXTV(target), XSIRT_DB_TEXTV(target)};
        char sql[1024];
        /* The CISO counts as management (the default rule sends critical
         * cases to the CISO group). */
        snprintf(sql, sizeof sql, "%sSELECT COUNT(*) FROM escalation_rules WHERE enabled = 1 AND "
                 "target_kind = 'group' AND (team_id IS NULL OR team_id IN (SELECT id FROM up)) AND "
                 "(target = ? OR (target = 'ciso' AND ? = 'management'))", readiness_up);
        rc = xsirt_db_query_int(&n, db, sql, p, 3, err);
        answer = n > 0 ? "c" : "e";
        if (ja)
            snprintf(why, sizeof why, "連絡グループ「%s」へのエスカレーションルール: %lld件", target, (long long)n);
        else
            snprintf(why, sizeof why, "%lld escalation rules to the contact group \"%s\"", (long long)n, target);
    } else if (strcmp(rule, "workflows") == 0) {
        rc = xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM case_kinds", NULL, 0, err);
        answer = n > 0 ? "c" : "e";
        snprintf(why, sizeof why, ja ? "ワークフローを定義した案件の種類: %lld" :
                 "%lld case kinds with a defined workflow", (long long)n);
    } else if (strcmp(rule, "contacts") == 0) {
        rc = xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM contact_group_members", NULL, 0, err);
        answer = n > 0 ? "c" : "e";
        snprintf(why, sizeof why, ja ? "連絡グループの登録者: %lld名" : "%lld people in contact groups",
                 (long long)n);
    } else if (strcmp(rule, "security_page") == 0 || strcmp(rule, "reviews") == 0 ||
               strcmp(rule, "contacts_reviewed") == 0 || strcmp(rule, "reports") == 0) {
        rc = readiness_auto_more(&answer, why, sizeof why, db, team, rule, since, ja, err);
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

static const json_t *readiness_option(const json_t *q, const char *id)
{
    const json_t *opts = json_object_get(q, "options");

    for (size_t i = 0; id != NULL && i < json_array_size(opts); i++)
        if (strcmp(xsirt_json_str(json_array_get(opts, i), "id"), id) == 0)
            return json_array_get(opts, i);
    return NULL;
}

/* Score of a set of answers: points per answer over 4 per question
 * answered, as a percentage; null when nothing was answered. */
static json_t *readiness_score(const json_t *survey, const json_t *answers)
{
    const json_t *qs = json_object_get(survey, "questions");
    int64_t pts = 0, max = 0;

    for (size_t i = 0; i < json_array_size(qs); i++) {
        const json_t *q = json_array_get(qs, i);
        const json_t *o = readiness_option(q, json_string_value(json_object_get(answers, xsirt_json_str(q, "id"))));
        if (o == NULL)
            continue;
        pts += xsirt_json_int(o, "points");
        max += 4;
    }
    return max > 0 ? json_integer((json_int_t)(pts * 100 / max)) : json_null();
}

/* The latest assessment's answers and the history of scores. */
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
        for (; i < xsirt_db_rows_count(r) && xsirt_db_rows_int(r, i, 0) == id; i++)
            json_object_set_new(answers, xsirt_db_rows_text(r, i, 3), json_string(xsirt_db_rows_text(r, i, 4)));
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

/* One question in the caller's language, with the peers' figures, the
 * team's answer, xsirt's suggestion and the next step. */
static json_t *readiness_question(const json_t *q, const char *lang, const json_t *sections,
                                  const char *answer, json_t *suggestion)
{
    const json_t *opts = json_object_get(q, "options");
    json_int_t n = xsirt_json_int(q, "respondents"), below = 0;
    const json_t *mine = readiness_option(q, answer);
    json_t *options = json_array(), *o;
    char sec[8];
    bool weak;

    for (size_t i = 0; i < json_array_size(opts); i++) {
        const json_t *op = json_array_get(opts, i);
        json_int_t c = xsirt_json_int(op, "count");
        if (mine != NULL && xsirt_json_int(op, "points") < xsirt_json_int(mine, "points"))
            below += c;
        json_array_append_new(options, json_pack("{s:s, s:s, s:I, s:f}", "id", xsirt_json_str(op, "id"),
                                                 "text", xsirt_json_str(op, lang), "count", c, "percent",
                                                 (double)(c * 1000 / n) / 10.0));
    }
    snprintf(sec, sizeof sec, "%lld", (long long)xsirt_json_int(q, "section"));
    weak = mine == NULL || xsirt_json_int(mine, "points") < 3;
    o = json_pack("{s:s, s:I, s:s, s:s, s:O, s:I, s:I, s:o, s:s?, s:o, s:o}", "id", xsirt_json_str(q, "id"),
                  "section", (json_int_t)xsirt_json_int(q, "section"), "section_title",
                  xsirt_json_str(json_object_get(sections, sec), lang), "text", xsirt_json_str(q, lang),
                  "source", json_object_get(q, "source"), "respondents", n, "unanswered",
                  (json_int_t)xsirt_json_int(q, "unanswered"), "options", options, "answer", answer,
                  "suggested", suggestion != NULL ? suggestion : json_null(), "peers_below",
                  mine != NULL ? json_real((double)(below * 1000 / n) / 10.0) : json_null());
    if (weak)
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
                                                         json_string_value(json_object_get(latest, xsirt_json_str(q, "id"))),
                                                         sug));
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
    xsirt_db_value p[4];
    const char *k;
    json_t *v;
    int rc;

    *out = NULL;
    if ((rc = xsirt_json_check(in, fields, false, err)) != 0 || (rc = readiness_survey(&survey, err)) != 0)
        return rc;
    json_object_foreach((json_t *)answers, k, v) {
        const json_t *q = NULL;
        for (size_t i = 0; q == NULL && i < json_array_size(json_object_get(survey, "questions")); i++)
            if (strcmp(xsirt_json_str(json_array_get(json_object_get(survey, "questions"), i), "id"), k) == 0)
                q = json_array_get(json_object_get(survey, "questions"), i);
        if (q == NULL || !json_is_string(v) || readiness_option(q, json_string_value(v)) == NULL) {
            json_decref(survey);
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, "answers",
                                           q == NULL ? "no question %s" : "question %s has no such option", k);
        }
    }
    json_decref(survey);
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
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
    json_object_foreach((json_t *)answers, k, v) {
        if (rc != 0)
            break;
        p[0] = XSIRT_DB_INTV(id);
        p[1] = XSIRT_DB_TEXTV(k);
        p[2] = XSIRT_DB_TEXTV(json_string_value(v));
        rc = xsirt_db_exec(db, "INSERT INTO readiness_answers (assessment_id, question, answer) VALUES (?, ?, ?)",
                           p, 3, NULL, err);
    }
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
