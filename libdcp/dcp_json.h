/* dcp_json.h: response files in JSON <-> Submission.
 *
 * The JSON document mirrors the protobuf message field by field (field names
 * as in dcp_submission.proto), with shortcuts a person can type: a number
 * answer may be written as a bare number or decimal string (status REPORTED),
 * as a status word ("not available", "--", "n/a", "confidential"), or in
 * full as {"value": ..., "status": ...}.  The format is documented in
 * collector/FORMAT.md.  Every problem in the file becomes a finding with a
 * JSON pointer, never a crash or a silent default.
 *
 * The reader walks the protobuf-c descriptors, so a field added to the
 * .proto file is read and written without a change here.  The same
 * text-to-field conversion serves the CSV reader (dcp_csv.h) through
 * dcp_json_set_cell(), so a cell and a JSON string mean the same thing. */
#ifndef DCP_JSON_H
#define DCP_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "dcp_codec.h"
#include "dcp_findings.h"
#include "dcp_submission.pb-c.h"

#define DCP_JSON_MAX_FILE (64u << 20)  /* largest file dcp_json_read_file reads */

/* Parses TEXT (LEN bytes) into a new Submission.  Problems (syntax with line
 * and column, unknown keys, wrong types, unknown words) go into FINDINGS as
 * errors with rule ids "JSON-*".  Returns the Submission, caller frees with
 * dcp_codec_free() (dcp_codec.h); or NULL if the text is not a JSON object at all
 * (FINDINGS says why) or memory ran out. */
Dcp__V1__Submission *dcp_json_read (const char *text, size_t len, dcp_findings_t *findings);

/* As dcp_json_read() for the file at PATH (at most DCP_JSON_MAX_FILE bytes;
 * larger or unreadable files give a JSON-FILE finding and NULL).  In a file,
 * a repeated table of the payload (e.g. "incidents" or "seizures" under
 * "precursors") may be given as the name of a CSV file instead of a list,
 * relative to the JSON file's folder; it is read with dcp_csv_read().
 * Caller frees the result with dcp_codec_free(). */
Dcp__V1__Submission *dcp_json_read_file (const char *path, dcp_findings_t *findings);

/* Writes SUB as the JSON format (pretty, UTF-8).  Caller frees the result;
 * NULL if out of memory.  read(write(x)) == x. */
char *dcp_json_write (const Dcp__V1__Submission *sub);

/* An empty starting file, with "_comment" keys (ignored by the reader,
 * like every key starting with "_") explaining each part, for KIND ("financial_flows" or
 * "precursors"); static text, borrowed; NULL for an unknown kind. */
const char *dcp_json_template (const char *kind);

/* --- shared with the CSV reader (dcp_csv.c) ------------------------------ */

/* Where a cell came from, for the findings it may cause. */
typedef struct {
    dcp_findings_t *findings;
    const char *rule_prefix;  /* rule ids become PREFIX "-ENUM", "-NUMBER", ... */
    const char *path;         /* the finding's path, e.g. "incidents.csv:4:17" */
    const char *context;      /* put before the message, e.g. "column 5 \"unit\"" */
    const char *note;         /* put after it in parentheses; may be NULL */
} dcp_json_cell_t;

/* Sets FIELD of MSG from the text of one cell, with the same words and
 * shortcuts as a JSON string: numbers, status words and tokens for
 * Count/Quantity/Money (a blank cell is UNANSWERED), enum names, true/false
 * for bools; lists of strings separated by ';' ',' or spaces; lists of
 * two-field messages as "A:B>C:D" (see FORMAT.md).  A blank cell leaves any
 * other field unset.  Sub-messages are allocated so that
 * protobuf_c_message_free_unpacked(msg, NULL) frees them.  Returns 0, or
 * DCP_EINVAL after adding a finding, or DCP_ENOMEM. */
int dcp_json_set_cell (ProtobufCMessage *msg, const ProtobufCFieldDescriptor *field,
                       const char *text, const dcp_json_cell_t *cell);

/* A new message of type DESC, initialised, from calloc; NULL if out of
 * memory.  Free with protobuf_c_message_free_unpacked(msg, NULL). */
ProtobufCMessage *dcp_json_new_message (const ProtobufCMessageDescriptor *desc);

/* True if DESC is a status-carrying answer (Count, Quantity, Money: a
 * message with an enum field called "status"). */
bool dcp_json_is_status_message (const ProtobufCMessageDescriptor *desc);

#endif
