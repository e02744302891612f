/* dcp_loop.c: readers and timers on zmq_poll (see dcp_loop.h).
 *
 * Readers and timers live in small arrays; a removal only marks an entry
 * dead, and dead entries are swept between two turns, so a handler can
 * remove anything (itself included) while the loop walks the arrays.  The
 * arrays are a handful of entries long: linear scans are the simplest thing
 * and cost nothing next to a poll. */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "dcp_err.h"
#include "dcp_loop.h"
#include "dcp_signal.h"
#include "dcp_util.h"

/* The longest a poll waits without a timer or a prepare bound: a signal
 * that arrives just before zmq_poll starts does not interrupt it, so the
 * flags are looked at again at least this often. */
#define S_MAX_WAIT_MS 1000

typedef struct {
    void *sock; /* ZeroMQ socket, or NULL for a plain fd */
    int fd;
    dcp_loop_reader_fn *handler;
    void *arg;
    bool paused;
    bool dead;
} s_reader_t;

typedef struct {
    int id;
    long interval_ms;
    unsigned times; /* calls left; 0 = for ever */
    int64_t due_ms;
    dcp_loop_timer_fn *handler;
    void *arg;
    bool dead;
} s_timer_t;

struct dcp_loop_t {
    s_reader_t *readers;
    size_t n_readers, cap_readers;
    s_timer_t *timers;
    size_t n_timers, cap_timers;
    int next_timer_id;
    zmq_pollitem_t *items; /* this turn's poll set */
    size_t *item_reader;   /* items[i] belongs to readers[item_reader[i]] */
    size_t cap_items;
    dcp_loop_fn *prepare;
    void *prepare_arg;
    long prepare_wait_ms;
    dcp_loop_fn *reload;
    void *reload_arg;
};

dcp_loop_t *
dcp_loop_new (void)
{
    dcp_loop_t *self = calloc (1, sizeof *self);
    if (self)
        self->next_timer_id = 1;
    return self;
}

void
dcp_loop_destroy (dcp_loop_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    dcp_loop_t *self = *self_p;
    free (self->readers);
    free (self->timers);
    free (self->items);
    free (self->item_reader);
    free (self);
    *self_p = NULL;
}

static s_reader_t *
s_find_reader (dcp_loop_t *self, void *sock, int fd)
{
    for (size_t i = 0; i < self->n_readers; i++) {
        s_reader_t *r = &self->readers[i];
        if (!r->dead && r->sock == sock && (sock || r->fd == fd))
            return r;
    }
    return NULL;
}

static int
s_add_reader (dcp_loop_t *self, void *sock, int fd, dcp_loop_reader_fn *handler, void *arg)
{
    assert (self && handler);
    if ((!sock && fd < 0) || s_find_reader (self, sock, fd))
        return DCP_EINVAL;
    if (self->n_readers == self->cap_readers) {
        size_t cap = self->cap_readers ? self->cap_readers * 2 : 4;
        s_reader_t *r = realloc (self->readers, cap * sizeof *r);
        if (!r)
            return DCP_ENOMEM;
        self->readers = r;
        self->cap_readers = cap;
    }
    self->readers[self->n_readers++] =
        (s_reader_t){sock, sock ? -1 : fd, handler, arg, false, false};
    return 0;
}

int
dcp_loop_reader (dcp_loop_t *self, void *sock, dcp_loop_reader_fn *handler, void *arg)
{
    return sock ? s_add_reader (self, sock, -1, handler, arg) : DCP_EINVAL;
}

int
dcp_loop_fd (dcp_loop_t *self, int fd, dcp_loop_reader_fn *handler, void *arg)
{
    return fd >= 0 ? s_add_reader (self, NULL, fd, handler, arg) : DCP_EINVAL;
}

void
dcp_loop_reader_end (dcp_loop_t *self, void *sock)
{
    s_reader_t *r = sock ? s_find_reader (self, sock, -1) : NULL;
    if (r)
        r->dead = true;
}

void
dcp_loop_fd_end (dcp_loop_t *self, int fd)
{
    s_reader_t *r = fd >= 0 ? s_find_reader (self, NULL, fd) : NULL;
    if (r)
        r->dead = true;
}

int
dcp_loop_reader_pause (dcp_loop_t *self, void *sock, bool paused)
{
    s_reader_t *r = sock ? s_find_reader (self, sock, -1) : NULL;
    if (!r)
        return DCP_EINVAL;
    r->paused = paused;
    return 0;
}

int
dcp_loop_fd_pause (dcp_loop_t *self, int fd, bool paused)
{
    s_reader_t *r = fd >= 0 ? s_find_reader (self, NULL, fd) : NULL;
    if (!r)
        return DCP_EINVAL;
    r->paused = paused;
    return 0;
}

int
dcp_loop_timer (dcp_loop_t *self, long interval_ms, unsigned times, dcp_loop_timer_fn *handler,
                void *arg)
{
    assert (self && handler);
    if (interval_ms < 0 || self->next_timer_id == INT32_MAX)
        return DCP_EINVAL;
    if (self->n_timers == self->cap_timers) {
        size_t cap = self->cap_timers ? self->cap_timers * 2 : 4;
        s_timer_t *t = realloc (self->timers, cap * sizeof *t);
        if (!t)
            return DCP_ENOMEM;
        self->timers = t;
        self->cap_timers = cap;
    }
    int id = self->next_timer_id++;
    self->timers[self->n_timers++] =
        (s_timer_t){id, interval_ms, times, dcp_now_ms () + interval_ms, handler, arg, false};
    return id;
}

void
dcp_loop_timer_end (dcp_loop_t *self, int timer_id)
{
    for (size_t i = 0; i < self->n_timers; i++)
        if (self->timers[i].id == timer_id)
            self->timers[i].dead = true;
}

void
dcp_loop_prepare (dcp_loop_t *self, dcp_loop_fn *handler, void *arg, long max_wait_ms)
{
    self->prepare = handler;
    self->prepare_arg = arg;
    self->prepare_wait_ms = max_wait_ms > 0 ? max_wait_ms : S_MAX_WAIT_MS;
}

void
dcp_loop_on_reload (dcp_loop_t *self, dcp_loop_fn *handler, void *arg)
{
    self->reload = handler;
    self->reload_arg = arg;
}

/* Drops dead entries; only between turns, never while handlers run. */
static void
s_sweep (dcp_loop_t *self)
{
    size_t n = 0;
    for (size_t i = 0; i < self->n_readers; i++)
        if (!self->readers[i].dead)
            self->readers[n++] = self->readers[i];
    self->n_readers = n;
    n = 0;
    for (size_t i = 0; i < self->n_timers; i++)
        if (!self->timers[i].dead)
            self->timers[n++] = self->timers[i];
    self->n_timers = n;
}

/* Fills the poll set from the live, unpaused readers; returns its size or
 * DCP_ENOMEM. */
static int
s_build_items (dcp_loop_t *self)
{
    if (self->cap_items < self->n_readers) {
        size_t cap = self->n_readers;
        zmq_pollitem_t *items = realloc (self->items, cap * sizeof *items);
        if (!items)
            return DCP_ENOMEM;
        self->items = items;
        size_t *map = realloc (self->item_reader, cap * sizeof *map);
        if (!map)
            return DCP_ENOMEM;
        self->item_reader = map;
        self->cap_items = cap;
    }
    int n = 0;
    for (size_t i = 0; i < self->n_readers; i++) {
        s_reader_t *r = &self->readers[i];
        if (r->dead || r->paused)
            continue;
        self->items[n] = (zmq_pollitem_t){r->sock, r->sock ? 0 : r->fd, ZMQ_POLLIN, 0};
        self->item_reader[n++] = i;
    }
    return n;
}

/* Milliseconds until the next live timer is due, at most WAIT_MS. */
static long
s_timeout (dcp_loop_t *self, long wait_ms)
{
    int64_t now = dcp_now_ms ();
    for (size_t i = 0; i < self->n_timers; i++) {
        s_timer_t *t = &self->timers[i];
        if (t->dead)
            continue;
        int64_t left = t->due_ms - now;
        if (left < wait_ms)
            wait_ms = left > 0 ? (long) left : 0;
    }
    return wait_ms;
}

/* Calls the reader handlers whose items are readable. */
static int
s_dispatch_readers (dcp_loop_t *self, int n)
{
    for (int i = 0; i < n; i++) {
        if (!(self->items[i].revents & ZMQ_POLLIN))
            continue;
        /* By index: a handler may add readers, which can move the array. */
        s_reader_t *r = &self->readers[self->item_reader[i]];
        if (r->dead || r->paused)
            continue;
        int rc = r->handler (self, r->sock, r->fd, r->arg);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* Fires each timer due now once, earliest due (then oldest) first. */
static int
s_dispatch_timers (dcp_loop_t *self)
{
    int64_t now = dcp_now_ms ();
    size_t n = self->n_timers; /* timers added by handlers wait for the next turn */
    bool *fired = calloc (n ? n : 1, sizeof *fired);
    if (!fired)
        return DCP_ENOMEM;
    int rc = 0;
    for (;;) {
        size_t best = n;
        for (size_t i = 0; i < n; i++) {
            s_timer_t *t = &self->timers[i];
            if (fired[i] || t->dead || t->due_ms > now)
                continue;
            if (best == n || t->due_ms < self->timers[best].due_ms)
                best = i;
        }
        if (best == n)
            break;
        fired[best] = true;
        s_timer_t *t = &self->timers[best];
        int id = t->id;
        if (t->times > 0 && --t->times == 0)
            t->dead = true;
        else
            t->due_ms = now + t->interval_ms;
        rc = t->handler (self, id, t->arg);
        if (rc != 0)
            break;
    }
    free (fired);
    return rc;
}

static int
s_turn (dcp_loop_t *self)
{
    int rc;
    long wait_ms = S_MAX_WAIT_MS;
    if (self->prepare) {
        if ((rc = self->prepare (self, self->prepare_arg)) != 0)
            return rc;
        wait_ms = self->prepare_wait_ms;
    }
    s_sweep (self);
    int n = s_build_items (self);
    if (n < 0)
        return n;
    wait_ms = s_timeout (self, wait_ms);
    if (dcp_signal_stop)
        return DCP_LOOP_END;
    if (zmq_poll (self->items, n, wait_ms) < 0) {
        if (zmq_errno () != EINTR)
            return DCP_ENET;
        for (int i = 0; i < n; i++)
            self->items[i].revents = 0;
    }
    if (dcp_signal_stop)
        return DCP_LOOP_END;
    if (dcp_signal_reload && self->reload) {
        dcp_signal_reload = 0;
        if ((rc = self->reload (self, self->reload_arg)) != 0)
            return rc;
    }
    if ((rc = s_dispatch_readers (self, n)) != 0)
        return rc;
    return s_dispatch_timers (self);
}

int
dcp_loop_run (dcp_loop_t *self)
{
    assert (self);
    int rc;
    while ((rc = s_turn (self)) == 0)
        ;
    s_sweep (self);
    return rc == DCP_LOOP_END ? 0 : rc;
}
