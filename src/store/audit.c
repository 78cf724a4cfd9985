/*
 * audit.c — appending to and verifying the hash chain (see audit.h).
 *
 * The hash of a record is SHA-256 over its canonical form: the compact
 * JSON array [seq, at, actor_id, actor, action, object_type, object_id,
 * before, after, prev_hash]. A JSON array has one serialisation, so the
 * hash does not depend on the backend or on how columns come back.
 */
#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "store/audit.h"
#include "store/case.h"
#include "store/clock.h"
#include "store/store.h"
#include "xsirt/limits.h"

#define AUDIT_HASH_HEX XSIRT_AUDIT_HASH_HEX
#define AUDIT_BATCH 100

static json_t *audit_opt_string(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

static bool audit_text_ok(const char *s)
{
    return s == NULL || xsirt_utf8_valid(s, strlen(s));
}

/* hex = SHA-256 of the canonical record. XSIRT_EINVAL when a field is not
 * UTF-8: xsirt never writes such a record, so it is damage or tampering,
 * not a reason to fail. */
static int audit_hash(char *hex, int64_t seq, const char *at, int64_t actor_id,
                      const char *actor, const char *action, const char *object_type,
                      const char *object_id, const char *before, const char *after,
                      const char *prev_hash)
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    json_t *a;
    char *text;

    if (at == NULL || actor == NULL || action == NULL || object_type == NULL ||
        object_id == NULL || prev_hash == NULL || !audit_text_ok(at) || !audit_text_ok(actor) ||
        !audit_text_ok(action) || !audit_text_ok(object_type) || !audit_text_ok(object_id) ||
        !audit_text_ok(before) || !audit_text_ok(after) || !audit_text_ok(prev_hash))
        return XSIRT_EINVAL;
    a = json_pack("[I s I s s s s o o s]", (json_int_t)seq, at, (json_int_t)actor_id, actor, action,
                  object_type, object_id, audit_opt_string(before), audit_opt_string(after),
                  prev_hash);
    if (a == NULL)
        return XSIRT_ENOMEM;
    text = json_dumps(a, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(a);
    if (text == NULL)
        return XSIRT_ENOMEM;
    crypto_hash_sha256(digest, (const unsigned char *)text, strlen(text));
    free(text);
    sodium_bin2hex(hex, AUDIT_HASH_HEX, digest, sizeof digest);
    return 0;
}

int xsirt_audit_append(xsirt_db *db, const xsirt_audit_entry *e, xsirt_error *err)
{
    char at[XSIRT_TIME_MAX], hash[AUDIT_HASH_HEX], prev[AUDIT_HASH_HEX];
    xsirt_db_rows *rows;
    xsirt_db_value p[11];
    const char *lock = xsirt_db_backend_of(db) == XSIRT_DB_POSTGRES
                           ? "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
                           : "SELECT seq, hash FROM audit_head WHERE id = 1";
    int64_t seq;
    int rc;

    if ((rc = xsirt_db_query(&rows, db, lock, NULL, 0, err)) != 0)
        return rc;
    if (xsirt_db_rows_count(rows) != 1) {
        xsirt_db_rows_free(rows);
        return xsirt_error_set(err, XSIRT_EINTERNAL, "audit_head is missing");
    }
    seq = xsirt_db_rows_int(rows, 0, 0) + 1;
    snprintf(prev, sizeof prev, "%s", xsirt_db_rows_text(rows, 0, 1));
    xsirt_db_rows_free(rows);

    xsirt_clock_now(at);
    if (audit_hash(hash, seq, at, e->actor_id, e->actor, e->action, e->object_type,
                   e->object_id, e->before, e->after, prev) != 0)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    p[0] = XSIRT_DB_INTV(seq);
    p[1] = XSIRT_DB_TEXTV(at);
    p[2] = e->actor_id != 0 ? XSIRT_DB_INTV(e->actor_id) : XSIRT_DB_NULLV;
    p[3] = XSIRT_DB_TEXTV(e->actor);
    p[4] = XSIRT_DB_TEXTV(e->action);
    p[5] = XSIRT_DB_TEXTV(e->object_type);
    p[6] = XSIRT_DB_TEXTV(e->object_id);
    p[7] = XSIRT_DB_TEXTV(e->before);
    p[8] = XSIRT_DB_TEXTV(e->after);
    p[9] = XSIRT_DB_TEXTV(prev);
    p[10] = XSIRT_DB_TEXTV(hash);
    rc = xsirt_db_exec(db, "INSERT INTO audit_log (seq, at, actor_id, actor, action, "
                           "object_type, object_id, before, after, prev_hash, hash) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", p, 11, NULL, err);
    if (rc != 0)
        return rc;
    p[0] = XSIRT_DB_INTV(seq);
    p[1] = XSIRT_DB_TEXTV(hash);
    return xsirt_db_exec(db, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", p, 2,
                         NULL, err);
}

static void audit_bad(xsirt_audit_report *r, int64_t seq, const char *what)
{
    xsirt_audit_set_bad(r, seq, 0, "%s", what);
}

bool xsirt_audit_intact(const xsirt_audit_report *r)
{
    return r->bad_seq == 0 && r->bad_case == 0 && r->problem[0] == '\0';
}

void xsirt_audit_set_bad(xsirt_audit_report *r, int64_t seq, int64_t case_id, const char *fmt, ...)
{
    va_list ap;

    if (!xsirt_audit_intact(r))
        return;   /* the first problem is the one reported */
    r->bad_seq = seq;
    r->bad_case = case_id;
    va_start(ap, fmt);
    vsnprintf(r->problem, sizeof r->problem, fmt, ap);
    va_end(ap);
}

int xsirt_audit_event_step(char *head, int64_t id, const char *at, int64_t actor_id,
                           const char *kind, const char *body, const char *data)
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state st;
    json_t *a;
    char *text;

    if (at == NULL || kind == NULL || body == NULL || data == NULL || !audit_text_ok(at) ||
        !audit_text_ok(kind) || !audit_text_ok(body) || !audit_text_ok(data))
        return XSIRT_EINVAL;
    a = json_pack("[I s o s s s]", (json_int_t)id, at,
                  actor_id != 0 ? json_integer((json_int_t)actor_id) : json_null(), kind, body, data);
    text = a != NULL ? json_dumps(a, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(a);
    if (text == NULL)
        return XSIRT_ENOMEM;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)head, strlen(head));
    crypto_hash_sha256_update(&st, (const unsigned char *)text, strlen(text));
    crypto_hash_sha256_final(&st, digest);
    free(text);
    sodium_bin2hex(head, AUDIT_HASH_HEX, digest, sizeof digest);
    return 0;
}

int xsirt_audit_check_anchor(xsirt_audit_report *r, xsirt_db *db, int64_t seq, const char *hash,
                             xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(seq)};
    xsirt_db_rows *rows;
    int rc = xsirt_db_query(&rows, db, "SELECT hash FROM audit_log WHERE seq = ?", p, 1, err);

    if (rc != 0)
        return rc;
    if (xsirt_db_rows_count(rows) == 0)
        xsirt_audit_set_bad(r, seq, 0, "checkpoint record %lld is gone (records deleted, head reset?)",
                            (long long)seq);
    else if (xsirt_db_rows_null(rows, 0, 0) || strcmp(xsirt_db_rows_text(rows, 0, 0), hash) != 0)
        xsirt_audit_set_bad(r, seq, 0, "record %lld differs from the checkpoint (log rewritten)",
                            (long long)seq);
    xsirt_db_rows_free(rows);
    return 0;
}

/* Checks one batch of records after *seq; advances *seq and *prev. */
static int audit_verify_batch(xsirt_audit_report *r, xsirt_db *db, int64_t *seq, char *prev,
                              size_t *got, xsirt_error *err)
{
    xsirt_db_value p[2] = {XSIRT_DB_INTV(*seq), XSIRT_DB_INTV(AUDIT_BATCH)};
    xsirt_db_rows *rows;
    int rc = xsirt_db_query(&rows, db,
                            "SELECT seq, at, actor_id, actor, action, object_type, object_id, "
                            "before, after, prev_hash, hash FROM audit_log WHERE seq > ? "
                            "ORDER BY seq LIMIT ?", p, 2, err);

    if (rc != 0)
        return rc;
    *got = xsirt_db_rows_count(rows);
    for (size_t i = 0; i < *got && r->bad_seq == 0; i++) {
        char hash[AUDIT_HASH_HEX];
        int64_t s = xsirt_db_rows_int(rows, i, 0);
        const char *t = xsirt_db_rows_text(rows, i, 1);

        r->records++;
        if (s != *seq + 1) {
            audit_bad(r, *seq + 1, "record missing (sequence gap)");
            break;
        }
        if (xsirt_db_rows_null(rows, i, 9) || strcmp(xsirt_db_rows_text(rows, i, 9), prev) != 0) {
            audit_bad(r, s, "prev_hash does not match the previous record");
            break;
        }
        if ((rc = audit_hash(hash, s, t, xsirt_db_rows_int(rows, i, 2), xsirt_db_rows_text(rows, i, 3),
                             xsirt_db_rows_text(rows, i, 4), xsirt_db_rows_text(rows, i, 5),
                             xsirt_db_rows_text(rows, i, 6), xsirt_db_rows_text(rows, i, 7),
                             xsirt_db_rows_text(rows, i, 8), prev)) == XSIRT_EINVAL) {
            audit_bad(r, s, "record corrupt (a field is missing or not UTF-8)");
            break;
        }
        if (rc != 0) {
            xsirt_db_rows_free(rows);
            return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
        }
        if (xsirt_db_rows_null(rows, i, 10) || strcmp(hash, xsirt_db_rows_text(rows, i, 10)) != 0) {
            audit_bad(r, s, "record edited (hash does not match its content)");
            break;
        }
        *seq = s;
        snprintf(prev, AUDIT_HASH_HEX, "%s", hash);
    }
    xsirt_db_rows_free(rows);
    return 0;
}

static int audit_verify_chain(xsirt_audit_report *r, xsirt_db *db, xsirt_error *err);

/* The chain and its head read in one snapshot: a record appended while
 * the chain is read (a feed sync, the notifier, another server) would
 * otherwise look like records deleted from the end. */
int xsirt_audit_verify(xsirt_audit_report *r, xsirt_db *db, xsirt_error *err)
{
    int rc;

    if (xsirt_db_in_transaction(db))
        return audit_verify_chain(r, db, err);
    if ((rc = xsirt_db_begin_read(db, err)) != 0)
        return rc;
    rc = audit_verify_chain(r, db, err);
    xsirt_db_rollback(db);
    return rc;
}

static int audit_verify_chain(xsirt_audit_report *r, xsirt_db *db, xsirt_error *err)
{
    char prev[AUDIT_HASH_HEX];
    xsirt_db_rows *head;
    int64_t seq = 0, head_seq;
    size_t got;
    int rc;

    memset(r, 0, sizeof *r);
    memset(prev, '0', AUDIT_HASH_HEX - 1);
    prev[AUDIT_HASH_HEX - 1] = '\0';
    do {
        if ((rc = audit_verify_batch(r, db, &seq, prev, &got, err)) != 0)
            return rc;
    } while (got == AUDIT_BATCH && r->bad_seq == 0);
    if (r->bad_seq != 0)
        return 0;
    if ((rc = xsirt_db_query(&head, db, "SELECT seq, hash FROM audit_head WHERE id = 1",
                             NULL, 0, err)) != 0)
        return rc;
    if (xsirt_db_rows_count(head) != 1) {
        audit_bad(r, seq + 1, "audit_head is missing");
    } else {
        head_seq = xsirt_db_rows_int(head, 0, 0);
        if (head_seq != seq)
            audit_bad(r, seq + 1, head_seq > seq ? "newest records deleted (chain shorter than head)"
                                                 : "audit_head behind the chain");
        else if (strcmp(xsirt_db_rows_text(head, 0, 1), prev) != 0)
            audit_bad(r, seq, "audit_head hash does not match the newest record");
    }
    xsirt_db_rows_free(head);
    return 0;
}

/* A record as the API shows it: before/after as JSON; a record whose text
 * is damaged is shown as such (never skipped, so a gap cannot hide). */
static json_t *audit_record_json(const xsirt_db_rows *rows, size_t i)
{
    static const char *const ints[] = {"seq", NULL};
    json_t *o = xsirt_store_row_json(rows, i, ints);

    if (o == NULL)
        return json_pack("{s:I, s:b, s:s}", "seq", (json_int_t)xsirt_db_rows_int(rows, i, 0),
                         "corrupt", 1, "problem", "record is damaged (not UTF-8): run xsirt audit verify");
    for (int k = 0; k < 2; k++) {
        const char *key = k ? "after" : "before";
        const char *text = json_string_value(json_object_get(o, key));
        if (text != NULL) {
            json_t *v = json_loads(text, 0, NULL);
            json_object_set_new(o, key, v != NULL ? v : json_string(text));
        }
    }
    return o;
}

/* Keeps one record under XSIRT_LIMIT_AUDIT_RECORD_BYTES (see limits.h). */
static void audit_bound(json_t *o)
{
    size_t n = o != NULL ? json_dumpb(o, NULL, 0, JSON_COMPACT) : 0;

    if (n <= XSIRT_LIMIT_AUDIT_RECORD_BYTES)
        return;
    for (int k = 0; k < 2; k++) {
        const char *key = k ? "after" : "before";
        size_t size = json_dumpb(json_object_get(o, key), NULL, 0, JSON_COMPACT);
        json_object_set_new(o, key, json_pack("{s:b, s:I}", "omitted", 1, "bytes", (json_int_t)size));
    }
}

int xsirt_audit_list(json_t **out, xsirt_db *db, const xsirt_principal *by, const xsirt_page *pg,
                     xsirt_error *err)
{
    xsirt_db_rows *rows;
    xsirt_pager pager;
    bool more;
    int rc;

    *out = NULL;
    if (!by->admin && !by->auditor)
        return xsirt_error_set(err, XSIRT_EDENIED, "only admins and auditors read the audit log");
    rc = xsirt_store_page_rows(&rows, &more, db,
                               "SELECT seq, COALESCE(LENGTH(before), 0) + COALESCE(LENGTH(after), 0) "
                               "+ 512 FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?",
                               "SELECT seq, at, actor, action, object_type, object_id, before, "
                               "after, prev_hash, hash FROM audit_log WHERE seq BETWEEN ? AND ? "
                               "ORDER BY seq", NULL, 0, pg, err);
    if (rc != 0)
        return rc;
    xsirt_pager_init(&pager);
    for (size_t i = 0; i < xsirt_db_rows_count(rows); i++) {
        json_t *o = audit_record_json(rows, i);
        if (o != NULL && !json_is_true(json_object_get(o, "corrupt")))
            xsirt_case_redact_audit(o, db, by);
        audit_bound(o);
        if (!xsirt_pager_add(&pager, o, xsirt_db_rows_int(rows, i, 0)))
            break;
    }
    xsirt_db_rows_free(rows);
    *out = xsirt_pager_finish(&pager, more);
    return *out != NULL ? 0 : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
}
