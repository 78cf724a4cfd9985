/*
 * version_cargo.c — the "cargo" scheme: crates.io versions as Rust's semver
 * crate (1.x, what Cargo uses) parses them and orders them by precedence.
 *
 * Version::parse is SemVer 2.0.0 strict (no "v", no whitespace, no leading
 * zeros) with major, minor and patch as u64: a larger number is an error.
 * Ordering is Version::cmp_precedence: build metadata ignored (the crate's
 * Ord would order it, but Cargo's resolution and OSV ranges do not).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "core/version_scheme.h"
#include "core/version_semver_core.h"

static int cargo_parse(xsirt_semver *out, const char *v, xsirt_error *err)
{
    static const char *const names[3] = {"major", "minor", "patch"};
    int rc = xsirt_semver_parse(out, v, strlen(v), 0, "cargo", v, 0, err);

    for (int k = 0; rc == 0 && k < 3; k++) {
        uint64_t n;
        if (xsirt_parse_u64(&n, out->num[k], out->num_len[k]) != 0) {
            char msg[64];
            snprintf(msg, sizeof msg, "the %s number does not fit in 64 bits", names[k]);
            rc = xsirt_version_fail(err, "cargo", v, (size_t)(out->num[k] - v), msg);
        }
    }
    return rc;
}

static int cargo_validate(const char *v, xsirt_error *err)
{
    xsirt_semver s;

    return cargo_parse(&s, v, err);
}

static int cargo_compare(int *out, const char *a, const char *b, xsirt_error *err)
{
    xsirt_semver sa, sb;
    int rc;

    if ((rc = cargo_parse(&sa, a, err)) != 0)
        return xsirt_version_which(err, rc, 0);
    if ((rc = cargo_parse(&sb, b, err)) != 0)
        return xsirt_version_which(err, rc, 1);
    *out = xsirt_semver_cmp(&sa, &sb, XSIRT_SEMVER_PRENUM_EXACT);
    return 0;
}

XSIRT_VERSION_PARSED_HOOKS(cargo, xsirt_semver, cargo_parse, xsirt_semver_cmp_exact)

const xsirt_version_scheme xsirt_version_scheme_cargo = {
    "cargo", cargo_validate, cargo_compare, XSIRT_VERSION_PARSED(cargo),
};
