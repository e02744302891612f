/* dcp_json.h: response files in JSON <-> Submission.
 *
 * The JSON document mirrors the protobuf message field by field (field names
 * as in dcp_submission.proto), with shortcuts a person can type: a number
 * answer may be written as a bare number or decimal string (status REPORTED),
 * as a status word ("not available", "--", "n/a", "confidential"), or in
 * full as {"value": ..., "status": ...}.  The format is documented in
 * collector/FORMAT.md.  Every problem in the file becomes a finding with a
 * JSON pointer, never a crash or a silent default. */
#ifndef DCP_JSON_H
#define DCP_JSON_H

#include <stddef.h>

#include "dcp_codec.h"
#include "dcp_findings.h"
#include "dcp_submission.pb-c.h"

/* Parses TEXT (LEN bytes) into a new Submission.  Problems (syntax with line
 * and column, unknown keys, wrong types, unknown words) go into FINDINGS as
 * errors with rule ids "JSON-*".  Returns the Submission, caller frees with
 * dcp_codec_free() (dcp_codec.h); or NULL if the text is not a JSON object at all
 * (FINDINGS says why) or memory ran out. */
Dcp__V1__Submission *dcp_json_read (const char *text, size_t len, dcp_findings_t *findings);

/* Reads the file PATH (at most 64 MiB) and parses it like dcp_json_read();
 * a precursor table may be given as the name of a CSV file beside it
 * ("incidents": "incidents.csv").  Problems reading the file are findings
 * too.  Returns the Submission or NULL. */
Dcp__V1__Submission *dcp_json_read_file (const char *path, dcp_findings_t *findings);

/* Writes SUB as the JSON format (pretty, UTF-8).  Caller frees the result;
 * NULL if out of memory.  read(write(x)) == x. */
char *dcp_json_write (const Dcp__V1__Submission *sub);

/* An empty starting file, with "_comment" keys (ignored by the reader,
 * like every key starting with "_") explaining each part, for KIND ("financial_flows" or
 * "precursors"); static text, borrowed; NULL for an unknown kind. */
const char *dcp_json_template (const char *kind);

#endif
