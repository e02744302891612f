/* dcp_codec.h: Submission and Receipt to and from protobuf bytes.
 *
 * Thin, checked wrappers over protobuf-c: decoding refuses input over a size
 * limit and reports why it failed; every Submission in the programs, whether
 * unpacked from the wire or built by the JSON reader, is allocated with the
 * default allocator so that one free function releases it. */
#ifndef DCP_CODEC_H
#define DCP_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "dcp_stage.pb-c.h"
#include "dcp_submission.pb-c.h"

#define DCP_SCHEMA_VERSION 1        /* Submission.schema_version we write */
#define DCP_MAX_MESSAGE (16u << 20) /* default largest message, bytes */

/* Decodes LEN bytes into a new Submission; NULL if the bytes are not a valid
 * protobuf Submission or LEN > MAX.  Also NULL for what protobuf-c would
 * accept but not carry faithfully: a field number 0, or a string holding a
 * NUL byte (C would see it cut there).  Caller frees with dcp_codec_free(). */
Dcp__V1__Submission *dcp_codec_unpack (const uint8_t *data, size_t len, size_t max);

/* Encodes SUB into a new buffer (caller frees); NULL if out of memory. */
uint8_t *dcp_codec_pack (const Dcp__V1__Submission *sub, size_t *len_p);

/* Frees a Submission; idempotent; sets *sub_p to NULL. */
void dcp_codec_free (Dcp__V1__Submission **sub_p);

/* Generic helpers for any message (Receipt, Forward). pack: caller frees;
 * NULL on out of memory. */
uint8_t *dcp_codec_pack_msg (const ProtobufCMessage *msg, size_t *len_p);

/* Name of the questionnaire for humans and SQL: "financial_flows",
 * "precursors", or "unspecified". */
const char *dcp_codec_kind_name (Dcp__V1__QuestionnaireKind kind);

/* Name of a receipt status: "accepted", "rejected", "conflict",
 * "retry_later", "unspecified". */
const char *dcp_codec_status_name (Dcp__V1__ReceiptStatus status);

#endif
