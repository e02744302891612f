/* jsonwrite.c: Submission to JSON by walking the protobuf-c descriptors
 * (see jsonwrite.h); the storage helpers are field.h's. */
#include <assert.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dcp_utf8.h"
#include "field.h"
#include "fieldword.h"
#include "jsonwrite.h"

/* A JSON string of TEXT; bytes that are not UTF-8 (possible only in data
 * that came from the wire) become U+FFFD rather than failing the file (and
 * a NUL then '?', see dcp_utf8_clean). */
static json_t *
s_json_text (const char *text, size_t len)
{
    json_t *s = json_stringn (text, len);
    if (s)
        return s;
    char *clean = dcp_utf8_clean (text, len, SIZE_MAX, 0);
    if (!clean)
        return NULL;
    s = json_string (clean);
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
    case PROTOBUF_C_TYPE_SFIXED32: return json_integer (*(const int32_t *) slot);
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32: return json_integer (*(const uint32_t *) slot);
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64: return json_integer (*(const int64_t *) slot);
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64: {
        uint64_t u = *(const uint64_t *) slot;
        if (u <= INT64_MAX)
            return json_integer ((json_int_t) u);
        snprintf (buf, sizeof buf, "%" PRIu64, u); /* read back from the string */
        return json_string (buf);
    }
    case PROTOBUF_C_TYPE_FLOAT: return json_real (*(const float *) slot);
    case PROTOBUF_C_TYPE_DOUBLE: return json_real (*(const double *) slot);
    case PROTOBUF_C_TYPE_BOOL: return json_boolean (*(const protobuf_c_boolean *) slot);
    case PROTOBUF_C_TYPE_ENUM: {
        int32_t v = *(const int32_t *) slot;
        const char *name = fieldword_enum_short_name (f->descriptor, v, buf, sizeof buf);
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
        if (!field_is_present (msg, f))
            continue;
        json_t *v;
        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            v = json_array ();
            size_t n = FIELD_MEMBER (size_t, msg, f->quantifier_offset);
            const char *array = FIELD_MEMBER (const char *, msg, f->offset);
            for (size_t k = 0; v && k < n; k++)
                if (json_array_append_new (v,
                                           s_write_slot (f, array + k * field_type_size (f->type))))
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
jsonwrite_submission (const Dcp__V1__Submission *sub)
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
