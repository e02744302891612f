/* test_refdata.c: the embedded reference data (dcp_refdata.h).
 *
 * Checks the lookups against facts of proto/QUESTIONNAIRE.md section 5 (partners,
 * currency validity, schedule dates, densities), and that the CSV files keep
 * the header lines the loader's COPY relies on.  The country groups
 * (groups.csv, group_members.csv) are read only by the loader's COPY, so
 * their consistency is checked here: every member is a known country or
 * organisation, every group is defined, dates are in order, every row has a
 * source, and each country has exactly one UN M49 subregion. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dcp_blob.h"
#include "dcp_csvtok.h"
#include "dcp_err.h"
#include "dcp_refdata.h"

static int
s_setup (void **state)
{
    return dcp_refdata_load ();
}

static int
s_teardown (void **state)
{
    dcp_refdata_free ();
    return 0;
}

static void
test_csv_headers_are_the_loader_contract (void **state)
{
    static const struct {
        const char *file, *header;
    } files[] = {
        {"countries.csv", "iso3,name,valid_from,valid_to,paris_pact_partner\n"},
        {"country_aliases.csv", "alias,iso3\n"},
        {"currencies.csv", "code,name,valid_from,valid_to\n"},
        {"substances.csv", "code,name,cas,hs,state\n"},
        {"substance_schedule.csv", "code,convention_table,valid_from,valid_to,source\n"},
        {"substance_aliases.csv", "alias,code\n"},
        {"densities.csv",
         "id,substance,concentration_min,concentration_max,kg_per_litre,temperature_c,source\n"},
        {"units.csv", "code,kind,factor_to_canonical\n"},
        {"codelists.csv", "list,code,label\n"},
        {"groups.csv", "group_code,kind,name,parent,source\n"},
        {"group_members.csv", "group_code,member,member_kind,from_year,to_year,joined,source\n"},
        {"organisations.csv", "code,name,source\n"},
        {"response_deadlines.csv", "questionnaire,from_year,to_year,deadline_mmdd,source\n"},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        const dcp_blob_t *blob = dcp_blob_find (dcp_refdata, files[i].file);
        assert_non_null (blob);
        assert_memory_equal (blob->data, files[i].header, strlen (files[i].header));
    }
}

static void
test_countries (void **state)
{
    static const struct {
        const char *iso3;
        int year;
        bool known, partner;
    } cases[] = {
        {"AFG", 2020, true, true},  {"TUR", 0, true, true},      {"ARE", 2020, true, true},
        {"XKX", 2020, true, false},                              /* Kosovo, user-assigned code */
        {"TZA", 2016, true, false},                              /* non-partner on an AA route */
        {"SCG", 2005, true, false}, {"SCG", 2010, false, false}, /* historical */
        {"SRB", 2010, true, true},  {"SSD", 2005, false, false}, /* before 2011 */
        {"ZZZ", 0, false, false},   {"afg", 0, false, false},    {"", 0, false, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const dcp_country_t *c = dcp_refdata_country (cases[i].iso3, cases[i].year);
        assert_int_equal (c != NULL, cases[i].known);
        if (c)
            assert_int_equal (c->paris_pact_partner, cases[i].partner);
    }
    /* Exactly the 58 partners of proto/QUESTIONNAIRE.md 5.3 are marked. */
    const dcp_blob_t *blob = dcp_blob_find (dcp_refdata, "countries.csv");
    int partners = 0;
    for (const char *p = strstr (blob->data, ",t\n"); p; p = strstr (p + 1, ",t\n"))
        partners++;
    assert_int_equal (partners, 58);
    assert_string_equal (dcp_refdata_country ("CIV", 0)->name, "Côte d'Ivoire");
    /* a quoted field with a comma */
    assert_string_equal (dcp_refdata_country ("BES", 0)->name, "Bonaire, Sint Eustatius and Saba");
}

static void
test_country_aliases (void **state)
{
    static const struct {
        const char *name, *iso3;
    } cases[] = {
        {"the former Yugoslav Republic of Macedonia", "MKD"},
        {"Turkey", "TUR"},
        {"Türkiye", "TUR"},
        {"Czech Republic", "CZE"},
        {"Czechia", "CZE"},
        {"Moldova (Republic of)", "MDA"},
        {"  russia ", "RUS"},   /* case and blanks ignored */
        {"Afghanistan", "AFG"}, /* official names too */
        {"Kosovo", "XKX"},
        {"KOS", "XKX"},
        {"Atlantis", NULL},
        {"", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *iso3 = dcp_refdata_country_alias (cases[i].name);
        if (cases[i].iso3)
            assert_string_equal (iso3, cases[i].iso3);
        else
            assert_null (iso3);
    }
}

static void
test_currencies_by_year (void **state)
{
    static const struct {
        const char *code;
        int year;
        bool valid, known;
    } cases[] = {
        {"HRK", 2022, true, true},   {"HRK", 2023, false, true}, /* euro from 2023 */
        {"AFA", 2003, true, true},   {"AFA", 2004, false, true}, {"BYR", 2016, true, true},
        {"BYR", 2017, false, true},  {"BYN", 2015, false, true}, {"TRL", 2004, true, true},
        {"TRL", 2005, false, true},  {"EUR", 1998, false, true}, {"EUR", 2023, true, true},
        {"USD", 1990, true, true},   {"AFN", 2024, true, true},  {"XXX", 2020, false, false},
        {"usd", 2020, false, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal (dcp_refdata_currency_valid (cases[i].code, cases[i].year),
                          cases[i].valid);
        assert_int_equal (dcp_refdata_currency_known (cases[i].code), cases[i].known);
    }
}

static void
test_substances_and_schedule (void **state)
{
    const dcp_substance_t *aa = dcp_refdata_substance ("AA");
    assert_non_null (aa);
    assert_string_equal (aa->cas, "108-24-7");
    assert_string_equal (aa->hs, "2915.24");
    assert_true (aa->liquid);
    assert_false (dcp_refdata_substance ("KMNO4")->liquid);
    assert_null (dcp_refdata_substance ("XYZ"));
    assert_string_equal (dcp_refdata_substance_by_cas ("7722-64-7")->code, "KMNO4");

    static const struct {
        const char *code, *date;
        int table;
    } cases[] = {
        {"AA", "1995", 2},    {"AA", "2000-12-31", 2},  {"AA", "2001-01-01", 1},
        {"AA", "2024", 1},    {"KMNO4", "1991", 0},     {"KMNO4", "1995", 2},
        {"KMNO4", "2005", 1}, {"NPP", "2017-10-17", 0}, {"NPP", "2017-10-18", 1},
        {"NPP", "2017", 1}, /* "YYYY" means 31 December */
        {"APAAN", "2013", 0}, {"APAAN", "2014", 1},     {"PAA", "2009", 2},
        {"PAA", "2010", 1},   {"ACET", "2020", 2},      {"NH4CL", "2020", 0},
        {"AA", "garbage", 0}, {"XYZ", "2020", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal (dcp_refdata_substance_table (cases[i].code, cases[i].date),
                          cases[i].table);
}

static void
test_substance_aliases (void **state)
{
    static const struct {
        const char *name, *code;
    } cases[] = {
        {"Ac2O", "AA"},
        {"acetyl oxide", "AA"},
        {"Ethanoic Anhydride", "AA"},
        {"acetic anhydride", "AA"},
        {"BMK", "P2P"},
        {"muriatic acid", "HCL"},
        {"KMnO4", "KMNO4"},
        {"AA", "AA"},
        {"3,4-MDP-2-P", "PMK"},
        {"motor oil", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *code = dcp_refdata_substance_alias (cases[i].name);
        if (cases[i].code)
            assert_string_equal (code, cases[i].code);
        else
            assert_null (code);
    }
}

static void
test_densities_never_default_to_one (void **state)
{
    static const struct {
        const char *substance, *concentration, *kg_per_litre, *row;
    } cases[] = {
        {"AA", NULL, "1.082", "AA-20C"},
        {"AA", "99", "1.082", "AA-20C"}, /* unbanded row ignores concentration */
        {"ETHER", "", "0.713", "ETHER-20C"},
        {"HCL", "37", "1.179", "HCL-34-38"},
        {"HCL", "38", "1.194", "HCL-38-100"}, /* bands are [min, max) */
        {"HCL", "100", "1.194", "HCL-38-100"},
        {"H2SO4", "96", "1.836", "H2SO4-95-100"},
        {"H2SO4", "0", "1.032", "H2SO4-00-10"},
        {"HCL", NULL, NULL, NULL},   /* acids need a concentration */
        {"KMNO4", NULL, NULL, NULL}, /* a solid has no density row */
        {"MAPA", NULL, NULL, NULL},  /* unknown: no guess */
        {"AA", "abc", NULL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dcp_decimal_t density;
        const char *row = NULL;
        int rc = dcp_refdata_density (cases[i].substance, cases[i].concentration, &density, &row);
        if (!cases[i].kg_per_litre) {
            assert_int_equal (rc, DCP_EINVAL);
            continue;
        }
        dcp_decimal_t want;
        assert_int_equal (rc, 0);
        assert_int_equal (dcp_decimal_parse (cases[i].kg_per_litre, &want), 0);
        assert_int_equal (dcp_decimal_cmp (&density, &want), 0);
        assert_string_equal (row, cases[i].row);
    }
}

static void
test_units (void **state)
{
    static const struct {
        const char *unit, *factor;
        bool volume;
    } cases[] = {
        {"KG", "1", false}, {"G", "0.001", false}, {"MG", "0.000001", false}, {"T", "1000", false},
        {"L", "1", true},   {"ML", "0.001", true}, {"M3", "1000", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dcp_decimal_t factor, want;
        bool volume = !cases[i].volume;
        assert_int_equal (dcp_refdata_unit (cases[i].unit, &factor, &volume), 0);
        assert_int_equal (dcp_decimal_parse (cases[i].factor, &want), 0);
        assert_int_equal (dcp_decimal_cmp (&factor, &want), 0);
        assert_int_equal (volume, cases[i].volume);
    }
    assert_int_equal (dcp_refdata_unit ("DRUM", NULL, NULL), DCP_EINVAL);
    assert_int_equal (dcp_refdata_unit ("kg", NULL, NULL), DCP_EINVAL);
}

static void
test_code_lists (void **state)
{
    /* Every list other modules name exists and holds the codes of the proto
     * comments. */
    static const struct {
        const char *list, *code;
    } present[] = {
        {"enforcement_stage", "CONVICTION"},
        {"enforcement_scope", "ML_AFGHAN_OPIATES"},
        {"count_unit", "PERSONS_LEGAL"},
        {"counting_rule", "OPEN_AT_YEAR_END"},
        {"asset_measure", "RECOVERED_REPATRIATED"},
        {"asset_category", "VIRTUAL_ASSET"},
        {"valuation_basis", "REALISED_ON_SALE"},
        {"origin_of_request", "JOINT"},
        {"fiu_model", "HYBRID"},
        {"fsrb", "MONEYVAL"},
        {"cash_declaration_system", "DISCLOSURE"},
        {"mvts_regime", "UNREGULATED"},
        {"str_sector", "VASP"},
        {"laundering_method", "HAWALA_INFORMAL_MVTS"},
        {"trend", "STABLE"},
        {"flow_direction", "INTO_AFGHANISTAN"},
        {"jurisdiction_role", "FINANCIAL_CENTRE_STORAGE"},
        {"coop_instrument", "MLA"},
        {"coop_direction", "RECEIVED"},
        {"challenge_category", "CASH_ECONOMY"},
        {"assistance_need", "IT_SYSTEMS"},
        {"physical_form", "SOLUTION"},
        {"origin_basis", "FORENSIC"},
        {"suspected_use", "FENTANYLS"},
        {"diversion_method", "TRANSIT_PILFERAGE"},
        {"shipment_event", "SUSPICIOUS_ENQUIRY"},
        {"shipment_reason", "NO_IMPORT_AUTH"},
        {"lab_type", "MORPHINE_HEROIN"},
        {"incident_type", "STOPPED_IN_TRANSIT"},
        {"package_type", "CONTAINER_20FT"},
        {"concealment", "MISDECLARED"},
        {"identification_basis", "FIELD_TEST"},
        {"transport_mode", "SEA"},
        {"transport_mode", "ROAD_TRUCK_TIR"},
        {"route_role", "INTENDED_DESTINATION"},
        {"seizing_agency", "BORDER_POLICE"},
        {"follow_up", "CONTROLLED_DELIVERY"},
        {"trade_flow", "EXPORT"},
        {"trafficking_role", "DEPARTURE"},
        {"route_code", "BALKAN"},
        {"geographic_coverage", "PARTIAL"},
        {"revision_reason", "LATE_DATA"},
        {"agency_type", "FIU"},
    };
    for (size_t i = 0; i < sizeof present / sizeof present[0]; i++) {
        assert_true (dcp_refdata_code_valid (present[i].list, present[i].code));
        assert_non_null (strstr (dcp_refdata_code_list (present[i].list), present[i].code));
    }
    assert_false (dcp_refdata_code_valid ("trend", "UP"));
    assert_false (dcp_refdata_code_valid ("trend", "stable")); /* codes are exact */
    assert_false (dcp_refdata_code_valid ("no_such_list", "X"));
    assert_string_equal (dcp_refdata_code_list ("trade_flow"), "IMPORT, EXPORT");
    assert_string_equal (dcp_refdata_code_list ("no_such_list"), "");
}


/* --- country groups ------------------------------------------------------ */

enum { S_MAX_ROWS = 2048, S_MAX_CELLS = 8, S_CELL_MAX = 512 };

/* A small CSV file read whole: ROWS x CELLS cells (header excluded). */
typedef struct {
    char cell[S_MAX_ROWS][S_MAX_CELLS][S_CELL_MAX];
    int rows, cells;
} s_csv_t;

static s_csv_t *
s_read_csv (const char *file)
{
    const dcp_blob_t *blob = dcp_blob_find (dcp_refdata, file);
    assert_non_null (blob);
    s_csv_t *csv = calloc (1, sizeof *csv);
    assert_non_null (csv);
    dcp_csvtok_t tok;
    dcp_csvtok_cell_t cell;
    dcp_csvtok_init (&tok, blob->data, blob->len);
    int row = -1, col = 0, rc; /* row -1 is the header */
    while ((rc = dcp_csvtok_next (&tok, &cell)) == 1) {
        assert_int_equal (cell.problem, DCP_CSVTOK_OK);
        assert_true (col < S_MAX_CELLS && cell.len < S_CELL_MAX);
        if (row >= 0) {
            assert_true (row < S_MAX_ROWS);
            memcpy (csv->cell[row][col], cell.text, cell.len);
        }
        col++;
        if (cell.end != DCP_CSVTOK_COMMA) {
            if (row < 0)
                csv->cells = col;
            else if (col > 1 || cell.len)
                assert_int_equal (col, csv->cells); /* every row as wide as the header */
            row += col > 1 || cell.len ? 1 : 0;
            col = 0;
        }
    }
    assert_int_equal (rc, 0);
    dcp_csvtok_fini (&tok);
    csv->rows = row;
    return csv;
}

static int
s_find_row (const s_csv_t *csv, int column, const char *value)
{
    for (int r = 0; r < csv->rows; r++)
        if (strcmp (csv->cell[r][column], value) == 0)
            return r;
    return -1;
}

static void
test_country_groups_are_consistent (void **state)
{
    s_csv_t *groups = s_read_csv ("groups.csv");
    s_csv_t *members = s_read_csv ("group_members.csv");
    s_csv_t *orgs = s_read_csv ("organisations.csv");
    for (int r = 0; r < groups->rows; r++) {
        assert_true (groups->cell[r][4][0] != '\0'); /* a source */
        if (groups->cell[r][3][0])
            assert_true (s_find_row (groups, 0, groups->cell[r][3]) >= 0); /* parent */
        assert_int_equal (s_find_row (groups, 0, groups->cell[r][0]), r);  /* unique */
    }
    for (int r = 0; r < members->rows; r++) {
        char (*m)[S_CELL_MAX] = members->cell[r];
        if (s_find_row (groups, 0, m[0]) < 0)
            fail_msg ("group_members.csv row %d: unknown group %s", r + 2, m[0]);
        if (strcmp (m[2], "country") == 0) {
            if (!dcp_refdata_country (m[1], 0))
                fail_msg ("group_members.csv row %d: unknown country %s", r + 2, m[1]);
        } else {
            assert_string_equal (m[2], "organisation");
            assert_true (s_find_row (orgs, 0, m[1]) >= 0);
        }
        int from = m[3][0] ? atoi (m[3]) : 0, to = m[4][0] ? atoi (m[4]) : 9999;
        assert_true (from <= to);
        assert_true (m[6][0] != '\0'); /* a source */
    }
    /* One M49 subregion per country code (Antarctica has none in M49). */
    const char *const codes[] = {"AFG", "KAZ", "IRN", "TUR", "RUS", "AUS", "XKX", "SUN", "ANT"};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        int n = 0;
        for (int r = 0; r < members->rows; r++)
            if (strcmp (members->cell[r][1], codes[i]) == 0) {
                int g = s_find_row (groups, 0, members->cell[r][0]);
                n += strcmp (groups->cell[g][1], "m49_subregion") == 0;
            }
        if (n != 1)
            fail_msg ("%s is in %d M49 subregions", codes[i], n);
    }
    free (groups);
    free (members);
    free (orgs);
}

/* Membership is dated: Australia joined the Paris Pact in Phase IV (2013),
 * and every country flagged as a partner in countries.csv is a member of
 * PARIS_PACT in the last year. */
static void
test_paris_pact_partners_are_dated (void **state)
{
    s_csv_t *members = s_read_csv ("group_members.csv");
    int partners = 0, organisations = 0;
    for (int r = 0; r < members->rows; r++) {
        char (*m)[S_CELL_MAX] = members->cell[r];
        if (strcmp (m[0], "PARIS_PACT_ORGS") == 0)
            organisations++;
        if (strcmp (m[0], "PARIS_PACT") != 0)
            continue;
        partners++;
        const dcp_country_t *c = dcp_refdata_country (m[1], 0);
        assert_non_null (c);
        assert_true (c->paris_pact_partner);
        assert_true (m[3][0] != '\0'); /* every partner has a first year */
        if (strcmp (m[1], "AUS") == 0 || strcmp (m[1], "CHN") == 0 || strcmp (m[1], "ARE") == 0)
            assert_string_equal (m[3], "2013");
        else
            assert_true (atoi (m[3]) < 2013);
    }
    assert_int_equal (partners, 58);
    assert_int_equal (organisations, 23);
    free (members);
}

static void
test_load_is_idempotent (void **state)
{
    assert_int_equal (dcp_refdata_load (), 0);
    dcp_refdata_free ();
    dcp_refdata_free ();                              /* twice is harmless */
    assert_non_null (dcp_refdata_country ("AFG", 0)); /* reloads on demand */
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_csv_headers_are_the_loader_contract),
        cmocka_unit_test (test_countries),
        cmocka_unit_test (test_country_aliases),
        cmocka_unit_test (test_currencies_by_year),
        cmocka_unit_test (test_substances_and_schedule),
        cmocka_unit_test (test_substance_aliases),
        cmocka_unit_test (test_densities_never_default_to_one),
        cmocka_unit_test (test_units),
        cmocka_unit_test (test_code_lists),
        cmocka_unit_test (test_country_groups_are_consistent),
        cmocka_unit_test (test_paris_pact_partners_are_dated),
        cmocka_unit_test (test_load_is_idempotent),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
