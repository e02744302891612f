/* copy_text.h: the text format of PostgreSQL's COPY ... FROM STDIN.
 *
 * The loader sends every row it writes (sections, submissions, findings) as
 * COPY text, so the escaping rules live here once: a field is followed by a
 * tab and the last tab of a row becomes the newline; backslash, tab, newline
 * and carriage return are escaped; NULL is \N; bytea is "\\x" and hex; a
 * text[] is an array literal, itself COPY-escaped.  Empty text is written
 * as NULL (proto3 cannot tell "" from "not given").
 *
 * The growable buffer remembers an allocation failure (oom) instead of
 * reporting it on every append: the caller checks once per row or batch. */
#ifndef COPY_TEXT_H
#define COPY_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    char *data;     /* NUL-terminated when not NULL */
    size_t len, cap;
    bool oom;       /* an append failed; data holds what came before */
} copy_buf_t;

/* Makes room for EXTRA more bytes (and the NUL); sets oom on failure. */
void copy_buf_reserve (copy_buf_t *b, size_t extra);
/* Appends N bytes of S (raw, not escaped). */
void copy_buf_add (copy_buf_t *b, const char *s, size_t n);
void copy_buf_addc (copy_buf_t *b, char c);
/* Frees the data and zeroes B; B may be reused. */
void copy_buf_free (copy_buf_t *b);

/* Fields: each appends the field and its tab. */
void copy_text_null (copy_buf_t *b);
/* S as text; NULL or "" is written as NULL. */
void copy_text_text (copy_buf_t *b, const char *s);
/* S as text; NULL or "" is written as the empty string (for NOT NULL
 * columns whose "nothing" is ''). */
void copy_text_text_or_empty (copy_buf_t *b, const char *s);
void copy_text_int (copy_buf_t *b, long long v);
void copy_text_bool (copy_buf_t *b, bool v);
/* DATA[0..LEN) as bytea ("\\x" and lowercase hex). */
void copy_text_bytea (copy_buf_t *b, const uint8_t *data, size_t len);
/* An already hex-encoded bytea value (HEX is LEN hex digits). */
void copy_text_bytea_hex (copy_buf_t *b, const char *hex, size_t len);
/* VALUES[0..N) as a text[] field; N == 0 is NULL.  A NULL element is
 * written as the empty string. */
void copy_text_array (copy_buf_t *b, char *const *values, size_t n);
/* Ends the row: its last tab becomes the newline. */
void copy_text_row_end (copy_buf_t *b);

/* Appends the array literal {"a","b"} of VALUES[0..N) to B, quotes and
 * backslashes escaped inside the quotes; not COPY-escaped (for parameters). */
void copy_text_array_literal (copy_buf_t *b, const char *const *values, size_t n);

#endif
