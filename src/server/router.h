/*
 * router.h — the route table (internal to src/server/). A pattern is a
 * path whose "{id}" segments match positive integers, which the router
 * hands to the handler in req->params, in order.
 */
#ifndef XSIRT_ROUTER_H
#define XSIRT_ROUTER_H

#include <stdbool.h>

#include "server/http.h"

typedef int (*xsirt_handler)(xsirt_response *res, xsirt_request *req);

typedef struct xsirt_route {
    const char *method;
    const char *pattern;
    xsirt_handler handler;
    bool public_route;     /* answers without authentication */
} xsirt_route;

enum xsirt_route_match { XSIRT_ROUTE_FOUND, XSIRT_ROUTE_NO_PATH, XSIRT_ROUTE_NO_METHOD };

/* Finds the route for method and path, filling req->params. */
enum xsirt_route_match xsirt_router_find(const xsirt_route **out, xsirt_request *req);

/* Writes the methods path answers to, for an Allow header ("GET, HEAD,
 * PATCH"; HEAD wherever GET); "" when no route has that path. */
void xsirt_router_allowed(char *out, size_t size, const char *path);
/* The most bytes a request body may have, and whether the route takes a
 * raw document (an SBOM) rather than JSON: raw routes have their own
 * limit (limits.h) and their body reaches the handler unparsed. */
size_t xsirt_router_body_limit(const char *method, const char *path, bool *raw);

/* The table, ended by a {NULL} entry. */
extern const xsirt_route xsirt_routes[];

/* Whether an external account (a party's: user kind external) may call
 * route: its portal (/api/v1/portal...), its own session and tokens; the
 * public routes answer it as anyone. Everything else is refused before
 * the handler (docs/security.md, "External accounts"). */
bool xsirt_router_external(const xsirt_route *route);

/* Handlers, one group per api_*.c file. */
int xsirt_api_healthz(xsirt_response *res, xsirt_request *req);
/* Disclosure (api_intake.c, issue 12). */
int xsirt_api_intake_create(xsirt_response *res, xsirt_request *req);
int xsirt_api_intake_get(xsirt_response *res, xsirt_request *req);
int xsirt_api_intake_list(xsirt_response *res, xsirt_request *req);
int xsirt_api_intake_message(xsirt_response *res, xsirt_request *req);
int xsirt_api_cases_parties_list(xsirt_response *res, xsirt_request *req);
int xsirt_api_cases_parties_create(xsirt_response *res, xsirt_request *req);
int xsirt_api_cases_party_key_put(xsirt_response *res, xsirt_request *req);
int xsirt_api_cases_messages_list(xsirt_response *res, xsirt_request *req);
int xsirt_api_cases_messages_create(xsirt_response *res, xsirt_request *req);
int xsirt_api_intake_statement(xsirt_response *res, xsirt_request *req);
int xsirt_api_portal_list(xsirt_response *res, xsirt_request *req);
int xsirt_api_portal_get(xsirt_response *res, xsirt_request *req);
int xsirt_api_portal_message(xsirt_response *res, xsirt_request *req);
int xsirt_api_portal_statement(xsirt_response *res, xsirt_request *req);
int xsirt_api_cases_statements_list(xsirt_response *res, xsirt_request *req);
int xsirt_api_cases_statements_ask(xsirt_response *res, xsirt_request *req);
int xsirt_api_cases_embargo_put(xsirt_response *res, xsirt_request *req);
int xsirt_api_security_txt(xsirt_response *res, xsirt_request *req);
int xsirt_api_metrics(xsirt_response *res, xsirt_request *req);
int xsirt_api_openapi(xsirt_response *res, xsirt_request *req);
int xsirt_api_session_create(xsirt_response *res, xsirt_request *req);
int xsirt_api_session_get(xsirt_response *res, xsirt_request *req);
int xsirt_api_session_delete(xsirt_response *res, xsirt_request *req);
int xsirt_api_me_get(xsirt_response *res, xsirt_request *req);
int xsirt_api_me_update(xsirt_response *res, xsirt_request *req);
int xsirt_api_users_list(xsirt_response *res, xsirt_request *req);
int xsirt_api_users_create(xsirt_response *res, xsirt_request *req);
int xsirt_api_users_get(xsirt_response *res, xsirt_request *req);
int xsirt_api_tokens_list(xsirt_response *res, xsirt_request *req);
int xsirt_api_tokens_create(xsirt_response *res, xsirt_request *req);
int xsirt_api_tokens_delete(xsirt_response *res, xsirt_request *req);
int xsirt_api_organisations_list(xsirt_response *res, xsirt_request *req);
int xsirt_api_organisations_create(xsirt_response *res, xsirt_request *req);
int xsirt_api_teams_list(xsirt_response *res, xsirt_request *req);
int xsirt_api_teams_create(xsirt_response *res, xsirt_request *req);
int xsirt_api_teams_get(xsirt_response *res, xsirt_request *req);
int xsirt_api_teams_update(xsirt_response *res, xsirt_request *req);
int xsirt_api_team_members_list(xsirt_response *res, xsirt_request *req);
int xsirt_api_team_members_put(xsirt_response *res, xsirt_request *req);
int xsirt_api_team_members_delete(xsirt_response *res, xsirt_request *req);
int xsirt_api_service_levels_get(xsirt_response *res, xsirt_request *req);
int xsirt_api_service_levels_put(xsirt_response *res, xsirt_request *req);
int xsirt_api_workflows_list(xsirt_response *res, xsirt_request *req);
int xsirt_api_workflows_create(xsirt_response *res, xsirt_request *req);
int xsirt_api_workflows_get(xsirt_response *res, xsirt_request *req);
int xsirt_api_case_kinds_create(xsirt_response *res, xsirt_request *req);
int xsirt_api_cases_list(xsirt_response *res, xsirt_request *req);
int xsirt_api_cases_create(xsirt_response *res, xsirt_request *req);
int xsirt_api_cases_get(xsirt_response *res, xsirt_request *req);
int xsirt_api_cases_update(xsirt_response *res, xsirt_request *req);
int xsirt_api_cases_transition(xsirt_response *res, xsirt_request *req);
int xsirt_api_cases_notes_create(xsirt_response *res, xsirt_request *req);
int xsirt_api_cases_timeline(xsirt_response *res, xsirt_request *req);
int xsirt_api_cases_tasks_list(xsirt_response *res, xsirt_request *req);
int xsirt_api_cases_tasks_create(xsirt_response *res, xsirt_request *req);
int xsirt_api_cases_participants_create(xsirt_response *res, xsirt_request *req);
int xsirt_api_cases_links_create(xsirt_response *res, xsirt_request *req);
int xsirt_api_cases_escalations(xsirt_response *res, xsirt_request *req);
int xsirt_api_escalation_rules_list(xsirt_response *res, xsirt_request *req);
int xsirt_api_escalation_rules_create(xsirt_response *res, xsirt_request *req);
int xsirt_api_escalation_rules_get(xsirt_response *res, xsirt_request *req);
int xsirt_api_escalation_rules_update(xsirt_response *res, xsirt_request *req);
int xsirt_api_escalation_rules_delete(xsirt_response *res, xsirt_request *req);
int xsirt_api_assets_list(xsirt_response *res, xsirt_request *req);
int xsirt_api_assets_create(xsirt_response *res, xsirt_request *req);
int xsirt_api_assets_get(xsirt_response *res, xsirt_request *req);
int xsirt_api_assets_update(xsirt_response *res, xsirt_request *req);
int xsirt_api_assets_delete(xsirt_response *res, xsirt_request *req);
int xsirt_api_assets_impact(xsirt_response *res, xsirt_request *req);
int xsirt_api_assets_vex(xsirt_response *res, xsirt_request *req);
int xsirt_api_sboms_list(xsirt_response *res, xsirt_request *req);
int xsirt_api_advisories_list(xsirt_response *res, xsirt_request *req);
int xsirt_api_advisories_create(xsirt_response *res, xsirt_request *req);
int xsirt_api_advisories_get(xsirt_response *res, xsirt_request *req);
int xsirt_api_advisories_update(xsirt_response *res, xsirt_request *req);
int xsirt_api_advisories_csaf(xsirt_response *res, xsirt_request *req);
int xsirt_api_advisories_cve(xsirt_response *res, xsirt_request *req);
int xsirt_api_provider(xsirt_response *res, xsirt_request *req);
int xsirt_api_advisories_validation(xsirt_response *res, xsirt_request *req);
int xsirt_api_advisories_publish(xsirt_response *res, xsirt_request *req);
int xsirt_api_sboms_upload(xsirt_response *res, xsirt_request *req);
int xsirt_api_components_list(xsirt_response *res, xsirt_request *req);
int xsirt_api_findings_list(xsirt_response *res, xsirt_request *req);
int xsirt_api_findings_triage(xsirt_response *res, xsirt_request *req);
int xsirt_api_findings_get(xsirt_response *res, xsirt_request *req);
int xsirt_api_findings_history(xsirt_response *res, xsirt_request *req);
int xsirt_api_findings_update(xsirt_response *res, xsirt_request *req);
int xsirt_api_feeds_list(xsirt_response *res, xsirt_request *req);
int xsirt_api_feeds_create(xsirt_response *res, xsirt_request *req);
int xsirt_api_feeds_get(xsirt_response *res, xsirt_request *req);
int xsirt_api_feeds_sync(xsirt_response *res, xsirt_request *req);
int xsirt_api_notification_rules_list(xsirt_response *res, xsirt_request *req);
int xsirt_api_notification_rules_create(xsirt_response *res, xsirt_request *req);
int xsirt_api_notification_rules_get(xsirt_response *res, xsirt_request *req);
int xsirt_api_notification_rules_update(xsirt_response *res, xsirt_request *req);
int xsirt_api_notification_rules_delete(xsirt_response *res, xsirt_request *req);
int xsirt_api_settings_get(xsirt_response *res, xsirt_request *req);
int xsirt_api_settings_update(xsirt_response *res, xsirt_request *req);
int xsirt_api_audit_list(xsirt_response *res, xsirt_request *req);
int xsirt_api_audit_verify(xsirt_response *res, xsirt_request *req);
int xsirt_api_statistics(xsirt_response *res, xsirt_request *req);
int xsirt_api_statistics_csv(xsirt_response *res, xsirt_request *req);
int xsirt_api_report(xsirt_response *res, xsirt_request *req);
int xsirt_api_case_report(xsirt_response *res, xsirt_request *req);
int xsirt_api_readiness_get(xsirt_response *res, xsirt_request *req);
int xsirt_api_readiness_post(xsirt_response *res, xsirt_request *req);
int xsirt_api_contact_groups_list(xsirt_response *res, xsirt_request *req);
int xsirt_api_contact_groups_create(xsirt_response *res, xsirt_request *req);
int xsirt_api_contact_groups_get(xsirt_response *res, xsirt_request *req);
int xsirt_api_contact_groups_update(xsirt_response *res, xsirt_request *req);
int xsirt_api_contact_groups_delete(xsirt_response *res, xsirt_request *req);
int xsirt_api_contact_members_create(xsirt_response *res, xsirt_request *req);
int xsirt_api_contact_members_update(xsirt_response *res, xsirt_request *req);
int xsirt_api_contact_members_delete(xsirt_response *res, xsirt_request *req);
int xsirt_api_review_get(xsirt_response *res, xsirt_request *req);
int xsirt_api_review_put(xsirt_response *res, xsirt_request *req);
int xsirt_api_knowledge(xsirt_response *res, xsirt_request *req);

#endif
