/* xlsxcells.c: the cells of an .xlsx workbook (see xlsxcells.h).
 *
 * Split out of xlsxread.c, which gives the cells their meaning: this file
 * knows the container (a zip archive of SpreadsheetML parts, opened with
 * libzip and parsed with libxml2, never by hand) and what spreadsheets do
 * to cells (shared and inline strings, exponent numbers, date serials),
 * and nothing of the questionnaire.  Its problems are findings "XLSX-FILE"
 * placed at "FILE.xlsx:Sheet!C12", as the reader's own. */
#include <ctype.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#include "dcp_buf.h"
#include "dcp_err.h"
#include "dcp_i18n.h"
#include "wblayout.h"
#include "xlsxcells.h"

#define S_MAX_PART (256u << 20) /* largest XML part unpacked: a zip bomb stops here */

static void s_report (xlsxcells_book_t *book, const char *rule, const char *sheet, int row, int col,
                      const char *fmt, ...) __attribute__ ((format (printf, 6, 7)));

/* A finding of rule RULE at SHEET, ROW, COL (xlsxcells_place); the format
 * is translated before formatting (collector/po/update.sh extracts it). */
static void
s_report (xlsxcells_book_t *book, const char *rule, const char *sheet, int row, int col,
          const char *fmt, ...)
{
    char place[512], body[2048];
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (body, sizeof body, dcp_i18n_text (fmt), ap);
    va_end (ap);
    int rc = dcp_findings_add (book->findings, rule, DCP_SEV_ERROR,
                               xlsxcells_place (book->file, sheet, row, col, place, sizeof place),
                               "%s", body);
    if (rc && !book->error)
        book->error = rc;
}

const char *
xlsxcells_place (const char *file, const char *sheet, int row, int col, char *buf, size_t size)
{
    char letters[8];
    if (!sheet)
        snprintf (buf, size, "%s", file);
    else if (row < 0)
        snprintf (buf, size, "%s:%s", file, sheet);
    else
        snprintf (buf, size, "%s:%s!%s%d", file, sheet, wblayout_column_name (col, letters),
                  row + 1);
    return buf;
}

/* --- the archive and its XML ---------------------------------------------- */

/* The part NAME of the archive as a parsed document; NULL if it is missing
 * (*MISSING set) or broken (reported). */
static xmlDocPtr
s_part (xlsxcells_book_t *book, const char *name, bool *missing)
{
    *missing = false;
    zip_stat_t st;
    zip_int64_t index = zip_name_locate (book->zip, name, ZIP_FL_NOCASE);
    if (index < 0 || zip_stat_index (book->zip, (zip_uint64_t) index, 0, &st) != 0) {
        *missing = true;
        return NULL;
    }
    if (!(st.valid & ZIP_STAT_SIZE) || st.size > S_MAX_PART) {
        s_report (book, "XLSX-FILE", NULL, -1, 0, "part %s of the workbook is larger than %u MiB",
                  name, S_MAX_PART >> 20);
        return NULL;
    }
    char *data = malloc (st.size + 1);
    zip_file_t *zf = data ? zip_fopen_index (book->zip, (zip_uint64_t) index, 0) : NULL;
    zip_int64_t got = zf ? zip_fread (zf, data, st.size) : -1;
    char why[256];
    snprintf (why, sizeof why, "%s", zf ? zip_file_strerror (zf) : zip_strerror (book->zip));
    if (zf)
        zip_fclose (zf);
    if (!data) {
        book->error = DCP_ENOMEM;
        return NULL;
    }
    if (got < 0 || (zip_uint64_t) got != st.size) {
        s_report (book, "XLSX-FILE", NULL, -1, 0,
                  "part %s of the workbook could not be unpacked: %s", name,
                  got >= 0 ? _ ("shorter than the archive says") : why);
        free (data);
        return NULL;
    }
    /* No network, no external entities (libxml2 does not load them unless
     * asked), no error output on stderr: problems become findings. */
    xmlDocPtr doc = xmlReadMemory (data, (int) st.size, name, NULL,
                                   XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    free (data);
    if (!doc) {
        const xmlError *e = xmlGetLastError ();
        char detail[256] = "";
        if (e && e->message)
            snprintf (detail, sizeof detail, ": %.*s", (int) strcspn (e->message, "\n"),
                      e->message);
        s_report (book, "XLSX-FILE", NULL, -1, 0, "part %s of the workbook is not valid XML%s",
                  name, detail);
    }
    return doc;
}

static bool
s_is (const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp ((const char *) n->name, name) == 0;
}

static xmlNodePtr
s_child (const xmlNode *n, const char *name)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (s_is (c, name))
            return c;
    return NULL;
}

/* Attribute NAME of N, any namespace (caller frees with xmlFree). */
static char *
s_attr (const xmlNode *n, const char *name)
{
    for (xmlAttrPtr a = n->properties; a; a = a->next)
        if (strcmp ((const char *) a->name, name) == 0)
            return (char *) xmlNodeGetContent ((const xmlNode *) a);
    return NULL;
}

/* Appends the text of every <t> under N, except phonetic runs (<rPh>). */
static void
s_text_runs (const xmlNode *n, dcp_buf_t *out, int *error)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (s_is (c, "rPh"))
            continue;
        if (s_is (c, "t")) {
            xmlChar *t = xmlNodeGetContent (c);
            if (t && dcp_buf_append (out, (const char *) t, strlen ((const char *) t)))
                *error = DCP_ENOMEM;
            xmlFree (t);
        } else if (c->type == XML_ELEMENT_NODE)
            s_text_runs (c, out, error);
    }
}

static char *
s_rich_text (xlsxcells_book_t *book, const xmlNode *n)
{
    dcp_buf_t b;
    dcp_buf_init (&b);
    s_text_runs (n, &b, &book->error);
    char *text = dcp_buf_take (&b, NULL);
    if (!text)
        book->error = DCP_ENOMEM;
    return text;
}

static void
s_read_shared (xlsxcells_book_t *book)
{
    bool missing;
    xmlDocPtr doc = s_part (book, "xl/sharedStrings.xml", &missing);
    if (!doc) {
        /* a workbook with only numbers and inline strings has none; a
         * broken one was reported, and its cells need not be, one by one */
        book->shared_broken = !missing;
        return;
    }
    xmlNodePtr root = xmlDocGetRootElement (doc);
    size_t n = 0;
    for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next)
        n += s_is (c, "si");
    book->shared = calloc (n + 1, sizeof *book->shared);
    if (!book->shared)
        book->error = DCP_ENOMEM;
    for (xmlNodePtr c = root ? root->children : NULL; c && book->shared; c = c->next)
        if (s_is (c, "si"))
            book->shared[book->n_shared++] = s_rich_text (book, c);
    xmlFreeDoc (doc);
}

/* The sheets of xl/workbook.xml with their parts (through the workbook's
 * relationships), and the date system. */
static int
s_read_workbook (xlsxcells_book_t *book)
{
    bool missing;
    xmlDocPtr wb = s_part (book, "xl/workbook.xml", &missing);
    xmlDocPtr rels = wb ? s_part (book, "xl/_rels/workbook.xml.rels", &missing) : NULL;
    if (!wb || !rels) {
        if (missing)
            s_report (book, "XLSX-FILE", NULL, -1, 0, "not a workbook: the archive has no %s",
                      wb ? "xl/_rels/workbook.xml.rels" : "xl/workbook.xml");
        xmlFreeDoc (wb);
        xmlFreeDoc (rels);
        return DCP_EINVAL;
    }
    xmlNodePtr root = xmlDocGetRootElement (wb);
    xmlNodePtr pr = s_child (root, "workbookPr");
    char *d1904 = pr ? s_attr (pr, "date1904") : NULL;
    book->date1904 = d1904 && (strcmp (d1904, "1") == 0 || strcasecmp (d1904, "true") == 0);
    xmlFree (d1904);
    xmlNodePtr sheets = s_child (root, "sheets");
    size_t n = 0;
    for (xmlNodePtr s = sheets ? sheets->children : NULL; s; s = s->next)
        n += s_is (s, "sheet");
    book->sheets = calloc (n + 1, sizeof *book->sheets);
    if (!book->sheets) {
        book->error = DCP_ENOMEM;
        n = 0;
    }
    xmlNodePtr rroot = xmlDocGetRootElement (rels);
    for (xmlNodePtr s = sheets ? sheets->children : NULL; s && book->sheets; s = s->next) {
        if (!s_is (s, "sheet"))
            continue;
        char *name = s_attr (s, "name"), *id = s_attr (s, "id");
        char *target = NULL;
        for (xmlNodePtr rel = rroot ? rroot->children : NULL; rel && id && !target;
             rel = rel->next) {
            char *rid = s_is (rel, "Relationship") ? s_attr (rel, "Id") : NULL;
            if (rid && strcmp (rid, id) == 0)
                target = s_attr (rel, "Target");
            xmlFree (rid);
        }
        if (name && target) {
            xlsxcells_sheet_t *sh = &book->sheets[book->n_sheets++];
            sh->name = strdup (name);
            /* "worksheets/sheet1.xml" is relative to xl/; "/xl/..." is absolute */
            size_t len = strlen (target) + 8;
            sh->part = malloc (len);
            if (sh->part)
                snprintf (sh->part, len, "%s%s", target[0] == '/' ? "" : "xl/",
                          target[0] == '/' ? target + 1 : target);
            if (!sh->name || !sh->part)
                book->error = DCP_ENOMEM;
        }
        xmlFree (name);
        xmlFree (id);
        xmlFree (target);
    }
    xmlFreeDoc (wb);
    xmlFreeDoc (rels);
    return book->error;
}

/* "C12" into 0-based ROW and COL; false if it is not a cell reference. */
static bool
s_parse_ref (const char *ref, int *row, int *col)
{
    int c = 0, rw = 0;
    const char *p = ref;
    for (; isupper ((unsigned char) *p) && c < 100000; p++)
        c = c * 26 + (*p - 'A' + 1);
    if (p == ref || !isdigit ((unsigned char) *p))
        return false;
    for (; isdigit ((unsigned char) *p) && rw < 10000000; p++)
        rw = rw * 10 + (*p - '0');
    if (*p || rw == 0)
        return false;
    *row = rw - 1;
    *col = c - 1;
    return true;
}

static int
s_push_cell (xlsxcells_sheet_t *sh, int row, int col, char *text, bool number)
{
    if (sh->n == sh->cap) {
        size_t cap = sh->cap ? sh->cap * 2 : 64;
        xlsxcells_cell_t *grown = realloc (sh->cells, cap * sizeof *grown);
        if (!grown) {
            free (text);
            return DCP_ENOMEM;
        }
        sh->cells = grown;
        sh->cap = cap;
    }
    sh->cells[sh->n++] = (xlsxcells_cell_t){row, col, text, number};
    return 0;
}

/* The text of cell C: what a person sees, before any meaning is given. */
static char *
s_cell_text (xlsxcells_book_t *book, const xlsxcells_sheet_t *sh, const xmlNode *c, int row,
             int col, bool *number)
{
    char *type = s_attr (c, "t");
    xmlNodePtr v = s_child (c, "v");
    xmlChar *vt = v ? xmlNodeGetContent (v) : NULL;
    char *text = NULL;
    *number = false;
    if (type && strcmp (type, "s") == 0) {
        char *end;
        long i = vt ? strtol ((const char *) vt, &end, 10) : -1;
        if (i >= 0 && (size_t) i < book->n_shared && book->shared[i])
            text = strdup (book->shared[i]);
        else {
            if (!book->shared_broken)
                s_report (book, "XLSX-FILE", sh->name, row, col,
                          "cell refers to shared string %s, "
                          "which the workbook does not have",
                          vt ? (const char *) vt : "(none)");
            text = strdup ("");
        }
    } else if (type && strcmp (type, "inlineStr") == 0) {
        xmlNodePtr is = s_child (c, "is");
        text = is ? s_rich_text (book, is) : strdup ("");
    } else if (type && strcmp (type, "b") == 0)
        text = strdup (vt && strcmp ((const char *) vt, "1") == 0 ? "yes" : "no");
    else {
        /* "n" (or none): a number; "str": a formula's text; "e": an error
         * such as #N/A; "d": an ISO date.  All are taken as written. */
        *number = !type || strcmp (type, "n") == 0;
        text = strdup (vt ? (const char *) vt : "");
    }
    xmlFree (vt);
    xmlFree (type);
    if (!text)
        book->error = DCP_ENOMEM;
    return text;
}

/* Reads the cells of SH; false if its part is missing or broken
 * (reported). */
static bool
s_read_sheet (xlsxcells_book_t *book, xlsxcells_sheet_t *sh)
{
    bool missing;
    xmlDocPtr doc = s_part (book, sh->part, &missing);
    if (!doc) {
        if (missing)
            s_report (book, "XLSX-FILE", sh->name, -1, 0,
                      "the sheet's part %s is missing from the "
                      "archive",
                      sh->part);
        return false;
    }
    xmlNodePtr data = s_child (xmlDocGetRootElement (doc), "sheetData");
    int row = -1;
    for (xmlNodePtr rw = data ? data->children : NULL; rw && !book->error; rw = rw->next) {
        if (!s_is (rw, "row"))
            continue;
        /* a row or cell without its reference follows the one before */
        char *rref = s_attr (rw, "r");
        row = rref && atoi (rref) > 0 ? atoi (rref) - 1 : row + 1;
        xmlFree (rref);
        int col = -1;
        for (xmlNodePtr c = rw->children; c && !book->error; c = c->next) {
            if (!s_is (c, "c"))
                continue;
            char *ref = s_attr (c, "r");
            int crow = row, ccol = col + 1;
            if (ref && !s_parse_ref (ref, &crow, &ccol))
                crow = row, ccol = col + 1;
            xmlFree (ref);
            col = ccol;
            bool number;
            char *text = s_cell_text (book, sh, c, crow, ccol, &number);
            if (text && !text[0]) {
                free (text); /* styled but empty */
                continue;
            }
            if (text && s_push_cell (sh, crow, ccol, text, number))
                book->error = DCP_ENOMEM;
        }
    }
    xmlFreeDoc (doc);
    return true;
}

xlsxcells_sheet_t *
xlsxcells_sheet (xlsxcells_book_t *book, const char *name)
{
    for (size_t i = 0; i < book->n_sheets; i++)
        if (strcmp (book->sheets[i].name, name) == 0)
            return &book->sheets[i];
    return NULL;
}

/* --- cell text ------------------------------------------------------------- */

/* "1.5E+3" into "1500", exactly (spreadsheets write large and small numbers
 * so; the readers take plain decimals only).  Other text is copied. */
static char *
s_plain_number (const char *text)
{
    const char *e = strpbrk (text, "eE");
    if (!e)
        return strdup (text);
    char digits[64];
    size_t nd = 0;
    int point = -1;
    const char *p = text;
    bool neg = *p == '-';
    p += neg || *p == '+';
    for (; p < e && nd < sizeof digits - 1; p++) {
        if (*p == '.')
            point = (int) nd;
        else if (isdigit ((unsigned char) *p))
            digits[nd++] = *p;
        else
            return strdup (text);
    }
    char *end;
    long exp = strtol (e + 1, &end, 10);
    if (*end || nd == 0 || exp > 400 || exp < -400)
        return strdup (text);
    long pos = (point < 0 ? (long) nd : point) + exp; /* digits before the point */
    dcp_buf_t b;
    dcp_buf_init (&b);
    if (neg)
        dcp_buf_append (&b, "-", 1);
    if (pos <= 0) {
        dcp_buf_append (&b, "0.", 2);
        for (long i = 0; i < -pos; i++)
            dcp_buf_append (&b, "0", 1);
        dcp_buf_append (&b, digits, nd);
    } else {
        for (long i = 0; i < pos; i++)
            dcp_buf_append (&b, i < (long) nd ? &digits[i] : "0", 1);
        if (pos < (long) nd) {
            dcp_buf_append (&b, ".", 1);
            dcp_buf_append (&b, digits + pos, nd - (size_t) pos);
        }
    }
    return dcp_buf_take (&b, NULL);
}

/* A date serial (days; a fraction is the time of day) into "YYYY-MM-DD".
 * 1900 system: 1 is 1900-01-01 and 60 the 29 February 1900 that Lotus
 * 1-2-3 invented and Excel kept, so from 61 on the days count from
 * 1899-12-30.  1904 system: 0 is 1904-01-01. */
static bool
s_serial_date (const char *text, bool date1904, char *buf, size_t size)
{
    char *end;
    double v = strtod (text, &end);
    if (*end || v < 1 || v > 2958465) /* 9999-12-31 */
        return false;
    long serial = (long) v, days; /* days since 1970-01-01 */
    if (date1904)
        days = serial - 24107;
    else if (serial == 60)
        return snprintf (buf, size, "1900-02-29") > 0;
    else
        days = serial - (serial < 60 ? 25568 : 25569);
    /* civil from days (H. Hinnant's algorithm) */
    days += 719468;
    long era = days / 146097, doe = days - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp + (mp < 10 ? 3 : -9);
    snprintf (buf, size, "%04ld-%02ld-%02ld", y + (m <= 2), m, d);
    return true;
}

char *
xlsxcells_text (const xlsxcells_book_t *book, const xlsxcells_cell_t *cell, bool as_date)
{
    if (!cell)
        return strdup ("");
    char date[16];
    if (cell->number && as_date && s_serial_date (cell->text, book->date1904, date, sizeof date))
        return strdup (date);
    if (cell->number)
        return s_plain_number (cell->text);
    if (as_date && strlen (cell->text) > 10 && cell->text[10] == 'T')
        return strndup (cell->text, 10); /* t="d": "2023-02-11T00:00:00" */
    return strdup (cell->text);
}

const xlsxcells_cell_t *
xlsxcells_at (const xlsxcells_sheet_t *sh, int row, int col)
{
    for (size_t i = 0; i < sh->n; i++)
        if (sh->cells[i].row == row && sh->cells[i].col == col)
            return &sh->cells[i];
    return NULL;
}

static int
s_cell_cmp (const void *a, const void *b)
{
    const xlsxcells_cell_t *x = a, *y = b;
    return x->row != y->row ? (x->row < y->row ? -1 : 1) : (x->col > y->col) - (x->col < y->col);
}

/* --- the book ------------------------------------------------------------- */

int
xlsxcells_open (xlsxcells_book_t *book, const char *file, const char *bytes, size_t len,
                dcp_findings_t *findings)
{
    *book = (xlsxcells_book_t){.file = file, .findings = findings};
    zip_error_t zerr;
    zip_error_init (&zerr);
    zip_source_t *src = zip_source_buffer_create (bytes, len, 0, &zerr);
    book->zip = src ? zip_open_from_source (src, ZIP_RDONLY | ZIP_CHECKCONS, &zerr) : NULL;
    if (!book->zip) {
        s_report (book, "XLSX-FILE", NULL, -1, 0,
                  "not a workbook: an .xlsx file is a zip archive, "
                  "and this one cannot be opened (%s); save it again as .xlsx",
                  zip_error_strerror (&zerr));
        if (src)
            zip_source_free (src);
        zip_error_fini (&zerr);
        return book->error ? book->error : DCP_EINVAL;
    }
    zip_error_fini (&zerr);
    int rc = s_read_workbook (book);
    if (rc == 0) {
        s_read_shared (book);
        rc = book->error;
    }
    if (rc)
        xlsxcells_close (book);
    return rc;
}

int
xlsxcells_read_sheet (xlsxcells_book_t *book, xlsxcells_sheet_t *sh)
{
    if (!s_read_sheet (book, sh))
        return book->error ? book->error : DCP_EINVAL;
    return book->error;
}

void
xlsxcells_sort (xlsxcells_sheet_t *sh)
{
    if (sh->n)
        qsort (sh->cells, sh->n, sizeof *sh->cells, s_cell_cmp);
}

void
xlsxcells_close (xlsxcells_book_t *book)
{
    for (size_t i = 0; i < book->n_shared; i++)
        free (book->shared[i]);
    free (book->shared);
    for (size_t i = 0; i < book->n_sheets; i++) {
        for (size_t k = 0; k < book->sheets[i].n; k++)
            free (book->sheets[i].cells[k].text);
        free (book->sheets[i].cells);
        free (book->sheets[i].name);
        free (book->sheets[i].part);
    }
    free (book->sheets);
    if (book->zip)
        zip_discard (book->zip);
    *book = (xlsxcells_book_t){.file = book->file, .findings = book->findings};
}
