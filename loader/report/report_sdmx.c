/* report_sdmx.c: SDMX-CSV 2.0 header and observation lines (see report_sdmx.h). */
#include "report_sdmx.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define S_AGENCY "DCP"
#define S_VERSION "1.0"

static const report_sdmx_status_t s_statuses[] = {
/* An initialiser of the status table: kept as written, not reformatted. */
/* clang-format off */
#define S_XX(dcp, obs, conf, meaning) {dcp, obs, conf, meaning},
    /* clang-format on */
    REPORT_SDMX_STATUS_MAP (S_XX)
#undef S_XX
};

const report_sdmx_status_t *
report_sdmx_status (const char *dcp_status)
{
    if (!dcp_status)
        return NULL;
    for (size_t i = 0; i < sizeof s_statuses / sizeof s_statuses[0]; i++)
        if (strcmp (s_statuses[i].dcp, dcp_status) == 0)
            return &s_statuses[i];
    return NULL;
}

int
report_sdmx_header (dcp_buf_t *out)
{
    return dcp_buf_appends (out, "STRUCTURE,STRUCTURE_ID,ACTION,FREQ,REF_AREA,INDICATOR,MEASURE,"
                                 "SCOPE,BREAKDOWN,ITEM,TIME_PERIOD,OBS_VALUE,OBS_STATUS,"
                                 "CONF_STATUS,UNIT_MEASURE,UNIT_MULT,DCP_STATUS,COUNTING_RULE,"
                                 "VALUATION_BASIS,QUESTION_REF,REVISION\r\n");
}

/* Appends one CSV field (RFC 4180 quoting), with a comma before it unless
 * FIRST; NULL or "" gives IF_EMPTY. */
static void
s_field (dcp_buf_t *out, const char *text, const char *if_empty, bool first)
{
    if (!first)
        dcp_buf_appendc (out, ',');
    if (!text || !*text)
        text = if_empty;
    if (!strpbrk (text, ",\"\r\n")) {
        dcp_buf_appends (out, text);
        return;
    }
    dcp_buf_appendc (out, '"');
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            dcp_buf_appendc (out, '"');
        dcp_buf_appendc (out, *p);
    }
    dcp_buf_appendc (out, '"');
}

int
report_sdmx_row (dcp_buf_t *out, const char *const cols[REPORT_SDMX_NCOLS])
{
    const report_sdmx_status_t *st = report_sdmx_status (cols[REPORT_SDMX_STATUS]);
    if (!st || !cols[REPORT_SDMX_DATAFLOW])
        return DCP_EINVAL;
    const char *value = cols[REPORT_SDMX_OBS_VALUE];
    bool has_value = value && *value;
    bool status_has_value = strcmp (st->obs_status, "A") == 0 || strcmp (st->obs_status, "E") == 0
                            || strcmp (st->obs_status, "P") == 0;
    if (has_value != status_has_value)
        return DCP_EINVAL; /* the database forbids it (dcp.obs_ok); never guess */

    char structure_id[128];
    snprintf (structure_id, sizeof structure_id, S_AGENCY ":%s(" S_VERSION ")",
              cols[REPORT_SDMX_DATAFLOW]);
    s_field (out, "dataflow", "", true);
    s_field (out, structure_id, "", false);
    s_field (out, "I", "", false);
    s_field (out, "A", "", false);
    static const int dims[] = {REPORT_SDMX_REF_AREA,   REPORT_SDMX_INDICATOR, REPORT_SDMX_MEASURE,
                               REPORT_SDMX_SCOPE,      REPORT_SDMX_BREAKDOWN, REPORT_SDMX_ITEM,
                               REPORT_SDMX_TIME_PERIOD};
    for (size_t i = 0; i < sizeof dims / sizeof dims[0]; i++)
        s_field (out, cols[dims[i]], "_Z", false);
    s_field (out, has_value ? value : "", "", false);
    s_field (out, st->obs_status, "", false);
    s_field (out, st->conf_status, "", false);
    s_field (out, cols[REPORT_SDMX_UNIT], "_Z", false);
    s_field (out, "0", "", false); /* UNIT_MULT: every figure is in units */
    s_field (out, st->dcp, "", false);
    s_field (out, cols[REPORT_SDMX_COUNTING_RULE], "", false);
    s_field (out, cols[REPORT_SDMX_VALUATION_BASIS], "", false);
    s_field (out, cols[REPORT_SDMX_QUESTION_REF], "", false);
    s_field (out, cols[REPORT_SDMX_REVISION], "", false);
    return dcp_buf_appends (out, "\r\n");
}
