/* dcp_metrics.c: Prometheus metrics registry (see dcp_metrics.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcp_buf.h"
#include "dcp_metrics.h"

#define S_MAX_BUCKETS 24

typedef enum { S_COUNTER, S_GAUGE, S_HISTOGRAM } s_kind_t;

struct dcp_histogram_t {
    double bounds[S_MAX_BUCKETS];
    uint64_t counts[S_MAX_BUCKETS + 1]; /* last: +Inf */
    size_t n;
    double sum;
    uint64_t count;
};

typedef struct {
    s_kind_t kind;
    char *name, *help, *labels;
    double value;
    dcp_histogram_t hist;
} s_metric_t;

struct dcp_metrics_t {
    s_metric_t **items; /* pointers, so cells never move */
    size_t count, cap;
};

const double dcp_metrics_latency_bounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                             0.5,   1,      2.5,   5,    10,    30,   60};
const size_t dcp_metrics_latency_n = sizeof dcp_metrics_latency_bounds / sizeof (double);

dcp_metrics_t *
dcp_metrics_new (void)
{
    return calloc (1, sizeof (dcp_metrics_t));
}

void
dcp_metrics_destroy (dcp_metrics_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    dcp_metrics_t *self = *self_p;
    for (size_t i = 0; i < self->count; i++) {
        free (self->items[i]->name);
        free (self->items[i]->help);
        free (self->items[i]->labels);
        free (self->items[i]);
    }
    free (self->items);
    free (self);
    *self_p = NULL;
}

static s_metric_t *
s_get (dcp_metrics_t *self, s_kind_t kind, const char *name, const char *help, const char *labels)
{
    if (!labels)
        labels = "";
    for (size_t i = 0; i < self->count; i++)
        if (strcmp (self->items[i]->name, name) == 0
            && strcmp (self->items[i]->labels, labels) == 0)
            return self->items[i]->kind == kind ? self->items[i] : NULL;
    if (self->count == self->cap) {
        size_t cap = self->cap ? self->cap * 2 : 32;
        s_metric_t **items = realloc (self->items, cap * sizeof *items);
        if (!items)
            return NULL;
        self->items = items;
        self->cap = cap;
    }
    s_metric_t *m = calloc (1, sizeof *m);
    if (!m)
        return NULL;
    m->kind = kind;
    m->name = strdup (name);
    m->help = strdup (help ? help : "");
    m->labels = strdup (labels);
    if (!m->name || !m->help || !m->labels) {
        free (m->name);
        free (m->help);
        free (m->labels);
        free (m);
        return NULL;
    }
    self->items[self->count++] = m;
    return m;
}

double *
dcp_metrics_counter (dcp_metrics_t *self, const char *name, const char *help, const char *labels)
{
    s_metric_t *m = s_get (self, S_COUNTER, name, help, labels);
    return m ? &m->value : NULL;
}

double *
dcp_metrics_gauge (dcp_metrics_t *self, const char *name, const char *help, const char *labels)
{
    s_metric_t *m = s_get (self, S_GAUGE, name, help, labels);
    return m ? &m->value : NULL;
}

dcp_histogram_t *
dcp_metrics_histogram (dcp_metrics_t *self, const char *name, const char *help,
                       const double *bounds, size_t n)
{
    s_metric_t *m = s_get (self, S_HISTOGRAM, name, help, NULL);
    if (!m)
        return NULL;
    if (m->hist.n == 0) {
        m->hist.n = n < S_MAX_BUCKETS ? n : S_MAX_BUCKETS;
        memcpy (m->hist.bounds, bounds, m->hist.n * sizeof *bounds);
    }
    return &m->hist;
}

void
dcp_histogram_observe (dcp_histogram_t *h, double value)
{
    if (!h)
        return;
    size_t i = 0;
    while (i < h->n && value > h->bounds[i])
        i++;
    h->counts[i]++;
    h->sum += value;
    h->count++;
}

void
dcp_metrics_inc (dcp_metrics_t *self, const char *name, const char *help, const char *labels)
{
    double *c = dcp_metrics_counter (self, name, help, labels);
    if (c)
        (*c)++;
}

char *
dcp_metrics_render (const dcp_metrics_t *self, size_t *len_p)
{
    dcp_buf_t f = DCP_BUF_INIT;
    for (size_t i = 0; i < self->count; i++) {
        const s_metric_t *m = self->items[i];
        /* HELP and TYPE once per name (the first series of that name). */
        int first = 1;
        for (size_t j = 0; j < i; j++)
            if (strcmp (self->items[j]->name, m->name) == 0)
                first = 0;
        if (first)
            dcp_buf_printf (&f, "# HELP %s %s\n# TYPE %s %s\n", m->name, m->help, m->name,
                            m->kind == S_COUNTER ? "counter"
                            : m->kind == S_GAUGE ? "gauge"
                                                 : "histogram");
        if (m->kind != S_HISTOGRAM) {
            dcp_buf_printf (&f, "%s%s%s%s %.17g\n", m->name, m->labels[0] ? "{" : "", m->labels,
                            m->labels[0] ? "}" : "", m->value);
            continue;
        }
        uint64_t cum = 0;
        for (size_t b = 0; b < m->hist.n; b++) {
            cum += m->hist.counts[b];
            dcp_buf_printf (&f, "%s_bucket{le=\"%g\"} %llu\n", m->name, m->hist.bounds[b],
                            (unsigned long long) cum);
        }
        cum += m->hist.counts[m->hist.n];
        dcp_buf_printf (&f, "%s_bucket{le=\"+Inf\"} %llu\n%s_sum %.9g\n%s_count %llu\n", m->name,
                        (unsigned long long) cum, m->name, m->hist.sum, m->name,
                        (unsigned long long) m->hist.count);
    }
    return dcp_buf_take (&f, len_p); /* NULL if any append failed */
}
