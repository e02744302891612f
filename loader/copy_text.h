/* copy_text.h: the text format of PostgreSQL's COPY ... FROM STDIN.
 *
 * The loader sends every row it writes (sections, submissions, findings) as
 * COPY text, so the escaping rules live here once: a field is followed by a
 * tab and the last tab of a row becomes the newline; backslash, tab, newline
 * and carriage return are escaped; NULL is \N; bytea is "\\x" and hex; a
 * text[] is an array literal, itself COPY-escaped.  Empty text is written
 * as NULL (proto3 cannot tell "" from "not given").
 *
 * Rows are written into the pipeline's one growable buffer (dcp_buf.h),
 * whose error is sticky: the caller checks B->err once per row or batch. */
#ifndef COPY_TEXT_H
#define COPY_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dcp_buf.h"

/* Fields: each appends the field and its tab. */
void copy_text_null (dcp_buf_t *b);
/* S as text; NULL or "" is written as NULL. */
void copy_text_text (dcp_buf_t *b, const char *s);
/* S as text; NULL or "" is written as the empty string (for NOT NULL
 * columns whose "nothing" is ''). */
void copy_text_text_or_empty (dcp_buf_t *b, const char *s);
void copy_text_int (dcp_buf_t *b, long long v);
void copy_text_bool (dcp_buf_t *b, bool v);
/* DATA[0..LEN) as bytea ("\\x" and lowercase hex). */
void copy_text_bytea (dcp_buf_t *b, const uint8_t *data, size_t len);
/* An already hex-encoded bytea value (HEX is LEN hex digits). */
void copy_text_bytea_hex (dcp_buf_t *b, const char *hex, size_t len);
/* VALUES[0..N) as a text[] field; N == 0 is NULL.  A NULL element is
 * written as the empty string. */
void copy_text_array (dcp_buf_t *b, char *const *values, size_t n);
/* Ends the row: its last tab becomes the newline. */
void copy_text_row_end (dcp_buf_t *b);

/* Appends the array literal {"a","b"} of VALUES[0..N) to B, quotes and
 * backslashes escaped inside the quotes; not COPY-escaped (for parameters). */
void copy_text_array_literal (dcp_buf_t *b, const char *const *values, size_t n);

#endif
