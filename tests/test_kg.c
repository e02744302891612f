/* test_kg.c: the one kilogram derivation (libdcp/dcp_kg.c) and that the
 * rules (collector and validator) and the loader's stored kg agree on it to
 * the digit.
 *
 * Before dcp_kg, the rules rounded at 9 fraction digits after each step and
 * the loader at 6 after multiplying by a combined factor: 1.123456789 ML of
 * acetic anhydride was 0.00121558 kg for a V-PRE-07 threshold and 0.001216
 * kg in the database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "copy_text.h"
#include "dcp_err.h"
#include "dcp_findings.h"
#include "dcp_kg.h"
#include "dcp_refdata.h"
#include "dcp_rules.h"
#include "sections.h"

static const struct {
    const char *value, *unit, *substance, *concentration;
    const char *kg, *factor, *method; /* kg NULL: not derived */
} s_cases[] = {
    {"100", "L", "AA", NULL, "108.2", "1.082", "density:AA-20C"},
    {"1.123456789", "ML", "AA", NULL, "0.001216", "0.001082", "density:AA-20C"},
    {"2.5", "M3", "AA", "", "2705", "1082", "density:AA-20C"},
    {"60", "T", "AA", NULL, "60000", "1000", "mass_unit"},
    {"1234.5", "G", "PMK", NULL, "1.2345", "0.001", "mass_unit"},
    {"0.5", "MG", "TOL", NULL, "0.000001", "0.000001", "mass_unit"},
    {"3", "L", "TOL", NULL, "2.601", "0.867", "density:TOL-20C"},
    {"10", "L", "HCL", "37", "11.79", "1.179", "density:HCL-34-38"},
    {"10", "L", "HCL", NULL, NULL, NULL, "no_density"}, /* acids need a band */
    {"7", "L", "EPHE", NULL, NULL, NULL, "no_density"}, /* a solid */
    {"7", "BARREL", "AA", NULL, NULL, NULL, "unknown_unit"},
    {"7,5", "KG", "AA", NULL, NULL, NULL, "not_a_number"},
};

/* DECIMAL as the loader stores it: no trailing fraction zeros. */
static const char *
s_text (const dcp_decimal_t *d, char *buf, size_t size)
{
    dcp_decimal_format (d, buf, size);
    if (strchr (buf, '.')) {
        size_t n = strlen (buf);
        while (buf[n - 1] == '0')
            buf[--n] = '\0';
        if (buf[n - 1] == '.')
            buf[--n] = '\0';
    }
    return buf;
}

static void
test_derivation (void **state)
{
    (void) state;
    for (size_t i = 0; i < sizeof s_cases / sizeof s_cases[0]; i++) {
        dcp_kg_t kg;
        char text[80], method[80];
        int rc = dcp_kg_derive (s_cases[i].value, s_cases[i].unit, s_cases[i].substance,
                                s_cases[i].concentration, &kg);
        assert_string_equal (dcp_kg_method_text (&kg, method, sizeof method), s_cases[i].method);
        if (!s_cases[i].kg) {
            assert_int_equal (rc, DCP_EINVAL);
            continue;
        }
        assert_int_equal (rc, 0);
        assert_string_equal (s_text (&kg.kg, text, sizeof text), s_cases[i].kg);
        assert_string_equal (s_text (&kg.factor, text, sizeof text), s_cases[i].factor);
    }
}

/* A precursor response with one incident of QTY of SUBSTANCE. */
typedef struct {
    Dcp__V1__Quantity q;
    Dcp__V1__IncidentSubstance s;
    Dcp__V1__IncidentSubstance *ss[1];
    Dcp__V1__Incident in;
    Dcp__V1__Incident *ins[1];
    Dcp__V1__Precursors pc;
    Dcp__V1__Submission sub;
} s_response_t;

static void
s_response (s_response_t *r, const char *value, const char *unit, const char *substance,
            const char *concentration)
{
    dcp__v1__quantity__init (&r->q);
    r->q.status = DCP__V1__OBS_STATUS__OBS_REPORTED;
    r->q.value = (char *) value;
    r->q.unit = (char *) unit;
    dcp__v1__incident_substance__init (&r->s);
    r->s.substance_code = (char *) substance;
    r->s.concentration_pct = (char *) (concentration ? concentration : "");
    r->s.quantity = &r->q;
    r->ss[0] = &r->s;
    dcp__v1__incident__init (&r->in);
    r->in.incident_id = "I-1";
    r->in.incident_type = "SEIZURE";
    r->in.incident_date = "2024-06-01";
    r->in.n_substances = 1;
    r->in.substances = r->ss;
    r->ins[0] = &r->in;
    dcp__v1__precursors__init (&r->pc);
    r->pc.n_incidents = 1;
    r->pc.incidents = r->ins;
    dcp__v1__submission__init (&r->sub);
    r->sub.submission_id = "0b6e3c1a-8c1f-4a59-9a55-3c4f7e2d9b10";
    r->sub.questionnaire = DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_PRECURSORS;
    r->sub.schema_version = 1;
    r->sub.reporting_country = "TUR";
    r->sub.reporting_year = 2024;
    r->sub.payload_case = DCP__V1__SUBMISSION__PAYLOAD_PRECURSORS;
    r->sub.precursors = &r->pc;
}

/* The kg the loader stores for the incident's substance (column 12 of
 * pc_incident_substance: submission_id, incident_ord, ord, code, name,
 * convention_table, then the quantity's value, unit, status, qref, kg). */
static void
s_stored_kg (const Dcp__V1__Submission *sub, char *kg, size_t size)
{
    dcp_buf_t out[SECTIONS_N_SECTION] = {{0}};
    sections_encode (sub, "0b6e3c1a-8c1f-4a59-9a55-3c4f7e2d9b10", out, NULL);
    const char *p = out[SECTIONS_PC_INCIDENT_SUBSTANCE].data;
    assert_non_null (p);
    for (int tab = 0; tab < 10; tab++)
        p = strchr (p, '\t') + 1;
    snprintf (kg, size, "%.*s", (int) strcspn (p, "\t"), p);
    for (int t = 0; t < SECTIONS_N_SECTION; t++)
        dcp_buf_free (&out[t]);
}

/* True if the rules warn V-PRE-07 for SUB with the single-incident maximum
 * MAX_KG. */
static bool
s_rules_warn (const Dcp__V1__Submission *sub, const char *max_kg)
{
    dcp_rules_opts_t opts;
    dcp_rules_defaults (&opts);
    opts.current_year = 2025;
    opts.received_on = "2025-03-01";
    opts.aa_single_incident_max_kg = max_kg;
    dcp_findings_t *findings = dcp_findings_new ();
    assert_non_null (findings);
    assert_int_equal (dcp_rules_check (sub, &opts, findings), 0);
    bool warned = dcp_findings_has (findings, "V-PRE-07", NULL);
    dcp_findings_destroy (&findings);
    return warned;
}

/* For acetic anhydride in every unit: the stored kg is the derived kg, and
 * a V-PRE-07 maximum equal to it does not warn while one a microgram less
 * does, so the rules compare the very number that is stored. */
static void
test_rules_and_store_agree (void **state)
{
    (void) state;
    static const char *const quantities[][2] = {
        {"1.123456789", "ML"}, {"60000.5", "L"},       {"55.000001", "M3"},
        {"60.0000005", "T"},   {"55000123.4567", "G"}, {"51000", "KG"},
    };
    for (size_t i = 0; i < sizeof quantities / sizeof quantities[0]; i++) {
        s_response_t r;
        s_response (&r, quantities[i][0], quantities[i][1], "AA", NULL);
        dcp_kg_t kg;
        char derived[80], stored[80], less[80];
        assert_int_equal (dcp_kg_derive (quantities[i][0], quantities[i][1], "AA", NULL, &kg), 0);
        s_text (&kg.kg, derived, sizeof derived);
        s_stored_kg (&r.sub, stored, sizeof stored);
        assert_string_equal (stored, derived);

        dcp_decimal_t mg, below;
        assert_int_equal (dcp_decimal_parse ("-0.000000001", &mg), 0);
        assert_int_equal (dcp_decimal_add (&kg.kg, &mg, &below), 0);
        s_text (&below, less, sizeof less);
        if (!s_rules_warn (&r.sub, stored) && s_rules_warn (&r.sub, less))
            continue;
        fail_msg ("%s %s of AA: stored %s kg, but the rules' V-PRE-07 does not switch between"
                  " %s and %s kg",
                  quantities[i][0], quantities[i][1], stored, less, stored);
    }
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_derivation),
        cmocka_unit_test (test_rules_and_store_agree),
    };
    int rc = cmocka_run_group_tests (tests, NULL, NULL);
    dcp_refdata_free ();
    return rc;
}
