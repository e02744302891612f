/* pgtest.c: the throwaway PostgreSQL of the unit tests (see pgtest.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pgtest.h"

void
pgtest_conninfo (char *out, size_t size)
{
    const char *path = getenv ("DCP_TEST_PG");
    if (!path)
        fail_msg ("DCP_TEST_PG is not set (run through ctest, fixture pg)");
    FILE *fp = fopen (path, "r");
    if (!fp)
        fail_msg ("could not open conninfo file \"%s\"", path);
    if (!fgets (out, (int) size, fp))
        out[0] = '\0';
    fclose (fp);
    out[strcspn (out, "\n")] = '\0';
}

PGconn *
pgtest_connect (const char *conninfo, const char *dbname)
{
    char info[1200];
    snprintf (info, sizeof info, "%s dbname=%s", conninfo, dbname);
    PGconn *db = PQconnectdb (info);
    if (PQstatus (db) != CONNECTION_OK)
        fail_msg ("could not connect to database \"%s\": %s", dbname, PQerrorMessage (db));
    return db;
}

void
pgtest_exec (PGconn *db, const char *sql)
{
    PGresult *res = PQexec (db, sql);
    if (PQresultStatus (res) != PGRES_COMMAND_OK)
        fail_msg ("%s: %s", sql, PQresultErrorMessage (res));
    PQclear (res);
}

char *
pgtest_value (PGconn *db, const char *sql)
{
    PGresult *res = PQexec (db, sql);
    if (PQresultStatus (res) != PGRES_TUPLES_OK || PQntuples (res) != 1)
        fail_msg ("%s: %s", sql, PQresultErrorMessage (res));
    char *v = strdup (PQgetvalue (res, 0, 0));
    PQclear (res);
    assert_non_null (v);
    return v;
}

void
pgtest_create_db (PGconn *admin, const char *name, const char *template_db)
{
    char sql[256];
    if (template_db)
        snprintf (sql, sizeof sql, "CREATE DATABASE %s TEMPLATE %s", name, template_db);
    else
        snprintf (sql, sizeof sql, "CREATE DATABASE %s", name);
    pgtest_exec (admin, sql);
}

void
pgtest_drop_db (PGconn *admin, const char *name)
{
    char sql[256];
    snprintf (sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    PQclear (PQexec (admin, sql)); /* best effort: teardown of a failed test */
}

pgtest_db_t *
pgtest_db_new (const char *prefix)
{
    pgtest_db_t *self = calloc (1, sizeof *self);
    assert_non_null (self);
    char conninfo[1024];
    pgtest_conninfo (conninfo, sizeof conninfo);
    snprintf (self->name, sizeof self->name, "%s_%d", prefix, (int) getpid ());
    self->admin = pgtest_connect (conninfo, "postgres");
    pgtest_create_db (self->admin, self->name, NULL);
    self->db = pgtest_connect (conninfo, self->name);
    return self;
}

void
pgtest_db_destroy (pgtest_db_t **self_p)
{
    if (!*self_p)
        return;
    pgtest_db_t *self = *self_p;
    PQfinish (self->db);
    pgtest_drop_db (self->admin, self->name);
    PQfinish (self->admin);
    free (self);
    *self_p = NULL;
}
