/* dcp_utf8.c: strict UTF-8 decoding for the check and the cleaner (see
 * dcp_utf8.h).  One decoder, so that what the cleaner keeps is exactly what
 * the check accepts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dcp_utf8.h"

/* Length of the well-formed sequence at P (END exclusive), or 0. */
static size_t
s_sequence (const unsigned char *p, const unsigned char *end)
{
    unsigned char b = *p;
    size_t n;
    uint32_t cp;
    if (b < 0x80)
        return 1;
    if (b >= 0xc2 && b <= 0xdf)
        n = 2, cp = b & 0x1f;
    else if (b >= 0xe0 && b <= 0xef)
        n = 3, cp = b & 0x0f;
    else if (b >= 0xf0 && b <= 0xf4)
        n = 4, cp = b & 0x07;
    else
        return 0; /* continuation byte, overlong lead (C0, C1) or > U+10FFFF */
    if ((size_t) (end - p) < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff))
        || (cp >= 0xd800 && cp <= 0xdfff))
        return 0; /* overlong, out of range, or a UTF-16 surrogate */
    return n;
}

/* True if the ASCII byte B is forbidden by FLAGS. */
static bool
s_forbidden (unsigned char b, unsigned flags)
{
    if (b == 0)
        return flags & DCP_UTF8_NO_NUL;
    if ((flags & DCP_UTF8_TEXT) == DCP_UTF8_TEXT)
        return b < 0x20 && b != '\t' && b != '\n' && b != '\r';
    return false;
}

size_t
dcp_utf8_check (const char *text, size_t len, unsigned flags)
{
    const unsigned char *s = (const unsigned char *) text, *p = s, *end = s + len;
    while (p < end) {
        if (*p < 0x80) {
            if (s_forbidden (*p, flags))
                break;
            p++;
            continue;
        }
        size_t n = s_sequence (p, end);
        if (n == 0)
            break;
        p += n;
    }
    return (size_t) (p - s);
}

bool
dcp_utf8_valid (const char *text, size_t len, unsigned flags)
{
    return dcp_utf8_check (text, len, flags) == len;
}

char *
dcp_utf8_clean (const char *text, size_t len, size_t max, unsigned flags)
{
    /* Each input byte yields at most 3 output bytes (one U+FFFD). */
    size_t cap = len < max / 3 ? 3 * len : max;
    char *out = malloc (cap + 1);
    if (!out)
        return NULL;
    const unsigned char *p = (const unsigned char *) text, *end = p + len;
    size_t o = 0;
    /* A NUL is never copied: the result is a C string. */
    unsigned policy = flags | DCP_UTF8_NO_NUL;
    while (p < end) {
        size_t n = s_sequence (p, end);
        const char *piece = (const char *) p;
        size_t piece_len = n;
        if (n == 0)
            piece = DCP_UTF8_REPLACEMENT, piece_len = 3, n = 1;
        else if (n == 1 && s_forbidden (*p, policy))
            piece = "?", piece_len = 1;
        if (piece_len > cap - o)
            break;
        memcpy (out + o, piece, piece_len);
        o += piece_len;
        p += n;
    }
    out[o] = '\0';
    return out;
}
