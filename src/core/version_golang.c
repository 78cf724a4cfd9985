/*
 * version_golang.c — the "golang" scheme: Go module versions as
 * golang.org/x/mod/semver (IsValid, Compare) orders them, which is what the
 * go command uses (cmd/go/internal/mvs, gover).
 *
 * A version is "v" + SemVer 2.0.0, where "v1" and "v1.2" are shorthands for
 * v1.0.0 and v1.2.0 (no pre-release or build after a shorthand). Build
 * metadata, so "+incompatible", is ignored: v2.0.0+incompatible == v2.0.0.
 * Pseudo-versions (v0.0.0-20191109021931-daa7c04131f5,
 * vX.Y.Z-pre.0.yyyymmddhhmmss-abcdef123456) are ordinary pre-releases:
 * Compare treats them so, and their timestamp makes that order right.
 * The "v" is required, as in go.mod; OSV's Go entries drop it, so callers
 * holding OSV data add it (see docs/versions-a.md).
 */
#include <string.h>

#include "core/version_scheme.h"
#include "core/version_semver_core.h"

static int golang_parse(xsirt_semver *out, const char *v, xsirt_error *err)
{
    if (v[0] != 'v')
        return xsirt_version_fail(err, "golang", v, 0, "expected a leading 'v'");
    return xsirt_semver_parse(out, v + 1, strlen(v + 1), XSIRT_SEMVER_GO_SHORTHAND,
                              "golang", v, 1, err);
}

static int golang_validate(const char *v, xsirt_error *err)
{
    xsirt_semver s;

    return golang_parse(&s, v, err);
}

static int golang_compare(int *out, const char *a, const char *b, xsirt_error *err)
{
    xsirt_semver sa, sb;
    int rc;

    if ((rc = golang_parse(&sa, a, err)) != 0)
        return xsirt_version_which(err, rc, 0);
    if ((rc = golang_parse(&sb, b, err)) != 0)
        return xsirt_version_which(err, rc, 1);
    *out = xsirt_semver_cmp(&sa, &sb, XSIRT_SEMVER_PRENUM_EXACT);
    return 0;
}

XSIRT_VERSION_PARSED_HOOKS(golang, xsirt_semver, golang_parse, xsirt_semver_cmp_exact)

const xsirt_version_scheme xsirt_version_scheme_golang = {
    "golang", golang_validate, golang_compare, XSIRT_VERSION_PARSED(golang),
};
