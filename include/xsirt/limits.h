/*
 * limits.h — every limit xsirt enforces, in one place, with its reason.
 *
 * Input from outside (files, HTTP bodies, command arguments) is bounded so
 * that hostile input costs bounded memory and time. A limit hit is an
 * XSIRT_ELIMIT error naming the limit, never a crash or a silent cut.
 * Include as <xsirt/limits.h> (not to be confused with the C <limits.h>).
 */
#ifndef XSIRT_LIMITS_H
#define XSIRT_LIMITS_H

/* One line of line-oriented input (a purl, a version, a CVSS vector, a
 * batch line "A<TAB>B"). Real identifiers are under 1 KiB; 64 KiB leaves
 * room for generated ones without letting a single line exhaust memory. */
#define XSIRT_LIMIT_LINE (64u * 1024u)

/* A version string. The longest real versions (Go pseudo-versions, Debian
 * versions with long revisions) stay well under 256 bytes. */
#define XSIRT_LIMIT_VERSION 1024u

/* Numeric components inside a version are compared as digit strings, so no
 * length limit is needed for overflow; this bounds the number of components
 * a version may have (dotted segments, qualifiers). */
#define XSIRT_LIMIT_VERSION_PARTS 256u

/* A purl, a vers range or a CPE string. The purl spec sets no limit;
 * registries cap names far below this. */
#define XSIRT_LIMIT_IDENTIFIER (16u * 1024u)

/* Constraints in one vers range (">=1.0|<2.0|..."). Real advisories list
 * at most a few hundred affected versions. */
#define XSIRT_LIMIT_VERS_CONSTRAINTS 4096u

/* Qualifiers in one purl. */
#define XSIRT_LIMIT_PURL_QUALIFIERS 64u

/* A CVSS vector: the longest valid v4.0 vector with every metric is about
 * 300 bytes. */
#define XSIRT_LIMIT_CVSS_VECTOR 512u

/* An error message built from input quotes input; quotes are cut here. */
#define XSIRT_LIMIT_QUOTE 64u

/* A single input file read whole by the CLI (SBOMs, advisories). Large
 * intelligence sets are streamed, not read whole. */
#define XSIRT_LIMIT_FILE (256u * 1024u * 1024u)

/* Nesting depth of JSON/XML documents; deeper input is hostile. */
#define XSIRT_LIMIT_DEPTH 64u

/* Versions `xsirt version sort` holds in memory at once. Real version
 * lists (every release of a package) are in the thousands. */
#define XSIRT_LIMIT_VERSION_SORT (1024u * 1024u)

/* Components in one SBOM, nested ones included. The largest real SBOMs
 * (container images, monorepos) list tens of thousands; a million leaves
 * room while bounding the model (about 200 bytes a component besides its
 * strings) to a few hundred MiB at worst. */
#define XSIRT_LIMIT_SBOM_COMPONENTS 1000000u

/* Dependency edges in one SBOM. Real graphs have a few edges a component;
 * four a component at the component limit. */
#define XSIRT_LIMIT_SBOM_EDGES 4000000u

/* VEX statements (vulnerabilities[]) in one SBOM. Large VEX documents
 * carry thousands; this bounds a hostile one. */
#define XSIRT_LIMIT_SBOM_VULNERABILITIES 100000u

/* Entries in one list of one component or statement: hashes, licences,
 * purls, CPEs, ratings, affected refs, responses. Real lists hold a
 * handful; a statement may affect many components of a large BOM. */
#define XSIRT_LIMIT_SBOM_LIST 65536u

/* An HTTP request body. The largest legitimate body is a case description
 * (256 KiB) with its fields, or a workflow definition; attachments and
 * SBOM uploads will have their own streaming path and limit. */
#define XSIRT_LIMIT_HTTP_BODY (1024u * 1024u)

/* Concurrent HTTP connections one server accepts; beyond it the kernel
 * queues them. Bounds memory per server (each connection buffers at most
 * XSIRT_LIMIT_HTTP_BODY). */
#define XSIRT_LIMIT_HTTP_CONNECTIONS 1024u

/* Archives of intelligence (OSV's per-ecosystem all.zip). One entry is one
 * advisory: the largest real OSV records and CSAF advisories are a few MB,
 * so 64 MiB per entry is generous while a zip bomb's single giant entry is
 * stopped after 64 MiB of output instead of filling memory. */
#define XSIRT_LIMIT_ARCHIVE_ENTRY (64u * 1024u * 1024u)

/* Uncompressed bytes read from one archive. OSV's largest per-ecosystem
 * all.zip files expand to well under 2 GiB; 8 GiB bounds the decompression
 * time a hostile archive of many medium entries can cost. */
#define XSIRT_LIMIT_ARCHIVE_TOTAL (8ull * 1024u * 1024u * 1024u)

/* Entries in one archive: OSV's whole database is about 500,000 records;
 * a directory of millions of empty entries is a bomb of another kind. */
#define XSIRT_LIMIT_ARCHIVE_ENTRIES 4000000u

/* Length of an entry name inside an archive (POSIX PATH_MAX is 4096). */
#define XSIRT_LIMIT_ARCHIVE_NAME 4096u

/* Findings in one report input (components x vulnerabilities of a scan).
 * A large image scan yields thousands; this bounds a hostile input. */
#define XSIRT_LIMIT_REPORT_FINDINGS 1000000u

/* A report returned as one string (xsirt_report_write, the scan writers'
 * text form) is held whole in memory; past this size the caller should
 * stream it (xsirt_report_stream, xsirt_match_stream_*), which has no
 * bound. A SARIF report of a quarter of a million findings is ~400 MB. */
#define XSIRT_LIMIT_REPORT_TEXT ((size_t)2u << 30)

/* Statements in one VEX document (OpenVEX statements, CSAF product
 * statuses, CycloneDX vulnerabilities x affects). Vendors' VEX feeds hold
 * thousands; this bounds a hostile one. */
#define XSIRT_LIMIT_VEX_STATEMENTS 1000000u

/* Records, index entries (postings) and string references in one match
 * index: all of OSV is about 500,000 records with a few entries each; 2^28
 * keeps every count and 32-bit reference in range with room to spare. */
#define XSIRT_LIMIT_INDEX_ENTRIES (1u << 28)

/* Bytes of distinct strings in one match index: references are 32-bit. */
#define XSIRT_LIMIT_INDEX_STRINGS (4000ull * 1024u * 1024u)

/* Bytes of original documents kept in one match index (the whole of OSV
 * and NVD is a few GiB of JSON). */
#define XSIRT_LIMIT_INDEX_DOCS (16ull * 1024u * 1024u * 1024u)

/* Findings of one scan (component × record pairs): a 10,000-component SBOM
 * rarely has more than a few thousand. */
#define XSIRT_LIMIT_FINDINGS 10000000u

#endif
