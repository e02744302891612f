/* copy_text.c: the text format of PostgreSQL's COPY (see copy_text.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "copy_text.h"

void
copy_buf_reserve (copy_buf_t *b, size_t extra)
{
    if (b->oom || b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *grown = realloc (b->data, cap);
    if (!grown) {
        b->oom = true;
        return;
    }
    b->data = grown;
    b->cap = cap;
}

void
copy_buf_add (copy_buf_t *b, const char *s, size_t n)
{
    copy_buf_reserve (b, n);
    if (b->oom)
        return;
    memcpy (b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void
copy_buf_addc (copy_buf_t *b, char c)
{
    copy_buf_add (b, &c, 1);
}

void
copy_buf_free (copy_buf_t *b)
{
    free (b->data);
    memset (b, 0, sizeof *b);
}

void
copy_text_null (copy_buf_t *b)
{
    copy_buf_add (b, "\\N\t", 3);
}

/* Escapes backslash, tab, newline and carriage return as COPY text wants. */
static void
s_escaped (copy_buf_t *b, const char *s)
{
    size_t n = strlen (s);
    copy_buf_reserve (b, 2 * n + 1);
    if (b->oom)
        return;
    char *out = b->data + b->len;
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '\\': *out++ = '\\'; *out++ = '\\'; break;
        case '\t': *out++ = '\\'; *out++ = 't'; break;
        case '\n': *out++ = '\\'; *out++ = 'n'; break;
        case '\r': *out++ = '\\'; *out++ = 'r'; break;
        default: *out++ = *p; break;
        }
    }
    *out++ = '\t';
    b->len = (size_t) (out - b->data);
    b->data[b->len] = '\0';
}

void
copy_text_text (copy_buf_t *b, const char *s)
{
    if (!s || !*s)
        copy_text_null (b);
    else
        s_escaped (b, s);
}

void
copy_text_text_or_empty (copy_buf_t *b, const char *s)
{
    s_escaped (b, s ? s : "");
}

void
copy_text_int (copy_buf_t *b, long long v)
{
    char tmp[32];
    int n = snprintf (tmp, sizeof tmp, "%lld\t", v);
    copy_buf_add (b, tmp, (size_t) n);
}

void
copy_text_bool (copy_buf_t *b, bool v)
{
    copy_buf_add (b, v ? "t\t" : "f\t", 2);
}

/* bytea in COPY text: "\\x" and hex (the backslash itself escaped). */
void
copy_text_bytea (copy_buf_t *b, const uint8_t *data, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    copy_buf_reserve (b, 2 * len + 4);
    if (b->oom)
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
copy_text_bytea_hex (copy_buf_t *b, const char *hex, size_t len)
{
    copy_buf_add (b, "\\\\x", 3);
    copy_buf_add (b, hex, len);
    copy_buf_addc (b, '\t');
}

void
copy_text_array_literal (copy_buf_t *lit, const char *const *values, size_t n)
{
    copy_buf_addc (lit, '{');
    for (size_t i = 0; i < n; i++) {
        if (i)
            copy_buf_addc (lit, ',');
        copy_buf_addc (lit, '"');
        for (const char *p = values[i] ? values[i] : ""; *p; p++) {
            if (*p == '"' || *p == '\\')
                copy_buf_addc (lit, '\\');
            copy_buf_addc (lit, *p);
        }
        copy_buf_addc (lit, '"');
    }
    copy_buf_addc (lit, '}');
}

void
copy_text_array (copy_buf_t *b, char *const *values, size_t n)
{
    if (n == 0) {
        copy_text_null (b);
        return;
    }
    copy_buf_t lit = {0};
    copy_text_array_literal (&lit, (const char *const *) values, n);
    if (lit.oom)
        b->oom = true;
    else
        s_escaped (b, lit.data);
    copy_buf_free (&lit);
}

void
copy_text_row_end (copy_buf_t *b)
{
    if (!b->oom && b->len && b->data[b->len - 1] == '\t')
        b->data[b->len - 1] = '\n';
}
