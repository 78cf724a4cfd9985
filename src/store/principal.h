/*
 * principal.h — who is acting: the authenticated user behind a request or
 * a command, as every store function that changes something receives it
 * (for authorisation and for the audit log).
 */
#ifndef XSIRT_PRINCIPAL_H
#define XSIRT_PRINCIPAL_H

#include <stdbool.h>
#include <stdint.h>

#define XSIRT_USERNAME_MAX 64

typedef struct xsirt_principal {
    int64_t user_id;                    /* 0: the system itself */
    char username[XSIRT_USERNAME_MAX + 1];
    bool admin;                         /* role admin */
    bool auditor;                       /* role auditor */
    int64_t organisation_id;            /* 0: our own organisation */
    bool external;                      /* kind external: a party's account (portal only) */
} xsirt_principal;

/* The system acting on its own (init, migrations, scheduled escalations). */
void xsirt_principal_system(xsirt_principal *out);

#endif
