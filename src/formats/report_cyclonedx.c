/*
 * report_cyclonedx.c — findings as CycloneDX 1.5 JSON: the scanned BOM
 * re-emitted from the xsirt_sbom model with a vulnerabilities section, or,
 * when the input is SPDX (or not given), a standalone VEX BOM listing just
 * the affected components, referenced by purl.
 *
 * Always 1.5, whatever the input version: one output shape to test against
 * one schema, and 1.5 reads every field a 1.2–1.4 BOM model holds (1.6 adds
 * nothing vulnerabilities need). The model drops what it does not read
 * (services, properties, evidence...; docs/sbom.md), so the re-emitted BOM
 * is the model's view of the input, not a byte copy. Values the 1.5 schema
 * would refuse are normalised or dropped: unknown component types become
 * "library", SPDX hash names are spelled the CycloneDX way and unknown
 * algorithms or malformed digests dropped, licences become names.
 * Components without a bom-ref get "xsirt:component:N" so that
 * affects[].ref can name them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "formats/report_internal.h"

typedef struct cdx_purl {
    const char *purl;
    size_t index;
} cdx_purl;

typedef struct cdx_ctx {
    const xsirt_sbom *sbom;       /* NULL in standalone mode */
    char **refs;                  /* output bom-ref of each model component */
    size_t **children;            /* children[i]: indexes, children_n[i] of them */
    size_t *children_n;
    struct cdx_purl *by_purl;     /* components with a purl, sorted by purl */
    size_t n_by_purl;
    json_t *extra;                /* standalone components, by bom-ref */
} cdx_ctx;

static const char *const component_types[] = {
    "application", "framework", "library", "container", "platform", "operating-system",
    "device", "device-driver", "firmware", "file", "machine-learning-model", "data", NULL};

static const char *component_type(const char *t)
{
    for (size_t i = 0; t != NULL && component_types[i] != NULL; i++)
        if (strcmp(t, component_types[i]) == 0)
            return t;
    return "library";
}

/* CycloneDX algorithm names and the digest length each must have. */
static const char *hash_alg(const char *alg, size_t *hexlen)
{
    static const struct { const char *cdx, *spdx; size_t len; } algs[] = {
        {"MD5", "MD5", 32},           {"SHA-1", "SHA1", 40},
        {"SHA-256", "SHA256", 64},    {"SHA-384", "SHA384", 96},
        {"SHA-512", "SHA512", 128},   {"SHA3-256", "SHA3-256", 64},
        {"SHA3-384", "SHA3-384", 96}, {"SHA3-512", "SHA3-512", 128},
        {"BLAKE2b-256", "BLAKE2b-256", 64}, {"BLAKE2b-384", "BLAKE2b-384", 96},
        {"BLAKE2b-512", "BLAKE2b-512", 128}};

    for (size_t i = 0; alg != NULL && i < sizeof algs / sizeof *algs; i++)
        if (strcmp(alg, algs[i].cdx) == 0 || strcmp(alg, algs[i].spdx) == 0) {
            *hexlen = algs[i].len;
            return algs[i].cdx;
        }
    return NULL;
}

static int is_hex(const char *s, size_t len)
{
    if (s == NULL || strlen(s) != len)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!(xsirt_is_digit(s[i]) || (s[i] >= 'a' && s[i] <= 'f') || (s[i] >= 'A' && s[i] <= 'F')))
            return 0;
    return 1;
}

/* A string member, only when the value is set. */
static int set_opt(json_t *obj, const char *key, const char *value)
{
    return value != NULL ? rp_set(obj, key, json_string(value)) : 0;
}

static int component_json(json_t **out, cdx_ctx *c, size_t i)
{
    const xsirt_sbom_component *sc = &c->sbom->components[i];
    json_t *o = json_object(), *a;
    int rc = o != NULL ? 0 : XSIRT_ENOMEM;

    if (rc == 0)
        rc = rp_set(o, "type", json_string(component_type(sc->type)));
    if (rc == 0)
        rc = rp_set(o, "bom-ref", json_string(c->refs[i]));
    if (rc == 0 && sc->supplier != NULL)
        rc = rp_set(o, "supplier", json_pack("{s:s}", "name", sc->supplier));
    if (rc == 0)
        rc = set_opt(o, "group", sc->group);
    if (rc == 0)
        rc = rp_set(o, "name", json_string(sc->name));
    if (rc == 0)
        rc = set_opt(o, "version", sc->version);
    if (rc == 0 && sc->hash_count > 0 && (rc = rp_set(o, "hashes", a = json_array())) == 0) {
        for (size_t h = 0; rc == 0 && h < sc->hash_count; h++) {
            size_t len = 0;
            const char *alg = hash_alg(sc->hashes[h].alg, &len);
            if (alg != NULL && is_hex(sc->hashes[h].value, len))
                rc = rp_push(a, json_pack("{s:s,s:s}", "alg", alg, "content", sc->hashes[h].value));
        }
        if (rc == 0 && json_array_size(a) == 0)
            json_object_del(o, "hashes");
    }
    if (rc == 0 && sc->license_count > 0 && (rc = rp_set(o, "licenses", a = json_array())) == 0)
        for (size_t l = 0; rc == 0 && l < sc->license_count; l++)
            rc = rp_push(a, json_pack("{s:{s:s}}", "license", "name", sc->licenses[l]));
    if (rc == 0)
        rc = set_opt(o, "cpe", sc->cpe);
    if (rc == 0)
        rc = set_opt(o, "purl", sc->purl);
    if (rc == 0 && c->children_n[i] > 0 && (rc = rp_set(o, "components", a = json_array())) == 0) {
        for (size_t k = 0; rc == 0 && k < c->children_n[i]; k++) {
            json_t *child = NULL;
            if ((rc = component_json(&child, c, c->children[i][k])) == 0)
                rc = rp_push(a, child);
        }
    }
    if (rc != 0) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return 0;
}

static int cmp_key(const void *pa, const void *pb)
{
    return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

static int cmp_by_purl(const void *pa, const void *pb)
{
    const cdx_purl *a = pa, *b = pb;
    int c = strcmp(a->purl, b->purl);

    return c != 0 ? c : (a->index < b->index ? -1 : a->index > b->index);
}

static int ctx_init(cdx_ctx *c, const xsirt_sbom *sbom)
{
    size_t n;

    memset(c, 0, sizeof *c);
    c->extra = json_object();
    if (c->extra == NULL)
        return XSIRT_ENOMEM;
    if (sbom == NULL || (sbom->format != XSIRT_SBOM_CYCLONEDX_JSON &&
                         sbom->format != XSIRT_SBOM_CYCLONEDX_XML))
        return 0;
    c->sbom = sbom;
    n = sbom->component_count;
    if (n == 0)
        return 0;
    c->refs = calloc(n, sizeof *c->refs);
    c->children = calloc(n, sizeof *c->children);
    c->children_n = calloc(n, sizeof *c->children_n);
    c->by_purl = calloc(n, sizeof *c->by_purl);
    if (!c->refs || !c->children || !c->children_n || !c->by_purl)
        return XSIRT_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const xsirt_sbom_component *sc = &sbom->components[i];
        if (sc->ref != NULL && sc->ref[0] != '\0')
            c->refs[i] = xsirt_strndup(sc->ref, strlen(sc->ref));
        else {
            char r[48];
            snprintf(r, sizeof r, "xsirt:component:%zu", i);
            c->refs[i] = xsirt_strndup(r, strlen(r));
        }
        if (c->refs[i] == NULL)
            return XSIRT_ENOMEM;
        if (sc->parent != XSIRT_SBOM_NONE && sc->parent < n)
            c->children_n[sc->parent]++;
        if (sc->purl != NULL) {
            c->by_purl[c->n_by_purl].purl = sc->purl;
            c->by_purl[c->n_by_purl++].index = i;
        }
    }
    for (size_t i = 0; i < n; i++)
        if (c->children_n[i] > 0) {
            if ((c->children[i] = calloc(c->children_n[i], sizeof **c->children)) == NULL)
                return XSIRT_ENOMEM;
            c->children_n[i] = 0;
        }
    for (size_t i = 0; i < n; i++) {
        size_t p = sbom->components[i].parent;
        if (p != XSIRT_SBOM_NONE && p < n)
            c->children[p][c->children_n[p]++] = i;
    }
    qsort(c->by_purl, c->n_by_purl, sizeof *c->by_purl, cmp_by_purl);
    return 0;
}

static void ctx_free(cdx_ctx *c)
{
    size_t n = c->sbom != NULL ? c->sbom->component_count : 0;

    for (size_t i = 0; i < n; i++) {
        if (c->refs != NULL)
            free(c->refs[i]);
        if (c->children != NULL)
            free(c->children[i]);
    }
    free(c->refs);
    free(c->children);
    free(c->children_n);
    free(c->by_purl);
    json_decref(c->extra);
}

/* The model component a finding is about: by bom-ref, else by purl. */
static size_t find_component(const cdx_ctx *c, const rp_finding *f)
{
    size_t lo = 0, hi = c->n_by_purl, i;

    if (c->sbom == NULL)
        return XSIRT_SBOM_NONE;
    if (f->bom_ref != NULL && (i = xsirt_sbom_find(c->sbom, f->bom_ref)) != XSIRT_SBOM_NONE)
        return i;
    if (f->purl == NULL)
        return XSIRT_SBOM_NONE;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(c->by_purl[mid].purl, f->purl) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < c->n_by_purl && strcmp(c->by_purl[lo].purl, f->purl) == 0)
        return c->by_purl[lo].index;
    return XSIRT_SBOM_NONE;
}

/* The bom-ref affects[] names for a finding; adds a standalone component
 * when the BOM has none for it. */
static int finding_ref(const char **out, cdx_ctx *c, const rp_finding *f)
{
    size_t i = find_component(c, f);
    xsirt_buf b;
    json_t *comp;
    int rc = 0;

    if (i != XSIRT_SBOM_NONE) {
        *out = c->refs[i];
        return 0;
    }
    xsirt_buf_init(&b, 1u << 20);
    if (f->purl != NULL)
        rc = xsirt_buf_puts(&b, f->purl);
    else if (f->bom_ref != NULL && f->bom_ref[0] != '\0')
        rc = xsirt_buf_puts(&b, f->bom_ref);
    else
        rc = xsirt_buf_printf(&b, "%s@%s", f->name, f->version != NULL ? f->version : "");
    if (rc == 0 && (comp = json_object_get(c->extra, xsirt_buf_cstr(&b))) == NULL) {
        comp = json_pack("{s:s,s:s,s:s}", "type", "library", "bom-ref", xsirt_buf_cstr(&b),
                         "name", f->name);
        if (comp != NULL && f->version != NULL)
            rc = rp_set(comp, "version", json_string(f->version));
        if (rc == 0 && comp != NULL && f->cpe != NULL)
            rc = rp_set(comp, "cpe", json_string(f->cpe));
        if (rc == 0 && comp != NULL && f->purl != NULL)
            rc = rp_set(comp, "purl", json_string(f->purl));
        if (rc == 0 && (comp == NULL || json_object_set_new(c->extra, xsirt_buf_cstr(&b), comp) != 0))
            rc = XSIRT_ENOMEM;
    }
    xsirt_buf_free(&b);
    if (rc != 0)
        return rc;
    /* The key's storage lives in the object as long as the entry does. */
    *out = json_string_value(json_object_get(comp, "bom-ref"));
    return 0;
}

static const char *rating_method(const char *version)
{
    if (version == NULL)
        return "other";
    if (strcmp(version, "2.0") == 0)
        return "CVSSv2";
    if (strcmp(version, "3.0") == 0)
        return "CVSSv3";
    if (strcmp(version, "3.1") == 0)
        return "CVSSv31";
    if (strcmp(version, "4.0") == 0)
        return "CVSSv4";
    return "other";
}

static int ratings_json(json_t *ratings, const rp_finding *f)
{
    json_t *v;
    size_t i;
    int rc = 0;

    json_array_foreach(f->v->cvss, i, v) {
        json_t *r, *score = json_object_get(v, "baseScore");
        const char *sev = rp_str(v, "baseSeverity"), *vec = rp_str(v, "vectorString");
        if (!json_is_object(v) || rc != 0)
            continue;
        if ((r = json_object()) == NULL)
            return XSIRT_ENOMEM;
        rc = rp_set(r, "source", json_pack("{s:s}", "name", rp_id_source(f->v->vid)));
        if (rc == 0 && json_is_number(score))
            rc = rp_set(r, "score", json_real(json_number_value(score)));
        if (rc == 0 && sev == NULL && json_is_number(score) &&
            strcmp(rating_method(rp_str(v, "version")), "CVSSv2") == 0) {
            double s = json_number_value(score);
            sev = s >= 7.0 ? "HIGH" : s >= 4.0 ? "MEDIUM" : "LOW";
        }
        if (rc == 0 && sev != NULL) {
            char low[16];
            size_t k;
            for (k = 0; sev[k] && k + 1 < sizeof low; k++)
                low[k] = (char)xsirt_ascii_lower((unsigned char)sev[k]);
            low[k] = '\0';
            if (strcmp(low, "critical") == 0 || strcmp(low, "high") == 0 ||
                strcmp(low, "medium") == 0 || strcmp(low, "low") == 0 ||
                strcmp(low, "none") == 0)
                rc = rp_set(r, "severity", json_string(low));
        }
        if (rc == 0)
            rc = rp_set(r, "method", json_string(rating_method(rp_str(v, "version"))));
        if (rc == 0 && vec != NULL)
            rc = rp_set(r, "vector", json_string(vec));
        if (rc == 0)
            rc = rp_push(ratings, r);
        else
            json_decref(r);
    }
    if (rc == 0 && json_array_size(ratings) == 0 && rp_severity(f->v) != NULL)
        rc = rp_push(ratings, json_pack("{s:s,s:s}", "severity", rp_severity(f->v), "method", "other"));
    return rc;
}

static int cwes_json(json_t *cwes, const rp_finding *f)
{
    json_t *v;
    size_t i;
    int rc = 0;

    json_array_foreach(f->v->cwes, i, v) {
        long long n = -1;
        if (json_is_integer(v))
            n = (long long)json_integer_value(v);
        else if (json_is_string(v) && strncmp(json_string_value(v), "CWE-", 4) == 0) {
            uint64_t u;
            const char *s = json_string_value(v) + 4;
            if (xsirt_parse_u64(&u, s, strlen(s)) == 0 && u < 1000000000u)
                n = (long long)u;
        }
        if (n >= 0 && rc == 0) {
            int dup = 0;
            for (size_t k = 0; k < json_array_size(cwes); k++)
                dup |= json_integer_value(json_array_get(cwes, k)) == n;
            if (!dup)
                rc = rp_push(cwes, json_integer(n));
        }
    }
    return rc;
}

/* CycloneDX's justification for a canonical (OpenVEX) one, or the one
 * written when it already is a CycloneDX value (docs/reports.md). */
static const char *cdx_justification(const json_t *by)
{
    static const char *const cdx[] = {"code_not_present", "code_not_reachable",
        "requires_configuration", "requires_dependency", "requires_environment",
        "protected_by_compiler", "protected_at_runtime", "protected_at_perimeter",
        "protected_by_mitigating_control", NULL};
    static const struct { const char *vex, *cdx; } map[] = {
        {"component_not_present", "requires_dependency"},
        {"vulnerable_code_not_present", "code_not_present"},
        {"vulnerable_code_not_in_execute_path", "code_not_reachable"},
        {"vulnerable_code_cannot_be_controlled_by_adversary", "requires_environment"},
        {"inline_mitigations_already_exist", "protected_by_mitigating_control"}};
    const char *text = rp_str(by, "justificationText"), *j = rp_str(by, "justification");

    for (size_t i = 0; text != NULL && cdx[i] != NULL; i++)
        if (strcmp(text, cdx[i]) == 0)
            return cdx[i];
    for (size_t i = 0; j != NULL && i < sizeof map / sizeof *map; i++)
        if (strcmp(j, map[i].vex) == 0)
            return map[i].cdx;
    return NULL;
}

/* The VEX annotation with this status on one of the n unsuppressed
 * findings of an id, or NULL. */
static const json_t *annotation(const rp_finding *first, size_t n, const char *status)
{
    for (size_t i = 0; i < n; i++) {
        const char *st = rp_str(first[i].vex, "status");
        if (first[i].suppressed_by == NULL && st != NULL && strcmp(st, status) == 0)
            return first[i].vex;
    }
    return NULL;
}

/* What a statement says in words: its impact, else its action. */
static const char *statement_text(const json_t *vex)
{
    const char *impact = rp_str(vex, "impact");

    return impact != NULL ? impact : rp_str(vex, "action");
}

static int analysis_json(json_t *vuln, const rp_finding *first, size_t n, int any_fixed)
{
    size_t suppressed = 0;
    const json_t *by = first[0].suppressed_by;
    json_t *a = json_object();
    int rc = a != NULL ? 0 : XSIRT_ENOMEM;

    for (size_t i = 0; i < n; i++)
        suppressed += first[i].suppressed_by != NULL;
    if (rc == 0 && suppressed == n && by != NULL) {
        const char *status = rp_str(by, "status");
        if (status != NULL && strcmp(status, "fixed") == 0)
            rc = rp_set(a, "state", json_string("resolved"));
        else {
            const char *j = cdx_justification(by);
            rc = rp_set(a, "state", json_string("not_affected"));
            if (rc == 0 && j != NULL)
                rc = rp_set(a, "justification", json_string(j));
        }
        if (rc == 0 && rp_str(by, "impact") != NULL)
            rc = rp_set(a, "detail", json_string(rp_str(by, "impact")));
    } else if (rc == 0) {
        /* A VEX statement saying affected (the SBOM's own exploitable, an
         * OpenVEX affected) is an assessment: exploitable, in its words.
         * Otherwise KEV says exploitable; a bare match is in triage. */
        const json_t *affected = annotation(first, n, "affected");
        const json_t *triage = annotation(first, n, "under_investigation");
        const char *detail = affected != NULL ? statement_text(affected)
                             : triage != NULL ? statement_text(triage) : NULL;
        int kev = 0;
        for (size_t i = 0; i < n; i++)
            kev |= first[i].v->kev && first[i].suppressed_by == NULL;
        rc = rp_set(a, "state", json_string(affected != NULL || kev ? "exploitable" : "in_triage"));
        if (rc == 0 && any_fixed)
            rc = rp_set(a, "response", json_pack("[s]", "update"));
        if (rc == 0 && detail == NULL && kev)
            detail = "Listed in CISA's Known Exploited Vulnerabilities catalog.";
        if (rc == 0 && detail != NULL)
            rc = rp_set(a, "detail", json_string(detail));
    }
    if (rc == 0)
        rc = rp_set(vuln, "analysis", a);
    else
        json_decref(a);
    return rc;
}

static int affects_json(json_t *affects, cdx_ctx *c, const rp_finding *f, size_t n)
{
    const char *prev = NULL;
    json_t *entry = NULL;
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < n; i++) {
        const char *ref;
        json_t *versions, *v;
        if ((rc = finding_ref(&ref, c, &f[i])) != 0)
            break;
        if (prev == NULL || strcmp(prev, ref) != 0) {
            entry = json_pack("{s:s,s:[]}", "ref", ref, "versions");
            if ((rc = rp_push(affects, entry)) != 0)
                break;
            prev = json_string_value(json_object_get(entry, "ref"));
        }
        versions = json_object_get(entry, "versions");
        if (f[i].version != NULL && f[i].version[0] != '\0') {
            v = json_pack("{s:s,s:s}", "version", f[i].version, "status",
                          f[i].suppressed_by != NULL ? "unaffected" : "affected");
            if (v != NULL && !json_equal(v, json_array_get(versions, json_array_size(versions) - 1)))
                rc = rp_push(versions, v);
            else
                json_decref(v);
        }
        if (rc == 0 && f[i].range != NULL && f[i].range[0] != '\0' && strlen(f[i].range) <= 1024 &&
            f[i].suppressed_by == NULL) {
            int dup = 0;
            for (size_t k = 0; k < json_array_size(versions); k++)
                dup |= rp_str(json_array_get(versions, k), "range") != NULL &&
                       strcmp(rp_str(json_array_get(versions, k), "range"), f[i].range) == 0;
            if (!dup)
                rc = rp_push(versions, json_pack("{s:s,s:s}", "range", f[i].range, "status", "affected"));
        }
    }
    /* An empty versions list says nothing; drop it. */
    for (size_t k = 0; rc == 0 && k < json_array_size(affects); k++) {
        json_t *e = json_array_get(affects, k);
        if (json_array_size(json_object_get(e, "versions")) == 0)
            json_object_del(e, "versions");
    }
    return rc;
}

static int recommendation(xsirt_buf *b, const rp_finding *f, size_t n, int *any_fixed)
{
    int rc = 0;

    *any_fixed = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (json_array_size(f[i].v->fixed) == 0 || f[i].suppressed_by != NULL)
            continue;
        if (i > 0 && f[i - 1].purl != NULL && f[i].purl != NULL && *any_fixed &&
            strcmp(f[i - 1].purl, f[i].purl) == 0)
            continue;
        rc = xsirt_buf_printf(b, "%sUpgrade %s to ", *any_fixed ? "; " : "", f[i].name);
        if (rc == 0)
            rc = rp_join_fixed(b, f[i].v->fixed, " or ");
        *any_fixed = 1;
    }
    if (rc == 0 && *any_fixed)
        rc = xsirt_buf_putc(b, '.');
    return rc;
}

static int vulnerability_json(json_t **out, cdx_ctx *c, const rp_finding *f, size_t n)
{
    json_t *vuln = json_object(), *refs = json_array(), *ratings = json_array(),
           *cwes = json_array(), *affects = json_array(), *props = json_array(), *v;
    xsirt_buf url, rec;
    size_t i;
    int any_fixed = 0, rc = (vuln && refs && ratings && cwes && affects && props) ? 0 : XSIRT_ENOMEM;

    xsirt_buf_init(&url, 1u << 20);
    xsirt_buf_init(&rec, 1u << 24);
    if (rc == 0)
        rc = rp_id_url(&url, f->v->vid);
    if (rc == 0)
        rc = rp_set(vuln, "bom-ref", json_sprintf("vulnerability:%s", f->v->vid));
    if (rc == 0)
        rc = rp_set(vuln, "id", json_string(f->v->vid));
    if (rc == 0)
        rc = rp_set(vuln, "source", json_pack("{s:s,s:s}", "name", rp_id_source(f->v->vid), "url",
                                              xsirt_buf_cstr(&url)));
    json_array_foreach(f->v->aliases, i, v) {
        xsirt_buf au;
        if (rc != 0 || !json_is_string(v) || json_string_length(v) == 0 ||
            strcmp(json_string_value(v), f->v->vid) == 0)
            continue;
        xsirt_buf_init(&au, 1u << 20);
        rc = rp_id_url(&au, json_string_value(v));
        if (rc == 0)
            rc = rp_push(refs, json_pack("{s:s,s:{s:s,s:s}}", "id", json_string_value(v), "source",
                                         "name", rp_id_source(json_string_value(v)), "url",
                                         xsirt_buf_cstr(&au)));
        xsirt_buf_free(&au);
    }
    if (rc == 0 && json_array_size(refs) > 0)
        rc = rp_set(vuln, "references", json_incref(refs));
    if (rc == 0)
        rc = ratings_json(ratings, f);
    if (rc == 0 && json_array_size(ratings) > 0)
        rc = rp_set(vuln, "ratings", json_incref(ratings));
    if (rc == 0)
        rc = cwes_json(cwes, f);
    if (rc == 0 && json_array_size(cwes) > 0)
        rc = rp_set(vuln, "cwes", json_incref(cwes));
    if (rc == 0 && f->v->summary != NULL && f->v->summary[0] != '\0')
        rc = rp_set(vuln, "description", json_string(f->v->summary));
    if (rc == 0)
        rc = recommendation(&rec, f, n, &any_fixed);
    if (rc == 0 && any_fixed)
        rc = rp_set(vuln, "recommendation", json_string(xsirt_buf_cstr(&rec)));
    if (rc == 0)
        rc = analysis_json(vuln, f, n, any_fixed);
    if (rc == 0)
        rc = affects_json(affects, c, f, n);
    if (rc == 0)
        rc = rp_set(vuln, "affects", json_incref(affects));
    if (rc == 0 && f->v->kev)
        rc = rp_push(props, json_pack("{s:s,s:s}", "name", "xsirt:kev", "value", "true"));
    if (rc == 0 && f->v->epss != NULL)
        rc = rp_push(props, json_pack("{s:s,s:o}", "name", "xsirt:epss", "value",
                                      json_sprintf("%g", json_number_value(f->v->epss))));
    if (rc == 0 && json_array_size(props) > 0)
        rc = rp_set(vuln, "properties", json_incref(props));
    xsirt_buf_free(&url);
    xsirt_buf_free(&rec);
    json_decref(refs);
    json_decref(ratings);
    json_decref(cwes);
    json_decref(affects);
    json_decref(props);
    if (rc != 0) {
        json_decref(vuln);
        return rc;
    }
    *out = vuln;
    return 0;
}

static int cmp_pair(const void *pa, const void *pb)
{
    const size_t *a = pa, *b = pb;

    if (a[0] != b[0])
        return a[0] < b[0] ? -1 : 1;
    return a[1] < b[1] ? -1 : a[1] > b[1];
}

/* dependencies[]: run-time and build edges between components, one entry
 * per dependent, targets sorted and unique (the schema wants uniqueItems). */
static int dependencies_json(json_t *deps, const cdx_ctx *c)
{
    const xsirt_sbom *sb = c->sbom;
    size_t *pairs, n = 0;
    json_t *entry = NULL;
    int rc = 0;

    if (sb->edge_count == 0)
        return 0;
    if ((pairs = calloc(sb->edge_count, 2 * sizeof *pairs)) == NULL)
        return XSIRT_ENOMEM;
    for (size_t i = 0; i < sb->edge_count; i++) {
        const xsirt_sbom_edge *e = &sb->edges[i];
        if ((e->kind != XSIRT_SBOM_EDGE_DEPENDS_ON && e->kind != XSIRT_SBOM_EDGE_BUILD_DEPENDS_ON) ||
            e->from_index >= sb->component_count || e->to_index >= sb->component_count)
            continue;
        pairs[2 * n] = e->from_index;
        pairs[2 * n + 1] = e->to_index;
        n++;
    }
    qsort(pairs, n, 2 * sizeof *pairs, cmp_pair);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (i > 0 && pairs[2 * i] == pairs[2 * i - 2] && pairs[2 * i + 1] == pairs[2 * i - 1])
            continue;
        if (i == 0 || pairs[2 * i] != pairs[2 * i - 2]) {
            entry = json_pack("{s:s,s:[]}", "ref", c->refs[pairs[2 * i]], "dependsOn");
            if ((rc = rp_push(deps, entry)) != 0)
                break;
        }
        rc = rp_push(json_object_get(entry, "dependsOn"), json_string(c->refs[pairs[2 * i + 1]]));
    }
    free(pairs);
    return rc;
}

static int is_uuid_urn(const char *s)
{
    static const char shape[] = "urn:uuid:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

    if (s == NULL || strlen(s) != sizeof shape - 1)
        return 0;
    for (size_t i = 0; i < sizeof shape - 1; i++) {
        if (shape[i] == 'x') {
            if (!(xsirt_is_digit(s[i]) || (s[i] >= 'a' && s[i] <= 'f')))
                return 0;
        } else if (s[i] != shape[i]) {
            return 0;
        }
    }
    return 1;
}

static int header(json_t *doc, const cdx_ctx *c, const xsirt_report_options *opts)
{
    const char *serial = opts != NULL ? opts->serial : NULL;
    json_t *meta = json_object();
    int rc = meta != NULL ? 0 : XSIRT_ENOMEM;

    if (serial == NULL && c->sbom != NULL)
        serial = c->sbom->serial;
    if (rc == 0)
        rc = rp_set(doc, "bomFormat", json_string("CycloneDX"));
    if (rc == 0)
        rc = rp_set(doc, "specVersion", json_string("1.5"));
    if (rc == 0 && is_uuid_urn(serial))
        rc = rp_set(doc, "serialNumber", json_string(serial));
    if (rc == 0)
        rc = rp_set(doc, "version", json_integer(1));
    if (rc == 0 && opts != NULL && opts->timestamp != NULL)
        rc = rp_set(meta, "timestamp", json_string(opts->timestamp));
    if (rc == 0)
        rc = rp_set(meta, "tools", json_pack("{s:[{s:s,s:s,s:s}]}", "components", "type",
                                            "application", "name", "xsirt", "version",
                                            rp_tool_version(opts)));
    if (rc == 0 && c->sbom != NULL && c->sbom->subject < c->sbom->component_count) {
        json_t *subject = NULL;
        if ((rc = component_json(&subject, (cdx_ctx *)c, c->sbom->subject)) == 0)
            rc = rp_set(meta, "component", subject);
    }
    if (rc == 0)
        rc = rp_set(doc, "metadata", meta);
    else
        json_decref(meta);
    return rc;
}

/* Standalone components (c->extra), in bom-ref order for determinism. */
static int write_extra(xsirt_jsonw *w, const cdx_ctx *c)
{
    size_t n = json_object_size(c->extra), k = 0;
    const char **keys, *key;
    json_t *v;

    if (n == 0)
        return 0;
    if ((keys = calloc(n, sizeof *keys)) == NULL)
        return XSIRT_ENOMEM;
    json_object_foreach(c->extra, key, v) keys[k++] = key;
    qsort(keys, n, sizeof *keys, cmp_key);
    for (k = 0; k < n; k++)
        xsirt_jsonw_value_new(w, json_incref(json_object_get(c->extra, keys[k])));
    free(keys);
    return 0;
}

/* Streamed: the header, the BOM's components one by one, the dependencies
 * (bounded by the SBOM, not by the findings), then one vulnerability per
 * run of the sorted findings, each built, written and freed. A first pass
 * over the findings finds the standalone components, which come before
 * the vulnerabilities in the document. */
static int build(xsirt_jsonw *w, cdx_ctx *c, const rp_findings *f,
                 const xsirt_report_options *opts)
{
    json_t *hdr = json_object(), *deps = json_array(), *v;
    const char *key, *ref;
    size_t top = 0;
    int rc = (hdr && deps) ? 0 : XSIRT_ENOMEM;

    for (size_t i = 0; rc == 0 && i < f->count; i++)
        rc = finding_ref(&ref, c, &f->items[i]);
    if (rc == 0)
        rc = header(hdr, c, opts);
    if (rc == 0 && c->sbom != NULL)
        rc = dependencies_json(deps, c);
    xsirt_jsonw_begin(w, '{');
    json_object_foreach(hdr, key, v) xsirt_jsonw_kvalue_new(w, key, json_incref(v));
    for (size_t i = 0; c->sbom != NULL && i < c->sbom->component_count; i++)
        top += c->sbom->components[i].parent == XSIRT_SBOM_NONE && i != c->sbom->subject;
    if (rc == 0 && top + json_object_size(c->extra) > 0) {
        xsirt_jsonw_key(w, "components");
        xsirt_jsonw_begin(w, '[');
        for (size_t i = 0; rc == 0 && w->rc == 0 && c->sbom != NULL && i < c->sbom->component_count; i++) {
            json_t *comp = NULL;
            if (c->sbom->components[i].parent != XSIRT_SBOM_NONE || i == c->sbom->subject)
                continue;
            if ((rc = component_json(&comp, c, i)) == 0)
                xsirt_jsonw_value_new(w, comp);
        }
        if (rc == 0)
            rc = write_extra(w, c);
        xsirt_jsonw_end(w, ']');
    }
    if (rc == 0 && json_array_size(deps) > 0)
        xsirt_jsonw_kvalue_new(w, "dependencies", json_incref(deps));
    if (rc == 0 && f->count > 0) {
        xsirt_jsonw_key(w, "vulnerabilities");
        xsirt_jsonw_begin(w, '[');
        for (size_t i = 0, end; rc == 0 && w->rc == 0 && i < f->count; i = end) {
            end = rp_group_end(f, i);
            if ((rc = vulnerability_json(&v, c, &f->items[i], end - i)) == 0)
                xsirt_jsonw_value_new(w, v);
        }
        xsirt_jsonw_end(w, ']');
    }
    xsirt_jsonw_end(w, '}');
    json_decref(hdr);
    json_decref(deps);
    return rc;
}

int rp_write_cyclonedx(xsirt_jsonw *w, const rp_findings *f, const xsirt_sbom *sbom,
                       const xsirt_report_options *opts, xsirt_error *err)
{
    cdx_ctx c;
    int rc = ctx_init(&c, sbom);

    if (rc == 0)
        rc = build(w, &c, f, opts);
    ctx_free(&c);
    if (rc != 0)
        return xsirt_error_set(err, rc, "out of memory writing CycloneDX");
    return w->rc;
}
