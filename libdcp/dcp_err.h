/* dcp_err.h: error codes shared by every module.
 *
 * A function that can fail returns 0 or one of these negative codes (or NULL
 * for constructors).  Failures are classified once, where they are first
 * seen: dcp_err_retryable() says whether trying the same thing again later
 * can succeed (network, database connection, serialization failure, our own
 * fault that a fix or a restart cures) or whether the input itself is at
 * fault and must be answered, not retried.
 *
 * The codes are written once, in DCP_ERR_MAP below (as libuv's
 * UV_ERRNO_MAP): the enum, the names, the messages and the retry class are
 * all generated from that list, so they cannot disagree.  Values are part of
 * the interface (they appear in logs and metrics): never renumber, only add. */
#ifndef DCP_ERR_H
#define DCP_ERR_H

#include <stdbool.h>

/* XX (NAME, value, retryable, "lowercase message") */
#define DCP_ERR_MAP(XX)                                                                            \
    XX (ENOMEM, -1, true, "out of memory")                                                         \
    XX (EINVAL, -2, false, "invalid input")                                                        \
    XX (EPROTO, -3, false, "malformed message")                                                    \
    XX (EIO, -4, false, "input/output error")                                                      \
    XX (EAGAIN, -5, true, "resource temporarily unavailable")                                      \
    XX (ETIMEDOUT, -6, true, "timed out")                                                          \
    XX (EAUTH, -7, false, "not authorised")                                                        \
    XX (EDB_RETRY, -8, true, "database temporarily unavailable")                                   \
    XX (EDB_FATAL, -9, false, "database refused the data")                                         \
    XX (ECONFIG, -10, false, "invalid configuration")                                              \
    XX (ETOOBIG, -11, false, "input too large")                                                    \
    XX (ECONFLICT, -12, false, "conflicting content for the same id")                              \
    XX (ESTAGE, -13, true, "internal fault of this stage: kept and retried")                       \
    XX (ENET, -14, true, "network or socket failure")                                              \
    XX (ERACE, -15, true, "another writer changed the same data first: redo")

/* What each code means and who returns it:
 *   DCP_ENOMEM     allocation failed; retryable (memory may come back).
 *   DCP_EINVAL     the caller's argument or the partner's input is wrong.
 *   DCP_EPROTO     a message on the wire is malformed (permanent).
 *   DCP_EIO        a file system call failed (errno is set).  Not retried
 *                  blindly: a full disk needs an operator.
 *   DCP_EAGAIN     queue full, peer away: try again later.
 *   DCP_ETIMEDOUT  no answer in time.
 *   DCP_EAUTH      the sender is not allowed (unknown key, wrong country).
 *   DCP_EDB_RETRY  database unavailable or serialization failure.
 *   DCP_EDB_FATAL  the database refused the partner's data (permanent).
 *   DCP_ECONFIG    bad configuration (the operator must fix it).
 *   DCP_ETOOBIG    input over a configured limit (permanent).
 *   DCP_ECONFLICT  the same id was stored with other content (permanent).
 *   DCP_ESTAGE     our own fault, not the partner's (an encoder that does not
 *                  match the tables, a broken invariant): the work is kept
 *                  and retried, an error is logged and counted, and the
 *                  partner is never answered "rejected" for it.
 *   DCP_ENET       a socket or network call failed (bind, connect, send).
 *   DCP_ERACE      a concurrent writer got there first; redo the work. */
enum {
    DCP_OK = 0,
#define DCP_ERR_XX_(name, value, retry, text) DCP_##name = (value),
    DCP_ERR_MAP (DCP_ERR_XX_)
#undef DCP_ERR_XX_
};

/* Returns a static lowercase description of CODE ("unknown error" for a
 * code not in the list). */
const char *dcp_strerror (int code);

/* Returns the static name of CODE ("DCP_EINVAL", "DCP_OK"), for logs and
 * metric labels; "DCP_E?" for a code not in the list. */
const char *dcp_err_name (int code);

/* True for errors where the same request may succeed later; false for 0,
 * for permanent errors and for unknown codes. */
bool dcp_err_retryable (int code);

#endif
