/* dcp_metrics.h: counters, gauges and histograms in Prometheus text format.
 *
 * Each stage keeps one registry and serves it on /metrics (dcp_http.h).
 * Metrics are created on first use and live as long as the registry; the
 * pointers returned stay valid, so a hot path can keep them.  Not
 * thread-safe: the thread running the stage's event loop owns the registry
 * (the loader's writer threads report their results to that thread, which
 * records the metrics). */
#ifndef DCP_METRICS_H
#define DCP_METRICS_H

#include <stddef.h>
#include <stdint.h>

typedef struct dcp_metrics_t dcp_metrics_t;
typedef struct dcp_histogram_t dcp_histogram_t;

/* NULL if out of memory. */
dcp_metrics_t *dcp_metrics_new (void);
void dcp_metrics_destroy (dcp_metrics_t **self_p);

/* The counter NAME with LABELS (e.g. "reason=\"V-ENV-01\"", or NULL),
 * created at 0 on first use.  NULL only if out of memory. */
double *dcp_metrics_counter (dcp_metrics_t *self, const char *name, const char *help,
                             const char *labels);

/* A gauge, same rules as counters. */
double *dcp_metrics_gauge (dcp_metrics_t *self, const char *name, const char *help,
                           const char *labels);

/* A histogram with the upper bounds BOUNDS[0..N) (ascending; +Inf is
 * implicit).  NULL only if out of memory. */
dcp_histogram_t *dcp_metrics_histogram (dcp_metrics_t *self, const char *name, const char *help,
                                        const double *bounds, size_t n);
void dcp_histogram_observe (dcp_histogram_t *h, double value);

/* Adds 1 to counter NAME{LABELS}; ignores out of memory. */
void dcp_metrics_inc (dcp_metrics_t *self, const char *name, const char *help, const char *labels);

/* Renders everything in the Prometheus text exposition format 0.0.4.
 * Caller frees; NULL if out of memory. */
char *dcp_metrics_render (const dcp_metrics_t *self, size_t *len_p);

/* Latency buckets in seconds used by every stage: 1 ms .. 60 s. */
extern const double dcp_metrics_latency_bounds[];
extern const size_t dcp_metrics_latency_n;

#endif
