/* test_id.c: the UUID rule (any case, normalised to lowercase) and the
 * safe-name rule for ids that name folders and frames. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "dcp_err.h"
#include "dcp_id.h"

static void
test_uuid_check (void **state)
{
    (void) state;
    static const struct {
        const char *text;
        bool ok;
    } cases[] = {
        {"0b5f3e2a-8c1d-4e7f-9a6b-2c3d4e5f6a7b", true},
        {"0B5F3E2A-8C1D-4E7F-9A6B-2C3D4E5F6A7B", true},
        {"0B5F3E2A-8c1d-4e7f-9a6b-2c3d4e5f6a7b", true}, /* mixed case */
        {"0b5f3e2a8c1d4e7f9a6b2c3d4e5f6a7b", false},    /* no dashes */
        {"{0b5f3e2a-8c1d-4e7f-9a6b-2c3d4e5f6a7b}", false},
        {"0b5f3e2a-8c1d-4e7f-9a6b-2c3d4e5f6a7g", false},
        {"0b5f3e2a-8c1d-4e7f-9a6b-2c3d4e5f6a7", false},   /* short */
        {"0b5f3e2a-8c1d-4e7f-9a6b-2c3d4e5f6a7bb", false}, /* long */
        {"0b5f3e2a-8c1d-4e7f-9a6b_2c3d4e5f6a7b", false},
        {"", false},
        {NULL, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal (dcp_id_uuid_ok (cases[i].text), cases[i].ok);
}

static void
test_uuid_normalise (void **state)
{
    (void) state;
    char out[DCP_ID_UUID_LEN + 1] = "untouched";
    assert_int_equal (dcp_id_uuid_normalise ("0B5F3E2A-8c1d-4E7F-9a6b-2C3D4E5F6A7B", out), 0);
    assert_string_equal (out, "0b5f3e2a-8c1d-4e7f-9a6b-2c3d4e5f6a7b");
    char keep[DCP_ID_UUID_LEN + 1] = "untouched";
    assert_int_equal (dcp_id_uuid_normalise ("not-a-uuid", keep), DCP_EINVAL);
    assert_string_equal (keep, "untouched");
}

static void
test_uuid_v4_is_a_lowercase_uuid (void **state)
{
    (void) state;
    char a[37], b[37], norm[37];
    dcp_id_uuid_v4 (a);
    dcp_id_uuid_v4 (b);
    assert_true (dcp_id_uuid_ok (a));
    assert_int_equal (a[14], '4');
    assert_true (strchr ("89ab", a[19]) != NULL);
    assert_int_equal (dcp_id_uuid_normalise (a, norm), 0);
    assert_string_equal (a, norm);
    assert_string_not_equal (a, b);
    assert_true (dcp_id_name_ok (a, strlen (a)));
}

static void
test_uuid_from_content_is_stable (void **state)
{
    (void) state;
    char a[37], b[37], c[37];
    /* Fixed value: ids already in outboxes and databases were made so. */
    assert_string_equal (dcp_id_uuid_from_content ("hello", 5, a),
                         "2cf24dba-5fb0-830e-a6e8-3b2ac5b9e29e");
    dcp_id_uuid_from_content ("hello", 5, b);
    dcp_id_uuid_from_content ("hello!", 6, c);
    assert_string_equal (a, b);
    assert_string_not_equal (a, c);
    assert_true (dcp_id_uuid_ok (c));
    assert_int_equal (c[14], '8');
}

static void
test_safe_names (void **state)
{
    (void) state;
    static const struct {
        const char *text;
        bool ok;
    } cases[] = {
        {"abc-DEF_123", true},
        {"0b5f3e2a-8c1d-4e7f-9a6b-2c3d4e5f6a7b", true},
        {"", false},
        {".", false},
        {"..", false},
        {"a/b", false},
        {"a b", false},
        {"a\"b", false},
        {"a.b", false},
        {"caf\xc3\xa9", false},
        {"1234567890123456789012345678901234567890123456789012345678901234", true}, /* 64 */
        {"12345678901234567890123456789012345678901234567890123456789012345", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal (dcp_id_name_ok (cases[i].text, strlen (cases[i].text)), cases[i].ok);
    assert_false (dcp_id_name_ok ("a\0b", 3));
    assert_false (dcp_id_name_ok (NULL, 0));
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_uuid_check),
        cmocka_unit_test (test_uuid_normalise),
        cmocka_unit_test (test_uuid_v4_is_a_lowercase_uuid),
        cmocka_unit_test (test_uuid_from_content_is_stable),
        cmocka_unit_test (test_safe_names),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
