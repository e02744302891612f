/* report_sql.h: the report's SQL statements, kept in loader/report/queries.sql
 * (embedded at build time as report_queries[]) and looked up by name, so
 * that switching the report to new views is one edit of one file. */
#ifndef REPORT_SQL_H
#define REPORT_SQL_H

#include "dcp_blob.h"

extern const dcp_blob_t report_queries[]; /* loader/report/queries.sql */

/* Returns a copy of the statement called NAME in TEXT: the lines after
 * "-- name: NAME" up to the next "-- name:" line or the end, or NULL when
 * there is no such statement (or no memory).  The caller frees it. */
char *report_sql_extract (const char *text, const char *name);

/* report_sql_extract() on the embedded queries.sql. */
char *report_sql_get (const char *name);

#endif
