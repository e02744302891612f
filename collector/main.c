/* collector: the focal point's tool.  Checks response files offline with the
 * validator's own rules, keeps them in a durable outbox, sends them, retries
 * until a final receipt arrives, and shows that receipt in plain words.
 *
 *   collector check FILE...      offline check, nothing is sent
 *   collector submit FILE...     take into the outbox, send, wait for receipts
 *   collector take FILE...       take into the outbox only (send later)
 *   collector send               send what is pending, wait for receipts
 *   collector run                agent: watch the inbox folder, send forever
 *   collector status             what is pending, accepted, rejected (and why)
 *   collector keygen PATH        make a CURVE key pair
 *   collector template KIND      print an empty starting file
 */
#define _GNU_SOURCE /* open_memstream */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dcp_codec.h"
#include "dcp_config.h"
#include "dcp_err.h"
#include "dcp_findings.h"
#include "dcp_http.h"
#include "dcp_metrics.h"
#include "dcp_keys.h"
#include "dcp_log.h"
#include "dcp_signal.h"
#include "dcp_rules.h"
#include "dcp_util.h"
#include "jsonread.h"
#include "outbox.h"
#include "report.h"
#include "sender.h"
#include "template.h"

typedef struct {
    char endpoint[1024];
    char key_file[512];
    char validator_public_key[512];
    bool insecure;
    char outbox[512];
    char inbox[512];
    long window;
    long timeout_ms;
    long backoff_min_ms;
    long backoff_max_ms;
    long wait_s;
    long max_file;
    long hwm;
    long scan_ms;
    bool send_invalid;
    char log_level[16];
    char metrics[64];
} collector_cfg_t;

#define OPT(name, type, def, field, help) \
    {name, type, def, offsetof (collector_cfg_t, field), sizeof (((collector_cfg_t *) 0)->field), help}
static const dcp_cfg_option_t s_options[] = {
    OPT ("endpoint", DCP_CFG_STR, "tcp://127.0.0.1:7601", endpoint, "validator endpoint(s), comma-separated; submissions are spread over them"),
    OPT ("key_file", DCP_CFG_STR, "/etc/dcp/collector.key", key_file,
         "this focal point's CURVE key pair (collector keygen)"),
    OPT ("validator_public_key", DCP_CFG_STR, "/etc/dcp/validator.key.pub", validator_public_key,
         "public key file of the validator"),
    OPT ("insecure", DCP_CFG_BOOL, "false", insecure, "development only: plain TCP, no CURVE"),
    OPT ("outbox", DCP_CFG_STR, "/var/lib/dcp-collector/outbox", outbox,
         "durable outbox folder (pending, accepted, rejected)"),
    OPT ("inbox", DCP_CFG_STR, "/var/lib/dcp-collector/inbox", inbox,
         "folder that `collector run` watches for new response files"),
    OPT ("window", DCP_CFG_INT, "64", window, "submissions in flight at once"),
    OPT ("timeout_ms", DCP_CFG_INT, "15000", timeout_ms,
         "wait this long for a receipt before reconnecting and resending"),
    OPT ("backoff_min_ms", DCP_CFG_INT, "500", backoff_min_ms, "first retry delay"),
    OPT ("backoff_max_ms", DCP_CFG_INT, "60000", backoff_max_ms, "longest retry delay"),
    OPT ("wait_s", DCP_CFG_INT, "120", wait_s,
         "submit: give up waiting after this many seconds (0 = forever); the outbox keeps the rest"),
    OPT ("max_file", DCP_CFG_INT, "67108864", max_file, "largest response file, bytes"),
    OPT ("hwm", DCP_CFG_INT, "1000", hwm, "socket queue bound, messages"),
    OPT ("scan_ms", DCP_CFG_INT, "1000", scan_ms, "run: how often to look into the inbox"),
    OPT ("send_invalid", DCP_CFG_BOOL, "false", send_invalid,
         "submit files that fail the offline check anyway (they are stored as rejected)"),
    OPT ("log_level", DCP_CFG_STR, "warn", log_level, "debug, info, warn or error"),
    OPT ("metrics", DCP_CFG_STR, "", metrics,
         "run: address for /metrics, /healthz, /readyz, e.g. 127.0.0.1:9103 (empty = off)"),
    {NULL, 0, NULL, 0, 0, NULL},
};

typedef struct {
    collector_cfg_t cfg;
    dcp_rules_opts_t rules;
    dcp_keypair_t keys, validator;
    void *ctx;
    outbox_t *outbox;
    sender_t *sender;
    size_t accepted, rejected;
} collector_t;

/* Reads and checks one file.  Returns the Submission (caller frees) with
 * its findings in FINDINGS, or NULL if it could not be read at all. */
static Dcp__V1__Submission *
s_read_checked (collector_t *c, const char *path, dcp_findings_t *findings)
{
    Dcp__V1__Submission *sub = jsonread_file (path, findings, NULL);
    if (!sub)
        return NULL;
    if (!sub->submission_id[0]) {
        /* No id in the file: derive it from the content so that taking the
         * same response twice is one submission, not two.  The content is
         * the encoded response (id still empty), not the file, so that a
         * change in a CSV file the JSON names makes a new id too. */
        size_t len;
        uint8_t *packed = dcp_codec_pack (sub, &len);
        char id[40];
        if (!packed) {
            dcp_codec_free (&sub);
            return NULL;
        }
        outbox_id_from_content (packed, len, id);
        free (packed);
        if (sub->submission_id != protobuf_c_empty_string)
            free (sub->submission_id);
        sub->submission_id = strdup (id);
        if (!sub->submission_id) {
            sub->submission_id = (char *) protobuf_c_empty_string;
            dcp_codec_free (&sub);
            return NULL;
        }
    }
    if (sub->schema_version == 0)
        sub->schema_version = DCP_SCHEMA_VERSION;
    if (dcp_rules_check (sub, &c->rules, findings)) {
        dcp_codec_free (&sub);
        return NULL;
    }
    return sub;
}

static int
s_cmd_check (collector_t *c, int argc, char **argv)
{
    size_t bad = 0;
    if (argc == 0) {
        fprintf (stderr, "collector check: name at least one file\n");
        return 2;
    }
    for (int i = 0; i < argc; i++) {
        dcp_findings_t *findings = dcp_findings_new ();
        if (!findings)
            return 1;
        Dcp__V1__Submission *sub = s_read_checked (c, argv[i], findings);
        if (!sub && dcp_findings_count (findings) == 0)
            fprintf (stdout, "%s: could not read: %s\n", argv[i], strerror (errno));
        if (report_findings (stdout, argv[i], findings) || !sub)
            bad++;
        dcp_codec_free (&sub);
        dcp_findings_destroy (&findings);
    }
    return bad ? 1 : 0;
}

static int
s_open (collector_t *c, bool need_sender)
{
    char err[512];
    c->outbox = outbox_new (c->cfg.outbox);
    if (!c->outbox) {
        fprintf (stderr, "collector: could not open outbox \"%s\": %s\n", c->cfg.outbox,
                 strerror (errno));
        return 1;
    }
    if (!need_sender)
        return 0;
    if (!c->cfg.insecure) {
        if (dcp_keys_load (c->cfg.key_file, &c->keys, err, sizeof err)
            || dcp_keys_load (c->cfg.validator_public_key, &c->validator, err, sizeof err)) {
            fprintf (stderr, "collector: %s\n", err);
            return 1;
        }
        if (!c->keys.secret_key[0]) {
            fprintf (stderr, "collector: key file \"%s\" has no secret key\n", c->cfg.key_file);
            return 1;
        }
    }
    c->ctx = zmq_ctx_new ();
    sender_opts_t so = {
        .endpoint = c->cfg.endpoint,
        .keys = c->cfg.insecure ? NULL : &c->keys,
        .server_key = c->cfg.insecure ? NULL : c->validator.public_key,
        .window = (size_t) c->cfg.window,
        .timeout_ms = c->cfg.timeout_ms,
        .backoff_min_ms = c->cfg.backoff_min_ms,
        .backoff_max_ms = c->cfg.backoff_max_ms,
        .wire = {(int) c->cfg.hwm, c->cfg.max_file + 4096, 0},
    };
    c->sender = c->ctx ? sender_new (c->ctx, c->outbox, &so) : NULL;
    if (!c->sender) {
        fprintf (stderr, "collector: could not set up connection to %s\n", c->cfg.endpoint);
        return 1;
    }
    return 0;
}

static void
s_close (collector_t *c)
{
    sender_destroy (&c->sender);
    outbox_destroy (&c->outbox);
    if (c->ctx)
        zmq_ctx_term (c->ctx);
    c->ctx = NULL;
    memset (&c->keys, 0, sizeof c->keys);
}

/* Takes PATH into the outbox.  Returns 0 and the id (37 bytes) or 1. */
static int
s_take (collector_t *c, const char *path, char *id, outbox_state_t *state, FILE *out)
{
    dcp_findings_t *findings = dcp_findings_new ();
    Dcp__V1__Submission *sub = NULL;
    char *content = NULL;
    size_t len = 0;
    int rc = 1;
    if (!findings)
        return 1;
    sub = s_read_checked (c, path, findings);
    if (!sub || (dcp_findings_errors (findings) && !c->cfg.send_invalid)) {
        if (!sub && dcp_findings_count (findings) == 0)
            fprintf (out, "%s: could not read: %s\n", path, strerror (errno));
        report_findings (out, path, findings);
        fprintf (out, "%s: not sent: fix the errors above and submit again\n", path);
        goto cleanup;
    }
    content = dcp_read_file (path, (size_t) c->cfg.max_file, &len);
    if (!content)
        goto cleanup;
    if (outbox_take (c->outbox, sub, path, content, len, state)) {
        fprintf (out, "%s: could not store in the outbox %s: %s\n", path, c->cfg.outbox,
                 strerror (errno));
        goto cleanup;
    }
    snprintf (id, 40, "%s", sub->submission_id);
    rc = 0;
cleanup:
    free (content);
    dcp_codec_free (&sub);
    dcp_findings_destroy (&findings);
    return rc;
}

/* The stored receipt of entry ID in words (caller frees); NULL if it has
 * none or it does not decode. */
static char *
s_receipt_text (collector_t *c, const char *id)
{
    size_t len = 0;
    uint8_t *bytes = outbox_receipt (c->outbox, id, &len);
    if (!bytes)
        return NULL;
    Dcp__V1__Receipt *r = dcp__v1__receipt__unpack (NULL, len, bytes);
    free (bytes);
    if (!r)
        return NULL;
    char *source = outbox_read (c->outbox, id, "source");
    char *text = report_receipt (source ? source : id, r);
    free (source);
    dcp__v1__receipt__free_unpacked (r, NULL);
    return text;
}

static void
s_print_receipt (const char *id, const Dcp__V1__Receipt *r, const char *text, void *arg)
{
    collector_t *c = arg;
    (void) id;
    if (r->status == DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED)
        c->accepted++;
    else
        c->rejected++;
    fputs (text, stdout);
    fflush (stdout);
}

/* Sends until every queued submission has a final receipt, the wait_s
 * limit passes or a signal arrives.  Logs (info) when sending starts and
 * when it ends, with the counts: `collector send` is also how the
 * benchmark (tests/bench) times the pipeline from first send to last
 * receipt. */
static void
s_wait_receipts (collector_t *c)
{
    size_t queued = sender_outstanding (c->sender);
    int64_t start = dcp_now_ms ();
    int64_t deadline = c->cfg.wait_s > 0 ? start + c->cfg.wait_s * 1000 : INT64_MAX;
    dcp_info ("sending", "submissions=%zu", queued);
    while (!dcp_signal_stop && sender_outstanding (c->sender) > 0 && dcp_now_ms () < deadline)
        if (sender_poll (c->sender, 200, s_print_receipt, c))
            break;
    const sender_stats_t *st = sender_stats (c->sender);
    dcp_info ("sending done", "submissions=%zu accepted=%zu rejected=%zu pending=%zu resent=%lu "
              "ms=%lld",
              queued, c->accepted, c->rejected, sender_outstanding (c->sender), st->resent,
              (long long) (dcp_now_ms () - start));
}

static int
s_cmd_submit (collector_t *c, int argc, char **argv)
{
    size_t failed = 0, waiting = 0;
    char (*ids)[40] = calloc ((size_t) argc + 1, sizeof *ids);
    if (argc == 0 || !ids) {
        fprintf (stderr, "collector submit: name at least one file\n");
        free (ids);
        return 2;
    }
    if (s_open (c, true))
        goto fail;
    for (int i = 0; i < argc; i++) {
        outbox_state_t st;
        if (s_take (c, argv[i], ids[i], &st, stdout)) {
            failed++;
            ids[i][0] = '\0';
            continue;
        }
        if (st == OUTBOX_PENDING) {
            sender_add (c->sender, ids[i]);
            waiting++;
        }
        else {
            /* Already answered earlier: show that receipt again. */
            char *text = s_receipt_text (c, ids[i]);
            fputs (text ? text : "(receipt missing)\n", stdout);
            free (text);
            if (st == OUTBOX_REJECTED)
                failed++;
        }
    }
    if (outbox_sync (c->outbox)) {
        fprintf (stderr, "collector: could not sync the outbox %s: %s\n", c->cfg.outbox,
                 strerror (errno));
        goto fail;
    }
    s_wait_receipts (c);
    failed += c->rejected;
    size_t still = 0;
    for (int i = 0; i < argc; i++)
        if (ids[i][0] && outbox_state (c->outbox, ids[i]) == OUTBOX_PENDING) {
            still++;
            printf ("%s: no receipt yet; it is safe in the outbox (%s) and will be sent by the next "
                    "`collector submit` or `collector run`\n",
                    argv[i], c->cfg.outbox);
        }
    s_close (c);
    free (ids);
    return (failed || still) ? 1 : 0;
fail:
    s_close (c);
    free (ids);
    return 1;
}

static int
s_queue_pending (const char *id, void *arg)
{
    return sender_add (arg, id) != 0;
}

/* take: check and keep in the outbox, nothing is sent (no network, no
 * keys needed); `collector send` or `collector run` sends them later, in
 * the order given here. */
static int
s_cmd_take (collector_t *c, int argc, char **argv)
{
    size_t failed = 0;
    if (argc == 0) {
        fprintf (stderr, "collector take: name at least one file\n");
        return 2;
    }
    if (s_open (c, false))
        return 1;
    int64_t start = dcp_now_ms ();
    for (int i = 0; i < argc; i++) {
        char id[40];
        outbox_state_t st;
        if (s_take (c, argv[i], id, &st, stdout))
            failed++;
        else if (st == OUTBOX_PENDING)
            printf ("%s: kept in the outbox as %s, not sent yet\n", argv[i], id);
        else
            printf ("%s: already answered as %s (collector status)\n", argv[i], id);
    }
    if (outbox_sync (c->outbox)) {
        fprintf (stderr, "collector: could not sync the outbox %s: %s\n", c->cfg.outbox,
                 strerror (errno));
        failed = (size_t) argc;
    }
    dcp_info ("took files into outbox", "files=%d failed=%zu ms=%lld", argc, failed,
              (long long) (dcp_now_ms () - start));
    s_close (c);
    return failed ? 1 : 0;
}

/* send: sends every pending entry of the outbox, oldest first, and waits
 * for the receipts.  Exits 0 only when all of them were accepted. */
static int
s_cmd_send (collector_t *c)
{
    if (s_open (c, true)) {
        s_close (c);
        return 1;
    }
    outbox_each (c->outbox, OUTBOX_PENDING, s_queue_pending, c->sender);
    s_wait_receipts (c);
    size_t still = sender_outstanding (c->sender);
    if (still)
        printf ("%zu submission(s) without a receipt yet; they are safe in the outbox (%s) and "
                "will be sent by the next `collector send`, `submit` or `run`\n",
                still, c->cfg.outbox);
    int rc = (c->rejected || still) ? 1 : 0;
    s_close (c);
    return rc;
}

/* Takes every regular file of the inbox into the outbox, and removes it from
 * the inbox only once the outbox is synced: a crash in between leaves the
 * file in both places, and taking it again is harmless (same id). */
static void
s_scan_inbox (collector_t *c)
{
    DIR *d = opendir (c->cfg.inbox);
    struct dirent *e;
    char **taken = NULL;
    size_t n_taken = 0, cap = 0;
    if (!d)
        return;
    while ((e = readdir (d)) && n_taken < 10000) {
        char path[4096], id[40] = "";
        struct stat st;
        if (e->d_name[0] == '.')
            continue;  /* hidden, partial or set-aside files */
        snprintf (path, sizeof path, "%s/%s", c->cfg.inbox, e->d_name);
        if (stat (path, &st) != 0 || !S_ISREG (st.st_mode))
            continue;
        outbox_state_t state;
        char *report = NULL;
        size_t report_len = 0;
        FILE *out = open_memstream (&report, &report_len);
        if (!out)
            continue;
        int rc = s_take (c, path, id, &state, out);
        fclose (out);
        if (rc == 0) {
            if (state == OUTBOX_PENDING)
                sender_add (c->sender, id);
            if (n_taken == cap) {
                cap = cap ? cap * 2 : 64;
                char **t = realloc (taken, cap * sizeof *t);
                if (!t)
                    break;
                taken = t;
            }
            taken[n_taken] = strdup (path);
            if (taken[n_taken])
                n_taken++;
            dcp_info ("took file into outbox", "file=%s submission=%s", e->d_name, id);
        }
        else {
            /* Failed the offline check: set aside so it is not taken again
             * at every scan, with every problem written beside it. */
            char bad[4200], why[4300];
            snprintf (bad, sizeof bad, "%s/.invalid-%s", c->cfg.inbox, e->d_name);
            snprintf (why, sizeof why, "%s.problems.txt", bad);
            rename (path, bad);
            dcp_write_file_durable (why, report ? report : "", report ? report_len : 0);
            dcp_warn ("file failed the offline check; set aside with its problems",
                      "file=%s problems_file=%s", e->d_name,
                      dcp_log_quote ((char[600]) {0}, 600, why));
        }
        free (report);
    }
    closedir (d);
    if (n_taken && outbox_sync (c->outbox) == 0)
        for (size_t i = 0; i < n_taken; i++)
            unlink (taken[i]);
    for (size_t i = 0; i < n_taken; i++)
        free (taken[i]);
    free (taken);
}

static void
s_set (dcp_metrics_t *m, const char *name, const char *help, double value, bool gauge)
{
    double *cell = gauge ? dcp_metrics_gauge (m, name, help, NULL)
                         : dcp_metrics_counter (m, name, help, NULL);
    if (cell)
        *cell = value;
}

typedef struct {
    collector_t *c;
    dcp_metrics_t *metrics;
} s_agent_http_t;

static int
s_agent_http (const char *path, char **body, size_t *len, const char **type, void *arg)
{
    s_agent_http_t *h = arg;
    const sender_stats_t *st = sender_stats (h->c->sender);
    if (strcmp (path, "/metrics") == 0) {
        s_set (h->metrics, "dcp_collector_outstanding", "submissions in the outbox without a final receipt",
               (double) sender_outstanding (h->c->sender), true);
        s_set (h->metrics, "dcp_collector_sent_total", "sends, first attempts and resends",
               (double) st->sent, false);
        s_set (h->metrics, "dcp_collector_resent_total", "resends after a timeout or RETRY_LATER",
               (double) st->resent, false);
        s_set (h->metrics, "dcp_collector_accepted_total", "final receipts: accepted",
               (double) st->accepted, false);
        s_set (h->metrics, "dcp_collector_rejected_total", "final receipts: rejected or conflict",
               (double) st->rejected, false);
        s_set (h->metrics, "dcp_collector_retry_later_total", "RETRY_LATER answers",
               (double) st->retry_later, false);
        s_set (h->metrics, "dcp_collector_reconnects_total", "fresh sockets after a timeout",
               (double) st->reconnects, false);
        *body = dcp_metrics_render (h->metrics, len);
        *type = "text/plain; version=0.0.4; charset=utf-8";
        return *body ? 200 : 503;
    }
    if (strcmp (path, "/healthz") == 0 || strcmp (path, "/readyz") == 0) {
        *body = strdup ("ok\n");
        *len = 3;
        return 200;
    }
    return 404;
}

static int
s_cmd_run (collector_t *c)
{
    s_agent_http_t h = {c, NULL};
    dcp_http_t *http = NULL;
    if (s_open (c, true))
        return 1;
    if (dcp_mkdirs (c->cfg.inbox)) {
        fprintf (stderr, "collector: could not create inbox \"%s\": %s\n", c->cfg.inbox,
                 strerror (errno));
        s_close (c);
        return 1;
    }
    if (c->cfg.metrics[0]) {
        h.metrics = dcp_metrics_new ();
        http = h.metrics ? dcp_http_new (c->cfg.metrics, s_agent_http, &h) : NULL;
        if (!http) {
            fprintf (stderr, "collector: could not listen for metrics on %s: %s\n", c->cfg.metrics,
                     strerror (errno));
            dcp_metrics_destroy (&h.metrics);
            s_close (c);
            return 1;
        }
    }
    outbox_each (c->outbox, OUTBOX_PENDING, s_queue_pending, c->sender);
    dcp_info ("collector agent ready", "inbox=%s outbox=%s pending=%zu", c->cfg.inbox,
              c->cfg.outbox, sender_outstanding (c->sender));
    dcp_sd_notify ("READY=1");
    int64_t next_scan = 0;
    while (!dcp_signal_stop) {
        if (dcp_now_ms () >= next_scan) {
            s_scan_inbox (c);
            next_scan = dcp_now_ms () + c->cfg.scan_ms;
        }
        /* The sender waits at most 200 ms, so metrics answer within that. */
        if (sender_poll (c->sender, 200, s_print_receipt, c))
            break;
        if (http) {
            zmq_pollitem_t item = {NULL, dcp_http_fd (http), ZMQ_POLLIN, 0};
            if (zmq_poll (&item, 1, 0) > 0)
                dcp_http_serve (http);
        }
    }
    dcp_sd_notify ("STOPPING=1");
    dcp_info ("collector agent stopping", "pending=%zu", sender_outstanding (c->sender));
    dcp_http_destroy (&http);
    dcp_metrics_destroy (&h.metrics);
    s_close (c);
    return 0;
}

static int
s_print_entry (const char *id, void *arg)
{
    collector_t *c = ((void **) arg)[0];
    const char *what = ((void **) arg)[1];
    char *source = outbox_read (c->outbox, id, "source");
    if (strcmp (what, "pending") == 0)
        printf ("pending   %s  %s\n", id, source ? source : "");
    else {
        char *text = s_receipt_text (c, id);
        printf ("%-9s %s  %s\n", what, id, source ? source : "");
        if (text && strcmp (what, "rejected") == 0)
            for (char *line = strchr (text, '\n'); line && line[1]; line = strchr (line + 1, '\n')) {
                char *end = strchr (line + 1, '\n');
                printf ("          %.*s\n", (int) (end ? end - line - 1 : (long) strlen (line + 1)),
                        line + 1);
            }
        free (text);
    }
    free (source);
    return 0;
}

static int
s_cmd_status (collector_t *c)
{
    if (s_open (c, false))
        return 1;
    printf ("outbox %s\n", c->cfg.outbox);
    const char *names[] = {"pending", "accepted", "rejected"};
    outbox_state_t states[] = {OUTBOX_PENDING, OUTBOX_ACCEPTED, OUTBOX_REJECTED};
    for (int i = 0; i < 3; i++) {
        void *arg[2] = {c, (void *) names[i]};
        outbox_each (c->outbox, states[i], s_print_entry, arg);
    }
    s_close (c);
    return 0;
}

static void
s_usage (void)
{
    printf ("usage: collector [--config FILE] [--NAME=VALUE ...] COMMAND [ARGS]\n\n"
            "commands:\n"
            "  check FILE...      check response files offline; nothing is sent\n"
            "  submit FILE...     check, keep in the outbox, send, and show the receipts;\n"
            "                     exits 0 only when every file was accepted\n"
            "  take FILE...       check and keep in the outbox without sending\n"
            "  send               send what is pending in the outbox and show the receipts;\n"
            "                     exits 0 only when every one was accepted\n"
            "  run                agent: take files dropped into the inbox and send them,\n"
            "                     retrying until each has a receipt (SIGTERM stops it)\n"
            "  status             list pending, accepted and rejected submissions\n"
            "  keygen PATH        write a CURVE key pair to PATH (secret, 0600) and PATH.pub\n"
            "  template KIND      print an empty response file (financial_flows, precursors)\n\n"
            "Response files are JSON (see collector/FORMAT.md); long tables may be CSV.\n\n");
    dcp_config_help (s_options, "COLLECTOR", stdout);
}

int
main (int argc, char **argv)
{
    collector_t c;
    int first = 0;
    memset (&c, 0, sizeof c);
    int prc = dcp_config_main (s_options, &c.cfg, "collector", "/etc/dcp/collector.conf", argc, argv,
                               &first, s_usage);
    if (prc >= 0)
        return prc;
    dcp_rules_defaults (&c.rules);
    if (first >= argc) {
        s_usage ();
        return 2;
    }
    dcp_signal_install ();

    const char *cmd = argv[first];
    int nargs = argc - first - 1;
    char **args = argv + first + 1;
    if (strcmp (cmd, "check") == 0)
        return s_cmd_check (&c, nargs, args);
    if (strcmp (cmd, "submit") == 0)
        return s_cmd_submit (&c, nargs, args);
    if (strcmp (cmd, "take") == 0)
        return s_cmd_take (&c, nargs, args);
    if (strcmp (cmd, "send") == 0) {
        if (nargs) {
            fprintf (stderr, "collector send: takes no files (use take or submit)\n");
            return 2;
        }
        return s_cmd_send (&c);
    }
    if (strcmp (cmd, "run") == 0)
        return s_cmd_run (&c);
    if (strcmp (cmd, "status") == 0)
        return s_cmd_status (&c);
    if (strcmp (cmd, "keygen") == 0) {
        if (nargs != 1) {
            fprintf (stderr, "collector keygen: usage: collector keygen PATH\n");
            return 2;
        }
        dcp_keypair_t kp;
        if (dcp_keys_generate (args[0], &kp)) {
            fprintf (stderr, "collector keygen: could not write \"%s\": %s\n", args[0],
                     strerror (errno));
            return 1;
        }
        printf ("wrote %s (secret, keep it here) and %s.pub (public key %s)\n", args[0], args[0],
                kp.public_key);
        memset (&kp, 0, sizeof kp);
        return 0;
    }
    if (strcmp (cmd, "template") == 0) {
        char *t = nargs == 1 ? template_text (args[0], template_reporting_year (time (NULL)))
                             : NULL;
        if (!t) {
            fprintf (stderr, "collector template: KIND is financial_flows or precursors\n");
            return 2;
        }
        fputs (t, stdout);
        free (t);
        return 0;
    }
    fprintf (stderr, "collector: unknown command \"%s\" (see collector --help)\n", cmd);
    return 2;
}
