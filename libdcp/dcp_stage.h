/* dcp_stage.h: what every server stage (validator, loader) sets up the same way.
 *
 * Both servers read their CURVE key pair, load a registry of the public keys
 * allowed to connect, answer ZAP requests with it (CURVE without a ZAP
 * handler would admit anyone who knows the server key), reload it on SIGHUP
 * keeping the old one when the new file is broken, keep a metrics registry
 * served on /metrics beside /healthz and /readyz, and tell systemd when they
 * are ready.  That used to be written twice, in each main.c; a stage is that
 * start-up done once.  The program keeps its own sockets' logic, counters
 * and readiness rule, given here as callbacks.
 *
 * The stage owns the ZeroMQ context: sockets made with dcp_stage_socket()
 * are closed by dcp_stage_destroy() before the context ends. */
#ifndef DCP_STAGE_H
#define DCP_STAGE_H

#include <stdbool.h>

#include "dcp_keys.h"
#include "dcp_loop.h"
#include "dcp_metrics.h"
#include "dcp_wire.h"

typedef struct dcp_stage_t dcp_stage_t;

/* Brings the program's counters into METRICS just before /metrics renders. */
typedef void (dcp_stage_metrics_fn) (dcp_metrics_t *metrics, void *arg);

/* Returns NULL when the stage is ready to serve, or a static one-line
 * reason (no newline) why not, for /readyz. */
typedef const char *(dcp_stage_ready_fn) (void *arg);

typedef struct {
    bool insecure;               /* development: no keys, no registry, no ZAP */
    const char *key_file;        /* this stage's key pair (must hold the secret key) */
    const char *registry_file;   /* keys allowed to connect; reloaded on SIGHUP */
    const char *registry_kind;   /* "partner" or "validator", for log lines */
    const char *registry_count;  /* log field for its size: "partners", "validators" */
    const char *metrics_address; /* "127.0.0.1:9101"; NULL or "" = no HTTP endpoint */
    dcp_stage_metrics_fn *on_metrics;
    dcp_stage_ready_fn *is_ready;
    void *arg; /* passed to both callbacks */
} dcp_stage_opts_t;

/* Creates the context, loads keys and registry, starts ZAP, the metrics
 * registry and the HTTP endpoint.  NULL on failure, with the reason logged
 * ("could not load keys", "could not load partner registry", "could not
 * listen for metrics").  OPTS's strings are copied where kept. */
dcp_stage_t *dcp_stage_new (const dcp_stage_opts_t *opts);

/* Closes the stage's sockets, stops ZAP and HTTP, ends the context, wipes
 * the secret key.  Harmless on NULL; sets *SELF_P to NULL. */
void dcp_stage_destroy (dcp_stage_t **self_p);

/* Borrowed: the ZeroMQ context, the key pair (NULL when insecure), the
 * current registry (NULL when insecure; replaced on reload, so do not keep
 * it across loop turns), the metrics registry, ZAP (NULL when insecure). */
void *dcp_stage_ctx (dcp_stage_t *self);
const dcp_keypair_t *dcp_stage_keys (const dcp_stage_t *self);
const dcp_registry_t *dcp_stage_registry (const dcp_stage_t *self);
dcp_metrics_t *dcp_stage_metrics (dcp_stage_t *self);
dcp_zap_t *dcp_stage_zap (dcp_stage_t *self);

/* A socket of TYPE in the stage's context, closed by dcp_stage_destroy().
 * NULL on failure (zmq_errno() tells). */
void *dcp_stage_socket (dcp_stage_t *self, int type);

/* A ROUTER that peers connect to: CURVE server with this stage's keys (plain
 * when insecure), ZMQ_ROUTER_MANDATORY so a reply to a peer that left is an
 * error, bound to ENDPOINT.  NULL on failure, logged ("could not bind"). */
void *dcp_stage_bind_router (dcp_stage_t *self, const char *endpoint, const dcp_wire_opts_t *opts);

/* Loads the registry file again; on success ZAP uses the new one at once
 * and "reloaded <kind> registry" is logged, on failure the old one stays.
 * Returns 0, DCP_ECONFIG (file unreadable or invalid), 0 when insecure. */
int dcp_stage_reload (dcp_stage_t *self);

/* Registers the ZAP socket and the HTTP listener with LOOP, and the
 * registry reload as its SIGHUP handler.  Returns 0 or a DCP_E* code. */
int dcp_stage_attach (dcp_stage_t *self, dcp_loop_t *loop);

/* Logs the insecure-mode warning if it applies and tells systemd READY=1. */
void dcp_stage_ready (dcp_stage_t *self);

/* Tells systemd STOPPING=1. */
void dcp_stage_stopping (dcp_stage_t *self);

#endif
