/*
 * version_semver.c — the "semver" scheme: Semantic Versioning 2.0.0
 * (https://semver.org/spec/v2.0.0.html), strictly.
 *
 * MAJOR.MINOR.PATCH[-PRE][+BUILD] with no leading zeros, no "v", no
 * whitespace; numbers of any size compare numerically; build metadata is
 * ignored for precedence (spec item 10), so 1.0.0+a == 1.0.0+b.
 */
#include <string.h>

#include "core/version_scheme.h"
#include "core/version_semver_core.h"

static int semver_parse(xsirt_semver *out, const char *v, xsirt_error *err)
{
    return xsirt_semver_parse(out, v, strlen(v), 0, "semver", v, 0, err);
}

static int semver_validate(const char *v, xsirt_error *err)
{
    xsirt_semver s;

    return semver_parse(&s, v, err);
}

static int semver_compare(int *out, const char *a, const char *b, xsirt_error *err)
{
    xsirt_semver sa, sb;
    int rc;

    if ((rc = semver_parse(&sa, a, err)) != 0)
        return xsirt_version_which(err, rc, 0);
    if ((rc = semver_parse(&sb, b, err)) != 0)
        return xsirt_version_which(err, rc, 1);
    *out = xsirt_semver_cmp(&sa, &sb, XSIRT_SEMVER_PRENUM_EXACT);
    return 0;
}

XSIRT_VERSION_PARSED_HOOKS(semver, xsirt_semver, semver_parse, xsirt_semver_cmp_exact)

const xsirt_version_scheme xsirt_version_scheme_semver = {
    "semver", semver_validate, semver_compare, XSIRT_VERSION_PARSED(semver),
};
