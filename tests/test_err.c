/* test_err.c: the error list: names, messages and retry class come from one
 * table and agree with it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "dcp_err.h"

static void
test_existing_values_never_change (void **state)
{
    (void) state;
    /* Values are in logs and metrics of running deployments. */
    assert_int_equal (DCP_OK, 0);
    assert_int_equal (DCP_ENOMEM, -1);
    assert_int_equal (DCP_EINVAL, -2);
    assert_int_equal (DCP_EPROTO, -3);
    assert_int_equal (DCP_EIO, -4);
    assert_int_equal (DCP_EAGAIN, -5);
    assert_int_equal (DCP_ETIMEDOUT, -6);
    assert_int_equal (DCP_EAUTH, -7);
    assert_int_equal (DCP_EDB_RETRY, -8);
    assert_int_equal (DCP_EDB_FATAL, -9);
    assert_int_equal (DCP_ECONFIG, -10);
    assert_int_equal (DCP_ETOOBIG, -11);
    assert_int_equal (DCP_ECONFLICT, -12);
}

static void
test_every_code_has_a_name_and_a_message (void **state)
{
    (void) state;
#define XX(name, value, retry, text)                                                               \
    assert_true ((value) < 0);                                                                     \
    assert_string_equal (dcp_err_name (value), "DCP_" #name);                                      \
    assert_string_equal (dcp_strerror (value), text);                                              \
    assert_int_equal (dcp_err_retryable (value), retry);
    DCP_ERR_MAP (XX)
#undef XX
    assert_string_equal (dcp_err_name (0), "DCP_OK");
    assert_string_equal (dcp_strerror (0), "success");
}

static void
test_unknown_codes_are_permanent (void **state)
{
    (void) state;
    assert_string_equal (dcp_strerror (-999), "unknown error");
    assert_string_equal (dcp_err_name (-999), "DCP_E?");
    assert_false (dcp_err_retryable (-999));
    assert_false (dcp_err_retryable (0));
    assert_false (dcp_err_retryable (1));
}

static void
test_retry_classes (void **state)
{
    (void) state;
    /* Our own fault and the network are retried; the partner's input is not. */
    assert_true (dcp_err_retryable (DCP_ESTAGE));
    assert_true (dcp_err_retryable (DCP_ENET));
    assert_true (dcp_err_retryable (DCP_EDB_RETRY));
    assert_true (dcp_err_retryable (DCP_ERACE));
    assert_false (dcp_err_retryable (DCP_EDB_FATAL));
    assert_false (dcp_err_retryable (DCP_EPROTO));
    assert_false (dcp_err_retryable (DCP_EINVAL));
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_existing_values_never_change),
        cmocka_unit_test (test_every_code_has_a_name_and_a_message),
        cmocka_unit_test (test_unknown_codes_are_permanent),
        cmocka_unit_test (test_retry_classes),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
