/* fuzz_submission.c: libFuzzer harness for what the validator does with the
 * third frame of every message a collector sends.
 *
 * The bytes are hostile by definition (any registered key can send any
 * bytes), so they go through exactly the validator's path: dcp_codec_unpack
 * with the default size limit, then every rule of dcp_rules_check, then the
 * findings are packed into a Receipt as the loader and validator do.  A
 * crash, a sanitizer report or a leak is a bug; a rejection never is.
 *
 * Two properties are checked on top: a decoded Submission packs again and
 * the packed bytes decode to a message that packs to the same bytes (so the
 * loader, which re-reads what the validator forwarded, sees what the rules
 * saw), and the rules are deterministic for a fixed "today".
 *
 * Build and run: tests/fuzz/run.sh (clang, -DDCP_FUZZ=ON). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dcp_codec.h"
#include "dcp_findings.h"
#include "dcp_refdata.h"
#include "dcp_rules.h"

/* The embedded reference tables are parsed once per process and kept; load
 * them before the first input so that libFuzzer's leak check, which compares
 * allocations across one input, does not take them for a leak. */
int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
    (void) argc;
    (void) argv;
    if (dcp_refdata_load () != 0)
        abort ();
    return 0;
}

/* Rules with a fixed clock, so that a crash reproduces on any day. */
static void
s_opts (dcp_rules_opts_t *opts)
{
    dcp_rules_defaults (opts);
    opts->current_year = 2026;
    opts->received_on = "2026-05-02";
}

/* Packs FINDINGS into a Receipt, as the loader answers a collector. */
static void
s_receipt (const dcp_findings_t *findings)
{
    Dcp__V1__Receipt receipt = DCP__V1__RECEIPT__INIT;
    receipt.submission_id = "fuzz";
    receipt.status = dcp_findings_errors (findings) ? DCP__V1__RECEIPT_STATUS__RECEIPT_REJECTED
                                                    : DCP__V1__RECEIPT_STATUS__RECEIPT_ACCEPTED;
    if (dcp_findings_to_problems (findings, &receipt.problems, &receipt.n_problems) != 0)
        return;
    size_t len;
    free (dcp_codec_pack_msg (&receipt.base, &len));
    dcp_findings_free_problems (receipt.problems, receipt.n_problems);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    Dcp__V1__Submission *sub = dcp_codec_unpack (data, size, DCP_MAX_MESSAGE);
    if (!sub)
        return 0; /* the validator answers WIRE-DECODE */

    dcp_rules_opts_t opts;
    s_opts (&opts);
    dcp_findings_t *findings = dcp_findings_new ();
    if (!findings)
        abort ();
    if (dcp_rules_check (sub, &opts, findings) == 0)
        s_receipt (findings);

    /* Re-encoding is stable after one round trip. */
    size_t len1 = 0, len2 = 0;
    uint8_t *packed1 = dcp_codec_pack (sub, &len1);
    Dcp__V1__Submission *again = packed1 ? dcp_codec_unpack (packed1, len1, SIZE_MAX) : NULL;
    if (packed1 && !again)
        abort (); /* protobuf-c wrote bytes it cannot read back */
    uint8_t *packed2 = again ? dcp_codec_pack (again, &len2) : NULL;
    if (packed1 && packed2 && (len1 != len2 || memcmp (packed1, packed2, len1) != 0))
        abort ();

    /* Same message, same findings. */
    dcp_findings_t *findings2 = dcp_findings_new ();
    if (findings2 && dcp_rules_check (again ? again : sub, &opts, findings2) == 0
        && dcp_findings_count (findings2) != dcp_findings_count (findings))
        abort ();

    dcp_findings_destroy (&findings2);
    free (packed2);
    dcp_codec_free (&again);
    free (packed1);
    dcp_findings_destroy (&findings);
    dcp_codec_free (&sub);
    return 0;
}
