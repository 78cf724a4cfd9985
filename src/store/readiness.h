/*
 * readiness.h — the readiness self-assessment against the JPCERT/CC survey
 * of 66 CSIRTs (seed 004; docs/reports-management.md, "Readiness").
 *
 * GET gives the questionnaire in Japanese or English with, per question,
 * its kind (one choice, several, a number, a month, words), the counts
 * and percentages the survey published, the team's latest
 * answer, the answer xsirt suggests from its own records (with the
 * evidence), the share of surveyed teams below that answer, and for a weak
 * or missing answer the next step and its FIRST CSIRT Services Framework
 * service; plus every earlier assessment's score (progress over time).
 */
#ifndef XSIRT_READINESS_H
#define XSIRT_READINESS_H

#include <jansson.h>
#include <stdint.h>

#include "store/db.h"
#include "store/principal.h"

/* XSIRT_ENOTFOUND unless by is a member of team or of a team above it. */
int xsirt_readiness_get(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t team,
                        const char *lang, xsirt_error *err);

/* {"team":ID,"answers":{"4.1":"b","1.1":["a","h"],"3.3":7,"1.5":"2014-05",
 * "2.9.w":"..."},"language":"ja"}: each answer of its question's kind
 * (readiness_kind.h; XSIRT_EINVAL with field "answers/ID" otherwise);
 * records a dated assessment (leads and members of the team or above;
 * admins) and answers like xsirt_readiness_get. */
int xsirt_readiness_answer(json_t **out, xsirt_db *db, const xsirt_principal *by, const json_t *in,
                           xsirt_error *err);

#endif
