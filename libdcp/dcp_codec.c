/* dcp_codec.c: checked protobuf-c wrappers (see dcp_codec.h). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dcp_codec.h"

/* Reads a varint at *P (at most 10 bytes, before END); false if cut off. */
static bool
s_varint (const uint8_t **p, const uint8_t *end, uint64_t *out)
{
    uint64_t value = 0;
    for (int shift = 0; shift < 64 && *p < end; shift += 7) {
        uint8_t byte = *(*p)++;
        value |= (uint64_t) (byte & 0x7f) << shift;
        if (!(byte & 0x80)) {
            *out = value;
            return true;
        }
    }
    return false;
}

/* Second look at bytes protobuf-c has already accepted as a message of type
 * DESC, for two things it lets through that this contract cannot carry
 * (found by tests/fuzz):
 *  - field number 0, which protobuf forbids: protobuf-c accepts it when the
 *    tag is written as an overlong varint (82 00) and keeps it as an unknown
 *    field, but then cannot read back its own encoding of the message;
 *  - a NUL byte inside a string: protobuf-c keeps the bytes, but every C
 *    reader sees the string cut at the NUL, so the rules would check, and
 *    the loader store, text other than what was sent.
 * Only tags and lengths are read, always within [P, END). */
static bool
s_wire_ok (const uint8_t *p, const uint8_t *end, const ProtobufCMessageDescriptor *desc, int depth)
{
    if (depth > 32)
        return false;
    while (p < end) {
        uint64_t key, n;
        if (!s_varint (&p, end, &key) || key >> 3 == 0 || key >> 3 > UINT32_MAX)
            return false;
        switch (key & 7) {
        case 0:
            if (!s_varint (&p, end, &n))
                return false;
            break;
        case 1:
        case 5: {
            size_t size = (key & 7) == 1 ? 8 : 4;
            if ((size_t) (end - p) < size)
                return false;
            p += size;
            break;
        }
        case 2: {
            if (!s_varint (&p, end, &n) || n > (uint64_t) (end - p))
                return false;
            const ProtobufCFieldDescriptor *f =
                protobuf_c_message_descriptor_get_field (desc, (unsigned) (key >> 3));
            if (f && f->type == PROTOBUF_C_TYPE_STRING && memchr (p, 0, (size_t) n))
                return false;
            if (f && f->type == PROTOBUF_C_TYPE_MESSAGE
                && !s_wire_ok (p, p + n, f->descriptor, depth + 1))
                return false;
            p += n;
            break;
        }
        default: return false; /* groups: protobuf-c refuses them as well */
        }
    }
    return true;
}

Dcp__V1__Submission *
dcp_codec_unpack (const uint8_t *data, size_t len, size_t max)
{
    if (len > max)
        return NULL;
    Dcp__V1__Submission *sub = dcp__v1__submission__unpack (NULL, len, data);
    if (sub && !s_wire_ok (data, data + len, &dcp__v1__submission__descriptor, 0))
        dcp_codec_free (&sub);
    return sub;
}

uint8_t *
dcp_codec_pack_msg (const ProtobufCMessage *msg, size_t *len_p)
{
    size_t len = protobuf_c_message_get_packed_size (msg);
    uint8_t *buf = malloc (len ? len : 1);
    if (!buf)
        return NULL;
    *len_p = protobuf_c_message_pack (msg, buf);
    return buf;
}

uint8_t *
dcp_codec_pack (const Dcp__V1__Submission *sub, size_t *len_p)
{
    return dcp_codec_pack_msg (&sub->base, len_p);
}

void
dcp_codec_free (Dcp__V1__Submission **sub_p)
{
    if (!sub_p || !*sub_p)
        return;
    protobuf_c_message_free_unpacked (&(*sub_p)->base, NULL);
    *sub_p = NULL;
}

const char *
dcp_codec_kind_name (Dcp__V1__QuestionnaireKind kind)
{
    switch (kind) {
    case DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_FINANCIAL_FLOWS: return "financial_flows";
    case DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_PRECURSORS: return "precursors";
    default: return "unspecified";
    }
}

const char *
dcp_codec_status_name (Dcp__V1__ReceiptStatus status)
{
    switch (status) {
    case DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED: return "accepted";
    case DCP__V1__RECEIPT_STATUS__RECEIPT_REJECTED: return "rejected";
    case DCP__V1__RECEIPT_STATUS__RECEIPT_CONFLICT: return "conflict";
    case DCP__V1__RECEIPT_STATUS__RECEIPT_RETRY_LATER: return "retry_later";
    default: return "unspecified";
    }
}
