/*
 * router.c — the route table and matching (see router.h). The table is the
 * one place that says what the API has; `xsirt serve --routes` prints it,
 * and a test checks it against the OpenAPI document.
 */
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "server/router.h"
#include "xsirt/limits.h"

const xsirt_route xsirt_routes[] = {
    {"GET", "/healthz", xsirt_api_healthz, true},
    {"GET", "/metrics", xsirt_api_metrics, true},
    {"GET", "/api/v1/openapi.json", xsirt_api_openapi, true},
    {"POST", "/api/v1/session", xsirt_api_session_create, true},
    {"GET", "/api/v1/session", xsirt_api_session_get, false},
    {"DELETE", "/api/v1/session", xsirt_api_session_delete, false},
    {"GET", "/api/v1/me", xsirt_api_me_get, false},
    {"PATCH", "/api/v1/me", xsirt_api_me_update, false},
    {"GET", "/api/v1/users", xsirt_api_users_list, false},
    {"POST", "/api/v1/users", xsirt_api_users_create, false},
    {"GET", "/api/v1/users/{id}", xsirt_api_users_get, false},
    {"GET", "/api/v1/tokens", xsirt_api_tokens_list, false},
    {"POST", "/api/v1/tokens", xsirt_api_tokens_create, false},
    {"DELETE", "/api/v1/tokens/{id}", xsirt_api_tokens_delete, false},
    {"GET", "/api/v1/organisations", xsirt_api_organisations_list, false},
    {"POST", "/api/v1/organisations", xsirt_api_organisations_create, false},
    {"GET", "/api/v1/teams", xsirt_api_teams_list, false},
    {"POST", "/api/v1/teams", xsirt_api_teams_create, false},
    {"GET", "/api/v1/teams/{id}", xsirt_api_teams_get, false},
    {"PATCH", "/api/v1/teams/{id}", xsirt_api_teams_update, false},
    {"GET", "/api/v1/teams/{id}/members", xsirt_api_team_members_list, false},
    {"PUT", "/api/v1/teams/{id}/members/{id}", xsirt_api_team_members_put, false},
    {"DELETE", "/api/v1/teams/{id}/members/{id}", xsirt_api_team_members_delete, false},
    {"GET", "/api/v1/teams/{id}/service-levels", xsirt_api_service_levels_get, false},
    {"PUT", "/api/v1/teams/{id}/service-levels", xsirt_api_service_levels_put, false},
    {"GET", "/api/v1/workflows", xsirt_api_workflows_list, false},
    {"POST", "/api/v1/workflows", xsirt_api_workflows_create, false},
    {"GET", "/api/v1/workflows/{id}", xsirt_api_workflows_get, false},
    {"POST", "/api/v1/case-kinds", xsirt_api_case_kinds_create, false},
    {"GET", "/api/v1/cases", xsirt_api_cases_list, false},
    {"POST", "/api/v1/cases", xsirt_api_cases_create, false},
    {"GET", "/api/v1/cases/{id}", xsirt_api_cases_get, false},
    {"PATCH", "/api/v1/cases/{id}", xsirt_api_cases_update, false},
    {"POST", "/api/v1/cases/{id}/transitions", xsirt_api_cases_transition, false},
    {"POST", "/api/v1/cases/{id}/notes", xsirt_api_cases_notes_create, false},
    {"GET", "/api/v1/cases/{id}/timeline", xsirt_api_cases_timeline, false},
    {"GET", "/api/v1/cases/{id}/tasks", xsirt_api_cases_tasks_list, false},
    {"POST", "/api/v1/cases/{id}/tasks", xsirt_api_cases_tasks_create, false},
    {"POST", "/api/v1/cases/{id}/participants", xsirt_api_cases_participants_create, false},
    {"POST", "/api/v1/cases/{id}/links", xsirt_api_cases_links_create, false},
    {"GET", "/api/v1/cases/{id}/escalations", xsirt_api_cases_escalations, false},
    {"GET", "/api/v1/cases/{id}/report", xsirt_api_case_report, false},
    {"GET", "/api/v1/cases/{id}/review", xsirt_api_review_get, false},
    {"PUT", "/api/v1/cases/{id}/review", xsirt_api_review_put, false},
    {"GET", "/api/v1/escalation-rules", xsirt_api_escalation_rules_list, false},
    {"POST", "/api/v1/escalation-rules", xsirt_api_escalation_rules_create, false},
    {"GET", "/api/v1/escalation-rules/{id}", xsirt_api_escalation_rules_get, false},
    {"PATCH", "/api/v1/escalation-rules/{id}", xsirt_api_escalation_rules_update, false},
    {"DELETE", "/api/v1/escalation-rules/{id}", xsirt_api_escalation_rules_delete, false},
    {"GET", "/api/v1/assets", xsirt_api_assets_list, false},
    {"POST", "/api/v1/assets", xsirt_api_assets_create, false},
    {"GET", "/api/v1/assets/{id}", xsirt_api_assets_get, false},
    {"PATCH", "/api/v1/assets/{id}", xsirt_api_assets_update, false},
    {"DELETE", "/api/v1/assets/{id}", xsirt_api_assets_delete, false},
    {"GET", "/api/v1/assets/{id}/impact", xsirt_api_assets_impact, false},
    {"GET", "/api/v1/assets/{id}/vex", xsirt_api_assets_vex, false},
    {"GET", "/api/v1/assets/{id}/sboms", xsirt_api_sboms_list, false},
    {"POST", "/api/v1/assets/{id}/sboms", xsirt_api_sboms_upload, false},
    {"GET", "/api/v1/components", xsirt_api_components_list, false},
    {"GET", "/api/v1/findings", xsirt_api_findings_list, false},
    {"POST", "/api/v1/findings/triage", xsirt_api_findings_triage, false},
    {"GET", "/api/v1/findings/{id}", xsirt_api_findings_get, false},
    {"GET", "/api/v1/findings/{id}/history", xsirt_api_findings_history, false},
    {"PATCH", "/api/v1/findings/{id}", xsirt_api_findings_update, false},
    {"GET", "/api/v1/advisories", xsirt_api_advisories_list, false},
    {"POST", "/api/v1/advisories", xsirt_api_advisories_create, false},
    {"GET", "/api/v1/advisories/{id}", xsirt_api_advisories_get, false},
    {"PATCH", "/api/v1/advisories/{id}", xsirt_api_advisories_update, false},
    {"GET", "/api/v1/advisories/{id}/csaf", xsirt_api_advisories_csaf, false},
    {"GET", "/api/v1/advisories/{id}/cve", xsirt_api_advisories_cve, false},
    {"GET", "/api/v1/advisories/{id}/validation", xsirt_api_advisories_validation, false},
    {"POST", "/api/v1/advisories/{id}/publish", xsirt_api_advisories_publish, false},
    {"GET", "/.well-known/csaf/{path}", xsirt_api_provider, true},
    {"GET", "/api/v1/feeds", xsirt_api_feeds_list, false},
    {"POST", "/api/v1/feeds", xsirt_api_feeds_create, false},
    {"GET", "/api/v1/feeds/{id}", xsirt_api_feeds_get, false},
    {"POST", "/api/v1/feeds/{id}/sync", xsirt_api_feeds_sync, false},
    {"GET", "/api/v1/notification-rules", xsirt_api_notification_rules_list, false},
    {"POST", "/api/v1/notification-rules", xsirt_api_notification_rules_create, false},
    {"GET", "/api/v1/notification-rules/{id}", xsirt_api_notification_rules_get, false},
    {"PATCH", "/api/v1/notification-rules/{id}", xsirt_api_notification_rules_update, false},
    {"DELETE", "/api/v1/notification-rules/{id}", xsirt_api_notification_rules_delete, false},
    {"GET", "/api/v1/settings", xsirt_api_settings_get, false},
    {"PATCH", "/api/v1/settings", xsirt_api_settings_update, false},
    {"GET", "/api/v1/audit", xsirt_api_audit_list, false},
    {"GET", "/api/v1/audit/verify", xsirt_api_audit_verify, false},
    {"GET", "/api/v1/statistics", xsirt_api_statistics, false},
    {"GET", "/api/v1/statistics.csv", xsirt_api_statistics_csv, false},
    {"GET", "/api/v1/report", xsirt_api_report, false},
    {"GET", "/api/v1/readiness", xsirt_api_readiness_get, false},
    {"POST", "/api/v1/readiness", xsirt_api_readiness_post, false},
    {"GET", "/api/v1/teams/{id}/contact-groups", xsirt_api_contact_groups_list, false},
    {"POST", "/api/v1/teams/{id}/contact-groups", xsirt_api_contact_groups_create, false},
    {"GET", "/api/v1/contact-groups/{id}", xsirt_api_contact_groups_get, false},
    {"PATCH", "/api/v1/contact-groups/{id}", xsirt_api_contact_groups_update, false},
    {"DELETE", "/api/v1/contact-groups/{id}", xsirt_api_contact_groups_delete, false},
    {"POST", "/api/v1/contact-groups/{id}/members", xsirt_api_contact_members_create, false},
    {"PATCH", "/api/v1/contact-groups/{id}/members/{id}", xsirt_api_contact_members_update, false},
    {"DELETE", "/api/v1/contact-groups/{id}/members/{id}", xsirt_api_contact_members_delete, false},
    {"GET", "/api/v1/knowledge", xsirt_api_knowledge, false},
    {"POST", "/api/v1/intake", xsirt_api_intake_create, true},
    {"GET", "/api/v1/intake/{token}", xsirt_api_intake_get, true},
    {"GET", "/api/v1/intake-reports", xsirt_api_intake_list, false},
    {"POST", "/api/v1/intake/{token}/messages", xsirt_api_intake_message, true},
    {"GET", "/api/v1/cases/{id}/parties", xsirt_api_cases_parties_list, false},
    {"POST", "/api/v1/cases/{id}/parties", xsirt_api_cases_parties_create, false},
    {"PUT", "/api/v1/cases/{id}/parties/{id}/openpgp_key", xsirt_api_cases_party_key_put, false},
    {"GET", "/api/v1/cases/{id}/messages", xsirt_api_cases_messages_list, false},
    {"POST", "/api/v1/cases/{id}/messages", xsirt_api_cases_messages_create, false},
    {"POST", "/api/v1/intake/{token}/statements", xsirt_api_intake_statement, true},
    {"GET", "/api/v1/cases/{id}/statements", xsirt_api_cases_statements_list, false},
    {"POST", "/api/v1/cases/{id}/statements", xsirt_api_cases_statements_ask, false},
    {"PUT", "/api/v1/cases/{id}/embargo", xsirt_api_cases_embargo_put, false},
    {"GET", "/.well-known/security.txt", xsirt_api_security_txt, true},
    {"GET", "/api/v1/portal", xsirt_api_portal_list, false},
    {"GET", "/api/v1/portal/{id}", xsirt_api_portal_get, false},
    {"POST", "/api/v1/portal/{id}/messages", xsirt_api_portal_message, false},
    {"POST", "/api/v1/portal/{id}/statements", xsirt_api_portal_statement, false},
    {NULL, NULL, NULL, false},
};

bool xsirt_router_external(const xsirt_route *route)
{
    /* An allow-list: a route added later is closed to parties until it is
     * named here. */
    static const char *const open[] = {"/api/v1/portal", "/api/v1/portal/{id}",
                                       "/api/v1/portal/{id}/messages",
                                       "/api/v1/portal/{id}/statements", "/api/v1/session",
                                       "/api/v1/tokens", "/api/v1/tokens/{id}", NULL};

    if (route->public_route)
        return true;
    for (size_t i = 0; open[i] != NULL; i++)
        if (strcmp(route->pattern, open[i]) == 0)
            return true;
    return false;
}

/* Matches one pattern segment by segment; {id} takes a positive integer
 * of at most 18 digits (no overflow, no sign, no leading zero); {token} a
 * portal link's secret: 16 to XSIRT_TOKEN_MAX - 1 base64url characters. */
static bool router_match(const char *pattern, const char *path, xsirt_request *req)
{
    size_t n = 0;

    while (*pattern != '\0' && *path != '\0') {
        /* Plain characters first: every request walks the route table. */
        if (*pattern != '{') {
            if (*pattern != *path)
                return false;
            pattern++;
            path++;
            continue;
        }
        /* {path}, last: the rest of the path (the handler reads req->path). */
        if (strcmp(pattern, "{path}") == 0) {
            req->nparams = n;
            return true;
        }
        if (strncmp(pattern, "{id}", 4) == 0) {
            const char *start = path;
            uint64_t v;
            while (xsirt_is_digit((unsigned char)*path))
                path++;
            if (path == start || path - start > 18 || *start == '0' || n >= XSIRT_ROUTE_MAX_PARAMS ||
                xsirt_parse_u64(&v, start, (size_t)(path - start)) != 0)
                return false;
            req->params[n++] = (int64_t)v;
            pattern += 4;
            continue;
        }
        if (strncmp(pattern, "{token}", 7) == 0) {
            const char *start = path;
            while (xsirt_is_alnum((unsigned char)*path) || *path == '-' || *path == '_')
                path++;
            if (path - start < 16 || path - start >= XSIRT_TOKEN_MAX)
                return false;
            memcpy(req->token, start, (size_t)(path - start));
            req->token[path - start] = '\0';
            pattern += 7;
            continue;
        }
        if (*pattern != *path)
            return false;
        pattern++;
        path++;
    }
    if (*pattern != '\0' || *path != '\0')
        return false;
    req->nparams = n;
    return true;
}

enum xsirt_route_match xsirt_router_find(const xsirt_route **out, xsirt_request *req)
{
    bool path_known = false;

    for (size_t i = 0; xsirt_routes[i].method != NULL; i++) {
        if (!router_match(xsirt_routes[i].pattern, req->path, req))
            continue;
        path_known = true;
        if (strcmp(xsirt_routes[i].method, req->method) == 0) {
            *out = &xsirt_routes[i];
            return XSIRT_ROUTE_FOUND;
        }
    }
    return path_known ? XSIRT_ROUTE_NO_METHOD : XSIRT_ROUTE_NO_PATH;
}

void xsirt_router_allowed(char *out, size_t size, const char *path)
{
    xsirt_request scratch;
    size_t used = 0;

    memset(&scratch, 0, sizeof scratch);
    scratch.path = path;
    out[0] = '\0';
    for (size_t i = 0; xsirt_routes[i].method != NULL; i++) {
        const char *m = xsirt_routes[i].method;
        if (!router_match(xsirt_routes[i].pattern, path, &scratch))
            continue;
        for (int head = 0; head < (strcmp(m, "GET") == 0 ? 2 : 1); head++) {
            int n = snprintf(out + used, size - used, "%s%s", used > 0 ? ", " : "", head ? "HEAD" : m);
            if (n < 0 || (size_t)n >= size - used) {
                out[used] = '\0';
                return;
            }
            used += (size_t)n;
        }
    }
}

/* Routes whose body is a document read by its own reader, with its limit. */
static const struct {
    const char *method, *pattern;
    size_t limit;
} router_raw_routes[] = {
    {"POST", "/api/v1/assets/{id}/sboms", XSIRT_LIMIT_SBOM_UPLOAD},
    {"POST", "/api/v1/intake", XSIRT_LIMIT_INTAKE_BODY},   /* JSON or an OpenPGP message */
};

size_t xsirt_router_body_limit(const char *method, const char *path, bool *raw)
{
    xsirt_request req;

    memset(&req, 0, sizeof req);
    *raw = false;
    for (size_t i = 0; i < sizeof router_raw_routes / sizeof router_raw_routes[0]; i++) {
        if (strcmp(method, router_raw_routes[i].method) == 0 &&
            router_match(router_raw_routes[i].pattern, path, &req)) {
            *raw = true;
            return router_raw_routes[i].limit;
        }
    }
    return XSIRT_LIMIT_HTTP_BODY;
}
