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
#include "dcp_util.h"
#include "catalog.h"
#include "migrate.h"
#include "pgconn.h"
#include "revwait.h"
#include "store.h"

/* A message from a validator and what was decoded from it. */
typedef struct {
    dcp_frames_t frames; /* route, "DCP1", Forward, raw */
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
    bool migrated;         /* loop thread only, like every connect */
    char status[190];      /* why not ready, one line, for /readyz */
    char last_error[1024]; /* the connection failure last logged */
    bool last_refused;
    int64_t last_logged_ms;
    unsigned long repeated; /* the same failure since, not logged */
    unsigned long failures; /* failed attempts since the last success */
    sink_counts_t counts;
    dcp_histogram_t *commit_seconds, *batch_items, *delay_seconds;
    revwait_t *revwait; /* revisions waiting for their predecessor, all batches */
};

static void
s_pending_free (pending_t *p)
{
    dcp__v1__forward__free_unpacked (p->fwd, NULL);
    p->fwd = NULL;
    dcp_codec_free (&p->sub);
    dcp_frames_close (&p->frames);
}

/* How often a failure to connect that has not changed is logged again. */
#define SINK_RELOG_MS 60000

/* Records why writer W could not connect: the text for /readyz, and a log
 * line when the reason changed or SINK_RELOG_MS passed since it was last
 * logged (writers retry every few seconds; a refusal lasts until an
 * operator acts).  A refusal is an error, an absence a warning. */
static void
s_connect_failed (sink_t *self, int w, const pgconn_error_t *err)
{
    int64_t now = dcp_now_ms ();
    char line[sizeof self->status];
    snprintf (self->status, sizeof self->status, "database: %s",
              pgconn_one_line (line, sizeof line, err->message));
    self->failures++;
    bool changed =
        strcmp (err->message, self->last_error) != 0 || err->refused != self->last_refused;
    if (!changed && now - self->last_logged_ms < SINK_RELOG_MS) {
        self->repeated++;
        return;
    }
    dcp_log (err->refused ? DCP_LOG_ERROR : DCP_LOG_WARN,
             err->refused ? "database refuses the loader, will retry"
                          : "could not connect to database",
             "reason=%s sqlstate=%s repeated=%lu writer=%d",
             dcp_log_quote ((char[1200]){0}, 1200, err->message),
             err->sqlstate[0] ? err->sqlstate : "\"\"", self->repeated, w);
    snprintf (self->last_error, sizeof self->last_error, "%s", err->message);
    self->last_refused = err->refused;
    self->last_logged_ms = now;
    self->repeated = 0;
}

/* Opens writer W's connection and, on the first one, migrates the schema.
 * NULL (logged, *ERR set) when the database cannot be reached or
 * migrated. */
static void *
s_connect (void *arg, int w, int *err)
{
    sink_t *self = arg;
    pgconn_error_t why;
    PGconn *db = pgconn_open (self->cfg.database, w, &why);
    if (!db) {
        s_connect_failed (self, w, &why);
        *err = why.refused ? DCP_ECONFIG : DCP_EDB_RETRY;
        return NULL;
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
        int rc = self->cfg.migrate ? migrate_run (db) : 0;
        if (rc) { /* migrate_run() logged why */
            snprintf (self->status, sizeof self->status, "%s",
                      rc == DCP_EDB_RETRY ? "database: connection lost while migrating"
                                          : "database: schema migration failed (see the log)");
            *err = rc == DCP_EDB_RETRY ? DCP_EDB_RETRY : DCP_EDB_FATAL;
            goto fail;
        }
        self->migrated = true;
    }
    /* A loader whose encoder does not match the tables must store nothing:
     * every batch would fail, and partners would wait for nothing.  Not
     * ready on this connection; the reconnect backoff tries again (as for
     * a refusal, when the tables are wrong: an operator must act), so a
     * fixed deployment is picked up without a restart. */
    char mismatch[1024];
    int crc = catalog_check (db, mismatch, sizeof mismatch);
    if (crc != 0) {
        char quoted[1200];
        if (crc == DCP_ECONFIG)
            dcp_error ("tables do not match the loader's description, storing nothing",
                       "writer=%d why=%s", w, dcp_log_quote (quoted, sizeof quoted, mismatch));
        else
            dcp_warn ("could not read the database catalog", "writer=%d why=%s", w,
                      dcp_log_quote (quoted, sizeof quoted, mismatch));
        snprintf (self->status, sizeof self->status, "%s",
                  crc == DCP_ECONFIG ? "database: tables do not match the loader (see the log)"
                                     : "database: could not read the catalog");
        *err = crc == DCP_ECONFIG ? DCP_ECONFIG : DCP_EDB_RETRY;
        goto fail;
    }
    if (self->failures)
        dcp_info ("database reachable again", "writer=%d failed_attempts=%lu", w, self->failures);
    self->last_error[0] = '\0';
    self->last_refused = false;
    self->repeated = 0;
    self->failures = 0;
    /* What /readyz says if this connection breaks later in a write, until
     * the next attempt says more (the write's thread does not touch it). */
    snprintf (self->status, sizeof self->status, "database: connecting");
    dcp_info ("connected to database", "writer=%d host=%s port=%s db=%s", w,
              PQhost (db) ? PQhost (db) : "", PQport (db) ? PQport (db) : "", PQdb (db));
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
    sink_t *self = arg;
    PGresult *r = PQexec (conn, "SELECT 1");
    bool ok = PQresultStatus (r) == PGRES_TUPLES_OK;
    PQclear (r);
    if (ok)
        return 0;
    pgconn_error_t why; /* the message, trimmed */
    pgconn_parse_error (PQerrorMessage (conn), &why);
    dcp_warn ("lost database connection", "writer=%d reason=%s", w,
              dcp_log_quote ((char[1200]){0}, 1200, why.message));
    snprintf (self->status, sizeof self->status, "database: connection lost: %s",
              pgconn_one_line ((char[sizeof self->status]){0}, sizeof self->status, why.message));
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
    if (b->store) {
        store_batch_set_revision_change_pct (b->store, self->cfg.revision_change_pct);
        store_batch_set_revwait (b->store, self->revwait);
    }
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
        rc = dcp_frame_send_loader_receipt (self->cfg.sock, &p->frames.part[0], p->fwd->route.data,
                                            p->fwd->route.len, p->fwd->submission_id, buf, len,
                                            ZMQ_DONTWAIT);
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
        case DCP__V1__RECEIPT_STATUS__RECEIPT_RETRY_LATER: break; /* not answered for good */
        default: self->counts.rejected++; break;
        }
        self->counts.replayed += item->replayed;
        dcp_debug ("stored submission", "submission=%s status=%s replayed=%s",
                   dcp_log_quote ((char[100]){0}, 100, p->fwd->submission_id),
                   dcp_codec_status_name (item->status), item->replayed ? "true" : "false");
        int rc = s_send_receipt (self, p, item);
        if (rc)
            dcp_log (rc == DCP_EAGAIN ? DCP_LOG_DEBUG : DCP_LOG_WARN, "could not send receipt",
                     "submission=%s reason=%s",
                     dcp_log_quote ((char[100]){0}, 100, p->fwd->submission_id),
                     dcp_log_quote ((char[128]){0}, 128, dcp_strerror (rc)));
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
    snprintf (self->status, sizeof self->status, "database: connecting");
    if (!(self->revwait = revwait_new (REVWAIT_DEFAULT_MS))) {
        free (self);
        return NULL;
    }
    self->commit_seconds = dcp_metrics_histogram (
        metrics, "dcp_loader_batch_seconds", "time to store and commit one batch",
        dcp_metrics_latency_bounds, dcp_metrics_latency_n);
    static const double sizes[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000};
    self->batch_items = dcp_metrics_histogram (metrics, "dcp_loader_batch_submissions",
                                               "submissions per committed batch", sizes,
                                               sizeof sizes / sizeof *sizes);
    self->delay_seconds = dcp_metrics_histogram (metrics, "dcp_loader_receipt_delay_seconds",
                                                 "from a batch's first submission to its COMMIT",
                                                 dcp_metrics_latency_bounds, dcp_metrics_latency_n);
    return self;
}

void
sink_destroy (sink_t **self_p)
{
    if (*self_p)
        revwait_destroy (&(*self_p)->revwait);
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
                  dcp_log_quote ((char[100]){0}, 100, p.fwd->submission_id),
                  dcp_log_quote ((char[128]){0}, 128, dcp_strerror (rc)));
cleanup:
    s_pending_free (&p);
    return rc;
}

bool
sink_migrated (const sink_t *self)
{
    return self->migrated;
}

const char *
sink_db_status (const sink_t *self)
{
    return self->status;
}

sink_counts_t
sink_counts (const sink_t *self)
{
    return self->counts;
}

static void
s_set (dcp_metrics_t *m, const char *name, const char *help, double value, bool gauge)
{
    double *c =
        gauge ? dcp_metrics_gauge (m, name, help, NULL) : dcp_metrics_counter (m, name, help, NULL);
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
    s_set (m, "dcp_loader_db_up", "1 if every writer is connected to the database", connected,
           true);
    s_set (m, "dcp_loader_in_flight", "submissions received, not yet committed",
           (double) st->in_flight, true);
}

int
sink_migrate_only (const char *database)
{
    pgconn_error_t why;
    PGconn *db = pgconn_open (database, -1, &why);
    int rc = DCP_EDB_RETRY;
    if (!db) {
        fprintf (stderr, "loader: could not connect to database: %s\n", why.message);
        goto cleanup;
    }
    rc = migrate_run (db);
    if (rc == 0)
        printf ("schema is at migration %d\n", migrate_current (db));
cleanup:
    PQfinish (db);
    return rc;
}
