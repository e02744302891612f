/* dcp_findings.c: growable list of findings (see dcp_findings.h). */
#define _GNU_SOURCE /* vasprintf */
#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcp_err.h"
#include "dcp_findings.h"
#include "dcp_i18n.h"

struct dcp_findings_t {
    dcp_finding_t *items;
    size_t count, cap;
    size_t dropped; /* findings past DCP_FINDINGS_MAX */
};

dcp_findings_t *
dcp_findings_new (void)
{
    return calloc (1, sizeof (dcp_findings_t));
}

void
dcp_findings_destroy (dcp_findings_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    dcp_findings_t *self = *self_p;
    for (size_t i = 0; i < self->count; i++) {
        free (self->items[i].rule);
        free (self->items[i].path);
        free (self->items[i].message);
    }
    free (self->items);
    free (self);
    *self_p = NULL;
}

static int
s_push (dcp_findings_t *self, const char *rule, dcp_severity_t severity, const char *path,
        char *message)
{
    if (self->count == self->cap) {
        size_t cap = self->cap ? self->cap * 2 : 16;
        dcp_finding_t *items = realloc (self->items, cap * sizeof *items);
        if (!items)
            goto fail;
        self->items = items;
        self->cap = cap;
    }
    dcp_finding_t *f = &self->items[self->count];
    f->rule = strdup (rule);
    f->path = strdup (path ? path : "");
    f->severity = severity;
    f->message = message;
    if (!f->rule || !f->path) {
        free (f->rule);
        free (f->path);
        goto fail;
    }
    self->count++;
    return 0;
fail:
    free (message);
    return DCP_ENOMEM;
}

int
dcp_findings_add (dcp_findings_t *self, const char *rule, dcp_severity_t severity, const char *path,
                  const char *fmt, ...)
{
    if (self->count >= DCP_FINDINGS_MAX) {
        self->dropped++;
        if (self->count > DCP_FINDINGS_MAX)
            return 0;
        /* Keep one marker so the reader knows the list was cut; it is an
         * error so that a submission with thousands of problems is never
         * accepted because its last errors were not stored. */
        char *m = strdup (
            _ ("too many problems: only the first ones are listed; fix them and check again"));
        return m ? s_push (self, "TOO-MANY-PROBLEMS", DCP_SEV_ERROR, "", m) : DCP_ENOMEM;
    }
    va_list ap;
    va_start (ap, fmt);
    char *message = NULL;
    int n = vasprintf (&message, dcp_i18n_text (fmt), ap);
    va_end (ap);
    if (n < 0)
        return DCP_ENOMEM;
    return s_push (self, rule, severity, path, message);
}

size_t
dcp_findings_count (const dcp_findings_t *self)
{
    return self->count;
}

const dcp_finding_t *
dcp_findings_get (const dcp_findings_t *self, size_t i)
{
    return i < self->count ? &self->items[i] : NULL;
}

size_t
dcp_findings_errors (const dcp_findings_t *self)
{
    size_t n = 0;
    for (size_t i = 0; i < self->count; i++)
        n += self->items[i].severity == DCP_SEV_ERROR;
    return n;
}

bool
dcp_findings_has (const dcp_findings_t *self, const char *rule, const char *path)
{
    for (size_t i = 0; i < self->count; i++)
        if (strcmp (self->items[i].rule, rule) == 0
            && (!path || strcmp (self->items[i].path, path) == 0))
            return true;
    return false;
}

int
dcp_findings_to_problems (const dcp_findings_t *self, Dcp__V1__Problem ***problems_p, size_t *n_p)
{
    *problems_p = NULL;
    *n_p = 0;
    if (self->count == 0)
        return 0;
    Dcp__V1__Problem **arr = calloc (self->count, sizeof *arr);
    Dcp__V1__Problem *cells = calloc (self->count, sizeof *cells);
    if (!arr || !cells) {
        free (arr);
        free (cells);
        return DCP_ENOMEM;
    }
    for (size_t i = 0; i < self->count; i++) {
        dcp__v1__problem__init (&cells[i]);
        cells[i].code = self->items[i].rule;
        cells[i].path = self->items[i].path;
        cells[i].message = self->items[i].message;
        cells[i].severity = (Dcp__V1__Severity) self->items[i].severity;
        arr[i] = &cells[i];
    }
    *problems_p = arr;
    *n_p = self->count;
    return 0;
}

void
dcp_findings_free_problems (Dcp__V1__Problem **problems, size_t n)
{
    if (problems && n)
        free (problems[0]); /* cells were allocated as one block */
    free (problems);
}

int
dcp_findings_from_problems (dcp_findings_t *self, Dcp__V1__Problem *const *problems, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const Dcp__V1__Problem *p = problems[i];
        dcp_severity_t sev =
            p->severity >= 1 && p->severity <= 3 ? (dcp_severity_t) p->severity : DCP_SEV_ERROR;
        int rc = dcp_findings_add (self, p->code ? p->code : "", sev, p->path, "%s",
                                   p->message ? p->message : "");
        if (rc)
            return rc;
    }
    return 0;
}

const char *
dcp_severity_name (dcp_severity_t severity)
{
    switch (severity) {
    case DCP_SEV_ERROR: return "error";
    case DCP_SEV_WARNING: return "warning";
    case DCP_SEV_INFO: return "info";
    }
    return "unknown";
}

int
dcp_findings_rearrange (dcp_findings_t *self, const size_t *order, size_t n)
{
    assert (n <= self->count);
    dcp_finding_t *items = malloc ((self->cap ? self->cap : 1) * sizeof *items);
    bool *kept = calloc (self->count + 1, sizeof *kept);
    if (!items || !kept) {
        free (items);
        free (kept);
        return DCP_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        assert (order[i] < self->count && !kept[order[i]]);
        items[i] = self->items[order[i]];
        kept[order[i]] = true;
    }
    for (size_t i = 0; i < self->count; i++)
        if (!kept[i]) {
            free (self->items[i].rule);
            free (self->items[i].path);
            free (self->items[i].message);
        }
    free (self->items);
    free (kept);
    self->items = items;
    self->count = n;
    return 0;
}

int
dcp_findings_relocate (dcp_findings_t *self, size_t i, const char *path, const char *note)
{
    assert (i < self->count);
    dcp_finding_t *f = &self->items[i];
    char *p = strdup (path);
    char *m = NULL;
    if (!p || asprintf (&m, "%s%s", f->message, note ? note : "") < 0) {
        free (p);
        return DCP_ENOMEM;
    }
    free (f->path);
    free (f->message);
    f->path = p;
    f->message = m;
    return 0;
}
