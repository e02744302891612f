/* db.c: libpq plumbing shared by the loader's store and migrations (see
 * db.h). */
#include <string.h>

#include "db.h"

static bool
s_is (const char *state, const char *prefix)
{
    return strncmp (state, prefix, strlen (prefix)) == 0;
}

db_fault_t
db_classify_sqlstate (const char *state)
{
    if (!state || strlen (state) != 5)
        return DB_FAULT_RETRY;
    if (strcmp (state, "40001") == 0 || strcmp (state, "40P01") == 0 || s_is (state, "08")
        || s_is (state, "57P") || s_is (state, "53") || strcmp (state, "55P03") == 0
        || strcmp (state, "57014") == 0)
        return DB_FAULT_RETRY;
    /* A COPY row with too many or too few fields is the encoder's fault:
     * every partner value is escaped, so no value can change the shape. */
    if (strcmp (state, "22P04") == 0)
        return DB_FAULT_STAGE;
    if (s_is (state, "22") || s_is (state, "23") || s_is (state, "54"))
        return DB_FAULT_DATA;
    return DB_FAULT_STAGE;
}

const char *
db_fault_name (db_fault_t fault)
{
    switch (fault) {
    case DB_FAULT_RETRY: return "retry";
    case DB_FAULT_DATA: return "data";
    case DB_FAULT_STAGE: return "stage";
    }
    return "?";
}

void
db_rollback (PGconn *db)
{
    if (PQstatus (db) == CONNECTION_OK && PQtransactionStatus (db) != PQTRANS_IDLE)
        PQclear (PQexec (db, "ROLLBACK"));
}
