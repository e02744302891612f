/* outbox.h: the collector's durable outbox.
 *
 * A response is taken into the outbox before anything else happens and stays
 * there until a final receipt (accepted, rejected, conflict) arrives, across
 * any number of retries and restarts.  Layout under the outbox folder:
 *
 *   pending/<id>/submission.pb   the exact bytes sent on every attempt; its
 *                                modification time is the take time
 *                                (outbox_each lists in take order by it)
 *   pending/<id>/source          the file name it came from
 *   pending/<id>/original        the response file, the bytes that were checked
 *   pending/<id>/original.N      CSV files it names, listed in originals
 *   pending/<id>/receipt.pb      empty: made at take time, filled later
 *   receipts.log                 every final receipt, appended and flushed
 *                                once per round of receipts (see outbox.c)
 *   accepted/<id>/..., rejected/<id>/...  the same, receipt.pb now holding
 *                                the receipt as received, moved there by one
 *                                rename; `collector status` shows it in words
 *   tmp/                         entries being written
 *
 * An entry is written under tmp/, each file and the entry folder fsync'd,
 * then renamed into place, so a crash leaves either a whole entry or none.
 * The renames become durable when outbox_sync() fsyncs the folders: once
 * per batch of takes or receipts, not once per entry, which is what lets a
 * collector take thousands of responses a minute.
 * The submission id is the one in the file, or else derived from the SHA-256
 * of the response's content (dcp_id_uuid_from_content), so taking the same
 * file twice never makes two submissions.  An id belongs to one content
 * only: taking other bytes under an id already here is refused
 * (DCP_ECONFLICT), so an edited file that kept its submission_id is never
 * answered with the receipt of what was sent before; a correction is a new
 * revision with a new id (`collector revise`, revise.h). */
#ifndef OUTBOX_H
#define OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "dcp_codec.h"

typedef struct outbox_t outbox_t;

typedef enum {
    OUTBOX_NONE = 0,
    OUTBOX_PENDING,
    OUTBOX_ACCEPTED,
    OUTBOX_REJECTED,
} outbox_state_t;

/* Opens (creating if needed) the outbox in DIR.  NULL on failure (errno). */
outbox_t *outbox_new (const char *dir);
void outbox_destroy (outbox_t **self_p);

/* One file a response was read from, kept beside the submission. */
typedef struct {
    const char *name;  /* as given (the JSON file) or as the JSON names it (a CSV file) */
    const void *bytes; /* exactly the bytes that were parsed */
    size_t len;
} outbox_file_t;

/* Takes submission ID into the outbox: PAYLOAD (PAYLOAD_LEN bytes, the
 * packed Submission, sent as is on every attempt), SOURCE (a file name for
 * people) and the N_FILES files it was read from: FILES[0] is stored as
 * "original", the others as "original.1" ... with an index "originals"
 * ("original.1<TAB>incidents.csv" per line).  Nothing is read again from
 * the files, so what is kept is exactly what was checked.  If the id is
 * already in the outbox, nothing is written and *STATE_P says where it is:
 * the return is 0 if that entry holds the same PAYLOAD, DCP_ECONFLICT if it
 * holds other content.  Returns 0 or DCP_ECONFLICT / DCP_EIO / DCP_ENOMEM /
 * DCP_EINVAL (an id unsafe as a folder name).  Borrows everything. */
int outbox_take (outbox_t *self, const char *id, const uint8_t *payload, size_t payload_len,
                 const char *source, const outbox_file_t *files, size_t n_files,
                 outbox_state_t *state_p);

/* Makes every take and finish since the last call durable (fsync of the
 * folders that changed).  Call it before sending what was taken and before
 * telling anyone about a finished entry.  Returns 0 or DCP_EIO. */
int outbox_sync (outbox_t *self);

/* Where the submission ID is now. */
outbox_state_t outbox_state (outbox_t *self, const char *id);

/* When entry ID was taken, into *WHEN (zero if unknown).  Returns 0, or
 * DCP_EINVAL if ID is not here, DCP_EIO if it cannot be read. */
int outbox_taken_at (outbox_t *self, const char *id, struct timespec *when);

/* Reads the bytes to send for pending ID (caller frees). NULL on error. */
uint8_t *outbox_payload (outbox_t *self, const char *id, size_t *len_p);

/* Records a final receipt: appends RECEIPT (protobuf bytes) to receipts.log
 * and flushes it, writes it into the entry's receipt.pb (made at take time:
 * making files was the dearest step of a receipt, tests/bench), then moves
 * the entry to accepted/ or rejected/.  The text for people is made from
 * it when asked.  Returns 0, or DCP_EIO.  Idempotent for an
 * entry already moved. */
int outbox_finish (outbox_t *self, const char *id, bool accepted, const uint8_t *receipt,
                   size_t receipt_len);

/* The receipt of finished entry ID (caller frees; its length in *LEN_P):
 * the entry's receipt.pb if it is whole, else the copy in receipts.log.
 * NULL if there is none. */
uint8_t *outbox_receipt (outbox_t *self, const char *id, size_t *len_p);

/* One final receipt for outbox_finish_many(). */
typedef struct {
    const char *id;
    bool accepted;
    const uint8_t *receipt; /* protobuf bytes */
    size_t receipt_len;
    int rc; /* out: as outbox_finish() returns */
} outbox_receipt_t;

/* Records N final receipts, each as outbox_finish() would, but with one
 * flush of receipts.log for all of them, then the moves.  A receipt costs a
 * fraction of a disk flush, which is what lets one collector keep up with
 * the loader's group commits.  Sets R[i].rc; returns
 * 0 if every one was recorded, else DCP_EIO.  As with outbox_finish(), the
 * moves are durable after outbox_sync(). */
int outbox_finish_many (outbox_t *self, outbox_receipt_t *r, size_t n);

/* Calls FN for each entry in STATE in the order they were taken, with its
 * id; stops early if FN returns non-zero.  Returns 0 or DCP_EIO.  The take
 * order is kept on disk as the modification time of submission.pb, set at
 * take time with nanoseconds and always later than the take before it in
 * the same process (entries of one moment, ties, list by id): so a
 * restarted collector sends what waits in the order it was taken, and a
 * correction never before the response it corrects. */
int outbox_each (outbox_t *self, outbox_state_t state, int (*fn) (const char *id, void *arg),
                 void *arg);

/* Reads a file of entry ID (e.g. "source", "original"; for the receipt use
 * outbox_receipt(), which checks receipt.pb against the log), caller frees;
 * NULL if missing.  The file's length goes to *LEN_P unless it is NULL (the
 * text is NUL-terminated either way). */
char *outbox_read (outbox_t *self, const char *id, const char *name);
char *outbox_read_n (outbox_t *self, const char *id, const char *name, size_t *len_p);

/* Number of pending entries. */
size_t outbox_pending_count (outbox_t *self);

#endif
