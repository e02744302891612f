/* srcmap.c: JSON pointer -> place in the files (see srcmap.h). */
#define _GNU_SOURCE /* asprintf */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcp_err.h"
#include "dcp_hash.h"
#include "srcmap.h"

typedef struct {
    char *pointer;
    srcmap_pos_t pos;
} s_entry_t;

struct srcmap_t {
    s_entry_t *entries;
    size_t n, cap;
    size_t *slots;  /* open addressing: entry index + 1, 0 = empty */
    size_t n_slots; /* a power of two, at least twice n */
    char **files;   /* files[0] unused: the JSON file */
    size_t n_files;
    char **failed; /* pointers of CSV cells that failed reading */
    size_t n_failed;
};

srcmap_t *
srcmap_new (void)
{
    return calloc (1, sizeof (srcmap_t));
}

void
srcmap_destroy (srcmap_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    srcmap_t *self = *self_p;
    for (size_t i = 0; i < self->n; i++)
        free (self->entries[i].pointer);
    for (size_t i = 0; i < self->n_files; i++)
        free (self->files[i]);
    for (size_t i = 0; i < self->n_failed; i++)
        free (self->failed[i]);
    free (self->failed);
    free (self->entries);
    free (self->slots);
    free (self->files);
    free (self);
    *self_p = NULL;
}

/* The slot of POINTER (LEN bytes): where it is, or the empty one where it
 * would go. */
static size_t
s_slot (const srcmap_t *self, const char *pointer, size_t len)
{
    size_t mask = self->n_slots - 1;
    size_t i = (size_t) dcp_hash_bytes (DCP_HASH_SEED, pointer, len) & mask;
    while (self->slots[i]) {
        const char *p = self->entries[self->slots[i] - 1].pointer;
        if (strlen (p) == len && memcmp (p, pointer, len) == 0)
            break;
        i = (i + 1) & mask;
    }
    return i;
}

static int
s_grow (srcmap_t *self)
{
    if (self->n == self->cap) {
        size_t cap = self->cap ? self->cap * 2 : 64;
        s_entry_t *e = realloc (self->entries, cap * sizeof *e);
        if (!e)
            return DCP_ENOMEM;
        self->entries = e;
        self->cap = cap;
    }
    if ((self->n + 1) * 2 <= self->n_slots)
        return 0;
    size_t n_slots = self->n_slots ? self->n_slots * 2 : 128;
    size_t *slots = calloc (n_slots, sizeof *slots);
    if (!slots)
        return DCP_ENOMEM;
    free (self->slots);
    self->slots = slots;
    self->n_slots = n_slots;
    for (size_t k = 0; k < self->n; k++) {
        const char *p = self->entries[k].pointer;
        self->slots[s_slot (self, p, strlen (p))] = k + 1;
    }
    return 0;
}

/* The number of file FILENAME, recorded if new; 0 for NULL. */
static size_t
s_file (srcmap_t *self, const char *filename)
{
    if (!filename)
        return 0;
    for (size_t i = 1; i < self->n_files; i++)
        if (strcmp (self->files[i], filename) == 0)
            return i;
    char **files = realloc (self->files, (self->n_files + (self->n_files ? 1 : 2)) * sizeof *files);
    if (!files)
        return (size_t) -1;
    self->files = files;
    if (!self->n_files)
        self->files[self->n_files++] = NULL;
    self->files[self->n_files] = strdup (filename);
    return self->files[self->n_files] ? self->n_files++ : (size_t) -1;
}

int
srcmap_add (srcmap_t *self, const char *pointer, const char *filename, int line, int col)
{
    if (s_grow (self))
        return DCP_ENOMEM;
    size_t len = strlen (pointer), slot = s_slot (self, pointer, len);
    if (self->slots[slot])
        return 0; /* the first record wins */
    size_t file = s_file (self, filename);
    char *copy = strdup (pointer);
    if (file == (size_t) -1 || !copy) {
        free (copy);
        return DCP_ENOMEM;
    }
    self->entries[self->n] = (s_entry_t){copy, {file, line, col, self->n}};
    self->slots[slot] = ++self->n;
    return 0;
}

int
srcmap_mark_failed (srcmap_t *self, const char *pointer)
{
    char **failed = realloc (self->failed, (self->n_failed + 1) * sizeof *failed);
    if (!failed)
        return DCP_ENOMEM;
    self->failed = failed;
    self->failed[self->n_failed] = strdup (pointer);
    return self->failed[self->n_failed] ? (self->n_failed++, 0) : DCP_ENOMEM;
}

/* True if PATH is POINTER or inside it. */
static bool
s_inside (const char *path, const char *pointer)
{
    size_t n = strlen (pointer);
    return strncmp (path, pointer, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

const srcmap_pos_t *
srcmap_find (const srcmap_t *self, const char *pointer)
{
    if (!self || !self->n_slots)
        return NULL;
    size_t len = strlen (pointer);
    for (;;) {
        size_t slot = s_slot (self, pointer, len);
        if (self->slots[slot])
            return &self->entries[self->slots[slot] - 1].pos;
        if (len == 0)
            return NULL; /* not even the document ("") was recorded */
        while (len > 0 && pointer[len - 1] != '/')
            len--;
        if (len > 0)
            len--; /* the '/' */
    }
}

const char *
srcmap_file (const srcmap_t *self, size_t file)
{
    return self && file >= 1 && file < self->n_files ? self->files[file] : NULL;
}

/* --- findings ------------------------------------------------------------ */

typedef struct {
    size_t index;
    bool placed;
    srcmap_pos_t pos;
} s_key_t;

/* The place of a finding whose path is "FILE:LINE:COLUMN" (the CSV reader
 * writes them so). */
static bool
s_parse_place (const srcmap_t *map, const char *path, srcmap_pos_t *pos)
{
    for (size_t f = 1; map && f < map->n_files; f++) {
        size_t n = strlen (map->files[f]);
        int line = 0, col = 0;
        if (strncmp (path, map->files[f], n) == 0 && path[n] == ':'
            && sscanf (path + n + 1, "%d:%d", &line, &col) >= 1) {
            *pos = (srcmap_pos_t){f, line, col, 0};
            return true;
        }
    }
    return false;
}

/* Where finding F is: its CSV place, or the place of its pointer. */
static bool
s_place (const srcmap_t *map, const dcp_finding_t *f, srcmap_pos_t *pos)
{
    if (f->path[0] != '/')
        return s_parse_place (map, f->path, pos);
    const srcmap_pos_t *p = srcmap_find (map, f->path);
    if (p)
        *pos = *p;
    return p != NULL;
}

static int
s_key_cmp (const void *a, const void *b)
{
    const s_key_t *x = a, *y = b;
    if (x->placed != y->placed)
        return x->placed ? -1 : 1;
    if (x->placed) {
        if (x->pos.file != y->pos.file)
            return x->pos.file < y->pos.file ? -1 : 1;
        if (x->pos.file == 0 && x->pos.seq != y->pos.seq)
            return x->pos.seq < y->pos.seq ? -1 : 1;
        if (x->pos.line != y->pos.line)
            return x->pos.line < y->pos.line ? -1 : 1;
        if (x->pos.col != y->pos.col)
            return x->pos.col < y->pos.col ? -1 : 1;
    }
    return x->index < y->index ? -1 : x->index > y->index;
}

/* True if rule finding F repeats reading finding R: the same answer, or
 * one inside it (JSON), or the same CSV cell. */
static bool
s_echo (const srcmap_t *map, const dcp_finding_t *r, const s_key_t *rk, const dcp_finding_t *f,
        const s_key_t *fk)
{
    if (r->path[0] == '/')
        return s_inside (f->path, r->path);
    (void) map;
    /* a CSV cell: rows are recorded with column 0, so only a cell matches */
    return rk->placed && fk->placed && rk->pos.file >= 1 && rk->pos.col > 0
           && rk->pos.file == fk->pos.file && rk->pos.line == fk->pos.line
           && rk->pos.col == fk->pos.col;
}

int
srcmap_locate_findings (const srcmap_t *map, dcp_findings_t *findings, size_t first_rule)
{
    size_t n = dcp_findings_count (findings), kept = 0;
    s_key_t *keys = calloc (n + 1, sizeof *keys);
    size_t *order = calloc (n + 1, sizeof *order);
    int rc = DCP_ENOMEM;
    if (!keys || !order)
        goto cleanup;
    for (size_t i = 0; i < n; i++) {
        keys[i].index = i;
        keys[i].placed = s_place (map, dcp_findings_get (findings, i), &keys[i].pos);
    }
    /* echoes out, before any path changes */
    for (size_t i = 0; i < n; i++) {
        const dcp_finding_t *f = dcp_findings_get (findings, i);
        bool echo = false;
        for (size_t k = 0; i >= first_rule && map && k < map->n_failed && !echo; k++)
            echo = s_inside (f->path, map->failed[k]);
        for (size_t r = 0; i >= first_rule && r < first_rule && !echo; r++) {
            const dcp_finding_t *rf = dcp_findings_get (findings, r);
            echo =
                rf->path[0] && s_echo (map, rf, &keys[r], dcp_findings_get (findings, i), &keys[i]);
        }
        if (!echo)
            keys[kept++] = keys[i];
    }
    qsort (keys, kept, sizeof *keys, s_key_cmp);
    for (size_t i = 0; i < kept; i++) {
        const dcp_finding_t *f = dcp_findings_get (findings, keys[i].index);
        const char *file = keys[i].placed ? srcmap_file (map, keys[i].pos.file) : NULL;
        order[i] = keys[i].index;
        if (!file || f->path[0] != '/')
            continue;
        char place[600], note[600];
        if (keys[i].pos.col > 0)
            snprintf (place, sizeof place, "%s:%d:%d", file, keys[i].pos.line, keys[i].pos.col);
        else
            snprintf (place, sizeof place, "%s:%d", file, keys[i].pos.line);
        snprintf (note, sizeof note, " (%s)", f->path);
        if (dcp_findings_relocate (findings, keys[i].index, place, note))
            goto cleanup;
    }
    rc = dcp_findings_rearrange (findings, order, kept);
cleanup:
    free (keys);
    free (order);
    return rc;
}
