/* sink.c: the loader's store for its writers: PostgreSQL connections,
 * store batches of forwarded submissions, receipts (see sink.h). */
#include "sink.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcp_codec.h"
#include "dcp_err.h"
#include "dcp_findings.h"
#include "dcp_frame.h"
#include "dcp_log.h"
#include "catalog.h"
#include "migrate.h"
#include "store.h"

/* A message from a validator and what was decoded from it. */
typedef struct {
    dcp_frames_t frames;          /* route, "DCP1", Forward, raw */
    Dcp__V1__Forward *fwd;
    Dcp__V1__Submission *sub;
} pending_t;

/* A store batch and the messages its items borrow from: pend[i] is item i. */
typedef struct {
    pending_t *pend;
    store_batch_t *store;
} sink_batch_t;

struct sink_t {
    sink_cfg_t cfg;
    bool migrated;                /* loop thread only, like every connect */
    sink_counts_t counts;
    dcp_histogram_t *commit_seconds, *batch_items, *delay_seconds;
};

static void
s_pending_free (pending_t *p)
{
    dcp__v1__forward__free_unpacked (p->fwd, NULL);
    p->fwd = NULL;
    dcp_codec_free (&p->sub);
    dcp_frames_close (&p->frames);
}

/* Opens writer W's connection and, on the first one, migrates the schema.
 * NULL (logged) when the database cannot be reached or migrated. */
static void *
s_connect (void *arg, int w, long retry_ms)
{
    sink_t *self = arg;
    const char *keys[] = {"dbname", "connect_timeout", "application_name", NULL};
    const char *vals[] = {self->cfg.database, "5", "dcp-loader", NULL};
    PGconn *db = PQconnectdbParams (keys, vals, 1);
    if (PQstatus (db) != CONNECTION_OK) {
        char quoted[512];
        /* PQerrorMessage never contains the password. */
        dcp_warn ("could not connect to database", "reason=%s retry_ms=%ld writer=%d",
                  dcp_log_quote (quoted, sizeof quoted, PQerrorMessage (db)), retry_ms, w);
        goto fail;
    }
    /* The raw submission bytes are TOASTed: lz4 compresses them several
     * times faster than the default pglz, which was the server's largest
     * single CPU cost when loading (tests/bench); readers decompress either.
     * A server built without lz4 refuses, and the default stays. */
    PGresult *res = PQexec (db, "SET default_toast_compression = lz4");
    if (PQresultStatus (res) != PGRES_COMMAND_OK)
        dcp_info ("database has no lz4 compression, keeping its default", NULL);
    PQclear (res);
    if (!self->migrated) {
        if (self->cfg.migrate && migrate_run (db) != 0)
            goto fail;
        self->migrated = true;
    }
    /* A loader whose encoder does not match the tables must store nothing:
     * every batch would fail, and partners would wait for nothing.  Not
     * ready on this connection; the reconnect backoff tries again, so a
     * fixed deployment is picked up without a restart. */
    char why[1024];
    int crc = catalog_check (db, why, sizeof why);
    if (crc != 0) {
        char quoted[1200];
        if (crc == DCP_ECONFIG)
            dcp_error ("tables do not match the loader's description, storing nothing",
                       "writer=%d why=%s", w, dcp_log_quote (quoted, sizeof quoted, why));
        else
            dcp_warn ("could not read the database catalog", "writer=%d why=%s", w,
                      dcp_log_quote (quoted, sizeof quoted, why));
        goto fail;
    }
    dcp_info ("connected to database", "writer=%d host=%s db=%s", w,
              PQhost (db) ? PQhost (db) : "", PQdb (db));
    return db;
fail:
    PQfinish (db);
    return NULL;
}

static void
s_disconnect (void *arg, void *conn)
{
    PQfinish (conn);
}

static int
s_ping (void *arg, int w, void *conn)
{
    PGresult *r = PQexec (conn, "SELECT 1");
    bool ok = PQresultStatus (r) == PGRES_TUPLES_OK;
    PQclear (r);
    if (ok)
        return 0;
    dcp_warn ("lost database connection", "writer=%d reason=%s", w,
              dcp_log_quote ((char[300]) {0}, 300, PQerrorMessage (conn)));
    return DCP_EDB_RETRY;
}

static void *
s_batch_new (void *arg)
{
    sink_t *self = arg;
    sink_batch_t *b = calloc (1, sizeof *b);
    if (!b)
        return NULL;
    b->pend = calloc (self->cfg.batch_max_items, sizeof *b->pend);
    b->store = store_batch_new ();
    if (b->store)
        store_batch_set_revision_change_pct (b->store, self->cfg.revision_change_pct);
    if (!b->pend || !b->store) {
        store_batch_destroy (&b->store);
        free (b->pend);
        free (b);
        return NULL;
    }
    return b;
}

static void
s_batch_destroy (void *arg, void *batch)
{
    sink_batch_t *b = batch;
    store_batch_destroy (&b->store);
    free (b->pend);
    free (b);
}

/* ITEM is a pending_t.  It moves into the slot of its item first: the item
 * borrows the bytes, and a short ZeroMQ message keeps them inside its
 * struct.  On failure it moves back. */
static int
s_batch_add (void *arg, void *batch, void *item)
{
    sink_t *self = arg;
    sink_batch_t *b = batch;
    pending_t *src = item;
    size_t n = store_batch_size (b->store);
    if (n >= self->cfg.batch_max_items)
        return DCP_EAGAIN;
    pending_t *dst = &b->pend[n];
    memset (dst, 0, sizeof *dst);
    dcp_frames_move (&dst->frames, &src->frames);
    dst->fwd = src->fwd;
    dst->sub = src->sub;
    store_item_t in = {.fwd = dst->fwd,
                       .raw = zmq_msg_data (&dst->frames.part[3]),
                       .raw_len = zmq_msg_size (&dst->frames.part[3]),
                       .sub = dst->sub};
    int rc = store_batch_add (b->store, &in);
    if (rc) {
        dcp_frames_move (&src->frames, &dst->frames);
        return rc;
    }
    src->fwd = NULL;
    src->sub = NULL;
    return 0;
}

/* A failed write on a connection that broke is DCP_EDB_RETRY whatever the
 * store says, so the writers open a new one. */
static int
s_batch_write (void *arg, void *conn, void *batch)
{
    sink_batch_t *b = batch;
    int rc = store_batch_write (conn, b->store);
    if (rc && PQstatus (conn) != CONNECTION_OK)
        rc = DCP_EDB_RETRY;
    return rc;
}

/* Answers P with ITEM's outcome.  Returns 0, DCP_ENOMEM, or the code of
 * the send: DCP_EAGAIN when the validator went away (it loses the receipt;
 * the collector resends and gets the same answer from the database). */
static int
s_send_receipt (sink_t *self, pending_t *p, store_item_t *item)
{
    Dcp__V1__Receipt r = DCP__V1__RECEIPT__INIT;
    r.submission_id = p->fwd->submission_id;
    r.status = item->status;
    r.replayed = item->replayed;
    r.stored_at = item->stored_at;
    r.current_submission_id = item->current_id;
    if (item->findings && dcp_findings_to_problems (item->findings, &r.problems, &r.n_problems))
        return DCP_ENOMEM;
    size_t len;
    uint8_t *buf = dcp_codec_pack_msg (&r.base, &len);
    int rc = DCP_ENOMEM;
    if (buf)
        rc = dcp_frame_send_loader_receipt (self->cfg.sock, &p->frames.part[0],
                                            p->fwd->route.data, p->fwd->route.len,
                                            p->fwd->submission_id, buf, len, ZMQ_DONTWAIT);
    free (buf);
    dcp_findings_free_problems (r.problems, r.n_problems);
    return rc;
}

static void
s_batch_committed (void *arg, void *batch, const writers_commit_t *info)
{
    sink_t *self = arg;
    sink_batch_t *b = batch;
    dcp_histogram_observe (self->commit_seconds, (double) info->commit_ms / 1000.0);
    dcp_histogram_observe (self->batch_items, (double) info->items);
    /* From the first submission of the batch arriving to its COMMIT: what
     * group commit adds to each receipt. */
    dcp_histogram_observe (self->delay_seconds, (double) info->delay_ms / 1000.0);
    for (size_t i = 0; i < info->items; i++) {
        pending_t *p = &b->pend[i];
        store_item_t *item = store_batch_item (b->store, i);
        switch (item->status) {
        case DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED: self->counts.accepted++; break;
        case DCP__V1__RECEIPT_STATUS__RECEIPT_CONFLICT: self->counts.conflicts++; break;
        default: self->counts.rejected++; break;
        }
        self->counts.replayed += item->replayed;
        dcp_debug ("stored submission", "submission=%s status=%s replayed=%s",
                   dcp_log_quote ((char[100]) {0}, 100, p->fwd->submission_id),
                   dcp_codec_status_name (item->status), item->replayed ? "true" : "false");
        int rc = s_send_receipt (self, p, item);
        if (rc)
            dcp_log (rc == DCP_EAGAIN ? DCP_LOG_DEBUG : DCP_LOG_WARN, "could not send receipt",
                     "submission=%s reason=%s",
                     dcp_log_quote ((char[100]) {0}, 100, p->fwd->submission_id),
                     dcp_log_quote ((char[128]) {0}, 128, dcp_strerror (rc)));
    }
}

static void
s_batch_clear (void *arg, void *batch)
{
    sink_batch_t *b = batch;
    size_t n = store_batch_size (b->store);
    store_batch_clear (b->store);
    for (size_t i = 0; i < n; i++)
        s_pending_free (&b->pend[i]);
}

const writers_store_t sink_store = {
    .connect = s_connect,
    .disconnect = s_disconnect,
    .ping = s_ping,
    .batch_new = s_batch_new,
    .batch_destroy = s_batch_destroy,
    .batch_add = s_batch_add,
    .batch_write = s_batch_write,
    .batch_committed = s_batch_committed,
    .batch_clear = s_batch_clear,
};

sink_t *
sink_new (const sink_cfg_t *cfg, dcp_metrics_t *metrics)
{
    sink_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->cfg = *cfg;
    self->commit_seconds = dcp_metrics_histogram (metrics, "dcp_loader_batch_seconds",
                                                  "time to store and commit one batch",
                                                  dcp_metrics_latency_bounds,
                                                  dcp_metrics_latency_n);
    static const double sizes[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000};
    self->batch_items = dcp_metrics_histogram (metrics, "dcp_loader_batch_submissions",
                                               "submissions per committed batch", sizes,
                                               sizeof sizes / sizeof *sizes);
    self->delay_seconds = dcp_metrics_histogram (metrics, "dcp_loader_receipt_delay_seconds",
                                                 "from a batch's first submission to its COMMIT",
                                                 dcp_metrics_latency_bounds,
                                                 dcp_metrics_latency_n);
    return self;
}

void
sink_destroy (sink_t **self_p)
{
    free (*self_p);
    *self_p = NULL;
}

int
sink_take (sink_t *self, writers_t *writers, dcp_frames_t *frames)
{
    pending_t p = {.fwd = NULL};
    int rc = 0;
    dcp_frames_move (&p.frames, frames);
    zmq_msg_t *route, *forward, *payload;
    self->counts.received++;
    if (dcp_frame_read_forward (&p.frames, &route, &forward, &payload) != 0) {
        dcp_warn ("dropped malformed message from validator", "parts=%zu", p.frames.count);
        rc = DCP_EPROTO;
        goto cleanup;
    }
    p.fwd = dcp__v1__forward__unpack (NULL, zmq_msg_size (forward), zmq_msg_data (forward));
    if (!p.fwd) {
        dcp_warn ("dropped undecodable forward from validator", NULL);
        rc = DCP_EPROTO;
        goto cleanup;
    }
    /* The validator could not decode it either when it says so; otherwise a
     * failure here is stored as undecodable too (the raw bytes are kept). */
    const uint8_t *raw = zmq_msg_data (payload);
    size_t len = zmq_msg_size (payload);
    p.sub = dcp_codec_unpack (raw, len, self->cfg.max_message);
    uint64_t key = p.sub && p.sub->reporting_country
                       ? writers_series_key (p.sub->reporting_country, (int) p.sub->questionnaire,
                                             (int) p.sub->reporting_year)
                       : writers_bytes_key (raw, len);
    rc = writers_submit (writers, key, &p, len);
    if (rc)
        /* Not acknowledged: the collector sends it again. */
        dcp_warn (rc == DCP_ENOMEM ? "dropped submission: out of memory" : "dropped submission",
                  "submission=%s reason=%s",
                  dcp_log_quote ((char[100]) {0}, 100, p.fwd->submission_id),
                  dcp_log_quote ((char[128]) {0}, 128, dcp_strerror (rc)));
cleanup:
    s_pending_free (&p);
    return rc;
}

bool
sink_migrated (const sink_t *self)
{
    return self->migrated;
}

sink_counts_t
sink_counts (const sink_t *self)
{
    return self->counts;
}

static void
s_set (dcp_metrics_t *m, const char *name, const char *help, double value, bool gauge)
{
    double *c = gauge ? dcp_metrics_gauge (m, name, help, NULL)
                      : dcp_metrics_counter (m, name, help, NULL);
    if (c)
        *c = value;
}

void
sink_metrics_update (const sink_t *self, const writers_stats_t *st, bool connected,
                     dcp_metrics_t *m)
{
    const sink_counts_t *c = &self->counts;
    s_set (m, "dcp_loader_received_total", "submissions received from validators",
           (double) c->received, false);
    s_set (m, "dcp_loader_accepted_total", "submissions committed as accepted",
           (double) c->accepted, false);
    s_set (m, "dcp_loader_rejected_total", "submissions committed to quarantine",
           (double) c->rejected, false);
    s_set (m, "dcp_loader_conflicts_total", "ids resent with different content",
           (double) c->conflicts, false);
    s_set (m, "dcp_loader_duplicates_total", "resends of stored submissions (nothing written)",
           (double) c->replayed, false);
    s_set (m, "dcp_loader_batches_total", "transactions committed", (double) st->batches, false);
    s_set (m, "dcp_loader_db_connects_total", "successful database (re)connections",
           (double) st->connects, false);
    s_set (m, "dcp_loader_db_failures_total", "batches that failed and will be retried",
           (double) st->failures, false);
    s_set (m, "dcp_loader_db_up", "1 if every writer is connected to the database",
           connected, true);
    s_set (m, "dcp_loader_in_flight", "submissions received, not yet committed",
           (double) st->in_flight, true);
}

int
sink_migrate_only (const char *database)
{
    PGconn *db = PQconnectdb (database);
    int rc = DCP_EDB_RETRY;
    if (PQstatus (db) != CONNECTION_OK) {
        fprintf (stderr, "loader: could not connect to database: %s", PQerrorMessage (db));
        goto cleanup;
    }
    rc = migrate_run (db);
    if (rc == 0)
        printf ("schema is at migration %d\n", migrate_current (db));
cleanup:
    PQfinish (db);
    return rc;
}
