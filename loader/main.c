/* loader: writes forwarded submissions into PostgreSQL and answers each with
 * a receipt, only after the transaction that stored it has committed.
 *
 * This file is the configuration, the start-up (dcp_stage: keys, validator
 * registry, ZAP, metrics, HTTP, SIGHUP) and the event loop (dcp_loop).  The
 * loop's thread owns the sockets and decodes each arriving submission into
 * the filling batch of its writer (sink.c); writer threads, each with its
 * own database connection, write the batches before meanwhile, with group
 * commit, and keep a series' revisions in the order they were sent
 * (writers.c).
 *
 * The loader is ready (log line "loader ready", /readyz 200, systemd
 * READY=1) only once every writer has connected and the schema is migrated.
 * While the database is away the loader keeps its batches, stops reading
 * (so validators and collectors hold their data), reconnects with backoff
 * and never exits; nothing is acknowledged that is not committed.  A
 * database that refuses it (no such role, bad password, no such database,
 * pg_hba.conf) is not a reason to exit either: a restart would not fix it,
 * and exiting would only trade the server's message in /readyz and the log
 * for a restart loop.  It is logged as an error (again when it changes, or
 * once a minute) and tried again, up to reconnect_refused_max_ms apart, so
 * the loader carries on by itself once an operator has fixed it.  A
 * connection string with several hosts follows a failover: writers
 * reconnect to whichever is read-write (deploy/README.md).
 * `loader migrate` applies the schema and exits. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcp_config.h"
#include "dcp_err.h"
#include "dcp_log.h"
#include "dcp_loop.h"
#include "dcp_refdata.h"
#include "dcp_signal.h"
#include "dcp_stage.h"
#include "pgconn.h"
#include "sink.h"
#include "writers.h"

typedef struct {
    char bind[256];
    char database[1024];
    char key_file[512];
    char validators[512];
    bool insecure;
    bool migrate;
    long writers;
    long batch_max_items;
    long batch_max_bytes;
    long flush_ms;
    long max_message;
    long hwm;
    long heartbeat_ms;
    long reconnect_max_ms;
    long reconnect_refused_max_ms;
    long db_ping_ms;
    long revision_change_pct;
    char log_level[16];
    char metrics[64];
} loader_cfg_t;

#define OPT(...) DCP_CFG_OPT (loader_cfg_t, __VA_ARGS__)
static const dcp_cfg_option_t s_options[] = {
    OPT ("bind", DCP_CFG_STR, "tcp://127.0.0.1:7602", bind, "endpoint validators connect to"),
    OPT ("database", DCP_CFG_STR, "dbname=dcp", database,
         "libpq connection string; several hosts with target_session_attrs=read-write follow a "
         "failover; put passwords in a passfile, never here"),
    OPT ("key_file", DCP_CFG_STR, "/etc/dcp/loader.key", key_file, "this loader's CURVE key pair"),
    OPT ("validators", DCP_CFG_STR, "/etc/dcp/validators.txt", validators,
         "registry of validator public keys allowed to connect: <key> - <name>"),
    OPT ("insecure", DCP_CFG_BOOL, "false", insecure, "development only: plain TCP, no CURVE"),
    OPT ("migrate", DCP_CFG_BOOL, "true", migrate, "apply pending schema migrations at start"),
    /* 2: while one connection waits for its COMMIT or for the next batch,
     * the other loads (tests/bench). */
    OPT ("writers", DCP_CFG_INT, "2", writers,
         "database connections writing in parallel, each for its share of the series (1-8)"),
    OPT ("batch_max_items", DCP_CFG_INT, "500", batch_max_items,
         "submissions per transaction at most, per writer"),
    OPT ("batch_max_bytes", DCP_CFG_INT, "8388608", batch_max_bytes,
         "bytes of submissions per transaction at most"),
    /* 0: commit as soon as nothing more is waiting.  Batches still grow
     * with the load, because what arrives during one commit forms the next
     * batch; waiting only delayed every receipt on a quiet pipeline
     * (tests/bench: p50 9 ms -> 3.4 ms, same throughput). */
    OPT ("flush_ms", DCP_CFG_INT, "0", flush_ms,
         "commit a partial batch this long after its first submission (0 = once nothing more is "
         "waiting)"),
    OPT ("max_message", DCP_CFG_INT, "33554432", max_message, "largest message accepted, bytes"),
    OPT ("hwm", DCP_CFG_INT, "1000", hwm, "queue bound per peer, messages"),
    OPT ("heartbeat_ms", DCP_CFG_INT, "5000", heartbeat_ms, "ZMTP heartbeat interval"),
    OPT ("reconnect_max_ms", DCP_CFG_INT, "5000", reconnect_max_ms,
         "longest wait between database reconnection attempts"),
    /* A refusal (no such role, bad password, pg_hba.conf) lasts until an
     * operator acts: keep trying, so the loader needs no restart once it is
     * fixed, but not so often that the server's log fills with it. */
    OPT ("reconnect_refused_max_ms", DCP_CFG_INT, "60000", reconnect_refused_max_ms,
         "longest wait between attempts while the database refuses the loader (role, password, "
         "database, pg_hba.conf)"),
    OPT ("db_ping_ms", DCP_CFG_INT, "5000", db_ping_ms,
         "check an idle database connection this often, so /readyz tells the truth (0 = never)"),
    OPT (
        "revision_change_pct", DCP_CFG_INT, "25", revision_change_pct,
        "rule V-X-03: warn when a revision moves a key figure by more than this % (never rejects)"),
    OPT ("log_level", DCP_CFG_STR, "info", log_level, "debug, info, warn or error"),
    OPT ("metrics", DCP_CFG_STR, "127.0.0.1:9102", metrics,
         "address of the HTTP endpoint for /metrics, /healthz, /readyz (empty = off)"),
    {NULL, 0, NULL, 0, 0, NULL},
};

static void
s_usage (void)
{
    printf ("usage: loader [--config FILE] [--NAME=VALUE ...] [run | migrate]\n\n"
            "run (default): store submissions from validators in PostgreSQL.\n"
            "migrate: apply pending schema migrations and reference data, then exit.\n"
            "SIGTERM or SIGINT stops it after committing the batch in hand.\n\n");
    dcp_config_help (s_options, "LOADER", stdout);
}

/* What the option table cannot say; at start and for --check-config. */
static int
s_check_config (const void *target, char *err, size_t errlen)
{
    const loader_cfg_t *c = target;
    char why[256];
    if (c->writers < 1 || c->writers > WRITERS_MAX) {
        snprintf (err, errlen, "writers must be 1 to %d (got %ld)", WRITERS_MAX, c->writers);
        return DCP_ECONFIG;
    }
    if (pgconn_check (c->database, why, sizeof why) != 0) {
        snprintf (err, errlen, "key \"database\": not a libpq connection string: %s", why);
        return DCP_ECONFIG;
    }
    return 0;
}

typedef struct {
    loader_cfg_t cfg;
    bool ready; /* "loader ready" was said */
    dcp_stage_t *stage;
    dcp_loop_t *loop;
    void *sock; /* ROUTER, validators; the stage's */
    sink_t *sink;
    writers_t *writers;
} loader_t;

static void
s_on_metrics (dcp_metrics_t *metrics, void *arg)
{
    loader_t *l = arg;
    writers_stats_t st;
    writers_stats (l->writers, &st);
    sink_metrics_update (l->sink, &st, writers_connected (l->writers), metrics);
}

/* Ready once every writer is connected and the schema migrated; until
 * then /readyz says why not, in the server's words when it refused. */
static const char *
s_is_ready (void *arg)
{
    loader_t *l = arg;
    if (!l->writers || !l->sink)
        return "starting";
    return writers_connected (l->writers) && sink_migrated (l->sink) ? NULL
                                                                     : sink_db_status (l->sink);
}

/* The first time the loader is ready: say so, to the log and to systemd
 * (Type=notify: dependent units start only now; see dcp-loader.service for
 * why it has no start timeout). */
static void
s_announce_ready (loader_t *l)
{
    if (l->ready || s_is_ready (l))
        return;
    l->ready = true;
    dcp_stage_ready (l->stage);
    dcp_info ("loader ready", "bind=%s writers=%d", l->cfg.bind, (int) l->cfg.writers);
}

/* Validators have messages: read them while every writer has room and a
 * database (a submission's writer is known only once it is read, hence
 * "every"); otherwise they wait in ZeroMQ's queues (backpressure). */
static int
s_on_validators (dcp_loop_t *loop, void *sock, int fd, void *arg)
{
    loader_t *l = arg;
    dcp_frames_t frames;
    while (writers_can_take (l->writers)) {
        memset (&frames, 0, sizeof frames);
        if (dcp_frames_recv (sock, &frames, ZMQ_DONTWAIT) != 0)
            break;
        /* A message not taken is logged and never acknowledged. */
        sink_take (l->sink, l->writers, &frames);
        /* Writers that finished meanwhile get their next batch now rather
         * than after the socket is drained. */
        writers_run (l->writers);
    }
    return 0;
}

/* A writer finished a write. */
static int
s_on_writer (dcp_loop_t *loop, void *sock, int fd, void *arg)
{
    writers_run (((loader_t *) arg)->writers);
    return 0;
}

/* Before each poll: hand over due batches, (re)connect, ping; read
 * validators only when the writers can take more; and poll no longer than
 * until the writers next have something due (a flush, a retry, a connection
 * attempt; a finished write wakes the loop through its pipe). */
static int
s_prepare (dcp_loop_t *loop, void *arg)
{
    loader_t *l = arg;
    writers_run (l->writers);
    s_announce_ready (l);
    dcp_loop_reader_pause (loop, l->sock, !writers_can_take (l->writers));
    long wait_ms = writers_next_ms (l->writers, 1000);
    dcp_loop_prepare (loop, s_prepare, l, wait_ms > 0 ? wait_ms : 1);
    return 0;
}

/* The stage, the validators' socket, the sink, the writers and the loop. */
static int
s_setup (loader_t *l)
{
    const loader_cfg_t *c = &l->cfg;
    dcp_stage_opts_t so = {c->insecure,  c->key_file,  c->validators,
                           "validator",  "validators", c->metrics,
                           s_on_metrics, s_is_ready,   l};
    dcp_wire_opts_t wo = {(int) c->hwm, c->max_message, (int) c->heartbeat_ms};
    l->stage = dcp_stage_new (&so);
    l->sock = l->stage ? dcp_stage_bind_router (l->stage, c->bind, &wo) : NULL;
    if (!l->sock)
        return DCP_ECONFIG;
    sink_cfg_t sc = {c->database,
                     c->migrate,
                     (size_t) c->batch_max_items,
                     (size_t) c->max_message,
                     l->sock,
                     (int) c->revision_change_pct};
    writers_cfg_t wc = {(int) c->writers,
                        (size_t) c->batch_max_items,
                        (size_t) c->batch_max_bytes,
                        c->flush_ms,
                        c->reconnect_max_ms,
                        c->db_ping_ms,
                        c->reconnect_refused_max_ms};
    l->sink = sink_new (&sc, dcp_stage_metrics (l->stage));
    l->writers = l->sink ? writers_new (&wc, &sink_store, l->sink) : NULL;
    l->loop = dcp_loop_new ();
    if (!l->writers || !l->loop)
        return DCP_ENOMEM;
    int rc = dcp_stage_attach (l->stage, l->loop);
    if (!rc)
        rc = dcp_loop_fd (l->loop, writers_wake_fd (l->writers), s_on_writer, l);
    if (!rc)
        rc = dcp_loop_reader (l->loop, l->sock, s_on_validators, l);
    dcp_loop_prepare (l->loop, s_prepare, l, 1000);
    return rc;
}

/* Stops intake and commits what is in hand if the database is there.
 * Anything not committed is simply not acknowledged: collectors resend. */
static void
s_stop (loader_t *l)
{
    dcp_stage_stopping (l->stage);
    writers_drain (l->writers);
    writers_stats_t st;
    writers_stats (l->writers, &st);
    sink_counts_t n = sink_counts (l->sink);
    dcp_info ("loader stopping",
              "received=%lu accepted=%lu rejected=%lu conflicts=%lu "
              "replayed=%lu batches=%lu unacknowledged=%zu",
              n.received, n.accepted, n.rejected, n.conflicts, n.replayed, st.batches,
              st.in_flight);
}

int
main (int argc, char **argv)
{
    loader_t l = {.stage = NULL};
    int first = 0, rc = 1;
    int prc = dcp_config_main_checked (s_options, &l.cfg, "loader", "/etc/dcp/loader.conf", argc,
                                       argv, &first, s_usage, s_check_config);
    if (prc >= 0)
        return prc;
    dcp_config_log (s_options, &l.cfg);
    if (first < argc && strcmp (argv[first], "migrate") == 0)
        return sink_migrate_only (l.cfg.database) ? 1 : 0;
    if (first < argc && strcmp (argv[first], "run") != 0) {
        fprintf (stderr, "loader: unknown command \"%s\" (run or migrate)\n", argv[first]);
        return 2;
    }
    if (l.cfg.batch_max_items < 1)
        l.cfg.batch_max_items = 1;
    if (dcp_signal_install () != 0) {
        dcp_error ("could not install signal handlers", "reason=%s",
                   dcp_log_quote ((char[200]){0}, 200, strerror (errno)));
        return 1;
    }
    /* The reference tables are loaded once, before any writer exists, so
     * every thread only ever reads them. */
    if (dcp_refdata_load () != 0 || s_setup (&l))
        goto done;
    dcp_info ("loader started, connecting to database", "bind=%s writers=%d", l.cfg.bind,
              (int) l.cfg.writers);
    rc = dcp_loop_run (l.loop);
    if (rc != 0)
        dcp_error ("event loop failed", "error=%s reason=%s",
                   dcp_log_quote ((char[100]){0}, 100, dcp_strerror (rc)),
                   dcp_log_quote ((char[200]){0}, 200, zmq_strerror (zmq_errno ())));
    rc = rc ? 1 : 0;
    s_stop (&l);
done:
    writers_destroy (&l.writers);
    sink_destroy (&l.sink);
    dcp_loop_destroy (&l.loop);
    dcp_stage_destroy (&l.stage); /* closes the validators' socket */
    return rc;
}
