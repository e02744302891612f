/* fieldword.h: the words an answer may be written in.
 *
 * Answers arrive as text typed by people (a CSV cell, a workbook cell, a
 * JSON string): an enum value may be written "REPORTED", "reported",
 * "OBS_REPORTED", "not applicable" or in Russian ("оценка"); "not
 * available" has a dozen spellings ("--", "n/a", "..").  This module holds
 * those word tables and the lookups on them, so that every reader and the
 * JSON writer agree on what a word means.  Pure functions: no allocation,
 * no findings (the callers say what is wrong with a word they do not
 * recognise). */
#ifndef FIELDWORD_H
#define FIELDWORD_H

#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>
#include <stddef.h>

/* Copies TEXT without leading and trailing ASCII white space into BUF
 * (SIZE bytes, > 0).  Returns false if it did not fit (BUF then holds a cut
 * copy, which callers must not interpret: "000...0001" cut short would read
 * as 0). */
bool fieldword_trim (const char *text, char *buf, size_t size);

/* True if TEXT is a plain decimal: optional '-', digits, optionally '.' and
 * digits (the forms PostgreSQL numeric and dcp_decimal agree on). */
bool fieldword_is_decimal (const char *text);

/* True if TEXT is one of the words for "not available" ("--", "n/a", ...). */
bool fieldword_is_na_token (const char *text);

/* Upper-cases TEXT into BUF (SIZE bytes, > 0; cut if longer), turning
 * spaces and '-' into '_' ("not applicable" -> "NOT_APPLICABLE"). */
void fieldword_normalise (const char *text, char *buf, size_t size);

/* The English name that the word TEXT stands for among the values of the
 * enum whose short name is TYPE ("Bool" for a true/false field), e.g.
 * "ESTIMATED" for ("ObsStatus", "Оценка"); NULL if TEXT is no such word.
 * The string returned is static. */
const char *fieldword_alias (const char *type, const char *text);

/* Finds enum DESC's value named TEXT (case-insensitive, with or without
 * the common prefix, spaces for underscores, or a word fieldword_alias()
 * knows) into *VALUE.  Returns false if none (*VALUE unchanged). */
bool fieldword_enum_lookup (const ProtobufCEnumDescriptor *desc, const char *text, int *value);

/* Short lowercase name of VALUE in DESC ("reported"), into BUF (SIZE bytes,
 * > 0); returns BUF, or NULL if the value has no name. */
const char *fieldword_enum_short_name (const ProtobufCEnumDescriptor *desc, int value, char *buf,
                                       size_t size);

/* "a, b, c": the short names of DESC's values except 0 (unspecified), into
 * BUF (SIZE bytes, > 0; cut if longer). */
void fieldword_enum_list (const ProtobufCEnumDescriptor *desc, char *buf, size_t size);

#endif
