#define _GNU_SOURCE /* asprintf */
/* test_codec.c: Submission to and from protobuf bytes (dcp_codec.h).
 *
 * The validator hands dcp_codec_unpack whatever a collector sent.  The
 * first cases are the byte patterns tests/fuzz found or that the contract
 * rules out, written out by hand so they stay fixed: each says what the
 * bytes are and whether they must decode.  The later ones take the
 * documented examples (collector/examples) over the wire and back, cut
 * them short, and feed random and mutated bytes: refused or decoded, never
 * a crash or a leak. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dcp_codec.h"
#include "jsonread.h"
#include "jsonwrite.h"

#define UUID "0b5f3e2a-8c1d-4e7f-9a6b-2c3d4e5f6a7b"

/* True if the LEN bytes decode. */
static bool
s_decodes (const uint8_t *bytes, size_t len)
{
    Dcp__V1__Submission *sub = dcp_codec_unpack (bytes, len, DCP_MAX_MESSAGE);
    bool ok = sub != NULL;
    dcp_codec_free (&sub);
    assert_null (sub);
    return ok;
}

static void
test_round_trip (void **state)
{
    Dcp__V1__Submission sub = DCP__V1__SUBMISSION__INIT;
    Dcp__V1__FocalPoint fp = DCP__V1__FOCAL_POINT__INIT;
    sub.submission_id = UUID;
    sub.schema_version = DCP_SCHEMA_VERSION;
    sub.coverage_note = "T\xc3\xbcrkiye, tab\there";
    fp.name = "A. Focal";
    sub.focal_point = &fp;
    size_t len;
    uint8_t *bytes = dcp_codec_pack (&sub, &len);
    assert_non_null (bytes);
    Dcp__V1__Submission *back = dcp_codec_unpack (bytes, len, DCP_MAX_MESSAGE);
    assert_non_null (back);
    assert_string_equal (back->submission_id, UUID);
    assert_string_equal (back->coverage_note, sub.coverage_note);
    assert_string_equal (back->focal_point->name, "A. Focal");
    dcp_codec_free (&back);
    dcp_codec_free (&back);                               /* idempotent */
    assert_null (dcp_codec_unpack (bytes, len, len - 1)); /* over the limit */
    free (bytes);
}

static void
test_empty_message_decodes (void **state)
{
    /* Zero bytes are a valid, empty Submission: the rules reject it
     * (ENV-PAYLOAD, ENV-SCHEMA, ...), not the decoder. */
    assert_true (s_decodes ((const uint8_t *) "", 0));
}

static void
test_broken_bytes_are_refused (void **state)
{
    const uint8_t cut[] = {0x0a, 0x24, '0', 'b'}; /* string of 36, 2 sent */
    const uint8_t group[] = {0x0b, 0x0c};         /* start/end group */
    const uint8_t long_varint[] = {0x10, 0xff, 0xff, 0xff, 0xff, 0xff,
                                   0xff, 0xff, 0xff, 0xff, 0xff, 0x01}; /* 11 bytes */
    assert_false (s_decodes (cut, sizeof cut));
    assert_false (s_decodes (group, sizeof group));
    assert_false (s_decodes (long_varint, sizeof long_varint));
}

static void
test_field_number_zero_is_refused (void **state)
{
    /* Tag 0x02 (field 0, length-delimited) is refused by protobuf-c, but
     * written as the overlong varint 82 00 it used to be kept as an unknown
     * field that protobuf-c could then not read back once re-encoded. */
    const uint8_t plain[] = {0x10, 0x01, 0x02, 0x01, 'x'};
    const uint8_t overlong[] = {0x10, 0x01, 0x82, 0x00, 0x01, 'x'};
    const uint8_t nested[] = {0x82, 0x01, 0x04, 0x82, 0x00, 0x01, 'x'}; /* in focal_point */
    assert_false (s_decodes (plain, sizeof plain));
    assert_false (s_decodes (overlong, sizeof overlong));
    assert_false (s_decodes (nested, sizeof nested));
}

static void
test_nul_in_string_is_refused (void **state)
{
    /* coverage_note (field 12) = "x\0y": C would see "x". */
    const uint8_t note[] = {0x62, 0x03, 'x', 0x00, 'y'};
    /* focal_point (16) { name (1) = "a\0" } */
    const uint8_t nested[] = {0x82, 0x01, 0x04, 0x0a, 0x02, 'a', 0x00};
    /* The same bytes in an unknown field are not text: kept (FIELD-UNKNOWN). */
    const uint8_t unknown[] = {0xfa, 0x3e, 0x03, 'x', 0x00, 'y'}; /* field 999 */
    assert_false (s_decodes (note, sizeof note));
    assert_false (s_decodes (nested, sizeof nested));
    assert_true (s_decodes (unknown, sizeof unknown));
}

static void
test_invalid_utf8_decodes_for_the_rules (void **state)
{
    /* protobuf-c does not check UTF-8; the rules do (TEXT-UTF8), with the
     * path of the field, which a decoder error could not give. */
    const uint8_t note[] = {0x62, 0x03, 'T', 0xfc, 'r'};
    Dcp__V1__Submission *sub = dcp_codec_unpack (note, sizeof note, DCP_MAX_MESSAGE);
    assert_non_null (sub);
    assert_memory_equal (sub->coverage_note, "T\xfcr", 4);
    dcp_codec_free (&sub);
}

static const char *const s_examples[] = {
    "financial_flows_2023_KAZ.json",
    "precursors_2023_AFG.json",
    "precursors_2023_IRN_csv.json",
};

/* Reads example NAME; fails the test if it has findings. */
static Dcp__V1__Submission *
s_example (const char *name)
{
    const char *src = getenv ("DCP_SOURCE_DIR");
    char *path = NULL;
    assert_true (asprintf (&path, "%s/collector/examples/%s", src ? src : "..", name) > 0);
    dcp_findings_t *f = dcp_findings_new ();
    Dcp__V1__Submission *sub = jsonread_file (path, f, NULL);
    assert_non_null (sub);
    assert_int_equal (dcp_findings_count (f), 0);
    dcp_findings_destroy (&f);
    free (path);
    return sub;
}

static void
test_examples_roundtrip (void **state)
{
    (void) state;
    for (size_t i = 0; i < sizeof s_examples / sizeof *s_examples; i++) {
        Dcp__V1__Submission *sub = s_example (s_examples[i]);
        size_t len = 0;
        uint8_t *bytes = dcp_codec_pack (sub, &len);
        assert_non_null (bytes);
        assert_true (len > 100);
        /* a limit of exactly the message size lets it through */
        Dcp__V1__Submission *back = dcp_codec_unpack (bytes, len, len);
        assert_non_null (back);
        /* same bytes again, and the same JSON */
        size_t len2 = 0;
        uint8_t *bytes2 = dcp_codec_pack (back, &len2);
        assert_int_equal (len, len2);
        assert_memory_equal (bytes, bytes2, len);
        char *json = jsonwrite_submission (sub), *json2 = jsonwrite_submission (back);
        assert_string_equal (json, json2);
        assert_string_equal (back->submission_id, sub->submission_id);
        assert_int_equal (back->payload_case, sub->payload_case);
        free (json);
        free (json2);
        free (bytes2);
        free (bytes);
        dcp_codec_free (&back);
        dcp_codec_free (&sub);
        assert_null (sub);
        dcp_codec_free (&sub); /* idempotent */
    }
}

static void
test_truncated_bytes (void **state)
{
    (void) state;
    Dcp__V1__Submission *sub = s_example ("precursors_2023_AFG.json");
    size_t len = 0;
    uint8_t *bytes = dcp_codec_pack (sub, &len);
    /* the payload is the last, length-delimited field: any cut inside it
     * leaves a length that runs past the end */
    assert_null (dcp_codec_unpack (bytes, len - 1, DCP_MAX_MESSAGE));
    /* every prefix: refused or decoded, never a crash or a leak */
    size_t refused = 0;
    for (size_t cut = 0; cut < len; cut++) {
        Dcp__V1__Submission *part = dcp_codec_unpack (bytes, cut, DCP_MAX_MESSAGE);
        refused += part == NULL;
        dcp_codec_free (&part);
    }
    assert_true (refused > len / 2);
    free (bytes);
    dcp_codec_free (&sub);
}

/* xorshift64*: reproducible noise without libc's rand state */
static uint64_t
s_next (uint64_t *x)
{
    *x ^= *x >> 12;
    *x ^= *x << 25;
    *x ^= *x >> 27;
    return *x * 2685821657736338717u;
}

static void
test_random_and_mutated_bytes (void **state)
{
    (void) state;
    uint64_t seed = 0x5eed2023u;
    uint8_t buf[4096];
    for (int round = 0; round < 5000; round++) {
        size_t len = s_next (&seed) % sizeof buf;
        for (size_t i = 0; i < len; i++)
            buf[i] = (uint8_t) s_next (&seed);
        Dcp__V1__Submission *sub = dcp_codec_unpack (buf, len, DCP_MAX_MESSAGE);
        if (sub) {
            /* whatever decoded must pack and free cleanly */
            size_t out = 0;
            free (dcp_codec_pack (sub, &out));
            dcp_codec_free (&sub);
        }
    }
    /* flipped bytes in a real message: more interesting than pure noise */
    Dcp__V1__Submission *good = s_example ("financial_flows_2023_KAZ.json");
    size_t len = 0;
    uint8_t *bytes = dcp_codec_pack (good, &len);
    for (int round = 0; round < 3000; round++) {
        uint8_t *copy = malloc (len);
        memcpy (copy, bytes, len);
        for (int k = 0; k < 3; k++)
            copy[s_next (&seed) % len] = (uint8_t) s_next (&seed);
        Dcp__V1__Submission *sub = dcp_codec_unpack (copy, len, DCP_MAX_MESSAGE);
        if (sub) {
            /* decoded data may hold bytes that are not UTF-8; the writer
             * must still produce JSON */
            char *json = jsonwrite_submission (sub);
            assert_non_null (json);
            free (json);
            dcp_codec_free (&sub);
        }
        free (copy);
    }
    free (bytes);
    dcp_codec_free (&good);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_round_trip),
        cmocka_unit_test (test_empty_message_decodes),
        cmocka_unit_test (test_broken_bytes_are_refused),
        cmocka_unit_test (test_field_number_zero_is_refused),
        cmocka_unit_test (test_nul_in_string_is_refused),
        cmocka_unit_test (test_invalid_utf8_decodes_for_the_rules),
        cmocka_unit_test (test_examples_roundtrip),
        cmocka_unit_test (test_truncated_bytes),
        cmocka_unit_test (test_random_and_mutated_bytes),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
