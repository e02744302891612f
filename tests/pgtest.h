/* pgtest.h: the throwaway PostgreSQL of the unit tests that need one.
 *
 * ctest's fixture "pg" (tests/pg.sh) starts a cluster and writes its
 * conninfo to the file named by DCP_TEST_PG.  These helpers read it, open
 * connections and run statements, failing the running cmocka test (not
 * returning) when anything goes wrong, so the tests read as usage. */
#ifndef PGTEST_H
#define PGTEST_H

#include <libpq-fe.h>
#include <stddef.h>

/* Reads the fixture's conninfo into OUT (SIZE bytes). */
void pgtest_conninfo (char *out, size_t size);

/* Connects to database DBNAME of the cluster CONNINFO; the caller
 * PQfinish()es the connection. */
PGconn *pgtest_connect (const char *conninfo, const char *dbname);

/* Runs SQL, which must succeed without returning rows. */
void pgtest_exec (PGconn *db, const char *sql);

/* Runs SQL, which must return one row; returns its first value, which the
 * caller frees. */
char *pgtest_value (PGconn *db, const char *sql);

/* Creates database NAME (from TEMPLATE, or NULL for the default) and
 * drops it (FORCE: open sessions are ended), on the connection ADMIN. */
void pgtest_create_db (PGconn *admin, const char *name, const char *template_db);
void pgtest_drop_db (PGconn *admin, const char *name);

/* A database of its own for one test file: created empty on the fixture's
 * cluster, named PREFIX_<pid>.  db is the connection to it, admin one to
 * "postgres".  pgtest_db_destroy() closes both and drops the database. */
typedef struct {
    char name[64];
    PGconn *admin;
    PGconn *db;
} pgtest_db_t;

pgtest_db_t *pgtest_db_new (const char *prefix);
void pgtest_db_destroy (pgtest_db_t **self_p);

#endif
