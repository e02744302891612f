/* dcp_stage.c: a server stage's keys, registry, ZAP, metrics and HTTP
 * (see dcp_stage.h). */
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <zmq.h>

#include "dcp_err.h"
#include "dcp_http.h"
#include "dcp_log.h"
#include "dcp_stage.h"
#include "dcp_util.h"

#define S_MAX_SOCKETS 8

struct dcp_stage_t {
    dcp_stage_opts_t opts; /* strings below replace the borrowed ones */
    char key_file[512];
    char registry_file[512];
    char registry_kind[32];
    char registry_count[32];
    void *ctx;
    void *sockets[S_MAX_SOCKETS];
    size_t n_sockets;
    dcp_keypair_t keys;
    dcp_registry_t *registry;
    dcp_zap_t *zap;
    dcp_metrics_t *metrics;
    dcp_http_t *http;
};

static int
s_http (const char *path, char **body, size_t *len, const char **type, void *arg)
{
    dcp_stage_t *self = arg;
    if (strcmp (path, "/metrics") == 0) {
        if (self->opts.on_metrics)
            self->opts.on_metrics (self->metrics, self->opts.arg);
        *body = dcp_metrics_render (self->metrics, len);
        *type = "text/plain; version=0.0.4; charset=utf-8";
        return *body ? 200 : 503;
    }
    if (strcmp (path, "/healthz") == 0) {
        *body = strdup ("ok\n");
        *len = *body ? 3 : 0;
        return 200;
    }
    if (strcmp (path, "/readyz") == 0) {
        const char *why = self->opts.is_ready ? self->opts.is_ready (self->opts.arg) : NULL;
        char line[200];
        snprintf (line, sizeof line, "%s\n", why ? why : "ready");
        *body = strdup (line);
        *len = *body ? strlen (*body) : 0;
        return why ? 503 : 200;
    }
    return 404;
}

/* Formats a log message naming the registry's kind ("partner registry"):
 * the texts stay those the programs logged before they shared this code. */
static const char *s_msg (char *buf, size_t size, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

static const char *
s_msg (char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (buf, size, fmt, ap);
    va_end (ap);
    return buf;
}

/* Reads the key pair and the registry, and starts ZAP with it. */
static int
s_start_auth (dcp_stage_t *self)
{
    char err[512], msg[100];
    if (dcp_keys_load (self->key_file, &self->keys, err, sizeof err)) {
        dcp_error ("could not load keys", "reason=%s", dcp_log_quote ((char[600]){0}, 600, err));
        return DCP_ECONFIG;
    }
    if (!self->keys.secret_key[0]) {
        dcp_error ("key file has no secret key", "file=%s", self->key_file);
        return DCP_ECONFIG;
    }
    self->registry = dcp_registry_load (self->registry_file, err, sizeof err);
    if (!self->registry) {
        dcp_error (s_msg (msg, sizeof msg, "could not load %s registry", self->registry_kind),
                   "reason=%s", dcp_log_quote ((char[600]){0}, 600, err));
        return DCP_ECONFIG;
    }
    dcp_info (s_msg (msg, sizeof msg, "loaded %s registry", self->registry_kind), "%s=%zu",
              self->registry_count, dcp_registry_size (self->registry));
    self->zap = dcp_zap_new (self->ctx);
    if (!self->zap) {
        dcp_error ("could not start the ZAP handler", "reason=%s",
                   dcp_log_quote ((char[200]){0}, 200, zmq_strerror (zmq_errno ())));
        return DCP_ENET;
    }
    dcp_zap_set_registry (self->zap, self->registry);
    return 0;
}

static void
s_copy (char *dst, size_t size, const char *src)
{
    snprintf (dst, size, "%s", src ? src : "");
}

dcp_stage_t *
dcp_stage_new (const dcp_stage_opts_t *opts)
{
    assert (opts);
    dcp_stage_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->opts = *opts;
    s_copy (self->key_file, sizeof self->key_file, opts->key_file);
    s_copy (self->registry_file, sizeof self->registry_file, opts->registry_file);
    s_copy (self->registry_kind, sizeof self->registry_kind, opts->registry_kind);
    s_copy (self->registry_count, sizeof self->registry_count, opts->registry_count);
    self->ctx = zmq_ctx_new ();
    if (!self->ctx)
        goto fail;
    if (!opts->insecure && s_start_auth (self) != 0)
        goto fail;
    self->metrics = dcp_metrics_new ();
    if (!self->metrics)
        goto fail;
    if (opts->metrics_address && opts->metrics_address[0]) {
        self->http = dcp_http_new (opts->metrics_address, s_http, self);
        if (!self->http) {
            dcp_error ("could not listen for metrics", "address=%s reason=%s",
                       opts->metrics_address,
                       dcp_log_quote ((char[200]){0}, 200, strerror (errno)));
            goto fail;
        }
    }
    return self;
fail:
    dcp_stage_destroy (&self);
    return NULL;
}

void
dcp_stage_destroy (dcp_stage_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    dcp_stage_t *self = *self_p;
    for (size_t i = 0; i < self->n_sockets; i++)
        zmq_close (self->sockets[i]);
    dcp_zap_destroy (&self->zap);
    dcp_registry_destroy (&self->registry);
    dcp_http_destroy (&self->http);
    dcp_metrics_destroy (&self->metrics);
    if (self->ctx)
        zmq_ctx_term (self->ctx);
    sodium_memzero (&self->keys, sizeof self->keys);
    free (self);
    *self_p = NULL;
}

void *
dcp_stage_ctx (dcp_stage_t *self)
{
    return self->ctx;
}

const dcp_keypair_t *
dcp_stage_keys (const dcp_stage_t *self)
{
    return self->opts.insecure ? NULL : &self->keys;
}

const dcp_registry_t *
dcp_stage_registry (const dcp_stage_t *self)
{
    return self->registry;
}

dcp_metrics_t *
dcp_stage_metrics (dcp_stage_t *self)
{
    return self->metrics;
}

dcp_zap_t *
dcp_stage_zap (dcp_stage_t *self)
{
    return self->zap;
}

void *
dcp_stage_socket (dcp_stage_t *self, int type)
{
    if (self->n_sockets == S_MAX_SOCKETS) {
        errno = EMFILE;
        return NULL;
    }
    void *sock = zmq_socket (self->ctx, type);
    if (sock)
        self->sockets[self->n_sockets++] = sock;
    return sock;
}

void *
dcp_stage_bind_router (dcp_stage_t *self, const char *endpoint, const dcp_wire_opts_t *opts)
{
    int one = 1;
    void *sock = dcp_stage_socket (self, ZMQ_ROUTER);
    if (!sock || dcp_wire_server (sock, dcp_stage_keys (self), opts) != 0
        || zmq_setsockopt (sock, ZMQ_ROUTER_MANDATORY, &one, sizeof one) != 0) {
        dcp_error ("could not set up socket", "endpoint=%s reason=%s", endpoint,
                   dcp_log_quote ((char[200]){0}, 200, zmq_strerror (zmq_errno ())));
        return NULL;
    }
    if (zmq_bind (sock, endpoint) != 0) {
        dcp_error ("could not bind", "endpoint=%s reason=%s", endpoint,
                   dcp_log_quote ((char[200]){0}, 200, zmq_strerror (zmq_errno ())));
        return NULL;
    }
    return sock;
}

int
dcp_stage_reload (dcp_stage_t *self)
{
    char err[512], msg[100];
    if (self->opts.insecure)
        return 0;
    dcp_registry_t *reg = dcp_registry_load (self->registry_file, err, sizeof err);
    if (!reg) {
        dcp_error (s_msg (msg, sizeof msg, "could not reload %s registry, keeping the old one",
                          self->registry_kind),
                   "reason=%s", dcp_log_quote ((char[600]){0}, 600, err));
        return DCP_ECONFIG;
    }
    dcp_zap_set_registry (self->zap, reg);
    dcp_registry_destroy (&self->registry);
    self->registry = reg;
    dcp_info (s_msg (msg, sizeof msg, "reloaded %s registry", self->registry_kind), "%s=%zu",
              self->registry_count, dcp_registry_size (reg));
    return 0;
}

static int
s_on_zap (dcp_loop_t *loop, void *sock, int fd, void *arg)
{
    dcp_stage_t *self = arg;
    while (dcp_zap_handle (self->zap) == 0)
        ;
    return 0;
}

static int
s_on_http (dcp_loop_t *loop, void *sock, int fd, void *arg)
{
    dcp_stage_t *self = arg;
    dcp_http_serve (self->http);
    return 0;
}

static int
s_on_reload (dcp_loop_t *loop, void *arg)
{
    dcp_stage_reload (arg); /* a broken file keeps the old registry: not fatal */
    return 0;
}

int
dcp_stage_attach (dcp_stage_t *self, dcp_loop_t *loop)
{
    int rc = 0;
    if (self->zap)
        rc = dcp_loop_reader (loop, dcp_zap_socket (self->zap), s_on_zap, self);
    if (rc == 0 && self->http)
        rc = dcp_loop_fd (loop, dcp_http_fd (self->http), s_on_http, self);
    if (rc == 0)
        dcp_loop_on_reload (loop, s_on_reload, self);
    return rc;
}

void
dcp_stage_ready (dcp_stage_t *self)
{
    if (self->opts.insecure)
        dcp_warn ("running without CURVE: development only", NULL);
    dcp_sd_notify ("READY=1");
}

void
dcp_stage_stopping (dcp_stage_t *self)
{
    dcp_sd_notify ("STOPPING=1");
}
