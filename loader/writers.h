/* writers.h: the loader's writer threads and their group commit.
 *
 * A writer is a thread with its own database connection.  The loop's thread
 * fills one batch per writer with arriving submissions while the writer's
 * thread writes the batch before, so the database never waits for the
 * loader's own CPU work and, while one writer waits for its COMMIT, another
 * is loading.  A series (country, questionnaire, year) always goes to the
 * same writer, whose batches commit one after the other in arrival order:
 * revisions of a series land in the order they were sent.
 *
 * Group commit: a batch is handed to its writer when it is full
 * (batch_max_items or batch_max_bytes), or flush_ms after its first item
 * (0: as soon as the writer is free).  A batch whose write fails is kept and
 * written again, as it is, after a pause; nothing of it is acknowledged
 * before its COMMIT.  Connections are opened, reopened with backoff and
 * pinged while idle; a refusal (no such role, bad password) is tried again
 * too, only less often: the loader waits for an operator rather than
 * exiting.
 *
 * The module knows nothing of PostgreSQL or of the messages: it reaches the
 * store through writers_store_t, so tests/test_writers.c checks the
 * threads, the ordering and the group commit against a fake store.
 *
 * Threads: every function here is called from one thread, the loop's; the
 * store's functions are called from that thread too, except batch_write(),
 * which runs in the writer's thread while nothing else touches that batch
 * or that connection. */
#ifndef WRITERS_H
#define WRITERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WRITERS_MAX 8

typedef struct writers_t writers_t;

/* What is known about a batch when it has committed. */
typedef struct {
    int writer;
    size_t items;
    size_t bytes;
    int64_t commit_ms; /* handed to the writer -> COMMIT */
    int64_t delay_ms;  /* its first item arrived -> COMMIT */
} writers_commit_t;

/* The store as the writers see it.  ARG is the one given to writers_new().
 * A batch is the store's object; an item is the caller's. */
typedef struct {
    /* Opens writer W's connection; NULL when it cannot (say why in the
     * log), with *ERR set to DCP_EDB_RETRY when waiting can help (the next
     * attempt comes after a backoff of at most reconnect_max_ms) or another
     * negative code when the database refuses the loader and only an
     * operator can help (attempts go on, at most refused_max_ms apart). */
    void *(*connect) (void *arg, int w, int *err);
    /* Closes CONN (not NULL). */
    void (*disconnect) (void *arg, void *conn);
    /* Returns 0 when idle CONN of writer W still answers, else a negative
     * DCP_E* code (say why in the log): the connection is then reopened. */
    int (*ping) (void *arg, int w, void *conn);
    /* Returns a new empty batch for up to batch_max_items items, NULL when
     * out of memory. */
    void *(*batch_new) (void *arg);
    /* Destroys an empty BATCH. */
    void (*batch_destroy) (void *arg, void *batch);
    /* Adds ITEM to BATCH; on 0 the batch owns what ITEM held, on a negative
     * code the batch is as it was and ITEM is still the caller's. */
    int (*batch_add) (void *arg, void *batch, void *item);
    /* Stores BATCH through CONN in one transaction, in the writer's thread.
     * 0: committed.  DCP_EDB_RETRY: the connection is unusable; it is closed
     * and reopened.  Another negative code: nothing committed, the
     * connection is kept.  Either way the same batch is written again. */
    int (*batch_write) (void *arg, void *conn, void *batch);
    /* BATCH has committed: acknowledge its items, in their order.  Batches
     * of one writer are reported in the order they were filled. */
    void (*batch_committed) (void *arg, void *batch, const writers_commit_t *info);
    /* Empties BATCH for reuse, freeing the items it owns. */
    void (*batch_clear) (void *arg, void *batch);
} writers_store_t;

typedef struct {
    int writers;            /* 1 to WRITERS_MAX */
    size_t batch_max_items; /* at least 1 */
    size_t batch_max_bytes;
    long flush_ms;
    long reconnect_max_ms; /* longest pause between connection attempts */
    long ping_ms;          /* ping an idle connection this often (0 = never) */
    long refused_max_ms;   /* longest pause between connection attempts
                                     while the database refuses the loader
                                     (0 = reconnect_max_ms) */
} writers_cfg_t;

typedef struct {
    unsigned long batches;  /* committed */
    unsigned long failures; /* failed writes, each retried */
    unsigned long connects; /* successful (re)connections */
    size_t in_flight;       /* items added, not yet committed */
} writers_stats_t;

/* Starts CFG->writers threads (no connection yet: writers_run() opens them).
 * STORE is copied; ARG is borrowed.  Returns NULL on a bad configuration or
 * when out of memory or threads. */
writers_t *writers_new (const writers_cfg_t *cfg, const writers_store_t *store, void *arg);

/* Stops the threads (waiting for a running write), closes the connections
 * and destroys the batches with what they hold, uncommitted.  Idempotent;
 * nulls *SELF_P. */
void writers_destroy (writers_t **self_p);

/* The descriptor that becomes readable when a writer finished a write: the
 * loop calls writers_run() then. */
int writers_wake_fd (const writers_t *self);

/* Series keys: a submission's writer is chosen by its series, so that the
 * revisions of a series commit in order; an undecodable one (no series) by
 * its bytes, so the same bytes always go to the same writer. */
uint64_t writers_series_key (const char *country, int questionnaire, int year);
uint64_t writers_bytes_key (const void *raw, size_t len);

/* Returns the writer (0 .. writers-1) of KEY; always the same for a key. */
int writers_pick (const writers_t *self, uint64_t key);

/* Adds ITEM of BYTES bytes to the filling batch of KEY's writer and hands
 * the batch over if it is due.  0: the batch owns ITEM.  DCP_EAGAIN: that
 * batch is full (check writers_can_take() before reading); DCP_ENOMEM or
 * another code of batch_add(): ITEM is still the caller's. */
int writers_submit (writers_t *self, uint64_t key, void *item, size_t bytes);

/* True when every writer is connected and has room in its filling batch:
 * only then read more (a submission's writer is known once it is read). */
bool writers_can_take (const writers_t *self);

/* True when every writer has a connection. */
bool writers_connected (const writers_t *self);

/* Does what is due: takes finished writes (receipts via batch_committed(),
 * or a retry later), opens connections, hands over due batches and pings
 * idle connections.  Never blocks on a writer; may block on connect(). */
void writers_run (writers_t *self);

/* Milliseconds until writers_run() has something due (0 = now), at most
 * MAX; finished writes are signalled by writers_wake_fd() instead. */
long writers_next_ms (const writers_t *self, long max);

/* On the way out: waits for running writes, then writes what is in hand
 * (a retry too, without its pause) on the connections there are, twice at
 * most.  What is left uncommitted is never acknowledged. */
void writers_drain (writers_t *self);

/* Counters since writers_new(). */
void writers_stats (const writers_t *self, writers_stats_t *stats);

#endif
