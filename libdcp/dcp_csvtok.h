/* dcp_csvtok.h: the one CSV tokenizer (RFC 4180), with line and column.
 *
 * Two readers of CSV share it: the collector's long tables from national
 * exports (lenient: every problem becomes a finding and reading goes on) and
 * the embedded reference data (strict: a problem is a build defect).  The
 * tokenizer decides what the bytes are, cell by cell, and says what was odd
 * about each cell; what to do about it is the caller's policy.
 *
 * Dialect: cells separated by ',' (or another separator, see
 * dcp_csvtok_set_separator), records ended by LF, CRLF or a lone CR, a
 * cell in double quotes may hold separators and line ends and "" for a
 * quote; a UTF-8 byte order mark at the very start is skipped (spreadsheet
 * programs write one).  Lines and columns are 1-based; a column counts
 * characters (UTF-8 lead bytes), as editors do.  Cells are returned as they
 * are: no trimming, no encoding check. */
#ifndef DCP_CSVTOK_H
#define DCP_CSVTOK_H

#include <stdbool.h>
#include <stddef.h>

#include "dcp_buf.h"

/* How a cell ended. */
typedef enum {
    DCP_CSVTOK_COMMA = 0, /* another cell of the same record follows */
    DCP_CSVTOK_LF,        /* the record ended with "\n" */
    DCP_CSVTOK_CRLF,      /* ... with "\r\n" */
    DCP_CSVTOK_CR,        /* ... with a lone "\r" */
    DCP_CSVTOK_EOF,       /* ... with the end of the text */
} dcp_csvtok_end_t;

/* What was odd about a cell (the cell is still returned). */
typedef enum {
    DCP_CSVTOK_OK = 0,
    DCP_CSVTOK_UNCLOSED,     /* a quoted cell runs to the end of the text */
    DCP_CSVTOK_AFTER_QUOTE,  /* text after the closing quote (skipped) */
    DCP_CSVTOK_QUOTE_INSIDE, /* a '"' inside an unquoted cell (kept as text) */
} dcp_csvtok_problem_t;

/* One cell; TEXT is borrowed from the tokenizer until the next call. */
typedef struct {
    const char *text; /* unquoted, NUL-terminated (may also hold NUL bytes) */
    size_t len;
    int line, col; /* where the cell starts */
    bool quoted;
    dcp_csvtok_end_t end;
    dcp_csvtok_problem_t problem;
    int problem_line, problem_col; /* where the problem is */
} dcp_csvtok_cell_t;

/* The tokenizer: caller-allocated, set up with dcp_csvtok_init(). */
typedef struct {
    const char *text;
    size_t len, pos;
    int line, col;
    dcp_buf_t cell;   /* the current cell, unquoted */
    char sep;         /* the cell separator, ',' unless set */
    bool after_comma; /* a cell is owed even at the end of the text */
} dcp_csvtok_t;

/* Starts reading TEXT (LEN bytes, borrowed for the tokenizer's life). */
void dcp_csvtok_init (dcp_csvtok_t *tok, const char *text, size_t len);

/* Separates cells with SEP (';' or '\t' as spreadsheets in many locales
 * write them) instead of ','; call before the first dcp_csvtok_next(). */
void dcp_csvtok_set_separator (dcp_csvtok_t *tok, char sep);

/* Guesses the separator of the CSV TEXT from its first record: the one of
 * ',', ';' and tab that occurs most often outside quotes (',' when none
 * does), or the one named by a first line "sep=X" as Excel writes it (then
 * *SEP_LINE_P is set: that line is no header, the caller skips it). */
char dcp_csvtok_sniff (const char *text, size_t len, bool *sep_line_p);

/* Reads the next cell into *CELL.  Returns 1 if there was one, 0 at the end
 * of the text, DCP_ENOMEM.  After a cell ending in DCP_CSVTOK_COMMA there is
 * always one more (empty at the end of the text). */
int dcp_csvtok_next (dcp_csvtok_t *tok, dcp_csvtok_cell_t *cell);

/* True if nothing is left to read. */
bool dcp_csvtok_done (const dcp_csvtok_t *tok);

/* Frees the tokenizer's buffer; TOK may be set up again. */
void dcp_csvtok_fini (dcp_csvtok_t *tok);

#endif
