/* history.c: the outbox's entries as questionnaire, country, year and
 * revision (see history.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dcp_i18n.h"
#include "history.h"

struct history_t {
    outbox_t *outbox;
    history_entry_t *entries;
    size_t n, cap;
    bool oom;
};

Dcp__V1__Submission *
history_submission (const history_t *self, const char *id)
{
    size_t len = 0;
    char *bytes = outbox_read_n (self->outbox, id, "submission.pb", &len);
    Dcp__V1__Submission *sub = bytes ? dcp_codec_unpack ((uint8_t *) bytes, len, len + 1) : NULL;
    free (bytes);
    return sub;
}

/* outbox_each() callback: appends entry ID (in state ARG[1]) to ARG[0]. */
static int
s_add (const char *id, void *arg)
{
    history_t *self = ((void **) arg)[0];
    outbox_state_t state = *(outbox_state_t *) ((void **) arg)[1];
    if (self->n == self->cap) {
        size_t cap = self->cap ? self->cap * 2 : 32;
        history_entry_t *more = realloc (self->entries, cap * sizeof *more);
        if (!more) {
            self->oom = true;
            return 1;
        }
        self->entries = more;
        self->cap = cap;
    }
    history_entry_t *e = &self->entries[self->n];
    memset (e, 0, sizeof *e);
    snprintf (e->id, sizeof e->id, "%s", id);
    e->state = state;
    outbox_taken_at (self->outbox, id, &e->taken);
    e->taken_at = e->taken.tv_sec;
    e->source = outbox_read (self->outbox, id, "source");
    if (!e->source)
        e->source = strdup ("");
    if (!e->source) {
        self->oom = true;
        return 1;
    }
    self->n++;
    Dcp__V1__Submission *sub = history_submission (self, id);
    if (sub) {
        e->known = true;
        e->questionnaire = sub->questionnaire;
        snprintf (e->country, sizeof e->country, "%s", sub->reporting_country);
        e->year = sub->reporting_year;
        e->revision_no = sub->revision_no;
        snprintf (e->supersedes, sizeof e->supersedes, "%s", sub->supersedes_submission_id);
        dcp_codec_free (&sub);
    }
    return 0;
}

/* Oldest first; outbox_each() gave each state oldest first already, and
 * the sort keeps that order among entries with the same time. */
static int
s_by_time (const void *a, const void *b)
{
    const history_entry_t *x = a, *y = b;
    if (x->taken.tv_sec != y->taken.tv_sec)
        return x->taken.tv_sec < y->taken.tv_sec ? -1 : 1;
    if (x->taken.tv_nsec != y->taken.tv_nsec)
        return x->taken.tv_nsec < y->taken.tv_nsec ? -1 : 1;
    return x < y ? -1 : x > y;
}

history_t *
history_new (outbox_t *outbox)
{
    history_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->outbox = outbox;
    outbox_state_t states[] = {OUTBOX_PENDING, OUTBOX_ACCEPTED, OUTBOX_REJECTED};
    for (int i = 0; i < 3; i++) {
        void *arg[2] = {self, &states[i]};
        if (outbox_each (outbox, states[i], s_add, arg) || self->oom) {
            history_destroy (&self);
            return NULL;
        }
    }
    /* qsort is not stable: the tie-break on the address keeps the order
     * outbox_each gave within a state. */
    if (self->n > 1)
        qsort (self->entries, self->n, sizeof *self->entries, s_by_time);
    return self;
}

void
history_destroy (history_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    history_t *self = *self_p;
    for (size_t i = 0; i < self->n; i++)
        free (self->entries[i].source);
    free (self->entries);
    free (self);
    *self_p = NULL;
}

size_t
history_size (const history_t *self)
{
    return self->n;
}

const history_entry_t *
history_get (const history_t *self, size_t i)
{
    return i < self->n ? &self->entries[i] : NULL;
}

const history_entry_t *
history_find (const history_t *self, const char *id)
{
    for (size_t i = 0; i < self->n; i++)
        if (strcasecmp (self->entries[i].id, id) == 0)
            return &self->entries[i];
    return NULL;
}

static bool
s_same_series (const history_entry_t *a, const history_entry_t *b)
{
    return a->known && b->known && a->questionnaire == b->questionnaire && a->year == b->year
           && strcmp (a->country, b->country) == 0;
}

bool
history_in_series (const history_entry_t *e, const Dcp__V1__Submission *sub)
{
    return e->known && e->questionnaire == sub->questionnaire && e->year == sub->reporting_year
           && strcmp (e->country, sub->reporting_country ? sub->reporting_country : "") == 0;
}

const history_entry_t *
history_current (const history_t *self, const history_entry_t *e)
{
    const history_entry_t *best = NULL;
    for (size_t i = 0; i < self->n; i++) {
        const history_entry_t *x = &self->entries[i];
        if (x->state == OUTBOX_ACCEPTED && s_same_series (x, e)
            && (!best || x->revision_no >= best->revision_no))
            best = x;
    }
    return best;
}

const history_entry_t *
history_pending_in_series (const history_t *self, const history_entry_t *e)
{
    for (size_t i = 0; i < self->n; i++) {
        const history_entry_t *x = &self->entries[i];
        if (x != e && x->state == OUTBOX_PENDING && s_same_series (x, e))
            return x;
    }
    return NULL;
}

bool
history_replaced (const history_t *self, const history_entry_t *e)
{
    if (e->state != OUTBOX_REJECTED || !e->known)
        return false;
    for (size_t i = (size_t) (e - self->entries) + 1; i < self->n; i++)
        if (self->entries[i].state == OUTBOX_ACCEPTED && s_same_series (&self->entries[i], e))
            return true;
    return false;
}

/* SUB packed without its id and revision fields: the answers alone, to
 * compare.  SUB is left as it was.  Caller frees; NULL if out of memory. */
static uint8_t *
s_pack_answers (Dcp__V1__Submission *sub, size_t *len_p)
{
    char *id = sub->submission_id, *supersedes = sub->supersedes_submission_id,
         *reason = sub->revision_reason;
    uint32_t revision_no = sub->revision_no;
    sub->submission_id = sub->supersedes_submission_id = sub->revision_reason =
        (char *) protobuf_c_empty_string;
    sub->revision_no = 0;
    uint8_t *bytes = dcp_codec_pack (sub, len_p);
    sub->submission_id = id;
    sub->supersedes_submission_id = supersedes;
    sub->revision_reason = reason;
    sub->revision_no = revision_no;
    return bytes;
}

const history_entry_t *
history_same_answers (const history_t *self, const Dcp__V1__Submission *sub)
{
    size_t len = 0;
    /* Packing reads SUB only; the fields are swapped and put back. */
    uint8_t *answers = s_pack_answers ((Dcp__V1__Submission *) sub, &len);
    const history_entry_t *found = NULL;
    for (size_t i = 0; answers && i < self->n; i++) {
        const history_entry_t *e = &self->entries[i];
        if (!history_in_series (e, sub))
            continue;
        Dcp__V1__Submission *other = history_submission (self, e->id);
        size_t other_len = 0;
        uint8_t *theirs = other ? s_pack_answers (other, &other_len) : NULL;
        if (theirs && other_len == len && memcmp (theirs, answers, len) == 0)
            found = e;
        free (theirs);
        dcp_codec_free (&other);
    }
    free (answers);
    return found;
}

char *
history_time (time_t t, char *buf, size_t size)
{
    struct tm tm;
    if (t == 0 || !gmtime_r (&t, &tm) || strftime (buf, size, "%Y-%m-%d %H:%M UTC", &tm) == 0)
        snprintf (buf, size, _ ("an unknown time"));
    return buf;
}
