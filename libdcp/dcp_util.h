/* dcp_util.h: clocks and the systemd notification used by every stage.
 *
 * The file and hash helpers that used to live here moved to their own
 * modules (dcp_fs.h, dcp_hash.h, dcp_id.h).  The old names below forward to
 * them only until loader/, collector/ and validator/ call the new ones;
 * do not use them in new code. */
#ifndef DCP_UTIL_H
#define DCP_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "dcp_fs.h"
#include "dcp_hash.h"

/* Milliseconds on a monotonic clock (for timeouts, never for timestamps). */
int64_t dcp_now_ms (void);

/* Writes the current UTC time as "2026-11-27T03:18:09.123Z" into BUF (at
 * least 32 bytes); returns BUF. */
char *dcp_rfc3339_now (char *buf, size_t size);

/* Tells systemd about the service's state ("READY=1", "STOPPING=1") when
 * started with Type=notify (NOTIFY_SOCKET set); does nothing otherwise.
 * Written out rather than linking libsystemd: one datagram, no dependency. */
void dcp_sd_notify (const char *state);

/* --- transitional names (see the top of this file) ------------------------ */

static inline char *
dcp_read_file (const char *path, size_t max, size_t *len_p)
{
    return dcp_fs_read_file (path, max, len_p);
}

static inline int
dcp_write_file_durable (const char *path, const void *data, size_t len)
{
    return dcp_fs_write_atomic (path, data, len);
}

static inline int
dcp_mkdirs (const char *path)
{
    return dcp_fs_mkdirs (path);
}

static inline void
dcp_sha256_hex (const void *data, size_t len, char hex[65])
{
    dcp_hash_sha256_hex (data, len, hex);
}

#endif
