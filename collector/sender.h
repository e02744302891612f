/* sender.h: sends pending outbox entries to a validator and collects receipts.
 *
 * Several submissions travel at once (a window of unacknowledged ones, so
 * throughput does not hang on round-trip time).  Every wait has a timeout;
 * after one, the socket is closed and a fresh one opened (the ZeroMQ
 * guide's "Lazy Pirate"), and what was in flight is sent again after an
 * exponential backoff with jitter.  There is no limit on how long an entry
 * may wait: it leaves the outbox only with a final receipt. */
#ifndef SENDER_H
#define SENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dcp_codec.h"
#include "dcp_keys.h"
#include "dcp_wire.h"
#include "outbox.h"

typedef struct {
    const char *endpoint;            /* validator, e.g. tcp://host:7601 */
    const dcp_keypair_t *keys;       /* NULL: plain TCP (development) */
    const char *server_key;          /* validator's Z85 public key */
    size_t window;                   /* submissions in flight at most */
    long timeout_ms;                 /* wait for a receipt before reconnecting */
    long backoff_min_ms, backoff_max_ms;
    dcp_wire_opts_t wire;
} sender_opts_t;

typedef struct sender_t sender_t;

/* Called for every final receipt, after the outbox entry was moved; TEXT is
 * the receipt in plain words (report_receipt). */
typedef void (sender_receipt_fn) (const char *id, const Dcp__V1__Receipt *receipt,
                                  const char *text, void *arg);

/* NULL on failure.  CTX and OUTBOX are borrowed. */
sender_t *sender_new (void *ctx, outbox_t *outbox, const sender_opts_t *opts);
void sender_destroy (sender_t **self_p);

/* Queues pending entry ID for sending (no-op if already queued); every
 * attempt reads the bytes to send from the outbox.  Returns 0 or
 * DCP_ENOMEM. */
int sender_add (sender_t *self, const char *id);

/* As sender_add(), with the bytes for the first attempt: *PAYLOAD_P (LEN
 * bytes, the very bytes the outbox holds for ID) is taken over and *PAYLOAD_P
 * set to NULL, unless ID was queued already (then the caller keeps it).
 * Later attempts read the outbox. */
int sender_add_bytes (sender_t *self, const char *id, uint8_t **payload_p, size_t len);

/* Does one round of work: sends what the window allows, waits up to
 * MAX_WAIT_MS for receipts, handles timeouts.  Returns 0, or a negative
 * code on a fatal socket error. */
int sender_poll (sender_t *self, long max_wait_ms, sender_receipt_fn *fn, void *arg);

/* The socket receipts arrive on, for an event loop to watch (read it only
 * through sender_poll()).  It changes after a reconnect; NULL if a
 * reconnect failed.  Borrowed. */
void *sender_socket (const sender_t *self);

/* Entries queued or in flight. */
size_t sender_outstanding (const sender_t *self);

/* Counters. */
typedef struct {
    unsigned long sent, resent, receipts, accepted, rejected, retry_later, reconnects;
} sender_stats_t;
const sender_stats_t *sender_stats (const sender_t *self);

#endif
