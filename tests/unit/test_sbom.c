/*
 * test_sbom.c — the SBOM readers (include/xsirt/sbom.h): what each format
 * yields (VEX, nested components, SPDX relationships turned round), the
 * error messages and their positions, and hostile input: truncation, wrong
 * types, deep nesting, XML entity expansion and external entities, limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xsirt/error.h"
#include "xsirt/limits.h"
#include "xsirt/sbom.h"

/* Parses text with the detecting entry point; returns the code and keeps the
 * formatted error in msg. */
static int parse(xsirt_sbom **out, const char *text, char *msg, size_t msgsz)
{
    xsirt_error err;
    int rc;

    xsirt_error_clear(&err);
    rc = xsirt_sbom_parse(out, text, strlen(text), &err);
    xsirt_error_format(msg, msgsz, &err, NULL);
    if (rc != 0)
        assert_null(*out);
    return rc;
}

/* Expects text to fail with code and a message containing want. */
static void expect_error(const char *text, int code, const char *want)
{
    xsirt_sbom *s = NULL;
    char msg[600];
    int rc = parse(&s, text, msg, sizeof msg);

    if (rc != code || strstr(msg, want) == NULL)
        fail_msg("got %d \"%s\", want %d with \"%s\"", rc, msg, code, want);
}

static xsirt_sbom *must_parse(const char *text)
{
    xsirt_sbom *s = NULL;
    char msg[600];

    if (parse(&s, text, msg, sizeof msg) != 0)
        fail_msg("parse failed: %s", msg);
    return s;
}

/* ---- CycloneDX JSON ---- */

static const char cdx_json[] =
    "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\","
    "\"serialNumber\":\"urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79\",\"version\":1,"
    "\"metadata\":{\"component\":{\"type\":\"application\",\"bom-ref\":\"app\","
    "\"name\":\"shop\",\"version\":\"2.0\",\"purl\":\"pkg:generic/shop@2.0\"}},"
    "\"components\":[{\"type\":\"library\",\"bom-ref\":\"log4j\","
    "\"group\":\"org.apache.logging.log4j\",\"name\":\"log4j-core\",\"version\":\"2.14.1\","
    "\"purl\":\"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1\","
    "\"cpe\":\"cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*\","
    "\"supplier\":{\"name\":\"Apache\"},"
    "\"hashes\":[{\"alg\":\"SHA-256\",\"content\":\"abcd\"}],"
    "\"licenses\":[{\"license\":{\"id\":\"Apache-2.0\"}},{\"expression\":\"MIT OR X\"}],"
    "\"unknownField\":{\"deep\":[1,2,3]},"
    "\"components\":[{\"type\":\"library\",\"bom-ref\":\"inner\",\"name\":\"inner\","
    "\"components\":[{\"type\":\"file\",\"name\":\"innermost\"}]}]},"
    "{\"type\":\"library\",\"name\":\"other\",\"purl\":\"pkg:npm/%40a/b@1.0.0?x=1#p\"}],"
    "\"dependencies\":[{\"ref\":\"app\",\"dependsOn\":[\"log4j\",\"elsewhere\"]},"
    "{\"ref\":\"log4j\",\"provides\":[\"inner\"]}],"
    "\"vulnerabilities\":[{\"bom-ref\":\"v1\",\"id\":\"CVE-2021-44228\","
    "\"source\":{\"name\":\"NVD\",\"url\":\"https://nvd.nist.gov/\"},"
    "\"ratings\":[{\"source\":{\"name\":\"NVD\"},\"score\":10.0,\"severity\":\"critical\","
    "\"method\":\"CVSSv31\",\"vector\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H\"},"
    "{\"method\":\"other\"}],"
    "\"affects\":[{\"ref\":\"log4j\"},{\"ref\":\"urn:cdx:x/1#y\"}],"
    "\"analysis\":{\"state\":\"not_affected\",\"justification\":\"code_not_reachable\","
    "\"response\":[\"will_not_fix\",\"update\"],\"detail\":\"JNDI disabled\"}}]}";

static void test_cyclonedx_json(void **state)
{
    xsirt_sbom *s = must_parse(cdx_json);
    const xsirt_sbom_component *c;
    const xsirt_sbom_vulnerability *v;
    (void)state;

    assert_int_equal(s->format, XSIRT_SBOM_CYCLONEDX_JSON);
    assert_string_equal(s->spec_version, "1.6");
    assert_string_equal(s->serial, "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79");
    assert_null(s->name);
    assert_int_equal(s->component_count, 5);
    assert_int_equal(s->subject, 0);
    assert_string_equal(s->components[0].name, "shop");
    c = &s->components[1];
    assert_string_equal(c->ref, "log4j");
    assert_string_equal(c->group, "org.apache.logging.log4j");
    assert_string_equal(c->purl, "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
    assert_string_equal(c->cpe, "cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*");
    assert_string_equal(c->supplier, "Apache");
    assert_int_equal(c->hash_count, 1);
    assert_string_equal(c->hashes[0].alg, "SHA-256");
    assert_int_equal(c->license_count, 2);
    assert_string_equal(c->licenses[1], "MIT OR X");
    assert_true(c->parent == XSIRT_SBOM_NONE);
    /* nested components: flattened after their parent */
    assert_string_equal(s->components[2].name, "inner");
    assert_int_equal(s->components[2].parent, 1);
    assert_int_equal(s->components[2].depth, 1);
    assert_string_equal(s->components[3].name, "innermost");
    assert_int_equal(s->components[3].parent, 2);
    assert_int_equal(s->components[3].depth, 2);
    /* a purl is kept exactly as written */
    assert_string_equal(s->components[4].purl, "pkg:npm/%40a/b@1.0.0?x=1#p");
    assert_null(s->components[4].ref);
    /* dependencies */
    assert_int_equal(s->edge_count, 3);
    assert_int_equal(s->edges[0].kind, XSIRT_SBOM_EDGE_DEPENDS_ON);
    assert_int_equal(s->edges[0].from_index, 0);
    assert_int_equal(s->edges[0].to_index, 1);
    assert_string_equal(s->edges[0].relationship, "dependsOn");
    assert_true(s->edges[1].to_index == XSIRT_SBOM_NONE);
    assert_string_equal(s->edges[2].relationship, "provides");
    assert_int_equal(s->edges[2].to_index, 2);
    /* VEX */
    assert_int_equal(s->vulnerability_count, 1);
    v = &s->vulnerabilities[0];
    assert_string_equal(v->id, "CVE-2021-44228");
    assert_string_equal(v->ref, "v1");
    assert_string_equal(v->source_name, "NVD");
    assert_string_equal(v->source_url, "https://nvd.nist.gov/");
    assert_int_equal(v->rating_count, 2);
    assert_true(v->ratings[0].has_score);
    assert_true(v->ratings[0].score == 10.0);
    assert_string_equal(v->ratings[0].method, "CVSSv31");
    assert_string_equal(v->ratings[0].source, "NVD");
    assert_string_equal(v->ratings[0].vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H");
    assert_false(v->ratings[1].has_score);
    assert_int_equal(v->affect_count, 2);
    assert_string_equal(v->affects[1], "urn:cdx:x/1#y");
    assert_string_equal(v->state, "not_affected");
    assert_string_equal(v->justification, "code_not_reachable");
    assert_int_equal(v->response_count, 2);
    assert_string_equal(v->responses[1], "update");
    assert_string_equal(v->detail, "JNDI disabled");
    assert_int_equal(xsirt_sbom_find(s, "inner"), 2);
    assert_true(xsirt_sbom_find(s, "nothing") == XSIRT_SBOM_NONE);
    xsirt_sbom_free(s);
}

#define CDX_HEAD "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.4\","

static void test_cyclonedx_json_errors(void **state)
{
    (void)state;
    expect_error(CDX_HEAD "\"components\":[{\"name\":\"a\"},{\"name\":\"b\"},"
                 "{\"name\":\"c\"},{\"name\":\"d\",\"purl\":5}]}",
                 XSIRT_EINVAL, "/components/3/purl: expected string, found number");
    expect_error(CDX_HEAD "\"components\":[{\"type\":\"library\"}]}", XSIRT_EINVAL,
                 "/components/0: component has no \"name\"");
    /* A component's members are found in one pass but read in a fixed
     * order, whatever the document's: the same member is named. */
    expect_error(CDX_HEAD "\"components\":[{\"purl\":1,\"licenses\":{},\"name\":2}]}",
                 XSIRT_EINVAL, "/components/0/name: expected string, found number");
    expect_error(CDX_HEAD "\"components\":[{\"components\":3,\"hashes\":{},\"name\":\"a\","
                 "\"supplier\":[]}]}",
                 XSIRT_EINVAL, "/components/0/supplier: expected object, found array");
    expect_error(CDX_HEAD "\"components\":[{\"components\":3,\"hashes\":{},\"name\":\"a\"}]}",
                 XSIRT_EINVAL, "/components/0/hashes: expected array, found object");
    expect_error(CDX_HEAD "\"components\":[{\"components\":3,\"name\":\"a\"}]}",
                 XSIRT_EINVAL, "/components/0/components: expected array, found number");
    expect_error(CDX_HEAD "\"components\":{}}", XSIRT_EINVAL,
                 "/components: expected array, found object");
    expect_error(CDX_HEAD "\"components\":[\"x\"]}", XSIRT_EINVAL,
                 "/components/0: expected object, found string");
    expect_error(CDX_HEAD "\"components\":[{\"name\":\"a\",\"components\":"
                 "[{\"name\":\"b\",\"hashes\":[{\"alg\":\"MD5\"}]}]}]}",
                 XSIRT_EINVAL, "/components/0/components/0/hashes/0: hash needs");
    expect_error(CDX_HEAD "\"metadata\":{\"component\":[]}}", XSIRT_EINVAL,
                 "/metadata/component: expected object, found array");
    expect_error(CDX_HEAD "\"dependencies\":[{\"ref\":\"a\",\"dependsOn\":[1]}]}",
                 XSIRT_EINVAL, "/dependencies/0/dependsOn/0: expected string");
    expect_error(CDX_HEAD "\"dependencies\":[{\"dependsOn\":[]}]}", XSIRT_EINVAL,
                 "/dependencies/0: dependency has no \"ref\"");
    expect_error(CDX_HEAD "\"vulnerabilities\":[{\"ratings\":[{\"score\":\"9.8\"}]}]}",
                 XSIRT_EINVAL, "/vulnerabilities/0/ratings/0/score: expected number");
    expect_error(CDX_HEAD "\"vulnerabilities\":[{\"analysis\":{\"response\":[true]}}]}",
                 XSIRT_EINVAL, "/vulnerabilities/0/analysis/response/0: expected string");
    expect_error("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.1\"}", XSIRT_EUNSUPPORTED,
                 "/specVersion: CycloneDX \"1.1\" is not supported (1.2 to 1.6 are)");
    expect_error("{\"bomFormat\":\"CycloneDX\"}", XSIRT_EINVAL, "/specVersion: missing");
    expect_error("{\"bomFormat\":\"SWID\",\"specVersion\":\"1.4\"}", XSIRT_EINVAL,
                 "/bomFormat: expected \"CycloneDX\", found \"SWID\"");
    expect_error("{\"bomFormat\":\"CycloneDX\",\"specVersion\":1.4}", XSIRT_EINVAL,
                 "/specVersion: expected string, found number");
    /* JSON syntax errors carry line and column */
    expect_error("{\"bomFormat\":\"CycloneDX\",\n\"specVersion\":\"1.4\",\n\"components\":[",
                 XSIRT_EINVAL, "3:");
    expect_error(CDX_HEAD "\"serialNumber\":\"a\",\"serialNumber\":\"b\"}", XSIRT_EINVAL,
                 "duplicate object key");
    expect_error(CDX_HEAD "\"components\":[{\"name\":\"a\\u0000b\"}]}", XSIRT_EINVAL,
                 "invalid JSON");
    expect_error("[]", XSIRT_EINVAL, "not an SBOM");
    expect_error("{\"foo\":1}", XSIRT_EINVAL,
                 "/: not an SBOM: no \"bomFormat\" (CycloneDX) and no \"spdxVersion\"");
    expect_error("{\"@context\":\"https://spdx.org/rdf/3.0.1/spdx-context.jsonld\","
                 "\"@graph\":[]}", XSIRT_EUNSUPPORTED, "SPDX 3");
}

/* Components nested n deep, as JSON. */
static char *nested_json(unsigned n)
{
    size_t cap = 64 + (size_t)n * 64;
    char *p = malloc(cap);
    size_t len = 0;

    assert_non_null(p);
    len += (size_t)snprintf(p + len, cap - len, CDX_HEAD "\"components\":[");
    for (unsigned i = 0; i < n; i++)
        len += (size_t)snprintf(p + len, cap - len, "{\"name\":\"c%u\",\"components\":[", i);
    for (unsigned i = 0; i < n; i++)
        len += (size_t)snprintf(p + len, cap - len, "]}");
    snprintf(p + len, cap - len, "]}");
    return p;
}

static void test_json_depth(void **state)
{
    char *ok = nested_json(XSIRT_LIMIT_DEPTH), *deep = nested_json(XSIRT_LIMIT_DEPTH + 1);
    xsirt_sbom *s = must_parse(ok);
    size_t n = 100000;
    char *huge = malloc(2 * n + 1);
    (void)state;

    assert_int_equal(s->component_count, XSIRT_LIMIT_DEPTH);
    assert_int_equal(s->components[XSIRT_LIMIT_DEPTH - 1].depth, XSIRT_LIMIT_DEPTH - 1);
    xsirt_sbom_free(s);
    expect_error(deep, XSIRT_ELIMIT, "nested deeper than 64 (XSIRT_LIMIT_DEPTH)");
    /* Deeper than jansson's own parser limit (2048): refused by jansson,
     * without recursion to the end. */
    assert_non_null(huge);
    memset(huge, '[', n);
    memset(huge + n, ']', n);
    huge[2 * n] = '\0';
    expect_error(huge, XSIRT_EINVAL, "maximum parsing depth");
    free(ok);
    free(deep);
    free(huge);
}

/* ---- CycloneDX XML ---- */

static const char cdx_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\" xmlns:x=\"urn:ext\"\n"
    "     serialNumber=\"urn:uuid:1\" version=\"1\">\n"
    "  <metadata><component type=\"application\" bom-ref=\"app\">\n"
    "    <name>shop</name><version>2.0</version></component></metadata>\n"
    "  <components>\n"
    "    <component type=\"library\" bom-ref=\"log4j\">\n"
    "      <supplier><name>Apache</name></supplier>\n"
    "      <group>org.apache.logging.log4j</group>\n"
    "      <name><![CDATA[log4j-core]]></name>\n"
    "      <version> 2.14.1 </version>\n"
    "      <hashes><hash alg=\"SHA-1\">0123</hash></hashes>\n"
    "      <licenses><license><id>Apache-2.0</id></license>"
    "<expression>MIT</expression></licenses>\n"
    "      <cpe>cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*</cpe>\n"
    "      <purl>pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1</purl>\n"
    "      <x:purl>pkg:ignored/extension</x:purl>\n"
    "      <components><component type=\"file\"><name>inner</name></component>"
    "</components>\n"
    "    </component>\n"
    "  </components>\n"
    "  <dependencies><dependency ref=\"app\"><dependency ref=\"log4j\"/></dependency>"
    "</dependencies>\n"
    "  <vulnerabilities><vulnerability bom-ref=\"v1\"><id>CVE-2021-44228</id>\n"
    "    <source><name>NVD</name></source>\n"
    "    <ratings><rating><score>9.5</score><severity>critical</severity>"
    "<method>CVSSv31</method><vector>AV:N</vector></rating></ratings>\n"
    "    <analysis><state>exploitable</state><responses><response>update</response>"
    "</responses><detail>yes</detail></analysis>\n"
    "    <affects><target><ref>log4j</ref></target></affects>\n"
    "  </vulnerability></vulnerabilities>\n"
    "</bom>\n";

static void test_cyclonedx_xml(void **state)
{
    xsirt_sbom *s = must_parse(cdx_xml);
    const xsirt_sbom_component *c;
    const xsirt_sbom_vulnerability *v;
    (void)state;

    assert_int_equal(s->format, XSIRT_SBOM_CYCLONEDX_XML);
    assert_string_equal(s->spec_version, "1.5");
    assert_string_equal(s->serial, "urn:uuid:1");
    assert_int_equal(s->component_count, 3);
    assert_int_equal(s->subject, 0);
    c = &s->components[1];
    assert_string_equal(c->type, "library");
    assert_string_equal(c->name, "log4j-core");
    assert_string_equal(c->version, "2.14.1");
    assert_string_equal(c->purl, "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
    assert_string_equal(c->supplier, "Apache");
    assert_string_equal(c->hashes[0].alg, "SHA-1");
    assert_string_equal(c->hashes[0].value, "0123");
    assert_int_equal(c->license_count, 2);
    assert_int_equal(s->components[2].parent, 1);
    assert_int_equal(s->edge_count, 1);
    assert_int_equal(s->edges[0].to_index, 1);
    v = &s->vulnerabilities[0];
    assert_string_equal(v->id, "CVE-2021-44228");
    assert_true(v->ratings[0].has_score && v->ratings[0].score == 9.5);
    assert_string_equal(v->state, "exploitable");
    assert_string_equal(v->responses[0], "update");
    assert_string_equal(v->affects[0], "log4j");
    xsirt_sbom_free(s);
}

#define XML_HEAD "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\">\n"

static void test_cyclonedx_xml_errors(void **state)
{
    (void)state;
    expect_error(XML_HEAD "<components>\n<component type=\"library\"><version>1</version>"
                 "</component></components></bom>", XSIRT_EINVAL,
                 "3: <component> has no <name>");
    expect_error(XML_HEAD "<components>\n<component><name>a</name>\n<purl>x<b/></purl>"
                 "</component></components></bom>", XSIRT_EINVAL,
                 "4: <purl>: expected text, found element <b>");
    expect_error(XML_HEAD "<components>\n<component><name>a</name>\n"
                 "</components></bom>", XSIRT_EINVAL,
                 "4:14: invalid XML: Opening and ending tag mismatch: component line 3");
    expect_error("<bom xmlns=\"http://example.com/bom\"/>", XSIRT_EINVAL,
                 "not a CycloneDX BOM");
    expect_error("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.1\"/>", XSIRT_EUNSUPPORTED,
                 "CycloneDX \"1.1\" is not supported");
    expect_error(XML_HEAD "<dependencies><dependency/></dependencies></bom>", XSIRT_EINVAL,
                 "<dependency> has no ref attribute");
    expect_error(XML_HEAD "<vulnerabilities><vulnerability><ratings><rating>"
                 "<score>high</score></rating></ratings></vulnerability></vulnerabilities>"
                 "</bom>", XSIRT_EINVAL, "<score>: expected a number, found \"high\"");
    expect_error(XML_HEAD "<components><component><name>&undefined;</name></component>"
                 "</components></bom>", XSIRT_EINVAL, "invalid XML");
    expect_error("<", XSIRT_EINVAL, "invalid XML");
}

static void test_xml_depth(void **state)
{
    size_t cap = 200 + (XSIRT_LIMIT_DEPTH + 1) * 64;
    char *p = malloc(cap);
    size_t len = 0;
    (void)state;

    assert_non_null(p);
    len += (size_t)snprintf(p + len, cap - len, XML_HEAD "<components>");
    for (unsigned i = 0; i <= XSIRT_LIMIT_DEPTH; i++)
        len += (size_t)snprintf(p + len, cap - len, "<component><name>c</name><components>");
    for (unsigned i = 0; i <= XSIRT_LIMIT_DEPTH; i++)
        len += (size_t)snprintf(p + len, cap - len, "</components></component>");
    snprintf(p + len, cap - len, "</components></bom>");
    expect_error(p, XSIRT_ELIMIT, "nested deeper than 64");
    free(p);
}

/* Billion laughs: ten levels of ten-fold entities. Refused at the DOCTYPE,
 * before any entity is declared or expanded. */
static void test_xml_entities(void **state)
{
    char doc[4096];
    size_t len = 0;
    (void)state;

    len += (size_t)snprintf(doc + len, sizeof doc - len,
                            "<?xml version=\"1.0\"?>\n<!DOCTYPE bom [\n"
                            " <!ENTITY lol0 \"lol\">\n");
    for (int i = 1; i < 10; i++) {
        len += (size_t)snprintf(doc + len, sizeof doc - len, " <!ENTITY lol%d \"", i);
        for (int j = 0; j < 10; j++)
            len += (size_t)snprintf(doc + len, sizeof doc - len, "&lol%d;", i - 1);
        len += (size_t)snprintf(doc + len, sizeof doc - len, "\">\n");
    }
    snprintf(doc + len, sizeof doc - len,
             "]>\n" XML_HEAD "<components><component><name>&lol9;</name></component>"
             "</components></bom>");
    expect_error(doc, XSIRT_EINVAL, "2: DOCTYPE is not allowed");
    /* External entities: never fetched, never read. */
    expect_error("<?xml version=\"1.0\"?>\n<!DOCTYPE bom [<!ENTITY xxe SYSTEM "
                 "\"file:///etc/passwd\">]>\n" XML_HEAD
                 "<components><component><name>&xxe;</name></component></components></bom>",
                 XSIRT_EINVAL, "DOCTYPE is not allowed");
    expect_error("<!DOCTYPE bom SYSTEM \"http://127.0.0.1:9/x.dtd\">\n" XML_HEAD "</bom>",
                 XSIRT_EINVAL, "DOCTYPE is not allowed");
    expect_error("<!DOCTYPE bom PUBLIC \"-//x//y\" \"file:///etc/passwd\">" XML_HEAD "</bom>",
                 XSIRT_EINVAL, "DOCTYPE is not allowed");
}

/* ---- SPDX ---- */

static const char spdx_tag[] =
    "SPDXVersion: SPDX-2.3\n"
    "DataLicense: CC0-1.0\n"
    "SPDXID: SPDXRef-DOCUMENT\n"
    "DocumentName: demo\n"
    "DocumentNamespace: https://example.com/demo\n"
    "DocumentComment: <text>several\n"
    "lines: with colons\n"
    "PackageName: not a tag</text>\n"
    "# a comment\r\n"
    "\n"
    "PackageName: app\n"
    "SPDXID: SPDXRef-app\n"
    "PackageVersion: 1.0\r\n"
    "PrimaryPackagePurpose: APPLICATION\n"
    "PackageSupplier: NOASSERTION\n"
    "PackageLicenseConcluded: MIT\n"
    "PackageLicenseDeclared: MIT\n"
    "\n"
    "PackageName: lib\n"
    "SPDXID: SPDXRef-lib\n"
    "PackageSupplier: Organization: ACME\n"
    "PackageChecksum: SHA256: 00ff\n"
    "ExternalRef: PACKAGE-MANAGER purl pkg:npm/lib@1.2.3\n"
    "ExternalRef: PACKAGE-MANAGER purl pkg:github/acme/lib@v1.2.3\n"
    "ExternalRef: SECURITY cpe23Type cpe:2.3:a:acme:lib:1.2.3:*:*:*:*:*:*:*\n"
    "ExternalRef: SECURITY advisory https://example.com/adv\n"
    "PackageComment: <text>one line</text>\n"
    "\n"
    "FileName: ./lib.c\n"
    "SPDXID: SPDXRef-file\n"
    "FileChecksum: SHA1: abcd\n"
    "LicenseConcluded: MIT\n"
    "LicenseInfoInFile: NOASSERTION\n"
    "\n"
    "Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-app\n"
    "Relationship: SPDXRef-lib DEPENDENCY_OF SPDXRef-app\n"
    "Relationship: SPDXRef-lib CONTAINS SPDXRef-file\n"
    "Relationship: SPDXRef-app DEPENDS_ON NONE\n"
    "Relationship: SPDXRef-app VARIANT_OF DocumentRef-x:SPDXRef-y\n"
    "LicenseID: LicenseRef-1\n"
    "ExtractedText: <text>\nx\n</text>\n";

static void test_spdx_tag(void **state)
{
    xsirt_sbom *s = must_parse(spdx_tag);
    const xsirt_sbom_component *lib;
    (void)state;

    assert_int_equal(s->format, XSIRT_SBOM_SPDX_TAG);
    assert_string_equal(s->spec_version, "SPDX-2.3");
    assert_string_equal(s->name, "demo");
    assert_string_equal(s->serial, "https://example.com/demo");
    assert_int_equal(s->component_count, 3);
    assert_string_equal(s->components[0].name, "app");
    assert_string_equal(s->components[0].version, "1.0");
    assert_string_equal(s->components[0].type, "application");
    assert_null(s->components[0].supplier);
    assert_int_equal(s->components[0].license_count, 1);
    lib = &s->components[1];
    assert_string_equal(lib->supplier, "Organization: ACME");
    assert_string_equal(lib->purl, "pkg:npm/lib@1.2.3");
    assert_int_equal(lib->other_purl_count, 1);
    assert_string_equal(lib->other_purls[0], "pkg:github/acme/lib@v1.2.3");
    assert_string_equal(lib->cpe, "cpe:2.3:a:acme:lib:1.2.3:*:*:*:*:*:*:*");
    assert_string_equal(lib->hashes[0].alg, "SHA256");
    assert_string_equal(lib->hashes[0].value, "00ff");
    assert_string_equal(s->components[2].type, "file");
    assert_string_equal(s->components[2].name, "./lib.c");
    assert_int_equal(s->subject, 0);
    assert_int_equal(s->edge_count, 4); /* the NONE one adds nothing */
    assert_int_equal(s->edges[0].kind, XSIRT_SBOM_EDGE_DESCRIBES);
    /* DEPENDENCY_OF turned round: app depends on lib */
    assert_int_equal(s->edges[1].kind, XSIRT_SBOM_EDGE_DEPENDS_ON);
    assert_string_equal(s->edges[1].from, "SPDXRef-app");
    assert_string_equal(s->edges[1].to, "SPDXRef-lib");
    assert_string_equal(s->edges[1].relationship, "DEPENDENCY_OF");
    assert_int_equal(s->edges[2].kind, XSIRT_SBOM_EDGE_CONTAINS);
    assert_int_equal(s->edges[3].kind, XSIRT_SBOM_EDGE_OTHER);
    assert_true(s->edges[3].to_index == XSIRT_SBOM_NONE);
    xsirt_sbom_free(s);
}

static void test_spdx_tag_errors(void **state)
{
    (void)state;
    expect_error("SPDXVersion: SPDX-2.2\nDataLicense: CC0-1.0\nPackageVersion: 1\n",
                 XSIRT_EINVAL, "3:17: PackageVersion outside a package");
    expect_error("SPDXVersion: SPDX-2.2\nPackageName: a\nSPDXID: SPDXRef-a\n"
                 "Relationship: SPDXRef-a DESCRIBES\n", XSIRT_EINVAL,
                 "4:15: expected \"ELEMENT TYPE ELEMENT\"");
    expect_error("SPDXVersion: SPDX-2.2\n\nPackageName: a\nPackageVersion: 1\n"
                 "PackageName: b\nSPDXID: SPDXRef-b\n", XSIRT_EINVAL,
                 "3:1: package has no SPDXID");
    expect_error("SPDXVersion: SPDX-2.2\nPackageName: a\nSPDXID: SPDXRef-a\n"
                 "PackageComment: <text>never closed\nmore\n", XSIRT_EINVAL,
                 "4:17: <text> is not closed by </text>");
    expect_error("SPDXVersion: SPDX-2.2\nthis line has no tag\n", XSIRT_EINVAL,
                 "2:1: expected \"Tag: value\"");
    expect_error("SPDXVersion: SPDX-2.2\nDocumentName: \xff\xfe\n", XSIRT_EINVAL,
                 "2:15: invalid UTF-8");
    expect_error("SPDXVersion: SPDX-2.1\n", XSIRT_EUNSUPPORTED,
                 "1:14: \"SPDX-2.1\" is not supported");
    expect_error("DocumentName: x\n", XSIRT_EINVAL, "no SPDXVersion tag");
    expect_error("SPDXVersion: SPDX-2.2\nPackageName: a\nSPDXID: SPDXRef-a\n"
                 "PackageChecksum: SHA1\n", XSIRT_EINVAL, "4:18: expected \"ALGORITHM: value\"");
    expect_error("SPDXVersion: SPDX-2.2\nPackageName: a\nSPDXID: SPDXRef-a\n"
                 "ExternalRef: PACKAGE-MANAGER purl\n", XSIRT_EINVAL,
                 "expected \"CATEGORY TYPE LOCATOR\"");
    expect_error("\x01\x02", XSIRT_EINVAL, "1:1: not an SBOM");
    expect_error("", XSIRT_EINVAL, "not an SBOM");
}

static void test_spdx_tag_nul(void **state)
{
    static const char text[] = "SPDXVersion: SPDX-2.2\nDocumentName: a\0b\n";
    xsirt_sbom *s = NULL;
    xsirt_error err;
    (void)state;

    assert_int_equal(xsirt_sbom_parse_spdx_tag(&s, text, sizeof text - 1, &err),
                     XSIRT_EINVAL);
    assert_null(s);
    assert_string_equal(err.message, "NUL byte in input");
    assert_int_equal(err.line, 2);
}

static const char spdx_json[] =
    "{\"spdxVersion\":\"SPDX-2.3\",\"SPDXID\":\"SPDXRef-DOCUMENT\",\"name\":\"d\","
    "\"documentNamespace\":\"https://example.com/d\",\"documentDescribes\":[\"SPDXRef-a\"],"
    "\"packages\":[{\"SPDXID\":\"SPDXRef-a\",\"name\":\"a\",\"versionInfo\":\"1\","
    "\"supplier\":\"Person: X\",\"primaryPackagePurpose\":\"OPERATING-SYSTEM\","
    "\"licenseConcluded\":\"NOASSERTION\",\"licenseDeclared\":\"GPL-2.0-only\","
    "\"checksums\":[{\"algorithm\":\"SHA1\",\"checksumValue\":\"aa\"}],"
    "\"externalRefs\":[{\"referenceCategory\":\"SECURITY\",\"referenceType\":\"cpe22Type\","
    "\"referenceLocator\":\"cpe:/a:x:a:1\"},{\"referenceCategory\":\"PACKAGE-MANAGER\","
    "\"referenceType\":\"purl\",\"referenceLocator\":\"pkg:deb/debian/a@1\"}],"
    "\"hasFiles\":[\"SPDXRef-f\"]},"
    "{\"SPDXID\":\"SPDXRef-b\",\"name\":\"b\"}],"
    "\"files\":[{\"SPDXID\":\"SPDXRef-f\",\"fileName\":\"./f\","
    "\"licenseInfoInFiles\":[\"MIT\",\"MIT\"]}],"
    "\"relationships\":[{\"spdxElementId\":\"SPDXRef-b\",\"relationshipType\":"
    "\"BUILD_TOOL_OF\",\"relatedSpdxElement\":\"SPDXRef-a\"}]}";

static void test_spdx_json(void **state)
{
    xsirt_sbom *s = must_parse(spdx_json);
    (void)state;

    assert_int_equal(s->format, XSIRT_SBOM_SPDX_JSON);
    assert_string_equal(s->name, "d");
    assert_int_equal(s->component_count, 3);
    assert_string_equal(s->components[0].type, "operating-system");
    assert_string_equal(s->components[0].purl, "pkg:deb/debian/a@1");
    assert_string_equal(s->components[0].cpe, "cpe:/a:x:a:1");
    assert_string_equal(s->components[0].supplier, "Person: X");
    assert_int_equal(s->components[0].license_count, 1);
    assert_string_equal(s->components[0].licenses[0], "GPL-2.0-only");
    assert_null(s->components[1].type);
    assert_string_equal(s->components[2].type, "file");
    assert_int_equal(s->components[2].license_count, 1);
    assert_int_equal(s->subject, 0);
    assert_int_equal(s->edge_count, 3);
    assert_string_equal(s->edges[0].relationship, "hasFiles");
    assert_int_equal(s->edges[0].to_index, 2);
    assert_int_equal(s->edges[1].kind, XSIRT_SBOM_EDGE_DESCRIBES);
    assert_int_equal(s->edges[2].kind, XSIRT_SBOM_EDGE_BUILD_DEPENDS_ON);
    assert_int_equal(s->edges[2].from_index, 0);
    assert_int_equal(s->edges[2].to_index, 1);
    xsirt_sbom_free(s);
}

#define SPDX_HEAD "{\"spdxVersion\":\"SPDX-2.2\","

static void test_spdx_json_errors(void **state)
{
    (void)state;
    expect_error(SPDX_HEAD "\"packages\":[{\"SPDXID\":\"SPDXRef-a\",\"name\":\"a\","
                 "\"externalRefs\":[{\"referenceType\":\"purl\",\"referenceLocator\":\"p\"},"
                 "{\"referenceType\":\"purl\",\"referenceLocator\":[]}]}]}",
                 XSIRT_EINVAL, "/packages/0/externalRefs/1/referenceLocator: expected string");
    expect_error(SPDX_HEAD "\"packages\":[{\"name\":\"a\"}]}", XSIRT_EINVAL,
                 "/packages/0: element has no \"SPDXID\"");
    expect_error(SPDX_HEAD "\"files\":[{\"SPDXID\":\"SPDXRef-a\"}]}", XSIRT_EINVAL,
                 "/files/0: element has no \"fileName\"");
    expect_error(SPDX_HEAD "\"relationships\":[{\"spdxElementId\":\"a\"}]}", XSIRT_EINVAL,
                 "/relationships/0: relationship needs");
    expect_error(SPDX_HEAD "\"documentDescribes\":\"SPDXRef-a\"}", XSIRT_EINVAL,
                 "/documentDescribes: expected array, found string");
    expect_error("{\"spdxVersion\":\"SPDX-2.1\"}", XSIRT_EUNSUPPORTED,
                 "/spdxVersion: \"SPDX-2.1\" is not supported");
}

/* Every prefix of every sample either parses or fails cleanly (ASan checks
 * that nothing leaks or overruns on the error paths). */
static void test_truncated(void **state)
{
    const char *samples[] = {cdx_json, cdx_xml, spdx_tag, spdx_json};
    (void)state;

    for (size_t k = 0; k < sizeof samples / sizeof samples[0]; k++) {
        size_t n = strlen(samples[k]);
        for (size_t len = 0; len < n; len++) {
            char *copy = malloc(len + 1);
            xsirt_sbom *s = NULL;
            xsirt_error err;
            int rc;
            assert_non_null(copy);
            memcpy(copy, samples[k], len);
            copy[len] = '\0';
            rc = xsirt_sbom_parse(&s, copy, len, &err);
            if (rc == 0)
                xsirt_sbom_free(s);
            else
                assert_true(err.message[0] != '\0');
            free(copy);
        }
    }
}

static void test_limits(void **state)
{
    xsirt_sbom *s = NULL;
    xsirt_error err;
    (void)state;

    /* The size is checked before a byte is read. */
    assert_int_equal(xsirt_sbom_parse(&s, "{}", (size_t)XSIRT_LIMIT_FILE + 1, &err),
                     XSIRT_ELIMIT);
    assert_non_null(strstr(err.message, "XSIRT_LIMIT_FILE"));
    assert_int_equal(xsirt_sbom_parse_cyclonedx_xml(&s, "<", (size_t)XSIRT_LIMIT_FILE + 1,
                                                    &err), XSIRT_ELIMIT);
    assert_int_equal(xsirt_sbom_parse_spdx_tag(&s, "S", (size_t)XSIRT_LIMIT_FILE + 1, &err),
                     XSIRT_ELIMIT);
    assert_null(s);
    xsirt_sbom_free(NULL);
}

static void test_many_licenses(void **state)
{
    /* Thousands of distinct licences on one package: linear, and kept. */
    size_t n = 20000, cap = 64 + n * 40, len = 0;
    char *p = malloc(cap);
    xsirt_sbom *s;
    (void)state;

    assert_non_null(p);
    len += (size_t)snprintf(p + len, cap - len,
                            "SPDXVersion: SPDX-2.2\nPackageName: a\nSPDXID: SPDXRef-a\n");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(p + len, cap - len, "PackageLicenseDeclared: L-%zu\n", i);
    s = must_parse(p);
    assert_int_equal(s->components[0].license_count, n);
    xsirt_sbom_free(s);
    free(p);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(xsirt_sbom_format_name(XSIRT_SBOM_SPDX_TAG), "spdx-tag");
    assert_string_equal(xsirt_sbom_format_name(XSIRT_SBOM_FORMAT_UNKNOWN), "unknown");
    assert_string_equal(xsirt_sbom_edge_kind_name(XSIRT_SBOM_EDGE_BUILD_DEPENDS_ON),
                        "build-depends-on");
    assert_true(xsirt_sbom_find(NULL, "x") == XSIRT_SBOM_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cyclonedx_json),
        cmocka_unit_test(test_cyclonedx_json_errors),
        cmocka_unit_test(test_json_depth),
        cmocka_unit_test(test_cyclonedx_xml),
        cmocka_unit_test(test_cyclonedx_xml_errors),
        cmocka_unit_test(test_xml_depth),
        cmocka_unit_test(test_xml_entities),
        cmocka_unit_test(test_spdx_tag),
        cmocka_unit_test(test_spdx_tag_errors),
        cmocka_unit_test(test_spdx_tag_nul),
        cmocka_unit_test(test_spdx_json),
        cmocka_unit_test(test_spdx_json_errors),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_many_licenses),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
