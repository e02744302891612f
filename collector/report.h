/* report.h: receipts and findings in plain words for focal points.
 *
 *   precursors_2023_AFG.json: ACCEPTED as submission 5f0c... (stored 2026-...)
 *     warning V-PRE-07 at /precursors/incidents/0/substances/0/quantity:
 *       ...
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdio.h>

#include "dcp_codec.h"
#include "dcp_findings.h"

/* The text of a receipt for SOURCE (a file name).  Caller frees; NULL if
 * out of memory. */
char *report_receipt (const char *source, const Dcp__V1__Receipt *receipt);

/* Prints the findings of an offline check of SOURCE; returns the number of
 * errors. */
size_t report_findings (FILE *out, const char *source, const dcp_findings_t *findings);

#endif
