/* make_corpus.c: seed corpus for fuzz_submission from the example responses.
 *
 * usage: make_corpus OUTDIR FILE.json...
 *
 * Reads each response file with the collector's JSON reader and writes its
 * protobuf encoding (what a collector puts in the third frame) to
 * OUTDIR/<name>.pb, so the fuzzer starts from real, deep messages instead of
 * having to discover the nesting of a Submission by chance.  A file that
 * does not read (broken.json reads with findings, which is fine) is written
 * as far as it was read; a file that is not a JSON object is skipped.
 * Exit status: 0, or 1 if no seed was written. */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcp_codec.h"
#include "dcp_findings.h"
#include "jsonread.h"
#include "jsonwrite.h"

int
main (int argc, char **argv)
{
    if (argc < 3) {
        fprintf (stderr, "usage: make_corpus OUTDIR FILE.json...\n");
        return 2;
    }
    int written = 0;
    for (int i = 2; i < argc; i++) {
        dcp_findings_t *findings = dcp_findings_new ();
        Dcp__V1__Submission *sub = findings ? jsonread_file (argv[i], findings, NULL) : NULL;
        size_t len = 0;
        uint8_t *bytes = sub ? dcp_codec_pack (sub, &len) : NULL;
        char copy[4096], out[4096];
        snprintf (copy, sizeof copy, "%s", argv[i]);
        snprintf (out, sizeof out, "%s/%s.pb", argv[1], basename (copy));
        FILE *f = bytes ? fopen (out, "wb") : NULL;
        if (f && fwrite (bytes, 1, len, f) == len && fclose (f) == 0) {
            written++;
            printf ("seed %s: %zu bytes, %zu findings\n", out, len, dcp_findings_count (findings));
        } else {
            if (f)
                fclose (f);
            fprintf (stderr, "make_corpus: could not make a seed from %s\n", argv[i]);
        }
        free (bytes);
        dcp_codec_free (&sub);
        dcp_findings_destroy (&findings);
    }
    return written ? 0 : 1;
}
