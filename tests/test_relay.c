/* test_relay.c: the validator's data path (relay.c) between a collector and
 * a loader, over inproc sockets: forwarding with the envelope, receipts
 * relayed back, RETRY_LATER when no loader can take a submission, and the
 * collector socket paused while no loader is there (backpressure). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "dcp_codec.h"
#include "dcp_err.h"
#include "dcp_refdata.h"
#include "relay.h"

#define ID "0b5f3e2a-8c1d-4e7f-9a6b-2c3d4e5f6a7b"

typedef struct {
    dcp_stage_t *stage;
    dcp_loop_t *loop;
    void *collector; /* DEALER -> relay.front */
    void *loader;    /* ROUTER <- relay.back */
    relay_t relay;
} fixture_t;

static int
setup (void **state)
{
    static fixture_t f;
    memset (&f, 0, sizeof f);
    dcp_stage_opts_t so = {
        .insecure = true, .registry_kind = "partner", .registry_count = "partners"};
    f.stage = dcp_stage_new (&so);
    f.loop = dcp_loop_new ();
    assert_non_null (f.stage);
    assert_non_null (f.loop);
    relay_t *r = &f.relay;
    r->stage = f.stage;
    r->metrics = dcp_stage_metrics (f.stage);
    dcp_rules_defaults (&r->vopts.rules);
    r->vopts.max_message = 1 << 20;
    r->vopts.insecure = true;
    r->vopts.validator_id = "v-test";
    int one = 1;
    r->front = dcp_stage_socket (f.stage, ZMQ_ROUTER);
    r->back = dcp_stage_socket (f.stage, ZMQ_DEALER);
    f.collector = dcp_stage_socket (f.stage, ZMQ_DEALER);
    f.loader = dcp_stage_socket (f.stage, ZMQ_ROUTER);
    assert_int_equal (zmq_setsockopt (r->front, ZMQ_ROUTER_MANDATORY, &one, sizeof one), 0);
    assert_int_equal (zmq_setsockopt (r->back, ZMQ_IMMEDIATE, &one, sizeof one), 0);
    assert_int_equal (zmq_bind (r->front, "inproc://relay-front"), 0);
    assert_int_equal (zmq_connect (f.collector, "inproc://relay-front"), 0);
    assert_int_equal (dcp_loop_reader (f.loop, r->back, relay_on_back, r), 0);
    assert_int_equal (dcp_loop_reader (f.loop, r->front, relay_on_front, r), 0);
    dcp_loop_prepare (f.loop, relay_prepare, r, 1000);
    *state = &f;
    return 0;
}

static int
teardown (void **state)
{
    fixture_t *f = *state;
    dcp_loop_destroy (&f->loop);
    dcp_stage_destroy (&f->stage); /* closes every socket above */
    return 0;
}

static void
s_connect_loader (fixture_t *f)
{
    assert_int_equal (zmq_bind (f->loader, "inproc://relay-back"), 0);
    assert_int_equal (zmq_connect (f->relay.back, "inproc://relay-back"), 0);
}

static void
s_send_submission (fixture_t *f)
{
    Dcp__V1__Submission sub = DCP__V1__SUBMISSION__INIT;
    sub.submission_id = ID;
    sub.reporting_country = "PAK";
    size_t len;
    uint8_t *bytes = dcp_codec_pack (&sub, &len);
    assert_non_null (bytes);
    assert_int_equal (dcp_frame_send_submission (f->collector, ID, bytes, len, 0), 0);
    free (bytes);
}

static int
s_end (dcp_loop_t *loop, int timer_id, void *arg)
{
    return DCP_LOOP_END;
}

/* Runs the loop for MS milliseconds. */
static void
s_run (fixture_t *f, long ms)
{
    dcp_loop_timer (f->loop, ms, 1, s_end, NULL);
    assert_int_equal (dcp_loop_run (f->loop), 0);
}

static void
submission_is_forwarded_and_its_receipt_relayed (void **state)
{
    fixture_t *f = *state;
    s_connect_loader (f);
    s_send_submission (f);
    s_run (f, 50);
    assert_true (f->relay.loader_ready);
    assert_int_equal (f->relay.received, 1);
    assert_int_equal (f->relay.forwarded, 1);

    dcp_frames_t at_loader;
    assert_int_equal (dcp_frames_recv (f->loader, &at_loader, ZMQ_DONTWAIT), 0);
    zmq_msg_t *route, *forward, *payload;
    assert_int_equal (dcp_frame_read_forward (&at_loader, &route, &forward, &payload), 0);
    Dcp__V1__Forward *fwd =
        dcp__v1__forward__unpack (NULL, zmq_msg_size (forward), zmq_msg_data (forward));
    assert_non_null (fwd);
    assert_string_equal (fwd->submission_id, ID);
    assert_string_equal (fwd->validator_id, "v-test");
    assert_true (fwd->rejected); /* a bare envelope fails the rules: still forwarded */
    Dcp__V1__Submission *sub =
        dcp_codec_unpack (zmq_msg_data (payload), zmq_msg_size (payload), 1 << 20);
    assert_non_null (sub); /* the payload travels untouched */
    dcp_codec_free (&sub);

    /* The loader answers; the relay passes it on to the collector. */
    assert_int_equal (dcp_frame_send_loader_receipt (f->loader, route, fwd->route.data,
                                                     fwd->route.len, ID, "RCPT", 4, 0),
                      0);
    dcp__v1__forward__free_unpacked (fwd, NULL);
    dcp_frames_close (&at_loader);
    s_run (f, 50);
    assert_int_equal (f->relay.relayed, 1);
    dcp_frames_t at_collector;
    assert_int_equal (dcp_frames_recv (f->collector, &at_collector, ZMQ_DONTWAIT), 0);
    zmq_msg_t *id, *receipt;
    assert_int_equal (dcp_frame_read_receipt (&at_collector, &id, &receipt), 0);
    assert_int_equal (zmq_msg_size (receipt), 4);
    dcp_frames_close (&at_collector);
}

static void
without_a_loader_the_collectors_wait (void **state)
{
    fixture_t *f = *state;
    s_send_submission (f);
    s_run (f, 120);
    /* Paused: nothing read, nothing answered; the message waits in ZeroMQ. */
    assert_false (f->relay.loader_ready);
    assert_int_equal (f->relay.received, 0);
    /* A loader arrives: within the 50 ms re-look the submission flows. */
    s_connect_loader (f);
    s_run (f, 150);
    assert_true (f->relay.loader_ready);
    assert_int_equal (f->relay.received, 1);
    assert_int_equal (f->relay.forwarded, 1);
}

static void
no_loader_for_a_read_submission_answers_retry_later (void **state)
{
    fixture_t *f = *state;
    s_send_submission (f);
    /* Read it by hand, as if the loader had gone between look and send. */
    relay_on_front (f->loop, f->relay.front, -1, &f->relay);
    assert_int_equal (f->relay.received, 1);
    assert_int_equal (f->relay.busy, 1);
    assert_int_equal (f->relay.forwarded, 0);
    dcp_frames_t in;
    assert_int_equal (dcp_frames_recv (f->collector, &in, 0), 0);
    zmq_msg_t *id, *bytes;
    assert_int_equal (dcp_frame_read_receipt (&in, &id, &bytes), 0);
    Dcp__V1__Receipt *receipt =
        dcp__v1__receipt__unpack (NULL, zmq_msg_size (bytes), zmq_msg_data (bytes));
    assert_non_null (receipt);
    assert_int_equal (receipt->status, DCP__V1__RECEIPT_STATUS__RECEIPT_RETRY_LATER);
    assert_string_equal (receipt->submission_id, ID);
    assert_int_equal (receipt->n_problems, 1);
    assert_string_equal (receipt->problems[0]->code, "BUSY");
    dcp__v1__receipt__free_unpacked (receipt, NULL);
    dcp_frames_close (&in);
}

/* A wrong signature: the message is misframed, yet its id frame is
 * readable, so the envelope (and thus the loader's receipt) carries that
 * id, with a WIRE-FRAMING problem that names the signature. */
static void
misframed_submission_is_forwarded_under_its_readable_id (void **state)
{
    fixture_t *f = *state;
    s_connect_loader (f);
    assert_true (zmq_send (f->collector, "DCP2", 4, ZMQ_SNDMORE) == 4);
    assert_true (zmq_send (f->collector, ID, strlen (ID), ZMQ_SNDMORE) > 0);
    assert_true (zmq_send (f->collector, "", 0, 0) == 0);
    s_run (f, 50);
    assert_int_equal (f->relay.forwarded, 1);
    assert_int_equal (f->relay.rejected, 1);

    dcp_frames_t at_loader;
    assert_int_equal (dcp_frames_recv (f->loader, &at_loader, ZMQ_DONTWAIT), 0);
    zmq_msg_t *route, *forward, *payload;
    assert_int_equal (dcp_frame_read_forward (&at_loader, &route, &forward, &payload), 0);
    Dcp__V1__Forward *fwd =
        dcp__v1__forward__unpack (NULL, zmq_msg_size (forward), zmq_msg_data (forward));
    assert_non_null (fwd);
    assert_true (fwd->rejected);
    assert_string_equal (fwd->submission_id, ID);
    assert_int_equal (fwd->n_problems, 1);
    assert_string_equal (fwd->problems[0]->code, "WIRE-FRAMING");
    assert_non_null (strstr (fwd->problems[0]->message, "signature \"DCP1\" (got 4 bytes "
                                                        "\"DCP2\""));
    dcp__v1__forward__free_unpacked (fwd, NULL);
    dcp_frames_close (&at_loader);
}

/* Without a loader, a misframed message with a readable id gets its
 * RETRY_LATER under that id too. */
static void
misframed_submission_busy_receipt_carries_its_id (void **state)
{
    fixture_t *f = *state;
    assert_true (zmq_send (f->collector, ID, strlen (ID), ZMQ_SNDMORE) > 0);
    assert_true (zmq_send (f->collector, "", 0, 0) == 0);
    relay_on_front (f->loop, f->relay.front, -1, &f->relay);
    assert_int_equal (f->relay.busy, 1);
    dcp_frames_t in;
    assert_int_equal (dcp_frames_recv (f->collector, &in, 0), 0);
    zmq_msg_t *id, *bytes;
    assert_int_equal (dcp_frame_read_receipt (&in, &id, &bytes), 0);
    assert_int_equal (zmq_msg_size (id), strlen (ID));
    assert_memory_equal (zmq_msg_data (id), ID, strlen (ID));
    Dcp__V1__Receipt *receipt =
        dcp__v1__receipt__unpack (NULL, zmq_msg_size (bytes), zmq_msg_data (bytes));
    assert_non_null (receipt);
    assert_string_equal (receipt->submission_id, ID);
    dcp__v1__receipt__free_unpacked (receipt, NULL);
    dcp_frames_close (&in);
}

static int
s_group_teardown (void **state)
{
    dcp_refdata_free ();
    return 0;
}

int
main (void)
{
#define T(name) cmocka_unit_test_setup_teardown (name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T (submission_is_forwarded_and_its_receipt_relayed),
        T (without_a_loader_the_collectors_wait),
        T (no_loader_for_a_read_submission_answers_retry_later),
        T (misframed_submission_is_forwarded_under_its_readable_id),
        T (misframed_submission_busy_receipt_carries_its_id),
    };
#undef T
    return cmocka_run_group_tests (tests, NULL, s_group_teardown);
}
