/* xlsxread.c: workbooks into Submissions (see xlsxread.h).
 *
 * Three layers: the archive and its XML parts into sheets of cells as text
 * (xlsxcells.c, which knows nothing of the questionnaire); the sheets into
 * answers (forms through field_set_cell, tables through csvread_table on
 * CSV text made from the cells, so that a table sheet means exactly what
 * the same CSV file means); and the map from JSON pointers and CSV
 * positions back to cells (xlsxread_locate), here because only the reader
 * knows which answer came from which cell. */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvread.h"
#include "dcp_buf.h"
#include "dcp_codec.h"
#include "dcp_err.h"
#include "dcp_fs.h"
#include "dcp_i18n.h"
#include "field.h"
#include "fieldword.h"
#include "wblayout.h"
#include "xlsxcells.h"
#include "xlsxread.h"

#define S_KEY_ROWS 20 /* a table's column names are looked for this far down */

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
    const char *file; /* for findings */
    dcp_findings_t *findings;
    xlsxcells_book_t book; /* the cells */
    xlsxread_map_t *map;
    int error; /* DCP_ENOMEM once memory ran out */
} s_reader_t;

static void s_report (s_reader_t *r, const char *rule, const char *sheet, int row, int col,
                      const char *fmt, ...) __attribute__ ((format (printf, 6, 7)));

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
                               xlsxcells_place (r->file, sheet, row, col, place, sizeof place),
                               "%s", body);
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

/* --- cell text into answer text ------------------------------------------- */

/* The answer text of CELL in a column of TYPE (NULL cell: ""). */
static char *
s_answer (const s_reader_t *r, const xlsxcells_cell_t *cell, wblayout_type_t type)
{
    return xlsxcells_text (&r->book, cell, type == WBLAYOUT_DATE);
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
    m->anchors[m->n++] = (s_anchor_t){copy, sheet, row, col};
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
        const ProtobufCFieldDescriptor *f =
            protobuf_c_message_descriptor_get_field_by_name (desc, seg);
        assert (f && f->type == PROTOBUF_C_TYPE_MESSAGE);
        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            p = dot + 1; /* the element's index */
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
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field_by_name (msg->descriptor, p);
    assert (f);
    return field_set_cell (msg, f, text, where);
}

/* A form: every row whose field column names a field of the layout. */
static int s_remember_columns (s_reader_t *r, const xlsxcells_sheet_t *sh,
                               const xlsxcells_cell_t *const *heads, size_t n);

/* For a form row of a list element ("contributing_agencies.1.name"): true
 * if some row of the same element has an answer, so that a blank row does
 * not make an element on its own.  True for a row of no list. */
static bool
s_element_used (const xlsxcells_sheet_t *sh, const char *key)
{
    size_t prefix = 0; /* the key up to its last list index and the dot after it: "a.1." */
    for (const char *dot = strchr (key, '.'); dot; dot = strchr (dot + 1, '.')) {
        const char *next = strchr (dot + 1, '.');
        if (isdigit ((unsigned char) dot[1]) && next)
            prefix = (size_t) (next - key) + 1;
    }
    if (prefix == 0)
        return true;
    for (size_t i = 0; i < sh->n; i++) {
        const xlsxcells_cell_t *kc = &sh->cells[i];
        if (kc->col != WBLAYOUT_FORM_KEY_COL || strncmp (kc->text, key, prefix) != 0)
            continue;
        const xlsxcells_cell_t *v = xlsxcells_at (sh, kc->row, WBLAYOUT_FORM_VALUE_COL);
        char t[8];
        if (v && (!fieldword_trim (v->text, t, sizeof t) || t[0]))
            return true;
    }
    return false;
}

static void
s_read_form (s_reader_t *r, const wblayout_sheet_t *ls, const xlsxcells_sheet_t *sh,
             Dcp__V1__Submission *sub)
{
    int sheet_index = s_remember_columns (r, sh, NULL, 0);
    if (sheet_index < 0)
        return;
    for (size_t i = 0; i < sh->n && !r->error; i++) {
        const xlsxcells_cell_t *kc = &sh->cells[i];
        if (kc->col != WBLAYOUT_FORM_KEY_COL || kc->row < WBLAYOUT_FIRST_ROW)
            continue;
        char key[128];
        if (!fieldword_trim (kc->text, key, sizeof key) || !key[0])
            continue;
        const wblayout_column_t *c = wblayout_column (ls, key);
        if (!c) {
            s_report (r, "XLSX-UNKNOWN-KEY", sh->name, kc->row, kc->col,
                      "\"%s\" is not a field "
                      "of this sheet; the field column must be left as the template has it",
                      key);
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
        char *text = s_answer (r, xlsxcells_at (sh, kc->row, WBLAYOUT_FORM_VALUE_COL), c->type);
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
                .findings = r->findings,
                .rule_prefix = "XLSX",
                .path = xlsxcells_place (r->file, sh->name, kc->row, WBLAYOUT_FORM_VALUE_COL, place,
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
    int line, col;      /* in the CSV text */
    int row, sheet_col; /* in the sheet */
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
    g->pos[g->n++] = (s_pos_t){g->line, g->col, row, sheet_col};
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
s_copy_csv_findings (s_reader_t *r, const xlsxcells_sheet_t *sh, const s_csvgen_t *g,
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
                xlsxcells_place (r->file, sh->name, p->row, p->sheet_col, place, sizeof place);
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
s_key_row (const wblayout_sheet_t *ls, const xlsxcells_sheet_t *sh)
{
    int best = -1;
    for (size_t i = 0; i < sh->n; i++) {
        const xlsxcells_cell_t *c = &sh->cells[i];
        char key[128];
        if (c->row < S_KEY_ROWS && (best < 0 || c->row < best)
            && fieldword_trim (c->text, key, sizeof key) && wblayout_column (ls, key))
            best = c->row;
    }
    return best;
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
            continue; /* no key: the CSV reader reported it and skipped the row */
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
s_remember_columns (s_reader_t *r, const xlsxcells_sheet_t *sh,
                    const xlsxcells_cell_t *const *heads, size_t n)
{
    xlsxread_map_t *m = r->map;
    s_sheetcols_t *grown = realloc (m->sheets, (m->n_sheets + 1) * sizeof *grown);
    if (!grown) {
        r->error = DCP_ENOMEM;
        return -1;
    }
    m->sheets = grown;
    s_sheetcols_t *sc = &m->sheets[m->n_sheets++];
    *sc = (s_sheetcols_t){.name = strdup (sh->name),
                          .keys = calloc (n + 1, sizeof (char *)),
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
s_row_cells (const xlsxcells_sheet_t *sh, size_t *i, int row, const xlsxcells_cell_t *const *heads,
             size_t n, const xlsxcells_cell_t **out)
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
    const xlsxcells_cell_t **heads; /* the cells of the column names, left to right */
    size_t n;
    const xlsxcells_cell_t **cells; /* the current row's cells under the heads */
    int *rows;                      /* per answer row: its sheet row */
    char **keys;                    /* per answer row: its grouping key (incident_id), trimmed */
    size_t n_rows;
    int key_col; /* the grouping key's position among the heads, -1 if none */
    s_csvgen_t g;
} s_table_t;

/* Appends the answer rows from cell I of SH on to T's CSV text; rows left
 * empty (or only styled) are not answers. */
static void
s_gen_rows (s_reader_t *r, const wblayout_sheet_t *ls, const xlsxcells_sheet_t *sh, size_t i,
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
s_read_table (s_reader_t *r, const wblayout_sheet_t *ls, xlsxcells_sheet_t *sh,
              Dcp__V1__Submission *sub)
{
    xlsxcells_sort (sh);
    int key_row = s_key_row (ls, sh);
    if (key_row < 0 && r->book.shared_broken)
        return; /* the column names are shared strings, which were reported */
    if (key_row < 0) {
        s_report (r, "XLSX-MISSING-COLUMN", sh->name, WBLAYOUT_KEY_ROW, 0,
                  "no row names the "
                  "columns (row %d of the template holds them: %s, ...); nothing on this sheet "
                  "was read",
                  WBLAYOUT_KEY_ROW + 1, ls->columns[0].key);
        return;
    }
    s_table_t t = {.heads = calloc (sh->n + 1, sizeof *t.heads),
                   .cells = calloc (sh->n + 1, sizeof *t.cells),
                   .rows = calloc (sh->n + 1, sizeof *t.rows),
                   .keys = calloc (sh->n + 1, sizeof *t.keys),
                   .key_col = -1,
                   .g = {.line = 1, .col = 1}};
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

/* Reads the sheets the layout names, forms first (the envelope says which
 * questionnaire it is), in layout order. */
static void
s_read_sheets (s_reader_t *r, Dcp__V1__Submission *sub)
{
    size_t n;
    const wblayout_sheet_t *layout = wblayout_sheets (&n);
    if (!xlsxcells_sheet (&r->book, layout[0].name))
        s_report (r, "XLSX-MISSING-SHEET", NULL, -1, 0,
                  "the workbook has no sheet \"%s\": it "
                  "says who reports for which year; start from `collector template KIND "
                  "FILE.xlsx`",
                  layout[0].name);
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n && !r->error; i++) {
            const wblayout_sheet_t *ls = &layout[i];
            if ((ls->table != NULL) != (pass == 1))
                continue;
            xlsxcells_sheet_t *sh = xlsxcells_sheet (&r->book, ls->name);
            if (!sh)
                continue;
            int rc = xlsxcells_read_sheet (&r->book, sh);
            if (rc == DCP_ENOMEM)
                r->error = rc;
            if (rc)
                continue; /* a missing or broken part was reported */
            if (ls->table)
                s_read_table (r, ls, sh, sub);
            else
                s_read_form (r, ls, sh, sub);
        }
    for (size_t i = 0; i < r->book.n_sheets; i++) {
        const char *name = r->book.sheets[i].name;
        if (!wblayout_sheet (name) && strcmp (name, WBLAYOUT_INSTRUCTIONS) != 0
            && strcmp (name, WBLAYOUT_LISTS) != 0
            && dcp_findings_add (r->findings, "XLSX-UNKNOWN-SHEET", DCP_SEV_WARNING, name,
                                 "sheet \"%s\" is not part of the questionnaire and was not "
                                 "read",
                                 name))
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
    if (xlsxcells_open (&r.book, r.file, bytes, len, findings))
        goto fail; /* not a workbook (reported), or out of memory */
    sub = (Dcp__V1__Submission *) field_new_message (&dcp__v1__submission__descriptor);
    if (!sub)
        goto fail;
    s_read_sheets (&r, sub);
    if (r.error)
        goto fail;
    xlsxcells_close (&r.book);
    if (map_p)
        *map_p = r.map;
    else
        xlsxread_map_destroy (&r.map);
    return sub;
fail:
    dcp_codec_free (&sub);
    xlsxcells_close (&r.book);
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
            files->parts[0] = (jsonread_part_t){name, bytes, len};
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
    xlsxcells_place (m->file, sc->name, best->row, col, buf, size);
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
