#define _GNU_SOURCE /* asprintf */
/* test_json.c: the JSON response format (jsonread.h, jsonwrite.h, template.h), read as usage
 * examples: what a focal point may write, and what they are told when it
 * is wrong. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "dcp_codec.h"
#include "dcp_err.h"
#include "jsonread.h"
#include "jsonwrite.h"
#include "template.h"
#include "dcp_rules.h"
#include "dcp_id.h"

/* --- helpers ------------------------------------------------------------- */

static char *
s_examples_dir (void)
{
    const char *src = getenv ("DCP_SOURCE_DIR");
    char *dir = NULL;
    assert_true (asprintf (&dir, "%s/collector/examples", src ? src : "..") > 0);
    return dir;
}

static void
s_print_findings (const dcp_findings_t *f)
{
    for (size_t i = 0; i < dcp_findings_count (f); i++) {
        const dcp_finding_t *x = dcp_findings_get (f, i);
        print_message ("  %s %s %s\n", x->rule, x->path, x->message);
    }
}

/* Parses TEXT; returns the submission (may be NULL) and leaves findings in *F_P. */
static Dcp__V1__Submission *
s_read (const char *text, dcp_findings_t **f_p)
{
    *f_p = dcp_findings_new ();
    assert_non_null (*f_p);
    return jsonread_text (text, strlen (text), *f_p);
}

/* True if some finding has RULE at PATH and its message contains NEEDLE. */
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

/* Whether a Count carries a value, however the generated code marks it
 * (proto3 `optional` has_value, or a oneof case). */
static bool
s_count_has_value (const Dcp__V1__Count *c)
{
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field_by_name (&dcp__v1__count__descriptor, "value");
    const char *base = (const char *) c;
    if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
        return *(const uint32_t *) (base + f->quantifier_offset) == f->id;
    return *(const protobuf_c_boolean *) (base + f->quantifier_offset) != 0;
}

/* A precursor response around one P1 seizure row given as JSON text ROW. */
static Dcp__V1__Submission *
s_read_seizure (const char *row, dcp_findings_t **f_p)
{
    char *text = NULL;
    assert_true (asprintf (&text, "{\"precursors\": {\"seizures\": [%s]}}", row) > 0);
    Dcp__V1__Submission *sub = s_read (text, f_p);
    free (text);
    return sub;
}

/* Packs both and compares the bytes: protobuf-c packs deterministically. */
static void
s_assert_same (const Dcp__V1__Submission *a, const Dcp__V1__Submission *b)
{
    size_t la = 0, lb = 0;
    uint8_t *pa = dcp_codec_pack (a, &la), *pb = dcp_codec_pack (b, &lb);
    assert_non_null (pa);
    assert_non_null (pb);
    assert_int_equal (la, lb);
    assert_memory_equal (pa, pb, la);
    free (pa);
    free (pb);
}

static void
s_assert_roundtrip (const Dcp__V1__Submission *sub)
{
    char *text = jsonwrite_submission (sub);
    assert_non_null (text);
    dcp_findings_t *f = NULL;
    Dcp__V1__Submission *again = s_read (text, &f);
    assert_non_null (again);
    assert_no_findings (f);
    s_assert_same (sub, again);
    dcp_codec_free (&again);
    dcp_findings_destroy (&f);
    free (text);
}

/* --- the examples ---------------------------------------------------------- */

static void
test_examples_parse_clean (void **state)
{
    (void) state;
    char *dir = s_examples_dir ();
    DIR *d = opendir (dir);
    assert_non_null (d);
    int seen = 0;
    struct dirent *e;
    while ((e = readdir (d))) {
        size_t n = strlen (e->d_name);
        if (n < 5 || strcmp (e->d_name + n - 5, ".json") != 0
            || strcmp (e->d_name, "broken.json") == 0)
            continue;
        char *path = NULL;
        assert_true (asprintf (&path, "%s/%s", dir, e->d_name) > 0);
        dcp_findings_t *f = dcp_findings_new ();
        Dcp__V1__Submission *sub = jsonread_file (path, f, NULL);
        print_message ("  %s: %zu findings\n", e->d_name, dcp_findings_count (f));
        assert_non_null (sub);
        assert_no_findings (f);
        assert_int_equal (sub->schema_version, 1);
        assert_int_equal (sub->reporting_year, 2023);
        assert_int_not_equal (sub->payload_case, DCP__V1__SUBMISSION__PAYLOAD__NOT_SET);
        s_assert_roundtrip (sub);
        dcp_codec_free (&sub);
        dcp_findings_destroy (&f);
        free (path);
        seen++;
    }
    closedir (d);
    free (dir);
    assert_true (seen >= 3);
}

static void
test_examples_pass_the_rules (void **state)
{
    (void) state;
    /* the examples are documentation: they must be clean under the
     * validation rules, as received before the deadline */
    const char *names[] = {"financial_flows_2023_KAZ.json", "precursors_2023_AFG.json",
                           "precursors_2023_IRN_csv.json"};
    char *dir = s_examples_dir ();
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char *path = NULL;
        assert_true (asprintf (&path, "%s/%s", dir, names[i]) > 0);
        dcp_findings_t *f = dcp_findings_new ();
        Dcp__V1__Submission *sub = jsonread_file (path, f, NULL);
        assert_non_null (sub);
        dcp_rules_opts_t opts;
        dcp_rules_defaults (&opts);
        opts.current_year = 2024;
        opts.received_on = "2024-05-15";
        assert_int_equal (dcp_rules_check (sub, &opts, f), 0);
        print_message ("  %s: %zu findings\n", names[i], dcp_findings_count (f));
        assert_no_findings (f);
        dcp_codec_free (&sub);
        dcp_findings_destroy (&f);
        free (path);
    }
    free (dir);
}

static void
test_example_financial_flows_values (void **state)
{
    (void) state;
    char *dir = s_examples_dir (), *path = NULL;
    assert_true (asprintf (&path, "%s/financial_flows_2023_KAZ.json", dir) > 0);
    dcp_findings_t *f = dcp_findings_new ();
    Dcp__V1__Submission *sub = jsonread_file (path, f, NULL);
    assert_non_null (sub);
    assert_int_equal (sub->questionnaire,
                      DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_FINANCIAL_FLOWS);
    Dcp__V1__FinancialFlows *ff = sub->financial_flows;
    assert_int_equal (ff->legal->fiu_exists, DCP__V1__TRI__TRI_YES);
    assert_int_equal (ff->legal->non_conviction_based_confiscation, DCP__V1__TRI__TRI_NO);
    assert_int_equal (ff->str->received_total->status, DCP__V1__OBS_STATUS__OBS_REPORTED);
    assert_int_equal (ff->str->received_total->value, 412350);
    assert_int_equal (ff->str->received_drug_related->status, DCP__V1__OBS_STATUS__OBS_ESTIMATED);
    assert_int_equal (ff->str->median_days_to_dissemination->status,
                      DCP__V1__OBS_STATUS__OBS_NOT_AVAILABLE);
    assert_false (s_count_has_value (ff->str->median_days_to_dissemination));
    /* "<amount> <currency>" shortcut */
    assert_string_equal (ff->str->cash_declarations_value->amount, "214500000000");
    assert_string_equal (ff->str->cash_declarations_value->currency, "KZT");
    assert_int_equal (ff->n_enforcement, 10);
    assert_int_equal (ff->n_methods, 6);
    assert_string_equal (ff->methods[0]->jurisdictions[2]->country, "ARE");
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
    free (path);
    free (dir);
}

static void
test_example_broken_reports_everything (void **state)
{
    (void) state;
    char *dir = s_examples_dir (), *path = NULL;
    assert_true (asprintf (&path, "%s/broken.json", dir) > 0);
    dcp_findings_t *f = dcp_findings_new ();
    Dcp__V1__Submission *sub = jsonread_file (path, f, NULL);
    assert_non_null (sub); /* problems are findings, the rest is read */
    assert_true (dcp_findings_errors (f) >= 20);
    assert_finding (f, "JSON-NUMBER", "/schema_version", "out of range");
    assert_finding (f, "JSON-ENUM", "/questionnaire", "financial_flows, precursors");
    assert_finding (f, "JSON-NUMBER", "/revision_no", "exponent");
    assert_finding (f, "JSON-TYPE", "/focal_point", "expected an object");
    assert_finding (f, "JSON-UNKNOWN-KEY", "/languge", "did you mean \"language\"");
    assert_finding (f, "JSON-STATUS-TOKEN", "/precursors/seizures/0/quantity", "lots");
    assert_finding (f, "JSON-NUMBER", "/precursors/seizures/0/number_of_seizures", "whole");
    assert_finding (f, "JSON-STATUS-TOKEN", "/precursors/seizures/1/number_of_seizures",
                    "needs a value");
    assert_finding (f, "JSON-NUMBER", "/precursors/seizures/2/quantity", "plain decimal");
    assert_finding (f, "JSON-TYPE", "/precursors/seizures/3", "null");
    assert_finding (f, "JSON-NUMBER", "/precursors/seizures/4/quantity/value", "1,200");
    assert_finding (f, "JSON-UNKNOWN-KEY", "/precursors/incidents/0/route/0/distance_km", NULL);
    assert_finding (f, "JSON-ONEOF", "/financial_flows", NULL);
    /* the text kept its place: the good parts are there */
    assert_int_equal (sub->precursors->n_seizures, 6);
    assert_string_equal (sub->precursors->seizures[0]->substance_code, "AA");
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
    free (path);
    free (dir);
}

/* Read, then the rules, then srcmap_locate_findings (what `collector check`
 * does): a field that failed reading gets no second finding from the
 * rules, and the findings come in the order of the file. */
static void
test_broken_no_echoes_file_order (void **state)
{
    (void) state;
    char *dir = s_examples_dir (), *path = NULL;
    assert_true (asprintf (&path, "%s/broken.json", dir) > 0);
    dcp_findings_t *f = dcp_findings_new ();
    jsonread_files_t files = {0};
    Dcp__V1__Submission *sub = jsonread_file (path, f, &files);
    assert_non_null (sub);
    assert_non_null (files.map);
    size_t read_errors = dcp_findings_errors (f), first_rule = dcp_findings_count (f);
    dcp_rules_opts_t opts;
    dcp_rules_defaults (&opts);
    assert_int_equal (dcp_rules_check (sub, &opts, f), 0);
    size_t all_errors = dcp_findings_errors (f);
    assert_int_equal (srcmap_locate_findings (files.map, f, first_rule), 0);
    /* at least the 8 echoes of the issue are gone (49 errors before) */
    assert_true (dcp_findings_errors (f) + 8 <= all_errors);
    assert_true (dcp_findings_errors (f) >= read_errors);
    /* no rule finding at or under a reading finding's place */
    for (size_t i = 0; i < dcp_findings_count (f); i++) {
        const dcp_finding_t *a = dcp_findings_get (f, i);
        if (strncmp (a->rule, "JSON-", 5) != 0 || !a->path[0])
            continue;
        for (size_t j = 0; j < dcp_findings_count (f); j++) {
            const dcp_finding_t *b = dcp_findings_get (f, j);
            size_t n = strlen (a->path);
            if (strncmp (b->rule, "JSON-", 5) != 0 && strncmp (b->path, a->path, n) == 0
                && (b->path[n] == '\0' || b->path[n] == '/')) {
                print_error ("echo: %s at %s after %s at %s\n", b->rule, b->path, a->rule, a->path);
                fail ();
            }
        }
    }
    assert_false (dcp_findings_has (f, "V-GEN-01", "/precursors/seizures/0/quantity/status"));
    assert_false (dcp_findings_has (f, "V-ENV-02", "/reporting_year"));
    /* file order: each of these comes after the one before */
    const char *order[] = {"/schema_version",
                           "/questionnaire",
                           "/reporting_country",
                           "/reporting_year",
                           "/languge",
                           "/precursors/seizures/0/quantity",
                           "/precursors/seizures/4/quantity/value",
                           "/precursors/incidents/0/incident_date",
                           "/financial_flows"};
    size_t last = 0;
    for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
        size_t at = SIZE_MAX;
        for (size_t i = 0; i < dcp_findings_count (f) && at == SIZE_MAX; i++)
            if (strcmp (dcp_findings_get (f, i)->path, order[k]) == 0)
                at = i;
        if (at == SIZE_MAX || at < last) {
            s_print_findings (f);
            print_error ("%s is not in file order\n", order[k]);
            fail ();
        }
        last = at;
    }
    dcp_codec_free (&sub);
    jsonread_files_free (&files);
    dcp_findings_destroy (&f);
    free (path);
    free (dir);
}

/* --- syntax and shape -------------------------------------------------------- */

static void
test_syntax_error_has_line_and_column (void **state)
{
    (void) state;
    dcp_findings_t *f = NULL;
    Dcp__V1__Submission *sub = s_read ("{\n  \"reporting_year\": 2023,\n  \"language\": }\n", &f);
    assert_null (sub);
    assert_int_equal (dcp_findings_count (f), 1);
    assert_finding (f, "JSON-SYNTAX", "", "line 3, column 15");
    dcp_findings_destroy (&f);

    /* a duplicate key is refused rather than silently overwritten */
    sub = s_read ("{\"reporting_year\": 2022,\n \"reporting_year\": 2023}", &f);
    assert_null (sub);
    assert_finding (f, "JSON-SYNTAX", "", "duplicate object key");
    dcp_findings_destroy (&f);

    /* NUL inside a string is refused by the parser */
    sub = s_read ("{\"language\": \"e\\u0000n\"}", &f);
    assert_null (sub);
    assert_finding (f, "JSON-SYNTAX", "", "line 1");
    dcp_findings_destroy (&f);
}

static void
test_root_must_be_an_object (void **state)
{
    (void) state;
    const char *roots[] = {"[]", "42", "\"text\"", "null", "true"};
    for (size_t i = 0; i < sizeof roots / sizeof *roots; i++) {
        dcp_findings_t *f = NULL;
        assert_null (s_read (roots[i], &f));
        assert_finding (f, "JSON-TYPE", "", "one JSON object");
        dcp_findings_destroy (&f);
    }
    dcp_findings_t *f = NULL;
    assert_null (s_read ("", &f));
    assert_finding (f, "JSON-SYNTAX", "", NULL);
    dcp_findings_destroy (&f);
}

static void
test_unknown_keys_and_comments (void **state)
{
    (void) state;
    dcp_findings_t *f = NULL;
    Dcp__V1__Submission *sub =
        s_read ("{\"_comment\": \"ignored\", \"_note\": {\"any\": [1, 2]},"
                " \"reporting_cuntry\": \"AFG\", \"xyzzy\": 1, \"a/b~c\": 0,"
                " \"focal_point\": {\"_why\": 1, \"mail\": \"x@example.org\"}}",
                &f);
    assert_non_null (sub);
    assert_int_equal (dcp_findings_count (f), 4);
    assert_finding (f, "JSON-UNKNOWN-KEY", "/reporting_cuntry",
                    "did you mean \"reporting_country\"");
    assert_finding (f, "JSON-UNKNOWN-KEY", "/xyzzy", "valid keys here: submission_id");
    assert_finding (f, "JSON-UNKNOWN-KEY", "/a~1b~0c", NULL); /* RFC 6901 escaping */
    assert_finding (f, "JSON-UNKNOWN-KEY", "/focal_point/mail", "did you mean \"email\"");
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
}

static void
test_wrong_types (void **state)
{
    (void) state;
    dcp_findings_t *f = NULL;
    Dcp__V1__Submission *sub = s_read (
        "{\"reporting_year\": true, \"language\": {}, \"focal_point\": \"Ann\","
        " \"contributing_agencies\": [\"POLICE\"],"
        " \"precursors\": {\"seizures\": [{\"no_seizures\": 1, \"origin_countries\": \"IRN\","
        " \"quantity\": [1]}], \"incidents\": \"incidents.csv\"}}",
        &f);
    assert_non_null (sub);
    assert_finding (f, "JSON-TYPE", "/reporting_year", "expected a number, found true/false");
    assert_finding (f, "JSON-TYPE", "/language", "expected a string, found an object");
    assert_finding (f, "JSON-TYPE", "/focal_point", "expected an object, found a string");
    assert_finding (f, "JSON-TYPE", "/contributing_agencies/0", "expected an object");
    assert_finding (f, "JSON-TYPE", "/precursors/seizures/0/no_seizures", "expected true or false");
    assert_finding (f, "JSON-TYPE", "/precursors/seizures/0/origin_countries", "expected a list");
    assert_finding (f, "JSON-TYPE", "/precursors/seizures/0/quantity", "found a list");
    /* a CSV file name is only understood when reading a file */
    assert_finding (f, "JSON-TYPE", "/precursors/incidents", "reads a file");
    /* a list element that failed still exists, so indexes stay right */
    assert_int_equal (sub->n_contributing_agencies, 1);
    assert_non_null (sub->contributing_agencies[0]);
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
}

/* --- enums, statuses, numbers ------------------------------------------------ */

static void
test_enum_spellings (void **state)
{
    (void) state;
    const char *spellings[] = {"REPORTED", "OBS_REPORTED", "reported", "Reported"};
    for (size_t i = 0; i < 4; i++) {
        char row[128];
        snprintf (row, sizeof row, "{\"quantity\": {\"value\": 5, \"status\": \"%s\"}}",
                  spellings[i]);
        dcp_findings_t *f = NULL;
        Dcp__V1__Submission *sub = s_read_seizure (row, &f);
        assert_no_findings (f);
        assert_int_equal (sub->precursors->seizures[0]->quantity->status,
                          DCP__V1__OBS_STATUS__OBS_REPORTED);
        dcp_codec_free (&sub);
        dcp_findings_destroy (&f);
    }
    dcp_findings_t *f = NULL;
    Dcp__V1__Submission *sub = s_read (
        "{\"questionnaire\": \"financial_flows\", \"financial_flows\": {\"legal\": {"
        "\"ml_offence_exists\": \"yes\", \"fiu_exists\": \"No\", \"fiu_egmont_member\": "
        "\"unknown\", \"virtual_assets_regulated\": \"TRI_YES\", \"asset_recovery_office_exists\":"
        " \"perhaps\"}}}",
        &f);
    assert_non_null (sub);
    assert_int_equal (dcp_findings_count (f), 1);
    assert_finding (f, "JSON-ENUM", "/financial_flows/legal/asset_recovery_office_exists",
                    "allowed: yes, no, unknown");
    Dcp__V1__LegalFramework *l = sub->financial_flows->legal;
    assert_int_equal (l->ml_offence_exists, DCP__V1__TRI__TRI_YES);
    assert_int_equal (l->fiu_exists, DCP__V1__TRI__TRI_NO);
    assert_int_equal (l->fiu_egmont_member, DCP__V1__TRI__TRI_UNKNOWN);
    assert_int_equal (l->virtual_assets_regulated, DCP__V1__TRI__TRI_YES);
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
}

static void
test_questionnaire_inferred_from_payload (void **state)
{
    (void) state;
    dcp_findings_t *f = NULL;
    Dcp__V1__Submission *sub = s_read ("{\"precursors\": {}}", &f);
    assert_no_findings (f);
    assert_int_equal (sub->questionnaire, DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_PRECURSORS);
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
    sub = s_read ("{\"questionnaire\": null, \"financial_flows\": {}}", &f);
    assert_int_equal (sub->questionnaire,
                      DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_FINANCIAL_FLOWS);
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
    /* an explicit questionnaire is kept, even if it disagrees (the rules
     * report that) */
    sub = s_read ("{\"questionnaire\": \"precursors\", \"financial_flows\": {}}", &f);
    assert_no_findings (f);
    assert_int_equal (sub->questionnaire, DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_PRECURSORS);
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
}

static void
test_status_tokens (void **state)
{
    (void) state;
    static const struct {
        const char *json;
        Dcp__V1__ObsStatus status;
    } cases[] = {
        {"\"--\"", DCP__V1__OBS_STATUS__OBS_NOT_AVAILABLE},
        {"\"\xe2\x80\x93\"", DCP__V1__OBS_STATUS__OBS_NOT_AVAILABLE},
        {"\"n/a\"", DCP__V1__OBS_STATUS__OBS_NOT_AVAILABLE},
        {"\"N/A\"", DCP__V1__OBS_STATUS__OBS_NOT_AVAILABLE},
        {"\"..\"", DCP__V1__OBS_STATUS__OBS_NOT_AVAILABLE},
        {"\"x\"", DCP__V1__OBS_STATUS__OBS_NOT_AVAILABLE},
        {"\"not known\"", DCP__V1__OBS_STATUS__OBS_NOT_AVAILABLE},
        {"\"not available\"", DCP__V1__OBS_STATUS__OBS_NOT_AVAILABLE},
        {"\"NOT_AVAILABLE\"", DCP__V1__OBS_STATUS__OBS_NOT_AVAILABLE},
        {"\"confidential\"", DCP__V1__OBS_STATUS__OBS_CONFIDENTIAL},
        {"\"not applicable\"", DCP__V1__OBS_STATUS__OBS_NOT_APPLICABLE},
        {"\"included elsewhere\"", DCP__V1__OBS_STATUS__OBS_INCLUDED_ELSEWHERE},
        {"\"unanswered\"", DCP__V1__OBS_STATUS__OBS_UNANSWERED},
        {"\"\"", DCP__V1__OBS_STATUS__OBS_UNANSWERED},
        {"\" 17 \"", DCP__V1__OBS_STATUS__OBS_REPORTED},
        {"17", DCP__V1__OBS_STATUS__OBS_REPORTED},
        {"{\"status\": \"--\"}", DCP__V1__OBS_STATUS__OBS_NOT_AVAILABLE},
        {"{\"value\": 17}", DCP__V1__OBS_STATUS__OBS_REPORTED},
        {"{\"value\": \"17\", \"status\": \"estimated\"}", DCP__V1__OBS_STATUS__OBS_ESTIMATED},
        {"{\"value\": 17, \"status\": \"provisional\"}", DCP__V1__OBS_STATUS__OBS_PROVISIONAL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char row[128];
        snprintf (row, sizeof row, "{\"number_of_seizures\": %s}", cases[i].json);
        dcp_findings_t *f = NULL;
        Dcp__V1__Submission *sub = s_read_seizure (row, &f);
        assert_no_findings (f);
        const Dcp__V1__Count *c = sub->precursors->seizures[0]->number_of_seizures;
        assert_int_equal (c->status, cases[i].status);
        bool valued = cases[i].status <= DCP__V1__OBS_STATUS__OBS_PROVISIONAL;
        assert_int_equal (s_count_has_value (c), valued);
        if (valued)
            assert_int_equal (c->value, 17);
        dcp_codec_free (&sub);
        dcp_findings_destroy (&f);
    }
    /* a value-carrying status alone, and unknown words */
    const char *bad[] = {"\"estimated\"", "\"provisional\"", "\"lots\"", "\"12 drums of\"",
                         "\"?\""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char row[128];
        snprintf (row, sizeof row, "{\"number_of_seizures\": %s}", bad[i]);
        dcp_findings_t *f = NULL;
        Dcp__V1__Submission *sub = s_read_seizure (row, &f);
        assert_finding (f, "JSON-STATUS-TOKEN", "/precursors/seizures/0/number_of_seizures", NULL);
        dcp_codec_free (&sub);
        dcp_findings_destroy (&f);
    }
}

static void
test_decimals_keep_their_exact_text (void **state)
{
    (void) state;
    static const struct {
        const char *json, *value, *unit;
    } cases[] = {
        {"0.1", "0.1", ""},
        {"1234.50", "1234.50", ""}, /* trailing zero kept as written */
        {"12345678901234567890.123456789", "12345678901234567890.123456789", ""},
        {"-3.25", "-3.25", ""}, /* negatives are the rules' business */
        {"\"0.3\"", "0.3", ""},
        {"\"21700 kg\"", "21700", "KG"},
        {"{\"value\": 9007199254740993, \"unit\": \"L\"}", "9007199254740993", "L"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char row[160];
        snprintf (row, sizeof row, "{\"quantity\": %s}", cases[i].json);
        dcp_findings_t *f = NULL;
        Dcp__V1__Submission *sub = s_read_seizure (row, &f);
        assert_no_findings (f);
        const Dcp__V1__Quantity *q = sub->precursors->seizures[0]->quantity;
        assert_int_equal (q->status, DCP__V1__OBS_STATUS__OBS_REPORTED);
        assert_string_equal (q->value, cases[i].value);
        assert_string_equal (q->unit, cases[i].unit);
        s_assert_roundtrip (sub);
        dcp_codec_free (&sub);
        dcp_findings_destroy (&f);
    }
    /* text too long to hold must be refused, never cut: 300 zeros then 1 */
    {
        char row[512] = "{\"quantity\": \"", *p = row + strlen (row);
        memset (p, '0', 300);
        strcpy (p + 300, "1\"}");
        dcp_findings_t *f = NULL;
        Dcp__V1__Submission *sub = s_read_seizure (row, &f);
        assert_finding (f, "JSON-STATUS-TOKEN", "/precursors/seizures/0/quantity", "too long");
        dcp_codec_free (&sub);
        dcp_findings_destroy (&f);
        strcpy (row, "{\"number_of_seizures\": {\"value\": \"");
        p = row + strlen (row);
        memset (p, '0', 300);
        strcpy (p + 300, "1\"}}");
        sub = s_read_seizure (row, &f);
        assert_finding (f, "JSON-NUMBER", "/precursors/seizures/0/number_of_seizures/value",
                        "too long");
        dcp_codec_free (&sub);
        dcp_findings_destroy (&f);
    }
    /* forms that binary floating point or a locale would change */
    const char *bad[] = {"1e3",    "1.5E-2", "\"1,200\"",          "\"1 200.5 L\"",
                         "\"+5\"", "\".5\"", "{\"value\": \"5.\"}"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char row[128];
        snprintf (row, sizeof row, "{\"quantity\": %s}", bad[i]);
        dcp_findings_t *f = NULL;
        Dcp__V1__Submission *sub = s_read_seizure (row, &f);
        if (!s_has (f, "JSON-NUMBER", NULL, NULL) && !s_has (f, "JSON-STATUS-TOKEN", NULL, NULL)) {
            s_print_findings (f);
            fail_msg ("%s was accepted", bad[i]);
        }
        dcp_codec_free (&sub);
        dcp_findings_destroy (&f);
    }
}

static void
test_integers_range_checked (void **state)
{
    (void) state;
    dcp_findings_t *f = NULL;
    Dcp__V1__Submission *sub = s_read (
        "{\"reporting_year\": 2147483648, \"schema_version\": -1, \"revision_no\": 4294967295,"
        " \"precursors\": {\"seizures\": [{\"number_of_seizures\": 9223372036854775807},"
        " {\"number_of_seizures\": -9223372036854775808},"
        " {\"number_of_seizures\": 9223372036854775808},"
        " {\"number_of_seizures\": 2.0}, {\"number_of_seizures\": 2.5},"
        " {\"number_of_seizures\": -4}], \"routes\": [{\"rank\": 1.5}]}}",
        &f);
    assert_non_null (sub);
    assert_finding (f, "JSON-NUMBER", "/reporting_year", "-2147483648 to 2147483647");
    assert_finding (f, "JSON-NUMBER", "/schema_version", "0 to 4294967295");
    assert_int_equal (sub->revision_no, 4294967295u);
    Dcp__V1__AnnualSeizure **s = sub->precursors->seizures;
    assert_int_equal (s[0]->number_of_seizures->value, INT64_MAX);
    assert_int_equal (s[1]->number_of_seizures->value, INT64_MIN);
    assert_finding (f, "JSON-NUMBER", "/precursors/seizures/2/number_of_seizures", "out of range");
    assert_int_equal (s[3]->number_of_seizures->value, 2);
    assert_finding (f, "JSON-NUMBER", "/precursors/seizures/4/number_of_seizures", "whole");
    /* a negative count is representable: V-GEN-05 in the rules rejects it */
    assert_int_equal (s[5]->number_of_seizures->value, -4);
    assert_finding (f, "JSON-NUMBER", "/precursors/routes/0/rank", "whole");
    assert_int_equal (dcp_findings_count (f), 5);
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
}

static void
test_strings_and_oneof (void **state)
{
    (void) state;
    dcp_findings_t *f = NULL;
    /* numbers are accepted for text fields and kept as written */
    Dcp__V1__Submission *sub =
        s_read ("{\"form_version\": 2010.10, \"coverage_note\": \"Türkiye \\u00e9 \\ud83d\\ude00\","
                " \"financial_flows\": {}, \"precursors\": {}}",
                &f);
    assert_non_null (sub);
    assert_string_equal (sub->form_version, "2010.10");
    assert_string_equal (sub->coverage_note, "Türkiye é \xf0\x9f\x98\x80");
    assert_finding (f, "JSON-ONEOF", "/precursors", "only one of them");
    assert_int_equal (sub->payload_case, DCP__V1__SUBMISSION__PAYLOAD_FINANCIAL_FLOWS);
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);

    /* invalid UTF-8 is a syntax error */
    sub = s_read ("{\"coverage_note\": \"\xc3\x28\"}", &f);
    assert_null (sub);
    assert_finding (f, "JSON-SYNTAX", "", NULL);
    dcp_findings_destroy (&f);
}

static void
test_deep_nesting (void **state)
{
    (void) state;
    /* far deeper than any message: the parser stops it, no stack blows */
    size_t depth = 100000;
    char *text = malloc (2 * depth + 64);
    assert_non_null (text);
    size_t n = (size_t) sprintf (text, "{\"_x\": ");
    for (size_t i = 0; i < depth; i++)
        text[n++] = '[';
    for (size_t i = 0; i < depth; i++)
        text[n++] = ']';
    text[n++] = '}';
    text[n] = '\0';
    dcp_findings_t *f = NULL;
    Dcp__V1__Submission *sub = s_read (text, &f);
    assert_null (sub);
    assert_finding (f, "JSON-SYNTAX", "", "depth");
    dcp_findings_destroy (&f);
    free (text);

    /* unknown structure a few levels down is reported once, not walked */
    sub = s_read ("{\"precursors\": {\"incidents\": [{\"location\": {\"x\": "
                  "{\"y\": [[[{\"z\": 1}]]]}}}]}}",
                  &f);
    assert_non_null (sub);
    assert_int_equal (dcp_findings_count (f), 1);
    assert_finding (f, "JSON-UNKNOWN-KEY", "/precursors/incidents/0/location/x", NULL);
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
}

static void
test_huge_array (void **state)
{
    (void) state;
    size_t rows = 100000;
    const char *row =
        "{\"substance_code\":\"AA\",\"quantity\":\"1.5 L\",\"number_of_seizures\":1},";
    size_t cap = rows * strlen (row) + 64;
    char *text = malloc (cap);
    assert_non_null (text);
    size_t n = (size_t) sprintf (text, "{\"precursors\":{\"seizures\":[");
    for (size_t i = 0; i < rows; i++) {
        memcpy (text + n, row, strlen (row));
        n += strlen (row);
    }
    text[n - 1] = ']';
    strcpy (text + n, "}}");
    dcp_findings_t *f = NULL;
    Dcp__V1__Submission *sub = s_read (text, &f);
    assert_non_null (sub);
    assert_no_findings (f);
    assert_int_equal (sub->precursors->n_seizures, rows);
    assert_string_equal (sub->precursors->seizures[rows - 1]->quantity->value, "1.5");
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
    free (text);
}

static void
test_keeps_going_and_caps (void **state)
{
    (void) state;
    /* 3000 bad rows: every problem up to the cap, then one marker */
    size_t rows = 3000;
    char *text = malloc (rows * 32 + 64);
    assert_non_null (text);
    size_t n = (size_t) sprintf (text, "{\"precursors\":{\"seizures\":[");
    for (size_t i = 0; i < rows; i++)
        n += (size_t) sprintf (text + n, "{\"quantity\":\"??\"},");
    text[n - 1] = ']';
    strcpy (text + n, "}}");
    dcp_findings_t *f = NULL;
    Dcp__V1__Submission *sub = s_read (text, &f);
    assert_non_null (sub);
    assert_int_equal (dcp_findings_count (f), DCP_FINDINGS_MAX + 1);
    assert_true (dcp_findings_has (f, "TOO-MANY-PROBLEMS", NULL));
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
    free (text);
}

/* --- files, templates, writer ---------------------------------------------- */

static void
test_read_file_problems (void **state)
{
    (void) state;
    dcp_findings_t *f = dcp_findings_new ();
    assert_null (jsonread_file ("/nonexistent/response.json", f, NULL));
    assert_finding (f, "JSON-FILE", "", "could not read file");
    dcp_findings_destroy (&f);

    /* larger than the cap: a sparse file costs no disk */
    char path[] = "/tmp/dcp_test_json_XXXXXX";
    int fd = mkstemp (path);
    assert_true (fd >= 0);
    assert_int_equal (ftruncate (fd, (off_t) JSONREAD_MAX_FILE + 1), 0);
    close (fd);
    f = dcp_findings_new ();
    assert_null (jsonread_file (path, f, NULL));
    assert_finding (f, "JSON-FILE", "", "larger than 64 MiB");
    dcp_findings_destroy (&f);
    unlink (path);

    /* a CSV file named in the response that is not there */
    char dir[] = "/tmp/dcp_test_dirXXXXXX";
    assert_non_null (mkdtemp (dir));
    char json_path[64];
    snprintf (json_path, sizeof json_path, "%s/r.json", dir);
    FILE *file = fopen (json_path, "w");
    assert_non_null (file);
    fputs ("{\"precursors\": {\"incidents\": \"missing.csv\", \"routes\": \"routes.csv\"}}", file);
    fclose (file);
    char csv_path[64];
    snprintf (csv_path, sizeof csv_path, "%s/routes.csv", dir);
    file = fopen (csv_path, "w");
    assert_non_null (file);
    fputs ("substance_code,role,country,rank,share_pct\nAA,ORIGIN,irn,1,55.5\n", file);
    fclose (file);
    f = dcp_findings_new ();
    Dcp__V1__Submission *sub = jsonread_file (json_path, f, NULL);
    assert_non_null (sub);
    assert_int_equal (dcp_findings_count (f), 1);
    assert_finding (f, "JSON-FILE", "/precursors/incidents", "missing.csv");
    /* any table of the payload may come from CSV */
    assert_int_equal (sub->precursors->n_routes, 1);
    assert_string_equal (sub->precursors->routes[0]->share_pct, "55.5");
    assert_int_equal (sub->precursors->routes[0]->rank, 1);
    dcp_codec_free (&sub);
    dcp_findings_destroy (&f);
    unlink (csv_path);
    unlink (json_path);
    rmdir (dir);
}

static void
test_templates_parse (void **state)
{
    (void) state;
    const char *kinds[] = {"financial_flows", "precursors"};
    for (int i = 0; i < 2; i++) {
        int year = template_reporting_year (time (NULL));
        char *t = template_text (kinds[i], year), want[64];
        assert_non_null (t);
        snprintf (want, sizeof want, "\"reporting_year\": %d,", year);
        assert_non_null (strstr (t, want));
        assert_null (strstr (t, "@REPORTING_YEAR@"));
        assert_non_null (strstr (t, "_comment"));
        assert_non_null (strstr (t, "not available"));
        dcp_findings_t *f = NULL;
        Dcp__V1__Submission *sub = s_read (t, &f);
        assert_non_null (sub);
        assert_no_findings (f);
        assert_string_equal (dcp_codec_kind_name (sub->questionnaire), kinds[i]);
        /* `collector check` finds only what a focal point must fill in:
         * missing values (the country, names, codes), nothing malformed and
         * no year out of range. */
        char id[40];
        if (sub->submission_id != protobuf_c_empty_string)
            free (sub->submission_id);
        sub->submission_id = strdup (dcp_id_uuid_v4 (id)); /* as the collector does */
        dcp_rules_opts_t opts;
        dcp_rules_defaults (&opts);
        assert_int_equal (dcp_rules_check (sub, &opts, f), 0);
        for (size_t k = 0; k < dcp_findings_count (f); k++) {
            const dcp_finding_t *x = dcp_findings_get (f, k);
            if (x->severity != DCP_SEV_ERROR)
                continue;
            if (strcmp (x->rule, "REQUIRED") != 0 && strcmp (x->rule, "V-ENV-01") != 0)
                s_print_findings (f);
            assert_true (strcmp (x->rule, "REQUIRED") == 0 || strcmp (x->rule, "V-ENV-01") == 0);
            assert_true (strcmp (x->rule, "REQUIRED") != 0 || strstr (x->message, "missing")
                         || strstr (x->message, "give the"));
        }
        dcp_codec_free (&sub);
        dcp_findings_destroy (&f);
        free (t);
    }
    assert_null (template_text ("drugs", 2025));
    assert_null (template_text (NULL, 2025));
    assert_null (template_text ("../templates/precursors", 2025));
}

/* The reporting year proposed is the calendar year before the one we are in. */
static void
test_template_year (void **state)
{
    (void) state;
    assert_int_equal (template_reporting_year (1735689600), 2024); /* 2025-01-01T00:00Z */
    assert_int_equal (template_reporting_year (1735689599), 2023); /* 2024-12-31T23:59:59Z */
}

static void
test_writer_roundtrip_of_built_message (void **state)
{
    (void) state;
    /* build by hand, as the wire would deliver it */
    Dcp__V1__Submission *sub = calloc (1, sizeof *sub);
    dcp__v1__submission__init (sub);
    sub->submission_id = strdup ("6b1f3c9e-2d47-4a8b-9c15-7e0a3f5d8b21");
    sub->reporting_year = 2023;
    sub->questionnaire = DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_PRECURSORS;
    Dcp__V1__Precursors *p = calloc (1, sizeof *p);
    dcp__v1__precursors__init (p);
    sub->precursors = p;
    sub->payload_case = DCP__V1__SUBMISSION__PAYLOAD_PRECURSORS;
    p->n_seizures = 1;
    p->seizures = calloc (1, sizeof *p->seizures);
    Dcp__V1__AnnualSeizure *s = calloc (1, sizeof *s);
    dcp__v1__annual_seizure__init (s);
    p->seizures[0] = s;
    s->no_seizures = 1;
    s->number_of_seizures = calloc (1, sizeof *s->number_of_seizures);
    dcp__v1__count__init (s->number_of_seizures);
    s->number_of_seizures->status = DCP__V1__OBS_STATUS__OBS_REPORTED;
    /* value 0 given explicitly must survive (V-GEN-04: a true zero) */
    char *json = NULL;
    {
        dcp_findings_t *f = NULL;
        Dcp__V1__Submission *tmp = s_read_seizure ("{\"number_of_seizures\": 0}", &f);
        assert_true (s_count_has_value (tmp->precursors->seizures[0]->number_of_seizures));
        json = jsonwrite_submission (tmp);
        assert_non_null (strstr (json, "\"value\": 0"));
        s_assert_roundtrip (tmp);
        dcp_codec_free (&tmp);
        dcp_findings_destroy (&f);
    }
    s_assert_roundtrip (sub);
    free (json);
    dcp_codec_free (&sub);
    dcp_codec_free (&sub); /* idempotent */
}

/* xorshift64*: reproducible noise */
static uint64_t
s_next (uint64_t *x)
{
    *x ^= *x >> 12;
    *x ^= *x << 25;
    *x ^= *x >> 27;
    return *x * 2685821657736338717u;
}

static void
test_mutated_text_never_crashes (void **state)
{
    (void) state;
    /* a damaged example: findings or NULL, never a crash or a leak (run
     * under the sanitizers and valgrind) */
    char *dir = s_examples_dir (), *path = NULL;
    assert_true (asprintf (&path, "%s/precursors_2023_AFG.json", dir) > 0);
    FILE *file = fopen (path, "rb");
    assert_non_null (file);
    static char text[65536];
    size_t len = fread (text, 1, sizeof text, file);
    fclose (file);
    assert_true (len > 1000 && len < sizeof text);
    static const char alphabet[] = "{}[]\",:0123456789.-eE truenull\\/_x";
    uint64_t seed = 0xbadf00du;
    char *copy = malloc (len);
    assert_non_null (copy);
    for (int round = 0; round < 2000; round++) {
        memcpy (copy, text, len);
        for (int k = 0; k < 4; k++) {
            size_t at = s_next (&seed) % len;
            copy[at] = round % 2 ? alphabet[s_next (&seed) % (sizeof alphabet - 1)]
                                 : (char) s_next (&seed);
        }
        dcp_findings_t *f = dcp_findings_new ();
        Dcp__V1__Submission *sub = jsonread_text (copy, len, f);
        if (sub) {
            char *json = jsonwrite_submission (sub);
            assert_non_null (json);
            free (json);
        } else
            assert_true (dcp_findings_count (f) > 0);
        dcp_codec_free (&sub);
        dcp_findings_destroy (&f);
    }
    free (copy);
    free (path);
    free (dir);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_examples_parse_clean),
        cmocka_unit_test (test_examples_pass_the_rules),
        cmocka_unit_test (test_example_financial_flows_values),
        cmocka_unit_test (test_example_broken_reports_everything),
        cmocka_unit_test (test_broken_no_echoes_file_order),
        cmocka_unit_test (test_syntax_error_has_line_and_column),
        cmocka_unit_test (test_root_must_be_an_object),
        cmocka_unit_test (test_unknown_keys_and_comments),
        cmocka_unit_test (test_wrong_types),
        cmocka_unit_test (test_enum_spellings),
        cmocka_unit_test (test_questionnaire_inferred_from_payload),
        cmocka_unit_test (test_status_tokens),
        cmocka_unit_test (test_decimals_keep_their_exact_text),
        cmocka_unit_test (test_integers_range_checked),
        cmocka_unit_test (test_strings_and_oneof),
        cmocka_unit_test (test_deep_nesting),
        cmocka_unit_test (test_huge_array),
        cmocka_unit_test (test_keeps_going_and_caps),
        cmocka_unit_test (test_read_file_problems),
        cmocka_unit_test (test_templates_parse),
        cmocka_unit_test (test_template_year),
        cmocka_unit_test (test_writer_roundtrip_of_built_message),
        cmocka_unit_test (test_mutated_text_never_crashes),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
