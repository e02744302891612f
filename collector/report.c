/* report.c: plain-words receipts (see report.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static const char *
s_sev (Dcp__V1__Severity sev)
{
    switch (sev) {
    case DCP__V1__SEVERITY__SEVERITY_ERROR:   return "error";
    case DCP__V1__SEVERITY__SEVERITY_WARNING: return "warning";
    case DCP__V1__SEVERITY__SEVERITY_INFO:    return "info";
    default:                                  return "problem";
    }
}

/* Writes one problem; control characters from the wire are replaced so a
 * hostile message cannot drive the terminal. */
static void
s_problem (FILE *f, const char *sev, const char *code, const char *path, const char *message)
{
    fprintf (f, "  %-7s %s%s%s: ", sev, code, path && path[0] ? " at " : "", path ? path : "");
    for (const char *p = message; p && *p; p++)
        fputc ((unsigned char) *p < 0x20 ? '?' : *p, f);
    fputc ('\n', f);
}

char *
report_receipt (const char *source, const Dcp__V1__Receipt *r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream (&text, &len);
    if (!f)
        return NULL;
    size_t errors = 0;
    for (size_t i = 0; i < r->n_problems; i++)
        errors += r->problems[i]->severity == DCP__V1__SEVERITY__SEVERITY_ERROR;
    switch (r->status) {
    case DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED:
        fprintf (f, "%s: ACCEPTED as submission %s (stored %s)%s\n", source, r->submission_id,
                 r->stored_at, r->replayed ? "; it had been stored before, nothing new was written" : "");
        if (r->current_submission_id && r->current_submission_id[0]
            && strcmp (r->current_submission_id, r->submission_id) != 0)
            fprintf (f, "  note: the current revision for this country and year is %s\n",
                     r->current_submission_id);
        if (r->n_problems)
            fprintf (f, "  %zu note%s for review:\n", r->n_problems, r->n_problems == 1 ? "" : "s");
        break;
    case DCP__V1__RECEIPT_STATUS__RECEIPT_REJECTED:
        fprintf (f, "%s: REJECTED submission %s: %zu error%s (kept for review; fix the file and "
                    "submit it again)\n",
                 source, r->submission_id, errors, errors == 1 ? "" : "s");
        break;
    case DCP__V1__RECEIPT_STATUS__RECEIPT_CONFLICT:
        fprintf (f, "%s: CONFLICT: submission id %s was already used for different content; "
                    "nothing was changed\n",
                 source, r->submission_id);
        break;
    default:
        fprintf (f, "%s: not stored yet (%s); it stays in the outbox and will be sent again\n",
                 source, r->submission_id);
        break;
    }
    for (size_t i = 0; i < r->n_problems; i++)
        s_problem (f, s_sev (r->problems[i]->severity), r->problems[i]->code,
                   r->problems[i]->path, r->problems[i]->message);
    fclose (f);
    return text;
}

size_t
report_findings (FILE *out, const char *source, const dcp_findings_t *findings)
{
    size_t n = dcp_findings_count (findings), errors = dcp_findings_errors (findings);
    if (errors)
        fprintf (out, "%s: %zu error%s, %zu other note%s\n", source, errors,
                 errors == 1 ? "" : "s", n - errors, n - errors == 1 ? "" : "s");
    else
        fprintf (out, "%s: OK%s\n", source, n ? ", with notes:" : "");
    for (size_t i = 0; i < n; i++) {
        const dcp_finding_t *f = dcp_findings_get (findings, i);
        s_problem (out, dcp_severity_name (f->severity), f->rule, f->path, f->message);
    }
    return errors;
}
