/* collector.c: the collector's context, configuration and receipt display
 * (see collector.h). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector.h"
#include "dcp_err.h"
#include "dcp_i18n.h"
#include "dcp_log.h"
#include "dcp_signal.h"
#include "dcp_util.h"
#include "report.h"

#define OPT(...) DCP_CFG_OPT (collector_cfg_t, __VA_ARGS__)
const dcp_cfg_option_t collector_options[] = {
    OPT ("endpoint", DCP_CFG_STR, "tcp://127.0.0.1:7601", endpoint,
         "validator endpoint(s), comma-separated; submissions are spread over them"),
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
         "submit: give up waiting after this many seconds (0 = forever; a key the validator "
         "refuses ends the wait after 5 s); the outbox keeps the rest"),
    OPT ("max_file", DCP_CFG_INT, "67108864", max_file, "largest response file, bytes"),
    OPT ("hwm", DCP_CFG_INT, "1000", hwm, "socket queue bound, messages"),
    OPT ("scan_ms", DCP_CFG_INT, "1000", scan_ms, "run: how often to look into the inbox"),
    OPT ("send_invalid", DCP_CFG_BOOL, "false", send_invalid,
         "submit files that fail the offline check anyway (they are stored as rejected)"),
    OPT ("log_level", DCP_CFG_STR, "warn", log_level, "debug, info, warn or error"),
    OPT ("metrics", DCP_CFG_STR, "", metrics,
         "run: address for /metrics, /healthz, /readyz, e.g. 127.0.0.1:9103 (empty = off)"),
    OPT ("country", DCP_CFG_STR, "", country,
         "this focal point's country (ISO3); prefills the reporting country of new workbooks"),
    OPT ("lang", DCP_CFG_STR, "", lang,
         "language of messages, templates and workbooks: en or ru (empty = from LANG)"),
    {NULL, 0, NULL, 0, 0, NULL},
};

int
collector_open (collector_t *c, bool need_sender)
{
    char err[512];
    c->outbox = outbox_new (c->cfg.outbox);
    if (!c->outbox) {
        fprintf (stderr, _ ("collector: could not open outbox \"%s\": %s\n"), c->cfg.outbox,
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
            fprintf (stderr, _ ("collector: key file \"%s\" has no secret key\n"), c->cfg.key_file);
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
        fprintf (stderr, _ ("collector: could not set up connection to %s\n"), c->cfg.endpoint);
        return 1;
    }
    return 0;
}

void
collector_close (collector_t *c)
{
    sender_destroy (&c->sender);
    outbox_destroy (&c->outbox);
    if (c->ctx)
        zmq_ctx_term (c->ctx);
    c->ctx = NULL;
    memset (&c->keys, 0, sizeof c->keys);
}

/* The stored receipt of entry ID in words (caller frees); NULL if it has
 * none or it does not decode. */
char *
collector_receipt_text (collector_t *c, const char *id)
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

void
collector_print_receipt (const char *id, const Dcp__V1__Receipt *r, const char *text, void *arg)
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

/* A key failure (ours not registered, theirs not matching) does not mend
 * itself while we wait: after this long, waiting stops early. */
#define S_KEY_FAILURE_GIVE_UP_MS 5000
/* Connected without an answer for this long is worth saying. */
#define S_ANSWER_OVERDUE_MS 3000
/* On a terminal, how often a progress line is shown. */
#define S_PROGRESS_EVERY_MS 5000

/* Says why nothing has come back yet, when it changes (and on a terminal
 * every few seconds): one plain line on stdout, where the receipts go. */
static void
s_progress (collector_t *c, int64_t start, sender_link_t *shown, int64_t *shown_ms, bool tty)
{
    sender_link_t now = sender_link (c->sender);
    int64_t t = dcp_now_ms ();
    /* Connected is news only once an answer is overdue: a receipt usually
     * follows within a second. */
    if (now == SENDER_LINK_UP && sender_link_age_ms (c->sender) < S_ANSWER_OVERDUE_MS)
        now = SENDER_LINK_UNKNOWN;
    bool changed = now != *shown;
    if (!changed && !(tty && t - *shown_ms >= S_PROGRESS_EVERY_MS))
        return;
    char why[512];
    sender_link_reason (now, c->cfg.endpoint, why, sizeof why);
    if (!why[0])
        snprintf (why, sizeof why, _ ("connecting to %s"), c->cfg.endpoint);
    if (changed || tty)
        printf (dcp_i18n_ntext ("waiting for %zu receipt (%lld s): %s\n",
                                "waiting for %zu receipts (%lld s): %s\n",
                                sender_outstanding (c->sender)),
                sender_outstanding (c->sender), (long long) ((t - start) / 1000), why);
    fflush (stdout);
    *shown = now;
    *shown_ms = t;
}

/* True when waiting longer cannot help: a key failure that has held for
 * S_KEY_FAILURE_GIVE_UP_MS. */
static bool
s_hopeless (const sender_t *sender)
{
    sender_link_t l = sender_link (sender);
    return (l == SENDER_LINK_KEY_REFUSED || l == SENDER_LINK_SERVER_KEY)
           && sender_link_age_ms (sender) >= S_KEY_FAILURE_GIVE_UP_MS;
}

/* Sends until every queued submission has a final receipt, the wait_s
 * limit passes, a key failure has held for a few seconds or a signal
 * arrives, printing receipts as they come and, while nothing comes, why
 * (s_progress).  Logs (info) when sending starts and when it ends, with
 * the counts: `collector send` is also how the benchmark (tests/bench)
 * times the pipeline from first send to last receipt. */
void
collector_wait_receipts (collector_t *c)
{
    size_t queued = sender_outstanding (c->sender);
    int64_t start = dcp_now_ms ();
    int64_t deadline = c->cfg.wait_s > 0 ? start + c->cfg.wait_s * 1000 : INT64_MAX;
    sender_link_t shown = SENDER_LINK_UNKNOWN;
    int64_t shown_ms = start;
    bool tty = isatty (STDOUT_FILENO);
    dcp_info ("sending", "submissions=%zu", queued);
    while (!dcp_signal_stop && sender_outstanding (c->sender) > 0 && dcp_now_ms () < deadline
           && !s_hopeless (c->sender)) {
        if (sender_poll (c->sender, 200, collector_print_receipt, c))
            break;
        if (sender_outstanding (c->sender) > 0)
            s_progress (c, start, &shown, &shown_ms, tty);
    }
    if (sender_outstanding (c->sender) > 0) {
        char why[512];
        sender_link_reason (sender_link (c->sender), c->cfg.endpoint, why, sizeof why);
        printf (_ ("no receipt: %s\n"), why[0] ? why : _ ("no answer from the validator yet"));
    }
    const sender_stats_t *st = sender_stats (c->sender);
    dcp_info ("sending done",
              "submissions=%zu accepted=%zu rejected=%zu pending=%zu resent=%lu "
              "ms=%lld",
              queued, c->accepted, c->rejected, sender_outstanding (c->sender), st->resent,
              (long long) (dcp_now_ms () - start));
}

int
collector_queue_pending (const char *id, void *arg)
{
    return sender_add (arg, id) != 0;
}
