/* history.h: what the outbox knows about the submissions it holds, in the
 * terms people use.
 *
 * The outbox (outbox.h) keeps bytes under ids.  A history reads them back
 * as a focal point thinks of them: which questionnaire, country and year (a
 * series: the loader keeps one current revision per series), which revision,
 * when it was taken and from which file, and where it is now (pending,
 * accepted, rejected).  `collector status`, `show` and `revise`, and the
 * refusal of an edited file that kept its submission_id (revise.h), all ask
 * it.  It is read from the outbox when made, one decode per entry, and kept
 * for one command only, so it never disagrees with the disk. */
#ifndef HISTORY_H
#define HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "dcp_codec.h"
#include "outbox.h"

/* One outbox entry. */
typedef struct {
    char id[72];
    outbox_state_t state;
    struct timespec taken;                    /* when it was taken (zero = unknown) */
    time_t taken_at;                          /* the same, in seconds */
    char *source;                             /* the file it was taken from ("" if unknown) */
    bool known;                               /* false: its bytes did not decode */
    Dcp__V1__QuestionnaireKind questionnaire; /* the series: questionnaire, */
    char country[8];                          /* reporting country */
    int year;                                 /* and reporting year */
    unsigned revision_no;
    char supersedes[72]; /* "" for a first submission */
} history_entry_t;

typedef struct history_t history_t;

/* Reads every entry of OUTBOX (borrowed; it must outlive the history).
 * NULL if out of memory or the outbox cannot be listed. */
history_t *history_new (outbox_t *outbox);
void history_destroy (history_t **self_p);

/* The entries, oldest first (by the time they were taken). */
size_t history_size (const history_t *self);
const history_entry_t *history_get (const history_t *self, size_t i);

/* Entry ID, or NULL if the outbox does not hold it (borrowed). */
const history_entry_t *history_find (const history_t *self, const char *id);

/* True if entry E belongs to the series of SUB (questionnaire, reporting
 * country, reporting year). */
bool history_in_series (const history_entry_t *e, const Dcp__V1__Submission *sub);

/* The revision of E's series that the database holds as current, as far
 * as this outbox knows: its accepted entry with the highest revision number
 * (the latest taken among equals).  NULL if none of the series was
 * accepted. */
const history_entry_t *history_current (const history_t *self, const history_entry_t *e);

/* A pending entry of E's series other than E itself, or NULL. */
const history_entry_t *history_pending_in_series (const history_t *self, const history_entry_t *e);

/* True if E was rejected and an entry of its series taken later was
 * accepted (a fixed resend or a later revision replaced it): `collector
 * status` leaves such rejections out unless asked for all. */
bool history_replaced (const history_t *self, const history_entry_t *e);

/* The latest entry of SUB's series holding the same answers as SUB, the
 * envelope's submission id and revision fields aside (revision_no,
 * supersedes_submission_id, revision_reason): the file was sent before, if
 * perhaps under another id as a revision.  NULL if none. */
const history_entry_t *history_same_answers (const history_t *self, const Dcp__V1__Submission *sub);

/* The submission of entry ID as stored (caller frees with
 * dcp_codec_free()); NULL if missing or undecodable. */
Dcp__V1__Submission *history_submission (const history_t *self, const char *id);

/* Writes T as "2026-11-30 07:12 UTC" into BUF (at least 24 bytes); "an
 * unknown time" for 0.  Returns BUF. */
char *history_time (time_t t, char *buf, size_t size);

#endif
