/* migrate.h: bringing a database to the schema this loader expects.
 *
 * The numbered SQL files of loader/migrations are embedded in the binary
 * (dcp_blob.h) and applied in order, each in its own transaction, and
 * recorded in dcp.schema_migrations with a checksum; an advisory lock keeps
 * two loaders starting together from migrating twice.  A file already
 * applied whose checksum changed is an error (migrations are append-only).
 * Reference tables are then refreshed from the embedded CSV files when
 * their content changed. */
#ifndef MIGRATE_H
#define MIGRATE_H

#include <libpq-fe.h>

/* Applies every pending migration and refreshes reference data.  Returns 0,
 * DCP_EDB_RETRY if the connection failed, or DCP_EDB_FATAL if a migration
 * failed (the message is logged with the file name). */
int migrate_run (PGconn *db);

/* Number of the newest applied migration, or a negative DCP_E* code. */
int migrate_current (PGconn *db);

#endif
