/* csvread.h: long tables of a response imported from CSV files.
 *
 * National systems export individual incidents and annual seizure totals as
 * spreadsheets with thousands of rows; retyping them into JSON is where
 * errors creep in.  A response file may therefore name a CSV file instead of
 * a list (jsonread_file), and this module turns its rows into the same
 * protobuf rows the JSON reader would build, with the same words and
 * shortcuts (field_set_cell, field.h).  Format: RFC 4180 (quoted cells, "" for a
 * quote, CRLF or LF), UTF-8 with or without a byte order mark, a header row
 * with named columns in any order.  Columns are documented in
 * collector/FORMAT.md.
 *
 * Findings carry the path "FILENAME:LINE:COLUMN" (1-based; COLUMN counts
 * characters, as editors do) and a message naming the column and the JSON
 * pointer the row becomes, e.g. "(row becomes /precursors/incidents/4/
 * substances/0)". */
#ifndef CSVREAD_H
#define CSVREAD_H

#include <stdbool.h>
#include <stddef.h>

#include "dcp_findings.h"
#include "dcp_submission.pb-c.h"
#include "srcmap.h"

/* Reads the CSV TEXT (LEN bytes) as rows of TABLE and appends them to SUB's
 * payload.  TABLE is the name of a repeated table of the payload:
 * "incidents" (P6, one row per incident substance, rows with the same
 * incident_id become one Incident), "seizures" (P1), or any other list of
 * Precursors or FinancialFlows ("licit_trade", "routes", "enforcement",
 * ...), one row per element.  The payload is created if SUB has none.
 * FILENAME is used in findings only.  Problems go into FINDINGS (rule ids
 * "CSV-*"); rows with problems are still added, so every problem of the
 * file is reported at once.  Returns 0; DCP_EINVAL if nothing could be read
 * (unknown table, table of the other questionnaire, no header row, missing
 * key column; a finding says which); DCP_ENOMEM (SUB is then unchanged). */
int csvread_table (const char *text, size_t len, const char *filename, const char *table,
                   Dcp__V1__Submission *sub, dcp_findings_t *findings);

/* As csvread_table(), also recording in MAP (NULL: not) where each answer
 * and each row came from, by JSON pointer (srcmap.h): a cell at its line
 * and column, a row (and an entry of a grouped table) at its first line
 * with column 0. */
int csvread_table_mapped (const char *text, size_t len, const char *filename, const char *table,
                          Dcp__V1__Submission *sub, dcp_findings_t *findings, srcmap_t *map);

/* True if TABLE names a list csvread_table() can fill. */
bool csvread_table_known (const char *table);

#endif
