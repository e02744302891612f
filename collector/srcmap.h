/* srcmap.h: where each answer of a response came from, for findings people
 * can find.
 *
 * The rules (dcp_rules.h) speak JSON pointers into the Submission
 * ("/precursors/incidents/1/incident_date"): right for a JSON file, useless
 * for a row that came from incidents.csv.  The readers record here, for
 * every answer they set, the pointer it became and where it was in the
 * files: a CSV cell by file, line and column, a JSON value by the order in
 * which it was read (document order).  With that, findings are printed as
 * "incidents.csv:5:3" and sorted in file order, and a rule finding on an
 * answer that already failed reading can be recognised as an echo. */
#ifndef SRCMAP_H
#define SRCMAP_H

#include <stddef.h>

#include "dcp_findings.h"

typedef struct srcmap_t srcmap_t;

/* Where an answer came from.  FILE 0 is the JSON file (LINE, COL 0; SEQ
 * orders its values); FILE >= 1 the CSV files in the order they were read. */
typedef struct {
    size_t file;
    int line, col;
    size_t seq;
} srcmap_pos_t;

/* NULL if out of memory. */
srcmap_t *srcmap_new (void);
void srcmap_destroy (srcmap_t **self_p);

/* Records that POINTER came from FILENAME (NULL: the JSON file) at LINE,
 * COL (1-based; 0 for JSON values).  The first record of a pointer wins.
 * Returns 0 or DCP_ENOMEM. */
int srcmap_add (srcmap_t *self, const char *pointer, const char *filename, int line, int col);

/* Records that the answer at POINTER failed reading (a CSV cell whose
 * finding carries the cell's place, not the pointer): a rule finding at or
 * inside POINTER is then an echo.  Returns 0 or DCP_ENOMEM. */
int srcmap_mark_failed (srcmap_t *self, const char *pointer);

/* Where POINTER, or the nearest enclosing answer recorded, came from; NULL
 * if nothing enclosing it was recorded.  Borrowed. */
const srcmap_pos_t *srcmap_find (const srcmap_t *self, const char *pointer);

/* The name of file FILE (>= 1) as recorded; NULL for 0 or unknown. */
const char *srcmap_file (const srcmap_t *self, size_t file);

/* After reading (findings 0..FIRST_RULE) and the rules (FIRST_RULE..):
 * drops every rule finding on an answer that already has a reading finding
 * (the same pointer or one inside it: an echo of the same mistake), gives
 * findings on CSV rows the place "FILE.csv:LINE:COLUMN" (the pointer is
 * kept at the end of the message), and sorts all of them in file order
 * (the JSON file first, then each CSV file by line and column; findings
 * with no place last, in the order found).  MAP may be NULL (then only the
 * echoes go and the order is by pointer position in no file).  Returns 0 or
 * DCP_ENOMEM. */
int srcmap_locate_findings (const srcmap_t *map, dcp_findings_t *findings, size_t first_rule);

#endif
