/* xlsxcells.h: the cells of an .xlsx workbook, as a person sees them.
 *
 * An .xlsx file is a zip archive of XML parts: the workbook (its sheets and
 * date system), the relationships that name each sheet's part, the shared
 * strings, and one part per sheet.  This module opens the archive (libzip)
 * and parses the parts (libxml2, no network, no external entities) into a
 * grid of typed cells per sheet, and turns a cell into the text an answer
 * would be typed as: shared and inline strings, booleans, numbers in
 * exponent form ("1.5E+3" -> "1500") and date serials (1900 and 1904 date
 * systems) undone.  It knows nothing of the questionnaire: what a sheet and
 * its cells mean is xlsxread.h's job (with the layout, wblayout.h).
 *
 * Problems with the file (not a zip archive, a missing or broken part, a
 * cell referring to a shared string the workbook lacks) become findings
 * "XLSX-FILE" placed at "FILE.xlsx", "FILE.xlsx:Sheet" or
 * "FILE.xlsx:Sheet!C12". */
#ifndef XLSXCELLS_H
#define XLSXCELLS_H

#include <stdbool.h>
#include <stddef.h>

#include "dcp_findings.h"

/* One cell that holds something (empty cells are not kept). */
typedef struct {
    int row, col; /* 0-based */
    char *text;   /* as written: a shared string resolved, a number as stored */
    bool number;  /* a numeric cell (t="n" or none): its text is the number */
} xlsxcells_cell_t;

/* One sheet: its cells in document order until xlsxcells_sort(). */
typedef struct {
    char *name;
    char *part;              /* "xl/worksheets/sheet1.xml" */
    xlsxcells_cell_t *cells; /* empty until xlsxcells_read_sheet() */
    size_t n, cap;
} xlsxcells_sheet_t;

/* An open workbook; caller-allocated, filled by xlsxcells_open(), freed by
 * xlsxcells_close().  Everything it points to belongs to it, except FILE
 * and FINDINGS (borrowed). */
typedef struct {
    const char *file;         /* the file's name, first part of every place */
    dcp_findings_t *findings; /* where problems go */
    struct zip *zip;          /* libzip's zip_t */
    char **shared;            /* shared strings */
    size_t n_shared;
    bool shared_broken;        /* xl/sharedStrings.xml is there but unreadable (reported) */
    bool date1904;             /* the workbook counts dates from 1904 */
    xlsxcells_sheet_t *sheets; /* every sheet the workbook lists, in its order */
    size_t n_sheets;
    int error; /* DCP_ENOMEM once memory ran out */
} xlsxcells_book_t;

/* Opens the workbook in BYTES (LEN bytes, borrowed: they must outlive the
 * book) named FILE (borrowed), reading its list of sheets, its date system
 * and its shared strings; the sheets' cells are read on demand.  Returns 0;
 * DCP_EINVAL if the bytes are not a workbook (a finding in FINDINGS says
 * why); DCP_ENOMEM.  On failure nothing is left to close (closing is still
 * harmless). */
int xlsxcells_open (xlsxcells_book_t *book, const char *file, const char *bytes, size_t len,
                    dcp_findings_t *findings);

/* Frees what BOOK holds; idempotent. */
void xlsxcells_close (xlsxcells_book_t *book);

/* The sheet named NAME (exactly), or NULL; borrowed from BOOK. */
xlsxcells_sheet_t *xlsxcells_sheet (xlsxcells_book_t *book, const char *name);

/* Reads the cells of SH (a sheet of BOOK), empty ones left out.  Returns 0;
 * DCP_EINVAL if its part is missing or broken (reported); DCP_ENOMEM. */
int xlsxcells_read_sheet (xlsxcells_book_t *book, xlsxcells_sheet_t *sh);

/* Sorts the cells of SH by row, then column. */
void xlsxcells_sort (xlsxcells_sheet_t *sh);

/* The cell of SH at ROW, COL (0-based), or NULL if it is empty; borrowed. */
const xlsxcells_cell_t *xlsxcells_at (const xlsxcells_sheet_t *sh, int row, int col);

/* The text of CELL as an answer would be typed (NULL cell: ""): a number
 * in plain decimals, and if AS_DATE a date serial (or an ISO date-time) as
 * "YYYY-MM-DD".  Returns a new string (caller frees), NULL if out of
 * memory. */
char *xlsxcells_text (const xlsxcells_book_t *book, const xlsxcells_cell_t *cell, bool as_date);

/* "FILE:SHEET!C12" (ROW, COL 0-based) into BUF (SIZE bytes), or
 * "FILE:SHEET" if ROW < 0, or "FILE" if SHEET is NULL.  Returns BUF. */
const char *xlsxcells_place (const char *file, const char *sheet, int row, int col, char *buf,
                             size_t size);

#endif
