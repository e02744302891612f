/* dcp_buf.c: growable byte buffer (see dcp_buf.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "dcp_buf.h"

#define S_FIRST_CAP 256 /* small enough for a cell, doubled from there */

void
dcp_buf_init (dcp_buf_t *b)
{
    memset (b, 0, sizeof *b);
}

int
dcp_buf_reserve (dcp_buf_t *b, size_t extra)
{
    if (b->err)
        return b->err;
    /* Written out so that no sum can wrap: len + extra + 1 <= SIZE_MAX. */
    if (extra > SIZE_MAX - 1 - b->len)
        return b->err = DCP_ENOMEM;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : S_FIRST_CAP;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *grown = realloc (b->data, cap);
    if (!grown)
        return b->err = DCP_ENOMEM;
    b->data = grown;
    b->cap = cap;
    return 0;
}

int
dcp_buf_appends (dcp_buf_t *b, const char *s)
{
    return dcp_buf_append (b, s, strlen (s));
}

int
dcp_buf_vprintf (dcp_buf_t *b, const char *fmt, va_list ap)
{
    if (b->err)
        return b->err;
    va_list again;
    va_copy (again, ap);
    /* Try in the room there is; grow and format again only if it was short. */
    size_t room = b->cap > b->len ? b->cap - b->len : 0;
    int n = vsnprintf (room ? b->data + b->len : NULL, room, fmt, ap);
    int rc = 0;
    if (n < 0)
        rc = b->err = DCP_EINVAL; /* an encoding error in a wide argument */
    else if ((size_t) n >= room) {
        rc = dcp_buf_reserve (b, (size_t) n);
        if (rc == 0)
            vsnprintf (b->data + b->len, (size_t) n + 1, fmt, again);
    }
    va_end (again);
    if (rc) {
        if (b->data)
            b->data[b->len] = '\0'; /* undo a cut-off attempt */
        return rc;
    }
    b->len += (size_t) n;
    return 0;
}

int
dcp_buf_printf (dcp_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    int rc = dcp_buf_vprintf (b, fmt, ap);
    va_end (ap);
    return rc;
}

void
dcp_buf_reset (dcp_buf_t *b)
{
    b->len = 0;
    b->err = 0;
    if (b->data)
        b->data[0] = '\0';
}

char *
dcp_buf_take (dcp_buf_t *b, size_t *len_p)
{
    if (b->err) {
        dcp_buf_free (b);
        return NULL;
    }
    if (!b->data && dcp_buf_reserve (b, 0) == 0)
        b->data[0] = '\0';
    char *data = b->data;
    if (len_p)
        *len_p = data ? b->len : 0;
    if (!data)
        dcp_buf_free (b); /* could not even allocate "" */
    else
        dcp_buf_init (b);
    return data;
}

void
dcp_buf_free (dcp_buf_t *b)
{
    free (b->data);
    dcp_buf_init (b);
}
