/*
 * advisory.c — advisories (see advisory.h): drafts made from a case, their
 * edits with optimistic concurrency, the CSAF document built from the
 * case's findings and assets (formats/csaf_write.c), and publication of a
 * validator-clean revision, each write with its audit record in one
 * transaction. Visibility is the case's (xsirt_case_visible), so an
 * advisory is never seen by someone its case is hidden from.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/csaf_write.h"
#include "formats/cve5_validate.h"
#include "formats/cve5_write.h"
#include "store/advisory.h"
#include "store/asset.h"
#include "store/case.h"
#include "store/clock.h"
#include "store/finding.h"
#include "store/json_input.h"
#include "store/metrics.h"
#include "store/settings.h"
#include "xsirt/csaf_validate.h"
#include "xsirt/limits.h"

/* The most findings one advisory reads: xsirt_finding_of_case's bound. */
#define ADVISORY_NOTES_MAX 50
#define ADVISORY_REFS_MAX 200

static const char *const advisory_profiles[] = {"csaf_security_advisory", "csaf_vex", NULL};
static const char *const advisory_note_categories[] = {
    "description", "details", "faq", "general", "legal_disclaimer", "other", "summary", NULL};

/* Fields kept in the content column, as the API names them. */
static const char *const advisory_content_fields[] = {
    "summary", "notes", "references", "remediation", "cwes", "acknowledgments",
    "revision_summary", "fixed_in", "descriptions_ja", NULL};

static const xsirt_field advisory_fields[] = {
    {"case", XSIRT_FIELD_INTEGER, false, false, 0},
    {"profile", XSIRT_FIELD_STRING, false, false, 32},
    {"title", XSIRT_FIELD_STRING, false, false, 500},
    {"tracking_id", XSIRT_FIELD_STRING, false, false, 100},
    {"summary", XSIRT_FIELD_STRING, false, true, 64 * 1024},
    {"notes", XSIRT_FIELD_ARRAY, false, false, ADVISORY_NOTES_MAX},
    {"references", XSIRT_FIELD_ARRAY, false, false, ADVISORY_REFS_MAX},
    {"remediation", XSIRT_FIELD_STRING, false, true, 16 * 1024},
    {"cwes", XSIRT_FIELD_OBJECT, false, false, 0},
    {"acknowledgments", XSIRT_FIELD_ARRAY, false, false, ADVISORY_NOTES_MAX},
    {"revision_summary", XSIRT_FIELD_STRING, false, true, 4096},
    {"fixed_in", XSIRT_FIELD_ARRAY, false, false, ADVISORY_REFS_MAX},
    {"descriptions_ja", XSIRT_FIELD_OBJECT, false, false, 0},
    {NULL, 0, false, false, 0},
};

static const char advisory_columns[] =
    "a.id, a.case_id, a.profile, a.title, a.tracking_id, a.status, a.content, a.history, "
    "a.drafts, a.published, a.initial_release, a.published_at, a.created_at, a.updated_at, "
    "a.revision, c.tlp";

static int advisory_bad(xsirt_error *err, const char *field, const char *msg)
{
    return xsirt_error_set_pointer(err, XSIRT_EINVAL, field, "%s", msg);
}

/* Checks the fields a PATCH may carry, beyond their JSON types. */
static int advisory_check(const json_t *in, bool partial, xsirt_error *err)
{
    const json_t *x, *v;
    const char *key, *s;
    size_t i;
    int rc;

    if ((rc = xsirt_json_check(in, advisory_fields, partial, err)) != 0)
        return rc;
    if ((s = xsirt_json_str(in, "profile")) != NULL &&
        (rc = xsirt_json_enum(s, advisory_profiles, "profile", err)) != 0)
        return rc;
    if ((s = xsirt_json_str(in, "title")) != NULL && s[0] == '\0')
        return advisory_bad(err, "title", "title must not be empty");
    if ((s = xsirt_json_str(in, "tracking_id")) != NULL) {
        /* CSAF: at least one printable character, no space at either end. */
        bool ok = s[0] != '\0' && s[0] != ' ' && s[strlen(s) - 1] != ' ';
        for (i = 0; ok && s[i] != '\0'; i++)
            ok = (unsigned char)s[i] >= 0x20 && s[i] != 0x7f;
        if (!ok)
            return advisory_bad(err, "tracking_id", "tracking_id must be printable, without "
                                "spaces at either end");
    }
    json_array_foreach(json_object_get(in, "notes"), i, x) {
        if (!json_is_object(x) || json_string_value(json_object_get(x, "text")) == NULL ||
            xsirt_json_enum(xsirt_json_str(x, "category"), advisory_note_categories, "notes",
                            NULL) != 0)
            return advisory_bad(err, "notes", "each note is {\"category\" (description, details, "
                                "faq, general, legal_disclaimer, other or summary), \"text\", "
                                "\"title\"?}");
    }
    json_array_foreach(json_object_get(in, "references"), i, x) {
        const char *url = json_string_value(json_object_get(x, "url"));
        if (url == NULL || (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0) ||
            json_string_value(json_object_get(x, "summary")) == NULL)
            return advisory_bad(err, "references", "each reference is {\"url\" (http or https), "
                                "\"summary\"}");
    }
    json_array_foreach(json_object_get(in, "acknowledgments"), i, x) {
        if (!json_is_object(x) || json_object_size(x) == 0)
            return advisory_bad(err, "acknowledgments", "each acknowledgment is {\"names\"?, "
                                "\"organization\"?, \"summary\"?, \"urls\"?}");
    }
    json_array_foreach(json_object_get(in, "fixed_in"), i, x) {
        if (!json_is_integer(x) || json_integer_value(x) <= 0)
            return advisory_bad(err, "fixed_in", "fixed_in lists the ids of the assets (the "
                                "product versions) that fix the vulnerabilities");
    }
    json_object_foreach((json_t *)json_object_get(in, "descriptions_ja"), key, v) {
        if (strncmp(key, "CVE-", 4) != 0 || json_string_value(v) == NULL ||
            json_string_length(v) == 0 || json_string_length(v) > 4096)
            return advisory_bad(err, "descriptions_ja", "descriptions_ja maps a CVE id to its "
                                "Japanese description (at most 4096 bytes)");
    }
    json_object_foreach((json_t *)json_object_get(in, "cwes"), key, v) {
        s = json_string_value(json_object_get(v, "id"));
        if (s == NULL || strncmp(s, "CWE-", 4) != 0 ||
            json_string_value(json_object_get(v, "name")) == NULL)
            return advisory_bad(err, "cwes", "cwes maps a vulnerability id to {\"id\": "
                                "\"CWE-n\", \"name\"} as the CWE list names it");
    }
    return 0;
}

/* The advisory row r as the API shows it. */
static json_t *advisory_json(const xsirt_db_rows *rows, size_t r)
{
    static const char *const ints[] = {"id", "case_id", "drafts", "published", "revision", NULL};
    json_t *o = xsirt_store_row_json(rows, r, ints);
    json_t *content, *history;
    char version[32];
    int64_t published, drafts;

    if (o == NULL)
        return NULL;
    content = json_loads(xsirt_json_str(o, "content"), 0, NULL);
    history = json_loads(xsirt_json_str(o, "history"), 0, NULL);
    json_object_set(o, "case", json_object_get(o, "case_id"));
    json_object_del(o, "case_id");
    json_object_set(o, "created", json_object_get(o, "created_at"));
    json_object_set(o, "updated", json_object_get(o, "updated_at"));
    json_object_del(o, "created_at");
    json_object_del(o, "updated_at");
    json_object_del(o, "content");
    json_object_set_new(o, "history", history != NULL ? history : json_array());
    if (json_is_object(content))
        json_object_update(o, content);
    json_decref(content);
    published = xsirt_json_int(o, "published");
    drafts = xsirt_json_int(o, "drafts");
    if (strcmp(xsirt_json_str(o, "status"), "final") == 0)
        snprintf(version, sizeof version, "%lld.0.0", (long long)published);
    else if (published == 0)
        snprintf(version, sizeof version, "0.%lld.0", (long long)drafts);
    else
        snprintf(version, sizeof version, "%lld.0.0", (long long)published + 1);
    json_object_set_new(o, "version", json_string(version));
    json_object_del(o, "drafts");
    return o;
}

/* Loads advisory id without a visibility check. */
static int advisory_load(json_t **out, xsirt_db *db, int64_t id, xsirt_error *err)
{
    char sql[512];
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    xsirt_db_rows *rows = NULL;
    int rc;

    *out = NULL;
    snprintf(sql, sizeof sql, "SELECT %s FROM advisories a JOIN cases c ON c.id = a.case_id "
                              "WHERE a.id = ?", advisory_columns);
    if ((rc = xsirt_db_query(&rows, db, sql, p, 1, err)) != 0)
        return rc;
    if (xsirt_db_rows_count(rows) == 0)
        rc = xsirt_error_set(err, XSIRT_ENOTFOUND, "no advisory %lld", (long long)id);
    else if ((*out = advisory_json(rows, 0)) == NULL)
        rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    xsirt_db_rows_free(rows);
    return rc;
}

/* Ends a write of advisory id: reads it back into *out, records the audit
 * record (action, before -> after) and commits; on any failure *out is
 * NULL and the transaction rolls back. */
static int advisory_finish(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                           const char *action, const json_t *before, int rc, xsirt_error *err)
{
    if (rc == 0)
        rc = advisory_load(out, db, id, err);
    if (rc == 0)
        rc = xsirt_store_audit(db, by, action, "advisory", id, before, *out, err);
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return xsirt_store_finish(db, rc, err);
}

int xsirt_advisory_get(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                       xsirt_error *err)
{
    int rc = advisory_load(out, db, id, err);

    if (rc == 0 && !xsirt_case_visible_to(db, by, xsirt_json_int(*out, "case"))) {
        json_decref(*out);
        *out = NULL;
        rc = xsirt_error_set(err, XSIRT_ENOTFOUND, "no advisory %lld", (long long)id);
    }
    return rc;
}

int xsirt_advisory_list(json_t **out, xsirt_db *db, const xsirt_principal *by,
                        const xsirt_page *pg, xsirt_error *err)
{
    char sql[512];
    int limit = xsirt_page_limit(pg);
    xsirt_db_value p[2] = {XSIRT_DB_INTV(pg->cursor), XSIRT_DB_INTV(XSIRT_LIMIT_PAGE_ITEMS + 1)};
    xsirt_db_rows *rows = NULL;
    xsirt_pager pager;
    size_t n, i, taken = 0;
    int rc;

    *out = NULL;
    /* Rows the caller may not see are skipped, so a page reads at most
     * the largest page of candidates and may come back short. */
    snprintf(sql, sizeof sql, "SELECT %s FROM advisories a JOIN cases c ON c.id = a.case_id "
                              "WHERE a.id > ? ORDER BY a.id LIMIT ?", advisory_columns);
    if ((rc = xsirt_db_query(&rows, db, sql, p, 2, err)) != 0)
        return rc;
    n = xsirt_db_rows_count(rows);
    xsirt_pager_init(&pager);
    for (i = 0; i < n && taken < (size_t)limit && i < XSIRT_LIMIT_PAGE_ITEMS; i++) {
        int64_t id = xsirt_db_rows_int(rows, i, 0);
        if (!xsirt_case_visible_to(db, by, xsirt_db_rows_int(rows, i, 1))) {
            xsirt_pager_skip(&pager, id);
            continue;
        }
        if (!xsirt_pager_add(&pager, advisory_json(rows, i), id))
            break;
        taken++;
    }
    xsirt_db_rows_free(rows);
    *out = xsirt_pager_finish(&pager, i < n);
    return *out != NULL ? 0 : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
}

/* The content column's object: the content fields of base, then of in. */
static char *advisory_content(const json_t *base, const json_t *in)
{
    json_t *c = json_object();
    char *text;

    for (size_t i = 0; advisory_content_fields[i] != NULL; i++) {
        const char *k = advisory_content_fields[i];
        json_t *v = json_object_get(in, k) != NULL ? json_object_get(in, k)
                                                   : json_object_get(base, k);
        if (v != NULL && !json_is_null(v))
            json_object_set(c, k, v);
    }
    text = json_dumps(c, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(c);
    return text;
}

int xsirt_advisory_create(json_t **out, xsirt_db *db, const xsirt_principal *by,
                          const json_t *in, xsirt_error *err)
{
    json_t *kase = NULL;
    xsirt_db_rows *rows = NULL;
    xsirt_db_value p[8];
    char now[XSIRT_TIME_MAX], nonce[40], tracking[64];
    unsigned char r[12];
    int64_t case_id = xsirt_json_int(in, "case"), id = 0;
    char *content = NULL;
    int rc;

    *out = NULL;
    if ((rc = advisory_check(in, false, err)) != 0)
        return rc;
    if (case_id <= 0)
        return advisory_bad(err, "case", "case is required: the case the advisory is made from");
    if ((rc = xsirt_case_get(&kase, db, by, case_id, err)) != 0 ||
        (rc = xsirt_case_check_write(db, by, case_id, err)) != 0) {
        json_decref(kase);
        return rc;
    }
    if ((content = advisory_content(NULL, in)) == NULL) {
        json_decref(kase);
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    xsirt_clock_now(now);
    /* A unique placeholder until the id gives the default tracking id. */
    randombytes_buf(r, sizeof r);
    sodium_bin2hex(nonce, sizeof nonce, r, sizeof r);
    p[0] = XSIRT_DB_INTV(case_id);
    p[1] = XSIRT_DB_TEXTV(xsirt_json_str(in, "profile") != NULL ? xsirt_json_str(in, "profile")
                                                                : "csaf_security_advisory");
    p[2] = XSIRT_DB_TEXTV(xsirt_json_str(in, "title") != NULL ? xsirt_json_str(in, "title")
                                                              : xsirt_json_str(kase, "title"));
    p[3] = XSIRT_DB_TEXTV(xsirt_json_str(in, "tracking_id") != NULL
                              ? xsirt_json_str(in, "tracking_id") : nonce);
    p[4] = XSIRT_DB_TEXTV(content);
    p[5] = XSIRT_DB_TEXTV(now);
    p[6] = XSIRT_DB_TEXTV(now);
    if ((rc = xsirt_db_begin(db, err)) != 0) {
        free(content);
        json_decref(kase);
        return rc;
    }
    rc = xsirt_db_query(&rows, db, "INSERT INTO advisories (case_id, profile, title, tracking_id, "
                                   "content, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                                   "RETURNING id", p, 7, err);
    if (rc == XSIRT_ECONFLICT)
        rc = advisory_bad(err, "tracking_id", "another advisory has this tracking_id");
    if (rc == 0) {
        id = xsirt_db_rows_int(rows, 0, 0);
        xsirt_db_rows_free(rows);
    }
    if (rc == 0 && xsirt_json_str(in, "tracking_id") == NULL) {
        snprintf(tracking, sizeof tracking, "XSIRT-%.4s-%04lld", now, (long long)id);
        p[0] = XSIRT_DB_TEXTV(tracking);
        p[1] = XSIRT_DB_INTV(id);
        rc = xsirt_db_exec(db, "UPDATE advisories SET tracking_id = ? WHERE id = ?", p, 2, NULL,
                           err);
    }
    free(content);
    json_decref(kase);
    return advisory_finish(out, db, by, id, "advisory.create", NULL, rc, err);
}

/* Reads advisory id for a write by by: visible, case writable, and at
 * revision (0: any). */
static int advisory_begin_write(json_t **before, xsirt_db *db, const xsirt_principal *by,
                                int64_t id, int64_t revision, xsirt_error *err)
{
    int rc;

    if ((rc = xsirt_advisory_get(before, db, by, id, err)) != 0 ||
        (rc = xsirt_case_check_write(db, by, xsirt_json_int(*before, "case"), err)) != 0)
        return rc;
    if (revision != 0 && revision != xsirt_json_int(*before, "revision"))
        return xsirt_error_set_pointer(err, XSIRT_ECONFLICT, "If-Match",
                                       "advisory %lld changed since revision %lld (now %lld): "
                                       "reload and retry", (long long)id, (long long)revision,
                                       (long long)xsirt_json_int(*before, "revision"));
    return 0;
}

int xsirt_advisory_update(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                          int64_t revision, const json_t *in, xsirt_error *err)
{
    json_t *before = NULL;
    xsirt_db_value p[8];
    char now[XSIRT_TIME_MAX], *content = NULL;
    int64_t n = 0;
    int rc;

    *out = NULL;
    if ((rc = advisory_check(in, true, err)) != 0)
        return rc;
    if (json_object_get(in, "case") != NULL)
        return advisory_bad(err, "case", "an advisory stays with the case it was made from");
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = advisory_begin_write(&before, db, by, id, revision, err);
    if (rc == 0 && xsirt_json_str(in, "tracking_id") != NULL &&
        xsirt_json_int(before, "published") > 0 &&
        strcmp(xsirt_json_str(in, "tracking_id"), xsirt_json_str(before, "tracking_id")) != 0)
        rc = advisory_bad(err, "tracking_id", "a published advisory keeps its tracking_id");
    if (rc == 0 && (content = advisory_content(before, in)) == NULL)
        rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    if (rc == 0) {
        xsirt_clock_now(now);
        p[0] = XSIRT_DB_TEXTV(xsirt_json_str(in, "profile") != NULL ? xsirt_json_str(in, "profile")
                                                                    : xsirt_json_str(before, "profile"));
        p[1] = XSIRT_DB_TEXTV(xsirt_json_str(in, "title") != NULL ? xsirt_json_str(in, "title")
                                                                  : xsirt_json_str(before, "title"));
        p[2] = XSIRT_DB_TEXTV(xsirt_json_str(in, "tracking_id") != NULL
                                  ? xsirt_json_str(in, "tracking_id")
                                  : xsirt_json_str(before, "tracking_id"));
        p[3] = XSIRT_DB_TEXTV(content);
        p[4] = XSIRT_DB_TEXTV(now);
        p[5] = XSIRT_DB_INTV(id);
        p[6] = XSIRT_DB_INTV(xsirt_json_int(before, "revision"));
        /* An edit makes a draft: of the next version once published. */
        rc = xsirt_db_exec(db, "UPDATE advisories SET profile = ?, title = ?, tracking_id = ?, "
                               "content = ?, updated_at = ?, status = 'draft', drafts = CASE WHEN "
                               "status = 'final' THEN 1 ELSE drafts + 1 END, revision = revision "
                               "+ 1 WHERE id = ? AND revision = ?", p, 7, &n, err);
        if (rc == XSIRT_ECONFLICT)
            rc = advisory_bad(err, "tracking_id", "another advisory has this tracking_id");
        else if (rc == 0 && n == 0)
            rc = xsirt_error_set_pointer(err, XSIRT_ECONFLICT, "If-Match",
                                         "advisory %lld changed meanwhile: reload and retry",
                                         (long long)id);
    }
    free(content);
    rc = advisory_finish(out, db, by, id, "advisory.update", before, rc, err);
    json_decref(before);
    return rc;
}

/* ---- the CSAF document ---------------------------------------------------- */

/* Statuses ranked by what a reader must act on first. */
int xsirt_advisory_rank(const char *status)
{
    static const char *const order[] = {"known_not_affected", "fixed", "under_investigation",
                                        "known_affected"};
    for (int i = 0; i < 4; i++)
        if (strcmp(status, order[i]) == 0)
            return i;
    return -1;
}

const char *xsirt_advisory_status_of(const char *state)
{
    if (strcmp(state, "exploitable") == 0)
        return "known_affected";
    if (strcmp(state, "resolved") == 0)
        return "fixed";
    if (strcmp(state, "in_triage") == 0)
        return "under_investigation";
    return "known_not_affected";
}

/* The id a vulnerability goes by in the advisory: its CVE when it has one. */
static const char *advisory_vuln_id(const json_t *v)
{
    const char *id = xsirt_json_str(v, "id");
    const json_t *a;
    size_t i;

    if (id != NULL && strncmp(id, "CVE-", 4) == 0)
        return id;
    json_array_foreach(json_object_get(v, "aliases"), i, a) {
        if (json_string_value(a) != NULL && strncmp(json_string_value(a), "CVE-", 4) == 0)
            return json_string_value(a);
    }
    return id;
}

int xsirt_advisory_statuses(json_t **out, json_t **assets, xsirt_db *db,
                            const xsirt_principal *by, int64_t case_id, xsirt_error *err)
{
    json_t *fids = NULL, *aids = NULL, *res = json_object(), *seen = json_array(), *x;
    size_t i;
    int rc;

    *out = *assets = NULL;
    if ((rc = xsirt_finding_of_case(&fids, &aids, db, case_id, err)) != 0) {
        json_decref(res);
        json_decref(seen);
        return rc;
    }
    json_array_foreach(fids, i, x) {
        json_t *f = NULL, *v, *entry, *prods, *old, *st;
        char key[32];
        const char *vid, *status;
        /* A finding the caller may not see is left out, as in lists. */
        if (xsirt_finding_get(&f, db, by, json_integer_value(x), NULL) != 0)
            continue;
        v = json_object_get(f, "vulnerability");
        vid = advisory_vuln_id(v);
        if (vid == NULL) {
            json_decref(f);
            continue;
        }
        if ((entry = json_object_get(res, vid)) == NULL) {
            entry = json_pack("{s:O, s:o}", "summary", json_object_get(v, "summary"), "products",
                              json_object());
            if (xsirt_json_str(json_object_get(v, "cvss"), "vector") != NULL)
                json_object_set(entry, "cvss", json_object_get(json_object_get(v, "cvss"), "vector"));
            json_object_set_new(res, vid, entry);
        }
        prods = json_object_get(entry, "products");
        snprintf(key, sizeof key, "%lld", (long long)xsirt_json_int(f, "asset"));
        status = xsirt_advisory_status_of(xsirt_json_str(f, "state"));
        old = json_object_get(prods, key);
        /* Several components of one product: the most pressing status. */
        if (old == NULL || xsirt_advisory_rank(status) > xsirt_advisory_rank(xsirt_json_str(old, "status"))) {
            st = json_pack("{s:s}", "status", status);
            if (xsirt_json_str(f, "justification") != NULL)
                json_object_set(st, "justification", json_object_get(f, "justification"));
            if (xsirt_json_str(f, "detail") != NULL)
                json_object_set(st, "detail", json_object_get(f, "detail"));
            json_object_set_new(prods, key, st);
        }
        json_decref(f);
    }
    json_array_foreach(aids, i, x) {
        json_t *a = NULL;
        if (xsirt_asset_get(&a, db, by, json_integer_value(x), NULL) == 0)
            json_array_append_new(seen, a);
    }
    json_decref(fids);
    json_decref(aids);
    *out = res;
    *assets = seen;
    return 0;
}

/* The publisher of the documents: the csaf_publisher setting, else this
 * server as a vendor named by public_url. */
int xsirt_advisory_publisher(json_t **out, char **self_base, xsirt_db *db, xsirt_error *err)
{
    json_t *pub = NULL, *url = NULL;
    int rc;

    *out = NULL;
    if (self_base != NULL)
        *self_base = NULL;
    if ((rc = xsirt_settings_value(&pub, db, "csaf_publisher", err)) != 0 ||
        (rc = xsirt_settings_value(&url, db, "public_url", err)) != 0) {
        json_decref(pub);
        return rc;
    }
    if (!json_is_object(pub)) {
        json_decref(pub);
        pub = json_pack("{s:s, s:s, s:s}", "category", "vendor", "name", "xsirt", "namespace",
                        json_string_value(url) != NULL ? json_string_value(url)
                                                       : "https://xsirt.invalid");
    }
    if (self_base != NULL && json_string_value(url) != NULL)
        *self_base = strdup(json_string_value(url));
    json_decref(url);
    *out = pub;
    return 0;
}

/* The product of an asset as csaf_write.h describes it. */
json_t *xsirt_advisory_product(const json_t *asset)
{
    const json_t *ids = json_object_get(asset, "identifiers");
    char pid[40];
    json_t *p;

    snprintf(pid, sizeof pid, "CSAFPID-%lld", (long long)xsirt_json_int(asset, "id"));
    p = json_pack("{s:s, s:O}", "id", pid, "name", json_object_get(asset, "name"));
    if (xsirt_json_str(asset, "vendor") != NULL && xsirt_json_str(asset, "vendor")[0] != '\0')
        json_object_set(p, "vendor", json_object_get(asset, "vendor"));
    if (xsirt_json_str(asset, "version") != NULL && xsirt_json_str(asset, "version")[0] != '\0')
        json_object_set(p, "version", json_object_get(asset, "version"));
    if (xsirt_json_str(ids, "cpe") != NULL)
        json_object_set(p, "cpe", json_object_get(ids, "cpe"));
    if (xsirt_json_str(ids, "purl") != NULL)
        json_object_set(p, "purl", json_object_get(ids, "purl"));
    return p;
}

/* The finders and reporters who asked for credit, and the advisory's own
 * acknowledgments. */
static json_t *advisory_acks(const json_t *kase, const json_t *adv)
{
    json_t *acks = json_array(), *x;
    size_t i;

    json_array_foreach(json_object_get(kase, "participants"), i, x) {
        const char *role = xsirt_json_str(x, "role"), *name = xsirt_json_str(x, "name");
        if (xsirt_json_int(x, "credit") == 0 || name == NULL || name[0] == '\0' ||
            (strcmp(role, "finder") != 0 && strcmp(role, "reporter") != 0))
            continue;
        json_array_append_new(acks, json_pack("{s:[s], s:s}", "names", name, "summary",
                                              strcmp(role, "finder") == 0
                                                  ? "finding the vulnerability"
                                                  : "reporting the vulnerability"));
    }
    json_array_foreach(json_object_get(adv, "acknowledgments"), i, x) json_array_append(acks, x);
    return acks;
}

/* The description of the document of adv at this version and status. */
static int advisory_describe(json_t **out, xsirt_db *db, const xsirt_principal *by,
                             const json_t *adv, const char *status, const char *version,
                             const json_t *history, const char *initial, const char *current,
                             xsirt_error *err)
{
    json_t *kase = NULL, *statuses = NULL, *assets = NULL, *pub = NULL, *d, *x, *notes, *refs;
    json_t *prods = json_array(), *vulns = json_array();
    char *base = NULL, file[256], url[2400];
    const char *key;
    size_t i;
    int rc;

    *out = NULL;
    if ((rc = xsirt_case_get(&kase, db, by, xsirt_json_int(adv, "case"), err)) != 0 ||
        (rc = xsirt_advisory_statuses(&statuses, &assets, db, by, xsirt_json_int(adv, "case"),
                                      err)) != 0 ||
        (rc = xsirt_advisory_publisher(&pub, &base, db, err)) != 0) {
        json_decref(kase);
        json_decref(statuses);
        json_decref(assets);
        json_decref(prods);
        json_decref(vulns);
        return rc;
    }
    json_array_foreach(assets, i, x) json_array_append_new(prods, xsirt_advisory_product(x));
    /* The versions the team declares fixed: products of their own, fixed
     * for every vulnerability (an asset the caller may not see is left
     * out, as everywhere). */
    json_array_foreach(json_object_get(adv, "fixed_in"), i, x) {
        json_t *a = NULL, *y;
        size_t k;
        bool dup = false;
        char aid[32];
        if (xsirt_asset_get(&a, db, by, json_integer_value(x), NULL) != 0)
            continue;
        json_array_foreach(assets, k, y) dup = dup || xsirt_json_int(y, "id") == xsirt_json_int(a, "id");
        if (!dup)
            json_array_append_new(prods, xsirt_advisory_product(a));
        snprintf(aid, sizeof aid, "%lld", (long long)xsirt_json_int(a, "id"));
        json_object_foreach(statuses, key, y)
            json_object_set_new(json_object_get(y, "products"), aid,
                                json_pack("{s:s}", "status", "fixed"));
        json_decref(a);
    }
    json_object_foreach(statuses, key, x) {
        json_t *v = json_pack("{s:s, s:O, s:o}", "id", key, "summary",
                              json_object_get(x, "summary"), "status", json_object());
        const json_t *cwe = json_object_get(json_object_get(adv, "cwes"), key), *ps;
        const char *aid;
        if (xsirt_json_str(x, "cvss") != NULL)
            json_object_set(v, "cvss", json_object_get(x, "cvss"));
        else if (xsirt_json_str(kase, "cvss") != NULL)
            json_object_set(v, "cvss", json_object_get(kase, "cvss"));
        if (cwe != NULL)
            json_object_set(v, "cwe", (json_t *)cwe);
        if (xsirt_json_str(adv, "remediation") != NULL)
            json_object_set(v, "remediation", json_object_get(adv, "remediation"));
        json_object_foreach((json_t *)json_object_get(x, "products"), aid, ps) {
            char pid[40];
            snprintf(pid, sizeof pid, "CSAFPID-%s", aid);
            json_object_set(json_object_get(v, "status"), pid, (json_t *)ps);
        }
        json_array_append_new(vulns, v);
    }
    notes = json_array();
    if (xsirt_json_str(adv, "summary") != NULL)
        json_array_append_new(notes, json_pack("{s:s, s:s, s:O}", "category", "summary", "title",
                                               "Summary", "text", json_object_get(adv, "summary")));
    json_array_foreach(json_object_get(adv, "notes"), i, x) json_array_append(notes, x);
    refs = json_array();
    json_array_foreach(json_object_get(kase, "references"), i, x) {
        const char *v = xsirt_json_str(x, "value");
        if (v != NULL && (strncmp(v, "https://", 8) == 0 || strncmp(v, "http://", 7) == 0))
            json_array_append_new(refs, json_pack("{s:s, s:s, s:s}", "category", "external",
                                                  "summary", xsirt_json_str(x, "kind"), "url", v));
    }
    json_array_foreach(json_object_get(adv, "references"), i, x) {
        json_t *r = json_deep_copy(x);
        json_object_set_new(r, "category", json_string("external"));
        json_array_append_new(refs, r);
    }
    d = json_pack("{s:O, s:O, s:s, s:O, s:o, s:{s:O, s:s, s:s, s:s, s:s, s:O}, s:o, s:o, s:o,"
                  " s:o, s:o}",
                  "category", json_object_get(adv, "profile"), "title",
                  json_object_get(adv, "title"), "lang", "en", "tlp", json_object_get(kase, "tlp"),
                  "publisher", pub, "tracking", "id", json_object_get(adv, "tracking_id"),
                  "status", status, "version", version, "initial", initial, "current", current,
                  "history", history, "notes", notes, "references", refs, "acknowledgments",
                  advisory_acks(kase, adv), "products", prods, "vulnerabilities", vulns);
    /* The canonical URL where the provider directory serves it. */
    if (d != NULL && base != NULL &&
        xsirt_csaf_write_filename(file, sizeof file, xsirt_json_str(adv, "tracking_id"))) {
        char label[16];
        const char *l = xsirt_csaf_write_tlp(xsirt_json_str(kase, "tlp"));
        for (i = 0; l != NULL && l[i] != '\0' && i < sizeof label - 1; i++)
            label[i] = (char)(l[i] - 'A' + 'a');
        label[i] = '\0';
        snprintf(url, sizeof url, "%s/.well-known/csaf/%s/%.4s/%s", base, label, initial, file);
        json_object_set_new(d, "self_url", json_string(url));
    }
    free(base);
    json_decref(kase);
    json_decref(statuses);
    json_decref(assets);
    if (d == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    rc = xsirt_csaf_write(out, d, err);
    json_decref(d);
    return rc;
}

/* The document of the advisory's next state: the current draft, or with
 * publish the revision published now. */
static int advisory_build(json_t **out, xsirt_db *db, const xsirt_principal *by,
                          const json_t *adv, bool publish, const char *now, xsirt_error *err)
{
    json_t *history = json_deep_copy(json_object_get(adv, "history"));
    int64_t published = xsirt_json_int(adv, "published");
    const char *initial = xsirt_json_str(adv, "initial_release");
    const char *summary = xsirt_json_str(adv, "revision_summary");
    char version[32];
    int rc;

    if (publish || published > 0)
        snprintf(version, sizeof version, "%lld.0.0", (long long)published + 1);
    else
        snprintf(version, sizeof version, "%s", xsirt_json_str(adv, "version"));
    if (summary == NULL)
        summary = publish ? (published == 0 ? "Initial release" : "Update") : "Draft";
    /* A draft's history ends with the draft itself; a publication's is
     * the published revisions only (6.1.18: no 0.x in a final one). */
    json_array_append_new(history, json_pack("{s:s, s:s, s:s}", "date",
                                             publish ? now : xsirt_json_str(adv, "updated"),
                                             "number", version, "summary", summary));
    if (initial == NULL)
        initial = publish ? now : xsirt_json_str(adv, "created");
    rc = advisory_describe(out, db, by, adv, publish ? "final" : "draft", version, history,
                           initial, publish ? now : xsirt_json_str(adv, "updated"), err);
    return rc;
}

int xsirt_advisory_csaf(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                        xsirt_error *err)
{
    json_t *adv = NULL;
    xsirt_db_rows *rows = NULL;
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    int rc;

    *out = NULL;
    if ((rc = xsirt_advisory_get(&adv, db, by, id, err)) != 0)
        return rc;
    if (strcmp(xsirt_json_str(adv, "status"), "final") == 0) {
        rc = xsirt_db_query(&rows, db, "SELECT document FROM advisories WHERE id = ?", p, 1, err);
        if (rc == 0 && xsirt_db_rows_count(rows) == 1 && !xsirt_db_rows_null(rows, 0, 0))
            *out = json_loads(xsirt_db_rows_text(rows, 0, 0), 0, NULL);
        if (rc == 0)
            xsirt_db_rows_free(rows);
        if (rc == 0 && *out == NULL)
            rc = xsirt_error_set(err, XSIRT_EINTERNAL, "advisory %lld lost its document",
                                 (long long)id);
    } else {
        rc = advisory_build(out, db, by, adv, false, NULL, err);
    }
    json_decref(adv);
    return rc;
}

/* The CVE records of doc (the advisory adv's CSAF document), each checked
 * against the CVE JSON 5 schema: *failures stays NULL when every record is
 * valid, else gets [{"record": CVE id,"path","message"}] and the answer is
 * XSIRT_EINVAL (field "failures"): no invalid record leaves the server. */
static int advisory_cve_records(json_t **records, json_t **failures, xsirt_db *db,
                                const xsirt_principal *by, const json_t *adv, const json_t *doc,
                                const char *org, xsirt_error *err)
{
    json_t *st = NULL, *assets = NULL, *kase = NULL, *vectors = json_object(), *x;
    const char *key;
    char now[XSIRT_TIME_MAX];
    size_t i;
    int rc;

    *records = *failures = NULL;
    if ((rc = xsirt_case_get(&kase, db, by, xsirt_json_int(adv, "case"), err)) != 0 ||
        (rc = xsirt_advisory_statuses(&st, &assets, db, by, xsirt_json_int(adv, "case"), err)) != 0)
        goto done;
    /* The vectors as the document's are chosen: the finding's, else the case's. */
    json_object_foreach(st, key, x) {
        const char *v = xsirt_json_str(x, "cvss") != NULL ? xsirt_json_str(x, "cvss")
                                                          : xsirt_json_str(kase, "cvss");
        if (v != NULL)
            json_object_set_new(vectors, key, json_string(v));
    }
    xsirt_clock_now(now);
    if ((rc = xsirt_cve5_write(records, doc, org, now, json_object_get(adv, "descriptions_ja"),
                               vectors, err)) != 0)
        goto done;
    json_array_foreach(*records, i, x) {
        json_t *fails = NULL, *f;
        const char *cve = xsirt_json_str(json_object_get(x, "cveMetadata"), "cveId");
        bool valid = false;
        size_t k;
        if ((rc = xsirt_cve5_validate(&fails, &valid, x, err)) != 0)
            break;
        json_array_foreach(fails, k, f) {
            if (*failures == NULL)
                *failures = json_array();
            json_object_set_new(f, "record", json_string(cve != NULL ? cve : ""));
            json_array_append(*failures, f);
        }
        json_decref(fails);
    }
    if (rc == 0 && *failures != NULL)
        rc = xsirt_error_set_pointer(err, XSIRT_EINVAL, "failures", "a CVE record of this advisory "
                                     "is not valid against the CVE JSON 5 schema: see failures");
done:
    if (rc != 0) {
        json_decref(*records);
        *records = NULL;
    }
    json_decref(kase);
    json_decref(st);
    json_decref(assets);
    json_decref(vectors);
    return rc;
}

/* The cna_org_id setting into *org; XSIRT_ECONFLICT (or, when optional,
 * 0 with *org NULL) until it is set. */
static int advisory_cna(json_t **org, xsirt_db *db, bool optional, xsirt_error *err)
{
    int rc = xsirt_settings_value(org, db, "cna_org_id", err);

    if (rc == 0 && json_string_value(*org) == NULL) {
        json_decref(*org);
        *org = NULL;
        if (!optional)
            rc = xsirt_error_set_pointer(err, XSIRT_ECONFLICT, "cna_org_id",
                                         "set the cna_org_id setting (the CNA's UUID) first");
    }
    return rc;
}

int xsirt_advisory_cve(json_t **out, json_t **failures, xsirt_db *db, const xsirt_principal *by,
                       int64_t id, xsirt_error *err)
{
    json_t *adv = NULL, *doc = NULL, *org = NULL, *records = NULL;
    int rc;

    *out = *failures = NULL;
    if ((rc = xsirt_advisory_get(&adv, db, by, id, err)) == 0 &&
        (rc = xsirt_advisory_csaf(&doc, db, by, id, err)) == 0 &&
        (rc = advisory_cna(&org, db, false, err)) == 0 &&
        (rc = advisory_cve_records(&records, failures, db, by, adv, doc, json_string_value(org),
                                   err)) == 0)
        *out = json_pack("{s:o}", "records", records);
    json_decref(adv);
    json_decref(doc);
    json_decref(org);
    return rc;
}

int xsirt_advisory_validate(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                            xsirt_error *err)
{
    json_t *adv = NULL, *doc = NULL;
    char now[XSIRT_TIME_MAX], *text = NULL, *result = NULL;
    bool valid = false;
    int rc;

    *out = NULL;
    xsirt_clock_now(now);
    if ((rc = xsirt_advisory_get(&adv, db, by, id, err)) != 0)
        return rc;
    /* A published advisory unchanged since is checked as published. */
    if (strcmp(xsirt_json_str(adv, "status"), "final") == 0)
        rc = xsirt_advisory_csaf(&doc, db, by, id, err);
    else
        rc = advisory_build(&doc, db, by, adv, true, now, err);
    if (rc == 0 && (text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) == NULL)
        rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    if (rc == 0)
        rc = xsirt_csaf_validate_text(&result, &valid, text, strlen(text), 0, err);
    if (rc == 0 && (*out = json_loads(result, 0, NULL)) == NULL)
        rc = xsirt_error_set(err, XSIRT_EINTERNAL, "the validator's result is not JSON");
    if (rc == 0)
        json_object_set(*out, "version", json_object_get(json_object_get(json_object_get(
                                              doc, "document"), "tracking"), "version"));
    free(text);
    free(result);
    json_decref(doc);
    json_decref(adv);
    return rc;
}

int xsirt_advisory_publish(json_t **out, json_t **failures, xsirt_db *db,
                           const xsirt_principal *by, int64_t id, int64_t revision,
                           const xsirt_advisory_signer *signer, xsirt_error *err)
{
    json_t *before = NULL, *doc = NULL, *history = NULL, *org = NULL;
    char now[XSIRT_TIME_MAX], *text = NULL, *result = NULL, *hist = NULL, *asc = NULL;
    xsirt_db_value p[9];
    bool valid = false;
    int64_t n = 0;
    int rc;

    *out = *failures = NULL;
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    xsirt_clock_now(now);
    rc = advisory_begin_write(&before, db, by, id, revision, err);
    if (rc == 0 && strcmp(xsirt_json_str(before, "status"), "final") == 0)
        rc = xsirt_error_set(err, XSIRT_ECONFLICT, "advisory %lld is published and unchanged "
                             "since: edit it to make the next revision", (long long)id);
    if (rc == 0)
        rc = advisory_build(&doc, db, by, before, true, now, err);
    if (rc == 0 && (text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) == NULL)
        rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    if (rc == 0)
        rc = xsirt_csaf_validate_text(&result, &valid, text, strlen(text), 0, err);
    if (rc == 0 && !valid) {
        *failures = json_loads(result, 0, NULL);
        rc = xsirt_error_set(err, XSIRT_EINVAL, "the CSAF document fails the validator: see "
                             "failures");
    }
    /* A CNA publishes its CVE records from the same document: when the
     * organisation is one (cna_org_id), every record must be valid too. */
    if (rc == 0 && (rc = advisory_cna(&org, db, true, err)) == 0 && org != NULL) {
        json_t *records = NULL, *cve_failures = NULL;
        rc = advisory_cve_records(&records, &cve_failures, db, by, before, doc,
                                  json_string_value(org), err);
        if (cve_failures != NULL)
            *failures = json_pack("{s:o, s:s}", "failures", cve_failures, "kind", "cve");
        json_decref(records);
    }
    if (rc == 0) {
        history = json_object_get(json_object_get(doc, "document"), "tracking");
        history = json_object_get(history, "revision_history");
        if ((hist = json_dumps(history, JSON_COMPACT)) == NULL)
            rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    if (rc == 0 && signer != NULL)
        rc = signer->sign(&asc, text, signer->ctx, err);
    if (rc == 0) {
        p[0] = XSIRT_DB_TEXTV(text);
        p[1] = XSIRT_DB_TEXTV(hist);
        p[2] = XSIRT_DB_TEXTV(now);
        p[3] = XSIRT_DB_TEXTV(json_string_value(json_object_get(
            json_object_get(json_object_get(doc, "document"), "tracking"), "initial_release_date")));
        p[4] = XSIRT_DB_TEXTV(json_string_value(json_object_get(json_object_get(json_object_get(
            json_object_get(doc, "document"), "distribution"), "tlp"), "label")));
        p[5] = XSIRT_DB_TEXTV(now);
        p[6] = XSIRT_DB_TEXTV(asc);
        p[7] = XSIRT_DB_INTV(id);
        p[8] = XSIRT_DB_INTV(xsirt_json_int(before, "revision"));
        /* The published revisions count in the case's figures
         * (metrics.c): out before the history changes, in after. */
        rc = xsirt_metrics_case_retract(db, xsirt_json_int(before, "case"), err);
        if (rc == 0)
            rc = xsirt_db_exec(db, "UPDATE advisories SET status = 'final', document = ?, history = ?, "
                               "published_at = ?, initial_release = ?, tlp = ?, updated_at = ?, "
                               "signature = ?, published = published + 1, revision = revision + 1 "
                               "WHERE id = ? AND revision = ?", p, 9, &n, err);
        if (rc == 0 && n == 0)
            rc = xsirt_error_set_pointer(err, XSIRT_ECONFLICT, "If-Match",
                                         "advisory %lld changed meanwhile: reload and retry",
                                         (long long)id);
        if (rc == 0)
            rc = xsirt_metrics_case_record(db, xsirt_json_int(before, "case"), err);
    }
    free(text);
    free(result);
    free(hist);
    free(asc);
    json_decref(doc);
    json_decref(org);
    rc = advisory_finish(out, db, by, id, "advisory.publish", before, rc, err);
    json_decref(before);
    return rc;
}

int xsirt_advisory_published(json_t **out, xsirt_db *db, const xsirt_page *pg, xsirt_error *err)
{
    static const char *const ints[] = {"id", "case_id", "signed", NULL};

    return xsirt_store_list_page(out, db,
                                 "SELECT id, case_id, tracking_id, tlp, published_at, "
                                 "initial_release, CASE WHEN signature IS NULL THEN 0 ELSE 1 END "
                                 "AS signed FROM advisories WHERE document IS NOT NULL "
                                 "AND id > ? "
                                 "ORDER BY id LIMIT ?", NULL, 0, ints, NULL, pg, err);
}

int xsirt_advisory_document(char **text, xsirt_db *db, int64_t id, xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    xsirt_db_rows *rows = NULL;
    int rc;

    *text = NULL;
    if ((rc = xsirt_db_query(&rows, db, "SELECT document FROM advisories WHERE id = ? AND "
                                        "document IS NOT NULL", p, 1, err)) != 0)
        return rc;
    if (xsirt_db_rows_count(rows) == 0)
        rc = xsirt_error_set(err, XSIRT_ENOTFOUND, "no published advisory %lld", (long long)id);
    else if ((*text = strdup(xsirt_db_rows_text(rows, 0, 0))) == NULL)
        rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    xsirt_db_rows_free(rows);
    return rc;
}

int xsirt_advisory_signature(char **asc, xsirt_db *db, int64_t id, xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    xsirt_db_rows *rows = NULL;
    int rc;

    *asc = NULL;
    if ((rc = xsirt_db_query(&rows, db, "SELECT signature FROM advisories WHERE id = ? AND "
                                        "document IS NOT NULL AND signature IS NOT NULL", p, 1,
                             err)) != 0)
        return rc;
    if (xsirt_db_rows_count(rows) == 0)
        rc = xsirt_error_set(err, XSIRT_ENOTFOUND, "advisory %lld has no signature", (long long)id);
    else if ((*asc = strdup(xsirt_db_rows_text(rows, 0, 0))) == NULL)
        rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    xsirt_db_rows_free(rows);
    return rc;
}

int xsirt_advisory_sign_missing(size_t *count, xsirt_db *db, const xsirt_advisory_signer *signer,
                                xsirt_error *err)
{
    xsirt_db_rows *rows = NULL;
    int rc;

    *count = 0;
    if ((rc = xsirt_db_query(&rows, db, "SELECT id, document FROM advisories WHERE document IS "
                                        "NOT NULL AND signature IS NULL ORDER BY id", NULL, 0,
                             err)) != 0)
        return rc;
    for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(rows); i++) {
        const char *text = xsirt_db_rows_text(rows, i, 1);
        char *asc = NULL;
        if ((rc = signer->sign(&asc, text, signer->ctx, err)) == 0) {
            /* Only while the document is still the one signed: a
             * publication meanwhile brought its own signature. */
            xsirt_db_value p[3] = {XSIRT_DB_TEXTV(asc), XSIRT_DB_INTV(xsirt_db_rows_int(rows, i, 0)),
                                   XSIRT_DB_TEXTV(text)};
            int64_t n = 0;
            rc = xsirt_db_exec(db, "UPDATE advisories SET signature = ? WHERE id = ? AND "
                                   "signature IS NULL AND document = ?", p, 3, &n, err);
            *count += (size_t)n;
        }
        free(asc);
    }
    xsirt_db_rows_free(rows);
    return rc;
}
