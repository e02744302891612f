/* test_codec.c: decoding hostile bytes (dcp_codec.h).
 *
 * The validator hands dcp_codec_unpack whatever a collector sent.  These
 * cases are the byte patterns tests/fuzz found or that the contract rules
 * out, written out by hand so they stay fixed: each says what the bytes
 * are and whether they must decode. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dcp_codec.h"

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
    dcp_codec_free (&back);  /* idempotent */
    assert_null (dcp_codec_unpack (bytes, len, len - 1));  /* over the limit */
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
    const uint8_t cut[] = {0x0a, 0x24, '0', 'b'};             /* string of 36, 2 sent */
    const uint8_t group[] = {0x0b, 0x0c};                       /* start/end group */
    const uint8_t long_varint[] = {0x10, 0xff, 0xff, 0xff, 0xff, 0xff,
                                   0xff, 0xff, 0xff, 0xff, 0xff, 0x01};  /* 11 bytes */
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
    const uint8_t nested[] = {0x82, 0x01, 0x04, 0x82, 0x00, 0x01, 'x'};  /* in focal_point */
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
    const uint8_t unknown[] = {0xfa, 0x3e, 0x03, 'x', 0x00, 'y'};  /* field 999 */
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
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
