/* relay.c: the validator's data path (see relay.h). */
#include <stdlib.h>
#include <string.h>

#include "dcp_codec.h"
#include "dcp_err.h"
#include "dcp_log.h"
#include "relay.h"

/* No loader can take the submission now: tell the collector to resend
 * later rather than queueing without bound here. */
static void
s_reply_busy (relay_t *r, zmq_msg_t *route, const char *sid)
{
    Dcp__V1__Receipt receipt = DCP__V1__RECEIPT__INIT;
    dcp_findings_t *busy = dcp_findings_new ();
    r->busy++;
    if (!busy
        || dcp_findings_add (busy, "BUSY", DCP_SEV_INFO, "",
                             "no loader is available right now; the collector will resend")
        || dcp_findings_to_problems (busy, &receipt.problems, &receipt.n_problems))
        goto cleanup;
    receipt.submission_id = (char *) sid;
    receipt.status = DCP__V1__RECEIPT_STATUS__RECEIPT_RETRY_LATER;
    size_t len;
    uint8_t *buf = dcp_codec_pack_msg (&receipt.base, &len);
    if (buf && dcp_frame_send_receipt (r->front, route, sid, buf, len, ZMQ_DONTWAIT) != 0)
        r->unroutable++;
    free (buf);
cleanup:
    dcp_findings_free_problems (receipt.problems, receipt.n_problems);
    dcp_findings_destroy (&busy);
}

/* A probe (proto/README.md, "Probe"): [route] "DCP1" "ping", answered
 * "DCP1" "ping" Receipt{submission_id "ping"} and neither forwarded nor
 * stored.  Collectors are read only while a loader can take a message
 * (relay_prepare), so an answer also says a loader is connected; `collector
 * doctor` uses it for its round trip. */
static bool
s_answer_ping (relay_t *r, dcp_frames_t *frames)
{
    if (!dcp_frame_is_ping (frames))
        return false;
    Dcp__V1__Receipt pong = DCP__V1__RECEIPT__INIT;
    pong.submission_id = "ping";
    size_t len;
    uint8_t *buf = dcp_codec_pack_msg (&pong.base, &len);
    if (buf && dcp_frame_send_receipt (r->front, &frames->part[0], "ping", buf, len, ZMQ_DONTWAIT))
        r->unroutable++;
    free (buf);
    return true;
}

/* One message from a collector: decide (validate.c), then forward the
 * envelope and the untouched payload to a loader. */
static void
s_on_submission (relay_t *r, dcp_frames_t *frames)
{
    char quoted[128];
    dcp_frame_submission_t sub;
    validate_decision_t d;
    zmq_msg_t empty;
    if (s_answer_ping (r, frames))
        return;
    r->received++;
    int framing = dcp_frame_read_submission (frames, &sub);
    validate_input_t in = {.framing = framing,
                           .parts = sub.parts,
                           .id = sub.id,
                           .payload = sub.payload ? zmq_msg_data (sub.payload) : NULL,
                           .payload_len = sub.payload ? zmq_msg_size (sub.payload) : 0,
                           .sender_key = dcp_frames_user_id (frames),
                           .route = sub.route ? zmq_msg_data (sub.route) : NULL,
                           .route_len = sub.route ? zmq_msg_size (sub.route) : 0,
                           .framing_fault = sub.fault};
    r->vopts.registry = dcp_stage_registry (r->stage); /* the latest, after SIGHUP */
    int rc = validate_submission (&r->vopts, &in, &d);
    if (rc != 0) {
        /* Nothing is answered: the collector resends after its timeout. */
        dcp_warn ("could not decide on submission", "submission=%s reason=%s",
                  dcp_log_quote (quoted, sizeof quoted, sub.id[0] ? sub.id : "none"),
                  dcp_log_quote ((char[100]){0}, 100, dcp_strerror (rc)));
        goto cleanup;
    }
    zmq_msg_init (&empty);
    rc = dcp_frame_send_forward (r->back, d.forward, d.forward_len,
                                 sub.payload ? sub.payload : &empty, ZMQ_DONTWAIT);
    zmq_msg_close (&empty);
    if (rc != 0) {
        s_reply_busy (r, sub.route, sub.id);
        goto cleanup;
    }
    r->forwarded++;
    if (d.rejected) {
        r->rejected++;
        validate_count_reasons (&d, r->metrics);
    }
    dcp_info ("forwarded submission",
              "submission=%s country=%s peer=%.8s valid=%s "
              "findings=%zu",
              dcp_log_quote (quoted, sizeof quoted, sub.id[0] ? sub.id : "none"),
              d.peer ? d.peer->country : "-", d.peer ? d.peer->public_key : "-",
              d.rejected ? "false" : "true", dcp_findings_count (d.findings));
cleanup:
    validate_decision_clear (&d);
}

/* A receive that failed other than by an empty queue: logged, not fatal
 * (the peer reconnects; ZeroMQ keeps the socket usable). */
static void
s_recv_failed (int rc, const char *from)
{
    if (rc != 0 && rc != DCP_EAGAIN)
        dcp_warn ("could not receive", "from=%s reason=%s", from,
                  dcp_log_quote ((char[200]){0}, 200, zmq_strerror (zmq_errno ())));
}

int
relay_on_front (dcp_loop_t *loop, void *sock, int fd, void *arg)
{
    dcp_frames_t in;
    int rc = 0;
    for (int k = 0; k < 256 && (rc = dcp_frames_recv (sock, &in, ZMQ_DONTWAIT)) == 0; k++) {
        s_on_submission (arg, &in);
        dcp_frames_close (&in);
    }
    s_recv_failed (rc, "collectors");
    return 0;
}

/* Receipts from loaders: "DCP1" route sid Receipt -> the collector. */
int
relay_on_back (dcp_loop_t *loop, void *sock, int fd, void *arg)
{
    relay_t *r = arg;
    dcp_frames_t in;
    int got = 0;
    for (int k = 0; k < 256 && (got = dcp_frames_recv (sock, &in, ZMQ_DONTWAIT)) == 0; k++) {
        int rc = dcp_frame_relay_receipt (&in, r->front, ZMQ_DONTWAIT);
        if (rc == 0)
            r->relayed++;
        else if (rc == DCP_EPROTO)
            dcp_warn ("dropped malformed message from loader", "parts=%zu", in.count);
        else {
            /* The collector is gone (new socket after a timeout): it will
             * resend and get the same receipt from the loader's records. */
            r->unroutable++;
            dcp_debug ("receipt for a collector that left", "unroutable=%lu", r->unroutable);
        }
        dcp_frames_close (&in);
    }
    s_recv_failed (got, "loaders");
    return 0;
}

/* Before each poll: read collectors only while a loader can take a message.
 * With no loader connected (ZMQ_IMMEDIATE) or all queues full, submissions
 * wait in the collectors' outboxes, not in this process. */
int
relay_prepare (dcp_loop_t *loop, void *arg)
{
    relay_t *r = arg;
    zmq_pollitem_t probe = {r->back, 0, ZMQ_POLLOUT, 0};
    r->loader_ready = zmq_poll (&probe, 1, 0) > 0 && (probe.revents & ZMQ_POLLOUT);
    /* Paused, the poll wakes after 50 ms to look again. */
    dcp_loop_prepare (loop, relay_prepare, r, r->loader_ready ? 1000 : 50);
    return dcp_loop_reader_pause (loop, r->front, !r->loader_ready);
}
