/* agent.c: `collector run` (see agent.h). */
#define _GNU_SOURCE /* open_memstream */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent.h"
#include "dcp_err.h"
#include "dcp_http.h"
#include "dcp_i18n.h"
#include "dcp_log.h"
#include "dcp_loop.h"
#include "dcp_metrics.h"
#include "dcp_signal.h"
#include "dcp_fs.h"
#include "dcp_util.h"
#include "intake.h"

/* A file found in the inbox. */
typedef struct {
    char *name;
    long long mtime_ns;
} s_inbox_file_t;

static int
s_inbox_file_cmp (const void *a, const void *b)
{
    const s_inbox_file_t *x = a, *y = b;
    if (x->mtime_ns != y->mtime_ns)
        return x->mtime_ns < y->mtime_ns ? -1 : 1;
    return strcmp (x->name, y->name);
}

/* The regular, not hidden files of the inbox in the order they are taken:
 * oldest modification time first, then by name (byte order).  readdir()
 * order would let a correction dropped together with the response it
 * corrects go out first.  Sets *N; NULL if there are none or on failure. */
static s_inbox_file_t *
s_inbox_list (const char *inbox, size_t *n)
{
    DIR *d = opendir (inbox);
    s_inbox_file_t *list = NULL;
    size_t cap = 0;
    struct dirent *e;
    *n = 0;
    if (!d)
        return NULL;
    while ((e = readdir (d))) {
        char path[4096];
        struct stat st;
        if (e->d_name[0] == '.')
            continue; /* hidden, partial or set-aside files */
        snprintf (path, sizeof path, "%s/%s", inbox, e->d_name);
        if (stat (path, &st) != 0 || !S_ISREG (st.st_mode))
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            s_inbox_file_t *t = realloc (list, cap * sizeof *t);
            if (!t)
                break;
            list = t;
        }
        if (!(list[*n].name = strdup (e->d_name)))
            break;
        list[*n].mtime_ns = (long long) st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
        (*n)++;
    }
    closedir (d);
    if (*n > 1)
        qsort (list, *n, sizeof *list, s_inbox_file_cmp);
    return list;
}

/* Takes the files of the inbox into the outbox, in the order of
 * s_inbox_list(), at most 10,000 a scan, and removes each from the inbox
 * only once the outbox is synced: a crash in between leaves the file in
 * both places, and taking it again is harmless (same id). */
static void
s_scan_inbox (collector_t *c)
{
    size_t n_files = 0;
    s_inbox_file_t *files = s_inbox_list (c->cfg.inbox, &n_files);
    char **taken = NULL;
    size_t n_taken = 0, cap = 0;
    for (size_t f = 0; f < n_files && n_taken < 10000; f++) {
        const char *name = files[f].name;
        char path[4096], id[40] = "";
        snprintf (path, sizeof path, "%s/%s", c->cfg.inbox, name);
        outbox_state_t state;
        char *report = NULL;
        size_t report_len = 0;
        FILE *out = open_memstream (&report, &report_len);
        if (!out)
            continue;
        int rc = intake_take (c, path, id, &state, out);
        fclose (out);
        if (rc == 0) {
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
            dcp_info ("took file into outbox", "file=%s submission=%s", name, id);
        } else {
            /* Failed the offline check: set aside so it is not taken again
             * at every scan, with every problem written beside it. */
            char bad[4200], why[4300];
            snprintf (bad, sizeof bad, "%s/.invalid-%s", c->cfg.inbox, name);
            snprintf (why, sizeof why, "%s.problems.txt", bad);
            rename (path, bad);
            dcp_fs_write_atomic (why, report ? report : "", report ? report_len : 0);
            dcp_warn ("file failed the offline check; set aside with its problems",
                      "file=%s problems_file=%s", name, dcp_log_quote ((char[600]){0}, 600, why));
        }
        free (report);
    }
    if (n_taken && outbox_sync (c->outbox) == 0)
        for (size_t i = 0; i < n_taken; i++)
            unlink (taken[i]);
    for (size_t i = 0; i < n_taken; i++)
        free (taken[i]);
    free (taken);
    for (size_t f = 0; f < n_files; f++)
        free (files[f].name);
    free (files);
}

static void
s_set (dcp_metrics_t *m, const char *name, const char *help, double value, bool gauge)
{
    double *cell =
        gauge ? dcp_metrics_gauge (m, name, help, NULL) : dcp_metrics_counter (m, name, help, NULL);
    if (cell)
        *cell = value;
}

/* The agent's state, for the loop's handlers. */
typedef struct {
    collector_t *c;
    dcp_metrics_t *metrics;
    dcp_http_t *http;
    void *sender_sock; /* the sender's socket the loop watches now */
} s_agent_t;

static int
s_agent_http (const char *path, char **body, size_t *len, const char **type, void *arg)
{
    s_agent_t *h = arg;
    const sender_stats_t *st = sender_stats (h->c->sender);
    if (strcmp (path, "/metrics") == 0) {
        s_set (h->metrics, "dcp_collector_outstanding",
               "submissions in the outbox without a final receipt",
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
s_on_scan (dcp_loop_t *loop, int timer_id, void *arg)
{
    s_scan_inbox (((s_agent_t *) arg)->c);
    return 0;
}

static int
s_on_http (dcp_loop_t *loop, void *sock, int fd, void *arg)
{
    dcp_http_serve (((s_agent_t *) arg)->http);
    return 0;
}

/* Receipts waiting, or (from s_before_poll) sends due and timeouts: one
 * round of the sender without waiting; a fatal socket error ends the loop. */
static int
s_on_sender (dcp_loop_t *loop, void *sock, int fd, void *arg)
{
    s_agent_t *a = arg;
    return sender_poll (a->c->sender, 0, collector_print_receipt, a->c) ? DCP_LOOP_END : 0;
}

/* Before each poll: let the sender send what is due and notice timeouts,
 * then watch its socket, which is a new one after a reconnect. */
static int
s_before_poll (dcp_loop_t *loop, void *arg)
{
    s_agent_t *a = arg;
    if (s_on_sender (loop, NULL, -1, arg))
        return DCP_LOOP_END;
    void *sock = sender_socket (a->c->sender);
    if (sock != a->sender_sock) {
        if (a->sender_sock)
            dcp_loop_reader_end (loop, a->sender_sock);
        a->sender_sock = NULL;
        if (sock && dcp_loop_reader (loop, sock, s_on_sender, a))
            return DCP_ENOMEM;
        a->sender_sock = sock;
    }
    return 0;
}

/* Opens the inbox and, if configured, the metrics listener.  Returns 0 or 1
 * after saying why. */
static int
s_start (s_agent_t *a)
{
    collector_t *c = a->c;
    if (dcp_fs_mkdirs (c->cfg.inbox)) {
        fprintf (stderr, _ ("collector: could not create inbox \"%s\": %s\n"), c->cfg.inbox,
                 strerror (errno));
        return 1;
    }
    if (!c->cfg.metrics[0])
        return 0;
    a->metrics = dcp_metrics_new ();
    a->http = a->metrics ? dcp_http_new (c->cfg.metrics, s_agent_http, a) : NULL;
    if (!a->http) {
        fprintf (stderr, _ ("collector: could not listen for metrics on %s: %s\n"), c->cfg.metrics,
                 strerror (errno));
        return 1;
    }
    return 0;
}

int
agent_run (collector_t *c, int argc, char **argv)
{
    (void) argc;
    (void) argv;
    s_agent_t a = {.c = c};
    dcp_loop_t *loop = NULL;
    int rc = 1;
    if (collector_open (c, true) || s_start (&a))
        goto cleanup;
    loop = dcp_loop_new ();
    /* The sender's timeouts and backoffs are looked at at least every
     * 50 ms; receipts and HTTP requests wake the loop at once. */
    if (!loop || dcp_loop_timer (loop, c->cfg.scan_ms, 0, s_on_scan, &a) < 0
        || (a.http && dcp_loop_fd (loop, dcp_http_fd (a.http), s_on_http, &a))) {
        fprintf (stderr, _ ("collector: out of memory\n"));
        goto cleanup;
    }
    dcp_loop_prepare (loop, s_before_poll, &a, 50);
    outbox_each (c->outbox, OUTBOX_PENDING, collector_queue_pending, c->sender);
    dcp_info ("collector agent ready", "inbox=%s outbox=%s pending=%zu", c->cfg.inbox,
              c->cfg.outbox, sender_outstanding (c->sender));
    dcp_sd_notify ("READY=1");
    s_scan_inbox (c); /* what waited while the agent was down, at once */
    int loop_rc = dcp_loop_run (loop);
    if (loop_rc < 0)
        dcp_error ("collector agent loop failed", "error=%s", dcp_strerror (loop_rc));
    dcp_sd_notify ("STOPPING=1");
    dcp_info ("collector agent stopping", "pending=%zu", sender_outstanding (c->sender));
    rc = 0;
cleanup:
    dcp_loop_destroy (&loop);
    dcp_http_destroy (&a.http);
    dcp_metrics_destroy (&a.metrics);
    collector_close (c);
    return rc;
}
