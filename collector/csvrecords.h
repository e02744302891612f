/* csvrecords.h: CSV text into records of cleaned cells, each with its place.
 *
 * The first step of reading a CSV table (csvread.h), before anything is
 * known about its columns: the separator is found (',' ';' or tab, and a
 * "sep=;" first line), the text is split by the shared tokenizer
 * (dcp_csvtok.h), and every cell is checked and cleaned: an unclosed quote
 * or text after a closing quote is reported (rule "CSV-SYNTAX"), a cell
 * that is not UTF-8 or holds a NUL byte is reported ("CSV-UTF8") and read
 * as blank, and spaces around a cell are dropped (exports pad cells).
 * Empty lines are skipped.  Findings are placed at "FILENAME:LINE:COLUMN"
 * (1-based; COLUMN counts characters, as editors do). */
#ifndef CSVRECORDS_H
#define CSVRECORDS_H

#include <stddef.h>

#include "dcp_findings.h"

/* One cell: its cleaned text and where it starts (1-based). */
typedef struct {
    char *text;
    int line, col;
} csvrecords_cell_t;

/* One record (a line, or more if a quoted cell holds line breaks). */
typedef struct {
    csvrecords_cell_t *cells;
    size_t n, cap;
    int line; /* of its first cell */
} csvrecords_record_t;

/* The records of a text, the header row first; everything here belongs to
 * the struct (free with csvrecords_free()). */
typedef struct {
    csvrecords_record_t *items;
    size_t n, cap;
    char sep; /* the cell separator found: ',', ';' or '\t' */
} csvrecords_t;

/* Reads TEXT (LEN bytes, borrowed) into RECS (overwritten).  FILENAME
 * (borrowed) starts the place of each finding added to FINDINGS; a cell
 * with a problem is still kept, so every problem is reported at once.
 * Returns 0, or DCP_ENOMEM (memory, or a finding could not be recorded).
 * Free RECS with csvrecords_free(), also on failure. */
int csvrecords_parse (csvrecords_t *recs, const char *text, size_t len, const char *filename,
                      dcp_findings_t *findings);

/* Frees what RECS holds and zeroes it; idempotent. */
void csvrecords_free (csvrecords_t *recs);

#endif
