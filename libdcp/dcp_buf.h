/* dcp_buf.h: the one growable byte buffer (COPY data, literals, reports,
 * cells being unquoted).
 *
 * Caller-allocated (a struct on the stack or inside another object, as
 * libuv's uv_buf_t), so a hot loop pays no malloc for the handle.  The data
 * is kept NUL-terminated once anything was appended, so text can be used as
 * a C string; binary data may hold NULs.
 *
 * Errors are sticky: the first failure (DCP_ENOMEM, also for a size that
 * would overflow size_t) is kept in ERR, every later append does nothing
 * and returns it.  A caller may check every call, or append a whole row and
 * check ERR once at the end, as the COPY encoder does. */
#ifndef DCP_BUF_H
#define DCP_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "dcp_err.h"

typedef struct {
    char *data; /* NULL until the first byte; owned by the buffer */
    size_t len; /* bytes used, the terminating NUL not counted */
    size_t cap; /* bytes allocated */
    int err;    /* 0, or the first failure (sticky until reset) */
} dcp_buf_t;

/* An initialiser: kept as written, not reformatted. */
/* clang-format off */
#define DCP_BUF_INIT {NULL, 0, 0, 0}
/* clang-format on */

/* Makes B empty without memory. */
void dcp_buf_init (dcp_buf_t *b);

/* Makes room for EXTRA more bytes (and the NUL).  Returns 0 or DCP_ENOMEM. */
int dcp_buf_reserve (dcp_buf_t *b, size_t extra);

/* Appends LEN bytes of DATA.  Returns 0 or the sticky error. */
static inline int dcp_buf_append (dcp_buf_t *b, const void *data, size_t len);

/* Appends one byte.  Returns 0 or the sticky error. */
static inline int dcp_buf_appendc (dcp_buf_t *b, char c);

/* Appends the C string S.  Returns 0 or the sticky error. */
int dcp_buf_appends (dcp_buf_t *b, const char *s);

/* Appends printf-formatted text.  Returns 0 or the sticky error. */
int dcp_buf_printf (dcp_buf_t *b, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));
int dcp_buf_vprintf (dcp_buf_t *b, const char *fmt, va_list ap)
    __attribute__ ((format (printf, 2, 0)));

/* Empties B and forgets an earlier failure; keeps the memory for reuse. */
void dcp_buf_reset (dcp_buf_t *b);

/* Hands the data over to the caller (who frees it; never NULL on success:
 * an empty buffer gives ""), sets *LEN_P, and leaves B empty.  Returns NULL
 * if B holds a failure (B is then freed). */
char *dcp_buf_take (dcp_buf_t *b, size_t *len_p);

/* Frees the memory and makes B empty; B can be used again. */
void dcp_buf_free (dcp_buf_t *b);

/* --- inline fast paths: the COPY encoder appends byte by byte -------------- */

static inline int
dcp_buf_append (dcp_buf_t *b, const void *data, size_t len)
{
    if (b->err || len >= b->cap - b->len) { /* cap - len >= 1 unless empty */
        int rc = dcp_buf_reserve (b, len);
        if (rc)
            return rc;
    }
    if (len)
        memcpy (b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

static inline int
dcp_buf_appendc (dcp_buf_t *b, char c)
{
    if (b->err || b->cap - b->len < 2) {
        int rc = dcp_buf_reserve (b, 1);
        if (rc)
            return rc;
    }
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
    return 0;
}

#endif
