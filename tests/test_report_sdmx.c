/* test_report_sdmx.c: SDMX-CSV lines of the report (loader/report/report_sdmx.c):
 * the status mapping, a missing figure as an empty OBS_VALUE with its
 * status, CSV quoting, "_Z" for empty dimensions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "report_sdmx.h"

static void
test_status_mapping (void **state)
{
    (void) state;
    static const struct {
        const char *dcp, *obs, *conf;
    } cases[] = {
        {"REPORTED", "A", "F"},           {"ESTIMATED", "E", "F"},      {"PROVISIONAL", "P", "F"},
        {"NOT_AVAILABLE", "O", "F"},      {"NOT_APPLICABLE", "M", "F"}, {"CONFIDENTIAL", "Q", "C"},
        {"INCLUDED_ELSEWHERE", "O", "F"}, {"UNANSWERED", "O", "F"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const report_sdmx_status_t *st = report_sdmx_status (cases[i].dcp);
        assert_non_null (st);
        assert_string_equal (st->obs_status, cases[i].obs);
        assert_string_equal (st->conf_status, cases[i].conf);
    }
    assert_null (report_sdmx_status ("reported"));
    assert_null (report_sdmx_status (NULL));
}

static const char *
s_row (dcp_buf_t *b, const char *value, const char *status, const char *breakdown)
{
    const char *cols[REPORT_SDMX_NCOLS] = {
        [REPORT_SDMX_DATAFLOW] = "DF_FINANCIAL_FLOWS",
        [REPORT_SDMX_REF_AREA] = "KAZ",
        [REPORT_SDMX_INDICATOR] = "STR_RECEIVED",
        [REPORT_SDMX_MEASURE] = "COUNT",
        [REPORT_SDMX_SCOPE] = "ALL",
        [REPORT_SDMX_BREAKDOWN] = breakdown,
        [REPORT_SDMX_ITEM] = "1",
        [REPORT_SDMX_TIME_PERIOD] = "2023",
        [REPORT_SDMX_OBS_VALUE] = value,
        [REPORT_SDMX_STATUS] = status,
        [REPORT_SDMX_UNIT] = "REPORTS",
        [REPORT_SDMX_QUESTION_REF] = "C.1",
        [REPORT_SDMX_REVISION] = "0",
    };
    dcp_buf_reset (b);
    return report_sdmx_row (b, cols) == 0 ? b->data : NULL;
}

static void
test_rows (void **state)
{
    (void) state;
    dcp_buf_t b = DCP_BUF_INIT;
    assert_int_equal (report_sdmx_header (&b), 0);
    assert_non_null (strstr (b.data, ",OBS_VALUE,OBS_STATUS,CONF_STATUS,UNIT_MEASURE,UNIT_MULT,"));
    assert_string_equal (s_row (&b, "18450", "REPORTED", NULL),
                         "dataflow,DCP:DF_FINANCIAL_FLOWS(1.0),I,A,KAZ,STR_RECEIVED,COUNT,ALL,_Z,1,"
                         "2023,18450,A,F,REPORTS,0,REPORTED,,,C.1,0\r\n");
    /* not available: no value, never 0, with its status */
    assert_string_equal (
        s_row (&b, NULL, "NOT_AVAILABLE", "BANKS"),
        "dataflow,DCP:DF_FINANCIAL_FLOWS(1.0),I,A,KAZ,STR_RECEIVED,COUNT,ALL,BANKS,1,"
        "2023,,O,F,REPORTS,0,NOT_AVAILABLE,,,C.1,0\r\n");
    assert_non_null (strstr (s_row (&b, NULL, "CONFIDENTIAL", NULL), ",,Q,C,"));
    assert_non_null (strstr (s_row (&b, "12.5", "ESTIMATED", "a, \"b\""), ",\"a, \"\"b\"\"\",1,"));
    /* a value under a status that says there is none, and the reverse */
    assert_null (s_row (&b, "0", "NOT_AVAILABLE", NULL));
    assert_null (s_row (&b, NULL, "REPORTED", NULL));
    assert_null (s_row (&b, "1", "SOMETHING", NULL));
    dcp_buf_free (&b);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_status_mapping),
        cmocka_unit_test (test_rows),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
