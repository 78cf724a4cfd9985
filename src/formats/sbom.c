/*
 * sbom.c — the SBOM model common to the four readers (include/xsirt/sbom.h):
 * recognising the format, building the model under the limits of limits.h,
 * SPDX relationship mapping, JSON member access, and freeing.
 *
 * Strings live in a store of large chunks owned by the model, so a model of
 * a thousand components is a handful of allocations and freeing it cannot
 * miss a string; only the arrays (components, lists) are separate blocks.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/checked.h"
#include "core/str.h"
#include "formats/sbom_internal.h"
#include "xsirt/limits.h"
#include "xsirt/sbom.h"

/* Chunks of the string store. Large enough that a typical SBOM needs a few;
 * a longer string gets a chunk of its own. */
#define STORE_CHUNK (64u * 1024u)

struct chunk {
    struct chunk *next;
    size_t used, size;
    char data[];
};

struct ref_entry {
    const char *ref;
    size_t index;
};

struct xsirt_sbom_store {
    struct chunk *chunks;
    size_t component_cap;     /* room in sb->components */
    struct ref_entry *refs;   /* sorted by ref, then index, after sb_finish */
    size_t ref_count;
    const char *document_ref; /* SPDX document SPDXID */
};

/* ---- the store and growable arrays ---- */

xsirt_sbom *sb_new(xsirt_sbom_format format)
{
    xsirt_sbom *sb = calloc(1, sizeof *sb);

    if (sb == NULL)
        return NULL;
    sb->store = calloc(1, sizeof *sb->store);
    if (sb->store == NULL) {
        free(sb);
        return NULL;
    }
    sb->format = format;
    sb->subject = XSIRT_SBOM_NONE;
    return sb;
}

const char *sb_strn(xsirt_sbom *sb, const char *s, size_t len)
{
    struct xsirt_sbom_store *st = sb->store;
    struct chunk *c = st->chunks;
    size_t need, size;
    char *p;

    if (!xsirt_size_add(&need, len, 1))
        return NULL;
    if (c == NULL || c->size - c->used < need) {
        size = need > STORE_CHUNK ? need : STORE_CHUNK;
        if (!xsirt_size_add(&size, size, sizeof *c))
            return NULL;
        c = malloc(size);
        if (c == NULL)
            return NULL;
        c->size = size - sizeof *c;
        c->used = 0;
        /* A dedicated chunk goes behind the current one, so the current
         * one keeps filling. */
        if (st->chunks != NULL && need > STORE_CHUNK) {
            c->next = st->chunks->next;
            st->chunks->next = c;
        } else {
            c->next = st->chunks;
            st->chunks = c;
        }
    }
    p = c->data + c->used;
    memcpy(p, s, len);
    p[len] = '\0';
    c->used += need;
    return p;
}

const char *sb_str(xsirt_sbom *sb, const char *s)
{
    return sb_strn(sb, s, strlen(s));
}

int sb_nomem(xsirt_error *err)
{
    return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
}

/* Makes room for element count (0-based) of an array whose capacity is
 * implied by its count: 4, then each power of two doubles it. */
static int grow(void **arr, size_t count, size_t elem, size_t limit, const char *what,
                xsirt_error *err)
{
    size_t cap;
    void *p;

    if (count >= limit)
        return xsirt_error_set(err, XSIRT_ELIMIT, "more than %zu %s", limit, what);
    if (count == 0)
        cap = 4;
    else if (count >= 4 && (count & (count - 1)) == 0)
        cap = count * 2;
    else
        return 0;
    p = xsirt_realloc_array(*arr, cap, elem);
    if (p == NULL)
        return sb_nomem(err);
    *arr = p;
    return 0;
}

/* Components have their room counted (sb_reserve_components sizes the
 * array from a document's own count): 4, then doubling. */
static int component_room(xsirt_sbom *sb, size_t cap, xsirt_error *err)
{
    void *p = xsirt_realloc_array(sb->components, cap, sizeof *sb->components);

    if (p == NULL)
        return sb_nomem(err);
    sb->components = p;
    sb->store->component_cap = cap;
    return 0;
}

/* At most this many components are reserved ahead (10 MiB): the array a
 * document announces may hold anything, and a reader must not allocate
 * far more than the document before it has checked its first entry. */
#define RESERVE_AHEAD 65536u

int sb_reserve_components(xsirt_sbom *sb, size_t more, xsirt_error *err)
{
    size_t want = sb->component_count + (more < RESERVE_AHEAD ? more : RESERVE_AHEAD);

    if (want > XSIRT_LIMIT_SBOM_COMPONENTS)
        want = XSIRT_LIMIT_SBOM_COMPONENTS;
    return want > sb->store->component_cap ? component_room(sb, want, err) : 0;
}

int sb_component(xsirt_sbom *sb, size_t *index, xsirt_error *err)
{
    size_t cap = sb->store->component_cap;
    xsirt_sbom_component *c;
    int rc;

    if (sb->component_count >= XSIRT_LIMIT_SBOM_COMPONENTS)
        return xsirt_error_set(err, XSIRT_ELIMIT, "more than %zu %s",
                               (size_t)XSIRT_LIMIT_SBOM_COMPONENTS,
                               "components (XSIRT_LIMIT_SBOM_COMPONENTS)");
    if (sb->component_count == cap &&
        (rc = component_room(sb, cap < 4 ? 4 : cap * 2, err)) != 0)
        return rc;
    c = &sb->components[sb->component_count];
    memset(c, 0, sizeof *c);
    c->parent = XSIRT_SBOM_NONE;
    *index = sb->component_count++;
    return 0;
}

int sb_edge(xsirt_sbom *sb, const char *from, const char *to, xsirt_sbom_edge_kind kind,
            const char *relationship, xsirt_error *err)
{
    void *arr = sb->edges;
    xsirt_sbom_edge *e;
    int rc = grow(&arr, sb->edge_count, sizeof *e, XSIRT_LIMIT_SBOM_EDGES,
                  "dependency edges (XSIRT_LIMIT_SBOM_EDGES)", err);

    if (rc != 0)
        return rc;
    sb->edges = arr;
    e = &sb->edges[sb->edge_count++];
    e->from = from;
    e->to = to;
    e->from_index = XSIRT_SBOM_NONE;
    e->to_index = XSIRT_SBOM_NONE;
    e->kind = kind;
    e->relationship = relationship;
    return 0;
}

int sb_vulnerability(xsirt_sbom *sb, size_t *index, xsirt_error *err)
{
    void *arr = sb->vulnerabilities;
    xsirt_sbom_vulnerability *v;
    int rc = grow(&arr, sb->vulnerability_count, sizeof *v,
                  XSIRT_LIMIT_SBOM_VULNERABILITIES,
                  "vulnerabilities (XSIRT_LIMIT_SBOM_VULNERABILITIES)", err);

    if (rc != 0)
        return rc;
    sb->vulnerabilities = arr;
    v = &sb->vulnerabilities[sb->vulnerability_count];
    memset(v, 0, sizeof *v);
    *index = sb->vulnerability_count++;
    return 0;
}

int sb_push_str(const char ***list, size_t *count, const char *s, const char *what,
                xsirt_error *err)
{
    void *arr = (void *)*list;
    int rc = grow(&arr, *count, sizeof **list, XSIRT_LIMIT_SBOM_LIST, what, err);

    if (rc != 0)
        return rc;
    *list = arr;
    (*list)[(*count)++] = s;
    return 0;
}

int sb_push_hash(xsirt_sbom_component *c, const char *alg, const char *value,
                 xsirt_error *err)
{
    void *arr = c->hashes;
    int rc = grow(&arr, c->hash_count, sizeof *c->hashes, XSIRT_LIMIT_SBOM_LIST,
                  "hashes in one component (XSIRT_LIMIT_SBOM_LIST)", err);

    if (rc != 0)
        return rc;
    c->hashes = arr;
    c->hashes[c->hash_count].alg = alg;
    c->hashes[c->hash_count].value = value;
    c->hash_count++;
    return 0;
}

int sb_push_rating(xsirt_sbom_vulnerability *v, const xsirt_sbom_rating *r,
                   xsirt_error *err)
{
    void *arr = v->ratings;
    int rc = grow(&arr, v->rating_count, sizeof *v->ratings, XSIRT_LIMIT_SBOM_LIST,
                  "ratings in one vulnerability (XSIRT_LIMIT_SBOM_LIST)", err);

    if (rc != 0)
        return rc;
    v->ratings = arr;
    v->ratings[v->rating_count++] = *r;
    return 0;
}

int sb_spdx_novalue(const char *s)
{
    return s == NULL || s[0] == '\0' || strcmp(s, "NOASSERTION") == 0 ||
           strcmp(s, "NONE") == 0;
}

/* Repeats are looked for among the first few licences only, so that a
 * hostile list of thousands costs linear time; the repeats that occur in
 * practice (SPDX concluded = declared) are among the first. */
#define LICENSE_DEDUP_WINDOW 16u

int sb_add_license(xsirt_sbom *sb, xsirt_sbom_component *c, const char *license,
                   xsirt_error *err)
{
    (void)sb;
    if (sb_spdx_novalue(license))
        return 0;
    for (size_t i = 0; i < c->license_count && i < LICENSE_DEDUP_WINDOW; i++)
        if (strcmp(c->licenses[i], license) == 0)
            return 0;
    return sb_push_str(&c->licenses, &c->license_count, license,
                       "licences in one component (XSIRT_LIMIT_SBOM_LIST)", err);
}

int sb_add_purl(xsirt_sbom_component *c, const char *purl, xsirt_error *err)
{
    if (c->purl == NULL) {
        c->purl = purl;
        return 0;
    }
    return sb_push_str(&c->other_purls, &c->other_purl_count, purl,
                       "purls in one component (XSIRT_LIMIT_SBOM_LIST)", err);
}

int sb_add_cpe(xsirt_sbom_component *c, const char *cpe, xsirt_error *err)
{
    if (c->cpe == NULL) {
        c->cpe = cpe;
        return 0;
    }
    return sb_push_str(&c->other_cpes, &c->other_cpe_count, cpe,
                       "CPEs in one component (XSIRT_LIMIT_SBOM_LIST)", err);
}

/* ---- SPDX relationships ---- */

struct spdx_type {
    const char *name;
    xsirt_sbom_edge_kind kind;
    int inverse; /* "A X B" means B -> A */
};

/* SPDX 2.3 section 11.1. Inverse "_OF" forms are turned round so that the
 * dependent, the container or the derived element is always "from". */
static const struct spdx_type spdx_types[] = {
    {"DESCRIBES", XSIRT_SBOM_EDGE_DESCRIBES, 0},
    {"DESCRIBED_BY", XSIRT_SBOM_EDGE_DESCRIBES, 1},
    {"CONTAINS", XSIRT_SBOM_EDGE_CONTAINS, 0},
    {"CONTAINED_BY", XSIRT_SBOM_EDGE_CONTAINS, 1},
    {"PACKAGE_OF", XSIRT_SBOM_EDGE_CONTAINS, 1},
    {"EXPANDED_FROM_ARCHIVE", XSIRT_SBOM_EDGE_CONTAINS, 1},
    {"OPTIONAL_COMPONENT_OF", XSIRT_SBOM_EDGE_CONTAINS, 1},
    {"DEPENDS_ON", XSIRT_SBOM_EDGE_DEPENDS_ON, 0},
    {"DEPENDENCY_OF", XSIRT_SBOM_EDGE_DEPENDS_ON, 1},
    {"RUNTIME_DEPENDENCY_OF", XSIRT_SBOM_EDGE_DEPENDS_ON, 1},
    {"OPTIONAL_DEPENDENCY_OF", XSIRT_SBOM_EDGE_DEPENDS_ON, 1},
    {"PROVIDED_DEPENDENCY_OF", XSIRT_SBOM_EDGE_DEPENDS_ON, 1},
    {"DYNAMIC_LINK", XSIRT_SBOM_EDGE_DEPENDS_ON, 0},
    {"STATIC_LINK", XSIRT_SBOM_EDGE_DEPENDS_ON, 0},
    {"HAS_PREREQUISITE", XSIRT_SBOM_EDGE_DEPENDS_ON, 0},
    {"PREREQUISITE_FOR", XSIRT_SBOM_EDGE_DEPENDS_ON, 1},
    {"BUILD_DEPENDENCY_OF", XSIRT_SBOM_EDGE_BUILD_DEPENDS_ON, 1},
    {"DEV_DEPENDENCY_OF", XSIRT_SBOM_EDGE_BUILD_DEPENDS_ON, 1},
    {"TEST_DEPENDENCY_OF", XSIRT_SBOM_EDGE_BUILD_DEPENDS_ON, 1},
    {"BUILD_TOOL_OF", XSIRT_SBOM_EDGE_BUILD_DEPENDS_ON, 1},
    {"DEV_TOOL_OF", XSIRT_SBOM_EDGE_BUILD_DEPENDS_ON, 1},
    {"TEST_TOOL_OF", XSIRT_SBOM_EDGE_BUILD_DEPENDS_ON, 1},
    {"GENERATED_FROM", XSIRT_SBOM_EDGE_GENERATED_FROM, 0},
    {"GENERATES", XSIRT_SBOM_EDGE_GENERATED_FROM, 1},
};

int sb_spdx_relationship(xsirt_sbom *sb, const char *a, const char *type, const char *b,
                         xsirt_error *err)
{
    if (sb_spdx_novalue(a) || sb_spdx_novalue(b))
        return 0;
    for (size_t i = 0; i < sizeof spdx_types / sizeof spdx_types[0]; i++) {
        const struct spdx_type *t = &spdx_types[i];
        if (xsirt_ascii_casecmp(type, t->name) == 0)
            return t->inverse ? sb_edge(sb, b, a, t->kind, type, err)
                              : sb_edge(sb, a, b, t->kind, type, err);
    }
    return sb_edge(sb, a, b, XSIRT_SBOM_EDGE_OTHER, type, err);
}

void sb_set_document_ref(xsirt_sbom *sb, const char *ref)
{
    sb->store->document_ref = ref;
}

/* ---- finishing: the ref index ---- */

static int ref_cmp(const void *a, const void *b)
{
    const struct ref_entry *x = a, *y = b;
    int c = strcmp(x->ref, y->ref);

    if (c != 0)
        return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

static size_t ref_lookup(const struct xsirt_sbom_store *st, const char *ref)
{
    size_t lo = 0, hi = st->ref_count;

    if (ref == NULL)
        return XSIRT_SBOM_NONE;
    /* Lower bound, so that the first of repeated refs is found. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(st->refs[mid].ref, ref) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < st->ref_count && strcmp(st->refs[lo].ref, ref) == 0)
        return st->refs[lo].index;
    return XSIRT_SBOM_NONE;
}

static void pick_spdx_subject(xsirt_sbom *sb)
{
    const char *doc = sb->store->document_ref;

    for (size_t i = 0; i < sb->edge_count; i++) {
        const xsirt_sbom_edge *e = &sb->edges[i];
        if (e->kind != XSIRT_SBOM_EDGE_DESCRIBES || e->to_index == XSIRT_SBOM_NONE)
            continue;
        if (doc != NULL && strcmp(e->from, doc) != 0)
            continue;
        sb->subject = e->to_index;
        return;
    }
}

int sb_finish(xsirt_sbom *sb, xsirt_error *err)
{
    struct xsirt_sbom_store *st = sb->store;
    size_t n = 0;

    st->refs = xsirt_alloc_array(sb->component_count, sizeof *st->refs);
    if (st->refs == NULL)
        return sb_nomem(err);
    for (size_t i = 0; i < sb->component_count; i++)
        if (sb->components[i].ref != NULL) {
            st->refs[n].ref = sb->components[i].ref;
            st->refs[n].index = i;
            n++;
        }
    st->ref_count = n;
    qsort(st->refs, n, sizeof *st->refs, ref_cmp);
    for (size_t i = 0; i < sb->edge_count; i++) {
        sb->edges[i].from_index = ref_lookup(st, sb->edges[i].from);
        sb->edges[i].to_index = ref_lookup(st, sb->edges[i].to);
    }
    if (sb->format == XSIRT_SBOM_SPDX_JSON || sb->format == XSIRT_SBOM_SPDX_TAG)
        pick_spdx_subject(sb);
    return 0;
}

size_t xsirt_sbom_find(const xsirt_sbom *sbom, const char *ref)
{
    if (sbom == NULL || sbom->store == NULL)
        return XSIRT_SBOM_NONE;
    return ref_lookup(sbom->store, ref);
}

/* ---- errors ---- */

void sb_where_pointer(xsirt_error *err, const char *pointer)
{
    if (err != NULL && err->pointer[0] == '\0' && err->line == 0)
        snprintf(err->pointer, sizeof err->pointer, "%s", pointer[0] ? pointer : "/");
}

void sb_where_line(xsirt_error *err, unsigned long line, unsigned long column)
{
    if (err != NULL && err->line == 0 && err->pointer[0] == '\0') {
        err->line = line;
        err->column = column;
    }
}

int sb_check_size(size_t len, xsirt_error *err)
{
    if (len > XSIRT_LIMIT_FILE)
        return xsirt_error_set(err, XSIRT_ELIMIT,
                               "SBOM of %zu bytes is larger than %u bytes "
                               "(XSIRT_LIMIT_FILE)", len, XSIRT_LIMIT_FILE);
    return 0;
}

/* ---- JSON ---- */

int sbj_load(json_t **out, const char *data, size_t len, xsirt_error *err)
{
    json_error_t je;
    int rc = sb_check_size(len, err);

    *out = NULL;
    if (rc != 0)
        return rc;
    /* Duplicate keys are refused: two readers taking different copies of a
     * "version" is a classic way to hide a component from a scanner. */
    *out = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL, &je);
    if (*out == NULL)
        return xsirt_error_set_at(err, XSIRT_EINVAL,
                                  je.line > 0 ? (unsigned long)je.line : 1,
                                  je.column > 0 ? (unsigned long)je.column : 0,
                                  "invalid JSON: %s", je.text);
    return 0;
}

static const char *json_type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "object";
    case JSON_ARRAY: return "array";
    case JSON_STRING: return "string";
    case JSON_INTEGER:
    case JSON_REAL: return "number";
    case JSON_TRUE:
    case JSON_FALSE: return "boolean";
    default: return "null";
    }
}

/* base + "/" + tail into out, cut at XSIRT_ERROR_POINTER_MAX - 1 bytes as
 * snprintf would: pointers are made for every member read (a component
 * has a dozen), so without a format. */
static void sbj_ptr_join(char *out, const char *base, const char *tail, size_t tail_len)
{
    size_t room = XSIRT_ERROR_POINTER_MAX - 1, n = strnlen(base, room);

    memcpy(out, base, n);
    if (n < room)
        out[n++] = '/';
    if (tail_len > room - n)
        tail_len = room - n;
    memcpy(out + n, tail, tail_len);
    out[n + tail_len] = '\0';
}

void sbj_ptr_key(char *out, const char *base, const char *key)
{
    sbj_ptr_join(out, base, key, strlen(key));
}

void sbj_ptr_index(char *out, const char *base, size_t index)
{
    char digits[24], *p = digits + sizeof digits;

    do {
        *--p = (char)('0' + index % 10);
        index /= 10;
    } while (index > 0);
    sbj_ptr_join(out, base, p, (size_t)(digits + sizeof digits - p));
}

static int wrong_type(const char *pointer, const char *want, const json_t *v,
                      xsirt_error *err)
{
    return xsirt_error_set_pointer(err, XSIRT_EINVAL, pointer[0] ? pointer : "/",
                                   "expected %s, found %s", want, json_type_name(v));
}

int sbj_string_at(const char **out, xsirt_sbom *sb, json_t *value, const char *pointer,
                  xsirt_error *err)
{
    if (!json_is_string(value))
        return wrong_type(pointer, "string", value, err);
    *out = sb_strn(sb, json_string_value(value), json_string_length(value));
    return *out == NULL ? sb_nomem(err) : 0;
}

int sbj_expect_object(json_t *value, const char *pointer, xsirt_error *err)
{
    return json_is_object(value) ? 0 : wrong_type(pointer, "object", value, err);
}

int sbj_string_member(const char **out, xsirt_sbom *sb, json_t *v, const char *key,
                      const char *base, xsirt_error *err)
{
    char p[XSIRT_ERROR_POINTER_MAX];

    *out = NULL;
    if (v == NULL || json_is_null(v))
        return 0;
    if (json_is_string(v))      /* the pointer is only for the error */
        return sbj_string_at(out, sb, v, "", err);
    sbj_ptr_key(p, base, key);
    return sbj_string_at(out, sb, v, p, err);
}

int sbj_object_member(json_t **out, json_t *v, const char *key, const char *base,
                      xsirt_error *err)
{
    char p[XSIRT_ERROR_POINTER_MAX];

    *out = NULL;
    if (v == NULL || json_is_null(v))
        return 0;
    sbj_ptr_key(p, base, key);
    if (!json_is_object(v))
        return wrong_type(p, "object", v, err);
    *out = v;
    return 0;
}

int sbj_array_member(json_t **out, json_t *v, const char *key, const char *base, size_t limit,
                     xsirt_error *err)
{
    char p[XSIRT_ERROR_POINTER_MAX];

    *out = NULL;
    if (v == NULL || json_is_null(v))
        return 0;
    sbj_ptr_key(p, base, key);
    if (!json_is_array(v))
        return wrong_type(p, "array", v, err);
    if (json_array_size(v) > limit)
        return xsirt_error_set_pointer(err, XSIRT_ELIMIT, p,
                                       "array of %zu entries is longer than %zu",
                                       json_array_size(v), limit);
    *out = v;
    return 0;
}

int sbj_string(const char **out, xsirt_sbom *sb, json_t *obj, const char *key,
               const char *base, xsirt_error *err)
{
    return sbj_string_member(out, sb, json_object_get(obj, key), key, base, err);
}

int sbj_object(json_t **out, json_t *obj, const char *key, const char *base,
               xsirt_error *err)
{
    return sbj_object_member(out, json_object_get(obj, key), key, base, err);
}

int sbj_array(json_t **out, json_t *obj, const char *key, const char *base, size_t limit,
              xsirt_error *err)
{
    return sbj_array_member(out, json_object_get(obj, key), key, base, limit, err);
}

void sbj_members(json_t *obj, const char *const *names, size_t n, json_t **values)
{
    const char *key;
    json_t *v;

    for (size_t i = 0; i < n; i++)
        values[i] = NULL;
    json_object_foreach(obj, key, v) {
        for (size_t i = 0; i < n; i++)
            if (key[0] == names[i][0] && strcmp(key, names[i]) == 0) {
                values[i] = v;
                break;
            }
    }
}

/* ---- recognising the format ---- */

int sb_finish_or_free(xsirt_sbom **out, xsirt_sbom *sb, int rc, xsirt_error *err)
{
    if (rc == 0)
        rc = sb_finish(sb, err);
    if (rc != 0) {
        xsirt_sbom_free(sb);
        return rc;
    }
    *out = sb;
    return 0;
}

/* A new model of format filled from root by its reader. */
static int read_json_as(xsirt_sbom **out, xsirt_sbom_format format, json_t *root,
                        xsirt_error *err)
{
    xsirt_sbom *sb = sb_new(format);

    if (sb == NULL)
        return sb_nomem(err);
    return sb_finish_or_free(out, sb,
                          format == XSIRT_SBOM_CYCLONEDX_JSON
                              ? sb_cyclonedx_json_read(sb, root, err)
                              : sb_spdx_json_read(sb, root, err),
                          err);
}

/* JSON is CycloneDX when it says so in bomFormat, SPDX 2 when it has an
 * spdxVersion; SPDX 3 is JSON-LD, recognised by its @context. */
static int parse_json(xsirt_sbom **out, json_t *root, xsirt_error *err)
{
    json_t *ctx = json_object_get(root, "@context");

    if (!json_is_object(root))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "/",
                                       "not an SBOM: expected a JSON object, found %s",
                                       json_type_name(root));
    if (json_object_get(root, "bomFormat") != NULL)
        return read_json_as(out, XSIRT_SBOM_CYCLONEDX_JSON, root, err);
    if (json_object_get(root, "spdxVersion") != NULL)
        return read_json_as(out, XSIRT_SBOM_SPDX_JSON, root, err);
    if (ctx != NULL || json_object_get(root, "@graph") != NULL)
        return xsirt_error_set_pointer(err, XSIRT_EUNSUPPORTED, "/@context",
                                       "JSON-LD document (SPDX 3?) is not supported: "
                                       "SPDX 2.2 and 2.3 are");
    return xsirt_error_set_pointer(err, XSIRT_EINVAL, "/",
                                   "not an SBOM: no \"bomFormat\" (CycloneDX) "
                                   "and no \"spdxVersion\" (SPDX)");
}

/* Loads the JSON text and reads it as format, whatever it says it is. */
static int parse_json_as(xsirt_sbom **out, xsirt_sbom_format format, const char *data,
                         size_t len, xsirt_error *err)
{
    json_t *root;
    int rc;

    *out = NULL;
    if ((rc = sbj_load(&root, data, len, err)) != 0)
        return rc;
    rc = read_json_as(out, format, root, err);
    json_decref(root);
    return rc;
}

int xsirt_sbom_parse_cyclonedx_json(xsirt_sbom **out, const char *data, size_t len,
                                    xsirt_error *err)
{
    return parse_json_as(out, XSIRT_SBOM_CYCLONEDX_JSON, data, len, err);
}

int xsirt_sbom_parse_spdx_json(xsirt_sbom **out, const char *data, size_t len,
                               xsirt_error *err)
{
    return parse_json_as(out, XSIRT_SBOM_SPDX_JSON, data, len, err);
}

int xsirt_sbom_parse(xsirt_sbom **out, const char *data, size_t len, xsirt_error *err)
{
    size_t i = 0;
    int rc;

    *out = NULL;
    if ((rc = sb_check_size(len, err)) != 0)
        return rc;
    if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' ||
                       data[i] == '\n'))
        i++;
    if (i < len && (data[i] == '{' || data[i] == '[')) {
        json_t *root;
        if ((rc = sbj_load(&root, data, len, err)) != 0)
            return rc;
        rc = parse_json(out, root, err);
        json_decref(root);
        return rc;
    }
    if (i < len && data[i] == '<')
        return xsirt_sbom_parse_cyclonedx_xml(out, data, len, err);
    if (xsirt_sbom_looks_like_inventory(data, len))
        return xsirt_sbom_parse_inventory(out, data, len, NULL, err);
    if (i < len && (xsirt_is_alpha((unsigned char)data[i]) || data[i] == '#'))
        return xsirt_sbom_parse_spdx_tag(out, data, len, err);
    return xsirt_error_set_at(err, XSIRT_EINVAL, 1, 1,
                              "not an SBOM: expected JSON (CycloneDX, SPDX), XML "
                              "(CycloneDX), SPDX tag-value or a CSV device inventory");
}

/* ---- freeing and names ---- */

void xsirt_sbom_free(xsirt_sbom *sbom)
{
    struct chunk *c, *next;

    if (sbom == NULL)
        return;
    for (size_t i = 0; i < sbom->component_count; i++) {
        xsirt_sbom_component *comp = &sbom->components[i];
        free((void *)comp->other_purls);
        free((void *)comp->other_cpes);
        free((void *)comp->licenses);
        free(comp->hashes);
    }
    for (size_t i = 0; i < sbom->vulnerability_count; i++) {
        xsirt_sbom_vulnerability *v = &sbom->vulnerabilities[i];
        free(v->ratings);
        free((void *)v->affects);
        free((void *)v->responses);
    }
    free(sbom->components);
    free(sbom->edges);
    free(sbom->vulnerabilities);
    if (sbom->store != NULL) {
        for (c = sbom->store->chunks; c != NULL; c = next) {
            next = c->next;
            free(c);
        }
        free(sbom->store->refs);
        free(sbom->store);
    }
    free(sbom);
}

const char *xsirt_sbom_format_name(xsirt_sbom_format format)
{
    switch (format) {
    case XSIRT_SBOM_CYCLONEDX_JSON: return "cyclonedx-json";
    case XSIRT_SBOM_CYCLONEDX_XML: return "cyclonedx-xml";
    case XSIRT_SBOM_SPDX_JSON: return "spdx-json";
    case XSIRT_SBOM_SPDX_TAG: return "spdx-tag";
    case XSIRT_SBOM_INVENTORY_CSV: return "inventory-csv";
    default: return "unknown";
    }
}

const char *xsirt_sbom_edge_kind_name(xsirt_sbom_edge_kind kind)
{
    switch (kind) {
    case XSIRT_SBOM_EDGE_DEPENDS_ON: return "depends-on";
    case XSIRT_SBOM_EDGE_BUILD_DEPENDS_ON: return "build-depends-on";
    case XSIRT_SBOM_EDGE_CONTAINS: return "contains";
    case XSIRT_SBOM_EDGE_DESCRIBES: return "describes";
    case XSIRT_SBOM_EDGE_GENERATED_FROM: return "generated-from";
    default: return "other";
    }
}
