/* dcp_decimal.h: exact decimal numbers carried as strings.
 *
 * Money and quantities never pass through binary floating point (proto/QUESTIONNAIRE.md
 * V-GEN-06): they travel as decimal strings and land in PostgreSQL numeric.
 * This module checks the syntax, compares two decimals, and multiplies a
 * decimal by a decimal factor (litres x density) exactly, using scaled
 * integers with overflow checks. */
#ifndef DCP_DECIMAL_H
#define DCP_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DCP_DECIMAL_MAX_DIGITS 30 /* integer + fraction digits accepted */
#define DCP_DECIMAL_MAX_SCALE 9   /* fraction digits accepted */

/* A parsed decimal: value = mantissa / 10^scale. */
typedef struct {
    bool negative;
    __int128 mantissa; /* >= 0 */
    int scale;         /* 0..DCP_DECIMAL_MAX_SCALE */
} dcp_decimal_t;

/* Parses TEXT: optional '-', digits, optional '.' and digits; no exponent,
 * no spaces, no thousands separators, at most DCP_DECIMAL_MAX_DIGITS digits
 * and DCP_DECIMAL_MAX_SCALE after the point.  Returns 0, or DCP_EINVAL. */
int dcp_decimal_parse (const char *text, dcp_decimal_t *out);

/* Returns <0, 0, >0 as A is less than, equal to, greater than B. */
int dcp_decimal_cmp (const dcp_decimal_t *a, const dcp_decimal_t *b);

bool dcp_decimal_is_zero (const dcp_decimal_t *a);
bool dcp_decimal_is_negative (const dcp_decimal_t *a); /* < 0 (not -0) */

/* OUT = A * B, rounded half away from zero to SCALE fraction digits
 * (0..DCP_DECIMAL_MAX_SCALE).  Returns 0, DCP_EINVAL for a bad SCALE, or
 * DCP_ETOOBIG if the exact product does not fit in 127 bits. */
int dcp_decimal_mul (const dcp_decimal_t *a, const dcp_decimal_t *b, int scale, dcp_decimal_t *out);

/* OUT = A + B exactly (scale = max of both).  Returns 0 or DCP_ETOOBIG. */
int dcp_decimal_add (const dcp_decimal_t *a, const dcp_decimal_t *b, dcp_decimal_t *out);

/* Writes the canonical text ("-12.5", "0.001", "100": no trailing fraction
 * zeros, no "-0") into BUF; returns BUF, or NULL if SIZE is too small (64
 * bytes always suffice). */
char *dcp_decimal_format (const dcp_decimal_t *a, char *buf, size_t size);

/* Sets OUT to the integer VALUE (scale 0); convenience for thresholds and
 * counts.  Always returns 0. */
int dcp_decimal_from_int (int64_t value, dcp_decimal_t *out);

#endif
