/* wblayout.c: the sheets and columns of the workbook (see wblayout.h).
 *
 * This table is the one description of the workbook: xlsxwrite.c makes the
 * sheets, labels, drop-down lists and prefilled answers from it, and
 * xlsxread.c finds the answers by it.  Column names are the CSV column names
 * of FORMAT.md section 7, so a sheet reads exactly like a CSV file of the
 * same table (csvread.h). */
#include <string.h>

#include "dcp_i18n.h"
#include "wblayout.h"

/* A text column, a column with a list, a code list, a number, a date. */
/* The layout is a table, one column a line: kept as written, not reformatted. */
/* clang-format off */
#define W_TEXT(k, l) {k, l, WBLAYOUT_LIST_NONE, NULL, WBLAYOUT_TEXT, NULL, 0}
#define W_WIDE(k, l) {k, l, WBLAYOUT_LIST_NONE, NULL, WBLAYOUT_TEXT, NULL, 40}
#define W_LIST(k, l, list) {k, l, list, NULL, WBLAYOUT_TEXT, NULL, 0}
#define W_CODE(k, l, codes) {k, l, WBLAYOUT_LIST_CODES, codes, WBLAYOUT_TEXT, NULL, 0}
#define W_NUM(k, l) {k, l, WBLAYOUT_LIST_NONE, NULL, WBLAYOUT_NUMBER, NULL, 0}
#define W_DATE(k, l) {k, l, WBLAYOUT_LIST_NONE, NULL, WBLAYOUT_DATE, NULL, 0}
/* A Quantity: the number (or a status word), its unit, its status. */
#define W_QUANTITY(k, l)                                                        \
    {k, l, WBLAYOUT_LIST_NO_VALUE, NULL, WBLAYOUT_NUMBER, NULL, 0},             \
    {k ".unit", l ": unit", WBLAYOUT_LIST_UNIT, NULL, WBLAYOUT_TEXT, NULL, 0},  \
    {k ".status", l ": status", WBLAYOUT_LIST_STATUS, NULL, WBLAYOUT_TEXT, NULL, 0}
/* A Count: the number (or a status word) and its status. */
#define W_COUNT(k, l)                                                           \
    {k, l, WBLAYOUT_LIST_NO_VALUE, NULL, WBLAYOUT_NUMBER, NULL, 0},             \
    {k ".status", l ": status", WBLAYOUT_LIST_STATUS, NULL, WBLAYOUT_TEXT, NULL, 0}
/* A Money answer: the amount (or a status word), its currency, its status. */
#define W_MONEY(k, l)                                                                  \
    {k, l, WBLAYOUT_LIST_NO_VALUE, NULL, WBLAYOUT_NUMBER, NULL, 0},                    \
    {k ".currency", l ": currency", WBLAYOUT_LIST_CURRENCY, NULL, WBLAYOUT_TEXT, NULL, 0}, \
    {k ".status", l ": status", WBLAYOUT_LIST_STATUS, NULL, WBLAYOUT_TEXT, NULL, 0}
/* A form row: field path, question, list, code list, type, prefill. */
#define W_FORM(k, l, list, codes, type, prefill) {k, l, list, codes, type, prefill, 0}
/* One contributing agency: its name and its type. */
#define W_AGENCY(i, n)                                                                        \
    W_FORM ("contributing_agencies." i ".name", "Contributing agency " n ": name", 0, NULL,   \
            WBLAYOUT_TEXT, NULL),                                                            \
    W_FORM ("contributing_agencies." i ".type", "Contributing agency " n ": type",           \
            WBLAYOUT_LIST_CODES, "agency_type", WBLAYOUT_TEXT, NULL)
#define W_REF W_TEXT ("question_ref", "Question number on the paper form")
#define W_N(a) a, sizeof a / sizeof *a

static const wblayout_column_t s_envelope[] = {
    W_FORM ("submission_id", "Submission id (leave empty: the collector makes one; keep it when you send the same response again)", 0, NULL, WBLAYOUT_TEXT, NULL),
    W_FORM ("questionnaire", "Questionnaire", WBLAYOUT_LIST_QUESTIONNAIRE, NULL, WBLAYOUT_TEXT, "@KIND@"),
    W_FORM ("form_version", "Version of the paper form", 0, NULL, WBLAYOUT_TEXT, "@FORM@"),
    W_FORM ("reporting_country", "Reporting country (ISO 3166-1 alpha-3)", WBLAYOUT_LIST_COUNTRY, NULL, WBLAYOUT_TEXT, "@COUNTRY@"),
    W_FORM ("reporting_year", "Reporting year", 0, NULL, WBLAYOUT_NUMBER, "@YEAR@"),
    W_FORM ("completed_on", "Date signed off (YYYY-MM-DD)", 0, NULL, WBLAYOUT_DATE, NULL),
    W_FORM ("reference_period_start", "Reference period start, only if not the calendar year", 0, NULL, WBLAYOUT_DATE, NULL),
    W_FORM ("reference_period_end", "Reference period end, only if not the calendar year", 0, NULL, WBLAYOUT_DATE, NULL),
    W_FORM ("geographic_coverage", "Geographic coverage", WBLAYOUT_LIST_CODES, "geographic_coverage", WBLAYOUT_TEXT, "NATIONAL"),
    W_FORM ("coverage_note", "Coverage note (if partial)", 0, NULL, WBLAYOUT_TEXT, NULL),
    W_FORM ("revision_no", "Revision number (0 = first submission)", 0, NULL, WBLAYOUT_NUMBER, "0"),
    W_FORM ("supersedes_submission_id", "Submission id this revision replaces", 0, NULL, WBLAYOUT_TEXT, NULL),
    W_FORM ("revision_reason", "Reason for the revision", WBLAYOUT_LIST_CODES, "revision_reason", WBLAYOUT_TEXT, NULL),
    W_FORM ("focal_point.name", "Focal point: name", 0, NULL, WBLAYOUT_TEXT, NULL),
    W_FORM ("focal_point.agency", "Focal point: agency", 0, NULL, WBLAYOUT_TEXT, NULL),
    W_FORM ("focal_point.title", "Focal point: title", 0, NULL, WBLAYOUT_TEXT, NULL),
    W_FORM ("focal_point.email", "Focal point: e-mail", 0, NULL, WBLAYOUT_TEXT, NULL),
    W_FORM ("focal_point.phone", "Focal point: phone", 0, NULL, WBLAYOUT_TEXT, NULL),
    W_AGENCY ("0", "1"), W_AGENCY ("1", "2"), W_AGENCY ("2", "3"), W_AGENCY ("3", "4"),
    W_FORM ("language", "Language of the answers (ISO 639-1)", 0, NULL, WBLAYOUT_TEXT, "en"),
};

/* --- precursors ---------------------------------------------------------- */

static const wblayout_column_t s_p1[] = {
    W_LIST ("substance_code", "Substance", WBLAYOUT_LIST_SUBSTANCE),
    W_CODE ("physical_form", "Physical form", "physical_form"),
    W_QUANTITY ("quantity", "Quantity seized"),
    W_NUM ("concentration_pct", "Concentration %"),
    W_COUNT ("number_of_seizures", "Number of seizures"),
    W_TEXT ("origin_countries", "Countries of origin (ISO3, separated by ;)"),
    W_CODE ("origin_basis", "Origin established by", "origin_basis"),
    W_LIST ("no_seizures", "No seizures of this substance (yes confirms zero)", WBLAYOUT_LIST_BOOL),
    W_REF,
};

static const wblayout_column_t s_p2[] = {
    W_TEXT ("substance_name", "Substance name"),
    W_TEXT ("cas_number", "CAS number (NNNNNNN-NN-N)"),
    W_TEXT ("hs_code", "HS code"),
    W_LIST ("on_special_surveillance_list", "On the special surveillance list", WBLAYOUT_LIST_TRI),
    W_QUANTITY ("quantity", "Quantity seized"),
    W_CODE ("suspected_use", "Suspected use", "suspected_use"),
    W_REF,
};

static const wblayout_column_t s_p3[] = {
    W_CODE ("method", "Diversion method", "diversion_method"),
    W_LIST ("substance_code", "Substance", WBLAYOUT_LIST_SUBSTANCE),
    W_LIST ("observed", "Observed", WBLAYOUT_LIST_TRI),
    W_NUM ("rank", "Rank (1..n, 0 = not ranked)"),
    W_CODE ("trend", "Trend", "trend"),
    W_WIDE ("description", "Description"),
    W_REF,
};

static const wblayout_column_t s_p4[] = {
    W_CODE ("event_type", "Event", "shipment_event"),
    W_LIST ("substance_code", "Substance", WBLAYOUT_LIST_SUBSTANCE),
    W_QUANTITY ("quantity", "Quantity"),
    W_LIST ("exporting_country", "Exporting country", WBLAYOUT_LIST_COUNTRY),
    W_LIST ("importing_country", "Importing country", WBLAYOUT_LIST_COUNTRY),
    W_TEXT ("pen_reference", "PEN Online reference"),
    W_CODE ("reason", "Reason", "shipment_reason"),
    W_REF,
};

static const wblayout_column_t s_p5[] = {
    W_CODE ("lab_type", "Laboratory type", "lab_type"),
    W_COUNT ("count", "Number of laboratories"),
    W_TEXT ("admin_area", "Province / region"),
    W_REF,
};

static const wblayout_column_t s_p6[] = {
    W_TEXT ("incident_id", "Incident reference (rows with the same reference are one incident)"),
    W_CODE ("incident_type", "Incident type", "incident_type"),
    W_DATE ("incident_date", "Date (YYYY-MM-DD)"),
    W_TEXT ("location.admin_area", "Province / region"),
    W_TEXT ("location.place", "Place"),
    W_TEXT ("location.border_crossing", "Border crossing"),
    W_TEXT ("location.port", "Port"),
    W_NUM ("location.latitude", "Latitude"),
    W_NUM ("location.longitude", "Longitude"),
    W_LIST ("substance_code", "Substance", WBLAYOUT_LIST_SUBSTANCE),
    W_TEXT ("substance_name", "Substance name (if not scheduled)"),
    W_QUANTITY ("quantity", "Quantity"),
    W_NUM ("concentration_pct", "Concentration %"),
    W_CODE ("package_type", "Package type", "package_type"),
    W_COUNT ("package_count", "Number of packages"),
    W_LIST ("mixed_substances", "Mixed substances", WBLAYOUT_LIST_BOOL),
    W_WIDE ("declared_description", "Declared as"),
    W_CODE ("concealment", "Concealment", "concealment"),
    W_CODE ("identification_basis", "Identified by", "identification_basis"),
    W_CODE ("transport_mode", "Transport mode", "transport_mode"),
    W_WIDE ("route", "Route: COUNTRY:ROLE separated by > (e.g. TUR:ORIGIN>IRN:TRANSIT>AFG:DESTINATION)"),
    W_TEXT ("persons_nationalities", "Nationalities of persons (ISO3, separated by ;)"),
    W_CODE ("seizing_agency", "Seizing agency", "seizing_agency"),
    W_MONEY ("linked_money", "Money linked to the incident"),
    W_TEXT ("linked_transfer_channel", "Transfer channel of the money"),
    W_LIST ("communicated_via_pics", "Communicated via PICS", WBLAYOUT_LIST_BOOL),
    W_DATE ("pics_date", "PICS date (YYYY-MM-DD)"),
    W_CODE ("follow_up", "Follow-up", "follow_up"),
    W_REF,
};

static const wblayout_column_t s_p7[] = {
    W_CODE ("flow", "Import or export", "trade_flow"),
    W_LIST ("substance_code", "Substance", WBLAYOUT_LIST_SUBSTANCE),
    W_LIST ("partner_country", "Partner country", WBLAYOUT_LIST_COUNTRY),
    W_QUANTITY ("quantity", "Quantity"),
    W_QUANTITY ("licit_requirement_estimate", "Estimated licit requirement"),
    W_REF,
};

static const wblayout_column_t s_p8[] = {
    W_LIST ("substance_code", "Substance", WBLAYOUT_LIST_SUBSTANCE),
    W_CODE ("role", "Role of the country", "trafficking_role"),
    W_LIST ("country", "Country", WBLAYOUT_LIST_COUNTRY),
    W_NUM ("rank", "Rank"),
    W_NUM ("share_pct", "Share % (0-100)"),
    W_CODE ("route_code", "Route", "route_code"),
    W_REF,
};

/* --- financial flows ----------------------------------------------------- */

#define W_FF(k, l, list, codes, type) W_FORM ("financial_flows." k, l, list, codes, type, NULL)
static const wblayout_column_t s_b[] = {
    W_FF ("legal.ml_offence_exists", "B. Money laundering is an offence", WBLAYOUT_LIST_TRI, NULL, WBLAYOUT_TEXT),
    W_FF ("legal.drug_trafficking_is_ml_predicate", "B. Drug trafficking is a predicate offence", WBLAYOUT_LIST_TRI, NULL, WBLAYOUT_TEXT),
    W_FF ("legal.fiu_exists", "B. A financial intelligence unit exists", WBLAYOUT_LIST_TRI, NULL, WBLAYOUT_TEXT),
    W_FF ("legal.fiu_model", "B. FIU model", WBLAYOUT_LIST_CODES, "fiu_model", WBLAYOUT_TEXT),
    W_FF ("legal.fiu_established_year", "B. Year the FIU was established", 0, NULL, WBLAYOUT_NUMBER),
    W_FF ("legal.fiu_egmont_member", "B. FIU is an Egmont Group member", WBLAYOUT_LIST_TRI, NULL, WBLAYOUT_TEXT),
    W_FF ("legal.egmont_joined_year", "B. Year the FIU joined the Egmont Group", 0, NULL, WBLAYOUT_NUMBER),
    W_FF ("legal.fsrb_memberships", "B. FATF-style bodies (FATF, EAG, MONEYVAL, APG, MENAFATF, OTHER; separated by ;)", 0, NULL, WBLAYOUT_TEXT),
    W_FF ("legal.cash_declaration_system", "B. Cash declaration system", WBLAYOUT_LIST_CODES, "cash_declaration_system", WBLAYOUT_TEXT),
    W_FF ("legal.cash_declaration_threshold", "B. Cash declaration threshold (amount and currency, e.g. 10000 USD)", WBLAYOUT_LIST_NO_VALUE, NULL, WBLAYOUT_TEXT),
    W_FF ("legal.mvts_hawala_regime", "B. Regime for money transfer / hawala", WBLAYOUT_LIST_CODES, "mvts_regime", WBLAYOUT_TEXT),
    W_FF ("legal.non_conviction_based_confiscation", "B. Non-conviction-based confiscation", WBLAYOUT_LIST_TRI, NULL, WBLAYOUT_TEXT),
    W_FF ("legal.asset_recovery_office_exists", "B. An asset recovery office exists", WBLAYOUT_LIST_TRI, NULL, WBLAYOUT_TEXT),
    W_FF ("legal.virtual_assets_regulated", "B. Virtual assets are regulated", WBLAYOUT_LIST_TRI, NULL, WBLAYOUT_TEXT),
};

/* One line of the reports by sector: the sector and its number. */
#define W_SECTOR(i, n)                                                                          \
    W_FF ("str.received_by_sector." i ".sector", "C. Reports by sector, line " n ": sector",   \
          WBLAYOUT_LIST_CODES, "str_sector", WBLAYOUT_TEXT),                                  \
    W_FF ("str.received_by_sector." i ".reports", "C. Reports by sector, line " n ": reports", \
          WBLAYOUT_LIST_NO_VALUE, NULL, WBLAYOUT_NUMBER)
#define W_FF_COUNT(k, l) W_FF ("str." k, l, WBLAYOUT_LIST_NO_VALUE, NULL, WBLAYOUT_NUMBER)
static const wblayout_column_t s_c[] = {
    W_FF_COUNT ("received_total", "C. Suspicious transaction reports received"),
    W_SECTOR ("0", "1"), W_SECTOR ("1", "2"), W_SECTOR ("2", "3"), W_SECTOR ("3", "4"),
    W_SECTOR ("4", "5"), W_SECTOR ("5", "6"), W_SECTOR ("6", "7"), W_SECTOR ("7", "8"),
    W_FF_COUNT ("received_drug_related", "C. of which drug-related"),
    W_FF_COUNT ("received_afghan_opiates", "C. of which related to Afghan opiates"),
    W_FF_COUNT ("disseminated_total", "C. Reports disseminated"),
    W_FF_COUNT ("disseminated_drug_related", "C. of which drug-related"),
    W_FF_COUNT ("median_days_to_dissemination", "C. Median days to dissemination"),
    W_FF_COUNT ("fiu_requests_sent", "C. FIU requests sent"),
    W_FF_COUNT ("fiu_requests_received", "C. FIU requests received"),
    W_FF_COUNT ("cash_declarations_filed", "C. Cash declarations filed"),
    W_FF ("str.cash_declarations_value", "C. Value of cash declarations (amount and currency)", WBLAYOUT_LIST_NO_VALUE, NULL, WBLAYOUT_TEXT),
    W_FF ("str.cash_seized_at_border", "C. Cash seized at the border (amount and currency)", WBLAYOUT_LIST_NO_VALUE, NULL, WBLAYOUT_TEXT),
    W_FF_COUNT ("cash_seized_at_border_cases", "C. Cases of cash seized at the border"),
};

static const wblayout_column_t s_d[] = {
    W_CODE ("stage", "Stage", "enforcement_stage"),
    W_CODE ("scope", "Scope", "enforcement_scope"),
    W_CODE ("count_unit", "Counted in", "count_unit"),
    W_CODE ("counting_rule", "Counting rule", "counting_rule"),
    W_COUNT ("value", "Number"),
    W_WIDE ("sanctions_summary", "Sanctions imposed"),
    W_REF,
};

static const wblayout_column_t s_e[] = {
    W_CODE ("measure", "Measure", "asset_measure"),
    W_CODE ("asset_category", "Asset category", "asset_category"),
    W_CODE ("predicate_scope", "Predicate scope", "enforcement_scope"),
    W_MONEY ("amount", "Amount"),
    W_CODE ("valuation_basis", "Valuation basis", "valuation_basis"),
    W_COUNT ("cases", "Cases"),
    W_CODE ("origin_of_request", "Origin of the request", "origin_of_request"),
    W_LIST ("counterpart_country", "Counterpart country", WBLAYOUT_LIST_COUNTRY),
    W_REF,
};

static const wblayout_column_t s_f[] = {
    W_CODE ("method", "Method", "laundering_method"),
    W_LIST ("observed", "Observed", WBLAYOUT_LIST_TRI),
    W_NUM ("rank", "Rank (1..n, 0 = not ranked)"),
    W_CODE ("trend", "Trend", "trend"),
    W_CODE ("direction", "Direction", "flow_direction"),
    W_WIDE ("jurisdictions", "Jurisdictions as COUNTRY:ROLE separated by >"),
    W_TEXT ("currencies_observed", "Currencies observed (separated by ;)"),
    W_WIDE ("case_examples", "Case examples"),
    W_REF,
};

static const wblayout_column_t s_g[] = {
    W_CODE ("instrument", "Instrument", "coop_instrument"),
    W_CODE ("direction", "Sent or received", "coop_direction"),
    W_LIST ("counterpart_country", "Counterpart country (ISO3, MULTIPLE or UNKNOWN)", WBLAYOUT_LIST_COUNTRY),
    W_LIST ("drug_related", "Drug-related", WBLAYOUT_LIST_TRI),
    W_COUNT ("requests", "Requests"),
    W_COUNT ("executed", "Executed"),
    W_COUNT ("refused", "Refused"),
    W_COUNT ("pending_at_year_end", "Pending at the end of the year"),
    W_COUNT ("mean_response_days", "Mean response time, days"),
    W_COUNT ("pending_from_previous_year", "Pending from the previous year"),
    W_REF,
};

static const wblayout_column_t s_h[] = {
    W_FF ("challenges.categories", "H. Challenges (LEGAL_FRAMEWORK, INSTITUTIONAL_CAPACITY, DATA_AVAILABILITY, ...; separated by ;)", 0, NULL, WBLAYOUT_TEXT),
    W_FF ("challenges.challenge_text", "H. The main challenges", 0, NULL, WBLAYOUT_TEXT),
    W_FF ("challenges.lesson_learned_text", "H. Lessons learned", 0, NULL, WBLAYOUT_TEXT),
    W_FF ("challenges.good_practice_text", "H. Good practice", 0, NULL, WBLAYOUT_TEXT),
    W_FF ("challenges.assistance_needs", "H. Assistance needed (TRAINING, LEGISLATIVE_DRAFTING, IT_SYSTEMS, ANALYTICAL_TOOLS, OTHER; separated by ;)", 0, NULL, WBLAYOUT_TEXT),
    W_FF ("challenges.assistance_text", "H. Assistance needed, in words", 0, NULL, WBLAYOUT_TEXT),
};

static const wblayout_sheet_t s_sheets[] = {
    {"Envelope", NULL, NULL, N_ ("A. Who reports, for which year"),
     N_ ("who reports: country, year, focal point (section A)"), W_N (s_envelope)},
    {"P1_seizures", "precursors", "seizures", N_ ("P1. Annual seizures of Table I/II substances, one row per substance (questions P1.x)"),
     N_ ("P1: one row per scheduled substance seized in the year"), W_N (s_p1)},
    {"P2_non_scheduled", "precursors", "non_scheduled", N_ ("P2. Seizures of non-scheduled substances (questions P2.x)"),
     N_ ("P2: one row per non-scheduled substance"), W_N (s_p2)},
    {"P3_diversion_methods", "precursors", "diversion_methods", N_ ("P3. Diversion methods observed (questions P3.x)"),
     N_ ("P3: one row per method"), W_N (s_p3)},
    {"P4_stopped_shipments", "precursors", "stopped_shipments", N_ ("P4. Stopped and suspended shipments (questions P4.x)"),
     N_ ("P4: one row per shipment or event"), W_N (s_p4)},
    {"P5_labs", "precursors", "labs", N_ ("P5. Illicit laboratories dismantled (questions P5.x)"),
     N_ ("P5: one row per laboratory type"), W_N (s_p5)},
    {"P6_incidents", "precursors", "incidents", N_ ("P6. Individual incidents, one row per substance of an incident (questions P6.x)"),
     N_ ("P6: one row per substance of an incident; rows with the same incident reference are one incident"), W_N (s_p6)},
    {"P7_licit_trade", "precursors", "licit_trade", N_ ("P7. Licit trade (voluntary; questions P7.x)"),
     N_ ("P7: one row per flow and substance"), W_N (s_p7)},
    {"P8_routes", "precursors", "routes", N_ ("P8. Trafficking routes (questions P8.x)"),
     N_ ("P8: one row per substance and country"), W_N (s_p8)},
    {"B_legal", "financial_flows", NULL, N_ ("B. Legal and institutional framework"),
     N_ ("B: one answer per row"), W_N (s_b)},
    {"C_str", "financial_flows", NULL, N_ ("C. Suspicious transaction reports and cash declarations"),
     N_ ("C: one answer per row"), W_N (s_c)},
    {"D_enforcement", "financial_flows", "enforcement", N_ ("D. Investigations, prosecutions, convictions (questions D.x)"),
     N_ ("D: one row per stage, scope and counting unit"), W_N (s_d)},
    {"E_assets", "financial_flows", "assets", N_ ("E. Assets frozen, seized, confiscated (questions E.x)"),
     N_ ("E: one row per measure and asset category"), W_N (s_e)},
    {"F_methods", "financial_flows", "methods", N_ ("F. Laundering methods (questions F.x)"),
     N_ ("F: one row per method"), W_N (s_f)},
    {"G_cooperation", "financial_flows", "cooperation", N_ ("G. International cooperation (questions G.x)"),
     N_ ("G: one row per instrument, direction and counterpart"), W_N (s_g)},
    {"H_challenges", "financial_flows", NULL, N_ ("H. Challenges and assistance"),
     N_ ("H: one answer per row"), W_N (s_h)},
};
/* clang-format on */

const wblayout_sheet_t *
wblayout_sheets (size_t *n)
{
    *n = sizeof s_sheets / sizeof *s_sheets;
    return s_sheets;
}

const wblayout_sheet_t *
wblayout_sheet (const char *name)
{
    for (size_t i = 0; name && i < sizeof s_sheets / sizeof *s_sheets; i++)
        if (strcmp (s_sheets[i].name, name) == 0)
            return &s_sheets[i];
    return NULL;
}

bool
wblayout_sheet_in (const wblayout_sheet_t *sheet, const char *kind)
{
    return !sheet->kind || (kind && strcmp (sheet->kind, kind) == 0);
}

const wblayout_column_t *
wblayout_column (const wblayout_sheet_t *sheet, const char *key)
{
    for (size_t i = 0; key && i < sheet->n_columns; i++)
        if (strcmp (sheet->columns[i].key, key) == 0)
            return &sheet->columns[i];
    return NULL;
}

static const char *const s_status[] = {
    N_ ("reported"),           N_ ("estimated"),      N_ ("provisional"),
    N_ ("not available"),      N_ ("not applicable"), N_ ("confidential"),
    N_ ("included elsewhere"), N_ ("unanswered"),     NULL};
static const char *const s_no_value[] = {N_ ("not available"), N_ ("not applicable"),
                                         N_ ("confidential"),  N_ ("included elsewhere"),
                                         N_ ("unanswered"),    NULL};
static const char *const s_tri[] = {N_ ("yes"), N_ ("no"), N_ ("unknown"), NULL};
static const char *const s_bool[] = {N_ ("yes"), N_ ("no"), NULL};
static const char *const s_kinds[] = {"financial_flows", "precursors", NULL};

const char *const *
wblayout_words (wblayout_list_t list)
{
    switch (list) {
    case WBLAYOUT_LIST_STATUS: return s_status;
    case WBLAYOUT_LIST_NO_VALUE: return s_no_value;
    case WBLAYOUT_LIST_TRI: return s_tri;
    case WBLAYOUT_LIST_BOOL: return s_bool;
    case WBLAYOUT_LIST_QUESTIONNAIRE: return s_kinds;
    default: return NULL;
    }
}

const char *
wblayout_column_name (int col, char *buf)
{
    char rev[8];
    int n = 0;
    for (col++; col > 0 && n < 7; col = (col - 1) / 26)
        rev[n++] = (char) ('A' + (col - 1) % 26);
    for (int i = 0; i < n; i++)
        buf[i] = rev[n - 1 - i];
    buf[n] = '\0';
    return buf;
}
