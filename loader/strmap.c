/* strmap.c: a small hash map from one or two borrowed strings to an index
 * (see strmap.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dcp_err.h"
#include "dcp_hash.h"
#include "strmap.h"

int
strmap_init (strmap_t *m, size_t expected)
{
    m->cap = 16;
    while (m->cap < 2 * expected + 8)
        m->cap *= 2;
    m->slots = calloc (m->cap, sizeof *m->slots);
    return m->slots ? 0 : DCP_ENOMEM;
}

void
strmap_free (strmap_t *m)
{
    free (m->slots);
    m->slots = NULL;
}

static strmap_slot_t *
s_slot (const strmap_t *m, const char *a, const char *b)
{
    size_t i = (size_t) dcp_hash_pair (a, b) & (m->cap - 1);
    for (;; i = (i + 1) & (m->cap - 1)) {
        strmap_slot_t *s = &m->slots[i];
        if (!s->a || (strcmp (s->a, a) == 0 && strcmp (s->b ? s->b : "", b ? b : "") == 0))
            return s;
    }
}

long
strmap_get (const strmap_t *m, const char *a, const char *b)
{
    strmap_slot_t *s = s_slot (m, a, b);
    return s->a ? (long) s->val : -1;
}

/* The map never fills beyond half because it was sized for every key it
 * will get, so the probe always ends. */
void
strmap_put (strmap_t *m, const char *a, const char *b, size_t val)
{
    strmap_slot_t *s = s_slot (m, a, b);
    if (!s->a) {
        s->a = a;
        s->b = b;
        s->val = val;
    }
}
