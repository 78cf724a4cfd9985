/*
 * settings.c — organisation settings (see settings.h): the table of known
 * settings with their checks and defaults, reads that hide secrets, and
 * updates with their audit record in one transaction.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "store/priority.h"
#include "store/settings.h"
#include "store/store.h"
#include "store/zone.h"

typedef struct settings_def {
    const char *name;
    bool secret;
    int (*check)(const json_t *v, xsirt_error *err);
    json_t *(*fallback)(void);
} settings_def;

static int settings_check_smtp_url(const json_t *v, xsirt_error *err)
{
    const char *s = json_string_value(v);

    if (s == NULL || strlen(s) > 2048 ||
        (strncmp(s, "smtp://", 7) != 0 && strncmp(s, "smtps://", 8) != 0))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "smtp_url",
                                       "smtp_url must be smtp://[user:pass@]host[:port] or "
                                       "smtps://...");
    return 0;
}

static int settings_check_from(const json_t *v, xsirt_error *err)
{
    const char *s = json_string_value(v);

    if (s == NULL || strlen(s) > 320 || strchr(s, '@') == NULL || strpbrk(s, "\r\n") != NULL)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "smtp_from",
                                       "smtp_from must be a mail address");
    return 0;
}

static int settings_check_rule(const json_t *v, xsirt_error *err)
{
    return xsirt_priority_check(v, err);
}

static int settings_check_feeds(const json_t *v, xsirt_error *err)
{
    static const struct { const char *key; json_int_t lo, hi; } keys[] = {
        {"interval", 60, 7 * 24 * 3600},
        {"timeout", 1, 3600},
        {"max_bytes", 1024, (json_int_t)16 * 1024 * 1024 * 1024},
    };
    const char *key;
    json_t *x;

    if (!json_is_object(v))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "feed_defaults",
                                       "feed_defaults must be an object");
    json_object_foreach((json_t *)v, key, x) {
        size_t i = 0;
        while (i < 3 && strcmp(keys[i].key, key) != 0)
            i++;
        if (i == 3 || !json_is_integer(x) || json_integer_value(x) < keys[i].lo ||
            json_integer_value(x) > keys[i].hi)
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, "feed_defaults",
                                           "feed_defaults has interval (60 s to 7 days), "
                                           "timeout (1 to 3600 s) and max_bytes (1 KiB to "
                                           "16 GiB), integers; not %.64s", key);
    }
    return 0;
}

/* An absolute https URL without query or fragment, at most 2048 bytes
 * (field names the setting in the error). */
static int settings_check_https(const json_t *v, const char *field, xsirt_error *err)
{
    const char *s = json_string_value(v);

    if (s == NULL || strlen(s) > 2048 || strncmp(s, "https://", 8) != 0 || s[8] == '\0' ||
        s[8] == '/' || strpbrk(s, " \t\r\n?#\"<>\\") != NULL || !xsirt_utf8_valid(s, strlen(s)))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, field,
                                       "%s must be an https:// URL without query or fragment", field);
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
        if (*p < 0x20 || *p == 0x7f)
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, field, "%s has a control character",
                                           field);
    return 0;
}

static int settings_check_public_url(const json_t *v, xsirt_error *err)
{
    const char *s = json_string_value(v);
    int rc = settings_check_https(v, "public_url", err);

    if (rc == 0 && s[strlen(s) - 1] == '/')
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "public_url",
                                       "public_url is a base URL without the final /");
    return rc;
}

static int settings_check_policy(const json_t *v, xsirt_error *err)
{
    return settings_check_https(v, "security_policy_url", err);
}

static int settings_check_team(const json_t *v, xsirt_error *err)
{
    if (!json_is_integer(v) || json_integer_value(v) <= 0)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "intake_team",
                                       "intake_team is the id of a team");
    return 0;
}

static bool settings_is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!xsirt_is_digit((unsigned char)s[i]) && (s[i] < 'a' || s[i] > 'f') &&
            (s[i] < 'A' || s[i] > 'F'))
            return false;
    return true;
}

/* A UUID (8-4-4-4-12 hex digits), the form CVE Services gives a CNA. */
static int settings_check_uuid(const json_t *v, xsirt_error *err)
{
    const char *s = json_string_value(v);

    if (s == NULL || strlen(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' ||
        s[23] != '-' || !settings_is_hex(s, 8) || !settings_is_hex(s + 9, 4) ||
        !settings_is_hex(s + 14, 4) || !settings_is_hex(s + 19, 4) || !settings_is_hex(s + 24, 12))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "cna_org_id",
                                       "cna_org_id must be a UUID (the CNA's orgId)");
    return 0;
}

/* CSAF 2.0 document.publisher: name, namespace (a URL), category. */
static int settings_check_publisher(const json_t *v, xsirt_error *err)
{
    static const char *const categories[] = {"coordinator", "discoverer", "other", "translator",
                                             "user", "vendor", NULL};
    const char *name = json_string_value(json_object_get(v, "name"));
    const char *cat = json_string_value(json_object_get(v, "category"));
    size_t i = 0;

    if (!json_is_object(v) || json_object_size(v) != 3 || name == NULL || name[0] == '\0' ||
        strlen(name) > 500 || cat == NULL)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "csaf_publisher",
                                       "csaf_publisher is {\"name\",\"namespace\",\"category\"}");
    if (settings_check_https(json_object_get(v, "namespace"), "csaf_publisher", err) != 0)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "csaf_publisher",
                                       "csaf_publisher.namespace must be an https:// URL");
    while (categories[i] != NULL && strcmp(categories[i], cat) != 0)
        i++;
    if (categories[i] == NULL)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "csaf_publisher",
                                       "csaf_publisher.category is one of coordinator, discoverer, "
                                       "other, translator, user, vendor");
    return 0;
}

/* The organisation's OpenPGP key: {"fingerprint": 40 hex digits (v4) or
 * 64 (v5/v6), "uid"?: "Name <mail>"}. */
static int settings_check_key(const json_t *v, xsirt_error *err)
{
    const char *fpr = json_string_value(json_object_get(v, "fingerprint"));
    const json_t *uid = json_object_get(v, "uid");
    size_t n = fpr != NULL ? strlen(fpr) : 0;

    if (!json_is_object(v) || (n != 40 && n != 64) || !settings_is_hex(fpr, n) ||
        json_object_size(v) != (uid != NULL ? 2u : 1u) ||
        (uid != NULL && (!json_is_string(uid) || json_string_length(uid) > 500 ||
                         strpbrk(json_string_value(uid), "\r\n") != NULL)))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "openpgp_key",
                                       "openpgp_key is {\"fingerprint\": 40 or 64 hex digits, "
                                       "\"uid\"?: text}");
    return 0;
}

/* The organisation's time zone: the default of every party's (issue 12). */
static int settings_check_zone(const json_t *v, xsirt_error *err)
{
    return xsirt_zone_check(json_string_value(v), "time_zone", err);
}

static json_t *settings_zone_default(void)
{
    return json_string("UTC");
}

/* The identity the organisation's OpenPGP key is made for when xsirt
 * makes it: "Name <mail>", one line. */
static int settings_check_uid(const json_t *v, xsirt_error *err)
{
    const char *s = json_string_value(v);

    if (s == NULL || s[0] == '\0' || strlen(s) > 500 || strpbrk(s, "\r\n") != NULL)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "openpgp_uid",
                                       "openpgp_uid is one line such as "
                                       "\"ACME PSIRT <psirt@acme.example>\"");
    return 0;
}

static json_t *settings_feeds_default(void)
{
    return json_pack("{s:i, s:i, s:I}", "interval", 3600, "timeout", 600, "max_bytes",
                     (json_int_t)4 * 1024 * 1024 * 1024);
}

static const settings_def settings_defs[] = {
    {"smtp_url", true, settings_check_smtp_url, NULL},
    {"smtp_from", false, settings_check_from, NULL},
    {"priority_rule", false, settings_check_rule, xsirt_priority_default_rule},
    {"feed_defaults", false, settings_check_feeds, settings_feeds_default},
    {"public_url", false, settings_check_public_url, NULL},
    {"intake_team", false, settings_check_team, NULL},
    {"cna_org_id", false, settings_check_uuid, NULL},
    {"csaf_publisher", false, settings_check_publisher, NULL},
    {"openpgp_key", false, settings_check_key, NULL},
    {"openpgp_uid", false, settings_check_uid, NULL},
    {"security_policy_url", false, settings_check_policy, NULL},
    {"time_zone", false, settings_check_zone, settings_zone_default},
};
#define SETTINGS_COUNT (sizeof settings_defs / sizeof settings_defs[0])

static const settings_def *settings_find(const char *name)
{
    for (size_t i = 0; i < SETTINGS_COUNT; i++)
        if (strcmp(settings_defs[i].name, name) == 0)
            return &settings_defs[i];
    return NULL;
}

int xsirt_settings_value(json_t **out, xsirt_db *db, const char *name, xsirt_error *err)
{
    const settings_def *d = settings_find(name);
    char key[80];
    xsirt_db_value p[1];
    xsirt_db_rows *rows = NULL;
    int rc;

    *out = NULL;
    if (d == NULL)
        return xsirt_error_set(err, XSIRT_EINTERNAL, "no setting %s", name);
    snprintf(key, sizeof key, "org.%s", name);
    p[0] = XSIRT_DB_TEXTV(key);
    if ((rc = xsirt_db_query(&rows, db, "SELECT value FROM settings WHERE key = ?", p, 1, err)) != 0)
        return rc;
    if (xsirt_db_rows_count(rows) > 0)
        *out = json_loads(xsirt_db_rows_text(rows, 0, 0), JSON_DECODE_ANY, NULL);
    xsirt_db_rows_free(rows);
    if (*out == NULL)
        *out = d->fallback != NULL ? d->fallback() : json_null();
    return 0;
}

/* Every setting as a reader sees it: secrets as {"set": bool}. */
static int settings_all(json_t **out, xsirt_db *db, xsirt_error *err)
{
    json_t *o = json_object();
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < SETTINGS_COUNT; i++) {
        json_t *v = NULL;
        if ((rc = xsirt_settings_value(&v, db, settings_defs[i].name, err)) != 0)
            break;
        if (settings_defs[i].secret) {
            bool set = !json_is_null(v);
            json_decref(v);
            v = json_pack("{s:b}", "set", set);
        }
        json_object_set_new(o, settings_defs[i].name, v);
    }
    if (rc != 0) {
        json_decref(o);
        o = NULL;
    }
    *out = o;
    return rc;
}

int xsirt_settings_get(json_t **out, xsirt_db *db, const xsirt_principal *by, xsirt_error *err)
{
    *out = NULL;
    if (!by->admin)
        return xsirt_error_set(err, XSIRT_EDENIED, "only administrators read the settings");
    return settings_all(out, db, err);
}

static int settings_store(xsirt_db *db, const char *name, const json_t *v, xsirt_error *err)
{
    char key[80], *text;
    xsirt_db_value p[2];
    int rc;

    snprintf(key, sizeof key, "org.%s", name);
    p[0] = XSIRT_DB_TEXTV(key);
    if (json_is_null(v))
        return xsirt_db_exec(db, "DELETE FROM settings WHERE key = ?", p, 1, NULL, err);
    text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (text == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    p[1] = XSIRT_DB_TEXTV(text);
    rc = xsirt_db_exec(db, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) "
                           "DO UPDATE SET value = excluded.value", p, 2, NULL, err);
    free(text);
    return rc;
}

int xsirt_settings_update(json_t **out, xsirt_db *db, const xsirt_principal *by,
                          const json_t *in, xsirt_error *err)
{
    json_t *before = NULL, *v;
    const char *key;
    int rc = 0;

    *out = NULL;
    if (!by->admin)
        return xsirt_error_set(err, XSIRT_EDENIED, "only administrators change the settings");
    json_object_foreach((json_t *)in, key, v) {
        const settings_def *d = settings_find(key);
        if (d == NULL)
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, key, "unknown setting %.64s", key);
        if (!json_is_null(v) && (rc = d->check(v, err)) != 0)
            return rc;
    }
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = settings_all(&before, db, err);
    json_object_foreach((json_t *)in, key, v) {
        if (rc == 0)
            rc = settings_store(db, key, v, err);
    }
    if (rc == 0)
        rc = settings_all(out, db, err);
    if (rc == 0)
        rc = xsirt_store_audit(db, by, "settings.update", "settings", 0, before, *out, err);
    json_decref(before);
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return xsirt_store_finish(db, rc, err);
}
