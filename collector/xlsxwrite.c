/* xlsxwrite.c: the template workbook (see xlsxwrite.h).
 *
 * Sheets: "Instructions" first (how to fill, the status words, where each
 * sheet goes), then one sheet per section as wblayout.c lists them, then the
 * hidden "Lists" with one column per drop-down list.  Drop-downs refer to
 * ranges of "Lists" rather than holding their words inline, because Excel
 * limits an inline list to 255 characters (the countries alone are ~1000). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "dcp_blob.h"
#include "dcp_csvtok.h"
#include "dcp_err.h"
#include "dcp_i18n.h"
#include "dcp_refdata.h"
#include "wblayout.h"
#include "xlsxwrite.h"

#define S_DATA_ROWS 1000 /* rows of a table sheet that get drop-downs and formats */

/* One drop-down list: its words and where they are on "Lists". */
typedef struct {
    wblayout_list_t list;
    const char *codelist; /* for WBLAYOUT_LIST_CODES */
    char **words;
    size_t n;
    int col;           /* column on "Lists" */
    const char *title; /* its heading there */
} s_list_t;

typedef struct {
    lxw_workbook *wb;
    lxw_format *title, *label, *key, *text, *date, *wrap;
    s_list_t *lists;
    size_t n_lists;
    const char *kind, *country;
    int year;
    int error;
} s_writer_t;

static int
s_push_word (s_list_t *l, const char *word, size_t len)
{
    char **grown = realloc (l->words, (l->n + 1) * sizeof *grown);
    if (!grown)
        return DCP_ENOMEM;
    l->words = grown;
    l->words[l->n] = strndup (word, len);
    if (!l->words[l->n])
        return DCP_ENOMEM;
    l->n++;
    return 0;
}

/* The codes (first column) of embedded reference file FILE that are valid in
 * YEAR, when the file has valid_from/valid_to years in columns 3 and 4
 * (countries.csv, currencies.csv); every code otherwise. */
static int
s_refdata_codes (s_list_t *l, const char *file, bool dated, int year)
{
    const dcp_blob_t *blob = dcp_blob_find (dcp_refdata, file);
    if (!blob)
        return DCP_EINVAL;
    dcp_csvtok_t tok;
    dcp_csvtok_cell_t cell;
    dcp_csvtok_init (&tok, blob->data, blob->len);
    char code[64] = "";
    int from = 0, to = 0, field = 0, line = 0, rc = 0, got;
    while ((got = dcp_csvtok_next (&tok, &cell)) == 1) {
        if (field == 0)
            snprintf (code, sizeof code, "%.*s", (int) cell.len, cell.text);
        else if (field == 2)
            from = atoi (cell.text);
        else if (field == 3)
            to = atoi (cell.text);
        field++;
        if (cell.end == DCP_CSVTOK_COMMA)
            continue;
        bool valid = !dated || ((from == 0 || from <= year) && (to == 0 || to >= year));
        if (line++ > 0 && code[0] && valid && (rc = s_push_word (l, code, strlen (code))))
            break;
        field = from = to = 0;
    }
    dcp_csvtok_fini (&tok);
    return got < 0 ? got : rc;
}

/* Fills L with its words: fixed words, a code list, or reference data. */
static int
s_fill_list (s_list_t *l, int year)
{
    const char *const *words = wblayout_words (l->list);
    if (words) {
        /* the words in the workbook's language: field.c reads them back */
        for (int rc; *words; words++)
            if ((rc = s_push_word (l, _ (*words), strlen (_ (*words)))))
                return rc;
        return 0;
    }
    switch (l->list) {
    case WBLAYOUT_LIST_SUBSTANCE: return s_refdata_codes (l, "substances.csv", false, year);
    case WBLAYOUT_LIST_COUNTRY: return s_refdata_codes (l, "countries.csv", true, year);
    case WBLAYOUT_LIST_UNIT: return s_refdata_codes (l, "units.csv", false, year);
    case WBLAYOUT_LIST_CURRENCY: return s_refdata_codes (l, "currencies.csv", true, year);
    case WBLAYOUT_LIST_CODES: {
        /* "A, B, C" from the refdata module */
        const char *p = dcp_refdata_code_list (l->codelist);
        while (*p) {
            size_t n = strcspn (p, ",");
            int rc = n ? s_push_word (l, p, n) : 0;
            if (rc)
                return rc;
            p += n;
            while (*p == ',' || *p == ' ')
                p++;
        }
        return 0;
    }
    default: return 0;
    }
}

/* The list for column C, made and written to "Lists" on first use. */
static const s_list_t *
s_list_for (s_writer_t *w, const wblayout_column_t *c)
{
    for (size_t i = 0; i < w->n_lists; i++)
        if (w->lists[i].list == c->list
            && (c->list != WBLAYOUT_LIST_CODES || strcmp (w->lists[i].codelist, c->codelist) == 0))
            return &w->lists[i];
    s_list_t *grown = realloc (w->lists, (w->n_lists + 1) * sizeof *grown);
    if (!grown) {
        w->error = DCP_ENOMEM;
        return NULL;
    }
    w->lists = grown;
    s_list_t *l = &w->lists[w->n_lists];
    *l = (s_list_t){.list = c->list, .codelist = c->codelist, .col = (int) w->n_lists};
    w->n_lists++;
    int rc = s_fill_list (l, w->year);
    if (rc) {
        w->error = rc;
        return NULL;
    }
    l->title = c->list == WBLAYOUT_LIST_CODES ? c->codelist : c->key;
    return l;
}

/* A drop-down from column C's list on FIRST..LAST rows of column COL. */
static void
s_validate (s_writer_t *w, lxw_worksheet *ws, const wblayout_column_t *c, int first, int last,
            int col)
{
    if (c->list == WBLAYOUT_LIST_NONE)
        return;
    const s_list_t *l = s_list_for (w, c);
    if (!l || l->n == 0)
        return;
    char letters[8], formula[64];
    wblayout_column_name (l->col, letters);
    snprintf (formula, sizeof formula, "=%s!$%s$2:$%s$%zu", WBLAYOUT_LISTS, letters, letters,
              l->n + 1);
    lxw_data_validation dv;
    memset (&dv, 0, sizeof dv);
    dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
    dv.value_formula = formula;
    dv.ignore_blank = LXW_VALIDATION_ON;
    /* A number answer offers its status words but takes any number; a
     * country column also takes UNKNOWN or MULTIPLE where the form allows
     * them: no alert.  Elsewhere a word off the list is warned about (the
     * check will report it), not refused, so a pasted sheet is never
     * blocked. */
    if (c->list == WBLAYOUT_LIST_NO_VALUE || c->list == WBLAYOUT_LIST_COUNTRY)
        dv.show_error = LXW_VALIDATION_OFF;
    else
        dv.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
    worksheet_data_validation_range (ws, (lxw_row_t) first, (lxw_col_t) col, (lxw_row_t) last,
                                     (lxw_col_t) col, &dv);
}

static lxw_format *
s_format_for (s_writer_t *w, const wblayout_column_t *c)
{
    if (c->type == WBLAYOUT_DATE)
        return w->date;
    return c->type == WBLAYOUT_TEXT ? w->text : NULL;
}

/* Parts of the labels wblayout.c builds by pasting ("Quantity seized" ": unit",
 * "Contributing agency " "2" ": name"), translated one by one. */
static const char *const s_label_parts[] = {
    N_ ("unit"),
    N_ ("status"),
    N_ ("currency"),
    N_ ("name"),
    N_ ("type"),
    N_ ("sector"),
    N_ ("reports"),
    N_ ("Contributing agency"),
    N_ ("C. Reports by sector, line"),
};

/* PART translated if it is one of s_label_parts, else PART. */
static const char *
s_label_part (const char *part)
{
    for (size_t i = 0; i < sizeof s_label_parts / sizeof *s_label_parts; i++)
        if (strcmp (part, s_label_parts[i]) == 0)
            return _ (s_label_parts[i]);
    return _ (part);
}

/* LABEL (English, from wblayout.c) in the workbook's language, in BUF or
 * borrowed: the whole label if the catalog has it, else "X: Y" as the
 * translations of X and Y, and "X N" as the translation of X and N. */
static const char *
s_label (const char *label, char *buf, size_t size)
{
    const char *t = _ (label);
    if (t != label)
        return t;
    const char *colon = strrchr (label, ':');
    if (colon && colon[1] == ' ' && colon > label) {
        char head[512], tail[512];
        snprintf (head, sizeof head, "%.*s", (int) (colon - label), label);
        const char *h = s_label (head, tail, sizeof tail);
        snprintf (buf, size, "%s: %s", h, s_label_part (colon + 2));
        return buf;
    }
    const char *space = strrchr (label, ' ');
    if (space && space[1] >= '0' && space[1] <= '9') {
        char head[512];
        snprintf (head, sizeof head, "%.*s", (int) (space - label), label);
        snprintf (buf, size, "%s %s", s_label_part (head), space + 1);
        return buf;
    }
    return label;
}

static void
s_write_table (s_writer_t *w, const wblayout_sheet_t *s)
{
    lxw_worksheet *ws = workbook_add_worksheet (w->wb, s->name);
    char label[1024];
    worksheet_write_string (ws, WBLAYOUT_TITLE_ROW, 0, _ (s->title), w->title);
    for (size_t i = 0; i < s->n_columns; i++) {
        const wblayout_column_t *c = &s->columns[i];
        lxw_col_t col = (lxw_col_t) i;
        worksheet_write_string (ws, WBLAYOUT_LABEL_ROW, col,
                                s_label (c->label, label, sizeof label), w->label);
        worksheet_write_string (ws, WBLAYOUT_KEY_ROW, col, c->key, w->key);
        worksheet_set_column (ws, col, col, c->width ? c->width : 18, s_format_for (w, c));
        s_validate (w, ws, c, WBLAYOUT_FIRST_ROW, WBLAYOUT_FIRST_ROW + S_DATA_ROWS - 1, (int) i);
    }
    worksheet_set_row (ws, WBLAYOUT_LABEL_ROW, 45, NULL);
    worksheet_freeze_panes (ws, WBLAYOUT_FIRST_ROW, 0);
}

/* The prefilled answer of a form row: the placeholders of wblayout.h. */
static void
s_write_prefill (s_writer_t *w, lxw_worksheet *ws, int row, const wblayout_column_t *c)
{
    const char *text = c->prefill;
    lxw_col_t col = WBLAYOUT_FORM_VALUE_COL;
    if (!text)
        return;
    if (strcmp (text, "@YEAR@") == 0) {
        worksheet_write_number (ws, (lxw_row_t) row, col, w->year, NULL);
        return;
    }
    if (strcmp (text, "@KIND@") == 0)
        text = w->kind;
    else if (strcmp (text, "@COUNTRY@") == 0)
        text = w->country ? w->country : "";
    else if (strcmp (text, "@FORM@") == 0)
        text = strcmp (w->kind, "precursors") == 0 ? "PR-2023.1" : "FF-2010.1";
    if (!text[0])
        return;
    if (c->type == WBLAYOUT_NUMBER)
        worksheet_write_number (ws, (lxw_row_t) row, col, atof (text), NULL);
    else
        worksheet_write_string (ws, (lxw_row_t) row, col, text, w->text);
}

static void
s_write_form (s_writer_t *w, const wblayout_sheet_t *s)
{
    lxw_worksheet *ws = workbook_add_worksheet (w->wb, s->name);
    char label[1024];
    worksheet_write_string (ws, WBLAYOUT_TITLE_ROW, 0, _ (s->title), w->title);
    worksheet_write_string (ws, WBLAYOUT_KEY_ROW, WBLAYOUT_FORM_LABEL_COL, _ ("Question"),
                            w->label);
    worksheet_write_string (ws, WBLAYOUT_KEY_ROW, WBLAYOUT_FORM_VALUE_COL, _ ("Answer"), w->label);
    worksheet_write_string (ws, WBLAYOUT_KEY_ROW, WBLAYOUT_FORM_KEY_COL,
                            _ ("Field (do not change)"), w->label);
    worksheet_set_column (ws, WBLAYOUT_FORM_LABEL_COL, WBLAYOUT_FORM_LABEL_COL, 60, w->wrap);
    worksheet_set_column (ws, WBLAYOUT_FORM_VALUE_COL, WBLAYOUT_FORM_VALUE_COL, 40, NULL);
    worksheet_set_column (ws, WBLAYOUT_FORM_KEY_COL, WBLAYOUT_FORM_KEY_COL, 36, NULL);
    for (size_t i = 0; i < s->n_columns; i++) {
        const wblayout_column_t *c = &s->columns[i];
        int row = WBLAYOUT_FIRST_ROW + (int) i;
        worksheet_write_string (ws, (lxw_row_t) row, WBLAYOUT_FORM_LABEL_COL,
                                s_label (c->label, label, sizeof label), w->wrap);
        worksheet_write_string (ws, (lxw_row_t) row, WBLAYOUT_FORM_KEY_COL, c->key, w->key);
        lxw_format *f = s_format_for (w, c);
        if (f)
            worksheet_write_blank (ws, (lxw_row_t) row, WBLAYOUT_FORM_VALUE_COL, f);
        s_write_prefill (w, ws, row, c);
        s_validate (w, ws, c, row, row, WBLAYOUT_FORM_VALUE_COL);
    }
    worksheet_freeze_panes (ws, WBLAYOUT_FIRST_ROW, 0);
}

static const char *const s_instructions[] = {
    N_ ("How to fill in this workbook"),
    "",
    N_ ("1. Fill in the sheet Envelope: your country, the reporting year, the focal point."),
    N_ ("2. Fill in the section sheets that apply. Tables take one row per entry, from row 4 down; "
        "leave rows empty where you have nothing to report. Row 3 names the field of each column: "
        "do not change it (columns may be moved)."),
    N_ ("3. Save the file as .xlsx (Excel or LibreOffice) and check it: collector check FILE.xlsx. "
        "Every problem is shown with its place, e.g. FILE.xlsx:P1_seizures!C5."),
    N_ ("4. Send it: collector submit FILE.xlsx. The workbook itself is kept in the outbox."),
    "",
    N_ ("Numbers: write the figure (1500.25). Never write 0 for 'not known': 0 is a reported "
        "zero."),
    N_ ("Instead of a figure, an answer may be one of these words (drop-down in the cell):"),
    N_ ("  not available - the data exists nowhere (also --, n/a, .., x, not known)"),
    N_ ("  not applicable - the question does not apply"),
    N_ ("  confidential - the figure exists but may not be given"),
    N_ ("  included elsewhere - counted in another answer"),
    N_ ("  unanswered - left blank (an empty cell means the same)"),
    N_ ("The status column of a figure says what the figure is: reported (the default), estimated, "
        "provisional."),
    N_ ("Units: KG, G, MG, T, L, ML, M3 - never drums or cans (give those as the number of "
        "packages)."),
    N_ ("Codes (substances, countries, currencies, lists) are offered in drop-down lists; "
        "countries "
        "are ISO 3166-1 alpha-3 codes (AFG, IRN)."),
    N_ ("Dates: YYYY-MM-DD, or a date cell."),
    N_ ("Lists of codes in one cell are separated by ; (IRN;AFG). A route is COUNTRY:ROLE "
        "separated "
        "by > (TUR:ORIGIN>IRN:TRANSIT>AFG:DESTINATION)."),
    "",
    N_ ("Sheets:"),
    NULL,
};

static void
s_write_instructions (s_writer_t *w)
{
    lxw_worksheet *ws = workbook_add_worksheet (w->wb, WBLAYOUT_INSTRUCTIONS);
    worksheet_set_column (ws, 0, 0, 24, NULL);
    worksheet_set_column (ws, 1, 1, 100, NULL);
    int row = 0;
    for (const char *const *line = s_instructions; *line; line++, row++)
        worksheet_write_string (ws, (lxw_row_t) row, 0, _ (*line), row == 0 ? w->title : NULL);
    size_t n;
    const wblayout_sheet_t *sheets = wblayout_sheets (&n);
    for (size_t i = 0; i < n; i++) {
        if (!wblayout_sheet_in (&sheets[i], w->kind))
            continue;
        worksheet_write_string (ws, (lxw_row_t) row, 0, sheets[i].name, w->label);
        worksheet_write_string (ws, (lxw_row_t) row++, 1, _ (sheets[i].help), NULL);
    }
    worksheet_write_string (ws, (lxw_row_t) row, 0, WBLAYOUT_LISTS, w->label);
    worksheet_write_string (ws, (lxw_row_t) row, 1,
                            _ ("hidden: the words of the drop-down lists (Format > Sheet > Show)"),
                            NULL);
}

static void
s_make_formats (s_writer_t *w)
{
    w->title = workbook_add_format (w->wb);
    format_set_bold (w->title);
    format_set_font_size (w->title, 13);
    w->label = workbook_add_format (w->wb);
    format_set_bold (w->label);
    format_set_text_wrap (w->label);
    format_set_align (w->label, LXW_ALIGN_VERTICAL_TOP);
    format_set_bg_color (w->label, 0xDDEBF7);
    w->key = workbook_add_format (w->wb);
    format_set_italic (w->key);
    format_set_font_color (w->key, 0x707070);
    format_set_bg_color (w->key, 0xF2F2F2);
    w->text = workbook_add_format (w->wb);
    format_set_num_format (w->text, "@");
    w->date = workbook_add_format (w->wb);
    format_set_num_format (w->date, "yyyy-mm-dd");
    w->wrap = workbook_add_format (w->wb);
    format_set_text_wrap (w->wrap);
}

int
xlsxwrite_template (const char *path, const char *kind, const char *country, int year)
{
    if (!kind || (strcmp (kind, "precursors") != 0 && strcmp (kind, "financial_flows") != 0))
        return DCP_EINVAL;
    s_writer_t w = {.kind = kind, .country = country, .year = year};
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
    w.wb = workbook_new_opt (path, &opt);
    if (!w.wb)
        return DCP_EIO;
    s_make_formats (&w);
    s_write_instructions (&w);
    size_t n;
    const wblayout_sheet_t *sheets = wblayout_sheets (&n);
    for (size_t i = 0; i < n; i++) {
        if (!wblayout_sheet_in (&sheets[i], kind))
            continue;
        if (sheets[i].table)
            s_write_table (&w, &sheets[i]);
        else
            s_write_form (&w, &sheets[i]);
    }
    /* The drop-downs refer to "Lists" by name; it is written last, so that
     * it is last in the tab order, and hidden. */
    lxw_worksheet *lists = workbook_add_worksheet (w.wb, WBLAYOUT_LISTS);
    for (size_t i = 0; i < w.n_lists; i++) {
        const s_list_t *l = &w.lists[i];
        worksheet_write_string (lists, 0, (lxw_col_t) l->col, l->title, w.key);
        for (size_t k = 0; k < l->n; k++)
            worksheet_write_string (lists, (lxw_row_t) (k + 1), (lxw_col_t) l->col, l->words[k],
                                    NULL);
    }
    worksheet_hide (lists);
    lxw_error err = workbook_close (w.wb);
    for (size_t i = 0; i < w.n_lists; i++) {
        for (size_t k = 0; k < w.lists[i].n; k++)
            free (w.lists[i].words[k]);
        free (w.lists[i].words);
    }
    free (w.lists);
    if (w.error)
        return w.error;
    return err == LXW_NO_ERROR ? 0 : DCP_EIO;
}
