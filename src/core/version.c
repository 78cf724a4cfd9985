/*
 * version.c — the registry of version schemes and the OSV ecosystem names.
 *
 * Schemes themselves are in version_NAME.c; here the public entry points
 * check their arguments (NULLs, the length limit) once, so that every
 * scheme can assume a bounded NUL-terminated string. A parsed version
 * (xsirt_version) is one block: this header, the scheme's parsed form
 * (aligned for any type), then the text the parsed form points into.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/version_scheme.h"
#include "xsirt/limits.h"

static const xsirt_version_scheme *const version_schemes[] = {
#define XSIRT_VERSION_SCHEME(name) &xsirt_version_scheme_##name,
#include "core/version_schemes.def"
#undef XSIRT_VERSION_SCHEME
    NULL
};

#define VERSION_SCHEME_COUNT (sizeof version_schemes / sizeof version_schemes[0] - 1)

/* OSV ecosystem (the part before ':' for distributions) -> scheme name.
 * https://ossf.github.io/osv-schema/#defined-ecosystems */
static const struct {
    const char *ecosystem;
    const char *scheme;
} version_osv_names[] = {
    {"Go", "golang"},         {"npm", "npm"},           {"PyPI", "pypi"},
    {"crates.io", "cargo"},   {"Maven", "maven"},       {"NuGet", "nuget"},
    {"RubyGems", "gem"},      {"Packagist", "composer"},{"Hex", "hex"},
    {"Pub", "pub"},           {"ConanCenter", "conan"}, {"Debian", "deb"},
    {"Ubuntu", "deb"},        {"Alpine", "apk"},        {"Wolfi", "apk"},
    {"Chainguard", "apk"},    {"Red Hat", "rpm"},       {"Rocky Linux", "rpm"},
    {"AlmaLinux", "rpm"},     {"openSUSE", "rpm"},      {"SUSE", "rpm"},
    {"Mageia", "rpm"},        {"Photon OS", "rpm"},     {"openEuler", "rpm"},
    {"Azure Linux", "rpm"},   {"CRAN", "generic"},      {"Bitnami", "semver"},
    {"SwiftURL", "semver"},   {"GHC", "generic"},       {"Hackage", "generic"},
    {"Linux", "generic"},     {"OSS-Fuzz", "generic"},  {"GIT", "generic"},
};

const xsirt_version_scheme *xsirt_version_scheme_find(const char *name)
{
    if (name == NULL)
        return NULL;
    for (size_t i = 0; i < VERSION_SCHEME_COUNT; i++)
        if (xsirt_ascii_casecmp(version_schemes[i]->name, name) == 0)
            return version_schemes[i];
    /* Aliases used by purl types and people. */
    if (xsirt_ascii_casecmp(name, "go") == 0)
        return xsirt_version_scheme_find("golang");
    if (xsirt_ascii_casecmp(name, "alpine") == 0)
        return xsirt_version_scheme_find("apk");
    if (xsirt_ascii_casecmp(name, "debian") == 0)
        return xsirt_version_scheme_find("deb");
    return NULL;
}

const xsirt_version_scheme *xsirt_version_scheme_for_osv(const char *ecosystem)
{
    size_t len;
    const char *colon;

    if (ecosystem == NULL)
        return NULL;
    colon = strchr(ecosystem, ':');
    len = colon != NULL ? (size_t)(colon - ecosystem) : strlen(ecosystem);
    for (size_t i = 0; i < sizeof version_osv_names / sizeof version_osv_names[0]; i++) {
        const char *e = version_osv_names[i].ecosystem;
        if (strlen(e) == len && memcmp(e, ecosystem, len) == 0)
            return xsirt_version_scheme_find(version_osv_names[i].scheme);
    }
    return NULL;
}

const char *xsirt_version_scheme_name(const xsirt_version_scheme *scheme)
{
    return scheme != NULL ? scheme->name : NULL;
}

size_t xsirt_version_scheme_count(void)
{
    return VERSION_SCHEME_COUNT;
}

const xsirt_version_scheme *xsirt_version_scheme_at(size_t index)
{
    return index < VERSION_SCHEME_COUNT ? version_schemes[index] : NULL;
}

static int version_check(const char *v, const char *which, xsirt_error *err)
{
    if (v == NULL)
        return xsirt_error_set(err, XSIRT_EINVAL, "%s version is missing", which);
    if (strlen(v) > XSIRT_LIMIT_VERSION)
        return xsirt_error_set(err, XSIRT_ELIMIT, "%s version is longer than %u bytes",
                               which, XSIRT_LIMIT_VERSION);
    return 0;
}

int xsirt_version_validate(const xsirt_version_scheme *scheme, const char *version,
                           xsirt_error *err)
{
    int rc;

    if (scheme == NULL)
        return xsirt_error_set(err, XSIRT_ENOTFOUND, "no version scheme");
    rc = version_check(version, "the", err);
    return rc != 0 ? rc : scheme->validate(version, err);
}

int xsirt_version_compare(int *out, const xsirt_version_scheme *scheme, const char *a,
                          const char *b, xsirt_error *err)
{
    int rc;

    if (scheme == NULL)
        return xsirt_error_set(err, XSIRT_ENOTFOUND, "no version scheme");
    if ((rc = version_check(a, "the first", err)) != 0 ||
        (rc = version_check(b, "the second", err)) != 0)
        return rc;
    return scheme->compare(out, a, b, err);
}

struct xsirt_version {
    const xsirt_version_scheme *scheme;
    const char *text;          /* inside this block, after parsed */
    max_align_t parsed[];      /* scheme->size(text) bytes */
};

/* Bytes from the start of a parsed version to its text. */
static size_t version_text_at(const xsirt_version_scheme *scheme, const char *version)
{
    return offsetof(xsirt_version, parsed) + (scheme->size != NULL ? scheme->size(version) : 0);
}

size_t xsirt_version_footprint(const xsirt_version_scheme *scheme, const char *version)
{
    size_t n = version_text_at(scheme, version) + strlen(version) + 1,
           a = _Alignof(max_align_t);

    /* Bounded: version is at most XSIRT_LIMIT_VERSION bytes (callers check
     * it, or parse_at rejects it) and parsed forms are a few bytes per byte. */
    return (n + a - 1) / a * a;
}

int xsirt_version_parse_at(xsirt_version **out, void *mem, const xsirt_version_scheme *scheme,
                           const char *version, xsirt_error *err)
{
    xsirt_version *v = mem;
    char *text;
    int rc;

    *out = NULL;
    if (scheme == NULL)
        return xsirt_error_set(err, XSIRT_ENOTFOUND, "no version scheme");
    /* A scheme's parse is its validation: run one or the other. */
    if ((rc = version_check(version, "the", err)) != 0 ||
        (scheme->parse == NULL && (rc = scheme->validate(version, err)) != 0))
        return rc;
    text = (char *)v + version_text_at(scheme, version);
    memcpy(text, version, strlen(version) + 1);
    v->scheme = scheme;
    v->text = text;
    if (scheme->parse != NULL && (rc = scheme->parse(v->parsed, text, err)) != 0)
        return rc;
    *out = v;
    return 0;
}

int xsirt_version_parse(xsirt_version **out, const xsirt_version_scheme *scheme,
                        const char *version, xsirt_error *err)
{
    void *mem;
    int rc;

    *out = NULL;
    if (scheme == NULL || version == NULL || strlen(version) > XSIRT_LIMIT_VERSION)
        return xsirt_version_parse_at(out, NULL, scheme, version, err);   /* the error */
    if ((mem = malloc(xsirt_version_footprint(scheme, version))) == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory parsing a version");
    if ((rc = xsirt_version_parse_at(out, mem, scheme, version, err)) != 0)
        free(mem);
    return rc;
}

void xsirt_version_free(xsirt_version *v)
{
    free(v);
}

int xsirt_version_cmp(const xsirt_version *a, const xsirt_version *b)
{
    int c = 0;

    if (a->scheme != b->scheme)
        return strcmp(a->scheme->name, b->scheme->name) < 0 ? -1 : 1;
    if (a->scheme->cmp != NULL)
        c = a->scheme->cmp(a->parsed, b->parsed);
    else   /* both validated when parsed, so compare cannot fail */
        (void)a->scheme->compare(&c, a->text, b->text, NULL);
    return (c > 0) - (c < 0);
}

const char *xsirt_version_text(const xsirt_version *v)
{
    return v->text;
}

const xsirt_version_scheme *xsirt_version_scheme_of(const xsirt_version *v)
{
    return v->scheme;
}

const char *xsirt_version_osv_ecosystem_at(size_t index)
{
    return index < sizeof version_osv_names / sizeof version_osv_names[0]
               ? version_osv_names[index].ecosystem
               : NULL;
}
