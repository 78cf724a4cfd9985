/*
 * xml_lib.h — libxml2, loaded when first needed (dlopen) instead of linked.
 *
 * Only the CycloneDX XML reader uses libxml2, and libxml2 brings ICU and
 * libstdc++ with it: linked, it was most of the start-up of every `xsirt`
 * command, XML or not (docs/architecture.md, "A lean command"). The
 * reader calls xsirt_xml_load first, then the functions through
 * xsirt_xml (sbom_cyclonedx_xml.c maps libxml2's names onto them, so its
 * code reads as plain libxml2).
 */
#ifndef XSIRT_FORMATS_XML_LIB_H
#define XSIRT_FORMATS_XML_LIB_H

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "xsirt/error.h"

typedef struct xsirt_xml_lib {
    xmlParserCtxtPtr (*NewParserCtxt)(void);
    xmlDocPtr (*CtxtReadMemory)(xmlParserCtxtPtr, const char *, int, const char *,
                                const char *, int);
    xmlNodePtr (*DocGetRootElement)(const xmlDoc *);
    void (*FreeDoc)(xmlDocPtr);
    void (*FreeParserCtxt)(xmlParserCtxtPtr);
    long (*GetLineNo)(const xmlNode *);
    xmlChar *(*GetNoNsProp)(const xmlNode *, const xmlChar *);
    void (*StopParser)(xmlParserCtxtPtr);
    int (*StrEqual)(const xmlChar *, const xmlChar *);
    xmlFreeFunc *Free;   /* libxml2's xmlFree is a variable */
} xsirt_xml_lib;

/* Filled by the first successful xsirt_xml_load; read it only after one. */
extern xsirt_xml_lib xsirt_xml;

/* Loads libxml2 once per process (thread-safe); XSIRT_EUNSUPPORTED with
 * the loader's message when it is not installed. */
int xsirt_xml_load(xsirt_error *err);

#endif
