/*
 * readiness_kind.h — the kinds of answer a readiness question takes
 * (data/readiness/csirt-survey.json, "kind"): one choice ("single", the
 * default), several choices ("multi"), a number ("number"), a year and
 * month ("month", YYYY-MM) and words ("text"). Checking an answer, the
 * text it is stored as, and the seed's bin a number or a month falls in.
 */
#ifndef XSIRT_READINESS_KIND_H
#define XSIRT_READINESS_KIND_H

#include <jansson.h>

#include "xsirt/error.h"

/* The question's kind: "single" when the file names none. */
const char *xsirt_readiness_kind(const json_t *q);

/* The option of q whose id is id and that an answer may be; NULL if none. */
const json_t *xsirt_readiness_choice(const json_t *q, const char *id);

/* 0 when v answers q: single a choice id, multi an array of distinct
 * choice ids (an exclusive choice alone), number an integer from 0 to
 * XSIRT_LIMIT_READINESS_NUMBER, month "YYYY-MM", text a non-empty string
 * of at most XSIRT_LIMIT_READINESS_TEXT bytes. Else XSIRT_EINVAL with the
 * field "answers/ID". */
int xsirt_readiness_check(const json_t *q, const json_t *v, xsirt_error *err);

/* The checked answer v as stored (readiness_answers.answer); NULL without
 * memory. The caller frees it. */
char *xsirt_readiness_encode(const json_t *q, const json_t *v);

/* A stored answer back as JSON (a new reference; a string when the text
 * does not read as the question's kind, as after a change of the file). */
json_t *xsirt_readiness_decode(const json_t *q, const char *text);

/* The option (bin) of a number or month question that answer falls in;
 * NULL when none does. */
const json_t *xsirt_readiness_bin(const json_t *q, const json_t *answer);

#endif
