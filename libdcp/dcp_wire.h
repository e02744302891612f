/* dcp_wire.h: ZeroMQ sockets and CURVE/ZAP authentication.
 *
 * The messages themselves (frames, the "DCP1" signature, the shapes of the
 * protocol's four messages) are in dcp_frame.h, included here.  Sockets
 * are set up here in one place with bounded queues, a maximum message size,
 * heartbeats and, unless a development flag turns it off, CURVE with a ZAP
 * handler that admits only registered public keys: CURVE without a running
 * ZAP handler would admit any client that knows the server key. */
#ifndef DCP_WIRE_H
#define DCP_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <zmq.h>

#include "dcp_frame.h"
#include "dcp_keys.h"

#define DCP_ZAP_DOMAIN "dcp"

typedef struct {
    int hwm;          /* send and receive high-water marks, messages */
    long max_message; /* ZMQ_MAXMSGSIZE, bytes; larger => peer disconnected */
    int heartbeat_ms; /* ZMTP heartbeats; 0 = off */
} dcp_wire_opts_t;

/* Makes SOCK a CURVE server with key pair KP and the ZAP domain enforced,
 * or a plain socket if KP is NULL (development only).  Returns 0 or
 * DCP_ENET when libzmq refuses an option (zmq_errno() tells). */
int dcp_wire_server (void *sock, const dcp_keypair_t *kp, const dcp_wire_opts_t *opts);

/* Makes SOCK a CURVE client of the server whose public key is SERVER_KEY,
 * or plain if KP is NULL.  Returns 0 or DCP_ENET (zmq_errno() tells). */
int dcp_wire_client (void *sock, const dcp_keypair_t *kp, const char *server_key,
                     const dcp_wire_opts_t *opts);

/* ZAP handler: answers libzmq's authentication requests on
 * inproc://zeromq.zap.01 from the program's own event loop. */
typedef struct dcp_zap_t dcp_zap_t;

/* Binds the ZAP endpoint in CTX.  NULL on failure. */
dcp_zap_t *dcp_zap_new (void *ctx);
void dcp_zap_destroy (dcp_zap_t **self_p);

/* Socket to poll for ZMQ_POLLIN. */
void *dcp_zap_socket (dcp_zap_t *self);

/* Registry consulted for each request (borrowed; may be replaced at any
 * time, e.g. after SIGHUP).  NULL refuses everybody. */
void dcp_zap_set_registry (dcp_zap_t *self, const dcp_registry_t *registry);

/* Answers one pending request: 200 with User-Id = the Z85 key for a
 * registered key, 400 otherwise (logged with the key prefix and address).
 * Returns 0, DCP_EAGAIN if nothing was pending, or DCP_ENET on a socket
 * error. */
int dcp_zap_handle (dcp_zap_t *self);

/* Counters for metrics. */
unsigned long dcp_zap_refused (const dcp_zap_t *self);
unsigned long dcp_zap_admitted (const dcp_zap_t *self);

#endif
