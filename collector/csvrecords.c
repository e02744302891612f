/* csvrecords.c: CSV text into records of cleaned cells (see csvrecords.h).
 *
 * Split out of csvread.c, which binds the header's names to protobuf
 * fields and builds rows: reading the text as a grid (quoting, encoding,
 * blank lines, where each cell starts) is one job, done before anything is
 * known about the table, and its findings are about the file, not about
 * answers.  The splitting itself is the shared tokenizer's (dcp_csvtok.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvrecords.h"
#include "dcp_csvtok.h"
#include "dcp_err.h"
#include "dcp_i18n.h"
#include "dcp_utf8.h"

/* One call of csvrecords_parse(): where findings go. */
typedef struct {
    const char *filename;
    dcp_findings_t *findings;
    int error; /* DCP_ENOMEM once a finding could not be recorded */
} s_parser_t;

static void s_report (s_parser_t *c, const char *rule, int line, int col, const char *fmt, ...)
    __attribute__ ((format (printf, 5, 6)));

/* A finding of rule RULE at "FILENAME:LINE:COL"; the format is translated
 * before formatting (collector/po/update.sh extracts it). */
static void
s_report (s_parser_t *c, const char *rule, int line, int col, const char *fmt, ...)
{
    char path[512], body[2048];
    snprintf (path, sizeof path, "%s:%d:%d", c->filename, line, col);
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (body, sizeof body, dcp_i18n_text (fmt), ap);
    va_end (ap);
    int rc = dcp_findings_add (c->findings, rule, DCP_SEV_ERROR, path, "%s", body);
    if (rc && !c->error)
        c->error = rc;
}

static int
s_push_cell (csvrecords_record_t *rec, char *text, int line, int col)
{
    if (rec->n == rec->cap) {
        size_t cap = rec->cap ? rec->cap * 2 : 16;
        csvrecords_cell_t *p = realloc (rec->cells, cap * sizeof *p);
        if (!p)
            return DCP_ENOMEM;
        rec->cells = p;
        rec->cap = cap;
    }
    rec->cells[rec->n++] = (csvrecords_cell_t){text, line, col};
    return 0;
}

static void
s_record_free (csvrecords_record_t *rec)
{
    for (size_t i = 0; i < rec->n; i++)
        free (rec->cells[i].text);
    free (rec->cells);
}

void
csvrecords_free (csvrecords_t *recs)
{
    for (size_t i = 0; i < recs->n; i++)
        s_record_free (&recs->items[i]);
    free (recs->items);
    *recs = (csvrecords_t){0};
}

/* Copies token cell TC into a new string (*TEXT_P): reports quoting and
 * encoding problems; a cell with bad UTF-8 is read as blank; surrounding
 * spaces are dropped. */
static int
s_take_cell (s_parser_t *c, const dcp_csvtok_cell_t *tc, char **text_p)
{
    if (tc->problem == DCP_CSVTOK_UNCLOSED)
        s_report (c, "CSV-SYNTAX", tc->problem_line, tc->problem_col,
                  "quoted cell is not closed: a "
                  "'\"' is missing before the end of the file");
    else if (tc->problem == DCP_CSVTOK_AFTER_QUOTE)
        s_report (c, "CSV-SYNTAX", tc->problem_line, tc->problem_col,
                  "text after the closing quote of a cell; put the whole cell in quotes "
                  "and double any quote inside it (\"\")");
    char *text = malloc (tc->len + 1);
    if (!text)
        return DCP_ENOMEM;
    memcpy (text, tc->text, tc->len + 1);
    size_t len = tc->len;
    size_t bad = dcp_utf8_check (text, len, DCP_UTF8_NO_NUL);
    if (bad < len) {
        int bad_col = tc->col + (tc->quoted ? 1 : 0);
        for (size_t k = 0; k < bad; k++)
            bad_col += ((unsigned char) text[k] & 0xC0) != 0x80;
        s_report (c, "CSV-UTF8", tc->line, bad_col, "%s (byte 0x%02X); save the file as UTF-8",
                  text[bad] ? _ ("text is not valid UTF-8") : _ ("text contains a NUL byte"),
                  (unsigned char) text[bad]);
        len = 0;
        text[0] = '\0';
    }
    /* Surrounding spaces are not part of an answer (exports pad cells);
     * trimming here makes " A-1" and "A-1" the same incident. */
    size_t start = strspn (text, " \t"), end = len;
    while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t'))
        end--;
    memmove (text, text + start, end - start);
    text[end - start] = '\0';
    *text_p = text;
    return 0;
}

static int
s_push_record (csvrecords_t *recs, csvrecords_record_t *rec)
{
    if (recs->n == recs->cap) {
        size_t cap = recs->cap ? recs->cap * 2 : 64;
        csvrecords_record_t *p = realloc (recs->items, cap * sizeof *p);
        if (!p)
            return DCP_ENOMEM;
        recs->items = p;
        recs->cap = cap;
    }
    recs->items[recs->n++] = *rec;
    return 0;
}

/* Splits TEXT into records of cleaned cells (dcp_csvtok.h does the
 * splitting); empty lines are skipped. */
static int
s_split (s_parser_t *c, const char *text, size_t len, csvrecords_t *recs)
{
    int rc = 0;
    dcp_csvtok_t tok;
    dcp_csvtok_cell_t tc;
    csvrecords_record_t rec = {0};
    bool only_blank = true, sep_line = false;
    dcp_csvtok_init (&tok, text, len);
    recs->sep = dcp_csvtok_sniff (text, len, &sep_line);
    dcp_csvtok_set_separator (&tok, recs->sep);
    while ((rc = dcp_csvtok_next (&tok, &tc)) == 1) {
        char *cell = NULL;
        if (rec.n == 0) {
            rec.line = tc.line;
            only_blank = true;
        }
        if (s_take_cell (c, &tc, &cell) || s_push_cell (&rec, cell, tc.line, tc.col)) {
            free (cell);
            rc = DCP_ENOMEM;
            break;
        }
        only_blank = only_blank && !tc.quoted && !cell[0];
        if (tc.end == DCP_CSVTOK_COMMA)
            continue;
        if ((only_blank && rec.n == 1) || sep_line) /* an empty line, or "sep=;" */
            s_record_free (&rec);
        else if (s_push_record (recs, &rec)) {
            rc = DCP_ENOMEM;
            break;
        }
        rec = (csvrecords_record_t){0};
        sep_line = false;
    }
    s_record_free (&rec);
    dcp_csvtok_fini (&tok);
    return rc < 0 ? rc : c->error;
}

int
csvrecords_parse (csvrecords_t *recs, const char *text, size_t len, const char *filename,
                  dcp_findings_t *findings)
{
    s_parser_t c = {.filename = filename, .findings = findings};
    *recs = (csvrecords_t){0};
    return s_split (&c, text, len, recs);
}
