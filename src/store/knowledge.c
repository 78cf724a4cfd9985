/*
 * knowledge.c — post-incident reviews, the searchable knowledge base and
 * the exports for sharing (knowledge.h).
 *
 * Search text is the case's title, description and resolution and its
 * review, NFKC and case folded (xsirt_name_fold: full-width ＳＢＯＭ and
 * half-width ﾗﾝｻﾑ are found as SBOM and ランサム) and kept in
 * knowledge_search, which both backends index by trigrams; a query is a
 * LIKE '%q%' the index answers. Hits are then read through
 * xsirt_case_get, so the TLP rules decide what is shown, not the index.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "store/case.h"
#include "store/clock.h"
#include "store/json_input.h"
#include "store/knowledge.h"
#include "store/store.h"
#include "store/team.h"
#include "xsirt/name.h"

#define KNOWLEDGE_SCAN 1000   /* index hits read per search before visibility filtering */
#define KNOWLEDGE_TEXT (1024u * 1024u)

/* ---- the index ------------------------------------------------------------ */

int xsirt_knowledge_case_changed(xsirt_db *db, int64_t case_id, xsirt_error *err)
{
    xsirt_db_value p[2] = {XSIRT_DB_INTV(case_id), XSIRT_DB_NULLV};
    xsirt_db_rows *r = NULL;
    xsirt_buf text;
    int rc;

    if ((rc = xsirt_db_exec(db, "DELETE FROM knowledge_search WHERE case_id = ?", p, 1, NULL, err)) != 0 ||
        (rc = xsirt_db_query(&r, db, "SELECT c.title, c.description, c.resolution, v.what_happened, "
                                     "v.went_well, v.to_change, v.follow_ups FROM cases c LEFT JOIN "
                                     "case_reviews v ON v.case_id = c.id WHERE c.id = ? AND "
                                     "(c.closed_at IS NOT NULL OR v.case_id IS NOT NULL)", p, 1, err)) != 0)
        return rc;
    if (xsirt_db_rows_count(r) == 1) {
        xsirt_buf_init(&text, KNOWLEDGE_TEXT);
        for (size_t c = 0; c < 7; c++) {
            const char *s = xsirt_db_rows_text(r, 0, c);
            if (s != NULL) {
                xsirt_buf_puts(&text, s);
                xsirt_buf_putc(&text, '\n');
            }
        }
        char *folded = NULL;
        rc = xsirt_name_fold(&folded, xsirt_buf_cstr(&text), strlen(xsirt_buf_cstr(&text)), err);
        p[1] = XSIRT_DB_TEXTV(folded);
        if (rc == 0)
            rc = xsirt_db_exec(db, "INSERT INTO knowledge_search (case_id, text) VALUES (?, ?)", p, 2, NULL, err);
        free(folded);
        xsirt_buf_free(&text);
    }
    xsirt_db_rows_free(r);
    return rc;
}

/* ---- reviews --------------------------------------------------------------- */

static const char knowledge_review_sql[] =
    "SELECT what_happened, went_well, to_change, follow_ups, created_at, updated_at FROM case_reviews "
    "WHERE case_id = ?";

int xsirt_knowledge_review_get(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                               xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    xsirt_db_rows *r = NULL;
    json_t *c = NULL, *fu;
    int rc;

    *out = NULL;
    if ((rc = xsirt_case_get(&c, db, by, id, err)) != 0)
        return rc;
    if ((rc = xsirt_db_query(&r, db, knowledge_review_sql, p, 1, err)) == 0 && xsirt_db_rows_count(r) == 0)
        rc = xsirt_error_set(err, XSIRT_ENOTFOUND, "case %lld has no review", (long long)id);
    if (rc == 0) {
        fu = json_loads(xsirt_db_rows_text(r, 0, 3), 0, NULL);
        *out = json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s, s:s, s:s, s:o, s:s, s:s}", "case", (json_int_t)id,
                         "title", xsirt_json_str(c, "title"), "tlp", xsirt_json_str(c, "tlp"), "kind",
                         xsirt_json_str(c, "kind"), "closed", xsirt_json_str(json_object_get(c, "sla"), "closed"),
                         "what_happened", xsirt_db_rows_text(r, 0, 0), "went_well", xsirt_db_rows_text(r, 0, 1),
                         "to_change", xsirt_db_rows_text(r, 0, 2), "follow_ups", fu != NULL ? fu : json_array(),
                         "created", xsirt_db_rows_text(r, 0, 4), "updated", xsirt_db_rows_text(r, 0, 5));
    }
    xsirt_db_rows_free(r);
    json_decref(c);
    return rc;
}

/* Writers of the case: admins, leads and members of its team, its assignee. */
static int knowledge_check_writer(xsirt_db *db, const xsirt_principal *by, const json_t *c, xsirt_error *err)
{
    char role[16] = "";
    int rc;

    if (by->admin || xsirt_json_int(c, "assignee") == by->user_id)
        return 0;
    if ((rc = xsirt_team_role(role, sizeof role, db, xsirt_json_int(c, "team"), by->user_id, err)) != 0)
        return rc;
    if (strcmp(role, "lead") == 0 || strcmp(role, "member") == 0)
        return 0;
    return xsirt_error_set(err, XSIRT_EDENIED, "you may read this case but not review it");
}

static int knowledge_check_input(const json_t *in, xsirt_error *err)
{
    static const xsirt_field fields[] = {
        {"what_happened", XSIRT_FIELD_STRING, true, false, 64 * 1024},
        {"went_well", XSIRT_FIELD_STRING, false, false, 64 * 1024},
        {"to_change", XSIRT_FIELD_STRING, false, false, 64 * 1024},
        {"follow_ups", XSIRT_FIELD_ARRAY, false, false, 50},
        {NULL, 0, false, false, 0},
    };
    const json_t *fu = json_object_get(in, "follow_ups");
    int rc;

    if ((rc = xsirt_json_check(in, fields, false, err)) != 0)
        return rc;
    if (xsirt_json_str(in, "what_happened")[0] == '\0')
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "what_happened", "say what happened");
    for (size_t i = 0; i < json_array_size(fu); i++)
        if (!json_is_string(json_array_get(fu, i)) || json_string_length(json_array_get(fu, i)) == 0 ||
            json_string_length(json_array_get(fu, i)) > 500)
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, "follow_ups",
                                           "follow-ups are task titles of 1 to 500 bytes");
    return 0;
}

static int knowledge_save(xsirt_db *db, const xsirt_principal *by, int64_t id, const json_t *in,
                          json_t **added, xsirt_error *err)
{
    char now[XSIRT_TIME_MAX], *fu;
    const json_t *follow = json_object_get(in, "follow_ups");
    json_t *old = NULL, *before = NULL;
    xsirt_db_value p[8];
    xsirt_db_rows *r = NULL;
    int rc;

    *added = json_array();
    p[0] = XSIRT_DB_INTV(id);
    if ((rc = xsirt_db_query(&r, db, knowledge_review_sql, p, 1, err)) != 0)
        return rc;
    if (xsirt_db_rows_count(r) == 1) {
        old = json_loads(xsirt_db_rows_text(r, 0, 3), 0, NULL);
        before = json_pack("{s:s, s:s, s:s, s:O}", "what_happened", xsirt_db_rows_text(r, 0, 0), "went_well",
                           xsirt_db_rows_text(r, 0, 1), "to_change", xsirt_db_rows_text(r, 0, 2), "follow_ups",
                           old != NULL ? old : json_array());
    }
    xsirt_db_rows_free(r);
    /* Only follow-ups not listed before become new tasks. */
    for (size_t i = 0; i < json_array_size(follow); i++) {
        bool seen = false;
        for (size_t j = 0; j < json_array_size(old); j++)
            seen = seen || json_equal(json_array_get(follow, i), json_array_get(old, j));
        if (!seen)
            json_array_append(*added, json_array_get(follow, i));
    }
    json_decref(old);
    xsirt_clock_now(now);
    fu = json_dumps(follow != NULL ? follow : json_array(), JSON_COMPACT);
    p[1] = XSIRT_DB_TEXTV(xsirt_json_str(in, "what_happened"));
    p[2] = XSIRT_DB_TEXTV(xsirt_json_str(in, "went_well") ? xsirt_json_str(in, "went_well") : "");
    p[3] = XSIRT_DB_TEXTV(xsirt_json_str(in, "to_change") ? xsirt_json_str(in, "to_change") : "");
    p[4] = XSIRT_DB_TEXTV(fu != NULL ? fu : "[]");
    p[5] = by->user_id != 0 ? XSIRT_DB_INTV(by->user_id) : XSIRT_DB_NULLV;
    p[6] = XSIRT_DB_TEXTV(now);
    p[7] = XSIRT_DB_TEXTV(now);
    rc = xsirt_db_exec(db, "INSERT INTO case_reviews (case_id, what_happened, went_well, to_change, follow_ups, "
                           "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                           "ON CONFLICT (case_id) DO UPDATE SET what_happened = excluded.what_happened, "
                           "went_well = excluded.went_well, to_change = excluded.to_change, "
                           "follow_ups = excluded.follow_ups, updated_at = excluded.updated_at", p, 8, NULL, err);
    if (rc == 0) {
        p[1] = XSIRT_DB_TEXTV(now);
        p[2] = by->user_id != 0 ? XSIRT_DB_INTV(by->user_id) : XSIRT_DB_NULLV;
        rc = xsirt_db_exec(db, "INSERT INTO case_events (case_id, at, actor_id, kind, body) VALUES "
                               "(?, ?, ?, 'review', 'post-incident review recorded')", p, 3, NULL, err);
    }
    if (rc == 0)
        rc = xsirt_knowledge_case_changed(db, id, err);
    if (rc == 0)
        rc = xsirt_store_audit(db, by, before != NULL ? "case.review.update" : "case.review", "case", id,
                               before, in, err);
    free(fu);
    json_decref(before);
    return rc;
}

int xsirt_knowledge_review_put(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                               const json_t *in, xsirt_error *err)
{
    json_t *c = NULL, *added = NULL;
    const char *state;
    int rc;

    *out = NULL;
    if ((rc = knowledge_check_input(in, err)) != 0 || (rc = xsirt_case_get(&c, db, by, id, err)) != 0)
        return rc;
    state = xsirt_json_str(c, "state");
    if ((rc = knowledge_check_writer(db, by, c, err)) == 0 &&
        xsirt_json_str(json_object_get(c, "sla"), "closed") == NULL && strcmp(state, "lessons-learned") != 0)
        rc = xsirt_error_set_pointer(err, XSIRT_EINVAL, "state",
                                     "a review is written when the case is closed (or in lessons-learned)");
    json_decref(c);
    if (rc != 0)
        return rc;
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = xsirt_store_finish(db, knowledge_save(db, by, id, in, &added, err), err);
    /* Follow-ups become tasks, each with its own timeline event and audit
     * record (xsirt_case_add_task opens its own transaction). */
    for (size_t i = 0; rc == 0 && i < json_array_size(added); i++) {
        json_t *task = NULL, *t = json_pack("{s:O}", "title", json_array_get(added, i));
        rc = xsirt_case_add_task(&task, db, by, id, t, err);
        json_decref(task);
        json_decref(t);
    }
    json_decref(added);
    return rc != 0 ? rc : xsirt_knowledge_review_get(out, db, by, id, err);
}

/* ---- search ------------------------------------------------------------------ */

/* A piece of text around the first match: whole UTF-8 characters only. */
static json_t *knowledge_excerpt(const char *text, const char *q)
{
    const char *hit = strstr(text, q);
    size_t start, end, len = strlen(text);
    char buf[400];

    if (hit == NULL)
        hit = text;
    start = (size_t)(hit - text) > 90 ? (size_t)(hit - text) - 90 : 0;
    while (start > 0 && ((unsigned char)text[start] & 0xC0) == 0x80)
        start--;
    end = start + 300 < len ? start + 300 : len;
    while (end < len && ((unsigned char)text[end] & 0xC0) == 0x80)
        end--;
    snprintf(buf, sizeof buf, "%.*s", (int)(end - start), text + start);
    for (char *p = buf; *p != '\0'; p++)
        if (*p == '\n')
            *p = ' ';
    return json_string(buf);
}

int xsirt_knowledge_reindex(xsirt_db *db, xsirt_error *err)
{
    xsirt_db_rows *r = NULL;
    int rc = xsirt_db_query(&r, db, "SELECT case_id FROM knowledge_search", NULL, 0, err);

    for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(r); i++)
        rc = xsirt_knowledge_case_changed(db, xsirt_db_rows_int(r, i, 0), err);
    xsirt_db_rows_free(r);
    return rc;
}

int xsirt_knowledge_search(json_t **out, xsirt_db *db, const xsirt_principal *by, const char *q,
                           int limit, xsirt_error *err)
{
    xsirt_db_value p[2];
    xsirt_db_rows *r = NULL;
    xsirt_buf like, lower;
    json_t *items;
    size_t chars = 0;
    int rc = 0;

    *out = NULL;
    if (q == NULL || q[0] == '\0')
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "q", "give the text to search for");
    xsirt_buf_init(&like, 2048);
    xsirt_buf_init(&lower, 2048);
    {
        /* The query in the index's form (xsirt_name_fold). */
        char *folded = NULL;
        if (strlen(q) > 1024)
            return xsirt_error_set_pointer(err, XSIRT_ELIMIT, "q", "search text too long");
        if ((rc = xsirt_name_fold(&folded, q, strlen(q), err)) != 0) {
            xsirt_error_point(err, "q");
            return rc;
        }
        rc = xsirt_buf_puts(&lower, folded);
        free(folded);
        if (rc != 0) {
            xsirt_buf_free(&lower);
            return xsirt_error_set_pointer(err, XSIRT_ELIMIT, "q", "search text too long");
        }
    }
    xsirt_buf_putc(&like, '%');
    for (const char *s = lower.data; rc == 0 && *s != '\0'; s++) {
        if (*s == '%' || *s == '_' || *s == '\\')
            xsirt_buf_putc(&like, '\\');
        rc = xsirt_buf_putc(&like, *s);
    }
    xsirt_buf_putc(&like, '%');
    p[0] = XSIRT_DB_TEXTV(xsirt_buf_cstr(&like));
    p[1] = XSIRT_DB_INTV(KNOWLEDGE_SCAN);
    /* FTS5 answers LIKE from its trigram index only without ESCAPE and
     * for three characters or more (shorter, it finds nothing); with the
     * clause it reads every row and applies LIKE itself. */
    for (const char *c = lower.data; *c != '\0'; c++)
        chars += ((unsigned char)*c & 0xC0) != 0x80;
    if (rc == 0)
        rc = xsirt_db_query(&r, db, strpbrk(lower.data, "%_\\") != NULL || chars < 3
                                        ? "SELECT case_id, text FROM knowledge_search WHERE text LIKE ? "
                                          "ESCAPE '\\' ORDER BY case_id DESC LIMIT ?"
                                        : "SELECT case_id, text FROM knowledge_search WHERE text LIKE ? "
                                          "ORDER BY case_id DESC LIMIT ?", p, 2, err);
    items = json_array();
    for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(r) && json_array_size(items) < (size_t)limit; i++) {
        json_t *c = NULL;
        xsirt_error e;
        xsirt_db_value cp[1] = {XSIRT_DB_INTV(xsirt_db_rows_int(r, i, 0))};
        int64_t reviewed = 0;
        int crc = xsirt_case_get(&c, db, by, xsirt_db_rows_int(r, i, 0), &e);
        if (crc == XSIRT_ENOTFOUND)
            continue;   /* not for this reader: not even its existence */
        if ((rc = crc) != 0 ||
            (rc = xsirt_db_query_int(&reviewed, db, "SELECT COUNT(*) FROM case_reviews WHERE case_id = ?",
                                     cp, 1, err)) != 0) {
            json_decref(c);
            break;
        }
        json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:s?, s:b, s:o}", "case",
                                               (json_int_t)xsirt_db_rows_int(r, i, 0), "title",
                                               xsirt_json_str(c, "title"), "tlp", xsirt_json_str(c, "tlp"),
                                               "state", xsirt_json_str(c, "state"), "closed",
                                               xsirt_json_str(json_object_get(c, "sla"), "closed"), "reviewed",
                                               reviewed > 0, "excerpt",
                                               knowledge_excerpt(xsirt_db_rows_text(r, i, 1), lower.data)));
        json_decref(c);
    }
    xsirt_db_rows_free(r);
    xsirt_buf_free(&like);
    xsirt_buf_free(&lower);
    if (rc != 0) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:o, s:n}", "items", items, "next");
    return 0;
}

/* ---- exports -------------------------------------------------------------- */

int xsirt_knowledge_markdown(char **out, const json_t *review, xsirt_error *err)
{
    static const char *const parts[][2] = {{"what_happened", "What happened"}, {"went_well", "What went well"},
                                           {"to_change", "What to change"}};
    const json_t *fu = json_object_get(review, "follow_ups");
    xsirt_buf b;
    int rc;

    *out = NULL;
    xsirt_buf_init(&b, KNOWLEDGE_TEXT);
    xsirt_buf_printf(&b, "**TLP:%s**\n\n# Post-incident review: %s\n\nCase %lld (%s), closed %s.\n",
                     xsirt_json_str(review, "tlp"), xsirt_json_str(review, "title"),
                     (long long)xsirt_json_int(review, "case"), xsirt_json_str(review, "kind"),
                     xsirt_json_str(review, "closed") ? xsirt_json_str(review, "closed") : "-");
    for (size_t i = 0; i < 3; i++)
        if (xsirt_json_str(review, parts[i][0]) != NULL && xsirt_json_str(review, parts[i][0])[0] != '\0')
            xsirt_buf_printf(&b, "\n## %s\n\n%s\n", parts[i][1], xsirt_json_str(review, parts[i][0]));
    if (json_array_size(fu) > 0)
        xsirt_buf_puts(&b, "\n## Follow-up tasks\n\n");
    for (size_t i = 0; i < json_array_size(fu); i++)
        xsirt_buf_printf(&b, "- %s\n", json_string_value(json_array_get(fu, i)));
    rc = xsirt_buf_printf(&b, "\n**TLP:%s** — share only as TLP:%s allows (FIRST TLP 2.0).\n",
                          xsirt_json_str(review, "tlp"), xsirt_json_str(review, "tlp"));
    if (rc != 0) {
        xsirt_buf_free(&b);
        return xsirt_error_set(err, XSIRT_ELIMIT, "review too long to export");
    }
    *out = xsirt_buf_detach(&b);
    return *out != NULL ? 0 : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
}

static void knowledge_uuid(char *out, size_t size, const char *type)
{
    unsigned char u[16];

    randombytes_buf(u, sizeof u);
    u[6] = (unsigned char)((u[6] & 0x0F) | 0x40);   /* version 4 */
    u[8] = (unsigned char)((u[8] & 0x3F) | 0x80);   /* RFC 4122 variant */
    snprintf(out, size, "%s--%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", type,
             u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

/* STIX 2.1's predefined TLP marking definitions (section 7.2.1.4); TLP 2.0
 * CLEAR is TLP 1.0 WHITE. AMBER+STRICT has none: it is marked AMBER plus a
 * statement marking that names the restriction. */
static json_t *knowledge_tlp_marking(const char *tlp)
{
    static const char *const defs[][4] = {
        {"CLEAR", "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", "white", "TLP:WHITE"},
        {"GREEN", "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", "green", "TLP:GREEN"},
        {"AMBER", "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", "amber", "TLP:AMBER"},
        {"AMBER+STRICT", "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", "amber", "TLP:AMBER"},
        {"RED", "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", "red", "TLP:RED"},
    };

    for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++) {
        if (strcmp(defs[i][0], tlp) != 0)
            continue;
        return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s}}", "type", "marking-definition", "spec_version",
                         "2.1", "id", defs[i][1], "created", "2017-01-20T00:00:00.000Z", "definition_type", "tlp",
                         "name", defs[i][3], "definition", "tlp", defs[i][2]);
    }
    return NULL;
}

int xsirt_knowledge_stix(json_t **out, const json_t *review, xsirt_error *err)
{
    const char *tlp = xsirt_json_str(review, "tlp");
    json_t *marking = knowledge_tlp_marking(tlp != NULL ? tlp : ""), *refs, *objects;
    char bundle[64], report[64], note[64], statement[64], now[XSIRT_TIME_MAX], *md = NULL;
    int rc;

    *out = NULL;
    if (marking == NULL)
        return xsirt_error_set(err, XSIRT_EINTERNAL, "unknown TLP %s", tlp != NULL ? tlp : "");
    if ((rc = xsirt_knowledge_markdown(&md, review, err)) != 0) {
        json_decref(marking);
        return rc;
    }
    xsirt_clock_now(now);
    knowledge_uuid(bundle, sizeof bundle, "bundle");
    knowledge_uuid(report, sizeof report, "report");
    knowledge_uuid(note, sizeof note, "note");
    refs = json_pack("[O]", json_object_get(marking, "id"));
    objects = json_pack("[o]", marking);
    if (strcmp(tlp, "AMBER+STRICT") == 0) {
        knowledge_uuid(statement, sizeof statement, "marking-definition");
        json_array_append_new(objects, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s}}", "type",
                                                 "marking-definition", "spec_version", "2.1", "id", statement,
                                                 "created", now, "name", "TLP:AMBER+STRICT", "definition_type",
                                                 "statement", "definition", "statement",
                                                 "TLP:AMBER+STRICT (FIRST TLP 2.0): share only within the "
                                                 "recipient's own organisation."));
        json_array_append_new(refs, json_string(statement));
    }
    json_array_append_new(objects, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:s, s:[s], s:O}",
                                             "type", "report", "spec_version", "2.1", "id", report, "created", now,
                                             "modified", now, "name", xsirt_json_str(review, "title"),
                                             "description", xsirt_json_str(review, "what_happened"),
                                             "report_types", "threat-report", "published", now, "object_refs",
                                             note, "object_marking_refs", refs));
    json_array_append_new(objects, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:O}", "type", "note",
                                             "spec_version", "2.1", "id", note, "created", now, "modified", now,
                                             "abstract", "Post-incident review", "content", md, "object_refs",
                                             report, "object_marking_refs", refs));
    free(md);
    json_decref(refs);
    *out = json_pack("{s:s, s:s, s:o}", "type", "bundle", "id", bundle, "objects", objects);
    return *out != NULL ? 0 : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
}
