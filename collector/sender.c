/* sender.c: windowed, retrying sender (see sender.h). */
#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcp_err.h"
#include "dcp_i18n.h"
#include "dcp_frame.h"
#include "dcp_log.h"
#include "dcp_util.h"
#include "report.h"
#include "sender.h"

/* How long the first sends wait for every validator to be connected. */
#define SPREAD_WAIT_MS 500

#define FINALS_MAX 256 /* final receipts recorded per round at most */

typedef struct s_series_t s_series_t;

typedef struct s_entry_t {
    char id[72];
    uint64_t seq; /* order of sender_add(): the order entries were taken */
    int attempts;
    int64_t due_ms;  /* when waiting: earliest next send */
    int64_t sent_ms; /* when in flight */
    bool in_flight;
    uint8_t *payload; /* bytes for the first attempt, or NULL: read the outbox */
    size_t payload_len;
    s_series_t *series;
    struct s_entry_t *next; /* the next entry of the same series */
} s_entry_t;

/* The entries of one series (country, questionnaire, year) not finished
 * yet, in the order they were added.  Only the head is ever sent: in the
 * heap while it waits, in the window while in flight, in self->finals
 * while its receipt is recorded.  The next one waits until the head has
 * its final receipt, so nothing of a series overtakes an entry sent before
 * it, whatever happens to that entry (timeouts, reconnects, RETRY_LATER,
 * several validators: a revision leaves only once the loader has answered
 * for what it supersedes). */
struct s_series_t {
    char key[96]; /* "AFG/2/2024" (questionnaire as its number) */
    s_entry_t *head, *tail;
};

/* A final receipt received, not recorded in the outbox yet. */
typedef struct {
    s_entry_t *e; /* NULL: not in flight here (a late receipt) */
    Dcp__V1__Receipt *r;
    uint8_t *bytes; /* the receipt as received, stored as receipt.pb */
    size_t len;
} s_final_t;

struct sender_t {
    void *ctx;
    void *sock;
    void *monitor;     /* PAIR receiving SOCK's monitor events, or NULL */
    unsigned monitors; /* monitors made, for a fresh inproc name each time */
    sender_link_t link;
    int64_t link_since_ms;
    bool pong; /* the answer to sender_ping() arrived */
    outbox_t *outbox;
    sender_opts_t opts;
    s_entry_t **heap; /* heads of series waiting, min-heap on (due_ms, seq) */
    size_t heap_n, heap_cap;
    s_series_t **series; /* open addressing on the key; a series stays once seen */
    size_t series_n, series_cap;
    size_t entries_n;  /* entries not finished: queued, in flight or recording */
    int failed_rounds; /* timeouts since the last final receipt */
    uint64_t next_seq;
    int64_t blocked_until_ms; /* send queue was full: try again then */
    /* With several validators, the first sends wait (up to SPREAD_WAIT_MS
     * after connecting) until each has completed its handshake: with
     * ZMQ_IMMEDIATE a burst sent the moment the first one is up would all
     * go to that one. */
    int endpoints, handshakes;
    int64_t spread_until_ms;
    s_entry_t **flight; /* in flight, at most opts.window */
    size_t flight_n;
    sender_stats_t stats;
    s_final_t finals[FINALS_MAX];
    size_t finals_n;
};

static void
s_entry_free (s_entry_t *e)
{
    if (e)
        free (e->payload);
    free (e);
}

/* Heads due at the same millisecond (a round put back after a timeout)
 * leave in the order they were added.  Order within a series does not rest
 * on this but on the series queue (s_series_t). */
static bool
s_before (const s_entry_t *a, const s_entry_t *b)
{
    return a->due_ms < b->due_ms || (a->due_ms == b->due_ms && a->seq < b->seq);
}

static void
s_heap_push (sender_t *self, s_entry_t *e)
{
    size_t i = self->heap_n++;
    self->heap[i] = e;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!s_before (self->heap[i], self->heap[parent]))
            break;
        s_entry_t *t = self->heap[parent];
        self->heap[parent] = self->heap[i];
        self->heap[i] = t;
        i = parent;
    }
}

static s_entry_t *
s_heap_pop (sender_t *self)
{
    s_entry_t *top = self->heap[0];
    self->heap[0] = self->heap[--self->heap_n];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < self->heap_n && s_before (self->heap[l], self->heap[m]))
            m = l;
        if (r < self->heap_n && s_before (self->heap[r], self->heap[m]))
            m = r;
        if (m == i)
            break;
        s_entry_t *t = self->heap[m];
        self->heap[m] = self->heap[i];
        self->heap[i] = t;
        i = m;
    }
    return top;
}

/* Reads a protobuf varint at *P (before END); false if cut short. */
static bool
s_varint (const uint8_t **p, const uint8_t *end, uint64_t *v)
{
    *v = 0;
    for (int shift = 0; *p < end && shift < 64; shift += 7) {
        uint8_t b = *(*p)++;
        *v |= (uint64_t) (b & 0x7f) << shift;
        if (!(b & 0x80))
            return true;
    }
    return false;
}

/* The series of a packed Submission into KEY: reporting_country (field 5),
 * questionnaire (3) and reporting_year (6), read from the top-level fields
 * without unpacking the payload (which may hold a million rows).  Bytes
 * that do not scan give a key of their own (ID): nothing waits for them. */
static void
s_series_key (const uint8_t *bytes, size_t len, const char *id, char *key, size_t size)
{
    const uint8_t *p = bytes, *end = bytes + len;
    uint64_t kind = 0, year = 0, tag, v;
    const uint8_t *country = NULL;
    size_t country_len = 0;
    while (p < end) {
        if (!s_varint (&p, end, &tag))
            goto opaque;
        switch (tag & 7) {
        case 0:
            if (!s_varint (&p, end, &v))
                goto opaque;
            if (tag >> 3 == 3)
                kind = v;
            else if (tag >> 3 == 6)
                year = v;
            break;
        case 1:
            if (end - p < 8)
                goto opaque;
            p += 8;
            break;
        case 5:
            if (end - p < 4)
                goto opaque;
            p += 4;
            break;
        case 2:
            if (!s_varint (&p, end, &v) || v > (uint64_t) (end - p))
                goto opaque;
            if (tag >> 3 == 5) {
                country = p;
                country_len = (size_t) v;
            }
            p += v;
            break;
        default: goto opaque;
        }
    }
    snprintf (key, size, "%.*s/%llu/%lld", (int) (country_len > 16 ? 16 : country_len),
              country ? (const char *) country : "", (unsigned long long) kind,
              (long long) (int32_t) year);
    return;
opaque:
    snprintf (key, size, "id:%s", id);
}

static size_t
s_key_hash (const char *key)
{
    size_t h = 2166136261u;
    for (; *key; key++)
        h = (h ^ (unsigned char) *key) * 16777619u;
    return h;
}

/* The series KEY, made if new (the heap grows with it: it holds at most
 * one entry per series).  NULL if out of memory. */
static s_series_t *
s_series_get (sender_t *self, const char *key)
{
    if (2 * (self->series_n + 1) > self->series_cap) {
        size_t cap = self->series_cap ? self->series_cap * 2 : 64;
        s_series_t **t = calloc (cap, sizeof *t);
        if (!t)
            return NULL;
        for (size_t i = 0; i < self->series_cap; i++)
            if (self->series[i]) {
                size_t j = s_key_hash (self->series[i]->key) & (cap - 1);
                while (t[j])
                    j = (j + 1) & (cap - 1);
                t[j] = self->series[i];
            }
        free (self->series);
        self->series = t;
        self->series_cap = cap;
    }
    size_t j = s_key_hash (key) & (self->series_cap - 1);
    for (; self->series[j]; j = (j + 1) & (self->series_cap - 1))
        if (strcmp (self->series[j]->key, key) == 0)
            return self->series[j];
    if (self->series_n + 1 > self->heap_cap) {
        size_t cap = self->heap_cap ? self->heap_cap * 2 : 64;
        s_entry_t **h = realloc (self->heap, cap * sizeof *h);
        if (!h)
            return NULL;
        self->heap = h;
        self->heap_cap = cap;
    }
    s_series_t *s = calloc (1, sizeof *s);
    if (!s)
        return NULL;
    snprintf (s->key, sizeof s->key, "%s", key);
    self->series[j] = s;
    self->series_n++;
    return s;
}

/* Entry E, the head of its series, is finished (final receipt recorded,
 * or nothing left to send): the next entry of the series may go. */
static void
s_entry_done (sender_t *self, s_entry_t *e)
{
    s_series_t *s = e->series;
    assert (s->head == e && !e->in_flight);
    s->head = e->next;
    if (!s->head)
        s->tail = NULL;
    else
        s_heap_push (self, s->head);
    self->entries_n--;
    s_entry_free (e);
}

/* The events that explain a silence (see sender_link_next). */
#define S_MONITOR_EVENTS                                                                           \
    (ZMQ_EVENT_CONNECTED | ZMQ_EVENT_CONNECT_RETRIED | ZMQ_EVENT_DISCONNECTED                      \
     | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL                  \
     | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH | ZMQ_EVENT_HANDSHAKE_SUCCEEDED)

/* Watches SELF->sock with a monitor.  Without one the sender still works,
 * it only cannot say why nothing comes back. */
static void
s_monitor_start (sender_t *self)
{
    char ep[64];
    snprintf (ep, sizeof ep, "inproc://dcp-sender-%p-%u", (void *) self, self->monitors++);
    if (zmq_socket_monitor (self->sock, ep, S_MONITOR_EVENTS) != 0)
        goto fail;
    self->monitor = zmq_socket (self->ctx, ZMQ_PAIR);
    int zero = 0;
    if (!self->monitor || zmq_setsockopt (self->monitor, ZMQ_LINGER, &zero, sizeof zero)
        || zmq_connect (self->monitor, ep) != 0)
        goto fail;
    return;
fail:
    dcp_debug ("no socket monitor", "reason=%s",
               dcp_log_quote ((char[200]){0}, 200, zmq_strerror (zmq_errno ())));
    if (self->monitor)
        zmq_close (self->monitor);
    self->monitor = NULL;
}

/* Closes the socket and its monitor. */
static void
s_close (sender_t *self)
{
    if (self->monitor) {
        zmq_socket_monitor (self->sock, NULL, 0);
        zmq_close (self->monitor);
        self->monitor = NULL;
    }
    if (self->sock)
        zmq_close (self->sock);
    self->sock = NULL;
}

/* Reads the monitor events waiting and follows the link state.  Plain
 * zmq_recv into small buffers: an event is two frames, 6 bytes (event,
 * value) and the endpoint. */
static void
s_read_monitor (sender_t *self)
{
    uint8_t head[16];
    char endpoint[256];
    while (self->monitor && zmq_recv (self->monitor, head, sizeof head, ZMQ_DONTWAIT) >= 6) {
        int more = 0;
        size_t more_len = sizeof more;
        if (zmq_getsockopt (self->monitor, ZMQ_RCVMORE, &more, &more_len) == 0 && more)
            zmq_recv (self->monitor, endpoint, sizeof endpoint, ZMQ_DONTWAIT);
        uint16_t event;
        uint32_t value;
        memcpy (&event, head, 2);
        memcpy (&value, head + 2, 4);
        if (event == ZMQ_EVENT_HANDSHAKE_SUCCEEDED)
            self->handshakes++;
        sender_link_t next = sender_link_next (self->link, event, value);
        dcp_debug ("socket event", "event=0x%x value=%u link=%d", event, value, (int) next);
        if (next != self->link) {
            char why[512];
            self->link = next;
            self->link_since_ms = dcp_now_ms ();
            dcp_info (
                "validator link", "endpoint=%s reason=%s", self->opts.endpoint,
                dcp_log_quote ((char[600]){0}, 600,
                               sender_link_reason (next, self->opts.endpoint, why, sizeof why)));
        }
    }
}

sender_link_t
sender_link_next (sender_link_t now, unsigned event, unsigned long value)
{
    (void) value; /* the ZAP status: 400 refused; 300 and 500 are the
                      server's trouble, but the key is still not taken */
    switch (event) {
    case ZMQ_EVENT_CONNECT_RETRIED:
        /* libzmq says this whenever it schedules a reconnect, also after a
         * failed handshake: only a failure to connect means "refused". */
        return (now == SENDER_LINK_KEY_REFUSED || now == SENDER_LINK_SERVER_KEY)
                   ? now
                   : SENDER_LINK_REFUSED;
    case ZMQ_EVENT_CONNECTED:
        /* TCP is up again: an old "cannot connect" no longer holds; a
         * handshake failure stays until the handshake says otherwise. */
        return (now == SENDER_LINK_REFUSED || now == SENDER_LINK_LOST) ? SENDER_LINK_UNKNOWN : now;
    case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH: return SENDER_LINK_KEY_REFUSED;
    case ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL:
    case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL:
        /* The server closing after its ZAP refusal may add a failure
         * without detail: the refusal is the reason. */
        return now == SENDER_LINK_KEY_REFUSED ? now : SENDER_LINK_SERVER_KEY;
    case ZMQ_EVENT_HANDSHAKE_SUCCEEDED: return SENDER_LINK_UP;
    case ZMQ_EVENT_DISCONNECTED: return now == SENDER_LINK_UP ? SENDER_LINK_LOST : now;
    default: return now;
    }
}

const char *
sender_link_reason (sender_link_t state, const char *endpoint, char *buf, size_t size)
{
    switch (state) {
    case SENDER_LINK_REFUSED:
        snprintf (buf, size,
                  _ ("cannot connect to %s: nothing is listening there or it cannot be "
                     "reached (is the validator running? is endpoint right?)"),
                  endpoint);
        break;
    case SENDER_LINK_KEY_REFUSED:
        snprintf (buf, size,
                  _ ("the validator at %s refused this collector's key: it is not "
                     "registered (send the public key, the .pub file beside key_file, to the "
                     "coordinating office)"),
                  endpoint);
        break;
    case SENDER_LINK_SERVER_KEY:
        snprintf (buf, size,
                  _ ("the validator at %s does not have the key this collector expects "
                     "(check validator_public_key in the configuration)"),
                  endpoint);
        break;
    case SENDER_LINK_UP:
        snprintf (buf, size,
                  _ ("connected to %s but no answer yet (the pipeline behind the "
                     "validator may be down; the response is safe in the outbox)"),
                  endpoint);
        break;
    case SENDER_LINK_LOST:
        snprintf (buf, size,
                  _ ("the connection to %s was lost; reconnecting (the response is "
                     "safe in the outbox)"),
                  endpoint);
        break;
    default: snprintf (buf, size, "%s", ""); break;
    }
    return buf;
}

sender_link_t
sender_link (const sender_t *self)
{
    return self->link;
}

long
sender_link_age_ms (const sender_t *self)
{
    return (long) (dcp_now_ms () - self->link_since_ms);
}

int
sender_ping (sender_t *self)
{
    if (!self->sock)
        return DCP_EAGAIN;
    return dcp_frame_send_ping (self->sock, ZMQ_DONTWAIT) ? DCP_EAGAIN : 0;
}

bool
sender_pong (const sender_t *self)
{
    return self->pong;
}

/* Opens a fresh DEALER connected to every validator endpoint listed
 * (comma-separated): ZeroMQ spreads the submissions over them and skips one
 * that is down.  All validators of a deployment share one key pair. */
static int
s_connect (sender_t *self)
{
    char list[1024], *save = NULL;
    self->sock = zmq_socket (self->ctx, ZMQ_DEALER);
    if (!self->sock)
        return DCP_EINVAL;
    int one = 1;
    /* Queue only to validators actually connected, so a dead one does not
     * swallow submissions until the next timeout. */
    if (dcp_wire_client (self->sock, self->opts.keys, self->opts.server_key, &self->opts.wire)
        || zmq_setsockopt (self->sock, ZMQ_IMMEDIATE, &one, sizeof one))
        goto fail;
    s_monitor_start (self);
    snprintf (list, sizeof list, "%s", self->opts.endpoint);
    self->endpoints = self->handshakes = 0;
    for (char *ep = strtok_r (list, ", ", &save); ep; ep = strtok_r (NULL, ", ", &save)) {
        if (zmq_connect (self->sock, ep) != 0)
            goto fail;
        self->endpoints++;
    }
    self->spread_until_ms = dcp_now_ms () + SPREAD_WAIT_MS;
    return 0;
fail:
    dcp_error ("could not connect to validator", "endpoint=%s reason=%s", self->opts.endpoint,
               dcp_log_quote ((char[200]){0}, 200, zmq_strerror (zmq_errno ())));
    s_close (self);
    return DCP_EINVAL;
}

sender_t *
sender_new (void *ctx, outbox_t *outbox, const sender_opts_t *opts)
{
    sender_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->ctx = ctx;
    self->outbox = outbox;
    self->opts = *opts;
    self->link_since_ms = dcp_now_ms ();
    if (self->opts.window == 0)
        self->opts.window = 1;
    self->flight = calloc (self->opts.window, sizeof *self->flight);
    if (!self->flight || s_connect (self)) {
        sender_destroy (&self);
        return NULL;
    }
    return self;
}

void
sender_destroy (sender_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    sender_t *self = *self_p;
    s_close (self);
    /* Every entry is in its series' queue, wherever else it is. */
    for (size_t i = 0; i < self->series_cap; i++) {
        s_series_t *ser = self->series[i];
        if (!ser)
            continue;
        for (s_entry_t *e = ser->head, *next; e; e = next) {
            next = e->next;
            s_entry_free (e);
        }
        free (ser);
    }
    free (self->series);
    free (self->heap);
    free (self->flight);
    free (self);
    *self_p = NULL;
}

int
sender_add (sender_t *self, const char *id)
{
    return sender_add_bytes (self, id, NULL, 0);
}

int
sender_add_bytes (sender_t *self, const char *id, uint8_t **payload_p, size_t len)
{
    char key[96];
    uint8_t *read = NULL;
    const uint8_t *bytes = payload_p ? *payload_p : NULL;
    if (strlen (id) >= sizeof ((s_entry_t *) 0)->id)
        return 0;
    if (!bytes) {
        /* Only to learn the series: later attempts read the outbox again,
         * so memory does not grow with the backlog. */
        if (!self->outbox || !(read = outbox_payload (self->outbox, id, &len)))
            return 0; /* finished meanwhile: nothing to send */
        bytes = read;
    }
    s_series_key (bytes, len, id, key, sizeof key);
    free (read);
    s_series_t *ser = s_series_get (self, key);
    if (!ser)
        return DCP_ENOMEM;
    for (s_entry_t *q = ser->head; q; q = q->next)
        if (strcmp (q->id, id) == 0)
            return 0; /* queued already */
    s_entry_t *e = calloc (1, sizeof *e);
    if (!e)
        return DCP_ENOMEM;
    snprintf (e->id, sizeof e->id, "%s", id);
    if (payload_p && *payload_p) {
        e->payload = *payload_p;
        e->payload_len = len;
        *payload_p = NULL;
    }
    e->seq = self->next_seq++;
    e->due_ms = dcp_now_ms ();
    e->series = ser;
    if (ser->tail)
        ser->tail->next = e;
    else {
        ser->head = e;
        s_heap_push (self, e); /* room: heap_cap >= series_n */
    }
    ser->tail = e;
    self->entries_n++;
    return 0;
}

/* Exponential backoff with full jitter in [d/2, d). */
static int64_t
s_backoff (const sender_t *self, int attempts)
{
    int64_t d = self->opts.backoff_min_ms;
    for (int i = 1; i < attempts && d < self->opts.backoff_max_ms; i++)
        d *= 2;
    if (d > self->opts.backoff_max_ms)
        d = self->opts.backoff_max_ms;
    if (d < 2)
        d = 2;
    return d / 2 + (int64_t) randombytes_uniform ((uint32_t) (d / 2));
}

/* Puts E (the head of its series, out of the window) back to wait until
 * DUE_MS.  It keeps its place in its series: nothing behind it leaves
 * first. */
static void
s_requeue (sender_t *self, s_entry_t *e, int64_t due_ms)
{
    e->in_flight = false;
    e->due_ms = due_ms;
    s_heap_push (self, e); /* room: heap_cap >= series_n */
}

/* E's own backoff, after an answer about E alone (RETRY_LATER). */
static void
s_requeue_backoff (sender_t *self, s_entry_t *e)
{
    s_requeue (self, e, dcp_now_ms () + s_backoff (self, e->attempts));
}

static void
s_flight_remove (sender_t *self, size_t i)
{
    self->flight[i] = self->flight[--self->flight_n];
}

/* Sends waiting entries that are due while the window has room. */
static void
s_send_due (sender_t *self)
{
    int64_t now = dcp_now_ms ();
    if (now < self->blocked_until_ms)
        return;
    if (self->endpoints > 1 && self->monitor && self->handshakes < self->endpoints
        && now < self->spread_until_ms) {
        s_read_monitor (self);
        if (self->handshakes < self->endpoints) {
            self->blocked_until_ms = now + 10;
            return;
        }
    }
    while (self->flight_n < self->opts.window && self->heap_n > 0 && self->heap[0]->due_ms <= now) {
        s_entry_t *e = s_heap_pop (self);
        size_t len = e->payload_len;
        uint8_t *payload = e->payload;
        if (!payload)
            payload = outbox_payload (self->outbox, e->id, &len);
        if (!payload) {
            /* Finished meanwhile (another collector process, or a receipt
             * that arrived late): nothing left to send. */
            s_entry_done (self, e);
            continue;
        }
        int rc = dcp_frame_send_submission (self->sock, e->id, payload, len, ZMQ_DONTWAIT);
        if (payload != e->payload)
            free (payload);
        if (rc) {
            /* Queue to the validator full or not connected yet: wait.  The
             * entry keeps its place, so the send order stays as given. */
            self->blocked_until_ms = now + 50;
            s_heap_push (self, e);
            break;
        }
        /* Sent once from memory; a resend reads the outbox, which holds
         * the same bytes, so memory does not grow with the backlog. */
        free (e->payload);
        e->payload = NULL;
        e->attempts++;
        e->in_flight = true;
        e->sent_ms = now;
        if (e->attempts > 1)
            self->stats.resent++;
        self->stats.sent++;
        self->flight[self->flight_n++] = e;
    }
}

/* Takes one message from the validator: a receipt that is not final puts
 * its entry back in the queue; a final one for a pending entry is kept in
 * self->finals, to be recorded with the others of this round. */
static void
s_on_receipt (sender_t *self, dcp_frames_t *in)
{
    zmq_msg_t *id, *receipt;
    if (dcp_frame_read_receipt (in, &id, &receipt) != 0)
        return;
    Dcp__V1__Receipt *r =
        dcp__v1__receipt__unpack (NULL, zmq_msg_size (receipt), zmq_msg_data (receipt));
    if (!r) {
        dcp_warn ("ignored undecodable receipt", NULL);
        return;
    }
    if (strcmp (r->submission_id, "ping") == 0 && r->status == 0) {
        self->pong = true; /* the probe's answer: nothing to record */
        dcp__v1__receipt__free_unpacked (r, NULL);
        return;
    }
    if (!self->outbox) { /* a probing sender (doctor) records nothing */
        dcp__v1__receipt__free_unpacked (r, NULL);
        return;
    }
    self->stats.receipts++;
    s_entry_t *e = NULL;
    for (size_t i = 0; i < self->flight_n; i++)
        if (strcmp (self->flight[i]->id, r->submission_id) == 0) {
            e = self->flight[i];
            s_flight_remove (self, i);
            break;
        }
    bool final = r->status == DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED
                 || r->status == DCP__V1__RECEIPT_STATUS__RECEIPT_REJECTED
                 || r->status == DCP__V1__RECEIPT_STATUS__RECEIPT_CONFLICT;
    if (e)
        e->in_flight = false;
    if (!final) {
        self->stats.retry_later++;
        if (e)
            s_requeue_backoff (self, e); /* back in the heap: must not be freed */
        goto drop_kept;
    }
    self->failed_rounds = 0; /* the path works again */
    /* A second receipt for the same id in one round (a resend's): the
     * first one answers for both. */
    for (size_t i = 0; i < self->finals_n; i++)
        if (strcmp (self->finals[i].r->submission_id, r->submission_id) == 0)
            goto drop;
    outbox_state_t state = outbox_state (self->outbox, r->submission_id);
    if (state == OUTBOX_NONE) {
        /* Not ours (a misrouted or forged answer): nothing to record. */
        dcp_warn ("ignored receipt for a submission not in the outbox", "submission=%s",
                  dcp_log_quote ((char[200]){0}, 200, r->submission_id));
        goto drop;
    }
    if (state != OUTBOX_PENDING)
        goto drop; /* answered before: nothing to record */
    s_final_t *f = &self->finals[self->finals_n];
    f->bytes = malloc (zmq_msg_size (&in->part[2]) + 1);
    if (!f->bytes) {
        if (e)
            s_requeue_backoff (self, e); /* the resend will get the same receipt */
        goto drop_kept;
    }
    memcpy (f->bytes, zmq_msg_data (&in->part[2]), zmq_msg_size (&in->part[2]));
    f->len = zmq_msg_size (&in->part[2]);
    f->e = e;
    f->r = r;
    self->finals_n++;
    return;
drop:
    if (e)
        s_entry_done (self, e);
drop_kept:
    dcp__v1__receipt__free_unpacked (r, NULL);
}

/* Records the final receipts of this round in the outbox, all at once (one
 * shared flush, see outbox_finish_many), makes the moves durable, and only
 * then tells FN about each. */
static void
s_record_finals (sender_t *self, sender_receipt_fn *fn, void *arg)
{
    size_t n = self->finals_n;
    outbox_receipt_t rec[FINALS_MAX];
    if (!self->outbox)
        return; /* a probing sender (doctor): no finals, nothing to sync */
    for (size_t i = 0; i < n; i++) {
        s_final_t *f = &self->finals[i];
        rec[i] = (outbox_receipt_t){f->r->submission_id,
                                    f->r->status == DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED,
                                    f->bytes, f->len, 0};
    }
    if (n)
        outbox_finish_many (self->outbox, rec, n);
    /* One folder sync for the whole round, before anyone hears of it. */
    bool synced = outbox_sync (self->outbox) == 0;
    if (!synced)
        dcp_error ("could not sync outbox folders", NULL);
    for (size_t i = 0; i < n; i++) {
        s_final_t *f = &self->finals[i];
        if (rec[i].rc || !synced) {
            /* Could not record the outcome durably: keep it pending; the
             * resend will get the same receipt. */
            dcp_error ("could not record receipt in outbox", "submission=%.64s",
                       f->r->submission_id);
            if (f->e)
                s_requeue_backoff (self, f->e);
            f->e = NULL;
        } else {
            if (fn) {
                /* The words for people are made only for whoever shows them. */
                char *source = outbox_read (self->outbox, f->r->submission_id, "source");
                char *text = report_receipt (source ? source : f->r->submission_id, f->r);
                fn (f->r->submission_id, f->r, text ? text : "(out of memory)\n", arg);
                free (text);
                free (source);
            }
            if (rec[i].accepted)
                self->stats.accepted++;
            else
                self->stats.rejected++;
        }
        if (f->e)
            s_entry_done (self, f->e);
        free (f->bytes);
        dcp__v1__receipt__free_unpacked (f->r, NULL);
        memset (f, 0, sizeof *f);
    }
    self->finals_n = 0;
}

int
sender_poll (sender_t *self, long max_wait_ms, sender_receipt_fn *fn, void *arg)
{
    s_send_due (self);
    int64_t now = dcp_now_ms ();
    long wait = max_wait_ms;
    if (self->heap_n > 0 && self->flight_n < self->opts.window) {
        int64_t due = self->heap[0]->due_ms - now;
        if (due < self->blocked_until_ms - now)
            due = self->blocked_until_ms - now;
        if (due < wait)
            wait = due > 0 ? (long) due : 0;
    }
    for (size_t i = 0; i < self->flight_n; i++) {
        int64_t left = self->flight[i]->sent_ms + self->opts.timeout_ms - now;
        if (left < wait)
            wait = left > 0 ? (long) left : 0;
    }
    zmq_pollitem_t items[2] = {{self->sock, 0, ZMQ_POLLIN, 0}, {self->monitor, 0, ZMQ_POLLIN, 0}};
    if (zmq_poll (items, self->monitor ? 2 : 1, wait) < 0 && zmq_errno () != EINTR)
        return DCP_EPROTO;
    s_read_monitor (self);
    if (items[0].revents & ZMQ_POLLIN) {
        dcp_frames_t in;
        while (self->finals_n < FINALS_MAX
               && dcp_frames_recv (self->sock, &in, ZMQ_DONTWAIT) == 0) {
            s_on_receipt (self, &in);
            dcp_frames_close (&in);
        }
        /* Refill the window before the disk work: the next submissions
         * travel through the pipeline while these receipts are recorded. */
        s_send_due (self);
        s_record_finals (self, fn, arg);
    }
    /* Lazy Pirate: no receipt in time means the path is broken somewhere;
     * a fresh socket drops whatever the old one had queued. */
    now = dcp_now_ms ();
    bool expired = false;
    for (size_t i = 0; i < self->flight_n; i++)
        if (now - self->flight[i]->sent_ms >= self->opts.timeout_ms)
            expired = true;
    if (expired) {
        dcp_warn ("no receipt in time, reconnecting", "endpoint=%s in_flight=%zu waiting=%zu",
                  self->opts.endpoint, self->flight_n, self->entries_n - self->flight_n);
        s_read_monitor (self); /* the old socket's last words */
        s_close (self);
        self->stats.reconnects++;
        /* One backoff for the whole round, not one per entry: the round
         * goes out again together, in the order it was added (s_before),
         * ahead of nothing of its own series (s_series_t). */
        int64_t due = now + s_backoff (self, ++self->failed_rounds);
        while (self->flight_n > 0)
            s_requeue (self, self->flight[--self->flight_n], due);
        if (s_connect (self))
            return DCP_EINVAL;
    }
    return 0;
}

void *
sender_socket (const sender_t *self)
{
    return self->sock;
}

size_t
sender_outstanding (const sender_t *self)
{
    return self->entries_n;
}

const sender_stats_t *
sender_stats (const sender_t *self)
{
    return &self->stats;
}
