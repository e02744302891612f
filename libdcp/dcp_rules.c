/* dcp_rules.c: the single-submission validation rules (see dcp_rules.h).
 *
 * Two passes over one Submission, both appending to the same findings list:
 *
 *  1. a generic walk driven by the protobuf-c descriptors, so that no field
 *     is forgotten when the proto grows: every string is checked for UTF-8
 *     and length, every repeated field for its length, every enum for a
 *     known value, and every Count / Quantity / Money wherever it sits for
 *     the representation rules V-GEN-01/02/03/05/06 and the currency rules
 *     V-FIN-05/06;
 *  2. typed checks per section for what needs meaning: code lists, required
 *     answers, and the cross-field rules of proto/QUESTIONNAIRE.md 4.2-4.4.
 *
 * Nothing here stops at the first problem and nothing asserts on the input:
 * a focal point gets every finding in one receipt.  Paths are JSON pointers
 * that mirror the proto field names, the same names the JSON format uses.
 *
 * Rule ids: those of proto/QUESTIONNAIRE.md section 4 (V-GEN-*, V-ENV-*, V-FIN-*,
 * V-PRE-*), plus these for what proto/QUESTIONNAIRE.md leaves to the wire format:
 *
 *   id             sev    meaning
 *   ENV-ID         ERROR  submission_id is not a UUID (8-4-4-4-12 hex, any
 *                         case: the policy of dcp_id.h)
 *   ENV-SCHEMA     ERROR  schema_version is not DCP_SCHEMA_VERSION (1)
 *   ENV-KIND       ERROR  questionnaire is unspecified/unknown or does not
 *                         match the payload that is filled in
 *   ENV-PAYLOAD    ERROR  no payload, or a payload with no answers at all
 *   REQUIRED       ERROR  a required field or code is empty
 *   CODE-UNKNOWN   ERROR  a code is not in its code list (refdata
 *                         codelists.csv), or a country/unit/language code
 *                         is unknown
 *   ENUM-UNKNOWN   ERROR  a protobuf enum carries a number the contract does
 *                         not define (e.g. Tri = 7)
 *   DATE-FORMAT    ERROR  a date is not YYYY-MM-DD (a real calendar day), or
 *                         a timestamp is not RFC 3339
 *   DATE-ORDER     ERROR  dates contradict each other (period end before
 *                         start, only one end of a period, sign-off before
 *                         the reporting year)
 *   VALUE-RANGE    ERROR  a number is outside its range (share_pct 0-100,
 *                         latitude/longitude)
 *   TEXT-UTF8      ERROR  a string is not valid UTF-8 or holds control
 *                         characters other than tab, CR, LF
 *   TEXT-LENGTH    ERROR  a string is longer than opts.max_text_len
 *   LIST-LENGTH    ERROR  a repeated field has more than opts.max_rows items
 *   FIELD-UNKNOWN  INFO   the message carries fields this contract does not
 *                         know (a newer sender); they are ignored
 *   V-PRE-15       ERROR  two incidents (P6) share an incident_id: the
 *                         national reference identifies one case
 *   V-FIN-14       ERROR  one cell sent twice in a response (the same
 *                         enforcement stage/scope/unit/rule, asset
 *                         measure/category/scope/basis/origin/currency, or
 *                         STR sector): it would be stored and summed twice
 *   V-FIN-15       WARN   STRs received by sector add up to more than
 *                         received_total (stored with the finding: the
 *                         views keep sectors apart from the total)
 *
 * proto/QUESTIONNAIRE.md rules implemented here: V-GEN-01..06 and 08, V-ENV-01..05, the
 * local part of V-ENV-06 (revision_no > 0 needs a UUID in
 * supersedes_submission_id), V-ENV-07, V-ENV-08, V-FIN-01..12, V-PRE-01..14.
 * V-GEN-03 here covers the "no figure" words ("--", "n/a", "not known")
 * typed into a decimal field; mapping them to a status while reading a file
 * is the JSON reader's job.
 * Not here: V-GEN-07 and V-X-* (need earlier submissions), the duplicate
 * part of V-ENV-06 (loader, against the database), V-FIN-13 and the storing
 * part of V-PRE-05 (they constrain how the loader stores derived values).
 * V-GEN-07's unit multiplier has no field in the contract.
 *
 * Severities follow proto/QUESTIONNAIRE.md; where it leaves a choice ("ERROR / WARN") or
 * a rule has a softer variant, this is what is used:
 *   V-ENV-01  ERROR unknown code or a name; WARN a code not in use in the
 *             reporting year (SCG in 2010)
 *   V-ENV-05  INFO; the deadline is opts.deadline_mmdd of the next year
 *   V-ENV-06  ERROR missing/bad/self supersedes_submission_id, or one given
 *             with revision_no 0; WARN a revision without revision_reason
 *   V-FIN-03  WARN; ERROR when both rows count OPEN_AT_YEAR_END (a cohort)
 *   V-FIN-10  also applied to diversion_methods and to routes (per
 *             substance and role)
 *   V-PRE-01  ERROR unknown code; WARN not in Table I/II at the date
 *   V-PRE-04  ERROR in non_scheduled; WARN in an incident without
 *             mixed_substances; INFO when mixed_substances is set
 *   V-PRE-05  INFO: a volume with no density known stays unconverted
 *   V-PRE-06  ERROR outside 0-100; WARN an acid in litres without it
 *   V-PRE-08  ERROR bad code, repeated country, ORIGIN not first,
 *             DESTINATION not last; WARN reporting country not on the route
 *   V-PRE-12  ERROR bad CAS check digit or HS format; WARN HS not the
 *             substance's */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "dcp_codec.h"
#include "dcp_decimal.h"
#include "dcp_err.h"
#include "dcp_i18n.h"
#include "dcp_id.h"
#include "dcp_kg.h"
#include "dcp_refdata.h"
#include "dcp_rules.h"
#include "dcp_utf8.h"

#define S_PATH_MAX 512
#define S_QUOTE_MAX 96      /* bytes of a quoted value in a message */
#define S_PAIRWISE_MAX 2000 /* rows above which O(n^2) pairings are skipped */

typedef struct {
    const Dcp__V1__Submission *sub;
    const dcp_rules_opts_t *opts;
    dcp_findings_t *findings;
    int rc;         /* first DCP_ENOMEM seen; findings keep coming */
    int year;       /* reporting_year if plausible, else 0 */
    char today[11]; /* received_on, YYYY-MM-DD */
    int current_year;
    char path[S_PATH_MAX];
    size_t path_len;
} s_ctx_t;

/* --- paths and findings -------------------------------------------------- */

/* Appends "/SEGMENT" to the current path and returns the old length, to be
 * given back to s_pop().  A path that would not fit is cut (the finding
 * still carries its rule and message). */
static size_t
s_push_n (s_ctx_t *c, const char *segment, size_t n)
{
    /* Runs for every field of every row: plain copies, no formatting. */
    size_t old = c->path_len;
    size_t room = sizeof c->path - 1 - old;
    if (room > 0) {
        c->path[old] = '/';
        n = n < room - 1 ? n : room - 1;
        memcpy (c->path + old + 1, segment, n);
        c->path_len = old + 1 + n;
        c->path[c->path_len] = '\0';
    }
    return old;
}

static size_t
s_push (s_ctx_t *c, const char *segment)
{
    return s_push_n (c, segment, strlen (segment));
}

static size_t
s_push_index (s_ctx_t *c, size_t index)
{
    char text[24];
    size_t n = sizeof text;
    do {
        text[--n] = (char) ('0' + index % 10);
        index /= 10;
    } while (index);
    return s_push_n (c, text + n, sizeof text - n);
}

static void
s_pop (s_ctx_t *c, size_t old)
{
    c->path_len = old;
    c->path[old] = '\0';
}

/* Adds a finding at the current path, or at current path + "/" + FIELD
 * (FIELD may hold several segments, "quantity/unit"). */
static void s_add (s_ctx_t *c, const char *rule, dcp_severity_t severity, const char *field,
                   const char *fmt, ...) __attribute__ ((format (printf, 5, 6)));

static void
s_add (s_ctx_t *c, const char *rule, dcp_severity_t severity, const char *field, const char *fmt,
       ...)
{
    char path[S_PATH_MAX + 128], message[1024];
    snprintf (path, sizeof path, "%s%s%s", c->path, field ? "/" : "", field ? field : "");
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (message, sizeof message, dcp_i18n_text (fmt), ap);
    va_end (ap);
    int rc = dcp_findings_add (c->findings, rule, severity, path, "%s", message);
    if (rc && !c->rc)
        c->rc = rc;
}

/* Writes TEXT into BUF (S_QUOTE_MAX bytes) in double quotes, safe to show:
 * quotes and backslashes escaped, control characters and bytes that are not
 * UTF-8 written as \xNN, cut after about 40 characters with "...". */
static const char *
s_quote (char *buf, const char *text)
{
    size_t n = 0, chars = 0;
    const unsigned char *p = (const unsigned char *) (text ? text : "");
    buf[n++] = '"';
    while (*p) {
        if (chars >= 40 || n + 12 >= S_QUOTE_MAX) {
            memcpy (buf + n, "...", 3);
            n += 3;
            break;
        }
        size_t len = 1;
        if (*p >= 0xc2 && *p <= 0xf4) {
            len = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : 2;
            if (!dcp_utf8_valid ((const char *) p, len, DCP_UTF8_TEXT))
                len = 1;
        }
        if (len > 1) {
            memcpy (buf + n, p, len);
            n += len;
        } else if (*p == '"' || *p == '\\') {
            buf[n++] = '\\';
            buf[n++] = (char) *p;
        } else if (*p < 0x20 || *p >= 0x7f)
            n += (size_t) snprintf (buf + n, 5, "\\x%02x", *p);
        else
            buf[n++] = (char) *p;
        p += len;
        chars++;
    }
    buf[n++] = '"';
    buf[n] = '\0';
    return buf;
}

/* A substance name for a sentence: "Potassium permanganate" becomes
 * "potassium permanganate", "N-Acetylanthranilic acid" stays. */
static const char *
s_lower_name (char *buf, size_t size, const char *name)
{
    snprintf (buf, size, "%s", name);
    if (buf[0] >= 'A' && buf[0] <= 'Z' && buf[1] >= 'a' && buf[1] <= 'z')
        buf[0] = (char) (buf[0] - 'A' + 'a');
    return buf;
}

static bool
s_empty (const char *text)
{
    return !text || !text[0];
}

/* For printing a string that may be NULL. */
#define S_TXT(text) ((text) ? (text) : "")

/* String comparisons that treat NULL as "" (a message built by hand may
 * carry NULL strings; unpacked ones never do). */
static bool
s_is (const char *text, const char *word)
{
    return strcmp (text ? text : "", word) == 0;
}

static bool
s_same (const char *a, const char *b)
{
    return strcmp (a ? a : "", b ? b : "") == 0;
}

/* --- small parsers ------------------------------------------------------- */

/* Parses YYYY-MM-DD into its parts; false unless it is a real calendar day. */
static bool
s_date (const char *text, int *year, int *month, int *day)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!text || strlen (text) < 10 || strspn (text, "0123456789") != 4 || text[4] != '-'
        || strspn (text + 5, "0123456789") != 2 || text[7] != '-'
        || strspn (text + 8, "0123456789") != 2)
        return false;
    int y = atoi (text), m = atoi (text + 5), d = atoi (text + 8);
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > days[m - 1] + (m == 2 && leap))
        return false;
    if (year)
        *year = y;
    if (month)
        *month = m;
    if (day)
        *day = d;
    return true;
}

static bool
s_date_only (const char *text)
{
    return text && strlen (text) == 10 && s_date (text, NULL, NULL, NULL);
}

/* RFC 3339 date-time: YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM). */
static bool
s_timestamp_ok (const char *text)
{
    if (!s_date (text, NULL, NULL, NULL))
        return false;
    const char *p = text + 10;
    if (*p != 'T' && *p != 't')
        return false;
    p++;
    if (strspn (p, "0123456789") != 2 || p[2] != ':' || strspn (p + 3, "0123456789") != 2
        || p[5] != ':' || strspn (p + 6, "0123456789") != 2)
        return false;
    if (atoi (p) > 23 || atoi (p + 3) > 59 || atoi (p + 6) > 60)
        return false;
    p += 8;
    if (*p == '.') {
        size_t digits = strspn (p + 1, "0123456789");
        if (digits == 0)
            return false;
        p += 1 + digits;
    }
    if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
        return true;
    return (*p == '+' || *p == '-') && strspn (p + 1, "0123456789") == 2 && p[3] == ':'
           && strspn (p + 4, "0123456789") == 2 && p[6] == '\0' && atoi (p + 1) <= 23
           && atoi (p + 4) <= 59;
}

/* Words that mean "no figure" in questionnaires (proto/QUESTIONNAIRE.md V-GEN-03): they
 * belong in the status, not in the value. */
static bool
s_not_available_token (const char *text)
{
    static const char *tokens[] = {"--",        "\xe2\x80\x93", "-",   "..",   "x",
                                   "X",         "n/a",          "N/A", "na",   "NA",
                                   "not known", "unknown",      "nil", "none", NULL};
    while (*text == ' ')
        text++;
    for (int i = 0; tokens[i]; i++)
        if (strcasecmp (text, tokens[i]) == 0)
            return true;
    return false;
}

/* --- representation rules: Count, Quantity, Money ------------------------ */

static bool
s_status_has_value (int status)
{
    return status == DCP__V1__OBS_STATUS__OBS_REPORTED
           || status == DCP__V1__OBS_STATUS__OBS_ESTIMATED
           || status == DCP__V1__OBS_STATUS__OBS_PROVISIONAL;
}

/* "REPORTED" for OBS_REPORTED; NULL for a number outside the enum. */
static const char *
s_status_name (int status)
{
    const ProtobufCEnumValue *v =
        protobuf_c_enum_descriptor_get_value (&dcp__v1__obs_status__descriptor, status);
    if (!v)
        return NULL;
    return strncmp (v->name, "OBS_", 4) == 0 ? v->name + 4 : v->name;
}

/* V-GEN-01 and V-GEN-02 for one answer; returns true if the status is
 * valid and asks for a value that is present. */
static bool
s_status (s_ctx_t *c, int status, bool has_value, const char *value_field)
{
    const char *name = s_status_name (status);
    if (status == 0 || !name) {
        if (status == 0)
            s_add (c, "V-GEN-01", DCP_SEV_ERROR, "status",
                   "status is missing: say whether the figure is REPORTED, ESTIMATED or "
                   "PROVISIONAL, or why there is none (NOT_AVAILABLE, NOT_APPLICABLE, "
                   "CONFIDENTIAL, INCLUDED_ELSEWHERE, UNANSWERED)");
        else
            s_add (c, "V-GEN-01", DCP_SEV_ERROR, "status",
                   "status %d is not a known status: use REPORTED, ESTIMATED, PROVISIONAL, "
                   "NOT_AVAILABLE, NOT_APPLICABLE, CONFIDENTIAL, INCLUDED_ELSEWHERE or "
                   "UNANSWERED",
                   status);
        return false;
    }
    if (s_status_has_value (status) && !has_value) {
        s_add (c, "V-GEN-02", DCP_SEV_ERROR, value_field,
               "status %s needs a figure but none is given: give the figure, or use a status "
               "such as NOT_AVAILABLE",
               name);
        return false;
    }
    if (!s_status_has_value (status) && has_value) {
        s_add (c, "V-GEN-02", DCP_SEV_ERROR, value_field,
               "status %s means there is no figure, but one is given: remove the figure, or "
               "set the status to REPORTED if the figure is real (never write 0 or -1 for "
               "\"not available\")",
               name);
        return false;
    }
    return s_status_has_value (status);
}

static void
s_check_count (s_ctx_t *c, const Dcp__V1__Count *v)
{
    bool has = v->presence_case == DCP__V1__COUNT__PRESENCE_VALUE;
    if (s_status (c, v->status, has, "value") && v->value < 0)
        s_add (c, "V-GEN-05", DCP_SEV_ERROR, "value",
               "a count cannot be negative (%lld): give the number of cases, persons or "
               "reports, 0 or more",
               (long long) v->value);
}

/* Parses a decimal answer; V-GEN-03 / V-GEN-06 if it is not one. */
static bool
s_decimal (s_ctx_t *c, const char *field, const char *what, const char *text, dcp_decimal_t *out)
{
    char q[S_QUOTE_MAX];
    if (dcp_decimal_parse (text, out) == 0)
        return true;
    if (s_not_available_token (text))
        s_add (c, "V-GEN-03", DCP_SEV_ERROR, field,
               "%s %s is not a number: when there is no figure leave the %s empty and set "
               "the status (e.g. NOT_AVAILABLE)",
               what, s_quote (q, text), what);
    else
        s_add (c, "V-GEN-06", DCP_SEV_ERROR, field,
               "%s %s is not a plain decimal number: write digits with an optional '.' and "
               "at most %d decimals, without spaces, thousands separators or exponent "
               "(e.g. 15520.5)",
               what, s_quote (q, text), DCP_DECIMAL_MAX_SCALE);
    return false;
}

/* Package words a person may type as a unit (proto/QUESTIONNAIRE.md V-PRE-03). */
static bool
s_package_word (const char *unit)
{
    static const char *words[] = {"DRUM", "CAN",    "JERRYCAN", "IBC",    "CONTAINER", "BOTTLE",
                                  "BAG",  "BARREL", "PACKAGE",  "CARTON", "BOX",       "CANISTER",
                                  "TANK", "SACK",   "PALLET",   "PACK",   NULL};
    char word[32];
    size_t n = strlen (unit);
    if (n == 0 || n >= sizeof word)
        return false;
    for (size_t i = 0; i < n; i++)
        word[i] = (char) (unit[i] >= 'a' && unit[i] <= 'z' ? unit[i] - 'a' + 'A' : unit[i]);
    word[n] = '\0';
    if (n > 1 && word[n - 1] == 'S') /* plural */
        word[n - 1] = '\0';
    for (int i = 0; words[i]; i++)
        if (strcmp (word, words[i]) == 0)
            return true;
    return strncmp (word, "CONTAINER", 9) == 0; /* CONTAINER_20FT, ... */
}

/* A "no figure" word beside a status that already says there is no figure
 * ("--" with NOT_AVAILABLE): V-GEN-03 rather than V-GEN-02, which would
 * wrongly call it a figure.  True if reported. */
static bool
s_token_beside_status (s_ctx_t *c, int status, const char *field, const char *text)
{
    char q[S_QUOTE_MAX];
    const char *name = s_status_name (status);
    if (s_empty (text) || !name || s_status_has_value (status) || !s_not_available_token (text))
        return false;
    s_add (c, "V-GEN-03", DCP_SEV_ERROR, field,
           "%s is not a number and status %s already says there is no figure: leave the %s "
           "empty",
           s_quote (q, text), name, field);
    return true;
}

static void
s_check_quantity (s_ctx_t *c, const Dcp__V1__Quantity *q, bool allow_zero)
{
    char quoted[S_QUOTE_MAX];
    bool has = !s_empty (q->value);
    dcp_decimal_t v;
    if (s_token_beside_status (c, q->status, "value", q->value))
        has = false;
    if (s_status (c, q->status, has, "value") && s_decimal (c, "value", "quantity", q->value, &v)) {
        if (dcp_decimal_is_negative (&v))
            s_add (c, "V-GEN-05", DCP_SEV_ERROR, "value",
                   "quantity %s is negative: a quantity is always greater than 0",
                   s_quote (quoted, q->value));
        else if (dcp_decimal_is_zero (&v) && !allow_zero)
            s_add (c, "V-GEN-05", DCP_SEV_ERROR, "value",
                   "a quantity of 0 is not a seizure: to say nothing was seized set "
                   "no_seizures (annual seizures) or leave out the row");
    }
    if (s_empty (q->unit)) {
        if (has)
            s_add (c, "REQUIRED", DCP_SEV_ERROR, "unit",
                   "the unit is missing: give KG, G, MG, T, L, ML or M3");
        return;
    }
    if (dcp_refdata_unit (q->unit, NULL, NULL) == 0)
        return;
    if (s_package_word (q->unit))
        s_add (c, "V-PRE-03", DCP_SEV_ERROR, "unit",
               "unit %s is a package, not a quantity: give the weight or volume in KG, G, T, "
               "L, ML or M3, or set the status to NOT_AVAILABLE and give the number of "
               "packages in package_count",
               s_quote (quoted, q->unit));
    else
        s_add (c, "CODE-UNKNOWN", DCP_SEV_ERROR, "unit",
               "unit %s is not known: use KG, G, MG, T (metric tonnes), L, ML or M3",
               s_quote (quoted, q->unit));
}

static void
s_currency (s_ctx_t *c, const char *field, const char *code)
{
    char q[S_QUOTE_MAX];
    if (!dcp_refdata_currency_known (code))
        s_add (c, "V-FIN-05", DCP_SEV_ERROR, field,
               "currency %s is not an ISO 4217 code: write the three-letter code, e.g. USD, "
               "EUR, AFN",
               s_quote (q, code));
    else if (c->year && !dcp_refdata_currency_valid (code, c->year))
        s_add (c, "V-FIN-05", DCP_SEV_ERROR, field,
               "currency %s was not in use in %d: give the amount in the currency that was "
               "legal tender that year",
               s_quote (q, code), c->year);
}

static void
s_check_money (s_ctx_t *c, const Dcp__V1__Money *m)
{
    char q[S_QUOTE_MAX];
    bool has = !s_empty (m->amount);
    dcp_decimal_t v;
    if (s_token_beside_status (c, m->status, "amount", m->amount))
        has = false;
    if (s_status (c, m->status, has, "amount") && s_decimal (c, "amount", "amount", m->amount, &v)
        && dcp_decimal_is_negative (&v))
        s_add (c, "V-GEN-05", DCP_SEV_ERROR, "amount",
               "amount %s is negative: money amounts are 0 or more", s_quote (q, m->amount));
    if (has && s_empty (m->currency))
        s_add (c, "V-FIN-06", DCP_SEV_ERROR, "currency",
               "an amount is given without its currency: add the ISO 4217 code, e.g. USD");
    else if (!s_empty (m->currency))
        s_currency (c, "currency", m->currency);
}

/* --- pass 1: the generic walk -------------------------------------------- */

/* Free-text fields analysts see: scanned for personal data (V-GEN-08). */
static bool
s_analyst_text (const char *field)
{
    static const char *names[] = {"coverage_note",        "sanctions_summary",
                                  "case_examples",        "challenge_text",
                                  "lesson_learned_text",  "good_practice_text",
                                  "assistance_text",      "description",
                                  "declared_description", NULL};
    for (int i = 0; names[i]; i++)
        if (strcmp (field, names[i]) == 0)
            return true;
    return false;
}

/* What in TEXT looks like personal data, or NULL.  Deliberately simple: an
 * e-mail address, an international phone number, a long digit run that is
 * not a number with thousands separators, or the word "passport". */
static const char *
s_personal_data (const char *text)
{
    for (const char *p = text; *p; p++) {
        if (*p == '@' && p > text && p[-1] != ' ' && p[1] && p[1] != ' ' && strchr (p, '.'))
            return "an e-mail address";
        if (strncasecmp (p, "passport", 8) == 0)
            return "a passport reference";
        bool plus = *p == '+';
        if (plus || (*p >= '0' && *p <= '9' && (p == text || p[-1] < '0' || p[-1] > '9'))) {
            /* Measure a run of digits and phone separators. */
            const char *q = p + plus;
            int digits = 0, groups = 0, group_len = 0, three_groups = 0;
            for (; *q; q++) {
                if (*q >= '0' && *q <= '9') {
                    digits++;
                    group_len++;
                } else if (*q == ' ' || *q == '-' || *q == '(' || *q == ')') {
                    if (group_len) {
                        groups++;
                        three_groups += groups > 1 && group_len == 3;
                        group_len = 0;
                    }
                } else
                    break;
            }
            if (group_len) {
                groups++;
                three_groups += groups > 1 && group_len == 3;
            }
            bool thousands = groups > 1 && three_groups == groups - 1;
            if ((plus && digits >= 8) || (digits >= 10 && !thousands))
                return "a phone or identity number";
            p = q > p ? q - 1 : p;
        }
    }
    return NULL;
}

static void
s_check_text (s_ctx_t *c, const char *field, const char *text)
{
    if (!text)
        return;
    size_t len = strlen (text);
    if (!dcp_utf8_valid (text, len, DCP_UTF8_TEXT)) {
        char q[S_QUOTE_MAX];
        s_add (c, "TEXT-UTF8", DCP_SEV_ERROR, NULL,
               "text %s is not valid UTF-8 or contains control characters: save the file as "
               "UTF-8 and remove control characters",
               s_quote (q, text));
        return;
    }
    if (len > c->opts->max_text_len) {
        s_add (c, "TEXT-LENGTH", DCP_SEV_ERROR, NULL,
               "text is %zu bytes long, more than the %zu allowed: shorten it", len,
               c->opts->max_text_len);
        return;
    }
    const char *what;
    if (s_analyst_text (field) && (what = s_personal_data (text)))
        s_add (c, "V-GEN-08", DCP_SEV_WARNING, NULL,
               "this text seems to contain %s; analysts see it: remove names, numbers and "
               "contacts of persons",
               what);
}

static void s_walk (s_ctx_t *c, const ProtobufCMessage *msg,
                    const ProtobufCMessageDescriptor *parent);

/* One value of field F (an element if F is repeated). */
static void
s_walk_value (s_ctx_t *c, const ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f,
              const void *value)
{
    switch (f->type) {
    case PROTOBUF_C_TYPE_STRING: s_check_text (c, f->name, *(char *const *) value); break;
    case PROTOBUF_C_TYPE_MESSAGE: {
        const ProtobufCMessage *sub = *(ProtobufCMessage *const *) value;
        if (sub)
            s_walk (c, sub, msg->descriptor);
        break;
    }
    case PROTOBUF_C_TYPE_ENUM: {
        const ProtobufCEnumDescriptor *e = f->descriptor;
        int v = *(const int *) value;
        /* ObsStatus is judged with its value (V-GEN-01), not here. */
        if (e != &dcp__v1__obs_status__descriptor && !protobuf_c_enum_descriptor_get_value (e, v))
            s_add (c, "ENUM-UNKNOWN", DCP_SEV_ERROR, NULL,
                   "%d is not a known value of %s: the sending program is out of date or "
                   "broken",
                   v, e->short_name);
        break;
    }
    default: break;
    }
}

static void
s_walk (s_ctx_t *c, const ProtobufCMessage *msg, const ProtobufCMessageDescriptor *parent)
{
    const ProtobufCMessageDescriptor *d = msg->descriptor;
    if (d == &dcp__v1__count__descriptor)
        s_check_count (c, (const Dcp__V1__Count *) msg);
    else if (d == &dcp__v1__quantity__descriptor)
        /* Licit trade may be 0 ("no imports this year"); seizures may not. */
        s_check_quantity (c, (const Dcp__V1__Quantity *) msg,
                          parent == &dcp__v1__licit_trade__descriptor);
    else if (d == &dcp__v1__money__descriptor)
        s_check_money (c, (const Dcp__V1__Money *) msg);
    if (msg->n_unknown_fields)
        s_add (c, "FIELD-UNKNOWN", DCP_SEV_INFO, NULL,
               "%u field(s) unknown to this version of the contract were ignored",
               msg->n_unknown_fields);

    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        const char *base = (const char *) msg;
        if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
            uint32_t which = *(const uint32_t *) (base + f->quantifier_offset);
            if (which != f->id)
                continue;
        }
        size_t old = s_push (c, f->name);
        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t n = *(const size_t *) (base + f->quantifier_offset);
            const char *array = *(char *const *) (base + f->offset);
            size_t size = f->type == PROTOBUF_C_TYPE_STRING || f->type == PROTOBUF_C_TYPE_MESSAGE
                              ? sizeof (void *)
                          : f->type == PROTOBUF_C_TYPE_ENUM ? sizeof (int)
                                                            : 0;
            if (n > c->opts->max_rows) {
                s_add (c, "LIST-LENGTH", DCP_SEV_ERROR, NULL,
                       "%zu items, more than the %zu allowed: split the response", n,
                       c->opts->max_rows);
                n = c->opts->max_rows;
            }
            for (size_t k = 0; size && array && k < n; k++) {
                size_t at = s_push_index (c, k);
                s_walk_value (c, msg, f, array + k * size);
                s_pop (c, at);
            }
        } else
            s_walk_value (c, msg, f, base + f->offset);
        s_pop (c, old);
    }
}

/* --- typed helpers ------------------------------------------------------- */

/* A code from LIST; REQUIRED if empty and REQUIRED_FIELD. */
static bool
s_code (s_ctx_t *c, const char *field, const char *value, const char *list, bool required)
{
    char q[S_QUOTE_MAX];
    if (s_empty (value)) {
        if (required)
            s_add (c, "REQUIRED", DCP_SEV_ERROR, field, "%s is missing: use one of %s", field,
                   dcp_refdata_code_list (list));
        return false;
    }
    if (dcp_refdata_code_valid (list, value))
        return true;
    s_add (c, "CODE-UNKNOWN", DCP_SEV_ERROR, field, "%s %s is not a known code: use one of %s",
           field, s_quote (q, value), dcp_refdata_code_list (list));
    return false;
}

/* A country code: ISO 3166-1 alpha-3 or XKX, plus the extra words in EXTRA
 * ("UNKNOWN", "MULTIPLE"; NULL-terminated, may be NULL).  Reported under
 * RULE; a name with a known code gets that code suggested. */
static bool
s_country (s_ctx_t *c, const char *field, const char *value, bool required,
           const char *const *extra, const char *rule)
{
    char q[S_QUOTE_MAX];
    if (s_empty (value)) {
        if (required)
            s_add (c, "REQUIRED", DCP_SEV_ERROR, field,
                   "%s is missing: give the ISO 3166-1 alpha-3 code, e.g. AFG", field);
        return false;
    }
    for (int i = 0; extra && extra[i]; i++)
        if (strcmp (value, extra[i]) == 0)
            return true;
    if (dcp_refdata_country (value, 0))
        return true;
    const char *alias = dcp_refdata_country_alias (value);
    const char *near = alias ? NULL : dcp_refdata_country_suggest (value);
    if (alias)
        s_add (c, rule, DCP_SEV_ERROR, field,
               "%s %s is a name, not a code: write the ISO 3166-1 alpha-3 code \"%s\"", field,
               s_quote (q, value), alias);
    else if (near && strcasecmp (near, value) == 0)
        s_add (c, rule, DCP_SEV_ERROR, field,
               "%s %s: write country codes in capital letters, \"%s\"", field, s_quote (q, value),
               near);
    else if (near)
        s_add (c, rule, DCP_SEV_ERROR, field,
               "%s %s is not an ISO 3166-1 alpha-3 country code: did you mean \"%s\" (%s)?", field,
               s_quote (q, value), near, dcp_refdata_country (near, 0)->name);
    else
        s_add (c, rule, DCP_SEV_ERROR, field,
               "%s %s is not an ISO 3166-1 alpha-3 country code (or XKX for Kosovo): write "
               "the three capital letters, e.g. AFG, PAK, TUR",
               field, s_quote (q, value));
    return false;
}

static const char *const s_unknown_word[] = {"UNKNOWN", NULL};

/* A required answer object (Count/Quantity/Money) that is absent. */
static void
s_missing_answer (s_ctx_t *c, const char *field)
{
    s_add (c, "V-GEN-01", DCP_SEV_ERROR, field,
           "%s is not answered: give the figure with status REPORTED, or a status that says "
           "why there is none (e.g. NOT_AVAILABLE)",
           field);
}

static void
s_required_tri (s_ctx_t *c, const char *field, int value)
{
    if (value == DCP__V1__TRI__TRI_UNSPECIFIED)
        s_add (c, "REQUIRED", DCP_SEV_ERROR, field, "%s is not answered: answer YES, NO or UNKNOWN",
               field);
}

/* Value of an answered Count, or false. */
static bool
s_count_value (const Dcp__V1__Count *v, int64_t *out)
{
    if (!v || !s_status_has_value (v->status) || v->presence_case != DCP__V1__COUNT__PRESENCE_VALUE)
        return false;
    *out = v->value;
    return true;
}

/* Value of an answered Quantity, or false. */
static bool
s_quantity_value (const Dcp__V1__Quantity *q, dcp_decimal_t *out)
{
    return q && s_status_has_value (q->status) && !s_empty (q->value)
           && dcp_decimal_parse (q->value, out) == 0;
}

/* Converts an answered quantity of SUBSTANCE to kilograms with the one
 * derivation the loader also stores (dcp_kg.h: mass units by their factor,
 * volume units by factor x density, never 1 kg/L; one rounding), so a
 * threshold here and the stored kg agree to the digit.  False if there is
 * no value, the unit is unknown or no density applies. */
static bool
s_to_kg (const Dcp__V1__Quantity *q, const char *substance, const char *concentration,
         dcp_decimal_t *kg)
{
    dcp_decimal_t v;
    dcp_kg_t derived;
    if (!s_quantity_value (q, &v)
        || dcp_kg_derive (q->value, q->unit, substance, concentration, &derived) != 0)
        return false;
    *kg = derived.kg;
    return true;
}

/* V-PRE-01 membership: SUBSTANCE must be a known code; returns it or NULL. */
static const dcp_substance_t *
s_substance (s_ctx_t *c, const char *field, const char *code, bool required)
{
    char q[S_QUOTE_MAX];
    if (s_empty (code)) {
        if (required)
            s_add (c, "REQUIRED", DCP_SEV_ERROR, field,
                   "%s is missing: give the substance code, e.g. AA for acetic anhydride", field);
        return NULL;
    }
    const dcp_substance_t *s = dcp_refdata_substance (code);
    if (s)
        return s;
    const char *alias = dcp_refdata_substance_alias (code);
    const char *near = alias ? NULL : dcp_refdata_substance_suggest (code);
    char name[128];
    if (alias)
        s_add (c, "V-PRE-01", DCP_SEV_ERROR, field,
               "substance %s is a name, not a code: write the code \"%s\"", s_quote (q, code),
               alias);
    else if (near)
        s_add (c, "V-PRE-01", DCP_SEV_ERROR, field,
               "substance code %s is not known: did you mean \"%s\" (%s)?", s_quote (q, code), near,
               s_lower_name (name, sizeof name, dcp_refdata_substance (near)->name));
    else
        s_add (c, "V-PRE-01", DCP_SEV_ERROR, field,
               "substance code %s is not known: use a code of the 1988 Convention tables "
               "(e.g. AA, KMNO4, ACET), or report the chemical under non_scheduled with its "
               "name",
               s_quote (q, code));
    return NULL;
}

/* V-PRE-01 schedule: S must be in Table I or II on DATE ("YYYY" = year end). */
static void
s_scheduled (s_ctx_t *c, const char *field, const dcp_substance_t *s, const char *date,
             const char *when)
{
    char name[128];
    if (!s || s_empty (date) || dcp_refdata_substance_table (s->code, date) != 0)
        return;
    s_add (c, "V-PRE-01", DCP_SEV_WARNING, field,
           "%s (%s) was not in Table I or II of the 1988 Convention %s: report it under "
           "non_scheduled instead",
           s_lower_name (name, sizeof name, s->name), s->code, when);
}

/* V-PRE-02, V-PRE-05, V-PRE-06 for a QUANTITY (at FIELD) of substance S. */
static void
s_unit_for (s_ctx_t *c, const char *field, const Dcp__V1__Quantity *q, const dcp_substance_t *s,
            const char *concentration, bool solution)
{
    char unit_field[64], name[128], qu[S_QUOTE_MAX];
    bool is_volume;
    if (!q || !s || s_empty (q->unit) || dcp_refdata_unit (q->unit, NULL, &is_volume) || !is_volume)
        return;
    snprintf (unit_field, sizeof unit_field, "%s/unit", field);
    s_lower_name (name, sizeof name, s->name);
    if (!s->liquid && !(solution && !s_empty (concentration))) {
        s_add (c, "V-PRE-02", DCP_SEV_ERROR, unit_field,
               "unit %s is a volume but %s is a solid: report it in KG, G or T%s",
               s_quote (qu, q->unit), name,
               solution ? " (or give concentration_pct for a solution)" : "");
        return;
    }
    if (dcp_refdata_density (s->code, concentration, NULL, NULL) == 0)
        return;
    if (s_is (s->code, "HCL") || s_is (s->code, "H2SO4"))
        s_add (c, "V-PRE-06", DCP_SEV_WARNING, unit_field,
               "%s is reported by volume without concentration_pct: give the concentration "
               "(%% w/w) so the litres can be converted to kilograms, or report it in KG",
               name);
    else
        s_add (c, "V-PRE-05", DCP_SEV_INFO, unit_field,
               "no density is known for %s: the quantity stays in %s and is not converted to "
               "kilograms (no 1 kg per litre is assumed)",
               name, q->unit);
}

/* concentration_pct: a decimal in [0, 100] (V-GEN-06, V-PRE-06). */
static void
s_concentration (s_ctx_t *c, const char *field, const char *text)
{
    char q[S_QUOTE_MAX];
    dcp_decimal_t v, hundred;
    if (s_empty (text) || !s_decimal (c, field, field, text, &v))
        return;
    dcp_decimal_from_int (100, &hundred);
    if (dcp_decimal_is_negative (&v) || dcp_decimal_cmp (&v, &hundred) > 0)
        s_add (c, "V-PRE-06", DCP_SEV_ERROR, field,
               "concentration %s is outside 0-100: give the percentage by weight, e.g. 37 "
               "for 37 %%",
               s_quote (q, text));
}

/* Splits NAME at '/', '+', ',', ';', '&' or " and " and returns how many
 * parts name a known substance (V-PRE-04 "AA/HCl" reports). */
static int
s_mixture_parts (const char *name)
{
    char buf[256], *save = NULL;
    if (s_empty (name) || strlen (name) >= sizeof buf)
        return 0;
    snprintf (buf, sizeof buf, "%s", name);
    for (char *p = strstr (buf, " and "); p; p = strstr (p, " and "))
        memcpy (p, "  /  ", 5); /* same length, no NUL */
    int known = 0;
    for (char *part = strtok_r (buf, "/+,;&", &save); part; part = strtok_r (NULL, "/+,;&", &save))
        known += dcp_refdata_substance_alias (part) != NULL;
    return known;
}

/* --- V-FIN-10 ranks ------------------------------------------------------ */

/* Ranks 1..n unique within each group.  RANKS[i] = 0 means "not ranked";
 * GROUPS may be NULL (one group).  LIST is the path of the list. */
static void
s_ranks (s_ctx_t *c, const char *list, size_t n, const uint32_t *ranks, const char *const *groups)
{
    if (n > S_PAIRWISE_MAX)
        return;
    for (size_t i = 0; i < n; i++) {
        if (ranks[i] == 0)
            continue;
        size_t in_group = 0, first_same = n;
        for (size_t j = 0; j < n; j++) {
            if (ranks[j] == 0 || (groups && strcmp (groups[i], groups[j]) != 0))
                continue;
            in_group++;
            if (j < i && ranks[j] == ranks[i] && first_same == n)
                first_same = j;
        }
        char field[64];
        snprintf (field, sizeof field, "%zu/rank", i);
        size_t old = s_push (c, list);
        if (first_same < n)
            s_add (c, "V-FIN-10", DCP_SEV_ERROR, field,
                   "rank %u is already given to item %zu: ranks must be distinct, 1 for the "
                   "most important",
                   ranks[i], first_same);
        else if (ranks[i] > in_group)
            s_add (c, "V-FIN-10", DCP_SEV_ERROR, field,
                   "rank %u is higher than the %zu ranked items: number them 1 to %zu without "
                   "gaps",
                   ranks[i], in_group, in_group);
        s_pop (c, old);
    }
}

/* V-FIN-11: observed = NO means no rank and no trend. */
static void
s_observed (s_ctx_t *c, int observed, uint32_t rank, const char *trend)
{
    if (observed != DCP__V1__TRI__TRI_NO)
        return;
    if (rank)
        s_add (c, "V-FIN-11", DCP_SEV_ERROR, "rank",
               "the method is marked not observed but has rank %u: remove the rank or set "
               "observed to YES",
               rank);
    if (!s_empty (trend))
        s_add (c, "V-FIN-11", DCP_SEV_ERROR, "trend",
               "the method is marked not observed but has a trend: remove the trend or set "
               "observed to YES");
}

/* --- envelope ------------------------------------------------------------ */

static void
s_envelope (s_ctx_t *c)
{
    const Dcp__V1__Submission *s = c->sub;
    const dcp_rules_opts_t *o = c->opts;
    char q[S_QUOTE_MAX], q2[S_QUOTE_MAX];

    if (!dcp_id_uuid_ok (s->submission_id))
        s_add (c, "ENV-ID", DCP_SEV_ERROR, "submission_id",
               "submission_id %s is not a UUID: the collector makes one (8-4-4-4-12 hex "
               "digits) and keeps it across resends",
               s_quote (q, s->submission_id));
    if (s->schema_version != DCP_SCHEMA_VERSION)
        s_add (c, "ENV-SCHEMA", DCP_SEV_ERROR, "schema_version",
               "schema_version %u is not supported: this validator reads version %d; update "
               "the collector",
               s->schema_version, DCP_SCHEMA_VERSION);

    /* Questionnaire kind and payload. */
    int kind = s->questionnaire;
    bool ff = s->payload_case == DCP__V1__SUBMISSION__PAYLOAD_FINANCIAL_FLOWS;
    bool pre = s->payload_case == DCP__V1__SUBMISSION__PAYLOAD_PRECURSORS;
    if (kind == DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_KIND_UNSPECIFIED
        || !protobuf_c_enum_descriptor_get_value (&dcp__v1__questionnaire_kind__descriptor, kind))
        s_add (c, "ENV-KIND", DCP_SEV_ERROR, "questionnaire",
               "questionnaire %d is not set or not known: use FINANCIAL_FLOWS or PRECURSORS", kind);
    else if ((ff && kind != DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_FINANCIAL_FLOWS)
             || (pre && kind != DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_PRECURSORS))
        s_add (c, "ENV-KIND", DCP_SEV_ERROR, "questionnaire",
               "questionnaire says %s but the answers are %s: send each questionnaire with "
               "its own kind",
               dcp_codec_kind_name ((Dcp__V1__QuestionnaireKind) kind),
               ff ? "financial_flows" : "precursors");
    const ProtobufCMessage *payload = ff && s->financial_flows ? &s->financial_flows->base
                                      : pre && s->precursors   ? &s->precursors->base
                                                               : NULL;
    if (!ff && !pre)
        s_add (c, "ENV-PAYLOAD", DCP_SEV_ERROR, NULL,
               "the submission holds no answers: fill in financial_flows or precursors");
    else if (!payload || protobuf_c_message_get_packed_size (payload) == 0)
        s_add (c, "ENV-PAYLOAD", DCP_SEV_ERROR, ff ? "financial_flows" : "precursors",
               "the questionnaire is empty: answer at least one section");

    if (s_empty (s->form_version))
        s_add (c, "REQUIRED", DCP_SEV_ERROR, "form_version",
               "form_version is missing: give the version printed on the form, e.g. FF-2010.1");

    /* V-ENV-01, V-ENV-04 */
    const dcp_country_t *country = NULL;
    if (s_empty (s->reporting_country))
        s_add (c, "V-ENV-01", DCP_SEV_ERROR, "reporting_country",
               "reporting_country is missing: give the ISO 3166-1 alpha-3 code, e.g. AFG");
    else if (s_country (c, "reporting_country", s->reporting_country, true, NULL, "V-ENV-01")) {
        country = dcp_refdata_country (s->reporting_country, 0);
        if (c->year && !dcp_refdata_country (s->reporting_country, c->year))
            s_add (c, "V-ENV-01", DCP_SEV_WARNING, "reporting_country",
                   "country code %s (%s) was not in use in %d: check the code",
                   s_quote (q, s->reporting_country), country->name, c->year);
    }
    /* V-ENV-02, V-ENV-03 */
    bool precursor_form = pre || kind == DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_PRECURSORS;
    int min_year = precursor_form ? o->min_year_precursor : o->min_year_finflow;
    if (s->reporting_year < 1000 || s->reporting_year > 9999)
        s_add (c, "V-ENV-02", DCP_SEV_ERROR, "reporting_year",
               "reporting_year %d is not a four-digit year", s->reporting_year);
    else if (s->reporting_year < min_year)
        s_add (c, "V-ENV-02", DCP_SEV_ERROR, "reporting_year",
               "reporting_year %d is before %d, the first year this questionnaire covers",
               s->reporting_year, min_year);
    else if (s->reporting_year > c->current_year)
        s_add (c, "V-ENV-02", DCP_SEV_ERROR, "reporting_year",
               "reporting_year %d is in the future (it is now %d): give the year the figures "
               "are about",
               s->reporting_year, c->current_year);
    else if (s->reporting_year == c->current_year)
        s_add (c, "V-ENV-03", DCP_SEV_WARNING, "reporting_year",
               "reporting_year %d is the current year, so the figures cover part of it only: "
               "send them after the year has ended, or mark them PROVISIONAL",
               s->reporting_year);
    if (country && !country->paris_pact_partner)
        s_add (c, "V-ENV-04", DCP_SEV_INFO, "reporting_country",
               "%s (%s) is not a Paris Pact partner: the response is accepted", country->name,
               country->iso3);

    /* V-ENV-05: late; the deadline is a day of the year after the reporting year. */
    if (c->year && c->today[0] && !s_empty (o->deadline_mmdd)) {
        char deadline[32];
        snprintf (deadline, sizeof deadline, "%04d-%.5s", c->year + 1, o->deadline_mmdd);
        if (s_date_only (deadline) && strcmp (c->today, deadline) > 0 && o->offline)
            s_add (c, "V-ENV-05", DCP_SEV_INFO, "reporting_year",
                   "LATE: the deadline for %d was %s; a late response is still taken", c->year,
                   deadline);
        else if (s_date_only (deadline) && strcmp (c->today, deadline) > 0)
            s_add (c, "V-ENV-05", DCP_SEV_INFO, "reporting_year",
                   "LATE: received on %s, after the deadline of %s for %d; accepted", c->today,
                   deadline, c->year);
    }

    /* Dates of the envelope. */
    if (!s_empty (s->finalised_at) && !s_timestamp_ok (s->finalised_at))
        s_add (c, "DATE-FORMAT", DCP_SEV_ERROR, "finalised_at",
               "finalised_at %s is not an RFC 3339 time, e.g. 2026-03-31T14:05:00Z",
               s_quote (q, s->finalised_at));
    int completed_year = 0;
    if (s_empty (s->completed_on))
        s_add (c, "REQUIRED", DCP_SEV_ERROR, "completed_on",
               "completed_on is missing: give the date the form was signed off, YYYY-MM-DD");
    else if (!s_date_only (s->completed_on) || !s_date (s->completed_on, &completed_year, 0, 0))
        s_add (c, "DATE-FORMAT", DCP_SEV_ERROR, "completed_on",
               "completed_on %s is not a date: write YYYY-MM-DD, e.g. 2026-03-31",
               s_quote (q, s->completed_on));
    else if (c->year && completed_year < c->year)
        s_add (c, "DATE-ORDER", DCP_SEV_ERROR, "completed_on",
               "completed_on %s is before the reporting year %d began: check both", s->completed_on,
               c->year);

    /* Reference period, V-ENV-07. */
    bool has_start = !s_empty (s->reference_period_start);
    bool has_end = !s_empty (s->reference_period_end);
    bool start_ok = has_start && s_date_only (s->reference_period_start);
    bool end_ok = has_end && s_date_only (s->reference_period_end);
    if (has_start && !start_ok)
        s_add (c, "DATE-FORMAT", DCP_SEV_ERROR, "reference_period_start",
               "reference_period_start %s is not a date: write YYYY-MM-DD",
               s_quote (q, s->reference_period_start));
    if (has_end && !end_ok)
        s_add (c, "DATE-FORMAT", DCP_SEV_ERROR, "reference_period_end",
               "reference_period_end %s is not a date: write YYYY-MM-DD",
               s_quote (q, s->reference_period_end));
    if (has_start != has_end)
        s_add (c, "DATE-ORDER", DCP_SEV_ERROR,
               has_start ? "reference_period_end" : "reference_period_start",
               "a reference period needs both its start and its end date");
    else if (start_ok && end_ok) {
        char calendar_start[16], calendar_end[16];
        snprintf (calendar_start, sizeof calendar_start, "%04d-01-01", c->year);
        snprintf (calendar_end, sizeof calendar_end, "%04d-12-31", c->year);
        if (strcmp (s->reference_period_start, s->reference_period_end) > 0)
            s_add (c, "DATE-ORDER", DCP_SEV_ERROR, "reference_period_end",
                   "reference period ends (%s) before it starts (%s)",
                   s_quote (q, s->reference_period_end), s_quote (q2, s->reference_period_start));
        else if (strcmp (s->reference_period_start, calendar_start) != 0
                 || strcmp (s->reference_period_end, calendar_end) != 0)
            s_add (c, "V-ENV-07", DCP_SEV_INFO, "reference_period_start",
                   "NON_CALENDAR_PERIOD: figures cover %s to %s, not the calendar year %d",
                   s->reference_period_start, s->reference_period_end, c->year);
    }

    /* V-ENV-08 */
    if (s_code (c, "geographic_coverage", s->geographic_coverage, "geographic_coverage", true)
        && s_is (s->geographic_coverage, "PARTIAL"))
        s_add (c, "V-ENV-08", DCP_SEV_INFO, "geographic_coverage",
               "PARTIAL coverage: these figures are left out of cross-country totals by default%s",
               s_empty (s->coverage_note) ? "; say in coverage_note which part is covered" : "");

    /* V-ENV-06, the part one submission can show. */
    bool has_supersedes = !s_empty (s->supersedes_submission_id);
    if (s->revision_no > 0) {
        if (!has_supersedes)
            s_add (c, "V-ENV-06", DCP_SEV_ERROR, "supersedes_submission_id",
                   "revision %u must name the submission it replaces: give its "
                   "submission_id in supersedes_submission_id",
                   s->revision_no);
        else if (!dcp_id_uuid_ok (s->supersedes_submission_id))
            s_add (c, "V-ENV-06", DCP_SEV_ERROR, "supersedes_submission_id",
                   "supersedes_submission_id %s is not a UUID: copy the submission_id of the "
                   "earlier submission",
                   s_quote (q, s->supersedes_submission_id));
        else if (strcasecmp (s->supersedes_submission_id, s->submission_id ? s->submission_id : "")
                 == 0)
            s_add (c, "V-ENV-06", DCP_SEV_ERROR, "supersedes_submission_id",
                   "a submission cannot supersede itself: give the submission_id of the "
                   "earlier submission");
        if (s_empty (s->revision_reason))
            s_add (c, "V-ENV-06", DCP_SEV_WARNING, "revision_reason",
                   "revision %u gives no revision_reason: say why (%s)", s->revision_no,
                   dcp_refdata_code_list ("revision_reason"));
    } else if (has_supersedes)
        s_add (c, "V-ENV-06", DCP_SEV_ERROR, "supersedes_submission_id",
               "revision_no is 0 (a first submission) but supersedes_submission_id is set: "
               "set revision_no to the revision number, or remove supersedes_submission_id");
    s_code (c, "revision_reason", s->revision_reason, "revision_reason", false);

    if (!s->focal_point)
        s_add (c, "REQUIRED", DCP_SEV_ERROR, "focal_point",
               "focal_point is missing: give the name and contact of the person responsible");
    else if (s_empty (s->focal_point->name))
        s_add (c, "REQUIRED", DCP_SEV_ERROR, "focal_point/name",
               "the focal point's name is missing");
    for (size_t i = 0; i < s->n_contributing_agencies && i < o->max_rows; i++) {
        size_t old = s_push (c, "contributing_agencies");
        s_push_index (c, i);
        const Dcp__V1__Agency *a = s->contributing_agencies[i];
        if (s_empty (a->name))
            s_add (c, "REQUIRED", DCP_SEV_ERROR, "name", "the agency's name is missing");
        s_code (c, "type", a->type, "agency_type", false);
        s_pop (c, old);
    }
    if (!s_empty (s->language)
        && !(strlen (s->language) == 2 && s->language[0] >= 'a' && s->language[0] <= 'z'
             && s->language[1] >= 'a' && s->language[1] <= 'z'))
        s_add (c, "CODE-UNKNOWN", DCP_SEV_ERROR, "language",
               "language %s is not an ISO 639-1 code: write two lowercase letters, e.g. en, ru",
               s_quote (q, s->language));
}

/* --- financial flows ----------------------------------------------------- */

static void
s_legal (s_ctx_t *c, const Dcp__V1__LegalFramework *l)
{
    if (!l) {
        s_add (c, "REQUIRED", DCP_SEV_ERROR, "legal",
               "section B (legal and institutional framework) is not answered");
        return;
    }
    size_t old = s_push (c, "legal");
    s_required_tri (c, "ml_offence_exists", l->ml_offence_exists);
    s_required_tri (c, "drug_trafficking_is_ml_predicate", l->drug_trafficking_is_ml_predicate);
    s_required_tri (c, "fiu_exists", l->fiu_exists);
    s_code (c, "fiu_model", l->fiu_model, "fiu_model", false);
    for (size_t i = 0; i < l->n_fsrb_memberships && i < c->opts->max_rows; i++) {
        char field[48];
        snprintf (field, sizeof field, "fsrb_memberships/%zu", i);
        if (!s_empty (l->fsrb_memberships[i]))
            s_code (c, field, l->fsrb_memberships[i], "fsrb", true);
        else
            s_add (c, "REQUIRED", DCP_SEV_ERROR, field, "an empty FSRB membership: remove it");
    }
    s_code (c, "cash_declaration_system", l->cash_declaration_system, "cash_declaration_system",
            false);
    s_code (c, "mvts_hawala_regime", l->mvts_hawala_regime, "mvts_regime", false);

    /* V-FIN-08 */
    if (l->fiu_established_year) {
        if (l->fiu_established_year < 1900 || (c->year && l->fiu_established_year > c->year))
            s_add (c, "V-FIN-08", DCP_SEV_ERROR, "fiu_established_year",
                   "the FIU cannot be established in %d, after the reporting year %d: check "
                   "the year (0 if not known)",
                   l->fiu_established_year, c->year);
    }
    if (l->egmont_joined_year) {
        if (l->fiu_established_year && l->egmont_joined_year < l->fiu_established_year)
            s_add (c, "V-FIN-08", DCP_SEV_ERROR, "egmont_joined_year",
                   "the FIU joined the Egmont Group in %d, before it was established in %d: "
                   "check both years",
                   l->egmont_joined_year, l->fiu_established_year);
        else if (c->year && l->egmont_joined_year > c->year)
            s_add (c, "V-FIN-08", DCP_SEV_ERROR, "egmont_joined_year",
                   "Egmont membership year %d is after the reporting year %d",
                   l->egmont_joined_year, c->year);
    }
    s_pop (c, old);
}

/* V-FIN-01 for two "of which" counts: PART <= WHOLE. */
static void
s_subset (s_ctx_t *c, const char *part_field, const Dcp__V1__Count *part, const char *whole_field,
          const Dcp__V1__Count *whole)
{
    int64_t p, w;
    if (s_count_value (part, &p) && s_count_value (whole, &w) && p > w)
        s_add (c, "V-FIN-01", DCP_SEV_ERROR, part_field,
               "%s (%lld) is part of %s (%lld) and cannot be larger: check both figures",
               part_field, (long long) p, whole_field, (long long) w);
}

static void
s_str (s_ctx_t *c, const Dcp__V1__SuspiciousTransactions *t, bool no_fiu)
{
    if (!t) {
        s_add (c, "REQUIRED", DCP_SEV_ERROR, "str",
               "section C (suspicious transaction reports) is not answered");
        return;
    }
    size_t old = s_push (c, "str");
    if (!t->received_total)
        s_missing_answer (c, "received_total");
    if (!t->disseminated_total)
        s_missing_answer (c, "disseminated_total");
    for (size_t i = 0; i < t->n_received_by_sector && i < c->opts->max_rows; i++) {
        size_t at = s_push (c, "received_by_sector");
        s_push_index (c, i);
        s_code (c, "sector", t->received_by_sector[i]->sector, "str_sector", true);
        if (!t->received_by_sector[i]->reports)
            s_missing_answer (c, "reports");
        s_pop (c, at);
    }
    s_subset (c, "received_afghan_opiates", t->received_afghan_opiates, "received_drug_related",
              t->received_drug_related);
    s_subset (c, "received_drug_related", t->received_drug_related, "received_total",
              t->received_total);
    if (!s_count_value (t->received_drug_related, &(int64_t){0}))
        s_subset (c, "received_afghan_opiates", t->received_afghan_opiates, "received_total",
                  t->received_total);
    s_subset (c, "disseminated_drug_related", t->disseminated_drug_related, "disseminated_total",
              t->disseminated_total);

    /* V-FIN-02 */
    int64_t received, disseminated;
    if (s_count_value (t->received_total, &received)
        && s_count_value (t->disseminated_total, &disseminated) && disseminated > received)
        s_add (c, "V-FIN-02", DCP_SEV_WARNING, "disseminated_total",
               "more STRs disseminated (%lld) than received (%lld) in the year: possible if "
               "older reports were disseminated, otherwise check both figures",
               (long long) disseminated, (long long) received);

    /* V-FIN-07: every count of section C with a figure, when there is no FIU. */
    if (no_fiu) {
        const ProtobufCMessageDescriptor *d = t->base.descriptor;
        for (unsigned i = 0; i < d->n_fields; i++) {
            const ProtobufCFieldDescriptor *f = &d->fields[i];
            if (f->type != PROTOBUF_C_TYPE_MESSAGE || f->descriptor != &dcp__v1__count__descriptor
                || f->label == PROTOBUF_C_LABEL_REPEATED)
                continue;
            const Dcp__V1__Count *v = *(Dcp__V1__Count *const *) ((const char *) t + f->offset);
            int64_t n;
            if (s_count_value (v, &n))
                s_add (c, "V-FIN-07", DCP_SEV_WARNING, f->name,
                       "fiu_exists is NO but %s gives %lld: set the status to NOT_APPLICABLE, "
                       "or correct fiu_exists",
                       f->name, (long long) n);
        }
        for (size_t i = 0; i < t->n_received_by_sector && i < c->opts->max_rows; i++) {
            int64_t n;
            char field[64];
            snprintf (field, sizeof field, "received_by_sector/%zu/reports", i);
            if (s_count_value (t->received_by_sector[i]->reports, &n))
                s_add (c, "V-FIN-07", DCP_SEV_WARNING, field,
                       "fiu_exists is NO but %lld STRs are given for a sector: set the status "
                       "to NOT_APPLICABLE, or correct fiu_exists",
                       (long long) n);
        }
    }
    s_pop (c, old);
}

/* Scope rank for V-FIN-01: a row of rank r is part of rank r+1. */
static int
s_scope_rank (const char *scope)
{
    if (s_is (scope, "ML_AFGHAN_OPIATES"))
        return 0;
    if (s_is (scope, "ML_DRUG_PREDICATE"))
        return 1;
    if (s_is (scope, "ML_ALL"))
        return 2;
    return -1;
}

static int
s_stage_rank (const char *stage)
{
    if (s_is (stage, "INVESTIGATION"))
        return 0;
    if (s_is (stage, "PROSECUTION"))
        return 1;
    if (s_is (stage, "CONVICTION"))
        return 2;
    return -1;
}

static void
s_enforcement (s_ctx_t *c, Dcp__V1__EnforcementRow *const *rows, size_t n)
{
    size_t old = s_push (c, "enforcement");
    for (size_t i = 0; i < n && i < c->opts->max_rows; i++) {
        const Dcp__V1__EnforcementRow *r = rows[i];
        size_t at = s_push_index (c, i);
        s_code (c, "stage", r->stage, "enforcement_stage", true);
        s_code (c, "scope", r->scope, "enforcement_scope", true);
        s_code (c, "count_unit", r->count_unit, "count_unit", true);
        s_code (c, "counting_rule", r->counting_rule, "counting_rule", true);
        if (!r->value)
            s_missing_answer (c, "value");
        s_pop (c, at);
    }
    if (n > S_PAIRWISE_MAX) {
        s_pop (c, old);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const Dcp__V1__EnforcementRow *r = rows[i];
        int64_t v, w;
        if (!s_count_value (r->value, &v))
            continue;
        char field[48];
        snprintf (field, sizeof field, "%zu/value", i);

        /* V-FIN-01: compare with the nearest wider scope present. */
        int scope = s_scope_rank (r->scope);
        const Dcp__V1__EnforcementRow *wider = NULL;
        for (size_t j = 0; scope >= 0 && scope < 2 && j < n; j++) {
            const Dcp__V1__EnforcementRow *o = rows[j];
            int other = s_scope_rank (o->scope);
            if (other > scope && s_same (o->stage, r->stage)
                && s_same (o->count_unit, r->count_unit)
                && s_same (o->counting_rule, r->counting_rule) && s_count_value (o->value, &w)
                && (!wider || other < s_scope_rank (wider->scope)))
                wider = o;
        }
        if (wider && s_count_value (wider->value, &w) && v > w)
            s_add (c, "V-FIN-01", DCP_SEV_ERROR, field,
                   "%s %s (%lld) cannot exceed %s %s (%lld) counted the same way: the "
                   "narrower scope is part of the wider one",
                   S_TXT (r->stage), S_TXT (r->scope), (long long) v, S_TXT (wider->stage),
                   S_TXT (wider->scope), (long long) w);

        /* V-FIN-03 / V-FIN-04: compare with the previous stage. */
        int stage = s_stage_rank (r->stage);
        if (stage <= 0)
            continue;
        const Dcp__V1__EnforcementRow *same_unit = NULL, *other_unit = NULL;
        for (size_t j = 0; j < n; j++) {
            const Dcp__V1__EnforcementRow *o = rows[j];
            if (s_stage_rank (o->stage) != stage - 1 || !s_same (o->scope, r->scope)
                || !s_same (o->counting_rule, r->counting_rule) || !s_count_value (o->value, &w))
                continue;
            if (s_same (o->count_unit, r->count_unit))
                same_unit = o;
            else
                other_unit = o;
        }
        if (same_unit && s_count_value (same_unit->value, &w) && v > w) {
            bool cohort = s_is (r->counting_rule, "OPEN_AT_YEAR_END");
            s_add (c, "V-FIN-03", cohort ? DCP_SEV_ERROR : DCP_SEV_WARNING, field,
                   "%s (%lld) exceeds %s (%lld) for %s counted in %s%s", S_TXT (r->stage),
                   (long long) v, S_TXT (same_unit->stage), (long long) w, S_TXT (r->scope),
                   S_TXT (r->count_unit),
                   cohort ? ": for cases open at year end this is impossible, check the figures"
                          : ": possible when earlier years' cases conclude, otherwise check");
        } else if (!same_unit && other_unit)
            s_add (c, "V-FIN-04", DCP_SEV_INFO, field,
                   "%s rows count %s but %s rows count %s: the two stages are not compared",
                   S_TXT (r->stage), S_TXT (r->count_unit), S_TXT (other_unit->stage),
                   S_TXT (other_unit->count_unit));
    }
    s_pop (c, old);
}

static void
s_assets (s_ctx_t *c, Dcp__V1__AssetRow *const *rows, size_t n)
{
    static const char *const foreign_words[] = {"UNKNOWN", "MULTIPLE", NULL};
    size_t old = s_push (c, "assets");
    for (size_t i = 0; i < n && i < c->opts->max_rows; i++) {
        const Dcp__V1__AssetRow *r = rows[i];
        size_t at = s_push_index (c, i);
        s_code (c, "measure", r->measure, "asset_measure", true);
        s_code (c, "asset_category", r->asset_category, "asset_category", true);
        s_code (c, "predicate_scope", r->predicate_scope, "enforcement_scope", true);
        s_code (c, "valuation_basis", r->valuation_basis, "valuation_basis", true);
        s_code (c, "origin_of_request", r->origin_of_request, "origin_of_request", false);
        s_country (c, "counterpart_country", r->counterpart_country, false, foreign_words,
                   "CODE-UNKNOWN");
        if (!r->amount)
            s_missing_answer (c, "amount");
        s_pop (c, at);
    }

    /* V-FIN-12, per currency: confiscated > 10 x (seized + frozen). */
    enum { S_MAX_CURRENCIES = 64 };
    struct {
        const char *currency;
        dcp_decimal_t confiscated, seized_frozen;
        size_t first_confiscated;
        bool has_confiscated, overflow;
    } sums[S_MAX_CURRENCIES];
    size_t n_sums = 0;
    for (size_t i = 0; i < n && i < c->opts->max_rows; i++) {
        const Dcp__V1__AssetRow *r = rows[i];
        dcp_decimal_t v;
        bool confiscated = s_is (r->measure, "CONFISCATED");
        bool base = s_is (r->measure, "SEIZED") || s_is (r->measure, "FROZEN");
        if ((!confiscated && !base) || !r->amount || !s_status_has_value (r->amount->status)
            || s_empty (r->amount->currency) || dcp_decimal_parse (r->amount->amount, &v))
            continue;
        size_t k = 0;
        while (k < n_sums && strcmp (sums[k].currency, r->amount->currency) != 0)
            k++;
        if (k == n_sums) {
            if (n_sums == S_MAX_CURRENCIES)
                continue;
            memset (&sums[k], 0, sizeof sums[k]);
            sums[k].currency = r->amount->currency;
            n_sums++;
        }
        dcp_decimal_t *sum = confiscated ? &sums[k].confiscated : &sums[k].seized_frozen;
        if (dcp_decimal_add (sum, &v, sum))
            sums[k].overflow = true;
        if (confiscated && !sums[k].has_confiscated) {
            sums[k].has_confiscated = true;
            sums[k].first_confiscated = i;
        }
    }
    for (size_t k = 0; k < n_sums; k++) {
        dcp_decimal_t ten, limit;
        char a[64], b[64], field[48];
        dcp_decimal_from_int (10, &ten);
        if (!sums[k].has_confiscated || sums[k].overflow
            || dcp_decimal_is_zero (&sums[k].seized_frozen)
            || dcp_decimal_mul (&sums[k].seized_frozen, &ten, DCP_DECIMAL_MAX_SCALE, &limit)
            || dcp_decimal_cmp (&sums[k].confiscated, &limit) <= 0)
            continue;
        snprintf (field, sizeof field, "%zu/amount", sums[k].first_confiscated);
        s_add (c, "V-FIN-12", DCP_SEV_WARNING, field,
               "confiscated %s %s is more than 10 times the %s seized and frozen: check for a "
               "unit or thousands error",
               dcp_decimal_format (&sums[k].confiscated, a, sizeof a), sums[k].currency,
               dcp_decimal_format (&sums[k].seized_frozen, b, sizeof b));
    }
    s_pop (c, old);
}

static void
s_methods (s_ctx_t *c, Dcp__V1__LaunderingMethod *const *rows, size_t n)
{
    size_t old = s_push (c, "methods");
    n = n < c->opts->max_rows ? n : c->opts->max_rows;
    uint32_t *ranks = calloc (n ? n : 1, sizeof *ranks);
    for (size_t i = 0; i < n; i++) {
        const Dcp__V1__LaunderingMethod *m = rows[i];
        size_t at = s_push_index (c, i);
        s_code (c, "method", m->method, "laundering_method", true);
        s_required_tri (c, "observed", m->observed);
        s_code (c, "trend", m->trend, "trend", false);
        s_code (c, "direction", m->direction, "flow_direction", false);
        for (size_t j = 0; j < m->n_jurisdictions && j < c->opts->max_rows; j++) {
            size_t jat = s_push (c, "jurisdictions");
            s_push_index (c, j);
            s_country (c, "country", m->jurisdictions[j]->country, true, NULL, "CODE-UNKNOWN");
            s_code (c, "role", m->jurisdictions[j]->role, "jurisdiction_role", false);
            s_pop (c, jat);
        }
        for (size_t j = 0; j < m->n_currencies_observed && j < c->opts->max_rows; j++) {
            char field[48];
            snprintf (field, sizeof field, "currencies_observed/%zu", j);
            s_currency (c, field, m->currencies_observed[j]);
        }
        s_observed (c, m->observed, m->rank, m->trend);
        if (ranks)
            ranks[i] = m->rank;
        s_pop (c, at);
    }
    s_pop (c, old);
    if (ranks)
        s_ranks (c, "methods", n, ranks, NULL);
    else
        c->rc = DCP_ENOMEM;
    free (ranks);
}

static void
s_cooperation (s_ctx_t *c, Dcp__V1__CooperationRow *const *rows, size_t n, bool no_fiu)
{
    static const char *const counterpart_words[] = {"MULTIPLE", "UNKNOWN", NULL};
    size_t old = s_push (c, "cooperation");
    for (size_t i = 0; i < n && i < c->opts->max_rows; i++) {
        const Dcp__V1__CooperationRow *r = rows[i];
        size_t at = s_push_index (c, i);
        s_code (c, "instrument", r->instrument, "coop_instrument", true);
        s_code (c, "direction", r->direction, "coop_direction", true);
        s_country (c, "counterpart_country", r->counterpart_country, false, counterpart_words,
                   "CODE-UNKNOWN");
        if (!r->requests)
            s_missing_answer (c, "requests");

        /* V-FIN-09: what happened to requests cannot exceed the requests. */
        int64_t requests, previous = 0, done = 0, part;
        bool any = false;
        const Dcp__V1__Count *outcomes[] = {r->executed, r->refused, r->pending_at_year_end};
        for (int k = 0; k < 3; k++)
            if (s_count_value (outcomes[k], &part) && part >= 0) {
                any = true;
                if (__builtin_add_overflow (done, part, &done))
                    done = INT64_MAX;
            }
        if (s_count_value (r->requests, &requests) && any) {
            bool has_previous = s_count_value (r->pending_from_previous_year, &previous);
            int64_t available;
            if (__builtin_add_overflow (requests, previous, &available))
                available = INT64_MAX;
            if (done > available)
                s_add (c, "V-FIN-09", DCP_SEV_WARNING, NULL,
                       "executed + refused + pending at year end (%lld) exceed the %lld "
                       "requests%s: check the figures%s",
                       (long long) done, (long long) available,
                       has_previous ? " including those pending from the previous year" : "",
                       has_previous ? "" : " or give pending_from_previous_year");
        }

        /* V-FIN-07 for FIU-to-FIU exchange. */
        int64_t v;
        if (no_fiu && s_is (r->instrument, "FIU_EXCHANGE") && s_count_value (r->requests, &v))
            s_add (c, "V-FIN-07", DCP_SEV_WARNING, "requests",
                   "fiu_exists is NO but %lld FIU-to-FIU requests are given: set the status to "
                   "NOT_APPLICABLE, or correct fiu_exists",
                   (long long) v);
        s_pop (c, at);
    }
    s_pop (c, old);
}

static void
s_challenges (s_ctx_t *c, const Dcp__V1__Challenges *ch)
{
    if (!ch)
        return;
    size_t old = s_push (c, "challenges");
    char field[48];
    for (size_t i = 0; i < ch->n_categories && i < c->opts->max_rows; i++) {
        snprintf (field, sizeof field, "categories/%zu", i);
        s_code (c, field, ch->categories[i], "challenge_category", true);
    }
    for (size_t i = 0; i < ch->n_assistance_needs && i < c->opts->max_rows; i++) {
        snprintf (field, sizeof field, "assistance_needs/%zu", i);
        s_code (c, field, ch->assistance_needs[i], "assistance_need", true);
    }
    s_pop (c, old);
}

/* --- V-FIN-14 / V-FIN-15: one cell once, sectors within the total -------- */

/* V-FIN-14: the key of an enforcement cell (section D). */
static bool
s_same_enforcement_cell (const Dcp__V1__EnforcementRow *a, const Dcp__V1__EnforcementRow *b)
{
    return s_same (a->stage, b->stage) && s_same (a->scope, b->scope)
           && s_same (a->count_unit, b->count_unit) && s_same (a->counting_rule, b->counting_rule);
}

/* V-FIN-14: the key of an asset cell (section E).  The currency is part of
 * it: cash seized in USD and in EUR are two cells of one measure. */
static bool
s_same_asset_cell (const Dcp__V1__AssetRow *a, const Dcp__V1__AssetRow *b)
{
    const char *ca = a->amount ? a->amount->currency : NULL;
    const char *cb = b->amount ? b->amount->currency : NULL;
    return s_same (a->measure, b->measure) && s_same (a->asset_category, b->asset_category)
           && s_same (a->predicate_scope, b->predicate_scope)
           && s_same (a->valuation_basis, b->valuation_basis)
           && s_same (a->origin_of_request, b->origin_of_request)
           && s_same (a->counterpart_country, b->counterpart_country) && s_same (ca, cb);
}

/* V-FIN-14: the same cell sent twice in one response would be stored twice
 * and counted twice by every total, so the second copy is refused (the
 * first occurrence is named; later copies each get their own finding). */
static void
s_duplicate_cells (s_ctx_t *c, const Dcp__V1__FinancialFlows *ff)
{
    if (ff->n_enforcement <= S_PAIRWISE_MAX)
        for (size_t i = 1; i < ff->n_enforcement && i < c->opts->max_rows; i++)
            for (size_t j = 0; j < i; j++) {
                const Dcp__V1__EnforcementRow *r = ff->enforcement[i];
                if (!s_same_enforcement_cell (ff->enforcement[j], r))
                    continue;
                char field[48];
                snprintf (field, sizeof field, "enforcement/%zu", i);
                s_add (c, "V-FIN-14", DCP_SEV_ERROR, field,
                       "duplicate row: enforcement row %zu repeats row %zu (%s, %s, %s, %s); send "
                       "each cell once",
                       i, j, S_TXT (r->stage), S_TXT (r->scope), S_TXT (r->count_unit),
                       S_TXT (r->counting_rule));
                break;
            }
    if (ff->n_assets <= S_PAIRWISE_MAX)
        for (size_t i = 1; i < ff->n_assets && i < c->opts->max_rows; i++)
            for (size_t j = 0; j < i; j++) {
                const Dcp__V1__AssetRow *r = ff->assets[i];
                if (!s_same_asset_cell (ff->assets[j], r))
                    continue;
                char field[48];
                snprintf (field, sizeof field, "assets/%zu", i);
                s_add (c, "V-FIN-14", DCP_SEV_ERROR, field,
                       "duplicate row: asset row %zu repeats row %zu (%s, %s, %s, %s); send each "
                       "cell once",
                       i, j, S_TXT (r->measure), S_TXT (r->asset_category),
                       S_TXT (r->predicate_scope), S_TXT (r->valuation_basis));
                break;
            }
    const Dcp__V1__SuspiciousTransactions *t = ff->str;
    for (size_t i = 1; t && i < t->n_received_by_sector && i < c->opts->max_rows; i++)
        for (size_t j = 0; j < i; j++) {
            if (!s_same (t->received_by_sector[j]->sector, t->received_by_sector[i]->sector))
                continue;
            char field[64];
            snprintf (field, sizeof field, "str/received_by_sector/%zu", i);
            s_add (c, "V-FIN-14", DCP_SEV_ERROR, field,
                   "duplicate row: sector row %zu repeats row %zu (%s); send each sector once", i,
                   j, S_TXT (t->received_by_sector[i]->sector));
            break;
        }
}

/* V-FIN-15: the STRs received by sector are a breakdown of received_total,
 * so the sectors with a figure should not add up to more than the total.
 * Less is normal (sectors not available, or not broken down).  A warning,
 * not an error: which figure is wrong is for the focal point to say, and a
 * correct total should not be refused for a wrong breakdown. */
static void
s_sectors_within_total (s_ctx_t *c, const Dcp__V1__SuspiciousTransactions *t)
{
    int64_t total, n, sum = 0;
    if (!t || !s_count_value (t->received_total, &total))
        return;
    for (size_t i = 0; i < t->n_received_by_sector && i < c->opts->max_rows; i++)
        if (s_count_value (t->received_by_sector[i]->reports, &n)) {
            if (n > INT64_MAX - sum)
                sum = INT64_MAX;
            else
                sum += n;
        }
    if (sum > total)
        s_add (c, "V-FIN-15", DCP_SEV_WARNING, "str/received_by_sector",
               "STRs received by sector add up to %lld, more than received_total (%lld): each "
               "report comes from one sector, so check for a thousands error or a sector counted "
               "twice",
               (long long) sum, (long long) total);
}

static void
s_financial_flows (s_ctx_t *c, const Dcp__V1__FinancialFlows *ff)
{
    size_t old = s_push (c, "financial_flows");
    bool no_fiu = ff->legal && ff->legal->fiu_exists == DCP__V1__TRI__TRI_NO;
    s_legal (c, ff->legal);
    s_str (c, ff->str, no_fiu);
    s_enforcement (c, ff->enforcement, ff->n_enforcement);
    s_assets (c, ff->assets, ff->n_assets);
    s_methods (c, ff->methods, ff->n_methods);
    s_cooperation (c, ff->cooperation, ff->n_cooperation, no_fiu);
    s_challenges (c, ff->challenges);
    s_duplicate_cells (c, ff);
    s_sectors_within_total (c, ff->str);
    s_pop (c, old);
}

/* --- precursors ---------------------------------------------------------- */

/* Per-substance totals in kilograms for V-PRE-07 and V-PRE-11. */
typedef struct {
    const char *code;
    dcp_decimal_t annual_kg, incidents_kg;
    bool annual_given;       /* a P1 figure or no_seizures */
    bool annual_unconverted; /* some P1 figure could not be put in kg */
    bool incidents_unconverted;
    bool has_incidents;
    size_t first_annual_row;
} s_total_t;

typedef struct {
    s_total_t *items;
    size_t n, cap;
} s_totals_t;

static s_total_t *
s_total (s_ctx_t *c, s_totals_t *t, const char *code)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp (t->items[i].code, code) == 0)
            return &t->items[i];
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        s_total_t *grown = realloc (t->items, cap * sizeof *grown);
        if (!grown) {
            c->rc = DCP_ENOMEM;
            return NULL;
        }
        t->items = grown;
        t->cap = cap;
    }
    s_total_t *item = &t->items[t->n++];
    memset (item, 0, sizeof *item);
    item->code = code;
    return item;
}

/* The period incidents must fall in (V-PRE-10): the reference period if
 * valid, else the reporting year.  START and END hold 16 bytes. */
static void
s_period (s_ctx_t *c, char *start, char *end)
{
    const Dcp__V1__Submission *s = c->sub;
    if (s_date_only (s->reference_period_start) && s_date_only (s->reference_period_end)
        && strcmp (s->reference_period_start, s->reference_period_end) <= 0) {
        memcpy (start, s->reference_period_start, 11);
        memcpy (end, s->reference_period_end, 11);
        return;
    }
    snprintf (start, 16, "%04d-01-01", c->year % 10000);
    snprintf (end, 16, "%04d-12-31", c->year % 10000);
}

static void
s_seizures (s_ctx_t *c, Dcp__V1__AnnualSeizure *const *rows, size_t n, s_totals_t *totals)
{
    static const char *const origin_words[] = {"UNKNOWN", NULL};
    char year[8];
    snprintf (year, sizeof year, "%04d", c->year % 10000);
    size_t old = s_push (c, "seizures");
    for (size_t i = 0; i < n && i < c->opts->max_rows; i++) {
        const Dcp__V1__AnnualSeizure *r = rows[i];
        size_t at = s_push_index (c, i);
        const dcp_substance_t *sub = s_substance (c, "substance_code", r->substance_code, true);
        if (c->year)
            s_scheduled (c, "substance_code", sub, year, "at the end of the reporting year");
        s_code (c, "physical_form", r->physical_form, "physical_form", true);
        s_code (c, "origin_basis", r->origin_basis, "origin_basis", false);
        for (size_t j = 0; j < r->n_origin_countries && j < c->opts->max_rows; j++) {
            char field[48];
            snprintf (field, sizeof field, "origin_countries/%zu", j);
            s_country (c, field, r->origin_countries[j], true, origin_words, "CODE-UNKNOWN");
        }
        s_concentration (c, "concentration_pct", r->concentration_pct);

        /* V-GEN-04: a zero is "no_seizures", never an empty row. */
        bool has_figure = r->quantity && s_status_has_value (r->quantity->status);
        if (!r->quantity && !r->no_seizures)
            s_add (c, "V-GEN-04", DCP_SEV_ERROR, "quantity",
                   "the row has neither a quantity nor no_seizures: give the quantity seized, "
                   "or set no_seizures to true if nothing was seized");
        else if (r->no_seizures && has_figure)
            s_add (c, "V-GEN-04", DCP_SEV_ERROR, "no_seizures",
                   "no_seizures is true but a quantity is given: keep one of the two");
        if (r->quantity)
            s_unit_for (c, "quantity", r->quantity, sub, r->concentration_pct,
                        s_is (r->physical_form, "SOLUTION"));

        s_total_t *t = sub ? s_total (c, totals, sub->code) : NULL;
        if (t) {
            dcp_decimal_t kg;
            if (!t->annual_given)
                t->first_annual_row = i;
            if (r->no_seizures && !has_figure)
                t->annual_given = true;
            else if (has_figure) {
                t->annual_given = true;
                if (s_to_kg (r->quantity, sub->code, r->concentration_pct, &kg))
                    t->annual_unconverted |=
                        dcp_decimal_add (&t->annual_kg, &kg, &t->annual_kg) != 0;
                else
                    t->annual_unconverted = true;
            }
        }
        s_pop (c, at);
    }
    s_pop (c, old);
}

/* V-PRE-12: the CAS check digit. */
static bool
s_cas_ok (const char *cas)
{
    size_t len = strlen (cas);
    /* 2-7 digits, '-', 2 digits, '-', 1 check digit */
    if (len < 7 || len > 12 || cas[len - 2] != '-' || cas[len - 5] != '-')
        return false;
    size_t head = len - 5;
    if (head < 2 || strspn (cas, "0123456789") != head || strspn (cas + head + 1, "0123456789") != 2
        || cas[len - 1] < '0' || cas[len - 1] > '9')
        return false;
    int sum = 0, weight = 1;
    for (size_t i = len - 2; i-- > 0;) {
        if (cas[i] == '-')
            continue;
        sum += weight++ * (cas[i] - '0');
    }
    return sum % 10 == cas[len - 1] - '0';
}

/* "2915.24" or "291524" to "2915.24"; false unless six digits. */
static bool
s_hs_normal (const char *hs, char out[8])
{
    char digits[7];
    size_t n = 0;
    for (const char *p = hs; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (n == 6)
                return false;
            digits[n++] = *p;
        } else if (!(*p == '.' && p - hs == 4))
            return false;
    }
    if (n != 6)
        return false;
    snprintf (out, 8, "%.4s.%.2s", digits, digits + 4);
    return true;
}

static void
s_non_scheduled (s_ctx_t *c, Dcp__V1__NonScheduledSeizure *const *rows, size_t n)
{
    char year[8], q[S_QUOTE_MAX], name[128];
    snprintf (year, sizeof year, "%04d", c->year % 10000);
    size_t old = s_push (c, "non_scheduled");
    for (size_t i = 0; i < n && i < c->opts->max_rows; i++) {
        const Dcp__V1__NonScheduledSeizure *r = rows[i];
        size_t at = s_push_index (c, i);
        if (s_empty (r->substance_name))
            s_add (c, "REQUIRED", DCP_SEV_ERROR, "substance_name",
                   "substance_name is missing: give the chemical's name as reported");
        if (!r->quantity)
            s_missing_answer (c, "quantity");
        s_code (c, "suspected_use", r->suspected_use, "suspected_use", false);

        /* V-PRE-04: one row, one substance. */
        if (s_mixture_parts (r->substance_name) >= 2)
            s_add (c, "V-PRE-04", DCP_SEV_ERROR, "substance_name",
                   "%s names several substances in one figure: give one row per substance; "
                   "if the figure cannot be split, report it as an incident with "
                   "mixed_substances",
                   s_quote (q, r->substance_name));

        /* V-PRE-13: a scheduled substance under another name or its CAS. */
        const char *code = dcp_refdata_substance_alias (r->substance_name);
        const dcp_substance_t *by_name = code ? dcp_refdata_substance (code) : NULL;
        /* A misspelt name of a scheduled substance ("acetic anhidride") would
         * pass as free text and stay out of the kg totals: say so, as a
         * warning (it may truly be another chemical). */
        const char *near = code ? NULL : dcp_refdata_substance_suggest (r->substance_name);
        const dcp_substance_t *by_near = near ? dcp_refdata_substance (near) : NULL;
        if (by_near && strlen (r->substance_name) > 4 && dcp_refdata_substance_table (near, year))
            s_add (c, "V-PRE-13", DCP_SEV_WARNING, "substance_name",
                   "%s is not a name we know; did you mean %s (%s), a scheduled substance? "
                   "If so, report it under seizures with substance_code %s: under "
                   "non_scheduled it is left out of the kg totals of scheduled substances",
                   s_quote (q, r->substance_name), s_lower_name (name, sizeof name, by_near->name),
                   by_near->code, by_near->code);
        const dcp_substance_t *by_cas = dcp_refdata_substance_by_cas (r->cas_number);
        const dcp_substance_t *scheduled = NULL;
        if (by_name && dcp_refdata_substance_table (by_name->code, year))
            scheduled = by_name;
        else if (by_cas && dcp_refdata_substance_table (by_cas->code, year))
            scheduled = by_cas;
        if (scheduled)
            s_add (c, "V-PRE-13", DCP_SEV_WARNING,
                   scheduled == by_name ? "substance_name" : "cas_number",
                   "%s is %s (%s), a scheduled substance: report it under seizures with "
                   "substance_code %s",
                   s_quote (q, scheduled == by_name ? r->substance_name : r->cas_number),
                   s_lower_name (name, sizeof name, scheduled->name), scheduled->code,
                   scheduled->code);

        /* V-PRE-12 */
        if (!s_empty (r->cas_number) && !s_cas_ok (r->cas_number))
            s_add (c, "V-PRE-12", DCP_SEV_ERROR, "cas_number",
                   "CAS number %s is not valid (format NNNNNNN-NN-N with a check digit): copy "
                   "it again from the label or the safety data sheet",
                   s_quote (q, r->cas_number));
        char hs[8];
        if (!s_empty (r->hs_code)) {
            if (!s_hs_normal (r->hs_code, hs))
                s_add (c, "V-PRE-12", DCP_SEV_ERROR, "hs_code",
                       "HS code %s is not a 6-digit code: write e.g. 2915.24 or 291524",
                       s_quote (q, r->hs_code));
            else if (by_name && !s_empty (by_name->hs) && strcmp (hs, by_name->hs) != 0)
                s_add (c, "V-PRE-12", DCP_SEV_WARNING, "hs_code",
                       "HS code %s does not match %s, whose code is %s: check the code", hs,
                       s_lower_name (name, sizeof name, by_name->name), by_name->hs);
        }
        s_pop (c, at);
    }
    s_pop (c, old);
}

static void
s_diversion_methods (s_ctx_t *c, Dcp__V1__DiversionMethod *const *rows, size_t n)
{
    size_t old = s_push (c, "diversion_methods");
    n = n < c->opts->max_rows ? n : c->opts->max_rows;
    uint32_t *ranks = calloc (n ? n : 1, sizeof *ranks);
    for (size_t i = 0; i < n; i++) {
        const Dcp__V1__DiversionMethod *m = rows[i];
        size_t at = s_push_index (c, i);
        s_code (c, "method", m->method, "diversion_method", true);
        s_substance (c, "substance_code", m->substance_code, false);
        s_required_tri (c, "observed", m->observed);
        s_code (c, "trend", m->trend, "trend", false);
        s_observed (c, m->observed, m->rank, m->trend);
        if (ranks)
            ranks[i] = m->rank;
        s_pop (c, at);
    }
    s_pop (c, old);
    if (ranks)
        s_ranks (c, "diversion_methods", n, ranks, NULL);
    else
        c->rc = DCP_ENOMEM;
    free (ranks);
}

static void
s_stopped (s_ctx_t *c, Dcp__V1__StoppedShipment *const *rows, size_t n)
{
    size_t old = s_push (c, "stopped_shipments");
    for (size_t i = 0; i < n && i < c->opts->max_rows; i++) {
        const Dcp__V1__StoppedShipment *r = rows[i];
        size_t at = s_push_index (c, i);
        s_code (c, "event_type", r->event_type, "shipment_event", true);
        const dcp_substance_t *sub = s_substance (c, "substance_code", r->substance_code, true);
        if (!r->quantity)
            s_missing_answer (c, "quantity");
        else
            s_unit_for (c, "quantity", r->quantity, sub, NULL, false);
        s_country (c, "exporting_country", r->exporting_country, true, s_unknown_word,
                   "CODE-UNKNOWN");
        s_country (c, "importing_country", r->importing_country, true, s_unknown_word,
                   "CODE-UNKNOWN");
        s_code (c, "reason", r->reason, "shipment_reason", false);
        s_pop (c, at);
    }
    s_pop (c, old);
}

static void
s_labs (s_ctx_t *c, Dcp__V1__IllicitLab *const *rows, size_t n)
{
    size_t old = s_push (c, "labs");
    for (size_t i = 0; i < n && i < c->opts->max_rows; i++) {
        const Dcp__V1__IllicitLab *r = rows[i];
        size_t at = s_push_index (c, i);
        s_code (c, "lab_type", r->lab_type, "lab_type", true);
        if (!r->count)
            s_missing_answer (c, "count");
        for (size_t j = 0; j < r->n_chemicals_found && j < c->opts->max_rows; j++) {
            size_t cat = s_push (c, "chemicals_found");
            s_push_index (c, j);
            const Dcp__V1__LabChemical *chem = r->chemicals_found[j];
            const dcp_substance_t *sub =
                s_substance (c, "substance_code", chem->substance_code, true);
            if (chem->quantity)
                s_unit_for (c, "quantity", chem->quantity, sub, NULL, false);
            s_pop (c, cat);
        }
        s_pop (c, at);
    }
    s_pop (c, old);
}

/* V-PRE-08 for one incident's route. */
static void
s_route (s_ctx_t *c, const Dcp__V1__Incident *inc)
{
    size_t n = inc->n_route < c->opts->max_rows ? inc->n_route : c->opts->max_rows;
    if (n == 0)
        return;
    size_t old = s_push (c, "route");
    bool reporting_seen = false;
    for (size_t i = 0; i < n; i++) {
        const Dcp__V1__RouteLeg *leg = inc->route[i];
        size_t at = s_push_index (c, i);
        bool known = s_country (c, "country", leg->country, true, s_unknown_word, "V-PRE-08");
        bool role_ok = s_code (c, "role", leg->role, "route_role", true);
        if (known && i > 0 && !s_is (leg->country, "UNKNOWN")
            && s_same (leg->country, inc->route[i - 1]->country))
            s_add (c, "V-PRE-08", DCP_SEV_ERROR, "country",
                   "%s appears twice in a row in the route: list each country once per "
                   "passage",
                   leg->country);
        if (role_ok && s_is (leg->role, "ORIGIN") && i != 0)
            s_add (c, "V-PRE-08", DCP_SEV_ERROR, "role",
                   "the ORIGIN must be the first country of the route: reorder the legs");
        if (role_ok && (s_is (leg->role, "DESTINATION") || s_is (leg->role, "INTENDED_DESTINATION"))
            && i != n - 1)
            s_add (c, "V-PRE-08", DCP_SEV_ERROR, "role",
                   "the %s must be the last country of the route: reorder the legs", leg->role);
        if (!s_empty (leg->country) && s_same (leg->country, c->sub->reporting_country))
            reporting_seen = true;
        s_pop (c, at);
    }
    /* Only against a known reporting country: a wrong one has its own
     * finding (V-ENV-01), and every route would echo it. */
    if (!reporting_seen && !s_is (inc->incident_type, "STOPPED_IN_TRANSIT")
        && dcp_refdata_country (c->sub->reporting_country, 0))
        s_add (c, "V-PRE-08", DCP_SEV_WARNING, NULL,
               "the reporting country %s is not in the route: add it with its role (e.g. "
               "TRANSIT or DESTINATION), or set incident_type STOPPED_IN_TRANSIT if the "
               "shipment was stopped abroad",
               c->sub->reporting_country);
    s_pop (c, old);
}

/* V-PRE-15 helpers: incidents sorted by id, then by row. */
typedef struct {
    const char *id;
    size_t row;
} s_incident_ref_t;

static int
s_incident_ref_cmp (const void *a, const void *b)
{
    const s_incident_ref_t *x = a, *y = b;
    int by_id = strcmp (x->id, y->id);
    return by_id ? by_id : (x->row > y->row) - (x->row < y->row);
}

/* V-PRE-15: an incident_id used by two rows.  Sorting keeps it O(n log n)
 * for the longest list a hostile sender may send; each repeat is reported
 * at its own row, naming the first row with that id.  Empty ids are left
 * to REQUIRED. */
static void
s_incident_ids (s_ctx_t *c, Dcp__V1__Incident *const *rows, size_t n)
{
    char q[S_QUOTE_MAX];
    s_incident_ref_t *refs = calloc (n ? n : 1, sizeof *refs);
    size_t *first = calloc (n ? n : 1, sizeof *first);
    if (!refs || !first) {
        c->rc = DCP_ENOMEM;
        goto cleanup;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!s_empty (rows[i]->incident_id))
            refs[k++] = (s_incident_ref_t){rows[i]->incident_id, i};
    qsort (refs, k, sizeof *refs, s_incident_ref_cmp);
    for (size_t i = 0; i < n; i++)
        first[i] = i;
    for (size_t i = 1; i < k; i++)
        if (strcmp (refs[i].id, refs[i - 1].id) == 0)
            first[refs[i].row] = first[refs[i - 1].row];
    for (size_t i = 0; i < n; i++) {
        if (first[i] == i)
            continue;
        size_t at = s_push_index (c, i);
        s_add (c, "V-PRE-15", DCP_SEV_ERROR, "incident_id",
               "incident_id %s is already used by incident %zu: give each incident its own "
               "national reference, or merge the two rows into one incident",
               s_quote (q, rows[i]->incident_id), first[i]);
        s_pop (c, at);
    }
cleanup:
    free (first);
    free (refs);
}

static void
s_incidents (s_ctx_t *c, Dcp__V1__Incident *const *rows, size_t n, s_totals_t *totals)
{
    char start[16], end[16], q[S_QUOTE_MAX], name[128];
    s_period (c, start, end);
    dcp_decimal_t single_max;
    bool has_single_max =
        !s_empty (c->opts->aa_single_incident_max_kg)
        && dcp_decimal_parse (c->opts->aa_single_incident_max_kg, &single_max) == 0;
    size_t old = s_push (c, "incidents");
    for (size_t i = 0; i < n && i < c->opts->max_rows; i++) {
        const Dcp__V1__Incident *inc = rows[i];
        size_t at = s_push_index (c, i);
        if (s_empty (inc->incident_id))
            s_add (c, "REQUIRED", DCP_SEV_ERROR, "incident_id",
                   "incident_id is missing: give the national reference of the case");
        s_code (c, "incident_type", inc->incident_type, "incident_type", true);

        /* Date and V-PRE-10. */
        bool date_ok = false;
        if (s_empty (inc->incident_date))
            s_add (c, "REQUIRED", DCP_SEV_ERROR, "incident_date",
                   "incident_date is missing: give the date, YYYY-MM-DD");
        else if (!s_date_only (inc->incident_date))
            s_add (c, "DATE-FORMAT", DCP_SEV_ERROR, "incident_date",
                   "incident_date %s is not a date: write YYYY-MM-DD, e.g. 2025-06-14",
                   s_quote (q, inc->incident_date));
        else if (c->year
                 && (strcmp (inc->incident_date, start) < 0
                     || strcmp (inc->incident_date, end) > 0))
            s_add (c, "V-PRE-10", DCP_SEV_ERROR, "incident_date",
                   "incident_date %s is outside the period reported on (%s to %s): report it "
                   "with the year it happened in",
                   inc->incident_date, start, end);
        else
            date_ok = true;
        if (!s_empty (inc->pics_date) && !s_date_only (inc->pics_date))
            s_add (c, "DATE-FORMAT", DCP_SEV_ERROR, "pics_date",
                   "pics_date %s is not a date: write YYYY-MM-DD", s_quote (q, inc->pics_date));

        s_code (c, "concealment", inc->concealment, "concealment", false);
        s_code (c, "identification_basis", inc->identification_basis, "identification_basis",
                false);
        s_code (c, "transport_mode", inc->transport_mode, "transport_mode", false);
        s_code (c, "seizing_agency", inc->seizing_agency, "seizing_agency", false);
        s_code (c, "follow_up", inc->follow_up, "follow_up", false);
        for (size_t j = 0; j < inc->n_persons_nationalities && j < c->opts->max_rows; j++) {
            char field[48];
            snprintf (field, sizeof field, "persons_nationalities/%zu", j);
            s_country (c, field, inc->persons_nationalities[j], true, s_unknown_word,
                       "CODE-UNKNOWN");
        }
        if (inc->location) {
            size_t lat = s_push (c, "location");
            const char *coords[2] = {inc->location->latitude, inc->location->longitude};
            const char *names[2] = {"latitude", "longitude"};
            for (int k = 0; k < 2; k++) {
                dcp_decimal_t v, limit;
                if (s_empty (coords[k]) || !s_decimal (c, names[k], names[k], coords[k], &v))
                    continue;
                dcp_decimal_from_int (k == 0 ? 90 : 180, &limit);
                v.negative = false; /* compare the magnitude */
                if (dcp_decimal_cmp (&v, &limit) > 0)
                    s_add (c, "VALUE-RANGE", DCP_SEV_ERROR, names[k],
                           "%s %s is outside -%d..%d: give decimal degrees", names[k],
                           s_quote (q, coords[k]), k == 0 ? 90 : 180, k == 0 ? 90 : 180);
            }
            s_pop (c, lat);
        }

        /* Substances. */
        if (inc->n_substances == 0)
            s_add (c, "REQUIRED", DCP_SEV_ERROR, "substances",
                   "the incident lists no substance: give at least one, with its quantity or "
                   "the status NOT_AVAILABLE");
        dcp_decimal_t incident_aa;
        dcp_decimal_from_int (0, &incident_aa);
        bool declared_matches = false;
        const char *declared_code = dcp_refdata_substance_alias (inc->declared_description);
        const dcp_substance_t *first_sub = NULL;
        size_t sat = s_push (c, "substances");
        for (size_t j = 0; j < inc->n_substances && j < c->opts->max_rows; j++) {
            const Dcp__V1__IncidentSubstance *is = inc->substances[j];
            size_t jat = s_push_index (c, j);
            const dcp_substance_t *sub = NULL;
            if (s_empty (is->substance_code) && s_empty (is->substance_name))
                s_add (c, "REQUIRED", DCP_SEV_ERROR, "substance_code",
                       "give the substance_code, or the substance_name for a chemical that is "
                       "not scheduled");
            else if (!s_empty (is->substance_code)) {
                sub = s_substance (c, "substance_code", is->substance_code, true);
                if (date_ok)
                    s_scheduled (c, "substance_code", sub, inc->incident_date,
                                 "on the incident date");
            } else {
                /* V-PRE-13: a scheduled substance under another name. */
                const char *code = dcp_refdata_substance_alias (is->substance_name);
                const dcp_substance_t *named = code ? dcp_refdata_substance (code) : NULL;
                if (named && date_ok
                    && dcp_refdata_substance_table (named->code, inc->incident_date))
                    s_add (c, "V-PRE-13", DCP_SEV_WARNING, "substance_name",
                           "%s is %s, a scheduled substance: give substance_code %s",
                           s_quote (q, is->substance_name),
                           s_lower_name (name, sizeof name, named->name), named->code);
                sub = named;
            }
            if (sub && !first_sub)
                first_sub = sub;
            if (sub && declared_code && s_same (declared_code, sub->code))
                declared_matches = true;

            /* V-PRE-04 */
            int parts = s_mixture_parts (is->substance_name);
            if (is->mixed_substances)
                s_add (c, "V-PRE-04", DCP_SEV_INFO, "mixed_substances",
                       "MIXED_SUBSTANCES: this figure covers several substances and is not "
                       "counted in any substance's totals");
            else if (parts >= 2)
                s_add (c, "V-PRE-04", DCP_SEV_WARNING, "substance_name",
                       "%s names several substances in one figure: split it into one row per "
                       "substance, or set mixed_substances to true",
                       s_quote (q, is->substance_name));

            if (!is->quantity)
                s_missing_answer (c, "quantity");
            else
                s_unit_for (c, "quantity", is->quantity, sub, is->concentration_pct, true);
            s_concentration (c, "concentration_pct", is->concentration_pct);
            s_code (c, "package_type", is->package_type, "package_type", false);

            /* Totals for V-PRE-07 / V-PRE-11; mixed figures stay out. */
            dcp_decimal_t kg;
            if (sub && !is->mixed_substances && date_ok && is->quantity
                && s_status_has_value (is->quantity->status)) {
                s_total_t *t = s_total (c, totals, sub->code);
                bool converted = s_to_kg (is->quantity, sub->code, is->concentration_pct, &kg);
                if (t) {
                    t->has_incidents = true;
                    if (!converted || dcp_decimal_add (&t->incidents_kg, &kg, &t->incidents_kg))
                        t->incidents_unconverted = true;
                }
                if (converted && s_is (sub->code, "AA"))
                    dcp_decimal_add (&incident_aa, &kg, &incident_aa);
            }
            s_pop (c, jat);
        }
        s_pop (c, sat);

        /* V-PRE-07, single incident. */
        char a[64];
        if (has_single_max && dcp_decimal_cmp (&incident_aa, &single_max) > 0)
            s_add (c, "V-PRE-07", DCP_SEV_WARNING, "substances",
                   "%s kg of acetic anhydride in one incident is more than the largest seizures "
                   "known (%s kg): check the quantity and unit (litres vs kilograms, tonnes)",
                   dcp_decimal_format (&incident_aa, a, sizeof a),
                   c->opts->aa_single_incident_max_kg);

        /* V-PRE-14 */
        if (!s_empty (inc->declared_description) && s_empty (inc->concealment) && first_sub
            && !declared_matches)
            s_add (c, "V-PRE-14", DCP_SEV_INFO, "concealment",
                   "declared as %s but found to be %s: set concealment to MISDECLARED",
                   s_quote (q, inc->declared_description),
                   s_lower_name (name, sizeof name, first_sub->name));

        s_route (c, inc);
        s_pop (c, at);
    }
    s_incident_ids (c, rows, n < c->opts->max_rows ? n : c->opts->max_rows);
    s_pop (c, old);
}

static void
s_licit_trade (s_ctx_t *c, Dcp__V1__LicitTrade *const *rows, size_t n)
{
    size_t old = s_push (c, "licit_trade");
    for (size_t i = 0; i < n && i < c->opts->max_rows; i++) {
        const Dcp__V1__LicitTrade *r = rows[i];
        size_t at = s_push_index (c, i);
        bool flow_ok = s_code (c, "flow", r->flow, "trade_flow", true);
        const dcp_substance_t *sub = s_substance (c, "substance_code", r->substance_code, true);
        s_country (c, "partner_country", r->partner_country, true, s_unknown_word, "CODE-UNKNOWN");
        if (!r->quantity)
            s_missing_answer (c, "quantity");
        else
            s_unit_for (c, "quantity", r->quantity, sub, NULL, false);
        if (r->licit_requirement_estimate)
            s_unit_for (c, "licit_requirement_estimate", r->licit_requirement_estimate, sub, NULL,
                        false);

        /* V-PRE-09 */
        if (flow_ok && sub && s_is (sub->code, "AA")
            && ((s_is (r->flow, "EXPORT") && s_is (r->partner_country, "AFG"))
                || (s_is (r->flow, "IMPORT") && s_is (c->sub->reporting_country, "AFG"))))
            s_add (c, "V-PRE-09", DCP_SEV_WARNING, NULL,
                   "NO_LICIT_NEED_DECLARED: Afghanistan has declared no licit need for acetic "
                   "anhydride; check this %s and tell the focal point of the partner country",
                   s_is (r->flow, "EXPORT") ? "export to Afghanistan" : "import into Afghanistan");
        s_pop (c, at);
    }
    s_pop (c, old);
}

static void
s_routes (s_ctx_t *c, Dcp__V1__TraffickingRoute *const *rows, size_t n)
{
    char q[S_QUOTE_MAX];
    size_t old = s_push (c, "routes");
    n = n < c->opts->max_rows ? n : c->opts->max_rows;
    uint32_t *ranks = calloc (n ? n : 1, sizeof *ranks);
    char **groups = calloc (n ? n : 1, sizeof *groups);
    for (size_t i = 0; i < n; i++) {
        const Dcp__V1__TraffickingRoute *r = rows[i];
        size_t at = s_push_index (c, i);
        s_substance (c, "substance_code", r->substance_code, true);
        s_code (c, "role", r->role, "trafficking_role", true);
        s_country (c, "country", r->country, true, NULL, "CODE-UNKNOWN");
        s_code (c, "route_code", r->route_code, "route_code", false);
        dcp_decimal_t share, hundred;
        dcp_decimal_from_int (100, &hundred);
        if (!s_empty (r->share_pct) && s_decimal (c, "share_pct", "share_pct", r->share_pct, &share)
            && (dcp_decimal_is_negative (&share) || dcp_decimal_cmp (&share, &hundred) > 0))
            s_add (c, "VALUE-RANGE", DCP_SEV_ERROR, "share_pct",
                   "share_pct %s is outside 0-100: give the percentage of the quantity seized",
                   s_quote (q, r->share_pct));
        if (ranks && groups) {
            ranks[i] = r->rank;
            /* Ranks count within one substance and role. */
            const char *code = r->substance_code ? r->substance_code : "";
            const char *role = r->role ? r->role : "";
            size_t len = strlen (code) + strlen (role) + 2;
            groups[i] = malloc (len);
            if (groups[i])
                snprintf (groups[i], len, "%s|%s", code, role);
        }
        s_pop (c, at);
    }
    s_pop (c, old);
    bool all = ranks && groups;
    for (size_t i = 0; all && i < n; i++)
        all = groups[i] != NULL;
    if (all)
        s_ranks (c, "routes", n, ranks, (const char *const *) groups);
    else
        c->rc = DCP_ENOMEM;
    for (size_t i = 0; groups && i < n; i++)
        free (groups[i]);
    free (groups);
    free (ranks);
}

/* V-PRE-07 annual total and V-PRE-11 once all rows are summed. */
static void
s_totals (s_ctx_t *c, const s_totals_t *totals)
{
    dcp_decimal_t annual_max, factor, limit;
    bool has_annual_max = !s_empty (c->opts->aa_annual_total_max_kg)
                          && dcp_decimal_parse (c->opts->aa_annual_total_max_kg, &annual_max) == 0;
    dcp_decimal_parse ("1.05", &factor);
    for (size_t i = 0; i < totals->n; i++) {
        const s_total_t *t = &totals->items[i];
        const dcp_substance_t *sub = dcp_refdata_substance (t->code);
        char field[64], a[64], b[64], name[128];
        snprintf (field, sizeof field, "seizures/%zu/quantity", t->first_annual_row);
        s_lower_name (name, sizeof name, sub ? sub->name : t->code);
        if (has_annual_max && s_is (t->code, "AA") && t->annual_given
            && dcp_decimal_cmp (&t->annual_kg, &annual_max) > 0)
            s_add (c, "V-PRE-07", DCP_SEV_WARNING, field,
                   "the year's acetic anhydride seizures add up to %s kg, more than %s kg: "
                   "check quantities and units",
                   dcp_decimal_format (&t->annual_kg, a, sizeof a),
                   c->opts->aa_annual_total_max_kg);
        if (!t->annual_given || t->annual_unconverted || !t->has_incidents
            || t->incidents_unconverted
            || dcp_decimal_mul (&t->annual_kg, &factor, DCP_DECIMAL_MAX_SCALE, &limit)
            || dcp_decimal_cmp (&t->incidents_kg, &limit) <= 0)
            continue;
        s_add (c, "V-PRE-11", DCP_SEV_WARNING, field,
               "the incidents of the year add up to %s kg of %s but the annual seizures only "
               "to %s kg: the annual figure should include every incident",
               dcp_decimal_format (&t->incidents_kg, a, sizeof a), name,
               dcp_decimal_format (&t->annual_kg, b, sizeof b));
    }
}

static void
s_precursors (s_ctx_t *c, const Dcp__V1__Precursors *p)
{
    s_totals_t totals = {0};
    size_t old = s_push (c, "precursors");
    s_seizures (c, p->seizures, p->n_seizures, &totals);
    s_non_scheduled (c, p->non_scheduled, p->n_non_scheduled);
    s_diversion_methods (c, p->diversion_methods, p->n_diversion_methods);
    s_stopped (c, p->stopped_shipments, p->n_stopped_shipments);
    s_labs (c, p->labs, p->n_labs);
    s_incidents (c, p->incidents, p->n_incidents, &totals);
    s_licit_trade (c, p->licit_trade, p->n_licit_trade);
    s_routes (c, p->routes, p->n_routes);
    s_totals (c, &totals);
    s_pop (c, old);
    free (totals.items);
}

/* --- entry points -------------------------------------------------------- */

void
dcp_rules_defaults (dcp_rules_opts_t *opts)
{
    memset (opts, 0, sizeof *opts);
    opts->current_year = 0;
    opts->min_year_finflow = 2008;
    opts->min_year_precursor = 1990;
    opts->aa_single_incident_max_kg = "50000";
    opts->aa_annual_total_max_kg = "500000";
    opts->max_text_len = 10000;
    opts->max_rows = 100000;
    opts->received_on = NULL;
    opts->deadline_mmdd = "06-30";
    opts->offline = false;
}

int
dcp_rules_check (const Dcp__V1__Submission *sub, const dcp_rules_opts_t *opts,
                 dcp_findings_t *findings)
{
    if (!sub || !findings)
        return DCP_EINVAL;
    dcp_rules_opts_t defaults;
    if (!opts) {
        dcp_rules_defaults (&defaults);
        opts = &defaults;
    }
    int rc = dcp_refdata_load ();
    if (rc)
        return rc;

    s_ctx_t *c = calloc (1, sizeof *c);
    if (!c)
        return DCP_ENOMEM;
    c->sub = sub;
    c->opts = opts;
    c->findings = findings;

    /* Today and the current year: from the options (tests, replays), else
     * from the clock, in UTC like every date the pipeline stores. */
    time_t now = time (NULL);
    struct tm tm;
    gmtime_r (&now, &tm);
    char clock_day[11];
    strftime (clock_day, sizeof clock_day, "%Y-%m-%d", &tm);
    if (s_date_only (opts->received_on))
        memcpy (c->today, opts->received_on, 11);
    else if (!opts->current_year)
        memcpy (c->today, clock_day, 11);
    /* else: a fixed current_year without a date; V-ENV-05 is skipped */
    c->current_year = opts->current_year ? opts->current_year
                      : c->today[0]      ? atoi (c->today)
                                         : atoi (clock_day);
    if (sub->reporting_year >= 1000 && sub->reporting_year <= c->current_year)
        c->year = sub->reporting_year;

    s_walk (c, &sub->base, NULL);
    c->path_len = 0;
    c->path[0] = '\0';
    s_envelope (c);
    if (sub->payload_case == DCP__V1__SUBMISSION__PAYLOAD_FINANCIAL_FLOWS && sub->financial_flows)
        s_financial_flows (c, sub->financial_flows);
    else if (sub->payload_case == DCP__V1__SUBMISSION__PAYLOAD_PRECURSORS && sub->precursors)
        s_precursors (c, sub->precursors);

    rc = c->rc;
    free (c);
    return rc;
}
