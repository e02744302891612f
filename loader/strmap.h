/* strmap.h: a small open-addressing hash map from one or two borrowed
 * strings to an index.
 *
 * The store looks up, per batch, which ids and series it has seen; the map
 * is sized once for every key it will get (it never grows) and borrows the
 * keys, which must outlive it. */
#ifndef STRMAP_H
#define STRMAP_H

#include <stddef.h>

typedef struct {
    const char *a, *b;
    size_t val;
} strmap_slot_t;

typedef struct {
    strmap_slot_t *slots;
    size_t cap;
} strmap_t;

/* Sizes M for up to EXPECTED keys.  Returns 0 or DCP_ENOMEM. */
int strmap_init (strmap_t *m, size_t expected);
/* Frees the slots (not the keys); M may be initialised again. */
void strmap_free (strmap_t *m);
/* Index stored for (A, B) (B may be NULL, the same as ""), or -1. */
long strmap_get (const strmap_t *m, const char *a, const char *b);
/* Stores (A, B) -> VAL unless present (the first value stays).  At most
 * the EXPECTED of strmap_init() keys may be put. */
void strmap_put (strmap_t *m, const char *a, const char *b, size_t val);

#endif
