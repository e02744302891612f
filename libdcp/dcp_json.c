/* dcp_json.c: the JSON response format, read and written by walking the
 * protobuf-c descriptors (see dcp_json.h and collector/FORMAT.md).
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
 * (strings strdup'ed, sub-messages via dcp_json_new_message), so that
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

#include "dcp_csv.h"
#include "dcp_err.h"
#include "dcp_json.h"

/* ------------------------------------------------------------------------ */
/* The reader's state: where we are (a JSON pointer) and whom we tell. */

typedef struct {
    const json_t *node;
    const char *text;  /* points into the input */
    size_t len;
} s_number_t;

typedef struct {
    char *table;     /* field name of the repeated table, e.g. "incidents" */
    char *file;      /* as written in the JSON file */
    char *pointer;   /* JSON pointer of the key, for findings */
} s_deferred_csv_t;

typedef struct {
    dcp_findings_t *findings;
    const char *prefix;        /* "JSON" or "CSV" */
    const char *context;       /* cell mode: "column 3 \"unit\"" */
    const char *note;          /* cell mode: "row becomes /..." */
    char *path;                /* current JSON pointer (or the cell's path) */
    size_t path_len, path_cap;
    bool fixed_path;           /* cell mode: never push */
    s_number_t *numbers;       /* sorted by node, see s_collect_numbers */
    size_t n_numbers;
    bool numbers_ok;           /* false: token/node pairing failed */
    bool allow_csv;            /* read_file: tables may name a CSV file */
    s_deferred_csv_t *csv;
    size_t n_csv;
    int error;                 /* first DCP_ENOMEM seen */
} s_reader_t;

/* Adds a finding at the current path.  ID is the part after the prefix,
 * e.g. "ENUM".  Messages follow the house style: lowercase, no period. */
static void s_report (s_reader_t *r, const char *id, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

static void
s_report (s_reader_t *r, const char *id, const char *fmt, ...)
{
    char rule[64], body[3072];
    snprintf (rule, sizeof rule, "%s-%s", r->prefix, id);
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (body, sizeof body, fmt, ap);
    va_end (ap);
    int rc = dcp_findings_add (r->findings, rule, DCP_SEV_ERROR, r->path ? r->path : "",
                               "%s%s%s%s%s%s", r->context ? r->context : "",
                               r->context ? ": " : "", body, r->note ? " (" : "",
                               r->note ? r->note : "", r->note ? ")" : "");
    if (rc && !r->error)
        r->error = rc;
}

/* Appends "/" and KEY escaped per RFC 6901 (~ -> ~0, / -> ~1); returns the
 * previous length for s_path_pop(). */
static size_t
s_path_push (s_reader_t *r, const char *key)
{
    size_t old = r->path_len;
    if (r->fixed_path)
        return old;
    size_t need = r->path_len + 2 + 2 * strlen (key) + 1;
    if (need > r->path_cap) {
        size_t cap = r->path_cap ? r->path_cap : 128;
        while (cap < need)
            cap *= 2;
        char *p = realloc (r->path, cap);
        if (!p) {
            r->error = DCP_ENOMEM;
            return old;
        }
        r->path = p;
        r->path_cap = cap;
    }
    char *out = r->path + r->path_len;
    *out++ = '/';
    for (const char *k = key; *k; k++) {
        if (*k == '~' || *k == '/') {
            *out++ = '~';
            *out++ = *k == '~' ? '0' : '1';
        } else
            *out++ = *k;
    }
    *out = '\0';
    r->path_len = (size_t) (out - r->path);
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
    if (r->fixed_path || !r->path)
        return;
    r->path_len = len;
    r->path[len] = '\0';
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
        json_object_foreach ((json_t *) v, key, child)
            if (s_walk_numbers (child, nodes, n, cap))
                return DCP_ENOMEM;
    } else if (json_is_array (v)) {
        size_t i;
        json_t *child;
        json_array_foreach (v, i, child)
            if (s_walk_numbers (child, nodes, n, cap))
                return DCP_ENOMEM;
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
    const s_number_t *hit = r->numbers_ok ? bsearch (&key, r->numbers, r->n_numbers,
                                                     sizeof key, s_number_cmp)
                                          : NULL;
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
/* Text helpers. */

/* Copies TEXT without leading and trailing ASCII white space into BUF.
 * Returns false if it did not fit (BUF then holds a cut copy, which callers
 * must not interpret: "000...0001" cut short would read as 0). */
static bool
s_trim (const char *text, char *buf, size_t size)
{
    while (*text == ' ' || *text == '\t' || *text == '\r' || *text == '\n')
        text++;
    size_t n = strlen (text);
    while (n && strchr (" \t\r\n", text[n - 1]))
        n--;
    bool fits = n < size;
    if (!fits)
        n = size - 1;
    memcpy (buf, text, n);
    buf[n] = '\0';
    return fits;
}

/* True if TEXT is a plain decimal: optional '-', digits, optionally '.' and
 * digits.  No '+', exponent, spaces or thousands separators: these are the
 * forms PostgreSQL numeric and dcp_decimal agree on. */
static bool
s_is_decimal (const char *text)
{
    const char *p = text;
    if (*p == '-')
        p++;
    if (!isdigit ((unsigned char) *p))
        return false;
    while (isdigit ((unsigned char) *p))
        p++;
    if (*p == '.') {
        p++;
        if (!isdigit ((unsigned char) *p))
            return false;
        while (isdigit ((unsigned char) *p))
            p++;
    }
    return *p == '\0';
}

/* Words that mean "not available" on the forms (DOMAIN.md V-GEN-03). */
static const char *const s_na_tokens[] = {
    "--", "\xe2\x80\x93", "\xe2\x80\x94", "-", "n/a", "na", "..", "x", "not known",
    "unknown", "not available", "notavailable", NULL,
};

static bool
s_is_na_token (const char *text)
{
    for (int i = 0; s_na_tokens[i]; i++)
        if (strcasecmp (text, s_na_tokens[i]) == 0)
            return true;
    return false;
}

/* Upper-cases TEXT into BUF, turning spaces and '-' into '_'. */
static void
s_normalise_word (const char *text, char *buf, size_t size)
{
    size_t i = 0;
    for (; text[i] && i + 1 < size; i++) {
        unsigned char c = (unsigned char) text[i];
        buf[i] = c == ' ' || c == '-' ? '_' : (char) toupper (c);
    }
    buf[i] = '\0';
}

/* Length of the prefix shared by every name of enum DESC, cut after an
 * underscore ("OBS_" for ObsStatus, "TRI_" for Tri). */
static size_t
s_enum_prefix_len (const ProtobufCEnumDescriptor *desc)
{
    if (desc->n_values < 2)
        return 0;
    size_t n = strlen (desc->values[0].name);
    for (unsigned i = 1; i < desc->n_values; i++) {
        size_t k = 0;
        while (k < n && desc->values[i].name[k] == desc->values[0].name[k])
            k++;
        n = k;
    }
    while (n > 0 && desc->values[0].name[n - 1] != '_')
        n--;
    return n;
}

/* Finds enum DESC's value named TEXT (case-insensitive, with or without
 * the prefix, spaces for underscores).  Returns false if none. */
static bool
s_enum_lookup (const ProtobufCEnumDescriptor *desc, const char *text, int *value)
{
    char word[128];
    s_normalise_word (text, word, sizeof word);
    size_t plen = s_enum_prefix_len (desc);
    for (unsigned i = 0; i < desc->n_values; i++) {
        const char *name = desc->values[i].name;
        if (strcmp (word, name) == 0 || strcmp (word, name + plen) == 0) {
            *value = desc->values[i].value;
            return true;
        }
    }
    return false;
}

/* Short lowercase name of VALUE in DESC ("reported"), into BUF; NULL if the
 * value has no name. */
static const char *
s_enum_short_name (const ProtobufCEnumDescriptor *desc, int value, char *buf, size_t size)
{
    size_t plen = s_enum_prefix_len (desc);
    for (unsigned i = 0; i < desc->n_values; i++)
        if (desc->values[i].value == value) {
            size_t k = 0;
            for (const char *p = desc->values[i].name + plen; *p && k + 1 < size; p++)
                buf[k++] = (char) tolower ((unsigned char) *p);
            buf[k] = '\0';
            return buf;
        }
    return NULL;
}

/* "a, b, c" of the short names of DESC, skipping value 0 (unspecified). */
static void
s_enum_list (const ProtobufCEnumDescriptor *desc, char *buf, size_t size)
{
    buf[0] = '\0';
    char name[128];
    for (unsigned i = 0; i < desc->n_values; i++) {
        if (desc->values[i].value == 0)
            continue;
        s_enum_short_name (desc, desc->values[i].value, name, sizeof name);
        size_t used = strlen (buf);
        snprintf (buf + used, size - used, "%s%s", used ? ", " : "", name);
    }
}

/* ------------------------------------------------------------------------ */
/* Storage of field values in a message. */

#define S_MEMBER(type, msg, offset) (*(type *) ((char *) (msg) + (offset)))

ProtobufCMessage *
dcp_json_new_message (const ProtobufCMessageDescriptor *desc)
{
    ProtobufCMessage *msg = calloc (1, desc->sizeof_message);
    if (msg)
        desc->message_init (msg);
    return msg;
}

bool
dcp_json_is_status_message (const ProtobufCMessageDescriptor *desc)
{
    const ProtobufCFieldDescriptor *f
        = protobuf_c_message_descriptor_get_field_by_name (desc, "status");
    return f && f->type == PROTOBUF_C_TYPE_ENUM && f->label != PROTOBUF_C_LABEL_REPEATED;
}

static size_t
s_type_size (ProtobufCType type)
{
    switch (type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
    case PROTOBUF_C_TYPE_ENUM:
        return 4;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        return 8;
    case PROTOBUF_C_TYPE_FLOAT:
        return sizeof (float);
    case PROTOBUF_C_TYPE_DOUBLE:
        return sizeof (double);
    case PROTOBUF_C_TYPE_BOOL:
        return sizeof (protobuf_c_boolean);
    case PROTOBUF_C_TYPE_STRING:
        return sizeof (char *);
    case PROTOBUF_C_TYPE_BYTES:
        return sizeof (ProtobufCBinaryData);
    case PROTOBUF_C_TYPE_MESSAGE:
        return sizeof (ProtobufCMessage *);
    }
    return 0;
}

static bool
s_is_oneof (const ProtobufCFieldDescriptor *f)
{
    return (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) != 0;
}

/* Records that F of MSG is present: the has_ flag of a proto2/proto3
 * `optional` field, or the case of a oneof. */
static void
s_mark_present (ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f)
{
    if (s_is_oneof (f))
        S_MEMBER (uint32_t, msg, f->quantifier_offset) = f->id;
    else if (f->label == PROTOBUF_C_LABEL_OPTIONAL && f->quantifier_offset)
        S_MEMBER (protobuf_c_boolean, msg, f->quantifier_offset) = 1;
}

/* True if F of MSG holds a value (for the writer and for oneof checks). */
static bool
s_is_present (const ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f)
{
    if (s_is_oneof (f))
        return S_MEMBER (uint32_t, msg, f->quantifier_offset) == f->id;
    if (f->label == PROTOBUF_C_LABEL_OPTIONAL && f->quantifier_offset
        && f->type != PROTOBUF_C_TYPE_MESSAGE && f->type != PROTOBUF_C_TYPE_STRING)
        return S_MEMBER (protobuf_c_boolean, msg, f->quantifier_offset) != 0;
    if (f->label == PROTOBUF_C_LABEL_REPEATED)
        return S_MEMBER (size_t, msg, f->quantifier_offset) > 0;
    const void *p = (const char *) msg + f->offset;
    switch (f->type) {
    case PROTOBUF_C_TYPE_STRING: {
        const char *s = *(char *const *) p;
        return s && s[0];
    }
    case PROTOBUF_C_TYPE_BYTES:
        return ((const ProtobufCBinaryData *) p)->len > 0;
    case PROTOBUF_C_TYPE_MESSAGE:
        return *(ProtobufCMessage *const *) p != NULL;
    case PROTOBUF_C_TYPE_BOOL:
        return *(const protobuf_c_boolean *) p != 0;
    case PROTOBUF_C_TYPE_FLOAT:
        return *(const float *) p != 0;
    case PROTOBUF_C_TYPE_DOUBLE:
        return *(const double *) p != 0;
    default: {
        size_t size = s_type_size (f->type);
        static const char zeros[8];
        return memcmp (p, zeros, size) != 0;
    }
    }
}

/* Frees what SLOT (of type F->type) holds, leaving it zero / default. */
static void
s_clear_slot (const ProtobufCFieldDescriptor *f, void *slot)
{
    if (f->type == PROTOBUF_C_TYPE_STRING) {
        char *s = *(char **) slot;
        if (s && s != protobuf_c_empty_string && s != f->default_value)
            free (s);
        *(char **) slot = (char *) protobuf_c_empty_string;
    } else if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
        ProtobufCMessage *m = *(ProtobufCMessage **) slot;
        if (m)
            protobuf_c_message_free_unpacked (m, NULL);
        *(ProtobufCMessage **) slot = NULL;
    } else if (f->type == PROTOBUF_C_TYPE_BYTES) {
        ProtobufCBinaryData *b = slot;
        free (b->data);
        b->data = NULL;
        b->len = 0;
    }
}

/* Oneof members share storage: a second member would overwrite (and leak
 * or misfree) the first.  Returns false, with a finding, if another member
 * of F's oneof is already set. */
static bool
s_oneof_free (s_reader_t *r, const ProtobufCMessageDescriptor *desc, ProtobufCMessage *msg,
              const ProtobufCFieldDescriptor *f)
{
    if (!s_is_oneof (f))
        return true;
    uint32_t set = S_MEMBER (uint32_t, msg, f->quantifier_offset);
    if (set == 0 || set == f->id)
        return true;
    const char *other = "?";
    for (unsigned i = 0; i < desc->n_fields; i++)
        if (desc->fields[i].id == set)
            other = desc->fields[i].name;
    s_report (r, "ONEOF", "\"%s\" cannot be given together with \"%s\": only one of them is allowed",
              f->name, other);
    return false;
}

/* ------------------------------------------------------------------------ */
/* Scalars from text (shared by JSON numbers, JSON strings and CSV cells). */

/* Parses an integer TEXT (optional '-', digits, optionally ".000") into
 * *OUT for field type TYPE, with range checks.  Reports and returns false
 * on failure. */
static bool
s_integer_from_text (s_reader_t *r, const char *text, ProtobufCType type, int64_t *out_s,
                     uint64_t *out_u)
{
    const char *p = text;
    bool negative = false;
    if (*p == '-') {
        negative = true;
        p++;
    }
    if (!isdigit ((unsigned char) *p)) {
        s_report (r, "NUMBER", "\"%s\" is not a whole number", text);
        return false;
    }
    unsigned __int128 mag = 0;
    bool too_big = false;
    for (; isdigit ((unsigned char) *p); p++) {
        mag = mag * 10 + (unsigned) (*p - '0');
        if (mag > UINT64_MAX)
            too_big = true, mag = (unsigned __int128) UINT64_MAX + 1;
    }
    if (*p == '.') {
        const char *frac = ++p;
        while (*p == '0')
            p++;
        if (isdigit ((unsigned char) *p) || p == frac) {
            s_report (r, "NUMBER", "%s is not a whole number: this answer is counted in whole units",
                      text);
            return false;
        }
    }
    if (*p == 'e' || *p == 'E') {
        s_report (r, "NUMBER", "%s: write the number in plain digits, without an exponent", text);
        return false;
    }
    if (*p) {
        s_report (r, "NUMBER", "\"%s\" is not a whole number", text);
        return false;
    }
    const char *range = NULL;
    switch (type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
        if (too_big || (negative ? mag > (unsigned __int128) INT32_MAX + 1 : mag > INT32_MAX))
            range = "-2147483648 to 2147483647";
        break;
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        if (too_big || (negative && mag) || mag > UINT32_MAX)
            range = "0 to 4294967295";
        break;
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        if (too_big || (negative && mag))
            range = "0 to 18446744073709551615";
        break;
    default:
        if (too_big || (negative ? mag > (unsigned __int128) INT64_MAX + 1 : mag > INT64_MAX))
            range = "-9223372036854775808 to 9223372036854775807";
        break;
    }
    if (range) {
        s_report (r, "NUMBER", "%s is out of range: this field holds %s", text, range);
        return false;
    }
    *out_u = (uint64_t) mag;
    *out_s = negative ? (int64_t) (0 - (uint64_t) mag) : (int64_t) mag;
    return true;
}

/* Stores an integer TEXT into SLOT of type F->type. */
static bool
s_set_integer (s_reader_t *r, const ProtobufCFieldDescriptor *f, void *slot, const char *text)
{
    int64_t s;
    uint64_t u;
    if (!s_integer_from_text (r, text, f->type, &s, &u))
        return false;
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
        *(int32_t *) slot = (int32_t) s;
        break;
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        *(uint32_t *) slot = (uint32_t) u;
        break;
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        *(uint64_t *) slot = u;
        break;
    default:
        *(int64_t *) slot = s;
        break;
    }
    return true;
}

static bool
s_set_string (s_reader_t *r, const ProtobufCFieldDescriptor *f, void *slot, const char *text,
              size_t len)
{
    if (memchr (text, '\0', len)) {
        s_report (r, "STRING", "text contains a NUL character");
        return false;
    }
    if (f->type == PROTOBUF_C_TYPE_BYTES) {
        ProtobufCBinaryData *b = slot;
        uint8_t *copy = malloc (len ? len : 1);
        if (!copy) {
            r->error = DCP_ENOMEM;
            return false;
        }
        memcpy (copy, text, len);
        s_clear_slot (f, slot);
        b->data = copy;
        b->len = len;
        return true;
    }
    char *copy = strndup (text, len);
    if (!copy) {
        r->error = DCP_ENOMEM;
        return false;
    }
    s_clear_slot (f, slot);
    *(char **) slot = copy;
    return true;
}

static bool
s_set_enum_text (s_reader_t *r, const ProtobufCFieldDescriptor *f, void *slot, const char *text)
{
    const ProtobufCEnumDescriptor *ed = f->descriptor;
    int value;
    char trimmed[256];
    if (s_trim (text, trimmed, sizeof trimmed) && s_enum_lookup (ed, trimmed, &value)) {
        *(int32_t *) slot = value;
        return true;
    }
    char list[1024];
    s_enum_list (ed, list, sizeof list);
    s_report (r, "ENUM", "unknown value \"%s\" for \"%s\"; allowed: %s", text, f->name, list);
    return false;
}

static bool
s_set_bool_text (s_reader_t *r, const ProtobufCFieldDescriptor *f, void *slot, const char *text)
{
    static const char *const yes[] = {"true", "yes", "y", "1", NULL};
    static const char *const no[] = {"false", "no", "n", "0", NULL};
    char t[32];
    if (!s_trim (text, t, sizeof t))
        t[0] = '\0';  /* too long to be a yes or no */
    for (int i = 0; yes[i]; i++)
        if (strcasecmp (t, yes[i]) == 0) {
            *(protobuf_c_boolean *) slot = 1;
            return true;
        }
    for (int i = 0; no[i]; i++)
        if (strcasecmp (t, no[i]) == 0) {
            *(protobuf_c_boolean *) slot = 0;
            return true;
        }
    s_report (r, "TYPE", "\"%s\" is not true or false", text);
    return false;
}

/* Sets a scalar SLOT of type F->type from TEXT, as a CSV cell or a JSON
 * string would give it. */
static bool
s_set_scalar_text (s_reader_t *r, const ProtobufCFieldDescriptor *f, void *slot,
                   const char *text)
{
    char t[128];
    if (f->type != PROTOBUF_C_TYPE_STRING && f->type != PROTOBUF_C_TYPE_BYTES
        && f->type != PROTOBUF_C_TYPE_ENUM && f->type != PROTOBUF_C_TYPE_BOOL
        && !s_trim (text, t, sizeof t)) {
        s_report (r, "NUMBER", "number text is too long (%zu characters)", strlen (text));
        return false;
    }
    switch (f->type) {
    case PROTOBUF_C_TYPE_STRING:
    case PROTOBUF_C_TYPE_BYTES:
        return s_set_string (r, f, slot, text, strlen (text));
    case PROTOBUF_C_TYPE_ENUM:
        return s_set_enum_text (r, f, slot, text);
    case PROTOBUF_C_TYPE_BOOL:
        return s_set_bool_text (r, f, slot, text);
    case PROTOBUF_C_TYPE_FLOAT:
    case PROTOBUF_C_TYPE_DOUBLE: {
        char *end;
        errno = 0;
        double d = strtod (t, &end);
        if (!t[0] || *end || errno) {
            s_report (r, "NUMBER", "\"%s\" is not a number", text);
            return false;
        }
        if (f->type == PROTOBUF_C_TYPE_FLOAT)
            *(float *) slot = (float) d;
        else
            *(double *) slot = d;
        return true;
    }
    case PROTOBUF_C_TYPE_MESSAGE:
        assert (!"messages are not scalars");
        return false;
    default:
        return s_set_integer (r, f, slot, t);
    }
}

/* ------------------------------------------------------------------------ */
/* Count / Quantity / Money. */

typedef struct {
    const ProtobufCFieldDescriptor *status;  /* enum */
    const ProtobufCFieldDescriptor *value;   /* "value" or "amount" */
    const ProtobufCFieldDescriptor *unit;    /* "unit" or "currency", may be NULL */
} s_status_fields_t;

static void
s_status_fields (const ProtobufCMessageDescriptor *desc, s_status_fields_t *sf)
{
    sf->status = protobuf_c_message_descriptor_get_field_by_name (desc, "status");
    sf->value = protobuf_c_message_descriptor_get_field_by_name (desc, "value");
    if (!sf->value)
        sf->value = protobuf_c_message_descriptor_get_field_by_name (desc, "amount");
    sf->unit = protobuf_c_message_descriptor_get_field_by_name (desc, "unit");
    if (!sf->unit)
        sf->unit = protobuf_c_message_descriptor_get_field_by_name (desc, "currency");
}

/* True if status VALUE (of enum ED) carries a number: REPORTED, ESTIMATED,
 * PROVISIONAL (DOMAIN.md V-GEN-02). */
static bool
s_status_needs_value (const ProtobufCEnumDescriptor *ed, int value)
{
    char name[64];
    if (!s_enum_short_name (ed, value, name, sizeof name))
        return false;
    return strcmp (name, "reported") == 0 || strcmp (name, "estimated") == 0
           || strcmp (name, "provisional") == 0;
}

static void
s_set_status_named (ProtobufCMessage *msg, const s_status_fields_t *sf, const char *name)
{
    int value = 0;
    if (s_enum_lookup (sf->status->descriptor, name, &value))
        S_MEMBER (int32_t, msg, sf->status->offset) = value;
}

/* Stores the number TEXT as the value of status message MSG; decimals must
 * be plain (s_is_decimal), counts whole. */
static bool
s_set_status_value (s_reader_t *r, ProtobufCMessage *msg, const s_status_fields_t *sf,
                    const char *text)
{
    const ProtobufCFieldDescriptor *f = sf->value;
    if (!f) {
        s_report (r, "TYPE", "this answer has no value field");
        return false;
    }
    void *slot = (char *) msg + f->offset;
    if (f->type == PROTOBUF_C_TYPE_STRING) {
        if (!s_is_decimal (text)) {
            s_report (r, "NUMBER",
                      "\"%s\" is not a plain decimal number: write digits with an optional "
                      "'-' and '.', without exponent, '+', spaces or thousands separators",
                      text);
            return false;
        }
        if (!s_set_string (r, f, slot, text, strlen (text)))
            return false;
    } else if (!s_set_scalar_text (r, f, slot, text))
        return false;
    s_mark_present (msg, f);
    return true;
}

static const char s_status_words[]
    = "a number, or one of: not available (also --, \xe2\x80\x93, n/a, .., x, not known), "
      "not applicable, confidential, included elsewhere, unanswered (or blank); "
      "estimated and provisional need a value: {\"value\": ..., \"status\": \"estimated\"}";

/* Sets status message MSG from a shortcut TEXT: a decimal (optionally
 * followed by a unit or currency code, "21700 KG"), a status word or a
 * not-available token; blank is UNANSWERED. */
static bool
s_status_from_text (s_reader_t *r, ProtobufCMessage *msg, const char *text)
{
    s_status_fields_t sf;
    s_status_fields (msg->descriptor, &sf);
    const ProtobufCEnumDescriptor *ed = sf.status->descriptor;
    char t[256];
    if (!s_trim (text, t, sizeof t)) {
        s_report (r, "STATUS-TOKEN", "answer text is too long to be a number or status word");
        return false;
    }
    if (!t[0]) {
        s_set_status_named (msg, &sf, "UNANSWERED");
        return true;
    }
    if (s_is_na_token (t)) {
        s_set_status_named (msg, &sf, "NOT_AVAILABLE");
        return true;
    }
    int value;
    if (s_enum_lookup (ed, t, &value)) {
        if (s_status_needs_value (ed, value)) {
            s_report (r, "STATUS-TOKEN", "status \"%s\" needs a value: write {\"value\": ..., "
                      "\"status\": \"%s\"}", t, t);
            return false;
        }
        S_MEMBER (int32_t, msg, sf.status->offset) = value;
        return true;
    }
    /* "<number>" or "<number> <UNIT>" */
    char *space = strpbrk (t, " \t");
    char *unit = NULL;
    if (space) {
        *space = '\0';
        unit = space + 1;
        while (*unit == ' ' || *unit == '\t')
            unit++;
    }
    bool numeric = s_is_decimal (t) || (t[0] && strspn (t, "-0123456789.eE+") == strlen (t)
                                        && isdigit ((unsigned char) t[strlen (t) - 1]));
    if (!numeric) {
        if (space)
            *space = ' ';
        if (strpbrk (t, "0123456789") && strspn (t, "0123456789.,-' ") == strlen (t)) {
            s_report (r, "NUMBER", "\"%s\" is not a plain decimal number: write it without "
                      "thousands separators and with '.' as the decimal point, e.g. 1200.5", t);
            return false;
        }
        s_report (r, "STATUS-TOKEN", "\"%s\" is not an answer: use %s", t, s_status_words);
        return false;
    }
    if (unit) {
        bool word = unit[0] != '\0';
        for (const char *p = unit; *p; p++)
            word = word && isalnum ((unsigned char) *p);
        if (!word || !sf.unit) {
            s_report (r, "STATUS-TOKEN", "\"%s %s\" is not an answer: use a number%s", t, unit,
                      sf.unit ? " followed by one unit or currency code, e.g. \"1500 KG\"" : "");
            return false;
        }
    }
    if (!s_set_status_value (r, msg, &sf, t))
        return false;
    s_set_status_named (msg, &sf, "REPORTED");
    if (unit) {
        char code[64];
        s_normalise_word (unit, code, sizeof code);
        return s_set_string (r, sf.unit, (char *) msg + sf.unit->offset, code, strlen (code));
    }
    return true;
}

/* ------------------------------------------------------------------------ */
/* JSON values to fields. */

static const char *
s_json_type_name (const json_t *v)
{
    switch (json_typeof (v)) {
    case JSON_OBJECT:  return "an object";
    case JSON_ARRAY:   return "a list";
    case JSON_STRING:  return "a string";
    case JSON_INTEGER:
    case JSON_REAL:    return "a number";
    case JSON_TRUE:
    case JSON_FALSE:   return "true/false";
    case JSON_NULL:    return "null";
    }
    return "a value";
}

static const char *
s_field_type_name (const ProtobufCFieldDescriptor *f)
{
    switch (f->type) {
    case PROTOBUF_C_TYPE_STRING:
    case PROTOBUF_C_TYPE_BYTES:  return "a string";
    case PROTOBUF_C_TYPE_BOOL:   return "true or false";
    case PROTOBUF_C_TYPE_ENUM:   return "a word from the list";
    case PROTOBUF_C_TYPE_MESSAGE:
        return dcp_json_is_status_message (f->descriptor)
                   ? "a number, a status word or an object"
                   : "an object";
    default:                     return "a number";
    }
}

static void s_read_object (s_reader_t *r, ProtobufCMessage *msg, const json_t *obj);

/* Writes the exact text of number V into BUF, or reports. */
static bool
s_json_number_text (s_reader_t *r, const json_t *v, char *buf, size_t size)
{
    if (s_number_text (r, v, buf, size))
        return true;
    s_report (r, "NUMBER", "number too long or not exactly representable; write it as a "
              "string of plain digits, e.g. \"1234.56\"");
    return false;
}

/* Reads a status message (Count, Quantity, Money) from any JSON form. */
static void
s_read_status_message (s_reader_t *r, ProtobufCMessage *msg, const json_t *v)
{
    s_status_fields_t sf;
    s_status_fields (msg->descriptor, &sf);
    char text[256];
    if (json_is_number (v)) {
        if (s_json_number_text (r, v, text, sizeof text) && s_set_status_value (r, msg, &sf, text))
            s_set_status_named (msg, &sf, "REPORTED");
    } else if (json_is_string (v)) {
        s_status_from_text (r, msg, json_string_value (v));
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
            s_set_status_named (msg, &sf, "REPORTED");
    } else {
        s_report (r, "TYPE", "expected a number, a status word or an object, found %s",
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
        ProtobufCMessage *sub = dcp_json_new_message (md);
        if (!sub) {
            r->error = DCP_ENOMEM;
            return false;
        }
        s_clear_slot (f, slot);
        *(ProtobufCMessage **) slot = sub;
        if (dcp_json_is_status_message (md))
            s_read_status_message (r, sub, v);
        else if (json_is_object (v))
            s_read_object (r, sub, v);
        else
            s_report (r, "TYPE", "expected an object, found %s", s_json_type_name (v));
        return true;
    }
    switch (json_typeof (v)) {
    case JSON_STRING:
        if (f->type == PROTOBUF_C_TYPE_STRING || f->type == PROTOBUF_C_TYPE_BYTES)
            return s_set_string (r, f, slot, json_string_value (v), json_string_length (v));
        if (f->type == PROTOBUF_C_TYPE_BOOL)
            break;
        return s_set_scalar_text (r, f, slot, json_string_value (v));
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
            if (!s_integer_from_text (r, text, PROTOBUF_C_TYPE_INT32, &s, &u))
                return false;
            *(int32_t *) slot = (int32_t) s;
            return true;
        }
        return s_set_scalar_text (r, f, slot, text);
    case JSON_TRUE:
    case JSON_FALSE:
        if (f->type != PROTOBUF_C_TYPE_BOOL)
            break;
        *(protobuf_c_boolean *) slot = json_is_true (v);
        return true;
    default:
        break;
    }
    s_report (r, "TYPE", "expected %s, found %s", s_field_type_name (f), s_json_type_name (v));
    return false;
}

/* True if F is a list of a payload message (Precursors, FinancialFlows):
 * the tables dcp_csv can fill. */
static bool
s_is_payload_table (const ProtobufCFieldDescriptor *f)
{
    const ProtobufCMessageDescriptor *sd = &dcp__v1__submission__descriptor;
    for (unsigned i = 0; i < sd->n_fields; i++) {
        const ProtobufCFieldDescriptor *pf = &sd->fields[i];
        if (pf->type == PROTOBUF_C_TYPE_MESSAGE && s_is_oneof (pf)
            && protobuf_c_message_descriptor_get_field_by_name (pf->descriptor, f->name) == f)
            return dcp_csv_table_known (f->name);
    }
    return false;
}

/* The JSON value of a repeated payload table may be a CSV file name. */
static bool
s_defer_csv (s_reader_t *r, const ProtobufCFieldDescriptor *f, const json_t *v)
{
    if (!r->allow_csv || !s_is_payload_table (f)) {
        s_report (r, "TYPE", "expected a list, found a string%s",
                  s_is_payload_table (f)
                      ? " (a CSV file name is allowed here only when the collector reads a file)"
                      : "");
        return false;
    }
    s_deferred_csv_t *list = realloc (r->csv, (r->n_csv + 1) * sizeof *list);
    if (!list) {
        r->error = DCP_ENOMEM;
        return false;
    }
    r->csv = list;
    s_deferred_csv_t *d = &r->csv[r->n_csv];
    d->table = strdup (f->name);
    d->file = strdup (json_string_value (v));
    d->pointer = strdup (r->path ? r->path : "");
    if (!d->table || !d->file || !d->pointer) {
        free (d->table);
        free (d->file);
        free (d->pointer);
        r->error = DCP_ENOMEM;
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
        s_report (r, "TYPE", "expected a list, found %s", s_json_type_name (v));
        return;
    }
    size_t n = json_array_size (v), size = s_type_size (f->type);
    if (n == 0)
        return;
    if (n > SIZE_MAX / size) {
        r->error = DCP_ENOMEM;
        return;
    }
    char *array = calloc (n, size);
    if (!array) {
        r->error = DCP_ENOMEM;
        return;
    }
    /* Stored before filling, so whatever is filled is freed with MSG. */
    S_MEMBER (void *, msg, f->offset) = array;
    S_MEMBER (size_t, msg, f->quantifier_offset) = n;
    for (size_t i = 0; i < n; i++) {
        void *slot = array + i * size;
        /* Elements must never be NULL: protobuf-c would crash packing them. */
        if (f->type == PROTOBUF_C_TYPE_STRING)
            *(char **) slot = (char *) protobuf_c_empty_string;
        size_t mark = s_path_push_index (r, i);
        const json_t *item = json_array_get (v, i);
        if (json_is_null (item)) {
            s_report (r, "TYPE", "null is not allowed in a list");
            if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
                *(ProtobufCMessage **) slot = dcp_json_new_message (f->descriptor);
                if (!*(ProtobufCMessage **) slot)
                    r->error = DCP_ENOMEM;
            }
        } else
            s_read_slot (r, f, slot, item);
        if (f->type == PROTOBUF_C_TYPE_STRING && *(char **) slot == protobuf_c_empty_string) {
            /* protobuf-c frees every element of a repeated string */
            *(char **) slot = strdup ("");
            if (!*(char **) slot)
                r->error = DCP_ENOMEM;
        }
        if (f->type == PROTOBUF_C_TYPE_MESSAGE && !*(ProtobufCMessage **) slot) {
            S_MEMBER (size_t, msg, f->quantifier_offset) = i;  /* out of memory */
            s_path_pop (r, mark);
            return;
        }
        s_path_pop (r, mark);
        if (r->error)
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
        s_report (r, "UNKNOWN-KEY", "unknown key \"%s\" (did you mean \"%s\"?); valid keys here: %s",
                  key, closest, list);
    else
        s_report (r, "UNKNOWN-KEY", "unknown key \"%s\"; valid keys here: %s (keys starting "
                  "with \"_\" are comments)", key, list);
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
        return;  /* null means "not given", like leaving the key out */
    if (!s_oneof_free (r, msg->descriptor, msg, f))
        return;
    if (s_read_slot (r, f, (char *) msg + f->offset, v))
        s_mark_present (msg, f);
}

static void
s_read_object (s_reader_t *r, ProtobufCMessage *msg, const json_t *obj)
{
    const ProtobufCMessageDescriptor *desc = msg->descriptor;
    bool status_msg = dcp_json_is_status_message (desc);
    const char *key;
    json_t *v;
    json_object_foreach ((json_t *) obj, key, v) {
        if (r->error)
            return;
        if (key[0] == '_')
            continue;
        size_t mark = s_path_push (r, key);
        const ProtobufCFieldDescriptor *f
            = protobuf_c_message_descriptor_get_field_by_name (desc, key);
        if (status_msg) {
            s_status_fields_t sf;
            s_status_fields (desc, &sf);
            if (!f && strcmp (key, "value") == 0)
                f = sf.value;  /* Money: "value" is accepted for "amount" */
            if (f && f == sf.value && !json_is_null (v)) {
                char text[256];
                if (json_is_number (v)) {
                    if (s_json_number_text (r, v, text, sizeof text))
                        s_set_status_value (r, msg, &sf, text);
                } else if (json_is_string (v)) {
                    if (s_trim (json_string_value (v), text, sizeof text))
                        s_set_status_value (r, msg, &sf, text);
                    else
                        s_report (r, "NUMBER", "number text is too long (%zu characters)",
                                  strlen (json_string_value (v)));
                } else
                    s_report (r, "TYPE", "expected a number, found %s", s_json_type_name (v));
                s_path_pop (r, mark);
                continue;
            }
            if (f && f == sf.status && json_is_string (v)
                && s_is_na_token (json_string_value (v))) {
                s_set_status_named (msg, &sf, "NOT_AVAILABLE");
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
    free (r->path);
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
    root = json_loadb (text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY
                       | JSON_DECODE_INT_AS_REAL, &err);
    if (!root) {
        s_report (r, "SYNTAX", "line %d, column %d: %s", err.line, err.column, err.text);
        goto cleanup;
    }
    if (!json_is_object (root)) {
        s_report (r, "TYPE", "the file must hold one JSON object {...}, found %s",
                  s_json_type_name (root));
        goto cleanup;
    }
    if (s_collect_numbers (r, text, len, root)) {
        r->error = DCP_ENOMEM;
        goto cleanup;
    }
    sub = (Dcp__V1__Submission *) dcp_json_new_message (&dcp__v1__submission__descriptor);
    if (!sub) {
        r->error = DCP_ENOMEM;
        goto cleanup;
    }
    s_read_object (r, &sub->base, root);
    s_infer_questionnaire (sub);
cleanup:
    json_decref (root);
    if (r->error && sub)
        dcp_codec_free (&sub);
    return sub;
}

Dcp__V1__Submission *
dcp_json_read (const char *text, size_t len, dcp_findings_t *findings)
{
    assert (text || len == 0);
    assert (findings);
    s_reader_t r = {.findings = findings, .prefix = "JSON"};
    Dcp__V1__Submission *sub = s_read (&r, text ? text : "", len);
    s_reader_free (&r);
    return sub;
}

/* Reads the whole file at PATH (at most MAX bytes) into a new buffer
 * (caller frees).  Returns 0, DCP_EIO (errno set) or DCP_ETOOBIG. */
static int
s_slurp (const char *path, size_t max, char **text_p, size_t *len_p)
{
    int rc = 0;
    char *buf = NULL;
    size_t len = 0, cap = 0;
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
    for (;;) {
        if (len == cap) {
            if (cap > max) {
                rc = DCP_ETOOBIG;
                goto cleanup;
            }
            cap = cap ? cap * 2 : 65536;
            char *p = realloc (buf, cap + 1);
            if (!p) {
                rc = DCP_ENOMEM;
                goto cleanup;
            }
            buf = p;
        }
        size_t n = fread (buf + len, 1, cap - len, file);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror (file)) {
        rc = DCP_EIO;
        goto cleanup;
    }
    if (len > max) {
        rc = DCP_ETOOBIG;
        goto cleanup;
    }
    buf[len] = '\0';
    *text_p = buf;
    *len_p = len;
    buf = NULL;
cleanup:
    fclose (file);
    free (buf);
    return rc;
}

static void
s_report_file (dcp_findings_t *findings, const char *pointer, const char *path, int rc)
{
    if (rc == DCP_ETOOBIG)
        dcp_findings_add (findings, "JSON-FILE", DCP_SEV_ERROR, pointer,
                          "file \"%s\" is larger than %u MiB", path, DCP_JSON_MAX_FILE >> 20);
    else if (rc == DCP_EIO)
        dcp_findings_add (findings, "JSON-FILE", DCP_SEV_ERROR, pointer,
                          "could not read file \"%s\": %s", path, strerror (errno));
}

Dcp__V1__Submission *
dcp_json_read_file (const char *path, dcp_findings_t *findings)
{
    assert (path && findings);
    s_reader_t r = {.findings = findings, .prefix = "JSON", .allow_csv = true};
    Dcp__V1__Submission *sub = NULL;
    char *text = NULL, *dir = NULL;
    size_t len = 0;
    int rc = s_slurp (path, DCP_JSON_MAX_FILE, &text, &len);
    if (rc) {
        s_report_file (findings, "", path, rc);
        goto cleanup;
    }
    sub = s_read (&r, text, len);
    if (!sub)
        goto cleanup;
    /* CSV files named in the JSON file live beside it. */
    const char *slash = strrchr (path, '/');
    dir = slash ? strndup (path, (size_t) (slash - path + 1)) : strdup ("");
    if (!dir)
        goto oom;
    for (size_t i = 0; i < r.n_csv; i++) {
        const s_deferred_csv_t *d = &r.csv[i];
        char *csv_path = NULL, *csv_text = NULL;
        size_t csv_len = 0;
        if (d->file[0] == '/')
            csv_path = strdup (d->file);
        else if (asprintf (&csv_path, "%s%s", dir, d->file) < 0)
            csv_path = NULL;
        if (!csv_path)
            goto oom;
        rc = s_slurp (csv_path, DCP_JSON_MAX_FILE, &csv_text, &csv_len);
        if (rc == DCP_ENOMEM) {
            free (csv_path);
            goto oom;
        }
        if (rc)
            s_report_file (findings, d->pointer, csv_path, rc);
        else
            rc = dcp_csv_read (csv_text, csv_len, d->file, d->table, sub, findings);
        free (csv_text);
        free (csv_path);
        if (rc == DCP_ENOMEM)
            goto oom;
    }
    goto cleanup;
oom:
    dcp_codec_free (&sub);
cleanup:
    s_reader_free (&r);
    free (text);
    free (dir);
    return sub;
}

/* ------------------------------------------------------------------------ */
/* Cells (shared with dcp_csv). */

/* Splits TEXT into items at any of SEPS, trimmed, skipping empty ones;
 * calls FN for each.  Returns false if FN did. */
static bool
s_each_item (const char *text, const char *seps, bool (*fn) (void *, const char *, size_t),
             void *arg, bool *too_long)
{
    size_t len = strlen (text), start = 0;
    char item[512];
    for (size_t i = 0, n = 0; i <= len; i++) {
        if (i < len && !strchr (seps, text[i]))
            continue;
        char raw[512];
        if (i - start >= sizeof raw)
            *too_long = true;
        size_t k = i - start < sizeof raw - 1 ? i - start : sizeof raw - 1;
        memcpy (raw, text + start, k);
        raw[k] = '\0';
        s_trim (raw, item, sizeof item);
        start = i + 1;
        if (item[0] && !fn (arg, item, n++))
            return false;
    }
    return true;
}

typedef struct {
    s_reader_t *r;
    ProtobufCMessage *msg;
    const ProtobufCFieldDescriptor *f;
    size_t count;  /* items seen so far (first pass) */
    size_t total;
    bool ok;
} s_list_t;

static bool
s_count_item (void *arg, const char *item, size_t i)
{
    (void) item;
    (void) i;
    ((s_list_t *) arg)->count++;
    return true;
}

static bool
s_add_item (void *arg, const char *item, size_t i)
{
    s_list_t *l = arg;
    s_reader_t *r = l->r;
    const ProtobufCFieldDescriptor *f = l->f;
    size_t size = s_type_size (f->type);
    char *array = S_MEMBER (char *, l->msg, f->offset);
    void *slot = array + i * size;
    if (f->type == PROTOBUF_C_TYPE_STRING) {
        *(char **) slot = strdup ("");
        if (!*(char **) slot) {
            r->error = DCP_ENOMEM;
            return false;
        }
    }
    S_MEMBER (size_t, l->msg, f->quantifier_offset) = i + 1;
    if (f->type != PROTOBUF_C_TYPE_MESSAGE) {
        char word[512];
        /* codes in lists are upper case: "irn" is IRN */
        if (f->type == PROTOBUF_C_TYPE_STRING)
            s_normalise_word (item, word, sizeof word);
        else
            snprintf (word, sizeof word, "%s", item);
        if (!s_set_scalar_text (r, f, slot, word))
            l->ok = false;
        return !r->error;
    }
    /* A message item "A:B" fills the first two string fields, e.g. a
     * RouteLeg "AFG:ORIGIN" or a Jurisdiction "ARE:TRANSIT".  In a route,
     * missing roles follow the position: ORIGIN first, DESTINATION last,
     * TRANSIT between. */
    const ProtobufCMessageDescriptor *md = f->descriptor;
    ProtobufCMessage *sub = dcp_json_new_message (md);
    if (!sub) {
        r->error = DCP_ENOMEM;
        return false;
    }
    *(ProtobufCMessage **) slot = sub;
    const ProtobufCFieldDescriptor *parts[2] = {NULL, NULL};
    for (unsigned k = 0, n = 0; k < md->n_fields && n < 2; k++)
        if (md->fields[k].type == PROTOBUF_C_TYPE_STRING
            && md->fields[k].label != PROTOBUF_C_LABEL_REPEATED)
            parts[n++] = &md->fields[k];
    if (!parts[0] || !parts[1]) {
        s_report (r, "TYPE", "\"%s\" cannot be written in one cell", f->name);
        l->ok = false;
        return false;
    }
    char word[512], first[512], second[512] = "";
    s_normalise_word (item, word, sizeof word);
    char *colon = strchr (word, ':');
    if (colon) {
        *colon = '\0';
        s_trim (colon + 1, second, sizeof second);
    }
    s_trim (word, first, sizeof first);
    if (!second[0] && strcmp (f->name, "route") == 0)
        snprintf (second, sizeof second, "%s",
                  i == 0 ? "ORIGIN" : i + 1 == l->total ? "DESTINATION" : "TRANSIT");
    if (!first[0] || !second[0] || strchr (second, ':')) {
        s_report (r, "LIST", "\"%s\" is not of the form CODE:%s", item, parts[1]->name);
        l->ok = false;
        return true;
    }
    if (!s_set_string (r, parts[0], (char *) sub + parts[0]->offset, first, strlen (first))
        || !s_set_string (r, parts[1], (char *) sub + parts[1]->offset, second, strlen (second)))
        return false;
    return true;
}

/* A list in one cell: "IRN;AFG" or, for messages, "AFG:ORIGIN>IRN:TRANSIT". */
static bool
s_list_from_text (s_reader_t *r, ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f,
                  const char *text)
{
    const char *seps = f->type == PROTOBUF_C_TYPE_MESSAGE ? ">;," : ";, \t";
    s_list_t l = {.r = r, .msg = msg, .f = f, .ok = true};
    bool too_long = false;
    s_each_item (text, seps, s_count_item, &l, &too_long);
    if (too_long) {
        s_report (r, "LIST", "a list item is longer than 511 characters");
        return false;
    }
    l.total = l.count;
    if (l.total == 0)
        return true;
    /* replace whatever the list held (a later cell wins) */
    size_t n_old = S_MEMBER (size_t, msg, f->quantifier_offset);
    char *old = S_MEMBER (char *, msg, f->offset);
    for (size_t i = 0; i < n_old; i++)
        s_clear_slot (f, old + i * s_type_size (f->type));
    free (old);
    S_MEMBER (size_t, msg, f->quantifier_offset) = 0;
    char *array = calloc (l.total, s_type_size (f->type));
    S_MEMBER (char *, msg, f->offset) = array;
    if (!array) {
        r->error = DCP_ENOMEM;
        return false;
    }
    s_each_item (text, seps, s_add_item, &l, &too_long);
    return l.ok && !r->error;
}

/* A cell for the value or the status of a Count/Quantity/Money (columns
 * "quantity.value", "quantity_status"): the value must be a plain number
 * and implies REPORTED unless a status is given; the status accepts the
 * not-available tokens.  Returns false if F is neither. */
static bool
s_status_field_special (s_reader_t *r, ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f,
                        const char *text, bool *ok)
{
    s_status_fields_t sf;
    s_status_fields (msg->descriptor, &sf);
    char t[256];
    if ((f == sf.value || f == sf.status) && !s_trim (text, t, sizeof t)) {
        s_report (r, "NUMBER", "answer text is too long (%zu characters)", strlen (text));
        *ok = false;
        return true;
    }
    if (f == sf.value) {
        *ok = s_set_status_value (r, msg, &sf, t);
        if (*ok && S_MEMBER (int32_t, msg, sf.status->offset) == 0)
            s_set_status_named (msg, &sf, "REPORTED");
        return true;
    }
    if (f == sf.status) {
        if (s_is_na_token (t)) {
            s_set_status_named (msg, &sf, "NOT_AVAILABLE");
            *ok = true;
        } else
            *ok = s_set_enum_text (r, f, (char *) msg + f->offset, t);
        return true;
    }
    return false;
}

int
dcp_json_set_cell (ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f, const char *text,
                   const dcp_json_cell_t *cell)
{
    assert (msg && f && text && cell && cell->findings);
    s_reader_t r = {
        .findings = cell->findings,
        .prefix = cell->rule_prefix ? cell->rule_prefix : "CSV",
        .context = cell->context,
        .note = cell->note,
        .path = (char *) cell->path,
        .fixed_path = true,
    };
    bool ok = true;
    char trimmed[64];
    s_trim (text, trimmed, sizeof trimmed);
    bool blank = trimmed[0] == '\0';
    if (f->label == PROTOBUF_C_LABEL_REPEATED)
        ok = s_list_from_text (&r, msg, f, text);
    else if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
        const ProtobufCMessageDescriptor *md = f->descriptor;
        if (!dcp_json_is_status_message (md)) {
            if (!blank) {
                s_report (&r, "TYPE", "\"%s\" has parts: give them in their own columns, "
                          "e.g. \"%s.%s\"", f->name, f->name, md->fields[0].name);
                ok = false;
            }
        } else if (s_oneof_free (&r, msg->descriptor, msg, f)) {
            void *slot = (char *) msg + f->offset;
            ProtobufCMessage *sub = *(ProtobufCMessage **) slot;
            if (!sub) {
                sub = dcp_json_new_message (md);
                if (!sub)
                    return DCP_ENOMEM;
                *(ProtobufCMessage **) slot = sub;
                s_mark_present (msg, f);
            }
            ok = s_status_from_text (&r, sub, text);
        } else
            ok = false;
    } else if (!blank && dcp_json_is_status_message (msg->descriptor)
               && s_status_field_special (&r, msg, f, text, &ok)) {
        /* "quantity.value" or "quantity.status" columns: handled */
    } else if (!blank) {
        if (!s_oneof_free (&r, msg->descriptor, msg, f))
            ok = false;
        else {
            /* Surrounding spaces of a cell are not part of the answer. */
            const char *start = text;
            while (*start == ' ' || *start == '\t')
                start++;
            size_t len = strlen (start);
            while (len && (start[len - 1] == ' ' || start[len - 1] == '\t'))
                len--;
            if (f->type == PROTOBUF_C_TYPE_STRING || f->type == PROTOBUF_C_TYPE_BYTES)
                ok = s_set_string (&r, f, (char *) msg + f->offset, start, len);
            else
                ok = s_set_scalar_text (&r, f, (char *) msg + f->offset, text);
            if (ok)
                s_mark_present (msg, f);
        }
    }
    if (r.error)
        return r.error;
    return ok ? 0 : DCP_EINVAL;
}

/* ------------------------------------------------------------------------ */
/* Writer. */

/* A JSON string of TEXT; bytes that are not UTF-8 (possible only in data
 * that came from the wire) become U+FFFD rather than failing the file. */
static json_t *
s_json_text (const char *text, size_t len)
{
    json_t *s = json_stringn (text, len);
    if (s || memchr (text, '\0', len))
        return s;
    char *clean = malloc (len * 3 + 1);
    if (!clean)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char) text[i];
        size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        bool ok = n > 0 && i + n <= len;
        for (size_t j = 1; ok && j < n; j++)
            ok = ((unsigned char) text[i + j] >> 6) == 2;
        if (ok) {
            json_t *probe = json_stringn (text + i, n);
            ok = probe != NULL;
            json_decref (probe);
        }
        if (ok) {
            memcpy (clean + k, text + i, n);
            k += n;
            i += n;
        } else {
            memcpy (clean + k, "\xef\xbf\xbd", 3);
            k += 3;
            i++;
        }
    }
    s = json_stringn (clean, k);
    free (clean);
    return s;
}

static json_t *s_write_message (const ProtobufCMessage *msg);

/* JSON for one value of F held at SLOT. */
static json_t *
s_write_slot (const ProtobufCFieldDescriptor *f, const void *slot)
{
    char buf[128];
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
        return json_integer (*(const int32_t *) slot);
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        return json_integer (*(const uint32_t *) slot);
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
        return json_integer (*(const int64_t *) slot);
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64: {
        uint64_t u = *(const uint64_t *) slot;
        if (u <= INT64_MAX)
            return json_integer ((json_int_t) u);
        snprintf (buf, sizeof buf, "%" PRIu64, u);  /* read back from the string */
        return json_string (buf);
    }
    case PROTOBUF_C_TYPE_FLOAT:
        return json_real (*(const float *) slot);
    case PROTOBUF_C_TYPE_DOUBLE:
        return json_real (*(const double *) slot);
    case PROTOBUF_C_TYPE_BOOL:
        return json_boolean (*(const protobuf_c_boolean *) slot);
    case PROTOBUF_C_TYPE_ENUM: {
        int32_t v = *(const int32_t *) slot;
        const char *name = s_enum_short_name (f->descriptor, v, buf, sizeof buf);
        return name ? json_string (name) : json_integer (v);
    }
    case PROTOBUF_C_TYPE_STRING: {
        const char *s = *(char *const *) slot;
        return s_json_text (s ? s : "", s ? strlen (s) : 0);
    }
    case PROTOBUF_C_TYPE_BYTES: {
        const ProtobufCBinaryData *b = slot;
        return s_json_text ((const char *) b->data, b->len);
    }
    case PROTOBUF_C_TYPE_MESSAGE: {
        const ProtobufCMessage *m = *(ProtobufCMessage *const *) slot;
        return m ? s_write_message (m) : json_object ();
    }
    }
    return NULL;
}

static json_t *
s_write_message (const ProtobufCMessage *msg)
{
    const ProtobufCMessageDescriptor *desc = msg->descriptor;
    json_t *obj = json_object ();
    if (!obj)
        return NULL;
    for (unsigned i = 0; i < desc->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &desc->fields[i];
        if (!s_is_present (msg, f))
            continue;
        json_t *v;
        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            v = json_array ();
            size_t n = S_MEMBER (size_t, msg, f->quantifier_offset);
            const char *array = S_MEMBER (const char *, msg, f->offset);
            for (size_t k = 0; v && k < n; k++)
                if (json_array_append_new (v, s_write_slot (f, array + k * s_type_size (f->type))))
                    goto fail_value;
        } else
            v = s_write_slot (f, (const char *) msg + f->offset);
        if (json_object_set_new (obj, f->name, v))
            goto fail;
        continue;
fail_value:
        json_decref (v);
        goto fail;
    }
    return obj;
fail:
    json_decref (obj);
    return NULL;
}

char *
dcp_json_write (const Dcp__V1__Submission *sub)
{
    assert (sub);
    json_t *root = s_write_message (&sub->base);
    if (!root)
        return NULL;
    char *text = json_dumps (root, JSON_INDENT (2));
    json_decref (root);
    if (!text)
        return NULL;
    size_t len = strlen (text);
    char *out = realloc (text, len + 2);
    if (!out) {
        free (text);
        return NULL;
    }
    out[len] = '\n';
    out[len + 1] = '\0';
    return out;
}

/* ------------------------------------------------------------------------ */
/* Templates (collector template KIND). */

/* Kept in step with collector/FORMAT.md; test_json checks they parse. */
static const char s_template_financial_flows[] =
    "{\n"
    "  \"_comment\": \"Financial-flows questionnaire (PP_FINFLOW), one response per country and year. Fill in, delete what you do not use, and check with: collector check FILE. Keys starting with _ are comments and are ignored. Full description: collector/FORMAT.md.\",\n"
    "  \"_answers\": \"Every number answer (Count, Money) can be: a number (12, \\\"1500.25\\\"), a number and its currency (\\\"1500.25 USD\\\"), a status word: \\\"not available\\\" (also --, n/a, N/A, .., x, not known), \\\"not applicable\\\", \\\"confidential\\\", \\\"included elsewhere\\\", \\\"unanswered\\\" (or \\\"\\\"), or in full: {\\\"value\\\": 12, \\\"status\\\": \\\"estimated\\\"} (statuses with a value: reported, estimated, provisional). Never write 0 for 'not known'.\",\n"
    "  \"_yes_no\": \"yes / no / unknown\",\n"
    "  \"submission_id\": \"\",\n"
    "  \"_submission_id\": \"a UUID naming this response; keep it when you resend the same response. Left empty, the collector derives one from the content of this file\",\n"
    "  \"schema_version\": 1,\n"
    "  \"questionnaire\": \"financial_flows\",\n"
    "  \"form_version\": \"FF-2010.1\",\n"
    "  \"reporting_country\": \"\",\n"
    "  \"_reporting_country\": \"ISO 3166-1 alpha-3 code, e.g. KAZ (XKX for Kosovo)\",\n"
    "  \"reporting_year\": 2023,\n"
    "  \"completed_on\": \"\",\n"
    "  \"_completed_on\": \"date you signed off the form, YYYY-MM-DD\",\n"
    "  \"geographic_coverage\": \"NATIONAL\",\n"
    "  \"_geographic_coverage\": \"NATIONAL or PARTIAL (then explain in coverage_note)\",\n"
    "  \"coverage_note\": \"\",\n"
    "  \"revision_no\": 0,\n"
    "  \"_revision\": \"0 for the first submission; a correction has revision_no 1, 2, ... plus supersedes_submission_id and revision_reason (CORRECTION, LATE_DATA, DEFINITION_CHANGE, OTHER)\",\n"
    "  \"language\": \"en\",\n"
    "  \"focal_point\": {\"name\": \"\", \"agency\": \"\", \"title\": \"\", \"email\": \"\", \"phone\": \"\"},\n"
    "  \"contributing_agencies\": [\n"
    "    {\"name\": \"\", \"type\": \"FIU\", \"_type\": \"FIU, POLICE, CUSTOMS, PROSECUTION, COURT, DRUG_CONTROL_AGENCY, MINISTRY, OTHER\"}\n"
    "  ],\n"
    "  \"financial_flows\": {\n"
    "    \"legal\": {\n"
    "      \"_comment\": \"B. Legal and institutional framework\",\n"
    "      \"ml_offence_exists\": \"unknown\",\n"
    "      \"drug_trafficking_is_ml_predicate\": \"unknown\",\n"
    "      \"fiu_exists\": \"unknown\",\n"
    "      \"fiu_model\": \"\",\n"
    "      \"_fiu_model\": \"ADMINISTRATIVE, LAW_ENFORCEMENT, JUDICIAL_PROSECUTORIAL, HYBRID\",\n"
    "      \"fiu_established_year\": 0,\n"
    "      \"fiu_egmont_member\": \"unknown\",\n"
    "      \"egmont_joined_year\": 0,\n"
    "      \"fsrb_memberships\": [],\n"
    "      \"_fsrb_memberships\": \"FATF, EAG, MONEYVAL, APG, MENAFATF, OTHER\",\n"
    "      \"cash_declaration_system\": \"UNKNOWN\",\n"
    "      \"_cash_declaration_system\": \"DECLARATION, DISCLOSURE, NONE, UNKNOWN\",\n"
    "      \"cash_declaration_threshold\": \"unanswered\",\n"
    "      \"mvts_hawala_regime\": \"UNKNOWN\",\n"
    "      \"_mvts_hawala_regime\": \"LICENSING, REGISTRATION, PROHIBITED, UNREGULATED, UNKNOWN\",\n"
    "      \"non_conviction_based_confiscation\": \"unknown\",\n"
    "      \"asset_recovery_office_exists\": \"unknown\",\n"
    "      \"virtual_assets_regulated\": \"unknown\"\n"
    "    },\n"
    "    \"str\": {\n"
    "      \"_comment\": \"C. Suspicious transaction reports received and disseminated by the FIU in the year\",\n"
    "      \"received_total\": \"unanswered\",\n"
    "      \"received_by_sector\": [\n"
    "        {\"sector\": \"BANK\", \"reports\": \"unanswered\", \"_sector\": \"BANK, MVTS, CURRENCY_EXCHANGE, SECURITIES, INSURANCE, DNFBP, VASP, OTHER\"}\n"
    "      ],\n"
    "      \"received_drug_related\": \"unanswered\",\n"
    "      \"received_afghan_opiates\": \"unanswered\",\n"
    "      \"disseminated_total\": \"unanswered\",\n"
    "      \"disseminated_drug_related\": \"unanswered\",\n"
    "      \"median_days_to_dissemination\": \"unanswered\",\n"
    "      \"fiu_requests_sent\": \"unanswered\",\n"
    "      \"fiu_requests_received\": \"unanswered\",\n"
    "      \"cash_declarations_filed\": \"unanswered\",\n"
    "      \"cash_declarations_value\": \"unanswered\",\n"
    "      \"cash_seized_at_border\": \"unanswered\",\n"
    "      \"cash_seized_at_border_cases\": \"unanswered\"\n"
    "    },\n"
    "    \"enforcement\": [\n"
    "      {\n"
    "        \"_comment\": \"D. One row per stage x scope x count_unit x counting_rule. stage: INVESTIGATION, PROSECUTION, CONVICTION, ACQUITTAL; scope: ML_ALL, ML_DRUG_PREDICATE, ML_AFGHAN_OPIATES, DRUG_TRAFFICKING_WITH_PARALLEL_FIN_INVESTIGATION; count_unit: CASES, PERSONS_NATURAL, PERSONS_LEGAL, PROCEEDINGS; counting_rule: STARTED_IN_YEAR, CONCLUDED_IN_YEAR, OPEN_AT_YEAR_END\",\n"
    "        \"stage\": \"INVESTIGATION\", \"scope\": \"ML_ALL\", \"count_unit\": \"CASES\", \"counting_rule\": \"STARTED_IN_YEAR\",\n"
    "        \"value\": \"unanswered\", \"sanctions_summary\": \"\"\n"
    "      }\n"
    "    ],\n"
    "    \"assets\": [\n"
    "      {\n"
    "        \"_comment\": \"E. measure: FROZEN, SEIZED, CONFISCATED, RECOVERED_REPATRIATED, SHARED; asset_category: CASH, BANK_ACCOUNT, REAL_ESTATE, VEHICLE, PRECIOUS_METAL_STONE, SECURITIES, BUSINESS, VIRTUAL_ASSET, OTHER; amount in the original ISO 4217 currency, e.g. \\\"1500000 KZT\\\"; valuation_basis: NOMINAL, ESTIMATED_MARKET, REALISED_ON_SALE, UNKNOWN; origin_of_request: DOMESTIC, FOREIGN_REQUEST, JOINT\",\n"
    "        \"measure\": \"FROZEN\", \"asset_category\": \"BANK_ACCOUNT\", \"predicate_scope\": \"ML_ALL\",\n"
    "        \"amount\": \"unanswered\", \"valuation_basis\": \"UNKNOWN\", \"cases\": \"unanswered\",\n"
    "        \"origin_of_request\": \"DOMESTIC\", \"counterpart_country\": \"\"\n"
    "      }\n"
    "    ],\n"
    "    \"methods\": [\n"
    "      {\n"
    "        \"_comment\": \"F. method: HAWALA_INFORMAL_MVTS, MVTS_LICENSED, CASH_COURIER, BANK_TRANSFER, CURRENCY_EXCHANGE, TRADE_BASED_ML, HIGH_VALUE_COMMODITY, REAL_ESTATE, FRONT_SHELL_COMPANY, FINANCIAL_CENTRE_STORAGE, PROFESSIONAL_ML_NETWORK, VIRTUAL_ASSET, BARTER_DRUGS_FOR_GOODS, OTHER; rank 1..n unique (0 = not ranked; none if observed is no); trend: INCREASING, STABLE, DECREASING, UNKNOWN; direction: INTO_AFGHANISTAN, OUT_OF_AFGHANISTAN, WITHIN_COUNTRY, TRANSIT, UNKNOWN; jurisdiction role: SOURCE_OF_FUNDS, TRANSIT, FINANCIAL_CENTRE_STORAGE, DESTINATION\",\n"
    "        \"method\": \"CASH_COURIER\", \"observed\": \"unknown\", \"rank\": 0, \"trend\": \"UNKNOWN\", \"direction\": \"UNKNOWN\",\n"
    "        \"jurisdictions\": [{\"country\": \"\", \"role\": \"SOURCE_OF_FUNDS\"}],\n"
    "        \"currencies_observed\": [], \"case_examples\": \"\"\n"
    "      }\n"
    "    ],\n"
    "    \"cooperation\": [\n"
    "      {\n"
    "        \"_comment\": \"G. instrument: MLA, EXTRADITION, FIU_EXCHANGE, POLICE_COOPERATION, CUSTOMS_COOPERATION, ASSET_SHARING; direction: SENT, RECEIVED; counterpart_country: ISO3, MULTIPLE or UNKNOWN\",\n"
    "        \"instrument\": \"MLA\", \"direction\": \"SENT\", \"counterpart_country\": \"MULTIPLE\", \"drug_related\": \"unknown\",\n"
    "        \"requests\": \"unanswered\", \"executed\": \"unanswered\", \"refused\": \"unanswered\",\n"
    "        \"pending_at_year_end\": \"unanswered\", \"mean_response_days\": \"unanswered\",\n"
    "        \"pending_from_previous_year\": \"unanswered\"\n"
    "      }\n"
    "    ],\n"
    "    \"challenges\": {\n"
    "      \"_comment\": \"H. categories: LEGAL_FRAMEWORK, INSTITUTIONAL_CAPACITY, DATA_AVAILABILITY, INTERAGENCY_COORDINATION, INTERNATIONAL_COOPERATION, INFORMAL_VALUE_TRANSFER, CASH_ECONOMY, CORRUPTION, VIRTUAL_ASSETS, OTHER; assistance_needs: TRAINING, LEGISLATIVE_DRAFTING, IT_SYSTEMS, ANALYTICAL_TOOLS, OTHER. No personal data in free text.\",\n"
    "      \"categories\": [],\n"
    "      \"challenge_text\": \"\",\n"
    "      \"lesson_learned_text\": \"\",\n"
    "      \"good_practice_text\": \"\",\n"
    "      \"assistance_needs\": [],\n"
    "      \"assistance_text\": \"\"\n"
    "    }\n"
    "  }\n"
    "}\n";

static const char s_template_precursors[] =
    "{\n"
    "  \"_comment\": \"Precursor questionnaire (PP_PRECURSOR), one response per country and year. Fill in, delete what you do not use, and check with: collector check FILE. Keys starting with _ are comments and are ignored. Full description: collector/FORMAT.md.\",\n"
    "  \"_answers\": \"Every number answer (Count, Quantity, Money) can be: a number (12, \\\"1500.25\\\"), a number and its unit (\\\"1500.25 L\\\", \\\"820 KG\\\"), a status word: \\\"not available\\\" (also --, n/a, N/A, .., x, not known), \\\"not applicable\\\", \\\"confidential\\\", \\\"included elsewhere\\\", \\\"unanswered\\\" (or \\\"\\\"), or in full: {\\\"value\\\": \\\"1500.25\\\", \\\"unit\\\": \\\"L\\\", \\\"status\\\": \\\"estimated\\\"} (statuses with a value: reported, estimated, provisional). Units: KG, G, MG, T, L, ML, M3 - never drums or cans (use package_count). Never write 0 for 'not known'.\",\n"
    "  \"_yes_no\": \"yes / no / unknown\",\n"
    "  \"_long_tables\": \"seizures and incidents (and any other list below) may instead name a CSV file beside this one, e.g. \\\"incidents\\\": \\\"incidents.csv\\\"; see FORMAT.md for the columns.\",\n"
    "  \"submission_id\": \"\",\n"
    "  \"_submission_id\": \"a UUID naming this response; keep it when you resend the same response. Left empty, the collector derives one from the content of this file\",\n"
    "  \"schema_version\": 1,\n"
    "  \"questionnaire\": \"precursors\",\n"
    "  \"form_version\": \"PR-2023.1\",\n"
    "  \"reporting_country\": \"\",\n"
    "  \"_reporting_country\": \"ISO 3166-1 alpha-3 code, e.g. AFG\",\n"
    "  \"reporting_year\": 2023,\n"
    "  \"completed_on\": \"\",\n"
    "  \"geographic_coverage\": \"NATIONAL\",\n"
    "  \"revision_no\": 0,\n"
    "  \"language\": \"en\",\n"
    "  \"focal_point\": {\"name\": \"\", \"agency\": \"\", \"title\": \"\", \"email\": \"\", \"phone\": \"\"},\n"
    "  \"contributing_agencies\": [\n"
    "    {\"name\": \"\", \"type\": \"CUSTOMS\", \"_type\": \"FIU, POLICE, CUSTOMS, PROSECUTION, COURT, DRUG_CONTROL_AGENCY, MINISTRY, OTHER\"}\n"
    "  ],\n"
    "  \"precursors\": {\n"
    "    \"seizures\": [\n"
    "      {\n"
    "        \"_comment\": \"P1. Annual seizures of Table I/II substances, one row per substance. substance_code: AA, ACET, ETHER, HCL, H2SO4, KMNO4, MEK, TOL, PIPD, ANTH, EPH, PSE, NOREPH, P2P, PMK, SAF, ISOSAF, PIP, PAA, APAAN, APAA, MAPA, NPP, ANPP, 4AP, ... (FORMAT.md); physical_form: BULK_LIQUID, BULK_SOLID, SOLUTION, PREPARATION, MIXTURE, UNKNOWN; origin_basis: LABEL, DOCUMENTS, INVESTIGATION, FORENSIC, ASSUMED; no_seizures: true confirms zero seizures\",\n"
    "        \"substance_code\": \"AA\", \"physical_form\": \"BULK_LIQUID\",\n"
    "        \"quantity\": \"unanswered\", \"concentration_pct\": \"\",\n"
    "        \"number_of_seizures\": \"unanswered\", \"origin_countries\": [], \"origin_basis\": \"\", \"no_seizures\": false\n"
    "      }\n"
    "    ],\n"
    "    \"non_scheduled\": [\n"
    "      {\n"
    "        \"_comment\": \"P2. Non-scheduled substances. cas_number NNNNNNN-NN-N; hs_code 6 digits; suspected_use: HEROIN, COCAINE, METHAMPHETAMINE, AMPHETAMINE, MDMA, FENTANYLS, OTHER, UNKNOWN\",\n"
    "        \"substance_name\": \"\", \"cas_number\": \"\", \"hs_code\": \"\", \"on_special_surveillance_list\": \"unknown\",\n"
    "        \"quantity\": \"unanswered\", \"suspected_use\": \"UNKNOWN\"\n"
    "      }\n"
    "    ],\n"
    "    \"diversion_methods\": [\n"
    "      {\n"
    "        \"_comment\": \"P3. method: DIV_INTL_TRADE_FRAUDULENT_DOCS, DIV_DOMESTIC_DISTRIBUTION, MISDECLARATION, MISLABELLING_REPACKAGING, FRONT_COMPANY_CONSIGNEE, TRANSIT_PILFERAGE, TRANSSHIPMENT_ROUTING, SMUGGLING_CONCEALED, AIR_PASSENGER_OR_CARGO, THEFT, PREPARATION_MIXTURE_EXTRACTION, NON_SCHEDULED_SUBSTITUTE, ILLICIT_MANUFACTURE_OF_PRECURSOR, OTHER; rank 1..n unique, 0 = not ranked\",\n"
    "        \"method\": \"MISDECLARATION\", \"substance_code\": \"\", \"observed\": \"unknown\", \"rank\": 0, \"trend\": \"UNKNOWN\", \"description\": \"\"\n"
    "      }\n"
    "    ],\n"
    "    \"stopped_shipments\": [\n"
    "      {\n"
    "        \"_comment\": \"P4. event_type: STOPPED_SHIPMENT, SUSPENDED_SHIPMENT, SUSPICIOUS_ORDER, SUSPICIOUS_ENQUIRY, THEFT, ATTEMPTED_DIVERSION; reason: NO_IMPORT_AUTH, CONSIGNEE_UNVERIFIED, QUANTITY_EXCESSIVE, ROUTING_SUSPICIOUS, OTHER\",\n"
    "        \"event_type\": \"STOPPED_SHIPMENT\", \"substance_code\": \"\", \"quantity\": \"unanswered\",\n"
    "        \"exporting_country\": \"\", \"importing_country\": \"\", \"pen_reference\": \"\", \"reason\": \"OTHER\"\n"
    "      }\n"
    "    ],\n"
    "    \"labs\": [\n"
    "      {\n"
    "        \"_comment\": \"P5. lab_type: MORPHINE, HEROIN, MORPHINE_HEROIN, METHAMPHETAMINE, ACETIC_ANHYDRIDE_MANUFACTURE, OTHER\",\n"
    "        \"lab_type\": \"HEROIN\", \"count\": \"unanswered\", \"admin_area\": \"\",\n"
    "        \"chemicals_found\": [{\"substance_code\": \"\", \"quantity\": \"unanswered\"}]\n"
    "      }\n"
    "    ],\n"
    "    \"incidents\": [\n"
    "      {\n"
    "        \"_comment\": \"P6. One entry per incident. incident_type: SEIZURE, STOPPED_IN_TRANSIT, SUSPENDED, ILLICIT_LAB, DIVERSION, ATTEMPTED_DIVERSION, THEFT; package_type: DRUM, CAN, JERRYCAN, IBC, CONTAINER_20FT, CONTAINER_40FT, BOTTLE, BAG; concealment: MISDECLARED, MIXED_WITH_LEGAL_CARGO, HIDDEN_COMPARTMENT, RELABELLED, NONE, UNKNOWN; identification_basis: LABEL_OR_DOCUMENTS, FIELD_TEST, LAB_ANALYSIS, UNKNOWN; transport_mode: SEA, RAIL, ROAD, AIR, POST, FIXED, INLAND_WATER, UNKNOWN; route role: ORIGIN (first), DEPARTURE, TRANSIT, DESTINATION (last), INTENDED_DESTINATION; seizing_agency: CUSTOMS, POLICE, BORDER_POLICE, DRUG_CONTROL_AGENCY, OTHER; follow_up: BACKTRACKING_INITIATED, CONTROLLED_DELIVERY, JOINT_INVESTIGATION, NONE\",\n"
    "        \"incident_id\": \"\", \"incident_type\": \"SEIZURE\", \"incident_date\": \"\",\n"
    "        \"location\": {\"admin_area\": \"\", \"place\": \"\", \"border_crossing\": \"\", \"port\": \"\", \"latitude\": \"\", \"longitude\": \"\"},\n"
    "        \"substances\": [\n"
    "          {\"substance_code\": \"\", \"substance_name\": \"\", \"quantity\": \"unanswered\", \"concentration_pct\": \"\",\n"
    "           \"package_type\": \"\", \"package_count\": \"unanswered\", \"mixed_substances\": false}\n"
    "        ],\n"
    "        \"declared_description\": \"\", \"concealment\": \"UNKNOWN\", \"identification_basis\": \"UNKNOWN\",\n"
    "        \"transport_mode\": \"UNKNOWN\",\n"
    "        \"route\": [{\"country\": \"\", \"role\": \"ORIGIN\"}, {\"country\": \"\", \"role\": \"DESTINATION\"}],\n"
    "        \"persons_nationalities\": [], \"seizing_agency\": \"\", \"linked_money\": \"unanswered\",\n"
    "        \"linked_transfer_channel\": \"\", \"communicated_via_pics\": false, \"pics_date\": \"\", \"follow_up\": \"NONE\"\n"
    "      }\n"
    "    ],\n"
    "    \"licit_trade\": [\n"
    "      {\n"
    "        \"_comment\": \"P7 (voluntary). flow: IMPORT, EXPORT\",\n"
    "        \"flow\": \"IMPORT\", \"substance_code\": \"\", \"partner_country\": \"\", \"quantity\": \"unanswered\",\n"
    "        \"licit_requirement_estimate\": \"unanswered\"\n"
    "      }\n"
    "    ],\n"
    "    \"routes\": [\n"
    "      {\n"
    "        \"_comment\": \"P8. role: ORIGIN, DEPARTURE, TRANSIT, DESTINATION; share_pct 0-100; route_code: NORTHERN, BALKAN, SOUTHERN, OTHER\",\n"
    "        \"substance_code\": \"\", \"role\": \"ORIGIN\", \"country\": \"\", \"rank\": 0, \"share_pct\": \"\", \"route_code\": \"\"\n"
    "      }\n"
    "    ]\n"
    "  }\n"
    "}\n";

const char *
dcp_json_template (const char *kind)
{
    if (!kind)
        return NULL;
    if (strcmp (kind, "financial_flows") == 0)
        return s_template_financial_flows;
    if (strcmp (kind, "precursors") == 0)
        return s_template_precursors;
    return NULL;
}
