/* test_frame.c: the protocol's messages (dcp_frame) sent and read over
 * inproc sockets shaped like the real ones: a collector's DEALER to the
 * validator's ROUTER, the validator's DEALER to the loader's ROUTER. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <zmq.h>

#include "dcp_err.h"
#include "dcp_frame.h"

typedef struct {
    void *ctx;
    void *collector, *validator_front; /* DEALER -> ROUTER */
    void *validator_back, *loader;     /* DEALER -> ROUTER */
} fixture_t;

static int
setup (void **state)
{
    static fixture_t f;
    f.ctx = zmq_ctx_new ();
    f.validator_front = zmq_socket (f.ctx, ZMQ_ROUTER);
    f.collector = zmq_socket (f.ctx, ZMQ_DEALER);
    f.loader = zmq_socket (f.ctx, ZMQ_ROUTER);
    f.validator_back = zmq_socket (f.ctx, ZMQ_DEALER);
    assert_int_equal (zmq_bind (f.validator_front, "inproc://front"), 0);
    assert_int_equal (zmq_connect (f.collector, "inproc://front"), 0);
    assert_int_equal (zmq_bind (f.loader, "inproc://back"), 0);
    assert_int_equal (zmq_connect (f.validator_back, "inproc://back"), 0);
    *state = &f;
    return 0;
}

static int
teardown (void **state)
{
    fixture_t *f = *state;
    zmq_close (f->collector);
    zmq_close (f->validator_front);
    zmq_close (f->validator_back);
    zmq_close (f->loader);
    zmq_ctx_term (f->ctx);
    return 0;
}

static void
s_recv (void *sock, dcp_frames_t *frames)
{
    assert_int_equal (dcp_frames_recv (sock, frames, 0), 0);
}

static void
s_assert_part (zmq_msg_t *m, const char *text)
{
    assert_int_equal (zmq_msg_size (m), strlen (text));
    assert_memory_equal (zmq_msg_data (m), text, strlen (text));
}

/* A submission travels collector -> validator -> loader, and its receipt
 * loader -> validator -> collector, each hop in its documented shape. */
static void
round_trip_through_every_message (void **state)
{
    fixture_t *f = *state;
    dcp_frames_t in, at_loader, at_validator, at_collector;
    assert_int_equal (dcp_frame_send_submission (f->collector, "id-1", "SUB", 3, 0), 0);
    s_recv (f->validator_front, &in);
    dcp_frame_submission_t sub;
    assert_int_equal (dcp_frame_read_submission (&in, &sub), 0);
    assert_string_equal (sub.id, "id-1");
    assert_int_equal (sub.parts, 3);
    s_assert_part (sub.payload, "SUB");

    assert_int_equal (dcp_frame_send_forward (f->validator_back, "FWD", 3, sub.payload, 0), 0);
    s_recv (f->loader, &at_loader);
    zmq_msg_t *route, *forward, *payload;
    assert_int_equal (dcp_frame_read_forward (&at_loader, &route, &forward, &payload), 0);
    s_assert_part (forward, "FWD");
    s_assert_part (payload, "SUB");

    /* The loader echoes the collector's route it found in the envelope. */
    assert_int_equal (dcp_frame_send_loader_receipt (f->loader, route, zmq_msg_data (sub.route),
                                                     zmq_msg_size (sub.route), "id-1", "RCPT", 4,
                                                     0),
                      0);
    s_recv (f->validator_back, &at_validator);
    assert_int_equal (dcp_frame_relay_receipt (&at_validator, f->validator_front, 0), 0);
    s_recv (f->collector, &at_collector);
    zmq_msg_t *id, *receipt;
    assert_int_equal (dcp_frame_read_receipt (&at_collector, &id, &receipt), 0);
    s_assert_part (id, "id-1");
    s_assert_part (receipt, "RCPT");
    dcp_frames_close (&in);
    dcp_frames_close (&at_loader);
    dcp_frames_close (&at_validator);
    dcp_frames_close (&at_collector);
}

static void
malformed_submissions_are_told_apart (void **state)
{
    fixture_t *f = *state;
    dcp_frames_t in;
    dcp_frame_submission_t sub;

    /* Not a safe name: the id frame is refused, the shape is fine. */
    assert_int_equal (dcp_frame_send_submission (f->collector, "../etc", "SUB", 3, 0), 0);
    s_recv (f->validator_front, &in);
    assert_int_equal (dcp_frame_read_submission (&in, &sub), DCP_EINVAL);
    assert_string_equal (sub.id, "");
    assert_non_null (sub.payload);
    dcp_frames_close (&in);

    /* Two frames: the shape is wrong; the last part is named as payload. */
    zmq_send (f->collector, "DCP1", 4, ZMQ_SNDMORE);
    zmq_send (f->collector, "XY", 2, 0);
    s_recv (f->validator_front, &in);
    assert_int_equal (dcp_frame_read_submission (&in, &sub), DCP_EPROTO);
    assert_int_equal (sub.parts, 2);
    s_assert_part (sub.payload, "XY");
    dcp_frames_close (&in);

    /* Another signature. */
    zmq_send (f->collector, "HTTP", 4, ZMQ_SNDMORE);
    zmq_send (f->collector, "id", 2, ZMQ_SNDMORE);
    zmq_send (f->collector, "SUB", 3, 0);
    s_recv (f->validator_front, &in);
    assert_int_equal (dcp_frame_read_submission (&in, &sub), DCP_EPROTO);
    /* ... which is no loader receipt either. */
    assert_int_equal (dcp_frame_relay_receipt (&in, f->validator_front, 0), DCP_EPROTO);
    dcp_frames_close (&in);
}

/* Sends FRAMES[0..N) from the collector and reads them at the validator. */
static int
s_send_read (fixture_t *f, const char *const *frames, size_t n, dcp_frames_t *in,
             dcp_frame_submission_t *sub)
{
    for (size_t i = 0; i < n; i++)
        assert_true (
            zmq_send (f->collector, frames[i], strlen (frames[i]), i + 1 < n ? ZMQ_SNDMORE : 0)
            >= 0);
    s_recv (f->validator_front, in);
    return dcp_frame_read_submission (in, sub);
}

/* A misframed message says what is wrong with it, and keeps the id it
 * carries so that its receipt can be matched. */
static void
misframed_submissions_keep_a_readable_id (void **state)
{
    fixture_t *f = *state;
    dcp_frames_t in;
    dcp_frame_submission_t sub;

    /* A wrong signature in the right number of frames: the text is about
     * the signature (it used to say "expected 3 frames, got 3"). */
    const char *dcp2[] = {"DCP2", "id-7", "SUB"};
    assert_int_equal (s_send_read (f, dcp2, 3, &in, &sub), DCP_EPROTO);
    assert_string_equal (sub.id, "id-7");
    assert_string_equal (sub.fault, "the first frame is not the protocol signature \"DCP1\" "
                                    "(got 4 bytes \"DCP2\"; this server speaks DCP1 only)");
    s_assert_part (sub.payload, "SUB");
    dcp_frames_close (&in);

    /* Signature missing: [id, Submission]; the id is the first frame. */
    const char *no_sig[] = {"id-8", "SUB"};
    assert_int_equal (s_send_read (f, no_sig, 2, &in, &sub), DCP_EPROTO);
    assert_string_equal (sub.id, "id-8");
    assert_non_null (strstr (sub.fault, "expected 3 frames"));
    assert_non_null (strstr (sub.fault, "got 2, and the first frame is not the protocol "
                                        "signature \"DCP1\" (got 4 bytes \"id-8\""));
    dcp_frames_close (&in);

    /* One frame too many after a good signature: the id is still there. */
    const char *extra[] = {"DCP1", "id-9", "SUB", "more"};
    assert_int_equal (s_send_read (f, extra, 4, &in, &sub), DCP_EPROTO);
    assert_string_equal (sub.id, "id-9");
    assert_string_equal (sub.fault, "expected 3 frames (\"DCP1\", submission id, protobuf "
                                    "Submission), got 4");
    dcp_frames_close (&in);

    /* The id missing: [DCP1, Submission]; the signature is no id. */
    const char *no_id[] = {"DCP1", "SUB"};
    assert_int_equal (s_send_read (f, no_id, 2, &in, &sub), DCP_EPROTO);
    assert_string_equal (sub.id, "");
    dcp_frames_close (&in);

    /* One empty frame: nothing readable, and the text stays printable. */
    const char *empty[] = {""};
    assert_int_equal (s_send_read (f, empty, 1, &in, &sub), DCP_EPROTO);
    assert_string_equal (sub.id, "");
    assert_non_null (strstr (sub.fault, "got 1, and the first frame is not"));
    dcp_frames_close (&in);

    /* Binary in place of the signature is shown as '?', cut at 8 bytes. */
    const char *binary[] = {"\x01\"\xff\\abcdefgh", "id-10", "SUB"};
    assert_int_equal (s_send_read (f, binary, 3, &in, &sub), DCP_EPROTO);
    assert_string_equal (sub.id, "id-10");
    assert_non_null (strstr (sub.fault, "(got 12 bytes \"????abcd...\""));
    dcp_frames_close (&in);
}

static void
receipt_for_a_collector_that_left_is_eagain (void **state)
{
    fixture_t *f = *state;
    int one = 1;
    assert_int_equal (zmq_setsockopt (f->validator_front, ZMQ_ROUTER_MANDATORY, &one, sizeof one),
                      0);
    zmq_msg_t route;
    zmq_msg_init_size (&route, 5);
    memcpy (zmq_msg_data (&route), "\0gone", 5);
    assert_int_equal (
        dcp_frame_send_receipt (f->validator_front, &route, "id", "R", 1, ZMQ_DONTWAIT),
        DCP_EAGAIN);
    zmq_msg_close (&route);
}

int
main (void)
{
#define T(name) cmocka_unit_test_setup_teardown (name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T (round_trip_through_every_message),
        T (malformed_submissions_are_told_apart),
        T (misframed_submissions_keep_a_readable_id),
        T (receipt_for_a_collector_that_left_is_eagain),
    };
#undef T
    return cmocka_run_group_tests (tests, NULL, NULL);
}
