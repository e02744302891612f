/* dcp_id.h: what a submission id may be, decided once.
 *
 * Two rules, one inside the other:
 *  - A *stored* submission id is a UUID: 8-4-4-4-12 hex digits, upper, lower
 *    or mixed case accepted (RFC 9562 says UUIDs compare case-insensitively,
 *    and PostgreSQL's uuid type does), normalised to lowercase wherever it is
 *    kept or compared as text.  The rules (ENV-ID) enforce it.
 *  - Any id that *names* something before the rules ran (an outbox folder, a
 *    frame on the wire, a log field) must be a safe name: 1 to 64 bytes of
 *    A-Z a-z 0-9 '-' '_'.  No dot, slash, space or quote, so a hostile id
 *    can never climb out of a folder, split a logfmt field or need quoting;
 *    64 bytes leaves room for UUIDs and for the ids older tools wrote.
 *    Every UUID is a safe name.
 * Anything else is garbage that only the quarantine keeps, after
 * dcp_utf8_clean(). */
#ifndef DCP_ID_H
#define DCP_ID_H

#include <stdbool.h>
#include <stddef.h>

#define DCP_ID_UUID_LEN 36 /* characters of a UUID, without the NUL */
#define DCP_ID_NAME_MAX 64 /* bytes of a safe name, without the NUL */

/* True if TEXT is a UUID (8-4-4-4-12 hex digits, any case).  NULL: false. */
bool dcp_id_uuid_ok (const char *text);

/* Writes TEXT in lowercase into OUT (DCP_ID_UUID_LEN + 1 bytes) if it is a
 * UUID.  Returns 0, or DCP_EINVAL (OUT untouched) if it is not. */
int dcp_id_uuid_normalise (const char *text, char out[DCP_ID_UUID_LEN + 1]);

/* Writes a random (version 4) UUID in lowercase into BUF (at least 37
 * bytes); returns BUF.  Uses libsodium's CSPRNG; aborts without one. */
char *dcp_id_uuid_v4 (char *buf);

/* Writes the UUID named by LEN bytes of CONTENT into OUT (37 bytes) and
 * returns OUT: the first 128 bits of the content's SHA-256 with version 8
 * (RFC 9562 "custom") and the RFC variant, in lowercase.  The same content
 * gives the same id on every machine, so a response taken twice is one
 * submission, not two.  The format is fixed: ids already sent depend on it. */
char *dcp_id_uuid_from_content (const void *content, size_t len, char out[DCP_ID_UUID_LEN + 1]);

/* True if the LEN bytes of TEXT are a safe name (see above). */
bool dcp_id_name_ok (const char *text, size_t len);

#endif
