/*
 * portal.c — report intake, external parties with their portal links, the
 * coordination threads and security.txt (see portal.h).
 *
 * The portal side never reads case_events (the timeline with internal
 * notes): what a party sees is built only from case_messages of its own
 * thread and the shared one, and a few columns of the case row. That is
 * the whole of its isolation, so keep it that way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/buf.h"
#include "core/str.h"
#include "formats/mail.h"
#include "store/case.h"
#include "store/clock.h"
#include "store/json_input.h"
#include "store/metrics.h"
#include "store/party_mail.h"
#include "store/portal.h"
#include "store/settings.h"
#include "store/team.h"
#include "store/user.h"
#include "store/zone.h"
#include "xsirt/limits.h"

static const char *const portal_roles[] = {"reporter", "finder",      "supplier", "customer",
                                           "coordinator", "vendor", NULL};

/* ---- checking input ------------------------------------------------------ */

static const xsirt_field intake_fields[] = {
    {"title", XSIRT_FIELD_STRING, true, false, 500},
    {"description", XSIRT_FIELD_STRING, true, false, 200 * 1024},
    {"product", XSIRT_FIELD_STRING, false, true, 500},
    {"version", XSIRT_FIELD_STRING, false, true, 200},
    {"reporter", XSIRT_FIELD_OBJECT, false, true, 0},
    {"credit", XSIRT_FIELD_STRING, false, true, 500},
    {"disclosure_plans", XSIRT_FIELD_STRING, false, true, 4096},
    {"already_public", XSIRT_FIELD_BOOLEAN, false, false, 0},
    {"exploited", XSIRT_FIELD_BOOLEAN, false, false, 0},
    {"attachments", XSIRT_FIELD_ARRAY, false, false, XSIRT_LIMIT_INTAKE_ATTACHMENTS},
    {NULL, 0, false, false, 0},
};

static const xsirt_field reporter_fields[] = {
    {"name", XSIRT_FIELD_STRING, false, true, 200},
    {"email", XSIRT_FIELD_STRING, false, true, 320},
    {"organisation", XSIRT_FIELD_STRING, false, true, 200},
    {"language", XSIRT_FIELD_STRING, false, true, 8},
    {NULL, 0, false, false, 0},
};

static const xsirt_field attachment_fields[] = {
    {"name", XSIRT_FIELD_STRING, true, false, 255},
    {"content_type", XSIRT_FIELD_STRING, false, true, 127},
    {"data", XSIRT_FIELD_STRING, true, false, XSIRT_LIMIT_INTAKE_ATTACHMENT / 3 * 4 + 8},
    {NULL, 0, false, false, 0},
};

static bool portal_is_base64(int c)
{
    return xsirt_is_alnum(c) || c == '+' || c == '/';
}

/* Standard base64 with padding; *decoded gets the decoded size. */
static bool portal_base64_size(const char *s, size_t *decoded)
{
    size_t n = strlen(s), pad = 0;

    if (n % 4 != 0)
        return false;
    while (pad < 2 && pad < n && s[n - 1 - pad] == '=')
        pad++;
    for (size_t i = 0; i < n - pad; i++)
        if (!portal_is_base64((unsigned char)s[i]))
            return false;
    *decoded = n / 4 * 3 - pad;
    return true;
}

/* A mail address as a party gives it: one @, no spaces or line breaks (it
 * goes into mail headers). */
static int portal_check_email(const char *s, const char *field, xsirt_error *err)
{
    const char *at = s != NULL ? strchr(s, '@') : NULL;

    if (s == NULL)
        return 0;
    if (at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@') != NULL ||
        strpbrk(s, " \t\r\n<>,;\"") != NULL)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, field, "%s is not a mail address", field);
    return 0;
}

/* The languages mail to a party is written in (null: by its time zone). */
static int portal_check_language(const char *s, const char *field, xsirt_error *err)
{
    if (s == NULL || strcmp(s, "en") == 0 || strcmp(s, "ja") == 0)
        return 0;
    return xsirt_error_set_pointer(err, XSIRT_EINVAL, field, "%s is \"en\" or \"ja\"", field);
}

int xsirt_intake_check(const json_t *in, xsirt_error *err)
{
    const json_t *reporter = json_object_get(in, "reporter"), *files = json_object_get(in, "attachments");
    int rc;

    if (!json_is_object(in))
        return xsirt_error_set(err, XSIRT_EINVAL, "a report is a JSON object");
    if ((rc = xsirt_json_check(in, intake_fields, false, err)) != 0)
        return rc;
    if (json_is_object(reporter)) {
        if ((rc = xsirt_json_check(reporter, reporter_fields, false, err)) != 0) {
            xsirt_error_prefix(err, "reporter: ");
            return rc;
        }
        if ((rc = portal_check_language(xsirt_json_str(reporter, "language"), "reporter.language",
                                        err)) != 0 ||
            (rc = portal_check_email(xsirt_json_str(reporter, "email"), "reporter.email", err)) != 0)
            return rc;
    }
    for (size_t i = 0; i < json_array_size(files); i++) {
        const json_t *f = json_array_get(files, i);
        size_t size = 0;
        if (!json_is_object(f))
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, "attachments",
                                           "attachment %zu is not an object", i);
        if ((rc = xsirt_json_check(f, attachment_fields, false, err)) != 0) {
            if (rc == XSIRT_ELIMIT || strstr(err->message, "data") != NULL)
                return xsirt_error_set_pointer(err, XSIRT_ELIMIT, "attachments",
                                               "attachment %zu is larger than %u bytes", i,
                                               XSIRT_LIMIT_INTAKE_ATTACHMENT);
            xsirt_error_prefix(err, "attachment %zu: ", i);
            return rc;
        }
        if (!portal_base64_size(xsirt_json_str(f, "data"), &size))
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, "attachments",
                                           "attachment %zu: data is not base64", i);
        if (size > XSIRT_LIMIT_INTAKE_ATTACHMENT)
            return xsirt_error_set_pointer(err, XSIRT_ELIMIT, "attachments",
                                           "attachment %zu is larger than %u bytes", i,
                                           XSIRT_LIMIT_INTAKE_ATTACHMENT);
    }
    return 0;
}

/* ---- links --------------------------------------------------------------- */

/* A new portal link: the secret (shown once) and its hash and expiry. */
typedef struct portal_link {
    char secret[XSIRT_TOKEN_MAX];
    char hash[65];
    char expires[XSIRT_TIME_MAX];
    char mail_token[32];
} portal_link;

static void portal_link_new(portal_link *l)
{
    xsirt_random_token(l->secret, sizeof l->secret, 32);
    xsirt_secret_hash(l->hash, l->secret);
    xsirt_clock_format(l->expires, time(NULL) + (time_t)XSIRT_LIMIT_PORTAL_LINK_DAYS * 86400, 0);
    xsirt_random_token(l->mail_token, sizeof l->mail_token, 12);
}

/* public_url + path + secret, or the path alone without public_url. */
static json_t *portal_url(xsirt_db *db, const char *path, const char *secret)
{
    json_t *base = NULL, *url;

    if (xsirt_settings_value(&base, db, "public_url", NULL) != 0)
        base = NULL;
    url = json_sprintf("%s%s%s", json_is_string(base) ? json_string_value(base) : "", path, secret);
    json_decref(base);
    return url;
}

/* Inserts a party row; *id gets its id. */
static int portal_party_insert(int64_t *id, xsirt_db *db, int64_t case_id, const char *role,
                               const json_t *who, const char *zone, const portal_link *l,
                               xsirt_error *err)
{
    char now[XSIRT_TIME_MAX];
    xsirt_db_value p[11];
    xsirt_db_rows *rows = NULL;
    const char *name = xsirt_json_str(who, "name"), *org = xsirt_json_str(who, "organisation");
    int rc;

    json_t *org_zone = NULL;

    /* A party without a zone of its own lives in the organisation's. */
    if (zone == NULL && xsirt_settings_value(&org_zone, db, "time_zone", NULL) == 0)
        zone = json_string_value(org_zone);
    xsirt_clock_now(now);
    p[0] = XSIRT_DB_INTV(case_id);
    p[1] = XSIRT_DB_TEXTV(role);
    p[2] = XSIRT_DB_TEXTV(name != NULL ? name : "");
    p[3] = XSIRT_DB_TEXTV(xsirt_json_str(who, "email"));
    p[4] = XSIRT_DB_TEXTV(org != NULL ? org : "");
    p[5] = XSIRT_DB_TEXTV(zone != NULL ? zone : "UTC");
    p[6] = XSIRT_DB_TEXTV(l->hash);
    p[7] = XSIRT_DB_TEXTV(l->expires);
    p[8] = XSIRT_DB_TEXTV(l->mail_token);
    p[9] = XSIRT_DB_TEXTV(now);
    p[10] = XSIRT_DB_TEXTV(xsirt_json_str(who, "language"));
    rc = xsirt_db_query(&rows, db,
                        "INSERT INTO case_parties (case_id, role, name, email, organisation, time_zone, "
                        "link_hash, link_expires_at, mail_token, created_at, language) VALUES "
                        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", p, 11, err);
    if (rc == 0)
        *id = xsirt_db_rows_int(rows, 0, 0);
    xsirt_db_rows_free(rows);
    json_decref(org_zone);
    return rc;
}

static int portal_message_insert(json_t **out, xsirt_db *db, int64_t case_id, int64_t party,
                                 const char *direction, int64_t author, const char *body,
                                 const char *raw, enum xsirt_raw_kind kind, xsirt_error *err)
{
    static const char *const ints[] = {"id", "case", "party", "author", NULL};
    char now[XSIRT_TIME_MAX];
    xsirt_db_value p[9];
    xsirt_db_rows *rows = NULL;
    int rc;

    xsirt_clock_now(now);
    p[0] = XSIRT_DB_INTV(case_id);
    p[1] = party != 0 ? XSIRT_DB_INTV(party) : XSIRT_DB_NULLV;
    p[2] = XSIRT_DB_TEXTV(direction);
    p[3] = author != 0 ? XSIRT_DB_INTV(author) : XSIRT_DB_NULLV;
    p[4] = XSIRT_DB_TEXTV(body);
    p[5] = XSIRT_DB_INTV(kind == XSIRT_RAW_ENCRYPTED ? 1 : 0);
    p[6] = XSIRT_DB_TEXTV(raw);
    p[7] = XSIRT_DB_INTV(kind == XSIRT_RAW_UNREADABLE ? 1 : 0);
    p[8] = XSIRT_DB_TEXTV(now);
    rc = xsirt_db_query(&rows, db,
                        "INSERT INTO case_messages (case_id, party_id, direction, author_id, body, "
                        "encrypted, raw, unreadable, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        "RETURNING id, case_id AS \"case\", party_id AS party, direction, "
                        "author_id AS author, body, encrypted, unreadable, created_at AS created",
                        p, 9, err);
    if (rc == 0 && out != NULL) {
        *out = xsirt_store_row_json(rows, 0, ints);
        json_object_set_new(*out, "encrypted", json_boolean(kind == XSIRT_RAW_ENCRYPTED));
        json_object_set_new(*out, "unreadable", json_boolean(kind == XSIRT_RAW_UNREADABLE));
    }
    xsirt_db_rows_free(rows);
    return rc;
}

/* ---- intake -------------------------------------------------------------- */

/* The case's description: the report's text, then its facts. */
static char *intake_description(const json_t *in)
{
    const json_t *r = json_object_get(in, "reporter"), *files = json_object_get(in, "attachments");
    xsirt_buf b;

    xsirt_buf_init(&b, 256 * 1024);
    xsirt_buf_puts(&b, xsirt_json_str(in, "description"));
    xsirt_buf_puts(&b, "\n\n-- report --");
    if (xsirt_json_str(in, "product") != NULL)
        xsirt_buf_printf(&b, "\nProduct: %s", xsirt_json_str(in, "product"));
    if (xsirt_json_str(in, "version") != NULL)
        xsirt_buf_printf(&b, "\nVersion: %s", xsirt_json_str(in, "version"));
    if (json_is_object(r))
        xsirt_buf_printf(&b, "\nReporter: %s <%s> (%s)",
                         xsirt_json_str(r, "name") ? xsirt_json_str(r, "name") : "",
                         xsirt_json_str(r, "email") ? xsirt_json_str(r, "email") : "",
                         xsirt_json_str(r, "organisation") ? xsirt_json_str(r, "organisation") : "");
    xsirt_buf_printf(&b, "\nCredit: %s", xsirt_json_str(in, "credit") ? xsirt_json_str(in, "credit")
                                                                      : "(none asked)");
    xsirt_buf_printf(&b, "\nAlready public: %s\nExploited: %s",
                     json_is_true(json_object_get(in, "already_public")) ? "yes" : "no",
                     json_is_true(json_object_get(in, "exploited")) ? "yes" : "no");
    if (xsirt_json_str(in, "disclosure_plans") != NULL)
        xsirt_buf_printf(&b, "\nDisclosure plans: %s", xsirt_json_str(in, "disclosure_plans"));
    for (size_t i = 0; i < json_array_size(files); i++)
        xsirt_buf_printf(&b, "\nAttachment: %s", xsirt_json_str(json_array_get(files, i), "name"));
    return xsirt_buf_detach(&b);
}

/* The intake team; XSIRT_EUNSUPPORTED with pointer "intake_team" when
 * none is set (the API answers 503: the server, not the report, is wrong). */
static int intake_team(int64_t *team, xsirt_db *db, xsirt_error *err)
{
    json_t *v = NULL;
    int rc = xsirt_settings_value(&v, db, "intake_team", err);

    *team = rc == 0 && json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
    json_decref(v);
    if (rc == 0 && *team == 0)
        rc = xsirt_error_set_pointer(err, XSIRT_EUNSUPPORTED, "intake_team",
                                     "this server takes no reports yet (no intake_team in the "
                                     "settings)");
    return rc;
}

int xsirt_intake_create(json_t **out, xsirt_db *db, const json_t *in, const char *channel,
                        const char *raw, enum xsirt_raw_kind kind, xsirt_error *err)
{
    const char *ciphertext = kind == XSIRT_RAW_ENCRYPTED ? raw : NULL;
    xsirt_principal sys;
    portal_link link;
    char receipt[32], token[24];
    json_t *c = NULL, *spec, *report;
    char *desc;
    int64_t team, case_id, party = 0;
    int rc;

    *out = NULL;
    if (in != NULL && (rc = xsirt_intake_check(in, err)) != 0)
        return rc;
    if ((rc = intake_team(&team, db, err)) != 0)
        return rc;
    xsirt_principal_system(&sys);
    xsirt_strlcpy(sys.username, "intake", sizeof sys.username);
    xsirt_random_token(token, sizeof token, 9);
    snprintf(receipt, sizeof receipt, "XR-%s", token);
    desc = in != NULL ? intake_description(in)
           : strdup(kind == XSIRT_RAW_ENCRYPTED
                        ? "An OpenPGP-encrypted report that this server could not decrypt: the "
                          "ciphertext is kept on the case's thread."
                        : "A message that could not be read as mail: it is kept whole on the "
                          "case's thread.");
    if (desc == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    spec = json_pack("{s:s, s:s, s:s, s:I, s:s, s:[s]}", "title",
                     in != NULL ? xsirt_json_str(in, "title")
                     : kind == XSIRT_RAW_ENCRYPTED ? "Encrypted vulnerability report"
                                                   : "Unreadable message",
                     "description", desc, "kind", "vulnerability", "team", (json_int_t)team, "tlp",
                     "AMBER", "labels", "intake");
    rc = spec != NULL ? xsirt_case_create(&c, db, &sys, spec, err)
                      : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    json_decref(spec);
    if (rc != 0) {
        free(desc);
        if (err->code == XSIRT_EINVAL && strcmp(err->pointer, "team") == 0)   /* the team is gone */
            return xsirt_error_set_pointer(err, XSIRT_EUNSUPPORTED, "intake_team",
                                           "the intake team does not exist");
        return rc;
    }
    case_id = (int64_t)json_integer_value(json_object_get(c, "id"));
    json_decref(c);
    portal_link_new(&link);
    report = in != NULL ? json_deep_copy(in) : json_object();
    if ((rc = xsirt_db_begin(db, err)) != 0) {
        free(desc);
        json_decref(report);
        return rc;
    }
    rc = portal_party_insert(&party, db, case_id, "reporter",
                             in != NULL ? json_object_get(in, "reporter") : NULL, NULL, &link, err);
    if (rc == 0) {
        char *text = json_dumps(report, JSON_COMPACT);
        char now[XSIRT_TIME_MAX];
        xsirt_db_value p[6];
        xsirt_clock_now(now);
        p[0] = XSIRT_DB_INTV(case_id);
        p[1] = XSIRT_DB_TEXTV(receipt);
        p[2] = XSIRT_DB_TEXTV(channel);
        p[3] = XSIRT_DB_TEXTV(text != NULL ? text : "{}");
        p[4] = XSIRT_DB_TEXTV(ciphertext);
        p[5] = XSIRT_DB_TEXTV(now);
        rc = xsirt_db_exec(db, "INSERT INTO intake_reports (case_id, receipt, channel, report, "
                               "ciphertext, created_at) VALUES (?, ?, ?, ?, ?, ?)", p, 6, NULL, err);
        free(text);
    }
    if (rc == 0)
        rc = portal_message_insert(NULL, db, case_id, party, "in", 0,
                                   in != NULL ? xsirt_json_str(in, "description") : desc, raw, kind,
                                   err);
    if (rc == 0) {
        json_t *after = json_pack("{s:s, s:I, s:s, s:b}", "receipt", receipt, "case",
                                  (json_int_t)case_id, "channel", channel, "encrypted",
                                  ciphertext != NULL);
        rc = xsirt_store_audit(db, &sys, "intake.create", "intake", case_id, NULL, after, err);
        json_decref(after);
    }
    free(desc);
    json_decref(report);
    if (rc == 0)
        *out = json_pack("{s:s, s:o, s:I}", "receipt", receipt, "status_url",
                         portal_url(db, "/api/v1/intake/", link.secret), "case", (json_int_t)case_id);
    return xsirt_store_finish(db, rc, err);
}

/* ---- the embargo as a party sees it -------------------------------------- */

/* The embargo instant utc (as stored: RFC 3339 UTC) as a party in zone
 * sees it: {"at","utc" (the same instant; the older name),"zone","local"
 * (in zone, with the offset that holds there then),"agreed":{"zone",
 * "local"} (the zone it was agreed in)}; JSON null without an embargo. A
 * zone the tz database no longer knows shows "local": null. */
static json_t *portal_embargo(const char *utc, const char *agreed, const char *zone)
{
    char local[XSIRT_ZONE_TIME_MAX], at_agreed[XSIRT_ZONE_TIME_MAX];
    time_t t;

    if (utc == NULL || xsirt_clock_parse(&t, utc) != 0)
        return json_null();
    agreed = agreed != NULL ? agreed : "UTC";
    zone = zone != NULL ? zone : agreed;
    return json_pack("{s:s, s:s, s:s, s:o, s:{s:s, s:o}}", "at", utc, "utc", utc, "zone", zone,
                     "local", xsirt_zone_format(local, sizeof local, t, zone, NULL) == 0
                                  ? json_string(local) : json_null(),
                     "agreed", "zone", agreed, "local",
                     xsirt_zone_format(at_agreed, sizeof at_agreed, t, agreed, NULL) == 0
                         ? json_string(at_agreed) : json_null());
}

/* ---- the portal ---------------------------------------------------------- */

static json_t *portal_statement_rows(xsirt_db *db, const char *where, const xsirt_db_value *p,
                                     size_t np, xsirt_error *err);

/* Who speaks through the portal: the holder of a link, or an external
 * account (user kind external) about one of the parties linked to it. */
typedef struct portal_who {
    const char *link;                  /* a link's secret, or NULL */
    const xsirt_principal *account;    /* else the account ... */
    int64_t party;                     /* ... and the party it names */
} portal_who;

static int portal_party(int64_t *party, int64_t *case_id, xsirt_db *db, const char *link,
                        xsirt_error *err);

/* The party and case of who; XSIRT_ENOTFOUND for a party that is not the
 * account's (the same answer as for one that does not exist). */
static int portal_resolve(int64_t *party, int64_t *case_id, xsirt_db *db, const portal_who *who,
                          xsirt_error *err)
{
    xsirt_db_value p[2];
    xsirt_db_rows *rows = NULL;
    int rc;

    if (who->link != NULL)
        return portal_party(party, case_id, db, who->link, err);
    p[0] = XSIRT_DB_INTV(who->party);
    p[1] = XSIRT_DB_INTV(who->account->user_id);
    if ((rc = xsirt_db_query(&rows, db, "SELECT id, case_id FROM case_parties WHERE id = ? AND "
                                        "user_id = ?", p, 2, err)) != 0)
        return rc;
    if (xsirt_db_rows_count(rows) == 0 || who->account->user_id == 0)
        rc = xsirt_error_set(err, XSIRT_ENOTFOUND, "no party %lld of yours", (long long)who->party);
    else {
        *party = xsirt_db_rows_int(rows, 0, 0);
        *case_id = xsirt_db_rows_int(rows, 0, 1);
    }
    xsirt_db_rows_free(rows);
    return rc;
}

/* Whom the audit log names for what who does: the account, or "portal". */
static void portal_actor(xsirt_principal *out, const portal_who *who)
{
    if (who->account != NULL) {
        *out = *who->account;
        return;
    }
    xsirt_principal_system(out);
    xsirt_strlcpy(out->username, "portal", sizeof out->username);
}

/* The party a link names: its id and case; XSIRT_ENOTFOUND when unknown or
 * expired (the same answer, so a probe learns nothing). */
static int portal_party(int64_t *party, int64_t *case_id, xsirt_db *db, const char *link,
                        xsirt_error *err)
{
    char hash[65], now[XSIRT_TIME_MAX];
    xsirt_db_value p[2];
    xsirt_db_rows *rows = NULL;
    int rc;

    xsirt_secret_hash(hash, link);
    xsirt_clock_now(now);
    p[0] = XSIRT_DB_TEXTV(hash);
    p[1] = XSIRT_DB_TEXTV(now);
    if ((rc = xsirt_db_query(&rows, db, "SELECT id, case_id FROM case_parties WHERE link_hash = ? "
                                        "AND link_expires_at > ?", p, 2, err)) != 0)
        return rc;
    if (xsirt_db_rows_count(rows) == 0)
        rc = xsirt_error_set(err, XSIRT_ENOTFOUND, "no such link, or it has expired");
    else {
        *party = xsirt_db_rows_int(rows, 0, 0);
        *case_id = xsirt_db_rows_int(rows, 0, 1);
    }
    xsirt_db_rows_free(rows);
    return rc;
}

/* The messages of the party's thread and the shared thread, oldest first,
 * the newest XSIRT_LIMIT_PAGE_MAX at most; authors are "you" or "team". */
static json_t *portal_thread(xsirt_db *db, int64_t case_id, int64_t party, xsirt_error *err)
{
    static const char *const ints[] = {"id", NULL};
    xsirt_db_value p[3] = {XSIRT_DB_INTV(case_id), XSIRT_DB_INTV(party), XSIRT_DB_INTV(200)};
    xsirt_db_rows *rows = NULL;
    json_t *a;

    if (xsirt_db_query(&rows, db,
                       "SELECT id, CASE WHEN party_id IS NULL THEN 'shared' ELSE 'private' END AS thread, "
                       "CASE WHEN direction = 'in' AND party_id IS NOT NULL THEN 'you' ELSE 'team' END "
                       "AS author, body, created_at AS created FROM (SELECT * FROM case_messages "
                       "WHERE case_id = ? AND (party_id IS NULL OR party_id = ?) ORDER BY id DESC "
                       "LIMIT ?) m ORDER BY id", p, 3, err) != 0)
        return NULL;
    a = json_array();
    for (size_t i = 0; i < xsirt_db_rows_count(rows); i++)
        json_array_append_new(a, xsirt_store_row_json(rows, i, ints));
    xsirt_db_rows_free(rows);
    return a;
}

static int portal_view(json_t **out, xsirt_db *db, const portal_who *who, xsirt_error *err)
{
    xsirt_db_value p[2];
    xsirt_db_rows *rows = NULL;
    int64_t party = 0, case_id = 0;
    json_t *o, *thread;
    int rc;

    *out = NULL;
    if ((rc = portal_resolve(&party, &case_id, db, who, err)) != 0)
        return rc;
    p[0] = XSIRT_DB_INTV(party);
    p[1] = XSIRT_DB_INTV(case_id);
    if ((rc = xsirt_db_query(&rows, db,
                             "SELECT c.title, c.state, c.embargo, c.embargo_zone, c.created_at, "
                             "c.updated_at, p.role, p.name, p.time_zone, p.link_expires_at, "
                             "(SELECT receipt FROM intake_reports r WHERE r.case_id = c.id AND "
                             "p.role = 'reporter' ORDER BY r.id LIMIT 1) FROM case_parties p "
                             "JOIN cases c ON c.id = p.case_id WHERE p.id = ? AND c.id = ?",
                             p, 2, err)) != 0)
        return rc;
    if (xsirt_db_rows_count(rows) == 0) {
        xsirt_db_rows_free(rows);
        return xsirt_error_set(err, XSIRT_ENOTFOUND, "no such link, or it has expired");
    }
#define COL(i) (xsirt_db_rows_null(rows, 0, (i)) ? json_null() : json_string(xsirt_db_rows_text(rows, 0, (i))))
    o = json_pack("{s:o, s:{s:o, s:o, s:o, s:o}, s:{s:I, s:o, s:o, s:o, s:o}, s:o}",
                  "receipt", COL(10),
                  "case", "title", COL(0), "state", COL(1), "created", COL(4), "updated", COL(5),
                  "party", "id", (json_int_t)party, "role", COL(6), "name", COL(7), "time_zone", COL(8),
                  "link_expires", COL(9),
                  "embargo", portal_embargo(xsirt_db_rows_null(rows, 0, 2) ? NULL : xsirt_db_rows_text(rows, 0, 2),
                                            xsirt_db_rows_null(rows, 0, 3) ? NULL : xsirt_db_rows_text(rows, 0, 3),
                                            xsirt_db_rows_text(rows, 0, 8)));
#undef COL
    xsirt_db_rows_free(rows);
    if ((thread = portal_thread(db, case_id, party, err)) == NULL) {
        json_decref(o);
        return err->code != 0 ? err->code : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    json_object_set_new(o, "messages", thread);
    p[0] = XSIRT_DB_INTV(party);
    if ((thread = portal_statement_rows(db, "s.party_id = ?", p, 1, err)) == NULL) {
        json_decref(o);
        return err->code != 0 ? err->code : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    json_object_set_new(o, "statements", thread);
    *out = o;
    return o != NULL ? 0 : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
}

int xsirt_portal_view(json_t **out, xsirt_db *db, const char *link, xsirt_error *err)
{
    portal_who who = {link, NULL, 0};

    return portal_view(out, db, &who, err);
}

int xsirt_portal_account_view(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t party,
                              xsirt_error *err)
{
    portal_who who = {NULL, by, party};

    return portal_view(out, db, &who, err);
}

int xsirt_portal_account_list(json_t **out, xsirt_db *db, const xsirt_principal *by,
                              xsirt_error *err)
{
    xsirt_db_value p[2] = {XSIRT_DB_INTV(by->user_id), XSIRT_DB_INTV(XSIRT_LIMIT_PORTAL_ACCOUNT_PARTIES)};
    xsirt_db_rows *rows = NULL;
    json_t *items;
    int rc;

    *out = NULL;
    /* Newest first: the parties of the account, each its whole view. */
    if ((rc = xsirt_db_query(&rows, db, "SELECT id FROM case_parties WHERE user_id = ? ORDER BY id DESC "
                                        "LIMIT ?", p, 2, err)) != 0)
        return rc;
    items = json_array();
    for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(rows); i++) {
        json_t *view = NULL;
        if ((rc = xsirt_portal_account_view(&view, db, by, xsirt_db_rows_int(rows, i, 0), err)) == 0)
            json_array_append_new(items, view);
    }
    xsirt_db_rows_free(rows);
    if (rc == 0 && (*out = json_pack("{s:o}", "items", items)) == NULL)
        rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    else if (rc != 0)
        json_decref(items);
    return rc;
}

static const xsirt_field message_fields[] = {
    {"body", XSIRT_FIELD_STRING, true, false, XSIRT_LIMIT_MESSAGE_BODY},
    {"party", XSIRT_FIELD_INTEGER, false, true, 0},
    {NULL, 0, false, false, 0},
};

static int portal_check_body(const json_t *in, bool team, xsirt_error *err)
{
    static const xsirt_field fields[] = {
        {"body", XSIRT_FIELD_STRING, true, false, XSIRT_LIMIT_MESSAGE_BODY},
        {NULL, 0, false, false, 0},
    };
    int rc;

    if (!json_is_object(in))
        return xsirt_error_set(err, XSIRT_EINVAL, "a message is a JSON object {\"body\"}");
    if ((rc = xsirt_json_check(in, team ? message_fields : fields, false, err)) != 0)
        return rc;
    if (xsirt_json_str(in, "body")[strspn(xsirt_json_str(in, "body"), " \t\r\n")] == '\0')
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "body", "the message is empty");
    return 0;
}

static int portal_post(json_t **out, xsirt_db *db, const portal_who *who, const json_t *in,
                       xsirt_error *err)
{
    xsirt_principal actor;
    int64_t party = 0, case_id = 0;
    int rc;

    *out = NULL;
    if ((rc = portal_check_body(in, false, err)) != 0)
        return rc;
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = portal_resolve(&party, &case_id, db, who, err);
    portal_actor(&actor, who);
    if (rc == 0)
        rc = portal_message_insert(out, db, case_id, party, "in", actor.user_id, xsirt_json_str(in, "body"),
                                   NULL, XSIRT_RAW_NONE, err);
    if (rc == 0)
        rc = xsirt_store_audit(db, &actor, "case_message.create", "case_message",
                               (int64_t)json_integer_value(json_object_get(*out, "id")), NULL, *out, err);
    if (rc == 0) {   /* the party sees its own words, not the team's bookkeeping */
        json_object_del(*out, "case");
        json_object_del(*out, "party");
        json_object_del(*out, "author");
    } else {
        json_decref(*out);
        *out = NULL;
    }
    return xsirt_store_finish(db, rc, err);
}

int xsirt_portal_post(json_t **out, xsirt_db *db, const char *link, const json_t *in,
                      xsirt_error *err)
{
    portal_who who = {link, NULL, 0};

    return portal_post(out, db, &who, in, err);
}

int xsirt_portal_account_post(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t party,
                              const json_t *in, xsirt_error *err)
{
    portal_who who = {NULL, by, party};

    return portal_post(out, db, &who, in, err);
}

/* ---- the team's side ----------------------------------------------------- */

/* The team's side of a case: what xsirt_case_check_access allows, and
 * never to accounts of external organisations, who may see the case but
 * not every party's thread and statements (their view is the portal's). */
static int portal_team_access(xsirt_db *db, const xsirt_principal *by, int64_t id, bool write,
                              xsirt_error *err)
{
    int rc = xsirt_case_check_access(db, by, id, false, err);

    if (rc == 0 && by->organisation_id != 0 && !by->admin)
        return xsirt_error_set(err, XSIRT_EDENIED, "the coordination threads and parties of a case are "
                                                   "for the organisation's own people; an outside "
                                                   "party follows the case through its portal link");
    return rc == 0 && write ? xsirt_case_check_access(db, by, id, true, err) : rc;
}

/* One report of the intake queue, or NULL (and 0) when by may not see its
 * case or its coordination. */
static int intake_item(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                       xsirt_error *err)
{
    static const char *const ints[] = {"id", "case", NULL};
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    xsirt_db_rows *rows = NULL;
    xsirt_error hidden;
    json_t *who;
    int rc;

    *out = NULL;
    if ((rc = xsirt_db_query(&rows, db,
                             "SELECT r.id, r.receipt, r.channel, r.created_at AS received, "
                             "r.case_id AS \"case\", c.title, c.state, c.tlp, p.name, p.email, "
                             "p.organisation, p.language FROM intake_reports r JOIN cases c ON c.id = r.case_id "
                             "LEFT JOIN case_parties p ON p.id = (SELECT MIN(q.id) FROM case_parties q "
                             "WHERE q.case_id = r.case_id AND q.role = 'reporter') WHERE r.id = ?",
                             p, 1, err)) != 0)
        return rc;
    if (xsirt_db_rows_count(rows) == 1 &&
        portal_team_access(db, by, xsirt_db_rows_int(rows, 0, 4), false, &hidden) == 0) {
        *out = xsirt_store_row_json(rows, 0, ints);
        who = xsirt_db_rows_null(rows, 0, 8)
                  ? json_null()
                  : json_pack("{s:O, s:O, s:O, s:O}", "name", json_object_get(*out, "name"), "email",
                              json_object_get(*out, "email"), "organisation",
                              json_object_get(*out, "organisation"), "language",
                              json_object_get(*out, "language"));
        json_object_del(*out, "name");
        json_object_del(*out, "email");
        json_object_del(*out, "organisation");
        json_object_del(*out, "language");
        json_object_set_new(*out, "reporter", who);
    }
    xsirt_db_rows_free(rows);
    return 0;
}

int xsirt_intake_list(json_t **out, xsirt_db *db, const xsirt_principal *by,
                      const xsirt_page *pg, xsirt_error *err)
{
    int limit = xsirt_page_limit(pg);
    xsirt_db_value p[2] = {XSIRT_DB_INTV(pg->cursor > 0 ? pg->cursor : INT64_MAX),
                           XSIRT_DB_INTV(limit + 1)};
    xsirt_db_rows *rows = NULL;
    xsirt_pager pager;
    size_t n;
    int rc;

    *out = NULL;
    if ((rc = xsirt_db_query(&rows, db, "SELECT id FROM intake_reports WHERE case_id IS NOT NULL "
                                        "AND id < ? ORDER BY id DESC LIMIT ?", p, 2, err)) != 0)
        return rc;
    n = xsirt_db_rows_count(rows);
    xsirt_pager_init(&pager);
    /* Reports of cases the caller may not see are passed over, not counted
     * against the page (the cursor still moves past them). */
    for (size_t i = 0; rc == 0 && i < n && i < (size_t)limit; i++) {
        json_t *item = NULL;
        int64_t id = xsirt_db_rows_int(rows, i, 0);
        if ((rc = intake_item(&item, db, by, id, err)) != 0)
            break;
        if (item == NULL)
            xsirt_pager_skip(&pager, id);
        else if (!xsirt_pager_add(&pager, item, id))
            break;
    }
    xsirt_db_rows_free(rows);
    *out = xsirt_pager_finish(&pager, n > (size_t)limit);
    if (rc == 0 && *out == NULL)
        rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

/* mail_tag: what the team puts in the subject of mail to the party, so
 * that the replies come back to its thread (xsirt mail deliver). */
#define PARTY_COLUMNS                                                                       \
    "id, case_id AS \"case\", role, name, email, organisation, time_zone, language, "          \
    "user_id AS account, "                                                                  \
    "'[XSIRT#' || case_id || ':' || mail_token || ']' AS mail_tag, openpgp_key, "           \
    "link_expires_at AS link_expires, created_at AS created"

/* Each party of the list gets "embargo": the case's embargo in its zone. */
static int portal_party_embargoes(json_t *items, xsirt_db *db, int64_t case_id, xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(case_id)};
    xsirt_db_rows *rows = NULL;
    json_t *x;
    size_t i;
    int rc = xsirt_db_query(&rows, db, "SELECT embargo, embargo_zone FROM cases WHERE id = ?", p, 1, err);

    if (rc != 0)
        return rc;
    json_array_foreach(items, i, x) {
        bool none = xsirt_db_rows_count(rows) == 0 || xsirt_db_rows_null(rows, 0, 0);
        json_object_set_new(x, "embargo",
                            none ? json_null()
                                 : portal_embargo(xsirt_db_rows_text(rows, 0, 0),
                                                  xsirt_db_rows_null(rows, 0, 1) ? NULL
                                                                                 : xsirt_db_rows_text(rows, 0, 1),
                                                  xsirt_json_str(x, "time_zone")));
    }
    xsirt_db_rows_free(rows);
    return 0;
}

int xsirt_case_parties(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                       const xsirt_page *pg, xsirt_error *err)
{
    static const char *const ints[] = {"id", "case", "account", NULL};
    xsirt_db_value key[1] = {XSIRT_DB_INTV(id)};
    static const char sql[] =
        "SELECT " PARTY_COLUMNS " FROM case_parties WHERE case_id = ? AND id > ? ORDER BY id LIMIT ?";
    int rc;

    *out = NULL;
    if ((rc = portal_team_access(db, by, id, false, err)) != 0)
        return rc;
    if ((rc = xsirt_store_list_page(out, db, sql, key, 1, ints, NULL, pg, err)) == 0)
        rc = portal_party_embargoes(json_object_get(*out, "items"), db, id, err);
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

/* ---- accounts of kind external ------------------------------------------ */

/* Giving a party an account opens a login into the organisation's server:
 * a lead's decision (of the case's team or a team above it), or an
 * administrator's; a member may invite by link only. */
static int portal_may_give_account(xsirt_db *db, const xsirt_principal *by, int64_t case_id,
                                   xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(case_id)};
    char role[16];
    int64_t team = 0;
    int rc;

    if (by->admin)
        return 0;
    if ((rc = xsirt_db_query_int(&team, db, "SELECT team_id FROM cases WHERE id = ?", p, 1, err)) != 0 ||
        (rc = xsirt_team_role(role, sizeof role, db, team, by->user_id, err)) != 0)
        return rc;
    return strcmp(role, "lead") == 0
               ? 0
               : xsirt_error_set_pointer(err, XSIRT_EDENIED, "account",
                                         "only leads of the case's team and administrators give a "
                                         "party an account; invite it by link");
}

/* The username of a party's account: the one given, else made from its
 * email ("Aiko@Lab.example.jp" -> "aiko.lab.example.jp"). */
static int portal_account_name(char *out, size_t size, const json_t *in, xsirt_error *err)
{
    const json_t *account = json_object_get(in, "account");
    const char *given = xsirt_json_str(account, "username"), *email = xsirt_json_str(in, "email");
    size_t n = 0;

    if (given != NULL) {
        xsirt_strlcpy(out, given, size);
        return 0;
    }
    if (email == NULL)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "account",
                                       "an account needs a username, or the party's email to make "
                                       "one from");
    for (; email[n] != '\0' && n + 1 < size; n++) {
        int c = (unsigned char)email[n];
        out[n] = xsirt_is_alnum(c) || c == '.' || c == '_' || c == '-' ? (char)xsirt_ascii_lower(c) : '.';
    }
    out[n] = '\0';
    return 0;
}

/* The account of a party: the external account of that name when there is
 * one (the same person invited to another case), else a new one with a
 * random password, written into password (shown once; "" for an existing
 * account). Made in its own transaction, before the party's. */
static int portal_account(int64_t *user, char *password, size_t pwsize, xsirt_db *db,
                          const xsirt_principal *by, const json_t *in, xsirt_error *err)
{
    char name[XSIRT_USERNAME_MAX + 1];
    xsirt_db_value p[1];
    xsirt_db_rows *rows = NULL;
    xsirt_user_new u;
    int rc;

    password[0] = '\0';
    if ((rc = portal_account_name(name, sizeof name, in, err)) != 0)
        return rc;
    p[0] = XSIRT_DB_TEXTV(name);
    if ((rc = xsirt_db_query(&rows, db, "SELECT id, kind FROM users WHERE username = ?", p, 1, err)) != 0)
        return rc;
    if (xsirt_db_rows_count(rows) > 0) {
        bool external = strcmp(xsirt_db_rows_text(rows, 0, 1), "external") == 0;
        *user = xsirt_db_rows_int(rows, 0, 0);
        xsirt_db_rows_free(rows);
        return external ? 0
                        : xsirt_error_set_pointer(err, XSIRT_EINVAL, "account",
                                                  "username %s is one of the organisation's own "
                                                  "accounts, not a party's", name);
    }
    xsirt_db_rows_free(rows);
    xsirt_random_token(password, pwsize, 18);
    u = (xsirt_user_new){name, xsirt_json_str(in, "name"), xsirt_json_str(in, "email"), password,
                         "user", 0, "external"};
    if ((rc = xsirt_user_create(user, db, by, &u, err)) != 0) {
        password[0] = '\0';
        if (err->pointer[0] != '\0' && strcmp(err->pointer, "username") == 0)
            xsirt_error_prefix(err, "account: ");
    }
    return rc;
}

int xsirt_case_add_party(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                         const json_t *in, xsirt_error *err)
{
    static const xsirt_field fields[] = {
        {"role", XSIRT_FIELD_STRING, true, false, 16},
        {"name", XSIRT_FIELD_STRING, true, false, 200},
        {"email", XSIRT_FIELD_STRING, false, true, 320},
        {"organisation", XSIRT_FIELD_STRING, false, true, 200},
        {"time_zone", XSIRT_FIELD_STRING, false, true, 64},
        {"language", XSIRT_FIELD_STRING, false, true, 8},
        {"openpgp_key", XSIRT_FIELD_STRING, false, true, XSIRT_LIMIT_PARTY_KEY},
        {NULL, 0, false, false, 0},
    };
    static const char *const ints[] = {"id", "case", "account", NULL};
    const json_t *account = json_object_get(in, "account");
    portal_link link;
    xsirt_db_value p[2];
    xsirt_db_rows *rows = NULL;
    int64_t party = 0, user = 0;
    char password[XSIRT_TOKEN_MAX] = "";
    json_t *rest;
    int rc;

    *out = NULL;
    if (!json_is_object(in))
        return xsirt_error_set(err, XSIRT_EINVAL, "a party is a JSON object");
    /* account: true, or {"username"} (the only field that is not one type). */
    if (account != NULL && !json_is_true(account) && !json_is_false(account) &&
        !(json_is_object(account) && json_object_size(account) == 1 &&
          xsirt_json_str(account, "username") != NULL))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "account",
                                       "account is true or {\"username\"}");
    rest = json_copy((json_t *)in);
    json_object_del(rest, "account");
    rc = rest != NULL ? xsirt_json_check(rest, fields, false, err)
                      : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    json_decref(rest);
    if (rc != 0 ||
        (rc = xsirt_json_enum(xsirt_json_str(in, "role"), portal_roles, "role", err)) != 0 ||
        (rc = portal_check_email(xsirt_json_str(in, "email"), "email", err)) != 0 ||
        (rc = portal_check_language(xsirt_json_str(in, "language"), "language", err)) != 0 ||
        (xsirt_json_str(in, "time_zone") != NULL &&
         (rc = xsirt_zone_check(xsirt_json_str(in, "time_zone"), "time_zone", err)) != 0) ||
        (rc = xsirt_party_check_key(xsirt_json_str(in, "openpgp_key"), err)) != 0)
        return rc;
    if (json_is_true(account) || json_is_object(account)) {
        if ((rc = portal_team_access(db, by, id, true, err)) != 0 ||
            (rc = portal_may_give_account(db, by, id, err)) != 0 ||
            (rc = portal_account(&user, password, sizeof password, db, by, in, err)) != 0)
            return rc;
    }
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = portal_team_access(db, by, id, true, err);
    portal_link_new(&link);
    if (rc == 0)
        rc = portal_party_insert(&party, db, id, xsirt_json_str(in, "role"), in,
                                 xsirt_json_str(in, "time_zone"), &link, err);
    p[0] = XSIRT_DB_INTV(user);
    p[1] = XSIRT_DB_INTV(party);
    if (rc == 0 && user != 0)
        rc = xsirt_db_exec(db, "UPDATE case_parties SET user_id = ? WHERE id = ?", p, 2, NULL, err);
    if (rc == 0 && xsirt_json_str(in, "openpgp_key") != NULL)
        rc = xsirt_party_store_key(db, party, id, xsirt_json_str(in, "openpgp_key"), err);
    if (rc == 0 && (rc = xsirt_db_query(&rows, db, "SELECT " PARTY_COLUMNS " FROM case_parties WHERE id = ?",
                                        p + 1, 1, err)) == 0) {
        *out = xsirt_store_row_json(rows, 0, ints);
        rc = xsirt_store_audit(db, by, "case_party.create", "case_party", party, NULL, *out, err);
    }
    xsirt_db_rows_free(rows);
    if (rc == 0) {
        json_object_set_new(*out, "portal_url", portal_url(db, "/api/v1/intake/", link.secret));
        if (user != 0) {
            json_t *a = NULL;
            xsirt_principal sys;
            xsirt_principal_system(&sys);   /* the account as its creator reads it */
            if (xsirt_user_get(&a, db, &sys, user, NULL) != 0 || a == NULL)
                a = json_pack("{s:I}", "id", (json_int_t)user);
            json_object_set_new(*out, "account",
                                json_pack("{s:I, s:O, s:o}", "id", (json_int_t)user, "username",
                                          json_object_get(a, "username"),
                                          "password", password[0] != '\0' ? json_string(password)
                                                                          : json_null()));
            json_decref(a);
        }
    } else {
        json_decref(*out);
        *out = NULL;
    }
    return xsirt_store_finish(db, rc, err);
}

int xsirt_case_messages(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                        const xsirt_page *pg, xsirt_error *err)
{
    static const char *const ints[] = {"id", "case", "party", "author", "encrypted", "unreadable", NULL};
    xsirt_db_value key[1] = {XSIRT_DB_INTV(id)};
    int rc;

    *out = NULL;
    if ((rc = portal_team_access(db, by, id, false, err)) != 0)
        return rc;
    return xsirt_store_list_page(out, db,
                                 "SELECT id, case_id AS \"case\", party_id AS party, direction, "
                                 "author_id AS author, body, encrypted, unreadable, raw, "
                                 "created_at AS created FROM case_messages WHERE case_id = ? AND "
                                 "id > ? ORDER BY id LIMIT ?", key, 1, ints, NULL, pg, err);
}

int xsirt_case_add_message(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                           const json_t *in, xsirt_error *err)
{
    xsirt_db_value p[2];
    int64_t party = xsirt_json_int(in, "party"), n = 0;
    json_t *mail = NULL;
    int rc;

    *out = NULL;
    if ((rc = portal_check_body(in, true, err)) != 0)
        return rc;
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = portal_team_access(db, by, id, true, err);
    p[0] = XSIRT_DB_INTV(party);
    p[1] = XSIRT_DB_INTV(id);
    if (rc == 0 && party != 0 &&
        (rc = xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM case_parties WHERE id = ? AND case_id = ?",
                                 p, 2, err)) == 0 && n == 0)
        rc = xsirt_error_set_pointer(err, XSIRT_EINVAL, "party", "no party %lld on this case",
                                     (long long)party);
    if (rc == 0)
        rc = portal_message_insert(out, db, id, party, "out", by->user_id, xsirt_json_str(in, "body"),
                                   NULL, XSIRT_RAW_NONE, err);
    if (rc == 0)
        rc = xsirt_store_audit(db, by, "case_message.create", "case_message",
                               (int64_t)json_integer_value(json_object_get(*out, "id")), NULL, *out, err);
    /* Its mail goes into the outbox in this transaction (party_mail.h). */
    if (rc == 0 && (rc = xsirt_party_mail_message(&mail, db, (int64_t)json_integer_value(
                                                      json_object_get(*out, "id")), err)) == 0)
        json_object_set_new(*out, "mail", mail);
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return xsirt_store_finish(db, rc, err);
}

/* ---- security.txt -------------------------------------------------------- */

int xsirt_security_txt(char **out, xsirt_db *db, xsirt_error *err)
{
    static const char *const names[] = {"public_url", "smtp_from", "openpgp_key", "security_policy_url"};
    json_t *v[4] = {NULL, NULL, NULL, NULL};
    char expires[XSIRT_TIME_MAX];
    const char *base;
    xsirt_buf b;
    int rc = 0;

    *out = NULL;
    for (size_t i = 0; rc == 0 && i < 4; i++)
        rc = xsirt_settings_value(&v[i], db, names[i], err);
    base = json_string_value(v[0]);
    if (rc == 0 && base == NULL)
        rc = xsirt_error_set(err, XSIRT_ENOTFOUND,
                             "no security.txt until an administrator sets public_url");
    if (rc == 0) {
        /* RFC 9116 2.5.5: less than a year ahead; the file is made on each
         * request, so it never goes stale. */
        time_t at = time(NULL) + (time_t)180 * 86400;
        struct tm tm;
        gmtime_r(&at, &tm);
        strftime(expires, sizeof expires, "%Y-%m-%dT%H:%M:%SZ", &tm);
        xsirt_buf_init(&b, 16 * 1024);
        if (json_is_string(v[1]))
            xsirt_buf_printf(&b, "Contact: mailto:%s\n", json_string_value(v[1]));
        xsirt_buf_printf(&b, "Contact: %s/api/v1/intake\n", base);
        xsirt_buf_printf(&b, "Expires: %s\n", expires);
        /* The public key where the CSAF provider serves it (provider.c). */
        if (json_is_object(v[2]))
            xsirt_buf_printf(&b, "Encryption: %s/.well-known/csaf/openpgp/%s.asc\n", base,
                             json_string_value(json_object_get(v[2], "fingerprint")));
        if (json_is_string(v[3]))
            xsirt_buf_printf(&b, "Policy: %s\n", json_string_value(v[3]));
        xsirt_buf_puts(&b, "Preferred-Languages: ja, en\n");
        xsirt_buf_printf(&b, "Canonical: %s/.well-known/security.txt\n", base);
        xsirt_buf_printf(&b, "CSAF: %s/.well-known/csaf/provider-metadata.json\n", base);
        *out = xsirt_buf_detach(&b);
        if (*out == NULL)
            rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < 4; i++)
        json_decref(v[i]);
    return rc;
}

/* ---- vendors' statements ------------------------------------------------- */

static const char *const portal_statuses[] = {"affected", "not_affected", "fixed",
                                              "under_investigation", "unknown", NULL};

/* A vulnerability as a case names it: a CVE or another identifier of
 * letters, digits and -_.: (GHSA-xxxx, JVNDB-2026-000123, VU#123456). */
static int portal_check_vuln(const char *v, xsirt_error *err)
{
    size_t n = v != NULL ? strlen(v) : 0;

    if (n == 0 || n > 64 ||
        v[strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:#")] != '\0')
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "vulnerabilities",
                                       "a vulnerability is an identifier such as CVE-2026-12345");
    return 0;
}

int xsirt_case_ask(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                   const json_t *in, xsirt_error *err)
{
    static const xsirt_field fields[] = {
        {"party", XSIRT_FIELD_INTEGER, true, false, 0},
        {"vulnerabilities", XSIRT_FIELD_ARRAY, true, false, 100},
        {NULL, 0, false, false, 0},
    };
    const json_t *vulns = json_object_get(in, "vulnerabilities");
    char now[XSIRT_TIME_MAX];
    xsirt_db_value p[4];
    int64_t n = 0;
    int rc;

    *out = NULL;
    if (!json_is_object(in))
        return xsirt_error_set(err, XSIRT_EINVAL, "a question is {\"party\",\"vulnerabilities\"}");
    if ((rc = xsirt_json_check(in, fields, false, err)) != 0)
        return rc;
    if (json_array_size(vulns) == 0)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "vulnerabilities", "name at least one");
    for (size_t i = 0; i < json_array_size(vulns); i++)
        if ((rc = portal_check_vuln(json_string_value(json_array_get(vulns, i)), err)) != 0)
            return rc;
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = portal_team_access(db, by, id, true, err);
    p[0] = XSIRT_DB_INTV(xsirt_json_int(in, "party"));
    p[1] = XSIRT_DB_INTV(id);
    if (rc == 0 && (rc = xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM case_parties WHERE id = ? AND "
                                                    "case_id = ?", p, 2, err)) == 0 && n == 0)
        rc = xsirt_error_set_pointer(err, XSIRT_EINVAL, "party", "no party %lld on this case",
                                     (long long)xsirt_json_int(in, "party"));
    xsirt_clock_now(now);
    for (size_t i = 0; rc == 0 && i < json_array_size(vulns); i++) {
        p[0] = XSIRT_DB_INTV(id);
        p[1] = XSIRT_DB_INTV(xsirt_json_int(in, "party"));
        p[2] = XSIRT_DB_TEXTV(json_string_value(json_array_get(vulns, i)));
        p[3] = XSIRT_DB_TEXTV(now);
        rc = xsirt_db_exec(db, "INSERT INTO case_statements (case_id, party_id, vulnerability, asked_at) "
                               "VALUES (?, ?, ?, ?) ON CONFLICT (case_id, party_id, vulnerability) "
                               "DO NOTHING", p, 4, NULL, err);
    }
    if (rc == 0)
        rc = xsirt_store_audit(db, by, "case_statement.ask", "case_statement", id, NULL, in, err);
    rc = xsirt_store_finish(db, rc, err);
    if (rc == 0)
        rc = xsirt_case_statements(out, db, by, id, err);
    return rc;
}

static json_t *portal_statement_rows(xsirt_db *db, const char *where, const xsirt_db_value *p,
                                     size_t np, xsirt_error *err)
{
    static const char *const ints[] = {"party", NULL};
    char sql[768];
    xsirt_db_rows *rows = NULL;
    json_t *a;

    snprintf(sql, sizeof sql,
             "SELECT s.party_id AS party, p.name AS party_name, p.role, s.vulnerability, s.status, "
             "s.statement, s.asked_at AS asked, s.answered_at AS answered FROM case_statements s "
             "JOIN case_parties p ON p.id = s.party_id WHERE %s ORDER BY s.party_id, s.vulnerability "
             "LIMIT 2000", where);
    if (xsirt_db_query(&rows, db, sql, p, np, err) != 0)
        return NULL;
    a = json_array();
    for (size_t i = 0; i < xsirt_db_rows_count(rows); i++) {
        json_t *o = xsirt_store_row_json(rows, i, ints);
        /* Silence is not "not affected": who has not answered, and since when. */
        json_object_set_new(o, "waiting_since", json_is_null(json_object_get(o, "answered"))
                                                    ? json_incref(json_object_get(o, "asked"))
                                                    : json_null());
        json_array_append_new(a, o);
    }
    xsirt_db_rows_free(rows);
    return a;
}

/* Per vulnerability, who was asked: the statuses given and who has not
 * answered, since when (oldest first): [{"vulnerability","statuses":
 * {status: count},"waiting":[{"party","party_name","role","since"}]}],
 * in the order of the vulnerability ids. */
static json_t *portal_by_vulnerability(const json_t *items)
{
    json_t *index = json_object(), *list = json_array(), *x;
    size_t i;

    json_array_foreach(items, i, x) {
        const char *v = xsirt_json_str(x, "vulnerability");
        json_t *entry = json_object_get(index, v);
        if (entry == NULL) {
            entry = json_pack("{s:s, s:{}, s:[]}", "vulnerability", v, "statuses", "waiting");
            json_object_set_new(index, v, entry);
        }
        if (json_is_null(json_object_get(x, "waiting_since"))) {
            json_t *st = json_object_get(entry, "statuses");
            const char *status = xsirt_json_str(x, "status");
            json_object_set_new(st, status, json_integer(xsirt_json_int(st, status) + 1));
        } else {
            json_array_append_new(json_object_get(entry, "waiting"),
                                  json_pack("{s:O, s:O, s:O, s:O}", "party", json_object_get(x, "party"),
                                            "party_name", json_object_get(x, "party_name"), "role",
                                            json_object_get(x, "role"), "since",
                                            json_object_get(x, "waiting_since")));
        }
    }
    /* The statement rows come ordered by party: order by id, and each
     * list of the silent by how long they have been silent. */
    const char *key;
    json_object_foreach(index, key, x) {
        json_t *w = json_object_get(x, "waiting");
        for (size_t a = 1; a < json_array_size(w); a++)   /* insertion sort: stable, small */
            for (size_t b = a; b > 0 && strcmp(xsirt_json_str(json_array_get(w, b - 1), "since"),
                                               xsirt_json_str(json_array_get(w, b), "since")) > 0; b--) {
                json_t *t = json_incref(json_array_get(w, b));
                json_array_set(w, b, json_array_get(w, b - 1));
                json_array_set_new(w, b - 1, t);
            }
        size_t at = 0;
        while (at < json_array_size(list) &&
               strcmp(xsirt_json_str(json_array_get(list, at), "vulnerability"), key) < 0)
            at++;
        json_array_insert(list, at, x);
    }
    json_decref(index);
    return list;
}

int xsirt_case_statements(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                          xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    json_t *items;
    size_t waiting = 0;
    int rc;

    *out = NULL;
    if ((rc = portal_team_access(db, by, id, false, err)) != 0)
        return rc;
    if ((items = portal_statement_rows(db, "s.case_id = ?", p, 1, err)) == NULL)
        return err->code != 0 ? err->code : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    for (size_t i = 0; i < json_array_size(items); i++)
        waiting += !json_is_null(json_object_get(json_array_get(items, i), "waiting_since"));
    *out = json_pack("{s:o, s:I, s:o}", "items", items, "unanswered", (json_int_t)waiting,
                     "by_vulnerability", portal_by_vulnerability(items));
    return *out != NULL ? 0 : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
}

static int portal_answer(json_t **out, xsirt_db *db, const portal_who *who, const json_t *in,
                         xsirt_error *err)
{
    static const xsirt_field fields[] = {
        {"vulnerability", XSIRT_FIELD_STRING, true, false, 64},
        {"status", XSIRT_FIELD_STRING, true, false, 32},
        {"statement", XSIRT_FIELD_STRING, false, true, 8192},
        {NULL, 0, false, false, 0},
    };
    xsirt_principal actor;
    char now[XSIRT_TIME_MAX];
    const char *st;
    xsirt_db_value p[5];
    int64_t party = 0, case_id = 0, n = 0;
    int rc;

    *out = NULL;
    if (!json_is_object(in))
        return xsirt_error_set(err, XSIRT_EINVAL, "a statement is {\"vulnerability\",\"status\",\"statement\"}");
    if ((rc = xsirt_json_check(in, fields, false, err)) != 0 ||
        (rc = xsirt_json_enum(xsirt_json_str(in, "status"), portal_statuses, "status", err)) != 0)
        return rc;
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = portal_resolve(&party, &case_id, db, who, err);
    xsirt_clock_now(now);
    st = xsirt_json_str(in, "statement");
    p[0] = XSIRT_DB_TEXTV(xsirt_json_str(in, "status"));
    p[1] = XSIRT_DB_TEXTV(st != NULL ? st : "");
    p[2] = XSIRT_DB_TEXTV(now);
    p[3] = XSIRT_DB_INTV(party);
    p[4] = XSIRT_DB_TEXTV(xsirt_json_str(in, "vulnerability"));
    if (rc == 0 && (rc = xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM case_statements WHERE "
                                                    "party_id = ? AND vulnerability = ?", p + 3, 2, err)) == 0 &&
        n == 0)
        rc = xsirt_error_set_pointer(err, XSIRT_EINVAL, "vulnerability",
                                     "you were not asked about %.64s", xsirt_json_str(in, "vulnerability"));
    /* A vendor's answer is its response time in the case's figures
     * (metrics.c): the case's contribution out before, in after. */
    if (rc == 0)
        rc = xsirt_metrics_case_retract(db, case_id, err);
    if (rc == 0)
        rc = xsirt_db_exec(db, "UPDATE case_statements SET status = ?, statement = ?, answered_at = ? "
                               "WHERE party_id = ? AND vulnerability = ?", p, 5, NULL, err);
    if (rc == 0)
        rc = xsirt_metrics_case_record(db, case_id, err);
    if (rc == 0) {
        portal_actor(&actor, who);
        rc = xsirt_store_audit(db, &actor, "case_statement.answer", "case_party", party, NULL, in, err);
    }
    if (rc == 0 && (*out = portal_statement_rows(db, "s.party_id = ?", p + 3, 1, err)) == NULL)
        rc = err->code != 0 ? err->code : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    return xsirt_store_finish(db, rc, err);
}

int xsirt_portal_answer(json_t **out, xsirt_db *db, const char *link, const json_t *in,
                        xsirt_error *err)
{
    portal_who who = {link, NULL, 0};

    return portal_answer(out, db, &who, in, err);
}

int xsirt_portal_account_answer(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t party,
                                const json_t *in, xsirt_error *err)
{
    portal_who who = {NULL, by, party};

    return portal_answer(out, db, &who, in, err);
}

/* ---- the embargo --------------------------------------------------------- */

int xsirt_case_set_embargo(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                           const json_t *in, xsirt_error *err)
{
    static const xsirt_field fields[] = {
        {"at", XSIRT_FIELD_TIME, true, true, 64},
        {"zone", XSIRT_FIELD_STRING, false, true, 64},
        {NULL, 0, false, false, 0},
    };
    static const struct { const char *event; int hours; } reminders[] = {
        {"embargo.ending", 7 * 24}, {"embargo.ending", 24}, {"embargo.ended", 0}};
    json_t *patch = NULL, *c = NULL, *canon;
    const char *zone;
    xsirt_db_value p[4];
    time_t at = 0;
    int rc;

    *out = NULL;
    if (!json_is_object(in))
        return xsirt_error_set(err, XSIRT_EINVAL, "an embargo is {\"at\",\"zone\"}");
    if ((rc = xsirt_json_check(in, fields, false, err)) != 0 ||
        (xsirt_json_str(in, "zone") != NULL &&
         (rc = xsirt_zone_check(xsirt_json_str(in, "zone"), "zone", err)) != 0))
        return rc;
    zone = xsirt_json_str(in, "zone") != NULL ? xsirt_json_str(in, "zone") : "UTC";
    /* The instant goes through the case (its timeline and audit record);
     * the zone it was given in beside it. */
    patch = json_pack("{s:O}", "embargo", json_object_get(in, "at"));
    if ((rc = xsirt_case_update(&c, db, by, id, 0, patch, err)) != 0) {
        json_decref(patch);
        return rc;
    }
    json_decref(patch);
    canon = json_object_get(c, "embargo");
    if ((rc = xsirt_db_begin(db, err)) != 0) {
        json_decref(c);
        return rc;
    }
    p[0] = json_is_string(canon) ? XSIRT_DB_TEXTV(zone) : XSIRT_DB_NULLV;
    p[1] = XSIRT_DB_INTV(id);
    rc = xsirt_db_exec(db, "UPDATE cases SET embargo_zone = ? WHERE id = ?", p, 2, NULL, err);
    if (rc == 0)
        rc = xsirt_db_exec(db, "DELETE FROM embargo_reminders WHERE case_id = ? AND sent_at IS NULL",
                           p + 1, 1, NULL, err);
    if (rc == 0 && json_is_string(canon) && xsirt_clock_parse(&at, json_string_value(canon)) == 0) {
        for (size_t i = 0; rc == 0 && i < sizeof reminders / sizeof reminders[0]; i++) {
            char due[XSIRT_TIME_MAX];
            xsirt_clock_format(due, at - (time_t)reminders[i].hours * 3600, 0);
            p[0] = XSIRT_DB_INTV(id);
            p[1] = XSIRT_DB_TEXTV(reminders[i].event);
            p[2] = XSIRT_DB_TEXTV(due);
            rc = xsirt_db_exec(db, "INSERT INTO embargo_reminders (case_id, event, due_at) VALUES (?, ?, ?) "
                                   "ON CONFLICT (case_id, event, due_at) DO NOTHING", p, 3, NULL, err);
        }
    }
    rc = xsirt_store_finish(db, rc, err);
    if (rc == 0) {
        *out = portal_embargo(json_string_value(canon), zone, zone);
        if (json_is_null(*out)) {   /* lifted */
            json_decref(*out);
            *out = json_pack("{s:n, s:n, s:n}", "at", "utc", "zone");
        }
    }
    json_decref(c);
    return rc;
}

int xsirt_embargo_reminders_due(json_t **out, xsirt_db *db, xsirt_error *err)
{
    static const char *const ints[] = {"id", "case", NULL};
    char now[XSIRT_TIME_MAX];
    xsirt_db_value p[1];
    xsirt_db_rows *rows = NULL;
    int rc;

    *out = NULL;
    xsirt_clock_now(now);
    p[0] = XSIRT_DB_TEXTV(now);
    if ((rc = xsirt_db_query(&rows, db, "SELECT id, case_id AS \"case\", event, due_at AS due FROM "
                                        "embargo_reminders WHERE sent_at IS NULL AND due_at <= ? "
                                        "ORDER BY due_at LIMIT 1000", p, 1, err)) != 0)
        return rc;
    *out = json_array();
    for (size_t i = 0; i < xsirt_db_rows_count(rows); i++)
        json_array_append_new(*out, xsirt_store_row_json(rows, i, ints));
    xsirt_db_rows_free(rows);
    return 0;
}

/* ---- mail ---------------------------------------------------------------- */

/* A malloc'd copy of s cut to at most max bytes on a UTF-8 boundary. */
static char *portal_cut(const char *s, size_t max)
{
    size_t n = strlen(s);
    char *out;

    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    if ((out = malloc(n + 1)) != NULL) {
        memcpy(out, s, n);
        out[n] = '\0';
    }
    return out;
}

/* The party a tag names, 0 when none (a wrong token is no tag at all). */
static int64_t portal_tagged_party(xsirt_db *db, const xsirt_mail *m)
{
    xsirt_db_value p[2] = {XSIRT_DB_INTV(m->tag_case), XSIRT_DB_TEXTV(m->tag_token)};
    int64_t party = 0;

    if (m->tag_case == 0 ||
        xsirt_db_query_int(&party, db, "SELECT COALESCE(MAX(id), 0) FROM case_parties WHERE case_id = ? "
                                       "AND mail_token = ?", p, 2, NULL) != 0)
        return 0;
    return party;
}

static int portal_mail_thread(json_t **out, xsirt_db *db, const xsirt_mail *m, int64_t party,
                              const char *raw, xsirt_error *err)
{
    xsirt_principal sys;
    json_t *msg = NULL;
    char *body = portal_cut(m->text[0] != '\0' ? m->text : "(a mail without text)", XSIRT_LIMIT_MESSAGE_BODY);
    int rc;

    if (body == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    if ((rc = xsirt_db_begin(db, err)) != 0) {
        free(body);
        return rc;
    }
    rc = portal_message_insert(&msg, db, m->tag_case, party, "in", 0, body, raw,
                               m->encrypted ? XSIRT_RAW_ENCRYPTED : XSIRT_RAW_NONE, err);
    if (rc == 0) {
        xsirt_principal_system(&sys);
        xsirt_strlcpy(sys.username, "mail", sizeof sys.username);
        rc = xsirt_store_audit(db, &sys, "case_message.create", "case_message",
                               (int64_t)json_integer_value(json_object_get(msg, "id")), NULL, msg, err);
    }
    if (rc == 0)
        *out = json_pack("{s:s, s:I, s:O}", "filed", "thread", "case", (json_int_t)m->tag_case, "message",
                         json_object_get(msg, "id"));
    json_decref(msg);
    free(body);
    return xsirt_store_finish(db, rc, err);
}

/* Bytes that are not UTF-8 text (or hold a NUL) as "base64:" and their
 * base64, so that they are kept exactly in a text column. */
static char *portal_base64(const char *raw, size_t len)
{
    size_t n = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
    char *out = malloc(n + 7);

    if (out != NULL) {
        memcpy(out, "base64:", 7);
        sodium_bin2base64(out + 7, n, (const unsigned char *)raw, len, sodium_base64_VARIANT_ORIGINAL);
    }
    return out;
}

/* The text of decrypted OpenPGP content: PGP/MIME decrypts to a MIME
 * entity (headers, blank line, body), inline PGP to the text itself. */
static char *portal_plain_text(const char *plain)
{
    xsirt_mail inner;
    xsirt_error e;
    xsirt_buf b;
    char *text = NULL;

    if (!xsirt_utf8_valid(plain, strlen(plain)) ||
        (xsirt_ascii_ncasecmp(plain, "Content-", 8) != 0 &&
         xsirt_ascii_ncasecmp(plain, "MIME-Version:", 13) != 0))
        return xsirt_utf8_valid(plain, strlen(plain)) ? strdup(plain) : NULL;
    xsirt_buf_init(&b, strlen(plain) + 64);
    xsirt_buf_puts(&b, "From: decrypted@xsirt.invalid\r\n");
    xsirt_buf_puts(&b, plain);
    if (xsirt_mail_parse(&inner, xsirt_buf_cstr(&b), b.len, &e) == 0) {
        text = inner.text;
        inner.text = NULL;
        xsirt_mail_free(&inner);
    }
    xsirt_buf_free(&b);
    return text;
}

int xsirt_mail_deliver(json_t **out, xsirt_db *db, const char *raw, size_t len, const char *plain,
                       xsirt_error *err)
{
    /* Mail in other charsets is 8-bit and not UTF-8: GMime reads it all the
     * same; only what is kept whole must be made text first. */
    bool text = strlen(raw) == len && xsirt_utf8_valid(raw, len);
    char *encoded = text ? NULL : portal_base64(raw, len);
    const char *kept = text ? raw : encoded;
    xsirt_mail m;
    xsirt_error perr;
    json_t *report = NULL, *r = NULL;
    char *title = NULL, *desc = NULL, *name = NULL, *decrypted = NULL;
    int64_t party;
    int rc;

    *out = NULL;
    memset(&m, 0, sizeof m);
    if (kept == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    if (xsirt_mail_parse(&m, raw, len, &perr) != 0) {
        rc = xsirt_intake_create(&r, db, NULL, "mail", kept, XSIRT_RAW_UNREADABLE, err);
        if (rc == 0) {
            json_object_set_new(r, "filed", json_string("intake"));
            json_object_set_new(r, "unreadable", json_true());
            *out = r;
        }
        free(encoded);
        return rc;
    }
    if (m.encrypted && plain != NULL && (decrypted = portal_plain_text(plain)) != NULL) {
        free(m.text);
        m.text = decrypted;
    }
    if ((party = portal_tagged_party(db, &m)) != 0) {
        rc = portal_mail_thread(out, db, &m, party, kept, err);
        xsirt_mail_free(&m);
        free(encoded);
        return rc;
    }
    title = portal_cut(m.subject[0] != '\0' ? m.subject : "(no subject)", 500);
    desc = portal_cut(m.encrypted && decrypted == NULL
                          ? "An OpenPGP-encrypted mail: the whole mail is kept on the case's thread."
                                  : m.text[0] != '\0' ? m.text : "(a mail without text)", 200 * 1024);
    name = portal_cut(m.from_name, 200);
    report = json_pack("{s:s?, s:s?, s:{s:s?, s:s?}}", "title", title, "description", desc, "reporter",
                       "name", name != NULL && name[0] != '\0' ? name : NULL, "email",
                       strlen(m.from_address) <= 320 && portal_check_email(m.from_address, "email", NULL) == 0
                           ? m.from_address : NULL);
    rc = report != NULL && title != NULL && desc != NULL
             ? xsirt_intake_create(&r, db, report, "mail", kept,
                                   m.encrypted ? XSIRT_RAW_ENCRYPTED : XSIRT_RAW_NONE, err)
             : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    if (rc == 0) {
        json_object_set_new(r, "filed", json_string("intake"));
        *out = r;
    }
    json_decref(report);
    free(title);
    free(desc);
    free(name);
    free(encoded);
    xsirt_mail_free(&m);
    return rc;
}
