/*
 * vuln_internal.h — what the intelligence readers (osv.c, cve5.c, csaf.c,
 * kev.c, epss.c) share with vuln.c: an arena owning everything in a list,
 * a reading context that tracks the JSON pointer of the value being read,
 * and typed accessors that turn wrong types into errors naming that place.
 *
 * The idea: a list's strings and arrays all come from one arena, so a
 * reader never frees piecemeal, records can share strings (CSAF products
 * used by several vulnerabilities), and an error path just drops the arena.
 */
#ifndef XSIRT_FORMATS_VULN_INTERNAL_H
#define XSIRT_FORMATS_VULN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "xsirt/error.h"
#include "xsirt/vuln.h"

/* The list's arena (core/arena.h), under the short names these readers use. */
typedef xsirt_arena vx_arena;

static inline vx_arena *vx_arena_new(void)
{
    return xsirt_arena_new();
}

static inline void vx_arena_free(vx_arena *a)
{
    xsirt_arena_free(a);
}

/* Zeroed memory for count × size bytes; NULL on overflow or exhaustion. */
static inline void *vx_alloc(vx_arena *a, size_t count, size_t size)
{
    return xsirt_arena_alloc(a, count, size);
}

static inline char *vx_strndup(vx_arena *a, const char *s, size_t len)
{
    return xsirt_arena_strndup(a, s, len);
}

static inline char *vx_strdup(vx_arena *a, const char *s)
{
    return xsirt_arena_strndup(a, s, strlen(s));
}

/* Issues gathered while reading one record. */
typedef struct vx_issues {
    xsirt_vuln_issue *items;
    size_t count, cap;
} vx_issues;

typedef struct vx_ctx {
    vx_arena *arena;
    xsirt_error *err;
    char path[XSIRT_ERROR_POINTER_MAX];
    size_t plen;
    vx_issues issues;
} vx_ctx;

/* JSON pointer bookkeeping: push returns a mark to pop back to. */
size_t vx_push(vx_ctx *c, const char *key);
size_t vx_push_index(vx_ctx *c, size_t index);
void vx_pop(vx_ctx *c, size_t mark);

/* An error at the current pointer (plus key when not NULL). */
int vx_fail(vx_ctx *c, const char *key, int code, const char *fmt, ...) XSIRT_PRINTF(4, 5);
int vx_nomem(vx_ctx *c);
/* Records an issue at the current pointer (plus key when not NULL). */
int vx_issue(vx_ctx *c, const char *key, const char *reason, const char *value);
/* Moves the gathered issues into v (arena copies) and clears them. */
int vx_take_issues(vx_ctx *c, xsirt_vuln *v);

const char *vx_type_name(const json_t *v);

/* Typed member access. Absent members give NULL / 0 and no error; members
 * of the wrong type are XSIRT_EINVAL naming their pointer. */
int vx_object(vx_ctx *c, json_t *obj, const char *key, json_t **out);
int vx_array(vx_ctx *c, json_t *obj, const char *key, json_t **out);
int vx_string(vx_ctx *c, json_t *obj, const char *key, const char **out);
/* Required string (absent is an error too). */
int vx_string_req(vx_ctx *c, json_t *obj, const char *key, const char **out);
/* An array of strings. */
int vx_strings(vx_ctx *c, json_t *obj, const char *key, const char ***out, size_t *n);
/* A member kept as compact JSON text (any type). */
int vx_json_text(vx_ctx *c, json_t *obj, const char *key, const char **out);
/* Checks that the array element at index is an object. */
int vx_elem_object(vx_ctx *c, json_t *arr, size_t index, json_t **out);

/* Arrays of objects, the shape most members of these formats have. Each
 * element must be an object (else an error at its pointer) and is handed
 * to fn with the pointer at it; the first error stops the walk. */
typedef int (*vx_elem_fn)(vx_ctx *c, json_t *elem, size_t index, void *arg);
int vx_each_object(vx_ctx *c, json_t *arr, vx_elem_fn fn, void *arg);
/* The same for the array member key of obj (absent or null: nothing). */
int vx_each_member(vx_ctx *c, json_t *obj, const char *key, vx_elem_fn fn, void *arg);

/* Reads arr into an arena array of as many items of size bytes, fn filling
 * item i from element i, the pointer under key. *items and *n are set even
 * when fn fails (the caller's record keeps what was read). */
typedef int (*vx_item_fn)(vx_ctx *c, json_t *elem, void *item);
int vx_objects(vx_ctx *c, json_t *arr, const char *key, size_t size, vx_item_fn fn,
               void **items, size_t *n);
/* vx_objects on the array member key of obj; absent, null or empty gives
 * no items (NULL, 0). */
int vx_member_objects(vx_ctx *c, json_t *obj, const char *key, size_t size, vx_item_fn fn,
                      void **items, size_t *n);

/* Appends s to a (arena array, grown by doubling; *cap tracks capacity). */
int vx_append_str(vx_ctx *c, const char ***arr, size_t *n, size_t *cap, const char *s);

/* Per-format readers. root is the parsed document; records are appended
 * to list (whose arena is c->arena). */
int vx_osv_read(vx_ctx *c, json_t *root, xsirt_vuln_format format, xsirt_vuln_list *list);
int vx_cve5_read(vx_ctx *c, json_t *root, xsirt_vuln_list *list);
int vx_csaf_read(vx_ctx *c, json_t *root, xsirt_vuln_list *list);
int vx_kev_read(vx_ctx *c, json_t *root, xsirt_vuln_list *list);
int vx_epss_read(vx_ctx *c, const char *data, size_t len, xsirt_vuln_list *list);

/* YAML (one document, no aliases) to a jansson value; plain scalars
 * become strings except null and true/false. */
int vx_yaml_load(json_t **out, const char *data, size_t len, xsirt_error *err);

/* Detection on an already parsed JSON value. */
xsirt_vuln_format vx_detect_json(json_t *root, const char **why);

/* The original document of a record: holds a reference on root. */
void vx_set_original(xsirt_vuln *v, json_t *root);

/* Allocates list->items for n records. */
int vx_items(vx_ctx *c, xsirt_vuln_list *list, size_t n);

#endif
