/* dcp_codec.c: checked protobuf-c wrappers (see dcp_codec.h). */
#include <stdlib.h>

#include "dcp_codec.h"

Dcp__V1__Submission *
dcp_codec_unpack (const uint8_t *data, size_t len, size_t max)
{
    if (len > max)
        return NULL;
    return dcp__v1__submission__unpack (NULL, len, data);
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
    case DCP__V1__QUESTIONNAIRE_KIND__QUESTIONNAIRE_PRECURSORS:      return "precursors";
    default:                                                         return "unspecified";
    }
}

const char *
dcp_codec_status_name (Dcp__V1__ReceiptStatus status)
{
    switch (status) {
    case DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED:    return "accepted";
    case DCP__V1__RECEIPT_STATUS__RECEIPT_REJECTED:    return "rejected";
    case DCP__V1__RECEIPT_STATUS__RECEIPT_CONFLICT:    return "conflict";
    case DCP__V1__RECEIPT_STATUS__RECEIPT_RETRY_LATER: return "retry_later";
    default:                                           return "unspecified";
    }
}
