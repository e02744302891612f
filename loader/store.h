/* store.h: writing a batch of forwarded submissions into PostgreSQL.
 *
 * One call stores a batch in one transaction and reports, per submission,
 * what happened; receipts may leave only after this returns 0 (the batch is
 * committed).  Idempotency is decided per submission against the UNIQUE
 * submission id, so a resend, a replay after a crash or the same submission
 * reaching two loaders at once is stored once: an identical resend gets the
 * original outcome back (replayed = true); the same id with other content is
 * a conflict, stored in quarantine.  A submission that makes the database
 * refuse the batch (a "poison" item) is isolated by retrying smaller batches
 * and is rejected alone; its neighbours are committed. */
#ifndef STORE_H
#define STORE_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dcp_codec.h"
#include "dcp_findings.h"

typedef struct {
    /* in (borrowed, must live until store_batch returns) */
    const Dcp__V1__Forward *fwd; /* metadata and validator findings */
    const uint8_t *raw;          /* the submission bytes as received */
    size_t raw_len;
    const Dcp__V1__Submission *sub; /* decoded raw; NULL if undecodable */
    /* out (filled by store_batch) */
    Dcp__V1__ReceiptStatus status; /* ACCEPTED, REJECTED or CONFLICT; RETRY_LATER
                                        for a revision waiting for its predecessor
                                        (store_batch_set_revwait) */
    bool replayed;                 /* was stored before; nothing written */
    char stored_at[40];            /* RFC 3339 of the commit, UTC */
    char current_id[40];           /* submission now current for its series */
    dcp_findings_t *findings;      /* owned: the validator's findings plus
                                        the loader's (V-ENV-06, DB refusal);
                                        freed by store_item_reset() */
} store_item_t;

/* Clears the out fields of ITEM (frees its findings). */
void store_item_reset (store_item_t *item);

/* Stores ITEMS[0..N) in one or more transactions.  Returns 0 when every
 * item has a final status and everything is committed; DCP_EDB_RETRY when
 * the connection was lost or the database asked to retry (serialization
 * failure, deadlock, shutdown): nothing of the failed transaction is
 * committed and the caller retries the same items later; DCP_ESTAGE when
 * the database refuses what this loader writes (a stage fault, see
 * store_batch_stage_faults()): likewise nothing committed and no item
 * answered, retry later (after a fix); DCP_ENOMEM.
 * Never returns a permanent error for the batch: a permanent refusal is
 * pinned on the item that caused it. */
int store_batch (PGconn *db, store_item_t *items, size_t n);

/* The same in two steps, so that the CPU work (hashing, encoding the COPY
 * rows) of one batch can overlap the database work of the previous one: the
 * loader's main thread adds items as they arrive while its writer thread
 * writes the batch before.  One batch is used by one thread at a time.
 *
 * store_batch_add() copies the in fields of IN (what they point to stays
 * borrowed until the batch is cleared) and encodes the item now; DCP_ENOMEM
 * leaves the batch as it was.  store_batch_write() behaves as store_batch()
 * on the items added so far; the outcomes are read with store_batch_item()
 * and a failed batch can be written again as it is.  store_batch_clear()
 * empties the batch (and frees the outcomes) for reuse. */
typedef struct store_batch_t store_batch_t;

store_batch_t *store_batch_new (void);
void store_batch_destroy (store_batch_t **self_p);
int store_batch_add (store_batch_t *b, const store_item_t *in);
size_t store_batch_size (const store_batch_t *b);
store_item_t *store_batch_item (store_batch_t *b, size_t i);
int store_batch_write (PGconn *db, store_batch_t *b);
void store_batch_clear (store_batch_t *b);

/* Lets B's writes hold back a revision whose predecessor is not stored
 * (RECEIPT_RETRY_LATER, nothing stored) for the bound of WAITS, shared by
 * every batch of the loader (revwait.h; borrowed, must outlive B).  A batch
 * without one, and store_batch(), decide such a revision at once (see
 * store_order.c, "Order of revisions"). */
typedef struct revwait_t revwait_t;
void store_batch_set_revwait (store_batch_t *b, revwait_t *waits);

/* Number of stage faults met by writes of B since store_batch_new(): the
 * database refused what this loader writes in a way that shows our own
 * encoder, schema or deployment at fault (SQLSTATE 22P04 bad COPY format,
 * 42xxx undefined table or column, privilege, and other states that are
 * neither transient nor about the partner's data; db.h).  Such a write
 * returns DCP_ESTAGE with nothing committed and no item answered, and logs
 * an error; the caller retries the same batch later.  Like the rest of B,
 * read it only from the thread that writes B, or once the write returned;
 * a caller may as well count the DCP_ESTAGE returns and export that as a
 * metric. */
uint64_t store_batch_stage_faults (const store_batch_t *b);

/* Rule V-X-03: a revision whose key figure (dcp.v_key_figures_by_revision,
 * migration 0031) moves by more than PCT % of the value in the revision it
 * replaces is stored with a warning naming the old and new value; it is
 * never rejected.  Default STORE_REVISION_CHANGE_PCT; 0 warns at any
 * change, a negative PCT turns the rule off. */
#define STORE_REVISION_CHANGE_PCT 25
void store_batch_set_revision_change_pct (store_batch_t *b, int pct);

#endif
