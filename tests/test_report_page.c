/* test_report_page.c: the report page's pure parts (loader/report/report_page.c
 * and report_sql.c): JSON escaped for a <script> element, libraries refused
 * when they could end their element, placeholders filled, statements found
 * by name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "report_page.h"
#include "report_sql.h"

static char *
s_escape (const char *json)
{
    dcp_buf_t b = DCP_BUF_INIT;
    assert_int_equal (report_page_json_escape (&b, json, strlen (json)), 0);
    return dcp_buf_take (&b, NULL);
}

static void
test_a_partner_name_cannot_end_the_script (void **state)
{
    (void) state;
    char *out = s_escape ("{\"name\":\"</script><script>alert(1)</script>\"}");
    assert_string_equal (out, "{\"name\":\"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"
                              "\\u003c/script\\u003e\"}");
    assert_null (strchr (out, '<'));
    free (out);
    out = s_escape ("[\"<!-- a & b -->\"]");
    assert_string_equal (out, "[\"\\u003c!-- a \\u0026 b --\\u003e\"]");
    free (out);
}

static void
test_line_separators_and_other_text_are_kept (void **state)
{
    (void) state;
    /* U+2028 and U+2029 (E2 80 A8 / A9) escaped; other UTF-8 untouched */
    char *out = s_escape ("[\"a\xE2\x80\xA8"
                          "b\xE2\x80\xA9"
                          "c\xE2\x80\x94\xD0\x96\"]");
    assert_string_equal (out, "[\"a\\u2028b\\u2029c\xE2\x80\x94\xD0\x96\"]");
    free (out);
    out = s_escape ("{\"kg\":null,\"status\":\"NOT_AVAILABLE\"}");
    assert_string_equal (out, "{\"kg\":null,\"status\":\"NOT_AVAILABLE\"}");
    free (out);
    out = s_escape ("\"\xE2\x80\""); /* a cut sequence at the end: kept as is */
    assert_string_equal (out, "\"\xE2\x80\"");
    free (out);
}

static void
test_script_safety_of_a_library (void **state)
{
    (void) state;
    const char *ok = "var a = 1 < 2; if (x </b/) y();";
    assert_true (report_page_script_safe (ok, strlen (ok)));
    assert_false (report_page_script_safe ("x='</SCRIPT >'", 13));
    assert_false (report_page_script_safe ("a<!--b", 6));
    assert_true (report_page_script_safe ("</scrip", 7));
}

static void
test_page_fills_assets_and_data (void **state)
{
    (void) state;
    const dcp_blob_t assets[] = {{"lib.js", "var lib = 1;", 12}, {NULL, NULL, 0}};
    const char *tpl = "<script><!--@lib.js@--></script><script type=\"application/json\">"
                      "<!--@DATA@--></script>";
    const char *data = "{\"n\":\"</script>\"}";
    dcp_buf_t b = DCP_BUF_INIT;
    char err[128] = "";
    assert_int_equal (report_page_build (&b, tpl, assets, data, strlen (data), err, sizeof err), 0);
    assert_string_equal (b.data, "<script>var lib = 1;</script><script type=\"application/json\">"
                                 "{\"n\":\"\\u003c/script\\u003e\"}</script>");
    dcp_buf_reset (&b);
    assert_int_equal (
        report_page_build (&b, "<!--@missing.js@-->", assets, "{}", 2, err, sizeof err),
        DCP_EINVAL);
    assert_non_null (strstr (err, "missing.js"));
    const dcp_blob_t bad[] = {{"lib.js", "s='</script>'", 13}, {NULL, NULL, 0}};
    dcp_buf_reset (&b);
    assert_int_equal (report_page_build (&b, tpl, bad, "{}", 2, err, sizeof err), DCP_EINVAL);
    dcp_buf_reset (&b);
    assert_int_equal (report_page_build (&b, "<!--@lib.js", assets, "{}", 2, err, sizeof err),
                      DCP_EINVAL);
    dcp_buf_free (&b);
}

static void
test_statements_by_name (void **state)
{
    (void) state;
    const char *text = "-- header\n-- name: a\nSELECT 1;\n\n-- name: ab\nSELECT 2;\n";
    char *a = report_sql_extract (text, "a"), *ab = report_sql_extract (text, "ab");
    assert_string_equal (a, "SELECT 1;\n\n");
    assert_string_equal (ab, "SELECT 2;\n");
    assert_null (report_sql_extract (text, "b"));
    free (a);
    free (ab);
    /* every statement the program runs is in the embedded file */
    const char *names[] = {"group_check", "meta",   "tracking", "baseline", "seizures",
                           "routes",      "funnel", "assets",   "notes",    "sdmx"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *sql = report_sql_get (names[i]);
        assert_non_null (sql);
        assert_non_null (strstr (sql, "$1"));
        /* --group filters every section: each statement takes the group */
        assert_non_null (strstr (sql, "$2::text"));
        free (sql);
    }
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_a_partner_name_cannot_end_the_script),
        cmocka_unit_test (test_line_separators_and_other_text_are_kept),
        cmocka_unit_test (test_script_safety_of_a_library),
        cmocka_unit_test (test_page_fills_assets_and_data),
        cmocka_unit_test (test_statements_by_name),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
