/*
 * api.h — helpers the api_*.c handlers share: the standard shapes of
 * "call the store, answer with its JSON or its error".
 */
#ifndef XSIRT_API_H
#define XSIRT_API_H

#include "server/http.h"
#include "store/store.h"

/* Answers a store call: status with *value on rc == 0, the mapped error
 * otherwise. Takes ownership of value. */
int xsirt_api_reply(xsirt_response *res, int rc, int status, json_t *value, const xsirt_error *err);

/* The request body as an object, or a 400 answer and NULL. */
const json_t *xsirt_api_body(xsirt_response *res, xsirt_request *req);

/* A positive integer query argument; 0 when absent; -1 (and a 400
 * answer) when malformed. */
int64_t xsirt_api_query_id(xsirt_response *res, const xsirt_request *req, const char *name);

/* A text query argument checked for UTF-8; NULL when absent; sets *bad
 * (and a 400 answer) when malformed. */
const char *xsirt_api_query_text(xsirt_response *res, const xsirt_request *req, const char *name,
                                 bool *bad);

/* The page a list request asks for: `limit` (1 to XSIRT_LIMIT_PAGE_ITEMS)
 * and the cursor argument (the `next` of the page before). 0, or -1 with a
 * 400 answer. */
int xsirt_api_page(xsirt_page *pg, xsirt_response *res, const xsirt_request *req,
                   const char *cursor_name);
/* If-Match: "7" (or 7, or W/"7") -> 7; 0 when absent; -1 when malformed. */
int64_t xsirt_api_if_match(const xsirt_request *req);

/* A true/false query argument: 1 or 0 in *out, -1 when absent; false (and
 * a 400 answer) when malformed. */
bool xsirt_api_query_bool(xsirt_response *res, const xsirt_request *req, const char *name,
                          int *out);

/* The shapes most handlers have: call a store function with the caller,
 * (an id from the path,) (the body,) and answer its JSON with status. */
typedef int (*xsirt_api_list_fn)(json_t **out, xsirt_db *db, const xsirt_principal *by,
                                 const xsirt_page *pg, xsirt_error *err);
typedef int (*xsirt_api_id_fn)(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                               xsirt_error *err);
typedef int (*xsirt_api_body_fn)(json_t **out, xsirt_db *db, const xsirt_principal *by,
                                 const json_t *in, xsirt_error *err);
typedef int (*xsirt_api_id_body_fn)(json_t **out, xsirt_db *db, const xsirt_principal *by,
                                    int64_t id, const json_t *in, xsirt_error *err);

typedef int (*xsirt_api_page_fn)(json_t **out, xsirt_db *db, const xsirt_principal *by,
                                 int64_t id, const xsirt_page *pg, xsirt_error *err);

int xsirt_api_call_list(xsirt_response *res, xsirt_request *req, xsirt_api_list_fn fn);
/* The same with the cursor argument named "after" (the audit log's). */
int xsirt_api_call_list_after(xsirt_response *res, xsirt_request *req, xsirt_api_list_fn fn);
/* A partial update that checks the revision the client last read. */
typedef int (*xsirt_api_update_fn)(json_t **out, xsirt_db *db, const xsirt_principal *by,
                                   int64_t id, int64_t revision, const json_t *in,
                                   xsirt_error *err);

/* Sets the ETag from the object's "revision". */
void xsirt_api_etag(xsirt_response *res, const json_t *o);

/* GET of an object with a revision: 200 with its ETag. */
int xsirt_api_call_get(xsirt_response *res, xsirt_request *req, xsirt_api_id_fn fn);
/* POST creating an object: 201 with its ETag and Location (path_prefix
 * followed by its id). */
int xsirt_api_call_create(xsirt_response *res, xsirt_request *req, const char *path_prefix,
                          xsirt_api_body_fn fn);
/* PATCH with If-Match required (428 without, 412 when stale; what names
 * the object in the message): 200 with the new ETag. */
int xsirt_api_call_update(xsirt_response *res, xsirt_request *req, const char *what,
                          xsirt_api_update_fn fn);
int xsirt_api_call_id(xsirt_response *res, xsirt_request *req, xsirt_api_id_fn fn);
/* A paged sub-resource of the object named by the path's id. */
int xsirt_api_call_page(xsirt_response *res, xsirt_request *req, xsirt_api_page_fn fn);
int xsirt_api_call_body(xsirt_response *res, xsirt_request *req, int status, xsirt_api_body_fn fn);
int xsirt_api_call_id_body(xsirt_response *res, xsirt_request *req, int status,
                           xsirt_api_id_body_fn fn);

#endif
