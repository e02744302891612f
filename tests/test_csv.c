#define _GNU_SOURCE /* asprintf */
/* test_csv.c: long tables from CSV files (csvread.h): what a national
 * export may look like, and where each problem is reported
 * ("FILE:LINE:COLUMN", 1-based, column in characters). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dcp_codec.h"
#include "csvread.h"
#include "dcp_err.h"
#include "dcp_rules.h"
#include "srcmap.h"
#include "jsonread.h"
#include "jsonwrite.h"

static void
s_print_findings (const dcp_findings_t *f)
{
    for (size_t i = 0; i < dcp_findings_count (f); i++) {
        const dcp_finding_t *x = dcp_findings_get (f, i);
        print_message ("  %s %s %s\n", x->rule, x->path, x->message);
    }
}

static bool
s_has (const dcp_findings_t *f, const char *rule, const char *path, const char *needle)
{
    for (size_t i = 0; i < dcp_findings_count (f); i++) {
        const dcp_finding_t *x = dcp_findings_get (f, i);
        if (strcmp (x->rule, rule) == 0 && (!path || strcmp (x->path, path) == 0)
            && (!needle || strstr (x->message, needle)))
            return true;
    }
    return false;
}

#define assert_finding(f, rule, path, needle)                                                      \
    do {                                                                                           \
        if (!s_has ((f), (rule), (path), (needle))) {                                              \
            s_print_findings (f);                                                                  \
            fail_msg ("missing finding %s at %s", (rule), (path) ? (path) : "*");                  \
        }                                                                                          \
    } while (0)

#define assert_no_findings(f)                                                                      \
    do {                                                                                           \
        if (dcp_findings_count (f)) {                                                              \
            s_print_findings (f);                                                                  \
            fail_msg ("unexpected findings");                                                      \
        }                                                                                          \
    } while (0)

static Dcp__V1__Submission *
s_new_submission (void)
{
    Dcp__V1__Submission *sub = calloc (1, sizeof *sub);
    assert_non_null (sub);
    dcp__v1__submission__init (sub);
    return sub;
}

/* Reads TEXT as TABLE into a new submission; returns csvread_table's code. */
static int
s_read (const char *text, const char *table, Dcp__V1__Submission **sub_p, dcp_findings_t **f_p)
{
    *sub_p = s_new_submission ();
    *f_p = dcp_findings_new ();
    return csvread_table (text, strlen (text), "t.csv", table, *sub_p, *f_p);
}

/* --- spreadsheets in other locales ----------------------------------------- */

/* A German, French or Russian spreadsheet writes ';' between cells and a
 * decimal comma; thousands may be grouped by spaces (also no-break ones)
 * or, before a decimal comma, by dots.  All read as the same numbers. */
static void
test_semicolon_decimal_comma (void **state)
{
    (void) state;
    const char *text = "substance_code;quantity;unit;concentration_pct;number_of_seizures\r\n"
                       "AA;15520,5;L;98,5;17\r\n"
                       "ACET;15 520,5;KG;;3\r\n"
                       "HCL;15.520,5;KG;;2\r\n"
                       "KMNO4;\xc2\xa0"
                       "1\xe2\x80\xaf"
                       "234;KG;;1\r\n"
                       "SA;0,25 KG;;;1\r\n";
    Dcp__V1__Submission *sub;
    dcp_findings_t *f;
    assert_int_equal (s_read (text, "seizures", &sub, &f), 0);
    assert_no_findings (f);
    Dcp__V1__Precursors *p = sub->precursors;
    assert_int_equal (p->n_seizures, 5);
    assert_string_equal (p->seizures[0]->quantity->value, "15520.5");
    assert_string_equal (p->seizures[0]->concentration_pct, "98.5");
    assert_string_equal (p->seizures[1]->quantity->value, "15520.5");
    assert_string_equal (p->seizures[2]->quantity->value, "15520.5");
    assert_string_equal (p->seizures[3]->quantity->value, "1234");
    assert_string_equal (p->seizures[4]->quantity->value, "0.25");
    assert_string_equal (p->seizures[4]->quantity->unit, "KG");
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
}

/* Tabs as separators (a sheet copied and saved as text), and Excel's
 * "sep=;" first line, which names the separator and is no header. */
static void
test_tab_and_sep_line (void **state)
{
    (void) state;
    Dcp__V1__Submission *sub;
    dcp_findings_t *f;
    const char *tabs = "substance_code\tquantity\tunit\tnumber_of_seizures\n"
                       "AA\t4200,5\tL\t3\n";
    assert_int_equal (s_read (tabs, "seizures", &sub, &f), 0);
    assert_no_findings (f);
    assert_string_equal (sub->precursors->seizures[0]->quantity->value, "4200.5");
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
    const char *sep = "sep=;\r\nsubstance_code;quantity;unit;number_of_seizures\r\n"
                      "AA;12,5;L;1\r\nACET;lots;KG;1\r\n";
    assert_int_equal (s_read (sep, "seizures", &sub, &f), 0);
    assert_int_equal (sub->precursors->n_seizures, 2);
    assert_string_equal (sub->precursors->seizures[0]->quantity->value, "12.5");
    /* lines are still counted from the top of the file */
    assert_true (dcp_findings_count (f) >= 1);
    assert_string_equal (dcp_findings_get (f, 0)->path, "t.csv:4:6");
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
}

/* "1.500" in a decimal-comma file is 1500 to a German and 1.5 to whoever
 * typed a point: refused, with how to write it.  A plain comma file keeps
 * reading "1.5" as before. */
static void
test_ambiguous_thousands_refused (void **state)
{
    (void) state;
    Dcp__V1__Submission *sub;
    dcp_findings_t *f;
    const char *text = "substance_code;quantity;unit;number_of_seizures\n"
                       "AA;1.500;L;1\nACET;15.52;KG;1\n";
    assert_int_equal (s_read (text, "seizures", &sub, &f), 0);
    assert_finding (f, "CSV-NUMBER", "t.csv:2:4", "could be read two ways");
    assert_int_equal (dcp_findings_count (f), 1);
    assert_string_equal (sub->precursors->seizures[1]->quantity->value, "15.52");
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
}

/* A header the reader cannot use at all is one plain sentence, not one
 * CSV-UNKNOWN-COLUMN per cell. */
static void
test_unreadable_header_is_one_sentence (void **state)
{
    (void) state;
    Dcp__V1__Submission *sub;
    dcp_findings_t *f;
    const char *pipes = "substance_code|quantity|unit\nAA|1|L\n";
    assert_int_equal (s_read (pipes, "seizures", &sub, &f), DCP_EINVAL);
    assert_int_equal (dcp_findings_count (f), 1);
    assert_finding (f, "CSV-HEADER", "t.csv:1:1", "separates its cells with '|'");
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
    const char *other = "date,amount,payee\n2023-01-01,5,X\n";
    assert_int_equal (s_read (other, "seizures", &sub, &f), DCP_EINVAL);
    assert_int_equal (dcp_findings_count (f), 1);
    assert_finding (f, "CSV-HEADER", "t.csv:1:1", "none of the 3 header cells");
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
}

/* The rules' findings on CSV rows point at the cell (file:LINE:COLUMN),
 * with the JSON pointer kept in the message; a cell that failed reading
 * gets no second finding from the rules. */
static void
test_rule_findings_located_in_csv (void **state)
{
    (void) state;
    const char *text = "incident_id;incident_type;incident_date;substance_code;quantity;unit\n"
                       "A-1;SEIZURE;2023-02-30;AA;10;L\n"
                       "A-2;SEIZURE;2023-03-01;ACETT;1.500;KG\n";
    Dcp__V1__Submission *sub = s_new_submission ();
    dcp_findings_t *f = dcp_findings_new ();
    srcmap_t *map = srcmap_new ();
    assert_int_equal (
        csvread_table_mapped (text, strlen (text), "inc.csv", "incidents", sub, f, map), 0);
    size_t first_rule = dcp_findings_count (f);
    dcp_rules_opts_t opts;
    dcp_rules_defaults (&opts);
    assert_int_equal (dcp_rules_check (sub, &opts, f), 0);
    assert_true (
        dcp_findings_has (f, "V-GEN-01", "/precursors/incidents/1/substances/0/quantity/status"));
    assert_int_equal (srcmap_locate_findings (map, f, first_rule), 0);
    assert_finding (f, "DATE-FORMAT", "inc.csv:2:13", "(/precursors/incidents/0/incident_date)");
    assert_finding (f, "V-PRE-01", "inc.csv:3:24", "did you mean \"ACET\"");
    assert_finding (f, "CSV-NUMBER", "inc.csv:3:30", NULL);
    /* the quantity that failed reading: no V-GEN-01 echo */
    for (size_t i = 0; i < dcp_findings_count (f); i++)
        assert_false (strcmp (dcp_findings_get (f, i)->rule, "V-GEN-01") == 0
                      && strstr (dcp_findings_get (f, i)->path, "inc.csv:3:"));
    /* CSV findings in the order of the file */
    int last = 0;
    for (size_t i = 0; i < dcp_findings_count (f); i++) {
        int line = 0;
        const char *path = dcp_findings_get (f, i)->path;
        if (sscanf (path, "inc.csv:%d", &line) == 1) {
            assert_true (line >= last);
            last = line;
        }
    }
    srcmap_destroy (&map);
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
}

static void
test_seizures_good_file (void **state)
{
    (void) state;
    /* BOM, CRLF, columns in any order and any case, a quoted cell */
    const char *text = "\xef\xbb\xbf"
                       "Quantity,substance_code,UNIT,quantity_status,number_of_seizures,"
                       "origin_countries,no_seizures,question_ref\r\n"
                       "9870.5,AA,L,,17,\"TUR; irq\",,\"P1.1, row \"\"a\"\"\"\r\n"
                       "2140,ACET,KG,estimated,--,UNKNOWN,no,P1.2\r\n"
                       ",KMNO4,KG,not applicable,,,yes,P1.3\r\n"
                       ",,,,,,,\r\n"
                       "\r\n";
    Dcp__V1__Submission *sub;
    dcp_findings_t *f;
    assert_int_equal (s_read (text, "seizures", &sub, &f), 0);
    assert_no_findings (f);
    assert_int_equal (sub->payload_case, DCP__V1__SUBMISSION__PAYLOAD_PRECURSORS);
    Dcp__V1__Precursors *p = sub->precursors;
    assert_int_equal (p->n_seizures, 3);
    Dcp__V1__AnnualSeizure *aa = p->seizures[0], *acet = p->seizures[1], *km = p->seizures[2];
    assert_string_equal (aa->substance_code, "AA");
    assert_int_equal (aa->quantity->status, DCP__V1__OBS_STATUS__OBS_REPORTED);
    assert_string_equal (aa->quantity->value, "9870.5");
    assert_string_equal (aa->quantity->unit, "L");
    assert_int_equal (aa->number_of_seizures->value, 17);
    assert_int_equal (aa->n_origin_countries, 2);
    assert_string_equal (aa->origin_countries[1], "IRQ");
    assert_string_equal (aa->question_ref, "P1.1, row \"a\"");
    /* a status column qualifies the value whatever the column order */
    assert_int_equal (acet->quantity->status, DCP__V1__OBS_STATUS__OBS_ESTIMATED);
    assert_string_equal (acet->quantity->value, "2140");
    assert_int_equal (acet->number_of_seizures->status, DCP__V1__OBS_STATUS__OBS_NOT_AVAILABLE);
    assert_int_equal (km->quantity->status, DCP__V1__OBS_STATUS__OBS_NOT_APPLICABLE);
    assert_string_equal (km->quantity->value, "");
    /* a blank answer cell is UNANSWERED, never 0 */
    assert_int_equal (km->number_of_seizures->status, DCP__V1__OBS_STATUS__OBS_UNANSWERED);
    assert_true (km->no_seizures);
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
}

static void
test_incidents_grouped_by_id (void **state)
{
    (void) state;
    const char *text =
        "incident_id,incident_date,substance_code,quantity,unit,package_count,route,"
        "admin_area,location.port,linked_money,persons_nationalities\n"
        "A-1,2023-02-11,AA,4200,L,21,TUR:ORIGIN>IRN:TRANSIT>AFG:DESTINATION,Herat,,--,IRN;AFG\n"
        "B-7,2023-03-01,ACET,n/a,KG,,afg>irn>tur,,Bandar Abbas,50000 USD,\n"
        " A-1 ,,HCL,180,KG,1,,,,,\n"; /* padded id: same incident */
    Dcp__V1__Submission *sub;
    dcp_findings_t *f;
    assert_int_equal (s_read (text, "incidents", &sub, &f), 0);
    assert_no_findings (f);
    Dcp__V1__Precursors *p = sub->precursors;
    assert_int_equal (p->n_incidents, 2);
    Dcp__V1__Incident *a = p->incidents[0], *b = p->incidents[1];
    assert_string_equal (a->incident_id, "A-1");
    assert_string_equal (a->incident_date, "2023-02-11");
    assert_int_equal (a->n_substances, 2);
    assert_string_equal (a->substances[1]->substance_code, "HCL");
    assert_string_equal (a->substances[1]->quantity->value, "180");
    assert_int_equal (a->n_route, 3);
    assert_string_equal (a->route[1]->country, "IRN");
    assert_string_equal (a->route[1]->role, "TRANSIT");
    assert_string_equal (a->location->admin_area, "Herat");
    assert_int_equal (a->linked_money->status, DCP__V1__OBS_STATUS__OBS_NOT_AVAILABLE);
    /* route without roles: ORIGIN first, DESTINATION last, TRANSIT between */
    assert_int_equal (b->n_route, 3);
    assert_string_equal (b->route[0]->country, "AFG");
    assert_string_equal (b->route[0]->role, "ORIGIN");
    assert_string_equal (b->route[1]->role, "TRANSIT");
    assert_string_equal (b->route[2]->role, "DESTINATION");
    assert_string_equal (b->location->port, "Bandar Abbas");
    assert_null (b->location->admin_area[0] ? b->location->admin_area : NULL);
    assert_string_equal (b->linked_money->amount, "50000");
    assert_string_equal (b->linked_money->currency, "USD");
    assert_int_equal (b->substances[0]->quantity->status, DCP__V1__OBS_STATUS__OBS_NOT_AVAILABLE);
    assert_int_equal (b->substances[0]->package_count->status, DCP__V1__OBS_STATUS__OBS_UNANSWERED);
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
}

static void
test_broken_lines_exact_positions (void **state)
{
    (void) state;
    /* line 1: header with an unknown column at character 25
     * line 3: bad enum (col 1 of quantity_status is character 17)
     * line 4: "1,5" quoted decimal with a comma, and a row too short */
    const char *text = "substance_code,quantity,colour,quantity_status\n"
                       "AA,12,red,\n"
                       "ACET,5,blue,guessed\n"
                       "HCL,\"1,5\"\n"
                       "TOL,-,x,--\n";
    Dcp__V1__Submission *sub;
    dcp_findings_t *f;
    assert_int_equal (s_read (text, "seizures", &sub, &f), 0);
    assert_finding (f, "CSV-UNKNOWN-COLUMN", "t.csv:1:25", "\"colour\"");
    assert_finding (f, "CSV-UNKNOWN-COLUMN", "t.csv:1:25", "valid columns: substance_code");
    assert_finding (f, "CSV-ENUM", "t.csv:3:13",
                    "column 4 \"quantity_status\": unknown value \"guessed\"");
    assert_finding (f, "CSV-ENUM", "t.csv:3:13", "row becomes /precursors/seizures/1");
    assert_finding (f, "CSV-SYNTAX", "t.csv:4:1", "row has 2 cells but the header has 4");
    assert_finding (f, "CSV-NUMBER", "t.csv:4:5", "column 2 \"quantity\": \"1,5\"");
    assert_int_equal (dcp_findings_count (f), 4);
    /* rows with problems are still there: the pointers in messages hold */
    assert_int_equal (sub->precursors->n_seizures, 4);
    assert_int_equal (sub->precursors->seizures[3]->quantity->status,
                      DCP__V1__OBS_STATUS__OBS_NOT_AVAILABLE);
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
}

static void
test_quoting_and_lines (void **state)
{
    (void) state;
    /* a quoted cell spanning lines: later cells report their own line */
    const char *text = "incident_id,declared_description,substance_code,quantity\r\n"
                       "X-1,\"two\r\nlines, and \"\"quotes\"\"\",AA,zz\r\n"
                       "X-2,\"bad\"tail,AA,1\r\n"
                       "X-3,\"never closed,AA,1\r\n";
    Dcp__V1__Submission *sub;
    dcp_findings_t *f;
    assert_int_equal (s_read (text, "incidents", &sub, &f), 0);
    assert_finding (f, "CSV-STATUS-TOKEN", "t.csv:3:27", "column 4 \"quantity\"");
    assert_finding (f, "CSV-STATUS-TOKEN", "t.csv:3:27",
                    "row becomes /precursors/incidents/0/substances/0");
    assert_finding (f, "CSV-SYNTAX", "t.csv:4:10", "after the closing quote");
    assert_finding (f, "CSV-SYNTAX", "t.csv:5:5", "not closed");
    assert_string_equal (sub->precursors->incidents[0]->declared_description,
                         "two\r\nlines, and \"quotes\"");
    assert_string_equal (sub->precursors->incidents[1]->declared_description, "bad");
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
}

static void
test_utf8 (void **state)
{
    (void) state;
    /* columns count characters: "Türkiye" is 7 characters, 8 bytes */
    const char *text = "substance_code,question_ref,quantity\n"
                       "AA,Türkiye,zz\n"
                       "AA,bad \xff byte,1\n"
                       "AA,\xc0\xaf,1\n";
    Dcp__V1__Submission *sub;
    dcp_findings_t *f;
    assert_int_equal (s_read (text, "seizures", &sub, &f), 0);
    assert_finding (f, "CSV-STATUS-TOKEN", "t.csv:2:12", NULL);
    assert_finding (f, "CSV-UTF8", "t.csv:3:8", "not valid UTF-8");
    assert_finding (f, "CSV-UTF8", "t.csv:4:4", NULL); /* overlong '/' */
    assert_string_equal (sub->precursors->seizures[0]->question_ref, "Türkiye");
    assert_string_equal (sub->precursors->seizures[1]->question_ref, ""); /* read as blank */
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);

    /* a NUL byte in the data is reported, not a place to stop */
    static const char with_nul[] = "substance_code,question_ref\nAA,a\0b\nACET,c\n";
    sub = s_new_submission ();
    f = dcp_findings_new ();
    assert_int_equal (csvread_table (with_nul, sizeof with_nul - 1, "t.csv", "seizures", sub, f),
                      0);
    assert_finding (f, "CSV-UTF8", "t.csv:2:5", "NUL");
    assert_int_equal (sub->precursors->n_seizures, 2);
    assert_string_equal (sub->precursors->seizures[0]->question_ref, "");
    assert_string_equal (sub->precursors->seizures[1]->question_ref, "c");
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
}

static void
test_incident_columns_must_agree (void **state)
{
    (void) state;
    const char *text = "incident_id,incident_date,substance_code,quantity,status\n"
                       "A-1,2023-02-11,AA,1,\n"
                       "A-1,2023-02-12,HCL,2,\n"
                       ",2023-01-01,AA,3,\n";
    Dcp__V1__Submission *sub;
    dcp_findings_t *f;
    assert_int_equal (s_read (text, "incidents", &sub, &f), 0);
    assert_finding (f, "CSV-UNKNOWN-COLUMN", "t.csv:1:51", "ambiguous");
    assert_finding (f, "CSV-INCONSISTENT", "t.csv:3:5",
                    "\"2023-02-12\" here but \"2023-02-11\" on line 2");
    assert_finding (f, "CSV-MISSING", "t.csv:4:1", "incident_id");
    assert_int_equal (sub->precursors->n_incidents, 1);
    assert_string_equal (sub->precursors->incidents[0]->incident_date, "2023-02-11");
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
}

static void
test_unusable_files (void **state)
{
    (void) state;
    Dcp__V1__Submission *sub;
    dcp_findings_t *f;
    assert_int_equal (s_read ("substance_code\nAA\n", "incidents", &sub, &f), DCP_EINVAL);
    assert_finding (f, "CSV-MISSING-COLUMN", "t.csv:1:1", "incident_id");
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);

    assert_int_equal (s_read ("", "seizures", &sub, &f), DCP_EINVAL);
    assert_finding (f, "CSV-SYNTAX", "t.csv:1:1", "empty");
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);

    assert_int_equal (s_read ("a\n1\n", "persons", &sub, &f), DCP_EINVAL);
    assert_finding (f, "CSV-TABLE", NULL, "persons");
    assert_false (csvread_table_known ("persons"));
    assert_true (csvread_table_known ("incidents"));
    assert_true (csvread_table_known ("enforcement"));
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);

    /* a precursor table in a financial-flows response */
    sub = s_new_submission ();
    sub->financial_flows = calloc (1, sizeof *sub->financial_flows);
    dcp__v1__financial_flows__init (sub->financial_flows);
    sub->payload_case = DCP__V1__SUBMISSION__PAYLOAD_FINANCIAL_FLOWS;
    f = dcp_findings_new ();
    const char *text = "substance_code\nAA\n";
    assert_int_equal (csvread_table (text, strlen (text), "t.csv", "seizures", sub, f), DCP_EINVAL);
    assert_finding (f, "CSV-TABLE", NULL, "another questionnaire");
    /* and a financial-flows table works there */
    text = "stage,scope,count_unit,counting_rule,value\n"
           "INVESTIGATION,ML_ALL,CASES,STARTED_IN_YEAR,312\n";
    dcp_findings_destroy (&f);
    f = dcp_findings_new ();
    assert_int_equal (csvread_table (text, strlen (text), "d.csv", "enforcement", sub, f), 0);
    assert_no_findings (f);
    assert_int_equal (sub->financial_flows->enforcement[0]->value->value, 312);
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
}

static void
test_appends_after_existing_rows (void **state)
{
    (void) state;
    dcp_findings_t *f = dcp_findings_new ();
    const char *json = "{\"precursors\": {\"seizures\": [{\"substance_code\": \"AA\"}]}}";
    Dcp__V1__Submission *sub = jsonread_text (json, strlen (json), f);
    assert_non_null (sub);
    const char *text = "substance_code,quantity\nACET,zz\n";
    assert_int_equal (csvread_table (text, strlen (text), "s.csv", "seizures", sub, f), 0);
    assert_finding (f, "CSV-STATUS-TOKEN", "s.csv:2:6", "row becomes /precursors/seizures/1");
    assert_int_equal (sub->precursors->n_seizures, 2);
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
}

static void
test_many_rows (void **state)
{
    (void) state;
    size_t rows = 50000;
    char *text = malloc (rows * 48 + 64);
    assert_non_null (text);
    size_t n = (size_t) sprintf (text, "incident_id,substance_code,quantity,unit\n");
    for (size_t i = 0; i < rows; i++)
        n += (size_t) sprintf (text + n, "I-%zu,AA,%zu.5,L\n", i / 2, i);
    Dcp__V1__Submission *sub;
    dcp_findings_t *f;
    assert_int_equal (s_read (text, "incidents", &sub, &f), 0);
    assert_no_findings (f);
    assert_int_equal (sub->precursors->n_incidents, rows / 2);
    assert_int_equal (sub->precursors->incidents[rows / 2 - 1]->n_substances, 2);
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
    free (text);
}

static uint64_t
s_next (uint64_t *x)
{
    *x ^= *x >> 12;
    *x ^= *x << 25;
    *x ^= *x >> 27;
    return *x * 2685821657736338717u;
}

static void
test_mutated_example_never_crashes (void **state)
{
    (void) state;
    const char *src = getenv ("DCP_SOURCE_DIR");
    char *path = NULL;
    assert_true (asprintf (&path, "%s/collector/examples/incidents.csv", src ? src : "..") > 0);
    FILE *file = fopen (path, "rb");
    assert_non_null (file);
    static char text[65536];
    size_t len = fread (text, 1, sizeof text, file);
    fclose (file);
    assert_true (len > 100 && len < sizeof text);
    static const char alphabet[] = ",\"\r\n:>;- x0123456789.";
    uint64_t seed = 0xc5f00du;
    char *copy = malloc (len);
    assert_non_null (copy);
    for (int round = 0; round < 2000; round++) {
        memcpy (copy, text, len);
        for (int k = 0; k < 4; k++)
            copy[s_next (&seed) % len] = round % 2
                                             ? alphabet[s_next (&seed) % (sizeof alphabet - 1)]
                                             : (char) s_next (&seed);
        Dcp__V1__Submission *sub = s_new_submission ();
        dcp_findings_t *f = dcp_findings_new ();
        int rc = csvread_table (copy, len, "m.csv", "incidents", sub, f);
        assert_true (rc == 0 || rc == DCP_EINVAL);
        size_t out = 0;
        free (dcp_codec_pack (sub, &out)); /* whatever was built packs */
        dcp_codec_free (&sub);
        dcp_findings_destroy (&f);
    }
    free (copy);
    free (path);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_seizures_good_file),
        cmocka_unit_test (test_semicolon_decimal_comma),
        cmocka_unit_test (test_tab_and_sep_line),
        cmocka_unit_test (test_ambiguous_thousands_refused),
        cmocka_unit_test (test_unreadable_header_is_one_sentence),
        cmocka_unit_test (test_rule_findings_located_in_csv),
        cmocka_unit_test (test_incidents_grouped_by_id),
        cmocka_unit_test (test_broken_lines_exact_positions),
        cmocka_unit_test (test_quoting_and_lines),
        cmocka_unit_test (test_utf8),
        cmocka_unit_test (test_incident_columns_must_agree),
        cmocka_unit_test (test_unusable_files),
        cmocka_unit_test (test_appends_after_existing_rows),
        cmocka_unit_test (test_many_rows),
        cmocka_unit_test (test_mutated_example_never_crashes),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
