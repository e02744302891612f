/* sender.h: sends pending outbox entries to a validator and collects receipts.
 *
 * Several submissions travel at once (a window of unacknowledged ones, so
 * throughput does not hang on round-trip time).  Every wait has a timeout;
 * after one, the socket is closed and a fresh one opened (the ZeroMQ
 * guide's "Lazy Pirate"), and what was in flight is sent again, together,
 * after one exponential backoff with jitter for the round.  There is no
 * limit on how long an entry may wait: it leaves the outbox only with a
 * final receipt.
 *
 * Order: the submissions of one series (country, questionnaire, year) go
 * out in the order they were added, one at a time: the next is sent only
 * once the one before has its final receipt.  So a revision never reaches
 * a validator before the loader has answered for what it supersedes,
 * whatever the faults (timeouts, reconnects, RETRY_LATER, several
 * validators behind `endpoint`), and across restarts too, as the outbox
 * lists what waits in take order (outbox_each).  Different series travel
 * side by side in the window. */
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
    const char *endpoint;      /* validator, e.g. tcp://host:7601 */
    const dcp_keypair_t *keys; /* NULL: plain TCP (development) */
    const char *server_key;    /* validator's Z85 public key */
    size_t window;             /* submissions in flight at most */
    long timeout_ms;           /* wait for a receipt before reconnecting */
    long backoff_min_ms, backoff_max_ms;
    dcp_wire_opts_t wire;
} sender_opts_t;

typedef struct sender_t sender_t;

/* Called for every final receipt, after the outbox entry was moved; TEXT is
 * the receipt in plain words (report_receipt). */
typedef void (sender_receipt_fn) (const char *id, const Dcp__V1__Receipt *receipt, const char *text,
                                  void *arg);

/* NULL on failure.  CTX and OUTBOX are borrowed. */
sender_t *sender_new (void *ctx, outbox_t *outbox, const sender_opts_t *opts);
void sender_destroy (sender_t **self_p);

/* Queues pending entry ID for sending behind what was added before (no-op
 * if already queued, or if the outbox has no pending ID); every attempt
 * reads the bytes to send from the outbox, and so does this call, once, for
 * the entry's series.  Returns 0 or DCP_ENOMEM. */
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

/* What the sender knows about its connection to the validator, from the
 * socket's monitor events (zmq_socket_monitor), in the order a person
 * needs it: why nothing comes back. */
typedef enum {
    SENDER_LINK_UNKNOWN = 0, /* nothing heard yet */
    SENDER_LINK_REFUSED,     /* TCP connect refused or unreachable: nothing listening */
    SENDER_LINK_KEY_REFUSED, /* the validator's ZAP handler refused this key */
    SENDER_LINK_SERVER_KEY,  /* handshake broken off: the validator's key does not match */
    SENDER_LINK_UP,          /* handshake done: connected */
    SENDER_LINK_LOST,        /* was connected, now disconnected (reconnecting) */
} sender_link_t;

/* The state after monitor event EVENT (ZMQ_EVENT_*) with VALUE (its
 * number: the ZAP status code for HANDSHAKE_FAILED_AUTH) in state NOW.
 * libzmq 4.3 (Debian 12) reports: a refused or unreachable TCP endpoint as
 * CONNECT_RETRIED; a key refused by the server's ZAP handler as
 * HANDSHAKE_FAILED_AUTH with status 400; a wrong server key as
 * HANDSHAKE_FAILED_NO_DETAIL or _PROTOCOL (the server cannot open our HELLO
 * and drops the connection).  Events that say nothing new keep NOW. */
sender_link_t sender_link_next (sender_link_t now, unsigned event, unsigned long value);

/* One plain sentence for STATE, naming ENDPOINT where it helps, in BUF
 * (SIZE bytes); returns BUF.  UNKNOWN gives "". */
const char *sender_link_reason (sender_link_t state, const char *endpoint, char *buf, size_t size);

/* The connection state now (see sender_link_t). */
sender_link_t sender_link (const sender_t *self);

/* Milliseconds since the state last changed. */
long sender_link_age_ms (const sender_t *self);

/* Sends the probe "DCP1" "ping" (proto/README.md) on the current socket;
 * the answer is reported by sender_poll() to FN with id "ping" and is
 * not recorded anywhere.  Returns 0, or DCP_EAGAIN if no validator is
 * connected yet. */
int sender_ping (sender_t *self);

/* True once the answer to sender_ping() arrived (a round trip). */
bool sender_pong (const sender_t *self);

/* Counters. */
typedef struct {
    unsigned long sent, resent, receipts, accepted, rejected, retry_later, reconnects;
} sender_stats_t;
const sender_stats_t *sender_stats (const sender_t *self);

#endif
