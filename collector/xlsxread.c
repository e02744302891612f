/* xlsxread.c: workbooks into Submissions (see xlsxread.h).
 *
 * Three layers: the archive and its XML parts (libzip, libxml2) into sheets
 * of cells as text; the sheets into answers (forms through field_set_cell,
 * tables through csvread_table on CSV text made from the cells, so that a
 * table sheet means exactly what the same CSV file means); and the map from
 * JSON pointers and CSV positions back to cells. */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#include "csvread.h"
#include "dcp_buf.h"
#include "dcp_codec.h"
#include "dcp_err.h"
#include "dcp_fs.h"
#include "dcp_i18n.h"
#include "field.h"
#include "fieldword.h"
#include "wblayout.h"
#include "xlsxread.h"

#define S_MAX_PART (256u << 20)  /* largest XML part unpacked: a zip bomb stops here */
#define S_KEY_ROWS 20            /* a table's column names are looked for this far down */

/* --- cells and sheets ------------------------------------------------------ */

typedef struct {
    int row, col;  /* 0-based */
    char *text;
    bool number;   /* a numeric cell (t="n" or none): its text is the number */
} s_cell_t;

typedef struct {
    char *name;
    char *part;    /* "xl/worksheets/sheet1.xml" */
    s_cell_t *cells;
    size_t n, cap;
} s_sheet_t;

/* Where an answer came from: a JSON pointer prefix and a cell; COL < 0
 * means "find the column from the rest of the pointer". */
typedef struct {
    char *pointer;
    int sheet, row, col;
} s_anchor_t;

/* The column names of a table sheet, for placing findings by field. */
typedef struct {
    char *name;
    char **keys;
    int *cols;
    size_t n;
} s_sheetcols_t;

struct xlsxread_map_t {
    char *file;
    s_anchor_t *anchors;
    size_t n, cap;
    s_sheetcols_t *sheets;
    size_t n_sheets;
};

/* One call of xlsxread_bytes(). */
typedef struct {
    const char *file;  /* for findings */
    dcp_findings_t *findings;
    zip_t *zip;
    char **shared;     /* shared strings */
    size_t n_shared;
    bool shared_broken;  /* xl/sharedStrings.xml is there but unreadable (reported) */
    bool date1904;
    s_sheet_t *sheets;
    size_t n_sheets;
    xlsxread_map_t *map;
    int error;         /* DCP_ENOMEM once memory ran out */
} s_reader_t;

static void s_report (s_reader_t *r, const char *rule, const char *sheet, int row, int col,
                      const char *fmt, ...) __attribute__ ((format (printf, 6, 7)));

/* "form.xlsx:Sheet!C12" (or "form.xlsx:Sheet", "form.xlsx") into BUF. */
static const char *
s_place (const char *file, const char *sheet, int row, int col, char *buf, size_t size)
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

static void
s_report (s_reader_t *r, const char *rule, const char *sheet, int row, int col, const char *fmt,
          ...)
{
    char place[512], body[2048];
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (body, sizeof body, dcp_i18n_text (fmt), ap);
    va_end (ap);
    int rc = dcp_findings_add (r->findings, rule, DCP_SEV_ERROR,
                               s_place (r->file, sheet, row, col, place, sizeof place), "%s", body);
    if (rc && !r->error)
        r->error = rc;
}

/* The last C in the LEN bytes at P, NULL if none (memrchr is a GNU
 * extension). */
static const char *
s_memrchr (const char *p, char c, size_t len)
{
    while (len > 0)
        if (p[--len] == c)
            return p + len;
    return NULL;
}

/* --- the archive and its XML ---------------------------------------------- */

/* The part NAME of the archive as a parsed document; NULL if it is missing
 * (*MISSING set) or broken (reported). */
static xmlDocPtr
s_part (s_reader_t *r, const char *name, bool *missing)
{
    *missing = false;
    zip_stat_t st;
    zip_int64_t index = zip_name_locate (r->zip, name, ZIP_FL_NOCASE);
    if (index < 0 || zip_stat_index (r->zip, (zip_uint64_t) index, 0, &st) != 0) {
        *missing = true;
        return NULL;
    }
    if (!(st.valid & ZIP_STAT_SIZE) || st.size > S_MAX_PART) {
        s_report (r, "XLSX-FILE", NULL, -1, 0, "part %s of the workbook is larger than %u MiB",
                  name, S_MAX_PART >> 20);
        return NULL;
    }
    char *data = malloc (st.size + 1);
    zip_file_t *zf = data ? zip_fopen_index (r->zip, (zip_uint64_t) index, 0) : NULL;
    zip_int64_t got = zf ? zip_fread (zf, data, st.size) : -1;
    char why[256];
    snprintf (why, sizeof why, "%s", zf ? zip_file_strerror (zf) : zip_strerror (r->zip));
    if (zf)
        zip_fclose (zf);
    if (!data) {
        r->error = DCP_ENOMEM;
        return NULL;
    }
    if (got < 0 || (zip_uint64_t) got != st.size) {
        s_report (r, "XLSX-FILE", NULL, -1, 0, "part %s of the workbook could not be unpacked: %s",
                  name, got >= 0 ? _ ("shorter than the archive says") : why);
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
        s_report (r, "XLSX-FILE", NULL, -1, 0, "part %s of the workbook is not valid XML%s", name,
                  detail);
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
s_rich_text (s_reader_t *r, const xmlNode *n)
{
    dcp_buf_t b;
    dcp_buf_init (&b);
    s_text_runs (n, &b, &r->error);
    char *text = dcp_buf_take (&b, NULL);
    if (!text)
        r->error = DCP_ENOMEM;
    return text;
}

static void
s_read_shared (s_reader_t *r)
{
    bool missing;
    xmlDocPtr doc = s_part (r, "xl/sharedStrings.xml", &missing);
    if (!doc) {
        /* a workbook with only numbers and inline strings has none; a
         * broken one was reported, and its cells need not be, one by one */
        r->shared_broken = !missing;
        return;
    }
    xmlNodePtr root = xmlDocGetRootElement (doc);
    size_t n = 0;
    for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next)
        n += s_is (c, "si");
    r->shared = calloc (n + 1, sizeof *r->shared);
    if (!r->shared)
        r->error = DCP_ENOMEM;
    for (xmlNodePtr c = root ? root->children : NULL; c && r->shared; c = c->next)
        if (s_is (c, "si"))
            r->shared[r->n_shared++] = s_rich_text (r, c);
    xmlFreeDoc (doc);
}

/* The sheets of xl/workbook.xml with their parts (through the workbook's
 * relationships), and the date system. */
static int
s_read_workbook (s_reader_t *r)
{
    bool missing;
    xmlDocPtr wb = s_part (r, "xl/workbook.xml", &missing);
    xmlDocPtr rels = wb ? s_part (r, "xl/_rels/workbook.xml.rels", &missing) : NULL;
    if (!wb || !rels) {
        if (missing)
            s_report (r, "XLSX-FILE", NULL, -1, 0, "not a workbook: the archive has no %s",
                      wb ? "xl/_rels/workbook.xml.rels" : "xl/workbook.xml");
        xmlFreeDoc (wb);
        xmlFreeDoc (rels);
        return DCP_EINVAL;
    }
    xmlNodePtr root = xmlDocGetRootElement (wb);
    xmlNodePtr pr = s_child (root, "workbookPr");
    char *d1904 = pr ? s_attr (pr, "date1904") : NULL;
    r->date1904 = d1904 && (strcmp (d1904, "1") == 0 || strcasecmp (d1904, "true") == 0);
    xmlFree (d1904);
    xmlNodePtr sheets = s_child (root, "sheets");
    size_t n = 0;
    for (xmlNodePtr s = sheets ? sheets->children : NULL; s; s = s->next)
        n += s_is (s, "sheet");
    r->sheets = calloc (n + 1, sizeof *r->sheets);
    if (!r->sheets) {
        r->error = DCP_ENOMEM;
        n = 0;
    }
    xmlNodePtr rroot = xmlDocGetRootElement (rels);
    for (xmlNodePtr s = sheets ? sheets->children : NULL; s && r->sheets; s = s->next) {
        if (!s_is (s, "sheet"))
            continue;
        char *name = s_attr (s, "name"), *id = s_attr (s, "id");
        char *target = NULL;
        for (xmlNodePtr rel = rroot ? rroot->children : NULL; rel && id && !target; rel = rel->next) {
            char *rid = s_is (rel, "Relationship") ? s_attr (rel, "Id") : NULL;
            if (rid && strcmp (rid, id) == 0)
                target = s_attr (rel, "Target");
            xmlFree (rid);
        }
        if (name && target) {
            s_sheet_t *sh = &r->sheets[r->n_sheets++];
            sh->name = strdup (name);
            /* "worksheets/sheet1.xml" is relative to xl/; "/xl/..." is absolute */
            size_t len = strlen (target) + 8;
            sh->part = malloc (len);
            if (sh->part)
                snprintf (sh->part, len, "%s%s", target[0] == '/' ? "" : "xl/",
                          target[0] == '/' ? target + 1 : target);
            if (!sh->name || !sh->part)
                r->error = DCP_ENOMEM;
        }
        xmlFree (name);
        xmlFree (id);
        xmlFree (target);
    }
    xmlFreeDoc (wb);
    xmlFreeDoc (rels);
    return r->error;
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
s_push_cell (s_sheet_t *sh, int row, int col, char *text, bool number)
{
    if (sh->n == sh->cap) {
        size_t cap = sh->cap ? sh->cap * 2 : 64;
        s_cell_t *grown = realloc (sh->cells, cap * sizeof *grown);
        if (!grown) {
            free (text);
            return DCP_ENOMEM;
        }
        sh->cells = grown;
        sh->cap = cap;
    }
    sh->cells[sh->n++] = (s_cell_t) {row, col, text, number};
    return 0;
}

/* The text of cell C: what a person sees, before any meaning is given. */
static char *
s_cell_text (s_reader_t *r, const s_sheet_t *sh, const xmlNode *c, int row, int col, bool *number)
{
    char *type = s_attr (c, "t");
    xmlNodePtr v = s_child (c, "v");
    xmlChar *vt = v ? xmlNodeGetContent (v) : NULL;
    char *text = NULL;
    *number = false;
    if (type && strcmp (type, "s") == 0) {
        char *end;
        long i = vt ? strtol ((const char *) vt, &end, 10) : -1;
        if (i >= 0 && (size_t) i < r->n_shared && r->shared[i])
            text = strdup (r->shared[i]);
        else {
            if (!r->shared_broken)
                s_report (r, "XLSX-FILE", sh->name, row, col, "cell refers to shared string %s, "
                          "which the workbook does not have", vt ? (const char *) vt : "(none)");
            text = strdup ("");
        }
    } else if (type && strcmp (type, "inlineStr") == 0) {
        xmlNodePtr is = s_child (c, "is");
        text = is ? s_rich_text (r, is) : strdup ("");
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
        r->error = DCP_ENOMEM;
    return text;
}

/* Reads the cells of SH; false if its part is missing or broken
 * (reported). */
static bool
s_read_sheet (s_reader_t *r, s_sheet_t *sh)
{
    bool missing;
    xmlDocPtr doc = s_part (r, sh->part, &missing);
    if (!doc) {
        if (missing)
            s_report (r, "XLSX-FILE", sh->name, -1, 0, "the sheet's part %s is missing from the "
                      "archive", sh->part);
        return false;
    }
    xmlNodePtr data = s_child (xmlDocGetRootElement (doc), "sheetData");
    int row = -1;
    for (xmlNodePtr rw = data ? data->children : NULL; rw && !r->error; rw = rw->next) {
        if (!s_is (rw, "row"))
            continue;
        /* a row or cell without its reference follows the one before */
        char *rref = s_attr (rw, "r");
        row = rref && atoi (rref) > 0 ? atoi (rref) - 1 : row + 1;
        xmlFree (rref);
        int col = -1;
        for (xmlNodePtr c = rw->children; c && !r->error; c = c->next) {
            if (!s_is (c, "c"))
                continue;
            char *ref = s_attr (c, "r");
            int crow = row, ccol = col + 1;
            if (ref && !s_parse_ref (ref, &crow, &ccol))
                crow = row, ccol = col + 1;
            xmlFree (ref);
            col = ccol;
            bool number;
            char *text = s_cell_text (r, sh, c, crow, ccol, &number);
            if (text && !text[0]) {
                free (text);  /* styled but empty */
                continue;
            }
            if (text && s_push_cell (sh, crow, ccol, text, number))
                r->error = DCP_ENOMEM;
        }
    }
    xmlFreeDoc (doc);
    return true;
}

static const s_sheet_t *
s_find_sheet (const s_reader_t *r, const char *name)
{
    for (size_t i = 0; i < r->n_sheets; i++)
        if (strcmp (r->sheets[i].name, name) == 0)
            return &r->sheets[i];
    return NULL;
}

/* --- cell text into answer text ------------------------------------------- */

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
    long pos = (point < 0 ? (long) nd : point) + exp;  /* digits before the point */
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
    if (*end || v < 1 || v > 2958465)  /* 9999-12-31 */
        return false;
    long serial = (long) v, days;  /* days since 1970-01-01 */
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

/* The answer text of CELL in a column of TYPE (NULL cell: ""). */
static char *
s_answer (const s_reader_t *r, const s_cell_t *cell, wblayout_type_t type)
{
    if (!cell)
        return strdup ("");
    char date[16];
    if (cell->number && type == WBLAYOUT_DATE && s_serial_date (cell->text, r->date1904, date,
                                                                sizeof date))
        return strdup (date);
    if (cell->number)
        return s_plain_number (cell->text);
    if (type == WBLAYOUT_DATE && strlen (cell->text) > 10 && cell->text[10] == 'T')
        return strndup (cell->text, 10);  /* t="d": "2023-02-11T00:00:00" */
    return strdup (cell->text);
}

/* --- the map ------------------------------------------------------------------ */

static void
s_anchor (s_reader_t *r, const char *pointer, int sheet, int row, int col)
{
    xlsxread_map_t *m = r->map;
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        s_anchor_t *grown = realloc (m->anchors, cap * sizeof *grown);
        if (!grown) {
            r->error = DCP_ENOMEM;
            return;
        }
        m->anchors = grown;
        m->cap = cap;
    }
    char *copy = strdup (pointer);
    if (!copy) {
        r->error = DCP_ENOMEM;
        return;
    }
    m->anchors[m->n++] = (s_anchor_t) {copy, sheet, row, col};
}

/* --- forms ------------------------------------------------------------------- */

/* Element INDEX of repeated message field F of MSG, made (with the ones
 * before it) if the list is shorter; NULL if out of memory. */
static ProtobufCMessage *
s_list_element (ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f, size_t index)
{
    size_t *n = &FIELD_MEMBER (size_t, msg, f->quantifier_offset);
    ProtobufCMessage ***items = &FIELD_MEMBER (ProtobufCMessage **, msg, f->offset);
    if (index >= *n) {
        ProtobufCMessage **grown = realloc (*items, (index + 1) * sizeof *grown);
        if (!grown)
            return NULL;
        *items = grown;
        for (; *n <= index; (*n)++)
            if (!(grown[*n] = field_new_message (f->descriptor)))
                return NULL;
    }
    return (*items)[index];
}

/* Sets the field at dotted PATH of SUB ("focal_point.email",
 * "contributing_agencies.0.name") from TEXT, making the messages on the
 * way. */
static int
s_set_path (s_reader_t *r, Dcp__V1__Submission *sub, const char *path, const char *text,
            const field_cell_t *where)
{
    ProtobufCMessage *msg = &sub->base;
    char seg[128];
    const char *p = path;
    for (const char *dot; (dot = strchr (p, '.')) != NULL; p = dot + 1) {
        snprintf (seg, sizeof seg, "%.*s", (int) (dot - p), p);
        const ProtobufCMessageDescriptor *desc = msg->descriptor;
        const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field_by_name (desc, seg);
        assert (f && f->type == PROTOBUF_C_TYPE_MESSAGE);
        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            p = dot + 1;  /* the element's index */
            dot = strchr (p, '.');
            assert (dot && isdigit ((unsigned char) *p));
            msg = s_list_element (msg, f, (size_t) atoi (p));
            if (!msg)
                return DCP_ENOMEM;
            continue;
        }
        ProtobufCMessage **slot = &FIELD_MEMBER (ProtobufCMessage *, msg, f->offset);
        if (!*slot) {
            field_report_t rep = {.findings = r->findings, .prefix = "XLSX", .path = where->path};
            if (!field_oneof_free (&rep, desc, msg, f))
                return DCP_EINVAL;
            *slot = field_new_message (f->descriptor);
            if (!*slot)
                return DCP_ENOMEM;
            field_mark_present (msg, f);
        }
        msg = *slot;
    }
    const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field_by_name (msg->descriptor, p);
    assert (f);
    return field_set_cell (msg, f, text, where);
}

static const s_cell_t *
s_cell_at (const s_sheet_t *sh, int row, int col)
{
    for (size_t i = 0; i < sh->n; i++)
        if (sh->cells[i].row == row && sh->cells[i].col == col)
            return &sh->cells[i];
    return NULL;
}

/* A form: every row whose field column names a field of the layout. */
static int s_remember_columns (s_reader_t *r, const s_sheet_t *sh, const s_cell_t *const *heads,
                               size_t n);

/* For a form row of a list element ("contributing_agencies.1.name"): true
 * if some row of the same element has an answer, so that a blank row does
 * not make an element on its own.  True for a row of no list. */
static const s_cell_t *s_cell_at (const s_sheet_t *sh, int row, int col);

static bool
s_element_used (const s_sheet_t *sh, const char *key)
{
    size_t prefix = 0;  /* the key up to its last list index and the dot after it: "a.1." */
    for (const char *dot = strchr (key, '.'); dot; dot = strchr (dot + 1, '.')) {
        const char *next = strchr (dot + 1, '.');
        if (isdigit ((unsigned char) dot[1]) && next)
            prefix = (size_t) (next - key) + 1;
    }
    if (prefix == 0)
        return true;
    for (size_t i = 0; i < sh->n; i++) {
        const s_cell_t *kc = &sh->cells[i];
        if (kc->col != WBLAYOUT_FORM_KEY_COL || strncmp (kc->text, key, prefix) != 0)
            continue;
        const s_cell_t *v = s_cell_at (sh, kc->row, WBLAYOUT_FORM_VALUE_COL);
        char t[8];
        if (v && (!fieldword_trim (v->text, t, sizeof t) || t[0]))
            return true;
    }
    return false;
}

static void
s_read_form (s_reader_t *r, const wblayout_sheet_t *ls, const s_sheet_t *sh,
             Dcp__V1__Submission *sub)
{
    int sheet_index = s_remember_columns (r, sh, NULL, 0);
    if (sheet_index < 0)
        return;
    for (size_t i = 0; i < sh->n && !r->error; i++) {
        const s_cell_t *kc = &sh->cells[i];
        if (kc->col != WBLAYOUT_FORM_KEY_COL || kc->row < WBLAYOUT_FIRST_ROW)
            continue;
        char key[128];
        if (!fieldword_trim (kc->text, key, sizeof key) || !key[0])
            continue;
        const wblayout_column_t *c = wblayout_column (ls, key);
        if (!c) {
            s_report (r, "XLSX-UNKNOWN-KEY", sh->name, kc->row, kc->col, "\"%s\" is not a field "
                      "of this sheet; the field column must be left as the template has it", key);
            continue;
        }
        char pointer[160], place[512];
        snprintf (pointer, sizeof pointer, "/%s", key);
        for (char *d = pointer; *d; d++)
            *d = *d == '.' ? '/' : *d;
        s_anchor (r, pointer, sheet_index, kc->row, WBLAYOUT_FORM_VALUE_COL);
        /* "/focal_point" (a rule about the whole message) is its first row */
        for (char *slash = strrchr (pointer, '/'); slash && slash != pointer;
             slash = strrchr (pointer, '/')) {
            *slash = '\0';
            bool known = false;
            for (size_t a = 0; a < r->map->n && !known; a++)
                known = strcmp (r->map->anchors[a].pointer, pointer) == 0;
            if (!known)
                s_anchor (r, pointer, sheet_index, kc->row, WBLAYOUT_FORM_VALUE_COL);
        }
        char *text = s_answer (r, s_cell_at (sh, kc->row, WBLAYOUT_FORM_VALUE_COL), c->type);
        if (!text) {
            r->error = DCP_ENOMEM;
            return;
        }
        char *t = text;
        while (*t == ' ' || *t == '\t')
            t++;
        /* A blank answer is "not given", as a key left out of JSON; but a
         * blank number answer is UNANSWERED, as a blank cell of a table
         * (or CSV file) is, never 0. */
        if (*t || (c->list == WBLAYOUT_LIST_NO_VALUE && s_element_used (sh, key))) {
            field_cell_t where = {
                .findings = r->findings, .rule_prefix = "XLSX",
                .path = s_place (r->file, sh->name, kc->row, WBLAYOUT_FORM_VALUE_COL, place,
                                 sizeof place),
                .context = key,
            };
            if (s_set_path (r, sub, key, text, &where) == DCP_ENOMEM)
                r->error = DCP_ENOMEM;
        }
        free (text);
    }
}

/* --- tables ------------------------------------------------------------------ */

/* Where a cell of the CSV text made from a sheet came from. */
typedef struct {
    int line, col;         /* in the CSV text */
    int row, sheet_col;    /* in the sheet */
} s_pos_t;

typedef struct {
    dcp_buf_t csv;
    int line, col;
    s_pos_t *pos;
    size_t n, cap;
    int error;
} s_csvgen_t;

/* Appends TEXT as one quoted CSV cell from sheet cell ROW/SHEET_COL. */
static void
s_gen_cell (s_csvgen_t *g, const char *text, bool first, int row, int sheet_col)
{
    if (!first) {
        dcp_buf_append (&g->csv, ",", 1);
        g->col++;
    }
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 256;
        s_pos_t *grown = realloc (g->pos, cap * sizeof *grown);
        if (!grown) {
            g->error = DCP_ENOMEM;
            return;
        }
        g->pos = grown;
        g->cap = cap;
    }
    g->pos[g->n++] = (s_pos_t) {g->line, g->col, row, sheet_col};
    dcp_buf_append (&g->csv, "\"", 1);
    g->col++;
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            dcp_buf_append (&g->csv, "\"", 1), g->col++;
        dcp_buf_append (&g->csv, p, 1);
        if (*p == '\n')
            g->line++, g->col = 1;
        else if (((unsigned char) *p & 0xC0) != 0x80)
            g->col++;
    }
    dcp_buf_append (&g->csv, "\"", 1);
    g->col++;
}

static void
s_gen_end (s_csvgen_t *g)
{
    dcp_buf_append (&g->csv, "\n", 1);
    g->line++;
    g->col = 1;
}

/* The sheet cell of CSV position LINE:COL: the last cell starting at or
 * before it. */
static const s_pos_t *
s_pos_find (const s_csvgen_t *g, int line, int col)
{
    const s_pos_t *best = NULL;
    for (size_t i = 0; i < g->n; i++) {
        const s_pos_t *p = &g->pos[i];
        if (p->line < line || (p->line == line && p->col <= col))
            best = p;
        else
            break;
    }
    return best;
}

/* Copies the CSV reader's findings into the workbook's: "P6_incidents:4:17"
 * becomes "form.xlsx:P6_incidents!Q5", "CSV-" rules become "XLSX-", and
 * what only a CSV file needs said is left out (the CSV column number and
 * the row's pointer: the cell says both). */
static void
s_copy_csv_findings (s_reader_t *r, const s_sheet_t *sh, const s_csvgen_t *g,
                     const dcp_findings_t *from)
{
    for (size_t i = 0; i < dcp_findings_count (from) && !r->error; i++) {
        const dcp_finding_t *f = dcp_findings_get (from, i);
        char rule[64], place[512], msg[2048];
        snprintf (rule, sizeof rule, "%s%s", strncmp (f->rule, "CSV-", 4) == 0 ? "XLSX-" : "",
                  strncmp (f->rule, "CSV-", 4) == 0 ? f->rule + 4 : f->rule);
        snprintf (place, sizeof place, "%s", f->path);
        const char *c2 = strrchr (f->path, ':');
        const char *c1 = c2 ? s_memrchr (f->path, ':', (size_t) (c2 - f->path)) : NULL;
        if (c1) {
            const s_pos_t *p = s_pos_find (g, atoi (c1 + 1), atoi (c2 + 1));
            if (p)
                s_place (r->file, sh->name, p->row, p->sheet_col, place, sizeof place);
        }
        /* The CSV reader's words, in the language it wrote them in (its
         * translations keep these fragments: collector/po). */
        const char *column_word = _ ("column "), *on_line = _ (" on line ");
        size_t cw = strlen (column_word), ol = strlen (on_line);
        char row_note[64];
        snprintf (row_note, sizeof row_note, " (%s/", _ ("row becomes "));
        const char *m = f->message;
        if (strncmp (m, column_word, cw) == 0 && isdigit ((unsigned char) m[cw])) {
            m += cw;
            while (isdigit ((unsigned char) *m))
                m++;
            m += *m == ' ';
            snprintf (msg, sizeof msg, "%s%s", column_word, m);
        } else
            snprintf (msg, sizeof msg, "%s", m);
        char *note = strstr (msg, row_note);
        if (note && msg[strlen (msg) - 1] == ')')
            *note = '\0';
        /* "... on line 2 for the same incident_id": the line of the CSV text
         * is a row of the sheet */
        char *on = strstr (msg, on_line);
        if (on && isdigit ((unsigned char) on[ol])) {
            char *end;
            const s_pos_t *p = s_pos_find (g, (int) strtol (on + ol, &end, 10), 1);
            char tail[1024];
            snprintf (tail, sizeof tail, "%s", end);
            if (p)
                snprintf (on, sizeof msg - (size_t) (on - msg), _ (" in row %d%s"), p->row + 1,
                          tail);
        }
        if (dcp_findings_add (r->findings, rule, f->severity, place, "%s", msg))
            r->error = DCP_ENOMEM;
    }
}

/* The row of SH holding the column names: the first of the top rows in
 * which some cell is a column of LS.  -1 if none. */
static int
s_key_row (const wblayout_sheet_t *ls, const s_sheet_t *sh)
{
    int best = -1;
    for (size_t i = 0; i < sh->n; i++) {
        const s_cell_t *c = &sh->cells[i];
        char key[128];
        if (c->row < S_KEY_ROWS && (best < 0 || c->row < best)
            && fieldword_trim (c->text, key, sizeof key) && wblayout_column (ls, key))
            best = c->row;
    }
    return best;
}

static int
s_cell_cmp (const void *a, const void *b)
{
    const s_cell_t *x = a, *y = b;
    return x->row != y->row ? (x->row < y->row ? -1 : 1) : (x->col > y->col) - (x->col < y->col);
}

/* Records where the rows of table sheet LS landed in the payload: element
 * I of a plain table is its I-th row; a grouped table (incidents) makes
 * one element per key, in the order the keys first appear. */
static void
s_anchor_rows (s_reader_t *r, const wblayout_sheet_t *ls, int sheet_index, const int *rows,
               char **keys, size_t n)
{
    char pointer[256];
    bool grouped = strcmp (ls->table, "incidents") == 0;
    size_t groups = 0;
    size_t *group_of = grouped ? calloc (n + 1, sizeof *group_of) : NULL;
    if (grouped && !group_of) {
        r->error = DCP_ENOMEM;
        return;
    }
    for (size_t i = 0; i < n && !r->error; i++) {
        if (!grouped) {
            snprintf (pointer, sizeof pointer, "/%s/%s/%zu", ls->kind, ls->table, i);
            s_anchor (r, pointer, sheet_index, rows[i], -1);
            continue;
        }
        if (!keys[i][0])
            continue;  /* no key: the CSV reader reported it and skipped the row */
        size_t g = groups, j = 0;
        for (size_t k = 0; k < i; k++)
            if (keys[k][0] && strcmp (keys[k], keys[i]) == 0) {
                g = group_of[k];
                j++;
            }
        if (g == groups) {
            snprintf (pointer, sizeof pointer, "/%s/%s/%zu", ls->kind, ls->table, g);
            s_anchor (r, pointer, sheet_index, rows[i], -1);
            groups++;
        }
        group_of[i] = g;
        snprintf (pointer, sizeof pointer, "/%s/%s/%zu/substances/%zu", ls->kind, ls->table, g, j);
        s_anchor (r, pointer, sheet_index, rows[i], -1);
    }
    free (group_of);
}

/* Remembers sheet SH (and the column names of a table) for
 * xlsxread_locate(); returns its index in the map, -1 if out of memory. */
static int
s_remember_columns (s_reader_t *r, const s_sheet_t *sh, const s_cell_t *const *heads, size_t n)
{
    xlsxread_map_t *m = r->map;
    s_sheetcols_t *grown = realloc (m->sheets, (m->n_sheets + 1) * sizeof *grown);
    if (!grown) {
        r->error = DCP_ENOMEM;
        return -1;
    }
    m->sheets = grown;
    s_sheetcols_t *sc = &m->sheets[m->n_sheets++];
    *sc = (s_sheetcols_t) {.name = strdup (sh->name), .keys = calloc (n + 1, sizeof (char *)),
                           .cols = calloc (n + 1, sizeof (int))};
    if (!sc->name || !sc->keys || !sc->cols) {
        r->error = DCP_ENOMEM;
        return -1;
    }
    for (size_t k = 0; k < n; k++) {
        char key[128];
        fieldword_trim (heads[k]->text, key, sizeof key);
        sc->keys[k] = strdup (key);
        sc->cols[k] = heads[k]->col;
        sc->n++;
        if (!sc->keys[k])
            r->error = DCP_ENOMEM;
    }
    return (int) m->n_sheets - 1;
}

/* The cells of one sheet row, by position among the header columns. */
static void
s_row_cells (const s_sheet_t *sh, size_t *i, int row, const s_cell_t *const *heads, size_t n,
             const s_cell_t **out)
{
    for (size_t k = 0; k < n; k++)
        out[k] = NULL;
    for (; *i < sh->n && sh->cells[*i].row == row; (*i)++)
        for (size_t k = 0; k < n; k++)
            if (heads[k]->col == sh->cells[*i].col)
                out[k] = &sh->cells[*i];
}

/* One table sheet being turned into CSV text. */
typedef struct {
    const s_cell_t **heads;  /* the cells of the column names, left to right */
    size_t n;
    const s_cell_t **cells;  /* the current row's cells under the heads */
    int *rows;               /* per answer row: its sheet row */
    char **keys;             /* per answer row: its grouping key (incident_id), trimmed */
    size_t n_rows;
    int key_col;             /* the grouping key's position among the heads, -1 if none */
    s_csvgen_t g;
} s_table_t;

/* Appends the answer rows from cell I of SH on to T's CSV text; rows left
 * empty (or only styled) are not answers. */
static void
s_gen_rows (s_reader_t *r, const wblayout_sheet_t *ls, const s_sheet_t *sh, size_t i,
            s_table_t *t)
{
    char key[128];
    while (i < sh->n && !r->error && !t->g.error) {
        int row = sh->cells[i].row;
        s_row_cells (sh, &i, row, t->heads, t->n, t->cells);
        char *texts[t->n + 1];
        bool blank = true;
        for (size_t k = 0; k < t->n; k++) {
            fieldword_trim (t->heads[k]->text, key, sizeof key);
            const wblayout_column_t *c = wblayout_column (ls, key);
            texts[k] = s_answer (r, t->cells[k], c ? c->type : WBLAYOUT_TEXT);
            char trimmed[8];
            if (!texts[k])
                r->error = DCP_ENOMEM;
            else if (!fieldword_trim (texts[k], trimmed, sizeof trimmed) || trimmed[0])
                blank = false;
        }
        if (!blank && !r->error) {
            for (size_t k = 0; k < t->n; k++)
                s_gen_cell (&t->g, texts[k], k == 0, row, t->heads[k]->col);
            s_gen_end (&t->g);
            key[0] = '\0';
            if (t->key_col >= 0 && !fieldword_trim (texts[t->key_col], key, sizeof key))
                snprintf (key, sizeof key, "%s", texts[t->key_col]);
            t->rows[t->n_rows] = row;
            if (!(t->keys[t->n_rows++] = strdup (key)))
                r->error = DCP_ENOMEM;
        }
        for (size_t k = 0; k < t->n; k++)
            free (texts[k]);
    }
}

/* A table sheet: its rows become CSV text for csvread_table(), and the
 * CSV reader's findings come back with the cells' places. */
static void
s_read_table (s_reader_t *r, const wblayout_sheet_t *ls, s_sheet_t *sh,
              Dcp__V1__Submission *sub)
{
    if (sh->n)
        qsort (sh->cells, sh->n, sizeof *sh->cells, s_cell_cmp);
    int key_row = s_key_row (ls, sh);
    if (key_row < 0 && r->shared_broken)
        return;  /* the column names are shared strings, which were reported */
    if (key_row < 0) {
        s_report (r, "XLSX-MISSING-COLUMN", sh->name, WBLAYOUT_KEY_ROW, 0, "no row names the "
                  "columns (row %d of the template holds them: %s, ...); nothing on this sheet "
                  "was read", WBLAYOUT_KEY_ROW + 1, ls->columns[0].key);
        return;
    }
    s_table_t t = {.heads = calloc (sh->n + 1, sizeof *t.heads),
                   .cells = calloc (sh->n + 1, sizeof *t.cells),
                   .rows = calloc (sh->n + 1, sizeof *t.rows),
                   .keys = calloc (sh->n + 1, sizeof *t.keys),
                   .key_col = -1, .g = {.line = 1, .col = 1}};
    dcp_buf_init (&t.g.csv);
    dcp_findings_t *found = dcp_findings_new ();
    if (!t.heads || !t.cells || !t.rows || !t.keys || !found) {
        r->error = DCP_ENOMEM;
        goto cleanup;
    }
    size_t i = 0;
    while (i < sh->n && sh->cells[i].row < key_row)
        i++;
    for (; i < sh->n && sh->cells[i].row == key_row; i++) {
        char key[128];
        if (fieldword_trim (sh->cells[i].text, key, sizeof key) && strcmp (key, "incident_id") == 0)
            t.key_col = (int) t.n;
        s_gen_cell (&t.g, sh->cells[i].text, t.n == 0, key_row, sh->cells[i].col);
        t.heads[t.n++] = &sh->cells[i];
    }
    s_gen_end (&t.g);
    int sheet_index = s_remember_columns (r, sh, t.heads, t.n);
    if (sheet_index < 0)
        goto cleanup;
    char pointer[256];
    snprintf (pointer, sizeof pointer, "/%s/%s", ls->kind, ls->table);
    s_anchor (r, pointer, sheet_index, key_row, t.heads[0]->col);
    s_gen_rows (r, ls, sh, i, &t);
    if (t.g.error || t.g.csv.err || !t.g.csv.data)
        r->error = DCP_ENOMEM;
    if (t.n_rows > 0 && !r->error) {
        int rc = csvread_table (t.g.csv.data, t.g.csv.len, sh->name, ls->table, sub, found);
        if (rc == DCP_ENOMEM)
            r->error = rc;
        s_copy_csv_findings (r, sh, &t.g, found);
        if (rc == 0)
            s_anchor_rows (r, ls, sheet_index, t.rows, t.keys, t.n_rows);
    }
cleanup:
    for (size_t k = 0; t.keys && k < t.n_rows; k++)
        free (t.keys[k]);
    free (t.keys);
    free (t.rows);
    free (t.heads);
    free (t.cells);
    free (t.g.pos);
    dcp_buf_free (&t.g.csv);
    dcp_findings_destroy (&found);
}

/* --- the whole workbook ---------------------------------------------------- */

static void
s_reader_free (s_reader_t *r)
{
    for (size_t i = 0; i < r->n_shared; i++)
        free (r->shared[i]);
    free (r->shared);
    for (size_t i = 0; i < r->n_sheets; i++) {
        for (size_t k = 0; k < r->sheets[i].n; k++)
            free (r->sheets[i].cells[k].text);
        free (r->sheets[i].cells);
        free (r->sheets[i].name);
        free (r->sheets[i].part);
    }
    free (r->sheets);
    if (r->zip)
        zip_discard (r->zip);
}

/* Reads the sheets the layout names, forms first (the envelope says which
 * questionnaire it is), in layout order. */
static void
s_read_sheets (s_reader_t *r, Dcp__V1__Submission *sub)
{
    size_t n;
    const wblayout_sheet_t *layout = wblayout_sheets (&n);
    if (!s_find_sheet (r, layout[0].name))
        s_report (r, "XLSX-MISSING-SHEET", NULL, -1, 0, "the workbook has no sheet \"%s\": it "
                  "says who reports for which year; start from `collector template KIND "
                  "FILE.xlsx`", layout[0].name);
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n && !r->error; i++) {
            const wblayout_sheet_t *ls = &layout[i];
            if ((ls->table != NULL) != (pass == 1))
                continue;
            s_sheet_t *sh = (s_sheet_t *) s_find_sheet (r, ls->name);
            if (!sh)
                continue;
            if (!s_read_sheet (r, sh))
                continue;
            if (ls->table)
                s_read_table (r, ls, sh, sub);
            else
                s_read_form (r, ls, sh, sub);
        }
    for (size_t i = 0; i < r->n_sheets; i++) {
        const char *name = r->sheets[i].name;
        if (!wblayout_sheet (name) && strcmp (name, WBLAYOUT_INSTRUCTIONS) != 0
            && strcmp (name, WBLAYOUT_LISTS) != 0
            && dcp_findings_add (r->findings, "XLSX-UNKNOWN-SHEET", DCP_SEV_WARNING, name,
                                 "sheet \"%s\" is not part of the questionnaire and was not "
                                 "read", name))
            r->error = DCP_ENOMEM;
    }
    /* as in a JSON file, the questionnaire may be left to the payload */
    if (sub->questionnaire == DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_KIND_UNSPECIFIED) {
        if (sub->payload_case == DCP__V1__SUBMISSION__PAYLOAD_PRECURSORS)
            sub->questionnaire = DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_PRECURSORS;
        else if (sub->payload_case == DCP__V1__SUBMISSION__PAYLOAD_FINANCIAL_FLOWS)
            sub->questionnaire = DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_FINANCIAL_FLOWS;
    }
}

static const char *
s_basename (const char *path)
{
    const char *slash = strrchr (path, '/');
    return slash ? slash + 1 : path;
}

Dcp__V1__Submission *
xlsxread_bytes (const char *name, const char *bytes, size_t len, dcp_findings_t *findings,
                xlsxread_map_t **map_p)
{
    s_reader_t r = {.file = s_basename (name), .findings = findings};
    Dcp__V1__Submission *sub = NULL;
    if (map_p)
        *map_p = NULL;
    r.map = calloc (1, sizeof *r.map);
    if (!r.map || !(r.map->file = strdup (r.file)))
        goto fail;
    zip_error_t zerr;
    zip_error_init (&zerr);
    zip_source_t *src = zip_source_buffer_create (bytes, len, 0, &zerr);
    r.zip = src ? zip_open_from_source (src, ZIP_RDONLY | ZIP_CHECKCONS, &zerr) : NULL;
    if (!r.zip) {
        s_report (&r, "XLSX-FILE", NULL, -1, 0, "not a workbook: an .xlsx file is a zip archive, "
                  "and this one cannot be opened (%s); save it again as .xlsx",
                  zip_error_strerror (&zerr));
        if (src)
            zip_source_free (src);
        zip_error_fini (&zerr);
        goto fail;
    }
    zip_error_fini (&zerr);
    if (s_read_workbook (&r))
        goto fail;
    s_read_shared (&r);
    sub = (Dcp__V1__Submission *) field_new_message (&dcp__v1__submission__descriptor);
    if (!sub || r.error)
        goto fail;
    s_read_sheets (&r, sub);
    if (r.error)
        goto fail;
    s_reader_free (&r);
    if (map_p)
        *map_p = r.map;
    else
        xlsxread_map_destroy (&r.map);
    return sub;
fail:
    dcp_codec_free (&sub);
    s_reader_free (&r);
    xlsxread_map_destroy (&r.map);
    return NULL;
}

bool
xlsxread_is_workbook (const char *path)
{
    size_t n = path ? strlen (path) : 0;
    return n > 5 && strcasecmp (path + n - 5, ".xlsx") == 0;
}

Dcp__V1__Submission *
xlsxread_file (const char *path, dcp_findings_t *findings, jsonread_files_t *files,
               xlsxread_map_t **map_p)
{
    size_t len = 0;
    if (map_p)
        *map_p = NULL;
    char *bytes = dcp_fs_read_file (path, JSONREAD_MAX_FILE, &len);
    if (!bytes) {
        dcp_findings_add (findings, "XLSX-FILE", DCP_SEV_ERROR, s_basename (path),
                          "could not read \"%s\": %s", path,
                          errno == EFBIG ? _ ("larger than 64 MiB") : strerror (errno));
        return NULL;
    }
    Dcp__V1__Submission *sub = xlsxread_bytes (path, bytes, len, findings, map_p);
    if (files) {
        files->parts = calloc (1, sizeof *files->parts);
        char *name = strdup (path);
        if (files->parts && name) {
            files->parts[0] = (jsonread_part_t) {name, bytes, len};
            files->n = 1;
            return sub;
        }
        free (files->parts);
        files->parts = NULL;
        free (name);
        dcp_codec_free (&sub);
        xlsxread_map_destroy (map_p);
    }
    free (bytes);
    return sub;
}

/* The cell of pointer PATH: the longest anchor that is a prefix of it, then
 * the column the rest of the pointer names ("quantity/unit" is the column
 * "quantity.unit", or else "quantity").  False if no answer matches. */
static bool
s_locate_one (const xlsxread_map_t *m, const char *path, char *buf, size_t size)
{
    const s_anchor_t *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < m->n; i++) {
        size_t len = strlen (m->anchors[i].pointer);
        if (len > best_len && strncmp (path, m->anchors[i].pointer, len) == 0
            && (path[len] == '\0' || path[len] == '/')) {
            best = &m->anchors[i];
            best_len = len;
        }
    }
    if (!best)
        return false;
    const s_sheetcols_t *sc = &m->sheets[best->sheet];
    int col = best->col;
    if (col < 0) {
        char rest[256];
        snprintf (rest, sizeof rest, "%s", path[best_len] ? path + best_len + 1 : "");
        for (char *d = rest; *d; d++)
            *d = *d == '/' ? '.' : *d;
        /* the longest dotted head of the rest that names a column */
        for (size_t len = strlen (rest); len > 0 && col < 0;) {
            for (size_t k = 0; k < sc->n && col < 0; k++)
                if (strlen (sc->keys[k]) == len && strncmp (sc->keys[k], rest, len) == 0)
                    col = sc->cols[k];
            const char *dot = s_memrchr (rest, '.', len);
            len = dot ? (size_t) (dot - rest) : 0;
        }
        if (col < 0)
            col = sc->n ? sc->cols[0] : 0;
    }
    s_place (m->file, sc->name, best->row, col, buf, size);
    return true;
}

int
xlsxread_locate (const xlsxread_map_t *map, const dcp_findings_t *from, dcp_findings_t *to)
{
    for (size_t i = 0; i < dcp_findings_count (from); i++) {
        const dcp_finding_t *f = dcp_findings_get (from, i);
        char place[512];
        const char *path = f->path;
        if (map && path && path[0] == '/' && s_locate_one (map, path, place, sizeof place))
            path = place;
        if (dcp_findings_add (to, f->rule, f->severity, path, "%s", f->message))
            return DCP_ENOMEM;
    }
    return 0;
}

void
xlsxread_map_destroy (xlsxread_map_t **map_p)
{
    xlsxread_map_t *m = map_p ? *map_p : NULL;
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        free (m->anchors[i].pointer);
    free (m->anchors);
    for (size_t i = 0; i < m->n_sheets; i++) {
        for (size_t k = 0; k < m->sheets[i].n; k++)
            free (m->sheets[i].keys[k]);
        free (m->sheets[i].keys);
        free (m->sheets[i].cols);
        free (m->sheets[i].name);
    }
    free (m->sheets);
    free (m->file);
    free (m);
    *map_p = NULL;
}
