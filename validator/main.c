/* validator: authenticates collectors, decodes and validates submissions,
 * forwards every one of them (valid or not) to a loader, and relays the
 * loader's receipt back to the collector.
 *
 * It holds no state that matters: a submission is acknowledged only by the
 * loader after COMMIT, so a validator killed at any moment loses nothing;
 * the collector resends what it has no receipt for.  One event loop
 * (dcp_loop) serves the ZAP handler and the HTTP endpoint (both set up by
 * dcp_stage), the collectors (ROUTER) and the loaders (DEALER).  This file
 * is the configuration and the wiring; the decision for one submission is
 * validate.c, moving the frames relay.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dcp_codec.h"
#include "dcp_config.h"
#include "dcp_err.h"
#include "dcp_findings.h"
#include "dcp_keys.h"
#include "dcp_log.h"
#include "dcp_loop.h"
#include "dcp_metrics.h"
#include "dcp_signal.h"
#include "dcp_stage.h"
#include "dcp_wire.h"
#include "partners.h"
#include "relay.h"

typedef struct {
    char bind[256];
    char loaders[1024];
    char key_file[512];
    char partners[512];
    char loader_public_key[512];
    bool insecure;
    long max_message;
    long hwm;
    long heartbeat_ms;
    char log_level[16];
    char id[64];
    char metrics[64];
} validator_cfg_t;

#define OPT(...) DCP_CFG_OPT (validator_cfg_t, __VA_ARGS__)
static const dcp_cfg_option_t s_options[] = {
    OPT ("bind", DCP_CFG_STR, "tcp://127.0.0.1:7601", bind, "endpoint collectors connect to"),
    OPT ("loaders", DCP_CFG_STR, "tcp://127.0.0.1:7602", loaders,
         "comma-separated loader endpoints; submissions are spread over them"),
    OPT ("key_file", DCP_CFG_STR, "/etc/dcp/validator.key", key_file,
         "this validator's CURVE key pair (collector keygen)"),
    OPT ("partners", DCP_CFG_STR, "/etc/dcp/partners.txt", partners,
         "registry of collector public keys: <key> <ISO3> <name>; reloaded on SIGHUP"),
    OPT ("loader_public_key", DCP_CFG_STR, "/etc/dcp/loader.key.pub", loader_public_key,
         "public key file of the loaders"),
    OPT ("insecure", DCP_CFG_BOOL, "false", insecure,
         "development only: plain TCP, no CURVE, no partner check"),
    OPT ("max_message", DCP_CFG_INT, "16777216", max_message,
         "largest message accepted, bytes; larger ones drop the connection"),
    OPT ("hwm", DCP_CFG_INT, "1000", hwm, "queue bound per peer, messages"),
    OPT ("heartbeat_ms", DCP_CFG_INT, "5000", heartbeat_ms, "ZMTP heartbeat interval"),
    OPT ("log_level", DCP_CFG_STR, "info", log_level, "debug, info, warn or error"),
    OPT ("id", DCP_CFG_STR, "", id,
         "name of this validator in logs and the database (default host:pid)"),
    OPT ("metrics", DCP_CFG_STR, "127.0.0.1:9101", metrics,
         "address of the HTTP endpoint for /metrics, /healthz, /readyz (empty = off)"),
    {NULL, 0, NULL, 0, 0, NULL},
};

typedef struct {
    validator_cfg_t cfg;
    dcp_stage_t *stage;
    dcp_loop_t *loop;
    relay_t relay;
} validator_t;

static void
s_set (dcp_metrics_t *m, const char *name, const char *help, double value, bool gauge)
{
    double *c =
        gauge ? dcp_metrics_gauge (m, name, help, NULL) : dcp_metrics_counter (m, name, help, NULL);
    if (c)
        *c = value;
}

static void
s_on_metrics (dcp_metrics_t *m, void *arg)
{
    validator_t *v = arg;
    const relay_t *r = &v->relay;
    dcp_zap_t *zap = dcp_stage_zap (v->stage);
    s_set (m, "dcp_validator_received_total", "submissions received from collectors",
           (double) r->received, false);
    s_set (m, "dcp_validator_forwarded_total", "submissions forwarded to loaders",
           (double) r->forwarded, false);
    s_set (m, "dcp_validator_rejected_total", "submissions that failed validation or authorisation",
           (double) r->rejected, false);
    s_set (m, "dcp_validator_busy_total",
           "submissions answered RETRY_LATER: no loader could take them", (double) r->busy, false);
    s_set (m, "dcp_validator_receipts_relayed_total", "receipts relayed to collectors",
           (double) r->relayed, false);
    s_set (m, "dcp_validator_receipts_unroutable_total",
           "receipts for collectors that had left (they resend)", (double) r->unroutable, false);
    s_set (m, "dcp_validator_zap_refused_total", "connections refused: unregistered key",
           zap ? (double) dcp_zap_refused (zap) : 0, false);
    s_set (m, "dcp_validator_zap_admitted_total", "connections admitted",
           zap ? (double) dcp_zap_admitted (zap) : 0, false);
    s_set (m, "dcp_validator_partners", "keys in the partner registry",
           (double) dcp_registry_size (dcp_stage_registry (v->stage)), true);
    s_set (m, "dcp_validator_loader_ready",
           "1 if a loader could take a submission at the last look", r->loader_ready, true);
}

static const char *
s_is_ready (void *arg)
{
    validator_t *v = arg;
    if (!v->relay.loader_ready)
        return "no loader connected";
    return v->cfg.insecure || dcp_stage_registry (v->stage) ? NULL : "no partner registry";
}

/* The loader-facing DEALER: connects to every loader endpoint. */
static int
s_connect_loaders (validator_t *v, const dcp_wire_opts_t *wo)
{
    char err[512], list[sizeof v->cfg.loaders], *save = NULL;
    dcp_keypair_t loader_key;
    int one = 1;
    if (!v->cfg.insecure
        && dcp_keys_load (v->cfg.loader_public_key, &loader_key, err, sizeof err)) {
        dcp_error ("could not load keys", "reason=%s", dcp_log_quote ((char[600]){0}, 600, err));
        return DCP_ECONFIG;
    }
    v->relay.back = dcp_stage_socket (v->stage, ZMQ_DEALER);
    if (!v->relay.back
        || dcp_wire_client (v->relay.back, dcp_stage_keys (v->stage),
                            v->cfg.insecure ? NULL : loader_key.public_key, wo)
        || zmq_setsockopt (v->relay.back, ZMQ_IMMEDIATE, &one, sizeof one)) {
        dcp_error ("could not set up the loader socket", "reason=%s",
                   dcp_log_quote ((char[200]){0}, 200, zmq_strerror (zmq_errno ())));
        return DCP_ENET;
    }
    memcpy (list, v->cfg.loaders, sizeof list);
    for (char *ep = strtok_r (list, ", ", &save); ep; ep = strtok_r (NULL, ", ", &save)) {
        if (zmq_connect (v->relay.back, ep) != 0) {
            dcp_error ("could not connect to loader", "endpoint=%s", ep);
            return DCP_ECONFIG;
        }
        dcp_info ("connecting to loader", "endpoint=%s", ep);
    }
    return 0;
}

static int
s_setup (validator_t *v)
{
    dcp_wire_opts_t wo = {(int) v->cfg.hwm, v->cfg.max_message, (int) v->cfg.heartbeat_ms};
    dcp_stage_opts_t so = {v->cfg.insecure, v->cfg.key_file, v->cfg.partners, "partner", "partners",
                           v->cfg.metrics,  s_on_metrics,    s_is_ready,      v};
    v->stage = dcp_stage_new (&so);
    v->loop = dcp_loop_new ();
    if (!v->stage || !v->loop)
        return DCP_ECONFIG;
    dcp_metrics_t *m = dcp_stage_metrics (v->stage);
    v->relay.stage = v->stage;
    v->relay.metrics = m;
    dcp_rules_defaults (&v->relay.vopts.rules);
    v->relay.vopts.max_message = (size_t) v->cfg.max_message;
    v->relay.vopts.insecure = v->cfg.insecure;
    v->relay.vopts.validator_id = v->cfg.id;
    v->relay.vopts.validate_seconds = dcp_metrics_histogram (
        m, "dcp_validator_validate_seconds", "time to decode-check and validate one submission",
        dcp_metrics_latency_bounds, dcp_metrics_latency_n);
    v->relay.front = dcp_stage_bind_router (v->stage, v->cfg.bind, &wo);
    if (!v->relay.front)
        return DCP_ECONFIG;
    int rc = s_connect_loaders (v, &wo);
    if (rc == 0)
        rc = dcp_stage_attach (v->stage, v->loop);
    /* Poll order as before: loaders' receipts first, then collectors. */
    if (rc == 0)
        rc = dcp_loop_reader (v->loop, v->relay.back, relay_on_back, &v->relay);
    if (rc == 0)
        rc = dcp_loop_reader (v->loop, v->relay.front, relay_on_front, &v->relay);
    dcp_loop_prepare (v->loop, relay_prepare, &v->relay, 1000);
    return rc;
}

static void
s_usage (void)
{
    printf ("usage: validator [--config FILE] [--NAME=VALUE ...]\n"
            "       validator [--config FILE] partner add|rotate|revoke|list ... (below)\n\n"
            "Receives submissions from collectors, validates them and forwards them to\n"
            "loaders; relays each loader's receipt.  SIGHUP reloads the partner registry;\n"
            "SIGTERM or SIGINT stops it.\n\n");
    dcp_config_help (s_options, "VALIDATOR", stdout);
    printf ("\n");
    partners_usage (stdout);
}

int
main (int argc, char **argv)
{
    validator_t v;
    int first = 0, rc = 1;
    memset (&v, 0, sizeof v);
    int prc = dcp_config_main (s_options, &v.cfg, "validator", "/etc/dcp/validator.conf", argc,
                               argv, &first, s_usage);
    if (prc >= 0)
        return prc;
    if (first < argc && strcmp (argv[first], "partner") == 0)
        return partners_main (v.cfg.partners, argc - first - 1, argv + first + 1);
    if (first < argc) {
        fprintf (stderr, "validator: unexpected argument \"%s\"\n", argv[first]);
        return 2;
    }
    if (!v.cfg.id[0]) {
        char host[40] = "host";
        gethostname (host, sizeof host - 1);
        snprintf (v.cfg.id, sizeof v.cfg.id, "%s:%ld", host, (long) getpid ());
    }
    dcp_config_log (s_options, &v.cfg);

    if (dcp_signal_install () != 0) {
        dcp_error ("could not install signal handlers", "reason=%s",
                   dcp_log_quote ((char[200]){0}, 200, strerror (errno)));
        return 1;
    }
    if (s_setup (&v))
        goto done;
    dcp_stage_ready (v.stage);
    dcp_info ("validator ready", "bind=%s loaders=%s", v.cfg.bind, v.cfg.loaders);
    rc = dcp_loop_run (v.loop);
    if (rc != 0)
        dcp_error ("event loop failed", "error=%s reason=%s",
                   dcp_log_quote ((char[100]){0}, 100, dcp_strerror (rc)),
                   dcp_log_quote ((char[200]){0}, 200, zmq_strerror (zmq_errno ())));
    rc = rc ? 1 : 0;
    dcp_stage_stopping (v.stage);
    dcp_info ("validator stopping",
              "received=%lu forwarded=%lu rejected=%lu busy=%lu relayed=%lu "
              "unroutable=%lu",
              v.relay.received, v.relay.forwarded, v.relay.rejected, v.relay.busy, v.relay.relayed,
              v.relay.unroutable);
done:
    dcp_loop_destroy (&v.loop);
    dcp_stage_destroy (&v.stage);
    return rc;
}
