/* test_rules.c: the validation rules (dcp_rules.h).
 *
 * Each test case starts from a complete, valid response (s_base_*), changes
 * one thing, and says which rule must (or must not) fire at which JSON
 * pointer.  Read the table as a catalogue: for every rule id there is at
 * least one response that breaks it and one that does not.
 *
 * The test messages are built by hand.  Every node and array comes from a
 * small arena (s_new) so a case can replace any part with no ownership
 * bookkeeping; strings are literals.  The arena is freed after each case. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dcp_codec.h"
#include "dcp_findings.h"
#include "dcp_id.h"
#include "dcp_refdata.h"
#include "dcp_rules.h"
#include "dcp_utf8.h"

/* --- arena --------------------------------------------------------------- */

static void **s_arena;
static size_t s_arena_n, s_arena_cap;

static void *
s_new (size_t size)
{
    if (s_arena_n == s_arena_cap) {
        s_arena_cap = s_arena_cap ? s_arena_cap * 2 : 256;
        s_arena = realloc (s_arena, s_arena_cap * sizeof *s_arena);
        assert_non_null (s_arena);
    }
    void *p = calloc (1, size);
    assert_non_null (p);
    s_arena[s_arena_n++] = p;
    return p;
}

static void
s_arena_free (void)
{
    for (size_t i = 0; i < s_arena_n; i++)
        free (s_arena[i]);
    free (s_arena);
    s_arena = NULL;
    s_arena_n = s_arena_cap = 0;
}

/* An array of N pointers, taken from the variadic arguments. */
static void *
s_list (size_t n, ...)
{
    void **array = s_new ((n ? n : 1) * sizeof *array);
    va_list ap;
    va_start (ap, n);
    for (size_t i = 0; i < n; i++)
        array[i] = va_arg (ap, void *);
    va_end (ap);
    return array;
}

#define S(text) ((char *) (text))
#define REPORTED DCP__V1__OBS_STATUS__OBS_REPORTED
#define NOT_AVAILABLE DCP__V1__OBS_STATUS__OBS_NOT_AVAILABLE
#define YES DCP__V1__TRI__TRI_YES
#define NO DCP__V1__TRI__TRI_NO

/* --- answers ------------------------------------------------------------- */

static Dcp__V1__Count *
s_count (int64_t value)
{
    Dcp__V1__Count *c = s_new (sizeof *c);
    dcp__v1__count__init (c);
    c->status = REPORTED;
    c->presence_case = DCP__V1__COUNT__PRESENCE_VALUE;
    c->value = value;
    return c;
}

static Dcp__V1__Count *
s_count_status (Dcp__V1__ObsStatus status)
{
    Dcp__V1__Count *c = s_new (sizeof *c);
    dcp__v1__count__init (c);
    c->status = status;
    return c;
}

static Dcp__V1__Quantity *
s_qty (const char *value, const char *unit)
{
    Dcp__V1__Quantity *q = s_new (sizeof *q);
    dcp__v1__quantity__init (q);
    q->status = REPORTED;
    q->value = S (value);
    q->unit = S (unit);
    return q;
}

static Dcp__V1__Money *
s_money (const char *amount, const char *currency)
{
    Dcp__V1__Money *m = s_new (sizeof *m);
    dcp__v1__money__init (m);
    m->status = REPORTED;
    m->amount = S (amount);
    m->currency = S (currency);
    return m;
}

/* --- the two valid base responses ---------------------------------------- */

static void
s_envelope (Dcp__V1__Submission *s, Dcp__V1__QuestionnaireKind kind)
{
    dcp__v1__submission__init (s);
    s->submission_id = S ("0b5f3e2a-8c1d-4e7f-9a6b-2c3d4e5f6a7b");
    s->schema_version = DCP_SCHEMA_VERSION;
    s->questionnaire = kind;
    s->form_version = S ("PP-2024.1");
    s->reporting_country = S ("PAK");
    s->reporting_year = 2024;
    s->finalised_at = S ("2025-03-30T10:00:00Z");
    s->completed_on = S ("2025-03-30");
    s->geographic_coverage = S ("NATIONAL");
    s->language = S ("en");
    Dcp__V1__FocalPoint *fp = s_new (sizeof *fp);
    dcp__v1__focal_point__init (fp);
    fp->name = S ("A. Focal");
    fp->email = S ("focal.point@example.org");
    s->focal_point = fp;
    Dcp__V1__Agency *agency = s_new (sizeof *agency);
    dcp__v1__agency__init (agency);
    agency->name = S ("Financial Monitoring Unit");
    agency->type = S ("FIU");
    s->n_contributing_agencies = 1;
    s->contributing_agencies = s_list (1, agency);
}

static Dcp__V1__EnforcementRow *
s_enforcement (const char *stage, const char *scope, int64_t value)
{
    Dcp__V1__EnforcementRow *r = s_new (sizeof *r);
    dcp__v1__enforcement_row__init (r);
    r->stage = S (stage);
    r->scope = S (scope);
    r->count_unit = S ("CASES");
    r->counting_rule = S ("STARTED_IN_YEAR");
    r->value = s_count (value);
    return r;
}

static Dcp__V1__AssetRow *
s_asset (const char *measure, const char *amount)
{
    Dcp__V1__AssetRow *r = s_new (sizeof *r);
    dcp__v1__asset_row__init (r);
    r->measure = S (measure);
    r->asset_category = S ("CASH");
    r->predicate_scope = S ("ML_DRUG_PREDICATE");
    r->amount = s_money (amount, "USD");
    r->valuation_basis = S ("NOMINAL");
    return r;
}

static Dcp__V1__LaunderingMethod *
s_method (const char *code, Dcp__V1__Tri observed, uint32_t rank)
{
    Dcp__V1__LaunderingMethod *m = s_new (sizeof *m);
    dcp__v1__laundering_method__init (m);
    m->method = S (code);
    m->observed = observed;
    m->rank = rank;
    return m;
}

/* A complete financial-flows response from Pakistan for 2024. */
static Dcp__V1__Submission *
s_base_ff (void)
{
    Dcp__V1__Submission *s = s_new (sizeof *s);
    s_envelope (s, DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_FINANCIAL_FLOWS);
    Dcp__V1__FinancialFlows *ff = s_new (sizeof *ff);
    dcp__v1__financial_flows__init (ff);
    s->payload_case = DCP__V1__SUBMISSION__PAYLOAD_FINANCIAL_FLOWS;
    s->financial_flows = ff;

    Dcp__V1__LegalFramework *l = s_new (sizeof *l);
    dcp__v1__legal_framework__init (l);
    l->ml_offence_exists = YES;
    l->drug_trafficking_is_ml_predicate = YES;
    l->fiu_exists = YES;
    l->fiu_model = S ("ADMINISTRATIVE");
    l->fiu_established_year = 2007;
    l->fiu_egmont_member = YES;
    l->egmont_joined_year = 2009;
    l->n_fsrb_memberships = 1;
    l->fsrb_memberships = s_list (1, "APG");
    l->cash_declaration_system = S ("DECLARATION");
    l->cash_declaration_threshold = s_money ("10000", "USD");
    l->mvts_hawala_regime = S ("LICENSING");
    ff->legal = l;

    Dcp__V1__SuspiciousTransactions *t = s_new (sizeof *t);
    dcp__v1__suspicious_transactions__init (t);
    t->received_total = s_count (1000);
    Dcp__V1__SectorCount *bank = s_new (sizeof *bank);
    dcp__v1__sector_count__init (bank);
    bank->sector = S ("BANK");
    bank->reports = s_count (800);
    t->n_received_by_sector = 1;
    t->received_by_sector = s_list (1, bank);
    t->received_drug_related = s_count (100);
    t->received_afghan_opiates = s_count (20);
    t->disseminated_total = s_count (300);
    t->disseminated_drug_related = s_count (50);
    t->fiu_requests_sent = s_count_status (NOT_AVAILABLE);
    t->cash_declarations_value = s_money ("2500000.50", "PKR");
    ff->str = t;

    ff->n_enforcement = 5;
    ff->enforcement = s_list (5, s_enforcement ("INVESTIGATION", "ML_ALL", 50),
                              s_enforcement ("INVESTIGATION", "ML_DRUG_PREDICATE", 20),
                              s_enforcement ("INVESTIGATION", "ML_AFGHAN_OPIATES", 5),
                              s_enforcement ("PROSECUTION", "ML_ALL", 30),
                              s_enforcement ("CONVICTION", "ML_ALL", 10));

    Dcp__V1__AssetRow *frozen = s_asset ("FROZEN", "");
    frozen->amount->status = NOT_AVAILABLE;
    frozen->amount->currency = S ("");
    ff->n_assets = 3;
    ff->assets =
        s_list (3, s_asset ("SEIZED", "500000"), s_asset ("CONFISCATED", "200000"), frozen);

    Dcp__V1__LaunderingMethod *hawala = s_method ("HAWALA_INFORMAL_MVTS", YES, 1);
    hawala->trend = S ("INCREASING");
    hawala->direction = S ("OUT_OF_AFGHANISTAN");
    Dcp__V1__Jurisdiction *j = s_new (sizeof *j);
    dcp__v1__jurisdiction__init (j);
    j->country = S ("ARE");
    j->role = S ("FINANCIAL_CENTRE_STORAGE");
    hawala->n_jurisdictions = 1;
    hawala->jurisdictions = s_list (1, j);
    hawala->n_currencies_observed = 2;
    hawala->currencies_observed = s_list (2, "USD", "AED");
    hawala->case_examples = S ("Proceeds moved through exchange houses in two cities.");
    ff->n_methods = 3;
    ff->methods =
        s_list (3, hawala, s_method ("CASH_COURIER", YES, 2), s_method ("VIRTUAL_ASSET", NO, 0));

    Dcp__V1__CooperationRow *mla = s_new (sizeof *mla);
    dcp__v1__cooperation_row__init (mla);
    mla->instrument = S ("MLA");
    mla->direction = S ("RECEIVED");
    mla->counterpart_country = S ("AFG");
    mla->drug_related = YES;
    mla->requests = s_count (10);
    mla->executed = s_count (6);
    mla->refused = s_count (1);
    mla->pending_at_year_end = s_count (2);
    Dcp__V1__CooperationRow *fiu = s_new (sizeof *fiu);
    dcp__v1__cooperation_row__init (fiu);
    fiu->instrument = S ("FIU_EXCHANGE");
    fiu->direction = S ("SENT");
    fiu->counterpart_country = S ("MULTIPLE");
    fiu->requests = s_count (40);
    ff->n_cooperation = 2;
    ff->cooperation = s_list (2, mla, fiu);

    Dcp__V1__Challenges *ch = s_new (sizeof *ch);
    dcp__v1__challenges__init (ch);
    ch->n_categories = 1;
    ch->categories = s_list (1, "CASH_ECONOMY");
    ch->n_assistance_needs = 1;
    ch->assistance_needs = s_list (1, "TRAINING");
    ch->challenge_text = S ("Cash couriers cross the border at unofficial points.");
    ff->challenges = ch;
    return s;
}

static Dcp__V1__AnnualSeizure *
s_seizure (const char *code, const char *form, Dcp__V1__Quantity *q)
{
    Dcp__V1__AnnualSeizure *r = s_new (sizeof *r);
    dcp__v1__annual_seizure__init (r);
    r->substance_code = S (code);
    r->physical_form = S (form);
    r->quantity = q;
    return r;
}

static Dcp__V1__RouteLeg *
s_leg (const char *country, const char *role)
{
    Dcp__V1__RouteLeg *leg = s_new (sizeof *leg);
    dcp__v1__route_leg__init (leg);
    leg->country = S (country);
    leg->role = S (role);
    return leg;
}

static Dcp__V1__TraffickingRoute *
s_route (const char *role, const char *country, uint32_t rank, const char *share)
{
    Dcp__V1__TraffickingRoute *r = s_new (sizeof *r);
    dcp__v1__trafficking_route__init (r);
    r->substance_code = S ("AA");
    r->role = S (role);
    r->country = S (country);
    r->rank = rank;
    r->share_pct = S (share);
    return r;
}

/* A complete precursor response from Pakistan for 2024, modelled on the
 * Port Qasim seizure (proto/QUESTIONNAIRE.md S34a). */
static Dcp__V1__Submission *
s_base_pre (void)
{
    Dcp__V1__Submission *s = s_new (sizeof *s);
    s_envelope (s, DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_PRECURSORS);
    Dcp__V1__Precursors *p = s_new (sizeof *p);
    dcp__v1__precursors__init (p);
    s->payload_case = DCP__V1__SUBMISSION__PAYLOAD_PRECURSORS;
    s->precursors = p;

    Dcp__V1__AnnualSeizure *aa = s_seizure ("AA", "BULK_LIQUID", s_qty ("15520", "L"));
    aa->number_of_seizures = s_count (3);
    aa->n_origin_countries = 2;
    aa->origin_countries = s_list (2, "TZA", "UNKNOWN");
    aa->origin_basis = S ("DOCUMENTS");
    Dcp__V1__AnnualSeizure *acetone = s_seizure ("ACET", "BULK_LIQUID", NULL);
    acetone->no_seizures = true;
    p->n_seizures = 3;
    p->seizures = s_list (3, aa, s_seizure ("KMNO4", "BULK_SOLID", s_qty ("250", "KG")), acetone);

    Dcp__V1__NonScheduledSeizure *ns = s_new (sizeof *ns);
    dcp__v1__non_scheduled_seizure__init (ns);
    ns->substance_name = S ("benzaldehyde");
    ns->cas_number = S ("100-52-7");
    ns->hs_code = S ("2912.21");
    ns->quantity = s_qty ("40", "KG");
    ns->suspected_use = S ("METHAMPHETAMINE");
    p->n_non_scheduled = 1;
    p->non_scheduled = s_list (1, ns);

    Dcp__V1__DiversionMethod *d1 = s_new (sizeof *d1), *d2 = s_new (sizeof *d2);
    dcp__v1__diversion_method__init (d1);
    dcp__v1__diversion_method__init (d2);
    d1->method = S ("MISDECLARATION");
    d1->substance_code = S ("AA");
    d1->observed = YES;
    d1->rank = 1;
    d1->trend = S ("STABLE");
    d2->method = S ("SMUGGLING_CONCEALED");
    d2->observed = YES;
    d2->rank = 2;
    p->n_diversion_methods = 2;
    p->diversion_methods = s_list (2, d1, d2);

    Dcp__V1__StoppedShipment *st = s_new (sizeof *st);
    dcp__v1__stopped_shipment__init (st);
    st->event_type = S ("STOPPED_SHIPMENT");
    st->substance_code = S ("AA");
    st->quantity = s_qty ("2000", "L");
    st->exporting_country = S ("ARE");
    st->importing_country = S ("AFG");
    st->reason = S ("NO_IMPORT_AUTH");
    p->n_stopped_shipments = 1;
    p->stopped_shipments = s_list (1, st);

    Dcp__V1__IllicitLab *lab = s_new (sizeof *lab);
    dcp__v1__illicit_lab__init (lab);
    lab->lab_type = S ("HEROIN");
    lab->count = s_count (2);
    lab->admin_area = S ("Khyber");
    Dcp__V1__LabChemical *chem = s_new (sizeof *chem);
    dcp__v1__lab_chemical__init (chem);
    chem->substance_code = S ("AA");
    chem->quantity = s_qty ("50", "L");
    lab->n_chemicals_found = 1;
    lab->chemicals_found = s_list (1, chem);
    p->n_labs = 1;
    p->labs = s_list (1, lab);

    Dcp__V1__Incident *inc = s_new (sizeof *inc);
    dcp__v1__incident__init (inc);
    inc->incident_id = S ("PK-2024-0117");
    inc->incident_type = S ("SEIZURE");
    inc->incident_date = S ("2024-06-14");
    Dcp__V1__Location *loc = s_new (sizeof *loc);
    dcp__v1__location__init (loc);
    loc->port = S ("Port Qasim");
    loc->latitude = S ("24.77");
    loc->longitude = S ("67.33");
    inc->location = loc;
    Dcp__V1__IncidentSubstance *is = s_new (sizeof *is);
    dcp__v1__incident_substance__init (is);
    is->substance_code = S ("AA");
    is->quantity = s_qty ("15520", "L");
    is->package_type = S ("DRUM");
    is->package_count = s_count (78);
    inc->n_substances = 1;
    inc->substances = s_list (1, is);
    inc->declared_description = S ("acetic acid glacial");
    inc->concealment = S ("MISDECLARED");
    inc->identification_basis = S ("FIELD_TEST");
    inc->transport_mode = S ("SEA_CONTAINER");
    inc->n_route = 3;
    inc->route =
        s_list (3, s_leg ("TZA", "ORIGIN"), s_leg ("ARE", "TRANSIT"), s_leg ("PAK", "DESTINATION"));
    inc->n_persons_nationalities = 1;
    inc->persons_nationalities = s_list (1, "PAK");
    inc->seizing_agency = S ("CUSTOMS");
    inc->follow_up = S ("BACKTRACKING_INITIATED");
    p->n_incidents = 1;
    p->incidents = s_list (1, inc);

    Dcp__V1__LicitTrade *trade = s_new (sizeof *trade);
    dcp__v1__licit_trade__init (trade);
    trade->flow = S ("IMPORT");
    trade->substance_code = S ("ACET");
    trade->partner_country = S ("DEU");
    trade->quantity = s_qty ("12000", "L");
    p->n_licit_trade = 1;
    p->licit_trade = s_list (1, trade);

    p->n_routes = 3;
    p->routes = s_list (3, s_route ("ORIGIN", "TZA", 1, "60"), s_route ("ORIGIN", "ARE", 2, "40"),
                        s_route ("TRANSIT", "ARE", 1, ""));
    return s;
}

/* Options every case starts from: "now" is fixed so the cases never age. */
static void
s_opts (dcp_rules_opts_t *o)
{
    dcp_rules_defaults (o);
    o->current_year = 2026;
    o->received_on = "2025-05-02";
}

/* --- the table ----------------------------------------------------------- */

typedef Dcp__V1__Submission sub_t;
#define FF(s) ((s)->financial_flows)
#define PRE(s) ((s)->precursors)
#define STR(s) (FF (s)->str)
#define SEIZURE(s, i) (PRE (s)->seizures[i])
#define INCIDENT(s) (PRE (s)->incidents[0])
#define ISUB(s) (INCIDENT (s)->substances[0])
#define NS(s) (PRE (s)->non_scheduled[0])

/* A mutation: one small function per case, named after what it does. */
#define CHANGE(name, ...)                                                                          \
    static void name (sub_t *s, dcp_rules_opts_t *o)                                               \
    {                                                                                              \
        (void) s;                                                                                  \
        (void) o;                                                                                  \
        __VA_ARGS__;                                                                               \
    }

CHANGE (nothing, )
/* envelope */
CHANGE (id_not_uuid, s->submission_id = S ("not-a-uuid"))
CHANGE (id_mixed_case, s->submission_id = S ("0B5F3E2A-8c1d-4e7f-9a6b-2c3d4e5f6a7b"))
CHANGE (schema_2, s->schema_version = 2)
CHANGE (kind_unset, s->questionnaire = 0)
CHANGE (kind_mismatch, s->questionnaire = DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_PRECURSORS)
CHANGE (no_payload, s->payload_case = DCP__V1__SUBMISSION__PAYLOAD__NOT_SET;
        s->financial_flows = NULL)
CHANGE (empty_payload, dcp__v1__financial_flows__init (FF (s)))
CHANGE (no_form_version, s->form_version = S (""))
CHANGE (country_name, s->reporting_country = S ("Turkey"))
CHANGE (country_bogus, s->reporting_country = S ("ZZZ"))
CHANGE (country_kosovo, s->reporting_country = S ("XKX"))
CHANGE (country_historical, s->reporting_country = S ("SCG"))
CHANGE (country_tanzania, s->reporting_country = S ("TZA"))
CHANGE (year_2007, s->reporting_year = 2007)
CHANGE (year_2008, s->reporting_year = 2008)
CHANGE (year_1990, s->reporting_year = 1990; SEIZURE (s, 0)->substance_code = S ("ACET");
        INCIDENT (s)->incident_date = S ("1990-12-01"); PRE (s)->n_licit_trade = 0;
        PRE (s)->n_labs = 0; PRE (s)->n_stopped_shipments = 0; PRE (s)->n_seizures = 1;
        PRE (s)->n_diversion_methods = 0; PRE (s)->n_routes = 0;
        ISUB (s)->substance_code = S ("ACET"); ISUB (s)->quantity = s_qty ("1", "KG");
        PRE (s)->non_scheduled[0]->hs_code = S (""); s->completed_on = S ("1991-03-01"))
CHANGE (year_future, s->reporting_year = 2027)
CHANGE (year_current, s->reporting_year = 2026; s->completed_on = S ("2026-03-01"))
CHANGE (received_late, o->received_on = "2025-07-01")
CHANGE (received_on_deadline, o->received_on = "2025-06-30")
CHANGE (revision_without_supersedes, s->revision_no = 1; s->revision_reason = S ("CORRECTION"))
CHANGE (revision_bad_supersedes, s->revision_no = 1; s->revision_reason = S ("CORRECTION");
        s->supersedes_submission_id = S ("abc"))
CHANGE (revision_ok, s->revision_no = 1; s->revision_reason = S ("CORRECTION");
        s->supersedes_submission_id = S ("7d1e0c7a-1111-4222-8333-944455556666"))
CHANGE (first_with_supersedes,
        s->supersedes_submission_id = S ("7d1e0c7a-1111-4222-8333-944455556666"))
CHANGE (fiscal_year, s->reference_period_start = S ("2023-07-01");
        s->reference_period_end = S ("2024-06-30"))
CHANGE (calendar_period, s->reference_period_start = S ("2024-01-01");
        s->reference_period_end = S ("2024-12-31"))
CHANGE (period_start_only, s->reference_period_start = S ("2024-01-01"))
CHANGE (period_reversed, s->reference_period_start = S ("2024-12-31");
        s->reference_period_end = S ("2024-01-01"))
CHANGE (partial_coverage, s->geographic_coverage = S ("PARTIAL");
        s->coverage_note = S ("Sindh province only"))
CHANGE (coverage_typo, s->geographic_coverage = S ("NATION"))
CHANGE (completed_slashes, s->completed_on = S ("31/03/2025"))
CHANGE (completed_feb30, s->completed_on = S ("2025-02-30"))
CHANGE (completed_before_year, s->completed_on = S ("2023-12-01"))
CHANGE (finalised_no_zone, s->finalised_at = S ("2025-03-30 10:00"))
CHANGE (finalised_offset, s->finalised_at = S ("2025-03-30T10:00:00.5+05:00"))
CHANGE (language_three, s->language = S ("eng"))
CHANGE (note_latin1, s->coverage_note = S ("T\xfcrkiye"))
CHANGE (note_utf8, s->coverage_note = S ("T\xc3\xbcrkiye"))
CHANGE (note_overlong, s->coverage_note = S ("\xc0\xaf"))
CHANGE (note_control, s->coverage_note = S ("a\x01 b"))
CHANGE (note_11_max_10, o->max_text_len = 10; s->coverage_note = S ("12345678901");
        s->focal_point->email = S (""); s->focal_point->name = S ("A");
        s->contributing_agencies[0]->name = S ("FMU"); FF (s)->methods[0]->case_examples = S ("");
        FF (s)->challenges->challenge_text = S (""); s->submission_id = S (""))
CHANGE (note_10_max_10, o->max_text_len = 10; s->coverage_note = S ("1234567890"))
CHANGE (rows_max_2, o->max_rows = 2)
CHANGE (tri_7, FF (s)->legal->fiu_exists = 7)
CHANGE (no_focal_point, s->focal_point = NULL)
/* representation rules */
CHANGE (status_0, STR (s)->received_total->status = 0)
CHANGE (status_42, STR (s)->received_total->status = 42)
CHANGE (received_total_missing, STR (s)->received_total = NULL)
CHANGE (reported_without_value, STR (s)->received_total->presence_case = 0)
CHANGE (not_available_with_zero, STR (s)->received_total->status = NOT_AVAILABLE;
        STR (s)->received_total->value = 0)
CHANGE (not_available_without_value, STR (s)->received_total = s_count_status (NOT_AVAILABLE))
CHANGE (quantity_dashes, SEIZURE (s, 0)->quantity->value = S ("--"))
CHANGE (quantity_dashes_not_available, SEIZURE (s, 0)->quantity->value = S ("n/a");
        SEIZURE (s, 0)->quantity->status = NOT_AVAILABLE)
CHANGE (quantity_thousands, SEIZURE (s, 0)->quantity->value = S ("15,520"))
CHANGE (amount_exponent, FF (s)->assets[0]->amount->amount = S ("5e5"))
CHANGE (acetone_row_empty, SEIZURE (s, 2)->no_seizures = false)
CHANGE (no_seizures_with_quantity, SEIZURE (s, 0)->no_seizures = true)
CHANGE (count_negative, STR (s)->received_total->value = -1)
CHANGE (quantity_zero, SEIZURE (s, 0)->quantity->value = S ("0"))
CHANGE (trade_zero, PRE (s)->licit_trade[0]->quantity->value = S ("0"))
CHANGE (amount_negative, FF (s)->assets[0]->amount->amount = S ("-5"))
CHANGE (phone_in_text,
        FF (s)->challenges->challenge_text = S ("call the officer on +92 300 1234567"))
CHANGE (email_in_text, FF (s)->methods[0]->case_examples = S ("ask j.doe@fmu.example.pk"))
CHANGE (number_in_text,
        FF (s)->challenges->challenge_text = S ("seized 1 000 000 000 rupees in 2024"))
/* financial flows */
CHANGE (afghan_over_drug, STR (s)->received_afghan_opiates->value = 200)
CHANGE (enf_afghan_over_drug, FF (s)->enforcement[2]->value->value = 30)
CHANGE (enf_drug_over_all, FF (s)->enforcement[1]->value->value = 60)
CHANGE (disseminated_over_received, STR (s)->disseminated_total->value = 2000)
CHANGE (convictions_over_prosecutions, FF (s)->enforcement[4]->value->value = 40)
CHANGE (convictions_over_prosecutions_cohort, FF (s)->enforcement[4]->value->value = 40;
        FF (s)->enforcement[4]->counting_rule = S ("OPEN_AT_YEAR_END");
        FF (s)->enforcement[3]->counting_rule = S ("OPEN_AT_YEAR_END"))
CHANGE (convictions_in_persons, FF (s)->enforcement[4]->count_unit = S ("PERSONS_NATURAL"))
CHANGE (stage_typo, FF (s)->enforcement[4]->stage = S ("CONVICTIONS"))
CHANGE (currency_hrk, FF (s)->assets[0]->amount->currency = S ("HRK"))
CHANGE (currency_hrk_2022, FF (s)->assets[0]->amount->currency = S ("HRK");
        s->reporting_year = 2022; s->completed_on = S ("2023-03-01"))
CHANGE (currency_bogus, FF (s)->assets[0]->amount->currency = S ("XYZ"))
CHANGE (currency_observed_bogus, FF (s)->methods[0]->currencies_observed[1] = S ("ABC"))
CHANGE (amount_without_currency, FF (s)->assets[0]->amount->currency = S (""))
CHANGE (no_fiu_with_strs, FF (s)->legal->fiu_exists = NO)
CHANGE (fiu_after_year, FF (s)->legal->fiu_established_year = 2025;
        FF (s)->legal->egmont_joined_year = 0)
CHANGE (egmont_before_fiu, FF (s)->legal->egmont_joined_year = 2005)
CHANGE (mla_overdone, FF (s)->cooperation[0]->executed->value = 20)
CHANGE (mla_overdone_with_backlog, FF (s)->cooperation[0]->executed->value = 20;
        FF (s)->cooperation[0]->pending_from_previous_year = s_count (15))
CHANGE (ranks_duplicate, FF (s)->methods[1]->rank = 1)
CHANGE (ranks_gap, FF (s)->methods[1]->rank = 3)
CHANGE (not_observed_ranked, FF (s)->methods[2]->rank = 3)
CHANGE (not_observed_trend, FF (s)->methods[2]->trend = S ("STABLE"))
CHANGE (confiscated_huge, FF (s)->assets[1]->amount->amount = S ("6000000"))
CHANGE (confiscated_tenfold, FF (s)->assets[1]->amount->amount = S ("5000000"))
CHANGE (observed_unanswered, FF (s)->methods[1]->observed = 0)
/* V-FIN-14: the same cell twice; V-FIN-15: sectors against the total. */
CHANGE (enforcement_cell_twice,
        FF (s)->enforcement[4] = s_enforcement ("INVESTIGATION", "ML_ALL", 50))
CHANGE (enforcement_other_rule,
        FF (s)->enforcement[4] = s_enforcement ("INVESTIGATION", "ML_ALL", 50);
        FF (s)->enforcement[4]->counting_rule = S ("OPEN_AT_YEAR_END"))
CHANGE (asset_cell_twice, FF (s)->assets[1] = s_asset ("SEIZED", "500000"))
CHANGE (asset_other_currency, FF (s)->assets[1] = s_asset ("SEIZED", "500000");
        FF (s)->assets[1]->amount->currency = S ("EUR"))
CHANGE (sector_twice, STR (s)->n_received_by_sector = 2;
        STR (s)->received_by_sector = s_list (2, STR (s)->received_by_sector[0],
                                              STR (s)->received_by_sector[0]);
        STR (s)->received_by_sector[0]->reports->value = 100)
CHANGE (sectors_add_up, STR (s)->received_by_sector[0]->reports->value = 1000)
CHANGE (sectors_over_total, STR (s)->received_by_sector[0]->reports->value = 8000)
CHANGE (sectors_total_not_available, STR (s)->received_by_sector[0]->reports->value = 8000;
        STR (s)->received_total = s_count_status (NOT_AVAILABLE))
/* precursors */
CHANGE (substance_bogus, SEIZURE (s, 0)->substance_code = S ("XYZ"))
CHANGE (substance_as_name, SEIZURE (s, 0)->substance_code = S ("acetic anhydride"))
CHANGE (npp_2016, s->reporting_year = 2016; s->completed_on = S ("2017-03-01");
        SEIZURE (s, 1)->substance_code = S ("NPP"); INCIDENT (s)->incident_date = S ("2016-06-14"))
CHANGE (npp_2018, s->reporting_year = 2018; s->completed_on = S ("2019-03-01");
        SEIZURE (s, 1)->substance_code = S ("NPP"); INCIDENT (s)->incident_date = S ("2018-06-14"))
CHANGE (ammonium_chloride_in_p1, SEIZURE (s, 1)->substance_code = S ("NH4CL"))
CHANGE (npp_incident_before_control, s->reporting_year = 2017; s->completed_on = S ("2018-03-01");
        ISUB (s)->substance_code = S ("NPP"); ISUB (s)->quantity = s_qty ("5", "KG");
        INCIDENT (s)->incident_date = S ("2017-10-01"))
CHANGE (permanganate_litres, SEIZURE (s, 1)->quantity->unit = S ("L"))
CHANGE (permanganate_solution, SEIZURE (s, 1)->quantity->unit = S ("L");
        SEIZURE (s, 1)->physical_form = S ("SOLUTION"); SEIZURE (s, 1)->concentration_pct = S ("5"))
CHANGE (aa_kilograms, SEIZURE (s, 0)->quantity->unit = S ("KG"))
CHANGE (unit_drums, SEIZURE (s, 0)->quantity->unit = S ("drums"))
CHANGE (unit_kgs, SEIZURE (s, 0)->quantity->unit = S ("kgs"))
CHANGE (unit_missing, SEIZURE (s, 0)->quantity->unit = S (""))
CHANGE (mixed_name_p2, NS (s)->substance_name = S ("acetic anhydride/hydrochloric acid"))
CHANGE (mixed_flag_p6, ISUB (s)->mixed_substances = true)
CHANGE (mixed_name_p6, ISUB (s)->substance_code = S ("");
        ISUB (s)->substance_name = S ("AA and HCl"))
CHANGE (mapa_litres, SEIZURE (s, 0)->substance_code = S ("MAPA"))
CHANGE (concentration_120, SEIZURE (s, 0)->concentration_pct = S ("120"))
CHANGE (hcl_litres_no_concentration, SEIZURE (s, 0)->substance_code = S ("HCL"))
CHANGE (hcl_litres_37, SEIZURE (s, 0)->substance_code = S ("HCL");
        SEIZURE (s, 0)->concentration_pct = S ("37"))
CHANGE (aa_incident_60t, ISUB (s)->quantity = s_qty ("60", "T"))
CHANGE (aa_annual_600t, SEIZURE (s, 0)->quantity = s_qty ("600", "T"))
CHANGE (route_bogus_country, INCIDENT (s)->route[1]->country = S ("XX"))
CHANGE (route_repeat, INCIDENT (s)->route[0]->country = S ("ARE"))
CHANGE (route_origin_second, INCIDENT (s)->route[1]->role = S ("ORIGIN"))
CHANGE (route_destination_first, INCIDENT (s)->route[0]->role = S ("DESTINATION"))
CHANGE (route_without_reporter, INCIDENT (s)->route[2]->country = S ("IRN"))
CHANGE (route_stopped_abroad, INCIDENT (s)->route[2]->country = S ("IRN");
        INCIDENT (s)->incident_type = S ("STOPPED_IN_TRANSIT"))
CHANGE (aa_export_to_afg, PRE (s)->licit_trade[0]->flow = S ("EXPORT");
        PRE (s)->licit_trade[0]->substance_code = S ("AA");
        PRE (s)->licit_trade[0]->partner_country = S ("AFG"))
CHANGE (aa_import_by_afg, s->reporting_country = S ("AFG");
        PRE (s)->licit_trade[0]->substance_code = S ("AA");
        INCIDENT (s)->route[2]->country = S ("AFG"))
CHANGE (incident_last_year, INCIDENT (s)->incident_date = S ("2023-12-31"))
CHANGE (incident_in_fiscal_year, INCIDENT (s)->incident_date = S ("2023-12-31");
        s->reference_period_start = S ("2023-07-01"); s->reference_period_end = S ("2024-06-30"))
CHANGE (incident_bad_date, INCIDENT (s)->incident_date = S ("14.06.2024"))
CHANGE (incidents_over_annual, ISUB (s)->quantity = s_qty ("20000", "KG"))
CHANGE (incidents_near_annual, ISUB (s)->quantity = s_qty ("17000", "KG"))
CHANGE (cas_bad_digit, NS (s)->cas_number = S ("100-52-8"))
CHANGE (hs_five_digits, NS (s)->hs_code = S ("29122"))
CHANGE (ac2o_wrong_hs, NS (s)->substance_name = S ("Ac2O"); NS (s)->hs_code = S ("2915.25");
        NS (s)->cas_number = S (""))
CHANGE (ac2o_right_hs, NS (s)->substance_name = S ("Ac2O"); NS (s)->hs_code = S ("291524");
        NS (s)->cas_number = S (""))
CHANGE (acetyl_oxide_p2, NS (s)->substance_name = S ("acetyl oxide"); NS (s)->cas_number = S ("");
        NS (s)->hs_code = S (""))
CHANGE (aa_cas_p2, NS (s)->substance_name = S ("product X"); NS (s)->cas_number = S ("108-24-7");
        NS (s)->hs_code = S (""))
CHANGE (ac2o_name_p6, ISUB (s)->substance_code = S (""); ISUB (s)->substance_name = S ("Ac2O"))
CHANGE (misdeclared_not_flagged, INCIDENT (s)->concealment = S (""))
CHANGE (declared_truthfully, INCIDENT (s)->concealment = S ("");
        INCIDENT (s)->declared_description = S ("acetic anhydride"))
CHANGE (routes_rank_twice, PRE (s)->routes[1]->rank = 1)
CHANGE (diversion_rank_twice, PRE (s)->diversion_methods[1]->rank = 1)
CHANGE (share_140, PRE (s)->routes[0]->share_pct = S ("140"))
CHANGE (latitude_95, INCIDENT (s)->location->latitude = S ("-95"))
CHANGE (incident_no_substances, INCIDENT (s)->n_substances = 0)
/* A second incident: the first one's copy under another national reference,
 * or under the same one (pasted twice). */
CHANGE (incident_second, Dcp__V1__Incident *copy = s_new (sizeof *copy); *copy = *INCIDENT (s);
        copy->incident_id = S ("PK-2024-0118"); PRE (s)->n_incidents = 2;
        PRE (s)->incidents = s_list (2, INCIDENT (s), copy))
CHANGE (incident_id_thrice, Dcp__V1__Incident *other = s_new (sizeof *other);
        *other = *INCIDENT (s); other->incident_id = S ("PK-2024-0118"); PRE (s)->n_incidents = 3;
        PRE (s)->incidents = s_list (3, INCIDENT (s), other, INCIDENT (s)))

enum { S_FF, S_PRE };

typedef struct {
    const char *name;
    int base; /* S_FF or S_PRE */
    void (*change) (sub_t *, dcp_rules_opts_t *);
    const char *rule;
    const char *path;
    bool fires;              /* expected */
    dcp_severity_t severity; /* when it fires */
} rule_case_t;

#define E DCP_SEV_ERROR
#define W DCP_SEV_WARNING
#define I DCP_SEV_INFO

static const rule_case_t s_cases[] = {
    /* envelope and wire */
    {"uuid", S_FF, nothing, "ENV-ID", "/submission_id", false, 0},
    {"not a uuid", S_FF, id_not_uuid, "ENV-ID", "/submission_id", true, E},
    {"uuid in mixed case", S_FF, id_mixed_case, "ENV-ID", "/submission_id", false, 0},
    {"schema 1", S_FF, nothing, "ENV-SCHEMA", "/schema_version", false, 0},
    {"schema 2", S_FF, schema_2, "ENV-SCHEMA", "/schema_version", true, E},
    {"kind matches", S_PRE, nothing, "ENV-KIND", "/questionnaire", false, 0},
    {"kind unset", S_FF, kind_unset, "ENV-KIND", "/questionnaire", true, E},
    {"kind mismatch", S_FF, kind_mismatch, "ENV-KIND", "/questionnaire", true, E},
    {"payload", S_FF, nothing, "ENV-PAYLOAD", NULL, false, 0},
    {"no payload", S_FF, no_payload, "ENV-PAYLOAD", "", true, E},
    {"empty payload", S_FF, empty_payload, "ENV-PAYLOAD", "/financial_flows", true, E},
    {"form version", S_FF, nothing, "REQUIRED", NULL, false, 0},
    {"no form version", S_FF, no_form_version, "REQUIRED", "/form_version", true, E},
    {"no focal point", S_FF, no_focal_point, "REQUIRED", "/focal_point", true, E},
    {"country PAK", S_FF, nothing, "V-ENV-01", "/reporting_country", false, 0},
    {"country Kosovo", S_FF, country_kosovo, "V-ENV-01", "/reporting_country", false, 0},
    {"country name", S_FF, country_name, "V-ENV-01", "/reporting_country", true, E},
    {"country bogus", S_FF, country_bogus, "V-ENV-01", "/reporting_country", true, E},
    {"country historical", S_FF, country_historical, "V-ENV-01", "/reporting_country", true, W},
    {"year 2008 finflow", S_FF, year_2008, "V-ENV-02", "/reporting_year", false, 0},
    {"year 2007 finflow", S_FF, year_2007, "V-ENV-02", "/reporting_year", true, E},
    {"year 1990 precursors", S_PRE, year_1990, "V-ENV-02", "/reporting_year", false, 0},
    {"year in future", S_FF, year_future, "V-ENV-02", "/reporting_year", true, E},
    {"year complete", S_FF, nothing, "V-ENV-03", "/reporting_year", false, 0},
    {"year current", S_FF, year_current, "V-ENV-03", "/reporting_year", true, W},
    {"partner", S_FF, nothing, "V-ENV-04", "/reporting_country", false, 0},
    {"non-partner", S_FF, country_tanzania, "V-ENV-04", "/reporting_country", true, I},
    {"kosovo non-partner", S_FF, country_kosovo, "V-ENV-04", "/reporting_country", true, I},
    {"on deadline", S_FF, received_on_deadline, "V-ENV-05", "/reporting_year", false, 0},
    {"late", S_FF, received_late, "V-ENV-05", "/reporting_year", true, I},
    {"first submission", S_FF, nothing, "V-ENV-06", NULL, false, 0},
    {"revision ok", S_FF, revision_ok, "V-ENV-06", NULL, false, 0},
    {"revision without supersedes", S_FF, revision_without_supersedes, "V-ENV-06",
     "/supersedes_submission_id", true, E},
    {"revision bad supersedes", S_FF, revision_bad_supersedes, "V-ENV-06",
     "/supersedes_submission_id", true, E},
    {"first with supersedes", S_FF, first_with_supersedes, "V-ENV-06", "/supersedes_submission_id",
     true, E},
    {"calendar period", S_FF, calendar_period, "V-ENV-07", NULL, false, 0},
    {"fiscal year", S_FF, fiscal_year, "V-ENV-07", "/reference_period_start", true, I},
    {"national", S_FF, nothing, "V-ENV-08", NULL, false, 0},
    {"partial", S_FF, partial_coverage, "V-ENV-08", "/geographic_coverage", true, I},
    {"coverage code", S_FF, nothing, "CODE-UNKNOWN", NULL, false, 0},
    {"coverage typo", S_FF, coverage_typo, "CODE-UNKNOWN", "/geographic_coverage", true, E},
    {"stage typo", S_FF, stage_typo, "CODE-UNKNOWN", "/financial_flows/enforcement/4/stage", true,
     E},
    {"language three letters", S_FF, language_three, "CODE-UNKNOWN", "/language", true, E},
    {"unit kgs", S_PRE, unit_kgs, "CODE-UNKNOWN", "/precursors/seizures/0/quantity/unit", true, E},
    {"unit missing", S_PRE, unit_missing, "REQUIRED", "/precursors/seizures/0/quantity/unit", true,
     E},
    {"dates", S_FF, finalised_offset, "DATE-FORMAT", NULL, false, 0},
    {"completed with slashes", S_FF, completed_slashes, "DATE-FORMAT", "/completed_on", true, E},
    {"completed on 30 Feb", S_FF, completed_feb30, "DATE-FORMAT", "/completed_on", true, E},
    {"finalised without zone", S_FF, finalised_no_zone, "DATE-FORMAT", "/finalised_at", true, E},
    {"incident date dotted", S_PRE, incident_bad_date, "DATE-FORMAT",
     "/precursors/incidents/0/incident_date", true, E},
    {"period ordered", S_FF, fiscal_year, "DATE-ORDER", NULL, false, 0},
    {"period start only", S_FF, period_start_only, "DATE-ORDER", "/reference_period_end", true, E},
    {"period reversed", S_FF, period_reversed, "DATE-ORDER", "/reference_period_end", true, E},
    {"completed before year", S_FF, completed_before_year, "DATE-ORDER", "/completed_on", true, E},
    {"share 60", S_PRE, nothing, "VALUE-RANGE", NULL, false, 0},
    {"share 140", S_PRE, share_140, "VALUE-RANGE", "/precursors/routes/0/share_pct", true, E},
    {"latitude -95", S_PRE, latitude_95, "VALUE-RANGE", "/precursors/incidents/0/location/latitude",
     true, E},
    {"utf-8 note", S_FF, note_utf8, "TEXT-UTF8", NULL, false, 0},
    {"latin-1 note", S_FF, note_latin1, "TEXT-UTF8", "/coverage_note", true, E},
    {"overlong utf-8", S_FF, note_overlong, "TEXT-UTF8", "/coverage_note", true, E},
    {"control character", S_FF, note_control, "TEXT-UTF8", "/coverage_note", true, E},
    {"text at limit", S_FF, note_10_max_10, "TEXT-LENGTH", "/coverage_note", false, 0},
    {"text over limit", S_FF, note_11_max_10, "TEXT-LENGTH", "/coverage_note", true, E},
    {"rows within limit", S_FF, nothing, "LIST-LENGTH", NULL, false, 0},
    {"rows over limit", S_FF, rows_max_2, "LIST-LENGTH", "/financial_flows/methods", true, E},
    {"tri known", S_FF, nothing, "ENUM-UNKNOWN", NULL, false, 0},
    {"tri 7", S_FF, tri_7, "ENUM-UNKNOWN", "/financial_flows/legal/fiu_exists", true, E},
    {"tri unanswered", S_FF, observed_unanswered, "REQUIRED", "/financial_flows/methods/1/observed",
     true, E},
    /* V-GEN */
    {"status given", S_FF, nothing, "V-GEN-01", NULL, false, 0},
    {"status 0", S_FF, status_0, "V-GEN-01", "/financial_flows/str/received_total/status", true, E},
    {"status 42", S_FF, status_42, "V-GEN-01", "/financial_flows/str/received_total/status", true,
     E},
    {"answer missing", S_FF, received_total_missing, "V-GEN-01",
     "/financial_flows/str/received_total", true, E},
    {"not available, no value", S_FF, not_available_without_value, "V-GEN-02", NULL, false, 0},
    {"reported without value", S_FF, reported_without_value, "V-GEN-02",
     "/financial_flows/str/received_total/value", true, E},
    {"not available with 0", S_FF, not_available_with_zero, "V-GEN-02",
     "/financial_flows/str/received_total/value", true, E},
    {"plain quantity", S_PRE, nothing, "V-GEN-03", NULL, false, 0},
    {"quantity --", S_PRE, quantity_dashes, "V-GEN-03", "/precursors/seizures/0/quantity/value",
     true, E},
    {"n/a beside NOT_AVAILABLE", S_PRE, quantity_dashes_not_available, "V-GEN-03",
     "/precursors/seizures/0/quantity/value", true, E},
    {"n/a is not called a figure", S_PRE, quantity_dashes_not_available, "V-GEN-02", NULL, false,
     0},
    {"no_seizures row", S_PRE, nothing, "V-GEN-04", NULL, false, 0},
    {"empty row", S_PRE, acetone_row_empty, "V-GEN-04", "/precursors/seizures/2/quantity", true, E},
    {"no_seizures and quantity", S_PRE, no_seizures_with_quantity, "V-GEN-04",
     "/precursors/seizures/0/no_seizures", true, E},
    {"positive figures", S_PRE, nothing, "V-GEN-05", NULL, false, 0},
    {"licit trade of 0", S_PRE, trade_zero, "V-GEN-05", NULL, false, 0},
    {"negative count", S_FF, count_negative, "V-GEN-05",
     "/financial_flows/str/received_total/value", true, E},
    {"zero seizure", S_PRE, quantity_zero, "V-GEN-05", "/precursors/seizures/0/quantity/value",
     true, E},
    {"negative amount", S_FF, amount_negative, "V-GEN-05",
     "/financial_flows/assets/0/amount/amount", true, E},
    {"decimals", S_FF, nothing, "V-GEN-06", NULL, false, 0},
    {"thousands separator", S_PRE, quantity_thousands, "V-GEN-06",
     "/precursors/seizures/0/quantity/value", true, E},
    {"exponent", S_FF, amount_exponent, "V-GEN-06", "/financial_flows/assets/0/amount/amount", true,
     E},
    {"plain text", S_FF, number_in_text, "V-GEN-08", NULL, false, 0},
    {"phone in text", S_FF, phone_in_text, "V-GEN-08", "/financial_flows/challenges/challenge_text",
     true, W},
    {"email in text", S_FF, email_in_text, "V-GEN-08", "/financial_flows/methods/0/case_examples",
     true, W},
    /* V-FIN */
    {"subsets hold", S_FF, nothing, "V-FIN-01", NULL, false, 0},
    {"afghan STRs over drug", S_FF, afghan_over_drug, "V-FIN-01",
     "/financial_flows/str/received_afghan_opiates", true, E},
    {"afghan cases over drug", S_FF, enf_afghan_over_drug, "V-FIN-01",
     "/financial_flows/enforcement/2/value", true, E},
    {"drug cases over all", S_FF, enf_drug_over_all, "V-FIN-01",
     "/financial_flows/enforcement/1/value", true, E},
    {"dissemination plausible", S_FF, nothing, "V-FIN-02", NULL, false, 0},
    {"disseminated over received", S_FF, disseminated_over_received, "V-FIN-02",
     "/financial_flows/str/disseminated_total", true, W},
    {"stages decrease", S_FF, nothing, "V-FIN-03", NULL, false, 0},
    {"convictions over prosecutions", S_FF, convictions_over_prosecutions, "V-FIN-03",
     "/financial_flows/enforcement/4/value", true, W},
    {"cohort convictions over prosecutions", S_FF, convictions_over_prosecutions_cohort, "V-FIN-03",
     "/financial_flows/enforcement/4/value", true, E},
    {"same units", S_FF, nothing, "V-FIN-04", NULL, false, 0},
    {"convictions in persons", S_FF, convictions_in_persons, "V-FIN-04",
     "/financial_flows/enforcement/4/value", true, I},
    {"persons not compared", S_FF, convictions_in_persons, "V-FIN-03", NULL, false, 0},
    {"currency USD", S_FF, nothing, "V-FIN-05", NULL, false, 0},
    {"kuna in 2022", S_FF, currency_hrk_2022, "V-FIN-05", NULL, false, 0},
    {"kuna in 2024", S_FF, currency_hrk, "V-FIN-05", "/financial_flows/assets/0/amount/currency",
     true, E},
    {"currency bogus", S_FF, currency_bogus, "V-FIN-05",
     "/financial_flows/assets/0/amount/currency", true, E},
    {"currency observed bogus", S_FF, currency_observed_bogus, "V-FIN-05",
     "/financial_flows/methods/0/currencies_observed/1", true, E},
    {"amount with currency", S_FF, nothing, "V-FIN-06", NULL, false, 0},
    {"amount without currency", S_FF, amount_without_currency, "V-FIN-06",
     "/financial_flows/assets/0/amount/currency", true, E},
    {"fiu exists", S_FF, nothing, "V-FIN-07", NULL, false, 0},
    {"no fiu but STRs", S_FF, no_fiu_with_strs, "V-FIN-07", "/financial_flows/str/received_total",
     true, W},
    {"no fiu but FIU requests", S_FF, no_fiu_with_strs, "V-FIN-07",
     "/financial_flows/cooperation/1/requests", true, W},
    {"fiu years", S_FF, nothing, "V-FIN-08", NULL, false, 0},
    {"fiu after year", S_FF, fiu_after_year, "V-FIN-08",
     "/financial_flows/legal/fiu_established_year", true, E},
    {"egmont before fiu", S_FF, egmont_before_fiu, "V-FIN-08",
     "/financial_flows/legal/egmont_joined_year", true, E},
    {"mla adds up", S_FF, nothing, "V-FIN-09", NULL, false, 0},
    {"mla backlog explains", S_FF, mla_overdone_with_backlog, "V-FIN-09", NULL, false, 0},
    {"mla overdone", S_FF, mla_overdone, "V-FIN-09", "/financial_flows/cooperation/0", true, W},
    {"ranks 1..n", S_FF, nothing, "V-FIN-10", NULL, false, 0},
    {"rank twice", S_FF, ranks_duplicate, "V-FIN-10", "/financial_flows/methods/1/rank", true, E},
    {"rank gap", S_FF, ranks_gap, "V-FIN-10", "/financial_flows/methods/1/rank", true, E},
    {"route ranks per role", S_PRE, nothing, "V-FIN-10", NULL, false, 0},
    {"route rank twice", S_PRE, routes_rank_twice, "V-FIN-10", "/precursors/routes/1/rank", true,
     E},
    {"diversion rank twice", S_PRE, diversion_rank_twice, "V-FIN-10",
     "/precursors/diversion_methods/1/rank", true, E},
    {"not observed, no rank", S_FF, nothing, "V-FIN-11", NULL, false, 0},
    {"not observed but ranked", S_FF, not_observed_ranked, "V-FIN-11",
     "/financial_flows/methods/2/rank", true, E},
    {"not observed but trend", S_FF, not_observed_trend, "V-FIN-11",
     "/financial_flows/methods/2/trend", true, E},
    {"confiscation plausible", S_FF, nothing, "V-FIN-12", NULL, false, 0},
    {"confiscation exactly 10x", S_FF, confiscated_tenfold, "V-FIN-12", NULL, false, 0},
    {"confiscation over 10x", S_FF, confiscated_huge, "V-FIN-12",
     "/financial_flows/assets/1/amount", true, W},
    {"each enforcement cell once", S_FF, nothing, "V-FIN-14", NULL, false, 0},
    {"enforcement cell twice", S_FF, enforcement_cell_twice, "V-FIN-14",
     "/financial_flows/enforcement/4", true, E},
    {"same stage, other counting rule", S_FF, enforcement_other_rule, "V-FIN-14", NULL, false, 0},
    {"asset cell twice", S_FF, asset_cell_twice, "V-FIN-14", "/financial_flows/assets/1", true, E},
    {"same asset cell, other currency", S_FF, asset_other_currency, "V-FIN-14", NULL, false, 0},
    {"STR sector twice", S_FF, sector_twice, "V-FIN-14",
     "/financial_flows/str/received_by_sector/1", true, E},
    {"sectors below the total", S_FF, nothing, "V-FIN-15", NULL, false, 0},
    {"sectors equal to the total", S_FF, sectors_add_up, "V-FIN-15", NULL, false, 0},
    {"sectors over the total", S_FF, sectors_over_total, "V-FIN-15",
     "/financial_flows/str/received_by_sector", true, W},
    {"sectors, total not available", S_FF, sectors_total_not_available, "V-FIN-15", NULL, false, 0},
    /* V-PRE */
    {"scheduled substances", S_PRE, nothing, "V-PRE-01", NULL, false, 0},
    {"substance bogus", S_PRE, substance_bogus, "V-PRE-01", "/precursors/seizures/0/substance_code",
     true, E},
    {"substance as name", S_PRE, substance_as_name, "V-PRE-01",
     "/precursors/seizures/0/substance_code", true, E},
    {"NPP in 2016", S_PRE, npp_2016, "V-PRE-01", "/precursors/seizures/1/substance_code", true, W},
    {"NPP in 2018", S_PRE, npp_2018, "V-PRE-01", NULL, false, 0},
    {"ammonium chloride in P1", S_PRE, ammonium_chloride_in_p1, "V-PRE-01",
     "/precursors/seizures/1/substance_code", true, W},
    {"NPP incident before 18 Oct 2017", S_PRE, npp_incident_before_control, "V-PRE-01",
     "/precursors/incidents/0/substances/0/substance_code", true, W},
    {"permanganate in kg", S_PRE, nothing, "V-PRE-02", NULL, false, 0},
    {"acetic anhydride in kg", S_PRE, aa_kilograms, "V-PRE-02", NULL, false, 0},
    {"permanganate solution", S_PRE, permanganate_solution, "V-PRE-02", NULL, false, 0},
    {"permanganate in litres", S_PRE, permanganate_litres, "V-PRE-02",
     "/precursors/seizures/1/quantity/unit", true, E},
    {"unit litres", S_PRE, nothing, "V-PRE-03", NULL, false, 0},
    {"unit drums", S_PRE, unit_drums, "V-PRE-03", "/precursors/seizures/0/quantity/unit", true, E},
    {"one substance a row", S_PRE, nothing, "V-PRE-04", NULL, false, 0},
    {"mixture in P2", S_PRE, mixed_name_p2, "V-PRE-04",
     "/precursors/non_scheduled/0/substance_name", true, E},
    {"mixture flagged in P6", S_PRE, mixed_flag_p6, "V-PRE-04",
     "/precursors/incidents/0/substances/0/mixed_substances", true, I},
    {"mixture unflagged in P6", S_PRE, mixed_name_p6, "V-PRE-04",
     "/precursors/incidents/0/substances/0/substance_name", true, W},
    {"density known", S_PRE, nothing, "V-PRE-05", NULL, false, 0},
    {"MAPA in litres", S_PRE, mapa_litres, "V-PRE-05", "/precursors/seizures/0/quantity/unit", true,
     I},
    {"HCl 37 %", S_PRE, hcl_litres_37, "V-PRE-06", NULL, false, 0},
    {"concentration 120", S_PRE, concentration_120, "V-PRE-06",
     "/precursors/seizures/0/concentration_pct", true, E},
    {"HCl litres without concentration", S_PRE, hcl_litres_no_concentration, "V-PRE-06",
     "/precursors/seizures/0/quantity/unit", true, W},
    {"AA quantities plausible", S_PRE, nothing, "V-PRE-07", NULL, false, 0},
    {"AA 60 t in one incident", S_PRE, aa_incident_60t, "V-PRE-07",
     "/precursors/incidents/0/substances", true, W},
    {"AA 600 t in a year", S_PRE, aa_annual_600t, "V-PRE-07", "/precursors/seizures/0/quantity",
     true, W},
    {"route ok", S_PRE, nothing, "V-PRE-08", NULL, false, 0},
    {"route bogus country", S_PRE, route_bogus_country, "V-PRE-08",
     "/precursors/incidents/0/route/1/country", true, E},
    {"route repeats", S_PRE, route_repeat, "V-PRE-08", "/precursors/incidents/0/route/1/country",
     true, E},
    {"origin second", S_PRE, route_origin_second, "V-PRE-08",
     "/precursors/incidents/0/route/1/role", true, E},
    {"destination first", S_PRE, route_destination_first, "V-PRE-08",
     "/precursors/incidents/0/route/0/role", true, E},
    {"reporter not on route", S_PRE, route_without_reporter, "V-PRE-08",
     "/precursors/incidents/0/route", true, W},
    {"stopped abroad", S_PRE, route_stopped_abroad, "V-PRE-08", NULL, false, 0},
    {"acetone import", S_PRE, nothing, "V-PRE-09", NULL, false, 0},
    {"AA export to AFG", S_PRE, aa_export_to_afg, "V-PRE-09", "/precursors/licit_trade/0", true, W},
    {"AA import by AFG", S_PRE, aa_import_by_afg, "V-PRE-09", "/precursors/licit_trade/0", true, W},
    {"incident in year", S_PRE, nothing, "V-PRE-10", NULL, false, 0},
    {"incident in fiscal year", S_PRE, incident_in_fiscal_year, "V-PRE-10", NULL, false, 0},
    {"incident last year", S_PRE, incident_last_year, "V-PRE-10",
     "/precursors/incidents/0/incident_date", true, E},
    {"incidents within 5 %", S_PRE, incidents_near_annual, "V-PRE-11", NULL, false, 0},
    {"incidents over annual", S_PRE, incidents_over_annual, "V-PRE-11",
     "/precursors/seizures/0/quantity", true, W},
    {"CAS and HS valid", S_PRE, nothing, "V-PRE-12", NULL, false, 0},
    {"HS matches Ac2O", S_PRE, ac2o_right_hs, "V-PRE-12", NULL, false, 0},
    {"CAS check digit", S_PRE, cas_bad_digit, "V-PRE-12", "/precursors/non_scheduled/0/cas_number",
     true, E},
    {"HS five digits", S_PRE, hs_five_digits, "V-PRE-12", "/precursors/non_scheduled/0/hs_code",
     true, E},
    {"HS does not match Ac2O", S_PRE, ac2o_wrong_hs, "V-PRE-12",
     "/precursors/non_scheduled/0/hs_code", true, W},
    {"non-scheduled name", S_PRE, nothing, "V-PRE-13", NULL, false, 0},
    {"acetyl oxide in P2", S_PRE, acetyl_oxide_p2, "V-PRE-13",
     "/precursors/non_scheduled/0/substance_name", true, W},
    {"AA's CAS in P2", S_PRE, aa_cas_p2, "V-PRE-13", "/precursors/non_scheduled/0/cas_number", true,
     W},
    {"Ac2O named in P6", S_PRE, ac2o_name_p6, "V-PRE-13",
     "/precursors/incidents/0/substances/0/substance_name", true, W},
    {"misdeclaration flagged", S_PRE, nothing, "V-PRE-14", NULL, false, 0},
    {"declared truthfully", S_PRE, declared_truthfully, "V-PRE-14", NULL, false, 0},
    {"misdeclaration not flagged", S_PRE, misdeclared_not_flagged, "V-PRE-14",
     "/precursors/incidents/0/concealment", true, I},
    {"incident without substances", S_PRE, incident_no_substances, "REQUIRED",
     "/precursors/incidents/0/substances", true, E},
    {"incident ids distinct", S_PRE, incident_second, "V-PRE-15", NULL, false, 0},
    {"incident id repeated", S_PRE, incident_id_thrice, "V-PRE-15",
     "/precursors/incidents/2/incident_id", true, E},
    {"first use of an id is fine", S_PRE, incident_id_thrice, "V-PRE-15",
     "/precursors/incidents/0/incident_id", false, 0},
};

static const dcp_finding_t *
s_find (const dcp_findings_t *f, const char *rule, const char *path)
{
    for (size_t i = 0; i < dcp_findings_count (f); i++) {
        const dcp_finding_t *x = dcp_findings_get (f, i);
        if (strcmp (x->rule, rule) == 0 && (!path || strcmp (x->path, path) == 0))
            return x;
    }
    return NULL;
}

static void
s_print (const dcp_findings_t *f)
{
    for (size_t i = 0; i < dcp_findings_count (f); i++) {
        const dcp_finding_t *x = dcp_findings_get (f, i);
        print_message ("  %s %s %s: %s\n", x->rule, dcp_severity_name (x->severity), x->path,
                       x->message);
    }
}

/* Runs the check on a base changed by CHANGE; the caller frees FINDINGS. */
static dcp_findings_t *
s_run (int base, void (*change) (sub_t *, dcp_rules_opts_t *))
{
    dcp_rules_opts_t opts;
    s_opts (&opts);
    sub_t *s = base == S_FF ? s_base_ff () : s_base_pre ();
    change (s, &opts);
    dcp_findings_t *f = dcp_findings_new ();
    assert_non_null (f);
    assert_int_equal (dcp_rules_check (s, &opts, f), 0);
    return f;
}

/* --- messages a person can act on ----------------------------------------- */

CHANGE (substance_misspelt_code, SEIZURE (s, 0)->substance_code = S ("ACETT"))
CHANGE (substance_misspelt_name, SEIZURE (s, 0)->substance_code = S ("acetic anhidride"))
CHANGE (ns_misspelt_scheduled, NS (s)->substance_name = S ("acetic anhidride"))
CHANGE (country_lower_case, s->reporting_country = S ("pak"))
CHANGE (pre_country_lower_case, s->reporting_country = S ("afg"))
CHANGE (country_misspelt_name, s->reporting_country = S ("Afganistan"))
CHANGE (late_offline, o->received_on = "2025-07-01"; o->offline = true)

typedef struct {
    const char *name;
    int base;
    void (*change) (sub_t *, dcp_rules_opts_t *);
    const char *rule;
    const char *path;
    const char *says;     /* in the message */
    const char *not_says; /* NULL, or words the message must not hold */
} message_case_t;

static const message_case_t s_messages[] = {
    {"code one letter off", S_PRE, substance_misspelt_code, "V-PRE-01",
     "/precursors/seizures/0/substance_code", "did you mean \"ACET\" (acetone)?", NULL},
    {"name as code, misspelt", S_PRE, substance_misspelt_name, "V-PRE-01",
     "/precursors/seizures/0/substance_code", "did you mean \"AA\" (acetic anhydride)?", NULL},
    {"misspelt scheduled name under non_scheduled", S_PRE, ns_misspelt_scheduled, "V-PRE-13",
     "/precursors/non_scheduled/0/substance_name", "did you mean acetic anhydride (AA)", NULL},
    {"lower-case country code", S_FF, country_lower_case, "V-ENV-01", "/reporting_country",
     "capital letters, \"PAK\"", NULL},
    {"misspelt country name", S_FF, country_misspelt_name, "V-ENV-01", "/reporting_country",
     "did you mean \"AFG\"", NULL},
    {"late, checked offline", S_FF, late_offline, "V-ENV-05", "/reporting_year",
     "LATE: the deadline for 2024 was 2025-06-30", "accepted"},
    {"late, received", S_FF, received_late, "V-ENV-05", "/reporting_year", "received on 2025-07-01",
     NULL},
};

/* The message says what to write instead ("did you mean"), and an offline
 * check does not claim the response was received or accepted. */
static void
test_messages_a_person_can_act_on (void **state)
{
    (void) state;
    int failures = 0;
    for (size_t i = 0; i < sizeof s_messages / sizeof s_messages[0]; i++) {
        const message_case_t *t = &s_messages[i];
        dcp_findings_t *f = s_run (t->base, t->change);
        const dcp_finding_t *hit = s_find (f, t->rule, t->path);
        if (!hit || !strstr (hit->message, t->says)
            || (t->not_says && strstr (hit->message, t->not_says))) {
            print_error ("case \"%s\": expected %s at %s saying \"%s\"; found:\n", t->name, t->rule,
                         t->path, t->says);
            s_print (f);
            failures++;
        }
        dcp_findings_destroy (&f);
        s_arena_free ();
    }
    assert_int_equal (failures, 0);
}

/* A lower-case reporting country is one mistake, said once: no route
 * finding (V-PRE-08) follows from it. */
static void
test_wrong_reporting_country_has_no_follow_on (void **state)
{
    (void) state;
    dcp_findings_t *f = s_run (S_PRE, pre_country_lower_case);
    assert_true (dcp_findings_has (f, "V-ENV-01", "/reporting_country"));
    for (size_t i = 0; i < dcp_findings_count (f); i++)
        assert_string_not_equal (dcp_findings_get (f, i)->rule, "V-PRE-08");
    dcp_findings_destroy (&f);
    s_arena_free ();
}

static void
test_bases_are_clean (void **state)
{
    for (int base = S_FF; base <= S_PRE; base++) {
        dcp_findings_t *f = s_run (base, nothing);
        if (dcp_findings_count (f))
            s_print (f);
        assert_int_equal (dcp_findings_count (f), 0);
        dcp_findings_destroy (&f);
        s_arena_free ();
    }
}

static void
test_rule_table (void **state)
{
    int failures = 0;
    for (size_t i = 0; i < sizeof s_cases / sizeof s_cases[0]; i++) {
        const rule_case_t *t = &s_cases[i];
        dcp_findings_t *f = s_run (t->base, t->change);
        const dcp_finding_t *hit = s_find (f, t->rule, t->path);
        bool ok =
            (hit != NULL) == t->fires && (!hit || !t->severity || hit->severity == t->severity);
        /* dcp_findings_has is the public way to ask the same question. */
        ok = ok && dcp_findings_has (f, t->rule, t->path) == t->fires;
        if (!ok) {
            print_error ("case \"%s\": expected %s %s at %s; found:\n", t->name, t->rule,
                         t->fires ? "to fire" : "not to fire", t->path ? t->path : "(any path)");
            s_print (f);
            failures++;
        }
        dcp_findings_destroy (&f);
        s_arena_free ();
    }
    assert_int_equal (failures, 0);
}

/* Every rule id of proto/QUESTIONNAIRE.md that dcp_rules implements has a failing case
 * in the table, so a rule cannot silently stop firing. */
static void
test_every_rule_has_a_failing_case (void **state)
{
    static const char *rules[] = {
        "ENV-ID",       "ENV-SCHEMA",  "ENV-KIND",   "ENV-PAYLOAD", "REQUIRED",  "CODE-UNKNOWN",
        "ENUM-UNKNOWN", "DATE-FORMAT", "DATE-ORDER", "VALUE-RANGE", "TEXT-UTF8", "TEXT-LENGTH",
        "LIST-LENGTH",  "V-GEN-01",    "V-GEN-02",   "V-GEN-03",    "V-GEN-04",  "V-GEN-05",
        "V-GEN-06",     "V-GEN-08",    "V-ENV-01",   "V-ENV-02",    "V-ENV-03",  "V-ENV-04",
        "V-ENV-05",     "V-ENV-06",    "V-ENV-07",   "V-ENV-08",    "V-FIN-01",  "V-FIN-02",
        "V-FIN-03",     "V-FIN-04",    "V-FIN-05",   "V-FIN-06",    "V-FIN-07",  "V-FIN-08",
        "V-FIN-09",     "V-FIN-10",    "V-FIN-11",   "V-FIN-12",    "V-FIN-14",  "V-FIN-15",
        "V-PRE-01",     "V-PRE-02",    "V-PRE-03",   "V-PRE-04",    "V-PRE-05",  "V-PRE-06",
        "V-PRE-07",     "V-PRE-08",    "V-PRE-09",   "V-PRE-10",    "V-PRE-11",  "V-PRE-12",
        "V-PRE-13",     "V-PRE-14",    "V-PRE-15",
    };
    for (size_t r = 0; r < sizeof rules / sizeof rules[0]; r++) {
        bool fails = false, passes = false;
        for (size_t i = 0; i < sizeof s_cases / sizeof s_cases[0]; i++)
            if (strcmp (s_cases[i].rule, rules[r]) == 0) {
                fails |= s_cases[i].fires;
                passes |= !s_cases[i].fires;
            }
        if (!fails || !passes)
            print_error ("rule %s lacks a %s case\n", rules[r], fails ? "passing" : "failing");
        assert_true (fails && passes);
    }
}

static void
test_all_rules_run_together (void **state)
{
    /* Three unrelated mistakes: all three are reported, none hides another. */
    dcp_rules_opts_t opts;
    s_opts (&opts);
    sub_t *s = s_base_pre ();
    s->submission_id = S ("x");
    SEIZURE (s, 1)->quantity->unit = S ("L");
    INCIDENT (s)->incident_date = S ("2023-01-01");
    dcp_findings_t *f = dcp_findings_new ();
    assert_int_equal (dcp_rules_check (s, &opts, f), 0);
    assert_true (dcp_findings_has (f, "ENV-ID", "/submission_id"));
    assert_true (dcp_findings_has (f, "V-PRE-02", "/precursors/seizures/1/quantity/unit"));
    assert_true (dcp_findings_has (f, "V-PRE-10", "/precursors/incidents/0/incident_date"));
    assert_int_equal (dcp_findings_errors (f), 3);
    /* Messages speak to the focal point: lowercase, name the bad value. */
    const dcp_finding_t *unit = s_find (f, "V-PRE-02", NULL);
    assert_string_equal (unit->message, "unit \"L\" is a volume but potassium permanganate is a "
                                        "solid: report it in KG, G or T");
    dcp_findings_destroy (&f);
    s_arena_free ();
}

static void
test_bad_values_are_quoted_safely (void **state)
{
    dcp_rules_opts_t opts;
    s_opts (&opts);
    sub_t *s = s_base_ff ();
    s->reporting_country = S ("\"x\\\n\xff"
                              "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    dcp_findings_t *f = dcp_findings_new ();
    assert_int_equal (dcp_rules_check (s, &opts, f), 0);
    const dcp_finding_t *x = s_find (f, "V-ENV-01", "/reporting_country");
    assert_non_null (x);
    assert_non_null (strstr (x->message, "\"\\\"x\\\\\\x0a\\xff")); /* escaped */
    assert_non_null (strstr (x->message, "...\""));                 /* cut */
    assert_true (dcp_findings_has (f, "TEXT-UTF8", "/reporting_country"));
    dcp_findings_destroy (&f);
    s_arena_free ();
}

static void
test_empty_and_null_messages_do_not_crash (void **state)
{
    /* A bare Submission, and one whose strings are NULL (hand-built by a
     * careless program): findings, never a crash. */
    Dcp__V1__Submission bare;
    dcp__v1__submission__init (&bare);
    dcp_findings_t *f = dcp_findings_new ();
    assert_int_equal (dcp_rules_check (&bare, NULL, f), 0);
    assert_true (dcp_findings_has (f, "ENV-PAYLOAD", ""));
    assert_true (dcp_findings_has (f, "ENV-KIND", "/questionnaire"));
    dcp_findings_destroy (&f);

    sub_t *s = s_base_pre ();
    s->submission_id = NULL;
    s->reporting_country = NULL;
    s->completed_on = NULL;
    INCIDENT (s)->incident_type = NULL;
    INCIDENT (s)->route[1]->country = NULL;
    SEIZURE (s, 0)->quantity->unit = NULL;
    PRE (s)->routes[0]->role = NULL;
    f = dcp_findings_new ();
    assert_int_equal (dcp_rules_check (s, NULL, f), 0);
    assert_true (dcp_findings_errors (f) > 0);
    dcp_findings_destroy (&f);
    s_arena_free ();
}

static void
test_unknown_fields_on_the_wire (void **state)
{
    /* A newer collector adds field 99: the validator notes and ignores it. */
    dcp_rules_opts_t opts;
    s_opts (&opts);
    size_t len;
    uint8_t *bytes = dcp_codec_pack (s_base_ff (), &len);
    assert_non_null (bytes);
    uint8_t *longer = realloc (bytes, len + 3);
    assert_non_null (longer);
    /* key = field 99, wire type 0 (varint), itself a two-byte varint */
    longer[len] = (uint8_t) (((99 << 3) & 0x7f) | 0x80);
    longer[len + 1] = (uint8_t) ((99 << 3) >> 7);
    longer[len + 2] = 1;
    Dcp__V1__Submission *sub = dcp_codec_unpack (longer, len + 3, DCP_MAX_MESSAGE);
    assert_non_null (sub);
    dcp_findings_t *f = dcp_findings_new ();
    assert_int_equal (dcp_rules_check (sub, &opts, f), 0);
    const dcp_finding_t *x = s_find (f, "FIELD-UNKNOWN", "");
    assert_non_null (x);
    assert_int_equal (x->severity, DCP_SEV_INFO);
    assert_int_equal (dcp_findings_errors (f), 0);
    dcp_findings_destroy (&f);
    dcp_codec_free (&sub);
    free (longer);
    s_arena_free ();
}

static void
test_utf8_helper (void **state)
{
    static const struct {
        const char *text;
        size_t len;
        bool ok;
    } cases[] = {
        {"plain", 5, true},
        {"tab\tcr\rlf\n", 10, true},
        {"T\xc3\xbcrkiye", 8, true},   /* ü */
        {"\xe2\x80\x93", 3, true},     /* en dash */
        {"\xf0\x9f\x98\x80", 4, true}, /* U+1F600 */
        {"a\0b", 3, false},            /* NUL inside */
        {"\x01", 1, false},
        {"\xff", 1, false},
        {"\xc0\xaf", 2, false},         /* overlong '/' */
        {"\xe0\x80\xaf", 3, false},     /* overlong */
        {"\xed\xa0\x80", 3, false},     /* surrogate */
        {"\xf4\x90\x80\x80", 4, false}, /* > U+10FFFF */
        {"\xc3", 1, false},             /* truncated */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal (dcp_utf8_valid (cases[i].text, cases[i].len, DCP_UTF8_TEXT), cases[i].ok);
}

static void
test_uuid_helper (void **state)
{
    static const struct {
        const char *text;
        bool ok;
    } cases[] = {
        {"0b5f3e2a-8c1d-4e7f-9a6b-2c3d4e5f6a7b", true},
        {"0B5F3E2A-8C1D-4E7F-9A6B-2C3D4E5F6A7B", true},
        {"0B5F3E2A-8c1d-4e7f-9a6b-2c3d4e5f6a7b", true}, /* mixed case: dcp_id.h */
        {"0b5f3e2a8c1d4e7f9a6b2c3d4e5f6a7b", false},    /* no dashes */
        {"{0b5f3e2a-8c1d-4e7f-9a6b-2c3d4e5f6a7b}", false},
        {"0b5f3e2a-8c1d-4e7f-9a6b-2c3d4e5f6a7g", false},
        {"", false},
        {NULL, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal (dcp_id_uuid_ok (cases[i].text), cases[i].ok);
}

static int
s_teardown (void **state)
{
    dcp_refdata_free ();
    return 0;
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_bases_are_clean),
        cmocka_unit_test (test_rule_table),
        cmocka_unit_test (test_messages_a_person_can_act_on),
        cmocka_unit_test (test_wrong_reporting_country_has_no_follow_on),
        cmocka_unit_test (test_every_rule_has_a_failing_case),
        cmocka_unit_test (test_all_rules_run_together),
        cmocka_unit_test (test_bad_values_are_quoted_safely),
        cmocka_unit_test (test_empty_and_null_messages_do_not_crash),
        cmocka_unit_test (test_unknown_fields_on_the_wire),
        cmocka_unit_test (test_utf8_helper),
        cmocka_unit_test (test_uuid_helper),
    };
    return cmocka_run_group_tests (tests, NULL, s_teardown);
}
