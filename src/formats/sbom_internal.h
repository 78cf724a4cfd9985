/*
 * sbom_internal.h — what the four SBOM readers share (sbom.c): building the
 * model under its limits, the string store, SPDX relationship mapping, and
 * typed access to JSON members with JSON-pointer errors.
 *
 * Builders return 0 or a negative XSIRT_E* code with the message set; the
 * reader then adds where it was (pointer or line) with sb_where_*(), which
 * keeps the first position found, the innermost one.
 * Beware: sb_component() may move the components array, so a reader keeps
 * indexes, not pointers, across calls that add components.
 */
#ifndef XSIRT_FORMATS_SBOM_INTERNAL_H
#define XSIRT_FORMATS_SBOM_INTERNAL_H

#include <jansson.h>
#include <stddef.h>

#include "xsirt/error.h"
#include "xsirt/sbom.h"

/* A new empty model (subject none); NULL when out of memory. */
xsirt_sbom *sb_new(xsirt_sbom_format format);

/* Copies s[0..len) into the model's store; NULL when out of memory. */
const char *sb_strn(xsirt_sbom *sb, const char *s, size_t len);
const char *sb_str(xsirt_sbom *sb, const char *s);

/* Sets err to "out of memory" and returns XSIRT_ENOMEM. */
int sb_nomem(xsirt_error *err);

/* Appends a zeroed component (parent none) and gives its index. */
int sb_component(xsirt_sbom *sb, size_t *index, xsirt_error *err);
/* Room for `more` components beyond those read (up to a bound), so that
 * a reader that knows the count does not grow the array step by step
 * (each step copied it). */
int sb_reserve_components(xsirt_sbom *sb, size_t more, xsirt_error *err);
int sb_edge(xsirt_sbom *sb, const char *from, const char *to,
            xsirt_sbom_edge_kind kind, const char *relationship, xsirt_error *err);
int sb_vulnerability(xsirt_sbom *sb, size_t *index, xsirt_error *err);

/* Appends to a list of strings / hashes / ratings (strings already in the
 * store); what names the list in the limit message. */
int sb_push_str(const char ***list, size_t *count, const char *s, const char *what,
                xsirt_error *err);
int sb_push_hash(xsirt_sbom_component *c, const char *alg, const char *value,
                 xsirt_error *err);
int sb_push_rating(xsirt_sbom_vulnerability *v, const xsirt_sbom_rating *r,
                   xsirt_error *err);

/* Adds a licence unless it is empty, NOASSERTION or NONE, or already among
 * the first 16. */
int sb_add_license(xsirt_sbom *sb, xsirt_sbom_component *c, const char *license,
                   xsirt_error *err);

/* Adds a purl or CPE: the first becomes c->purl / c->cpe, later ones go to
 * the other_ lists. */
int sb_add_purl(xsirt_sbom_component *c, const char *purl, xsirt_error *err);
int sb_add_cpe(xsirt_sbom_component *c, const char *cpe, xsirt_error *err);

/* An SPDX 2 relationship "a TYPE b" as an edge, turned round for inverse
 * types; NONE / NOASSERTION on either side adds nothing. */
int sb_spdx_relationship(xsirt_sbom *sb, const char *a, const char *type,
                         const char *b, xsirt_error *err);

/* True for SPDX's "no value" words. */
int sb_spdx_novalue(const char *s);

/* SPDX: the document's own SPDXID, whose DESCRIBES edges name the subject. */
void sb_set_document_ref(xsirt_sbom *sb, const char *ref);

/* Resolves edge refs to indexes, indexes refs for xsirt_sbom_find and, for
 * SPDX, picks the subject. Called once, at the end of a successful read. */
int sb_finish(xsirt_sbom *sb, xsirt_error *err);
/* When rc is 0, sb_finish, then *out = sb; otherwise (or when finishing
 * fails) sb is freed. Returns the code. */
int sb_finish_or_free(xsirt_sbom **out, xsirt_sbom *sb, int rc, xsirt_error *err);

/* Adds a position to an error that has none yet. */
void sb_where_pointer(xsirt_error *err, const char *pointer);
void sb_where_line(xsirt_error *err, unsigned long line, unsigned long column);

/* Checks the size of a whole input against XSIRT_LIMIT_FILE. */
int sb_check_size(size_t len, xsirt_error *err);

/* JSON: the document as a jansson value (duplicate keys rejected, every
 * number read as a real), or an error at line:column. */
int sbj_load(json_t **out, const char *data, size_t len, xsirt_error *err);

/* Typed members of obj. Absent or null gives NULL (0 returned); a value of
 * another type is an XSIRT_EINVAL error at pointer base/key. Strings are
 * copied into the store. */
int sbj_string(const char **out, xsirt_sbom *sb, json_t *obj, const char *key,
               const char *base, xsirt_error *err);
int sbj_object(json_t **out, json_t *obj, const char *key, const char *base,
               xsirt_error *err);
int sbj_array(json_t **out, json_t *obj, const char *key, const char *base,
              size_t limit, xsirt_error *err);

/* The same for a member already looked up (v, NULL when absent): key
 * only names it in errors. */
int sbj_string_member(const char **out, xsirt_sbom *sb, json_t *v, const char *key,
                      const char *base, xsirt_error *err);
int sbj_object_member(json_t **out, json_t *v, const char *key, const char *base,
                      xsirt_error *err);
int sbj_array_member(json_t **out, json_t *v, const char *key, const char *base,
                     size_t limit, xsirt_error *err);

/* values[i] = the member of obj named names[i], or NULL, in one pass over
 * obj's members: a reader that looks at a dozen names, most of them
 * absent, hashes each name once per object otherwise (a tenth of reading
 * a 10,000-component SBOM). Keys are unique (sbj_load refuses repeats). */
void sbj_members(json_t *obj, const char *const *names, size_t n, json_t **values);

/* An element of an array that must be a string / an object. */
int sbj_string_at(const char **out, xsirt_sbom *sb, json_t *value, const char *pointer,
                  xsirt_error *err);
int sbj_expect_object(json_t *value, const char *pointer, xsirt_error *err);

/* "%s/%s" and "%s/%zu" into a pointer buffer of XSIRT_ERROR_POINTER_MAX. */
void sbj_ptr_key(char *out, const char *base, const char *key);
void sbj_ptr_index(char *out, const char *base, size_t index);

/* Readers of an already loaded JSON document (sbom.c loads once to detect). */
int sb_cyclonedx_json_read(xsirt_sbom *sb, json_t *root, xsirt_error *err);
int sb_spdx_json_read(xsirt_sbom *sb, json_t *root, xsirt_error *err);

#endif
