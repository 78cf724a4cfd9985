/*
 * contact_group.h — a team's contact groups: the people to call in an
 * emergency and the targets of escalation rules (management, PR, legal,
 * IT, outside parties), with the date the list was last reviewed
 * (docs/reports-management.md, "Contact groups").
 *
 * A group as JSON: {"id","team","name","description","reviewed_at",
 * "members":[{"id","name","role","email","phone","organisation","user"}]}.
 * team is null for the organisation-wide groups the installation creates
 * (management, pr, legal, ciso: the default escalation targets); every
 * internal user reads them, admins change them. A team's groups are read
 * by the members of the team and of the teams above it, and changed by
 * its leads and members (and admins); to anyone else they do not exist.
 * Names are unique across the organisation, because escalation rules name
 * their target group by name. Every change is audited (contact_group.*).
 */
#ifndef XSIRT_CONTACT_GROUP_H
#define XSIRT_CONTACT_GROUP_H

#include <jansson.h>
#include <stdint.h>

#include "store/db.h"
#include "store/principal.h"

/* {"items":[group...],"next":null}: the team's groups. */
int xsirt_contact_group_list(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t team,
                             xsirt_error *err);

/* Creates a group of team from {"name","description"?,"members"?:[member...]}. */
int xsirt_contact_group_create(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t team,
                               const json_t *in, xsirt_error *err);

int xsirt_contact_group_get(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                            xsirt_error *err);

/* {"name"?,"description"?,"reviewed"?:true}: reviewed records that the
 * list was checked now (reviewed_at; audited as contact_group.review). */
int xsirt_contact_group_update(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                               const json_t *in, xsirt_error *err);

int xsirt_contact_group_delete(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                               xsirt_error *err);

/* A member: {"name","role"?,"email"?,"phone"?,"organisation"?,"user"?};
 * organisation is management, pr, legal, it, external or other (the
 * default). Add answers the group. */
int xsirt_contact_group_member_add(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t group,
                                   const json_t *in, xsirt_error *err);
int xsirt_contact_group_member_update(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t group,
                                      int64_t member, const json_t *in, xsirt_error *err);
int xsirt_contact_group_member_delete(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t group,
                                      int64_t member, xsirt_error *err);

/* For the readiness self-assessment: people in the contact groups that
 * hold for team (its own, those of the teams above it, and the
 * organisation's), per organisation ({"management":1,...}), and the
 * latest reviewed_at among them (NULL when never reviewed; freed by the
 * caller). */
int xsirt_contact_group_summary(json_t **people, char **reviewed_at, xsirt_db *db, int64_t team,
                                xsirt_error *err);

#endif
