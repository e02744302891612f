/* dcp_rules.h: the validation rules of DOMAIN.md section 4.
 *
 * One module, linked into the validator (authoritative) and the collector
 * (offline pre-check), so a focal point sees before sending exactly what the
 * validator would say.  Every rule appends findings with its rule id
 * ("V-PRE-02"), severity and a JSON pointer into the response; all rules run,
 * none stops at the first problem.  Rules that need other submissions
 * (V-ENV-06 revisions, V-X-*) run in the loader, against the database. */
#ifndef DCP_RULES_H
#define DCP_RULES_H

#include "dcp_findings.h"
#include "dcp_submission.pb-c.h"

typedef struct {
    int current_year;          /* year of "received_on"; 0 = take the clock */
    int min_year_finflow;      /* V-ENV-02, default 2008 */
    int min_year_precursor;    /* V-ENV-02, default 1990 */
    const char *aa_single_incident_max_kg;  /* V-PRE-07, default "50000" */
    const char *aa_annual_total_max_kg;     /* V-PRE-07, default "500000" */
    size_t max_text_len;       /* longest free text, default 10000 bytes */
    size_t max_rows;           /* longest repeated list, default 100000 */
} dcp_rules_opts_t;

/* Fills OPTS with the defaults above. */
void dcp_rules_defaults (dcp_rules_opts_t *opts);

/* Checks SUB against every single-submission rule and appends findings.
 * Also checks what protobuf cannot: UTF-8 of every string, lengths, ranges,
 * status 0.  Returns 0 (the findings say whether it passed; see
 * dcp_findings_errors()), or DCP_ENOMEM. */
int dcp_rules_check (const Dcp__V1__Submission *sub, const dcp_rules_opts_t *opts,
                     dcp_findings_t *findings);

/* True if TEXT (LEN bytes) is valid UTF-8 without NUL or C0 controls other
 * than tab, CR and LF. */
bool dcp_rules_utf8_ok (const char *text, size_t len);

/* True if TEXT is a canonical lowercase or uppercase UUID (8-4-4-4-12 hex). */
bool dcp_rules_uuid_ok (const char *text);

#endif
