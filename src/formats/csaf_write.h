/*
 * csaf_write.h — writes a CSAF 2.0 document (profile
 * csaf_security_advisory or csaf_vex) from a plain description that the
 * store assembles from a case or an asset (store/advisory.c,
 * store/asset_vex.c). Formats do no I/O: the caller reads the database,
 * this module only shapes the document. See docs/advisories.md.
 *
 * The description, a JSON object:
 *   {"category":"csaf_security_advisory"|"csaf_vex", "title", "lang",
 *    "tlp":"CLEAR|GREEN|AMBER|AMBER+STRICT|RED" (FIRST TLP 2.0),
 *    "publisher":{"name","namespace","category"},
 *    "tracking":{"id","status":"draft|final","version","initial",
 *                "current","history":[{"date","number","summary"}]},
 *    "notes":[{"category","title","text"}], "references":[{"url",
 *    "summary","category"}], "acknowledgments":[{"names":[..],
 *    "organization","summary"}], "self_url",
 *    "products":[{"id","vendor","name","version","cpe","purl"}],
 *    "vulnerabilities":[{"id" (a CVE or another id),"title","summary",
 *      "cwe":{"id","name"},"cvss":"vector","notes":[...],
 *      "status":{"<product id>":{"status":"known_affected|fixed|
 *        known_not_affected|under_investigation","justification",
 *        "detail"}}, "remediation":"text"}]}
 *
 * TLP 2.0 labels map to CSAF 2.0's TLP 1.0 labels: CLEAR -> WHITE,
 * GREEN -> GREEN, AMBER -> AMBER, AMBER+STRICT -> AMBER (the distribution
 * text keeps "TLP:AMBER+STRICT"), RED -> RED.
 */
#ifndef XSIRT_FORMATS_CSAF_WRITE_H
#define XSIRT_FORMATS_CSAF_WRITE_H

#include <jansson.h>

#include "xsirt/error.h"

/* *out gets the CSAF document; XSIRT_EINVAL names the field of the
 * description that is missing or wrong (a programming error upstream or
 * a CVSS vector that does not parse). */
int xsirt_csaf_write(json_t **out, const json_t *desc, xsirt_error *err);

/* The CSAF flag label (also OpenVEX's justification) of a CycloneDX
 * justification; NULL for none or an unknown one. */
const char *xsirt_csaf_write_flag(const char *justification);

/* The CSAF TLP 1.0 label of a TLP 2.0 label; NULL for an unknown one. */
const char *xsirt_csaf_write_tlp(const char *tlp2);

/* The file name the provider directory gives a tracking id (spec 5.1):
 * lower case, every character other than [+\-a-z0-9] made "_", ".json".
 * Writes at most size bytes; returns false when it does not fit. */
int xsirt_csaf_write_filename(char *out, size_t size, const char *tracking_id);

#endif
