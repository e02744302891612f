/* xlsxread.h: a filled workbook (.xlsx) into a Submission.
 *
 * The workbook `collector template KIND FILE.xlsx` writes (xlsxwrite.h)
 * comes back filled in Excel or LibreOffice.  An .xlsx file is a zip archive
 * of XML parts; xlsxcells.h opens the archive and gives its sheets as cells,
 * and this module reads the sheets the layout table names (wblayout.h) and
 * gives every answer the meaning the same text has in a CSV cell: a table
 * sheet is turned into the rows of a CSV table and read by csvread_table(),
 * a form row is read by field_set_cell().
 *
 * What spreadsheets do to cells is undone (by xlsxcells.h): shared and
 * inline strings, numbers typed as text, numbers in exponent form (1.5E+3),
 * dates stored as serial numbers (1900 and 1904 date systems), booleans,
 * formula results (t="str"), empty rows, cells without a reference, styles
 * dropped or renumbered by LibreOffice (styles are never needed).
 *
 * Every finding is located as "FILE.xlsx:Sheet!C12": reading findings
 * directly, and the validation rules' findings (JSON pointers) through the
 * map the reader leaves behind (xlsxread_locate). */
#ifndef XLSXREAD_H
#define XLSXREAD_H

#include <stdbool.h>
#include <stddef.h>

#include "dcp_findings.h"
#include "dcp_submission.pb-c.h"
#include "jsonread.h"

/* Which cell each answer came from, for placing later findings. */
typedef struct xlsxread_map_t xlsxread_map_t;

/* True if PATH names a workbook: it ends in ".xlsx" (any case). */
bool xlsxread_is_workbook (const char *path);

/* Reads the workbook in BYTES (LEN bytes; borrowed) into a new Submission.
 * NAME (the file's name, e.g. "form.xlsx") starts every finding's place.
 * Problems go into FINDINGS (rule ids "XLSX-*"); rows with problems are
 * still read, so every problem is reported at once.  If MAP_P is not NULL
 * it receives the map of answers to cells (free with xlsxread_map_destroy,
 * also on NULL return).  Returns the Submission (free with
 * dcp_codec_free()), or NULL if the bytes are not a workbook at all
 * (FINDINGS says why) or memory ran out. */
Dcp__V1__Submission *xlsxread_bytes (const char *name, const char *bytes, size_t len,
                                     dcp_findings_t *findings, xlsxread_map_t **map_p);

/* As xlsxread_bytes() for the file at PATH (at most JSONREAD_MAX_FILE
 * bytes).  If FILES is not NULL it receives the workbook's bytes as its one
 * part, named PATH, so the outbox keeps the workbook as it was read (caller
 * frees with jsonread_files_free(), also on NULL return). */
Dcp__V1__Submission *xlsxread_file (const char *path, dcp_findings_t *findings,
                                    jsonread_files_t *files, xlsxread_map_t **map_p);

/* Appends the findings of FROM to TO; a finding whose path is a JSON
 * pointer into an answer read from a cell gets that cell's place instead
 * ("form.xlsx:P1_seizures!D5"), others are copied as they are.  Returns 0
 * or DCP_ENOMEM. */
int xlsxread_locate (const xlsxread_map_t *map, const dcp_findings_t *from, dcp_findings_t *to);

/* Frees MAP; idempotent; sets *MAP_P to NULL. */
void xlsxread_map_destroy (xlsxread_map_t **map_p);

#endif
