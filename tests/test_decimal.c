/* test_decimal.c: exact decimals (dcp_decimal.h).
 *
 * Table-driven: each row is one input and the answer the module must give,
 * so the tables double as a description of the accepted syntax. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dcp_decimal.h"
#include "dcp_err.h"

static dcp_decimal_t
s_parse (const char *text)
{
    dcp_decimal_t d;
    assert_int_equal (dcp_decimal_parse (text, &d), 0);
    return d;
}

static void
test_parse_accepts_plain_decimals (void **state)
{
    static const struct {
        const char *text, *canonical;
    } cases[] = {
        {"0", "0"},
        {"-0", "0"}, /* no negative zero */
        {"1234.5", "1234.5"},
        {"15520", "15520"},
        {"0.001", "0.001"},
        {"-12.50", "-12.5"}, /* canonical form drops trailing zeros */
        {"007", "7"},
        {"1.082", "1.082"},
        {"123456789012345678901.123456789", "123456789012345678901.123456789"}, /* 30 digits */
        {"999999999999999999999999999999", "999999999999999999999999999999"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[64];
        dcp_decimal_t d = s_parse (cases[i].text);
        assert_string_equal (dcp_decimal_format (&d, buf, sizeof buf), cases[i].canonical);
    }
}

static void
test_parse_rejects_everything_else (void **state)
{
    static const char *bad[] = {
        "",
        "-",
        ".5",
        "5.",
        "1,234.5",
        "1 234",
        "1e3",
        "+1",
        "--1",
        "1.2.3",
        " 1",
        "1 ",
        "0x10",
        "NaN",
        "inf",
        "--",
        "n/a",
        "1.0000000001",                     /* 10 decimals */
        "1234567890123456789012345678901",  /* 31 digits */
        "12345678901234567890123.12345678", /* 31 digits */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        dcp_decimal_t d;
        assert_int_equal (dcp_decimal_parse (bad[i], &d), DCP_EINVAL);
    }
    dcp_decimal_t d;
    assert_int_equal (dcp_decimal_parse (NULL, &d), DCP_EINVAL);
}

static void
test_cmp_orders_across_scales (void **state)
{
    static const struct {
        const char *a, *b;
        int sign;
    } cases[] = {
        {"1", "1.000", 0},
        {"1.5", "1.45", 1},
        {"-1.5", "-1.45", -1},
        {"-0", "0", 0},
        {"0", "0.000000001", -1},
        {"-3", "2", -1},
        /* rescaling the left side to 9 decimals overflows 127 bits: the
         * comparison must still be right */
        {"999999999999999999999999999999", "0.000000001", 1},
        {"-999999999999999999999999999999", "0.000000001", -1},
        {"0.000000001", "999999999999999999999999999999", -1},
        {"0.000000001", "-999999999999999999999999999999", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dcp_decimal_t a = s_parse (cases[i].a), b = s_parse (cases[i].b);
        int got = dcp_decimal_cmp (&a, &b);
        assert_int_equal ((got > 0) - (got < 0), cases[i].sign);
    }
}

static void
test_sign_predicates (void **state)
{
    dcp_decimal_t zero = s_parse ("-0.00"), neg = s_parse ("-0.01"), pos = s_parse ("3");
    assert_true (dcp_decimal_is_zero (&zero));
    assert_false (dcp_decimal_is_negative (&zero));
    assert_true (dcp_decimal_is_negative (&neg));
    assert_false (dcp_decimal_is_zero (&pos));
    assert_false (dcp_decimal_is_negative (&pos));
}

static void
test_mul_rounds_half_away_from_zero (void **state)
{
    static const struct {
        const char *a, *b;
        int scale;
        const char *product;
    } cases[] = {
        {"1000", "1.082", 3, "1082"}, /* 1,000 L of acetic anhydride in kg */
        {"15520", "1.082", 9, "16792.64"},
        {"0.5", "0.001", 9, "0.0005"}, /* 0.5 g in kg */
        {"2.5", "1", 0, "3"},          /* half rounds away from zero */
        {"-2.5", "1", 0, "-3"},
        {"2.4999", "1", 0, "2"},
        {"0.125", "1", 2, "0.13"},
        {"-0.125", "1", 2, "-0.13"},
        {"3", "-4", 0, "-12"},
        {"7", "3", 2, "21"}, /* scale up */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dcp_decimal_t a = s_parse (cases[i].a), b = s_parse (cases[i].b), out;
        char buf[64];
        assert_int_equal (dcp_decimal_mul (&a, &b, cases[i].scale, &out), 0);
        assert_int_equal (out.scale, cases[i].scale);
        assert_string_equal (dcp_decimal_format (&out, buf, sizeof buf), cases[i].product);
    }
}

static void
test_mul_reports_overflow_and_bad_scale (void **state)
{
    dcp_decimal_t big = s_parse ("999999999999999999999999999999"), out;
    assert_int_equal (dcp_decimal_mul (&big, &big, 0, &out), DCP_ETOOBIG);
    dcp_decimal_t one = s_parse ("1");
    assert_int_equal (dcp_decimal_mul (&big, &one, 9, &out), DCP_ETOOBIG); /* 10^39 */
    assert_int_equal (dcp_decimal_mul (&one, &one, -1, &out), DCP_EINVAL);
    assert_int_equal (dcp_decimal_mul (&one, &one, DCP_DECIMAL_MAX_SCALE + 1, &out), DCP_EINVAL);
}

static void
test_add_is_exact (void **state)
{
    static const struct {
        const char *a, *b, *sum;
    } cases[] = {
        {"0.1", "0.2", "0.3"}, /* the classic binary float failure */
        {"100", "-100.00", "0"},
        {"-1.5", "0.25", "-1.25"},
        {"999999999999999999999999999999", "1", "1000000000000000000000000000000"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dcp_decimal_t a = s_parse (cases[i].a), b = s_parse (cases[i].b), out;
        char buf[64];
        assert_int_equal (dcp_decimal_add (&a, &b, &out), 0);
        assert_string_equal (dcp_decimal_format (&out, buf, sizeof buf), cases[i].sum);
        assert_false (dcp_decimal_is_negative (&out) && dcp_decimal_is_zero (&out));
    }
    /* Rescaling 30 integer digits to 9 decimals does not fit: reported. */
    dcp_decimal_t big = s_parse ("999999999999999999999999999999"), tiny = s_parse ("0.000000001"),
                  out;
    assert_int_equal (dcp_decimal_add (&big, &tiny, &out), DCP_ETOOBIG);
}

static void
test_format_needs_room (void **state)
{
    dcp_decimal_t d = s_parse ("-12.5");
    char small[5], exact[6];
    assert_null (dcp_decimal_format (&d, small, sizeof small));
    assert_string_equal (dcp_decimal_format (&d, exact, sizeof exact), "-12.5");
}

static void
test_from_int (void **state)
{
    static const struct {
        int64_t value;
        const char *text;
    } cases[] = {
        {0, "0"},
        {100, "100"},
        {-7, "-7"},
        {INT64_MAX, "9223372036854775807"},
        {INT64_MIN, "-9223372036854775808"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dcp_decimal_t d;
        char buf[64];
        assert_int_equal (dcp_decimal_from_int (cases[i].value, &d), 0);
        assert_string_equal (dcp_decimal_format (&d, buf, sizeof buf), cases[i].text);
    }
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_parse_accepts_plain_decimals),
        cmocka_unit_test (test_parse_rejects_everything_else),
        cmocka_unit_test (test_cmp_orders_across_scales),
        cmocka_unit_test (test_sign_predicates),
        cmocka_unit_test (test_mul_rounds_half_away_from_zero),
        cmocka_unit_test (test_mul_reports_overflow_and_bad_scale),
        cmocka_unit_test (test_add_is_exact),
        cmocka_unit_test (test_format_needs_room),
        cmocka_unit_test (test_from_int),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
