/*
 * settings.h — organisation-wide settings (administrators only):
 *
 *   smtp_url       where mail goes, "smtp://user:pass@host:587" (secret)
 *   smtp_from      the sender of mail
 *   priority_rule  how findings are prioritised (priority.h)
 *   feed_defaults  {"interval","timeout","max_bytes"} for feeds that do
 *                  not say otherwise (seconds, seconds, bytes)
 *
 * Secrets are write-only: a read says whether one is set
 * ({"set":true}), never what it is, and the audit record of a change says
 * the same. Each setting is one row of the settings table (key
 * "org.NAME", value JSON), so later issues add settings without a
 * migration.
 */
#ifndef XSIRT_SETTINGS_H
#define XSIRT_SETTINGS_H

#include <jansson.h>

#include "store/db.h"
#include "store/principal.h"

int xsirt_settings_get(json_t **out, xsirt_db *db, const xsirt_principal *by, xsirt_error *err);
/* Partial update of the settings above; null resets one to its default. */
int xsirt_settings_update(json_t **out, xsirt_db *db, const xsirt_principal *by,
                          const json_t *in, xsirt_error *err);

/* For the server itself (no permission check): the value in force of one
 * setting, secrets included (a new reference; JSON null when unset). */
int xsirt_settings_value(json_t **out, xsirt_db *db, const char *name, xsirt_error *err);

#endif
