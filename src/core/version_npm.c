/*
 * version_npm.c — the "npm" scheme: versions as node-semver (the `semver`
 * package npm uses) parses them with {loose: false} and compares them.
 *
 * The input may be at most 256 UTF-16 units long (before trimming), is
 * trimmed of JavaScript whitespace, may start with one "v" (not "=": that
 * is loose mode only), then is SemVer 2.0.0. Major, minor and patch must
 * be at most Number.MAX_SAFE_INTEGER. Numeric pre-release identifiers
 * compare as JavaScript numbers, so two identifiers past 2^53 that round to
 * the same double compare equal, and node-semver then stops comparing:
 * we do the same, to order exactly as npm does.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/version_scheme.h"
#include "core/version_semver_core.h"

#define NPM_MAX_LENGTH 256u              /* node-semver MAX_LENGTH */
#define NPM_MAX_SAFE "9007199254740991"  /* Number.MAX_SAFE_INTEGER */

/* Length in UTF-16 code units, as JavaScript's String.length. */
static int npm_utf16_length(const char *v, size_t len, size_t *units)
{
    size_t i = 0, n = 0;

    while (i < len) {
        uint32_t cp;
        size_t k = xsirt_vutf8_next(v, len, i, &cp);
        if (k == 0)
            return -1;
        n += cp >= 0x10000 ? 2 : 1;
        i += k;
    }
    *units = n;
    return 0;
}

static int npm_parse(xsirt_semver *out, const char *v, xsirt_error *err)
{
    static const char *const names[3] = {"major", "minor", "patch"};
    size_t len = strlen(v), units, start, end;
    int rc;

    if (npm_utf16_length(v, len, &units) != 0 || xsirt_vtrim(v, len, XSIRT_VSPACE_JS,
                                                             &start, &end) != 0)
        return xsirt_version_fail(err, "npm", v, 0, "malformed UTF-8");
    if (units > NPM_MAX_LENGTH)
        return xsirt_version_fail(err, "npm", v, NPM_MAX_LENGTH,
                                  "longer than 256 characters");
    if (start < end && v[start] == 'v')
        start++;
    rc = xsirt_semver_parse(out, v + start, end - start, 0, "npm", v, start, err);
    for (int k = 0; rc == 0 && k < 3; k++) {
        if (xsirt_vdigits_cmp(out->num[k], out->num_len[k], NPM_MAX_SAFE,
                              strlen(NPM_MAX_SAFE)) > 0) {
            char msg[80];
            snprintf(msg, sizeof msg, "the %s number is above 2^53-1", names[k]);
            rc = xsirt_version_fail(err, "npm", v, (size_t)(out->num[k] - v), msg);
        }
    }
    return rc;
}

static int npm_validate(const char *v, xsirt_error *err)
{
    xsirt_semver s;

    return npm_parse(&s, v, err);
}

static int npm_compare(int *out, const char *a, const char *b, xsirt_error *err)
{
    xsirt_semver sa, sb;
    int rc;

    if ((rc = npm_parse(&sa, a, err)) != 0)
        return xsirt_version_which(err, rc, 0);
    if ((rc = npm_parse(&sb, b, err)) != 0)
        return xsirt_version_which(err, rc, 1);
    *out = xsirt_semver_cmp(&sa, &sb, XSIRT_SEMVER_PRENUM_NODE);
    return 0;
}

XSIRT_VERSION_PARSED_HOOKS(npm, xsirt_semver, npm_parse, xsirt_semver_cmp_node)

const xsirt_version_scheme xsirt_version_scheme_npm = {
    "npm", npm_validate, npm_compare, XSIRT_VERSION_PARSED(npm),
};
