/* db.h: libpq plumbing shared by the loader's store and migrations.
 *
 * The one place where a failed statement is classified, by its SQLSTATE,
 * into what the caller does next: retry the same work later (the database
 * was away or asked to retry), pin the failure on the partner's data (it
 * is isolated and answered), or treat it as a fault of this stage (our
 * encoder, schema or deployment does not match the database: the work is
 * kept and retried, an error logged and counted, and no partner is ever
 * answered "rejected" for it). */
#ifndef DB_H
#define DB_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum {
    DB_FAULT_RETRY = 1, /* transient: connection, serialization, deadlock,
                            shutdown, resources, lock or statement timeout */
    DB_FAULT_DATA,      /* a value of the partner's data was refused */
    DB_FAULT_STAGE,     /* our code, schema or deployment is at fault */
} db_fault_t;

/* Class of SQLSTATE (five characters; NULL when the server sent none, that
 * is the connection failed: DB_FAULT_RETRY).  Data: classes 22 (data
 * exception) but 22P04 (bad COPY format: the encoder and the column list
 * disagree), 23 (integrity) and 54 (program limit: a value too big).
 * Stage: 22P04, 42 (undefined table or column, privilege, syntax) and
 * every other state not known to be transient.  Pure function. */
db_fault_t db_classify_sqlstate (const char *sqlstate);

/* Lower-case name of CLASS ("retry", "data", "stage"). */
const char *db_fault_name (db_fault_t fault);

/* A piece of COPY data, borrowed. */
typedef struct {
    const char *data;
    size_t len;
} db_span_t;

/* Runs the "COPY ... FROM STDIN" statement SQL and sends SPANS[0..N) as its
 * data, straight from the caller's memory (libpq's output buffer is the
 * only copy; large spans go in pieces so that buffer stays small).
 * Returns the statement's result, owned by the caller: PGRES_COMMAND_OK
 * when the rows went in; otherwise the failed result to classify (the COPY
 * did not start, or the server refused the data).  NULL only when libpq
 * returned no result at all (the connection is gone).  Later results are
 * drained, so the connection is ready for the next statement. */
PGresult *db_copy (PGconn *db, const char *sql, const db_span_t *spans, size_t n);

/* Rolls back the open transaction of DB, if there is one and the
 * connection is up; errors are ignored (the connection is being given up
 * or the transaction is already failed). */
void db_rollback (PGconn *db);

#endif
