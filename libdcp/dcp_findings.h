/* dcp_findings.h: the list of problems found in one submission.
 *
 * Every check (JSON reader, CSV reader, validation rules, the loader's
 * revision check) appends here rather than stopping at the first problem, so
 * a focal point sees all of them at once.  A finding has a stable rule id
 * ("V-ENV-01"), a severity, a JSON pointer into the partner's file and a
 * message in plain words.  The list maps one-to-one onto Receipt.problems. */
#ifndef DCP_FINDINGS_H
#define DCP_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "dcp_submission.pb-c.h"

typedef enum {
    DCP_SEV_ERROR = 1,   /* rejects the submission */
    DCP_SEV_WARNING = 2, /* stored with the data for review */
    DCP_SEV_INFO = 3,    /* annotation */
} dcp_severity_t;

typedef struct {
    char *rule; /* e.g. "V-GEN-05" */
    dcp_severity_t severity;
    char *path; /* JSON pointer, e.g. "/precursors/seizures/0/quantity/value";
                              in the collector, "FILE.csv:LINE:COLUMN" for a CSV cell */
    char *message;
} dcp_finding_t;

typedef struct dcp_findings_t dcp_findings_t;

/* Creates an empty list; NULL if out of memory. */
dcp_findings_t *dcp_findings_new (void);

/* Frees the list and its findings; idempotent; sets *self_p to NULL. */
void dcp_findings_destroy (dcp_findings_t **self_p);

/* Appends a finding.  PATH is copied; the message is printf-formatted.
 * Lists are capped (DCP_FINDINGS_MAX): past the cap one last finding
 * "TOO-MANY-PROBLEMS" is kept and later ones are counted, not stored.
 * Returns 0, or DCP_ENOMEM. */
int dcp_findings_add (dcp_findings_t *self, const char *rule, dcp_severity_t severity,
                      const char *path, const char *fmt, ...)
    __attribute__ ((format (printf, 5, 6)));

#define DCP_FINDINGS_MAX 1000

size_t dcp_findings_count (const dcp_findings_t *self);

/* Returns finding I (borrowed, valid until the list changes). */
const dcp_finding_t *dcp_findings_get (const dcp_findings_t *self, size_t i);

/* Keeps findings ORDER[0..N) (distinct indexes), in that order, and frees
 * the others: how a reader drops echoes and sorts findings into the order
 * of the file.  Returns 0 or DCP_ENOMEM (then SELF is unchanged). */
int dcp_findings_rearrange (dcp_findings_t *self, const size_t *order, size_t n);

/* Gives finding I the place PATH (copied) instead of its JSON pointer and
 * appends NOTE (copied, may be NULL) to its message.  Returns 0 or
 * DCP_ENOMEM (then the finding is unchanged). */
int dcp_findings_relocate (dcp_findings_t *self, size_t i, const char *path, const char *note);

/* Number of findings of severity ERROR. */
size_t dcp_findings_errors (const dcp_findings_t *self);

/* True if some finding has this rule id (tests use this). */
bool dcp_findings_has (const dcp_findings_t *self, const char *rule, const char *path);

/* Fills a protobuf Problem array for a Receipt/Forward.  The array and the
 * Problems point into SELF's strings: SELF must outlive them.  Free the
 * result with dcp_findings_free_problems().  Returns 0 or DCP_ENOMEM. */
int dcp_findings_to_problems (const dcp_findings_t *self, Dcp__V1__Problem ***problems_p,
                              size_t *n_p);
void dcp_findings_free_problems (Dcp__V1__Problem **problems, size_t n);

/* Appends the problems of a received Receipt/Forward to SELF (copies). */
int dcp_findings_from_problems (dcp_findings_t *self, Dcp__V1__Problem *const *problems, size_t n);

/* Lowercase name of a severity: "error", "warning", "info". */
const char *dcp_severity_name (dcp_severity_t severity);

#endif
