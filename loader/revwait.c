/* revwait.c: revisions that wait for their predecessor (see revwait.h).
 *
 * A plain array searched from the start: the revisions waiting at one time
 * are few (a fault's worth), and a revision that fits on top of the current
 * one never gets here. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "revwait.h"

#define REVWAIT_MAX 65536 /* waits remembered at most */

typedef struct {
    char id[40];
    int64_t first_ms;
} s_wait_t;

struct revwait_t {
    pthread_mutex_t lock;
    long bound_ms;
    s_wait_t *waits;
    size_t n, cap;
};

revwait_t *
revwait_new (long bound_ms)
{
    revwait_t *self = calloc (1, sizeof *self);
    if (!self || pthread_mutex_init (&self->lock, NULL) != 0) {
        free (self);
        return NULL;
    }
    self->bound_ms = bound_ms;
    return self;
}

void
revwait_destroy (revwait_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    pthread_mutex_destroy (&(*self_p)->lock);
    free ((*self_p)->waits);
    free (*self_p);
    *self_p = NULL;
}

long
revwait_bound_ms (const revwait_t *self)
{
    return self->bound_ms;
}

static long
s_find (const revwait_t *self, const char *id)
{
    for (size_t i = 0; i < self->n; i++)
        if (strcmp (self->waits[i].id, id) == 0)
            return (long) i;
    return -1;
}

/* Drops waits that ended long ago (their revision never came back, or
 * came back to another loader). */
static void
s_purge (revwait_t *self, int64_t now_ms)
{
    size_t k = 0;
    for (size_t i = 0; i < self->n; i++)
        if (now_ms - self->waits[i].first_ms <= 2 * self->bound_ms)
            self->waits[k++] = self->waits[i];
    self->n = k;
}

bool
revwait_should_wait (revwait_t *self, const char *id, int64_t now_ms)
{
    bool wait = false;
    pthread_mutex_lock (&self->lock);
    long i = s_find (self, id);
    if (i >= 0)
        wait = now_ms - self->waits[i].first_ms < self->bound_ms;
    else {
        if (self->n == self->cap)
            s_purge (self, now_ms);
        if (self->n == self->cap && self->cap < REVWAIT_MAX) {
            size_t cap = self->cap ? self->cap * 2 : 64;
            s_wait_t *w = realloc (self->waits, cap * sizeof *w);
            if (w) {
                self->waits = w;
                self->cap = cap;
            }
        }
        if (self->n < self->cap && self->bound_ms > 0) {
            snprintf (self->waits[self->n].id, sizeof self->waits[0].id, "%s", id);
            self->waits[self->n].first_ms = now_ms;
            self->n++;
            wait = true;
        }
    }
    pthread_mutex_unlock (&self->lock);
    return wait;
}

void
revwait_forget (revwait_t *self, const char *id)
{
    pthread_mutex_lock (&self->lock);
    long i = self->n ? s_find (self, id) : -1;
    if (i >= 0)
        self->waits[i] = self->waits[--self->n];
    pthread_mutex_unlock (&self->lock);
}
