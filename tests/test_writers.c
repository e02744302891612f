/* test_writers.c: the loader's writer threads (loader/writers.c) against a
 * fake store, without PostgreSQL.
 *
 * The fake store records, under its mutex, the order in which the writer
 * threads commit items, and which writer committed each; it can hold every
 * write behind a gate (a slow COMMIT), sleep a random while (writers
 * overlapping), refuse connections, or fail the next writes (a lost
 * connection, or a failure that keeps the connection).  Acknowledgements
 * are recorded by batch_committed() in the loop's thread, and each one
 * checks that its item was committed first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dcp_err.h"
#include "dcp_log.h"
#include "dcp_util.h"
#include "writers.h"

#define ITEMS_MAX 2000
#define BATCH_CAP 64

typedef struct {
    int id; /* send order */
    int series;
    int rev;        /* revision within its series, in send order */
    bool committed; /* set by the fake write */
    int writer;     /* the writer that committed it */
} item_t;

typedef struct {
    item_t *items[BATCH_CAP];
    size_t n;
} fake_batch_t;

typedef struct {
    int writer;
} fake_conn_t;

typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    /* under MU: the writer threads' side */
    bool gate_closed; /* writes wait while closed */
    int fail_next;    /* this many writes fail with FAIL_RC */
    int fail_rc;
    int delay_us_max;          /* each write sleeps up to this long */
    int attempts;              /* writes started */
    int attempt_first[64];     /* id of the first item of each attempt */
    size_t attempt_n[64];      /* and its number of items */
    int commit_log[ITEMS_MAX]; /* item ids in commit order */
    size_t n_commits;
    /* loop thread only */
    int connect_fail;     /* this many connects fail */
    bool connect_refused; /* and say the database refuses us */
    int connects, disconnects;
    int ack_log[ITEMS_MAX]; /* item ids in acknowledgement order */
    size_t n_acks;
    size_t batch_sizes[ITEMS_MAX];
    size_t n_batches;
    bool ack_before_commit;
    size_t cleared; /* items dropped by batch_clear */
} fake_t;

static item_t s_items[ITEMS_MAX];

static void *
s_fake_connect (void *arg, int w, int *err)
{
    fake_t *f = arg;
    if (f->connect_fail > 0) {
        f->connect_fail--;
        *err = f->connect_refused ? DCP_ECONFIG : DCP_EDB_RETRY;
        return NULL;
    }
    fake_conn_t *c = malloc (sizeof *c);
    assert_non_null (c);
    c->writer = w;
    f->connects++;
    return c;
}

static void
s_fake_disconnect (void *arg, void *conn)
{
    ((fake_t *) arg)->disconnects++;
    free (conn);
}

static int
s_fake_ping (void *arg, int w, void *conn)
{
    return 0;
}

static void *
s_fake_batch_new (void *arg)
{
    return calloc (1, sizeof (fake_batch_t));
}

static void
s_fake_batch_destroy (void *arg, void *batch)
{
    free (batch);
}

static int
s_fake_batch_add (void *arg, void *batch, void *item)
{
    fake_batch_t *b = batch;
    if (b->n == BATCH_CAP)
        return DCP_ENOMEM;
    b->items[b->n++] = item;
    return 0;
}

/* In a writer thread. */
static int
s_fake_batch_write (void *arg, void *conn, void *batch)
{
    fake_t *f = arg;
    fake_batch_t *b = batch;
    pthread_mutex_lock (&f->mu);
    while (f->gate_closed)
        pthread_cond_wait (&f->cv, &f->mu);
    if (f->attempts < 64) {
        f->attempt_first[f->attempts] = b->items[0]->id;
        f->attempt_n[f->attempts] = b->n;
    }
    unsigned seed = (unsigned) (f->attempts++ * 7919 + ((fake_conn_t *) conn)->writer);
    int delay = f->delay_us_max;
    if (f->fail_next > 0) {
        f->fail_next--;
        pthread_mutex_unlock (&f->mu);
        return f->fail_rc;
    }
    pthread_mutex_unlock (&f->mu);
    if (delay > 0) {
        struct timespec ts = {0, (long) (rand_r (&seed) % (unsigned) delay) * 1000};
        nanosleep (&ts, NULL);
    }
    pthread_mutex_lock (&f->mu);
    for (size_t i = 0; i < b->n; i++) {
        b->items[i]->committed = true;
        b->items[i]->writer = ((fake_conn_t *) conn)->writer;
        f->commit_log[f->n_commits++] = b->items[i]->id;
    }
    pthread_mutex_unlock (&f->mu);
    return 0;
}

static void
s_fake_batch_committed (void *arg, void *batch, const writers_commit_t *info)
{
    fake_t *f = arg;
    fake_batch_t *b = batch;
    assert_int_equal (info->items, b->n);
    f->batch_sizes[f->n_batches++] = b->n;
    pthread_mutex_lock (&f->mu);
    for (size_t i = 0; i < b->n; i++) {
        if (!b->items[i]->committed)
            f->ack_before_commit = true;
        f->ack_log[f->n_acks++] = b->items[i]->id;
    }
    pthread_mutex_unlock (&f->mu);
}

static void
s_fake_batch_clear (void *arg, void *batch)
{
    fake_batch_t *b = batch;
    ((fake_t *) arg)->cleared += b->n;
    b->n = 0;
}

static const writers_store_t s_fake_store = {
    s_fake_connect,     s_fake_disconnect,      s_fake_ping,
    s_fake_batch_new,   s_fake_batch_destroy,   s_fake_batch_add,
    s_fake_batch_write, s_fake_batch_committed, s_fake_batch_clear,
};

static fake_t *
s_fake_new (void)
{
    fake_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    pthread_mutex_init (&f->mu, NULL);
    pthread_cond_init (&f->cv, NULL);
    memset (s_items, 0, sizeof s_items);
    return f;
}

static void
s_fake_destroy (fake_t **f_p)
{
    pthread_mutex_destroy (&(*f_p)->mu);
    pthread_cond_destroy (&(*f_p)->cv);
    free (*f_p);
    *f_p = NULL;
}

static void
s_gate (fake_t *f, bool closed)
{
    pthread_mutex_lock (&f->mu);
    f->gate_closed = closed;
    pthread_cond_broadcast (&f->cv);
    pthread_mutex_unlock (&f->mu);
}

static int
s_attempts (fake_t *f)
{
    pthread_mutex_lock (&f->mu);
    int n = f->attempts;
    pthread_mutex_unlock (&f->mu);
    return n;
}

/* One turn of a loader's loop: wait for a writer or for what is due. */
static void
s_turn (writers_t *ws, long max_ms)
{
    struct pollfd p = {writers_wake_fd (ws), POLLIN, 0};
    poll (&p, 1, (int) writers_next_ms (ws, max_ms));
    writers_run (ws);
}

/* Turns until ACKS items are acknowledged or TIMEOUT_MS passed. */
static void
s_pump_acks (writers_t *ws, fake_t *f, size_t acks, long timeout_ms)
{
    int64_t end = dcp_now_ms () + timeout_ms;
    while (f->n_acks < acks && dcp_now_ms () < end)
        s_turn (ws, 10);
}

static void
s_pump_for (writers_t *ws, long ms)
{
    int64_t end = dcp_now_ms () + ms;
    while (dcp_now_ms () < end)
        s_turn (ws, 5);
}

static const char *s_countries[] = {"AFG", "IRN", "PAK", "TJK", "UZB", "KAZ"};

static uint64_t
s_series_key (int series)
{
    return writers_series_key (s_countries[series % 6], 1 + series / 6 % 2, 2015 + series / 12);
}

/* Sends item ID of SERIES as a loader does: only when the writers can take
 * it, turning the loop meanwhile. */
static void
s_send (writers_t *ws, int id, int series, int rev, size_t bytes)
{
    item_t *it = &s_items[id];
    *it = (item_t){id, series, rev, false, -1};
    while (!writers_can_take (ws))
        s_turn (ws, 10);
    assert_int_equal (writers_submit (ws, s_series_key (series), it, bytes), 0);
}

static writers_t *
s_writers (fake_t *f, int n, size_t max_items, size_t max_bytes, long flush_ms)
{
    writers_cfg_t cfg = {n, max_items, max_bytes, flush_ms, 200, 0, 0};
    writers_t *ws = writers_new (&cfg, &s_fake_store, f);
    assert_non_null (ws);
    writers_run (ws); /* connects */
    assert_true (writers_connected (ws));
    return ws;
}

static void
test_series_keys_are_stable_and_spread (void **state)
{
    (void) state;
    assert_int_equal (writers_series_key ("TJK", 2, 2024), writers_series_key ("TJK", 2, 2024));
    assert_int_not_equal (writers_series_key ("TJK", 2, 2024), writers_series_key ("TJK", 2, 2023));
    assert_int_not_equal (writers_series_key ("TJK", 2, 2024), writers_series_key ("TJK", 1, 2024));
    assert_int_not_equal (writers_series_key ("TJK", 2, 2024), writers_series_key ("IRN", 2, 2024));
    assert_int_equal (writers_bytes_key ("abc", 3), writers_bytes_key ("abc", 3));
    fake_t *f = s_fake_new ();
    writers_t *ws = s_writers (f, 2, 10, 1 << 20, 0);
    int used[2] = {0, 0};
    for (int s = 0; s < 34; s++)
        used[writers_pick (ws, s_series_key (s))]++;
    assert_true (used[0] > 0 && used[1] > 0);
    writers_destroy (&ws);
    assert_null (ws);
    s_fake_destroy (&f);
}

/* Many revisions of a few series, in a random series order, through three
 * writers whose commits take a random while: each series is committed by
 * one writer, and its revisions are committed and acknowledged in the
 * order they were sent. */
static void
test_series_commit_in_send_order (void **state)
{
    (void) state;
    enum { N = 900, SERIES = 12 };
    fake_t *f = s_fake_new ();
    f->delay_us_max = 2000;
    writers_t *ws = s_writers (f, 3, 5, 1 << 20, 0);
    int next_rev[SERIES] = {0};
    unsigned seed = 42;
    for (int id = 0; id < N; id++) {
        int s = (int) (rand_r (&seed) % SERIES);
        s_send (ws, id, s, next_rev[s]++, 100);
    }
    s_pump_acks (ws, f, N, 10000);
    assert_int_equal (f->n_acks, N);
    assert_int_equal (f->n_commits, N);
    assert_false (f->ack_before_commit);

    int series_writer[SERIES], seen_commit[SERIES], seen_ack[SERIES];
    bool writer_used[3] = {false, false, false};
    for (int s = 0; s < SERIES; s++)
        series_writer[s] = -1, seen_commit[s] = 0, seen_ack[s] = 0;
    for (size_t i = 0; i < N; i++) {
        const item_t *c = &s_items[f->commit_log[i]];
        if (series_writer[c->series] < 0)
            series_writer[c->series] = c->writer;
        assert_int_equal (c->writer, series_writer[c->series]);
        writer_used[c->writer] = true;
        assert_int_equal (c->rev, seen_commit[c->series]++);
        const item_t *a = &s_items[f->ack_log[i]];
        assert_int_equal (a->rev, seen_ack[a->series]++);
    }
    assert_true (writer_used[0] && writer_used[1] && writer_used[2]);
    writers_stats_t st;
    writers_stats (ws, &st);
    assert_int_equal (st.in_flight, 0);
    assert_int_equal (st.failures, 0);
    writers_destroy (&ws);
    s_fake_destroy (&f);
}

/* While a COMMIT has not returned, nothing is acknowledged; then every item
 * of the batch is, in the order sent. */
static void
test_acks_only_after_commit_in_order (void **state)
{
    (void) state;
    fake_t *f = s_fake_new ();
    writers_t *ws = s_writers (f, 1, 10, 1 << 20, 0);
    s_gate (f, true);
    for (int id = 0; id < 3; id++)
        s_send (ws, id, 0, id, 10);
    s_pump_for (ws, 50);
    assert_int_equal (s_attempts (f), 0); /* held at the gate */
    assert_int_equal (f->n_acks, 0);
    s_gate (f, false);
    s_pump_acks (ws, f, 3, 2000);
    assert_int_equal (f->n_acks, 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal (f->ack_log[i], i);
    assert_false (f->ack_before_commit);
    writers_destroy (&ws);
    s_fake_destroy (&f);
}

/* What arrives while a writer commits forms its next batch, up to
 * batch_max_items; then the writers take nothing more. */
static void
test_group_commit_collects_up_to_max (void **state)
{
    (void) state;
    fake_t *f = s_fake_new ();
    writers_t *ws = s_writers (f, 1, 4, 1 << 20, 0);
    s_gate (f, true);
    s_send (ws, 0, 0, 0, 10); /* handed over at once: the writer was free */
    for (int id = 1; id <= 4; id++)
        s_send (ws, id, 0, id, 10);
    assert_false (writers_can_take (ws));
    s_items[5] = (item_t){5, 0, 5, false, -1};
    assert_int_equal (writers_submit (ws, s_series_key (0), &s_items[5], 10), DCP_EAGAIN);
    s_gate (f, false);
    s_pump_acks (ws, f, 5, 2000);
    assert_int_equal (f->n_batches, 2);
    assert_int_equal (f->batch_sizes[0], 1);
    assert_int_equal (f->batch_sizes[1], 4);
    assert_true (writers_can_take (ws));
    writers_destroy (&ws);
    s_fake_destroy (&f);
}

/* batch_max_bytes ends a batch too. */
static void
test_group_commit_bounded_by_bytes (void **state)
{
    (void) state;
    fake_t *f = s_fake_new ();
    writers_t *ws = s_writers (f, 1, 50, 100, 0);
    s_gate (f, true);
    for (int id = 0; id < 4; id++)
        s_send (ws, id, 0, id, 40); /* 1 at once, then 3 (120 bytes): full */
    assert_false (writers_can_take (ws));
    s_gate (f, false);
    s_pump_acks (ws, f, 4, 2000);
    assert_int_equal (f->n_batches, 2);
    assert_int_equal (f->batch_sizes[0], 1);
    assert_int_equal (f->batch_sizes[1], 3);
    writers_destroy (&ws);
    s_fake_destroy (&f);
}

/* With flush_ms, a partial batch waits that long for company. */
static void
test_flush_ms_waits_for_more (void **state)
{
    (void) state;
    fake_t *f = s_fake_new ();
    writers_t *ws = s_writers (f, 1, 100, 1 << 20, 150);
    int64_t t0 = dcp_now_ms ();
    for (int id = 0; id < 3; id++)
        s_send (ws, id, 0, id, 10);
    s_pump_for (ws, 50);
    assert_int_equal (s_attempts (f), 0);
    s_pump_acks (ws, f, 3, 2000);
    assert_int_equal (f->n_batches, 1);
    assert_int_equal (f->batch_sizes[0], 3);
    assert_true (dcp_now_ms () - t0 >= 150);
    writers_destroy (&ws);
    s_fake_destroy (&f);
}

/* A write that fails on a lost connection: the connection is reopened and
 * the same batch written again; nothing is acknowledged before its COMMIT,
 * and what arrived meanwhile commits after it. */
static void
test_failed_write_keeps_batch_and_retries (void **state)
{
    (void) state;
    fake_t *f = s_fake_new ();
    f->fail_next = 2;
    f->fail_rc = DCP_EDB_RETRY;
    writers_t *ws = s_writers (f, 1, 10, 1 << 20, 0);
    s_send (ws, 0, 0, 0, 10); /* written at once, alone */
    while (s_attempts (f) < 1)
        s_turn (ws, 10);
    s_turn (ws, 10);
    assert_int_equal (f->n_acks, 0);
    for (int id = 1; id < 5; id++)
        s_send (ws, id, 0, id, 10);
    s_pump_acks (ws, f, 5, 5000);
    assert_int_equal (f->n_acks, 5);
    for (int i = 0; i < 5; i++)
        assert_int_equal (f->ack_log[i], i);
    assert_false (f->ack_before_commit);
    /* attempts 0 and 1 failed, 2 committed, the same item each time; then
     * what arrived meanwhile */
    assert_int_equal (s_attempts (f), 4);
    for (int a = 0; a < 3; a++) {
        assert_int_equal (f->attempt_first[a], 0);
        assert_int_equal (f->attempt_n[a], 1);
    }
    assert_int_equal (f->attempt_first[3], 1);
    assert_int_equal (f->attempt_n[3], 4);
    assert_int_equal (f->connects, 3);
    assert_int_equal (f->disconnects, 2);
    writers_stats_t st;
    writers_stats (ws, &st);
    assert_int_equal (st.failures, 2);
    assert_int_equal (st.batches, 2);
    assert_int_equal (st.connects, 3);
    writers_destroy (&ws);
    s_fake_destroy (&f);
}

/* A failure that leaves the connection usable keeps it. */
static void
test_failure_on_good_connection_keeps_it (void **state)
{
    (void) state;
    fake_t *f = s_fake_new ();
    f->fail_next = 1;
    f->fail_rc = DCP_ENOMEM;
    writers_t *ws = s_writers (f, 1, 10, 1 << 20, 0);
    s_send (ws, 0, 0, 0, 10);
    s_pump_acks (ws, f, 1, 3000);
    assert_int_equal (f->n_acks, 1);
    assert_int_equal (s_attempts (f), 2);
    assert_int_equal (f->connects, 1);
    assert_int_equal (f->disconnects, 0);
    writers_destroy (&ws);
    s_fake_destroy (&f);
}

/* Without a connection the writers take nothing and try again later. */
static void
test_no_intake_until_connected (void **state)
{
    (void) state;
    fake_t *f = s_fake_new ();
    f->connect_fail = 2;
    writers_cfg_t cfg = {2, 10, 1 << 20, 0, 200, 0, 0};
    writers_t *ws = writers_new (&cfg, &s_fake_store, f);
    assert_non_null (ws);
    writers_run (ws);
    assert_false (writers_connected (ws));
    assert_false (writers_can_take (ws));
    assert_true (writers_next_ms (ws, 1000) > 0); /* backing off */
    int64_t end = dcp_now_ms () + 3000;
    while (!writers_connected (ws) && dcp_now_ms () < end)
        s_turn (ws, 50);
    assert_true (writers_connected (ws));
    s_send (ws, 0, 0, 0, 10);
    s_pump_acks (ws, f, 1, 2000);
    assert_int_equal (f->n_acks, 1);
    writers_destroy (&ws);
    s_fake_destroy (&f);
}

/* A database that refuses the loader (no such role, bad password) is
 * tried again, but the pauses grow up to refused_max_ms, not
 * reconnect_max_ms; once it lets the loader in, intake resumes. */
static void
test_refused_connection_retries_slower (void **state)
{
    (void) state;
    fake_t *f = s_fake_new ();
    f->connect_fail = 4;
    f->connect_refused = true;
    writers_cfg_t cfg = {1, 10, 1 << 20, 0, 100, 0, 400};
    writers_t *ws = writers_new (&cfg, &s_fake_store, f);
    assert_non_null (ws);
    int64_t t0 = dcp_now_ms ();
    while (f->connect_fail > 0 && dcp_now_ms () < t0 + 5000)
        s_turn (ws, 10);
    /* Pauses 100, 200, 400 ms after the first three refusals: longer than
     * reconnect_max_ms (100) allows for a server that is merely away. */
    assert_true (dcp_now_ms () - t0 >= 650);
    assert_false (writers_connected (ws));
    assert_true (writers_next_ms (ws, 1000) > 200);
    while (!writers_connected (ws) && dcp_now_ms () < t0 + 5000)
        s_turn (ws, 10);
    assert_true (writers_connected (ws));
    s_send (ws, 0, 0, 0, 10);
    s_pump_acks (ws, f, 1, 2000);
    assert_int_equal (f->n_acks, 1);
    writers_destroy (&ws);
    s_fake_destroy (&f);
}

/* On the way out, what is in hand is committed without waiting for
 * flush_ms; what cannot be is dropped unacknowledged by destroy. */
static void
test_drain_commits_what_is_in_hand (void **state)
{
    (void) state;
    fake_t *f = s_fake_new ();
    writers_t *ws = s_writers (f, 2, 10, 1 << 20, 60000);
    for (int id = 0; id < 6; id++)
        s_send (ws, id, id % 3, id / 3, 10);
    assert_int_equal (s_attempts (f), 0);
    writers_drain (ws);
    assert_int_equal (f->n_acks, 6);
    writers_stats_t st;
    writers_stats (ws, &st);
    assert_int_equal (st.in_flight, 0);
    writers_destroy (&ws);
    s_fake_destroy (&f);

    f = s_fake_new ();
    f->fail_next = 100;
    f->fail_rc = DCP_ENOMEM;
    ws = s_writers (f, 1, 10, 1 << 20, 0);
    s_send (ws, 0, 0, 0, 10);
    s_send (ws, 1, 0, 1, 10);
    writers_drain (ws);
    assert_int_equal (f->n_acks, 0);
    writers_destroy (&ws);
    assert_int_equal (f->cleared, 2);
    s_fake_destroy (&f);
}

static void
test_bad_configuration_is_refused (void **state)
{
    (void) state;
    writers_cfg_t cfg = {0, 10, 100, 0, 200, 0, 0};
    assert_null (writers_new (&cfg, &s_fake_store, NULL));
    cfg.writers = WRITERS_MAX + 1;
    assert_null (writers_new (&cfg, &s_fake_store, NULL));
    cfg.writers = 1;
    cfg.batch_max_items = 0;
    assert_null (writers_new (&cfg, &s_fake_store, NULL));
}

int
main (void)
{
    /* The retries' warnings say what happens; the commits would drown them. */
    dcp_log_init ("test", DCP_LOG_WARN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_series_keys_are_stable_and_spread),
        cmocka_unit_test (test_series_commit_in_send_order),
        cmocka_unit_test (test_acks_only_after_commit_in_order),
        cmocka_unit_test (test_group_commit_collects_up_to_max),
        cmocka_unit_test (test_group_commit_bounded_by_bytes),
        cmocka_unit_test (test_flush_ms_waits_for_more),
        cmocka_unit_test (test_failed_write_keeps_batch_and_retries),
        cmocka_unit_test (test_failure_on_good_connection_keeps_it),
        cmocka_unit_test (test_no_intake_until_connected),
        cmocka_unit_test (test_refused_connection_retries_slower),
        cmocka_unit_test (test_drain_commits_what_is_in_hand),
        cmocka_unit_test (test_bad_configuration_is_refused),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
