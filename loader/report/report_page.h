/* report_page.h: the report's HTML page, assembled from an embedded template,
 * the embedded JavaScript libraries and map data, and one JSON block of data.
 *
 * The page must open offline and must not let text from partners run as
 * code: every library is inlined (refused if it could close its <script>
 * element), and the data goes into <script type="application/json"> with
 * every character that could end the element or start markup escaped
 * (report_page_json_escape). */
#ifndef REPORT_PAGE_H
#define REPORT_PAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "dcp_blob.h"
#include "dcp_buf.h"

/* Appends JSON (LEN bytes of valid JSON text) to OUT so that it can sit
 * inside a <script> element: '<', '>', '&' become \u003c, \u003e, \u0026,
 * and U+2028 / U+2029 become \u2028 / \u2029.  These characters only occur
 * inside JSON strings, where the escapes mean the same, so the value parsed
 * by JSON.parse is unchanged.  Returns 0 or OUT's sticky error. */
int report_page_json_escape (dcp_buf_t *out, const char *json, size_t len);

/* True when TEXT (LEN bytes) can be inlined between <script> and </script>:
 * it holds no "</script" and no "<!--" in any letter case. */
bool report_page_script_safe (const char *text, size_t len);

/* Builds the page into OUT: TEMPLATE with each "<!--@NAME@-->" replaced by
 * the ASSETS file NAME (a library or map file, inlined as is) and
 * "<!--@DATA@-->" by DATA_JSON escaped with report_page_json_escape.
 * Returns 0, DCP_EINVAL (the template names a file that ASSETS lacks, an
 * asset that report_page_script_safe refuses, or an unterminated
 * placeholder) or DCP_ENOMEM.  ERR gets a message. */
int report_page_build (dcp_buf_t *out, const char *template, const dcp_blob_t *assets,
                       const char *data_json, size_t data_len, char *err, size_t errlen);

#endif
