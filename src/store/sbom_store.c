/*
 * sbom_store.c — SBOM uploads, their list and the component search (see
 * sbom_store.h).
 *
 * Reading an upload happens before its transaction opens, so a large SBOM
 * holds the database only for its writes; the matching runs beside the
 * first of them (sbom_beside), and takes less time than they do. The
 * components go in as multi-row inserts so that a 10,000-component SBOM
 * is 400 statements, not ten thousand round trips to PostgreSQL; on
 * SQLite the transaction gets a page cache that holds it
 * (sbom_sqlite_bulk). docs/performance.md has the profile.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "formats/json_arena.h"
#include "store/asset.h"
#include "store/clock.h"
#include "store/finding.h"
#include "store/deferred_index.h"
#include "store/query.h"
#include "store/sbom_store.h"
#include "store/store.h"
#include "xsirt/cpe.h"
#include "xsirt/limits.h"
#include "xsirt/name.h"
#include "xsirt/sbom.h"

/* Components a statement: on PostgreSQL 23 rows of 11 columns stay under
 * the 256 parameters a statement may bind (db_postgres.c); SQLite binds
 * up to 999 in any build, and a statement costs it about as much as a
 * few rows: 90. */
#define SBOM_ROWS_PER_INSERT_POSTGRES 23
#define SBOM_ROWS_PER_INSERT 90
#define SBOM_COLUMNS 11
#define SBOM_NAME_KEY_MAX 512
/* The format of the one-device SBOM a device asset is matched by. */
#define SBOM_FORMAT_DEVICE "device"

static void sbom_sha256(char hex[65], const char *data, size_t len)
{
    unsigned char d[crypto_hash_sha256_BYTES];

    crypto_hash_sha256(d, (const unsigned char *)data, len);
    sodium_bin2hex(hex, 65, d, sizeof d);
}

/* The reader's error as the client should see it: the place first. */
static int sbom_reader_error(int rc, xsirt_error *err)
{
    if (err != NULL && err->line != 0 && err->pointer[0] == '\0')
        xsirt_error_prefix(err, "line %lu, column %lu: ", err->line, err->column);
    else if (err != NULL && err->pointer[0] != '\0')
        xsirt_error_prefix(err, "%s: ", err->pointer);
    if (rc == XSIRT_ENOMEM || rc == XSIRT_EINTERNAL)
        return rc;
    if (err != NULL && rc != XSIRT_ELIMIT && rc != XSIRT_EUNSUPPORTED)
        err->code = rc = XSIRT_EINVAL;
    return rc;
}

void xsirt_sbom_store_name_key(char *out, size_t outsz, const char *s)
{
    size_t start = 0, end, n = 0;

    if (strncmp(s, "pkg:", 4) == 0) {
        /* pkg:type/namespace/name@version?qualifiers#subpath */
        size_t at;
        end = strcspn(s, "?#");
        at = end;
        for (size_t i = 0; i < end; i++)
            if (s[i] == '@')
                at = i;
        end = at;
    } else {
        end = strlen(s);
    }
    for (size_t i = 0; i < end; i++)
        if (s[i] == '/' || s[i] == ':')
            start = i + 1;
    for (size_t i = start; i < end && n + 1 < outsz; i++) {
        char c = (char)xsirt_ascii_lower((unsigned char)s[i]);
        out[n++] = c == '_' || c == '.' ? '-' : c;
    }
    out[n] = '\0';
}

/* The server matches with the built-in vendor aliases (scan.c): the
 * vendor keys use the same table, made once. */
static pthread_once_t sbom_aliases_once = PTHREAD_ONCE_INIT;
static xsirt_name_aliases *sbom_aliases;

static void sbom_aliases_make(void)
{
    if (xsirt_name_aliases_new(&sbom_aliases, NULL) != 0)
        sbom_aliases = NULL;
}

void xsirt_sbom_store_vendor_key(char *out, size_t outsz, const char *vendor, bool cpe)
{
    char *norm = NULL, *plain = NULL;
    xsirt_cpe c;

    out[0] = '\0';
    if (vendor == NULL)
        return;
    if (cpe) {
        /* A CPE's vendor as the scanner reads it as a name (scan.c):
         * "rockwell_automation" is "rockwell automation", quoting undone. */
        size_t n = 0;
        xsirt_cpe_init(&c);
        if (xsirt_cpe_parse(&c, vendor, strlen(vendor), NULL) == 0 &&
            c.attr[XSIRT_CPE_VENDOR].kind == XSIRT_CPE_STRING &&
            (plain = malloc(strlen(c.attr[XSIRT_CPE_VENDOR].value) + 1)) != NULL) {
            for (const char *p = c.attr[XSIRT_CPE_VENDOR].value; *p != '\0'; p++)
                plain[n++] = *p == '_' ? ' ' : (*p == '\\' && p[1] != '\0') ? *++p : *p;
            plain[n] = '\0';
        }
        xsirt_cpe_free(&c);
        if ((vendor = plain) == NULL)
            return;
    }
    pthread_once(&sbom_aliases_once, sbom_aliases_make);
    if (xsirt_name_vendor(&norm, vendor, sbom_aliases, NULL) == 0 && norm[0] != '\0')
        snprintf(out, outsz, "v:%s", norm);
    free(norm);
    free(plain);
}

/* One statement's rows of components: their values and the keys made
 * for them (on the heap: 70 KB). */
typedef struct sbom_rows {
    xsirt_db_value p[SBOM_ROWS_PER_INSERT * SBOM_COLUMNS];
    char *keys[SBOM_ROWS_PER_INSERT];
    char alts[SBOM_ROWS_PER_INSERT][SBOM_NAME_KEY_MAX];
    char vendors[SBOM_ROWS_PER_INSERT][SBOM_NAME_KEY_MAX];
} sbom_rows;

/* The name key a component is filed under: its purl's, else its name's.
 * The inserts and the re-match's holders must agree on it. */
static void sbom_filed_key(char *out, const xsirt_sbom_component *c)
{
    xsirt_sbom_store_name_key(out, SBOM_NAME_KEY_MAX, c->purl != NULL ? c->purl : c->name);
}

/* A component's name_alt (schema 23): the name key of its name where that
 * is not the key it is filed under (name_key, from its purl), so that
 * "which assets contain this name?" finds it; "" otherwise. */
static void sbom_name_alt(char *out, const char *name, const char *purl, const char *name_key)
{
    out[0] = '\0';
    if (purl == NULL || name == NULL)
        return;
    xsirt_sbom_store_name_key(out, SBOM_NAME_KEY_MAX, name);
    if (strcmp(out, name_key) == 0)
        out[0] = '\0';
}

/* The order the components go in: the order of the name key index
 * (schema 10: name_key, name, version, purl, cpe, vendor, type), which
 * is the one tree of the three a component enters at a place of its
 * own across the portfolio. In that order each entry lands next to the
 * last, on pages just read and written, instead of anywhere: the
 * components of a 10,000-component upload went in 40% faster. Nothing
 * reads an SBOM's components in the order of the document (the
 * re-match reads them by id, and a finding is one per component and
 * vulnerability whatever the order). */
typedef struct sbom_sorted {
    const char *key;   /* into sbom_order.keys */
    size_t key_at;     /* its offset there, while the keys are made */
    const xsirt_sbom_component *c;
    size_t index;      /* in the document: the last tie-break */
} sbom_sorted;

typedef struct sbom_order {
    sbom_sorted *at;
    xsirt_buf keys;    /* the filed keys, each ending in a NUL */
} sbom_order;

/* SQLite's BINARY order: NULL first, then bytes (strcmp, as no text
 * the readers give holds a NUL). */
static int sbom_cmp_text(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static const char *sbom_vendor(const xsirt_sbom_component *c)
{
    return c->manufacturer != NULL ? c->manufacturer : c->supplier;
}

static int sbom_sorted_cmp(const void *pa, const void *pb)
{
    const sbom_sorted *a = pa, *b = pb;
    int d = strcmp(a->key, b->key);

    if (d == 0 && (d = sbom_cmp_text(a->c->name, b->c->name)) == 0 &&
        (d = sbom_cmp_text(a->c->version, b->c->version)) == 0 &&
        (d = sbom_cmp_text(a->c->purl, b->c->purl)) == 0 &&
        (d = sbom_cmp_text(a->c->cpe, b->c->cpe)) == 0 &&
        (d = sbom_cmp_text(sbom_vendor(a->c), sbom_vendor(b->c))) == 0 &&
        (d = sbom_cmp_text(a->c->type, b->c->type)) == 0)
        d = (a->index > b->index) - (a->index < b->index);
    return d;
}

static void sbom_order_free(sbom_order *o)
{
    free(o->at);
    xsirt_buf_free(&o->keys);
}

static int sbom_order_make(sbom_order *o, const xsirt_sbom *sbom, xsirt_error *err)
{
    size_t n = sbom->component_count;
    char key[SBOM_NAME_KEY_MAX];

    xsirt_buf_init(&o->keys, (size_t)XSIRT_LIMIT_SBOM_COMPONENTS * SBOM_NAME_KEY_MAX);
    if ((o->at = malloc((n > 0 ? n : 1) * sizeof *o->at)) == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    xsirt_buf_reserve(&o->keys, n * 32);
    /* Offsets first: the buffer moves as it grows. */
    for (size_t i = 0; i < n; i++) {
        o->at[i] = (sbom_sorted){NULL, o->keys.len, &sbom->components[i], i};
        sbom_filed_key(key, &sbom->components[i]);
        xsirt_buf_append(&o->keys, key, strlen(key) + 1);
    }
    if (xsirt_buf_failed(&o->keys) != 0) {
        sbom_order_free(o);
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        o->at[i].key = o->keys.data + o->at[i].key_at;
    qsort(o->at, n, sizeof *o->at, sbom_sorted_cmp);
    return 0;
}

/* Inserts the components, SBOM_ROWS_PER_INSERT a statement, in the
 * name key index's order (sbom_sorted). */
static int sbom_insert_components(xsirt_db *db, int64_t sbom_id, const xsirt_sbom *sbom,
                                  xsirt_error *err)
{
    size_t per = xsirt_db_backend_of(db) == XSIRT_DB_POSTGRES ? SBOM_ROWS_PER_INSERT_POSTGRES
                                                                : SBOM_ROWS_PER_INSERT;
    sbom_rows *r = malloc(sizeof *r);
    sbom_order order;
    xsirt_db_value *p;
    char **keys, (*alts)[SBOM_NAME_KEY_MAX];
    char (*vendors)[SBOM_NAME_KEY_MAX];
    xsirt_buf sql;
    int rc;

    if (r == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    if ((rc = sbom_order_make(&order, sbom, err)) != 0) {
        free(r);
        return rc;
    }
    p = r->p;
    keys = r->keys;
    alts = r->alts;
    vendors = r->vendors;
    xsirt_buf_init(&sql, 64 * 1024);
    for (size_t start = 0; rc == 0 && start < sbom->component_count; start += per) {
        size_t n = sbom->component_count - start;
        if (n > per)
            n = per;
        xsirt_buf_reset(&sql);
        /* Pending in the name key index (deferred_index.h). */
        xsirt_buf_puts(&sql, "INSERT INTO sbom_components (sbom_id, name, version, purl, "
                             "purl_key, cpe, name_key, vendor, type, vendor_key, name_alt, "
                             "key_indexed) VALUES ");
        for (size_t i = 0; i < n; i++) {
            const xsirt_sbom_component *c = order.at[start + i].c;
            const char *filed = order.at[start + i].key;
            keys[i] = c->purl != NULL ? xsirt_finding_component_key(c->name, NULL, c->purl, NULL, false) : NULL;
            xsirt_buf_puts(&sql, i == 0 ? "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)"
                                        : ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)");
            p[i * SBOM_COLUMNS + 0] = XSIRT_DB_INTV(sbom_id);
            p[i * SBOM_COLUMNS + 1] = XSIRT_DB_TEXTV(c->name);
            p[i * SBOM_COLUMNS + 2] = XSIRT_DB_TEXTV(c->version);
            p[i * SBOM_COLUMNS + 3] = XSIRT_DB_TEXTV(c->purl);
            p[i * SBOM_COLUMNS + 4] = XSIRT_DB_TEXTV(keys[i]);
            p[i * SBOM_COLUMNS + 5] = XSIRT_DB_TEXTV(c->cpe);
            p[i * SBOM_COLUMNS + 6] = XSIRT_DB_TEXTV(filed);
            /* What matching by name needs again (sbom_view). */
            p[i * SBOM_COLUMNS + 7] = XSIRT_DB_TEXTV(sbom_vendor(c));
            p[i * SBOM_COLUMNS + 8] = XSIRT_DB_TEXTV(c->type);
            /* The vendor a feed sync finds it by (CPE, or by name). */
            if (c->cpe != NULL)
                xsirt_sbom_store_vendor_key(vendors[i], SBOM_NAME_KEY_MAX, c->cpe, true);
            else
                xsirt_sbom_store_vendor_key(vendors[i], SBOM_NAME_KEY_MAX, sbom_vendor(c), false);
            p[i * SBOM_COLUMNS + 9] = vendors[i][0] != '\0' ? XSIRT_DB_TEXTV(vendors[i])
                                                            : XSIRT_DB_NULLV;
            sbom_name_alt(alts[i], c->name, c->purl, filed);
            p[i * SBOM_COLUMNS + 10] = alts[i][0] != '\0' ? XSIRT_DB_TEXTV(alts[i])
                                                           : XSIRT_DB_NULLV;
        }
        rc = xsirt_db_exec(db, xsirt_buf_cstr(&sql), p, n * SBOM_COLUMNS, NULL, err);
        for (size_t i = 0; i < n; i++)
            free(keys[i]);
    }
    xsirt_buf_free(&sql);
    sbom_order_free(&order);
    free(r);
    return rc;
}

/* Rows a statement of xsirt_sbom_store_name_alt_fill reads: a bounded
 * result, however many components the portfolio has. */
#define SBOM_FILL_PAGE 5000

int xsirt_sbom_store_name_alt_fill(xsirt_db *db, xsirt_error *err)
{
    int64_t after = 0;
    size_t n;
    int rc = 0;

    do {
        xsirt_db_value p[2] = {XSIRT_DB_INTV(after), XSIRT_DB_INTV(SBOM_FILL_PAGE)};
        xsirt_db_rows *rows = NULL;
        if ((rc = xsirt_db_query(&rows, db, "SELECT id, name, purl, name_key FROM sbom_components "
                                            "WHERE id > ? AND purl IS NOT NULL ORDER BY id LIMIT ?",
                                 p, 2, err)) != 0)
            return rc;
        n = xsirt_db_rows_count(rows);
        for (size_t i = 0; rc == 0 && i < n; i++) {
            const char *key = xsirt_db_rows_text(rows, i, 3);
            char alt[SBOM_NAME_KEY_MAX];
            xsirt_db_value u[2];
            sbom_name_alt(alt, xsirt_db_rows_text(rows, i, 1), xsirt_db_rows_text(rows, i, 2),
                          key != NULL ? key : "");
            after = xsirt_db_rows_int(rows, i, 0);
            if (alt[0] == '\0')
                continue;
            u[0] = XSIRT_DB_TEXTV(alt);
            u[1] = XSIRT_DB_INTV(after);
            rc = xsirt_db_exec(db, "UPDATE sbom_components SET name_alt = ? WHERE id = ?", u, 2,
                               NULL, err);
        }
        xsirt_db_rows_free(rows);
    } while (rc == 0 && n == SBOM_FILL_PAGE);
    return rc;
}

/* The first writes of an upload, inside its transaction: the SBOM, its
 * components, the asset's current SBOM (*id the new SBOM's). */
static int sbom_store_head(int64_t *id, xsirt_db *db, const xsirt_principal *by,
                           int64_t asset_id, const xsirt_sbom *sbom, const char *format,
                           size_t len, const char *sha, xsirt_error *err)
{
    char now[XSIRT_TIME_MAX];
    xsirt_db_value p[9];
    xsirt_db_rows *rows = NULL;
    int rc;

    if (xsirt_db_backend_of(db) == XSIRT_DB_POSTGRES) {
        /* Uploads to one asset queue here, so its findings are recorded
         * by one upload at a time. */
        p[0] = XSIRT_DB_INTV(asset_id);
        if ((rc = xsirt_db_exec(db, "SELECT id FROM assets WHERE id = ? FOR UPDATE", p, 1, NULL,
                                err)) != 0)
            return rc;
    }
    if ((rc = xsirt_asset_check_writable(db, by, asset_id, err)) != 0)
        return rc;
    xsirt_clock_now(now);
    p[0] = XSIRT_DB_INTV(asset_id);
    p[1] = XSIRT_DB_TEXTV(format);
    p[2] = XSIRT_DB_TEXTV(sbom->spec_version);
    p[3] = XSIRT_DB_TEXTV(sbom->serial);
    p[4] = XSIRT_DB_INTV(sbom->component_count);
    p[5] = XSIRT_DB_INTV(len);
    p[6] = XSIRT_DB_TEXTV(sha);
    p[7] = by->user_id != 0 ? XSIRT_DB_INTV(by->user_id) : XSIRT_DB_NULLV;
    p[8] = XSIRT_DB_TEXTV(now);
    if ((rc = xsirt_db_query(&rows, db, "INSERT INTO sboms (asset_id, format, spec_version, "
                                        "serial, components, size, sha256, uploaded_by, "
                                        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                        "RETURNING id", p, 9, err)) != 0)
        return rc;
    *id = xsirt_db_rows_int(rows, 0, 0);
    xsirt_db_rows_free(rows);
    if ((rc = sbom_insert_components(db, *id, sbom, err)) != 0)
        return rc;
    p[0] = XSIRT_DB_INTV(*id);
    p[1] = XSIRT_DB_TEXTV(now);
    p[2] = XSIRT_DB_INTV(asset_id);
    return xsirt_db_exec(db, "UPDATE assets SET current_sbom_id = ?, updated_at = ? WHERE id = ?",
                         p, 3, NULL, err);
}

/* The rest of an upload's writes: its findings, the answer, the audit. */
static int sbom_store_findings(json_t **out, xsirt_db *db, const xsirt_principal *by,
                               int64_t asset_id, int64_t id, const xsirt_sbom *sbom,
                               const char *format, const char *sha, const xsirt_findings *found,
                               xsirt_error *err)
{
    size_t count = 0;
    int rc;

    if ((rc = xsirt_finding_record(&count, db, asset_id, id, found, err)) != 0 ||
        (rc = xsirt_finding_record_match(db, asset_id, found, err)) != 0)
        return rc;
    *out = json_pack("{s:I, s:I, s:s, s:I, s:I, s:s}", "id", (json_int_t)id, "asset",
                     (json_int_t)asset_id, "format", format,
                     "components", (json_int_t)sbom->component_count, "findings",
                     (json_int_t)count, "sha256", sha);
    return xsirt_store_audit(db, by, "sbom.upload", "sbom", id, NULL, *out, err);
}

/* An upload's transaction on SQLite (and a re-match's, of an asset)
 * writes thousands of rows into a dozen indexes, and two settings made
 * for small requests cost it more than the inserts:
 * - the page cache (2 MB by default) holds a fraction of the pages it
 *   dirties: the rest spill to the WAL before the commit and are read
 *   back as the indexes grow. SBOM_CACHE_KIB holds an upload at the
 *   components limit.
 * - each multi-row INSERT keeps a statement journal (to undo itself
 *   alone), a temporary file past 64 KiB: 130 MB of writes for 10,000
 *   components. In memory (temp_store) it is a few MB at a time.
 * Both for the length of the transaction only, so an idle connection
 * holds no more memory than before; and only for SBOM_BULK_MIN
 * components or more: changing temp_store makes SQLite read its schema
 * again and prepare its statements again (about 20 M instructions), more
 * than a small SBOM's whole transaction. Durability is untouched: the WAL and
 * synchronous stay as they are, and a statement journal is never read
 * after a crash (the WAL is). */
#define SBOM_CACHE_KIB 65536
#define SBOM_BULK_MIN 1000

typedef struct sbom_sqlite_was {
    int64_t cache, temp;   /* cache 0: nothing to put back */
} sbom_sqlite_was;

static void sbom_sqlite_bulk(xsirt_db *db, size_t components, sbom_sqlite_was *was)
{
    char sql[64];

    memset(was, 0, sizeof *was);
    if (components < SBOM_BULK_MIN || xsirt_db_backend_of(db) != XSIRT_DB_SQLITE ||
        xsirt_db_query_int(&was->temp, db, "PRAGMA temp_store", NULL, 0, NULL) != 0 ||
        xsirt_db_query_int(&was->cache, db, "PRAGMA cache_size", NULL, 0, NULL) != 0 ||
        was->cache == 0)
        return;
    snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", SBOM_CACHE_KIB);
    xsirt_db_exec(db, sql, NULL, 0, NULL, NULL);
    xsirt_db_exec(db, "PRAGMA temp_store = MEMORY", NULL, 0, NULL, NULL);
}

static void sbom_sqlite_restore(xsirt_db *db, const sbom_sqlite_was *was)
{
    char sql[64];

    if (was->cache == 0)
        return;
    snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", (long long)was->cache);
    xsirt_db_exec(db, sql, NULL, 0, NULL, NULL);
    snprintf(sql, sizeof sql, "PRAGMA temp_store = %lld", (long long)was->temp);
    xsirt_db_exec(db, sql, NULL, 0, NULL, NULL);
}

/* Work done beside the request's thread: the SHA-256 of the body while
 * it is parsed, the matching while the components go in (an upload's
 * latency loses both on a machine with a second core). Each only reads
 * what the request's thread reads too: the body, the parsed SBOM, the
 * index (which concurrent scans share anyway). Without a thread the work
 * runs inline. */
typedef struct sbom_beside {
    pthread_t thread;
    bool running;
} sbom_beside;

static void sbom_beside_start(sbom_beside *b, void *(*run)(void *), void *arg)
{
    b->running = pthread_create(&b->thread, NULL, run, arg) == 0;
    if (!b->running)
        run(arg);
}

static void sbom_beside_wait(sbom_beside *b)
{
    if (b->running)
        pthread_join(b->thread, NULL);
    b->running = false;
}

typedef struct sbom_sha_job {
    const char *data;
    size_t len;
    char hex[65];
} sbom_sha_job;

static void *sbom_sha_run(void *arg)
{
    sbom_sha_job *j = arg;

    sbom_sha256(j->hex, j->data, j->len);
    return NULL;
}

typedef struct sbom_match_job {
    const xsirt_match_index *idx;
    const xsirt_sbom *sbom;
    xsirt_findings *found;
    xsirt_error err;
    int rc;
} sbom_match_job;

static void *sbom_match_run(void *arg)
{
    sbom_match_job *j = arg;

    if (j->idx != NULL)
        j->rc = xsirt_match_scan(&j->found, j->idx, j->sbom, &j->err);
    return NULL;
}

/* Matches sbom and records it, its components and findings in one
 * transaction; the matching runs beside the components' inserts, and a
 * failed one rolls the transaction back with its error. */
static int sbom_match_store(json_t **out, xsirt_db *db, const xsirt_principal *by,
                            int64_t asset_id, const xsirt_sbom *sbom, const char *format,
                            size_t len, const char *sha, const xsirt_match_index *idx,
                            xsirt_error *err)
{
    sbom_match_job job;
    sbom_beside beside;
    sbom_sqlite_was was;
    int64_t id = 0;
    int rc;

    memset(&job, 0, sizeof job);
    job.idx = idx;
    job.sbom = sbom;
    sbom_beside_start(&beside, sbom_match_run, &job);
    sbom_sqlite_bulk(db, sbom->component_count, &was);
    if ((rc = xsirt_db_begin(db, err)) == 0) {
        rc = sbom_store_head(&id, db, by, asset_id, sbom, format, len, sha, err);
        sbom_beside_wait(&beside);
        if (job.rc != 0 && err != NULL)
            *err = job.err;
        if (job.rc != 0)
            rc = job.rc;
        if (rc == 0)
            rc = sbom_store_findings(out, db, by, asset_id, id, sbom, format, sha, job.found, err);
        if (rc != 0) {
            json_decref(*out);
            *out = NULL;
        }
        rc = xsirt_store_finish(db, rc, err);
    }
    sbom_beside_wait(&beside);
    /* Committed; its rows are pending in two indexes (deferred_index.h),
     * unless uploads come faster than the server indexes between them.
     * That is the server's own catching up: the upload stands either way. */
    if (rc == 0 && !xsirt_db_in_transaction(db)) {
        xsirt_error ignored;
        (void)xsirt_deferred_index_backlog(db, XSIRT_DEFERRED_COMPONENTS, sbom->component_count,
                                           &ignored);
        (void)xsirt_deferred_index_backlog(db, XSIRT_DEFERRED_FINDINGS,
                                           job.found != NULL ? job.found->count : 0, &ignored);
    }
    sbom_sqlite_restore(db, &was);
    xsirt_findings_free(job.found);
    return rc;
}

int xsirt_sbom_store_upload(json_t **out, xsirt_db *db, const xsirt_principal *by,
                            int64_t asset_id, const char *data, size_t len,
                            const xsirt_match_index *idx, xsirt_error *err)
{
    xsirt_sbom *sbom = NULL;
    sbom_sha_job sha = {data, len, ""};
    sbom_beside beside;
    int rc;

    *out = NULL;
    if (len > XSIRT_LIMIT_SBOM_UPLOAD)
        return xsirt_error_set(err, XSIRT_ELIMIT, "SBOM larger than %u bytes",
                               XSIRT_LIMIT_SBOM_UPLOAD);
    /* Not visible: 404 before the document is even read. */
    if ((rc = xsirt_asset_check_visible(db, by, asset_id, err)) != 0)
        return rc;
    if (len == 0)
        return xsirt_error_set(err, XSIRT_EINVAL, "the body must be an SBOM (CycloneDX JSON or "
                                                  "XML, SPDX JSON or tag-value)");
    sbom_beside_start(&beside, sbom_sha_run, &sha);
    /* The reader drops jansson's tree before it returns: the tree lives in
     * this thread's arena (json_arena.h): 18 ms of CPU instead of 30. */
    xsirt_json_arena_begin(XSIRT_JSON_ARENA_BLOCK_SERVER);
    rc = xsirt_sbom_parse(&sbom, data, len, err);
    xsirt_json_arena_end();
    sbom_beside_wait(&beside);
    if (rc != 0)
        return sbom_reader_error(rc, err);
    if (sbom->component_count > XSIRT_LIMIT_SBOM_UPLOAD_COMPONENTS)
        rc = xsirt_error_set(err, XSIRT_ELIMIT, "the SBOM has %zu components, more than %u",
                             sbom->component_count, XSIRT_LIMIT_SBOM_UPLOAD_COMPONENTS);
    else
        rc = sbom_match_store(out, db, by, asset_id, sbom, xsirt_sbom_format_name(sbom->format),
                              len, sha.hex, idx, err);
    xsirt_sbom_free(sbom);
    return rc;
}

int xsirt_sbom_store_device(xsirt_db *db, const xsirt_principal *by, const json_t *asset,
                            const xsirt_match_index *idx, xsirt_error *err)
{
    int64_t id = (int64_t)json_integer_value(json_object_get(asset, "id"));
    xsirt_sbom_device dev = {json_string_value(json_object_get(asset, "vendor")),
                             json_string_value(json_object_get(asset, "name")),
                             json_string_value(json_object_get(asset, "version")), NULL};
    const char *kind = json_string_value(json_object_get(asset, "kind"));
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    xsirt_db_rows *rows = NULL;
    xsirt_sbom *sbom = NULL;
    json_t *out = NULL;
    char sha[65], *what;
    int rc;

    if (kind == NULL || strcmp(kind, "device") != 0 || dev.vendor == NULL || dev.product == NULL)
        return 0;
    /* An SBOM or inventory uploaded to the device describes it better
     * than its own three fields: those are matched only without one. */
    if ((rc = xsirt_db_query(&rows, db, "SELECT s.format FROM assets a JOIN sboms s ON s.id = "
                                        "a.current_sbom_id WHERE a.id = ?", p, 1, err)) != 0)
        return rc;
    rc = xsirt_db_rows_count(rows) > 0 &&
         strcmp(xsirt_db_rows_text(rows, 0, 0), SBOM_FORMAT_DEVICE) != 0;
    xsirt_db_rows_free(rows);
    if (rc)
        return 0;
    /* The "document" is the three fields the device was matched by. */
    out = json_pack("{s:s, s:s, s:s?}", "vendor", dev.vendor, "product", dev.product, "version",
                    dev.version);
    what = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(out);
    out = NULL;
    if (what == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    sbom_sha256(sha, what, strlen(what));
    free(what);
    if ((rc = xsirt_sbom_from_devices(&sbom, &dev, 1, err)) != 0)
        return rc;
    rc = sbom_match_store(&out, db, by, id, sbom, SBOM_FORMAT_DEVICE, 0, sha, idx, err);
    json_decref(out);
    xsirt_sbom_free(sbom);
    return rc;
}

int xsirt_sbom_store_list(json_t **out, xsirt_db *db, const xsirt_principal *by,
                          int64_t asset_id, const xsirt_page *pg, xsirt_error *err)
{
    static const char *const ints[] = {"id", "components", "size", NULL};
    int limit = xsirt_page_limit(pg);
    xsirt_db_value p[4] = {XSIRT_DB_INTV(asset_id), XSIRT_DB_INTV(pg->cursor),
                           XSIRT_DB_INTV(pg->cursor), XSIRT_DB_INTV(limit + 1)};
    xsirt_db_rows *rows = NULL;
    xsirt_pager pager;
    size_t n;
    int rc;

    *out = NULL;
    if ((rc = xsirt_asset_check_visible(db, by, asset_id, err)) != 0)
        return rc;
    /* Newest first, so the cursor pages towards older uploads. */
    if ((rc = xsirt_db_query(&rows, db,
                             "SELECT s.id, s.format, s.spec_version, s.serial, s.components, "
                             "s.size, s.sha256, s.created_at AS created, CASE WHEN "
                             "a.current_sbom_id = s.id THEN 1 ELSE 0 END AS current FROM sboms s "
                             "JOIN assets a ON a.id = s.asset_id WHERE s.asset_id = ? AND "
                             "(? = 0 OR s.id < ?) ORDER BY s.id DESC LIMIT ?", p, 4, err)) != 0)
        return rc;
    n = xsirt_db_rows_count(rows);
    xsirt_pager_init(&pager);
    for (size_t i = 0; i < n && i < (size_t)limit; i++) {
        json_t *s = xsirt_store_row_json(rows, i, ints);
        if (s != NULL)
            json_object_set_new(s, "current", json_boolean(xsirt_db_rows_int(rows, i, 8)));
        if (!xsirt_pager_add(&pager, s, xsirt_db_rows_int(rows, i, 0)))
            break;
    }
    xsirt_db_rows_free(rows);
    *out = xsirt_pager_finish(&pager, n > (size_t)limit);
    return *out != NULL ? 0 : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
}

int xsirt_sbom_store_components(json_t **out, xsirt_db *db, const xsirt_principal *by,
                                const xsirt_component_filter *f, xsirt_error *err)
{
    static const char *const ints[] = {"id", "sbom", "asset_id", "team", NULL};
    xsirt_page pg = {.cursor = f->cursor, .limit = f->limit};
    int limit = xsirt_page_limit(&pg);
    const char *version = f->version;
    char *key = NULL, v[XSIRT_LIMIT_VERSION], purl_name[SBOM_NAME_KEY_MAX];
    char name_key[SBOM_NAME_KEY_MAX];
    bool by_key = f->purl != NULL || f->name != NULL;
    xsirt_query q;
    xsirt_db_rows *rows = NULL;
    xsirt_pager pager;
    size_t n;
    int rc;

    *out = NULL;
    if (f->purl == NULL && f->name == NULL && f->asset <= 0)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "purl", "give purl, name or asset");
    /* By key: from the name key index, the pending components in it first
     * (deferred_index.h). */
    if (by_key && (rc = xsirt_deferred_index_all(db, XSIRT_DEFERRED_COMPONENTS, err)) != 0)
        return rc;
    xsirt_query_init(&q);
    xsirt_asset_mine_cte(&q, by);
    /* With a purl or a name the components are looked up by key first:
     * "+c.sbom_id" keeps SQLite (without statistics, in a new database)
     * from walking every current SBOM's components from the assets. */
    xsirt_query_sql(&q, "SELECT c.id, c.name, c.version, c.purl, c.cpe, c.sbom_id AS sbom, "
                        "a.id AS asset_id, a.name AS asset_name, a.version AS asset_version, "
                        "a.kind, a.team_id AS team FROM sbom_components c JOIN assets a ON ");
    xsirt_query_sql(&q, by_key ? "a.current_sbom_id = +c.sbom_id WHERE "
                               : "a.current_sbom_id = c.sbom_id WHERE ");
    xsirt_asset_visible(&q, by, "a");
    if (f->purl != NULL) {
        const char *at = strrchr(f->purl, '@');
        key = xsirt_finding_component_key(NULL, NULL, f->purl, NULL, false);
        /* A purl's component is filed under the name key of its purl
         * (schema 23: no index of purl keys of its own). */
        xsirt_sbom_store_name_key(purl_name, sizeof purl_name, f->purl);
        xsirt_query_sql(&q, " AND c.key_indexed = 1 AND c.name_key = ? AND c.purl_key = ?");
        xsirt_query_text(&q, purl_name);
        xsirt_query_text(&q, key);
        if (version == NULL && at != NULL && strchr(at, '/') == NULL) {
            /* the version inside the purl (before qualifiers) */
            size_t len = strcspn(at + 1, "?#");
            snprintf(v, sizeof v, "%.*s", (int)(len < sizeof v ? len : sizeof v - 1), at + 1);
            version = v;
        }
    }
    if (f->name != NULL) {
        /* Under the name's key, or with it as name_alt (sbom_name_alt). */
        xsirt_sbom_store_name_key(name_key, sizeof name_key, f->name);
        xsirt_query_sql(&q, " AND ((c.key_indexed = 1 AND c.name_key = ?) OR c.name_alt = ?) AND "
                            "c.name = ?");
        xsirt_query_text(&q, name_key);
        xsirt_query_text(&q, name_key);
        xsirt_query_text(&q, f->name);
    }
    if (f->asset > 0) { xsirt_query_sql(&q, " AND a.id = ?"); xsirt_query_int(&q, f->asset); }
    if (version != NULL) { xsirt_query_sql(&q, " AND c.version = ?"); xsirt_query_text(&q, version); }
    if (f->cursor > 0) { xsirt_query_sql(&q, " AND c.id < ?"); xsirt_query_int(&q, f->cursor); }
    /* "+c.id" with a purl or a name: SQLite would otherwise walk every
     * component in id order for the LIMIT instead of looking the key up. */
    xsirt_query_sql(&q, by_key ? " ORDER BY +c.id DESC LIMIT ?" : " ORDER BY c.id DESC LIMIT ?");
    xsirt_query_int(&q, limit + 1);
    rc = xsirt_query_rows(&rows, db, &q, err);
    xsirt_query_free(&q);
    free(key);
    if (rc != 0)
        return rc;
    xsirt_pager_init(&pager);
    n = xsirt_db_rows_count(rows);
    for (size_t i = 0; i < n && i < (size_t)limit; i++) {
        json_t *c = xsirt_store_row_json(rows, i, ints);
        json_object_set_new(c, "asset", json_pack("{s:I, s:s, s:s?, s:s, s:I}", "id",
                                                  (json_int_t)xsirt_db_rows_int(rows, i, 6),
                                                  "name", xsirt_db_rows_text(rows, i, 7),
                                                  "version", xsirt_db_rows_text(rows, i, 8),
                                                  "kind", xsirt_db_rows_text(rows, i, 9),
                                                  "team", (json_int_t)xsirt_db_rows_int(rows, i, 10)));
        json_object_del(c, "asset_id");
        json_object_del(c, "asset_name");
        json_object_del(c, "asset_version");
        json_object_del(c, "kind");
        json_object_del(c, "team");
        if (!xsirt_pager_add(&pager, c, xsirt_db_rows_int(rows, i, 0)))
            break;
    }
    *out = xsirt_pager_finish(&pager, n > (size_t)limit);
    xsirt_db_rows_free(rows);
    return *out != NULL ? 0 : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
}

/* A stored component as the scanner reads it, from the columns name,
 * version, purl, cpe, vendor, type of row i (strings borrowed). */
static void sbom_component_of_row(xsirt_sbom_component *c, const xsirt_db_rows *rows, size_t i)
{
    memset(c, 0, sizeof *c);
    c->name = xsirt_db_rows_text(rows, i, 0);
    c->version = xsirt_db_rows_text(rows, i, 1);
    c->purl = xsirt_db_rows_text(rows, i, 2);
    c->cpe = xsirt_db_rows_text(rows, i, 3);
    c->supplier = xsirt_db_rows_text(rows, i, 4);
    c->type = xsirt_db_rows_text(rows, i, 5);
    c->parent = XSIRT_SBOM_NONE;
}

/* The stored components of one SBOM as an xsirt_sbom the scanner reads
 * (strings borrowed from rows; no edges, no VEX). */
static int sbom_view(xsirt_sbom *view, xsirt_db_rows **rows, xsirt_db *db, int64_t sbom_id,
                     xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(sbom_id)};
    int rc = xsirt_db_query(rows, db, "SELECT name, version, purl, cpe, vendor, type FROM "
                                      "sbom_components WHERE sbom_id = ? ORDER BY id", p, 1, err);
    size_t n;

    memset(view, 0, sizeof *view);
    if (rc != 0)
        return rc;
    n = xsirt_db_rows_count(*rows);
    view->subject = XSIRT_SBOM_NONE;
    view->component_count = n;
    view->components = calloc(n > 0 ? n : 1, sizeof *view->components);
    if (view->components == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        sbom_component_of_row(&view->components[i], *rows, i);
    return 0;
}

/* Inside a re-match's transaction: whether sbom_id is still the asset's
 * current SBOM, the asset locked as an upload locks it (PostgreSQL), so
 * that its findings are recorded by one at a time. An SBOM uploaded since
 * the re-match read it was matched by its upload: nothing to record. */
static int sbom_still_current(bool *current, xsirt_db *db, int64_t asset, int64_t sbom_id,
                              xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(asset)};
    int64_t now = 0;
    int rc = xsirt_db_query_int(&now, db,
                                xsirt_db_backend_of(db) == XSIRT_DB_POSTGRES
                                    ? "SELECT current_sbom_id FROM assets WHERE id = ? FOR UPDATE"
                                    : "SELECT current_sbom_id FROM assets WHERE id = ?",
                                p, 1, err);

    *current = rc == 0 && now == sbom_id;
    return rc == XSIRT_ENOTFOUND ? 0 : rc;   /* deleted meanwhile */
}

static int sbom_rematch_one(size_t *count, xsirt_db *db, int64_t asset, int64_t sbom_id,
                            const xsirt_match_index *idx, xsirt_error *err)
{
    xsirt_sbom view;
    xsirt_db_rows *rows = NULL;
    xsirt_findings *found = NULL;
    sbom_sqlite_was was;
    int rc = sbom_view(&view, &rows, db, sbom_id, err);

    if (rc == 0)
        rc = xsirt_match_scan(&found, idx, &view, err);
    sbom_sqlite_bulk(db, view.component_count, &was);
    if (rc == 0 && (rc = xsirt_db_begin(db, err)) == 0) {
        bool current = false;
        rc = sbom_still_current(&current, db, asset, sbom_id, err);
        if (rc == 0 && current)
            rc = xsirt_finding_record(count, db, asset, sbom_id, found, err);
        if (rc == 0 && current)
            rc = xsirt_finding_record_match(db, asset, found, err);
        rc = xsirt_store_finish(db, rc, err);
    }
    sbom_sqlite_restore(db, &was);
    xsirt_findings_free(found);
    free(view.components);
    xsirt_db_rows_free(rows);
    return rc;
}

/* ---- the selective re-match after a sync ------------------------------ */

/* Keys' distinct components across the current SBOMs (the inverted
 * index), each scanned once however many SBOMs hold it. A component whose
 * findings of the sync's records every holder has already, as the scan
 * gives them (as many with the scan's fingerprint as it has holders, and
 * none else), is left alone; the holders of the others record them again,
 * partially. So a sync costs its distinct components, the findings of its
 * records (counted, not read one by one) and the writes it causes. */
typedef struct sbom_sel {
    xsirt_sbom view;         /* the distinct components (strings in rows) */
    size_t cap;
    size_t *holders;         /* current SBOMs holding each component */
    xsirt_db_rows **rows;    /* every result the view borrows from */
    size_t n_rows, rows_cap;
    json_t *seen;            /* component tuple -> its place in view */
    json_t *hits;            /* per component: {vuln: fingerprint} of the scope */
    json_t *groups;          /* component key -> [places in view] */
    json_t *existing;        /* component key -> {vuln: {fingerprint: count}}, active */
    json_t *targets;         /* asset -> {"sbom": id, "c": [places in view]} */
} sbom_sel;

static void sbom_sel_free(sbom_sel *s)
{
    for (size_t i = 0; i < s->n_rows; i++)
        xsirt_db_rows_free(s->rows[i]);
    free(s->rows);
    free(s->view.components);
    free(s->holders);
    json_decref(s->seen);
    json_decref(s->hits);
    json_decref(s->groups);
    json_decref(s->existing);
    json_decref(s->targets);
}

/* What tells two stored components apart for the scanner: the columns of
 * sbom_view, NULLs marked. */
static void sbom_sel_tuple(xsirt_buf *b, const xsirt_db_rows *rows, size_t r)
{
    xsirt_buf_reset(b);
    for (size_t k = 0; k < 6; k++) {
        const char *t = xsirt_db_rows_null(rows, r, k) ? NULL : xsirt_db_rows_text(rows, r, k);
        xsirt_buf_printf(b, "%c%s\x1f", t != NULL ? '+' : '-', t != NULL ? t : "");
    }
}

static int sbom_sel_grow(sbom_sel *s, xsirt_error *err)
{
    size_t cap = s->cap ? s->cap * 2 : 1024;
    xsirt_sbom_component *c = realloc(s->view.components, cap * sizeof *c);
    size_t *h;

    if (c != NULL)
        s->view.components = c;
    h = c != NULL ? realloc(s->holders, cap * sizeof *h) : NULL;
    if (h == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    s->holders = h;
    s->cap = cap;
    return 0;
}

/* Adds the distinct components of one query: the columns of sbom_view,
 * then the number of current SBOMs holding it. */
static int sbom_sel_add(sbom_sel *s, xsirt_db *db, const char *sql, const xsirt_db_value *p,
                        size_t n, xsirt_error *err)
{
    xsirt_db_rows *rows = NULL;
    xsirt_buf tuple;
    int rc = xsirt_db_query(&rows, db, sql, p, n, err);

    if (rc != 0)
        return rc;
    if (s->n_rows == s->rows_cap) {
        size_t cap = s->rows_cap ? s->rows_cap * 2 : 64;
        xsirt_db_rows **r = realloc(s->rows, cap * sizeof *r);
        if (r == NULL) {
            xsirt_db_rows_free(rows);
            return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
        }
        s->rows = r;
        s->rows_cap = cap;
    }
    s->rows[s->n_rows++] = rows;
    xsirt_buf_init(&tuple, 4 * XSIRT_LIMIT_IDENTIFIER + 2 * XSIRT_LIMIT_VERSION);
    for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(rows); i++) {
        sbom_sel_tuple(&tuple, rows, i);
        if (json_object_get(s->seen, xsirt_buf_cstr(&tuple)) != NULL)
            continue;
        if (s->view.component_count == s->cap && (rc = sbom_sel_grow(s, err)) != 0)
            break;
        json_object_set_new(s->seen, xsirt_buf_cstr(&tuple),
                            json_integer((json_int_t)s->view.component_count));
        s->holders[s->view.component_count] = (size_t)xsirt_db_rows_int(rows, i, 6);
        sbom_component_of_row(&s->view.components[s->view.component_count++], rows, i);
    }
    xsirt_buf_free(&tuple);
    return rc;
}

/* "+sbom_id": the current SBOMs filter the rows the key's covering index
 * finds; as an index of its own it would read every current component
 * (SQLite's planner takes it for a long IN list of keys). */
#define SBOM_SEL_SELECT                                                                      \
    "SELECT name, version, purl, cpe, vendor, type, COUNT(DISTINCT sbom_id) FROM "           \
    "sbom_components WHERE +sbom_id IN (SELECT current_sbom_id FROM assets WHERE "           \
    "current_sbom_id IS NOT NULL) AND "
#define SBOM_SEL_GROUP " GROUP BY name, version, purl, cpe, vendor, type"

/* The distinct components under keys in the current SBOMs. */
static int sbom_sel_components(sbom_sel *s, xsirt_db *db, const json_t *keys, xsirt_error *err)
{
    enum { SBOM_SEL_KEYS = 200 };   /* name keys a statement (db_postgres.c binds 256) */
    xsirt_db_value *p = calloc(json_object_size(keys) + 1, sizeof *p);
    const char *key;
    json_t *v;
    xsirt_buf sql;
    size_t n = 0;
    bool vendors = false;
    int rc = 0;

    s->view.subject = XSIRT_SBOM_NONE;
    if (p == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    xsirt_buf_init(&sql, 8192);
    json_object_foreach((json_t *)keys, key, v) {
        xsirt_db_value one[1] = {XSIRT_DB_TEXTV(key)};
        if (rc != 0)
            break;
        if (strncmp(key, "v:", 2) != 0) {
            p[n++] = XSIRT_DB_TEXTV(key);   /* name keys go in batches, below */
            continue;
        }
        if (!vendors) {
            /* Components stored before vendor keys (schema 7) with a CPE:
             * found by none, so scanned whenever a vendor is. */
            vendors = true;
            rc = sbom_sel_add(s, db, SBOM_SEL_SELECT "vendor_key IS NULL AND cpe IS NOT NULL"
                                     SBOM_SEL_GROUP, NULL, 0, err);
        }
        if (rc == 0)
            rc = sbom_sel_add(s, db, SBOM_SEL_SELECT "vendor_key = ?" SBOM_SEL_GROUP, one, 1, err);
    }
    /* Name keys: one statement per batch, read from the key's covering
     * index in its order (name_key leads the grouping). */
    for (size_t start = 0; rc == 0 && start < n; start += SBOM_SEL_KEYS) {
        size_t m = n - start < SBOM_SEL_KEYS ? n - start : SBOM_SEL_KEYS;
        xsirt_buf_reset(&sql);
        xsirt_buf_puts(&sql, SBOM_SEL_SELECT "key_indexed = 1 AND name_key IN (");
        for (size_t i = 0; i < m; i++)
            xsirt_buf_puts(&sql, i == 0 ? "?" : ", ?");
        xsirt_buf_puts(&sql, ") GROUP BY name_key, name, version, purl, cpe, vendor, type");
        rc = sbom_sel_add(s, db, xsirt_buf_cstr(&sql), p + start, m, err);
    }
    xsirt_buf_free(&sql);
    free(p);
    return rc;
}

/* The scan of the view: per component, the findings of the scope's
 * records with their fingerprints; and the components grouped by key.
 * The scope's records' text is written here, once per vulnerability
 * (xsirt_finding_vulnerabilities_put): a change of text alone leaves the
 * fingerprints, and so every finding, as they are. */
static int sbom_sel_scan(sbom_sel *s, xsirt_db *db, const xsirt_match_index *idx,
                         const json_t *vulns, xsirt_error *err)
{
    xsirt_findings *found = NULL;
    int rc = s->view.component_count > 0 ? xsirt_match_scan(&found, idx, &s->view, err) : 0;

    if (rc == 0 && found != NULL && (rc = xsirt_db_begin(db, err)) == 0)
        rc = xsirt_store_finish(db, xsirt_finding_vulnerabilities_put(db, found, vulns, err), err);

    for (size_t k = 0; rc == 0 && k < s->view.component_count; k++) {
        const xsirt_sbom_component *c = &s->view.components[k];
        char *ckey = xsirt_finding_component_key(c->name, c->version, c->purl, c->cpe, true);
        json_t *g;
        json_array_append_new(s->hits, json_object());
        if (ckey == NULL) {
            rc = xsirt_error_set(err, XSIRT_ELIMIT, "component identifier too long");
            break;
        }
        if ((g = json_object_get(s->groups, ckey)) == NULL)
            json_object_set_new(s->groups, ckey, g = json_array());
        json_array_append_new(g, json_integer((json_int_t)k));
        free(ckey);
    }
    for (size_t i = 0; rc == 0 && found != NULL && i < found->count; i++) {
        const xsirt_finding *it = &found->items[i];
        const char *id = found->records[it->record].rec.id;
        char *fp;
        if (it->suppressed || json_object_get(vulns, id) == NULL)
            continue;
        if ((fp = xsirt_finding_fingerprint(found, it)) == NULL) {
            rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
            break;
        }
        json_object_set_new(json_array_get(s->hits, it->component), id, json_string(fp));
        free(fp);
    }
    xsirt_findings_free(found);
    return rc;
}

/* One chunk of the scope's records (p[0..n)): their active findings
 * counted by vulnerability, component key and fingerprint, read from
 * findings_vuln alone. */
static int sbom_sel_existing_chunk(sbom_sel *s, xsirt_db *db, const char *in,
                                   const xsirt_db_value *p, size_t n, xsirt_error *err)
{
    xsirt_db_rows *rows = NULL;
    xsirt_buf sql;
    int rc;

    xsirt_buf_init(&sql, 16384);
    xsirt_buf_printf(&sql, "SELECT vuln_id, component_key, fingerprint, COUNT(*) FROM findings "
                           "WHERE vuln_indexed = 1 AND vuln_id IN (%s) AND active = 1 GROUP BY "
                           "vuln_id, component_key, fingerprint", in);
    rc = xsirt_db_query(&rows, db, xsirt_buf_cstr(&sql), p, n, err);
    for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(rows); i++) {
        const char *vuln = xsirt_db_rows_text(rows, i, 0), *ckey = xsirt_db_rows_text(rows, i, 1);
        const char *fp = xsirt_db_rows_null(rows, i, 2) ? "" : xsirt_db_rows_text(rows, i, 2);
        json_t *byk = json_object_get(s->existing, ckey), *byv;
        if (byk == NULL)
            json_object_set_new(s->existing, ckey, byk = json_object());
        if ((byv = json_object_get(byk, vuln)) == NULL)
            json_object_set_new(byk, vuln, byv = json_object());
        json_object_set_new(byv, fp, json_integer((json_int_t)xsirt_db_rows_int(rows, i, 3)));
    }
    xsirt_db_rows_free(rows);
    xsirt_buf_free(&sql);
    return rc;
}

/* The active findings of the scope's records, SBOM_SEL_PER at a time,
 * from findings_vuln (its pending findings are in: sbom_rematch_selective). */
static int sbom_sel_existing(sbom_sel *s, xsirt_db *db, const json_t *vulns, xsirt_error *err)
{
    enum { SBOM_SEL_PER = 200 };
    xsirt_db_value p[SBOM_SEL_PER];
    void *it = json_object_iter((json_t *)vulns);
    xsirt_buf in;
    int rc = 0;

    xsirt_buf_init(&in, 4 * SBOM_SEL_PER);
    while (rc == 0 && it != NULL) {
        size_t n = 0;
        xsirt_buf_reset(&in);
        for (; it != NULL && n < SBOM_SEL_PER; it = json_object_iter_next((json_t *)vulns, it), n++) {
            xsirt_buf_puts(&in, n == 0 ? "?" : ", ?");
            p[n] = XSIRT_DB_TEXTV(json_object_iter_key(it));
        }
        rc = sbom_sel_existing_chunk(s, db, xsirt_buf_cstr(&in), p, n, err);
    }
    xsirt_buf_free(&in);
    return rc;
}

/* Whether the holders of the components under one key have exactly the
 * findings of the scope the scan gives (so nothing is to be recorded):
 * one component under the key, and for each vulnerability it now has, as
 * many findings with its fingerprint as it has holders, and no other. */
static bool sbom_sel_settled(const sbom_sel *s, const json_t *group, const json_t *existing)
{
    size_t k = (size_t)json_integer_value(json_array_get(group, 0));
    const json_t *hits = json_array_get(s->hits, k), *fp;
    const char *vuln;

    if (json_array_size(group) != 1)
        return false;   /* two components share the key: recorded by their holders */
    if (json_object_size(hits) != json_object_size(existing))
        return false;
    json_object_foreach((json_t *)hits, vuln, fp) {
        const json_t *byfp = json_object_get(existing, vuln);
        if (json_object_size(byfp) != 1 ||
            json_integer_value(json_object_get(byfp, json_string_value(fp))) !=
                (json_int_t)s->holders[k])
            return false;
    }
    return true;
}

static bool sbom_sel_same(const char *a, const char *b)
{
    return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

/* The assets whose current SBOM holds component k of the view. */
static int sbom_sel_holders(sbom_sel *s, xsirt_db *db, size_t k, xsirt_error *err)
{
    const xsirt_sbom_component *c = &s->view.components[k];
    char key[SBOM_NAME_KEY_MAX];
    xsirt_db_value p[3];
    xsirt_db_rows *rows = NULL;
    int rc;

    /* The key it was filed under; the components found by it first
     * ("+c.sbom_id", as in xsirt_sbom_store_components). */
    sbom_filed_key(key, c);
    p[0] = XSIRT_DB_TEXTV(key);
    p[1] = XSIRT_DB_TEXTV(c->name);
    p[2] = XSIRT_DB_TEXTV(c->version);
    rc = xsirt_db_query(&rows, db,
                        c->version != NULL
                            ? "SELECT a.id, c.sbom_id, c.purl, c.cpe, c.vendor, c.type FROM "
                              "sbom_components c JOIN assets a ON a.current_sbom_id = +c.sbom_id "
                              "WHERE c.key_indexed = 1 AND c.name_key = ? AND c.name = ? AND "
                              "c.version = ?"
                            : "SELECT a.id, c.sbom_id, c.purl, c.cpe, c.vendor, c.type FROM "
                              "sbom_components c JOIN assets a ON a.current_sbom_id = +c.sbom_id "
                              "WHERE c.key_indexed = 1 AND c.name_key = ? AND c.name = ? AND "
                              "c.version IS NULL",
                        p, c->version != NULL ? 3 : 2, err);

    for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(rows); i++) {
        char asset[32];
        json_t *t, *list;
        size_t last;
        if (!sbom_sel_same(c->purl, xsirt_db_rows_text(rows, i, 2)) ||
            !sbom_sel_same(c->cpe, xsirt_db_rows_text(rows, i, 3)) ||
            !sbom_sel_same(c->supplier, xsirt_db_rows_text(rows, i, 4)) ||
            !sbom_sel_same(c->type, xsirt_db_rows_text(rows, i, 5)))
            continue;
        snprintf(asset, sizeof asset, "%lld", (long long)xsirt_db_rows_int(rows, i, 0));
        if ((t = json_object_get(s->targets, asset)) == NULL) {
            t = json_pack("{s:I, s:[]}", "sbom", (json_int_t)xsirt_db_rows_int(rows, i, 1), "c");
            json_object_set_new(s->targets, asset, t);
        }
        /* The same component twice in one SBOM: scanned once. */
        list = json_object_get(t, "c");
        last = json_array_size(list);
        if (last == 0 || json_integer_value(json_array_get(list, last - 1)) != (json_int_t)k)
            json_array_append_new(list, json_integer((json_int_t)k));
    }
    xsirt_db_rows_free(rows);
    return rc;
}

/* The holders of the components under keys that are not settled. */
static int sbom_sel_targets(sbom_sel *s, xsirt_db *db, xsirt_error *err)
{
    const char *ckey;
    json_t *group, *v;
    size_t i;
    int rc = 0;

    json_object_foreach(s->groups, ckey, group) {
        const json_t *existing = json_object_get(s->existing, ckey);
        bool any = json_object_size(existing) > 0;
        json_array_foreach(group, i, v) any = any || json_object_size(json_array_get(s->hits,
                                                                   json_integer_value(v))) > 0;
        if (rc != 0)
            break;
        if (!any || sbom_sel_settled(s, group, existing))
            continue;
        json_array_foreach(group, i, v) {
            if (rc == 0)
                rc = sbom_sel_holders(s, db, (size_t)json_integer_value(v), err);
        }
    }
    return rc;
}

/* One asset: its components of the view scanned and recorded partially. */
static int sbom_sel_record(size_t *count, const sbom_sel *s, xsirt_db *db, int64_t asset,
                           const json_t *target, const xsirt_match_index *idx,
                           const json_t *vulns, xsirt_error *err)
{
    const json_t *list = json_object_get(target, "c"), *v;
    xsirt_sbom view;
    xsirt_findings *found = NULL;
    sbom_sqlite_was was;
    size_t i;
    int rc;

    memset(&view, 0, sizeof view);
    view.subject = XSIRT_SBOM_NONE;
    view.components = calloc(json_array_size(list) + 1, sizeof *view.components);
    if (view.components == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    json_array_foreach(list, i, v)
        view.components[view.component_count++] = s->view.components[json_integer_value(v)];
    rc = xsirt_match_scan(&found, idx, &view, err);
    sbom_sqlite_bulk(db, view.component_count, &was);
    if (rc == 0 && (rc = xsirt_db_begin(db, err)) == 0) {
        int64_t sbom = (int64_t)json_integer_value(json_object_get(target, "sbom"));
        bool current = false;
        rc = sbom_still_current(&current, db, asset, sbom, err);
        if (rc == 0 && current)
            rc = xsirt_finding_record_partial(count, db, asset, sbom, found, vulns, err);
        if (rc == 0 && current)
            rc = xsirt_finding_record_match(db, asset, found, err);
        rc = xsirt_store_finish(db, rc, err);
    }
    sbom_sqlite_restore(db, &was);
    xsirt_findings_free(found);
    free(view.components);
    return rc;
}

static int sbom_rematch_selective(size_t *assets, size_t *findings, xsirt_db *db,
                                  const xsirt_match_index *idx, const json_t *keys,
                                  const json_t *vulns, xsirt_error *err)
{
    sbom_sel s;
    const char *asset;
    json_t *t;
    int rc;

    memset(&s, 0, sizeof s);
    s.seen = json_object();
    s.hits = json_array();
    s.groups = json_object();
    s.existing = json_object();
    s.targets = json_object();
    /* It reads both deferred indexes (deferred_index.h). */
    rc = xsirt_deferred_index_all(db, XSIRT_DEFERRED_COMPONENTS, err);
    if (rc == 0)
        rc = xsirt_deferred_index_all(db, XSIRT_DEFERRED_FINDINGS, err);
    if (rc == 0)
        rc = sbom_sel_components(&s, db, keys, err);
    if (rc == 0)
        rc = sbom_sel_scan(&s, db, idx, vulns, err);
    if (rc == 0)
        rc = sbom_sel_existing(&s, db, vulns, err);
    if (rc == 0)
        rc = sbom_sel_targets(&s, db, err);
    json_object_foreach(s.targets, asset, t) {
        size_t count = 0;
        uint64_t id = 0;
        if (rc != 0)
            break;
        xsirt_parse_u64(&id, asset, strlen(asset));
        rc = sbom_sel_record(&count, &s, db, (int64_t)id, t, idx, vulns, err);
        *findings += count;
        (*assets)++;
    }
    sbom_sel_free(&s);
    return rc;
}

int xsirt_sbom_store_rematch(size_t *assets, size_t *findings, xsirt_db *db,
                             const xsirt_match_index *idx, const json_t *keys,
                             const json_t *vulns, xsirt_error *err)
{
    xsirt_db_rows *rows = NULL;
    size_t n = 0, total = 0;
    int rc;

    if (keys != NULL && vulns != NULL) {
        rc = sbom_rematch_selective(&n, &total, db, idx, keys, vulns, err);
    } else {
        /* Every asset with a current SBOM, matched whole. */
        rc = xsirt_db_query(&rows, db, "SELECT id, current_sbom_id FROM assets WHERE "
                                       "current_sbom_id IS NOT NULL ORDER BY id", NULL, 0, err);
        for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(rows); i++) {
            size_t count = 0;
            rc = sbom_rematch_one(&count, db, xsirt_db_rows_int(rows, i, 0),
                                  xsirt_db_rows_int(rows, i, 1), idx, err);
            total += count;
            n++;
        }
        xsirt_db_rows_free(rows);
    }
    if (assets != NULL)
        *assets = n;
    if (findings != NULL)
        *findings = total;
    return rc;
}
