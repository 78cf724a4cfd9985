/*
 * report_openvex.c — findings as one OpenVEX 0.2.0 document: a statement
 * per (vulnerability, product set), products named by purl.
 *
 * Findings of one vulnerability that share status, justification and
 * action (e.g. every component fixed in the same way is one set, a
 * component suppressed as not_affected another) become one statement
 * listing them all. Without a suppression a finding is "affected", with an
 * action statement naming the fixed versions (OpenVEX requires one); a
 * suppressed one takes the status of the VEX statement that suppressed it.
 * The caller gives the timestamp; the document @id, when not given, is a
 * hash of the content, so the same findings give the same document.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "formats/report_internal.h"

#define OPENVEX_CONTEXT "https://openvex.dev/ns/v0.2.0"

static const char *const justifications[] = {
    "component_not_present", "vulnerable_code_not_present", "vulnerable_code_not_in_execute_path",
    "vulnerable_code_cannot_be_controlled_by_adversary", "inline_mitigations_already_exist", NULL};

static int valid_justification(const char *j)
{
    for (size_t i = 0; j != NULL && justifications[i] != NULL; i++)
        if (strcmp(j, justifications[i]) == 0)
            return 1;
    return 0;
}

/* An IRI naming a component, appended to b: its purl, its CPE, else an
 * xsirt URN with the name and version percent-encoded. Text that is not
 * UTF-8 cannot be a JSON string: XSIRT_ENOMEM, as the jansson writers say. */
static int product_id(xsirt_buf *b, const rp_finding *f)
{
    size_t from = b->len;
    int rc;

    if (f->purl != NULL && f->purl[0] != '\0')
        rc = xsirt_buf_puts(b, f->purl);
    else if (f->cpe != NULL && f->cpe[0] != '\0')
        rc = xsirt_buf_puts(b, f->cpe);
    else {
        rc = xsirt_buf_puts(b, "urn:xsirt:component:");
        for (int part = 0; part < 2 && rc == 0; part++) {
            const char *s = part == 0 ? f->name : f->version;
            if (s == NULL)
                break;
            if (part == 1)
                rc = xsirt_buf_putc(b, '@');
            for (const unsigned char *p = (const unsigned char *)s; rc == 0 && *p; p++)
                rc = (xsirt_is_alnum(*p) || *p == '-' || *p == '.' || *p == '_')
                         ? xsirt_buf_putc(b, (char)*p)
                         : xsirt_buf_printf(b, "%%%02X", *p);
        }
    }
    if (rc == 0 && !xsirt_utf8_valid(b->data + from, b->len - from))
        rc = XSIRT_ENOMEM;
    return rc;
}

/* The statement fields a finding's products are grouped under. */
static int statement_for(json_t **out, const rp_finding *f)
{
    const json_t *by = f->suppressed_by;
    const char *status = by != NULL ? rp_str(by, "status") : NULL;
    json_t *st = json_object(), *vuln = json_object(), *aliases = json_array(), *v;
    size_t i;
    int rc = (st && vuln && aliases) ? 0 : XSIRT_ENOMEM;

    if (rc == 0)
        rc = rp_set(vuln, "name", json_string(f->v->vid));
    json_array_foreach(f->v->aliases, i, v) {
        int dup = !json_is_string(v) || strcmp(json_string_value(v), f->v->vid) == 0;
        for (size_t k = 0; !dup && k < json_array_size(aliases); k++)
            dup = json_equal(v, json_array_get(aliases, k));
        if (rc == 0 && !dup)
            rc = rp_push(aliases, json_incref(v));
    }
    if (rc == 0 && json_array_size(aliases) > 0)
        rc = rp_set(vuln, "aliases", json_incref(aliases));
    if (rc == 0)
        rc = rp_set(st, "vulnerability", json_incref(vuln));
    if (rc == 0)
        rc = rp_set(st, "products", json_array());
    if (status != NULL && strcmp(status, "fixed") == 0) {
        if (rc == 0)
            rc = rp_set(st, "status", json_string("fixed"));
    } else if (by != NULL) {
        const char *j = rp_str(by, "justification"), *impact = rp_str(by, "impact");
        if (rc == 0)
            rc = rp_set(st, "status", json_string("not_affected"));
        if (rc == 0 && valid_justification(j))
            rc = rp_set(st, "justification", json_string(j));
        if (rc == 0 && (impact != NULL || !valid_justification(j)))
            rc = rp_set(st, "impact_statement",
                        json_string(impact != NULL ? impact
                                                   : "Not affected according to a VEX statement."));
    } else {
        xsirt_buf b;
        const char *vstatus = rp_str(f->vex, "status");
        int investigating = vstatus != NULL && strcmp(vstatus, "under_investigation") == 0;
        xsirt_buf_init(&b, 1u << 20);
        if (rc == 0)
            rc = rp_set(st, "status", json_string(investigating ? "under_investigation" : "affected"));
        if (rc == 0 && !investigating && rp_str(f->vex, "action") != NULL) {
            /* The action the annotating statement gives, as its author wrote it. */
            rc = rp_set(st, "action_statement", json_string(rp_str(f->vex, "action")));
        } else if (rc == 0 && !investigating) {
            if (json_array_size(f->v->fixed) > 0) {
                rc = xsirt_buf_puts(&b, "Upgrade to ");
                if (rc == 0)
                    rc = rp_join_fixed(&b, f->v->fixed, " or ");
                if (rc == 0)
                    rc = xsirt_buf_putc(&b, '.');
            } else {
                rc = xsirt_buf_puts(&b, "No fixed version is known; remove the component or "
                                        "mitigate until one is released.");
            }
            if (rc == 0)
                rc = rp_set(st, "action_statement", json_string(xsirt_buf_cstr(&b)));
        }
        xsirt_buf_free(&b);
    }
    json_decref(vuln);
    json_decref(aliases);
    if (rc != 0) {
        json_decref(st);
        return rc;
    }
    *out = st;
    return 0;
}

/* The statements of one vulnerability being gathered. Findings that no
 * VEX statement speaks of all get the same statement (its fields come
 * from the vulnerability alone), so it is made once: plain. */
typedef struct ov_group {
    json_t *stmts;     /* the statements, each with "products": [] */
    xsirt_buf *prods;  /* prods[k]: statement k's products as compact JSON
                        * ({"@id":"..."},{"@id":"..."}...): one product is
                        * text, not a jansson object to build and dump */
    size_t n_prods;
    json_t *seen;      /* "<statement index>\n<product id>" of products listed */
    long plain;        /* index of the plain findings' statement, -1 before */
    xsirt_buf key;
} ov_group;

/* The index in g->stmts of the statement for f's fields, added when no
 * statement there has them. */
static int statement_index(size_t *out, ov_group *g, const rp_finding *f)
{
    bool plain = f->suppressed_by == NULL && f->vex == NULL;
    json_t *st = NULL;
    size_t k, n = json_array_size(g->stmts);
    int rc;

    if (plain && g->plain >= 0) {
        *out = (size_t)g->plain;
        return 0;
    }
    if ((rc = statement_for(&st, f)) != 0)
        return rc;
    for (k = 0; k < n; k++)   /* the products are kept apart: compare the rest */
        if (json_equal(json_array_get(g->stmts, k), st))
            break;
    if (k == n) {
        xsirt_buf *grown = realloc(g->prods, (n + 1) * sizeof *grown);
        if (grown == NULL) {
            json_decref(st);
            return XSIRT_ENOMEM;
        }
        g->prods = grown;
        xsirt_buf_init(&g->prods[n], XSIRT_LIMIT_REPORT_TEXT);
        g->n_prods = n + 1;
        if ((rc = rp_push(g->stmts, st)) != 0)
            return rc;
    } else {
        json_decref(st);
    }
    if (plain)
        g->plain = (long)k;
    *out = k;
    return 0;
}

/* Adds f's product to the statement of its fields (products are unique
 * in a statement: the schema's uniqueItems). */
static int add_finding(ov_group *g, const rp_finding *f)
{
    char digits[24];
    size_t k, d = sizeof digits, v;
    xsirt_buf *prods;
    int rc;

    if ((rc = statement_index(&k, g, f)) != 0)
        return rc;
    /* The key "<k>\n<id>", without printf: this runs once per finding. */
    digits[--d] = '\n';
    v = k;
    do
        digits[--d] = (char)('0' + v % 10);
    while ((v /= 10) > 0);
    xsirt_buf_reset(&g->key);
    if ((rc = xsirt_buf_append(&g->key, digits + d, sizeof digits - d)) != 0 ||
        (rc = product_id(&g->key, f)) != 0 || json_object_get(g->seen, xsirt_buf_cstr(&g->key)) != NULL)
        return rc;
    if (json_object_set_new(g->seen, xsirt_buf_cstr(&g->key), json_true()) != 0)
        return XSIRT_ENOMEM;
    prods = &g->prods[k];
    if (prods->len > 0 && (rc = xsirt_buf_putc(prods, ',')) != 0)
        return rc;
    if ((rc = xsirt_buf_puts(prods, "{\"@id\":")) != 0 ||
        (rc = xsirt_jsonw_escape(prods, g->key.data + (sizeof digits - d))) != 0)
        return rc;
    return xsirt_buf_putc(prods, '}');
}

/* Statement k as compact text into out: its fields with its products put
 * in the place of the empty "products" array it was built with. Inside
 * a JSON string every quote is escaped, so the unescaped ,"products":[]
 * can only be that member. */
static int statement_text(xsirt_buf *out, const ov_group *g, size_t k)
{
    static const char hole[] = ",\"products\":[]";
    char *text = json_dumps(json_array_get(g->stmts, k), JSON_COMPACT);
    const char *at = text != NULL ? strstr(text, hole) : NULL;
    size_t cut;
    int rc;

    if (at == NULL) {
        free(text);
        return XSIRT_ENOMEM;
    }
    cut = (size_t)(at - text) + sizeof hole - 2;   /* up to and with '[' */
    xsirt_buf_reset(out);
    if ((rc = xsirt_buf_append(out, text, cut)) == 0 &&
        (rc = xsirt_buf_append(out, g->prods[k].data, g->prods[k].len)) == 0)
        rc = xsirt_buf_puts(out, text + cut);
    free(text);
    return rc;
}

/* The statements of the vulnerability of f->items[from..to), written
 * one by one: memory holds one vulnerability's statements at a time. */
static int write_group(xsirt_jsonw *w, const rp_findings *f, size_t from, size_t to,
                       xsirt_buf *keep)
{
    ov_group g = {json_array(), NULL, 0, json_object(), -1, {0}};
    xsirt_buf text;
    int rc = g.stmts != NULL && g.seen != NULL ? 0 : XSIRT_ENOMEM;

    xsirt_buf_init(&g.key, 1u << 20);
    xsirt_buf_init(&text, XSIRT_LIMIT_REPORT_TEXT);
    for (size_t i = from; rc == 0 && i < to; i++)
        rc = add_finding(&g, &f->items[i]);
    for (size_t k = 0; rc == 0 && k < json_array_size(g.stmts); k++) {
        if ((rc = statement_text(&text, &g, k)) != 0)
            break;
        xsirt_jsonw_compact_value(w, text.data, text.len);
        if (keep != NULL)
            rc = xsirt_buf_append(keep, text.data, text.len + 1);
    }
    for (size_t k = 0; k < g.n_prods; k++)
        xsirt_buf_free(&g.prods[k]);
    free(g.prods);
    json_decref(g.stmts);
    json_decref(g.seen);
    xsirt_buf_free(&g.key);
    xsirt_buf_free(&text);
    return rc;
}

/* The statements: made from the findings (and, with keep, kept there as
 * compact texts, each ending in a NUL), or written again from kept. */
static int write_statements(xsirt_jsonw *w, const rp_findings *f, xsirt_buf *keep,
                            const xsirt_buf *kept)
{
    int rc = 0;

    if (kept != NULL) {
        for (size_t at = 0; at < kept->len && w->rc == 0;) {
            size_t n = strlen(kept->data + at);
            xsirt_jsonw_compact_value(w, kept->data + at, n);
            at += n + 1;
        }
        return 0;
    }
    for (size_t i = 0, end; rc == 0 && w->rc == 0 && i < f->count; i = end) {
        end = rp_group_end(f, i);
        rc = write_group(w, f, i, end, keep);
    }
    return rc;
}

static int write_doc(xsirt_jsonw *w, const rp_findings *f, const xsirt_report_options *opts,
                     const char *id, xsirt_buf *keep, const xsirt_buf *kept)
{
    const char *author = opts->author != NULL ? opts->author : "xsirt";
    int rc = 0;

    xsirt_jsonw_begin(w, '{');
    xsirt_jsonw_kstring(w, "@context", OPENVEX_CONTEXT);
    xsirt_jsonw_kstring(w, "@id", id);
    xsirt_jsonw_kstring(w, "author", author);
    xsirt_jsonw_kstring(w, "timestamp", opts->timestamp);
    xsirt_jsonw_kint(w, "version", 1);
    xsirt_jsonw_kvalue_new(w, "tooling", json_sprintf("xsirt %s", rp_tool_version(opts)));
    xsirt_jsonw_key(w, "statements");
    xsirt_jsonw_begin(w, '[');
    rc = write_statements(w, f, keep, kept);
    xsirt_jsonw_end(w, ']');
    xsirt_jsonw_end(w, '}');
    if (rc != 0)
        return xsirt_error_set(w->err, rc, "out of memory writing OpenVEX");
    return w->rc;
}

/* Without opts->document_id, the @id is a hash of the compact document
 * with an empty @id, and the @id comes before the statements: a first pass
 * writes the document into a hash instead of the sink and keeps each
 * statement as compact text (a fraction of the findings' size: one
 * statement lists many products), which the second pass lays out again
 * rather than making the statements twice. */
int rp_write_openvex(xsirt_jsonw *w, const rp_findings *f, const xsirt_sbom *sbom,
                     const xsirt_report_options *opts, xsirt_error *err)
{
    char id[80];
    xsirt_buf kept;
    int rc, frc;

    (void)sbom;
    if (opts == NULL || opts->timestamp == NULL)
        return xsirt_error_set(err, XSIRT_EINVAL, "an OpenVEX document needs a timestamp");
    if (opts->document_id != NULL) {
        if (!xsirt_utf8_valid(opts->document_id, strlen(opts->document_id)))
            return xsirt_error_set(err, XSIRT_ENOMEM,
                                   "out of memory writing OpenVEX (a non-UTF-8 option?)");
        return write_doc(w, f, opts, opts->document_id, NULL, NULL);
    }
    unsigned long long h = RP_FNV_INIT;
    xsirt_jsonw *hw = malloc(sizeof *hw);
    if (hw == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory writing OpenVEX");
    xsirt_buf_init(&kept, XSIRT_LIMIT_REPORT_TEXT);
    xsirt_jsonw_init(hw, xsirt_jsonw_sink_fnv, &h, 0, 0, err);
    rc = write_doc(hw, f, opts, "", &kept, NULL);
    frc = xsirt_jsonw_finish(hw);
    if (rc == 0)
        rc = frc;
    free(hw);
    if (rc == 0) {
        h ^= 0xff;   /* rp_fnv's closing separator */
        snprintf(id, sizeof id, "https://openvex.dev/docs/public/vex-%016llx",
                 h * 0x100000001b3ull);
        rc = write_doc(w, f, opts, id, NULL, &kept);
    }
    xsirt_buf_free(&kept);
    return rc;
}
