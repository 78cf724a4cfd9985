/*
 * management.h — the reports management reads (docs/reports-management.md):
 * the quarterly report of a team and the summary of one case, as document
 * models (document.h) in Japanese or English.
 *
 * Both read only through the store's visibility rules: the figures from
 * xsirt_metrics_statistics (the caller's teams, TLP:RED only for admins),
 * the cases from xsirt_case_list / xsirt_case_get, so a report never
 * names a case its reader could not open.
 */
#ifndef XSIRT_REPORT_MANAGEMENT_H
#define XSIRT_REPORT_MANAGEMENT_H

#include <jansson.h>
#include <stdint.h>

#include "store/db.h"
#include "store/principal.h"

/* The quarterly report of team (0: the caller's teams) for period
 * "YYYY-Qn" in lang "ja" or "en". XSIRT_EINVAL (pointer "period" or
 * "language") on bad arguments, XSIRT_ENOTFOUND for a team the caller
 * may not report on. */
int xsirt_management_quarter(json_t **doc, xsirt_db *db, const xsirt_principal *by, int64_t team,
                             const char *period, const char *lang, xsirt_error *err);

/* The summary of one case; XSIRT_ENOTFOUND when by may not see it. */
int xsirt_management_case(json_t **doc, xsirt_db *db, const xsirt_principal *by, int64_t id,
                          const char *lang, xsirt_error *err);

#endif
