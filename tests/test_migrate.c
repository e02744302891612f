/* test_migrate.c: loader/migrate.c against a throwaway PostgreSQL.
 *
 * Migrations are append-only: a file applied before whose text changed is
 * refused, unless it declares, in a "-- previous-sha256:" line, the text it
 * replaces with comment changes only; then the new checksum is recorded.
 * Needs the PostgreSQL of the ctest fixture "pg" (DCP_TEST_PG names its
 * conninfo file). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "dcp_err.h"
#include "dcp_log.h"
#include "migrate.h"
#include "pgtest.h"

typedef pgtest_db_t fixture_t;

static int
setup (void **state)
{
    fixture_t *f = pgtest_db_new ("dcp_migrate");
    dcp_log_init ("test", DCP_LOG_WARN);
    assert_int_equal (migrate_run (f->db), 0);
    *state = f;
    return 0;
}

static int
teardown (void **state)
{
    pgtest_db_destroy ((fixture_t **) state);
    return 0;
}

/* Running again over an up-to-date database changes nothing. */
static void
test_migrate_again_is_a_no_op (void **state)
{
    fixture_t *f = *state;
    char *before = pgtest_value (f->db, "SELECT string_agg(checksum, ',' ORDER BY version)"
                                        " FROM dcp.schema_migrations");
    assert_int_equal (migrate_run (f->db), 0);
    char *after = pgtest_value (f->db, "SELECT string_agg(checksum, ',' ORDER BY version)"
                                       " FROM dcp.schema_migrations");
    assert_string_equal (before, after);
    free (before);
    free (after);
}

/* A database migrated before 0001's comments were mended (it recorded the
 * checksum the file now names as previous) is accepted, and the new
 * checksum recorded. */
static void
test_mended_comments_are_accepted (void **state)
{
    fixture_t *f = *state;
    char *now =
        pgtest_value (f->db, "SELECT checksum FROM dcp.schema_migrations WHERE version = 1");
    pgtest_exec (f->db, "UPDATE dcp.schema_migrations SET checksum ="
                        " '329a2a75c925bd1b745d9132060376262bdaf1d042d4ae6b8f6379b49b2a3d80'"
                        " WHERE version = 1");
    assert_int_equal (migrate_run (f->db), 0);
    char *again =
        pgtest_value (f->db, "SELECT checksum FROM dcp.schema_migrations WHERE version = 1");
    assert_string_equal (now, again);
    free (now);
    free (again);
}

/* Any other change to an applied file is refused. */
static void
test_changed_migration_is_refused (void **state)
{
    fixture_t *f = *state;
    char *now =
        pgtest_value (f->db, "SELECT checksum FROM dcp.schema_migrations WHERE version = 4");
    pgtest_exec (f->db, "UPDATE dcp.schema_migrations SET checksum = repeat('0', 64)"
                        " WHERE version = 4");
    assert_int_not_equal (migrate_run (f->db), 0);
    char sql[200];
    snprintf (sql, sizeof sql, "UPDATE dcp.schema_migrations SET checksum = '%s' WHERE version = 4",
              now);
    pgtest_exec (f->db, sql);
    assert_int_equal (migrate_run (f->db), 0);
    free (now);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_migrate_again_is_a_no_op),
        cmocka_unit_test (test_mended_comments_are_accepted),
        cmocka_unit_test (test_changed_migration_is_refused),
    };
    return cmocka_run_group_tests (tests, setup, teardown);
}
