/*
 * knowledge.h — lessons learned (docs/reports-management.md, "Lessons
 * learned"): the post-incident review of a closed case, the knowledge base
 * of closed cases and reviews searched by substring (Japanese included),
 * and a review exported for a closed circle as Markdown or STIX 2.1.
 *
 * Everything reads through xsirt_case_get, so a review or a search hit is
 * seen exactly by those who may see its case (TLP and teams).
 */
#ifndef XSIRT_KNOWLEDGE_H
#define XSIRT_KNOWLEDGE_H

#include <jansson.h>
#include <stdint.h>

#include "store/db.h"
#include "store/principal.h"

/* The hook case.c calls in every write's transaction: indexes the case
 * for search when it is closed or has a review, drops it otherwise. */
int xsirt_knowledge_case_changed(xsirt_db *db, int64_t case_id, xsirt_error *err);

/* Writes every indexed case's search text again (after the folding
 * changed: migration 13). */
int xsirt_knowledge_reindex(xsirt_db *db, xsirt_error *err);

/* {"what_happened","went_well","to_change","follow_ups":[TEXT,...]}: sets
 * the review of a closed case (or one in "lessons-learned"); each new
 * follow-up becomes a task of the case. Writers of the case only. */
int xsirt_knowledge_review_put(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                               const json_t *in, xsirt_error *err);

/* The review with its case's title and TLP; XSIRT_ENOTFOUND when there is
 * none or by may not see the case. */
int xsirt_knowledge_review_get(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                               xsirt_error *err);

/* Closed cases and reviews whose text contains q (case-insensitive for
 * ASCII): {"items":[{"case","title","tlp","state","closed","reviewed",
 * "excerpt"}]}, newest first, at most limit, only cases by may see. */
int xsirt_knowledge_search(json_t **out, xsirt_db *db, const xsirt_principal *by, const char *q,
                           int limit, xsirt_error *err);

/* A review (as xsirt_knowledge_review_get gives it) as Markdown with its
 * TLP label, or as a STIX 2.1 bundle: a report and a note, both marked
 * with the TLP marking definition. *out is malloc'd / a new object. */
int xsirt_knowledge_markdown(char **out, const json_t *review, xsirt_error *err);
int xsirt_knowledge_stix(json_t **out, const json_t *review, xsirt_error *err);

#endif
