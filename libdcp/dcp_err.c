/* dcp_err.c: names, texts and retry class of the DCP_E* codes, all
 * generated from DCP_ERR_MAP (see dcp_err.h). */
#include "dcp_err.h"

const char *
dcp_strerror (int code)
{
    switch (code) {
    case DCP_OK: return "success";
#define XX(name, value, retry, text)                                                               \
    case DCP_##name: return text;
        DCP_ERR_MAP (XX)
#undef XX
    default: return "unknown error";
    }
}

const char *
dcp_err_name (int code)
{
    switch (code) {
    case DCP_OK: return "DCP_OK";
#define XX(name, value, retry, text)                                                               \
    case DCP_##name: return "DCP_" #name;
        DCP_ERR_MAP (XX)
#undef XX
    default: return "DCP_E?";
    }
}

bool
dcp_err_retryable (int code)
{
    switch (code) {
#define XX(name, value, retry, text)                                                               \
    case DCP_##name: return retry;
        DCP_ERR_MAP (XX)
#undef XX
    default: return false;
    }
}
