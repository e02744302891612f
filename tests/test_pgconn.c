/* test_pgconn.c: how the loader tells a database that refuses it from one
 * that is not there (yet), and how it prints the server's message.  The
 * messages are libpq's, written with PQERRORS_VERBOSE as pgconn_open()
 * asks; no server is needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "dcp_err.h"
#include "pgconn.h"

static void
test_refusal_keeps_the_servers_words (void **state)
{
    (void) state;
    pgconn_error_t e;
    pgconn_parse_error ("connection to server at \"127.0.0.1\", port 5433 failed: "
                        "FATAL:  28000: role \"nosuch\" does not exist\n"
                        "LOCATION:  InitializeSessionUserId, miscinit.c:694\n",
                        &e);
    assert_true (e.refused);
    assert_string_equal (e.sqlstate, "28000");
    assert_string_equal (e.message, "connection to server at \"127.0.0.1\", port 5433 failed: "
                                    "FATAL:  role \"nosuch\" does not exist");

    pgconn_parse_error ("connection to server on socket \"/tmp/x/.s.PGSQL.5433\" failed: "
                        "FATAL:  3D000: database \"nodb\" does not exist\n",
                        &e);
    assert_true (e.refused);
    assert_string_equal (e.sqlstate, "3D000");

    pgconn_parse_error ("connection to server at \"127.0.0.1\", port 5433 failed: "
                        "FATAL:  28P01: password authentication failed for user \"dcp\"\n"
                        "password retrieved from file \"/etc/dcp/pgpass\"\n",
                        &e);
    assert_true (e.refused);
    assert_string_equal (e.message, "connection to server at \"127.0.0.1\", port 5433 failed: "
                                    "FATAL:  password authentication failed for user \"dcp\"\n"
                                    "password retrieved from file \"/etc/dcp/pgpass\"");

    /* No SQLSTATE, libpq's own words: no password to send at all. */
    pgconn_parse_error ("connection to server at \"127.0.0.1\", port 5433 failed: "
                        "fe_sendauth: no password supplied\n",
                        &e);
    assert_true (e.refused);
    assert_string_equal (e.sqlstate, "");
}

/* A server that is not running, still starting, or only a standby: waiting
 * helps.  Each host of a multi-host string adds its own lines. */
static void
test_absence_is_not_a_refusal (void **state)
{
    (void) state;
    pgconn_error_t e;
    pgconn_parse_error ("connection to server on socket \"/run/postgresql/.s.PGSQL.5432\" "
                        "failed: No such file or directory\n"
                        "\tIs the server running locally and accepting connections on that "
                        "socket?\n",
                        &e);
    assert_false (e.refused);
    assert_string_equal (e.sqlstate, "");
    assert_string_equal (e.message,
                         "connection to server on socket \"/run/postgresql/.s.PGSQL.5432\" "
                         "failed: No such file or directory\n"
                         "\tIs the server running locally and accepting connections on that "
                         "socket?");

    pgconn_parse_error ("connection to server at \"127.0.0.1\", port 5433 failed: Connection "
                        "refused\n\tIs the server running on that host and accepting TCP/IP "
                        "connections?\n"
                        "connection to server at \"127.0.0.1\", port 5434 failed: session is "
                        "read-only\n",
                        &e);
    assert_false (e.refused);

    pgconn_parse_error ("connection to server at \"127.0.0.1\", port 5433 failed: "
                        "FATAL:  57P03: the database system is starting up\n"
                        "LOCATION:  ProcessStartupPacket, postmaster.c:2391\n",
                        &e);
    assert_false (e.refused);
    assert_string_equal (e.sqlstate, "57P03");
    assert_string_equal (e.message, "connection to server at \"127.0.0.1\", port 5433 failed: "
                                    "FATAL:  the database system is starting up");
}

static void
test_sqlstate_classes (void **state)
{
    (void) state;
    assert_true (pgconn_sqlstate_refused ("28000"));
    assert_true (pgconn_sqlstate_refused ("28P01"));
    assert_true (pgconn_sqlstate_refused ("3D000"));
    assert_true (pgconn_sqlstate_refused ("42501"));
    assert_false (pgconn_sqlstate_refused ("57P03")); /* starting up, shutting down */
    assert_false (pgconn_sqlstate_refused ("53300")); /* too many connections */
    assert_false (pgconn_sqlstate_refused ("08006"));
    assert_false (pgconn_sqlstate_refused (""));
    assert_false (pgconn_sqlstate_refused (NULL));
}

static void
test_one_line_for_readyz (void **state)
{
    (void) state;
    char buf[64];
    assert_string_equal (pgconn_one_line (buf, sizeof buf, "a failed: x\n\tIs it?\n"),
                         "a failed: x; Is it?");
    assert_string_equal (pgconn_one_line (buf, 8, "0123456789"), "0123456");
}

static void
test_connection_strings_are_checked (void **state)
{
    (void) state;
    char why[200];
    assert_int_equal (pgconn_check ("dcp", why, sizeof why), 0);
    assert_int_equal (pgconn_check ("host=a,b port=5432,5433 dbname=dcp "
                                    "target_session_attrs=read-write",
                                    why, sizeof why),
                      0);
    assert_int_equal (
        pgconn_check ("postgresql://a:5432,b:5433/dcp?target_session_attrs=read-write", why,
                      sizeof why),
        0);
    assert_int_equal (pgconn_check ("host=a dbnmae=dcp", why, sizeof why), DCP_ECONFIG);
    assert_non_null (strstr (why, "dbnmae"));
    assert_null (strchr (why, '\n'));
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_refusal_keeps_the_servers_words),
        cmocka_unit_test (test_absence_is_not_a_refusal),
        cmocka_unit_test (test_sqlstate_classes),
        cmocka_unit_test (test_one_line_for_readyz),
        cmocka_unit_test (test_connection_strings_are_checked),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
