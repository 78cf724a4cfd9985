/*
 * team.h — teams (CSIRT, PSIRT, DSIRT, SSIRT, FSIRT, SOC, other), nested
 * corporate → business unit → site, and their members with a role
 * (lead, member, viewer). Membership is what gives access to cases.
 *
 * A team as JSON: {"id","name","kind","parent","description"}.
 */
#ifndef XSIRT_TEAM_H
#define XSIRT_TEAM_H

#include <jansson.h>
#include <stdint.h>

#include "store/db.h"
#include "store/principal.h"
#include "store/store.h"

/* Creates a team from {"name","kind","parent"?,"description"?}; admins
 * only. *out gets the team. */
int xsirt_team_create(json_t **out, xsirt_db *db, const xsirt_principal *by,
                      const json_t *in, xsirt_error *err);

/* Changes name, kind, parent or description; admins and the team's leads.
 * A parent that would make a cycle is refused. */
int xsirt_team_update(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                      const json_t *in, xsirt_error *err);

/* One team / every team the principal may see (internal users see every
 * team; external users the teams they belong to). */
int xsirt_team_get(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                   xsirt_error *err);
int xsirt_team_list(json_t **out, xsirt_db *db, const xsirt_principal *by, const xsirt_page *pg,
                    xsirt_error *err);

/* Adds or changes a member (role lead, member or viewer); admins and the
 * team's leads. */
int xsirt_team_set_member(xsirt_db *db, const xsirt_principal *by, int64_t team_id,
                          int64_t user_id, const char *role, xsirt_error *err);
int xsirt_team_remove_member(xsirt_db *db, const xsirt_principal *by, int64_t team_id,
                             int64_t user_id, xsirt_error *err);
/* {"items":[{"user","username","role"}]} */
int xsirt_team_members(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t team_id,
                       const xsirt_page *pg, xsirt_error *err);

/* 0 when team exists, else EINVAL pointing at field ("no team N"). */
int xsirt_team_check_exists(xsirt_db *db, int64_t team_id, const char *field, xsirt_error *err);

/* The principal's role in a team ("lead", "member", "viewer"), inherited
 * from ancestor teams (a corporate lead leads the sites too); "" when none. */
int xsirt_team_role(char *role, size_t rolesz, xsirt_db *db, int64_t team_id, int64_t user_id,
                    xsirt_error *err);

#endif
