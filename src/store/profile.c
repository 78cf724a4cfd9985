/*
 * profile.c — a user's own language and time zone (see profile.h). Both
 * live in the users row (schema migration 9); null means "not chosen", so
 * that the UI can keep following the browser until the user decides.
 */
#include <string.h>

#include "core/str.h"
#include "store/json_input.h"
#include "store/profile.h"
#include "store/store.h"

static const char *const profile_languages[] = {"en", "ja", NULL};

bool xsirt_profile_timezone_valid(const char *name)
{
    size_t seg = 0, segments = 1;

    if (name == NULL || name[0] == '\0' || strlen(name) >= XSIRT_PROFILE_TIMEZONE_MAX)
        return false;
    if (strcmp(name, "UTC") == 0)
        return true;
    for (const char *p = name; ; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '/' || c == '\0') {
            /* No empty segment and none longer than tzdata has; no "."
             * at all, so a name is never a path out of /usr/share/zoneinfo. */
            if (seg == 0 || seg > 30)
                return false;
            if (c == '\0')
                break;
            segments++;
            seg = 0;
            continue;
        }
        if (!(xsirt_is_alpha(c) || xsirt_is_digit(c) || c == '_' || c == '-' || c == '+'))
            return false;
        seg++;
    }
    /* Area/Location (and Area/Region/Location); a bare word other than UTC
     * is one of tzdata's legacy links ("Japan", "GMT"), which the API does
     * not take, so that one zone has one name. */
    return segments >= 2 && segments <= 3;
}

int xsirt_profile_get(json_t **out, xsirt_db *db, const xsirt_principal *by, xsirt_error *err)
{
    static const char *const ints[] = {"id", NULL};
    xsirt_db_value p[1] = {XSIRT_DB_INTV(by->user_id)};
    xsirt_db_rows *rows;
    int rc;

    *out = NULL;
    if (by->user_id == 0)
        return xsirt_error_set(err, XSIRT_ENOTFOUND, "the system has no profile");
    rc = xsirt_db_query(&rows, db, "SELECT id, username, display_name, email, role, language, timezone "
                                   "FROM users WHERE id = ?", p, 1, err);
    if (rc != 0)
        return rc;
    if (xsirt_db_rows_count(rows) == 1)
        *out = xsirt_store_row_json(rows, 0, ints);
    xsirt_db_rows_free(rows);
    return *out != NULL ? 0 : xsirt_error_set(err, XSIRT_ENOTFOUND, "no user %lld", (long long)by->user_id);
}

int xsirt_profile_update(json_t **out, xsirt_db *db, const xsirt_principal *by, const json_t *in,
                         xsirt_error *err)
{
    static const xsirt_field fields[] = {
        {"language", XSIRT_FIELD_STRING, false, true, 2},
        {"timezone", XSIRT_FIELD_STRING, false, true, XSIRT_PROFILE_TIMEZONE_MAX},
        {NULL, 0, false, false, 0},
    };
    const char *lang = xsirt_json_str(in, "language"), *tz = xsirt_json_str(in, "timezone");
    json_t *before = NULL;
    xsirt_db_value p[2];
    int rc;

    *out = NULL;
    if ((rc = xsirt_json_check(in, fields, true, err)) != 0)
        return rc;
    if (lang != NULL && (rc = xsirt_json_enum(lang, profile_languages, "language", err)) != 0)
        return rc;
    if (tz != NULL && !xsirt_profile_timezone_valid(tz))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "timezone",
                                       "timezone must be an IANA time zone name such as Asia/Tokyo or UTC");
    if (!xsirt_json_has(in, "language") && !xsirt_json_has(in, "timezone"))
        return xsirt_profile_get(out, db, by, err);   /* nothing to change, nothing to audit */
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = xsirt_profile_get(&before, db, by, err);
    p[1] = XSIRT_DB_INTV(by->user_id);
    if (rc == 0 && xsirt_json_has(in, "language")) {
        p[0] = lang != NULL ? XSIRT_DB_TEXTV(lang) : XSIRT_DB_NULLV;
        rc = xsirt_db_exec(db, "UPDATE users SET language = ? WHERE id = ?", p, 2, NULL, err);
    }
    if (rc == 0 && xsirt_json_has(in, "timezone")) {
        p[0] = tz != NULL ? XSIRT_DB_TEXTV(tz) : XSIRT_DB_NULLV;
        rc = xsirt_db_exec(db, "UPDATE users SET timezone = ? WHERE id = ?", p, 2, NULL, err);
    }
    if (rc == 0)
        rc = xsirt_profile_get(out, db, by, err);
    if (rc == 0)
        rc = xsirt_store_audit(db, by, "profile.update", "user", by->user_id, before, *out, err);
    json_decref(before);
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return xsirt_store_finish(db, rc, err);
}

const char *xsirt_profile_language(xsirt_db *db, int64_t user_id, const char *fallback)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(user_id)};
    xsirt_db_rows *rows;
    const char *lang = fallback;

    if (user_id == 0 || xsirt_db_query(&rows, db, "SELECT language FROM users WHERE id = ?", p, 1, NULL) != 0)
        return fallback;
    if (xsirt_db_rows_count(rows) == 1 && !xsirt_db_rows_null(rows, 0, 0)) {
        /* Returned as one of our own constants, never the row's memory. */
        for (size_t i = 0; profile_languages[i] != NULL; i++)
            if (strcmp(xsirt_db_rows_text(rows, 0, 0), profile_languages[i]) == 0)
                lang = profile_languages[i];
    }
    xsirt_db_rows_free(rows);
    return lang;
}
