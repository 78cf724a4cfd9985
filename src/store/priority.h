/*
 * priority.h — the priority of a finding (P1 to P4) from a rule over what
 * is known of the vulnerability (CVSS, CISA KEV, FIRST EPSS) and of the
 * asset (criticality, exposure). The rule is data, an organisation
 * setting ("priority_rule", docs/api.md), so each organisation weighs
 * these its own way; the default is below.
 *
 * A rule: {"rules":[{"priority","kev","min_cvss","min_epss","criticality",
 * "exposure"}...],"default":"P4"}. Each entry holds when all the
 * conditions it names hold (kev: the record is in KEV; min_cvss,
 * min_epss: at least this score; criticality, exposure: the asset's is
 * one of those listed); the first entry that holds gives the priority,
 * and none gives "default". The default rule:
 *
 *   P1  KEV on an internet-facing asset
 *   P1  CVSS >= 9 on an internet-facing asset of high or critical criticality
 *   P2  KEV anywhere; CVSS >= 9; EPSS >= 0.5; CVSS >= 7 on an internet-facing
 *       asset or one of high or critical criticality
 *   P3  CVSS >= 7; EPSS >= 0.1; CVSS >= 4 on an internet-facing asset
 *   P4  everything else
 *
 * The priority gives the finding's due date through the owning team's
 * service levels (P1 as critical, P2 high, P3 medium, P4 low).
 */
#ifndef XSIRT_PRIORITY_H
#define XSIRT_PRIORITY_H

#include <jansson.h>
#include <stdbool.h>

#include "xsirt/error.h"

typedef struct xsirt_priority_facts {
    double cvss;              /* highest base score, < 0 when unknown */
    bool kev;
    double epss;              /* < 0 when unknown */
    const char *criticality;  /* the asset's */
    const char *exposure;
} xsirt_priority_facts;

/* The default rule (a new reference). */
json_t *xsirt_priority_default_rule(void);

/* Checks a rule's shape; XSIRT_EINVAL naming the place. */
int xsirt_priority_check(const json_t *rule, xsirt_error *err);

/* "P1".."P4" for the facts under a checked rule. */
const char *xsirt_priority_eval(const json_t *rule, const xsirt_priority_facts *facts);

/* The service-level severity a priority's due date comes from. */
const char *xsirt_priority_severity(const char *priority);

#endif
