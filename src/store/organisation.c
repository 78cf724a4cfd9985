/*
 * organisation.c — external organisations (see organisation.h).
 */
#include "store/clock.h"
#include "store/json_input.h"
#include "store/organisation.h"
#include "store/store.h"

static const char *const organisation_kinds[] = {"supplier", "customer", "coordinator", "researcher",
                                                 "vendor", "partner", "other", NULL};

int xsirt_organisation_create(json_t **out, xsirt_db *db, const xsirt_principal *by,
                              const json_t *in, xsirt_error *err)
{
    static const xsirt_field fields[] = {
        {"name", XSIRT_FIELD_STRING, true, false, 200},
        {"kind", XSIRT_FIELD_STRING, false, false, 32},
        {NULL, 0, false, false, 0},
    };
    const char *kind = xsirt_json_str(in, "kind") != NULL ? xsirt_json_str(in, "kind") : "other";
    char now[XSIRT_TIME_MAX];
    xsirt_db_value p[3];
    xsirt_db_rows *rows = NULL;
    int rc;

    *out = NULL;
    if (!by->admin)
        return xsirt_error_set(err, XSIRT_EDENIED, "only admins add organisations");
    if ((rc = xsirt_json_check(in, fields, false, err)) != 0 ||
        (rc = xsirt_json_enum(kind, organisation_kinds, "kind", err)) != 0)
        return rc;
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    xsirt_clock_now(now);
    p[0] = XSIRT_DB_TEXTV(xsirt_json_str(in, "name"));
    p[1] = XSIRT_DB_TEXTV(kind);
    p[2] = XSIRT_DB_TEXTV(now);
    rc = xsirt_db_query(&rows, db, "INSERT INTO organisations (name, kind, created_at) VALUES (?, ?, ?) "
                                   "RETURNING id", p, 3, err);
    if (rc == XSIRT_ECONFLICT)
        rc = xsirt_error_set_pointer(err, XSIRT_ECONFLICT, "name", "organisation %s exists",
                                     xsirt_json_str(in, "name"));
    if (rc == 0) {
        *out = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)xsirt_db_rows_int(rows, 0, 0), "name",
                         xsirt_json_str(in, "name"), "kind", kind);
        xsirt_db_rows_free(rows);
        rc = xsirt_store_audit(db, by, "organisation.create", "organisation",
                               json_integer_value(json_object_get(*out, "id")), NULL, *out, err);
    }
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return xsirt_store_finish(db, rc, err);
}

int xsirt_organisation_list(json_t **out, xsirt_db *db, const xsirt_principal *by,
                            const xsirt_page *pg, xsirt_error *err)
{
    static const char *const ints[] = {"id", NULL};
    xsirt_db_value p[2] = {XSIRT_DB_INTV(by->organisation_id == 0 || by->admin),
                           XSIRT_DB_INTV(by->organisation_id)};

    return xsirt_store_list_page(out, db, "SELECT id, name, kind FROM organisations WHERE (? = 1 OR "
                                          "id = ?) AND id > ? ORDER BY id LIMIT ?", p, 2, ints, NULL,
                                 pg, err);
}
