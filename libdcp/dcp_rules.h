/* dcp_rules.h: the validation rules of proto/QUESTIONNAIRE.md section 4.
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
    int current_year;                      /* year of "received_on"; 0 = the year of
                                  received_on below, else of the clock */
    int min_year_finflow;                  /* V-ENV-02, default 2008 */
    int min_year_precursor;                /* V-ENV-02, default 1990 */
    const char *aa_single_incident_max_kg; /* V-PRE-07, default "50000" */
    const char *aa_annual_total_max_kg;    /* V-PRE-07, default "500000" */
    size_t max_text_len;                   /* longest free text, default 10000 bytes */
    size_t max_rows;                       /* longest repeated list, default 100000 */
    const char *received_on;               /* V-ENV-05: "YYYY-MM-DD" the response arrived;
                                  NULL = today (UTC) when current_year is 0,
                                  else V-ENV-05 is skipped */
    const char *deadline_mmdd;             /* V-ENV-05: deadline "MM-DD" in the year after
                                  reporting_year, default "06-30" (Form D
                                  practice); NULL or "" = no deadline */
    bool offline;                          /* checked before sending (the collector): the
                                  V-ENV-05 note then says the deadline has
                                  passed, not "received" nor "accepted" */
} dcp_rules_opts_t;

/* Fills OPTS with the defaults above.  Always set fields through this
 * first: fields may be added at the end. */
void dcp_rules_defaults (dcp_rules_opts_t *opts);

/* Checks SUB against every single-submission rule and appends findings.
 * Also checks what protobuf cannot: UTF-8 of every string, lengths, ranges,
 * status 0.  OPTS may be NULL (defaults).  The rule ids and the envelope /
 * wire ids (ENV-*, REQUIRED, CODE-UNKNOWN, DATE-*, TEXT-*, ...) are listed
 * at the top of dcp_rules.c.  Returns 0 (the findings say whether it
 * passed; see dcp_findings_errors()), DCP_EINVAL if SUB or FINDINGS is
 * NULL, DCP_ENOMEM, or the error of dcp_refdata_load(). */
int dcp_rules_check (const Dcp__V1__Submission *sub, const dcp_rules_opts_t *opts,
                     dcp_findings_t *findings);

#endif
