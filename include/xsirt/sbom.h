/*
 * sbom.h — software bills of materials read into one model: the input side
 * of PSIRT triage (the matching engine consumes this model).
 *
 * Four formats are read: CycloneDX JSON and XML (1.2 to 1.6) and SPDX 2.2 /
 * 2.3 as JSON and as tag-value. Each becomes the same xsirt_sbom: a flat
 * array of components (nested CycloneDX components are flattened, keeping a
 * parent index; the document's subject is one of them), a dependency graph
 * whose edges carry both a normalised kind and the document's own
 * relationship name, and the VEX statements a CycloneDX BOM carries.
 *
 * Strings are kept as the document gives them (a purl is not parsed here);
 * absent values are NULL. Every string and array belongs to the xsirt_sbom
 * and lives until xsirt_sbom_free(). Readers do no I/O: they are handed the
 * bytes of one document.
 */
#ifndef XSIRT_SBOM_H
#define XSIRT_SBOM_H

#include <stdbool.h>
#include <stddef.h>

#include "common.h"
#include "error.h"

/* An index that points nowhere (no parent, no subject, unresolved ref). */
#define XSIRT_SBOM_NONE ((size_t)-1)

typedef enum xsirt_sbom_format {
    XSIRT_SBOM_FORMAT_UNKNOWN = 0,
    XSIRT_SBOM_CYCLONEDX_JSON,
    XSIRT_SBOM_CYCLONEDX_XML,
    XSIRT_SBOM_SPDX_JSON,
    XSIRT_SBOM_SPDX_TAG,
    XSIRT_SBOM_INVENTORY_CSV  /* a device inventory (sbom_inventory.c) */
} xsirt_sbom_format;

/* What an edge "from -> to" means, whatever the document called it. SPDX
 * inverse relationships (DEPENDENCY_OF, CONTAINED_BY, GENERATES, ...) are
 * turned round so that "from" is always the dependent / container /
 * describer / derived element. */
typedef enum xsirt_sbom_edge_kind {
    XSIRT_SBOM_EDGE_DEPENDS_ON = 0,   /* from needs to at run time (links, loads it) */
    XSIRT_SBOM_EDGE_BUILD_DEPENDS_ON, /* from needs to only to build, develop or test */
    XSIRT_SBOM_EDGE_CONTAINS,         /* to is a part of from */
    XSIRT_SBOM_EDGE_DESCRIBES,        /* the document (from) describes to */
    XSIRT_SBOM_EDGE_GENERATED_FROM,   /* from was built from to */
    XSIRT_SBOM_EDGE_OTHER             /* anything else, direction as written */
} xsirt_sbom_edge_kind;

typedef struct xsirt_sbom_hash {
    const char *alg;     /* as written: "SHA-256" (CycloneDX), "SHA256" (SPDX) */
    const char *value;
} xsirt_sbom_hash;

typedef struct xsirt_sbom_component {
    const char *ref;          /* CycloneDX bom-ref (may be NULL), SPDX SPDXID */
    const char *type;         /* "library", "application", ...; SPDX: lower-cased
                               * primaryPackagePurpose, "file" for files, else NULL */
    const char *group;        /* CycloneDX group (namespace); NULL for SPDX */
    const char *name;         /* never NULL */
    const char *version;
    const char *purl;         /* the first purl, unparsed */
    const char *cpe;          /* the first CPE (2.3 or 2.2 form), unparsed */
    const char **other_purls; /* SPDX may list more than one purl */
    size_t other_purl_count;
    const char **other_cpes;
    size_t other_cpe_count;
    const char *supplier;     /* CycloneDX supplier.name; SPDX supplier as written */
    const char **licenses;    /* ids, names or expressions; SPDX NOASSERTION/NONE dropped */
    size_t license_count;
    xsirt_sbom_hash *hashes;
    size_t hash_count;
    size_t parent;            /* enclosing component, or XSIRT_SBOM_NONE */
    unsigned depth;           /* 0 at top level, parent's depth + 1 when nested */
    const char *manufacturer; /* CycloneDX 1.6 manufacturer.name (devices, firmware) */
} xsirt_sbom_component;

typedef struct xsirt_sbom_edge {
    const char *from;         /* refs as written (SPDX: may be DocumentRef-x:SPDXRef-y) */
    const char *to;
    size_t from_index;        /* into components, or XSIRT_SBOM_NONE when the ref */
    size_t to_index;          /* names no component (the document, another document) */
    xsirt_sbom_edge_kind kind;
    const char *relationship; /* "dependsOn", "provides", "DEPENDENCY_OF", ... */
} xsirt_sbom_edge;

typedef struct xsirt_sbom_rating {
    const char *source;       /* source.name */
    const char *method;       /* "CVSSv31", "CVSSv4", "OWASP", ... */
    const char *vector;       /* unparsed */
    const char *severity;
    double score;
    bool has_score;
} xsirt_sbom_rating;

/* One CycloneDX vulnerabilities[] entry: an existing VEX statement. */
typedef struct xsirt_sbom_vulnerability {
    const char *ref;          /* bom-ref */
    const char *id;           /* "CVE-2021-44228" */
    const char *source_name;
    const char *source_url;
    xsirt_sbom_rating *ratings;
    size_t rating_count;
    const char **affects;     /* affects[].ref: bom-refs (or bom-links) */
    size_t affect_count;
    const char *state;        /* analysis.state: "not_affected", "exploitable", ... */
    const char *justification;
    const char **responses;   /* analysis.response[] */
    size_t response_count;
    const char *detail;
} xsirt_sbom_vulnerability;

typedef struct xsirt_sbom {
    xsirt_sbom_format format;
    const char *spec_version; /* "1.2".."1.6", "SPDX-2.2", "SPDX-2.3" */
    const char *name;         /* SPDX document name; NULL for CycloneDX */
    const char *serial;       /* CycloneDX serialNumber; SPDX documentNamespace */
    size_t subject;           /* CycloneDX metadata.component; SPDX the first
                               * described package; or XSIRT_SBOM_NONE */
    xsirt_sbom_component *components;
    size_t component_count;
    xsirt_sbom_edge *edges;
    size_t edge_count;
    xsirt_sbom_vulnerability *vulnerabilities;
    size_t vulnerability_count;
    struct xsirt_sbom_store *store; /* private: the memory behind the strings */
} xsirt_sbom;

/* Reads one SBOM, recognising its format from the content: JSON with
 * "bomFormat": "CycloneDX" or "spdxVersion", XML in the CycloneDX namespace,
 * or SPDX tag-value. Errors name the place: a JSON pointer
 * ("/components/3/purl") or a line and column. XSIRT_EUNSUPPORTED for a
 * recognised but unsupported document (CycloneDX 1.1, SPDX 3). */
XSIRT_API int xsirt_sbom_parse(xsirt_sbom **out, const char *data, size_t len,
                               xsirt_error *err);

/* The same, for a document known to be in one format. */
XSIRT_API int xsirt_sbom_parse_cyclonedx_json(xsirt_sbom **out, const char *data,
                                              size_t len, xsirt_error *err);
XSIRT_API int xsirt_sbom_parse_cyclonedx_xml(xsirt_sbom **out, const char *data,
                                             size_t len, xsirt_error *err);
XSIRT_API int xsirt_sbom_parse_spdx_json(xsirt_sbom **out, const char *data,
                                         size_t len, xsirt_error *err);
XSIRT_API int xsirt_sbom_parse_spdx_tag(xsirt_sbom **out, const char *data,
                                        size_t len, xsirt_error *err);

/* A device inventory as CSV: a header naming vendor, product and version
 * columns (serial, location optional; English or Japanese names), one
 * device a row, each a component of type "device" whose supplier is the
 * vendor. encoding: NULL or "auto" (UTF-8, with or without BOM, else
 * Shift_JIS/CP932), "utf-8", "shift_jis" (or any name iconv knows).
 * Errors name the line and column. xsirt_sbom_parse reads an inventory
 * too when the first line looks like a CSV header
 * (xsirt_sbom_looks_like_inventory). */
XSIRT_API int xsirt_sbom_parse_inventory(xsirt_sbom **out, const char *data, size_t len,
                                         const char *encoding, xsirt_error *err);
XSIRT_API bool xsirt_sbom_looks_like_inventory(const char *data, size_t len);

/* Devices the caller already holds (the server's assets of kind device)
 * as an SBOM to scan like an inventory: one "device" component each,
 * supplier = vendor, bom-ref = ref (may be NULL: "row-N"). Strings are
 * copied. XSIRT_EINVAL (naming the index) for a device without product. */
typedef struct xsirt_sbom_device {
    const char *vendor;
    const char *product;
    const char *version;
    const char *ref;
} xsirt_sbom_device;
XSIRT_API int xsirt_sbom_from_devices(xsirt_sbom **out, const xsirt_sbom_device *devices,
                                      size_t count, xsirt_error *err);

XSIRT_API void xsirt_sbom_free(xsirt_sbom *sbom);

/* The index of the component whose ref is ref, or XSIRT_SBOM_NONE (the
 * first one when a document repeats a ref). */
XSIRT_API size_t xsirt_sbom_find(const xsirt_sbom *sbom, const char *ref);

/* Stable names for output: "cyclonedx-json", "cyclonedx-xml", "spdx-json",
 * "spdx-tag", "inventory-csv"; "depends-on", "build-depends-on", "contains", "describes",
 * "generated-from", "other". */
XSIRT_API const char *xsirt_sbom_format_name(xsirt_sbom_format format);
XSIRT_API const char *xsirt_sbom_edge_kind_name(xsirt_sbom_edge_kind kind);

#endif
