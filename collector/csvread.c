/* csvread.c: CSV tables into Submission rows (see csvread.h).
 *
 * Two steps: csvrecords_parse() (csvrecords.h) splits the text into
 * records of cleaned cells, each with its "file:line:column" place, and
 * reports quoting and UTF-8 problems; then the header names are bound to
 * protobuf fields by walking the descriptors (s_bind), and each row is
 * built with field_set_cell(), which gives cells exactly the meaning a JSON
 * string has.  Nothing here knows the questionnaire's fields except the
 * grouping of incident rows by incident_id.  Numbers of files written with
 * a decimal comma (';' or tab separated) are made plain by csvnum.h first. */
#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvnum.h"
#include "csvread.h"
#include "csvrecords.h"
#include "dcp_err.h"
#include "dcp_hash.h"
#include "dcp_i18n.h"
#include "field.h"

/* A table with rows grouped by a key: each row is an element of NESTED
 * inside the group's message.  Incidents have one row per substance. */
typedef struct {
    const char *table;
    const char *key;    /* field of the group message */
    const char *nested; /* repeated field of the group message, one per row */
} s_grouping_t;

static const s_grouping_t s_groupings[] = {
    {"incidents", "incident_id", "substances"},
    {NULL, NULL, NULL},
};

/* What a header column sets: FIELD (and SUB, a field of the message FIELD
 * holds) of the row (level 0) or of the group (level 1). */
typedef struct {
    char *name;
    int level;
    const ProtobufCFieldDescriptor *field;
    const ProtobufCFieldDescriptor *sub;
    int col; /* of the header cell */
} s_binding_t;

typedef struct {
    const char *filename;
    dcp_findings_t *findings;
    int error;
    srcmap_t *map;      /* where each answer came from, or NULL */
    char sep;           /* the cell separator found (csvrecords_t) */
    bool decimal_comma; /* ';' or tab: numbers are written "15520,5" */
} s_csv_t;

#define S_NOTE_PREFIX "row becomes "

/* Records that the answer at POINTER (NOTE, "row becomes POINTER", then
 * "/" PART and "/" SUB if given) came from LINE, COL (0: the whole row). */
static int
s_map (s_csv_t *c, const char *note, const char *part, const char *sub, int line, int col)
{
    char pointer[512];
    if (!c->map || strncmp (note, S_NOTE_PREFIX, strlen (S_NOTE_PREFIX)) != 0)
        return 0;
    snprintf (pointer, sizeof pointer, "%s%s%s%s%s", note + strlen (S_NOTE_PREFIX), part ? "/" : "",
              part ? part : "", sub ? "/" : "", sub ? sub : "");
    return srcmap_add (c->map, pointer, c->filename, line, col);
}

static void s_report (s_csv_t *c, const char *rule, int line, int col, const char *fmt, ...)
    __attribute__ ((format (printf, 5, 6)));

static void
s_report (s_csv_t *c, const char *rule, int line, int col, const char *fmt, ...)
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

/* ------------------------------------------------------------------------ */
/* Tables and columns. */

typedef struct {
    const ProtobufCFieldDescriptor *payload; /* oneof member of Submission */
    const ProtobufCFieldDescriptor *list;    /* repeated field of the payload */
    const ProtobufCMessageDescriptor *group; /* grouped: the element type; else NULL */
    const ProtobufCFieldDescriptor *key;     /* grouped: key field of GROUP */
    const ProtobufCFieldDescriptor *nested;  /* grouped: repeated field of GROUP */
    const ProtobufCMessageDescriptor *row;   /* what one CSV row becomes */
} s_table_t;

static bool
s_find_table (const char *name, s_table_t *t)
{
    const ProtobufCMessageDescriptor *sd = &dcp__v1__submission__descriptor;
    memset (t, 0, sizeof *t);
    for (unsigned i = 0; i < sd->n_fields; i++) {
        const ProtobufCFieldDescriptor *pf = &sd->fields[i];
        if (pf->type != PROTOBUF_C_TYPE_MESSAGE || !(pf->flags & PROTOBUF_C_FIELD_FLAG_ONEOF))
            continue;
        const ProtobufCFieldDescriptor *lf =
            protobuf_c_message_descriptor_get_field_by_name (pf->descriptor, name);
        if (!lf || lf->label != PROTOBUF_C_LABEL_REPEATED || lf->type != PROTOBUF_C_TYPE_MESSAGE)
            continue;
        t->payload = pf;
        t->list = lf;
        t->row = lf->descriptor;
        for (const s_grouping_t *g = s_groupings; g->table; g++) {
            if (strcmp (g->table, name) != 0)
                continue;
            t->group = lf->descriptor;
            t->key = protobuf_c_message_descriptor_get_field_by_name (t->group, g->key);
            t->nested = protobuf_c_message_descriptor_get_field_by_name (t->group, g->nested);
            assert (t->key && t->nested);
            t->row = t->nested->descriptor;
        }
        return true;
    }
    return false;
}

bool
csvread_table_known (const char *table)
{
    s_table_t t;
    return table && s_find_table (table, &t);
}

/* Field NAME of DESC, if a column may set it (not a list of rows). */
static const ProtobufCFieldDescriptor *
s_column_field (const ProtobufCMessageDescriptor *desc, const s_table_t *t, const char *name)
{
    if (!desc)
        return NULL;
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field_by_name (desc, name);
    if (f && t->nested && f == t->nested)
        return NULL;
    return f;
}

/* Binds header NAME (lower case) to a field: "quantity", "location.place",
 * "quantity_status", or a part name that is unique, such as "unit"
 * (quantity.unit) or "admin_area" (location.admin_area).  Row fields win
 * over group fields.  Returns 0, or 1 with *WHY set if NAME is unknown or
 * ambiguous. */
static int
s_bind (const s_table_t *t, const char *name, s_binding_t *b, const char **why)
{
    const ProtobufCMessageDescriptor *levels[2] = {t->row, t->group};
    const char *dot = strchr (name, '.');
    *why = "unknown column";
    for (int level = 0; level < 2; level++) {
        const ProtobufCMessageDescriptor *desc = levels[level];
        if (!desc)
            continue;
        if (dot) {
            char head[128];
            snprintf (head, sizeof head, "%.*s", (int) (dot - name), name);
            const ProtobufCFieldDescriptor *f = s_column_field (desc, t, head);
            if (f && f->type == PROTOBUF_C_TYPE_MESSAGE && f->label != PROTOBUF_C_LABEL_REPEATED) {
                const ProtobufCFieldDescriptor *sub =
                    protobuf_c_message_descriptor_get_field_by_name (f->descriptor, dot + 1);
                if (sub && sub->type != PROTOBUF_C_TYPE_MESSAGE) {
                    *b = (s_binding_t){.level = level, .field = f, .sub = sub};
                    return 0;
                }
            }
            continue;
        }
        const ProtobufCFieldDescriptor *f = s_column_field (desc, t, name);
        if (f) {
            *b = (s_binding_t){.level = level, .field = f};
            return 0;
        }
    }
    if (dot)
        return 1;
    /* "quantity_status": a message field, '_', one of its parts */
    for (int level = 0; level < 2; level++) {
        const ProtobufCMessageDescriptor *desc = levels[level];
        for (unsigned i = 0; desc && i < desc->n_fields; i++) {
            const ProtobufCFieldDescriptor *f = &desc->fields[i];
            size_t n = strlen (f->name);
            if (f->type != PROTOBUF_C_TYPE_MESSAGE || f->label == PROTOBUF_C_LABEL_REPEATED
                || strncmp (name, f->name, n) != 0 || name[n] != '_')
                continue;
            const ProtobufCFieldDescriptor *sub =
                protobuf_c_message_descriptor_get_field_by_name (f->descriptor, name + n + 1);
            if (sub && sub->type != PROTOBUF_C_TYPE_MESSAGE) {
                *b = (s_binding_t){.level = level, .field = f, .sub = sub};
                return 0;
            }
        }
    }
    /* a part name found in exactly one message field of a level */
    for (int level = 0; level < 2; level++) {
        const ProtobufCMessageDescriptor *desc = levels[level];
        int found = 0;
        for (unsigned i = 0; desc && i < desc->n_fields; i++) {
            const ProtobufCFieldDescriptor *f = &desc->fields[i];
            if (f->type != PROTOBUF_C_TYPE_MESSAGE || f->label == PROTOBUF_C_LABEL_REPEATED)
                continue;
            const ProtobufCFieldDescriptor *sub =
                protobuf_c_message_descriptor_get_field_by_name (f->descriptor, name);
            if (sub && sub->type != PROTOBUF_C_TYPE_MESSAGE) {
                if (found++ == 0)
                    *b = (s_binding_t){.level = level, .field = f, .sub = sub};
            }
        }
        if (found == 1)
            return 0;
        if (found > 1) {
            *why = "ambiguous column: write it as FIELD.PART, e.g. quantity.status";
            return 1;
        }
    }
    return 1;
}

/* "a, b, c.d, ..." of the columns TABLE accepts (direct fields and parts). */
static void
s_column_list (const s_table_t *t, char *buf, size_t size)
{
    const ProtobufCMessageDescriptor *levels[2] = {t->row, t->group};
    buf[0] = '\0';
    for (int level = 0; level < 2; level++) {
        const ProtobufCMessageDescriptor *desc = levels[level];
        for (unsigned i = 0; desc && i < desc->n_fields; i++) {
            const ProtobufCFieldDescriptor *f = &desc->fields[i];
            if (t->nested && f == t->nested)
                continue;
            size_t used = strlen (buf);
            if (f->type == PROTOBUF_C_TYPE_MESSAGE && f->label != PROTOBUF_C_LABEL_REPEATED
                && !field_is_status_message (f->descriptor)) {
                const ProtobufCMessageDescriptor *md = f->descriptor;
                for (unsigned k = 0; k < md->n_fields; k++) {
                    used = strlen (buf);
                    snprintf (buf + used, size - used, "%s%s.%s", used ? ", " : "", f->name,
                              md->fields[k].name);
                }
            } else
                snprintf (buf + used, size - used, "%s%s", used ? ", " : "", f->name);
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Building rows. */

/* Key -> group index, open addressing; keys are borrowed from the records. */
typedef struct {
    const char **keys;
    size_t *index;
    size_t cap;
} s_keymap_t;

/* Returns the slot for KEY: its index if present, or an empty slot. */
static size_t
s_keymap_slot (const s_keymap_t *m, const char *key)
{
    size_t i = dcp_hash_str (DCP_HASH_SEED, key) & (m->cap - 1);
    while (m->keys[i] && strcmp (m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

/* One group (incident) being built. */
typedef struct {
    ProtobufCMessage *msg;
    char **seen; /* per column: first non-blank text of a group column */
    int *seen_line;
} s_group_t;

/* True if binding B takes a number (a figure, a decimal string such as
 * concentration_pct, or an integer): where a decimal comma is read. */
static bool
s_numeric (const s_binding_t *b)
{
    const ProtobufCFieldDescriptor *f = b->sub ? b->sub : b->field;
    size_t n = strlen (f->name);
    switch (f->type) {
    case PROTOBUF_C_TYPE_MESSAGE: return field_is_status_message (f->descriptor);
    case PROTOBUF_C_TYPE_STRING:
        return (b->sub && (strcmp (f->name, "value") == 0 || strcmp (f->name, "amount") == 0))
               || (n > 4 && strcmp (f->name + n - 4, "_pct") == 0)
               || strcmp (f->name, "latitude") == 0 || strcmp (f->name, "longitude") == 0;
    case PROTOBUF_C_TYPE_BOOL:
    case PROTOBUF_C_TYPE_ENUM:
    case PROTOBUF_C_TYPE_BYTES: return false;
    default: return true;
    }
}

static int s_apply_cell (s_csv_t *c, const s_binding_t *b, const csvrecords_cell_t *cell,
                         const char *text, ProtobufCMessage *msg, const char *note,
                         const char *context, const char *path);

/* Applies cell TEXT to binding B of MSG.  NOTE is the pointer the row
 * becomes.  Returns 0, DCP_EINVAL (reported) or DCP_ENOMEM. */
static int
s_apply (s_csv_t *c, const s_binding_t *b, size_t column, const csvrecords_cell_t *cell,
         const char *text, ProtobufCMessage *msg, const char *note)
{
    char context[256], path[512];
    /* "column " alone is a msgid: xlsxread.c finds it again in messages */
    snprintf (context, sizeof context, "%s%zu \"%s\"", _ ("column "), column + 1, b->name);
    snprintf (path, sizeof path, "%s:%d:%d", c->filename, cell->line, cell->col);
    if (s_map (c, note, b->field->name, b->sub ? b->sub->name : NULL, cell->line, cell->col))
        return DCP_ENOMEM;
    size_t found = dcp_findings_errors (c->findings);
    int rc = s_apply_cell (c, b, cell, text, msg, note, context, path);
    /* The cell's finding names its place; the rules' findings name the
     * pointer: remember it, so that they do not say it again. */
    if (rc == 0 && dcp_findings_errors (c->findings) > found)
        rc = DCP_EINVAL;
    if (rc == DCP_EINVAL && c->map && strncmp (note, S_NOTE_PREFIX, strlen (S_NOTE_PREFIX)) == 0) {
        char pointer[512];
        snprintf (pointer, sizeof pointer, "%s/%s%s%s", note + strlen (S_NOTE_PREFIX),
                  b->field->name, b->sub ? "/" : "", b->sub ? b->sub->name : "");
        if (srcmap_mark_failed (c->map, pointer))
            return DCP_ENOMEM;
    }
    return rc;
}

/* s_apply's work: the cell's text into the field. */
static int
s_apply_cell (s_csv_t *c, const s_binding_t *b, const csvrecords_cell_t *cell, const char *text,
              ProtobufCMessage *msg, const char *note, const char *context, const char *path)
{
    char number[256];
    if (c->decimal_comma && s_numeric (b) && strlen (text) < sizeof number) {
        if (!csvnum_decimal_comma (text, number, sizeof number)) {
            s_report (c, "CSV-NUMBER", cell->line, cell->col,
                      "%s: \"%s\" could be read two ways: this file separates cells with "
                      "%s, so a ',' marks decimals and a '.' groups thousands only before a "
                      "decimal comma; write it without dots (1500) or with a decimal comma "
                      "(1,5) (%s)",
                      context, text, c->sep == '\t' ? _ ("tabs") : "';'", note);
            return DCP_EINVAL;
        }
        text = number;
    }
    field_cell_t where = {
        .findings = c->findings,
        .rule_prefix = "CSV",
        .path = path,
        .context = context,
        .note = note,
    };
    if (!b->sub)
        return field_set_cell (msg, b->field, text, &where);
    /* a part of a sub-message: make the sub-message if needed, unless the
     * cell is blank (a blank "location.port" does not create a Location) */
    ProtobufCMessage **slot = (ProtobufCMessage **) ((char *) msg + b->field->offset);
    const char *p = text;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*slot) {
        if (!*p)
            return 0;
        if ((b->field->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
            && *(uint32_t *) ((char *) msg + b->field->quantifier_offset) != 0)
            return 0; /* another oneof member is set; not in our tables */
        *slot = field_new_message (b->field->descriptor);
        if (!*slot)
            return DCP_ENOMEM;
        if (b->field->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
            *(uint32_t *) ((char *) msg + b->field->quantifier_offset) = b->field->id;
    }
    return field_set_cell (*slot, b->sub, text, &where);
}

/* Appends the new elements ITEMS (N) to the payload's list T->list,
 * creating the payload if needed. */
static int
s_append (Dcp__V1__Submission *sub, const s_table_t *t, ProtobufCMessage **items, size_t n)
{
    ProtobufCMessage **payload = (ProtobufCMessage **) ((char *) sub + t->payload->offset);
    uint32_t *which = (uint32_t *) ((char *) sub + t->payload->quantifier_offset);
    if (*which != t->payload->id || !*payload) {
        ProtobufCMessage *p = field_new_message (t->payload->descriptor);
        if (!p)
            return DCP_ENOMEM;
        *payload = p;
        *which = t->payload->id;
    }
    char *msg = (char *) *payload;
    size_t *count = (size_t *) (msg + t->list->quantifier_offset);
    ProtobufCMessage ***array = (ProtobufCMessage ***) (msg + t->list->offset);
    if (n == 0)
        return 0;
    ProtobufCMessage **grown = realloc (*array, (*count + n) * sizeof *grown);
    if (!grown)
        return DCP_ENOMEM;
    memcpy (grown + *count, items, n * sizeof *items);
    *array = grown;
    *count += n;
    return 0;
}

/* Index the list of T will give its next element: where a row lands. */
static size_t
s_existing (const Dcp__V1__Submission *sub, const s_table_t *t)
{
    const ProtobufCMessage *payload =
        *(ProtobufCMessage *const *) ((const char *) sub + t->payload->offset);
    uint32_t which = *(const uint32_t *) ((const char *) sub + t->payload->quantifier_offset);
    if (which != t->payload->id || !payload)
        return 0;
    return *(const size_t *) ((const char *) payload + t->list->quantifier_offset);
}

/* Adds a new element of T->nested to GROUP; returns it or NULL. */
static ProtobufCMessage *
s_add_nested (ProtobufCMessage *group, const s_table_t *t, size_t *index)
{
    size_t *count = (size_t *) ((char *) group + t->nested->quantifier_offset);
    ProtobufCMessage ***array = (ProtobufCMessage ***) ((char *) group + t->nested->offset);
    ProtobufCMessage *row = field_new_message (t->row);
    if (!row)
        return NULL;
    ProtobufCMessage **grown = realloc (*array, (*count + 1) * sizeof *grown);
    if (!grown) {
        protobuf_c_message_free_unpacked (row, NULL);
        return NULL;
    }
    grown[*count] = row;
    *index = *count;
    *array = grown;
    (*count)++;
    return row;
}

static bool
s_blank (const char *text)
{
    return text[strspn (text, " \t")] == '\0';
}

/* Orders bindings so that status columns come after the answer they
 * qualify: "quantity" sets REPORTED, "quantity_status" then overrides. */
static int
s_binding_rank (const s_binding_t *b)
{
    return b->sub && strcmp (b->sub->name, "status") == 0;
}

/* One call of csvread_table(): the file's records, how its columns bind,
 * and the rows and groups being built. */
typedef struct {
    s_csv_t c;
    s_table_t t;
    csvrecords_t recs;
    s_binding_t *bind;
    size_t n_cols;
    size_t *order; /* columns to apply, group (level 1) columns last */
    size_t n_order;
    ProtobufCMessage **items; /* new elements of the list, owned until appended */
    size_t n_items;
    size_t base;       /* elements the list had before */
    s_group_t *groups; /* grouped tables: per element */
    s_keymap_t map;    /* grouped tables: key -> element */
    size_t key_col;    /* grouped tables: the key column */
} s_build_t;

static void
s_build_free (s_build_t *b)
{
    for (size_t i = 0; i < b->n_items; i++)
        if (b->items[i])
            protobuf_c_message_free_unpacked (b->items[i], NULL);
    if (b->groups)
        for (size_t i = 0; i < b->recs.n; i++) {
            for (size_t k = 0; b->groups[i].seen && k < b->n_cols; k++)
                free (b->groups[i].seen[k]);
            free (b->groups[i].seen);
            free (b->groups[i].seen_line);
        }
    free (b->groups);
    free (b->items);
    free (b->map.keys);
    free (b->map.index);
    free (b->bind);
    free (b->order);
    csvrecords_free (&b->recs);
}

/* The header cell CELL's name as a column name: lower case, no spaces. */
static void
s_column_name (const csvrecords_cell_t *cell, char *name, size_t size)
{
    size_t n = 0;
    for (const char *p = cell->text; *p && n + 1 < size; p++)
        if (*p != ' ' && *p != '\t')
            name[n++] = (char) tolower ((unsigned char) *p);
    name[n] = '\0';
}

/* Binds header cell K to a field; an unknown or duplicate column is
 * reported and left unbound (it is skipped, the rest is still read). */
static void
s_bind_column (s_build_t *b, size_t k)
{
    const csvrecords_cell_t *cell = &b->recs.items[0].cells[k];
    s_binding_t *bind = b->bind;
    char name[128];
    const char *why = NULL;
    s_column_name (cell, name, sizeof name);
    bind[k].col = cell->col;
    if (!name[0]) {
        s_report (&b->c, "CSV-UNKNOWN-COLUMN", cell->line, cell->col,
                  "column %zu has no name in the header row", k + 1);
        return;
    }
    if (s_bind (&b->t, name, &bind[k], &why)) {
        char list[4096];
        s_column_list (&b->t, list, sizeof list);
        s_report (&b->c, "CSV-UNKNOWN-COLUMN", cell->line, cell->col,
                  "%s \"%s\" (column %zu); valid columns: %s (an answer's parts may also "
                  "be columns: quantity.unit or unit, quantity_status)",
                  why, cell->text, k + 1, list);
        memset (&bind[k], 0, sizeof bind[k]);
        return;
    }
    bind[k].col = cell->col;
    bind[k].name = cell->text;
    for (size_t j = 0; j < k; j++)
        if (bind[j].field == bind[k].field && bind[j].sub == bind[k].sub
            && bind[j].level == bind[k].level) {
            s_report (&b->c, "CSV-DUPLICATE-COLUMN", cell->line, cell->col,
                      "column %zu \"%s\" sets the same answer as column %zu \"%s\"", k + 1,
                      cell->text, j + 1, bind[j].name);
            bind[k].field = NULL;
        }
}

/* A header in which no cell names a column of the table is not a list of
 * unknown columns but a file we cannot read: one finding says what was
 * found (the separator, the first cell) rather than one per cell. */
static bool
s_header_readable (s_build_t *b, const char *table)
{
    const csvrecords_record_t *head = &b->recs.items[0];
    for (size_t k = 0; k < head->n; k++) {
        char name[128];
        const char *why;
        s_binding_t probe;
        s_column_name (&head->cells[k], name, sizeof name);
        if (name[0] && s_bind (&b->t, name, &probe, &why) == 0)
            return true;
    }
    const char *first = head->n ? head->cells[0].text : "";
    const char *other = strpbrk (first, "|:^~");
    char sep_name[16];
    snprintf (sep_name, sizeof sep_name, b->c.sep == '\t' ? _ ("tab") : "'%c'", b->c.sep);
    if (other)
        s_report (&b->c, "CSV-HEADER", head->line, 1,
                  "this file separates its cells with '%c', which is not read: save it as CSV "
                  "with ',', ';' or tab between cells (the header reads \"%.80s\")",
                  *other, first);
    else
        s_report (&b->c, "CSV-HEADER", head->line, 1,
                  dcp_i18n_ntext ("none of the %zu header cell (separated by %s) is a column of "
                                  "table \"%s\": is this the right file? the header reads "
                                  "\"%.80s\"",
                                  "none of the %zu header cells (separated by %s) is a column of "
                                  "table \"%s\": is this the right file? the header reads "
                                  "\"%.80s\"",
                                  head->n),
                  head->n, sep_name, table, first);
    return false;
}

/* Binds the header row and orders the columns.  Returns 0, DCP_EINVAL (the
 * key column of a grouped table is missing) or DCP_ENOMEM. */
static int
s_bind_header (s_build_t *b, const char *table)
{
    const csvrecords_record_t *head = &b->recs.items[0];
    if (!s_header_readable (b, table))
        return DCP_EINVAL;
    b->n_cols = head->n;
    b->bind = calloc (b->n_cols, sizeof *b->bind);
    b->order = calloc (b->n_cols, sizeof *b->order);
    if (!b->bind || !b->order)
        return DCP_ENOMEM;
    bool have_key = false;
    for (size_t k = 0; k < b->n_cols; k++) {
        s_bind_column (b, k);
        if (b->t.key && b->bind[k].field == b->t.key && !b->bind[k].sub) {
            have_key = true;
            if (b->bind[k].level == 1)
                b->key_col = k;
        }
    }
    if (b->t.key && !have_key) {
        s_report (&b->c, "CSV-MISSING-COLUMN", head->line, 1,
                  "table \"%s\" needs a column "
                  "\"%s\": rows with the same %s form one entry",
                  table, b->t.key->name, b->t.key->name);
        return DCP_EINVAL;
    }
    for (int rank = 0; rank < 2; rank++)
        for (size_t k = 0; k < b->n_cols; k++)
            if (b->bind[k].field && s_binding_rank (&b->bind[k]) == rank)
                b->order[b->n_order++] = k;
    return 0;
}

/* Allocates the rows and, for a grouped table, the groups and key map. */
static int
s_alloc_rows (s_build_t *b)
{
    b->items = calloc (b->recs.n, sizeof *b->items);
    if (!b->items)
        return DCP_ENOMEM;
    if (!b->t.group)
        return 0;
    b->groups = calloc (b->recs.n, sizeof *b->groups);
    b->map.cap = 16;
    while (b->map.cap < b->recs.n * 2)
        b->map.cap *= 2;
    b->map.keys = calloc (b->map.cap, sizeof *b->map.keys);
    b->map.index = calloc (b->map.cap, sizeof *b->map.index);
    return b->groups && b->map.keys && b->map.index ? 0 : DCP_ENOMEM;
}

/* Finds (or makes) the group of grouped record REC and adds a nested row to
 * it: *ROW_P, in group *GI_P, with NOTE saying where the row goes.  Returns
 * 0, 1 if the record has no key (reported; skip it), DCP_ENOMEM. */
static int
s_group_row (s_build_t *b, const csvrecords_record_t *rec, ProtobufCMessage **row_p, size_t *gi_p,
             char *note, size_t note_size)
{
    size_t k = b->key_col, gi;
    const char *key = k < rec->n ? rec->cells[k].text : "";
    if (s_blank (key)) {
        s_report (&b->c, "CSV-MISSING", rec->line, k < rec->n ? rec->cells[k].col : 1,
                  "column %zu \"%s\" is blank: every row needs the %s it belongs to", k + 1,
                  b->bind[k].name, b->t.key->name);
        return 1;
    }
    size_t slot = s_keymap_slot (&b->map, key);
    if (b->map.keys[slot])
        gi = b->map.index[slot];
    else {
        gi = b->n_items;
        b->map.keys[slot] = key;
        b->map.index[slot] = gi;
        b->items[b->n_items++] = field_new_message (b->t.group);
        b->groups[gi].seen = calloc (b->n_cols, sizeof (char *));
        b->groups[gi].seen_line = calloc (b->n_cols, sizeof (int));
        if (!b->items[gi] || !b->groups[gi].seen || !b->groups[gi].seen_line)
            return DCP_ENOMEM;
    }
    size_t ri;
    *row_p = s_add_nested (b->items[gi], &b->t, &ri);
    if (!*row_p)
        return DCP_ENOMEM;
    *gi_p = gi;
    snprintf (note, note_size, "row becomes /%s/%s/%zu", b->t.payload->name, b->t.list->name,
              b->base + gi);
    if (s_map (&b->c, note, NULL, NULL, rec->line, 0)) /* the entry: its first row */
        return DCP_ENOMEM;
    snprintf (note, note_size, "row becomes /%s/%s/%zu/%s/%zu", b->t.payload->name, b->t.list->name,
              b->base + gi, b->t.nested->name, ri);
    return s_map (&b->c, note, NULL, NULL, rec->line, 0);
}

/* Applies group (level 1) column K of CELL to group GI: an incident's own
 * columns repeat on each of its rows; the first non-blank value counts, a
 * different one is a mistake.  Returns 0 or DCP_ENOMEM. */
static int
s_apply_group_cell (s_build_t *b, size_t k, const csvrecords_cell_t *cell, size_t gi)
{
    const s_binding_t *bind = &b->bind[k];
    s_group_t *g = &b->groups[gi];
    if (s_blank (cell->text))
        return 0;
    if (g->seen[k]) {
        if (strcmp (g->seen[k], cell->text) != 0)
            s_report (&b->c, "CSV-INCONSISTENT", cell->line, cell->col,
                      "column %zu \"%s\" is \"%s\" here but \"%s\" on line %d for "
                      "the same %s; an entry's own columns must agree on all its rows",
                      k + 1, bind->name, cell->text, g->seen[k], g->seen_line[k], b->t.key->name);
        return 0;
    }
    g->seen[k] = strdup (cell->text);
    if (!g->seen[k])
        return DCP_ENOMEM;
    g->seen_line[k] = cell->line;
    char group_note[256];
    snprintf (group_note, sizeof group_note, "row becomes /%s/%s/%zu", b->t.payload->name,
              b->t.list->name, b->base + gi);
    int rc = s_apply (&b->c, bind, k, cell, cell->text, b->items[gi], group_note);
    return rc == DCP_ENOMEM ? rc : 0;
}

/* Reads record REC into a new row (of its group, if grouped).  Returns 0 or
 * DCP_ENOMEM. */
static int
s_read_row (s_build_t *b, const csvrecords_record_t *rec)
{
    bool all_blank = true;
    for (size_t k = 0; k < rec->n; k++)
        all_blank = all_blank && s_blank (rec->cells[k].text);
    if (all_blank)
        return 0; /* ",,,," rows that spreadsheets leave behind */
    if (rec->n != b->n_cols)
        s_report (&b->c, "CSV-SYNTAX", rec->line, 1,
                  "row has %zu cells but the header has %zu "
                  "columns; missing cells are read as blank, extra cells are ignored",
                  rec->n, b->n_cols);
    char note[256];
    ProtobufCMessage *row = NULL;
    size_t gi = 0;
    if (b->t.group) {
        int rc = s_group_row (b, rec, &row, &gi, note, sizeof note);
        if (rc)
            return rc == 1 ? 0 : rc;
    } else {
        row = b->items[b->n_items] = field_new_message (b->t.row);
        if (!row)
            return DCP_ENOMEM;
        snprintf (note, sizeof note, "row becomes /%s/%s/%zu", b->t.payload->name, b->t.list->name,
                  b->base + b->n_items);
        b->n_items++;
        if (s_map (&b->c, note, NULL, NULL, rec->line, 0))
            return DCP_ENOMEM;
    }
    for (size_t o = 0; o < b->n_order; o++) {
        size_t k = b->order[o];
        csvrecords_cell_t blank_cell = {.text = (char *) "", .line = rec->line, .col = 1};
        const csvrecords_cell_t *cell = k < rec->n ? &rec->cells[k] : &blank_cell;
        int rc = b->bind[k].level == 1
                     ? s_apply_group_cell (b, k, cell, gi)
                     : s_apply (&b->c, &b->bind[k], k, cell, cell->text, row, note);
        if (rc == DCP_ENOMEM)
            return rc;
    }
    return 0;
}

/* Group answers never given are blank, i.e. UNANSWERED for Count /
 * Quantity / Money.  Returns 0 or DCP_ENOMEM. */
static int
s_blank_group_answers (s_build_t *b)
{
    for (size_t gi = 0; b->t.group && gi < b->n_items; gi++)
        for (size_t o = 0; o < b->n_order; o++) {
            size_t k = b->order[o];
            const s_binding_t *bind = &b->bind[k];
            if (bind->level != 1 || b->groups[gi].seen[k] || bind->sub
                || bind->field->type != PROTOBUF_C_TYPE_MESSAGE)
                continue;
            csvrecords_cell_t cell = {.text = (char *) "", .line = 1, .col = bind->col};
            char group_note[256];
            snprintf (group_note, sizeof group_note, "row becomes /%s/%s/%zu", b->t.payload->name,
                      b->t.list->name, b->base + gi);
            if (s_apply (&b->c, bind, k, &cell, "", b->items[gi], group_note) == DCP_ENOMEM)
                return DCP_ENOMEM;
        }
    return 0;
}

int
csvread_table (const char *text, size_t len, const char *filename, const char *table,
               Dcp__V1__Submission *sub, dcp_findings_t *findings)
{
    return csvread_table_mapped (text, len, filename, table, sub, findings, NULL);
}

int
csvread_table_mapped (const char *text, size_t len, const char *filename, const char *table,
                      Dcp__V1__Submission *sub, dcp_findings_t *findings, srcmap_t *map)
{
    assert ((text || len == 0) && filename && table && sub && findings);
    s_build_t b = {.c = {.filename = filename, .findings = findings, .map = map}};
    int rc = 0;
    if (!s_find_table (table, &b.t)) {
        s_report (&b.c, "CSV-TABLE", 1, 1, "\"%s\" is not a table that can be read from CSV",
                  table);
        return DCP_EINVAL;
    }
    uint32_t which = *(const uint32_t *) ((const char *) sub + b.t.payload->quantifier_offset);
    if (which != 0 && which != b.t.payload->id) {
        s_report (&b.c, "CSV-TABLE", 1, 1,
                  "table \"%s\" belongs to \"%s\", but this response "
                  "is another questionnaire",
                  table, b.t.payload->name);
        return DCP_EINVAL;
    }
    rc = csvrecords_parse (&b.recs, text ? text : "", len, filename, findings);
    if (rc == DCP_ENOMEM)
        goto cleanup;
    rc = 0;
    /* Spreadsheets that separate cells with ';' or a tab are those of
     * locales that write decimals with a comma. */
    b.c.sep = b.recs.sep;
    b.c.decimal_comma = b.c.sep != ',';
    if (b.recs.n == 0) {
        s_report (&b.c, "CSV-SYNTAX", 1, 1,
                  "file is empty: a header row naming the columns is "
                  "required");
        rc = DCP_EINVAL;
        goto cleanup;
    }
    rc = s_bind_header (&b, table);
    if (rc)
        goto cleanup;
    b.base = s_existing (sub, &b.t);
    rc = s_alloc_rows (&b);
    for (size_t r = 1; r < b.recs.n && !rc; r++)
        rc = s_read_row (&b, &b.recs.items[r]);
    if (!rc)
        rc = s_blank_group_answers (&b);
    if (!rc && s_append (sub, &b.t, b.items, b.n_items))
        rc = DCP_ENOMEM;
    if (rc)
        goto cleanup;
    b.n_items = 0; /* now owned by SUB */
    rc = b.c.error;
cleanup:
    s_build_free (&b);
    return rc;
}
