/* dcp_utf8.h: the one UTF-8 check and the one cleaner of the pipeline.
 *
 * Strict UTF-8 (RFC 3629, Unicode's "well-formed" table): no overlong forms,
 * no UTF-16 surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no stray
 * continuation bytes, no truncated sequences.  PostgreSQL, jansson and
 * protobuf readers in other languages reject exactly these, so a string that
 * passes here is accepted by each of them.
 *
 * Whether NUL and control characters are allowed is the caller's policy,
 * chosen by flags rather than by a second copy of the decoder:
 *   0                      any well-formed UTF-8, NUL included
 *   DCP_UTF8_NO_NUL        and no NUL byte (CSV cells, C strings)
 *   DCP_UTF8_TEXT          and no C0 control except tab, LF and CR (NUL
 *                          included): what a partner's answer may hold */
#ifndef DCP_UTF8_H
#define DCP_UTF8_H

#include <stdbool.h>
#include <stddef.h>

enum {
    DCP_UTF8_NO_NUL = 1,
    DCP_UTF8_TEXT = 2 | DCP_UTF8_NO_NUL,
};

/* U+FFFD REPLACEMENT CHARACTER in UTF-8. */
#define DCP_UTF8_REPLACEMENT "\xef\xbf\xbd"

/* Returns the byte offset of the first byte of TEXT (LEN bytes) that starts
 * an invalid sequence or a character FLAGS forbid, or LEN if there is none. */
size_t dcp_utf8_check (const char *text, size_t len, unsigned flags);

/* True if all LEN bytes of TEXT pass dcp_utf8_check() under FLAGS. */
bool dcp_utf8_valid (const char *text, size_t len, unsigned flags);

/* Returns a new NUL-terminated copy of TEXT (LEN bytes) that is valid UTF-8
 * under FLAGS, of at most MAX bytes (the NUL not counted), for storing or
 * logging anything, however broken: each byte that does not start a valid
 * sequence becomes U+FFFD; a control character FLAGS forbid (NUL included,
 * which a C string cannot hold) becomes '?'.  The copy is cut before the
 * first character that would not fit, never inside one.  The caller frees
 * the result; NULL only when out of memory. */
char *dcp_utf8_clean (const char *text, size_t len, size_t max, unsigned flags);

#endif
