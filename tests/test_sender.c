/* test_sender.c: the sender (sender.h) against a validator that misbehaves,
 * with faults injected at the socket seam.
 *
 * The test is linked with -Wl,--wrap=zmq_send,--wrap=zmq_msg_recv,
 * --wrap=zmq_msg_more,--wrap=zmq_poll (tests/CMakeLists.txt): every frame the
 * sender sends lands in s_sent, every frame it receives comes from s_inbox,
 * and a send can be made to fail with a chosen errno.  The socket itself is
 * real (a DEALER connected to a port nobody listens on), so set-up, close
 * and reconnect run as in production.  The outbox is real too, in a fresh
 * folder per test, because what the sender promises is about it: an entry
 * leaves pending/ only with a final receipt. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <zmq.h>

#include "dcp_codec.h"
#include "dcp_log.h"
#include "dcp_fs.h"
#include "dcp_util.h"
#include "dcp_wire.h"
#include "outbox.h"
#include "sender.h"

/* --- the fake socket ----------------------------------------------------- */

#define S_MAX_FRAMES 64

typedef struct {
    uint8_t *data;
    size_t len;
    bool more;
} s_frame_t;

static s_frame_t s_inbox[S_MAX_FRAMES]; /* frames the "validator" answers */
static size_t s_inbox_n, s_inbox_next;
static bool s_last_more;                  /* of the frame last received */
static int s_send_errno;                  /* non-zero: zmq_send fails so */
static char s_sent_ids[S_MAX_FRAMES][72]; /* id frame of each message sent */
static size_t s_sent_n;
static size_t s_part; /* part of the message being sent */

int __real_zmq_send (void *sock, const void *buf, size_t len, int flags);
int __real_zmq_msg_recv (zmq_msg_t *msg, void *sock, int flags);
int __real_zmq_msg_more (const zmq_msg_t *msg);
int __real_zmq_poll (zmq_pollitem_t *items, int n, long timeout);

int
__wrap_zmq_send (void *sock, const void *buf, size_t len, int flags)
{
    (void) sock;
    if (s_send_errno && s_part == 0) {
        errno = s_send_errno; /* zmq_errno() is errno */
        return -1;
    }
    if (s_part == 1 && s_sent_n < S_MAX_FRAMES)
        snprintf (s_sent_ids[s_sent_n++], sizeof s_sent_ids[0], "%.*s", (int) len,
                  (const char *) buf);
    s_part = (flags & ZMQ_SNDMORE) ? s_part + 1 : 0;
    return (int) len;
}

int
__wrap_zmq_msg_recv (zmq_msg_t *msg, void *sock, int flags)
{
    (void) sock;
    (void) flags;
    if (s_inbox_next >= s_inbox_n) {
        errno = EAGAIN;
        return -1;
    }
    s_frame_t *f = &s_inbox[s_inbox_next++];
    zmq_msg_close (msg);
    zmq_msg_init_size (msg, f->len);
    memcpy (zmq_msg_data (msg), f->data, f->len);
    s_last_more = f->more;
    return (int) f->len;
}

int
__wrap_zmq_msg_more (const zmq_msg_t *msg)
{
    (void) msg;
    return s_last_more;
}

/* Readable when an answer is queued; otherwise waits a little (not the
 * whole timeout: the tests drive time with their own loops). */
int
__wrap_zmq_poll (zmq_pollitem_t *items, int n, long timeout)
{
    for (int i = 0; i < n; i++)
        items[i].revents = 0;
    if (s_inbox_next < s_inbox_n) {
        items[0].revents = ZMQ_POLLIN;
        return 1;
    }
    usleep ((useconds_t) (timeout > 5 ? 5 : timeout < 0 ? 0 : timeout) * 1000);
    return 0;
}

static void
s_queue_frame (const void *data, size_t len, bool more)
{
    assert_true (s_inbox_n < S_MAX_FRAMES);
    s_frame_t *f = &s_inbox[s_inbox_n++];
    f->data = malloc (len ? len : 1);
    assert_non_null (f->data);
    memcpy (f->data, data, len);
    f->len = len;
    f->more = more;
}

/* Queues a receipt message for ID with STATUS, as the validator sends it. */
static void
s_answer (const char *id, Dcp__V1__ReceiptStatus status)
{
    Dcp__V1__Receipt r = DCP__V1__RECEIPT__INIT;
    r.submission_id = (char *) id;
    r.status = status;
    size_t len = dcp__v1__receipt__get_packed_size (&r);
    uint8_t *bytes = malloc (len + 1);
    assert_non_null (bytes);
    dcp__v1__receipt__pack (&r, bytes);
    s_queue_frame (DCP_WIRE_SIGNATURE, DCP_WIRE_SIGNATURE_LEN, true);
    s_queue_frame (id, strlen (id), true);
    s_queue_frame (bytes, len, false);
    free (bytes);
}

/* --- fixture --------------------------------------------------------------- */

typedef struct {
    char dir[64];
    void *ctx;
    outbox_t *outbox;
    sender_t *sender;
    size_t finals;
    char last_final[72];
} s_fixture_t;

static const char s_id[] = "5f0c7a52-8d5e-4a8e-9c1b-0d7a3e2f1b6c";

static void
s_on_final (const char *id, const Dcp__V1__Receipt *r, const char *text, void *arg)
{
    s_fixture_t *fx = arg;
    (void) r;
    (void) text;
    fx->finals++;
    snprintf (fx->last_final, sizeof fx->last_final, "%s", id);
}

/* Takes a small submission with id ID for year YEAR (its series: AFG,
 * YEAR) into the outbox and queues it. */
static void
s_take_year (s_fixture_t *fx, const char *id, int year)
{
    Dcp__V1__Submission sub;
    dcp__v1__submission__init (&sub);
    sub.submission_id = (char *) id;
    sub.reporting_country = "AFG";
    sub.reporting_year = year;
    size_t len = 0;
    uint8_t *payload = dcp_codec_pack (&sub, &len);
    outbox_file_t file = {"a.json", "{}", 2};
    outbox_state_t st;
    assert_int_equal (outbox_take (fx->outbox, id, payload, len, "a.json", &file, 1, &st), 0);
    assert_int_equal (outbox_sync (fx->outbox), 0);
    assert_int_equal (sender_add_bytes (fx->sender, id, &payload, len), 0);
    assert_null (payload); /* taken over for the first attempt */
}

static int
s_queue_pending (const char *id, void *arg)
{
    return sender_add (arg, id) != 0;
}

static void
s_take (s_fixture_t *fx, const char *id)
{
    s_take_year (fx, id, 2024);
}

static int
setup (void **state)
{
    s_fixture_t *fx = calloc (1, sizeof *fx);
    snprintf (fx->dir, sizeof fx->dir, "/tmp/test_sender.XXXXXX");
    if (!mkdtemp (fx->dir))
        return -1;
    fx->ctx = zmq_ctx_new ();
    fx->outbox = outbox_new (fx->dir);
    sender_opts_t opts = {
        .endpoint = "tcp://127.0.0.1:9",
        .window = 4,
        .timeout_ms = 60,
        .backoff_min_ms = 20,
        .backoff_max_ms = 40,
        .wire = {1000, 1 << 20, 0},
    };
    fx->sender = fx->outbox ? sender_new (fx->ctx, fx->outbox, &opts) : NULL;
    memset (s_inbox, 0, sizeof s_inbox);
    s_inbox_n = s_inbox_next = s_sent_n = s_part = 0;
    s_send_errno = 0;
    *state = fx;
    return fx->sender ? 0 : -1;
}

static int
teardown (void **state)
{
    s_fixture_t *fx = *state;
    sender_destroy (&fx->sender);
    outbox_destroy (&fx->outbox);
    zmq_ctx_term (fx->ctx);
    for (size_t i = 0; i < s_inbox_n; i++)
        free (s_inbox[i].data);
    char cmd[128];
    snprintf (cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    int rc = system (cmd);
    free (fx);
    return rc == 0 ? 0 : -1;
}

/* Polls for about MS milliseconds. */
static void
s_poll_for (s_fixture_t *fx, long ms)
{
    int64_t until = dcp_now_ms () + ms;
    while (dcp_now_ms () < until)
        assert_int_equal (sender_poll (fx->sender, 10, s_on_final, fx), 0);
}

/* --- tests ----------------------------------------------------------------- */

/* The validator's queue is full (EAGAIN) or no validator is connected
 * (EHOSTUNREACH): nothing is lost, the entry is sent once the socket takes
 * it, and only then counts as sent. */
static void
test_send_failure_keeps_entry_queued (void **state)
{
    s_fixture_t *fx = *state;
    const int errnos[] = {EAGAIN, EHOSTUNREACH};
    s_take (fx, s_id);
    for (int i = 0; i < 2; i++) {
        s_send_errno = errnos[i];
        s_poll_for (fx, 30);
        assert_int_equal (s_sent_n, 0);
        assert_int_equal (sender_stats (fx->sender)->sent, 0);
        assert_int_equal (sender_outstanding (fx->sender), 1);
    }
    s_send_errno = 0;
    s_poll_for (fx, 80); /* past the 50 ms pause after a full queue */
    assert_int_equal (s_sent_n, 1);
    assert_string_equal (s_sent_ids[0], s_id);
    assert_int_equal (outbox_state (fx->outbox, s_id), OUTBOX_PENDING);
}

/* No answer within timeout_ms: a fresh socket, the entry stays in the
 * outbox and is sent again after the backoff (read from the outbox now). */
static void
test_no_answer_reconnects_and_resends (void **state)
{
    s_fixture_t *fx = *state;
    s_take (fx, s_id);
    s_poll_for (fx, 20);
    assert_int_equal (s_sent_n, 1);
    s_poll_for (fx, 150); /* timeout 60 ms, backoff at most 40 ms */
    const sender_stats_t *st = sender_stats (fx->sender);
    assert_true (st->reconnects >= 1);
    assert_true (st->resent >= 1);
    assert_true (s_sent_n >= 2);
    assert_string_equal (s_sent_ids[1], s_id);
    assert_int_equal (sender_outstanding (fx->sender), 1);
    assert_int_equal (outbox_state (fx->outbox, s_id), OUTBOX_PENDING);
    assert_int_equal (fx->finals, 0);
}

/* RETRY_LATER is not final: the entry goes back to the queue (and is not
 * freed: that was the use-after-free), is sent again after the backoff,
 * and the final receipt for the resend then finishes it. */
static void
test_retry_later_requeues_then_final_finishes (void **state)
{
    s_fixture_t *fx = *state;
    s_take (fx, s_id);
    s_poll_for (fx, 10);
    assert_int_equal (s_sent_n, 1);
    s_answer (s_id, DCP__V1__RECEIPT_STATUS__RECEIPT_RETRY_LATER);
    assert_int_equal (sender_poll (fx->sender, 10, s_on_final, fx), 0);
    const sender_stats_t *st = sender_stats (fx->sender);
    assert_int_equal (st->retry_later, 1);
    assert_int_equal (sender_outstanding (fx->sender), 1);
    assert_int_equal (outbox_state (fx->outbox, s_id), OUTBOX_PENDING);
    s_poll_for (fx, 50); /* backoff 20-40 ms, before the 60 ms timeout */
    assert_int_equal (s_sent_n, 2);
    assert_int_equal (st->resent, 1);
    assert_int_equal (st->reconnects, 0);
    s_answer (s_id, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    assert_int_equal (sender_poll (fx->sender, 10, s_on_final, fx), 0);
    assert_int_equal (fx->finals, 1);
    assert_int_equal (sender_outstanding (fx->sender), 0);
    assert_int_equal (outbox_state (fx->outbox, s_id), OUTBOX_ACCEPTED);
}

/* A final receipt moves the entry to accepted/ (or rejected/) with the
 * receipt stored as received, and only then is the caller told. */
static void
test_final_receipt_moves_entry_and_stores_receipt (void **state)
{
    s_fixture_t *fx = *state;
    const char other[] = "5f0c7a52-8d5e-4a8e-9c1b-0d7a3e2f1b6d";
    s_take (fx, s_id);
    s_take_year (fx, other, 2023); /* another series: both travel at once */
    s_poll_for (fx, 10);
    assert_int_equal (s_sent_n, 2);
    s_answer (s_id, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    s_answer (other, DCP__V1__RECEIPT_STATUS__RECEIPT_REJECTED);
    assert_int_equal (sender_poll (fx->sender, 10, s_on_final, fx), 0);
    assert_int_equal (fx->finals, 2);
    assert_int_equal (outbox_state (fx->outbox, s_id), OUTBOX_ACCEPTED);
    assert_int_equal (outbox_state (fx->outbox, other), OUTBOX_REJECTED);
    size_t len = 0;
    uint8_t *bytes = outbox_receipt (fx->outbox, s_id, &len);
    assert_non_null (bytes);
    Dcp__V1__Receipt *r = dcp__v1__receipt__unpack (NULL, len, bytes);
    assert_non_null (r);
    assert_string_equal (r->submission_id, s_id);
    assert_int_equal (r->status, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    dcp__v1__receipt__free_unpacked (r, NULL);
    free (bytes);
    const sender_stats_t *st = sender_stats (fx->sender);
    assert_int_equal (st->accepted, 1);
    assert_int_equal (st->rejected, 1);
    assert_int_equal (sender_outstanding (fx->sender), 0);
}

/* Runs one sender_poll with stderr going to a file; returns what was logged
 * (caller frees). */
static char *
s_poll_logged (s_fixture_t *fx)
{
    char path[128];
    snprintf (path, sizeof path, "%s/stderr.log", fx->dir);
    fflush (stderr);
    int saved = dup (2);
    FILE *log = fopen (path, "w");
    assert_non_null (log);
    dup2 (fileno (log), 2);
    int rc = sender_poll (fx->sender, 10, s_on_final, fx);
    fflush (stderr);
    dup2 (saved, 2);
    close (saved);
    fclose (log);
    assert_int_equal (rc, 0);
    return dcp_fs_read_file (path, 1 << 20, NULL);
}

/* A receipt for an id this outbox never held is ignored (and logged): the
 * entry in flight is untouched and nothing is recorded. */
static void
test_receipt_for_unknown_id_is_ignored (void **state)
{
    s_fixture_t *fx = *state;
    s_take (fx, s_id);
    s_poll_for (fx, 10);
    s_answer ("00000000-0000-4000-8000-000000000000", DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    char *logged = s_poll_logged (fx);
    assert_non_null (logged);
    assert_non_null (strstr (logged, "ignored receipt for a submission not in the outbox"));
    free (logged);
    assert_int_equal (fx->finals, 0);
    assert_int_equal (sender_stats (fx->sender)->accepted, 0);
    assert_int_equal (sender_outstanding (fx->sender), 1);
    assert_int_equal (outbox_state (fx->outbox, s_id), OUTBOX_PENDING);
    /* the real answer still finishes the entry */
    s_answer (s_id, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    assert_int_equal (sender_poll (fx->sender, 10, s_on_final, fx), 0);
    assert_int_equal (outbox_state (fx->outbox, s_id), OUTBOX_ACCEPTED);
}

/* Garbled answers (bytes that are no Receipt, a missing frame, no
 * signature) are dropped; the entry waits for a real answer. */
static void
test_garbled_receipt_is_dropped (void **state)
{
    s_fixture_t *fx = *state;
    s_take (fx, s_id);
    s_poll_for (fx, 10);
    s_queue_frame (DCP_WIRE_SIGNATURE, DCP_WIRE_SIGNATURE_LEN, true);
    s_queue_frame (s_id, strlen (s_id), true);
    s_queue_frame ("\xff\xff\xff\xff", 4, false); /* not a protobuf message */
    s_queue_frame (DCP_WIRE_SIGNATURE, DCP_WIRE_SIGNATURE_LEN, true);
    s_queue_frame ("x", 1, false); /* two frames */
    s_queue_frame ("DCP9", 4, true);
    s_queue_frame (s_id, strlen (s_id), true);
    s_queue_frame ("", 0, false); /* wrong signature */
    assert_int_equal (sender_poll (fx->sender, 10, s_on_final, fx), 0);
    assert_int_equal (fx->finals, 0);
    assert_int_equal (sender_outstanding (fx->sender), 1);
    assert_int_equal (outbox_state (fx->outbox, s_id), OUTBOX_PENDING);
    s_answer (s_id, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    assert_int_equal (sender_poll (fx->sender, 10, s_on_final, fx), 0);
    assert_int_equal (fx->finals, 1);
}

/* Ids of the test entries: S_ORDER_ID(k). */
static void
s_order_id (char *buf, size_t size, int k)
{
    snprintf (buf, size, "00000000-0000-4000-8000-%012d", k);
}

/* The window (4) is full of first submissions of four series, and the
 * revisions of two of them wait behind.  No receipt comes: after the
 * timeout the four go out again, in the order they were taken, and the
 * revisions only after the ones they follow were answered.  (The sender
 * used to give each entry of the round its own backoff, so the waiting
 * revisions left first, and the loader stored them before their
 * predecessors: issue 14.) */
static void
test_timeout_keeps_series_order (void **state)
{
    s_fixture_t *fx = *state;
    char ids[6][64];
    for (int k = 0; k < 6; k++)
        s_order_id (ids[k], sizeof ids[k], k);
    for (int k = 0; k < 4; k++)
        s_take_year (fx, ids[k], 2001 + k); /* four series */
    s_take_year (fx, ids[4], 2001);         /* behind ids[0] */
    s_take_year (fx, ids[5], 2002);         /* behind ids[1] */
    s_poll_for (fx, 20);
    assert_int_equal (s_sent_n, 4);
    for (int k = 0; k < 4; k++)
        assert_string_equal (s_sent_ids[k], ids[k]);
    /* timeout 60 ms, one backoff of 10-20 ms for the round */
    int64_t until = dcp_now_ms () + 2000;
    while (s_sent_n < 8 && dcp_now_ms () < until)
        assert_int_equal (sender_poll (fx->sender, 10, s_on_final, fx), 0);
    assert_true (sender_stats (fx->sender)->reconnects >= 1);
    assert_true (s_sent_n >= 8);
    for (int k = 0; k < 4; k++)
        assert_string_equal (s_sent_ids[4 + k], ids[k]);
    for (size_t k = 0; k < s_sent_n; k++) {
        assert_string_not_equal (s_sent_ids[k], ids[4]);
        assert_string_not_equal (s_sent_ids[k], ids[5]);
    }
    /* The answers come: now, and only now, the revisions go. */
    size_t before = s_sent_n;
    for (int k = 0; k < 4; k++)
        s_answer (ids[k], DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    assert_int_equal (sender_poll (fx->sender, 10, s_on_final, fx), 0);
    assert_int_equal (fx->finals, 4);
    s_poll_for (fx, 10);
    assert_int_equal (s_sent_n, before + 2);
    assert_string_equal (s_sent_ids[before], ids[4]);
    assert_string_equal (s_sent_ids[before + 1], ids[5]);
    assert_int_equal (sender_outstanding (fx->sender), 2);
}

/* Within a series one entry travels at a time, also when it is answered
 * RETRY_LATER; other series are not held up. */
static void
test_series_waits_for_final_receipt (void **state)
{
    s_fixture_t *fx = *state;
    char first[64], revision[64], other[64];
    s_order_id (first, sizeof first, 1);
    s_order_id (revision, sizeof revision, 2);
    s_order_id (other, sizeof other, 3);
    s_take_year (fx, first, 2010);
    s_take_year (fx, revision, 2010);
    s_take_year (fx, other, 2011);
    s_poll_for (fx, 10);
    assert_int_equal (s_sent_n, 2);
    assert_string_equal (s_sent_ids[0], first);
    assert_string_equal (s_sent_ids[1], other);
    s_answer (first, DCP__V1__RECEIPT_STATUS__RECEIPT_RETRY_LATER);
    s_answer (other, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    assert_int_equal (sender_poll (fx->sender, 10, s_on_final, fx), 0);
    s_poll_for (fx, 50); /* the RETRY_LATER backoff (10-20 ms) passes */
    assert_int_equal (s_sent_n, 3);
    assert_string_equal (s_sent_ids[2], first); /* again, and still alone */
    s_answer (first, DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
    assert_int_equal (sender_poll (fx->sender, 10, s_on_final, fx), 0);
    s_poll_for (fx, 10);
    assert_int_equal (s_sent_n, 4);
    assert_string_equal (s_sent_ids[3], revision);
}

/* A restarted collector queues the outbox's pending entries in take order
 * (outbox_each) with sender_add(): the series order holds across the
 * restart, whatever the ids. */
static void
test_pending_entries_keep_take_order (void **state)
{
    s_fixture_t *fx = *state;
    char ids[3][64];
    for (int k = 0; k < 3; k++)
        s_order_id (ids[k], sizeof ids[k], 9 - k); /* ids sort against take order */
    for (int k = 0; k < 3; k++)
        s_take_year (fx, ids[k], 2020);
    sender_destroy (&fx->sender); /* the collector stops before sending */
    sender_opts_t opts = {.endpoint = "tcp://127.0.0.1:9",
                          .window = 4,
                          .timeout_ms = 60,
                          .backoff_min_ms = 20,
                          .backoff_max_ms = 40,
                          .wire = {1000, 1 << 20, 0}};
    fx->sender = sender_new (fx->ctx, fx->outbox, &opts);
    assert_non_null (fx->sender);
    s_sent_n = 0;
    assert_int_equal (outbox_each (fx->outbox, OUTBOX_PENDING, s_queue_pending, fx->sender), 0);
    assert_int_equal (sender_outstanding (fx->sender), 3);
    for (int k = 0; k < 3; k++) {
        s_poll_for (fx, 10);
        assert_int_equal (s_sent_n, (size_t) k + 1);
        assert_string_equal (s_sent_ids[k], ids[k]);
        s_answer (ids[k], DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED);
        assert_int_equal (sender_poll (fx->sender, 10, s_on_final, fx), 0);
    }
    assert_int_equal (fx->finals, 3);
}

/* The reasons a person reads when nothing comes back, from the monitor
 * events libzmq 4.3 delivers in each case (sender.h). */
static void
test_link_events_give_plain_reasons (void **state)
{
    (void) state;
    char buf[512];
    /* nothing listening: the connect is retried */
    assert_int_equal (sender_link_next (SENDER_LINK_UNKNOWN, ZMQ_EVENT_CONNECT_RETRIED, 100),
                      SENDER_LINK_REFUSED);
    assert_non_null (strstr (sender_link_reason (SENDER_LINK_REFUSED, "tcp://h:1", buf, sizeof buf),
                             "cannot connect to tcp://h:1"));
    /* the ZAP handler refused our key (status 400); the close that follows
     * and the reconnect do not hide the reason */
    sender_link_t l = sender_link_next (SENDER_LINK_UNKNOWN, ZMQ_EVENT_CONNECTED, 0);
    assert_int_equal (l, SENDER_LINK_UNKNOWN);
    l = sender_link_next (l, ZMQ_EVENT_HANDSHAKE_FAILED_AUTH, 400);
    assert_int_equal (l, SENDER_LINK_KEY_REFUSED);
    l = sender_link_next (l, ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL, 0);
    l = sender_link_next (l, ZMQ_EVENT_DISCONNECTED, 0);
    l = sender_link_next (l, ZMQ_EVENT_CONNECT_RETRIED, 100);
    l = sender_link_next (l, ZMQ_EVENT_CONNECTED, 0);
    assert_int_equal (l, SENDER_LINK_KEY_REFUSED);
    assert_non_null (strstr (sender_link_reason (l, "e", buf, sizeof buf), "not registered"));
    /* a wrong server key: the server cannot open our HELLO and hangs up */
    l = sender_link_next (SENDER_LINK_UNKNOWN, ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL, 104);
    assert_int_equal (l, SENDER_LINK_SERVER_KEY);
    l = sender_link_next (SENDER_LINK_UNKNOWN, ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL, 0x11000001);
    assert_int_equal (l, SENDER_LINK_SERVER_KEY);
    l = sender_link_next (l, ZMQ_EVENT_CONNECT_RETRIED, 100);
    assert_int_equal (l, SENDER_LINK_SERVER_KEY);
    assert_non_null (
        strstr (sender_link_reason (l, "e", buf, sizeof buf), "check validator_public_key"));
    /* connected, then the validator goes away */
    l = sender_link_next (SENDER_LINK_SERVER_KEY, ZMQ_EVENT_HANDSHAKE_SUCCEEDED, 0);
    assert_int_equal (l, SENDER_LINK_UP);
    assert_non_null (strstr (sender_link_reason (l, "e", buf, sizeof buf), "no answer yet"));
    l = sender_link_next (l, ZMQ_EVENT_DISCONNECTED, 0);
    assert_int_equal (l, SENDER_LINK_LOST);
    l = sender_link_next (l, ZMQ_EVENT_CONNECT_RETRIED, 100);
    assert_int_equal (l, SENDER_LINK_REFUSED);
    assert_string_equal (sender_link_reason (SENDER_LINK_UNKNOWN, "e", buf, sizeof buf), "");
}

/* The fixture's real socket connects to a port nobody listens on: its
 * monitor tells the sender, which then says "cannot connect". */
static void
test_monitor_sees_refused_connection (void **state)
{
    s_fixture_t *fx = *state;
    int64_t until = dcp_now_ms () + 3000;
    while (sender_link (fx->sender) != SENDER_LINK_REFUSED && dcp_now_ms () < until)
        assert_int_equal (sender_poll (fx->sender, 10, s_on_final, fx), 0);
    assert_int_equal (sender_link (fx->sender), SENDER_LINK_REFUSED);
    assert_int_equal (sender_ping (fx->sender), 0); /* the fake socket takes it */
    assert_false (sender_pong (fx->sender));
}

int
main (void)
{
    dcp_log_init ("collector", DCP_LOG_WARN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (test_send_failure_keeps_entry_queued, setup, teardown),
        cmocka_unit_test_setup_teardown (test_no_answer_reconnects_and_resends, setup, teardown),
        cmocka_unit_test_setup_teardown (test_retry_later_requeues_then_final_finishes, setup,
                                         teardown),
        cmocka_unit_test_setup_teardown (test_final_receipt_moves_entry_and_stores_receipt, setup,
                                         teardown),
        cmocka_unit_test_setup_teardown (test_receipt_for_unknown_id_is_ignored, setup, teardown),
        cmocka_unit_test_setup_teardown (test_garbled_receipt_is_dropped, setup, teardown),
        cmocka_unit_test_setup_teardown (test_timeout_keeps_series_order, setup, teardown),
        cmocka_unit_test_setup_teardown (test_series_waits_for_final_receipt, setup, teardown),
        cmocka_unit_test_setup_teardown (test_pending_entries_keep_take_order, setup, teardown),
        cmocka_unit_test (test_link_events_give_plain_reasons),
        cmocka_unit_test_setup_teardown (test_monitor_sees_refused_connection, setup, teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
