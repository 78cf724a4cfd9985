/*
 * names.c — index keys and version normalisation, one place for both
 * sides of matching (see names.h and docs/matching.md).
 *
 * A package is keyed by its purl type (not the OSV ecosystem name), so that
 * a purl from an SBOM and an OSV package meet: "PyPI" and pkg:pypi are both
 * "p:pypi/NAME". Distributions keep their namespace ("p:deb/debian/curl") so
 * that an Ubuntu advisory never matches a Debian package of the same name.
 */
#include <string.h>

#include "core/str.h"
#include "match/names.h"
#include "xsirt/error.h"
#include "xsirt/limits.h"
#include "xsirt/match.h"

/* Every key is one string; its parts are bounded by the identifier limit. */
static const struct {
    const char *ecosystem; /* OSV name before ':' */
    const char *type;      /* purl type */
    const char *ns;        /* purl namespace of distributions, else NULL */
} names_osv[] = {
    {"Go", "golang", NULL},        {"npm", "npm", NULL},         {"PyPI", "pypi", NULL},
    {"crates.io", "cargo", NULL},  {"Maven", "maven", NULL},     {"NuGet", "nuget", NULL},
    {"RubyGems", "gem", NULL},     {"Packagist", "composer", NULL}, {"Hex", "hex", NULL},
    {"Pub", "pub", NULL},          {"ConanCenter", "conan", NULL}, {"CRAN", "cran", NULL},
    {"Hackage", "hackage", NULL},  {"SwiftURL", "swift", NULL},  {"Bitnami", "bitnami", NULL},
    {"Debian", "deb", "debian"},   {"Ubuntu", "deb", "ubuntu"},  {"Alpine", "apk", "alpine"},
    {"Wolfi", "apk", "wolfi"},     {"Chainguard", "apk", "chainguard"},
    {"Red Hat", "rpm", "redhat"},  {"Rocky Linux", "rpm", "rocky-linux"},
    {"AlmaLinux", "rpm", "almalinux"}, {"openSUSE", "rpm", "opensuse"},
    {"SUSE", "rpm", "suse"},       {"Mageia", "rpm", "mageia"},  {"Photon OS", "rpm", "photon"},
    {"openEuler", "rpm", "openeuler"}, {"Azure Linux", "rpm", "azure-linux"},
};

/* purl types whose scheme is not named like the type. */
static const struct {
    const char *type;
    const char *scheme;
} names_types[] = {
    {"cran", "generic"}, {"hackage", "generic"}, {"swift", "semver"}, {"bitnami", "semver"},
};

/* strcmp(a, b) == 0, first letters first: called for every component
 * against a few names, which mostly differ at once. */
static bool names_is(const char *a, const char *b)
{
    return a[0] == b[0] && strcmp(a, b) == 0;
}

static bool names_distro_type(const char *type)
{
    return names_is(type, "deb") || names_is(type, "rpm") || names_is(type, "apk");
}

const char *xsirt_match_osv_type(const char *ecosystem, const char **ns)
{
    size_t len;
    const char *colon;

    *ns = NULL;
    if (ecosystem == NULL)
        return NULL;
    colon = strchr(ecosystem, ':');
    len = colon != NULL ? (size_t)(colon - ecosystem) : strlen(ecosystem);
    for (size_t i = 0; i < sizeof names_osv / sizeof names_osv[0]; i++)
        if (strlen(names_osv[i].ecosystem) == len &&
            memcmp(names_osv[i].ecosystem, ecosystem, len) == 0) {
            *ns = names_osv[i].ns;
            return names_osv[i].type;
        }
    return NULL;
}

const xsirt_version_scheme *xsirt_match_type_scheme(const char *type)
{
    for (size_t i = 0; i < sizeof names_types / sizeof names_types[0]; i++)
        if (strcmp(names_types[i].type, type) == 0)
            return xsirt_version_scheme_find(names_types[i].scheme);
    if (strcmp(type, "generic") == 0 || strcmp(type, "semver") == 0)
        return NULL;   /* schemes, not package types */
    return xsirt_version_scheme_find(type);
}

/* Appends name normalised for type: the name is appended as it is, then
 * rewritten in place (normalising never lengthens it). */
static int names_put_normalized(xsirt_buf *out, const char *type, const char *name)
{
    size_t at = out->len, w = at;
    int rc = xsirt_buf_puts(out, name);
    char *d = out->data;

    if (rc != 0)
        return rc;
    if (names_is(type, "pypi")) {
        /* PEP 503: lower case, runs of -_. become one '-'. */
        for (size_t r = at; r < out->len; r++) {
            char c = d[r];
            if (c == '-' || c == '_' || c == '.') {
                while (r + 1 < out->len && (d[r + 1] == '-' || d[r + 1] == '_' || d[r + 1] == '.'))
                    r++;
                d[w++] = '-';
            } else {
                d[w++] = (char)xsirt_ascii_lower((unsigned char)c);
            }
        }
        out->len = w;
        d[w] = '\0';
    } else if (names_is(type, "nuget") || names_is(type, "composer") ||
               names_is(type, "hex") || names_distro_type(type)) {
        for (size_t r = at; r < out->len; r++)
            d[r] = (char)xsirt_ascii_lower((unsigned char)d[r]);
    }
    return 0;
}

int xsirt_match_key_package(xsirt_buf *out, const char *type, const char *name)
{
    int rc;

    if ((rc = xsirt_buf_puts(out, "p:")) != 0 || (rc = xsirt_buf_puts(out, type)) != 0 ||
        (rc = xsirt_buf_putc(out, '/')) != 0)
        return rc;
    return names_put_normalized(out, type, name);
}

int xsirt_match_key_cpe(xsirt_buf *out, const char *vendor, const char *product)
{
    int rc = xsirt_buf_puts(out, "c:");

    for (const char *p = vendor; *p != '\0' && rc == 0; p++)
        rc = xsirt_buf_putc(out, (char)xsirt_ascii_lower((unsigned char)*p));
    if (rc == 0)
        rc = xsirt_buf_putc(out, ':');
    for (const char *p = product; *p != '\0' && rc == 0; p++)
        rc = xsirt_buf_putc(out, (char)xsirt_ascii_lower((unsigned char)*p));
    return rc;
}

int xsirt_match_purl_name(xsirt_buf *out, const xsirt_purl *p)
{
    const char *ns = p->namespace_;
    int rc = 0;

    if (ns != NULL && ns[0] != '\0' && (rc = xsirt_buf_puts(out, ns)) == 0)
        rc = xsirt_buf_putc(out, strcmp(p->type, "maven") == 0 ? ':' : '/');
    return rc != 0 ? rc : xsirt_buf_puts(out, p->name);
}

static const struct {
    const char *host;
    const char *type;
} names_collections[] = {
    {"pkg.go.dev", "golang"},         {"proxy.golang.org", "golang"},
    {"pypi.org", "pypi"},             {"pypi.python.org", "pypi"},
    {"crates.io", "cargo"},           {"www.npmjs.com", "npm"},
    {"npmjs.com", "npm"},             {"registry.npmjs.org", "npm"},
    {"repo.maven.apache.org", "maven"}, {"repo1.maven.org", "maven"},
    {"search.maven.org", "maven"},    {"rubygems.org", "gem"},
    {"www.nuget.org", "nuget"},       {"nuget.org", "nuget"},
    {"packagist.org", "composer"},    {"hex.pm", "hex"},
    {"pub.dev", "pub"},
};

const char *xsirt_match_collection_type(const char *url)
{
    const char *host, *end;
    size_t len;

    if (url == NULL)
        return NULL;
    host = strstr(url, "://");
    host = host != NULL ? host + 3 : url;
    end = host + strcspn(host, "/?#");
    len = (size_t)(end - host);
    for (size_t i = 0; i < sizeof names_collections / sizeof names_collections[0]; i++)
        if (strlen(names_collections[i].host) == len &&
            xsirt_ascii_ncasecmp(names_collections[i].host, host, len) == 0)
            return names_collections[i].type;
    return NULL;
}

int xsirt_match_version_norm(xsirt_buf *out, const char *scheme, const char *version)
{
    if (names_is(scheme, "golang") && version[0] != 'v' && strcmp(version, "0") != 0)
    {
        int rc = xsirt_buf_putc(out, 'v');
        return rc != 0 ? rc : xsirt_buf_puts(out, version);
    }
    if (names_is(scheme, "generic") && (version[0] == 'v' || version[0] == 'V') &&
        xsirt_is_digit((unsigned char)version[1]))
        return xsirt_buf_puts(out, version + 1);   /* "V4.1" as vendors write 4.1 */
    if (names_is(scheme, "pypi")) {
        /* PEP 440: a local version label ("+cu118") is the same release. */
        const char *plus = strchr(version, '+');
        if (plus != NULL)
            return xsirt_buf_append(out, version, (size_t)(plus - version));
    }
    return xsirt_buf_puts(out, version);
}

int xsirt_match_normalize_name(char **out, const char *scheme, const char *name,
                               xsirt_error *err)
{
    xsirt_buf b;
    int rc;

    *out = NULL;
    xsirt_buf_init(&b, XSIRT_LIMIT_IDENTIFIER);
    if ((rc = xsirt_buf_puts(&b, "")) != 0 || (rc = names_put_normalized(&b, scheme, name)) != 0) {
        xsirt_buf_free(&b);
        return xsirt_error_set(err, rc, "package name: %s", xsirt_error_code_name(rc));
    }
    *out = xsirt_buf_detach(&b);
    return *out != NULL ? 0 : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
}
