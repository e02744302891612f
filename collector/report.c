/* report.c: plain-words receipts (see report.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcp_i18n.h"
#include "report.h"

static const char *
s_sev (Dcp__V1__Severity sev)
{
    switch (sev) {
    case DCP__V1__SEVERITY__SEVERITY_ERROR: return N_ ("error");
    case DCP__V1__SEVERITY__SEVERITY_WARNING: return N_ ("warning");
    case DCP__V1__SEVERITY__SEVERITY_INFO: return N_ ("info");
    default: return N_ ("problem");
    }
}

/* Writes one problem; control characters from the wire are replaced so a
 * hostile message cannot drive the terminal.  SEV (the English word) and
 * MESSAGE are translated here: a validator's message is English, and one
 * without numbers in it matches its msgid in the catalog; the collector's
 * own findings were translated when they were formatted. */
static void
s_problem (FILE *f, const char *sev, const char *code, const char *path, const char *message)
{
    /* padded to 7 characters, not bytes: a translated word may not be ASCII */
    const char *word = _ (sev);
    int chars = 0;
    for (const char *p = word; *p; p++)
        chars += ((unsigned char) *p & 0xC0) != 0x80;
    fprintf (f, "  %s%*s %s%s%s: ", word, chars < 7 ? 7 - chars : 0, "", code,
             path && path[0] ? _ (" at ") : "", path ? path : "");
    if (message && *message)
        message = _ (message);
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
        fprintf (f, _ ("%s: ACCEPTED as submission %s (stored %s)%s\n"), source, r->submission_id,
                 r->stored_at,
                 r->replayed ? _ ("; it had been stored before, nothing new was written") : "");
        if (r->current_submission_id && r->current_submission_id[0]
            && strcmp (r->current_submission_id, r->submission_id) != 0)
            fprintf (f, _ ("  note: the current revision for this country and year is %s\n"),
                     r->current_submission_id);
        if (r->n_problems)
            fprintf (f,
                     dcp_i18n_ntext ("  %zu note for review:\n", "  %zu notes for review:\n",
                                     r->n_problems),
                     r->n_problems);
        break;
    case DCP__V1__RECEIPT_STATUS__RECEIPT_REJECTED:
        fprintf (f,
                 dcp_i18n_ntext ("%s: REJECTED submission %s: %zu error (kept for review; fix "
                                 "the file and submit it again)\n",
                                 "%s: REJECTED submission %s: %zu errors (kept for review; fix "
                                 "the file and submit it again)\n",
                                 errors),
                 source, r->submission_id, errors);
        break;
    case DCP__V1__RECEIPT_STATUS__RECEIPT_CONFLICT:
        fprintf (f,
                 _ ("%s: CONFLICT: submission id %s was already used for different content; "
                    "nothing was changed\n"),
                 source, r->submission_id);
        break;
    default:
        fprintf (f, _ ("%s: not stored yet (%s); it stays in the outbox and will be sent again\n"),
                 source, r->submission_id);
        break;
    }
    for (size_t i = 0; i < r->n_problems; i++)
        s_problem (f, s_sev (r->problems[i]->severity), r->problems[i]->code, r->problems[i]->path,
                   r->problems[i]->message);
    fclose (f);
    return text;
}

size_t
report_findings (FILE *out, const char *source, const dcp_findings_t *findings)
{
    size_t n = dcp_findings_count (findings), errors = dcp_findings_errors (findings);
    if (errors) {
        /* two counts, two plural choices: the sentence is made of two */
        char notes[128];
        snprintf (notes, sizeof notes,
                  dcp_i18n_ntext ("%zu other note", "%zu other notes", n - errors), n - errors);
        fprintf (out, dcp_i18n_ntext ("%s: %zu error, %s\n", "%s: %zu errors, %s\n", errors),
                 source, errors, notes);
    } else
        fprintf (out, _ ("%s: OK%s\n"), source, n ? _ (", with notes:") : "");
    for (size_t i = 0; i < n; i++) {
        const dcp_finding_t *f = dcp_findings_get (findings, i);
        s_problem (out, dcp_severity_name (f->severity), f->rule, f->path, f->message);
    }
    return errors;
}
