/*
 * profile.h — a user's own settings: the language the UI, reports and
 * mail speak to them in and the time zone their dates are shown in. Each
 * user reads and changes only their own (GET/PATCH /api/v1/me).
 */
#ifndef XSIRT_PROFILE_H
#define XSIRT_PROFILE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/principal.h"

/* Bytes of an IANA time zone name; the longest in tzdata is 32
 * ("America/Argentina/ComodRivadavia"), so 64 leaves room for new ones. */
#define XSIRT_PROFILE_TIMEZONE_MAX 64

/* The principal's profile: {"id","username","display_name","email","role",
 * "language" ("en"|"ja"|null: not chosen yet), "timezone" (IANA name or
 * null)}. */
int xsirt_profile_get(json_t **out, xsirt_db *db, const xsirt_principal *by, xsirt_error *err);

/* Changes language and/or timezone (null clears one); audited. An unknown
 * language or a name that is not an IANA zone name is XSIRT_EINVAL naming
 * the field. Answers the profile as it is after the change. */
int xsirt_profile_update(json_t **out, xsirt_db *db, const xsirt_principal *by, const json_t *in,
                         xsirt_error *err);

/* The language the user chose ("en" or "ja"), or fallback when they chose
 * none or user_id is 0 (the system). Never fails: a read error is the
 * fallback too, since a language preference is never worth an error. */
const char *xsirt_profile_language(xsirt_db *db, int64_t user_id, const char *fallback);

/* True when name is shaped like an IANA zone name: "UTC", or Area/Location
 * (or Area/Region/Location) made of letters, digits, "_", "-", "+" in
 * segments of 1 to 30 bytes; never a "." (names are never paths). */
bool xsirt_profile_timezone_valid(const char *name);

#endif
