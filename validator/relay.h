/* relay.h: the validator's data path between collectors and loaders.
 *
 * Submissions arrive on the collectors' ROUTER; each is decided on by
 * validate_submission() and its envelope and untouched payload go out on
 * the loaders' DEALER.  Receipts come back on the DEALER and are passed on
 * to the collector they name.  The collector socket is read only while a
 * loader can take more (backpressure: a slow database slows the senders
 * instead of growing this process's memory).  The handlers below are
 * registered with the stage's dcp_loop by validator/main.c. */
#ifndef RELAY_H
#define RELAY_H

#include <stdbool.h>

#include "dcp_loop.h"
#include "dcp_metrics.h"
#include "dcp_stage.h"
#include "validate.h"

typedef struct {
    void *front;            /* ROUTER, collectors (borrowed) */
    void *back;             /* DEALER, loaders (borrowed) */
    dcp_stage_t *stage;     /* for the current partner registry (borrowed) */
    dcp_metrics_t *metrics; /* rejections by reason (borrowed) */
    validate_opts_t vopts;  /* registry filled in per submission */
    bool loader_ready;      /* a loader could take a message at the last look */
    unsigned long received, forwarded, rejected, busy, relayed, unroutable;
} relay_t;

/* dcp_loop reader for FRONT (ARG: the relay_t): reads up to 256
 * submissions, forwards each or answers RETRY_LATER when no loader can
 * take it.  Always returns 0: partner faults are answered, not fatal. */
int relay_on_front (dcp_loop_t *loop, void *sock, int fd, void *arg);

/* dcp_loop reader for BACK: relays up to 256 loader receipts; drops
 * malformed ones (logged).  Returns 0. */
int relay_on_back (dcp_loop_t *loop, void *sock, int fd, void *arg);

/* dcp_loop prepare hook: looks whether a loader can take a message and
 * pauses or resumes FRONT accordingly (waking every 50 ms while paused).
 * Returns 0 or DCP_EINVAL if FRONT is not registered with LOOP. */
int relay_prepare (dcp_loop_t *loop, void *arg);

#endif
