/*
 * vuln.c — the common part of the intelligence readers: format
 * recognition, the parse entry points, the arena and the reading context
 * (JSON pointer tracking, typed accessors, issues) the readers share.
 *
 * Detection looks at the content only: JSON is parsed once and its shape
 * decides (CSAF has document.csaf_version, CVE 5 a cveMetadata, KEV a
 * catalogVersion, OSV an id and modified); a JSON schema or a ROLIE feed
 * lying beside the data is recognised as not intelligence. EPSS is known by
 * its first line, and anything else that is YAML with id and modified is
 * OSV YAML (the PyPA advisory database).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/checked.h"
#include "core/str.h"
#include "formats/vuln_internal.h"
#include "xsirt/limits.h"

/* ---- JSON pointer and errors ---- */

static size_t vx_append_path(vx_ctx *c, const char *seg)
{
    size_t mark = c->plen;
    size_t room = sizeof c->path - 1;

    if (c->plen < room)
        c->path[c->plen++] = '/';
    for (; *seg != '\0' && c->plen < room; seg++) {
        /* RFC 6901 escapes: ~ is ~0, / is ~1. */
        if (*seg == '~' || *seg == '/') {
            if (c->plen + 2 > room)
                break;
            c->path[c->plen++] = '~';
            c->path[c->plen++] = *seg == '~' ? '0' : '1';
        } else {
            c->path[c->plen++] = *seg;
        }
    }
    c->path[c->plen] = '\0';
    return mark;
}

size_t vx_push(vx_ctx *c, const char *key)
{
    return vx_append_path(c, key);
}

size_t vx_push_index(vx_ctx *c, size_t index)
{
    char num[32];

    snprintf(num, sizeof num, "%zu", index);
    return vx_append_path(c, num);
}

void vx_pop(vx_ctx *c, size_t mark)
{
    if (mark <= c->plen) {
        c->plen = mark;
        c->path[mark] = '\0';
    }
}

int vx_fail(vx_ctx *c, const char *key, int code, const char *fmt, ...)
{
    size_t mark = c->plen;
    char msg[XSIRT_ERROR_MESSAGE_MAX];
    va_list ap;

    if (key != NULL)
        vx_push(c, key);
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    xsirt_error_set_pointer(c->err, code, c->path, "%s", msg);
    vx_pop(c, mark);
    return code;
}

int vx_nomem(vx_ctx *c)
{
    return xsirt_error_set(c->err, XSIRT_ENOMEM, "out of memory reading intelligence");
}

int vx_issue(vx_ctx *c, const char *key, const char *reason, const char *value)
{
    vx_issues *is = &c->issues;
    size_t mark = c->plen;
    xsirt_vuln_issue *it;

    if (is->count == is->cap) {
        size_t cap = is->cap ? is->cap * 2 : 8;
        xsirt_vuln_issue *p = xsirt_realloc_array(is->items, cap, sizeof *p);
        if (p == NULL)
            return vx_nomem(c);
        is->items = p;
        is->cap = cap;
    }
    if (key != NULL)
        vx_push(c, key);
    it = &is->items[is->count];
    it->reason = reason;
    it->where = vx_strdup(c->arena, c->path);
    it->value = value;
    vx_pop(c, mark);
    if (it->where == NULL)
        return vx_nomem(c);
    is->count++;
    return 0;
}

int vx_take_issues(vx_ctx *c, xsirt_vuln *v)
{
    xsirt_vuln_issue *copy;

    if (c->issues.count == 0)
        return 0;
    copy = vx_alloc(c->arena, c->issues.count, sizeof *copy);
    if (copy == NULL)
        return vx_nomem(c);
    memcpy(copy, c->issues.items, c->issues.count * sizeof *copy);
    v->issues = copy;
    v->n_issues = c->issues.count;
    c->issues.count = 0;
    return 0;
}

const char *vx_type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "a value";
}

static int vx_member(vx_ctx *c, json_t *obj, const char *key, json_type want,
                     const char *what, json_t **out)
{
    json_t *v = json_object_get(obj, key);

    *out = NULL;
    /* null stands for absent: real feeds write "aliases": null. */
    if (v == NULL || json_is_null(v))
        return 0;
    if (json_typeof(v) != want)
        return vx_fail(c, key, XSIRT_EINVAL, "expected %s, got %s", what, vx_type_name(v));
    *out = v;
    return 0;
}

int vx_object(vx_ctx *c, json_t *obj, const char *key, json_t **out)
{
    return vx_member(c, obj, key, JSON_OBJECT, "an object", out);
}

int vx_array(vx_ctx *c, json_t *obj, const char *key, json_t **out)
{
    return vx_member(c, obj, key, JSON_ARRAY, "an array", out);
}

static const char *vx_json_str(vx_ctx *c, json_t *v)
{
    return vx_strndup(c->arena, json_string_value(v), json_string_length(v));
}

int vx_string(vx_ctx *c, json_t *obj, const char *key, const char **out)
{
    json_t *v;
    int rc = vx_member(c, obj, key, JSON_STRING, "a string", &v);

    *out = NULL;
    if (rc != 0 || v == NULL)
        return rc;
    *out = vx_json_str(c, v);
    return *out == NULL ? vx_nomem(c) : 0;
}

int vx_string_req(vx_ctx *c, json_t *obj, const char *key, const char **out)
{
    int rc = vx_string(c, obj, key, out);

    if (rc == 0 && *out == NULL)
        return vx_fail(c, key, XSIRT_EINVAL, "required member %s is missing", key);
    return rc;
}

int vx_strings(vx_ctx *c, json_t *obj, const char *key, const char ***out, size_t *n)
{
    json_t *arr, *v;
    size_t i, mark;
    const char **items;
    int rc = vx_array(c, obj, key, &arr);

    *out = NULL;
    *n = 0;
    if (rc != 0 || arr == NULL || json_array_size(arr) == 0)
        return rc;
    items = vx_alloc(c->arena, json_array_size(arr), sizeof *items);
    if (items == NULL)
        return vx_nomem(c);
    mark = vx_push(c, key);
    json_array_foreach(arr, i, v) {
        if (!json_is_string(v)) {
            vx_push_index(c, i);
            rc = vx_fail(c, NULL, XSIRT_EINVAL, "expected a string, got %s", vx_type_name(v));
            vx_pop(c, mark);
            return rc;
        }
        items[i] = vx_json_str(c, v);
        if (items[i] == NULL)
            return vx_nomem(c);
    }
    vx_pop(c, mark);
    *out = items;
    *n = json_array_size(arr);
    return 0;
}

int vx_json_text(vx_ctx *c, json_t *obj, const char *key, const char **out)
{
    json_t *v = json_object_get(obj, key);
    char *text;

    *out = NULL;
    if (v == NULL || json_is_null(v))
        return 0;
    text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (text == NULL)
        return vx_nomem(c);
    *out = vx_strdup(c->arena, text);
    free(text);
    return *out == NULL ? vx_nomem(c) : 0;
}

int vx_elem_object(vx_ctx *c, json_t *arr, size_t index, json_t **out)
{
    json_t *v = json_array_get(arr, index);
    size_t mark;
    int rc;

    *out = v;
    if (json_is_object(v))
        return 0;
    mark = vx_push_index(c, index);
    rc = vx_fail(c, NULL, XSIRT_EINVAL, "expected an object, got %s", vx_type_name(v));
    vx_pop(c, mark);
    return rc;
}

int vx_each_object(vx_ctx *c, json_t *arr, vx_elem_fn fn, void *arg)
{
    size_t i, base = c->plen;
    json_t *elem;
    int rc = 0;

    for (i = 0; i < json_array_size(arr) && rc == 0; i++) {
        if ((rc = vx_elem_object(c, arr, i, &elem)) != 0)
            break;
        vx_push_index(c, i);
        rc = fn(c, elem, i, arg);
        vx_pop(c, base);
    }
    return rc;
}

int vx_each_member(vx_ctx *c, json_t *obj, const char *key, vx_elem_fn fn, void *arg)
{
    json_t *arr;
    size_t mark;
    int rc = vx_array(c, obj, key, &arr);

    if (rc != 0 || arr == NULL)
        return rc;
    mark = vx_push(c, key);
    rc = vx_each_object(c, arr, fn, arg);
    vx_pop(c, mark);
    return rc;
}

typedef struct vx_fill {
    vx_item_fn fn;
    char *items;
    size_t size;
} vx_fill;

static int vx_fill_one(vx_ctx *c, json_t *elem, size_t index, void *arg)
{
    vx_fill *f = arg;

    /* No overflow: vx_alloc checked count × size. */
    return f->fn(c, elem, f->items + index * f->size);
}

int vx_objects(vx_ctx *c, json_t *arr, const char *key, size_t size, vx_item_fn fn,
               void **items, size_t *n)
{
    vx_fill f = {fn, vx_alloc(c->arena, json_array_size(arr), size), size};
    size_t mark;
    int rc;

    *items = NULL;
    *n = 0;
    if (f.items == NULL)
        return vx_nomem(c);
    mark = vx_push(c, key);
    rc = vx_each_object(c, arr, vx_fill_one, &f);
    vx_pop(c, mark);
    *items = f.items;
    *n = json_array_size(arr);
    return rc;
}

int vx_member_objects(vx_ctx *c, json_t *obj, const char *key, size_t size, vx_item_fn fn,
                      void **items, size_t *n)
{
    json_t *arr;
    int rc = vx_array(c, obj, key, &arr);

    *items = NULL;
    *n = 0;
    if (rc != 0 || arr == NULL || json_array_size(arr) == 0)
        return rc;
    return vx_objects(c, arr, key, size, fn, items, n);
}

int vx_append_str(vx_ctx *c, const char ***arr, size_t *n, size_t *cap, const char *s)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 4;
        const char **p = vx_alloc(c->arena, ncap, sizeof *p);
        if (p == NULL)
            return vx_nomem(c);
        if (*n > 0)
            memcpy(p, *arr, *n * sizeof *p);
        *arr = p;
        *cap = ncap;
    }
    (*arr)[(*n)++] = s;
    return 0;
}

int vx_items(vx_ctx *c, xsirt_vuln_list *list, size_t n)
{
    list->items = vx_alloc(c->arena, n, sizeof *list->items);
    if (list->items == NULL)
        return vx_nomem(c);
    list->count = 0;
    return 0;
}

void vx_set_original(xsirt_vuln *v, json_t *root)
{
    v->original = json_incref(root);
}

/* ---- names ---- */

const char *xsirt_vuln_format_name(xsirt_vuln_format format)
{
    switch (format) {
    case XSIRT_VULN_OSV_JSON: return "osv-json";
    case XSIRT_VULN_OSV_YAML: return "osv-yaml";
    case XSIRT_VULN_CVE5: return "cve5";
    case XSIRT_VULN_CSAF: return "csaf";
    case XSIRT_VULN_KEV: return "kev";
    case XSIRT_VULN_EPSS: return "epss";
    case XSIRT_VULN_NONE: break;
    }
    return "none";
}

const char *xsirt_vuln_event_name(xsirt_vuln_event_kind kind)
{
    switch (kind) {
    case XSIRT_VULN_INTRODUCED: return "introduced";
    case XSIRT_VULN_FIXED: return "fixed";
    case XSIRT_VULN_LAST_AFFECTED: return "last_affected";
    case XSIRT_VULN_LIMIT: return "limit";
    }
    return "";
}

const char *xsirt_vuln_status_name(xsirt_vuln_status status)
{
    switch (status) {
    case XSIRT_VULN_STATUS_FIRST_AFFECTED: return "first_affected";
    case XSIRT_VULN_STATUS_FIRST_FIXED: return "first_fixed";
    case XSIRT_VULN_STATUS_FIXED: return "fixed";
    case XSIRT_VULN_STATUS_KNOWN_AFFECTED: return "known_affected";
    case XSIRT_VULN_STATUS_KNOWN_NOT_AFFECTED: return "known_not_affected";
    case XSIRT_VULN_STATUS_LAST_AFFECTED: return "last_affected";
    case XSIRT_VULN_STATUS_RECOMMENDED: return "recommended";
    case XSIRT_VULN_STATUS_UNDER_INVESTIGATION: return "under_investigation";
    case XSIRT_VULN_STATUS_NONE: break;
    }
    return "";
}

/* ---- detection ---- */

static bool has_string(json_t *obj, const char *key)
{
    return json_is_string(json_object_get(obj, key));
}

static bool looks_like_schema(json_t *root)
{
    const char *schema = json_string_value(json_object_get(root, "$schema"));

    if (schema != NULL && strstr(schema, "json-schema.org") != NULL)
        return true;
    /* A schema without $schema still describes rather than states. */
    return json_is_object(json_object_get(root, "properties")) &&
           (json_is_string(json_object_get(root, "type")) ||
            json_object_get(root, "$id") != NULL);
}

xsirt_vuln_format vx_detect_json(json_t *root, const char **why)
{
    json_t *doc, *feed, *vulns;

    *why = "";
    if (!json_is_object(root)) {
        *why = json_is_array(root) ? "JSON array" : "JSON scalar";
        return XSIRT_VULN_NONE;
    }
    if (looks_like_schema(root)) {
        *why = "JSON schema";
        return XSIRT_VULN_NONE;
    }
    feed = json_object_get(root, "feed");
    if (json_is_object(feed) && json_object_get(feed, "entry") != NULL) {
        *why = "ROLIE feed";
        return XSIRT_VULN_NONE;
    }
    if (json_is_object(json_object_get(root, "service"))) {
        *why = "ROLIE service document";
        return XSIRT_VULN_NONE;
    }
    if (json_is_object(json_object_get(root, "categories"))) {
        *why = "ROLIE category document";
        return XSIRT_VULN_NONE;
    }
    doc = json_object_get(root, "document");
    if (json_is_object(doc) && json_object_get(doc, "csaf_version") != NULL)
        return XSIRT_VULN_CSAF;
    if (json_is_object(json_object_get(root, "canonical_url")) ||
        (json_object_get(root, "canonical_url") != NULL &&
         json_object_get(root, "publisher") != NULL &&
         json_object_get(root, "metadata_version") != NULL)) {
        *why = "CSAF provider metadata";
        return XSIRT_VULN_NONE;
    }
    if (json_is_object(json_object_get(root, "aggregator"))) {
        *why = "CSAF aggregator";
        return XSIRT_VULN_NONE;
    }
    {
        const char *dt = json_string_value(json_object_get(root, "dataType"));
        if ((dt != NULL && strcmp(dt, "CVE_RECORD") == 0) ||
            (json_is_object(json_object_get(root, "cveMetadata")) &&
             json_is_object(json_object_get(root, "containers"))))
            return XSIRT_VULN_CVE5;
    }
    vulns = json_object_get(root, "vulnerabilities");
    if (json_is_array(vulns) &&
        (json_object_get(root, "catalogVersion") != NULL ||
         json_object_get(json_array_get(vulns, 0), "cveID") != NULL))
        return XSIRT_VULN_KEV;
    if (has_string(root, "id") && has_string(root, "modified"))
        return XSIRT_VULN_OSV_JSON;
    *why = "JSON of another kind";
    return XSIRT_VULN_NONE;
}

/* Skips a UTF-8 byte order mark and leading white space. */
static size_t skip_lead(const char *data, size_t len)
{
    size_t i = 0;

    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' ||
                       data[i] == '\n'))
        i++;
    return i;
}

static bool starts_with_ci(const char *data, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);

    return len >= n && xsirt_ascii_ncasecmp(data, prefix, n) == 0;
}

static bool looks_like_epss(const char *data, size_t len)
{
    return starts_with_ci(data, len, "#model_version") ||
           starts_with_ci(data, len, "cve,epss,percentile");
}

static int load_json(json_t **out, const char *data, size_t len, xsirt_error *err)
{
    json_error_t jerr;

    /* jansson takes no byte order mark. */
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    *out = json_loadb(data, len, 0, &jerr);
    if (*out == NULL) {
        if (json_error_code(&jerr) == json_error_out_of_memory)
            return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory parsing JSON");
        return xsirt_error_set_at(err, XSIRT_EINVAL, (unsigned long)(jerr.line > 0 ? jerr.line : 0),
                                  (unsigned long)(jerr.column > 0 ? jerr.column : 0),
                                  "invalid JSON: %s", jerr.text);
    }
    return 0;
}

/* Text with top-level "id:" and "modified:" lines is meant as OSV YAML:
 * if it does not parse, that is an error to report, not other text. */
static bool has_line(const char *data, size_t len, const char *key)
{
    size_t n = strlen(key);

    for (size_t i = 0; i + n <= len; i++) {
        if ((i == 0 || data[i - 1] == '\n') && memcmp(data + i, key, n) == 0)
            return true;
        while (i < len && data[i] != '\n')
            i++;
    }
    return false;
}

static bool osv_yaml_text(const char *data, size_t len)
{
    return has_line(data, len, "id:") && has_line(data, len, "modified:");
}

static bool osv_yaml_shape(json_t *root)
{
    return json_is_object(root) && has_string(root, "id") && has_string(root, "modified");
}

xsirt_vuln_format xsirt_vuln_detect_explain(const char *data, size_t len, const char **why)
{
    const char *dummy;
    size_t i;
    json_t *root;
    xsirt_vuln_format f;

    if (why == NULL)
        why = &dummy;
    *why = "";
    if (data == NULL || len > XSIRT_LIMIT_FILE) {
        *why = data == NULL ? "no data" : "too large";
        return XSIRT_VULN_NONE;
    }
    i = skip_lead(data, len);
    if (i == len) {
        *why = "empty";
        return XSIRT_VULN_NONE;
    }
    if (data[i] == '{' || data[i] == '[') {
        if (load_json(&root, data, len, NULL) != 0) {
            *why = "invalid JSON";
            return XSIRT_VULN_NONE;
        }
        f = vx_detect_json(root, why);
        json_decref(root);
        return f;
    }
    if (looks_like_epss(data + i, len - i))
        return XSIRT_VULN_EPSS;
    if (memchr(data, '\0', len) != NULL || !xsirt_utf8_valid(data, len)) {
        *why = "not UTF-8 text";
        return XSIRT_VULN_NONE;
    }
    if (vx_yaml_load(&root, data, len, NULL) != 0) {
        if (osv_yaml_text(data, len))
            return XSIRT_VULN_OSV_YAML;
        *why = "not JSON, YAML or EPSS CSV";
        return XSIRT_VULN_NONE;
    }
    f = osv_yaml_shape(root) ? XSIRT_VULN_OSV_YAML : XSIRT_VULN_NONE;
    if (f == XSIRT_VULN_NONE)
        *why = json_is_object(root) ? "YAML of another kind" : "text";
    json_decref(root);
    return f;
}

xsirt_vuln_format xsirt_vuln_detect(const char *data, size_t len)
{
    return xsirt_vuln_detect_explain(data, len, NULL);
}

/* ---- parsing ---- */

static void list_release(xsirt_vuln_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        json_decref(list->items[i].original);
    list->count = 0;
}

void xsirt_vuln_list_free(xsirt_vuln_list *list)
{
    if (list == NULL)
        return;
    list_release(list);
    vx_arena_free(list->internal);
    free(list);
}

static int read_json(vx_ctx *c, xsirt_vuln_format format, json_t *root,
                     xsirt_vuln_list *list)
{
    switch (format) {
    case XSIRT_VULN_OSV_JSON:
    case XSIRT_VULN_OSV_YAML:
        return vx_osv_read(c, root, format, list);
    case XSIRT_VULN_CVE5:
        return vx_cve5_read(c, root, list);
    case XSIRT_VULN_CSAF:
        return vx_csaf_read(c, root, list);
    case XSIRT_VULN_KEV:
        return vx_kev_read(c, root, list);
    default:
        return xsirt_error_set(c->err, XSIRT_EINTERNAL, "no JSON reader for %s",
                               xsirt_vuln_format_name(format));
    }
}

/* Parses as format; with detect, the format is recognised (format is only
 * a hint that the input is JSON or YAML). */
static int parse(xsirt_vuln_list **out, xsirt_vuln_format format, bool detect,
                 const char *data, size_t len, xsirt_error *err)
{
    xsirt_vuln_list *list;
    json_t *root = NULL;
    vx_ctx c;
    size_t i;
    int rc;

    *out = NULL;
    if (data == NULL && len > 0)
        return xsirt_error_set(err, XSIRT_EINVAL, "no data");
    if (len > XSIRT_LIMIT_FILE)
        return xsirt_error_set(err, XSIRT_ELIMIT,
                               "document of %zu bytes exceeds XSIRT_LIMIT_FILE (%u)", len,
                               XSIRT_LIMIT_FILE);
    if (data == NULL)
        data = "";
    i = skip_lead(data, len);
    if (detect) {
        if (i == len)
            return xsirt_error_set(err, XSIRT_EUNSUPPORTED,
                                   "not vulnerability intelligence: empty");
        if (data[i] == '{' || data[i] == '[')
            format = XSIRT_VULN_OSV_JSON;
        else if (looks_like_epss(data + i, len - i))
            format = XSIRT_VULN_EPSS;
        else
            format = XSIRT_VULN_OSV_YAML;
    }
    list = calloc(1, sizeof *list);
    if (list == NULL || (list->internal = vx_arena_new()) == NULL) {
        free(list);
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    memset(&c, 0, sizeof c);
    c.arena = list->internal;
    c.err = err;

    if (format == XSIRT_VULN_EPSS) {
        list->format = format;
        rc = vx_epss_read(&c, data, len, list);
        goto done;
    }
    if (format == XSIRT_VULN_NONE) {
        rc = xsirt_error_set(err, XSIRT_EINVAL, "no format given");
        goto done;
    }
    if (format == XSIRT_VULN_OSV_YAML) {
        if (detect && (memchr(data, '\0', len) != NULL || !xsirt_utf8_valid(data, len))) {
            rc = xsirt_error_set(err, XSIRT_EUNSUPPORTED,
                                 "not vulnerability intelligence: not UTF-8 text");
            goto done;
        }
        rc = vx_yaml_load(&root, data, len, err);
        if (rc != 0 && detect && !osv_yaml_text(data, len)) {
            xsirt_error_prefix(err, "not JSON, YAML or EPSS CSV: ");
            if (err != NULL)
                err->code = XSIRT_EUNSUPPORTED;
            rc = XSIRT_EUNSUPPORTED;
        }
    } else {
        rc = load_json(&root, data, len, err);
    }
    if (rc != 0)
        goto done;
    if (detect) {
        const char *why;
        xsirt_vuln_format f = vx_detect_json(root, &why);
        if (format == XSIRT_VULN_OSV_YAML && f != XSIRT_VULN_OSV_JSON) {
            why = json_is_object(root) ? "YAML of another kind" : "text";
            f = XSIRT_VULN_NONE;
        }
        if (f == XSIRT_VULN_NONE) {
            rc = xsirt_error_set(err, XSIRT_EUNSUPPORTED,
                                 "not vulnerability intelligence: %s", why);
            goto done;
        }
        if (format != XSIRT_VULN_OSV_YAML)
            format = f;
    }
    list->format = format;
    rc = read_json(&c, format, root, list);
done:
    json_decref(root);
    free(c.issues.items);
    if (rc != 0) {
        xsirt_vuln_list_free(list);
        return rc;
    }
    *out = list;
    return 0;
}

int xsirt_vuln_parse(xsirt_vuln_list **out, const char *data, size_t len, xsirt_error *err)
{
    return parse(out, XSIRT_VULN_NONE, true, data, len, err);
}

int xsirt_vuln_parse_as(xsirt_vuln_list **out, xsirt_vuln_format format, const char *data,
                        size_t len, xsirt_error *err)
{
    return parse(out, format, false, data, len, err);
}

int xsirt_vuln_original_json(char **out, const xsirt_vuln *vuln, xsirt_error *err)
{
    *out = NULL;
    if (vuln == NULL || vuln->original == NULL)
        return xsirt_error_set(err, XSIRT_ENOTFOUND, "record has no original document");
    *out = json_dumps(vuln->original, JSON_INDENT(2) | JSON_ENCODE_ANY);
    if (*out == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory writing JSON");
    return 0;
}
