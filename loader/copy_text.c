/* copy_text.c: the text format of PostgreSQL's COPY (see copy_text.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "copy_text.h"

void
copy_text_null (dcp_buf_t *b)
{
    dcp_buf_append (b, "\\N\t", 3);
}

/* Escapes backslash, tab, newline and carriage return as COPY text wants. */
static void
s_escaped (dcp_buf_t *b, const char *s)
{
    size_t n = strlen (s);
    if (dcp_buf_reserve (b, 2 * n + 1))
        return;
    char *out = b->data + b->len;
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '\\':
            *out++ = '\\';
            *out++ = '\\';
            break;
        case '\t':
            *out++ = '\\';
            *out++ = 't';
            break;
        case '\n':
            *out++ = '\\';
            *out++ = 'n';
            break;
        case '\r':
            *out++ = '\\';
            *out++ = 'r';
            break;
        default: *out++ = *p; break;
        }
    }
    *out++ = '\t';
    b->len = (size_t) (out - b->data);
    b->data[b->len] = '\0';
}

void
copy_text_text (dcp_buf_t *b, const char *s)
{
    if (!s || !*s)
        copy_text_null (b);
    else
        s_escaped (b, s);
}

void
copy_text_text_or_empty (dcp_buf_t *b, const char *s)
{
    s_escaped (b, s ? s : "");
}

void
copy_text_int (dcp_buf_t *b, long long v)
{
    char tmp[32];
    int n = snprintf (tmp, sizeof tmp, "%lld\t", v);
    dcp_buf_append (b, tmp, (size_t) n);
}

void
copy_text_bool (dcp_buf_t *b, bool v)
{
    dcp_buf_append (b, v ? "t\t" : "f\t", 2);
}

/* bytea in COPY text: "\\x" and hex (the backslash itself escaped). */
void
copy_text_bytea (dcp_buf_t *b, const uint8_t *data, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    if (dcp_buf_reserve (b, 2 * len + 4))
        return;
    char *out = b->data + b->len;
    *out++ = '\\';
    *out++ = '\\';
    *out++ = 'x';
    for (size_t i = 0; i < len; i++) {
        *out++ = hex[data[i] >> 4];
        *out++ = hex[data[i] & 15];
    }
    *out++ = '\t';
    b->len = (size_t) (out - b->data);
    b->data[b->len] = '\0';
}

void
copy_text_bytea_hex (dcp_buf_t *b, const char *hex, size_t len)
{
    dcp_buf_append (b, "\\\\x", 3);
    dcp_buf_append (b, hex, len);
    dcp_buf_appendc (b, '\t');
}

void
copy_text_array_literal (dcp_buf_t *lit, const char *const *values, size_t n)
{
    dcp_buf_appendc (lit, '{');
    for (size_t i = 0; i < n; i++) {
        if (i)
            dcp_buf_appendc (lit, ',');
        dcp_buf_appendc (lit, '"');
        for (const char *p = values[i] ? values[i] : ""; *p; p++) {
            if (*p == '"' || *p == '\\')
                dcp_buf_appendc (lit, '\\');
            dcp_buf_appendc (lit, *p);
        }
        dcp_buf_appendc (lit, '"');
    }
    dcp_buf_appendc (lit, '}');
}

void
copy_text_array (dcp_buf_t *b, char *const *values, size_t n)
{
    if (n == 0) {
        copy_text_null (b);
        return;
    }
    dcp_buf_t lit = {0};
    copy_text_array_literal (&lit, (const char *const *) values, n);
    if (lit.err)
        b->err = DCP_ENOMEM;
    else
        s_escaped (b, lit.data);
    dcp_buf_free (&lit);
}

void
copy_text_row_end (dcp_buf_t *b)
{
    if (!b->err && b->len && b->data[b->len - 1] == '\t')
        b->data[b->len - 1] = '\n';
}
