/* store.c: writing a batch of forwarded submissions into PostgreSQL.
 *
 * One batch is one transaction with synchronous commit, so a receipt never
 * leaves before its data is durable.  The work is shaped for throughput
 * (the loader must come close to `psql \copy`):
 *
 *   - before the transaction, every decodable submission is turned into
 *     COPY text rows for the section tables, with derived kilograms and the
 *     completeness counts (pure C, no round trips, done once per batch even
 *     when the batch is retried or bisected);
 *   - in the transaction: one statement takes the per-series advisory locks
 *     in sorted order (so two loaders cannot deadlock), two look up which ids
 *     exist already, one reads the current revision of each series; then
 *     the new submissions and their line items go straight into their tables
 *     with one COPY per table, handed to libpq 16 KiB at a time (a duplicate
 *     key on dcp.submission then means another loader stored one of the ids
 *     meanwhile: the batch is redone and its lookup finds it).
 *
 * Every value travels as COPY data or a parameter, never spliced into SQL.
 * Idempotency rests on the primary key of dcp.submission and the UNIQUE
 * (submission_id, content_sha256) of dcp.quarantine: a resend of the same
 * bytes finds its earlier outcome and gets it back with replayed = true.
 *
 * Errors are classified once, here: lost connections, serialization
 * failures, deadlocks and shutdowns roll back and return DCP_EDB_RETRY;
 * data errors (SQLSTATE classes 22, 23, 54) roll back and the batch is
 * bisected until the single submission that the database refuses is found;
 * it is quarantined with a DB-REFUSED finding and its neighbours commit. */
#include <assert.h>
#include <ctype.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dcp_decimal.h"
#include "dcp_err.h"
#include "dcp_log.h"
#include "dcp_refdata.h"
#include "dcp_util.h"
#include "store.h"

#define STORE_LOCK_CLASS "1145262163"  /* "DCPS": per-series advisory locks */
#define COPY_CHUNK 16384               /* bytes per PQputCopyData */
#define KG_SCALE 6                     /* fraction digits of derived kg */
#define FACTOR_SCALE 9                 /* fraction digits of kg factors */
#define QUARANTINE_ID_MAX 128          /* garbage ids are cut to this */
#define RACE_ATTEMPTS 3                /* redo after a concurrent insert */
#define S_DATA_ERROR 1                 /* internal: the DB refused the data */
#define S_RACE 2                       /* internal: another loader won a race */

/* ---------------------------------------------------------------------------
 * Growable byte buffer; an allocation failure is remembered and reported
 * once at the end instead of being checked after every append. */

typedef struct {
    char *data;
    size_t len, cap;
    bool oom;
} s_buf_t;

static void
s_buf_reserve (s_buf_t *b, size_t extra)
{
    if (b->oom || b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *grown = realloc (b->data, cap);
    if (!grown) {
        b->oom = true;
        return;
    }
    b->data = grown;
    b->cap = cap;
}

static void
s_buf_add (s_buf_t *b, const char *s, size_t n)
{
    s_buf_reserve (b, n);
    if (b->oom)
        return;
    memcpy (b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void
s_buf_addc (s_buf_t *b, char c)
{
    s_buf_add (b, &c, 1);
}

static void
s_buf_free (s_buf_t *b)
{
    free (b->data);
    memset (b, 0, sizeof *b);
}

/* ---------------------------------------------------------------------------
 * COPY text format fields.  Every field is followed by a tab; s_row_end()
 * turns the last tab into the newline.  Empty text is NULL (\N). */

static void
s_put_null (s_buf_t *b)
{
    s_buf_add (b, "\\N\t", 3);
}

/* Escapes backslash, tab, newline and carriage return as COPY text wants. */
static void
s_put_text (s_buf_t *b, const char *s)
{
    if (!s || !*s) {
        s_put_null (b);
        return;
    }
    size_t n = strlen (s);
    s_buf_reserve (b, 2 * n + 1);
    if (b->oom)
        return;
    char *out = b->data + b->len;
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '\\': *out++ = '\\'; *out++ = '\\'; break;
        case '\t': *out++ = '\\'; *out++ = 't'; break;
        case '\n': *out++ = '\\'; *out++ = 'n'; break;
        case '\r': *out++ = '\\'; *out++ = 'r'; break;
        default: *out++ = *p; break;
        }
    }
    *out++ = '\t';
    b->len = (size_t) (out - b->data);
    b->data[b->len] = '\0';
}

static void
s_put_int (s_buf_t *b, long long v)
{
    char tmp[32];
    int n = snprintf (tmp, sizeof tmp, "%lld\t", v);
    s_buf_add (b, tmp, (size_t) n);
}

/* For integers where the form uses 0 as "not given" (years, ranks). */
static void
s_put_int_or_null (s_buf_t *b, long long v)
{
    if (v == 0)
        s_put_null (b);
    else
        s_put_int (b, v);
}

static void
s_put_bool (s_buf_t *b, bool v)
{
    s_buf_add (b, v ? "t\t" : "f\t", 2);
}

static void
s_put_tri (s_buf_t *b, Dcp__V1__Tri v)
{
    switch (v) {
    case DCP__V1__TRI__TRI_YES: s_put_text (b, "YES"); break;
    case DCP__V1__TRI__TRI_NO: s_put_text (b, "NO"); break;
    case DCP__V1__TRI__TRI_UNKNOWN: s_put_text (b, "UNKNOWN"); break;
    default: s_put_null (b); break;
    }
}

/* bytea in COPY text: "\\x" and hex (the backslash itself escaped). */
static void
s_put_bytea (s_buf_t *b, const uint8_t *data, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    s_buf_reserve (b, 2 * len + 4);
    if (b->oom)
        return;
    char *out = b->data + b->len;
    *out++ = '\\';
    *out++ = '\\';
    *out++ = 'x';
    for (size_t i = 0; i < len; i++) {
        *out++ = hex[data[i] >> 4];
        *out++ = hex[data[i] & 15];
    }
    *out++ = '\t';
    b->len = (size_t) (out - b->data);
    b->data[b->len] = '\0';
}

/* Appends an array literal of VALUES to LIT: {"a","b"}, with " and \
 * escaped inside the quotes. */
static void
s_array_literal (s_buf_t *lit, const char *const *values, size_t n)
{
    s_buf_addc (lit, '{');
    for (size_t i = 0; i < n; i++) {
        if (i)
            s_buf_addc (lit, ',');
        s_buf_addc (lit, '"');
        for (const char *p = values[i] ? values[i] : ""; *p; p++) {
            if (*p == '"' || *p == '\\')
                s_buf_addc (lit, '\\');
            s_buf_addc (lit, *p);
        }
        s_buf_addc (lit, '"');
    }
    s_buf_addc (lit, '}');
}

/* text[] in COPY: an array literal, then COPY-escaped; an empty list is
 * NULL (proto3 cannot tell "none" from "not given"). */
static void
s_put_array (s_buf_t *b, char **values, size_t n)
{
    if (n == 0) {
        s_put_null (b);
        return;
    }
    s_buf_t lit = {0};
    s_array_literal (&lit, (const char *const *) values, n);
    if (lit.oom)
        b->oom = true;
    else
        s_put_text (b, lit.data);
    s_buf_free (&lit);
}

static void
s_row_end (s_buf_t *b)
{
    if (!b->oom && b->len && b->data[b->len - 1] == '\t')
        b->data[b->len - 1] = '\n';
}

/* ---------------------------------------------------------------------------
 * Small hash map from one or two strings (borrowed) to an index. */

typedef struct {
    const char *a, *b;
    size_t val;
} s_slot_t;

typedef struct {
    s_slot_t *slots;
    size_t cap;
} s_map_t;

static int
s_map_init (s_map_t *m, size_t expected)
{
    m->cap = 16;
    while (m->cap < 2 * expected + 8)
        m->cap *= 2;
    m->slots = calloc (m->cap, sizeof *m->slots);
    return m->slots ? 0 : DCP_ENOMEM;
}

static void
s_map_free (s_map_t *m)
{
    free (m->slots);
    m->slots = NULL;
}

static size_t
s_hash (const char *a, const char *b)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = a; *p; p++)
        h = (h ^ (unsigned char) *p) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
    for (const char *p = b ? b : ""; *p; p++)
        h = (h ^ (unsigned char) *p) * 1099511628211ull;
    return (size_t) h;
}

static s_slot_t *
s_map_slot (const s_map_t *m, const char *a, const char *b)
{
    size_t i = s_hash (a, b) & (m->cap - 1);
    for (;; i = (i + 1) & (m->cap - 1)) {
        s_slot_t *s = &m->slots[i];
        if (!s->a || (strcmp (s->a, a) == 0 && strcmp (s->b ? s->b : "", b ? b : "") == 0))
            return s;
    }
}

/* Index stored for (A, B), or -1. */
static long
s_map_get (const s_map_t *m, const char *a, const char *b)
{
    s_slot_t *s = s_map_slot (m, a, b);
    return s->a ? (long) s->val : -1;
}

/* Stores (A, B) -> VAL unless present; the map never fills beyond half
 * because it was sized for every key it will get. */
static void
s_map_put (s_map_t *m, const char *a, const char *b, size_t val)
{
    s_slot_t *s = s_map_slot (m, a, b);
    if (!s->a) {
        s->a = a;
        s->b = b;
        s->val = val;
    }
}

/* ---------------------------------------------------------------------------
 * Text hygiene for the quarantine, which must accept anything: invalid
 * UTF-8 becomes U+FFFD, control characters other than tab/CR/LF a '?'. */

static char *
s_utf8_clean (const char *s, size_t max)
{
    size_t n = strlen (s);
    char *out = malloc (3 * n + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    const unsigned char *p = (const unsigned char *) s;
    while (*p && o < max) {
        int len = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3
                              : (*p & 0xf8) == 0xf0 ? 4 : 0;
        bool ok = len > 0;
        for (int k = 1; ok && k < len; k++)
            ok = (p[k] & 0xc0) == 0x80;
        if (ok && len == 2 && *p < 0xc2)
            ok = false;  /* overlong */
        if (ok && len == 3 && ((*p == 0xe0 && p[1] < 0xa0) || (*p == 0xed && p[1] >= 0xa0)))
            ok = false;  /* overlong or surrogate */
        if (ok && len == 4
            && ((*p == 0xf0 && p[1] < 0x90) || *p > 0xf4 || (*p == 0xf4 && p[1] >= 0x90)))
            ok = false;
        if (!ok) {
            memcpy (out + o, "\xef\xbf\xbd", 3);
            o += 3;
            p++;
            continue;
        }
        if (len == 1 && *p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
            out[o++] = '?';
        else {
            memcpy (out + o, p, (size_t) len);
            o += (size_t) len;
        }
        p += len;
    }
    out[o] = '\0';
    return out;
}

/* ---------------------------------------------------------------------------
 * Section tables written with COPY, in this order.  The column lists follow
 * the naming rule of migration 0002 (X_value, X_status, X_qref, ...). */

#define COUNT(x) x "_value, " x "_status, " x "_qref"
#define MONEY(x) x "_amount, " x "_currency, " x "_status, " x "_qref"
#define QTY(x)                                                                   \
    x "_value, " x "_unit, " x "_status, " x "_qref, " x "_kg, " x "_kg_factor, " x "_kg_method"

typedef enum {
    T_SUBMISSION_AGENCY,
    T_FF_LEGAL, T_FF_STR, T_FF_STR_SECTOR, T_FF_ENFORCEMENT, T_FF_ASSET, T_FF_METHOD,
    T_FF_METHOD_JURISDICTION, T_FF_COOPERATION, T_FF_CHALLENGE,
    T_PC_SEIZURE, T_PC_NONSCHEDULED, T_PC_DIVERSION, T_PC_STOPPED_SHIPMENT, T_PC_LAB,
    T_PC_LAB_CHEMICAL, T_PC_INCIDENT, T_PC_INCIDENT_SUBSTANCE, T_PC_INCIDENT_ROUTE,
    T_PC_LICIT_TRADE, T_PC_ROUTE,
    T_FINDING,  /* last: built per attempt, not per batch */
    T__COUNT
} s_table_t;

static const struct {
    const char *name;
    const char *columns;
} s_tables[T__COUNT] = {
    [T_SUBMISSION_AGENCY] = {"submission_agency", "submission_id, ord, name, type"},
    [T_FF_LEGAL] = {"ff_legal",
        "submission_id, ml_offence_exists, drug_trafficking_is_ml_predicate, fiu_exists, "
        "fiu_model, fiu_established_year, fiu_egmont_member, egmont_joined_year, "
        "fsrb_memberships, cash_declaration_system, " MONEY ("cash_declaration_threshold") ", "
        "mvts_hawala_regime, non_conviction_based_confiscation, asset_recovery_office_exists, "
        "virtual_assets_regulated, question_ref"},
    [T_FF_STR] = {"ff_str",
        "submission_id, " COUNT ("received_total") ", " COUNT ("received_drug_related") ", "
        COUNT ("received_afghan_opiates") ", " COUNT ("disseminated_total") ", "
        COUNT ("disseminated_drug_related") ", " COUNT ("median_days_to_dissemination") ", "
        COUNT ("fiu_requests_sent") ", " COUNT ("fiu_requests_received") ", "
        COUNT ("cash_declarations_filed") ", " MONEY ("cash_declarations_value") ", "
        MONEY ("cash_seized_at_border") ", " COUNT ("cash_seized_at_border_cases")},
    [T_FF_STR_SECTOR] = {"ff_str_sector", "submission_id, ord, sector, " COUNT ("reports")},
    [T_FF_ENFORCEMENT] = {"ff_enforcement",
        "submission_id, ord, stage, scope, count_unit, counting_rule, " COUNT ("count") ", "
        "sanctions_summary, question_ref"},
    [T_FF_ASSET] = {"ff_asset",
        "submission_id, ord, measure, asset_category, predicate_scope, "
        "amount, currency, amount_status, amount_qref, valuation_basis, " COUNT ("cases") ", "
        "origin_of_request, counterpart_country, question_ref"},
    [T_FF_METHOD] = {"ff_method",
        "submission_id, ord, method, observed, rank, trend, direction, currencies_observed, "
        "case_examples, question_ref"},
    [T_FF_METHOD_JURISDICTION] = {"ff_method_jurisdiction",
        "submission_id, method_ord, ord, country, role"},
    [T_FF_COOPERATION] = {"ff_cooperation",
        "submission_id, ord, instrument, direction, counterpart_country, drug_related, "
        COUNT ("requests") ", " COUNT ("executed") ", " COUNT ("refused") ", "
        COUNT ("pending_at_year_end") ", " COUNT ("mean_response_days") ", "
        COUNT ("pending_from_previous_year") ", question_ref"},
    [T_FF_CHALLENGE] = {"ff_challenge",
        "submission_id, categories, challenge_text, lesson_learned_text, good_practice_text, "
        "assistance_needs, assistance_text"},
    [T_PC_SEIZURE] = {"pc_seizure",
        "submission_id, ord, substance_code, convention_table, physical_form, "
        QTY ("quantity") ", "
        "concentration_pct, " COUNT ("number_of_seizures") ", origin_countries, origin_basis, "
        "no_seizures, question_ref"},
    [T_PC_NONSCHEDULED] = {"pc_nonscheduled",
        "submission_id, ord, substance_name, cas_number, hs_code, on_special_surveillance_list, "
        QTY ("quantity") ", suspected_use, question_ref"},
    [T_PC_DIVERSION] = {"pc_diversion",
        "submission_id, ord, method, substance_code, observed, rank, trend, description, "
        "question_ref"},
    [T_PC_STOPPED_SHIPMENT] = {"pc_stopped_shipment",
        "submission_id, ord, event_type, substance_code, " QTY ("quantity") ", exporting_country, "
        "importing_country, pen_reference, reason, question_ref"},
    [T_PC_LAB] = {"pc_lab",
        "submission_id, ord, lab_type, " COUNT ("labs") ", admin_area, question_ref"},
    [T_PC_LAB_CHEMICAL] = {"pc_lab_chemical",
        "submission_id, lab_ord, ord, substance_code, " QTY ("quantity")},
    [T_PC_INCIDENT] = {"pc_incident",
        "submission_id, ord, incident_id, incident_type, incident_date, admin_area, place, "
        "border_crossing, port, latitude, longitude, declared_description, concealment, "
        "identification_basis, transport_mode, persons_nationalities, seizing_agency, "
        MONEY ("linked_money") ", linked_transfer_channel, communicated_via_pics, pics_date, "
        "follow_up, question_ref"},
    [T_PC_INCIDENT_SUBSTANCE] = {"pc_incident_substance",
        "submission_id, incident_ord, ord, substance_code, substance_name, convention_table, "
        QTY ("quantity") ", concentration_pct, package_type, " COUNT ("package_count") ", "
        "mixed_substances"},
    [T_PC_INCIDENT_ROUTE] = {"pc_incident_route",
        "submission_id, incident_ord, ord, country, role"},
    [T_PC_LICIT_TRADE] = {"pc_licit_trade",
        "submission_id, ord, flow, substance_code, partner_country, " QTY ("quantity") ", "
        QTY ("requirement") ", question_ref"},
    [T_PC_ROUTE] = {"pc_route",
        "submission_id, ord, substance_code, role, country, rank, share_pct, route_code"},
    [T_FINDING] = {"finding", "submission_id, ord, rule, severity, path, message"},
};

static const char *s_submission_columns =
    "submission_id, content_sha256, raw, questionnaire, schema_version, form_version, "
    "reporting_country, reporting_year, finalised_at, completed_on, reference_period_start, "
    "reference_period_end, geographic_coverage, coverage_note, revision_no, supersedes, "
    "revision_reason, language, focal_point_name, focal_point_agency, focal_point_title, "
    "focal_point_email, focal_point_phone, sender_key, sender_country, sender_name, "
    "validator_id, received_at, is_current, review_state, n_numbers, n_reported, "
    "n_not_available, n_unanswered, completeness_pct, n_warnings, n_infos";

/* ---------------------------------------------------------------------------
 * The batch: what is known about each item before any database work. */

typedef enum {
    A_NONE,
    A_INSERT,        /* new accepted submission */
    A_QUARANTINE,    /* rejected (or conflict): store in quarantine */
    A_REPLAY_SUB,    /* stored before as accepted */
    A_REPLAY_QUAR,   /* stored before in quarantine */
    A_DUP,           /* same bytes as an earlier item of this batch */
} s_action_t;

typedef struct {
    char id[QUARANTINE_ID_MAX * 3 + 1];  /* lowercase UUID, or the cleaned id */
    bool id_is_uuid;
    char sha_hex[65];
    /* "sha|sender key": a rejection is replayed only to the same sender, so
     * bytes rejected for one key (say, the wrong country) can never block
     * the rightful sender's identical submission. */
    char quar_key[65 + 1 + 64];
    char series[96];          /* "AFG/precursors/2025"; "" if not decodable */
    bool candidate;           /* decodable and not rejected by the validator */
    int n_numbers, n_reported, n_not_available, n_unanswered;
    /* per attempt */
    s_action_t action;
    const char *reason;       /* quarantine reason */
    size_t dup_of;
    long series_slot;         /* index into the attempt's series table, -1 */
    bool is_current;
    long existing_row;        /* row of the replay lookup result */
} s_plan_t;

struct store_batch_t {
    store_item_t *items;      /* owned array; what they point to is borrowed */
    s_plan_t *plan;
    size_t n, cap;
    s_buf_t tab[T__COUNT];
    size_t *off;              /* off[i * T__COUNT + t]: start of item i in table t;
                                 off[n * T__COUNT + t]: end of table t */
    char sqlstate[6];         /* last data error, for DB-REFUSED */
    char sqlmessage[512];
    char constraint[64];      /* and the constraint it broke, if any */
};
typedef struct store_batch_t s_batch_t;

/* Encoder state while one submission is turned into rows. */
typedef struct {
    s_batch_t *b;
    s_plan_t *plan;
    const char *id;
    const char *year_end;     /* "2025": date for the Convention table of P1 */
} s_enc_t;

static void
s_count_status (s_enc_t *e, Dcp__V1__ObsStatus status)
{
    e->plan->n_numbers++;
    switch (status) {
    case DCP__V1__OBS_STATUS__OBS_REPORTED:
    case DCP__V1__OBS_STATUS__OBS_ESTIMATED:
    case DCP__V1__OBS_STATUS__OBS_PROVISIONAL: e->plan->n_reported++; break;
    case DCP__V1__OBS_STATUS__OBS_UNANSWERED:
    case DCP__V1__OBS_STATUS__OBS_STATUS_UNSPECIFIED: e->plan->n_unanswered++; break;
    default: e->plan->n_not_available++; break;
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

/* A count: value, status, question reference.  A missing message is a
 * question not answered. */
static void
s_put_count (s_enc_t *e, s_buf_t *b, const Dcp__V1__Count *c)
{
    Dcp__V1__ObsStatus status = c ? c->status : DCP__V1__OBS_STATUS__OBS_UNANSWERED;
    s_count_status (e, status);
    if (c && c->presence_case == DCP__V1__COUNT__PRESENCE_VALUE)
        s_put_int (b, (long long) c->value);
    else
        s_put_null (b);
    s_put_text (b, s_status_name (status));
    s_put_text (b, c ? c->question_ref : NULL);
}

/* Money: amount as the partner wrote it (PostgreSQL numeric parses it),
 * currency, status, question reference. */
static void
s_put_money (s_enc_t *e, s_buf_t *b, const Dcp__V1__Money *m)
{
    Dcp__V1__ObsStatus status = m ? m->status : DCP__V1__OBS_STATUS__OBS_UNANSWERED;
    s_count_status (e, status);
    s_put_text (b, m ? m->amount : NULL);
    s_put_text (b, m ? m->currency : NULL);
    s_put_text (b, s_status_name (status));
    s_put_text (b, m ? m->question_ref : NULL);
}

/* Writes a decimal without trailing fraction zeros ("1.082000000" ->
 * "1.082"), as a COPY field. */
static void
s_put_decimal (s_buf_t *b, const dcp_decimal_t *d)
{
    char text[80];
    if (!dcp_decimal_format (d, text, sizeof text)) {
        s_put_null (b);
        return;
    }
    if (strchr (text, '.')) {
        size_t n = strlen (text);
        while (n > 0 && text[n - 1] == '0')
            text[--n] = '\0';
        if (n > 0 && text[n - 1] == '.')
            text[--n] = '\0';
    }
    s_put_text (b, text);
}

/* A quantity as reported plus the derived kilograms (V-PRE-05): mass units
 * by their factor ('mass_unit'); volume units by the substance's density at
 * CONCENTRATION ('density:<row id>'); otherwise kg stays NULL and
 * kg_method says why ('no_density', 'unknown_unit', 'not_a_number').  The
 * original figure is never replaced and litres are never taken as kg. */
static void
s_put_quantity (s_enc_t *e, s_buf_t *b, const Dcp__V1__Quantity *q, const char *substance,
                const char *concentration)
{
    Dcp__V1__ObsStatus status = q ? q->status : DCP__V1__OBS_STATUS__OBS_UNANSWERED;
    s_count_status (e, status);
    s_put_text (b, q ? q->value : NULL);
    s_put_text (b, q ? q->unit : NULL);
    s_put_text (b, s_status_name (status));
    s_put_text (b, q ? q->question_ref : NULL);
    if (!q || !q->value || !*q->value) {
        s_put_null (b);
        s_put_null (b);
        s_put_null (b);
        return;
    }
    dcp_decimal_t value, unit_factor, density, factor, kg;
    bool is_volume = false;
    const char *row_id = NULL;
    char method[160];
    if (dcp_decimal_parse (q->value, &value) != 0) {
        snprintf (method, sizeof method, "not_a_number");
        goto underived;
    }
    if (!q->unit || dcp_refdata_unit (q->unit, &unit_factor, &is_volume) != 0) {
        snprintf (method, sizeof method, "unknown_unit");
        goto underived;
    }
    if (!is_volume) {
        factor = unit_factor;
        snprintf (method, sizeof method, "mass_unit");
    }
    else {
        if (!substance || !*substance
            || dcp_refdata_density (substance,
                                    concentration && *concentration ? concentration : NULL,
                                    &density, &row_id) != 0
            || dcp_decimal_mul (&unit_factor, &density, FACTOR_SCALE, &factor) != 0) {
            snprintf (method, sizeof method, "no_density");
            goto underived;
        }
        snprintf (method, sizeof method, "density:%s", row_id ? row_id : "?");
    }
    if (dcp_decimal_mul (&value, &factor, KG_SCALE, &kg) != 0) {
        snprintf (method, sizeof method, "overflow");
        goto underived;
    }
    s_put_decimal (b, &kg);
    s_put_decimal (b, &factor);
    s_put_text (b, method);
    return;
underived:
    s_put_null (b);
    s_put_null (b);
    s_put_text (b, method);
}

/* Convention table (1 or 2, as in ref_substance_schedule) of a substance
 * at DATE, NULL if not scheduled then (V-PRE-01: derived, never typed). */
static void
s_put_convention_table (s_buf_t *b, const char *code, const char *date)
{
    int table = code && *code && date && *date ? dcp_refdata_substance_table (code, date) : 0;
    if (table == 1 || table == 2)
        s_put_int (b, table);
    else
        s_put_null (b);
}

static s_buf_t *
s_row (s_enc_t *e, s_table_t t, const long *ords, int n_ords)
{
    s_buf_t *b = &e->b->tab[t];
    s_put_text (b, e->id);
    for (int i = 0; i < n_ords; i++)
        s_put_int (b, ords[i]);
    return b;
}

static void
s_encode_ff (s_enc_t *e, const Dcp__V1__FinancialFlows *ff)
{
    s_buf_t *b;
    if (ff->legal) {
        const Dcp__V1__LegalFramework *l = ff->legal;
        b = s_row (e, T_FF_LEGAL, NULL, 0);
        s_put_tri (b, l->ml_offence_exists);
        s_put_tri (b, l->drug_trafficking_is_ml_predicate);
        s_put_tri (b, l->fiu_exists);
        s_put_text (b, l->fiu_model);
        s_put_int_or_null (b, l->fiu_established_year);
        s_put_tri (b, l->fiu_egmont_member);
        s_put_int_or_null (b, l->egmont_joined_year);
        s_put_array (b, l->fsrb_memberships, l->n_fsrb_memberships);
        s_put_text (b, l->cash_declaration_system);
        s_put_money (e, b, l->cash_declaration_threshold);
        s_put_text (b, l->mvts_hawala_regime);
        s_put_tri (b, l->non_conviction_based_confiscation);
        s_put_tri (b, l->asset_recovery_office_exists);
        s_put_tri (b, l->virtual_assets_regulated);
        s_put_text (b, l->question_ref);
        s_row_end (b);
    }
    if (ff->str) {
        const Dcp__V1__SuspiciousTransactions *s = ff->str;
        b = s_row (e, T_FF_STR, NULL, 0);
        s_put_count (e, b, s->received_total);
        s_put_count (e, b, s->received_drug_related);
        s_put_count (e, b, s->received_afghan_opiates);
        s_put_count (e, b, s->disseminated_total);
        s_put_count (e, b, s->disseminated_drug_related);
        s_put_count (e, b, s->median_days_to_dissemination);
        s_put_count (e, b, s->fiu_requests_sent);
        s_put_count (e, b, s->fiu_requests_received);
        s_put_count (e, b, s->cash_declarations_filed);
        s_put_money (e, b, s->cash_declarations_value);
        s_put_money (e, b, s->cash_seized_at_border);
        s_put_count (e, b, s->cash_seized_at_border_cases);
        s_row_end (b);
        for (size_t i = 0; i < s->n_received_by_sector; i++) {
            const Dcp__V1__SectorCount *r = s->received_by_sector[i];
            b = s_row (e, T_FF_STR_SECTOR, (long[]) {(long) i}, 1);
            s_put_text (b, r->sector);
            s_put_count (e, b, r->reports);
            s_row_end (b);
        }
    }
    for (size_t i = 0; i < ff->n_enforcement; i++) {
        const Dcp__V1__EnforcementRow *r = ff->enforcement[i];
        b = s_row (e, T_FF_ENFORCEMENT, (long[]) {(long) i}, 1);
        s_put_text (b, r->stage);
        s_put_text (b, r->scope);
        s_put_text (b, r->count_unit);
        s_put_text (b, r->counting_rule);
        s_put_count (e, b, r->value);
        s_put_text (b, r->sanctions_summary);
        s_put_text (b, r->question_ref);
        s_row_end (b);
    }
    for (size_t i = 0; i < ff->n_assets; i++) {
        const Dcp__V1__AssetRow *r = ff->assets[i];
        b = s_row (e, T_FF_ASSET, (long[]) {(long) i}, 1);
        s_put_text (b, r->measure);
        s_put_text (b, r->asset_category);
        s_put_text (b, r->predicate_scope);
        s_put_money (e, b, r->amount);
        s_put_text (b, r->valuation_basis);
        s_put_count (e, b, r->cases);
        s_put_text (b, r->origin_of_request);
        s_put_text (b, r->counterpart_country);
        s_put_text (b, r->question_ref);
        s_row_end (b);
    }
    for (size_t i = 0; i < ff->n_methods; i++) {
        const Dcp__V1__LaunderingMethod *r = ff->methods[i];
        b = s_row (e, T_FF_METHOD, (long[]) {(long) i}, 1);
        s_put_text (b, r->method);
        s_put_tri (b, r->observed);
        s_put_int_or_null (b, r->rank);
        s_put_text (b, r->trend);
        s_put_text (b, r->direction);
        s_put_array (b, r->currencies_observed, r->n_currencies_observed);
        s_put_text (b, r->case_examples);
        s_put_text (b, r->question_ref);
        s_row_end (b);
        for (size_t j = 0; j < r->n_jurisdictions; j++) {
            b = s_row (e, T_FF_METHOD_JURISDICTION, (long[]) {(long) i, (long) j}, 2);
            s_put_text (b, r->jurisdictions[j]->country);
            s_put_text (b, r->jurisdictions[j]->role);
            s_row_end (b);
        }
    }
    for (size_t i = 0; i < ff->n_cooperation; i++) {
        const Dcp__V1__CooperationRow *r = ff->cooperation[i];
        b = s_row (e, T_FF_COOPERATION, (long[]) {(long) i}, 1);
        s_put_text (b, r->instrument);
        s_put_text (b, r->direction);
        s_put_text (b, r->counterpart_country);
        s_put_tri (b, r->drug_related);
        s_put_count (e, b, r->requests);
        s_put_count (e, b, r->executed);
        s_put_count (e, b, r->refused);
        s_put_count (e, b, r->pending_at_year_end);
        s_put_count (e, b, r->mean_response_days);
        s_put_count (e, b, r->pending_from_previous_year);
        s_put_text (b, r->question_ref);
        s_row_end (b);
    }
    if (ff->challenges) {
        const Dcp__V1__Challenges *c = ff->challenges;
        b = s_row (e, T_FF_CHALLENGE, NULL, 0);
        s_put_array (b, c->categories, c->n_categories);
        s_put_text (b, c->challenge_text);
        s_put_text (b, c->lesson_learned_text);
        s_put_text (b, c->good_practice_text);
        s_put_array (b, c->assistance_needs, c->n_assistance_needs);
        s_put_text (b, c->assistance_text);
        s_row_end (b);
    }
}

static void
s_encode_pc (s_enc_t *e, const Dcp__V1__Precursors *pc)
{
    s_buf_t *b;
    for (size_t i = 0; i < pc->n_seizures; i++) {
        const Dcp__V1__AnnualSeizure *r = pc->seizures[i];
        b = s_row (e, T_PC_SEIZURE, (long[]) {(long) i}, 1);
        s_put_text (b, r->substance_code);
        s_put_convention_table (b, r->substance_code, e->year_end);
        s_put_text (b, r->physical_form);
        s_put_quantity (e, b, r->quantity, r->substance_code, r->concentration_pct);
        s_put_text (b, r->concentration_pct);
        s_put_count (e, b, r->number_of_seizures);
        s_put_array (b, r->origin_countries, r->n_origin_countries);
        s_put_text (b, r->origin_basis);
        s_put_bool (b, r->no_seizures);
        s_put_text (b, r->question_ref);
        s_row_end (b);
    }
    for (size_t i = 0; i < pc->n_non_scheduled; i++) {
        const Dcp__V1__NonScheduledSeizure *r = pc->non_scheduled[i];
        b = s_row (e, T_PC_NONSCHEDULED, (long[]) {(long) i}, 1);
        s_put_text (b, r->substance_name);
        s_put_text (b, r->cas_number);
        s_put_text (b, r->hs_code);
        s_put_tri (b, r->on_special_surveillance_list);
        s_put_quantity (e, b, r->quantity, NULL, NULL);
        s_put_text (b, r->suspected_use);
        s_put_text (b, r->question_ref);
        s_row_end (b);
    }
    for (size_t i = 0; i < pc->n_diversion_methods; i++) {
        const Dcp__V1__DiversionMethod *r = pc->diversion_methods[i];
        b = s_row (e, T_PC_DIVERSION, (long[]) {(long) i}, 1);
        s_put_text (b, r->method);
        s_put_text (b, r->substance_code);
        s_put_tri (b, r->observed);
        s_put_int_or_null (b, r->rank);
        s_put_text (b, r->trend);
        s_put_text (b, r->description);
        s_put_text (b, r->question_ref);
        s_row_end (b);
    }
    for (size_t i = 0; i < pc->n_stopped_shipments; i++) {
        const Dcp__V1__StoppedShipment *r = pc->stopped_shipments[i];
        b = s_row (e, T_PC_STOPPED_SHIPMENT, (long[]) {(long) i}, 1);
        s_put_text (b, r->event_type);
        s_put_text (b, r->substance_code);
        s_put_quantity (e, b, r->quantity, r->substance_code, NULL);
        s_put_text (b, r->exporting_country);
        s_put_text (b, r->importing_country);
        s_put_text (b, r->pen_reference);
        s_put_text (b, r->reason);
        s_put_text (b, r->question_ref);
        s_row_end (b);
    }
    for (size_t i = 0; i < pc->n_labs; i++) {
        const Dcp__V1__IllicitLab *r = pc->labs[i];
        b = s_row (e, T_PC_LAB, (long[]) {(long) i}, 1);
        s_put_text (b, r->lab_type);
        s_put_count (e, b, r->count);
        s_put_text (b, r->admin_area);
        s_put_text (b, r->question_ref);
        s_row_end (b);
        for (size_t j = 0; j < r->n_chemicals_found; j++) {
            const Dcp__V1__LabChemical *c = r->chemicals_found[j];
            b = s_row (e, T_PC_LAB_CHEMICAL, (long[]) {(long) i, (long) j}, 2);
            s_put_text (b, c->substance_code);
            s_put_quantity (e, b, c->quantity, c->substance_code, NULL);
            s_row_end (b);
        }
    }
    for (size_t i = 0; i < pc->n_incidents; i++) {
        const Dcp__V1__Incident *r = pc->incidents[i];
        const Dcp__V1__Location *loc = r->location;
        b = s_row (e, T_PC_INCIDENT, (long[]) {(long) i}, 1);
        s_put_text (b, r->incident_id);
        s_put_text (b, r->incident_type);
        s_put_text (b, r->incident_date);
        s_put_text (b, loc ? loc->admin_area : NULL);
        s_put_text (b, loc ? loc->place : NULL);
        s_put_text (b, loc ? loc->border_crossing : NULL);
        s_put_text (b, loc ? loc->port : NULL);
        s_put_text (b, loc ? loc->latitude : NULL);
        s_put_text (b, loc ? loc->longitude : NULL);
        s_put_text (b, r->declared_description);
        s_put_text (b, r->concealment);
        s_put_text (b, r->identification_basis);
        s_put_text (b, r->transport_mode);
        s_put_array (b, r->persons_nationalities, r->n_persons_nationalities);
        s_put_text (b, r->seizing_agency);
        s_put_money (e, b, r->linked_money);
        s_put_text (b, r->linked_transfer_channel);
        s_put_bool (b, r->communicated_via_pics);
        s_put_text (b, r->pics_date);
        s_put_text (b, r->follow_up);
        s_put_text (b, r->question_ref);
        s_row_end (b);
        /* The Convention table as at the incident date, else the year end. */
        const char *date = r->incident_date && *r->incident_date ? r->incident_date : e->year_end;
        for (size_t j = 0; j < r->n_substances; j++) {
            const Dcp__V1__IncidentSubstance *s = r->substances[j];
            b = s_row (e, T_PC_INCIDENT_SUBSTANCE, (long[]) {(long) i, (long) j}, 2);
            s_put_text (b, s->substance_code);
            s_put_text (b, s->substance_name);
            s_put_convention_table (b, s->substance_code, date);
            s_put_quantity (e, b, s->quantity, s->substance_code, s->concentration_pct);
            s_put_text (b, s->concentration_pct);
            s_put_text (b, s->package_type);
            s_put_count (e, b, s->package_count);
            s_put_bool (b, s->mixed_substances);
            s_row_end (b);
        }
        for (size_t j = 0; j < r->n_route; j++) {
            b = s_row (e, T_PC_INCIDENT_ROUTE, (long[]) {(long) i, (long) j}, 2);
            s_put_text (b, r->route[j]->country);
            s_put_text (b, r->route[j]->role);
            s_row_end (b);
        }
    }
    for (size_t i = 0; i < pc->n_licit_trade; i++) {
        const Dcp__V1__LicitTrade *r = pc->licit_trade[i];
        b = s_row (e, T_PC_LICIT_TRADE, (long[]) {(long) i}, 1);
        s_put_text (b, r->flow);
        s_put_text (b, r->substance_code);
        s_put_text (b, r->partner_country);
        s_put_quantity (e, b, r->quantity, r->substance_code, NULL);
        s_put_quantity (e, b, r->licit_requirement_estimate, r->substance_code, NULL);
        s_put_text (b, r->question_ref);
        s_row_end (b);
    }
    for (size_t i = 0; i < pc->n_routes; i++) {
        const Dcp__V1__TraffickingRoute *r = pc->routes[i];
        b = s_row (e, T_PC_ROUTE, (long[]) {(long) i}, 1);
        s_put_text (b, r->substance_code);
        s_put_text (b, r->role);
        s_put_text (b, r->country);
        s_put_int_or_null (b, r->rank);
        s_put_text (b, r->share_pct);
        s_put_text (b, r->route_code);
        s_row_end (b);
    }
}

static bool
s_uuid_ok (const char *s)
{
    static const int dash[] = {8, 13, 18, 23};
    if (!s || strlen (s) != 36)
        return false;
    for (int i = 0, d = 0; i < 36; i++) {
        if (d < 4 && i == dash[d]) {
            if (s[i] != '-')
                return false;
            d++;
        }
        else if (!isxdigit ((unsigned char) s[i]))
            return false;
    }
    return true;
}

/* Fills the plan of item I and encodes its section rows. */
static void
s_prepare_item (s_batch_t *b, size_t i)
{
    store_item_t *item = &b->items[i];
    s_plan_t *p = &b->plan[i];
    const Dcp__V1__Submission *sub = item->sub;
    /* The id the client sent (the id frame, which the validator put in the
     * envelope), never the one inside the bytes: a rejection is kept and
     * replayed under the id it was answered for, so a never-used id is
     * never "replayed" (the two differ only in rejected submissions). */
    const char *id = item->fwd->submission_id ? item->fwd->submission_id : "";
    p->id_is_uuid = s_uuid_ok (id);
    if (p->id_is_uuid) {
        for (int k = 0; k < 36; k++)
            p->id[k] = (char) tolower ((unsigned char) id[k]);
        p->id[36] = '\0';
    }
    else {
        char *clean = s_utf8_clean (id, QUARANTINE_ID_MAX);
        snprintf (p->id, sizeof p->id, "%s", clean ? clean : "");
        free (clean);
    }
    dcp_sha256_hex (item->raw ? (const void *) item->raw : "", item->raw_len, p->sha_hex);
    snprintf (p->quar_key, sizeof p->quar_key, "%s|%.64s", p->sha_hex,
              item->fwd->sender_key ? item->fwd->sender_key : "");
    p->candidate = sub && !item->fwd->rejected;
    if (sub)
        snprintf (p->series, sizeof p->series, "%.64s/%s/%d",
                  sub->reporting_country ? sub->reporting_country : "",
                  dcp_codec_kind_name (sub->questionnaire), (int) sub->reporting_year);

    for (int t = 0; t < T__COUNT; t++)
        b->off[i * T__COUNT + (size_t) t] = b->tab[t].len;
    if (!p->candidate || !p->id_is_uuid)
        return;
    char year_end[16];
    snprintf (year_end, sizeof year_end, "%04d", (int) sub->reporting_year);
    s_enc_t e = {b, p, p->id, year_end};
    for (size_t k = 0; k < sub->n_contributing_agencies; k++) {
        s_buf_t *buf = s_row (&e, T_SUBMISSION_AGENCY, (long[]) {(long) k}, 1);
        s_put_text (buf, sub->contributing_agencies[k]->name);
        s_put_text (buf, sub->contributing_agencies[k]->type);
        s_row_end (buf);
    }
    if (sub->payload_case == DCP__V1__SUBMISSION__PAYLOAD_FINANCIAL_FLOWS && sub->financial_flows)
        s_encode_ff (&e, sub->financial_flows);
    else if (sub->payload_case == DCP__V1__SUBMISSION__PAYLOAD_PRECURSORS && sub->precursors)
        s_encode_pc (&e, sub->precursors);
}

store_batch_t *
store_batch_new (void)
{
    return calloc (1, sizeof (store_batch_t));
}

void
store_batch_clear (store_batch_t *b)
{
    for (size_t i = 0; i < b->n; i++)
        store_item_reset (&b->items[i]);
    b->n = 0;
    /* The buffers keep their capacity: the next batch is about as big. */
    for (int t = 0; t < T__COUNT; t++) {
        b->tab[t].len = 0;
        b->tab[t].oom = false;
    }
    b->sqlstate[0] = b->sqlmessage[0] = b->constraint[0] = '\0';
}

void
store_batch_destroy (store_batch_t **self_p)
{
    if (!*self_p)
        return;
    s_batch_t *b = *self_p;
    store_batch_clear (b);
    for (int t = 0; t < T__COUNT; t++)
        s_buf_free (&b->tab[t]);
    free (b->items);
    free (b->off);
    free (b->plan);
    free (b);
    *self_p = NULL;
}

static int
s_batch_grow (s_batch_t *b)
{
    size_t cap = b->cap ? b->cap * 2 : 64;
    store_item_t *items = realloc (b->items, cap * sizeof *items);
    if (!items)
        return DCP_ENOMEM;
    b->items = items;
    s_plan_t *plan = realloc (b->plan, cap * sizeof *plan);
    if (!plan)
        return DCP_ENOMEM;
    b->plan = plan;
    size_t *off = realloc (b->off, (cap + 1) * T__COUNT * sizeof *off);
    if (!off)
        return DCP_ENOMEM;
    b->off = off;
    b->cap = cap;
    return 0;
}

int
store_batch_add (store_batch_t *b, const store_item_t *in)
{
    assert (b && in && in->fwd);
    if (b->n == b->cap && s_batch_grow (b))
        return DCP_ENOMEM;
    size_t i = b->n;
    b->items[i] = (store_item_t) {
        .fwd = in->fwd, .raw = in->raw, .raw_len = in->raw_len, .sub = in->sub};
    memset (&b->plan[i], 0, sizeof b->plan[i]);
    s_prepare_item (b, i);
    bool oom = false;
    for (int t = 0; t < T__COUNT; t++)
        oom |= b->tab[t].oom;
    if (oom) {
        /* Forget the half-encoded item; what came before stays intact
         * (a failed realloc keeps the old block). */
        for (int t = 0; t < T__COUNT; t++) {
            b->tab[t].len = b->off[i * T__COUNT + (size_t) t];
            b->tab[t].oom = false;
        }
        return DCP_ENOMEM;
    }
    for (int t = 0; t < T__COUNT; t++)
        b->off[(i + 1) * T__COUNT + (size_t) t] = b->tab[t].len;
    b->n++;
    return 0;
}

size_t
store_batch_size (const store_batch_t *b)
{
    return b->n;
}

store_item_t *
store_batch_item (store_batch_t *b, size_t i)
{
    assert (i < b->n);
    return &b->items[i];
}

/* ---------------------------------------------------------------------------
 * Talking to PostgreSQL */

/* Classifies a failed result: DCP_EDB_RETRY for what may pass later,
 * S_DATA_ERROR when the data was refused (remembered for DB-REFUSED). */
static int
s_classify (PGconn *db, s_batch_t *b, PGresult *res, const char *step)
{
    const char *state = res ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
    const char *primary = res ? PQresultErrorField (res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    char quoted[600];
    if (PQstatus (db) != CONNECTION_OK || !state) {
        dcp_warn ("lost the database connection", "step=%s error=%s", step,
                  dcp_log_quote (quoted, sizeof quoted, PQerrorMessage (db)));
        return DCP_EDB_RETRY;
    }
    bool data = strncmp (state, "22", 2) == 0 || strncmp (state, "23", 2) == 0
                || strncmp (state, "54", 2) == 0;
    if (data) {
        const char *constraint = PQresultErrorField (res, PG_DIAG_CONSTRAINT_NAME);
        snprintf (b->sqlstate, sizeof b->sqlstate, "%s", state);
        snprintf (b->sqlmessage, sizeof b->sqlmessage, "%s", primary ? primary : "");
        snprintf (b->constraint, sizeof b->constraint, "%s", constraint ? constraint : "");
        dcp_debug ("database refused data", "step=%s sqlstate=%s error=%s", step, state,
                   dcp_log_quote (quoted, sizeof quoted, primary ? primary : ""));
        return S_DATA_ERROR;
    }
    bool transient = strcmp (state, "40001") == 0 || strcmp (state, "40P01") == 0
                     || strncmp (state, "08", 2) == 0 || strncmp (state, "57P", 3) == 0
                     || strncmp (state, "53", 2) == 0 || strcmp (state, "55P03") == 0
                     || strcmp (state, "57014") == 0;
    /* Anything else (undefined table, permission denied, ...) is a deployment
     * defect, not the partner's data: keep the batch and let the operator
     * fix it, rather than rejecting every submission one by one. */
    if (transient)
        dcp_warn ("database asked to retry", "step=%s sqlstate=%s error=%s", step, state,
                  dcp_log_quote (quoted, sizeof quoted, primary ? primary : ""));
    else
        dcp_error ("database error, batch kept for retry", "step=%s sqlstate=%s error=%s", step,
                   state, dcp_log_quote (quoted, sizeof quoted, primary ? primary : ""));
    return DCP_EDB_RETRY;
}

static int
s_check (PGconn *db, s_batch_t *b, PGresult *res, ExecStatusType want, const char *step)
{
    if (PQresultStatus (res) == want)
        return 0;
    return s_classify (db, b, res, step);
}

static void
s_rollback (PGconn *db)
{
    if (PQstatus (db) == CONNECTION_OK && PQtransactionStatus (db) != PQTRANS_IDLE)
        PQclear (PQexec (db, "ROLLBACK"));
}

/* Runs SQL with text parameters. */
static PGresult *
s_query (PGconn *db, const char *sql, int n, const char *const *params)
{
    return PQexecParams (db, sql, n, NULL, params, NULL, NULL, 0);
}

/* Sends LEN bytes of DATA through COPY in chunks of exactly COPY_CHUNK,
 * gathering small pieces in CHUNK first. */
static int
s_copy_put (PGconn *db, s_buf_t *chunk, const char *data, size_t len)
{
    while (len > 0) {
        size_t room = COPY_CHUNK - chunk->len;
        size_t n = len < room ? len : room;
        if (chunk->len == 0 && n == COPY_CHUNK) {
            if (PQputCopyData (db, data, (int) n) != 1)
                return -1;
        }
        else {
            memcpy (chunk->data + chunk->len, data, n);
            chunk->len += n;
            if (chunk->len == COPY_CHUNK) {
                if (PQputCopyData (db, chunk->data, COPY_CHUNK) != 1)
                    return -1;
                chunk->len = 0;
            }
        }
        data += n;
        len -= n;
    }
    return 0;
}

/* COPY into TABLE the rows of items [lo, hi) whose action is A_INSERT,
 * taken from DATA with per-item offsets; or, with OFF NULL, all of DATA.
 * Sends nothing when there is nothing to send. */
static int
s_copy (PGconn *db, s_batch_t *b, const char *table, const char *columns, const s_buf_t *data,
        const size_t *off, size_t stride, size_t lo, size_t hi)
{
    size_t total = 0;
    if (off) {
        for (size_t i = lo; i < hi; i++)
            if (b->plan[i].action == A_INSERT)
                total += off[(i + 1) * stride] - off[i * stride];
    }
    else
        total = data->len;
    if (total == 0)
        return 0;

    char sql[2048];
    snprintf (sql, sizeof sql, "COPY %s (%s) FROM STDIN", table, columns);
    s_buf_t chunk = {0};
    int rc = 0;
    PGresult *res = PQexec (db, sql);
    if ((rc = s_check (db, b, res, PGRES_COPY_IN, table)))
        goto cleanup;
    PQclear (res);
    res = NULL;
    s_buf_reserve (&chunk, COPY_CHUNK);
    if (chunk.oom) {
        PQputCopyEnd (db, "out of memory");
        rc = DCP_ENOMEM;
        goto drain;
    }
    bool sent_ok = true;
    if (off) {
        /* Contiguous runs of new items go out as one range. */
        size_t i = lo;
        while (i < hi && sent_ok) {
            if (b->plan[i].action != A_INSERT) {
                i++;
                continue;
            }
            size_t j = i;
            while (j < hi && b->plan[j].action == A_INSERT)
                j++;
            size_t start = off[i * stride], end = off[j * stride];
            sent_ok = s_copy_put (db, &chunk, data->data + start, end - start) == 0;
            i = j;
        }
    }
    else
        sent_ok = s_copy_put (db, &chunk, data->data, data->len) == 0;
    if (sent_ok && chunk.len)
        sent_ok = PQputCopyData (db, chunk.data, (int) chunk.len) == 1;
    PQputCopyEnd (db, sent_ok ? NULL : "could not send data");
drain:
    res = PQgetResult (db);
    if (rc == 0)
        rc = s_check (db, b, res, PGRES_COMMAND_OK, table);
    PQclear (res);
    while ((res = PQgetResult (db)))
        PQclear (res);
cleanup:
    PQclear (res);
    s_buf_free (&chunk);
    return rc;
}

/* ---------------------------------------------------------------------------
 * One attempt at storing items [lo, hi) in one transaction. */

typedef struct {
    const char *key;        /* borrowed from a plan */
    char current[40];       /* current submission id ("" = none) */
    unsigned revision_no;
    long batch_item;        /* item of this batch that is current, or -1 */
    size_t first_item;      /* first item of the series, for its parts */
    bool has;
} s_series_t;

typedef struct {
    PGconn *db;
    s_batch_t *b;
    size_t lo, hi;
    char stored_at[40];
    s_series_t *series;
    size_t n_series;
    s_map_t series_map;
    PGresult *existing_sub;   /* id, sha, stored_at */
    PGresult *existing_quar;  /* id, sha, reason, problems, stored_at */
    PGresult *replay_findings;
    s_map_t sub_map, quar_map, batch_ids;
    s_buf_t unset_ids;        /* array literal of ids to make non-current */
} s_try_t;

static int
s_cmp_str (const void *a, const void *b)
{
    return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
s_add_finding (store_item_t *item, const char *rule, dcp_severity_t sev, const char *path,
               const char *message)
{
    if (!item->findings)
        item->findings = dcp_findings_new ();
    if (item->findings)
        dcp_findings_add (item->findings, rule, sev, path, "%s", message);
}

/* Starts the transaction, takes the series locks in sorted order and reads
 * what the database already knows about the items. */
static int
s_try_lookup (s_try_t *t)
{
    s_batch_t *b = t->b;
    size_t n = t->hi - t->lo;
    const char **keys = calloc (n + 1, sizeof *keys);
    const char **uuids = calloc (n + 1, sizeof *uuids);
    const char **ids = calloc (n + 1, sizeof *ids);
    s_buf_t lit_keys = {0}, lit_uuids = {0}, lit_ids = {0}, lit_c = {0}, lit_q = {0}, lit_y = {0};
    PGresult *res = NULL;
    int rc = DCP_ENOMEM;
    if (!keys || !uuids || !ids)
        goto cleanup;
    if (s_map_init (&t->series_map, n) || s_map_init (&t->sub_map, n)
        || s_map_init (&t->quar_map, 2 * n) || s_map_init (&t->batch_ids, n))
        goto cleanup;
    t->series = calloc (n + 1, sizeof *t->series);
    if (!t->series)
        goto cleanup;

    size_t n_keys = 0, n_uuids = 0;
    for (size_t i = t->lo; i < t->hi; i++) {
        s_plan_t *p = &b->plan[i];
        ids[i - t->lo] = p->id;
        if (p->id_is_uuid)
            uuids[n_uuids++] = p->id;
        p->series_slot = -1;
        if (!p->series[0])
            continue;
        long slot = s_map_get (&t->series_map, p->series, NULL);
        if (slot < 0) {
            slot = (long) t->n_series++;
            t->series[slot].key = p->series;
            t->series[slot].batch_item = -1;
            t->series[slot].first_item = i;
            s_map_put (&t->series_map, p->series, NULL, (size_t) slot);
            if (p->candidate)
                keys[n_keys++] = p->series;
        }
        p->series_slot = slot;
    }
    qsort (keys, n_keys, sizeof *keys, s_cmp_str);

    res = PQexec (t->db, "BEGIN;"
                         "SET LOCAL client_min_messages = warning;"
                         /* a receipt is an external action: never async */
                         "SET LOCAL synchronous_commit = on;"
                         "SELECT to_char(now() AT TIME ZONE 'UTC',"
                         " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')");
    if ((rc = s_check (t->db, b, res, PGRES_TUPLES_OK, "begin")))
        goto cleanup;
    snprintf (t->stored_at, sizeof t->stored_at, "%s", PQgetvalue (res, 0, 0));
    PQclear (res);

    /* Sorted, so two loaders with overlapping batches lock in one order. */
    s_array_literal (&lit_keys, keys, n_keys);
    const char *p_keys[] = {lit_keys.data};
    res = s_query (t->db,
                   "SELECT count(pg_advisory_xact_lock(" STORE_LOCK_CLASS ", hashtext(k)))"
                   " FROM unnest($1::text[]) AS k",
                   1, p_keys);
    if ((rc = s_check (t->db, b, res, PGRES_TUPLES_OK, "lock series")))
        goto cleanup;
    PQclear (res);

    s_array_literal (&lit_uuids, uuids, n_uuids);
    s_array_literal (&lit_ids, ids, n);
    rc = DCP_ENOMEM;
    if (lit_keys.oom || lit_uuids.oom || lit_ids.oom)
        goto cleanup_nores;
    const char *p_uuids[] = {lit_uuids.data};
    t->existing_sub = s_query (t->db,
                               "SELECT submission_id::text, encode(content_sha256, 'hex'),"
                               " to_char(stored_at AT TIME ZONE 'UTC',"
                               "  'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
                               " FROM dcp.submission WHERE submission_id = ANY ($1::uuid[])",
                               1, p_uuids);
    res = NULL;
    if ((rc = s_check (t->db, b, t->existing_sub, PGRES_TUPLES_OK, "find submissions")))
        goto cleanup;
    const char *p_ids[] = {lit_ids.data};
    t->existing_quar = s_query (t->db,
                                "SELECT submission_id, encode(content_sha256, 'hex'), reason,"
                                " problems::text, to_char(stored_at AT TIME ZONE 'UTC',"
                                "  'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
                                " encode(content_sha256, 'hex') || '|' || coalesce(sender_key, '')"
                                " FROM dcp.quarantine WHERE submission_id = ANY ($1::text[])",
                                1, p_ids);
    if ((rc = s_check (t->db, b, t->existing_quar, PGRES_TUPLES_OK, "find quarantined")))
        goto cleanup;
    for (int r = 0; r < PQntuples (t->existing_sub); r++)
        s_map_put (&t->sub_map, PQgetvalue (t->existing_sub, r, 0), NULL, (size_t) r);
    for (int r = 0; r < PQntuples (t->existing_quar); r++)
        s_map_put (&t->quar_map, PQgetvalue (t->existing_quar, r, 0),
                   PQgetvalue (t->existing_quar, r, 5), (size_t) r);

    /* Current revision of every series the batch touches. */
    const char **countries = keys, **kinds = uuids, **years = ids;  /* reuse */
    char (*year_text)[12] = calloc (t->n_series + 1, sizeof *year_text);
    if (!year_text) {
        rc = DCP_ENOMEM;
        goto cleanup_nores;
    }
    size_t m = 0;
    for (size_t s = 0; s < t->n_series; s++) {
        const Dcp__V1__Submission *sub = b->items[t->series[s].first_item].sub;
        countries[m] = sub->reporting_country ? sub->reporting_country : "";
        kinds[m] = dcp_codec_kind_name (sub->questionnaire);
        snprintf (year_text[m], sizeof year_text[m], "%d", (int) sub->reporting_year);
        years[m] = year_text[m];
        m++;
    }
    s_array_literal (&lit_c, countries, m);
    s_array_literal (&lit_q, kinds, m);
    s_array_literal (&lit_y, years, m);
    free (year_text);
    rc = DCP_ENOMEM;
    if (lit_c.oom || lit_q.oom || lit_y.oom)
        goto cleanup_nores;
    const char *p_series[] = {lit_c.data, lit_q.data, lit_y.data};
    res = s_query (t->db,
                   "SELECT s.reporting_country, s.questionnaire, s.reporting_year,"
                   " s.submission_id::text, s.revision_no"
                   " FROM dcp.submission s"
                   " JOIN unnest($1::text[], $2::text[], $3::int[]) AS k (c, q, y)"
                   "  ON s.reporting_country = k.c AND s.questionnaire = k.q"
                   "  AND s.reporting_year = k.y"
                   " WHERE s.is_current",
                   3, p_series);
    if ((rc = s_check (t->db, b, res, PGRES_TUPLES_OK, "find current revisions")))
        goto cleanup;
    for (int r = 0; r < PQntuples (res); r++) {
        char key[96];
        snprintf (key, sizeof key, "%.64s/%s/%s", PQgetvalue (res, r, 0), PQgetvalue (res, r, 1),
                  PQgetvalue (res, r, 2));
        long slot = s_map_get (&t->series_map, key, NULL);
        if (slot < 0)
            continue;
        s_series_t *s = &t->series[slot];
        s->has = true;
        snprintf (s->current, sizeof s->current, "%s", PQgetvalue (res, r, 3));
        s->revision_no = (unsigned) strtoul (PQgetvalue (res, r, 4), NULL, 10);
    }
    rc = 0;
cleanup:
    PQclear (res);
cleanup_nores:
    free (keys);
    free (uuids);
    free (ids);
    s_buf_free (&lit_keys);
    s_buf_free (&lit_uuids);
    s_buf_free (&lit_ids);
    s_buf_free (&lit_c);
    s_buf_free (&lit_q);
    s_buf_free (&lit_y);
    return rc;
}

/* Decides, in batch order, what happens to each item: replay, conflict,
 * quarantine, or insert (checking V-ENV-06 against the series state). */
static int
s_try_decide (s_try_t *t)
{
    s_batch_t *b = t->b;
    for (size_t i = t->lo; i < t->hi; i++) {
        store_item_t *item = &b->items[i];
        s_plan_t *p = &b->plan[i];
        const Dcp__V1__Submission *sub = item->sub;
        const Dcp__V1__Forward *fwd = item->fwd;
        p->action = A_NONE;
        p->reason = NULL;
        p->is_current = false;
        p->existing_row = -1;

        item->findings = dcp_findings_new ();
        if (!item->findings)
            return DCP_ENOMEM;

        long row = p->id_is_uuid ? s_map_get (&t->sub_map, p->id, NULL) : -1;
        if (row >= 0 && strcmp (PQgetvalue (t->existing_sub, (int) row, 1), p->sha_hex) == 0) {
            p->action = A_REPLAY_SUB;
            p->existing_row = row;
            continue;
        }
        long qrow = s_map_get (&t->quar_map, p->id, p->quar_key);
        if (qrow >= 0) {
            p->action = A_REPLAY_QUAR;
            p->existing_row = qrow;
            continue;
        }
        long first = s_map_get (&t->batch_ids, p->id, NULL);
        if (first >= 0 && strcmp (b->plan[first].sha_hex, p->sha_hex) == 0) {
            p->action = A_DUP;
            p->dup_of = (size_t) first;
            continue;
        }
        if (fwd->n_problems
            && dcp_findings_from_problems (item->findings, fwd->problems, fwd->n_problems))
            return DCP_ENOMEM;
        s_map_put (&t->batch_ids, p->id, NULL, i);

        bool taken_in_batch = first >= 0 && b->plan[first].action == A_INSERT;
        if (row >= 0 || taken_in_batch) {
            char message[400];
            snprintf (message, sizeof message,
                      "submission id %s is already stored with other content%s%s; a submission"
                      " id belongs to one content only: send corrections as a revision with a"
                      " new submission id (revision_no + 1, supersedes_submission_id = %s)",
                      p->id, row >= 0 ? " since " : "",
                      row >= 0 ? PQgetvalue (t->existing_sub, (int) row, 2) : "", p->id);
            s_add_finding (item, "CONFLICT", DCP_SEV_ERROR, "/submission_id", message);
            p->action = A_QUARANTINE;
            p->reason = "conflict";
            continue;
        }
        if (!p->candidate) {
            p->action = A_QUARANTINE;
            p->reason = !sub ? "undecodable" : fwd->security_event ? "wrong_country" : "invalid";
            continue;
        }

        /* V-ENV-06: a series with a current submission only takes its next
         * revision, pointing at it. */
        s_series_t *s = &t->series[p->series_slot];
        const char *supersedes = sub->supersedes_submission_id ? sub->supersedes_submission_id : "";
        if (s->has) {
            bool points = strcasecmp (supersedes, s->current) == 0;
            if (!points || sub->revision_no != s->revision_no + 1) {
                char message[600];
                snprintf (message, sizeof message,
                          "%s %s %d already has submission %s (revision %u) as current; to"
                          " replace it send a revision with revision_no %u and"
                          " supersedes_submission_id %s%s",
                          sub->reporting_country, dcp_codec_kind_name (sub->questionnaire),
                          (int) sub->reporting_year, s->current, s->revision_no,
                          s->revision_no + 1, s->current,
                          points ? "" : " (a second first submission is a duplicate)");
                s_add_finding (item, "V-ENV-06", DCP_SEV_ERROR,
                               points ? "/revision_no" : "/supersedes_submission_id", message);
                p->action = A_QUARANTINE;
                p->reason = "revision";
                continue;
            }
            if (s->batch_item >= 0)
                b->plan[s->batch_item].is_current = false;
            else {
                if (t->unset_ids.len)
                    s_buf_addc (&t->unset_ids, ',');
                s_buf_add (&t->unset_ids, s->current, strlen (s->current));
            }
        }
        else if (sub->revision_no > 0) {
            char message[400];
            snprintf (message, sizeof message,
                      "revision %u supersedes %s, which is not stored here; stored as the"
                      " current submission for %s %s %d",
                      sub->revision_no, *supersedes ? supersedes : "(nothing)",
                      sub->reporting_country, dcp_codec_kind_name (sub->questionnaire),
                      (int) sub->reporting_year);
            s_add_finding (item, "V-ENV-06", DCP_SEV_WARNING, "/supersedes_submission_id", message);
        }
        s->has = true;
        snprintf (s->current, sizeof s->current, "%s", p->id);
        s->revision_no = sub->revision_no;
        s->batch_item = (long) i;
        p->action = A_INSERT;
        p->is_current = true;
    }
    return t->unset_ids.oom ? DCP_ENOMEM : 0;
}

/* Submission rows of the new items, for the COPY into dcp.submission. */
static int
s_build_submissions (s_try_t *t, s_buf_t *out, s_buf_t *findings, size_t *n_insert)
{
    s_batch_t *b = t->b;
    *n_insert = 0;
    for (size_t i = t->lo; i < t->hi; i++) {
        s_plan_t *p = &b->plan[i];
        if (p->action != A_INSERT)
            continue;
        store_item_t *item = &b->items[i];
        const Dcp__V1__Submission *sub = item->sub;
        const Dcp__V1__Forward *fwd = item->fwd;
        const Dcp__V1__FocalPoint *fp = sub->focal_point;
        size_t n_warn = 0, n_info = 0, nf = dcp_findings_count (item->findings);
        for (size_t k = 0; k < nf; k++) {
            const dcp_finding_t *f = dcp_findings_get (item->findings, k);
            n_warn += f->severity == DCP_SEV_WARNING;
            n_info += f->severity == DCP_SEV_INFO;
            s_put_text (findings, p->id);
            s_put_int (findings, (long long) k);
            s_put_text (findings, f->rule && *f->rule ? f->rule : "-");
            s_put_text (findings, dcp_severity_name (f->severity));
            if (f->path && *f->path)
                s_put_text (findings, f->path);
            else
                s_buf_add (findings, "\t", 1);  /* '' (NOT NULL DEFAULT '') */
            s_put_text (findings, f->message && *f->message ? f->message : "-");
            s_row_end (findings);
        }
        s_put_text (out, p->id);
        /* The hex digest goes out as bytea text directly: "\\x" + hex. */
        s_buf_add (out, "\\\\x", 3);
        s_buf_add (out, p->sha_hex, 64);
        s_buf_addc (out, '\t');
        s_put_bytea (out, item->raw, item->raw_len);
        s_put_text (out, dcp_codec_kind_name (sub->questionnaire));
        s_put_int (out, sub->schema_version);
        s_put_text (out, sub->form_version);
        s_put_text (out, sub->reporting_country);
        s_put_int (out, sub->reporting_year);
        s_put_text (out, sub->finalised_at);
        s_put_text (out, sub->completed_on);
        s_put_text (out, sub->reference_period_start);
        s_put_text (out, sub->reference_period_end);
        s_put_text (out, sub->geographic_coverage);
        s_put_text (out, sub->coverage_note);
        s_put_int (out, sub->revision_no);
        s_put_text (out, sub->supersedes_submission_id);
        s_put_text (out, sub->revision_reason);
        s_put_text (out, sub->language);
        s_put_text (out, fp ? fp->name : NULL);
        s_put_text (out, fp ? fp->agency : NULL);
        s_put_text (out, fp ? fp->title : NULL);
        s_put_text (out, fp ? fp->email : NULL);
        s_put_text (out, fp ? fp->phone : NULL);
        s_put_text (out, fwd->sender_key);
        s_put_text (out, fwd->sender_country);
        s_put_text (out, fwd->sender_name);
        s_put_text (out, fwd->validator_id);
        s_put_text (out, fwd->received_at);
        s_put_bool (out, p->is_current);
        s_put_text (out, n_warn ? "has_issues" : "received");
        s_put_int (out, p->n_numbers);
        s_put_int (out, p->n_reported);
        s_put_int (out, p->n_not_available);
        s_put_int (out, p->n_unanswered);
        if (p->n_numbers) {
            long hundredths = ((long) p->n_reported * 10000 + p->n_numbers / 2) / p->n_numbers;
            char pct[32];
            snprintf (pct, sizeof pct, "%ld.%02ld", hundredths / 100, hundredths % 100);
            s_put_text (out, pct);
        }
        else
            s_put_null (out);
        s_put_int (out, (long long) n_warn);
        s_put_int (out, (long long) n_info);
        s_row_end (out);
        (*n_insert)++;
    }
    return out->oom || findings->oom ? DCP_ENOMEM : 0;
}

/* Findings as the JSON array stored in quarantine.problems. Caller frees. */
static char *
s_problems_json (const dcp_findings_t *findings)
{
    json_t *arr = json_array ();
    char *text = NULL;
    if (!arr)
        return NULL;
    for (size_t k = 0; k < dcp_findings_count (findings); k++) {
        const dcp_finding_t *f = dcp_findings_get (findings, k);
        char *rule = s_utf8_clean (f->rule, 200);
        char *path = s_utf8_clean (f->path ? f->path : "", 2000);
        char *msg = s_utf8_clean (f->message ? f->message : "", 4000);
        json_t *o = rule && path && msg
                        ? json_pack ("{s:s, s:s, s:s, s:s}", "code", rule, "severity",
                                     dcp_severity_name (f->severity), "path", path, "message", msg)
                        : NULL;
        free (rule);
        free (path);
        free (msg);
        if (!o || json_array_append_new (arr, o))
            goto cleanup;
    }
    text = json_dumps (arr, JSON_COMPACT);
cleanup:
    json_decref (arr);
    return text;
}

/* Inserts item I into the quarantine (once per id and content).  Sets
 * *NEW_ROW; when the row existed, the item becomes a replay of it. */
static int
s_quarantine (PGconn *db, s_batch_t *b, size_t i, const char *reason, bool *new_row,
              PGresult **existing)
{
    store_item_t *item = &b->items[i];
    s_plan_t *p = &b->plan[i];
    const Dcp__V1__Forward *fwd = item->fwd;
    const Dcp__V1__Submission *sub = item->sub;
    char *problems = s_problems_json (item->findings);
    char *clean[6] = {0};
    const char *src[6] = {fwd->sender_key, fwd->sender_country, fwd->sender_name,
                          fwd->validator_id, fwd->received_at,
                          sub && sub->reporting_country ? sub->reporting_country : ""};
    char year[16] = "";
    PGresult *res = NULL;
    int rc = DCP_ENOMEM;
    *new_row = false;
    *existing = NULL;
    if (!problems)
        goto cleanup;
    for (int k = 0; k < 6; k++)
        if (!(clean[k] = s_utf8_clean (src[k] ? src[k] : "", 1000)))
            goto cleanup;
    if (sub)
        snprintf (year, sizeof year, "%d", (int) sub->reporting_year);
    const char *values[13] = {p->id, p->sha_hex, item->raw ? (const char *) item->raw : "",
                              reason, problems,
                              sub ? dcp_codec_kind_name (sub->questionnaire) : NULL,
                              sub ? clean[5] : NULL, sub ? year : NULL,
                              clean[0], clean[1], clean[2], clean[3], clean[4]};
    int lengths[13] = {0, 0, (int) item->raw_len};
    int formats[13] = {0, 0, 1};
    res = PQexecParams (db,
                        "INSERT INTO dcp.quarantine (submission_id, content_sha256, raw, reason,"
                        " problems, questionnaire, reporting_country, reporting_year, sender_key,"
                        " sender_country, sender_name, validator_id, received_at)"
                        " VALUES ($1, decode($2, 'hex'), $3, $4, $5::jsonb, $6, NULLIF($7, ''),"
                        " $8::int, NULLIF($9, ''), NULLIF($10, ''), NULLIF($11, ''),"
                        " NULLIF($12, ''), dcp.try_timestamptz($13))"
                        " ON CONFLICT (submission_id, content_sha256, (coalesce(sender_key, '')))"
                        " DO NOTHING RETURNING id",
                        13, NULL, values, lengths, formats, 0);
    if ((rc = s_check (db, b, res, PGRES_TUPLES_OK, "quarantine")))
        goto cleanup;
    *new_row = PQntuples (res) == 1;
    PQclear (res);
    res = NULL;
    if (!*new_row) {
        /* Another loader stored the same bytes a moment ago. */
        const char *key[] = {p->id, p->sha_hex, clean[0]};
        *existing = s_query (db,
                             "SELECT submission_id, encode(content_sha256, 'hex'), reason,"
                             " problems::text, to_char(stored_at AT TIME ZONE 'UTC',"
                             "  'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
                             " FROM dcp.quarantine"
                             " WHERE submission_id = $1 AND content_sha256 = decode($2, 'hex')"
                             "   AND coalesce(sender_key, '') = $3",
                             3, key);
        if ((rc = s_check (db, b, *existing, PGRES_TUPLES_OK, "find quarantined"))) {
            PQclear (*existing);
            *existing = NULL;
        }
        goto cleanup;
    }
    if (fwd->security_event) {
        const char *detail = "";
        for (size_t k = 0; k < dcp_findings_count (item->findings); k++)
            if (dcp_findings_get (item->findings, k)->severity == DCP_SEV_ERROR) {
                detail = dcp_findings_get (item->findings, k)->message;
                break;
            }
        char *clean_detail = s_utf8_clean (detail, 2000);
        const char *ev[] = {clean[0], clean[1], sub ? clean[5] : "", p->id,
                            clean_detail ? clean_detail : ""};
        res = s_query (db,
                       "INSERT INTO dcp.security_event (kind, sender_key, sender_country,"
                       " claimed_country, submission_id, detail)"
                       " VALUES ('wrong_country', NULLIF($1, ''), NULLIF($2, ''), NULLIF($3, ''),"
                       " $4, $5)",
                       5, ev);
        free (clean_detail);
        rc = s_check (db, b, res, PGRES_COMMAND_OK, "security event");
    }
cleanup:
    PQclear (res);
    free (problems);
    for (int k = 0; k < 6; k++)
        free (clean[k]);
    return rc;
}

/* Turns a quarantine row (id, sha, reason, problems, stored_at) into the
 * item's outcome. */
static void
s_replay_quarantine (store_item_t *item, PGresult *res, int row)
{
    const char *reason = PQgetvalue (res, row, 2);
    item->status = strcmp (reason, "conflict") == 0 ? DCP__V1__RECEIPT_STATUS__RECEIPT_CONFLICT
                                                     : DCP__V1__RECEIPT_STATUS__RECEIPT_REJECTED;
    item->replayed = true;
    snprintf (item->stored_at, sizeof item->stored_at, "%s", PQgetvalue (res, row, 4));
    dcp_findings_destroy (&item->findings);
    item->findings = dcp_findings_new ();
    json_t *arr = json_loads (PQgetvalue (res, row, 3), 0, NULL);
    size_t k;
    json_t *o;
    json_array_foreach (arr, k, o) {
        const char *sev = json_string_value (json_object_get (o, "severity"));
        const char *code = json_string_value (json_object_get (o, "code"));
        const char *path = json_string_value (json_object_get (o, "path"));
        const char *msg = json_string_value (json_object_get (o, "message"));
        dcp_severity_t s = sev && strcmp (sev, "warning") == 0 ? DCP_SEV_WARNING
                           : sev && strcmp (sev, "info") == 0  ? DCP_SEV_INFO
                                                               : DCP_SEV_ERROR;
        if (item->findings)
            dcp_findings_add (item->findings, code ? code : "", s, path ? path : "", "%s",
                              msg ? msg : "");
    }
    json_decref (arr);
}

static void
s_log_outcome (const store_item_t *item, const s_plan_t *p)
{
    if (item->status == DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED && !item->replayed)
        return;  /* main.c logs every stored submission at debug level */
    char id[200], country[40];
    const char *c = item->sub && item->sub->reporting_country ? item->sub->reporting_country
                                                              : item->fwd->sender_country;
    dcp_log (item->replayed ? DCP_LOG_DEBUG : DCP_LOG_INFO,
             item->replayed ? "replayed submission" : "quarantined submission",
             "submission=%s country=%s status=%s reason=%s",
             dcp_log_quote (id, sizeof id, p->id),
             dcp_log_quote (country, sizeof country, c ? c : ""),
             dcp_codec_status_name (item->status), p->reason ? p->reason : "-");
}

static void
s_reset_range (s_batch_t *b, size_t lo, size_t hi)
{
    for (size_t i = lo; i < hi; i++)
        store_item_reset (&b->items[i]);
}

/* Stores items [lo, hi) in one transaction.  Returns 0, DCP_EDB_RETRY,
 * DCP_ENOMEM, S_DATA_ERROR (rolled back; bisect) or S_RACE (rolled back;
 * another loader inserted one of our ids meanwhile: try again). */
static int
s_try (PGconn *db, s_batch_t *b, size_t lo, size_t hi)
{
    s_try_t t = {.db = db, .b = b, .lo = lo, .hi = hi};
    s_buf_t subs = {0}, findings = {0}, ids_lit = {0};
    PGresult *res = NULL;
    size_t n_insert = 0;
    s_reset_range (b, lo, hi);
    int rc = s_try_lookup (&t);
    if (rc)
        goto cleanup;
    if ((rc = s_try_decide (&t)))
        goto cleanup;

    /* Old current revisions step down before the new ones arrive, for the
     * one-current-per-series index. */
    if (t.unset_ids.len) {
        s_buf_t lit = {0};
        s_buf_addc (&lit, '{');
        s_buf_add (&lit, t.unset_ids.data, t.unset_ids.len);
        s_buf_addc (&lit, '}');
        const char *params[] = {lit.data};
        res = lit.oom ? NULL
                      : s_query (db,
                                 "UPDATE dcp.submission SET is_current = false"
                                 " WHERE submission_id = ANY ($1::uuid[]) AND is_current",
                                 1, params);
        s_buf_free (&lit);
        if (!res) {
            rc = DCP_ENOMEM;
            goto cleanup;
        }
        if ((rc = s_check (db, b, res, PGRES_COMMAND_OK, "supersede")))
            goto cleanup;
        PQclear (res);
        res = NULL;
    }

    if ((rc = s_build_submissions (&t, &subs, &findings, &n_insert)))
        goto cleanup;
    if (n_insert) {
        /* Straight into the table, not through a staging table and an
         * INSERT ... ON CONFLICT (which wrote every raw submission twice).
         * The lookup found none of these ids, so a duplicate primary key
         * here means another loader stored one of them since (a resend that
         * reached it): redo the batch, whose lookup then finds it, rather
         * than bisect as for refused data. */
        rc = s_copy (db, b, "dcp.submission", s_submission_columns, &subs, NULL, 0, lo, hi);
        if (rc == S_DATA_ERROR && strcmp (b->sqlstate, "23505") == 0
            && strcmp (b->constraint, "submission_pkey") == 0)
            rc = S_RACE;
        if (rc)
            goto cleanup;
        for (int tb = 0; tb < T_FINDING; tb++) {
            char table[64];
            snprintf (table, sizeof table, "dcp.%s", s_tables[tb].name);
            if ((rc = s_copy (db, b, table, s_tables[tb].columns, &b->tab[tb], b->off + tb,
                              T__COUNT, lo, hi)))
                goto cleanup;
        }
        if ((rc = s_copy (db, b, "dcp.finding", s_tables[T_FINDING].columns, &findings, NULL, 0,
                          lo, hi)))
            goto cleanup;
    }

    /* Findings of replayed accepted submissions, to answer as first time. */
    const char **replay_ids = calloc (hi - lo + 1, sizeof *replay_ids);
    size_t n_replay = 0;
    if (!replay_ids) {
        rc = DCP_ENOMEM;
        goto cleanup;
    }
    for (size_t i = lo; i < hi; i++)
        if (b->plan[i].action == A_REPLAY_SUB)
            replay_ids[n_replay++] = b->plan[i].id;
    if (n_replay) {
        s_array_literal (&ids_lit, replay_ids, n_replay);
        const char *params[] = {ids_lit.data};
        t.replay_findings = ids_lit.oom ? NULL
                                        : s_query (db,
                                                   "SELECT submission_id::text, rule, severity,"
                                                   " path, message FROM dcp.finding"
                                                   " WHERE submission_id = ANY ($1::uuid[])"
                                                   " ORDER BY submission_id, ord",
                                                   1, params);
    }
    free (replay_ids);
    if (n_replay && !t.replay_findings) {
        rc = DCP_ENOMEM;
        goto cleanup;
    }
    if (n_replay && (rc = s_check (db, b, t.replay_findings, PGRES_TUPLES_OK, "find findings")))
        goto cleanup;

    for (size_t i = lo; i < hi; i++) {
        s_plan_t *p = &b->plan[i];
        if (p->action != A_QUARANTINE)
            continue;
        bool new_row;
        PGresult *existing = NULL;
        if ((rc = s_quarantine (db, b, i, p->reason, &new_row, &existing)))
            goto cleanup;
        if (existing) {
            if (PQntuples (existing) == 1) {
                p->action = A_REPLAY_QUAR;
                s_replay_quarantine (&b->items[i], existing, 0);
            }
            PQclear (existing);
        }
    }

    res = PQexec (db, "COMMIT");
    if ((rc = s_check (db, b, res, PGRES_COMMAND_OK, "commit")))
        goto cleanup;
    PQclear (res);
    res = NULL;

    /* Committed: fill in the outcomes. */
    for (size_t i = lo; i < hi; i++) {
        store_item_t *item = &b->items[i];
        s_plan_t *p = &b->plan[i];
        const s_series_t *s = p->series_slot >= 0 ? &t.series[p->series_slot] : NULL;
        if (s && s->has)
            snprintf (item->current_id, sizeof item->current_id, "%s", s->current);
        switch (p->action) {
        case A_INSERT:
            item->status = DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED;
            snprintf (item->stored_at, sizeof item->stored_at, "%s", t.stored_at);
            break;
        case A_QUARANTINE:
            item->status = strcmp (p->reason, "conflict") == 0
                               ? DCP__V1__RECEIPT_STATUS__RECEIPT_CONFLICT
                               : DCP__V1__RECEIPT_STATUS__RECEIPT_REJECTED;
            snprintf (item->stored_at, sizeof item->stored_at, "%s", t.stored_at);
            break;
        case A_REPLAY_SUB: {
            item->status = DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED;
            item->replayed = true;
            snprintf (item->stored_at, sizeof item->stored_at, "%s",
                      PQgetvalue (t.existing_sub, (int) p->existing_row, 2));
            for (int r = 0; r < PQntuples (t.replay_findings); r++) {
                PGresult *f = t.replay_findings;
                if (strcmp (PQgetvalue (f, r, 0), p->id) != 0)
                    continue;
                const char *sev = PQgetvalue (f, r, 2);
                dcp_findings_add (item->findings, PQgetvalue (f, r, 1),
                                  strcmp (sev, "warning") == 0 ? DCP_SEV_WARNING
                                  : strcmp (sev, "info") == 0  ? DCP_SEV_INFO
                                                               : DCP_SEV_ERROR,
                                  PQgetvalue (f, r, 3), "%s", PQgetvalue (f, r, 4));
            }
            break;
        }
        case A_REPLAY_QUAR:
            if (p->existing_row >= 0)
                s_replay_quarantine (item, t.existing_quar, (int) p->existing_row);
            break;
        default: break;
        }
        s_log_outcome (item, p);
    }
    /* Exact resends inside the batch answer like their first copy. */
    for (size_t i = lo; i < hi; i++) {
        if (b->plan[i].action != A_DUP)
            continue;
        store_item_t *item = &b->items[i], *first = &b->items[b->plan[i].dup_of];
        item->status = first->status;
        item->replayed = true;
        memcpy (item->stored_at, first->stored_at, sizeof item->stored_at);
        memcpy (item->current_id, first->current_id, sizeof item->current_id);
        dcp_findings_destroy (&item->findings);
        item->findings = dcp_findings_new ();
        if (item->findings && first->findings)
            for (size_t k = 0; k < dcp_findings_count (first->findings); k++) {
                const dcp_finding_t *f = dcp_findings_get (first->findings, k);
                dcp_findings_add (item->findings, f->rule, f->severity, f->path, "%s", f->message);
            }
    }
    rc = 0;
cleanup:
    PQclear (res);
    if (rc) {
        s_rollback (db);
        s_reset_range (b, lo, hi);
    }
    PQclear (t.existing_sub);
    PQclear (t.existing_quar);
    PQclear (t.replay_findings);
    s_map_free (&t.series_map);
    s_map_free (&t.sub_map);
    s_map_free (&t.quar_map);
    s_map_free (&t.batch_ids);
    free (t.series);
    s_buf_free (&t.unset_ids);
    s_buf_free (&subs);
    s_buf_free (&findings);
    s_buf_free (&ids_lit);
    return rc;
}

/* Item I alone made the database refuse its transaction: reject it with a
 * DB-REFUSED finding and keep its bytes in quarantine. */
static int
s_refuse (PGconn *db, s_batch_t *b, size_t i)
{
    store_item_t *item = &b->items[i];
    s_plan_t *p = &b->plan[i];
    char message[800], id[200];
    snprintf (message, sizeof message,
              "the database refused this submission (SQLSTATE %s: %s); it was not loaded:"
              " correct the value and send the response again",
              b->sqlstate, b->sqlmessage);
    dcp_warn ("database refused submission, quarantined", "submission=%s sqlstate=%s",
              dcp_log_quote (id, sizeof id, p->id), b->sqlstate);
    store_item_reset (item);
    item->findings = dcp_findings_new ();
    if (!item->findings)
        return DCP_ENOMEM;
    if (item->fwd->n_problems
        && dcp_findings_from_problems (item->findings, item->fwd->problems, item->fwd->n_problems))
        return DCP_ENOMEM;
    s_add_finding (item, "DB-REFUSED", DCP_SEV_ERROR, "", message);
    item->status = DCP__V1__RECEIPT_STATUS__RECEIPT_REJECTED;

    PGresult *res = PQexec (db, "BEGIN");
    int rc = s_check (db, b, res, PGRES_COMMAND_OK, "begin");
    PQclear (res);
    bool new_row = false;
    PGresult *existing = NULL;
    if (rc == 0)
        rc = s_quarantine (db, b, i, "db_refused", &new_row, &existing);
    if (rc == 0) {
        res = PQexec (db, "SELECT to_char(now() AT TIME ZONE 'UTC',"
                          " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')");
        rc = s_check (db, b, res, PGRES_TUPLES_OK, "clock");
        if (rc == 0)
            snprintf (item->stored_at, sizeof item->stored_at, "%s", PQgetvalue (res, 0, 0));
        PQclear (res);
    }
    if (rc == 0) {
        res = PQexec (db, "COMMIT");
        rc = s_check (db, b, res, PGRES_COMMAND_OK, "commit");
        PQclear (res);
    }
    if (rc == 0 && existing && PQntuples (existing) == 1)
        s_replay_quarantine (item, existing, 0);
    PQclear (existing);
    if (rc == S_DATA_ERROR) {
        /* Even the quarantine refused it: answer, but nothing is stored. */
        s_rollback (db);
        item->stored_at[0] = '\0';
        dcp_error ("could not quarantine refused submission", "submission=%s sqlstate=%s",
                   dcp_log_quote (id, sizeof id, p->id), b->sqlstate);
        return 0;
    }
    if (rc) {
        s_rollback (db);
        store_item_reset (item);
    }
    return rc;
}

/* Stores items [lo, hi), bisecting on data errors until the poison item is
 * alone. */
static int
s_store_range (PGconn *db, s_batch_t *b, size_t lo, size_t hi)
{
    int rc = S_RACE;
    for (int attempt = 0; attempt < RACE_ATTEMPTS && rc == S_RACE; attempt++)
        rc = s_try (db, b, lo, hi);
    if (rc == S_RACE)
        return DCP_EDB_RETRY;
    if (rc != S_DATA_ERROR)
        return rc;
    if (hi - lo == 1)
        return s_refuse (db, b, lo);
    size_t mid = lo + (hi - lo) / 2;
    rc = s_store_range (db, b, lo, mid);
    return rc ? rc : s_store_range (db, b, mid, hi);
}

void
store_item_reset (store_item_t *item)
{
    dcp_findings_destroy (&item->findings);
    item->status = DCP__V1__RECEIPT_STATUS__RECEIPT_STATUS_UNSPECIFIED;
    item->replayed = false;
    item->stored_at[0] = '\0';
    item->current_id[0] = '\0';
}

int
store_batch_write (PGconn *db, store_batch_t *b)
{
    assert (db && b);
    for (size_t i = 0; i < b->n; i++)
        store_item_reset (&b->items[i]);
    if (b->n == 0)
        return 0;
    if (PQstatus (db) != CONNECTION_OK)
        return DCP_EDB_RETRY;
    int rc = s_store_range (db, b, 0, b->n);
    if (rc)
        for (size_t i = 0; i < b->n; i++)
            store_item_reset (&b->items[i]);
    return rc;
}

int
store_batch (PGconn *db, store_item_t *items, size_t n)
{
    assert (db && (items || n == 0));
    for (size_t i = 0; i < n; i++) {
        assert (items[i].fwd);
        store_item_reset (&items[i]);
    }
    if (n == 0)
        return 0;
    if (PQstatus (db) != CONNECTION_OK)
        return DCP_EDB_RETRY;
    store_batch_t *b = store_batch_new ();
    int rc = b ? 0 : DCP_ENOMEM;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = store_batch_add (b, &items[i]);
    if (rc == 0)
        rc = store_batch_write (db, b);
    if (rc == 0)
        for (size_t i = 0; i < n; i++) {
            /* Hand the outcome, findings included, back to the caller. */
            items[i] = b->items[i];
            b->items[i].findings = NULL;
        }
    store_batch_destroy (&b);
    return rc;
}
