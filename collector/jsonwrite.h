/* jsonwrite.h: a Submission written as the JSON response format.
 *
 * The inverse of jsonread.h: keys in the order of the .proto file, answers
 * as {"value", "status"} objects, nothing written that is unset, so that
 * jsonread_text(jsonwrite_submission(x)) gives x again.  Used to show what
 * was read (e.g. from CSV files) and by the tests and the fuzz harness to
 * check the reader. */
#ifndef JSONWRITE_H
#define JSONWRITE_H

#include "dcp_submission.pb-c.h"

/* Writes SUB as the JSON format (pretty, UTF-8, ending in a newline).
 * Caller frees the result; NULL if out of memory. */
char *jsonwrite_submission (const Dcp__V1__Submission *sub);

#endif
