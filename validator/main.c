/* validator: authenticates collectors, decodes and validates submissions,
 * forwards every one of them (valid or not) to a loader, and relays the
 * loader's receipt back to the collector.
 *
 * It holds no state that matters: a submission is acknowledged only by the
 * loader after COMMIT, so a validator killed at any moment loses nothing;
 * the collector resends what it has no receipt for.  One event loop
 * (zmq_poll) serves the ZAP handler, the collectors (ROUTER) and the loaders
 * (DEALER).  The collector socket is read only while a loader can take more
 * (backpressure: a slow database slows the senders instead of growing this
 * process's memory). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dcp_codec.h"
#include "dcp_config.h"
#include "dcp_err.h"
#include "dcp_findings.h"
#include "dcp_http.h"
#include "dcp_metrics.h"
#include "dcp_keys.h"
#include "dcp_log.h"
#include "dcp_signal.h"
#include "dcp_rules.h"
#include "dcp_util.h"
#include "dcp_wire.h"

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

#define OPT(name, type, def, field, help) \
    {name, type, def, offsetof (validator_cfg_t, field), sizeof (((validator_cfg_t *) 0)->field), help}
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
    OPT ("id", DCP_CFG_STR, "", id, "name of this validator in logs and the database (default host:pid)"),
    OPT ("metrics", DCP_CFG_STR, "127.0.0.1:9101", metrics,
         "address of the HTTP endpoint for /metrics, /healthz, /readyz (empty = off)"),
    {NULL, 0, NULL, 0, 0, NULL},
};

typedef struct {
    validator_cfg_t cfg;
    dcp_rules_opts_t rules;
    void *ctx;
    void *front;   /* ROUTER, collectors */
    void *back;    /* DEALER, loaders */
    dcp_zap_t *zap;
    dcp_registry_t *registry;
    dcp_keypair_t keys;
    dcp_http_t *http;
    dcp_metrics_t *metrics;
    dcp_histogram_t *validate_seconds;
    bool loader_ready;            /* a loader could take a message at the last look */
    unsigned long received, forwarded, rejected, busy, relayed, unroutable;
} validator_t;

/* Replies to a collector directly (RETRY_LATER, or a framing problem that
 * cannot even be forwarded). */
static void
s_reply (validator_t *v, zmq_msg_t *route, const char *sid, Dcp__V1__ReceiptStatus status,
         dcp_findings_t *findings)
{
    Dcp__V1__Receipt receipt = DCP__V1__RECEIPT__INIT;
    receipt.submission_id = (char *) sid;
    receipt.status = status;
    if (findings && dcp_findings_to_problems (findings, &receipt.problems, &receipt.n_problems))
        return;
    size_t len;
    uint8_t *buf = dcp_codec_pack_msg (&receipt.base, &len);
    if (buf) {
        dcp_part_t parts[4] = {{NULL, 0, route},
                               {DCP_WIRE_SIGNATURE, DCP_WIRE_SIGNATURE_LEN, NULL},
                               {sid, strlen (sid), NULL},
                               {buf, len, NULL}};
        if (dcp_wire_send (v->front, parts, 4, ZMQ_DONTWAIT))
            v->unroutable++;
        free (buf);
    }
    dcp_findings_free_problems (receipt.problems, receipt.n_problems);
}

/* Copies a frame that should hold a submission id into SID (printable ASCII,
 * at most 64 bytes); returns false if it is not one. */
static bool
s_copy_sid (zmq_msg_t *part, char *sid, size_t size)
{
    size_t len = zmq_msg_size (part);
    const unsigned char *p = zmq_msg_data (part);
    if (len == 0 || len >= size || len > 64)
        return false;
    for (size_t i = 0; i < len; i++)
        if (p[i] < 0x21 || p[i] > 0x7e)
            return false;
    memcpy (sid, p, len);
    sid[len] = '\0';
    return true;
}

static void
s_on_submission (validator_t *v, dcp_frames_t *in)
{
    char sid[72] = "", received_at[40], quoted[128];
    Dcp__V1__Submission *sub = NULL;
    dcp_findings_t *findings = dcp_findings_new ();
    Dcp__V1__Forward fwd = DCP__V1__FORWARD__INIT;
    const dcp_peer_t *peer = NULL;
    zmq_msg_t *route = &in->part[0];
    zmq_msg_t empty;
    zmq_msg_init (&empty);
    zmq_msg_t *payload = &empty;
    uint8_t *fwd_buf = NULL;

    v->received++;
    if (!findings)
        goto cleanup;
    dcp_rfc3339_now (received_at, sizeof received_at);

    /* Framing: [route] "DCP1" sid payload */
    if (in->count != 4 || in->dropped || !dcp_frames_is_signature (in, 1)) {
        dcp_findings_add (findings, "WIRE-FRAMING", DCP_SEV_ERROR, "",
                          "the message is not a DCP1 submission: expected 3 frames "
                          "(\"DCP1\", submission id, protobuf Submission), got %zu",
                          in->count + in->dropped - 1);
        if (in->count >= 2)
            payload = &in->part[in->count - 1];
    }
    else {
        payload = &in->part[3];
        if (!s_copy_sid (&in->part[2], sid, sizeof sid))
            dcp_findings_add (findings, "WIRE-ID", DCP_SEV_ERROR, "/submission_id",
                              "the submission id frame is empty, too long or not printable");
    }
    if (!dcp_findings_errors (findings)) {
        sub = dcp_codec_unpack (zmq_msg_data (payload), zmq_msg_size (payload),
                                (size_t) v->cfg.max_message);
        if (!sub)
            dcp_findings_add (findings, "WIRE-DECODE", DCP_SEV_ERROR, "",
                              "the submission could not be decoded: it is not a valid protobuf "
                              "Submission (truncated or corrupted); %zu bytes received",
                              zmq_msg_size (payload));
        else if (strcmp (sub->submission_id, sid) != 0)
            dcp_findings_add (findings, "WIRE-ID-MISMATCH", DCP_SEV_ERROR, "/submission_id",
                              "the submission id in the message does not match the id frame");
    }
    int64_t t0 = dcp_now_ms ();
    if (sub && dcp_rules_check (sub, &v->rules, findings) != 0)
        goto cleanup;  /* out of memory: the collector will resend */
    dcp_histogram_observe (v->validate_seconds, (double) (dcp_now_ms () - t0) / 1000.0);

    /* Authorisation: the key's country must be the reporting country. */
    if (!v->cfg.insecure) {
        const char *user = dcp_frames_user_id (in);
        peer = dcp_registry_find (v->registry, user);
        if (!peer) {
            dcp_findings_add (findings, "AUTH-KEY", DCP_SEV_ERROR, "",
                              "the key this submission was sent with is no longer registered; "
                              "contact the coordinating office");
            fwd.security_event = 1;
        }
        else if (sub && sub->reporting_country[0]
                 && strcmp (sub->reporting_country, peer->country) != 0) {
            dcp_findings_add (findings, "AUTH-COUNTRY", DCP_SEV_ERROR, "/reporting_country",
                              "this collector is registered for %s and may not submit for \"%.8s\"",
                              peer->country, sub->reporting_country);
            fwd.security_event = 1;
        }
        if (fwd.security_event)
            dcp_warn ("refused submission for another country", "submission=%s peer=%.8s "
                      "country=%s claimed=%s",
                      dcp_log_quote (quoted, sizeof quoted, sid), user ? user : "none",
                      peer ? peer->country : "none",
                      sub ? dcp_log_quote (quoted, sizeof quoted, sub->reporting_country) : "none");
    }

    fwd.route.data = zmq_msg_data (route);
    fwd.route.len = zmq_msg_size (route);
    fwd.submission_id = sid;
    fwd.rejected = dcp_findings_errors (findings) > 0;
    fwd.sender_key = peer ? (char *) peer->public_key : "";
    fwd.sender_country = peer ? (char *) peer->country : "";
    fwd.sender_name = peer ? (char *) peer->name : "";
    fwd.received_at = received_at;
    fwd.validator_id = v->cfg.id;
    if (dcp_findings_to_problems (findings, &fwd.problems, &fwd.n_problems))
        goto cleanup;
    size_t fwd_len;
    fwd_buf = dcp_codec_pack_msg (&fwd.base, &fwd_len);
    if (!fwd_buf)
        goto cleanup;
    dcp_part_t parts[3] = {{DCP_WIRE_SIGNATURE, DCP_WIRE_SIGNATURE_LEN, NULL},
                           {fwd_buf, fwd_len, NULL},
                           {NULL, 0, payload}};
    int rc = dcp_wire_send (v->back, parts, 3, ZMQ_DONTWAIT);
    if (rc == 0) {
        v->forwarded++;
        if (fwd.rejected) {
            v->rejected++;
            /* One count per distinct error code of this submission. */
            for (size_t i = 0; i < dcp_findings_count (findings); i++) {
                const dcp_finding_t *f = dcp_findings_get (findings, i);
                bool seen = f->severity != DCP_SEV_ERROR;
                for (size_t j = 0; j < i && !seen; j++)
                    seen = dcp_findings_get (findings, j)->severity == DCP_SEV_ERROR
                           && strcmp (dcp_findings_get (findings, j)->rule, f->rule) == 0;
                if (!seen) {
                    char labels[96];
                    snprintf (labels, sizeof labels, "reason=\"%.64s\"", f->rule);
                    dcp_metrics_inc (v->metrics, "dcp_validator_rejected_by_reason_total",
                                     "submissions rejected, by error code", labels);
                }
            }
        }
        dcp_info ("forwarded submission", "submission=%s country=%s peer=%.8s valid=%s "
                  "findings=%zu",
                  dcp_log_quote (quoted, sizeof quoted, sid[0] ? sid : "none"),
                  peer ? peer->country : "-", fwd.sender_key[0] ? fwd.sender_key : "-",
                  fwd.rejected ? "false" : "true", dcp_findings_count (findings));
    }
    else {
        /* No loader can take it now: tell the collector to resend later
         * rather than queueing without bound here. */
        v->busy++;
        dcp_findings_t *busy = dcp_findings_new ();
        if (busy)
            dcp_findings_add (busy, "BUSY", DCP_SEV_INFO, "",
                              "no loader is available right now; the collector will resend");
        s_reply (v, route, sid, DCP__V1__RECEIPT_STATUS__RECEIPT_RETRY_LATER, busy);
        dcp_findings_destroy (&busy);
    }
cleanup:
    dcp_findings_free_problems (fwd.problems, fwd.n_problems);
    free (fwd_buf);
    dcp_codec_free (&sub);
    dcp_findings_destroy (&findings);
    zmq_msg_close (&empty);
}

/* A receipt from a loader: [ "DCP1", route, sid, Receipt ] -> collector. */
static void
s_on_receipt (validator_t *v, dcp_frames_t *in)
{
    if (in->count != 4 || !dcp_frames_is_signature (in, 0)) {
        dcp_warn ("dropped malformed message from loader", "parts=%zu", in->count);
        return;
    }
    dcp_part_t parts[4] = {{NULL, 0, &in->part[1]},
                           {DCP_WIRE_SIGNATURE, DCP_WIRE_SIGNATURE_LEN, NULL},
                           {NULL, 0, &in->part[2]},
                           {NULL, 0, &in->part[3]}};
    if (dcp_wire_send (v->front, parts, 4, ZMQ_DONTWAIT) == 0)
        v->relayed++;
    else {
        /* The collector is gone (new socket after a timeout): it will
         * resend and get the same receipt from the loader's records. */
        v->unroutable++;
        dcp_debug ("receipt for a collector that left", "unroutable=%lu", v->unroutable);
    }
}

static void
s_set (validator_t *v, const char *name, const char *help, double value)
{
    double *c = dcp_metrics_counter (v->metrics, name, help, NULL);
    if (c)
        *c = value;
}

static int
s_http (const char *path, char **body, size_t *len, const char **type, void *arg)
{
    validator_t *v = arg;
    if (strcmp (path, "/metrics") == 0) {
        s_set (v, "dcp_validator_received_total", "submissions received from collectors",
               (double) v->received);
        s_set (v, "dcp_validator_forwarded_total", "submissions forwarded to loaders",
               (double) v->forwarded);
        s_set (v, "dcp_validator_rejected_total", "submissions that failed validation or authorisation",
               (double) v->rejected);
        s_set (v, "dcp_validator_busy_total", "submissions answered RETRY_LATER: no loader could take them",
               (double) v->busy);
        s_set (v, "dcp_validator_receipts_relayed_total", "receipts relayed to collectors",
               (double) v->relayed);
        s_set (v, "dcp_validator_receipts_unroutable_total",
               "receipts for collectors that had left (they resend)", (double) v->unroutable);
        s_set (v, "dcp_validator_zap_refused_total", "connections refused: unregistered key",
               v->zap ? (double) dcp_zap_refused (v->zap) : 0);
        s_set (v, "dcp_validator_zap_admitted_total", "connections admitted",
               v->zap ? (double) dcp_zap_admitted (v->zap) : 0);
        double *g = dcp_metrics_gauge (v->metrics, "dcp_validator_partners",
                                       "keys in the partner registry", NULL);
        if (g)
            *g = (double) dcp_registry_size (v->registry);
        g = dcp_metrics_gauge (v->metrics, "dcp_validator_loader_ready",
                               "1 if a loader could take a submission at the last look", NULL);
        if (g)
            *g = v->loader_ready;
        *body = dcp_metrics_render (v->metrics, len);
        *type = "text/plain; version=0.0.4; charset=utf-8";
        return *body ? 200 : 503;
    }
    if (strcmp (path, "/healthz") == 0) {
        *body = strdup ("ok\n");
        *len = 3;
        return 200;
    }
    if (strcmp (path, "/readyz") == 0) {
        bool ready = (v->cfg.insecure || v->registry) && v->loader_ready;
        *body = strdup (ready ? "ready\n" : v->loader_ready ? "no partner registry\n"
                                                             : "no loader connected\n");
        *len = *body ? strlen (*body) : 0;
        return ready ? 200 : 503;
    }
    return 404;
}

static int
s_load_registry (validator_t *v)
{
    char err[512];
    dcp_registry_t *reg = dcp_registry_load (v->cfg.partners, err, sizeof err);
    if (!reg) {
        dcp_error ("could not load partner registry", "reason=%s",
                   dcp_log_quote ((char[600]) {0}, 600, err));
        return DCP_ECONFIG;
    }
    dcp_registry_destroy (&v->registry);
    v->registry = reg;
    if (v->zap)
        dcp_zap_set_registry (v->zap, reg);
    dcp_info ("loaded partner registry", "partners=%zu", dcp_registry_size (reg));
    return 0;
}

static int
s_setup (validator_t *v)
{
    char err[512];
    dcp_wire_opts_t wo = {(int) v->cfg.hwm, v->cfg.max_message, (int) v->cfg.heartbeat_ms};
    dcp_keypair_t loader_key;
    int one = 1;

    v->ctx = zmq_ctx_new ();
    if (!v->ctx)
        return DCP_EINVAL;
    if (!v->cfg.insecure) {
        if (dcp_keys_load (v->cfg.key_file, &v->keys, err, sizeof err)
            || dcp_keys_load (v->cfg.loader_public_key, &loader_key, err, sizeof err)) {
            dcp_error ("could not load keys", "reason=%s", dcp_log_quote ((char[600]) {0}, 600, err));
            return DCP_ECONFIG;
        }
        if (!v->keys.secret_key[0]) {
            dcp_error ("key file has no secret key", "file=%s", v->cfg.key_file);
            return DCP_ECONFIG;
        }
        v->zap = dcp_zap_new (v->ctx);
        if (!v->zap || s_load_registry (v))
            return DCP_ECONFIG;
    }
    v->metrics = dcp_metrics_new ();
    if (!v->metrics)
        return DCP_ENOMEM;
    v->validate_seconds = dcp_metrics_histogram (v->metrics, "dcp_validator_validate_seconds",
                                                 "time to decode-check and validate one submission",
                                                 dcp_metrics_latency_bounds, dcp_metrics_latency_n);
    if (v->cfg.metrics[0]) {
        v->http = dcp_http_new (v->cfg.metrics, s_http, v);
        if (!v->http) {
            dcp_error ("could not listen for metrics", "address=%s reason=%s", v->cfg.metrics,
                       dcp_log_quote ((char[200]) {0}, 200, strerror (errno)));
            return DCP_ECONFIG;
        }
    }
    v->front = zmq_socket (v->ctx, ZMQ_ROUTER);
    v->back = zmq_socket (v->ctx, ZMQ_DEALER);
    if (!v->front || !v->back
        || dcp_wire_server (v->front, v->cfg.insecure ? NULL : &v->keys, &wo)
        || zmq_setsockopt (v->front, ZMQ_ROUTER_MANDATORY, &one, sizeof one)
        || dcp_wire_client (v->back, v->cfg.insecure ? NULL : &v->keys,
                            v->cfg.insecure ? NULL : loader_key.public_key, &wo)
        || zmq_setsockopt (v->back, ZMQ_IMMEDIATE, &one, sizeof one))
        return DCP_EINVAL;
    if (zmq_bind (v->front, v->cfg.bind) != 0) {
        dcp_error ("could not bind", "endpoint=%s reason=%s", v->cfg.bind,
                   dcp_log_quote ((char[200]) {0}, 200, zmq_strerror (zmq_errno ())));
        return DCP_ECONFIG;
    }
    char list[sizeof v->cfg.loaders], *save = NULL;
    memcpy (list, v->cfg.loaders, sizeof list);
    for (char *ep = strtok_r (list, ", ", &save); ep; ep = strtok_r (NULL, ", ", &save)) {
        if (zmq_connect (v->back, ep) != 0) {
            dcp_error ("could not connect to loader", "endpoint=%s", ep);
            return DCP_ECONFIG;
        }
        dcp_info ("connecting to loader", "endpoint=%s", ep);
    }
    return 0;
}

static void
s_usage (void)
{
    printf ("usage: validator [--config FILE] [--NAME=VALUE ...]\n\n"
            "Receives submissions from collectors, validates them and forwards them to\n"
            "loaders; relays each loader's receipt.  SIGHUP reloads the partner registry;\n"
            "SIGTERM or SIGINT stops it.\n\n");
    dcp_config_help (s_options, "VALIDATOR", stdout);
}

int
main (int argc, char **argv)
{
    validator_t v;
    int first = 0, rc = 1;
    memset (&v, 0, sizeof v);
    int prc = dcp_config_main (s_options, &v.cfg, "validator", "/etc/dcp/validator.conf", argc, argv,
                               &first, s_usage);
    if (prc >= 0)
        return prc;
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
    dcp_rules_defaults (&v.rules);

    dcp_signal_install ();

    if (s_setup (&v))
        goto done;
    if (v.cfg.insecure)
        dcp_warn ("running without CURVE: development only", NULL);
    dcp_info ("validator ready", "bind=%s loaders=%s", v.cfg.bind, v.cfg.loaders);
    dcp_sd_notify ("READY=1");

    while (!dcp_signal_stop) {
        /* Read collectors only while a loader can take a message: with no
         * loader connected (ZMQ_IMMEDIATE) or all queues full, submissions
         * wait in the collectors' outboxes, not in this process. */
        zmq_pollitem_t probe = {v.back, 0, ZMQ_POLLOUT, 0};
        bool can_forward = zmq_poll (&probe, 1, 0) > 0 && (probe.revents & ZMQ_POLLOUT);
        v.loader_ready = can_forward;
        zmq_pollitem_t items[4];
        int n = 0, i_front = -1, i_zap = -1, i_http = -1;
        items[n++] = (zmq_pollitem_t) {v.back, 0, ZMQ_POLLIN, 0};
        if (v.zap) {
            items[n] = (zmq_pollitem_t) {dcp_zap_socket (v.zap), 0, ZMQ_POLLIN, 0};
            i_zap = n++;
        }
        if (can_forward) {
            items[n] = (zmq_pollitem_t) {v.front, 0, ZMQ_POLLIN, 0};
            i_front = n++;
        }
        if (v.http) {
            items[n] = (zmq_pollitem_t) {NULL, dcp_http_fd (v.http), ZMQ_POLLIN, 0};
            i_http = n++;
        }
        if (zmq_poll (items, n, can_forward ? 1000 : 50) < 0 && zmq_errno () != EINTR)
            break;
        if (dcp_signal_reload) {
            dcp_signal_reload = 0;
            if (v.zap)
                s_load_registry (&v);  /* on failure the old registry stays */
        }
        if (i_zap >= 0 && (items[i_zap].revents & ZMQ_POLLIN))
            while (dcp_zap_handle (v.zap) == 0)
                ;
        if (i_http >= 0 && (items[i_http].revents & ZMQ_POLLIN))
            dcp_http_serve (v.http);
        if (items[0].revents & ZMQ_POLLIN) {
            dcp_frames_t in;
            for (int k = 0; k < 256 && dcp_frames_recv (v.back, &in, ZMQ_DONTWAIT) == 0; k++) {
                s_on_receipt (&v, &in);
                dcp_frames_close (&in);
            }
        }
        if (i_front >= 0 && (items[i_front].revents & ZMQ_POLLIN)) {
            dcp_frames_t in;
            for (int k = 0; k < 256 && dcp_frames_recv (v.front, &in, ZMQ_DONTWAIT) == 0; k++) {
                s_on_submission (&v, &in);
                dcp_frames_close (&in);
            }
        }
    }
    rc = 0;
    dcp_sd_notify ("STOPPING=1");
    dcp_info ("validator stopping", "received=%lu forwarded=%lu rejected=%lu busy=%lu relayed=%lu "
              "unroutable=%lu",
              v.received, v.forwarded, v.rejected, v.busy, v.relayed, v.unroutable);
done:
    if (v.front)
        zmq_close (v.front);
    if (v.back)
        zmq_close (v.back);
    dcp_zap_destroy (&v.zap);
    dcp_registry_destroy (&v.registry);
    dcp_http_destroy (&v.http);
    dcp_metrics_destroy (&v.metrics);
    if (v.ctx)
        zmq_ctx_term (v.ctx);

    memset (&v.keys, 0, sizeof v.keys);
    return rc;
}
