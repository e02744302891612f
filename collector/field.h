/* field.h: one answer's text into one protobuf field, shared by the JSON
 * reader (jsonread.h) and the CSV table reader (csvread.h).
 *
 * A response file gives answers as text with shortcuts a person can type: a
 * number answer as a bare number or decimal string (status REPORTED), a
 * status word ("not available", "--", "n/a", "confidential"), enum names in
 * any case, lists in one cell.  This module holds that meaning once, so a
 * CSV cell and a JSON string mean the same thing, and it is the bottom of
 * the collector's readers: it includes neither of them.
 *
 * Everything is driven by the protobuf-c descriptors, so a field added to
 * the .proto file is read without a change here.  Storage follows
 * protobuf-c's layout: everything set here comes from malloc/calloc, so
 * protobuf_c_message_free_unpacked(msg, NULL) frees it. */
#ifndef FIELD_H
#define FIELD_H

#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dcp_findings.h"

/* The member at byte OFFSET of message MSG, as TYPE (an lvalue). */
#define FIELD_MEMBER(type, msg, offset) (*(type *) ((char *) (msg) + (offset)))

/* Where findings go while text is converted.  The readers own it; PATH is
 * borrowed and may change between calls (the JSON reader's pointer). */
typedef struct {
    dcp_findings_t *findings;
    const char *prefix;  /* rule ids become PREFIX "-" ID: "JSON-ENUM", "CSV-NUMBER" */
    const char *context; /* put before the message, e.g. "column 5 \"unit\""; may be NULL */
    const char *note;    /* put after it in parentheses; may be NULL */
    const char *path;    /* the finding's path; NULL means "" */
    int error;           /* first failure to record a finding (DCP_ENOMEM) */
} field_report_t;

/* Adds an error finding at R's path with rule id PREFIX-ID.  Messages
 * follow the house style: lowercase, no period. */
void field_report (field_report_t *r, const char *id, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

/* --- storage of values in a message ---------------------------------------- */

/* A new message of type DESC, initialised, from calloc; NULL if out of
 * memory.  Free with protobuf_c_message_free_unpacked(msg, NULL). */
ProtobufCMessage *field_new_message (const ProtobufCMessageDescriptor *desc);

/* True if DESC is a status-carrying answer (Count, Quantity, Money: a
 * message with an enum field called "status"). */
bool field_is_status_message (const ProtobufCMessageDescriptor *desc);

/* Bytes one value of protobuf type TYPE takes in a message. */
size_t field_type_size (ProtobufCType type);

/* True if F is a member of a oneof. */
bool field_is_oneof (const ProtobufCFieldDescriptor *f);

/* Records that F of MSG is present: the has_ flag of a proto2/proto3
 * `optional` field, or the case of a oneof. */
void field_mark_present (ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f);

/* True if F of MSG holds a value (for the writer and for oneof checks). */
bool field_is_present (const ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f);

/* Frees what SLOT (of type F->type) holds, leaving it zero / default. */
void field_clear_slot (const ProtobufCFieldDescriptor *f, void *slot);

/* Oneof members share storage: a second member would overwrite (and leak
 * or misfree) the first.  Returns false, with a finding, if another member
 * of F's oneof (in MSG, of type DESC) is already set. */
bool field_oneof_free (field_report_t *r, const ProtobufCMessageDescriptor *desc,
                       ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f);

/* --- text to values -------------------------------------------------------- */

/* Parses an integer TEXT (optional '-', digits, optionally ".000") into
 * *OUT_S or *OUT_U for field type TYPE, with range checks.  Reports and
 * returns false on failure. */
bool field_integer_from_text (field_report_t *r, const char *text, ProtobufCType type,
                              int64_t *out_s, uint64_t *out_u);

/* Stores LEN bytes of TEXT as the string (or bytes) SLOT of F, replacing
 * what it held; reports text that is not UTF-8.  False on failure. */
bool field_set_string (field_report_t *r, const ProtobufCFieldDescriptor *f, void *slot,
                       const char *text, size_t len);

/* Sets a scalar SLOT of type F->type from TEXT, as a CSV cell or a JSON
 * string would give it.  False (after a finding) on failure. */
bool field_set_scalar_text (field_report_t *r, const ProtobufCFieldDescriptor *f, void *slot,
                            const char *text);

/* The parts of a status message (Count, Quantity, Money). */
typedef struct {
    const ProtobufCFieldDescriptor *status; /* enum */
    const ProtobufCFieldDescriptor *value;  /* "value" or "amount" */
    const ProtobufCFieldDescriptor *unit;   /* "unit" or "currency", may be NULL */
} field_status_t;

/* Finds the parts of status message type DESC. */
void field_status_fields (const ProtobufCMessageDescriptor *desc, field_status_t *sf);

/* Sets the status of MSG to the value whose short name is NAME ("REPORTED"). */
void field_set_status_named (ProtobufCMessage *msg, const field_status_t *sf, const char *name);

/* Stores the number TEXT as the value of status message MSG; decimals must
 * be plain, counts whole.  False (after a finding) on failure. */
bool field_set_status_value (field_report_t *r, ProtobufCMessage *msg, const field_status_t *sf,
                             const char *text);

/* Sets status message MSG from a shortcut TEXT: a decimal (optionally
 * followed by a unit or currency code, "21700 KG"), a status word or a
 * not-available token; blank is UNANSWERED.  False after a finding. */
bool field_status_from_text (field_report_t *r, ProtobufCMessage *msg, const char *text);

/* --- one CSV cell ------------------------------------------------------------ */

/* Where a cell came from, for the findings it may cause. */
typedef struct {
    dcp_findings_t *findings;
    const char *rule_prefix; /* rule ids become PREFIX "-ENUM", "-NUMBER", ... */
    const char *path;        /* the finding's path, e.g. "incidents.csv:4:17" */
    const char *context;     /* put before the message, e.g. "column 5 \"unit\"" */
    const char *note;        /* put after it in parentheses; may be NULL */
} field_cell_t;

/* Sets FIELD of MSG from the text of one cell, with the same words and
 * shortcuts as a JSON string: numbers, status words and tokens for
 * Count/Quantity/Money (a blank cell is UNANSWERED), enum names, true/false
 * for bools; lists of strings separated by ';' ',' or spaces; lists of
 * two-field messages as "A:B>C:D" (see FORMAT.md).  A blank cell leaves any
 * other field unset.  Sub-messages are allocated so that
 * protobuf_c_message_free_unpacked(msg, NULL) frees them.  Returns 0, or
 * DCP_EINVAL after adding a finding, or DCP_ENOMEM. */
int field_set_cell (ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f, const char *text,
                    const field_cell_t *cell);

#endif
