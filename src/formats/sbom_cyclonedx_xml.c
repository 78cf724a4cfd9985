/*
 * sbom_cyclonedx_xml.c — CycloneDX 1.2 to 1.6 XML into the SBOM model.
 *
 * The same content as the JSON reader (metadata component, nested
 * components, dependencies, vulnerabilities), read from a libxml2 tree.
 * The spec version is the bom namespace's suffix. Only elements in the
 * document's CycloneDX namespace are read; extensions in other namespaces
 * are ignored. Text values are trimmed of surrounding XML white space.
 *
 * Hostile XML: a CycloneDX document has no use for a DTD, so any DOCTYPE
 * stops the parser as soon as it is seen, before an entity can be declared
 * (no "billion laughs", no external entities). The network is off
 * (XML_PARSE_NONET), entities are never substituted (no XML_PARSE_NOENT),
 * no DTD is loaded, and XML_PARSE_HUGE stays off, so libxml2 keeps its own
 * depth (256) and size limits; nested components are bounded by
 * XSIRT_LIMIT_DEPTH besides.
 */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlversion.h>
#include <libxml/xmlerror.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "formats/sbom_internal.h"
#include "formats/xml_lib.h"
#include "xsirt/limits.h"
#include "xsirt/sbom.h"

/* libxml2 is loaded on first use (xml_lib.h): its names, after its own
 * headers have declared them, call through the loaded functions. */
#define xmlNewParserCtxt (*xsirt_xml.NewParserCtxt)
#define xmlCtxtReadMemory (*xsirt_xml.CtxtReadMemory)
#define xmlDocGetRootElement (*xsirt_xml.DocGetRootElement)
#define xmlFreeDoc (*xsirt_xml.FreeDoc)
#define xmlFreeParserCtxt (*xsirt_xml.FreeParserCtxt)
#define xmlGetLineNo (*xsirt_xml.GetLineNo)
#define xmlGetNoNsProp (*xsirt_xml.GetNoNsProp)
#define xmlStopParser (*xsirt_xml.StopParser)
#define xmlStrEqual (*xsirt_xml.StrEqual)
#undef xmlFree
#define xmlFree (**xsirt_xml.Free)

#define CDX_NS_PREFIX "http://cyclonedx.org/schema/bom/"

static const char *const cdx_versions[] = {"1.2", "1.3", "1.4", "1.5", "1.6"};

typedef struct reader {
    xsirt_sbom *sb;
    const xmlChar *ns;   /* the document's CycloneDX namespace */
    xsirt_error *err;
} reader;

static unsigned long line_of(const xmlNode *n)
{
    long line = xmlGetLineNo((xmlNode *)n);

    return line > 0 ? (unsigned long)line : 0;
}

static int fail(reader *r, int code, const xmlNode *n, const char *fmt, ...)
    XSIRT_PRINTF(4, 5);

static int fail(reader *r, int code, const xmlNode *n, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    xsirt_error_setv(r->err, code, fmt, ap);
    va_end(ap);
    sb_where_line(r->err, line_of(n), 0);
    return code;
}

/* An element of the CycloneDX namespace named name (any name when NULL). */
static int is_el(const reader *r, const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns != NULL &&
           xmlStrEqual(n->ns->href, r->ns) &&
           (name == NULL || xmlStrEqual(n->name, (const xmlChar *)name));
}

static const xmlNode *child(const reader *r, const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n->children; c != NULL; c = c->next)
        if (is_el(r, c, name))
            return c;
    return NULL;
}

static int is_xml_space(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static const char *store_trimmed(reader *r, const char *s, size_t len)
{
    while (len > 0 && is_xml_space((unsigned char)s[0]))
        s++, len--;
    while (len > 0 && is_xml_space((unsigned char)s[len - 1]))
        len--;
    return sb_strn(r->sb, s, len);
}

/* The text of a simple element; an element inside it is an error. */
static int text_of(reader *r, const xmlNode *n, const char **out)
{
    xsirt_buf b;
    int rc = 0;

    *out = NULL;
    xsirt_buf_init(&b, XSIRT_LIMIT_FILE);
    for (const xmlNode *c = n->children; c != NULL && rc == 0; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            xsirt_buf_free(&b);
            return fail(r, XSIRT_EINVAL, c, "<%s>: expected text, found element <%s>",
                        (const char *)n->name, (const char *)c->name);
        }
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
            c->content != NULL)
            rc = xsirt_buf_puts(&b, (const char *)c->content);
    }
    if (rc == 0) {
        *out = store_trimmed(r, xsirt_buf_cstr(&b), b.len);
        if (*out == NULL)
            rc = XSIRT_ENOMEM;
    }
    xsirt_buf_free(&b);
    if (rc != 0)
        return fail(r, rc, n, "<%s>: %s", (const char *)n->name,
                    rc == XSIRT_ENOMEM ? "out of memory" : "text too long");
    return 0;
}

/* The text of child element name, NULL when absent. */
static int child_text(reader *r, const xmlNode *n, const char *name, const char **out)
{
    const xmlNode *c = child(r, n, name);

    *out = NULL;
    return c != NULL ? text_of(r, c, out) : 0;
}

static int attr_of(reader *r, const xmlNode *n, const char *name, const char **out)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);

    *out = NULL;
    if (v == NULL)
        return 0;
    *out = store_trimmed(r, (const char *)v, strlen((const char *)v));
    xmlFree(v);
    return *out == NULL ? fail(r, XSIRT_ENOMEM, n, "out of memory") : 0;
}

/* After a builder failed (limit, memory): add the line of n. */
static int at(int rc, reader *r, const xmlNode *n)
{
    if (rc != 0)
        sb_where_line(r->err, line_of(n), 0);
    return rc;
}

/* ---- components ---- */

static int read_component(reader *r, const xmlNode *n, size_t parent, unsigned depth,
                          size_t *index);

static int read_hashes(reader *r, size_t ci, const xmlNode *n)
{
    const xmlNode *hs = child(r, n, "hashes");
    const char *alg, *value;
    int rc;

    if (hs == NULL)
        return 0;
    for (const xmlNode *h = hs->children; h != NULL; h = h->next) {
        if (!is_el(r, h, "hash"))
            continue;
        if ((rc = attr_of(r, h, "alg", &alg)) != 0 || (rc = text_of(r, h, &value)) != 0)
            return rc;
        if (alg == NULL)
            return fail(r, XSIRT_EINVAL, h, "<hash> has no alg attribute");
        if ((rc = at(sb_push_hash(&r->sb->components[ci], alg, value, r->err), r, h)) != 0)
            return rc;
    }
    return 0;
}

/* <licenses>: <license><id>|<name></license> or <expression>. */
static int read_licenses(reader *r, size_t ci, const xmlNode *n)
{
    const xmlNode *ls = child(r, n, "licenses");
    const char *text;
    int rc;

    if (ls == NULL)
        return 0;
    for (const xmlNode *l = ls->children; l != NULL; l = l->next) {
        text = NULL;
        if (is_el(r, l, "license")) {
            if ((rc = child_text(r, l, "id", &text)) != 0)
                return rc;
            if (text == NULL && (rc = child_text(r, l, "name", &text)) != 0)
                return rc;
        } else if (is_el(r, l, "expression")) {
            if ((rc = text_of(r, l, &text)) != 0)
                return rc;
        }
        if (text != NULL &&
            (rc = at(sb_add_license(r->sb, &r->sb->components[ci], text, r->err), r, l)) != 0)
            return rc;
    }
    return 0;
}

static int read_fields(reader *r, size_t ci, const xmlNode *n)
{
    xsirt_sbom_component *c = &r->sb->components[ci];
    const xmlNode *supplier = child(r, n, "supplier");
    const xmlNode *manufacturer = child(r, n, "manufacturer");
    int rc;

    if ((rc = attr_of(r, n, "type", &c->type)) != 0 ||
        (rc = attr_of(r, n, "bom-ref", &c->ref)) != 0 ||
        (rc = child_text(r, n, "group", &c->group)) != 0 ||
        (rc = child_text(r, n, "name", &c->name)) != 0 ||
        (rc = child_text(r, n, "version", &c->version)) != 0 ||
        (rc = child_text(r, n, "purl", &c->purl)) != 0 ||
        (rc = child_text(r, n, "cpe", &c->cpe)) != 0)
        return rc;
    if (c->name == NULL)
        return fail(r, XSIRT_EINVAL, n, "<component> has no <name>");
    if (supplier != NULL && (rc = child_text(r, supplier, "name", &c->supplier)) != 0)
        return rc;
    if (manufacturer != NULL &&
        (rc = child_text(r, manufacturer, "name", &c->manufacturer)) != 0)
        return rc;
    if ((rc = read_hashes(r, ci, n)) != 0)
        return rc;
    return read_licenses(r, ci, n);
}

static int read_components(reader *r, const xmlNode *n, size_t parent, unsigned depth)
{
    const xmlNode *cs = child(r, n, "components");
    size_t ci;
    int rc;

    if (cs == NULL)
        return 0;
    for (const xmlNode *c = cs->children; c != NULL; c = c->next)
        if (is_el(r, c, "component") && (rc = read_component(r, c, parent, depth, &ci)) != 0)
            return rc;
    return 0;
}

static int read_component(reader *r, const xmlNode *n, size_t parent, unsigned depth,
                          size_t *index)
{
    int rc;

    if (depth >= XSIRT_LIMIT_DEPTH)
        return fail(r, XSIRT_ELIMIT, n, "components nested deeper than %u "
                    "(XSIRT_LIMIT_DEPTH)", XSIRT_LIMIT_DEPTH);
    if ((rc = at(sb_component(r->sb, index, r->err), r, n)) != 0)
        return rc;
    r->sb->components[*index].parent = parent;
    r->sb->components[*index].depth = depth;
    if ((rc = read_fields(r, *index, n)) != 0)
        return rc;
    return read_components(r, n, *index, depth + 1);
}

/* ---- dependencies ---- */

static int read_dependency(reader *r, const xmlNode *d)
{
    const char *from, *to, *rel;
    int rc;

    if ((rc = attr_of(r, d, "ref", &from)) != 0)
        return rc;
    if (from == NULL)
        return fail(r, XSIRT_EINVAL, d, "<dependency> has no ref attribute");
    for (const xmlNode *t = d->children; t != NULL; t = t->next) {
        xsirt_sbom_edge_kind kind;
        if (is_el(r, t, "dependency")) {
            kind = XSIRT_SBOM_EDGE_DEPENDS_ON;
            rel = "dependsOn";
        } else if (is_el(r, t, "provides")) {
            kind = XSIRT_SBOM_EDGE_OTHER;
            rel = "provides";
        } else {
            continue;
        }
        if ((rc = attr_of(r, t, "ref", &to)) != 0)
            return rc;
        if (to == NULL)
            return fail(r, XSIRT_EINVAL, t, "<%s> has no ref attribute",
                        (const char *)t->name);
        if ((rc = at(sb_edge(r->sb, from, to, kind, rel, r->err), r, t)) != 0)
            return rc;
    }
    return 0;
}

static int read_dependencies(reader *r, const xmlNode *bom)
{
    const xmlNode *ds = child(r, bom, "dependencies");
    int rc;

    if (ds == NULL)
        return 0;
    for (const xmlNode *d = ds->children; d != NULL; d = d->next)
        if (is_el(r, d, "dependency") && (rc = read_dependency(r, d)) != 0)
            return rc;
    return 0;
}

/* ---- vulnerabilities (VEX) ---- */

/* A CVSS-style score "7.5": digits, an optional fraction. strtod would
 * follow the locale's decimal point. */
static int parse_score(const char *s, double *out)
{
    double v = 0, scale = 1;
    size_t i = 0, digits = 0;

    while (xsirt_is_digit((unsigned char)s[i]) && digits < 6)
        v = v * 10 + (s[i++] - '0'), digits++;
    if (s[i] == '.') {
        i++;
        while (xsirt_is_digit((unsigned char)s[i]) && digits < 12) {
            scale /= 10;
            v += (s[i++] - '0') * scale;
            digits++;
        }
    }
    *out = v;
    return digits > 0 && s[i] == '\0' ? 0 : -1;
}

static int read_rating(reader *r, size_t vi, const xmlNode *n)
{
    xsirt_sbom_rating rating = {0};
    const xmlNode *src = child(r, n, "source");
    const char *score;
    int rc;

    if ((rc = child_text(r, n, "method", &rating.method)) != 0 ||
        (rc = child_text(r, n, "vector", &rating.vector)) != 0 ||
        (rc = child_text(r, n, "severity", &rating.severity)) != 0 ||
        (rc = child_text(r, n, "score", &score)) != 0)
        return rc;
    if (src != NULL && (rc = child_text(r, src, "name", &rating.source)) != 0)
        return rc;
    if (score != NULL) {
        if (parse_score(score, &rating.score) != 0) {
            char q[XSIRT_LIMIT_QUOTE + 8];
            xsirt_quote(q, sizeof q, score, strlen(score));
            return fail(r, XSIRT_EINVAL, child(r, n, "score"),
                        "<score>: expected a number, found %s", q);
        }
        rating.has_score = true;
    }
    return at(sb_push_rating(&r->sb->vulnerabilities[vi], &rating, r->err), r, n);
}

/* Strings of a list element: <affects><target><ref>, <responses><response>. */
static int read_affects(reader *r, size_t vi, const xmlNode *n)
{
    const xmlNode *as = child(r, n, "affects");
    xsirt_sbom_vulnerability *v;
    const char *ref;
    int rc;

    if (as == NULL)
        return 0;
    for (const xmlNode *t = as->children; t != NULL; t = t->next) {
        if (!is_el(r, t, "target"))
            continue;
        if ((rc = child_text(r, t, "ref", &ref)) != 0)
            return rc;
        if (ref == NULL)
            return fail(r, XSIRT_EINVAL, t, "<target> has no <ref>");
        v = &r->sb->vulnerabilities[vi];
        if ((rc = at(sb_push_str(&v->affects, &v->affect_count, ref,
                                 "affected refs (XSIRT_LIMIT_SBOM_LIST)", r->err),
                     r, t)) != 0)
            return rc;
    }
    return 0;
}

static int read_analysis(reader *r, size_t vi, const xmlNode *n)
{
    const xmlNode *an = child(r, n, "analysis"), *rs;
    xsirt_sbom_vulnerability *v = &r->sb->vulnerabilities[vi];
    const char *s;
    int rc;

    if (an == NULL)
        return 0;
    if ((rc = child_text(r, an, "state", &v->state)) != 0 ||
        (rc = child_text(r, an, "justification", &v->justification)) != 0 ||
        (rc = child_text(r, an, "detail", &v->detail)) != 0)
        return rc;
    if ((rs = child(r, an, "responses")) == NULL)
        return 0;
    for (const xmlNode *x = rs->children; x != NULL; x = x->next) {
        if (!is_el(r, x, "response"))
            continue;
        if ((rc = text_of(r, x, &s)) != 0 ||
            (rc = at(sb_push_str(&v->responses, &v->response_count, s,
                                 "responses (XSIRT_LIMIT_SBOM_LIST)", r->err), r, x)) != 0)
            return rc;
    }
    return 0;
}

static int read_vulnerability(reader *r, const xmlNode *n)
{
    xsirt_sbom_vulnerability *v;
    const xmlNode *src = child(r, n, "source"), *rs = child(r, n, "ratings");
    size_t vi;
    int rc;

    if ((rc = at(sb_vulnerability(r->sb, &vi, r->err), r, n)) != 0)
        return rc;
    v = &r->sb->vulnerabilities[vi];
    if ((rc = attr_of(r, n, "bom-ref", &v->ref)) != 0 ||
        (rc = child_text(r, n, "id", &v->id)) != 0)
        return rc;
    if (src != NULL && ((rc = child_text(r, src, "name", &v->source_name)) != 0 ||
                        (rc = child_text(r, src, "url", &v->source_url)) != 0))
        return rc;
    for (const xmlNode *x = rs != NULL ? rs->children : NULL; x != NULL; x = x->next)
        if (is_el(r, x, "rating") && (rc = read_rating(r, vi, x)) != 0)
            return rc;
    if ((rc = read_affects(r, vi, n)) != 0)
        return rc;
    return read_analysis(r, vi, n);
}

/* ---- the document ---- */

static int read_bom(reader *r, const xmlNode *bom)
{
    const xmlNode *meta = child(r, bom, "metadata"), *subject, *vs;
    size_t ci;
    int rc;

    if ((rc = attr_of(r, bom, "serialNumber", &r->sb->serial)) != 0)
        return rc;
    if (meta != NULL && (subject = child(r, meta, "component")) != NULL) {
        if ((rc = read_component(r, subject, XSIRT_SBOM_NONE, 0, &ci)) != 0)
            return rc;
        r->sb->subject = ci;
    }
    if ((rc = read_components(r, bom, XSIRT_SBOM_NONE, 0)) != 0 ||
        (rc = read_dependencies(r, bom)) != 0)
        return rc;
    if ((vs = child(r, bom, "vulnerabilities")) == NULL)
        return 0;
    for (const xmlNode *v = vs->children; v != NULL; v = v->next)
        if (is_el(r, v, "vulnerability") && (rc = read_vulnerability(r, v)) != 0)
            return rc;
    return 0;
}

/* The root must be <bom> in http://cyclonedx.org/schema/bom/1.N. */
static int check_root(reader *r, const xmlNode *root)
{
    const char *href, *version;
    char q[XSIRT_LIMIT_QUOTE + 8];

    if (root == NULL)
        return xsirt_error_set_at(r->err, XSIRT_EINVAL, 1, 0, "no root element");
    href = root->ns != NULL ? (const char *)root->ns->href : "";
    if (!xmlStrEqual(root->name, (const xmlChar *)"bom") ||
        strncmp(href, CDX_NS_PREFIX, strlen(CDX_NS_PREFIX)) != 0)
        return fail(r, XSIRT_EINVAL, root,
                    "not a CycloneDX BOM: the root element must be <bom> in the "
                    "namespace " CDX_NS_PREFIX "1.x");
    version = href + strlen(CDX_NS_PREFIX);
    for (size_t i = 0; i < sizeof cdx_versions / sizeof cdx_versions[0]; i++)
        if (strcmp(version, cdx_versions[i]) == 0) {
            r->sb->spec_version = sb_str(r->sb, version);
            r->ns = root->ns->href;
            return r->sb->spec_version ? 0 : sb_nomem(r->err);
        }
    xsirt_quote(q, sizeof q, version, strlen(version));
    return fail(r, XSIRT_EUNSUPPORTED, root,
                "CycloneDX %s is not supported (1.2 to 1.6 are)", q);
}

/* What the parser callbacks saw: a DOCTYPE, and the first error (libxml2
 * goes on after some errors, and its last one is often a consequence). */
typedef struct parse_state {
    int doctype;
    int have_error;
    unsigned long line, column;
    char message[256];
} parse_state;

/* SAX hook: a DOCTYPE stops the parse before its internal subset (and any
 * entity declaration in it) is read. */
static void refuse_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id,
                           const xmlChar *system_id)
{
    xmlParserCtxtPtr ctxt = ctx;
    parse_state *ps = ctxt->_private;

    (void)name;
    (void)external_id;
    (void)system_id;
    if (!ps->doctype) {
        ps->doctype = 1;
        ps->line = ctxt->input != NULL ? (unsigned long)ctxt->input->line : 1;
    }
    xmlStopParser(ctxt);
}

/* libxml2 2.12 made the error const in the callback's type. */
#if LIBXML_VERSION >= 21200
static void first_error(void *ctx, const xmlError *e)
#else
static void first_error(void *ctx, xmlErrorPtr e)
#endif
{
    xmlParserCtxtPtr ctxt = ctx;
    parse_state *ps = ctxt->_private;
    size_t n;

    if (ps->have_error || e == NULL || e->level < XML_ERR_ERROR)
        return;
    ps->have_error = 1;
    ps->line = e->line > 0 ? (unsigned long)e->line : 1;
    ps->column = e->int2 > 0 ? (unsigned long)e->int2 : 0;
    snprintf(ps->message, sizeof ps->message, "%s", e->message ? e->message : "");
    n = strlen(ps->message);
    while (n > 0 && (ps->message[n - 1] == '\n' || ps->message[n - 1] == ' '))
        ps->message[--n] = '\0';
}

static int syntax_error(const parse_state *ps, xsirt_error *err)
{
    if (ps->doctype)
        return xsirt_error_set_at(err, XSIRT_EINVAL, ps->line, 0,
                                  "DOCTYPE is not allowed in a CycloneDX BOM "
                                  "(entities are never expanded)");
    if (!ps->have_error)
        return xsirt_error_set_at(err, XSIRT_EINVAL, 1, 0, "invalid XML");
    return xsirt_error_set_at(err, XSIRT_EINVAL, ps->line, ps->column, "invalid XML: %s",
                              ps->message);
}

int xsirt_sbom_parse_cyclonedx_xml(xsirt_sbom **out, const char *data, size_t len,
                                   xsirt_error *err)
{
    xmlParserCtxtPtr ctxt;
    xmlDocPtr doc;
    reader r = {0};
    parse_state ps = {0};
    int rc;

    *out = NULL;
    if ((rc = sb_check_size(len, err)) != 0 || (rc = xsirt_xml_load(err)) != 0)
        return rc;
    ctxt = xmlNewParserCtxt();
    if (ctxt == NULL)
        return sb_nomem(err);
    ctxt->sax->internalSubset = refuse_doctype;
    ctxt->sax->externalSubset = refuse_doctype;
    ctxt->sax->serror = first_error;
    ctxt->_private = &ps;
    doc = xmlCtxtReadMemory(ctxt, data, (int)len, NULL, NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                XML_PARSE_BIG_LINES);
    if (doc == NULL || ps.doctype) {
        rc = syntax_error(&ps, err);
        xmlFreeDoc(doc);
        xmlFreeParserCtxt(ctxt);
        return rc;
    }
    r.sb = sb_new(XSIRT_SBOM_CYCLONEDX_XML);
    r.err = err;
    if (r.sb == NULL)
        rc = sb_nomem(err);
    else if ((rc = check_root(&r, xmlDocGetRootElement(doc))) == 0 &&
             (rc = read_bom(&r, xmlDocGetRootElement(doc))) == 0)
        rc = sb_finish(r.sb, err);
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    if (rc != 0) {
        xsirt_sbom_free(r.sb);
        return rc;
    }
    *out = r.sb;
    return 0;
}
