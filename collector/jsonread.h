/* jsonread.h: response files in JSON into a Submission.
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
 * .proto file is read without a change here.  Text answers mean what they
 * mean in a CSV cell because both readers use field.h. */
#ifndef JSONREAD_H
#define JSONREAD_H

#include <stddef.h>

#include "dcp_codec.h"
#include "dcp_findings.h"
#include "dcp_submission.pb-c.h"
#include "srcmap.h"

#define JSONREAD_MAX_FILE (64u << 20) /* largest file jsonread_file reads */

/* One file read for a response, kept exactly as it was parsed. */
typedef struct {
    char *name;  /* the JSON file: its path as given; a CSV file: as the JSON names it */
    char *bytes; /* the file's bytes, NUL-terminated */
    size_t len;
} jsonread_part_t;

/* Every file a response was read from: parts[0] is the JSON file, then the
 * CSV files it names, in the order it names them. */
typedef struct {
    jsonread_part_t *parts;
    size_t n;
    srcmap_t *map; /* where each answer was read (srcmap.h), or NULL */
} jsonread_files_t;

/* Frees what FILES holds and empties it; safe on an empty one. */
void jsonread_files_free (jsonread_files_t *files);

/* Parses TEXT (LEN bytes) into a new Submission.  Problems (syntax with line
 * and column, unknown keys, wrong types, unknown words) go into FINDINGS as
 * errors with rule ids "JSON-*".  Returns the Submission, caller frees with
 * dcp_codec_free() (dcp_codec.h); or NULL if the text is not a JSON object at
 * all (FINDINGS says why) or memory ran out. */
Dcp__V1__Submission *jsonread_text (const char *text, size_t len, dcp_findings_t *findings);

/* As jsonread_text() for the file at PATH (at most JSONREAD_MAX_FILE bytes;
 * larger or unreadable files give a JSON-FILE finding and NULL).  In a file,
 * a repeated table of the payload (e.g. "incidents" or "seizures" under
 * "precursors") may be given as the name of a CSV file instead of a list,
 * relative to the JSON file's folder; it is read with csvread_table().
 * Each file is read once: if FILES is not NULL it receives the bytes that
 * were parsed and the map of where each answer came from (FILES->map) (caller frees with jsonread_files_free(), also on NULL
 * return), so that nobody reads the files a second time and finds them
 * changed.  Caller frees the result with dcp_codec_free(). */
Dcp__V1__Submission *jsonread_file (const char *path, dcp_findings_t *findings,
                                    jsonread_files_t *files);

#endif
