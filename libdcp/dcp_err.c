/* dcp_err.c: texts and classification of the DCP_E* codes. */
#include "dcp_err.h"

const char *
dcp_strerror (int code)
{
    switch (code) {
    case DCP_OK:        return "success";
    case DCP_ENOMEM:    return "out of memory";
    case DCP_EINVAL:    return "invalid input";
    case DCP_EPROTO:    return "malformed message";
    case DCP_EIO:       return "input/output error";
    case DCP_EAGAIN:    return "resource temporarily unavailable";
    case DCP_ETIMEDOUT: return "timed out";
    case DCP_EAUTH:     return "not authorised";
    case DCP_EDB_RETRY: return "database temporarily unavailable";
    case DCP_EDB_FATAL: return "database refused the data";
    case DCP_ECONFIG:   return "invalid configuration";
    case DCP_ETOOBIG:   return "input too large";
    case DCP_ECONFLICT: return "conflicting content for the same id";
    default:            return "unknown error";
    }
}

bool
dcp_err_retryable (int code)
{
    return code == DCP_EAGAIN || code == DCP_ETIMEDOUT || code == DCP_EDB_RETRY
           || code == DCP_ENOMEM;
}
