/* dcp_err.h: error codes shared by every module.
 *
 * A function that can fail returns 0 or one of these negative codes (or NULL
 * for constructors).  Failures are classified once, where they are first
 * seen: dcp_err_retryable() says whether trying the same thing again later
 * can succeed (network, database connection, serialization failure) or
 * whether the input itself is at fault and must be answered, not retried. */
#ifndef DCP_ERR_H
#define DCP_ERR_H

#include <stdbool.h>

enum {
    DCP_OK = 0,
    DCP_ENOMEM = -1,     /* out of memory */
    DCP_EINVAL = -2,     /* invalid argument or input (permanent) */
    DCP_EPROTO = -3,     /* malformed message on the wire (permanent) */
    DCP_EIO = -4,        /* file system error (errno is set) */
    DCP_EAGAIN = -5,     /* try again later: queue full, peer away (retryable) */
    DCP_ETIMEDOUT = -6,  /* no answer in time (retryable) */
    DCP_EAUTH = -7,      /* sender not allowed (permanent) */
    DCP_EDB_RETRY = -8,  /* database unavailable or serialization failure (retryable) */
    DCP_EDB_FATAL = -9,  /* database refused the data (permanent) */
    DCP_ECONFIG = -10,   /* bad configuration */
    DCP_ETOOBIG = -11,   /* input over a configured limit (permanent) */
    DCP_ECONFLICT = -12, /* same id stored with other content (permanent) */
};

/* Returns a static lowercase description of CODE. */
const char *dcp_strerror (int code);

/* True for errors where the same request may succeed later. */
bool dcp_err_retryable (int code);

#endif
