/* cmd.c: the collector's commands that run once and exit (see cmd.h). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "dcp_err.h"
#include "dcp_i18n.h"
#include "dcp_log.h"
#include "dcp_util.h"
#include "intake.h"
#include "report.h"
#include "show.h"
#include "template.h"
#include "xlsxwrite.h"

int
cmd_check (collector_t *c, int argc, char **argv)
{
    size_t bad = 0;
    if (argc == 0) {
        fprintf (stderr, _ ("collector check: name at least one file\n"));
        return 2;
    }
    for (int i = 0; i < argc; i++) {
        dcp_findings_t *findings = dcp_findings_new ();
        if (!findings)
            return 1;
        intake_t in;
        int rc = intake_read (c, argv[i], findings, &in);
        if (rc && dcp_findings_count (findings) == 0)
            fprintf (stdout, _ ("%s: could not read: %s\n"), argv[i], strerror (errno));
        if (report_findings (stdout, argv[i], findings) || rc)
            bad++;
        intake_free (&in);
        dcp_findings_destroy (&findings);
    }
    return bad ? 1 : 0;
}

int
cmd_submit (collector_t *c, int argc, char **argv)
{
    size_t failed = 0, waiting = 0;
    char (*ids)[40] = calloc ((size_t) argc + 1, sizeof *ids);
    if (argc == 0 || !ids) {
        fprintf (stderr, _ ("collector submit: name at least one file\n"));
        free (ids);
        return 2;
    }
    if (collector_open (c, true))
        goto fail;
    for (int i = 0; i < argc; i++) {
        outbox_state_t st;
        if (intake_take (c, argv[i], ids[i], &st, stdout)) {
            failed++;
            ids[i][0] = '\0';
            continue;
        }
        if (st == OUTBOX_PENDING)
            waiting++; /* intake_take queued it */
        else if (show_receipt_again (c, argv[i], ids[i], stdout) == OUTBOX_REJECTED)
            failed++; /* answered earlier: its receipt, labelled with the file sent then */
    }
    if (outbox_sync (c->outbox)) {
        fprintf (stderr, _ ("collector: could not sync the outbox %s: %s\n"), c->cfg.outbox,
                 strerror (errno));
        goto fail;
    }
    collector_wait_receipts (c);
    failed += c->rejected;
    size_t still = 0;
    for (int i = 0; i < argc; i++)
        if (ids[i][0] && outbox_state (c->outbox, ids[i]) == OUTBOX_PENDING) {
            still++;
            printf (
                _ ("%s: no receipt yet; it is safe in the outbox (%s) and will be sent by the next "
                   "`collector submit` or `collector run`\n"),
                argv[i], c->cfg.outbox);
        }
    collector_close (c);
    free (ids);
    return (failed || still) ? 1 : 0;
fail:
    collector_close (c);
    free (ids);
    return 1;
}

/* take: check and keep in the outbox, nothing is sent (no network, no
 * keys needed); `collector send` or `collector run` sends them later, in
 * the order given here. */
int
cmd_take (collector_t *c, int argc, char **argv)
{
    size_t failed = 0;
    if (argc == 0) {
        fprintf (stderr, _ ("collector take: name at least one file\n"));
        return 2;
    }
    if (collector_open (c, false))
        return 1;
    int64_t start = dcp_now_ms ();
    for (int i = 0; i < argc; i++) {
        char id[40];
        outbox_state_t st;
        if (intake_take (c, argv[i], id, &st, stdout))
            failed++;
        else if (st == OUTBOX_PENDING)
            printf (_ ("%s: kept in the outbox as %s, not sent yet\n"), argv[i], id);
        else
            printf (_ ("%s: already answered as %s (collector status)\n"), argv[i], id);
    }
    if (outbox_sync (c->outbox)) {
        fprintf (stderr, _ ("collector: could not sync the outbox %s: %s\n"), c->cfg.outbox,
                 strerror (errno));
        failed = (size_t) argc;
    }
    dcp_info ("took files into outbox", "files=%d failed=%zu ms=%lld", argc, failed,
              (long long) (dcp_now_ms () - start));
    collector_close (c);
    return failed ? 1 : 0;
}

/* send: sends every pending entry of the outbox, oldest first, and waits
 * for the receipts.  Exits 0 only when all of them were accepted. */
int
cmd_send (collector_t *c, int argc, char **argv)
{
    (void) argv;
    if (argc) {
        fprintf (stderr, _ ("collector send: takes no files (use take or submit)\n"));
        return 2;
    }
    if (collector_open (c, true)) {
        collector_close (c);
        return 1;
    }
    outbox_each (c->outbox, OUTBOX_PENDING, collector_queue_pending, c->sender);
    collector_wait_receipts (c);
    size_t still = sender_outstanding (c->sender);
    if (still)
        printf (_ ("%zu submission(s) without a receipt yet; they are safe in the outbox (%s) and "
                   "will be sent by the next `collector send`, `submit` or `run`\n"),
                still, c->cfg.outbox);
    int rc = (c->rejected || still) ? 1 : 0;
    collector_close (c);
    return rc;
}

int
cmd_keygen (collector_t *c, int argc, char **argv)
{
    (void) c;
    if (argc != 1) {
        fprintf (stderr, _ ("collector keygen: usage: collector keygen PATH\n"));
        return 2;
    }
    dcp_keypair_t kp;
    if (dcp_keys_generate (argv[0], &kp)) {
        fprintf (stderr, _ ("collector keygen: could not write \"%s\": %s\n"), argv[0],
                 strerror (errno));
        return 1;
    }
    printf (_ ("wrote %s (secret, keep it here) and %s.pub (public key %s)\n"), argv[0], argv[0],
            kp.public_key);
    memset (&kp, 0, sizeof kp);
    return 0;
}

/* template KIND FILE.xlsx: the workbook instead of the JSON skeleton. */
static int
s_template_workbook (collector_t *c, const char *kind, const char *path)
{
    int rc = xlsxwrite_template (path, kind, c->cfg.country, template_reporting_year (time (NULL)));
    if (rc == DCP_EINVAL) {
        fprintf (stderr, _ ("collector template: KIND is financial_flows or precursors\n"));
        return 2;
    }
    if (rc) {
        fprintf (stderr, _ ("collector template: could not write \"%s\": %s\n"), path,
                 dcp_strerror (rc));
        return 1;
    }
    printf (_ ("wrote %s: fill it in, then `collector check %s`\n"), path, path);
    return 0;
}

int
cmd_template (collector_t *c, int argc, char **argv)
{
    if (argc == 2)
        return s_template_workbook (c, argv[0], argv[1]);
    char *t = argc == 1 ? template_text (argv[0], template_reporting_year (time (NULL))) : NULL;
    if (!t) {
        fprintf (stderr, _ ("collector template: KIND is financial_flows or precursors\n"));
        return 2;
    }
    fputs (t, stdout);
    free (t);
    return 0;
}
