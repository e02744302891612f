/* test_intake.c: a response is read once and packed once (intake.h): the
 * bytes the outbox stores and the sender sends are exactly what packing the
 * checked Submission gives, whether the file names its id or not. */
#define _GNU_SOURCE /* asprintf */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "dcp_codec.h"
#include "intake.h"

/* Copies SRC to DST, leaving out lines that contain DROP or "schema_version"
 * (DROP NULL: copies all). */
static void
s_copy (const char *src, const char *dst, const char *drop)
{
    FILE *in = fopen (src, "r"), *out = fopen (dst, "w");
    assert_non_null (in);
    assert_non_null (out);
    char line[4096];
    while (fgets (line, sizeof line, in))
        if (!drop || (!strstr (line, drop) && !strstr (line, "schema_version")))
            fputs (line, out);
    fclose (in);
    fclose (out);
}

/* Writes the example with CSV files into a new folder, its JSON as r.json
 * without submission_id and schema_version.  Returns the folder. */
static char *
s_example_without_id (void)
{
    const char *src = getenv ("DCP_SOURCE_DIR");
    char tmpl[] = "/tmp/test_intake.XXXXXX", path[512], from[512];
    assert_non_null (mkdtemp (tmpl));
    const char *csv[] = {"incidents.csv", "seizures.csv"};
    for (int i = 0; i < 2; i++) {
        snprintf (from, sizeof from, "%s/collector/examples/%s", src ? src : "..", csv[i]);
        snprintf (path, sizeof path, "%s/%s", tmpl, csv[i]);
        s_copy (from, path, NULL);
    }
    snprintf (from, sizeof from, "%s/collector/examples/precursors_2023_IRN_csv.json",
              src ? src : "..");
    snprintf (path, sizeof path, "%s/r.json", tmpl);
    s_copy (from, path, "submission_id\"");
    char *dir = strdup (tmpl);
    return dir;
}

static void
s_read (collector_t *c, const char *dir, intake_t *in)
{
    char path[512];
    snprintf (path, sizeof path, "%s/r.json", dir);
    dcp_findings_t *f = dcp_findings_new ();
    assert_int_equal (intake_read (c, path, f, in), 0);
    dcp_findings_destroy (&f);
}

static void
s_assert_packed_once (const intake_t *in)
{
    size_t len = 0;
    uint8_t *again = dcp_codec_pack (in->sub, &len);
    assert_non_null (again);
    assert_int_equal (len, in->packed_len);
    assert_memory_equal (again, in->packed, len);
    free (again);
}

static void
test_file_without_id_gets_one_packed_once (void **state)
{
    (void) state;
    collector_t c;
    memset (&c, 0, sizeof c);
    dcp_rules_defaults (&c.rules);
    intake_t in;
    char *dir = s_example_without_id ();
    s_read (&c, dir, &in);
    assert_int_equal (strlen (in.sub->submission_id), 36);
    assert_int_equal (in.sub->schema_version, DCP_SCHEMA_VERSION);
    s_assert_packed_once (&in);
    /* the JSON and the two CSV files it names, as read */
    assert_int_equal (in.files.n, 3);
    assert_string_equal (in.files.parts[1].name, "seizures.csv");
    intake_t twice;
    s_read (&c, dir, &twice);
    assert_string_equal (twice.sub->submission_id, in.sub->submission_id);
    intake_free (&twice);
    intake_free (&in);
    char cmd[600];
    snprintf (cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal (system (cmd), 0);
    free (dir);
}

static void
test_pack_with_id_equals_packing_the_whole (void **state)
{
    (void) state;
    Dcp__V1__Submission sub;
    dcp__v1__submission__init (&sub);
    sub.reporting_country = "AFG";
    sub.reporting_year = 2024;
    size_t bare_len = 0, whole_len = 0, joined_len = 0;
    uint8_t *bare = dcp_codec_pack (&sub, &bare_len);
    sub.submission_id = "5f0c7a52-8d5e-4a8e-9c1b-0d7a3e2f1b6c";
    sub.schema_version = 300; /* two varint bytes */
    uint8_t *whole = dcp_codec_pack (&sub, &whole_len);
    uint8_t *joined = intake_pack_with_id (bare, bare_len, sub.submission_id, 300, &joined_len);
    assert_int_equal (joined_len, whole_len);
    assert_memory_equal (joined, whole, whole_len);
    free (bare);
    free (whole);
    free (joined);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_file_without_id_gets_one_packed_once),
        cmocka_unit_test (test_pack_with_id_equals_packing_the_whole),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
