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

#define DB_COPY_PIECE 65536 /* bytes per PQputCopyData */

PGresult *
db_copy (PGconn *db, const char *sql, const db_span_t *spans, size_t n)
{
    PGresult *res = PQexec (db, sql);
    if (PQresultStatus (res) != PGRES_COPY_IN)
        return res;
    PQclear (res);
    bool sent = true;
    for (size_t i = 0; i < n && sent; i++)
        for (size_t at = 0; at < spans[i].len && sent; at += DB_COPY_PIECE) {
            size_t piece = spans[i].len - at < DB_COPY_PIECE ? spans[i].len - at : DB_COPY_PIECE;
            sent = PQputCopyData (db, spans[i].data + at, (int) piece) == 1;
        }
    PQputCopyEnd (db, sent ? NULL : "could not send data");
    res = PQgetResult (db);
    PGresult *more;
    while ((more = PQgetResult (db)))
        PQclear (more);
    return res;
}

void
db_rollback (PGconn *db)
{
    if (PQstatus (db) == CONNECTION_OK && PQtransactionStatus (db) != PQTRANS_IDLE)
        PQclear (PQexec (db, "ROLLBACK"));
}
