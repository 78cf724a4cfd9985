/*
 * xml_lib.c — libxml2 loaded on first use (xml_lib.h). The library name is
 * the soname of the libxml2 whose headers we were built against (2.14
 * changed it), so the functions' types match what is loaded. Loaded once
 * per process under pthread_once: scans run in server threads too.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <libxml/xmlversion.h>

#include "formats/xml_lib.h"

#if LIBXML_VERSION >= 21400
#define XML_SONAME "libxml2.so.16"
#else
#define XML_SONAME "libxml2.so.2"
#endif

xsirt_xml_lib xsirt_xml;

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static int xml_ok;
static char xml_why[256];

/* dlsym's void * into a function pointer: through memcpy, as POSIX
 * intends and ISO C allows (a cast between the two is not). */
static int xml_sym(void *h, const char *name, void *out, size_t size)
{
    void *p = dlsym(h, name);

    if (p == NULL) {
        snprintf(xml_why, sizeof xml_why, "%s: no symbol %s", XML_SONAME, name);
        return -1;
    }
    memcpy(out, &p, size);
    return 0;
}

#define XML_SYM(h, field, name) xml_sym(h, name, &xsirt_xml.field, sizeof xsirt_xml.field)

static void xml_open(void)
{
    void *h = dlopen(XML_SONAME, RTLD_NOW | RTLD_LOCAL);
    const char *e;

    if (h == NULL) {
        e = dlerror();
        snprintf(xml_why, sizeof xml_why, "%s", e != NULL ? e : XML_SONAME ": cannot load");
        return;
    }
    if (XML_SYM(h, NewParserCtxt, "xmlNewParserCtxt") != 0 ||
        XML_SYM(h, CtxtReadMemory, "xmlCtxtReadMemory") != 0 ||
        XML_SYM(h, DocGetRootElement, "xmlDocGetRootElement") != 0 ||
        XML_SYM(h, FreeDoc, "xmlFreeDoc") != 0 ||
        XML_SYM(h, FreeParserCtxt, "xmlFreeParserCtxt") != 0 ||
        XML_SYM(h, GetLineNo, "xmlGetLineNo") != 0 ||
        XML_SYM(h, GetNoNsProp, "xmlGetNoNsProp") != 0 ||
        XML_SYM(h, StopParser, "xmlStopParser") != 0 ||
        XML_SYM(h, StrEqual, "xmlStrEqual") != 0 || XML_SYM(h, Free, "xmlFree") != 0)
        return;   /* the handle stays: dlclose would gain nothing */
    xml_ok = 1;
}

int xsirt_xml_load(xsirt_error *err)
{
    pthread_once(&xml_once, xml_open);
    if (!xml_ok)
        return xsirt_error_set(err, XSIRT_EUNSUPPORTED,
                               "reading XML needs libxml2, which could not be loaded: %s",
                               xml_why);
    return 0;
}
