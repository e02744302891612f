/* field.c: answer text into protobuf fields (see field.h).
 *
 * Split out of the former libdcp/dcp_json.c so that the JSON reader and the
 * CSV reader both sit on top of it instead of calling each other.  The
 * words an answer may be written in (enum names, not-available tokens,
 * their Russian forms) are looked up in fieldword.h. */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dcp_err.h"
#include "dcp_i18n.h"
#include "field.h"
#include "fieldword.h"

void
field_report (field_report_t *r, const char *id, const char *fmt, ...)
{
    char rule[64], body[3072];
    snprintf (rule, sizeof rule, "%s-%s", r->prefix, id);
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (body, sizeof body, dcp_i18n_text (fmt), ap);
    va_end (ap);
    /* The CSV reader's note "row becomes /POINTER" is also a key of its
     * source map: only its words are translated, here. */
    const char *note_words = "", *note = r->note;
    static const char row_becomes[] = N_ ("row becomes ");
    if (note && strncmp (note, row_becomes, sizeof row_becomes - 1) == 0) {
        note_words = _ (row_becomes);
        note += sizeof row_becomes - 1;
    }
    int rc =
        dcp_findings_add (r->findings, rule, DCP_SEV_ERROR, r->path ? r->path : "",
                          "%s%s%s%s%s%s%s", r->context ? r->context : "", r->context ? ": " : "",
                          body, note ? " (" : "", note_words, note ? note : "", note ? ")" : "");
    if (rc && !r->error)
        r->error = rc;
}

/* ------------------------------------------------------------------------ */
/* Storage of field values in a message. */

ProtobufCMessage *
field_new_message (const ProtobufCMessageDescriptor *desc)
{
    ProtobufCMessage *msg = calloc (1, desc->sizeof_message);
    if (msg)
        desc->message_init (msg);
    return msg;
}

bool
field_is_status_message (const ProtobufCMessageDescriptor *desc)
{
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field_by_name (desc, "status");
    return f && f->type == PROTOBUF_C_TYPE_ENUM && f->label != PROTOBUF_C_LABEL_REPEATED;
}

size_t
field_type_size (ProtobufCType type)
{
    switch (type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
    case PROTOBUF_C_TYPE_ENUM: return 4;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64: return 8;
    case PROTOBUF_C_TYPE_FLOAT: return sizeof (float);
    case PROTOBUF_C_TYPE_DOUBLE: return sizeof (double);
    case PROTOBUF_C_TYPE_BOOL: return sizeof (protobuf_c_boolean);
    case PROTOBUF_C_TYPE_STRING: return sizeof (char *);
    case PROTOBUF_C_TYPE_BYTES: return sizeof (ProtobufCBinaryData);
    case PROTOBUF_C_TYPE_MESSAGE: return sizeof (ProtobufCMessage *);
    }
    return 0;
}

bool
field_is_oneof (const ProtobufCFieldDescriptor *f)
{
    return (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) != 0;
}

/* Records that F of MSG is present: the has_ flag of a proto2/proto3
 * `optional` field, or the case of a oneof. */
void
field_mark_present (ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f)
{
    if (field_is_oneof (f))
        FIELD_MEMBER (uint32_t, msg, f->quantifier_offset) = f->id;
    else if (f->label == PROTOBUF_C_LABEL_OPTIONAL && f->quantifier_offset)
        FIELD_MEMBER (protobuf_c_boolean, msg, f->quantifier_offset) = 1;
}

/* True if F of MSG holds a value (for the writer and for oneof checks). */
bool
field_is_present (const ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f)
{
    if (field_is_oneof (f))
        return FIELD_MEMBER (uint32_t, msg, f->quantifier_offset) == f->id;
    if (f->label == PROTOBUF_C_LABEL_OPTIONAL && f->quantifier_offset
        && f->type != PROTOBUF_C_TYPE_MESSAGE && f->type != PROTOBUF_C_TYPE_STRING)
        return FIELD_MEMBER (protobuf_c_boolean, msg, f->quantifier_offset) != 0;
    if (f->label == PROTOBUF_C_LABEL_REPEATED)
        return FIELD_MEMBER (size_t, msg, f->quantifier_offset) > 0;
    const void *p = (const char *) msg + f->offset;
    switch (f->type) {
    case PROTOBUF_C_TYPE_STRING: {
        const char *s = *(char *const *) p;
        return s && s[0];
    }
    case PROTOBUF_C_TYPE_BYTES: return ((const ProtobufCBinaryData *) p)->len > 0;
    case PROTOBUF_C_TYPE_MESSAGE: return *(ProtobufCMessage *const *) p != NULL;
    case PROTOBUF_C_TYPE_BOOL: return *(const protobuf_c_boolean *) p != 0;
    case PROTOBUF_C_TYPE_FLOAT: return *(const float *) p != 0;
    case PROTOBUF_C_TYPE_DOUBLE: return *(const double *) p != 0;
    default: {
        size_t size = field_type_size (f->type);
        static const char zeros[8];
        return memcmp (p, zeros, size) != 0;
    }
    }
}

/* Frees what SLOT (of type F->type) holds, leaving it zero / default. */
void
field_clear_slot (const ProtobufCFieldDescriptor *f, void *slot)
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
bool
field_oneof_free (field_report_t *r, const ProtobufCMessageDescriptor *desc, ProtobufCMessage *msg,
                  const ProtobufCFieldDescriptor *f)
{
    if (!field_is_oneof (f))
        return true;
    uint32_t set = FIELD_MEMBER (uint32_t, msg, f->quantifier_offset);
    if (set == 0 || set == f->id)
        return true;
    const char *other = "?";
    for (unsigned i = 0; i < desc->n_fields; i++)
        if (desc->fields[i].id == set)
            other = desc->fields[i].name;
    field_report (r, "ONEOF",
                  "\"%s\" cannot be given together with \"%s\": only one of them is allowed",
                  f->name, other);
    return false;
}

/* ------------------------------------------------------------------------ */
/* Scalars from text (shared by JSON numbers, JSON strings and CSV cells). */

/* Parses an integer TEXT (optional '-', digits, optionally ".000") into
 * *OUT for field type TYPE, with range checks.  Reports and returns false
 * on failure. */
bool
field_integer_from_text (field_report_t *r, const char *text, ProtobufCType type, int64_t *out_s,
                         uint64_t *out_u)
{
    const char *p = text;
    bool negative = false;
    if (*p == '-') {
        negative = true;
        p++;
    }
    if (!isdigit ((unsigned char) *p)) {
        field_report (r, "NUMBER", "\"%s\" is not a whole number", text);
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
            field_report (r, "NUMBER",
                          "%s is not a whole number: this answer is counted in whole units", text);
            return false;
        }
    }
    if (*p == 'e' || *p == 'E') {
        field_report (r, "NUMBER", "%s: write the number in plain digits, without an exponent",
                      text);
        return false;
    }
    if (*p) {
        field_report (r, "NUMBER", "\"%s\" is not a whole number", text);
        return false;
    }
    const char *range = NULL;
    switch (type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
        if (too_big || (negative ? mag > (unsigned __int128) INT32_MAX + 1 : mag > INT32_MAX))
            range = N_ ("-2147483648 to 2147483647");
        break;
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        if (too_big || (negative && mag) || mag > UINT32_MAX)
            range = N_ ("0 to 4294967295");
        break;
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        if (too_big || (negative && mag))
            range = N_ ("0 to 18446744073709551615");
        break;
    default:
        if (too_big || (negative ? mag > (unsigned __int128) INT64_MAX + 1 : mag > INT64_MAX))
            range = N_ ("-9223372036854775808 to 9223372036854775807");
        break;
    }
    if (range) {
        field_report (r, "NUMBER", "%s is out of range: this field holds %s", text, _ (range));
        return false;
    }
    *out_u = (uint64_t) mag;
    *out_s = negative ? (int64_t) (0 - (uint64_t) mag) : (int64_t) mag;
    return true;
}

/* Stores an integer TEXT into SLOT of type F->type. */
static bool
s_set_integer (field_report_t *r, const ProtobufCFieldDescriptor *f, void *slot, const char *text)
{
    int64_t s;
    uint64_t u;
    if (!field_integer_from_text (r, text, f->type, &s, &u))
        return false;
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32: *(int32_t *) slot = (int32_t) s; break;
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32: *(uint32_t *) slot = (uint32_t) u; break;
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64: *(uint64_t *) slot = u; break;
    default: *(int64_t *) slot = s; break;
    }
    return true;
}

bool
field_set_string (field_report_t *r, const ProtobufCFieldDescriptor *f, void *slot,
                  const char *text, size_t len)
{
    if (memchr (text, '\0', len)) {
        field_report (r, "STRING", "text contains a NUL character");
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
        field_clear_slot (f, slot);
        b->data = copy;
        b->len = len;
        return true;
    }
    char *copy = strndup (text, len);
    if (!copy) {
        r->error = DCP_ENOMEM;
        return false;
    }
    field_clear_slot (f, slot);
    *(char **) slot = copy;
    return true;
}

static bool
s_set_enum_text (field_report_t *r, const ProtobufCFieldDescriptor *f, void *slot, const char *text)
{
    const ProtobufCEnumDescriptor *ed = f->descriptor;
    int value;
    char trimmed[256];
    if (fieldword_trim (text, trimmed, sizeof trimmed)
        && fieldword_enum_lookup (ed, trimmed, &value)) {
        *(int32_t *) slot = value;
        return true;
    }
    char list[1024];
    fieldword_enum_list (ed, list, sizeof list);
    field_report (r, "ENUM", "unknown value \"%s\" for \"%s\"; allowed: %s", text, f->name, list);
    return false;
}

static bool
s_set_bool_text (field_report_t *r, const ProtobufCFieldDescriptor *f, void *slot, const char *text)
{
    static const char *const yes[] = {"true", "yes", "y", "1", NULL};
    static const char *const no[] = {"false", "no", "n", "0", NULL};
    char t[32];
    if (!fieldword_trim (text, t, sizeof t))
        t[0] = '\0'; /* too long to be a yes or no */
    const char *alias = fieldword_alias ("Bool", t);
    if (alias)
        snprintf (t, sizeof t, "%s", alias);
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
    field_report (r, "TYPE", "\"%s\" is not true or false", text);
    return false;
}

/* Sets a scalar SLOT of type F->type from TEXT, as a CSV cell or a JSON
 * string would give it. */
bool
field_set_scalar_text (field_report_t *r, const ProtobufCFieldDescriptor *f, void *slot,
                       const char *text)
{
    char t[128];
    if (f->type != PROTOBUF_C_TYPE_STRING && f->type != PROTOBUF_C_TYPE_BYTES
        && f->type != PROTOBUF_C_TYPE_ENUM && f->type != PROTOBUF_C_TYPE_BOOL
        && !fieldword_trim (text, t, sizeof t)) {
        field_report (r, "NUMBER", "number text is too long (%zu characters)", strlen (text));
        return false;
    }
    switch (f->type) {
    case PROTOBUF_C_TYPE_STRING:
    case PROTOBUF_C_TYPE_BYTES: return field_set_string (r, f, slot, text, strlen (text));
    case PROTOBUF_C_TYPE_ENUM: return s_set_enum_text (r, f, slot, text);
    case PROTOBUF_C_TYPE_BOOL: return s_set_bool_text (r, f, slot, text);
    case PROTOBUF_C_TYPE_FLOAT:
    case PROTOBUF_C_TYPE_DOUBLE: {
        char *end;
        errno = 0;
        double d = strtod (t, &end);
        if (!t[0] || *end || errno) {
            field_report (r, "NUMBER", "\"%s\" is not a number", text);
            return false;
        }
        if (f->type == PROTOBUF_C_TYPE_FLOAT)
            *(float *) slot = (float) d;
        else
            *(double *) slot = d;
        return true;
    }
    case PROTOBUF_C_TYPE_MESSAGE: assert (!"messages are not scalars"); return false;
    default: return s_set_integer (r, f, slot, t);
    }
}

/* ------------------------------------------------------------------------ */
/* Count / Quantity / Money. */


void
field_status_fields (const ProtobufCMessageDescriptor *desc, field_status_t *sf)
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
 * PROVISIONAL (proto/QUESTIONNAIRE.md V-GEN-02). */
static bool
s_status_needs_value (const ProtobufCEnumDescriptor *ed, int value)
{
    char name[64];
    if (!fieldword_enum_short_name (ed, value, name, sizeof name))
        return false;
    return strcmp (name, "reported") == 0 || strcmp (name, "estimated") == 0
           || strcmp (name, "provisional") == 0;
}

void
field_set_status_named (ProtobufCMessage *msg, const field_status_t *sf, const char *name)
{
    int value = 0;
    if (fieldword_enum_lookup (sf->status->descriptor, name, &value))
        FIELD_MEMBER (int32_t, msg, sf->status->offset) = value;
}

/* Stores the number TEXT as the value of status message MSG; decimals must
 * be plain (fieldword_is_decimal), counts whole. */
bool
field_set_status_value (field_report_t *r, ProtobufCMessage *msg, const field_status_t *sf,
                        const char *text)
{
    const ProtobufCFieldDescriptor *f = sf->value;
    if (!f) {
        field_report (r, "TYPE", "this answer has no value field");
        return false;
    }
    void *slot = (char *) msg + f->offset;
    if (f->type == PROTOBUF_C_TYPE_STRING) {
        if (!fieldword_is_decimal (text)) {
            field_report (r, "NUMBER",
                          "\"%s\" is not a plain decimal number: write digits with an optional "
                          "'-' and '.', without exponent, '+', spaces or thousands separators",
                          text);
            return false;
        }
        if (!field_set_string (r, f, slot, text, strlen (text)))
            return false;
    } else if (!field_set_scalar_text (r, f, slot, text))
        return false;
    field_mark_present (msg, f);
    return true;
}

static const char s_status_words[] =
    N_ ("a number, or one of: not available (also --, –, n/a, .., x, not known), "
        "not applicable, confidential, included elsewhere, unanswered (or blank); "
        "estimated and provisional need a value: {\"value\": ..., \"status\": \"estimated\"}");

/* Sets status message MSG from a shortcut TEXT: a decimal (optionally
 * followed by a unit or currency code, "21700 KG"), a status word or a
 * not-available token; blank is UNANSWERED. */
bool
field_status_from_text (field_report_t *r, ProtobufCMessage *msg, const char *text)
{
    field_status_t sf;
    field_status_fields (msg->descriptor, &sf);
    const ProtobufCEnumDescriptor *ed = sf.status->descriptor;
    char t[256];
    if (!fieldword_trim (text, t, sizeof t)) {
        field_report (r, "STATUS-TOKEN", "answer text is too long to be a number or status word");
        return false;
    }
    if (!t[0]) {
        field_set_status_named (msg, &sf, "UNANSWERED");
        return true;
    }
    if (fieldword_is_na_token (t)) {
        field_set_status_named (msg, &sf, "NOT_AVAILABLE");
        return true;
    }
    int value;
    if (fieldword_enum_lookup (ed, t, &value)) {
        if (s_status_needs_value (ed, value)) {
            field_report (r, "STATUS-TOKEN",
                          "status \"%s\" needs a value: write {\"value\": ..., "
                          "\"status\": \"%s\"}",
                          t, t);
            return false;
        }
        FIELD_MEMBER (int32_t, msg, sf.status->offset) = value;
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
    bool numeric = fieldword_is_decimal (t)
                   || (t[0] && strspn (t, "-0123456789.eE+") == strlen (t)
                       && isdigit ((unsigned char) t[strlen (t) - 1]));
    if (!numeric) {
        if (space)
            *space = ' ';
        if (strpbrk (t, "0123456789") && strspn (t, "0123456789.,-' ") == strlen (t)) {
            field_report (r, "NUMBER",
                          "\"%s\" is not a plain decimal number: write it without "
                          "thousands separators and with '.' as the decimal point, e.g. 1200.5",
                          t);
            return false;
        }
        field_report (r, "STATUS-TOKEN", "\"%s\" is not an answer: use %s", t, _ (s_status_words));
        return false;
    }
    if (unit) {
        bool word = unit[0] != '\0';
        for (const char *p = unit; *p; p++)
            word = word && isalnum ((unsigned char) *p);
        if (!word || !sf.unit) {
            field_report (r, "STATUS-TOKEN", "\"%s %s\" is not an answer: use a number%s", t, unit,
                          sf.unit ? " followed by one unit or currency code, e.g. \"1500 KG\""
                                  : "");
            return false;
        }
    }
    if (!field_set_status_value (r, msg, &sf, t))
        return false;
    field_set_status_named (msg, &sf, "REPORTED");
    if (unit) {
        char code[64];
        fieldword_normalise (unit, code, sizeof code);
        return field_set_string (r, sf.unit, (char *) msg + sf.unit->offset, code, strlen (code));
    }
    return true;
}

/* ------------------------------------------------------------------------ */
/* ------------------------------------------------------------------------ */
/* Cells (for the CSV reader). */

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
        fieldword_trim (raw, item, sizeof item);
        start = i + 1;
        if (item[0] && !fn (arg, item, n++))
            return false;
    }
    return true;
}

typedef struct {
    field_report_t *r;
    ProtobufCMessage *msg;
    const ProtobufCFieldDescriptor *f;
    size_t count; /* items seen so far (first pass) */
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
    field_report_t *r = l->r;
    const ProtobufCFieldDescriptor *f = l->f;
    size_t size = field_type_size (f->type);
    char *array = FIELD_MEMBER (char *, l->msg, f->offset);
    void *slot = array + i * size;
    if (f->type == PROTOBUF_C_TYPE_STRING) {
        *(char **) slot = strdup ("");
        if (!*(char **) slot) {
            r->error = DCP_ENOMEM;
            return false;
        }
    }
    FIELD_MEMBER (size_t, l->msg, f->quantifier_offset) = i + 1;
    if (f->type != PROTOBUF_C_TYPE_MESSAGE) {
        char word[512];
        /* codes in lists are upper case: "irn" is IRN */
        if (f->type == PROTOBUF_C_TYPE_STRING)
            fieldword_normalise (item, word, sizeof word);
        else
            snprintf (word, sizeof word, "%s", item);
        if (!field_set_scalar_text (r, f, slot, word))
            l->ok = false;
        return !r->error;
    }
    /* A message item "A:B" fills the first two string fields, e.g. a
     * RouteLeg "AFG:ORIGIN" or a Jurisdiction "ARE:TRANSIT".  In a route,
     * missing roles follow the position: ORIGIN first, DESTINATION last,
     * TRANSIT between. */
    const ProtobufCMessageDescriptor *md = f->descriptor;
    ProtobufCMessage *sub = field_new_message (md);
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
        field_report (r, "TYPE", "\"%s\" cannot be written in one cell", f->name);
        l->ok = false;
        return false;
    }
    char word[512], first[512], second[512] = "";
    fieldword_normalise (item, word, sizeof word);
    char *colon = strchr (word, ':');
    if (colon) {
        *colon = '\0';
        fieldword_trim (colon + 1, second, sizeof second);
    }
    fieldword_trim (word, first, sizeof first);
    if (!second[0] && strcmp (f->name, "route") == 0)
        snprintf (second, sizeof second, "%s",
                  i == 0              ? "ORIGIN"
                  : i + 1 == l->total ? "DESTINATION"
                                      : "TRANSIT");
    if (!first[0] || !second[0] || strchr (second, ':')) {
        field_report (r, "LIST", "\"%s\" is not of the form CODE:%s", item, parts[1]->name);
        l->ok = false;
        return true;
    }
    if (!field_set_string (r, parts[0], (char *) sub + parts[0]->offset, first, strlen (first))
        || !field_set_string (r, parts[1], (char *) sub + parts[1]->offset, second,
                              strlen (second)))
        return false;
    return true;
}

/* A list in one cell: "IRN;AFG" or, for messages, "AFG:ORIGIN>IRN:TRANSIT". */
static bool
s_list_from_text (field_report_t *r, ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f,
                  const char *text)
{
    const char *seps = f->type == PROTOBUF_C_TYPE_MESSAGE ? ">;," : ";, \t";
    s_list_t l = {.r = r, .msg = msg, .f = f, .ok = true};
    bool too_long = false;
    s_each_item (text, seps, s_count_item, &l, &too_long);
    if (too_long) {
        field_report (r, "LIST", "a list item is longer than 511 characters");
        return false;
    }
    l.total = l.count;
    if (l.total == 0)
        return true;
    /* replace whatever the list held (a later cell wins) */
    size_t n_old = FIELD_MEMBER (size_t, msg, f->quantifier_offset);
    char *old = FIELD_MEMBER (char *, msg, f->offset);
    for (size_t i = 0; i < n_old; i++)
        field_clear_slot (f, old + i * field_type_size (f->type));
    free (old);
    FIELD_MEMBER (size_t, msg, f->quantifier_offset) = 0;
    char *array = calloc (l.total, field_type_size (f->type));
    FIELD_MEMBER (char *, msg, f->offset) = array;
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
s_status_field_special (field_report_t *r, ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f,
                        const char *text, bool *ok)
{
    field_status_t sf;
    field_status_fields (msg->descriptor, &sf);
    char t[256];
    if ((f == sf.value || f == sf.status) && !fieldword_trim (text, t, sizeof t)) {
        field_report (r, "NUMBER", "answer text is too long (%zu characters)", strlen (text));
        *ok = false;
        return true;
    }
    if (f == sf.value) {
        *ok = field_set_status_value (r, msg, &sf, t);
        if (*ok && FIELD_MEMBER (int32_t, msg, sf.status->offset) == 0)
            field_set_status_named (msg, &sf, "REPORTED");
        return true;
    }
    if (f == sf.status) {
        if (fieldword_is_na_token (t)) {
            field_set_status_named (msg, &sf, "NOT_AVAILABLE");
            *ok = true;
        } else
            *ok = s_set_enum_text (r, f, (char *) msg + f->offset, t);
        return true;
    }
    return false;
}

int
field_set_cell (ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f, const char *text,
                const field_cell_t *cell)
{
    assert (msg && f && text && cell && cell->findings);
    field_report_t r = {
        .findings = cell->findings,
        .prefix = cell->rule_prefix ? cell->rule_prefix : "CSV",
        .context = cell->context,
        .note = cell->note,
        .path = cell->path,
    };
    bool ok = true;
    char trimmed[64];
    fieldword_trim (text, trimmed, sizeof trimmed);
    bool blank = trimmed[0] == '\0';
    if (f->label == PROTOBUF_C_LABEL_REPEATED)
        ok = s_list_from_text (&r, msg, f, text);
    else if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
        const ProtobufCMessageDescriptor *md = f->descriptor;
        if (!field_is_status_message (md)) {
            if (!blank) {
                field_report (&r, "TYPE",
                              "\"%s\" has parts: give them in their own columns, "
                              "e.g. \"%s.%s\"",
                              f->name, f->name, md->fields[0].name);
                ok = false;
            }
        } else if (field_oneof_free (&r, msg->descriptor, msg, f)) {
            void *slot = (char *) msg + f->offset;
            ProtobufCMessage *sub = *(ProtobufCMessage **) slot;
            if (!sub) {
                sub = field_new_message (md);
                if (!sub)
                    return DCP_ENOMEM;
                *(ProtobufCMessage **) slot = sub;
                field_mark_present (msg, f);
            }
            ok = field_status_from_text (&r, sub, text);
        } else
            ok = false;
    } else if (!blank && field_is_status_message (msg->descriptor)
               && s_status_field_special (&r, msg, f, text, &ok)) {
        /* "quantity.value" or "quantity.status" columns: handled */
    } else if (!blank) {
        if (!field_oneof_free (&r, msg->descriptor, msg, f))
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
                ok = field_set_string (&r, f, (char *) msg + f->offset, start, len);
            else
                ok = field_set_scalar_text (&r, f, (char *) msg + f->offset, text);
            if (ok)
                field_mark_present (msg, f);
        }
    }
    if (r.error)
        return r.error;
    return ok ? 0 : DCP_EINVAL;
}

/* ------------------------------------------------------------------------ */
