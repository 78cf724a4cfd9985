/*
 * party_mail.c — queueing mail to a case's external parties and its team
 * (see party_mail.h). The text is made here, when the event happens, in
 * the recipient's language; signing and encryption happen at delivery,
 * with the party's key as it is then.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "store/case.h"
#include "store/clock.h"
#include "store/json_input.h"
#include "store/outbox.h"
#include "store/party_mail.h"
#include "store/settings.h"
#include "store/store.h"
#include "store/zone.h"
#include "xsirt/limits.h"

/* Whether mail can go at all: smtp_url and smtp_from set. */
static int party_mail_configured(bool *yes, xsirt_db *db, xsirt_error *err)
{
    json_t *url = NULL, *from = NULL;
    int rc;

    *yes = false;
    if ((rc = xsirt_settings_value(&url, db, "smtp_url", err)) == 0 &&
        (rc = xsirt_settings_value(&from, db, "smtp_from", err)) == 0)
        *yes = json_is_string(url) && json_is_string(from);
    json_decref(url);
    json_decref(from);
    return rc;
}

/* A subject never holds a line break (a case title may). */
static void party_mail_one_line(char *s)
{
    for (; *s != '\0'; s++)
        if (*s == '\r' || *s == '\n')
            *s = ' ';
}

/* Queues one mail; *out (when not NULL) gets {"to","queued","outbox"}. */
static int party_mail_queue(json_t *out, xsirt_db *db, int64_t party, int64_t case_id,
                            const char *to, const char *subject, const char *body,
                            xsirt_error *err)
{
    char *s = strdup(subject);
    json_t *payload;
    int64_t id = 0;
    int rc;

    if (s == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    party_mail_one_line(s);
    payload = json_pack("{s:I, s:I, s:s, s:s, s:s}", "party", (json_int_t)party, "case",
                        (json_int_t)case_id, "to", to, "subject", s, "body", body);
    free(s);
    if (payload == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    rc = xsirt_outbox_mail(&id, db, payload, err);
    json_decref(payload);
    if (rc == 0 && out != NULL)
        json_array_append_new(out, json_pack("{s:s, s:b, s:I}", "to", to, "queued", 1, "outbox",
                                             (json_int_t)id));
    return rc;
}

int xsirt_party_mail_message(json_t **out, xsirt_db *db, int64_t message, xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(message)};
    xsirt_db_rows *rows = NULL;
    bool configured;
    int rc;

    *out = json_array();
    if (*out == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    if ((rc = party_mail_configured(&configured, db, err)) != 0 || !configured)
        goto done;
    /* A private message goes to its party; a shared one to every party. */
    rc = xsirt_db_query(&rows, db,
                        "SELECT p.id, c.id, p.email, '[XSIRT#' || c.id || ':' || p.mail_token || '] ' "
                        "|| c.title, m.body FROM case_messages m JOIN cases c ON c.id = m.case_id "
                        "JOIN case_parties p ON p.case_id = m.case_id AND (m.party_id IS NULL OR "
                        "p.id = m.party_id) WHERE m.id = ? AND m.direction = 'out' AND p.email IS "
                        "NOT NULL ORDER BY p.id", p, 1, err);
    for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(rows); i++)
        rc = party_mail_queue(*out, db, xsirt_db_rows_int(rows, i, 0), xsirt_db_rows_int(rows, i, 1),
                              xsirt_db_rows_text(rows, i, 2), xsirt_db_rows_text(rows, i, 3),
                              xsirt_db_rows_text(rows, i, 4), err);
    xsirt_db_rows_free(rows);
done:
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

/* ---- a party's key ------------------------------------------------------- */

int xsirt_party_check_key(const char *key, xsirt_error *err)
{
    static const char begin[] = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
    size_t n = key != NULL ? strlen(key) : 0;

    if (key == NULL)
        return 0;
    if (n > XSIRT_LIMIT_PARTY_KEY)
        return xsirt_error_set_pointer(err, XSIRT_ELIMIT, "openpgp_key",
                                       "openpgp_key is longer than %u bytes", XSIRT_LIMIT_PARTY_KEY);
    /* A public key only: a secret key must never reach the server's home. */
    if (strncmp(key + strspn(key, " \t\r\n"), begin, sizeof begin - 1) != 0 ||
        strstr(key, "-----END PGP PUBLIC KEY BLOCK-----") == NULL || strstr(key, "PRIVATE KEY") != NULL)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "openpgp_key",
                                       "openpgp_key is an ASCII-armoured OpenPGP public key "
                                       "(-----BEGIN PGP PUBLIC KEY BLOCK----- ... END)");
    return 0;
}

int xsirt_party_store_key(xsirt_db *db, int64_t party, int64_t case_id, const char *key,
                          xsirt_error *err)
{
    xsirt_db_value p[3] = {XSIRT_DB_TEXTV(key), XSIRT_DB_INTV(party), XSIRT_DB_INTV(case_id)};
    int64_t n = 0;
    int rc = xsirt_db_exec(db, "UPDATE case_parties SET openpgp_key = ? WHERE id = ? AND case_id = ?",
                           p, 3, &n, err);

    if (rc == 0 && n == 0)
        rc = xsirt_error_set(err, XSIRT_ENOTFOUND, "no party %lld on case %lld", (long long)party,
                             (long long)case_id);
    return rc;
}

int xsirt_party_set_key(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t case_id,
                        int64_t party, const json_t *in, xsirt_error *err)
{
    static const xsirt_field fields[] = {
        {"openpgp_key", XSIRT_FIELD_STRING, true, true, XSIRT_LIMIT_PARTY_KEY},
        {NULL, 0, false, false, 0},
    };
    const char *key;
    int rc;

    *out = NULL;
    if (!json_is_object(in))
        return xsirt_error_set(err, XSIRT_EINVAL, "the body is {\"openpgp_key\"}");
    if ((rc = xsirt_json_check(in, fields, false, err)) != 0 ||
        (rc = xsirt_party_check_key((key = xsirt_json_str(in, "openpgp_key")), err)) != 0)
        return rc;
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    /* As for the case's other coordination data (portal.c): the team's
     * writers, never an outside organisation's account. */
    rc = xsirt_case_check_access(db, by, case_id, true, err);
    if (rc == 0 && by->organisation_id != 0 && !by->admin)
        rc = xsirt_error_set(err, XSIRT_EDENIED, "the parties of a case are for the "
                                                 "organisation's own people");
    if (rc == 0)
        rc = xsirt_party_store_key(db, party, case_id, key, err);
    if (rc == 0)
        *out = json_pack("{s:I, s:s?}", "party", (json_int_t)party, "openpgp_key", key);
    if (rc == 0)
        rc = xsirt_store_audit(db, by, "case_party.key", "case_party", party, NULL, *out, err);
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return xsirt_store_finish(db, rc, err);
}

/* ---- embargo reminders --------------------------------------------------- */

/* A party's language for mail: the one it was given (case_parties.language),
 * else guessed from its time zone: Asia/Tokyo reads Japanese. */
static const char *party_mail_language(const char *language, const char *zone)
{
    if (language != NULL)
        return language;
    return zone != NULL && strcmp(zone, "Asia/Tokyo") == 0 ? "ja" : "en";
}

typedef struct reminder_text {
    const char *event, *lang, *subject, *body;
} reminder_text;

/* Whole sentences with %1$s the case title, %2$s the end in UTC, %3$s the
 * zone it was agreed in, %4$s the end in the reader's own zone (a party's,
 * else the agreed one) with that zone named: the word order differs
 * between the languages. */
static const reminder_text reminder_texts[] = {
    {"embargo.ending", "en", "Embargo ending %2$s: %1$s",
     "The embargo on \"%1$s\" ends at %2$s, which is %4$s (agreed in the time zone %3$s).\n"
     "Please do not disclose anything about it before then.\n"},
    {"embargo.ending", "ja", "エンバーゴ終了予定 %2$s: %1$s",
     "「%1$s」のエンバーゴは %2$s（%4$s、%3$s で合意）に終了します。\n"
     "それまでは公開しないでください。\n"},
    {"embargo.ended", "en", "Embargo ended: %1$s",
     "The embargo on \"%1$s\" ended at %2$s, which is %4$s (agreed in the time zone %3$s).\n"
     "It may now be disclosed as agreed.\n"},
    {"embargo.ended", "ja", "エンバーゴ終了: %1$s",
     "「%1$s」のエンバーゴは %2$s（%4$s、%3$s で合意）に終了しました。\n"
     "合意どおり公開できます。\n"},
};

static const reminder_text *reminder_find(const char *event, const char *lang)
{
    for (size_t i = 0; i < sizeof reminder_texts / sizeof reminder_texts[0]; i++)
        if (strcmp(reminder_texts[i].event, event) == 0 && strcmp(reminder_texts[i].lang, lang) == 0)
            return &reminder_texts[i];
    return &reminder_texts[0];
}

/* "2027-03-01 00:00 UTC" from a stored instant. */
static void reminder_when(char *out, size_t n, const char *instant)
{
    snprintf(out, n, "%.10s %.5s UTC", instant, strlen(instant) > 11 ? instant + 11 : "00:00");
}

/* "2027-03-01 09:00 Asia/Tokyo (+09:00)": the stored instant in the
 * reader's zone, named; the UTC text alone when the zone is unknown. */
static void reminder_local(char *out, size_t n, const char *instant, const char *zone,
                           const char *utc)
{
    char local[XSIRT_ZONE_TIME_MAX];
    time_t t;

    if (zone == NULL || xsirt_clock_parse(&t, instant) != 0 ||
        xsirt_zone_format(local, sizeof local, t, zone, NULL) != 0 || strlen(local) < 25) {
        snprintf(out, n, "%s", utc);
        return;
    }
    snprintf(out, n, "%.10s %.5s %s (%s)", local, local + 11, zone, local + 19);
}

/* One reminder's mail in lang to one address; tag prefixes the subject;
 * reader_zone is the reader's own time zone (NULL: the agreed one). */
static int reminder_mail(xsirt_db *db, int64_t party, int64_t case_id, const char *to,
                         const char *tag, const char *event, const char *lang, const char *title,
                         const char *embargo, const char *when, const char *zone,
                         const char *reader_zone, xsirt_error *err)
{
    const reminder_text *t = reminder_find(event, lang);
    char local[128];
    xsirt_buf subject, body;
    int rc;

    reminder_local(local, sizeof local, embargo, reader_zone != NULL ? reader_zone : zone, when);
    xsirt_buf_init(&subject, 4096);
    xsirt_buf_init(&body, 8192);
    if (tag != NULL)
        xsirt_buf_printf(&subject, "%s ", tag);
    xsirt_buf_printf(&subject, t->subject, title, when, zone, local);
    xsirt_buf_printf(&body, t->body, title, when, zone, local);
    rc = party_mail_queue(NULL, db, party, case_id, to, xsirt_buf_cstr(&subject),
                          xsirt_buf_cstr(&body), err);
    xsirt_buf_free(&subject);
    xsirt_buf_free(&body);
    return rc;
}

/* The team's side: its rules that want the event (outbox.h), else its
 * leads and members with an address, in English. */
static int reminder_team(xsirt_db *db, int64_t case_id, int64_t team, const char *event,
                         const char *title, const char *embargo, const char *when,
                         const char *zone, xsirt_error *err)
{
    xsirt_db_value p[2] = {XSIRT_DB_INTV(team), XSIRT_DB_TEXTV(event)};
    char like[64];
    int64_t rules = 0;
    json_t *ev;
    int rc;

    snprintf(like, sizeof like, "%%\"%s\"%%", event);
    p[1] = XSIRT_DB_TEXTV(like);
    if ((rc = xsirt_db_query_int(&rules, db, "SELECT COUNT(*) FROM notification_rules WHERE "
                                             "team_id = ? AND schedule = 'immediate' AND events "
                                             "LIKE ?", p, 2, err)) != 0)
        return rc;
    if (rules > 0) {
        ev = json_pack("{s:{s:I, s:s, s:s, s:s}}", "case", "id", (json_int_t)case_id, "title", title,
                       "embargo", embargo, "embargo_zone", zone);
        rc = ev != NULL ? xsirt_outbox_event(db, team, event, ev, err)
                        : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
        json_decref(ev);
        return rc;
    }
    xsirt_db_rows *rows = NULL;
    rc = xsirt_db_query(&rows, db, "SELECT DISTINCT u.email FROM team_members m JOIN users u ON "
                                   "u.id = m.user_id WHERE m.team_id = ? AND m.role IN "
                                   "('lead','member') AND u.email IS NOT NULL AND u.disabled = 0 "
                                   "ORDER BY u.email", p, 1, err);
    for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(rows); i++) {
        char tag[64];
        snprintf(tag, sizeof tag, "[case %lld]", (long long)case_id);
        rc = reminder_mail(db, 0, case_id, xsirt_db_rows_text(rows, i, 0), tag, event, "en", title,
                           embargo, when, zone, NULL, err);
    }
    xsirt_db_rows_free(rows);
    return rc;
}

/* One due reminder: its mails, then marked sent. */
static int reminder_send(xsirt_db *db, const xsirt_db_rows *due, size_t i, bool superseded,
                         const char *now, xsirt_error *err)
{
    int64_t id = xsirt_db_rows_int(due, i, 0), case_id = xsirt_db_rows_int(due, i, 1);
    const char *event = xsirt_db_rows_text(due, i, 2);
    bool lifted = xsirt_db_rows_null(due, i, 4);
    const char *embargo = lifted ? "" : xsirt_db_rows_text(due, i, 4);
    const char *zone = xsirt_db_rows_null(due, i, 5) ? "UTC" : xsirt_db_rows_text(due, i, 5);
    const char *title = xsirt_db_rows_text(due, i, 6);
    xsirt_db_value p[2] = {XSIRT_DB_TEXTV(now), XSIRT_DB_INTV(id)};
    xsirt_db_rows *parties = NULL;
    char when[64];
    int64_t n = 0;
    int rc;

    /* Marked first, on the condition that nobody did: two workers never
     * both send one reminder. */
    if ((rc = xsirt_db_exec(db, "UPDATE embargo_reminders SET sent_at = ? WHERE id = ? AND "
                                "sent_at IS NULL", p, 2, &n, err)) != 0 || n == 0 || superseded ||
        lifted)
        return rc;
    reminder_when(when, sizeof when, embargo);
    xsirt_db_value q[1] = {XSIRT_DB_INTV(case_id)};
    rc = xsirt_db_query(&parties, db, "SELECT id, email, time_zone, '[XSIRT#' || case_id || ':' || "
                                      "mail_token || ']', language FROM case_parties WHERE case_id = ? "
                                      "AND email IS NOT NULL ORDER BY id", q, 1, err);
    for (size_t k = 0; rc == 0 && k < xsirt_db_rows_count(parties); k++)
        rc = reminder_mail(db, xsirt_db_rows_int(parties, k, 0), case_id,
                           xsirt_db_rows_text(parties, k, 1), xsirt_db_rows_text(parties, k, 3), event,
                           party_mail_language(xsirt_db_rows_null(parties, k, 4)
                                                   ? NULL : xsirt_db_rows_text(parties, k, 4),
                                               xsirt_db_rows_text(parties, k, 2)),
                           title, embargo,
                           when, zone, xsirt_db_rows_text(parties, k, 2), err);
    xsirt_db_rows_free(parties);
    if (rc == 0)
        rc = reminder_team(db, case_id, xsirt_db_rows_int(due, i, 7), event, title, embargo, when,
                           zone, err);
    return rc;
}

int xsirt_party_mail_reminders(size_t *count, xsirt_db *db, xsirt_error *err)
{
    char now[XSIRT_TIME_MAX];
    xsirt_db_value p[1];
    xsirt_db_rows *due = NULL;
    bool configured;
    int64_t due_now = 0;
    int rc;

    *count = 0;
    xsirt_clock_now(now);
    p[0] = XSIRT_DB_TEXTV(now);
    /* Looked at every second: only a reminder due takes the write lock. */
    if ((rc = xsirt_db_query_int(&due_now, db, "SELECT COUNT(*) FROM embargo_reminders WHERE "
                                               "sent_at IS NULL AND due_at <= ?", p, 1, err)) != 0 ||
        due_now == 0)
        return rc;
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    /* Reminders wait while mail cannot go: they are sent once it can. */
    if ((rc = party_mail_configured(&configured, db, err)) != 0 || !configured)
        return xsirt_store_finish(db, rc, err);
    rc = xsirt_db_query(&due, db, "SELECT r.id, r.case_id, r.event, r.due_at, c.embargo, "
                                  "c.embargo_zone, c.title, c.team_id FROM embargo_reminders r JOIN "
                                  "cases c ON c.id = r.case_id WHERE r.sent_at IS NULL AND "
                                  "r.due_at <= ? ORDER BY r.case_id, r.due_at, r.id LIMIT 1000",
                        p, 1, err);
    for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(due); i++) {
        /* Of several due at once for one case, only the latest speaks. */
        bool superseded = i + 1 < xsirt_db_rows_count(due) &&
                          xsirt_db_rows_int(due, i + 1, 1) == xsirt_db_rows_int(due, i, 1);
        rc = reminder_send(db, due, i, superseded, now, err);
        *count += rc == 0;
    }
    xsirt_db_rows_free(due);
    return xsirt_store_finish(db, rc, err);
}
