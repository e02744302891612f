/* writers.c: the loader's writer threads, their hand-off and group commit
 * (see writers.h).
 *
 * Each writer has two batches: FILL takes arriving items (loop thread
 * only); OUT is the batch the thread writes.  While BUSY only the thread
 * touches OUT and CONN; the loop thread sets BUSY when it hands OUT over
 * (JOB under MU, signalled on CV) and clears it when the thread's byte
 * arrives on the wake pipe.  OUT stays non-empty after a failed write, to
 * be written again, and FILL is handed over only once OUT is empty: this
 * is what keeps a writer's batches, and so a series' revisions, in order. */
#include "writers.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dcp_err.h"
#include "dcp_hash.h"
#include "dcp_log.h"
#include "dcp_util.h"

#define BACKOFF_FIRST_MS 100

typedef struct {
    void *batch; /* the store's */
    size_t n, bytes;
    int64_t started_ms; /* arrival of its first item */
} slot_t;

typedef struct {
    writers_t *ws;
    int index;
    void *conn;           /* set and cleared by the loop thread, never while BUSY */
    int64_t conn_used_ms; /* last time the connection was known good */
    int64_t next_connect_ms;
    long backoff_ms;
    slot_t slot[2];
    slot_t *fill, *out;
    pthread_t thread;
    bool started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool job, quit; /* under MU */
    int job_rc;     /* under MU */
    bool busy;
    int64_t job_started_ms, retry_at_ms;
} writer_t;

struct writers_t {
    writers_cfg_t cfg;
    writers_store_t store;
    void *arg;
    writer_t w[WRITERS_MAX];
    int wake[2]; /* a writer writes its index when done */
    writers_stats_t stats;
};

static bool
s_full (const writers_t *ws, const slot_t *s)
{
    return s->n >= ws->cfg.batch_max_items || s->bytes >= ws->cfg.batch_max_bytes;
}

static void
s_slot_clear (writers_t *ws, slot_t *s)
{
    if (s->batch)
        ws->store.batch_clear (ws->arg, s->batch);
    s->n = 0;
    s->bytes = 0;
}

static void
s_disconnect (writer_t *w)
{
    if (w->conn)
        w->ws->store.disconnect (w->ws->arg, w->conn);
    w->conn = NULL;
}

static void *
s_writer_thread (void *arg)
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
        int rc = w->ws->store.batch_write (w->ws->arg, w->conn, w->out->batch);
        pthread_mutex_lock (&w->mu);
        w->job = false;
        w->job_rc = rc;
        /* The pipe cannot fill: one byte per job, one job per writer. */
        ssize_t n;
        do
            n = write (w->ws->wake[1], &index, 1);
        while (n < 0 && errno == EINTR);
    }
    pthread_mutex_unlock (&w->mu);
    return NULL;
}

/* Hands OUT to the writer's thread. */
static void
s_write_start (writer_t *w)
{
    assert (!w->busy && w->conn && w->out->n > 0);
    w->busy = true;
    w->job_started_ms = dcp_now_ms ();
    pthread_mutex_lock (&w->mu);
    w->job = true;
    pthread_cond_signal (&w->cv);
    pthread_mutex_unlock (&w->mu);
}

/* Takes the result of W's write: acknowledgements after a COMMIT, or a
 * retry later.  The caller has read W's byte from the wake pipe. */
static void
s_write_done (writer_t *w)
{
    writers_t *ws = w->ws;
    pthread_mutex_lock (&w->mu);
    int rc = w->job_rc;
    pthread_mutex_unlock (&w->mu);
    w->busy = false;

    slot_t *out = w->out;
    int64_t t1 = dcp_now_ms ();
    if (rc) {
        dcp_warn ("could not store batch, will retry", "writer=%d items=%zu reason=%s", w->index,
                  out->n, dcp_log_quote ((char[128]){0}, 128, dcp_strerror (rc)));
        ws->stats.failures++;
        w->retry_at_ms = t1 + w->backoff_ms;
        if (rc == DCP_EDB_RETRY) {
            s_disconnect (w);
            w->next_connect_ms = w->retry_at_ms;
        }
        return;
    }
    ws->stats.batches++;
    w->conn_used_ms = t1;
    writers_commit_t info = {w->index, out->n, out->bytes, t1 - w->job_started_ms,
                             t1 - out->started_ms};
    ws->store.batch_committed (ws->arg, out->batch, &info);
    dcp_info ("committed batch", "writer=%d items=%zu bytes=%zu ms=%lld", w->index, out->n,
              out->bytes, (long long) info.commit_ms);
    s_slot_clear (ws, out);
}

/* Reads which writers finished; WAIT blocks until one has. */
static void
s_collect (writers_t *ws, bool wait)
{
    char done[WRITERS_MAX];
    for (;;) {
        ssize_t n = read (ws->wake[0], done, sizeof done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN && wait) {
            struct pollfd p = {ws->wake[0], POLLIN, 0};
            if (poll (&p, 1, -1) < 0 && errno != EINTR)
                return;
            continue;
        }
        if (n <= 0)
            return;
        for (ssize_t k = 0; k < n; k++)
            if (done[k] >= 0 && done[k] < ws->cfg.writers && ws->w[(int) done[k]].busy)
                s_write_done (&ws->w[(int) done[k]]);
        return;
    }
}

/* Starts a write if W is free and something is due: first a batch that
 * failed before, else the filling batch once full, or due by flush_ms (0:
 * as soon as the writer is free). */
static void
s_maybe_write (writer_t *w)
{
    writers_t *ws = w->ws;
    if (w->busy || !w->conn)
        return;
    if (w->out->n > 0) {
        if (dcp_now_ms () >= w->retry_at_ms)
            s_write_start (w);
        return;
    }
    if (w->fill->n > 0
        && (s_full (ws, w->fill) || dcp_now_ms () >= w->fill->started_ms + ws->cfg.flush_ms)) {
        slot_t *t = w->out;
        w->out = w->fill;
        w->fill = t;
        s_write_start (w);
    }
}

/* Opens W's connection when it is time to try again; on failure the next
 * attempt waits twice as long, up to reconnect_max_ms, or up to
 * refused_max_ms while the database refuses the loader. */
static void
s_connect (writer_t *w)
{
    writers_t *ws = w->ws;
    int64_t now = dcp_now_ms ();
    if (w->conn || w->busy || now < w->next_connect_ms)
        return;
    int err = DCP_EDB_RETRY;
    w->conn = ws->store.connect (ws->arg, w->index, &err);
    if (!w->conn) {
        long cap = ws->cfg.reconnect_max_ms;
        if (err != DCP_EDB_RETRY && ws->cfg.refused_max_ms > cap)
            cap = ws->cfg.refused_max_ms;
        long wait = w->backoff_ms < cap ? w->backoff_ms : cap;
        w->next_connect_ms = now + wait;
        w->backoff_ms = wait * 2 < cap ? wait * 2 : cap;
        return;
    }
    ws->stats.connects++;
    w->backoff_ms = BACKOFF_FIRST_MS;
    w->conn_used_ms = dcp_now_ms ();
}

/* An idle connection to a database that went away looks fine until it is
 * used: ping it so readiness and reconnection do not wait for the next
 * submission. */
static void
s_ping_idle (writer_t *w)
{
    writers_t *ws = w->ws;
    if (!w->conn || w->busy || w->fill->n > 0 || w->out->n > 0 || ws->cfg.ping_ms <= 0
        || dcp_now_ms () - w->conn_used_ms < ws->cfg.ping_ms)
        return;
    if (ws->store.ping (ws->arg, w->index, w->conn) == 0) {
        w->conn_used_ms = dcp_now_ms ();
        return;
    }
    s_disconnect (w);
    w->next_connect_ms = dcp_now_ms () + w->backoff_ms;
}

static int
s_writer_init (writers_t *ws, int k)
{
    writer_t *w = &ws->w[k];
    w->ws = ws;
    w->index = k;
    w->backoff_ms = BACKOFF_FIRST_MS;
    for (int m = 0; m < 2; m++) {
        w->slot[m].batch = ws->store.batch_new (ws->arg);
        if (!w->slot[m].batch)
            return DCP_ENOMEM;
    }
    w->fill = &w->slot[0];
    w->out = &w->slot[1];
    if (pthread_mutex_init (&w->mu, NULL))
        return DCP_ENOMEM;
    if (pthread_cond_init (&w->cv, NULL)) {
        pthread_mutex_destroy (&w->mu);
        return DCP_ENOMEM;
    }
    if (pthread_create (&w->thread, NULL, s_writer_thread, w) != 0) {
        pthread_cond_destroy (&w->cv);
        pthread_mutex_destroy (&w->mu);
        return DCP_ENOMEM;
    }
    w->started = true;
    return 0;
}

writers_t *
writers_new (const writers_cfg_t *cfg, const writers_store_t *store, void *arg)
{
    if (cfg->writers < 1 || cfg->writers > WRITERS_MAX || cfg->batch_max_items < 1)
        return NULL;
    writers_t *ws = calloc (1, sizeof *ws);
    if (!ws)
        return NULL;
    ws->cfg = *cfg;
    ws->store = *store;
    ws->arg = arg;
    ws->wake[0] = ws->wake[1] = -1;
    if (pipe (ws->wake) != 0 || fcntl (ws->wake[0], F_SETFL, O_NONBLOCK) != 0)
        goto fail;
    for (int k = 0; k < cfg->writers; k++)
        if (s_writer_init (ws, k))
            goto fail;
    return ws;
fail:
    writers_destroy (&ws);
    return NULL;
}

void
writers_destroy (writers_t **self_p)
{
    writers_t *ws = *self_p;
    if (!ws)
        return;
    for (int k = 0; k < WRITERS_MAX; k++) {
        writer_t *w = &ws->w[k];
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
            s_slot_clear (ws, &w->slot[m]);
            if (w->slot[m].batch)
                ws->store.batch_destroy (ws->arg, w->slot[m].batch);
        }
        s_disconnect (w);
    }
    for (int k = 0; k < 2; k++)
        if (ws->wake[k] >= 0)
            close (ws->wake[k]);
    free (ws);
    *self_p = NULL;
}

int
writers_wake_fd (const writers_t *self)
{
    return self->wake[0];
}

/* FNV-1a (dcp_hash): the same series gives the same key in every process,
 * so a series keeps its writer across restarts too. */
uint64_t
writers_series_key (const char *country, int questionnaire, int year)
{
    uint32_t q = (uint32_t) questionnaire, y = (uint32_t) year;
    const uint8_t tail[8] = {(uint8_t) q,         (uint8_t) (q >> 8), (uint8_t) (q >> 16),
                             (uint8_t) (q >> 24), (uint8_t) y,        (uint8_t) (y >> 8),
                             (uint8_t) (y >> 16), (uint8_t) (y >> 24)};
    return dcp_hash_bytes (dcp_hash_str (DCP_HASH_SEED, country), tail, sizeof tail);
}

uint64_t
writers_bytes_key (const void *raw, size_t len)
{
    return dcp_hash_bytes (DCP_HASH_SEED, raw, len);
}

int
writers_pick (const writers_t *self, uint64_t key)
{
    return (int) (key % (uint64_t) self->cfg.writers);
}

int
writers_submit (writers_t *self, uint64_t key, void *item, size_t bytes)
{
    writer_t *w = &self->w[writers_pick (self, key)];
    slot_t *fill = w->fill;
    if (s_full (self, fill))
        return DCP_EAGAIN;
    int rc = self->store.batch_add (self->arg, fill->batch, item);
    if (rc)
        return rc;
    if (fill->n++ == 0)
        fill->started_ms = dcp_now_ms ();
    fill->bytes += bytes;
    /* The writer may be idle: give it this batch now rather than after
     * the caller has drained its socket. */
    s_maybe_write (w);
    return 0;
}

bool
writers_can_take (const writers_t *self)
{
    for (int k = 0; k < self->cfg.writers; k++)
        if (!self->w[k].conn || s_full (self, self->w[k].fill))
            return false;
    return true;
}

bool
writers_connected (const writers_t *self)
{
    for (int k = 0; k < self->cfg.writers; k++)
        if (!self->w[k].conn)
            return false;
    return true;
}

void
writers_run (writers_t *self)
{
    s_collect (self, false);
    for (int k = 0; k < self->cfg.writers; k++) {
        writer_t *w = &self->w[k];
        s_connect (w);
        s_maybe_write (w);
        s_ping_idle (w);
    }
}

long
writers_next_ms (const writers_t *self, long max)
{
    int64_t now = dcp_now_ms ();
    long timeout = max;
    for (int k = 0; k < self->cfg.writers; k++) {
        const writer_t *w = &self->w[k];
        int64_t due;
        if (w->busy)
            continue;
        if (!w->conn)
            due = w->next_connect_ms - now;
        else if (w->out->n > 0)
            due = w->retry_at_ms - now;
        else if (w->fill->n > 0)
            due = w->fill->started_ms + self->cfg.flush_ms - now;
        else
            continue;
        due = due > 0 ? due : 0;
        if (due < timeout)
            timeout = (long) due;
    }
    return timeout;
}

void
writers_drain (writers_t *self)
{
    for (int round = 0; round < 3; round++) {
        bool busy = false;
        for (int k = 0; k < self->cfg.writers; k++) {
            writer_t *w = &self->w[k];
            w->retry_at_ms = 0;
            w->fill->started_ms = 0;
            if (round > 0) /* the first round only waits for running writes */
                s_maybe_write (w);
            busy |= w->busy;
        }
        while (busy) {
            s_collect (self, true);
            busy = false;
            for (int k = 0; k < self->cfg.writers; k++)
                busy |= self->w[k].busy;
        }
    }
}

void
writers_stats (const writers_t *self, writers_stats_t *stats)
{
    *stats = self->stats;
    stats->in_flight = 0;
    for (int k = 0; k < self->cfg.writers; k++)
        stats->in_flight += self->w[k].fill->n + self->w[k].out->n;
}
