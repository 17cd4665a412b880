#ifndef BILLPORT_CLIBPQ_SHIM_H
#define BILLPORT_CLIBPQ_SHIM_H
#include <libpq-fe.h>

/* The PG_DIAG_* field codes are character macros; these name the ones Billport reads. */
static inline int bp_pq_diag_sqlstate(void) { return PG_DIAG_SQLSTATE; }
static inline int bp_pq_diag_message_primary(void) { return PG_DIAG_MESSAGE_PRIMARY; }
#endif
