/* test_loop.c: the event loop (dcp_loop): readers on ZeroMQ sockets and
 * pipes, timers, removal from inside handlers, and the ways a run ends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#include "dcp_err.h"
#include "dcp_loop.h"
#include "dcp_signal.h"
#include "dcp_util.h"

typedef struct {
    void *ctx;
    void *in, *out; /* inproc PAIR: send on out, read on in */
    int pipe[2];
    int calls;     /* handler calls */
    int order[16]; /* timer ids in firing order */
    int n_order;
    int end_after; /* reader ends the loop after this many calls */
    int timer_a, timer_b;
} fixture_t;

static int
setup (void **state)
{
    static fixture_t f;
    memset (&f, 0, sizeof f);
    f.ctx = zmq_ctx_new ();
    f.in = zmq_socket (f.ctx, ZMQ_PAIR);
    f.out = zmq_socket (f.ctx, ZMQ_PAIR);
    assert_int_equal (zmq_bind (f.in, "inproc://test-loop"), 0);
    assert_int_equal (zmq_connect (f.out, "inproc://test-loop"), 0);
    assert_int_equal (pipe (f.pipe), 0);
    dcp_signal_stop = 0;
    dcp_signal_reload = 0;
    *state = &f;
    return 0;
}

static int
teardown (void **state)
{
    fixture_t *f = *state;
    zmq_close (f->in);
    zmq_close (f->out);
    zmq_ctx_term (f->ctx);
    close (f->pipe[0]);
    close (f->pipe[1]);
    dcp_signal_stop = 0;
    dcp_signal_reload = 0;
    return 0;
}

/* Reads one message and ends the loop after f->end_after of them. */
static int
s_on_message (dcp_loop_t *loop, void *sock, int fd, void *arg)
{
    fixture_t *f = arg;
    char buf[16];
    assert_int_equal (fd, -1);
    while (zmq_recv (sock, buf, sizeof buf, ZMQ_DONTWAIT) >= 0)
        f->calls++;
    return f->calls >= f->end_after ? DCP_LOOP_END : 0;
}

static void
reader_fires_on_inproc_socket (void **state)
{
    fixture_t *f = *state;
    dcp_loop_t *loop = dcp_loop_new ();
    assert_non_null (loop);
    f->end_after = 2;
    assert_int_equal (dcp_loop_reader (loop, f->in, s_on_message, f), 0);
    assert_int_equal (dcp_loop_reader (loop, f->in, s_on_message, f), DCP_EINVAL);
    zmq_send (f->out, "a", 1, 0);
    zmq_send (f->out, "b", 1, 0);
    assert_int_equal (dcp_loop_run (loop), 0);
    assert_int_equal (f->calls, 2);
    dcp_loop_destroy (&loop);
    assert_null (loop);
    dcp_loop_destroy (&loop); /* idempotent */
}

/* Reads the pipe and removes itself: it must not be called again. */
static int
s_on_pipe_once (dcp_loop_t *loop, void *sock, int fd, void *arg)
{
    fixture_t *f = arg;
    char c;
    assert_null (sock);
    assert_int_equal (read (fd, &c, 1), 1);
    f->calls++;
    dcp_loop_fd_end (loop, fd);
    return 0;
}

static int
s_end (dcp_loop_t *loop, int timer_id, void *arg)
{
    return DCP_LOOP_END;
}

static void
reader_fires_on_pipe_and_removal_inside_handler_is_safe (void **state)
{
    fixture_t *f = *state;
    dcp_loop_t *loop = dcp_loop_new ();
    assert_int_equal (dcp_loop_fd (loop, f->pipe[0], s_on_pipe_once, f), 0);
    assert_int_equal (write (f->pipe[1], "xy", 2), 2); /* two bytes, one call */
    assert_true (dcp_loop_timer (loop, 50, 1, s_end, NULL) > 0);
    assert_int_equal (dcp_loop_run (loop), 0);
    assert_int_equal (f->calls, 1);
    /* Registered again after removal: fires for the byte left. */
    assert_int_equal (dcp_loop_fd (loop, f->pipe[0], s_on_pipe_once, f), 0);
    assert_true (dcp_loop_timer (loop, 50, 1, s_end, NULL) > 0);
    assert_int_equal (dcp_loop_run (loop), 0);
    assert_int_equal (f->calls, 2);
    dcp_loop_destroy (&loop);
}

static int
s_on_timer (dcp_loop_t *loop, int timer_id, void *arg)
{
    fixture_t *f = arg;
    if (f->n_order < 16)
        f->order[f->n_order++] = timer_id;
    return 0;
}

static void
timers_fire_in_order_with_their_counts (void **state)
{
    fixture_t *f = *state;
    dcp_loop_t *loop = dcp_loop_new ();
    int64_t t0 = dcp_now_ms ();
    int slow = dcp_loop_timer (loop, 70, 1, s_on_timer, f);
    int fast = dcp_loop_timer (loop, 20, 2, s_on_timer, f);
    int end = dcp_loop_timer (loop, 150, 1, s_end, NULL);
    assert_true (slow > 0 && fast > 0 && end > 0);
    assert_true (slow != fast);
    assert_int_equal (dcp_loop_run (loop), 0);
    assert_true (dcp_now_ms () - t0 >= 150);
    /* fast twice (at 20 and 40 ms), then slow once; one-shots do not repeat */
    assert_int_equal (f->n_order, 3);
    assert_int_equal (f->order[0], fast);
    assert_int_equal (f->order[1], fast);
    assert_int_equal (f->order[2], slow);
    dcp_loop_destroy (&loop);
}

static void
timers_due_together_fire_oldest_first (void **state)
{
    fixture_t *f = *state;
    dcp_loop_t *loop = dcp_loop_new ();
    int first = dcp_loop_timer (loop, 0, 1, s_on_timer, f);
    int second = dcp_loop_timer (loop, 0, 1, s_on_timer, f);
    dcp_loop_timer (loop, 30, 1, s_end, NULL);
    assert_int_equal (dcp_loop_run (loop), 0);
    assert_int_equal (f->n_order, 2);
    assert_int_equal (f->order[0], first);
    assert_int_equal (f->order[1], second);
    dcp_loop_destroy (&loop);
}

/* Cancels the other timer and itself: neither fires again. */
static int
s_cancel_both (dcp_loop_t *loop, int timer_id, void *arg)
{
    fixture_t *f = arg;
    f->calls++;
    dcp_loop_timer_end (loop, f->timer_b);
    dcp_loop_timer_end (loop, timer_id);
    return 0;
}

static void
timer_removal_inside_handler_is_safe (void **state)
{
    fixture_t *f = *state;
    dcp_loop_t *loop = dcp_loop_new ();
    f->timer_a = dcp_loop_timer (loop, 10, 0, s_cancel_both, f);
    f->timer_b = dcp_loop_timer (loop, 10, 0, s_on_timer, f); /* same due time, younger */
    dcp_loop_timer (loop, 80, 1, s_end, NULL);
    assert_int_equal (dcp_loop_run (loop), 0);
    assert_int_equal (f->calls, 1);
    assert_int_equal (f->n_order, 0);
    dcp_loop_destroy (&loop);
}

static int
s_fail (dcp_loop_t *loop, int timer_id, void *arg)
{
    return DCP_EPROTO;
}

static void
handler_error_ends_the_run_with_its_code (void **state)
{
    dcp_loop_t *loop = dcp_loop_new ();
    dcp_loop_timer (loop, 0, 1, s_fail, NULL);
    assert_int_equal (dcp_loop_run (loop), DCP_EPROTO);
    dcp_loop_destroy (&loop);
}

static int
s_raise_stop (dcp_loop_t *loop, int timer_id, void *arg)
{
    raise (SIGTERM);
    return 0;
}

static int
s_on_reload (dcp_loop_t *loop, void *arg)
{
    fixture_t *f = arg;
    f->calls++;
    return 0;
}

static int
s_raise_hup (dcp_loop_t *loop, int timer_id, void *arg)
{
    raise (SIGHUP);
    return 0;
}

static void
signals_stop_the_run_and_reload (void **state)
{
    fixture_t *f = *state;
    assert_int_equal (dcp_signal_install (), 0);
    dcp_loop_t *loop = dcp_loop_new ();
    dcp_loop_on_reload (loop, s_on_reload, f);
    dcp_loop_timer (loop, 10, 1, s_raise_hup, NULL);
    dcp_loop_timer (loop, 40, 1, s_raise_stop, NULL);
    dcp_loop_timer (loop, 5000, 1, s_fail, NULL); /* must never be reached */
    assert_int_equal (dcp_loop_run (loop), 0);
    assert_int_equal (f->calls, 1);
    assert_int_equal (dcp_signal_reload, 0);
    dcp_loop_destroy (&loop);
    signal (SIGTERM, SIG_DFL);
    signal (SIGHUP, SIG_DFL);
}

/* Pauses the socket's reader from the prepare hook until a timer lets it go. */
static int
s_prepare (dcp_loop_t *loop, void *arg)
{
    fixture_t *f = arg;
    return dcp_loop_reader_pause (loop, f->in, f->n_order == 0);
}

static void
paused_reader_waits_for_prepare (void **state)
{
    fixture_t *f = *state;
    dcp_loop_t *loop = dcp_loop_new ();
    f->end_after = 1;
    dcp_loop_reader (loop, f->in, s_on_message, f);
    dcp_loop_prepare (loop, s_prepare, f, 10);
    int timer = dcp_loop_timer (loop, 60, 1, s_on_timer, f);
    zmq_send (f->out, "a", 1, 0);
    int64_t t0 = dcp_now_ms ();
    assert_int_equal (dcp_loop_run (loop), 0);
    assert_true (dcp_now_ms () - t0 >= 60);
    assert_int_equal (f->calls, 1);
    assert_int_equal (f->order[0], timer);
    assert_int_equal (dcp_loop_reader_pause (loop, f->out, true), DCP_EINVAL);
    dcp_loop_destroy (&loop);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (reader_fires_on_inproc_socket, setup, teardown),
        cmocka_unit_test_setup_teardown (reader_fires_on_pipe_and_removal_inside_handler_is_safe,
                                         setup, teardown),
        cmocka_unit_test_setup_teardown (timers_fire_in_order_with_their_counts, setup, teardown),
        cmocka_unit_test_setup_teardown (timers_due_together_fire_oldest_first, setup, teardown),
        cmocka_unit_test_setup_teardown (timer_removal_inside_handler_is_safe, setup, teardown),
        cmocka_unit_test_setup_teardown (handler_error_ends_the_run_with_its_code, setup, teardown),
        cmocka_unit_test_setup_teardown (signals_stop_the_run_and_reload, setup, teardown),
        cmocka_unit_test_setup_teardown (paused_reader_waits_for_prepare, setup, teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
