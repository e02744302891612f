/* sections.c: the one description of every table the loader writes, and
 * what is produced from it: COPY column lists, COPY rows, the catalog check
 * and the data dictionary's column lists (see sections.h).
 *
 * The column arrays below are the only place where a stored column is
 * named.  Their order is the COPY order; the database's column order does
 * not matter (COPY names the columns), only that both sides have the same
 * set, which sections_check_catalog() verifies. */
#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcp_decimal.h"
#include "dcp_err.h"
#include "dcp_kg.h"
#include "dcp_refdata.h"
#include "sections.h"


/* ---------------------------------------------------------------------------
 * The description.  One line per column (or group of columns). */

/* The description is a table, one column a line: kept as written, not reformatted. */
/* clang-format off */
#define ID(doc) {"submission_id", SECTIONS_ID, SECTIONS_BASE_ROW, 0, 0, 0, 0, doc, 0}
#define ORD(doc) {"ord", SECTIONS_ORD, SECTIONS_BASE_ROW, 0, 0, 0, 0, doc, 0}
#define PARENT_ORD(name, doc) {name, SECTIONS_ORD, SECTIONS_BASE_ROW, 0, 1, 0, 0, doc, 0}
#define F(kind, T, f, doc) {#f, SECTIONS_##kind, SECTIONS_BASE_ROW, 0, offsetof (T, f), 0, 0, doc, 0}
#define FA(kind, name, T, f, doc)                                                      \
    {name, SECTIONS_##kind, SECTIONS_BASE_ROW, 0, offsetof (T, f), 0, 0, doc, 0}
#define ARRAY(T, f, doc)                                                               \
    {#f, SECTIONS_ARRAY, SECTIONS_BASE_ROW, 0, offsetof (T, n_##f), offsetof (T, f), 0, doc, 0}
#define QTY(name, T, f, substance, concentration, doc)                                 \
    {name, SECTIONS_QTY, SECTIONS_BASE_ROW, 0, offsetof (T, f), substance, concentration, doc, 0}
#define CONVENTION(T, f, doc)                                                          \
    {"convention_table", SECTIONS_CONVENTION_TABLE, SECTIONS_BASE_ROW, 0, offsetof (T, f), 0, 0, doc, 0}
#define LOCATION(f, doc)                                                               \
    {#f, SECTIONS_TEXT, SECTIONS_BASE_ROW, offsetof (Dcp__V1__Incident, location),     \
     offsetof (Dcp__V1__Location, f), 0, 0, doc, 0}
#define FOCAL_POINT(name, f, doc)                                                      \
    {name, SECTIONS_TEXT, SECTIONS_BASE_ROW, offsetof (Dcp__V1__Submission, focal_point), \
     offsetof (Dcp__V1__FocalPoint, f), 0, 0, doc, 0}
#define FORWARD(f, doc)                                                                \
    {#f, SECTIONS_TEXT, SECTIONS_BASE_FORWARD, 0, offsetof (Dcp__V1__Forward, f), 0, 0, doc, 0}
#define DERIVED(name, d, doc) {name, SECTIONS_DERIVED, SECTIONS_BASE_ROW, 0, d, 0, 0, doc, 0}
#define DB(name, doc) {name, SECTIONS_DB, SECTIONS_BASE_ROW, 0, 0, 0, 0, doc, 0}
#define PARAM(name, doc) {name, SECTIONS_PARAM, SECTIONS_BASE_ROW, 0, 0, 0, 0, doc, 0}
/* A figure of an annual seizure row, where no_seizures confirms a zero. */
#define SEIZURE_ZERO offsetof (Dcp__V1__AnnualSeizure, no_seizures)

/* dcp.submission_agency */
static const sections_column_t s_submission_agency[] = {
    ID ("submission UUID (FK to dcp.submission, ON DELETE RESTRICT)"),
    ORD ("0-based position of the row in its repeated list (as in finding paths)"),
    F (TEXT, Dcp__V1__Agency, name, "contributing agency name"),
    F (TEXT, Dcp__V1__Agency, type, "FIU, POLICE, CUSTOMS, PROSECUTION, COURT, DRUG_CONTROL_AGENCY, MINISTRY, OTHER"),
};

/* dcp.ff_legal */
static const sections_column_t s_ff_legal[] = {
    ID ("submission UUID (FK to dcp.submission, ON DELETE RESTRICT)"),
    F (TRI, Dcp__V1__LegalFramework, ml_offence_exists, "tri-state; NULL = not answered"),
    F (TRI, Dcp__V1__LegalFramework, drug_trafficking_is_ml_predicate, "tri-state; NULL = not answered"),
    F (TRI, Dcp__V1__LegalFramework, fiu_exists, "tri-state; NULL = not answered"),
    F (TEXT, Dcp__V1__LegalFramework, fiu_model, "ADMINISTRATIVE, LAW_ENFORCEMENT, JUDICIAL_PROSECUTORIAL, HYBRID"),
    F (OPT_INT32, Dcp__V1__LegalFramework, fiu_established_year, "year; NULL = not given"),
    F (TRI, Dcp__V1__LegalFramework, fiu_egmont_member, "tri-state; NULL = not answered"),
    F (OPT_INT32, Dcp__V1__LegalFramework, egmont_joined_year, "year; NULL = not given"),
    ARRAY (Dcp__V1__LegalFramework, fsrb_memberships, "FATF, EAG, MONEYVAL, APG, MENAFATF, OTHER (text[]; NULL = none given)"),
    F (TEXT, Dcp__V1__LegalFramework, cash_declaration_system, "DECLARATION, DISCLOSURE, NONE, UNKNOWN"),
    F (MONEY, Dcp__V1__LegalFramework, cash_declaration_threshold, "threshold above which cash must be declared"),
    F (TEXT, Dcp__V1__LegalFramework, mvts_hawala_regime, "LICENSING, REGISTRATION, PROHIBITED, UNREGULATED, UNKNOWN"),
    F (TRI, Dcp__V1__LegalFramework, non_conviction_based_confiscation, "tri-state; NULL = not answered"),
    F (TRI, Dcp__V1__LegalFramework, asset_recovery_office_exists, "tri-state; NULL = not answered"),
    F (TRI, Dcp__V1__LegalFramework, virtual_assets_regulated, "tri-state; NULL = not answered"),
    F (TEXT, Dcp__V1__LegalFramework, question_ref, "question number on the form for the row, if given"),
};

/* dcp.ff_str */
static const sections_column_t s_ff_str[] = {
    ID ("submission UUID (FK to dcp.submission, ON DELETE RESTRICT)"),
    F (COUNT, Dcp__V1__SuspiciousTransactions, received_total, "STRs received by the FIU in the year, all (reports)"),
    F (COUNT, Dcp__V1__SuspiciousTransactions, received_drug_related, "of which drug-related (reports)"),
    F (COUNT, Dcp__V1__SuspiciousTransactions, received_afghan_opiates, "of which related to Afghan opiates (reports)"),
    F (COUNT, Dcp__V1__SuspiciousTransactions, disseminated_total, "STRs disseminated to law enforcement, all (reports)"),
    F (COUNT, Dcp__V1__SuspiciousTransactions, disseminated_drug_related, "of which drug-related (reports)"),
    F (COUNT, Dcp__V1__SuspiciousTransactions, median_days_to_dissemination, "median days from receipt to dissemination (days)"),
    F (COUNT, Dcp__V1__SuspiciousTransactions, fiu_requests_sent, "FIU-to-FIU requests sent (requests)"),
    F (COUNT, Dcp__V1__SuspiciousTransactions, fiu_requests_received, "FIU-to-FIU requests received (requests)"),
    F (COUNT, Dcp__V1__SuspiciousTransactions, cash_declarations_filed, "cash declarations filed (declarations)"),
    F (MONEY, Dcp__V1__SuspiciousTransactions, cash_declarations_value, "value of cash declarations"),
    F (MONEY, Dcp__V1__SuspiciousTransactions, cash_seized_at_border, "cash seized at the border"),
    F (COUNT, Dcp__V1__SuspiciousTransactions, cash_seized_at_border_cases, "cases of cash seized at the border (cases)"),
};

/* dcp.ff_str_sector */
static const sections_column_t s_ff_str_sector[] = {
    ID ("submission UUID (FK to dcp.submission, ON DELETE RESTRICT)"),
    ORD ("0-based position of the row in its repeated list (as in finding paths)"),
    F (TEXT, Dcp__V1__SectorCount, sector, "BANK, MVTS, CURRENCY_EXCHANGE, SECURITIES, INSURANCE, DNFBP, VASP, OTHER"),
    F (COUNT, Dcp__V1__SectorCount, reports, "STRs received from this sector (reports)"),
};

/* dcp.ff_enforcement */
static const sections_column_t s_ff_enforcement[] = {
    ID ("submission UUID (FK to dcp.submission, ON DELETE RESTRICT)"),
    ORD ("0-based position of the row in its repeated list (as in finding paths)"),
    F (TEXT, Dcp__V1__EnforcementRow, stage, "INVESTIGATION, PROSECUTION, CONVICTION, ACQUITTAL"),
    F (TEXT, Dcp__V1__EnforcementRow, scope, "ML_ALL, ML_DRUG_PREDICATE, ML_AFGHAN_OPIATES, DRUG_TRAFFICKING_WITH_PARALLEL_FIN_INVESTIGATION"),
    F (TEXT, Dcp__V1__EnforcementRow, count_unit, "CASES, PERSONS_NATURAL, PERSONS_LEGAL, PROCEEDINGS"),
    F (TEXT, Dcp__V1__EnforcementRow, counting_rule, "STARTED_IN_YEAR, CONCLUDED_IN_YEAR, OPEN_AT_YEAR_END"),
    FA (COUNT, "count", Dcp__V1__EnforcementRow, value, "number at this stage/scope (unit given by count_unit)"),
    F (TEXT, Dcp__V1__EnforcementRow, sanctions_summary, "free text"),
    F (TEXT, Dcp__V1__EnforcementRow, question_ref, "question number on the form for the row, if given"),
};

/* dcp.ff_asset */
static const sections_column_t s_ff_asset[] = {
    ID ("submission UUID (FK to dcp.submission, ON DELETE RESTRICT)"),
    ORD ("0-based position of the row in its repeated list (as in finding paths)"),
    F (TEXT, Dcp__V1__AssetRow, measure, "FROZEN, SEIZED, CONFISCATED, RECOVERED_REPATRIATED, SHARED"),
    F (TEXT, Dcp__V1__AssetRow, asset_category, "CASH, BANK_ACCOUNT, REAL_ESTATE, VEHICLE, PRECIOUS_METAL_STONE, SECURITIES, BUSINESS, VIRTUAL_ASSET, OTHER"),
    F (TEXT, Dcp__V1__AssetRow, predicate_scope, "ML_ALL, ML_DRUG_PREDICATE, ML_AFGHAN_OPIATES, DRUG_TRAFFICKING_WITH_PARALLEL_FIN_INVESTIGATION"),
    F (MONEY, Dcp__V1__AssetRow, amount, "asset value"),
    F (TEXT, Dcp__V1__AssetRow, valuation_basis, "NOMINAL, ESTIMATED_MARKET, REALISED_ON_SALE, UNKNOWN"),
    F (COUNT, Dcp__V1__AssetRow, cases, "cases behind the amount (cases)"),
    F (TEXT, Dcp__V1__AssetRow, origin_of_request, "DOMESTIC, FOREIGN_REQUEST, JOINT"),
    F (TEXT, Dcp__V1__AssetRow, counterpart_country, "ISO3 (MULTIPLE or UNKNOWN for cooperation)"),
    F (TEXT, Dcp__V1__AssetRow, question_ref, "question number on the form for the row, if given"),
};

/* dcp.ff_method */
static const sections_column_t s_ff_method[] = {
    ID ("submission UUID (FK to dcp.submission, ON DELETE RESTRICT)"),
    ORD ("0-based position of the row in its repeated list (as in finding paths)"),
    F (TEXT, Dcp__V1__LaunderingMethod, method, "method code (proto/QUESTIONNAIRE.md 5.9 for ff_method, 5.10 for pc_diversion)"),
    F (TRI, Dcp__V1__LaunderingMethod, observed, "tri-state YES / NO / UNKNOWN; NULL = not answered"),
    F (OPT_UINT32, Dcp__V1__LaunderingMethod, rank, "rank 1..n (1 = most important); NULL = not ranked"),
    F (TEXT, Dcp__V1__LaunderingMethod, trend, "INCREASING, STABLE, DECREASING, UNKNOWN"),
    F (TEXT, Dcp__V1__LaunderingMethod, direction, "ff_method: INTO_AFGHANISTAN, OUT_OF_AFGHANISTAN, WITHIN_COUNTRY, TRANSIT, UNKNOWN; ff_cooperation: SENT, RECEIVED"),
    ARRAY (Dcp__V1__LaunderingMethod, currencies_observed, "ISO 4217 codes (text[]; NULL = none given)"),
    F (TEXT, Dcp__V1__LaunderingMethod, case_examples, "free text (sanitised, no personal data)"),
    F (TEXT, Dcp__V1__LaunderingMethod, question_ref, "question number on the form for the row, if given"),
};

/* dcp.ff_method_jurisdiction */
static const sections_column_t s_ff_method_jurisdiction[] = {
    ID ("submission UUID (FK to dcp.submission, ON DELETE RESTRICT)"),
    PARENT_ORD ("method_ord", "ord of the parent ff_method row"),
    ORD ("0-based position of the row in its repeated list (as in finding paths)"),
    F (TEXT, Dcp__V1__Jurisdiction, country, "ISO3 country code (or UNKNOWN)"),
    F (TEXT, Dcp__V1__Jurisdiction, role, "role code of the country in the route/jurisdiction list"),
};

/* dcp.ff_cooperation */
static const sections_column_t s_ff_cooperation[] = {
    ID ("submission UUID (FK to dcp.submission, ON DELETE RESTRICT)"),
    ORD ("0-based position of the row in its repeated list (as in finding paths)"),
    F (TEXT, Dcp__V1__CooperationRow, instrument, "MLA, EXTRADITION, FIU_EXCHANGE, POLICE_COOPERATION, CUSTOMS_COOPERATION, ASSET_SHARING"),
    F (TEXT, Dcp__V1__CooperationRow, direction, "ff_method: INTO_AFGHANISTAN, OUT_OF_AFGHANISTAN, WITHIN_COUNTRY, TRANSIT, UNKNOWN; ff_cooperation: SENT, RECEIVED"),
    F (TEXT, Dcp__V1__CooperationRow, counterpart_country, "ISO3 (MULTIPLE or UNKNOWN for cooperation)"),
    F (TRI, Dcp__V1__CooperationRow, drug_related, "tri-state YES / NO / UNKNOWN; NULL = not answered"),
    F (COUNT, Dcp__V1__CooperationRow, requests, "requests (requests)"),
    F (COUNT, Dcp__V1__CooperationRow, executed, "requests executed (requests)"),
    F (COUNT, Dcp__V1__CooperationRow, refused, "requests refused (requests)"),
    F (COUNT, Dcp__V1__CooperationRow, pending_at_year_end, "requests pending at year end (requests)"),
    F (COUNT, Dcp__V1__CooperationRow, mean_response_days, "mean response time (days)"),
    F (COUNT, Dcp__V1__CooperationRow, pending_from_previous_year, "requests carried over from the previous year (requests)"),
    F (TEXT, Dcp__V1__CooperationRow, question_ref, "question number on the form for the row, if given"),
};

/* dcp.ff_challenge */
static const sections_column_t s_ff_challenge[] = {
    ID ("submission UUID (FK to dcp.submission, ON DELETE RESTRICT)"),
    ARRAY (Dcp__V1__Challenges, categories, "challenge categories (text[] of codes; NULL = none given)"),
    F (TEXT, Dcp__V1__Challenges, challenge_text, "free text"),
    F (TEXT, Dcp__V1__Challenges, lesson_learned_text, "free text"),
    F (TEXT, Dcp__V1__Challenges, good_practice_text, "free text"),
    ARRAY (Dcp__V1__Challenges, assistance_needs, "TRAINING, LEGISLATIVE_DRAFTING, IT_SYSTEMS, ANALYTICAL_TOOLS, OTHER (text[]; NULL = none given)"),
    F (TEXT, Dcp__V1__Challenges, assistance_text, "free text"),
};

/* dcp.pc_seizure */
static const sections_column_t s_pc_seizure[] = {
    ID ("submission UUID (FK to dcp.submission, ON DELETE RESTRICT)"),
    ORD ("0-based position of the row in its repeated list (as in finding paths)"),
    F (TEXT, Dcp__V1__AnnualSeizure, substance_code, "substance code (ref_substances.code, proto/QUESTIONNAIRE.md 5.1)"),
    CONVENTION (Dcp__V1__AnnualSeizure, substance_code, "DERIVED: 1988 Convention table (1 = Table I, 2 = Table II) of the substance at the incident date (P6) or 31 December of the reporting year (P1), from ref_substance_schedule; NULL = not scheduled then"),
    F (TEXT, Dcp__V1__AnnualSeizure, physical_form, "BULK_LIQUID, BULK_SOLID, SOLUTION, PREPARATION, MIXTURE, UNKNOWN"),
    {"quantity", SECTIONS_QTY, SECTIONS_BASE_ROW, 0, offsetof (Dcp__V1__AnnualSeizure, quantity), offsetof (Dcp__V1__AnnualSeizure, substance_code), offsetof (Dcp__V1__AnnualSeizure, concentration_pct), "quantity as reported; no_seizures true: stored as 0 REPORTED (kg 0, kg_method 'no_seizures')", SEIZURE_ZERO},
    F (TEXT, Dcp__V1__AnnualSeizure, concentration_pct, "concentration in % w/w, if given (used to choose the density)"),
    {"number_of_seizures", SECTIONS_COUNT, SECTIONS_BASE_ROW, 0, offsetof (Dcp__V1__AnnualSeizure, number_of_seizures), 0, 0, "number of seizure cases; no_seizures true: stored as 0 REPORTED (cases)", SEIZURE_ZERO},
    ARRAY (Dcp__V1__AnnualSeizure, origin_countries, "ISO3 origins or UNKNOWN (text[]; NULL = none given)"),
    F (TEXT, Dcp__V1__AnnualSeizure, origin_basis, "LABEL, DOCUMENTS, INVESTIGATION, FORENSIC, ASSUMED"),
    F (BOOL, Dcp__V1__AnnualSeizure, no_seizures, "true: the country confirms zero seizures of this substance (the explicit zero, V-GEN-04); its quantity and number_of_seizures are then stored as 0 REPORTED, not as absent"),
    F (TEXT, Dcp__V1__AnnualSeizure, question_ref, "question number on the form for the row, if given"),
};

/* dcp.pc_nonscheduled */
static const sections_column_t s_pc_nonscheduled[] = {
    ID ("submission UUID (FK to dcp.submission, ON DELETE RESTRICT)"),
    ORD ("0-based position of the row in its repeated list (as in finding paths)"),
    F (TEXT, Dcp__V1__NonScheduledSeizure, substance_name, "substance as named by the country (non-scheduled, or with no code)"),
    F (TEXT, Dcp__V1__NonScheduledSeizure, cas_number, "CAS registry number"),
    F (TEXT, Dcp__V1__NonScheduledSeizure, hs_code, "HS code (6 digits)"),
    F (TRI, Dcp__V1__NonScheduledSeizure, on_special_surveillance_list, "tri-state: on the INCB special surveillance list"),
    QTY ("quantity", Dcp__V1__NonScheduledSeizure, quantity, 0, 0, "quantity as reported"),
    F (TEXT, Dcp__V1__NonScheduledSeizure, suspected_use, "HEROIN, COCAINE, METHAMPHETAMINE, AMPHETAMINE, MDMA, FENTANYLS, OTHER, UNKNOWN"),
    F (TEXT, Dcp__V1__NonScheduledSeizure, question_ref, "question number on the form for the row, if given"),
};

/* dcp.pc_diversion */
static const sections_column_t s_pc_diversion[] = {
    ID ("submission UUID (FK to dcp.submission, ON DELETE RESTRICT)"),
    ORD ("0-based position of the row in its repeated list (as in finding paths)"),
    F (TEXT, Dcp__V1__DiversionMethod, method, "method code (proto/QUESTIONNAIRE.md 5.9 for ff_method, 5.10 for pc_diversion)"),
    F (TEXT, Dcp__V1__DiversionMethod, substance_code, "substance code (ref_substances.code, proto/QUESTIONNAIRE.md 5.1)"),
    F (TRI, Dcp__V1__DiversionMethod, observed, "tri-state YES / NO / UNKNOWN; NULL = not answered"),
    F (OPT_UINT32, Dcp__V1__DiversionMethod, rank, "rank 1..n (1 = most important); NULL = not ranked"),
    F (TEXT, Dcp__V1__DiversionMethod, trend, "INCREASING, STABLE, DECREASING, UNKNOWN"),
    F (TEXT, Dcp__V1__DiversionMethod, description, "free text"),
    F (TEXT, Dcp__V1__DiversionMethod, question_ref, "question number on the form for the row, if given"),
};

/* dcp.pc_stopped_shipment */
static const sections_column_t s_pc_stopped_shipment[] = {
    ID ("submission UUID (FK to dcp.submission, ON DELETE RESTRICT)"),
    ORD ("0-based position of the row in its repeated list (as in finding paths)"),
    F (TEXT, Dcp__V1__StoppedShipment, event_type, "STOPPED_SHIPMENT, SUSPENDED_SHIPMENT, SUSPICIOUS_ORDER, SUSPICIOUS_ENQUIRY, THEFT, ATTEMPTED_DIVERSION"),
    F (TEXT, Dcp__V1__StoppedShipment, substance_code, "substance code (ref_substances.code, proto/QUESTIONNAIRE.md 5.1)"),
    QTY ("quantity", Dcp__V1__StoppedShipment, quantity, offsetof (Dcp__V1__StoppedShipment, substance_code), 0, "quantity as reported"),
    F (TEXT, Dcp__V1__StoppedShipment, exporting_country, "ISO3"),
    F (TEXT, Dcp__V1__StoppedShipment, importing_country, "ISO3"),
    F (TEXT, Dcp__V1__StoppedShipment, pen_reference, "PEN Online notification id"),
    F (TEXT, Dcp__V1__StoppedShipment, reason, "NO_IMPORT_AUTH, CONSIGNEE_UNVERIFIED, QUANTITY_EXCESSIVE, ROUTING_SUSPICIOUS, OTHER"),
    F (TEXT, Dcp__V1__StoppedShipment, question_ref, "question number on the form for the row, if given"),
};

/* dcp.pc_lab */
static const sections_column_t s_pc_lab[] = {
    ID ("submission UUID (FK to dcp.submission, ON DELETE RESTRICT)"),
    ORD ("0-based position of the row in its repeated list (as in finding paths)"),
    F (TEXT, Dcp__V1__IllicitLab, lab_type, "MORPHINE, HEROIN, MORPHINE_HEROIN, METHAMPHETAMINE, ACETIC_ANHYDRIDE_MANUFACTURE, OTHER"),
    FA (COUNT, "labs", Dcp__V1__IllicitLab, count, "laboratories dismantled (labs)"),
    F (TEXT, Dcp__V1__IllicitLab, admin_area, "province / ISO 3166-2 subdivision"),
    F (TEXT, Dcp__V1__IllicitLab, question_ref, "question number on the form for the row, if given"),
};

/* dcp.pc_lab_chemical */
static const sections_column_t s_pc_lab_chemical[] = {
    ID ("submission UUID (FK to dcp.submission, ON DELETE RESTRICT)"),
    PARENT_ORD ("lab_ord", "ord of the parent pc_lab row"),
    ORD ("0-based position of the row in its repeated list (as in finding paths)"),
    F (TEXT, Dcp__V1__LabChemical, substance_code, "substance code (ref_substances.code, proto/QUESTIONNAIRE.md 5.1)"),
    QTY ("quantity", Dcp__V1__LabChemical, quantity, offsetof (Dcp__V1__LabChemical, substance_code), 0, "quantity as reported"),
};

/* dcp.pc_incident */
static const sections_column_t s_pc_incident[] = {
    ID ("submission UUID (FK to dcp.submission, ON DELETE RESTRICT)"),
    ORD ("0-based position of the row in its repeated list (as in finding paths)"),
    F (TEXT, Dcp__V1__Incident, incident_id, "national reference of the incident"),
    F (TEXT, Dcp__V1__Incident, incident_type, "SEIZURE, STOPPED_IN_TRANSIT, SUSPENDED, ILLICIT_LAB, DIVERSION, ATTEMPTED_DIVERSION, THEFT"),
    F (TEXT, Dcp__V1__Incident, incident_date, "date of the incident"),
    LOCATION (admin_area, "province / ISO 3166-2 subdivision"),
    LOCATION (place, "place name"),
    LOCATION (border_crossing, "border crossing point"),
    LOCATION (port, "port"),
    LOCATION (latitude, "decimal degrees, NULL = not given"),
    LOCATION (longitude, "decimal degrees, NULL = not given"),
    F (TEXT, Dcp__V1__Incident, declared_description, "what the documents declared (e.g. \"motor oil\")"),
    F (TEXT, Dcp__V1__Incident, concealment, "MISDECLARED, MIXED_WITH_LEGAL_CARGO, HIDDEN_COMPARTMENT, RELABELLED, NONE, UNKNOWN"),
    F (TEXT, Dcp__V1__Incident, identification_basis, "LABEL_OR_DOCUMENTS, FIELD_TEST, LAB_ANALYSIS, UNKNOWN"),
    F (TEXT, Dcp__V1__Incident, transport_mode, "UN/ECE Rec. 19: SEA, RAIL, ROAD, AIR, POST, FIXED, INLAND_WATER, UNKNOWN"),
    ARRAY (Dcp__V1__Incident, persons_nationalities, "ISO3 nationalities of persons involved (text[]; no names)"),
    F (TEXT, Dcp__V1__Incident, seizing_agency, "CUSTOMS, POLICE, BORDER_POLICE, DRUG_CONTROL_AGENCY, OTHER"),
    F (MONEY, Dcp__V1__Incident, linked_money, "money linked to the incident (e.g. hawala transfer)"),
    F (TEXT, Dcp__V1__Incident, linked_transfer_channel, "e.g. hawala"),
    F (BOOL, Dcp__V1__Incident, communicated_via_pics, "communicated through INCB PICS"),
    F (TEXT, Dcp__V1__Incident, pics_date, "date communicated via PICS"),
    F (TEXT, Dcp__V1__Incident, follow_up, "BACKTRACKING_INITIATED, CONTROLLED_DELIVERY, JOINT_INVESTIGATION, NONE"),
    F (TEXT, Dcp__V1__Incident, question_ref, "question number on the form for the row, if given"),
};

/* dcp.pc_incident_substance */
static const sections_column_t s_pc_incident_substance[] = {
    ID ("submission UUID (FK to dcp.submission, ON DELETE RESTRICT)"),
    PARENT_ORD ("incident_ord", "ord of the parent pc_incident row"),
    ORD ("0-based position of the row in its repeated list (as in finding paths)"),
    F (TEXT, Dcp__V1__IncidentSubstance, substance_code, "substance code (ref_substances.code, proto/QUESTIONNAIRE.md 5.1)"),
    F (TEXT, Dcp__V1__IncidentSubstance, substance_name, "substance as named by the country (non-scheduled, or with no code)"),
    CONVENTION (Dcp__V1__IncidentSubstance, substance_code, "DERIVED: 1988 Convention table (1 = Table I, 2 = Table II) of the substance at the incident date (P6) or 31 December of the reporting year (P1), from ref_substance_schedule; NULL = not scheduled then"),
    QTY ("quantity", Dcp__V1__IncidentSubstance, quantity, offsetof (Dcp__V1__IncidentSubstance, substance_code), offsetof (Dcp__V1__IncidentSubstance, concentration_pct), "quantity as reported"),
    F (TEXT, Dcp__V1__IncidentSubstance, concentration_pct, "concentration in % w/w, if given (used to choose the density)"),
    F (TEXT, Dcp__V1__IncidentSubstance, package_type, "DRUM, CAN, JERRYCAN, IBC, CONTAINER_20FT, CONTAINER_40FT, BOTTLE, BAG"),
    F (COUNT, Dcp__V1__IncidentSubstance, package_count, "number of packages (drums, cans...), kept apart from the quantity (packages)"),
    F (BOOL, Dcp__V1__IncidentSubstance, mixed_substances, "one figure covers several substances (V-PRE-04): not assignable to one substance total"),
};

/* dcp.pc_incident_route */
static const sections_column_t s_pc_incident_route[] = {
    ID ("submission UUID (FK to dcp.submission, ON DELETE RESTRICT)"),
    PARENT_ORD ("incident_ord", "ord of the parent pc_incident row"),
    ORD ("0-based position of the row in its repeated list (as in finding paths)"),
    F (TEXT, Dcp__V1__RouteLeg, country, "ISO3 country code (or UNKNOWN)"),
    F (TEXT, Dcp__V1__RouteLeg, role, "role code of the country in the route/jurisdiction list"),
};

/* dcp.pc_licit_trade */
static const sections_column_t s_pc_licit_trade[] = {
    ID ("submission UUID (FK to dcp.submission, ON DELETE RESTRICT)"),
    ORD ("0-based position of the row in its repeated list (as in finding paths)"),
    F (TEXT, Dcp__V1__LicitTrade, flow, "IMPORT, EXPORT"),
    F (TEXT, Dcp__V1__LicitTrade, substance_code, "substance code (ref_substances.code, proto/QUESTIONNAIRE.md 5.1)"),
    F (TEXT, Dcp__V1__LicitTrade, partner_country, "ISO3 trade partner"),
    QTY ("quantity", Dcp__V1__LicitTrade, quantity, offsetof (Dcp__V1__LicitTrade, substance_code), 0, "quantity as reported"),
    QTY ("requirement", Dcp__V1__LicitTrade, licit_requirement_estimate, offsetof (Dcp__V1__LicitTrade, substance_code), 0, "annual licit requirement estimate"),
    F (TEXT, Dcp__V1__LicitTrade, question_ref, "question number on the form for the row, if given"),
};

/* dcp.pc_route */
static const sections_column_t s_pc_route[] = {
    ID ("submission UUID (FK to dcp.submission, ON DELETE RESTRICT)"),
    ORD ("0-based position of the row in its repeated list (as in finding paths)"),
    F (TEXT, Dcp__V1__TraffickingRoute, substance_code, "substance code (ref_substances.code, proto/QUESTIONNAIRE.md 5.1)"),
    F (TEXT, Dcp__V1__TraffickingRoute, role, "role code of the country in the route/jurisdiction list"),
    F (TEXT, Dcp__V1__TraffickingRoute, country, "ISO3 country code (or UNKNOWN)"),
    F (OPT_UINT32, Dcp__V1__TraffickingRoute, rank, "rank 1..n (1 = most important); NULL = not ranked"),
    F (TEXT, Dcp__V1__TraffickingRoute, share_pct, "share of seized quantity, % (numeric)"),
    F (TEXT, Dcp__V1__TraffickingRoute, route_code, "NORTHERN, BALKAN, SOUTHERN, OTHER"),
};

/* dcp.submission */
static const sections_column_t s_submission[] = {
    ID ("UUID made by the collector, kept across retries; the idempotency key"),
    DERIVED ("content_sha256", SECTIONS_D_SHA256, "SHA-256 of raw (32 bytes); same id + other hash = conflict"),
    DERIVED ("raw", SECTIONS_D_RAW, "the protobuf Submission bytes exactly as received (the immutable record)"),
    DERIVED ("questionnaire", SECTIONS_D_QUESTIONNAIRE, "'financial_flows' or 'precursors'"),
    F (UINT32, Dcp__V1__Submission, schema_version, "wire contract version of the message"),
    F (TEXT, Dcp__V1__Submission, form_version, "version of the paper form (e.g. FF-2010.1)"),
    F (TEXT, Dcp__V1__Submission, reporting_country, "ISO 3166-1 alpha-3 (or XKX) of the reporting country"),
    F (INT32, Dcp__V1__Submission, reporting_year, "calendar year reported on"),
    F (TEXT, Dcp__V1__Submission, finalised_at, "time the focal point finalised the response"),
    F (TEXT, Dcp__V1__Submission, completed_on, "date signed off on the form"),
    F (TEXT, Dcp__V1__Submission, reference_period_start, "only when the period is not the calendar year"),
    F (TEXT, Dcp__V1__Submission, reference_period_end, "only when the period is not the calendar year"),
    F (TEXT, Dcp__V1__Submission, geographic_coverage, "NATIONAL or PARTIAL (PARTIAL: exclude from cross-country totals)"),
    F (TEXT, Dcp__V1__Submission, coverage_note, "free text, e.g. \"England & Wales only\""),
    F (UINT32, Dcp__V1__Submission, revision_no, "0 = first submission, then +1 per revision"),
    FA (TEXT, "supersedes", Dcp__V1__Submission, supersedes_submission_id, "submission this revision replaces (NULL for revision 0); each submission is superseded at most once"),
    F (TEXT, Dcp__V1__Submission, revision_reason, "CORRECTION, LATE_DATA, DEFINITION_CHANGE, OTHER"),
    F (TEXT, Dcp__V1__Submission, language, "ISO 639-1 of the form"),
    FOCAL_POINT ("focal_point_name", name, "PERSONAL DATA: focal point (not in any view)"),
    FOCAL_POINT ("focal_point_agency", agency, "PERSONAL DATA"),
    FOCAL_POINT ("focal_point_title", title, "PERSONAL DATA"),
    FOCAL_POINT ("focal_point_email", email, "PERSONAL DATA"),
    FOCAL_POINT ("focal_point_phone", phone, "PERSONAL DATA"),
    FORWARD (sender_key, "Z85 CURVE public key of the collector that sent it (not in views)"),
    FORWARD (sender_country, "country registered for that key"),
    FORWARD (sender_name, "name registered for that key"),
    FORWARD (validator_id, "validator instance that checked it"),
    FORWARD (received_at, "time the validator received it (validator clock)"),
    DB ("stored_at", "time of the storing transaction (= stored_at of the receipt)"),
    DERIVED ("is_current", SECTIONS_D_IS_CURRENT, "true for the one current revision of (country, questionnaire, year); partial unique index"),
    DERIVED ("review_state", SECTIONS_D_REVIEW_STATE, "'received', 'has_issues' (stored with warnings), 'approved', 'rejected' (analyst review, as ODK Central)"),
    DERIVED ("n_numbers", SECTIONS_D_N_NUMBERS, "numbers (counts, amounts, quantities) in the response, incl. unanswered ones"),
    DERIVED ("n_reported", SECTIONS_D_N_REPORTED, "of which with a value (REPORTED, ESTIMATED, PROVISIONAL)"),
    DERIVED ("n_not_available", SECTIONS_D_N_NOT_AVAILABLE, "of which absent with a reason (NOT_AVAILABLE, NOT_APPLICABLE, CONFIDENTIAL, INCLUDED_ELSEWHERE)"),
    DERIVED ("n_unanswered", SECTIONS_D_N_UNANSWERED, "of which UNANSWERED (or missing)"),
    DERIVED ("completeness_pct", SECTIONS_D_COMPLETENESS, "V-X-05: 100 x n_reported / n_numbers; NULL if no numbers"),
    DERIVED ("n_warnings", SECTIONS_D_N_WARNINGS, "warnings stored in dcp.finding"),
    DERIVED ("n_infos", SECTIONS_D_N_INFOS, "infos stored in dcp.finding"),
};

/* dcp.finding */
static const sections_column_t s_finding[] = {
    ID ("submission UUID (FK to dcp.submission, ON DELETE RESTRICT)"),
    ORD ("0-based position of the row in its repeated list (as in finding paths)"),
    F (TEXT_OR_DASH, dcp_finding_t, rule, "rule id, e.g. 'V-ENV-03', 'V-ENV-06', 'V-PRE-07'"),
    DERIVED ("severity", SECTIONS_D_SEVERITY, "'warning' or 'info' ('error' only if a validator forwarded one on an accepted item)"),
    F (TEXT_OR_EMPTY, dcp_finding_t, path, "JSON pointer into the response, '' for the whole submission"),
    F (TEXT_OR_DASH, dcp_finding_t, message, "plain words for the focal point"),
};

/* dcp.quarantine */
static const sections_column_t s_quarantine[] = {
    DB ("id", "row id"),
    PARAM ("submission_id", "id as sent (text: may be invalid; invalid UTF-8 replaced, cut at 128 characters)"),
    PARAM ("content_sha256", "SHA-256 of raw; unique with submission_id and the sender key (migration 0006), so a resend lands once and a rejection for one sender never answers another"),
    PARAM ("raw", "bytes as received (may not decode)"),
    PARAM ("reason", "'invalid' (validator errors), 'undecodable', 'conflict' (same id, other content), 'wrong_country' (security event), 'revision' (V-ENV-06), 'db_refused' (the database refused a value)"),
    PARAM ("problems", "JSON array of {code, severity, path, message}: every problem, returned again on a resend"),
    PARAM ("questionnaire", "if decodable"),
    PARAM ("reporting_country", "as claimed, if decodable"),
    PARAM ("reporting_year", "if decodable"),
    PARAM ("sender_key", "collector key"),
    PARAM ("sender_country", "country registered for the key"),
    PARAM ("sender_name", "name registered for the key"),
    PARAM ("validator_id", "validator instance"),
    PARAM ("received_at", "validator clock; NULL if unparsable"),
    DB ("stored_at", "time of the storing transaction"),
};

/* dcp.security_event */
static const sections_column_t s_security_event[] = {
    DB ("id", "row id"),
    PARAM ("kind", "'wrong_country': a collector sent data for a country its key is not registered for"),
    PARAM ("sender_key", "collector key"),
    PARAM ("sender_country", "country registered for the key"),
    PARAM ("claimed_country", "country in the submission"),
    PARAM ("submission_id", "id as sent"),
    PARAM ("detail", "the validator's error message"),
    DB ("at", "time stored"),
};
/* clang-format on */

static const sections_table_t s_tables[SECTIONS_N_TABLES] = {
    [SECTIONS_SUBMISSION_AGENCY] = {"submission_agency",
                                    "Contributing agencies listed in the envelope.",
                                    s_submission_agency,
                                    sizeof s_submission_agency / sizeof s_submission_agency[0]},
    [SECTIONS_FF_LEGAL] =
        {"ff_legal",
         "Financial flows, section B: legal and institutional framework; one row per submission.",
         s_ff_legal, sizeof s_ff_legal / sizeof s_ff_legal[0]},
    [SECTIONS_FF_STR] = {"ff_str",
                         "Financial flows, section C: suspicious transaction reports and cash "
                         "declarations; one row per submission.",
                         s_ff_str, sizeof s_ff_str / sizeof s_ff_str[0]},
    [SECTIONS_FF_STR_SECTOR] = {"ff_str_sector",
                                "Financial flows, section C: STRs received by reporting sector; "
                                "one row per sector answered.",
                                s_ff_str_sector,
                                sizeof s_ff_str_sector / sizeof s_ff_str_sector[0]},
    [SECTIONS_FF_ENFORCEMENT] =
        {"ff_enforcement",
         "Financial flows, section D: investigations, prosecutions, convictions; one row per stage "
         "x scope x count unit x counting rule.",
         s_ff_enforcement, sizeof s_ff_enforcement / sizeof s_ff_enforcement[0]},
    [SECTIONS_FF_ASSET] = {"ff_asset",
                           "Financial flows, section E: assets frozen, seized, confiscated; one "
                           "row per measure x category x scope, amount in the original currency.",
                           s_ff_asset, sizeof s_ff_asset / sizeof s_ff_asset[0]},
    [SECTIONS_FF_METHOD] = {"ff_method",
                            "Financial flows, section F: methods of moving and laundering drug "
                            "money; one row per method.",
                            s_ff_method, sizeof s_ff_method / sizeof s_ff_method[0]},
    [SECTIONS_FF_METHOD_JURISDICTION] = {"ff_method_jurisdiction",
                                         "Financial flows, section F: jurisdictions involved in a "
                                         "method (method_ord = ff_method.ord).",
                                         s_ff_method_jurisdiction,
                                         sizeof s_ff_method_jurisdiction
                                             / sizeof s_ff_method_jurisdiction[0]},
    [SECTIONS_FF_COOPERATION] = {"ff_cooperation",
                                 "Financial flows, section G: international cooperation requests; "
                                 "one row per instrument x direction x counterpart.",
                                 s_ff_cooperation,
                                 sizeof s_ff_cooperation / sizeof s_ff_cooperation[0]},
    [SECTIONS_FF_CHALLENGE] = {"ff_challenge",
                               "Financial flows, section H: challenges, lessons learned, "
                               "assistance needs; one row per submission.",
                               s_ff_challenge, sizeof s_ff_challenge / sizeof s_ff_challenge[0]},
    [SECTIONS_PC_SEIZURE] = {"pc_seizure",
                             "Precursors, P1: annual seizures of Table I/II substances; one row "
                             "per substance (and origin).",
                             s_pc_seizure, sizeof s_pc_seizure / sizeof s_pc_seizure[0]},
    [SECTIONS_PC_NONSCHEDULED] = {"pc_nonscheduled",
                                  "Precursors, P2: seizures of non-scheduled substances.",
                                  s_pc_nonscheduled,
                                  sizeof s_pc_nonscheduled / sizeof s_pc_nonscheduled[0]},
    [SECTIONS_PC_DIVERSION] = {"pc_diversion",
                               "Precursors, P3: methods of diversion and illicit manufacture.",
                               s_pc_diversion, sizeof s_pc_diversion / sizeof s_pc_diversion[0]},
    [SECTIONS_PC_STOPPED_SHIPMENT] =
        {"pc_stopped_shipment",
         "Precursors, P4: stopped or suspended shipments, suspicious orders, thefts.",
         s_pc_stopped_shipment, sizeof s_pc_stopped_shipment / sizeof s_pc_stopped_shipment[0]},
    [SECTIONS_PC_LAB] = {"pc_lab", "Precursors, P5: illicit laboratories dismantled.", s_pc_lab,
                         sizeof s_pc_lab / sizeof s_pc_lab[0]},
    [SECTIONS_PC_LAB_CHEMICAL] =
        {"pc_lab_chemical",
         "Precursors, P5: chemicals found in a laboratory (lab_ord = pc_lab.ord).",
         s_pc_lab_chemical, sizeof s_pc_lab_chemical / sizeof s_pc_lab_chemical[0]},
    [SECTIONS_PC_INCIDENT] = {"pc_incident", "Precursors, P6: individual incidents (PICS-like).",
                              s_pc_incident, sizeof s_pc_incident / sizeof s_pc_incident[0]},
    [SECTIONS_PC_INCIDENT_SUBSTANCE] =
        {"pc_incident_substance",
         "Precursors, P6: substances of an incident (incident_ord = pc_incident.ord).",
         s_pc_incident_substance,
         sizeof s_pc_incident_substance / sizeof s_pc_incident_substance[0]},
    [SECTIONS_PC_INCIDENT_ROUTE] =
        {"pc_incident_route",
         "Precursors, P6: route legs of an incident in order (incident_ord = pc_incident.ord).",
         s_pc_incident_route, sizeof s_pc_incident_route / sizeof s_pc_incident_route[0]},
    [SECTIONS_PC_LICIT_TRADE] = {"pc_licit_trade",
                                 "Precursors, P7: licit trade and annual legitimate requirements.",
                                 s_pc_licit_trade,
                                 sizeof s_pc_licit_trade / sizeof s_pc_licit_trade[0]},
    [SECTIONS_PC_ROUTE] = {"pc_route", "Precursors, P8: trafficking routes (aggregate).",
                           s_pc_route, sizeof s_pc_route / sizeof s_pc_route[0]},
    [SECTIONS_SUBMISSION] =
        {"submission",
         "Immutable record of every accepted submission (one row per submission id). Only "
         "is_current and review_state ever change (triggers submission_guard_update / _delete); "
         "rows are never deleted.",
         s_submission, sizeof s_submission / sizeof s_submission[0]},
    [SECTIONS_FINDING] = {"finding",
                          "Warnings and infos of accepted submissions (validator + loader). Errors "
                          "reject, so they are in quarantine.problems.",
                          s_finding, sizeof s_finding / sizeof s_finding[0]},
    [SECTIONS_QUARANTINE] =
        {"quarantine",
         "Every rejected, undecodable or conflicting submission, with its bytes and problems.",
         s_quarantine, sizeof s_quarantine / sizeof s_quarantine[0]},
    [SECTIONS_SECURITY_EVENT] = {"security_event",
                                 "Security-relevant rejections (wrong country for the sender key).",
                                 s_security_event,
                                 sizeof s_security_event / sizeof s_security_event[0]},
};

/* Where the rows of each section table come from: the message holding them
 * (the Submission, its financial_flows or precursors payload, or the parent
 * row), the repeated field (count and array) or single message there, and
 * for an incident the date that dates its substances' Convention table. */
typedef enum { S_ROOT_SUBMISSION, S_ROOT_FF, S_ROOT_PC } s_root_t;

typedef struct {
    int parent; /* table of the parent row, -1: a root message */
    s_root_t root;
    size_t n_off;    /* count of the repeated field; 0: one optional message */
    size_t ptr_off;  /* the array of pointers, or the message pointer */
    size_t date_off; /* != 0: this row's date for its children */
} s_source_t;

#define REPEATED(T, f) offsetof (T, n_##f), offsetof (T, f)
#define SINGLE(T, f) 0, offsetof (T, f)

static const s_source_t s_sources[SECTIONS_N_SECTION] = {
    [SECTIONS_SUBMISSION_AGENCY] = {-1, S_ROOT_SUBMISSION,
                                    REPEATED (Dcp__V1__Submission, contributing_agencies), 0},
    [SECTIONS_FF_LEGAL] = {-1, S_ROOT_FF, SINGLE (Dcp__V1__FinancialFlows, legal), 0},
    [SECTIONS_FF_STR] = {-1, S_ROOT_FF, SINGLE (Dcp__V1__FinancialFlows, str), 0},
    [SECTIONS_FF_STR_SECTOR] = {SECTIONS_FF_STR, S_ROOT_FF,
                                REPEATED (Dcp__V1__SuspiciousTransactions, received_by_sector), 0},
    [SECTIONS_FF_ENFORCEMENT] = {-1, S_ROOT_FF, REPEATED (Dcp__V1__FinancialFlows, enforcement), 0},
    [SECTIONS_FF_ASSET] = {-1, S_ROOT_FF, REPEATED (Dcp__V1__FinancialFlows, assets), 0},
    [SECTIONS_FF_METHOD] = {-1, S_ROOT_FF, REPEATED (Dcp__V1__FinancialFlows, methods), 0},
    [SECTIONS_FF_METHOD_JURISDICTION] = {SECTIONS_FF_METHOD, S_ROOT_FF,
                                         REPEATED (Dcp__V1__LaunderingMethod, jurisdictions), 0},
    [SECTIONS_FF_COOPERATION] = {-1, S_ROOT_FF, REPEATED (Dcp__V1__FinancialFlows, cooperation), 0},
    [SECTIONS_FF_CHALLENGE] = {-1, S_ROOT_FF, SINGLE (Dcp__V1__FinancialFlows, challenges), 0},
    [SECTIONS_PC_SEIZURE] = {-1, S_ROOT_PC, REPEATED (Dcp__V1__Precursors, seizures), 0},
    [SECTIONS_PC_NONSCHEDULED] = {-1, S_ROOT_PC, REPEATED (Dcp__V1__Precursors, non_scheduled), 0},
    [SECTIONS_PC_DIVERSION] = {-1, S_ROOT_PC, REPEATED (Dcp__V1__Precursors, diversion_methods), 0},
    [SECTIONS_PC_STOPPED_SHIPMENT] = {-1, S_ROOT_PC,
                                      REPEATED (Dcp__V1__Precursors, stopped_shipments), 0},
    [SECTIONS_PC_LAB] = {-1, S_ROOT_PC, REPEATED (Dcp__V1__Precursors, labs), 0},
    [SECTIONS_PC_LAB_CHEMICAL] = {SECTIONS_PC_LAB, S_ROOT_PC,
                                  REPEATED (Dcp__V1__IllicitLab, chemicals_found), 0},
    [SECTIONS_PC_INCIDENT] = {-1, S_ROOT_PC, REPEATED (Dcp__V1__Precursors, incidents),
                              offsetof (Dcp__V1__Incident, incident_date)},
    [SECTIONS_PC_INCIDENT_SUBSTANCE] = {SECTIONS_PC_INCIDENT, S_ROOT_PC,
                                        REPEATED (Dcp__V1__Incident, substances), 0},
    [SECTIONS_PC_INCIDENT_ROUTE] = {SECTIONS_PC_INCIDENT, S_ROOT_PC,
                                    REPEATED (Dcp__V1__Incident, route), 0},
    [SECTIONS_PC_LICIT_TRADE] = {-1, S_ROOT_PC, REPEATED (Dcp__V1__Precursors, licit_trade), 0},
    [SECTIONS_PC_ROUTE] = {-1, S_ROOT_PC, REPEATED (Dcp__V1__Precursors, routes), 0},
};

const sections_table_t *
sections_table (sections_table_id_t t)
{
    assert (t >= 0 && t < SECTIONS_N_TABLES);
    return &s_tables[t];
}

/* ---------------------------------------------------------------------------
 * Column names: a group of columns expands by the naming rule of 0002. */

static const char *const s_count_suffix[] = {"_value", "_status", "_qref"};
static const char *const s_money_suffix[] = {"_amount", "_currency", "_status", "_qref"};
static const char *const s_qty_suffix[] = {"_value", "_unit",      "_status",   "_qref",
                                           "_kg",    "_kg_factor", "_kg_method"};
#define S_STATUS_DOC                                                                               \
    "observation status (dcp.obs_status), never NULL: REPORTED, ESTIMATED, PROVISIONAL"            \
    " (value present) or NOT_AVAILABLE, NOT_APPLICABLE, CONFIDENTIAL, INCLUDED_ELSEWHERE,"         \
    " UNANSWERED (value NULL; UNANSWERED also when the question is missing from the"               \
    " response)"
#define S_QREF_DOC "question number on the paper/Excel form, if given"
#define S_VALUE_DOC                                                                                \
    "value as reported (numeric); NULL exactly when the status says absent, never 0 for"           \
    " \"not available\""

/* What each column of a group holds; for a count, the first column's doc
 * also carries the unit in parentheses at the end of the group's doc, the
 * others drop it. */
static const char *const s_count_doc[] = {S_VALUE_DOC, S_STATUS_DOC, S_QREF_DOC};
static const char *const s_money_doc[] = {
    "amount in the original currency (numeric); NULL exactly when the status says absent",
    "ISO 4217 code of the amount, as reported", S_STATUS_DOC, S_QREF_DOC};
static const char *const s_qty_doc[] = {
    S_VALUE_DOC,
    "unit as reported (KG, G, MG, T, L, ML, M3)",
    S_STATUS_DOC,
    S_QREF_DOC,
    "DERIVED: quantity in kilograms (value x kg_factor); NULL when the value is absent or no"
    " conversion is known (see kg_method); never replaces the reported value",
    "DERIVED: kilograms per reported unit used (unit factor, times density for volumes)",
    "DERIVED: how kg was obtained: 'mass_unit', 'density:<ref_densities.id>'; or why not:"
    " 'no_density', 'unknown_unit', 'not_a_number', 'overflow'; NULL when the value is absent"};

/* The doc of column K of group C: "label (unit): part" for the first,
 * "label: part" for the others. */
static void
s_group_doc (const sections_column_t *c, size_t k, const char *part, char *doc, size_t doc_len)
{
    size_t label = strlen (c->doc);
    const char *paren = strrchr (c->doc, '(');
    if (c->kind == SECTIONS_COUNT && paren && paren > c->doc && c->doc[label - 1] == ')')
        label = (size_t) (paren - c->doc) - (paren[-1] == ' ');
    const char *unit = c->kind == SECTIONS_MONEY ? " (money)"
                       : c->kind == SECTIONS_QTY ? " (unit in *_unit)"
                                                 : "";
    if (k == 0)
        snprintf (doc, doc_len, "%s%s: %s", c->doc, unit, part);
    else
        snprintf (doc, doc_len, "%.*s: %s", (int) label, c->doc, part);
}

size_t
sections_width (const sections_column_t *c)
{
    switch (c->kind) {
    case SECTIONS_COUNT: return 3;
    case SECTIONS_MONEY: return 4;
    case SECTIONS_QTY: return 7;
    default: return 1;
    }
}

int
sections_column_name (const sections_column_t *c, size_t k, char *name, size_t name_len, char *doc,
                      size_t doc_len)
{
    if (k >= sections_width (c))
        return DCP_EINVAL;
    const char *suffix = "", *part = NULL;
    if (c->kind == SECTIONS_COUNT)
        suffix = s_count_suffix[k], part = s_count_doc[k];
    else if (c->kind == SECTIONS_MONEY)
        suffix = s_money_suffix[k], part = s_money_doc[k];
    else if (c->kind == SECTIONS_QTY)
        suffix = s_qty_suffix[k], part = s_qty_doc[k];
    /* A money field called "amount" gives amount, currency, amount_status,
     * amount_qref (migration 0002). */
    if (c->kind == SECTIONS_MONEY && strcmp (c->name, "amount") == 0 && k < 2)
        snprintf (name, name_len, "%s", suffix + 1);
    else
        snprintf (name, name_len, "%s%s", c->name, suffix);
    if (doc && part)
        s_group_doc (c, k, part, doc, doc_len);
    else if (doc)
        snprintf (doc, doc_len, "%s", c->doc);
    return 0;
}

static bool
s_copied (const sections_column_t *c)
{
    return c->kind != SECTIONS_DB && c->kind != SECTIONS_PARAM;
}

int
sections_copy_columns (sections_table_id_t t, dcp_buf_t *out)
{
    const sections_table_t *tab = sections_table (t);
    bool first = true;
    for (size_t i = 0; i < tab->n_columns; i++) {
        const sections_column_t *c = &tab->columns[i];
        if (!s_copied (c))
            continue;
        for (size_t k = 0; k < sections_width (c); k++) {
            char name[128];
            sections_column_name (c, k, name, sizeof name, NULL, 0);
            if (!first)
                dcp_buf_append (out, ", ", 2);
            dcp_buf_append (out, name, strlen (name));
            first = false;
        }
    }
    return out->err ? DCP_ENOMEM : 0;
}

/* ---------------------------------------------------------------------------
 * Row encoding */

typedef struct {
    const char *id;
    long ord[2];      /* own position, parent's position */
    const char *date; /* for the Convention table */
    sections_counts_t *counts;
    const sections_submission_t *sub; /* the submission row only */
} s_ctx_t;

static void
s_count_status (sections_counts_t *n, Dcp__V1__ObsStatus status)
{
    if (!n)
        return;
    n->n_numbers++;
    switch (status) {
    case DCP__V1__OBS_STATUS__OBS_REPORTED:
    case DCP__V1__OBS_STATUS__OBS_ESTIMATED:
    case DCP__V1__OBS_STATUS__OBS_PROVISIONAL: n->n_reported++; break;
    case DCP__V1__OBS_STATUS__OBS_UNANSWERED:
    case DCP__V1__OBS_STATUS__OBS_STATUS_UNSPECIFIED: n->n_unanswered++; break;
    default: n->n_not_available++; break;
    }
}

static const char *
s_status_name (Dcp__V1__ObsStatus status)
{
    switch (status) {
    case DCP__V1__OBS_STATUS__OBS_REPORTED: return "REPORTED";
    case DCP__V1__OBS_STATUS__OBS_ESTIMATED: return "ESTIMATED";
    case DCP__V1__OBS_STATUS__OBS_PROVISIONAL: return "PROVISIONAL";
    case DCP__V1__OBS_STATUS__OBS_NOT_AVAILABLE: return "NOT_AVAILABLE";
    case DCP__V1__OBS_STATUS__OBS_NOT_APPLICABLE: return "NOT_APPLICABLE";
    case DCP__V1__OBS_STATUS__OBS_CONFIDENTIAL: return "CONFIDENTIAL";
    case DCP__V1__OBS_STATUS__OBS_INCLUDED_ELSEWHERE: return "INCLUDED_ELSEWHERE";
    case DCP__V1__OBS_STATUS__OBS_UNANSWERED: return "UNANSWERED";
    /* The validator rejects status 0; if one slips through, the domain
     * dcp.obs_status refuses it and the item is quarantined (DB-REFUSED). */
    default: return "UNSPECIFIED";
    }
}

static void
s_put_tri (dcp_buf_t *b, Dcp__V1__Tri v)
{
    switch (v) {
    case DCP__V1__TRI__TRI_YES: copy_text_text (b, "YES"); break;
    case DCP__V1__TRI__TRI_NO: copy_text_text (b, "NO"); break;
    case DCP__V1__TRI__TRI_UNKNOWN: copy_text_text (b, "UNKNOWN"); break;
    default: copy_text_null (b); break;
    }
}

bool
sections_status_has_value (Dcp__V1__ObsStatus status)
{
    return status == DCP__V1__OBS_STATUS__OBS_REPORTED
           || status == DCP__V1__OBS_STATUS__OBS_ESTIMATED
           || status == DCP__V1__OBS_STATUS__OBS_PROVISIONAL;
}

/* A confirmed zero (no_seizures): the country answered "none", which is
 * the value 0 with status REPORTED, not an absent figure; analysts' totals
 * then add it as 0 and never mistake it for "not available" (issue 12 item
 * 7).  A figure given beside it is kept as sent (the rules refuse the pair,
 * V-GEN-04). */
static void
s_put_zero (dcp_buf_t *b, const char *unit, const char *qref, sections_counts_t *n)
{
    s_count_status (n, DCP__V1__OBS_STATUS__OBS_REPORTED);
    copy_text_text (b, "0");
    if (unit)
        copy_text_text (b, unit);
    copy_text_text (b, "REPORTED");
    copy_text_text (b, qref);
}

/* A count: value, status, question reference.  A missing message is a
 * question not answered; ZERO: a confirmed zero (s_put_zero). */
static void
s_put_count (dcp_buf_t *b, const Dcp__V1__Count *c, bool zero, sections_counts_t *n)
{
    if (zero && (!c || !sections_status_has_value (c->status))) {
        s_put_zero (b, NULL, c ? c->question_ref : NULL, n);
        return;
    }
    Dcp__V1__ObsStatus status = c ? c->status : DCP__V1__OBS_STATUS__OBS_UNANSWERED;
    s_count_status (n, status);
    if (c && c->presence_case == DCP__V1__COUNT__PRESENCE_VALUE)
        copy_text_int (b, (long long) c->value);
    else
        copy_text_null (b);
    copy_text_text (b, s_status_name (status));
    copy_text_text (b, c ? c->question_ref : NULL);
}

/* Money: amount as the partner wrote it (PostgreSQL numeric parses it),
 * currency, status, question reference. */
static void
s_put_money (dcp_buf_t *b, const Dcp__V1__Money *m, sections_counts_t *n)
{
    Dcp__V1__ObsStatus status = m ? m->status : DCP__V1__OBS_STATUS__OBS_UNANSWERED;
    s_count_status (n, status);
    copy_text_text (b, m ? m->amount : NULL);
    copy_text_text (b, m ? m->currency : NULL);
    copy_text_text (b, s_status_name (status));
    copy_text_text (b, m ? m->question_ref : NULL);
}

/* Writes a decimal without trailing fraction zeros ("1.082000000" ->
 * "1.082"), as a COPY field. */
static void
s_put_decimal (dcp_buf_t *b, const dcp_decimal_t *d)
{
    char text[80];
    if (!dcp_decimal_format (d, text, sizeof text)) {
        copy_text_null (b);
        return;
    }
    if (strchr (text, '.')) {
        size_t n = strlen (text);
        while (n > 0 && text[n - 1] == '0')
            text[--n] = '\0';
        if (n > 0 && text[n - 1] == '.')
            text[--n] = '\0';
    }
    copy_text_text (b, text);
}

/* A quantity as reported plus the derived kilograms (V-PRE-05, dcp_kg.h,
 * the same derivation as the rules'): mass units by their factor
 * ('mass_unit'); volume units by the substance's density at CONCENTRATION
 * ('density:<row id>'); otherwise kg stays NULL and kg_method says why
 * ('no_density', 'unknown_unit', 'not_a_number', 'overflow').  The
 * original figure is never replaced and litres are never taken as kg. */
static void
s_put_quantity (dcp_buf_t *b, const Dcp__V1__Quantity *q, const char *substance,
                const char *concentration, bool zero, sections_counts_t *n)
{
    if (zero && (!q || !sections_status_has_value (q->status))) {
        /* 0 kg whatever the unit: no density is needed for nothing. */
        s_put_zero (b, q && q->unit && *q->unit ? q->unit : "KG", q ? q->question_ref : NULL, n);
        copy_text_text (b, "0");
        copy_text_null (b);
        copy_text_text (b, "no_seizures");
        return;
    }
    Dcp__V1__ObsStatus status = q ? q->status : DCP__V1__OBS_STATUS__OBS_UNANSWERED;
    s_count_status (n, status);
    copy_text_text (b, q ? q->value : NULL);
    copy_text_text (b, q ? q->unit : NULL);
    copy_text_text (b, s_status_name (status));
    copy_text_text (b, q ? q->question_ref : NULL);
    if (!q || !q->value || !*q->value) {
        copy_text_null (b);
        copy_text_null (b);
        copy_text_null (b);
        return;
    }
    dcp_kg_t kg;
    char method[160];
    if (dcp_kg_derive (q->value, q->unit, substance, concentration, &kg) == 0) {
        s_put_decimal (b, &kg.kg);
        s_put_decimal (b, &kg.factor);
    } else {
        copy_text_null (b);
        copy_text_null (b);
    }
    copy_text_text (b, dcp_kg_method_text (&kg, method, sizeof method));
}

/* Convention table (1 or 2, as in ref_substance_schedule) of a substance
 * at DATE, NULL if not scheduled then (V-PRE-01: derived, never typed). */
static void
s_put_convention_table (dcp_buf_t *b, const char *code, const char *date)
{
    int table = code && *code && date && *date ? dcp_refdata_substance_table (code, date) : 0;
    if (table == 1 || table == 2)
        copy_text_int (b, table);
    else
        copy_text_null (b);
}

static void
s_put_derived (dcp_buf_t *b, sections_derived_t d, const void *row, const s_ctx_t *x)
{
    const sections_submission_t *s = x->sub;
    assert (s || d == SECTIONS_D_SEVERITY);
    switch (d) {
    case SECTIONS_D_SHA256: copy_text_bytea_hex (b, s->sha_hex, 64); break;
    case SECTIONS_D_RAW:
        if (s->raw_field)
            dcp_buf_append (b, s->raw_field, s->raw_field_len);
        else
            copy_text_bytea (b, s->raw, s->raw_len);
        break;
    case SECTIONS_D_QUESTIONNAIRE:
        copy_text_text (b, dcp_codec_kind_name (s->sub->questionnaire));
        break;
    case SECTIONS_D_IS_CURRENT: copy_text_bool (b, s->is_current); break;
    case SECTIONS_D_REVIEW_STATE:
        copy_text_text (b, s->n_warnings ? "has_issues" : "received");
        break;
    case SECTIONS_D_N_NUMBERS: copy_text_int (b, s->counts.n_numbers); break;
    case SECTIONS_D_N_REPORTED: copy_text_int (b, s->counts.n_reported); break;
    case SECTIONS_D_N_NOT_AVAILABLE: copy_text_int (b, s->counts.n_not_available); break;
    case SECTIONS_D_N_UNANSWERED: copy_text_int (b, s->counts.n_unanswered); break;
    case SECTIONS_D_COMPLETENESS:
        if (s->counts.n_numbers) {
            long n = s->counts.n_numbers;
            long hundredths = ((long) s->counts.n_reported * 10000 + n / 2) / n;
            char pct[32];
            snprintf (pct, sizeof pct, "%ld.%02ld", hundredths / 100, hundredths % 100);
            copy_text_text (b, pct);
        } else
            copy_text_null (b);
        break;
    case SECTIONS_D_N_WARNINGS: copy_text_int (b, (long long) s->n_warnings); break;
    case SECTIONS_D_N_INFOS: copy_text_int (b, (long long) s->n_infos); break;
    case SECTIONS_D_SEVERITY:
        copy_text_text (b, dcp_severity_name (((const dcp_finding_t *) row)->severity));
        break;
    }
}

/* The address of column C's field in ROW (NULL when it sits in an absent
 * sub-message). */
static const void *
s_field (const sections_column_t *c, const void *row, const s_ctx_t *x, size_t off)
{
    const char *base = c->base == SECTIONS_BASE_FORWARD ? (const char *) x->sub->fwd : row;
    if (base && c->via)
        base = *(const char *const *) (base + c->via);
    return base ? base + off : NULL;
}

#define S_AS(type, p) (*(type const *) (p))

static void
s_put_column (dcp_buf_t *b, const sections_column_t *c, const void *row, const s_ctx_t *x)
{
    const void *p = s_field (c, row, x, c->off);
    const char *text = p && c->kind <= SECTIONS_TEXT_OR_EMPTY && c->kind >= SECTIONS_TEXT
                           ? S_AS (char *, p)
                           : NULL;
    bool zero = c->zero_off && row && S_AS (protobuf_c_boolean, (const char *) row + c->zero_off);
    switch (c->kind) {
    case SECTIONS_ID: copy_text_text (b, x->id); break;
    case SECTIONS_ORD: copy_text_int (b, x->ord[c->off]); break;
    case SECTIONS_TEXT: copy_text_text (b, text); break;
    case SECTIONS_TEXT_OR_DASH: copy_text_text (b, text && *text ? text : "-"); break;
    case SECTIONS_TEXT_OR_EMPTY: copy_text_text_or_empty (b, text); break;
    case SECTIONS_TRI: s_put_tri (b, S_AS (Dcp__V1__Tri, p)); break;
    case SECTIONS_INT32: copy_text_int (b, S_AS (int32_t, p)); break;
    case SECTIONS_UINT32: copy_text_int (b, S_AS (uint32_t, p)); break;
    case SECTIONS_OPT_INT32:
        if (S_AS (int32_t, p))
            copy_text_int (b, S_AS (int32_t, p));
        else
            copy_text_null (b);
        break;
    case SECTIONS_OPT_UINT32:
        if (S_AS (uint32_t, p))
            copy_text_int (b, S_AS (uint32_t, p));
        else
            copy_text_null (b);
        break;
    case SECTIONS_BOOL: copy_text_bool (b, S_AS (protobuf_c_boolean, p)); break;
    case SECTIONS_ARRAY:
        copy_text_array (b, S_AS (char **, s_field (c, row, x, c->off2)), S_AS (size_t, p));
        break;
    case SECTIONS_COUNT: s_put_count (b, S_AS (Dcp__V1__Count *, p), zero, x->counts); break;
    case SECTIONS_MONEY: s_put_money (b, S_AS (Dcp__V1__Money *, p), x->counts); break;
    case SECTIONS_QTY: {
        const char *substance = c->off2 ? S_AS (char *, s_field (c, row, x, c->off2)) : NULL;
        const char *conc = c->off3 ? S_AS (char *, s_field (c, row, x, c->off3)) : NULL;
        s_put_quantity (b, S_AS (Dcp__V1__Quantity *, p), substance, conc, zero, x->counts);
        break;
    }
    case SECTIONS_CONVENTION_TABLE: s_put_convention_table (b, S_AS (char *, p), x->date); break;
    case SECTIONS_DERIVED: s_put_derived (b, (sections_derived_t) c->off, row, x); break;
    case SECTIONS_DB:
    case SECTIONS_PARAM: break;
    }
}

static void
s_put_row (dcp_buf_t *b, sections_table_id_t t, const void *row, const s_ctx_t *x)
{
    const sections_table_t *tab = &s_tables[t];
    for (size_t i = 0; i < tab->n_columns; i++)
        s_put_column (b, &tab->columns[i], row, x);
    copy_text_row_end (b);
}

/* Encodes the rows of table T found in PARENT (row PARENT_ORD of its own
 * table), then, after each row, the rows of its child tables. */
static void
s_walk (dcp_buf_t *out, sections_table_id_t t, const void *parent, long parent_ord, s_ctx_t *x)
{
    const s_source_t *src = &s_sources[t];
    const char *base = parent;
    const void *single = NULL;
    const void *const *rows = &single;
    size_t n;
    if (src->n_off) {
        n = S_AS (size_t, base + src->n_off);
        rows = (const void *const *) S_AS (void **, base + src->ptr_off);
    } else {
        single = S_AS (void *, base + src->ptr_off);
        n = single ? 1 : 0;
    }
    const char *date = x->date;
    for (size_t i = 0; i < n; i++) {
        x->ord[0] = (long) i;
        x->ord[1] = parent_ord;
        x->date = date;
        s_put_row (&out[t], t, rows[i], x);
        if (src->date_off) {
            const char *own = S_AS (char *, (const char *) rows[i] + src->date_off);
            if (own && *own)
                x->date = own;
        }
        for (int c = t + 1; c < SECTIONS_N_SECTION; c++)
            if (s_sources[c].parent == (int) t)
                s_walk (out, (sections_table_id_t) c, rows[i], (long) i, x);
    }
    x->date = date;
}

void
sections_encode (const Dcp__V1__Submission *sub, const char *id, dcp_buf_t *out,
                 sections_counts_t *counts)
{
    assert (sub && id && out);
    char year_end[16];
    snprintf (year_end, sizeof year_end, "%04d", (int) sub->reporting_year);
    const void *roots[] = {
        [S_ROOT_SUBMISSION] = sub,
        [S_ROOT_FF] = sub->payload_case == DCP__V1__SUBMISSION__PAYLOAD_FINANCIAL_FLOWS
                          ? (const void *) sub->financial_flows
                          : NULL,
        [S_ROOT_PC] = sub->payload_case == DCP__V1__SUBMISSION__PAYLOAD_PRECURSORS
                          ? (const void *) sub->precursors
                          : NULL,
    };
    s_ctx_t x = {.id = id, .date = year_end, .counts = counts};
    for (int t = 0; t < SECTIONS_N_SECTION; t++)
        if (s_sources[t].parent < 0 && roots[s_sources[t].root])
            s_walk (out, (sections_table_id_t) t, roots[s_sources[t].root], 0, &x);
}

void
sections_encode_submission (dcp_buf_t *out, const sections_submission_t *s)
{
    assert (s && s->sub && s->fwd);
    s_ctx_t x = {.id = s->id, .sub = s};
    s_put_row (out, SECTIONS_SUBMISSION, s->sub, &x);
}

void
sections_encode_finding (dcp_buf_t *out, const char *id, long ord, const dcp_finding_t *f)
{
    s_ctx_t x = {.id = id, .ord = {ord, 0}};
    s_put_row (out, SECTIONS_FINDING, f, &x);
}
