/*
 * csaf_cvss.c — FIRST's CVSS JSON schema properties and their vector
 * abbreviations (see csaf_cvss.h). The tables are the schemas' enums; each
 * value list is searched both ways, word to abbreviation and back.
 */
#include "formats/csaf_cvss.h"

#include <string.h>

const csaf_cvss_metric csaf_cvss_v3_metrics[] = {
    { "attackVector", "AV", "NETWORK=N,ADJACENT_NETWORK=A,LOCAL=L,PHYSICAL=P" },
    { "attackComplexity", "AC", "HIGH=H,LOW=L" },
    { "privilegesRequired", "PR", "NONE=N,LOW=L,HIGH=H" },
    { "userInteraction", "UI", "NONE=N,REQUIRED=R" },
    { "scope", "S", "UNCHANGED=U,CHANGED=C" },
    { "confidentialityImpact", "C", "NONE=N,LOW=L,HIGH=H" },
    { "integrityImpact", "I", "NONE=N,LOW=L,HIGH=H" },
    { "availabilityImpact", "A", "NONE=N,LOW=L,HIGH=H" },
    { "exploitCodeMaturity", "E", "UNPROVEN=U,PROOF_OF_CONCEPT=P,FUNCTIONAL=F,HIGH=H,NOT_DEFINED=X" },
    { "remediationLevel", "RL",
      "OFFICIAL_FIX=O,TEMPORARY_FIX=T,WORKAROUND=W,UNAVAILABLE=U,NOT_DEFINED=X" },
    { "reportConfidence", "RC", "UNKNOWN=U,REASONABLE=R,CONFIRMED=C,NOT_DEFINED=X" },
    { "confidentialityRequirement", "CR", "LOW=L,MEDIUM=M,HIGH=H,NOT_DEFINED=X" },
    { "integrityRequirement", "IR", "LOW=L,MEDIUM=M,HIGH=H,NOT_DEFINED=X" },
    { "availabilityRequirement", "AR", "LOW=L,MEDIUM=M,HIGH=H,NOT_DEFINED=X" },
    { "modifiedAttackVector", "MAV", "NETWORK=N,ADJACENT_NETWORK=A,LOCAL=L,PHYSICAL=P,NOT_DEFINED=X" },
    { "modifiedAttackComplexity", "MAC", "HIGH=H,LOW=L,NOT_DEFINED=X" },
    { "modifiedPrivilegesRequired", "MPR", "HIGH=H,LOW=L,NONE=N,NOT_DEFINED=X" },
    { "modifiedUserInteraction", "MUI", "NONE=N,REQUIRED=R,NOT_DEFINED=X" },
    { "modifiedScope", "MS", "UNCHANGED=U,CHANGED=C,NOT_DEFINED=X" },
    { "modifiedConfidentialityImpact", "MC", "HIGH=H,LOW=L,NONE=N,NOT_DEFINED=X" },
    { "modifiedIntegrityImpact", "MI", "HIGH=H,LOW=L,NONE=N,NOT_DEFINED=X" },
    { "modifiedAvailabilityImpact", "MA", "HIGH=H,LOW=L,NONE=N,NOT_DEFINED=X" },
    { NULL, NULL, NULL },
};

const csaf_cvss_metric csaf_cvss_v2_metrics[] = {
    { "accessVector", "AV", "NETWORK=N,ADJACENT_NETWORK=A,LOCAL=L" },
    { "accessComplexity", "AC", "HIGH=H,MEDIUM=M,LOW=L" },
    { "authentication", "Au", "MULTIPLE=M,SINGLE=S,NONE=N" },
    { "confidentialityImpact", "C", "NONE=N,PARTIAL=P,COMPLETE=C" },
    { "integrityImpact", "I", "NONE=N,PARTIAL=P,COMPLETE=C" },
    { "availabilityImpact", "A", "NONE=N,PARTIAL=P,COMPLETE=C" },
    { "exploitability", "E", "UNPROVEN=U,PROOF_OF_CONCEPT=POC,FUNCTIONAL=F,HIGH=H,NOT_DEFINED=ND" },
    { "remediationLevel", "RL",
      "OFFICIAL_FIX=OF,TEMPORARY_FIX=TF,WORKAROUND=W,UNAVAILABLE=U,NOT_DEFINED=ND" },
    { "reportConfidence", "RC", "UNCONFIRMED=UC,UNCORROBORATED=UR,CONFIRMED=C,NOT_DEFINED=ND" },
    { "collateralDamagePotential", "CDP",
      "NONE=N,LOW=L,LOW_MEDIUM=LM,MEDIUM_HIGH=MH,HIGH=H,NOT_DEFINED=ND" },
    { "targetDistribution", "TD", "NONE=N,LOW=L,MEDIUM=M,HIGH=H,NOT_DEFINED=ND" },
    { "confidentialityRequirement", "CR", "LOW=L,MEDIUM=M,HIGH=H,NOT_DEFINED=ND" },
    { "integrityRequirement", "IR", "LOW=L,MEDIUM=M,HIGH=H,NOT_DEFINED=ND" },
    { "availabilityRequirement", "AR", "LOW=L,MEDIUM=M,HIGH=H,NOT_DEFINED=ND" },
    { NULL, NULL, NULL },
};

/* Finds the pair whose side `right` (false: the word, true: the
 * abbreviation) is key[0..klen) and copies the other side into out. */
static bool find_pair(char *out, size_t outsz, const char *values, const char *key, size_t klen,
                      bool right)
{
    for (const char *p = values; *p != '\0';) {
        const char *eq = strchr(p, '='), *end = strchr(p, ',');
        if (end == NULL)
            end = p + strlen(p);
        const char *k = right ? eq + 1 : p, *v = right ? p : eq + 1;
        size_t kn = (size_t)(right ? end - eq - 1 : eq - p);
        size_t vn = (size_t)(right ? eq - p : end - eq - 1);
        if (kn == klen && memcmp(k, key, klen) == 0 && vn < outsz) {
            memcpy(out, v, vn);
            out[vn] = '\0';
            return true;
        }
        p = *end ? end + 1 : end;
    }
    return false;
}

bool csaf_cvss_word(char *out, size_t outsz, const char *values, const char *abbr, size_t alen)
{
    return find_pair(out, outsz, values, abbr, alen, true);
}

bool csaf_cvss_abbr(char *out, size_t outsz, const char *values, const char *word)
{
    return find_pair(out, outsz, values, word, strlen(word), false);
}
