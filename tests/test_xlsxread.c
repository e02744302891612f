/* test_xlsxread.c: workbooks read back (xlsxread.h), written here with
 * libxlsxwriter as a spreadsheet program would write them: the template
 * itself (xlsxwrite.h), numbers typed as text, numbers in exponent form,
 * date serials (1900 and 1904 systems), shared and inline strings, empty
 * rows; and what is wrong: not a zip archive, a missing sheet, a word where
 * a number belongs.  Every finding is placed as "FILE.xlsx:Sheet!C12". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <cmocka.h>

#include "dcp_codec.h"
#include "dcp_err.h"
#include "dcp_fs.h"
#include "template.h"
#include "wblayout.h"
#include "xlsxread.h"
#include "xlsxwrite.h"

static char s_dir[64];

static int
s_setup (void **state)
{
    (void) state;
    snprintf (s_dir, sizeof s_dir, "/tmp/test_xlsxread.XXXXXX");
    return mkdtemp (s_dir) ? 0 : -1;
}

static int
s_teardown (void **state)
{
    (void) state;
    char cmd[128];
    snprintf (cmd, sizeof cmd, "rm -rf %s", s_dir);
    return system (cmd);
}

static const char *
s_path (const char *name)
{
    static char path[128];
    snprintf (path, sizeof path, "%s/%s", s_dir, name);
    return path;
}

static void
s_print_findings (const dcp_findings_t *f)
{
    for (size_t i = 0; i < dcp_findings_count (f); i++) {
        const dcp_finding_t *x = dcp_findings_get (f, i);
        print_message ("  %s %s %s\n", x->rule, x->path, x->message);
    }
}

static bool
s_has (const dcp_findings_t *f, const char *rule, const char *path)
{
    for (size_t i = 0; i < dcp_findings_count (f); i++) {
        const dcp_finding_t *x = dcp_findings_get (f, i);
        if (strcmp (x->rule, rule) == 0 && (!path || strcmp (x->path, path) == 0))
            return true;
    }
    return false;
}

/* Writes the envelope as the template lays it out (field names in C). */
static void
s_envelope (lxw_workbook *wb, const char *year_text)
{
    lxw_worksheet *ws = workbook_add_worksheet (wb, "Envelope");
    worksheet_write_string (ws, 3, 1, "precursors", NULL);
    worksheet_write_string (ws, 3, 2, "questionnaire", NULL);
    worksheet_write_string (ws, 4, 1, "AFG", NULL);
    worksheet_write_string (ws, 4, 2, "reporting_country", NULL);
    worksheet_write_string (ws, 5, 1, year_text, NULL); /* a year typed as text */
    worksheet_write_string (ws, 5, 2, "reporting_year", NULL);
    worksheet_write_number (ws, 6, 1, 45000, NULL); /* a date cell: 2023-03-15 */
    worksheet_write_string (ws, 6, 2, "completed_on", NULL);
}

/* P1 with its column names in row 3 and answers from row 4, one row left
 * empty; the first quantity typed as text, the second a big number that
 * spreadsheets write in exponent form. */
static void
s_seizures (lxw_workbook *wb, const char *second_quantity)
{
    lxw_worksheet *ws = workbook_add_worksheet (wb, "P1_seizures");
    const char *keys[] = {"substance_code", "quantity", "quantity.unit", "number_of_seizures"};
    worksheet_write_string (ws, 0, 0, "P1. title", NULL);
    for (int k = 0; k < 4; k++)
        worksheet_write_string (ws, 2, (lxw_col_t) k, keys[k], NULL);
    worksheet_write_string (ws, 3, 0, "AA", NULL);
    worksheet_write_string (ws, 3, 1, "1200.5", NULL);
    worksheet_write_string (ws, 3, 2, "L", NULL);
    worksheet_write_number (ws, 3, 3, 17, NULL);
    /* row 5 (index 4) empty */
    worksheet_write_string (ws, 5, 0, "ACET", NULL);
    if (second_quantity)
        worksheet_write_string (ws, 5, 1, second_quantity, NULL);
    else
        worksheet_write_number (ws, 5, 1, 1e20, NULL);
    worksheet_write_string (ws, 5, 2, "KG", NULL);
    worksheet_write_string (ws, 5, 3, "not available", NULL);
}

static void
s_incidents (lxw_workbook *wb)
{
    lxw_worksheet *ws = workbook_add_worksheet (wb, "P6_incidents");
    const char *keys[] = {"incident_id", "incident_date", "substance_code", "quantity",
                          "quantity.unit"};
    for (int k = 0; k < 5; k++)
        worksheet_write_string (ws, 2, (lxw_col_t) k, keys[k], NULL);
    for (int r = 0; r < 3; r++) {
        worksheet_write_string (ws, (lxw_row_t) (3 + r), 0, r < 2 ? "X-1" : "X-2", NULL);
        worksheet_write_number (ws, (lxw_row_t) (3 + r), 1, r < 2 ? 45000 : 45002, NULL);
        worksheet_write_string (ws, (lxw_row_t) (3 + r), 2, r == 1 ? "HCL" : "AA", NULL);
        worksheet_write_number (ws, (lxw_row_t) (3 + r), 3, 100 + r, NULL);
        worksheet_write_string (ws, (lxw_row_t) (3 + r), 4, "KG", NULL);
    }
}

static Dcp__V1__Submission *
s_read (const char *name, dcp_findings_t *f, xlsxread_map_t **map)
{
    Dcp__V1__Submission *sub = xlsxread_file (s_path (name), f, NULL, map);
    s_print_findings (f);
    return sub;
}

/* The template the collector writes reads back without a reading finding,
 * with the envelope prefilled. */
static void
test_template_reads_back (void **state)
{
    (void) state;
    assert_int_equal (xlsxwrite_template (s_path ("t.xlsx"), "precursors", "IRN", 2025), 0);
    assert_int_equal (xlsxwrite_template (s_path ("f.xlsx"), "financial_flows", NULL, 2025), 0);
    assert_int_equal (xlsxwrite_template (s_path ("x.xlsx"), "nonsense", NULL, 2025), DCP_EINVAL);
    dcp_findings_t *f = dcp_findings_new ();
    Dcp__V1__Submission *sub = s_read ("t.xlsx", f, NULL);
    assert_non_null (sub);
    assert_int_equal (dcp_findings_count (f), 0);
    assert_string_equal (sub->reporting_country, "IRN");
    assert_int_equal (sub->reporting_year, 2025);
    assert_int_equal (sub->questionnaire, DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_PRECURSORS);
    assert_string_equal (sub->geographic_coverage, "NATIONAL");
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
    f = dcp_findings_new ();
    sub = s_read ("f.xlsx", f, NULL);
    assert_non_null (sub);
    assert_int_equal (dcp_findings_count (f), 0);
    assert_string_equal (sub->reporting_country, "");
    assert_int_equal (sub->questionnaire,
                      DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_FINANCIAL_FLOWS);
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
}

/* Text-typed numbers, exponent numbers, date serials, empty rows, shared
 * strings (the default) and inline strings (constant_memory mode). */
static void
s_check_values (const char *name)
{
    dcp_findings_t *f = dcp_findings_new ();
    Dcp__V1__Submission *sub = s_read (name, f, NULL);
    assert_non_null (sub);
    assert_int_equal (dcp_findings_errors (f), 0);
    assert_int_equal (sub->reporting_year, 2023);
    assert_string_equal (sub->completed_on, "2023-03-15");
    assert_int_equal (sub->payload_case, DCP__V1__SUBMISSION__PAYLOAD_PRECURSORS);
    Dcp__V1__Precursors *p = sub->precursors;
    assert_int_equal (p->n_seizures, 2);
    assert_string_equal (p->seizures[0]->quantity->value, "1200.5");
    assert_string_equal (p->seizures[0]->quantity->unit, "L");
    assert_int_equal (p->seizures[0]->number_of_seizures->value, 17);
    assert_string_equal (p->seizures[1]->quantity->value, "100000000000000000000");
    assert_int_equal (p->seizures[1]->number_of_seizures->status,
                      DCP__V1__OBS_STATUS__OBS_NOT_AVAILABLE);
    assert_int_equal (p->n_incidents, 2);
    assert_int_equal (p->incidents[0]->n_substances, 2);
    assert_string_equal (p->incidents[0]->incident_date, "2023-03-15");
    assert_string_equal (p->incidents[1]->incident_date, "2023-03-17");
    assert_string_equal (p->incidents[0]->substances[1]->substance_code, "HCL");
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
}

static void
test_values (void **state)
{
    (void) state;
    lxw_workbook *wb = workbook_new (s_path ("v.xlsx"));
    s_envelope (wb, "2023");
    s_seizures (wb, NULL);
    s_incidents (wb);
    assert_int_equal (workbook_close (wb), LXW_NO_ERROR);
    s_check_values ("v.xlsx");

    lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
    wb = workbook_new_opt (s_path ("inline.xlsx"), &opt);
    s_envelope (wb, "2023");
    s_seizures (wb, NULL);
    s_incidents (wb);
    assert_int_equal (workbook_close (wb), LXW_NO_ERROR);
    /* constant_memory mode writes inline strings: there are no shared ones */
    zip_t *z = zip_open (s_path ("inline.xlsx"), ZIP_RDONLY, NULL);
    assert_non_null (z);
    assert_true (zip_name_locate (z, "xl/sharedStrings.xml", 0) < 0);
    zip_close (z);
    s_check_values ("inline.xlsx");
}

/* Replaces FROM with TO in part PART of workbook NAME (as another program
 * saving the file would change it). */
static void
s_edit_part (const char *name, const char *part, const char *from, const char *to)
{
    int err;
    zip_t *z = zip_open (s_path (name), 0, &err);
    assert_non_null (z);
    zip_stat_t st;
    assert_int_equal (zip_stat (z, part, 0, &st), 0);
    char *text = calloc (1, st.size + 1);
    zip_file_t *zf = zip_fopen (z, part, 0);
    assert_int_equal (zip_fread (zf, text, st.size), (zip_int64_t) st.size);
    zip_fclose (zf);
    char *at = strstr (text, from);
    assert_non_null (at);
    size_t len = st.size - strlen (from) + strlen (to);
    char *edited = malloc (len + 1);
    snprintf (edited, len + 1, "%.*s%s%s", (int) (at - text), text, to, at + strlen (from));
    zip_source_t *src = zip_source_buffer (z, edited, len, 1);
    assert_true (zip_file_add (z, part, src, ZIP_FL_OVERWRITE) >= 0);
    assert_int_equal (zip_close (z), 0);
    free (text);
}

/* The 1904 date system (old Mac workbooks): serial 0 is 1904-01-01. */
static void
test_date1904 (void **state)
{
    (void) state;
    lxw_workbook *wb = workbook_new (s_path ("d.xlsx"));
    lxw_worksheet *ws = workbook_add_worksheet (wb, "Envelope");
    worksheet_write_number (ws, 3, 1, 45000 - 1462, NULL);
    worksheet_write_string (ws, 3, 2, "completed_on", NULL);
    assert_int_equal (workbook_close (wb), LXW_NO_ERROR);
    s_edit_part ("d.xlsx", "xl/workbook.xml", "<workbookPr ", "<workbookPr date1904=\"1\" ");
    dcp_findings_t *f = dcp_findings_new ();
    Dcp__V1__Submission *sub = s_read ("d.xlsx", f, NULL);
    assert_non_null (sub);
    assert_string_equal (sub->completed_on, "2023-03-15");
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
}

/* Bytes that are not a zip archive, and an archive that is not a
 * workbook, are one finding each, never a crash. */
static void
test_not_a_workbook (void **state)
{
    (void) state;
    const char junk[] = "PK\003\004 this is not really a zip archive";
    dcp_findings_t *f = dcp_findings_new ();
    assert_null (xlsxread_bytes ("junk.xlsx", junk, sizeof junk - 1, f, NULL));
    s_print_findings (f);
    assert_true (s_has (f, "XLSX-FILE", "junk.xlsx"));
    dcp_findings_destroy (&f);

    zip_t *z = zip_open (s_path ("plain.xlsx"), ZIP_CREATE | ZIP_TRUNCATE, NULL);
    zip_file_add (z, "hello.txt", zip_source_buffer (z, "hello", 5, 0), 0);
    assert_int_equal (zip_close (z), 0);
    f = dcp_findings_new ();
    assert_null (s_read ("plain.xlsx", f, NULL));
    assert_true (s_has (f, "XLSX-FILE", "plain.xlsx"));
    dcp_findings_destroy (&f);

    /* a broken XML part */
    lxw_workbook *wb = workbook_new (s_path ("x.xlsx"));
    s_envelope (wb, "2023");
    assert_int_equal (workbook_close (wb), LXW_NO_ERROR);
    s_edit_part ("x.xlsx", "xl/worksheets/sheet1.xml", "<sheetData>", "<sheetData><row>");
    f = dcp_findings_new ();
    Dcp__V1__Submission *sub = s_read ("x.xlsx", f, NULL);
    assert_true (s_has (f, "XLSX-FILE", "x.xlsx"));
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
}

/* Without the envelope the sheets are still read, and the missing sheet
 * is reported. */
static void
test_missing_sheet (void **state)
{
    (void) state;
    lxw_workbook *wb = workbook_new (s_path ("m.xlsx"));
    s_seizures (wb, NULL);
    workbook_add_worksheet (wb, "Notes");
    assert_int_equal (workbook_close (wb), LXW_NO_ERROR);
    dcp_findings_t *f = dcp_findings_new ();
    Dcp__V1__Submission *sub = s_read ("m.xlsx", f, NULL);
    assert_non_null (sub);
    assert_true (s_has (f, "XLSX-MISSING-SHEET", "m.xlsx"));
    assert_true (s_has (f, "XLSX-UNKNOWN-SHEET", "Notes"));
    assert_int_equal (sub->precursors->n_seizures, 2);
    assert_int_equal (sub->questionnaire, DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_PRECURSORS);
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
}

/* A word where a number belongs is reported at its cell; a rule finding's
 * JSON pointer is placed at the cell of the answer it is about. */
static void
test_findings_at_cells (void **state)
{
    (void) state;
    lxw_workbook *wb = workbook_new (s_path ("w.xlsx"));
    s_envelope (wb, "2023");
    s_seizures (wb, "lots");
    s_incidents (wb);
    assert_int_equal (workbook_close (wb), LXW_NO_ERROR);
    dcp_findings_t *f = dcp_findings_new ();
    xlsxread_map_t *map = NULL;
    Dcp__V1__Submission *sub = s_read ("w.xlsx", f, &map);
    assert_non_null (sub);
    assert_true (s_has (f, "XLSX-STATUS-TOKEN", "w.xlsx:P1_seizures!B6"));

    dcp_findings_t *rules = dcp_findings_new (), *placed = dcp_findings_new ();
    dcp_findings_add (rules, "R1", DCP_SEV_ERROR, "/precursors/seizures/1/quantity/unit", "x");
    dcp_findings_add (rules, "R2", DCP_SEV_ERROR, "/precursors/seizures/0/quantity/value", "x");
    dcp_findings_add (rules, "R3", DCP_SEV_ERROR, "/precursors/incidents/0/substances/1", "x");
    dcp_findings_add (rules, "R4", DCP_SEV_ERROR, "/precursors/incidents/1/incident_date", "x");
    dcp_findings_add (rules, "R5", DCP_SEV_ERROR, "/reporting_year", "x");
    dcp_findings_add (rules, "R6", DCP_SEV_ERROR, "/precursors/routes/0", "x");
    assert_int_equal (xlsxread_locate (map, rules, placed), 0);
    s_print_findings (placed);
    assert_true (s_has (placed, "R1", "w.xlsx:P1_seizures!C6"));
    assert_true (s_has (placed, "R2", "w.xlsx:P1_seizures!B4"));
    assert_true (s_has (placed, "R3", "w.xlsx:P6_incidents!A5"));
    assert_true (s_has (placed, "R4", "w.xlsx:P6_incidents!B6"));
    assert_true (s_has (placed, "R5", "w.xlsx:Envelope!B6"));
    assert_true (s_has (placed, "R6", "/precursors/routes/0")); /* no such answer: unchanged */
    dcp_findings_destroy (&rules);
    dcp_findings_destroy (&placed);
    xlsxread_map_destroy (&map);
    xlsxread_map_destroy (&map);
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
}

/* The file reader keeps the workbook's bytes for the outbox. */
static void
test_keeps_bytes (void **state)
{
    (void) state;
    assert_int_equal (xlsxwrite_template (s_path ("k.xlsx"), "precursors", "AFG", 2025), 0);
    size_t len;
    char *bytes = dcp_fs_read_file (s_path ("k.xlsx"), 1 << 26, &len);
    assert_non_null (bytes);
    dcp_findings_t *f = dcp_findings_new ();
    jsonread_files_t files = {0};
    Dcp__V1__Submission *sub = xlsxread_file (s_path ("k.xlsx"), f, &files, NULL);
    assert_non_null (sub);
    assert_int_equal (files.n, 1);
    assert_int_equal (files.parts[0].len, len);
    assert_memory_equal (files.parts[0].bytes, bytes, len);
    assert_true (xlsxread_is_workbook ("A.XLSX"));
    assert_false (xlsxread_is_workbook ("a.json"));
    jsonread_files_free (&files);
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
    free (bytes);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_template_reads_back),
        cmocka_unit_test (test_values),
        cmocka_unit_test (test_date1904),
        cmocka_unit_test (test_not_a_workbook),
        cmocka_unit_test (test_missing_sheet),
        cmocka_unit_test (test_findings_at_cells),
        cmocka_unit_test (test_keeps_bytes),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
