/* sink.h: what the loader's writers write, and how: forwarded submissions
 * stored in PostgreSQL, each answered with a receipt once committed.
 *
 * The writers (writers.h) know neither PostgreSQL nor the messages; this
 * module is their store: it opens a writer's connection (settings, the
 * schema migrated once), keeps a store batch (store.h) together with the
 * messages its items borrow from, writes it, and after the COMMIT sends
 * each item's receipt to the validator that forwarded it.  Connections are
 * opened by pgconn.h; a failure to connect is logged once per change (or
 * per minute) and kept for /readyz.  It also turns a
 * message from a validator into an item and picks its series.
 *
 * Threads: as writers.h; the counters and the socket belong to the loop's
 * thread. */
#ifndef SINK_H
#define SINK_H

#include <stdbool.h>
#include <stddef.h>

#include "dcp_frame.h"
#include "dcp_metrics.h"
#include "writers.h"

typedef struct {
    const char *database;    /* libpq connection string (borrowed) */
    bool migrate;            /* apply pending migrations on first connect */
    size_t batch_max_items;  /* as given to the writers */
    size_t max_message;      /* largest submission decoded, bytes */
    void *sock;              /* ROUTER the receipts go out on (borrowed) */
    int revision_change_pct; /* V-X-03 threshold (store.h) */
} sink_cfg_t;

typedef struct {
    unsigned long received, accepted, rejected, conflicts, replayed;
} sink_counts_t;

typedef struct sink_t sink_t;

/* The store functions the writers call, with a sink_t as their ARG. */
extern const writers_store_t sink_store;

/* A sink for CFG (copied; its strings and socket stay borrowed) whose
 * histograms are registered in METRICS (borrowed).  NULL if out of memory. */
sink_t *sink_new (const sink_cfg_t *cfg, dcp_metrics_t *metrics);

/* Frees the sink; nulls *SELF_P.  Idempotent. */
void sink_destroy (sink_t **self_p);

/* Takes the message in FRAMES, received from a validator, into its
 * writer's batch (FRAMES is left empty either way).  Returns 0, or, with
 * the reason logged: DCP_EPROTO for a malformed message (dropped), or the
 * code of writers_submit() when it could not be added (not acknowledged:
 * the collector sends it again). */
int sink_take (sink_t *self, writers_t *writers, dcp_frames_t *frames);

/* True once the schema was migrated (or migrate is off) on a connection. */
bool sink_migrated (const sink_t *self);

/* Why the database is not usable yet, as one line for /readyz:
 * "database: connecting", "database: <the server's message>", "database:
 * schema migration failed (see the log)".  Borrowed; changes when a writer
 * connects or pings (the loop's thread).  Meaningful only while the
 * writers are not all connected or the schema is not migrated. */
const char *sink_db_status (const sink_t *self);

/* Counters since sink_new(). */
sink_counts_t sink_counts (const sink_t *self);

/* Sets the loader's counters and gauges in METRICS from the sink and the
 * writers' STATS, before /metrics renders them. */
void sink_metrics_update (const sink_t *self, const writers_stats_t *stats, bool connected,
                          dcp_metrics_t *metrics);

/* `loader migrate`: applies pending migrations to DATABASE and prints the
 * schema's migration number.  Returns 0, DCP_EDB_RETRY when it cannot
 * connect, or the code of migrate_run(). */
int sink_migrate_only (const char *database);

#endif
