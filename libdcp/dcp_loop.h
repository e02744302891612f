/* dcp_loop.h: the one event loop of a stage: readers and timers on zmq_poll.
 *
 * Each program used to build its own zmq_pollitem_t array every turn, with
 * index variables per socket and a poll timeout worked out by hand.  This
 * module does that once, in the manner of czmq's zloop and Redis's ae: a
 * handler is registered for a ZeroMQ socket or a plain file descriptor (the
 * HTTP listener, a pipe) becoming readable, or for a timer, and
 * dcp_loop_run() dispatches until a handler asks it to end or SIGTERM/SIGINT
 * set dcp_signal_stop.  SIGHUP (dcp_signal_reload) calls the reload handler.
 *
 * Single threaded: one loop belongs to the thread that runs it.  Handlers
 * may add or remove readers and timers, including their own, at any time. */
#ifndef DCP_LOOP_H
#define DCP_LOOP_H

#include <stdbool.h>

typedef struct dcp_loop_t dcp_loop_t;

/* Returned by a handler to end dcp_loop_run() normally (it returns 0).  A
 * handler returns 0 to go on; a negative DCP_E* code ends the loop and
 * dcp_loop_run() returns that code. */
#define DCP_LOOP_END 1

/* Called when SOCK (a ZeroMQ socket; FD is -1) or FD (SOCK is NULL) is
 * readable.  Read what is there (ZMQ_DONTWAIT): ZeroMQ signals edges, so a
 * socket left with messages may not be reported again. */
typedef int (dcp_loop_reader_fn) (dcp_loop_t *loop, void *sock, int fd, void *arg);

/* Called when timer TIMER_ID is due. */
typedef int (dcp_loop_timer_fn) (dcp_loop_t *loop, int timer_id, void *arg);

/* Called before every poll (dcp_loop_prepare) or after SIGHUP
 * (dcp_loop_on_reload); same return convention as the handlers. */
typedef int (dcp_loop_fn) (dcp_loop_t *loop, void *arg);

/* A loop with nothing registered; NULL if out of memory. */
dcp_loop_t *dcp_loop_new (void);

/* Frees the loop (not the sockets or fds registered); sets *SELF_P to NULL.
 * Harmless on NULL. */
void dcp_loop_destroy (dcp_loop_t **self_p);

/* Calls HANDLER with ARG whenever ZeroMQ socket SOCK has a message.  The
 * socket stays the caller's.  Returns 0, DCP_EINVAL if SOCK is NULL or
 * already registered, DCP_ENOMEM. */
int dcp_loop_reader (dcp_loop_t *self, void *sock, dcp_loop_reader_fn *handler, void *arg);

/* Same for a plain file descriptor FD (>= 0). */
int dcp_loop_fd (dcp_loop_t *self, int fd, dcp_loop_reader_fn *handler, void *arg);

/* Forgets the reader of SOCK (or FD); nothing if there is none.  Safe from
 * inside any handler, including SOCK's own: a removed reader is not called
 * again, even later in the same turn. */
void dcp_loop_reader_end (dcp_loop_t *self, void *sock);
void dcp_loop_fd_end (dcp_loop_t *self, int fd);

/* While PAUSED, SOCK (or FD) stays registered but is not polled: messages
 * wait in ZeroMQ's queues, which is how a stage applies backpressure.
 * Returns 0, or DCP_EINVAL if there is no such reader. */
int dcp_loop_reader_pause (dcp_loop_t *self, void *sock, bool paused);
int dcp_loop_fd_pause (dcp_loop_t *self, int fd, bool paused);

/* Calls HANDLER every INTERVAL_MS milliseconds (>= 0), TIMES times, or for
 * ever if TIMES is 0; the first call comes INTERVAL_MS after this one.
 * Timers due in the same turn fire in order of their due time, then of
 * creation.  Returns the timer's id (> 0), DCP_EINVAL or DCP_ENOMEM. */
int dcp_loop_timer (dcp_loop_t *self, long interval_ms, unsigned times, dcp_loop_timer_fn *handler,
                    void *arg);

/* Cancels timer TIMER_ID; nothing if it has ended.  Safe inside handlers. */
void dcp_loop_timer_end (dcp_loop_t *self, int timer_id);

/* HANDLER (or NULL for none) runs before each poll: the place to pause or
 * resume readers from state that changes without an event (a queue that
 * drained).  The poll waits at most MAX_WAIT_MS (> 0) then, so that state is
 * looked at again even when nothing happens; 1000 if 0 is given.  The hook
 * may call this function itself to change the bound for the coming poll
 * (shorter while it waits for something, as the validator's relay does). */
void dcp_loop_prepare (dcp_loop_t *self, dcp_loop_fn *handler, void *arg, long max_wait_ms);

/* HANDLER (or NULL) runs when SIGHUP has set dcp_signal_reload, which the
 * loop then clears.  Without a reload handler the flag is left alone. */
void dcp_loop_on_reload (dcp_loop_t *self, dcp_loop_fn *handler, void *arg);

/* Polls and dispatches until a handler returns DCP_LOOP_END (returns 0), a
 * handler returns a negative code (returns it), dcp_signal_stop is set
 * (returns 0) or zmq_poll fails other than by a signal (returns DCP_ENET,
 * zmq_errno() tells).  May be called again after it returned. */
int dcp_loop_run (dcp_loop_t *self);

#endif
