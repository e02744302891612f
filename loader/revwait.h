/* revwait.h: revisions that wait for their predecessor.
 *
 * The loader does not make current a revision whose predecessor it has
 * never seen: that predecessor is most likely still on its way (behind
 * another validator, in a collector's backoff, in a batch not yet
 * committed), and storing the revision first would refuse the
 * predecessor when it arrives.  Such a revision is answered RETRY_LATER
 * (nothing stored, nothing quarantined), for at most a bound counted from
 * the first time this loader asked it to wait; past the bound it is
 * decided as if it had not waited (store_order.c says how).  This module
 * remembers when each one was first asked.  The memory is this process's:
 * a restarted loader, or another loader, starts the count again, which
 * only lengthens the wait by one bound.
 *
 * Thread-safe: the writer threads of one loader share one. */
#ifndef REVWAIT_H
#define REVWAIT_H

#include <stdbool.h>
#include <stdint.h>

/* Five minutes: longer than a collector's longest backoff (60 s by
 * default) several times over, short enough that a revision whose
 * predecessor will never come (never sent, or sent to nobody) is not held
 * up for long. */
#define REVWAIT_DEFAULT_MS (5 * 60 * 1000L)

typedef struct revwait_t revwait_t;

/* A memory for waits of at most BOUND_MS.  NULL if out of memory. */
revwait_t *revwait_new (long bound_ms);
void revwait_destroy (revwait_t **self_p);

/* The bound, in milliseconds. */
long revwait_bound_ms (const revwait_t *self);

/* True if revision ID, whose predecessor is not stored, should wait
 * (again) at NOW_MS: the first time it is asked, and until BOUND_MS have
 * passed since.  False past the bound, and when the memory is full (the
 * revision is then decided at once rather than held without a count). */
bool revwait_should_wait (revwait_t *self, const char *id, int64_t now_ms);

/* ID has a final outcome (stored, quarantined): forget its wait. */
void revwait_forget (revwait_t *self, const char *id);

#endif
