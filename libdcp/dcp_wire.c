/* dcp_wire.c: sockets, CURVE and ZAP (see dcp_wire.h); frames are in dcp_frame.c. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dcp_err.h"
#include "dcp_log.h"
#include "dcp_util.h"
#include "dcp_wire.h"

/* A draft option in libzmq 4.3: without it, libzmq admits CURVE clients when
 * no ZAP handler answers.  Our handler is bound before any server socket and
 * runs for the life of the process, so a library built without drafts
 * (Debian's) still authenticates every client; with drafts we also make the
 * library itself refuse when the handler is missing. */
#ifndef ZMQ_ZAP_ENFORCE_DOMAIN
#define ZMQ_ZAP_ENFORCE_DOMAIN 93
#endif

static int
s_common (void *sock, const dcp_wire_opts_t *opts)
{
    int hwm = opts->hwm, linger = 0, ivl = opts->heartbeat_ms;
    int64_t max = opts->max_message;
    if (zmq_setsockopt (sock, ZMQ_SNDHWM, &hwm, sizeof hwm)
        || zmq_setsockopt (sock, ZMQ_RCVHWM, &hwm, sizeof hwm)
        || zmq_setsockopt (sock, ZMQ_MAXMSGSIZE, &max, sizeof max)
        || zmq_setsockopt (sock, ZMQ_LINGER, &linger, sizeof linger))
        return DCP_ENET;
    if (ivl > 0) {
        int timeout = ivl * 3;
        if (zmq_setsockopt (sock, ZMQ_HEARTBEAT_IVL, &ivl, sizeof ivl)
            || zmq_setsockopt (sock, ZMQ_HEARTBEAT_TIMEOUT, &timeout, sizeof timeout))
            return DCP_ENET;
    }
    return 0;
}

int
dcp_wire_server (void *sock, const dcp_keypair_t *kp, const dcp_wire_opts_t *opts)
{
    int rc = s_common (sock, opts);
    if (rc)
        return rc;
    if (!kp)
        return 0;
    int one = 1;
    if (zmq_setsockopt (sock, ZMQ_CURVE_SERVER, &one, sizeof one)
        || zmq_setsockopt (sock, ZMQ_CURVE_SECRETKEY, kp->secret_key, DCP_KEY_Z85_LEN)
        || zmq_setsockopt (sock, ZMQ_ZAP_DOMAIN, DCP_ZAP_DOMAIN, strlen (DCP_ZAP_DOMAIN)))
        return DCP_ENET;
    if (zmq_setsockopt (sock, ZMQ_ZAP_ENFORCE_DOMAIN, &one, sizeof one) != 0)
        dcp_debug ("libzmq lacks ZMQ_ZAP_ENFORCE_DOMAIN; relying on the running ZAP handler", NULL);
    return 0;
}

int
dcp_wire_client (void *sock, const dcp_keypair_t *kp, const char *server_key,
                 const dcp_wire_opts_t *opts)
{
    int rc = s_common (sock, opts);
    if (rc)
        return rc;
    if (!kp)
        return 0;
    if (zmq_setsockopt (sock, ZMQ_CURVE_SERVERKEY, server_key, DCP_KEY_Z85_LEN)
        || zmq_setsockopt (sock, ZMQ_CURVE_PUBLICKEY, kp->public_key, DCP_KEY_Z85_LEN)
        || zmq_setsockopt (sock, ZMQ_CURVE_SECRETKEY, kp->secret_key, DCP_KEY_Z85_LEN))
        return DCP_ENET;
    return 0;
}

struct dcp_zap_t {
    void *sock;
    const dcp_registry_t *registry;
    unsigned long refused, admitted;
    /* A refused client reconnects every few hundred milliseconds: log a
     * key once a minute, not at every handshake. */
    char last_key[DCP_KEY_Z85_LEN + 1];
    int64_t last_log_ms;
    unsigned long suppressed;
};

dcp_zap_t *
dcp_zap_new (void *ctx)
{
    dcp_zap_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->sock = zmq_socket (ctx, ZMQ_REP);
    int linger = 0;
    if (!self->sock || zmq_setsockopt (self->sock, ZMQ_LINGER, &linger, sizeof linger)
        || zmq_bind (self->sock, "inproc://zeromq.zap.01") != 0) {
        dcp_zap_destroy (&self);
        return NULL;
    }
    return self;
}

void
dcp_zap_destroy (dcp_zap_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    if ((*self_p)->sock)
        zmq_close ((*self_p)->sock);
    free (*self_p);
    *self_p = NULL;
}

void *
dcp_zap_socket (dcp_zap_t *self)
{
    return self->sock;
}

void
dcp_zap_set_registry (dcp_zap_t *self, const dcp_registry_t *registry)
{
    self->registry = registry;
}

static int
s_part_is (zmq_msg_t *m, const char *text)
{
    size_t len = strlen (text);
    return zmq_msg_size (m) == len && memcmp (zmq_msg_data (m), text, len) == 0;
}

int
dcp_zap_handle (dcp_zap_t *self)
{
    dcp_frames_t req;
    int rc = dcp_frames_recv (self->sock, &req, ZMQ_DONTWAIT);
    if (rc)
        return rc;
    /* ZAP request (RFC 27): version, request id, domain, address, identity,
     * mechanism, credentials... */
    const char *status = "400", *text = "unknown key";
    char key[DCP_KEY_Z85_LEN + 1] = "", address[64] = "";
    const dcp_peer_t *peer = NULL;
    if (req.count >= 7 && s_part_is (&req.part[0], "1.0") && s_part_is (&req.part[5], "CURVE")
        && zmq_msg_size (&req.part[6]) == 32) {
        zmq_z85_encode (key, zmq_msg_data (&req.part[6]), 32);
        size_t alen = zmq_msg_size (&req.part[3]);
        if (alen >= sizeof address)
            alen = sizeof address - 1;
        memcpy (address, zmq_msg_data (&req.part[3]), alen);
        address[alen] = '\0';
        if (!s_part_is (&req.part[2], DCP_ZAP_DOMAIN))
            text = "wrong domain";
        else if ((peer = dcp_registry_find (self->registry, key)) != NULL) {
            status = "200";
            text = "OK";
        }
    } else
        text = "unsupported mechanism";
    if (peer) {
        self->admitted++;
        dcp_debug ("admitted peer", "peer=%.8s country=%s address=%s", key, peer->country, address);
    } else {
        self->refused++;
        int64_t now = dcp_now_ms ();
        if (strcmp (key, self->last_key) != 0 || now - self->last_log_ms >= 60000) {
            dcp_warn ("refused connection from unregistered key",
                      "peer=%.8s address=%s reason=%s repeats=%lu", key[0] ? key : "none",
                      address[0] ? address : "unknown",
                      strcmp (text, "unknown key") == 0 ? "unknown_key" : "bad_request",
                      self->suppressed);
            memcpy (self->last_key, key, sizeof self->last_key);
            self->last_log_ms = now;
            self->suppressed = 0;
        } else
            self->suppressed++;
    }
    dcp_part_t reply[6] = {
        {"1.0", 3, NULL},
        {req.count > 1 ? zmq_msg_data (&req.part[1]) : "",
         req.count > 1 ? zmq_msg_size (&req.part[1]) : 0, NULL},
        {status, 3, NULL},
        {text, strlen (text), NULL},
        {peer ? key : "", peer ? DCP_KEY_Z85_LEN : 0, NULL}, /* User-Id */
        {"", 0, NULL},                                       /* metadata */
    };
    rc = dcp_wire_send (self->sock, reply, 6, 0);
    dcp_frames_close (&req);
    return rc;
}

unsigned long
dcp_zap_refused (const dcp_zap_t *self)
{
    return self->refused;
}

unsigned long
dcp_zap_admitted (const dcp_zap_t *self)
{
    return self->admitted;
}
