/* dcp_util.h: clocks, identifiers and file helpers used by every stage. */
#ifndef DCP_UTIL_H
#define DCP_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Milliseconds on a monotonic clock (for timeouts, never for timestamps). */
int64_t dcp_now_ms (void);

/* Writes the current UTC time as "2026-11-27T03:18:09.123Z" into BUF (at
 * least 32 bytes); returns BUF. */
char *dcp_rfc3339_now (char *buf, size_t size);

/* Writes a random (version 4) UUID in lowercase into BUF (at least 37
 * bytes); returns BUF.  Uses libsodium's CSPRNG. */
char *dcp_uuid_v4 (char *buf);

/* Reads the whole file PATH into a new NUL-terminated buffer (caller frees).
 * Refuses files over MAX bytes.  Returns NULL with errno set (EFBIG). */
char *dcp_read_file (const char *path, size_t max, size_t *len_p);

/* Writes LEN bytes to PATH durably: to a temporary name in the same folder,
 * fsync, rename, fsync of the folder.  Returns 0 or DCP_EIO (errno set). */
int dcp_write_file_durable (const char *path, const void *data, size_t len);

/* Creates PATH and its parents (mode 0700 for new folders).  0 or DCP_EIO. */
int dcp_mkdirs (const char *path);

/* Lowercase hex SHA-256 of DATA into HEX (65 bytes). */
void dcp_sha256_hex (const void *data, size_t len, char hex[65]);

/* Tells systemd about the service's state ("READY=1", "STOPPING=1") when
 * started with Type=notify (NOTIFY_SOCKET set); does nothing otherwise.
 * Written out rather than linking libsystemd: one datagram, no dependency. */
void dcp_sd_notify (const char *state);

#endif
