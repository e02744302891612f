/* fuzz_json.c: libFuzzer harness for the collector's JSON reader.
 *
 * A focal point's response file is typed by hand, exported from
 * spreadsheets, or mangled by mail clients, so jsonread_text must turn any
 * bytes into findings, never into a crash.  What it builds then goes through
 * the rules (the collector's offline check) like a real file.
 *
 * Property checked on top, the one jsonwrite.h promises: for a file read
 * without errors, read(write(x)) == x, compared as protobuf bytes.
 *
 * Build and run: tests/fuzz/run.sh (clang, -DDCP_FUZZ=ON). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcp_codec.h"
#include "dcp_findings.h"
#include "jsonread.h"
#include "jsonwrite.h"
#include "dcp_refdata.h"
#include "dcp_rules.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
    (void) argc;
    (void) argv;
    if (dcp_refdata_load () != 0) /* kept for the process: not a per-input leak */
        abort ();
    return 0;
}

/* Aborts unless X and Y encode to the same bytes. */
static void
s_assert_same (const Dcp__V1__Submission *x, const Dcp__V1__Submission *y, const char *json)
{
    size_t len_x = 0, len_y = 0;
    uint8_t *bx = dcp_codec_pack (x, &len_x), *by = dcp_codec_pack (y, &len_y);
    if (bx && by && (len_x != len_y || memcmp (bx, by, len_x) != 0)) {
        fprintf (stderr, "read(write(x)) != x; written JSON:\n%s\n", json);
        abort ();
    }
    free (bx);
    free (by);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    dcp_findings_t *findings = dcp_findings_new ();
    if (!findings)
        abort ();
    Dcp__V1__Submission *sub = jsonread_text ((const char *) data, size, findings);
    if (sub) {
        dcp_rules_opts_t opts;
        dcp_rules_defaults (&opts);
        opts.current_year = 2026;
        opts.received_on = "2026-05-02";
        bool clean = dcp_findings_errors (findings) == 0;
        dcp_rules_check (sub, &opts, findings);

        char *json = clean ? jsonwrite_submission (sub) : NULL;
        if (json) {
            dcp_findings_t *findings2 = dcp_findings_new ();
            if (!findings2)
                abort ();
            Dcp__V1__Submission *again = jsonread_text (json, strlen (json), findings2);
            if (!again || dcp_findings_errors (findings2) != 0) {
                fprintf (stderr, "jsonwrite_submission output does not read back; JSON:\n%s\n",
                         json);
                for (size_t i = 0; i < dcp_findings_count (findings2); i++)
                    fprintf (stderr, "  %s %s: %s\n", dcp_findings_get (findings2, i)->rule,
                             dcp_findings_get (findings2, i)->path,
                             dcp_findings_get (findings2, i)->message);
                abort ();
            }
            s_assert_same (sub, again, json);
            dcp_codec_free (&again);
            dcp_findings_destroy (&findings2);
            free (json);
        }
    }
    dcp_codec_free (&sub);
    dcp_findings_destroy (&findings);
    return 0;
}
