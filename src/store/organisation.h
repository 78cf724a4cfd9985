/*
 * organisation.h — external organisations that take part in cases:
 * suppliers, customers, coordinators (JPCERT/CC, IPA, CERT/CC),
 * researchers' employers, partners. Their people may get accounts
 * (users.organisation_id) and see the cases their organisation takes part
 * in, as TLP allows.
 *
 * As JSON: {"id","name","kind"}.
 */
#ifndef XSIRT_ORGANISATION_H
#define XSIRT_ORGANISATION_H

#include <jansson.h>

#include "store/db.h"
#include "store/principal.h"
#include "store/store.h"

/* {"name","kind"}; admins only. */
int xsirt_organisation_create(json_t **out, xsirt_db *db, const xsirt_principal *by,
                              const json_t *in, xsirt_error *err);
/* Our own people see every organisation; an external user their own. */
int xsirt_organisation_list(json_t **out, xsirt_db *db, const xsirt_principal *by,
                            const xsirt_page *pg, xsirt_error *err);

#endif
