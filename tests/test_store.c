/* test_store.c: the loader's database side against a real PostgreSQL.
 *
 * Each test gets a fresh database in the throwaway cluster of tests/pg.sh
 * (ctest fixture "pg"; DCP_TEST_PG names its conninfo file), copied from a
 * template database migrated once for the whole file (CREATE DATABASE ...
 * TEMPLATE is a file copy, much cheaper than running every migration per
 * test), and drops it at the end.  Submissions are built as protobuf structs,
 * packed with dcp_codec_pack() and stored with store_batch() exactly as the
 * loader does, so these tests double as examples of the store API. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "dcp_blob.h"
#include "dcp_codec.h"
#include "dcp_err.h"
#include "dcp_findings.h"
#include "dcp_log.h"
#include "dcp_refdata.h"
#include "keyfig.h"
#include "migrate.h"
#include "pgtest.h"
#include "sections.h"
#include "revwait.h"
#include "store.h"

/* ---------------------------------------------------------------------------
 * Fixture: a fresh database per test, and an arena for the protobuf structs
 * the tests build (freed in one go at the end). */

typedef struct {
    char conninfo[1024];
    char dbname[64];
    PGconn *admin;
    PGconn *db;
    void **allocs;
    size_t n_allocs, cap_allocs;
    uint8_t *raws[64];
    size_t n_raws;
} fixture_t;

static void *
s_alloc (fixture_t *f, size_t size)
{
    void *p = calloc (1, size);
    assert_non_null (p);
    if (f->n_allocs == f->cap_allocs) {
        f->cap_allocs = f->cap_allocs ? 2 * f->cap_allocs : 64;
        f->allocs = realloc (f->allocs, f->cap_allocs * sizeof *f->allocs);
        assert_non_null (f->allocs);
    }
    f->allocs[f->n_allocs++] = p;
    return p;
}

/* The migrated template every test's database is copied from. */
static char s_template[64];

/* Creates and migrates the template (no connection may stay open on it). */
static int
group_setup (void **state)
{
    (void) state;
    char conninfo[1024];
    pgtest_conninfo (conninfo, sizeof conninfo);
    snprintf (s_template, sizeof s_template, "dcp_template_%d", (int) getpid ());
    PGconn *admin = pgtest_connect (conninfo, "postgres");
    pgtest_create_db (admin, s_template, NULL);
    PGconn *db = pgtest_connect (conninfo, s_template);
    assert_int_equal (migrate_run (db), 0);
    PQfinish (db);
    PQfinish (admin);
    return 0;
}

static int
group_teardown (void **state)
{
    (void) state;
    char conninfo[1024];
    pgtest_conninfo (conninfo, sizeof conninfo);
    PGconn *admin = pgtest_connect (conninfo, "postgres");
    pgtest_drop_db (admin, s_template);
    PQfinish (admin);
    return 0;
}

static int
setup (void **state)
{
    static int counter;
    fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    pgtest_conninfo (f->conninfo, sizeof f->conninfo);
    snprintf (f->dbname, sizeof f->dbname, "dcp_test_%d_%d", (int) getpid (), ++counter);
    f->admin = pgtest_connect (f->conninfo, "postgres");
    pgtest_create_db (f->admin, f->dbname, s_template);
    f->db = pgtest_connect (f->conninfo, f->dbname);
    *state = f;
    return 0;
}

static int
teardown (void **state)
{
    fixture_t *f = *state;
    PQfinish (f->db);
    pgtest_drop_db (f->admin, f->dbname);
    PQfinish (f->admin);
    for (size_t i = 0; i < f->n_allocs; i++)
        free (f->allocs[i]);
    free (f->allocs);
    for (size_t i = 0; i < f->n_raws; i++)
        free (f->raws[i]);
    free (f);
    return 0;
}

/* Runs SQL (with up to 3 text parameters) and returns the first field of
 * the first row as a static string ("" if no row, NULL if SQL NULL). */
static const char *
s_scalar (PGconn *db, const char *sql, const char *p1, const char *p2, const char *p3)
{
    static char value[4096];
    const char *params[] = {p1, p2, p3};
    int n = p3 ? 3 : p2 ? 2 : p1 ? 1 : 0;
    PGresult *res = PQexecParams (db, sql, n, NULL, params, NULL, NULL, 0);
    if (PQresultStatus (res) != PGRES_TUPLES_OK)
        fail_msg ("query failed: %s: %s", sql, PQresultErrorMessage (res));
    const char *out = value;
    if (PQntuples (res) == 0)
        value[0] = '\0';
    else if (PQgetisnull (res, 0, 0))
        out = NULL;
    else
        snprintf (value, sizeof value, "%s", PQgetvalue (res, 0, 0));
    PQclear (res);
    return out;
}

static long
s_count (PGconn *db, const char *sql, const char *p1)
{
    const char *v = s_scalar (db, sql, p1, NULL, NULL);
    return v ? atol (v) : -1;
}

/* ---------------------------------------------------------------------------
 * Builders */

static char *
s_str (fixture_t *f, const char *text)
{
    char *s = s_alloc (f, strlen (text) + 1);
    memcpy (s, text, strlen (text) + 1);
    return s;
}

static Dcp__V1__Quantity *
s_quantity (fixture_t *f, Dcp__V1__ObsStatus status, const char *value, const char *unit)
{
    Dcp__V1__Quantity *q = s_alloc (f, sizeof *q);
    dcp__v1__quantity__init (q);
    q->status = status;
    q->value = s_str (f, value);
    q->unit = s_str (f, unit);
    return q;
}

static Dcp__V1__Count *
s_count_msg (fixture_t *f, Dcp__V1__ObsStatus status, long value)
{
    Dcp__V1__Count *c = s_alloc (f, sizeof *c);
    dcp__v1__count__init (c);
    c->status = status;
    if (value >= 0) {
        c->presence_case = DCP__V1__COUNT__PRESENCE_VALUE;
        c->value = value;
    }
    return c;
}

static Dcp__V1__Submission *
s_envelope (fixture_t *f, const char *id, const char *country, int year, unsigned revision,
            const char *supersedes)
{
    Dcp__V1__Submission *sub = s_alloc (f, sizeof *sub);
    dcp__v1__submission__init (sub);
    sub->submission_id = s_str (f, id);
    sub->schema_version = DCP_SCHEMA_VERSION;
    sub->form_version = s_str (f, "PC-2026.1");
    sub->reporting_country = s_str (f, country);
    sub->reporting_year = year;
    sub->finalised_at = s_str (f, "2026-03-01T10:00:00Z");
    sub->completed_on = s_str (f, "2026-03-01");
    sub->geographic_coverage = s_str (f, "NATIONAL");
    sub->revision_no = revision;
    sub->supersedes_submission_id = s_str (f, supersedes ? supersedes : "");
    return sub;
}

/* A precursor response: P1 with AA in litres, AA in kg, ACET not available;
 * P6 one incident AFG -> IRN -> TUR.  LITRES is the first AA figure. */
static Dcp__V1__Submission *
s_precursors (fixture_t *f, const char *id, const char *country, int year, unsigned revision,
              const char *supersedes, const char *litres)
{
    Dcp__V1__Submission *sub = s_envelope (f, id, country, year, revision, supersedes);
    sub->questionnaire = DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_PRECURSORS;
    Dcp__V1__Precursors *pc = s_alloc (f, sizeof *pc);
    dcp__v1__precursors__init (pc);
    sub->payload_case = DCP__V1__SUBMISSION__PAYLOAD_PRECURSORS;
    sub->precursors = pc;

    pc->n_seizures = 3;
    pc->seizures = s_alloc (f, 3 * sizeof *pc->seizures);
    const char *codes[] = {"AA", "AA", "ACET"};
    for (int i = 0; i < 3; i++) {
        Dcp__V1__AnnualSeizure *s = s_alloc (f, sizeof *s);
        dcp__v1__annual_seizure__init (s);
        s->substance_code = s_str (f, codes[i]);
        s->physical_form = s_str (f, "BULK_LIQUID");
        s->number_of_seizures = s_count_msg (f, DCP__V1__OBS_STATUS__OBS_REPORTED, 2);
        pc->seizures[i] = s;
    }
    pc->seizures[0]->quantity = s_quantity (f, DCP__V1__OBS_STATUS__OBS_REPORTED, litres, "L");
    pc->seizures[1]->quantity = s_quantity (f, DCP__V1__OBS_STATUS__OBS_ESTIMATED, "500", "KG");
    pc->seizures[2]->quantity = s_quantity (f, DCP__V1__OBS_STATUS__OBS_NOT_AVAILABLE, "", "L");
    pc->seizures[2]->number_of_seizures =
        s_count_msg (f, DCP__V1__OBS_STATUS__OBS_NOT_AVAILABLE, -1);
    pc->seizures[0]->n_origin_countries = 2;
    pc->seizures[0]->origin_countries = s_alloc (f, 2 * sizeof (char *));
    pc->seizures[0]->origin_countries[0] = s_str (f, "IRN");
    pc->seizures[0]->origin_countries[1] = s_str (f, "UNKNOWN");

    Dcp__V1__Incident *in = s_alloc (f, sizeof *in);
    dcp__v1__incident__init (in);
    in->incident_id = s_str (f, "INC-1");
    in->incident_type = s_str (f, "SEIZURE");
    char date[16];
    snprintf (date, sizeof date, "%04d-06-15", year);
    in->incident_date = s_str (f, date);
    in->declared_description = s_str (f, "motor oil");
    in->n_route = 3;
    in->route = s_alloc (f, 3 * sizeof *in->route);
    const char *legs[][2] = {{"AFG", "ORIGIN"}, {"IRN", "TRANSIT"}, {"TUR", "DESTINATION"}};
    for (int i = 0; i < 3; i++) {
        Dcp__V1__RouteLeg *leg = s_alloc (f, sizeof *leg);
        dcp__v1__route_leg__init (leg);
        leg->country = s_str (f, legs[i][0]);
        leg->role = s_str (f, legs[i][1]);
        in->route[i] = leg;
    }
    Dcp__V1__IncidentSubstance *is = s_alloc (f, sizeof *is);
    dcp__v1__incident_substance__init (is);
    is->substance_code = s_str (f, "AA");
    is->quantity = s_quantity (f, DCP__V1__OBS_STATUS__OBS_REPORTED, "210", "L");
    is->package_type = s_str (f, "DRUM");
    is->package_count = s_count_msg (f, DCP__V1__OBS_STATUS__OBS_REPORTED, 1);
    in->n_substances = 1;
    in->substances = s_alloc (f, sizeof *in->substances);
    in->substances[0] = is;
    pc->n_incidents = 1;
    pc->incidents = s_alloc (f, sizeof *pc->incidents);
    pc->incidents[0] = in;
    return sub;
}

/* A financial-flows response: section C with one count not available and
 * two enforcement rows. */
static Dcp__V1__Submission *
s_finflow (fixture_t *f, const char *id, const char *country, int year)
{
    Dcp__V1__Submission *sub = s_envelope (f, id, country, year, 0, NULL);
    sub->questionnaire = DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_FINANCIAL_FLOWS;
    Dcp__V1__FinancialFlows *ff = s_alloc (f, sizeof *ff);
    dcp__v1__financial_flows__init (ff);
    sub->payload_case = DCP__V1__SUBMISSION__PAYLOAD_FINANCIAL_FLOWS;
    sub->financial_flows = ff;
    Dcp__V1__SuspiciousTransactions *str = s_alloc (f, sizeof *str);
    dcp__v1__suspicious_transactions__init (str);
    str->received_total = s_count_msg (f, DCP__V1__OBS_STATUS__OBS_REPORTED, 1200);
    str->disseminated_total = s_count_msg (f, DCP__V1__OBS_STATUS__OBS_REPORTED, 0);
    str->received_drug_related = s_count_msg (f, DCP__V1__OBS_STATUS__OBS_NOT_AVAILABLE, -1);
    ff->str = str;
    ff->n_enforcement = 2;
    ff->enforcement = s_alloc (f, 2 * sizeof *ff->enforcement);
    const char *stages[] = {"INVESTIGATION", "CONVICTION"};
    for (int i = 0; i < 2; i++) {
        Dcp__V1__EnforcementRow *r = s_alloc (f, sizeof *r);
        dcp__v1__enforcement_row__init (r);
        r->stage = s_str (f, stages[i]);
        r->scope = s_str (f, "ML_ALL");
        r->count_unit = s_str (f, "CASES");
        r->counting_rule = s_str (f, "STARTED_IN_YEAR");
        r->value = s_count_msg (f, DCP__V1__OBS_STATUS__OBS_REPORTED, 40 - 30 * i);
        ff->enforcement[i] = r;
    }
    return sub;
}

static Dcp__V1__Forward *
s_forward (fixture_t *f, const char *id, bool rejected)
{
    Dcp__V1__Forward *fwd = s_alloc (f, sizeof *fwd);
    dcp__v1__forward__init (fwd);
    fwd->submission_id = s_str (f, id);
    fwd->rejected = rejected;
    fwd->sender_key = s_str (f, "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7");
    fwd->sender_country = s_str (f, "AFG");
    fwd->sender_name = s_str (f, "collector-kabul");
    fwd->received_at = s_str (f, "2026-03-02T08:00:00Z");
    fwd->validator_id = s_str (f, "validator-1");
    return fwd;
}

static void
s_add_problem (fixture_t *f, Dcp__V1__Forward *fwd, const char *code, Dcp__V1__Severity sev,
               const char *path, const char *message)
{
    Dcp__V1__Problem **arr = s_alloc (f, (fwd->n_problems + 1) * sizeof *arr);
    if (fwd->n_problems)
        memcpy (arr, fwd->problems, fwd->n_problems * sizeof *arr);
    Dcp__V1__Problem *p = s_alloc (f, sizeof *p);
    dcp__v1__problem__init (p);
    p->code = s_str (f, code);
    p->severity = sev;
    p->path = s_str (f, path);
    p->message = s_str (f, message);
    arr[fwd->n_problems++] = p;
    fwd->problems = arr;
}

/* Fills ITEM for SUB (packed to raw bytes) as the loader would. */
static void
s_item (fixture_t *f, store_item_t *item, Dcp__V1__Forward *fwd, const Dcp__V1__Submission *sub)
{
    memset (item, 0, sizeof *item);
    item->fwd = fwd;
    item->sub = sub;
    size_t len = 0;
    uint8_t *raw = dcp_codec_pack (sub, &len);
    assert_non_null (raw);
    assert_true (f->n_raws < 64);
    f->raws[f->n_raws++] = raw;
    item->raw = raw;
    item->raw_len = len;
}

static void
s_reset_all (store_item_t *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        store_item_reset (&items[i]);
}

#define ID1 "0b7f4c2e-3c55-4a5e-9a59-6f3d2f0c0001"
#define ID2 "0b7f4c2e-3c55-4a5e-9a59-6f3d2f0c0002"
#define ID3 "0b7f4c2e-3c55-4a5e-9a59-6f3d2f0c0003"
#define ID4 "0b7f4c2e-3c55-4a5e-9a59-6f3d2f0c0004"
#define ID5 "0b7f4c2e-3c55-4a5e-9a59-6f3d2f0c0005"

/* ---------------------------------------------------------------------------
 * Tests */

static void
test_migrations_apply_twice (void **state)
{
    fixture_t *f = *state;
    int files = 0, newest = 0;
    for (const dcp_blob_t *b = dcp_migrations; b->name; b++) {
        files++;
        newest = atoi (b->name); /* sorted; versions may leave gaps */
    }
    assert_true (files >= 5);
    /* setup() migrated once; again is a no-op. */
    assert_int_equal (migrate_run (f->db), 0);
    assert_int_equal (migrate_current (f->db), newest);
    assert_int_equal (s_count (f->db, "SELECT count(*) FROM dcp.schema_migrations", NULL), files);
    /* Reference tables are filled from the embedded CSV files, once. */
    long ref_files = 0;
    for (const dcp_blob_t *b = dcp_refdata; b->name; b++) {
        char table[128];
        snprintf (table, sizeof table, "dcp.ref_%.*s", (int) (strcspn (b->name, ".")), b->name);
        if (strcmp (s_scalar (f->db, "SELECT to_regclass($1) IS NOT NULL", table, NULL, NULL), "t"))
            continue;
        ref_files++;
        char sql[200];
        snprintf (sql, sizeof sql, "SELECT count(*) FROM %s", table);
        assert_true (s_count (f->db, sql, NULL) > 0);
    }
    assert_int_equal (s_count (f->db, "SELECT count(*) FROM dcp.ref_load", NULL), ref_files);
    /* Roles exist (the test cluster runs as a superuser). */
    assert_int_equal (s_count (f->db,
                               "SELECT count(*) FROM pg_roles"
                               " WHERE rolname IN ('dcp_loader', 'dcp_analyst')",
                               NULL),
                      2);
    assert_string_equal (s_scalar (f->db,
                                   "SELECT has_table_privilege('dcp_analyst',"
                                   " 'dcp.submission', 'SELECT')",
                                   NULL, NULL, NULL),
                         "f");
    assert_string_equal (s_scalar (f->db,
                                   "SELECT has_table_privilege('dcp_analyst',"
                                   " 'dcp.v_aa_seizures_kg', 'SELECT')",
                                   NULL, NULL, NULL),
                         "t");
    assert_string_equal (s_scalar (f->db,
                                   "SELECT has_column_privilege('dcp_loader',"
                                   " 'dcp.submission', 'raw', 'UPDATE')",
                                   NULL, NULL, NULL),
                         "f");
    /* An applied file that changed is refused. */
    PQclear (
        PQexec (f->db, "UPDATE dcp.schema_migrations SET checksum = 'edited' WHERE version = 1"));
    assert_int_equal (migrate_run (f->db), DCP_EDB_FATAL);
}

static void
test_new_batch_is_stored (void **state)
{
    fixture_t *f = *state;
    store_item_t items[3];
    Dcp__V1__Forward *fwd1 = s_forward (f, ID1, false);
    s_add_problem (f, fwd1, "V-ENV-03", DCP__V1__SEVERITY__SEVERITY_WARNING, "/reporting_year",
                   "partial year");
    s_item (f, &items[0], fwd1, s_precursors (f, ID1, "AFG", 2025, 0, NULL, "1000"));
    s_item (f, &items[1], s_forward (f, ID2, false),
            s_precursors (f, ID2, "PAK", 2025, 0, NULL, "10"));
    s_item (f, &items[2], s_forward (f, ID3, false), s_finflow (f, ID3, "AFG", 2025));

    assert_int_equal (store_batch (f->db, items, 3), 0);
    for (int i = 0; i < 3; i++) {
        assert_int_equal (items[i].status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
        assert_false (items[i].replayed);
        assert_int_equal (strlen (items[i].stored_at), 27); /* 2026-...T..:..:...uuuuuuZ */
    }
    assert_string_equal (items[0].current_id, ID1);
    assert_true (dcp_findings_has (items[0].findings, "V-ENV-03", "/reporting_year"));

    PGconn *db = f->db;
    assert_int_equal (s_count (db, "SELECT count(*) FROM dcp.v_submissions_current", NULL), 3);
    assert_int_equal (s_count (db, "SELECT count(*) FROM dcp.pc_seizure", NULL), 6);
    assert_int_equal (s_count (db, "SELECT count(*) FROM dcp.pc_incident_route", NULL), 6);
    assert_int_equal (s_count (db, "SELECT count(*) FROM dcp.ff_enforcement", NULL), 2);
    assert_string_equal (s_scalar (db,
                                   "SELECT review_state FROM dcp.submission"
                                   " WHERE submission_id = $1",
                                   ID1, NULL, NULL),
                         "has_issues");
    assert_string_equal (s_scalar (db,
                                   "SELECT review_state FROM dcp.submission"
                                   " WHERE submission_id = $1",
                                   ID2, NULL, NULL),
                         "received");
    assert_int_equal (
        s_count (db, "SELECT count(*) FROM dcp.v_findings WHERE rule = 'V-ENV-03'", NULL), 1);
    /* stored_at in the receipt is the transaction's time as stored. */
    assert_string_equal (s_scalar (db,
                                   "SELECT to_char(stored_at AT TIME ZONE 'UTC',"
                                   " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM dcp.submission"
                                   " WHERE submission_id = $1",
                                   ID1, NULL, NULL),
                         items[0].stored_at);
    /* Raw bytes and their hash are kept whole. */
    char raw_len[24];
    snprintf (raw_len, sizeof raw_len, "%zu", items[0].raw_len);
    assert_string_equal (s_scalar (db,
                                   "SELECT length(raw) = $2::int"
                                   " AND content_sha256 = sha256(raw) FROM dcp.submission"
                                   " WHERE submission_id = $1",
                                   ID1, raw_len, NULL),
                         "t");
    /* Not available stays NULL with its status, never 0. */
    assert_null (s_scalar (db,
                           "SELECT quantity_value FROM dcp.pc_seizure"
                           " WHERE submission_id = $1 AND ord = 2",
                           ID1, NULL, NULL));
    assert_string_equal (s_scalar (db,
                                   "SELECT quantity_status FROM dcp.pc_seizure"
                                   " WHERE submission_id = $1 AND ord = 2",
                                   ID1, NULL, NULL),
                         "NOT_AVAILABLE");
    /* Financial indicators view, with statuses. */
    assert_string_equal (s_scalar (db,
                                   "SELECT value FROM dcp.v_ff_indicators"
                                   " WHERE submission_id = $1 AND indicator = 'STR_RECEIVED'"
                                   " AND scope = 'ALL' AND breakdown IS NULL",
                                   ID3, NULL, NULL),
                         "1200");
    assert_string_equal (s_scalar (db,
                                   "SELECT value FROM dcp.v_ff_indicators"
                                   " WHERE submission_id = $1 AND indicator = 'STR_DISSEMINATED'"
                                   " AND scope = 'ALL'",
                                   ID3, NULL, NULL),
                         "0");
    assert_null (s_scalar (db,
                           "SELECT value FROM dcp.v_ff_indicators WHERE submission_id = $1"
                           " AND indicator = 'STR_RECEIVED' AND scope = 'DRUG'",
                           ID3, NULL, NULL));
    assert_string_equal (s_scalar (db,
                                   "SELECT status FROM dcp.v_ff_indicators"
                                   " WHERE submission_id = $1 AND indicator = 'FIU_REQUESTS_SENT'",
                                   ID3, NULL, NULL),
                         "UNANSWERED");
    assert_string_equal (s_scalar (db,
                                   "SELECT value FROM dcp.v_ff_indicators"
                                   " WHERE submission_id = $1 AND indicator = 'ML_CONVICTION'",
                                   ID3, NULL, NULL),
                         "10");
    /* Routes: origin -> destination per incident. */
    assert_string_equal (s_scalar (db,
                                   "SELECT origin || '>' || destination || ' ' || legs"
                                   " FROM dcp.v_incident_routes WHERE submission_id = $1",
                                   ID1, NULL, NULL),
                         "AFG>TUR AFG > IRN > TUR");
    assert_string_equal (s_scalar (db,
                                   "SELECT origin_countries::text FROM dcp.pc_seizure"
                                   " WHERE submission_id = $1 AND ord = 0",
                                   ID1, NULL, NULL),
                         "{IRN,UNKNOWN}");
    assert_int_equal (
        s_count (db, "SELECT n_numbers FROM dcp.submission WHERE submission_id = $1", ID1), 9);
    s_reset_all (items, 3);
}

static void
test_replay_writes_nothing (void **state)
{
    fixture_t *f = *state;
    store_item_t items[2];
    Dcp__V1__Forward *fwd = s_forward (f, ID1, false);
    s_add_problem (f, fwd, "V-PRE-07", DCP__V1__SEVERITY__SEVERITY_WARNING, "/precursors", "big");
    s_item (f, &items[0], fwd, s_precursors (f, ID1, "AFG", 2025, 0, NULL, "1000"));
    assert_int_equal (store_batch (f->db, items, 1), 0);
    char first_stored_at[40];
    strcpy (first_stored_at, items[0].stored_at);
    long rows = s_count (f->db, "SELECT count(*) FROM dcp.pc_seizure", NULL);

    /* The same bytes again (a collector resending after a lost receipt),
     * twice in one batch. */
    items[1] = items[0];
    items[1].findings = NULL;
    assert_int_equal (store_batch (f->db, items, 2), 0);
    for (int i = 0; i < 2; i++) {
        assert_int_equal (items[i].status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
        assert_true (items[i].replayed);
        assert_string_equal (items[i].stored_at, first_stored_at);
        assert_string_equal (items[i].current_id, ID1);
        assert_true (dcp_findings_has (items[i].findings, "V-PRE-07", "/precursors"));
    }
    assert_int_equal (s_count (f->db, "SELECT count(*) FROM dcp.pc_seizure", NULL), rows);
    assert_int_equal (s_count (f->db, "SELECT count(*) FROM dcp.submission", NULL), 1);
    assert_int_equal (s_count (f->db, "SELECT count(*) FROM dcp.finding", NULL), 1);
    s_reset_all (items, 2);
}

static void
test_same_id_other_content_is_conflict (void **state)
{
    fixture_t *f = *state;
    store_item_t item;
    s_item (f, &item, s_forward (f, ID1, false),
            s_precursors (f, ID1, "AFG", 2025, 0, NULL, "1000"));
    assert_int_equal (store_batch (f->db, &item, 1), 0);
    store_item_reset (&item);

    store_item_t other;
    s_item (f, &other, s_forward (f, ID1, false),
            s_precursors (f, ID1, "AFG", 2025, 0, NULL, "999"));
    assert_int_equal (store_batch (f->db, &other, 1), 0);
    assert_int_equal (other.status, DCP__V1__RECEIPT_STATUS__RECEIPT_CONFLICT);
    assert_false (other.replayed);
    assert_true (dcp_findings_has (other.findings, "CONFLICT", "/submission_id"));
    assert_string_equal (other.current_id, ID1);
    assert_int_equal (s_count (f->db,
                               "SELECT count(*) FROM dcp.quarantine WHERE reason = 'conflict'"
                               " AND problems @> '[{\"code\": \"CONFLICT\"}]'",
                               NULL),
                      1);
    /* The original is untouched. */
    assert_string_equal (s_scalar (f->db,
                                   "SELECT quantity_value FROM dcp.pc_seizure"
                                   " WHERE submission_id = $1 AND ord = 0",
                                   ID1, NULL, NULL),
                         "1000");
    /* Resending the conflicting bytes answers the same, stored once. */
    char stored_at[40];
    strcpy (stored_at, other.stored_at);
    store_item_reset (&other);
    assert_int_equal (store_batch (f->db, &other, 1), 0);
    assert_int_equal (other.status, DCP__V1__RECEIPT_STATUS__RECEIPT_CONFLICT);
    assert_true (other.replayed);
    assert_string_equal (other.stored_at, stored_at);
    assert_true (dcp_findings_has (other.findings, "CONFLICT", "/submission_id"));
    assert_int_equal (s_count (f->db, "SELECT count(*) FROM dcp.quarantine", NULL), 1);
    store_item_reset (&other);
}

static void
test_rejected_goes_to_quarantine_once (void **state)
{
    fixture_t *f = *state;
    store_item_t items[2];
    Dcp__V1__Forward *fwd = s_forward (f, ID1, true);
    s_add_problem (f, fwd, "V-ENV-01", DCP__V1__SEVERITY__SEVERITY_ERROR, "/reporting_country",
                   "reporting country \"XXX\" is not an ISO 3166-1 alpha-3 code");
    s_item (f, &items[0], fwd, s_precursors (f, ID1, "XXX", 2025, 0, NULL, "1000"));
    /* Bytes that are not a Submission at all. */
    Dcp__V1__Forward *fwd2 = s_forward (f, "not-a-uuid \xff", true);
    s_add_problem (f, fwd2, "WIRE-DECODE", DCP__V1__SEVERITY__SEVERITY_ERROR, "", "not protobuf");
    memset (&items[1], 0, sizeof items[1]);
    items[1].fwd = fwd2;
    items[1].raw = (const uint8_t *) "\xff\xff\xff garbage";
    items[1].raw_len = 11;

    for (int round = 0; round < 2; round++) {
        assert_int_equal (store_batch (f->db, items, 2), 0);
        for (int i = 0; i < 2; i++) {
            assert_int_equal (items[i].status, DCP__V1__RECEIPT_STATUS__RECEIPT_REJECTED);
            assert_int_equal (items[i].replayed, round == 1);
        }
        assert_true (dcp_findings_has (items[0].findings, "V-ENV-01", "/reporting_country"));
        assert_true (dcp_findings_has (items[1].findings, "WIRE-DECODE", NULL));
        s_reset_all (items, 2);
    }
    assert_int_equal (s_count (f->db, "SELECT count(*) FROM dcp.quarantine", NULL), 2);
    assert_int_equal (s_count (f->db,
                               "SELECT count(*) FROM dcp.quarantine WHERE reason = 'undecodable'"
                               " AND raw = '\\xffffff2067617262616765'::bytea",
                               NULL),
                      1);
    assert_int_equal (s_count (f->db, "SELECT count(*) FROM dcp.submission", NULL), 0);
}

static void
test_revision_chain (void **state)
{
    fixture_t *f = *state;
    store_item_t items[3];
    s_item (f, &items[0], s_forward (f, ID1, false),
            s_precursors (f, ID1, "AFG", 2024, 0, NULL, "1000"));
    assert_int_equal (store_batch (f->db, items, 1), 0);
    store_item_reset (&items[0]);

    /* Revision 1 of AFG 2024, and in the same batch a whole chain 0 -> 1
     * for PAK 2024. */
    s_item (f, &items[0], s_forward (f, ID2, false),
            s_precursors (f, ID2, "AFG", 2024, 1, ID1, "1100"));
    s_item (f, &items[1], s_forward (f, ID3, false),
            s_precursors (f, ID3, "PAK", 2024, 0, NULL, "5"));
    s_item (f, &items[2], s_forward (f, ID4, false),
            s_precursors (f, ID4, "PAK", 2024, 1, ID3, "6"));
    assert_int_equal (store_batch (f->db, items, 3), 0);
    for (int i = 0; i < 3; i++)
        assert_int_equal (items[i].status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    assert_string_equal (items[0].current_id, ID2);
    assert_string_equal (items[1].current_id, ID4);
    assert_string_equal (items[2].current_id, ID4);
    s_reset_all (items, 3);

    PGconn *db = f->db;
    assert_int_equal (s_count (db, "SELECT count(*) FROM dcp.submission", NULL), 4);
    assert_int_equal (s_count (db, "SELECT count(*) FROM dcp.v_submissions_current", NULL), 2);
    assert_string_equal (s_scalar (db,
                                   "SELECT string_agg(submission_id::text, ',' ORDER BY"
                                   " reporting_country) FROM dcp.v_submissions_current",
                                   NULL, NULL, NULL),
                         ID2 "," ID4);
    assert_string_equal (s_scalar (db,
                                   "SELECT string_agg(submission_id::text, ',' ORDER BY"
                                   " reporting_country) FROM dcp.v_submissions_first_reported",
                                   NULL, NULL, NULL),
                         ID1 "," ID3);
    /* Analysts never see two versions of one answer. */
    assert_string_equal (s_scalar (db,
                                   "SELECT string_agg(quantity_value::text, ',')"
                                   " FROM dcp.v_precursor_seizures WHERE reporting_country = 'AFG'"
                                   " AND ord = 0",
                                   NULL, NULL, NULL),
                         "1100");
    assert_int_equal (s_count (db, "SELECT count(*) FROM dcp.v_aa_seizures_kg", NULL), 2);
    /* Only is_current changed on the old row; content is immutable. */
    PGresult *res = PQexec (db, "UPDATE dcp.submission SET reporting_year = 1999");
    assert_int_not_equal (PQresultStatus (res), PGRES_COMMAND_OK);
    PQclear (res);
}

static void
test_revision_rule_v_env_06 (void **state)
{
    fixture_t *f = *state;
    store_item_t items[2];
    s_item (f, &items[0], s_forward (f, ID1, false),
            s_precursors (f, ID1, "AFG", 2024, 0, NULL, "1000"));
    assert_int_equal (store_batch (f->db, items, 1), 0);
    store_item_reset (&items[0]);

    /* A second "first" submission, and a revision with a wrong number. */
    s_item (f, &items[0], s_forward (f, ID2, false),
            s_precursors (f, ID2, "AFG", 2024, 0, NULL, "1"));
    s_item (f, &items[1], s_forward (f, ID3, false),
            s_precursors (f, ID3, "AFG", 2024, 2, ID1, "2"));
    assert_int_equal (store_batch (f->db, items, 2), 0);
    assert_int_equal (items[0].status, DCP__V1__RECEIPT_STATUS__RECEIPT_REJECTED);
    assert_true (dcp_findings_has (items[0].findings, "V-ENV-06", "/supersedes_submission_id"));
    assert_string_equal (items[0].current_id, ID1);
    assert_int_equal (items[1].status, DCP__V1__RECEIPT_STATUS__RECEIPT_REJECTED);
    assert_true (dcp_findings_has (items[1].findings, "V-ENV-06", "/revision_no"));
    const dcp_finding_t *finding = dcp_findings_get (items[0].findings, 0);
    assert_non_null (strstr (finding->message, ID1));
    assert_non_null (strstr (finding->message, "revision_no 1"));
    s_reset_all (items, 2);
    assert_int_equal (
        s_count (f->db, "SELECT count(*) FROM dcp.quarantine WHERE reason = 'revision'", NULL), 2);
    assert_int_equal (s_count (f->db, "SELECT count(*) FROM dcp.v_submissions_current", NULL), 1);
}

/* A precursor response whose acetic anhydride totals KG kilograms: the
 * litres row of s_precursors() becomes KG - 500 kg, beside its 500 kg. */
static Dcp__V1__Submission *
s_precursors_kg (fixture_t *f, const char *id, const char *country, unsigned revision,
                 const char *supersedes, long kg)
{
    char value[32];
    snprintf (value, sizeof value, "%ld", kg - 500);
    Dcp__V1__Submission *sub = s_precursors (f, id, country, 2024, revision, supersedes, "1");
    sub->precursors->seizures[0]->quantity =
        s_quantity (f, DCP__V1__OBS_STATUS__OBS_REPORTED, value, "KG");
    if (revision)
        sub->revision_reason = s_str (f, "CORRECTION");
    return sub;
}

/* The V-X-03 finding of ITEM, or NULL. */
static const dcp_finding_t *
s_vx03 (const store_item_t *item)
{
    for (size_t k = 0; item->findings && k < dcp_findings_count (item->findings); k++)
        if (strcmp (dcp_findings_get (item->findings, k)->rule, "V-X-03") == 0)
            return dcp_findings_get (item->findings, k);
    return NULL;
}

static void
test_revision_key_figure_change_warns (void **state)
{
    fixture_t *f = *state;
    store_item_t items[3];
    s_item (f, &items[0], s_forward (f, ID1, false),
            s_precursors_kg (f, ID1, "AFG", 0, NULL, 19963));
    assert_int_equal (store_batch (f->db, items, 1), 0);
    assert_null (s_vx03 (&items[0]));
    store_item_reset (&items[0]);

    /* 19,963 -> 29,214 kg (+46 %): accepted, with a warning naming both. */
    s_item (f, &items[0], s_forward (f, ID2, false),
            s_precursors_kg (f, ID2, "AFG", 1, ID1, 29214));
    assert_int_equal (store_batch (f->db, items, 1), 0);
    assert_int_equal (items[0].status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    const dcp_finding_t *w = s_vx03 (&items[0]);
    assert_non_null (w);
    assert_int_equal (w->severity, DCP_SEV_WARNING);
    assert_string_equal (w->path, "/precursors/seizures");
    assert_non_null (strstr (w->message, "P1_SEIZED_KG AA from 19963 kg to 29214 kg (+46.3 %)"));
    store_item_reset (&items[0]);
    /* Stored with the submission's findings, counted, and replayed as sent. */
    assert_int_equal (s_count (f->db,
                               "SELECT count(*) FROM dcp.finding WHERE rule = 'V-X-03'"
                               " AND severity = 'warning' AND submission_id = $1",
                               ID2),
                      1);
    assert_int_equal (
        s_count (f->db, "SELECT n_warnings FROM dcp.submission WHERE submission_id = $1", ID2), 1);
    assert_int_equal (store_batch (f->db, items, 1), 0);
    assert_true (items[0].replayed);
    assert_non_null (s_vx03 (&items[0]));
    store_item_reset (&items[0]);
    /* The first-reported figure stays readable, and a baseline frozen from it. */
    assert_string_equal (s_scalar (f->db,
                                   "SELECT trim_scale(value)::text FROM"
                                   " dcp.v_key_figures_first_reported WHERE indicator ="
                                   " 'P1_SEIZED_KG' AND breakdown = 'AA'",
                                   NULL, NULL, NULL),
                         "19963");
    assert_string_equal (s_scalar (f->db,
                                   "SELECT trim_scale(value)::text FROM"
                                   " dcp.v_key_figures WHERE indicator = 'P1_SEIZED_KG'"
                                   " AND breakdown = 'AA'",
                                   NULL, NULL, NULL),
                         "29214");

    /* A small change (+1 %) says nothing; nor does a figure that stays. */
    s_item (f, &items[0], s_forward (f, ID3, false),
            s_precursors_kg (f, ID3, "AFG", 2, ID2, 29500));
    /* A whole chain in one batch is compared too: 1,000 -> 2,000 kg. */
    s_item (f, &items[1], s_forward (f, ID4, false),
            s_precursors_kg (f, ID4, "PAK", 0, NULL, 1000));
    s_item (f, &items[2], s_forward (f, ID5, false), s_precursors_kg (f, ID5, "PAK", 1, ID4, 2000));
    assert_int_equal (store_batch (f->db, items, 3), 0);
    for (int i = 0; i < 3; i++)
        assert_int_equal (items[i].status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    assert_null (s_vx03 (&items[0]));
    assert_null (s_vx03 (&items[1]));
    assert_non_null (s_vx03 (&items[2]));
    assert_non_null (strstr (s_vx03 (&items[2])->message, "from 1000 kg to 2000 kg (+100.0 %)"));
    s_reset_all (items, 3);
    assert_int_equal (
        s_count (f->db, "SELECT count(*) FROM dcp.finding WHERE rule = 'V-X-03'", NULL), 2);
    assert_int_equal (s_count (f->db, "SELECT count(*) FROM dcp.submission", NULL), 5);
}

/* A writer's batch object remembers the key figures of what it stored, so
 * the revision that follows is compared without asking the database: the
 * same warning, and the same none when the figures are dropped from the
 * database behind its back (proof that the remembered ones were used). */
static void
test_revision_key_figure_remembered (void **state)
{
    fixture_t *f = *state;
    store_batch_t *b = store_batch_new ();
    assert_non_null (b);
    store_item_t item;
    s_item (f, &item, s_forward (f, ID1, false), s_precursors_kg (f, ID1, "AFG", 0, NULL, 19963));
    assert_int_equal (store_batch_add (b, &item), 0);
    assert_int_equal (store_batch_write (f->db, b), 0);
    store_batch_clear (b);
    store_item_reset (&item);
    /* The stored rows no longer say 19,963 kg: a database read would see
     * no AA figure at all and say nothing. */
    pgtest_exec (f->db, "ALTER TABLE dcp.pc_seizure DISABLE TRIGGER USER;"
                        "UPDATE dcp.pc_seizure SET substance_code = 'ACET';"
                        "ALTER TABLE dcp.pc_seizure ENABLE TRIGGER USER");
    s_item (f, &item, s_forward (f, ID2, false), s_precursors_kg (f, ID2, "AFG", 1, ID1, 29214));
    assert_int_equal (store_batch_add (b, &item), 0);
    assert_int_equal (store_batch_write (f->db, b), 0);
    const store_item_t *done = store_batch_item (b, 0);
    assert_int_equal (done->status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    assert_non_null (s_vx03 (done));
    assert_non_null (strstr (s_vx03 (done)->message, "from 19963 kg to 29214 kg"));
    store_batch_clear (b);
    store_item_reset (&item);
    store_batch_destroy (&b);
}

static void
test_revision_key_figure_threshold (void **state)
{
    fixture_t *f = *state;
    store_batch_t *b = store_batch_new ();
    assert_non_null (b);
    store_item_t item;
    s_item (f, &item, s_forward (f, ID1, false), s_precursors_kg (f, ID1, "AFG", 0, NULL, 19963));
    assert_int_equal (store_batch_add (b, &item), 0);
    assert_int_equal (store_batch_write (f->db, b), 0);
    store_batch_clear (b);
    /* At 50 % the same +46 % revision passes without a word. */
    store_batch_set_revision_change_pct (b, 50);
    s_item (f, &item, s_forward (f, ID2, false), s_precursors_kg (f, ID2, "AFG", 1, ID1, 29214));
    assert_int_equal (store_batch_add (b, &item), 0);
    assert_int_equal (store_batch_write (f->db, b), 0);
    assert_int_equal (store_batch_item (b, 0)->status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    assert_null (s_vx03 (store_batch_item (b, 0)));
    store_batch_destroy (&b);
}

static Dcp__V1__AssetRow *
s_asset (fixture_t *f, const char *measure, const char *category, const char *amount,
         const char *currency)
{
    Dcp__V1__AssetRow *a = s_alloc (f, sizeof *a);
    dcp__v1__asset_row__init (a);
    a->measure = s_str (f, measure);
    a->asset_category = s_str (f, category);
    a->predicate_scope = s_str (f, "ML_ALL");
    Dcp__V1__Money *m = s_alloc (f, sizeof *m);
    dcp__v1__money__init (m);
    m->status =
        *amount ? DCP__V1__OBS_STATUS__OBS_REPORTED : DCP__V1__OBS_STATUS__OBS_NOT_AVAILABLE;
    m->amount = s_str (f, amount);
    m->currency = s_str (f, currency);
    a->amount = m;
    a->cases = s_count_msg (f, DCP__V1__OBS_STATUS__OBS_REPORTED, 1);
    return a;
}

/* The key figures the loader computes from a message for V-X-03
 * (keyfig_of_submission) are exactly those analysts read in
 * dcp.v_key_figures_by_revision once it is stored: same figures, units and
 * values, unknown where the view has NULL. */
static void
test_key_figures_agree_with_the_view (void **state)
{
    fixture_t *f = *state;
    Dcp__V1__Submission *ff = s_finflow (f, ID1, "KAZ", 2024);
    Dcp__V1__FinancialFlows *flows = ff->financial_flows;
    flows->n_assets = 5;
    flows->assets = s_alloc (f, 5 * sizeof *flows->assets);
    flows->assets[0] = s_asset (f, "SEIZED", "CASH", "1000.50", "USD");
    flows->assets[1] = s_asset (f, "SEIZED", "CASH", "250", "USD");
    flows->assets[2] = s_asset (f, "SEIZED", "VEHICLE", "10", "USD");
    flows->assets[3] = s_asset (f, "SEIZED", "VEHICLE", "20", "EUR"); /* two currencies */
    flows->assets[4] = s_asset (f, "FROZEN", "BANK_ACCOUNT", "", ""); /* not available */
    Dcp__V1__Submission *pc = s_precursors_kg (f, ID2, "AFG", 0, NULL, 19963);
    pc->precursors->seizures[0]->quantity =
        s_quantity (f, DCP__V1__OBS_STATUS__OBS_REPORTED, "1000", "L"); /* by density */
    const Dcp__V1__Submission *subs[] = {ff, pc};
    const char *ids[] = {ID1, ID2};
    store_item_t items[2];
    for (int i = 0; i < 2; i++)
        s_item (f, &items[i], s_forward (f, ids[i], false), subs[i]);
    assert_int_equal (store_batch (f->db, items, 2), 0);
    for (int i = 0; i < 2; i++) {
        assert_int_equal (items[i].status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
        keyfig_set_t k = {0};
        keyfig_of_submission (subs[i], &k);
        assert_false (k.err);
        assert_true (k.n >= 2);
        char n_text[16];
        snprintf (n_text, sizeof n_text, "%zu", k.n);
        assert_string_equal (s_scalar (f->db,
                                       "SELECT count(*) = $2::int FROM"
                                       " dcp.v_key_figures_by_revision WHERE submission_id = $1",
                                       ids[i], n_text, NULL),
                             "t");
        for (size_t j = 0; j < k.n; j++) {
            char key[256], value[64];
            snprintf (key, sizeof key, "%s|%s|%s", k.v[j].indicator, k.v[j].breakdown, k.v[j].unit);
            if (k.v[j].known)
                dcp_decimal_format (&k.v[j].value, value, sizeof value);
            else
                snprintf (value, sizeof value, "NULL");
            const char *got = s_scalar (f->db,
                                        "SELECT coalesce(trim_scale(value)::text, 'NULL')"
                                        " FROM dcp.v_key_figures_by_revision"
                                        " WHERE submission_id = $1 AND indicator || '|' ||"
                                        " breakdown || '|' || coalesce(unit, '') = $2",
                                        ids[i], key, NULL);
            if (!got || strcmp (got, value) != 0)
                fail_msg ("key figure %s: %s in the loader, %s in the view", key, value,
                          got && *got ? got : "(no row)");
        }
        keyfig_set_free (&k);
    }
    s_reset_all (items, 2);
    /* The cases of the check: a sum of two rows, two currencies, a missing amount. */
    assert_string_equal (
        s_scalar (f->db,
                  "SELECT string_agg(indicator || ' ' || breakdown || ' '"
                  " || coalesce(unit, '-') || ' ' || coalesce(trim_scale(value)::text,"
                  " 'NULL') || ' ' || status, ', ' ORDER BY indicator, breakdown)"
                  " FROM dcp.v_key_figures_by_revision WHERE submission_id = $1"
                  " AND indicator LIKE 'E%'",
                  ID1, NULL, NULL),
        "E_ASSET_FROZEN BANK_ACCOUNT/ML_ALL - NULL NOT_AVAILABLE,"
        " E_ASSET_SEIZED CASH/ML_ALL USD 1250.5 REPORTED,"
        " E_ASSET_SEIZED VEHICLE/ML_ALL - NULL MIXED_CURRENCIES");
}

/* A baseline is frozen once, from the first-reported figure, and never
 * moves: not by a revision, not by a second freeze, not by an UPDATE. */
static void
test_baseline_is_frozen (void **state)
{
    fixture_t *f = *state;
    store_item_t item;
    s_item (f, &item, s_forward (f, ID1, false), s_precursors_kg (f, ID1, "AFG", 0, NULL, 19963));
    assert_int_equal (store_batch (f->db, &item, 1), 0);
    store_item_reset (&item);
    s_item (f, &item, s_forward (f, ID2, false), s_precursors_kg (f, ID2, "AFG", 1, ID1, 29214));
    assert_int_equal (store_batch (f->db, &item, 1), 0);
    store_item_reset (&item);
    PQclear (PQexec (f->db, "SET ROLE dcp_analyst"));
    assert_string_equal (s_scalar (f->db,
                                   "SELECT trim_scale(value)::text || ' ' || status || ' '"
                                   " || vintage || ' ' || (source_submissions[1] = $1)"
                                   " FROM dcp.freeze_baseline('P1_SEIZED_KG', 'AA', 'AFG',"
                                   " 2024, 'pillar I baseline')",
                                   ID1, NULL, NULL),
                         "19963 REPORTED first_reported true");
    assert_string_equal (s_scalar (f->db,
                                   "SELECT trim_scale(baseline_value) || ' '"
                                   " || trim_scale(current_value) || ' ' || change_pct"
                                   " FROM dcp.v_baseline_change",
                                   NULL, NULL, NULL),
                         "19963 29214 46.3");
    PGresult *res = PQexec (f->db, "SELECT dcp.freeze_baseline('P1_SEIZED_KG', 'AA', 'AFG', 2024,"
                                   " 'again', 'current')");
    assert_int_not_equal (PQresultStatus (res), PGRES_TUPLES_OK);
    PQclear (res);
    res = PQexec (f->db, "UPDATE dcp.baseline SET value = 1");
    assert_int_not_equal (PQresultStatus (res), PGRES_COMMAND_OK);
    PQclear (res);
    PQclear (PQexec (f->db, "RESET ROLE"));
    res = PQexec (f->db, "DELETE FROM dcp.baseline");
    assert_int_not_equal (PQresultStatus (res), PGRES_COMMAND_OK);
    PQclear (res);
    assert_int_equal (
        s_count (f->db, "SELECT count(*) FROM dcp.baseline WHERE value = 19963", NULL), 1);
}

/* Stores ITEMS[0..N) as the loader's writers do, with the loader's memory
 * of waiting revisions WAITS, and hands the outcomes back. */
static int
s_store_with_waits (fixture_t *f, revwait_t *waits, store_item_t *items, size_t n)
{
    store_batch_t *b = store_batch_new ();
    assert_non_null (b);
    store_batch_set_revwait (b, waits);
    for (size_t i = 0; i < n; i++)
        assert_int_equal (store_batch_add (b, &items[i]), 0);
    int rc = store_batch_write (f->db, b);
    if (rc == 0)
        for (size_t i = 0; i < n; i++) {
            items[i] = *store_batch_item (b, i);
            store_batch_item (b, i)->findings = NULL;
        }
    store_batch_destroy (&b);
    return rc;
}

static long
s_stored (fixture_t *f)
{
    return s_count (f->db,
                    "SELECT (SELECT count(*) FROM dcp.submission)"
                    " + (SELECT count(*) FROM dcp.quarantine)",
                    NULL);
}

/* Order of revisions: a revision whose predecessor is still on its way is
 * answered RETRY_LATER and stored nowhere; once the predecessor is stored,
 * the revision's resend goes on top of it.  Also with a revision 2 ahead of
 * its revision 1, and a revision ahead of its predecessor in one batch. */
static void
test_revision_waits_for_its_predecessor (void **state)
{
    fixture_t *f = *state;
    revwait_t *waits = revwait_new (60000);
    store_item_t items[2];
    s_item (f, &items[0], s_forward (f, ID2, false),
            s_precursors (f, ID2, "AFG", 2024, 1, ID1, "11"));
    assert_int_equal (s_store_with_waits (f, waits, items, 1), 0);
    assert_int_equal (items[0].status, DCP__V1__RECEIPT_STATUS__RECEIPT_RETRY_LATER);
    assert_true (dcp_findings_has (items[0].findings, "V-ENV-06", "/supersedes_submission_id"));
    assert_string_equal (items[0].stored_at, "");
    store_item_reset (&items[0]);
    assert_int_equal (s_stored (f), 0);

    s_item (f, &items[0], s_forward (f, ID1, false),
            s_precursors (f, ID1, "AFG", 2024, 0, NULL, "10"));
    s_item (f, &items[1], s_forward (f, ID2, false),
            s_precursors (f, ID2, "AFG", 2024, 1, ID1, "11"));
    assert_int_equal (s_store_with_waits (f, waits, items, 2), 0); /* the resend follows */
    assert_int_equal (items[0].status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    assert_int_equal (items[1].status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    assert_string_equal (items[1].current_id, ID2);
    s_reset_all (items, 2);

    /* Revision 2 before revision 1: it waits too, the current one stays. */
    s_item (f, &items[0], s_forward (f, ID4, false),
            s_precursors (f, ID4, "AFG", 2024, 3, ID3, "13"));
    s_item (f, &items[1], s_forward (f, ID3, false),
            s_precursors (f, ID3, "AFG", 2024, 2, ID2, "12"));
    assert_int_equal (s_store_with_waits (f, waits, items, 2), 0);
    assert_int_equal (items[0].status, DCP__V1__RECEIPT_STATUS__RECEIPT_RETRY_LATER);
    assert_int_equal (items[1].status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    s_reset_all (items, 2);
    s_item (f, &items[0], s_forward (f, ID4, false),
            s_precursors (f, ID4, "AFG", 2024, 3, ID3, "13"));
    assert_int_equal (s_store_with_waits (f, waits, items, 1), 0);
    assert_int_equal (items[0].status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    assert_string_equal (items[0].current_id, ID4);
    store_item_reset (&items[0]);
    assert_string_equal (s_scalar (f->db,
                                   "SELECT string_agg(revision_no::text, ',' ORDER BY"
                                   " stored_at, revision_no) FROM dcp.submission",
                                   NULL, NULL, NULL),
                         "0,1,2,3");
    assert_string_equal (s_scalar (f->db,
                                   "SELECT submission_id::text FROM"
                                   " dcp.v_submissions_first_reported",
                                   NULL, NULL, NULL),
                         ID1);
    assert_int_equal (s_count (f->db, "SELECT count(*) FROM dcp.quarantine", NULL), 0);
    revwait_destroy (&waits);
}

/* The wait is bounded: past it the revision is taken as before (current,
 * with a V-ENV-06 warning).  The predecessor that then arrives is not
 * refused: it is stored as the earlier revision it is, not current, and
 * stays "as first reported".  A predecessor that was rejected is known:
 * nothing waits for it. */
static void
test_wait_is_bounded_and_late_first_is_kept (void **state)
{
    fixture_t *f = *state;
    revwait_t *waits = revwait_new (200);
    store_item_t item;
    s_item (f, &item, s_forward (f, ID2, false), s_precursors (f, ID2, "AFG", 2024, 1, ID1, "11"));
    assert_int_equal (s_store_with_waits (f, waits, &item, 1), 0);
    assert_int_equal (item.status, DCP__V1__RECEIPT_STATUS__RECEIPT_RETRY_LATER);
    store_item_reset (&item);
    usleep (250 * 1000);
    s_item (f, &item, s_forward (f, ID2, false), s_precursors (f, ID2, "AFG", 2024, 1, ID1, "11"));
    assert_int_equal (s_store_with_waits (f, waits, &item, 1), 0);
    assert_int_equal (item.status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    assert_true (dcp_findings_has (item.findings, "V-ENV-06", "/supersedes_submission_id"));
    store_item_reset (&item);

    s_item (f, &item, s_forward (f, ID1, false), s_precursors (f, ID1, "AFG", 2024, 0, NULL, "10"));
    assert_int_equal (s_store_with_waits (f, waits, &item, 1), 0);
    assert_int_equal (item.status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    assert_string_equal (item.current_id, ID2);
    assert_true (dcp_findings_has (item.findings, "V-ENV-06", "/revision_no"));
    store_item_reset (&item);
    assert_string_equal (s_scalar (f->db,
                                   "SELECT submission_id::text FROM"
                                   " dcp.v_submissions_first_reported",
                                   NULL, NULL, NULL),
                         ID1);
    assert_string_equal (s_scalar (f->db,
                                   "SELECT submission_id::text FROM"
                                   " dcp.v_submissions_current",
                                   NULL, NULL, NULL),
                         ID2);

    /* PAK: the first submission is rejected; its revision does not wait. */
    s_item (f, &item, s_forward (f, ID3, true), s_precursors (f, ID3, "PAK", 2024, 0, NULL, "1"));
    assert_int_equal (s_store_with_waits (f, waits, &item, 1), 0);
    assert_int_equal (item.status, DCP__V1__RECEIPT_STATUS__RECEIPT_REJECTED);
    store_item_reset (&item);
    s_item (f, &item, s_forward (f, ID4, false), s_precursors (f, ID4, "PAK", 2024, 1, ID3, "2"));
    assert_int_equal (s_store_with_waits (f, waits, &item, 1), 0);
    assert_int_equal (item.status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    store_item_reset (&item);
    assert_int_equal (s_count (f->db, "SELECT count(*) FROM dcp.quarantine", NULL), 1);
    revwait_destroy (&waits);
}

/* The fault of issue 14: a revision stored before its first submission
 * (here without any wait, as store_batch() does) no longer makes the
 * first submission a V-ENV-06 rejection; in one batch too. */
static void
test_first_after_its_revision_is_accepted (void **state)
{
    fixture_t *f = *state;
    store_item_t items[2];
    s_item (f, &items[0], s_forward (f, ID2, false),
            s_precursors (f, ID2, "AFG", 2024, 1, ID1, "11"));
    assert_int_equal (store_batch (f->db, items, 1), 0);
    store_item_reset (&items[0]);
    s_item (f, &items[0], s_forward (f, ID1, false),
            s_precursors (f, ID1, "AFG", 2024, 0, NULL, "10"));
    assert_int_equal (store_batch (f->db, items, 1), 0);
    assert_int_equal (items[0].status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    store_item_reset (&items[0]);
    s_item (f, &items[0], s_forward (f, ID4, false),
            s_precursors (f, ID4, "PAK", 2024, 1, ID3, "6"));
    s_item (f, &items[1], s_forward (f, ID3, false),
            s_precursors (f, ID3, "PAK", 2024, 0, NULL, "5"));
    assert_int_equal (store_batch (f->db, items, 2), 0);
    assert_int_equal (items[0].status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    assert_int_equal (items[1].status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    s_reset_all (items, 2);
    assert_int_equal (s_count (f->db, "SELECT count(*) FROM dcp.quarantine", NULL), 0);
    assert_string_equal (s_scalar (f->db,
                                   "SELECT string_agg(submission_id::text, ',' ORDER BY"
                                   " reporting_country) FROM dcp.v_submissions_first_reported",
                                   NULL, NULL, NULL),
                         ID1 "," ID3);
    assert_string_equal (s_scalar (f->db,
                                   "SELECT string_agg(submission_id::text, ',' ORDER BY"
                                   " reporting_country) FROM dcp.v_submissions_current",
                                   NULL, NULL, NULL),
                         ID2 "," ID4);
}

static void
test_poison_item_is_isolated (void **state)
{
    fixture_t *f = *state;
    store_item_t items[5];
    const char *ids[] = {ID1, ID2, ID3, ID4, ID5};
    const char *countries[] = {"AFG", "PAK", "IRN", "TUR", "UZB"};
    for (int i = 0; i < 5; i++)
        s_item (f, &items[i], s_forward (f, ids[i], false),
                s_precursors (f, ids[i], countries[i], 2025, 0, NULL,
                              /* a number only PostgreSQL checks here */
                              i == 2 ? "12abc" : "100"));
    assert_int_equal (store_batch (f->db, items, 5), 0);
    for (int i = 0; i < 5; i++) {
        if (i == 2)
            continue;
        assert_int_equal (items[i].status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    }
    assert_int_equal (items[2].status, DCP__V1__RECEIPT_STATUS__RECEIPT_REJECTED);
    assert_true (dcp_findings_has (items[2].findings, "DB-REFUSED", NULL));
    const dcp_finding_t *refused = dcp_findings_get (items[2].findings, 0);
    assert_non_null (strstr (refused->message, "22P02"));
    assert_null (strstr (refused->message, "COPY"));
    assert_int_equal (strlen (items[2].stored_at), 27);
    assert_int_equal (s_count (f->db, "SELECT count(*) FROM dcp.submission", NULL), 4);
    assert_int_equal (
        s_count (f->db, "SELECT count(*) FROM dcp.quarantine WHERE reason = 'db_refused'", NULL),
        1);
    s_reset_all (items, 5);

    /* Invalid UTF-8 in a text answer is refused the same way. */
    store_item_t bad;
    Dcp__V1__Submission *sub =
        s_precursors (f, "0b7f4c2e-3c55-4a5e-9a59-6f3d2f0c0006", "KAZ", 2025, 0, NULL, "1");
    sub->coverage_note = s_str (f, "bad \xc3\x28 byte");
    s_item (f, &bad, s_forward (f, sub->submission_id, false), sub);
    assert_int_equal (store_batch (f->db, &bad, 1), 0);
    assert_int_equal (bad.status, DCP__V1__RECEIPT_STATUS__RECEIPT_REJECTED);
    assert_true (dcp_findings_has (bad.findings, "DB-REFUSED", NULL));
    /* Resent: answered from the quarantine, no new refusal. */
    store_item_reset (&bad);
    assert_int_equal (store_batch (f->db, &bad, 1), 0);
    assert_int_equal (bad.status, DCP__V1__RECEIPT_STATUS__RECEIPT_REJECTED);
    assert_true (bad.replayed);
    assert_true (dcp_findings_has (bad.findings, "DB-REFUSED", NULL));
    store_item_reset (&bad);
}

static void
test_derived_kg_beside_original (void **state)
{
    fixture_t *f = *state;
    store_item_t item;
    s_item (f, &item, s_forward (f, ID1, false),
            s_precursors (f, ID1, "AFG", 2025, 0, NULL, "1000"));
    assert_int_equal (store_batch (f->db, &item, 1), 0);
    store_item_reset (&item);

    /* Expected values come from the same reference data the loader uses. */
    dcp_decimal_t density;
    const char *row_id = NULL;
    assert_int_equal (dcp_refdata_density ("AA", NULL, &density, &row_id), 0);
    char density_text[64], method[128];
    dcp_decimal_format (&density, density_text, sizeof density_text);
    snprintf (method, sizeof method, "density:%s", row_id);
    char table[8];
    snprintf (table, sizeof table, "%d", dcp_refdata_substance_table ("AA", "2025"));

    PGconn *db = f->db;
    assert_string_equal (s_scalar (db,
                                   "SELECT quantity_value || ' ' || quantity_unit"
                                   " FROM dcp.pc_seizure WHERE submission_id = $1 AND ord = 0",
                                   ID1, NULL, NULL),
                         "1000 L");
    assert_string_equal (s_scalar (db,
                                   "SELECT quantity_kg = 1000 * $2::numeric"
                                   " AND quantity_kg_factor = $2::numeric FROM dcp.pc_seizure"
                                   " WHERE submission_id = $1 AND ord = 0",
                                   ID1, density_text, NULL),
                         "t");
    assert_string_equal (s_scalar (db,
                                   "SELECT quantity_kg_method FROM dcp.pc_seizure"
                                   " WHERE submission_id = $1 AND ord = 0",
                                   ID1, NULL, NULL),
                         method);
    assert_string_equal (s_scalar (db,
                                   "SELECT quantity_kg || ' ' || quantity_kg_method"
                                   " FROM dcp.pc_seizure WHERE submission_id = $1 AND ord = 1",
                                   ID1, NULL, NULL),
                         "500 mass_unit");
    assert_string_equal (s_scalar (db,
                                   "SELECT convention_table FROM dcp.pc_seizure"
                                   " WHERE submission_id = $1 AND ord = 0",
                                   ID1, NULL, NULL),
                         table);
    assert_string_equal (s_scalar (db,
                                   "SELECT kg_total = 500 + 1000 * $1::numeric"
                                   " AND rows_without_kg = 0 FROM dcp.v_aa_seizures_kg"
                                   " WHERE reporting_country = 'AFG'",
                                   density_text, NULL, NULL),
                         "t");
    /* 210 L in one drum: the package count is kept apart from the quantity. */
    assert_string_equal (s_scalar (db,
                                   "SELECT quantity_kg = 210 * $2::numeric"
                                   " AND package_count_value = 1 FROM dcp.pc_incident_substance"
                                   " WHERE submission_id = $1",
                                   ID1, density_text, NULL),
                         "t");
}

static void
test_sql_injection_text_is_stored_verbatim (void **state)
{
    fixture_t *f = *state;
    const char *evil = "'); DROP TABLE dcp.submission; --";
    const char *awkward = "tab\there\nnew line \\N back\\slash \"quoted\" {a,b}";
    Dcp__V1__Submission *sub = s_precursors (f, ID1, "AFG", 2025, 0, NULL, "1000");
    sub->coverage_note = s_str (f, evil);
    sub->precursors->incidents[0]->declared_description = s_str (f, awkward);
    sub->precursors->seizures[0]->origin_countries[1] = s_str (f, awkward);
    Dcp__V1__Forward *fwd = s_forward (f, ID1, false);
    s_add_problem (f, fwd, "V-GEN-08", DCP__V1__SEVERITY__SEVERITY_INFO, "/coverage_note", evil);
    store_item_t item;
    s_item (f, &item, fwd, sub);
    assert_int_equal (store_batch (f->db, &item, 1), 0);
    assert_int_equal (item.status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    store_item_reset (&item);
    assert_string_equal (
        s_scalar (f->db, "SELECT coverage_note FROM dcp.submission", NULL, NULL, NULL), evil);
    assert_string_equal (
        s_scalar (f->db, "SELECT declared_description FROM dcp.pc_incident", NULL, NULL, NULL),
        awkward);
    assert_string_equal (s_scalar (f->db,
                                   "SELECT origin_countries[2] FROM dcp.pc_seizure"
                                   " WHERE ord = 0",
                                   NULL, NULL, NULL),
                         awkward);
    assert_string_equal (s_scalar (f->db, "SELECT message FROM dcp.finding", NULL, NULL, NULL),
                         evil);

    /* The same text in a rejected submission's problems (JSON) too. */
    Dcp__V1__Forward *rej = s_forward (f, ID2, true);
    s_add_problem (f, rej, "V-ENV-01", DCP__V1__SEVERITY__SEVERITY_ERROR, "/x", awkward);
    s_item (f, &item, rej, s_precursors (f, ID2, "AFG", 2025, 0, NULL, "1"));
    assert_int_equal (store_batch (f->db, &item, 1), 0);
    store_item_reset (&item);
    assert_string_equal (
        s_scalar (f->db, "SELECT problems->0->>'message' FROM dcp.quarantine", NULL, NULL, NULL),
        awkward);
}

static void
test_lost_connection_is_retryable (void **state)
{
    fixture_t *f = *state;
    char pid[16];
    snprintf (pid, sizeof pid, "%d", PQbackendPID (f->db));
    PQclear (PQexecParams (f->admin, "SELECT pg_terminate_backend($1::int)", 1, NULL,
                           (const char *[]){pid}, NULL, NULL, 0));
    usleep (100 * 1000);
    store_item_t item;
    s_item (f, &item, s_forward (f, ID1, false), s_precursors (f, ID1, "AFG", 2025, 0, NULL, "1"));
    assert_int_equal (store_batch (f->db, &item, 1), DCP_EDB_RETRY);
    assert_int_equal (item.status, DCP__V1__RECEIPT_STATUS__RECEIPT_STATUS_UNSPECIFIED);
    assert_null (item.findings);
    /* After a reconnect the same item goes through. */
    PQreset (f->db);
    assert_int_equal (store_batch (f->db, &item, 1), 0);
    assert_int_equal (item.status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    store_item_reset (&item);
}

/* When the database refuses what the encoder writes (a COPY row of the
 * wrong shape, a column the table lacks), the fault is the loader's, not
 * the partners': the batch is kept for a retry, nothing is quarantined or
 * answered, and the fault is counted; once the schema is fixed, the same
 * batch goes through. */
static void
test_stage_fault_keeps_batch (void **state)
{
    fixture_t *f = *state;
    store_batch_t *b = store_batch_new ();
    assert_non_null (b);
    store_item_t in[2];
    s_item (f, &in[0], s_forward (f, ID1, false), s_precursors (f, ID1, "AFG", 2025, 0, NULL, "1"));
    s_item (f, &in[1], s_forward (f, ID2, false), s_precursors (f, ID2, "PAK", 2025, 0, NULL, "2"));
    assert_int_equal (store_batch_add (b, &in[0]), 0);
    assert_int_equal (store_batch_add (b, &in[1]), 0);

    /* The server says the COPY data has the wrong shape (SQLSTATE 22P04,
     * class 22 like a partner's bad number). */
    pgtest_exec (f->db, "CREATE FUNCTION dcp.bad_copy () RETURNS trigger LANGUAGE plpgsql AS $$"
                        " BEGIN RAISE EXCEPTION 'extra data after last expected column'"
                        " USING ERRCODE = 'bad_copy_file_format'; END $$;"
                        "CREATE TRIGGER bad_copy BEFORE INSERT ON dcp.pc_incident_route"
                        " FOR EACH ROW EXECUTE FUNCTION dcp.bad_copy ()");
    assert_int_equal (store_batch_write (f->db, b), DCP_ESTAGE);
    assert_int_equal (store_batch_stage_faults (b), 1);
    pgtest_exec (f->db, "DROP TRIGGER bad_copy ON dcp.pc_incident_route");

    /* A column the encoder writes is missing (42703). */
    pgtest_exec (f->db, "ALTER TABLE dcp.pc_incident_route RENAME COLUMN role TO role_renamed");
    assert_int_equal (store_batch_write (f->db, b), DCP_ESTAGE);
    assert_int_equal (store_batch_stage_faults (b), 2);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal (store_batch_item (b, i)->status,
                          DCP__V1__RECEIPT_STATUS__RECEIPT_STATUS_UNSPECIFIED);
        assert_null (store_batch_item (b, i)->findings);
    }
    assert_int_equal (s_count (f->db, "SELECT count(*) FROM dcp.quarantine", NULL), 0);
    assert_int_equal (s_count (f->db, "SELECT count(*) FROM dcp.submission", NULL), 0);

    pgtest_exec (f->db, "ALTER TABLE dcp.pc_incident_route RENAME COLUMN role_renamed TO role");
    assert_int_equal (store_batch_write (f->db, b), 0);
    assert_int_equal (store_batch_stage_faults (b), 2);
    assert_int_equal (store_batch_item (b, 0)->status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    assert_int_equal (store_batch_item (b, 1)->status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    assert_int_equal (s_count (f->db, "SELECT count(*) FROM dcp.pc_incident_route", NULL), 6);
    store_batch_destroy (&b);
}

static void
test_loader_role_is_enough (void **state)
{
    fixture_t *f = *state;
    /* The running loader needs no DDL right: everything below as dcp_loader. */
    PQclear (PQexec (f->db, "SET ROLE dcp_loader"));
    store_item_t items[3];
    s_item (f, &items[0], s_forward (f, ID1, false),
            s_precursors (f, ID1, "AFG", 2024, 0, NULL, "1"));
    s_item (f, &items[1], s_forward (f, ID2, false),
            s_precursors (f, ID2, "AFG", 2024, 1, ID1, "2"));
    Dcp__V1__Forward *rej = s_forward (f, ID3, true);
    rej->security_event = true;
    s_add_problem (f, rej, "V-AUTH-01", DCP__V1__SEVERITY__SEVERITY_ERROR, "/reporting_country",
                   "this collector may send data for AFG only, not PAK");
    s_item (f, &items[2], rej, s_precursors (f, ID3, "PAK", 2024, 0, NULL, "3"));
    assert_int_equal (store_batch (f->db, items, 3), 0);
    assert_int_equal (items[0].status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    assert_int_equal (items[1].status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    assert_int_equal (items[2].status, DCP__V1__RECEIPT_STATUS__RECEIPT_REJECTED);
    assert_string_equal (items[0].current_id, ID2);
    s_reset_all (items, 3);
    /* A wrong-country attempt is a security event, logged once per bytes. */
    assert_int_equal (store_batch (f->db, &items[2], 1), 0);
    assert_true (items[2].replayed);
    store_item_reset (&items[2]);
    assert_int_equal (s_count (f->db,
                               "SELECT count(*) FROM dcp.security_event"
                               " WHERE kind = 'wrong_country' AND claimed_country = 'PAK'"
                               " AND sender_country = 'AFG'",
                               NULL),
                      1);
    assert_int_equal (s_count (f->db,
                               "SELECT count(*) FROM dcp.quarantine"
                               " WHERE reason = 'wrong_country'",
                               NULL),
                      1);
    /* ... and it cannot rewrite history. */
    PGresult *res = PQexec (f->db, "DELETE FROM dcp.finding");
    assert_int_not_equal (PQresultStatus (res), PGRES_COMMAND_OK);
    PQclear (res);
    res = PQexec (f->db, "UPDATE dcp.submission SET raw = ''");
    assert_int_not_equal (PQresultStatus (res), PGRES_COMMAND_OK);
    PQclear (res);
    PQclear (PQexec (f->db, "RESET ROLE"));
}

static void
test_same_id_twice_in_one_batch (void **state)
{
    fixture_t *f = *state;
    store_item_t items[3];
    Dcp__V1__Submission *sub = s_precursors (f, ID1, "AFG", 2025, 0, NULL, "1000");
    s_item (f, &items[0], s_forward (f, ID1, false), sub);
    s_item (f, &items[1], s_forward (f, ID1, false), sub); /* same bytes */
    s_item (f, &items[2], s_forward (f, ID1, false),
            s_precursors (f, ID1, "AFG", 2025, 0, NULL, "7")); /* other bytes */
    assert_int_equal (store_batch (f->db, items, 3), 0);
    assert_int_equal (items[0].status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    assert_false (items[0].replayed);
    assert_int_equal (items[1].status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    assert_true (items[1].replayed);
    assert_string_equal (items[1].stored_at, items[0].stored_at);
    assert_int_equal (items[2].status, DCP__V1__RECEIPT_STATUS__RECEIPT_CONFLICT);
    s_reset_all (items, 3);
    assert_int_equal (s_count (f->db, "SELECT count(*) FROM dcp.submission", NULL), 1);
    assert_int_equal (s_count (f->db, "SELECT count(*) FROM dcp.pc_seizure", NULL), 3);
    assert_int_equal (s_count (f->db, "SELECT count(*) FROM dcp.quarantine", NULL), 1);
}

/* Two loaders storing overlapping batches at the same moment (forked
 * processes, one connection each): the series locks serialise them, the
 * unique keys make the loser's copies replays, nothing deadlocks, and each
 * series ends with exactly one current revision. */
static void
test_two_loaders_at_once (void **state)
{
    fixture_t *f = *state;
    enum { N = 40 };
    store_item_t items[N];
    char ids[N][40];
    for (int i = 0; i < N; i++) {
        snprintf (ids[i], sizeof ids[i], "1b7f4c2e-3c55-4a5e-9a59-6f3d2f0c%04d", i);
        char country[4] = {(char) ('A' + i % 20), 'X', (char) ('A' + i / 20)};
        s_item (f, &items[i], s_forward (f, ids[i], false),
                s_precursors (f, ids[i], country, 2025, 0, NULL, "10"));
    }
    pid_t child = fork ();
    assert_true (child >= 0);
    if (child == 0) {
        /* Same items in reverse order: the locks must still be taken in
         * one order. */
        PGconn *db = pgtest_connect (f->conninfo, f->dbname);
        store_item_t reversed[N];
        for (int i = 0; i < N; i++)
            reversed[i] = items[N - 1 - i];
        int ok = store_batch (db, reversed, N) == 0;
        for (int i = 0; i < N; i++) {
            ok &= reversed[i].status == DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED;
            store_item_reset (&reversed[i]);
        }
        PQfinish (db);
        _exit (ok ? 0 : 1);
    }
    int rc = store_batch (f->db, items, N);
    int status = 0;
    waitpid (child, &status, 0);
    assert_int_equal (rc, 0);
    assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
    for (int i = 0; i < N; i++)
        assert_int_equal (items[i].status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    s_reset_all (items, N);
    assert_int_equal (s_count (f->db, "SELECT count(*) FROM dcp.submission", NULL), N);
    assert_int_equal (s_count (f->db, "SELECT count(*) FROM dcp.pc_seizure", NULL), 3 * N);

    /* Both send a revision 1 of the same series under other ids: one wins,
     * the other is told which one is current. */
    store_item_t rev;
    s_item (f, &rev, s_forward (f, ID1, false),
            s_precursors (f, ID1, "AXA", 2025, 1, ids[0], "11"));
    child = fork ();
    assert_true (child >= 0);
    if (child == 0) {
        PGconn *db = pgtest_connect (f->conninfo, f->dbname);
        store_item_t other = rev;
        Dcp__V1__Submission *sub = s_precursors (f, ID2, "AXA", 2025, 1, ids[0], "12");
        s_item (f, &other, s_forward (f, ID2, false), sub);
        int ok = store_batch (db, &other, 1) == 0;
        int accepted = other.status == DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED;
        store_item_reset (&other);
        PQfinish (db);
        _exit (ok ? (accepted ? 0 : 2) : 1);
    }
    rc = store_batch (f->db, &rev, 1);
    waitpid (child, &status, 0);
    assert_int_equal (rc, 0);
    assert_true (WIFEXITED (status));
    int child_accepted = WEXITSTATUS (status) == 0;
    int parent_accepted = rev.status == DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED;
    assert_int_equal (child_accepted + parent_accepted, 1);
    assert_true (WEXITSTATUS (status) == 0 || WEXITSTATUS (status) == 2);
    store_item_reset (&rev);
    assert_int_equal (s_count (f->db,
                               "SELECT count(*) FROM dcp.submission WHERE is_current"
                               " AND reporting_country = 'AXA'",
                               NULL),
                      1);
    assert_int_equal (
        s_count (f->db, "SELECT count(*) FROM dcp.quarantine WHERE reason = 'revision'", NULL), 1);
}

int
main (void)
{
    dcp_log_init ("test", DCP_LOG_WARN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (test_migrations_apply_twice, setup, teardown),
        cmocka_unit_test_setup_teardown (test_new_batch_is_stored, setup, teardown),
        cmocka_unit_test_setup_teardown (test_replay_writes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown (test_same_id_other_content_is_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown (test_rejected_goes_to_quarantine_once, setup, teardown),
        cmocka_unit_test_setup_teardown (test_revision_chain, setup, teardown),
        cmocka_unit_test_setup_teardown (test_revision_rule_v_env_06, setup, teardown),
        cmocka_unit_test_setup_teardown (test_revision_key_figure_change_warns, setup, teardown),
        cmocka_unit_test_setup_teardown (test_revision_key_figure_remembered, setup, teardown),
        cmocka_unit_test_setup_teardown (test_revision_key_figure_threshold, setup, teardown),
        cmocka_unit_test_setup_teardown (test_baseline_is_frozen, setup, teardown),
        cmocka_unit_test_setup_teardown (test_key_figures_agree_with_the_view, setup, teardown),
        cmocka_unit_test_setup_teardown (test_revision_waits_for_its_predecessor, setup, teardown),
        cmocka_unit_test_setup_teardown (test_wait_is_bounded_and_late_first_is_kept, setup,
                                         teardown),
        cmocka_unit_test_setup_teardown (test_first_after_its_revision_is_accepted, setup,
                                         teardown),
        cmocka_unit_test_setup_teardown (test_poison_item_is_isolated, setup, teardown),
        cmocka_unit_test_setup_teardown (test_derived_kg_beside_original, setup, teardown),
        cmocka_unit_test_setup_teardown (test_sql_injection_text_is_stored_verbatim, setup,
                                         teardown),
        cmocka_unit_test_setup_teardown (test_loader_role_is_enough, setup, teardown),
        cmocka_unit_test_setup_teardown (test_same_id_twice_in_one_batch, setup, teardown),
        cmocka_unit_test_setup_teardown (test_two_loaders_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown (test_lost_connection_is_retryable, setup, teardown),
        cmocka_unit_test_setup_teardown (test_stage_fault_keeps_batch, setup, teardown),
    };
    return cmocka_run_group_tests (tests, group_setup, group_teardown);
}
