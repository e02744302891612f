/* dcp_frame.h: the multipart messages of the protocol, built and read in one place.
 *
 * Every message starts with the frame "DCP1" (proto/README.md), so a peer
 * speaking something else is recognised at once.  The four messages are:
 *
 *   submission  collector -> validator   "DCP1" | id | Submission
 *   forward     validator -> loader      "DCP1" | Forward | Submission
 *   receipt     loader -> validator      "DCP1" | collector route | id | Receipt
 *   receipt     validator -> collector   "DCP1" | id | Receipt
 *
 * A ROUTER adds (sending) or removes (receiving) the peer's routing frame in
 * front; the functions below take or give it as ROUTE.  The programs used to
 * index parts by hand (part[2] here, parts[5] there); the shapes now live
 * here only.  Sockets and authentication are in dcp_wire.h. */
#ifndef DCP_FRAME_H
#define DCP_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <zmq.h>

#define DCP_WIRE_SIGNATURE "DCP1"
#define DCP_WIRE_SIGNATURE_LEN 4
#define DCP_WIRE_MAX_PARTS 8
#define DCP_FRAME_ID_MAX 64 /* longest submission id frame, bytes (DCP_ID_NAME_MAX) */

/* One received multipart message. */
typedef struct {
    zmq_msg_t part[DCP_WIRE_MAX_PARTS];
    size_t count;   /* parts kept */
    size_t dropped; /* parts past DCP_WIRE_MAX_PARTS, discarded */
} dcp_frames_t;

/* Receives a whole multipart message (FLAGS: 0 or ZMQ_DONTWAIT).  Returns 0,
 * DCP_EAGAIN if nothing is waiting, or DCP_ENET on a socket error.  Always
 * dcp_frames_close() after a 0 return. */
int dcp_frames_recv (void *sock, dcp_frames_t *frames, int flags);
void dcp_frames_close (dcp_frames_t *frames);

/* Moves the parts of SRC into DST (which must hold none); SRC is left
 * empty.  zmq_msg_t must never be copied by value: a short message keeps its
 * bytes inside the struct. */
void dcp_frames_move (dcp_frames_t *dst, dcp_frames_t *src);

/* True if part I exists and equals the protocol signature. */
bool dcp_frames_is_signature (dcp_frames_t *frames, size_t i);

/* Authenticated User-Id of the message (Z85 key under CURVE), or NULL. */
const char *dcp_frames_user_id (dcp_frames_t *frames);

typedef struct {
    const void *data;
    size_t len;
    zmq_msg_t *msg; /* if not NULL: send a copy of this message instead
                        (zero-copy for large payloads) */
} dcp_part_t;

/* Sends PARTS[0..N) as one multipart message with FLAGS (ZMQ_DONTWAIT).
 * Returns 0, DCP_EAGAIN (queue full, or ROUTER peer unknown: errno
 * EHOSTUNREACH), or DCP_ENET on a socket error (zmq_errno() tells). */
int dcp_wire_send (void *sock, const dcp_part_t *parts, size_t n, int flags);

/* --- the protocol's messages ------------------------------------------------ */

/* Copies an id frame into ID (size >= DCP_FRAME_ID_MAX + 1) if it is one:
 * a safe name in the sense of dcp_id_name_ok() (1 to 64 bytes of A-Z a-z
 * 0-9 '-' '_'), the one rule for ids seen before the rules ran.  False if
 * not. */
bool dcp_frame_copy_id (zmq_msg_t *part, char *id, size_t size);

/* A submission as the validator's ROUTER receives it; parts are borrowed
 * from the frames read. */
typedef struct {
    zmq_msg_t *route;              /* the collector's routing id */
    zmq_msg_t *payload;            /* the Submission bytes; on DCP_EPROTO the last
                              part after the route, if any, else NULL */
    char id[DCP_FRAME_ID_MAX + 8]; /* "" unless an id frame is readable */
    size_t parts;                  /* parts after the route, dropped ones counted */
    char fault[200];               /* on DCP_EPROTO: what is wrong, for the partner
                              ("expected 3 frames ..., got 2"); else "" */
} dcp_frame_submission_t;

/* Reads [route] "DCP1" id Submission.  Returns 0, DCP_EPROTO if the shape
 * is wrong (count or signature; OUT->fault says which), DCP_EINVAL if the
 * id frame is not an id.
 *
 * A misframed message still has its id read when one is there, so that
 * its receipt can be matched (proto/README.md, "Misframed messages"): the
 * id frame is the one after the signature position, i.e. the second frame
 * of a message of 3 or more frames (whatever the first holds), or the first
 * frame of a 2-frame message whose signature is missing; it counts only if
 * it is a valid id and not the signature itself. */
int dcp_frame_read_submission (dcp_frames_t *in, dcp_frame_submission_t *out);

/* Sends "DCP1" ID PAYLOAD (collector). Returns as dcp_wire_send(). */
int dcp_frame_send_submission (void *sock, const char *id, const void *payload, size_t len,
                               int flags);

/* Sends the probe "DCP1" "ping" (collector; proto/README.md, "Probe").
 * Returns as dcp_wire_send(). */
int dcp_frame_send_ping (void *sock, int flags);

/* True if IN is a probe: [route] "DCP1" "ping" (validator). */
bool dcp_frame_is_ping (dcp_frames_t *in);

/* Sends "DCP1" FORWARD PAYLOAD to a loader (validator); PAYLOAD is the
 * message received from the collector, sent without a copy of its bytes. */
int dcp_frame_send_forward (void *sock, const void *forward, size_t len, zmq_msg_t *payload,
                            int flags);

/* Reads [route] "DCP1" Forward Submission (loader); parts borrowed.
 * Returns 0 or DCP_EPROTO. */
int dcp_frame_read_forward (dcp_frames_t *in, zmq_msg_t **route, zmq_msg_t **forward,
                            zmq_msg_t **payload);

/* Sends [ROUTE] "DCP1" COLLECTOR_ROUTE ID RECEIPT back to the validator
 * that forwarded the submission (loader). */
int dcp_frame_send_loader_receipt (void *sock, zmq_msg_t *route, const void *collector_route,
                                   size_t route_len, const char *id, const void *receipt,
                                   size_t len, int flags);

/* Sends [ROUTE] "DCP1" ID RECEIPT to a collector (validator). */
int dcp_frame_send_receipt (void *sock, zmq_msg_t *route, const char *id, const void *receipt,
                            size_t len, int flags);

/* Passes a loader's receipt "DCP1" route id Receipt on to the collector as
 * [route] "DCP1" id Receipt (validator).  Returns 0, DCP_EPROTO if IN is
 * not a loader receipt, or as dcp_wire_send() (DCP_EAGAIN: the collector
 * has left). */
int dcp_frame_relay_receipt (dcp_frames_t *in, void *sock, int flags);

/* Reads "DCP1" id Receipt (collector); parts borrowed.  0 or DCP_EPROTO. */
int dcp_frame_read_receipt (dcp_frames_t *in, zmq_msg_t **id, zmq_msg_t **receipt);

#endif
