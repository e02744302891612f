/* jsonread.c: the JSON response format read by walking the protobuf-c
 * descriptors (see jsonread.h and collector/FORMAT.md).
 *
 * Why generic: the questionnaires will grow fields; a reader that is driven
 * by the descriptors of dcp_submission.proto reads a new field the day it is
 * added, with the same conveniences and the same error reports.
 *
 * Exact numbers: jansson turns every JSON real into a C double, which would
 * silently change "0.1" or a 20-digit amount.  We therefore never use the
 * numeric value jansson computes.  Before walking the tree, s_collect_numbers()
 * lexes the raw text and records the source text of every number token in
 * document order; a walk of the jansson tree in the same order (jansson keeps
 * object keys in insertion order, duplicates are rejected) pairs each number
 * node with its text.  Integers are then parsed from that text with range
 * checks and decimals are kept as that text, so no value ever passes through
 * binary floating point.  The file is parsed with JSON_DECODE_INT_AS_REAL so
 * that an integer too large for jansson's long long is not a syntax error
 * but a range finding with a path.
 *
 * Memory: everything in a Submission we build comes from malloc/calloc
 * (strings strdup'ed, sub-messages via field_new_message), so that
 * protobuf_c_message_free_unpacked(msg, NULL), i.e. dcp_codec_free(), frees
 * it exactly like a Submission unpacked from the wire. */
#define _GNU_SOURCE /* asprintf */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "csvread.h"
#include "dcp_buf.h"
#include "dcp_err.h"
#include "dcp_i18n.h"
#include "field.h"
#include "fieldword.h"
#include "jsonread.h"

/* ------------------------------------------------------------------------ */
/* The reader's state: where we are (a JSON pointer) and whom we tell. */

typedef struct {
    const json_t *node;
    const char *text; /* points into the input */
    size_t len;
} s_number_t;

typedef struct {
    char *table;   /* field name of the repeated table, e.g. "incidents" */
    char *file;    /* as written in the JSON file */
    char *pointer; /* JSON pointer of the key, for findings */
} s_deferred_csv_t;

typedef struct {
    field_report_t rep;  /* findings; rep.path is PATH */
    dcp_buf_t path;      /* current JSON pointer */
    s_number_t *numbers; /* sorted by node, see s_collect_numbers */
    size_t n_numbers;
    bool numbers_ok; /* false: token/node pairing failed */
    bool allow_csv;  /* read_file: tables may name a CSV file */
    s_deferred_csv_t *csv;
    size_t n_csv;
    srcmap_t *map; /* read_file: where each answer is, or NULL */
} s_reader_t;

/* Records that the answer at the current pointer is read now (document
 * order), for findings in file order (srcmap.h). */
static void
s_mark (s_reader_t *r)
{
    if (r->map && srcmap_add (r->map, r->path.data ? r->path.data : "", NULL, 0, 0))
        r->rep.error = DCP_ENOMEM;
}

/* Appends "/" and KEY escaped per RFC 6901 (~ -> ~0, / -> ~1); returns the
 * previous length for s_path_pop(). */
static size_t
s_path_push (s_reader_t *r, const char *key)
{
    size_t old = r->path.len;
    dcp_buf_appendc (&r->path, '/');
    for (const char *k = key; *k; k++) {
        if (*k == '~' || *k == '/') {
            dcp_buf_appendc (&r->path, '~');
            dcp_buf_appendc (&r->path, *k == '~' ? '0' : '1');
        } else
            dcp_buf_appendc (&r->path, *k);
    }
    if (r->path.err) {
        r->rep.error = DCP_ENOMEM;
        return old;
    }
    r->rep.path = r->path.data;
    return old;
}

static size_t
s_path_push_index (s_reader_t *r, size_t index)
{
    char key[32];
    snprintf (key, sizeof key, "%zu", index);
    return s_path_push (r, key);
}

static void
s_path_pop (s_reader_t *r, size_t len)
{
    if (!r->path.data || r->path.err)
        return;
    r->path.len = len; /* cut back to a length it had: always within the buffer */
    r->path.data[len] = '\0';
}

/* ------------------------------------------------------------------------ */
/* Exact number texts (see the file comment). */

static int
s_number_cmp (const void *a, const void *b)
{
    const s_number_t *x = a, *y = b;
    return x->node < y->node ? -1 : x->node > y->node;
}

/* Appends every number node under V, in document order, to NODES. */
static int
s_walk_numbers (const json_t *v, const json_t ***nodes, size_t *n, size_t *cap)
{
    if (json_is_number (v)) {
        if (*n == *cap) {
            size_t c = *cap ? *cap * 2 : 64;
            const json_t **p = realloc (*nodes, c * sizeof *p);
            if (!p)
                return DCP_ENOMEM;
            *nodes = p;
            *cap = c;
        }
        (*nodes)[(*n)++] = v;
    } else if (json_is_object (v)) {
        const char *key;
        json_t *child;
        json_object_foreach ((json_t *) v, key,
                             child) if (s_walk_numbers (child, nodes, n, cap)) return DCP_ENOMEM;
    } else if (json_is_array (v)) {
        size_t i;
        json_t *child;
        json_array_foreach (v, i,
                            child) if (s_walk_numbers (child, nodes, n, cap)) return DCP_ENOMEM;
    }
    return 0;
}

/* Pairs the number tokens of TEXT (already accepted by jansson, so it is
 * valid JSON) with the number nodes of ROOT. */
static int
s_collect_numbers (s_reader_t *r, const char *text, size_t len, const json_t *root)
{
    const json_t **nodes = NULL;
    size_t n_nodes = 0, cap = 0;
    int rc = s_walk_numbers (root, &nodes, &n_nodes, &cap);
    if (rc)
        goto cleanup;
    r->numbers = calloc (n_nodes ? n_nodes : 1, sizeof *r->numbers);
    if (!r->numbers) {
        rc = DCP_ENOMEM;
        goto cleanup;
    }
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == '"') {
            for (i++; i < len && text[i] != '"'; i++)
                if (text[i] == '\\')
                    i++;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            size_t start = i;
            while (i + 1 < len && text[i + 1] && strchr ("0123456789.eE+-", text[i + 1]))
                i++;
            if (k < n_nodes) {
                r->numbers[k].node = nodes[k];
                r->numbers[k].text = text + start;
                r->numbers[k].len = i - start + 1;
            }
            k++;
        }
    }
    /* Equal counts are the expected case; anything else means the pairing
     * cannot be trusted, and numbers with a fraction are then refused
     * rather than guessed. */
    r->numbers_ok = k == n_nodes;
    r->n_numbers = r->numbers_ok ? n_nodes : 0;
    qsort (r->numbers, r->n_numbers, sizeof *r->numbers, s_number_cmp);
cleanup:
    free (nodes);
    return rc;
}

/* Writes the exact source text of number node V into BUF (SIZE bytes).
 * Returns false if it is not known or does not fit. */
static bool
s_number_text (s_reader_t *r, const json_t *v, char *buf, size_t size)
{
    s_number_t key = {.node = v};
    const s_number_t *hit =
        r->numbers_ok ? bsearch (&key, r->numbers, r->n_numbers, sizeof key, s_number_cmp) : NULL;
    if (hit) {
        if (hit->len >= size)
            return false;
        memcpy (buf, hit->text, hit->len);
        buf[hit->len] = '\0';
        return true;
    }
    /* Only integers can be rebuilt without the text. */
    if (json_is_integer (v)) {
        snprintf (buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value (v));
        return true;
    }
    return false;
}

/* ------------------------------------------------------------------------ */
/* JSON values to fields. */

static const char *
s_json_type_name (const json_t *v)
{
    switch (json_typeof (v)) {
    case JSON_OBJECT: return _ ("an object");
    case JSON_ARRAY: return _ ("a list");
    case JSON_STRING: return _ ("a string");
    case JSON_INTEGER:
    case JSON_REAL: return _ ("a number");
    case JSON_TRUE:
    case JSON_FALSE: return _ ("true/false");
    case JSON_NULL: return "null";
    }
    return _ ("a value");
}

static const char *
s_field_type_name (const ProtobufCFieldDescriptor *f)
{
    switch (f->type) {
    case PROTOBUF_C_TYPE_STRING:
    case PROTOBUF_C_TYPE_BYTES: return _ ("a string");
    case PROTOBUF_C_TYPE_BOOL: return _ ("true or false");
    case PROTOBUF_C_TYPE_ENUM: return _ ("a word from the list");
    case PROTOBUF_C_TYPE_MESSAGE:
        return field_is_status_message (f->descriptor) ? _ ("a number, a status word or an object")
                                                       : _ ("an object");
    default: return _ ("a number");
    }
}

static void s_read_object (s_reader_t *r, ProtobufCMessage *msg, const json_t *obj);

/* Writes the exact text of number V into BUF, or reports. */
static bool
s_json_number_text (s_reader_t *r, const json_t *v, char *buf, size_t size)
{
    if (s_number_text (r, v, buf, size))
        return true;
    field_report (&r->rep, "NUMBER",
                  "number too long or not exactly representable; write it as a "
                  "string of plain digits, e.g. \"1234.56\"");
    return false;
}

/* Reads a status message (Count, Quantity, Money) from any JSON form. */
static void
s_read_status_message (s_reader_t *r, ProtobufCMessage *msg, const json_t *v)
{
    field_status_t sf;
    field_status_fields (msg->descriptor, &sf);
    char text[256];
    if (json_is_number (v)) {
        if (s_json_number_text (r, v, text, sizeof text)
            && field_set_status_value (&r->rep, msg, &sf, text))
            field_set_status_named (msg, &sf, "REPORTED");
    } else if (json_is_string (v)) {
        field_status_from_text (&r->rep, msg, json_string_value (v));
    } else if (json_is_object (v)) {
        s_read_object (r, msg, v);
        /* A value without a status word is a reported value. */
        const json_t *given = sf.value ? json_object_get (v, sf.value->name) : NULL;
        if (!given)
            given = json_object_get (v, "value");
        const json_t *status = json_object_get (v, "status");
        bool has_status = status && !json_is_null (status);
        bool has_value = given && !json_is_null (given);
        if (!has_status && has_value)
            field_set_status_named (msg, &sf, "REPORTED");
    } else {
        field_report (&r->rep, "TYPE", "expected a number, a status word or an object, found %s",
                      s_json_type_name (v));
    }
}

/* Sets SLOT (one value of field F, an element if F is repeated) from V.
 * Returns true if something was stored. */
static bool
s_read_slot (s_reader_t *r, const ProtobufCFieldDescriptor *f, void *slot, const json_t *v)
{
    char text[256];
    if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
        const ProtobufCMessageDescriptor *md = f->descriptor;
        ProtobufCMessage *sub = field_new_message (md);
        if (!sub) {
            r->rep.error = DCP_ENOMEM;
            return false;
        }
        field_clear_slot (f, slot);
        *(ProtobufCMessage **) slot = sub;
        if (field_is_status_message (md))
            s_read_status_message (r, sub, v);
        else if (json_is_object (v))
            s_read_object (r, sub, v);
        else
            field_report (&r->rep, "TYPE", "expected an object, found %s", s_json_type_name (v));
        return true;
    }
    switch (json_typeof (v)) {
    case JSON_STRING:
        if (f->type == PROTOBUF_C_TYPE_STRING || f->type == PROTOBUF_C_TYPE_BYTES)
            return field_set_string (&r->rep, f, slot, json_string_value (v),
                                     json_string_length (v));
        if (f->type == PROTOBUF_C_TYPE_BOOL)
            break;
        return field_set_scalar_text (&r->rep, f, slot, json_string_value (v));
    case JSON_INTEGER:
    case JSON_REAL:
        if (f->type == PROTOBUF_C_TYPE_BOOL)
            break;
        if (!s_json_number_text (r, v, text, sizeof text))
            return false;
        if (f->type == PROTOBUF_C_TYPE_ENUM) {
            /* A number names the enum value itself (what a proto3 reader
             * would accept on the wire). */
            int64_t s;
            uint64_t u;
            if (!field_integer_from_text (&r->rep, text, PROTOBUF_C_TYPE_INT32, &s, &u))
                return false;
            *(int32_t *) slot = (int32_t) s;
            return true;
        }
        return field_set_scalar_text (&r->rep, f, slot, text);
    case JSON_TRUE:
    case JSON_FALSE:
        if (f->type != PROTOBUF_C_TYPE_BOOL)
            break;
        *(protobuf_c_boolean *) slot = json_is_true (v);
        return true;
    default: break;
    }
    field_report (&r->rep, "TYPE", "expected %s, found %s", s_field_type_name (f),
                  s_json_type_name (v));
    return false;
}

/* True if F is a list of a payload message (Precursors, FinancialFlows):
 * the tables csvread can fill. */
static bool
s_is_payload_table (const ProtobufCFieldDescriptor *f)
{
    const ProtobufCMessageDescriptor *sd = &dcp__v1__submission__descriptor;
    for (unsigned i = 0; i < sd->n_fields; i++) {
        const ProtobufCFieldDescriptor *pf = &sd->fields[i];
        if (pf->type == PROTOBUF_C_TYPE_MESSAGE && field_is_oneof (pf)
            && protobuf_c_message_descriptor_get_field_by_name (pf->descriptor, f->name) == f)
            return csvread_table_known (f->name);
    }
    return false;
}

/* The JSON value of a repeated payload table may be a CSV file name. */
static bool
s_defer_csv (s_reader_t *r, const ProtobufCFieldDescriptor *f, const json_t *v)
{
    if (!r->allow_csv || !s_is_payload_table (f)) {
        field_report (
            &r->rep, "TYPE", "expected a list, found a string%s",
            s_is_payload_table (f)
                ? " (a CSV file name is allowed here only when the collector reads a file)"
                : "");
        return false;
    }
    s_deferred_csv_t *list = realloc (r->csv, (r->n_csv + 1) * sizeof *list);
    if (!list) {
        r->rep.error = DCP_ENOMEM;
        return false;
    }
    r->csv = list;
    s_deferred_csv_t *d = &r->csv[r->n_csv];
    d->table = strdup (f->name);
    d->file = strdup (json_string_value (v));
    d->pointer = strdup (r->path.data ? r->path.data : "");
    if (!d->table || !d->file || !d->pointer) {
        free (d->table);
        free (d->file);
        free (d->pointer);
        r->rep.error = DCP_ENOMEM;
        return false;
    }
    r->n_csv++;
    return true;
}

static void
s_read_repeated (s_reader_t *r, ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f,
                 const json_t *v)
{
    if (json_is_string (v) && f->type == PROTOBUF_C_TYPE_MESSAGE) {
        s_defer_csv (r, f, v);
        return;
    }
    if (!json_is_array (v)) {
        field_report (&r->rep, "TYPE", "expected a list, found %s", s_json_type_name (v));
        return;
    }
    size_t n = json_array_size (v), size = field_type_size (f->type);
    if (n == 0)
        return;
    if (n > SIZE_MAX / size) {
        r->rep.error = DCP_ENOMEM;
        return;
    }
    char *array = calloc (n, size);
    if (!array) {
        r->rep.error = DCP_ENOMEM;
        return;
    }
    /* Stored before filling, so whatever is filled is freed with MSG. */
    FIELD_MEMBER (void *, msg, f->offset) = array;
    FIELD_MEMBER (size_t, msg, f->quantifier_offset) = n;
    for (size_t i = 0; i < n; i++) {
        void *slot = array + i * size;
        /* Elements must never be NULL: protobuf-c would crash packing them. */
        if (f->type == PROTOBUF_C_TYPE_STRING)
            *(char **) slot = (char *) protobuf_c_empty_string;
        size_t mark = s_path_push_index (r, i);
        s_mark (r);
        const json_t *item = json_array_get (v, i);
        if (json_is_null (item)) {
            field_report (&r->rep, "TYPE", "null is not allowed in a list");
            if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
                *(ProtobufCMessage **) slot = field_new_message (f->descriptor);
                if (!*(ProtobufCMessage **) slot)
                    r->rep.error = DCP_ENOMEM;
            }
        } else
            s_read_slot (r, f, slot, item);
        if (f->type == PROTOBUF_C_TYPE_STRING && *(char **) slot == protobuf_c_empty_string) {
            /* protobuf-c frees every element of a repeated string */
            *(char **) slot = strdup ("");
            if (!*(char **) slot)
                r->rep.error = DCP_ENOMEM;
        }
        if (f->type == PROTOBUF_C_TYPE_MESSAGE && !*(ProtobufCMessage **) slot) {
            FIELD_MEMBER (size_t, msg, f->quantifier_offset) = i; /* out of memory */
            s_path_pop (r, mark);
            return;
        }
        s_path_pop (r, mark);
        if (r->rep.error)
            return;
    }
}

/* Distance between two short ASCII words, for "did you mean". */
static size_t
s_edit_distance (const char *a, const char *b)
{
    size_t la = strlen (a), lb = strlen (b);
    if (la > 63 || lb > 63)
        return 99;
    size_t row[64];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t cost = tolower ((unsigned char) a[i - 1]) != tolower ((unsigned char) b[j - 1]);
            size_t best = prev + cost;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    return row[lb];
}

static void
s_unknown_key (s_reader_t *r, const ProtobufCMessageDescriptor *desc, const char *key)
{
    char list[2048] = "";
    const char *closest = NULL;
    size_t best = 4;
    for (unsigned i = 0; i < desc->n_fields; i++) {
        const char *name = desc->fields[i].name;
        size_t used = strlen (list);
        snprintf (list + used, sizeof list - used, "%s%s", used ? ", " : "", name);
        size_t d = s_edit_distance (key, name);
        if (d < best) {
            best = d;
            closest = name;
        }
    }
    if (closest)
        field_report (&r->rep, "UNKNOWN-KEY",
                      "unknown key \"%s\" (did you mean \"%s\"?); valid keys here: %s", key,
                      closest, list);
    else
        field_report (&r->rep, "UNKNOWN-KEY",
                      "unknown key \"%s\"; valid keys here: %s (keys starting "
                      "with \"_\" are comments)",
                      key, list);
}

static void
s_read_field (s_reader_t *r, ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f,
              const json_t *v)
{
    if (f->label == PROTOBUF_C_LABEL_REPEATED) {
        if (!json_is_null (v))
            s_read_repeated (r, msg, f, v);
        return;
    }
    if (json_is_null (v))
        return; /* null means "not given", like leaving the key out */
    if (!field_oneof_free (&r->rep, msg->descriptor, msg, f))
        return;
    if (s_read_slot (r, f, (char *) msg + f->offset, v))
        field_mark_present (msg, f);
}

static void
s_read_object (s_reader_t *r, ProtobufCMessage *msg, const json_t *obj)
{
    const ProtobufCMessageDescriptor *desc = msg->descriptor;
    bool status_msg = field_is_status_message (desc);
    const char *key;
    json_t *v;
    json_object_foreach ((json_t *) obj, key, v)
    {
        if (r->rep.error)
            return;
        if (key[0] == '_')
            continue;
        size_t mark = s_path_push (r, key);
        s_mark (r);
        const ProtobufCFieldDescriptor *f =
            protobuf_c_message_descriptor_get_field_by_name (desc, key);
        if (status_msg) {
            field_status_t sf;
            field_status_fields (desc, &sf);
            if (!f && strcmp (key, "value") == 0)
                f = sf.value; /* Money: "value" is accepted for "amount" */
            if (f && f == sf.value && !json_is_null (v)) {
                char text[256];
                if (json_is_number (v)) {
                    if (s_json_number_text (r, v, text, sizeof text))
                        field_set_status_value (&r->rep, msg, &sf, text);
                } else if (json_is_string (v)) {
                    if (fieldword_trim (json_string_value (v), text, sizeof text))
                        field_set_status_value (&r->rep, msg, &sf, text);
                    else
                        field_report (&r->rep, "NUMBER", "number text is too long (%zu characters)",
                                      strlen (json_string_value (v)));
                } else
                    field_report (&r->rep, "TYPE", "expected a number, found %s",
                                  s_json_type_name (v));
                s_path_pop (r, mark);
                continue;
            }
            if (f && f == sf.status && json_is_string (v)
                && fieldword_is_na_token (json_string_value (v))) {
                field_set_status_named (msg, &sf, "NOT_AVAILABLE");
                s_path_pop (r, mark);
                continue;
            }
        }
        if (f)
            s_read_field (r, msg, f, v);
        else
            s_unknown_key (r, desc, key);
        s_path_pop (r, mark);
    }
}

/* ------------------------------------------------------------------------ */
/* Entry points. */

static void
s_reader_free (s_reader_t *r)
{
    dcp_buf_free (&r->path);
    free (r->numbers);
    for (size_t i = 0; i < r->n_csv; i++) {
        free (r->csv[i].table);
        free (r->csv[i].file);
        free (r->csv[i].pointer);
    }
    free (r->csv);
}

/* Fills in what the file may leave out: the questionnaire, from the
 * payload key present.  Also when it is given as null or "unspecified":
 * the writer leaves an unset questionnaire out, and reading that back must
 * give the same answer. */
static void
s_infer_questionnaire (Dcp__V1__Submission *sub)
{
    if (sub->questionnaire)
        return;
    if (sub->payload_case == DCP__V1__SUBMISSION__PAYLOAD_FINANCIAL_FLOWS)
        sub->questionnaire = DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_FINANCIAL_FLOWS;
    else if (sub->payload_case == DCP__V1__SUBMISSION__PAYLOAD_PRECURSORS)
        sub->questionnaire = DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_PRECURSORS;
}

/* Parses TEXT into a Submission with reader R set up.  NULL if TEXT is not
 * a JSON object (a finding says why) or memory ran out. */
static Dcp__V1__Submission *
s_read (s_reader_t *r, const char *text, size_t len)
{
    Dcp__V1__Submission *sub = NULL;
    json_t *root = NULL;
    /* A UTF-8 byte order mark is what some editors on Windows write. */
    if (len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0) {
        text += 3;
        len -= 3;
    }
    json_error_t err;
    root = json_loadb (text, len,
                       JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL, &err);
    if (!root) {
        field_report (&r->rep, "SYNTAX", "line %d, column %d: %s", err.line, err.column, err.text);
        goto cleanup;
    }
    if (!json_is_object (root)) {
        field_report (&r->rep, "TYPE", "the file must hold one JSON object {...}, found %s",
                      s_json_type_name (root));
        goto cleanup;
    }
    if (s_collect_numbers (r, text, len, root)) {
        r->rep.error = DCP_ENOMEM;
        goto cleanup;
    }
    sub = (Dcp__V1__Submission *) field_new_message (&dcp__v1__submission__descriptor);
    if (!sub) {
        r->rep.error = DCP_ENOMEM;
        goto cleanup;
    }
    s_mark (r); /* the document: findings on missing envelope answers come first */
    s_read_object (r, &sub->base, root);
    s_infer_questionnaire (sub);
cleanup:
    json_decref (root);
    if (r->rep.error && sub)
        dcp_codec_free (&sub);
    return sub;
}

Dcp__V1__Submission *
jsonread_text (const char *text, size_t len, dcp_findings_t *findings)
{
    assert (text || len == 0);
    assert (findings);
    s_reader_t r = {.rep = {.findings = findings, .prefix = "JSON"}};
    Dcp__V1__Submission *sub = s_read (&r, text ? text : "", len);
    s_reader_free (&r);
    return sub;
}

void
jsonread_files_free (jsonread_files_t *files)
{
    if (!files)
        return;
    for (size_t i = 0; i < files->n; i++) {
        free (files->parts[i].name);
        free (files->parts[i].bytes);
    }
    free (files->parts);
    files->parts = NULL;
    files->n = 0;
    srcmap_destroy (&files->map);
}

/* Reads the whole file at PATH (at most MAX bytes) into a new buffer
 * (caller frees).  Returns 0, DCP_EIO (errno set) or DCP_ETOOBIG. */
static int
s_slurp (const char *path, size_t max, char **text_p, size_t *len_p)
{
    int rc = 0;
    dcp_buf_t buf = DCP_BUF_INIT;
    FILE *file = fopen (path, "rb");
    if (!file)
        return DCP_EIO;
    /* a regular file too large is refused before reading it; the loop
     * below still counts, for pipes and files that grow */
    struct stat st;
    if (fstat (fileno (file), &st) == 0 && S_ISREG (st.st_mode) && (uint64_t) st.st_size > max) {
        rc = DCP_ETOOBIG;
        goto cleanup;
    }
    char chunk[65536];
    size_t n;
    while ((n = fread (chunk, 1, sizeof chunk, file)) > 0) {
        if (buf.len + n > max) {
            rc = DCP_ETOOBIG;
            goto cleanup;
        }
        if (dcp_buf_append (&buf, chunk, n)) {
            rc = DCP_ENOMEM;
            goto cleanup;
        }
    }
    if (ferror (file)) {
        rc = DCP_EIO;
        goto cleanup;
    }
    *text_p = dcp_buf_take (&buf, len_p);
    rc = *text_p ? 0 : DCP_ENOMEM;
cleanup:
    fclose (file);
    dcp_buf_free (&buf);
    return rc;
}

/* Reads the file at PATH (at most JSONREAD_MAX_FILE bytes) and appends it to
 * FILES under NAME.  Returns 0, DCP_EIO (errno set), DCP_ETOOBIG or
 * DCP_ENOMEM. */
static int
s_read_part (jsonread_files_t *files, const char *path, const char *name)
{
    jsonread_part_t *parts = realloc (files->parts, (files->n + 1) * sizeof *parts);
    if (!parts)
        return DCP_ENOMEM;
    files->parts = parts;
    jsonread_part_t *p = &parts[files->n];
    p->name = strdup (name);
    if (!p->name)
        return DCP_ENOMEM;
    int rc = s_slurp (path, JSONREAD_MAX_FILE, &p->bytes, &p->len);
    if (rc) {
        free (p->name);
        return rc;
    }
    files->n++;
    return 0;
}

static void
s_report_file (dcp_findings_t *findings, const char *pointer, const char *path, int rc)
{
    if (rc == DCP_ETOOBIG)
        dcp_findings_add (findings, "JSON-FILE", DCP_SEV_ERROR, pointer,
                          "file \"%s\" is larger than %u MiB", path, JSONREAD_MAX_FILE >> 20);
    else if (rc == DCP_EIO)
        dcp_findings_add (findings, "JSON-FILE", DCP_SEV_ERROR, pointer,
                          "could not read file \"%s\": %s", path, strerror (errno));
}

/* Reads the CSV files R deferred into SUB, each once, appending their bytes
 * to FILES; they live beside PATH.  Returns 0 or DCP_ENOMEM (a file that
 * cannot be read is a finding). */
static int
s_read_csv_files (s_reader_t *r, const char *path, Dcp__V1__Submission *sub,
                  jsonread_files_t *files)
{
    int rc = 0;
    const char *slash = strrchr (path, '/');
    char *dir = slash ? strndup (path, (size_t) (slash - path + 1)) : strdup ("");
    if (!dir)
        return DCP_ENOMEM;
    for (size_t i = 0; i < r->n_csv && rc != DCP_ENOMEM; i++) {
        const s_deferred_csv_t *d = &r->csv[i];
        char *csv_path = NULL;
        if (d->file[0] == '/')
            csv_path = strdup (d->file);
        else if (asprintf (&csv_path, "%s%s", dir, d->file) < 0)
            csv_path = NULL;
        if (!csv_path) {
            rc = DCP_ENOMEM;
            break;
        }
        rc = s_read_part (files, csv_path, d->file);
        if (rc == DCP_EIO || rc == DCP_ETOOBIG)
            s_report_file (r->rep.findings, d->pointer, csv_path, rc);
        else if (rc == 0) {
            const jsonread_part_t *p = &files->parts[files->n - 1];
            rc = csvread_table_mapped (p->bytes, p->len, d->file, d->table, sub, r->rep.findings,
                                       r->map);
        }
        free (csv_path);
    }
    free (dir);
    return rc == DCP_ENOMEM ? rc : 0;
}

Dcp__V1__Submission *
jsonread_file (const char *path, dcp_findings_t *findings, jsonread_files_t *files)
{
    assert (path && findings);
    s_reader_t r = {.rep = {.findings = findings, .prefix = "JSON"}, .allow_csv = true};
    jsonread_files_t own = {0};
    jsonread_files_t *kept = files ? files : &own;
    Dcp__V1__Submission *sub = NULL;
    int rc = s_read_part (kept, path, path);
    if (!rc && files && !files->map && !(files->map = srcmap_new ()))
        rc = DCP_ENOMEM;
    r.map = files ? files->map : NULL;
    if (rc) {
        s_report_file (findings, "", path, rc);
        goto cleanup;
    }
    sub = s_read (&r, kept->parts[0].bytes, kept->parts[0].len);
    if (sub && s_read_csv_files (&r, path, sub, kept))
        dcp_codec_free (&sub);
cleanup:
    s_reader_free (&r);
    jsonread_files_free (&own);
    return sub;
}
