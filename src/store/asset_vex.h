/*
 * asset_vex.h — an asset's triage decisions written as VEX, so that
 * customers and scanners downstream see what the PSIRT decided: OpenVEX
 * 0.2 or CycloneDX 1.5 VEX, one statement per active finding.
 *
 * CycloneDX analysis states map to VEX statuses as CycloneDX documents
 * them: in_triage -> under_investigation, exploitable -> affected,
 * resolved -> fixed, not_affected and false_positive -> not_affected
 * (OpenVEX justifications from CycloneDX's: code_not_present ->
 * vulnerable_code_not_present, code_not_reachable ->
 * vulnerable_code_not_in_execute_path, requires_* ->
 * vulnerable_code_cannot_be_controlled_by_adversary, protected_* ->
 * inline_mitigations_already_exist; a false positive says so in its
 * impact statement).
 */
#ifndef XSIRT_ASSET_VEX_H
#define XSIRT_ASSET_VEX_H

#include <jansson.h>
#include <stdint.h>

#include "store/db.h"
#include "store/principal.h"

/* format: "openvex" or "cyclonedx"; XSIRT_EUNSUPPORTED for "csaf" (not
 * yet), XSIRT_EINVAL for anything else. */
int xsirt_asset_vex(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t asset_id,
                    const char *format, xsirt_error *err);

#endif
