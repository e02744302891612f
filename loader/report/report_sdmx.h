/* report_sdmx.h: SDMX-CSV 2.0 lines for the report's "sdmx" command.
 *
 * The data structure (dimensions, attributes, code lists) and the mapping
 * of our observation statuses to SDMX OBS_STATUS / CONF_STATUS are written
 * down in loader/report/SDMX.md; REPORT_SDMX_STATUS_MAP below is the one
 * list both the code and that table follow.  A figure that is absent ("not
 * available", confidential, ...) is an observation with an empty OBS_VALUE
 * and its status, never 0. */
#ifndef REPORT_SDMX_H
#define REPORT_SDMX_H

#include "dcp_buf.h"

/* XX (our status, OBS_STATUS, CONF_STATUS, what it means) */
#define REPORT_SDMX_STATUS_MAP(XX)                                                                 \
    XX ("REPORTED", "A", "F", "normal value")                                                      \
    XX ("ESTIMATED", "E", "F", "estimated value")                                                  \
    XX ("PROVISIONAL", "P", "F", "provisional value")                                              \
    XX ("NOT_AVAILABLE", "O", "F", "missing: the country has no figure")                           \
    XX ("NOT_APPLICABLE", "M", "F", "missing: the figure cannot exist")                            \
    XX ("CONFIDENTIAL", "Q", "C", "missing: suppressed as confidential")                           \
    XX ("INCLUDED_ELSEWHERE", "O", "F", "missing: counted in another figure")                      \
    XX ("UNANSWERED", "O", "F", "missing: the question was not answered")

typedef struct {
    const char *dcp;         /* "NOT_AVAILABLE" */
    const char *obs_status;  /* "O" */
    const char *conf_status; /* "F" */
    const char *meaning;
} report_sdmx_status_t;

/* The mapping of our status DCP_STATUS, or NULL for an unknown status. */
const report_sdmx_status_t *report_sdmx_status (const char *dcp_status);

/* Columns of one row of the query "sdmx" (loader/report/queries.sql), in
 * this order; a NULL pointer is an SQL NULL. */
enum {
    REPORT_SDMX_DATAFLOW,
    REPORT_SDMX_REF_AREA,
    REPORT_SDMX_INDICATOR,
    REPORT_SDMX_MEASURE,
    REPORT_SDMX_SCOPE,
    REPORT_SDMX_BREAKDOWN,
    REPORT_SDMX_ITEM,
    REPORT_SDMX_TIME_PERIOD,
    REPORT_SDMX_OBS_VALUE,
    REPORT_SDMX_STATUS,
    REPORT_SDMX_UNIT,
    REPORT_SDMX_COUNTING_RULE,
    REPORT_SDMX_VALUATION_BASIS,
    REPORT_SDMX_QUESTION_REF,
    REPORT_SDMX_REVISION,
    REPORT_SDMX_NCOLS
};

/* Appends the header line of the file.  Returns 0 or OUT's sticky error. */
int report_sdmx_header (dcp_buf_t *out);

/* Appends one observation line built from COLS.  Dimensions that are NULL
 * or empty become "_Z" (not applicable); OBS_VALUE is empty exactly when
 * the value is NULL.  Returns 0, DCP_EINVAL (unknown status, a value with a
 * status that says there is none, or no value with one that says there is:
 * the row is not written) or OUT's sticky error. */
int report_sdmx_row (dcp_buf_t *out, const char *const cols[REPORT_SDMX_NCOLS]);

#endif
