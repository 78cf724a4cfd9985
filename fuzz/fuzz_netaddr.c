/*
 * fuzz_netaddr.c — the webhook guard's parsers (core/netaddr.c): an
 * address as text and the operator's allow-list. The input is
 * "ADDRESS\nLIST": the address is parsed, classified and matched against
 * the list under a host name taken from the list's first entry.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/netaddr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *nl = memchr(text, '\n', size);
    size_t alen = nl != NULL ? (size_t)(nl - text) : size;
    char *list = malloc(size + 1), host[64], out[XSIRT_NETADDR_TEXT_MAX];
    xsirt_netaddr a;
    xsirt_error err;
    bool yes;

    if (list == NULL)
        return 0;
    memcpy(list, nl != NULL ? nl + 1 : "", nl != NULL ? size - alen - 1 : 0);
    list[nl != NULL ? size - alen - 1 : 0] = '\0';
    if (xsirt_netaddr_parse(&a, text, alen)) {
        const char *kind = xsirt_netaddr_restricted(&a);
        xsirt_netaddr_format(out, &a);
        if (strlen(out) >= sizeof out || (kind != NULL && kind[0] == '\0'))
            __builtin_trap();
        snprintf(host, sizeof host, "%.*s", (int)strcspn(list, ", \t"), list);
        if (xsirt_netaddr_allowed(&yes, list, host, &a, &err) != 0 && err.message[0] == '\0')
            __builtin_trap();
    }
    free(list);
    return 0;
}
