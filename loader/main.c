/* loader: writes forwarded submissions into PostgreSQL and answers each with
 * a receipt, only after the transaction that stored it has committed.
 *
 * Submissions are gathered into batches (group commit: flushed when a batch
 * is full, when the database is free, or a few milliseconds after its first
 * item) and stored by store_batch_write().  The main thread owns the
 * sockets and decodes and encodes each arriving submission into a filling
 * batch; writer threads, each with its own database connection, write the
 * batches before meanwhile.  So the database never waits for the loader's
 * own CPU work (tests/bench: that was a fifth of each batch), and while one
 * writer waits for its COMMIT another is loading.  A series (country,
 * questionnaire, year) always goes to the same writer, whose batches commit
 * one after the other in arrival order, so revisions of a series land in
 * the order they were sent; the same bytes always go to the same writer.
 *
 * While the database is away the loader keeps its batches, stops reading
 * (so validators and collectors hold their data), reconnects with backoff
 * and never exits; nothing is acknowledged that is not committed.
 * `loader migrate` applies the schema and exits. */
#include <libpq-fe.h>
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dcp_codec.h"
#include "dcp_config.h"
#include "dcp_err.h"
#include "dcp_findings.h"
#include "dcp_http.h"
#include "dcp_metrics.h"
#include "dcp_keys.h"
#include "dcp_log.h"
#include "dcp_refdata.h"
#include "dcp_signal.h"
#include "dcp_util.h"
#include "dcp_wire.h"
#include "migrate.h"
#include "store.h"

typedef struct {
    char bind[256];
    char database[1024];
    char key_file[512];
    char validators[512];
    bool insecure;
    bool migrate;
    long writers;
    long batch_max_items;
    long batch_max_bytes;
    long flush_ms;
    long max_message;
    long hwm;
    long heartbeat_ms;
    long reconnect_max_ms;
    long db_ping_ms;
    char log_level[16];
    char metrics[64];
} loader_cfg_t;

#define OPT(name, type, def, field, help) \
    {name, type, def, offsetof (loader_cfg_t, field), sizeof (((loader_cfg_t *) 0)->field), help}
static const dcp_cfg_option_t s_options[] = {
    OPT ("bind", DCP_CFG_STR, "tcp://127.0.0.1:7602", bind, "endpoint validators connect to"),
    OPT ("database", DCP_CFG_STR, "dbname=dcp", database,
         "libpq connection string; put passwords in a passfile, never here"),
    OPT ("key_file", DCP_CFG_STR, "/etc/dcp/loader.key", key_file, "this loader's CURVE key pair"),
    OPT ("validators", DCP_CFG_STR, "/etc/dcp/validators.txt", validators,
         "registry of validator public keys allowed to connect: <key> - <name>"),
    OPT ("insecure", DCP_CFG_BOOL, "false", insecure, "development only: plain TCP, no CURVE"),
    OPT ("migrate", DCP_CFG_BOOL, "true", migrate, "apply pending schema migrations at start"),
    /* 2: while one connection waits for its COMMIT or for the next batch,
     * the other loads (tests/bench). */
    OPT ("writers", DCP_CFG_INT, "2", writers,
         "database connections writing in parallel, each for its share of the series (1-8)"),
    OPT ("batch_max_items", DCP_CFG_INT, "500", batch_max_items,
         "submissions per transaction at most, per writer"),
    OPT ("batch_max_bytes", DCP_CFG_INT, "8388608", batch_max_bytes,
         "bytes of submissions per transaction at most"),
    /* 0: commit as soon as nothing more is waiting.  Batches still grow
     * with the load, because what arrives during one commit forms the next
     * batch; waiting only delayed every receipt on a quiet pipeline
     * (tests/bench: p50 9 ms -> 3.4 ms, same throughput). */
    OPT ("flush_ms", DCP_CFG_INT, "0", flush_ms,
         "commit a partial batch this long after its first submission (0 = once nothing more is waiting)"),
    OPT ("max_message", DCP_CFG_INT, "33554432", max_message, "largest message accepted, bytes"),
    OPT ("hwm", DCP_CFG_INT, "1000", hwm, "queue bound per peer, messages"),
    OPT ("heartbeat_ms", DCP_CFG_INT, "5000", heartbeat_ms, "ZMTP heartbeat interval"),
    OPT ("reconnect_max_ms", DCP_CFG_INT, "5000", reconnect_max_ms,
         "longest wait between database reconnection attempts"),
    OPT ("db_ping_ms", DCP_CFG_INT, "5000", db_ping_ms,
         "check an idle database connection this often, so /readyz tells the truth (0 = never)"),
    OPT ("log_level", DCP_CFG_STR, "info", log_level, "debug, info, warn or error"),
    OPT ("metrics", DCP_CFG_STR, "127.0.0.1:9102", metrics,
         "address of the HTTP endpoint for /metrics, /healthz, /readyz (empty = off)"),
    {NULL, 0, NULL, 0, 0, NULL},
};

typedef struct {
    dcp_frames_t frames;          /* route, "DCP1", Forward, raw */
    Dcp__V1__Forward *fwd;
    Dcp__V1__Submission *sub;
} pending_t;

/* A batch and the messages it borrows from. */
typedef struct {
    pending_t *pend;              /* batch_max_items; pend[i] is item i */
    store_batch_t *store;
    size_t bytes;
    int64_t started_ms;           /* arrival of its first submission */
} slot_t;

#define WRITERS_MAX 8

typedef struct loader_t loader_t;

/* One database connection and the thread that writes through it.  FILL
 * takes arriving submissions (main thread only).  OUT is the batch the
 * thread writes; while BUSY only the thread touches OUT and DB.  OUT stays
 * non-empty after a failed write, to be written again.  DB is set and
 * cleared by the main thread only, never while BUSY. */
typedef struct {
    loader_t *l;
    int index;
    PGconn *db;
    int64_t db_used_ms;           /* last time the connection was known good */
    int64_t next_connect_ms;
    long backoff_ms;
    slot_t slot[2];
    slot_t *fill, *out;
    pthread_t thread;
    bool started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool job, quit;               /* under MU */
    int job_rc;                   /* under MU */
    bool busy;
    int64_t job_started_ms, retry_at_ms;
} writer_t;

struct loader_t {
    loader_cfg_t cfg;
    void *ctx;
    void *sock;                   /* ROUTER, validators */
    dcp_zap_t *zap;
    dcp_registry_t *registry;
    dcp_keypair_t keys;
    bool migrated;
    writer_t w[WRITERS_MAX];
    int n_writers;
    int wake[2];                  /* a writer writes its index when done */
    dcp_http_t *http;
    dcp_metrics_t *metrics;
    dcp_histogram_t *commit_seconds, *batch_items, *e2e_seconds;
    unsigned long received, accepted, rejected, conflicts, replayed, reconnects, batches;
    unsigned long db_failures;
};

static void
s_pending_free (pending_t *p)
{
    dcp__v1__forward__free_unpacked (p->fwd, NULL);
    p->fwd = NULL;
    dcp_codec_free (&p->sub);
    dcp_frames_close (&p->frames);
}

static void
s_db_close (writer_t *w)
{
    if (w->db)
        PQfinish (w->db);
    w->db = NULL;
}

/* Tries to (re)connect and migrate; on failure schedules the next attempt
 * with exponential backoff. */
static void
s_db_connect (writer_t *w)
{
    loader_t *l = w->l;
    if (dcp_now_ms () < w->next_connect_ms)
        return;
    const char *keys[] = {"dbname", "connect_timeout", "application_name", NULL};
    const char *vals[] = {l->cfg.database, "5", "dcp-loader", NULL};
    w->db = PQconnectdbParams (keys, vals, 1);
    if (PQstatus (w->db) != CONNECTION_OK) {
        char quoted[512];
        /* PQerrorMessage never contains the password. */
        dcp_warn ("could not connect to database", "reason=%s retry_ms=%ld",
                  dcp_log_quote (quoted, sizeof quoted, PQerrorMessage (w->db)), w->backoff_ms);
        goto retry;
    }
    /* The raw submission bytes are TOASTed: lz4 compresses them several
     * times faster than the default pglz, which was the server's largest
     * single CPU cost when loading (tests/bench); readers decompress either.
     * A server built without lz4 refuses, and the default stays. */
    PGresult *res = PQexec (w->db, "SET default_toast_compression = lz4");
    if (PQresultStatus (res) != PGRES_COMMAND_OK)
        dcp_info ("database has no lz4 compression, keeping its default", NULL);
    PQclear (res);
    if (!l->migrated) {
        if (l->cfg.migrate) {
            int rc = migrate_run (w->db);
            if (rc)
                goto retry;
        }
        l->migrated = true;
    }
    l->reconnects++;
    w->backoff_ms = 100;
    w->db_used_ms = dcp_now_ms ();
    dcp_info ("connected to database", "writer=%d host=%s db=%s", w->index,
              PQhost (w->db) ? PQhost (w->db) : "", PQdb (w->db));
    return;
retry:
    s_db_close (w);
    w->next_connect_ms = dcp_now_ms () + w->backoff_ms;
    w->backoff_ms = w->backoff_ms * 2 > l->cfg.reconnect_max_ms ? l->cfg.reconnect_max_ms
                                                                 : w->backoff_ms * 2;
}

static void
s_send_receipt (loader_t *l, pending_t *p, store_item_t *item)
{
    Dcp__V1__Receipt r = DCP__V1__RECEIPT__INIT;
    r.submission_id = p->fwd->submission_id;
    r.status = item->status;
    r.replayed = item->replayed;
    r.stored_at = item->stored_at;
    r.current_submission_id = item->current_id;
    if (item->findings && dcp_findings_to_problems (item->findings, &r.problems, &r.n_problems))
        return;
    size_t len;
    uint8_t *buf = dcp_codec_pack_msg (&r.base, &len);
    if (buf) {
        const char *sid = p->fwd->submission_id;
        dcp_part_t parts[5] = {{NULL, 0, &p->frames.part[0]},
                               {DCP_WIRE_SIGNATURE, DCP_WIRE_SIGNATURE_LEN, NULL},
                               {p->fwd->route.data, p->fwd->route.len, NULL},
                               {sid, strlen (sid), NULL},
                               {buf, len, NULL}};
        /* A validator that went away loses the receipt; the collector
         * resends and gets the same answer from the database. */
        dcp_wire_send (l->sock, parts, 5, ZMQ_DONTWAIT);
        free (buf);
    }
    dcp_findings_free_problems (r.problems, r.n_problems);
}

static size_t
s_n (const slot_t *s)
{
    return store_batch_size (s->store);
}

static bool
s_full (const loader_t *l, const slot_t *s)
{
    return s_n (s) >= (size_t) l->cfg.batch_max_items || s->bytes >= (size_t) l->cfg.batch_max_bytes;
}

static void
s_slot_clear (slot_t *s)
{
    size_t n = s_n (s);
    store_batch_clear (s->store);
    for (size_t i = 0; i < n; i++)
        s_pending_free (&s->pend[i]);
    s->bytes = 0;
}

static void *
s_writer (void *arg)
{
    writer_t *w = arg;
    char index = (char) w->index;
    pthread_mutex_lock (&w->mu);
    for (;;) {
        while (!w->job && !w->quit)
            pthread_cond_wait (&w->cv, &w->mu);
        if (w->quit)
            break;
        pthread_mutex_unlock (&w->mu);
        int rc = store_batch_write (w->db, w->out->store);
        pthread_mutex_lock (&w->mu);
        w->job = false;
        w->job_rc = rc;
        /* The pipe cannot fill: one byte per job, one job per writer. */
        ssize_t n;
        do
            n = write (w->l->wake[1], &index, 1);
        while (n < 0 && errno == EINTR);
    }
    pthread_mutex_unlock (&w->mu);
    return NULL;
}

/* Hands OUT to the writer's thread. */
static void
s_write_start (writer_t *w)
{
    assert (!w->busy && w->db && s_n (w->out) > 0);
    w->busy = true;
    w->job_started_ms = dcp_now_ms ();
    pthread_mutex_lock (&w->mu);
    w->job = true;
    pthread_cond_signal (&w->cv);
    pthread_mutex_unlock (&w->mu);
}

/* Takes the result of W's write: receipts after a COMMIT, or a retry
 * later.  The caller has read W's byte from the wake pipe. */
static void
s_write_done (writer_t *w)
{
    loader_t *l = w->l;
    pthread_mutex_lock (&w->mu);
    int rc = w->job_rc;
    pthread_mutex_unlock (&w->mu);
    w->busy = false;

    slot_t *out = w->out;
    size_t n = s_n (out);
    int64_t t1 = dcp_now_ms ();
    if (rc) {
        dcp_warn ("could not store batch, will retry", "writer=%d items=%zu reason=%s", w->index,
                  n, dcp_log_quote ((char[128]) {0}, 128, dcp_strerror (rc)));
        l->db_failures++;
        w->retry_at_ms = t1 + w->backoff_ms;
        if (rc == DCP_EDB_RETRY || PQstatus (w->db) != CONNECTION_OK) {
            s_db_close (w);
            w->next_connect_ms = w->retry_at_ms;
        }
        return;
    }
    l->batches++;
    w->db_used_ms = t1;
    dcp_histogram_observe (l->commit_seconds, (double) (t1 - w->job_started_ms) / 1000.0);
    dcp_histogram_observe (l->batch_items, (double) n);
    /* Time from the first submission of the batch arriving to its COMMIT:
     * what group commit adds to each receipt. */
    dcp_histogram_observe (l->e2e_seconds, (double) (t1 - out->started_ms) / 1000.0);
    for (size_t i = 0; i < n; i++) {
        pending_t *p = &out->pend[i];
        store_item_t *item = store_batch_item (out->store, i);
        switch (item->status) {
        case DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED: l->accepted++; break;
        case DCP__V1__RECEIPT_STATUS__RECEIPT_CONFLICT: l->conflicts++; break;
        default: l->rejected++; break;
        }
        l->replayed += item->replayed;
        dcp_debug ("stored submission", "submission=%s status=%s replayed=%s",
                   dcp_log_quote ((char[100]) {0}, 100, p->fwd->submission_id),
                   dcp_codec_status_name (item->status), item->replayed ? "true" : "false");
        s_send_receipt (l, p, item);
    }
    dcp_info ("committed batch", "writer=%d items=%zu bytes=%zu ms=%lld", w->index, n,
              out->bytes, (long long) (t1 - w->job_started_ms));
    s_slot_clear (out);
}

/* Reads which writers finished; WAIT blocks for one. */
static void
s_collect (loader_t *l, bool wait)
{
    char done[WRITERS_MAX];
    for (;;) {
        if (!wait) {
            zmq_pollitem_t it = {NULL, l->wake[0], ZMQ_POLLIN, 0};
            if (zmq_poll (&it, 1, 0) <= 0)
                return;
        }
        ssize_t n = read (l->wake[0], done, sizeof done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        for (ssize_t k = 0; k < n; k++)
            if (done[k] >= 0 && done[k] < l->n_writers && l->w[(int) done[k]].busy)
                s_write_done (&l->w[(int) done[k]]);
        return;
    }
}

/* Starts a write if W is free and something is due: first a batch that
 * failed before, else the filling batch once full, or due by flush_ms (0:
 * as soon as the writer is free). */
static void
s_maybe_write (writer_t *w)
{
    loader_t *l = w->l;
    if (w->busy || !w->db)
        return;
    if (s_n (w->out) > 0) {
        if (dcp_now_ms () >= w->retry_at_ms)
            s_write_start (w);
        return;
    }
    if (s_n (w->fill) > 0
        && (s_full (l, w->fill) || dcp_now_ms () >= w->fill->started_ms + l->cfg.flush_ms)) {
        slot_t *t = w->out;
        w->out = w->fill;
        w->fill = t;
        s_write_start (w);
    }
}

static bool
s_any_full (const loader_t *l)
{
    for (int k = 0; k < l->n_writers; k++)
        if (s_full (l, l->w[k].fill))
            return true;
    return false;
}

static bool
s_all_connected (const loader_t *l)
{
    for (int k = 0; k < l->n_writers; k++)
        if (!l->w[k].db)
            return false;
    return true;
}

/* The writer for a submission: by its series, so that the revisions of a
 * series commit in order; by its bytes when it has none (undecodable). */
static writer_t *
s_writer_for (loader_t *l, const Dcp__V1__Submission *sub, const void *raw, size_t len)
{
    uint32_t h = 2166136261u;  /* FNV-1a */
    if (sub && sub->reporting_country) {
        for (const char *c = sub->reporting_country; *c; c++)
            h = (h ^ (uint8_t) *c) * 16777619u;
        h = (h ^ (uint32_t) sub->questionnaire) * 16777619u;
        h = (h ^ (uint32_t) sub->reporting_year) * 16777619u;
    }
    else
        for (size_t i = 0; i < len; i++)
            h = (h ^ ((const uint8_t *) raw)[i]) * 16777619u;
    return &l->w[h % (uint32_t) l->n_writers];
}

/* Takes one message from a validator (in P, which it empties) into its
 * writer's filling batch. */
static void
s_on_message (loader_t *l, pending_t *p)
{
    dcp_frames_t *f = &p->frames;
    l->received++;
    if (f->count != 4 || f->dropped || !dcp_frames_is_signature (f, 1)) {
        dcp_warn ("dropped malformed message from validator", "parts=%zu", f->count);
        goto drop;
    }
    p->fwd = dcp__v1__forward__unpack (NULL, zmq_msg_size (&f->part[2]), zmq_msg_data (&f->part[2]));
    if (!p->fwd) {
        dcp_warn ("dropped undecodable forward from validator", NULL);
        goto drop;
    }
    /* The validator could not decode it either when it says so; otherwise a
     * failure here is stored as undecodable too (the raw bytes are kept). */
    p->sub = dcp_codec_unpack (zmq_msg_data (&f->part[3]), zmq_msg_size (&f->part[3]),
                               (size_t) l->cfg.max_message);
    writer_t *w = s_writer_for (l, p->sub, zmq_msg_data (&f->part[3]), zmq_msg_size (&f->part[3]));
    slot_t *fill = w->fill;
    /* Into the slot of its item first: the item borrows the bytes. */
    pending_t *dst = &fill->pend[s_n (fill)];
    memset (dst, 0, sizeof *dst);
    dcp_frames_move (&dst->frames, &p->frames);
    dst->fwd = p->fwd;
    dst->sub = p->sub;
    p->fwd = NULL;
    p->sub = NULL;
    store_item_t in = {.fwd = dst->fwd,
                       .raw = zmq_msg_data (&dst->frames.part[3]),
                       .raw_len = zmq_msg_size (&dst->frames.part[3]),
                       .sub = dst->sub};
    if (store_batch_add (fill->store, &in) != 0) {
        /* Not acknowledged: the collector sends it again. */
        dcp_warn ("dropped submission: out of memory",
                  "submission=%s", dcp_log_quote ((char[100]) {0}, 100, dst->fwd->submission_id));
        s_pending_free (dst);
        return;
    }
    if (s_n (fill) == 1)
        fill->started_ms = dcp_now_ms ();
    fill->bytes += in.raw_len;
    /* The writer may be idle: give it this batch now rather than after
     * draining the socket. */
    s_maybe_write (w);
    return;
drop:
    s_pending_free (p);
}

static void
s_set (loader_t *l, const char *name, const char *help, double value, bool gauge)
{
    double *c = gauge ? dcp_metrics_gauge (l->metrics, name, help, NULL)
                      : dcp_metrics_counter (l->metrics, name, help, NULL);
    if (c)
        *c = value;
}

static int
s_http (const char *path, char **body, size_t *len, const char **type, void *arg)
{
    loader_t *l = arg;
    if (strcmp (path, "/metrics") == 0) {
        s_set (l, "dcp_loader_received_total", "submissions received from validators",
               (double) l->received, false);
        s_set (l, "dcp_loader_accepted_total", "submissions committed as accepted",
               (double) l->accepted, false);
        s_set (l, "dcp_loader_rejected_total", "submissions committed to quarantine",
               (double) l->rejected, false);
        s_set (l, "dcp_loader_conflicts_total", "ids resent with different content",
               (double) l->conflicts, false);
        s_set (l, "dcp_loader_duplicates_total", "resends of stored submissions (nothing written)",
               (double) l->replayed, false);
        s_set (l, "dcp_loader_batches_total", "transactions committed", (double) l->batches, false);
        s_set (l, "dcp_loader_db_connects_total", "successful database (re)connections",
               (double) l->reconnects, false);
        s_set (l, "dcp_loader_db_failures_total", "batches that failed and will be retried",
               (double) l->db_failures, false);
        size_t in_flight = 0;
        for (int k = 0; k < l->n_writers; k++)
            in_flight += s_n (l->w[k].fill) + s_n (l->w[k].out);
        s_set (l, "dcp_loader_db_up", "1 if every writer is connected to the database",
               s_all_connected (l), true);
        s_set (l, "dcp_loader_in_flight", "submissions received, not yet committed",
               (double) in_flight, true);
        *body = dcp_metrics_render (l->metrics, len);
        *type = "text/plain; version=0.0.4; charset=utf-8";
        return *body ? 200 : 503;
    }
    if (strcmp (path, "/healthz") == 0) {
        *body = strdup ("ok\n");
        *len = 3;
        return 200;
    }
    if (strcmp (path, "/readyz") == 0) {
        /* The writers' db pointers belong to this (the main) thread. */
        bool ready = s_all_connected (l) && l->migrated;
        *body = strdup (ready ? "ready\n" : "database not connected or not migrated\n");
        *len = *body ? strlen (*body) : 0;
        return ready ? 200 : 503;
    }
    return 404;
}

static int
s_setup (loader_t *l)
{
    char err[512];
    dcp_wire_opts_t wo = {(int) l->cfg.hwm, l->cfg.max_message, (int) l->cfg.heartbeat_ms};
    int one = 1;
    l->ctx = zmq_ctx_new ();
    if (!l->ctx)
        return DCP_EINVAL;
    if (!l->cfg.insecure) {
        if (dcp_keys_load (l->cfg.key_file, &l->keys, err, sizeof err)) {
            dcp_error ("could not load keys", "reason=%s", dcp_log_quote ((char[600]) {0}, 600, err));
            return DCP_ECONFIG;
        }
        l->registry = dcp_registry_load (l->cfg.validators, err, sizeof err);
        l->zap = dcp_zap_new (l->ctx);
        if (!l->registry || !l->zap) {
            dcp_error ("could not load validator registry", "reason=%s",
                       dcp_log_quote ((char[600]) {0}, 600, err));
            return DCP_ECONFIG;
        }
        dcp_zap_set_registry (l->zap, l->registry);
    }
    l->metrics = dcp_metrics_new ();
    if (!l->metrics)
        return DCP_ENOMEM;
    l->commit_seconds = dcp_metrics_histogram (l->metrics, "dcp_loader_batch_seconds",
                                               "time to store and commit one batch",
                                               dcp_metrics_latency_bounds, dcp_metrics_latency_n);
    static const double sizes[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000};
    l->batch_items = dcp_metrics_histogram (l->metrics, "dcp_loader_batch_submissions",
                                            "submissions per committed batch", sizes,
                                            sizeof sizes / sizeof *sizes);
    l->e2e_seconds = dcp_metrics_histogram (l->metrics, "dcp_loader_receipt_delay_seconds",
                                            "from a batch's first submission to its COMMIT",
                                            dcp_metrics_latency_bounds, dcp_metrics_latency_n);
    if (l->cfg.metrics[0]) {
        l->http = dcp_http_new (l->cfg.metrics, s_http, l);
        if (!l->http) {
            dcp_error ("could not listen for metrics", "address=%s reason=%s", l->cfg.metrics,
                       dcp_log_quote ((char[200]) {0}, 200, strerror (errno)));
            return DCP_ECONFIG;
        }
    }
    l->sock = zmq_socket (l->ctx, ZMQ_ROUTER);
    if (!l->sock || dcp_wire_server (l->sock, l->cfg.insecure ? NULL : &l->keys, &wo)
        || zmq_setsockopt (l->sock, ZMQ_ROUTER_MANDATORY, &one, sizeof one))
        return DCP_EINVAL;
    if (zmq_bind (l->sock, l->cfg.bind) != 0) {
        dcp_error ("could not bind", "endpoint=%s reason=%s", l->cfg.bind,
                   dcp_log_quote ((char[200]) {0}, 200, zmq_strerror (zmq_errno ())));
        return DCP_ECONFIG;
    }
    return 0;
}

static void
s_usage (void)
{
    printf ("usage: loader [--config FILE] [--NAME=VALUE ...] [run | migrate]\n\n"
            "run (default): store submissions from validators in PostgreSQL.\n"
            "migrate: apply pending schema migrations and reference data, then exit.\n"
            "SIGTERM or SIGINT stops it after committing the batch in hand.\n\n");
    dcp_config_help (s_options, "LOADER", stdout);
}

static int
s_migrate_only (loader_t *l)
{
    PGconn *db = PQconnectdb (l->cfg.database);
    if (PQstatus (db) != CONNECTION_OK) {
        fprintf (stderr, "loader: could not connect to database: %s", PQerrorMessage (db));
        PQfinish (db);
        return 1;
    }
    int rc = migrate_run (db);
    if (rc == 0)
        printf ("schema is at migration %d\n", migrate_current (db));
    PQfinish (db);
    return rc ? 1 : 0;
}

int
main (int argc, char **argv)
{
    loader_t l;
    int first = 0, rc = 1;
    memset (&l, 0, sizeof l);
    l.wake[0] = l.wake[1] = -1;
    int prc = dcp_config_main (s_options, &l.cfg, "loader", "/etc/dcp/loader.conf", argc, argv,
                               &first, s_usage);
    if (prc >= 0)
        return prc;
    dcp_config_log (s_options, &l.cfg);
    if (first < argc && strcmp (argv[first], "migrate") == 0)
        return s_migrate_only (&l);
    if (first < argc && strcmp (argv[first], "run") != 0) {
        fprintf (stderr, "loader: unknown command \"%s\" (run or migrate)\n", argv[first]);
        return 2;
    }
    if (l.cfg.batch_max_items < 1)
        l.cfg.batch_max_items = 1;

    dcp_signal_install ();

    if (l.cfg.writers < 1 || l.cfg.writers > WRITERS_MAX) {
        fprintf (stderr, "loader: writers must be 1 to %d\n", WRITERS_MAX);
        return 2;
    }
    /* The reference tables are loaded once, before any writer exists, so
     * every thread only ever reads them. */
    if (dcp_refdata_load () != 0)
        goto done;
    if (pipe (l.wake) != 0)
        goto done;
    l.n_writers = (int) l.cfg.writers;
    for (int k = 0; k < l.n_writers; k++) {
        writer_t *w = &l.w[k];
        w->l = &l;
        w->index = k;
        w->backoff_ms = 100;
        for (int m = 0; m < 2; m++) {
            w->slot[m].pend = calloc ((size_t) l.cfg.batch_max_items, sizeof *w->slot[m].pend);
            w->slot[m].store = store_batch_new ();
            if (!w->slot[m].pend || !w->slot[m].store)
                goto done;
        }
        w->fill = &w->slot[0];
        w->out = &w->slot[1];
    }
    if (s_setup (&l))
        goto done;
    for (int k = 0; k < l.n_writers; k++) {
        writer_t *w = &l.w[k];
        if (pthread_mutex_init (&w->mu, NULL) || pthread_cond_init (&w->cv, NULL))
            goto done;
        if (pthread_create (&w->thread, NULL, s_writer, w) != 0) {
            pthread_cond_destroy (&w->cv);
            pthread_mutex_destroy (&w->mu);
            goto done;
        }
        w->started = true;
    }
    if (l.cfg.insecure)
        dcp_warn ("running without CURVE: development only", NULL);
    dcp_info ("loader ready", "bind=%s writers=%d", l.cfg.bind, l.n_writers);
    dcp_sd_notify ("READY=1");

    while (!dcp_signal_stop) {
        int64_t now = dcp_now_ms ();
        long timeout = 1000;
        bool any_busy = false;
        for (int k = 0; k < l.n_writers; k++) {
            writer_t *w = &l.w[k];
            if (!w->db && !w->busy)
                s_db_connect (w);
            any_busy |= w->busy;
            int64_t due = -1;
            if (!w->db)
                due = w->next_connect_ms - now;
            else if (!w->busy && s_n (w->out) > 0)
                due = w->retry_at_ms - now;
            else if (!w->busy && s_n (w->fill) > 0)
                due = w->fill->started_ms + l.cfg.flush_ms - now;
            else
                continue;
            due = due > 0 ? due : 0;
            if (due < timeout)
                timeout = (long) due;
        }
        bool can_read = s_all_connected (&l) && !s_any_full (&l);
        zmq_pollitem_t items[4];
        int n = 0, i_sock = -1, i_zap = -1, i_http = -1, i_wake = -1;
        if (l.http) {
            items[n] = (zmq_pollitem_t) {NULL, dcp_http_fd (l.http), ZMQ_POLLIN, 0};
            i_http = n++;
        }
        if (l.zap) {
            items[n] = (zmq_pollitem_t) {dcp_zap_socket (l.zap), 0, ZMQ_POLLIN, 0};
            i_zap = n++;
        }
        if (any_busy) {
            items[n] = (zmq_pollitem_t) {NULL, l.wake[0], ZMQ_POLLIN, 0};
            i_wake = n++;
        }
        /* Read validators only with room in every batch and a database to
         * write to: otherwise they hold on (backpressure).  A submission's
         * writer is known only once it is read, hence "every". */
        if (can_read) {
            items[n] = (zmq_pollitem_t) {l.sock, 0, ZMQ_POLLIN, 0};
            i_sock = n++;
        }
        if (zmq_poll (items, n, timeout) < 0 && zmq_errno () != EINTR)
            break;
        if (dcp_signal_reload) {
            dcp_signal_reload = 0;
            if (l.zap) {
                char err[512];
                dcp_registry_t *reg = dcp_registry_load (l.cfg.validators, err, sizeof err);
                if (reg) {
                    dcp_zap_set_registry (l.zap, reg);
                    dcp_registry_destroy (&l.registry);
                    l.registry = reg;
                    dcp_info ("reloaded validator registry", "validators=%zu",
                              dcp_registry_size (reg));
                }
                else
                    dcp_error ("could not reload validator registry, keeping the old one",
                               "reason=%s", dcp_log_quote ((char[600]) {0}, 600, err));
            }
        }
        if (i_zap >= 0 && (items[i_zap].revents & ZMQ_POLLIN))
            while (dcp_zap_handle (l.zap) == 0)
                ;
        if (i_http >= 0 && (items[i_http].revents & ZMQ_POLLIN))
            dcp_http_serve (l.http);
        if (i_wake >= 0 && (items[i_wake].revents & ZMQ_POLLIN))
            s_collect (&l, false);
        /* Hand over what is due before reading more: the writers start on
         * it while this thread decodes what comes next. */
        for (int k = 0; k < l.n_writers; k++)
            s_maybe_write (&l.w[k]);
        if (i_sock >= 0 && (items[i_sock].revents & ZMQ_POLLIN)) {
            pending_t p;
            while (!s_any_full (&l)) {
                memset (&p, 0, sizeof p);
                if (dcp_frames_recv (l.sock, &p.frames, ZMQ_DONTWAIT) != 0)
                    break;
                s_on_message (&l, &p);
                /* Writers that finished meanwhile get their next batch
                 * now rather than after the socket is drained. */
                s_collect (&l, false);
            }
        }
        for (int k = 0; k < l.n_writers; k++) {
            writer_t *w = &l.w[k];
            s_maybe_write (w);
            /* An idle connection to a database that went away looks fine
             * until it is used: ping it so readiness and reconnection do
             * not wait for the next submission. */
            if (w->db && !w->busy && s_n (w->fill) == 0 && s_n (w->out) == 0
                && l.cfg.db_ping_ms > 0 && dcp_now_ms () - w->db_used_ms >= l.cfg.db_ping_ms) {
                PGresult *r = PQexec (w->db, "SELECT 1");
                bool ok = PQresultStatus (r) == PGRES_TUPLES_OK;
                PQclear (r);
                if (ok)
                    w->db_used_ms = dcp_now_ms ();
                else {
                    dcp_warn ("lost database connection", "writer=%d reason=%s", w->index,
                              dcp_log_quote ((char[300]) {0}, 300, PQerrorMessage (w->db)));
                    s_db_close (w);
                    w->next_connect_ms = dcp_now_ms () + w->backoff_ms;
                }
            }
        }
    }
    dcp_sd_notify ("STOPPING=1");
    /* Stop intake; commit what is in hand if the database is there.
     * Anything not committed is simply not acknowledged: collectors resend. */
    for (int round = 0; round < 3; round++) {
        bool busy = false;
        for (int k = 0; k < l.n_writers; k++) {
            writer_t *w = &l.w[k];
            w->retry_at_ms = 0;
            w->fill->started_ms = 0;
            if (round > 0)  /* the first round only waits for running writes */
                s_maybe_write (w);
            busy |= w->busy;
        }
        while (busy) {
            s_collect (&l, true);
            busy = false;
            for (int k = 0; k < l.n_writers; k++)
                busy |= l.w[k].busy;
        }
    }
    rc = 0;
    size_t unacknowledged = 0;
    for (int k = 0; k < l.n_writers; k++)
        unacknowledged += s_n (l.w[k].fill) + s_n (l.w[k].out);
    dcp_info ("loader stopping", "received=%lu accepted=%lu rejected=%lu conflicts=%lu "
              "replayed=%lu batches=%lu unacknowledged=%zu",
              l.received, l.accepted, l.rejected, l.conflicts, l.replayed, l.batches,
              unacknowledged);
done:
    for (int k = 0; k < WRITERS_MAX; k++) {
        writer_t *w = &l.w[k];
        if (w->started) {
            pthread_mutex_lock (&w->mu);
            w->quit = true;
            pthread_cond_signal (&w->cv);
            pthread_mutex_unlock (&w->mu);
            pthread_join (w->thread, NULL);
            pthread_mutex_destroy (&w->mu);
            pthread_cond_destroy (&w->cv);
        }
        for (int m = 0; m < 2; m++) {
            if (w->slot[m].store)
                s_slot_clear (&w->slot[m]);
            store_batch_destroy (&w->slot[m].store);
            free (w->slot[m].pend);
        }
        s_db_close (w);
    }
    for (int k = 0; k < 2; k++)
        if (l.wake[k] >= 0)
            close (l.wake[k]);
    if (l.sock)
        zmq_close (l.sock);
    dcp_zap_destroy (&l.zap);
    dcp_registry_destroy (&l.registry);
    dcp_http_destroy (&l.http);
    dcp_metrics_destroy (&l.metrics);
    if (l.ctx)
        zmq_ctx_term (l.ctx);
    memset (&l.keys, 0, sizeof l.keys);
    return rc;
}
