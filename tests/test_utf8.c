/* test_utf8.c: the one UTF-8 check and the cleaner. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "dcp_utf8.h"

#define T(s) s, sizeof s - 1

static void
test_strict_encoding (void **state)
{
    (void) state;
    static const struct {
        const char *text;
        size_t len;
        size_t bad; /* expected offset of the first bad byte */
    } cases[] = {
        {T ("plain ascii"), 11},     {T ("caf\xc3\xa9"), 5},  {T ("\xe2\x82\xac euro"), 8},
        {T ("\xf0\x9f\x98\x80"), 4},                          /* U+1F600 */
        {T ("\xf4\x8f\xbf\xbf"), 4},                          /* U+10FFFF, the last */
        {T ("a\xc0\x80"), 1},                                 /* overlong NUL */
        {T ("a\xc1\xbf"), 1},                                 /* overlong */
        {T ("\xe0\x80\xaf"), 0},                              /* overlong '/' */
        {T ("\xf0\x8f\xbf\xbf"), 0},                          /* overlong 4-byte */
        {T ("ok\xed\xa0\x80"), 2},                            /* surrogate U+D800 */
        {T ("\xf4\x90\x80\x80"), 0},                          /* U+110000 */
        {T ("\xf5\x80\x80\x80"), 0}, {T ("ab\x80"), 2},       /* stray continuation */
        {T ("ab\xc3"), 2},                                    /* truncated */
        {T ("\xe2\x82"), 0},         {T ("\xe2\x28\xa1"), 0}, /* bad continuation */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal (dcp_utf8_check (cases[i].text, cases[i].len, 0), cases[i].bad);
        assert_int_equal (dcp_utf8_valid (cases[i].text, cases[i].len, 0),
                          cases[i].bad == cases[i].len);
    }
}

static void
test_nul_and_controls_by_flag (void **state)
{
    (void) state;
    assert_true (dcp_utf8_valid (T ("a\0b"), 0));
    assert_int_equal (dcp_utf8_check (T ("a\0b"), DCP_UTF8_NO_NUL), 1);
    assert_true (dcp_utf8_valid (T ("a\x01"), DCP_UTF8_NO_NUL));
    assert_int_equal (dcp_utf8_check (T ("a\x01"), DCP_UTF8_TEXT), 1);
    assert_int_equal (dcp_utf8_check (T ("a\0"), DCP_UTF8_TEXT), 1);
    assert_true (dcp_utf8_valid (T ("tab\there\r\nline"), DCP_UTF8_TEXT));
    assert_true (dcp_utf8_valid (T ("del \x7f is kept"), DCP_UTF8_TEXT));
}

static void
test_clean_replaces_and_bounds (void **state)
{
    (void) state;
    char *out = dcp_utf8_clean (T ("a\xff"
                                   "b\xc3\xa9"),
                                100, 0);
    assert_string_equal (out, "a" DCP_UTF8_REPLACEMENT "b\xc3\xa9");
    free (out);
    /* Each bad byte of a broken sequence is one replacement. */
    out = dcp_utf8_clean (T ("\xed\xa0\x80"), 100, 0);
    assert_string_equal (out, DCP_UTF8_REPLACEMENT DCP_UTF8_REPLACEMENT DCP_UTF8_REPLACEMENT);
    free (out);
    out = dcp_utf8_clean (T ("a\x01\0b\tc"), 100, DCP_UTF8_TEXT);
    assert_string_equal (out, "a??b\tc");
    free (out);
    /* NUL never survives: the result is a C string. */
    out = dcp_utf8_clean (T ("a\0b"), 100, 0);
    assert_string_equal (out, "a?b");
    free (out);
    /* Cut before a character that does not fit, never inside it. */
    out = dcp_utf8_clean (T ("ab\xe2\x82\xac"), 4, 0);
    assert_string_equal (out, "ab");
    free (out);
    out = dcp_utf8_clean (T ("abcdef"), 3, 0);
    assert_string_equal (out, "abc");
    free (out);
    out = dcp_utf8_clean (T (""), 10, 0);
    assert_string_equal (out, "");
    free (out);
    out = dcp_utf8_clean (T ("\xff"), 0, 0);
    assert_string_equal (out, "");
    free (out);
}

static void
test_clean_output_passes_the_check (void **state)
{
    (void) state;
    unsigned char junk[512];
    unsigned seed = 7;
    for (int round = 0; round < 200; round++) {
        for (size_t i = 0; i < sizeof junk; i++) {
            seed = seed * 1103515245u + 12345u;
            junk[i] = (unsigned char) (seed >> 16);
        }
        char *out = dcp_utf8_clean ((const char *) junk, sizeof junk, 300, DCP_UTF8_TEXT);
        assert_non_null (out);
        assert_true (strlen (out) <= 300);
        assert_true (dcp_utf8_valid (out, strlen (out), DCP_UTF8_TEXT));
        free (out);
    }
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_strict_encoding),
        cmocka_unit_test (test_nul_and_controls_by_flag),
        cmocka_unit_test (test_clean_replaces_and_bounds),
        cmocka_unit_test (test_clean_output_passes_the_check),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
