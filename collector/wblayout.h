/* wblayout.h: the layout of the spreadsheet workbook, written once as data.
 *
 * Focal points fill the questionnaires in spreadsheets and pass sheets to
 * customs, police and the FIU.  `collector template KIND FILE.xlsx` writes a
 * workbook (xlsxwrite.h) and `collector check FILE.xlsx` reads it back
 * (xlsxread.h).  Both follow the table in wblayout.c and nothing else, so the
 * sheet a writer makes is the sheet the reader expects: a column added there
 * appears in new templates and is read from filled ones.
 *
 * Two kinds of sheet:
 *   form   one answer per row: A the question, B the answer, C the field
 *          (a dotted path from the Submission: "focal_point.email",
 *          "financial_flows.str.received_total").  The envelope is a form.
 *   table  one row per element of a repeated table of the payload (the
 *          TABLE csvread_table() fills): row 1 the title, row 2 the labels,
 *          row 3 the column names (the CSV column names of FORMAT.md:
 *          "quantity", "quantity.unit", "location.place"), rows from 4 the
 *          answers.  The reader finds the column names by their text, so
 *          columns may be moved or rows inserted above them.
 * Cells mean what the same text means in a CSV cell (field_set_cell).
 * (The prefix is wblayout_, not workbook_: libxlsxwriter owns workbook_.) */
#ifndef WBLAYOUT_H
#define WBLAYOUT_H

#include <stdbool.h>
#include <stddef.h>

/* What kind of value a column holds: a date column turns a spreadsheet
 * date (a serial number) back into YYYY-MM-DD. */
typedef enum {
    WBLAYOUT_TEXT = 0,
    WBLAYOUT_NUMBER,
    WBLAYOUT_DATE,
} wblayout_type_t;

/* The drop-down list offered in a column. */
typedef enum {
    WBLAYOUT_LIST_NONE = 0,
    WBLAYOUT_LIST_STATUS,    /* every status word: reported, estimated, ... */
    WBLAYOUT_LIST_NO_VALUE,  /* status words an answer may stand for (a number is allowed too) */
    WBLAYOUT_LIST_TRI,       /* yes, no, unknown */
    WBLAYOUT_LIST_BOOL,      /* yes, no */
    WBLAYOUT_LIST_SUBSTANCE, /* substance codes (substances.csv) */
    WBLAYOUT_LIST_COUNTRY,   /* ISO3 codes valid in the year (countries.csv) */
    WBLAYOUT_LIST_UNIT,      /* units.csv */
    WBLAYOUT_LIST_CURRENCY,  /* ISO 4217 codes valid in the year (currencies.csv) */
    WBLAYOUT_LIST_QUESTIONNAIRE, /* financial_flows, precursors */
    WBLAYOUT_LIST_CODES,         /* the code list CODELIST of codelists.csv */
    WBLAYOUT_LIST_COUNT_,        /* number of list kinds, not a kind */
} wblayout_list_t;

typedef struct {
    const char *key;   /* table: column name; form: dotted field path */
    const char *label; /* what a person reads */
    wblayout_list_t list;
    const char *codelist; /* for WBLAYOUT_LIST_CODES, e.g. "physical_form" */
    wblayout_type_t type;
    const char *prefill; /* form only: "@KIND@", "@COUNTRY@", "@YEAR@" or a literal; may be NULL */
    int width;           /* column width in characters, 0 = default */
} wblayout_column_t;

typedef struct {
    const char *name;  /* sheet name (no spaces, so "Sheet!C12" needs no quotes) */
    const char *kind;  /* "precursors", "financial_flows", or NULL for both */
    const char *table; /* table: the payload list (csvread_table TABLE); form: NULL */
    const char *title; /* row 1: section and question references */
    const char *help;  /* one line for the instructions sheet: where the sheet goes */
    const wblayout_column_t *columns;
    size_t n_columns;
} wblayout_sheet_t;

/* Rows and columns are 0-based here, as libxlsxwriter counts them. */
#define WBLAYOUT_TITLE_ROW 0
#define WBLAYOUT_LABEL_ROW 1
#define WBLAYOUT_KEY_ROW 2   /* table: the column names */
#define WBLAYOUT_FIRST_ROW 3 /* table: the first answer; form: the first question */
#define WBLAYOUT_FORM_LABEL_COL 0
#define WBLAYOUT_FORM_VALUE_COL 1
#define WBLAYOUT_FORM_KEY_COL 2
#define WBLAYOUT_INSTRUCTIONS "Instructions"
#define WBLAYOUT_LISTS "Lists"

/* Every sheet of every kind, in workbook order; *N receives the count. */
const wblayout_sheet_t *wblayout_sheets (size_t *n);

/* The sheet called NAME, NULL if none. */
const wblayout_sheet_t *wblayout_sheet (const char *name);

/* True if SHEET belongs in a workbook of KIND. */
bool wblayout_sheet_in (const wblayout_sheet_t *sheet, const char *kind);

/* The column (table) or row (form) of SHEET with KEY, NULL if none. */
const wblayout_column_t *wblayout_column (const wblayout_sheet_t *sheet, const char *key);

/* The words of the fixed lists (status, no-value, tri, bool, questionnaire)
 * as a NULL-terminated array; NULL for the lists taken from the reference
 * data. */
const char *const *wblayout_words (wblayout_list_t list);

/* "A", "B", ..., "Z", "AA", ... for 0-based column COL, into BUF (>= 8). */
const char *wblayout_column_name (int col, char *buf);

#endif
