/* revise.c: refusing an edited file that kept its id, and `collector
 * revise` (see revise.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcp_i18n.h"
#include "dcp_refdata.h"
#include "history.h"
#include "intake.h"
#include "report.h"
#include "revise.h"
#include "show.h"

/* PATH as a shell word for a command to copy: quoted if it needs to be. */
static const char *
s_word (const char *path, char *buf, size_t size)
{
    bool plain = path[0] != '\0';
    for (const char *p = path; *p; p++)
        if (!isalnum ((unsigned char) *p) && !strchr ("._/-+,:=@%", *p))
            plain = false;
    if (plain || strchr (path, '\''))
        snprintf (buf, size, "%s", path);
    else
        snprintf (buf, size, "'%s'", path);
    return buf;
}

int
revise_refuse (collector_t *c, const char *path, const Dcp__V1__Submission *sub, char *id,
               outbox_state_t *state, FILE *out)
{
    history_t *h = history_new (c->outbox);
    const history_entry_t *old = h ? history_find (h, sub->submission_id) : NULL;
    const history_entry_t *same = h ? history_same_answers (h, sub) : NULL;
    char when[40], word[4200];
    int rc = 1;
    if (same && same->state != OUTBOX_REJECTED) {
        fprintf (out,
                 _ ("%s: these answers were sent before as revision %u, submission %s, on %s "
                    "from %s\n"),
                 path, same->revision_no, same->id,
                 history_time (same->taken_at, when, sizeof when), same->source);
        snprintf (id, 40, "%s", same->id);
        *state = same->state;
        if (same->state == OUTBOX_PENDING && c->sender)
            sender_add (c->sender, id);
        rc = 0;
        goto cleanup;
    }
    s_word (path, word, sizeof word);
    history_time (old ? old->taken_at : 0, when, sizeof when);
    if (old && old->state == OUTBOX_PENDING)
        fprintf (
            out,
            _ ("%s: refused: submission %s is already in the outbox with other content (taken "
               "%s from %s) and waits for its receipt; nothing was taken now\n"
               "  once it is answered (collector send), send this file as its correction with:\n"
               "    collector revise %s %s\n"),
            path, sub->submission_id, when, old->source, sub->submission_id, word);
    else if (old && old->state == OUTBOX_REJECTED)
        fprintf (out,
                 _ ("%s: refused: submission %s was already sent with other content on %s from %s "
                    "and rejected; nothing was sent now (a submission id names one content only)\n"
                    "  to send this file as the fixed response (it gets a new submission id):\n"
                    "    collector revise %s %s\n"),
                 path, sub->submission_id, when, old->source, sub->submission_id, word);
    else
        fprintf (out,
                 _ ("%s: refused: submission %s was already sent with other content on %s from %s "
                    "and accepted; nothing was sent now (a submission id names one content only)\n"
                    "  to send this file as a correction (the next revision):\n"
                    "    collector revise %s %s [--reason CORRECTION|LATE_DATA|DEFINITION_CHANGE|"
                    "OTHER]\n"),
                 path, sub->submission_id, when, old ? old->source : _ ("another file"),
                 sub->submission_id, word);
cleanup:
    history_destroy (&h);
    return rc;
}

/* TEXT as a revision_reason code ("late data" -> LATE_DATA) into CODE;
 * false if it is none. */
static bool
s_reason_code (const char *text, char *code, size_t size)
{
    size_t n = 0;
    for (const char *p = text; *p && n + 1 < size; p++)
        code[n++] = (*p == ' ' || *p == '-') ? '_' : (char) toupper ((unsigned char) *p);
    code[n] = '\0';
    return n > 0 && dcp_refdata_code_valid ("revision_reason", code);
}

/* The arguments: ID FILE [--reason CODE | --reason=CODE], in any order
 * after the command.  Returns 0, or 2 after saying what is wrong. */
static int
s_args (int argc, char **argv, const char **id, const char **file, const char **reason)
{
    const char *pos[2] = {NULL, NULL};
    int n = 0;
    *reason = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp (argv[i], "--reason") == 0 && i + 1 < argc)
            *reason = argv[++i];
        else if (strncmp (argv[i], "--reason=", 9) == 0)
            *reason = argv[i] + 9;
        else if (n < 2 && strncmp (argv[i], "--", 2) != 0)
            pos[n++] = argv[i];
        else
            n = 3;
    }
    if (n != 2) {
        fprintf (stderr, _ ("collector revise: usage: collector revise ID FILE [--reason CODE]\n"));
        return 2;
    }
    *id = pos[0];
    *file = pos[1];
    return 0;
}

/* What FILE becomes: the revision after the series' current one, or a new
 * first submission if none was accepted.  Fills REV (pointing into CUR and
 * REASON) and says nothing.  Returns 0, or 1 after telling why not. */
static int
s_plan (history_t *h, const char *id, const history_entry_t **cur, intake_revision_t *rev,
        const char *reason)
{
    char when[40];
    const history_entry_t *e = history_find (h, id);
    if (!e || !e->known) {
        fprintf (stderr,
                 _ ("collector revise: submission %s is not in this collector's outbox%s; revise "
                    "works from what this collector sent (collector status lists it). For a "
                    "submission sent from elsewhere, set revision_no, supersedes_submission_id and "
                    "revision_reason in the file, empty its submission_id and submit it\n"),
                 id, e ? _ (" in a form it can read") : "");
        return 1;
    }
    const history_entry_t *wait = e->state == OUTBOX_PENDING ? e : history_pending_in_series (h, e);
    if (wait) {
        fprintf (
            stderr,
            _ ("collector revise: submission %s of %s %s %d (taken %s from %s) still waits for "
               "its receipt, which decides what is current: run `collector send`, then revise "
               "again\n"),
            wait->id, wait->country, dcp_codec_kind_name (wait->questionnaire), wait->year,
            history_time (wait->taken_at, when, sizeof when), wait->source);
        return 1;
    }
    *cur = history_current (h, e);
    *rev = (intake_revision_t){0, "", ""};
    if (*cur)
        *rev = (intake_revision_t){(*cur)->revision_no + 1, (*cur)->id, reason};
    return 0;
}

/* Reads FILE as revision REV and checks it: refused when it is of another
 * series than the entry ID names, holds the answers of the current
 * revision CUR already, or fails the offline check.  Returns 0 with IN
 * filled, or 1 after saying why (IN is freed by the caller either way). */
static int
s_read (collector_t *c, history_t *h, const char *id, const char *file,
        const intake_revision_t *rev, const history_entry_t *cur, intake_t *in)
{
    const history_entry_t *e = history_find (h, id);
    dcp_findings_t *findings = dcp_findings_new ();
    char when[40];
    int rc = 1;
    if (!findings)
        return 1;
    int read_rc = intake_read_revision (c, file, rev, findings, in);
    if (read_rc == 0 && !history_in_series (e, in->sub)) {
        fprintf (stdout, _ ("%s: refused: it answers %s %s %d, submission %s answered %s %s %d\n"),
                 file, in->sub->reporting_country, dcp_codec_kind_name (in->sub->questionnaire),
                 (int) in->sub->reporting_year, e->id, e->country,
                 dcp_codec_kind_name (e->questionnaire), e->year);
        goto cleanup;
    }
    if (read_rc == 0 && cur && history_same_answers (h, in->sub) == cur) {
        fprintf (stdout,
                 _ ("%s: nothing to correct: revision %u, submission %s (sent %s from %s), "
                    "holds these answers already\n"),
                 file, cur->revision_no, cur->id, history_time (cur->taken_at, when, sizeof when),
                 cur->source);
        rc = 2; /* the caller shows that receipt */
        goto cleanup;
    }
    if (read_rc || (dcp_findings_errors (findings) && !c->cfg.send_invalid)) {
        report_findings (stdout, file, findings);
        fprintf (stdout, _ ("%s: not sent: fix the errors above and revise again\n"), file);
        goto cleanup;
    }
    rc = 0;
cleanup:
    dcp_findings_destroy (&findings);
    return rc;
}

int
cmd_revise (collector_t *c, int argc, char **argv)
{
    const char *id, *file, *reason_arg;
    char reason[64] = "", newid[40] = "";
    const history_entry_t *cur = NULL;
    intake_revision_t rev;
    intake_t in;
    history_t *h = NULL;
    int rc = 1;
    memset (&in, 0, sizeof in);
    if (s_args (argc, argv, &id, &file, &reason_arg))
        return 2;
    if (reason_arg && !s_reason_code (reason_arg, reason, sizeof reason)) {
        fprintf (stderr, _ ("collector revise: --reason is one of %s (got \"%s\")\n"),
                 dcp_refdata_code_list ("revision_reason"), reason_arg);
        return 2;
    }
    if (collector_open (c, true))
        goto cleanup;
    h = history_new (c->outbox);
    if (!h) {
        fprintf (stderr, _ ("collector revise: could not read the outbox %s\n"), c->cfg.outbox);
        goto cleanup;
    }
    bool defaulted = !reason[0];
    if (defaulted)
        snprintf (reason, sizeof reason, "CORRECTION");
    if (s_plan (h, id, &cur, &rev, reason))
        goto cleanup;
    int read_rc = s_read (c, h, id, file, &rev, cur, &in);
    if (read_rc == 2) {
        show_receipt_again (c, file, cur->id, stdout);
        rc = 0;
        goto cleanup;
    }
    if (read_rc)
        goto cleanup;
    outbox_state_t st;
    if (intake_store (c, file, &in, newid, &st, stdout))
        goto cleanup;
    if (cur)
        printf (_ ("%s: revision %u of %s %s %d as submission %s (supersedes %s, reason %s%s)\n"),
                file, rev.revision_no, cur->country, dcp_codec_kind_name (cur->questionnaire),
                cur->year, newid, cur->id, reason,
                defaulted ? _ (", the default: --reason says otherwise") : "");
    else
        printf (_ ("%s: nothing of %s %s %d was accepted yet, so this file is sent as a new first "
                   "submission, %s\n"),
                file, in.sub->reporting_country, dcp_codec_kind_name (in.sub->questionnaire),
                (int) in.sub->reporting_year, newid);
    if (st != OUTBOX_PENDING) {
        rc = show_receipt_again (c, file, newid, stdout) == OUTBOX_ACCEPTED ? 0 : 1;
        goto cleanup;
    }
    if (outbox_sync (c->outbox)) {
        fprintf (stderr, _ ("collector: could not sync the outbox %s\n"), c->cfg.outbox);
        goto cleanup;
    }
    collector_wait_receipts (c);
    if (outbox_state (c->outbox, newid) == OUTBOX_PENDING)
        printf (_ ("%s: no receipt yet; it is safe in the outbox (%s) and will be sent by the next "
                   "`collector send`, `submit` or `run`\n"),
                file, c->cfg.outbox);
    rc = outbox_state (c->outbox, newid) == OUTBOX_ACCEPTED ? 0 : 1;
cleanup:
    intake_free (&in);
    history_destroy (&h);
    collector_close (c);
    return rc;
}
