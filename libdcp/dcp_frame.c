/* dcp_frame.c: multipart frames and the protocol's messages (see dcp_frame.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dcp_err.h"
#include "dcp_frame.h"
#include "dcp_id.h"

int
dcp_frames_recv (void *sock, dcp_frames_t *frames, int flags)
{
    frames->count = 0;
    frames->dropped = 0;
    int more = 1;
    while (more) {
        zmq_msg_t scratch, *msg;
        msg = frames->count < DCP_WIRE_MAX_PARTS ? &frames->part[frames->count] : &scratch;
        zmq_msg_init (msg);
        if (zmq_msg_recv (msg, sock, frames->count == 0 && !frames->dropped ? flags : 0) < 0) {
            int e = zmq_errno ();
            zmq_msg_close (msg);
            dcp_frames_close (frames);
            /* A socket error, not a malformed message: libzmq drops what
             * breaks its framing or ZMQ_MAXMSGSIZE before we see it. */
            return e == EAGAIN ? DCP_EAGAIN : DCP_ENET;
        }
        more = zmq_msg_more (msg);
        if (msg == &scratch) {
            zmq_msg_close (msg);
            frames->dropped++;
        } else
            frames->count++;
    }
    return 0;
}

void
dcp_frames_move (dcp_frames_t *dst, dcp_frames_t *src)
{
    for (size_t i = 0; i < src->count; i++) {
        zmq_msg_init (&dst->part[i]);
        zmq_msg_move (&dst->part[i], &src->part[i]);
        zmq_msg_close (&src->part[i]);
    }
    dst->count = src->count;
    dst->dropped = src->dropped;
    src->count = 0;
    src->dropped = 0;
}

void
dcp_frames_close (dcp_frames_t *frames)
{
    for (size_t i = 0; i < frames->count; i++)
        zmq_msg_close (&frames->part[i]);
    frames->count = 0;
}

bool
dcp_frames_is_signature (dcp_frames_t *frames, size_t i)
{
    return i < frames->count && zmq_msg_size (&frames->part[i]) == DCP_WIRE_SIGNATURE_LEN
           && memcmp (zmq_msg_data (&frames->part[i]), DCP_WIRE_SIGNATURE, DCP_WIRE_SIGNATURE_LEN)
                  == 0;
}

const char *
dcp_frames_user_id (dcp_frames_t *frames)
{
    if (frames->count == 0)
        return NULL;
    /* Metadata is attached to every part; the last one is certainly a data
     * part (the first may be a routing id that ROUTER made up). */
    return zmq_msg_gets (&frames->part[frames->count - 1], "User-Id");
}

int
dcp_wire_send (void *sock, const dcp_part_t *parts, size_t n, int flags)
{
    for (size_t i = 0; i < n; i++) {
        int f = flags | (i + 1 < n ? ZMQ_SNDMORE : 0);
        zmq_msg_t msg;
        int rc;
        if (parts[i].msg) {
            zmq_msg_init (&msg);
            zmq_msg_copy (&msg, parts[i].msg);
            rc = zmq_msg_send (&msg, sock, f);
            if (rc < 0)
                zmq_msg_close (&msg);
        } else
            rc = zmq_send (sock, parts[i].data, parts[i].len, f);
        if (rc < 0) {
            /* libzmq sends a multipart message atomically: a failure on the
             * first part sends nothing; later parts cannot fail with EAGAIN. */
            int e = zmq_errno ();
            return (e == EAGAIN || e == EHOSTUNREACH) ? DCP_EAGAIN : DCP_ENET;
        }
    }
    return 0;
}

bool
dcp_frame_copy_id (zmq_msg_t *part, char *id, size_t size)
{
    size_t len = zmq_msg_size (part);
    const char *p = zmq_msg_data (part);
    if (len >= size || !dcp_id_name_ok (p, len))
        return false;
    memcpy (id, p, len);
    id[len] = '\0';
    return true;
}

/* Writes up to 8 bytes of PART into OUT (size >= 11) as printable ASCII,
 * '?' for anything else, so a partner sees what it sent in place of "DCP1"
 * without letting raw bytes into a message. */
static void
s_preview (zmq_msg_t *part, char *out)
{
    size_t len = zmq_msg_size (part), n = len < 8 ? len : 8;
    const unsigned char *p = zmq_msg_data (part);
    for (size_t i = 0; i < n; i++)
        out[i] = p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' && p[i] != '\\' ? (char) p[i] : '?';
    out[n] = '\0';
    if (len > n)
        strcat (out, "...");
}

/* Says in OUT->fault what is wrong with the shape of IN. */
static void
s_describe_fault (dcp_frames_t *in, dcp_frame_submission_t *out, bool signature_ok)
{
    char seen[16];
    size_t used = 0;
    if (out->parts != 3)
        used = (size_t) snprintf (out->fault, sizeof out->fault,
                                  "expected 3 frames (\"DCP1\", submission id, protobuf "
                                  "Submission), got %zu%s",
                                  out->parts, signature_ok || out->parts == 0 ? "" : ", and ");
    if (!signature_ok && out->parts > 0 && used < sizeof out->fault) {
        s_preview (&in->part[1], seen);
        snprintf (out->fault + used, sizeof out->fault - used,
                  "the first frame is not the protocol signature \"DCP1\" (got %zu bytes "
                  "\"%s\"; this server speaks DCP1 only)",
                  zmq_msg_size (&in->part[1]), seen);
    }
}

int
dcp_frame_read_submission (dcp_frames_t *in, dcp_frame_submission_t *out)
{
    memset (out, 0, sizeof *out);
    out->route = in->count > 0 ? &in->part[0] : NULL;
    out->parts = in->count + in->dropped - (in->count > 0);
    bool signature_ok = dcp_frames_is_signature (in, 1);
    if (in->count == 4 && !in->dropped && signature_ok) {
        out->payload = &in->part[3];
        return dcp_frame_copy_id (&in->part[2], out->id, sizeof out->id) ? 0 : DCP_EINVAL;
    }
    /* Misframed.  Still name the likely payload (its size goes into the
     * finding) and the id, if one is readable (see the header). */
    out->payload = in->count >= 2 ? &in->part[in->count - 1] : NULL;
    zmq_msg_t *id = in->count >= 4                    ? &in->part[2]
                    : in->count == 3 && !signature_ok ? &in->part[1]
                                                      : NULL;
    if (!id || dcp_frames_is_signature (in, (size_t) (id - in->part))
        || !dcp_frame_copy_id (id, out->id, sizeof out->id))
        out->id[0] = '\0';
    s_describe_fault (in, out, signature_ok);
    return DCP_EPROTO;
}

int
dcp_frame_send_submission (void *sock, const char *id, const void *payload, size_t len, int flags)
{
    dcp_part_t parts[3] = {{DCP_WIRE_SIGNATURE, DCP_WIRE_SIGNATURE_LEN, NULL},
                           {id, strlen (id), NULL},
                           {payload, len, NULL}};
    return dcp_wire_send (sock, parts, 3, flags);
}

int
dcp_frame_send_ping (void *sock, int flags)
{
    dcp_part_t parts[2] = {{DCP_WIRE_SIGNATURE, DCP_WIRE_SIGNATURE_LEN, NULL}, {"ping", 4, NULL}};
    return dcp_wire_send (sock, parts, 2, flags);
}

bool
dcp_frame_is_ping (dcp_frames_t *in)
{
    return in->count == 3 && !in->dropped && dcp_frames_is_signature (in, 1)
           && zmq_msg_size (&in->part[2]) == 4
           && memcmp (zmq_msg_data (&in->part[2]), "ping", 4) == 0;
}

int
dcp_frame_send_forward (void *sock, const void *forward, size_t len, zmq_msg_t *payload, int flags)
{
    dcp_part_t parts[3] = {{DCP_WIRE_SIGNATURE, DCP_WIRE_SIGNATURE_LEN, NULL},
                           {forward, len, NULL},
                           {NULL, 0, payload}};
    return dcp_wire_send (sock, parts, 3, flags);
}

int
dcp_frame_read_forward (dcp_frames_t *in, zmq_msg_t **route, zmq_msg_t **forward,
                        zmq_msg_t **payload)
{
    if (in->count != 4 || in->dropped || !dcp_frames_is_signature (in, 1))
        return DCP_EPROTO;
    *route = &in->part[0];
    *forward = &in->part[2];
    *payload = &in->part[3];
    return 0;
}

int
dcp_frame_send_loader_receipt (void *sock, zmq_msg_t *route, const void *collector_route,
                               size_t route_len, const char *id, const void *receipt, size_t len,
                               int flags)
{
    dcp_part_t parts[5] = {{NULL, 0, route},
                           {DCP_WIRE_SIGNATURE, DCP_WIRE_SIGNATURE_LEN, NULL},
                           {collector_route, route_len, NULL},
                           {id, strlen (id), NULL},
                           {receipt, len, NULL}};
    return dcp_wire_send (sock, parts, 5, flags);
}

int
dcp_frame_send_receipt (void *sock, zmq_msg_t *route, const char *id, const void *receipt,
                        size_t len, int flags)
{
    dcp_part_t parts[4] = {{NULL, 0, route},
                           {DCP_WIRE_SIGNATURE, DCP_WIRE_SIGNATURE_LEN, NULL},
                           {id, strlen (id), NULL},
                           {receipt, len, NULL}};
    return dcp_wire_send (sock, parts, 4, flags);
}

int
dcp_frame_relay_receipt (dcp_frames_t *in, void *sock, int flags)
{
    if (in->count != 4 || in->dropped || !dcp_frames_is_signature (in, 0))
        return DCP_EPROTO;
    dcp_part_t parts[4] = {{NULL, 0, &in->part[1]},
                           {DCP_WIRE_SIGNATURE, DCP_WIRE_SIGNATURE_LEN, NULL},
                           {NULL, 0, &in->part[2]},
                           {NULL, 0, &in->part[3]}};
    return dcp_wire_send (sock, parts, 4, flags);
}

int
dcp_frame_read_receipt (dcp_frames_t *in, zmq_msg_t **id, zmq_msg_t **receipt)
{
    if (in->count != 3 || in->dropped || !dcp_frames_is_signature (in, 0))
        return DCP_EPROTO;
    *id = &in->part[1];
    *receipt = &in->part[2];
    return 0;
}
