/* test_buf.c: the growable byte buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "dcp_buf.h"

static void
test_append_keeps_a_c_string (void **state)
{
    (void) state;
    dcp_buf_t b = DCP_BUF_INIT;
    assert_int_equal (dcp_buf_appends (&b, "hello"), 0);
    assert_int_equal (dcp_buf_appendc (&b, ' '), 0);
    assert_int_equal (dcp_buf_append (&b, "world!!", 5), 0);
    assert_int_equal (b.len, 11);
    assert_string_equal (b.data, "hello world");
    assert_int_equal (dcp_buf_printf (&b, " %d-%s", 42, "x"), 0);
    assert_string_equal (b.data, "hello world 42-x");
    dcp_buf_free (&b);
    assert_null (b.data);
    assert_int_equal (b.len, 0);
}

static void
test_grows_byte_by_byte_and_by_printf (void **state)
{
    (void) state;
    dcp_buf_t b;
    dcp_buf_init (&b);
    for (int i = 0; i < 100000; i++)
        assert_int_equal (dcp_buf_appendc (&b, (char) ('a' + i % 26)), 0);
    assert_int_equal (b.len, 100000);
    assert_int_equal (b.data[25], 'z');
    assert_int_equal (b.data[100000], '\0');
    /* A long printf that does not fit the room left is formatted again. */
    char big[5000];
    memset (big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    dcp_buf_reset (&b);
    assert_int_equal (dcp_buf_printf (&b, "<%s>", big), 0);
    assert_int_equal (b.len, sizeof big + 1);
    assert_int_equal (b.data[0], '<');
    assert_int_equal (b.data[b.len - 1], '>');
    dcp_buf_free (&b);
}

static void
test_binary_data_and_take (void **state)
{
    (void) state;
    dcp_buf_t b = DCP_BUF_INIT;
    assert_int_equal (dcp_buf_append (&b, "a\0b", 3), 0);
    size_t len = 0;
    char *data = dcp_buf_take (&b, &len);
    assert_int_equal (len, 3);
    assert_memory_equal (data, "a\0b", 3);
    assert_null (b.data);
    free (data);
    /* An empty buffer gives "", not NULL. */
    data = dcp_buf_take (&b, &len);
    assert_non_null (data);
    assert_string_equal (data, "");
    assert_int_equal (len, 0);
    free (data);
}

static void
test_overflow_is_an_error_and_sticky (void **state)
{
    (void) state;
    dcp_buf_t b = DCP_BUF_INIT;
    assert_int_equal (dcp_buf_appends (&b, "abc"), 0);
    assert_int_equal (dcp_buf_reserve (&b, SIZE_MAX - 2), DCP_ENOMEM);
    assert_int_equal (b.err, DCP_ENOMEM);
    /* Later appends do nothing and report the first failure. */
    assert_int_equal (dcp_buf_appendc (&b, 'd'), DCP_ENOMEM);
    assert_int_equal (dcp_buf_printf (&b, "%d", 1), DCP_ENOMEM);
    assert_int_equal (b.len, 3);
    assert_string_equal (b.data, "abc");
    /* Reset forgets the failure and keeps the memory. */
    dcp_buf_reset (&b);
    assert_int_equal (b.err, 0);
    assert_int_equal (dcp_buf_appends (&b, "ok"), 0);
    assert_string_equal (b.data, "ok");
    /* Take of a failed buffer frees it and gives NULL. */
    assert_int_equal (dcp_buf_reserve (&b, SIZE_MAX), DCP_ENOMEM);
    assert_null (dcp_buf_take (&b, NULL));
    assert_null (b.data);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_append_keeps_a_c_string),
        cmocka_unit_test (test_grows_byte_by_byte_and_by_printf),
        cmocka_unit_test (test_binary_data_and_take),
        cmocka_unit_test (test_overflow_is_an_error_and_sticky),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
