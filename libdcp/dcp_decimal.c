/* dcp_decimal.c: exact decimals as scaled 128-bit integers (see dcp_decimal.h).
 *
 * Why not double: a quantity of 15520.1 litres times a density of 1.082 must
 * give the same kilograms in the validator, in the loader and in PostgreSQL
 * numeric, and money totals must reconcile to the last cent (proto/QUESTIONNAIRE.md
 * V-GEN-06).  Parsing caps the digits at DCP_DECIMAL_MAX_DIGITS (< 10^30), so
 * one product of two parsed values fits before rescaling most of the time;
 * every operation that can leave the range of __int128 is checked and
 * reports DCP_ETOOBIG instead of wrapping. */
#include <assert.h>
#include <string.h>

#include "dcp_decimal.h"
#include "dcp_err.h"

typedef __int128 s_int128;

/* 10^N for N in 0..38, the powers that fit in a signed __int128. */
static s_int128
s_pow10 (int n)
{
    assert (n >= 0 && n <= 38);
    s_int128 p = 1;
    while (n-- > 0)
        p *= 10;
    return p;
}

/* *OUT = M * 10^N; false on overflow.  *OUT is written on every path (0 on
 * overflow), so no caller can read an unset value whatever it does with the
 * result. */
static bool
s_scale_up (s_int128 m, int n, s_int128 *out)
{
    *out = 0;
    if (n > 38)
        return m == 0;
    s_int128 v;
    if (__builtin_mul_overflow (m, s_pow10 (n), &v))
        return false;
    *out = v;
    return true;
}

/* Signed value of A as an integer scaled by 10^A->scale. */
static s_int128
s_signed (const dcp_decimal_t *a)
{
    return a->negative ? -a->mantissa : a->mantissa;
}

/* Stores the signed scaled integer V into OUT, keeping zero non-negative. */
static void
s_store (s_int128 v, int scale, dcp_decimal_t *out)
{
    out->negative = v < 0;
    out->mantissa = v < 0 ? -v : v;
    out->scale = scale;
}

int
dcp_decimal_parse (const char *text, dcp_decimal_t *out)
{
    if (!text || !out)
        return DCP_EINVAL;
    const char *p = text;
    bool negative = false;
    if (*p == '-') {
        negative = true;
        p++;
    }
    s_int128 m = 0;
    int digits = 0, int_digits = 0, scale = 0;
    for (; *p >= '0' && *p <= '9'; p++, int_digits++, digits++) {
        if (digits >= DCP_DECIMAL_MAX_DIGITS)
            return DCP_EINVAL;
        m = m * 10 + (*p - '0');
    }
    if (int_digits == 0)
        return DCP_EINVAL; /* "", "-", ".5": a person must write 0.5 */
    if (*p == '.') {
        p++;
        for (; *p >= '0' && *p <= '9'; p++, scale++, digits++) {
            if (digits >= DCP_DECIMAL_MAX_DIGITS || scale >= DCP_DECIMAL_MAX_SCALE)
                return DCP_EINVAL;
            m = m * 10 + (*p - '0');
        }
        if (scale == 0)
            return DCP_EINVAL; /* "12." is a typo more often than not */
    }
    if (*p != '\0')
        return DCP_EINVAL;
    /* Cannot overflow: fewer than 30 digits were read, 10^30 < 2^127. */
    out->negative = negative && m != 0;
    out->mantissa = m;
    out->scale = scale;
    return 0;
}

int
dcp_decimal_cmp (const dcp_decimal_t *a, const dcp_decimal_t *b)
{
    s_int128 va = s_signed (a), vb = s_signed (b);
    int scale = a->scale > b->scale ? a->scale : b->scale;
    s_int128 sa, sb;
    bool ok_a = s_scale_up (va, scale - a->scale, &sa);
    bool ok_b = s_scale_up (vb, scale - b->scale, &sb);
    if (ok_a && ok_b)
        return sa < sb ? -1 : sa > sb;
    /* Only one side can overflow when rescaled (the other keeps its scale);
     * that side has the larger magnitude, so its sign decides. */
    if (!ok_a)
        return va < 0 ? -1 : 1;
    return vb < 0 ? 1 : -1;
}

bool
dcp_decimal_is_zero (const dcp_decimal_t *a)
{
    return a->mantissa == 0;
}

bool
dcp_decimal_is_negative (const dcp_decimal_t *a)
{
    return a->negative && a->mantissa != 0;
}

/* V / 10^N rounded half away from zero; N >= 0. */
static s_int128
s_scale_down (s_int128 v, int n)
{
    if (n == 0)
        return v;
    if (n > 38)
        return 0;
    s_int128 d = s_pow10 (n);
    s_int128 mag = v < 0 ? -v : v;
    s_int128 q = mag / d, r = mag % d;
    if (r >= d - r) /* r >= d/2 without overflow or integer halving */
        q++;
    return v < 0 ? -q : q;
}

int
dcp_decimal_mul (const dcp_decimal_t *a, const dcp_decimal_t *b, int scale, dcp_decimal_t *out)
{
    if (scale < 0 || scale > DCP_DECIMAL_MAX_SCALE)
        return DCP_EINVAL;
    s_int128 product;
    if (__builtin_mul_overflow (s_signed (a), s_signed (b), &product))
        return DCP_ETOOBIG;
    int product_scale = a->scale + b->scale;
    s_int128 v;
    if (product_scale >= scale)
        v = s_scale_down (product, product_scale - scale);
    else if (!s_scale_up (product, scale - product_scale, &v))
        return DCP_ETOOBIG;
    s_store (v, scale, out);
    return 0;
}

int
dcp_decimal_add (const dcp_decimal_t *a, const dcp_decimal_t *b, dcp_decimal_t *out)
{
    int scale = a->scale > b->scale ? a->scale : b->scale;
    s_int128 sa, sb, sum;
    if (!s_scale_up (s_signed (a), scale - a->scale, &sa)
        || !s_scale_up (s_signed (b), scale - b->scale, &sb)
        || __builtin_add_overflow (sa, sb, &sum))
        return DCP_ETOOBIG;
    s_store (sum, scale, out);
    return 0;
}

char *
dcp_decimal_format (const dcp_decimal_t *a, char *buf, size_t size)
{
    /* Digits are produced backwards into a scratch buffer: 39 digits, a
     * point, a leading "0" and a sign are the most a __int128 needs. */
    char tmp[64];
    size_t n = 0;
    s_int128 m = a->mantissa;
    int scale = a->scale < 0 ? 0 : a->scale;
    while (scale > 0 && m % 10 == 0) { /* canonical: "12.50" -> "12.5" */
        m /= 10;
        scale--;
    }
    int written = 0;
    do {
        if (written == scale && scale > 0)
            tmp[n++] = '.';
        tmp[n++] = (char) ('0' + (int) (m % 10));
        m /= 10;
        written++;
    } while (m > 0 || written <= scale);
    if (a->negative && a->mantissa != 0)
        tmp[n++] = '-';
    if (!buf || n + 1 > size)
        return NULL;
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return buf;
}

int
dcp_decimal_from_int (int64_t value, dcp_decimal_t *out)
{
    s_int128 v = value; /* widening first makes -INT64_MIN safe */
    s_store (v, 0, out);
    return 0;
}
