/* test_sections.c: the loader's table description and COPY rows, without
 * PostgreSQL.
 *
 * Golden COPY lines for representative rows (every column kind, NULLs,
 * escaping, arrays, "not available" kept apart from 0, derived kilograms
 * and Convention table), and a structural check that for every table the
 * encoded rows have exactly as many fields as its COPY column list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "copy_text.h"
#include "dcp_findings.h"
#include "dcp_refdata.h"
#include "sections.h"

#define ID "0b6e3c1a-8c1f-4a59-9a55-3c4f7e2d9b10"

static void
test_copy_text_escaping (void **state)
{
    (void) state;
    dcp_buf_t b = {0};
    copy_text_text (&b, "a\tb\nc\\d\re");
    copy_text_text (&b, "");
    copy_text_text (&b, NULL);
    copy_text_text_or_empty (&b, NULL);
    copy_text_int (&b, 0);
    copy_text_bool (&b, true);
    char *arr[] = {"x\"y", "back\\slash", "tab\there"};
    copy_text_array (&b, arr, 3);
    copy_text_array (&b, arr, 0);
    copy_text_bytea (&b, (const uint8_t *) "\x00\xff\x10", 3);
    copy_text_row_end (&b);
    assert_false (b.err);
    assert_string_equal (b.data, "a\\tb\\nc\\\\d\\re\t\\N\t\\N\t\t0\tt\t"
                                 "{\"x\\\\\"y\",\"back\\\\\\\\slash\",\"tab\\there\"}\t\\N\t"
                                 "\\\\x00ff10\n");
    dcp_buf_free (&b);
}

/* Every kind of a financial-flows submission: tri-state, optional year,
 * arrays, money, counts (0 reported vs not available vs missing), child
 * rows with their parent's ord. */
static void
test_ff_rows (void **state)
{
    (void) state;
    Dcp__V1__Money threshold = DCP__V1__MONEY__INIT;
    threshold.status = DCP__V1__OBS_STATUS__OBS_REPORTED;
    threshold.amount = "10000.50";
    threshold.currency = "EUR";
    char *fsrb[] = {"FATF", "EAG"};
    Dcp__V1__LegalFramework legal = DCP__V1__LEGAL_FRAMEWORK__INIT;
    legal.ml_offence_exists = DCP__V1__TRI__TRI_YES;
    legal.fiu_exists = DCP__V1__TRI__TRI_UNKNOWN;
    legal.fiu_model = "HYBRID";
    legal.egmont_joined_year = 2004;
    legal.n_fsrb_memberships = 2;
    legal.fsrb_memberships = fsrb;
    legal.cash_declaration_threshold = &threshold;
    legal.question_ref = "B.1\tb";

    Dcp__V1__Count zero = DCP__V1__COUNT__INIT, na = DCP__V1__COUNT__INIT;
    zero.status = DCP__V1__OBS_STATUS__OBS_REPORTED;
    zero.presence_case = DCP__V1__COUNT__PRESENCE_VALUE;
    zero.value = 0;
    zero.question_ref = "C.1";
    na.status = DCP__V1__OBS_STATUS__OBS_NOT_AVAILABLE;
    Dcp__V1__SectorCount sector = DCP__V1__SECTOR_COUNT__INIT;
    sector.sector = "BANK";
    sector.reports = &zero;
    Dcp__V1__SectorCount *sectors[] = {&sector};
    Dcp__V1__SuspiciousTransactions str = DCP__V1__SUSPICIOUS_TRANSACTIONS__INIT;
    str.received_total = &zero;
    str.received_drug_related = &na;
    str.n_received_by_sector = 1;
    str.received_by_sector = sectors;

    Dcp__V1__Jurisdiction j0 = DCP__V1__JURISDICTION__INIT, j1 = DCP__V1__JURISDICTION__INIT;
    j0.country = "AFG";
    j0.role = "ORIGIN";
    j1.country = "IRN";
    Dcp__V1__Jurisdiction *js[] = {&j0, &j1};
    Dcp__V1__LaunderingMethod m0 = DCP__V1__LAUNDERING_METHOD__INIT;
    Dcp__V1__LaunderingMethod m1 = DCP__V1__LAUNDERING_METHOD__INIT;
    m0.method = "CASH_COURIERS";
    m1.method = "HAWALA";
    m1.rank = 2;
    m1.n_jurisdictions = 2;
    m1.jurisdictions = js;
    Dcp__V1__LaunderingMethod *methods[] = {&m0, &m1};

    Dcp__V1__FinancialFlows ff = DCP__V1__FINANCIAL_FLOWS__INIT;
    ff.legal = &legal;
    ff.str = &str;
    ff.n_methods = 2;
    ff.methods = methods;
    Dcp__V1__Submission sub = DCP__V1__SUBMISSION__INIT;
    sub.reporting_year = 2025;
    sub.payload_case = DCP__V1__SUBMISSION__PAYLOAD_FINANCIAL_FLOWS;
    sub.financial_flows = &ff;

    dcp_buf_t out[SECTIONS_N_SECTION] = {{0}};
    sections_counts_t counts = {0};
    sections_encode (&sub, ID, out, &counts);
    assert_string_equal (out[SECTIONS_FF_LEGAL].data,
                         ID "\tYES\t\\N\tUNKNOWN\tHYBRID\t\\N\t\\N\t2004\t{\"FATF\",\"EAG\"}\t\\N\t"
                            "10000.50\tEUR\tREPORTED\t\\N\t\\N\t\\N\t\\N\t\\N\tB.1\\tb\n");
    /* 0 is a value with status REPORTED; not available is NULL with its
     * status; a question missing from the message is UNANSWERED. */
    const char *str_row = out[SECTIONS_FF_STR].data;
    assert_memory_equal (
        str_row, ID "\t0\tREPORTED\tC.1\t\\N\tNOT_AVAILABLE\t\\N\t\\N\tUNANSWERED\t",
        strlen (ID "\t0\tREPORTED\tC.1\t\\N\tNOT_AVAILABLE\t\\N\t\\N\tUNANSWERED\t"));
    assert_string_equal (out[SECTIONS_FF_STR_SECTOR].data, ID "\t0\tBANK\t0\tREPORTED\tC.1\n");
    assert_string_equal (out[SECTIONS_FF_METHOD].data,
                         ID "\t0\tCASH_COURIERS\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n" ID
                            "\t1\tHAWALA\t\\N\t2\t\\N\t\\N\t\\N\t\\N\t\\N\n");
    assert_string_equal (out[SECTIONS_FF_METHOD_JURISDICTION].data,
                         ID "\t1\t0\tAFG\tORIGIN\n" ID "\t1\t1\tIRN\t\\N\n");
    assert_null (out[SECTIONS_PC_SEIZURE].data);
    /* ff_legal: 1 money; ff_str: 12 numbers; sector: 1. */
    assert_int_equal (counts.n_numbers, 14);
    assert_int_equal (counts.n_reported, 3);
    assert_int_equal (counts.n_not_available, 1);
    assert_int_equal (counts.n_unanswered, 10);
    for (int t = 0; t < SECTIONS_N_SECTION; t++)
        dcp_buf_free (&out[t]);
}

/* Precursors: quantities with derived kg (litres of acetic anhydride by
 * density, tonnes by factor, an unknown unit), the Convention table at the
 * year end and at the incident date, an absent location. */
static void
test_pc_rows (void **state)
{
    (void) state;
    Dcp__V1__Quantity litres = DCP__V1__QUANTITY__INIT, tonnes = DCP__V1__QUANTITY__INIT,
                      odd = DCP__V1__QUANTITY__INIT;
    litres.status = tonnes.status = odd.status = DCP__V1__OBS_STATUS__OBS_REPORTED;
    litres.value = "100";
    litres.unit = "L";
    tonnes.value = "1.5";
    tonnes.unit = "T";
    odd.value = "3";
    odd.unit = "BARREL";
    Dcp__V1__AnnualSeizure s0 = DCP__V1__ANNUAL_SEIZURE__INIT;
    s0.substance_code = "AA";
    s0.quantity = &litres;
    s0.no_seizures = 0;
    /* Confirmed zeros: "not applicable" in litres, and no quantity at all. */
    Dcp__V1__Quantity none = DCP__V1__QUANTITY__INIT;
    none.status = DCP__V1__OBS_STATUS__OBS_NOT_APPLICABLE;
    none.unit = "L";
    Dcp__V1__AnnualSeizure s1 = DCP__V1__ANNUAL_SEIZURE__INIT, s2 = DCP__V1__ANNUAL_SEIZURE__INIT;
    s1.substance_code = s2.substance_code = "AA";
    s1.quantity = &none;
    s1.no_seizures = s2.no_seizures = 1;
    Dcp__V1__AnnualSeizure *seizures[] = {&s0, &s1, &s2};

    Dcp__V1__IncidentSubstance is = DCP__V1__INCIDENT_SUBSTANCE__INIT;
    is.substance_code = "AA";
    is.quantity = &tonnes;
    is.mixed_substances = 1;
    Dcp__V1__IncidentSubstance *iss[] = {&is};
    Dcp__V1__Incident inc = DCP__V1__INCIDENT__INIT;
    inc.incident_id = "I-1";
    inc.incident_date = "2025-03-01";
    inc.n_substances = 1;
    inc.substances = iss;
    Dcp__V1__Incident *incidents[] = {&inc};
    Dcp__V1__NonScheduledSeizure ns = DCP__V1__NON_SCHEDULED_SEIZURE__INIT;
    ns.substance_name = "x";
    ns.quantity = &odd;
    Dcp__V1__NonScheduledSeizure *nss[] = {&ns};

    Dcp__V1__Precursors pc = DCP__V1__PRECURSORS__INIT;
    pc.n_seizures = 3;
    pc.seizures = seizures;
    pc.n_incidents = 1;
    pc.incidents = incidents;
    pc.n_non_scheduled = 1;
    pc.non_scheduled = nss;
    Dcp__V1__Submission sub = DCP__V1__SUBMISSION__INIT;
    sub.reporting_year = 2025;
    sub.payload_case = DCP__V1__SUBMISSION__PAYLOAD_PRECURSORS;
    sub.precursors = &pc;

    dcp_buf_t out[SECTIONS_N_SECTION] = {{0}};
    sections_counts_t counts = {0};
    sections_encode (&sub, ID, out, &counts);
    assert_string_equal (out[SECTIONS_PC_SEIZURE].data,
                         ID "\t0\tAA\t1\t\\N\t100\tL\tREPORTED\t\\N\t108.2\t1.082\tdensity:AA-20C\t"
                            "\\N\t\\N\tUNANSWERED\t\\N\t\\N\t\\N\tf\t\\N\n"
                         /* a confirmed zero is 0 REPORTED (0 kg), its count too */
                         ID "\t1\tAA\t1\t\\N\t0\tL\tREPORTED\t\\N\t0\t\\N\tno_seizures\t"
                            "\\N\t0\tREPORTED\t\\N\t\\N\t\\N\tt\t\\N\n" ID
                            "\t2\tAA\t1\t\\N\t0\tKG\tREPORTED\t\\N\t0\t\\N\tno_seizures\t"
                            "\\N\t0\tREPORTED\t\\N\t\\N\t\\N\tt\t\\N\n");
    assert_string_equal (out[SECTIONS_PC_INCIDENT].data, ID
                         "\t0\tI-1\t\\N\t2025-03-01\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t"
                         "\\N\t\\N\t\\N\t\\N\t\\N\tUNANSWERED\t\\N\t\\N\tf\t\\N\t\\N\t\\N\n");
    assert_string_equal (out[SECTIONS_PC_INCIDENT_SUBSTANCE].data,
                         ID "\t0\t0\tAA\t\\N\t1\t1.5\tT\tREPORTED\t\\N\t1500\t1000\tmass_unit\t"
                            "\\N\t\\N\t\\N\tUNANSWERED\t\\N\tt\n");
    assert_string_equal (out[SECTIONS_PC_NONSCHEDULED].data, ID
                         "\t0\tx\t\\N\t\\N\t\\N\t3\tBARREL\tREPORTED\t\\N\t\\N\t\\N\tunknown_unit\t"
                         "\\N\t\\N\n");
    for (int t = 0; t < SECTIONS_N_SECTION; t++)
        dcp_buf_free (&out[t]);
}

static void
test_submission_and_finding_rows (void **state)
{
    (void) state;
    Dcp__V1__FocalPoint fp = DCP__V1__FOCAL_POINT__INIT;
    fp.email = "a@b.c";
    Dcp__V1__Submission sub = DCP__V1__SUBMISSION__INIT;
    sub.questionnaire = DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_PRECURSORS;
    sub.schema_version = 1;
    sub.reporting_country = "AFG";
    sub.reporting_year = 2025;
    sub.revision_no = 0;
    sub.focal_point = &fp;
    Dcp__V1__Forward fwd = DCP__V1__FORWARD__INIT;
    fwd.sender_country = "AFG";
    sections_submission_t s = {.sub = &sub,
                               .fwd = &fwd,
                               .id = ID,
                               .sha_hex = "00112233445566778899aabbccddeeff"
                                          "00112233445566778899aabbccddeeff",
                               .raw = (const uint8_t *) "\x0a\x01",
                               .raw_len = 2,
                               .is_current = true,
                               .counts = {3, 2, 1, 0},
                               .n_warnings = 1};
    dcp_buf_t b = {0};
    sections_encode_submission (&b, &s);
    assert_string_equal (b.data, ID
                         "\t\\\\x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
                         "\t\\\\x0a01\tprecursors\t1\t\\N\tAFG\t2025\t\\N\t\\N\t\\N\t\\N\t\\N\t"
                         "\\N\t0\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\ta@b.c\t\\N\t\\N\tAFG\t\\N\t"
                         "\\N\t\\N\tt\thas_issues\t3\t2\t1\t0\t66.67\t1\t0\n");
    dcp_buf_free (&b);

    dcp_finding_t f = {
        .rule = "", .severity = DCP_SEV_WARNING, .path = NULL, .message = "line\nbreak"};
    sections_encode_finding (&b, ID, 4, &f);
    assert_string_equal (b.data, ID "\t4\t-\twarning\t\tline\\nbreak\n");
    dcp_buf_free (&b);
}

/* Counts the fields of every line of DATA; fails unless each has WANT. */
static void
s_assert_fields (const char *table, const char *data, size_t want)
{
    size_t fields = 1, lines = 0;
    for (const char *p = data; *p; p++) {
        if (*p == '\t')
            fields++;
        else if (*p == '\n') {
            if (fields != want)
                fail_msg ("dcp.%s: a row has %zu fields, the column list %zu", table, fields, want);
            fields = 1;
            lines++;
        }
    }
    if (lines == 0)
        fail_msg ("dcp.%s: no row encoded", table);
}

static size_t
s_copy_width (sections_table_id_t t)
{
    dcp_buf_t cols = {0};
    assert_int_equal (sections_copy_columns (t, &cols), 0);
    size_t n = 1;
    for (const char *p = cols.data; *p; p++)
        n += *p == ',';
    dcp_buf_free (&cols);
    return n;
}

/* A submission with one row in every section table of each questionnaire:
 * every row has as many fields as its table's COPY column list. */
static void
test_rows_match_column_lists (void **state)
{
    (void) state;
    Dcp__V1__Agency ag = DCP__V1__AGENCY__INIT;
    Dcp__V1__Agency *ags[] = {&ag};
    Dcp__V1__LegalFramework legal = DCP__V1__LEGAL_FRAMEWORK__INIT;
    Dcp__V1__SectorCount sc = DCP__V1__SECTOR_COUNT__INIT;
    Dcp__V1__SectorCount *scs[] = {&sc};
    Dcp__V1__SuspiciousTransactions str = DCP__V1__SUSPICIOUS_TRANSACTIONS__INIT;
    str.n_received_by_sector = 1;
    str.received_by_sector = scs;
    Dcp__V1__EnforcementRow en = DCP__V1__ENFORCEMENT_ROW__INIT;
    Dcp__V1__EnforcementRow *ens[] = {&en};
    Dcp__V1__AssetRow as = DCP__V1__ASSET_ROW__INIT;
    Dcp__V1__AssetRow *ass[] = {&as};
    Dcp__V1__Jurisdiction ju = DCP__V1__JURISDICTION__INIT;
    Dcp__V1__Jurisdiction *jus[] = {&ju};
    Dcp__V1__LaunderingMethod me = DCP__V1__LAUNDERING_METHOD__INIT;
    me.n_jurisdictions = 1;
    me.jurisdictions = jus;
    Dcp__V1__LaunderingMethod *mes[] = {&me};
    Dcp__V1__CooperationRow co = DCP__V1__COOPERATION_ROW__INIT;
    Dcp__V1__CooperationRow *cos[] = {&co};
    Dcp__V1__Challenges ch = DCP__V1__CHALLENGES__INIT;
    Dcp__V1__FinancialFlows ff = DCP__V1__FINANCIAL_FLOWS__INIT;
    ff.legal = &legal;
    ff.str = &str;
    ff.n_enforcement = 1;
    ff.enforcement = ens;
    ff.n_assets = 1;
    ff.assets = ass;
    ff.n_methods = 1;
    ff.methods = mes;
    ff.n_cooperation = 1;
    ff.cooperation = cos;
    ff.challenges = &ch;

    Dcp__V1__AnnualSeizure se = DCP__V1__ANNUAL_SEIZURE__INIT;
    Dcp__V1__AnnualSeizure *ses[] = {&se};
    Dcp__V1__NonScheduledSeizure ns = DCP__V1__NON_SCHEDULED_SEIZURE__INIT;
    Dcp__V1__NonScheduledSeizure *nss[] = {&ns};
    Dcp__V1__DiversionMethod dm = DCP__V1__DIVERSION_METHOD__INIT;
    Dcp__V1__DiversionMethod *dms[] = {&dm};
    Dcp__V1__StoppedShipment ss = DCP__V1__STOPPED_SHIPMENT__INIT;
    Dcp__V1__StoppedShipment *sss[] = {&ss};
    Dcp__V1__LabChemical lc = DCP__V1__LAB_CHEMICAL__INIT;
    Dcp__V1__LabChemical *lcs[] = {&lc};
    Dcp__V1__IllicitLab la = DCP__V1__ILLICIT_LAB__INIT;
    la.n_chemicals_found = 1;
    la.chemicals_found = lcs;
    Dcp__V1__IllicitLab *las[] = {&la};
    Dcp__V1__IncidentSubstance is = DCP__V1__INCIDENT_SUBSTANCE__INIT;
    Dcp__V1__IncidentSubstance *iss[] = {&is};
    Dcp__V1__RouteLeg rl = DCP__V1__ROUTE_LEG__INIT;
    Dcp__V1__RouteLeg *rls[] = {&rl};
    Dcp__V1__Location loc = DCP__V1__LOCATION__INIT;
    Dcp__V1__Incident in = DCP__V1__INCIDENT__INIT;
    in.location = &loc;
    in.n_substances = 1;
    in.substances = iss;
    in.n_route = 1;
    in.route = rls;
    Dcp__V1__Incident *ins[] = {&in};
    Dcp__V1__LicitTrade lt = DCP__V1__LICIT_TRADE__INIT;
    Dcp__V1__LicitTrade *lts[] = {&lt};
    Dcp__V1__TraffickingRoute tr = DCP__V1__TRAFFICKING_ROUTE__INIT;
    Dcp__V1__TraffickingRoute *trs[] = {&tr};
    Dcp__V1__Precursors pc = DCP__V1__PRECURSORS__INIT;
    pc.n_seizures = 1;
    pc.seizures = ses;
    pc.n_non_scheduled = 1;
    pc.non_scheduled = nss;
    pc.n_diversion_methods = 1;
    pc.diversion_methods = dms;
    pc.n_stopped_shipments = 1;
    pc.stopped_shipments = sss;
    pc.n_labs = 1;
    pc.labs = las;
    pc.n_incidents = 1;
    pc.incidents = ins;
    pc.n_licit_trade = 1;
    pc.licit_trade = lts;
    pc.n_routes = 1;
    pc.routes = trs;

    Dcp__V1__Submission sub = DCP__V1__SUBMISSION__INIT;
    sub.reporting_year = 2025;
    sub.n_contributing_agencies = 1;
    sub.contributing_agencies = ags;
    dcp_buf_t out[SECTIONS_N_SECTION] = {{0}};
    sub.payload_case = DCP__V1__SUBMISSION__PAYLOAD_FINANCIAL_FLOWS;
    sub.financial_flows = &ff;
    sections_encode (&sub, ID, out, NULL);
    sub.payload_case = DCP__V1__SUBMISSION__PAYLOAD_PRECURSORS;
    sub.precursors = &pc;
    sections_encode (&sub, ID, out, NULL);
    for (int t = 0; t < SECTIONS_N_SECTION; t++) {
        assert_non_null (out[t].data);
        s_assert_fields (sections_table (t)->name, out[t].data, s_copy_width (t));
        dcp_buf_free (&out[t]);
    }

    Dcp__V1__Forward fwd = DCP__V1__FORWARD__INIT;
    sections_submission_t s = {
        .sub = &sub,
        .fwd = &fwd,
        .id = ID,
        .sha_hex = "0000000000000000000000000000000000000000000000000000000000000000"};
    dcp_buf_t b = {0};
    sections_encode_submission (&b, &s);
    s_assert_fields ("submission", b.data, s_copy_width (SECTIONS_SUBMISSION));
    dcp_buf_free (&b);
    dcp_finding_t f = {.rule = "R", .severity = DCP_SEV_INFO, .path = "/x", .message = "m"};
    sections_encode_finding (&b, ID, 0, &f);
    s_assert_fields ("finding", b.data, s_copy_width (SECTIONS_FINDING));
    dcp_buf_free (&b);
}

static void
test_column_names (void **state)
{
    (void) state;
    dcp_buf_t cols = {0};
    assert_int_equal (sections_copy_columns (SECTIONS_FF_ASSET, &cols), 0);
    assert_string_equal (cols.data,
                         "submission_id, ord, measure, asset_category, predicate_scope,"
                         " amount, currency, amount_status, amount_qref, valuation_basis,"
                         " cases_value, cases_status, cases_qref, origin_of_request,"
                         " counterpart_country, question_ref");
    dcp_buf_free (&cols);
    /* Columns the database fills are described but not copied. */
    assert_int_equal (sections_copy_columns (SECTIONS_SUBMISSION, &cols), 0);
    assert_null (strstr (cols.data, "stored_at"));
    dcp_buf_free (&cols);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_copy_text_escaping),
        cmocka_unit_test (test_ff_rows),
        cmocka_unit_test (test_pc_rows),
        cmocka_unit_test (test_submission_and_finding_rows),
        cmocka_unit_test (test_rows_match_column_lists),
        cmocka_unit_test (test_column_names),
    };
    int rc = cmocka_run_group_tests (tests, NULL, NULL);
    dcp_refdata_free ();
    return rc;
}
